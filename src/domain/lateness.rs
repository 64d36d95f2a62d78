//! How late suppliers deliver, fitted from received purchase orders, and the promise window
//! that follows from it.
//!
//! The lateness of a receipt is its arrival day minus the day the purchase order first expected
//! it (negative: early). The record is the receipts of the last [`RECORD_DAYS`] days. Dates the
//! supplier confirmed and dates it did not are fitted apart. For each kind of date:
//!
//! 1. **The shop's record**: every receipt of that kind from every supplier, shrunk toward a
//!    default (unconfirmed dates: 0 to 3 days late, each as likely; confirmed dates: on the day)
//!    as if the default were [`PRIOR_WEIGHT`] more receipts.
//! 2. **A supplier's record**: its own receipts, shrunk toward the shop's record the same way:
//!    `P(x) = (receipts x days late + k · P_shop(x)) ÷ (n + k)` with `k` = [`PRIOR_WEIGHT`]. With no
//!    receipts it is the shop's record; with many it is its own.
//! 3. **The window**, in days after the expected date (plus handling): it ends at the smallest
//!    lateness reached by at least the target share of deliveries (setting, default 90%), and
//!    starts at the smallest lateness that more than `1 − target` of deliveries reached, never
//!    before the expected date. So the end is met with the target probability and the window is
//!    no wider than the record makes necessary.
//! 4. **A purchase order already late** (`d` days past its date): the window starts today (or
//!    later, when the record says so) and ends where the target share of the deliveries that were
//!    at least `d` days late had come. Later than every delivery on record, it is taken to be as
//!    late again as it already is (`2d`). A line keeps a window it was given while it can still
//!    be kept (see `promise::holds`), so this moves only new promises and broken ones.

use std::collections::HashMap;

/// Receipts of this many days before today make up the record (suppliers change; so does how
/// the shop dates its orders).
pub const RECORD_DAYS: i64 = 180;
/// How many receipts the prior counts as.
pub const PRIOR_WEIGHT: f64 = 4.0;
/// The share of promises whose window end should be met, in per cent (setting default).
pub const DEFAULT_TARGET_PCT: f64 = 90.0;
/// Lowest and highest target accepted, in per cent.
pub const TARGET_RANGE_PCT: (f64, f64) = (50.0, 99.0);

/// The target a stored `promise_target_pct` setting means, as a fraction: a number of per cent
/// in [`TARGET_RANGE_PCT`], else [`DEFAULT_TARGET_PCT`].
pub fn target_setting(text: Option<&str>) -> f64 {
    text.and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|pct| (TARGET_RANGE_PCT.0..=TARGET_RANGE_PCT.1).contains(pct))
        .unwrap_or(DEFAULT_TARGET_PCT)
        / 100.0
}
/// Without any record, an unconfirmed date is 0 to this many days late (each as likely).
pub const DEFAULT_UNCONFIRMED_MAX_DAYS: i64 = 3;

/// A distribution over whole days of lateness: (days, probability), sorted by days, summing to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    points: Vec<(i64, f64)>,
}

/// Probabilities closer than this count as equal (sums of floating-point shares).
const EPSILON: f64 = 1e-9;

impl Distribution {
    /// The receipts as they are (`None` without any).
    pub fn empirical(days: &[i64]) -> Option<Self> {
        if days.is_empty() {
            return None;
        }
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        let share = 1.0 / sorted.len() as f64;
        let mut points: Vec<(i64, f64)> = Vec::new();
        for day in sorted {
            match points.last_mut() {
                Some(last) if last.0 == day => last.1 += share,
                _ => points.push((day, share)),
            }
        }
        Some(Self { points })
    }

    /// Every day from `low` to `high` (inclusive) as likely.
    pub fn uniform(low: i64, high: i64) -> Self {
        let (low, high) = (low.min(high), low.max(high));
        let share = 1.0 / (high - low + 1) as f64;
        Self {
            points: (low..=high).map(|day| (day, share)).collect(),
        }
    }

    /// Always `day`.
    pub fn point(day: i64) -> Self {
        Self {
            points: vec![(day, 1.0)],
        }
    }

