//! Purchase orders (inbound stock) and their lines.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{date_text, parse_date};
use super::ledger::{MovementLink, record_linked_movement};
use super::rows::{NewPoLine, NewPurchaseOrder};
use super::{ProductId, Result, StoreError};
use crate::domain::MovementKind;
use crate::domain::lateness::LatenessRecord;
use crate::domain::order::PoStatus;

/// Identifies a purchase order (defined with the other ids in `domain::ids`).
pub use crate::domain::ids::PoId;

pub(crate) fn insert_purchase_order(conn: &Connection, po: &NewPurchaseOrder<'_>) -> Result<PoId> {
    conn.prepare_cached(
        "INSERT INTO purchase_orders (po_number, supplier_id, ordered_at, expected_at, confirmed,
             status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        po.po_number,
        po.supplier_id,
        date_text(po.ordered_at),
        po.expected_at.map(date_text),
        po.confirmed,
        po.status
    ])?;
    Ok(PoId(conn.last_insert_rowid()))
}

pub(crate) fn insert_po_line(conn: &Connection, line: &NewPoLine) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO po_lines (po_id, product_id, quantity, unit_cost_cents, received_qty,
             received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        line.po_id.0,
        line.product_id.0,
        line.quantity,
        line.unit_cost_cents,
        line.received_qty,
        line.received_at.map(date_text)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The next free PO number of the form `PO-00123`.
pub fn next_po_number(conn: &Connection) -> Result<String> {
    let highest: Option<i64> = conn.query_row(
        "SELECT MAX(CAST(substr(po_number, 4) AS INTEGER)) FROM purchase_orders
         WHERE po_number GLOB 'PO-[0-9]*'",
        [],
        |row| row.get(0),
    )?;
    Ok(format!("PO-{:05}", highest.unwrap_or(0) + 1))
}

pub fn po_id_by_number(conn: &Connection, po_number: &str) -> Result<Option<PoId>> {
    Ok(conn
        .query_row(
            "SELECT po_id FROM purchase_orders WHERE po_number = ?1",
            [po_number.trim()],
            |row| row.get(0).map(PoId),
        )
        .optional()?)
}

/// One purchase order in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoSummary {
    pub po_id: PoId,
    pub po_number: String,
    pub supplier: String,
    pub ordered_at: NaiveDate,
    pub expected_at: Option<NaiveDate>,
    pub confirmed: bool,
    pub status: PoStatus,
    pub line_count: i64,
    pub units_ordered: i64,
    pub units_received: i64,
    /// Times the expected date was moved.
    pub date_changes: i64,
}

impl PoSummary {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }
}

const PO_SUMMARY_SQL: &str = "
SELECT po.po_id, po.po_number, s.name, po.ordered_at, po.expected_at, po.confirmed, po.status,
       COUNT(pl.po_line_id), COALESCE(SUM(pl.quantity), 0), COALESCE(SUM(pl.received_qty), 0),
       (SELECT COUNT(*) FROM po_date_changes d WHERE d.po_id = po.po_id)
FROM purchase_orders po
JOIN suppliers s ON s.supplier_id = po.supplier_id
LEFT JOIN po_lines pl ON pl.po_id = po.po_id";

fn row_to_po_summary(row: &Row<'_>) -> rusqlite::Result<PoSummary> {
    let ordered_at: String = row.get(3)?;
    let expected_at: Option<String> = row.get(4)?;
    Ok(PoSummary {
        po_id: PoId(row.get(0)?),
        po_number: row.get(1)?,
        supplier: row.get(2)?,
        ordered_at: parse_date(&ordered_at).unwrap_or_default(),
        expected_at: expected_at.as_deref().and_then(parse_date),
        confirmed: row.get(5)?,
        status: row.get(6)?,
        line_count: row.get(7)?,
        units_ordered: row.get(8)?,
        units_received: row.get(9)?,
        date_changes: row.get(10)?,
    })
}

/// Purchase orders, open ones first (by expected date), then the rest newest first.
pub fn po_summaries(conn: &Connection, open_only: bool) -> Result<Vec<PoSummary>> {
    let filter = if open_only {
        "WHERE po.status IN ('open', 'partly_received')"
    } else {
        ""
    };
    let sql = format!(
        "{PO_SUMMARY_SQL} {filter} GROUP BY po.po_id
         ORDER BY po.status NOT IN ('open', 'partly_received'),
                  CASE WHEN po.status IN ('open', 'partly_received') THEN po.expected_at END,
                  po.ordered_at DESC, po.po_id DESC"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([], row_to_po_summary)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn po_summary(conn: &Connection, po_id: PoId) -> Result<PoSummary> {
    conn.prepare_cached(&format!(
        "{PO_SUMMARY_SQL} WHERE po.po_id = ?1 GROUP BY po.po_id"
    ))?
    .query_row([po_id.0], row_to_po_summary)
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("purchase order {} does not exist", po_id.0)))
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoLineRow {
    pub po_line_id: i64,
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub received_qty: i64,
    pub unit_cost_cents: i64,
    pub received_at: Option<NaiveDate>,
}

