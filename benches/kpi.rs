//! KPI dashboard speed on the large demo shop: the full recompute the Dashboard tab runs on its
//! worker thread, and each aggregate on its own to see what dominates.
//!
//! `cargo bench --bench kpi` (env `BENCH_PRODUCTS`, `BENCH_ORDER_LINES` change the size; `BENCH_RUNS`
//! the number of timed runs). The demo shop is written once and kept under `target/kpi-bench/`,
//! so later runs skip building it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::jobs::Progress;
use backorder_desk::app::kpi::{KpiRequest, abc_summary, dashboard, projection};
use backorder_desk::domain::kpi::{Period, Scope};
use backorder_desk::store::{ProductId, Store};
use chrono::NaiveDate;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Runs `work` `runs` times and prints the median, min and max.
fn time<T>(what: &str, runs: usize, mut work: impl FnMut() -> T) -> f64 {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(work());
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = ms(times[times.len() / 2]);
    println!(
        "{what:<52} median {median:>8.1} ms  min {:>8.1} ms  max {:>8.1} ms  (n={})",
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    median
}

fn demo_file(products: usize, order_lines: usize, clock: Clock) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("kpi-bench");
    std::fs::create_dir_all(&folder).expect("bench folder");
    let path = folder.join(format!("demo-{products}-{order_lines}.sqlite"));
    if path.exists() {
        println!("using the cached demo shop {}", path.display());
        return path;
    }
    let partial = folder.join(format!("demo-{products}-{order_lines}.partial.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    {
        let mut store = Store::open(&partial).expect("open");
        let spec = DemoSpec {
            products,
            order_lines,
            seed: 7,
        };
        load_demo(&mut store, spec, &clock, &Progress::default()).expect("demo");
        store
            .connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
    }
    std::fs::rename(&partial, &path).expect("keep the demo file");
    println!(
        "demo shop written in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    path
}

fn main() {
    let products = env_usize("BENCH_PRODUCTS", 100_000);
    let order_lines = env_usize("BENCH_ORDER_LINES", 1_000_000);
    let runs = env_usize("BENCH_RUNS", 7);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let clock = Clock::fixed(today);
    let path = demo_file(products, order_lines, clock);
    let store = Store::open(&path).expect("open");
    println!("kpi bench: {products} products, {order_lines} order lines, today {today}");

    for days in [90, 30, 365] {
        let request = KpiRequest {
            period: Period::last_days(today, days),
            scope: Scope::All,
            today,
        };
        // One untimed run warms the page cache, as the window's second computation would.
        let board = dashboard(&store, &request).expect("dashboard");
        if days == 90 {
            let now = &board.current;
            println!(
                "  90 days: {} orders, backorder rate {:?}, fill rate {:?}, perfect {:?}, stockout {:?}, turnover {:?}",
                now.totals.orders,
                now.backorder_rate_pct,
                now.fill_rate_pct,
                now.perfect_order_pct,
                now.stockout_frequency_pct,
                now.inventory_turnover
            );
        }
        time(
            &format!("full dashboard, last {days} days (and previous)"),
            runs,
            || dashboard(&store, &request).expect("dashboard"),
        );
    }

    // Each aggregate of the 90-day dashboard on its own (both periods where the dashboard
    // reads both).
    let period = Period::last_days(today, 90);
    let previous = period.previous();
    let scope = Scope::All;
    println!("parts of the 90-day dashboard:");
    time("  orders per day (180 days)", runs, || {
        store
            .kpi_orders_per_day(previous.from, period.to, &scope)
            .expect("orders")
    });
    time("  closed orders (perfect orders, 180 days)", runs, || {
        store
            .kpi_closed_orders(previous.from, period.to, &scope)
            .expect("closed")
    });
    time("  backorder waits (2 periods)", runs, || {
        (
            store
                .kpi_backorder_waits(period.from, period.to, &scope)
                .expect("waits"),
            store
                .kpi_backorder_waits(previous.from, previous.to, &scope)
                .expect("waits"),
        )
    });
    let intervals = store
        .kpi_wait_intervals(previous.from, period.to, &scope)
        .expect("intervals");
    time("  wait intervals (180 days)", runs, || {
        store
            .kpi_wait_intervals(previous.from, period.to, &scope)
            .expect("intervals")
    });
    let mut waiting_products: Vec<ProductId> = intervals.iter().map(|(id, _)| *id).collect();
    waiting_products.sort_unstable();
    waiting_products.dedup();
    time(
        &format!(
            "  ledger of the {} products that waited",
            waiting_products.len()
        ),
        runs,
        || {
            for id in &waiting_products {
                std::hint::black_box(store.kpi_daily_movements(*id).expect("ledger"));
            }
        },
    );
    time("  inventory value changes (180 days)", runs, || {
        store
            .kpi_inventory_changes(previous.from, &scope)
            .expect("inventory")
    });
    time("  receipts per supplier", runs, || {
        store
            .kpi_receipts(period.from, period.to, &scope)
            .expect("receipts")
    });
    time("  open backorders by age", runs, || {
        store.kpi_open_backorders(&scope).expect("open")
    });
    time("  late inbound", runs, || {
        store.kpi_late_inbound(today, &scope).expect("late")
    });
    time("  demand by product", runs, || {
        store
            .kpi_demand_by_product(period.from, period.to, &scope)
            .expect("demand")
    });
    time("  available per product", runs, || {
        store.kpi_available().expect("available")
    });
    time("  ABC classes and Pareto (12-month revenue)", runs, || {
        abc_summary(&store, today).expect("abc")
    });
    let sku = store
        .connection()
        .query_row(
            "SELECT sku FROM products ORDER BY product_id LIMIT 1",
            [],
            |row| row.get::<_, String>(0),
        )
        .expect("sku");
    time(
        "projected stock of one SKU (on the UI thread)",
        runs,
        || projection(&store, &sku, &period, today).expect("projection"),
    );

    println!("query plans:");
    for (what, sql) in [
        (
            "orders per day",
            "SELECT o.order_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id
              WHERE o.ordered_at >= '2026-05-28' AND o.ordered_at < '2026-11-24' GROUP BY o.order_id",
        ),
        (
            "closed orders",
            "SELECT o.order_id FROM orders o INDEXED BY orders_closed_at
               JOIN order_lines l ON l.order_id = o.order_id
               LEFT JOIN line_promises lp ON lp.line_id = l.line_id
              WHERE o.closed_at >= '2026-05-28' AND o.closed_at < '2026-11-24' GROUP BY o.order_id",
        ),
        (
            "inventory changes",
            "SELECT substr(m.created_at, 1, 10) AS day, SUM(m.quantity * c.unit_cost_cents)
               FROM stock_movements m INDEXED BY stock_movements_created
               JOIN products c ON c.product_id = m.product_id
              WHERE m.created_at >= '2026-05-28' GROUP BY day",
        ),
    ] {
        let mut statement = store
            .connection()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let details: Vec<String> = statement
            .query_map([], |row| row.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("plan");
        println!("  {what}: {}", details.join(" | "));
    }
}
