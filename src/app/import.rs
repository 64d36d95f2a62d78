//! Importing CSV files into the shop: products, orders, purchase orders.
//!
//! Everything happens in one transaction. A dry run, a cancel, or a file with errors (unless
//! "valid rows only" was chosen) rolls it back: the database is never half-changed. Rows stream
//! from the file; lookups are built once.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use thiserror::Error;

use super::Clock;
use super::jobs::Progress;
use super::orders::reallocate;
use super::promises::recompute;
use crate::domain::allocation::Priority;
use crate::domain::format_cents;
use crate::domain::identity::{ShopIdentity, look_alike, shopify_variant_name, sku_fold};
use crate::domain::limits::{LimitError, MAX_NAME_CHARS, check_cents, check_event_day, check_text};
use crate::domain::order::{OrderStatus, PoStatus};
use crate::domain::product::ProductData;
use crate::domain::ship_to::ShipTo;
use crate::domain::text::{has_control_chars, shorten};
use crate::domain::{BackorderPolicy, MovementKind};
use crate::io::csv_import::{
    self, DateOrder, Entity, Format, ImportError, ImportOptions, ImportSummary, ImportedOrderLine,
    ImportedPoLine, ImportedProduct, InventoryQuantity, InventoryShape, Layout, OrderLineStatus,
    OwnOrderRow, ProductColumns, RowError, RowResult, Rows, ShopifyInventoryRow, Warning,
};
use crate::store::Connection;
use crate::store::batches::{
    IdRanges, NewBatch, id_marks, insert_batch, remember_product_before, remember_results,
};
use crate::store::bulk::OrderRows;
use crate::store::imports::{
    check_imported_references, create_order_indexes, drop_order_indexes, existing_po_numbers,
    next_batch_id, product_ids, product_index, products_with_open_imported_lines,
    settle_imported_pos, settle_order, tag_batch,
};
use crate::store::kpi_rollup;
use crate::store::ledger::record_movement;
use crate::store::orders::{
    customer_id, highest_order_number, insert_order_line, next_line_no, order_and_batch_by_number,
};
use crate::store::products::{
    insert_product_row, set_shop_identity, supplier_id, unarchive, update_product_row,
};
use crate::store::purchasing::{insert_po_line, insert_purchase_order};
use crate::store::rows::{NewOrder, NewOrderLine, NewPoLine, NewPurchaseOrder};
use crate::store::{ProductId, ProductRecord, Store, StoreError};

pub use super::shop_import::{OrderChange, StorefrontReport};

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

fn import_file(
    store: &mut Store,
    request: &ImportRequest,
    clock: Clock,
    progress: &Progress,
) -> Result<ImportReport, ImportFailure> {
    let path_text = request.path.display().to_string();
    let file = File::open(&request.path).map_err(|error| ImportFailure::Open {
        path: path_text.clone(),
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
                path: path_text.clone(),
                error,
            }
        })?;
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
    let marks = id_marks(&tx)?;
    let batch_id = next_batch_id(&tx)?;
    let mut tally = Tally::new();
    let on_batch = |bytes: u64| {
        progress.set(0.95 * bytes as f32 / size as f32);
        if progress.is_cancelled() {
            Err(ImportFailure::Cancelled)
        } else {
            Ok(())
        }
    };
    let mut notes: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();
    let mut location: Option<String> = None;
    let mut unknown_variants = 0;
    let mut storefront: Option<StorefrontReport> = None;
    let mut oversold_lines = 0;
    let mut orders_in_file = 0;
    let (mut summary, preview_header) = match request.kind {
        ImportKind::Products => {
            let info = opened.info().clone();
            let rows = opened.products().map_err(|error| ImportFailure::File {
                path: path_text.clone(),
                error,
            })?;
            let mut state = ProductImport::new(&tx, info.layout)?;
            let summary = read_ahead(
                rows,
                &path_text,
                &on_batch,
                |row| row,
                |row| import_product(&tx, &row, &mut state, &mut tally, &now, &reason, batch_id),
            )?;
            for product_id in std::mem::take(&mut state.changed_stock) {
                reallocate(&tx, product_id)?;
            }
            notes = state.notes(info.facts, info.layout);
            (summary, PRODUCT_PREVIEW.to_vec())
        }
        ImportKind::Inventory => {
            let info = opened.info().clone();
            let rows = opened
                .shopify_inventory()
                .map_err(|error| ImportFailure::File {
                    path: path_text.clone(),
                    error,
                })?;
            let (summary, outcome) = import_inventory(
                &tx,
                rows,
                &info,
                request,
                &mut tally,
                &InventoryContext {
                    path: &path_text,
                    now: &now,
                    file: &file_name(&request.path),
                },
                &on_batch,
            )?;
            notes = outcome.notes;
            locations = outcome.locations;
            location = outcome.location;
            unknown_variants = outcome.unknown;
            (summary, INVENTORY_PREVIEW.to_vec())
        }
        ImportKind::Orders if opened.layout().is_storefront_orders() => {
            let layout = opened.layout();
            let rows = opened
                .storefront_orders()
                .map_err(|error| ImportFailure::File {
                    path: path_text.clone(),
                    error,
                })?;
            let (summary, report) = super::shop_import::import_rows(
                &tx, rows, layout, &path_text, &on_batch, &mut tally, batch_id, clock,
            )?;
            orders_in_file = report.orders;
            storefront = Some(report);
            (summary, super::shop_import::PREVIEW_HEADER.to_vec())
        }
        ImportKind::Orders => {
            let rows = opened.own_orders().map_err(|error| ImportFailure::File {
                path: path_text.clone(),
                error,
            })?;
            let index = product_ids(&tx)?;
            let mut state = OrderImport::new(&tx, batch_id)?;
            // The statements of what a large load drops, read from the file before dropping.
            let dropped = if bulk {
                Some((drop_order_indexes(&tx)?, kpi_rollup::suspend_tracking(&tx)?))
            } else {
                None
            };
            let summary = read_ahead(
                rows,
                &path_text,
                &on_batch,
                with_product(&index, |row: &OwnOrderRow| &row.line.sku),
                |(row, product)| {
                    import_order_line(
                        &tx,
                        &row.line,
                        row.ship_to.as_ref(),
                        product,
                        &mut state,
                        &mut tally,
                        clock.today(),
                    )
                },
            )?;
            state.finish(&tx)?;
            orders_in_file = state.orders_seen;
            let mut resettle: Vec<i64> = state.resettle.drain().collect();
            resettle.sort_unstable();
            for order_id in resettle {
                settle_order(&tx, order_id)?;
            }
            if let Some((indexes, triggers)) = &dropped {
                create_order_indexes(&tx, indexes)?;
                kpi_rollup::resume_tracking(&tx, triggers)?;
                if let Some(problem) = check_imported_references(&tx, &marks)? {
                    return Err(
                        StoreError::Invalid(format!("{problem}; nothing was imported")).into(),
                    );
                }
            }
            for product_id in products_with_open_imported_lines(&tx, marks.orders)? {
                reallocate(&tx, product_id)?;
            }
            // Orders are facts: lines of products that could not be backordered when ordered
            // are recorded and flagged.
            oversold_lines = super::shop_import::flag_oversold_imported(&tx, marks.orders)?;
            (
                summary,
                vec![
                    "order",
                    "ordered at",
                    "customer",
                    "e-mail",
                    "sku",
                    "quantity",
                    "price",
                    "status",
                    "priority",
                ],
            )
        }
        ImportKind::PurchaseOrders => {
            let rows = opened
                .purchase_orders()
                .map_err(|error| ImportFailure::File {
                    path: path_text.clone(),
                    error,
                })?;
            let index = product_ids(&tx)?;
            let mut state = PoImport {
                existing: existing_po_numbers(&tx)?,
                created: HashMap::new(),
            };
            let summary = read_ahead(
                rows,
                &path_text,
                &on_batch,
                with_product(&index, |row: &ImportedPoLine| &row.sku),
                |(row, product)| {
                    import_po_line(&tx, &row, product, &mut state, &mut tally, clock.today())
                },
            )?;
            settle_imported_pos(&tx, marks.purchase_orders)?;
            (
                summary,
                vec![
                    "po",
                    "supplier",
                    "sku",
                    "quantity",
                    "unit cost",
                    "ordered",
                    "expected",
                    "received",
                ],
            )
        }
    };
    merge_errors(&mut summary, &mut tally);
    let has_errors = summary.rows_with_errors > 0;
    let needs_location = location.is_none() && locations.len() > 1;
    let nothing = if needs_location {
        None
    } else {
        nothing_imported(request.kind, &summary, &tally)
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
        recompute(&tx, clock.today(), &reason)?;
        tag_batch(&tx, batch_id, &marks)?;
        if tally.new + tally.updated > 0 {
            remember_results(&tx, batch_id, &marks)?;
            let ranges = IdRanges {
                before: marks,
                after: id_marks(&tx)?,
            };
            insert_batch(
                &tx,
                &NewBatch {
                    batch_id,
                    kind: request.kind.code(),
                    file_name: &file_name(&request.path),
                    imported_at: &now,
                    rows_new: tally.new,
                    rows_updated: tally.updated,
                    rows_unchanged: tally.unchanged,
                    rows_with_errors: summary.rows_with_errors,
                },
                &ranges,
            )?;
            recorded = Some(batch_id);
        }
        tx.commit().map_err(StoreError::from)?;
    }
    progress.set(1.0);
    Ok(ImportReport {
        summary,
        new: tally.new,
        updated: tally.updated,
        unchanged: tally.unchanged,
        written: write,
        batch_id: recorded,
        preview_header,
        preview: tally.preview,
        notes,
        nothing,
        locations,
        location,
        unknown_variants,
        orders_in_file,
        oversold_lines: storefront
            .as_ref()
            .map_or(oversold_lines, |shop| shop.oversold_lines),
        storefront,
    })
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

