//! Orders and purchase orders in the window (`egui_kittest`, no GPU).

mod common;

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
    fill(&mut harness, "SKU", "LAMP");
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
        "PO-1 now expected 2026-03-12; 1 promise(s) moved later (see Orders)"
    ));
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Promises changed: 1")
            .is_some()
    );
    assert!(shows(&harness, "Mar 6–9 → Mar 13–16"));
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
    assert!(shows(&harness, "80.00"), "2 × 40.00 to capture");
    assert!(shows(&harness, "today"), "authorized today");
    // The order's detail: shipping is refused until the payment is captured.
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(shows(&harness, "capture 80.00 before shipping"));
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
