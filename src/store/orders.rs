//! Customer orders and their lines.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{datetime_text, parse_date, parse_datetime};
use super::ledger::{MovementLink, record_linked_movement};
use super::promises::{StoredPromise, stored_promise_for_line};
use super::rows::{NewOrder, NewOrderLine};
use super::shop_orders::StorefrontFields;
use super::{ProductId, Result, StoreError};
use crate::domain::allocation::{Priority, WaitingLine};
use crate::domain::order::{
    CancelReason, LineQuantities, LineState, OrderProgress, OrderStatus, held_for_completion,
};
use crate::domain::payment::{PaymentFigures, PaymentGate, PaymentState};
use crate::domain::ship_to::ShipTo;
use crate::domain::{BackorderPolicy, MovementKind};

/// Identifies an order (defined with the other ids in `domain::ids`).
pub use crate::domain::ids::OrderId;

pub(crate) fn insert_order(conn: &Connection, order: &NewOrder<'_>) -> Result<OrderId> {
    conn.prepare_cached(
        "INSERT INTO orders (order_number, customer_id, ordered_at, priority, ship_complete,
             status, closed_at, batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        order.order_number,
        order.customer_id,
        datetime_text(order.ordered_at),
        i64::from(order.high_priority),
        order.ship_complete,
        order.status,
        order.closed_at.map(datetime_text),
        order.batch_id
    ])?;
    Ok(OrderId(conn.last_insert_rowid()))
}

pub(crate) fn insert_order_line(conn: &Connection, line: &NewOrderLine) -> Result<i64> {
    conn.prepare_cached(concat!(
        "INSERT INTO order_lines (",
        super::rows::order_line_columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(params![
        line.order_id.0,
        line.line_no,
        line.product_id.0,
        line.quantity,
        line.unit_price_cents,
        line.reserved_qty,
        line.shipped_qty,
        line.cancelled_qty,
        line.backordered_at_order_qty,
        line.shipped_at.map(datetime_text)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The next free order number of the form `SO-000123`.
pub fn next_order_number(conn: &Connection) -> Result<String> {
    let highest: Option<i64> = conn.query_row(
        "SELECT MAX(CAST(substr(order_number, 4) AS INTEGER)) FROM orders
         WHERE order_number GLOB 'SO-[0-9]*'",
        [],
        |row| row.get(0),
    )?;
    Ok(format!("SO-{:06}", highest.unwrap_or(1000) + 1))
}

pub fn order_id_by_number(conn: &Connection, order_number: &str) -> Result<Option<OrderId>> {
    Ok(conn
        .query_row(
            "SELECT order_id FROM orders WHERE order_number = ?1",
            [order_number.trim()],
            |row| row.get(0).map(OrderId),
        )
        .optional()?)
}

/// The highest order number in the shop (text order), if any order exists.
pub fn highest_order_number(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT MAX(order_number) FROM orders", [], |row| row.get(0))?)
}

/// An order by its number: its id and the import that wrote it, if one did.
pub fn order_and_batch_by_number(
    conn: &Connection,
    order_number: &str,
) -> Result<Option<(i64, Option<i64>)>> {
    Ok(conn
        .prepare_cached("SELECT order_id, batch_id FROM orders WHERE order_number = ?1")?
        .query_row([order_number], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// The number the next line of an order gets.
pub fn next_line_no(conn: &Connection, order_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(line_no), 0) + 1 FROM order_lines WHERE order_id = ?1",
        )?
        .query_row([order_id], |row| row.get(0))?)
}

/// An order's status.
pub fn order_status(conn: &Connection, order_id: OrderId) -> Result<OrderStatus> {
    Ok(conn
        .prepare_cached("SELECT status FROM orders WHERE order_id = ?1")?
        .query_row([order_id.0], |row| row.get(0))?)
}

/// A line's reserved units and its open units (neither shipped nor cancelled).
pub fn line_reserved_and_open(conn: &Connection, line_id: i64) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT l.reserved_qty, COALESCE(o.open_qty, 0)
               FROM order_lines l LEFT JOIN open_order_lines o ON o.line_id = l.line_id
              WHERE l.line_id = ?1",
        )?
        .query_row([line_id], |row| Ok((row.get(0)?, row.get(1)?)))?)
}

/// Units of a line that were backordered when it was ordered.
pub fn backordered_at_order(conn: &Connection, line_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT backordered_at_order_qty FROM order_lines WHERE line_id = ?1")?
        .query_row([line_id], |row| row.get(0))?)
}

/// Finds a customer by e-mail (or by name when there is no e-mail), or adds one.
pub fn customer_id(conn: &Connection, name: &str, email: &str) -> Result<i64> {
    let existing: Option<i64> = if email.is_empty() {
        conn.prepare_cached(
            "SELECT customer_id FROM customers WHERE email = '' AND name = ?1 LIMIT 1",
        )?
        .query_row([name], |row| row.get(0))
        .optional()?
    } else {
        conn.prepare_cached(
            "SELECT customer_id FROM customers WHERE email = ?1 COLLATE NOCASE LIMIT 1",
        )?
        .query_row([email], |row| row.get(0))
        .optional()?
    };
    if let Some(id) = existing {
        return Ok(id);
    }
    conn.prepare_cached("INSERT INTO customers (name, email) VALUES (?1, ?2)")?
        .execute(params![name, email])?;
    Ok(conn.last_insert_rowid())
}

/// What allocation needs to know about a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductStock {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    /// Reserved for open lines.
    pub reserved: i64,
    pub policy: BackorderPolicy,
    pub archived: bool,
    pub price_cents: i64,
    /// The backorder cutoff that applies (the product's own, else its category's).
    pub backorder_cutoff: Option<NaiveDate>,
    /// Whether the shop counts this product's stock (if not, every line is ready at once).
    pub track_stock: bool,
}

