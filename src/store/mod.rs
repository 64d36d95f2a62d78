//! The SQLite store: one file is the whole shop.
//!
//! Opening checks the file before anything is written: a file that is not SQLite, a SQLite file
//! of another program, a corrupt file, a file written by a newer version and a file whose tables
//! do not match the version it claims are all refused with a clear message and left untouched.
//! Who may open a file for writing, and whether a write-ahead log next to it belongs to it, is
//! decided before a store is opened (`app::session::open_shop`, with [`lock`] and [`wal`]).

pub mod abc;
pub mod backup;
pub mod batches;
pub mod bulk;
pub mod check;
pub mod codec;
pub mod demo;
pub mod imports;
pub mod kpi;
pub mod kpi_rollup;
pub mod ledger;
pub mod legal;
pub mod lock;
pub mod messages;
pub mod orders;
pub mod picklist;
pub mod practice;
pub mod products;
pub mod promises;
pub mod purchasing;
pub mod rows;
pub mod safety;
mod schema;
pub mod settings;
pub mod shop_orders;
pub mod undo;
pub mod wal;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{MAIN_DB, OpenFlags, TransactionBehavior, ffi::ErrorCode};
use thiserror::Error;

/// The connection the store's functions take: a [`Transaction`] derefs to it, so a service
/// composes several of them in one transaction. Services hold it; only `store` runs SQL on it.
pub use rusqlite::{Connection, Transaction};

pub use bulk::BulkWriter;
pub use products::{CatalogRow, DeleteOutcome, LedgerMismatch, Movement, ProductRecord};
pub use schema::{APPLICATION_ID, BULK_ORDER_INDEXES, KPI_TRIGGER_PREFIX, latest_version};

/// Identifies a product row (defined with the other ids in `domain::ids`).
pub use crate::domain::ids::ProductId;

/// Every message says what is wrong, what was left unchanged and what to do. None carries an
/// error source: the message is the whole text (a source would be printed again after it).
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "'{path}' is not a Backorder Desk database (it is not an SQLite file). It was not changed."
    )]
    NotSqlite { path: PathBuf },
    #[error(
        "'{path}' is an SQLite database of another program, not a Backorder Desk shop. It was not changed."
    )]
    ForeignDatabase { path: PathBuf },
    #[error(
        "'{path}' is damaged and cannot be read ({detail}). It was not changed; restore a backup or open another file."
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "'{path}' was written by a newer version of Backorder Desk (database version {found}; this version reads up to {supported}). Update the app to open it; the file was not changed."
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "'{path}' says it is database version {version}, but {detail}. It was not changed and no update was tried; restore a backup (or open another file)."
    )]
    SchemaMismatch {
        path: PathBuf,
        version: i64,
        detail: String,
    },
    #[error(
        "'{path}' was written by an older version of Backorder Desk and must be updated before this version can read it, which a read-only file cannot be. Open it normally once (not read-only); the file was not changed."
    )]
    NeedsUpdate { path: PathBuf },
    #[error(
        "'{path}' must be updated to this version of Backorder Desk, and a backup is written first, but {detail}. The file was not changed. Free some disk space or make the folder writable, then open it again."
    )]
    NoBackupBeforeUpdate { path: PathBuf, detail: String },
    #[error("no backup could be written in '{folder}': {detail}")]
    BackupFailed { folder: PathBuf, detail: String },
    #[error("{}", io_message(path, error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "'{path}' is read-only or its folder cannot be written ({detail}). Open it read-only, or copy it to a folder you can write to."
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "'{path}' is empty (0 bytes), so it is not a shop file. It was not changed. Open another file, or delete this one (or choose it as a new shop file) to start a new shop there."
    )]
    Empty { path: PathBuf },
    #[error(
        "The write-ahead log '{wal}' does not belong to '{path}' ({reason}): opening the shop would merge another file's changes into it. Neither file was changed. Move '{wal}' out of this folder (keep it until you know where it came from), then open the shop again."
    )]
    ForeignWal {
        path: PathBuf,
        wal: PathBuf,
        reason: String,
    },
    #[error("{}", damaged_message(path, detail, newest.as_deref()))]
    Damaged {
        path: PathBuf,
        detail: String,
        /// The newest backup, the way out.
        newest: Option<PathBuf>,
    },
    #[error(
        "'{path}' cannot be used because the disk is full (SQLite needs a little room next to the file even to read it). Nothing was changed. Free some disk space and try again."
    )]
    DiskFull { path: PathBuf },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How long a statement waits for another connection's write to finish.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open shop file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// The private copy this store reads instead of `path` (a read-only folder with a
    /// write-ahead log): removed when the last store reading it closes, after `conn`.
    snapshot: Option<Arc<Snapshot>>,
    /// Counts the open stores of one window (see [`StoreOpener::open_stores`]).
    counted: Counted,
    /// The next write transaction writes an undo point with this label (see [`undo`]).
    undo_label: Option<(String, String)>,
    /// The undo point the last recorded transaction wrote.
    undo_written: Option<i64>,
}

