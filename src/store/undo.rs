//! Undo points: what an action that changes many rows did, kept in the shop file so it can be
//! taken back (also after a restart).
//!
//! While an action's transaction runs, temporary triggers note the first state of every row it
//! touches in the tables below ([`CAPTURED`]); at the end of the transaction the point keeps,
//! per row the action really changed, the row before and after (JSON objects of its columns).
//! Undoing restores the columns the action changed, but only while they still hold what the
//! action left: a later change to one of them is a change that depends on the action, and the
//! undo is refused, naming it. Stock movements the action wrote are reversed by new movements
//! with a reason, never deleted. Promises are derived data: they are put back as they were and
//! then computed again.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params, types::Value};
use serde_json::{Map, Value as Json};

use super::{ProductId, Result, StoreError};

/// The tables an undo point records, parents before children (rows are re-inserted in this
/// order and deleted in the opposite one).
pub const CAPTURED: [&str; 12] = [
    "products",
    "orders",
    "order_lines",
    "purchase_orders",
    "po_lines",
    "po_date_changes",
    "pick_lists",
    "order_shipments",
    "messages",
    "promise_changes",
    "line_promises",
    "stock_movements",
];

/// Tables whose rows are derived or history: put back without asking whether they changed.
const DERIVED: [&str; 2] = ["line_promises", "promise_changes"];

/// How many undo points are kept (older ones are forgotten when a new one is written).
pub const KEEP_POINTS: i64 = 20;

/// An undo point as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPoint {
    pub point_id: i64,
    /// "Apply all suggestions (280 products)".
    pub label: String,
    pub made_at: String,
    pub undone_at: Option<String>,
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns of a table, in order.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare(&format!("PRAGMA main.table_info({})", quoted(table)))?;
    let rows = statement.query_map([], |row| row.get::<_, String>(1))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `json_object('a', P."a", …)` over every column of `table`.
fn json_of(columns: &[String], prefix: &str) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|column| {
            format!(
                "'{}', {prefix}{}",
                column.replace('\'', "''"),
                quoted(column)
            )
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// Starts noting the rows the current transaction touches (temporary triggers; they go with a
/// rollback, and [`finish_capture`] drops them).
pub fn start_capture(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS undo_capture (
             table_name TEXT NOT NULL,
             row_id     INTEGER NOT NULL,
             before     TEXT,
             PRIMARY KEY (table_name, row_id)
         ) WITHOUT ROWID;
         DELETE FROM temp.undo_capture;",
    )?;
    for table in CAPTURED {
        let cols = columns(conn, table)?;
        if cols.is_empty() {
            continue;
        }
        let old = json_of(&cols, "OLD.");
        let not_noted = |key: &str| {
            format!(
                "WHERE NOT EXISTS (SELECT 1 FROM undo_capture c
                                   WHERE c.table_name = '{table}' AND c.row_id = {key})"
            )
        };
        conn.execute_batch(&format!(
            "CREATE TEMP TRIGGER undo_capture_{table}_update AFTER UPDATE ON main.{table}
             BEGIN
                 INSERT INTO undo_capture (table_name, row_id, before)
                 SELECT '{table}', OLD.rowid, {old} {};
             END;
             CREATE TEMP TRIGGER undo_capture_{table}_delete AFTER DELETE ON main.{table}
             BEGIN
                 INSERT INTO undo_capture (table_name, row_id, before)
                 SELECT '{table}', OLD.rowid, {old} {};
             END;
             CREATE TEMP TRIGGER undo_capture_{table}_insert AFTER INSERT ON main.{table}
             BEGIN
                 INSERT INTO undo_capture (table_name, row_id, before)
                 SELECT '{table}', NEW.rowid, NULL {};
             END;",
            not_noted("OLD.rowid"),
            not_noted("OLD.rowid"),
            not_noted("NEW.rowid"),
        ))?;
    }
    Ok(())
}

