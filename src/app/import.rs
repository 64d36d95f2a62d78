//! Importing CSV files into the shop: products, orders, purchase orders.
//!
//! Everything happens in one transaction. A dry run, a cancel, or a file with errors (unless
//! "valid rows only" was chosen) rolls it back: the database is never half-changed. Rows stream
//! from the file; lookups are built once.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::Clock;
use super::jobs::Progress;
use super::mappings::MappingError;
use super::promises::recompute;
use crate::domain::limits::LimitError;
use crate::domain::text::shorten;
use crate::io::csv_import::{
    self, DateOrder, Entity, Format, ImportError, ImportOptions, ImportSummary, Layout, RowError,
    Warning,
};
use crate::store::Connection;
use crate::store::batches::{
    IdMarks, IdRanges, NewBatch, id_marks, insert_batch, remember_results,
};
use crate::store::imports::{next_batch_id, tag_batch};
use crate::store::{Store, StoreError};

pub use storefront::{IMPORT_CONFIRM_DAYS, OrderChange, StorefrontReport};

mod inventory;
mod orders;
mod products;
mod purchase_orders;
mod read_ahead;
mod storefront;

use read_ahead::merge_errors;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Products,
    Orders,
    PurchaseOrders,
    /// A shop's stock counts (Shopify's inventory export).
    Inventory,
}

impl ImportKind {
    pub const ALL: [Self; 4] = [
        Self::Products,
        Self::Orders,
        Self::PurchaseOrders,
        Self::Inventory,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Orders => "orders",
            Self::PurchaseOrders => "purchase orders",
            Self::Inventory => "inventory",
        }
    }

    /// The code kept with an import batch.
    pub fn code(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Orders => "orders",
            Self::PurchaseOrders => "purchase_orders",
            Self::Inventory => "inventory",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    fn entity(self) -> Entity {
        match self {
            Self::Products => Entity::Products,
            Self::Orders => Entity::Orders,
            Self::PurchaseOrders => Entity::PurchaseOrders,
            Self::Inventory => Entity::Inventory,
        }
    }
}

/// What to import and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub path: PathBuf,
    /// `None`: recognise the layout from the header.
    pub format: Option<Format>,
    /// The day/month order of slash dates; `None`: detect.
    pub date_order: Option<DateOrder>,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
    /// Write the good rows even when some rows have errors.
    pub valid_only: bool,
    /// Inventory: the shop location whose counts are taken (`None`: the file's only one).
    pub location: Option<String>,
    /// Inventory: add the variants the shop does not have yet as products.
    pub create_missing: bool,
    /// Read an orders file through this saved column mapping (by name).
    pub mapping: Option<String>,
}

impl ImportRequest {
    /// An import of `kind` from `path` that writes (not a dry run), recognising the layout and
    /// date order from the file and refusing a file with errors.
    pub fn new(kind: ImportKind, path: impl Into<PathBuf>) -> Self {
        Self {
            kind,
            path: path.into(),
            format: None,
            date_order: None,
            dry_run: false,
            valid_only: false,
            location: None,
            create_missing: false,
            mapping: None,
        }
    }
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub summary: ImportSummary,
    /// Rows that add something new.
    pub new: u64,
    /// Rows that change something that exists.
    pub updated: u64,
    /// Rows that change nothing (including orders and POs already in the shop).
    pub unchanged: u64,
    /// True when the changes were committed.
    pub written: bool,
    /// The batch the changes were recorded as (for undo); `None` when nothing was written.
    pub batch_id: Option<i64>,
    /// The first rows as they will be stored: a header and up to 20 rows.
    pub preview_header: Vec<&'static str>,
    pub preview: Vec<Vec<String>>,
    /// What the file as a whole means for the shop, one plain sentence each ("this file has no
    /// stock quantities: …"), in addition to the file's warnings.
    pub notes: Vec<String>,
    /// Why no product came of the file, when none did (then nothing is written and the command
    /// line exits with 2).
    pub nothing: Option<String>,
    /// Inventory: the locations the file holds stock for, in file order.
    pub locations: Vec<String>,
    /// Inventory: the location whose counts were taken (`None` while one must be chosen).
    pub location: Option<String>,
    /// Inventory: rows of variants the shop does not have, left alone (see
    /// [`ImportRequest::create_missing`]).
    pub unknown_variants: u64,
    /// Orders in the file (orders files only).
    pub orders_in_file: u64,
    /// A storefront's export: orders new, changed (with what changed) and unchanged, oversold
    /// lines and confirmations drafted.
    pub storefront: Option<StorefrontReport>,
    /// Order lines recorded although their product could not be backordered (orders files).
    pub oversold_lines: u64,
}

