//! Promises end to end: honest dates for lines no purchase order covers, calendar moves
//! recorded once a week, each line's first window kept, the count of dates slipping per SKU,
//! the explanation of a window, the update of an existing shop, and the simulator.

use crate::common::desk;

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::{adjust_stock, catalog_rows, save_product};
use backorder_desk::app::jobs::Progress;
use backorder_desk::app::orders::{OrderInput, place_order};
use backorder_desk::app::purchasing::{PoInput, create_po};
use backorder_desk::app::safety::reorder_suggestions;
use backorder_desk::app::simulate::{SimSpec, simulate};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::domain::promise::EtaWindow;
use backorder_desk::store::promises::promise_history;
use backorder_desk::store::{Store, create_at_version};
use chrono::NaiveDate;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
}

fn on(d: u32) -> Clock {
    Clock::fixed(day(d))
}

fn window(start: u32, end: u32) -> EtaWindow {
    EtaWindow {
        start: day(start),
        end: day(end),
    }
}

/// LAMP (Acme, lead time 10, nothing on hand, no PO) and MUG (10 on hand); Ann orders a lamp on
/// 1 Mar.
fn shop(path: &std::path::Path) -> (Store, i64) {
    let mut store = Store::open(path).expect("open");
    for (sku, stock) in [("LAMP", 0), ("MUG", 10)] {
        let draft = ProductDraft {
            sku: sku.into(),
            name: format!("{sku} product"),
            supplier: "Acme".into(),
            lead_time_days: "10".into(),
            price: "20.00".into(),
            max_wait_days: "60".into(),
            ..ProductDraft::default()
        };
        save_product(&mut store, None, &draft, stock, &on(1)).expect("product");
    }
    let input = OrderInput {
        order_number: "SO-1".into(),
        customer_name: "Ann".into(),
        customer_email: "ann@example.com".into(),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: vec![("LAMP".into(), 1)],
    };
    place_order(&mut store, &input, &on(1)).expect("order");
    let line_id = store
        .connection()
        .query_row("SELECT line_id FROM order_lines", [], |row| row.get(0))
        .expect("line");
    (store, line_id)
}

/// The recorded changes of a line: (day, old window, new window, calendar only).
fn changes(store: &Store, line_id: i64) -> Vec<(String, String, String, bool)> {
    let mut statement = store
        .connection()
        .prepare(
            "SELECT detected_on, old_start || '..' || old_end, new_start || '..' || new_end,
                    calendar_only
               FROM promise_changes WHERE line_id = ?1 ORDER BY change_id",
        )
        .expect("sql");
    statement
        .query_map([line_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn an_uncovered_line_moves_daily_and_is_listed_once_a_week() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, line) = shop(&dir.path().join("shop.sqlite"));
    let mug = store.product_id_by_sku("MUG").expect("sku").expect("MUG");
    // 1 Mar: a PO placed today arrives 11 Mar; + 1 handling day = 12 Mar; 0–3 days late.
    let history = promise_history(store.connection(), line)
        .expect("history")
        .expect("a first window");
    assert_eq!(history.first, window(12, 15));
    // Something happens every day (a stock count of the mug): the lamp's date moves a day later
    // each day. Only the calendar moved it: listed on 2 Mar, then not again until 9 Mar.
    for d in 2..=9 {
        adjust_stock(&mut store, mug, 1, "Stock count", &on(d)).expect("adjust");
        let stored = promise_history(store.connection(), line)
            .expect("history")
            .expect("history");
        assert_eq!(stored.last, window(12 + d - 1, 15 + d - 1), "on {d} Mar");
    }
    assert_eq!(
        changes(&store, line),
        vec![
            (
                "2026-03-02".to_owned(),
                "2026-03-12..2026-03-15".to_owned(),
                "2026-03-13..2026-03-16".to_owned(),
                true
            ),
            // What the list said last (13–16 Mar) to today's window.
            (
                "2026-03-09".to_owned(),
                "2026-03-13..2026-03-16".to_owned(),
                "2026-03-20..2026-03-23".to_owned(),
                true
            ),
        ]
    );
    // 10 Mar: a PO expected 25 Mar covers it: 26–29 Mar (from 20–23 Mar, computed yesterday),
    // a later end because of the PO, listed at once although a calendar move was listed
    // yesterday.
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: Some(day(25)),
        confirmed: false,
        lines: vec![("LAMP".into(), 5, None)],
    };
    create_po(&mut store, &po, &on(10)).expect("po");
    let all = changes(&store, line);
    assert_eq!(all.len(), 3);
    assert_eq!(
        all[2],
        (
            "2026-03-10".to_owned(),
            "2026-03-20..2026-03-23".to_owned(),
            "2026-03-26..2026-03-29".to_owned(),
            false
        )
    );
    // The first window stays; the window in force follows.
    let history = promise_history(store.connection(), line)
        .expect("history")
        .expect("history");
    assert_eq!(
        (history.first, history.first_on, history.last),
        (window(12, 15), day(1), window(26, 29))
    );
}

