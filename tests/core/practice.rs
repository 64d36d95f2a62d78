//! The rest of the backorder practice against a real shop file: payment at ship time, cutoffs,
//! storefront badges, the policy advisor and cancellation tracking; and their commands.

use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::{adjust_stock, catalog_rows, save_product};
use backorder_desk::app::kpi::{KpiRequest, dashboard};
use backorder_desk::app::orders::{
    OrderError, OrderInput, cancel_line_because, cancel_order_because, place_order,
    place_order_with_payment, ship_order,
};
use backorder_desk::app::picklist::{PickListRequest, create_pick_list};
use backorder_desk::app::practice::{
    CutoffTarget, PaymentAction, advice, apply_advice, capture_list, export_badges, record_payment,
    set_cutoff,
};
use backorder_desk::app::promises::backorder_lines;
use backorder_desk::app::purchasing::{PoInput, create_po, receive};
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::kpi::{Period, Scope};
use backorder_desk::domain::order::{CancelReason, ShipPreference};
use backorder_desk::domain::payment::PaymentState;
use backorder_desk::domain::picklist::PickLayout;
use backorder_desk::domain::promise::PromiseFlag;
use backorder_desk::domain::storefront::StorefrontFormat;
use backorder_desk::domain::{BackorderPolicy, ProductDraft};
use backorder_desk::store::Store;
use backorder_desk::store::orders::{OrderId, order_summary};
use chrono::NaiveDate;
use serde_json::Value;

use crate::common::{fails_on, ok_on};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("date")
}

fn on(month: u32, d: u32) -> Clock {
    Clock::fixed(day(month, d))
}

fn product(
    store: &mut Store,
    sku: &str,
    price: &str,
    category: &str,
    supplier: &str,
    policy: BackorderPolicy,
    stock: i64,
) {
    let draft = ProductDraft {
        sku: sku.into(),
        name: format!("Item {sku}"),
        category: category.into(),
        supplier: supplier.into(),
        lead_time_days: "10".into(),
        price: price.into(),
        backorder_policy: policy,
        ..ProductDraft::default()
    };
    save_product(store, None, &draft, stock, &on(3, 1)).expect("product");
}

fn order(customer: &str, lines: &[(&str, i64)]) -> OrderInput {
    OrderInput {
        order_number: String::new(),
        customer_name: customer.into(),
        customer_email: format!("{}@example.com", customer.to_lowercase()),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: lines
            .iter()
            .map(|(sku, q)| ((*sku).to_owned(), *q))
            .collect(),
    }
}

fn open_store(dir: &Path) -> (Store, PathBuf) {
    let path = dir.join("shop.sqlite");
    (Store::open(&path).expect("open"), path)
}

fn place(store: &mut Store, customer: &str, lines: &[(&str, i64)], clock: Clock) -> OrderId {
    place_order(store, &order(customer, lines), &clock)
        .expect("order")
        .0
        .order_id
}

fn message_kinds(store: &Store, order_id: OrderId) -> Vec<String> {
    let mut statement = store
        .connection()
        .prepare("SELECT kind FROM messages WHERE order_id = ?1 ORDER BY message_id")
        .expect("prepare");
    statement
        .query_map([order_id.0], |row| row.get(0))
        .expect("query")
        .collect::<Result<Vec<String>, _>>()
        .expect("rows")
}

