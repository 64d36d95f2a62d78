//! A simulated year of promises: `backorder-desk simulate` for three seeds, the shop's model
//! against the naive rule (the figures that go into BENCHMARKS.md), and how long a year takes.
//!
//! `cargo bench --bench simulate` (env `BENCH_DAYS`, default 365; `BENCH_SEEDS`, default
//! `1,2,3`). Prints one JSON report per seed, then a table of the headline figures.

use std::time::Instant;

use backorder_desk::app::jobs::Progress;
use backorder_desk::app::simulate::{RuleReport, SimSpec, simulate};

fn main() {
    let days: u32 = std::env::var("BENCH_DAYS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(365);
    let seeds: Vec<u64> = std::env::var("BENCH_SEEDS")
        .unwrap_or_else(|_| "1,2,3".to_owned())
        .split(',')
        .filter_map(|seed| seed.trim().parse().ok())
        .collect();
    let mut rows = Vec::new();
    for seed in seeds {
        let spec = SimSpec {
            days,
            seed,
            ..SimSpec::default()
        };
        let started = Instant::now();
        let report = match simulate(spec, &Progress::default()) {
            Ok(report) => report,
            Err(error) => {
                eprintln!("seed {seed}: {error}");
                std::process::exit(1);
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        println!("{}", report.json());
        rows.push((seed, seconds, report));
    }
    let cell = |value: Option<f64>| value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"));
    let days_cell = |value: Option<i64>| value.map_or_else(|| "—".to_owned(), |v| v.to_string());
    println!(
        "{:<5} {:<6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8}",
        "seed",
        "rule",
        "lines",
        "shipped",
        "kept%",
        "inside%",
        "median",
        "p90",
        "late by",
        "notices"
    );
    for (seed, seconds, report) in &rows {
        let print = |rule: &str, r: &RuleReport| {
            println!(
                "{:<5} {:<6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8}",
                seed,
                rule,
                r.backordered_lines,
                r.shipped_lines,
                cell(r.kept_pct),
                cell(r.inside_pct),
                days_cell(r.median_width_days),
                days_cell(r.p90_width_days),
                cell(r.mean_lateness_days),
                cell(r.delay_notices_per_100)
            );
        };
        print("model", &report.model);
        print("naive", &report.naive);
        println!(
            "      {} days, {} orders, {} purchase orders in {seconds:.1} s",
            report.spec.days, report.orders, report.purchase_orders
        );
    }
}
