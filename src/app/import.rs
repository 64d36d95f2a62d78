//! Importing CSV files into the shop: products, orders, purchase orders.
//!
//! Everything happens in one transaction. A dry run, a cancel, or a file with errors (unless
//! "valid rows only" was chosen) rolls it back: the database is never half-changed. Rows stream
//! from the file; lookups are built once.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use thiserror::Error;

use super::Clock;
use super::jobs::Progress;
use super::orders::reallocate;
use super::promises::recompute;
use crate::domain::allocation::Priority;
use crate::domain::format_cents;
use crate::domain::product::ProductData;
use crate::domain::text::has_control_chars;
use crate::domain::{BackorderPolicy, MovementKind};
use crate::io::csv_import::{
    self, DateOrder, Entity, Format, ImportError, ImportOptions, ImportSummary, ImportedOrderLine,
    ImportedPoLine, ImportedProduct, OrderLineStatus, RowError,
};
use crate::store::bulk::{NewOrder, NewOrderLine, NewPoLine, NewPurchaseOrder};
use crate::store::imports::{
    batch_marks, create_order_indexes, drop_order_indexes, existing_order_numbers,
    existing_po_numbers, next_batch_id, product_index, products_with_open_imported_lines,
    settle_imported_pos, settle_order, tag_batch,
};
use crate::store::kpi_rollup;
use crate::store::orders::{customer_id, insert_order, insert_order_line};
use crate::store::products::{
    insert_product_row, record_movement, supplier_id, update_product_row,
};
use crate::store::purchasing::{insert_po_line, insert_purchase_order};
use crate::store::{ProductId, ProductRecord, Store, StoreError};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Products,
    Orders,
    PurchaseOrders,
}

impl ImportKind {
    pub const ALL: [Self; 3] = [Self::Products, Self::Orders, Self::PurchaseOrders];

    pub fn label(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Orders => "orders",
            Self::PurchaseOrders => "purchase orders",
        }
    }

    fn entity(self) -> Entity {
        match self {
            Self::Products => Entity::Products,
            Self::Orders => Entity::Orders,
            Self::PurchaseOrders => Entity::PurchaseOrders,
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
    /// The first rows as they will be stored: a header and up to 20 rows.
    pub preview_header: Vec<&'static str>,
    pub preview: Vec<Vec<String>>,
}

impl ImportReport {
    pub fn error_count(&self) -> u64 {
        self.summary.rows_with_errors
    }
}

#[derive(Debug, Error)]
pub enum ImportFailure {
    #[error("{path}: {source}")]
    File { path: String, source: ImportError },
    #[error("cannot open {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("import cancelled; nothing was changed")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportFailure {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(error))
    }
}

const PREVIEW_ROWS: usize = 20;
/// Files larger than this load orders with the secondary indexes built afterwards.
const LARGE_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Counts and row errors found against the database while rows stream in.
struct Tally {
    new: u64,
    updated: u64,
    unchanged: u64,
    errors: Vec<RowError>,
    preview: Vec<Vec<String>>,
}

impl Tally {
    fn new() -> Self {
        Self {
            new: 0,
            updated: 0,
            unchanged: 0,
            errors: Vec::new(),
            preview: Vec::new(),
        }
    }

    fn preview(&mut self, row: impl FnOnce() -> Vec<String>) {
        if self.preview.len() < PREVIEW_ROWS {
            self.preview.push(row());
        }
    }

