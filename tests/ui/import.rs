//! Importing in the window: drop a file, preview with errors, import the valid rows.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use backorder_desk::app::Clock;
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use chrono::NaiveDate;
use common::{harness, shows, wait_for};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"))
}

#[test]
fn preview_lists_errors_and_imports_valid_rows_only_when_chosen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    drop(store);
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/own_products_errors.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(&mut harness, "Import products from own_products_errors.csv");
    wait_for(&mut harness, "errors");
    harness.run(); // let the dialog settle at its final size and place

    assert!(shows(
        &harness,
        "line 5, column price: value 'abc' — is not a number"
    ));
    assert!(shows(
        &harness,
        "line 7, column on_hand: value '1.5' — is not a whole number"
    ));
    let import = harness.get_by_label("Import");
    assert!(
        import.accesskit_node().is_disabled(),
        "Import waits for 'valid rows only'"
    );

    harness.get_by_label("Import valid rows only").click();
    harness.run();
    let import = harness.get_by_label("Import");
    assert!(!import.accesskit_node().is_disabled());
    import.click();
    wait_for(
        &mut harness,
        "Imported products from own_products_errors.csv: 1 new",
    );

    let store = harness.state().store().expect("store");
    let row = store
        .catalog_row_by_sku("OK-1")
        .expect("query")
        .expect("imported");
    assert_eq!(row.name, "Fine");
    assert_eq!(row.figures.on_hand, 1);
    assert!(store.catalog_row_by_sku("BAD-2").expect("query").is_none());
}

#[test]
fn cancelling_the_preview_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    drop(store);
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/own_products_utf8.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(&mut harness, "First rows as they will be stored");
    harness.run();
    harness.get_by_label("Cancel").click();
    harness.step();
    harness.step();
    assert!(
        harness
            .query_by_label_contains("Import products from")
            .is_none()
    );
    assert_eq!(
        harness
            .state()
            .store()
            .expect("store")
            .product_count()
            .expect("count"),
        0
    );
}

#[test]
fn ambiguous_dates_are_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    drop(store);
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/own_orders_ambiguous.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(&mut harness, "could be DD/MM/YYYY or MM/DD/YYYY");
    harness.run();
    harness.get_by_label("Day first (DD/MM/YYYY)").click();
    wait_for(&mut harness, "DD/MM/YYYY (chosen)");
}

#[test]
fn the_last_import_is_undone_from_the_file_menu() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    drop(store);
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/own_products_utf8.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(&mut harness, "First rows as they will be stored");
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "Imported products from own_products_utf8.csv");
    let imported = harness
        .state()
        .store()
        .expect("store")
        .product_count()
        .expect("count");
    assert!(imported > 0);

    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Undo last import…").click();
    wait_for(
        &mut harness,
        "Import 1 of products from own_products_utf8.csv",
    );
    assert!(
        harness
            .query_all_by_label_contains(&format!("removes {imported} products it added"))
            .next()
            .is_some()
    );
    harness.get_by_label("Undo import").click();
    wait_for(&mut harness, "Undid import 1 (own_products_utf8.csv");
    assert_eq!(
        harness
            .state()
            .store()
            .expect("store")
            .product_count()
            .expect("count"),
        0
    );

    // Nothing left to undo: the dialog says so.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Undo last import…").click();
    wait_for(&mut harness, "There is no import to undo");
    harness.run();
    harness.get_by_label("Close").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("There is no import to undo")
            .is_none()
    );
}

#[test]
fn an_inventory_file_with_two_locations_asks_which_one_and_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    let products = PathBuf::from(format!(
        "{}/tests/fixtures/shopify_products_current.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let request = backorder_desk::app::import::ImportRequest::new(
        backorder_desk::app::import::ImportKind::Products,
        products,
    );
    backorder_desk::app::import::run_import(
        &mut store,
        &request,
        &clock(),
        &backorder_desk::app::jobs::Progress::default(),
    )
    .expect("products");
    drop(store);
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/shopify_inventory_current.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(
        &mut harness,
        "Import inventory from shopify_inventory_current.csv",
    );
    wait_for(
        &mut harness,
        "This file holds stock for 2 locations: choose the one this shop's stock is at",
    );
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains(
                "Shopify inventory (a row per location, On hand (current) and (new)) · UTF-8"
            )
            .next()
            .is_some()
    );
    let import = harness.get_by_label("Import");
    assert!(
        import.accesskit_node().is_disabled(),
        "nothing is imported before a location is chosen"
    );

    harness.get_by_label("Main Warehouse").click();
    wait_for(
        &mut harness,
        "10 rows: 0 new, 6 updated, 1 unchanged, 3 skipped, 0 with errors",
    );
    harness.run();
    assert!(shows(
        &harness,
        "Skipped: rows of other locations (2), rows of variants the shop does not have (1)"
    ));
    assert!(
        harness
            .query_all_by_label_contains(
                "counts of location 'Main Warehouse' were taken; the file's other location(s) \
                 (Pop-up Store) were left out"
            )
            .next()
            .is_some()
    );
    // The variant the shop lacks can be added; left unticked, it is left alone.
    assert!(shows(
        &harness,
        "Add the variants the shop does not have as products"
    ));
    let import = harness.get_by_label("Import");
    assert!(!import.accesskit_node().is_disabled());
    import.click();
    wait_for(
        &mut harness,
        "Imported inventory from shopify_inventory_current.csv: 0 new, 6 updated, 1 unchanged, \
         3 skipped",
    );
    let store = harness.state().store().expect("store");
    let shirt = store
        .catalog_row_by_sku("ocean-blue-shirt/XS")
        .expect("query")
        .expect("product");
    assert_eq!(shirt.figures.on_hand, 7);
    // Through the ledger: a count movement naming the file and the location.
    let movements = store.movements(shirt.product_id, 5).expect("ledger");
    assert_eq!(movements.len(), 1);
    assert_eq!(
        (
            movements[0].kind,
            movements[0].quantity,
            movements[0].reason.as_str()
        ),
        (
            backorder_desk::domain::MovementKind::Count,
            7,
            "Count from shopify_inventory_current.csv (Main Warehouse)"
        )
    );
    let mystery = store.catalog_row_by_sku("MYST-1").expect("query");
    assert!(mystery.is_none(), "unknown variants are left alone");
}

