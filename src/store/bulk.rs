//! Many rows in one transaction: the demo shop now, file imports later.
//!
//! Nothing is visible to other connections until [`BulkWriter::commit`]; dropping the writer
//! rolls everything back.

use std::cell::RefCell;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Transaction, params};

use super::codec::{date_text, datetime_text, write_datetime};
use super::ledger::record_movement;
use super::rows::{NewOrder, NewOrderLine, NewPoLine, NewPurchaseOrder, order_line_columns};
use super::{ProductId, Result, SavedSchema, Store};
use crate::domain::MovementKind;
use crate::domain::ids::{OrderId, PoId};
use crate::domain::order::OrderStatus;
use crate::domain::product::ProductData;

/// Writes many rows inside one transaction.
pub struct BulkWriter<'c> {
    tx: Transaction<'c>,
    /// The KPI triggers while tracking is suspended, as the file held them.
    kpi_triggers: RefCell<Option<SavedSchema>>,
}

impl Store {
    /// Starts a bulk write. Commit it, or drop it to write nothing.
    pub fn bulk(&mut self) -> Result<BulkWriter<'_>> {
        Ok(BulkWriter {
            tx: self.write_transaction()?,
            kpi_triggers: RefCell::new(None),
        })
    }
}

impl BulkWriter<'_> {
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }

    /// Stops noting KPI changes during this load and marks the KPI rollups stale (the next
    /// dashboard rebuilds them once); [`Self::resume_kpi_tracking`] before committing.
    pub fn suspend_kpi_tracking(&self) -> Result<()> {
        let saved = super::kpi_rollup::suspend_tracking(&self.tx)?;
        self.kpi_triggers.replace(Some(saved));
        Ok(())
    }

    /// Creates the KPI triggers again, from the statements the file held.
    pub fn resume_kpi_tracking(&self) -> Result<()> {
        match self.kpi_triggers.take() {
            Some(saved) => super::kpi_rollup::resume_tracking(&self.tx, &saved),
            None => Ok(()),
        }
    }

    pub fn supplier(&self, name: &str, email: &str, lead_time_days: Option<i64>) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO suppliers (name, email, default_lead_time_days) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![name, email, lead_time_days])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn product(
        &self,
        data: &ProductData,
        supplier_id: Option<i64>,
        now: &str,
    ) -> Result<ProductId> {
        super::products::insert_product_row(&self.tx, data, supplier_id, now)
    }

    pub fn movement(
        &self,
        product_id: ProductId,
        kind: MovementKind,
        quantity: i64,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        record_movement(
            &self.tx,
            product_id,
            kind,
            quantity,
            reason,
            &datetime_text(at),
        )
    }

    pub fn customer(&self, name: &str, email: &str) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO customers (name, email) VALUES (?1, ?2)")?
            .execute(params![name, email])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn order(&self, order: &NewOrder<'_>) -> Result<OrderId> {
        super::orders::insert_order(&self.tx, order)
    }

    pub fn order_line(&self, line: &NewOrderLine) -> Result<i64> {
        super::orders::insert_order_line(&self.tx, line)
    }

    /// The first window a line was given (also kept as the window in force), on `given_on`.
    pub fn promise_history(
        &self,
        line_id: i64,
        first: crate::domain::promise::EtaWindow,
        given_on: NaiveDate,
    ) -> Result<()> {
        super::promises::note_history(&self.tx, line_id, first, given_on)
    }

    pub fn purchase_order(&self, po: &NewPurchaseOrder<'_>) -> Result<PoId> {
        super::purchasing::insert_purchase_order(&self.tx, po)
    }

    pub fn po_line(&self, line: &NewPoLine) -> Result<i64> {
        super::purchasing::insert_po_line(&self.tx, line)
    }

    pub fn po_date_change(
        &self,
        po_id: PoId,
        changed_on: NaiveDate,
        old: Option<NaiveDate>,
        new: Option<NaiveDate>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO po_date_changes (po_id, changed_on, old_expected_at, new_expected_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                po_id.0,
                date_text(changed_on),
                old.map(date_text),
                new.map(date_text)
            ])?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Rows in the products table (archived included): the demo refuses a non-empty shop.
    pub fn product_count(&self) -> Result<i64> {
        Ok(self
            .tx
            .query_row("SELECT count(*) FROM products", [], |row| row.get(0))?)
    }
}

