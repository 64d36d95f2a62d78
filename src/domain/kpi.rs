//! KPI formulas and periods: backorder rate, fill rates, perfect orders, waits, stockout days,
//! inventory turnover, supplier lead times and the projected stock of one SKU.
//!
//! Every function here is pure; the store supplies the counts and the app assembles the
//! dashboard. A value that would need a division by zero is `None` ("—" on screen, `null` in
//! JSON), never a number.

use chrono::NaiveDate;

use super::limits::{add_days, add_days_saturating, check_day};
use super::order::CancelReason;

use super::promise::EtaWindow;

/// Backorder rate target: below this the card is green.
pub const BACKORDER_TARGET_PCT: f64 = 5.0;
/// Backorder rate above this is red; between the target and this it is amber.
pub const BACKORDER_ALERT_PCT: f64 = 10.0;
/// Service factor of the reorder point (95% cycle service level).
pub const SERVICE_Z: f64 = 1.6449;
/// The period shown first: the last 90 days.
pub const DEFAULT_PERIOD_DAYS: i64 = 90;
/// Period presets of the dashboard.
pub const PERIOD_PRESETS: [i64; 3] = [30, 90, 365];
/// Lead time used for a product that has none (nor its supplier).
pub const DEFAULT_LEAD_TIME_DAYS: i64 = 14;
/// Upper bounds (inclusive, days) of the open-backorder age buckets; the last bucket is open.
pub const AGE_BUCKET_BOUNDS: [i64; 4] = [7, 14, 30, 60];
/// Labels of the age buckets, in order.
pub const AGE_BUCKET_LABELS: [&str; 5] = ["0-7 d", "8-14 d", "15-30 d", "31-60 d", "over 60 d"];

/// A range of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A period from `from` to `to` (both included); refused when `from` is after `to` or either
    /// is outside the dates the desk accepts (a period of centuries would be computed day by
    /// day).
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, String> {
        check_day("the first day of the period", from).map_err(|error| error.to_string())?;
        check_day("the last day of the period", to).map_err(|error| error.to_string())?;
        if from > to {
            return Err(format!(
                "the period starts ({from}) after it ends ({to}); choose a start on or before the end"
            ));
        }
        Ok(Self { from, to })
    }

    /// The `days` days that end with `today` (at least one day).
    pub fn last_days(today: NaiveDate, days: i64) -> Self {
        let from = add_days_saturating(today, -(days.max(1) - 1));
        Self { from, to: today }
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of the same length that ends the day before this one starts.
    #[must_use]
    pub fn previous(&self) -> Self {
        let to = add_days_saturating(self.from, -1);
        Self {
            from: add_days_saturating(to, -(self.days() - 1)),
            to,
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Day `index` of the period (0 = `from`).
    pub fn day(&self, index: i64) -> NaiveDate {
        add_days_saturating(self.from, index)
    }

    /// Seven-day buckets from `from`; the last one ends at `to` and may be shorter.
    pub fn weeks(&self) -> Vec<Self> {
        let mut weeks = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = add_days_saturating(start, 6).min(self.to);
            weeks.push(Self {
                from: start,
                to: end,
            });
            match add_days(end, 1) {
                Some(next) => start = next,
                None => break,
            }
        }
        weeks
    }

    /// Index of the seven-day bucket that holds `day`.
    pub fn week_index(&self, day: NaiveDate) -> Option<usize> {
        self.contains(day)
            .then(|| ((day - self.from).num_days() / 7) as usize)
    }
}

/// `part ÷ whole × 100`; `None` when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// [`CancellationCounts::customers_give_up`]: backordered lines cancelled more than this many
/// times as often as in-stock lines …
pub const GIVE_UP_FACTOR: f64 = 2.0;
/// … and at least this share of them, per cent.
pub const GIVE_UP_MIN_PCT: f64 = 5.0;

/// Lines of the orders placed in a period, split by whether units waited when ordered, and how
/// many of each had units cancelled (with the reasons of the backordered ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CancellationCounts {
    /// Lines with units backordered when ordered.
    pub backordered_lines: i64,
    /// … of which some units were cancelled.
    pub backordered_cancelled: i64,
    /// Lines filled from stock when ordered.
    pub in_stock_lines: i64,
    /// … of which some units were cancelled.
    pub in_stock_cancelled: i64,
    /// Cancelled backordered lines by reason (`CancelReason::ALL` order), and without a reason.
    pub reasons: [i64; 4],
    pub no_reason: i64,
}

