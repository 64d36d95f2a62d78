//! The aggregates behind the KPI dashboard: each is one indexed query; the formulas are in
//! `domain::kpi`.
//!
//! Timestamps are texts (`YYYY-MM-DD HH:MM:SS`, or `YYYY-MM-DD` for PO dates), so a day range
//! `from ..= to` is `>= 'from' AND < 'to + 1 day'` and stays on the indexes.

use std::collections::HashMap;

use crate::domain::limits::add_days_saturating;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::codec::{date_text, day_of, text_day};
use super::{ProductId, Result, Store};
use crate::domain::kpi::{ClosedOrder, OrderTotals, PromiseTotals, Receipt, Scope, WaitInterval};

/// Every open order line: product, reserved units, whether units wait, order (the partial
/// index of open lines holds every column read: no table row is read).
pub(crate) const OPEN_LINES_NOW_SQL: &str =
    "SELECT l.product_id, l.reserved_qty, l.waiting_qty > 0, l.order_id FROM open_order_lines l";

/// How a scope narrows a query on products `p`: the join to add after a table with a
/// `product_id` column (alias given), the condition, and its parameter.
pub(super) struct ScopeSql {
    pub join: String,
    pub condition: &'static str,
    pub value: Option<String>,
}

/// Open PO lines expected before `?` (today), in a scope. Through the few purchase orders
/// first (the lines of the late ones by their index), not a scan of every PO line, which the
/// planner picks for a condition on the view's `expected_at` (about 8 × slower on the demo shop
/// of 50,000 PO lines).
pub(super) fn late_inbound_sql(sql_scope: &ScopeSql) -> String {
    format!(
        "SELECT COUNT(*) FROM inbound_po_lines pl{}
          WHERE pl.po_id IN (SELECT po_id FROM purchase_orders WHERE expected_at < ?){}",
        sql_scope.join, sql_scope.condition
    )
}

pub(super) fn scope_sql(scope: &Scope, alias: &str) -> ScopeSql {
    let join = format!(" JOIN products p ON p.product_id = {alias}.product_id");
    match scope {
        Scope::All => ScopeSql {
            join: String::new(),
            condition: "",
            value: None,
        },
        Scope::Sku(sku) => ScopeSql {
            join,
            condition: " AND p.sku = ?",
            value: Some(sku.trim().to_owned()),
        },
        Scope::Supplier(name) => ScopeSql {
            join,
            condition: " AND p.supplier_id = (SELECT supplier_id FROM suppliers WHERE name = ?)",
            value: Some(name.trim().to_owned()),
        },
        Scope::Category(name) => ScopeSql {
            join,
            condition: " AND p.category = ?",
            value: Some(name.trim().to_owned()),
        },
    }
}

/// `INDEXED BY index` for all products, nothing with a scope: the scope's products come first
/// then (through the product indexes), and a forced index would be searched once per product.
fn hint(scope: &Scope, index: &str) -> String {
    if matches!(scope, Scope::All) {
        format!(" INDEXED BY {index}")
    } else {
        String::new()
    }
}

/// Positional parameters: the given texts, then the scope's value.
pub(super) fn with_scope(mut values: Vec<String>, scope: &ScopeSql) -> Vec<String> {
    values.extend(scope.value.clone());
    values
}

fn next_day(day: NaiveDate) -> String {
    date_text(add_days_saturating(day, 1))
}

/// The products and the open orders as they are at the start of a dashboard computation, read
/// in one pass each (the open orders from the `orders_open` index alone): the passes over lines
/// and the ledger look their products and orders up here instead of joining row by row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShopNow {
    /// Every product, by id.
    products: Vec<ProductNow>,
    /// Open orders by id: (order id, day placed, day closed).
    open_orders: Vec<(i64, Option<NaiveDate>, Option<NaiveDate>)>,
}

/// A product in [`ShopNow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductNow {
    pub product_id: i64,
    pub on_hand: i64,
    pub unit_cost_cents: i64,
    pub archived: bool,
    /// Whether its stock is counted (products that are not are left out of stockouts).
    pub track_stock: bool,
}

