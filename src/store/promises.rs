//! Stored promises (the window each waiting line was last given) and the slips found.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{date_text, parse_date};
use super::{ProductId, Result};
use crate::domain::promise::{EtaWindow, Promise, PromiseFlag, QueuedLine};

/// The promise a line was last given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredPromise {
    pub window: Option<EtaWindow>,
    pub covered_by: Option<String>,
    pub flags: Vec<PromiseFlag>,
    /// The day it was worked out (the last day it changed).
    pub computed_on: Option<NaiveDate>,
}

fn window_from(start: Option<String>, end: Option<String>) -> Option<EtaWindow> {
    let start = parse_date(&start?)?;
    let end = parse_date(&end?)?;
    Some(EtaWindow { start, end })
}

fn row_to_stored(row: &Row<'_>, offset: usize) -> rusqlite::Result<StoredPromise> {
    let flags: String = row.get(offset + 3)?;
    let computed_on: Option<String> = row.get(offset + 4)?;
    Ok(StoredPromise {
        window: window_from(row.get(offset)?, row.get(offset + 1)?),
        covered_by: row.get(offset + 2)?,
        flags: flags
            .split(',')
            .filter_map(PromiseFlag::from_code)
            .collect(),
        computed_on: computed_on.as_deref().and_then(parse_date),
    })
}

pub fn stored_promise_for_line(conn: &Connection, line_id: i64) -> Result<Option<StoredPromise>> {
    Ok(conn
        .prepare_cached(
            "SELECT eta_start, eta_end, covered_by, flags, computed_on FROM line_promises
              WHERE line_id = ?1",
        )?
        .query_row([line_id], |row| row_to_stored(row, 0))
        .optional()?)
}

/// All stored promises by line.
pub fn stored_promises(conn: &Connection) -> Result<HashMap<i64, StoredPromise>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_id, eta_start, eta_end, covered_by, flags, computed_on FROM line_promises",
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
                l.line_id, o.ordered_at, l.waiting_qty
         FROM open_order_lines l
         JOIN orders o ON o.order_id = l.order_id
         JOIN products p ON p.product_id = l.product_id
         WHERE o.status = 'open' AND l.waiting_qty > 0
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

/// A recorded move of a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewChange<'a> {
    pub line_id: i64,
    pub detected_on: NaiveDate,
    pub old: Option<EtaWindow>,
    pub new: Option<EtaWindow>,
    pub reason: &'a str,
    /// Only the calendar moved it (no PO yet, or a late PO).
    pub calendar_only: bool,
}

/// Records that a line's promise moved later.
pub fn record_change(conn: &Connection, change: &NewChange<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO promise_changes (line_id, detected_on, old_start, old_end, new_start,
             new_end, reason, calendar_only)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        change.line_id,
        date_text(change.detected_on),
        change.old.map(|w| date_text(w.start)),
        change.old.map(|w| date_text(w.end)),
        change.new.map(|w| date_text(w.start)),
        change.new.map(|w| date_text(w.end)),
        change.reason,
        change.calendar_only
    ])?;
    Ok(())
}

/// The day a move of the line caused only by the calendar was last recorded.
pub fn last_calendar_change(conn: &Connection, line_id: i64) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn
        .prepare_cached(
            "SELECT MAX(detected_on) FROM promise_changes WHERE line_id = ?1 AND calendar_only = 1",
        )?
        .query_row([line_id], |row| row.get(0))?;
    Ok(day.as_deref().and_then(parse_date))
}

/// The window the line was last told about in "promises changed": the newest recorded change's
/// window, else its first window.
pub fn last_recorded_window(conn: &Connection, line_id: i64) -> Result<Option<EtaWindow>> {
    let changed: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT new_start, new_end FROM promise_changes WHERE line_id = ?1
              ORDER BY change_id DESC LIMIT 1",
        )?
        .query_row([line_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    if let Some((start, end)) = changed {
        return Ok(window_from(start, end));
    }
    Ok(promise_history(conn, line_id)?.map(|history| history.first))
}

/// A line's promise history: its first window and the last window it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseHistory {
    pub first: EtaWindow,
    pub first_on: NaiveDate,
    pub last: EtaWindow,
    pub last_on: NaiveDate,
}

fn row_to_history(row: &Row<'_>, offset: usize) -> rusqlite::Result<Option<PromiseHistory>> {
    let text = |index: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(row
            .get::<_, Option<String>>(offset + index)?
            .as_deref()
            .and_then(parse_date))
    };
    Ok(
        match (text(0)?, text(1)?, text(2)?, text(3)?, text(4)?, text(5)?) {
            (
                Some(first_start),
                Some(first_end),
                Some(first_on),
                Some(last_start),
                Some(last_end),
                Some(last_on),
            ) => Some(PromiseHistory {
                first: EtaWindow {
                    start: first_start,
                    end: first_end,
                },
                first_on,
                last: EtaWindow {
                    start: last_start,
                    end: last_end,
                },
                last_on,
            }),
            _ => None,
        },
    )
}

