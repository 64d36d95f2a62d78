//! Import batches: what each import wrote, and taking the last one back.
//!
//! An import runs in one transaction, so the rows it inserted are exactly those whose id lies
//! between the highest id of their table before and after it ([`IdRanges`]). Products it changed
//! keep their fields from before (`import_changes.before`); every product, order and purchase
//! order it wrote keeps the state it left them in (`after`), so a later change by hand is seen
//! and the undo refused.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{ProductId, Result, StoreError};

/// The highest row id of each table an import writes to (0 for an empty table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMarks {
    pub products: i64,
    pub suppliers: i64,
    pub customers: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub purchase_orders: i64,
    pub po_lines: i64,
    pub movements: i64,
    pub messages: i64,
    pub promise_changes: i64,
}

/// The marks before and after an import: rows with ids in between are the import's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRanges {
    pub before: IdMarks,
    pub after: IdMarks,
}

pub fn id_marks(conn: &Connection) -> Result<IdMarks> {
    Ok(conn.query_row(
        "SELECT COALESCE((SELECT MAX(product_id) FROM products), 0),
                COALESCE((SELECT MAX(supplier_id) FROM suppliers), 0),
                COALESCE((SELECT MAX(customer_id) FROM customers), 0),
                COALESCE((SELECT MAX(order_id) FROM orders), 0),
                COALESCE((SELECT MAX(line_id) FROM order_lines), 0),
                COALESCE((SELECT MAX(po_id) FROM purchase_orders), 0),
                COALESCE((SELECT MAX(po_line_id) FROM po_lines), 0),
                COALESCE((SELECT MAX(movement_id) FROM stock_movements), 0),
                COALESCE((SELECT MAX(message_id) FROM messages), 0),
                COALESCE((SELECT MAX(change_id) FROM promise_changes), 0)",
        [],
        |row| {
            Ok(IdMarks {
                products: row.get(0)?,
                suppliers: row.get(1)?,
                customers: row.get(2)?,
                orders: row.get(3)?,
                order_lines: row.get(4)?,
                purchase_orders: row.get(5)?,
                po_lines: row.get(6)?,
                movements: row.get(7)?,
                messages: row.get(8)?,
                promise_changes: row.get(9)?,
            })
        },
    )?)
}

/// The fields of a product an import may set or a person may edit later, as one JSON text
/// (`p` is the products row).
const PRODUCT_FIELDS: &str = "json_object(
    'sku', p.sku, 'name', p.name, 'category', p.category, 'location', p.location,
    'unit_cost_cents', p.unit_cost_cents, 'price_cents', p.price_cents,
    'supplier_id', p.supplier_id, 'lead_time_days', p.lead_time_days,
    'backorder_policy', p.backorder_policy, 'max_wait_days', p.max_wait_days,
    'reorder_point', p.reorder_point, 'order_multiple', p.order_multiple,
    'min_order_qty', p.min_order_qty, 'max_stock', p.max_stock, 'archived', p.archived,
    'track_stock', p.track_stock, 'sale_price_cents', p.sale_price_cents,
    'shop_platform', p.shop_platform, 'shop_key', p.shop_key, 'sku_derived', p.sku_derived)";

/// [`PRODUCT_FIELDS`] as imports recorded them before products had a tracking flag, a sale
/// price and a shop identity: a batch of then is compared on the fields it knew.
const PRODUCT_FIELDS_BEFORE_TRACKING: &str = "json_object(
    'sku', p.sku, 'name', p.name, 'category', p.category, 'location', p.location,
    'unit_cost_cents', p.unit_cost_cents, 'price_cents', p.price_cents,
    'supplier_id', p.supplier_id, 'lead_time_days', p.lead_time_days,
    'backorder_policy', p.backorder_policy, 'max_wait_days', p.max_wait_days,
    'reorder_point', p.reorder_point, 'order_multiple', p.order_multiple,
    'min_order_qty', p.min_order_qty, 'max_stock', p.max_stock, 'archived', p.archived)";

/// What of an order a person can change later: units shipped and cancelled (`o` is the order).
const ORDER_STATE: &str =
    "(SELECT COALESCE(SUM(l.shipped_qty), 0) || '/' || COALESCE(SUM(l.cancelled_qty), 0)
    FROM order_lines l WHERE l.order_id = o.order_id)";

/// What of a purchase order a person can change later: status, confirmation, expected date,
/// units received, lines and date changes (`po` is the purchase order).
const PO_STATE: &str =
    "(po.status || '/' || po.confirmed || '/' || COALESCE(po.expected_at, '') || '/'
    || (SELECT COALESCE(SUM(pl.received_qty), 0) || '/' || COUNT(*) FROM po_lines pl
        WHERE pl.po_id = po.po_id)
    || '/' || (SELECT COUNT(*) FROM po_date_changes d WHERE d.po_id = po.po_id))";