impl ProductStock {
    /// Units free to promise: on hand minus reserved, never negative.
    pub fn free(&self) -> i64 {
        (self.on_hand - self.reserved).max(0)
    }
}

const PRODUCT_STOCK_SQL: &str = "
SELECT p.product_id, p.sku, p.name, p.on_hand,
       COALESCE((SELECT SUM(l.reserved_qty) FROM open_order_lines l
                 WHERE l.product_id = p.product_id), 0),
       p.backorder_policy, p.archived, p.price_cents,
       COALESCE(p.backorder_cutoff,
                (SELECT cr.backorder_cutoff FROM category_rules cr WHERE cr.category = p.category)),
       p.track_stock
FROM products p";

fn row_to_stock(row: &Row<'_>) -> rusqlite::Result<ProductStock> {
    let policy: String = row.get(5)?;
    Ok(ProductStock {
        product_id: ProductId(row.get(0)?),
        sku: row.get(1)?,
        name: row.get(2)?,
        on_hand: row.get(3)?,
        reserved: row.get(4)?,
        policy: BackorderPolicy::from_code(&policy).unwrap_or(BackorderPolicy::NotAllowed),
        archived: row.get(6)?,
        price_cents: row.get(7)?,
        backorder_cutoff: row
            .get::<_, Option<String>>(8)?
            .as_deref()
            .and_then(parse_date),
        track_stock: row.get(9)?,
    })
}

pub fn product_stock(conn: &Connection, product_id: ProductId) -> Result<ProductStock> {
    conn.prepare_cached(&format!("{PRODUCT_STOCK_SQL} WHERE p.product_id = ?1"))?
        .query_row([product_id.0], row_to_stock)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("product {} does not exist", product_id.0)))
}

pub fn product_stock_by_sku(conn: &Connection, sku: &str) -> Result<Option<ProductStock>> {
    Ok(conn
        .prepare_cached(&format!("{PRODUCT_STOCK_SQL} WHERE p.sku = ?1"))?
        .query_row([sku.trim()], row_to_stock)
        .optional()?)
}

