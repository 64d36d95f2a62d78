//! The scenario on the command line: a product with nothing on hand, two orders (3 and
//! 4 units), a PO of 5 arriving on a date; then a slip and the receipt.

use serde_json::Value;

use crate::common::{desk, ok};

fn backorders(db: &str) -> Vec<Value> {
    ok(db, &["backorders", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect()
}

#[test]
fn two_orders_one_po_then_a_slip_and_the_receipt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite").display().to_string();
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Brass lamp",
            "--lead-time",
            "10",
            "--supplier",
            "Acme",
        ],
    );
    let first = ok(
        &db,
        &[
            "order",
            "--customer",
            "Ann Lee",
            "--email",
            "ann@example.com",
            "LAMP=3",
        ],
    );
    assert!(
        first.contains("LAMP: 3 ordered, 0 reserved, 3 waiting"),
        "{first}"
    );
    ok(
        &db,
        &[
            "order",
            "--customer",
            "Bo Kim",
            "--email",
            "bo@example.com",
            "LAMP=4",
        ],
    );
    ok(
        &db,
        &[
            "po",
            "--number",
            "PO-1",
            "--supplier",
            "Acme",
            "--expected",
            "2026-03-05",
            "LAMP=5",
        ],
    );

    let lines = backorders(&db);
    assert_eq!(lines.len(), 2);
    let ann = &lines[0];
    assert_eq!(ann["order_number"], "SO-001001");
    assert_eq!(ann["customer_email"], "ann@example.com");
    assert_eq!(ann["quantity_waiting"], 3);
    assert_eq!(ann["queue_position"], 1);
    assert_eq!(ann["eta_start"], "2026-03-06", "arrival + 1 handling day");
    assert_eq!(ann["eta_end"], "2026-03-09", "default spread of 3 days");
    assert_eq!(ann["covered_by_po"], "PO-1");
    assert_eq!(ann["flags"], serde_json::json!([]));
    let bo = &lines[1];
    assert_eq!(bo["queue_position"], 2);
    assert_eq!(
        bo["covered_by_po"],
        Value::Null,
        "PO-1 covers only 2 of Bo's 4"
    );
    assert_eq!(bo["flags"], serde_json::json!(["needs_reorder"]));
    assert_eq!(
        bo["eta_start"], "2026-03-12",
        "order date + 10 lead + 1 handling"
    );

    let badges = ok(&db, &["orders"]);
    assert!(badges.contains("Backordered – ships Mar 6–9"), "{badges}");
    assert!(badges.contains("Backordered – ships Mar 12–15"), "{badges}");

    let moved = ok(&db, &["po-date", "PO-1", "2026-03-09"]);
    assert!(moved.contains("Promise changed: SO-001001 LAMP Ann Lee <ann@example.com>: 2026-03-06 – 2026-03-09 → 2026-03-10 – 2026-03-13"), "{moved}");

    let received = ok(&db, &["receive", "PO-1", "--date", "2026-03-01"]);
    assert!(received.contains("Received 5 × LAMP on PO-1"), "{received}");
    assert!(received.contains("SO-001001 got 3 × LAMP"), "{received}");
    assert!(received.contains("SO-001002 got 2 × LAMP"), "{received}");

    let lines = backorders(&db);
    assert_eq!(lines.len(), 1, "only Bo still waits");
    assert_eq!(lines[0]["order_number"], "SO-001002");
    assert_eq!(lines[0]["quantity_waiting"], 2);
    let badges = ok(&db, &["orders"]);
    assert!(badges.contains("In stock"), "{badges}");
    assert!(badges.contains("(partial: 2 of 4 now)"), "{badges}");
    assert!(ok(&db, &["check"]).contains("ledger matches"));

    // Ship Ann's order; cancel Bo's: the 2 units Bo held are free again.
    assert!(ok(&db, &["ship", "SO-001001"]).contains("Shipped 3 unit(s) of SO-001001"));
    assert!(ok(&db, &["cancel", "SO-001002"]).contains("Cancelled SO-001002"));
    let products = ok(&db, &["products", "--json"]);
    let lamp: Value = serde_json::from_str(products.lines().next().expect("a row")).expect("json");
    assert_eq!(lamp["on_hand"], 2);
    assert_eq!(lamp["reserved"], 0);
    assert_eq!(lamp["available"], 2);
    assert!(backorders(&db).is_empty());
    let shipped = ok(&db, &["orders", "--filter", "shipped"]);
    assert!(
        shipped.contains("SO-001001") && !shipped.contains("SO-001002"),
        "{shipped}"
    );
}

#[test]
fn partial_receipt_of_one_sku_and_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite").display().to_string();
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "MUG",
            "--name",
            "Mug",
            "--lead-time",
            "5",
        ],
    );
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "NOBO",
            "--name",
            "Rare vase",
            "--policy",
            "no",
            "--stock",
            "1",
        ],
    );
    ok(&db, &["order", "--customer", "Ann", "MUG=4"]);
    ok(
        &db,
        &[
            "po",
            "--number",
            "PO-7",
            "--supplier",
            "Acme",
            "--new-supplier",
            "--expected",
            "2026-03-04",
            "MUG=10@2.50",
        ],
    );

    let partial = ok(&db, &["receive", "PO-7", "--sku", "MUG", "--quantity", "3"]);
    assert!(partial.contains("Received 3 × MUG on PO-7"), "{partial}");
    assert!(partial.contains("SO-001001 got 3 × MUG"), "{partial}");

    let too_many = desk(
        &db,
        &["receive", "PO-7", "--sku", "MUG", "--quantity", "50"],
    );
    assert!(!too_many.status.success());
    assert!(String::from_utf8_lossy(&too_many.stderr).contains("7 unit(s) are open"));

    // Backorders not allowed: refused with a clear message, nothing saved.
    let refused = desk(&db, &["order", "--customer", "Bo", "NOBO=2"]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("NOBO: only 1 available and backorders are not allowed"),
        "{message}"
    );
    assert!(!ok(&db, &["orders"]).contains("Bo"));

    let unknown = desk(&db, &["receive", "PO-404"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("No purchase order 'PO-404'"));
}
