//! Guards against one-click surprises, without the window: the undo stack (kept in the shop
//! file), refusals of undos that later changes depend on, tracking numbers, validations of the
//! store and the command line, and pick lists printed again exactly.

use crate::common::guards_shop;
use crate::common::safety_shop;
use crate::common::{self, desk, ok};

use backorder_desk::app::undo_stack::{self, UndoStackError, next_undo, plan_undo, undo_last};
use backorder_desk::domain::BackorderPolicy;
use backorder_desk::store::Store;
use backorder_desk::store::orders::{OrderFilter, order_summaries};
use common::{clock, shop};
use guards_shop::{advice_clock, advice_shop, dump, snapshot};

fn ledger_sum(store: &Store, sku: &str) -> (i64, i64) {
    store
        .connection()
        .query_row(
            "SELECT p.on_hand, (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements m
                                WHERE m.product_id = p.product_id)
             FROM products p WHERE p.sku = ?1",
            [sku],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("ledger")
}

#[test]
fn receive_all_is_undone_exactly_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let clock = clock();
    let before;
    let movements_before;
    {
        let mut store = Store::open(&path).expect("open");
        before = snapshot(store.connection());
        movements_before = dump(store.connection(), "stock_movements");
        let report =
            undo_stack::receive_all(&mut store, "PO-1", clock.today(), &clock).expect("receive");
        assert_eq!(report.received, vec![("LAMP".to_owned(), 5)]);
        // 5 on hand: Ann's 3 and 2 of Bo's 4 are reserved.
        assert_eq!(ledger_sum(&store, "LAMP"), (5, 5));
    }
    // A restart: the undo point is in the file.
    let mut store = Store::open(&path).expect("reopen");
    let point = next_undo(&store).expect("next").expect("a point");
    assert_eq!(point.label, "Receive all on PO-1 (1 line, 5 units)");
    let plan = plan_undo(&mut store, &clock).expect("plan");
    assert_eq!(
        plan.effects(false),
        vec![
            "gives 1 product their earlier values",
            "gives 2 order lines their earlier values",
            "gives 1 purchase order their earlier values",
            "gives 1 purchase order line their earlier values",
            "reverses 1 stock movement through the ledger (-5 units on hand)",
            // Ann's order became ready (a draft to tell her); Bo's unsent confirmation was
            // replaced by one saying 2 ship now and 2 still wait.
            "removes 2 unsent message drafts it made",
        ]
    );
    // Planning wrote nothing.
    assert_eq!(ledger_sum(&store, "LAMP"), (5, 5));
    let report = undo_last(&mut store, &clock).expect("undo");
    assert_eq!(report.point.label, point.label);
    assert_eq!(snapshot(store.connection()), before);
    // The receipt stays in the ledger, reversed by a movement with a reason.
    let movements = dump(store.connection(), "stock_movements");
    assert_eq!(movements.len(), movements_before.len() + 2);
    let reversal: (String, i64, String) = store
        .connection()
        .query_row(
            "SELECT kind, quantity, reason FROM stock_movements ORDER BY movement_id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("reversal");
    assert_eq!(
        reversal,
        (
            "receipt".to_owned(),
            -5,
            "undo: Receive all on PO-1 (1 line, 5 units)".to_owned()
        )
    );
    assert_eq!(ledger_sum(&store, "LAMP"), (0, 0));
    // Nothing left to undo; the undone point is remembered as undone.
    assert!(next_undo(&store).expect("next").is_none());
    assert!(matches!(
        undo_last(&mut store, &clock),
        Err(UndoStackError::NothingToUndo)
    ));
}

#[test]
fn apply_all_suggestions_is_undone_for_every_product() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&advice_shop(dir.path())).expect("open");
    let clock = advice_clock();
    let before = dump(store.connection(), "products");
    let ids: Vec<_> = ["QUICK", "SLOW", "LATE"]
        .iter()
        .map(|sku| store.product_id_by_sku(sku).expect("q").expect("id"))
        .collect();
    let changed = undo_stack::apply_advice(&mut store, &ids, &clock).expect("apply");
    assert_eq!(changed.len(), 3);
    let policy = |store: &Store, sku: &str| {
        let id = store.product_id_by_sku(sku).expect("q").expect("id");
        store.product(id).expect("product").data.backorder_policy
    };
    assert_eq!(policy(&store, "QUICK"), BackorderPolicy::Allowed);
    assert_eq!(policy(&store, "LATE"), BackorderPolicy::NotAllowed);
    let point = next_undo(&store).expect("next").expect("point");
    assert_eq!(point.label, "Apply all suggestions (3 products)");
    let report = undo_last(&mut store, &clock).expect("undo");
    assert_eq!(report.counts.restored("products"), 3);
    // Every field of every product as it was (policy and updated_at).
    assert_eq!(dump(store.connection(), "products"), before);
    assert_eq!(policy(&store, "SLOW"), BackorderPolicy::Allowed);
}

