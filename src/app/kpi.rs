//! The KPI dashboard: every card for a period and its previous period, and the series behind
//! the charts. Shared by the window (on a worker thread) and `backorder-desk kpi`.

use std::collections::HashMap;

use crate::domain::limits::add_days_saturating;
use chrono::{Months, NaiveDate};

use crate::domain::abc::class_totals;
use crate::domain::kpi::{
    AGE_BUCKET_LABELS, ClosedOrder, DEFAULT_LEAD_TIME_DAYS, LeadTimeStats, OrderTotals, Period,
    PromiseTotals, Receipt, Scope, WaitInterval, age_bucket, average_inventory, daily_demand,
    days_of_cover, lead_time_stats, mean_sd, pareto_curve, percent, project_stock,
    projected_stockout, ratio, reorder_point, safety_stock, stockout_days, turnover,
    waiting_per_day,
};
use crate::domain::kpi_rollup::DayFacts;
use crate::store::kpi::KpiProduct;
use crate::store::kpi_rollup::RollupRequest;
use crate::store::{ProductId, Result, Store};

/// How many SKUs the "most stockouts" and "lowest cover" lists show.
pub const LIST_LENGTH: usize = 10;
/// Points of the Pareto curve at most (the curve is sampled evenly).
const PARETO_POINTS: usize = 200;
/// Days the projected stock looks ahead.
pub const PROJECTION_DAYS: i64 = 90;

/// What to compute: a period, an optional narrowing, and today (for "now" figures).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KpiRequest {
    pub period: Period,
    pub scope: Scope,
    pub today: NaiveDate,
}

/// The cards of one period. `None` where the value is undefined (nothing to divide by).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub totals: OrderTotals,
    pub backorder_rate_pct: Option<f64>,
    pub fill_rate_pct: Option<f64>,
    pub order_fill_rate_pct: Option<f64>,
    /// Orders closed in the period, and how many of them were perfect.
    pub closed_orders: i64,
    pub perfect_orders: i64,
    pub perfect_order_pct: Option<f64>,
    /// Backordered lines shipped in the period, and their mean wait.
    pub waited_lines: i64,
    pub avg_backorder_wait_days: Option<f64>,
    pub stockout_sku_days: i64,
    pub sku_days: i64,
    pub stockout_frequency_pct: Option<f64>,
    pub cost_of_goods_shipped_cents: i64,
    pub average_inventory_cents: f64,
    pub inventory_turnover: Option<f64>,
    /// Backordered lines that finished shipping in the period with a first promised window.
    pub promises: PromiseTotals,
    /// Of those, shipped on or before the end of the first window ÷ lines × 100.
    pub promise_kept_pct: Option<f64>,
    /// Shipped inside the first window ÷ lines × 100.
    pub promise_inside_pct: Option<f64>,
}

/// One week of the promise chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PromiseWeek {
    pub start: NaiveDate,
    pub lines: i64,
    pub kept_pct: Option<f64>,
    pub inside_pct: Option<f64>,
}

/// Promises of one supplier's products in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierPromises {
    /// Empty: products without a supplier.
    pub supplier: String,
    pub totals: PromiseTotals,
    pub kept_pct: Option<f64>,
    pub inside_pct: Option<f64>,
}

/// One week of the rate chart.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekPoint {
    pub start: NaiveDate,
    pub orders: i64,
    pub backorder_rate_pct: Option<f64>,
    pub fill_rate_pct: Option<f64>,
}

/// Lead times of one supplier's receipts in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierLeadTime {
    pub supplier: String,
    pub stats: LeadTimeStats,
}

/// A SKU and a number (stockout days, or days of cover).
#[derive(Debug, Clone, PartialEq)]
pub struct SkuFigure {
    pub product: KpiProduct,
    pub stockout_days: i64,
    pub avg_daily_demand: f64,
    pub days_of_cover: Option<f64>,
}

