//! Limits, dates and the clock: the accepted range of every number, text and date (the same for
//! the command line, the window and imports), extreme dates everywhere without a panic, and
//! backups when the clock was once in the future. Run against real shop files through the
//! command line.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{desk_on, ok, ok_on, program, stderr, stdout};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

// ---------------------------------------------------------------------------------------------
// Backups after the clock was once in the future

/// The backup files in the shop's `backups/` folder, sorted.
fn backup_names(db: &Path) -> Vec<String> {
    let folder = db.parent().expect("folder").join("backups");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("backups folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn backups_dated_in_the_future_never_push_out_the_one_just_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite");
    ok(&db, &["add-product", "--sku", "LAMP", "--name", "Lamp"]);
    // Twelve runs while the clock said June 2099, and one on Mar 20, 2026.
    for day in 1..=12 {
        ok_on(&db, &format!("2099-06-{day:02}"), &["backup"]);
    }
    ok_on(&db, "2026-03-20", &["backup"]);
    // Back to Mar 1, 2026: an import starts with a backup.
    let file = write(dir.path(), "products.csv", "sku,name\nMUG,Mug\n");
    let imported = ok(&db, &["import", "products", file.to_str().expect("utf-8")]);
    assert!(imported.contains("Imported."), "{imported}");
    let names = backup_names(&db);
    // The daily backup of that second came first, so the import's is numbered after it.
    assert!(
        names
            .iter()
            // (`-2`: the second backup of that second, after the daily one.)
            .any(|name| name == "shop-2026-03-01T120000-import-2.sqlite"),
        "the backup taken before the import is kept: {names:?}"
    );
    assert!(
        names
            .iter()
            .any(|name| name == "shop-2026-03-01T120000-daily.sqlite"),
        "today's daily backup is kept: {names:?}"
    );
    // The 2099 runs kept their newest ten; on Mar 1, 2026 they are all kept (dated after now).
    assert_eq!(
        names
            .iter()
            .filter(|name| name.contains("-2099-06-"))
            .count(),
        10,
        "the future-dated backups are kept too: {names:?}"
    );
    assert!(
        names.iter().any(|name| name.contains("-2026-03-20T")),
        "{names:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Extreme dates: every command, no panic, a clear message

/// A small shop on Mar 1, 2026: LAMP (lead time 10 days, Acme) with SO-1 waiting for 3 and PO-1
/// of 5 due Mar 10; MUG (5 on hand) with SO-2 ready; a sender address for messages; files to
/// import next to it.
fn small_shop(dir: &Path) -> PathBuf {
    let db = dir.join("shop.sqlite");
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--lead-time",
            "10",
            "--supplier",
            "Acme",
            "--price",
            "40.00",
        ],
    );
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "MUG",
            "--name",
            "Mug",
            "--stock",
            "5",
            "--category",
            "Kitchen",
        ],
    );
    ok(
        &db,
        &[
            "order",
            "--number",
            "SO-1",
            "--customer",
            "Ann",
            "--email",
            "ann@example.com",
            "LAMP=3",
        ],
    );
    ok(
        &db,
        &[
            "order",
            "--number",
            "SO-2",
            "--customer",
            "Bo",
            "--email",
            "bo@example.com",
            "MUG=2",
        ],
    );
    ok(
        &db,
        &[
            "po",
            "--number",
            "PO-1",
            "--supplier",
            "Acme",
            "--expected",
            "2026-03-10",
            "LAMP=5",
        ],
    );
    ok(&db, &["setting", "sender_email", "shop@example.com"]);
    write(dir, "products.csv", "sku,name,price\nVASE,Vase,12.00\n");
    write(
        dir,
        "orders.csv",
        "order_number,ordered_at,customer_name,customer_email,sku,quantity\n\
         W-1,2026-02-20 10:00:00,Cy,cy@example.com,MUG,1\n",
    );
    write(
        dir,
        "pos.csv",
        "po_number,supplier,sku,quantity,ordered_at,expected_at\nPO-9,Acme,LAMP,4,2026-02-20,2026-03-20\n",
    );
    db
}

