//! The Dashboard tab in the window (`egui_kittest`, no GPU).

use crate::common;

use common::{finish_jobs, harness, replace, shows, wait_for};
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::orders::{OrderInput, place_order};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).expect("date")
}

fn clock() -> Clock {
    Clock::fixed(day(3, 10))
}

/// A lamp with 1 on hand: an order of 1 on 5 Jan (filled) and an order of 1 on 5 Mar (short).
fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite");
    let mut store = Store::open(&path).expect("open");
    let draft = ProductDraft {
        sku: "LAMP".into(),
        name: "Brass lamp".into(),
        supplier: "Acme".into(),
        price: "40.00".into(),
        ..ProductDraft::default()
    };
    save_product(&mut store, None, &draft, 1, &Clock::fixed(day(1, 2))).expect("product");
    for date in [day(1, 5), day(3, 5)] {
        let input = OrderInput {
            order_number: String::new(),
            customer_name: "Ann".into(),
            customer_email: "ann@example.com".into(),
            ordered_at: None,
            priority: Priority::Normal,
            ship: ShipPreference::Partial,
            lines: vec![("LAMP".into(), 1)],
        };
        place_order(&mut store, &input, &Clock::fixed(date)).expect("order");
    }
    path
}

#[test]
fn changing_the_period_updates_the_cards() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Dashboard").click();
    harness.step();

    // Last 90 days (11 Dec – 10 Mar): both orders, one of them short.
    finish_jobs(&mut harness);
    assert!(shows(&harness, "+2 vs previous 90 days"));
    assert!(shows(&harness, "50.0%"), "backorder rate 1 of 2");

    harness.get_by_label("Last 30 days").click();
    // Last 30 days (9 Feb – 10 Mar): only the short order.
    finish_jobs(&mut harness);
    assert!(shows(&harness, "+1 vs previous 30 days"));
    assert!(shows(&harness, "100.0%"), "backorder rate 1 of 1");
    assert!(!shows(&harness, "50.0%"));

    // Back to 90 days: from the cache, at once.
    harness.get_by_label("Last 90 days").click();
    harness.run();
    assert!(shows(&harness, "+2 vs previous 90 days"));
    assert!(shows(&harness, "50.0%"));

    // LAMP has demand and nothing available: it heads "Fewest days of cover"; its SKU opens
    // it in the catalog.
    assert!(shows(&harness, "Fewest days of cover"));
    harness.get_by_label("LAMP").scroll_to_me();
    harness.run();
    harness.get_by_label("LAMP").click();
    harness.run();
    assert!(shows(&harness, "Search"), "the catalog is shown");
    assert!(
        shows(&harness, "Stock movements"),
        "LAMP is selected: its detail panel shows"
    );
}

#[test]
fn a_custom_period_without_orders_shows_dashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Dashboard").click();
    harness.step();
    finish_jobs(&mut harness);
    assert!(shows(&harness, "+2 vs previous 90 days"));

    harness.get_by_label("Custom").click();
    harness.run();
    // The fields hold the current period: typed over.
    replace(&mut harness, "From", "2026-02-01");
    replace(&mut harness, "To", "2026-02-10");
    harness.get_by_label("Apply").click();
    finish_jobs(&mut harness);
    assert!(shows(&harness, "+0 vs previous 10 days"));
    assert_eq!(card_value(&harness, "Orders"), "0");
    // No orders and no lines: every rate over them is undefined and shows a dash, not 0%.
    for title in [
        "Backorder rate",
        "Fill rate (units)",
        "Order fill rate",
        "Perfect orders",
        "Promises kept",
        "Shipped inside the window",
        "Average backorder wait",
        "Backorder cancellations",
        // The lamp has no unit cost: the average inventory at cost is 0.
        "Inventory turnover",
    ] {
        assert_eq!(card_value(&harness, title), "—", "{title}");
    }
    // A rate that is defined shows its number: 0 of the lamp's 10 SKU-days out of stock.
    assert_eq!(card_value(&harness, "Stockout frequency"), "0.00%");
}

/// The value the dashboard card titled `title` shows (a card: its title, value and note).
fn card_value(harness: &Harness<'_, DeskApp>, title: &str) -> String {
    let values: Vec<String> = harness
        .query_all_by_label(title)
        .filter_map(|node| {
            let children: Vec<_> = node.parent()?.children().collect();
            let [first, value, _note] = children.as_slice() else {
                return None;
            };
            (first.accesskit_node().id() == node.accesskit_node().id())
                .then(|| value.accesskit_node().value())
                .flatten()
        })
        .collect();
    assert_eq!(values.len(), 1, "one card titled {title}: {values:?}");
    values.concat()
}

/// Two charts' ranges are the same (to a billionth: the same view).
fn same(a: [f64; 4], b: [f64; 4]) -> bool {
    a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-9)
}

/// A wheel turn of `dy` points at `pos` (with `modifiers` held).
fn wheel(harness: &mut Harness<'_, DeskApp>, pos: egui::Pos2, dy: f32, modifiers: egui::Modifiers) {
    harness.event(egui::Event::PointerMoved(pos));
    harness.step();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers,
    });
    harness.run();
}