/// The promise history of a line (`None`: it never had a window).
pub fn promise_history(conn: &Connection, line_id: i64) -> Result<Option<PromiseHistory>> {
    Ok(conn
        .prepare_cached(
            "SELECT first_start, first_end, first_on, last_start, last_end, last_on
               FROM promise_history WHERE line_id = ?1",
        )?
        .query_row([line_id], |row| row_to_history(row, 0))
        .optional()?
        .flatten())
}

/// Keeps a line's promise history: the first window it is given stays; the last one is
/// replaced.
pub fn note_history(
    conn: &Connection,
    line_id: i64,
    window: EtaWindow,
    today: NaiveDate,
) -> Result<()> {
    let (start, end, day) = (
        date_text(window.start),
        date_text(window.end),
        date_text(today),
    );
    conn.prepare_cached(
        "INSERT INTO promise_history (line_id, first_start, first_end, first_on, last_start,
             last_end, last_on)
         VALUES (?1, ?2, ?3, ?4, ?2, ?3, ?4)
         ON CONFLICT(line_id) DO UPDATE SET last_start = excluded.last_start,
             last_end = excluded.last_end, last_on = excluded.last_on
         WHERE last_start <> excluded.last_start OR last_end <> excluded.last_end",
    )?
    .execute(params![line_id, start, end, day])?;
    Ok(())
}

/// One backordered line's promise and what became of it, for the simulator and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseOutcomeRow {
    pub line_id: i64,
    pub supplier_id: Option<i64>,
    pub ordered_on: NaiveDate,
    pub history: PromiseHistory,
    /// The day its last unit shipped, when every unit has shipped or been cancelled and some of
    /// the units that waited shipped (the rule of the promise-kept rate).
    pub shipped_on: Option<NaiveDate>,
    /// Times a later window was recorded for it in "promises changed".
    pub changes: i64,
}

/// Every line with a promise history.
pub fn promise_outcomes(conn: &Connection) -> Result<Vec<PromiseOutcomeRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT h.line_id, p.supplier_id, o.ordered_at,
                h.first_start, h.first_end, h.first_on, h.last_start, h.last_end, h.last_on,
                CASE WHEN l.quantity = l.shipped_qty + l.cancelled_qty
                      AND l.shipped_qty + l.backordered_at_order_qty > l.quantity
                     THEN l.shipped_at END,
                (SELECT COUNT(*) FROM promise_changes pc WHERE pc.line_id = h.line_id)
           FROM promise_history h
           JOIN order_lines l ON l.line_id = h.line_id
           JOIN orders o ON o.order_id = l.order_id
           JOIN products p ON p.product_id = l.product_id
          ORDER BY h.line_id",
    )?;
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let ordered: String = row.get(2)?;
        let shipped: Option<String> = row.get(9)?;
        if let (Some(ordered_on), Some(history)) = (parse_date(&ordered), row_to_history(row, 3)?) {
            out.push(PromiseOutcomeRow {
                line_id: row.get(0)?,
                supplier_id: row.get(1)?,
                ordered_on,
                history,
                shipped_on: shipped.as_deref().and_then(parse_date),
                changes: row.get(10)?,
            });
        }
    }
    Ok(out)
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

/// The promise history of each line of an order that has one, with the day the line finished
/// shipping (the rule of the promise-kept rate), by line id.
pub fn order_promise_histories(
    conn: &Connection,
    order_id: i64,
) -> Result<HashMap<i64, (PromiseHistory, Option<NaiveDate>)>> {
    let mut statement = conn.prepare_cached(
        "SELECT h.line_id, h.first_start, h.first_end, h.first_on, h.last_start, h.last_end,
                h.last_on,
                CASE WHEN l.quantity = l.shipped_qty + l.cancelled_qty
                      AND l.shipped_qty + l.backordered_at_order_qty > l.quantity
                     THEN l.shipped_at END
           FROM order_lines l JOIN promise_history h ON h.line_id = l.line_id
          WHERE l.order_id = ?1",
    )?;
    let mut rows = statement.query([order_id])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let shipped: Option<String> = row.get(7)?;
        if let Some(history) = row_to_history(row, 1)? {
            out.insert(
                row.get::<_, i64>(0)?,
                (history, shipped.as_deref().and_then(parse_date)),
            );
        }
    }
    Ok(out)
}