/// Products (not archived) whose SKU or name contains `needle` (any case), for a lookup: the
/// exact SKU first, then SKUs that start with it, then the rest by SKU; at most `limit`.
pub fn product_lookup(conn: &Connection, needle: &str, limit: usize) -> Result<Vec<ProductStock>> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let escaped: String = needle
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    let contains = format!("%{escaped}%");
    let prefix = format!("{escaped}%");
    // The few matches are chosen first, then their stock is read (the reserved units are a sum
    // per product).
    let sql = format!(
        "{PRODUCT_STOCK_SQL}
         WHERE p.product_id IN (
             SELECT product_id FROM products
             WHERE archived = 0
               AND (sku LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\')
             ORDER BY lower(sku) = lower(?3) DESC, sku LIKE ?2 ESCAPE '\\' DESC, sku
             LIMIT ?4)
         ORDER BY lower(p.sku) = lower(?3) DESC, p.sku LIKE ?2 ESCAPE '\\' DESC, p.sku"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement
        .query_map(
            rusqlite::params![contains, prefix, needle, limit as i64],
            row_to_stock,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn row_to_waiting(row: &Row<'_>) -> rusqlite::Result<WaitingLine> {
    let ordered_at: String = row.get(2)?;
    Ok(WaitingLine {
        line_id: row.get(0)?,
        priority: Priority::from_rank(row.get(1)?),
        ordered_at: parse_datetime(&ordered_at).unwrap_or_default(),
        order_number: row.get(3)?,
        waiting: row.get(4)?,
    })
}

/// Open lines of a product that still want units (any order; sort with the queue rule).
pub fn waiting_lines(conn: &Connection, product_id: ProductId) -> Result<Vec<WaitingLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_id, o.priority, o.ordered_at, o.order_number, l.waiting_qty
         FROM open_order_lines l JOIN orders o ON o.order_id = l.order_id
         WHERE l.product_id = ?1 AND o.status = 'open' AND l.waiting_qty > 0",
    )?;
    let rows = statement.query_map([product_id.0], row_to_waiting)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Open lines of a product holding reserved units; `waiting` holds the reserved quantity.
pub fn reserving_lines(conn: &Connection, product_id: ProductId) -> Result<Vec<WaitingLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_id, o.priority, o.ordered_at, o.order_number, l.reserved_qty
         FROM order_lines l JOIN orders o ON o.order_id = l.order_id
         WHERE l.product_id = ?1 AND l.reserved_qty > 0
           AND l.quantity > l.shipped_qty + l.cancelled_qty",
    )?;
    let rows = statement.query_map([product_id.0], row_to_waiting)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn add_reserved(conn: &Connection, line_id: i64, delta: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE order_lines SET reserved_qty = reserved_qty + ?2 WHERE line_id = ?1",
    )?
    .execute(params![line_id, delta])?;
    Ok(())
}

/// Which orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderFilter {
    #[default]
    All,
    /// Open orders with units waiting for stock.
    Waiting,
    /// Open orders that can go to the picker now.
    Ready,
    Shipped,
    Cancelled,
    /// Ready orders whose card payment must be captured first (or whose capture failed).
    Capture,
}

impl OrderFilter {
    pub const ALL: [Self; 6] = [
        Self::All,
        Self::Waiting,
        Self::Ready,
        Self::Capture,
        Self::Shipped,
        Self::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Waiting => "Waiting",
            Self::Ready => "Ready to ship",
            Self::Shipped => "Shipped",
            Self::Cancelled => "Cancelled",
            Self::Capture => "Capture payment",
        }
    }
}