/// Every command of the command line, with arguments that let it run on [`small_shop`]. `{D}`
/// stands for a date argument, `{DIR}` for the shop's folder.
const COMMANDS: &[&[&str]] = &[
    &["products"],
    &["products", "--json"],
    &["add-product", "--sku", "NEW", "--name", "New"],
    &["adjust", "MUG", "1", "--reason", "count"],
    &["order", "--customer", "Dee", "LAMP=1"],
    &["ship", "SO-2"],
    &["cancel", "SO-1", "--sku", "LAMP", "--reason", "customer"],
    &["capture-list"],
    &["payment", "SO-2", "authorized"],
    &["cutoff", "product", "LAMP", "{D}"],
    &["cutoff", "category", "Kitchen", "{D}"],
    &["cutoff", "promise-by", "{D}"],
    &["cutoff", "list"],
    &["advise"],
    &["advise", "--json"],
    &["orders"],
    &["po", "--supplier", "Acme", "--expected", "{D}", "LAMP=2"],
    &["backorders"],
    &["backorders", "--json"],
    &[
        "receive",
        "PO-1",
        "--sku",
        "LAMP",
        "--quantity",
        "1",
        "--date",
        "{D}",
    ],
    &["po-date", "PO-1", "{D}"],
    &["notify", "list"],
    &["notify", "export", "{DIR}/outbox"],
    &["setting"],
    &["setting", "handling_days", "2"],
    &["import", "products", "{DIR}/products.csv"],
    &["import", "orders", "{DIR}/orders.csv", "--dry-run"],
    &["import", "purchase-orders", "{DIR}/pos.csv"],
    &["imports"],
    &["undo-import", "--dry-run"],
    &["export", "products", "{DIR}/p.csv"],
    &["export", "orders", "{DIR}/o.csv"],
    &["export", "purchase-orders", "{DIR}/po.csv"],
    &["export", "backorders", "{DIR}/b.csv"],
    &[
        "export",
        "badges",
        "{DIR}/badges.csv",
        "--format",
        "shopify",
    ],
    &["check"],
    &["backup"],
    &["backups"],
    &["kpi"],
    &["kpi", "--json", "--from", "{D}"],
    &["kpi", "--to", "{D}"],
    &["kpi", "--sku", "LAMP"],
    &[
        "safety-stock",
        "--method",
        "all",
        "--avg-demand",
        "2",
        "--sd-demand",
        "1",
        "--lead-time",
        "10",
        "--sd-lead-time",
        "2",
        "--max-demand",
        "5",
        "--max-lead-time",
        "14",
        "--service-level",
        "0.95",
        "--cover-days",
        "7",
    ],
    &["reorder"],
    &["reorder", "--json"],
    &["picklist", "--out", "{DIR}/pick.pdf"],
    &["picklists"],
    &["picklist-picked", "PL-000001"],
    &["packing-slip", "SO-2", "--out", "{DIR}/slip.pdf"],
    &["check", "--repair"],
    &["demo"],
];

/// Dates at and beyond every edge: chrono's first and last day, year 0 and 1, 9999, the years
/// just outside the accepted range, a two-digit year, and the first and last accepted days.
const EXTREME_DATES: [&str; 11] = [
    "-262143-01-01",
    "+262142-12-31",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "1999-12-31",
    "2101-01-01",
    "26-03-01",
    "99999-01-01",
    "2000-01-01",
    "2100-12-31",
];

fn accepted(date: &str) -> bool {
    matches!(date, "2000-01-01" | "2100-12-31")
}

fn args_with(command: &[&str], date: &str, dir: &Path) -> Vec<String> {
    let dir = dir.to_str().expect("utf-8 path");
    command
        .iter()
        .map(|arg| arg.replace("{D}", date).replace("{DIR}", dir))
        .collect()
}

