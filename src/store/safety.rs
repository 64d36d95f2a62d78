//! History for safety stock: daily demand, supplier lead times, stock position and each
//! product's order rules (multiple, minimum, maximum).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::date_text;
use super::{ProductId, Result, StoreError};
pub use crate::domain::reorder::{DemandSums, MAX_RULE_UNITS, OrderRules, StockPosition};

pub fn order_rules(conn: &Connection, product_id: ProductId) -> Result<OrderRules> {
    conn.prepare_cached(
        "SELECT order_multiple, min_order_qty, max_stock FROM products WHERE product_id = ?1",
    )?
    .query_row([product_id.0], |row| {
        Ok(OrderRules {
            order_multiple: row.get(0)?,
            min_order_qty: row.get(1)?,
            max_stock: row.get(2)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("product {} does not exist", product_id.0)))
}

pub fn set_order_rules(conn: &Connection, product_id: ProductId, rules: &OrderRules) -> Result<()> {
    rules.check().map_err(StoreError::Invalid)?;
    let changed = conn.execute(
        "UPDATE products SET order_multiple = ?2, min_order_qty = ?3, max_stock = ?4
         WHERE product_id = ?1",
        params![
            product_id.0,
            rules.order_multiple,
            rules.min_order_qty,
            rules.max_stock
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "product {} does not exist",
            product_id.0
        )));
    }
    Ok(())
}

/// Per product and day, units ordered on `from ..= to` minus units cancelled; cancelled orders
/// and days without demand are left out (the caller counts them as 0).
const DAILY_DEMAND_SQL: &str = "
SELECT l.product_id, substr(o.ordered_at, 1, 10) AS day, SUM(l.quantity - l.cancelled_qty)
FROM orders o JOIN order_lines l ON l.order_id = o.order_id
WHERE o.ordered_at >= ?1 AND o.ordered_at < ?2 AND o.status <> 'cancelled'";

fn window_bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    let until = to.succ_opt().unwrap_or(to);
    (date_text(from), date_text(until))
}