/// A shop with the storefront fixtures' catalog.
fn storefront_shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    store.set_setting("onboarding", "done").expect("setting");
    let request = backorder_desk::app::import::ImportRequest::new(
        backorder_desk::app::import::ImportKind::Products,
        format!(
            "{}/tests/fixtures/storefront_catalog.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    backorder_desk::app::import::run_import(
        &mut store,
        &request,
        &clock(),
        &backorder_desk::app::jobs::Progress::default(),
    )
    .expect("catalog");
    path
}

/// Opens a combo box by its label and picks an entry.
fn choose(harness: &mut Harness<'_, DeskApp>, field: &str, column: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, field)
        .click();
    harness.run();
    harness.get_by_label(column).click();
    harness.run();
}

fn combo_value(harness: &Harness<'_, DeskApp>, field: &str) -> String {
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, field)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

#[test]
fn an_unknown_orders_file_is_mapped_saved_and_offered_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = storefront_shop(dir.path());
    let file = PathBuf::from(format!(
        "{}/tests/fixtures/other_platform_orders.csv",
        env!("CARGO_MANIFEST_DIR")
    ));
    let mut harness = harness(path, clock());
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file.clone())));
    wait_for(
        &mut harness,
        "The columns of this file match no known layout",
    );
    harness.run();
    // Guessed from the names: the item name, quantity and price.
    assert_eq!(combo_value(&harness, "Item name"), "Product");
    assert_eq!(combo_value(&harness, "Quantity *"), "Qty");
    assert_eq!(combo_value(&harness, "Order number *"), "—");
    // "State" is this file's status column, not a region: left for the shop to choose.
    assert_eq!(combo_value(&harness, "Status"), "—");

    // Saving without an order number and date is refused, naming them.
    harness
        .get_by_label("Save mapping and check the file")
        .click();
    harness.run();
    assert!(shows(
        &harness,
        "Choose a column for: Order number, Order date"
    ));

    choose(&mut harness, "Order number *", "Order Ref");
    choose(&mut harness, "Order date *", "Placed");
    choose(&mut harness, "Customer", "Client");
    choose(&mut harness, "E-mail", "Mail");
    choose(&mut harness, "SKU", "Article");
    choose(&mut harness, "Status", "State");
    assert_eq!(combo_value(&harness, "Order number *"), "Order Ref");
    assert_eq!(combo_value(&harness, "SKU"), "Article");
    assert_eq!(combo_value(&harness, "Status"), "State");
    // The first rows as the chosen columns read them.
    assert!(shows(&harness, "OP-501"));
    assert!(shows(&harness, "Praha"));

    let name = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Mapping name");
    name.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Mapping name")
        .type_text("Nordic market");
    harness.run();
    harness
        .get_by_label("Save mapping and check the file")
        .click();
    wait_for(
        &mut harness,
        "Orders file read with a column mapping, 2 orders, 3 lines",
    );
    harness.run();
    harness.get_by_label("Import").click();
    wait_for(
        &mut harness,
        "Imported orders from other_platform_orders.csv: 2 new, 0 changed, 0 unchanged orders",
    );
    {
        let store = harness.state().store().expect("store");
        let peek = backorder_desk::app::mappings::peek_file(&file, 1).expect("peek");
        let (saved, mapping) = backorder_desk::app::mappings::for_header(store, &peek.signature)
            .expect("lookup")
            .expect("saved");
        assert_eq!(saved, "Nordic market");
        assert_eq!(
            mapping.column(backorder_desk::domain::shop_orders::MappedField::OrderNumber),
            Some("Order Ref")
        );
    }

    // The same header again: the saved mapping is offered, its columns chosen.
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    wait_for(
        &mut harness,
        "The saved mapping “Nordic market” was made for files with these columns",
    );
    harness.run();
    assert_eq!(combo_value(&harness, "Order number *"), "Order Ref");
    assert_eq!(combo_value(&harness, "Status"), "State");
    harness
        .get_by_label("Save mapping and check the file")
        .click();
    wait_for(&mut harness, "Orders: 0 new, 0 changed, 2 unchanged");
}
