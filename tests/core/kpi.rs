//! KPIs on a small shop built through the app services, every number worked out by hand.
//!
//! The shop (today = Tue 10 Mar 2026, handling days = 1 by default):
//!
//! | product | cost   | supplier | opening stock (20 Feb) |
//! |---------|--------|----------|------------------------|
//! | LAMP    | 10.00  | Acme     | 5                      |
//! | VASE    |  5.00  | Bolt     | 0                      |
//!
//! Purchase orders, all ordered 1 Mar: PO-1 (Bolt) 10 VASE expected 5 Mar, received 7 Mar;
//! PO-2 (Acme) 10 LAMP expected 8 Mar, received 8 Mar; PO-3 (Acme) 5 LAMP expected 9 Mar, open.
//!
//! Orders (units short = not filled from stock when ordered):
//!
//! | order | placed | lines            | short           | closed                         |
//! |-------|--------|------------------|-----------------|--------------------------------|
//! | O1    | 2 Mar  | LAMP 2           | 0               | shipped 2 Mar                  |
//! | O2    | 3 Mar  | VASE 3           | 3               | shipped 8 Mar                  |
//! | O3    | 4 Mar  | LAMP 1, VASE 1   | VASE 1          | shipped 7 Mar                  |
//! | O4    | 5 Mar  | LAMP 4           | 2 (2 on hand)   | shipped 9 Mar                  |
//! | O5    | 6 Mar  | LAMP 1           | 1               | cancelled 6 Mar                |
#![allow(
    clippy::float_cmp,
    reason = "percentages are compared after rounding to 2 decimals, as the command line prints them"
)]

use crate::common::desk_on;
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::{adjust_stock, save_product};
use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::app::kpi::{KpiRequest, dashboard, dashboard_direct, projection};
use backorder_desk::app::orders::{
    OrderInput, cancel_line_because, cancel_order, place_order, ship_order,
};
use backorder_desk::app::purchasing::{PoInput, create_po, move_po_date, receive};
use backorder_desk::app::undo::undo_import;
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::kpi::{Period, Scope, round2};
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use backorder_desk::store::kpi_rollup::RollupRequest;
use backorder_desk::store::orders::OrderId;
use backorder_desk::store::settings::HANDLING_DAYS;
use chrono::NaiveDate;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
}

fn on(date: NaiveDate) -> Clock {
    Clock::fixed(date)
}

fn order(store: &mut Store, date: NaiveDate, lines: &[(&str, i64)]) -> OrderId {
    let input = OrderInput {
        order_number: String::new(),
        customer_name: "Ann".into(),
        customer_email: "ann@example.com".into(),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: lines
            .iter()
            .map(|(sku, q)| ((*sku).to_owned(), *q))
            .collect(),
    };
    place_order(store, &input, &on(date))
        .expect("order")
        .0
        .order_id
}

fn po(store: &mut Store, number: &str, supplier: &str, sku: &str, units: i64, expected: u32) {
    let input = PoInput {
        po_number: number.into(),
        supplier: supplier.into(),
        ordered_at: Some(day(1)),
        expected_at: Some(day(expected)),
        confirmed: false,
        lines: vec![(sku.into(), units, None)],
    };
    create_po(store, &input, &on(day(1))).expect("po");
}

fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    let feb20 = on(NaiveDate::from_ymd_opt(2026, 2, 20).expect("date"));
    for (sku, cost, supplier, stock) in [("LAMP", "10.00", "Acme", 5), ("VASE", "5.00", "Bolt", 0)]
    {
        let draft = ProductDraft {
            sku: sku.into(),
            name: format!("{sku} product"),
            category: "Home".into(),
            unit_cost: cost.into(),
            price: "40.00".into(),
            supplier: supplier.into(),
            lead_time_days: "10".into(),
            ..ProductDraft::default()
        };
        save_product(&mut store, None, &draft, stock, &feb20).expect("product");
    }
    po(&mut store, "PO-1", "Bolt", "VASE", 10, 5);
    po(&mut store, "PO-2", "Acme", "LAMP", 10, 8);
    po(&mut store, "PO-3", "Acme", "LAMP", 5, 9);

    let o1 = order(&mut store, day(2), &[("LAMP", 2)]);
    ship_order(&mut store, o1, &on(day(2))).expect("ship O1");
    let o2 = order(&mut store, day(3), &[("VASE", 3)]);
    let o3 = order(&mut store, day(4), &[("LAMP", 1), ("VASE", 1)]);
    let o4 = order(&mut store, day(5), &[("LAMP", 4)]);
    let o5 = order(&mut store, day(6), &[("LAMP", 1)]);
    cancel_order(&mut store, o5, &on(day(6))).expect("cancel O5");
    receive(&mut store, "PO-1", None, day(7), &on(day(7))).expect("receive PO-1");
    ship_order(&mut store, o3, &on(day(7))).expect("ship O3");
    receive(&mut store, "PO-2", None, day(8), &on(day(8))).expect("receive PO-2");
    ship_order(&mut store, o2, &on(day(8))).expect("ship O2");
    ship_order(&mut store, o4, &on(day(9))).expect("ship O4");
    path
}

