//! The pick list commands: make a list as PDF, print it again, mark it picked, packing slip.

use crate::common::{fails, ok};

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario told from start to end")]
fn receive_print_pick_and_slip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite").display().to_string();
    for (sku, name, bin, stock) in [
        ("LAMP", "Brass lamp", "A10", "0"),
        ("MUG", "Café mug", "A2", "5"),
    ] {
        ok(
            &db,
            &[
                "add-product",
                "--sku",
                sku,
                "--name",
                name,
                "--location",
                bin,
                "--lead-time",
                "10",
                "--supplier",
                "Acme",
                "--stock",
                stock,
            ],
        );
    }
    ok(
        &db,
        &["order", "--number", "SO-A", "--customer", "Ann", "LAMP=3"],
    );
    ok(
        &db,
        &[
            "order",
            "--number",
            "SO-B",
            "--customer",
            "Bo",
            "--priority",
            "high",
            "MUG=2",
        ],
    );
    let nothing = fails(
        &db,
        &[
            "picklist",
            "--out",
            &dir.path().join("x.pdf").display().to_string(),
            "--orders",
            "SO-A",
        ],
    );
    assert!(
        nothing.contains("SO-A has nothing ready to pick"),
        "{nothing}"
    );

    ok(
        &db,
        &["po", "--number", "PO-1", "--supplier", "Acme", "LAMP=3"],
    );
    ok(&db, &["receive", "PO-1"]);
    let pdf = dir.path().join("pick.pdf");
    let made = ok(
        &db,
        &[
            "picklist",
            "--out",
            &pdf.display().to_string(),
            "--layout",
            "sku",
            "--paper",
            "a4",
        ],
    );
    assert!(
        made.starts_with("Pick list PL-000001 (batched by sku, A4): 2 orders, 2 lines, 5 units"),
        "{made}"
    );
    // SO-A waited for the PO: it comes before the high-priority SO-B.
    let a = made.find("SO-A (waited): 3 units").expect("SO-A");
    let b = made.find("SO-B: 2 units").expect("SO-B");
    assert!(a < b, "{made}");
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF"));

    let again = dir.path().join("again.pdf");
    let reprint = ok(
        &db,
        &[
            "picklist",
            "--out",
            &again.display().to_string(),
            "--list",
            "PL-000001",
        ],
    );
    // The saved layout, unless another is asked for.
    assert!(
        reprint.starts_with("Pick list PL-000001 (batched by sku, Letter)"),
        "{reprint}"
    );
    let by_order = ok(
        &db,
        &[
            "picklist",
            "--out",
            &again.display().to_string(),
            "--list",
            "PL-000001",
            "--layout",
            "order",
        ],
    );
    assert!(
        by_order.starts_with("Pick list PL-000001 (by order, Letter)"),
        "{by_order}"
    );
    assert!(ok(&db, &["picklists"]).contains("PL-000001"));

    let picked = ok(&db, &["picklist-picked", "PL-000001"]);
    assert_eq!(
        picked,
        "Pick list PL-000001 picked: shipped 5 units of SO-A, SO-B\nComplete now: SO-A, SO-B\n"
    );
    let twice = fails(&db, &["picklist-picked", "PL-000001"]);
    assert!(twice.contains("already marked picked"), "{twice}");
    let listed = ok(&db, &["picklists"]);
    assert!(listed.contains("Picked"), "{listed}");

    let slip = dir.path().join("slip.pdf");
    let written = ok(
        &db,
        &["packing-slip", "SO-A", "--out", &slip.display().to_string()],
    );
    assert!(
        written.starts_with("Packing slip SO-A: 3 units shipped, 0 to follow"),
        "{written}"
    );
    assert!(std::fs::read(&slip).expect("slip").starts_with(b"%PDF"));

    let bad = fails(&db, &["picklist", "--out", "x.pdf", "--layout", "bin"]);
    assert!(bad.contains("--layout must be order or sku"), "{bad}");
    let bad = fails(&db, &["picklist", "--out", "x.pdf", "--paper", "a5"]);
    assert!(bad.contains("--paper must be a4 or letter"), "{bad}");
    let empty = fails(&db, &["picklist", "--out", "x.pdf"]);
    assert!(empty.contains("Nothing is ready to pick"), "{empty}");
    let unknown = fails(&db, &["packing-slip", "SO-Z", "--out", "x.pdf"]);
    assert!(unknown.contains("No order 'SO-Z'"), "{unknown}");
}
