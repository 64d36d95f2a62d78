//! Guards in the window (`egui_kittest`, no GPU): stock below zero asks first, actions that
//! change many orders or products ask with counts and are undone with Edit › Undo (Ctrl+Z).

use crate::common;
use crate::common::guards_shop;
use crate::common::safety_shop;

use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::purchasing::receive;
use backorder_desk::domain::{BackorderPolicy, ProductDraft};
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use common::{clock, fill, finish_jobs, harness, replace, shop, shows, wait_for};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use guards_shop::{advice_clock, advice_shop, dump};

/// A mug with 1 on hand.
fn mug_shop(dir: &Path) -> PathBuf {
    let path = dir.join("mug.sqlite");
    let mut store = Store::open(&path).expect("open");
    let data = ProductDraft {
        sku: "MUG-1".into(),
        name: "Blue mug".into(),
        price: "12.00".into(),
        ..ProductDraft::default()
    }
    .validate()
    .expect("valid");
    store
        .insert_product(&data, 1, "2026-03-01 09:00:00")
        .expect("insert");
    path
}

fn on_hand(harness: &Harness<'_, DeskApp>, sku: &str) -> i64 {
    harness
        .state()
        .store()
        .expect("store")
        .catalog_row_by_sku(sku)
        .expect("query")
        .expect("row")
        .figures
        .on_hand
}

#[test]
fn stock_below_zero_asks_for_an_explicit_record_anyway() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(mug_shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Blue mug").click();
    harness.run();
    harness.get_by_label("Adjust stock…").click();
    harness.run();
    // The quantity field has the focus at once; a stock count asks for what was counted.
    assert!(
        harness
            .get_by_role_and_label(Role::TextInput, "Counted quantity")
            .accesskit_node()
            .is_focused()
    );
    assert!(shows(&harness, "On hand now"));
    replace(&mut harness, "Reason", "Damaged");
    fill(&mut harness, "Change in units", "-50");
    assert!(shows(&harness, "-49 (-50)"), "on hand after");
    assert!(
        harness
            .query_by_label_contains("This takes MUG-1 to -49 on hand: stock cannot go below zero")
            .is_some()
    );
    assert!(
        harness.get_by_label("Apply").accesskit_node().is_disabled(),
        "not without saying so"
    );
    assert_eq!(on_hand(&harness, "MUG-1"), 1);
    harness
        .get_by_label("Record anyway (stock count was wrong)")
        .click();
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
    assert_eq!(on_hand(&harness, "MUG-1"), -49);
    assert!(shows(&harness, "Stock -50 (Damaged); on hand now -49"));
}

#[test]
fn apply_all_asks_and_undo_restores_every_product() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = advice_shop(dir.path());
    let before = dump(Store::open(&path).expect("open").connection(), "products");
    let mut harness = harness(path, advice_clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    harness.run();
    harness.get_by_label("Backorder policy").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("3 product(s) with a suggested change")
            .is_some()
    );
    harness.get_by_label("Apply all suggestions").click();
    harness.run();
    assert!(shows(&harness, "Apply all suggestions to 3 products?"));
    // Asking changed nothing; Cancel keeps everything.
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(
        dump(
            harness.state().store().expect("store").connection(),
            "products"
        ),
        before
    );
    harness.get_by_label("Apply all suggestions").click();
    harness.run();
    harness.get_by_label("Change 3 products").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Backorder policy of 3 product(s) changed")
            .is_some()
    );
    let policy = |harness: &Harness<'_, DeskApp>, sku: &str| {
        harness
            .state()
            .store()
            .expect("store")
            .catalog_row_by_sku(sku)
            .expect("q")
            .expect("row")
            .policy
    };
    assert_eq!(policy(&harness, "QUICK"), BackorderPolicy::Allowed);
    assert_eq!(policy(&harness, "SLOW"), BackorderPolicy::Preorder);
    assert_eq!(policy(&harness, "LATE"), BackorderPolicy::NotAllowed);

    harness.get_by_label("Edit").click();
    harness.run();
    // The menu names the action (the shortcut Ctrl+Z is shown beside it).
    harness
        .get_by_label_contains("Undo Apply all suggestions (3 products)")
        .click();
    harness.run();
    assert!(shows(
        &harness,
        "Undo “Apply all suggestions (3 products)”?"
    ));
    assert!(shows(&harness, "Gives 3 products their earlier values."));
    harness.get_by_label("Undo").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Undone: Apply all suggestions (3 products)")
            .is_some()
    );
    assert_eq!(
        dump(
            harness.state().store().expect("store").connection(),
            "products"
        ),
        before,
        "every field of every product as before"
    );
}

