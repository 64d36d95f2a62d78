//! The whole app on the large demo shop: cold start and peak memory.
//!
//! `cargo bench --bench app` (env `BENCH_PRODUCTS`, `BENCH_ORDER_LINES`, `BENCH_RUNS`). Uses the
//! demo shop of `benches/shop` (built once, kept under `target/bench-shops/`).
//!
//! - **Cold start**: the benchmark starts itself again as a child process that opens the shop
//!   file with the real window code (store opened, migrations checked, screens set up) and builds
//!   the first frame headless (egui run and tessellation, no GPU), then exits. The time is from
//!   spawning the child to its exit, so it includes process start-up.
//! - **Memory**: a child opens the window headless, shows the catalog until its rows are loaded,
//!   then the dashboard until its figures are computed, and reports its peak resident set size.

mod shop;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::backup::daily_backup_if_due;
use backorder_desk::store::Store;
use backorder_desk::ui::DeskApp;
use backorder_desk::ui::catalog::thousands;
use chrono::NaiveDate;
use egui::{Pos2, RawInput, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use shop::{demo_file, env_usize, peak_rss_kib};

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Child: open the shop in the window code and build one frame.
fn child_startup(path: PathBuf) {
    let started = Instant::now();
    let ctx = egui::Context::default();
    let creation = eframe::CreationContext::_new_kittest(ctx.clone());
    let mut app = DeskApp::new(&creation, Some(path), clock());
    let opened = started.elapsed();
    assert!(app.store().is_some(), "the shop file did not open");
    let mut frame = eframe::Frame::_new_kittest();
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
        ..RawInput::default()
    };
    eframe::App::logic(&mut app, &ctx, &mut frame);
    let output = ctx.run_ui(input, |ui| eframe::App::ui(&mut app, ui, &mut frame));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    let total = started.elapsed();
    println!(
        "child: open {:.1} ms, first frame {:.1} ms",
        ms(opened),
        ms(total.saturating_sub(opened))
    );
}

/// Steps the window until a node labelled `label` shows (workers fill the screens).
fn wait_for(harness: &mut Harness<'static, DeskApp>, label: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_mins(10) {
        harness.step();
        if harness.query_all_by_label(label).next().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("'{label}' never showed");
}

/// Child: catalog, then dashboard; print the peak RSS.
fn child_memory(path: PathBuf, products: usize) {
    let mut harness: Harness<'static, DeskApp> = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(4)
        .build_eframe(move |cc| DeskApp::new(cc, Some(path), clock()));
    let count = thousands(products);
    wait_for(&mut harness, &format!("{count} of {count} products"));
    let after_catalog = peak_rss_kib().unwrap_or(0);
    harness.get_by_label("Dashboard").click();
    wait_for(&mut harness, "Backorder rate");
    for _ in 0..5 {
        harness.step();
    }
    let peak = peak_rss_kib().unwrap_or(0);
    println!("child-memory: after catalog {after_catalog} KiB, peak {peak} KiB");
}

fn spawn(args: &[&str], path: &Path) -> (Duration, String) {
    let exe = std::env::current_exe().expect("own path");
    let started = Instant::now();
    let output = Command::new(exe)
        .args(args)
        .arg(path)
        .output()
        .expect("start the child");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "child failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        elapsed,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|arg| arg == "--child-startup") {
        child_startup(PathBuf::from(&args[position + 1]));
        return;
    }
    let products = env_usize("BENCH_PRODUCTS", 100_000);
    if let Some(position) = args.iter().position(|arg| arg == "--child-memory") {
        child_memory(PathBuf::from(&args[position + 1]), products);
        return;
    }
    let order_lines = env_usize("BENCH_ORDER_LINES", 1_000_000);
    let runs = env_usize("BENCH_RUNS", 7).max(1);
    let path = demo_file(products, order_lines, clock());
    println!("app bench: {products} products, {order_lines} order lines");
    // The day's backup is written once a day (on a worker for a big shop): write it now, so the
    // timed starts measure a start on a day that already has one.
    {
        let store = Store::open(&path).expect("open");
        daily_backup_if_due(&store, &clock()).expect("daily backup");
    }

    // One untimed start warms the page cache (and runs any pending migration of the cached file).
    let (_, first) = spawn(&["--child-startup"], &path);
    println!("warm-up start: {}", first.trim());
    let mut times = Vec::new();
    let mut last = String::new();
    for _ in 0..runs {
        let (elapsed, out) = spawn(&["--child-startup"], &path);
        times.push(elapsed);
        last = out;
    }
    times.sort();
    println!(
        "{:<52} median {:>8.1} ms  min {:>8.1} ms  max {:>8.1} ms  (n={runs}; last {})",
        "cold start: process start → first frame",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
        last.trim()
    );

    let (elapsed, out) = spawn(&["--child-memory"], &path);
    println!(
        "{:<52} {} (in {:.1} s)",
        "memory: catalog, then dashboard",
        out.trim(),
        elapsed.as_secs_f64()
    );
}
