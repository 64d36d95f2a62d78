//! The store against real SQLite files.

use std::path::Path;

use backorder_desk::app::Clock;
use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::jobs::Progress;
use backorder_desk::domain::{BackorderPolicy, ProductDraft, StockStatus};
use backorder_desk::store::{
    APPLICATION_ID, BULK_ORDER_INDEXES, DeleteOutcome, KPI_TRIGGER_PREFIX, Store, StoreError,
    latest_version,
};
use chrono::NaiveDate;

const NOW: &str = "2026-03-01 10:00:00";

fn draft(sku: &str, name: &str) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        name: name.into(),
        price: "9.99".into(),
        supplier: "Northwind".into(),
        lead_time_days: "10".into(),
        ..ProductDraft::default()
    }
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
    (dir, store)
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

#[test]
fn creates_a_new_file_with_the_latest_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/folder/shop.sqlite");
    let store = Store::open(&path).expect("open");
    assert!(path.exists());
    assert_eq!(store.schema_version().expect("version"), latest_version());
    let conn = store.connection();
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("app id");
    assert_eq!(app_id, APPLICATION_ID);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("fk");
    assert_eq!(foreign_keys, 1);
    for table in [
        "settings",
        "suppliers",
        "products",
        "customers",
        "orders",
        "order_lines",
        "purchase_orders",
        "po_lines",
        "po_date_changes",
        "stock_movements",
    ] {
        let exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )
            .expect("query");
        assert!(exists, "table {table} is missing");
    }
    assert!(store.needs_onboarding().expect("onboarding"));
    drop(store);
    // Reopening an up-to-date file changes nothing and works.
    let again = Store::open(&path).expect("reopen");
    assert_eq!(again.schema_version().expect("version"), latest_version());
}

#[test]
fn refuses_a_file_from_a_newer_version_and_leaves_it_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.sqlite");
    {
        let store = Store::open(&path).expect("open");
        store
            .connection()
            .pragma_update(None, "user_version", latest_version() + 5)
            .expect("bump");
        store
            .connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
    }
    let before = bytes(&path);
    let error = Store::open(&path).expect_err("must refuse");
    match &error {
        StoreError::NewerVersion {
            found, supported, ..
        } => {
            assert_eq!(*found, latest_version() + 5);
            assert_eq!(*supported, latest_version());
        }
        other => panic!("wrong error: {other:?}"),
    }
    assert!(error.to_string().contains("newer version"), "{error}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn refuses_a_garbage_file_without_changing_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.sqlite");
    let garbage = b"These are my shop notes, not a database.\n".repeat(200);
    std::fs::write(&path, &garbage).expect("write");
    let error = Store::open(&path).expect_err("must refuse");
    assert!(matches!(error, StoreError::NotSqlite { .. }), "{error:?}");
    assert!(error.to_string().contains("not changed"), "{error}");
    assert_eq!(bytes(&path), garbage);
    assert!(!dir.path().join("notes.sqlite-wal").exists());
}

#[test]
fn refuses_a_truncated_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("short.sqlite");
    std::fs::write(&path, b"SQLite fo").expect("write");
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotSqlite { .. })
    ));
    assert_eq!(bytes(&path), b"SQLite fo");
}

#[test]
fn refuses_another_programs_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
            .expect("create");
    }
    let before = bytes(&path);
    let error = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(error, StoreError::ForeignDatabase { .. }),
        "{error:?}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn refuses_a_corrupt_file_without_changing_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.sqlite");
    {
        let store = Store::open(&path).expect("open");
        store
            .connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
    }
    let mut data = bytes(&path);
    // Scribble over the schema table on page 1, after the 100-byte file header.
    for byte in &mut data[100..600] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &data).expect("write");
    let error = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(
            error,
            StoreError::Corrupt { .. } | StoreError::NotSqlite { .. }
        ),
        "{error:?}"
    );
    assert_eq!(bytes(&path), data);
}