/// Rows handed from the reading thread to the writing one at a time.
const READ_AHEAD_ROWS: usize = 1024;
/// Batches the reading thread may be ahead (bounds the memory, whatever the file's size).
const READ_AHEAD_BATCHES: usize = 4;

/// One batch of parsed rows and how far into the file the reading got.
struct ReadBatch<T> {
    items: Vec<Result<RowResult<T>, ImportError>>,
    bytes_read: u64,
}

/// Feeds every good row of `rows` to `each`, in file order, while a second thread reads and
/// checks the rows ahead (parsing is about a tenth of a large import; on two cores it overlaps
/// the writing instead of adding to it). `prepare` runs on the reading thread too, for the work
/// on a row that needs no database (looking its product up by SKU). `on_batch` gets the bytes
/// read after each batch (for the progress bar; an error from it, e.g. a cancel, stops the
/// import). Returns the file's summary once every row was read; the first error of the file, of
/// `each` or of `on_batch` stops both threads.
fn read_ahead<T: Send, U: Send>(
    rows: Rows<'_, T>,
    path: &str,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
    prepare: impl Fn(T) -> U + Send,
    mut each: impl FnMut(U) -> Result<(), ImportFailure>,
) -> Result<ImportSummary, ImportFailure> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(READ_AHEAD_BATCHES);
        let reader = scope.spawn(move || {
            let mut rows = rows;
            loop {
                let items: Vec<_> = rows
                    .by_ref()
                    .take(READ_AHEAD_ROWS)
                    .map(|item| item.map(|row| row.map(&prepare)))
                    .collect();
                let last = items.len() < READ_AHEAD_ROWS;
                let batch = ReadBatch {
                    items,
                    bytes_read: rows.bytes_read(),
                };
                // A closed channel: the writing side stopped (an error or a cancel).
                if sender.send(batch).is_err() || last {
                    break;
                }
            }
            rows.into_summary()
        });
        for batch in receiver {
            for item in batch.items {
                let item = item.map_err(|error| ImportFailure::File {
                    path: path.to_owned(),
                    error,
                })?;
                if let Ok(row) = item {
                    each(row)?;
                }
            }
            on_batch(batch.bytes_read)?;
        }
        reader.join().map_err(|_| {
            ImportFailure::Store(StoreError::Invalid(format!(
                "{path}: reading the file stopped unexpectedly; nothing was imported"
            )))
        })
    })
}

/// Adds the errors (and warnings) found against the database to the file's own, in line order.
fn merge_errors(summary: &mut ImportSummary, tally: &mut Tally) {
    if !tally.warnings.is_empty() {
        summary.warnings.append(&mut tally.warnings);
        // File-level warnings (no line) first, then by line; equal lines keep their order.
        summary
            .warnings
            .sort_by_key(|warning| warning.line.unwrap_or(0));
    }
    if tally.error_rows == 0 {
        return;
    }
    summary.rows_with_errors += tally.error_rows;
    summary.rows_ok = summary.rows_ok.saturating_sub(tally.error_rows);
    summary.errors.append(&mut tally.errors);
    summary.errors.sort_by_key(|e| e.line);
    summary.errors_not_kept += tally.errors_not_kept;
}