fn request(from: NaiveDate, to: NaiveDate) -> KpiRequest {
    KpiRequest {
        period: Period::new(from, to).expect("period"),
        scope: Scope::All,
        today: day(10),
    }
}

#[test]
fn every_kpi_by_hand() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    let board = dashboard(&store, &request(day(1), day(10))).expect("dashboard");
    let now = &board.current;

    // 5 orders placed (the cancelled O5 counts); O2, O3, O4, O5 had a unit short: 4/5 = 80%.
    assert_eq!(now.totals.orders, 5);
    assert_eq!(now.backorder_rate_pct, Some(80.0));
    // Units 2 + 3 + 2 + 4 + 1 = 12, short 0 + 3 + 1 + 2 + 1 = 7: filled 5/12 = 41.67%.
    assert_eq!(now.fill_rate_pct.map(round2), Some(41.67));
    // Only O1 was filled completely: 1/5.
    assert_eq!(now.order_fill_rate_pct, Some(20.0));
    // Closed in the period: all five. O1 shipped complete on 2 Mar, deadline 2 Mar + 1 handling
    // day: perfect. O5 is cancelled. Without receipts on record a PO may be 0–3 days late: O2's
    // and O3's VASE lines (PO-1, expected 5 Mar) were promised 6–9 Mar; on 6 Mar PO-1 was a day
    // late, still inside that allowance, so only the start moved (7–9 Mar, no slip). The window
    // in force when they shipped ends 9 Mar: O2 (shipped 8 Mar) and O3 (7 Mar) are perfect.
    // O4's LAMP line (PO-2, expected 8 Mar) was promised 9–12 Mar and shipped 9 Mar: perfect.
    // Perfect 4/5 = 80%.
    assert_eq!((now.perfect_orders, now.closed_orders), (4, 5));
    assert_eq!(now.perfect_order_pct, Some(80.0));
    // Promises: the three backordered lines that shipped kept their first window and shipped
    // inside it (O2 and O3 VASE 6–9 Mar, shipped 8 and 7 Mar; O4 LAMP 9–12 Mar, shipped 9 Mar).
    // O5's line was cancelled: it never shipped, so it does not count.
    assert_eq!(now.promises.lines, 3);
    assert_eq!(now.promise_kept_pct, Some(100.0));
    assert_eq!(now.promise_inside_pct, Some(100.0));
    let by_supplier: Vec<(&str, i64, Option<f64>)> = board
        .promise_suppliers
        .iter()
        .map(|s| (s.supplier.as_str(), s.totals.lines, s.kept_pct))
        .collect();
    assert_eq!(
        by_supplier,
        vec![("Acme", 1, Some(100.0)), ("Bolt", 2, Some(100.0))]
    );
    // Week 1–7 Mar: O3's line; 8–10 Mar: O2's and O4's.
    assert_eq!(board.promise_weeks.len(), 2);
    assert_eq!(board.promise_weeks[0].lines, 1);
    assert_eq!(board.promise_weeks[1].lines, 2);
    assert_eq!(board.promise_target_pct, 90.0);
    // Backordered lines shipped: O2 VASE 3 → 8 Mar (5 days), O3 VASE 4 → 7 Mar (3), O4 LAMP
    // 5 → 9 Mar (4): 12 / 3 = 4 days.
    assert_eq!(now.waited_lines, 3);
    assert_eq!(now.avg_backorder_wait_days, Some(4.0));
    // SKU-days: 2 products × 10 days = 20. VASE on hand is 0 until the 7 Mar receipt while O2
    // waits from 3 Mar (and O3 from 4 Mar): stockout 3, 4, 5, 6 Mar. LAMP never reaches 0 on
    // hand (5, 3, 3, 3, 3, 3, 2, 12, 8, 8). 4 / 20 = 20%.
    assert_eq!((now.stockout_sku_days, now.sku_days), (4, 20));
    assert_eq!(now.stockout_frequency_pct, Some(20.0));
    // Closing value per day (LAMP × 10.00 + VASE × 5.00): 50, 30, 30, 30, 30, 30, 65 (2 LAMP,
    // 9 VASE), 150 (12, 6), 110 (8, 6), 110 → mean 63.50. Goods shipped at cost: LAMP 2 + 1 + 4
    // = 7 × 10 = 70, VASE 1 + 3 = 4 × 5 = 20 → 90.00. Turnover 90 / 63.5 = 1.42.
    assert_eq!(now.cost_of_goods_shipped_cents, 9_000);
    assert!((now.average_inventory_cents - 6_350.0).abs() < 1e-9);
    assert_eq!(now.inventory_turnover.map(round2), Some(1.42));
    // PO-3 (expected 9 Mar) is still open on 10 Mar.
    assert_eq!(board.late_inbound_lines, 1);
    // Receipts: Acme PO-2 ordered 1 Mar, arrived 8 Mar = 7 days, on time (expected 8 Mar);
    // Bolt PO-1 1 Mar → 7 Mar = 6 days, late (expected 5 Mar).
    let suppliers: Vec<(&str, f64, f64, Option<f64>)> = board
        .suppliers
        .iter()
        .map(|s| {
            (
                s.supplier.as_str(),
                s.stats.mean_days,
                s.stats.sd_days,
                s.stats.on_time_pct,
            )
        })
        .collect();
    assert_eq!(
        suppliers,
        vec![
            ("Acme", 7.0, 0.0, Some(100.0)),
            ("Bolt", 6.0, 0.0, Some(0.0))
        ]
    );
    // Nothing waits on 10 Mar.
    assert_eq!(board.open_backorder_ages, [0, 0, 0, 0, 0]);
    // Waiting at the end of each day: O2 (3–7 Mar), O3 VASE (4–6 Mar), O4 (5–8 Mar); O5 was
    // cancelled the day it was placed.
    let waiting: Vec<i64> = board.open_backorders_per_day.iter().map(|d| d.1).collect();
    assert_eq!(waiting, vec![0, 0, 1, 2, 3, 3, 2, 1, 0, 0]);
    // Weeks 1–7 Mar (O1–O5) and 8–10 Mar (no orders).
    assert_eq!(board.weeks.len(), 2);
    assert_eq!(board.weeks[0].backorder_rate_pct, Some(80.0));
    assert_eq!(board.weeks[1].backorder_rate_pct, None);
    // Most stockout days: VASE only.
    let skus: Vec<(&str, i64)> = board
        .most_stockouts
        .iter()
        .map(|s| (s.product.sku.as_str(), s.stockout_days))
        .collect();
    assert_eq!(skus, vec![("VASE", 4)]);
    // The previous 10 days (19–28 Feb) had no orders: undefined, and the change is undefined.
    assert_eq!(board.previous.totals.orders, 0);
    assert_eq!(board.previous.backorder_rate_pct, None);
    assert_eq!(board.previous.perfect_order_pct, None);
}

