//! Recomputing promises for every waiting line, finding the ones that slipped, and explaining
//! a window.

use std::collections::HashMap;

use crate::store::Connection;
use chrono::NaiveDate;

use crate::domain::lateness::{RECORD_DAYS, ShopLateness, SupplierLateness};
use crate::domain::promise::{
    DateStyle, InboundLine, Promise, PromiseContext, PromiseFlag, PromiseSlip, explain,
    flag_last_promise_date, format_day, format_window, holds, promise_queue, record_slip, slipped,
};
use crate::domain::safety_stock::round_up_units;
use crate::store::promises::{
    NewChange, QueueProduct, StoredPromise, delete_promises_except, last_calendar_change,
    last_recorded_window, line_labels, note_history, record_change, save_promise, stored_promises,
    waiting_queues,
};
use crate::store::purchasing::OpenInbound;
use crate::store::purchasing::{lateness_records, open_inbound, supplier_names};
use crate::store::safety::all_lead_times;
use crate::store::settings::{self, PROMISE_RULE};
use crate::store::{ProductId, Result};

/// One waiting line with its promise, for listings (CLI `backorders`, exports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackorderLine {
    pub order_number: String,
    pub sku: String,
    pub customer_email: String,
    pub quantity_waiting: i64,
    pub ordered_on: NaiveDate,
    pub promise: Promise,
    /// Why the window is what it is ("ships Mar 3–7: PO-12 expected Mar 2, …").
    pub explanation: String,
    /// Recorded although its product could not be backordered (a storefront sold it).
    pub oversold: bool,
}

impl BackorderLine {
    /// The line's flags as codes: the promise's (`needs_reorder`, …), then `oversold`.
    pub fn flag_codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.promise.flags.iter().map(|f| f.code()).collect();
        if self.oversold {
            codes.push("oversold");
        }
        codes
    }

    /// The line's flags for people.
    pub fn flag_labels(&self) -> Vec<&'static str> {
        let mut labels: Vec<&'static str> = self.promise.flags.iter().map(|f| f.label()).collect();
        if self.oversold {
            labels.push("oversold");
        }
        labels
    }
}

/// The result of a recompute: the lines whose promise moved later.
#[derive(Debug, Clone, Default)]
pub struct Recompute {
    pub slips: Vec<PromiseSlip>,
    /// Every waiting line whose stored promise changed.
    pub changes: Vec<PromiseChange>,
    /// Lines that waited before this run and no longer do.
    pub stopped_waiting: Vec<i64>,
}

/// A waiting line whose promise changed in a run (a domain record, shared with drafting).
pub use crate::domain::promise::PromiseChange;

/// The handling days setting (one rule for every reader: `domain::promise::handling_days_setting`).
pub fn handling_days(conn: &Connection) -> Result<i64> {
    settings::handling_days(conn)
}

/// The share of promises whose window end should be met (setting `promise_target_pct`,
/// default 90%), as a fraction.
pub fn promise_target(conn: &Connection) -> Result<f64> {
    settings::promise_target(conn)
}

/// How windows are made: from the suppliers' records (the shop's model), or the naive rule
/// (expected date + handling, no allowance for lateness), kept to compare against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindowRule {
    #[default]
    Calibrated,
    Naive,
}

impl WindowRule {
    pub fn code(self) -> &'static str {
        match self {
            Self::Calibrated => "calibrated",
            Self::Naive => "naive",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Calibrated, Self::Naive]
            .into_iter()
            .find(|rule| rule.code() == code.trim())
    }
}

/// What the engine reads once per run: handling days, open PO lines, the suppliers' fitted
/// lateness and the lead time of a PO placed today per product.
pub struct PromiseInputs {
    handling_days: i64,
    inbound: HashMap<ProductId, Vec<OpenInbound>>,
    lateness: ShopLateness,
    naive: Option<SupplierLateness>,
    /// Per product: the average lead time of its receipts, rounded up (what reorder
    /// suggestions expect a new PO after).
    measured_lead: HashMap<ProductId, i64>,
    suppliers: HashMap<i64, String>,
}