/// ABC classes by 12-month revenue and the Pareto curve.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AbcSummary {
    /// (share of products %, cumulative share of revenue %), sampled.
    pub pareto: Vec<(f64, f64)>,
    pub products: [usize; 3],
    /// Revenue per class in cents.
    pub revenue_cents: [i64; 3],
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub request: KpiRequest,
    pub current: Figures,
    pub previous: Figures,
    pub late_inbound_lines: i64,
    pub suppliers: Vec<SupplierLeadTime>,
    pub weeks: Vec<WeekPoint>,
    /// Backordered lines waiting at the end of each day of the period.
    pub open_backorders_per_day: Vec<(NaiveDate, i64)>,
    /// Lines waiting now by age bucket (`domain::kpi::AGE_BUCKET_LABELS`).
    pub open_backorder_ages: [i64; AGE_BUCKET_LABELS.len()],
    pub most_stockouts: Vec<SkuFigure>,
    pub lowest_cover: Vec<SkuFigure>,
    pub abc: AbcSummary,
    /// Lines of the period's orders cancelled, backordered vs in stock.
    pub cancellations: crate::store::practice::CancellationCounts,
    /// Promises kept per week of the period.
    pub promise_weeks: Vec<PromiseWeek>,
    /// Promises kept per supplier in the period (by name; products without one last).
    pub promise_suppliers: Vec<SupplierPromises>,
    /// The share of promises whose window end should be met (setting), per cent.
    pub promise_target_pct: f64,
}

/// The promise figures of both periods, per week of the current one, and per supplier in it,
/// from figures per day and supplier (`None`: no supplier).
fn promise_figures(
    store: &Store,
    rows: &[(NaiveDate, Option<i64>, PromiseTotals)],
    period: Period,
    current: &mut Figures,
    before: &mut Figures,
) -> Result<(Vec<PromiseWeek>, Vec<SupplierPromises>)> {
    let previous = period.previous();
    let weeks_of = period.weeks();
    let mut weekly = vec![PromiseTotals::default(); weeks_of.len()];
    let mut by_supplier: HashMap<Option<i64>, PromiseTotals> = HashMap::new();
    for (day, supplier, totals) in rows {
        if period.contains(*day) {
            current.promises.merge(totals);
            if let Some(week) = period.week_index(*day) {
                weekly[week].merge(totals);
            }
            by_supplier.entry(*supplier).or_default().merge(totals);
        } else if previous.contains(*day) {
            before.promises.merge(totals);
        }
    }
    for figures in [current, before] {
        figures.promise_kept_pct = figures.promises.kept_pct();
        figures.promise_inside_pct = figures.promises.inside_pct();
    }
    let weeks = weeks_of
        .iter()
        .zip(&weekly)
        .map(|(week, totals)| PromiseWeek {
            start: week.from,
            lines: totals.lines,
            kept_pct: totals.kept_pct(),
            inside_pct: totals.inside_pct(),
        })
        .collect();
    // By name; products without a supplier (or one that is gone) last, under "".
    let names = crate::store::purchasing::supplier_names(store.connection())?;
    let mut by_name: std::collections::BTreeMap<(bool, String), PromiseTotals> =
        std::collections::BTreeMap::new();
    for (supplier, totals) in by_supplier {
        let name = supplier.and_then(|id| names.get(&id).cloned());
        by_name
            .entry((name.is_none(), name.unwrap_or_default()))
            .or_default()
            .merge(&totals);
    }
    let suppliers = by_name
        .into_iter()
        .map(|((_, supplier), totals)| SupplierPromises {
            supplier,
            kept_pct: totals.kept_pct(),
            inside_pct: totals.inside_pct(),
            totals,
        })
        .collect();
    Ok((weeks, suppliers))
}

/// The promise target setting in per cent.
fn promise_target_pct(store: &Store) -> Result<f64> {
    Ok(crate::store::settings::promise_target(store.connection())? * 100.0)
}

/// The handling days setting (default 1; the one rule is
/// `domain::promise::handling_days_setting`, the promise engine reads it the same way).
pub fn handling_days(store: &Store) -> Result<i64> {
    crate::store::settings::handling_days(store.connection())
}

