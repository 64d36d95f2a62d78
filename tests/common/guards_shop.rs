//! Shops for the guard tests: products whose policy the advisor wants changed, and a way to
//! compare whole tables before and after an undo.
#![allow(
    dead_code,
    reason = "each test module uses a different subset of these helpers"
)]

use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::purchasing::{PoInput, create_po, receive};
use backorder_desk::domain::{BackorderPolicy, ProductDraft};
use backorder_desk::store::Store;
use chrono::NaiveDate;
use rusqlite::Connection;

pub fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("date")
}

/// Apr 30, 2026: the advisor's day.
pub fn advice_clock() -> Clock {
    Clock::fixed(day(4, 30))
}

fn product(store: &mut Store, sku: &str, supplier: &str, policy: BackorderPolicy) {
    let draft = ProductDraft {
        sku: sku.into(),
        name: format!("Item {sku}"),
        supplier: supplier.into(),
        lead_time_days: "10".into(),
        price: "5.00".into(),
        backorder_policy: policy,
        ..ProductDraft::default()
    };
    save_product(store, None, &draft, 0, &Clock::fixed(day(1, 1))).expect("product");
}

/// Three receipts from `supplier` for `sku`, `lead` days after ordering, `late` days late.
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

/// QUICK (not allowed → allow), SLOW (allowed → preorder), LATE (allowed → stop), NEW (no
/// suggestion): three products with a suggested change.
pub fn advice_shop(dir: &Path) -> PathBuf {
    let path = dir.join("advice.sqlite");
    let mut store = Store::open(&path).expect("open");
    for (sku, supplier, policy) in [
        ("QUICK", "Quick", BackorderPolicy::NotAllowed),
        ("SLOW", "Slow", BackorderPolicy::Allowed),
        ("LATE", "Late", BackorderPolicy::Allowed),
        ("NEW", "Newco", BackorderPolicy::Allowed),
    ] {
        product(&mut store, sku, supplier, policy);
    }
    receipts(&mut store, "Quick", "QUICK", 5, 0, 1);
    receipts(&mut store, "Slow", "SLOW", 40, 0, 2);
    receipts(&mut store, "Late", "LATE", 5, 9, 3);
    path
}

/// Every row of `table` as JSON, in row order (every column).
pub fn dump(conn: &Connection, table: &str) -> Vec<String> {
    let columns: Vec<String> = conn
        .prepare(&format!("PRAGMA table_info({table})"))
        .expect("columns")
        .query_map([], |row| row.get::<_, String>(1))
        .expect("columns")
        .collect::<Result<_, _>>()
        .expect("columns");
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
    conn.prepare(&format!(
        "SELECT json_object({}) FROM {table} ORDER BY rowid",
        pairs.join(", ")
    ))
    .expect("dump")
    .query_map([], |row| row.get::<_, String>(0))
    .expect("dump")
    .collect::<Result<_, _>>()
    .expect("dump")
}

/// The tables an undo must give back exactly (the ledger is compared apart: it grows).
pub const RESTORED: [&str; 8] = [
    "products",
    "orders",
    "order_lines",
    "purchase_orders",
    "po_lines",
    "messages",
    "line_promises",
    "pick_lists",
];

pub fn snapshot(conn: &Connection) -> Vec<Vec<String>> {
    RESTORED.iter().map(|table| dump(conn, table)).collect()
}
