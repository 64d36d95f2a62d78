//! The Reorder tab in the window (`egui_kittest`, no GPU): the calculator follows its inputs,
//! and ticked suggestions become one purchase order per supplier.

use crate::common;
use crate::common::safety_shop;

use backorder_desk::store::purchasing::{po_detail, po_id_by_number};
use common::{finish_jobs, harness, replace, shows, wait_for};
use egui_kittest::kittest::Queryable;
use safety_shop::{clock, shop};

#[test]
fn calculator_follows_its_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    harness.run();
    harness.get_by_label("Safety stock calculator").click();
    harness.run();
    replace(&mut harness, "Product SKU", "LAMP");
    harness.get_by_label("Show").click();
    // The ABC classes come from the suggestions job; the calculator waits for them.
    wait_for(&mut harness, "the product's lead time of 10 days");
    // LAMP from history: 4 units in 180 days (σd 0.2981), lead time 10 (no receipts, σL 0),
    // class B → 95% → Z 1.6449.
    assert!(shows(&harness, "LAMP"));
    assert!(
        harness
            .query_by_label_contains("no receipts; the product's lead time of 10 days")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Only 0 receipt(s) (fewer than 5)")
            .is_some()
    );
    assert!(shows(&harness, "1.6449 × 0.2981 × √10 = 1.55"));
    assert!(shows(&harness, "SS 1.55 → 2 units"));

    // Type Z = 2: 2 × 0.298142 × √10 = 1.8856.
    replace(&mut harness, "Z (service factor)", "2");
    assert!(shows(&harness, "2 × 0.2981 × √10 = 1.89"));
    assert!(shows(&harness, "SS 1.89 → 2 units"));

    // A service level of 99% sets Z to 2.3263: 2.3263 × 0.2981 × √10 = 2.19.
    replace(&mut harness, "Service level (%)", "99");
    harness.run();
    assert!(shows(&harness, "2.3263 × 0.2981 × √10 = 2.19"));

    // Days of cover needs its input; typed, it computes: 0.0222 × 30 = 0.67.
    assert!(shows(&harness, "Needs Cover days"));
    replace(&mut harness, "Cover days", "30");
    assert!(shows(&harness, "0.0222 × 30 = 0.67"));
}

#[test]
fn ticked_suggestions_become_one_po_per_supplier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    wait_for(&mut harness, "3 of 4 products to reorder");
    harness.get_by_label("Select all").click();
    harness.run();
    assert!(harness.query_by_label_contains("3 selected").is_some());
    harness.get_by_label("Create draft POs…").click();
    harness.run();
    harness.run();
    // One PO per supplier, each with its lines, editable.
    assert!(shows(&harness, "Expected arrival (Acme)"));
    assert!(shows(&harness, "Expected arrival (Kestrel)"));
    replace(&mut harness, "BULB", "30");
    harness.get_by_label("Create 2 purchase order(s)").click();
    harness.run();
    // More than one: asked first, with the counts.
    assert!(shows(&harness, "Create 2 purchase orders?"));
    harness.get_by_label("Create 2 purchase orders").click();
    harness.run();
    assert!(shows(
        &harness,
        "Created 2 purchase order(s): PO-00001, PO-00002; Edit › Undo takes them back"
    ));

    let store = harness.state().store().expect("store");
    let conn = store.connection();
    let lines = |number: &str| {
        let detail = po_detail(conn, po_id_by_number(conn, number).expect("q").expect("po"))
            .expect("detail");
        let lines: Vec<(String, i64)> = detail
            .lines
            .iter()
            .map(|l| (l.sku.clone(), l.quantity))
            .collect();
        (detail.summary.supplier, lines)
    };
    assert_eq!(
        lines("PO-00001"),
        (
            "Acme".to_owned(),
            vec![("BULB".to_owned(), 30), ("LAMP".to_owned(), 17)]
        )
    );
    assert_eq!(
        lines("PO-00002"),
        ("Kestrel".to_owned(), vec![("TENT".to_owned(), 8)])
    );
}

#[test]
fn order_rules_and_settings_are_saved_from_the_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    wait_for(&mut harness, "3 of 4 products to reorder");
    harness.get_by_label("Safety stock calculator").click();
    harness.run();
    replace(&mut harness, "Product SKU", "LAMP");
    harness.get_by_label("Show").click();
    wait_for(&mut harness, "the product's lead time of 10 days");
    // Cases of 6, at least 20: LAMP's 17 becomes 24.
    replace(&mut harness, "Order multiple", "6");
    replace(&mut harness, "Minimum order", "20");
    harness.get_by_label("Save order rules").click();
    harness.run();
    assert!(shows(&harness, "Order rules of LAMP saved"));
    harness.get_by_label("Reorder suggestions").click();
    // The suggestions are computed again on a worker; the earlier ones show meanwhile.
    finish_jobs(&mut harness);
    assert!(shows(&harness, "24"), "LAMP's suggested quantity");
    assert!(
        harness
            .query_by_label_contains("3 of 4 products to reorder")
            .is_some()
    );

    // Class B at 99% instead of 95%: saved in the shop file.
    harness.get_by_label("Reorder settings").click();
    harness.run();
    replace(&mut harness, "Service level B (%)", "99");
    harness.get_by_label("Save settings").click();
    harness.run();
    assert!(shows(&harness, "Reorder settings saved"));
    let store = harness.state().store().expect("store");
    assert_eq!(
        store
            .setting(backorder_desk::store::settings::SERVICE_LEVEL_B)
            .expect("setting")
            .as_deref(),
        Some("99")
    );
}