#[test]
fn an_undo_that_later_changes_depend_on_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let clock = clock();
    undo_stack::receive_all(&mut store, "PO-1", clock.today(), &clock).expect("receive");
    let orders = order_summaries(store.connection(), OrderFilter::All, "", 100).expect("orders");
    let ann = orders
        .iter()
        .find(|o| o.customer_name == "Ann")
        .expect("Ann");
    // Ann's order ships by hand (not an undoable action): the receipt's stock left with it.
    backorder_desk::app::orders::ship_order(&mut store, ann.order_id, &clock).expect("ship");
    let after = snapshot(store.connection());
    let error = undo_last(&mut store, &clock).expect_err("refused");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "“Receive all on PO-1 (1 line, 5 units)” cannot be undone because later changes depend on it:"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "SKU LAMP, order {} (LAMP) were changed since",
            ann.order_number
        )),
        "{text}"
    );
    assert!(text.ends_with("Nothing was changed."), "{text}");
    assert_eq!(snapshot(store.connection()), after);
}

#[test]
fn ship_reserved_keeps_the_tracking_number_and_is_undone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let clock = clock();
    backorder_desk::app::purchasing::receive(&mut store, "PO-1", None, clock.today(), &clock)
        .expect("receive");
    let orders = order_summaries(store.connection(), OrderFilter::All, "", 100).expect("orders");
    let ann = orders
        .iter()
        .find(|o| o.customer_name == "Ann")
        .expect("Ann")
        .clone();
    let before = snapshot(store.connection());
    let units = undo_stack::ship_order(&mut store, ann.order_id, " 1Z999AA10123456784 ", &clock)
        .expect("ship");
    assert_eq!(units, 3);
    assert_eq!(
        backorder_desk::store::orders::tracking_numbers(store.connection(), ann.order_id)
            .expect("tracking"),
        vec!["1Z999AA10123456784"]
    );
    assert_eq!(ledger_sum(&store, "LAMP"), (2, 2));
    let point = next_undo(&store).expect("next").expect("point");
    assert_eq!(
        point.label,
        format!("Ship reserved units of {}", ann.order_number)
    );
    undo_last(&mut store, &clock).expect("undo");
    assert_eq!(snapshot(store.connection()), before);
    assert_eq!(ledger_sum(&store, "LAMP"), (5, 5));
    assert!(
        backorder_desk::store::orders::tracking_numbers(store.connection(), ann.order_id)
            .expect("tracking")
            .is_empty()
    );
}

#[test]
fn the_command_line_refuses_stock_below_zero_without_allow_negative() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cli.sqlite");
    let added = desk(
        &path,
        &[
            "add-product",
            "--sku",
            "MUG-1",
            "--name",
            "Blue mug",
            "--stock",
            "1",
        ],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let refused = desk(&path, &["adjust", "MUG-1", "-50", "--reason", "Damaged"]);
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "error: MUG-1: 1 on hand and a change of -50 would leave -49; stock cannot go below zero, so nothing was changed. Check the count; if the stock count was wrong, record it anyway (in the window: \"Record anyway (stock count was wrong)\"; on the command line: --allow-negative)"
    );
    let store = Store::open(&path).expect("open");
    assert_eq!(ledger_sum(&store, "MUG-1"), (1, 1));
    drop(store);
    let recorded = desk(
        &path,
        &[
            "adjust",
            "MUG-1",
            "-50",
            "--reason",
            "Damaged",
            "--allow-negative",
        ],
    );
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    assert!(String::from_utf8_lossy(&recorded.stdout).contains("on hand now -49"));
    let store = Store::open(&path).expect("open");
    assert_eq!(ledger_sum(&store, "MUG-1"), (-49, -49));
}

