//! A simulated shop that measures how often promises come true: `backorder-desk simulate`.
//!
//! A synthetic shop runs through `warmup_days` + `days` days (only lines ordered in the last
//! `days` are measured) with the real library on two temporary shop files
//! that differ only in how windows are made: the shop's model (each supplier's record) and the
//! naive rule (the PO's expected date + handling days, no allowance for lateness). Every event
//! happens to both shops, so their orders, stock and purchase orders stay the same; only the
//! promises differ (no event depends on a promise).
//!
//! Each day, in this order:
//! 1. Purchase orders due that day arrive (receipts; the noisy supplier sometimes ships in two
//!    parts), and their stock goes to waiting customers first.
//! 2. Orders that were ready at the end of the day before ship (one handling day).
//! 3. Each waiting line is cancelled by its customer with a small chance.
//! 4. New orders arrive: per product a Poisson number of orders of 1–3 units, with seasonal
//!    demand (a yearly wave and a late-autumn peak).
//! 5. The reorder suggestions (the shop's own rule and settings) become purchase orders, one per
//!    supplier, at the expected date the suggestions give (today + the measured lead time). The
//!    simulator draws when each really arrives: the supplier's quoted lead time plus a lateness
//!    from its profile, whatever date the shop wrote: reliable (confirms its dates, rarely a day
//!    off), noisy (2 days early to 6 late) or chronically late (2 to 9 days late, sometimes 5–10
//!    more).
//!
//! The same seed gives the same report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use thiserror::Error;

use super::Clock;
use super::catalog::{CatalogError, save_product};
use super::jobs::Progress;
use super::orders::{OrderError, OrderInput, cancel_line_because, place_order, ship_order};
use super::purchasing::{PoInput, PurchaseError, create_po, receive};
use super::safety::{SafetyServiceError, draft_pos, reorder_suggestions};
use crate::domain::ProductDraft;
use crate::domain::allocation::Priority;
use crate::domain::kpi::round2;
use crate::domain::order::{CancelReason, ShipPreference};
use crate::domain::rng::Rng;
use crate::store::orders::{OrderFilter, OrderId, order_summaries};
use crate::store::promises::{PromiseOutcomeRow, promise_outcomes, waiting_queues};
use crate::store::settings::{
    DEMAND_WINDOW_DAYS, HANDLING_DAYS, PROMISE_RULE, SERVICE_LEVEL_A, SERVICE_LEVEL_B,
    SERVICE_LEVEL_C,
};
use crate::store::{Store, StoreError};

/// Days simulated when none are given.
pub const DEFAULT_DAYS: u32 = 365;
/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// Days the shop runs before the measured days, when not told otherwise: its reorder rule and
/// its suppliers' records have something to go on, as in a shop that has been trading.
pub const DEFAULT_WARMUP_DAYS: u32 = 90;
/// Most days a run may cover.
pub const MAX_DAYS: u32 = 3_650;
/// Chance per day that a customer cancels a waiting line, in per mille.
const CANCEL_PER_MILLE: u64 = 4;
/// Chance that the noisy supplier ships a purchase order in two parts, in per cent.
const SPLIT_PCT: u64 = 15;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimSpec {
    /// Days measured.
    pub days: u32,
    pub seed: u64,
    /// The first measured day.
    pub start: NaiveDate,
    /// Days the shop runs before `start`; lines ordered then are not counted (0: a new shop
    /// without any record).
    pub warmup_days: u32,
}

impl Default for SimSpec {
    fn default() -> Self {
        Self {
            days: DEFAULT_DAYS,
            seed: DEFAULT_SEED,
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            warmup_days: DEFAULT_WARMUP_DAYS,
        }
    }
}