impl ImportReport {
    pub fn error_count(&self) -> u64 {
        self.summary.rows_with_errors
    }

    /// An inventory file with several locations, and none chosen yet: nothing was read into
    /// the shop.
    pub fn needs_location(&self) -> bool {
        self.location.is_none() && self.locations.len() > 1
    }

    /// "image rows (2), variable products (their variations are the products) (1)" — why rows
    /// were skipped, or empty.
    pub fn skipped_text(&self) -> String {
        skip_text(&self.summary)
    }

    /// "Shopify orders export, 19 orders, 40 lines" (orders files), else the layout's name.
    pub fn headline(&self) -> String {
        let layout = self.summary.file.layout;
        if layout.entity() != Entity::Orders {
            return layout.label().to_owned();
        }
        let plural = |count: u64, one: &str, many: &str| {
            if count == 1 {
                format!("1 {one}")
            } else {
                format!("{count} {many}")
            }
        };
        format!(
            "{}, {}, {}",
            layout.label(),
            plural(self.orders_in_file, "order", "orders"),
            plural(self.summary.rows_read, "line", "lines")
        )
    }
}

#[derive(Debug, Error)]
pub enum ImportFailure {
    #[error("{path}: {error}")]
    File { path: String, error: ImportError },
    #[error("cannot open {path}: {error}")]
    Open { path: String, error: std::io::Error },
    #[error("import cancelled; nothing was changed")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A saved column mapping that cannot be used fails the import with its message.
impl From<MappingError> for ImportFailure {
    fn from(error: MappingError) -> Self {
        match error {
            MappingError::Store(error) => Self::Store(error),
            other => Self::Store(StoreError::Invalid(other.to_string())),
        }
    }
}

const PREVIEW_ROWS: usize = 20;
/// Order files larger than this load in bulk: the secondary indexes are built afterwards and the
/// references are checked once at the end instead of row by row (see [`Store::begin_bulk_load`]).
pub const LARGE_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Counts and row errors found against the database while rows stream in.
pub(crate) struct Tally {
    pub(crate) new: u64,
    pub(crate) updated: u64,
    pub(crate) unchanged: u64,
    /// The first [`KEPT_ERRORS`] errors; the rest are only counted.
    errors: Vec<RowError>,
    errors_not_kept: u64,
    /// Rows with at least one of these errors.
    error_rows: u64,
    last_error_line: Option<u64>,
    preview: Vec<Vec<String>>,
    /// Warnings found against the database (merged into the file's, by line).
    pub(crate) warnings: Vec<Warning>,
}

/// Row errors found against the database that a report keeps (the rest are counted), so a file
/// of any size has a report of bounded size.
const KEPT_ERRORS: usize = 100_000;
/// Characters of a value kept in an error or a preview cell.
const SHOWN_CHARS: usize = 200;

impl Tally {
    fn new() -> Self {
        Self {
            new: 0,
            updated: 0,
            unchanged: 0,
            errors: Vec::new(),
            errors_not_kept: 0,
            error_rows: 0,
            last_error_line: None,
            preview: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, line: u64, message: String) {
        if self.warnings.len() < KEPT_ERRORS {
            self.warnings.push(Warning {
                line: Some(line),
                message,
            });
        }
    }

    pub(crate) fn preview(&mut self, row: impl FnOnce() -> Vec<String>) {
        if self.preview.len() < PREVIEW_ROWS {
            let cells = row()
                .into_iter()
                .map(|cell| shorten(&cell, SHOWN_CHARS).into_owned())
                .collect();
            self.preview.push(cells);
        }
    }

    pub(crate) fn push_error(&mut self, mut error: RowError) {
        if self.last_error_line != Some(error.line) {
            self.error_rows += 1;
            self.last_error_line = Some(error.line);
        }
        if self.errors.len() < KEPT_ERRORS {
            if let std::borrow::Cow::Owned(short) = shorten(&error.value, SHOWN_CHARS) {
                error.value = short;
            }
            self.errors.push(error);
        } else {
            self.errors_not_kept += 1;
        }
    }

    pub(crate) fn error(&mut self, line: u64, column: &str, value: &str, reason: &str) {
        self.push_error(RowError {
            line,
            column: column.to_owned(),
            value: shorten(value, SHOWN_CHARS).into_owned(),
            reason: reason.to_owned(),
        });
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Which kind of file this is, from its header (for a file dropped on the window).
pub fn detect_kind(path: &Path) -> Result<ImportKind, String> {
    let file =
        File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))?;
    // The layout comes from the header; any date order will do for that.
    let options = ImportOptions {
        date_order: Some(DateOrder::DayFirst),
        ..ImportOptions::default()
    };
    let opened = match csv_import::open(BufReader::new(file), &options) {
        Ok(opened) => opened,
        // A file no layout knows may be another platform's orders: the import asks for its
        // columns.
        Err(ImportError::UnknownLayout { .. }) => return Ok(ImportKind::Orders),
        Err(error) => return Err(format!("{}: {error}", file_name(path))),
    };
    match opened.layout().entity() {
        Entity::Products => Ok(ImportKind::Products),
        Entity::Orders => Ok(ImportKind::Orders),
        Entity::PurchaseOrders => Ok(ImportKind::PurchaseOrders),
        Entity::Inventory => Ok(ImportKind::Inventory),
    }
}

/// Writes the row errors of an import as CSV (`line,column,value,reason`).
pub fn write_errors_csv(path: &Path, errors: &[RowError]) -> std::io::Result<()> {
    crate::io::write_atomically(path, |out| {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(["line", "column", "value", "reason"])?;
        for error in errors {
            crate::io::csv_guard::write_guarded(
                &mut csv,
                [
                    error.line.to_string().as_str(),
                    error.column.as_str(),
                    error.value.as_str(),
                    error.reason.as_str(),
                ],
            )?;
        }
        csv.flush()
    })
}

/// Runs an import (or a dry run) in one transaction.
pub fn run_import(
    store: &mut Store,
    request: &ImportRequest,
    clock: &Clock,
    progress: &Progress,
) -> Result<ImportReport, ImportFailure> {
    // A read-only shop (another copy writes to it) is never written, not even by a transaction
    // that is rolled back: its dry run works on a private copy.
    if request.dry_run && store.is_read_only() {
        let mut copy = store.private_copy()?;
        return run_import(&mut copy, request, clock, progress);
    }
    let result = import_file(store, request, *clock, progress);
    // A large import had a larger page cache and no row-by-row foreign-key checks; every way
    // out gives both back.
    store.end_bulk_load()?;
    result
}

/// One import under way: the transaction and what every kind of file is loaded with.
struct Job<'a> {
    conn: &'a Connection,
    request: &'a ImportRequest,
    /// The file's path, for messages.
    path_text: &'a str,
    /// The time written on what the import changes.
    now: &'a str,
    /// The reason written on the import's stock movements ("Import products.csv").
    reason: &'a str,
    batch_id: i64,
    /// The highest row ids before the import.
    marks: IdMarks,
    /// A large own-orders file: secondary indexes and KPI tracking off during the load.
    bulk: bool,
    clock: Clock,
    /// Progress and cancel, after each batch of rows.
    on_batch: &'a dyn Fn(u64) -> Result<(), ImportFailure>,
}

impl Job<'_> {
    /// A file error, named with the file.
    fn file_error(&self, error: ImportError) -> ImportFailure {
        ImportFailure::File {
            path: self.path_text.to_owned(),
            error,
        }
    }
}