/// The preview columns of a products file.
const PRODUCT_PREVIEW: [&str; 12] = [
    "sku",
    "in the shop",
    "name",
    "category",
    "location",
    "unit cost",
    "price",
    "sale price",
    "on hand",
    "supplier",
    "lead time",
    "backorders",
];

/// What a products import knows of the catalog and has counted, while rows stream in.
struct ProductImport {
    /// Every product by SKU (archived included), kept up to date as rows are written.
    index: HashMap<String, ProductRecord>,
    /// The SKU of every product with a shop identity.
    identities: HashMap<ShopIdentity, String>,
    /// SKUs by their fold (see [`sku_fold`]): the first SKU of each.
    folds: HashMap<String, String>,
    /// The policy a new product gets when the file does not say (the platform's default).
    default_policy: BackorderPolicy,
    /// Products whose stock or tracking changed: matched to their waiting lines at the end.
    changed_stock: Vec<ProductId>,
    new_products: u64,
    new_not_tracked: u64,
    not_tracked: u64,
}

impl ProductImport {
    fn new(conn: &Connection, layout: Layout) -> Result<Self, ImportFailure> {
        let index = product_index(conn)?;
        let mut identities = HashMap::new();
        let mut folds = HashMap::new();
        for record in index.values() {
            if let Some(identity) = &record.identity {
                identities.insert(identity.clone(), record.data.sku.clone());
            }
            folds
                .entry(sku_fold(&record.data.sku))
                .or_insert_with(|| record.data.sku.clone());
        }
        Ok(Self {
            index,
            identities,
            folds,
            default_policy: default_policy(layout),
            changed_stock: Vec::new(),
            new_products: 0,
            new_not_tracked: 0,
            not_tracked: 0,
        })
    }

    /// The sentences that tell what the file as a whole did: stock, policies and prices it
    /// has no column for, and stock the shop does not count.
    fn notes(&self, facts: ProductColumns, layout: Layout) -> Vec<String> {
        let mut notes = Vec::new();
        let new_tracked = self.new_products - self.new_not_tracked;
        if !facts.quantity {
            let fix = match layout {
                Layout::ShopifyProducts => {
                    "import the shop's inventory export (Shopify admin › Products › Inventory › \
                     Export) to set it"
                }
                Layout::WooCommerceProducts => {
                    "export the products again with the Stock column to set it"
                }
                _ => "import a file with an on_hand column to set it",
            };
            let new = if new_tracked > 0 {
                format!(" ({new_tracked} new product(s) start at 0 on hand)")
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no stock quantities: stock was left as it was{new}; {fix}"
            ));
        }
        if !facts.policy {
            let default = match layout {
                Layout::ShopifyProducts => "Shopify's default",
                Layout::WooCommerceProducts => "WooCommerce's default",
                _ => "the desk's default",
            };
            let new = if self.new_products > 0 {
                format!(
                    "; {} new product(s) got '{}' ({default})",
                    self.new_products,
                    self.default_policy.label().to_lowercase()
                )
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no backorder policy column: stored policies were kept{new}"
            ));
        }
        if !facts.price {
            let new = if self.new_products > 0 {
                format!(
                    "; {} new product(s) have price 0 until a price is set",
                    self.new_products
                )
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no price column: stored prices were kept{new}"
            ));
        }
        if self.not_tracked > 0 {
            notes.push(format!(
                "{} product(s) are not tracked (the shop does not count their stock): they are \
                 always orderable and their orders never wait",
                self.not_tracked
            ));
        }
        notes
    }
}

/// The backorder policy of a new product whose file does not say: Shopify's `deny` and
/// WooCommerce's "Do not allow" for their files, the desk's own default otherwise.
fn default_policy(layout: Layout) -> BackorderPolicy {
    match layout {
        Layout::ShopifyProducts | Layout::WooCommerceProducts => BackorderPolicy::NotAllowed,
        _ => BackorderPolicy::Allowed,
    }
}

/// Which product a row is: the SKU of the product it updates (`None`: a new one), the SKU the
/// product is kept under, and whether that SKU is derived from the shop identity.
struct Target {
    existing: Option<String>,
    sku: String,
    sku_derived: bool,
}

/// Finds the product a row is: by its own SKU; else (no SKU, or one several variants share) by
/// its identity in the shop. A row whose SKU is new but whose identity is known gives that
/// product its SKU. An error names what is wrong with the row.
fn target_of(row: &ImportedProduct, state: &ProductImport) -> Result<Target, RowError> {
    let by_identity = row
        .identity
        .as_ref()
        .and_then(|identity| state.identities.get(identity));
    let own_sku = !row.sku.is_empty() && !row.sku_shared;
    let target = if own_sku && state.index.contains_key(&row.sku) {
        Target {
            existing: Some(row.sku.clone()),
            sku: row.sku.clone(),
            sku_derived: false,
        }
    } else if own_sku {
        Target {
            existing: by_identity.cloned(),
            sku: row.sku.clone(),
            sku_derived: false,
        }
    } else if let Some(existing) = by_identity {
        let derived = state
            .index
            .get(existing)
            .is_none_or(|record| record.sku_derived);
        Target {
            existing: Some(existing.clone()),
            sku: existing.clone(),
            sku_derived: derived,
        }
    } else if let Some(identity) = &row.identity {
        let sku = identity.derived_sku();
        if state.index.contains_key(&sku) {
            return Err(RowError {
                line: row.line,
                column: "SKU".into(),
                value: row.sku.clone(),
                reason: format!(
                    "this variant has no SKU of its own and its key '{sku}' is already the SKU of \
                     another product; give the variant a SKU in the shop"
                ),
            });
        }
        Target {
            existing: None,
            sku,
            sku_derived: true,
        }
    } else {
        return Err(RowError {
            line: row.line,
            column: "sku".into(),
            value: row.sku.clone(),
            reason: if row.sku.is_empty() {
                "a SKU is required".into()
            } else {
                format!("SKU '{}' is used by several rows of this file", row.sku)
            },
        });
    };
    // A SKU that is new to the shop but looks like one it has (a spreadsheet dropped its
    // leading zeros, or the letter case differs) is almost surely that product.
    if !target.sku_derived
        && target.existing.as_deref() != Some(target.sku.as_str())
        && let Some(other) = state.folds.get(&sku_fold(&target.sku))
        && let Some(how) = look_alike(&target.sku, other)
    {
        return Err(RowError {
            line: row.line,
            column: "sku".into(),
            value: target.sku.clone(),
            reason: format!(
                "is SKU '{other}' of the shop {how}; write it as '{other}' to update that \
                 product (or leave the row out with --valid-only)"
            ),
        });
    }
    Ok(target)
}