/// Computes the whole dashboard straight from the base tables (the reference the rollups are
/// checked against; a scoped dashboard is always computed this way).
#[expect(
    clippy::too_many_lines,
    reason = "one figure of the dashboard after another, each a query and its formula, in the order the dashboard shows them"
)]
pub fn dashboard_direct(store: &Store, request: &KpiRequest) -> Result<Dashboard> {
    let period = request.period;
    let previous = period.previous();
    let both = Period {
        from: previous.from,
        to: period.to,
    };
    let scope = &request.scope;
    let handling = handling_days(store)?;

    // Orders placed: per day over both periods, split.
    let per_day = store.kpi_orders_per_day(both.from, both.to, scope)?;
    let mut current = Figures::default();
    let mut before = Figures::default();
    let weeks_of = period.weeks();
    let mut weekly = vec![OrderTotals::default(); weeks_of.len()];
    for (day, totals) in &per_day {
        if period.contains(*day) {
            current.totals.merge(totals);
            if let Some(week) = period.week_index(*day) {
                weekly[week].merge(totals);
            }
        } else if previous.contains(*day) {
            before.totals.merge(totals);
        }
    }

    // Orders closed: perfect orders.
    let closed = store.kpi_closed_orders(both.from, both.to, scope)?;
    for (closed_on, order) in &closed {
        let figures = if period.contains(*closed_on) {
            &mut current
        } else if previous.contains(*closed_on) {
            &mut before
        } else {
            continue;
        };
        add_closed(figures, order, handling);
    }

    // Waits of lines that shipped.
    for (figures, span) in [(&mut current, period), (&mut before, previous)] {
        let (lines, days) = store.kpi_backorder_waits(span.from, span.to, scope)?;
        figures.waited_lines = lines;
        figures.avg_backorder_wait_days = ratio(days as f64, lines as f64);
    }

    // Promises of backordered lines that finished shipping.
    let promise_lines = store.kpi_promise_lines(both.from, both.to, scope)?;
    let (promise_weeks, promise_suppliers) =
        promise_figures(store, &promise_lines, period, &mut current, &mut before)?;

    // Stockout SKU-days from the ledger, for the products that had a backorder waiting.
    let intervals = store.kpi_wait_intervals(both.from, both.to, scope)?;
    let mut by_product: HashMap<ProductId, Vec<WaitInterval>> = HashMap::new();
    for (product_id, interval) in &intervals {
        by_product.entry(*product_id).or_default().push(*interval);
    }
    // Only days up to today are observed: later days count neither as SKU-days nor stockouts.
    let observed = |span: Period| Period::new(span.from, span.to.min(request.today)).ok();
    let products = store.kpi_product_count(scope)?;
    current.sku_days = observed(period).map_or(0, |span| products * span.days());
    before.sku_days = observed(previous).map_or(0, |span| products * span.days());
    let mut stockouts: Vec<(ProductId, i64)> = Vec::new();
    let mut product_ids: Vec<ProductId> = by_product.keys().copied().collect();
    product_ids.sort_unstable();
    for product_id in product_ids {
        let waits = &by_product[&product_id];
        let movements = store.kpi_daily_movements(product_id)?;
        for (figures, span, is_current) in [
            (&mut current, observed(period), true),
            (&mut before, observed(previous), false),
        ] {
            let Some(span) = span else { continue };
            let opening: i64 = movements
                .iter()
                .filter(|(day, _)| *day < span.from)
                .map(|(_, quantity)| quantity)
                .sum();
            let days = stockout_days(opening, &movements, waits, &span);
            figures.stockout_sku_days += days;
            if is_current && days > 0 {
                stockouts.push((product_id, days));
            }
        }
    }
    for figures in [&mut current, &mut before] {
        figures.stockout_frequency_pct = percent(figures.stockout_sku_days, figures.sku_days);
    }
    let all_waits: Vec<WaitInterval> = intervals.iter().map(|(_, w)| *w).collect();
    let open_backorders_per_day = observed(period).map_or_else(Vec::new, |span| {
        waiting_per_day(&all_waits, &span)
            .into_iter()
            .enumerate()
            .map(|(index, count)| (span.day(index as i64), count))
            .collect()
    });

    // Inventory value and cost of goods shipped.
    let (value_now, changes) = store.kpi_inventory_changes(previous.from, scope)?;
    let value_changes: Vec<(NaiveDate, i64)> = changes
        .iter()
        .map(|(day, value, _)| (*day, *value))
        .collect();
    for (figures, span) in [(&mut current, period), (&mut before, previous)] {
        figures.cost_of_goods_shipped_cents = changes
            .iter()
            .filter(|(day, _, _)| span.contains(*day))
            .map(|(_, _, cogs)| cogs)
            .sum();
        figures.average_inventory_cents = average_inventory(value_now, &value_changes, &span);
        figures.inventory_turnover = turnover(
            figures.cost_of_goods_shipped_cents,
            figures.average_inventory_cents,
        );
    }

    for figures in [&mut current, &mut before] {
        figures.backorder_rate_pct = figures.totals.backorder_rate_pct();
        figures.fill_rate_pct = figures.totals.fill_rate_pct();
        figures.order_fill_rate_pct = figures.totals.order_fill_rate_pct();
        figures.perfect_order_pct = percent(figures.perfect_orders, figures.closed_orders);
    }

    let weeks = weeks_of
        .iter()
        .zip(&weekly)
        .map(|(week, totals)| WeekPoint {
            start: week.from,
            orders: totals.orders,
            backorder_rate_pct: totals.backorder_rate_pct(),
            fill_rate_pct: totals.fill_rate_pct(),
        })
        .collect();

    // Lists.
    let demand: HashMap<ProductId, i64> = store
        .kpi_demand_by_product(period.from, period.to, scope)?
        .into_iter()
        .collect();
    let most_stockouts = most_stockouts(store, &mut stockouts, &demand, period.days())?;
    let lowest_cover = lowest_cover(store, &store.kpi_available()?, &demand, period.days())?;

    Ok(Dashboard {
        request: request.clone(),
        current,
        previous: before,
        late_inbound_lines: store.kpi_late_inbound(request.today, scope)?,
        suppliers: supplier_lead_times(store, period, scope)?,
        weeks,
        open_backorders_per_day,
        open_backorder_ages: ages_of(&store.kpi_open_backorders(scope)?, request.today),
        most_stockouts,
        lowest_cover,
        abc: abc_summary(store, period.to)?,
        cancellations: store.kpi_cancellations(period.from, period.to, scope)?,
        promise_weeks,
        promise_suppliers,
        promise_target_pct: promise_target_pct(store)?,
    })
}

