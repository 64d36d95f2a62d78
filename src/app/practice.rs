//! The rest of a good backorder practice, shared by the window and the command line: charge
//! when it ships (the "Capture payment" list and its actions), backorder cutoffs, storefront
//! badges and the policy advisor.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::limits::add_days_saturating;
use crate::domain::order::OrderStatus;
use chrono::NaiveDate;
use thiserror::Error;

use super::Clock;
use super::catalog::catalog_rows;
use super::promises::recompute;
use crate::domain::advisor::{Advice, Thresholds, advise};
use crate::domain::identity::Platform;
use crate::domain::kpi::{LeadTimeStats, lead_time_stats};
use crate::domain::payment::{
    DEFAULT_AUTH_MAX_AGE_DAYS, PaymentGate, PaymentState, authorization_age_days,
    authorization_is_old,
};
use crate::domain::promise::DateStyle;
use crate::domain::storefront::{StorefrontBadge, StorefrontFormat};
use crate::domain::{BackorderPolicy, StockStatus};
use crate::io::write_atomically;
use crate::store::orders::{OrderFilter, OrderId, OrderSummary, order_summaries, order_summary};
use crate::store::practice::{
    AdvisorProduct, CutoffRow, advisor_products, capture_attempts, cutoffs, set_category_cutoff,
    set_policy, set_product_cutoff, supplier_receipts, update_payment,
};
use crate::store::settings::{
    self, ADVISOR_MAX_LEAD_DAYS, ADVISOR_MAX_LEAD_SD_DAYS, ADVISOR_MIN_ON_TIME_PCT,
    ADVISOR_MIN_RECEIPTS, AUTH_MAX_AGE_DAYS, LAST_PROMISE_DATE,
};
use crate::store::{ProductId, Store, StoreError};

/// Days of receipts the advisor looks at.
pub const ADVISOR_HISTORY_DAYS: i64 = 365;

#[derive(Debug, Error)]
pub enum PracticeError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write '{path}': {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What the shop records about an order's payment (the app does not talk to payment
/// providers: the shop captures in its payment dashboard and says here what happened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentAction {
    /// The card was (re-)authorized now: the order must be captured before it ships.
    Authorized,
    /// The amount due was captured.
    Captured,
    /// The capture failed: the order stays off the pick list and a "please update your
    /// payment" message is drafted.
    CaptureFailed,
    /// No card payment to collect (paid otherwise): ships as soon as stock is reserved.
    NotNeeded,
}

impl PaymentAction {
    pub const ALL: [Self; 4] = [
        Self::Authorized,
        Self::Captured,
        Self::CaptureFailed,
        Self::NotNeeded,
    ];

    /// Parses what is typed after `payment ORDER`: the state the order goes to.
    pub fn from_code(code: &str) -> Option<Self> {
        match PaymentState::from_code(code)? {
            PaymentState::Authorized => Some(Self::Authorized),
            PaymentState::Captured => Some(Self::Captured),
            PaymentState::Failed => Some(Self::CaptureFailed),
            PaymentState::NotNeeded => Some(Self::NotNeeded),
        }
    }

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Authorized => "Re-authorized",
            Self::Captured => "Captured",
            Self::CaptureFailed => "Capture failed",
            Self::NotNeeded => "Not needed",
        }
    }
}

/// What a payment action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOutcome {
    pub order_number: String,
    pub state: PaymentState,
    /// Cents captured by this action (Captured only).
    pub captured_cents: i64,
    /// A payment message was drafted (Capture failed only).
    pub drafted: bool,
}

impl PaymentOutcome {
    /// A sentence for the status bar and the command line.
    pub fn message(&self) -> String {
        match self.state {
            PaymentState::Captured => format!(
                "{}: captured {}; it can ship now",
                self.order_number,
                crate::domain::format_cents(self.captured_cents)
            ),
            PaymentState::Failed => format!(
                "{}: capture failed; kept off the pick list{}",
                self.order_number,
                if self.drafted {
                    ", payment update request drafted in Messages"
                } else {
                    ""
                }
            ),
            PaymentState::Authorized => format!(
                "{}: card authorized; capture it when the order is ready",
                self.order_number
            ),
            PaymentState::NotNeeded => format!(
                "{}: no payment to collect; ships when stock is reserved",
                self.order_number
            ),
        }
    }
}