fn import_product(
    conn: &Connection,
    row: &ImportedProduct,
    state: &mut ProductImport,
    tally: &mut Tally,
    now: &str,
    reason: &str,
    batch_id: i64,
) -> Result<(), ImportFailure> {
    let target = match target_of(row, state) {
        Ok(target) => target,
        Err(error) => {
            tally.push_error(error);
            return Ok(());
        }
    };
    let existing = target
        .existing
        .as_ref()
        .and_then(|sku| state.index.get(sku))
        .cloned();
    let mut data = existing.as_ref().map_or_else(
        || ProductData {
            sku: target.sku.clone(),
            name: String::new(),
            category: String::new(),
            location: String::new(),
            unit_cost_cents: 0,
            price_cents: 0,
            supplier: String::new(),
            lead_time_days: None,
            backorder_policy: state.default_policy,
            max_wait_days: crate::domain::product::DEFAULT_MAX_WAIT_DAYS,
            reorder_point: 0,
            track_stock: true,
            sale_price_cents: None,
        },
        |existing| existing.data.clone(),
    );
    data.sku.clone_from(&target.sku);
    if let Some(name) = &row.name {
        data.name.clone_from(name);
    }
    for (target, value) in [
        (&mut data.category, &row.category),
        (&mut data.location, &row.location),
    ] {
        if let Some(value) = value {
            target.clone_from(value);
        }
    }
    // Suppliers are found without regard to letter case: a case-only difference is the same
    // supplier, and not a change.
    if let Some(supplier) = &row.supplier
        && !supplier.eq_ignore_ascii_case(&data.supplier)
    {
        data.supplier.clone_from(supplier);
    }
    if let Some(cents) = row.unit_cost_cents {
        data.unit_cost_cents = cents;
    }
    if let Some(cents) = row.price_cents {
        data.price_cents = cents;
    }
    if let Some(sale) = row.sale_price_cents {
        data.sale_price_cents = sale;
    }
    if let Some(days) = row.lead_time_days {
        data.lead_time_days = Some(days);
    }
    if let Some(policy) = row.backorder_policy {
        data.backorder_policy = policy;
    }
    if let Some(days) = row.max_wait_days {
        data.max_wait_days = days;
    }
    if let Some(tracked) = row.track_stock {
        data.track_stock = tracked;
    }
    if data.name.trim().is_empty() {
        tally.error(row.line, "name", "", "a product needs a name");
        return Ok(());
    }
    for (column, value) in [
        ("sku", &data.sku),
        ("name", &data.name),
        ("category", &data.category),
        ("location", &data.location),
        ("supplier", &data.supplier),
    ] {
        if has_control_chars(value) {
            tally.error(
                row.line,
                column,
                value,
                "line breaks and tabs are not allowed here",
            );
            return Ok(());
        }
    }
    if data.unit_cost_cents < 0 || data.price_cents < 0 {
        tally.error(
            row.line,
            "price",
            "",
            "prices and costs must not be negative",
        );
        return Ok(());
    }
    for (column, value) in [
        ("name", &data.name),
        ("category", &data.category),
        ("location", &data.location),
        ("supplier", &data.supplier),
    ] {
        if let Err(error) = check_text(column, value, MAX_NAME_CHARS) {
            tally.error(row.line, column, value, &reason_of(&error));
            return Ok(());
        }
    }
    for (column, cents) in [
        ("unit_cost", data.unit_cost_cents),
        ("price", data.price_cents),
    ] {
        if let Err(error) = check_cents(column, cents) {
            tally.error(row.line, column, &format_cents(cents), &reason_of(&error));
            return Ok(());
        }
    }
    // The identity the product keeps: the row's, unless another product has it.
    let mut identity = existing.as_ref().and_then(|record| record.identity.clone());
    if let Some(row_identity) = &row.identity {
        match state.identities.get(row_identity) {
            Some(owner) if target.existing.as_deref() != Some(owner.as_str()) => {
                tally.warn(
                    row.line,
                    format!(
                        "the {} variant '{}' is already product '{owner}' of the shop; this \
                         row updated '{}' and left that product as it was",
                        row_identity.platform, row_identity.key, data.sku
                    ),
                );
            }
            _ => identity = Some(row_identity.clone()),
        }
    }
    // Stock the shop does not count has no quantity to take.
    let on_hand = if data.track_stock { row.on_hand } else { None };
    if !data.track_stock {
        state.not_tracked += 1;
    }
    let shop_label = match (&row.identity, target.sku_derived, row.sku_shared) {
        (None, _, _) => String::new(),
        (Some(_), _, true) => format!("shared SKU {}", row.sku),
        (Some(_), true, false) => "no SKU".to_owned(),
        (Some(_), false, false) => "SKU".to_owned(),
    };
    tally.preview(|| {
        vec![
            data.sku.clone(),
            shop_label,
            data.name.clone(),
            data.category.clone(),
            data.location.clone(),
            format_cents(data.unit_cost_cents),
            format_cents(data.price_cents),
            data.sale_price_cents.map(format_cents).unwrap_or_default(),
            if data.track_stock {
                on_hand.map(|n| n.to_string()).unwrap_or_default()
            } else {
                "not tracked".to_owned()
            },
            data.supplier.clone(),
            data.lead_time_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            data.backorder_policy.code().to_owned(),
        ]
    });
    match &existing {
        Some(existing) => {
            let product_id = existing.product_id;
            let identity_changed =
                identity != existing.identity || target.sku_derived != existing.sku_derived;
            let fields_changed = data != existing.data || existing.archived || identity_changed;
            let stock_delta = on_hand.map_or(0, |units| units - existing.on_hand);
            if fields_changed {
                remember_product_before(conn, batch_id, product_id)?;
                update_product_row(conn, product_id, &data, now)?;
                if existing.archived {
                    unarchive(conn, product_id)?;
                }
                if identity_changed {
                    set_shop_identity(conn, product_id, identity.as_ref(), target.sku_derived)?;
                }
            }
            if stock_delta != 0 {
                record_movement(
                    conn,
                    product_id,
                    MovementKind::Import,
                    stock_delta,
                    reason,
                    now,
                )?;
            }
            if stock_delta != 0 || data.track_stock != existing.data.track_stock {
                state.changed_stock.push(product_id);
            }
            if fields_changed || stock_delta != 0 {
                tally.updated += 1;
            } else {
                tally.unchanged += 1;
            }
            if existing.data.sku != data.sku {
                state.index.remove(&existing.data.sku);
            }
            if let Some(old) = &existing.identity {
                state.identities.remove(old);
            }
            state.index.insert(
                data.sku.clone(),
                ProductRecord {
                    product_id,
                    data: data.clone(),
                    on_hand: existing.on_hand + stock_delta,
                    archived: false,
                    identity: identity.clone(),
                    sku_derived: target.sku_derived,
                },
            );
        }
        None => {
            let supplier = supplier_id(conn, &data.supplier)?;
            let product_id = insert_product_row(conn, &data, supplier, now)?;
            if identity.is_some() || target.sku_derived {
                set_shop_identity(conn, product_id, identity.as_ref(), target.sku_derived)?;
            }
            let on_hand = on_hand.unwrap_or(0);
            if on_hand != 0 {
                record_movement(conn, product_id, MovementKind::Import, on_hand, reason, now)?;
            }
            tally.new += 1;
            state.new_products += 1;
            if !data.track_stock {
                state.new_not_tracked += 1;
            }
            state.index.insert(
                data.sku.clone(),
                ProductRecord {
                    product_id,
                    data: data.clone(),
                    on_hand,
                    archived: false,
                    identity: identity.clone(),
                    sku_derived: target.sku_derived,
                },
            );
        }
    }
    if let Some(identity) = identity {
        state.identities.insert(identity, data.sku.clone());
    }
    state
        .folds
        .entry(sku_fold(&data.sku))
        .or_insert_with(|| data.sku.clone());
    Ok(())
}