impl CancellationCounts {
    /// Cancelled backordered lines ÷ backordered lines × 100 (`None` without backordered lines).
    pub fn backorder_cancellation_pct(&self) -> Option<f64> {
        percent(self.backordered_cancelled, self.backordered_lines)
    }

    /// Adds `lines` lines of one kind (`reason`: the cancel reason's code, if any).
    pub fn add_lines(
        &mut self,
        backordered: bool,
        cancelled: bool,
        reason: Option<&str>,
        lines: i64,
    ) {
        if backordered {
            self.backordered_lines += lines;
            if cancelled {
                self.backordered_cancelled += lines;
                match reason.and_then(CancelReason::from_code) {
                    Some(reason) => {
                        let index = CancelReason::ALL
                            .iter()
                            .position(|r| *r == reason)
                            .unwrap_or(3);
                        self.reasons[index] += lines;
                    }
                    None => self.no_reason += lines,
                }
            }
        } else {
            self.in_stock_lines += lines;
            if cancelled {
                self.in_stock_cancelled += lines;
            }
        }
    }

    pub fn merge(&mut self, other: &Self) {
        self.backordered_lines += other.backordered_lines;
        self.backordered_cancelled += other.backordered_cancelled;
        self.in_stock_lines += other.in_stock_lines;
        self.in_stock_cancelled += other.in_stock_cancelled;
        for (mine, theirs) in self.reasons.iter_mut().zip(other.reasons) {
            *mine += theirs;
        }
        self.no_reason += other.no_reason;
    }

    /// Cancelled in-stock lines ÷ in-stock lines × 100.
    pub fn in_stock_cancellation_pct(&self) -> Option<f64> {
        percent(self.in_stock_cancelled, self.in_stock_lines)
    }

    /// The dashboard's alert: backordered lines are cancelled clearly more often than in-stock
    /// lines — more than [`GIVE_UP_FACTOR`] times as often and at least
    /// [`GIVE_UP_MIN_PCT`] % of them — so customers give up waiting. `false` while either share
    /// is unknown (no lines of that kind).
    pub fn customers_give_up(&self) -> bool {
        match (
            self.backorder_cancellation_pct(),
            self.in_stock_cancellation_pct(),
        ) {
            (Some(backordered), Some(in_stock)) => {
                backordered > in_stock * GIVE_UP_FACTOR && backordered >= GIVE_UP_MIN_PCT
            }
            _ => false,
        }
    }
}

/// `a ÷ b`; `None` when `b` is not above zero or either is not a number.
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0 && a.is_finite() && b.is_finite()).then(|| a / b)
}

/// Rounded to 2 decimals (JSON output).
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The change of a KPI against the previous period (`current − previous`; percentage points for
/// rates); `None` when either is undefined.
pub fn change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    Some(current? - previous?)
}

/// How a backorder rate compares with the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// Below 5%.
    Good,
    /// 5% to 10%.
    Warning,
    /// Above 10%.
    Bad,
}

pub fn backorder_band(rate_pct: f64) -> Band {
    if rate_pct < BACKORDER_TARGET_PCT {
        Band::Good
    } else if rate_pct <= BACKORDER_ALERT_PCT {
        Band::Warning
    } else {
        Band::Bad
    }
}

