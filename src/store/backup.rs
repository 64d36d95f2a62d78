//! Backups of the shop file with SQLite's online backup API, and restoring one.
//!
//! Backups live in a `backups/` folder next to the shop file. Each is a consistent copy taken
//! while the file is open (other connections may go on writing), written to a temporary file,
//! flushed to disk and renamed into place, so a backup is either whole or absent.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{
    Result, Snapshot, Store, StoreError, check_header, check_identity, classify, io_detail,
    is_damage, wal,
};
use crate::domain::backup::{
    BackupReason, backup_file_name, backups_to_keep, parse_backup_file_name,
};

/// The folder holding a shop's backups: `backups/` next to the file.
pub fn backups_folder(db_path: &Path) -> PathBuf {
    match db_path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.join("backups"),
        _ => PathBuf::from("backups"),
    }
}

/// The shop's file name without its extension (`shop` for `shop.sqlite`).
fn shop_stem(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map_or_else(|| "shop".to_owned(), |s| s.to_string_lossy().into_owned())
}

/// One backup in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub made_at: NaiveDateTime,
    pub reason: BackupReason,
    pub sequence: u32,
    pub size_bytes: u64,
}

impl BackupFile {
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The shop's backups, newest first. A missing folder has none.
pub fn list_backups(db_path: &Path) -> Result<Vec<BackupFile>> {
    let folder = backups_folder(db_path);
    let stem = shop_stem(db_path);
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(StoreError::Io {
                path: folder,
                error,
            });
        }
    };
    let mut backups = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(parsed) = parse_backup_file_name(&stem, &name.to_string_lossy()) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        backups.push(BackupFile {
            path: entry.path(),
            made_at: parsed.made_at,
            reason: parsed.reason,
            sequence: parsed.sequence,
            size_bytes: metadata.len(),
        });
    }
    backups.sort_by_key(|b| std::cmp::Reverse((b.made_at, b.sequence)));
    Ok(backups)
}

/// Deletes the backups that retention does not keep (see [`backups_to_keep`]: backups dated
/// after `now` are kept and do not count) and never `just_written`; returns the deleted files.
pub fn prune_backups(
    db_path: &Path,
    now: NaiveDateTime,
    just_written: &Path,
) -> Result<Vec<PathBuf>> {
    let backups = list_backups(db_path)?;
    let made: Vec<(NaiveDateTime, u32)> = backups.iter().map(|b| (b.made_at, b.sequence)).collect();
    let mut removed = Vec::new();
    for (backup, keep) in backups.iter().zip(backups_to_keep(&made, now)) {
        if !keep && backup.path != just_written && fs::remove_file(&backup.path).is_ok() {
            removed.push(backup.path.clone());
        }
    }
    Ok(removed)
}

fn backup_error(folder: &Path, detail: impl std::fmt::Display) -> StoreError {
    StoreError::BackupFailed {
        folder: folder.to_owned(),
        detail: detail.to_string(),
    }
}

fn sqlite_detail(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(rusqlite::ffi::ErrorCode::DiskFull) => "the disk is full".to_owned(),
        Some(
            rusqlite::ffi::ErrorCode::ReadOnly
            | rusqlite::ffi::ErrorCode::CannotOpen
            | rusqlite::ffi::ErrorCode::PermissionDenied,
        ) => "the folder is read-only".to_owned(),
        _ => error.to_string(),
    }
}

/// Flushes a folder's entries (a rename) to disk where the platform allows it.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