    /// `own` receipts shrunk toward `prior`: `(count_x + weight · prior(x)) ÷ (n + weight)`.
    pub fn shrunk(own: &[i64], prior: &Self, weight: f64) -> Self {
        let Some(empirical) = Self::empirical(own) else {
            return prior.clone();
        };
        let n = own.len() as f64;
        let weight = weight.max(0.0);
        Self::mixture(&[(&empirical, n), (prior, weight)])
    }

    /// A weighted mixture of distributions (weights need not sum to 1).
    pub fn mixture(parts: &[(&Self, f64)]) -> Self {
        let total: f64 = parts.iter().map(|(_, weight)| weight.max(0.0)).sum();
        let mut merged: HashMap<i64, f64> = HashMap::new();
        for (part, weight) in parts {
            for (day, p) in &part.points {
                *merged.entry(*day).or_default() += p * weight.max(0.0) / total.max(EPSILON);
            }
        }
        let mut points: Vec<(i64, f64)> = merged.into_iter().filter(|(_, p)| *p > 0.0).collect();
        points.sort_unstable_by_key(|(day, _)| *day);
        Self { points }
    }

    pub fn points(&self) -> &[(i64, f64)] {
        &self.points
    }

    /// `P(X ≤ day)`.
    pub fn cdf(&self, day: i64) -> f64 {
        self.points
            .iter()
            .take_while(|(x, _)| *x <= day)
            .map(|(_, p)| p)
            .sum()
    }

    /// The smallest lateness `x` with `P(X ≤ x) ≥ share` (`share` in 0..=1).
    pub fn quantile(&self, share: f64) -> i64 {
        let mut cumulative = 0.0;
        for (day, p) in &self.points {
            cumulative += p;
            if cumulative >= share - EPSILON {
                return *day;
            }
        }
        self.points.last().map_or(0, |(day, _)| *day)
    }

    /// The smallest `x ≥ at_least` with `P(X ≤ x | X ≥ at_least) ≥ share`; `None` when no
    /// delivery on record was that late.
    pub fn quantile_at_least(&self, at_least: i64, share: f64) -> Option<i64> {
        let tail: Vec<&(i64, f64)> = self.points.iter().filter(|(x, _)| *x >= at_least).collect();
        let mass: f64 = tail.iter().map(|(_, p)| p).sum();
        if mass <= EPSILON {
            return None;
        }
        let mut cumulative = 0.0;
        for (day, p) in &tail {
            cumulative += p / mass;
            if cumulative >= share - EPSILON {
                return Some(*day);
            }
        }
        tail.last().map(|(day, _)| *day)
    }
}

/// Receipts of one record and how many of them a window holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub receipts: usize,
    /// Receipts no later than the window's end.
    pub by_end: usize,
    /// Receipts from the window's start to its end.
    pub inside: usize,
}

impl Tally {
    fn count(days: &[i64], start: i64, end: i64) -> Self {
        Self {
            receipts: days.len(),
            by_end: days.iter().filter(|&&x| x <= end).count(),
            inside: days.iter().filter(|&&x| (start..=end).contains(&x)).count(),
        }
    }
}

/// The fitted lateness of one supplier for one kind of date, and its window.
#[derive(Debug, Clone, PartialEq)]
pub struct LatenessFit {
    pub distribution: Distribution,
    /// Days after the expected date (before handling) the window starts and ends.
    pub start_days: i64,
    pub end_days: i64,
    /// Share of deliveries the end should hold (0.5..=0.99).
    pub target: f64,
    /// The naive rule: the expected date itself, no spread (kept for comparison).
    pub naive: bool,
    /// The supplier's own receipts of this kind.
    pub own: Tally,
    /// The shop's receipts of this kind (every supplier).
    pub shop: Tally,
}

impl LatenessFit {
    /// Fits `own` receipts (days late) shrunk toward `prior`; `shop` are the receipts behind the
    /// prior (for the explanation).
    pub fn fit(own: &[i64], prior: &Distribution, shop: &[i64], target: f64) -> Self {
        let distribution = Distribution::shrunk(own, prior, PRIOR_WEIGHT);
        let (start_days, end_days) = window_offsets(&distribution, target);
        Self {
            own: Tally::count(own, start_days, end_days),
            shop: Tally::count(shop, start_days, end_days),
            distribution,
            start_days,
            end_days,
            target,
            naive: false,
        }
    }

