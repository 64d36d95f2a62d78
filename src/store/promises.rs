//! Stored promises (the window each waiting line was last given) and the slips found.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::bulk::date_text;
use super::orders::parse_date;
use super::{ProductId, Result};
use crate::domain::promise::{EtaWindow, Promise, PromiseFlag, QueuedLine};

/// The promise a line was last given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredPromise {
    pub window: Option<EtaWindow>,
    pub covered_by: Option<String>,
    pub flags: Vec<PromiseFlag>,
}

fn window_from(start: Option<String>, end: Option<String>) -> Option<EtaWindow> {
    let start = parse_date(&start?)?;
    let end = parse_date(&end?)?;
    Some(EtaWindow { start, end })
}

fn row_to_stored(row: &Row<'_>, offset: usize) -> rusqlite::Result<StoredPromise> {
    let flags: String = row.get(offset + 3)?;
    Ok(StoredPromise {
        window: window_from(row.get(offset)?, row.get(offset + 1)?),
        covered_by: row.get(offset + 2)?,
        flags: flags
            .split(',')
            .filter_map(PromiseFlag::from_code)
            .collect(),
    })
}

pub fn stored_promise_for_line(conn: &Connection, line_id: i64) -> Result<Option<StoredPromise>> {
    Ok(conn
        .prepare_cached(
            "SELECT eta_start, eta_end, covered_by, flags FROM line_promises WHERE line_id = ?1",
        )?
        .query_row([line_id], |row| row_to_stored(row, 0))
        .optional()?)
}

/// All stored promises by line.
pub fn stored_promises(conn: &Connection) -> Result<HashMap<i64, StoredPromise>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_id, eta_start, eta_end, covered_by, flags FROM line_promises",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row_to_stored(row, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
}

/// What the promise engine needs per product with waiting lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueProduct {
    pub product_id: ProductId,
    pub sku: String,
    pub lead_time_days: Option<i64>,
    pub max_wait_days: i64,
    pub supplier_id: Option<i64>,
    /// Waiting lines in queue order.
    pub queue: Vec<QueuedLine>,
}

/// Every product with waiting lines, each with its queue in queue order (priority, then order
/// time, then order number).
pub fn waiting_queues(conn: &Connection) -> Result<Vec<QueueProduct>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.product_id, p.sku, p.lead_time_days, p.max_wait_days, p.supplier_id,
                l.line_id, o.ordered_at, l.quantity - l.reserved_qty - l.shipped_qty - l.cancelled_qty
         FROM order_lines l
         JOIN orders o ON o.order_id = l.order_id
         JOIN products p ON p.product_id = l.product_id
         WHERE o.status = 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty
           AND l.quantity - l.reserved_qty - l.shipped_qty - l.cancelled_qty > 0
         ORDER BY p.product_id, o.priority DESC, o.ordered_at, o.order_number, l.line_id",
    )?;
    let mut rows = statement.query([])?;
    let mut out: Vec<QueueProduct> = Vec::new();
    while let Some(row) = rows.next()? {
        let product_id = ProductId(row.get(0)?);
        let ordered_at: String = row.get(6)?;
        let line = QueuedLine {
            line_id: row.get(5)?,
            ordered_on: parse_date(&ordered_at).unwrap_or_default(),
            waiting: row.get(7)?,
        };
        match out.last_mut() {
            Some(last) if last.product_id == product_id => last.queue.push(line),
            _ => out.push(QueueProduct {
                product_id,
                sku: row.get(1)?,
                lead_time_days: row.get(2)?,
                max_wait_days: row.get(3)?,
                supplier_id: row.get(4)?,
                queue: vec![line],
            }),
        }
    }
    Ok(out)
}

