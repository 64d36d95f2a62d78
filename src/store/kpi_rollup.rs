//! KPI rollups: the per-day facts of the dashboard of all products (`kpi_days`), stockout runs
//! per product (`kpi_stockout_runs`) and per-product sums of order lines over windows of days
//! (`kpi_product_sums`), kept for the days before `kpi_rollup_state.dirty_from`.
//!
//! Triggers (see the migration) note what changed since the last refresh: order lines and orders
//! as they were then, the first day of a changed ledger movement or of a changed promise of a
//! closed order, and the old unit cost of a product. [`Store::kpi_rollup`] reads those notes in
//! one snapshot, works out the first stale day, recomputes the stale days before today from the
//! base tables (the same queries the direct dashboard runs), adds today and later days live, and
//! stores what it recomputed when nobody else wrote in the meantime. The numbers never depend on
//! whether storing worked.

use std::collections::{HashMap, HashSet};

use crate::domain::limits::{add_days, add_days_saturating};
use chrono::NaiveDate;
use rusqlite::types::{FromSql, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{date_text, day_of};
use super::kpi::ShopNow;
use super::{ProductId, Result, SavedSchema, Store};
use crate::domain::kpi::{Period, PromiseTotals, Scope, WaitInterval};
use crate::domain::kpi_rollup::{
    DayFacts, LineFacts, ProductSums, days_outside, first_stale_day, run_overlap, stockout_runs,
};
use crate::domain::order::OrderStatus;

/// Stored windows of per-product sums kept at most (least recently used go first).
const KEPT_SUMS: usize = 8;

/// What the dashboard asks of the rollups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRequest {
    /// Days whose facts are wanted (both periods of the dashboard).
    pub span: Period,
    /// Days before today are stored; today and later are computed live, and no later day is
    /// observed for waiting lines and stockouts.
    pub today: NaiveDate,
    /// The handling days setting (perfect orders depend on it).
    pub handling_days: i64,
    /// Windows of per-product sums wanted, in order.
    pub sum_windows: Vec<Period>,
    /// Days for which stockout days per product are wanted.
    pub stockout_period: Option<Period>,
}

/// The facts of a [`RollupRequest`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rollup {
    /// One entry per day of the span.
    pub days: Vec<DayFacts>,
    /// The ledger's change of inventory value on all days after the span, cents.
    pub value_after_cents: i64,
    /// Stockout days per product in the stockout period (products with at least one).
    pub stockout_days: Vec<(ProductId, i64)>,
    /// One entry per sum window.
    pub sums: Vec<ProductSums>,
    /// Days recomputed from the base tables because they were stale.
    pub recomputed_days: i64,
    /// Whether the recomputed days were stored (false when another program wrote meanwhile).
    pub stored: bool,
    /// The products and open orders as read for these facts (for the rest of the dashboard).
    pub now: ShopNow,
    /// Promises of backordered lines that finished shipping on the days of the span, per day
    /// and supplier of the product (`None`: no supplier), in day order.
    pub promise_days: Vec<(NaiveDate, Option<i64>, PromiseTotals)>,
}

/// Facts of a range of days computed from the base tables.
#[derive(Debug, Clone, PartialEq, Default)]
struct RangeFacts {
    span: Option<Period>,
    days: Vec<DayFacts>,
    /// Stockout runs (product, first day, last day) within the observed part of the span.
    runs: Vec<(ProductId, NaiveDate, NaiveDate)>,
    /// Ledger value change on days after the span.
    value_after_cents: i64,
    /// Promise figures per day and supplier (`None`: products without one).
    promises: Vec<(NaiveDate, Option<i64>, PromiseTotals)>,
}

/// What changed since the last refresh.
#[derive(Debug, Default)]
struct Changes {
    /// First stale day of the day facts (`None`: none is stale).
    stale_from: Option<NaiveDate>,
    /// A note or date could not be read: nothing stored can be trusted.
    unreadable: bool,
    /// Per-product sum changes by day of the order: (day, product, units, cents).
    sum_deltas: Vec<(NaiveDate, ProductId, i64, i64)>,
}

fn parse_day(text: Option<&str>) -> std::result::Result<Option<NaiveDate>, ()> {
    match text {
        None => Ok(None),
        Some(text) => day_of(text).map(Some).ok_or(()),
    }
}

/// Order line columns as read from a row, starting at `offset`: product, quantity, price,
/// shipped, cancelled, short units and ship time.
struct RawLine {
    product_id: i64,
    quantity: i64,
    unit_price_cents: i64,
    shipped: i64,
    cancelled: i64,
    short: i64,
    shipped_at: Option<String>,
}

impl RawLine {
    fn read(row: &Row<'_>, offset: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            product_id: row.get(offset)?,
            quantity: row.get(offset + 1)?,
            unit_price_cents: row.get(offset + 2)?,
            shipped: row.get(offset + 3)?,
            cancelled: row.get(offset + 4)?,
            short: row.get(offset + 5)?,
            shipped_at: row.get(offset + 6)?,
        })
    }

    /// With its order's order time, status and closing time; `Err` for an unreadable date or
    /// status.
    fn facts(
        &self,
        ordered_at: &str,
        status: Status,
        closed_at: Option<&str>,
    ) -> std::result::Result<LineFacts, ()> {
        let status = status?;
        Ok(LineFacts {
            product_id: ProductId(self.product_id),
            ordered_on: parse_day(Some(ordered_at))?.ok_or(())?,
            order_closed_on: parse_day(closed_at)?,
            order_closed: status != OrderStatus::Open,
            order_cancelled: status == OrderStatus::Cancelled,
            quantity: self.quantity,
            unit_price_cents: self.unit_price_cents,
            shipped: self.shipped,
            cancelled: self.cancelled,
            short: self.short,
            shipped_on: parse_day(self.shipped_at.as_deref())?,
        })
    }
}

