//! A large order file (over `LARGE_FILE_BYTES`) loads through the bulk path: secondary indexes
//! built afterwards, foreign keys checked once at the end instead of row by row, order numbers
//! above the shop's highest taken as new without a lookup, the file read on a second thread.
//! The shop it leaves must be exactly the one the same rows leave when imported as two smaller
//! files through the ordinary path.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use backorder_desk::app::Clock;
use backorder_desk::app::import::{ImportKind, ImportRequest, LARGE_FILE_BYTES, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::store::Store;
use chrono::{Duration, NaiveDate};

const HEADER: &str = "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at,backordered_qty,priority\n";
const ORDERS: usize = 28_500;

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"))
}

fn import(store: &mut Store, kind: ImportKind, path: &Path) -> u64 {
    let report = run_import(
        store,
        &ImportRequest::new(kind, path),
        &clock(),
        &Progress::default(),
    )
    .expect("imports");
    assert!(report.written, "{:?}", report.summary.errors.first());
    assert_eq!(report.error_count(), 0);
    report.new
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).expect("write file");
    path.to_owned()
}

fn products() -> String {
    let mut text = String::from("sku,name,on_hand,lead_time_days\n");
    for index in 0..300 {
        writeln!(text, "SKU-{index:03},Product {index},{},14", index % 25).expect("text");
    }
    text
}

/// The rows of order `index` (one to three lines). Every 400th order is numbered in another
/// series that sorts below the rest (so it is looked up), and order 1's last line comes later in
/// the file, apart from the others.
fn order_rows(index: usize) -> Vec<String> {
    let number = if index % 400 == 399 {
        format!("AA-{index:06}")
    } else {
        format!("SO-{index:06}")
    };
    let start = NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .expect("start");
    let at = start + Duration::minutes(index as i64 * 9);
    let customer = index % 2_500;
    let (status, shipped) = match index % 50 {
        0 => ("open", String::new()),
        17 => ("cancelled", String::new()),
        _ => (
            "shipped",
            (at + Duration::hours(30))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        ),
    };
    (0..=index % 3)
        .map(|line| {
            format!(
                "{number},{},Customer Number {customer} With A Long Name,customer.number.{customer}@example.com,SKU-{:03},{},{}.99,{status},{shipped},{},{}\n",
                at.format("%Y-%m-%d %H:%M:%S"),
                (index * 7 + line * 13) % 300,
                1 + (index + line) % 4,
                5 + index % 90,
                u8::from(index.is_multiple_of(23) && status == "shipped"),
                // High priority only on closed orders: an open one would take stock from earlier
                // open lines when all are allocated together, but not from lines an earlier
                // import already reserved (reservations are kept), so the two shops would differ.
                if index.is_multiple_of(97) && status != "open" {
                    "high"
                } else {
                    "normal"
                },
            )
        })
        .collect()
}

/// The history as rows in file order (order 1's last line moved after order 200).
fn history() -> Vec<String> {
    let mut rows = Vec::new();
    let mut apart = None;
    for index in 0..ORDERS {
        let mut lines = order_rows(index);
        if index == 1 {
            apart = lines.pop();
        }
        rows.extend(lines);
        if index == 200 {
            rows.extend(apart.take());
        }
    }
    rows
}

/// Everything an order import writes, without the batch numbers (one batch here, two there).
fn dump(store: &Store) -> Vec<String> {
    let conn = store.connection();
    let mut out = Vec::new();
    for sql in [
        "SELECT customer_id, name, email FROM customers ORDER BY customer_id",
        "SELECT order_id, order_number, customer_id, ordered_at, priority, ship_complete, status,
                closed_at FROM orders ORDER BY order_id",
        "SELECT line_id, order_id, line_no, product_id, quantity, unit_price_cents, reserved_qty,
                shipped_qty, cancelled_qty, backordered_at_order_qty, shipped_at
           FROM order_lines ORDER BY line_id",
        "SELECT line_id, eta_start, eta_end FROM line_promises ORDER BY line_id",
    ] {
        let mut statement = conn.prepare(sql).expect("sql");
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                let mut text = String::new();
                for column in 0..columns {
                    let value: rusqlite::types::Value = row.get(column)?;
                    write!(text, "{value:?}|").expect("text");
                }
                Ok(text)
            })
            .expect("rows");
        for row in rows {
            out.push(row.expect("row"));
        }
    }
    out
}

