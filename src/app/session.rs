//! Opening a shop file: the one policy the window and the command line share.
//!
//! [`open_shop`] takes the file's locks (see `store::lock`), checks that a write-ahead log next
//! to it is its own before SQLite sees it, opens the store read-write or read-only, refuses
//! writes into a damaged file, and writes the first backup of the day:
//!
//! - Every open copy holds the shared open lock for as long as it has the file open.
//! - A copy that asks to write takes the writer lock. When another copy holds it, this copy
//!   opens the file read-only and [`Session::read_only`] names the owner: the window asks what
//!   to do, a writing command refuses (or, with `--ignore-lock`, runs read-only).
//! - A reading command takes the writer lock too when it is free (it may create, update or keep
//!   KPI rollups in a file nobody else writes), without waiting; otherwise it reads read-only,
//!   and a read-only store never writes.
//! - A file that cannot be written (write-protected file or folder) opens read-only.
//! - A writer checks the file with SQLite's quick check first: a damaged file opens read-only,
//!   with the way out (restore a backup, naming the newest).
//! - An existing file of zero bytes is not silently made into a new shop (only an explicit
//!   "new shop file" may do that, [`Create::AlsoEmpty`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Clock;
use super::backup::{RestoreReport, daily_backup_if_due, restore};
use crate::store::backup::{BackupFile, damaged};
use crate::store::lock::{Entry, HeldLock, LockError, NotWriter, ReplaceRefused, ShopLock};
use crate::store::{OpenOptions, Store, StoreError, wal};

/// What the opening copy means to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Change it: take the writer lock (waiting [`OpenRequest::wait_for_writer`]).
    Write,
    /// Read it: take the writer lock only when it is free, else read-only.
    Read,
    /// Read-only, chosen by the shop owner: never the writer lock.
    ReadOnly,
}

/// When a new shop may be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Only where no file exists: an existing empty file is refused.
    IfMissing,
    /// Also in an existing empty file (File > New shop file… chose it).
    AlsoEmpty,
}

/// The first backup of the day (and, for a writer, the damage check before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailyBackup {
    /// Checked and written while opening (the backup when due).
    Now,
    /// Left to the caller, who runs [`checks_after_open`] on a worker thread and holds changes
    /// back until it is done (a large file in the window, which opens at once).
    Later,
    /// Not written (reading commands).
    No,
}

/// How to open a shop.
#[derive(Debug)]
pub struct OpenRequest {
    pub path: PathBuf,
    pub access: Access,
    pub create: Create,
    /// How long a writer waits for another copy to give the writer lock back.
    pub wait_for_writer: Duration,
    pub daily_backup: DailyBackup,
    pub clock: Clock,
    /// The locks this copy already holds on the file (the window reopening it after a
    /// restore): kept instead of taken again.
    pub lock: Option<ShopLock>,
}

impl OpenRequest {
    /// Opens an existing file or makes a new one where none is; a writer writes the daily
    /// backup and does not wait for another writer.
    pub fn new(path: &Path, access: Access, clock: Clock) -> Self {
        Self {
            path: path.to_owned(),
            access,
            create: Create::IfMissing,
            wait_for_writer: Duration::ZERO,
            daily_backup: if access == Access::Write {
                DailyBackup::Now
            } else {
                DailyBackup::No
            },
            clock,
            lock: None,
        }
    }
}

/// How long an opening copy waits while another copy restores or opens the file.
pub const OPEN_WAIT: Duration = Duration::from_secs(10);

/// How long a writing command waits for another copy's writer lock (as long as SQLite waits
/// for another writer's transaction).
pub const COMMAND_WRITER_WAIT: Duration = Duration::from_secs(5);

/// Why a shop is open read-only.
#[derive(Debug, Clone)]
pub enum ReadOnlyReason {
    /// The shop owner chose read-only.
    Chosen,
    /// Another copy writes to it.
    InUse(HeldLock),
    /// The file or its folder cannot be written.
    NotWritable(String),
    /// The file is damaged: nothing more is written into it (the message has the way out).
    Damaged(String),
}

impl ReadOnlyReason {
    /// The sentence for the status line or stderr.
    pub fn message(&self, path: &Path) -> String {
        let name = file_name(path);
        match self {
            Self::Chosen => format!("{name} is open read-only."),
            Self::InUse(held) => held.message(path),
            Self::NotWritable(detail) => format!("{name} cannot be written ({detail})."),
            Self::Damaged(message) => message.clone(),
        }
    }
}

/// The first backup of the day, as opening left it.
#[derive(Debug)]
pub enum DailyBackupOutcome {
    /// Not due (one was made today), not a writer, or a new file.
    NotDue,
    Written(BackupFile),
    Failed(String),
    /// Left to the caller with the damage check ([`DailyBackup::Later`]).
    Later,
}

/// What [`checks_after_open`] found.
#[derive(Debug)]
pub enum AfterOpen {
    /// The file is damaged: the message, with the way out. Nothing more may be written.
    Damaged(String),
    /// Sound; the daily backup as it went.
    Sound(DailyBackupOutcome),
}