#[test]
fn no_orders_and_only_cancelled_orders() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    // January: nothing happened and nothing was in stock.
    let jan = |d| NaiveDate::from_ymd_opt(2026, 1, d).expect("date");
    let empty = dashboard(&store, &request(jan(1), jan(10))).expect("dashboard");
    let figures = &empty.current;
    assert_eq!(figures.totals.orders, 0);
    assert_eq!(figures.backorder_rate_pct, None);
    assert_eq!(figures.fill_rate_pct, None);
    assert_eq!(figures.order_fill_rate_pct, None);
    assert_eq!(figures.perfect_order_pct, None);
    assert_eq!(figures.avg_backorder_wait_days, None);
    assert_eq!(figures.inventory_turnover, None);
    assert_eq!(figures.stockout_frequency_pct, Some(0.0));
    assert!(empty.suppliers.is_empty());

    // 6 Mar: only O5, cancelled that day. 1 order, 1 unit short: backorder rate 100%, fill
    // rate 0%, order fill rate 0%; closed 1 (cancelled) → perfect 0%; nothing shipped → no wait.
    let cancelled = dashboard(&store, &request(day(6), day(6))).expect("dashboard");
    let figures = &cancelled.current;
    assert_eq!(figures.totals.orders, 1);
    assert_eq!(figures.backorder_rate_pct, Some(100.0));
    assert_eq!(figures.fill_rate_pct, Some(0.0));
    assert_eq!(figures.order_fill_rate_pct, Some(0.0));
    assert_eq!(figures.perfect_order_pct, Some(0.0));
    assert_eq!(figures.avg_backorder_wait_days, None);
}

#[test]
fn scope_and_projection() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    let mut vase = request(day(1), day(10));
    vase.scope = Scope::Sku("VASE".into());
    let board = dashboard(&store, &vase).expect("dashboard");
    // Orders with a VASE line: O2 (3 of 3 short), O3 (1 of 1 short).
    assert_eq!(board.current.totals.orders, 2);
    assert_eq!(board.current.backorder_rate_pct, Some(100.0));
    assert_eq!(board.current.fill_rate_pct, Some(0.0));
    // 1 SKU × 10 days, 4 stockout days.
    assert_eq!(board.current.stockout_frequency_pct, Some(40.0));
    let mut acme = request(day(1), day(10));
    acme.scope = Scope::Supplier("Acme".into());
    let board = dashboard(&store, &acme).expect("dashboard");
    assert_eq!(board.current.totals.orders, 4);
    assert_eq!(board.suppliers.len(), 1);

    // LAMP: on hand 8, nothing open → starts at 8. Demand 1–10 Mar: 2, 1, 4 and O5's 1
    // cancelled → 7 units / 10 days = 0.7 a day. PO-3's 5 units are overdue → day 0.
    // Daily demand 0, 2, 0, 1, 4, 0, 0, 0, 0, 0: mean 0.7, variance (0.49×7 + 1.69 + 0.09 +
    // 10.89) / 10 = 1.61, σ = 1.2689. Lead 10: reorder point 7 + 1.6449 × 1.2689 × √10 = 13.60.
    let p = projection(
        &store,
        "LAMP",
        &Period::new(day(1), day(10)).expect("p"),
        day(10),
    )
    .expect("projection")
    .expect("known sku");
    assert_eq!(p.start, 8);
    assert!((p.avg_daily_demand - 0.7).abs() < 1e-9);
    assert_eq!(round2(p.reorder_point), 13.6);
    // 13 on day 0, then −0.7 a day: 13 − 0.7 × 19 = −0.3 on day 19 (0.4 on day 18).
    assert_eq!(p.points[0], 13.0);
    assert_eq!(p.stockout, Some(day(29)));
    assert!(
        projection(
            &store,
            "NOPE",
            &Period::new(day(1), day(10)).expect("p"),
            day(10)
        )
        .expect("projection")
        .is_none()
    );
}