    /// The naive rule: the expected date, no spread.
    pub fn naive() -> Self {
        Self {
            distribution: Distribution::point(0),
            start_days: 0,
            end_days: 0,
            target: DEFAULT_TARGET_PCT / 100.0,
            naive: true,
            own: Tally::default(),
            shop: Tally::default(),
        }
    }

    /// The window's offsets (start, end) in days after the expected date for a purchase order
    /// `overdue_days` past its date (0 or less: not late yet). See the module documentation.
    pub fn offsets(&self, overdue_days: i64) -> (i64, i64) {
        if overdue_days <= 0 {
            return (self.start_days, self.end_days);
        }
        if self.naive {
            return (overdue_days, overdue_days);
        }
        let end = self
            .distribution
            .quantile_at_least(overdue_days, self.target)
            .unwrap_or(2 * overdue_days);
        let start = self.start_days.max(overdue_days);
        (start, end.max(start))
    }

    /// Whether a purchase order `overdue_days` late is later than every delivery on record.
    pub fn beyond_record(&self, overdue_days: i64) -> bool {
        !self.naive
            && overdue_days > 0
            && self
                .distribution
                .quantile_at_least(overdue_days, self.target)
                .is_none()
    }
}

/// Window offsets (start, end) of a distribution for a target share: see the module docs.
pub fn window_offsets(distribution: &Distribution, target: f64) -> (i64, i64) {
    let target = target.clamp(0.5, 0.999);
    let end = distribution.quantile(target);
    let start = distribution.quantile(1.0 - target).max(0);
    (start.min(end.max(0)), end.max(start))
}

/// One supplier's fits: dates it confirmed, and dates it did not.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierLateness {
    pub unconfirmed: LatenessFit,
    pub confirmed: LatenessFit,
}

impl SupplierLateness {
    /// The naive rule for both kinds of date.
    pub fn naive() -> Self {
        Self {
            unconfirmed: LatenessFit::naive(),
            confirmed: LatenessFit::naive(),
        }
    }

    /// The fit without any receipt anywhere (the defaults) at `target`.
    pub fn without_record(target: f64) -> Self {
        ShopLateness::fit(&[], target).fallback
    }

    pub fn for_date(&self, confirmed: bool) -> &LatenessFit {
        if confirmed {
            &self.confirmed
        } else {
            &self.unconfirmed
        }
    }
}

/// One received purchase-order line as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatenessRecord {
    pub supplier_id: i64,
    pub confirmed: bool,
    /// Arrival day − first expected day.
    pub days_late: i64,
}

/// The fitted lateness of every supplier of a shop.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopLateness {
    pub target: f64,
    suppliers: HashMap<i64, SupplierLateness>,
    /// For a supplier without receipts (or a product without supplier): the shop's record.
    fallback: SupplierLateness,
}

/// The default lateness of a kind of date when nothing is on record.
pub fn default_prior(confirmed: bool) -> Distribution {
    if confirmed {
        Distribution::point(0)
    } else {
        Distribution::uniform(0, DEFAULT_UNCONFIRMED_MAX_DAYS)
    }
}