/// Orders placed, with their units: the input of the backorder and fill rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrderTotals {
    /// Orders placed (cancelled ones included).
    pub orders: i64,
    /// Orders with at least one unit not filled from stock when ordered.
    pub backordered_orders: i64,
    /// Units ordered.
    pub units: i64,
    /// Units not filled from stock when ordered.
    pub units_short: i64,
}

impl OrderTotals {
    /// Adds one order of `units` units of which `units_short` were not filled from stock.
    pub fn add_order(&mut self, units: i64, units_short: i64) {
        self.orders += 1;
        self.units += units;
        self.units_short += units_short.clamp(0, units.max(0));
        if units_short > 0 {
            self.backordered_orders += 1;
        }
    }

    pub fn merge(&mut self, other: &Self) {
        self.orders += other.orders;
        self.backordered_orders += other.backordered_orders;
        self.units += other.units;
        self.units_short += other.units_short;
    }

    /// Orders with a unit not filled from stock ÷ orders × 100.
    pub fn backorder_rate_pct(&self) -> Option<f64> {
        percent(self.backordered_orders, self.orders)
    }

    /// Units filled from stock ÷ units ordered × 100.
    pub fn fill_rate_pct(&self) -> Option<f64> {
        percent(self.units - self.units_short, self.units)
    }

    /// Orders filled completely from stock ÷ orders × 100.
    pub fn order_fill_rate_pct(&self) -> Option<f64> {
        percent(self.orders - self.backordered_orders, self.orders)
    }
}

/// A closed order as the perfect-order rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedOrder {
    pub cancelled: bool,
    /// Every line shipped in full (no unit cancelled).
    pub complete: bool,
    /// Day the last line shipped.
    pub shipped_on: Option<NaiveDate>,
    pub ordered_on: NaiveDate,
    /// Latest end of a promised window among its lines, when one was recorded.
    pub promised_end: Option<NaiveDate>,
}

impl ClosedOrder {
    /// The day the order had to ship by: the end of its promised window, or the order day plus
    /// the handling days when nothing was promised.
    pub fn deadline(&self, handling_days: i64) -> NaiveDate {
        self.promised_end
            .unwrap_or_else(|| add_days_saturating(self.ordered_on, handling_days.max(0)))
    }

    /// Shipped complete, not cancelled, and not later than the deadline.
    pub fn is_perfect(&self, handling_days: i64) -> bool {
        !self.cancelled
            && self.complete
            && self
                .shipped_on
                .is_some_and(|day| day <= self.deadline(handling_days))
    }
}

/// Backordered lines that finished shipping and had a first promised window: how many, how
/// many shipped on or before the end of that window (kept), and how many inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PromiseTotals {
    pub lines: i64,
    pub kept: i64,
    pub inside: i64,
}

impl PromiseTotals {
    /// Adds a line first promised `first` that shipped on `shipped_on`.
    pub fn add_line(&mut self, first: EtaWindow, shipped_on: NaiveDate) {
        self.lines += 1;
        if shipped_on <= first.end {
            self.kept += 1;
            if shipped_on >= first.start {
                self.inside += 1;
            }
        }
    }

    pub fn merge(&mut self, other: &Self) {
        self.lines += other.lines;
        self.kept += other.kept;
        self.inside += other.inside;
    }

    /// Shipped on or before the end of the first window ÷ lines × 100.
    pub fn kept_pct(&self) -> Option<f64> {
        percent(self.kept, self.lines)
    }

    /// Shipped inside the first window ÷ lines × 100.
    pub fn inside_pct(&self) -> Option<f64> {
        percent(self.inside, self.lines)
    }
}

/// Days a backordered line waited: from its order day to the day a unit of it could no longer
/// wait (shipped, or the order closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitInterval {
    pub start: NaiveDate,
    /// First day it no longer waits; `None` while it still waits.
    pub end: Option<NaiveDate>,
}

impl WaitInterval {
    /// Waiting at the end of `day`: ordered on or before `day`, and not ended on or before it.
    pub fn waits_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| end > day)
    }
}