/// Computes the whole dashboard: all products from the rollups (stale days recomputed and stored
/// first, today live), a scope with the direct queries of [`dashboard_direct`].
pub fn dashboard(store: &Store, request: &KpiRequest) -> Result<Dashboard> {
    match request.scope {
        Scope::All => dashboard_all(store, request),
        _ => dashboard_direct(store, request),
    }
}

/// Days of a span that are observed for stockouts and waiting lines: up to today.
fn observed(span: Period, today: NaiveDate) -> Option<Period> {
    Period::new(span.from, span.to.min(today)).ok()
}

/// The dashboard of all products from the rollups; the same numbers as [`dashboard_direct`].
#[expect(
    clippy::too_many_lines,
    reason = "the same figures as dashboard_direct, from the rollups, in the same order so the two read side by side"
)]
fn dashboard_all(store: &Store, request: &KpiRequest) -> Result<Dashboard> {
    let period = request.period;
    let previous = period.previous();
    let both = Period {
        from: previous.from,
        to: period.to,
    };
    let handling = handling_days(store)?;
    let rollup = store.kpi_rollup(&RollupRequest {
        span: both,
        today: request.today,
        handling_days: handling,
        sum_windows: vec![period, abc_window(period.to)],
        stockout_period: observed(period, request.today),
    })?;
    let day_facts = |day: NaiveDate| &rollup.days[(day - both.from).num_days() as usize];
    let products = rollup.now.active_products();
    let stock_products = rollup.now.tracked_products();
    let value_now = rollup.now.inventory_value_cents();
    // Value changes per day of both periods, and all later days as one entry after them.
    let mut value_changes: Vec<(NaiveDate, i64)> = (0..both.days())
        .map(|offset| {
            let day = both.day(offset);
            (day, day_facts(day).value_change_cents)
        })
        .filter(|(_, value)| *value != 0)
        .collect();
    value_changes.push((add_days_saturating(both.to, 1), rollup.value_after_cents));

    let mut current = Figures::default();
    let mut before = Figures::default();
    for (figures, span) in [(&mut current, period), (&mut before, previous)] {
        let mut wait_days = 0;
        for offset in 0..span.days() {
            let facts = day_facts(span.day(offset));
            figures.totals.merge(&order_totals(facts));
            figures.closed_orders += facts.closed_orders;
            figures.perfect_orders += facts.perfect_orders;
            figures.waited_lines += facts.waited_lines;
            wait_days += facts.wait_days;
            figures.cost_of_goods_shipped_cents += facts.cogs_cents;
        }
        figures.avg_backorder_wait_days = ratio(wait_days as f64, figures.waited_lines as f64);
        if let Some(seen) = observed(span, request.today) {
            figures.sku_days = stock_products * seen.days();
            figures.stockout_sku_days = (0..seen.days())
                .map(|offset| day_facts(seen.day(offset)).stockout_skus)
                .sum();
        }
        figures.stockout_frequency_pct = percent(figures.stockout_sku_days, figures.sku_days);
        figures.average_inventory_cents = average_inventory(value_now, &value_changes, &span);
        figures.inventory_turnover = turnover(
            figures.cost_of_goods_shipped_cents,
            figures.average_inventory_cents,
        );
        figures.backorder_rate_pct = figures.totals.backorder_rate_pct();
        figures.fill_rate_pct = figures.totals.fill_rate_pct();
        figures.order_fill_rate_pct = figures.totals.order_fill_rate_pct();
        figures.perfect_order_pct = percent(figures.perfect_orders, figures.closed_orders);
    }

    let weeks = period
        .weeks()
        .iter()
        .map(|week| {
            let mut totals = OrderTotals::default();
            for offset in 0..week.days() {
                totals.merge(&order_totals(day_facts(week.day(offset))));
            }
            WeekPoint {
                start: week.from,
                orders: totals.orders,
                backorder_rate_pct: totals.backorder_rate_pct(),
                fill_rate_pct: totals.fill_rate_pct(),
            }
        })
        .collect();
    let (promise_weeks, promise_suppliers) = promise_figures(
        store,
        &rollup.promise_days,
        period,
        &mut current,
        &mut before,
    )?;
    let open_backorders_per_day = observed(period, request.today).map_or_else(Vec::new, |span| {
        (0..span.days())
            .map(|offset| {
                let day = span.day(offset);
                (day, day_facts(day).waiting_lines)
            })
            .collect()
    });

    let demand: HashMap<ProductId, i64> = rollup.sums[0]
        .entries()
        .iter()
        .map(|(id, units, _)| (*id, *units))
        .collect();
    let mut stockouts = rollup.stockout_days.clone();
    let most_stockouts = most_stockouts(store, &mut stockouts, &demand, period.days())?;
    let open_lines = store.kpi_open_lines_with(&rollup.now)?;
    let lowest_cover = lowest_cover(store, &open_lines.available, &demand, period.days())?;

    // ABC: every active product, with 0 for those that sold nothing.
    let archived = rollup.now.archived();
    let mut revenue: Vec<i64> = rollup.sums[1]
        .entries()
        .iter()
        .filter(|(id, ..)| !archived.contains(id))
        .map(|(_, _, cents)| *cents)
        .collect();
    revenue.resize(revenue.len().max(products.max(0) as usize), 0);

    Ok(Dashboard {
        request: request.clone(),
        current,
        previous: before,
        late_inbound_lines: store.kpi_late_inbound(request.today, &Scope::All)?,
        suppliers: supplier_lead_times(store, period, &Scope::All)?,
        weeks,
        open_backorders_per_day,
        open_backorder_ages: ages_of(&open_lines.waiting_by_order_day, request.today),
        most_stockouts,
        lowest_cover,
        abc: abc_from_revenue(&revenue),
        cancellations: store.kpi_cancellations_all(period.from, period.to, request.today)?,
        promise_weeks,
        promise_suppliers,
        promise_target_pct: promise_target_pct(store)?,
    })
}