/// The checks a writer runs after opening, when [`DailyBackup::Later`] left them to a worker:
/// SQLite's quick check (unless `checked_today`: see `ShopLock::checked_today`), then the first
/// backup of the day.
pub fn checks_after_open(
    store: &Store,
    clock: &Clock,
    checked_today: bool,
) -> Result<AfterOpen, StoreError> {
    let problems = if checked_today {
        Vec::new()
    } else {
        store.quick_check()?
    };
    if !problems.is_empty() {
        return Ok(AfterOpen::Damaged(
            damaged(store.path(), &problems.join("; ")).to_string(),
        ));
    }
    Ok(AfterOpen::Sound(match daily_backup_if_due(store, clock) {
        Ok(Some(backup)) => DailyBackupOutcome::Written(backup),
        Ok(None) => DailyBackupOutcome::NotDue,
        Err(error) => DailyBackupOutcome::Failed(error.to_string()),
    }))
}

/// An open shop with its locks. The store is closed before the locks are given back.
#[derive(Debug)]
pub struct Session {
    pub store: Store,
    pub lock: Option<ShopLock>,
    /// `None` when this copy writes.
    pub read_only: Option<ReadOnlyReason>,
    pub daily_backup: DailyBackupOutcome,
    /// The file was made by this open.
    pub created: bool,
}

impl std::ops::Deref for Session {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Session {
    /// True when this copy may change the shop.
    pub fn is_writer(&self) -> bool {
        self.read_only.is_none()
    }

    /// The file this session has open.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Runs `work` while no other copy has the file open (a repair): the shared lock becomes
    /// the exclusive one for the time of it.
    pub fn exclusively<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> T,
    ) -> Result<T, ReplaceRefused> {
        let store = &mut self.store;
        match &mut self.lock {
            Some(lock) => lock.exclusively(|| work(store)),
            // No lock file can exist next to the file: nobody can write there either.
            None => Ok(work(store)),
        }
    }
}

/// Why a shop was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Lock(#[from] LockError),
}

/// Opens a shop file by the policy above.
#[expect(
    clippy::too_many_lines,
    reason = "the open policy in the order it applies (lock, stale lock, read-only fallback, checks, backups), read top to bottom"
)]
pub fn open_shop(mut request: OpenRequest) -> Result<Session, OpenError> {
    let path = request.path.clone();
    let metadata = std::fs::metadata(&path).ok();
    if metadata.as_ref().is_some_and(std::fs::Metadata::is_dir) {
        return Err(StoreError::Io {
            path,
            error: std::io::Error::from(std::io::ErrorKind::IsADirectory),
        }
        .into());
    }
    let length = metadata.as_ref().map(std::fs::Metadata::len);
    if length.is_none() && request.access == Access::ReadOnly {
        return Err(StoreError::Io {
            path,
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        }
        .into());
    }
    if length == Some(0) && request.create == Create::IfMissing && !log_has_commits(&path) {
        return Err(StoreError::Empty { path }.into());
    }
    if length.is_none()
        && let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).map_err(|error| StoreError::Io {
            path: path.clone(),
            error,
        })?;
    }

    let mut read_only = (request.access == Access::ReadOnly).then_some(ReadOnlyReason::Chosen);
    let mut lock = match request.lock.take() {
        Some(lock) => Some(lock),
        None => match ShopLock::new(&path) {
            Ok(lock) => Some(lock),
            // No lock file can be made: the folder is read-only, so nobody writes there.
            Err(LockError::Unavailable { .. }) => {
                read_only.get_or_insert(ReadOnlyReason::NotWritable(
                    "its folder cannot be written".to_owned(),
                ));
                None
            }
            Err(error) => return Err(error.into()),
        },
    };
    if read_only.is_none()
        && let Some(lock) = &mut lock
    {
        let since = request.clock.now_text();
        let taken = match request.access {
            Access::Write => lock.take_writer(&since, request.wait_for_writer),
            _ => lock.take_writer_to_read(&since),
        };
        match taken {
            Ok(()) => {}
            Err(NotWriter::Held(held)) => read_only = Some(ReadOnlyReason::InUse(held)),
            Err(NotWriter::Unavailable(LockError::Unavailable { .. })) => {
                read_only = Some(ReadOnlyReason::NotWritable(
                    "its folder cannot be written".to_owned(),
                ));
            }
            Err(NotWriter::Unavailable(error)) => return Err(error.into()),
        }
    }
    // Waits while another copy restores or opens the file; alone, this copy opens it under the
    // exclusive lock.
    let entry = match &mut lock {
        Some(lock) => Some(lock.enter(OPEN_WAIT)?),
        None => None,
    };
    if entry != Some(Entry::Shared) {
        check_log(&path)?;
    }
    let opened = open_store(&path, &mut read_only, request.clock);
    if read_only.is_some()
        && !matches!(read_only, Some(ReadOnlyReason::Damaged(_)))
        && let Some(lock) = &mut lock
    {
        lock.release_writer();
    }
    if let Some(lock) = &mut lock {
        lock.share(OPEN_WAIT)?;
    }
    let mut store = opened?;

    // Nothing more is written into a damaged file. The writer lock is kept: this copy may still
    // restore a backup over it.
    let existed = length.is_some_and(|length| length > 0);
    let later = request.daily_backup == DailyBackup::Later && existed;
    // The pages are read once a day and after anything else changed the file (see
    // `ShopLock::checked_today`).
    let today = request.clock.today().to_string();
    if read_only.is_none() && request.access == Access::Write && !later {
        let checked = lock.as_ref().is_some_and(|lock| lock.checked_today(&today));
        let problems = if checked {
            Vec::new()
        } else {
            store.quick_check()?
        };
        if problems.is_empty() {
            if let Some(lock) = &mut lock {
                lock.note_verified(&today);
            }
        } else {
            store.refuse_writes()?;
            let message = damaged(&path, &problems.join("; ")).to_string();
            read_only = Some(ReadOnlyReason::Damaged(message));
        }
    }
    let daily_backup = if read_only.is_some() || !existed {
        DailyBackupOutcome::NotDue
    } else {
        match request.daily_backup {
            DailyBackup::No => DailyBackupOutcome::NotDue,
            DailyBackup::Later => DailyBackupOutcome::Later,
            DailyBackup::Now => match daily_backup_if_due(&store, &request.clock) {
                Ok(Some(backup)) => DailyBackupOutcome::Written(backup),
                Ok(None) => DailyBackupOutcome::NotDue,
                Err(error) => DailyBackupOutcome::Failed(error.to_string()),
            },
        }
    };
    Ok(Session {
        store,
        lock,
        read_only,
        daily_backup,
        created: !existed,
    })
}

