//! The SQLite store: one file is the whole shop.
//!
//! Opening checks the file before anything is written: a file that is not SQLite, a SQLite file
//! of another program, a corrupt file and a file written by a newer version are all refused with
//! a clear message and left untouched.

pub mod abc;
pub mod bulk;
pub mod imports;
pub mod kpi;
pub mod kpi_rollup;
pub mod messages;
pub mod orders;
pub mod picklist;
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

use rusqlite::{Connection, OpenFlags, ffi::ErrorCode};
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
    #[error("cannot open '{path}': {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("'{path}' is read-only or its folder cannot be written: {detail}")]
    ReadOnly { path: PathBuf, detail: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
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
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the shop file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        check_header(path)?;
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
        let mut store = Self {
            conn,
            path: path.to_owned(),
        };
        store.check_identity()?;
        store.configure()?;
        store.migrate()?;
        Ok(store)
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
        let read = || -> rusqlite::Result<(i64, i64, i64)> {
            let app_id: i64 = self
                .conn
                .query_row("PRAGMA application_id", [], |row| row.get(0))?;
            let version: i64 = self
                .conn
                .query_row("PRAGMA user_version", [], |row| row.get(0))?;
            let objects: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
            Ok((app_id, version, objects))
        };
        let (app_id, version, objects) = read().map_err(|error| classify(&self.path, error))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::ForeignDatabase {
                path: self.path.clone(),
            });
        }
        if app_id == 0 && objects > 0 {
            return Err(StoreError::ForeignDatabase {
                path: self.path.clone(),
            });
        }
        if version > latest_version() {
            return Err(StoreError::NewerVersion {
                path: self.path.clone(),
                found: version,
                supported: latest_version(),
            });
        }
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
        self.conn.pragma_update(None, "cache_size", -32_768)?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let current = self.schema_version()?;
        let latest = latest_version();
        if current >= latest {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|error| classify(&path, error))?;
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

    /// Runs `work` in one transaction: all of it is written, or none.
    pub fn in_transaction<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.in_transaction_with(work)
    }

    /// A transaction the caller commits, or drops to write nothing.
    pub fn transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.transaction()?)
    }

    /// [`Self::in_transaction`] for work with its own error type.
    pub fn in_transaction_with<T, E: From<rusqlite::Error>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.conn.transaction()?;
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