/// Stores the promise of a line (replacing the previous one).
pub fn save_promise(conn: &Connection, promise: &Promise, computed_on: NaiveDate) -> Result<()> {
    let flags: Vec<&str> = promise.flags.iter().map(|flag| flag.code()).collect();
    conn.prepare_cached(
        "INSERT INTO line_promises (line_id, eta_start, eta_end, covered_by, flags, computed_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(line_id) DO UPDATE SET eta_start = excluded.eta_start,
             eta_end = excluded.eta_end, covered_by = excluded.covered_by,
             flags = excluded.flags, computed_on = excluded.computed_on",
    )?
    .execute(params![
        promise.line_id,
        promise.window.map(|w| date_text(w.start)),
        promise.window.map(|w| date_text(w.end)),
        promise.covered_by,
        flags.join(","),
        date_text(computed_on)
    ])?;
    Ok(())
}

/// Forgets promises of lines that no longer wait (filled, shipped or cancelled); returns those
/// lines.
pub fn delete_promises_except(conn: &Connection, waiting_line_ids: &[i64]) -> Result<Vec<i64>> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS still_waiting (line_id INTEGER PRIMARY KEY)",
    )?;
    conn.execute("DELETE FROM temp.still_waiting", [])?;
    {
        let mut insert =
            conn.prepare_cached("INSERT OR IGNORE INTO temp.still_waiting VALUES (?1)")?;
        for line_id in waiting_line_ids {
            insert.execute([line_id])?;
        }
    }
    let removed: Vec<i64> = {
        let mut statement = conn.prepare_cached(
            "DELETE FROM line_promises
              WHERE line_id NOT IN (SELECT line_id FROM temp.still_waiting) RETURNING line_id",
        )?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    conn.execute("DELETE FROM temp.still_waiting", [])?;
    Ok(removed)
}

/// Records that a line's promise moved later.
pub fn record_change(
    conn: &Connection,
    line_id: i64,
    detected_on: NaiveDate,
    old: Option<EtaWindow>,
    new: Option<EtaWindow>,
    reason: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO promise_changes (line_id, detected_on, old_start, old_end, new_start,
             new_end, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        line_id,
        date_text(detected_on),
        old.map(|w| date_text(w.start)),
        old.map(|w| date_text(w.end)),
        new.map(|w| date_text(w.start)),
        new.map(|w| date_text(w.end)),
        reason
    ])?;
    Ok(())
}

/// A promise that moved later, with who to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseChangeRow {
    pub line_id: i64,
    pub detected_on: NaiveDate,
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub sku: String,
    pub old: Option<EtaWindow>,
    pub new: Option<EtaWindow>,
    pub reason: String,
}

/// Slips found on or after `since`, newest first.
pub fn promise_changes_since(conn: &Connection, since: NaiveDate) -> Result<Vec<PromiseChangeRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT pc.detected_on, o.order_number, c.name, c.email, p.sku, pc.old_start, pc.old_end,
                pc.new_start, pc.new_end, pc.reason, pc.line_id
         FROM promise_changes pc
         JOIN order_lines l ON l.line_id = pc.line_id
         JOIN orders o ON o.order_id = l.order_id
         JOIN customers c ON c.customer_id = o.customer_id
         JOIN products p ON p.product_id = l.product_id
         WHERE pc.detected_on >= ?1
         ORDER BY pc.detected_on DESC, pc.change_id DESC",
    )?;
    let rows = statement.query_map([date_text(since)], |row| {
        let detected: String = row.get(0)?;
        Ok(PromiseChangeRow {
            line_id: row.get(10)?,
            detected_on: parse_date(&detected).unwrap_or_default(),
            order_number: row.get(1)?,
            customer_name: row.get(2)?,
            customer_email: row.get(3)?,
            sku: row.get(4)?,
            old: window_from(row.get(5)?, row.get(6)?),
            new: window_from(row.get(7)?, row.get(8)?),
            reason: row.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Order number and customer e-mail of each line, for listings.
pub fn line_labels(conn: &Connection) -> Result<HashMap<i64, (String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_id, o.order_number, c.email
         FROM order_lines l JOIN orders o ON o.order_id = l.order_id
         JOIN customers c ON c.customer_id = o.customer_id
         WHERE o.status = 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            (row.get::<_, String>(1)?, row.get::<_, String>(2)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
}
