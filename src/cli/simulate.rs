//! `simulate`: a synthetic shop run through N days.

use std::io::Write;
use std::path::Path;

use crate::app::jobs::Progress;

pub(super) fn run_simulate(
    days: u32,
    seed: u64,
    warmup_days: u32,
    json: bool,
    keep: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use crate::app::simulate::{RuleReport, SimSpec, simulate_in};
    let spec = SimSpec {
        days,
        seed,
        warmup_days,
        ..SimSpec::default()
    };
    let report = simulate_in(spec, keep, &Progress::default())?;
    if json {
        writeln!(out, "{}", report.json())?;
        return Ok(());
    }
    writeln!(
        out,
        "Simulated {} days from {} after {} days of warm-up (seed {}): {} orders, {} purchase orders, {} receipts, {} lines cancelled by customers",
        days,
        spec.start,
        warmup_days,
        seed,
        report.orders,
        report.purchase_orders,
        report.receipts,
        report.cancelled_lines
    )?;
    let number = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}{unit}"))
    };
    let days_text = |value: Option<i64>| value.map_or_else(|| "—".to_owned(), |v| format!("{v} d"));
    let row = |out: &mut dyn Write, name: &str, r: &RuleReport| -> anyhow::Result<()> {
        writeln!(
            out,
            "{:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>9} {:>9}",
            name,
            r.backordered_lines,
            r.shipped_lines,
            number(r.kept_pct, "%"),
            number(r.inside_pct, "%"),
            days_text(r.median_width_days),
            days_text(r.p90_width_days),
            number(r.mean_lateness_days, " d"),
            number(r.delay_notices_per_100, ""),
        )?;
        Ok(())
    };
    writeln!(
        out,
        "{:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>9} {:>9}",
        "Rule", "Lines", "Shipped", "Kept", "Inside", "Median", "P90", "Late by", "Notices"
    )?;
    row(out, "Shop's model", &report.model)?;
    row(out, "Naive (date + handling)", &report.naive)?;
    for (label, list) in [
        ("model", &report.model_by_supplier),
        ("naive", &report.naive_by_supplier),
    ] {
        for supplier in list {
            row(
                out,
                &format!("  {} ({label})", supplier.profile.code()),
                &supplier.report,
            )?;
        }
    }
    writeln!(
        out,
        "Lines: backordered lines given a window; Kept: shipped by the end of the first window; Inside: shipped inside it (both over shipped lines); Median/P90: first windows' width in days; Late by: mean days after the window of the late lines; Notices: delay notices per 100 backordered lines"
    )?;
    Ok(())
}
