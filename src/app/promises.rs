//! Recomputing promises for every waiting line, and finding the ones that slipped.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::domain::promise::InboundLine;
use crate::domain::promise::{
    DEFAULT_HANDLING_DAYS, Promise, PromiseContext, PromiseSlip, lateness_spread, promise_queue,
    slipped,
};
use crate::store::Result;
use crate::store::promises::{
    QueueProduct, delete_promises_except, line_labels, record_change, save_promise,
    stored_promises, waiting_queues,
};
use crate::store::purchasing::{open_inbound, supplier_lateness};
use crate::store::settings::HANDLING_DAYS;

/// One waiting line with its promise, for listings (CLI `backorders`, exports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackorderLine {
    pub order_number: String,
    pub sku: String,
    pub customer_email: String,
    pub quantity_waiting: i64,
    pub ordered_on: NaiveDate,
    pub promise: Promise,
}

/// The result of a recompute.
#[derive(Debug, Clone, Default)]
pub struct Recompute {
    pub lines: Vec<BackorderLine>,
    pub slips: Vec<PromiseSlip>,
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

/// Computes the promise of every waiting line without writing anything.
pub fn compute(conn: &Connection, today: NaiveDate) -> Result<Vec<(QueueProduct, Vec<Promise>)>> {
    let handling_days = handling_days(conn)?;
    let queues = waiting_queues(conn)?;
    let inbound = open_inbound(conn)?;
    let spreads: HashMap<i64, i64> = supplier_lateness(conn)?
        .into_iter()
        .map(|(supplier, lateness)| (supplier, lateness_spread(&lateness)))
        .collect();
    let no_inbound = Vec::new();
    let mut out = Vec::with_capacity(queues.len());
    for product in queues {
        let context = PromiseContext {
            today,
            handling_days,
            lead_time_days: product.lead_time_days,
            max_wait_days: product.max_wait_days,
            spread_days: product
                .supplier_id
                .and_then(|supplier| spreads.get(&supplier).copied())
                .unwrap_or(crate::domain::promise::DEFAULT_SPREAD_DAYS),
        };
        let arrivals: Vec<InboundLine> = inbound
            .get(&product.product_id)
            .unwrap_or(&no_inbound)
            .iter()
            .map(|line| InboundLine {
                po_number: line.po_number.clone(),
                expected_at: line.expected_at,
                open_quantity: line.open_quantity,
                confirmed: line.confirmed,
            })
            .collect();
        let promises = promise_queue(&product.queue, &arrivals, &context);
        out.push((product, promises));
    }
    Ok(out)
}

/// Recomputes every promise, stores them, and records each line whose window end moved later
/// (with `reason`). Run inside the transaction of the change that caused it.
pub fn recompute(conn: &Connection, today: NaiveDate, reason: &str) -> Result<Recompute> {
    let computed = compute(conn, today)?;
    let stored = stored_promises(conn)?;
    let labels = line_labels(conn)?;
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
                save_promise(conn, &promise, today)?;
            }
            let (order_number, customer_email) =
                labels.get(&line.line_id).cloned().unwrap_or_default();
            result.lines.push(BackorderLine {
                order_number,
                sku: product.sku.clone(),
                customer_email,
                quantity_waiting: line.waiting,
                ordered_on: line.ordered_on,
                promise,
            });
        }
    }
    delete_promises_except(conn, &waiting_ids)?;
    Ok(result)
}

/// Every waiting line with its promise as of `today`, without writing anything: SKU, then queue
/// order.
pub fn backorder_lines(conn: &Connection, today: NaiveDate) -> Result<Vec<BackorderLine>> {
    let labels = line_labels(conn)?;
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