/// An order's status read through its codec; `Err` for a code that names no status (the file
/// was changed by hand: the rollups then count nothing stored as true).
type Status = std::result::Result<OrderStatus, ()>;

/// An order's order time, status and closing time.
type RawOrder = (String, Status, Option<String>);

fn read_order(row: &Row<'_>, offset: usize) -> rusqlite::Result<Option<RawOrder>> {
    let ordered_at: Option<String> = row.get(offset)?;
    let status = match row.get_ref(offset + 1)? {
        ValueRef::Null => None,
        code => Some(OrderStatus::column_result(code).map_err(|_| ())),
    };
    let closed_at: Option<String> = row.get(offset + 2)?;
    Ok(match (ordered_at, status) {
        (Some(ordered_at), Some(status)) => Some((ordered_at, status, closed_at)),
        _ => None,
    })
}

fn line_facts(
    line: Option<&RawLine>,
    order: Option<&RawOrder>,
) -> std::result::Result<Option<LineFacts>, ()> {
    match (line, order) {
        (Some(line), Some((ordered_at, status, closed_at))) => line
            .facts(ordered_at, *status, closed_at.as_deref())
            .map(Some),
        // A line without its order counts nowhere (the dashboard joins them).
        _ => Ok(None),
    }
}

impl Changes {
    fn add(&mut self, old: Option<LineFacts>, new: Option<LineFacts>) {
        if let Some(day) = first_stale_day(old.as_ref(), new.as_ref()) {
            self.stale_from = Some(self.stale_from.map_or(day, |known| known.min(day)));
        }
        let sums = |line: &Option<LineFacts>| {
            line.map(|l| {
                let (units, cents) = l.demand();
                (l.ordered_on, l.product_id, units, cents)
            })
        };
        let (before, after) = (sums(&old), sums(&new));
        if before != after {
            if let Some((day, product, units, cents)) = before {
                self.sum_deltas.push((day, product, -units, -cents));
            }
            if let Some(delta) = after {
                self.sum_deltas.push(delta);
            }
        }
    }
}

/// Reads the triggers' notes of changed lines and orders.
fn read_changes(conn: &Connection) -> Result<Changes> {
    let mut changes = Changes::default();
    // Touched lines: as they were (with their order as it was), and as they are.
    let mut statement = conn.prepare(
        "SELECT t.existed, t.product_id, t.quantity, t.unit_price_cents, t.shipped_qty,
                t.cancelled_qty, t.backordered_at_order_qty, t.shipped_at,
                CASE WHEN tor.order_id IS NULL THEN oo.ordered_at ELSE tor.ordered_at END,
                CASE WHEN tor.order_id IS NULL THEN oo.status ELSE tor.status END,
                CASE WHEN tor.order_id IS NULL THEN oo.closed_at ELSE tor.closed_at END,
                l.line_id IS NOT NULL, l.product_id, l.quantity, l.unit_price_cents,
                l.shipped_qty, l.cancelled_qty, l.backordered_at_order_qty, l.shipped_at,
                o.ordered_at, o.status, o.closed_at
           FROM kpi_touched_lines t
           LEFT JOIN kpi_touched_orders tor ON tor.order_id = t.order_id
           LEFT JOIN orders oo ON oo.order_id = t.order_id
           LEFT JOIN order_lines l ON l.line_id = t.line_id
           LEFT JOIN orders o ON o.order_id = l.order_id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let existed: bool = row.get(0)?;
        let old_line = if existed {
            Some(RawLine::read(row, 1)?)
        } else {
            None
        };
        let old_order = read_order(row, 8)?;
        let exists: bool = row.get(11)?;
        let new_line = if exists {
            Some(RawLine::read(row, 12)?)
        } else {
            None
        };
        let new_order = read_order(row, 19)?;
        match (
            line_facts(old_line.as_ref(), old_order.as_ref()),
            line_facts(new_line.as_ref(), new_order.as_ref()),
        ) {
            (Ok(old), Ok(new)) => changes.add(old, new),
            _ => changes.unreadable = true,
        }
    }
    // Lines not touched themselves whose order changed. CROSS JOIN keeps the (small) notes
    // first: without statistics SQLite would read every order line.
    let mut statement = conn.prepare(
        "SELECT l.product_id, l.quantity, l.unit_price_cents, l.shipped_qty, l.cancelled_qty,
                l.backordered_at_order_qty, l.shipped_at,
                tor.ordered_at, tor.status, tor.closed_at, o.ordered_at, o.status, o.closed_at
           FROM kpi_touched_orders tor
           CROSS JOIN order_lines l ON l.order_id = tor.order_id
           CROSS JOIN orders o ON o.order_id = l.order_id
          WHERE NOT EXISTS (SELECT 1 FROM kpi_touched_lines t WHERE t.line_id = l.line_id)",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let line = RawLine::read(row, 0)?;
        let old_order = read_order(row, 7)?;
        let new_order = read_order(row, 10)?;
        match (
            line_facts(Some(&line), old_order.as_ref()),
            line_facts(Some(&line), new_order.as_ref()),
        ) {
            (Ok(old), Ok(new)) => changes.add(old, new),
            _ => changes.unreadable = true,
        }
    }
    Ok(changes)
}

