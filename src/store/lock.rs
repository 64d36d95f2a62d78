//! Who has a shop file open, with the operating system's advisory file locks (`flock` on Unix,
//! `LockFileEx` on Windows) on two files next to the shop file:
//!
//! - `shop.sqlite.open.lock`: every copy of the app that has the shop open — a window, any
//!   command, read-only or not — holds a *shared* lock on it for as long as it has the file open.
//!   Replacing the file (a restore) needs the *exclusive* lock, so it happens only while no other
//!   copy has the file open. A copy that finds nobody else there (it gets the exclusive lock)
//!   opens the file under it — creating, updating and checking a file and its write-ahead log
//!   never race with another copy — and then holds the shared lock like everyone else.
//! - `shop.sqlite.writer.lock`: the one copy that writes holds an *exclusive* lock on it, so there
//!   is never a second writer. It writes its PID, host and start time into that file for the
//!   message another copy shows ("in use by PID … on … since …"). The lock never depends on the
//!   text: it may be old, empty or half-written; the OS lock is the truth. (On Windows a locked
//!   file cannot be read by other processes, so the message there cannot name the holder.)
//!
//! The operating system releases the locks when a copy ends, however it ends (it crashed, was
//! killed, the computer lost power), so a lock is never stale. The lock files stay next to the
//! shop file and are never deleted: a copy that deleted one while another held it would let a
//! third lock a new file of the same name.
//!
//! A lock is held per open file, not per process: two opens in one process exclude each other
//! like two processes do. Threads of one window share the window's locks (their connections
//! open under it).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the holder of the writer lock took it for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It changes the shop (a window, a writing command).
    Writes,
    /// A command that only reads took it because it was free (it may keep KPI rollups): it is
    /// done soon, so a copy that wants to write waits for it.
    Reads,
}

impl Role {
    fn code(self) -> &'static str {
        match self {
            Self::Writes => "writes",
            Self::Reads => "reads",
        }
    }
}

/// Who holds the writer lock, as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner {
    pub pid: u32,
    pub host: String,
    /// When it took the lock (`YYYY-MM-DD HH:MM:SS`).
    pub since: String,
    pub role: Role,
}

impl LockOwner {
    /// This process.
    pub fn this_process(since: &str, role: Role) -> Self {
        Self {
            pid: std::process::id(),
            host: host_name(),
            since: since.to_owned(),
            role,
        }
    }

    fn to_text(&self) -> String {
        format!(
            "Backorder Desk writer\nrole={}\npid={}\nhost={}\nsince={}\n",
            self.role.code(),
            self.pid,
            self.host,
            self.since
        )
    }