/// One order in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub ordered_at: String,
    pub priority: Priority,
    pub ship_complete: bool,
    pub status: OrderStatus,
    pub line_count: i64,
    pub units_reserved: i64,
    pub units_waiting: i64,
    pub total_cents: i64,
    pub payment: PaymentState,
    /// When the card was (last) authorized, `YYYY-MM-DD HH:MM:SS`.
    pub authorized_at: Option<String>,
    /// Sum of the captures recorded.
    pub captured_cents: i64,
    /// Value of the units shipped.
    pub shipped_cents: i64,
    /// Value of the reserved open units.
    pub reserved_cents: i64,
}

impl OrderSummary {
    /// Open and something can be picked now (all of it, for ship-complete orders).
    pub fn is_ready(&self) -> bool {
        self.status == OrderStatus::Open && self.units_reserved > 0 && !self.held_for_completion()
    }

    /// It ships complete and some of its units still wait (`domain::order::held_for_completion`).
    pub fn held_for_completion(&self) -> bool {
        held_for_completion(self.ship_complete, self.units_waiting)
    }

    /// The money side of the order for the payment gate: what is about to ship is the reserved
    /// units when the order is ready, else nothing.
    pub fn payment_figures(&self) -> PaymentFigures {
        PaymentFigures {
            state: self.payment,
            captured_cents: self.captured_cents,
            shipped_cents: self.shipped_cents,
            ready_cents: if self.is_ready() {
                self.reserved_cents
            } else {
                0
            },
        }
    }

    /// May the ready units ship as far as payment goes?
    pub fn payment_gate(&self) -> PaymentGate {
        self.payment_figures().gate()
    }

    /// The card authorization time.
    pub fn authorized_on(&self) -> Option<NaiveDateTime> {
        self.authorized_at.as_deref().and_then(parse_datetime)
    }

    /// What a list shows for the order (the window colours by it).
    pub fn progress(&self) -> OrderProgress {
        let gate = self.payment_gate();
        OrderProgress::of(
            self.status,
            self.is_ready(),
            gate == PaymentGate::Failed,
            gate.may_ship(),
            self.units_waiting,
        )
    }

    /// The label of [`Self::progress`] (kept for the screens that still match on its text).
    pub fn status_label(&self) -> &'static str {
        self.progress().label()
    }
}

/// One pass over every line of each order (counts and totals take closed lines too), so the
/// waiting units are summed here rather than joined again from `open_order_lines` per line.
const SUMMARY_SQL: &str = "
SELECT o.order_id, o.order_number, c.name, c.email, o.ordered_at, o.priority, o.ship_complete,
       o.status, COUNT(l.line_id),
       COALESCE(SUM(CASE WHEN l.quantity > l.shipped_qty + l.cancelled_qty THEN l.reserved_qty END), 0),
       COALESCE(SUM(CASE WHEN o.status = 'open'
                         THEN l.quantity - l.reserved_qty - l.shipped_qty - l.cancelled_qty END), 0),
       COALESCE(SUM(l.quantity * l.unit_price_cents), 0),
       o.payment_state, o.authorized_at, o.captured_cents,
       COALESCE(SUM(l.shipped_qty * l.unit_price_cents), 0),
       COALESCE(SUM(CASE WHEN l.quantity > l.shipped_qty + l.cancelled_qty
                         THEN l.reserved_qty * l.unit_price_cents END), 0)
FROM orders o
JOIN customers c ON c.customer_id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.order_id";

fn row_to_summary(row: &Row<'_>) -> rusqlite::Result<OrderSummary> {
    Ok(OrderSummary {
        order_id: OrderId(row.get(0)?),
        order_number: row.get(1)?,
        customer_name: row.get(2)?,
        customer_email: row.get(3)?,
        ordered_at: row.get(4)?,
        priority: Priority::from_rank(row.get(5)?),
        ship_complete: row.get(6)?,
        status: row.get(7)?,
        line_count: row.get(8)?,
        units_reserved: row.get(9)?,
        units_waiting: row.get(10)?,
        total_cents: row.get(11)?,
        payment: PaymentState::from_code(&row.get::<_, String>(12)?).unwrap_or_default(),
        authorized_at: row.get(13)?,
        captured_cents: row.get(14)?,
        shipped_cents: row.get(15)?,
        reserved_cents: row.get(16)?,
    })
}