/// Per-day value and cost-of-goods corrections for days before `before` after unit cost
/// changes (stored days were computed with the old costs). CROSS JOIN keeps the (small) notes
/// first: without statistics SQLite would read the whole ledger.
fn cost_corrections(conn: &Connection, before: &str) -> Result<HashMap<NaiveDate, (i64, i64)>> {
    let mut statement = conn.prepare(
        "SELECT substr(m.created_at, 1, 10) AS day,
                SUM(m.quantity * (p.unit_cost_cents - t.old_cost_cents)),
                SUM(CASE WHEN m.kind = 'shipment'
                         THEN -m.quantity * (p.unit_cost_cents - t.old_cost_cents) ELSE 0 END)
           FROM kpi_touched_products t
           CROSS JOIN products p ON p.product_id = t.product_id
           CROSS JOIN stock_movements m INDEXED BY stock_movements_product
             ON m.product_id = t.product_id
          WHERE p.unit_cost_cents <> t.old_cost_cents AND m.created_at < ?1
          GROUP BY day",
    )?;
    let rows = statement.query_map([before], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (day, value, cogs) = row?;
        if let Some(day) = day_of(&day) {
            out.insert(day, (value, cogs));
        }
    }
    Ok(out)
}

/// The earliest day any fact can fall on (`None`: an empty shop).
fn first_data_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    let first: Option<String> = conn.query_row(
        "SELECT MIN(day) FROM (
             SELECT MIN(ordered_at) AS day FROM orders
             UNION ALL SELECT MIN(closed_at) FROM orders
             UNION ALL SELECT MIN(shipped_at) FROM order_lines INDEXED BY order_lines_backordered_shipped
                        WHERE backordered_at_order_qty > 0
             UNION ALL SELECT MIN(created_at) FROM stock_movements)",
        [],
        |row| row.get(0),
    )?;
    Ok(first.as_deref().and_then(day_of))
}

fn next_day(day: NaiveDate) -> String {
    date_text(add_days_saturating(day, 1))
}