#[test]
fn dates_slipping_per_sku_until_a_po_covers_them() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, _) = shop(&dir.path().join("shop.sqlite"));
    let slipping = |store: &Store| -> (i64, i64) {
        let rows = catalog_rows(store, day(2)).expect("catalog");
        let lamp = rows.iter().find(|r| r.sku == "LAMP").expect("LAMP");
        let report = reorder_suggestions(store, day(2), &Progress::default()).expect("reorder");
        let suggested = report
            .suggestions
            .iter()
            .find(|s| s.sku == "LAMP")
            .map_or(0, |s| s.dates_slipping);
        (lamp.slipping_lines, suggested)
    };
    assert_eq!(slipping(&store), (1, 1));
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: Some(day(12)),
        confirmed: false,
        lines: vec![("LAMP".into(), 1, None)],
    };
    create_po(&mut store, &po, &on(2)).expect("po");
    assert_eq!(slipping(&store).0, 0);
}

#[test]
fn the_command_line_explains_each_window() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("shop.sqlite");
    drop(shop(&path));
    let run = |args: &[&str]| {
        let output = desk(&path, args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let json = run(&["backorders", "--json"]);
    let line: serde_json::Value =
        serde_json::from_str(json.lines().next().expect("a line")).expect("json");
    assert_eq!(
        line["explanation"],
        "ships Mar 12–15: no purchase order covers it yet; one placed today is expected Mar 11 (10-day lead time), no deliveries on record yet, so up to 3 days of lateness are allowed; every day without one moves this date a day later"
    );
    let orders = run(&["orders"]);
    assert!(
        orders.contains("        first promised Mar 12–15 (on Mar 1)"),
        "{orders}"
    );
    assert!(
        orders.contains("no purchase order covers it yet"),
        "{orders}"
    );
    let products = run(&["products", "--json"]);
    let lamp: serde_json::Value =
        serde_json::from_str(products.lines().next().expect("a row")).expect("json");
    assert_eq!(lamp["sku"], "LAMP");
    assert_eq!(lamp["dates_slipping_daily"], 1);
    let reorder = run(&["reorder"]);
    assert!(
        reorder.contains(
            "1 customer date(s) move a day later every day these are not ordered: LAMP (1)"
        ),
        "{reorder}"
    );
}

#[test]
fn an_existing_shop_keeps_its_windows_as_first_promises() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.sqlite");
    create_at_version(&path, 14).expect("old shop");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "INSERT INTO customers (customer_id, name) VALUES (1, 'Ann');
             INSERT INTO products (product_id, sku, name, created_at, updated_at)
                  VALUES (1, 'LAMP', 'Lamp', '2026-03-01', '2026-03-01');
             INSERT INTO orders (order_id, order_number, customer_id, ordered_at)
                  VALUES (1, 'SO-1', 1, '2026-03-01 09:00:00'), (2, 'SO-2', 1, '2026-03-01 10:00:00');
             INSERT INTO order_lines (line_id, order_id, line_no, product_id, quantity,
                  backordered_at_order_qty) VALUES (1, 1, 1, 1, 1, 1), (2, 2, 1, 1, 1, 1);
             -- SO-1 still waits (6–9 Mar) after a slip from 3–5 Mar; SO-2 waits, never slipped.
             INSERT INTO line_promises (line_id, eta_start, eta_end, flags, computed_on)
                  VALUES (1, '2026-03-06', '2026-03-09', '', '2026-03-02'),
                         (2, '2026-03-04', '2026-03-07', '', '2026-03-01');
             INSERT INTO promise_changes (line_id, detected_on, old_start, old_end, new_start,
                  new_end, reason)
                  VALUES (1, '2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06',
                          '2026-03-09', 'PO-1 moved');",
        )
        .expect("old rows");
    }
    let store = Store::open(&path).expect("update");
    let first = |line: i64| {
        promise_history(store.connection(), line)
            .expect("history")
            .map(|h| (h.first, h.last))
    };
    assert_eq!(first(1), Some((window(3, 5), window(6, 9))));
    assert_eq!(first(2), Some((window(4, 7), window(4, 7))));
}