fn order_totals(facts: &DayFacts) -> OrderTotals {
    OrderTotals {
        orders: facts.orders,
        backordered_orders: facts.backordered_orders,
        units: facts.units,
        units_short: facts.units_short,
    }
}

/// Lead times per supplier over the PO lines received in `period`.
fn supplier_lead_times(
    store: &Store,
    period: Period,
    scope: &Scope,
) -> Result<Vec<SupplierLeadTime>> {
    let mut receipts: Vec<(String, Vec<Receipt>)> = Vec::new();
    for (supplier, receipt) in store.kpi_receipts(period.from, period.to, scope)? {
        match receipts.last_mut() {
            Some((name, list)) if *name == supplier => list.push(receipt),
            _ => receipts.push((supplier, vec![receipt])),
        }
    }
    Ok(receipts
        .into_iter()
        .filter_map(|(supplier, list)| {
            lead_time_stats(&list).map(|stats| SupplierLeadTime { supplier, stats })
        })
        .collect())
}

/// Lines waiting now (per order day), by age.
fn ages_of(waiting: &[(NaiveDate, i64)], today: NaiveDate) -> [i64; AGE_BUCKET_LABELS.len()] {
    let mut ages = [0i64; AGE_BUCKET_LABELS.len()];
    for (ordered_on, lines) in waiting {
        ages[age_bucket((today - *ordered_on).num_days())] += lines;
    }
    ages
}

