//! Pick lists: the lists printed for the floor, their lines, and what the planner reads.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{date_text, datetime_text, day_of, parse_datetime};
use super::orders::OrderId;
use super::promises::stored_promise_for_line;
use super::{Result, StoreError};
use crate::domain::allocation::Priority;
use crate::domain::order::LineQuantities;
use crate::domain::picklist::{CandidateLine, CandidateOrder, PickLayout, PickLine, PickOrder};
use crate::domain::promise::EtaWindow;

/// Where a pick list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickListStatus {
    /// Printed, not picked yet.
    Open,
    /// Picked: its units were shipped.
    Picked,
}

impl PickListStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Picked => "picked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Picked => "Picked",
        }
    }
}

/// A saved pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPickList {
    pub pick_list_id: i64,
    pub list_number: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub created_at: String,
    pub layout: PickLayout,
    pub status: PickListStatus,
    pub picked_at: Option<String>,
    /// Order line and units, in the order of work as printed.
    pub lines: Vec<(i64, i64)>,
}

impl StoredPickList {
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|(_, units)| units).sum()
    }
}

/// The next free list number of the form `PL-000001`.
pub fn next_list_number(conn: &Connection) -> Result<String> {
    let highest: Option<i64> = conn.query_row(
        "SELECT MAX(CAST(substr(list_number, 4) AS INTEGER)) FROM pick_lists
         WHERE list_number GLOB 'PL-[0-9]*'",
        [],
        |row| row.get(0),
    )?;
    Ok(format!("PL-{:06}", highest.unwrap_or(0) + 1))
}

/// Saves a new open list; `lines` are `(line_id, units)` in the order of work.
pub fn insert_pick_list(
    conn: &Connection,
    list_number: &str,
    created_at: &str,
    layout: PickLayout,
    lines: &[(i64, i64)],
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO pick_lists (list_number, created_at, layout, status) VALUES (?1, ?2, ?3, 'open')",
    )?
    .execute(params![list_number, created_at, layout.code()])?;
    let pick_list_id = conn.last_insert_rowid();
    let mut statement = conn.prepare_cached(
        "INSERT INTO pick_list_lines (pick_list_id, line_id, position, quantity)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, (line_id, quantity)) in lines.iter().enumerate() {
        statement.execute(params![pick_list_id, line_id, position as i64, quantity])?;
    }
    Ok(pick_list_id)
}

fn row_to_list(row: &Row<'_>) -> rusqlite::Result<StoredPickList> {
    let layout: String = row.get(3)?;
    let status: String = row.get(4)?;
    Ok(StoredPickList {
        pick_list_id: row.get(0)?,
        list_number: row.get(1)?,
        created_at: row.get(2)?,
        layout: PickLayout::from_code(&layout).unwrap_or_default(),
        status: if status == "picked" {
            PickListStatus::Picked
        } else {
            PickListStatus::Open
        },
        picked_at: row.get(5)?,
        lines: Vec::new(),
    })
}

const LIST_SQL: &str =
    "SELECT pick_list_id, list_number, created_at, layout, status, picked_at FROM pick_lists";

/// A saved list with its lines; `None` when no list has that number.
pub fn pick_list(conn: &Connection, list_number: &str) -> Result<Option<StoredPickList>> {
    let found = conn
        .prepare_cached(&format!("{LIST_SQL} WHERE list_number = ?1 COLLATE NOCASE"))?
        .query_row([list_number.trim()], row_to_list)
        .optional()?;
    let Some(mut list) = found else {
        return Ok(None);
    };
    let mut statement = conn.prepare_cached(
        "SELECT line_id, quantity FROM pick_list_lines WHERE pick_list_id = ?1 ORDER BY position",
    )?;
    list.lines = statement
        .query_map([list.pick_list_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(list))
}

/// The newest lists first (without their lines), at most `limit`.
pub fn recent_pick_lists(conn: &Connection, limit: usize) -> Result<Vec<StoredPickList>> {
    let mut statement =
        conn.prepare_cached(&format!("{LIST_SQL} ORDER BY pick_list_id DESC LIMIT ?1"))?;
    let rows = statement.query_map([limit as i64], row_to_list)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Marks an open list picked.
pub fn set_picked(conn: &Connection, pick_list_id: i64, at: &str) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE pick_lists SET status = 'picked', picked_at = ?2
             WHERE pick_list_id = ?1 AND status = 'open'",
        )?
        .execute(params![pick_list_id, at])?;
    if changed == 0 {
        return Err(StoreError::Invalid(format!(
            "pick list {pick_list_id} is not open"
        )));
    }
    Ok(())
}