/// The preview columns of an inventory file.
const INVENTORY_PREVIEW: [&str; 6] = ["sku", "name", "location", "on hand", "count", "change"];

/// What an inventory import needs besides its rows.
struct InventoryContext<'a> {
    path: &'a str,
    now: &'a str,
    /// The file's name, for the movements' reason.
    file: &'a str,
}

/// What an inventory import found about the file as a whole.
struct InventoryOutcome {
    notes: Vec<String>,
    locations: Vec<String>,
    location: Option<String>,
    /// Rows of variants the shop does not have (left alone).
    unknown: u64,
}

/// The count a row gives for the chosen location: `Ok(Some(units))`, `Ok(None)` when the
/// variant is not stocked there, `Err` when the row has no count.
fn row_count(row: &ShopifyInventoryRow, location: &str) -> Result<Option<i64>, &'static str> {
    let quantity = if row.by_location.is_empty() {
        match (row.on_hand_new, row.on_hand_current) {
            (Some(InventoryQuantity::NotStocked), _)
            | (None, Some(InventoryQuantity::NotStocked)) => {
                return Ok(None);
            }
            (Some(InventoryQuantity::Units(units)), _)
            | (None, Some(InventoryQuantity::Units(units))) => units,
            (None, None) => return Err("the row has no On hand count"),
        }
    } else {
        match row
            .by_location
            .iter()
            .find(|(name, _)| name == location)
            .and_then(|(_, quantity)| *quantity)
        {
            Some(InventoryQuantity::Units(units)) => units,
            Some(InventoryQuantity::NotStocked) => return Ok(None),
            None => return Err("the location's column is empty"),
        }
    };
    Ok(Some(quantity))
}

