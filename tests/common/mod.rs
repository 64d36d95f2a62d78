//! Helpers shared by the test binaries (`tests/cli`, `tests/core`, `tests/ui`), each of which
//! includes this folder as its `common` module: the window (this file), running the built
//! program, and the shops, an SMTP server and fixtures of several test modules.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

pub mod guards_shop;
mod program;
pub mod safety_shop;
pub mod smtp_server;

#[allow(
    unused_imports,
    reason = "each test binary runs the program its own ways"
)]
pub use program::{
    TODAY, desk, desk_args, desk_on, fails, fails_on, ok, ok_on, program, program_as_user,
    running_as_root, stderr, stdout, succeeded,
};

use std::path::{Path, PathBuf};
use std::time::Duration;

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::jobs::{jobs_running_here, wait_for_jobs_started_here};
use backorder_desk::app::orders::{OrderInput, place_order};
use backorder_desk::app::purchasing::{PoInput, create_po};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The whole app on `path`, with a fixed day.
pub fn harness(path: PathBuf, clock: Clock) -> Harness<'static, DeskApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(move |cc| DeskApp::new(cc, Some(path), clock))
}

/// True when some node has exactly this label.
pub fn shows(harness: &Harness<'_, DeskApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// Focuses a text field, then types into it.
pub fn fill(harness: &mut Harness<'_, DeskApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}

/// In the New order dialog: types `text` into the product lookup and presses Enter, which adds
/// the first suggestion.
pub fn add_order_line(harness: &mut Harness<'_, DeskApp>, text: &str) {
    fill(harness, "Product", text);
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// Mar 1, 2026.
pub fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"))
}

pub fn order(customer: &str, quantity: i64) -> OrderInput {
    OrderInput {
        order_number: String::new(),
        customer_name: customer.into(),
        customer_email: format!("{}@example.com", customer.to_lowercase()),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: vec![("LAMP".into(), quantity)],
    }
}

/// A lamp with nothing on hand, two waiting orders (3 and 4), and PO-1 of 5 due Mar 5.
pub fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    let clock = clock();
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "Brass lamp".into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        price: "40.00".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, None, &draft, 0, &clock).expect("product");
    place_order(&mut store, &order("Ann", 3), &clock).expect("order 1");
    place_order(&mut store, &order("Bo", 4), &clock).expect("order 2");
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: NaiveDate::from_ymd_opt(2026, 3, 5),
        confirmed: false,
        lines: vec![("LAMP".into(), 5, None)],
    };
    create_po(&mut store, &po, &clock).expect("po");
    path
}

/// Runs the window until every piece of background work it started has finished and its result
/// shows: blocks until the workers have sent their results (no sleeping, no polling), runs
/// frames so the screens take them in, and again while those frames start more work.
#[track_caller]
pub fn finish_jobs(harness: &mut Harness<'_, DeskApp>) {
    loop {
        if let Err(running) = wait_for_jobs_started_here(Duration::from_mins(2)) {
            panic!("background work still running after 2 minutes: {running:?}");
        }
        // A frame that starts another job keeps asking for frames while it runs (a spinner).
        harness.run_ok();
        if jobs_running_here().is_empty() {
            break;
        }
    }
    harness.run();
}

/// True when some node's label contains `needle`.
pub fn shows_part(harness: &Harness<'_, DeskApp>, needle: &str) -> bool {
    harness.query_all_by_label_contains(needle).next().is_some()
}

/// [`finish_jobs`], then a label containing `text` must show.
#[track_caller]
pub fn wait_for(harness: &mut Harness<'_, DeskApp>, text: &str) {
    finish_jobs(harness);
    assert!(
        shows_part(harness, text),
        "'{text}' does not show once the background work is done"
    );
}

/// Selects everything in a text field and types `text` over it.
pub fn replace(harness: &mut Harness<'_, DeskApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}