fn drop_capture(conn: &Connection) -> Result<()> {
    for table in CAPTURED {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS temp.undo_capture_{table}_update;
             DROP TRIGGER IF EXISTS temp.undo_capture_{table}_delete;
             DROP TRIGGER IF EXISTS temp.undo_capture_{table}_insert;"
        ))?;
    }
    conn.execute_batch("DELETE FROM temp.undo_capture;")?;
    Ok(())
}

/// A row as a JSON object of its columns (`None`: no such row).
fn row_json(conn: &Connection, table: &str, row_id: i64) -> Result<Option<String>> {
    let cols = columns(conn, table)?;
    Ok(conn
        .query_row(
            &format!(
                "SELECT {} FROM main.{} WHERE rowid = ?1",
                json_of(&cols, ""),
                quoted(table)
            ),
            [row_id],
            |row| row.get(0),
        )
        .optional()?)
}

fn highest(conn: &Connection, table: &str, column: &str) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT COALESCE(MAX({column}), 0) FROM {table}"),
        [],
        |row| row.get(0),
    )?)
}

/// Marks taken when a capture starts: the highest stock movement id before the action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaptureStart {
    movements_before: i64,
}

/// [`start_capture`], returning what [`finish_capture`] needs.
pub fn begin(conn: &Connection) -> Result<CaptureStart> {
    let movements_before = highest(conn, "stock_movements", "movement_id")?;
    start_capture(conn)?;
    Ok(CaptureStart { movements_before })
}

/// Ends the capture and writes the undo point (nothing when the action changed nothing).
/// Returns the new point's id.
pub fn finish_capture(
    conn: &Connection,
    start: CaptureStart,
    label: &str,
    made_at: &str,
) -> Result<Option<i64>> {
    let noted: Vec<(String, i64, Option<String>)> = {
        let mut statement =
            conn.prepare("SELECT table_name, row_id, before FROM temp.undo_capture")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    drop_capture(conn)?;
    let mut changed = Vec::new();
    for (table, row_id, before) in noted {
        let after = row_json(conn, &table, row_id)?;
        if before != after {
            changed.push((table, row_id, before, after));
        }
    }
    if changed.is_empty() {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO undo_points (label, made_at, movements_before, movements_after,
             order_lines_after)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            label,
            made_at,
            start.movements_before,
            highest(conn, "stock_movements", "movement_id")?,
            highest(conn, "order_lines", "line_id")?
        ],
    )?;
    let point_id = conn.last_insert_rowid();
    {
        let mut insert = conn.prepare_cached(
            "INSERT INTO undo_rows (point_id, table_name, row_id, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (table, row_id, before, after) in &changed {
            insert.execute(params![point_id, table, row_id, before, after])?;
        }
    }
    conn.execute(
        "DELETE FROM undo_points WHERE point_id <= ?1 - ?2",
        params![point_id, KEEP_POINTS],
    )?;
    Ok(Some(point_id))
}

fn row_to_point(row: &rusqlite::Row<'_>) -> rusqlite::Result<UndoPoint> {
    Ok(UndoPoint {
        point_id: row.get(0)?,
        label: row.get(1)?,
        made_at: row.get(2)?,
        undone_at: row.get(3)?,
    })
}

/// The newest point not undone yet: what Edit › Undo takes back.
pub fn top_point(conn: &Connection) -> Result<Option<UndoPoint>> {
    Ok(conn
        .query_row(
            "SELECT point_id, label, made_at, undone_at FROM undo_points
             WHERE undone_at IS NULL ORDER BY point_id DESC LIMIT 1",
            [],
            row_to_point,
        )
        .optional()?)
}

