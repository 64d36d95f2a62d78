//! The few queries the demo generator needs to stage its story after the bulk load: a
//! supplier's slip, and which orders get drafted messages.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::orders::OrderId;
use super::purchasing::PoId;

/// Products in the shop (the demo loads only into an empty shop).
pub fn product_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM products", [], |row| row.get(0))?)
}

/// One recorded PO date change: the PO, its number, the old and the new expected day as stored.
pub fn first_po_date_change(conn: &Connection) -> Result<Option<(PoId, String, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT d.po_id, (SELECT po_number FROM purchase_orders WHERE po_id = d.po_id),
                    d.old_expected_at, d.new_expected_at
               FROM po_date_changes d LIMIT 1",
            [],
            |row| Ok((PoId(row.get(0)?), row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?)
}

/// Sets a PO's expected day to a stored text, without recording a change (the demo replays a
/// change it recorded already).
pub fn set_expected_text(conn: &Connection, po_id: PoId, expected_at: &str) -> Result<()> {
    conn.execute(
        "UPDATE purchase_orders SET expected_at = ?2 WHERE po_id = ?1",
        params![po_id.0, expected_at],
    )?;
    Ok(())
}

fn ids(conn: &Connection, sql: &str) -> Result<Vec<i64>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest open orders with units waiting, newest first.
pub fn newest_waiting_orders(conn: &Connection, limit: usize) -> Result<Vec<OrderId>> {
    Ok(ids(
        conn,
        &format!(
            "SELECT DISTINCT o.order_id FROM orders o JOIN open_order_lines l ON l.order_id = o.order_id
              WHERE o.status = 'open' AND l.waiting_qty > 0
              ORDER BY o.ordered_at DESC, o.order_id DESC LIMIT {limit}"
        ),
    )?
    .into_iter()
    .map(OrderId)
    .collect())
}

/// Lines of the newest open orders that waited when ordered and are wholly reserved now.
pub fn newest_ready_backordered_lines(conn: &Connection, limit: usize) -> Result<Vec<i64>> {
    ids(
        conn,
        &format!(
            "SELECT l.line_id FROM open_order_lines l JOIN orders o ON o.order_id = l.order_id
              WHERE o.status = 'open' AND l.backordered_at_order_qty > 0 AND l.reserved_qty > 0
                AND l.waiting_qty = 0
              ORDER BY o.ordered_at DESC LIMIT {limit}"
        ),
    )
}

/// The newest cancelled orders.
pub fn newest_cancelled_orders(conn: &Connection, limit: usize) -> Result<Vec<OrderId>> {
    Ok(ids(
        conn,
        &format!(
            "SELECT order_id FROM orders WHERE status = 'cancelled'
              ORDER BY ordered_at DESC LIMIT {limit}"
        ),
    )?
    .into_iter()
    .map(OrderId)
    .collect())
}

/// The cancelled lines of an order with their cancelled units.
pub fn cancelled_lines(conn: &Connection, order_id: OrderId) -> Result<Vec<(i64, i64)>> {
    let mut statement = conn.prepare(
        "SELECT line_id, cancelled_qty FROM order_lines
          WHERE order_id = ?1 AND cancelled_qty > 0",
    )?;
    let rows = statement.query_map([order_id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