/// Units per day of one product on `from ..= to`: only days with demand, oldest first.
pub fn daily_demand(
    conn: &Connection,
    product_id: ProductId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>> {
    let (from, until) = window_bounds(from, to);
    let mut statement = conn.prepare_cached(&format!(
        "{DAILY_DEMAND_SQL} AND l.product_id = ?3 GROUP BY day HAVING SUM(l.quantity - l.cancelled_qty) > 0 ORDER BY day"
    ))?;
    let rows = statement.query_map(params![from, until, product_id.0], |row| {
        let day: String = row.get(1)?;
        Ok((day, row.get::<_, i64>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, units) = row?;
        if let Some(day) = super::codec::parse_date(&day) {
            out.push((day, units));
        }
    }
    Ok(out)
}

/// [`daily_demand`] summed for every product with demand on `from ..= to`. The lines are read
/// once and added up per product and day here: at a million order lines that is several times
/// faster than SQLite's GROUP BY, which sorts them first.
pub fn demand_sums(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<ProductId, DemandSums>> {
    let (from, until) = window_bounds(from, to);
    let mut statement = conn.prepare_cached(
        "SELECT l.product_id, o.ordered_at, l.quantity - l.cancelled_qty
         FROM orders o JOIN order_lines l ON l.order_id = o.order_id
         WHERE o.ordered_at >= ?1 AND o.ordered_at < ?2 AND o.status <> 'cancelled'",
    )?;
    let mut rows = statement.query(params![from, until])?;
    let mut per_day: HashMap<(i64, u32), i64> = HashMap::new();
    while let Some(row) = rows.next()? {
        let units: i64 = row.get(2)?;
        if units == 0 {
            continue;
        }
        // `ordered_at` is always text (`YYYY-MM-DD HH:MM:SS`).
        let day = day_key(row.get_ref(1)?.as_str().unwrap_or_default());
        *per_day.entry((row.get(0)?, day)).or_insert(0) += units;
    }
    let mut out: HashMap<ProductId, DemandSums> = HashMap::new();
    for ((product_id, _), units) in per_day {
        if units > 0 {
            out.entry(ProductId(product_id)).or_default().add_day(units);
        }
    }
    Ok(out)
}

/// `YYYY-MM-DD…` as the number YYYYMMDD (a key for grouping by day, not a date).
fn day_key(text: &str) -> u32 {
    text.bytes()
        .take(10)
        .filter(u8::is_ascii_digit)
        .fold(0u32, |key, digit| key * 10 + u32::from(digit - b'0'))
}

/// Lead times in days of received purchase order lines: the (last) arrival date minus the
/// PO's order date. Cancelled POs and negative spans (bad data) are left out.
const LEAD_TIME_SQL: &str = "
SELECT pl.product_id,
       CAST(julianday(substr(pl.received_at, 1, 10)) - julianday(substr(po.ordered_at, 1, 10)) AS INTEGER)
FROM po_lines pl JOIN purchase_orders po ON po.po_id = pl.po_id
WHERE pl.received_at IS NOT NULL AND pl.received_qty > 0 AND po.status <> 'cancelled'
  AND julianday(substr(pl.received_at, 1, 10)) >= julianday(substr(po.ordered_at, 1, 10))";

/// Lead times of one product's receipts, in days.
pub fn lead_times(conn: &Connection, product_id: ProductId) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(&format!(
        "{LEAD_TIME_SQL} AND pl.product_id = ?1 ORDER BY pl.po_line_id"
    ))?;
    let rows = statement.query_map([product_id.0], |row| row.get::<_, i64>(1))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Lead times of every product's receipts, in days.
pub fn all_lead_times(conn: &Connection) -> Result<HashMap<ProductId, Vec<i64>>> {
    let mut statement = conn.prepare_cached(LEAD_TIME_SQL)?;
    let mut rows = statement.query([])?;
    let mut out: HashMap<ProductId, Vec<i64>> = HashMap::new();
    while let Some(row) = rows.next()? {
        out.entry(ProductId(row.get(0)?))
            .or_default()
            .push(row.get(1)?);
    }
    Ok(out)
}

pub(crate) const POSITION_SQL: &str = "
SELECT p.product_id, p.sku, p.name, COALESCE(s.name, ''), p.unit_cost_cents,
       COALESCE(p.lead_time_days, s.default_lead_time_days), p.on_hand,
       COALESCE(demand.reserved, 0), COALESCE(demand.waiting, 0), COALESCE(inbound.on_order, 0),
       p.order_multiple, p.min_order_qty, p.max_stock
FROM products p
LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id
LEFT JOIN (
    SELECT l.product_id, SUM(l.reserved_qty) AS reserved, SUM(l.waiting_qty) AS waiting
    FROM open_order_lines l
    GROUP BY l.product_id
) demand ON demand.product_id = p.product_id
LEFT JOIN (
    SELECT pl.product_id, SUM(pl.on_order_qty) AS on_order
    FROM inbound_po_lines pl
    GROUP BY pl.product_id
) inbound ON inbound.product_id = p.product_id
WHERE p.archived = 0";

fn row_to_position(row: &Row<'_>) -> rusqlite::Result<StockPosition> {
    Ok(StockPosition {
        product_id: ProductId(row.get(0)?),
        sku: row.get(1)?,
        name: row.get(2)?,
        supplier: row.get(3)?,
        unit_cost_cents: row.get(4)?,
        lead_time_days: row.get(5)?,
        on_hand: row.get(6)?,
        reserved: row.get(7)?,
        backordered: row.get(8)?,
        on_order: row.get(9)?,
        rules: OrderRules {
            order_multiple: row.get(10)?,
            min_order_qty: row.get(11)?,
            max_stock: row.get(12)?,
        },
    })
}

/// Every active product's stock position, in SKU order.
pub fn stock_positions(conn: &Connection) -> Result<Vec<StockPosition>> {
    let mut statement = conn.prepare_cached(&format!("{POSITION_SQL} ORDER BY p.sku"))?;
    let rows = statement.query_map([], row_to_position)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// [`POSITION_SQL`] for one product: correlated sums over its own lines only.
pub(crate) const ONE_POSITION_SQL: &str = "
SELECT p.product_id, p.sku, p.name, COALESCE(s.name, ''), p.unit_cost_cents,
       COALESCE(p.lead_time_days, s.default_lead_time_days), p.on_hand,
       COALESCE((SELECT SUM(l.reserved_qty) FROM open_order_lines l
                 WHERE l.product_id = p.product_id), 0),
       COALESCE((SELECT SUM(l.waiting_qty) FROM open_order_lines l
                 WHERE l.product_id = p.product_id), 0),
       COALESCE((SELECT SUM(pl.on_order_qty) FROM inbound_po_lines pl
                 WHERE pl.product_id = p.product_id), 0),
       p.order_multiple, p.min_order_qty, p.max_stock
FROM products p
LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id
WHERE p.product_id = ?1";

/// One product's stock position (archived products included).
pub fn stock_position(conn: &Connection, product_id: ProductId) -> Result<StockPosition> {
    conn.prepare_cached(ONE_POSITION_SQL)?
        .query_row([product_id.0], row_to_position)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("product {} does not exist", product_id.0)))
}

/// Active products as (SKU, name, id), in SKU order, for picking one.
pub fn product_choices(conn: &Connection) -> Result<Vec<(String, String, ProductId)>> {
    let mut statement = conn.prepare_cached(
        "SELECT sku, name, product_id FROM products WHERE archived = 0 ORDER BY sku",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((row.get(0)?, row.get(1)?, ProductId(row.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