/// Orders matching a filter and a search (order number, customer name or e-mail, SKU), newest
/// first, at most `limit`.
pub fn order_summaries(
    conn: &Connection,
    filter: OrderFilter,
    search: &str,
    limit: usize,
) -> Result<Vec<OrderSummary>> {
    let mut conditions = vec!["1 = 1"];
    match filter {
        OrderFilter::All => {}
        OrderFilter::Waiting | OrderFilter::Ready => conditions.push("o.status = 'open'"),
        OrderFilter::Capture => {
            // Spelled as the partial index `orders_payment` is, so SQLite uses it.
            conditions.push(
                "o.status = 'open' AND (o.payment_state = 'authorized' OR o.payment_state = 'failed'
                 OR o.payment_state = 'captured')",
            );
        }
        OrderFilter::Shipped => conditions.push("o.status = 'shipped'"),
        OrderFilter::Cancelled => conditions.push("o.status = 'cancelled'"),
    }
    let search = search.trim();
    if !search.is_empty() {
        conditions.push(
            "(o.order_number LIKE ?1 ESCAPE '\\' OR c.name LIKE ?1 ESCAPE '\\'
              OR c.email LIKE ?1 ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM order_lines sl JOIN products sp ON sp.product_id = sl.product_id
                         WHERE sl.order_id = o.order_id AND sp.sku LIKE ?1 ESCAPE '\\'))",
        );
    }
    let sql = format!(
        "{SUMMARY_SQL} WHERE {} GROUP BY o.order_id ORDER BY o.ordered_at DESC, o.order_id DESC",
        conditions.join(" AND ")
    );
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = if search.is_empty() {
        statement.query_map([], row_to_summary)?
    } else {
        statement.query_map([pattern], row_to_summary)?
    };
    let mut out = Vec::new();
    for row in rows {
        let summary = row?;
        let wanted = match filter {
            OrderFilter::Ready => summary.is_ready(),
            OrderFilter::Waiting => summary.units_waiting > 0,
            OrderFilter::Capture => summary.is_ready() && !summary.payment_gate().may_ship(),
            _ => true,
        };
        if !wanted {
            continue;
        }
        out.push(summary);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// One line of an order with its product and promise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineRow {
    pub line_id: i64,
    pub line_no: i64,
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub location: String,
    pub quantities: LineQuantities,
    pub unit_price_cents: i64,
    pub policy: BackorderPolicy,
    pub promise: Option<StoredPromise>,
    /// Why its units were cancelled, when the shop said.
    pub cancel_reason: Option<CancelReason>,
    /// Recorded although its product could not be backordered (a storefront sold it).
    pub oversold: bool,
}

impl OrderLineRow {
    pub fn state(&self) -> LineState {
        self.quantities.state(self.policy)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub lines: Vec<OrderLineRow>,
    /// Where the parcel goes (empty fields when not known).
    pub ship_to: ShipTo,
    /// The storefront the order came from, its id there, status words and currency.
    pub storefront: StorefrontFields,
}

pub fn order_summary(conn: &Connection, order_id: OrderId) -> Result<OrderSummary> {
    conn.prepare_cached(&format!(
        "{SUMMARY_SQL} WHERE o.order_id = ?1 GROUP BY o.order_id"
    ))?
    .query_row([order_id.0], row_to_summary)
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("order {} does not exist", order_id.0)))
}