impl PromiseInputs {
    /// Reads what the engine needs as of `today` (the lateness record of the
    /// [`RECORD_DAYS`] days before it).
    pub fn load(conn: &Connection, today: NaiveDate) -> Result<Self> {
        let rule = settings::get(conn, PROMISE_RULE)?
            .as_deref()
            .and_then(WindowRule::from_code)
            .unwrap_or_default();
        let measured_lead = all_lead_times(conn)?
            .into_iter()
            .filter(|(_, days)| !days.is_empty())
            .map(|(product, days)| {
                let mean = days.iter().sum::<i64>() as f64 / days.len() as f64;
                (product, round_up_units(mean))
            })
            .collect();
        Ok(Self {
            handling_days: handling_days(conn)?,
            inbound: open_inbound(conn)?,
            lateness: ShopLateness::fit(
                &lateness_records(conn, today - chrono::Duration::days(RECORD_DAYS))?,
                promise_target(conn)?,
            ),
            naive: (rule == WindowRule::Naive).then(SupplierLateness::naive),
            measured_lead,
            suppliers: supplier_names(conn)?,
        })
    }

    /// The lead time of a PO placed today for a product: its receipts' average (as reorder
    /// suggestions use it), else the product's own.
    pub fn lead_time(&self, product_id: ProductId, product_lead_days: Option<i64>) -> Option<i64> {
        self.measured_lead
            .get(&product_id)
            .copied()
            .or(product_lead_days)
    }

    /// The fitted lateness of a supplier (or the naive rule when that is in force).
    pub fn lateness(&self, supplier_id: Option<i64>) -> &SupplierLateness {
        self.naive
            .as_ref()
            .unwrap_or_else(|| self.lateness.for_supplier(supplier_id))
    }

    pub fn supplier_name(&self, supplier_id: Option<i64>) -> &str {
        supplier_id
            .and_then(|id| self.suppliers.get(&id))
            .map_or("", String::as_str)
    }

    /// The engine's context for one product.
    pub fn context(
        &self,
        today: NaiveDate,
        product_id: ProductId,
        lead_time_days: Option<i64>,
        max_wait_days: i64,
        supplier_id: Option<i64>,
    ) -> PromiseContext<'_> {
        PromiseContext {
            today,
            handling_days: self.handling_days,
            lead_time_days: self.lead_time(product_id, lead_time_days),
            max_wait_days,
            lateness: self.lateness(supplier_id),
        }
    }

    /// The context of a product with waiting lines.
    pub fn context_of(&self, today: NaiveDate, product: &QueueProduct) -> PromiseContext<'_> {
        self.context(
            today,
            product.product_id,
            product.lead_time_days,
            product.max_wait_days,
            product.supplier_id,
        )
    }

    /// Open PO lines of one product.
    pub fn arrivals(&self, product_id: ProductId) -> Vec<InboundLine> {
        self.inbound
            .get(&product_id)
            .map_or_else(Vec::new, |lines| {
                lines
                    .iter()
                    .map(|line| InboundLine {
                        po_number: line.po_number.clone(),
                        expected_at: line.expected_at,
                        open_quantity: line.open_quantity,
                        confirmed: line.confirmed,
                    })
                    .collect()
            })
    }
}

/// The shop-wide "last day to promise delivery before" date, when set.
pub fn last_promise_date(conn: &Connection) -> Result<Option<NaiveDate>> {
    settings::last_promise_date(conn)
}

