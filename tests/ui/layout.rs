//! Every screen of the demo shop at 1024×700 and 1920×1080: rendered on the CPU (wgpu on Mesa
//! lavapipe) and compared with the PNGs in `tests/snapshots/` (`UPDATE_SNAPSHOTS=1 cargo test
//! --test ui layout::` writes them again after a deliberate change of the window), with layout
//! checks that name what broke: key columns on screen, nothing drawn over anything else.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::jobs::Progress;
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect, Vec2};
use egui_kittest::kittest::{AccessKitNode, NodeT, Queryable};
use egui_kittest::{Harness, SnapshotOptions};

const SMALL: Vec2 = Vec2::new(1024.0, 700.0);
const LARGE: Vec2 = Vec2::new(1920.0, 1080.0);

/// The demo shop (400 products, a year of orders) on the tests' fixed day, written once per
/// run and copied for each test.
fn demo_shop(dir: &Path) -> PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let folder = tempfile::tempdir().expect("temp dir").keep();
        let path = folder.join("demo.sqlite");
        let mut store = Store::open(&path).expect("open");
        load_demo(
            &mut store,
            DemoSpec::default(),
            &common::clock(),
            &Progress::default(),
        )
        .expect("demo");
        drop(store);
        path
    });
    let path = dir.join("demo.sqlite");
    std::fs::copy(template, &path).expect("copy the demo shop");
    path
}

/// The window on the demo shop, rendered with wgpu so it can be snapshotted.
fn window(dir: &Path, size: Vec2) -> Harness<'static, DeskApp> {
    let path = demo_shop(dir);
    let clock = common::clock();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_max_steps(24)
        .wgpu()
        .build_eframe(move |cc| DeskApp::new(cc, Some(path), clock));
    harness.run();
    harness
}

/// Runs the window's background work to its end (some screens compute on a worker thread),
/// then `label` must show; a few more frames let the layout settle after the data arrived.
fn wait_and_settle(harness: &mut Harness<'_, DeskApp>, label: &str) {
    common::wait_for(harness, label);
    for _ in 0..4 {
        harness.step();
    }
}

/// Tolerates rasteriser differences between machines (edge pixels a little lighter or darker:
/// the per-pixel threshold, and up to 0.01% of the pixels beyond it), not a moved, missing or
/// changed word: an added menu title alone changes some 300 pixels.
fn snapshot(harness: &mut Harness<'_, DeskApp>, name: &str) {
    harness.remove_cursor();
    harness.run_ok();
    let size = harness.ctx.content_rect().size();
    let pixels = (size.x * size.y) as usize;
    let options = SnapshotOptions::new()
        .threshold(1.5)
        .max_failed_pixels(pixels / 10_000);
    harness.snapshot_options(name, &options);
}

/// Shows a tab with its View shortcut (Ctrl+1 … Ctrl+6).
fn show_tab(harness: &mut Harness<'_, DeskApp>, number: Key) {
    harness.key_press_modifiers(Modifiers::COMMAND, number);
    harness.run_ok();
}

/// The text a node shows: AccessKit keeps a label's text in its value, other widgets' in their
/// label.
fn text_of(node: &AccessKitNode<'_>) -> Option<String> {
    if node.role() == Role::Label {
        node.value()
    } else {
        node.label()
    }
}

/// Whether the node lies in a modal dialog.
fn in_dialog(node: &AccessKitNode<'_>) -> bool {
    let mut parent = node.parent();
    while let Some(node) = parent {
        if node.role() == Role::Dialog {
            return true;
        }
        parent = node.parent();
    }
    false
}

/// What is visible of each widget: its rectangle cut by what clips it (a list's rows scrolled
/// half out of view are cut where they are drawn; the widget tree keeps their whole rectangle).
fn visible_rects(harness: &Harness<'_, DeskApp>) -> HashMap<egui::accesskit::NodeId, Rect> {
    harness.ctx.viewport(|viewport| {
        viewport
            .this_pass
            .widgets
            .layers()
            .flat_map(|(_, widgets)| widgets.iter())
            .map(|widget| (widget.id.accesskit_id(), widget.interact_rect))
            .collect()
    })
}

