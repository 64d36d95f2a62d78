//! Commands of the backorder practice: the capture list and payment states, cutoffs, the
//! policy advisor and cancellation reasons.

use std::io::Write;

use anyhow::anyhow;
use chrono::NaiveDate;
use clap::Subcommand;

use crate::app::Clock;
use crate::app::clock::parse_iso_date;
use crate::app::orders::{cancel_line_because, cancel_order_because};
use crate::app::practice::{
    CutoffTarget, PaymentAction, advice, apply_advice, capture_list, cutoff_list, record_payment,
    set_cutoff,
};
use crate::domain::advisor::suggestion_label;
use crate::domain::format_cents;
use crate::domain::order::CancelReason;
use crate::store::Store;
use crate::store::orders::{order_detail, order_id_by_number};

/// What `cutoff` changes.
#[derive(Debug, Subcommand)]
pub enum CutoffAction {
    /// Accept backorders for one product until DATE (inclusive); `none` clears it
    Product {
        sku: String,
        /// YYYY-MM-DD or none
        #[arg(allow_hyphen_values = true)]
        date: String,
    },
    /// Accept backorders for a whole category until DATE; a product's own cutoff wins
    Category {
        name: String,
        /// YYYY-MM-DD or none
        #[arg(allow_hyphen_values = true)]
        date: String,
    },
    /// The shop-wide last day to promise delivery before: later windows are flagged
    PromiseBy {
        /// YYYY-MM-DD or none
        #[arg(allow_hyphen_values = true)]
        date: String,
    },
    /// Every cutoff set
    List,
}

fn parse_date_or_none(text: &str) -> anyhow::Result<Option<NaiveDate>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("none") || text.is_empty() {
        return Ok(None);
    }
    parse_iso_date(text)
        .map(Some)
        .map_err(|error| anyhow!("{error}; or none to clear"))
}

/// `cutoff …`
pub fn cutoff(
    store: &mut Store,
    action: &CutoffAction,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (target, date) = match action {
        CutoffAction::Product { sku, date } => (CutoffTarget::Product(sku.clone()), date),
        CutoffAction::Category { name, date } => (CutoffTarget::Category(name.clone()), date),
        CutoffAction::PromiseBy { date } => (CutoffTarget::LastPromiseDate, date),
        CutoffAction::List => {
            let (rows, last) = cutoff_list(store)?;
            for row in &rows {
                writeln!(out, "{:<9} {:<24} {}", row.kind, row.name, row.cutoff)?;
            }
            match last {
                Some(date) => writeln!(out, "Last day to promise delivery before: {date}")?,
                None => writeln!(out, "No last promise date set")?,
            }
            if rows.is_empty() {
                writeln!(out, "No backorder cutoffs set")?;
            }
            return Ok(());
        }
    };
    let date = parse_date_or_none(date)?;
    let message = set_cutoff(store, &target, date, &clock)?;
    writeln!(out, "{message}")?;
    Ok(())
}