/// How [`Store::open_with`] opens a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Open with SQLite's read-only flags: nothing can be written, nothing is migrated.
    pub read_only: bool,
    /// The time written into the name of the backup made before a migration (default: the
    /// computer's clock).
    pub now: Option<NaiveDateTime>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// A private folder holding a copy of a shop (and its log), removed when dropped.
#[derive(Debug)]
struct Snapshot {
    folder: PathBuf,
    db: PathBuf,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

impl Snapshot {
    /// A new empty private folder in the system's temporary folder.
    fn folder_for(path: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = path
            .file_name()
            .map_or_else(|| "shop.sqlite".into(), std::ffi::OsStr::to_os_string);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        loop {
            let folder = std::env::temp_dir().join(format!(
                "backorder-desk-{}-{stamp}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::create_dir(&folder) {
                Ok(()) => {
                    let db = folder.join(&name);
                    return Ok((folder, db));
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// Copies a shop file and its write-ahead log into a private folder.
    fn copy_of(path: &Path) -> std::io::Result<Self> {
        let (folder, db) = Self::folder_for(path)?;
        let snapshot = Self { folder, db };
        std::fs::copy(path, &snapshot.db)?;
        let wal = wal::wal_path(path);
        if wal.exists() {
            std::fs::copy(&wal, wal::wal_path(&snapshot.db))?;
        }
        Ok(snapshot)
    }
}

/// One more open store of a family; one less when dropped.
#[derive(Debug)]
struct Counted(Arc<AtomicUsize>);

impl Counted {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(count))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Opens more stores on the same file in the same mode as the store it came from: the window's
/// worker threads use it, so that a read-only window's workers read only too. Every store it
/// opens is counted, so the window can wait for them before the file is replaced.
#[derive(Debug, Clone)]
pub struct StoreOpener {
    path: PathBuf,
    read_only: bool,
    snapshot: Option<Arc<Snapshot>>,
    count: Arc<AtomicUsize>,
}

impl StoreOpener {
    /// Another connection: read-only when the store it came from is, else read and write.
    pub fn open(&self) -> Result<Store> {
        let mut store = match &self.snapshot {
            Some(snapshot) => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(&snapshot.db, flags)
                    .map_err(|error| classify(&self.path, error))?;
                let store = Store::from_connection(conn, &self.path, true);
                store.configure_read_only()?;
                Store {
                    snapshot: Some(Arc::clone(snapshot)),
                    ..store
                }
            }
            None if self.read_only => Store::open_read_only(&self.path)?,
            None => Store::open(&self.path)?,
        };
        store.counted = Counted::new(&self.count);
        Ok(store)
    }

    /// A read-only connection, whatever the mode (for checks).
    pub fn open_read_only(&self) -> Result<Store> {
        if self.snapshot.is_some() || self.read_only {
            return self.open();
        }
        let mut store = Store::open_read_only(&self.path)?;
        store.counted = Counted::new(&self.count);
        Ok(store)
    }

    /// The file the stores read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// How many stores of this family are open now (the first one included).
    pub fn open_stores(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// The page cache of a connection, KiB.
const CACHE_KIB: i64 = 32_768;
/// The page cache during a large import, KiB.
const BULK_CACHE_KIB: i64 = 262_144;

impl Store {
    fn from_connection(conn: Connection, path: &Path, read_only: bool) -> Self {
        Self {
            conn,
            path: path.to_owned(),
            read_only,
            snapshot: None,
            counted: Counted::new(&Arc::new(AtomicUsize::new(0))),
            undo_label: None,
            undo_written: None,
        }
    }

    /// Opens (or creates) the shop file at `path` and brings its schema up to date (after a
    /// backup into `backups/` when an existing file is updated).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, OpenOptions::default())
    }

    /// Opens (or creates) a scratch shop file that nobody needs after a crash (the simulator's):
    /// as [`Self::open`], without waiting for the disk at each commit.
    pub fn open_scratch(path: &Path) -> Result<Self> {
        let store = Self::open(path)?;
        store.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(store)
    }

    /// Opens an existing shop file with SQLite's read-only flags.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Self::open_with(
            path,
            OpenOptions {
                read_only: true,
                now: None,
            },
        )
    }

    pub fn open_with(path: &Path, options: OpenOptions) -> Result<Self> {
        check_header(path)?;
        if options.read_only {
            return Self::open_read_only_inner(path);
        }
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|error| StoreError::Io {
                path: path.to_owned(),
                error,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|error| classify(path, error))?;
        // SQLite opens a write-protected file for reading only, silently.
        let read_only = conn
            .is_readonly(MAIN_DB)
            .map_err(|error| classify(path, error))?;
        let mut store = Self::from_connection(conn, path, read_only);
        store.check_identity()?;
        if read_only {
            store.configure_read_only()?;
            if store.schema_version()? < latest_version() {
                return Err(StoreError::NeedsUpdate {
                    path: path.to_owned(),
                });
            }
            return Ok(store);
        }
        store.configure()?;
        store.migrate(options.now)?;
        Ok(store)
    }

    fn open_read_only_inner(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(StoreError::Io {
                path: path.to_owned(),
                error: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|error| classify(path, error))?;
        let mut store = Self::from_connection(conn, path, true);
        if let Err(StoreError::ReadOnly { .. }) = store.check_identity() {
            // A write-ahead-log file in a folder that cannot be written: SQLite cannot make its
            // shared-memory file. Committed changes still in the log must be read too: the file
            // and its log are read from a private copy. Without a log, the file is all there is.
            let state = wal::check_wal(path).map_err(|error| StoreError::Io {
                path: wal::wal_path(path),
                error,
            })?;
            store.conn = match state {
                wal::WalState::Empty => Connection::open_with_flags(
                    immutable_uri(path),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|error| classify(path, error))?,
                wal::WalState::Foreign { reason } => {
                    return Err(StoreError::ForeignWal {
                        path: path.to_owned(),
                        wal: wal::wal_path(path),
                        reason,
                    });
                }
                wal::WalState::Belongs { .. } => {
                    let snapshot = Snapshot::copy_of(path).map_err(|error| {
                        StoreError::Invalid(format!(
                            "'{}' is in a folder that cannot be written and its write-ahead log holds changes not yet in the file; reading both needs a private copy, which could not be made ({}). Nothing was changed. Free some space in the temporary folder, or copy the shop file and its '-wal' file to a folder you can write to.",
                            path.display(),
                            io_detail(&error)
                        ))
                    })?;
                    // The tables the log changes are checked on the copy (where SQLite can make
                    // its shared-memory file), as the session checks them elsewhere.
                    if let Ok(wal::WalState::Foreign { reason }) = wal::check_wal(&snapshot.db) {
                        return Err(StoreError::ForeignWal {
                            path: path.to_owned(),
                            wal: wal::wal_path(path),
                            reason,
                        });
                    }
                    let conn = Connection::open_with_flags(&snapshot.db, flags)
                        .map_err(|error| classify(path, error))?;
                    store.snapshot = Some(Arc::new(snapshot));
                    conn
                }
            };
        }
        store.check_identity()?;
        store.configure_read_only()?;
        let version = store.schema_version()?;
        if version == 0 {
            return Err(StoreError::Invalid(format!(
                "'{}' holds no shop yet; a read-only file cannot be set up",
                path.display()
            )));
        }
        if version < latest_version() {
            return Err(StoreError::NeedsUpdate {
                path: path.to_owned(),
            });
        }
        Ok(store)
    }

    /// True when nothing can be written through this store (opened read-only, or the file is
    /// write-protected, or writes were refused after it was opened).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// From now on nothing is written through this store (a damaged file): SQLite refuses every
    /// write of this connection, and stores opened with [`Self::opener`] are read-only.
    pub fn refuse_writes(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "query_only", "ON")?;
        self.read_only = true;
        Ok(())
    }

    /// Opens more stores on this file in this store's mode (for worker threads).
    pub fn opener(&self) -> StoreOpener {
        StoreOpener {
            path: self.path.clone(),
            read_only: self.read_only,
            snapshot: self.snapshot.clone(),
            count: Arc::clone(&self.counted.0),
        }
    }

    /// A writable copy of this shop in a private temporary folder, removed when the copy is
    /// dropped: a dry run on a read-only shop works there and writes nothing to the shop.
    pub fn private_copy(&self) -> Result<Store> {
        let failed = |detail: String| {
            StoreError::Invalid(format!(
                "A dry run of a read-only shop works on a private copy, which could not be made ({detail}). Nothing was changed."
            ))
        };
        let (folder, db) = Snapshot::folder_for(&self.path).map_err(|e| failed(io_detail(&e)))?;
        let snapshot = Snapshot { folder, db };
        backup::copy_database(&self.conn, &snapshot.db).map_err(|e| failed(e.to_string()))?;
        let mut copy = Store::open(&snapshot.db)?;
        copy.snapshot = Some(Arc::new(snapshot));
        Ok(copy)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Direct access for the other store modules and for tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn check_identity(&self) -> Result<()> {
        check_identity(&self.conn, &self.path).map(|_| ())
    }

    fn configure_read_only(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "query_only", "ON")?;
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        Ok(())
    }

    /// `PRAGMA quick_check`: the problems it lists (at most 20), empty when the file's pages and
    /// records are sound. Reads every page once: about a second for 350 MB.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut statement = self.conn.prepare("PRAGMA quick_check(20)")?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            rows.collect()
        };
        match run() {
            Ok(rows) => Ok(rows.into_iter().filter(|line| line != "ok").collect()),
            Err(error) if is_damage(&error) => Ok(vec![damage_words(&error)]),
            Err(error) => Err(classify(&self.path, error)),
        }
    }

    /// Prepares the connection for one large load, before its transaction begins:
    /// - a page cache large enough for the pages the load writes (256 MB; with the usual 32 MB a
    ///   million-line import spilled pages mid-transaction and read them back for the random
    ///   product lookups);
    /// - foreign keys not enforced row by row (SQLite only switches them outside a transaction).
    ///   The load must check the references it wrote itself before committing (the order import
    ///   does, with a few set-based queries: see `store::imports::check_imported_references`).
    ///   Measured on a million order lines: the two parent lookups per line and one per order
    ///   cost about 1.7 s.
    ///
    /// [`Self::end_bulk_load`] gives both back.
    pub fn begin_bulk_load(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        Ok(())
    }

    /// The usual page cache and foreign-key enforcement again after a large load (called on
    /// every way out of an import, whether it loaded much or not).
    pub fn end_bulk_load(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|error| classify(&self.path, error))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                detail: format!("journal mode stayed '{mode}'"),
            });
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 32 MB of page cache: the catalog and KPI aggregates re-read the same pages.
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        Ok(())
    }

    fn migrate(&mut self, now: Option<NaiveDateTime>) -> Result<()> {
        let latest = latest_version();
        let found = self.schema_version()?;
        if found >= latest {
            return Ok(());
        }
        let path = self.path.clone();
        // A file whose tables are not those of the version it claims is not touched: running
        // the missing migrations on it would fail half-way or break it.
        self.check_schema_matches(found)?;
        // An existing shop is backed up before its schema changes; without a backup, nothing is
        // migrated.
        if found > 0 {
            let now = now.unwrap_or_else(|| chrono::Local::now().naive_local());
            self.write_backup(crate::domain::backup::BackupReason::Migration, now)
                .map_err(|error| StoreError::NoBackupBeforeUpdate {
                    path: path.clone(),
                    detail: match error {
                        StoreError::BackupFailed { folder, detail } => format!(
                            "no backup could be written in '{}' ({detail})",
                            folder.display()
                        ),
                        other => other.to_string(),
                    },
                })?;
        }
        // Immediate: a second process opening the same old file waits here, then sees the
        // version the first one wrote and migrates nothing twice.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| classify(&path, error))?;
        let current: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|error| classify(&path, error))?;
        if current >= latest {
            return Ok(());
        }
        for (index, sql) in schema::MIGRATIONS.iter().enumerate() {
            let version = index as i64 + 1;
            if version > current {
                tx.execute_batch(sql).map_err(|error| {
                    StoreError::Invalid(format!(
                        "'{}' could not be updated to this version (step {version}: {}). The file was not changed; restore a backup or open another file.",
                        path.display(),
                        sqlite_words(&error)
                    ))
                })?;
            }
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", latest)?;
        tx.commit().map_err(|error| classify(&path, error))?;
        Ok(())
    }

    /// Refuses a file whose tables, indexes and triggers are not those its version number says:
    /// an object of that version is missing, or one that only later versions make is there.
    fn check_schema_matches(&self, version: i64) -> Result<()> {
        let mismatch = |detail: String| StoreError::SchemaMismatch {
            path: self.path.clone(),
            version,
            detail,
        };
        if version < 0 || version > latest_version() {
            return Err(mismatch(
                "no version of Backorder Desk has that number".into(),
            ));
        }
        let found = schema_objects(&self.conn).map_err(|error| classify(&self.path, error))?;
        let expected = schema::objects_at(version);
        let missing: Vec<&String> = expected
            .iter()
            .filter(|name| !found.contains(*name))
            .collect();
        let later: Vec<&String> = schema::all_objects()
            .iter()
            .filter(|name| !expected.contains(*name) && found.contains(*name))
            .collect();
        let list = |names: &[&String]| {
            let mut text: Vec<String> = names.iter().take(5).map(|n| (*n).clone()).collect();
            if names.len() > 5 {
                text.push(format!("and {} more", names.len() - 5));
            }
            text.join(", ")
        };
        match (missing.is_empty(), later.is_empty()) {
            (true, true) => Ok(()),
            (false, _) => Err(mismatch(format!(
                "{} of its tables, indexes and triggers are missing ({})",
                missing.len(),
                list(&missing)
            ))),
            (true, false) => Err(mismatch(format!(
                "it has {} that only later versions make ({})",
                if later.len() == 1 {
                    "an object".to_owned()
                } else {
                    format!("{} objects", later.len())
                },
                list(&later)
            ))),
        }
    }

    /// Runs `work` in one transaction: all of it is written, or none. Write transactions take
    /// SQLite's write lock when they begin (waiting up to the busy timeout for another writer),
    /// so a change read and written in one transaction never loses to a concurrent one.
    pub fn in_transaction<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.in_transaction_with(work)
    }

    /// A transaction the caller commits, or drops to write nothing.
    pub fn transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.write_transaction()?)
    }

    fn write_transaction(&mut self) -> rusqlite::Result<rusqlite::Transaction<'_>> {
        if self.read_only {
            // A read-only connection cannot take the write lock; let the first write fail with
            // SQLite's own read-only error instead.
            self.conn.transaction()
        } else {
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
        }
    }

    /// [`Self::in_transaction`] for work with its own error type (any error a store error
    /// converts into: SQLite's own errors become a [`StoreError`] here, in one place).
    pub fn in_transaction_with<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let recording = self.undo_label.take();
        let tx = self.write_transaction().map_err(StoreError::from)?;
        let start = match &recording {
            Some(_) => Some(undo::begin(&tx)?),
            None => None,
        };
        let value = work(&tx)?;
        let written = match (start, &recording) {
            (Some(start), Some((label, at))) => undo::finish_capture(&tx, start, label, at)?,
            _ => None,
        };
        tx.commit().map_err(StoreError::from)?;
        if recording.is_some() {
            self.undo_written = written;
        }
        Ok(value)
    }

    /// The next write transaction records an undo point named `label` (made at `at`): what
    /// it changes can be taken back with [`undo`]. One transaction only; see
    /// [`Self::stop_recording`].
    pub fn record_undo_point(&mut self, label: &str, at: &str) {
        self.undo_label = Some((label.to_owned(), at.to_owned()));
        self.undo_written = None;
    }

    /// Ends [`Self::record_undo_point`] (when the action wrote nothing, nothing is recorded).
    /// Returns the point written, if any.
    pub fn stop_recording(&mut self) -> Option<i64> {
        self.undo_label = None;
        self.undo_written.take()
    }

    /// `PRAGMA integrity_check`: `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: result,
            })
        }
    }
}