#[test]
fn a_ready_order_whose_capture_failed_is_not_picked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = open_store(dir.path());
    let clock = on(3, 1);
    product(
        &mut store,
        "MUG",
        "15.00",
        "",
        "",
        BackorderPolicy::Allowed,
        10,
    );
    store
        .set_setting("new_order_payment", "authorized")
        .expect("setting");
    let card = place(&mut store, "Ann", &[("MUG", 3)], clock);
    let (cash, _) = place_order_with_payment(
        &mut store,
        &order("Bo", &[("MUG", 2)]),
        Some(PaymentState::NotNeeded),
        &clock,
    )
    .expect("order");
    let cash = cash.order_id;

    // Ann's card order is ready: on the capture list with 3 × 15.00.
    let list = capture_list(&store, day(3, 1)).expect("capture list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].summary.order_id, card);
    assert_eq!(list[0].amount_cents, 4_500);
    assert_eq!(list[0].authorization_age_days, Some(0));
    assert!(!list[0].authorization_old);

    // Only the order without card payment is picked; shipping the card order is refused.
    let error = ship_order(&mut store, card, &clock).expect_err("not captured");
    assert!(error.to_string().contains("capture 45.00 first"), "{error}");
    let named = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: Some(vec!["SO-001001".into()]),
        },
        &clock,
    )
    .expect_err("not captured");
    assert!(named.to_string().contains("capture 45.00 first"), "{named}");

    // The capture fails: still off the pick list, a payment message is drafted.
    let outcome =
        record_payment(&mut store, card, PaymentAction::CaptureFailed, &clock).expect("failed");
    assert_eq!(outcome.state, PaymentState::Failed);
    assert!(message_kinds(&store, card).contains(&"payment".to_owned()));
    let body: String = store
        .connection()
        .query_row(
            "SELECT body FROM messages WHERE order_id = ?1 AND kind = 'payment'",
            [card.0],
            |row| row.get(0),
        )
        .expect("payment message");
    assert!(body.contains("payment of 45.00"), "{body}");
    assert!(body.contains("3 x Item MUG (MUG)"), "{body}");
    let sheet = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: None,
        },
        &clock,
    )
    .expect("list");
    let picked: Vec<i64> = sheet.orders.iter().map(|order| order.order_id.0).collect();
    assert_eq!(picked, vec![cash.0], "the failed order is not picked");
    let error = ship_order(&mut store, card, &clock).expect_err("failed");
    assert!(error.to_string().contains("failed"), "{error}");
    let failed = capture_list(&store, day(3, 1)).expect("capture list");
    assert!(failed[0].failed);

    // Re-authorized, then captured: now it may ship and be picked.
    record_payment(&mut store, card, PaymentAction::Authorized, &on(3, 2)).expect("re-auth");
    let outcome =
        record_payment(&mut store, card, PaymentAction::Captured, &on(3, 2)).expect("captured");
    assert_eq!(outcome.captured_cents, 4_500);
    assert!(capture_list(&store, day(3, 2)).expect("list").is_empty());
    let sheet = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: Some(vec!["SO-001001".into()]),
        },
        &on(3, 2),
    )
    .expect("captured orders are picked");
    assert_eq!(sheet.orders[0].order_id, card);
    assert_eq!(ship_order(&mut store, card, &on(3, 2)).expect("ships"), 3);
}

#[test]
fn a_partial_order_captures_again_for_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = open_store(dir.path());
    let clock = on(3, 1);
    product(
        &mut store,
        "BOWL",
        "10.00",
        "",
        "",
        BackorderPolicy::Allowed,
        2,
    );
    let (placed, _) = place_order_with_payment(
        &mut store,
        &order("Cy", &[("BOWL", 5)]),
        Some(PaymentState::Authorized),
        &clock,
    )
    .expect("order");
    let order_id = placed.order_id;
    // 2 reserved: 20.00 to capture now.
    assert_eq!(
        capture_list(&store, day(3, 1)).expect("list")[0].amount_cents,
        2_000
    );
    record_payment(&mut store, order_id, PaymentAction::Captured, &clock).expect("capture");
    assert_eq!(ship_order(&mut store, order_id, &clock).expect("ship"), 2);
    // Three more arrive: 30.00 more to capture before they ship.
    let product_id = store
        .product_id_by_sku("BOWL")
        .expect("sku")
        .expect("exists");
    adjust_stock(&mut store, product_id, 3, "Delivery", &on(3, 9)).expect("stock");
    let list = capture_list(&store, day(3, 9)).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].amount_cents, 3_000);
    assert_eq!(list[0].authorization_age_days, Some(8));
    assert!(list[0].authorization_old, "8 days is older than 7");
    assert!(ship_order(&mut store, order_id, &on(3, 9)).is_err());
    record_payment(&mut store, order_id, PaymentAction::Captured, &on(3, 9)).expect("capture");
    let summary = order_summary(store.connection(), order_id).expect("summary");
    assert_eq!(summary.captured_cents, 5_000);
    assert_eq!(
        ship_order(&mut store, order_id, &on(3, 9)).expect("ship"),
        3
    );
}

