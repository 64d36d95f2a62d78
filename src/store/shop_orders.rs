//! Orders from storefronts: ship-to addresses, which storefront order an order is, the
//! storefront's line ids, oversold lines, saved column mappings, and the lookups an import of a
//! storefront export needs.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::parse_datetime;
use super::{ProductId, Result};
use crate::domain::BackorderPolicy;
use crate::domain::ids::OrderId;
use crate::domain::order::OrderStatus;
use crate::domain::payment::PaymentState;
use crate::domain::ship_to::ShipTo;
use crate::domain::shop_orders::{Storefront, name_key};

const SHIP_TO_COLUMNS: &str = "ship_name, ship_company, ship_address1, ship_address2, ship_city,
    ship_postal_code, ship_region, ship_country, ship_phone";

fn row_to_ship_to(row: &Row<'_>, first: usize) -> rusqlite::Result<ShipTo> {
    Ok(ShipTo {
        name: row.get(first)?,
        company: row.get(first + 1)?,
        address1: row.get(first + 2)?,
        address2: row.get(first + 3)?,
        city: row.get(first + 4)?,
        postal_code: row.get(first + 5)?,
        region: row.get(first + 6)?,
        country: row.get(first + 7)?,
        phone: row.get(first + 8)?,
    })
}

/// An order's ship-to address (empty fields when it has none).
pub fn ship_to(conn: &Connection, order_id: OrderId) -> Result<ShipTo> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {SHIP_TO_COLUMNS} FROM orders WHERE order_id = ?1"
        ))?
        .query_row([order_id.0], |row| row_to_ship_to(row, 0))
        .optional()?
        .unwrap_or_default())
}

/// Sets an order's ship-to address.
pub fn set_ship_to(conn: &Connection, order_id: OrderId, address: &ShipTo) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET ship_name = ?2, ship_company = ?3, ship_address1 = ?4,
             ship_address2 = ?5, ship_city = ?6, ship_postal_code = ?7, ship_region = ?8,
             ship_country = ?9, ship_phone = ?10
         WHERE order_id = ?1",
    )?
    .execute(params![
        order_id.0,
        address.name,
        address.company,
        address.address1,
        address.address2,
        address.city,
        address.postal_code,
        address.region,
        address.country,
        address.phone
    ])?;
    Ok(())
}

/// Ship-to addresses of many orders by id (those with any field set).
pub fn ship_to_of_orders(conn: &Connection, order_ids: &[i64]) -> Result<HashMap<i64, ShipTo>> {
    let mut out = HashMap::new();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SHIP_TO_COLUMNS} FROM orders WHERE order_id = ?1"
    ))?;
    for order_id in order_ids {
        let address = statement.query_row([order_id], |row| row_to_ship_to(row, 0))?;
        if !address.is_empty() {
            out.insert(*order_id, address);
        }
    }
    Ok(out)
}

/// The storefront fields of an order: which storefront, its id there, the storefront's status
/// words and the currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorefrontFields {
    /// `None`: typed or imported in the own layout.
    pub storefront: Option<Storefront>,
    pub storefront_order_id: String,
    pub status_text: String,
    pub currency: String,
}