/// The SKUs with the most stockout days (`stockouts`: per product), most first.
fn most_stockouts(
    store: &Store,
    stockouts: &mut Vec<(ProductId, i64)>,
    demand: &HashMap<ProductId, i64>,
    days: i64,
) -> Result<Vec<SkuFigure>> {
    stockouts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    stockouts.truncate(LIST_LENGTH);
    let avg_of = |id: ProductId| demand.get(&id).copied().unwrap_or(0) as f64 / days as f64;
    let listed: Vec<ProductId> = stockouts.iter().map(|(id, _)| *id).collect();
    Ok(store
        .kpi_products(&listed)?
        .into_iter()
        .zip(stockouts.iter())
        .map(|(product, (_, days))| {
            let avg = avg_of(product.product_id);
            SkuFigure {
                days_of_cover: days_of_cover(product.available, avg),
                avg_daily_demand: avg,
                stockout_days: *days,
                product,
            }
        })
        .collect())
}

fn add_closed(figures: &mut Figures, order: &ClosedOrder, handling_days: i64) {
    figures.closed_orders += 1;
    if order.is_perfect(handling_days) {
        figures.perfect_orders += 1;
    }
}

/// The SKUs with demand in the period and the fewest days of cover (available ÷ average daily
/// demand), fewest first.
fn lowest_cover(
    store: &Store,
    available: &[(ProductId, i64)],
    demand: &HashMap<ProductId, i64>,
    days: i64,
) -> Result<Vec<SkuFigure>> {
    let mut candidates: Vec<(f64, ProductId, f64)> = available
        .iter()
        .filter_map(|(id, available)| {
            let units = *demand.get(id)?;
            let avg = units as f64 / days.max(1) as f64;
            days_of_cover(*available, avg).map(|cover| (cover, *id, avg))
        })
        .collect();
    // The lowest LIST_LENGTH in order (ids are unique, so the order is total).
    let order = |a: &(f64, ProductId, f64), b: &(f64, ProductId, f64)| {
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    };
    if candidates.len() > LIST_LENGTH {
        candidates.select_nth_unstable_by(LIST_LENGTH, order);
        candidates.truncate(LIST_LENGTH);
    }
    candidates.sort_unstable_by(order);
    let ids: Vec<ProductId> = candidates.iter().map(|(_, id, _)| *id).collect();
    Ok(store
        .kpi_products(&ids)?
        .into_iter()
        .zip(&candidates)
        .map(|(product, (cover, _, avg))| SkuFigure {
            product,
            stockout_days: 0,
            avg_daily_demand: *avg,
            days_of_cover: Some(*cover),
        })
        .collect())
}