pub fn order_detail(conn: &Connection, order_id: OrderId) -> Result<OrderDetail> {
    let summary = order_summary(conn, order_id)?;
    let mut statement = conn.prepare_cached(
        "SELECT l.line_id, l.line_no, l.product_id, p.sku, p.name, p.location, l.quantity,
                l.reserved_qty, l.shipped_qty, l.cancelled_qty, l.unit_price_cents,
                p.backorder_policy, l.cancel_reason, l.oversold
         FROM order_lines l JOIN products p ON p.product_id = l.product_id
         WHERE l.order_id = ?1 ORDER BY l.line_no",
    )?;
    let rows = statement.query_map([order_id.0], |row| {
        let policy: String = row.get(11)?;
        Ok(OrderLineRow {
            line_id: row.get(0)?,
            line_no: row.get(1)?,
            product_id: ProductId(row.get(2)?),
            sku: row.get(3)?,
            name: row.get(4)?,
            location: row.get(5)?,
            quantities: LineQuantities {
                ordered: row.get(6)?,
                reserved: row.get(7)?,
                shipped: row.get(8)?,
                cancelled: row.get(9)?,
            },
            unit_price_cents: row.get(10)?,
            policy: BackorderPolicy::from_code(&policy).unwrap_or(BackorderPolicy::NotAllowed),
            promise: None,
            cancel_reason: row
                .get::<_, Option<String>>(12)?
                .as_deref()
                .and_then(CancelReason::from_code),
            oversold: row.get(13)?,
        })
    })?;
    let mut lines = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for line in &mut lines {
        line.promise = stored_promise_for_line(conn, line.line_id)?;
    }
    Ok(OrderDetail {
        summary,
        lines,
        ship_to: super::shop_orders::ship_to(conn, order_id)?,
        storefront: super::shop_orders::storefront_fields(conn, order_id)?,
    })
}