impl PoLineRow {
    pub fn open_quantity(&self) -> i64 {
        (self.quantity - self.received_qty).max(0)
    }
}

/// A move of a PO's expected date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateChange {
    pub changed_on: NaiveDate,
    pub old: Option<NaiveDate>,
    pub new: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoDetail {
    pub summary: PoSummary,
    pub lines: Vec<PoLineRow>,
    pub date_changes: Vec<DateChange>,
}

pub fn po_lines(conn: &Connection, po_id: PoId) -> Result<Vec<PoLineRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT pl.po_line_id, pl.product_id, p.sku, p.name, pl.quantity, pl.received_qty,
                pl.unit_cost_cents, pl.received_at
         FROM po_lines pl JOIN products p ON p.product_id = pl.product_id
         WHERE pl.po_id = ?1 ORDER BY pl.po_line_id",
    )?;
    let rows = statement.query_map([po_id.0], |row| {
        let received_at: Option<String> = row.get(7)?;
        Ok(PoLineRow {
            po_line_id: row.get(0)?,
            product_id: ProductId(row.get(1)?),
            sku: row.get(2)?,
            name: row.get(3)?,
            quantity: row.get(4)?,
            received_qty: row.get(5)?,
            unit_cost_cents: row.get(6)?,
            received_at: received_at.as_deref().and_then(parse_date),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn po_detail(conn: &Connection, po_id: PoId) -> Result<PoDetail> {
    let summary = po_summary(conn, po_id)?;
    let lines = po_lines(conn, po_id)?;
    let mut statement = conn.prepare_cached(
        "SELECT changed_on, old_expected_at, new_expected_at FROM po_date_changes
         WHERE po_id = ?1 ORDER BY change_id",
    )?;
    let rows = statement.query_map([po_id.0], |row| {
        let changed_on: String = row.get(0)?;
        let old: Option<String> = row.get(1)?;
        let new: Option<String> = row.get(2)?;
        Ok(DateChange {
            changed_on: parse_date(&changed_on).unwrap_or_default(),
            old: old.as_deref().and_then(parse_date),
            new: new.as_deref().and_then(parse_date),
        })
    })?;
    let date_changes = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PoDetail {
        summary,
        lines,
        date_changes,
    })
}

/// Receives `quantity` units of a PO line on `date`: a receipt movement enters the ledger.
/// Returns the product.
pub fn receive_po_line(
    conn: &Connection,
    po_line_id: i64,
    quantity: i64,
    date: NaiveDate,
    at: &str,
) -> Result<ProductId> {
    let (product_id, ordered, received, po_number): (i64, i64, i64, String) = conn
        .prepare_cached(
            "SELECT pl.product_id, pl.quantity, pl.received_qty, po.po_number
             FROM po_lines pl JOIN purchase_orders po ON po.po_id = pl.po_id
             WHERE pl.po_line_id = ?1",
        )?
        .query_row([po_line_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("PO line {po_line_id} does not exist")))?;
    let open = ordered - received;
    if quantity <= 0 || quantity > open {
        return Err(StoreError::Invalid(format!(
            "{po_number}: {open} unit(s) are open on this line; cannot receive {quantity}"
        )));
    }
    conn.prepare_cached(
        "UPDATE po_lines SET received_qty = received_qty + ?2, received_at = ?3 WHERE po_line_id = ?1",
    )?
    .execute(params![po_line_id, quantity, date_text(date)])?;
    let product_id = ProductId(product_id);
    record_linked_movement(
        conn,
        product_id,
        MovementKind::Receipt,
        quantity,
        &po_number,
        at,
        MovementLink::PoLine(po_line_id),
    )?;
    Ok(product_id)
}

/// Sets a PO's status from its lines: received when nothing is open, partly when some arrived.
pub fn refresh_po_status(conn: &Connection, po_id: PoId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE purchase_orders SET status = (
             SELECT CASE
                 WHEN SUM(pl.quantity - pl.received_qty) <= 0 THEN 'received'
                 WHEN SUM(pl.received_qty) > 0 THEN 'partly_received'
                 ELSE 'open' END
             FROM po_lines pl WHERE pl.po_id = purchase_orders.po_id)
         WHERE po_id = ?1 AND status <> 'cancelled'",
    )?
    .execute([po_id.0])?;
    Ok(())
}

/// Moves a PO's expected date and keeps the change. Returns the old date.
pub fn set_po_expected(
    conn: &Connection,
    po_id: PoId,
    new_date: NaiveDate,
    changed_on: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let summary = po_summary(conn, po_id)?;
    if !summary.is_open() {
        return Err(StoreError::Invalid(format!(
            "{} is {}; only open purchase orders can be re-dated",
            summary.po_number,
            summary.status_label().to_lowercase()
        )));
    }
    if summary.expected_at == Some(new_date) {
        return Ok(summary.expected_at);
    }
    conn.execute(
        "UPDATE purchase_orders SET expected_at = ?2 WHERE po_id = ?1",
        params![po_id.0, date_text(new_date)],
    )?;
    conn.execute(
        "INSERT INTO po_date_changes (po_id, changed_on, old_expected_at, new_expected_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            po_id.0,
            date_text(changed_on),
            summary.expected_at.map(date_text),
            date_text(new_date)
        ],
    )?;
    Ok(summary.expected_at)
}

pub fn set_po_confirmed(conn: &Connection, po_id: PoId, confirmed: bool) -> Result<()> {
    conn.execute(
        "UPDATE purchase_orders SET confirmed = ?2 WHERE po_id = ?1",
        params![po_id.0, confirmed],
    )?;
    Ok(())
}

pub fn cancel_po(conn: &Connection, po_id: PoId) -> Result<()> {
    conn.execute(
        "UPDATE purchase_orders SET status = 'cancelled' WHERE po_id = ?1",
        [po_id.0],
    )?;
    Ok(())
}

/// An open PO line: units on their way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInbound {
    pub product_id: ProductId,
    pub po_number: String,
    pub expected_at: Option<NaiveDate>,
    pub open_quantity: i64,
    pub confirmed: bool,
}