/// For each day of `period`, how many intervals wait at the end of that day.
pub fn waiting_per_day(intervals: &[WaitInterval], period: &Period) -> Vec<i64> {
    let days = period.days().max(0) as usize;
    // Difference array over the period: +1 where waiting starts, −1 where it ends.
    let mut delta = vec![0i64; days + 1];
    for interval in intervals {
        let start = interval.start.max(period.from);
        let end = match interval.end {
            Some(end) => end.min(add_days_saturating(period.to, 1)),
            None => add_days_saturating(period.to, 1),
        };
        if start >= end {
            continue;
        }
        delta[(start - period.from).num_days() as usize] += 1;
        delta[(end - period.from).num_days() as usize] -= 1;
    }
    let mut running = 0;
    delta
        .iter()
        .take(days)
        .map(|step| {
            running += step;
            running
        })
        .collect()
}

/// Index into [`AGE_BUCKET_LABELS`] of a backorder `age_days` old.
pub fn age_bucket(age_days: i64) -> usize {
    AGE_BUCKET_BOUNDS
        .iter()
        .position(|&bound| age_days <= bound)
        .unwrap_or(AGE_BUCKET_BOUNDS.len())
}

/// Stockout days of one SKU in `period`: days whose closing on hand (from the ledger) is zero
/// or less while at least one of its backordered lines waited.
///
/// `on_hand_before` is the on hand at the end of the day before the period; `movements` are the
/// ledger's net quantities per day (any order; days outside the period are ignored).
pub fn stockout_days(
    on_hand_before: i64,
    movements: &[(NaiveDate, i64)],
    waits: &[WaitInterval],
    period: &Period,
) -> i64 {
    let days = period.days().max(0) as usize;
    let mut net = vec![0i64; days];
    for (day, quantity) in movements {
        if period.contains(*day) {
            net[(*day - period.from).num_days() as usize] += quantity;
        }
    }
    let waiting = waiting_per_day(waits, period);
    let mut on_hand = on_hand_before;
    let mut count = 0;
    for (index, quantity) in net.iter().enumerate() {
        on_hand += quantity;
        if on_hand <= 0 && waiting.get(index).copied().unwrap_or(0) > 0 {
            count += 1;
        }
    }
    count
}

/// Average inventory value (cents) over `period`: the mean of the closing values of its days.
/// The closing value of a day is today's value minus every ledger change (value) dated after it,
/// so `changes` must hold every day after `period.from` with a change (any order).
pub fn average_inventory(value_now: i64, changes: &[(NaiveDate, i64)], period: &Period) -> f64 {
    let days = period.days().max(1);
    // Value at the end of day d = value_now − Σ changes on days > d.
    let mut after_period: i64 = 0;
    let mut in_period = vec![0i64; days as usize];
    for (day, value) in changes {
        if *day > period.to {
            after_period += value;
        } else if *day > period.from {
            in_period[(*day - period.from).num_days() as usize] += value;
        }
    }
    let mut value = value_now - after_period;
    let mut sum: i128 = 0;
    for index in (0..days as usize).rev() {
        sum += i128::from(value);
        value -= in_period[index];
    }
    sum as f64 / days as f64
}

/// Cost of goods shipped ÷ average inventory value; `None` without inventory.
pub fn turnover(cost_of_goods_shipped: i64, average_inventory: f64) -> Option<f64> {
    ratio(cost_of_goods_shipped as f64, average_inventory)
}

/// Mean and population standard deviation; `None` for no values.
pub fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, variance.sqrt()))
}

/// Minimum, lower quartile, median, upper quartile and maximum of sorted values (quartiles by
/// linear interpolation between closest ranks); `None` for no values.
pub fn five_numbers(sorted: &[f64]) -> Option<[f64; 5]> {
    let last = sorted.len().checked_sub(1)?;
    let at = |q: f64| {
        let position = q * last as f64;
        let below = position.floor() as usize;
        let above = position.ceil() as usize;
        let weight = position - below as f64;
        sorted[below] * (1.0 - weight) + sorted[above] * weight
    };
    Some([sorted[0], at(0.25), at(0.5), at(0.75), sorted[last]])
}

