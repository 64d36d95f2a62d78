//! Catalog speed at scale: the real catalog screen run headless with egui.
//!
//! `cargo bench --bench catalog` (env `BENCH_PRODUCTS`, `BENCH_ORDER_LINES` change the size of
//! the shared demo shop, default 100,000 products and 1,000,000 order lines; see `benches/shop`).
//! Reports CPU time per frame including tessellation while scrolling and while typing a filter,
//! the time from a filter change to the filtered rows, and the catalog query.

use std::time::{Duration, Instant};

mod shop;
use shop::{demo_file, env_usize};

use backorder_desk::app::Clock;
use backorder_desk::store::Store;
use backorder_desk::ui::catalog::{CatalogFilter, CatalogScreen, CatalogView, SortColumn};
use backorder_desk::ui::shared::theme;
use chrono::NaiveDate;
use egui::{
    Event, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase, vec2,
};

struct Stats(Vec<Duration>);

impl Stats {
    fn report(&mut self, what: &str) {
        self.0.sort();
        let n = self.0.len();
        let at = |q: f64| self.0[((n as f64 - 1.0) * q).round() as usize];
        println!(
            "{what:<44} n={n:<4} median {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
            ms(at(0.5)),
            ms(at(0.99)),
            ms(at(1.0))
        );
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's measurements one after another, each printed as it is taken"
)]
fn main() {
    let products = env_usize("BENCH_PRODUCTS", 100_000);
    let order_lines = env_usize("BENCH_ORDER_LINES", 1_000_000);
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
    let today = clock.today();
    let path = demo_file(products, order_lines, clock);
    let store = Store::open(&path).expect("open");
    println!("catalog bench: {products} products, {order_lines} order lines");

    let mut query = Stats(Vec::new());
    for _ in 0..5 {
        let start = Instant::now();
        let rows = store.catalog().expect("catalog");
        query.0.push(start.elapsed());
        assert_eq!(rows.len(), products);
    }
    query.report("catalog query (all rows with stock figures)");

    // Search keystrokes on the cached view: filter change → filtered rows.
    let mut view = CatalogView::default();
    view.set_rows(store.catalog().expect("catalog"));
    view.update(&CatalogFilter::default(), SortColumn::Sku, true);
    let mut keystroke = Stats(Vec::new());
    for round in 0..5 {
        let mut filter = CatalogFilter::default();
        for ch in "heritage rust".chars() {
            filter.search.push(ch);
            let start = Instant::now();
            view.update(&filter, SortColumn::Sku, round % 2 == 0);
            keystroke.0.push(start.elapsed());
        }
    }
    keystroke.report("search keystroke → filtered rows");
    let mut resort = Stats(Vec::new());
    for column in [
        SortColumn::Name,
        SortColumn::Available,
        SortColumn::Status,
        SortColumn::Sku,
    ] {
        let start = Instant::now();
        view.update(&CatalogFilter::default(), column, true);
        resort.0.push(start.elapsed());
    }
    resort.report("sort by a column (all rows)");

    // Whole frames of the real screen, headless.
    let ctx = egui::Context::default();
    theme::apply(&ctx);
    let mut screen = CatalogScreen::default();
    let mut commands = Vec::new();
    let screen_rect = Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0));
    let mut time = 0.0;
    let mut frame = |screen: &mut CatalogScreen, events: Vec<Event>| -> Duration {
        time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(screen_rect),
            time: Some(time),
            events,
            ..RawInput::default()
        };
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default()
                .show(ui, |ui| screen.ui(ui, &store, 1, today, &mut commands));
        });
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        start.elapsed()
    };
    // The first frame starts reading the catalog on a worker thread (more than
    // `SYNC_LOAD_LIMIT` products) and shows a spinner; later frames show the rows once read.
    let shown = Instant::now();
    let first = frame(&mut screen, Vec::new());
    let mut waiting = Stats(Vec::new());
    while screen.is_loading() {
        waiting.0.push(frame(&mut screen, Vec::new()));
        std::thread::sleep(Duration::from_millis(2));
    }
    let rows_after = shown.elapsed();
    println!(
        "{:<44} {:>8.3} ms",
        "first frame (starts loading the catalog)",
        ms(first)
    );
    if !waiting.0.is_empty() {
        waiting.report("frame while the catalog loads");
    }
    println!(
        "{:<44} {:>8.3} ms",
        "first frame → rows on screen",
        ms(rows_after)
    );
    for _ in 0..10 {
        frame(&mut screen, Vec::new());
    }
    let wheel = |dy: f32| {
        vec![
            Event::PointerMoved(Pos2::new(500.0, 400.0)),
            Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: vec2(0.0, dy),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            },
        ]
    };
    let mut scrolling = Stats(Vec::new());
    for step in 0..400 {
        let dy = if step < 300 { -180.0 } else { 240.0 };
        scrolling.0.push(frame(&mut screen, wheel(dy)));
    }
    scrolling.report("frame while scrolling");
    let mut typing = Stats(Vec::new());
    for round in 0..4 {
        screen.filter.search.clear();
        for ch in "compact ivory".chars() {
            screen.filter.search.push(ch);
            typing.0.push(frame(&mut screen, Vec::new()));
        }
        if round % 2 == 1 {
            screen.filter.search.clear();
            typing.0.push(frame(&mut screen, Vec::new()));
        }
    }
    typing.report("frame with a filter keystroke");
    let mut idle = Stats(Vec::new());
    for _ in 0..200 {
        idle.0.push(frame(
            &mut screen,
            vec![Event::PointerMoved(Pos2::new(600.0, 300.0))],
        ));
    }
    idle.report("frame, pointer moving over the table");
}