#[test]
fn a_cutoff_closes_backorders_after_its_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = open_store(dir.path());
    product(
        &mut store,
        "TREE",
        "30.00",
        "Holiday",
        "",
        BackorderPolicy::Allowed,
        0,
    );
    product(
        &mut store,
        "STAR",
        "5.00",
        "Holiday",
        "",
        BackorderPolicy::Allowed,
        0,
    );
    set_cutoff(
        &mut store,
        &CutoffTarget::Category("holiday".into()),
        Some(day(12, 10)),
        &on(12, 1),
    )
    .expect("category cutoff");
    // Before and on the day: the order waits.
    for d in [9, 10] {
        let (placed, _) =
            place_order(&mut store, &order("Di", &[("TREE", 1)]), &on(12, d)).expect("taken");
        assert_eq!(placed.lines[0].3, 1, "Dec {d}: backordered");
    }
    // After the day: refused, and the badge says why.
    let error =
        place_order(&mut store, &order("Ed", &[("TREE", 1)]), &on(12, 11)).expect_err("closed");
    assert!(matches!(error, OrderError::Closed { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("backorders closed on 2026-12-10"),
        "{error}"
    );
    let rows = catalog_rows(&store, day(12, 11)).expect("catalog");
    let tree = rows.iter().find(|row| row.sku == "TREE").expect("tree");
    assert_eq!(tree.badge_text(), "Out of stock – backorders closed Dec 10");
    let before = catalog_rows(&store, day(12, 10)).expect("catalog");
    let tree = before.iter().find(|row| row.sku == "TREE").expect("tree");
    assert!(
        tree.badge_text().starts_with("Backordered – ships"),
        "{}",
        tree.badge_text()
    );

    // The product's own cutoff wins over the category's.
    set_cutoff(
        &mut store,
        &CutoffTarget::Product("STAR".into()),
        Some(day(12, 20)),
        &on(12, 11),
    )
    .expect("product cutoff");
    place_order(&mut store, &order("Flo", &[("STAR", 2)]), &on(12, 11)).expect("still open");
    assert!(place_order(&mut store, &order("Gus", &[("STAR", 2)]), &on(12, 21)).is_err());
}

#[test]
fn the_last_promise_date_flags_later_windows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = open_store(dir.path());
    let clock = on(12, 1);
    product(
        &mut store,
        "EARLY",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::Allowed,
        0,
    );
    product(
        &mut store,
        "LATE",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::Allowed,
        0,
    );
    place(&mut store, "Hal", &[("EARLY", 1), ("LATE", 1)], clock);
    create_po(
        &mut store,
        &PoInput {
            po_number: "PO-1".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: Some(day(12, 5)),
            confirmed: true,
            lines: vec![("EARLY".into(), 1, None)],
        },
        &clock,
    )
    .expect("po");
    // EARLY ships Dec 6; LATE is dated from its 10-day lead time: Dec 12–15.
    set_cutoff(
        &mut store,
        &CutoffTarget::LastPromiseDate,
        Some(day(12, 14)),
        &clock,
    )
    .expect("promise date");
    let lines = backorder_lines(store.connection(), day(12, 1)).expect("lines");
    let flagged = |sku: &str| {
        lines
            .iter()
            .find(|line| line.sku == sku)
            .expect("line")
            .promise
            .flags
            .contains(&PromiseFlag::AfterLastPromiseDate)
    };
    assert!(!flagged("EARLY"));
    assert!(flagged("LATE"));
    // The stored promise (what the Orders screen shows) carries the flag too.
    let stored: String = store
        .connection()
        .query_row(
            "SELECT flags FROM line_promises lp JOIN order_lines l ON l.line_id = lp.line_id
              JOIN products p ON p.product_id = l.product_id WHERE p.sku = 'LATE'",
            [],
            |row| row.get(0),
        )
        .expect("stored");
    assert!(stored.contains("after_last_promise_date"), "{stored}");
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("csv");
    reader
        .records()
        .map(|record| record.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

/// One product per badge kind: in stock, backordered, preorder, closed by a cutoff, out of stock.
fn badge_shop(dir: &Path) -> (Store, PathBuf) {
    let (mut store, path) = open_store(dir);
    let clock = on(3, 1);
    product(
        &mut store,
        "A-IN",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::Allowed,
        5,
    );
    product(
        &mut store,
        "B-BACK",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::Allowed,
        0,
    );
    product(
        &mut store,
        "C-PRE",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::Preorder,
        0,
    );
    product(
        &mut store,
        "D-SHUT",
        "5.00",
        "Winter",
        "Acme",
        BackorderPolicy::Allowed,
        0,
    );
    product(
        &mut store,
        "E-OUT",
        "5.00",
        "",
        "Acme",
        BackorderPolicy::NotAllowed,
        0,
    );
    place(&mut store, "Ivy", &[("B-BACK", 1)], clock);
    create_po(
        &mut store,
        &PoInput {
            po_number: "PO-1".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: Some(day(3, 2)),
            confirmed: false,
            lines: vec![("B-BACK".into(), 5, None), ("C-PRE".into(), 5, None)],
        },
        &clock,
    )
    .expect("po");
    set_cutoff(
        &mut store,
        &CutoffTarget::Category("Winter".into()),
        Some(day(2, 28)),
        &clock,
    )
    .expect("cutoff");
    (store, path)
}

#[test]
fn badge_export_for_each_badge_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = badge_shop(dir.path());
    let shopify = dir.path().join("shopify.csv");
    assert_eq!(
        export_badges(&store, StorefrontFormat::Shopify, &shopify, day(3, 1)).expect("export"),
        5
    );
    let rows = read_csv(&shopify);
    assert_eq!(
        rows[0],
        vec![
            "Handle",
            "Title",
            "Variant SKU",
            "Backorder badge (product.metafields.custom.backorder_badge)",
            "Backorder ships from (product.metafields.custom.backorder_ships_from)",
            "Backorder ships until (product.metafields.custom.backorder_ships_until)"
        ]
    );
    // PO-1 arrives Mar 2: + 1 handling day = Mar 3, + 3 days spread without history = Mar 6.
    let expected = [
        ["item-a-in", "Item A-IN", "A-IN", "In stock", "", ""],
        [
            "item-b-back",
            "Item B-BACK",
            "B-BACK",
            "Backordered – ships Mar 3–6",
            "2026-03-03",
            "2026-03-06",
        ],
        [
            "item-c-pre",
            "Item C-PRE",
            "C-PRE",
            "Preorder – ships Mar 3–6",
            "2026-03-03",
            "2026-03-06",
        ],
        [
            "item-d-shut",
            "Item D-SHUT",
            "D-SHUT",
            "Out of stock – backorders closed Feb 28",
            "",
            "",
        ],
        ["item-e-out", "Item E-OUT", "E-OUT", "Out of stock", "", ""],
    ];
    for (row, expected) in rows[1..].iter().zip(expected) {
        assert_eq!(row, &expected.to_vec());
    }

    let woo = dir.path().join("woo.csv");
    export_badges(&store, StorefrontFormat::WooCommerce, &woo, day(3, 1)).expect("export");
    let rows = read_csv(&woo);
    assert_eq!(
        rows[0],
        vec![
            "SKU",
            "Meta: _backorder_badge",
            "Meta: _backorder_ships_from",
            "Meta: _backorder_ships_until"
        ]
    );
    assert_eq!(
        rows[2],
        vec![
            "B-BACK",
            "Backordered – ships Mar 3–6",
            "2026-03-03",
            "2026-03-06"
        ]
    );
    assert_eq!(
        rows[4],
        vec!["D-SHUT", "Out of stock – backorders closed Feb 28", "", ""]
    );
}

/// Three receipts from `supplier` for `sku`: each ordered on `ordered`, expected `lead` days
/// later and received `late` days after that.
fn receipts(store: &mut Store, supplier: &str, sku: &str, lead: i64, late: i64, first: u32) {
    for index in 0..3u32 {
        let ordered = day(1, first + index * 3);
        let expected = ordered + chrono::Duration::days(lead);
        let number = format!("PO-{supplier}-{index}");
        create_po(
            store,
            &PoInput {
                po_number: number.clone(),
                supplier: supplier.into(),
                ordered_at: Some(ordered),
                expected_at: Some(expected),
                confirmed: false,
                lines: vec![(sku.into(), 5, None)],
            },
            &Clock::fixed(ordered),
        )
        .expect("po");
        let arrived = expected + chrono::Duration::days(late);
        receive(store, &number, None, arrived, &Clock::fixed(arrived)).expect("receive");
    }
}

#[test]
fn the_advisor_compares_suppliers_with_the_thresholds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, _) = open_store(dir.path());
    for (sku, supplier, policy) in [
        ("QUICK", "Quick", BackorderPolicy::NotAllowed),
        ("SLOW", "Slow", BackorderPolicy::Allowed),
        ("LATE", "Late", BackorderPolicy::Allowed),
        ("NEW", "Newco", BackorderPolicy::Allowed),
        ("NONE", "", BackorderPolicy::Allowed),
    ] {
        product(&mut store, sku, "5.00", "", supplier, policy, 0);
    }
    // Quick: 5 days, always on time. Slow: 40 days, on time. Late: 5 days promised, 9 late.
    receipts(&mut store, "Quick", "QUICK", 5, 0, 1);
    receipts(&mut store, "Slow", "SLOW", 40, 0, 2);
    receipts(&mut store, "Late", "LATE", 5, 9, 3);
    let today = day(4, 30);
    let rows = advice(&store, today).expect("advice");
    let suggestion = |sku: &str| {
        rows.iter()
            .find(|row| row.product.sku == sku)
            .expect("row")
            .advice
            .clone()
    };
    assert_eq!(
        suggestion("QUICK").suggestion,
        Some(BackorderPolicy::Allowed)
    );
    assert_eq!(
        suggestion("QUICK").reason,
        "Reliable and short: on time 100%, ±0.0 days, 5.0 days lead time"
    );
    assert_eq!(
        suggestion("SLOW").suggestion,
        Some(BackorderPolicy::Preorder)
    );
    assert_eq!(
        suggestion("LATE").suggestion,
        Some(BackorderPolicy::NotAllowed)
    );
    assert!(suggestion("LATE").reason.contains("on time only 0%"));
    assert_eq!(suggestion("NEW").suggestion, None);
    assert_eq!(suggestion("NONE").suggestion, None);

    // A looser on-time threshold no longer stops Late… but a 14-day lead is over a 10-day max.
    store
        .set_setting("advisor_min_on_time_pct", "0")
        .expect("setting");
    store
        .set_setting("advisor_max_lead_days", "10")
        .expect("setting");
    let rows = advice(&store, today).expect("advice");
    let late = rows
        .iter()
        .find(|row| row.product.sku == "LATE")
        .expect("late");
    assert_eq!(late.advice.suggestion, Some(BackorderPolicy::Preorder));
    store
        .set_setting("advisor_min_on_time_pct", "")
        .expect("setting");
    store
        .set_setting("advisor_max_lead_days", "")
        .expect("setting");

    // One click applies the suggestions that change something.
    let changed = apply_advice(&mut store, None, &Clock::fixed(today)).expect("apply");
    assert_eq!(
        changed,
        vec![
            ("LATE".to_owned(), BackorderPolicy::NotAllowed),
            ("QUICK".to_owned(), BackorderPolicy::Allowed),
            ("SLOW".to_owned(), BackorderPolicy::Preorder),
        ]
    );
    let again = advice(&store, today).expect("advice");
    assert!(again.iter().all(|row| !row.actionable()));
}