/// One received PO line: days from ordering to arrival, and whether it arrived on or before the
/// date first expected (`None` when no date was expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub lead_days: i64,
    pub on_time: Option<bool>,
}

/// Lead-time figures of one supplier.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadTimeStats {
    pub receipts: usize,
    pub mean_days: f64,
    pub sd_days: f64,
    /// Receipts on or before the expected date ÷ receipts with an expected date × 100.
    pub on_time_pct: Option<f64>,
    /// Min, quartiles, median and max of the lead times.
    pub spread: [f64; 5],
}

pub fn lead_time_stats(receipts: &[Receipt]) -> Option<LeadTimeStats> {
    let mut days: Vec<f64> = receipts.iter().map(|r| r.lead_days as f64).collect();
    let (mean_days, sd_days) = mean_sd(&days)?;
    days.sort_by(f64::total_cmp);
    let spread = five_numbers(&days)?;
    let dated = receipts.iter().filter(|r| r.on_time.is_some()).count();
    let on_time = receipts.iter().filter(|r| r.on_time == Some(true)).count();
    Some(LeadTimeStats {
        receipts: receipts.len(),
        mean_days,
        sd_days,
        on_time_pct: percent(on_time as i64, dated as i64),
        spread,
    })
}

/// Units demanded on each day of `period` (zeros for days without orders).
pub fn daily_demand(units_by_day: &[(NaiveDate, i64)], period: &Period) -> Vec<f64> {
    let mut days = vec![0.0; period.days().max(0) as usize];
    for (day, units) in units_by_day {
        if period.contains(*day) {
            days[(*day - period.from).num_days() as usize] += *units as f64;
        }
    }
    days
}

/// Safety stock by demand variability: Z × σd × √L.
pub fn safety_stock(sd_daily: f64, lead_days: i64) -> f64 {
    SERVICE_Z * sd_daily * (lead_days.max(0) as f64).sqrt()
}

/// Reorder point: average daily demand × lead time + safety stock.
pub fn reorder_point(avg_daily: f64, sd_daily: f64, lead_days: i64) -> f64 {
    avg_daily * lead_days.max(0) as f64 + safety_stock(sd_daily, lead_days)
}

/// Available units ÷ average daily demand; `None` without demand.
pub fn days_of_cover(available: i64, avg_daily: f64) -> Option<f64> {
    ratio(available as f64, avg_daily)
}

/// Projected stock at the end of days `0..=horizon` after today: `start` plus the receipts
/// expected by that day (`(day offset, units)`; overdue ones count on day 0) minus the average
/// daily demand times the day.
pub fn project_stock(
    start: i64,
    receipts: &[(i64, i64)],
    avg_daily: f64,
    horizon: i64,
) -> Vec<f64> {
    (0..=horizon.max(0))
        .map(|day| {
            let arrived: i64 = receipts
                .iter()
                .filter(|(offset, _)| *offset <= day)
                .map(|(_, units)| units)
                .sum();
            (start + arrived) as f64 - avg_daily * day as f64
        })
        .collect()
}

/// First day offset whose projected stock is zero or less.
pub fn projected_stockout(projection: &[f64]) -> Option<usize> {
    projection.iter().position(|units| *units <= 0.0)
}

/// Products ranked by revenue (highest first) with their cumulative share of the total (%);
/// empty when there is no revenue.
pub fn pareto_curve(revenue: &[i64]) -> Vec<f64> {
    let mut sorted: Vec<i64> = revenue.iter().map(|r| (*r).max(0)).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let total: i128 = sorted.iter().map(|r| i128::from(*r)).sum();
    if total == 0 {
        return Vec::new();
    }
    let mut running: i128 = 0;
    sorted
        .iter()
        .map(|r| {
            running += i128::from(*r);
            running as f64 * 100.0 / total as f64
        })
        .collect()
}

