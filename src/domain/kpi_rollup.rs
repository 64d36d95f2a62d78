//! Pre-aggregated KPI facts: what one day adds to the unscoped dashboard, the first day a changed
//! order line makes stale, the stockout scan that turns waits and the ledger into per-day counts
//! and per-product runs, and per-product sums of order lines over a window of days.
//!
//! Everything here is additive per day, so a period's figures are the sum of its days; the
//! formulas that turn sums into rates stay in `domain::kpi`.

use chrono::NaiveDate;

use super::ids::ProductId;
use super::limits::add_days_saturating;

use super::kpi::{Period, WaitInterval, waiting_per_day};

/// What one day contributes to the dashboard of all products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayFacts {
    /// Orders placed on the day (cancelled ones included).
    pub orders: i64,
    /// Of those, orders with a unit not filled from stock when ordered.
    pub backordered_orders: i64,
    pub units: i64,
    pub units_short: i64,
    /// Orders closed (shipped or cancelled) on the day, and how many were perfect.
    pub closed_orders: i64,
    pub perfect_orders: i64,
    /// Lines short when ordered that shipped on the day, and the sum of their waits in days.
    pub waited_lines: i64,
    pub wait_days: i64,
    /// The ledger's change of inventory value on the day (at current unit cost), cents.
    pub value_change_cents: i64,
    /// Units shipped on the day × current unit cost, cents.
    pub cogs_cents: i64,
    /// Lines short when ordered still waiting at the end of the day.
    pub waiting_lines: i64,
    /// Products at zero or less on hand at the end of the day while a line of theirs waited.
    pub stockout_skus: i64,
}