impl Store {
    /// Facts of `span` from the base tables; waiting lines and stockouts only up to `observe_to`.
    #[expect(
        clippy::too_many_lines,
        reason = "one query per fact of the dashboard over the span, each with its SQL next to it"
    )]
    fn kpi_range_facts(
        &self,
        span: Period,
        observe_to: NaiveDate,
        handling_days: i64,
        now: &ShopNow,
    ) -> Result<RangeFacts> {
        let mut facts = RangeFacts {
            span: Some(span),
            days: vec![DayFacts::default(); span.days() as usize],
            ..RangeFacts::default()
        };
        let index = |day: NaiveDate| {
            span.contains(day)
                .then(|| (day - span.from).num_days() as usize)
        };

        for (day, totals) in self.kpi_orders_per_day(span.from, span.to, &Scope::All)? {
            if let Some(i) = index(day) {
                let facts = &mut facts.days[i];
                facts.orders += totals.orders;
                facts.backordered_orders += totals.backordered_orders;
                facts.units += totals.units;
                facts.units_short += totals.units_short;
            }
        }
        for (day, order) in self.kpi_closed_orders(span.from, span.to, &Scope::All)? {
            if let Some(i) = index(day) {
                facts.days[i].closed_orders += 1;
                if order.is_perfect(handling_days) {
                    facts.days[i].perfect_orders += 1;
                }
            }
        }
        {
            let mut statement = self.conn.prepare_cached(
                "SELECT substr(l.shipped_at, 1, 10) AS day, COUNT(*),
                        SUM(CAST(julianday(substr(l.shipped_at, 1, 10))
                                 - julianday(substr(o.ordered_at, 1, 10)) AS INTEGER))
                   FROM order_lines l INDEXED BY order_lines_backordered_shipped
                   JOIN orders o ON o.order_id = l.order_id
                  WHERE l.backordered_at_order_qty > 0
                    AND l.shipped_at >= ?1 AND l.shipped_at < ?2
                  GROUP BY day",
            )?;
            let rows = statement.query_map((date_text(span.from), next_day(span.to)), |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                ))
            })?;
            for row in rows {
                let (day, lines, days) = row?;
                if let Some(i) = day_of(&day).and_then(index) {
                    facts.days[i].waited_lines += lines;
                    facts.days[i].wait_days += days.unwrap_or(0);
                }
            }
        }

        // Promises of lines that finished shipping, per supplier.
        facts.promises = self.kpi_promise_lines(span.from, span.to, &Scope::All)?;

        // Waits that cover a day of the observed part, per product.
        let observed = (span.from <= span.to.min(observe_to)).then(|| Period {
            from: span.from,
            to: span.to.min(observe_to),
        });
        let mut waits: HashMap<i64, Vec<WaitInterval>> = HashMap::new();
        if let Some(observed) = observed {
            // A line that waited from its order until shipped, its order closed, or still.
            let mut add = |product_id: i64, start: NaiveDate, ended: Option<NaiveDate>, open| {
                let end = match ended {
                    Some(day) => Some(day),
                    None if open => None,
                    None => Some(start),
                };
                let wait = WaitInterval { start, end };
                if wait.start <= observed.to && wait.end.is_none_or(|end| end > observed.from) {
                    waits.entry(product_id).or_default().push(wait);
                }
            };
            // Not shipped: placed by the end, not closed before the start. The index holds the
            // line's columns; the order's days mostly come from the open orders' index.
            let mut statement = self.conn.prepare_cached(
                "SELECT l.product_id, l.order_id, l.quantity > l.shipped_qty + l.cancelled_qty
                   FROM order_lines l INDEXED BY order_lines_backordered_shipped
                  WHERE l.backordered_at_order_qty > 0 AND l.shipped_at IS NULL",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                if !now.tracked(row.get(0)?) {
                    continue;
                }
                if let (Some(ordered), closed) = now.order_days(&self.conn, row.get(1)?)?
                    && ordered <= observed.to
                    && closed.is_none_or(|closed| closed >= observed.from)
                {
                    add(row.get(0)?, ordered, closed, row.get(2)?);
                }
            }
            // Shipped from the start on, placed before the end.
            let mut statement = self.conn.prepare_cached(
                "SELECT l.product_id, o.ordered_at, l.shipped_at,
                        l.quantity > l.shipped_qty + l.cancelled_qty
                   FROM order_lines l INDEXED BY order_lines_backordered_shipped
                   JOIN orders o ON o.order_id = l.order_id
                  WHERE l.backordered_at_order_qty > 0 AND l.shipped_at >= ?1
                    AND o.ordered_at < ?2",
            )?;
            let mut rows = statement.query((date_text(observed.from), next_day(observed.to)))?;
            while let Some(row) = rows.next()? {
                if !now.tracked(row.get(0)?) {
                    continue;
                }
                let ordered: String = row.get(1)?;
                let shipped: Option<String> = row.get(2)?;
                if let Some(start) = day_of(&ordered) {
                    add(
                        row.get(0)?,
                        start,
                        shipped.as_deref().and_then(day_of),
                        row.get(3)?,
                    );
                }
            }
        }

        // The ledger from the first day on: value per day, and net units per day of the
        // products that waited.
        let mut product_days: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
        {
            let mut statement = self.conn.prepare_cached(
                "SELECT m.product_id, m.created_at, m.quantity, m.kind = 'shipment'
                   FROM stock_movements m INDEXED BY stock_movements_created
                  WHERE m.created_at >= ?1",
            )?;
            let mut rows = statement.query([date_text(span.from)])?;
            while let Some(row) = rows.next()? {
                let product_id: i64 = row.get(0)?;
                let created_at: String = row.get(1)?;
                let quantity: i64 = row.get(2)?;
                let shipment: bool = row.get(3)?;
                let (Some(product), Some(day)) = (now.product(product_id), day_of(&created_at))
                else {
                    continue;
                };
                let value = quantity.saturating_mul(product.unit_cost_cents);
                match index(day) {
                    Some(i) => {
                        facts.days[i].value_change_cents += value;
                        if shipment {
                            facts.days[i].cogs_cents -= value;
                        }
                    }
                    None if day > span.to => facts.value_after_cents += value,
                    None => {}
                }
                if waits.contains_key(&product_id) {
                    product_days
                        .entry(product_id)
                        .or_default()
                        .push((day, quantity));
                }
            }
        }

        // Stockouts: the on hand at the end of each observed day, rebuilt backwards from today's.
        let Some(observed) = observed else {
            return Ok(facts);
        };
        let mut products: Vec<i64> = waits.keys().copied().collect();
        products.sort_unstable();
        let no_movements = Vec::new();
        for product_id in products {
            let on_hand = now.product(product_id).map_or(0, |product| product.on_hand);
            let movements = product_days.get(&product_id).unwrap_or(&no_movements);
            let before = on_hand - movements.iter().map(|(_, q)| q).sum::<i64>();
            let (runs, waiting) = stockout_runs(before, movements, &waits[&product_id], &observed);
            for (i, count) in waiting.iter().enumerate() {
                facts.days[i].waiting_lines += count;
            }
            for (first, last) in runs {
                let mut day = first;
                while day <= last {
                    if let Some(i) = index(day) {
                        facts.days[i].stockout_skus += 1;
                    }
                    match add_days(day, 1) {
                        Some(next) => day = next,
                        None => break,
                    }
                }
                facts.runs.push((ProductId(product_id), first, last));
            }
        }
        Ok(facts)
    }

    /// Per product: units ordered minus cancelled and their revenue, on the orders placed in
    /// `span`, from the base tables.
    fn kpi_sums_direct(&self, span: Period) -> Result<ProductSums> {
        let mut statement = self.conn.prepare_cached(
            "SELECT l.product_id, SUM(l.quantity - l.cancelled_qty),
                    SUM((l.quantity - l.cancelled_qty) * l.unit_price_cents)
               FROM orders o JOIN order_lines l ON l.order_id = o.order_id
              WHERE o.ordered_at >= ?1 AND o.ordered_at < ?2
              GROUP BY l.product_id",
        )?;
        let rows = statement.query_map((date_text(span.from), next_day(span.to)), |row| {
            Ok((ProductId(row.get(0)?), row.get(1)?, row.get(2)?))
        })?;
        Ok(ProductSums::from_entries(
            rows.collect::<rusqlite::Result<Vec<_>>>()?,
        ))
    }

    /// Stored sums of `window` rebuilt from the closest stored window: the days it lacks are
    /// added and the days it has too many are taken off, from the base tables.
    fn kpi_sums_from(
        &self,
        window: Period,
        base: Period,
        sums: &ProductSums,
    ) -> Result<ProductSums> {
        let mut out = sums.clone();
        for extra in days_outside(&window, &base) {
            out = out.combined(&self.kpi_sums_direct(extra)?, 1);
        }
        for surplus in days_outside(&base, &window) {
            out = out.combined(&self.kpi_sums_direct(surplus)?, -1);
        }
        Ok(out)
    }

    /// The facts of `request.span` for the dashboard of all products: stale stored days are
    /// recomputed first (and stored when nobody else wrote meanwhile), today and later days are
    /// computed live. See the module documentation.
    #[expect(
        clippy::too_many_lines,
        reason = "the rollup protocol in order: recompute stale days, store them when nobody wrote meanwhile, add today's live facts"
    )]
    pub fn kpi_rollup(&self, request: &RollupRequest) -> Result<Rollup> {
        let tx = self.conn.unchecked_transaction()?;
        let today = request.today;
        let stored_to = add_days_saturating(today, -1);
        let stale = staleness(&tx, request.handling_days)?;
        let now = ShopNow::load(&tx)?;

        // Stale days before today are recomputed; stored days before `table_before` are read.
        let recompute = stale.valid_before.is_none_or(|valid| valid <= stored_to);
        let table_before = if recompute {
            stale.valid_before
        } else {
            Some(today)
        };
        let fresh = if recompute {
            let first = first_data_day(&tx)?;
            let from = match (table_before, first) {
                (Some(valid), Some(first)) => Some(valid.max(first)),
                (None, first) => first,
                (Some(_), None) => None,
            };
            match from {
                Some(from) if from <= stored_to => Some(self.kpi_range_facts(
                    Period {
                        from,
                        to: stored_to,
                    },
                    stored_to,
                    request.handling_days,
                    &now,
                )?),
                _ => None,
            }
        } else {
            None
        };
        let live = self.kpi_range_facts(
            Period {
                from: today,
                to: request.span.to.max(today),
            },
            today,
            request.handling_days,
            &now,
        )?;

        let span = request.span;
        let mut days = vec![DayFacts::default(); span.days().max(0) as usize];
        let mut value_after = live.value_after_cents;
        if let Some(before) = table_before {
            let (stored, stored_after) = stored_days(&tx, span, before, &stale.corrections)?;
            for (day, facts) in stored {
                days[(day - span.from).num_days() as usize] = facts;
            }
            value_after += stored_after;
        }
        for part in fresh.iter().chain([&live]) {
            let Some(part_span) = part.span else { continue };
            for (offset, facts) in part.days.iter().enumerate() {
                let day = part_span.day(offset as i64);
                if span.contains(day) {
                    days[(day - span.from).num_days() as usize] = *facts;
                } else if day > span.to {
                    value_after += facts.value_change_cents;
                }
            }
        }

        let stockout_days = match request.stockout_period {
            Some(period) => {
                let mut per_product: HashMap<ProductId, i64> = HashMap::new();
                if let Some(before) = table_before {
                    for (product_id, first, last) in stored_runs(&tx, period, before)? {
                        *per_product.entry(product_id).or_default() +=
                            run_overlap(first, last, &period);
                    }
                }
                for (product_id, first, last) in
                    fresh.iter().flat_map(|f| &f.runs).chain(&live.runs)
                {
                    *per_product.entry(*product_id).or_default() +=
                        run_overlap(*first, *last, &period);
                }
                let mut list: Vec<(ProductId, i64)> = per_product
                    .into_iter()
                    .filter(|(_, days)| *days > 0)
                    .collect();
                list.sort_unstable();
                list
            }
            None => Vec::new(),
        };

        let mut promise_days = match table_before {
            Some(before) => stored_promise_days(&tx, span, before)?,
            None => Vec::new(),
        };
        for part in fresh.iter().chain([&live]) {
            promise_days.extend(
                part.promises
                    .iter()
                    .filter(|(day, ..)| span.contains(*day))
                    .copied(),
            );
        }
        promise_days.sort_unstable_by_key(|(day, supplier, _)| (*day, *supplier));

        let mut cache = SumsCache::load(&tx, &stale)?;
        let mut sums = Vec::with_capacity(request.sum_windows.len());
        for window in &request.sum_windows {
            let clean = Period {
                from: window.from,
                to: window.to.min(stored_to),
            };
            let mut total = if clean.from <= clean.to {
                cache.sums(self, &tx, clean)?
            } else {
                ProductSums::default()
            };
            let live_part = Period {
                from: window.from.max(today),
                to: window.to,
            };
            if live_part.from <= live_part.to {
                total = total.combined(&self.kpi_sums_direct(live_part)?, 1);
            }
            sums.push(total);
        }

        let mut rollup = Rollup {
            days,
            value_after_cents: value_after,
            stockout_days,
            sums,
            recomputed_days: fresh.as_ref().and_then(|f| f.span).map_or(0, |s| s.days()),
            stored: false,
            now,
            promise_days,
        };
        let worth_writing = recompute || stale.noted || cache.changed();
        if !worth_writing {
            rollup.stored = true;
            return Ok(rollup);
        }
        // A read-only store never writes: the rollup was worked out in memory, and the copy
        // that writes stores it the next time it computes.
        if self.read_only {
            return Ok(rollup);
        }
        let plan = WritePlan {
            stale: &stale,
            recompute,
            cut: table_before,
            fresh: fresh.as_ref(),
            dirty_from: if recompute {
                today
            } else {
                stale.valid_before.unwrap_or(today)
            },
            handling_days: request.handling_days,
            cache: &cache,
        };
        // Store what was worked out; give up when another writer came first (the numbers stand,
        // and the next computation stores them).
        self.conn.busy_timeout(WRITE_WAIT)?;
        let written = plan.write(&tx);
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        match written {
            Ok(()) => {
                tx.commit()?;
                rollup.stored = true;
            }
            Err(error) if is_busy(&error) => {}
            Err(error) => return Err(error.into()),
        }
        Ok(rollup)
    }
}

