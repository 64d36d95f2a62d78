//! Reordering: what history says about a product (demand and lead time over a window), when it
//! needs reordering and how much (reorder point, EOQ, the supplier's order rules), and draft
//! purchase orders grouped by supplier. The app reads the figures; the rules are here.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::abc::AbcClass;
use super::ids::ProductId;
use super::limits::add_days_saturating;
use super::safety_stock::{
    Inputs, Method, SafetyError, daily_mean_sd, days_to_stockout, eoq, mean_sd_max, order_quantity,
    round_up_units, safety_stock, z_for_service_level,
};

/// Fewer receipts than this and the lead-time figures get a warning.
pub const MIN_RECEIPTS: usize = 5;
/// Longest demand window accepted, in days.
pub const MAX_WINDOW_DAYS: i64 = 3650;

/// How a product is ordered from its supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRules {
    /// Order in multiples of this many units (1: any quantity).
    pub order_multiple: i64,
    /// Order at least this many units (0: no minimum).
    pub min_order_qty: i64,
    /// Order up to this stock; `None`: reorder point + EOQ.
    pub max_stock: Option<i64>,
}

impl Default for OrderRules {
    fn default() -> Self {
        Self {
            order_multiple: 1,
            min_order_qty: 0,
            max_stock: None,
        }
    }
}

/// Largest multiple, minimum or maximum accepted (the desk's one limit of units).
pub const MAX_RULE_UNITS: i64 = super::limits::MAX_UNITS;

impl OrderRules {
    pub fn check(&self) -> std::result::Result<(), String> {
        if !(1..=MAX_RULE_UNITS).contains(&self.order_multiple) {
            return Err("Order multiple must be a whole number from 1 to 1,000,000".into());
        }
        if !(0..=MAX_RULE_UNITS).contains(&self.min_order_qty) {
            return Err("Minimum order must be a whole number from 0 to 1,000,000".into());
        }
        if let Some(max) = self.max_stock
            && !(0..=MAX_RULE_UNITS).contains(&max)
        {
            return Err("Max stock must be empty or a whole number from 0 to 1,000,000".into());
        }
        Ok(())
    }
}

/// Daily demand of one product over a window, summed in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DemandSums {
    /// Units ordered (cancelled units excluded).
    pub units: i64,
    /// Sum of each day's units squared.
    pub sum_of_squares: f64,
    /// The busiest day's units.
    pub max_day: i64,
    /// Days with any demand.
    pub days_with_demand: u32,
}

impl DemandSums {
    /// Adds one day with demand.
    pub fn add_day(&mut self, units: i64) {
        self.units += units;
        self.sum_of_squares += (units as f64) * (units as f64);
        self.max_day = self.max_day.max(units);
        self.days_with_demand += 1;
    }
}

/// A product's stock position and what reordering it needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockPosition {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    /// Empty: no supplier.
    pub supplier: String,
    pub unit_cost_cents: i64,
    /// The product's lead time, else its supplier's default.
    pub lead_time_days: Option<i64>,
    pub on_hand: i64,
    pub reserved: i64,
    /// Units customers wait for (not reserved, not shipped, not cancelled).
    pub backordered: i64,
    /// Units on open purchase orders, not yet received.
    pub on_order: i64,
    pub rules: OrderRules,
}

impl StockPosition {
    /// On hand minus reserved, never negative.
    pub fn available(&self) -> i64 {
        (self.on_hand - self.reserved).max(0)
    }

    /// Available + on order − backordered: what is left for new demand once everything on
    /// order has arrived and every waiting customer is served.
    pub fn position(&self) -> i64 {
        self.available() + self.on_order - self.backordered
    }
}

/// The shop's settings for safety stock and reordering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetySettings {
    /// Service level in per cent for classes A, B and C.
    pub service_level_pct: [f64; 3],
    /// Cost of placing one purchase order, in cents.
    pub order_cost_cents: i64,
    /// Holding cost per year, per cent of unit cost.
    pub holding_pct: f64,
    /// Days of order history that daily demand is measured over.
    pub window_days: i64,
    /// The method reorder suggestions use.
    pub method: Method,
}

impl Default for SafetySettings {
    fn default() -> Self {
        Self {
            service_level_pct: [98.0, 95.0, 90.0],
            order_cost_cents: 2_500,
            holding_pct: 25.0,
            window_days: 180,
            method: Method::DemandLeadTime,
        }
    }
}

/// Methods reorder suggestions can use: the ones whose inputs all come from history.
pub const SUGGESTION_METHODS: [Method; 4] = [
    Method::RuleOfThumb,
    Method::Demand,
    Method::DemandLeadTime,
    Method::MaxAverage,
];

impl SafetySettings {
    /// The service level (a fraction) for a class.
    pub fn service_level(&self, class: AbcClass) -> f64 {
        let index = match class {
            AbcClass::A => 0,
            AbcClass::B => 1,
            AbcClass::C => 2,
        };
        self.service_level_pct[index] / 100.0
    }

