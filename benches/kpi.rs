//! KPI dashboard speed on the large demo shop: the first computation (which builds the rollups of
//! the whole history), the full recompute the Dashboard tab runs on its worker thread, the same
//! after each kind of change, scoped dashboards, and the parts read each time.
//!
//! `cargo bench --bench kpi` (env `BENCH_PRODUCTS`, `BENCH_ORDER_LINES` change the size; `BENCH_RUNS`
//! the number of timed runs, `BENCH_DIRECT_RUNS` those of the slow direct computations,
//! `BENCH_BUILD_RUNS` those of the rollup build, `BENCH_SCOPE_RUNS` those of the supplier and
//! category dashboards, 0 to skip them). The demo shop is written once and kept under
//! `target/bench-shops/` (shared with the other benchmarks, see `benches/shop`), so later runs skip building it; each run works on a copy of it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::adjust_stock;
use backorder_desk::app::kpi::{KpiRequest, dashboard, dashboard_direct, projection};
use backorder_desk::app::orders::{OrderInput, cancel_order, place_order, ship_order};
use backorder_desk::app::purchasing::receive;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::kpi::{Period, Scope};
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use backorder_desk::store::kpi_rollup::{self, RollupRequest};
use backorder_desk::store::orders::OrderId;
use chrono::NaiveDate;

mod shop;
use shop::{demo_file, env_usize};

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