/// Every open PO line, grouped by product.
pub fn open_inbound(conn: &Connection) -> Result<HashMap<ProductId, Vec<OpenInbound>>> {
    let mut statement = conn.prepare_cached(
        "SELECT pl.product_id, pl.po_number, pl.expected_at, pl.on_order_qty, pl.confirmed
         FROM inbound_po_lines pl",
    )?;
    let rows = statement.query_map([], |row| {
        let expected: Option<String> = row.get(2)?;
        Ok(OpenInbound {
            product_id: ProductId(row.get(0)?),
            po_number: row.get(1)?,
            expected_at: expected.as_deref().and_then(parse_date),
            open_quantity: row.get(3)?,
            confirmed: row.get(4)?,
        })
    })?;
    let mut grouped: HashMap<ProductId, Vec<OpenInbound>> = HashMap::new();
    for row in rows {
        let row = row?;
        grouped.entry(row.product_id).or_default().push(row);
    }
    Ok(grouped)
}

/// Every PO line received on or after `since` as the lateness model sees it: supplier, whether
/// the PO's date was confirmed, and days late (arrival − the date the PO first expected). Lines
/// of POs without an expected date, or cancelled, are left out.
pub fn lateness_records(conn: &Connection, since: NaiveDate) -> Result<Vec<LatenessRecord>> {
    let mut statement = conn.prepare_cached(
        "SELECT po.supplier_id, po.confirmed,
                CAST(julianday(substr(pl.received_at, 1, 10)) - julianday(COALESCE(
                    (SELECT d.old_expected_at FROM po_date_changes d
                     WHERE d.po_id = po.po_id ORDER BY d.change_id LIMIT 1),
                    po.expected_at)) AS INTEGER)
         FROM po_lines pl JOIN purchase_orders po ON po.po_id = pl.po_id
         WHERE pl.received_at >= ?1 AND pl.received_qty > 0 AND po.expected_at IS NOT NULL
           AND po.status <> 'cancelled'
         ORDER BY pl.po_line_id",
    )?;
    let rows = statement.query_map([date_text(since)], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, bool>(1)?,
            row.get::<_, Option<i64>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        if let (supplier_id, confirmed, Some(days_late)) = row? {
            out.push(LatenessRecord {
                supplier_id,
                confirmed,
                days_late,
            });
        }
    }
    Ok(out)
}

/// Supplier names by id.
pub fn supplier_names(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut statement = conn.prepare_cached("SELECT supplier_id, name FROM suppliers")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn supplier_id_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT supplier_id FROM suppliers WHERE name = ?1")?
        .query_row([name.trim()], |row| row.get(0))
        .optional()?)
}