/// `file:PATH?immutable=1`, with the characters a URI reserves escaped.
pub(crate) fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for ch in path.to_string_lossy().chars() {
        match ch {
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            '%' => uri.push_str("%25"),
            _ => uri.push(ch),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Writes a shop file at an older schema `version` (the first `version` migrations only), as an
/// older release would have left it. For tests of updates and their backups.
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: i64) -> Result<()> {
    let mut conn = Connection::open(path).map_err(|error| classify(path, error))?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
        row.get::<_, String>(0)
    })?;
    let tx = conn.transaction()?;
    for sql in schema::MIGRATIONS.iter().take(version.max(0) as usize) {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// Names of the tables, indexes and triggers of a database (not SQLite's own).
pub(crate) fn schema_objects(conn: &Connection) -> rusqlite::Result<BTreeSet<String>> {
    let mut statement = conn.prepare(
        "SELECT type || ' ' || name FROM sqlite_schema
          WHERE type IN ('table', 'index', 'trigger', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

/// Schema objects as the file holds them, saved before a large load drops them: each name with
/// the statement that creates it again, in the order the file made them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedSchema(Vec<(String, String)>);

impl SavedSchema {
    /// The names and statements, in creation order.
    pub fn objects(&self) -> &[(String, String)] {
        &self.0
    }
}

/// Reads the statements of the indexes or triggers (`kind`) that `keep` selects by name, then
/// drops them. [`recreate_objects`] makes them again from exactly that text.
pub(crate) fn drop_objects(
    conn: &Connection,
    kind: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<SavedSchema> {
    let mut statement = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = ?1 AND sql IS NOT NULL ORDER BY rowid",
    )?;
    let objects: Vec<(String, String)> = statement
        .query_map([kind], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        .into_iter()
        .filter(|(name, _)| keep(name))
        .collect();
    for (name, _) in &objects {
        conn.execute_batch(&format!(
            "DROP {kind} IF EXISTS \"{}\"",
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(SavedSchema(objects))
}

/// Creates objects dropped by [`drop_objects`] again.
pub(crate) fn recreate_objects(conn: &Connection, saved: &SavedSchema) -> Result<()> {
    for (_, sql) in &saved.0 {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

/// Refuses a foreign database and one written by a newer version; returns the schema version.
fn check_identity(conn: &Connection, path: &Path) -> Result<i64> {
    let read = || -> rusqlite::Result<(i64, i64, i64)> {
        let app_id: i64 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let objects: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
        Ok((app_id, version, objects))
    };
    let (app_id, version, objects) = read().map_err(|error| classify(path, error))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }
    if app_id == 0 && objects > 0 {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }
    if version > latest_version() {
        return Err(StoreError::NewerVersion {
            path: path.to_owned(),
            found: version,
            supported: latest_version(),
        });
    }
    Ok(version)
}

/// Refuses a file whose first bytes are not SQLite's header, and a folder. An empty or missing
/// file is fine here (it becomes a new shop; whether an empty file may is the caller's choice).
fn check_header(path: &Path) -> Result<()> {
    let io = |error: std::io::Error| StoreError::Io {
        path: path.to_owned(),
        error,
    };
    if path.is_dir() {
        return Err(io(std::io::Error::from(std::io::ErrorKind::IsADirectory)));
    }
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io(error)),
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(io(error)),
        }
    }
    if read == 0 {
        return Ok(());
    }
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// True for SQLite's "the file is damaged" errors.
fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// "a page of the file is damaged" — our words for SQLite's damage errors.
fn damage_words(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => "the file's header is not that of a database".to_owned(),
        _ => "SQLite found a damaged page while reading it".to_owned(),
    }
}

/// A short description of an SQLite error in our words, for the middle of a sentence.
fn sqlite_words(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full".to_owned(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            "the file or its folder cannot be written".to_owned()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "another copy of Backorder Desk was writing to it".to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => damage_words(error),
        Some(ErrorCode::SystemIoFailure) => io_failure_words(error).to_owned(),
        _ => match error {
            rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
            other => other.to_string(),
        },
    }
}

/// SQLite's extended I/O error codes: reading or writing, in our words.
fn io_failure_words(error: &rusqlite::Error) -> &'static str {
    const IOERR_READ: i32 = 266;
    const IOERR_SHORT_READ: i32 = 522;
    let extended = match error {
        rusqlite::Error::SqliteFailure(failure, _) => failure.extended_code,
        _ => 0,
    };
    if extended == IOERR_READ || extended == IOERR_SHORT_READ {
        "the file could not be read (the drive failed, or a network drive went away)"
    } else {
        "the file could not be written (the disk may be full, or the drive failed or went away)"
    }
}

/// A sentence for an SQLite error a shop owner can act on: a full disk, a write-protected file,
/// another program holding the file, a damaged file.
fn sqlite_message(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            "The disk is full, so the change was not saved. Free some disk space and try again."
                .to_owned()
        }
        Some(ErrorCode::ReadOnly) => {
            "The shop file is open read-only, so the change was not saved.".to_owned()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "The shop file is busy: another copy of Backorder Desk is writing to it. Nothing was changed; try again in a moment."
                .to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => format!(
            "The shop file is damaged ({}), so nothing was changed. Restore a backup (File > Restore backup…, or `backups` and `restore FILE`).",
            damage_words(error)
        ),
        Some(ErrorCode::SystemIoFailure) => format!(
            "The shop file could not be used: {}. Nothing was changed; free some disk space or check the drive, then try again.",
            io_failure_words(error)
        ),
        _ => format!("database error: {error}"),
    }
}

fn damaged_message(path: &Path, detail: &str, newest: Option<&Path>) -> String {
    let way_out = match newest {
        Some(backup) => format!(
            "restore a backup; the newest is '{}' (`restore FILE`, or File > Restore backup…)",
            backup.display()
        ),
        None => "restore a backup you keep elsewhere (`restore FILE`, or File > Restore backup… > Other file…)".to_owned(),
    };
    format!(
        "'{}' is damaged ({detail}). So that nothing more is written into a damaged file, changes and backups of it are refused and nothing was changed. To go on, {way_out}.",
        path.display()
    )
}

fn io_message(path: &Path, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => format!("'{}' does not exist", path.display()),
        std::io::ErrorKind::StorageFull => {
            format!("cannot write '{}': the disk is full", path.display())
        }
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => format!(
            "cannot open '{}': permission denied (the file or its folder is read-only)",
            path.display()
        ),
        std::io::ErrorKind::NotADirectory => format!(
            "cannot open '{}': a part of its folder path is a file, not a folder",
            path.display()
        ),
        std::io::ErrorKind::IsADirectory => format!(
            "cannot open '{}': it is a folder, not a file",
            path.display()
        ),
        _ => format!("cannot open '{}': {error}", path.display()),
    }
}

/// An I/O error in a few words for the middle of a sentence.
pub(crate) fn io_detail(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::StorageFull => "the disk is full".to_owned(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "the folder is read-only".to_owned()
        }
        std::io::ErrorKind::NotFound => "a file or folder is missing".to_owned(),
        _ => error.to_string(),
    }
}

/// What a disk can still do, found by writing a small file into the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DiskState {
    Full,
    ReadOnly,
    Fine,
}