#[test]
fn receive_all_asks_with_the_count_and_ctrl_z_takes_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Purchase orders").click();
    harness.run();
    harness.get_by_label("PO-1").click();
    harness.run();
    harness.get_by_label("Receive all").click();
    harness.run();
    assert!(shows(&harness, "Receive everything open on PO-1?"));
    assert!(
        harness
            .query_by_label_contains("5 units on 1 line arrive on Mar 1, 2026")
            .is_some()
    );
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(on_hand(&harness, "LAMP"), 0, "nothing before the answer");
    harness.get_by_label("Receive all").click();
    harness.run();
    harness.get_by_label("Receive 5 units").click();
    harness.run();
    assert_eq!(on_hand(&harness, "LAMP"), 5);
    // Ctrl+Z (no text field has the focus) asks to undo it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(shows(
        &harness,
        "Undo “Receive all on PO-1 (1 line, 5 units)”?"
    ));
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(on_hand(&harness, "LAMP"), 0);
}

#[test]
fn ship_reserved_asks_and_takes_a_tracking_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    {
        let mut store = Store::open(&path).expect("open");
        let clock: Clock = clock();
        receive(&mut store, "PO-1", None, clock.today(), &clock).expect("receive");
    }
    let mut harness = harness(path, clock());
    harness.run();
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    harness.get_by_label("Ship reserved").click();
    harness.run();
    assert!(shows(&harness, "Ship order SO-001001 to Ann?"));
    assert!(shows(
        &harness,
        "3 reserved units on 1 line leave the stock: 3 × LAMP."
    ));
    fill(&mut harness, "Tracking number", "1Z999AA10123456784");
    harness.get_by_label("Ship 3 units").click();
    harness.run();
    assert!(shows(
        &harness,
        "Shipped 3 unit(s), tracking number 1Z999AA10123456784; Edit › Undo takes it back"
    ));
    assert_eq!(on_hand(&harness, "LAMP"), 2);
    let store = harness.state().store().expect("store");
    let order_id: i64 = store
        .connection()
        .query_row(
            "SELECT order_id FROM orders WHERE order_number = 'SO-001001'",
            [],
            |row| row.get(0),
        )
        .expect("order");
    assert_eq!(
        backorder_desk::store::orders::tracking_numbers(
            store.connection(),
            backorder_desk::store::orders::OrderId(order_id)
        )
        .expect("tracking"),
        vec!["1Z999AA10123456784"]
    );
}

