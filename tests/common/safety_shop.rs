//! A small shop with a known history for the safety stock tests (today is 2026-03-01, so the
//! 180-day demand window is 2025-09-02 to 2026-02-28).
#![allow(
    dead_code,
    reason = "each test module uses a different subset of these helpers"
)]

use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::orders::{OrderInput, cancel_order, place_order};
use backorder_desk::app::purchasing::{PoInput, create_po, receive};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use chrono::{NaiveDate, NaiveDateTime};

pub fn today() -> NaiveDate {
    day("2026-03-01")
}

pub fn clock() -> Clock {
    Clock::fixed(today())
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
}

fn product(
    store: &mut Store,
    sku: &str,
    supplier: &str,
    lead: &str,
    cost: &str,
    price: &str,
    stock: i64,
) {
    let draft = ProductDraft {
        sku: sku.into(),
        name: format!("{sku} item"),
        supplier: supplier.into(),
        lead_time_days: lead.into(),
        unit_cost: cost.into(),
        price: price.into(),
        ..ProductDraft::default()
    };
    save_product(store, None, &draft, stock, &clock()).expect("product");
}

pub fn order(
    store: &mut Store,
    when: &str,
    lines: &[(&str, i64)],
) -> backorder_desk::store::orders::OrderId {
    let input = OrderInput {
        order_number: String::new(),
        customer_name: "Ann Lee".into(),
        customer_email: "ann@example.com".into(),
        ordered_at: Some(at(when)),
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: lines
            .iter()
            .map(|(sku, qty)| ((*sku).to_owned(), *qty))
            .collect(),
    };
    place_order(store, &input, &clock())
        .expect("order")
        .0
        .order_id
}

fn received_po(store: &mut Store, number: &str, sku: &str, ordered: &str, arrived: &str) {
    let input = PoInput {
        po_number: number.into(),
        supplier: "Acme".into(),
        ordered_at: Some(day(ordered)),
        expected_at: None,
        confirmed: false,
        lines: vec![(sku.into(), 10, None)],
    };
    create_po(store, &input, &clock()).expect("po");
    receive(store, number, None, day(arrived), &clock()).expect("receive");
}

/// - MUG (Acme, lead time 9, 1000 on hand): orders of 30 on Jan 5, 10 on Feb 10, 15 + 5 on
///   Feb 20 (one day); outside the window 100 on 2025-08-01 and 7 today; 50 on Feb 21 were
///   cancelled. Received POs took 10, 12 and 14 days.
/// - LAMP (Acme, lead time 10, cost 15.00, nothing on hand): 4 ordered on Feb 1, all waiting.
/// - BULB (Acme, lead time 10, cost 2.00, nothing on hand): 2 ordered on Feb 25, waiting.
/// - TENT (Kestrel, lead time 20, cost 80.00, 2 on hand): 3 ordered on Feb 15, 1 waiting.
pub fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    product(&mut store, "MUG", "Acme", "9", "4.00", "10.00", 1000);
    product(&mut store, "LAMP", "Acme", "10", "15.00", "40.00", 0);
    product(&mut store, "BULB", "Acme", "10", "2.00", "5.00", 0);
    product(&mut store, "TENT", "Kestrel", "20", "80.00", "200.00", 2);
    order(&mut store, "2025-08-01 09:00", &[("MUG", 100)]);
    order(&mut store, "2026-01-05 10:00", &[("MUG", 30)]);
    order(&mut store, "2026-02-10 10:00", &[("MUG", 10)]);
    order(&mut store, "2026-02-20 09:00", &[("MUG", 15)]);
    order(&mut store, "2026-02-20 17:30", &[("MUG", 5)]);
    let cancelled = order(&mut store, "2026-02-21 12:00", &[("MUG", 50)]);
    cancel_order(&mut store, cancelled, &clock()).expect("cancel");
    order(&mut store, "2026-03-01 08:00", &[("MUG", 7)]);
    order(&mut store, "2026-02-01 10:00", &[("LAMP", 4)]);
    order(&mut store, "2026-02-25 10:00", &[("BULB", 2)]);
    order(&mut store, "2026-02-15 10:00", &[("TENT", 3)]);
    received_po(&mut store, "PO-A", "MUG", "2025-10-01", "2025-10-11");
    received_po(&mut store, "PO-B", "MUG", "2025-11-01", "2025-11-13");
    received_po(&mut store, "PO-C", "MUG", "2025-12-01", "2025-12-15");
    path
}