impl Store {
    /// Days before `today` whose stored KPI facts are stale as far as the stored mark says
    /// (`None`: every day, as after a large load or on a new shop).
    pub fn kpi_rollup_stale_days(&self, today: NaiveDate) -> Result<Option<i64>> {
        let dirty: Option<String> = self
            .conn
            .query_row(
                "SELECT dirty_from FROM kpi_rollup_state WHERE id = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(dirty
            .as_deref()
            .and_then(day_of)
            .map(|dirty| (today - dirty).num_days().max(0)))
    }
}

/// How long a refresh waits for another writer before it gives up storing.
const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// How stale the stored facts are.
#[derive(Debug, Default)]
struct Staleness {
    /// Stored days before this are true (`None`: none is).
    valid_before: Option<NaiveDate>,
    /// The stored per-product sums match the last refresh; `sum_deltas` bring them up to date.
    sums_valid: bool,
    /// Changes of per-product sums by day of the order: (day, product, units, cents).
    sum_deltas: Vec<(NaiveDate, ProductId, i64, i64)>,
    /// Value and cost-of-goods corrections of stored days (before `valid_before`) after unit
    /// cost changes.
    corrections: HashMap<NaiveDate, (i64, i64)>,
    /// The triggers noted something since the last refresh.
    noted: bool,
}

