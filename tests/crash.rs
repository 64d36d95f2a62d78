//! Crash safety: the real binary is killed with SIGKILL in the middle of a large import, a
//! receipt of a big purchase order and marking a big pick list picked. Opened again, the shop
//! file passes `PRAGMA integrity_check`, the stock ledger matches on hand, and the change is
//! either wholly there or wholly absent.
//!
//! "In the middle" is seen from outside: while the command holds SQLite's write lock (its
//! transaction has written something and not committed), another connection cannot begin an
//! immediate transaction. For the import the kill also waits until the command has read part of
//! the file (Linux: `/proc/PID/io`).

#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backorder_desk::app::Clock;
use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::app::picklist::{PickListRequest, create_pick_list};
use backorder_desk::domain::picklist::PickLayout;
use backorder_desk::store::Store;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

const TODAY: &str = "2026-03-15";

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"))
}

fn start(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_backorder-desk"))
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start backorder-desk")
}

/// True while another connection holds the write lock (a write transaction is open).
fn write_lock_held(db: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    let _ = conn.busy_timeout(Duration::ZERO);
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => {
            let _ = conn.execute_batch("ROLLBACK");
            false
        }
        Err(_) => true,
    }
}

/// Bytes the process has read so far (`None` where `/proc` does not tell).
fn bytes_read(child: &Child) -> Option<u64> {
    let io = std::fs::read_to_string(format!("/proc/{}/io", child.id())).ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .and_then(|value| value.trim().parse().ok())
}

/// How a run ended.
#[derive(Debug, PartialEq, Eq)]
enum Ending {
    /// Killed while its transaction was open.
    KilledMidway,
    /// It finished before the moment came.
    Finished,
}

/// Starts the command and kills it with SIGKILL once it holds the write lock and `ready` says
/// so.
fn kill_midway(db: &Path, args: &[&str], ready: impl Fn(&Child) -> bool) -> Ending {
    kill_after(db, args, ready, Duration::ZERO)
}

/// [`kill_midway`], `delay` after the lock was first seen (if the lock is still held then).
fn kill_after(db: &Path, args: &[&str], ready: impl Fn(&Child) -> bool, delay: Duration) -> Ending {
    let started = Instant::now();
    let mut child = start(db, args);
    let deadline = started + Duration::from_mins(2);
    let mut locked_at: Option<Instant> = None;
    loop {
        if child.try_wait().expect("poll").is_some() {
            eprintln!("{args:?} finished after {:?}", started.elapsed());
            return Ending::Finished;
        }
        if locked_at.is_none() && ready(&child) && write_lock_held(db) {
            locked_at = Some(Instant::now());
        }
        if locked_at.is_some_and(|at| at.elapsed() >= delay) && write_lock_held(db) {
            let read = bytes_read(&child);
            // `Child::kill` sends SIGKILL on Unix: no destructor, no rollback, no flush.
            child.kill().expect("kill");
            child.wait().expect("reaped");
            eprintln!(
                "{args:?} killed after {:?} (read {read:?} bytes)",
                started.elapsed()
            );
            return Ending::KilledMidway;
        }
        assert!(Instant::now() < deadline, "the command never got going");
        std::thread::sleep(Duration::from_millis(3));
    }
}

fn run_to_end(db: &Path, args: &[&str]) {
    let status = start(db, args).wait().expect("ran");
    assert!(status.success(), "{args:?} failed");
}

/// Opens the file as the app does after a crash and checks it is sound.
fn reopen(db: &Path) -> Store {
    let store = Store::open(db).expect("opens after the crash");
    store.integrity_check().expect("integrity_check is ok");
    assert!(
        store.ledger_mismatches().expect("ledger").is_empty(),
        "on hand matches the ledger"
    );
    store
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .connection()
        .query_row(sql, [], |row| row.get(0))
        .expect("count")
}

fn import(store: &mut Store, kind: ImportKind, path: &Path) {
    let request = ImportRequest::new(kind, path);
    let report = run_import(store, &request, &clock(), &Progress::default()).expect("import");
    assert!(report.written && report.error_count() == 0, "{report:?}");
}

fn write_file(path: &Path, header: &str, rows: impl Iterator<Item = String>) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "{header}").expect("write");
    for row in rows {
        writeln!(out, "{row}").expect("write");
    }
    out.flush().expect("flush");
    std::fs::metadata(path).expect("size").len()
}

