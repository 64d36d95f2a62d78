//! `safety-stock` (the calculator) and `reorder` (the suggestions list).

use std::io::Write;

use anyhow::anyhow;
use clap::Args;
use serde_json::{Value, json};

use crate::app::Clock;
use crate::app::jobs::Progress;
use crate::app::safety::reorder_suggestions;
use crate::domain::format_cents;
use crate::domain::safety_stock::{
    Inputs, Method, SafetyError, SafetyResult, disagreements, safety_stock, worked,
    z_for_service_level,
};
use crate::store::Store;

/// Arguments of `safety-stock`.
#[derive(Debug, Args)]
pub struct SafetyStockArgs {
    /// rule-of-thumb, demand, demand-lead-time, max-average, days or all
    #[arg(long)]
    pub method: String,
    /// Average daily demand (units/day)
    #[arg(long, value_name = "X")]
    pub avg_demand: Option<f64>,
    /// Standard deviation of daily demand
    #[arg(long, value_name = "X")]
    pub sd_demand: Option<f64>,
    /// Average lead time (days)
    #[arg(long, value_name = "X")]
    pub lead_time: Option<f64>,
    /// Standard deviation of the lead time (days)
    #[arg(long, value_name = "X")]
    pub sd_lead_time: Option<f64>,
    /// Largest daily demand
    #[arg(long, value_name = "X")]
    pub max_demand: Option<f64>,
    /// Longest lead time (days)
    #[arg(long, value_name = "X")]
    pub max_lead_time: Option<f64>,
    /// Service level as a fraction (0.95); Z comes from the inverse normal CDF
    #[arg(long, value_name = "P", conflicts_with = "z")]
    pub service_level: Option<f64>,
    /// Z typed in directly
    #[arg(long, value_name = "Z")]
    pub z: Option<f64>,
    /// Base buffer units (rule of thumb; default 0)
    #[arg(long, value_name = "X")]
    pub base_buffer: Option<f64>,
    /// Days of cover (days-of-cover method)
    #[arg(long, value_name = "X")]
    pub cover_days: Option<f64>,
    /// JSON: one object, or a list for `all`
    #[arg(long)]
    pub json: bool,
}

/// Runs `safety-stock`: no shop file is needed.
pub fn run_safety_stock(args: &SafetyStockArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let methods: Vec<Method> = if args.method.trim().eq_ignore_ascii_case("all") {
        Method::ALL.to_vec()
    } else {
        vec![Method::from_code(&args.method).ok_or_else(|| {
            anyhow!(
                "--method must be rule-of-thumb, demand, demand-lead-time, max-average, days or all, not '{}'",
                args.method
            )
        })?]
    };
    let z = match (args.service_level, args.z) {
        (Some(level), _) => Some(z_for_service_level(level)?),
        (None, Some(z)) if !z.is_finite() || z < 0.0 => {
            return Err(anyhow!("--z must be a number, 0 or more (got {z})"));
        }
        (None, z) => z,
    };
    let inputs = Inputs {
        avg_demand: args.avg_demand,
        sd_demand: args.sd_demand,
        lead_time: args.lead_time,
        sd_lead_time: args.sd_lead_time,
        max_demand: args.max_demand,
        max_lead_time: args.max_lead_time,
        z,
        base_buffer: args.base_buffer,
        cover_days: args.cover_days,
    };
    let mut results = Vec::new();
    let mut missing = Vec::new();
    for method in &methods {
        match safety_stock(*method, &inputs) {
            Ok(result) => results.push(result),
            Err(SafetyError::Missing { method, inputs }) => {
                let flags: Vec<&str> = inputs.iter().map(|input| input.flag()).collect();
                missing.push(format!("{} needs {}", method.code(), flags.join(", ")));
            }
            Err(error) => return Err(error.into()),
        }
    }
    if !missing.is_empty() {
        return Err(anyhow!("missing input: {}", missing.join("; ")));
    }
    if args.json {
        let values: Vec<Value> = results.iter().map(result_json).collect();
        if methods.len() == 1 {
            writeln!(out, "{}", values[0])?;
        } else {
            writeln!(out, "{}", Value::Array(values))?;
        }
        return Ok(());
    }
    for result in &results {
        writeln!(
            out,
            "{:<34} {:<32} {}",
            result.method.label(),
            result.method.formula(),
            worked(result.method, &inputs, result.safety_stock)
        )?;
        writeln!(
            out,
            "{:<34} safety stock {:.2} ({} units), reorder point {:.2}{}",
            "",
            result.safety_stock,
            result.safety_stock_units(),
            result.reorder_point,
            result.z.map(|z| format!(", Z {z:.4}")).unwrap_or_default()
        )?;
    }
    for note in disagreements(&results, &inputs) {
        writeln!(out, "Disagreement: {}", note.note)?;
    }
    Ok(())
}