fn staleness(conn: &Connection, handling_days: i64) -> Result<Staleness> {
    let (dirty_text, stored_handling): (String, Option<i64>) = conn
        .query_row(
            "SELECT dirty_from, handling_days FROM kpi_rollup_state WHERE id = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .unwrap_or_default();
    let changes = read_changes(conn)?;
    let noted: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM kpi_touched_lines) OR EXISTS (SELECT 1 FROM kpi_touched_orders)
             OR EXISTS (SELECT 1 FROM kpi_touched_products)",
        [],
        |row| row.get(0),
    )?;
    let valid_before = match day_of(&dirty_text) {
        Some(dirty) if !changes.unreadable && stored_handling == Some(handling_days) => {
            Some(changes.stale_from.map_or(dirty, |stale| stale.min(dirty)))
        }
        _ => None,
    };
    let corrections = match valid_before {
        Some(day) => cost_corrections(conn, &date_text(day))?,
        None => HashMap::new(),
    };
    Ok(Staleness {
        valid_before,
        sums_valid: !changes.unreadable,
        sum_deltas: changes.sum_deltas,
        corrections,
        noted,
    })
}

/// Stored facts of the days of `span` before `before` (corrected for unit cost changes), and the
/// stored value change of the days after the span and before `before`.
fn stored_days(
    conn: &Connection,
    span: Period,
    before: NaiveDate,
    corrections: &HashMap<NaiveDate, (i64, i64)>,
) -> Result<(Vec<(NaiveDate, DayFacts)>, i64)> {
    let mut out: HashMap<NaiveDate, DayFacts> = HashMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT day, orders, backordered_orders, units, units_short, closed_orders,
                perfect_orders, waited_lines, wait_days, value_change_cents, cogs_cents,
                waiting_lines, stockout_skus
           FROM kpi_days WHERE day >= ?1 AND day <= ?2 AND day < ?3",
    )?;
    let mut rows =
        statement.query((date_text(span.from), date_text(span.to), date_text(before)))?;
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let Some(day) = day_of(&day) else { continue };
        out.insert(
            day,
            DayFacts {
                orders: row.get(1)?,
                backordered_orders: row.get(2)?,
                units: row.get(3)?,
                units_short: row.get(4)?,
                closed_orders: row.get(5)?,
                perfect_orders: row.get(6)?,
                waited_lines: row.get(7)?,
                wait_days: row.get(8)?,
                value_change_cents: row.get(9)?,
                cogs_cents: row.get(10)?,
                waiting_lines: row.get(11)?,
                stockout_skus: row.get(12)?,
            },
        );
    }
    let mut after: i64 = if span.to < before {
        conn.prepare_cached(
            "SELECT COALESCE(SUM(value_change_cents), 0) FROM kpi_days WHERE day > ?1 AND day < ?2",
        )?
        .query_row((date_text(span.to), date_text(before)), |row| row.get(0))?
    } else {
        0
    };
    for (day, (value, cogs)) in corrections {
        if *day >= before {
            continue;
        }
        if span.contains(*day) {
            let facts = out.entry(*day).or_default();
            facts.value_change_cents += value;
            facts.cogs_cents += cogs;
        } else if *day > span.to {
            after += value;
        }
    }
    Ok((out.into_iter().collect(), after))
}

/// Stored promise figures of the days of `span` before `before`, per day and supplier.
fn stored_promise_days(
    conn: &Connection,
    span: Period,
    before: NaiveDate,
) -> Result<Vec<(NaiveDate, Option<i64>, PromiseTotals)>> {
    let mut statement = conn.prepare_cached(
        "SELECT day, supplier_id, lines, kept, inside FROM kpi_promise_days
          WHERE day >= ?1 AND day <= ?2 AND day < ?3",
    )?;
    let mut rows =
        statement.query((date_text(span.from), date_text(span.to), date_text(before)))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let Some(day) = day_of(&day) else { continue };
        let supplier: i64 = row.get(1)?;
        out.push((
            day,
            (supplier != 0).then_some(supplier),
            PromiseTotals {
                lines: row.get(2)?,
                kept: row.get(3)?,
                inside: row.get(4)?,
            },
        ));
    }
    Ok(out)
}

/// Stored stockout runs that overlap `period`, cut before `before`.
fn stored_runs(
    conn: &Connection,
    period: Period,
    before: NaiveDate,
) -> Result<Vec<(ProductId, NaiveDate, NaiveDate)>> {
    let mut statement = conn.prepare_cached(
        "SELECT product_id, first_day, last_day FROM kpi_stockout_runs
          WHERE last_day >= ?1 AND first_day <= ?2 AND first_day < ?3",
    )?;
    let mut rows = statement.query((
        date_text(period.from),
        date_text(period.to),
        date_text(before),
    ))?;
    let mut out = Vec::new();
    let last_stored = add_days_saturating(before, -1);
    while let Some(row) = rows.next()? {
        let first: String = row.get(1)?;
        let last: String = row.get(2)?;
        if let (Some(first), Some(last)) = (day_of(&first), day_of(&last)) {
            out.push((ProductId(row.get(0)?), first, last.min(last_stored)));
        }
    }
    Ok(out)
}