/// `count` products `P-00000…`, each with `stock` on hand.
fn products_file(dir: &Path, count: usize, stock: i64) -> PathBuf {
    let path = dir.join("products.csv");
    write_file(
        &path,
        "sku,name,price,on_hand,supplier,lead_time_days",
        (0..count).map(|n| format!("P-{n:05},Product {n},9.50,{stock},Acme,10")),
    );
    path
}

/// One open order of one unit per product.
fn orders_file(dir: &Path, products: usize) -> PathBuf {
    let path = dir.join("orders.csv");
    write_file(
        &path,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity",
        (0..products).map(|n| {
            format!(
                "W-{n:06},2026-03-{:02} 09:00:00,Customer {n},c{n}@example.com,P-{n:05},1",
                1 + n % 14
            )
        }),
    );
    path
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    const PRODUCTS: usize = 2_000;
    const LINES: usize = 120_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite");
    let mut store = Store::open(&db).expect("open");
    import(
        &mut store,
        ImportKind::Products,
        &products_file(dir.path(), PRODUCTS, 5),
    );
    drop(store);
    let orders = dir.path().join("history.csv");
    let size = write_file(
        &orders,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at",
        (0..LINES).map(|n| {
            let status = if n % 10 == 0 { "open" } else { "shipped" };
            // After every order day of the file (a line cannot ship before it was ordered).
            let shipped = if status == "shipped" {
                "2025-06-29 10:00:00"
            } else {
                ""
            };
            format!(
                "H-{:07},2025-06-{:02} 09:{:02}:00,Customer {},c{}@example.com,P-{:05},{},4.50,{status},{shipped}",
                n / 3,
                1 + n % 28,
                n % 60,
                n % 5000,
                n % 5000,
                n % PRODUCTS,
                1 + n % 4
            )
        }),
    );
    let args = ["import", "orders", orders.to_str().expect("utf-8 path")];

    let mut midway = 0;
    for fraction in [0.3, 0.8] {
        let ending = kill_midway(&db, &args, |child| {
            bytes_read(child).is_none_or(|read| read as f64 > fraction * size as f64)
        });
        let store = reopen(&db);
        let lines = count(&store, "SELECT COUNT(*) FROM order_lines");
        match ending {
            Ending::KilledMidway => {
                midway += 1;
                assert_eq!(
                    lines, 0,
                    "killed at {fraction}: nothing of the import is there"
                );
                assert_eq!(count(&store, "SELECT COUNT(*) FROM import_batches"), 1);
            }
            Ending::Finished => panic!("the import finished before {fraction} of it was read"),
        }
    }
    assert_eq!(midway, 2);

    // Killed after reading the whole file (allocation, promises, commit): still all or nothing.
    let ending = kill_midway(&db, &args, |child| {
        bytes_read(child).is_none_or(|read| read >= size)
    });
    let store = reopen(&db);
    let lines = count(&store, "SELECT COUNT(*) FROM order_lines");
    assert!(
        lines == 0 || lines == LINES as i64,
        "{ending:?}: {lines} lines"
    );
    drop(store);

    // Run to the end: everything is there, and the file is still sound.
    if lines == 0 {
        run_to_end(&db, &args);
    }
    let store = reopen(&db);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM order_lines"),
        LINES as i64
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM import_batches"), 2);
}

/// A shop of `products` products with no stock, each waited for by one open order, and PO-BIG
/// with one line of 2 units per product.
fn waiting_shop(dir: &Path, products: usize) -> PathBuf {
    let db = dir.join("shop.sqlite");
    let mut store = Store::open(&db).expect("open");
    import(
        &mut store,
        ImportKind::Products,
        &products_file(dir, products, 0),
    );
    import(&mut store, ImportKind::Orders, &orders_file(dir, products));
    let pos = dir.join("pos.csv");
    write_file(
        &pos,
        "po_number,supplier,sku,quantity,unit_cost,ordered_at,expected_at",
        (0..products).map(|n| format!("PO-BIG,Acme,P-{n:05},2,4.00,2026-03-01,2026-03-20")),
    );
    import(&mut store, ImportKind::PurchaseOrders, &pos);
    db
}