fn run(db: &Path, today: &str, args: &[String]) -> Output {
    let mut command = program();
    command.arg("--db").arg(db).arg(format!("--today={today}"));
    command.args(args).output().expect("run backorder-desk")
}

/// No panic; a refusal says what is wrong.
fn assert_clear(output: &Output, what: &str) {
    let err = stderr(output);
    assert_ne!(output.status.code(), Some(101), "{what}: panicked: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(output.status.code().is_some(), "{what}: killed");
}

/// A date outside the accepted range is refused naming the range or the form.
fn assert_refused_date(output: &Output, what: &str) {
    assert_clear(output, what);
    let err = stderr(output);
    assert!(
        !output.status.success(),
        "{what}: accepted: {}",
        stdout(output)
    );
    assert!(
        err.contains("2000-01-01 to 2100-12-31") || err.contains("in the form YYYY-MM-DD"),
        "{what}: {err}"
    );
}

#[test]
fn every_command_with_an_extreme_today_refuses_or_runs_but_never_panics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = small_shop(dir.path());
    for today in EXTREME_DATES {
        let db = dir
            .path()
            .join(format!("shop-{}.sqlite", today.replace(['+', '-'], "_")));
        std::fs::copy(&template, &db).expect("copy");
        for command in COMMANDS {
            let args = args_with(command, "2026-03-10", dir.path());
            let output = run(&db, today, &args);
            let what = format!("--today {today} {args:?}");
            if accepted(today) {
                assert_clear(&output, &what);
            } else {
                assert_refused_date(&output, &what);
            }
        }
    }
    // No backup was written for a refused "today" (each used to leave a daily backup).
    let names = backup_names(&template);
    assert!(
        names.iter().all(|name| name.contains("T120000")
            && (name.contains("-2026-") || name.contains("-2000-") || name.contains("-2100-"))),
        "{names:?}"
    );
}

#[test]
fn every_date_argument_refuses_an_extreme_date_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = small_shop(dir.path());
    let dated: Vec<&&[&str]> = COMMANDS.iter().filter(|c| c.contains(&"{D}")).collect();
    assert_eq!(dated.len(), 8, "cutoff ×3, po, receive, po-date, kpi ×2");
    for date in EXTREME_DATES {
        for command in &dated {
            let args = args_with(command, date, dir.path());
            let output = run(&db, "2026-03-01", &args);
            let what = format!("{args:?}");
            if accepted(date) {
                assert_clear(&output, &what);
            } else {
                assert_refused_date(&output, &what);
            }
        }
    }
}