#[test]
fn cli_kpi_json() {
    let dir = tempfile::tempdir().expect("dir");
    let path = shop(dir.path());
    let run = |args: &[&str]| desk_on(&path, "2026-03-10", &[&["kpi"][..], args].concat());
    let output = run(&["--from", "2026-03-01", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["orders"], 5);
    assert_eq!(value["backorder_rate_pct"], 80.0);
    assert_eq!(value["fill_rate_pct"], 41.67);
    assert_eq!(value["order_fill_rate_pct"], 20.0);
    assert_eq!(value["perfect_order_pct"], 80.0);
    assert_eq!(value["promise_kept_pct"], 100.0);
    assert_eq!(value["promise_inside_pct"], 100.0);
    assert_eq!(value["promised_lines_shipped"], 3);
    assert_eq!(value["promises_by_supplier"][1]["supplier"], "Bolt");
    assert_eq!(value["promises_by_supplier"][1]["promise_kept_pct"], 100.0);
    assert_eq!(value["avg_backorder_wait_days"], 4.0);
    assert_eq!(value["stockout_frequency_pct"], 20.0);
    assert_eq!(value["inventory_turnover"], 1.42);
    assert_eq!(value["late_inbound_lines"], 1);
    assert_eq!(value["suppliers"][0]["supplier"], "Acme");
    assert_eq!(value["suppliers"][0]["lead_time_mean_days"], 7.0);
    assert_eq!(value["suppliers"][0]["lead_time_sd_days"], 0.0);
    assert_eq!(value["suppliers"][0]["on_time_pct"], 100.0);
    assert_eq!(value["suppliers"][1]["on_time_pct"], 0.0);

    // No orders: nulls, never a division by zero.
    let output = run(&["--from", "2026-01-01", "--to", "2026-01-10", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["orders"], 0);
    assert!(value["backorder_rate_pct"].is_null());
    assert!(value["perfect_order_pct"].is_null());
    assert!(value["promise_kept_pct"].is_null());
    assert!(value["avg_backorder_wait_days"].is_null());
    assert!(value["inventory_turnover"].is_null());

    // Text output shows "—" for undefined values.
    let output = run(&["--from", "2026-01-01", "--to", "2026-01-10"]);
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(text.contains("Backorder rate           —"), "{text}");

    // Bad input: clear errors.
    let output = run(&["--from", "2026-03-10", "--to", "2026-03-01"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("starts"));
    let output = run(&["--sku", "NOPE"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("No product with SKU 'NOPE'"));
}

/// The requests compared: the presets and custom periods before, around and after today.
fn requests(today: NaiveDate) -> Vec<KpiRequest> {
    let days = |n: i64| chrono::Duration::days(n);
    let mut out: Vec<KpiRequest> = [30, 10, 3, 1]
        .into_iter()
        .map(|n| KpiRequest {
            period: Period::last_days(today, n),
            scope: Scope::All,
            today,
        })
        .collect();
    for (from, to) in [
        (today - days(25), today - days(12)),
        (today - days(6), today + days(4)),
        (today + days(1), today + days(3)),
    ] {
        out.push(KpiRequest {
            period: Period::new(from, to).expect("period"),
            scope: Scope::All,
            today,
        });
    }
    out
}

/// The rollup-based dashboard equals the direct computation for every request.
fn same_as_direct(store: &Store, today: NaiveDate, step: &str) {
    for request in requests(today) {
        let direct = dashboard_direct(store, &request).expect("direct");
        let rolled = dashboard(store, &request).expect("rollup");
        assert_eq!(rolled, direct, "after {step}: {:?}", request.period);
    }
    // The one pass over open lines (products and open orders read first) gives what the two
    // direct queries give.
    let open_lines = store.kpi_open_lines_now().expect("open lines");
    let mut available = store.kpi_available().expect("available");
    available.sort_unstable();
    assert_eq!(open_lines.available, available, "after {step}");
    let mut waiting = store.kpi_open_backorders(&Scope::All).expect("waiting");
    waiting.sort_unstable();
    assert_eq!(open_lines.waiting_by_order_day, waiting, "after {step}");
    // Asked again without a change, nothing is recomputed.
    let again = store
        .kpi_rollup(&RollupRequest {
            span: Period::last_days(today, 20),
            today,
            handling_days: backorder_desk::app::kpi::handling_days(store).expect("handling"),
            sum_windows: vec![Period::last_days(today, 10)],
            stockout_period: None,
        })
        .expect("rollup");
    assert_eq!(again.recomputed_days, 0, "after {step}");
    assert!(again.stored, "after {step}");
}

fn import_orders(store: &mut Store, dir: &Path, csv: &str, today: NaiveDate) {
    let path = dir.join("orders.csv");
    std::fs::write(
        &path,
        format!(
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at,backordered_qty,priority\n{csv}"
        ),
    )
    .expect("write csv");
    let request = ImportRequest::new(ImportKind::Orders, path);
    let report = run_import(store, &request, &on(today), &Progress::default()).expect("import");
    assert!(report.written, "{:?}", report.summary);
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario told from start to end")]
fn rollups_equal_the_direct_computation_after_every_kind_of_change() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let lamp = store.product_id_by_sku("LAMP").expect("sku").expect("LAMP");
    same_as_direct(&store, day(10), "building the history");
    same_as_direct(&store, day(10), "nothing");
    // A new day: 10 Mar is stored now.
    let o6 = order(&mut store, day(11), &[("LAMP", 3), ("VASE", 8)]);
    same_as_direct(&store, day(11), "an order");
    ship_order(&mut store, o6, &on(day(11))).expect("ship O6");
    same_as_direct(&store, day(11), "a partial shipment");
    // VASE 2 of O6 waits; PO-3 brings LAMP; a back-dated receipt of VASE moves 9 Mar's stock.
    receive(&mut store, "PO-3", None, day(12), &on(day(12))).expect("receive PO-3");
    same_as_direct(&store, day(12), "a receipt");
    adjust_stock(&mut store, lamp, -4, "Breakage", &on(day(12))).expect("adjust");
    same_as_direct(&store, day(12), "an adjustment");
    po(&mut store, "PO-4", "Bolt", "VASE", 2, 13);
    receive(&mut store, "PO-4", None, day(9), &on(day(13))).expect("receive PO-4");
    same_as_direct(&store, day(13), "a receipt dated 9 Mar");
    // Cancelling the rest of O6 two days later: its wait since 11 Mar ends today.
    cancel_order(&mut store, o6, &on(day(13))).expect("cancel O6");
    same_as_direct(&store, day(13), "cancelling an older order");
    // One line of an open order cancelled: that line no longer waited at all.
    let o7 = order(&mut store, day(13), &[("VASE", 5), ("LAMP", 1)]);
    same_as_direct(&store, day(14), "a new day");
    let vase_line: i64 = store
        .connection()
        .query_row(
            "SELECT l.line_id FROM order_lines l JOIN products p ON p.product_id = l.product_id
              WHERE l.order_id = ?1 AND p.sku = 'VASE'",
            [o7.0],
            |row| row.get(0),
        )
        .expect("line");
    // With a reason: the cancellation card of 13 Mar (a stored day by now) changes.
    cancel_line_because(
        &mut store,
        vase_line,
        Some(backorder_desk::domain::order::CancelReason::TooLong),
        &on(day(14)),
    )
    .expect("cancel line");
    // Only that order day is marked for the cancellation card, not every day since.
    let cancel_marks = |store: &Store| -> (String, Vec<String>) {
        let conn = store.connection();
        let from = conn
            .query_row("SELECT dirty_from FROM kpi_cancel_state", [], |row| {
                row.get(0)
            })
            .expect("state");
        let mut statement = conn
            .prepare("SELECT day FROM kpi_cancel_dirty ORDER BY day")
            .expect("sql");
        let days = statement
            .query_map([], |row| row.get(0))
            .expect("days")
            .collect::<Result<_, _>>()
            .expect("days");
        (from, days)
    };
    assert_eq!(
        cancel_marks(&store),
        ("2026-03-14".to_owned(), vec!["2026-03-13".to_owned()])
    );
    same_as_direct(&store, day(14), "cancelling one line");
    assert_eq!(cancel_marks(&store), ("2026-03-14".to_owned(), Vec::new()));
    // A new unit cost: every day's value changes.
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "LAMP product".into(),
        category: "Home".into(),
        unit_cost: "12.50".into(),
        price: "40.00".into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, Some(lamp), &draft, 0, &on(day(14))).expect("cost");
    same_as_direct(&store, day(14), "a cost change");
    // Another supplier: its shipped promises count for that supplier on every stored day.
    let moved = ProductDraft {
        supplier: "Bolt".into(),
        ..draft.clone()
    };
    save_product(&mut store, Some(lamp), &moved, 0, &on(day(14))).expect("supplier");
    same_as_direct(&store, day(14), "a supplier change");
    let bolt = dashboard(&store, &request(day(1), day(14))).expect("dashboard");
    assert!(
        bolt.promise_suppliers.iter().all(|s| s.supplier == "Bolt"),
        "{:?}",
        bolt.promise_suppliers
    );
    save_product(&mut store, Some(lamp), &draft, 0, &on(day(14))).expect("supplier back");
    same_as_direct(&store, day(14), "the supplier back");
    // An order placed with an earlier date, and imported history.
    let input = OrderInput {
        order_number: "BACK-1".into(),
        customer_name: "Bo".into(),
        customer_email: "bo@example.com".into(),
        ordered_at: Some(day(4).and_hms_opt(9, 0, 0).expect("time")),
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: vec![("VASE".into(), 1)],
    };
    place_order(&mut store, &input, &on(day(14))).expect("back-dated order");
    same_as_direct(&store, day(14), "a back-dated order");
    import_orders(
        &mut store,
        dir.path(),
        "H-1,2026-02-25 10:00:00,Cy,cy@example.com,LAMP,2,40.00,shipped,2026-03-03 10:00:00,2,normal\n\
         H-2,2026-03-05 11:00:00,Di,di@example.com,VASE,1,40.00,cancelled,,1,normal\n\
         H-3,2026-03-08 12:00:00,Ed,ed@example.com,VASE,2,40.00,open,,2,normal\n",
        day(14),
    );
    same_as_direct(&store, day(14), "an import of history");
    store.set_setting(HANDLING_DAYS, "3").expect("setting");
    same_as_direct(&store, day(14), "new handling days");
    let vase = store.product_id_by_sku("VASE").expect("sku").expect("VASE");
    store
        .delete_product(vase, "2026-03-14 12:00:00")
        .expect("archive");
    same_as_direct(&store, day(14), "archiving a product");
    // Days pass, and the clock goes back.
    same_as_direct(&store, day(20), "six quiet days");
    same_as_direct(&store, day(16), "the clock set back");
    same_as_direct(&store, day(21), "the clock set forward");
}

#[test]
fn rollups_of_a_demo_shop_under_random_changes() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("demo.sqlite")).expect("open");
    let mut today = NaiveDate::from_ymd_opt(2026, 3, 10).expect("date");
    let spec = DemoSpec {
        products: 120,
        order_lines: 3_000,
        seed: 11,
    };
    load_demo(&mut store, spec, &on(today), &Progress::default()).expect("demo");
    same_as_direct(&store, today, "the demo");
    let skus: Vec<String> = {
        let mut statement = store
            .connection()
            .prepare("SELECT sku FROM products WHERE backorder_policy <> 'no' ORDER BY product_id")
            .expect("sql");
        let rows = statement.query_map([], |row| row.get(0)).expect("skus");
        rows.collect::<Result<_, _>>().expect("skus")
    };
    let ids = |store: &Store, sql: &str| -> Vec<i64> {
        let mut statement = store.connection().prepare(sql).expect("sql");
        let rows = statement.query_map([], |row| row.get(0)).expect("ids");
        rows.collect::<Result<_, _>>().expect("ids")
    };
    let mut seed: u64 = 42;
    let mut next = |n: usize| -> usize {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n.max(1)
    };
    for step in 0..40 {
        let clock = on(today);
        let action = next(8);
        match action {
            0 | 1 => {
                let sku = skus[next(skus.len())].clone();
                let units = 1 + next(3) as i64;
                order(&mut store, today, &[(sku.as_str(), units)]);
            }
            2 => {
                let ready = ids(
                    &store,
                    "SELECT DISTINCT o.order_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id
                      WHERE o.status = 'open' AND o.ship_complete = 0 AND l.reserved_qty > 0 ORDER BY 1",
                );
                if !ready.is_empty() {
                    ship_order(&mut store, OrderId(ready[next(ready.len())]), &clock)
                        .expect("ship");
                }
            }
            3 => {
                let open = ids(
                    &store,
                    "SELECT order_id FROM orders WHERE status = 'open' ORDER BY 1",
                );
                if !open.is_empty() {
                    cancel_order(&mut store, OrderId(open[next(open.len())]), &clock)
                        .expect("cancel");
                }
            }
            4 => {
                let pos: Vec<String> = {
                    let mut statement = store
                        .connection()
                        .prepare("SELECT po_number FROM purchase_orders WHERE status IN ('open', 'partly_received') ORDER BY 1")
                        .expect("sql");
                    let rows = statement.query_map([], |row| row.get(0)).expect("pos");
                    rows.collect::<Result<_, _>>().expect("pos")
                };
                if !pos.is_empty() {
                    let back = next(3) as i64;
                    receive(
                        &mut store,
                        &pos[next(pos.len())],
                        None,
                        today - chrono::Duration::days(back),
                        &clock,
                    )
                    .expect("receive");
                }
            }
            5 => {
                let products = ids(&store, "SELECT product_id FROM products ORDER BY 1");
                let id = backorder_desk::store::ProductId(products[next(products.len())]);
                let units = next(7) as i64 - 3;
                if units != 0 {
                    let _ = adjust_stock(&mut store, id, units, "Count", &clock);
                }
            }
            6 => {
                let products = ids(&store, "SELECT product_id FROM products ORDER BY 1");
                store
                    .connection()
                    .execute(
                        "UPDATE products SET unit_cost_cents = unit_cost_cents + 7 WHERE product_id = ?1",
                        [products[next(products.len())]],
                    )
                    .expect("cost");
            }
            _ => today += chrono::Duration::days(1 + next(2) as i64),
        }
        same_as_direct(&store, today, &format!("step {step} (action {action})"));
    }
}

#[test]
fn the_numbers_stand_when_the_rollups_cannot_be_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let path = shop(dir.path());
    let store = Store::open(&path).expect("open");
    let other = Store::open(&path).expect("open again");
    other
        .connection()
        .execute_batch("BEGIN IMMEDIATE")
        .expect("hold the write lock");
    let request = request(day(1), day(10));
    let rollup_request = RollupRequest {
        span: Period::new(day(1), day(10)).expect("period"),
        today: day(10),
        handling_days: 1,
        sum_windows: Vec::new(),
        stockout_period: None,
    };
    let blocked = store.kpi_rollup(&rollup_request).expect("rollup");
    assert!(!blocked.stored);
    assert_eq!(
        dashboard(&store, &request).expect("rollup"),
        dashboard_direct(&store, &request).expect("direct")
    );
    other.connection().execute_batch("COMMIT").expect("release");
    let stored = store.kpi_rollup(&rollup_request).expect("rollup");
    assert!(stored.stored);
    assert!(stored.recomputed_days > 0);
    assert_eq!(blocked.days, stored.days);
}