/// The promises of one product's queue as of `today`. With `given` (the stored promises), a
/// line keeps the window it was given while it can still be kept (`domain::promise::holds`);
/// the second list says which lines did.
fn product_promises(
    inputs: &PromiseInputs,
    product: &QueueProduct,
    today: NaiveDate,
    last_date: Option<NaiveDate>,
    given: Option<&HashMap<i64, StoredPromise>>,
) -> (Vec<Promise>, Vec<bool>) {
    let context = inputs.context_of(today, product);
    let arrivals = inputs.arrivals(product.product_id);
    let mut promises = promise_queue(&product.queue, &arrivals, &context);
    let mut held = vec![false; promises.len()];
    for (promise, held) in promises.iter_mut().zip(held.iter_mut()) {
        flag_last_promise_date(promise, last_date);
        let Some(stored) = given.and_then(|given| given.get(&promise.line_id)) else {
            continue;
        };
        let (Some(before), Some(now)) = (stored.window, promise.window) else {
            continue;
        };
        let expected = promise.covered_by.as_ref().and_then(|number| {
            arrivals
                .iter()
                .find(|line| &line.po_number == number)
                .and_then(|line| line.expected_at)
        });
        if now.end > before.end
            && stored.covered_by.is_some()
            && stored.covered_by == promise.covered_by
            && expected
                .is_some_and(|expected| holds(before, expected, today, context.handling_days))
        {
            promise.window = Some(before);
            promise.flags.clone_from(&stored.flags);
            *held = true;
        }
    }
    (promises, held)
}

/// Computes the promise of every waiting line without writing anything (each line keeping the
/// window it was given while it can still be kept).
pub fn compute(conn: &Connection, today: NaiveDate) -> Result<Vec<(QueueProduct, Vec<Promise>)>> {
    let inputs = PromiseInputs::load(conn, today)?;
    let last_date = last_promise_date(conn)?;
    let stored = stored_promises(conn)?;
    Ok(waiting_queues(conn)?
        .into_iter()
        .map(|product| {
            let (promises, _) =
                product_promises(&inputs, &product, today, last_date, Some(&stored));
            (product, promises)
        })
        .collect())
}

/// Why a calendar-only move happened, for "promises changed".
fn calendar_reason(promise: &Promise) -> String {
    match &promise.covered_by {
        Some(po) => format!("{po} is late (the date moves with the calendar)"),
        None => "no purchase order yet (the date moves a day later each day)".to_owned(),
    }
}

/// Recomputes every promise, stores them, keeps each line's promise history, and records each
/// line whose window end moved later (with `reason`). A move caused only by the calendar (the
/// promise worked out again for the day it was last computed gives what was stored) is recorded
/// at most once a week per line. Run inside the transaction of the change that caused it.
pub fn recompute(conn: &Connection, today: NaiveDate, reason: &str) -> Result<Recompute> {
    let inputs = PromiseInputs::load(conn, today)?;
    let last_date = last_promise_date(conn)?;
    let stored = stored_promises(conn)?;
    let mut result = Recompute::default();
    let mut waiting_ids = Vec::new();
    for product in waiting_queues(conn)? {
        let (promises, _) = product_promises(&inputs, &product, today, last_date, Some(&stored));
        // The queue's promises as of earlier days, worked out with today's inputs.
        let mut as_of: HashMap<NaiveDate, Vec<Promise>> = HashMap::new();
        for (line, promise) in product.queue.iter().zip(promises) {
            waiting_ids.push(line.line_id);
            let old = stored.get(&line.line_id);
            let changed = old.is_none_or(|old| {
                old.window != promise.window
                    || old.covered_by != promise.covered_by
                    || old.flags != promise.flags
            });
            if let Some(old) = old
                && slipped(old.window, promise.window)
            {
                let calendar_only = old.computed_on.is_some_and(|day| {
                    day < today
                        && as_of
                            .entry(day)
                            .or_insert_with(|| {
                                product_promises(&inputs, &product, day, last_date, None).0
                            })
                            .iter()
                            .find(|p| p.line_id == line.line_id)
                            .is_some_and(|then| then.window == old.window)
                });
                if record_slip(
                    calendar_only,
                    last_calendar_change(conn, line.line_id)?,
                    today,
                ) {
                    // A calendar move says what the line was last told about in the list.
                    let before = if calendar_only {
                        last_recorded_window(conn, line.line_id)?.or(old.window)
                    } else {
                        old.window
                    };
                    let calendar_text;
                    record_change(
                        conn,
                        &NewChange {
                            line_id: line.line_id,
                            detected_on: today,
                            old: before,
                            new: promise.window,
                            reason: if calendar_only {
                                calendar_text = calendar_reason(&promise);
                                &calendar_text
                            } else {
                                reason
                            },
                            calendar_only,
                        },
                    )?;
                    result.slips.push(PromiseSlip {
                        line_id: line.line_id,
                        old: before,
                        new: promise.window,
                    });
                }
            }
            if changed {
                if let Some(old) = old {
                    result.changes.push(PromiseChange {
                        line_id: line.line_id,
                        dated: old.covered_by.is_none() && promise.covered_by.is_some(),
                        news_possible: old.window != promise.window
                            && (old.covered_by.is_some() || promise.covered_by.is_some()),
                    });
                }
                save_promise(conn, &promise, today)?;
                if let Some(window) = promise.window {
                    note_history(conn, line.line_id, window, today)?;
                }
            }
        }
    }
    result.stopped_waiting = delete_promises_except(conn, &waiting_ids)?;
    super::notify::reconcile_after_recompute(
        conn,
        &result.changes,
        &result.stopped_waiting,
        today,
    )?;
    Ok(result)
}