    fn error(&mut self, line: u64, column: &str, value: &str, reason: &str) {
        self.errors.push(RowError {
            line,
            column: column.to_owned(),
            value: value.to_owned(),
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
    let opened = csv_import::open(BufReader::new(file), &options)
        .map_err(|error| format!("{}: {error}", file_name(path)))?;
    match opened.layout().entity() {
        Entity::Products => Ok(ImportKind::Products),
        Entity::Orders => Ok(ImportKind::Orders),
        Entity::PurchaseOrders => Ok(ImportKind::PurchaseOrders),
        Entity::Inventory => Err(format!(
            "{} is a Shopify inventory file: it is written (export products --format shopify), not imported",
            file_name(path)
        )),
    }
}

/// Writes the row errors of an import as CSV (`line,column,value,reason`).
pub fn write_errors_csv(path: &Path, errors: &[RowError]) -> std::io::Result<()> {
    crate::io::write_atomically(path, |out| {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(["line", "column", "value", "reason"])?;
        for error in errors {
            csv.write_record([
                error.line.to_string().as_str(),
                error.column.as_str(),
                error.value.as_str(),
                error.reason.as_str(),
            ])?;
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
    let path_text = request.path.display().to_string();
    let file = File::open(&request.path).map_err(|source| ImportFailure::Open {
        path: path_text.clone(),
        source,
    })?;
    let size = file.metadata().map_or(0, |m| m.len()).max(1);
    let options = ImportOptions {
        format: request.format,
        entity: Some(request.kind.entity()),
        date_order: request.date_order,
        ..ImportOptions::default()
    };
    let opened =
        csv_import::open(BufReader::with_capacity(1 << 16, file), &options).map_err(|source| {
            ImportFailure::File {
                path: path_text.clone(),
                source,
            }
        })?;
    let now = clock.now_text();
    let reason = format!("Import {}", file_name(&request.path));
    let tx = store.transaction()?;
    let marks = batch_marks(&tx)?;
    let batch_id = next_batch_id(&tx)?;
    let mut tally = Tally::new();
    let report_progress = |bytes: u64| {
        progress.set(0.95 * bytes as f32 / size as f32);
    };
    let (mut summary, preview_header) = match request.kind {
        ImportKind::Products => {
            let mut rows = opened.products().map_err(|source| ImportFailure::File {
                path: path_text.clone(),
                source,
            })?;
            let mut index = product_index(&tx)?;
            let mut count = 0u64;
            while let Some(item) = rows.next() {
                let item = item.map_err(|source| ImportFailure::File {
                    path: path_text.clone(),
                    source,
                })?;
                if let Ok(row) = item {
                    import_product(&tx, &row, &mut index, &mut tally, &now, &reason)?;
                }
                count += 1;
                if count.is_multiple_of(2048) {
                    report_progress(rows.bytes_read());
                    if progress.is_cancelled() {
                        return Err(ImportFailure::Cancelled);
                    }
                }
            }
            (
                rows.into_summary(),
                vec![
                    "sku",
                    "name",
                    "category",
                    "location",
                    "unit cost",
                    "price",
                    "on hand",
                    "supplier",
                    "lead time",
                    "backorders",
                ],
            )
        }
        ImportKind::Orders => {
            let mut rows = opened.orders().map_err(|source| ImportFailure::File {
                path: path_text.clone(),
                source,
            })?;
            let index = product_index(&tx)?;
            let mut state = OrderImport::new(&tx, batch_id)?;
            // A big file loads faster with the secondary indexes built afterwards.
            let rebuild_indexes = size > LARGE_FILE_BYTES;
            if rebuild_indexes {
                drop_order_indexes(&tx)?;
                kpi_rollup::suspend_tracking(&tx)?;
            }
            let mut count = 0u64;
            while let Some(item) = rows.next() {
                let item = item.map_err(|source| ImportFailure::File {
                    path: path_text.clone(),
                    source,
                })?;
                if let Ok(row) = item {
                    import_order_line(&tx, &row, &index, &mut state, &mut tally)?;
                }
                count += 1;
                if count.is_multiple_of(4096) {
                    report_progress(rows.bytes_read());
                    if progress.is_cancelled() {
                        return Err(ImportFailure::Cancelled);
                    }
                }
            }
            state.flush(&tx)?;
            state.resettle.sort_unstable();
            state.resettle.dedup();
            for order_id in &state.resettle {
                settle_order(&tx, *order_id)?;
            }
            if rebuild_indexes {
                create_order_indexes(&tx)?;
                kpi_rollup::resume_tracking(&tx)?;
            }
            for product_id in products_with_open_imported_lines(&tx, marks.order)? {
                reallocate(&tx, product_id)?;
            }
            (
                rows.into_summary(),
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
            let mut rows = opened
                .purchase_orders()
                .map_err(|source| ImportFailure::File {
                    path: path_text.clone(),
                    source,
                })?;
            let index = product_index(&tx)?;
            let mut state = PoImport {
                existing: existing_po_numbers(&tx)?,
                created: HashMap::new(),
            };
            let mut count = 0u64;
            while let Some(item) = rows.next() {
                let item = item.map_err(|source| ImportFailure::File {
                    path: path_text.clone(),
                    source,
                })?;
                if let Ok(row) = item {
                    import_po_line(&tx, &row, &index, &mut state, &mut tally)?;
                }
                count += 1;
                if count.is_multiple_of(4096) {
                    report_progress(rows.bytes_read());
                    if progress.is_cancelled() {
                        return Err(ImportFailure::Cancelled);
                    }
                }
            }
            settle_imported_pos(&tx, marks.purchase_order)?;
            (
                rows.into_summary(),
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
    let write = !request.dry_run && (!has_errors || request.valid_only);
    if progress.is_cancelled() {
        return Err(ImportFailure::Cancelled);
    }
    if write {
        recompute(&tx, clock.today(), &reason)?;
        tag_batch(&tx, batch_id, &marks)?;
        tx.commit()?;
    }
    progress.set(1.0);
    Ok(ImportReport {
        summary,
        new: tally.new,
        updated: tally.updated,
        unchanged: tally.unchanged,
        written: write,
        preview_header,
        preview: tally.preview,
    })
}

/// Adds the errors found against the database to the file's own, in line order.
fn merge_errors(summary: &mut ImportSummary, tally: &mut Tally) {
    if tally.errors.is_empty() {
        return;
    }
    let mut lines: Vec<u64> = tally.errors.iter().map(|e| e.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let extra_rows = lines.len() as u64;
    summary.rows_with_errors += extra_rows;
    summary.rows_ok = summary.rows_ok.saturating_sub(extra_rows);
    summary.errors.append(&mut tally.errors);
    summary.errors.sort_by_key(|e| e.line);
}

fn import_product(
    conn: &rusqlite::Connection,
    row: &ImportedProduct,
    index: &mut HashMap<String, ProductRecord>,
    tally: &mut Tally,
    now: &str,
    reason: &str,
) -> Result<(), ImportFailure> {
    let existing = index.get(&row.sku);
    let mut data = existing.map_or_else(
        || ProductData {
            sku: row.sku.clone(),
            name: String::new(),
            category: String::new(),
            location: String::new(),
            unit_cost_cents: 0,
            price_cents: 0,
            supplier: String::new(),
            lead_time_days: None,
            backorder_policy: BackorderPolicy::Allowed,
            max_wait_days: crate::domain::product::DEFAULT_MAX_WAIT_DAYS,
            reorder_point: 0,
        },
        |existing| existing.data.clone(),
    );
    if let Some(name) = &row.name {
        data.name.clone_from(name);
    }
    for (target, value) in [
        (&mut data.category, &row.category),
        (&mut data.location, &row.location),
        (&mut data.supplier, &row.supplier),
    ] {
        if let Some(value) = value {
            target.clone_from(value);
        }
    }
    if let Some(cents) = row.unit_cost_cents {
        data.unit_cost_cents = cents;
    }
    if let Some(cents) = row.price_cents {
        data.price_cents = cents;
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
    tally.preview(|| {
        vec![
            data.sku.clone(),
            data.name.clone(),
            data.category.clone(),
            data.location.clone(),
            format_cents(data.unit_cost_cents),
            format_cents(data.price_cents),
            row.on_hand.map(|n| n.to_string()).unwrap_or_default(),
            data.supplier.clone(),
            data.lead_time_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            data.backorder_policy.code().to_owned(),
        ]
    });
    match existing {
        Some(existing) => {
            let product_id = existing.product_id;
            let fields_changed = data != existing.data || existing.archived;
            let stock_delta = row.on_hand.map_or(0, |units| units - existing.on_hand);
            if fields_changed {
                update_product_row(conn, product_id, &data, now)?;
                if existing.archived {
                    conn.execute(
                        "UPDATE products SET archived = 0 WHERE product_id = ?1",
                        [product_id.0],
                    )?;
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
            if fields_changed || stock_delta != 0 {
                tally.updated += 1;
            } else {
                tally.unchanged += 1;
            }
            let entry = index.get_mut(&row.sku);
            if let Some(entry) = entry {
                entry.data = data;
                entry.on_hand += stock_delta;
                entry.archived = false;
            }
        }
        None => {
            let supplier = supplier_id(conn, &data.supplier)?;
            let product_id = insert_product_row(conn, &data, supplier, now)?;
            let on_hand = row.on_hand.unwrap_or(0);
            if on_hand != 0 {
                record_movement(conn, product_id, MovementKind::Import, on_hand, reason, now)?;
            }
            tally.new += 1;
            index.insert(
                row.sku.clone(),
                ProductRecord {
                    product_id,
                    data,
                    on_hand,
                    archived: false,
                },
            );
        }
    }
    Ok(())
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
}

struct OrderImport {
    /// Order numbers in the shop before this import: their rows are skipped.
    existing: std::collections::HashSet<String>,
    /// Orders written by this import: id and the next line number.
    created: HashMap<String, (i64, i64)>,
    customers: HashMap<(String, String), i64>,
    pending: Option<PendingOrder>,
    /// Orders whose lines were not together in the file: their status is set at the end.
    resettle: Vec<i64>,
    batch_id: i64,
}

impl OrderImport {
    fn new(conn: &rusqlite::Connection, batch_id: i64) -> Result<Self, ImportFailure> {
        Ok(Self {
            existing: existing_order_numbers(conn)?,
            created: HashMap::new(),
            customers: HashMap::new(),
            pending: None,
            resettle: Vec::new(),
            batch_id,
        })
    }

    /// Writes the pending order and its lines.
    fn flush(&mut self, conn: &rusqlite::Connection) -> Result<(), ImportFailure> {
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
            (true, _) => ("open", None),
            (false, true) => (
                "shipped",
                order
                    .lines
                    .iter()
                    .filter_map(|line| line.shipped_at)
                    .max()
                    .or(Some(order.ordered_at)),
            ),
            (false, false) => ("cancelled", Some(order.ordered_at)),
        };
        let order_id = insert_order(
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
        )?;
        let mut line_no = 0;
        for line in &order.lines {
            line_no += 1;
            insert_line(conn, order_id, line_no, line)?;
        }
        self.created.insert(order.number, (order_id, line_no + 1));
        Ok(())
    }
}

fn insert_line(
    conn: &rusqlite::Connection,
    order_id: i64,
    line_no: i64,
    line: &PendingLine,
) -> Result<(), ImportFailure> {
    let (shipped, cancelled) = match line.status {
        OrderLineStatus::Open => (0, 0),
        OrderLineStatus::Shipped => (line.quantity, 0),
        OrderLineStatus::Cancelled => (0, line.quantity),
    };
    insert_order_line(
        conn,
        &NewOrderLine {
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
        },
    )?;
    Ok(())
}

fn import_order_line(
    conn: &rusqlite::Connection,
    row: &ImportedOrderLine,
    index: &HashMap<String, ProductRecord>,
    state: &mut OrderImport,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    if state.existing.contains(&row.order_number) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product) = index.get(&row.sku) else {
        tally.errors.push(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
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
        product_id: product.product_id,
        quantity: row.quantity,
        unit_price_cents: row.unit_price_cents,
        status: row.status,
        shipped_at: row
            .shipped_at
            .or_else(|| (row.status == OrderLineStatus::Shipped).then_some(row.ordered_at)),
        backordered_qty: row.backordered_qty,
    };
    let same_order = state
        .pending
        .as_ref()
        .is_some_and(|pending| pending.number == row.order_number);
    if same_order {
        if let Some(pending) = &mut state.pending {
            pending.lines.push(line);
        }
    } else if let Some((order_id, next_line)) = state.created.get_mut(&row.order_number) {
        // A line of an order already written (the file did not keep its lines together).
        insert_line(conn, *order_id, *next_line, &line)?;
        *next_line += 1;
        state.resettle.push(*order_id);
    } else {
        state.flush(conn)?;
        let key = (row.customer_email.to_lowercase(), row.customer_name.clone());
        let customer = match state.customers.get(&key) {
            Some(id) => *id,
            None => {
                let name = if row.customer_name.is_empty() {
                    row.customer_email.clone()
                } else {
                    row.customer_name.clone()
                };
                let id = customer_id(conn, &name, &row.customer_email)?;
                state.customers.insert(key, id);
                id
            }
        };
        state.pending = Some(PendingOrder {
            number: row.order_number.clone(),
            customer_id: customer,
            ordered_at: row.ordered_at,
            high_priority: row.priority == Priority::High,
            lines: vec![line],
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
    conn: &rusqlite::Connection,
    row: &ImportedPoLine,
    index: &HashMap<String, ProductRecord>,
    state: &mut PoImport,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    if state.existing.contains(&row.po_number) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product) = index.get(&row.sku) else {
        tally.errors.push(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
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
                    status: "open",
                },
            )?;
            state.created.insert(row.po_number.clone(), id);
            id
        }
    };
    let product_id: ProductId = product.product_id;
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