/// A new batch record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch<'a> {
    pub batch_id: i64,
    /// `products`, `orders` or `purchase_orders`.
    pub kind: &'a str,
    pub file_name: &'a str,
    pub imported_at: &'a str,
    pub rows_new: u64,
    pub rows_updated: u64,
    pub rows_unchanged: u64,
    pub rows_with_errors: u64,
}

/// One import as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBatch {
    pub batch_id: i64,
    /// `products`, `orders` or `purchase_orders`.
    pub kind: String,
    pub file_name: String,
    pub imported_at: String,
    pub rows_new: i64,
    pub rows_updated: i64,
    pub rows_unchanged: i64,
    pub rows_with_errors: i64,
    pub ranges: IdRanges,
    /// When it was undone; `None` while it is in effect.
    pub undone_at: Option<String>,
}

impl ImportBatch {
    /// "import 3 (orders.csv, 2026-03-01 12:00)".
    pub fn label(&self) -> String {
        format!(
            "import {} ({}, {})",
            self.batch_id,
            self.file_name,
            self.imported_at.get(..16).unwrap_or(&self.imported_at)
        )
    }
}

fn to_i64(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// Records a finished import with the id ranges it wrote (inside the import's transaction).
pub fn insert_batch(conn: &Connection, batch: &NewBatch<'_>, ranges: &IdRanges) -> Result<()> {
    let ranges = serde_json::to_string(ranges)
        .map_err(|error| StoreError::Invalid(format!("cannot record the import: {error}")))?;
    conn.execute(
        "INSERT INTO import_batches (batch_id, kind, file_name, imported_at, rows_new,
             rows_updated, rows_unchanged, rows_with_errors, id_ranges)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            batch.batch_id,
            batch.kind,
            batch.file_name,
            batch.imported_at,
            to_i64(batch.rows_new),
            to_i64(batch.rows_updated),
            to_i64(batch.rows_unchanged),
            to_i64(batch.rows_with_errors),
            ranges
        ],
    )?;
    Ok(())
}

const BATCH_SQL: &str = "SELECT batch_id, kind, file_name, imported_at, rows_new, rows_updated,
        rows_unchanged, rows_with_errors, id_ranges, undone_at FROM import_batches";

fn row_to_batch(row: &rusqlite::Row<'_>) -> rusqlite::Result<ImportBatch> {
    let ranges: String = row.get(8)?;
    Ok(ImportBatch {
        batch_id: row.get(0)?,
        kind: row.get(1)?,
        file_name: row.get(2)?,
        imported_at: row.get(3)?,
        rows_new: row.get(4)?,
        rows_updated: row.get(5)?,
        rows_unchanged: row.get(6)?,
        rows_with_errors: row.get(7)?,
        // A record that cannot be read covers no rows: nothing of it can be undone.
        ranges: serde_json::from_str(&ranges).unwrap_or_default(),
        undone_at: row.get(9)?,
    })
}

/// Every recorded import, newest first.
pub fn import_batches(conn: &Connection) -> Result<Vec<ImportBatch>> {
    let mut statement = conn.prepare(&format!("{BATCH_SQL} ORDER BY batch_id DESC"))?;
    let rows = statement.query_map([], row_to_batch)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn import_batch(conn: &Connection, batch_id: i64) -> Result<Option<ImportBatch>> {
    Ok(conn
        .query_row(
            &format!("{BATCH_SQL} WHERE batch_id = ?1"),
            [batch_id],
            row_to_batch,
        )
        .optional()?)
}

/// The newest import still in effect.
pub fn last_active_batch(conn: &Connection) -> Result<Option<ImportBatch>> {
    Ok(conn
        .query_row(
            &format!("{BATCH_SQL} WHERE undone_at IS NULL ORDER BY batch_id DESC LIMIT 1"),
            [],
            row_to_batch,
        )
        .optional()?)
}

/// Keeps a product's fields as they are now, before the import changes them (once per batch).
pub fn remember_product_before(
    conn: &Connection,
    batch_id: i64,
    product_id: ProductId,
) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO import_changes (batch_id, entity, row_id, before)
         SELECT ?1, 'product', p.product_id,
                json_set({PRODUCT_FIELDS}, '$.updated_at', p.updated_at)
         FROM products p WHERE p.product_id = ?2"
    ))?
    .execute(params![batch_id, product_id.0])?;
    Ok(())
}

