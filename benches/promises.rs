//! The promise engine at scale: every ETA window recomputed with 20,000 waiting lines and 2,000
//! open purchase-order lines.
//!
//! `cargo bench --bench promises` (env `BENCH_WAITING`, `BENCH_PO_LINES`, `BENCH_RUNS`). The shop
//! is loaded through the real importer: products without stock, one open PO line per product
//! (expected dates spread over the next weeks, some confirmed), and open order lines that all
//! wait. Reported:
//! - compute: read the queues, open PO lines and supplier spreads, and compute every window
//!   (what `backorders` and the Orders screen do);
//! - recompute, nothing changed: compute, compare with the stored promises, write nothing (what
//!   every change in the shop runs, inside its transaction);
//! - recompute after a PO date moved: the same with one supplier's POs two weeks later, so the
//!   changed windows are written and the slips recorded and drafted (rolled back after timing).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::app::promises::{compute, recompute};
use backorder_desk::store::Store;
use chrono::{Duration as Days, NaiveDate};

const SUPPLIERS: usize = 20;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

struct Stats(Vec<Duration>);

impl Stats {
    fn report(&mut self, what: &str) {
        self.0.sort();
        let n = self.0.len();
        println!(
            "{what:<52} n={n:<3} median {:>8.2} ms  min {:>8.2} ms  max {:>8.2} ms",
            ms(self.0[n / 2]),
            ms(self.0[0]),
            ms(self.0[n - 1])
        );
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn write_files(
    dir: &Path,
    today: NaiveDate,
    products: usize,
    waiting: usize,
) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(dir.join("products.csv"))?);
    writeln!(
        out,
        "sku,name,on_hand,supplier,lead_time_days,backorder_policy,max_wait_days"
    )?;
    for index in 0..products {
        writeln!(
            out,
            "P-{index:05},Product {index},0,Supplier {},{},yes,30",
            index % SUPPLIERS,
            7 + index % 21
        )?;
    }
    out.flush()?;

    let mut out = BufWriter::new(File::create(dir.join("pos.csv"))?);
    writeln!(
        out,
        "po_number,supplier,sku,quantity,unit_cost,ordered_at,expected_at,received_quantity,received_at"
    )?;
    for index in 0..products {
        let supplier = index % SUPPLIERS;
        // One PO per supplier and week of arrival, a line per product.
        let week = (index / SUPPLIERS) % 6;
        let expected = today + Days::days(3 + 7 * week as i64 + supplier as i64 % 5);
        writeln!(
            out,
            "PO-{supplier:02}-{week},Supplier {supplier},P-{index:05},{},2.50,{},{},0,",
            4 + index % 9,
            today - Days::days(10),
            expected
        )?;
    }
    out.flush()?;

    let mut out = BufWriter::new(File::create(dir.join("orders.csv"))?);
    writeln!(
        out,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at,backordered_qty,priority"
    )?;
    let start = (today - Days::days(60)).and_hms_opt(9, 0, 0).expect("time");
    for line in 0..waiting {
        let order = line / 2;
        let at = start + Days::minutes(order as i64 * 4);
        // Spread the queue over the products, a few products with long queues.
        let product = if line % 5 == 0 {
            line % 50
        } else {
            (line * 7919) % products
        };
        writeln!(
            out,
            "SO-{order:06},{},Customer {},c{}@example.com,P-{product:05},{},9.99,open,,{},{}",
            at.format("%Y-%m-%d %H:%M:%S"),
            order % 3000,
            order % 3000,
            1 + line % 3,
            1 + line % 3,
            if line % 17 == 0 { "high" } else { "normal" }
        )?;
    }
    out.flush()
}

fn import(store: &mut Store, kind: ImportKind, path: &Path, clock: Clock) {
    let report = run_import(
        store,
        &ImportRequest::new(kind, path),
        &clock,
        &Progress::default(),
    )
    .expect("import");
    assert!(report.written, "{:?}", report.summary.errors.first());
}

fn main() {
    let waiting = env_usize("BENCH_WAITING", 20_000);
    let po_lines = env_usize("BENCH_PO_LINES", 2_000);
    let runs = env_usize("BENCH_RUNS", 15).max(1);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let clock = Clock::fixed(today);
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(dir.path(), today, po_lines, waiting).expect("write files");
    let mut store = Store::open(&dir.path().join("bench.sqlite")).expect("open");
    let started = Instant::now();
    import(
        &mut store,
        ImportKind::Products,
        &dir.path().join("products.csv"),
        clock,
    );
    import(
        &mut store,
        ImportKind::PurchaseOrders,
        &dir.path().join("pos.csv"),
        clock,
    );
    import(
        &mut store,
        ImportKind::Orders,
        &dir.path().join("orders.csv"),
        clock,
    );
    let computed = compute(store.connection(), today).expect("compute");
    let lines: usize = computed
        .iter()
        .map(|(product, _)| product.queue.len())
        .sum();
    let covered = computed
        .iter()
        .flat_map(|(_, promises)| promises)
        .filter(|promise| promise.covered_by.is_some())
        .count();
    println!(
        "promise bench: {lines} waiting lines over {} products ({covered} covered by a PO), {po_lines} open PO lines (shop loaded in {:.1} s)",
        computed.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(lines, waiting, "every imported line waits");

    let mut stats = Stats(Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(compute(store.connection(), today).expect("compute"));
        stats.0.push(start.elapsed());
    }
    stats.report("compute every window (no writes)");

    let mut stats = Stats(Vec::new());
    for _ in 0..runs {
        let tx = store.transaction().expect("transaction");
        let start = Instant::now();
        let result = recompute(&tx, today, "bench").expect("recompute");
        stats.0.push(start.elapsed());
        assert!(result.slips.is_empty());
        drop(tx);
    }
    stats.report("recompute, nothing changed");

    let mut stats = Stats(Vec::new());
    let mut slips = 0;
    for _ in 0..runs {
        let tx = store.transaction().expect("transaction");
        tx.execute(
            "UPDATE purchase_orders SET expected_at = date(expected_at, '+14 days')
              WHERE po_number LIKE 'PO-03-%'",
            [],
        )
        .expect("move dates");
        let start = Instant::now();
        let result = recompute(&tx, today, "bench").expect("recompute");
        stats.0.push(start.elapsed());
        slips = result.slips.len();
        drop(tx);
    }
    stats.report(&format!("recompute after a PO slip ({slips} lines moved)"));
}