#[test]
fn order_rules_in_the_product_form() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("LAMP item").click();
    harness.run();
    harness.get_by_label("Edit…").click();
    harness.run();
    replace(&mut harness, "Order multiple", "12");
    replace(&mut harness, "Max stock", "40");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows(&harness, "Saved LAMP"));
    let store = harness.state().store().expect("store");
    let lamp = store.product_id_by_sku("LAMP").expect("q").expect("LAMP");
    assert_eq!(
        backorder_desk::store::safety::order_rules(store.connection(), lamp).expect("rules"),
        backorder_desk::store::safety::OrderRules {
            order_multiple: 12,
            min_order_qty: 0,
            max_stock: Some(40),
        }
    );
}

#[test]
fn backorder_policy_sets_cutoffs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    harness.run();
    harness.get_by_label("Backorder policy").click();
    harness.run();
    assert!(shows(&harness, "No cutoffs set"));
    common::fill(&mut harness, "Category", "Holiday");
    common::fill(&mut harness, "Category cutoff", "2026-02-27");
    harness.get_by_label("Set category cutoff").click();
    harness.run();
    assert!(shows(
        &harness,
        // The shop's date style (the short form by default).
        "Category Holiday: backorders accepted until Feb 27"
    ));
    // Mar 1 is after the cutoff: the list marks it closed.
    assert!(shows(&harness, "Feb 27, 2026 (closed)"));
    common::fill(&mut harness, "Product cutoff", "soon");
    harness.get_by_label("Set product cutoff").click();
    harness.run();
    assert!(shows(
        &harness,
        "'soon' is not a date in the form YYYY-MM-DD (a four-digit year, e.g. 2026-03-01)"
    ));
    common::fill(
        &mut harness,
        "Last day to promise delivery before",
        "2026-03-20",
    );
    harness.get_by_label("Set last promise date").click();
    harness.run();
    assert!(shows(
        &harness,
        "Last day to promise delivery before: Mar 20"
    ));
    assert!(
        harness
            .query_by_label_contains("are flagged \"after the last promise date\"")
            .is_some()
    );
}

#[test]
fn created_draft_pos_are_undone_and_nothing_else() {
    use backorder_desk::app::purchasing::{PoInput, create_po};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    // Every PO line with what it holds: the others are the same after the undo.
    let po_lines =
        |store: &backorder_desk::store::Store| -> Vec<(String, String, i64, i64, String)> {
            store
                .connection()
                .prepare(
                    "SELECT po.po_number, po.status, l.quantity, l.received_qty,
                        COALESCE(po.expected_at, '')
                 FROM po_lines l JOIN purchase_orders po USING (po_id)
                 ORDER BY po.po_number, l.po_line_id",
                )
                .expect("prepare")
                .query_map([], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
        };
    let po_numbers = |store: &backorder_desk::store::Store| -> Vec<String> {
        store
            .connection()
            .prepare("SELECT po_number FROM purchase_orders ORDER BY po_number")
            .expect("prepare")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    {
        // A purchase order made by hand before, which the undo must leave alone.
        let mut store = backorder_desk::store::Store::open(&path).expect("open");
        let po = PoInput {
            po_number: "PO-HAND".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: None,
            confirmed: false,
            lines: vec![("LAMP".into(), 1, None)],
        };
        create_po(&mut store, &po, &clock()).expect("po");
    }
    let before = po_lines(&backorder_desk::store::Store::open(&path).expect("open"));
    {
        let mut harness = harness(path.clone(), clock());
        harness.run();
        harness.get_by_label("Reorder").click();
        finish_jobs(&mut harness);
        harness.get_by_label("Select all").click();
        harness.run();
        harness.get_by_label("Create draft POs…").click();
        harness.run();
        harness.run();
        harness.get_by_label("Create 2 purchase order(s)").click();
        harness.run();
        // Back keeps the dialog and creates nothing.
        harness.get_by_label("Back").click();
        harness.run();
        assert!(!shows(&harness, "Create 2 purchase orders?"));
        assert_eq!(
            po_numbers(harness.state().store().expect("store")),
            ["PO-A", "PO-B", "PO-C", "PO-HAND"]
        );
        harness.get_by_label("Create 2 purchase order(s)").click();
        harness.run();
        harness.get_by_label("Create 2 purchase orders").click();
        harness.run();
        assert_eq!(
            po_numbers(harness.state().store().expect("store")),
            ["PO-00001", "PO-00002", "PO-A", "PO-B", "PO-C", "PO-HAND"]
        );
        harness.get_by_label("Edit").click();
        harness.run();
        assert!(
            harness
                .query_by_label_contains("Undo Create draft POs (2 purchase orders)")
                .is_some()
        );
    }
    // The undo point is kept in the shop file: undone after reopening it.
    let mut harness = harness(path.clone(), clock());
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(shows(
        &harness,
        "Undo “Create draft POs (2 purchase orders)”?"
    ));
    harness.get_by_label("Undo").click();
    harness.run();
    let store = harness.state().store().expect("store");
    assert_eq!(po_numbers(store), ["PO-A", "PO-B", "PO-C", "PO-HAND"]);
    assert_eq!(
        po_lines(store),
        before,
        "the other purchase orders are untouched"
    );
}