mod random_dates {
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    fn any_day() -> impl Strategy<Value = String> {
        let first = NaiveDate::MIN.num_days_from_ce();
        let last = NaiveDate::MAX.num_days_from_ce();
        (first..=last).prop_map(|days| {
            NaiveDate::from_num_days_from_ce_opt(days).map_or_else(
                || "2026-03-01".to_owned(),
                |day| day.format("%Y-%m-%d").to_string(),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any day chrono knows, as "today" or as the date argument of any command.
        #[test]
        fn any_day_anywhere_never_panics(today in any_day(), date in any_day(), index in 0..COMMANDS.len()) {
            let dir = tempfile::tempdir().expect("temp dir");
            let db = small_shop(dir.path());
            let args = args_with(COMMANDS[index], &date, dir.path());
            let output = run(&db, &today, &args);
            let what = format!("--today {today} {args:?}");
            assert_clear(&output, &what);
            let in_range = |text: &str| {
                backorder_desk::domain::limits::parse_day(text).is_ok()
            };
            if !in_range(&today) || (COMMANDS[index].contains(&"{D}") && !in_range(&date)) {
                assert_refused_date(&output, &what);
            }
        }
    }
}

/// What an older version (or a damaged file) may have stored: dates far outside the accepted
/// range and numbers of days and units at the ends of `i64`.
fn store_extreme_values(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(
        "UPDATE products SET lead_time_days = 9223372036854775807,
                             max_wait_days = 9223372036854775807 WHERE sku = 'LAMP';
         UPDATE purchase_orders SET expected_at = '9999-12-31' WHERE po_number = 'PO-1';
         INSERT INTO settings (key, value) VALUES ('handling_days', '9223372036854775807')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value;
         INSERT INTO customers (customer_id, name, email) VALUES (90, 'Old', 'old@example.com');
         INSERT INTO orders (order_id, order_number, customer_id, ordered_at)
             VALUES (90, 'OLD-1', 90, '0001-01-01 10:00:00'),
                    (91, 'FAR-1', 90, '9999-12-31 10:00:00');
         INSERT INTO order_lines (order_id, line_no, product_id, quantity, backordered_at_order_qty)
             SELECT 90, 1, product_id, 2, 2 FROM products WHERE sku = 'LAMP';
         INSERT INTO order_lines (order_id, line_no, product_id, quantity, backordered_at_order_qty)
             SELECT 91, 1, product_id, 2, 2 FROM products WHERE sku = 'LAMP';",
    )
    .expect("extreme values");
}

#[test]
fn extreme_values_already_in_a_shop_file_never_make_a_command_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = small_shop(dir.path());
    store_extreme_values(&template);
    for today in ["2026-03-01", "2000-01-01", "2100-12-31"] {
        let db = dir.path().join(format!("shop-{today}.sqlite"));
        std::fs::copy(&template, &db).expect("copy");
        for command in COMMANDS {
            let args = args_with(command, "2026-03-10", dir.path());
            let started = std::time::Instant::now();
            let output = run(&db, today, &args);
            let what = format!("--today {today} {args:?}");
            assert_clear(&output, &what);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "{what} took {:?}",
                started.elapsed()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every limit, just inside and just outside, through the command line and imports

/// Expects a refusal (exit 1 or 2) whose message holds `needle`, and no panic.
fn refused(db: &Path, args: &[&str], needle: &str) {
    let output = desk_on(db, "2026-03-01", args);
    assert_clear(&output, &format!("{args:?}"));
    assert!(
        !output.status.success(),
        "{args:?} was accepted: {}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains(needle),
        "{args:?}: expected '{needle}' in: {}",
        stderr(&output)
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a table of limits, each tried inside and outside"
)]
fn numbers_and_texts_on_the_command_line_inside_and_outside_their_limits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = small_shop(dir.path());
    let long = |n: usize| "x".repeat(n);

    // Stock changes: ±1,000,000 at most, never 0.
    ok(&db, &["adjust", "MUG", "1000000", "--reason", "count"]);
    ok(&db, &["adjust", "MUG", "-1000000", "--reason", "count"]);
    refused(
        &db,
        &["adjust", "MUG", "1000001", "--reason", "count"],
        "the stock change 1000001 is more than 1,000,000 units either way",
    );
    refused(
        &db,
        &["adjust", "MUG", "-1000001", "--reason", "count"],
        "more than 1,000,000 units either way",
    );
    refused(
        &db,
        &["adjust", "MUG", "-9223372036854775808", "--reason", "count"],
        "the stock change -9223372036854775808 is more than 1,000,000 units either way; check the number, or make the change in several steps; nothing was changed",
    );
    refused(
        &db,
        &["adjust", "MUG", "0", "--reason", "count"],
        "changes nothing",
    );
    // The ledger still adds up (it used to overflow).
    ok(&db, &["check"]);
    // Reasons: 255 characters.
    ok(&db, &["adjust", "MUG", "1", "--reason", &long(255)]);
    refused(
        &db,
        &["adjust", "MUG", "1", "--reason", &long(256)],
        "the reason 'xxxxxxxxxxxxxxxxxxxx…' is 256 characters long, more than the 255 accepted",
    );

    // Prices and costs: 1,000,000.00 at most.
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "P-MAX",
            "--name",
            "Dear",
            "--price",
            "1000000.00",
            "--cost",
            "1000000.00",
        ],
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "P-1",
            "--name",
            "Dear",
            "--price",
            "1000000.01",
        ],
        "Price: '1000000.01' is more than 1000000.00, the highest price or cost accepted; check the decimal point",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "P-2",
            "--name",
            "Dear",
            "--cost",
            "1000000.01",
        ],
        "Unit cost: '1000000.01' is more than 1000000.00",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "P-3",
            "--name",
            "Dear",
            "--price",
            "92233720368547758.07",
        ],
        "is more than 1000000.00",
    );
    // An order of the dearest product still works (its total used to overflow).
    ok(&db, &["order", "--customer", "Rich", "P-MAX=1000000"]);

    // Opening stock, lead time and wait.
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            "S-MAX",
            "--name",
            "Lots",
            "--stock",
            "1000000",
            "--lead-time",
            "3650",
            "--max-wait",
            "3650",
        ],
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "S-1",
            "--name",
            "Lots",
            "--stock",
            "1000001",
        ],
        "the opening stock 1000001 is more than 1,000,000 units",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "S-2",
            "--name",
            "Slow",
            "--lead-time",
            "3651",
        ],
        "Lead time: must be between 0 and 3650 days",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "S-3",
            "--name",
            "Slow",
            "--max-wait",
            "3651",
        ],
        "Max wait: must be between 0 and 3650 days",
    );

    // Texts: SKU 64, names 255 (a 1 MB name used to be taken, and its orders then refused).
    ok(
        &db,
        &[
            "add-product",
            "--sku",
            &long(64),
            "--name",
            &long(255),
            "--category",
            &long(255),
            "--location",
            &long(255),
            "--supplier",
            &long(255),
        ],
    );
    refused(
        &db,
        &["add-product", "--sku", &long(65), "--name", "N"],
        "SKU: is longer than 64 characters",
    );
    refused(
        &db,
        &["add-product", "--sku", "N-1", "--name", &long(256)],
        "Name: is 256 characters long, more than the 255 accepted; shorten it",
    );
    refused(
        &db,
        &["add-product", "--sku", "N-2", "--name", &long(100_000)],
        "Name: is 100000 characters long",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "N-3",
            "--name",
            "N",
            "--category",
            &long(256),
        ],
        "Category: is 256 characters long",
    );
    refused(
        &db,
        &[
            "add-product",
            "--sku",
            "N-4",
            "--name",
            "N",
            "--supplier",
            &long(256),
        ],
        "Supplier: is 256 characters long",
    );

    // Order lines: 1 to 1,000,000 units; order numbers 64, customer names 255.
    ok(
        &db,
        &[
            "order",
            "--number",
            &long(64),
            "--customer",
            &long(255),
            "MUG=1000000",
        ],
    );
    refused(
        &db,
        &["order", "--customer", "Ann", "MUG=1000001"],
        "MUG: the quantity 1000001 is more than 1,000,000 units; split it over several lines; the order was not saved",
    );
    refused(
        &db,
        &["order", "--customer", "Ann", "MUG=0"],
        "MUG: the quantity 0 is less than 1",
    );
    refused(
        &db,
        &["order", "--number", &long(65), "--customer", "Ann", "MUG=1"],
        "The order number 'xxxxxxxxxxxxxxxxxxxx…' is 65 characters long, more than the 64 accepted",
    );
    refused(
        &db,
        &["order", "--customer", &long(256), "MUG=1"],
        "The customer name 'xxxxxxxxxxxxxxxxxxxx…' is 256 characters long",
    );

    // Purchase-order lines: 1 to 1,000,000 units at up to 1,000,000.00.
    ok(
        &db,
        &[
            "po",
            "--number",
            &long(64),
            "--supplier",
            "Acme",
            "LAMP=1000000@1000000.00",
        ],
    );
    refused(
        &db,
        &["po", "--supplier", "Acme", "LAMP=1000001"],
        "LAMP: the quantity 1000001 is more than 1,000,000 units",
    );
    refused(
        &db,
        &["po", "--supplier", "Acme", "LAMP=1@1000000.01"],
        "LAMP: the unit cost 1000000.01 is more than 1000000.00",
    );
    refused(
        &db,
        &["po", "--number", &long(65), "--supplier", "Acme", "LAMP=1"],
        "The PO number 'xxxxxxxxxxxxxxxxxxxx…' is 65 characters long",
    );
    refused(
        &db,
        &["po", "--supplier", &long(256), "LAMP=1"],
        "The supplier 'xxxxxxxxxxxxxxxxxxxx…' is 256 characters long",
    );
    refused(
        &db,
        &["receive", "PO-1", "--sku", "LAMP", "--quantity", "1000001"],
        "LAMP: the quantity received 1000001 is more than 1,000,000 units; split it over several lines; nothing was received",
    );
    refused(
        &db,
        &["receive", "PO-1", "--sku", "LAMP", "--quantity", "0"],
        "the quantity received 0 is less than 1",
    );

    // Settings.
    ok(&db, &["setting", "shop_name", &long(255)]);
    refused(
        &db,
        &["setting", "shop_name", &long(256)],
        "shop_name 'xxxxxxxxxxxxxxxxxxxx…' is 256 characters long",
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a table of limits, each tried inside and outside"
)]
fn dates_on_the_command_line_inside_and_outside_their_limits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = small_shop(dir.path());
    let range = "is outside the dates this desk accepts (2000-01-01 to 2100-12-31); check the year";

    // "Today".
    ok_on(&db, "2000-01-01", &["products"]);
    ok_on(&db, "2100-12-31", &["backorders"]);
    for today in ["1999-12-31", "2101-01-01"] {
        let output = desk_on(&db, today, &["products"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(range), "{}", stderr(&output));
    }
    let output = desk_on(&db, "26-03-01", &["products"]);
    assert!(
        stderr(&output)
            .contains("'26-03-01' is not a date in the form YYYY-MM-DD (a four-digit year"),
        "{}",
        stderr(&output)
    );

    // Expected arrivals: up to 2100-12-31, not before the order date.
    ok(
        &db,
        &[
            "po",
            "--supplier",
            "Acme",
            "--expected",
            "2100-12-31",
            "LAMP=1",
        ],
    );
    refused(
        &db,
        &[
            "po",
            "--supplier",
            "Acme",
            "--expected",
            "2101-01-01",
            "LAMP=1",
        ],
        range,
    );
    refused(
        &db,
        &[
            "po",
            "--supplier",
            "Acme",
            "--expected",
            "+99999-01-01",
            "LAMP=1",
        ],
        "in the form YYYY-MM-DD",
    );
    refused(
        &db,
        &[
            "po",
            "--supplier",
            "Acme",
            "--expected",
            "2026-02-28",
            "LAMP=1",
        ],
        "before the order date",
    );
    ok(&db, &["po-date", "PO-1", "2100-12-31"]);
    refused(&db, &["po-date", "PO-1", "2101-01-01"], range);
    ok(&db, &["po-date", "PO-1", "2026-03-10"]);

    // Receipts: not before the PO was ordered, not after today (a day's grace for time zones).
    refused(
        &db,
        &[
            "receive",
            "PO-1",
            "--sku",
            "LAMP",
            "--quantity",
            "1",
            "--date",
            "0000-01-01",
        ],
        range,
    );
    refused(
        &db,
        &[
            "receive",
            "PO-1",
            "--sku",
            "LAMP",
            "--quantity",
            "1",
            "--date",
            "2026-02-28",
        ],
        "The arrival date 2026-02-28 is before PO-1 was ordered (2026-03-01)",
    );
    refused(
        &db,
        &[
            "receive",
            "PO-1",
            "--sku",
            "LAMP",
            "--quantity",
            "1",
            "--date",
            "2026-03-03",
        ],
        "The arrival date 2026-03-03 is after today (2026-03-01): it cannot have happened yet",
    );
    ok(
        &db,
        &[
            "receive",
            "PO-1",
            "--sku",
            "LAMP",
            "--quantity",
            "1",
            "--date",
            "2026-03-02",
        ],
    );
    ok(
        &db,
        &[
            "receive",
            "PO-1",
            "--sku",
            "LAMP",
            "--quantity",
            "1",
            "--date",
            "2026-03-01",
        ],
    );

    // KPI periods and cutoffs.
    let kpis = ok(&db, &["kpi", "--json", "--from", "2000-01-01"]);
    assert!(kpis.contains("\"from\":\"2000-01-01\""), "{kpis}");
    refused(&db, &["kpi", "--from", "0001-01-01"], range);
    refused(&db, &["kpi", "--to", "2101-01-01"], range);
    ok(&db, &["cutoff", "product", "LAMP", "2100-12-31"]);
    refused(&db, &["cutoff", "product", "LAMP", "2101-01-01"], range);
    refused(&db, &["cutoff", "promise-by", "1999-12-31"], range);
}