impl Store {
    /// Writes a backup of this shop into its `backups/` folder, named with `made_at` and
    /// `reason`, then deletes the backups retention no longer keeps.
    pub fn write_backup(&self, reason: BackupReason, made_at: NaiveDateTime) -> Result<BackupFile> {
        let folder = backups_folder(&self.path);
        fs::create_dir_all(&folder).map_err(|error| backup_error(&folder, io_detail(&error)))?;
        let stem = shop_stem(&self.path);
        // After every backup made in the same second (whatever its reason): the sequence orders
        // them, so a number freed by retention is never given out again (a backup numbered below
        // a later one would count as older and could be the next one retention deletes).
        let mut sequence = list_backups(&self.path)?
            .iter()
            .filter(|backup| backup.made_at == made_at)
            .map(|backup| backup.sequence + 1)
            .max()
            .unwrap_or(1);
        let target = loop {
            let candidate = folder.join(backup_file_name(&stem, made_at, reason, sequence));
            if !candidate.exists() {
                break candidate;
            }
            sequence += 1;
        };
        // The copy kept before a restore is the file as it was, damaged or not: it undoes the
        // restore. Every other backup must be sound, so a damaged copy never pushes a good one
        // out of retention.
        let size_bytes = self.backup_to_checked(&target, reason != BackupReason::BeforeRestore)?;
        // Retention is housekeeping: a backup that was written is not undone by it.
        let _ = prune_backups(&self.path, made_at, &target);
        Ok(BackupFile {
            path: target,
            made_at,
            reason,
            sequence,
            size_bytes,
        })
    }

    /// Writes a consistent copy of the shop to `target` (replacing a file there), through a
    /// temporary file in the same folder, after SQLite's quick check of the copy: a damaged shop
    /// is not copied (the error says so and names the newest backup). Returns its size in bytes.
    pub fn backup_to(&self, target: &Path) -> Result<u64> {
        self.backup_to_checked(target, true)
    }

    fn backup_to_checked(&self, target: &Path, check: bool) -> Result<u64> {
        let folder = match target.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(backup_error(&folder, "the folder does not exist"));
        }
        let name = target
            .file_name()
            .ok_or_else(|| backup_error(&folder, "the path has no file name"))?;
        let partial = folder.join(format!(".{}.partial", name.to_string_lossy()));
        let result = copy_database(&self.conn, &partial)
            .and_then(|()| {
                if check {
                    check_copy(&partial, &self.path)
                } else {
                    Ok(())
                }
            })
            .and_then(|()| {
                let file = fs::File::open(&partial)
                    .and_then(|file| file.sync_all().map(|()| file))
                    .map_err(|error| backup_error(&folder, io_detail(&error)))?;
                let size = file
                    .metadata()
                    .map_err(|error| backup_error(&folder, io_detail(&error)))?
                    .len();
                fs::rename(&partial, target)
                    .map_err(|error| backup_error(&folder, io_detail(&error)))?;
                sync_folder(&folder);
                Ok(size)
            });
        if result.is_err() {
            let _ = fs::remove_file(&partial);
            for suffix in ["-journal", "-wal", "-shm"] {
                let mut side = partial.clone().into_os_string();
                side.push(suffix);
                let _ = fs::remove_file(PathBuf::from(side));
            }
        }
        result
    }
}