/// Records a payment action on an open order, in one transaction with its message draft.
pub fn record_payment(
    store: &mut Store,
    order_id: OrderId,
    action: PaymentAction,
    clock: &Clock,
) -> Result<PaymentOutcome, PracticeError> {
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let summary = order_summary(tx, order_id)?;
        if summary.status != OrderStatus::Open {
            return Err(PracticeError::Invalid(format!(
                "Order {} is {}: its payment can no longer change",
                summary.order_number, summary.status
            )));
        }
        let due = summary.payment_figures().capture_due_cents();
        let mut outcome = PaymentOutcome {
            order_number: summary.order_number.clone(),
            state: summary.payment,
            captured_cents: 0,
            drafted: false,
        };
        match action {
            PaymentAction::Authorized => {
                // A captured order keeps what it captured; the new authorization covers the rest.
                let state = if summary.payment == PaymentState::Captured {
                    PaymentState::Captured
                } else {
                    PaymentState::Authorized
                };
                update_payment(tx, order_id, state, Some(&at), 0, false, &at)?;
                outcome.state = PaymentState::Authorized;
            }
            PaymentAction::Captured => {
                if summary.payment == PaymentState::NotNeeded {
                    return Err(PracticeError::Invalid(format!(
                        "Order {} needs no card payment; mark it authorized first",
                        summary.order_number
                    )));
                }
                if due == 0 {
                    return Err(PracticeError::Invalid(format!(
                        "Nothing of order {} is ready to ship, so there is nothing to capture yet",
                        summary.order_number
                    )));
                }
                update_payment(tx, order_id, PaymentState::Captured, None, due, true, &at)?;
                outcome.state = PaymentState::Captured;
                outcome.captured_cents = due;
            }
            PaymentAction::CaptureFailed => {
                if summary.payment == PaymentState::NotNeeded {
                    return Err(PracticeError::Invalid(format!(
                        "Order {} needs no card payment; mark it authorized first",
                        summary.order_number
                    )));
                }
                update_payment(tx, order_id, PaymentState::Failed, None, 0, true, &at)?;
                let attempt = capture_attempts(tx, order_id)?;
                let amount = if due > 0 { due } else { summary.reserved_cents };
                super::notify::draft_payment(tx, order_id, amount, attempt, &at)?;
                outcome.state = PaymentState::Failed;
                outcome.drafted = true;
            }
            PaymentAction::NotNeeded => {
                update_payment(tx, order_id, PaymentState::NotNeeded, None, 0, false, &at)?;
                outcome.state = PaymentState::NotNeeded;
            }
        }
        // A payment request that is no longer true (the payment was settled) is withdrawn.
        super::notify::reconcile_order(
            tx,
            order_id,
            &crate::domain::drafting::Triggers::default(),
            &at,
        )?;
        Ok(outcome)
    })
}

/// One order on the "Capture payment" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureRow {
    pub summary: OrderSummary,
    /// What to capture: the value of the lines about to ship not covered by earlier captures.
    pub amount_cents: i64,
    /// Whole days since the card was authorized.
    pub authorization_age_days: Option<i64>,
    /// Older than the `auth_max_age_days` setting: the authorization may have lapsed.
    pub authorization_old: bool,
    /// The last capture failed.
    pub failed: bool,
}

/// The `auth_max_age_days` setting (default 7).
pub fn auth_max_age_days(store: &Store) -> Result<i64, StoreError> {
    Ok(store
        .setting(AUTH_MAX_AGE_DAYS)?
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|days| *days >= 0)
        .unwrap_or(DEFAULT_AUTH_MAX_AGE_DAYS))
}