/// What a killed or finished run left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    Nothing,
    All,
}

/// Kills the command at its first write, then again later and later (each run from the state
/// the last one left), until a run leaves the whole change: it finished, or it was killed
/// after its commit while SQLite was still checkpointing on close (the write lock is held then
/// too). `left` checks the file is sound and tells nothing from all (it panics on anything in
/// between). Returns how many runs were killed with nothing written.
fn kill_later_and_later(db: &Path, args: &[&str], left: impl Fn(&Path) -> Left) -> usize {
    let mut delay = Duration::ZERO;
    let mut nothing = 0;
    loop {
        let ending = kill_after(db, args, |_| true, delay);
        match (ending, left(db)) {
            (Ending::KilledMidway, Left::Nothing) => nothing += 1,
            (_, Left::All) => return nothing,
            (Ending::Finished, Left::Nothing) => panic!("{args:?} finished and wrote nothing"),
        }
        delay = (delay * 2).max(Duration::from_millis(40));
    }
}

#[test]
fn a_killed_receipt_leaves_all_or_nothing() {
    const PRODUCTS: usize = 6_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = waiting_shop(dir.path(), PRODUCTS);
    let args = ["receive", "PO-BIG", "--date", TODAY];
    let nothing = kill_later_and_later(&db, &args, |db| {
        let store = reopen(db);
        let received = count(
            &store,
            "SELECT COALESCE(SUM(received_qty), 0) FROM po_lines",
        );
        let receipts = count(
            &store,
            "SELECT COUNT(*) FROM stock_movements WHERE kind = 'receipt'",
        );
        let reserved = count(
            &store,
            "SELECT COALESCE(SUM(reserved_qty), 0) FROM order_lines",
        );
        let status: String = store
            .connection()
            .query_row(
                "SELECT status FROM purchase_orders WHERE po_number = 'PO-BIG'",
                [],
                |row| row.get(0),
            )
            .expect("po");
        let all = PRODUCTS as i64;
        match (received, receipts, reserved, status.as_str()) {
            (0, 0, 0, "open") => Left::Nothing,
            (r, m, q, "received") if r == 2 * all && m == all && q == all => Left::All,
            other => panic!("half a receipt: {other:?}"),
        }
    });
    assert!(nothing >= 2, "killed in the middle {nothing} time(s)");
}

#[test]
fn a_killed_pick_list_leaves_all_or_nothing() {
    const PRODUCTS: usize = 5_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite");
    let mut store = Store::open(&db).expect("open");
    import(
        &mut store,
        ImportKind::Products,
        &products_file(dir.path(), PRODUCTS, 3),
    );
    import(
        &mut store,
        ImportKind::Orders,
        &orders_file(dir.path(), PRODUCTS),
    );
    let request = PickListRequest {
        layout: PickLayout::ByOrder,
        orders: None,
    };
    let sheet = create_pick_list(&mut store, &request, &clock()).expect("pick list");
    assert_eq!(sheet.list_number, "PL-000001");
    drop(store);
    let args = ["picklist-picked", "PL-000001"];
    let nothing = kill_later_and_later(&db, &args, |db| {
        let store = reopen(db);
        let shipments = count(
            &store,
            "SELECT COUNT(*) FROM stock_movements WHERE kind = 'shipment'",
        );
        let shipped = count(
            &store,
            "SELECT COALESCE(SUM(shipped_qty), 0) FROM order_lines",
        );
        let closed = count(
            &store,
            "SELECT COUNT(*) FROM orders WHERE status = 'shipped'",
        );
        let picked = count(
            &store,
            "SELECT COUNT(*) FROM pick_lists WHERE status = 'picked'",
        );
        let on_hand = count(&store, "SELECT COALESCE(SUM(on_hand), 0) FROM products");
        let all = PRODUCTS as i64;
        match (shipments, shipped, closed, picked, on_hand) {
            (0, 0, 0, 0, stock) if stock == 3 * all => Left::Nothing,
            (m, s, c, 1, stock) if m == all && s == all && c == all && stock == 2 * all => {
                Left::All
            }
            other => panic!("half a pick list: {other:?}"),
        }
    });
    assert!(nothing >= 2, "killed in the middle {nothing} time(s)");
}