/// `capture-list [--json]`
pub fn capture(store: &Store, json: bool, clock: Clock, out: &mut dyn Write) -> anyhow::Result<()> {
    let rows = capture_list(store, clock.today())?;
    if json {
        for row in &rows {
            let value = serde_json::json!({
                "order_number": row.summary.order_number,
                "customer": row.summary.customer_name,
                "customer_email": row.summary.customer_email,
                "payment": row.summary.payment.code(),
                "amount": format_cents(row.amount_cents),
                "amount_cents": row.amount_cents,
                "authorized_at": row.summary.authorized_at,
                "authorization_age_days": row.authorization_age_days,
                "authorization_old": row.authorization_old,
                "capture_failed": row.failed,
            });
            writeln!(out, "{value}")?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{:<12} {:<24} {:>10} {:<15} {:>9}",
        "Order", "Customer", "Amount", "Payment", "Auth age"
    )?;
    for row in &rows {
        let age = row.authorization_age_days.map_or_else(
            || "–".to_owned(),
            |days| {
                format!(
                    "{days} d{}",
                    if row.authorization_old { " OLD" } else { "" }
                )
            },
        );
        writeln!(
            out,
            "{:<12} {:<24} {:>10} {:<15} {:>9}",
            row.summary.order_number,
            super::format::truncate(&row.summary.customer_name, 24),
            format_cents(row.amount_cents),
            row.summary.payment.label(),
            age
        )?;
    }
    let total: i64 = rows
        .iter()
        .filter(|row| !row.failed)
        .map(|row| row.amount_cents)
        .sum();
    writeln!(
        out,
        "{} order(s) wait for their payment, {} to capture",
        rows.len(),
        format_cents(total)
    )?;
    Ok(())
}

/// `payment ORDER STATE`
pub fn payment(
    store: &mut Store,
    order_number: &str,
    state: &str,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let action = PaymentAction::from_code(state).ok_or_else(|| {
        anyhow!("payment is authorized, captured, failed or not-needed, not '{state}'")
    })?;
    let order_id = order_id_by_number(store.connection(), order_number)?
        .ok_or_else(|| anyhow!("no order '{}'", order_number.trim()))?;
    let outcome = record_payment(store, order_id, action, &clock)?;
    writeln!(out, "{}", outcome.message())?;
    Ok(())
}

/// Parses `--reason`.
pub fn parse_reason(text: Option<&str>) -> anyhow::Result<Option<CancelReason>> {
    text.map(|text| {
        CancelReason::from_code(text).ok_or_else(|| {
            anyhow!(
                "--reason is customer, too-long, substitute or other, not '{}'",
                text.trim()
            )
        })
    })
    .transpose()
}

/// `cancel ORDER [--sku SKU] [--reason R]`
pub fn cancel(
    store: &mut Store,
    order_number: &str,
    sku: Option<&str>,
    reason: Option<&str>,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let reason = parse_reason(reason)?;
    let order_id = order_id_by_number(store.connection(), order_number)?
        .ok_or_else(|| anyhow!("no order '{}'", order_number.trim()))?;
    let moved = match sku {
        None => {
            let moved = cancel_order_because(store, order_id, reason, &clock)?;
            writeln!(out, "Cancelled {}", order_number.trim())?;
            moved
        }
        Some(sku) => {
            let detail = order_detail(store.connection(), order_id)?;
            let line = detail
                .lines
                .iter()
                .find(|line| {
                    line.sku.eq_ignore_ascii_case(sku.trim()) && line.quantities.open() > 0
                })
                .ok_or_else(|| {
                    anyhow!(
                        "order {} has no open line of '{}'",
                        order_number.trim(),
                        sku.trim()
                    )
                })?;
            let moved = cancel_line_because(store, line.line_id, reason, &clock)?;
            writeln!(
                out,
                "Cancelled {} × {} of {}",
                line.quantities.open(),
                line.sku,
                order_number.trim()
            )?;
            moved
        }
    };
    if let Some(reason) = reason {
        writeln!(out, "Reason: {}", reason.label())?;
    }
    super::format::print_allocated(out, &moved)?;
    Ok(())
}

/// `advise [--json] [--apply]`
pub fn advise(
    store: &mut Store,
    json: bool,
    apply: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rows = advice(store, clock.today())?;
    if json {
        for row in &rows {
            let value = serde_json::json!({
                "sku": row.product.sku,
                "supplier": row.product.supplier,
                "policy": row.product.policy.code(),
                "suggestion": row.advice.suggestion.map(crate::domain::BackorderPolicy::code),
                "reason": row.advice.reason,
                "receipts": row.stats.as_ref().map(|s| s.receipts),
                "on_time_pct": row.stats.as_ref().and_then(|s| s.on_time_pct).map(crate::domain::kpi::round2),
                "lead_time_mean_days": row.stats.as_ref().map(|s| crate::domain::kpi::round2(s.mean_days)),
                "lead_time_sd_days": row.stats.as_ref().map(|s| crate::domain::kpi::round2(s.sd_days)),
            });
            writeln!(out, "{value}")?;
        }
    } else {
        writeln!(
            out,
            "{:<12} {:<11} {:<16} Reason",
            "SKU", "Policy", "Suggestion"
        )?;
        for row in &rows {
            let suggestion = row.advice.suggestion.map_or("–", suggestion_label);
            writeln!(
                out,
                "{:<12} {:<11} {:<16} {}",
                row.product.sku,
                row.product.policy.label(),
                if row.actionable() { suggestion } else { "keep" },
                row.advice.reason
            )?;
        }
        let actionable = rows.iter().filter(|row| row.actionable()).count();
        writeln!(
            out,
            "{actionable} product(s) with a suggested change{}",
            if apply || actionable == 0 {
                ""
            } else {
                " (apply with --apply)"
            }
        )?;
    }
    if apply {
        let changed = apply_advice(store, None, &clock)?;
        for (sku, policy) in &changed {
            if json {
                let value = serde_json::json!({ "applied": sku, "policy": policy.code() });
                writeln!(out, "{value}")?;
            } else {
                writeln!(out, "Applied: {sku} → {}", policy.label())?;
            }
        }
        if changed.is_empty() && !json {
            writeln!(out, "Nothing to apply")?;
        }
    }
    Ok(())
}
