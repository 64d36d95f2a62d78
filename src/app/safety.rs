//! Safety stock from history, reorder suggestions, and draft purchase orders from them.

use std::collections::{BTreeMap, HashMap};

use crate::domain::limits::add_days_saturating;
use chrono::NaiveDate;
use thiserror::Error;

use super::Clock;
use super::abc::abc_classes;
use super::jobs::Progress;
use super::purchasing::{PoInput, PurchaseError, create_po};
use crate::domain::abc::AbcClass;
use crate::domain::backup::BackupReason;
use crate::domain::safety_stock::{
    Inputs, Method, SafetyError, daily_mean_sd, days_to_stockout, eoq, mean_sd_max, order_quantity,
    round_up_units, safety_stock, z_for_service_level,
};
use crate::store::safety::{
    DemandSums, StockPosition, all_lead_times, daily_demand, demand_sums, lead_times,
    stock_position, stock_positions,
};
use crate::store::settings::{
    DEMAND_WINDOW_DAYS, HOLDING_COST_PCT, ORDER_COST_CENTS, REORDER_METHOD, SERVICE_LEVEL_A,
    SERVICE_LEVEL_B, SERVICE_LEVEL_C,
};
use crate::store::{ProductId, Store, StoreError};

/// Fewer receipts than this and the lead-time figures get a warning.
pub const MIN_RECEIPTS: usize = 5;
/// Longest demand window accepted, in days.
pub const MAX_WINDOW_DAYS: i64 = 3650;

#[derive(Debug, Error)]
pub enum SafetyServiceError {
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
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

    /// The stored settings; a missing or unreadable value gives its default.
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let defaults = Self::default();
        let number = |key: &str, default: f64| -> Result<f64, StoreError> {
            Ok(store
                .setting(key)?
                .and_then(|text| text.trim().parse::<f64>().ok())
                .filter(|value| value.is_finite())
                .unwrap_or(default))
        };
        let mut settings = Self {
            service_level_pct: [
                number(SERVICE_LEVEL_A, defaults.service_level_pct[0])?,
                number(SERVICE_LEVEL_B, defaults.service_level_pct[1])?,
                number(SERVICE_LEVEL_C, defaults.service_level_pct[2])?,
            ],
            order_cost_cents: number(ORDER_COST_CENTS, defaults.order_cost_cents as f64)? as i64,
            holding_pct: number(HOLDING_COST_PCT, defaults.holding_pct)?,
            window_days: number(DEMAND_WINDOW_DAYS, defaults.window_days as f64)? as i64,
            method: store
                .setting(REORDER_METHOD)?
                .and_then(|code| Method::from_code(&code))
                .unwrap_or(defaults.method),
        };
        if settings.check().is_err() {
            // A value out of range (the file was edited by hand): use the defaults, keeping
            // the method when it is one suggestions can use.
            let mut repaired = defaults;
            repaired.method = settings.method;
            if repaired.check().is_err() {
                repaired.method = defaults.method;
            }
            settings = repaired;
        }
        Ok(settings)
    }

    /// Checks and stores the settings.
    pub fn save(&self, store: &mut Store) -> Result<(), SafetyServiceError> {
        self.check().map_err(SafetyServiceError::Invalid)?;
        store.in_transaction(|tx| {
            let set = |key: &str, value: String| -> Result<(), StoreError> {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value.as_str()],
                )?;
                Ok(())
            };
            set(SERVICE_LEVEL_A, self.service_level_pct[0].to_string())?;
            set(SERVICE_LEVEL_B, self.service_level_pct[1].to_string())?;
            set(SERVICE_LEVEL_C, self.service_level_pct[2].to_string())?;
            set(ORDER_COST_CENTS, self.order_cost_cents.to_string())?;
            set(HOLDING_COST_PCT, self.holding_pct.to_string())?;
            set(DEMAND_WINDOW_DAYS, self.window_days.to_string())?;
            set(REORDER_METHOD, self.method.code().to_owned())?;
            Ok(())
        })?;
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

    fn build(
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

/// One product's history, class and service level: the calculator's starting point.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSafety {
    pub position: StockPosition,
    pub history: History,
    pub class: AbcClass,
    /// A fraction (0.95).
    pub service_level: f64,
    pub z: f64,
    /// History's inputs with Z from the service level.
    pub inputs: Inputs,
}

/// The history of one product over the settings' window ending yesterday.
pub fn product_history(
    store: &Store,
    product_id: ProductId,
    today: NaiveDate,
    window_days: i64,
) -> Result<(StockPosition, History), StoreError> {
    let conn = store.connection();
    let position = stock_position(conn, product_id)?;
    let (from, to) = History::window(today, window_days);
    let mut sums = DemandSums::default();
    for (_, units) in daily_demand(conn, product_id, from, to)? {
        sums.add_day(units);
    }
    let receipts = lead_times(conn, product_id)?;
    let history = History::build(from, to, sums, &receipts, position.lead_time_days);
    Ok((position, history))
}