fn result_json(result: &SafetyResult) -> Value {
    json!({
        "method": result.method.code(),
        "z": result.z,
        "safety_stock": result.safety_stock,
        "reorder_point": result.reorder_point,
        "safety_stock_units": result.safety_stock_units(),
    })
}

/// Runs `reorder`: every product that needs ordering now.
pub fn run_reorder(
    store: &Store,
    clock: Clock,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = reorder_suggestions(store, clock.today(), &Progress::default())?;
    if as_json {
        let rows: Vec<Value> = report
            .suggestions
            .iter()
            .map(|s| {
                json!({
                    "sku": s.sku,
                    "name": s.name,
                    "supplier": s.supplier,
                    "class": s.class.label(),
                    "available": s.available,
                    "on_order": s.on_order,
                    "backordered": s.backordered,
                    "safety_stock": s.safety_stock,
                    "reorder_point": s.reorder_point,
                    "suggested_quantity": s.suggested_quantity,
                    "days_to_stockout": s.days_to_stockout.map(|days| days.floor() as i64),
                    "unit_cost": format_cents(s.unit_cost_cents),
                    "cost": format_cents(s.cost_cents),
                    "dates_slipping_daily": s.dates_slipping,
                })
            })
            .collect();
        writeln!(out, "{}", Value::Array(rows))?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<14} {:<22} {:>2} {:>9} {:>8} {:>11} {:>9} {:>9} {:>8} {:>12}",
        "SKU",
        "Supplier",
        "",
        "Available",
        "On order",
        "Backordered",
        "ROP",
        "Suggested",
        "Days",
        "Cost"
    )?;
    for s in &report.suggestions {
        writeln!(
            out,
            "{:<14} {:<22} {:>2} {:>9} {:>8} {:>11} {:>9.2} {:>9} {:>8} {:>12}",
            s.sku,
            if s.supplier.is_empty() {
                "(no supplier)".to_owned()
            } else {
                super::format::truncate(&s.supplier, 22)
            },
            s.class.label(),
            s.available,
            s.on_order,
            s.backordered,
            s.reorder_point,
            s.suggested_quantity,
            s.days_to_stockout
                .map_or_else(|| "–".to_owned(), |days| (days.floor() as i64).to_string()),
            format_cents(s.cost_cents)
        )?;
    }
    let total: i64 = report.suggestions.iter().map(|s| s.cost_cents).sum();
    writeln!(
        out,
        "{} of {} products to reorder, cost {}",
        report.suggestions.len(),
        report.products_checked,
        format_cents(total)
    )?;
    let slipping: Vec<String> = report
        .suggestions
        .iter()
        .filter(|s| s.dates_slipping > 0)
        .map(|s| format!("{} ({})", s.sku, s.dates_slipping))
        .collect();
    if !slipping.is_empty() {
        let customers: i64 = report.suggestions.iter().map(|s| s.dates_slipping).sum();
        writeln!(
            out,
            "{customers} customer date(s) move a day later every day these are not ordered: {}",
            slipping.join(", ")
        )?;
    }
    if !report.without_lead_time.is_empty() {
        writeln!(
            out,
            "No lead time (no receipts and none set), not checked: {}",
            report.without_lead_time.join(", ")
        )?;
    }
    Ok(())
}
