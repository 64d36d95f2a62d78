//! Click through the catalog screen with `egui_kittest` (no GPU, no display).

use crate::common;

use common::{fill, finish_jobs, harness, replace, shows, wait_for};
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::domain::ProductDraft;
use backorder_desk::store::Store;
use chrono::NaiveDate;
use egui_kittest::kittest::{NodeT, Queryable};

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
    // The shop's name comes first: drafts are signed with it.
    assert!(
        harness
            .get_by_label("Start empty")
            .accesskit_node()
            .is_disabled()
    );
    fill(&mut harness, "Shop name", "Fern & Co");
    harness.get_by_label("Start empty").click();
    harness.run();
    assert!(shows(&harness, "No products yet"));
    // The empty catalog offers the import.
    assert!(
        harness
            .query_by_label_contains("Import products…")
            .is_some()
    );
    let store = harness.state().store().expect("store");
    assert_eq!(
        store.setting("shop_name").expect("read").as_deref(),
        Some("Fern & Co")
    );
    assert_eq!(
        store.setting("currency").expect("read").as_deref(),
        Some("USD")
    );
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

#[test]
fn first_start_takes_the_currency_and_the_catalog_writes_amounts_in_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path().join("new.sqlite"), clock());
    harness.run();
    assert!(shows(&harness, "Amounts look like $1,234.50"), "USD first");
    fill(&mut harness, "Shop name", "Fern & Co");
    replace(&mut harness, "Currency", "EUR");
    assert!(shows(&harness, "Amounts look like 1.234,50\u{a0}€"));
    // A code that is not one is said, and nothing can start until it is fixed.
    replace(&mut harness, "Currency", "EU");
    assert!(shows(&harness, "Three letters, e.g. USD, EUR, GBP"));
    assert!(
        harness
            .get_by_label("Start empty")
            .accesskit_node()
            .is_disabled()
    );
    replace(&mut harness, "Currency", "EUR");
    harness.get_by_label("Start empty").click();
    harness.run();
    let store = harness.state().store().expect("store");
    assert_eq!(
        store.setting("currency").expect("read").as_deref(),
        Some("EUR")
    );
    // A product priced 12.50 reads in euros in the catalog (the empty catalog offers Add
    // product… twice: in its toolbar and in its middle).
    harness
        .query_all_by_label_contains("Add product")
        .next()
        .expect("Add product…")
        .click();
    harness.run();
    fill(&mut harness, "SKU", "MUG-9");
    fill(&mut harness, "Name", "Stoneware mug");
    replace(&mut harness, "Price", "12.50");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows(&harness, "12,50\u{a0}€"));
}

#[test]
fn settings_change_the_currency_and_the_date_style_of_the_whole_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    // MUG-1's details: its price and the opening stock's day in the short style.
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert!(shows(&harness, "$12.00"));
    assert!(shows(&harness, "Mar 1, 2026"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Comma);
    harness.run();
    assert!(shows(&harness, "Settings"), "Ctrl+, opens the settings");
    replace(&mut harness, "Currency", "GBP");
    assert!(shows(&harness, "Amounts look like £1,234.50"));
    harness.get_by_label("ISO (2026-03-03)").click();
    harness.run();
    // A value out of range is said and cannot be saved.
    replace(&mut harness, "Handling days", "x");
    assert!(
        harness.get_by_label("Save").accesskit_node().is_disabled(),
        "nothing is saved while a value is wrong"
    );
    replace(&mut harness, "Handling days", "2");
    // This shop has no name yet: it is asked for before anything is saved.
    assert!(shows(
        &harness,
        "Shop name: type the name customers know the shop by"
    ));
    fill(&mut harness, "Shop name", "Fern & Co");
    // Enter saves every setting.
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(
        !shows(&harness, "Amounts look like £1,234.50"),
        "the dialog closed"
    );
    let store = harness.state().store().expect("store");
    for (key, value) in [
        ("shop_name", "Fern & Co"),
        ("currency", "GBP"),
        ("date_style", "iso"),
        ("handling_days", "2"),
    ] {
        assert_eq!(
            store.setting(key).expect("read").as_deref(),
            Some(value),
            "{key}"
        );
    }
    // The catalog and the details now write pounds and ISO days.
    assert!(shows(&harness, "£12.00"));
    assert!(!shows(&harness, "$12.00"));
    assert!(shows(&harness, "2026-03-01"));
    assert!(!shows(&harness, "Mar 1, 2026"));
}

