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

use super::{Result, Store, StoreError, check_header, check_identity, classify};
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
        Err(source) => {
            return Err(StoreError::Io {
                path: folder,
                source,
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

fn io_detail(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::StorageFull => "the disk is full".to_owned(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "the folder is read-only".to_owned()
        }
        _ => error.to_string(),
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
        let mut sequence = 1;
        let target = loop {
            let candidate = folder.join(backup_file_name(&stem, made_at, reason, sequence));
            if !candidate.exists() {
                break candidate;
            }
            sequence += 1;
        };
        let size_bytes = self.backup_to(&target)?;
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
    /// temporary file in the same folder. Returns its size in bytes.
    pub fn backup_to(&self, target: &Path) -> Result<u64> {
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
        let result = self.copy_into(&partial).and_then(|()| {
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

    /// The online backup itself: every page in one step, so the copy is one consistent
    /// snapshot even while other connections write.
    fn copy_into(&self, partial: &Path) -> Result<()> {
        let folder = partial.parent().unwrap_or(Path::new("."));
        let _ = fs::remove_file(partial);
        let mut destination = Connection::open(partial)
            .map_err(|error| backup_error(folder, sqlite_detail(&error)))?;
        {
            let backup = Backup::new(&self.conn, &mut destination)
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
                    Err(error) => return Err(backup_error(folder, sqlite_detail(&error))),
                }
            }
        }
        // A backup is one self-contained file: no write-ahead log beside it, even while it is
        // read (the restored shop is switched back to WAL when it is opened).
        destination
            .query_row("PRAGMA journal_mode = DELETE", [], |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| backup_error(folder, sqlite_detail(&error)))?;
        destination
            .close()
            .map_err(|(_, error)| backup_error(folder, sqlite_detail(&error)))
    }
}

/// What a checked backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedBackup {
    pub schema_version: i64,
    pub products: i64,
    pub orders: i64,
}

/// Checks a file before it may replace a shop: it must be one of our shops (not another
/// program's, not empty), not written by a newer version, and pass SQLite's integrity check.
/// The same refusals as opening a file, and nothing is written to it.
pub fn check_backup_file(path: &Path) -> Result<CheckedBackup> {
    check_header(path)?;
    let metadata = fs::metadata(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    if !metadata.is_file() || metadata.len() == 0 {
        return Err(StoreError::Invalid(format!(
            "'{}' is empty, not a backup of a shop. Nothing was changed.",
            path.display()
        )));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|error| classify(path, error))?;
    let version = check_identity(&conn, path)?;
    if version == 0 {
        return Err(StoreError::Invalid(format!(
            "'{}' holds no shop. Nothing was changed.",
            path.display()
        )));
    }
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|error| classify(path, error))?;
    if result != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_owned(),
            detail: result,
        });
    }
    let count = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |row| row.get(0))
            .map_err(|error| classify(path, error))
    };
    Ok(CheckedBackup {
        schema_version: version,
        products: count("SELECT count(*) FROM products")?,
        orders: count("SELECT count(*) FROM orders")?,
    })
}

/// Replaces the shop file at `db_path` with a copy of `backup`: copied to a temporary file in
/// the same folder, flushed, then renamed over the shop file. Every connection to the shop must
/// be closed first (the last one to close folds its write-ahead log into the file); a log
/// left behind belongs to the old file and is removed before the rename.
pub fn replace_with_backup(db_path: &Path, backup: &Path) -> Result<()> {
    let folder = match db_path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = db_path.file_name().map_or_else(
        || "shop.sqlite".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let partial = folder.join(format!(".{name}.restoring"));
    let io = |source: std::io::Error| StoreError::Io {
        path: db_path.to_owned(),
        source,
    };
    let copy = (|| {
        fs::copy(backup, &partial)?;
        fs::File::open(&partial)?.sync_all()
    })();
    if let Err(error) = copy {
        let _ = fs::remove_file(&partial);
        return Err(io(error));
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = db_path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
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
