//! "This shop file is in use": a lock file next to the shop file (`shop.sqlite.lock`) naming the
//! process that has it open for writing, its host and since when.
//!
//! The lock is created atomically (`create_new`), so of two copies starting at once exactly one
//! gets it. A lock whose process is gone is stale: on this host that is known for sure on Linux
//! (no `/proc/PID`); elsewhere, or for another host, the lock is reported and the shop owner
//! decides. SQLite itself (WAL, busy timeout, immediate write transactions) keeps two writers
//! from losing each other's changes; the lock keeps a second window from editing stale screens.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner {
    pub pid: u32,
    pub host: String,
    /// When it took the lock (`YYYY-MM-DD HH:MM:SS`).
    pub since: String,
}

impl LockOwner {
    /// This process.
    pub fn this_process(since: &str) -> Self {
        Self {
            pid: std::process::id(),
            host: host_name(),
            since: since.to_owned(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "Backorder Desk lock\npid={}\nhost={}\nsince={}\n",
            self.pid, self.host, self.since
        )
    }

    fn parse(text: &str) -> Option<Self> {
        let mut pid = None;
        let mut host = None;
        let mut since = String::new();
        for line in text.lines() {
            match line.split_once('=') {
                Some(("pid", value)) => pid = value.trim().parse().ok(),
                Some(("host", value)) => host = Some(value.trim().to_owned()),
                Some(("since", value)) => value.trim().clone_into(&mut since),
                _ => {}
            }
        }
        Some(Self {
            pid: pid?,
            host: host?,
            since,
        })
    }

    /// "PID 4242 on shop-pc since 2026-03-01 09:15:00".
    pub fn describe(&self) -> String {
        if self.since.is_empty() {
            format!("PID {} on {}", self.pid, self.host)
        } else {
            format!("PID {} on {} since {}", self.pid, self.host, self.since)
        }
    }
}

/// Whether the process named in a lock still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// It runs (this host, the process exists).
    Alive,
    /// It is gone (this host, no such process): the lock is stale.
    Gone,
    /// Cannot be told (another host, or a platform without `/proc`).
    Unknown,
}

/// The lock another process holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLock {
    pub owner: LockOwner,
    pub liveness: Liveness,
}

impl HeldLock {
    pub fn is_stale(&self) -> bool {
        self.liveness == Liveness::Gone
    }

    /// The sentence the window and the command line show.
    pub fn message(&self, db_path: &Path) -> String {
        let name = db_path.file_name().map_or_else(
            || db_path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match self.liveness {
            Liveness::Alive => format!(
                "{name} is in use by another copy of Backorder Desk ({}).",
                self.owner.describe()
            ),
            Liveness::Gone => format!(
                "{name} was left locked by a copy of Backorder Desk that is no longer running ({}).",
                self.owner.describe()
            ),
            Liveness::Unknown => format!(
                "{name} is in use by a copy of Backorder Desk ({}); whether it still runs cannot be checked from here.",
                self.owner.describe()
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the shop file is in use")]
    Held(HeldLock),
    #[error("cannot write the lock file '{path}': {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The lock file of a shop file: `shop.sqlite.lock`.
pub fn lock_path(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// A lock this process holds; dropping it removes the lock file (if it is still ours).
#[derive(Debug)]
pub struct ShopLock {
    path: PathBuf,
    owner: LockOwner,
}

impl ShopLock {
    /// Takes the lock, or reports who has it. A stale lock is not taken over here: call
    /// [`Self::take_over`] after telling the user (the command line does so without asking).
    pub fn acquire(db_path: &Path, since: &str) -> Result<Self, LockError> {
        let path = lock_path(db_path);
        let owner = LockOwner::this_process(since);
        for _ in 0..3 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let written = file
                        .write_all(owner.to_text().as_bytes())
                        .and_then(|()| file.sync_all());
                    if let Err(source) = written {
                        drop(file);
                        let _ = fs::remove_file(&path);
                        return Err(LockError::Io { path, source });
                    }
                    return Ok(Self { path, owner });
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    match read_lock(&path) {
                        Some(held) => return Err(LockError::Held(held)),
                        // Vanished meanwhile (the other copy closed): try again.
                        None if !path.exists() => {}
                        // Unreadable or half-written by a copy that died while writing it:
                        // treat as stale.
                        None => {
                            return Err(LockError::Held(HeldLock {
                                owner: LockOwner {
                                    pid: 0,
                                    host: "an unknown host".to_owned(),
                                    since: String::new(),
                                },
                                liveness: Liveness::Gone,
                            }));
                        }
                    }
                }
                Err(source) => return Err(LockError::Io { path, source }),
            }
        }
        Err(LockError::Io {
            path,
            source: std::io::Error::other("the lock file keeps appearing and disappearing"),
        })
    }

    /// Removes the existing lock (stale, or the user chose to open anyway) and takes it.
    pub fn take_over(db_path: &Path, since: &str) -> Result<Self, LockError> {
        let path = lock_path(db_path);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(LockError::Io { path, source }),
        }
        Self::acquire(db_path, since)
    }

    pub fn owner(&self) -> &LockOwner {
        &self.owner
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ShopLock {
    fn drop(&mut self) {
        // Only our own lock is removed: another copy may have taken it over.
        if read_lock(&self.path).is_some_and(|held| held.owner == self.owner) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Who holds the lock of `db_path` now, if anyone.
pub fn current_holder(db_path: &Path) -> Option<HeldLock> {
    read_lock(&lock_path(db_path))
}

fn read_lock(path: &Path) -> Option<HeldLock> {
    let text = fs::read_to_string(path).ok()?;
    let owner = LockOwner::parse(&text)?;
    let liveness = liveness(&owner);
    Some(HeldLock { owner, liveness })
}

fn liveness(owner: &LockOwner) -> Liveness {
    if owner.host != host_name() {
        return Liveness::Unknown;
    }
    process_liveness(owner.pid)
}

#[cfg(target_os = "linux")]
fn process_liveness(pid: u32) -> Liveness {
    if pid == 0 {
        return Liveness::Gone;
    }
    if Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie has exited; only its parent has not collected it yet.
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat)
                if stat
                    .rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')) =>
            {
                Liveness::Gone
            }
            _ => Liveness::Alive,
        }
    } else {
        Liveness::Gone
    }
}

#[cfg(not(target_os = "linux"))]
fn process_liveness(pid: u32) -> Liveness {
    if pid == std::process::id() {
        Liveness::Alive
    } else {
        Liveness::Unknown
    }
}

/// This computer's name, as far as the standard library can tell.
pub fn host_name() -> String {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|file| fs::read_to_string(file).ok())
        .map(|text| text.trim().to_owned())
        .filter(|name| !name.is_empty());
    from_file
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_text_reads_back() {
        let owner = LockOwner {
            pid: 4242,
            host: "shop-pc".into(),
            since: "2026-03-01 09:15:00".into(),
        };
        assert_eq!(LockOwner::parse(&owner.to_text()), Some(owner.clone()));
        assert_eq!(
            owner.describe(),
            "PID 4242 on shop-pc since 2026-03-01 09:15:00"
        );
        assert_eq!(LockOwner::parse("pid=12\n"), None);
    }

    #[test]
    fn another_host_cannot_be_checked() {
        let owner = LockOwner {
            pid: std::process::id(),
            host: format!("{}-elsewhere", host_name()),
            since: String::new(),
        };
        assert_eq!(liveness(&owner), Liveness::Unknown);
    }
}
