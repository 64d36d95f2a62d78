//! Click through the catalog screen with `egui_kittest` (no GPU, no display).

mod common;

use common::{fill, harness, shows};
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::domain::ProductDraft;
use backorder_desk::store::Store;
use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;

const SEARCH: &str = "Search";

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"))
}

/// A shop with two products, past the first-run screen.
fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    for (sku, name, stock) in [("MUG-1", "Blue mug", 5), ("TEA-2", "Green teapot", 0)] {
        let data = ProductDraft {
            sku: sku.into(),
            name: name.into(),
            price: "12.00".into(),
            ..ProductDraft::default()
        }
        .validate()
        .expect("valid");
        store
            .insert_product(&data, stock, "2026-03-01 09:00:00")
            .expect("insert");
    }
    path
}

#[test]
fn add_a_product_through_the_form_and_see_it_in_the_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    assert!(shows(&harness, "MUG-1"));
    assert!(!shows(&harness, "LAMP-9"));

    harness.get_by_label_contains("Add product").click();
    harness.run();
    harness.get_by_label("Add product").hover(); // the dialog is open
    fill(&mut harness, "SKU", "LAMP-9");
    fill(&mut harness, "Name", "Brass desk lamp");
    fill(&mut harness, "Opening stock", "3");
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();

    assert!(
        harness.query_by_label("Add product").is_none(),
        "the dialog closed"
    );
    assert!(shows(&harness, "LAMP-9"), "the new product is in the table");
    assert!(shows(&harness, "Brass desk lamp"));
    let store = harness.state().store().expect("store");
    let row = store
        .catalog_row_by_sku("LAMP-9")
        .expect("query")
        .expect("stored");
    assert_eq!(
        row.figures.on_hand, 3,
        "opening stock went through the ledger"
    );
    assert!(store.ledger_mismatches().expect("ledger").is_empty());
}

#[test]
fn the_form_shows_errors_and_keeps_the_dialog_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label_contains("Add product").click();
    harness.run();
    // An existing SKU and no name: the name error first.
    fill(&mut harness, "SKU", "MUG-1");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows(&harness, "Name: is required"));
    assert!(
        harness.query_by_label("Add product").is_some(),
        "still open"
    );

    fill(&mut harness, "Name", "Duplicate mug");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows(&harness, "SKU 'MUG-1' is already in the catalog"));
    assert!(
        harness.query_by_label("Add product").is_some(),
        "still open"
    );

    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Add product").is_none());
    assert!(!shows(&harness, "Duplicate mug"));
}

#[test]
fn typing_in_search_filters_the_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    assert!(shows(&harness, "MUG-1"));
    assert!(shows(&harness, "TEA-2"));
    assert!(shows(&harness, "2 of 2 products"));

    fill(&mut harness, SEARCH, "teap");
    harness.run();
    assert!(!shows(&harness, "MUG-1"), "filtered out");
    assert!(shows(&harness, "TEA-2"));
    assert!(shows(&harness, "1 of 2 products"));

    harness.get_by_label("Clear").click();
    harness.run();
    assert!(shows(&harness, "MUG-1"));
}

#[test]
fn delete_asks_for_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();

    // TEA-2 has no stock history: it will be deleted outright.
    harness.get_by_label("Green teapot").click();
    harness.run();
    harness.get_by_label("Delete…").click();
    harness.run();
    assert!(shows(&harness, "Delete product?"));
    assert!(
        harness
            .query_by_label_contains("TEA-2 — Green teapot")
            .is_some()
    );
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!shows(&harness, "Delete product?"));
    assert!(shows(&harness, "Green teapot"), "cancel keeps the product");

    harness.get_by_label("Delete…").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
    assert!(!shows(&harness, "Green teapot"), "deleted after confirming");
    assert!(shows(&harness, "Deleted TEA-2"));

    // MUG-1 has an opening-stock movement: deleting archives it.
    harness.get_by_label("Blue mug").click();
    harness.run();
    harness.get_by_label("Delete…").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("will be archived")
            .is_some()
    );
    harness.get_by_label("Archive").click();
    harness.run();
    assert!(!shows(&harness, "Blue mug"));
    let store = harness.state().store().expect("store");
    let archived = store
        .catalog_row_by_sku("MUG-1")
        .expect("query")
        .expect("kept");
    assert_eq!(archived.figures.on_hand, 5, "history kept");
}

#[test]
fn adjust_stock_writes_the_ledger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Blue mug").click();
    harness.run();
    harness.get_by_label("Adjust stock…").click();
    harness.run();
    // The reason is a stock count: the counted quantity is asked, 3 of the 5 on hand.
    fill(&mut harness, "Counted quantity", "3");
    harness.run();
    assert!(shows(&harness, "3 (-2)"), "on hand after");
    harness.get_by_label("Apply").click();
    harness.run();
    let store = harness.state().store().expect("store");
    let row = store
        .catalog_row_by_sku("MUG-1")
        .expect("query")
        .expect("row");
    assert_eq!(row.figures.on_hand, 3);
    assert!(shows(&harness, "Stock -2 (Stock count); on hand now 3"));
}

#[test]
fn first_run_offers_the_demo_shop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path().join("new.sqlite"), clock());
    harness.run();
    assert!(shows(&harness, "Welcome to Backorder Desk"));
    assert!(harness.query_by_label("Load demo shop").is_some());
    harness.get_by_label("Start empty").click();
    harness.run();
    assert!(shows(&harness, "No products yet"));
}

#[test]
fn a_garbage_file_gets_a_dialog_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("junk.sqlite");
    std::fs::write(&path, b"junk junk junk junk").expect("write");
    let mut harness = harness(path.clone(), clock());
    harness.run();
    assert!(shows(&harness, "Cannot open the shop file"));
    assert!(shows(&harness, "Open shop file…"));
    assert_eq!(std::fs::read(&path).expect("read"), b"junk junk junk junk");
}