#[derive(Debug, Error)]
pub enum SimError {
    #[error(
        "the simulation measures 1 to {MAX_DAYS} days after at most {MAX_DAYS} days of warm-up, not {0}"
    )]
    Days(u32),
    #[error("cancelled")]
    Cancelled,
    #[error("the temporary shop file could not be made in '{path}': {source}")]
    TempFile {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Order(#[from] OrderError),
    #[error(transparent)]
    Purchase(#[from] PurchaseError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Safety(#[from] SafetyServiceError),
}

/// How a supplier delivers in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Confirms its dates; on the day 80% of the time, a day early or late, rarely two late.
    Reliable,
    /// 2 days early to 6 days late, each as likely; sometimes ships in two parts.
    Noisy,
    /// 2 to 9 days late, and 15% of the time 5 to 10 days more.
    ChronicallyLate,
}

impl Profile {
    pub const ALL: [Self; 3] = [Self::Reliable, Self::Noisy, Self::ChronicallyLate];

    pub fn code(self) -> &'static str {
        match self {
            Self::Reliable => "reliable",
            Self::Noisy => "noisy",
            Self::ChronicallyLate => "chronically_late",
        }
    }

    /// The supplier's name in the simulated shop.
    pub fn supplier(self) -> &'static str {
        match self {
            Self::Reliable => "Steady Supply",
            Self::Noisy => "Varied Goods",
            Self::ChronicallyLate => "Late Freight",
        }
    }

    /// The lead time the supplier quotes (and the shop has on file), in days.
    fn lead_time_days(self) -> i64 {
        match self {
            Self::Reliable => 7,
            Self::Noisy => 10,
            Self::ChronicallyLate => 14,
        }
    }

    fn confirms(self) -> bool {
        self == Self::Reliable
    }

    /// Days after its quoted lead time a purchase order really arrives.
    fn lateness(self, rng: &mut Rng) -> i64 {
        match self {
            Self::Reliable => match rng.below(100) {
                0..80 => 0,
                80..88 => -1,
                88..96 => 1,
                _ => 2,
            },
            Self::Noisy => rng.range(-2, 6),
            Self::ChronicallyLate => {
                let base = rng.range(2, 9);
                if rng.chance(15) {
                    base + rng.range(5, 10)
                } else {
                    base
                }
            }
        }
    }
}

/// A simulated product.
#[derive(Debug, Clone)]
struct SimProduct {
    sku: String,
    profile: Profile,
    /// Units a day on average before the season.
    base_units: f64,
}

/// One rule's figures over the run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleReport {
    /// Lines that waited and were given a window.
    pub backordered_lines: usize,
    /// Of those, lines whose waiting units shipped by the end of the run.
    pub shipped_lines: usize,
    /// Shipped on or before the end of the first window ÷ shipped lines × 100.
    pub kept_pct: Option<f64>,
    /// Shipped inside the first window ÷ shipped lines × 100.
    pub inside_pct: Option<f64>,
    /// First windows' width in days (a single day is 1), nearest-rank median and 90th
    /// percentile over all backordered lines.
    pub median_width_days: Option<i64>,
    pub p90_width_days: Option<i64>,
    /// Shipped after the end of the first window.
    pub late_lines: usize,
    /// Their mean days after the end of the first window.
    pub mean_lateness_days: Option<f64>,
    /// Later windows recorded in "promises changed" (each drafts a delay notice).
    pub delay_notices: i64,
    pub delay_notices_per_100: Option<f64>,
}

/// One supplier's figures under one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierFigures {
    pub profile: Profile,
    pub report: RuleReport,
}

/// What a run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    pub spec: SimSpec,
    pub orders: usize,
    pub order_lines: usize,
    pub purchase_orders: usize,
    pub receipts: usize,
    pub cancelled_lines: usize,
    /// The shop's model (each supplier's record).
    pub model: RuleReport,
    /// The naive rule (expected date + handling, no allowance for lateness).
    pub naive: RuleReport,
    pub model_by_supplier: Vec<SupplierFigures>,
    pub naive_by_supplier: Vec<SupplierFigures>,
}

/// The folder of the two shop files: a temporary one is deleted when the run ends, however it
/// ends; a folder the caller chose is kept.
struct TempFolder(PathBuf, bool);