#[test]
fn a_large_file_leaves_the_same_shop_as_two_small_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let products = write(&dir.path().join("products.csv"), &products());
    // One order is in the shop before: the big file's rows of it are left alone.
    let before = write(
        &dir.path().join("before.csv"),
        &format!("{HEADER}{}", order_rows(10).concat()),
    );
    let rows = history();
    let whole = write(
        &dir.path().join("whole.csv"),
        &format!("{HEADER}{}", rows.concat()),
    );
    let size = std::fs::metadata(&whole).expect("size").len();
    assert!(
        size > LARGE_FILE_BYTES,
        "the file must take the bulk path ({size} bytes)"
    );
    // Split between two orders, each half small enough for the ordinary path.
    let mut split = rows.len() / 2;
    while rows[split].split(',').next() == rows[split - 1].split(',').next() {
        split += 1;
    }
    let first = write(
        &dir.path().join("first.csv"),
        &format!("{HEADER}{}", rows[..split].concat()),
    );
    let second = write(
        &dir.path().join("second.csv"),
        &format!("{HEADER}{}", rows[split..].concat()),
    );
    for half in [&first, &second] {
        assert!(std::fs::metadata(half).expect("size").len() <= LARGE_FILE_BYTES);
    }

    let mut bulk = Store::open(&dir.path().join("bulk.sqlite")).expect("open");
    let mut ordinary = Store::open(&dir.path().join("ordinary.sqlite")).expect("open");
    for store in [&mut bulk, &mut ordinary] {
        import(store, ImportKind::Products, &products);
        import(store, ImportKind::Orders, &before);
    }
    let new = import(&mut bulk, ImportKind::Orders, &whole);
    let new_in_halves = import(&mut ordinary, ImportKind::Orders, &first)
        + import(&mut ordinary, ImportKind::Orders, &second);
    let skipped = order_rows(10).len() as u64;
    assert_eq!(new, rows.len() as u64 - skipped);
    assert_eq!(new_in_halves, new);

    let (bulk_rows, ordinary_rows) = (dump(&bulk), dump(&ordinary));
    assert_eq!(bulk_rows.len(), ordinary_rows.len());
    for (a, b) in bulk_rows.iter().zip(&ordinary_rows) {
        assert_eq!(a, b);
    }
    // Order 1's line from further down joined its order.
    let lines_of_order_1: i64 = bulk
        .connection()
        .query_row(
            "SELECT count(*) FROM order_lines l JOIN orders o USING (order_id)
              WHERE o.order_number = 'SO-000001'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(lines_of_order_1, 2);

    let conn = bulk.connection();
    let foreign_keys: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(foreign_keys, 1, "enforced again after the load");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign key check");
    assert_eq!(broken, 0);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    let cache: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .expect("pragma");
    assert!(cache > -100_000, "the usual page cache again ({cache})");
}

#[test]
fn a_cancelled_large_load_leaves_foreign_keys_enforced_and_nothing_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let products = write(&dir.path().join("products.csv"), &products());
    let whole = write(
        &dir.path().join("whole.csv"),
        &format!("{HEADER}{}", history().concat()),
    );
    let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
    import(&mut store, ImportKind::Products, &products);
    let progress = Progress::default();
    progress.request_cancel();
    let result = run_import(
        &mut store,
        &ImportRequest::new(ImportKind::Orders, &whole),
        &clock(),
        &progress,
    );
    assert!(result.is_err(), "cancelled");
    let conn = store.connection();
    let (orders, foreign_keys): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM orders), (SELECT foreign_keys FROM pragma_foreign_keys)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert_eq!((orders, foreign_keys), (0, 1));
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'order_lines_product'",
            [],
            |r| r.get(0),
        )
        .expect("index");
    assert_eq!(
        indexes, 1,
        "the dropped indexes come back with the rollback"
    );
}

#[test]
fn the_final_reference_check_finds_what_foreign_keys_would_have_refused() {
    use backorder_desk::store::batches::id_marks;
    use backorder_desk::store::imports::check_imported_references;

    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
    let products = write(&dir.path().join("products.csv"), &products());
    import(&mut store, ImportKind::Products, &products);
    let conn = store.connection();
    conn.pragma_update(None, "foreign_keys", "OFF")
        .expect("pragma");
    let marks = id_marks(conn).expect("marks");
    let check =
        |conn: &rusqlite::Connection| check_imported_references(conn, &marks).expect("check");
    assert_eq!(check(conn), None, "nothing imported, nothing wrong");

    conn.execute_batch(
        "INSERT INTO customers (customer_id, name) VALUES (1, 'Ada');
         INSERT INTO orders (order_id, order_number, customer_id, ordered_at) VALUES
             (1, 'SO-1', 1, '2026-01-01 10:00:00'), (3, 'SO-3', 1, '2026-01-01 10:00:00');
         INSERT INTO order_lines (order_id, line_no, product_id, quantity) VALUES (1, 1, 1, 1);",
    )
    .expect("good rows");
    assert_eq!(check(conn), None);

    // A line of order 2, which does not exist (orders 1 and 3 do).
    conn.execute_batch(
        "INSERT INTO order_lines (order_id, line_no, product_id, quantity) VALUES (2, 1, 1, 1)",
    )
    .expect("line");
    assert!(check(conn).is_some_and(|problem| problem.contains("do not all belong")));
    conn.execute_batch("DELETE FROM order_lines WHERE order_id = 2")
        .expect("delete");

    conn.execute_batch(
        "INSERT INTO order_lines (order_id, line_no, product_id, quantity) VALUES (1, 2, 9999, 1)",
    )
    .expect("line");
    assert!(
        check(conn).is_some_and(|problem| problem.contains("1 products that are not in the shop"))
    );
    conn.execute_batch("DELETE FROM order_lines WHERE product_id = 9999")
        .expect("delete");

    conn.execute_batch("UPDATE orders SET customer_id = 77 WHERE order_id = 3")
        .expect("update");
    assert!(
        check(conn).is_some_and(|problem| problem.contains("1 customers that are not in the shop"))
    );
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("pragma");
}
