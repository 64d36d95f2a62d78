//! Safety stock from history, reorder suggestions, and draft purchase orders from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use thiserror::Error;

use super::Clock;
use super::abc::abc_classes;
use super::jobs::Progress;
use super::purchasing::{PoInput, PurchaseError};
use crate::domain::abc::AbcClass;
use crate::domain::backup::BackupReason;
use crate::domain::safety_stock::{Inputs, Method, SafetyError, z_for_service_level};
use crate::store::safety::{
    DemandSums, OrderRules, StockPosition, all_lead_times, daily_demand, demand_sums, lead_times,
    set_order_rules, stock_position, stock_positions,
};
use crate::store::settings::{
    self, DEMAND_WINDOW_DAYS, HOLDING_COST_PCT, ORDER_COST_CENTS, REORDER_METHOD, SERVICE_LEVEL_A,
    SERVICE_LEVEL_B, SERVICE_LEVEL_C,
};
use crate::store::{ProductId, Store, StoreError};

pub use crate::domain::reorder::{
    DraftLine, DraftPo, History, LeadTimeSource, MAX_WINDOW_DAYS, MIN_RECEIPTS, SUGGESTION_METHODS,
    SafetySettings, Suggestion, draft_pos, suggest,
};

#[derive(Debug, Error)]
pub enum SafetyServiceError {
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reading and storing the reorder settings (the rules and defaults are in
/// `domain::reorder`; the window and the command line call these).
impl SafetySettings {
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
        let settings = Self {
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
        Ok(settings.or_defaults())
    }

    /// Checks and stores the settings.
    pub fn save(&self, store: &mut Store) -> Result<(), SafetyServiceError> {
        self.check().map_err(SafetyServiceError::Invalid)?;
        store.in_transaction(|tx| {
            let set = |key: &str, value: String| settings::set(tx, key, &value);
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

/// Checks and stores a product's order rules (multiple, minimum order, max stock).
pub fn save_order_rules(
    store: &mut Store,
    product_id: ProductId,
    rules: &OrderRules,
) -> Result<(), SafetyServiceError> {
    rules.check().map_err(SafetyServiceError::Invalid)?;
    store.in_transaction(|tx| set_order_rules(tx, product_id, rules))?;
    Ok(())
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

/// Creates the drafts as open, unconfirmed purchase orders (next free numbers) in one
/// transaction. Every draft is checked before the first is created; POs without lines are
/// skipped.
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
    let inputs: Vec<PoInput> = drafts
        .iter()
        .map(|draft| PoInput {
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
        })
        .collect();
    // One transaction: all of them or none, and one undo point when recorded.
    let created = super::purchasing::create_pos(store, &inputs, clock)?;
    Ok(created.into_iter().map(|(_, number)| number).collect())
}