/// ABC classes by the revenue of the 12 months up to `to` (the whole catalog), with the Pareto
/// curve.
pub fn abc_summary(store: &Store, to: NaiveDate) -> Result<AbcSummary> {
    let window = abc_window(to);
    let revenue: Vec<i64> = store
        .revenue_by_product(window.from, window.to)?
        .into_iter()
        .map(|(_, cents)| cents)
        .collect();
    Ok(abc_from_revenue(&revenue))
}

/// The 12 months that end with `to`.
fn abc_window(to: NaiveDate) -> Period {
    let from = to
        .checked_sub_months(Months::new(12))
        .and_then(|day| day.succ_opt())
        .unwrap_or(to);
    Period { from, to }
}

/// ABC classes and the Pareto curve of the revenue per product (every product of the catalog).
///
/// The classes and the curve depend only on the revenue values, not on which product has which,
/// so `revenue` is one value per product in any order.
fn abc_from_revenue(revenue: &[i64]) -> AbcSummary {
    let mut summary = AbcSummary::default();
    let mut sorted = revenue.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    for (index, (products, cents)) in class_totals(&sorted).into_iter().enumerate() {
        summary.products[index] += products;
        summary.revenue_cents[index] += cents;
    }
    let curve = pareto_curve(revenue);
    let n = curve.len();
    if n > 0 {
        let step = n.div_ceil(PARETO_POINTS).max(1);
        summary.pareto.push((0.0, 0.0));
        for index in (step - 1..n).step_by(step) {
            summary
                .pareto
                .push(((index + 1) as f64 * 100.0 / n as f64, curve[index]));
        }
        if (n - 1) % step != step - 1 {
            summary.pareto.push((100.0, curve[n - 1]));
        }
    }
    summary
}

/// The projected stock of one SKU.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub sku: String,
    pub name: String,
    pub product_id: ProductId,
    /// On hand minus the units of open order lines.
    pub start: i64,
    pub avg_daily_demand: f64,
    pub sd_daily_demand: f64,
    pub lead_time_days: i64,
    pub safety_stock: f64,
    pub reorder_point: f64,
    /// Open PO units by day offset from today (overdue ones on day 0); undated ones are left out.
    pub receipts: Vec<(i64, i64)>,
    /// Projected units at the end of day 0 ..= `PROJECTION_DAYS`.
    pub points: Vec<f64>,
    pub stockout: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// The projection of `sku` with the demand of `period`; `None` for an unknown SKU.
pub fn projection(
    store: &Store,
    sku: &str,
    period: &Period,
    today: NaiveDate,
) -> Result<Option<Projection>> {
    let Some(plan) = store.kpi_product_plan(sku)? else {
        return Ok(None);
    };
    let demand = store.kpi_product_demand(plan.product_id, period.from, period.to)?;
    let days = daily_demand(&demand, period);
    let (avg, sd) = mean_sd(&days).unwrap_or((0.0, 0.0));
    let lead = plan.lead_time_days.unwrap_or(DEFAULT_LEAD_TIME_DAYS);
    let receipts: Vec<(i64, i64)> = plan
        .inbound
        .iter()
        .filter_map(|(expected, units)| {
            expected.map(|day| ((day - today).num_days().max(0), *units))
        })
        .collect();
    let start = plan.on_hand - plan.open_order_units;
    let points = project_stock(start, &receipts, avg, PROJECTION_DAYS);
    let stockout =
        projected_stockout(&points).map(|offset| add_days_saturating(today, offset as i64));
    Ok(Some(Projection {
        sku: plan.sku,
        name: plan.name,
        product_id: plan.product_id,
        start,
        avg_daily_demand: avg,
        sd_daily_demand: sd,
        lead_time_days: lead,
        safety_stock: safety_stock(sd, lead),
        reorder_point: reorder_point(avg, sd, lead),
        receipts,
        points,
        stockout,
        today,
    }))
}