    fn parse(text: &str) -> Option<Self> {
        let mut pid = None;
        let mut host = None;
        let mut since = None;
        let mut role = Role::Writes;
        // Only whole lines count: a line still being written has no line break yet.
        for line in text.split_inclusive('\n') {
            let Some(line) = line.strip_suffix('\n') else {
                continue;
            };
            match line.split_once('=') {
                Some(("pid", value)) => pid = value.trim().parse().ok(),
                Some(("host", value)) => host = Some(value.trim().to_owned()),
                Some(("since", value)) => since = Some(value.trim().to_owned()),
                Some(("role", "reads")) => role = Role::Reads,
                _ => {}
            }
        }
        Some(Self {
            pid: pid?,
            host: host?,
            since: since?,
            role,
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

/// Another copy holds the writer lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLock {
    /// What its lock file says (`None` when the text cannot be read yet).
    pub owner: Option<LockOwner>,
}

impl HeldLock {
    /// The sentence the window and the command line show.
    pub fn message(&self, db_path: &Path) -> String {
        let name = file_name(db_path);
        match &self.owner {
            Some(owner) => format!(
                "{name} is in use by another copy of Backorder Desk ({}).",
                owner.describe()
            ),
            None => format!(
                "{name} is in use by another copy of Backorder Desk (its lock file does not say which one: it may be starting, or the file cannot be read while it is locked, as on Windows)."
            ),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// No lock file can be made or opened next to the shop (the folder is read-only).
    #[error("cannot use the lock file '{}': {error}", path.display())]
    Unavailable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The file system does not lock files (some network drives).
    #[error("the drive of '{}' cannot lock files ({error}), so two copies of Backorder Desk could not be kept apart", path.display())]
    Unsupported {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Another copy is replacing (restoring) or opening the file and did not finish in time.
    #[error("another copy of Backorder Desk is restoring or opening {} and has not finished after {} seconds; try again in a moment. Nothing was changed.", file_name(db_path), wait.as_secs())]
    Busy { db_path: PathBuf, wait: Duration },
}

/// Why the writer lock was not taken.
#[derive(Debug)]
pub enum NotWriter {
    /// Another copy writes.
    Held(HeldLock),
    /// The writer lock file cannot be made or written (the folder is read-only).
    Unavailable(LockError),
}

/// Why the file cannot be replaced now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplaceRefused {
    #[error(
        "{name} is open in another copy of Backorder Desk, and this runs only while no other copy has the file open (a restore replaces the file under every copy that has it open). Close it there first. Nothing was changed."
    )]
    OpenElsewhere { name: String },
    #[error("{0} Close it there first. Nothing was changed.")]
    Writer(String),
}

/// `shop.sqlite.open.lock`: held shared by every copy that has the shop open.
pub fn open_lock_path(db_path: &Path) -> PathBuf {
    suffixed(db_path, ".open.lock")
}

/// `shop.sqlite.writer.lock`: held by the copy that writes; names it.
pub fn writer_lock_path(db_path: &Path) -> PathBuf {
    suffixed(db_path, ".writer.lock")
}

fn suffixed(db_path: &Path, suffix: &str) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// How a shop is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// No other copy has the file open: this one holds the exclusive lock until [`ShopLock::share`].
    Alone,
    /// Other copies have it open too.
    Shared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    Nothing,
    Shared,
    Exclusive,
}

/// How often a waiting copy tries a lock again.
const RETRY: Duration = Duration::from_millis(20);

/// How many times (every [`RETRY`]) a held writer lock file is read before its text counts as
/// naming nobody: a new holder writes its name right after taking the lock.
const OWNER_READS: u32 = 25;

/// How long a copy that wants to write waits for a command that only reads to give the writer
/// lock back.
pub const READER_WAIT: Duration = Duration::from_secs(10);

/// The locks one open copy holds on a shop file. Dropping it releases them.
#[derive(Debug)]
pub struct ShopLock {
    db_path: PathBuf,
    open_file: File,
    held: Held,
    writer: Option<File>,
    /// The "checked" line the writer lock file had when this copy took it (see
    /// [`Self::checked_today`]).
    checked: Option<String>,
    /// The day this copy found the shop sound: written into the writer lock file on closing.
    verified: Option<String>,
}

impl ShopLock {
    /// Opens (or creates) the shop's open lock file; holds nothing yet.
    pub fn new(db_path: &Path) -> Result<Self, LockError> {
        let path = open_lock_path(db_path);
        let open_file = open_or_create(&path)
            .or_else(|error| {
                // An existing lock file in a folder that is read-only can still be locked.
                File::open(&path).map_err(|_| error)
            })
            .map_err(|error| LockError::Unavailable {
                path: path.clone(),
                error,
            })?;
        Ok(Self {
            db_path: db_path.to_owned(),
            open_file,
            held: Held::Nothing,
            writer: None,
            checked: None,
            verified: None,
        })
    }

    /// The shop file this lock is for.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// True while this copy holds the writer lock.
    pub fn is_writer(&self) -> bool {
        self.writer.is_some()
    }

    /// Takes the writer lock to change the shop, waiting up to `wait` for another writer to
    /// finish (and up to [`READER_WAIT`] for a command that only reads), and writes this
    /// process's name into it. When it stays held, the error names the holder.
    pub fn take_writer(&mut self, since: &str, wait: Duration) -> Result<(), NotWriter> {
        self.take(since, Role::Writes, wait)
    }

    /// Takes the writer lock for a command that reads, when it is free: no waiting, and the
    /// holder is not named (the command then reads read-only).
    pub fn take_writer_to_read(&mut self, since: &str) -> Result<(), NotWriter> {
        self.take(since, Role::Reads, Duration::ZERO)
    }

    fn take(&mut self, since: &str, role: Role, wait: Duration) -> Result<(), NotWriter> {
        if self.writer.is_some() {
            return Ok(());
        }
        let path = writer_lock_path(&self.db_path);
        let file = open_or_create(&path).map_err(|error| {
            NotWriter::Unavailable(LockError::Unavailable {
                path: path.clone(),
                error,
            })
        })?;
        let start = Instant::now();
        let mut unnamed = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let elapsed = start.elapsed();
                    // Only a hint for how long to wait: the lock is the truth. A held lock whose
                    // file names no holder is changing hands: a new holder has not written its
                    // name yet, or the holder emptied the file to give the lock back. A copy that
                    // wants to write tries again for as long as `read_owner` reads (without it, a
                    // writer that looked in the moment a reader gave the lock back failed).
                    let holder = (role == Role::Writes && elapsed < READER_WAIT)
                        .then(|| owner_now(&path).map(|owner| owner.role));
                    let reader_holds = holder == Some(Some(Role::Reads));
                    let changing_hands = holder == Some(None) && unnamed < OWNER_READS;
                    if changing_hands {
                        unnamed += 1;
                    }
                    if elapsed < wait || reader_holds || changing_hands {
                        std::thread::sleep(RETRY);
                        continue;
                    }
                    let owner = match role {
                        Role::Writes => read_owner(&path),
                        Role::Reads => None,
                    };
                    return Err(NotWriter::Held(HeldLock { owner }));
                }
                Err(TryLockError::Error(error)) => {
                    return Err(NotWriter::Unavailable(unsupported(&path, error)));
                }
            }
        }
        // The last writer's note that the file was checked (see `checked_today`) stays in it.
        let mut previous = String::new();
        let mut handle = &file;
        let _ = handle.read_to_string(&mut previous);
        self.checked = previous
            .lines()
            .find_map(|line| line.strip_prefix("checked="))
            .map(str::to_owned);
        // Only for the message another copy shows: a failure to write it changes nothing.
        let mut text = LockOwner::this_process(since, role).to_text();
        if let Some(checked) = &self.checked {
            text.push_str(&format!("checked={checked}\n"));
        }
        let _ = file
            .set_len(0)
            .and_then(|()| handle.rewind())
            .and_then(|()| handle.write_all(text.as_bytes()));
        self.writer = Some(file);
        Ok(())
    }

    /// Gives the writer lock back (the copy goes on reading). When this copy found the shop
    /// sound and closed it (no write-ahead log is left), the lock file notes the day and the
    /// file's size and time of change, so that the next writer that day need not check it again
    /// while nobody else changed it.
    pub fn release_writer(&mut self) {
        if let Some(file) = self.writer.take() {
            // A note that no longer matches the file is harmless: it pins the file's size and
            // time of change, so the earlier one is kept when this copy checked nothing.
            let note = match self.verified.take() {
                Some(day) => {
                    let log_empty = std::fs::metadata(super::wal::wal_path(&self.db_path))
                        .map_or(true, |meta| meta.len() == 0);
                    log_empty
                        .then(|| file_facts(&self.db_path))
                        .flatten()
                        .map(|facts| format!("checked={day} {facts}\n"))
                }
                None => self
                    .checked
                    .as_ref()
                    .map(|note| format!("checked={note}\n")),
            };
            let mut handle = &file;
            let _ = file.set_len(0).and_then(|()| handle.rewind());
            if let Some(note) = note {
                let _ = handle.write_all(note.as_bytes());
            }
            let _ = file.unlock();
        }
    }

    /// True when the last writer found the shop sound on `day` (`YYYY-MM-DD`) and nothing has
    /// changed the file since: the same size and time of change, and no write-ahead log. A
    /// writer checks a shop's pages once a day and after anything else changed it, not on every
    /// open. Only a shortcut: a missing or odd note means "check".
    pub fn checked_today(&self, day: &str) -> bool {
        let log_empty = std::fs::metadata(super::wal::wal_path(&self.db_path))
            .map_or(true, |meta| meta.len() == 0);
        self.writer.is_some()
            && log_empty
            && self.checked.as_deref().is_some_and(|checked| {
                checked.split_once(' ').is_some_and(|(noted_day, facts)| {
                    noted_day == day && file_facts(&self.db_path).as_deref() == Some(facts)
                })
            })
    }

    /// This copy found the shop sound on `day` (noted on closing, see [`Self::release_writer`]).
    pub fn note_verified(&mut self, day: &str) {
        self.verified = Some(day.to_owned());
    }

    /// Takes the open lock: exclusive when no other copy has the file open, else shared. Waits up
    /// to `wait` while another copy holds it exclusively (it is restoring or opening the file).
    pub fn enter(&mut self, wait: Duration) -> Result<Entry, LockError> {
        if self.held != Held::Nothing {
            return Ok(if self.held == Held::Exclusive {
                Entry::Alone
            } else {
                Entry::Shared
            });
        }
        let path = open_lock_path(&self.db_path);
        let start = Instant::now();
        loop {
            match self.open_file.try_lock() {
                Ok(()) => {
                    self.held = Held::Exclusive;
                    return Ok(Entry::Alone);
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(error)) => return Err(unsupported(&path, error)),
            }
            match self.open_file.try_lock_shared() {
                Ok(()) => {
                    self.held = Held::Shared;
                    return Ok(Entry::Shared);
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(error)) => return Err(unsupported(&path, error)),
            }
            if start.elapsed() >= wait {
                return Err(LockError::Busy {
                    db_path: self.db_path.clone(),
                    wait,
                });
            }
            std::thread::sleep(RETRY);
        }
    }

    /// From the exclusive open lock to the shared one (the file is open; others may come).
    pub fn share(&mut self, wait: Duration) -> Result<(), LockError> {
        if self.held == Held::Shared {
            return Ok(());
        }
        // On Unix, `flock` turns the exclusive lock into a shared one in one step. Elsewhere
        // it is given back first, and another copy may come between.
        #[cfg(unix)]
        if self.held == Held::Exclusive && self.open_file.try_lock_shared().is_ok() {
            self.held = Held::Shared;
            return Ok(());
        }
        let _ = self.open_file.unlock();
        self.held = Held::Nothing;
        self.shared_again(wait)
    }

    fn shared_again(&mut self, wait: Duration) -> Result<(), LockError> {
        let path = open_lock_path(&self.db_path);
        let start = Instant::now();
        loop {
            match self.open_file.try_lock_shared() {
                Ok(()) => {
                    self.held = Held::Shared;
                    return Ok(());
                }
                Err(TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(RETRY);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Busy {
                        db_path: self.db_path.clone(),
                        wait,
                    });
                }
                Err(TryLockError::Error(error)) => return Err(unsupported(&path, error)),
            }
        }
    }

    /// Runs `work` (which replaces the shop file) while this copy is the only one that has the
    /// file open: it must hold the writer lock, have closed its own connections, and no other
    /// copy may have the file open. Afterwards it holds the shared lock again.
    pub fn exclusively<T>(&mut self, work: impl FnOnce() -> T) -> Result<T, ReplaceRefused> {
        if self.writer.is_none() {
            let path = writer_lock_path(&self.db_path);
            let held = HeldLock {
                owner: read_owner(&path),
            };
            return Err(ReplaceRefused::Writer(held.message(&self.db_path)));
        }
        if self.held != Held::Exclusive {
            // A shared lock is never turned into an exclusive one in place: where that fails,
            // `flock` has already dropped the shared one.
            let _ = self.open_file.unlock();
            self.held = Held::Nothing;
            match self.open_file.try_lock() {
                Ok(()) => self.held = Held::Exclusive,
                Err(_) => {
                    // Others have it open: take the shared lock back (a copy entering right now
                    // holds the exclusive lock for a moment only).
                    let _ = self.shared_again(Duration::from_secs(30));
                    return Err(ReplaceRefused::OpenElsewhere {
                        name: file_name(&self.db_path),
                    });
                }
            }
        }
        let value = work();
        let _ = self.share(Duration::from_secs(30));
        Ok(value)
    }
}

