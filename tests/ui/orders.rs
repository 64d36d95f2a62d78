//! Orders and purchase orders in the window (`egui_kittest`, no GPU).

use crate::common;

use common::{clock, fill, harness, shop, shows};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn receiving_a_po_turns_a_waiting_order_ready() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();

    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(
        shows(&harness, "Backordered – ships Mar 6–9"),
        "covered by PO-1"
    );
    harness.get_by_label("SO-001002").click();
    harness.run();
    assert!(
        harness.query_by_label_contains("needs reorder").is_some(),
        "the second order is not covered by PO-1"
    );

    harness.get_by_label("Purchase orders").click();
    harness.run();
    harness.get_by_label("PO-1").click();
    harness.run();
    harness.get_by_label("Receive all").click();
    harness.run();
    harness.get_by_label("Receive 5 units").click();
    harness.run();
    assert!(shows(
        &harness,
        "Received 5 unit(s) on PO-1; stock reserved for SO-001001, SO-001002; Edit › Undo takes it back"
    ));

    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(shows(&harness, "Ready to ship"));
    assert!(shows(&harness, "In stock"));
    harness.get_by_label("SO-001002").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("(partial: 2 of 4 now)")
            .is_some()
    );
}

#[test]
fn place_an_order_in_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("New order…").click();
    harness.run();
    fill(&mut harness, "Customer", "Cy Dee");
    fill(&mut harness, "E-mail", "cy@example.com");
    common::add_order_line(&mut harness, "LAMP");
    harness.get_by_label("Place order").click();
    harness.run();
    assert!(shows(
        &harness,
        "Order SO-001003 placed; 1 unit(s) wait for stock"
    ));
    assert!(shows(&harness, "SO-001003"));
}

#[test]
fn moving_a_po_date_lists_the_changed_promises() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Purchase orders").click();
    harness.run();
    harness.get_by_label("PO-1").click();
    harness.run();
    let date = harness.get_by_role_and_label(Role::TextInput, "Expected arrival");
    date.focus();
    harness.run();
    // Select all and type the new date over it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Expected arrival")
        .type_text("2026-03-12");
    harness.run();
    harness.get_by_label("Move date").click();
    harness.run();
    assert!(shows(
        &harness,
        // The shop's date style (the short form by default), not the ISO date typed.
        "PO-1 now expected Mar 12; 1 promise(s) moved later (see Orders)"
    ));
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Promises changed: 1")
            .is_some()
    );
    // What Ann was told when ordering (the lead time's Mar 12–15) and the new window.
    assert!(shows(&harness, "Mar 12–15 → Mar 13–16"));
    // The entry opens the notice in Messages; once sent it leaves the list.
    harness.get_by_label("Open notice").click();
    harness.run();
    let subject = harness
        .get_by_role_and_label(Role::TextInput, "Subject")
        .value()
        .unwrap_or_default();
    assert!(
        subject.starts_with("Delay on your order SO-001001"),
        "{subject}"
    );
    harness.get_by_label("Mark as sent").click();
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Promises changed")
            .is_none()
    );
}

/// A lamp with 5 on hand and Ann's card order of 2 (authorized, ready to ship).
fn card_shop(dir: &std::path::Path) -> std::path::PathBuf {
    use backorder_desk::app::catalog::save_product;
    use backorder_desk::app::orders::place_order;
    use backorder_desk::domain::ProductDraft;
    use backorder_desk::store::Store;
    let path = dir.join("card.sqlite");
    let mut store = Store::open(&path).expect("open");
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "Brass lamp".into(),
        price: "40.00".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, None, &draft, 5, &clock()).expect("product");
    store
        .set_setting("new_order_payment", "authorized")
        .expect("setting");
    place_order(&mut store, &common::order("Ann", 2), &clock()).expect("order");
    path
}

