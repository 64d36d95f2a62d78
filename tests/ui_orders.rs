//! Orders and purchase orders in the window (`egui_kittest`, no GPU).

mod common;

use common::{clock, fill, harness, shop, shows};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

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
    assert!(shows(
        &harness,
        "Received 5 unit(s) on PO-1; stock reserved for SO-001001, SO-001002"
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