/// What loading the rows of a file gave, besides the counts in the tally.
struct Loaded {
    summary: ImportSummary,
    preview_header: Vec<&'static str>,
    notes: Vec<String>,
    locations: Vec<String>,
    location: Option<String>,
    unknown_variants: u64,
    storefront: Option<StorefrontReport>,
    oversold_lines: u64,
    orders_in_file: u64,
}

impl Loaded {
    fn new(summary: ImportSummary, preview_header: Vec<&'static str>) -> Self {
        Self {
            summary,
            preview_header,
            notes: Vec::new(),
            locations: Vec::new(),
            location: None,
            unknown_variants: 0,
            storefront: None,
            oversold_lines: 0,
            orders_in_file: 0,
        }
    }
}

/// Opens the file and reads its header: the format, the layout and the date order.
fn open_file(
    store: &Store,
    request: &ImportRequest,
    path_text: &str,
) -> Result<(csv_import::ImportFile<'static>, u64), ImportFailure> {
    let file = File::open(&request.path).map_err(|error| ImportFailure::Open {
        path: path_text.to_owned(),
        error,
    })?;
    let size = file.metadata().map_or(0, |m| m.len()).max(1);
    let mapping = match &request.mapping {
        Some(name) => Some(super::mappings::load(store.connection(), name)?),
        None => None,
    };
    let options = ImportOptions {
        format: request.format,
        entity: Some(request.kind.entity()),
        date_order: request.date_order,
        mapping,
        ..ImportOptions::default()
    };
    let opened =
        csv_import::open(BufReader::with_capacity(1 << 16, file), &options).map_err(|error| {
            ImportFailure::File {
                path: path_text.to_owned(),
                error,
            }
        })?;
    Ok((opened, size))
}