pub fn storefront_fields(conn: &Connection, order_id: OrderId) -> Result<StorefrontFields> {
    Ok(conn
        .prepare_cached(
            "SELECT storefront, storefront_order_id, storefront_status, currency FROM orders
             WHERE order_id = ?1",
        )?
        .query_row([order_id.0], |row| {
            let code: String = row.get(0)?;
            Ok(StorefrontFields {
                storefront: Storefront::from_code(&code),
                storefront_order_id: row.get(1)?,
                status_text: row.get(2)?,
                currency: row.get(3)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Sets the storefront fields of an order.
pub fn set_storefront_fields(
    conn: &Connection,
    order_id: OrderId,
    fields: &StorefrontFields,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET storefront = ?2, storefront_order_id = ?3, storefront_status = ?4,
             currency = ?5
         WHERE order_id = ?1",
    )?
    .execute(params![
        order_id.0,
        fields.storefront.map_or("", Storefront::code),
        fields.storefront_order_id,
        fields.status_text,
        fields.currency
    ])?;
    Ok(())
}

/// A line of an order as a storefront import compares it with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownLine {
    pub line_id: i64,
    pub line_no: i64,
    pub product_id: ProductId,
    pub sku: String,
    pub quantity: i64,
    pub reserved: i64,
    pub shipped: i64,
    pub cancelled: i64,
    pub storefront_line_id: String,
}

impl KnownLine {
    pub fn open(&self) -> i64 {
        (self.quantity - self.shipped - self.cancelled).max(0)
    }
}

/// An order already in the shop, as a storefront import compares it with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOrder {
    pub order_id: OrderId,
    pub order_number: String,
    pub status: OrderStatus,
    pub customer_email: String,
    pub ordered_at: NaiveDateTime,
    pub payment: PaymentState,
    pub fields: StorefrontFields,
    pub ship_to: ShipTo,
    pub lines: Vec<KnownLine>,
}

/// Finds the order a storefront's export names: by the storefront and its id there, else by
/// the order number. Returns it with the storefront it belongs to (an order of another
/// storefront or of the desk can have the same number).
pub fn find_order(
    conn: &Connection,
    storefront: Storefront,
    key: &str,
    order_number: &str,
) -> Result<Option<KnownOrder>> {
    let by_key: Option<i64> = conn
        .prepare_cached(
            // `storefront <> ''` lets the partial index `orders_storefront` answer.
            "SELECT order_id FROM orders
             WHERE storefront <> '' AND storefront = ?1 AND storefront_order_id = ?2",
        )?
        .query_row(params![storefront.code(), key], |row| row.get(0))
        .optional()?;
    let order_id = match by_key {
        Some(id) => Some(id),
        None => conn
            .prepare_cached("SELECT order_id FROM orders WHERE order_number = ?1")?
            .query_row([order_number], |row| row.get(0))
            .optional()?,
    };
    order_id
        .map(|id| known_order(conn, OrderId(id)))
        .transpose()
}

fn known_order(conn: &Connection, order_id: OrderId) -> Result<KnownOrder> {
    let (number, status, email, ordered_at, payment, ship_to) = conn
        .prepare_cached(&format!(
            "SELECT o.order_number, o.status, c.email, o.ordered_at, o.payment_state,
                    {SHIP_TO_COLUMNS}
             FROM orders o JOIN customers c ON c.customer_id = o.customer_id
             WHERE o.order_id = ?1"
        ))?
        .query_row([order_id.0], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, OrderStatus>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row_to_ship_to(row, 5)?,
            ))
        })?;
    let mut statement = conn.prepare_cached(
        "SELECT l.line_id, l.line_no, l.product_id, p.sku, l.quantity, l.reserved_qty,
                l.shipped_qty, l.cancelled_qty, l.storefront_line_id
         FROM order_lines l JOIN products p ON p.product_id = l.product_id
         WHERE l.order_id = ?1 ORDER BY l.line_no",
    )?;
    let lines = statement
        .query_map([order_id.0], |row| {
            Ok(KnownLine {
                line_id: row.get(0)?,
                line_no: row.get(1)?,
                product_id: ProductId(row.get(2)?),
                sku: row.get(3)?,
                quantity: row.get(4)?,
                reserved: row.get(5)?,
                shipped: row.get(6)?,
                cancelled: row.get(7)?,
                storefront_line_id: row.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(KnownOrder {
        order_id,
        order_number: number,
        status,
        customer_email: email,
        ordered_at: parse_datetime(&ordered_at).unwrap_or_default(),
        payment: PaymentState::from_code(&payment).unwrap_or_default(),
        fields: storefront_fields(conn, order_id)?,
        ship_to,
        lines,
    })
}

/// Sets the storefront's id of a line.
pub fn set_storefront_line_id(conn: &Connection, line_id: i64, id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE order_lines SET storefront_line_id = ?2 WHERE line_id = ?1")?
        .execute(params![line_id, id])?;
    Ok(())
}

/// Marks a line oversold (or clears the mark).
pub fn set_oversold(conn: &Connection, line_id: i64, oversold: bool) -> Result<()> {
    conn.prepare_cached("UPDATE order_lines SET oversold = ?2 WHERE line_id = ?1")?
        .execute(params![line_id, i64::from(oversold)])?;
    Ok(())
}

/// Clears the oversold mark of every line of an order (the shop kept them waiting).
pub fn clear_oversold(conn: &Connection, order_id: OrderId) -> Result<usize> {
    Ok(conn
        .prepare_cached("UPDATE order_lines SET oversold = 0 WHERE order_id = ?1 AND oversold = 1")?
        .execute([order_id.0])?)
}

/// A line recorded although its product could not be backordered, still waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversoldLine {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub ordered_at: String,
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub waiting: i64,
}

/// Every oversold line that still waits, oldest order first.
pub fn oversold_lines(conn: &Connection) -> Result<Vec<OversoldLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.order_id, o.order_number, c.name, o.ordered_at, l.line_id, p.sku, p.name,
                l.waiting_qty
         FROM open_order_lines l
         JOIN orders o ON o.order_id = l.order_id
         JOIN customers c ON c.customer_id = o.customer_id
         JOIN products p ON p.product_id = l.product_id
         WHERE l.oversold = 1 AND o.status = 'open' AND l.waiting_qty > 0
         ORDER BY o.ordered_at, o.order_id, l.line_no",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(OversoldLine {
            order_id: OrderId(row.get(0)?),
            order_number: row.get(1)?,
            customer_name: row.get(2)?,
            ordered_at: row.get(3)?,
            line_id: row.get(4)?,
            sku: row.get(5)?,
            name: row.get(6)?,
            waiting: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Cancels up to `units` open units of a line; its reservation shrinks to what stays open.
/// Returns the units cancelled.
pub fn cancel_units(conn: &Connection, line_id: i64, units: i64) -> Result<i64> {
    let open: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(o.open_qty, 0)
               FROM order_lines l LEFT JOIN open_order_lines o ON o.line_id = l.line_id
              WHERE l.line_id = ?1",
        )?
        .query_row([line_id], |row| row.get(0))?;
    let units = units.min(open).max(0);
    if units > 0 {
        conn.prepare_cached(
            "UPDATE order_lines SET cancelled_qty = cancelled_qty + ?2,
                 reserved_qty = MIN(reserved_qty, quantity - shipped_qty - cancelled_qty - ?2)
             WHERE line_id = ?1",
        )?
        .execute(params![line_id, units])?;
    }
    Ok(units)
}

/// Cancels up to `units` units of a line that wait (not reserved). Returns the units cancelled.
pub fn cancel_waiting(conn: &Connection, line_id: i64, units: i64) -> Result<i64> {
    let waiting = waiting_units(conn, line_id)?;
    let units = units.min(waiting).max(0);
    if units > 0 {
        conn.prepare_cached(
            "UPDATE order_lines SET cancelled_qty = cancelled_qty + ?2 WHERE line_id = ?1",
        )?
        .execute(params![line_id, units])?;
    }
    Ok(units)
}

/// Records `units` of a line as shipped without a ledger movement (the storefront shipped
/// units the desk had not reserved: on hand is the stock count's to correct).
pub fn ship_without_stock(conn: &Connection, line_id: i64, units: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE order_lines SET shipped_qty = shipped_qty + ?2, shipped_at = ?3,
             reserved_qty = MIN(reserved_qty, quantity - shipped_qty - cancelled_qty - ?2)
         WHERE line_id = ?1",
    )?
    .execute(params![line_id, units, at])?;
    Ok(())
}

/// Raises a line's quantity (the storefront added units to it).
pub fn set_quantity(conn: &Connection, line_id: i64, quantity: i64) -> Result<()> {
    conn.prepare_cached("UPDATE order_lines SET quantity = ?2 WHERE line_id = ?1")?
        .execute(params![line_id, quantity])?;
    Ok(())
}

/// Records how many units of a new line could not be filled from stock when it was imported.
pub fn set_backordered_at_order(conn: &Connection, line_id: i64, units: i64) -> Result<()> {
    conn.prepare_cached("UPDATE order_lines SET backordered_at_order_qty = ?2 WHERE line_id = ?1")?
        .execute(params![line_id, units])?;
    Ok(())
}

/// The units of a line still waiting for stock (open, not reserved).
pub fn waiting_units(conn: &Connection, line_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(COALESCE(w.waiting_qty, 0), 0)
             FROM order_lines l LEFT JOIN open_order_lines w ON w.line_id = l.line_id
             WHERE l.line_id = ?1",
        )?
        .query_row([line_id], |row| row.get(0))?)
}