/// The charts whose numbers can be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Rates,
    Promises,
    OpenBackorders,
    LeadTimes,
    Pareto,
    Projection,
}

impl Chart {
    pub fn title(self) -> &'static str {
        match self {
            Self::Rates => "Backorder rate and fill rate per week",
            Self::Promises => "Promises kept per week",
            Self::OpenBackorders => "Open backorders over time",
            Self::LeadTimes => "Supplier lead times",
            Self::Pareto => "Pareto and ABC classes",
            Self::Projection => "Projected stock",
        }
    }

    /// File name stem for saved files.
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::Rates => "backorder-and-fill-rate",
            Self::Promises => "promises-kept",
            Self::OpenBackorders => "open-backorders",
            Self::LeadTimes => "supplier-lead-times",
            Self::Pareto => "pareto-abc",
            Self::Projection => "projected-stock",
        }
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// The numbers behind a chart as a header and rows (empty cells for undefined values).
pub fn chart_table(
    chart: Chart,
    dashboard: &Dashboard,
    projection: Option<&Projection>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let header = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
    match chart {
        Chart::Rates => (
            header(&[
                "week_start",
                "orders",
                "backorder_rate_pct",
                "fill_rate_pct",
            ]),
            dashboard
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        w.start.to_string(),
                        w.orders.to_string(),
                        number(w.backorder_rate_pct),
                        number(w.fill_rate_pct),
                    ]
                })
                .collect(),
        ),
        Chart::Promises => (
            header(&[
                "week_start",
                "promised_lines_shipped",
                "promise_kept_pct",
                "promise_inside_pct",
            ]),
            dashboard
                .promise_weeks
                .iter()
                .map(|w| {
                    vec![
                        w.start.to_string(),
                        w.lines.to_string(),
                        number(w.kept_pct),
                        number(w.inside_pct),
                    ]
                })
                .collect(),
        ),
        Chart::OpenBackorders => (
            header(&["day", "backordered_lines_waiting"]),
            dashboard
                .open_backorders_per_day
                .iter()
                .map(|(day, count)| vec![day.to_string(), count.to_string()])
                .collect(),
        ),
        Chart::LeadTimes => (
            header(&[
                "supplier",
                "receipts",
                "mean_days",
                "sd_days",
                "on_time_pct",
                "min_days",
                "q1_days",
                "median_days",
                "q3_days",
                "max_days",
            ]),
            dashboard
                .suppliers
                .iter()
                .map(|s| {
                    let mut row = vec![
                        s.supplier.clone(),
                        s.stats.receipts.to_string(),
                        number(Some(s.stats.mean_days)),
                        number(Some(s.stats.sd_days)),
                        number(s.stats.on_time_pct),
                    ];
                    row.extend(s.stats.spread.iter().map(|v| number(Some(*v))));
                    row
                })
                .collect(),
        ),
        Chart::Pareto => (
            header(&["products_pct", "cumulative_revenue_pct"]),
            dashboard
                .abc
                .pareto
                .iter()
                .map(|(x, y)| vec![number(Some(*x)), number(Some(*y))])
                .collect(),
        ),
        Chart::Projection => match projection {
            Some(p) => (
                header(&["day", "projected_units", "reorder_point"]),
                p.points
                    .iter()
                    .enumerate()
                    .map(|(offset, units)| {
                        vec![
                            add_days_saturating(p.today, offset as i64).to_string(),
                            number(Some(*units)),
                            number(Some(p.reorder_point)),
                        ]
                    })
                    .collect(),
            ),
            None => (
                header(&["day", "projected_units", "reorder_point"]),
                Vec::new(),
            ),
        },
    }
}