/// Mar 1–10 orders: 4 backordered lines (2 cancelled: too long, customer) and 5 in-stock lines
/// (1 cancelled).
fn cancellation_shop(dir: &Path) -> (Store, PathBuf) {
    let (mut store, path) = open_store(dir);
    let clock = on(3, 2);
    product(
        &mut store,
        "FULL",
        "5.00",
        "",
        "",
        BackorderPolicy::Allowed,
        100,
    );
    product(
        &mut store,
        "EMPTY",
        "5.00",
        "",
        "",
        BackorderPolicy::Allowed,
        0,
    );
    let mut backordered = Vec::new();
    for name in ["Al", "Bea", "Cal", "Dot"] {
        backordered.push(place(&mut store, name, &[("EMPTY", 1)], clock));
    }
    let mut in_stock = Vec::new();
    for name in ["Eve", "Fay", "Gil", "Hoa", "Ike"] {
        in_stock.push(place(&mut store, name, &[("FULL", 2)], clock));
    }
    cancel_order_because(
        &mut store,
        backordered[0],
        Some(CancelReason::TooLong),
        &on(3, 5),
    )
    .expect("cancel");
    let line: i64 = store
        .connection()
        .query_row(
            "SELECT line_id FROM order_lines WHERE order_id = ?1",
            [backordered[1].0],
            |row| row.get(0),
        )
        .expect("line");
    cancel_line_because(&mut store, line, Some(CancelReason::Customer), &on(3, 5)).expect("cancel");
    cancel_order_because(&mut store, in_stock[0], None, &on(3, 5)).expect("cancel");
    (store, path)
}