#[test]
fn ledger_sum_equals_on_hand_after_adjustments() {
    let (_dir, mut store) = fresh();
    let data = draft("MUG-1", "Blue mug").validate().expect("valid");
    let product_id = store.insert_product(&data, 10, NOW).expect("insert");
    assert_eq!(
        store
            .adjust_stock(product_id, -3, "Damaged", NOW)
            .expect("adjust"),
        7
    );
    assert_eq!(
        store
            .adjust_stock(product_id, 5, "Stock count", NOW)
            .expect("adjust"),
        12
    );
    assert!(
        store.adjust_stock(product_id, 2, "  ", NOW).is_err(),
        "a reason is required"
    );
    assert!(store.adjust_stock(product_id, 0, "x", NOW).is_err());

    let record = store.product(product_id).expect("product");
    assert_eq!(record.on_hand, 12);
    let ledger: i64 = store
        .connection()
        .query_row(
            "SELECT SUM(quantity) FROM stock_movements WHERE product_id = ?1",
            [product_id.0],
            |r| r.get(0),
        )
        .expect("sum");
    assert_eq!(ledger, 12);
    assert!(store.ledger_mismatches().expect("check").is_empty());
    let movements = store.movements(product_id, 10).expect("movements");
    let reasons: Vec<_> = movements
        .iter()
        .map(|m| (m.quantity, m.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![(5, "Stock count"), (-3, "Damaged"), (10, "Opening stock")]
    );

    // A cached value that disagrees with the ledger is reported.
    store
        .connection()
        .execute("UPDATE products SET on_hand = 99", [])
        .expect("tamper");
    let mismatches = store.ledger_mismatches().expect("check");
    assert_eq!(mismatches.len(), 1);
    assert_eq!((mismatches[0].cached, mismatches[0].ledger), (99, 12));
}

#[test]
fn products_are_added_edited_and_deleted_or_archived() {
    let (_dir, mut store) = fresh();
    let plain = store
        .insert_product(&draft("A-1", "Plain").validate().expect("valid"), 0, NOW)
        .expect("insert");
    let stocked = store
        .insert_product(&draft("A-2", "Stocked").validate().expect("valid"), 4, NOW)
        .expect("insert");
    let duplicate = store.insert_product(&draft("A-1", "Again").validate().expect("valid"), 0, NOW);
    assert!(matches!(duplicate, Err(StoreError::Invalid(_))));

    let mut edited = draft("A-1", "Plain, renamed");
    edited.backorder_policy = BackorderPolicy::Preorder;
    edited.supplier = "Fjord Textiles".into();
    store
        .update_product(plain, &edited.validate().expect("valid"), NOW)
        .expect("update");
    let record = store.product(plain).expect("product");
    assert_eq!(record.data.name, "Plain, renamed");
    assert_eq!(record.data.backorder_policy, BackorderPolicy::Preorder);
    assert_eq!(record.data.supplier, "Fjord Textiles");
    // Renaming onto another product's SKU is refused.
    assert!(
        store
            .update_product(plain, &draft("A-2", "x").validate().expect("valid"), NOW)
            .is_err()
    );

    assert_eq!(
        store.delete_product(plain, NOW).expect("delete"),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        store.delete_product(stocked, NOW).expect("delete"),
        DeleteOutcome::Archived
    );
    assert!(store.catalog().expect("catalog").is_empty());
    // The archived product and its history are still there.
    let archived = store.product(stocked).expect("still stored");
    assert!(archived.archived);
    assert_eq!(archived.on_hand, 4);
    // Its SKU cannot be reused by accident.
    let reuse = store.insert_product(&draft("A-2", "New").validate().expect("valid"), 0, NOW);
    assert!(reuse.expect_err("refused").to_string().contains("archived"));
}

#[test]
fn demo_shop_is_consistent_and_deterministic() {
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"));
    let spec = DemoSpec {
        products: 120,
        order_lines: 2_000,
        seed: 42,
    };
    let mut exports = Vec::new();
    for _ in 0..2 {
        let (dir, mut store) = fresh();
        let summary = load_demo(&mut store, spec, &clock, &Progress::default()).expect("demo");
        assert_eq!(summary.products, 120);
        assert!(summary.order_lines >= 1_900, "{summary:?}");
        assert!(summary.backordered_lines > 0, "{summary:?}");
        assert!(summary.purchase_orders > 0);
        store.integrity_check().expect("integrity");
        assert!(store.ledger_mismatches().expect("ledger").is_empty());
        assert!(!store.needs_onboarding().expect("onboarding"));

        let rows = store.catalog().expect("catalog");
        assert_eq!(rows.len(), 120);
        let statuses: std::collections::HashSet<_> = rows
            .iter()
            .map(backorder_desk::store::CatalogRow::status)
            .collect();
        for status in [StockStatus::InStock, StockStatus::Backordered] {
            assert!(statuses.contains(&status), "no {status:?} in the demo");
        }
        for row in &rows {
            // Never more reserved than on hand.
            assert!(
                row.figures.reserved <= row.figures.on_hand.max(0),
                "{row:?}"
            );
        }
        // Reserved + waiting = ordered − shipped − cancelled on every open line.
        let broken: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM order_lines
                 WHERE reserved_qty + shipped_qty + cancelled_qty > quantity",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(broken, 0);

        // A second demo into the same shop is refused and writes nothing.
        let again = load_demo(&mut store, spec, &clock, &Progress::default());
        assert!(again.is_err());
        assert_eq!(store.catalog().expect("catalog").len(), 120);

        let export = dir.path().join("products.csv");
        backorder_desk::app::catalog::export_products(&store, &export).expect("export");
        exports.push(bytes(&export));
    }
    assert_eq!(exports[0], exports[1], "same seed, same shop");
}

#[test]
fn cancelled_demo_writes_nothing() {
    let (_dir, mut store) = fresh();
    let progress = Progress::default();
    progress.request_cancel();
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"));
    let result = load_demo(&mut store, DemoSpec::default(), &clock, &progress);
    assert!(result.is_err());
    assert_eq!(store.product_count().expect("count"), 0);
}

/// Indexes and triggers as the file holds them: (type, name, sql), in creation order.
fn schema_text(conn: &rusqlite::Connection) -> Vec<(String, String, String)> {
    let mut statement = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema
              WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
        )
        .expect("sql");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("schema")
        .collect::<Result<_, _>>()
        .expect("schema")
}