fn probe_folder(path: &Path) -> DiskState {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    let probe = folder.join(format!(".backorder-desk-space-{}", std::process::id()));
    let written = File::create(&probe).and_then(|mut file| {
        file.write_all(&vec![0u8; 65_536])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match written.map_err(|error| error.kind()) {
        Err(std::io::ErrorKind::StorageFull) => DiskState::Full,
        Err(std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem) => {
            DiskState::ReadOnly
        }
        Ok(()) | Err(_) => DiskState::Fine,
    }
}

/// Turns SQLite's error codes for bad files into clear messages.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite {
            path: path.to_owned(),
        },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: damage_words(&error),
        },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull {
            path: path.to_owned(),
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly {
                path: path.to_owned(),
                detail: sqlite_words(&error),
            }
        }
        // "disk I/O error" says nothing: a full disk is the common cause, and it is told apart.
        Some(ErrorCode::SystemIoFailure) => match probe_folder(path) {
            DiskState::Full => StoreError::DiskFull {
                path: path.to_owned(),
            },
            DiskState::ReadOnly => StoreError::ReadOnly {
                path: path.to_owned(),
                detail: "the folder cannot be written".to_owned(),
            },
            DiskState::Fine => StoreError::Sqlite(error),
        },
        _ => StoreError::Sqlite(error),
    }
}