/// Widgets with text (labels, buttons, fields) that `keep` keeps and whose rectangles overlap:
/// text drawn over text. A widget inside another (a label in a button) is not an overlap.
fn overlaps(
    harness: &Harness<'_, DeskApp>,
    area: Rect,
    keep: impl Fn(&AccessKitNode<'_>) -> bool,
) -> Vec<String> {
    let visible = visible_rects(harness);
    let texts: Vec<(String, Rect)> = harness
        .query_all_by(|node| {
            keep(node)
                && text_of(node).is_some_and(|text| !text.trim().is_empty())
                && matches!(
                    node.role(),
                    Role::Label
                        | Role::Button
                        | Role::TextInput
                        | Role::CheckBox
                        | Role::RadioButton
                        | Role::ComboBox
                        | Role::Link
                        | Role::Tab
                )
        })
        .map(|node| {
            let ak = node.accesskit_node();
            let rect = visible
                .get(&ak.locate().0)
                .copied()
                .unwrap_or_else(|| node.rect());
            (text_of(&ak).unwrap_or_default(), rect)
        })
        .filter(|(_, rect)| area.contains_rect(*rect) && rect.width() > 0.0 && rect.height() > 0.0)
        .collect();
    let mut found = Vec::new();
    for (index, (a, rect_a)) in texts.iter().enumerate() {
        for (b, rect_b) in &texts[index + 1..] {
            let shared = rect_a.intersect(*rect_b);
            let nested = rect_a.contains_rect(*rect_b) || rect_b.contains_rect(*rect_a);
            if !nested && shared.width() > 1.5 && shared.height() > 1.5 {
                found.push(format!("'{a}' {rect_a:?} overlaps '{b}' {rect_b:?}"));
            }
        }
    }
    found
}

/// Nothing drawn over anything else anywhere in the window.
fn assert_no_overlaps(harness: &Harness<'_, DeskApp>, screen: &str) {
    let found = overlaps(harness, harness.ctx.content_rect(), |_| true);
    assert!(found.is_empty(), "{screen}: {found:#?}");
}

/// The list beside a details panel ends where the panel begins: a panel whose contents are
/// wider than the panel would grow over the list (and its scroll bar would take the drags meant
/// for the panel's edge).
fn assert_list_beside_panel(harness: &Harness<'_, DeskApp>, screen: &str) {
    let edge = harness
        .get_by_role_and_label(Role::Splitter, "Resize panel")
        .rect();
    let mut bars = 0;
    for bar in harness.query_all_by(|node| node.role() == Role::ScrollBar) {
        let rect = bar.rect();
        if rect.left() < edge.left() {
            bars += 1;
            assert!(
                rect.right() <= edge.left(),
                "{screen}: the list's scroll bar {rect:?} reaches under the panel's edge {edge:?}"
            );
        }
    }
    assert!(bars > 0, "{screen}: the list scrolls");
}

fn assert_no_overlaps_in_dialog(harness: &Harness<'_, DeskApp>, screen: &str) {
    let area = harness.ctx.content_rect();
    let texts = harness.query_all_by(in_dialog).count();
    assert!(texts > 10, "{screen}: the dialog is open ({texts} widgets)");
    let found = overlaps(harness, area, in_dialog);
    assert!(found.is_empty(), "{screen}: {found:#?}");
}

/// The (first) node labelled `label` lies inside the window (and is not cut by its right edge).
fn on_screen(harness: &Harness<'_, DeskApp>, label: &str) -> Rect {
    let rect = harness
        .query_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("'{label}' is not in the window"))
        .rect();
    let window = harness.ctx.content_rect();
    assert!(
        window.contains_rect(rect),
        "'{label}' {rect:?} is not inside the window {window:?}"
    );
    rect
}

