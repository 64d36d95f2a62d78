//! Files far larger than a shop's own: how fast the import reader gets through a million order
//! lines, and whether a 2 GB file streams through the real program in flat memory. Measurements,
//! not checks for every test run.
//!
//! `cargo bench --bench large_files` runs both; `-- parse` or `-- stream` runs one.
//!
//! - **parse**: a million generated order lines (or the file `BD_ORDERS_FILE`) through the
//!   import reader (decoding, columns, every value checked), next to a bare CSV pass over the
//!   same file.
//! - **stream**: an orders file of 2 GB (`BD_HUGE_BYTES` for another size) checked by the built
//!   program with `import orders --dry-run`, its peak resident memory sampled from `/proc`
//!   (Linux). Every SKU is unknown, so every row is an error: the report keeps 100,000 and counts
//!   the rest. Fails if the peak reaches 400 MB. Needs the file's size free in the temp folder.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use backorder_desk::io::csv_import::{ImportOptions, ORDER_HEADER, open};

/// Peak resident memory of a running process, from `/proc` (Linux), in KiB.
fn peak_rss_kib_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// A million order lines in the shop's own orders layout, in a temporary file.
fn generated_orders(lines: u64) -> io::Result<File> {
    let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
    writeln!(out, "{}", ORDER_HEADER.join(","))?;
    for n in 1..=lines {
        writeln!(
            out,
            "{},2024-{:02}-{:02} 10:{:02}:00,Customer {n},c{n}@example.com,SKU-{:04},{},{}.{:02},open,,0,normal",
            100_000 + n / 3,
            1 + n % 12,
            1 + n % 28,
            n % 60,
            n % 5000,
            1 + n % 7,
            n % 90,
            n % 100
        )?;
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

fn parse() {
    let mut file = if let Ok(path) = std::env::var("BD_ORDERS_FILE") {
        File::open(path).expect("given file")
    } else {
        generated_orders(1_000_000).expect("written")
    };
    let size = file.seek(SeekFrom::End(0)).expect("end");

    file.rewind().expect("rewound");
    let started = Instant::now();
    let mut bare = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(file.try_clone().expect("clone")));
    let mut record = csv::ByteRecord::new();
    let mut records = 0_u64;
    while bare.read_byte_record(&mut record).expect("bare read") {
        records += 1;
    }
    println!(
        "bare CSV pass:  {records} records in {:?}",
        started.elapsed()
    );

    file.rewind().expect("rewound");
    let started = Instant::now();
    let mut rows = open(
        BufReader::with_capacity(1 << 16, file),
        &ImportOptions::default(),
    )
    .expect("opens")
    .orders()
    .expect("orders");
    let valid = rows
        .by_ref()
        .filter(|item| matches!(item, Ok(Ok(_))))
        .count();
    let elapsed = started.elapsed();
    assert_eq!(rows.bytes_read(), size);
    assert_eq!(valid as u64, records - 1);
    println!("import reader:  {valid} order lines ({size} bytes) in {elapsed:?}");
}

fn stream() {
    let target: u64 = std::env::var("BD_HUGE_BYTES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(2 << 30);
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let desk = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_backorder-desk"));
        command
            .arg("--db")
            .arg(&shop)
            .args(["--today", "2026-03-15"]);
        command
    };
    let added = desk()
        .args(["add-product", "--sku", "KNOWN", "--name", "Known"])
        .output()
        .expect("run");
    assert!(added.status.success(), "{added:?}");
    let file = dir.path().join("huge.csv");
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&file).expect("create"));
    writeln!(
        out,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status"
    )
    .expect("write");
    let mut written = 0_u64;
    let mut rows = 0_u64;
    while written < target {
        let line = format!(
            "H-{rows:010},2025-06-{:02} 09:30:00,Customer {},c{}@example.com,UNKNOWN-{},{},4.50,open\n",
            1 + rows % 28,
            rows % 9973,
            rows % 9973,
            rows % 5000,
            1 + rows % 4
        );
        out.write_all(line.as_bytes()).expect("write");
        written += line.len() as u64;
        rows += 1;
    }
    out.flush().expect("flush");
    drop(out);

    let started = Instant::now();
    let mut child = desk()
        .args([
            "import",
            "orders",
            file.to_str().expect("utf-8"),
            "--dry-run",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        BufReader::new(stdout)
            .read_to_string(&mut text)
            .expect("read output");
        text
    });
    let mut peak = 0;
    let mut samples = Vec::new();
    while child.try_wait().expect("poll").is_none() {
        if let Some(kib) = peak_rss_kib_of(pid) {
            peak = peak.max(kib);
            samples.push(kib);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = reader.join().expect("reader");
    let elapsed = started.elapsed();
    let quarter = samples.get(samples.len() / 4).copied().unwrap_or(0);
    println!(
        "{rows} rows, {written} bytes: dry run in {elapsed:?}, peak RSS {} MB (at a quarter: {} MB)",
        peak / 1024,
        quarter / 1024
    );
    assert!(
        output.contains(&format!("{rows} read")),
        "{}",
        output.lines().take(3).collect::<Vec<_>>().join("\n")
    );
    assert!(output.contains(&format!("… and {} more errors", rows - 100_000)));
    assert!(peak < 400 * 1024, "peak RSS {peak} KiB");
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments name the measurements to run.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|arg| arg == name);
    if wanted("parse") {
        parse();
    }
    if wanted("stream") {
        stream();
    }
}