#[test]
fn skus_are_unique_ignoring_letter_case_in_the_store_the_command_line_and_imports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.sqlite");
    ok(
        &path,
        &["add-product", "--sku", "HOM-00188", "--name", "Doormat"],
    );
    let refused = desk(
        &path,
        &["add-product", "--sku", "hom-00188", "--name", "Doormat 2"],
    );
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "error: SKU 'hom-00188' differs from the existing SKU 'HOM-00188' only in letter case, and SKUs are unique ignoring case: use 'HOM-00188' (edit that product) or choose another SKU. Nothing was saved"
    );
    // An import row names the existing SKU; the other rows are imported.
    let file = dir.path().join("products.csv");
    std::fs::write(
        &file,
        "sku,name,price\nhom-00188,Doormat again,5.00\nHOM-00200,Umbrella stand,9.00\n",
    )
    .expect("write");
    let output = desk(
        &path,
        &[
            "import",
            "products",
            file.to_str().expect("utf-8"),
            "--valid-only",
        ],
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains(
            "value 'hom-00188' — is SKU 'HOM-00188' of the shop in other letter case; write it as 'HOM-00188' to update that product"
        ),
        "{text}"
    );
    let store = Store::open(&path).expect("open");
    let skus: Vec<String> = store
        .connection()
        .prepare("SELECT sku FROM products ORDER BY sku")
        .expect("q")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(skus, vec!["HOM-00188", "HOM-00200"]);
}

#[test]
fn a_supplier_typo_does_not_create_a_supplier() {
    use backorder_desk::app::purchasing::{PoInput, create_po_checked};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let clock = clock();
    let input = PoInput {
        po_number: "PO-2".into(),
        supplier: "Acne".into(),
        ordered_at: None,
        expected_at: None,
        confirmed: false,
        lines: vec![("LAMP".into(), 2, None)],
    };
    let error = create_po_checked(&mut store, &input, false, &clock).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "There is no supplier 'Acne'; did you mean 'Acme'? Choose one from the list, or choose \"New supplier…\" to add it. The purchase order was not saved"
    );
    assert_eq!(store.supplier_names().expect("names"), vec!["Acme"]);
    // Chosen on purpose, a new supplier is added.
    create_po_checked(&mut store, &input, true, &clock).expect("created");
    assert_eq!(store.supplier_names().expect("names"), vec!["Acme", "Acne"]);
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("extract text")
}

#[test]
fn a_saved_pick_list_reprints_exactly_as_it_was_made() {
    use backorder_desk::app::picklist::{
        PickListRequest, create_pick_list, document_settings, load_pick_list, mark_picked,
        pick_list_pdf,
    };
    use backorder_desk::domain::picklist::{Paper, PickLayout};
    for layout in [PickLayout::ByOrder, PickLayout::BySku] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&shop(dir.path())).expect("open");
        let clock = clock();
        // 5 arrive: Ann's 3 are reserved, 2 of Bo's 4 (2 stay backordered, with a window).
        backorder_desk::app::purchasing::receive(&mut store, "PO-1", None, clock.today(), &clock)
            .expect("receive");
        let settings = document_settings(&store).expect("settings");
        let sheet = create_pick_list(
            &mut store,
            &PickListRequest {
                layout,
                orders: None,
            },
            &clock,
        )
        .expect("pick list");
        let printed = pdf_text(&pick_list_pdf(&sheet, &settings, layout, Paper::A4).expect("pdf"));
        // The list is picked (Bo's line now has 2 open, not 4) and the product renamed.
        mark_picked(&mut store, &sheet.list_number, &clock).expect("picked");
        store
            .connection()
            .execute(
                "UPDATE products SET name = 'Renamed lamp', location = 'Z-9'",
                [],
            )
            .expect("rename");
        let again = load_pick_list(&store, &sheet.list_number).expect("load");
        let reprinted =
            pdf_text(&pick_list_pdf(&again, &settings, layout, Paper::A4).expect("pdf"));
        assert_eq!(reprinted, printed, "{layout:?}");
        assert!(printed.contains("Brass lamp"), "{printed}");
    }
}

#[test]
fn the_reorder_point_is_whole_units_in_the_rule_and_on_screen() {
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::app::safety::reorder_suggestions;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&safety_shop::shop(dir.path())).expect("open");
    let clock = safety_shop::clock();
    // LAMP: ROP 1.7730 exactly (tests/safety.rs), 2 in whole units. 6 found: the 4 waiting
    // are filled and 2 stay available, a stock position of 2 — at the reorder point.
    let lamp = store.product_id_by_sku("LAMP").expect("q").expect("id");
    backorder_desk::app::catalog::adjust_stock(&mut store, lamp, 6, "Found", &clock)
        .expect("adjust");
    let report = reorder_suggestions(&store, clock.today(), &Progress::default()).expect("report");
    let suggestion = report
        .suggestions
        .iter()
        .find(|s| s.sku == "LAMP")
        .expect("2 ≤ 2: reorder (2 > 1.773 did not)");
    assert_eq!(
        backorder_desk::domain::safety_stock::round_up_units(suggestion.reorder_point),
        2
    );
    // Order up to ⌈12.1724⌉ = 13 from 2.
    assert_eq!(suggestion.suggested_quantity, 11);
}
