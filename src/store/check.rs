//! Checking a shop file: SQLite's integrity, the stock ledger against cached on-hand, and
//! reservations against orders (the allocation rules of `domain::allocation`).

use rusqlite::Connection;

use super::{LedgerMismatch, ProductId, Result, Store, damage_words, is_damage, schema};

/// A reservation that breaks an allocation rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationProblem {
    pub sku: String,
    pub detail: String,
}

/// A product whose cached on-hand was set back to its ledger sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairedProduct {
    pub product_id: ProductId,
    pub sku: String,
    pub was: i64,
    pub now: i64,
}

impl Store {
    /// The lines of `PRAGMA integrity_check`; empty when the file is sound. A file too damaged
    /// for the check to run is one problem, in our words.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            rows.collect()
        };
        match run() {
            Ok(rows) => Ok(rows.into_iter().filter(|line| line != "ok").collect()),
            Err(error) if is_damage(&error) => Ok(vec![damage_words(&error)]),
            Err(error) => Err(error.into()),
        }
    }

    /// The tables, indexes and triggers this version of the schema has that the file lacks
    /// (compared with a new file made by the same migrations): `"index orders_ordered_at"`.
    pub fn missing_schema_objects(&self) -> Result<Vec<String>> {
        let found = super::schema_objects(&self.conn)?;
        let expected = schema::objects_at(self.schema_version()?);
        Ok(expected.difference(&found).cloned().collect())
    }

    /// Rows that refer to a row that is not there (`PRAGMA foreign_key_check`), one line per
    /// table and missing parent: "`order_lines`: 2 row(s) refer to a missing orders row
    /// (rowid 17, 18)".
    pub fn reference_problems(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<i64>>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut grouped: std::collections::BTreeMap<(String, String), Vec<Option<i64>>> =
            std::collections::BTreeMap::new();
        for row in rows {
            let (table, rowid, parent) = row?;
            grouped.entry((table, parent)).or_default().push(rowid);
        }
        Ok(grouped
            .into_iter()
            .map(|((table, parent), rowids)| {
                let shown: Vec<String> = rowids
                    .iter()
                    .take(10)
                    .map(|id| id.map_or_else(|| "?".to_owned(), |id| id.to_string()))
                    .collect();
                let more = if rowids.len() > 10 { ", …" } else { "" };
                format!(
                    "{table}: {} row(s) refer to a missing {parent} row (rowid {}{more})",
                    rowids.len(),
                    shown.join(", ")
                )
            })
            .collect())
    }

    /// Reservations that break the allocation rules: a line holding more than it has open, a
    /// closed order with open units, more reserved than on hand, free stock while someone waits.
    pub fn reservation_problems(&self) -> Result<Vec<ReservationProblem>> {
        reservation_problems(&self.conn)
    }
}