#[test]
fn without_a_system_file_dialog_the_window_opens_its_own_and_picks_a_file() {
    use backorder_desk::ui::shared::file_dialog::{Native, set_native};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let incoming = dir.path().join("incoming");
    std::fs::create_dir(&incoming).expect("folder");
    std::fs::copy(
        format!(
            "{}/tests/fixtures/own_products_errors.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
        incoming.join("products.csv"),
    )
    .expect("copy");
    std::fs::write(incoming.join(".hidden.csv"), b"sku\n").expect("hidden file");
    {
        // The last import came from that folder.
        let store = Store::open(&path).expect("open");
        store
            .set_setting("last_folder_import", &incoming.to_string_lossy())
            .expect("setting");
    }
    let mut harness = harness(path, clock());
    // No desktop portal and no zenity: the system dialog cannot open.
    set_native(&harness.ctx, Native::BuiltIn);
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Import products…").click();
    harness.run();
    harness.run();
    // The window's own dialog, in the folder of the last import.
    assert!(shows(&harness, "Import products"), "its title");
    assert!(shows(&harness, "products.csv"));
    assert!(!shows(&harness, ".hidden.csv"), "hidden files are left out");
    assert!(shows(
        &harness,
        "Shows CSV (*.csv, *.tsv, *.txt); All files (*.*)"
    ));
    harness.get_by_label("products.csv").click();
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    finish_jobs(&mut harness);
    assert!(
        harness
            .query_by_label_contains("Import products from products.csv")
            .is_some(),
        "the chosen file is previewed"
    );
    let store = harness.state().store().expect("store");
    assert_eq!(
        store.setting("last_folder_import").expect("setting"),
        Some(incoming.to_string_lossy().into_owned()),
        "the folder is remembered in the shop's settings"
    );
}

#[test]
fn the_product_form_refuses_a_sku_that_differs_only_in_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label_contains("Add product").click();
    harness.run();
    fill(&mut harness, "SKU", "lamp");
    fill(&mut harness, "Name", "Another lamp");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains(
                "SKU 'lamp' differs from the existing SKU 'LAMP' only in letter case"
            )
            .is_some(),
        "the form names the existing SKU"
    );
    assert!(
        harness
            .state()
            .store()
            .expect("store")
            .product_id_by_sku("lamp")
            .expect("q")
            .is_none()
    );
}

#[test]
fn a_new_purchase_order_takes_its_supplier_from_the_list_and_asks_about_far_dates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Purchase orders").click();
    harness.run();
    harness.get_by_label("New purchase order…").click();
    harness.run();
    fill(&mut harness, "SKU", "LAMP");
    fill(&mut harness, "Quantity", "2");
    harness.get_by_label("Create").click();
    harness.run();
    assert!(shows(
        &harness,
        "Supplier: choose one from the list, or \"New supplier…\""
    ));
    harness
        .get_by_role_and_label(Role::ComboBox, "Supplier")
        .click();
    harness.run();
    // The list of POs names Acme too; the choice is in the popup, drawn last.
    harness
        .query_all_by_label("Acme")
        .last()
        .expect("Acme in the list")
        .click();
    harness.run();
    replace(&mut harness, "Expected arrival", "2028-06-01");
    harness.get_by_label("Create").click();
    harness.run();
    assert!(shows(
        &harness,
        "The expected arrival 2028-06-01 is 823 days away (more than a year): check the year. Create it anyway?"
    ));
    let count = |harness: &Harness<'_, DeskApp>| -> i64 {
        harness
            .state()
            .store()
            .expect("store")
            .connection()
            .query_row("SELECT COUNT(*) FROM purchase_orders", [], |row| row.get(0))
            .expect("count")
    };
    assert_eq!(count(&harness), 1, "asked, not created");
    harness.get_by_label("Create anyway").click();
    harness.run();
    assert_eq!(count(&harness), 2);
    assert_eq!(
        harness
            .state()
            .store()
            .expect("store")
            .supplier_names()
            .expect("names"),
        vec!["Acme"],
        "no supplier was added"
    );
}