/// Every kept point, newest first.
pub fn points(conn: &Connection) -> Result<Vec<UndoPoint>> {
    let mut statement = conn.prepare(
        "SELECT point_id, label, made_at, undone_at FROM undo_points ORDER BY point_id DESC",
    )?;
    let rows = statement.query_map([], row_to_point)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One recorded row.
#[derive(Debug, Clone)]
struct Recorded {
    table: String,
    row_id: i64,
    before: Option<Map<String, Json>>,
    after: Option<Map<String, Json>>,
}

fn parse(text: Option<String>) -> Option<Map<String, Json>> {
    text.and_then(|text| match serde_json::from_str(&text) {
        Ok(Json::Object(map)) => Some(map),
        _ => None,
    })
}

fn recorded(conn: &Connection, point_id: i64) -> Result<Vec<Recorded>> {
    let mut statement = conn.prepare(
        "SELECT table_name, row_id, before, after FROM undo_rows WHERE point_id = ?1
         ORDER BY table_name, row_id",
    )?;
    let rows = statement.query_map([point_id], |row| {
        Ok(Recorded {
            table: row.get(0)?,
            row_id: row.get(1)?,
            before: parse(row.get(2)?),
            after: parse(row.get(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The columns an action changed in a row it kept (before and after both present).
fn changed_columns<'a>(before: &'a Map<String, Json>, after: &Map<String, Json>) -> Vec<&'a str> {
    before
        .iter()
        .filter(|(key, value)| after.get(key.as_str()) != Some(value))
        .map(|(key, _)| key.as_str())
        .collect()
}

fn to_sql(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(flag) => Value::Integer(i64::from(*flag)),
        Json::Number(number) => number
            .as_i64()
            .map(Value::Integer)
            .or_else(|| number.as_f64().map(Value::Real))
            .unwrap_or(Value::Null),
        Json::String(text) => Value::Text(text.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn text_of(conn: &Connection, sql: &str, id: i64) -> String {
    conn.query_row(sql, [id], |row| row.get::<_, String>(0))
        .optional()
        .ok()
        .flatten()
        .unwrap_or_else(|| format!("#{id}"))
}

/// How the shop owner knows a row: "SKU LAMP", "order SO-1 (LAMP)", "PO-7".
fn describe(
    conn: &Connection,
    table: &str,
    row_id: i64,
    row: Option<&Map<String, Json>>,
) -> String {
    let field = |name: &str| row.and_then(|r| r.get(name)).and_then(Json::as_i64);
    match table {
        "products" => format!(
            "SKU {}",
            text_of(
                conn,
                "SELECT sku FROM products WHERE product_id = ?1",
                row_id
            )
        ),
        "orders" => format!(
            "order {}",
            text_of(
                conn,
                "SELECT order_number FROM orders WHERE order_id = ?1",
                row_id
            )
        ),
        "order_lines" => text_of(
            conn,
            "SELECT 'order ' || o.order_number || ' (' || p.sku || ')' FROM order_lines l
             JOIN orders o ON o.order_id = l.order_id JOIN products p ON p.product_id = l.product_id
             WHERE l.line_id = ?1",
            row_id,
        ),
        "purchase_orders" => text_of(
            conn,
            "SELECT po_number FROM purchase_orders WHERE po_id = ?1",
            row_id,
        ),
        "po_lines" => text_of(
            conn,
            "SELECT po.po_number || ' (' || p.sku || ')' FROM po_lines pl
             JOIN purchase_orders po ON po.po_id = pl.po_id
             JOIN products p ON p.product_id = pl.product_id WHERE pl.po_line_id = ?1",
            row_id,
        ),
        "pick_lists" => format!(
            "pick list {}",
            text_of(
                conn,
                "SELECT list_number FROM pick_lists WHERE pick_list_id = ?1",
                row_id
            )
        ),
        "messages" => format!(
            "the message to the customer of order {}",
            field("order_id").map_or_else(
                || format!("#{row_id}"),
                |order_id| text_of(
                    conn,
                    "SELECT order_number FROM orders WHERE order_id = ?1",
                    order_id
                )
            )
        ),
        "order_shipments" | "po_date_changes" | "stock_movements" => match table {
            "order_shipments" => format!(
                "the shipment of order {}",
                field("order_id").map_or_else(
                    || format!("#{row_id}"),
                    |order_id| text_of(
                        conn,
                        "SELECT order_number FROM orders WHERE order_id = ?1",
                        order_id
                    )
                )
            ),
            "po_date_changes" => format!(
                "a date change of {}",
                field("po_id").map_or_else(
                    || format!("#{row_id}"),
                    |po_id| text_of(
                        conn,
                        "SELECT po_number FROM purchase_orders WHERE po_id = ?1",
                        po_id
                    )
                )
            ),
            _ => format!("stock movement {row_id}"),
        },
        other => format!("{other} row {row_id}"),
    }
}

/// "SKU A, SKU B and 3 more".
fn listed(names: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// What an undo takes back (counted while checking, or done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreCounts {
    /// Rows of each table given their earlier values, per table.
    pub rows_restored: Vec<(String, u64)>,
    /// Rows the action added that are removed again, per table.
    pub rows_removed: Vec<(String, u64)>,
    /// Stock movements reversed, and their units in total (as the action moved them).
    pub movements_reversed: u64,
    pub units_reversed: i64,
    /// Products whose stock or waiting lines changed (to match stock to orders again).
    pub products: Vec<ProductId>,
}

impl RestoreCounts {
    fn add(list: &mut Vec<(String, u64)>, table: &str) {
        match list.iter_mut().find(|(name, _)| name == table) {
            Some((_, count)) => *count += 1,
            None => list.push((table.to_owned(), 1)),
        }
    }

    pub fn restored(&self, table: &str) -> u64 {
        self.rows_restored
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, count)| *count)
    }

    pub fn removed(&self, table: &str) -> u64 {
        self.rows_removed
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, count)| *count)
    }
}

/// Why a point cannot be undone: later changes to what it changed, one sentence per kind of
/// row. Empty when it can.
pub fn blockers(conn: &Connection, point_id: i64) -> Result<Vec<String>> {
    let mut changed: Vec<(String, BTreeSet<String>)> = Vec::new();
    let mut note = |what: &str, name: String| match changed.iter_mut().find(|(w, _)| w == what) {
        Some((_, names)) => {
            names.insert(name);
        }
        None => changed.push((what.to_owned(), BTreeSet::from([name]))),
    };
    for row in recorded(conn, point_id)? {
        if DERIVED.contains(&row.table.as_str()) {
            continue;
        }
        let now = parse(row_json(conn, &row.table, row.row_id)?);
        match (&row.before, &row.after, &now) {
            // Movements are never edited; one that is gone was taken back some other way.
            (None, Some(_), None) => note(
                "{are} gone since",
                describe(conn, &row.table, row.row_id, row.after.as_ref()),
            ),
            (None, Some(after), Some(now)) if row.table != "stock_movements" && after != now => {
                note(
                    "{were} changed since",
                    describe(conn, &row.table, row.row_id, Some(after)),
                );
            }
            (Some(before), Some(after), Some(now)) => {
                let moved = changed_columns(before, after)
                    .into_iter()
                    .any(|column| now.get(column) != after.get(column));
                if moved {
                    note(
                        "{were} changed since",
                        describe(conn, &row.table, row.row_id, Some(now)),
                    );
                }
            }
            (Some(_), Some(_), None) => note(
                "{are} gone since",
                describe(conn, &row.table, row.row_id, row.before.as_ref()),
            ),
            (Some(_), None, Some(_)) => note(
                "{were} added again since",
                describe(conn, &row.table, row.row_id, row.before.as_ref()),
            ),
            _ => {}
        }
    }
    Ok(changed
        .into_iter()
        .map(|(what, names)| {
            let plural = names.len() > 1;
            format!(
                "{} {}",
                listed(&names),
                what.replace("{were}", if plural { "were" } else { "was" })
                    .replace("{are}", if plural { "are" } else { "is" })
            )
        })
        .collect())
}

fn set_columns(
    conn: &Connection,
    table: &str,
    row_id: i64,
    values: &Map<String, Json>,
    only: &[&str],
) -> Result<()> {
    if only.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = only
        .iter()
        .enumerate()
        .map(|(index, column)| format!("{} = ?{}", quoted(column), index + 2))
        .collect();
    let mut bound: Vec<Value> = vec![Value::Integer(row_id)];
    bound.extend(
        only.iter()
            .map(|column| to_sql(values.get(*column).unwrap_or(&Json::Null))),
    );
    conn.execute(
        &format!(
            "UPDATE main.{} SET {} WHERE rowid = ?1",
            quoted(table),
            assignments.join(", ")
        ),
        rusqlite::params_from_iter(bound),
    )?;
    Ok(())
}

fn insert_row(conn: &Connection, table: &str, values: &Map<String, Json>) -> Result<()> {
    let existing = columns(conn, table)?;
    let cols: Vec<&String> = values.keys().filter(|key| existing.contains(key)).collect();
    let names: Vec<String> = cols.iter().map(|column| quoted(column)).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|index| format!("?{index}")).collect();
    let bound: Vec<Value> = cols.iter().map(|column| to_sql(&values[*column])).collect();
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO main.{} ({}) VALUES ({})",
            quoted(table),
            names.join(", "),
            marks.join(", ")
        ),
        rusqlite::params_from_iter(bound),
    )?;
    Ok(())
}

fn product_of(row: &Recorded) -> Option<ProductId> {
    row.after
        .as_ref()
        .or(row.before.as_ref())
        .and_then(|values| values.get("product_id"))
        .and_then(Json::as_i64)
        .map(ProductId)
}

/// Puts back what the point changed (inside the caller's transaction; the caller checked
/// [`blockers`]): rows the action added go (its stock movements are reversed instead), rows it
/// changed get their earlier values in the columns it changed, rows it removed come back.
/// `reason` is the reversing movements' reason.
pub fn restore_point(
    conn: &Connection,
    point_id: i64,
    reason: &str,
    now: &str,
) -> Result<RestoreCounts> {
    let rows = recorded(conn, point_id)?;
    let mut counts = RestoreCounts::default();
    let mut products: BTreeSet<ProductId> = BTreeSet::new();
    let order = |table: &str| CAPTURED.iter().position(|t| *t == table).unwrap_or(0);
    let reversed_from = highest(conn, "stock_movements", "movement_id")? + 1;

    // Stock movements the action wrote: reversed through the ledger, children of nothing.
    for row in rows.iter().filter(|row| row.table == "stock_movements") {
        let (None, Some(after)) = (&row.before, &row.after) else {
            continue;
        };
        let quantity = after.get("quantity").and_then(Json::as_i64).unwrap_or(0);
        conn.execute(
            "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at,
                 order_line_id, po_line_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                to_sql(after.get("product_id").unwrap_or(&Json::Null)),
                to_sql(after.get("kind").unwrap_or(&Json::Null)),
                -quantity,
                reason,
                now,
                to_sql(after.get("order_line_id").unwrap_or(&Json::Null)),
                to_sql(after.get("po_line_id").unwrap_or(&Json::Null)),
            ],
        )?;
        counts.movements_reversed += 1;
        counts.units_reversed += quantity;
        if let Some(product_id) = product_of(row) {
            products.insert(product_id);
        }
    }

    // Rows the action added go, children first.
    let mut added: Vec<&Recorded> = rows
        .iter()
        .filter(|row| row.before.is_none() && row.table != "stock_movements")
        .collect();
    added.sort_by_key(|row| std::cmp::Reverse(order(&row.table)));
    for row in added {
        conn.execute(
            &format!("DELETE FROM main.{} WHERE rowid = ?1", quoted(&row.table)),
            [row.row_id],
        )?;
        RestoreCounts::add(&mut counts.rows_removed, &row.table);
    }

    // Rows it changed get the columns it changed back. On hand is among them: the reversing
    // movements above were written without touching it, so it matches the ledger again.
    for row in &rows {
        let (Some(before), Some(after)) = (&row.before, &row.after) else {
            continue;
        };
        let only = changed_columns(before, after);
        let exists = row_json(conn, &row.table, row.row_id)?.is_some();
        if !exists {
            // Derived rows whose line is gone stay gone.
            continue;
        }
        set_columns(conn, &row.table, row.row_id, before, &only)?;
        RestoreCounts::add(&mut counts.rows_restored, &row.table);
        if matches!(row.table.as_str(), "products" | "order_lines" | "po_lines")
            && let Some(product_id) = match row.table.as_str() {
                "products" => Some(ProductId(row.row_id)),
                _ => product_of(row),
            }
        {
            products.insert(product_id);
        }
    }

    // Rows it removed come back, parents first.
    let mut removed: Vec<&Recorded> = rows.iter().filter(|row| row.after.is_none()).collect();
    removed.sort_by_key(|row| order(&row.table));
    for row in removed {
        if let Some(before) = &row.before {
            if row.table == "line_promises" {
                let line_exists: bool = conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM order_lines WHERE line_id = ?1)",
                    [row.row_id],
                    |r| r.get(0),
                )?;
                if !line_exists {
                    continue;
                }
            }
            insert_row(conn, &row.table, before)?;
            RestoreCounts::add(&mut counts.rows_restored, &row.table);
        }
    }

    let reversed_to = highest(conn, "stock_movements", "movement_id")?;
    conn.execute(
        "UPDATE undo_points SET undone_at = ?2, reversed_from = ?3, reversed_to = ?4
         WHERE point_id = ?1",
        params![point_id, now, reversed_from, reversed_to],
    )?;
    counts.products = products.into_iter().collect();
    Ok(counts)
}