#[test]
fn the_view_menu_lists_the_tabs_with_their_shortcuts_and_help_tells_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut harness = harness(path.clone(), clock());
    harness.run();
    harness.get_by_label("View").click();
    harness.run();
    for entry in [
        "Catalog Ctrl+1",
        "Orders Ctrl+2",
        "Purchase orders Ctrl+3",
        "Reorder Ctrl+4",
        "Messages Ctrl+5",
        "Dashboard Ctrl+6",
    ] {
        assert!(shows(&harness, entry), "View › {entry}");
    }
    harness.get_by_label("Reorder Ctrl+4").click();
    harness.run();
    assert!(
        shows(&harness, "Reorder suggestions"),
        "the menu shows the tab"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    harness.run();
    assert!(shows(&harness, "New order…"), "Ctrl+2 shows Orders");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    harness.run();
    assert!(
        shows(&harness, "2 of 2 products"),
        "Ctrl+1 shows the catalog"
    );
    // Ctrl+Shift+O is New order, not Ctrl+O's Open shop file with Shift held.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::O,
    );
    harness.run();
    assert!(shows(&harness, "Place order"), "the New order dialog");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Place order"));

    // F1: the shortcuts sheet, with the menus' keys and the lists' keys.
    harness.key_press(egui::Key::F1);
    harness.run();
    assert!(shows(&harness, "Keyboard shortcuts"));
    for (keys, what) in [
        ("Ctrl+,", "Settings"),
        ("Ctrl+6", "Dashboard"),
        ("F1", "Keyboard shortcuts"),
        ("↑ / ↓", "Move the selection in a list"),
    ] {
        assert!(shows(&harness, keys), "{keys}");
        assert!(shows(&harness, what), "{what}");
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        !shows(&harness, "Move the selection in a list"),
        "Escape closed it"
    );

    // Help › About: the version and where the shop file is.
    harness.get_by_label("Help").click();
    harness.run();
    assert!(shows(&harness, "User guide"));
    harness.get_by_label("About Backorder Desk").click();
    harness.run();
    assert!(shows(
        &harness,
        &format!("Version {}", env!("CARGO_PKG_VERSION"))
    ));
    assert!(
        shows(&harness, &path.display().to_string()),
        "the shop file"
    );
    harness.get_by_label("Close").click();
    harness.run();
    assert!(!shows(&harness, &path.display().to_string()));
}

#[test]
fn first_start_keeps_the_chosen_currency_for_the_demo_shop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path().join("new.sqlite"), clock());
    harness.run();
    // The demo brings its own name; only the currency is needed.
    replace(&mut harness, "Currency", "GBP");
    harness.get_by_label("Load demo shop").click();
    finish_jobs(&mut harness);
    assert!(shows(&harness, "400 of 400 products"), "the demo loaded");
    let store = harness.state().store().expect("store");
    assert_eq!(
        store.setting("currency").expect("read").as_deref(),
        Some("GBP")
    );
    assert!(!store.needs_onboarding().expect("read"));
    // The demo's prices read in pounds: APP-00005 costs 10.99.
    assert!(shows(&harness, "£10.99"));
}

#[test]
fn first_start_imports_the_shops_products_with_its_name_and_currency() {
    use backorder_desk::ui::shared::file_dialog::{Native, set_native};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new.sqlite");
    let incoming = dir.path().join("incoming");
    std::fs::create_dir(&incoming).expect("folder");
    std::fs::copy(
        format!(
            "{}/tests/fixtures/own_products_utf8.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
        incoming.join("products.csv"),
    )
    .expect("copy");
    {
        // An empty shop file whose file dialog starts in the folder of the products file.
        let store = Store::open(&path).expect("open");
        store
            .set_setting("last_folder_import", &incoming.to_string_lossy())
            .expect("setting");
    }
    let mut harness = harness(path, clock());
    // The window's own file dialog (no system dialog in a test).
    set_native(&harness.ctx, Native::BuiltIn);
    harness.run();
    assert!(shows(&harness, "Welcome to Backorder Desk"));
    fill(&mut harness, "Shop name", "Fern & Co");
    replace(&mut harness, "Currency", "EUR");
    harness.get_by_label("Import products…").click();
    harness.run();
    harness.run();
    let store = harness.state().store().expect("store");
    assert_eq!(
        store.setting("shop_name").expect("read").as_deref(),
        Some("Fern & Co")
    );
    assert_eq!(
        store.setting("currency").expect("read").as_deref(),
        Some("EUR")
    );
    assert!(shows(&harness, "products.csv"), "the file dialog opened");
    harness.get_by_label("products.csv").click();
    harness.run();
    harness.get_by_label("Open").click();
    finish_jobs(&mut harness);
    assert!(shows(&harness, "First rows as they will be stored"));
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "Imported products from products.csv");
    // The imported catalog, its prices in euros: MUG-01 costs 12.50.
    assert!(shows(&harness, "MUG-01"));
    assert!(shows(&harness, "12,50\u{a0}€"));
}