#[test]
fn cancellation_rates_of_backordered_and_in_stock_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = cancellation_shop(dir.path());
    let request = KpiRequest {
        period: Period::new(day(3, 1), day(3, 10)).expect("period"),
        scope: Scope::All,
        today: day(3, 10),
    };
    let board = dashboard(&store, &request).expect("dashboard");
    let counts = board.cancellations;
    assert_eq!(counts.backordered_lines, 4);
    assert_eq!(counts.backordered_cancelled, 2);
    assert_eq!(counts.in_stock_lines, 5);
    assert_eq!(counts.in_stock_cancelled, 1);
    assert_eq!(counts.backorder_cancellation_pct(), Some(50.0));
    assert_eq!(counts.in_stock_cancellation_pct(), Some(20.0));
    // customer, too long, substitute, other.
    assert_eq!(counts.reasons, [1, 1, 0, 0]);
    assert_eq!(counts.no_reason, 0);
    // Scoped to the in-stock SKU: no backordered lines, so no rate.
    let full = dashboard(
        &store,
        &KpiRequest {
            scope: Scope::Sku("FULL".into()),
            ..request
        },
    )
    .expect("dashboard");
    assert_eq!(full.cancellations.backorder_cancellation_pct(), None);
    assert_eq!(full.cancellations.in_stock_cancellation_pct(), Some(20.0));
}