fn catalog(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    // ↓ selects the first product: its details open on the right.
    harness.key_press(Key::ArrowDown);
    harness.run_ok();
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    let sku = on_screen(&harness, "SKU ▲");
    let status = on_screen(&harness, "Status");
    let details = on_screen(&harness, "Stock movements");
    assert!(
        status.right() <= details.left(),
        "the Status column {status:?} is left of the details {details:?}"
    );
    assert!(sku.left() < 20.0, "SKU stays the first column");
    assert_list_beside_panel(&harness, name);
    if size == SMALL {
        // Bin, category and supplier gave way first.
        for gone in ["Bin", "Category", "Supplier"] {
            assert!(
                harness
                    .query_all_by_role_and_label(Role::Button, gone)
                    .next()
                    .is_none(),
                "{gone} gave way"
            );
        }
    } else {
        for shown in ["Bin", "Category", "Supplier", "Lead time"] {
            on_screen(&harness, shown);
        }
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn catalog_at_1024x700() {
    catalog(SMALL, "catalog_1024x700");
}

#[test]
fn catalog_at_1920x1080() {
    catalog(LARGE, "catalog_1920x1080");
}

fn orders(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num2);
    harness.key_press(Key::ArrowDown);
    harness.run_ok();
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in [
        "New order…",
        "Capture payment",
        "Order",
        "Status",
        "Total",
        "Ship-to…",
    ] {
        on_screen(&harness, label);
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn orders_at_1024x700() {
    orders(SMALL, "orders_1024x700");
}

#[test]
fn orders_at_1920x1080() {
    orders(LARGE, "orders_1920x1080");
}

fn purchase_orders(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num3);
    harness.key_press(Key::ArrowDown);
    harness.run_ok();
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in [
        "New purchase order…",
        "Expected ▲",
        "Supplier",
        "Receive all",
    ] {
        on_screen(&harness, label);
    }
    assert_list_beside_panel(&harness, name);
    assert_no_overlaps(&harness, name);
}

#[test]
fn purchase_orders_at_1024x700() {
    purchase_orders(SMALL, "purchase_orders_1024x700");
}

#[test]
fn purchase_orders_at_1920x1080() {
    purchase_orders(LARGE, "purchase_orders_1920x1080");
}

fn reorder(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num4);
    wait_and_settle(&mut harness, "products to reorder");
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in ["Create draft POs…", "SKU", "Name"] {
        on_screen(&harness, label);
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn reorder_at_1024x700() {
    reorder(SMALL, "reorder_1024x700");
}

#[test]
fn reorder_at_1920x1080() {
    reorder(LARGE, "reorder_1920x1080");
}

fn messages(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num5);
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in ["Deadlines", "Sort by", "Mark as sent"] {
        on_screen(&harness, label);
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn messages_at_1024x700() {
    messages(SMALL, "messages_1024x700");
}

#[test]
fn messages_at_1920x1080() {
    messages(LARGE, "messages_1920x1080");
}

fn deadlines(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num5);
    harness.get_by_label("Deadlines").click();
    harness.run_ok();
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in ["Due ▲", "Stage", "Customer"] {
        on_screen(&harness, label);
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn deadlines_at_1024x700() {
    deadlines(SMALL, "deadlines_1024x700");
}

#[test]
fn deadlines_at_1920x1080() {
    deadlines(LARGE, "deadlines_1920x1080");
}

fn dashboard(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num6);
    wait_and_settle(&mut harness, "vs previous 90 days");
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    on_screen(&harness, "Backorder rate");
    assert_no_overlaps(&harness, name);
}

#[test]
fn dashboard_at_1024x700() {
    dashboard(SMALL, "dashboard_1024x700");
}

#[test]
fn dashboard_at_1920x1080() {
    dashboard(LARGE, "dashboard_1920x1080");
}

fn settings(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    harness.run_ok();
    // The image first: when a check below fails, it shows what the window looked like.
    snapshot(&mut harness, name);
    for label in [
        "Save",
        "Consumer rule",
        "Currency",
        "Both (the stricter of each)",
    ] {
        on_screen(&harness, label);
    }
    assert_no_overlaps_in_dialog(&harness, name);
}

#[test]
fn settings_at_1024x700() {
    settings(SMALL, "settings_1024x700");
}

#[test]
fn settings_at_1920x1080() {
    settings(LARGE, "settings_1920x1080");
}

/// The window on the demo shop without a renderer, for the behaviour checks.
fn plain_window(dir: &Path, size: Vec2) -> Harness<'static, DeskApp> {
    let path = demo_shop(dir);
    let clock = common::clock();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_max_steps(24)
        .build_eframe(move |cc| DeskApp::new(cc, Some(path), clock));
    harness.run();
    harness
}

fn shows(harness: &Harness<'_, DeskApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// Drags the details panel's edge `dx` points sideways (negative: to the left, wider).
fn drag_panel_edge(harness: &mut Harness<'_, DeskApp>, dx: f32) {
    let edge = harness
        .get_by_role_and_label(Role::Splitter, "Resize panel")
        .rect()
        .center();
    let to = edge + egui::vec2(dx, 0.0);
    harness.event(egui::Event::PointerMoved(edge));
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: edge,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for step in 1..=5 {
        harness.event(egui::Event::PointerMoved(
            edge + (to - edge) * (step as f32 / 5.0),
        ));
        harness.step();
    }
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run();
}

#[test]
fn the_product_details_close_resize_and_leave_with_the_filter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = plain_window(dir.path(), SMALL);
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(
        shows(&harness, "Stock movements"),
        "↓ selects and shows APP-00005"
    );
    // Wider by dragging its edge: the movements heading moves 80 points to the left.
    let before = harness.get_by_label("Stock movements").rect().left();
    drag_panel_edge(&mut harness, -80.0);
    let after = harness.get_by_label("Stock movements").rect().left();
    assert!(
        (before - after - 80.0).abs() < 2.0,
        "the panel grew from its edge: {before} → {after}"
    );
    assert_no_overlaps(&harness, "catalog with a wider panel");
    assert_list_beside_panel(&harness, "catalog with a wider panel");
    // As wide as it goes: the list keeps SKU, name, available and the status.
    drag_panel_edge(&mut harness, -600.0);
    assert_list_beside_panel(&harness, "catalog with the widest panel");
    for label in ["SKU ▲", "Name", "Available", "Status"] {
        // The column headers (the details have an "Available" too).
        let rect = harness.get_by_role_and_label(Role::Button, label).rect();
        let edge = harness
            .get_by_role_and_label(Role::Splitter, "Resize panel")
            .rect();
        assert!(
            rect.right() < edge.left(),
            "{label} stays left of the panel"
        );
    }
    // × closes; Enter shows the row's details again; Escape closes.
    harness.get_by_label("×").click();
    harness.run();
    assert!(!shows(&harness, "Stock movements"), "× closed the details");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(shows(&harness, "Stock movements"), "Enter shows them again");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        !shows(&harness, "Stock movements"),
        "Escape closed the details"
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert!(shows(&harness, "Stock movements"));
    // A search that hides the product clears the details, also once the search is cleared.
    common::fill(&mut harness, "Search", "HOM-");
    assert!(
        !shows(&harness, "Stock movements"),
        "APP-00005 is filtered out"
    );
    harness.get_by_label("Clear").click();
    harness.run();
    assert!(shows(&harness, "APP-00005"));
    assert!(!shows(&harness, "Stock movements"), "nothing is selected");
}

#[test]
fn the_order_details_close_and_leave_with_the_search() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = plain_window(dir.path(), SMALL);
    show_tab(&mut harness, Key::Num2);
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(shows(&harness, "Ship reserved"), "↓ shows SO-004950");
    let before = harness.get_by_label("Ship reserved").rect().left();
    drag_panel_edge(&mut harness, -100.0);
    let after = harness.get_by_label("Ship reserved").rect().left();
    assert!(
        (before - after - 100.0).abs() < 2.0,
        "the panel grew from its edge: {before} → {after}"
    );
    assert_no_overlaps(&harness, "orders with a wider panel");
    assert_list_beside_panel(&harness, "orders with a wider panel");
    drag_panel_edge(&mut harness, -600.0);
    assert_list_beside_panel(&harness, "orders with the widest panel");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        !shows(&harness, "Ship reserved"),
        "Escape closed the details"
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert!(shows(&harness, "Ship reserved"));
    harness.get_by_label("×").click();
    harness.run();
    assert!(!shows(&harness, "Ship reserved"), "× closed the details");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(shows(&harness, "Ship reserved"));
    common::fill(&mut harness, "Search", "SO-004949");
    assert!(
        !shows(&harness, "Ship reserved"),
        "SO-004950 is filtered out"
    );
}

#[test]
fn the_purchase_order_details_leave_with_open_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = plain_window(dir.path(), SMALL);
    show_tab(&mut harness, Key::Num3);
    // The ninth row (by expected date: open ones first) is PO-00086, received.
    for _ in 0..9 {
        harness.key_press(Key::ArrowDown);
        harness.run();
    }
    assert!(
        harness.query_all_by_label_contains("PO-00086").count() >= 2,
        "PO-00086 selected: in the list and in its details"
    );
    // The details' title: the rightmost PO-00086.
    let title = |harness: &Harness<'_, DeskApp>| {
        harness
            .query_all_by_label("PO-00086")
            .map(|node| node.rect().left())
            .fold(f32::MIN, f32::max)
    };
    let before = title(&harness);
    drag_panel_edge(&mut harness, -40.0);
    let after = title(&harness);
    assert!(
        (before - after - 40.0).abs() < 2.0,
        "the panel grew from its edge: {before} → {after}"
    );
    assert_no_overlaps(&harness, "purchase orders with a wider panel");
    assert_list_beside_panel(&harness, "purchase orders with a wider panel");
    drag_panel_edge(&mut harness, -600.0);
    assert_list_beside_panel(&harness, "purchase orders with the widest panel");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.query_all_by_label_contains("PO-00086").count(), 1);
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_all_by_label_contains("PO-00086").count() >= 2);
    harness.get_by_label("Open only").click();
    harness.run();
    assert_eq!(
        harness.query_all_by_label_contains("PO-00086").count(),
        0,
        "the received PO left the list and the details"
    );
    assert!(!shows(&harness, "Cancel purchase order…"));
}