/// What of an order and its lines a storefront import may change, as one JSON text (`o` is
/// the order): kept before the change so an undo can put it back.
const ORDER_BEFORE: &str = "json_object(
    'status', o.status, 'closed_at', o.closed_at, 'payment_state', o.payment_state,
    'authorized_at', o.authorized_at, 'payment_updated_at', o.payment_updated_at,
    'storefront', o.storefront, 'storefront_order_id', o.storefront_order_id,
    'storefront_status', o.storefront_status, 'currency', o.currency,
    'ship_name', o.ship_name, 'ship_company', o.ship_company, 'ship_address1', o.ship_address1,
    'ship_address2', o.ship_address2, 'ship_city', o.ship_city,
    'ship_postal_code', o.ship_postal_code, 'ship_region', o.ship_region,
    'ship_country', o.ship_country, 'ship_phone', o.ship_phone,
    'email', (SELECT c.email FROM customers c WHERE c.customer_id = o.customer_id),
    'lines', (SELECT json_group_array(json_object(
        'line_id', l.line_id, 'quantity', l.quantity, 'reserved_qty', l.reserved_qty,
        'shipped_qty', l.shipped_qty, 'cancelled_qty', l.cancelled_qty,
        'shipped_at', l.shipped_at, 'cancel_reason', l.cancel_reason, 'oversold', l.oversold,
        'storefront_line_id', l.storefront_line_id,
        'backordered_at_order_qty', l.backordered_at_order_qty))
        FROM order_lines l WHERE l.order_id = o.order_id))";

/// Keeps an order that was in the shop before the import as it is now, before a storefront
/// import changes it (once per batch).
pub fn remember_order_before(conn: &Connection, batch_id: i64, order_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO import_changes (batch_id, entity, row_id, before)
         SELECT ?1, 'order', o.order_id, {ORDER_BEFORE} FROM orders o WHERE o.order_id = ?2"
    ))?
    .execute(params![batch_id, order_id])?;
    Ok(())
}

/// Records the state the import left its rows in (at the end of the import's transaction).
pub fn remember_results(conn: &Connection, batch_id: i64, before: &IdMarks) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO import_changes (batch_id, entity, row_id, before)
         SELECT ?1, 'product', product_id, NULL FROM products WHERE product_id > ?2",
        params![batch_id, before.products],
    )?;
    conn.execute(
        &format!(
            "UPDATE import_changes SET after = (SELECT {PRODUCT_FIELDS} FROM products p
                                               WHERE p.product_id = import_changes.row_id)
             WHERE batch_id = ?1 AND entity = 'product'"
        ),
        [batch_id],
    )?;
    // Only open orders: a closed order's lines are all shipped or cancelled, so its state can
    // no longer change (and a history of a million lines would otherwise add a row per order).
    conn.execute(
        &format!(
            "INSERT INTO import_changes (batch_id, entity, row_id, after)
             SELECT ?1, 'order', o.order_id, {ORDER_STATE} FROM orders o
             WHERE o.order_id > ?2 AND o.batch_id = ?1 AND o.status = 'open'"
        ),
        params![batch_id, before.orders],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO import_changes (batch_id, entity, row_id, after)
             SELECT ?1, 'purchase_order', po.po_id, {PO_STATE} FROM purchase_orders po
             WHERE po.po_id > ?2 AND po.batch_id = ?1"
        ),
        params![batch_id, before.purchase_orders],
    )?;
    // Orders that were in the shop before and that the import changed.
    conn.execute(
        &format!(
            "UPDATE import_changes SET after = (SELECT {ORDER_STATE} FROM orders o
                                               WHERE o.order_id = import_changes.row_id)
             WHERE batch_id = ?1 AND entity = 'order' AND before IS NOT NULL"
        ),
        [batch_id],
    )?;
    Ok(())
}

/// Up to `limit` names from a query, and how many there are in all.
fn names(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    limit: usize,
) -> Result<(Vec<String>, usize)> {
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query(params)?;
    let mut found = Vec::new();
    let mut count = 0;
    while let Some(row) = rows.next()? {
        if found.len() < limit {
            found.push(row.get(0)?);
        }
        count += 1;
    }
    Ok((found, count))
}