fn import_file(
    store: &mut Store,
    request: &ImportRequest,
    clock: Clock,
    progress: &Progress,
) -> Result<ImportReport, ImportFailure> {
    let path_text = request.path.display().to_string();
    let (opened, size) = open_file(store, request, &path_text)?;
    if !request.dry_run {
        super::backup::backup_before(store, crate::domain::backup::BackupReason::Import, &clock)?;
    }
    let now = clock.now_text();
    let reason = format!("Import {}", file_name(&request.path));
    // A big order history loads with the secondary indexes built afterwards and its references
    // checked once at the end instead of row by row.
    let bulk = request.kind == ImportKind::Orders
        && opened.layout() == Layout::OwnOrders
        && size > LARGE_FILE_BYTES;
    if bulk {
        store.begin_bulk_load()?;
    }
    let tx = store.transaction()?;
    let on_batch = |bytes: u64| {
        progress.set(0.95 * bytes as f32 / size as f32);
        if progress.is_cancelled() {
            Err(ImportFailure::Cancelled)
        } else {
            Ok(())
        }
    };
    let job = Job {
        conn: &tx,
        request,
        path_text: &path_text,
        now: &now,
        reason: &reason,
        batch_id: next_batch_id(&tx)?,
        marks: id_marks(&tx)?,
        bulk,
        clock,
        on_batch: &on_batch,
    };
    let mut tally = Tally::new();
    let mut loaded = match request.kind {
        ImportKind::Products => products::load(&job, opened, &mut tally)?,
        ImportKind::Inventory => inventory::load(&job, opened, &mut tally)?,
        ImportKind::Orders if opened.layout().is_storefront_orders() => {
            let layout = opened.layout();
            let rows = opened
                .storefront_orders()
                .map_err(|error| job.file_error(error))?;
            let (summary, report) = storefront::import_rows(
                &tx,
                rows,
                layout,
                &path_text,
                &on_batch,
                &mut tally,
                job.batch_id,
                clock,
            )?;
            let mut loaded = Loaded::new(summary, storefront::PREVIEW_HEADER.to_vec());
            loaded.orders_in_file = report.orders;
            loaded.oversold_lines = report.oversold_lines;
            loaded.storefront = Some(report);
            loaded
        }
        ImportKind::Orders => orders::load(&job, opened, &mut tally)?,
        ImportKind::PurchaseOrders => purchase_orders::load(&job, opened, &mut tally)?,
    };
    merge_errors(&mut loaded.summary, &mut tally);
    let (written, batch_id, nothing) = finish(&job, &loaded, &tally, progress)?;
    if written {
        tx.commit().map_err(StoreError::from)?;
    }
    progress.set(1.0);
    Ok(ImportReport {
        summary: loaded.summary,
        new: tally.new,
        updated: tally.updated,
        unchanged: tally.unchanged,
        written,
        batch_id,
        preview_header: loaded.preview_header,
        preview: tally.preview,
        notes: loaded.notes,
        nothing,
        locations: loaded.locations,
        location: loaded.location,
        unknown_variants: loaded.unknown_variants,
        orders_in_file: loaded.orders_in_file,
        oversold_lines: loaded.oversold_lines,
        storefront: loaded.storefront,
    })
}

