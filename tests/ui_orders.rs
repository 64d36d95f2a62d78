//! Orders and purchase orders in the window (`egui_kittest`, no GPU).

mod common;

use common::{fill, harness, shows};
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::orders::{OrderInput, place_order};
use backorder_desk::app::purchasing::{PoInput, create_po};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"))
}

fn order(customer: &str, quantity: i64) -> OrderInput {
    OrderInput {
        order_number: String::new(),
        customer_name: customer.into(),
        customer_email: format!("{}@example.com", customer.to_lowercase()),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: vec![("LAMP".into(), quantity)],
    }
}

/// A lamp with nothing on hand, two waiting orders (3 and 4), and PO-1 of 5 due Mar 5.
fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    let clock = clock();
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "Brass lamp".into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        price: "40.00".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, None, &draft, 0, &clock).expect("product");
    place_order(&mut store, &order("Ann", 3), &clock).expect("order 1");
    place_order(&mut store, &order("Bo", 4), &clock).expect("order 2");
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: NaiveDate::from_ymd_opt(2026, 3, 5),
        confirmed: false,
        lines: vec![("LAMP".into(), 5, None)],
    };
    create_po(&mut store, &po, &clock).expect("po");
    path
}

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