/// The online backup itself: every page of `source` in one step into a new file at `partial`,
/// so the copy is one consistent snapshot even while other connections write. The copy is one
/// self-contained file: no write-ahead log beside it (a shop is switched back to WAL when it is
/// opened).
pub(crate) fn copy_database(source: &Connection, partial: &Path) -> Result<()> {
    let folder = partial.parent().unwrap_or(Path::new("."));
    let _ = fs::remove_file(partial);
    let mut destination =
        Connection::open(partial).map_err(|error| backup_error(folder, sqlite_detail(&error)))?;
    {
        let backup = Backup::new(source, &mut destination)
            .map_err(|error| backup_error(folder, sqlite_detail(&error)))?;
        let mut waits = 0;
        loop {
            match backup.step(-1) {
                Ok(StepResult::Done) => break,
                Ok(StepResult::More) => {}
                Ok(_) if waits < 100 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(_) => {
                    return Err(backup_error(
                        folder,
                        "the shop file stayed busy for 5 seconds",
                    ));
                }
                Err(error) if is_damage(&error) => {
                    let shop = PathBuf::from(source.path().unwrap_or_default());
                    return Err(damaged(
                        &shop,
                        "SQLite found a damaged page while copying it",
                    ));
                }
                Err(error) => return Err(backup_error(folder, sqlite_detail(&error))),
            }
        }
    }
    destination
        .query_row("PRAGMA journal_mode = DELETE", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(|error| backup_error(folder, sqlite_detail(&error)))?;
    destination
        .close()
        .map_err(|(_, error)| backup_error(folder, sqlite_detail(&error)))
}

/// SQLite's quick check of a fresh copy: a damaged shop is refused with the way out.
fn check_copy(partial: &Path, shop: &Path) -> Result<()> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let problems = Connection::open_with_flags(partial, flags).and_then(|conn| {
        let mut statement = conn.prepare("PRAGMA quick_check(5)")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
    });
    match problems {
        Ok(lines) if lines.iter().all(|line| line == "ok") => Ok(()),
        Ok(lines) => Err(damaged(shop, &lines.join("; "))),
        Err(error) if is_damage(&error) => Err(damaged(shop, "SQLite found a damaged page")),
        Err(error) => Err(backup_error(
            partial.parent().unwrap_or(Path::new(".")),
            sqlite_detail(&error),
        )),
    }
}

/// "'shop.sqlite' is damaged (…): …; restore the newest backup, …".
pub fn damaged(shop: &Path, detail: &str) -> StoreError {
    StoreError::Damaged {
        path: shop.to_owned(),
        detail: detail.to_owned(),
        newest: newest_backup(shop),
    }
}

/// The newest backup in the shop's backups folder (the way out of a damaged file).
pub fn newest_backup(shop: &Path) -> Option<PathBuf> {
    list_backups(shop)
        .ok()?
        .into_iter()
        .find(|backup| backup.reason != BackupReason::BeforeRestore)
        .map(|backup| backup.path)
}

/// A backup opened for reading: checked like a file being opened, and read with its
/// write-ahead log (committed changes still in the log are part of the backup). Nothing is left
/// next to it: a log it has is folded into it when it is closed (the file keeps the same
/// content), and a file without a log is read as it is, so SQLite makes no `-wal`/`-shm`. A
/// backup with a log in a place that cannot be written is read from a private copy.
pub struct BackupSource {
    conn: Connection,
    path: PathBuf,
    _snapshot: Option<Snapshot>,
}

impl std::fmt::Debug for BackupSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupSource")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What a checked backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedBackup {
    pub schema_version: i64,
    pub products: i64,
    pub orders: i64,
}

impl BackupSource {
    /// Opens `path` to restore from it. The same refusals as opening a shop (not SQLite,
    /// another program's database, newer, empty, a log that is not its own), and a file another
    /// copy of Backorder Desk has open is not read behind its back.
    pub fn open(path: &Path) -> Result<Self> {
        check_header(path)?;
        let metadata = fs::metadata(path).map_err(|error| StoreError::Io {
            path: path.to_owned(),
            error,
        })?;
        if !metadata.is_file() || metadata.len() == 0 {
            return Err(StoreError::Invalid(format!(
                "'{}' is empty, not a backup of a shop. Nothing was changed.",
                path.display()
            )));
        }
        if super::lock::is_open_anywhere(path) {
            return Err(StoreError::Invalid(format!(
                "'{}' is a shop file that another copy of Backorder Desk has open, not a backup. Close it there (or choose a backup). Nothing was changed.",
                path.display()
            )));
        }
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let (conn, snapshot) = match wal::check_wal(path).map_err(|error| StoreError::Io {
            path: wal::wal_path(path),
            error,
        })? {
            wal::WalState::Foreign { reason } => {
                return Err(StoreError::ForeignWal {
                    path: path.to_owned(),
                    wal: wal::wal_path(path),
                    reason,
                });
            }
            wal::WalState::Belongs { .. } => {
                let writable = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .ok()
                .filter(|conn| conn.is_readonly(rusqlite::MAIN_DB).is_ok_and(|ro| !ro));
                match writable {
                    // Read through its log; closing folds the log in and removes -wal/-shm.
                    Some(conn) => {
                        conn.pragma_update(None, "query_only", "ON")
                            .map_err(|error| classify(path, error))?;
                        (conn, None)
                    }
                    None => {
                        let snapshot = Snapshot::copy_of(path).map_err(|error| {
                            StoreError::Invalid(format!(
                                "'{}' has changes in its write-ahead log and cannot be written where it is; reading both needs a private copy, which could not be made ({}). Nothing was changed.",
                                path.display(),
                                io_detail(&error)
                            ))
                        })?;
                        let conn = Connection::open_with_flags(&snapshot.db, read_only)
                            .map_err(|error| classify(path, error))?;
                        (conn, Some(snapshot))
                    }
                }
            }
            // No log: the file is all there is. Read as it is, so that SQLite makes no log or
            // shared-memory file next to it.
            wal::WalState::Empty => (
                Connection::open_with_flags(
                    super::immutable_uri(path),
                    read_only | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|error| classify(path, error))?,
                None,
            ),
        };
        Ok(Self {
            conn,
            path: path.to_owned(),
            _snapshot: snapshot,
        })
    }