/// Ready orders whose card payment must be captured before they ship (and those whose capture
/// failed), oldest authorization first.
pub fn capture_list(store: &Store, today: NaiveDate) -> Result<Vec<CaptureRow>, StoreError> {
    let max_age = auth_max_age_days(store)?;
    let mut rows: Vec<CaptureRow> =
        order_summaries(store.connection(), OrderFilter::Capture, "", usize::MAX)?
            .into_iter()
            .map(|summary| {
                let authorized = summary.authorized_on();
                let gate = summary.payment_gate();
                CaptureRow {
                    amount_cents: summary.payment_figures().capture_due_cents(),
                    authorization_age_days: authorized.map(|at| authorization_age_days(at, today)),
                    authorization_old: authorization_is_old(authorized, today, max_age),
                    failed: gate == PaymentGate::Failed,
                    summary,
                }
            })
            .collect();
    rows.sort_by(|a, b| {
        b.authorization_age_days
            .cmp(&a.authorization_age_days)
            .then(a.summary.ordered_at.cmp(&b.summary.ordered_at))
    });
    Ok(rows)
}

/// Where a cutoff applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CutoffTarget {
    Product(String),
    Category(String),
    /// The shop-wide "last day to promise delivery before" date.
    LastPromiseDate,
}

/// Sets or clears a cutoff, then recomputes promises (a last promise date flags lines).
pub fn set_cutoff(
    store: &mut Store,
    target: &CutoffTarget,
    date: Option<NaiveDate>,
    clock: &Clock,
) -> Result<String, PracticeError> {
    if let Some(day) = date {
        crate::domain::limits::check_day("The date", day)
            .map_err(|error| PracticeError::Invalid(format!("{error}; nothing was changed")))?;
    }
    let at = clock.now_text();
    let text = |date: Option<NaiveDate>| date.map_or_else(|| "none".to_owned(), |d| d.to_string());
    store.in_transaction_with(|tx| {
        let message = match target {
            CutoffTarget::Product(sku) => {
                let stock =
                    crate::store::orders::product_stock_by_sku(tx, sku)?.ok_or_else(|| {
                        PracticeError::Invalid(format!("No product with SKU '{}'", sku.trim()))
                    })?;
                set_product_cutoff(tx, stock.product_id, date, &at)?;
                format!("{}: backorders accepted until {}", stock.sku, text(date))
            }
            CutoffTarget::Category(name) => {
                if name.trim().is_empty() {
                    return Err(PracticeError::Invalid("Name a category".into()));
                }
                set_category_cutoff(tx, name, date)?;
                format!(
                    "Category {}: backorders accepted until {}",
                    name.trim(),
                    text(date)
                )
            }
            CutoffTarget::LastPromiseDate => {
                match date {
                    Some(date) => settings::set(tx, LAST_PROMISE_DATE, &date.to_string())?,
                    None => settings::remove(tx, LAST_PROMISE_DATE)?,
                }
                format!("Last day to promise delivery before: {}", text(date))
            }
        };
        recompute(tx, clock.today(), "cutoff changed")?;
        Ok(message)
    })
}

/// Every cutoff set, and the last promise date.
pub fn cutoff_list(store: &Store) -> Result<(Vec<CutoffRow>, Option<NaiveDate>), StoreError> {
    Ok((
        cutoffs(store.connection())?,
        super::promises::last_promise_date(store.connection())?,
    ))
}

/// The web shop badge of every product, by SKU.
pub fn storefront_badges(
    store: &Store,
    today: NaiveDate,
) -> Result<Vec<StorefrontBadge>, PracticeError> {
    let style = super::notify::date_style(store.connection())?;
    let mut rows = catalog_rows(store, today).map_err(|error| match error {
        super::catalog::CatalogError::Store(error) => PracticeError::Store(error),
        other => PracticeError::Invalid(other.to_string()),
    })?;
    rows.sort_by(|a, b| a.sku.cmp(&b.sku));
    Ok(rows
        .iter()
        .map(|row| {
            // Stock the shop does not count is always orderable: the customer sees "In stock".
            let text = if row.track_stock {
                row.badge_text_in(style)
            } else {
                StockStatus::InStock.label().to_owned()
            };
            // The window is exported only when the badge names it.
            let window = row.next_window.filter(|_| text.contains(" – ships "));
            StorefrontBadge {
                sku: row.sku.clone(),
                sku_in_shop: !row.sku_derived,
                handle: row
                    .identity
                    .as_ref()
                    .filter(|identity| identity.platform == Platform::Shopify)
                    .and_then(|identity| identity.key.split('/').next())
                    .map(str::to_owned),
                name: row.name.clone(),
                text,
                window,
            }
        })
        .collect())
}