/// Stored per-product sums, patched with the changes since the last refresh, and the windows
/// worked out now.
struct SumsCache {
    /// Stored windows and when each was last used.
    stored: Vec<(Period, i64)>,
    /// Sums loaded or built, by window.
    sums: HashMap<Period, ProductSums>,
    /// Windows to save.
    changed: HashSet<Period>,
    /// Windows used now, with their new use mark.
    used: Vec<(Period, i64)>,
    next_use: i64,
    valid: bool,
}

fn load_sums(conn: &Connection, window: Period) -> Result<Option<ProductSums>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT sums FROM kpi_product_sums WHERE from_day = ?1 AND to_day = ?2")?
        .query_row((date_text(window.from), date_text(window.to)), |row| {
            row.get(0)
        })
        .optional()?;
    Ok(bytes.as_deref().and_then(ProductSums::from_bytes))
}

impl SumsCache {
    fn load(conn: &Connection, stale: &Staleness) -> Result<Self> {
        let mut stored = Vec::new();
        {
            let mut statement =
                conn.prepare_cached("SELECT from_day, to_day, used FROM kpi_product_sums")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let from: String = row.get(0)?;
                let to: String = row.get(1)?;
                if let (Some(from), Some(to)) = (day_of(&from), day_of(&to))
                    && from <= to
                {
                    stored.push((Period { from, to }, row.get(2)?));
                }
            }
        }
        let next_use = stored.iter().map(|(_, used)| *used).max().unwrap_or(0) + 1;
        let mut cache = Self {
            stored,
            sums: HashMap::new(),
            changed: HashSet::new(),
            used: Vec::new(),
            next_use,
            valid: stale.sums_valid,
        };
        if !cache.valid {
            cache.stored.clear();
            return Ok(cache);
        }
        // Bring every stored window up to date with the changed lines.
        for (window, _) in &cache.stored {
            let deltas: Vec<(ProductId, i64, i64)> = stale
                .sum_deltas
                .iter()
                .filter(|(day, ..)| window.contains(*day))
                .map(|(_, product, units, cents)| (*product, *units, *cents))
                .collect();
            if deltas.is_empty() {
                continue;
            }
            if let Some(sums) = load_sums(conn, *window)? {
                cache.sums.insert(
                    *window,
                    sums.combined(&ProductSums::from_entries(deltas), 1),
                );
                cache.changed.insert(*window);
            }
        }
        Ok(cache)
    }

    fn changed(&self) -> bool {
        !self.changed.is_empty() || !self.valid
    }

    fn get_or_load(&mut self, conn: &Connection, window: Period) -> Result<Option<ProductSums>> {
        if let Some(found) = self.sums.get(&window) {
            return Ok(Some(found.clone()));
        }
        if !self.stored.iter().any(|(stored, _)| *stored == window) {
            return Ok(None);
        }
        let loaded = load_sums(conn, window)?;
        if let Some(sums) = &loaded {
            self.sums.insert(window, sums.clone());
        }
        Ok(loaded)
    }

    /// The sums of `window` (all days before today): stored, else built from the stored window
    /// that needs the fewest days read, else read whole.
    fn sums(&mut self, store: &Store, conn: &Connection, window: Period) -> Result<ProductSums> {
        self.used.push((window, self.next_use));
        self.next_use += 1;
        if let Some(found) = self.get_or_load(conn, window)? {
            return Ok(found);
        }
        let distance = |other: &Period| -> i64 {
            days_outside(&window, other)
                .iter()
                .chain(days_outside(other, &window).iter())
                .map(Period::days)
                .sum()
        };
        let mut candidates: Vec<Period> = self.stored.iter().map(|(w, _)| *w).collect();
        candidates.extend(self.sums.keys().copied());
        let mut bases: Vec<(i64, NaiveDate, NaiveDate)> = candidates
            .iter()
            .map(|w| (distance(w), w.from, w.to))
            .filter(|(cost, ..)| *cost * 2 < window.days())
            .collect();
        bases.sort_unstable();
        let bases: Vec<(Period, i64)> = bases
            .into_iter()
            .map(|(cost, from, to)| (Period { from, to }, cost))
            .collect();
        let mut built = None;
        if let Some((base, _)) = bases.first()
            && let Some(base_sums) = self.get_or_load(conn, *base)?
        {
            built = Some(store.kpi_sums_from(window, *base, &base_sums)?);
        }
        let built = match built {
            Some(built) => built,
            None => store.kpi_sums_direct(window)?,
        };
        self.sums.insert(window, built.clone());
        self.changed.insert(window);
        Ok(built)
    }
}

/// What a refresh stores.
struct WritePlan<'a> {
    stale: &'a Staleness,
    recompute: bool,
    /// Stored days from this one on are replaced (`None`: all).
    cut: Option<NaiveDate>,
    fresh: Option<&'a RangeFacts>,
    dirty_from: NaiveDate,
    handling_days: i64,
    cache: &'a SumsCache,
}