impl DayFacts {
    pub fn merge(&mut self, other: &Self) {
        self.orders += other.orders;
        self.backordered_orders += other.backordered_orders;
        self.units += other.units;
        self.units_short += other.units_short;
        self.closed_orders += other.closed_orders;
        self.perfect_orders += other.perfect_orders;
        self.waited_lines += other.waited_lines;
        self.wait_days += other.wait_days;
        self.value_change_cents += other.value_change_cents;
        self.cogs_cents += other.cogs_cents;
        self.waiting_lines += other.waiting_lines;
        self.stockout_skus += other.stockout_skus;
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One order line with the parts of its order the dashboard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFacts {
    pub product_id: ProductId,
    pub ordered_on: NaiveDate,
    /// The day in the order's `closed_at`, whatever its status.
    pub order_closed_on: Option<NaiveDate>,
    /// The order is shipped or cancelled.
    pub order_closed: bool,
    pub order_cancelled: bool,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub shipped: i64,
    pub cancelled: i64,
    /// Units not filled from stock when ordered.
    pub short: i64,
    pub shipped_on: Option<NaiveDate>,
}

impl LineFacts {
    /// The line's wait, when it had units short when ordered: from the order day to the day it
    /// shipped, else the day its order closed; an open line still waits, and a closed line with
    /// neither date did not wait (the rule of `Store::kpi_wait_intervals`).
    pub fn wait(&self) -> Option<WaitInterval> {
        if self.short <= 0 {
            return None;
        }
        let open = self.quantity > self.shipped + self.cancelled;
        let end = match self.shipped_on.or(self.order_closed_on) {
            Some(day) => Some(day),
            None if open => None,
            None => Some(self.ordered_on),
        };
        Some(WaitInterval {
            start: self.ordered_on,
            end,
        })
    }

    /// Units ordered minus units cancelled, and their revenue in cents.
    pub fn demand(&self) -> (i64, i64) {
        let units = self.quantity - self.cancelled;
        (units, units * self.unit_price_cents)
    }

    /// The day the order counts as closed for the perfect-order rate.
    fn closed_on(&self) -> Option<NaiveDate> {
        if self.order_closed {
            self.order_closed_on
        } else {
            None
        }
    }
}

fn earliest(days: impl IntoIterator<Item = Option<NaiveDate>>) -> Option<NaiveDate> {
    days.into_iter().flatten().min()
}

/// The first day whose facts differ between two versions of one line (`None`: the line did not
/// exist). `None` when no day's facts change.
pub fn first_stale_day(old: Option<&LineFacts>, new: Option<&LineFacts>) -> Option<NaiveDate> {
    if old == new {
        return None;
    }
    let mut stale: Vec<Option<NaiveDate>> = Vec::new();
    // Orders placed: counted on the order day from quantity and short units.
    let placed = |line: Option<&LineFacts>| line.map(|l| (l.ordered_on, l.quantity, l.short));
    if placed(old) != placed(new) {
        stale.push(old.map(|l| l.ordered_on));
        stale.push(new.map(|l| l.ordered_on));
    }
    // Orders closed: on the closing day, from the lines' quantities, shipments and the order.
    let closed = |line: Option<&LineFacts>| {
        line.and_then(|l| {
            l.closed_on().map(|day| {
                (
                    day,
                    l.order_cancelled,
                    l.ordered_on,
                    l.quantity,
                    l.shipped,
                    l.shipped_on,
                )
            })
        })
    };
    if closed(old) != closed(new) {
        stale.push(old.and_then(LineFacts::closed_on));
        stale.push(new.and_then(LineFacts::closed_on));
    }
    // Waits of lines short when ordered: on the day they shipped.
    let waited = |line: Option<&LineFacts>| {
        line.filter(|l| l.short > 0)
            .and_then(|l| l.shipped_on.map(|day| (day, l.ordered_on)))
    };
    if waited(old) != waited(new) {
        stale.push(waited(old).map(|(day, _)| day));
        stale.push(waited(new).map(|(day, _)| day));
    }
    // Waiting lines and stockouts: every day the wait covers, per product.
    let wait = |line: Option<&LineFacts>| line.and_then(|l| l.wait().map(|w| (l.product_id, w)));
    match (wait(old), wait(new)) {
        (Some((old_product, old_wait)), Some((new_product, new_wait)))
            if old_product == new_product && old_wait.start == new_wait.start =>
        {
            if old_wait.end != new_wait.end {
                // Waiting differs only between the two ends (`None`: still waiting).
                stale.push(earliest([old_wait.end, new_wait.end]));
            }
        }
        (old_wait, new_wait) => {
            if old_wait != new_wait {
                stale.push(old_wait.map(|(_, w)| w.start));
                stale.push(new_wait.map(|(_, w)| w.start));
            }
        }
    }
    earliest(stale)
}

/// Stockout days of one product in `period`, as runs of consecutive days (first, last): days
/// whose closing on hand is zero or less while at least one of its waits covers the day (the
/// rule of `domain::kpi::stockout_days`).
///
/// `on_hand_before` is the on hand at the end of the day before the period; `movements` are the
/// ledger's net quantities per day (days outside the period are ignored). Also returns, per day
/// of the period, how many of the waits cover it.
pub fn stockout_runs(
    on_hand_before: i64,
    movements: &[(NaiveDate, i64)],
    waits: &[WaitInterval],
    period: &Period,
) -> (Vec<(NaiveDate, NaiveDate)>, Vec<i64>) {
    let days = period.days().max(0) as usize;
    let mut net = vec![0i64; days];
    for (day, quantity) in movements {
        if period.contains(*day) {
            net[(*day - period.from).num_days() as usize] += quantity;
        }
    }
    let waiting = waiting_per_day(waits, period);
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut on_hand = on_hand_before;
    let mut run_start: Option<usize> = None;
    for (index, quantity) in net.iter().enumerate() {
        on_hand += quantity;
        let out = on_hand <= 0 && waiting.get(index).copied().unwrap_or(0) > 0;
        match (out, run_start) {
            (true, None) => run_start = Some(index),
            (false, Some(start)) => {
                runs.push((period.day(start as i64), period.day(index as i64 - 1)));
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run_start {
        runs.push((period.day(start as i64), period.to));
    }
    (runs, waiting)
}

/// Days of a run (both ends included) that fall in `period`.
pub fn run_overlap(first: NaiveDate, last: NaiveDate, period: &Period) -> i64 {
    let from = first.max(period.from);
    let to = last.min(period.to);
    if from > to {
        0
    } else {
        (to - from).num_days() + 1
    }
}

/// Per product: units ordered minus units cancelled, and their revenue in cents, over a window
/// of days. Kept sorted by product id, without zero entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductSums {
    entries: Vec<(ProductId, i64, i64)>,
}

/// Bytes of one stored entry: product id, units, cents (little-endian `i64`s).
const ENTRY_BYTES: usize = 24;

impl ProductSums {
    /// From entries in any order; entries of the same product are added up.
    pub fn from_entries(mut entries: Vec<(ProductId, i64, i64)>) -> Self {
        entries.sort_unstable_by_key(|entry| entry.0);
        let mut merged: Vec<(ProductId, i64, i64)> = Vec::with_capacity(entries.len());
        for (product, units, cents) in entries {
            match merged.last_mut() {
                Some(last) if last.0 == product => {
                    last.1 += units;
                    last.2 += cents;
                }
                _ => merged.push((product, units, cents)),
            }
        }
        merged.retain(|(_, units, cents)| *units != 0 || *cents != 0);
        Self { entries: merged }
    }

    pub fn entries(&self) -> &[(ProductId, i64, i64)] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Units and cents of one product (zeros when absent).
    pub fn get(&self, product_id: ProductId) -> (i64, i64) {
        match self
            .entries
            .binary_search_by_key(&product_id, |entry| entry.0)
        {
            Ok(index) => (self.entries[index].1, self.entries[index].2),
            Err(_) => (0, 0),
        }
    }

    /// `self + sign × other`, entry by entry.
    #[must_use]
    pub fn combined(&self, other: &Self, sign: i64) -> Self {
        let mut out = Vec::with_capacity(self.entries.len().max(other.entries.len()));
        let (mut a, mut b) = (0, 0);
        while a < self.entries.len() || b < other.entries.len() {
            let left = self.entries.get(a);
            let right = other.entries.get(b);
            let entry = match (left, right) {
                (Some(l), Some(r)) if l.0 == r.0 => {
                    a += 1;
                    b += 1;
                    (l.0, l.1 + sign * r.1, l.2 + sign * r.2)
                }
                (Some(l), Some(r)) if l.0 < r.0 => {
                    a += 1;
                    *l
                }
                (Some(l), None) => {
                    a += 1;
                    *l
                }
                (_, Some(r)) => {
                    b += 1;
                    (r.0, sign * r.1, sign * r.2)
                }
                (None, None) => break,
            };
            if entry.1 != 0 || entry.2 != 0 {
                out.push(entry);
            }
        }
        Self { entries: out }
    }

    /// The stored form: 24 bytes per entry.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.entries.len() * ENTRY_BYTES);
        for (product, units, cents) in &self.entries {
            bytes.extend_from_slice(&product.0.to_le_bytes());
            bytes.extend_from_slice(&units.to_le_bytes());
            bytes.extend_from_slice(&cents.to_le_bytes());
        }
        bytes
    }

    /// Reads the stored form; `None` when the bytes are not a whole number of sorted entries.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if !bytes.len().is_multiple_of(ENTRY_BYTES) {
            return None;
        }
        let number =
            |chunk: &[u8]| -> Option<i64> { Some(i64::from_le_bytes(chunk.try_into().ok()?)) };
        let mut entries = Vec::with_capacity(bytes.len() / ENTRY_BYTES);
        for chunk in bytes.chunks_exact(ENTRY_BYTES) {
            entries.push((
                ProductId(number(&chunk[0..8])?),
                number(&chunk[8..16])?,
                number(&chunk[16..24])?,
            ));
        }
        entries
            .windows(2)
            .all(|pair| pair[0].0 < pair[1].0)
            .then_some(Self { entries })
    }
}

/// Days of `window` not in `other` as at most two ranges (`window` minus `other`).
pub fn days_outside(window: &Period, other: &Period) -> Vec<Period> {
    let mut out = Vec::new();
    if other.to < window.from || other.from > window.to {
        out.push(*window);
        return out;
    }
    if window.from < other.from {
        out.push(Period {
            from: window.from,
            to: add_days_saturating(other.from, -1),
        });
    }
    if window.to > other.to {
        out.push(Period {
            from: add_days_saturating(other.to, 1),
            to: window.to,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
    }

    fn line() -> LineFacts {
        LineFacts {
            product_id: ProductId(1),
            ordered_on: day(2),
            order_closed_on: None,
            order_closed: false,
            order_cancelled: false,
            quantity: 3,
            unit_price_cents: 500,
            shipped: 0,
            cancelled: 0,
            short: 3,
            shipped_on: None,
        }
    }

    #[test]
    fn stale_days() {
        let open = line();
        // A new line: from its order day.
        assert_eq!(first_stale_day(None, Some(&open)), Some(day(2)));
        assert_eq!(first_stale_day(Some(&open), Some(&open)), None);
        // Shipping on 9 Mar: the wait now ends on 9 Mar (days before are unchanged), the order
        // closes on 9 Mar and the wait of 7 days counts on 9 Mar.
        let shipped = LineFacts {
            shipped: 3,
            shipped_on: Some(day(9)),
            order_closed: true,
            order_closed_on: Some(day(9)),
            ..open
        };
        assert_eq!(first_stale_day(Some(&open), Some(&shipped)), Some(day(9)));
        // Cancelled while its order stays open: it no longer waited at all (from 2 Mar).
        let cancelled = LineFacts {
            cancelled: 3,
            ..open
        };
        assert_eq!(first_stale_day(Some(&open), Some(&cancelled)), Some(day(2)));
        // ... but when the order closes in the same change, only the closing day moves.
        let closed = LineFacts {
            order_closed: true,
            order_cancelled: true,
            order_closed_on: Some(day(9)),
            ..cancelled
        };
        assert_eq!(first_stale_day(Some(&open), Some(&closed)), Some(day(9)));
        // A line without short units: a cancellation changes no day (demand is not a day fact).
        let filled = LineFacts { short: 0, ..open };
        let filled_cancelled = LineFacts {
            cancelled: 3,
            ..filled
        };
        assert_eq!(
            first_stale_day(Some(&filled), Some(&filled_cancelled)),
            None
        );
        // A line moved to another product: its whole wait.
        let moved = LineFacts {
            product_id: ProductId(2),
            ..open
        };
        assert_eq!(first_stale_day(Some(&open), Some(&moved)), Some(day(2)));
    }

    #[test]
    fn runs_of_stockout_days() {
        let period = Period::new(day(1), day(6)).expect("period");
        let waits = [WaitInterval {
            start: day(2),
            end: Some(day(6)),
        }];
        // On hand 1; 2 Mar −1 (0), 4 Mar +2 (2), 5 Mar −2 (0). Waiting 2–5 Mar.
        let movements = [(day(2), -1), (day(4), 2), (day(5), -2)];
        let (runs, waiting) = stockout_runs(1, &movements, &waits, &period);
        assert_eq!(runs, vec![(day(2), day(3)), (day(5), day(5))]);
        assert_eq!(waiting, vec![0, 1, 1, 1, 1, 0]);
        let days: i64 = runs.iter().map(|(a, b)| run_overlap(*a, *b, &period)).sum();
        assert_eq!(
            days,
            crate::domain::kpi::stockout_days(1, &movements, &waits, &period)
        );
        assert_eq!(
            run_overlap(day(2), day(3), &Period::new(day(3), day(9)).expect("p")),
            1
        );
        assert_eq!(
            run_overlap(day(2), day(3), &Period::new(day(4), day(9)).expect("p")),
            0
        );
        // Out of stock to the end of the period: the run ends with it.
        let (runs, _) = stockout_runs(0, &[], &waits, &period);
        assert_eq!(runs, vec![(day(2), day(5))]);
    }

    #[test]
    fn product_sums() {
        let p = ProductId;
        let a = ProductSums::from_entries(vec![
            (p(3), 1, 10),
            (p(1), 2, 20),
            (p(3), 1, 10),
            (p(5), 0, 0),
        ]);
        assert_eq!(a.entries(), &[(p(1), 2, 20), (p(3), 2, 20)]);
        let b = ProductSums::from_entries(vec![(p(3), 2, 20), (p(4), 1, 5)]);
        let difference = a.combined(&b, -1);
        assert_eq!(difference.entries(), &[(p(1), 2, 20), (p(4), -1, -5)]);
        assert_eq!(a.combined(&b, 1).get(p(3)), (4, 40));
        assert_eq!(a.get(p(9)), (0, 0));
        let bytes = difference.to_bytes();
        assert_eq!(bytes.len(), 48);
        assert_eq!(ProductSums::from_bytes(&bytes), Some(difference));
        assert_eq!(ProductSums::from_bytes(&bytes[..47]), None);
    }

    #[test]
    fn window_differences() {
        let window = Period::new(day(3), day(9)).expect("p");
        let other = Period::new(day(1), day(5)).expect("p");
        assert_eq!(
            days_outside(&window, &other),
            vec![Period::new(day(6), day(9)).expect("p")]
        );
        assert_eq!(
            days_outside(&other, &window),
            vec![Period::new(day(1), day(2)).expect("p")]
        );
        let inner = Period::new(day(4), day(5)).expect("p");
        assert_eq!(days_outside(&window, &inner).len(), 2);
        assert!(days_outside(&inner, &window).is_empty());
        let apart = Period::new(day(20), day(21)).expect("p");
        assert_eq!(days_outside(&window, &apart), vec![window]);
    }
}