#[test]
fn a_service_level_out_of_range_is_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(safety_shop::shop(dir.path()), safety_shop::clock());
    harness.run();
    harness.get_by_label("Reorder").click();
    harness.run();
    harness.get_by_label("Safety stock calculator").click();
    harness.run();
    replace(&mut harness, "Product SKU", "LAMP");
    harness.get_by_label("Show").click();
    wait_for(&mut harness, "the product's lead time of 10 days");
    replace(&mut harness, "Service level (%)", "100");
    assert!(shows(
        &harness,
        "Service level (%): 100 is outside the accepted range: at least 50 and below 100 (e.g. 95 or 99.5); Z was not changed (still 1.6449)"
    ));
    replace(&mut harness, "Service level (%)", "40");
    assert!(
        harness
            .query_by_label_contains("Service level (%): 40 is outside the accepted range")
            .is_some()
    );
    replace(&mut harness, "Service level (%)", "99");
    assert!(
        harness
            .query_by_label_contains("outside the accepted range")
            .is_none(),
        "a good value clears it"
    );
}

/// Import products… with the system dialog started by `launcher`, given `timeout` to answer.
fn import_with_launcher(
    launcher: backorder_desk::ui::shared::file_dialog::NativeLauncher,
    timeout: std::time::Duration,
) -> (tempfile::TempDir, Harness<'static, DeskApp>) {
    use backorder_desk::ui::shared::file_dialog::{Native, set_native, set_native_launcher};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut harness = harness(path, clock());
    set_native(&harness.ctx, Native::Auto);
    set_native_launcher(&harness.ctx, launcher, timeout);
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Import products…").click();
    harness.run();
    harness.run();
    (dir, harness)
}

/// Only the window's own file dialog says which files it shows.
const BUILT_IN: &str = "Shows CSV (*.csv, *.tsv, *.txt); All files (*.*)";

#[test]
fn when_the_system_file_dialog_cannot_open_the_windows_own_opens() {
    use backorder_desk::ui::shared::file_dialog::NativeLaunch;
    let (_dir, harness) = import_with_launcher(
        std::sync::Arc::new(|_, _| NativeLaunch::Unavailable),
        std::time::Duration::from_hours(1),
    );
    assert!(shows(&harness, BUILT_IN));
    assert!(shows(
        &harness,
        "The system's file dialog did not open (no desktop portal or zenity); the file dialog of this window is used instead"
    ));
}

#[test]
fn when_the_system_file_dialog_does_not_answer_in_time_the_windows_own_opens() {
    use backorder_desk::ui::shared::file_dialog::{
        NativeLaunch, is_waiting_for_system_dialog, set_native_launcher,
    };
    use std::sync::{Arc, Mutex, mpsc};
    // A system dialog that never answers (a desktop portal that takes the request and shows
    // nothing): its sender is kept, so the channel stays open and empty.
    let kept: Arc<Mutex<Vec<mpsc::Sender<Option<PathBuf>>>>> = Arc::default();
    let hanging = {
        let kept = Arc::clone(&kept);
        move |_: &backorder_desk::ui::shared::file_dialog::FileRequest, _: Option<&Path>| {
            let (sender, receiver) = mpsc::channel();
            kept.lock().expect("lock").push(sender);
            NativeLaunch::Pending(receiver)
        }
    };
    let launcher: backorder_desk::ui::shared::file_dialog::NativeLauncher = Arc::new(hanging);
    let hour = std::time::Duration::from_hours(1);
    let (_dir, mut harness) = import_with_launcher(Arc::clone(&launcher), hour);
    // Within its time: the window waits for it and opens nothing of its own.
    assert_eq!(
        kept.lock().expect("lock").len(),
        1,
        "the system dialog was started"
    );
    assert!(is_waiting_for_system_dialog(&harness.ctx));
    assert!(!shows(&harness, BUILT_IN));
    // Its time is up (a timeout of 0 instead of waiting one out): the window's own opens.
    set_native_launcher(&harness.ctx, launcher, std::time::Duration::ZERO);
    harness.run();
    harness.run();
    assert!(!is_waiting_for_system_dialog(&harness.ctx));
    assert!(shows(&harness, BUILT_IN));
    assert!(shows(
        &harness,
        "The system's file dialog did not open (no answer within 0 seconds); the file dialog of this window is used instead"
    ));
}