impl Drop for TempFolder {
    fn drop(&mut self) {
        if self.1 {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn keep_folder(path: &Path) -> Result<TempFolder, SimError> {
    let taken = ["model.sqlite", "naive.sqlite"]
        .iter()
        .find(|name| path.join(name).exists());
    if let Some(name) = taken {
        return Err(SimError::TempFile {
            path: path.display().to_string(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{name} is there already; choose an empty folder"),
            ),
        });
    }
    std::fs::create_dir_all(path).map_err(|source| SimError::TempFile {
        path: path.display().to_string(),
        source,
    })?;
    Ok(TempFolder(path.to_owned(), false))
}

fn temp_folder(seed: u64) -> Result<TempFolder, SimError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let path = std::env::temp_dir().join(format!(
        "backorder-desk-simulate-{}-{seed}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&path).map_err(|source| SimError::TempFile {
        path: path.display().to_string(),
        source,
    })?;
    Ok(TempFolder(path, true))
}

/// The two shops every event happens to.
struct Shops {
    model: Store,
    naive: Store,
}

impl Shops {
    fn open(folder: &Path) -> Result<Self, SimError> {
        let model = Store::open_scratch(&folder.join("model.sqlite"))?;
        let naive = Store::open_scratch(&folder.join("naive.sqlite"))?;
        naive.set_setting(PROMISE_RULE, "naive")?;
        Ok(Self { model, naive })
    }

    /// Runs `action` on both shops; the model shop's result is returned.
    fn both<T, E>(&mut self, mut action: impl FnMut(&mut Store) -> Result<T, E>) -> Result<T, E> {
        let result = action(&mut self.model)?;
        action(&mut self.naive)?;
        Ok(result)
    }
}

/// Seasonal demand factor of a day: a yearly wave (±30%) and a late-autumn peak (+50%).
fn season(day: NaiveDate) -> f64 {
    let ordinal = f64::from(day.ordinal());
    let wave = 1.0 + 0.3 * (2.0 * std::f64::consts::PI * (ordinal - 80.0) / 365.0).sin();
    let peak = if (320..=355).contains(&day.ordinal()) {
        0.5
    } else {
        0.0
    };
    wave + peak
}

fn products() -> Vec<SimProduct> {
    let rates = [2.2, 1.6, 1.1, 0.7];
    let mut out = Vec::new();
    for profile in Profile::ALL {
        let prefix = match profile {
            Profile::Reliable => "RL",
            Profile::Noisy => "NS",
            Profile::ChronicallyLate => "LT",
        };
        for (index, rate) in rates.iter().enumerate() {
            out.push(SimProduct {
                sku: format!("{prefix}-{:02}", index + 1),
                profile,
                base_units: *rate,
            });
        }
    }
    out
}

/// A purchase order due to arrive: on `day`, the given part (`None`: everything still open).
#[derive(Debug, Clone)]
struct Arrival {
    po_number: String,
    part: Option<Vec<(String, i64)>>,
}

fn check(progress: &Progress) -> Result<(), SimError> {
    if progress.is_cancelled() {
        Err(SimError::Cancelled)
    } else {
        Ok(())
    }
}

/// Runs the simulation (progress goes from 0 to 1; cancelling stops it).
pub fn simulate(spec: SimSpec, progress: &Progress) -> Result<SimReport, SimError> {
    simulate_in(spec, None, progress)
}

/// [`simulate`], keeping the two shop files (`model.sqlite`, `naive.sqlite`) in `keep_in` to
/// look at afterwards (`None`: temporary files).
#[expect(
    clippy::too_many_lines,
    reason = "a simulated day is five numbered steps on both shops; apart they would pass the whole state around"
)]
pub fn simulate_in(
    spec: SimSpec,
    keep_in: Option<&Path>,
    progress: &Progress,
) -> Result<SimReport, SimError> {
    if !(1..=MAX_DAYS).contains(&spec.days) {
        return Err(SimError::Days(spec.days));
    }
    if spec.warmup_days > MAX_DAYS {
        return Err(SimError::Days(spec.warmup_days));
    }
    let first_day = spec.start - Duration::days(i64::from(spec.warmup_days));
    let total_days = i64::from(spec.warmup_days) + i64::from(spec.days);
    let folder = match keep_in {
        Some(path) => keep_folder(path)?,
        None => temp_folder(spec.seed)?,
    };
    let mut shops = Shops::open(&folder.0)?;
    let mut rng = Rng::new(spec.seed ^ 0x5111_0A7E_D5E0_0001);
    let catalog = products();
    let setup = Clock::fixed(first_day - Duration::days(1));
    for store in [&mut shops.model, &mut shops.naive] {
        for (key, value) in [
            (HANDLING_DAYS, "1"),
            (DEMAND_WINDOW_DAYS, "56"),
            (SERVICE_LEVEL_A, "50"),
            (SERVICE_LEVEL_B, "50"),
            (SERVICE_LEVEL_C, "50"),
        ] {
            store.set_setting(key, value)?;
        }
    }
    for (index, product) in catalog.iter().enumerate() {
        let cost = 1_000 + 500 * (index as i64 % 6);
        let money = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
        let draft = ProductDraft {
            sku: product.sku.clone(),
            name: format!("{} item {}", product.profile.supplier(), index + 1),
            unit_cost: money(cost),
            price: money(cost * 22 / 10),
            supplier: product.profile.supplier().to_owned(),
            lead_time_days: product.profile.lead_time_days().to_string(),
            max_wait_days: "45".into(),
            ..ProductDraft::default()
        };
        let stock = (product.base_units * 10.0).round() as i64;
        shops.both(|store| save_product(store, None, &draft, stock, &setup))?;
    }

    let mut arrivals: BTreeMap<NaiveDate, Vec<Arrival>> = BTreeMap::new();
    let mut ready: Vec<OrderId> = Vec::new();
    let mut counts = (0usize, 0usize, 0usize, 0usize, 0usize); // orders, lines, POs, receipts, cancelled
    let mut customer = 0u64;
    for offset in 0..total_days {
        check(progress)?;
        progress.set(offset as f32 / total_days as f32);
        let today = first_day + Duration::days(offset);
        let measured = today >= spec.start;
        let clock = Clock::fixed(today);

        // 1. Receipts due today.
        for arrival in arrivals.remove(&today).unwrap_or_default() {
            let parts: Vec<Option<(String, i64)>> = match &arrival.part {
                None => vec![None],
                Some(lines) => lines.iter().cloned().map(Some).collect(),
            };
            for part in parts {
                let only = part.as_ref().map(|(sku, units)| (sku.as_str(), *units));
                match shops.both(|store| receive(store, &arrival.po_number, only, today, &clock)) {
                    Ok(_) => counts.3 += usize::from(measured),
                    // Already complete (everything arrived with an earlier part).
                    Err(PurchaseError::Invalid(_)) => {}
                    Err(error) => return Err(error.into()),
                }
            }
        }

        // 2. Orders ready since yesterday ship.
        for order_id in std::mem::take(&mut ready) {
            match shops.both(|store| ship_order(store, order_id, &clock)) {
                Ok(_) | Err(OrderError::Invalid(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }

        // 3. Customers who give up.
        let mut waiting: Vec<i64> = waiting_queues(shops.model.connection())?
            .iter()
            .flat_map(|product| product.queue.iter().map(|line| line.line_id))
            .collect();
        waiting.sort_unstable();
        for line_id in waiting {
            if rng.below(1000) < CANCEL_PER_MILLE {
                shops.both(|store| {
                    cancel_line_because(store, line_id, Some(CancelReason::Customer), &clock)
                })?;
                counts.4 += usize::from(measured);
            }
        }

        // 4. New orders.
        let factor = season(today);
        for product in &catalog {
            let orders = rng.poisson(product.base_units * factor / 1.4);
            for _ in 0..orders {
                let quantity = match rng.below(10) {
                    0..7 => 1,
                    7..9 => 2,
                    _ => 3,
                };
                customer += 1;
                let input = OrderInput {
                    order_number: String::new(),
                    customer_name: format!("Customer {customer}"),
                    customer_email: format!("customer{customer}@example.com"),
                    ordered_at: None,
                    priority: Priority::Normal,
                    ship: ShipPreference::Partial,
                    lines: vec![(product.sku.clone(), quantity)],
                };
                shops.both(|store| place_order(store, &input, &clock))?;
                counts.0 += usize::from(measured);
                counts.1 += usize::from(measured);
            }
        }

        // 5. Reorders: the suggestions become purchase orders.
        let report = reorder_suggestions(&shops.model, today, &Progress::default())?;
        let chosen: Vec<&super::safety::Suggestion> = report.suggestions.iter().collect();
        let (drafts, _) = draft_pos(&chosen, today);
        for draft in drafts {
            let Some(profile) = Profile::ALL
                .into_iter()
                .find(|profile| profile.supplier() == draft.supplier)
            else {
                continue;
            };
            let input = PoInput {
                po_number: String::new(),
                supplier: draft.supplier.clone(),
                ordered_at: Some(today),
                expected_at: draft.expected_at,
                confirmed: profile.confirms(),
                lines: draft
                    .lines
                    .iter()
                    .map(|line| (line.sku.clone(), line.quantity, Some(line.unit_cost_cents)))
                    .collect(),
            };
            let (_, po_number) = shops.both(|store| create_po(store, &input, &clock))?;
            counts.2 += usize::from(measured);
            // The supplier delivers after its own lead time and lateness, whatever date the
            // shop wrote on the order.
            let arrives = (today
                + Duration::days(profile.lead_time_days() + profile.lateness(&mut rng)))
            .max(today + Duration::days(1));
            if profile == Profile::Noisy && rng.chance(SPLIT_PCT) {
                let part: Vec<(String, i64)> = draft
                    .lines
                    .iter()
                    .map(|line| (line.sku.clone(), (line.quantity * 6 / 10).max(1)))
                    .collect();
                let rest = arrives + Duration::days(rng.range(2, 6));
                arrivals.entry(arrives).or_default().push(Arrival {
                    po_number: po_number.clone(),
                    part: Some(part),
                });
                arrivals.entry(rest).or_default().push(Arrival {
                    po_number,
                    part: None,
                });
            } else {
                arrivals.entry(arrives).or_default().push(Arrival {
                    po_number,
                    part: None,
                });
            }
        }

        // The orders ready tonight ship tomorrow.
        ready = order_summaries(shops.model.connection(), OrderFilter::Ready, "", usize::MAX)?
            .into_iter()
            .map(|summary| summary.order_id)
            .collect();
        ready.sort_unstable();
    }
    progress.set(1.0);

    let mut figures = Vec::new();
    for store in [&shops.model, &shops.naive] {
        let names = crate::store::purchasing::supplier_names(store.connection())?;
        let profile_of = |supplier_id: Option<i64>| {
            supplier_id
                .and_then(|id| names.get(&id))
                .and_then(|name| Profile::ALL.into_iter().find(|p| p.supplier() == name))
        };
        // Lines ordered in the measured days.
        let outcomes: Vec<PromiseOutcomeRow> = promise_outcomes(store.connection())?
            .into_iter()
            .filter(|row| row.ordered_on >= spec.start)
            .collect();
        let by_profile: Vec<SupplierFigures> = Profile::ALL
            .into_iter()
            .map(|profile| {
                let mine: Vec<PromiseOutcomeRow> = outcomes
                    .iter()
                    .filter(|row| profile_of(row.supplier_id) == Some(profile))
                    .copied()
                    .collect();
                SupplierFigures {
                    profile,
                    report: rule_report(&mine),
                }
            })
            .collect();
        figures.push((rule_report(&outcomes), by_profile));
    }
    let (naive, naive_by_supplier) = figures.pop().unwrap_or_default();
    let (model, model_by_supplier) = figures.pop().unwrap_or_default();
    Ok(SimReport {
        spec,
        orders: counts.0,
        order_lines: counts.1,
        purchase_orders: counts.2,
        receipts: counts.3,
        cancelled_lines: counts.4,
        model,
        naive,
        model_by_supplier,
        naive_by_supplier,
    })
}

/// The nearest-rank percentile (`share` in 0..=1) of sorted values.
fn nearest_rank(sorted: &[i64], share: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((share * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// The figures of a set of backordered lines.
pub fn rule_report(outcomes: &[PromiseOutcomeRow]) -> RuleReport {
    let mut widths: Vec<i64> = outcomes
        .iter()
        .map(|row| (row.history.first.end - row.history.first.start).num_days() + 1)
        .collect();
    widths.sort_unstable();
    let shipped: Vec<(&PromiseOutcomeRow, NaiveDate)> = outcomes
        .iter()
        .filter_map(|row| row.shipped_on.map(|day| (row, day)))
        .collect();
    let kept = shipped
        .iter()
        .filter(|(row, day)| *day <= row.history.first.end)
        .count();
    let inside = shipped
        .iter()
        .filter(|(row, day)| *day <= row.history.first.end && *day >= row.history.first.start)
        .count();
    let lateness: Vec<i64> = shipped
        .iter()
        .filter(|(row, day)| *day > row.history.first.end)
        .map(|(row, day)| (*day - row.history.first.end).num_days())
        .collect();
    let notices: i64 = outcomes.iter().map(|row| row.changes).sum();
    let percent =
        |part: usize, whole: usize| (whole > 0).then(|| round2(part as f64 * 100.0 / whole as f64));
    RuleReport {
        backordered_lines: outcomes.len(),
        shipped_lines: shipped.len(),
        kept_pct: percent(kept, shipped.len()),
        inside_pct: percent(inside, shipped.len()),
        median_width_days: nearest_rank(&widths, 0.5),
        p90_width_days: nearest_rank(&widths, 0.9),
        late_lines: lateness.len(),
        mean_lateness_days: (!lateness.is_empty())
            .then(|| round2(lateness.iter().sum::<i64>() as f64 / lateness.len() as f64)),
        delay_notices: notices,
        delay_notices_per_100: (!outcomes.is_empty())
            .then(|| round2(notices as f64 * 100.0 / outcomes.len() as f64)),
    }
}

impl RuleReport {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "backordered_lines": self.backordered_lines,
            "shipped_lines": self.shipped_lines,
            "kept_pct": self.kept_pct,
            "inside_pct": self.inside_pct,
            "median_width_days": self.median_width_days,
            "p90_width_days": self.p90_width_days,
            "late_lines": self.late_lines,
            "mean_lateness_days": self.mean_lateness_days,
            "delay_notices": self.delay_notices,
            "delay_notices_per_100": self.delay_notices_per_100,
        })
    }
}

impl SimReport {
    /// The report as one JSON object (the same seed gives the same text).
    pub fn json(&self) -> serde_json::Value {
        let suppliers = |list: &[SupplierFigures]| -> Vec<serde_json::Value> {
            list.iter()
                .map(|s| {
                    let mut value = s.report.json();
                    if let Some(object) = value.as_object_mut() {
                        object.insert("profile".into(), s.profile.code().into());
                        object.insert("supplier".into(), s.profile.supplier().into());
                    }
                    value
                })
                .collect()
        };
        serde_json::json!({
            "days": self.spec.days,
            "seed": self.spec.seed,
            "start": self.spec.start.to_string(),
            "warmup_days": self.spec.warmup_days,
            "orders": self.orders,
            "order_lines": self.order_lines,
            "purchase_orders": self.purchase_orders,
            "receipts": self.receipts,
            "cancelled_lines": self.cancelled_lines,
            "model": self.model.json(),
            "naive": self.naive.json(),
            "model_by_supplier": suppliers(&self.model_by_supplier),
            "naive_by_supplier": suppliers(&self.naive_by_supplier),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::promise::EtaWindow;
    use crate::store::promises::PromiseHistory;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
    }

    fn row(first: (u32, u32), shipped: Option<u32>, changes: i64) -> PromiseOutcomeRow {
        let window = EtaWindow {
            start: day(first.0),
            end: day(first.1),
        };
        PromiseOutcomeRow {
            line_id: 1,
            supplier_id: Some(1),
            ordered_on: day(1),
            history: PromiseHistory {
                first: window,
                first_on: day(1),
                last: window,
                last_on: day(1),
            },
            shipped_on: shipped.map(day),
            changes,
        }
    }

    #[test]
    fn figures_of_a_few_lines_by_hand() {
        // Windows 3–7 (5 days), 3–3 (1), 10–12 (3), 4–9 (6); shipped 6 (kept, inside),
        // 5 (2 days late), 9 (early: kept, not inside), one still waiting.
        let rows = [
            row((3, 7), Some(6), 0),
            row((3, 3), Some(5), 2),
            row((10, 12), Some(9), 1),
            row((4, 9), None, 0),
        ];
        let report = rule_report(&rows);
        assert_eq!(report.backordered_lines, 4);
        assert_eq!(report.shipped_lines, 3);
        // Kept 2 of 3 = 66.67%; inside 1 of 3 = 33.33%.
        assert_eq!(report.kept_pct, Some(66.67));
        assert_eq!(report.inside_pct, Some(33.33));
        // Widths sorted 1, 3, 5, 6: nearest-rank median = 2nd = 3; 90th = 4th = 6.
        assert_eq!(report.median_width_days, Some(3));
        assert_eq!(report.p90_width_days, Some(6));
        assert_eq!(
            (report.late_lines, report.mean_lateness_days),
            (1, Some(2.0))
        );
        // 3 notices over 4 lines.
        assert_eq!(report.delay_notices_per_100, Some(75.0));
        assert_eq!(rule_report(&[]).kept_pct, None);
    }

    #[test]
    fn seasons_and_profiles() {
        // The wave peaks around the end of June; the late-autumn peak adds half.
        let june = season(NaiveDate::from_ymd_opt(2025, 6, 21).expect("date"));
        let december = season(NaiveDate::from_ymd_opt(2025, 12, 1).expect("date"));
        assert!(june > 1.25 && june < 1.31, "{june}");
        assert!(december > 1.2, "{december}");
        let mut rng = Rng::new(5);
        for _ in 0..500 {
            assert!((-1..=2).contains(&Profile::Reliable.lateness(&mut rng)));
            assert!((-2..=6).contains(&Profile::Noisy.lateness(&mut rng)));
            assert!((2..=19).contains(&Profile::ChronicallyLate.lateness(&mut rng)));
        }
    }
}