    /// Settings as read from a file: when a value is out of range (the file was edited by
    /// hand) the defaults, keeping the method when it is one suggestions can use.
    #[must_use]
    pub fn or_defaults(self) -> Self {
        if self.check().is_ok() {
            return self;
        }
        let defaults = Self::default();
        let mut repaired = defaults;
        repaired.method = self.method;
        if repaired.check().is_err() {
            repaired.method = defaults.method;
        }
        repaired
    }

    pub fn check(&self) -> Result<(), String> {
        for (class, pct) in AbcClass::ALL.iter().zip(self.service_level_pct) {
            if !(pct.is_finite() && (50.0..100.0).contains(&pct)) {
                return Err(format!(
                    "Service level {}: must be at least 50% and below 100%",
                    class.label()
                ));
            }
        }
        if !(0..=100_000_000).contains(&self.order_cost_cents) {
            return Err("Cost per order must be from 0 to 1,000,000.00".into());
        }
        if !(self.holding_pct.is_finite() && self.holding_pct > 0.0 && self.holding_pct <= 1000.0) {
            return Err("Holding cost must be more than 0% and at most 1000% a year".into());
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.window_days) {
            return Err(format!(
                "Demand window must be from 1 to {MAX_WINDOW_DAYS} days"
            ));
        }
        if !SUGGESTION_METHODS.contains(&self.method) {
            return Err(format!(
                "{} needs cover days, which history does not give; choose another method",
                self.method.label()
            ));
        }
        Ok(())
    }
}

/// Where the lead time came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LeadTimeSource {
    /// Received purchase orders: mean, sample standard deviation and maximum, in days.
    Receipts { mean: f64, sd: f64, max: f64 },
    /// No receipts: the product's (or its supplier's) lead time, with σL = 0.
    Fallback(i64),
    /// No receipts and no lead time set.
    Unknown,
}

/// What history says about a product.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// First and last day of the demand window (both included).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Days in the window (days without orders count as 0 demand).
    pub days: u32,
    pub days_with_demand: u32,
    /// Units ordered in the window, cancelled units excluded.
    pub units: i64,
    pub avg_demand: f64,
    pub sd_demand: f64,
    pub max_demand: f64,
    /// Received PO lines the lead time was measured on.
    pub receipts: usize,
    pub lead_time: LeadTimeSource,
}

impl History {
    /// The demand window ending yesterday: the `window_days` complete days before `today`.
    pub fn window(today: NaiveDate, window_days: i64) -> (NaiveDate, NaiveDate) {
        let to = today.pred_opt().unwrap_or(today);
        let from = add_days_saturating(to, -(window_days.clamp(1, MAX_WINDOW_DAYS) - 1));
        (from, to)
    }

    /// The history of a window from its demand sums, the lead times of its receipts and the
    /// lead time to fall back on.
    pub fn build(
        from: NaiveDate,
        to: NaiveDate,
        sums: DemandSums,
        receipts: &[i64],
        fallback_lead_time: Option<i64>,
    ) -> Self {
        let days = ((to - from).num_days() + 1).max(1) as u32;
        let (avg_demand, sd_demand) = daily_mean_sd(days, sums.units as f64, sums.sum_of_squares);
        let values: Vec<f64> = receipts.iter().map(|days| *days as f64).collect();
        let lead_time = match (mean_sd_max(&values), fallback_lead_time) {
            (Some((mean, sd, max)), _) => LeadTimeSource::Receipts { mean, sd, max },
            (None, Some(days)) => LeadTimeSource::Fallback(days),
            (None, None) => LeadTimeSource::Unknown,
        };
        Self {
            from,
            to,
            days,
            days_with_demand: sums.days_with_demand,
            units: sums.units,
            avg_demand,
            sd_demand,
            max_demand: sums.max_day as f64,
            receipts: receipts.len(),
            lead_time,
        }
    }

    /// True when the lead time rests on fewer than 5 receipts.
    pub fn few_receipts(&self) -> bool {
        self.receipts < MIN_RECEIPTS
    }

    /// The calculator's inputs from history (Z, base buffer and cover days are not history).
    pub fn inputs(&self) -> Inputs {
        let (lead_time, sd_lead_time, max_lead_time) = match self.lead_time {
            LeadTimeSource::Receipts { mean, sd, max } => (Some(mean), Some(sd), Some(max)),
            LeadTimeSource::Fallback(days) => (Some(days as f64), Some(0.0), Some(days as f64)),
            LeadTimeSource::Unknown => (None, None, None),
        };
        Inputs {
            avg_demand: Some(self.avg_demand),
            sd_demand: Some(self.sd_demand),
            lead_time,
            sd_lead_time,
            max_demand: Some(self.max_demand),
            max_lead_time,
            z: None,
            base_buffer: None,
            cover_days: None,
        }
    }
}