impl WritePlan<'_> {
    #[expect(
        clippy::too_many_lines,
        reason = "writes each kind of stored fact of the plan in turn, inside the caller's transaction"
    )]
    fn write(&self, conn: &Connection) -> rusqlite::Result<()> {
        for (day, (value, cogs)) in &self.stale.corrections {
            conn.prepare_cached(
                "INSERT INTO kpi_days VALUES (?1, 0, 0, 0, 0, 0, 0, 0, 0, ?2, ?3, 0, 0)
                 ON CONFLICT(day) DO UPDATE SET
                     value_change_cents = value_change_cents + excluded.value_change_cents,
                     cogs_cents = cogs_cents + excluded.cogs_cents",
            )?
            .execute(params![date_text(*day), value, cogs])?;
        }
        if self.recompute {
            match self.cut {
                None => {
                    conn.execute_batch(
                        "DELETE FROM kpi_days; DELETE FROM kpi_stockout_runs;
                         DELETE FROM kpi_promise_days;",
                    )?;
                }
                Some(cut) => {
                    let from = date_text(cut);
                    conn.execute("DELETE FROM kpi_days WHERE day >= ?1", [&from])?;
                    conn.execute("DELETE FROM kpi_promise_days WHERE day >= ?1", [&from])?;
                    conn.execute(
                        "DELETE FROM kpi_stockout_runs WHERE first_day >= ?1",
                        [&from],
                    )?;
                    conn.execute(
                        "UPDATE kpi_stockout_runs SET last_day = ?2 WHERE last_day >= ?1",
                        [&from, &date_text(add_days_saturating(cut, -1))],
                    )?;
                }
            }
            if let Some(fresh) = self.fresh
                && let Some(span) = fresh.span
            {
                let mut insert = conn.prepare_cached(
                    "INSERT INTO kpi_days VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?;
                for (offset, f) in fresh.days.iter().enumerate() {
                    if f.is_empty() {
                        continue;
                    }
                    insert.execute(params![
                        date_text(span.day(offset as i64)),
                        f.orders,
                        f.backordered_orders,
                        f.units,
                        f.units_short,
                        f.closed_orders,
                        f.perfect_orders,
                        f.waited_lines,
                        f.wait_days,
                        f.value_change_cents,
                        f.cogs_cents,
                        f.waiting_lines,
                        f.stockout_skus
                    ])?;
                }
                let mut insert_run =
                    conn.prepare_cached("INSERT INTO kpi_stockout_runs VALUES (?1, ?2, ?3)")?;
                for (product_id, first, last) in &fresh.runs {
                    insert_run.execute(params![
                        product_id.0,
                        date_text(*first),
                        date_text(*last)
                    ])?;
                }
                let mut insert_promises = conn.prepare_cached(
                    "INSERT INTO kpi_promise_days (day, supplier_id, lines, kept, inside)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for (day, supplier, totals) in &fresh.promises {
                    insert_promises.execute(params![
                        date_text(*day),
                        supplier.unwrap_or(0),
                        totals.lines,
                        totals.kept,
                        totals.inside
                    ])?;
                }
            }
        }
        if !self.cache.valid {
            conn.execute("DELETE FROM kpi_product_sums", [])?;
        }
        for window in &self.cache.changed {
            if let Some(sums) = self.cache.sums.get(window) {
                conn.prepare_cached(
                    "INSERT INTO kpi_product_sums (from_day, to_day, used, sums) VALUES (?1, ?2, 0, ?3)
                     ON CONFLICT(from_day, to_day) DO UPDATE SET sums = excluded.sums",
                )?
                .execute(params![date_text(window.from), date_text(window.to), sums.to_bytes()])?;
            }
        }
        for (window, used) in &self.cache.used {
            conn.prepare_cached(
                "UPDATE kpi_product_sums SET used = ?3 WHERE from_day = ?1 AND to_day = ?2",
            )?
            .execute(params![date_text(window.from), date_text(window.to), used])?;
        }
        conn.execute(
            "DELETE FROM kpi_product_sums WHERE (from_day, to_day) NOT IN
                 (SELECT from_day, to_day FROM kpi_product_sums ORDER BY used DESC LIMIT ?1)",
            [KEPT_SUMS as i64],
        )?;
        conn.execute_batch(
            "DELETE FROM kpi_touched_lines; DELETE FROM kpi_touched_orders;
             DELETE FROM kpi_touched_products;",
        )?;
        conn.execute(
            "INSERT INTO kpi_rollup_state (id, dirty_from, handling_days) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET dirty_from = excluded.dirty_from,
                 handling_days = excluded.handling_days",
            params![date_text(self.dirty_from), self.handling_days],
        )?;
        Ok(())
    }
}

/// Drops the KPI triggers and marks every rollup stale, inside a large load's transaction (the
/// next dashboard rebuilds them once). Returns the triggers' statements as the file held them;
/// [`resume_tracking`] creates the triggers again from them.
pub fn suspend_tracking(conn: &Connection) -> Result<SavedSchema> {
    let saved = super::drop_objects(conn, "trigger", |name| {
        name.starts_with(super::schema::KPI_TRIGGER_PREFIX)
    })?;
    invalidate(conn)?;
    Ok(saved)
}

/// Creates the KPI triggers again after a large load.
pub fn resume_tracking(conn: &Connection, saved: &SavedSchema) -> Result<()> {
    super::recreate_objects(conn, saved)
}

/// Marks every stored KPI fact stale.
pub fn invalidate(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "UPDATE kpi_rollup_state SET dirty_from = '';
         UPDATE kpi_cancel_state SET dirty_from = '';
         DELETE FROM kpi_cancel_dirty;
         DELETE FROM kpi_product_sums;
         DELETE FROM kpi_touched_lines;
         DELETE FROM kpi_touched_orders;
         DELETE FROM kpi_touched_products;",
    )?;
    Ok(())
}