/// Reads a Shopify inventory file and sets each matched product's on hand to the count of the
/// chosen location, through `count` movements in the ledger. Rows are matched by SKU, else by
/// handle and option values. A file with several locations and none chosen changes nothing
/// (the report lists the locations).
fn import_inventory(
    conn: &Connection,
    rows: Rows<'_, ShopifyInventoryRow>,
    info: &csv_import::FileInfo,
    request: &ImportRequest,
    tally: &mut Tally,
    cx: &InventoryContext<'_>,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
) -> Result<(ImportSummary, InventoryOutcome), ImportFailure> {
    let mut all = Vec::new();
    let mut rows = rows;
    let mut read = 0usize;
    while let Some(item) = rows.next() {
        let item = item.map_err(|error| ImportFailure::File {
            path: cx.path.to_owned(),
            error,
        })?;
        if let Ok(row) = item {
            all.push(row);
        }
        read += 1;
        if read.is_multiple_of(READ_AHEAD_ROWS) {
            on_batch(rows.bytes_read())?;
        }
    }
    let mut summary = rows.into_summary();
    let mut locations: Vec<String> = match &info.inventory {
        Some(InventoryShape::Wide { locations }) => locations.clone(),
        _ => Vec::new(),
    };
    for row in &all {
        if !row.location.is_empty() && !locations.contains(&row.location) {
            locations.push(row.location.clone());
        }
    }
    let location = match &request.location {
        Some(name) if !locations.contains(name) => {
            return Err(ImportFailure::File {
                path: cx.path.to_owned(),
                error: ImportError::UnknownLocation {
                    location: name.clone(),
                    known: locations,
                },
            });
        }
        Some(name) => Some(name.clone()),
        None if locations.len() <= 1 => Some(locations.first().cloned().unwrap_or_default()),
        None => None,
    };
    let Some(chosen) = location.clone() else {
        // Several locations: nothing is read until one is chosen.
        return Ok((
            summary,
            InventoryOutcome {
                notes: Vec::new(),
                locations,
                location: None,
                unknown: 0,
            },
        ));
    };

    let mut index = product_index(conn)?;
    let mut identities: HashMap<ShopIdentity, String> = index
        .values()
        .filter_map(|record| {
            record
                .identity
                .clone()
                .map(|identity| (identity, record.data.sku.clone()))
        })
        .collect();
    let reason = if chosen.is_empty() {
        format!("Count from {}", cx.file)
    } else {
        format!("Count from {} ({chosen})", cx.file)
    };
    let mut skips: Vec<(String, u64)> = Vec::new();
    let mut skip = |reason: &str| match skips.iter_mut().find(|(known, _)| known == reason) {
        Some((_, count)) => *count += 1,
        None => skips.push((reason.to_owned(), 1)),
    };
    let mut changed: Vec<ProductId> = Vec::new();
    let mut unknown = 0u64;
    for row in &all {
        if !row.location.is_empty() && row.location != chosen {
            skip("rows of other locations");
            continue;
        }
        let count = match row_count(row, &chosen) {
            Ok(Some(count)) => count,
            Ok(None) => {
                skip("rows of variants not stocked at the location");
                continue;
            }
            Err(reason) => {
                tally.error(row.line, "On hand", "", reason);
                continue;
            }
        };
        // The shop's own key first (two variants may share a SKU), then the SKU — unless the
        // product with that SKU is another variant of the shop.
        let sku = identities.get(&row.identity).cloned().or_else(|| {
            index
                .get(&row.sku)
                .filter(|record| {
                    !row.sku.is_empty()
                        && record
                            .identity
                            .as_ref()
                            .is_none_or(|identity| *identity == row.identity)
                })
                .map(|record| record.data.sku.clone())
        });
        let name = shopify_variant_name(&row.title, row.option_values.iter().map(String::as_str));
        let Some(sku) = sku else {
            if !request.create_missing {
                unknown += 1;
                skip("rows of variants the shop does not have");
                tally.warn(
                    row.line,
                    format!(
                        "'{name}' ({}) is not a product of the shop; its count was left alone \
                         (import the products export first, or add it as a product: --create)",
                        row.variant_label()
                    ),
                );
                continue;
            }
            // A SKU another product has (the shop shares it between variants) is not this
            // variant's own: it is keyed by its identity then.
            let (sku, derived) = if row.sku.is_empty() || index.contains_key(&row.sku) {
                (row.identity.derived_sku(), true)
            } else {
                (row.sku.clone(), false)
            };
            if index.contains_key(&sku) {
                tally.error(
                    row.line,
                    "SKU",
                    &row.sku,
                    "a product the shop has already uses this key; give the variant its own SKU",
                );
                continue;
            }
            let data = ProductData {
                sku: sku.clone(),
                name: name.clone(),
                category: String::new(),
                location: String::new(),
                unit_cost_cents: 0,
                price_cents: 0,
                supplier: String::new(),
                lead_time_days: None,
                backorder_policy: BackorderPolicy::NotAllowed,
                max_wait_days: crate::domain::product::DEFAULT_MAX_WAIT_DAYS,
                reorder_point: 0,
                track_stock: true,
                sale_price_cents: None,
            };
            let product_id = insert_product_row(conn, &data, None, cx.now)?;
            let identity = (!identities.contains_key(&row.identity)).then_some(&row.identity);
            set_shop_identity(conn, product_id, identity, derived)?;
            if count != 0 {
                record_movement(
                    conn,
                    product_id,
                    MovementKind::Count,
                    count,
                    &reason,
                    cx.now,
                )?;
            }
            tally.new += 1;
            tally.preview(|| {
                vec![
                    sku.clone(),
                    name.clone(),
                    chosen.clone(),
                    String::new(),
                    count.to_string(),
                    "new product".to_owned(),
                ]
            });
            if let Some(identity) = identity {
                identities.insert(identity.clone(), sku.clone());
            }
            index.insert(
                sku.clone(),
                ProductRecord {
                    product_id,
                    data,
                    on_hand: count,
                    archived: false,
                    identity: identity.cloned(),
                    sku_derived: derived,
                },
            );
            continue;
        };
        let Some(record) = index.get_mut(&sku) else {
            continue;
        };
        if !record.data.track_stock {
            skip("rows of products the desk does not track");
            tally.warn(
                row.line,
                format!(
                    "'{}' ({sku}) is not tracked in the desk; its count was left alone (turn on \
                     Track stock to count it)",
                    record.data.name
                ),
            );
            continue;
        }
        let delta = count - record.on_hand;
        let before = record.on_hand;
        if delta == 0 {
            tally.unchanged += 1;
        } else {
            record_movement(
                conn,
                record.product_id,
                MovementKind::Count,
                delta,
                &reason,
                cx.now,
            )?;
            record.on_hand = count;
            changed.push(record.product_id);
            tally.updated += 1;
        }
        tally.preview(|| {
            vec![
                sku.clone(),
                record.data.name.clone(),
                chosen.clone(),
                before.to_string(),
                count.to_string(),
                if delta == 0 {
                    "unchanged".to_owned()
                } else {
                    format!("{delta:+}")
                },
            ]
        });
    }
    for product_id in changed {
        reallocate(conn, product_id)?;
    }
    for (reason, count) in skips {
        summary.rows_skipped += count;
        summary.rows_ok = summary.rows_ok.saturating_sub(count);
        summary.skip_reasons.push((reason, count));
    }
    let mut notes = Vec::new();
    if locations.len() > 1 {
        notes.push(format!(
            "counts of location '{chosen}' were taken; the file's other location(s) ({}) were \
             left out",
            locations
                .iter()
                .filter(|name| **name != chosen)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if unknown > 0 {
        notes.push(format!(
            "{unknown} row(s) are variants the shop does not have: they were left alone; import \
             the products export first, or add them as products (--create)"
        ));
    }
    Ok((
        summary,
        InventoryOutcome {
            notes,
            locations,
            location: Some(chosen),
            unknown,
        },
    ))
}

/// A line waiting to be written with its order.
struct PendingLine {
    product_id: ProductId,
    quantity: i64,
    unit_price_cents: i64,
    status: OrderLineStatus,
    shipped_at: Option<NaiveDateTime>,
    backordered_qty: i64,
}

/// The order whose lines are being read: written once, with its final status, when the next
/// order starts.
struct PendingOrder {
    number: String,
    customer_id: i64,
    ordered_at: NaiveDateTime,
    high_priority: bool,
    lines: Vec<PendingLine>,
    /// The address of the order's first row, when the file has ship-to columns and it is set.
    ship_to: Option<ShipTo>,
}

/// Addresses of written orders held until their orders are in the database, at most this many.
const HELD_ADDRESSES: usize = 4096;

/// Customers looked up during an order import are remembered up to this many (then forgotten and
/// looked up again), so memory does not grow with the file.
const CUSTOMER_CACHE: usize = 100_000;

/// For [`read_ahead`]'s `prepare`: pairs a row with the id of the product its SKU names (`None`
/// when the shop has no such SKU).
fn with_product<'a, T>(
    index: &'a HashMap<String, ProductId>,
    sku: impl Fn(&T) -> &str + Send + 'a,
) -> impl Fn(T) -> (T, Option<ProductId>) + Send + 'a {
    move |row| {
        let product = index.get(sku(&row)).copied();
        (row, product)
    }
}

/// What finds a customer (as [`customer_id`] does): the e-mail address compared the way SQLite's
/// NOCASE does (ASCII letters only), or the name when there is no address.
#[derive(Debug, PartialEq, Eq, Hash)]
enum CustomerKey {
    Email(String),
    Name(String),
}

/// Whether an order number is in the shop.
enum KnownOrder {
    /// Not in the shop: the import adds it.
    New,
    /// In the shop before this import: its rows are skipped.
    Before,
    /// Written by this import already (the file did not keep its lines together).
    Ours(i64),
}

struct OrderImport {
    /// The last order number found in the shop before the import (its other lines are skipped
    /// without asking the database again).
    last_before: Option<String>,
    /// The highest order number in the shop, this import's included (text order, as SQLite
    /// compares them): a higher number is new without asking the database. Exports list orders
    /// by number, so a whole history usually imports without one lookup per order.
    highest: Option<String>,
    customers: HashMap<CustomerKey, i64>,
    pending: Option<PendingOrder>,
    /// The line list of the last order written, emptied, for the next one (no allocation per
    /// order).
    spare_lines: Vec<PendingLine>,
    /// Orders whose lines were not together in the file: their status is set at the end.
    resettle: std::collections::HashSet<i64>,
    batch_id: i64,
    /// Orders written so far, queued for multi-row inserts.
    rows: OrderRows,
    /// Orders the file names (a new number on a row after another's).
    orders_seen: u64,
    last_number: String,
    /// Addresses of orders queued in `rows`, set once they are written.
    addresses: Vec<(i64, ShipTo)>,
}

impl OrderImport {
    fn new(conn: &Connection, batch_id: i64) -> Result<Self, ImportFailure> {
        Ok(Self {
            last_before: None,
            highest: highest_order_number(conn)?,
            customers: HashMap::new(),
            pending: None,
            spare_lines: Vec::new(),
            resettle: std::collections::HashSet::new(),
            batch_id,
            rows: OrderRows::new(conn)?,
            orders_seen: 0,
            last_number: String::new(),
            addresses: Vec::new(),
        })
    }

    /// Counts the orders the file names (rows of one order are usually together).
    fn count(&mut self, number: &str) {
        if self.last_number != number {
            self.orders_seen += 1;
            number.clone_into(&mut self.last_number);
        }
    }

    /// Writes the queued orders, then the addresses held for them.
    fn write_addresses(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        if self.addresses.is_empty() {
            return Ok(());
        }
        self.rows.write(conn)?;
        for (order_id, address) in self.addresses.drain(..) {
            crate::store::shop_orders::set_ship_to(
                conn,
                crate::store::orders::OrderId(order_id),
                &address,
            )?;
        }
        Ok(())
    }

    /// Whether the order number is in the shop: new when it is above every number there,
    /// otherwise an index lookup (nothing is kept per order, so a file of any size imports in
    /// bounded memory).
    fn known(&mut self, conn: &Connection, number: &str) -> Result<KnownOrder, ImportFailure> {
        if self.last_before.as_deref() == Some(number) {
            return Ok(KnownOrder::Before);
        }
        if self
            .highest
            .as_deref()
            .is_none_or(|highest| number > highest)
        {
            self.highest = Some(number.to_owned());
            return Ok(KnownOrder::New);
        }
        if self.rows.is_queued(number) {
            // A line of an order of this import that is not written yet: write it first.
            self.rows.write(conn)?;
        }
        let found = order_and_batch_by_number(conn, number)?;
        Ok(match found {
            None => KnownOrder::New,
            Some((order_id, Some(batch))) if batch == self.batch_id => KnownOrder::Ours(order_id),
            Some(_) => {
                self.last_before = Some(number.to_owned());
                KnownOrder::Before
            }
        })
    }

    /// Writes the pending order and its lines.
    fn flush(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        let Some(order) = self.pending.take() else {
            return Ok(());
        };
        let open = order
            .lines
            .iter()
            .any(|line| line.status == OrderLineStatus::Open);
        let shipped = order
            .lines
            .iter()
            .any(|line| line.status == OrderLineStatus::Shipped);
        let (status, closed_at) = match (open, shipped) {
            (true, _) => (OrderStatus::Open, None),
            (false, true) => (
                OrderStatus::Shipped,
                order
                    .lines
                    .iter()
                    .filter_map(|line| line.shipped_at)
                    .max()
                    .or(Some(order.ordered_at)),
            ),
            (false, false) => (OrderStatus::Cancelled, Some(order.ordered_at)),
        };
        let order_id = self.rows.order(
            conn,
            &NewOrder {
                order_number: &order.number,
                customer_id: order.customer_id,
                ordered_at: order.ordered_at,
                high_priority: order.high_priority,
                ship_complete: false,
                status,
                closed_at,
                batch_id: Some(self.batch_id),
            },
            (1..)
                .zip(&order.lines)
                .map(|(line_no, line)| new_line(0, line_no, line)),
        )?;
        if let Some(address) = order.ship_to {
            self.addresses.push((order_id, address));
            if self.addresses.len() >= HELD_ADDRESSES {
                self.write_addresses(conn)?;
            }
        }
        let mut lines = order.lines;
        lines.clear();
        self.spare_lines = lines;
        Ok(())
    }

    /// Writes the pending order and every queued one.
    fn finish(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        self.flush(conn)?;
        self.rows.write(conn)?;
        self.write_addresses(conn)?;
        Ok(())
    }
}

/// The row of an imported line (nothing reserved yet: allocation runs after the import).
fn new_line(order_id: i64, line_no: i64, line: &PendingLine) -> NewOrderLine {
    let (shipped, cancelled) = match line.status {
        OrderLineStatus::Open => (0, 0),
        OrderLineStatus::Shipped => (line.quantity, 0),
        OrderLineStatus::Cancelled => (0, line.quantity),
    };
    NewOrderLine {
        order_id,
        line_no,
        product_id: line.product_id,
        quantity: line.quantity,
        unit_price_cents: line.unit_price_cents,
        reserved_qty: 0,
        shipped_qty: shipped,
        cancelled_qty: cancelled,
        backordered_at_order_qty: line.backordered_qty,
        shipped_at: line.shipped_at,
    }
}

/// The dates of an imported order line against today and each other; `false` (with the error
/// recorded) when one is wrong.
fn order_line_dates_ok(row: &ImportedOrderLine, tally: &mut Tally, today: NaiveDate) -> bool {
    let ordered = row.ordered_at.date();
    if let Err(error) = check_event_day("ordered_at", ordered, today) {
        tally.error(
            row.line,
            "ordered_at",
            &stamp(row.ordered_at),
            &reason_of(&error),
        );
        return false;
    }
    if let Some(shipped_at) = row.shipped_at {
        let shipped = shipped_at.date();
        if let Err(error) = check_event_day("shipped_at", shipped, today) {
            tally.error(
                row.line,
                "shipped_at",
                &stamp(shipped_at),
                &reason_of(&error),
            );
            return false;
        }
        if shipped < ordered {
            tally.error(
                row.line,
                "shipped_at",
                &stamp(shipped_at),
                &format!(
                    "is before the order was placed ({}); check both dates",
                    stamp(row.ordered_at)
                ),
            );
            return false;
        }
    }
    true
}

/// The dates of an imported purchase-order line against today and each other.
fn po_line_dates_ok(row: &ImportedPoLine, tally: &mut Tally, today: NaiveDate) -> bool {
    if let Err(error) = check_event_day("ordered_at", row.ordered_at, today) {
        tally.error(
            row.line,
            "ordered_at",
            &row.ordered_at.to_string(),
            &reason_of(&error),
        );
        return false;
    }
    if let Some(received) = row.received_at {
        if let Err(error) = check_event_day("received_at", received, today) {
            tally.error(
                row.line,
                "received_at",
                &received.to_string(),
                &reason_of(&error),
            );
            return false;
        }
        if received < row.ordered_at {
            tally.error(
                row.line,
                "received_at",
                &received.to_string(),
                &format!(
                    "is before the purchase order was placed ({}); check both dates",
                    row.ordered_at
                ),
            );
            return false;
        }
    }
    true
}

/// A limit's problem and fix, for a row error (the column and value are named apart).
fn reason_of(error: &LimitError) -> String {
    format!("{}; {}", error.problem, error.fix)
}

fn import_order_line(
    conn: &Connection,
    row: &ImportedOrderLine,
    ship_to: Option<&ShipTo>,
    product: Option<ProductId>,
    state: &mut OrderImport,
    tally: &mut Tally,
    today: NaiveDate,
) -> Result<(), ImportFailure> {
    state.count(&row.order_number);
    let same_order = state
        .pending
        .as_ref()
        .is_some_and(|pending| pending.number == row.order_number);
    let known = if same_order {
        KnownOrder::New
    } else {
        state.known(conn, &row.order_number)?
    };
    if matches!(known, KnownOrder::Before) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product_id) = product else {
        tally.push_error(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
    if !order_line_dates_ok(row, tally, today) {
        return Ok(());
    }
    if row.backordered_qty > row.quantity {
        tally.error(
            row.line,
            "backordered_qty",
            &row.backordered_qty.to_string(),
            "more than the quantity ordered",
        );
        return Ok(());
    }
    let line = PendingLine {
        product_id,
        quantity: row.quantity,
        unit_price_cents: row.unit_price_cents,
        status: row.status,
        shipped_at: row
            .shipped_at
            .or_else(|| (row.status == OrderLineStatus::Shipped).then_some(row.ordered_at)),
        backordered_qty: row.backordered_qty,
    };
    if same_order {
        if let Some(pending) = &mut state.pending {
            pending.lines.push(line);
        }
    } else if let KnownOrder::Ours(order_id) = known {
        // A line of an order already written (the file did not keep its lines together). Its
        // header may be in the database while some of its lines still wait in the queue: write
        // them first, so the next line number counts them.
        state.rows.write(conn)?;
        let next_line = next_line_no(conn, order_id)?;
        insert_order_line(conn, &new_line(order_id, next_line, &line))?;
        state.resettle.insert(order_id);
    } else {
        state.flush(conn)?;
        let key = if row.customer_email.is_empty() {
            CustomerKey::Name(row.customer_name.clone())
        } else {
            CustomerKey::Email(row.customer_email.to_ascii_lowercase())
        };
        let customer = match state.customers.get(&key) {
            Some(id) => *id,
            None => {
                let name = if row.customer_name.is_empty() {
                    row.customer_email.clone()
                } else {
                    row.customer_name.clone()
                };
                let id = customer_id(conn, &name, &row.customer_email)?;
                if state.customers.len() >= CUSTOMER_CACHE {
                    state.customers.clear();
                }
                state.customers.insert(key, id);
                id
            }
        };
        state.pending = Some(PendingOrder {
            number: row.order_number.clone(),
            customer_id: customer,
            ordered_at: row.ordered_at,
            high_priority: row.priority == Priority::High,
            lines: {
                let mut lines = std::mem::take(&mut state.spare_lines);
                lines.push(line);
                lines
            },
            ship_to: ship_to
                .map(ShipTo::cleaned)
                .filter(|address| !address.is_empty()),
        });
    }
    tally.new += 1;
    tally.preview(|| {
        vec![
            row.order_number.clone(),
            stamp(row.ordered_at),
            row.customer_name.clone(),
            row.customer_email.clone(),
            row.sku.clone(),
            row.quantity.to_string(),
            format_cents(row.unit_price_cents),
            row.status.code().to_owned(),
            row.priority.code().to_owned(),
        ]
    });
    Ok(())
}

fn stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

struct PoImport {
    existing: std::collections::HashSet<String>,
    created: HashMap<String, i64>,
}

fn import_po_line(
    conn: &Connection,
    row: &ImportedPoLine,
    product: Option<ProductId>,
    state: &mut PoImport,
    tally: &mut Tally,
    today: NaiveDate,
) -> Result<(), ImportFailure> {
    if state.existing.contains(&row.po_number) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product_id) = product else {
        tally.push_error(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
    if !po_line_dates_ok(row, tally, today) {
        return Ok(());
    }
    if row.received_quantity > row.quantity {
        tally.error(
            row.line,
            "received_quantity",
            &row.received_quantity.to_string(),
            "more than the quantity ordered",
        );
        return Ok(());
    }
    let po_id = match state.created.get(&row.po_number) {
        Some(id) => *id,
        None => {
            let Some(supplier) = supplier_id(conn, &row.supplier)? else {
                tally.error(
                    row.line,
                    "supplier",
                    "",
                    "a purchase order needs a supplier",
                );
                return Ok(());
            };
            let id = insert_purchase_order(
                conn,
                &NewPurchaseOrder {
                    po_number: &row.po_number,
                    supplier_id: supplier,
                    ordered_at: row.ordered_at,
                    expected_at: row.expected_at,
                    confirmed: false,
                    status: PoStatus::Open,
                },
            )?;
            state.created.insert(row.po_number.clone(), id);
            id
        }
    };
    insert_po_line(
        conn,
        &NewPoLine {
            po_id,
            product_id,
            quantity: row.quantity,
            unit_cost_cents: row.unit_cost_cents,
            received_qty: row.received_quantity,
            received_at: row.received_at,
        },
    )?;
    tally.new += 1;
    tally.preview(|| {
        vec![
            row.po_number.clone(),
            row.supplier.clone(),
            row.sku.clone(),
            row.quantity.to_string(),
            format_cents(row.unit_cost_cents),
            row.ordered_at.to_string(),
            row.expected_at.map(|d| d.to_string()).unwrap_or_default(),
            row.received_quantity.to_string(),
        ]
    });
    Ok(())
}
