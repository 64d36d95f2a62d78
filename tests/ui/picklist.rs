//! The pick list window (`egui_kittest`, no GPU): make a list from the Orders screen, then mark
//! it picked.

use crate::common;

use common::{finish_jobs, harness, shows};
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::orders::{OrderInput, place_order};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"))
}

/// A lamp with 5 on hand, in bin A3; two orders of 2 and 4 (the second one partly waits).
fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "Brass lamp".into(),
        location: "A3".into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        price: "40.00".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, None, &draft, 5, &clock()).expect("product");
    for (customer, quantity) in [("Ann", 2), ("Bo", 4)] {
        let input = OrderInput {
            order_number: String::new(),
            customer_name: customer.into(),
            customer_email: String::new(),
            ordered_at: None,
            priority: Priority::Normal,
            ship: ShipPreference::Partial,
            lines: vec![("LAMP".into(), quantity)],
        };
        place_order(&mut store, &input, &clock()).expect("order");
    }
    path
}

#[test]
fn make_a_pick_list_and_mark_it_picked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("Pick list…").click();
    harness.run();
    assert!(shows(&harness, "All ready orders (2)"));
    harness.get_by_label("Batched by SKU").click();
    harness.run();
    harness.get_by_label("Make pick list").click();
    // The PDF is written on a worker thread; a spinner turns meanwhile.
    finish_jobs(&mut harness);
    assert!(shows(&harness, "Mark picked…"), "the PDF was written");
    assert!(shows(&harness, "PL-000001"));
    assert!(
        harness
            .query_by_label_contains("2 orders · 2 lines · 5 units · batched by sku")
            .is_some()
    );
    harness.get_by_label("Mark picked…").click();
    harness.run();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("5 units of 2 orders")
            .is_some(),
        "the confirmation counts what ships"
    );
    harness.get_by_label("Ship 2 orders").click();
    harness.run();
    assert!(shows(
        &harness,
        "Pick list PL-000001 picked: shipped 5 units of SO-001001, SO-001002; Edit › Undo takes it back"
    ));
    assert!(shows(&harness, "Picked"), "the list is marked picked");
    let store = harness.state().store().expect("store");
    let shipped: i64 = store
        .connection()
        .query_row(
            "SELECT -SUM(quantity) FROM stock_movements WHERE kind = 'shipment'",
            [],
            |row| row.get(0),
        )
        .expect("sum");
    assert_eq!(shipped, 5);
    let statuses: Vec<String> = store
        .connection()
        .prepare("SELECT status FROM orders ORDER BY order_id")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(statuses, vec!["shipped", "open"]);
}

/// The window lists the ready orders to choose from in the order the list will have: the
/// orders that waited (1001, 1002) before 1004, which never waited though it is older.
#[test]
fn chosen_orders_are_offered_in_the_order_of_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let jan = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).expect("date");
    {
        let mut store = Store::open(&path).expect("open");
        let on = |d: u32| Clock::fixed(jan(d));
        for (sku, stock) in [("LAMP", 0), ("MUG", 5)] {
            let draft = ProductDraft {
                sku: sku.into(),
                name: format!("{sku} product"),
                supplier: "Acme".into(),
                lead_time_days: "40".into(),
                price: "10.00".into(),
                ..ProductDraft::default()
            };
            save_product(&mut store, None, &draft, stock, &on(5)).expect("product");
        }
        for (number, day, sku) in [
            ("1004", 9, "MUG"),
            ("1001", 10, "LAMP"),
            ("1002", 11, "LAMP"),
        ] {
            let input = OrderInput {
                order_number: number.into(),
                customer_name: format!("C{number}"),
                customer_email: String::new(),
                ordered_at: None,
                priority: Priority::Normal,
                ship: ShipPreference::Partial,
                lines: vec![(sku.into(), 1)],
            };
            place_order(&mut store, &input, &on(day)).expect("order");
        }
        let lamp = store.product_id_by_sku("LAMP").expect("sku").expect("LAMP");
        backorder_desk::app::catalog::adjust_stock(&mut store, lamp, 2, "Found", &on(15))
            .expect("stock");
    }
    let mut harness = harness(path, Clock::fixed(jan(15)));
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("Pick list…").click();
    harness.run();
    harness.get_by_label("Chosen orders").click();
    harness.run();
    let top = |label: &str| harness.get_by_label(label).rect().min.y;
    let (first, second, third) = (
        top("1001 · C1001 · 1 reserved"),
        top("1002 · C1002 · 1 reserved"),
        top("1004 · C1004 · 1 reserved"),
    );
    assert!(first < second && second < third, "{first} {second} {third}");
}