/// One of the optional narrowings of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    #[default]
    All,
    Sku(String),
    Supplier(String),
    Category(String),
}

impl Scope {
    pub fn label(&self) -> String {
        match self {
            Self::All => "all products".to_owned(),
            Self::Sku(sku) => format!("SKU {sku}"),
            Self::Supplier(name) => format!("supplier {name}"),
            Self::Category(name) => format!("category {name}"),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "values are rounded (or exact in binary) before they are compared"
)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn cancellations(backordered: (i64, i64), in_stock: (i64, i64)) -> CancellationCounts {
        CancellationCounts {
            backordered_cancelled: backordered.0,
            backordered_lines: backordered.1,
            in_stock_cancelled: in_stock.0,
            in_stock_lines: in_stock.1,
            ..CancellationCounts::default()
        }
    }

    #[test]
    fn customers_give_up_when_backorders_are_cancelled_clearly_more_often() {
        // 3 of 20 backordered lines (15 %) against 5 of 100 in stock (5 %): 15 > 2 × 5, ≥ 5.
        assert!(cancellations((3, 20), (5, 100)).customers_give_up());
        // 1 of 20 (5 %) against 1 of 100 (1 %): at the 5 % floor, more than twice.
        assert!(cancellations((1, 20), (1, 100)).customers_give_up());
        // 4 of 100 (4 %) against 1 of 100 (1 %): four times as often, but under 5 %.
        assert!(!cancellations((4, 100), (1, 100)).customers_give_up());
        // 10 % against 5 %: exactly twice is not clearly more.
        assert!(!cancellations((10, 100), (5, 100)).customers_give_up());
        // 50 % against no in-stock cancellation at all: 50 > 0.
        assert!(cancellations((1, 2), (0, 40)).customers_give_up());
        // A share that cannot be told (no lines of that kind): no alert.
        assert!(!cancellations((0, 0), (5, 100)).customers_give_up());
        assert!(!cancellations((3, 20), (0, 0)).customers_give_up());
    }

    #[test]
    fn periods() {
        let period = Period::last_days(day(3, 31), 30);
        assert_eq!(period.from, day(3, 2));
        assert_eq!(period.days(), 30);
        let previous = period.previous();
        assert_eq!((previous.from, previous.to), (day(1, 31), day(3, 1)));
        assert_eq!(previous.days(), 30);
        // 30 days: weeks of 7, 7, 7, 7, 2.
        let weeks = period.weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!((weeks[4].from, weeks[4].to), (day(3, 30), day(3, 31)));
        assert_eq!(period.week_index(day(3, 9)), Some(1));
        assert_eq!(period.week_index(day(3, 1)), None);
        assert!(Period::new(day(3, 2), day(3, 1)).is_err());
        assert_eq!(Period::new(day(3, 1), day(3, 1)).map(|p| p.days()), Ok(1));
    }

    #[test]
    fn rates_and_undefined_values() {
        let mut totals = OrderTotals::default();
        assert_eq!(totals.backorder_rate_pct(), None);
        assert_eq!(totals.fill_rate_pct(), None);
        // Orders: 4 units all filled; 2 units of which 1 short; 1 unit short.
        totals.add_order(4, 0);
        totals.add_order(2, 1);
        totals.add_order(1, 1);
        assert_eq!(totals.backorder_rate_pct().map(round2), Some(66.67));
        // Units 7, short 2 → 5/7 = 71.43%.
        assert_eq!(totals.fill_rate_pct().map(round2), Some(71.43));
        assert_eq!(totals.order_fill_rate_pct().map(round2), Some(33.33));
        assert_eq!(percent(1, 0), None);
        assert_eq!(ratio(1.0, 0.0), None);
        assert_eq!(change(Some(3.0), Some(5.0)), Some(-2.0));
        assert_eq!(change(Some(3.0), None), None);
    }

    #[test]
    fn bands() {
        assert_eq!(backorder_band(4.99), Band::Good);
        assert_eq!(backorder_band(5.0), Band::Warning);
        assert_eq!(backorder_band(10.0), Band::Warning);
        assert_eq!(backorder_band(10.01), Band::Bad);
    }

    #[test]
    fn perfect_orders() {
        let order = ClosedOrder {
            cancelled: false,
            complete: true,
            shipped_on: Some(day(3, 3)),
            ordered_on: day(3, 1),
            promised_end: None,
        };
        // Order day + 2 handling days = Mar 3: on time; with 1 handling day it is late.
        assert!(order.is_perfect(2));
        assert!(!order.is_perfect(1));
        let promised = ClosedOrder {
            promised_end: Some(day(3, 10)),
            shipped_on: Some(day(3, 10)),
            ..order
        };
        assert!(promised.is_perfect(1));
        assert!(
            !ClosedOrder {
                complete: false,
                ..order
            }
            .is_perfect(5)
        );
        assert!(
            !ClosedOrder {
                cancelled: true,
                ..order
            }
            .is_perfect(5)
        );
    }

    #[test]
    fn promises_kept_and_inside() {
        let first = EtaWindow {
            start: day(3, 3),
            end: day(3, 7),
        };
        let mut totals = PromiseTotals::default();
        assert_eq!(totals.kept_pct(), None);
        // Early (kept, not inside), on the first and last day (both), a day late (neither).
        for shipped in [day(3, 1), day(3, 3), day(3, 7), day(3, 8)] {
            totals.add_line(first, shipped);
        }
        assert_eq!(
            totals,
            PromiseTotals {
                lines: 4,
                kept: 3,
                inside: 2
            }
        );
        assert_eq!(totals.kept_pct(), Some(75.0));
        assert_eq!(totals.inside_pct(), Some(50.0));
    }

    #[test]
    fn waiting_and_stockouts() {
        let period = Period::new(day(3, 1), day(3, 5)).expect("period");
        let waits = [
            // Waits Mar 2, 3 (ships Mar 4).
            WaitInterval {
                start: day(3, 2),
                end: Some(day(3, 4)),
            },
            // Ordered before the period, still waiting.
            WaitInterval {
                start: day(2, 20),
                end: None,
            },
        ];
        assert_eq!(waiting_per_day(&waits, &period), vec![1, 2, 2, 1, 1]);
        // On hand 1 before; Mar 2 −1 (→0), Mar 4 +3 (→3), Mar 5 −3 (→0).
        let movements = [
            (day(3, 2), -1),
            (day(3, 4), 3),
            (day(3, 5), -3),
            (day(2, 1), 50),
        ];
        // Closing on hand: 1, 0, 0, 3, 0; stockout while waiting: Mar 2, 3, 5.
        assert_eq!(stockout_days(1, &movements, &waits, &period), 3);
        assert_eq!(stockout_days(1, &movements, &[], &period), 0);
    }

    #[test]
    fn age_buckets() {
        assert_eq!(age_bucket(0), 0);
        assert_eq!(age_bucket(7), 0);
        assert_eq!(age_bucket(8), 1);
        assert_eq!(age_bucket(30), 2);
        assert_eq!(age_bucket(61), 4);
    }

    #[test]
    fn inventory_and_turnover() {
        let period = Period::new(day(3, 1), day(3, 3)).expect("period");
        // Value today (Mar 5) 1000; changes: Mar 4 +200, Mar 3 −300, Mar 2 +100, Mar 1 +999
        // (Mar 1 is before the first closing value we need, so it does not matter).
        // Closing values: Mar 3 = 1000 − 200 = 800; Mar 2 = 800 + 300 = 1100; Mar 1 = 1100 − 100
        // = 1000. Mean = 2900 / 3.
        let changes = [
            (day(3, 4), 200),
            (day(3, 3), -300),
            (day(3, 2), 100),
            (day(3, 1), 999),
        ];
        let average = average_inventory(1000, &changes, &period);
        assert!((average - 2900.0 / 3.0).abs() < 1e-9);
        assert_eq!(turnover(1450, 2900.0 / 3.0).map(round2), Some(1.5));
        assert_eq!(turnover(10, 0.0), None);
    }

    #[test]
    fn lead_times() {
        let receipts = [
            Receipt {
                lead_days: 10,
                on_time: Some(true),
            },
            Receipt {
                lead_days: 14,
                on_time: Some(false),
            },
            Receipt {
                lead_days: 12,
                on_time: None,
            },
        ];
        let stats = lead_time_stats(&receipts).expect("stats");
        // Mean 12; deviations −2, 2, 0 → variance 8/3, sd 1.633.
        assert!((stats.mean_days - 12.0).abs() < 1e-9);
        assert_eq!(round2(stats.sd_days), 1.63);
        assert_eq!(stats.on_time_pct, Some(50.0));
        assert_eq!(stats.spread, [10.0, 11.0, 12.0, 13.0, 14.0]);
        assert_eq!(lead_time_stats(&[]), None);
    }

    #[test]
    fn reorder_point_and_projection() {
        // Demand 2, 4, 0, 2 → mean 2, sd √2.
        let period = Period::new(day(3, 1), day(3, 4)).expect("period");
        let demand = daily_demand(&[(day(3, 1), 2), (day(3, 2), 4), (day(3, 4), 2)], &period);
        let (mean, sd) = mean_sd(&demand).expect("mean");
        assert!((mean - 2.0).abs() < 1e-9);
        assert!((sd - 2f64.sqrt()).abs() < 1e-9);
        // L = 9: 2 × 9 + 1.6449 × √2 × 3 = 18 + 6.9788 = 24.98.
        assert_eq!(round2(reorder_point(mean, sd, 9)), 24.98);
        assert_eq!(round2(safety_stock(sd, 9)), 6.98);
        // Start 5, 6 units on day 2, demand 2 a day: 5, 3, 7, 5, 3, 1, −1.
        let projection = project_stock(5, &[(2, 6)], 2.0, 6);
        assert_eq!(projection, vec![5.0, 3.0, 7.0, 5.0, 3.0, 1.0, -1.0]);
        assert_eq!(projected_stockout(&projection), Some(6));
        assert_eq!(projected_stockout(&[1.0, 0.5]), None);
        assert_eq!(days_of_cover(10, 2.0), Some(5.0));
        assert_eq!(days_of_cover(10, 0.0), None);
    }

    #[test]
    fn pareto() {
        assert_eq!(
            pareto_curve(&[10, 60, 30, 0]),
            vec![60.0, 90.0, 100.0, 100.0]
        );
        assert!(pareto_curve(&[0, 0]).is_empty());
    }

    #[test]
    fn periods_at_the_ends_of_the_calendar_end() {
        let last = Period {
            from: NaiveDate::MAX,
            to: NaiveDate::MAX,
        };
        assert_eq!(last.weeks(), [last]);
        assert_eq!(last.day(5), NaiveDate::MAX);
        let first = Period {
            from: NaiveDate::MIN,
            to: NaiveDate::MIN,
        };
        assert_eq!(first.previous().to, NaiveDate::MIN);
        assert_eq!(Period::last_days(NaiveDate::MIN, 90).from, NaiveDate::MIN);
        assert!(Period::new(NaiveDate::MIN, NaiveDate::MAX).is_err());
        assert_eq!(
            Period::new(
                NaiveDate::from_ymd_opt(1, 1, 1).expect("date"),
                NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
            ),
            Err(
                "the first day of the period 0001-01-01 is outside the dates this desk accepts \
                 (2000-01-01 to 2100-12-31); check the year"
                    .to_owned()
            )
        );
    }
}