/// The default shop file: `<platform data folder>/shop.sqlite`
/// (`~/.local/share/backorder-desk/shop.sqlite` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "backorder-desk")
        .map(|dirs| dirs.data_dir().join("shop.sqlite"))
}

#[cfg(test)]
mod plans {
    //! The queries through the views `open_order_lines` and `inbound_po_lines` keep the indexes
    //! they used when the quantities were spelled out in each query. The shop keeps no
    //! statistics, so SQLite plans the same way for an empty file as for a large one.

    use super::Store;

    fn plan(store: &Store, sql: &str) -> String {
        let mut statement = store
            .connection()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let rows = statement
            .query_map([], |row| row.get::<_, String>(3))
            .expect("rows");
        rows.map(|row| row.expect("row"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn open_lines_are_read_from_the_partial_index_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
        for sql in [
            super::kpi::OPEN_LINES_NOW_SQL,
            super::products::CATALOG_SQL,
            super::safety::POSITION_SQL,
        ] {
            let plan = plan(&store, sql);
            assert!(
                plan.contains("USING COVERING INDEX order_lines_open"),
                "{sql}\n{plan}"
            );
        }
        let one = plan(&store, &super::safety::ONE_POSITION_SQL.replace("?1", "1"));
        assert!(
            one.contains("USING COVERING INDEX order_lines_open (product_id=?)"),
            "{one}"
        );
        let waiting = plan(
            &store,
            "SELECT l.line_id, l.waiting_qty FROM open_order_lines l
               JOIN orders o ON o.order_id = l.order_id
              WHERE l.product_id = 1 AND o.status = 'open' AND l.waiting_qty > 0",
        );
        assert!(
            waiting.contains("USING COVERING INDEX order_lines_open (product_id=?)"),
            "{waiting}"
        );
    }

    #[test]
    fn late_inbound_reads_the_lines_of_late_purchase_orders_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
        let all = super::kpi::scope_sql(&crate::domain::kpi::Scope::All, "pl");
        let sql = super::kpi::late_inbound_sql(&all).replace('?', "'2026-03-01'");
        let plan = plan(&store, &sql);
        assert!(
            plan.contains("SEARCH pl USING INDEX po_lines_po (po_id=?)"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN pl"), "{plan}");
    }
}