#[test]
fn capture_payment_and_cutoffs_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite");
    let today = "2026-03-01";
    ok_on(
        &db,
        today,
        &[
            "add-product",
            "--sku",
            "MUG",
            "--name",
            "Blue mug",
            "--price",
            "12.50",
            "--stock",
            "5",
            "--category",
            "Kitchen",
        ],
    );
    ok_on(
        &db,
        today,
        &[
            "order",
            "--customer",
            "Ann",
            "--payment",
            "authorized",
            "MUG=2",
        ],
    );
    ok_on(&db, today, &["order", "--customer", "Bo", "MUG=1"]);
    let list = ok_on(&db, "2026-03-09", &["capture-list", "--json"]);
    let rows: Vec<Value> = list
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(rows[0]["order_number"], "SO-001001");
    assert_eq!(rows[0]["amount"], "25.00");
    assert_eq!(rows[0]["amount_cents"], 2500);
    assert_eq!(rows[0]["payment"], "authorized");
    assert_eq!(rows[0]["authorization_age_days"], 8);
    assert_eq!(rows[0]["authorization_old"], true);
    let text = ok_on(&db, today, &["capture-list"]);
    assert!(
        text.contains("1 order(s) wait for their payment, 25.00 to capture"),
        "{text}"
    );

    let refused = fails_on(&db, today, &["ship", "SO-001001"]);
    assert!(refused.contains("capture 25.00 first"), "{refused}");
    let failed = ok_on(&db, today, &["payment", "SO-001001", "failed"]);
    assert!(
        failed.contains("payment update request drafted"),
        "{failed}"
    );
    let drafts = ok_on(&db, today, &["notify", "list"]);
    assert!(drafts.contains("payment"), "{drafts}");
    ok_on(&db, today, &["payment", "SO-001001", "authorized"]);
    let captured = ok_on(&db, today, &["payment", "SO-001001", "captured"]);
    assert!(captured.contains("captured 25.00"), "{captured}");
    assert!(ok_on(&db, today, &["ship", "SO-001001"]).contains("Shipped 2 unit(s)"));
    let bad = fails_on(&db, today, &["payment", "SO-001002", "paid"]);
    assert!(
        bad.contains("authorized, captured, failed or not-needed"),
        "{bad}"
    );

    // Cutoffs: the category closes after Mar 10.
    ok_on(&db, today, &["cutoff", "category", "Kitchen", "2026-03-10"]);
    ok_on(&db, today, &["adjust", "MUG", "-2", "--reason", "Count"]);
    ok_on(&db, "2026-03-10", &["order", "--customer", "Cy", "MUG=1"]);
    let closed = fails_on(&db, "2026-03-11", &["order", "--customer", "Di", "MUG=1"]);
    assert!(
        closed.contains("backorders closed on 2026-03-10"),
        "{closed}"
    );
    let listed = ok_on(&db, today, &["cutoff", "list"]);
    assert!(listed.contains("category  Kitchen"), "{listed}");
    let products = ok_on(&db, "2026-03-11", &["products", "--json"]);
    assert!(
        products.contains("Out of stock – backorders closed Mar 10"),
        "{products}"
    );
    ok_on(&db, today, &["cutoff", "promise-by", "2026-03-05"]);
    let waiting = ok_on(&db, today, &["backorders", "--json"]);
    assert!(waiting.contains("after_last_promise_date"), "{waiting}");
    let bad_date = fails_on(&db, today, &["cutoff", "product", "MUG", "soon"]);
    assert!(bad_date.contains("is not a date"), "{bad_date}");
}