impl Drop for ShopLock {
    fn drop(&mut self) {
        self.release_writer();
        let _ = self.open_file.unlock();
    }
}

/// "SIZE SECONDS.NANOSECONDS" of a file's length and time of last change.
fn file_facts(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let changed = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {}.{:09}",
        meta.len(),
        changed.as_secs(),
        changed.subsec_nanos()
    ))
}

fn open_or_create(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

fn unsupported(path: &Path, error: std::io::Error) -> LockError {
    LockError::Unsupported {
        path: path.to_owned(),
        error,
    }
}

/// What a writer lock file says now.
fn owner_now(path: &Path) -> Option<LockOwner> {
    let mut text = String::new();
    File::open(path)
        .and_then(|mut file| file.read_to_string(&mut text))
        .ok()?;
    LockOwner::parse(&text)
}

/// What a writer lock file says, read a few times while it is being written.
fn read_owner(path: &Path) -> Option<LockOwner> {
    for attempt in 0..OWNER_READS {
        if attempt > 0 {
            std::thread::sleep(RETRY);
        }
        if let Some(owner) = owner_now(path) {
            return Some(owner);
        }
    }
    None
}

/// The copy that holds the writer lock of `db_path`, if any (a probe: takes nothing).
pub fn writer_holder(db_path: &Path) -> Option<HeldLock> {
    let path = writer_lock_path(db_path);
    let file = File::open(&path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => Some(HeldLock {
            owner: read_owner(&path),
        }),
        Err(TryLockError::Error(_)) => None,
    }
}

/// True while some copy has `db_path` open (a probe: takes nothing).
pub fn is_open_anywhere(db_path: &Path) -> bool {
    let Ok(file) = File::open(open_lock_path(db_path)) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(_) => true,
    }
}