    /// The checks before the backup may replace a shop: one of our shops at a version this
    /// build reads, with SQLite's integrity check passed.
    pub fn check(&self) -> Result<CheckedBackup> {
        let path = &self.path;
        let version = check_identity(&self.conn, path)?;
        if version == 0 {
            return Err(StoreError::Invalid(format!(
                "'{}' holds no shop. Nothing was changed.",
                path.display()
            )));
        }
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|error| classify(path, error))?;
        if result != "ok" {
            return Err(StoreError::Corrupt {
                path: path.to_owned(),
                detail: result,
            });
        }
        let count = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |row| row.get(0))
                .map_err(|error| classify(path, error))
        };
        Ok(CheckedBackup {
            schema_version: version,
            products: count("SELECT count(*) FROM products")?,
            orders: count("SELECT count(*) FROM orders")?,
        })
    }
}

/// Checks a file before it may replace a shop (see [`BackupSource`]); nothing is written to it
/// and nothing is left next to it.
pub fn check_backup_file(path: &Path) -> Result<CheckedBackup> {
    BackupSource::open(path)?.check()
}

/// Replaces the shop file at `db_path` with a consistent copy of `source`, taken with SQLite's
/// online backup API (which reads the backup's write-ahead log), written to a temporary file in
/// the same folder, flushed, then renamed over the shop file. No connection to the shop may be
/// open and no other copy may have it open (the caller holds the exclusive lock); a log left
/// next to the shop belongs to the old file and is removed before the rename. The new file is
/// made by this process, so it can be written whatever the backup's permissions were.
pub fn replace_with_backup(db_path: &Path, source: &BackupSource) -> Result<()> {
    let folder = match db_path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = db_path.file_name().map_or_else(
        || "shop.sqlite".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let partial = folder.join(format!(".{name}.restoring"));
    let io = |error: std::io::Error| StoreError::Io {
        path: db_path.to_owned(),
        error,
    };
    let copied = copy_database(&source.conn, &partial).and_then(|()| {
        fs::File::open(&partial)
            .and_then(|file| file.sync_all())
            .map_err(io)
    });
    if let Err(error) = copied {
        let _ = fs::remove_file(&partial);
        return Err(error);
    }
    for side in [wal::wal_path(db_path), wal::shm_path(db_path)] {
        match fs::remove_file(&side) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                let _ = fs::remove_file(&partial);
                return Err(io(error));
            }
        }
    }
    if let Err(error) = fs::rename(&partial, db_path) {
        let _ = fs::remove_file(&partial);
        return Err(io(error));
    }
    sync_folder(&folder);
    Ok(())
}