/// Runs a dry-run import and returns its report (stdout).
fn dry_run(db: &Path, what: &str, file: &Path) -> String {
    let output = desk_on(
        db,
        "2026-03-01",
        &["import", what, file.to_str().expect("utf-8"), "--dry-run"],
    );
    assert_clear(&output, what);
    stdout(&output)
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a table of limits, each tried inside and outside"
)]
fn numbers_dates_and_texts_in_imports_inside_and_outside_their_limits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = small_shop(dir.path());
    let x = |n: usize| "x".repeat(n);

    let products = write(
        dir.path(),
        "limits-products.csv",
        &format!(
            "sku,name,unit_cost,price,on_hand,lead_time_days,category\n\
             IN-1,{},1000000.00,1000000.00,1000000,3650,{}\n\
             IN-2,Low,0,0,-1000000,0,\n\
             OUT-1,Dear,0,1000000.01,,,\n\
             OUT-2,Dear,1000000.01,0,,,\n\
             OUT-3,Many,0,0,1000001,,\n\
             OUT-4,Few,0,0,-1000001,,\n\
             OUT-5,Slow,0,0,,3651,\n\
             OUT-6,{},0,0,,,\n\
             {},Long SKU,0,0,,,\n",
            x(255),
            x(255),
            x(256),
            x(65),
        ),
    );
    let report = dry_run(&db, "products", &products);
    assert!(report.contains("Rows: 9 read, 2 new"), "{report}");
    // A name of 1 MB (it used to be taken, and the product's waiting orders were then refused).
    let huge = write(
        dir.path(),
        "huge-name.csv",
        &format!("sku,name\nHUGE,{}\n", x(1 << 20)),
    );
    let huge_report = dry_run(&db, "products", &huge);
    assert!(
        huge_report.contains("is 1048576 characters long, more than the 255 accepted; shorten it"),
        "{huge_report}"
    );
    for expected in [
        "line 4, column price: value '1000000.01' — is more than 1000000.00, the highest price or cost accepted; check the decimal point",
        "line 5, column unit_cost: value '1000000.01' — is more than 1000000.00",
        "line 6, column on_hand: value '1000001' — is more than 1,000,000, the most accepted; check the number",
        "line 7, column on_hand: value '-1000001' — must be between -1000000 and 1000000",
        "line 8, column lead_time_days: value '3651' — is more than 3,650, the most accepted; check the number",
        "line 9, column name: value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "is 256 characters long, more than the 255 accepted; shorten it",
        "line 10, column sku:",
    ] {
        assert!(
            report.contains(expected),
            "missing '{expected}' in:\n{report}"
        );
    }

    let orders = write(
        dir.path(),
        "limits-orders.csv",
        &format!(
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at\n\
             {},2000-01-01 00:00:00,{},a@example.com,MUG,1000000,1000000.00,shipped,2026-03-02 09:00:00\n\
             IN-2,2026-03-02 23:00:00,Ann,a@example.com,MUG,1,0,open,\n\
             OUT-1,2026-02-10 10:00:00,Ann,a@example.com,MUG,1000001,5.00,open,\n\
             OUT-2,2026-02-10 10:00:00,Ann,a@example.com,MUG,1,1000000.01,open,\n\
             OUT-3,1999-12-31 23:59:59,Ann,a@example.com,MUG,1,5.00,open,\n\
             OUT-4,2026-03-03 00:00:00,Ann,a@example.com,MUG,1,5.00,open,\n\
             OUT-5,2026-02-10 10:00:00,Ann,a@example.com,MUG,1,5.00,shipped,2026-02-09 10:00:00\n\
             OUT-6,2026-02-10 10:00:00,Ann,a@example.com,MUG,1,5.00,shipped,2099-06-01 10:00:00\n\
             {},2026-02-10 10:00:00,Ann,a@example.com,MUG,1,5.00,open,\n\
             OUT-8,2026-02-10 10:00:00,{},a@example.com,MUG,1,5.00,open,\n\
             OUT-9,2026-02-10 10:00:00,Ann,a@example.com,MUG,0,5.00,open,\n",
            x(64),
            x(255),
            x(65),
            x(256),
        ),
    );
    let report = dry_run(&db, "orders", &orders);
    assert!(report.contains("Rows: 11 read, 2 new"), "{report}");
    for expected in [
        "line 4, column quantity: value '1000001' — is more than 1,000,000, the most accepted",
        "line 5, column unit_price: value '1000000.01' — is more than 1000000.00",
        "line 6, column ordered_at: value '1999-12-31 23:59:59' — is outside the dates this desk accepts (2000-01-01 to 2100-12-31); check the year",
        "line 7, column ordered_at: value '2026-03-03 00:00:00' — is after today (2026-03-01): it cannot have happened yet; check the date (or the computer's clock)",
        "line 8, column shipped_at: value '2026-02-09 10:00:00' — is before the order was placed (2026-02-10 10:00:00); check both dates",
        "line 9, column shipped_at: value '2099-06-01 10:00:00' — is after today (2026-03-01)",
        "line 10, column order_number:",
        "is 65 characters long, more than the 64 accepted",
        "line 11, column customer_name:",
        "line 12, column quantity: value '0' — must be 1 or more",
    ] {
        assert!(
            report.contains(expected),
            "missing '{expected}' in:\n{report}"
        );
    }

    let pos = write(
        dir.path(),
        "limits-pos.csv",
        "po_number,supplier,sku,quantity,unit_cost,ordered_at,expected_at,received_quantity,received_at\n\
         IN-1,Acme,LAMP,1000000,1000000.00,2026-02-01,2100-12-31,1000000,2026-03-02\n\
         OUT-1,Acme,LAMP,1000001,0,2026-02-01,,,\n\
         OUT-2,Acme,LAMP,1,1000000.01,2026-02-01,,,\n\
         OUT-3,Acme,LAMP,1,0,2026-02-01,2101-01-01,,\n\
         OUT-4,Acme,LAMP,1,0,2026-02-01,,1,2026-03-03\n\
         OUT-5,Acme,LAMP,1,0,2026-02-01,,1,2026-01-31\n\
         OUT-6,Acme,LAMP,1,0,0000-01-01,,,\n",
    );
    let report = dry_run(&db, "purchase-orders", &pos);
    assert!(report.contains("Rows: 7 read, 1 new"), "{report}");
    for expected in [
        "line 3, column quantity: value '1000001' — is more than 1,000,000",
        "line 4, column unit_cost: value '1000000.01' — is more than 1000000.00",
        "line 5, column expected_at: value '2101-01-01' — is outside the dates this desk accepts",
        "line 6, column received_at: value '2026-03-03' — is after today (2026-03-01)",
        "line 7, column received_at: value '2026-01-31' — is before the purchase order was placed (2026-02-01); check both dates",
        "line 8, column ordered_at: value '0000-01-01' —",
    ] {
        assert!(
            report.contains(expected),
            "missing '{expected}' in:\n{report}"
        );
    }
}