/// Opens the store read-write when this copy writes, else read-only; a file that turns out not
/// to be writable is opened read-only and says why.
fn open_store(
    path: &Path,
    read_only: &mut Option<ReadOnlyReason>,
    clock: Clock,
) -> Result<Store, StoreError> {
    let damaged_instead = |error: StoreError| match error {
        StoreError::Corrupt { path, detail } => damaged(&path, &detail),
        other => other,
    };
    if read_only.is_some() {
        return Store::open_read_only(path).map_err(damaged_instead);
    }
    let options = OpenOptions {
        read_only: false,
        now: Some(clock.now()),
    };
    match Store::open_with(path, options) {
        Ok(store) if store.is_read_only() => {
            *read_only = Some(ReadOnlyReason::NotWritable(
                "the file is write-protected".to_owned(),
            ));
            Ok(store)
        }
        Ok(store) => Ok(store),
        Err(StoreError::ReadOnly { detail, .. }) if path.exists() => {
            *read_only = Some(ReadOnlyReason::NotWritable(detail));
            Store::open_read_only(path).map_err(damaged_instead)
        }
        Err(error) => Err(damaged_instead(error)),
    }
}

/// True when the file's write-ahead log holds committed changes (then an empty file is not
/// empty: its first pages are in the log).
fn log_has_commits(path: &Path) -> bool {
    wal::wal_has_commits(path)
}

/// Refuses a write-ahead log that belongs to another file, before SQLite replays it.
fn check_log(path: &Path) -> Result<(), StoreError> {
    match wal::check_wal(path) {
        Ok(wal::WalState::Foreign { reason }) => Err(StoreError::ForeignWal {
            path: path.to_owned(),
            wal: wal::wal_path(path),
            reason,
        }),
        Ok(_) => Ok(()),
        Err(error) => Err(StoreError::Io {
            path: wal::wal_path(path),
            error,
        }),
    }
}

/// Why a restore did not run.
#[derive(Debug, thiserror::Error)]
pub enum RestoreRefused {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    InUse(#[from] ReplaceRefused),
}

/// Restores `backup` over the shop at `path` from a copy that does not have the shop open (the
/// command line): it takes the writer lock (waiting `wait_for_writer`) and then the exclusive
/// lock, so it runs only while no other copy — writing or reading — has the file open. The shop
/// itself is not opened first: it may be damaged, which is why a backup is restored.
pub fn restore_shop(
    path: &Path,
    backup: &Path,
    clock: &Clock,
    wait_for_writer: Duration,
) -> Result<RestoreReport, RestoreRefused> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|error| StoreError::Io {
            path: path.to_owned(),
            error,
        })?;
    }
    let mut lock = ShopLock::new(path)?;
    match lock.take_writer(&clock.now_text(), wait_for_writer) {
        Ok(()) => {}
        Err(NotWriter::Held(held)) => {
            return Err(ReplaceRefused::Writer(held.message(path)).into());
        }
        Err(NotWriter::Unavailable(error)) => return Err(error.into()),
    }
    match lock.enter(OPEN_WAIT)? {
        Entry::Alone => Ok(restore(path, backup, clock)?),
        Entry::Shared => Err(ReplaceRefused::OpenElsewhere {
            name: file_name(path),
        }
        .into()),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