/// VASE as the shop in the module comment has it, with or without its stock tracked.
fn vase_tracking(store: &mut Store, tracked: bool, today: NaiveDate) {
    let vase = store.product_id_by_sku("VASE").expect("sku").expect("VASE");
    let draft = ProductDraft {
        sku: "VASE".into(),
        name: "VASE product".into(),
        category: "Home".into(),
        unit_cost: "5.00".into(),
        price: "40.00".into(),
        supplier: "Bolt".into(),
        lead_time_days: "10".into(),
        track_stock: tracked,
        ..ProductDraft::default()
    };
    save_product(store, Some(vase), &draft, 0, &on(today)).expect("tracking");
}

#[test]
fn stock_that_is_not_tracked_is_left_out_of_fill_rates_and_stockouts() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    // The rollups are stored first, with VASE tracked (the figures of `every_kpi_by_hand`).
    let before = dashboard(&store, &request(day(1), day(10))).expect("dashboard");
    assert_eq!(before.current.totals.orders, 5);
    vase_tracking(&mut store, false, day(10));
    let board = dashboard(&store, &request(day(1), day(10))).expect("dashboard");
    let now = &board.current;
    // Only LAMP lines count: O1 LAMP 2 (short 0), O3 LAMP 1 (0), O4 LAMP 4 (2), O5 LAMP 1 (1);
    // O2 (VASE only) is left out. Orders 4, with a unit short 2: 50%. Units 8, short 3: filled
    // 5/8 = 62.5%. Filled completely: O1 and O3, 2/4 = 50%.
    assert_eq!(now.totals.orders, 4);
    assert_eq!(now.backorder_rate_pct, Some(50.0));
    assert_eq!(now.fill_rate_pct, Some(62.5));
    assert_eq!(now.order_fill_rate_pct, Some(50.0));
    // SKU-days: LAMP alone × 10 days; LAMP never ran out, and VASE's 4 stockout days are gone.
    assert_eq!((now.stockout_sku_days, now.sku_days), (0, 10));
    assert!(board.most_stockouts.is_empty());
    assert!(
        board.lowest_cover.iter().all(|s| s.product.sku != "VASE"),
        "no days of cover for stock that is not counted"
    );
    // The rollups give the direct computation's numbers after the switch, and after switching
    // back.
    same_as_direct(&store, day(10), "tracking switched off");
    vase_tracking(&mut store, true, day(10));
    same_as_direct(&store, day(10), "tracking switched on again");
    let again = dashboard(&store, &request(day(1), day(10))).expect("dashboard");
    assert_eq!(again.current, before.current);
}