/// Orders per multi-row `INSERT` of [`OrderRows`] (8 values each).
const ORDERS_PER_INSERT: usize = 64;
/// Order lines per multi-row `INSERT` of [`OrderRows`] (10 values each).
const LINES_PER_INSERT: usize = 128;

/// An order header owned by [`OrderRows`] until it is written.
struct QueuedOrder {
    order_id: OrderId,
    order_number: String,
    customer_id: i64,
    ordered_at: NaiveDateTime,
    high_priority: bool,
    ship_complete: bool,
    status: OrderStatus,
    closed_at: Option<NaiveDateTime>,
    batch_id: Option<i64>,
}

/// Writes many new orders and their lines with multi-row `INSERT`s, in the transaction of the
/// connection it is given. Order ids are given out here (the next after the highest in the
/// shop, as SQLite would), so an order's lines can be queued before the order is written.
///
/// One statement per 64 orders and per 128 lines instead of one per row: every execution of a
/// statement sets up the lookups its CHECK constraints and partial indexes need (an `IN (…)`
/// list becomes a small temporary table), and binding, stepping and resetting a statement costs
/// more than the row itself. Queued rows are not in the database until [`OrderRows::write`]
/// (full batches are written as they fill); call it before reading them back.
///
/// The statements are `INSERT OR FAIL`: a row that breaks a constraint stops the statement
/// without undoing the rows before it in the same statement, so SQLite keeps no statement
/// journal (a copy of every page a statement touches first; 7 % of a million-line import). That
/// is safe because any error ends the whole load and its transaction is rolled back: the caller
/// must never go on after an error from here.
pub(crate) struct OrderRows {
    next_order_id: i64,
    orders: Vec<QueuedOrder>,
    lines: Vec<NewOrderLine>,
    text: String,
}

impl OrderRows {
    /// Starts after the highest order id in the shop.
    pub fn new(conn: &rusqlite::Connection) -> Result<Self> {
        let highest: i64 =
            conn.query_row("SELECT COALESCE(MAX(order_id), 0) FROM orders", [], |row| {
                row.get(0)
            })?;
        Ok(Self {
            next_order_id: highest + 1,
            orders: Vec::with_capacity(ORDERS_PER_INSERT),
            lines: Vec::with_capacity(LINES_PER_INSERT),
            text: String::with_capacity(20),
        })
    }

    /// Whether an order with this number is queued (not yet written).
    pub fn is_queued(&self, order_number: &str) -> bool {
        self.orders
            .iter()
            .any(|order| order.order_number == order_number)
    }

    /// Queues an order and its lines (their `order_id` is set here) and returns the order's id.
    /// Writes the queue when it is full.
    pub fn order(
        &mut self,
        conn: &rusqlite::Connection,
        order: &NewOrder<'_>,
        lines: impl IntoIterator<Item = NewOrderLine>,
    ) -> Result<OrderId> {
        let order_id = OrderId(self.next_order_id);
        self.next_order_id += 1;
        self.orders.push(QueuedOrder {
            order_id,
            order_number: order.order_number.to_owned(),
            customer_id: order.customer_id,
            ordered_at: order.ordered_at,
            high_priority: order.high_priority,
            ship_complete: order.ship_complete,
            status: order.status,
            closed_at: order.closed_at,
            batch_id: order.batch_id,
        });
        self.lines.extend(
            lines
                .into_iter()
                .map(|line| NewOrderLine { order_id, ..line }),
        );
        if self.orders.len() >= ORDERS_PER_INSERT {
            self.write_full(conn)?;
        }
        Ok(order_id)
    }