/// Lines of products whose stock is not tracked are left out of the fill-rate and stockout
/// figures (`alias` is the order line): they are always ready, so they say nothing about
/// stock. A `NOT IN` list is built once per query.
pub(super) fn tracked_line(alias: &str) -> String {
    format!(
        " AND {alias}.product_id NOT IN (SELECT product_id FROM products WHERE track_stock = 0)"
    )
}

impl ShopNow {
    pub(super) fn load(conn: &Connection) -> Result<Self> {
        let mut products = Vec::new();
        {
            // In id order (the table's), so no sort is needed.
            let mut statement = conn.prepare_cached(
                "SELECT product_id, on_hand, unit_cost_cents, archived, track_stock FROM products
                  ORDER BY product_id",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                products.push(ProductNow {
                    product_id: row.get(0)?,
                    on_hand: row.get(1)?,
                    unit_cost_cents: row.get(2)?,
                    archived: row.get(3)?,
                    track_stock: row.get(4)?,
                });
            }
        }
        let mut open_orders = Vec::new();
        let mut statement = conn.prepare_cached(
            "SELECT order_id, ordered_at, closed_at FROM orders INDEXED BY orders_open
              WHERE status = 'open'",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            open_orders.push((row.get(0)?, text_day(row, 1)?, text_day(row, 2)?));
        }
        open_orders.sort_unstable_by_key(|(id, ..)| *id);
        Ok(Self {
            products,
            open_orders,
        })
    }

    pub fn product(&self, product_id: i64) -> Option<&ProductNow> {
        self.position(product_id).map(|at| &self.products[at])
    }

    /// Where the product stands in `products`.
    fn position(&self, product_id: i64) -> Option<usize> {
        self.products
            .binary_search_by_key(&product_id, |product| product.product_id)
            .ok()
    }

    /// Products not archived.
    pub fn active_products(&self) -> i64 {
        self.products.iter().filter(|p| !p.archived).count() as i64
    }

    /// Products not archived whose stock is tracked (the SKUs of "SKU-days").
    pub fn tracked_products(&self) -> i64 {
        self.products
            .iter()
            .filter(|p| !p.archived && p.track_stock)
            .count() as i64
    }

    /// Whether a product's stock is tracked (an unknown product counts as tracked).
    pub fn tracked(&self, product_id: i64) -> bool {
        self.product(product_id).is_none_or(|p| p.track_stock)
    }

    /// Inventory value: Σ on hand × unit cost over every product, cents.
    pub fn inventory_value_cents(&self) -> i64 {
        self.products
            .iter()
            .map(|p| p.on_hand * p.unit_cost_cents)
            .sum()
    }

    /// Products taken out of the catalog.
    pub fn archived(&self) -> std::collections::HashSet<ProductId> {
        self.products
            .iter()
            .filter(|p| p.archived)
            .map(|p| ProductId(p.product_id))
            .collect()
    }

    /// The day an order was placed (`None`: no such order, or no day in its time) and the day
    /// it was closed (`None`: not closed): open orders from memory, others looked up.
    pub(super) fn order_days(
        &self,
        conn: &Connection,
        order_id: i64,
    ) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
        if let Ok(at) = self
            .open_orders
            .binary_search_by_key(&order_id, |(id, ..)| *id)
        {
            let (_, ordered, closed) = self.open_orders[at];
            return Ok((ordered, closed));
        }
        Ok(conn
            .prepare_cached("SELECT ordered_at, closed_at FROM orders WHERE order_id = ?1")?
            .query_row([order_id], |row| Ok((text_day(row, 0)?, text_day(row, 1)?)))
            .optional()?
            .unwrap_or((None, None)))
    }
}

/// A day's change of inventory value and cost of goods shipped (cents).
pub type DayValue = (NaiveDate, i64, i64);

/// What the projected-stock chart needs about one product.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductPlanData {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    /// Units of open order lines not shipped (reserved or waiting).
    pub open_order_units: i64,
    /// The product's lead time, or its supplier's.
    pub lead_time_days: Option<i64>,
    /// Open PO units by expected date (`None`: no date).
    pub inbound: Vec<(Option<NaiveDate>, i64)>,
}