/// Every waiting line with its promise and its explanation as of `today`, without writing
/// anything: SKU, then queue order.
pub fn backorder_lines(conn: &Connection, today: NaiveDate) -> Result<Vec<BackorderLine>> {
    let labels = line_labels(conn)?;
    let oversold = crate::store::shop_orders::oversold_line_ids(conn)?;
    let inputs = PromiseInputs::load(conn, today)?;
    let last_date = last_promise_date(conn)?;
    let style = date_style(conn)?;
    let stored = stored_promises(conn)?;
    let mut out = Vec::new();
    for product in waiting_queues(conn)? {
        let (promises, held) = product_promises(&inputs, &product, today, last_date, Some(&stored));
        let context = inputs.context_of(today, &product);
        let arrivals = inputs.arrivals(product.product_id);
        let supplier = inputs.supplier_name(product.supplier_id);
        for ((line, promise), held) in product.queue.iter().zip(promises).zip(held) {
            let (order_number, customer_email) =
                labels.get(&line.line_id).cloned().unwrap_or_default();
            let explanation = if held {
                held_text(
                    &promise,
                    stored.get(&line.line_id),
                    &arrivals,
                    &context,
                    style,
                )
            } else {
                explain(&promise, &arrivals, &context, supplier, style)
            };
            out.push(BackorderLine {
                order_number,
                sku: product.sku.clone(),
                customer_email,
                quantity_waiting: line.waiting,
                ordered_on: line.ordered_on,
                explanation,
                promise,
                oversold: oversold.contains(&line.line_id),
            });
        }
    }
    out.sort_by(|a, b| {
        a.sku
            .cmp(&b.sku)
            .then(a.promise.queue_position.cmp(&b.promise.queue_position))
    });
    Ok(out)
}

/// The explanation of a line that keeps the window it was given.
fn held_text(
    promise: &Promise,
    stored: Option<&StoredPromise>,
    inbound: &[InboundLine],
    context: &PromiseContext<'_>,
    style: DateStyle,
) -> String {
    let Some(window) = promise.window else {
        return String::new();
    };
    let po = promise
        .covered_by
        .as_ref()
        .and_then(|number| inbound.iter().find(|line| &line.po_number == number));
    let given_on = stored
        .and_then(|stored| stored.computed_on)
        .map(|day| format!(" on {}", format_day(day, style)))
        .unwrap_or_default();
    match po.and_then(|po| po.expected_at.map(|expected| (po, expected))) {
        Some((po, expected)) => format!(
            "ships {}: the window given{given_on} still holds: {} (expected {}) arriving by {} ships it in time",
            format_window(window, style),
            po.po_number,
            format_day(expected, style),
            format_day(
                window.end - chrono::Duration::days(context.handling_days),
                style
            )
        ),
        None => format!(
            "ships {}: the window given{given_on} still holds",
            format_window(window, style)
        ),
    }
}