/// This computer's name, as far as the standard library can tell.
pub fn host_name() -> String {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|file| std::fs::read_to_string(file).ok())
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
    fn the_owner_text_reads_back_and_a_cut_text_is_no_owner() {
        let owner = LockOwner {
            pid: 4242,
            host: "shop-pc".into(),
            since: "2026-03-01 09:15:00".into(),
            role: Role::Reads,
        };
        assert_eq!(LockOwner::parse(&owner.to_text()), Some(owner.clone()));
        assert_eq!(
            owner.describe(),
            "PID 4242 on shop-pc since 2026-03-01 09:15:00"
        );
        let text = owner.to_text();
        assert_eq!(LockOwner::parse(&text[..text.len() - 12]), None);
        assert_eq!(LockOwner::parse(""), None);
    }

    #[test]
    fn one_writer_and_the_others_are_told_who() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.sqlite");
        let mut first = ShopLock::new(&db).expect("lock");
        first
            .take_writer("2026-03-01 12:00:00", Duration::ZERO)
            .expect("writer");
        assert_eq!(first.enter(Duration::ZERO).expect("enter"), Entry::Alone);
        first.share(Duration::ZERO).expect("share");
        let mut second = ShopLock::new(&db).expect("lock");
        match second.take_writer("2026-03-01 12:05:00", Duration::from_millis(60)) {
            Err(NotWriter::Held(held)) => {
                let owner = held.owner.expect("owner");
                assert_eq!(owner.pid, std::process::id());
                assert_eq!(owner.since, "2026-03-01 12:00:00");
            }
            other => panic!("expected the writer lock to be held: {other:?}"),
        }
        assert_eq!(second.enter(Duration::ZERO).expect("enter"), Entry::Shared);
        // The writer cannot replace the file while the second copy has it open.
        assert!(matches!(
            first.exclusively(|| ()),
            Err(ReplaceRefused::OpenElsewhere { .. })
        ));
        // The second copy cannot replace it at all: it is not the writer.
        assert!(matches!(
            second.exclusively(|| ()),
            Err(ReplaceRefused::Writer(_))
        ));
        drop(second);
        assert_eq!(first.exclusively(|| 7), Ok(7));
        assert!(is_open_anywhere(&db));
        assert!(writer_holder(&db).is_some());
        drop(first);
        assert!(!is_open_anywhere(&db));
        assert_eq!(writer_holder(&db), None);
        // Both lock files stay.
        assert!(open_lock_path(&db).exists() && writer_lock_path(&db).exists());
    }

    #[test]
    fn a_writer_waits_for_a_command_that_only_reads() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.sqlite");
        let mut reader = ShopLock::new(&db).expect("lock");
        reader
            .take_writer_to_read("2026-03-01 12:00:00")
            .expect("free, so taken");
        // Timed from before the reader's 300 ms start: a test thread that starts late cannot
        // make the wait look shorter.
        let start = Instant::now();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(reader);
        });
        let mut writer = ShopLock::new(&db).expect("lock");
        writer
            .take_writer("2026-03-01 12:00:01", Duration::ZERO)
            .expect("waited for the reader");
        assert!(start.elapsed() >= Duration::from_millis(300));
        releaser.join().expect("join");
        // A command that only reads does not wait, and is not told who writes.
        let mut second = ShopLock::new(&db).expect("lock");
        match second.take_writer_to_read("2026-03-01 12:00:02") {
            Err(NotWriter::Held(held)) => assert_eq!(held.owner, None),
            other => panic!("expected the writer lock to be held: {other:?}"),
        }
    }

    #[test]
    fn a_writer_that_looks_while_a_reader_gives_the_lock_back_waits() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.sqlite");
        let mut reader = ShopLock::new(&db).expect("lock");
        reader
            .take_writer_to_read("2026-03-01 12:00:00")
            .expect("free, so taken");
        // The first step of giving the lock back: the file no longer names the reader, the
        // lock is still held (`release_writer` empties the file before it unlocks).
        reader
            .writer
            .as_ref()
            .expect("held")
            .set_len(0)
            .expect("emptied");
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(reader);
        });
        let mut writer = ShopLock::new(&db).expect("lock");
        let taken = writer.take_writer("2026-03-01 12:00:01", Duration::ZERO);
        releaser.join().expect("join");
        assert!(
            taken.is_ok(),
            "the writer waits while the lock changes hands: {taken:?}"
        );
    }

    #[test]
    fn a_checked_file_is_not_checked_again_that_day_unless_it_changed() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.sqlite");
        std::fs::write(&db, b"the shop").expect("db");
        let take = || {
            let mut lock = ShopLock::new(&db).expect("lock");
            lock.take_writer("2026-03-01 12:00:00", Duration::ZERO)
                .expect("writer");
            lock
        };
        let mut first = take();
        assert!(!first.checked_today("2026-03-01"), "never checked");
        first.note_verified("2026-03-01");
        drop(first);
        // A reader that held the writer lock in between keeps the note.
        let mut reader = ShopLock::new(&db).expect("lock");
        reader
            .take_writer_to_read("2026-03-01 12:01:00")
            .expect("free");
        drop(reader);
        let second = take();
        assert!(second.checked_today("2026-03-01"));
        assert!(!second.checked_today("2026-03-02"), "once a day");
        drop(second);
        // Anything else that changes the file makes the next writer check it.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&db, b"the shop, changed").expect("change");
        assert!(!take().checked_today("2026-03-01"));
    }
}