/// The open order lines now (see [`Store::kpi_open_lines_now`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenLinesNow {
    /// Available units (on hand minus units reserved for open lines) of every active product.
    pub available: Vec<(ProductId, i64)>,
    /// Lines waiting for stock now (open, with units neither reserved, shipped nor cancelled)
    /// per order day.
    pub waiting_by_order_day: Vec<(NaiveDate, i64)>,
}

/// A product as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiProduct {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    /// On hand minus units reserved for open lines.
    pub available: i64,
}

impl Store {
    /// Orders placed per day of `from ..= to`: count, backordered count and units. With a scope,
    /// only lines of its products count, and an order counts when it has such a line. Lines of
    /// products whose stock is not tracked never count (an order of only those is left out).
    pub fn kpi_orders_per_day(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(NaiveDate, OrderTotals)>> {
        let sql_scope = scope_sql(scope, "l");
        // All products over a few days: the orders of those days first (left to itself, SQLite
        // reads every line, which is the faster way over months); a scope starts from its
        // products.
        let orders = if matches!(scope, Scope::All) && (to - from).num_days() < 31 {
            "orders o INDEXED BY orders_ordered_at CROSS JOIN"
        } else {
            "orders o JOIN"
        };
        let sql = format!(
            "SELECT day, COUNT(*), SUM(short > 0), SUM(units), SUM(short) FROM (
                 SELECT substr(o.ordered_at, 1, 10) AS day, SUM(l.quantity) AS units,
                        SUM(MIN(l.backordered_at_order_qty, l.quantity)) AS short
                   FROM {orders} order_lines l ON l.order_id = o.order_id{}
                  WHERE o.ordered_at >= ? AND o.ordered_at < ?{}{}
                  GROUP BY o.order_id)
             GROUP BY day",
            sql_scope.join,
            sql_scope.condition,
            tracked_line("l")
        );
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                row.get::<_, String>(0)?,
                OrderTotals {
                    orders: row.get(1)?,
                    backordered_orders: row.get(2)?,
                    units: row.get(3)?,
                    units_short: row.get(4)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, totals) = row?;
            if let Some(day) = day_of(&day) {
                out.push((day, totals));
            }
        }
        Ok(out)
    }

    /// Orders closed (shipped or cancelled) on `from ..= to`, for the perfect-order rate. The
    /// promised end is the latest window end in force for a line: its current promise, else the
    /// last window it was given (its promise history), else the newest promise change.
    pub fn kpi_closed_orders(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(NaiveDate, ClosedOrder)>> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT o.status = 'cancelled', MIN(l.shipped_qty = l.quantity),
                    MAX(l.shipped_at), o.ordered_at, o.closed_at,
                    MAX(COALESCE(lp.eta_end, h.last_end,
                        (SELECT pc.new_end FROM promise_changes pc WHERE pc.line_id = l.line_id
                          ORDER BY pc.change_id DESC LIMIT 1)))
               FROM orders o{}
               JOIN order_lines l ON l.order_id = o.order_id{}
               LEFT JOIN line_promises lp ON lp.line_id = l.line_id
               LEFT JOIN promise_history h ON h.line_id = l.line_id
              WHERE o.closed_at >= ? AND o.closed_at < ? AND o.status <> 'open'{}
              GROUP BY o.order_id",
            hint(scope, "orders_closed_at"),
            sql_scope.join,
            sql_scope.condition
        );
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                row.get::<_, bool>(0)?,
                row.get::<_, bool>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (cancelled, complete, shipped, ordered, closed, promised) = row?;
            let (Some(ordered_on), Some(closed_on)) = (day_of(&ordered), day_of(&closed)) else {
                continue;
            };
            out.push((
                closed_on,
                ClosedOrder {
                    cancelled,
                    complete,
                    shipped_on: shipped.as_deref().and_then(day_of),
                    ordered_on,
                    promised_end: promised.as_deref().and_then(day_of),
                },
            ));
        }
        Ok(out)
    }

    /// Lines with units not filled from stock when ordered that shipped on `from ..= to`: how
    /// many, and the sum of their waits in days (ship day − order day).
    pub fn kpi_backorder_waits(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<(i64, i64)> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT COUNT(*), COALESCE(SUM(CAST(julianday(substr(l.shipped_at, 1, 10))
                                  - julianday(substr(o.ordered_at, 1, 10)) AS INTEGER)), 0)
               FROM order_lines l{}
               JOIN orders o ON o.order_id = l.order_id{}
              WHERE l.backordered_at_order_qty > 0
                AND l.shipped_at >= ? AND l.shipped_at < ?{}",
            hint(scope, "order_lines_backordered"),
            sql_scope.join,
            sql_scope.condition
        );
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        Ok(self.conn.query_row(&sql, params_from_iter(values), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?)
    }

    /// Lines short when ordered that finished shipping on `from ..= to` with a first promised
    /// window: every unit shipped or cancelled, and more units shipped than were filled from
    /// stock when ordered (some of the units that waited shipped); the day is the last
    /// shipment's. Per ship day and supplier of the product (`None`: no supplier): how many, how
    /// many shipped on or before the end of their first window, and how many inside it.
    pub fn kpi_promise_lines(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(NaiveDate, Option<i64>, PromiseTotals)>> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT substr(l.shipped_at, 1, 10) AS day, pp.supplier_id, COUNT(*),
                    SUM(substr(l.shipped_at, 1, 10) <= h.first_end),
                    SUM(substr(l.shipped_at, 1, 10) <= h.first_end
                        AND substr(l.shipped_at, 1, 10) >= h.first_start)
               FROM order_lines l{}
               JOIN promise_history h ON h.line_id = l.line_id
               JOIN products pp ON pp.product_id = l.product_id{}
              WHERE l.backordered_at_order_qty > 0
                AND l.quantity = l.shipped_qty + l.cancelled_qty
                AND l.shipped_qty + l.backordered_at_order_qty > l.quantity
                AND l.shipped_at >= ? AND l.shipped_at < ?{}
              GROUP BY day, pp.supplier_id",
            hint(scope, "order_lines_backordered_shipped"),
            sql_scope.join,
            sql_scope.condition
        );
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<i64>>(1)?,
                PromiseTotals {
                    lines: row.get(2)?,
                    kept: row.get(3)?,
                    inside: row.get(4)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, supplier, totals) = row?;
            if let Some(day) = day_of(&day) {
                out.push((day, supplier, totals));
            }
        }
        Ok(out)
    }

    /// Every backordered line of a tracked product that waited on a day of `from ..= to`: its
    /// product and wait (the stockout figures). The
    /// wait ends when the line shipped, else when its order closed; an open line still waits; a
    /// closed line with neither date (cancelled inside an open order) did not wait.
    pub fn kpi_wait_intervals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(ProductId, WaitInterval)>> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT l.product_id, o.ordered_at, COALESCE(l.shipped_at, o.closed_at),
                    l.quantity > l.shipped_qty + l.cancelled_qty
               FROM order_lines l{}
               JOIN orders o ON o.order_id = l.order_id{}
              WHERE l.backordered_at_order_qty > 0 AND o.ordered_at < ?
                AND (COALESCE(l.shipped_at, o.closed_at) IS NULL
                     OR COALESCE(l.shipped_at, o.closed_at) >= ?){}{}",
            hint(scope, "order_lines_backordered"),
            sql_scope.join,
            sql_scope.condition,
            tracked_line("l")
        );
        let values = with_scope(vec![next_day(to), date_text(from)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                ProductId(row.get(0)?),
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, bool>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (product_id, ordered, ended, open) = row?;
            let Some(start) = day_of(&ordered) else {
                continue;
            };
            let end = match ended.as_deref().and_then(day_of) {
                Some(day) => Some(day),
                None if open => None,
                None => Some(start),
            };
            out.push((product_id, WaitInterval { start, end }));
        }
        Ok(out)
    }

    /// Net ledger quantity per day of one product (all of its history, oldest first).
    pub fn kpi_daily_movements(&self, product_id: ProductId) -> Result<Vec<(NaiveDate, i64)>> {
        daily_movements(&self.conn, product_id)
    }

    /// Inventory value (cents, at current unit cost) now, and per day from `from` on: the ledger's
    /// change of value and the cost of goods shipped.
    pub fn kpi_inventory_changes(
        &self,
        from: NaiveDate,
        scope: &Scope,
    ) -> Result<(i64, Vec<DayValue>)> {
        let value_scope = scope_sql(scope, "p");
        let value_sql = format!(
            "SELECT COALESCE(SUM(p.on_hand * p.unit_cost_cents), 0) FROM products p
              WHERE 1{}",
            value_scope.condition
        );
        let value_now: i64 = self.conn.query_row(
            &value_sql,
            params_from_iter(with_scope(Vec::new(), &value_scope)),
            |row| row.get(0),
        )?;
        let sql_scope = scope_sql(scope, "m");
        let sql = format!(
            "SELECT substr(m.created_at, 1, 10) AS day,
                    SUM(m.quantity * c.unit_cost_cents),
                    SUM(CASE WHEN m.kind = 'shipment' THEN -m.quantity * c.unit_cost_cents ELSE 0 END)
               FROM stock_movements m{}
               JOIN products c ON c.product_id = m.product_id{}
              WHERE m.created_at >= ?{}
              GROUP BY day",
            hint(scope, "stock_movements_created"),
            sql_scope.join,
            sql_scope.condition
        );
        let values = with_scope(vec![date_text(from)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, change, cogs) = row?;
            if let Some(day) = day_of(&day) {
                out.push((day, change, cogs));
            }
        }
        Ok((value_now, out))
    }

    /// PO lines received on `from ..= to`, per supplier: days from the PO's order day to arrival,
    /// and whether they arrived on or before the date first expected.
    pub fn kpi_receipts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(String, Receipt)>> {
        let sql_scope = scope_sql(scope, "pl");
        // Days worked out here rather than with julianday() per row.
        let sql = format!(
            "SELECT po.supplier_id, pl.received_at, po.ordered_at,
                    COALESCE((SELECT d.old_expected_at FROM po_date_changes d
                               WHERE d.po_id = po.po_id ORDER BY d.change_id LIMIT 1),
                             po.expected_at)
               FROM po_lines pl
               JOIN purchase_orders po ON po.po_id = pl.po_id{}
              WHERE pl.received_at >= ? AND pl.received_at < ?{}",
            sql_scope.join, sql_scope.condition
        );
        let names: HashMap<i64, String> = {
            let mut statement = self
                .conn
                .prepare_cached("SELECT supplier_id, name FROM suppliers")?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query(params_from_iter(values))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let Some(name) = names.get(&row.get::<_, i64>(0)?) else {
                continue;
            };
            let text = |column: usize| -> rusqlite::Result<Option<&str>> {
                Ok(row.get_ref(column)?.as_str_or_null().ok().flatten())
            };
            let (Some(received), Some(ordered)) = (text(1)?, text(2)?) else {
                continue;
            };
            let (Some(received_on), Some(ordered_on)) = (day_of(received), day_of(ordered)) else {
                continue;
            };
            // The expected date as the PO first had it (a 'YYYY-MM-DD' text, compared as text).
            let on_time = text(3)?.map(|expected| &received[..10] <= expected);
            out.push((
                name.clone(),
                Receipt {
                    lead_days: (received_on - ordered_on).num_days(),
                    on_time,
                },
            ));
        }
        // By supplier name (the caller groups consecutive receipts).
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Open PO lines whose expected date is before `today`.
    pub fn kpi_late_inbound(&self, today: NaiveDate, scope: &Scope) -> Result<i64> {
        let sql_scope = scope_sql(scope, "pl");
        let sql = late_inbound_sql(&sql_scope);
        let values = with_scope(vec![date_text(today)], &sql_scope);
        Ok(self
            .conn
            .query_row(&sql, params_from_iter(values), |row| row.get(0))?)
    }

    /// Lines waiting for stock now (open, with units neither reserved, shipped nor cancelled),
    /// counted per order day.
    pub fn kpi_open_backorders(&self, scope: &Scope) -> Result<Vec<(NaiveDate, i64)>> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT substr(o.ordered_at, 1, 10) AS day, COUNT(*)
               FROM open_order_lines l
               JOIN orders o ON o.order_id = l.order_id{}
              WHERE l.waiting_qty > 0{}
              GROUP BY day",
            sql_scope.join, sql_scope.condition
        );
        let values = with_scope(Vec::new(), &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, lines) = row?;
            if let Some(day) = day_of(&day) {
                out.push((day, lines));
            }
        }
        Ok(out)
    }

    /// Units ordered (minus units cancelled) per product on `from ..= to`.
    pub fn kpi_demand_by_product(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<Vec<(ProductId, i64)>> {
        let sql_scope = scope_sql(scope, "l");
        let sql = format!(
            "SELECT l.product_id, SUM(l.quantity - l.cancelled_qty)
               FROM orders o JOIN order_lines l ON l.order_id = o.order_id{}
              WHERE o.ordered_at >= ? AND o.ordered_at < ?{}
              GROUP BY l.product_id",
            sql_scope.join, sql_scope.condition
        );
        let values = with_scope(vec![date_text(from), next_day(to)], &sql_scope);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((ProductId(row.get(0)?), row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Units ordered (minus cancelled) per day of one product on `from ..= to`.
    pub fn kpi_product_demand(
        &self,
        product_id: ProductId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, i64)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT substr(o.ordered_at, 1, 10) AS day, SUM(l.quantity - l.cancelled_qty)
               FROM order_lines l JOIN orders o ON o.order_id = l.order_id
              WHERE l.product_id = ?1 AND o.ordered_at >= ?2 AND o.ordered_at < ?3
              GROUP BY day",
        )?;
        let rows = statement.query_map((product_id.0, date_text(from), next_day(to)), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (day, units) = row?;
            if let Some(day) = day_of(&day) {
                out.push((day, units));
            }
        }
        Ok(out)
    }

    /// The products and open orders now, as one dashboard computation reads them.
    pub fn kpi_shop_now(&self) -> Result<ShopNow> {
        ShopNow::load(&self.conn)
    }

    /// Active products in the scope whose stock is tracked (the SKUs of "SKU-days").
    pub fn kpi_product_count(&self, scope: &Scope) -> Result<i64> {
        let sql_scope = scope_sql(scope, "p");
        let sql = format!(
            "SELECT COUNT(*) FROM products p WHERE p.archived = 0 AND p.track_stock = 1{}",
            sql_scope.condition
        );
        Ok(self.conn.query_row(
            &sql,
            params_from_iter(with_scope(Vec::new(), &sql_scope)),
            |row| row.get(0),
        )?)
    }

    /// SKU, name and available units of the given products.
    pub fn kpi_products(&self, ids: &[ProductId]) -> Result<Vec<KpiProduct>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT p.sku, p.name, p.on_hand - COALESCE(
                        (SELECT SUM(l.reserved_qty) FROM order_lines l INDEXED BY order_lines_open
                          WHERE l.product_id = p.product_id
                            AND l.quantity > l.shipped_qty + l.cancelled_qty), 0)
               FROM products p WHERE p.product_id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = statement.query([id.0])?;
            if let Some(row) = rows.next()? {
                out.push(KpiProduct {
                    product_id: *id,
                    sku: row.get(0)?,
                    name: row.get(1)?,
                    available: row.get(2)?,
                });
            }
        }
        Ok(out)
    }

    /// Available units (on hand minus units reserved for open lines) of every active product
    /// whose stock is tracked.
    pub fn kpi_available(&self) -> Result<Vec<(ProductId, i64)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT p.product_id, p.on_hand - COALESCE(r.reserved, 0)
               FROM products p
               LEFT JOIN (SELECT l.product_id AS product_id, SUM(l.reserved_qty) AS reserved
                            FROM order_lines l INDEXED BY order_lines_open
                           WHERE l.quantity > l.shipped_qty + l.cancelled_qty
                           GROUP BY l.product_id) r ON r.product_id = p.product_id
              WHERE p.archived = 0 AND p.track_stock = 1",
        )?;
        let rows = statement.query_map([], |row| Ok((ProductId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The open order lines now, in one pass over them: what [`Store::kpi_available`] and
    /// [`Store::kpi_open_backorders`] (all products) give — available units of every active
    /// product, and the lines waiting for stock per order day.
    pub fn kpi_open_lines_now(&self) -> Result<OpenLinesNow> {
        self.kpi_open_lines_with(&self.kpi_shop_now()?)
    }

    /// [`Store::kpi_open_lines_now`] with the products and open orders already read.
    pub fn kpi_open_lines_with(&self, now: &ShopNow) -> Result<OpenLinesNow> {
        // Reserved units, by position in `now.products`.
        let mut reserved = vec![0i64; now.products.len()];
        let mut waiting: HashMap<NaiveDate, i64> = HashMap::new();
        // The index holds every column read here (no table row is read).
        let mut statement = self.conn.prepare_cached(OPEN_LINES_NOW_SQL)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(at) = now.position(row.get(0)?) {
                reserved[at] += row.get::<_, i64>(1)?;
            }
            if row.get(2)?
                && let (Some(day), _) = now.order_days(&self.conn, row.get(3)?)?
            {
                *waiting.entry(day).or_default() += 1;
            }
        }
        let available = now
            .products
            .iter()
            .zip(reserved)
            .filter(|(p, _)| !p.archived && p.track_stock)
            .map(|(p, units)| (ProductId(p.product_id), p.on_hand - units))
            .collect();
        let mut waiting: Vec<(NaiveDate, i64)> = waiting.into_iter().collect();
        waiting.sort_unstable();
        Ok(OpenLinesNow {
            available,
            waiting_by_order_day: waiting,
        })
    }

    /// Stock, open orders, lead time and open inbound of one product by SKU.
    pub fn kpi_product_plan(&self, sku: &str) -> Result<Option<ProductPlanData>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT p.product_id, p.sku, p.name, p.on_hand,
                    COALESCE((SELECT SUM(l.open_qty) FROM open_order_lines l
                               WHERE l.product_id = p.product_id), 0),
                    COALESCE(p.lead_time_days, s.default_lead_time_days)
               FROM products p LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id
              WHERE p.sku = ?1",
        )?;
        let mut rows = statement.query([sku.trim()])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let product_id = ProductId(row.get(0)?);
        let mut plan = ProductPlanData {
            product_id,
            sku: row.get(1)?,
            name: row.get(2)?,
            on_hand: row.get(3)?,
            open_order_units: row.get(4)?,
            lead_time_days: row.get(5)?,
            inbound: Vec::new(),
        };
        let mut inbound = self.conn.prepare_cached(
            "SELECT pl.expected_at, SUM(pl.on_order_qty)
               FROM inbound_po_lines pl
              WHERE pl.product_id = ?1
              GROUP BY pl.expected_at ORDER BY pl.expected_at",
        )?;
        let rows = inbound.query_map([product_id.0], |row| {
            Ok((row.get::<_, Option<String>>(0)?, row.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (expected, units) = row?;
            plan.inbound
                .push((expected.as_deref().and_then(day_of), units));
        }
        Ok(Some(plan))
    }
}

fn daily_movements(conn: &Connection, product_id: ProductId) -> Result<Vec<(NaiveDate, i64)>> {
    let mut statement = conn.prepare_cached(
        "SELECT substr(created_at, 1, 10) AS day, SUM(quantity) FROM stock_movements
          WHERE product_id = ?1 GROUP BY day ORDER BY day",
    )?;
    let rows = statement.query_map([product_id.0], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, quantity) = row?;
        if let Some(day) = day_of(&day) {
            out.push((day, quantity));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_texts() {
        assert_eq!(
            day_of("2026-03-04 12:00:00"),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(day_of("2026-03-04"), NaiveDate::from_ymd_opt(2026, 3, 4));
        assert_eq!(day_of("2026-02-30"), None);
        assert_eq!(day_of("2026-3-4"), None);
        assert_eq!(day_of("abcd-ef-gh"), None);
        assert_eq!(day_of(""), None);
    }
}
