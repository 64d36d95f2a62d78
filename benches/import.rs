//! CSV import at scale: 1,000,000 order lines through the real importer, compared in the same
//! run with the `sqlite3` shell's `.import` of the same file into a plain table.
//!
//! `cargo bench --bench import` (env `BENCH_RUNS`). The files are the products and orders
//! exports of the shared demo shop (`BENCH_PRODUCTS`, `BENCH_ORDER_LINES`, default 100,000 and
//! 1,000,000; see `benches/shop`); `BENCH_SOURCE=synthetic` writes a generated history instead
//! (`BENCH_LINES` lines for 10,000 products). Each run imports the products into a new shop, then
//! times the orders import, then the `sqlite3 .import` of the same orders file (runs alternate,
//! so both see the same machine load). Needs `sqlite3` on the PATH for the comparison (skipped
//! with a note otherwise).

mod shop;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::export::{ExportKind, export};
use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::store::Store;
use chrono::{Duration as Days, NaiveDate};
use shop::{demo_file, env_usize, peak_rss_kib};

const PRODUCTS: usize = 10_000;

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn reset_peak_rss() {
    // Linux: writing 5 to clear_refs resets the peak resident set size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A deterministic order history: one row per line.
fn write_orders(path: &Path, lines: usize) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(
        out,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at,backordered_qty,priority"
    )?;
    let start = NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let mut state: u64 = 0x1234_5678;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for line in 0..lines {
        let order = line / 2;
        let at = start + Days::minutes((order as i64) / 2);
        let sku = next() % PRODUCTS as u64;
        let customer = next() % 50_000;
        let roll = next() % 100;
        let (status, shipped) = match roll {
            0..=1 => ("cancelled", String::new()),
            2..=3 => ("open", String::new()),
            _ => (
                "shipped",
                (at + Days::hours(30))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            ),
        };
        writeln!(
            out,
            "SO-{order:07},{},Customer {customer},c{customer}@example.com,SKU-{sku:05},{},{}.99,{status},{shipped},{},normal",
            at.format("%Y-%m-%d %H:%M:%S"),
            1 + next() % 3,
            5 + next() % 90,
            u64::from(roll % 20 == 0),
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

fn write_products(path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "sku,name,on_hand,lead_time_days")?;
    for index in 0..PRODUCTS {
        writeln!(out, "SKU-{index:05},Product {index},{},14", index % 40)?;
    }
    out.flush()
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's measurements one after another, each printed as it is taken"
)]
fn main() {
    let runs = env_usize("BENCH_RUNS", 3).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let orders = dir.path().join("orders.csv");
    let products = dir.path().join("products.csv");
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
    let (lines, source) = if std::env::var("BENCH_SOURCE").is_ok_and(|s| s == "synthetic") {
        let lines = env_usize("BENCH_LINES", 1_000_000);
        write_orders(&orders, lines).expect("write orders");
        write_products(&products).expect("write products");
        (
            lines as u64,
            format!("a generated history, {PRODUCTS} products"),
        )
    } else {
        let shop_products = env_usize("BENCH_PRODUCTS", 100_000);
        let shop_lines = env_usize("BENCH_ORDER_LINES", 1_000_000);
        let demo = demo_file(shop_products, shop_lines, clock);
        let store = Store::open(&demo).expect("open the demo shop");
        export(&store, ExportKind::Products, &products, clock.today()).expect("export products");
        let lines = export(&store, ExportKind::Orders, &orders, clock.today())
            .expect("export orders")
            .rows;
        (
            lines,
            format!("the orders export of the demo shop ({shop_products} products)"),
        )
    };
    let bytes = std::fs::metadata(&orders).map_or(0, |m| m.len());
    println!(
        "import bench: {lines} order lines ({:.1} MB) from {source}; {runs} runs",
        bytes as f64 / 1e6
    );

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut peak = 0;
    let mut sqlite3 = true;
    for run in 0..runs {
        let db = dir.path().join(format!("ours-{run}.sqlite"));
        let mut store = Store::open(&db).expect("open");
        let request = ImportRequest::new;
        run_import(
            &mut store,
            &request(ImportKind::Products, &products),
            &clock,
            &Progress::default(),
        )
        .expect("products");
        reset_peak_rss();
        let started = Instant::now();
        let report = run_import(
            &mut store,
            &request(ImportKind::Orders, &orders),
            &clock,
            &Progress::default(),
        )
        .expect("orders");
        let took = started.elapsed();
        ours.push(took);
        peak = peak.max(peak_rss_kib().unwrap_or(0));
        assert!(report.written, "{:?}", report.summary.errors.first());
        assert_eq!(report.new, lines);
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        print!("run {}: ours {:.2} s", run + 1, took.as_secs_f64());

        if sqlite3 {
            let db = dir.path().join(format!("sqlite3-{run}.db"));
            let started = Instant::now();
            let status = Command::new("sqlite3")
                .arg(&db)
                .arg(".mode csv")
                .arg(format!(".import {} order_lines", orders.display()))
                .status();
            match status {
                Ok(status) if status.success() => {
                    let took = started.elapsed();
                    theirs.push(took);
                    print!(", sqlite3 .import {:.2} s", took.as_secs_f64());
                }
                Ok(status) => {
                    print!(", sqlite3 .import failed ({status}); comparison skipped");
                    sqlite3 = false;
                }
                Err(_) => {
                    print!(", sqlite3 is not installed; comparison skipped");
                    sqlite3 = false;
                }
            }
            let _ = std::fs::remove_file(&db);
        }
        println!();
    }
    let ours = median(ours);
    println!(
        "{:<46} median {:>8.2} s   peak RSS {:.0} MB",
        "backorder-desk import orders (one transaction)",
        ours.as_secs_f64(),
        peak as f64 / 1024.0
    );
    if !sqlite3 || theirs.is_empty() {
        return;
    }
    let theirs = median(theirs);
    println!(
        "{:<46} median {:>8.2} s",
        "sqlite3 .import into a plain table",
        theirs.as_secs_f64()
    );
    println!(
        "ratio (ours / sqlite3): {:.2}  (target ≤ 1.0, goal ≤ 0.6)",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}