#[test]
fn badges_advice_and_cancellation_kpi_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, db) = badge_shop(dir.path());
    drop(store);
    let file = dir.path().join("badges.csv");
    let file_text = file.display().to_string();
    let out = ok_on(
        &db,
        "2026-03-01",
        &["export", "badges", &file_text, "--format", "woocommerce"],
    );
    assert!(out.contains("Wrote 5 WooCommerce badges"), "{out}");
    let rows = read_csv(&file);
    assert_eq!(rows[1], vec!["A-IN", "In stock", "", ""]);
    let out = ok_on(&db, "2026-03-01", &["export", "badges", &file_text]);
    assert!(out.contains("Shopify badges"), "{out}");
    assert_eq!(read_csv(&file)[1][0], "item-a-in");
    let bad = fails_on(
        &db,
        "2026-03-01",
        &["export", "badges", &file_text, "--format", "etsy"],
    );
    assert!(bad.contains("--format etsy"), "{bad}");

    let advice = ok_on(&db, "2026-03-01", &["advise", "--json"]);
    let first: Value = serde_json::from_str(advice.lines().next().expect("a line")).expect("json");
    assert_eq!(first["sku"], "A-IN");
    assert_eq!(first["suggestion"], Value::Null);

    let dir = tempfile::tempdir().expect("temp dir");
    let (store, db) = cancellation_shop(dir.path());
    drop(store);
    let json: Value = serde_json::from_str(&ok_on(
        &db,
        "2026-03-10",
        &["kpi", "--from", "2026-03-01", "--json"],
    ))
    .expect("json");
    assert_eq!(json["backorder_cancellation_pct"], 50.0);
    assert_eq!(json["in_stock_cancellation_pct"], 20.0);
    assert_eq!(json["backorder_cancel_reasons"]["too_long"], 1);
    let out = ok_on(
        &db,
        "2026-03-10",
        &["cancel", "SO-001003", "--reason", "substitute"],
    );
    assert!(out.contains("Reason: Took a substitute"), "{out}");
    let json: Value = serde_json::from_str(&ok_on(
        &db,
        "2026-03-10",
        &["kpi", "--from", "2026-03-01", "--json"],
    ))
    .expect("json");
    assert_eq!(json["backorder_cancellation_pct"], 75.0);
    assert_eq!(json["backorder_cancel_reasons"]["substitute"], 1);
    let bad = fails_on(
        &db,
        "2026-03-10",
        &["cancel", "SO-001004", "--reason", "bored"],
    );
    assert!(bad.contains("--reason is customer, too-long"), "{bad}");
}