/// What the planner reads: open orders holding reserved units, each with all its open lines
/// (a ship-complete order needs them all), in no particular order. `orders`: only these.
pub fn candidate_orders(
    conn: &Connection,
    orders: Option<&[OrderId]>,
) -> Result<Vec<CandidateOrder>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.order_id, o.order_number, c.name, o.ordered_at, o.priority, o.ship_complete,
                l.line_id, p.sku, p.name, p.location, l.quantity, l.reserved_qty, l.shipped_qty,
                l.cancelled_qty, l.backordered_at_order_qty
         FROM orders o
         JOIN customers c ON c.customer_id = o.customer_id
         JOIN order_lines l ON l.order_id = o.order_id
         JOIN products p ON p.product_id = l.product_id
         WHERE o.status = 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty
           AND EXISTS (SELECT 1 FROM order_lines r WHERE r.order_id = o.order_id
                       AND r.reserved_qty > 0 AND r.quantity > r.shipped_qty + r.cancelled_qty)
         ORDER BY o.order_id, l.line_no",
    )?;
    let rows = statement.query_map([], row_to_candidate)?;
    let wanted: Option<Vec<i64>> = orders.map(|ids| ids.iter().map(|id| id.0).collect());
    let mut out: Vec<CandidateOrder> = Vec::new();
    for row in rows {
        let (order, line) = row?;
        if wanted
            .as_ref()
            .is_some_and(|ids| !ids.contains(&order.order_id.0))
        {
            continue;
        }
        push_line(&mut out, order, line);
    }
    attach_windows(conn, &mut out)?;
    Ok(out)
}

/// The orders and lines of a saved list (whatever their state now), orders in the printed
/// order of work.
pub fn list_orders(conn: &Connection, pick_list_id: i64) -> Result<Vec<CandidateOrder>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.order_id, o.order_number, c.name, o.ordered_at, o.priority, o.ship_complete,
                l.line_id, p.sku, p.name, p.location, l.quantity, l.reserved_qty, l.shipped_qty,
                l.cancelled_qty, l.backordered_at_order_qty
         FROM pick_list_lines pl
         JOIN order_lines l ON l.line_id = pl.line_id
         JOIN orders o ON o.order_id = l.order_id
         JOIN customers c ON c.customer_id = o.customer_id
         JOIN products p ON p.product_id = l.product_id
         WHERE pl.pick_list_id = ?1
         ORDER BY pl.position",
    )?;
    let rows = statement.query_map([pick_list_id], row_to_candidate)?;
    let mut out: Vec<CandidateOrder> = Vec::new();
    for row in rows {
        let (order, line) = row?;
        push_line(&mut out, order, line);
    }
    attach_windows(conn, &mut out)?;
    Ok(out)
}

fn push_line(out: &mut Vec<CandidateOrder>, order: CandidateOrder, line: CandidateLine) {
    // Rows come grouped by order: the last order is almost always the one.
    let found = match out.last() {
        Some(last) if last.order_id == order.order_id => out.last_mut(),
        _ => out.iter_mut().find(|o| o.order_id == order.order_id),
    };
    match found {
        Some(existing) => existing.lines.push(line),
        None => {
            let mut order = order;
            order.lines.push(line);
            out.push(order);
        }
    }
}

fn attach_windows(conn: &Connection, orders: &mut [CandidateOrder]) -> Result<()> {
    let mut cache: HashMap<i64, Option<crate::domain::promise::EtaWindow>> = HashMap::new();
    for order in orders {
        for line in &mut order.lines {
            if line.quantities.waiting() == 0 {
                continue;
            }
            let window = match cache.get(&line.line_id) {
                Some(window) => *window,
                None => {
                    let window =
                        stored_promise_for_line(conn, line.line_id)?.and_then(|p| p.window);
                    cache.insert(line.line_id, window);
                    window
                }
            };
            line.window = window;
        }
    }
    Ok(())
}

