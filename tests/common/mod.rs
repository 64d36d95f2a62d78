//! Helpers shared by the window tests.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use backorder_desk::app::Clock;
use backorder_desk::ui::DeskApp;
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