/// [`product_history`] with the class's service level and Z. `class` comes from
/// [`abc_classes`] (computed once for the whole catalog).
pub fn product_safety(
    store: &Store,
    product_id: ProductId,
    today: NaiveDate,
    settings: &SafetySettings,
    class: AbcClass,
) -> Result<ProductSafety, SafetyServiceError> {
    let (position, history) = product_history(store, product_id, today, settings.window_days)?;
    let service_level = settings.service_level(class);
    let z = z_for_service_level(service_level)
        .map_err(|error| SafetyServiceError::Invalid(error.to_string()))?;
    let mut inputs = history.inputs();
    inputs.z = Some(z);
    Ok(ProductSafety {
        position,
        history,
        class,
        service_level,
        z,
        inputs,
    })
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

/// The suggestions and how many products could not be checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReorderReport {
    /// Most urgent first (fewest days to stockout, then SKU).
    pub suggestions: Vec<Suggestion>,
    pub products_checked: usize,
    /// Products with demand but no lead time (no receipts, none set): SKUs.
    pub without_lead_time: Vec<String>,
    /// Every active product's class (the calculator reuses them).
    pub classes: HashMap<ProductId, AbcClass>,
    pub settings: Option<SafetySettings>,
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

/// Every product that needs reordering. A handful of aggregate queries, then pure arithmetic;
/// progress goes from 0 to 1 and cancelling stops early.
pub fn reorder_suggestions(
    store: &Store,
    today: NaiveDate,
    progress: &Progress,
) -> Result<ReorderReport, SafetyServiceError> {
    let settings = SafetySettings::load(store)?;
    let conn = store.connection();
    progress.set(0.02);
    let classes = abc_classes(store, today)?;
    progress.set(0.25);
    check_cancel(progress)?;
    let positions = stock_positions(conn)?;
    progress.set(0.45);
    check_cancel(progress)?;
    let (from, to) = History::window(today, settings.window_days);
    let sums = demand_sums(conn, from, to)?;
    progress.set(0.7);
    check_cancel(progress)?;
    let receipts = all_lead_times(conn)?;
    progress.set(0.85);
    let mut report = ReorderReport {
        products_checked: positions.len(),
        ..ReorderReport::default()
    };
    for position in &positions {
        let history = History::build(
            from,
            to,
            sums.get(&position.product_id).copied().unwrap_or_default(),
            receipts
                .get(&position.product_id)
                .map_or(&[][..], Vec::as_slice),
            position.lead_time_days,
        );
        let class = classes
            .get(&position.product_id)
            .copied()
            .unwrap_or(AbcClass::C);
        match suggest(position, &history, class, &settings) {
            Ok(Some(suggestion)) => report.suggestions.push(suggestion),
            Ok(None) => {}
            Err(SafetyError::Missing { .. }) => report.without_lead_time.push(position.sku.clone()),
            Err(error) => return Err(SafetyServiceError::Invalid(error.to_string())),
        }
    }
    let slipping = super::promises::slipping_lines(conn, today)?;
    for suggestion in &mut report.suggestions {
        suggestion.dates_slipping = slipping.get(&suggestion.product_id).copied().unwrap_or(0);
    }
    report.suggestions.sort_by(|a, b| {
        let days = |s: &Suggestion| s.days_to_stockout.unwrap_or(f64::INFINITY);
        days(a).total_cmp(&days(b)).then_with(|| a.sku.cmp(&b.sku))
    });
    report.classes = classes;
    report.settings = Some(settings);
    progress.set(1.0);
    Ok(report)
}

fn check_cancel(progress: &Progress) -> Result<(), SafetyServiceError> {
    if progress.is_cancelled() {
        Err(SafetyServiceError::Cancelled)
    } else {
        Ok(())
    }
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

/// Creates the drafts as open, unconfirmed purchase orders (next free numbers), one after the
/// other. Every draft is checked before the first is created; POs without lines are skipped.
/// Returns the new PO numbers.
pub fn create_draft_pos(
    store: &mut Store,
    drafts: &[DraftPo],
    clock: &Clock,
) -> Result<Vec<String>, PurchaseError> {
    let drafts: Vec<&DraftPo> = drafts.iter().filter(|d| !d.lines.is_empty()).collect();
    if drafts.is_empty() {
        return Err(PurchaseError::Invalid(
            "No purchase order has a line to order".into(),
        ));
    }
    for draft in &drafts {
        if draft.supplier.trim().is_empty() {
            return Err(PurchaseError::Invalid("Supplier is required".into()));
        }
        for line in &draft.lines {
            crate::domain::limits::check_line_units(
                &format!("{} ({}): the quantity", line.sku, draft.supplier),
                line.quantity,
            )
            .map_err(|error| {
                PurchaseError::Invalid(format!("{error}; no purchase order was created"))
            })?;
        }
        if let Some(expected) = draft.expected_at
            && expected < clock.today()
        {
            return Err(PurchaseError::Invalid(format!(
                "{}: the expected arrival is before today",
                draft.supplier
            )));
        }
    }
    super::backup::backup_before(store, BackupReason::DraftPos, clock)?;
    let mut created = Vec::new();
    for draft in drafts {
        let input = PoInput {
            po_number: String::new(),
            supplier: draft.supplier.clone(),
            ordered_at: None,
            expected_at: draft.expected_at,
            confirmed: false,
            lines: draft
                .lines
                .iter()
                .map(|line| (line.sku.clone(), line.quantity, Some(line.unit_cost_cents)))
                .collect(),
        };
        match create_po(store, &input, clock) {
            Ok((_, number)) => created.push(number),
            Err(error) if created.is_empty() => return Err(error),
            Err(error) => {
                return Err(PurchaseError::Invalid(format!(
                    "{} created; the PO for {} was not: {error}",
                    created.join(", "),
                    draft.supplier
                )));
            }
        }
    }
    Ok(created)
}