/// The order a line belongs to, with the line's product.
pub fn line_owner(conn: &Connection, line_id: i64) -> Result<(OrderId, ProductId)> {
    conn.prepare_cached("SELECT order_id, product_id FROM order_lines WHERE line_id = ?1")?
        .query_row([line_id], |row| {
            Ok((OrderId(row.get(0)?), ProductId(row.get(1)?)))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order line {line_id} does not exist")))
}

fn line_quantities(conn: &Connection, line_id: i64) -> Result<(LineQuantities, String)> {
    conn.prepare_cached(
        "SELECT l.quantity, l.reserved_qty, l.shipped_qty, l.cancelled_qty, o.order_number
         FROM order_lines l JOIN orders o ON o.order_id = l.order_id WHERE l.line_id = ?1",
    )?
    .query_row([line_id], |row| {
        Ok((
            LineQuantities {
                ordered: row.get(0)?,
                reserved: row.get(1)?,
                shipped: row.get(2)?,
                cancelled: row.get(3)?,
            },
            row.get(4)?,
        ))
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("order line {line_id} does not exist")))
}

/// Ships `quantity` reserved units of a line: a shipment movement leaves the ledger (none for a
/// product whose stock is not tracked).
pub fn ship_line_units(conn: &Connection, line_id: i64, quantity: i64, at: &str) -> Result<()> {
    let (quantities, order_number) = line_quantities(conn, line_id)?;
    if quantity <= 0 || quantity > quantities.reserved {
        return Err(StoreError::Invalid(format!(
            "only {} reserved unit(s) of this line can ship, not {quantity}",
            quantities.reserved
        )));
    }
    let (_, product_id) = line_owner(conn, line_id)?;
    conn.prepare_cached(
        "UPDATE order_lines SET reserved_qty = reserved_qty - ?2, shipped_qty = shipped_qty + ?2,
             shipped_at = ?3 WHERE line_id = ?1",
    )?
    .execute(params![line_id, quantity, at])?;
    let tracked: bool = conn
        .prepare_cached("SELECT track_stock FROM products WHERE product_id = ?1")?
        .query_row([product_id.0], |row| row.get(0))?;
    if !tracked {
        // Stock that is not counted does not leave the count.
        return Ok(());
    }
    record_linked_movement(
        conn,
        product_id,
        MovementKind::Shipment,
        -quantity,
        &format!("Order {order_number}"),
        at,
        MovementLink::OrderLine(line_id),
    )?;
    Ok(())
}

/// Records why a line's units were cancelled (`None` leaves the reason unknown).
pub fn set_cancel_reason(
    conn: &Connection,
    line_id: i64,
    reason: Option<CancelReason>,
) -> Result<()> {
    conn.prepare_cached("UPDATE order_lines SET cancel_reason = ?2 WHERE line_id = ?1")?
        .execute(params![line_id, reason.map(CancelReason::code)])?;
    Ok(())
}

/// Cancels every open unit of a line and releases its reservation. Returns the units cancelled.
pub fn cancel_line_units(conn: &Connection, line_id: i64) -> Result<i64> {
    let (quantities, _) = line_quantities(conn, line_id)?;
    let open = quantities.open();
    if open > 0 {
        conn.prepare_cached(
            "UPDATE order_lines SET cancelled_qty = cancelled_qty + ?2, reserved_qty = 0
             WHERE line_id = ?1",
        )?
        .execute(params![line_id, open])?;
    }
    Ok(open)
}

/// Closes an order once nothing is open: shipped if anything shipped, else cancelled.
pub fn refresh_order_status(conn: &Connection, order_id: OrderId, at: &str) -> Result<()> {
    let (open, shipped): (i64, i64) = conn
        .prepare_cached(
            "SELECT COALESCE((SELECT SUM(open_qty) FROM open_order_lines WHERE order_id = ?1), 0),
                    COALESCE(SUM(shipped_qty), 0)
             FROM order_lines WHERE order_id = ?1",
        )?
        .query_row([order_id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let status = OrderStatus::of_units(open, shipped);
    conn.prepare_cached(
        "UPDATE orders SET status = ?2,
             closed_at = CASE WHEN ?2 = 'open' THEN NULL ELSE COALESCE(closed_at, ?3) END
         WHERE order_id = ?1",
    )?
    .execute(params![order_id.0, status, at])?;
    Ok(())
}

pub fn set_priority(conn: &Connection, order_id: OrderId, priority: Priority) -> Result<()> {
    conn.execute(
        "UPDATE orders SET priority = ?2 WHERE order_id = ?1",
        params![order_id.0, priority.rank()],
    )?;
    Ok(())
}

/// Open line ids of an order.
pub fn open_line_ids(conn: &Connection, order_id: OrderId) -> Result<Vec<(i64, ProductId)>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_id, product_id FROM order_lines
         WHERE order_id = ?1 AND quantity > shipped_qty + cancelled_qty ORDER BY line_no",
    )?;
    let rows = statement.query_map([order_id.0], |row| {
        Ok((row.get(0)?, ProductId(row.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records the tracking number of a shipment of `units` units of an order.
pub fn record_shipment(
    conn: &Connection,
    order_id: OrderId,
    units: i64,
    tracking_number: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO order_shipments (order_id, shipped_at, units, tracking_number)
         VALUES (?1, ?2, ?3, ?4)",
        params![order_id.0, at, units, tracking_number.trim()],
    )?;
    Ok(())
}

/// One parcel of an order as shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRow {
    /// When it shipped (local wall time, as stored).
    pub shipped_at: String,
    pub units: i64,
    /// Empty when none was given.
    pub tracking_number: String,
}

/// An order's shipments, oldest first.
pub fn shipments(conn: &Connection, order_id: OrderId) -> Result<Vec<ShipmentRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT shipped_at, units, tracking_number FROM order_shipments
         WHERE order_id = ?1 ORDER BY shipment_id",
    )?;
    let rows = statement.query_map([order_id.0], |row| {
        Ok(ShipmentRow {
            shipped_at: row.get(0)?,
            units: row.get(1)?,
            tracking_number: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The tracking numbers of an order's shipments, oldest first (empty ones left out).
pub fn tracking_numbers(conn: &Connection, order_id: OrderId) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT tracking_number FROM order_shipments
         WHERE order_id = ?1 AND tracking_number <> '' ORDER BY shipment_id",
    )?;
    let rows = statement.query_map([order_id.0], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