#[test]
fn a_large_load_makes_its_indexes_and_triggers_again_from_the_files_own_text() {
    use backorder_desk::store::imports::{create_order_indexes, drop_order_indexes};
    use backorder_desk::store::kpi_rollup::{resume_tracking, suspend_tracking};
    let (_dir, mut store) = fresh();
    // A trigger whose text differs from every statement in the code (same meaning, another
    // spelling): what is made again must be the file's text, not a copy kept elsewhere.
    let conn = store.connection();
    let (sql,): (String,) = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'kpi_line_inserted'",
            [],
            |row| Ok((row.get(0)?,)),
        )
        .expect("trigger");
    let respelled = sql.replacen("BEGIN", "BEGIN\n    -- as this file has it", 1);
    conn.execute_batch(&format!("DROP TRIGGER kpi_line_inserted; {respelled}"))
        .expect("respelled");
    let before = schema_text(conn);
    assert!(before.iter().any(|(_, _, sql)| sql == &respelled));
    let tx = store.transaction().expect("transaction");
    let indexes = drop_order_indexes(&tx).expect("drop indexes");
    let triggers = suspend_tracking(&tx).expect("drop triggers");
    let names: Vec<&str> = indexes
        .objects()
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(names, BULK_ORDER_INDEXES);
    assert_eq!(triggers.objects().len(), 25);
    let during = schema_text(&tx);
    assert!(
        during.iter().all(|(kind, name, _)| match kind.as_str() {
            "trigger" => !name.starts_with(KPI_TRIGGER_PREFIX),
            _ => !BULK_ORDER_INDEXES.contains(&name.as_str()),
        }),
        "{during:?}"
    );
    create_order_indexes(&tx, &indexes).expect("indexes again");
    resume_tracking(&tx, &triggers).expect("triggers again");
    let mut after = schema_text(&tx);
    tx.commit().expect("commit");
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(after, before);
}

// ---------------------------------------------------------------------------------------------
// Undo an import

mod undo {
    use std::path::{Path, PathBuf};

    use backorder_desk::app::Clock;
    use backorder_desk::app::catalog::{adjust_stock, save_product};
    use backorder_desk::app::import::{ImportKind, ImportReport, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::app::orders::{OrderInput, cancel_order, place_order, ship_order};
    use backorder_desk::app::picklist::{PickListRequest, create_pick_list};
    use backorder_desk::app::purchasing::{PoInput, create_po, receive};
    use backorder_desk::app::undo::{UndoError, plan_undo, undo_import};
    use backorder_desk::domain::ProductDraft;
    use backorder_desk::domain::allocation::Priority;
    use backorder_desk::domain::order::ShipPreference;
    use backorder_desk::domain::picklist::PickLayout;
    use backorder_desk::store::Store;
    use backorder_desk::store::orders::order_id_by_number;
    use chrono::NaiveDate;

    fn clock() -> Clock {
        Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"))
    }

    /// A shop with LAMP (10 on hand) and MUG (nothing on hand), both from Acme.
    fn shop() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
        for (sku, name, stock) in [("LAMP", "Brass lamp", 10), ("MUG", "Blue mug", 0)] {
            let draft = ProductDraft {
                sku: sku.into(),
                name: name.into(),
                price: "20.00".into(),
                supplier: "Acme".into(),
                lead_time_days: "10".into(),
                ..ProductDraft::default()
            };
            save_product(&mut store, None, &draft, stock, &clock()).expect("product");
        }
        (dir, store)
    }

    fn import(
        store: &mut Store,
        dir: &Path,
        kind: ImportKind,
        name: &str,
        text: &str,
    ) -> ImportReport {
        let path: PathBuf = dir.join(name);
        std::fs::write(&path, text).expect("write csv");
        let request = ImportRequest::new(kind, path);
        let report = run_import(store, &request, &clock(), &Progress::default()).expect("import");
        assert!(report.written, "{:?}", report.summary.errors);
        report
    }

    const PRODUCTS: &str = "sku,name,price,on_hand,supplier\n\
                            LAMP,Brass lamp,25.00,12,Acme\n\
                            BOWL,Stone bowl,8.00,5,Fresh Goods\n";

    const ORDERS: &str = "order_number,ordered_at,customer_name,customer_email,sku,quantity\n\
                          IMP-1,2026-02-20 09:00:00,Ann,ann@example.com,LAMP,2\n\
                          IMP-2,2026-02-21 09:00:00,Bo,bo@example.com,MUG,1\n";

