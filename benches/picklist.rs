//! Pick list PDF speed: a 1,000-line list (250 orders of 4 lines, long names, a quarter of the
//! lines partly filled) rendered in both layouts on A4.
//!
//! `cargo bench --bench picklist` (env `BENCH_LINES` changes the size). Reports the median and
//! the worst of several runs and the file size.

use std::time::{Duration, Instant};

use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::picklist::{Paper, PickLayout, PickLine, PickOrder};
use backorder_desk::domain::promise::{DateStyle, EtaWindow};
use backorder_desk::io::picklist_pdf::{PickListDocument, render_pick_list};
use chrono::NaiveDate;

const RUNS: usize = 7;

fn orders(lines: usize) -> Vec<PickOrder> {
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let window = EtaWindow {
        start: day,
        end: day + chrono::Duration::days(4),
    };
    let per_order = 4;
    (0..lines.div_ceil(per_order))
        .map(|o| PickOrder {
            order_id: backorder_desk::domain::ids::OrderId(o as i64),
            order_number: format!("SO-{o:06}"),
            customer_name: format!("Customer Åsa Müller {o}"),
            ordered_at: day.and_hms_opt(9, 0, 0).unwrap_or_default(),
            priority: if o % 7 == 0 {
                Priority::High
            } else {
                Priority::Normal
            },
            waited: o % 5 == 0,
            lines: (0..per_order)
                .filter(|l| o * per_order + l < lines)
                .map(|l| {
                    let n = o * per_order + l;
                    PickLine {
                        line_id: n as i64,
                        sku: format!("SKU-{:05}", (n * 37) % 5000),
                        name: format!(
                            "Product {n} with a long descriptive name, crème brûlée edition, size L"
                        ),
                        location: format!("{}{}-{}", ['A', 'B', 'C'][n % 3], n % 40, n % 7),
                        pick: 2,
                        open: if n % 4 == 0 { 5 } else { 2 },
                        window: Some(window),
                    }
                })
                .collect(),
        })
        .collect()
}

fn main() {
    let lines = std::env::var("BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let orders = orders(lines);
    for layout in PickLayout::ALL {
        let document = PickListDocument {
            shop_name: "Harbor & Pine Goods",
            list_number: "PL-000042",
            created_at: NaiveDate::from_ymd_opt(2026, 3, 1)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .unwrap_or_default(),
            layout,
            date_style: DateStyle::MonthFirst,
            orders: &orders,
        };
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut size = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            match render_pick_list(&document, Paper::A4) {
                Ok(pdf) => size = pdf.len(),
                Err(error) => {
                    eprintln!("render failed: {error}");
                    std::process::exit(1);
                }
            }
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{lines} lines, {:<15} median {:>7.1} ms  max {:>7.1} ms  {:>6} KB",
            layout.label().to_lowercase(),
            times[RUNS / 2].as_secs_f64() * 1000.0,
            times[RUNS - 1].as_secs_f64() * 1000.0,
            size / 1024
        );
    }
}