/// Products whose stock the point moved that now hold more reserved units than they have on
/// hand (stock the action brought was promised to orders placed later): "SKU LAMP (SO-9)".
pub fn overcommitted(conn: &Connection, point_id: i64) -> Result<Vec<String>> {
    let lines_after: i64 = conn.query_row(
        "SELECT order_lines_after FROM undo_points WHERE point_id = ?1",
        [point_id],
        |row| row.get(0),
    )?;
    let mut statement = conn.prepare(
        "SELECT p.sku,
                (SELECT group_concat(o.order_number, ', ') FROM order_lines l
                 JOIN orders o ON o.order_id = l.order_id
                 WHERE l.product_id = p.product_id AND l.line_id > ?2 AND l.reserved_qty > 0)
         FROM products p
         WHERE p.track_stock = 1
           AND p.product_id IN (SELECT json_extract(COALESCE(after, before), '$.product_id')
                                FROM undo_rows WHERE point_id = ?1
                                  AND table_name = 'stock_movements')
           AND (SELECT COALESCE(SUM(l.reserved_qty), 0) FROM order_lines l
                WHERE l.product_id = p.product_id) > p.on_hand
         ORDER BY p.sku",
    )?;
    let rows = statement.query_map(params![point_id, lines_after], |row| {
        let sku: String = row.get(0)?;
        let orders: Option<String> = row.get(1)?;
        Ok(match orders {
            Some(orders) if !orders.is_empty() => format!("SKU {sku} ({orders})"),
            _ => format!("SKU {sku}"),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The point with this id.
pub fn point(conn: &Connection, point_id: i64) -> Result<UndoPoint> {
    conn.query_row(
        "SELECT point_id, label, made_at, undone_at FROM undo_points WHERE point_id = ?1",
        [point_id],
        row_to_point,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("there is no undo point {point_id}")))
}