    fn refusal(store: &Store) -> String {
        match plan_undo(store, None) {
            Err(error @ UndoError::Blocked { .. }) => error.to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn order_input(sku: &str, quantity: i64) -> OrderInput {
        OrderInput {
            order_number: String::new(),
            customer_name: "Cy".into(),
            customer_email: "cy@example.com".into(),
            ordered_at: None,
            priority: Priority::Normal,
            ship: ShipPreference::Partial,
            lines: vec![(sku.into(), quantity)],
        }
    }

    #[test]
    fn a_products_import_is_taken_back_whole() {
        let (dir, mut store) = shop();
        let report = import(
            &mut store,
            dir.path(),
            ImportKind::Products,
            "p.csv",
            PRODUCTS,
        );
        let batch = report.batch_id.expect("recorded");
        let lamp = store
            .catalog_row_by_sku("LAMP")
            .expect("read")
            .expect("lamp");
        assert_eq!((lamp.price_cents, lamp.figures.on_hand), (2500, 12));

        let plan = plan_undo(&store, None).expect("can be undone");
        assert_eq!(plan.batch.batch_id, batch);
        assert_eq!(
            plan.effects(),
            [
                "removes 1 product it added",
                "gives 1 product it changed their earlier values",
                "takes back 2 stock changes (-7 units on hand)",
                "removes 1 supplier used by nothing else",
            ]
        );
        let done = undo_import(&mut store, None, &clock()).expect("undone");
        assert_eq!(
            done.counts.suppliers_removed, 1,
            "Fresh Goods came with the import"
        );
        // The shop file was backed up before the undo.
        let reasons: Vec<_> = backorder_desk::store::backup::list_backups(store.path())
            .expect("backups")
            .iter()
            .map(|backup| backup.reason)
            .collect();
        assert!(
            reasons.contains(&backorder_desk::domain::backup::BackupReason::Undo),
            "{reasons:?}"
        );
        let lamp = store
            .catalog_row_by_sku("LAMP")
            .expect("read")
            .expect("lamp");
        assert_eq!((lamp.price_cents, lamp.figures.on_hand), (2000, 10));
        assert!(store.catalog_row_by_sku("BOWL").expect("read").is_none());
        assert_eq!(store.supplier_names().expect("suppliers"), ["Acme"]);
        assert!(store.ledger_mismatches().expect("ledger").is_empty());
        assert!(matches!(
            undo_import(&mut store, Some(batch), &clock()),
            Err(UndoError::AlreadyUndone { .. })
        ));
        assert!(matches!(
            plan_undo(&store, None),
            Err(UndoError::NothingToUndo)
        ));
    }

    #[test]
    fn later_stock_moves_edits_and_orders_refuse_a_products_undo() {
        let (dir, mut store) = shop();
        import(
            &mut store,
            dir.path(),
            ImportKind::Products,
            "p.csv",
            PRODUCTS,
        );
        let bowl = store
            .product_id_by_sku("BOWL")
            .expect("read")
            .expect("bowl");
        adjust_stock(&mut store, bowl, -1, "Broken", &clock()).expect("adjust");
        let text = refusal(&store);
        assert!(
            text.contains("SKU BOWL had stock shipped, received or adjusted after the import"),
            "{text}"
        );

        let (dir, mut store) = shop();
        let report = import(
            &mut store,
            dir.path(),
            ImportKind::Products,
            "p.csv",
            PRODUCTS,
        );
        let lamp = store
            .product_id_by_sku("LAMP")
            .expect("read")
            .expect("lamp");
        let same = ProductDraft {
            sku: "LAMP".into(),
            name: "Brass lamp".into(),
            price: "25.00".into(),
            supplier: "Acme".into(),
            lead_time_days: "10".into(),
            ..ProductDraft::default()
        };
        // Saving the form unchanged is not an edit.
        save_product(&mut store, Some(lamp), &same, 0, &clock()).expect("saved");
        plan_undo(&store, None).expect("still undoable");
        let edited = ProductDraft {
            price: "30.00".into(),
            ..same
        };
        save_product(&mut store, Some(lamp), &edited, 0, &clock()).expect("edited");
        let text = refusal(&store);
        assert!(
            text.contains("SKU LAMP was edited after the import"),
            "{text}"
        );
        let batch = report.batch_id.expect("recorded");
        assert!(
            text.starts_with(&format!(
                "Import {batch} (p.csv, 2026-03-01 12:00) cannot be undone"
            )),
            "{text}"
        );

        let (dir, mut store) = shop();
        import(
            &mut store,
            dir.path(),
            ImportKind::Products,
            "p.csv",
            PRODUCTS,
        );
        place_order(&mut store, &order_input("BOWL", 1), &clock()).expect("order");
        let text = refusal(&store);
        assert!(
            text.contains("SKU BOWL was ordered after the import"),
            "{text}"
        );
        // Nothing was changed by the refused attempt.
        assert!(undo_import(&mut store, None, &clock()).is_err());
        assert!(store.catalog_row_by_sku("BOWL").expect("read").is_some());
    }

    #[test]
    fn imported_orders_go_and_their_stock_goes_to_the_next_in_line() {
        let (dir, mut store) = shop();
        // Cy waits for 2 mugs; the imported IMP-2 (older) waits for 1.
        let cy = place_order(&mut store, &order_input("MUG", 2), &clock()).expect("order");
        import(&mut store, dir.path(), ImportKind::Orders, "o.csv", ORDERS);
        let po = PoInput {
            po_number: "PO-1".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: NaiveDate::from_ymd_opt(2026, 3, 5),
            confirmed: false,
            lines: vec![("MUG".into(), 2, None)],
        };
        create_po(&mut store, &po, &clock()).expect("po");
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let received = receive(&mut store, "PO-1", None, date, &clock()).expect("received");
        // The older imported order got its mug first; Cy got the other one.
        let got: Vec<(&str, i64)> = received
            .allocated
            .iter()
            .map(|a| (a.order_number.as_str(), a.quantity))
            .collect();
        assert_eq!(got, [("IMP-2", 1), (cy.0.order_number.as_str(), 1)]);

        let plan = plan_undo(&store, None).expect("undoable: a receipt does not depend on orders");
        assert_eq!(
            plan.effects(),
            [
                "removes 2 orders (2 lines)",
                "removes 2 customers with no other orders"
            ]
        );
        let done = undo_import(&mut store, None, &clock()).expect("undone");
        let moved: Vec<(&str, i64)> = done
            .allocated
            .iter()
            .map(|a| (a.order_number.as_str(), a.quantity))
            .collect();
        assert_eq!(
            moved,
            [(cy.0.order_number.as_str(), 1)],
            "IMP-2's mug went to Cy"
        );
        assert!(
            order_id_by_number(store.connection(), "IMP-1")
                .expect("read")
                .is_none()
        );
        let lamp = store
            .catalog_row_by_sku("LAMP")
            .expect("read")
            .expect("lamp");
        assert_eq!(lamp.figures.reserved, 0, "IMP-1's reservation is gone");
    }

    #[test]
    fn shipping_cancelling_or_picking_an_imported_order_refuses_the_undo() {
        let (dir, mut store) = shop();
        import(&mut store, dir.path(), ImportKind::Orders, "o.csv", ORDERS);
        let imp1 = order_id_by_number(store.connection(), "IMP-1")
            .expect("read")
            .expect("imported");
        ship_order(&mut store, imp1, &clock()).expect("shipped");
        let text = refusal(&store);
        assert!(
            text.contains("order IMP-1 was shipped or cancelled after the import"),
            "{text}"
        );
        assert!(
            text.contains("order IMP-1 had stock shipped after the import"),
            "{text}"
        );

        let (dir, mut store) = shop();
        import(&mut store, dir.path(), ImportKind::Orders, "o.csv", ORDERS);
        for number in ["IMP-1", "IMP-2"] {
            let order = order_id_by_number(store.connection(), number)
                .expect("read")
                .expect("imported");
            cancel_order(&mut store, order, &clock()).expect("cancelled");
        }
        let text = refusal(&store);
        assert!(
            text.contains("order IMP-1, order IMP-2 were shipped or cancelled after the import"),
            "{text}"
        );

        let (dir, mut store) = shop();
        import(&mut store, dir.path(), ImportKind::Orders, "o.csv", ORDERS);
        let request = PickListRequest {
            layout: PickLayout::ByOrder,
            orders: None,
        };
        let sheet = create_pick_list(&mut store, &request, &clock()).expect("pick list");
        let text = refusal(&store);
        assert!(
            text.contains(&format!(
                "order IMP-1 (pick list {}) is on a pick list",
                sheet.list_number
            )),
            "{text}"
        );
    }

    #[test]
    fn a_received_purchase_order_refuses_and_later_imports_come_first() {
        let (dir, mut store) = shop();
        let pos = "po_number,supplier,sku,quantity,ordered_at,expected_at\n\
                   IMP-PO-1,Acme,MUG,4,2026-02-25,2026-03-10\n";
        import(
            &mut store,
            dir.path(),
            ImportKind::PurchaseOrders,
            "po.csv",
            pos,
        );
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        receive(&mut store, "IMP-PO-1", Some(("MUG", 1)), date, &clock()).expect("received");
        let text = refusal(&store);
        assert!(
            text.contains(
                "IMP-PO-1 was received, re-dated, confirmed or cancelled after the import"
            ),
            "{text}"
        );

        let (dir, mut store) = shop();
        let first = import(
            &mut store,
            dir.path(),
            ImportKind::PurchaseOrders,
            "po.csv",
            pos,
        );
        let second = import(&mut store, dir.path(), ImportKind::Orders, "o.csv", ORDERS);
        let error = undo_import(&mut store, first.batch_id, &clock()).expect_err("refused");
        assert!(
            error.to_string().contains(&format!(
                "Import {} (o.csv, 2026-03-01 12:00) came after import {} (po.csv, 2026-03-01 12:00): undo the later import first",
                second.batch_id.expect("recorded"),
                first.batch_id.expect("recorded")
            )),
            "{error}"
        );
        undo_import(&mut store, None, &clock()).expect("the orders go first");
        let done = undo_import(&mut store, None, &clock()).expect("then the purchase order");
        assert_eq!(done.effects(), ["removed 1 purchase order (1 line)"]);
        // An import that changes nothing is not recorded.
        let again = import(
            &mut store,
            dir.path(),
            ImportKind::Products,
            "same.csv",
            "sku,name\nLAMP,Brass lamp\n",
        );
        assert_eq!((again.unchanged, again.batch_id), (1, None));
    }
}

// ---------------------------------------------------------------------------------------------
// CHECK constraints without `IN (…)` lists (migration 14)

/// Tables whose CREATE text still holds an `IN (` list (SQLite evaluates one per row written).
fn tables_with_in_lists(conn: &rusqlite::Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (%'")
        .expect("sql");
    statement
        .query_map([], |row| row.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables")
}

/// Each statement must fail on a CHECK constraint.
fn refused(conn: &rusqlite::Connection, statements: &[&str]) {
    for sql in statements {
        let error = conn.execute_batch(sql).expect_err(sql);
        assert!(
            error.to_string().contains("CHECK constraint failed"),
            "{sql}: {error}"
        );
    }
}

#[test]
fn an_older_shop_gets_the_cheaper_checks_and_they_refuse_the_same_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    backorder_desk::store::create_at_version(&path, 13).expect("version 13 file");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        assert!(
            !tables_with_in_lists(&conn).is_empty(),
            "version 13 had IN lists"
        );
        conn.execute_batch(
            "INSERT INTO customers (customer_id, name, email) VALUES (1, 'Ada', 'ada@example.com');
             INSERT INTO products (product_id, sku, name, created_at, updated_at)
                  VALUES (1, 'LAMP', 'Lamp', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO orders (order_id, order_number, customer_id, ordered_at, status)
                  VALUES (1, 'SO-1', 1, '2026-01-02 09:00:00', 'open');
             INSERT INTO order_lines (order_id, line_no, product_id, quantity)
                  VALUES (1, 1, 1, 2);",
        )
        .expect("rows of the old version");
    }
    let store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), latest_version());
    let conn = store.connection();
    assert_eq!(tables_with_in_lists(conn), Vec::<String>::new());
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    let kept: (String, i64) = conn
        .query_row(
            "SELECT o.order_number, l.quantity FROM orders o JOIN order_lines l USING (order_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the old rows");
    assert_eq!(kept, ("SO-1".to_owned(), 2));

    refused(
        conn,
        &[
            "UPDATE orders SET status = 'lost'",
            "UPDATE orders SET priority = 2",
            "UPDATE orders SET ship_complete = -1",
            "UPDATE orders SET payment_state = 'pending'",
            "UPDATE order_lines SET cancel_reason = 'bored'",
            "UPDATE products SET backorder_policy = 'maybe'",
            "UPDATE products SET archived = 3",
            "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
                  VALUES (1, 'theft', -1, '', '2026-01-03 00:00:00')",
        ],
    );
    // Every listed value is still accepted.
    conn.execute_batch(
        "UPDATE orders SET status = 'cancelled', priority = 1, ship_complete = 1,
                          payment_state = 'captured';
         UPDATE order_lines SET cancel_reason = 'too_long';
         UPDATE order_lines SET cancel_reason = NULL;
         UPDATE products SET backorder_policy = 'preorder', archived = 1;",
    )
    .expect("allowed values");

    // The partial index of payments is spelled the same way and still used.
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT order_id FROM orders
              WHERE (payment_state = 'authorized' OR payment_state = 'failed'
                     OR payment_state = 'captured')",
            [],
            |r| r.get(3),
        )
        .expect("plan");
    assert!(plan.contains("orders_payment"), "{plan}");
}