fn safety_stock(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num4);
    wait_and_settle(&mut harness, "products to reorder");
    // Enter on the first suggestion opens it in the calculator.
    harness.key_press(Key::ArrowDown);
    harness.run_ok();
    harness.key_press(Key::Enter);
    harness.run_ok();
    wait_and_settle(&mut harness, "Service level");
    snapshot(&mut harness, name);
    on_screen(&harness, "Safety stock calculator");
    assert_no_overlaps(&harness, name);
}

#[test]
fn safety_stock_at_1024x700() {
    safety_stock(SMALL, "safety_stock_1024x700");
}

#[test]
fn safety_stock_at_1920x1080() {
    safety_stock(LARGE, "safety_stock_1920x1080");
}

fn backorder_policy(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num4);
    harness.get_by_label("Backorder policy").click();
    harness.run_ok();
    wait_and_settle(&mut harness, "Policy now");
    snapshot(&mut harness, name);
    for label in ["Policy now", "Suggestion"] {
        on_screen(&harness, label);
    }
    assert_no_overlaps(&harness, name);
}

#[test]
fn backorder_policy_at_1024x700() {
    backorder_policy(SMALL, "backorder_policy_1024x700");
}

#[test]
fn backorder_policy_at_1920x1080() {
    backorder_policy(LARGE, "backorder_policy_1920x1080");
}

