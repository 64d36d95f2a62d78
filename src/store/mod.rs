//! The SQLite store: one file is the whole shop.
//!
//! Opening checks the file before anything is written: a file that is not SQLite, a SQLite file
//! of another program, a corrupt file and a file written by a newer version are all refused with
//! a clear message and left untouched.

pub mod abc;
pub mod backup;
pub mod batches;
pub mod bulk;
pub mod check;
pub mod imports;
pub mod kpi;
pub mod kpi_rollup;
pub mod lock;
pub mod messages;
pub mod orders;
pub mod picklist;
pub mod practice;
pub mod products;
pub mod promises;
pub mod purchasing;
pub mod safety;
mod schema;
pub mod settings;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, MAIN_DB, OpenFlags, TransactionBehavior, ffi::ErrorCode};
use thiserror::Error;

pub use bulk::BulkWriter;
pub use products::{CatalogRow, DeleteOutcome, LedgerMismatch, Movement, ProductRecord};
pub use schema::{APPLICATION_ID, KPI_TRIGGERS, ORDER_INDEXES, latest_version};

/// Identifies a product row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductId(pub i64);

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
        "'{path}' was written by an older version of Backorder Desk and must be updated before this version can read it, which a read-only file cannot be. Open it normally once (not read-only); the file was not changed."
    )]
    NeedsUpdate { path: PathBuf },
    #[error(
        "'{path}' must be updated to this version of Backorder Desk, and a backup is written first, but {detail}. The file was not changed. Free some disk space or make the folder writable, then open it again."
    )]
    NoBackupBeforeUpdate { path: PathBuf, detail: String },
    #[error("no backup could be written in '{folder}': {detail}")]
    BackupFailed { folder: PathBuf, detail: String },
    #[error("{}", io_message(path, source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "'{path}' is read-only or its folder cannot be written ({detail}). Open it read-only, or copy it to a folder you can write to."
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
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
            .finish_non_exhaustive()
    }
}

/// The page cache of a connection, KiB.
const CACHE_KIB: i64 = 32_768;
/// The page cache during a large import, KiB.
const BULK_CACHE_KIB: i64 = 262_144;

impl Store {
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
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
                path: path.to_owned(),
                source,
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
        let mut store = Self {
            conn,
            path: path.to_owned(),
            read_only,
        };
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
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|error| classify(path, error))?;
        let mut store = Self {
            conn,
            path: path.to_owned(),
            read_only: true,
        };
        if let Err(StoreError::ReadOnly { .. }) = store.check_identity() {
            // A write-ahead-log file in a folder that cannot be written: SQLite cannot make its
            // shared-memory file. Nothing can write there either, so read the file as it is.
            store.conn = Connection::open_with_flags(
                immutable_uri(path),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(|error| classify(path, error))?;
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
    /// write-protected).
    pub fn is_read_only(&self) -> bool {
        self.read_only
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
        self.conn.busy_timeout(Duration::from_secs(5))?;
        self.conn.pragma_update(None, "query_only", "ON")?;
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        Ok(())
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
        if self.schema_version()? >= latest {
            return Ok(());
        }
        let path = self.path.clone();
        // An existing shop is backed up before its schema changes; without a backup, nothing is
        // migrated.
        let found = self.schema_version()?;
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
                tx.execute_batch(sql)
                    .map_err(|error| classify(&path, error))?;
            }
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", latest)?;
        tx.commit().map_err(|error| classify(&path, error))?;
        Ok(())
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

    /// [`Self::in_transaction`] for work with its own error type.
    pub fn in_transaction_with<T, E: From<rusqlite::Error>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.write_transaction()?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
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
fn immutable_uri(path: &Path) -> String {
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

/// Refuses a file whose first bytes are not SQLite's header. An empty or missing file is fine
/// (it becomes a new shop).
fn check_header(path: &Path) -> Result<()> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    if path.is_dir() {
        return Err(StoreError::Io {
            path: path.to_owned(),
            source: std::io::Error::other("it is a folder, not a file"),
        });
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
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

/// A sentence for an SQLite error a shop owner can act on: a full disk, a write-protected file,
/// another program holding the file.
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
        Some(ErrorCode::SystemIoFailure) => format!(
            "The shop file could not be read or written (the disk or network drive failed: {error}). Nothing was changed."
        ),
        _ => format!("database error: {error}"),
    }
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
        _ => format!("cannot open '{}': {error}", path.display()),
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
            detail: error.to_string(),
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly {
                path: path.to_owned(),
                detail: error.to_string(),
            }
        }
        _ => StoreError::Sqlite(error),
    }
}

/// The default shop file: `<platform data folder>/shop.sqlite`
/// (`~/.local/share/backorder-desk/shop.sqlite` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "backorder-desk")
        .map(|dirs| dirs.data_dir().join("shop.sqlite"))
}
