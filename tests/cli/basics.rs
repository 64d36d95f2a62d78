//! The command line, run as a separate process against temporary files.

use std::path::Path;

use crate::common::{desk_args, stderr, stdout};

fn db_arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn help_lists_the_subcommands() {
    let output = desk_args(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for command in ["demo", "products", "adjust", "export", "check"] {
        assert!(help.contains(command), "--help lacks {command}:\n{help}");
    }
    assert!(help.contains("--db"));
    assert!(help.contains("--today"));
}

#[test]
fn demo_then_export_products_with_the_documented_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_arg(&dir.path().join("shop.sqlite"));
    // Global options may stand before or after the subcommand.
    let output = desk_args(&[
        "--db",
        &db,
        "demo",
        "--products",
        "50",
        "--orders",
        "500",
        "--today",
        "2026-03-15",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("50 products"));

    let csv = dir.path().join("out.csv");
    let output = desk_args(&[
        "export",
        "products",
        &csv.display().to_string(),
        "--db",
        &db,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let content = std::fs::read_to_string(&csv).expect("csv");
    let mut lines = content.lines();
    assert_eq!(
        lines.next(),
        Some(
            "sku,name,category,location,unit_cost,price,on_hand,supplier,lead_time_days,backorder_policy,max_wait_days,track_stock,sku_in_shop"
        )
    );
    assert_eq!(lines.count(), 50);
    let mut reader = csv::Reader::from_path(&csv).expect("read csv");
    for record in reader.records() {
        let record = record.expect("record");
        let price = &record[5];
        assert!(
            price.contains('.') && price.split('.').nth(1).map(str::len) == Some(2),
            "{price}"
        );
        assert!(["no", "yes", "preorder"].contains(&&record[9]));
    }

    let output = desk_args(&["--db", &db, "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("integrity ok"));
}

#[test]
fn products_json_and_adjust() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_arg(&dir.path().join("shop.sqlite"));
    assert!(
        desk_args(&[
            "--db",
            &db,
            "--today",
            "2026-03-15",
            "demo",
            "--products",
            "30",
            "--orders",
            "300"
        ])
        .status
        .success()
    );
    let output = desk_args(&["--db", &db, "products", "--json"]);
    assert!(output.status.success());
    let rows: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert_eq!(rows.len(), 30);
    let first = &rows[0];
    let sku = first["sku"].as_str().expect("sku").to_owned();
    let on_hand = first["on_hand"].as_i64().expect("on hand");
    for key in [
        "reserved",
        "available",
        "on_order",
        "backordered",
        "status",
        "badge",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }

    // The first product may have nothing on hand: taking one away is recorded on purpose.
    let output = desk_args(&[
        "--db",
        &db,
        "adjust",
        &sku,
        "-1",
        "--reason",
        "Damaged",
        "--allow-negative",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(&format!("on hand now {}", on_hand - 1)));

    let output = desk_args(&["--db", &db, "adjust", "NO-SUCH-SKU", "3", "--reason", "x"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("NO-SUCH-SKU"));
}

#[test]
fn bad_files_and_bad_arguments_exit_non_zero_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"definitely not sqlite").expect("write");
    let output = desk_args(&["--db", &db_arg(&garbage), "products"]);
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(said.contains("not a Backorder Desk database"), "{said}");
    assert_eq!(
        std::fs::read(&garbage).expect("read"),
        b"definitely not sqlite"
    );

    let output = desk_args(&[
        "--db",
        &db_arg(&dir.path().join("x.sqlite")),
        "--today",
        "March 3",
        "check",
    ]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("YYYY-MM-DD"));

    let output = desk_args(&["frobnicate"]);
    assert!(!output.status.success());
}