/// "SKU A, SKU B and 3 more".
fn listed(prefix: &str, (found, count): (Vec<String>, usize)) -> String {
    let shown: Vec<String> = found.iter().map(|name| format!("{prefix}{name}")).collect();
    let more = count.saturating_sub(found.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Adds a reason when the query finds anything: `{names} {what}`.
fn check(
    reasons: &mut Vec<String>,
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    prefix: &str,
    what: &str,
) -> Result<()> {
    let found = names(conn, sql, params, 3)?;
    if found.1 > 0 {
        let plural = found.1 > 1;
        reasons.push(format!(
            "{} {}",
            listed(prefix, found),
            if plural {
                what.replace("{is}", "are").replace("{was}", "were")
            } else {
                what.replace("{is}", "is").replace("{was}", "was")
            }
        ));
    }
    Ok(())
}

/// Why the batch cannot be undone: later changes that depend on what it wrote. Empty when it can.
#[expect(
    clippy::too_many_lines,
    reason = "one check per kind of later change that depends on a batch, each a query and its message"
)]
pub fn undo_blockers(conn: &Connection, batch: &ImportBatch) -> Result<Vec<String>> {
    let mut reasons = Vec::new();
    let b = batch.batch_id;
    let after = batch.ranges.after;
    match batch.kind.as_str() {
        "products" | "inventory" => {
            check(
                &mut reasons,
                conn,
                &format!(
                    "SELECT p.sku FROM import_changes c JOIN products p ON p.product_id = c.row_id
                     WHERE c.batch_id = ?1 AND c.entity = 'product'
                       AND c.after <> CASE WHEN json_type(c.after, '$.track_stock') IS NULL
                                           THEN {PRODUCT_FIELDS_BEFORE_TRACKING}
                                           ELSE {PRODUCT_FIELDS} END
                     ORDER BY p.sku"
                ),
                [b],
                "SKU ",
                "{was} edited after the import",
            )?;
            // Products whose stock or fields the import set.
            let touched =
                "(SELECT row_id FROM import_changes WHERE batch_id = ?1 AND entity = 'product'
                            UNION SELECT product_id FROM stock_movements
                            WHERE movement_id > ?2 AND movement_id <= ?3 AND batch_id = ?1)";
            // Rows added after the import that refer to one of those products.
            for (table, id, after_id, what) in [
                (
                    "stock_movements",
                    "movement_id",
                    after.movements,
                    "had stock shipped, received or adjusted after the import",
                ),
                (
                    "order_lines",
                    "line_id",
                    after.order_lines,
                    "{was} ordered after the import",
                ),
                (
                    "po_lines",
                    "po_line_id",
                    after.po_lines,
                    "{is} on a purchase order made after the import",
                ),
            ] {
                check(
                    &mut reasons,
                    conn,
                    &format!(
                        "SELECT p.sku FROM products p WHERE p.product_id IN {touched}
                           AND EXISTS (SELECT 1 FROM {table} later
                                       WHERE later.product_id = p.product_id AND later.{id} > ?4)
                         ORDER BY p.sku"
                    ),
                    params![b, batch.ranges.before.movements, after.movements, after_id],
                    "SKU ",
                    what,
                )?;
            }
        }
        "orders" => {
            check(
                &mut reasons,
                conn,
                &format!(
                    "SELECT o.order_number FROM import_changes c JOIN orders o ON o.order_id = c.row_id
                     WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.after <> {ORDER_STATE}
                     ORDER BY o.order_id"
                ),
                [b],
                "order ",
                "{was} shipped or cancelled after the import",
            )?;
            check(
                &mut reasons,
                conn,
                "SELECT DISTINCT o.order_number || ' (pick list ' || pl.list_number || ')'
                 FROM pick_list_lines pll
                 JOIN pick_lists pl ON pl.pick_list_id = pll.pick_list_id
                 JOIN order_lines l ON l.line_id = pll.line_id
                 JOIN orders o ON o.order_id = l.order_id
                 WHERE o.order_id > ?1 AND o.order_id <= ?2 AND o.batch_id = ?3",
                params![batch.ranges.before.orders, after.orders, b],
                "order ",
                "{is} on a pick list",
            )?;
            check(
                &mut reasons,
                conn,
                "SELECT DISTINCT o.order_number FROM messages m JOIN orders o ON o.order_id = m.order_id
                 WHERE o.order_id > ?1 AND o.order_id <= ?2 AND o.batch_id = ?3
                   AND m.status = 'sent'",
                params![batch.ranges.before.orders, after.orders, b],
                "order ",
                "already had a message sent to the customer",
            )?;
            check(
                &mut reasons,
                conn,
                "SELECT DISTINCT o.order_number FROM stock_movements m
                 JOIN order_lines l ON l.line_id = m.order_line_id
                 JOIN orders o ON o.order_id = l.order_id
                 WHERE o.order_id > ?1 AND o.order_id <= ?2 AND o.batch_id = ?3",
                params![batch.ranges.before.orders, after.orders, b],
                "order ",
                "had stock shipped after the import",
            )?;
            // Orders the import changed (a storefront export that cancelled or shipped them):
            // lines it added that went on a pick list since.
            check(
                &mut reasons,
                conn,
                "SELECT DISTINCT o.order_number || ' (pick list ' || pl.list_number || ')'
                 FROM import_changes c
                 JOIN orders o ON o.order_id = c.row_id
                 JOIN order_lines l ON l.order_id = o.order_id
                 JOIN pick_list_lines pll ON pll.line_id = l.line_id
                 JOIN pick_lists pl ON pl.pick_list_id = pll.pick_list_id
                 WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.before IS NOT NULL
                   AND l.line_id > ?2",
                params![b, batch.ranges.before.order_lines],
                "order ",
                "{was} put on a pick list after the import",
            )?;
        }
        "purchase_orders" => {
            check(
                &mut reasons,
                conn,
                &format!(
                    "SELECT po.po_number FROM import_changes c
                     JOIN purchase_orders po ON po.po_id = c.row_id
                     WHERE c.batch_id = ?1 AND c.entity = 'purchase_order' AND c.after <> {PO_STATE}
                     ORDER BY po.po_id"
                ),
                [b],
                "",
                "{was} received, re-dated, confirmed or cancelled after the import",
            )?;
        }
        other => reasons.push(format!("imports of '{other}' cannot be undone")),
    }
    Ok(reasons)
}