fn date_style(conn: &Connection) -> Result<DateStyle> {
    settings::date_style(conn)
}

/// The explanation of each waiting line of one order, by line id.
pub fn explain_lines(
    conn: &Connection,
    line_ids: &[i64],
    today: NaiveDate,
) -> Result<HashMap<i64, String>> {
    let inputs = PromiseInputs::load(conn, today)?;
    let last_date = last_promise_date(conn)?;
    let style = date_style(conn)?;
    let stored = stored_promises(conn)?;
    let mut out = HashMap::new();
    for product in waiting_queues(conn)? {
        if !product
            .queue
            .iter()
            .any(|line| line_ids.contains(&line.line_id))
        {
            continue;
        }
        let (promises, held) = product_promises(&inputs, &product, today, last_date, Some(&stored));
        let context = inputs.context_of(today, &product);
        let arrivals = inputs.arrivals(product.product_id);
        let supplier = inputs.supplier_name(product.supplier_id);
        for (promise, held) in promises.into_iter().zip(held) {
            if line_ids.contains(&promise.line_id) {
                let text = if held {
                    held_text(
                        &promise,
                        stored.get(&promise.line_id),
                        &arrivals,
                        &context,
                        style,
                    )
                } else {
                    explain(&promise, &arrivals, &context, supplier, style)
                };
                out.insert(promise.line_id, text);
            }
        }
    }
    Ok(out)
}

/// Per product: waiting lines no purchase order covers whose date moves a day later every day
/// without one (they have a lead time, so a date). Products without such lines are left out.
pub fn slipping_lines(conn: &Connection, today: NaiveDate) -> Result<HashMap<ProductId, i64>> {
    slipping_lines_with(conn, &PromiseInputs::load(conn, today)?, today)
}

/// [`slipping_lines`] with the engine's inputs already read.
pub fn slipping_lines_with(
    conn: &Connection,
    inputs: &PromiseInputs,
    today: NaiveDate,
) -> Result<HashMap<ProductId, i64>> {
    let mut out = HashMap::new();
    for product in waiting_queues(conn)? {
        let (promises, _) = product_promises(inputs, &product, today, None, None);
        let slipping = promises
            .iter()
            .filter(|p| {
                p.covered_by.is_none()
                    && p.window.is_some()
                    && p.flags.contains(&PromiseFlag::NeedsReorder)
            })
            .count() as i64;
        if slipping > 0 {
            out.insert(product.product_id, slipping);
        }
    }
    Ok(out)
}

/// What the order detail says about one line's promise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinePromiseNote {
    /// Why a waiting line's window is what it is.
    pub explanation: Option<String>,
    /// Its first window and what became of it.
    pub first_promise: Option<String>,
}

/// The promise notes of an order's lines, by line id (lines with nothing to say are left out).
pub fn order_promise_notes(
    conn: &Connection,
    order_id: i64,
    line_ids: &[i64],
    today: NaiveDate,
) -> Result<HashMap<i64, LinePromiseNote>> {
    let style = date_style(conn)?;
    let mut out: HashMap<i64, LinePromiseNote> = HashMap::new();
    for (line_id, explanation) in explain_lines(conn, line_ids, today)? {
        out.entry(line_id).or_default().explanation = Some(explanation);
    }
    for (line_id, (history, shipped_on)) in
        crate::store::promises::order_promise_histories(conn, order_id)?
    {
        out.entry(line_id).or_default().first_promise =
            Some(crate::domain::promise::first_promise_text(
                history.first,
                history.first_on,
                shipped_on,
                style,
            ));
    }
    Ok(out)
}