    /// Writes the queued orders, then the lines in full statements only (their orders are all
    /// written by then); fewer than [`LINES_PER_INSERT`] lines stay queued. Statements of the
    /// same size are prepared once.
    fn write_full(&mut self, conn: &rusqlite::Connection) -> Result<()> {
        let orders = std::mem::take(&mut self.orders);
        for chunk in orders.chunks(ORDERS_PER_INSERT) {
            self.write_orders(conn, chunk)?;
        }
        self.orders = orders;
        self.orders.clear();
        let lines = std::mem::take(&mut self.lines);
        let full = lines.len() - lines.len() % LINES_PER_INSERT;
        for chunk in lines[..full].chunks(LINES_PER_INSERT) {
            self.write_lines(conn, chunk)?;
        }
        self.lines = lines;
        self.lines.drain(..full);
        Ok(())
    }

    /// Writes every queued order, then every queued line.
    pub fn write(&mut self, conn: &rusqlite::Connection) -> Result<()> {
        self.write_full(conn)?;
        let lines = std::mem::take(&mut self.lines);
        if !lines.is_empty() {
            self.write_lines(conn, &lines)?;
        }
        self.lines = lines;
        self.lines.clear();
        Ok(())
    }

    fn write_orders(&mut self, conn: &rusqlite::Connection, orders: &[QueuedOrder]) -> Result<()> {
        let sql = multi_row_insert(
            "INSERT OR FAIL INTO orders (order_id, order_number, customer_id, ordered_at, priority,
                 ship_complete, status, closed_at, batch_id) VALUES ",
            9,
            orders.len(),
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let mut index = 0;
        let mut bind = |statement: &mut rusqlite::CachedStatement<'_>,
                        value: &dyn rusqlite::ToSql|
         -> rusqlite::Result<()> {
            index += 1;
            statement.raw_bind_parameter(index, value)
        };
        for order in orders {
            bind(&mut statement, &order.order_id.0)?;
            bind(&mut statement, &order.order_number)?;
            bind(&mut statement, &order.customer_id)?;
            write_datetime(&mut self.text, order.ordered_at);
            bind(&mut statement, &self.text.as_str())?;
            bind(&mut statement, &i64::from(order.high_priority))?;
            bind(&mut statement, &order.ship_complete)?;
            bind(&mut statement, &order.status)?;
            match order.closed_at {
                Some(at) => {
                    write_datetime(&mut self.text, at);
                    bind(&mut statement, &self.text.as_str())?;
                }
                None => bind(&mut statement, &rusqlite::types::Null)?,
            }
            bind(&mut statement, &order.batch_id)?;
        }
        statement.raw_execute()?;
        Ok(())
    }

    fn write_lines(&mut self, conn: &rusqlite::Connection, lines: &[NewOrderLine]) -> Result<()> {
        let sql = multi_row_insert(
            concat!(
                "INSERT OR FAIL INTO order_lines (",
                order_line_columns!(),
                ") VALUES "
            ),
            10,
            lines.len(),
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let mut index = 0;
        for line in lines {
            for value in [
                line.order_id.0,
                line.line_no,
                line.product_id.0,
                line.quantity,
                line.unit_price_cents,
                line.reserved_qty,
                line.shipped_qty,
                line.cancelled_qty,
                line.backordered_at_order_qty,
            ] {
                index += 1;
                statement.raw_bind_parameter(index, value)?;
            }
            index += 1;
            match line.shipped_at {
                Some(at) => {
                    write_datetime(&mut self.text, at);
                    statement.raw_bind_parameter(index, self.text.as_str())?;
                }
                None => statement.raw_bind_parameter(index, rusqlite::types::Null)?,
            }
        }
        statement.raw_execute()?;
        Ok(())
    }
}

/// `INSERT … VALUES (?, …), (?, …)` for `rows` rows of `columns` values.
fn multi_row_insert(head: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(","));
    let mut sql = String::with_capacity(head.len() + rows * (row.len() + 1));
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&row);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_insert_text() {
        assert_eq!(
            multi_row_insert("INSERT INTO t (a, b) VALUES ", 2, 3),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?),(?,?)"
        );
    }
}