/// What undoing a batch removes and restores (counted before, or done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UndoCounts {
    pub products_removed: u64,
    pub products_restored: u64,
    /// Ledger movements taken back, and their units in total.
    pub movements_removed: u64,
    pub units_removed: i64,
    pub orders_removed: u64,
    pub order_lines_removed: u64,
    pub customers_removed: u64,
    pub purchase_orders_removed: u64,
    pub po_lines_removed: u64,
    /// Orders that were in the shop before, which the import changed (cancelled, shipped,
    /// re-addressed): they get their earlier state back.
    pub orders_restored: u64,
    pub suppliers_removed: u64,
    /// Unsent message drafts the import made for orders it did not write.
    pub drafts_removed: u64,
}

fn count(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<u64> {
    let value: i64 = conn.query_row(sql, params, |row| row.get(0))?;
    Ok(u64::try_from(value).unwrap_or(0))
}

/// Customers the import added that no order outside it refers to.
const ORPHAN_CUSTOMERS: &str = "FROM customers c WHERE c.customer_id > ?1 AND c.customer_id <= ?2
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id
                    AND NOT (o.order_id > ?3 AND o.order_id <= ?4 AND o.batch_id IS ?5))";

/// Suppliers the import added that nothing outside it refers to (a product it changed may still
/// name one until its fields are restored, so the undo's own count can be higher).
const ORPHAN_SUPPLIERS: &str = "FROM suppliers s WHERE s.supplier_id > ?1 AND s.supplier_id <= ?2
    AND NOT EXISTS (SELECT 1 FROM products p WHERE p.supplier_id = s.supplier_id
                    AND NOT (p.product_id > ?3 AND p.product_id <= ?4))
    AND NOT EXISTS (SELECT 1 FROM purchase_orders po WHERE po.supplier_id = s.supplier_id
                    AND NOT (po.po_id > ?5 AND po.po_id <= ?6 AND po.batch_id IS ?7))";

/// Counts what [`undo_batch`] would remove and restore.
pub fn undo_counts(conn: &Connection, batch: &ImportBatch) -> Result<UndoCounts> {
    let b = batch.batch_id;
    let (before, after) = (batch.ranges.before, batch.ranges.after);
    let mut counts = UndoCounts {
        products_removed: count(
            conn,
            "SELECT COUNT(*) FROM import_changes WHERE batch_id = ?1 AND entity = 'product'
               AND before IS NULL",
            [b],
        )?,
        products_restored: count(
            conn,
            "SELECT COUNT(*) FROM import_changes WHERE batch_id = ?1 AND entity = 'product'
               AND before IS NOT NULL",
            [b],
        )?,
        movements_removed: count(
            conn,
            "SELECT COUNT(*) FROM stock_movements
             WHERE movement_id > ?1 AND movement_id <= ?2 AND batch_id = ?3",
            params![before.movements, after.movements, b],
        )?,
        units_removed: conn.query_row(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_movements
             WHERE movement_id > ?1 AND movement_id <= ?2 AND batch_id = ?3",
            params![before.movements, after.movements, b],
            |row| row.get(0),
        )?,
        orders_removed: count(
            conn,
            "SELECT COUNT(*) FROM orders WHERE order_id > ?1 AND order_id <= ?2 AND batch_id = ?3",
            params![before.orders, after.orders, b],
        )?,
        order_lines_removed: count(
            conn,
            "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE o.order_id > ?1 AND o.order_id <= ?2 AND o.batch_id = ?3",
            params![before.orders, after.orders, b],
        )?,
        customers_removed: count(
            conn,
            &format!("SELECT COUNT(*) {ORPHAN_CUSTOMERS}"),
            params![
                before.customers,
                after.customers,
                before.orders,
                after.orders,
                b
            ],
        )?,
        purchase_orders_removed: count(
            conn,
            "SELECT COUNT(*) FROM purchase_orders WHERE po_id > ?1 AND po_id <= ?2 AND batch_id = ?3",
            params![before.purchase_orders, after.purchase_orders, b],
        )?,
        po_lines_removed: count(
            conn,
            "SELECT COUNT(*) FROM po_lines pl JOIN purchase_orders po ON po.po_id = pl.po_id
             WHERE po.po_id > ?1 AND po.po_id <= ?2 AND po.batch_id = ?3",
            params![before.purchase_orders, after.purchase_orders, b],
        )?,
        suppliers_removed: count(
            conn,
            &format!("SELECT COUNT(*) {ORPHAN_SUPPLIERS}"),
            params![
                before.suppliers,
                after.suppliers,
                before.products,
                after.products,
                before.purchase_orders,
                after.purchase_orders,
                b
            ],
        )?,
        orders_restored: count(
            conn,
            "SELECT COUNT(*) FROM import_changes WHERE batch_id = ?1 AND entity = 'order'
               AND before IS NOT NULL",
            [b],
        )?,
        drafts_removed: 0,
    };
    counts.drafts_removed = side_drafts(conn, batch)?.len() as u64;
    Ok(counts)
}

