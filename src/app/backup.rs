//! Backups, restore and the database check, shared by the window and the command line.
//!
//! A backup is written before every import, migration and bulk action (marking a pick list
//! picked, creating draft purchase orders, loading the demo, a restore, a repair) and on the
//! first start of each day. Receiving a purchase order is a routine change of a few rows in one
//! transaction and is covered by the daily backup. A change that starts with a backup
//! is not made when the backup cannot be written: the shop owner is told why and nothing
//! changes.

use std::fs;
use std::path::{Path, PathBuf};

use super::Clock;
use super::orders::reallocate;
use crate::domain::allocation::Allocated;
use crate::domain::backup::BackupReason;
use crate::store::backup::{
    BackupFile, BackupSource, CheckedBackup, backups_folder, list_backups, replace_with_backup,
};
use crate::store::check::{
    RepairedProduct, ReservationProblem, recreate_missing_objects, repair_on_hand,
};
use crate::store::{LedgerMismatch, Store, StoreError, wal};

/// What the shop owner reads when a change is refused because the file is read-only.
pub const READ_ONLY_REFUSAL: &str = "The shop file is open read-only, so nothing was changed (another copy has it open, or the file cannot be written).";

fn what_is_backed_up(reason: BackupReason) -> &'static str {
    match reason {
        BackupReason::Import => "an import",
        BackupReason::Picked => "marking a pick list picked",
        BackupReason::DraftPos => "creating purchase orders",
        BackupReason::Demo => "loading the demo shop",
        BackupReason::Undo => "undoing an import",
        BackupReason::Repair => "a repair",
        BackupReason::BeforeRestore => "a restore",
        BackupReason::Migration => "an update of the file",
        BackupReason::Daily | BackupReason::Manual => "this",
    }
}

/// The backup before a change. When it cannot be written the change must not be made: the
/// error says so in words for the shop owner.
pub fn backup_before(
    store: &Store,
    reason: BackupReason,
    clock: &Clock,
) -> Result<BackupFile, StoreError> {
    if store.is_read_only() {
        return Err(StoreError::Invalid(READ_ONLY_REFUSAL.to_owned()));
    }
    store
        .write_backup(reason, clock.now())
        .map_err(|error| match error {
            StoreError::BackupFailed { folder, detail } => StoreError::Invalid(format!(
                "Nothing was changed: {} starts with a backup, and none could be written in '{}' ({detail}). Free some disk space or make the folder writable, then try again.",
                what_is_backed_up(reason),
                folder.display()
            )),
            other => other,
        })
}

/// The first start of a day writes a backup, unless one was already made today (for any
/// reason) or the file is read-only.
pub fn daily_backup_if_due(store: &Store, clock: &Clock) -> Result<Option<BackupFile>, StoreError> {
    if store.is_read_only() {
        return Ok(None);
    }
    let today = clock.today();
    let made_today = list_backups(store.path())?
        .iter()
        .any(|backup| backup.made_at.date() == today);
    if made_today {
        return Ok(None);
    }
    store
        .write_backup(BackupReason::Daily, clock.now())
        .map(Some)
}