#[test]
fn the_capture_payment_list_gates_shipping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(card_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("Capture payment").click();
    harness.run();
    assert!(shows(&harness, "$80.00"), "2 × $40.00 to capture");
    assert!(shows(&harness, "today"), "authorized today");
    // The order's detail: shipping is refused until the payment is captured.
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(shows(&harness, "capture $80.00 before shipping"));
    assert!(
        harness
            .get_by_label("Ship reserved")
            .accesskit_node()
            .is_disabled(),
        "not captured yet"
    );
    harness.get_by_label("Capture failed SO-001001").click();
    harness.run();
    assert!(shows(
        &harness,
        "SO-001001: capture failed; kept off the pick list, payment update request drafted in Messages"
    ));
    assert!(shows(&harness, "Re-authorized SO-001001"));
    harness.get_by_label("Re-authorized SO-001001").click();
    harness.run();
    harness.get_by_label("Captured SO-001001").click();
    harness.run();
    assert!(shows(
        &harness,
        "SO-001001: captured 80.00; it can ship now"
    ));
    assert!(shows(&harness, "Nothing to capture"));
    assert!(
        !harness
            .get_by_label("Ship reserved")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("Ship reserved").click();
    harness.run();
    harness.get_by_label("Ship 2 units").click();
    harness.run();
    assert!(shows(
        &harness,
        "Shipped 2 unit(s); Edit › Undo takes it back"
    ));
}

#[test]
fn cancelling_asks_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001002").click();
    harness.run();
    harness.get_by_label("Cancel order…").click();
    harness.run();
    harness.get_by_label("Wait too long").click();
    harness.run();
    harness.get_by_label("Cancel order").click();
    harness.run();
    assert!(shows(&harness, "Order cancelled"));
    assert!(
        shows(&harness, "Wait too long"),
        "the reason shows on the line"
    );
}