/// Writes the storefront badges as a CSV for the web shop's product import. Returns the rows.
pub fn export_badges(
    store: &Store,
    format: StorefrontFormat,
    path: &Path,
    today: NaiveDate,
) -> Result<u64, PracticeError> {
    let badges = storefront_badges(store, today)?;
    write_atomically(path, |out| {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(format.header())?;
        for badge in badges.iter().filter(|badge| format.writes(badge)) {
            csv.write_record(format.record(badge))?;
        }
        csv.flush()
    })
    .map_err(|source| PracticeError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(badges.len() as u64)
}

/// The advisor thresholds from the settings (defaults where unset).
pub fn thresholds(store: &Store) -> Result<Thresholds, StoreError> {
    let defaults = Thresholds::default();
    let number = |key: &str| -> Result<Option<f64>, StoreError> {
        Ok(store
            .setting(key)?
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|value| value.is_finite() && *value >= 0.0))
    };
    Ok(Thresholds {
        min_on_time_pct: number(ADVISOR_MIN_ON_TIME_PCT)?.unwrap_or(defaults.min_on_time_pct),
        max_lead_sd_days: number(ADVISOR_MAX_LEAD_SD_DAYS)?.unwrap_or(defaults.max_lead_sd_days),
        max_lead_days: number(ADVISOR_MAX_LEAD_DAYS)?.unwrap_or(defaults.max_lead_days),
        min_receipts: number(ADVISOR_MIN_RECEIPTS)?.map_or(defaults.min_receipts, |n| n as usize),
    })
}

/// One product with the advisor's suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceRow {
    pub product: AdvisorProduct,
    pub stats: Option<LeadTimeStats>,
    pub advice: Advice,
}

impl AdviceRow {
    /// There is a suggestion and it differs from the current policy.
    pub fn actionable(&self) -> bool {
        self.advice.changes(self.product.policy)
    }
}

/// The advice for every active product, from its supplier's receipts of the last
/// [`ADVISOR_HISTORY_DAYS`] days.
pub fn advice(store: &Store, today: NaiveDate) -> Result<Vec<AdviceRow>, StoreError> {
    let thresholds = thresholds(store)?;
    let conn = store.connection();
    let receipts = supplier_receipts(
        conn,
        add_days_saturating(today, -(ADVISOR_HISTORY_DAYS - 1)),
        today,
    )?;
    let stats: HashMap<i64, LeadTimeStats> = receipts
        .iter()
        .filter_map(|(supplier, list)| lead_time_stats(list).map(|stats| (*supplier, stats)))
        .collect();
    Ok(advisor_products(conn)?
        .into_iter()
        .map(|product| {
            let supplier_stats = product.supplier_id.and_then(|id| stats.get(&id)).cloned();
            let advice = if product.supplier_id.is_none() {
                Advice {
                    suggestion: None,
                    reason: "No supplier set: the advisor cannot judge replenishment".to_owned(),
                }
            } else {
                advise(supplier_stats.as_ref(), &thresholds)
            };
            AdviceRow {
                product,
                stats: supplier_stats,
                advice,
            }
        })
        .collect())
}

/// Applies the advisor's suggestion to these products (only where it changes the policy).
/// Returns the SKUs changed with their new policy.
pub fn apply_advice(
    store: &mut Store,
    products: Option<&[ProductId]>,
    clock: &Clock,
) -> Result<Vec<(String, BackorderPolicy)>, PracticeError> {
    let rows = advice(store, clock.today())?;
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let mut changed = Vec::new();
        for row in rows.iter().filter(|row| row.actionable()) {
            if products.is_some_and(|ids| !ids.contains(&row.product.product_id)) {
                continue;
            }
            if let Some(policy) = row.advice.suggestion {
                set_policy(tx, row.product.product_id, policy, &at)?;
                changed.push((row.product.sku.clone(), policy));
            }
        }
        if !changed.is_empty() {
            recompute(tx, clock.today(), "backorder policy changed")?;
        }
        Ok(changed)
    })
}

/// The date style of the shop, for badges written by the CLI.
pub fn shop_date_style(store: &Store) -> Result<DateStyle, StoreError> {
    super::notify::date_style(store.connection())
}