/// A backup made by hand: into the `backups/` folder, or to `to`. Returns the file and its
/// size in bytes.
pub fn backup_now(
    store: &Store,
    to: Option<&Path>,
    clock: &Clock,
) -> Result<(PathBuf, u64), StoreError> {
    match to {
        Some(target) => {
            if same_file(target, store.path()) {
                return Err(StoreError::Invalid(
                    "The backup cannot be written over the shop file itself; choose another file"
                        .into(),
                ));
            }
            let size = store.backup_to(target)?;
            Ok((target.to_owned(), size))
        }
        None => {
            let backup = store.write_backup(BackupReason::Manual, clock.now())?;
            Ok((backup.path, backup.size_bytes))
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    pub checked: CheckedBackup,
    /// The shop file as it was before the restore.
    pub previous: PathBuf,
}

/// Replaces the shop at `db_path` with `backup`. The backup is opened with its write-ahead log
/// (committed changes still in the log are restored too) and checked first (the same refusals
/// as opening a file, plus SQLite's integrity check); then the current file is backed up
/// (`before-restore`); then a consistent copy of the backup is taken with SQLite's online backup
/// API into a file next to the shop, flushed and renamed over it. Nothing is left next to the
/// backup. No connection to the shop may be open and no other copy may have it open (the caller
/// holds the exclusive lock: `app::session`); the restored file is opened once to bring it up to
/// this version.
pub fn restore(db_path: &Path, backup: &Path, clock: &Clock) -> Result<RestoreReport, StoreError> {
    if same_file(db_path, backup) {
        return Err(StoreError::Invalid(
            "That is the shop file itself, not a backup of it. Nothing was changed.".into(),
        ));
    }
    let source = BackupSource::open(backup)?;
    let checked = source.check()?;
    let previous = if db_path.exists() {
        keep_previous(db_path, *clock)?
    } else {
        PathBuf::new()
    };
    replace_with_backup(db_path, &source)?;
    drop(source);
    // Brings an older backup up to this version (after its own migration backup).
    drop(Store::open(db_path)?);
    Ok(RestoreReport {
        restored_from: backup.to_owned(),
        checked,
        previous,
    })
}

/// The current file's backup before a restore. A file the store cannot open (damaged, which is
/// often why a backup is restored) is copied byte for byte, its write-ahead log beside it.
fn keep_previous(db_path: &Path, clock: Clock) -> Result<PathBuf, StoreError> {
    // A log that is not the file's own is kept as it is, not merged into the copy.
    let own_log = matches!(
        wal::check_wal(db_path),
        Ok(wal::WalState::Empty | wal::WalState::Belongs { .. })
    );
    let opened = if own_log {
        Store::open(db_path).ok()
    } else {
        None
    };
    match opened {
        Some(store) => {
            let backup = backup_before(&store, BackupReason::BeforeRestore, &clock)?;
            Ok(backup.path)
        }
        None => {
            let folder = backups_folder(db_path);
            let failed = |error: std::io::Error| {
                StoreError::Invalid(format!(
                    "Nothing was changed: a restore starts with a copy of the current file, and none could be written in '{}' ({error}).",
                    folder.display()
                ))
            };
            fs::create_dir_all(&folder).map_err(failed)?;
            let stem = db_path
                .file_stem()
                .map_or_else(|| "shop".to_owned(), |s| s.to_string_lossy().into_owned());
            let mut sequence = 1;
            let target = loop {
                let name = crate::domain::backup::backup_file_name(
                    &stem,
                    clock.now(),
                    BackupReason::BeforeRestore,
                    sequence,
                );
                let candidate = folder.join(name);
                if !candidate.exists() {
                    break candidate;
                }
                sequence += 1;
            };
            fs::copy(db_path, &target).map_err(failed)?;
            let log = wal::wal_path(db_path);
            if log.exists() {
                fs::copy(&log, wal::wal_path(&target)).map_err(failed)?;
            }
            Ok(target)
        }
    }
}

/// What Help > Check database and `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: i64,
    pub products: i64,
    /// SQLite's integrity check; empty when the file is sound.
    pub integrity: Vec<String>,
    /// Tables, indexes and triggers of this version the file lacks (`"index NAME"`).
    pub missing: Vec<String>,
    /// Rows that refer to rows that are not there.
    pub references: Vec<String>,
    /// Products whose cached on-hand differs from the ledger sum.
    pub ledger: Vec<LedgerMismatch>,
    pub reservations: Vec<ReservationProblem>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problem_count() == 0
    }

    pub fn problem_count(&self) -> usize {
        self.integrity.len()
            + self.missing.len()
            + self.references.len()
            + self.ledger.len()
            + self.reservations.len()
    }

    /// A table is missing, or rows refer to rows that are gone: data is lost, and only a backup
    /// brings it back.
    pub fn needs_backup(&self) -> bool {
        !self.integrity.is_empty()
            || !self.references.is_empty()
            || self
                .missing
                .iter()
                .any(|object| object.starts_with("table "))
    }

    /// The repair (cached figures from the ledger, missing indexes and triggers made again)
    /// helps when no data is lost and something disagrees.
    pub fn can_repair(&self) -> bool {
        !self.needs_backup() && !self.is_ok()
    }

    /// One line per finding, for the window and the command line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.integrity.is_empty() {
            lines.push(format!(
                "SQLite integrity: ok (schema version {})",
                self.schema_version
            ));
        } else {
            lines.push(format!(
                "SQLite integrity: {} problem(s); restore a backup (File > Restore backup…)",
                self.integrity.len()
            ));
            lines.extend(
                self.integrity
                    .iter()
                    .take(20)
                    .map(|line| format!("  {line}")),
            );
        }
        if self.missing.is_empty() {
            lines.push("Schema: every table, index and trigger is there".to_owned());
        } else {
            lines.push(format!(
                "Schema: {} missing; {}",
                self.missing.len(),
                if self.missing.iter().any(|o| o.starts_with("table ")) {
                    "a missing table cannot be made again with its data: restore a backup"
                } else {
                    "the repair makes missing indexes and triggers again"
                }
            ));
            lines.extend(
                self.missing
                    .iter()
                    .map(|object| format!("  {object} is missing")),
            );
        }
        if self.references.is_empty() {
            lines.push("References: every row refers to rows that exist".to_owned());
        } else {
            lines.push(format!(
                "References: {} problem(s); restore a backup (File > Restore backup…)",
                self.references.len()
            ));
            lines.extend(self.references.iter().map(|line| format!("  {line}")));
        }
        if self.ledger.is_empty() {
            lines.push(format!(
                "Ledger: on hand matches the stock ledger for all {} products",
                self.products
            ));
        } else {
            lines.push(format!(
                "Ledger: {} product(s) disagree with the stock ledger",
                self.ledger.len()
            ));
            for mismatch in &self.ledger {
                lines.push(format!(
                    "  {}: on hand {} but ledger sums to {}",
                    mismatch.sku, mismatch.cached, mismatch.ledger
                ));
            }
        }
        if self.reservations.is_empty() {
            lines.push("Reservations: every reservation fits its order and the stock".to_owned());
        } else {
            lines.push(format!(
                "Reservations: {} problem(s)",
                self.reservations.len()
            ));
            for problem in &self.reservations {
                lines.push(format!("  {}: {}", problem.sku, problem.detail));
            }
        }
        lines
    }
}