fn templates(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num5);
    harness.get_by_label("Templates").click();
    harness.run_ok();
    snapshot(&mut harness, name);
    assert_no_overlaps(&harness, name);
}

#[test]
fn templates_at_1024x700() {
    templates(SMALL, "templates_1024x700");
}

#[test]
fn templates_at_1920x1080() {
    templates(LARGE, "templates_1920x1080");
}

fn new_order(size: Vec2, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), size);
    show_tab(&mut harness, Key::Num2);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    harness.run_ok();
    common::fill(&mut harness, "Customer", "Cy Dee");
    common::fill(&mut harness, "E-mail", "cy@example.com");
    // A product in stock and one with nothing available: their lines and what they get.
    common::add_order_line(&mut harness, "APP-00011");
    common::add_order_line(&mut harness, "APP-00005");
    // Suggestions for the next one stay open under the field.
    common::fill(&mut harness, "Product", "tote");
    snapshot(&mut harness, name);
    for label in [
        "Place order",
        "Ship to (optional)",
        "Fjäll Sand Tote bag",
        "Crème Forest T-shirt",
    ] {
        on_screen(&harness, label);
    }
    assert_no_overlaps_in_dialog(&harness, name);
}

#[test]
fn new_order_at_1024x700() {
    new_order(SMALL, "new_order_1024x700");
}

#[test]
fn new_order_at_1920x1080() {
    new_order(LARGE, "new_order_1920x1080");
}
