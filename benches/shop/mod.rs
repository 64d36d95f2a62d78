//! The large demo shop the benchmarks share: written once with the real demo generator and kept
//! under `target/bench-shops/`, so later runs (and other benchmarks) skip building it.
#![allow(
    dead_code,
    reason = "every benchmark includes this module and uses a part of it"
)]

use std::path::PathBuf;
use std::time::Instant;

use backorder_desk::app::Clock;
use backorder_desk::app::demo::{DemoSpec, load_demo};
use backorder_desk::app::jobs::Progress;
use backorder_desk::store::Store;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The demo shop with `products` products and `order_lines` order lines (seed 7), built on first
/// use.
pub fn demo_file(products: usize, order_lines: usize, clock: Clock) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-shops");
    std::fs::create_dir_all(&folder).expect("bench folder");
    let path = folder.join(format!("demo-{products}-{order_lines}.sqlite"));
    if path.exists() {
        println!("using the cached demo shop {}", path.display());
        return path;
    }
    let partial = folder.join(format!("demo-{products}-{order_lines}.partial.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    {
        let mut store = Store::open(&partial).expect("open");
        let spec = DemoSpec {
            products,
            order_lines,
            seed: 7,
        };
        load_demo(&mut store, spec, &clock, &Progress::default()).expect("demo");
        store
            .connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
    }
    std::fs::rename(&partial, &path).expect("keep the demo file");
    println!(
        "demo shop written in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    path
}

/// Peak resident set size of this process in KiB (Linux).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
}