/// Runs every check. A damaged file is reported as such (the other checks need sound pages);
/// with a table missing, the checks that read it are not run.
pub fn check_database(store: &Store) -> Result<CheckReport, StoreError> {
    let integrity = store.integrity_problems()?;
    let mut report = CheckReport {
        schema_version: 0,
        products: 0,
        integrity,
        missing: Vec::new(),
        references: Vec::new(),
        ledger: Vec::new(),
        reservations: Vec::new(),
    };
    if !report.integrity.is_empty() {
        report.schema_version = store.schema_version().unwrap_or_default();
        return Ok(report);
    }
    report.schema_version = store.schema_version()?;
    report.missing = store.missing_schema_objects()?;
    if report
        .missing
        .iter()
        .any(|object| object.starts_with("table "))
    {
        return Ok(report);
    }
    report.references = store.reference_problems()?;
    report.products = store.product_count()?;
    report.ledger = store.ledger_mismatches()?;
    report.reservations = store.reservation_problems()?;
    Ok(report)
}

/// What a repair did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairReport {
    pub backup: PathBuf,
    /// Indexes and triggers made again (`"index NAME"`).
    pub recreated: Vec<String>,
    pub repaired: Vec<RepairedProduct>,
    /// Reservations moved so that every product follows the allocation rules again.
    pub reallocated: Vec<Allocated>,
}

impl RepairReport {
    pub fn summary(&self) -> String {
        if self.repaired.is_empty() && self.reallocated.is_empty() && self.recreated.is_empty() {
            return "Nothing needed repairing".to_owned();
        }
        let mut text = format!(
            "Repaired on hand of {} product(s) from the ledger",
            self.repaired.len()
        );
        if !self.recreated.is_empty() {
            text.push_str(&format!("; made again: {}", self.recreated.join(", ")));
        }
        if !self.reallocated.is_empty() {
            text.push_str(&format!(
                "; {} reservation(s) moved",
                self.reallocated.len()
            ));
        }
        text
    }
}

/// "Repair cached values from the ledger": after a backup, in one transaction, every product's
/// on-hand becomes its ledger sum, and every product whose reservations break the allocation
/// rules is allocated again (free stock to the queue, or back from the last in line).
pub fn repair_from_ledger(store: &mut Store, clock: &Clock) -> Result<RepairReport, StoreError> {
    let backup = backup_before(store, BackupReason::Repair, clock)?;
    let now = clock.now_text();
    let missing = store.missing_schema_objects()?;
    let (recreated, repaired, reallocated) = store.in_transaction(|tx| {
        let recreated = recreate_missing_objects(tx, &missing)?;
        let repaired = repair_on_hand(tx, &now)?;
        let mut products: Vec<crate::store::ProductId> =
            repaired.iter().map(|r| r.product_id).collect();
        for problem in crate::store::check::reservation_problems(tx)? {
            if let Some(product_id) = crate::store::orders::product_stock_by_sku(tx, &problem.sku)?
                .map(|stock| stock.product_id)
            {
                products.push(product_id);
            }
        }
        products.sort();
        products.dedup();
        let mut reallocated = Vec::new();
        for product_id in products {
            reallocated.extend(reallocate(tx, product_id)?);
        }
        if !(repaired.is_empty() && reallocated.is_empty()) {
            super::promises::recompute(tx, clock.today(), "repair from the ledger")?;
        }
        Ok((recreated, repaired, reallocated))
    })?;
    Ok(RepairReport {
        backup: backup.path,
        recreated,
        repaired,
        reallocated,
    })
}

/// "12.3 MB", "840 KB", "512 bytes".
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else if bytes >= 1_000 {
        format!("{} KB", bytes.div_ceil(1_000))
    } else {
        format!("{bytes} bytes")
    }
}