/// Decides whether the loaded rows are written (not a dry run, no errors unless valid rows only
/// were asked for, something came of the file, no location left to choose) and, if so,
/// recomputes the promises and records the batch for undo. Returns whether to commit, the batch
/// recorded, and why nothing came of the file.
fn finish(
    job: &Job<'_>,
    loaded: &Loaded,
    tally: &Tally,
    progress: &Progress,
) -> Result<(bool, Option<i64>, Option<String>), ImportFailure> {
    let request = job.request;
    let summary = &loaded.summary;
    let has_errors = summary.rows_with_errors > 0;
    let needs_location = loaded.location.is_none() && loaded.locations.len() > 1;
    let nothing = if needs_location {
        None
    } else {
        nothing_imported(request.kind, summary, tally)
    };
    let write = !request.dry_run
        && (!has_errors || request.valid_only)
        && nothing.is_none()
        && !needs_location;
    if progress.is_cancelled() {
        return Err(ImportFailure::Cancelled);
    }
    let mut recorded = None;
    if write {
        let conn = job.conn;
        recompute(conn, job.clock.today(), job.reason)?;
        tag_batch(conn, job.batch_id, &job.marks)?;
        if tally.new + tally.updated > 0 {
            remember_results(conn, job.batch_id, &job.marks)?;
            let ranges = IdRanges {
                before: job.marks,
                after: id_marks(conn)?,
            };
            insert_batch(
                conn,
                &NewBatch {
                    batch_id: job.batch_id,
                    kind: request.kind.code(),
                    file_name: &file_name(&request.path),
                    imported_at: job.now,
                    rows_new: tally.new,
                    rows_updated: tally.updated,
                    rows_unchanged: tally.unchanged,
                    rows_with_errors: summary.rows_with_errors,
                },
                &ranges,
            )?;
            recorded = Some(job.batch_id);
        }
    }
    Ok((write, recorded, nothing))
}

/// Why rows were skipped, with how many: "image rows (2), rows of other locations (1)".
fn skip_text(summary: &ImportSummary) -> String {
    summary
        .skip_reasons
        .iter()
        .map(|(reason, count)| format!("{reason} ({count})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a products or inventory file gave the shop nothing (`None` when a row was read into
/// it, or for other kinds: re-importing orders already in the shop is not "nothing").
fn nothing_imported(kind: ImportKind, summary: &ImportSummary, tally: &Tally) -> Option<String> {
    if !matches!(kind, ImportKind::Products | ImportKind::Inventory)
        || tally.new + tally.updated + tally.unchanged > 0
    {
        return None;
    }
    let what = if kind == ImportKind::Products {
        "no product came of this file"
    } else {
        "no stock count came of this file"
    };
    let skipped = skip_text(summary);
    Some(if summary.rows_read == 0 {
        format!("{what}: it has a header and no rows")
    } else if summary.rows_with_errors == summary.rows_read {
        format!("{what}: every row has an error (see the errors above)")
    } else if summary.rows_with_errors == 0 && summary.rows_skipped == summary.rows_read {
        format!(
            "{what}: every row was skipped: {skipped}; it holds no {}",
            if kind == ImportKind::Products {
                "product rows"
            } else {
                "count for a product of the shop"
            }
        )
    } else {
        format!(
            "{what}: {} row(s) have errors and the rest were skipped: {skipped}",
            summary.rows_with_errors
        )
    })
}

/// A limit's problem and fix, for a row error (the column and value are named apart).
fn reason_of(error: &LimitError) -> String {
    format!("{}; {}", error.problem, error.fix)
}
