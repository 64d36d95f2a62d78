//! Recomputing promises for every waiting line, and finding the ones that slipped.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::domain::promise::{
    DEFAULT_HANDLING_DAYS, DEFAULT_SPREAD_DAYS, InboundLine, Promise, PromiseContext, PromiseSlip,
    flag_last_promise_date, lateness_spread, promise_queue, slipped,
};
use crate::store::promises::{
    QueueProduct, delete_promises_except, line_labels, record_change, save_promise,
    stored_promises, waiting_queues,
};
use crate::store::purchasing::OpenInbound;
use crate::store::purchasing::{open_inbound, supplier_lateness};
use crate::store::settings::{HANDLING_DAYS, LAST_PROMISE_DATE};
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

/// A waiting line whose promise changed in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseChange {
    pub line_id: i64,
    /// A purchase order covers it now and none did before: the PO dated it.
    pub dated: bool,
    /// The change may be news for the customer: the window moved and a purchase order backs
    /// the old or the new one (an estimate moving with the calendar is not news).
    pub news_possible: bool,
}

pub fn handling_days(conn: &Connection) -> Result<i64> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [HANDLING_DAYS],
            |row| row.get(0),
        )
        .ok();
    Ok(value
        .and_then(|text| text.trim().parse().ok())
        .filter(|days: &i64| (0..=60).contains(days))
        .unwrap_or(DEFAULT_HANDLING_DAYS))
}

/// What the engine reads once per run: handling days, open PO lines, supplier spreads.
pub struct PromiseInputs {
    handling_days: i64,
    inbound: HashMap<ProductId, Vec<OpenInbound>>,
    spreads: HashMap<i64, i64>,
}

impl PromiseInputs {
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Self {
            handling_days: handling_days(conn)?,
            inbound: open_inbound(conn)?,
            spreads: supplier_lateness(conn)?
                .into_iter()
                .map(|(supplier, lateness)| (supplier, lateness_spread(&lateness)))
                .collect(),
        })
    }

    /// The engine's context for one product.
    pub fn context(
        &self,
        today: NaiveDate,
        lead_time_days: Option<i64>,
        max_wait_days: i64,
        supplier_id: Option<i64>,
    ) -> PromiseContext {
        PromiseContext {
            today,
            handling_days: self.handling_days,
            lead_time_days,
            max_wait_days,
            spread_days: supplier_id
                .and_then(|supplier| self.spreads.get(&supplier).copied())
                .unwrap_or(DEFAULT_SPREAD_DAYS),
        }
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
    use rusqlite::OptionalExtension;
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [LAST_PROMISE_DATE],
            |row| row.get(0),
        )
        .optional()?;
    Ok(value.and_then(|text| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()))
}

/// Computes the promise of every waiting line without writing anything.
pub fn compute(conn: &Connection, today: NaiveDate) -> Result<Vec<(QueueProduct, Vec<Promise>)>> {
    let inputs = PromiseInputs::load(conn)?;
    let last_date = last_promise_date(conn)?;
    Ok(waiting_queues(conn)?
        .into_iter()
        .map(|product| {
            let context = inputs.context(
                today,
                product.lead_time_days,
                product.max_wait_days,
                product.supplier_id,
            );
            let mut promises = promise_queue(
                &product.queue,
                &inputs.arrivals(product.product_id),
                &context,
            );
            for promise in &mut promises {
                flag_last_promise_date(promise, last_date);
            }
            (product, promises)
        })
        .collect())
}

/// Recomputes every promise, stores them, and records each line whose window end moved later
/// (with `reason`). Run inside the transaction of the change that caused it.
pub fn recompute(conn: &Connection, today: NaiveDate, reason: &str) -> Result<Recompute> {
    let computed = compute(conn, today)?;
    let stored = stored_promises(conn)?;
    let mut result = Recompute::default();
    let mut waiting_ids = Vec::new();
    for (product, promises) in computed {
        for (line, promise) in product.queue.iter().zip(promises) {
            waiting_ids.push(line.line_id);
            let old = stored.get(&line.line_id);
            let changed = old.is_none_or(|old| {
                old.window != promise.window
                    || old.covered_by != promise.covered_by
                    || old.flags != promise.flags
            });
            // Lines no PO covers, before and after, are dated from the lead time: their date
            // moving with the calendar is not news (the notice already said "reorder").
            if let Some(old) = old
                && (old.covered_by.is_some() || promise.covered_by.is_some())
                && slipped(old.window, promise.window)
            {
                record_change(
                    conn,
                    line.line_id,
                    today,
                    old.window,
                    promise.window,
                    reason,
                )?;
                result.slips.push(PromiseSlip {
                    line_id: line.line_id,
                    old: old.window,
                    new: promise.window,
                });
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

/// Every waiting line with its promise as of `today`, without writing anything: SKU, then queue
/// order.
pub fn backorder_lines(conn: &Connection, today: NaiveDate) -> Result<Vec<BackorderLine>> {
    let labels = line_labels(conn)?;
    let oversold = crate::store::shop_orders::oversold_line_ids(conn)?;
    let mut out = Vec::new();
    for (product, promises) in compute(conn, today)? {
        for (line, promise) in product.queue.iter().zip(promises) {
            let (order_number, customer_email) =
                labels.get(&line.line_id).cloned().unwrap_or_default();
            out.push(BackorderLine {
                order_number,
                sku: product.sku.clone(),
                customer_email,
                quantity_waiting: line.waiting,
                ordered_on: line.ordered_on,
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