#[test]
fn the_wheel_scrolls_the_page_until_a_chart_is_clicked_and_reset_view_brings_it_back() {
    use backorder_desk::app::kpi::Chart;
    const TITLE: &str = "Backorder rate and fill rate per week";
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Dashboard").click();
    harness.step();
    wait_for(&mut harness, "+2 vs previous 90 days");
    harness.run();
    let bounds = |harness: &Harness<'_, DeskApp>| {
        harness
            .state()
            .dashboard()
            .chart_bounds(Chart::Rates)
            .expect("the chart is drawn")
    };
    let shown = bounds(&harness);
    let title = harness.get_by_label(TITLE).rect();
    // Inside the plot, below its title.
    let inside = title.left_bottom() + egui::vec2(120.0, 90.0);

    // The wheel over the chart scrolls the page: the chart moves up, its view stays.
    wheel(&mut harness, inside, -60.0, egui::Modifiers::NONE);
    let moved = harness.get_by_label(TITLE).rect();
    assert!(
        moved.top() < title.top() - 30.0,
        "the page scrolled: {title:?} → {moved:?}"
    );
    assert!(same(bounds(&harness), shown), "the chart kept its view");
    assert!(!harness.state().dashboard().chart_is_active(Chart::Rates));

    // A click into the chart lets the wheel pan it.
    let inside = moved.left_bottom() + egui::vec2(120.0, 90.0);
    harness.event(egui::Event::PointerMoved(inside));
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: inside,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.event(egui::Event::PointerButton {
        pos: inside,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run();
    assert!(harness.state().dashboard().chart_is_active(Chart::Rates));
    let page = harness.get_by_label(TITLE).rect();
    wheel(&mut harness, inside, -60.0, egui::Modifiers::NONE);
    assert!(!same(bounds(&harness), shown), "the wheel panned the chart");
    assert_eq!(
        harness.get_by_label(TITLE).rect(),
        page,
        "the page did not scroll"
    );

    // Reset view (the one beside this chart's title) shows all the data again and gives the
    // wheel back to the page.
    let reset = harness
        .query_all_by_label("Reset view")
        .min_by(|a, b| {
            let distance = |node: &egui_kittest::Node<'_>| (node.rect().top() - page.top()).abs();
            distance(a).total_cmp(&distance(b))
        })
        .expect("a Reset view button");
    reset.click();
    harness.run();
    assert!(same(bounds(&harness), shown), "all the data again");
    assert!(!harness.state().dashboard().chart_is_active(Chart::Rates));
}

#[test]
fn the_supplier_lead_time_table_sorts_by_its_headers() {
    use backorder_desk::app::purchasing::{PoInput, create_po, receive};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    {
        let mut store = Store::open(&path).expect("open");
        // Acme takes 10 days (Feb 20 → Mar 2), Bolt 3 days (Feb 26 → Mar 1).
        for (sku, supplier, ordered, received) in [
            ("LAMP", "Acme", day(2, 20), day(3, 2)),
            ("VASE", "Bolt", day(2, 26), day(3, 1)),
        ] {
            let draft = ProductDraft {
                sku: sku.into(),
                name: sku.into(),
                supplier: supplier.into(),
                price: "10.00".into(),
                ..ProductDraft::default()
            };
            save_product(&mut store, None, &draft, 0, &Clock::fixed(day(2, 1))).expect("product");
            let po = PoInput {
                po_number: format!("PO-{sku}"),
                supplier: supplier.into(),
                ordered_at: Some(ordered),
                expected_at: Some(received),
                confirmed: false,
                lines: vec![(sku.into(), 5, None)],
            };
            create_po(&mut store, &po, &Clock::fixed(ordered)).expect("po");
            receive(
                &mut store,
                &po.po_number,
                None,
                received,
                &Clock::fixed(received),
            )
            .expect("receive");
        }
    }
    // Tall enough that the table at the page's foot is on screen (clicks land there).
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 2400.0))
        .with_max_steps(12)
        .build_eframe(move |cc| DeskApp::new(cc, Some(path), clock()));
    harness.run();
    harness.get_by_label("Dashboard").click();
    finish_jobs(&mut harness);
    let top =
        |harness: &Harness<'_, DeskApp>, label: &str| harness.get_by_label(label).rect().top();
    // By supplier name first: Acme (10 days) above Bolt (3 days).
    assert!(top(&harness, "10.0 days") < top(&harness, "3.0 days"));
    harness.get_by_label("Mean lead time").click();
    harness.run();
    assert!(shows(&harness, "Mean lead time ▲"));
    assert!(top(&harness, "3.0 days") < top(&harness, "10.0 days"));
    harness.get_by_label("Mean lead time ▲").click();
    harness.run();
    assert!(top(&harness, "10.0 days") < top(&harness, "3.0 days"));
    harness.get_by_label("Supplier").click();
    harness.run();
    harness.get_by_label("Supplier ▲").click();
    harness.run();
    assert!(shows(&harness, "Supplier ▼"));
    // Bolt before Acme.
    assert!(top(&harness, "3.0 days") < top(&harness, "10.0 days"));
}