pub fn reservation_problems(conn: &Connection) -> Result<Vec<ReservationProblem>> {
    let mut problems = Vec::new();
    let mut lines = conn.prepare(
        "SELECT p.sku, o.order_number, l.line_no, l.quantity, l.reserved_qty, l.shipped_qty,
                l.cancelled_qty, o.status
         FROM order_lines l
         JOIN orders o ON o.order_id = l.order_id
         JOIN products p ON p.product_id = l.product_id
         WHERE l.reserved_qty < 0
            OR l.reserved_qty + l.shipped_qty + l.cancelled_qty > l.quantity
            OR (o.status <> 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty)
         ORDER BY o.order_number, l.line_no",
    )?;
    let rows = lines.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, i64>(5)?,
            row.get::<_, i64>(6)?,
            row.get::<_, String>(7)?,
        ))
    })?;
    for row in rows {
        let (sku, order, line_no, quantity, reserved, shipped, cancelled, status) = row?;
        let detail = if reserved < 0 || reserved + shipped + cancelled > quantity {
            format!(
                "{order} line {line_no}: {reserved} reserved + {shipped} shipped + {cancelled} cancelled is more than the {quantity} ordered"
            )
        } else {
            format!(
                "{order} line {line_no}: the order is {status} but {} unit(s) are neither shipped nor cancelled",
                quantity - shipped - cancelled
            )
        };
        problems.push(ReservationProblem { sku, detail });
    }
    let mut products = conn.prepare(
        "SELECT p.sku, p.on_hand, COALESCE(d.reserved, 0), COALESCE(d.waiting, 0), p.track_stock
         FROM products p
         LEFT JOIN (
             SELECT l.product_id, SUM(l.reserved_qty) AS reserved,
                    SUM(CASE WHEN o.status = 'open' THEN MAX(l.waiting_qty, 0) ELSE 0 END) AS waiting
             FROM open_order_lines l JOIN orders o ON o.order_id = l.order_id
             GROUP BY l.product_id
         ) d ON d.product_id = p.product_id
         WHERE (p.track_stock = 1 AND (COALESCE(d.reserved, 0) > MAX(p.on_hand, 0)
                OR (COALESCE(d.waiting, 0) > 0 AND p.on_hand - COALESCE(d.reserved, 0) > 0)))
            OR (p.track_stock = 0 AND COALESCE(d.waiting, 0) > 0)
         ORDER BY p.sku",
    )?;
    let rows = products.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, bool>(4)?,
        ))
    })?;
    for row in rows {
        let (sku, on_hand, reserved, waiting, tracked) = row?;
        let detail = if !tracked {
            format!("{waiting} unit(s) wait although the product's stock is not tracked")
        } else if reserved > on_hand.max(0) {
            format!("{reserved} unit(s) reserved but only {on_hand} on hand")
        } else {
            format!(
                "{} unit(s) free while {waiting} unit(s) wait for stock",
                on_hand - reserved
            )
        };
        problems.push(ReservationProblem { sku, detail });
    }
    Ok(problems)
}

/// Sets every product's cached on-hand to its ledger sum (inside the caller's transaction);
/// returns the products that changed.
pub fn repair_on_hand(conn: &Connection, now: &str) -> Result<Vec<RepairedProduct>> {
    let mismatched: Vec<(ProductId, LedgerMismatch)> = {
        let mut statement = conn.prepare(
            "SELECT p.product_id, p.sku, p.on_hand, COALESCE(m.total, 0)
             FROM products p
             LEFT JOIN (SELECT product_id, SUM(quantity) AS total FROM stock_movements
                        GROUP BY product_id) m ON m.product_id = p.product_id
             WHERE p.on_hand <> COALESCE(m.total, 0)
             ORDER BY p.sku",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                ProductId(row.get(0)?),
                LedgerMismatch {
                    sku: row.get(1)?,
                    cached: row.get(2)?,
                    ledger: row.get(3)?,
                },
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update =
        conn.prepare("UPDATE products SET on_hand = ?2, updated_at = ?3 WHERE product_id = ?1")?;
    let mut repaired = Vec::new();
    for (product_id, mismatch) in mismatched {
        update.execute(rusqlite::params![product_id.0, mismatch.ledger, now])?;
        repaired.push(RepairedProduct {
            product_id,
            sku: mismatch.sku,
            was: mismatch.cached,
            now: mismatch.ledger,
        });
    }
    Ok(repaired)
}

/// Makes the missing indexes and triggers again, from the schema's own text (inside the
/// caller's transaction); returns their names. A missing table cannot be made again this way.
pub fn recreate_missing_objects(conn: &Connection, missing: &[String]) -> Result<Vec<String>> {
    let mut made = Vec::new();
    for object in missing {
        if !(object.starts_with("index ") || object.starts_with("trigger ")) {
            continue;
        }
        if let Some(sql) = schema::latest_sql().get(object) {
            conn.execute_batch(sql)?;
            made.push(object.clone());
        }
    }
    Ok(made)
}
