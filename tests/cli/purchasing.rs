//! `po`: a purchase order names a supplier the shop has; a new one is added on purpose.

use crate::common::{fails, ok};

#[test]
fn po_refuses_an_unknown_supplier_and_lists_the_close_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite").display().to_string();
    for (sku, supplier) in [
        ("LAMP", "Acme"),
        ("BULB", "Acme Lighting"),
        ("TENT", "Kestrel"),
    ] {
        ok(
            &db,
            &[
                "add-product",
                "--sku",
                sku,
                "--name",
                sku,
                "--supplier",
                supplier,
            ],
        );
    }
    // A typo: refused, nothing written, the close names listed (closest first) with the way to
    // add a new supplier on purpose.
    let refused = fails(&db, &["po", "--supplier", "acm", "LAMP=3"]);
    assert!(
        refused.contains(
            "There is no supplier 'acm'; did you mean 'Acme', 'Acme Lighting'? Use one of the \
             shop's suppliers, or add --new-supplier to create it. The purchase order was not saved"
        ),
        "{refused}"
    );
    let suppliers = |db: &str| {
        let conn = rusqlite::Connection::open(db).expect("open");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM suppliers ORDER BY name")
            .expect("prepare")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let pos: i64 = conn
            .query_row("SELECT COUNT(*) FROM purchase_orders", [], |row| row.get(0))
            .expect("count");
        (names, pos)
    };
    assert_eq!(
        suppliers(&db),
        (
            vec!["Acme".into(), "Acme Lighting".into(), "Kestrel".into()],
            0
        )
    );
    // No close name at all: only the way out.
    let refused = fails(&db, &["po", "--supplier", "Zenith", "LAMP=3"]);
    assert!(
        refused.contains(
            "There is no supplier 'Zenith'; Use one of the shop's suppliers, or add --new-supplier"
        ),
        "{refused}"
    );
    // Letter case does not make a new supplier: "acme" is Acme.
    let made = ok(&db, &["po", "--supplier", "acme", "LAMP=3"]);
    assert!(made.contains("Purchase order PO-00001 created"), "{made}");
    // On purpose: the new supplier is added with its purchase order.
    let made = ok(
        &db,
        &["po", "--supplier", "Zenith", "--new-supplier", "LAMP=3"],
    );
    assert!(made.contains("Purchase order PO-00002 created"), "{made}");
    assert_eq!(
        suppliers(&db),
        (
            vec![
                "Acme".into(),
                "Acme Lighting".into(),
                "Kestrel".into(),
                "Zenith".into()
            ],
            2
        )
    );
}