#[test]
fn the_simulator_is_deterministic_for_a_seed() {
    let spec = SimSpec {
        days: 45,
        seed: 7,
        warmup_days: 30,
        ..SimSpec::default()
    };
    let first = simulate(spec, &Progress::default()).expect("run");
    let again = simulate(spec, &Progress::default()).expect("run again");
    assert_eq!(first.json().to_string(), again.json().to_string());
    // Both rules saw the same shop: the same orders, the same backordered lines.
    assert!(first.orders > 400, "{}", first.orders);
    assert!(first.model.backordered_lines > 20, "{:?}", first.model);
    assert_eq!(first.model.backordered_lines, first.naive.backordered_lines);
    assert_eq!(first.model.shipped_lines, first.naive.shipped_lines);
    // The naive rule promises single days.
    assert_eq!(first.naive.median_width_days, Some(1));
    let other = simulate(SimSpec { seed: 8, ..spec }, &Progress::default()).expect("another seed");
    assert_ne!(first.json().to_string(), other.json().to_string());
    // Out of range: a clear refusal.
    let refused = simulate(SimSpec { days: 0, ..spec }, &Progress::default());
    assert!(refused.is_err());
}

/// The New order dialog's preview of a line is what placing the order gives it: the units
/// reserved at once, the units that wait and their window (the promise engine, the line queued
/// behind every unit already waiting).
#[test]
fn a_line_preview_is_what_the_placed_line_gets() {
    use backorder_desk::app::orders::{find_products, preview_line};
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, _) = shop(&dir.path().join("shop.sqlite"));
    // 3 lamps due 6 Mar: Ann's 1 waiting unit, then 2 more.
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: Some(day(6)),
        confirmed: false,
        lines: vec![("LAMP".into(), 3, None)],
    };
    create_po(&mut store, &po, &on(1)).expect("po");

    // The lookup finds by part of the name, the SKU that starts with the text first.
    let found: Vec<String> = find_products(&store, "m", 8)
        .expect("lookup")
        .into_iter()
        .map(|product| product.sku)
        .collect();
    assert_eq!(found, vec!["MUG".to_owned(), "LAMP".to_owned()]);

    let mug = preview_line(&store, "MUG", 4, day(1)).expect("preview");
    assert_eq!(
        (
            mug.sku.as_str(),
            mug.unit_price_cents,
            mug.available,
            mug.reserved,
            mug.waiting
        ),
        ("MUG", 2000, Some(10), 4, 0)
    );
    assert_eq!(mug.window, None, "nothing waits");
    // Two lamps: PO-1's units 2 and 3 cover them (arrival 6 Mar + 1 handling day, and the
    // supplier's 0–3 days of measured lateness: 7–10 Mar).
    let covered = preview_line(&store, "LAMP", 2, day(1)).expect("preview");
    assert_eq!((covered.reserved, covered.waiting), (0, 2));
    assert_eq!(covered.window, Some(window(7, 10)));
    // Three: the third is beyond PO-1, so the line's window is a PO placed today's (12–15 Mar).
    let beyond = preview_line(&store, "LAMP", 3, day(1)).expect("preview");
    assert_eq!(beyond.window, Some(window(12, 15)));
    assert!(preview_line(&store, "LAMP", 0, day(1)).is_err(), "0 units");
    assert!(
        preview_line(&store, "NOPE", 1, day(1)).is_err(),
        "no such SKU"
    );

    // Placed, each line gets what its preview said.
    for (number, quantity, preview) in [("SO-2", 2, covered), ("SO-3", 1, beyond)] {
        let input = OrderInput {
            order_number: number.into(),
            customer_name: "Bo".into(),
            customer_email: "bo@example.com".into(),
            ordered_at: None,
            priority: Priority::Normal,
            ship: ShipPreference::Partial,
            lines: vec![("LAMP".into(), quantity)],
        };
        let (placed, _) = place_order(&mut store, &input, &on(1)).expect("order");
        let detail =
            backorder_desk::store::orders::order_detail(store.connection(), placed.order_id)
                .expect("detail");
        let line = &detail.lines[0];
        assert_eq!(line.quantities.reserved, preview.reserved, "{number}");
        assert_eq!(
            line.promise.as_ref().and_then(|promise| promise.window),
            preview.window,
            "{number}"
        );
    }
}