/// A waiting line of an imported order whose product may refuse backorders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictLine {
    pub line_id: i64,
    pub waiting: i64,
    pub policy: BackorderPolicy,
    pub cutoff: Option<NaiveDate>,
    pub ordered_at: NaiveDateTime,
}

/// Waiting lines of open orders with ids above `after_order_id`, of products that do not allow
/// backorders or have a backorder cutoff (their own or their category's): the lines that may be
/// oversold. Read from the open-lines index of those products only.
pub fn waiting_lines_of_strict_products(
    conn: &Connection,
    after_order_id: i64,
) -> Result<Vec<StrictLine>> {
    let mut statement = conn.prepare(
        "SELECT l.line_id, l.waiting_qty,
                p.backorder_policy,
                COALESCE(p.backorder_cutoff,
                         (SELECT cr.backorder_cutoff FROM category_rules cr
                          WHERE cr.category = p.category)),
                o.ordered_at
         FROM products p
         JOIN open_order_lines l ON l.product_id = p.product_id
         JOIN orders o ON o.order_id = l.order_id
         WHERE (p.backorder_policy = 'no' OR p.backorder_cutoff IS NOT NULL
                OR EXISTS (SELECT 1 FROM category_rules cr
                           WHERE cr.category = p.category AND cr.backorder_cutoff IS NOT NULL))
           AND l.order_id > ?1 AND o.status = 'open' AND l.waiting_qty > 0",
    )?;
    let rows = statement.query_map([after_order_id], |row| {
        let policy: String = row.get(2)?;
        let cutoff: Option<String> = row.get(3)?;
        let ordered_at: String = row.get(4)?;
        Ok(StrictLine {
            line_id: row.get(0)?,
            waiting: row.get(1)?,
            policy: BackorderPolicy::from_code(&policy).unwrap_or(BackorderPolicy::NotAllowed),
            cutoff: cutoff.as_deref().and_then(super::codec::parse_date),
            ordered_at: parse_datetime(&ordered_at).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Some line of the order is flagged oversold.
pub fn has_oversold(conn: &Connection, order_id: OrderId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM order_lines WHERE order_id = ?1 AND oversold = 1)",
        )?
        .query_row([order_id.0], |row| row.get(0))?)
}

/// Whether a line is marked oversold.
pub fn is_oversold(conn: &Connection, line_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT oversold FROM order_lines WHERE line_id = ?1")?
        .query_row([line_id], |row| row.get(0))
        .optional()?
        .unwrap_or(false))
}

/// The ids of waiting lines marked oversold (for the backorder list's flags).
pub fn oversold_line_ids(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let mut statement =
        conn.prepare_cached("SELECT line_id FROM order_lines WHERE oversold = 1")?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Products by the name a storefront writes on its order lines ([`name_key`]), each with its
/// SKU (archived products included: their history is still ordered).
pub fn products_by_name(conn: &Connection) -> Result<HashMap<String, Vec<(ProductId, String)>>> {
    let mut statement = conn.prepare("SELECT product_id, sku, name FROM products")?;
    let rows = statement.query_map([], |row| {
        Ok((
            ProductId(row.get(0)?),
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    let mut out: HashMap<String, Vec<(ProductId, String)>> = HashMap::new();
    for row in rows {
        let (product_id, sku, name) = row?;
        out.entry(name_key(&name))
            .or_default()
            .push((product_id, sku));
    }
    Ok(out)
}

/// Open storefront orders whose customer has no e-mail address (no message is drafted for
/// them), newest first, at most `limit`: order number and customer name.
pub fn open_orders_without_email(conn: &Connection, limit: usize) -> Result<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.order_number, c.name FROM orders o
         JOIN customers c ON c.customer_id = o.customer_id
         WHERE o.status = 'open' AND trim(c.email) = '' AND o.storefront <> ''
         ORDER BY o.ordered_at DESC, o.order_id DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Sets the e-mail address of an order's customer (a customer without one gets it; the drafts
/// of the order that had no address get it too).
pub fn set_order_email(conn: &Connection, order_id: OrderId, email: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET email = ?2
         WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = ?1)",
    )?
    .execute(params![order_id.0, email])?;
    conn.prepare_cached(
        "UPDATE messages SET recipient = ?2
         WHERE status = 'draft' AND trim(recipient) = ''
           AND order_id IN (SELECT order_id FROM orders WHERE customer_id =
                            (SELECT customer_id FROM orders WHERE order_id = ?1))",
    )?
    .execute(params![order_id.0, email])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Saved column mappings

/// A column mapping saved under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedMapping {
    pub mapping_id: i64,
    pub name: String,
    /// The folded header of the file it was made for.
    pub header_signature: String,
    /// The field → column choices as JSON.
    pub fields_json: String,
    pub updated_at: String,
}

fn row_to_mapping(row: &Row<'_>) -> rusqlite::Result<SavedMapping> {
    Ok(SavedMapping {
        mapping_id: row.get(0)?,
        name: row.get(1)?,
        header_signature: row.get(2)?,
        fields_json: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

const MAPPING_SQL: &str =
    "SELECT mapping_id, name, header_signature, fields, updated_at FROM column_mappings";

/// Saves a mapping under a name (replacing one of the same name, any case).
pub fn save_mapping(
    conn: &Connection,
    name: &str,
    header_signature: &str,
    fields_json: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO column_mappings (name, header_signature, fields, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT(name) DO UPDATE SET header_signature = excluded.header_signature,
             fields = excluded.fields, updated_at = excluded.updated_at",
        params![name, header_signature, fields_json, now],
    )?;
    Ok(())
}

/// The mapping of this name (any case).
pub fn mapping_by_name(conn: &Connection, name: &str) -> Result<Option<SavedMapping>> {
    Ok(conn
        .query_row(
            &format!("{MAPPING_SQL} WHERE name = ?1 COLLATE NOCASE"),
            [name.trim()],
            row_to_mapping,
        )
        .optional()?)
}

/// The newest mapping made for a file with this header.
pub fn mapping_for_header(conn: &Connection, signature: &str) -> Result<Option<SavedMapping>> {
    Ok(conn
        .query_row(
            &format!(
                "{MAPPING_SQL} WHERE header_signature = ?1
                 ORDER BY updated_at DESC, mapping_id DESC LIMIT 1"
            ),
            [signature],
            row_to_mapping,
        )
        .optional()?)
}

/// Every saved mapping, by name.
pub fn mappings(conn: &Connection) -> Result<Vec<SavedMapping>> {
    let mut statement = conn.prepare(&format!("{MAPPING_SQL} ORDER BY name COLLATE NOCASE"))?;
    let rows = statement.query_map([], row_to_mapping)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
