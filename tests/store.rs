//! The store against real SQLite files.

use std::path::Path;

use backorder_desk::app::Clock;
use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::jobs::Progress;
use backorder_desk::domain::{BackorderPolicy, ProductDraft, StockStatus};
use backorder_desk::store::{
    APPLICATION_ID, DeleteOutcome, KPI_TRIGGERS, ORDER_INDEXES, Store, StoreError, latest_version,
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

#[test]
fn indexes_rebuilt_after_a_large_import_are_the_schemas_own() {
    let (_dir, store) = fresh();
    for (name, sql) in ORDER_INDEXES {
        let stored: String = store
            .connection()
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .expect("index exists");
        assert_eq!(stored, sql, "{name}");
    }
}

#[test]
fn kpi_triggers_created_again_after_a_large_load_are_the_schemas_own() {
    let (_dir, store) = fresh();
    let mut statement = store
        .connection()
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'kpi_%' ORDER BY name")
        .expect("sql");
    let stored: Vec<(String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("triggers")
        .collect::<Result<_, _>>()
        .expect("triggers");
    let mut expected: Vec<(String, String)> = KPI_TRIGGERS
        .iter()
        .map(|(name, sql)| ((*name).to_owned(), (*sql).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(stored, expected);
}