fn row_to_candidate(row: &Row<'_>) -> rusqlite::Result<(CandidateOrder, CandidateLine)> {
    let ordered_at: String = row.get(3)?;
    Ok((
        CandidateOrder {
            order_id: OrderId(row.get(0)?),
            order_number: row.get(1)?,
            customer_name: row.get(2)?,
            ordered_at: parse_datetime(&ordered_at).unwrap_or_default(),
            priority: Priority::from_rank(row.get(4)?),
            ship_complete: row.get(5)?,
            lines: Vec::new(),
        },
        CandidateLine {
            line_id: row.get(6)?,
            sku: row.get(7)?,
            name: row.get(8)?,
            location: row.get(9)?,
            quantities: LineQuantities {
                ordered: row.get(10)?,
                reserved: row.get(11)?,
                shipped: row.get(12)?,
                cancelled: row.get(13)?,
            },
            backordered_at_order: row.get(14)?,
            window: None,
        },
    ))
}

/// Keeps what a new list printed (its orders and lines as JSON), so it prints again the same.
pub fn save_sheet(conn: &Connection, pick_list_id: i64, orders: &[PickOrder]) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO pick_list_sheets (pick_list_id, sheet) VALUES (?1, ?2)",
    )?
    .execute(params![pick_list_id, sheet_json(orders)])?;
    Ok(())
}

/// What a list printed when it was made; `None` for lists made before it was kept, or a sheet
/// that cannot be read (the list is planned again from its lines then).
pub fn saved_sheet(conn: &Connection, pick_list_id: i64) -> Result<Option<Vec<PickOrder>>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT sheet FROM pick_list_sheets WHERE pick_list_id = ?1")?
        .query_row([pick_list_id], |row| row.get(0))
        .optional()?;
    Ok(text.and_then(|text| sheet_from_json(&text)))
}

/// The orders of a list as printed, as JSON (kept with the list).
fn sheet_json(orders: &[PickOrder]) -> String {
    let orders: Vec<serde_json::Value> = orders
        .iter()
        .map(|order| {
            let lines: Vec<serde_json::Value> = order
                .lines
                .iter()
                .map(|line| {
                    serde_json::json!({
                        "line_id": line.line_id,
                        "sku": line.sku,
                        "name": line.name,
                        "location": line.location,
                        "pick": line.pick,
                        "open": line.open,
                        "window": line.window.map(|w| [date_text(w.start), date_text(w.end)]),
                    })
                })
                .collect();
            serde_json::json!({
                "order_id": order.order_id.0,
                "order_number": order.order_number,
                "customer_name": order.customer_name,
                "ordered_at": datetime_text(order.ordered_at),
                "priority": order.priority.code(),
                "waited": order.waited,
                "lines": lines,
            })
        })
        .collect();
    serde_json::Value::Array(orders).to_string()
}

/// [`sheet_json`] read back; `None` when it cannot be read.
fn sheet_from_json(text: &str) -> Option<Vec<PickOrder>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let text_of = |v: &serde_json::Value, key: &str| v.get(key)?.as_str().map(str::to_owned);
    let day = |v: &serde_json::Value| day_of(v.as_str()?);
    value
        .as_array()?
        .iter()
        .map(|order| {
            let lines = order
                .get("lines")?
                .as_array()?
                .iter()
                .map(|line| {
                    let window = match line.get("window") {
                        Some(serde_json::Value::Array(days)) if days.len() == 2 => {
                            Some(EtaWindow {
                                start: day(&days[0])?,
                                end: day(&days[1])?,
                            })
                        }
                        _ => None,
                    };
                    Some(PickLine {
                        line_id: line.get("line_id")?.as_i64()?,
                        sku: text_of(line, "sku")?,
                        name: text_of(line, "name")?,
                        location: text_of(line, "location")?,
                        pick: line.get("pick")?.as_i64()?,
                        open: line.get("open")?.as_i64()?,
                        window,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(PickOrder {
                order_id: OrderId(order.get("order_id")?.as_i64()?),
                order_number: text_of(order, "order_number")?,
                customer_name: text_of(order, "customer_name")?,
                ordered_at: parse_datetime(&text_of(order, "ordered_at")?)?,
                priority: Priority::from_code(&text_of(order, "priority")?)?,
                waited: order.get("waited")?.as_bool()?,
                lines,
            })
        })
        .collect()
}
