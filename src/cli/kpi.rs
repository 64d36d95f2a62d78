//! `kpi`: the dashboard figures of a period.

use std::io::Write;

use anyhow::anyhow;
use chrono::NaiveDate;

use crate::app::kpi::Dashboard;
use crate::domain::kpi::{DEFAULT_PERIOD_DAYS, Period, Scope, round2};
use crate::domain::order::CancelReason;

use super::args::Command;
use super::context::{Ctx, misrouted, open};
use super::format::truncate;

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Kpi { .. } => kpi(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `kpi`.
fn kpi(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Kpi {
        from,
        to,
        sku,
        supplier,
        category,
        json,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let store = open(path, access, cli)?;
    let request = kpi_request(
        clock.today(),
        *from,
        *to,
        sku.as_deref(),
        supplier.as_deref(),
        category.as_deref(),
    )?;
    if let Scope::Sku(sku) = &request.scope
        && store.product_id_by_sku(sku)?.is_none()
    {
        return Err(anyhow!("No product with SKU '{sku}'"));
    }
    let dashboard = crate::app::kpi::dashboard(&store, &request)?;
    if *json {
        writeln!(out, "{}", kpi_json(&dashboard))?;
    } else {
        print_kpi(out, &dashboard)?;
    }

    Ok(())
}

/// The period and scope of `kpi` from its options.
fn kpi_request(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    sku: Option<&str>,
    supplier: Option<&str>,
    category: Option<&str>,
) -> anyhow::Result<crate::app::kpi::KpiRequest> {
    let to = to.unwrap_or(today);
    let period = match from {
        Some(from) => Period::new(from, to).map_err(|message| anyhow!(message))?,
        None => Period::last_days(to, DEFAULT_PERIOD_DAYS),
    };
    let scope = match (sku, supplier, category) {
        (Some(sku), _, _) => Scope::Sku(sku.trim().to_owned()),
        (_, Some(name), _) => Scope::Supplier(name.trim().to_owned()),
        (_, _, Some(name)) => Scope::Category(name.trim().to_owned()),
        _ => Scope::All,
    };
    Ok(crate::app::kpi::KpiRequest {
        period,
        scope,
        today,
    })
}

/// The JSON object of `kpi --json`: percentages and days rounded to 2 decimals, `null` where a
/// value is undefined.
fn kpi_json(dashboard: &Dashboard) -> serde_json::Value {
    let figures = &dashboard.current;
    let mut cancel_reasons = serde_json::Map::new();
    for (reason, lines) in CancelReason::ALL
        .iter()
        .zip(dashboard.cancellations.reasons)
    {
        cancel_reasons.insert(reason.code().to_owned(), lines.into());
    }
    cancel_reasons.insert(
        "unknown".to_owned(),
        dashboard.cancellations.no_reason.into(),
    );
    let rounded = |value: Option<f64>| value.map(round2);
    let suppliers: Vec<serde_json::Value> = dashboard
        .suppliers
        .iter()
        .map(|s| {
            serde_json::json!({
                "supplier": s.supplier,
                "receipts": s.stats.receipts,
                "lead_time_mean_days": round2(s.stats.mean_days),
                "lead_time_sd_days": round2(s.stats.sd_days),
                "on_time_pct": rounded(s.stats.on_time_pct),
            })
        })
        .collect();
    let promises_by_supplier: Vec<serde_json::Value> = dashboard
        .promise_suppliers
        .iter()
        .map(|s| {
            serde_json::json!({
                "supplier": s.supplier,
                "promised_lines_shipped": s.totals.lines,
                "promise_kept_pct": rounded(s.kept_pct),
                "promise_inside_pct": rounded(s.inside_pct),
            })
        })
        .collect();
    serde_json::json!({
        "from": dashboard.request.period.from.to_string(),
        "to": dashboard.request.period.to.to_string(),
        "orders": figures.totals.orders,
        "backorder_rate_pct": rounded(figures.backorder_rate_pct),
        "fill_rate_pct": rounded(figures.fill_rate_pct),
        "order_fill_rate_pct": rounded(figures.order_fill_rate_pct),
        "perfect_order_pct": rounded(figures.perfect_order_pct),
        "avg_backorder_wait_days": rounded(figures.avg_backorder_wait_days),
        "stockout_frequency_pct": rounded(figures.stockout_frequency_pct),
        "inventory_turnover": rounded(figures.inventory_turnover),
        "late_inbound_lines": dashboard.late_inbound_lines,
        "backorder_cancellation_pct": rounded(dashboard.cancellations.backorder_cancellation_pct()),
        "in_stock_cancellation_pct": rounded(dashboard.cancellations.in_stock_cancellation_pct()),
        "backordered_lines": dashboard.cancellations.backordered_lines,
        "backordered_lines_cancelled": dashboard.cancellations.backordered_cancelled,
        "in_stock_lines": dashboard.cancellations.in_stock_lines,
        "in_stock_lines_cancelled": dashboard.cancellations.in_stock_cancelled,
        "backorder_cancel_reasons": cancel_reasons,
        "suppliers": suppliers,
        "promised_lines_shipped": figures.promises.lines,
        "promise_kept_pct": rounded(figures.promise_kept_pct),
        "promise_inside_pct": rounded(figures.promise_inside_pct),
        "promise_target_pct": round2(dashboard.promise_target_pct),
        "promises_by_supplier": promises_by_supplier,
    })
}

fn print_kpi(out: &mut dyn Write, dashboard: &Dashboard) -> anyhow::Result<()> {
    let figures = &dashboard.current;
    let request = &dashboard.request;
    let show = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}{unit}"))
    };
    writeln!(
        out,
        "KPIs {} to {} ({} days), {}",
        request.period.from,
        request.period.to,
        request.period.days(),
        request.scope.label()
    )?;
    let rows = [
        ("Orders", figures.totals.orders.to_string()),
        ("Backorder rate", show(figures.backorder_rate_pct, "%")),
        ("Fill rate (units)", show(figures.fill_rate_pct, "%")),
        ("Order fill rate", show(figures.order_fill_rate_pct, "%")),
        ("Perfect orders", show(figures.perfect_order_pct, "%")),
        (
            "Average backorder wait",
            show(figures.avg_backorder_wait_days, " days"),
        ),
        (
            "Stockout frequency",
            show(figures.stockout_frequency_pct, "%"),
        ),
        ("Inventory turnover", show(figures.inventory_turnover, "")),
        (
            "Late inbound lines",
            dashboard.late_inbound_lines.to_string(),
        ),
        (
            "Backorder cancellations",
            show(dashboard.cancellations.backorder_cancellation_pct(), "%"),
        ),
        (
            "In-stock cancellations",
            show(dashboard.cancellations.in_stock_cancellation_pct(), "%"),
        ),
        ("Promises kept", show(figures.promise_kept_pct, "%")),
        (
            "Shipped inside window",
            show(figures.promise_inside_pct, "%"),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "  {label:<24} {value}")?;
    }
    writeln!(
        out,
        "  {:<24} {} backordered lines shipped with a first promise; target {:.0}% kept",
        "", figures.promises.lines, dashboard.promise_target_pct
    )?;
    if !dashboard.promise_suppliers.is_empty() {
        writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>8}",
            "Promises by supplier", "Lines", "Kept", "Inside"
        )?;
        for s in &dashboard.promise_suppliers {
            let name = if s.supplier.is_empty() {
                "(no supplier)"
            } else {
                s.supplier.as_str()
            };
            writeln!(
                out,
                "{:<24} {:>8} {:>8} {:>8}",
                truncate(name, 24),
                s.totals.lines,
                show(s.kept_pct, "%"),
                show(s.inside_pct, "%")
            )?;
        }
    }
    if dashboard.suppliers.is_empty() {
        writeln!(out, "No receipts in the period")?;
    } else {
        writeln!(
            out,
            "{:<24} {:>8} {:>10} {:>8} {:>8}",
            "Supplier", "Receipts", "Mean days", "SD days", "On time"
        )?;
        for s in &dashboard.suppliers {
            writeln!(
                out,
                "{:<24} {:>8} {:>10.2} {:>8.2} {:>8}",
                truncate(&s.supplier, 24),
                s.stats.receipts,
                s.stats.mean_days,
                s.stats.sd_days,
                show(s.stats.on_time_pct, "%")
            )?;
        }
    }
    Ok(())
}