/// One row of the reorder suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    /// Empty: no supplier (no PO can be drafted).
    pub supplier: String,
    pub class: AbcClass,
    pub available: i64,
    pub on_order: i64,
    pub backordered: i64,
    pub avg_demand: f64,
    pub lead_time_days: f64,
    pub safety_stock: f64,
    /// Exact.
    pub reorder_point: f64,
    /// `None` when unit cost or holding cost is 0.
    pub eoq: Option<f64>,
    /// Order up to this many units.
    pub max_units: i64,
    pub suggested_quantity: i64,
    /// At average demand; `None` without demand.
    pub days_to_stockout: Option<f64>,
    pub unit_cost_cents: i64,
    pub cost_cents: i64,
    /// Waiting lines no purchase order covers: their dates move a day later every day this is
    /// not ordered.
    pub dates_slipping: i64,
}

/// The suggestion for one product, if it needs reordering: products with demand in the window
/// (or customers waiting) whose position (available + on order − backordered) is at or below
/// the reorder point. Order up to the set max stock, else ROP + EOQ (rounded up), at least the
/// minimum order, in multiples.
pub fn suggest(
    position: &StockPosition,
    history: &History,
    class: AbcClass,
    settings: &SafetySettings,
) -> Result<Option<Suggestion>, SafetyError> {
    if history.avg_demand <= 0.0 && position.backordered <= 0 {
        return Ok(None);
    }
    let mut inputs = history.inputs();
    inputs.z = Some(z_for_service_level(settings.service_level(class))?);
    let result = safety_stock(settings.method, &inputs)?;
    let stock_position = position.position();
    // Stock is whole units: the reorder point is too, rounded up (the one shown everywhere).
    if stock_position > result.reorder_point_units() {
        return Ok(None);
    }
    let eoq = eoq(
        history.avg_demand * 365.0,
        settings.order_cost_cents as f64,
        position.unit_cost_cents as f64,
        settings.holding_pct / 100.0,
    );
    let max_units = position
        .rules
        .max_stock
        .unwrap_or_else(|| round_up_units(result.reorder_point + eoq.unwrap_or(0.0)));
    let suggested_quantity = order_quantity(
        stock_position,
        max_units,
        position.rules.order_multiple,
        position.rules.min_order_qty,
    );
    if suggested_quantity <= 0 {
        return Ok(None);
    }
    Ok(Some(Suggestion {
        product_id: position.product_id,
        sku: position.sku.clone(),
        name: position.name.clone(),
        supplier: position.supplier.clone(),
        class,
        available: position.available(),
        on_order: position.on_order,
        backordered: position.backordered,
        avg_demand: history.avg_demand,
        lead_time_days: inputs.lead_time.unwrap_or(0.0),
        safety_stock: result.safety_stock,
        reorder_point: result.reorder_point,
        eoq,
        max_units,
        suggested_quantity,
        days_to_stockout: days_to_stockout(position.available(), history.avg_demand),
        unit_cost_cents: position.unit_cost_cents,
        cost_cents: suggested_quantity.saturating_mul(position.unit_cost_cents),
        dates_slipping: 0,
    }))
}

/// One line of a draft purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_cost_cents: i64,
}

/// A purchase order to create, one per supplier, editable before it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftPo {
    pub supplier: String,
    pub expected_at: Option<NaiveDate>,
    pub lines: Vec<DraftLine>,
}

impl DraftPo {
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|line| line.quantity.saturating_mul(line.unit_cost_cents))
            .sum()
    }
}

/// Groups suggestions into one draft PO per supplier (suppliers by name, lines by SKU). The
/// expected arrival is today + the longest (rounded up) lead time of its lines. Suggestions
/// without a supplier are returned apart (by SKU): they cannot be ordered.
pub fn draft_pos(suggestions: &[&Suggestion], today: NaiveDate) -> (Vec<DraftPo>, Vec<String>) {
    let mut by_supplier: BTreeMap<String, (String, Vec<&Suggestion>)> = BTreeMap::new();
    let mut without_supplier = Vec::new();
    for suggestion in suggestions {
        let supplier = suggestion.supplier.trim();
        if supplier.is_empty() {
            without_supplier.push(suggestion.sku.clone());
            continue;
        }
        by_supplier
            .entry(supplier.to_lowercase())
            .or_insert_with(|| (supplier.to_owned(), Vec::new()))
            .1
            .push(suggestion);
    }
    let drafts = by_supplier
        .into_values()
        .map(|(supplier, mut lines)| {
            lines.sort_by(|a, b| a.sku.cmp(&b.sku));
            let lead_days = lines
                .iter()
                .map(|s| round_up_units(s.lead_time_days))
                .max()
                .unwrap_or(0);
            DraftPo {
                supplier,
                expected_at: Some(add_days_saturating(today, lead_days)),
                lines: lines
                    .iter()
                    .map(|s| DraftLine {
                        sku: s.sku.clone(),
                        name: s.name.clone(),
                        quantity: s.suggested_quantity,
                        unit_cost_cents: s.unit_cost_cents,
                    })
                    .collect(),
            }
        })
        .collect();
    without_supplier.sort();
    (drafts, without_supplier)
}