impl ShopLateness {
    /// Fits every supplier from the receipts at `target` (a share, e.g. 0.9).
    pub fn fit(records: &[LatenessRecord], target: f64) -> Self {
        let target = target.clamp(TARGET_RANGE_PCT.0 / 100.0, TARGET_RANGE_PCT.1 / 100.0);
        let days_of = |confirmed: bool, supplier: Option<i64>| -> Vec<i64> {
            records
                .iter()
                .filter(|r| r.confirmed == confirmed && supplier.is_none_or(|s| r.supplier_id == s))
                .map(|r| r.days_late)
                .collect()
        };
        let shop_days = [days_of(false, None), days_of(true, None)];
        let priors = [
            Distribution::shrunk(&shop_days[0], &default_prior(false), PRIOR_WEIGHT),
            Distribution::shrunk(&shop_days[1], &default_prior(true), PRIOR_WEIGHT),
        ];
        let fit_supplier = |supplier: Option<i64>| SupplierLateness {
            unconfirmed: LatenessFit::fit(
                &supplier.map_or_else(Vec::new, |s| days_of(false, Some(s))),
                &priors[0],
                &shop_days[0],
                target,
            ),
            confirmed: LatenessFit::fit(
                &supplier.map_or_else(Vec::new, |s| days_of(true, Some(s))),
                &priors[1],
                &shop_days[1],
                target,
            ),
        };
        let mut ids: Vec<i64> = records.iter().map(|r| r.supplier_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let suppliers = ids
            .into_iter()
            .map(|id| (id, fit_supplier(Some(id))))
            .collect();
        Self {
            target,
            suppliers,
            fallback: fit_supplier(None),
        }
    }

    /// The fits of a supplier (the shop's record when it has no receipts).
    pub fn for_supplier(&self, supplier_id: Option<i64>) -> &SupplierLateness {
        supplier_id
            .and_then(|id| self.suppliers.get(&id))
            .unwrap_or(&self.fallback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn quantiles_of_a_record_by_hand() {
        // Ten deliveries: 0, 1, 1, 2, 3, 3, 3, 4, 4, 9 days late.
        let days = [0, 1, 1, 2, 3, 3, 3, 4, 4, 9];
        let record = Distribution::empirical(&days).expect("receipts");
        // P(X ≤ 3) = 7/10, P(X ≤ 4) = 9/10: the 90% point is 4 ("late by up to 4 days on 9 of
        // 10 deliveries"); P(X ≤ 0) = 1/10 reaches 10%: the window starts on the expected day.
        assert!(approx(record.cdf(3), 0.7));
        assert_eq!(record.quantile(0.9), 4);
        assert_eq!(record.quantile(0.5), 3);
        assert_eq!(record.quantile(0.1), 0);
        assert_eq!(window_offsets(&record, 0.9), (0, 4));
        // 80%: P(X ≤ 3) = 0.7 < 0.8 ≤ 0.9 → still 4; the start is the 20% point, 1.
        assert_eq!(window_offsets(&record, 0.8), (1, 4));
        // Given it is at least 5 days late, only the 9 is left.
        assert_eq!(record.quantile_at_least(5, 0.9), Some(9));
        // Given at least 4: 4, 4, 9 → 2/3 by 4, all by 9.
        assert_eq!(record.quantile_at_least(4, 0.6), Some(4));
        assert_eq!(record.quantile_at_least(4, 0.9), Some(9));
        assert_eq!(record.quantile_at_least(10, 0.9), None);
    }

    #[test]
    fn early_deliveries_do_not_open_the_window_before_the_date() {
        // Always 1–3 days early: the window is the expected day itself.
        let record = Distribution::empirical(&[-3, -2, -1, -1, -2]).expect("receipts");
        assert_eq!(window_offsets(&record, 0.9), (0, 0));
        // Always 2–5 days late: the window starts late too.
        let late = Distribution::empirical(&[2, 3, 3, 4, 5, 2, 3, 4, 4, 5]).expect("receipts");
        // P(X ≤ 2) = 0.2 ≥ 0.1 → start 2; P(X ≤ 4) = 0.8, P(X ≤ 5) = 1 → end 5.
        assert_eq!(window_offsets(&late, 0.9), (2, 5));
    }

    #[test]
    fn shrinkage_with_0_1_2_and_many_receipts() {
        let prior = default_prior(false);
        // The default: 0, 1, 2, 3 days late, each 1/4: window 0–3 (the 90% point is 3).
        assert_eq!(window_offsets(&prior, 0.9), (0, 3));
        // 0 receipts: the prior itself.
        let none = LatenessFit::fit(&[], &prior, &[], 0.9);
        assert_eq!(none.distribution, prior);
        assert_eq!((none.start_days, none.end_days), (0, 3));
        // 1 receipt, 5 days late, k = 4: P = (δ5 + 4 × prior) / 5 → 0.2 on each of 0, 1, 2,
        // 3, 5. Cumulative 0.2, 0.4, 0.6, 0.8, 1.0: the 90% point is 5.
        let one = LatenessFit::fit(&[5], &prior, &[5], 0.9);
        assert!(approx(one.distribution.cdf(3), 0.8));
        assert!(approx(one.distribution.cdf(4), 0.8));
        assert_eq!((one.start_days, one.end_days), (0, 5));
        assert_eq!(
            one.own,
            Tally {
                receipts: 1,
                by_end: 1,
                inside: 1
            }
        );
        // 2 receipts, both 1 day late: P = (2 δ1 + 4 × prior) / 6 → 1/6, 1/2, 1/6, 1/6 on
        // 0, 1, 2, 3. Cumulative 0.17, 0.67, 0.83, 1: still 0–3 (two receipts prove little).
        let two = LatenessFit::fit(&[1, 1], &prior, &[1, 1], 0.9);
        assert!(approx(two.distribution.cdf(1), 4.0 / 6.0));
        assert!(approx(two.distribution.cdf(2), 5.0 / 6.0));
        assert_eq!((two.start_days, two.end_days), (0, 3));
        // 40 receipts, all 2 days late: P(2) = (40 + 1) / 44, 1/44 on 0, 1, 3. Cumulative at
        // 1 is 2/44 = 0.045 < 0.1, at 2 it is 43/44 = 0.98: a single day, 2 days late.
        let many = LatenessFit::fit(&[2; 40], &prior, &[2; 40], 0.9);
        assert!(approx(many.distribution.cdf(1), 2.0 / 44.0));
        assert!(approx(many.distribution.cdf(2), 43.0 / 44.0));
        assert_eq!((many.start_days, many.end_days), (2, 2));
    }

    #[test]
    fn the_shop_record_is_the_prior_of_each_supplier() {
        // Supplier 1: eight receipts 4 days late. Supplier 2: none.
        let records: Vec<LatenessRecord> = (0..8)
            .map(|_| LatenessRecord {
                supplier_id: 1,
                confirmed: false,
                days_late: 4,
            })
            .collect();
        let shop = ShopLateness::fit(&records, 0.9);
        // Shop record: (8 δ4 + 4 × U{0..3}) / 12 → 1/12 on each of 0..3, 8/12 on 4. Cumulative
        // 0.083 at 0 (below 10%), 0.167 at 1: start 1; 0.33 at 3, 1 at 4: end 4.
        let newcomer = shop.for_supplier(Some(2));
        assert_eq!(
            (
                newcomer.unconfirmed.start_days,
                newcomer.unconfirmed.end_days
            ),
            (1, 4)
        );
        assert_eq!(newcomer.unconfirmed.own.receipts, 0);
        assert_eq!(newcomer.unconfirmed.shop.receipts, 8);
        // Supplier 1: (8 δ4 + 4 × shop) / 12 → 4 has (8 + 4 × 8/12) / 12 = 0.889, each of
        // 0..3 has (4/12) / 12 = 0.028: cumulative at 3 is 0.111 ≥ 0.1 → start 3, end 4.
        let regular = shop.for_supplier(Some(1));
        assert_eq!(
            (regular.unconfirmed.start_days, regular.unconfirmed.end_days),
            (3, 4)
        );
        assert_eq!(regular.unconfirmed.own.by_end, 8);
        // Confirmed dates: nothing on record anywhere, so on the day.
        assert_eq!(
            (regular.confirmed.start_days, regular.confirmed.end_days),
            (0, 0)
        );
        assert_eq!(shop.for_supplier(None), shop.for_supplier(Some(99)));
    }

    #[test]
    fn a_late_order_is_dated_from_the_deliveries_that_were_that_late() {
        let days = [0, 1, 1, 2, 3, 3, 3, 4, 4, 9];
        let record = Distribution::empirical(&days).expect("receipts");
        let fit = LatenessFit::fit(&days, &record, &[], 0.9);
        assert_eq!((fit.start_days, fit.end_days), (0, 4));
        // 2 days late: of the 7 deliveries at least 2 days late (2, 3, 3, 3, 4, 4, 9), 6/7 =
        // 86% came by 4 and all by 9: the window runs from today to 9 days after the date.
        assert_eq!(fit.offsets(2), (2, 9));
        // 5 days late: only the 9 was that late.
        assert_eq!(fit.offsets(5), (5, 9));
        assert_eq!(fit.offsets(9), (9, 9));
        // 10 days late: later than every delivery, taken to be as late again: 2 × 10 = 20.
        assert_eq!(fit.offsets(10), (10, 20));
        assert!(fit.beyond_record(10));
        assert!(!fit.beyond_record(5));
        assert!(!fit.beyond_record(0));
        // Not late yet: the window as fitted.
        assert_eq!(fit.offsets(-3), (0, 4));
        // The naive rule follows today.
        assert_eq!(LatenessFit::naive().offsets(3), (3, 3));
        assert_eq!(LatenessFit::naive().offsets(-2), (0, 0));
    }
}