/// A shop with the storefront catalog and two orders for the print that allows no backorders
/// (0 on hand): both oversold.
fn oversold_shop(dir: &std::path::Path) -> std::path::PathBuf {
    use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    let path = dir.join("shop.sqlite");
    let mut store = backorder_desk::store::Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    let catalog = ImportRequest::new(
        ImportKind::Products,
        format!(
            "{}/tests/fixtures/storefront_catalog.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    run_import(&mut store, &catalog, &clock(), &Progress::default()).expect("catalog");
    let orders = dir.join("orders.csv");
    std::fs::write(
        &orders,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,\
         shipped_at,backordered_qty,priority,ship_name,ship_company,ship_address1,ship_address2,\
         ship_city,ship_postal_code,ship_region,ship_country,ship_phone\n\
         A-1,2026-02-27 10:00:00,Ann Lee,ann@example.com,PRINT-LTD,1,40.00,open,,0,normal,\
         Ann Lee,,22 Oak Avenue,,Portland,97201,OR,US,\n\
         A-2,2026-02-28 10:00:00,Bo Kim,bo@example.com,PRINT-LTD,2,40.00,open,,0,normal,,,,,,,,,\n",
    )
    .expect("write");
    let report = run_import(
        &mut store,
        &ImportRequest::new(ImportKind::Orders, &orders),
        &clock(),
        &Progress::default(),
    )
    .expect("orders");
    assert!(report.written, "{:?}", report.summary.errors);
    path
}

#[test]
fn oversold_orders_are_listed_first_with_their_two_ways_out() {
    use backorder_desk::store::orders::{order_detail, order_id_by_number};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(oversold_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Oversold: 2 order(s) took more than was available")
            .is_some()
    );
    assert!(shows(&harness, "1 × PRINT-LTD waiting"));
    assert!(shows(&harness, "2 × PRINT-LTD waiting"));

    // Keep A-1 waiting: the mark goes, the customer gets the backorder confirmation.
    harness.get_by_label("Keep A-1 waiting").click();
    harness.run();
    assert!(shows(
        &harness,
        "The units keep waiting; the backorder confirmation is drafted in Messages"
    ));
    // Cancel A-2's waiting units: the customer gets the cancellation.
    harness.get_by_label("Cancel waiting units of A-2").click();
    harness.run();
    assert!(shows(
        &harness,
        "2 oversold unit(s) cancelled; the cancellation is drafted in Messages"
    ));
    assert!(
        harness.query_by_label_contains("Oversold:").is_none(),
        "nothing oversold is left"
    );
    let store = harness.state().store().expect("store");
    let conn = store.connection();
    let detail = |number: &str| {
        let id = order_id_by_number(conn, number)
            .expect("query")
            .expect("order");
        order_detail(conn, id).expect("detail")
    };
    let ann = detail("A-1");
    assert!(!ann.lines[0].oversold);
    assert_eq!(ann.lines[0].quantities.waiting(), 1);
    let bo = detail("A-2");
    assert_eq!(
        bo.summary.status,
        backorder_desk::domain::order::OrderStatus::Cancelled
    );
    assert_eq!(bo.lines[0].quantities.cancelled, 2);
    let drafts: Vec<(String, String)> = backorder_desk::app::notify::outbox(store)
        .expect("outbox")
        .into_iter()
        .map(|m| (m.kind_id, m.order_number))
        .collect();
    assert!(
        drafts.contains(&("confirmation".to_owned(), "A-1".to_owned())),
        "{drafts:?}"
    );
    assert!(
        drafts.contains(&("cancellation".to_owned(), "A-2".to_owned())),
        "{drafts:?}"
    );
}

#[test]
fn an_orders_ship_to_is_shown_and_edited() {
    use backorder_desk::store::orders::order_id_by_number;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(oversold_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_all_by_label("A-1").last().expect("A-1").click();
    harness.run();
    assert!(shows(&harness, "22 Oak Avenue"));
    assert!(shows(&harness, "Portland, OR 97201"));
    harness.get_by_label("Ship-to…").click();
    harness.run();
    let city = harness.get_by_role_and_label(Role::TextInput, "Ship-to city");
    city.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Ship-to city")
        .type_text("Salem");
    harness.run();
    harness.get_by_label("Save address").click();
    harness.run();
    assert!(shows(&harness, "Ship-to address saved"));
    assert!(shows(&harness, "Salem, OR 97201"));
    let store = harness.state().store().expect("store");
    let id = order_id_by_number(store.connection(), "A-1")
        .expect("query")
        .expect("order");
    let address =
        backorder_desk::store::shop_orders::ship_to(store.connection(), id).expect("read");
    assert_eq!(address.city, "Salem");
    assert_eq!(address.address1, "22 Oak Avenue");
}

#[test]
fn the_new_order_dialog_takes_a_ship_to_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("New order…").click();
    harness.run();
    fill(&mut harness, "Customer", "Cy Dee");
    fill(&mut harness, "E-mail", "cy@example.com");
    common::add_order_line(&mut harness, "LAMP");
    harness.get_by_label("Ship to (optional)").click();
    harness.run();
    fill(&mut harness, "Ship-to name", "Cy Dee");
    fill(&mut harness, "Ship-to address line 1", "9 Birch Lane");
    fill(&mut harness, "Ship-to city", "Denver");
    harness.get_by_label("Place order").click();
    harness.run();
    assert!(shows(
        &harness,
        "Order SO-001003 placed; 1 unit(s) wait for stock"
    ));
    let store = harness.state().store().expect("store");
    let id = backorder_desk::store::orders::order_id_by_number(store.connection(), "SO-001003")
        .expect("query")
        .expect("order");
    let address =
        backorder_desk::store::shop_orders::ship_to(store.connection(), id).expect("read");
    assert_eq!(address.one_line(), "Cy Dee, 9 Birch Lane, Denver");
}

/// The common shop plus a brass hook (10 on hand, 2.50) and a gift wrap priced 0.00 (5 on hand).
fn lookup_shop(dir: &std::path::Path) -> std::path::PathBuf {
    let path = shop(dir);
    let mut store = backorder_desk::store::Store::open(&path).expect("open");
    for (sku, name, price, on_hand) in [
        ("HOOK", "Brass hook", "2.50", 10),
        ("WRAP", "Gift wrap", "0.00", 5),
    ] {
        let draft = backorder_desk::domain::ProductDraft {
            sku: sku.into(),
            name: name.into(),
            supplier: "Acme".into(),
            lead_time_days: "10".into(),
            price: price.into(),
            ..backorder_desk::domain::ProductDraft::default()
        };
        backorder_desk::app::catalog::save_product(&mut store, None, &draft, on_hand, &clock())
            .expect("product");
    }
    path
}

/// The vertical position of the (first) node labelled `label`.
fn top(harness: &egui_kittest::Harness<'_, backorder_desk::ui::DeskApp>, label: &str) -> f32 {
    harness.get_by_label(label).rect().top()
}

#[test]
fn order_entry_finds_products_and_shows_what_each_line_gets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(lookup_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("New order…").click();
    harness.run();
    fill(&mut harness, "Customer", "Cy Dee");
    fill(&mut harness, "E-mail", "cy@example.com");

    // "brass" matches both by name; the suggestions give price and what is free now.
    fill(&mut harness, "Product", "brass");
    assert!(shows(&harness, "HOOK — Brass hook · $2.50 · 10 available"));
    assert!(shows(&harness, "LAMP — Brass lamp · $40.00 · 0 available"));
    // ↓ moves to the second suggestion and Enter adds it.
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(shows(&harness, "Brass lamp"), "the lamp's line");
    assert!(
        !shows(&harness, "Brass hook"),
        "only the highlighted one was added"
    );
    // 7 lamps already wait and PO-1 brings 5: this unit waits for a PO placed today, the
    // lead time's window (Mar 1 + 10 days + 1 handling day, as Ann was told: Mar 12–15).
    assert!(shows(&harness, "Backordered – ships Mar 12–15"));

    // Three hooks by part of the SKU and the quantity field: in stock, 3 × 2.50.
    fill(&mut harness, "Product", "hoo");
    harness
        .get_by_role_and_label(Role::TextInput, "Qty")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Qty")
        .type_text("3");
    harness.run();
    harness.get_by_label("Add line").click();
    harness.run();
    assert!(shows(&harness, "Brass hook"));
    assert!(shows(&harness, "$7.50"), "line total 3 × $2.50");
    assert!(shows(&harness, "In stock"));
    assert!(shows(&harness, "Order total $47.50 (USD)"));

    // A product priced 0.00 is added with a warning, not refused.
    common::add_order_line(&mut harness, "WRAP");
    assert!(
        harness
            .query_by_label_contains("WRAP costs $0.00 — the line is free")
            .is_some()
    );
    assert!(shows(&harness, "Order total $47.50 (USD)"));

    // Enter with the product field empty places the order.
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(shows(
        &harness,
        "Order SO-001003 placed; 1 unit(s) wait for stock"
    ));
    let store = harness.state().store().expect("store");
    let order = backorder_desk::store::orders::order_id_by_number(store.connection(), "SO-001003")
        .expect("query")
        .expect("order");
    let detail =
        backorder_desk::store::orders::order_detail(store.connection(), order).expect("detail");
    let lines: Vec<(String, i64, i64, i64)> = detail
        .lines
        .iter()
        .map(|line| {
            (
                line.sku.clone(),
                line.quantities.ordered,
                line.quantities.reserved,
                line.unit_price_cents,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("LAMP".to_owned(), 1, 0, 4000),
            ("HOOK".to_owned(), 3, 3, 250),
            ("WRAP".to_owned(), 1, 1, 0)
        ]
    );
}

#[test]
fn orders_and_purchase_orders_sort_by_their_headers_and_move_with_the_arrows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    {
        // A second PO, due earlier, from another supplier.
        let mut store = backorder_desk::store::Store::open(&path).expect("open");
        let po = backorder_desk::app::purchasing::PoInput {
            po_number: "PO-2".into(),
            supplier: "Zeta".into(),
            ordered_at: None,
            expected_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 3),
            confirmed: false,
            lines: vec![("LAMP".into(), 2, None)],
        };
        backorder_desk::app::purchasing::create_po(&mut store, &po, &clock()).expect("po");
    }
    let mut harness = harness(path, clock());
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    harness.run();
    // Newest first: Bo's SO-001002 above Ann's SO-001001.
    assert!(shows(&harness, "Date ▼"));
    assert!(top(&harness, "SO-001002") < top(&harness, "SO-001001"));
    harness.get_by_label("Customer").click();
    harness.run();
    assert!(shows(&harness, "Customer ▲"));
    assert!(top(&harness, "Ann") < top(&harness, "Bo"));
    harness.get_by_label("Customer ▲").click();
    harness.run();
    assert!(shows(&harness, "Customer ▼"));
    assert!(top(&harness, "Bo") < top(&harness, "Ann"));
    // Totals in the shop's currency, sorted as amounts: Ann's 3 × $40 before Bo's 4 × $40.
    harness.get_by_label("Total").click();
    harness.run();
    assert!(top(&harness, "$120.00") < top(&harness, "$160.00"));
    // ↓ selects the first row, ↓ the next; Escape closes the details, Enter opens them.
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert!(
        shows(&harness, "Bo <bo@example.com>"),
        "the second row's details"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Bo <bo@example.com>"));
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(shows(&harness, "Bo <bo@example.com>"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    harness.run();
    // Open ones by expected date: PO-2 (Mar 3) before PO-1 (Mar 5).
    assert!(shows(&harness, "Expected ▲"));
    assert!(top(&harness, "PO-2") < top(&harness, "PO-1"));
    harness.get_by_label("Supplier").click();
    harness.run();
    assert!(
        top(&harness, "PO-1") < top(&harness, "PO-2"),
        "Acme before Zeta"
    );
    harness.get_by_label("PO").click();
    harness.run();
    assert!(top(&harness, "PO-1") < top(&harness, "PO-2"));
    harness.get_by_label("PO ▲").click();
    harness.run();
    assert!(top(&harness, "PO-2") < top(&harness, "PO-1"));
}

/// The top of the highest label reading `label` (the lists above the orders table come first).
fn top_first(harness: &egui_kittest::Harness<'_, backorder_desk::ui::DeskApp>, label: &str) -> f32 {
    harness
        .query_all_by_label(label)
        .map(|node| node.rect().top())
        .fold(f32::INFINITY, f32::min)
}

/// Clicks the highest node labelled `label` (a list above the orders table shares its headers).
fn click_top(harness: &mut egui_kittest::Harness<'_, backorder_desk::ui::DeskApp>, label: &str) {
    harness
        .query_all_by_label(label)
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("a node")
        .click();
    harness.run();
}

#[test]
fn the_promises_changed_list_sorts_and_shows_days_in_the_shops_style() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    {
        // Ann's 2 lamps and Bo's 2 wait for PO-1 (5 lamps, Mar 5); it moves to Mar 20: both
        // promises move.
        use backorder_desk::app::purchasing::{PoInput, create_po, move_po_date};
        let mut store = backorder_desk::store::Store::open(&path).expect("open");
        let draft = backorder_desk::domain::ProductDraft {
            sku: "LAMP".into(),
            name: "Brass lamp".into(),
            supplier: "Acme".into(),
            lead_time_days: "10".into(),
            price: "40.00".into(),
            ..backorder_desk::domain::ProductDraft::default()
        };
        backorder_desk::app::catalog::save_product(&mut store, None, &draft, 0, &clock())
            .expect("product");
        for customer in ["Ann", "Bo"] {
            backorder_desk::app::orders::place_order(
                &mut store,
                &common::order(customer, 2),
                &clock(),
            )
            .expect("order");
        }
        let po = PoInput {
            po_number: "PO-1".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5),
            confirmed: false,
            lines: vec![("LAMP".into(), 5, None)],
        };
        create_po(&mut store, &po, &clock()).expect("po");
        let moved = move_po_date(
            &mut store,
            "PO-1",
            chrono::NaiveDate::from_ymd_opt(2026, 3, 20).expect("date"),
            &clock(),
        )
        .expect("moved");
        assert_eq!(moved.len(), 2);
    }
    let mut harness = harness(path, clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Promises changed: 2")
            .is_some()
    );
    // Why, in the shop's date style (stored with ISO days).
    assert_eq!(
        harness
            .query_all_by_label("PO-1 moved from Mar 5 to Mar 20")
            .count(),
        2
    );
    // Sorted by customer, then the other way round.
    click_top(&mut harness, "Customer");
    assert!(shows(&harness, "Customer ▲"));
    assert!(top_first(&harness, "Ann") < top_first(&harness, "Bo"));
    click_top(&mut harness, "Customer ▲");
    assert!(top_first(&harness, "Bo") < top_first(&harness, "Ann"));
    // By order number: SO-001001 (Ann) first.
    click_top(&mut harness, "Order");
    assert!(top_first(&harness, "Ann") < top_first(&harness, "Bo"));
}

#[test]
fn the_oversold_list_sorts_by_its_headers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(oversold_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    // Read oldest order first: A-1 (Feb 27) above A-2 (Feb 28).
    assert!(shows(&harness, "Date ▲"));
    assert!(top(&harness, "Keep A-1 waiting") < top(&harness, "Keep A-2 waiting"));
    // Most units waiting first: A-2 (2) above A-1 (1).
    harness.get_by_label("Units waiting").click();
    harness.run();
    harness.get_by_label("Units waiting ▲").click();
    harness.run();
    assert!(shows(&harness, "Units waiting ▼"));
    assert!(top(&harness, "Keep A-2 waiting") < top(&harness, "Keep A-1 waiting"));
    // By order number (the oversold list's header sits above the orders table's).
    let order_header = harness
        .query_all_by_label("Order")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("header");
    order_header.click();
    harness.run();
    assert!(shows(&harness, "Order ▲"));
    assert!(top(&harness, "Keep A-1 waiting") < top(&harness, "Keep A-2 waiting"));
}

#[test]
fn a_shipped_orders_panel_shows_its_tracking_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    {
        let mut store = backorder_desk::store::Store::open(&path).expect("open");
        backorder_desk::app::purchasing::receive(
            &mut store,
            "PO-1",
            None,
            clock().today(),
            &clock(),
        )
        .expect("receive");
    }
    let mut harness = harness(path.clone(), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(!shows(&harness, "Shipments"), "nothing shipped yet");
    harness.get_by_label("Ship reserved").click();
    harness.run();
    fill(&mut harness, "Tracking number", "1Z999AA10123456784");
    harness.get_by_label("Ship 3 units").click();
    harness.run();
    assert!(shows(&harness, "Shipments"));
    assert!(shows(
        &harness,
        "Mar 1, 2026 · 3 unit(s) · tracking 1Z999AA10123456784"
    ));
    drop(harness);
    // Kept with the order: there after reopening the shop.
    let mut harness = common::harness(path, clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(shows(
        &harness,
        "Mar 1, 2026 · 3 unit(s) · tracking 1Z999AA10123456784"
    ));
}