/// Unsent drafts the import made for orders it did not write, grouped by order and purpose, where
/// nothing came after them: these are taken back with the import.
fn side_drafts(conn: &Connection, batch: &ImportBatch) -> Result<Vec<(i64, i64, String)>> {
    let (before, after) = (batch.ranges.before, batch.ranges.after);
    let mut statement = conn.prepare(
        "SELECT m.message_id, m.order_id, m.purpose FROM messages m
         WHERE m.message_id > ?1 AND m.message_id <= ?2
           AND m.status IN ('draft', 'superseded')
           AND NOT (m.order_id > ?3 AND m.order_id <= ?4
                    AND (SELECT batch_id FROM orders WHERE order_id = m.order_id) IS ?5)
           AND NOT EXISTS (SELECT 1 FROM messages x
                           WHERE x.order_id = m.order_id AND x.purpose = m.purpose
                             AND (x.message_id > ?2
                                  OR (x.message_id > ?1
                                      AND x.status NOT IN ('draft', 'superseded'))))
         ORDER BY m.message_id",
    )?;
    let rows = statement.query_map(
        params![
            before.messages,
            after.messages,
            before.orders,
            after.orders,
            batch.batch_id
        ],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Takes the batch's rows back (inside the caller's transaction; the caller checked
/// [`undo_blockers`]). Returns what was done and the products whose stock or open lines
/// changed, to re-allocate.
#[expect(
    clippy::too_many_lines,
    reason = "takes back each kind of row a batch wrote, in the order their references allow"
)]
pub fn undo_batch(
    conn: &Connection,
    batch: &ImportBatch,
    undone_at: &str,
) -> Result<(UndoCounts, Vec<ProductId>)> {
    let mut counts = undo_counts(conn, batch)?;
    let b = batch.batch_id;
    let (before, after) = (batch.ranges.before, batch.ranges.after);
    let mut products: BTreeSet<ProductId> = BTreeSet::new();

    // Stock the import moved: the movements go, and on hand with them.
    {
        let mut statement = conn.prepare(
            "SELECT product_id FROM stock_movements
             WHERE movement_id > ?1 AND movement_id <= ?2 AND batch_id = ?3",
        )?;
        let rows = statement.query_map(params![before.movements, after.movements, b], |row| {
            row.get(0).map(ProductId)
        })?;
        for row in rows {
            products.insert(row?);
        }
    }
    conn.execute(
        "UPDATE products SET on_hand = on_hand - (
             SELECT SUM(m.quantity) FROM stock_movements m
             WHERE m.product_id = products.product_id
               AND m.movement_id > ?1 AND m.movement_id <= ?2 AND m.batch_id = ?3)
         WHERE product_id IN (SELECT product_id FROM stock_movements
                              WHERE movement_id > ?1 AND movement_id <= ?2 AND batch_id = ?3)",
        params![before.movements, after.movements, b],
    )?;
    conn.execute(
        "DELETE FROM stock_movements WHERE movement_id > ?1 AND movement_id <= ?2 AND batch_id = ?3",
        params![before.movements, after.movements, b],
    )?;

    // Products it changed get their fields back; products it added go.
    conn.execute(
        "UPDATE products SET
             sku = json_extract(c.before, '$.sku'),
             name = json_extract(c.before, '$.name'),
             category = json_extract(c.before, '$.category'),
             location = json_extract(c.before, '$.location'),
             unit_cost_cents = json_extract(c.before, '$.unit_cost_cents'),
             price_cents = json_extract(c.before, '$.price_cents'),
             supplier_id = json_extract(c.before, '$.supplier_id'),
             lead_time_days = json_extract(c.before, '$.lead_time_days'),
             backorder_policy = json_extract(c.before, '$.backorder_policy'),
             max_wait_days = json_extract(c.before, '$.max_wait_days'),
             reorder_point = json_extract(c.before, '$.reorder_point'),
             order_multiple = json_extract(c.before, '$.order_multiple'),
             min_order_qty = json_extract(c.before, '$.min_order_qty'),
             max_stock = json_extract(c.before, '$.max_stock'),
             archived = json_extract(c.before, '$.archived'),
             updated_at = json_extract(c.before, '$.updated_at'),
             -- Batches recorded before these fields existed did not change them.
             track_stock = COALESCE(json_extract(c.before, '$.track_stock'), track_stock),
             sale_price_cents = CASE WHEN json_type(c.before, '$.sale_price_cents') IS NULL
                                     THEN sale_price_cents
                                     ELSE json_extract(c.before, '$.sale_price_cents') END,
             shop_platform = CASE WHEN json_type(c.before, '$.shop_platform') IS NULL
                                  THEN shop_platform
                                  ELSE json_extract(c.before, '$.shop_platform') END,
             shop_key = CASE WHEN json_type(c.before, '$.shop_key') IS NULL
                             THEN shop_key ELSE json_extract(c.before, '$.shop_key') END,
             sku_derived = COALESCE(json_extract(c.before, '$.sku_derived'), sku_derived)
         FROM import_changes c
         WHERE c.batch_id = ?1 AND c.entity = 'product' AND c.row_id = products.product_id
           AND c.before IS NOT NULL",
        [b],
    )?;
    {
        let mut statement = conn.prepare(
            "SELECT row_id FROM import_changes WHERE batch_id = ?1 AND entity = 'product'
               AND before IS NOT NULL",
        )?;
        let rows = statement.query_map([b], |row| row.get(0).map(ProductId))?;
        for row in rows {
            products.insert(row?);
        }
    }
    conn.execute(
        "DELETE FROM products WHERE product_id IN (
             SELECT row_id FROM import_changes WHERE batch_id = ?1 AND entity = 'product'
               AND before IS NULL)",
        [b],
    )?;

    // Orders it added go with their lines (and the lines' promises and messages); their
    // reservations go back to the queue.
    {
        let mut statement = conn.prepare(
            "SELECT DISTINCT l.product_id FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             WHERE o.order_id > ?1 AND o.order_id <= ?2 AND o.batch_id = ?3
               AND l.quantity > l.shipped_qty + l.cancelled_qty",
        )?;
        let rows = statement.query_map(params![before.orders, after.orders, b], |row| {
            row.get(0).map(ProductId)
        })?;
        for row in rows {
            products.insert(row?);
        }
    }
    conn.execute(
        "DELETE FROM orders WHERE order_id > ?1 AND order_id <= ?2 AND batch_id = ?3",
        params![before.orders, after.orders, b],
    )?;
    let customers_removed = conn.execute(
        "DELETE FROM customers WHERE customer_id > ?1 AND customer_id <= ?2
           AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.customer_id)",
        params![before.customers, after.customers],
    )?;

    // Orders it changed get their earlier state back: lines it added to them go, the others
    // take their quantities, reservations and marks from before; stock is matched again below.
    {
        let mut statement = conn.prepare(
            "SELECT DISTINCT l.product_id FROM import_changes c
             JOIN order_lines l ON l.order_id = c.row_id
             WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.before IS NOT NULL",
        )?;
        let rows = statement.query_map([b], |row| row.get(0).map(ProductId))?;
        for row in rows {
            products.insert(row?);
        }
    }
    conn.execute(
        "DELETE FROM order_lines WHERE line_id > ?2 AND order_id IN (
             SELECT row_id FROM import_changes
             WHERE batch_id = ?1 AND entity = 'order' AND before IS NOT NULL)",
        params![b, before.order_lines],
    )?;
    conn.execute(
        "UPDATE order_lines SET
             quantity = json_extract(j.value, '$.quantity'),
             reserved_qty = json_extract(j.value, '$.reserved_qty'),
             shipped_qty = json_extract(j.value, '$.shipped_qty'),
             cancelled_qty = json_extract(j.value, '$.cancelled_qty'),
             shipped_at = json_extract(j.value, '$.shipped_at'),
             cancel_reason = json_extract(j.value, '$.cancel_reason'),
             oversold = json_extract(j.value, '$.oversold'),
             storefront_line_id = json_extract(j.value, '$.storefront_line_id'),
             backordered_at_order_qty = json_extract(j.value, '$.backordered_at_order_qty')
         FROM import_changes c, json_each(c.before, '$.lines') j
         WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.before IS NOT NULL
           AND order_lines.line_id = json_extract(j.value, '$.line_id')",
        [b],
    )?;
    conn.execute(
        "UPDATE customers SET email = json_extract(c.before, '$.email')
         FROM import_changes c, orders o
         WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.before IS NOT NULL
           AND o.order_id = c.row_id AND customers.customer_id = o.customer_id",
        [b],
    )?;
    conn.execute(
        "UPDATE orders SET
             status = json_extract(c.before, '$.status'),
             closed_at = json_extract(c.before, '$.closed_at'),
             payment_state = json_extract(c.before, '$.payment_state'),
             authorized_at = json_extract(c.before, '$.authorized_at'),
             payment_updated_at = json_extract(c.before, '$.payment_updated_at'),
             storefront = json_extract(c.before, '$.storefront'),
             storefront_order_id = json_extract(c.before, '$.storefront_order_id'),
             storefront_status = json_extract(c.before, '$.storefront_status'),
             currency = json_extract(c.before, '$.currency'),
             ship_name = json_extract(c.before, '$.ship_name'),
             ship_company = json_extract(c.before, '$.ship_company'),
             ship_address1 = json_extract(c.before, '$.ship_address1'),
             ship_address2 = json_extract(c.before, '$.ship_address2'),
             ship_city = json_extract(c.before, '$.ship_city'),
             ship_postal_code = json_extract(c.before, '$.ship_postal_code'),
             ship_region = json_extract(c.before, '$.ship_region'),
             ship_country = json_extract(c.before, '$.ship_country'),
             ship_phone = json_extract(c.before, '$.ship_phone')
         FROM import_changes c
         WHERE c.batch_id = ?1 AND c.entity = 'order' AND c.before IS NOT NULL
           AND c.row_id = orders.order_id",
        [b],
    )?;

    // Purchase orders it added go with their lines and date changes.
    conn.execute(
        "DELETE FROM purchase_orders WHERE po_id > ?1 AND po_id <= ?2 AND batch_id = ?3",
        params![before.purchase_orders, after.purchase_orders, b],
    )?;
    let suppliers_removed = conn.execute(
        "DELETE FROM suppliers WHERE supplier_id > ?1 AND supplier_id <= ?2
           AND NOT EXISTS (SELECT 1 FROM products p WHERE p.supplier_id = suppliers.supplier_id)
           AND NOT EXISTS (SELECT 1 FROM purchase_orders po
                           WHERE po.supplier_id = suppliers.supplier_id)",
        params![before.suppliers, after.suppliers],
    )?;

    // What the import's promise run wrote about other orders: the slips it recorded, and the
    // drafts it made (a draft it set aside becomes the draft again).
    conn.execute(
        "DELETE FROM promise_changes WHERE change_id > ?1 AND change_id <= ?2",
        params![before.promise_changes, after.promise_changes],
    )?;
    let drafts = side_drafts(conn, batch)?;
    let mut groups: BTreeSet<(i64, String)> = BTreeSet::new();
    for (message_id, order_id, kind) in &drafts {
        conn.execute("DELETE FROM messages WHERE message_id = ?1", [message_id])?;
        groups.insert((*order_id, kind.clone()));
    }
    for (order_id, kind) in groups {
        conn.execute(
            "UPDATE messages SET status = 'draft', status_reason = NULL
             WHERE message_id = (SELECT MAX(message_id) FROM messages
                                 WHERE order_id = ?1 AND purpose = ?2 AND message_id <= ?3)
               AND status = 'superseded'",
            params![order_id, kind, before.messages],
        )?;
    }

    conn.execute(
        "UPDATE import_batches SET undone_at = ?2 WHERE batch_id = ?1",
        params![b, undone_at],
    )?;
    conn.execute("DELETE FROM import_changes WHERE batch_id = ?1", [b])?;
    counts.customers_removed = customers_removed as u64;
    counts.suppliers_removed = suppliers_removed as u64;
    let products = products
        .into_iter()
        .filter(|product_id| product_exists(conn, *product_id).unwrap_or(false))
        .collect();
    Ok((counts, products))
}

fn product_exists(conn: &Connection, product_id: ProductId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM products WHERE product_id = ?1)")?
        .query_row([product_id.0], |row| row.get(0))?)
}