/// A fresh copy of the demo shop to change (the cached file stays as built), one per run so that
/// two runs at once do not share it.
fn work_copy(path: &std::path::Path) -> PathBuf {
    let copy = path.with_file_name(format!("work-{}.sqlite", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(path, &copy).expect("copy the demo shop");
    copy
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's measurements one after another, each printed as it is taken"
)]
fn main() {
    let products = env_usize("BENCH_PRODUCTS", 100_000);
    let order_lines = env_usize("BENCH_ORDER_LINES", 1_000_000);
    let runs = env_usize("BENCH_RUNS", 7);
    let direct_runs = env_usize("BENCH_DIRECT_RUNS", 1);
    let wide_scope_runs = env_usize("BENCH_SCOPE_RUNS", direct_runs);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let clock = Clock::fixed(today);
    let path = demo_file(products, order_lines, clock);
    println!("kpi bench: {products} products, {order_lines} order lines, today {today}");
    let work = work_copy(&path);
    let mut store = Store::open(&work).expect("open");
    let request = |days: i64, scope: Scope| KpiRequest {
        period: Period::last_days(today, days),
        scope,
        today,
    };

    // The first dashboard after a large load builds the rollups of the whole history once.
    time(
        "first dashboard: build the rollups (whole history)",
        env_usize("BENCH_BUILD_RUNS", 3),
        || {
            kpi_rollup::invalidate(store.connection()).expect("invalidate");
            dashboard(&store, &request(90, Scope::All)).expect("dashboard")
        },
    );

    for days in [90, 30, 365] {
        // One untimed run stores what the period needs, as the window's first computation would.
        let board = dashboard(&store, &request(days, Scope::All)).expect("dashboard");
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
            || dashboard(&store, &request(days, Scope::All)).expect("dashboard"),
        );
    }
    let direct = time(
        "  the same 90 days computed directly (the reference)",
        direct_runs,
        || dashboard_direct(&store, &request(90, Scope::All)).expect("direct"),
    );
    let rolled = dashboard(&store, &request(90, Scope::All)).expect("dashboard");
    let reference = dashboard_direct(&store, &request(90, Scope::All)).expect("direct");
    assert_eq!(
        rolled, reference,
        "the rollups must give the direct numbers"
    );
    println!("  rollups and the direct computation agree ({direct:.0} ms direct)");

    // Scopes use the direct queries.
    let sku = store
        .connection()
        .query_row(
            "SELECT p.sku FROM products p JOIN order_lines l ON l.product_id = p.product_id
              GROUP BY p.product_id ORDER BY COUNT(*) DESC LIMIT 1",
            [],
            |row| row.get::<_, String>(0),
        )
        .expect("sku");
    let supplier = store
        .connection()
        .query_row(
            "SELECT name FROM suppliers ORDER BY supplier_id LIMIT 1",
            [],
            |row| row.get::<_, String>(0),
        )
        .expect("supplier");
    let category = store
        .connection()
        .query_row(
            "SELECT category FROM products ORDER BY product_id LIMIT 1",
            [],
            |row| row.get::<_, String>(0),
        )
        .expect("category");
    for (what, scope, scope_runs) in [
        (
            format!("one SKU (the best seller, {sku})"),
            Scope::Sku(sku.clone()),
            runs,
        ),
        (
            format!("one supplier ({supplier})"),
            Scope::Supplier(supplier),
            wide_scope_runs,
        ),
        (
            format!("one category ({category})"),
            Scope::Category(category),
            wide_scope_runs,
        ),
    ] {
        if scope_runs == 0 {
            continue;
        }
        time(
            &format!("scoped dashboard, 90 days, {what}"),
            scope_runs,
            || dashboard(&store, &request(90, scope.clone())).expect("dashboard"),
        );
    }

    // After each kind of change: the change, then the 90-day dashboard.
    println!("after a change (the dashboard recompute only):");
    let customer = |n: usize| OrderInput {
        order_number: String::new(),
        customer_name: format!("Bench {n}"),
        customer_email: format!("bench{n}@example.com"),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: vec![(sku.clone(), 2)],
    };
    let mut placed = 0usize;
    let after = |what: &str, store: &mut Store, change: &mut dyn FnMut(&mut Store)| {
        let mut times = Vec::new();
        for _ in 0..runs.max(1) {
            change(store);
            let start = Instant::now();
            std::hint::black_box(dashboard(store, &request(90, Scope::All)).expect("dashboard"));
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "  {what:<50} median {:>8.1} ms  min {:>8.1} ms  max {:>8.1} ms  (n={})",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1]),
            times.len()
        );
    };
    after("an order placed today", &mut store, &mut |store| {
        placed += 1;
        place_order(store, &customer(placed), &clock).expect("order");
    });
    let open_orders = |store: &Store, sql: &str| -> Vec<i64> {
        let mut statement = store.connection().prepare(sql).expect("sql");
        let rows = statement.query_map([], |row| row.get(0)).expect("ids");
        rows.collect::<Result<_, _>>().expect("ids")
    };
    let ready = open_orders(
        &store,
        "SELECT DISTINCT o.order_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id
          WHERE o.status = 'open' AND o.ship_complete = 0 AND l.reserved_qty > 0
          ORDER BY o.order_id LIMIT 100",
    );
    let mut ready = ready.into_iter();
    after("an order shipped", &mut store, &mut |store| {
        if let Some(id) = ready.next() {
            ship_order(store, OrderId(id), &clock).expect("ship");
        }
    });
    let old = open_orders(
        &store,
        "SELECT order_id FROM orders WHERE status = 'open' ORDER BY ordered_at LIMIT 100",
    );
    let mut old = old.into_iter();
    after(
        "the oldest open order cancelled",
        &mut store,
        &mut |store| {
            if let Some(id) = old.next() {
                cancel_order(store, OrderId(id), &clock).expect("cancel");
            }
        },
    );
    let pos: Vec<String> = {
        let mut statement = store
            .connection()
            .prepare(
                "SELECT po_number FROM purchase_orders WHERE status IN ('open', 'partly_received')
                  ORDER BY po_id",
            )
            .expect("sql");
        let rows = statement.query_map([], |row| row.get(0)).expect("pos");
        rows.collect::<Result<_, _>>().expect("pos")
    };
    let mut pos = pos.into_iter();
    after("a purchase order received", &mut store, &mut |store| {
        if let Some(po) = pos.next() {
            receive(store, &po, None, today, &clock).expect("receive");
        }
    });
    let product = store
        .product_id_by_sku(&sku)
        .expect("sku")
        .expect("product");
    after("a stock adjustment", &mut store, &mut |store| {
        adjust_stock(store, product, 5, "Count", &clock).expect("adjust");
    });
    after(
        "a unit cost change of the best seller",
        &mut store,
        &mut |store| {
            store
            .connection()
            .execute(
                "UPDATE products SET unit_cost_cents = unit_cost_cents + 1 WHERE product_id = ?1",
                [product.0],
            )
            .expect("cost");
        },
    );
    let mut next_day = today;
    let mut after_days = Vec::new();
    for _ in 0..runs.max(1) {
        next_day = next_day.succ_opt().expect("date");
        let next_request = KpiRequest {
            period: Period::last_days(next_day, 90),
            scope: Scope::All,
            today: next_day,
        };
        let start = Instant::now();
        std::hint::black_box(dashboard(&store, &next_request).expect("dashboard"));
        after_days.push(start.elapsed());
    }
    after_days.sort();
    println!(
        "  {:<50} median {:>8.1} ms  min {:>8.1} ms  max {:>8.1} ms  (n={})",
        "the next day (yesterday is stored)",
        ms(after_days[after_days.len() / 2]),
        ms(after_days[0]),
        ms(after_days[after_days.len() - 1]),
        after_days.len()
    );

    // What the 90-day dashboard of all products reads each time.
    let period = Period::last_days(today, 90);
    let previous = period.previous();
    println!("parts of the 90-day dashboard:");
    let handling = backorder_desk::app::kpi::handling_days(&store).expect("handling");
    let rollup_request = RollupRequest {
        span: Period {
            from: previous.from,
            to: period.to,
        },
        today,
        handling_days: handling,
        sum_windows: vec![period, Period::last_days(today, 365)],
        stockout_period: Some(period),
    };
    time(
        "  rollups: stored days, today live, per-product sums",
        runs,
        || store.kpi_rollup(&rollup_request).expect("rollup"),
    );
    let scope = Scope::All;
    time(
        "  products and open orders now (one read, in the rollups)",
        runs,
        || store.kpi_shop_now().expect("shop now"),
    );
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
    time("  available per product", runs, || {
        store.kpi_available().expect("available")
    });
    time(
        "  open lines now (available and waiting, one pass; reads the products too)",
        runs,
        || store.kpi_open_lines_now().expect("open lines"),
    );
    time("  active products", runs, || {
        store.kpi_product_count(&scope).expect("count")
    });
    time(
        "projected stock of one SKU (on the UI thread)",
        runs,
        || projection(&store, &sku, &period, today).expect("projection"),
    );
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
}