#[test]
fn a_new_shop_has_no_in_lists_in_its_checks() {
    let (_dir, store) = fresh();
    assert_eq!(
        tables_with_in_lists(store.connection()),
        Vec::<String>::new()
    );
}

#[test]
fn an_older_shop_gets_stock_tracking_shop_identities_and_count_movements() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    // Version 14: the schema before tracking, identities and count movements.
    backorder_desk::store::create_at_version(&path, 14).expect("older file");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        conn.execute_batch(
            "INSERT INTO products (product_id, sku, name, created_at, updated_at)
                  VALUES (1, 'LAMP', 'Lamp', '2026-01-01 00:00:00', '2026-01-01 00:00:00');",
        )
        .expect("a product of the old version");
        let refused = conn.execute_batch(
            "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
                  VALUES (1, 'count', 3, 'Count', '2026-01-02 00:00:00')",
        );
        assert!(refused.is_err(), "the old version had no count movements");
    }
    let store = Store::open(&path).expect("migrates");
    let conn = store.connection();
    // Existing products are tracked, with no shop identity.
    let row = store
        .catalog_row_by_sku("LAMP")
        .expect("query")
        .expect("product");
    assert!(row.track_stock && !row.sku_derived && row.identity.is_none());
    assert_eq!(row.sale_price_cents, None);
    // Count movements and inventory batches are taken; other kinds still are not.
    conn.execute_batch(
        "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
              VALUES (1, 'count', 3, 'Count from inventory.csv', '2026-01-02 00:00:00');
         UPDATE products SET on_hand = 3 WHERE product_id = 1;
         INSERT INTO import_batches (batch_id, kind, file_name, imported_at, id_ranges)
              VALUES (1, 'inventory', 'inventory.csv', '2026-01-02 00:00:00', '{}');",
    )
    .expect("new kinds");
    refused(
        conn,
        &[
            "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
                  VALUES (1, 'theft', -1, '', '2026-01-03 00:00:00')",
            "INSERT INTO import_batches (batch_id, kind, file_name, imported_at, id_ranges)
                  VALUES (2, 'stock', 'x.csv', '2026-01-02 00:00:00', '{}')",
            "UPDATE products SET track_stock = 2",
            "UPDATE products SET sale_price_cents = -1",
            "UPDATE products SET shop_platform = 'etsy'",
        ],
    );
    assert_eq!(tables_with_in_lists(conn), Vec::<String>::new());
    // One product per shop identity.
    conn.execute_batch(
        "INSERT INTO products (product_id, sku, name, created_at, updated_at, shop_platform, shop_key)
              VALUES (2, 'a', 'A', '2026-01-01', '2026-01-01', 'shopify', 'shirt/XS');",
    )
    .expect("identity");
    let twice = conn.execute_batch(
        "INSERT INTO products (product_id, sku, name, created_at, updated_at, shop_platform, shop_key)
              VALUES (3, 'b', 'B', '2026-01-01', '2026-01-01', 'shopify', 'shirt/XS');",
    );
    assert!(twice.is_err(), "two products with one shop identity");
    assert!(store.ledger_mismatches().expect("ledger").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Triggers under every conflict clause of the statement that fires them

/// `(event, table)` of a trigger, read from its CREATE text (`AFTER INSERT ON t`,
/// `AFTER UPDATE OF … ON t`, `AFTER DELETE ON t`).
fn trigger_target(sql: &str) -> (String, String) {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let after = flat.split(" AFTER ").nth(1).expect("an AFTER trigger");
    let event = after.split(' ').next().expect("event").to_owned();
    let table = after
        .split(" ON ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("table")
        .to_owned();
    (event, table)
}

/// Statements that fire every trigger of the schema at least twice for one key (two lines of one
/// past order day, two orders of that day, two movements and two promise rows of one closed
/// order), each written with `conflict` (`OR FAIL`, `OR ABORT`, …) as the outer statement's
/// conflict clause. Returns the `(event, table)` pairs they fire.
fn fire_every_trigger(conn: &rusqlite::Connection, conflict: &str) -> Vec<(String, String)> {
    let or = |verb: &str| format!("{verb} OR {conflict}");
    let insert = or("INSERT");
    let update = or("UPDATE");
    let statements = [
        format!(
            "{insert} INTO orders (order_id, order_number, customer_id, ordered_at, status, closed_at)
             VALUES (11, 'SO-11', 1, '2026-02-10 09:00:00', 'shipped', '2026-02-11 09:00:00'),
                    (12, 'SO-12', 1, '2026-02-10 10:00:00', 'open', NULL),
                    (13, 'SO-13', 1, '2026-02-10 11:00:00', 'open', NULL)"
        ),
        format!(
            "{insert} INTO order_lines (line_id, order_id, line_no, product_id, quantity)
             VALUES (21, 11, 1, 1, 2), (22, 11, 2, 1, 3), (23, 12, 1, 1, 1), (24, 13, 1, 1, 1)"
        ),
        // Two lines of one day, and a line moved between two orders of that day.
        format!("{update} order_lines SET cancelled_qty = 1 WHERE line_id IN (21, 22)"),
        format!("{update} order_lines SET order_id = 13, line_no = 2 WHERE line_id = 23"),
        format!("{update} orders SET ordered_at = '2026-02-10 12:00:00' WHERE order_id IN (12, 13)"),
        format!(
            "{insert} INTO stock_movements (movement_id, product_id, kind, quantity, created_at)
             VALUES (31, 1, 'adjustment', 5, '2026-02-10 09:00:00'),
                    (32, 1, 'adjustment', 6, '2026-02-10 10:00:00')"
        ),
        format!("{update} stock_movements SET quantity = quantity + 1 WHERE movement_id IN (31, 32)"),
        format!("{update} products SET unit_cost_cents = unit_cost_cents + 7"),
        format!("{update} products SET unit_cost_cents = unit_cost_cents + 7"),
        // Switching tracking off and on again marks every day's rollup stale.
        format!("{update} products SET track_stock = 0"),
        format!("{update} products SET track_stock = 1"),
        // The promise history of lines that waited, and the supplier their product comes from.
        format!(
            "{insert} INTO promise_history (line_id, first_start, first_end, first_on, last_start,
                                            last_end, last_on)
             VALUES (21, '2026-02-12', '2026-02-14', '2026-02-10', '2026-02-12', '2026-02-14',
                     '2026-02-10'),
                    (22, '2026-02-12', '2026-02-14', '2026-02-10', '2026-02-12', '2026-02-14',
                     '2026-02-10')"
        ),
        format!("{update} promise_history SET last_end = '2026-02-15' WHERE line_id IN (21, 22)"),
        format!("{insert} INTO suppliers (supplier_id, name) VALUES (1, 'Acme')"),
        format!("{update} products SET supplier_id = 1"),
        "DELETE FROM promise_history WHERE line_id IN (21, 22)".to_owned(),
        format!(
            "{insert} INTO line_promises (line_id, eta_end, computed_on)
             VALUES (21, '2026-02-12', '2026-02-10'), (22, '2026-02-12', '2026-02-10')"
        ),
        format!("{update} line_promises SET eta_end = '2026-02-13' WHERE line_id IN (21, 22)"),
        format!(
            "{insert} INTO promise_changes (change_id, line_id, detected_on, new_end)
             VALUES (41, 21, '2026-02-10', '2026-02-12'), (42, 22, '2026-02-10', '2026-02-12')"
        ),
        format!("{update} promise_changes SET new_end = '2026-02-14' WHERE change_id IN (41, 42)"),
        "DELETE FROM promise_changes WHERE change_id IN (41, 42)".to_owned(),
        "DELETE FROM line_promises WHERE line_id IN (21, 22)".to_owned(),
        "DELETE FROM stock_movements WHERE movement_id IN (31, 32)".to_owned(),
        "DELETE FROM order_lines WHERE line_id IN (21, 22)".to_owned(),
        "DELETE FROM orders WHERE order_id IN (12, 13)".to_owned(),
    ];
    for sql in &statements {
        conn.execute_batch(sql)
            .unwrap_or_else(|error| panic!("OR {conflict}: {sql}: {error}"));
    }
    let mut fired = Vec::new();
    for sql in &statements {
        let verb = sql.split_whitespace().next().expect("verb").to_owned();
        let words: Vec<&str> = sql.split_whitespace().collect();
        let table = match verb.as_str() {
            "INSERT" => words[words.iter().position(|w| *w == "INTO").expect("INTO") + 1],
            "UPDATE" => words[3],
            _ => words[2],
        };
        fired.push((verb, table.to_owned()));
    }
    fired
}

#[test]
fn every_trigger_survives_each_conflict_clause_of_the_statement_that_fires_it() {
    for conflict in ["ABORT", "FAIL", "ROLLBACK", "REPLACE", "IGNORE"] {
        let (_dir, store) = fresh();
        let conn = store.connection();
        // The KPI rollups were computed up to Mar 1: every change of an earlier day is noted.
        conn.execute_batch(
            "INSERT INTO products (product_id, sku, name, created_at, updated_at)
                 VALUES (1, 'LAMP', 'Lamp', '2026-01-01', '2026-01-01');
             INSERT INTO customers (customer_id, name) VALUES (1, 'Ann');
             UPDATE kpi_rollup_state SET dirty_from = '2026-03-01';
             UPDATE kpi_cancel_state SET dirty_from = '2026-03-01';
             BEGIN;",
        )
        .expect("shop");
        let fired = fire_every_trigger(conn, conflict);
        let mut statement = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
            .expect("sql");
        let triggers: Vec<(String, String)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("triggers")
            .collect::<Result<_, _>>()
            .expect("triggers");
        // The 25 KPI triggers at least.
        assert!(triggers.len() >= 25);
        for (name, sql) in &triggers {
            let target = trigger_target(sql);
            assert!(
                fired.contains(&target),
                "trigger {name} ({target:?}) is not exercised by this test: add a statement for it"
            );
        }
        // What the triggers noted: Feb 10 once for the cancellation card, the touched lines,
        // orders and product, and the day from which the rollups are stale.
        let noted: (String, i64, i64, i64, String) = conn
            .query_row(
                "SELECT (SELECT group_concat(day) FROM kpi_cancel_dirty),
                        (SELECT count(*) FROM kpi_touched_lines),
                        (SELECT count(*) FROM kpi_touched_orders),
                        (SELECT count(*) FROM kpi_touched_products),
                        (SELECT dirty_from FROM kpi_rollup_state)",
                [],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .expect("notes");
        assert_eq!(
            noted,
            // (`dirty_from` is empty: the tracking switch made every day stale.)
            ("2026-02-10".to_owned(), 4, 2, 1, String::new()),
            "OR {conflict}"
        );
        conn.execute_batch("COMMIT").expect("commit");
    }
}

#[test]
fn a_shop_of_version_14_gets_triggers_that_cannot_conflict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    backorder_desk::store::create_at_version(&path, 14).expect("version 14 file");
    let store = Store::open(&path).expect("migrates");
    let conn = store.connection();
    conn.execute_batch(
        "INSERT INTO products (product_id, sku, name, created_at, updated_at)
             VALUES (1, 'LAMP', 'Lamp', '2026-01-01', '2026-01-01');
         INSERT INTO customers (customer_id, name) VALUES (1, 'Ann');
         UPDATE kpi_rollup_state SET dirty_from = '2026-03-01';
         UPDATE kpi_cancel_state SET dirty_from = '2026-03-01';
         INSERT INTO orders (order_id, order_number, customer_id, ordered_at)
             VALUES (1, 'SO-1', 1, '2026-02-10 09:00:00'), (2, 'SO-2', 1, '2026-02-10 10:00:00');
         INSERT OR FAIL INTO order_lines (order_id, line_no, product_id, quantity)
             VALUES (1, 1, 1, 1), (2, 1, 1, 1);",
    )
    .expect("two lines of one noted day");
    // The migrated file's KPI triggers are a new shop's, word for word.
    let kpi_triggers = |conn: &rusqlite::Connection| -> Vec<(String, String)> {
        let mut statement = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'kpi_%' ORDER BY name")
            .expect("sql");
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("triggers")
            .collect::<Result<_, _>>()
            .expect("triggers")
    };
    let (_fresh_dir, fresh_store) = fresh();
    let expected = kpi_triggers(fresh_store.connection());
    assert_eq!(expected.len(), 25);
    assert_eq!(kpi_triggers(conn), expected);
}