/// Promise figures of one request: lines, kept %, inside %.
fn promise_figures(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
) -> (i64, Option<f64>, Option<f64>) {
    let board = dashboard(
        store,
        &KpiRequest {
            period: Period::new(from, to).expect("period"),
            scope: Scope::All,
            today: to,
        },
    )
    .expect("dashboard");
    let now = &board.current;
    (
        now.promises.lines,
        now.promise_kept_pct,
        now.promise_inside_pct,
    )
}

/// Promises kept and shipped inside the first window, per supplier, worked by hand; the history
/// stays through an import and its undo, and the rollups agree with the direct computation.
///
/// CHAIR (Acme) and DESK (Bolt), nothing on hand, lead time 10 days; PO-A (Acme, 10 CHAIR) and
/// PO-B (Bolt, 10 DESK) ordered 1 Mar, expected 5 Mar. No receipts yet: a PO may be 0–3 days
/// late, so both first windows are 6–9 Mar (expected + 1 handling day + 0..3).
#[test]
fn promises_kept_per_supplier_through_an_import_and_its_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
    let mar1 = on(day(1));
    for (sku, supplier) in [("CHAIR", "Acme"), ("DESK", "Bolt")] {
        let draft = ProductDraft {
            sku: sku.into(),
            name: format!("{sku} product"),
            price: "40.00".into(),
            supplier: supplier.into(),
            lead_time_days: "10".into(),
            ..ProductDraft::default()
        };
        save_product(&mut store, None, &draft, 0, &mar1).expect("product");
    }
    po(&mut store, "PO-A", "Acme", "CHAIR", 10, 5);
    po(&mut store, "PO-B", "Bolt", "DESK", 10, 5);
    // P1: 1 CHAIR, P2: 2 DESK, both first promised 6–9 Mar.
    let p1 = order(&mut store, day(2), &[("CHAIR", 1)]);
    let p2 = order(&mut store, day(2), &[("DESK", 2)]);
    // 3 Mar: Acme moves PO-A to 8 Mar: arriving then, P1 still ships on 9 Mar, the last day
    // of its window, so the window holds. Moved again to 9 Mar, it cannot: P1's window becomes
    // 10–13 Mar (a slip).
    let moved = move_po_date(&mut store, "PO-A", day(8), &on(day(3))).expect("move");
    assert!(moved.is_empty());
    let moved = move_po_date(&mut store, "PO-A", day(9), &on(day(3))).expect("move");
    assert_eq!(moved.len(), 1);
    assert_eq!(
        moved[0].new.map(|w| (w.start, w.end)),
        Some((day(10), day(13)))
    );
    // 4 Mar: PO-B arrives a day early; P2 ships that day, before its first window: kept (not
    // later than its end) but not inside it.
    receive(&mut store, "PO-B", None, day(4), &on(day(4))).expect("receive PO-B");
    ship_order(&mut store, p2, &on(day(4))).expect("ship P2");
    same_as_direct(&store, day(5), "an early shipment");
    // 10 Mar: PO-A arrives; P1 ships 10 Mar, after its first window (ends 9 Mar) though inside
    // the window in force (10–13 Mar): not kept, yet a perfect order.
    receive(&mut store, "PO-A", None, day(10), &on(day(10))).expect("receive PO-A");
    ship_order(&mut store, p1, &on(day(10))).expect("ship P1");
    same_as_direct(&store, day(11), "a late shipment");
    let board = dashboard(&store, &request(day(1), day(10))).expect("dashboard");
    let now = &board.current;
    // 2 lines: P2 kept, P1 not: 50%; neither shipped inside its first window: 0%.
    assert_eq!(now.promises.lines, 2);
    assert_eq!(now.promise_kept_pct, Some(50.0));
    assert_eq!(now.promise_inside_pct, Some(0.0));
    assert_eq!((now.perfect_orders, now.closed_orders), (2, 2));
    let by_supplier: Vec<(&str, i64, Option<f64>, Option<f64>)> = board
        .promise_suppliers
        .iter()
        .map(|s| {
            (
                s.supplier.as_str(),
                s.totals.lines,
                s.kept_pct,
                s.inside_pct,
            )
        })
        .collect();
    assert_eq!(
        by_supplier,
        vec![
            ("Acme", 1, Some(0.0), Some(0.0)),
            ("Bolt", 1, Some(100.0), Some(0.0))
        ]
    );
    let before = promise_figures(&store, day(1), day(11));
    assert_eq!(before, (2, Some(50.0), Some(0.0)));

    // An import of history and of an open order waiting for a DESK: the figures stay.
    import_orders(
        &mut store,
        dir.path(),
        "H-1,2026-02-20 10:00:00,Cy,cy@example.com,DESK,1,40.00,shipped,2026-02-22 10:00:00,1,normal\n\
         H-2,2026-03-11 09:00:00,Di,di@example.com,DESK,9,40.00,open,,9,normal\n",
        day(11),
    );
    same_as_direct(&store, day(11), "an import");
    assert_eq!(promise_figures(&store, day(1), day(11)), before);
    // H-2 waits for 1 DESK beyond the 8 on hand: it has a first window now.
    let waiting_with_history: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM promise_history", [], |row| row.get(0))
        .expect("count");
    assert_eq!(waiting_with_history, 3);
    // Undoing the import takes H-2 and its history back; the shipped lines' history stays.
    undo_import(&mut store, None, &on(day(11))).expect("undo");
    same_as_direct(&store, day(11), "undoing the import");
    assert_eq!(promise_figures(&store, day(1), day(11)), before);
    let left: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM promise_history", [], |row| row.get(0))
        .expect("count");
    assert_eq!(left, 2);
}
