//! CSV import and export through the command line, against real files.

use std::path::Path;

use serde_json::Value;

use crate::common::{self, desk_on, ok, ok_on};

/// The day of most of these tests.
const MAR_15: &str = "2026-03-15";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn products(db: &Path) -> Vec<Value> {
    ok_on(db, MAR_15, &["products", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect()
}

fn product<'a>(rows: &'a [Value], sku: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["sku"] == sku)
        .unwrap_or_else(|| panic!("no {sku}"))
}

#[test]
fn export_import_export_is_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["demo", "--products", "80", "--orders", "900"],
    );
    let copy = dir.path().join("copy.sqlite");
    for kind in ["products", "orders", "purchase-orders"] {
        let first = dir.path().join(format!("first-{kind}.csv"));
        ok_on(
            &shop,
            MAR_15,
            &["export", kind, first.to_str().expect("utf-8 path")],
        );
        let imported = ok_on(
            &copy,
            MAR_15,
            &["import", kind, first.to_str().expect("utf-8 path")],
        );
        assert!(imported.contains("0 with errors"), "{imported}");
        assert!(imported.contains("Imported."), "{imported}");
        let second = dir.path().join(format!("second-{kind}.csv"));
        ok_on(
            &copy,
            MAR_15,
            &["export", kind, second.to_str().expect("utf-8 path")],
        );
        assert_eq!(
            std::fs::read(&first).expect("first"),
            std::fs::read(&second).expect("second"),
            "{kind} changed on the round trip"
        );
    }
    // Importing the same orders again changes nothing.
    let orders = dir.path().join("first-orders.csv");
    let again = ok_on(
        &copy,
        MAR_15,
        &["import", "orders", orders.to_str().expect("utf-8 path")],
    );
    assert!(again.contains(" 0 new"), "{again}");
    assert!(ok_on(&copy, MAR_15, &["check"]).contains("ledger matches"));
}

#[test]
fn a_bad_file_explains_itself_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["demo", "--products", "30", "--orders", "200"],
    );
    let before = dir.path().join("before.csv");
    ok_on(
        &shop,
        MAR_15,
        &["export", "products", before.to_str().expect("utf-8 path")],
    );

    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "products", &fixture("own_products_errors.csv")],
    );
    assert_eq!(output.status.code(), Some(2), "file errors exit with 2");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("error: line 5, column price: value 'abc' — is not a number"),
        "{stdout}"
    );
    assert!(stdout.contains("Nothing was written."), "{stdout}");

    let after = dir.path().join("after.csv");
    ok_on(
        &shop,
        MAR_15,
        &["export", "products", after.to_str().expect("utf-8 path")],
    );
    assert_eq!(
        std::fs::read(&before).expect("before"),
        std::fs::read(&after).expect("after")
    );

    // Valid rows only: the good row goes in, the bad ones are listed.
    let valid = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("own_products_errors.csv"),
            "--valid-only",
        ],
    );
    assert!(valid.contains("Imported."), "{valid}");
    assert_eq!(product(&products(&shop), "OK-1")["name"], "Fine");
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("own_products_utf8.csv"),
            "--dry-run",
        ],
    );
    assert!(report.contains("Nothing was written."), "{report}");
    assert!(
        report.contains("Format: Backorder Desk products"),
        "{report}"
    );
    assert!(products(&shop).is_empty());
}

#[test]
fn shopify_export_imports_with_skus_stock_prices_and_policies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products.csv"),
            "--valid-only",
        ],
    );
    assert!(report.contains("Format: Shopify products"), "{report}");
    let rows = products(&shop);
    let mug = product(&rows, "MUG-BL-S");
    assert_eq!(mug["name"], "Ceramic Mug - Blue / Small");
    assert_eq!(mug["on_hand"], 12);
    assert_eq!(mug["price"], "14.00");
    assert_eq!(mug["supplier"], "Clay & Co");
    assert_eq!(mug["backorder_policy"], "no");
    assert_eq!(mug["category"], "Mugs");
    // Leading zeros survive: SKUs are text.
    assert!(rows.iter().any(|row| row["sku"] == "0017"));
    assert!(ok_on(&shop, MAR_15, &["check"]).contains("ledger matches"));
}

#[test]
fn woocommerce_export_imports_variations_and_notify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "products", &fixture("woocommerce_products.csv")],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "the fixture has a bad 'Backorders allowed?'"
    );
    assert!(products(&shop).is_empty(), "nothing half-imported");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("woocommerce_products.csv"),
            "--valid-only",
        ],
    );
    let rows = products(&shop);
    let mug = product(&rows, "WOO-MUG");
    assert_eq!(mug["on_hand"], 25);
    assert_eq!(mug["price"], "12.50");
    assert_eq!(mug["backorder_policy"], "no");
    assert_eq!(mug["category"], "Kitchen > Mugs");
    let tee = product(&rows, "WOO-TEE-S");
    assert_eq!(
        tee["backorder_policy"], "yes",
        "notify means backorders allowed"
    );
    assert_eq!(tee["on_hand"], 8);
    assert!(
        !rows.iter().any(|row| row["sku"] == "WOO-TEE"),
        "a variable parent is not stocked"
    );
}

#[test]
fn orders_with_an_unknown_sku_are_refused_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "orders", &fixture("own_orders_unknown_sku.csv")],
    );
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("not in the catalog"), "{stdout}");
    assert!(ok_on(&shop, MAR_15, &["orders"]).is_empty());
}

#[test]
fn imported_open_lines_are_allocated_oldest_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--stock",
            "3",
            "--lead-time",
            "7",
        ],
    );
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,status\n\
         B-2,2026-03-10 10:00:00,Bo,bo@example.com,LAMP,2,open\n\
         A-1,2026-03-09 09:00:00,Ann,ann@example.com,LAMP,2,open\n",
    )
    .expect("write");
    ok_on(
        &shop,
        MAR_15,
        &["import", "orders", file.to_str().expect("utf-8 path")],
    );
    let waiting: Vec<Value> = ok_on(&shop, MAR_15, &["backorders", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    // A-1 is older: it got 2 units; B-2 got the last one and waits for 1.
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["order_number"], "B-2");
    assert_eq!(waiting[0]["quantity_waiting"], 1);
}

#[test]
fn backorder_export_lists_windows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--lead-time",
            "10",
        ],
    );
    ok_on(
        &shop,
        MAR_15,
        &[
            "order",
            "--customer",
            "Ann",
            "--email",
            "ann@example.com",
            "LAMP=2",
        ],
    );
    let file = dir.path().join("backorders.csv");
    ok_on(
        &shop,
        MAR_15,
        &["export", "backorders", file.to_str().expect("utf-8 path")],
    );
    let text = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        text,
        "order_number,sku,customer_email,quantity_waiting,queue_position,eta_start,eta_end,covered_by_po,flags\n\
         SO-001001,LAMP,ann@example.com,2,1,2026-03-26,2026-03-29,,needs_reorder\n"
    );
}

fn exports(db: &Path, dir: &Path, tag: &str) -> Vec<Vec<u8>> {
    ["products", "orders", "purchase-orders"]
        .iter()
        .map(|kind| {
            let file = dir.join(format!("{tag}-{kind}.csv"));
            ok_on(
                db,
                MAR_15,
                &["export", kind, file.to_str().expect("utf-8 path")],
            );
            std::fs::read(&file).expect("exported")
        })
        .collect()
}

/// The batch number an import was recorded as.
fn recorded_batch(output: &str) -> String {
    output
        .lines()
        .find_map(|line| line.strip_prefix("Recorded as import "))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no batch in {output}"))
        .to_owned()
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario told from start to end")]
fn undo_import_restores_every_export_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["demo", "--products", "60", "--orders", "600"],
    );
    let start = exports(&shop, dir.path(), "start");

    // Products: two change price and stock, one is new with a new supplier.
    let mut reader = csv::Reader::from_reader(start[0].as_slice());
    let header = reader.headers().expect("header").clone();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).expect("header");
    let mut skus = Vec::new();
    for record in reader.records().take(2) {
        let mut cells: Vec<String> = record.expect("row").iter().map(str::to_owned).collect();
        skus.push(cells[0].clone());
        cells[5] = "999.99".into();
        let on_hand: i64 = cells[6].parse().expect("on hand");
        cells[6] = (on_hand + 5).to_string();
        writer.write_record(&cells).expect("row");
    }
    writer
        .write_record([
            "NEW-1",
            "Night lamp",
            "Lamps",
            "Z-9",
            "4.00",
            "12.00",
            "7",
            "Fresh Supplier",
            "9",
            "yes",
            "14",
            "yes",
            "yes",
        ])
        .expect("row");
    let products_file = dir.path().join("products-in.csv");
    std::fs::write(&products_file, writer.into_inner().expect("csv")).expect("write");
    let products_out = ok_on(
        &shop,
        MAR_15,
        &["import", "products", products_file.to_str().expect("utf-8")],
    );
    let products_batch = recorded_batch(&products_out);
    let after_products = exports(&shop, dir.path(), "p");
    assert_ne!(after_products[0], start[0]);

    // Orders: new customers, open lines that take stock, a historical shipped line.
    let orders_file = dir.path().join("orders-in.csv");
    std::fs::write(
        &orders_file,
        format!(
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at\n\
             NEW-SO-1,2026-03-10 10:00:00,Zoë New,zoe.new@example.com,NEW-1,3,12.00,open,\n\
             NEW-SO-1,2026-03-10 10:00:00,Zoë New,zoe.new@example.com,{},2,5.00,open,\n\
             NEW-SO-2,2026-01-05 08:00:00,Old Timer,old@example.com,{},1,5.00,shipped,2026-01-07 10:00:00\n",
            skus[0], skus[1]
        ),
    )
    .expect("write");
    let orders_out = ok_on(
        &shop,
        MAR_15,
        &["import", "orders", orders_file.to_str().expect("utf-8")],
    );
    let orders_batch = recorded_batch(&orders_out);
    let after_orders = exports(&shop, dir.path(), "o");
    assert_ne!(after_orders[1], after_products[1]);

    // Purchase orders from a new supplier.
    let pos_file = dir.path().join("pos-in.csv");
    std::fs::write(
        &pos_file,
        "po_number,supplier,sku,quantity,unit_cost,ordered_at,expected_at\n\
         PO-NEW-1,Brand New Supplier,NEW-1,10,4.00,2026-03-12,2026-03-30\n",
    )
    .expect("write");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "purchase-orders",
            pos_file.to_str().expect("utf-8"),
        ],
    );

    let listed = ok_on(&shop, MAR_15, &["imports"]);
    assert_eq!(listed.matches("in effect").count(), 3, "{listed}");
    let refused = desk_on(&shop, MAR_15, &["undo-import", &products_batch]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("undo the later import first"), "{stderr}");

    let dry = ok_on(&shop, MAR_15, &["undo-import", "--dry-run"]);
    assert!(dry.contains("removes 1 purchase order (1 line)"), "{dry}");
    assert!(dry.contains("Nothing was changed."), "{dry}");
    let undone = ok_on(&shop, MAR_15, &["undo-import"]);
    assert!(
        undone.contains("removed 1 purchase order (1 line)"),
        "{undone}"
    );
    assert!(
        undone.contains("removed 1 supplier used by nothing else"),
        "{undone}"
    );
    assert_eq!(exports(&shop, dir.path(), "u3"), after_orders);

    let undone = ok_on(&shop, MAR_15, &["undo-import", &orders_batch]);
    assert!(undone.contains("removed 2 orders (3 lines)"), "{undone}");
    assert!(
        undone.contains("removed 2 customers with no other orders"),
        "{undone}"
    );
    assert_eq!(exports(&shop, dir.path(), "u2"), after_products);

    let undone = ok_on(&shop, MAR_15, &["undo-import"]);
    assert!(undone.contains("removed 1 product it added"), "{undone}");
    assert!(
        undone.contains("gave 2 products it changed their earlier values"),
        "{undone}"
    );
    assert_eq!(exports(&shop, dir.path(), "u1"), start);

    assert!(ok_on(&shop, MAR_15, &["check"]).contains("ledger matches"));
    let listed = ok_on(&shop, MAR_15, &["imports"]);
    assert_eq!(listed.matches("undone 20").count(), 3, "{listed}");
    let nothing = desk_on(&shop, MAR_15, &["undo-import"]);
    assert!(!nothing.status.success());
    assert!(
        String::from_utf8_lossy(&nothing.stderr).contains("There is no import to undo"),
        "{}",
        String::from_utf8_lossy(&nothing.stderr)
    );
}

#[test]
fn lines_of_an_order_apart_in_the_file_join_their_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--stock",
            "0",
        ],
    );
    // A-1's second line comes after 100 other orders (A-1 is written by then); B-2's comes
    // right after C-3 (B-2 is still waiting to be written with the next rows).
    let mut file = String::from(
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,status,shipped_at\n\
         A-1,2026-03-01 09:00:00,Ann,ann@example.com,LAMP,1,shipped,2026-03-02 10:00:00\n\
         B-2,2026-03-01 10:00:00,Bo,bo@example.com,LAMP,1,shipped,2026-03-02 10:00:00\n\
         C-3,2026-03-01 11:00:00,Cy,cy@example.com,LAMP,1,shipped,2026-03-02 10:00:00\n\
         B-2,2026-03-01 10:00:00,Bo,bo@example.com,LAMP,2,open,\n",
    );
    for n in 0..100 {
        file.push_str(&format!(
            "H-{n:03},2026-03-02 09:00:00,Hal,hal@example.com,LAMP,1,shipped,2026-03-03 10:00:00\n"
        ));
    }
    file.push_str("A-1,2026-03-01 09:00:00,Ann,ann@example.com,LAMP,3,open,\n");
    let path = dir.path().join("orders.csv");
    std::fs::write(&path, file).expect("write");
    let report = ok_on(
        &shop,
        MAR_15,
        &["import", "orders", path.to_str().expect("utf-8 path")],
    );
    assert!(report.contains("105 new"), "{report}");

    let exported = dir.path().join("export.csv");
    ok_on(
        &shop,
        MAR_15,
        &["export", "orders", exported.to_str().expect("utf-8 path")],
    );
    let text = std::fs::read_to_string(&exported).expect("read export");
    let lines_of = |number: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.starts_with(&format!("{number},")))
            .map(|line| line.split(',').nth(5).unwrap_or_default().to_owned())
            .collect()
    };
    // Quantities in file order: each order has both its lines, the earlier one first.
    assert_eq!(lines_of("A-1"), ["1", "3"]);
    assert_eq!(lines_of("B-2"), ["1", "2"]);
    assert_eq!(lines_of("C-3"), ["1"]);
    assert_eq!(text.lines().count(), 1 + 105);
    // The open lines wait for stock: A-1 and B-2 are open orders again.
    let waiting = ok_on(&shop, MAR_15, &["backorders", "--json"]);
    assert!(
        waiting.contains("\"A-1\"") && waiting.contains("\"B-2\""),
        "{waiting}"
    );
    assert!(!waiting.contains("\"C-3\""), "{waiting}");
}

// ---------------------------------------------------------------------------------------------
// A real shop's exports (issue 17)

/// The `On hand (new)` cell (last column) of each data row of a written inventory file.
fn on_hand_new_cells(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).expect("written file");
    reader
        .records()
        .map(|record| {
            let record = record.expect("row");
            record.get(record.len() - 1).unwrap_or_default().to_owned()
        })
        .collect()
}

#[test]
#[expect(clippy::too_many_lines, reason = "one scenario told from start to end")]
fn a_shopify_shop_from_its_products_and_inventory_exports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");

    // 1. The products export (Products › Export): no quantities in it.
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    assert!(
        report.contains(
            "Rows: 9 read, 8 new, 0 updated, 0 unchanged, 1 skipped, 0 with errors\n\
             Skipped: image rows (1)\n"
        ),
        "{report}"
    );
    let quantity_note = "note: this file has no stock quantities: stock was left as it was \
                         (7 new product(s) start at 0 on hand); import the shop's inventory \
                         export (Shopify admin › Products › Inventory › Export) to set it";
    assert_eq!(report.matches(quantity_note).count(), 1, "{report}");
    let rows = products(&shop);
    assert_eq!(rows.len(), 8, "every variant, with or without a SKU");
    let shirt = product(&rows, "ocean-blue-shirt/XS");
    assert_eq!(shirt["name"], "Ocean Blue Shirt - XS");
    assert_eq!(
        shirt["sku_in_shop"], false,
        "the key is the desk's, not a SKU"
    );
    assert_eq!(shirt["shop"]["key"], "ocean-blue-shirt/XS");
    assert_eq!(shirt["backorder_policy"], "no");
    assert_eq!(
        product(&rows, "ocean-blue-shirt/M")["backorder_policy"],
        "yes"
    );
    // The shared SKU: each size is its own product.
    assert_eq!(
        product(&rows, "classic-leather-jacket/Black/M")["name"],
        "Classic Leather Jacket - Black / M"
    );
    assert_eq!(product(&rows, "JACKET-BRN")["sku_in_shop"], true);
    // Shopify's apostrophe is not part of the SKU.
    assert_eq!(
        product(&rows, "93717665410945092286")["name"],
        "Barcode Sticker"
    );
    let guide = product(&rows, "GUIDE-PDF");
    assert_eq!(
        (&guide["track_stock"], &guide["status"]),
        (&Value::Bool(false), &Value::from("not_tracked"))
    );

    // 2. The inventory export (Products › Inventory › Export): two locations, so one is chosen.
    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_current.csv"),
        ],
    );
    let (stdout, stderr) = (common::stdout(&output), common::stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(
        stderr,
        "error: the file holds stock for 2 locations (Main Warehouse, Pop-up Store); choose one \
         with --location NAME\n"
    );
    let counted = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_current.csv"),
            "--location",
            "Main Warehouse",
        ],
    );
    assert!(
        counted.contains(
            "Rows: 10 read, 0 new, 6 updated, 1 unchanged, 3 skipped, 0 with errors\n\
             Skipped: rows of other locations (2), rows of variants the shop does not have (1)\n"
        ),
        "{counted}"
    );
    assert!(
        counted.contains(
            "warning: line 11: 'Mystery Mug' (MYST-1) is not a product of the shop; its count \
             was left alone (import the products export first, or add it as a product: \
             --create)"
        ),
        "{counted}"
    );
    let rows = products(&shop);
    let stock = |sku: &str| product(&rows, sku)["on_hand"].as_i64().expect("number");
    assert_eq!(
        [
            stock("ocean-blue-shirt/XS"),
            stock("ocean-blue-shirt/S"),
            stock("ocean-blue-shirt/M"),
            stock("classic-leather-jacket/Black/S"),
            stock("classic-leather-jacket/Black/M"),
            stock("JACKET-BRN"),
            stock("93717665410945092286"),
        ],
        [7, 0, 3, 2, 5, 1, 40]
    );
    assert!(ok_on(&shop, MAR_15, &["check"]).contains("ledger matches"));

    // 3. The products export again: every variant is found again; stock stays as counted.
    let again = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    assert!(
        again.contains("8 unchanged") && again.contains("0 new, 0 updated"),
        "{again}"
    );
    assert!(
        again.contains(
            "note: this file has no stock quantities: stock was left as it was; import the \
             shop's inventory export"
        ),
        "{again}"
    );
    assert_eq!(
        product(&products(&shop), "ocean-blue-shirt/XS")["on_hand"],
        7
    );

    // The inventory import can be undone like any other (the products import after it changed
    // nothing, so it is the newest).
    let undo = ok_on(&shop, MAR_15, &["undo-import", "--dry-run"]);
    assert!(
        undo.contains("shopify_inventory_current.csv")
            && undo.contains("takes back 6 stock changes (-58 units on hand)"),
        "{undo}"
    );

    // 4. Round trip: the inventory file written back from the same export changes nothing.
    let out = dir.path().join("inventory-upload.csv");
    let written = ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "products",
            out.to_str().expect("utf-8"),
            "--format",
            "shopify",
            "--from",
            &fixture("shopify_inventory_current.csv"),
            "--location",
            "Main Warehouse",
        ],
    );
    assert!(
        written.contains(": 0 change On hand (new)"),
        "no row changes: {written}"
    );
    assert_eq!(
        std::fs::read(&out).expect("written"),
        std::fs::read(fixture("shopify_inventory_current.csv")).expect("fixture"),
        "the file to upload is the shop's own"
    );

    // 5. Stock the shop has and the desk does not know stays empty; a lower count is named,
    //    a drop to 0 apart.
    ok_on(
        &shop,
        MAR_15,
        &["adjust", "JACKET-BRN", "-1", "--reason", "Damaged"],
    );
    ok_on(
        &shop,
        MAR_15,
        &["adjust", "ocean-blue-shirt/XS", "-2", "--reason", "Count"],
    );
    let written = ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "products",
            out.to_str().expect("utf-8"),
            "--format",
            "shopify",
            "--from",
            &fixture("shopify_inventory_current.csv"),
            "--location",
            "Main Warehouse",
        ],
    );
    assert!(
        written.contains(
            "Lower than the shop's count (1):\n  line 2: ocean-blue-shirt/XS at Main Warehouse \
             7 → 5\n"
        ),
        "{written}"
    );
    assert!(
        written.contains(
            "Down to 0 from a positive count (1) — check these before uploading:\n  line 8: \
             JACKET-BRN at Main Warehouse 1 → 0\n"
        ),
        "{written}"
    );
    let cells = on_hand_new_cells(&out);
    assert_eq!(
        cells,
        ["5", "", "", "", "", "", "0", "", "", ""],
        "only the two rows the desk changed; MYST-1 (9 in the shop) stays empty"
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one story from the shop's file to the written export, checked step by step"
)]
fn inventory_exports_of_december_2023_and_the_old_wide_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );

    // December 2023: one location, "On hand" holds the count.
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_2023.csv"),
        ],
    );
    assert!(
        report.contains("Format: Shopify inventory (a row per location, On hand)"),
        "{report}"
    );
    assert!(
        report.contains("0 new, 4 updated, 0 unchanged, 1 skipped"),
        "{report}"
    );
    let rows = products(&shop);
    assert_eq!(product(&rows, "ocean-blue-shirt/XS")["on_hand"], 6);
    assert_eq!(product(&rows, "JACKET-BRN")["on_hand"], 3);
    ok_on(
        &shop,
        MAR_15,
        &["adjust", "JACKET-BRN", "2", "--reason", "Found"],
    );
    let out = dir.path().join("upload-2023.csv");
    let written = ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "products",
            out.to_str().expect("utf-8"),
            "--format",
            "shopify",
            "--from",
            &fixture("shopify_inventory_2023.csv"),
        ],
    );
    assert!(written.contains(": 1 change On hand "), "{written}");
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains(",JACKET-BRN,,,Main Warehouse,0,0,0,3,5\n"),
        "the On hand column itself: {text}"
    );
    assert!(
        text.contains(",MYST-1,,,Main Warehouse,0,0,0,9,9\n"),
        "{text}"
    );

    // The old layout: a column per location; the location must be named.
    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_wide.csv"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_wide.csv"),
            "--location",
            "Main Warehouse, Leeds",
        ],
    );
    assert!(
        report.contains("Skipped: rows of variants not stocked at the location (1), rows of variants the shop does not have (1)"),
        "{report}"
    );
    let rows = products(&shop);
    assert_eq!(product(&rows, "ocean-blue-shirt/XS")["on_hand"], 4);
    assert_eq!(product(&rows, "JACKET-BRN")["on_hand"], 6);
    ok_on(
        &shop,
        MAR_15,
        &["adjust", "JACKET-BRN", "-1", "--reason", "Damaged"],
    );
    let out = dir.path().join("upload-wide.csv");
    ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "products",
            out.to_str().expect("utf-8"),
            "--format",
            "shopify",
            "--from",
            &fixture("shopify_inventory_wide.csv"),
            "--location",
            "Main Warehouse, Leeds",
        ],
    );
    let text = std::fs::read_to_string(&out).expect("written");
    assert_eq!(
        text.lines().next(),
        Some(
            "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,\
             Option3 Value,SKU,\"Main Warehouse, Leeds\",Pop-up Store"
        ),
        "no column added"
    );
    assert!(text.contains(",JACKET-BRN,5,1\n"), "{text}");
    assert!(text.contains(",MYST-1,9,0\n"), "{text}");
}

#[test]
fn inventory_create_adds_the_variants_the_shop_lacks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "inventory",
            &fixture("shopify_inventory_current.csv"),
            "--location",
            "Main Warehouse",
            "--create",
        ],
    );
    assert!(report.contains("8 new, 0 updated"), "{report}");
    let rows = products(&shop);
    let mug = product(&rows, "MYST-1");
    assert_eq!(mug["name"], "Mystery Mug");
    assert_eq!(mug["on_hand"], 9);
    assert_eq!(mug["backorder_policy"], "no");
    let jacket = product(&rows, "classic-leather-jacket/Black/M");
    assert_eq!(jacket["name"], "Classic Leather Jacket - Black / M");
    assert_eq!(jacket["on_hand"], 5);
    // The products export then finds them by their Shopify identity.
    let products_report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    assert!(
        products_report.contains("1 new, 7 updated"),
        "{products_report}"
    );
}

#[test]
fn stock_that_is_not_tracked_is_always_ready() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("woocommerce_sample_products.csv"),
        ],
    );
    let rows = products(&shop);
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|row| row["track_stock"] == false));
    let beanie = product(&rows, "woo-beanie");
    assert_eq!(
        (&beanie["price"], &beanie["sale_price"]),
        (&Value::from("20.00"), &Value::from("18.00"))
    );
    // Nothing is on hand, and still the order is ready at once: nothing waits.
    let placed = ok_on(
        &shop,
        MAR_15,
        &[
            "order",
            "--customer",
            "Ann Lee",
            "woo-beanie=3",
            "woo-belt=1",
        ],
    );
    assert!(
        placed.contains("woo-beanie: 3 ordered, 3 reserved, 0 waiting"),
        "{placed}"
    );
    let number = placed
        .split_whitespace()
        .nth(1)
        .expect("order number")
        .to_owned();
    let rows = products(&shop);
    let beanie = product(&rows, "woo-beanie");
    assert_eq!(
        (
            &beanie["reserved"],
            &beanie["backordered"],
            &beanie["status"]
        ),
        (
            &Value::from(3),
            &Value::from(0),
            &Value::from("not_tracked")
        )
    );
    assert_eq!(ok_on(&shop, MAR_15, &["backorders", "--json"]).trim(), "");
    ok_on(&shop, MAR_15, &["ship", &number]);
    assert_eq!(
        product(&products(&shop), "woo-beanie")["on_hand"],
        0,
        "stock that is not counted is not counted down"
    );
    assert!(ok_on(&shop, MAR_15, &["check"]).contains("ledger matches"));

    // The own format keeps it; a file without the column leaves it as it is.
    let own = dir.path().join("own.csv");
    ok_on(
        &shop,
        MAR_15,
        &["export", "products", own.to_str().expect("utf-8")],
    );
    let text = std::fs::read_to_string(&own).expect("export");
    assert!(
        text.lines()
            .next()
            .is_some_and(|h| h.ends_with(",track_stock,sku_in_shop")),
        "{text}"
    );
    assert!(text.contains(",no,yes\n"), "{text}");
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, "sku,name\nwoo-beanie,Beanie hat\nNEW-1,New thing\n").expect("csv");
    ok_on(
        &shop,
        MAR_15,
        &["import", "products", plain.to_str().expect("utf-8")],
    );
    let rows = products(&shop);
    assert_eq!(product(&rows, "woo-beanie")["track_stock"], false);
    assert_eq!(product(&rows, "NEW-1")["track_stock"], true);
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("own_products_track_stock.csv"),
        ],
    );
    assert_eq!(
        product(&products(&shop), "GUIDE-1")["status"],
        "not_tracked"
    );
}

#[test]
fn woocommerce_shop_without_skus_and_in_the_admins_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("woocommerce_no_sku_variations.csv"),
        ],
    );
    assert!(report.contains("4 new"), "{report}");
    let rows = products(&shop);
    assert_eq!(product(&rows, "id:200/S")["on_hand"], 4);
    assert_eq!(product(&rows, "id:210")["name"], "Hat Box");
    assert_eq!(product(&rows, "id:200/L")["sku_in_shop"], false);
    let again = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("woocommerce_no_sku_variations.csv"),
        ],
    );
    assert!(again.contains("0 new, 0 updated, 4 unchanged"), "{again}");

    for name in ["woocommerce_products_de.csv", "woocommerce_products_ru.csv"] {
        let report = ok_on(&shop, MAR_15, &["import", "products", &fixture(name)]);
        assert!(
            report.contains("Format: WooCommerce products"),
            "{name}: {report}"
        );
    }
    let rows = products(&shop);
    let jug = product(&rows, "KR-01");
    assert_eq!(
        (&jug["on_hand"], &jug["sale_price"]),
        (&Value::from(6), &Value::from("8.50"))
    );
    assert_eq!(product(&rows, "HEMD/M")["track_stock"], false);

    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("woocommerce_products_sv.csv"),
        ],
    );
    let (_, stderr) = (common::stdout(&output), common::stderr(&output));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("switch the WordPress admin's language to English"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("this looks like a WooCommerce").count(),
        1,
        "once: {stderr}"
    );
}

#[test]
fn look_alike_skus_are_errors_and_letter_case_is_not_a_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["import", "products", &fixture("own_products_utf8_bom.csv")],
    );
    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "products", &fixture("own_products_lookalike.csv")],
    );
    let (stdout, stderr) = (common::stdout(&output), common::stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains(
            "error: line 2, column sku: value '17' — is SKU '0017' of the shop without its \
             leading zeros; write it as '0017' to update that product (or leave the row out \
             with --valid-only)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "error: line 3, column sku: value 'mug-01' — is SKU 'MUG-01' of the shop in other \
             letter case"
        ),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "error: 2 row(s) have errors (fix them, or use --valid-only to import the good rows)\n"
    );
    // The dry run with --valid-only says what the real run does, and exits the same way.
    let dry = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("own_products_lookalike.csv"),
            "--valid-only",
            "--dry-run",
        ],
    );
    assert!(
        dry.contains(
            "Nothing was written.\nDry run: the import would write 0 new and 0 updated and \
             leave the 2 row(s) with errors out (with --valid-only)."
        ),
        "{dry}"
    );
    let real = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("own_products_lookalike.csv"),
            "--valid-only",
        ],
    );
    // 'CLAY & CO' is the shop's 'Clay & Co': not an update.
    assert!(real.contains("0 new, 0 updated, 1 unchanged"), "{real}");
    let rows = products(&shop);
    assert_eq!(rows.len(), 2, "no second product for 17 or mug-01");
    assert_eq!(product(&rows, "MUG-01")["supplier"], "Clay & Co");
}

#[test]
fn missing_columns_and_empty_files_are_told_in_one_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    let report = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_no_policy_price.csv"),
        ],
    );
    assert!(
        report.contains(
            "note: this file has no backorder policy column: stored policies were kept; 1 new \
             product(s) got 'not allowed' (Shopify's default)\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "note: this file has no price column: stored prices were kept; 1 new product(s) \
             have price 0 until a price is set\n"
        ),
        "{report}"
    );
    let rows = products(&shop);
    let tote = product(&rows, "TOTE-1");
    assert_eq!(
        (&tote["backorder_policy"], &tote["price"], &tote["on_hand"]),
        (&Value::from("no"), &Value::from("0.00"), &Value::from(12))
    );
    let shirt = product(&rows, "ocean-blue-shirt/XS");
    assert_eq!(
        (&shirt["price"], &shirt["on_hand"]),
        (&Value::from("50.00"), &Value::from(7)),
        "kept price, stock from the file"
    );

    // A file that gives no product: exit 2, with the reason, printed once.
    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_images_only.csv"),
        ],
    );
    let (stdout, stderr) = (common::stdout(&output), common::stderr(&output));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr,
        "error: no product came of this file: every row was skipped: image rows (2); it holds \
         no product rows\n"
    );
    assert!(stdout.contains("Nothing was written."), "{stdout}");
    let dry = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_images_only.csv"),
            "--dry-run",
            "--valid-only",
        ],
    );
    assert_eq!(
        dry.status.code(),
        Some(2),
        "the dry run exits as the real run"
    );

    // A file-level problem is printed once.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "foo,bar\n1,2\n").expect("csv");
    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "products", bad.to_str().expect("utf-8")],
    );
    let (_, stderr) = (common::stdout(&output), common::stderr(&output));
    assert_eq!(
        stderr.matches("do not match any known layout").count(),
        1,
        "{stderr}"
    );

    // An inventory file given as products says what to do instead.
    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_inventory_current.csv"),
        ],
    );
    let (_, stderr) = (common::stdout(&output), common::stderr(&output));
    assert!(
        stderr.contains(
            "this looks like a Shopify inventory file, not products; import it with `import \
             inventory`"
        ),
        "{stderr}"
    );
}

#[test]
fn shopify_badges_use_the_shops_handles_and_skus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    let out = dir.path().join("badges.csv");
    ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "badges",
            out.to_str().expect("utf-8"),
            "--format",
            "shopify",
        ],
    );
    let text = std::fs::read_to_string(&out).expect("badges");
    // A SKU of digits gets Shopify's apostrophe back; a derived key is never written as a SKU.
    assert!(
        text.contains("barcode-sticker,Barcode Sticker,'93717665410945092286,"),
        "{text}"
    );
    assert!(
        text.contains("ocean-blue-shirt,Ocean Blue Shirt - XS,,"),
        "{text}"
    );
    assert!(!text.contains("ocean-blue-shirt/XS"), "{text}");
    assert!(
        text.contains("digital-guide,Digital Guide,GUIDE-PDF,In stock,"),
        "{text}"
    );
    let woo = dir.path().join("badges-woo.csv");
    ok_on(
        &shop,
        MAR_15,
        &[
            "export",
            "badges",
            woo.to_str().expect("utf-8"),
            "--format",
            "woocommerce",
        ],
    );
    let text = std::fs::read_to_string(&woo).expect("badges");
    assert!(!text.contains("ocean-blue-shirt"), "no SKU, no row: {text}");
    assert!(text.contains("JACKET-BRN"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Order imports after the KPI dashboard was computed

const ORDERS_HEADER: &str = "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at\n";

/// `count` orders of one LAMP each, spread over Feb 1–27, 2026; every 7th cancelled, every 3rd
/// shipped the next day, the rest open. Each order number starts with `prefix`.
fn past_orders(prefix: &str, count: usize) -> String {
    let mut text = String::from(ORDERS_HEADER);
    for index in 0..count {
        let day = 1 + index % 27;
        let (status, shipped) = match index % 21 {
            0 | 7 | 14 => ("cancelled", String::new()),
            3 | 6 | 9 | 12 | 15 | 18 => ("shipped", format!("2026-02-{:02} 15:00:00", day + 1)),
            _ => ("open", String::new()),
        };
        text.push_str(&format!(
            "{prefix}-{index:07},2026-02-{day:02} 10:00:00,Customer {c},customer.{c}@example.com,LAMP,1,12.50,{status},{shipped}\n",
            c = index % 3000,
        ));
    }
    text
}

fn order_count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row("SELECT count(*) FROM orders", [], |row| row.get(0))
        .expect("count")
}

#[test]
fn two_orders_of_one_past_day_import_after_kpis_were_computed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok(&shop, &["add-product", "--sku", "LAMP", "--name", "Lamp"]);
    ok(&shop, &["kpi"]);
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        format!(
            "{ORDERS_HEADER}A-1,2026-02-10 09:00:00,Ann,ann@example.com,LAMP,1,5.00,open,\n\
             A-2,2026-02-10 11:00:00,Bo,bo@example.com,LAMP,2,5.00,cancelled,\n"
        ),
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    let dry = ok(&shop, &["import", "orders", path, "--dry-run"]);
    assert!(
        dry.contains("2 new") && dry.contains("Nothing was written."),
        "{dry}"
    );
    assert_eq!(order_count(&shop), 0);
    let done = ok(&shop, &["import", "orders", path]);
    assert!(done.contains("Imported."), "{done}");
    assert_eq!(order_count(&shop), 2);
    // The dashboard counts both (one backordered, one cancelled), the same as a shop that never
    // computed it before the import.
    let after = ok(&shop, &["kpi", "--json"]);
    let fresh = dir.path().join("fresh.sqlite");
    ok(&fresh, &["add-product", "--sku", "LAMP", "--name", "Lamp"]);
    ok(&fresh, &["import", "orders", path]);
    assert_eq!(after, ok(&fresh, &["kpi", "--json"]));
    let counts: Value = serde_json::from_str(after.trim()).expect("json");
    assert_eq!(counts["orders"], 2, "{after}");
}

#[test]
fn order_files_large_and_small_import_between_kpi_runs_and_the_kpis_match_a_fresh_shop() {
    use backorder_desk::app::import::LARGE_FILE_BYTES;

    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.csv");
    let mut count = 70_000;
    loop {
        std::fs::write(&big, past_orders("B", count)).expect("write");
        if std::fs::metadata(&big).expect("size").len() > LARGE_FILE_BYTES {
            break;
        }
        count += 10_000;
    }
    let small = dir.path().join("small.csv");
    std::fs::write(&small, past_orders("S", 500)).expect("write");
    let later = dir.path().join("later.csv");
    std::fs::write(&later, past_orders("T", 300)).expect("write");
    let (big, small, later) = (
        big.to_str().expect("utf-8 path"),
        small.to_str().expect("utf-8 path"),
        later.to_str().expect("utf-8 path"),
    );

    // Used: the dashboard computed before every import (the daily routine).
    let used = dir.path().join("used.sqlite");
    ok(
        &used,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--stock",
            "40",
        ],
    );
    for file in [small, big, later] {
        ok(&used, &["kpi"]);
        let dry = ok(&used, &["import", "orders", file, "--dry-run"]);
        assert!(dry.contains("Nothing was written."), "{dry}");
        ok(&used, &["kpi"]);
        let done = ok(&used, &["import", "orders", file]);
        assert!(done.contains("Imported."), "{done}");
    }
    // The same files without the dashboard in between.
    let fresh = dir.path().join("fresh.sqlite");
    ok(
        &fresh,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--stock",
            "40",
        ],
    );
    for file in [small, big, later] {
        ok(&fresh, &["import", "orders", file]);
    }
    let kpis = ok(&used, &["kpi", "--json"]);
    assert_eq!(kpis, ok(&fresh, &["kpi", "--json"]));
    let counts: Value = serde_json::from_str(kpis.trim()).expect("json");
    assert_eq!(counts["orders"], count + 800, "{kpis}");
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one story from the shop's file to the written export, checked step by step"
)]
fn exports_count_orders_and_their_rows_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &[
            "add-product",
            "--sku",
            "LAMP",
            "--name",
            "Lamp",
            "--stock",
            "5",
        ],
    );
    ok_on(
        &shop,
        MAR_15,
        &[
            "add-product",
            "--sku",
            "MUG",
            "--name",
            "Mug",
            "--stock",
            "9",
        ],
    );
    ok_on(
        &shop,
        MAR_15,
        &["add-product", "--sku", "VASE", "--name", "Vase"],
    );
    // SO-1: LAMP 3 (3 reserved) and MUG 2; SO-2: LAMP 4 (2 reserved, 2 waiting).
    ok_on(
        &shop,
        MAR_15,
        &[
            "order",
            "--number",
            "SO-1",
            "--customer",
            "Ann",
            "LAMP=3",
            "MUG=2",
        ],
    );
    ok_on(
        &shop,
        MAR_15,
        &["order", "--number", "SO-2", "--customer", "Bo", "LAMP=4"],
    );
    // SO-1 ships whole; SO-2's reserved 2 ship, its 2 waiting stay open: two rows for one line.
    ok_on(&shop, MAR_15, &["ship", "SO-1"]);
    ok_on(&shop, MAR_15, &["ship", "SO-2"]);
    ok_on(
        &shop,
        MAR_15,
        &[
            "po",
            "--number",
            "PO-1",
            "--supplier",
            "Acme",
            "--new-supplier",
            "LAMP=5",
            "VASE=2",
        ],
    );
    let file = |name: &str| {
        dir.path()
            .join(name)
            .to_str()
            .expect("utf-8 path")
            .to_owned()
    };
    let orders = ok_on(&shop, MAR_15, &["export", "orders", &file("orders.csv")]);
    assert_eq!(
        orders.trim(),
        format!(
            "Wrote 2 orders (4 rows: one per order line and state) to {}",
            file("orders.csv")
        )
    );
    let rows = std::fs::read_to_string(file("orders.csv")).expect("file");
    assert_eq!(rows.lines().count(), 1 + 4, "{rows}");
    let pos = ok_on(
        &shop,
        MAR_15,
        &["export", "purchase-orders", &file("pos.csv")],
    );
    assert_eq!(
        pos.trim(),
        format!(
            "Wrote 1 purchase order (2 rows: one per line) to {}",
            file("pos.csv")
        )
    );
    let products = ok_on(
        &shop,
        MAR_15,
        &["export", "products", &file("products.csv")],
    );
    assert_eq!(
        products.trim(),
        format!("Wrote 3 products to {}", file("products.csv"))
    );
    let waiting = ok_on(
        &shop,
        MAR_15,
        &["export", "backorders", &file("backorders.csv")],
    );
    assert_eq!(
        waiting.trim(),
        format!("Wrote 1 waiting line to {}", file("backorders.csv"))
    );
}

#[test]
fn a_stray_byte_in_a_utf8_products_file_changes_no_name_and_no_supplier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    let mut good = b"sku,name,supplier\n".to_vec();
    for index in 1..=199 {
        good.extend_from_slice(format!("CB-{index:03},Crème Brûlée {index},Société\n").as_bytes());
    }
    let first = dir.path().join("first.csv");
    std::fs::write(&first, &good).expect("write");
    ok_on(
        &shop,
        MAR_15,
        &["import", "products", first.to_str().expect("utf-8")],
    );
    // The same file again with one byte of Windows-1252 on one row (and a name changed there).
    let mut stray = good.clone();
    stray.extend_from_slice(b"CB-200,Caf\xE9 au lait,Soci\xC3\xA9t\xC3\xA9\n");
    let second = dir.path().join("second.csv");
    std::fs::write(&second, &stray).expect("write");
    let output = desk_on(
        &shop,
        MAR_15,
        &["import", "products", second.to_str().expect("utf-8")],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "the file has an error: nothing is written"
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("encoding UTF-8"), "{report}");
    assert!(
        report.contains("line 201, column name: value 'Caf\u{fffd} au lait' — character 4 is the byte 0xE9, which is not UTF-8"),
        "{report}"
    );
    // With --valid-only the good rows are written; they change nothing.
    let output = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "products",
            second.to_str().expect("utf-8"),
            "--valid-only",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = products(&shop);
    assert_eq!(rows.len(), 199);
    assert!(
        rows.iter().all(|row| row["name"]
            .as_str()
            .is_some_and(|name| name.starts_with("Crème Brûlée "))
            && row["supplier"] == "Société"),
        "no mojibake"
    );
    let suppliers: i64 = rusqlite::Connection::open(&shop)
        .expect("open")
        .query_row("SELECT count(*) FROM suppliers", [], |row| row.get(0))
        .expect("count");
    assert_eq!(suppliers, 1, "no duplicate supplier");
}

#[test]
fn an_order_whose_lines_come_back_again_and_again_later_in_the_file_imports_whole() {
    // 200 orders of one line, then the same 200 order numbers twice more (a second and third
    // line each): when a later line comes, its order's header is written and its first line may
    // still wait in the write queue.
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["add-product", "--sku", "LAMP", "--name", "Lamp"],
    );
    ok_on(
        &shop,
        MAR_15,
        &["add-product", "--sku", "MUG", "--name", "Mug"],
    );
    ok_on(
        &shop,
        MAR_15,
        &["add-product", "--sku", "VASE", "--name", "Vase"],
    );
    let mut text = String::from(ORDERS_HEADER);
    for sku in ["LAMP", "MUG", "VASE"] {
        for index in 0..200 {
            text.push_str(&format!(
                "R-{index:04},2026-02-10 10:00:00,Ann,ann@example.com,{sku},1,5.00,open,\n"
            ));
        }
    }
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, text).expect("write");
    ok_on(
        &shop,
        MAR_15,
        &["import", "orders", file.to_str().expect("utf-8")],
    );
    let (lines, orders, highest): (i64, i64, i64) = rusqlite::Connection::open(&shop)
        .expect("open")
        .query_row(
            "SELECT count(*), count(DISTINCT order_id), max(line_no) FROM order_lines",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("count");
    assert_eq!((lines, orders, highest), (600, 200, 3));
}

// ---------------------------------------------------------------------------------------------
// Storefront orders exports, every day

fn shop_with_catalog(dir: &Path) -> std::path::PathBuf {
    let shop = dir.join("shop.sqlite");
    ok_on(
        &shop,
        MAR_15,
        &["import", "products", &fixture("storefront_catalog.csv")],
    );
    shop
}

#[test]
fn a_shopify_orders_export_is_imported_and_the_next_days_changes_are_applied() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = shop_with_catalog(dir.path());
    let dry = ok_on(
        &shop,
        MAR_15,
        &[
            "import",
            "orders",
            &fixture("shopify_orders.csv"),
            "--format",
            "shopify-orders",
            "--dry-run",
        ],
    );
    assert_eq!(
        dry.lines().next(),
        Some("Shopify orders export, 8 orders, 12 lines")
    );
    assert!(dry.contains("Nothing was written."), "{dry}");
    let first = ok_on(
        &shop,
        MAR_15,
        &["import", "orders", &fixture("shopify_orders.csv")],
    );
    assert_eq!(
        first.lines().next(),
        Some("Shopify orders export, 8 orders, 12 lines")
    );
    assert!(
        first.contains(
            "Rows: 12 read, 11 new, 0 updated, 0 unchanged, 1 skipped, 0 with errors\n\
             Skipped: lines that need no shipping (gift cards, digital goods) (1)\n"
        ),
        "{first}"
    );
    assert!(
        first.contains("Orders: 8 new, 0 changed, 0 unchanged"),
        "{first}"
    );
    assert!(first.contains("oversold: 1 line(s)"), "{first}");
    // The header is not listed as ignored columns.
    assert!(!first.contains("ignored column"), "{first}");

    let waiting: Vec<Value> = ok_on(&shop, MAR_15, &["backorders", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    let print = waiting
        .iter()
        .find(|line| line["order_number"] == "#1006")
        .expect("#1006 waits");
    assert!(
        print["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .any(|flag| flag == "oversold"),
        "{print}"
    );

    let output = desk_on(
        &shop,
        "2026-03-16",
        &["import", "orders", &fixture("shopify_orders_next_day.csv")],
    );
    assert!(output.status.success());
    let next = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        next.lines().next(),
        Some("Shopify orders export, 7 orders, 10 lines")
    );
    assert!(
        next.contains("Orders: 1 new, 4 changed, 2 unchanged"),
        "{next}"
    );
    assert!(
        next.contains(
            "changed: #1003: cancelled in Shopify: its reserved stock went to the next customers \
             in line; payment paid → refunded; 9371000012: 2 units cancelled in Shopify; \
             TEE-BLK-S: 1 unit cancelled in Shopify"
        ),
        "{next}"
    );
    assert!(
        next.contains(
            "warning: line 3: order #1007: 2 units of 9371000012 shipped in Shopify while nothing \
             was reserved for them here"
        ),
        "{next}"
    );
    let again = desk_on(
        &shop,
        "2026-03-16",
        &["import", "orders", &fixture("shopify_orders_next_day.csv")],
    );
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.contains("Orders: 0 new, 0 changed, 7 unchanged"),
        "{again}"
    );
    assert!(!again.contains("Recorded as import"), "{again}");
    assert!(ok_on(&shop, MAR_15, &["check"]).contains("reservations ok"));
}

#[test]
fn an_unknown_orders_file_is_refused_once_and_read_with_a_saved_mapping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = shop_with_catalog(dir.path());
    let file = fixture("other_platform_orders.csv");
    let refused = desk_on(&shop, MAR_15, &["import", "orders", &file]);
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("found 14 columns"), "{message}");
    assert!(message.contains("--mapping NAME"), "{message}");
    assert_eq!(message.matches("Order Ref").count(), 1, "{message}");

    let missing = desk_on(
        &shop,
        MAR_15,
        &["import", "orders", &file, "--mapping", "Nordic"],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("There is no saved column mapping named 'Nordic'"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );

    // The mapping the window saves.
    {
        use backorder_desk::app::mappings;
        use backorder_desk::domain::shop_orders::MappedField;
        use backorder_desk::io::csv_import::ColumnMapping;
        let mut store = backorder_desk::store::Store::open(&shop).expect("open");
        let peek = mappings::peek_file(Path::new(&file), 2).expect("peek");
        let mut mapping = ColumnMapping::default();
        for (field, column) in [
            (MappedField::OrderNumber, "Order Ref"),
            (MappedField::OrderedAt, "Placed"),
            (MappedField::CustomerName, "Client"),
            (MappedField::CustomerEmail, "Mail"),
            (MappedField::Sku, "Article"),
            (MappedField::ItemName, "Product"),
            (MappedField::Quantity, "Qty"),
            (MappedField::UnitPrice, "Unit Price"),
            (MappedField::Status, "State"),
        ] {
            mapping.set(field, Some(column.to_owned()));
        }
        let clock = backorder_desk::app::Clock::fixed(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"),
        );
        mappings::save(&mut store, "Nordic", &peek.signature, &mapping, &clock).expect("save");
    }
    let imported = ok_on(
        &shop,
        MAR_15,
        &["import", "orders", &file, "--mapping", "Nordic"],
    );
    assert_eq!(
        imported.lines().next(),
        Some("Orders file read with a column mapping, 2 orders, 3 lines")
    );
    assert!(imported.contains("Orders: 2 new"), "{imported}");
}

#[test]
fn storefront_formats_are_named_and_errors_exit_with_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = shop_with_catalog(dir.path());
    let wrong = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "orders",
            &fixture("shopify_orders.csv"),
            "--format",
            "etsy-orders",
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr)
            .contains("required column(s) missing: Sale Date, Item Name, Quantity, Order ID"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let bad_format = desk_on(
        &shop,
        MAR_15,
        &[
            "import",
            "orders",
            &fixture("shopify_orders.csv"),
            "--format",
            "amazon",
        ],
    );
    assert!(
        String::from_utf8_lossy(&bad_format.stderr).contains(
            "--format must be auto, own, shopify-orders, woocommerce-orders or etsy-orders, not 'amazon'"
        )
    );
    let text = std::fs::read_to_string(fixture("woocommerce_orders.csv"))
        .expect("fixture")
        .replace("TEE-BLK-S", "TEE-XXL")
        .replace("Black / S", "Black / XXL");
    let path = dir.path().join("woo.csv");
    std::fs::write(&path, text).expect("write");
    let errors = desk_on(
        &shop,
        MAR_15,
        &["import", "orders", path.to_str().expect("utf-8")],
    );
    assert_eq!(errors.status.code(), Some(2));
    let report = String::from_utf8_lossy(&errors.stdout);
    assert!(
        report.contains(
            "error: line 2, column item_sku: value 'TEE-XXL' — is not in the catalog, and no \
             product is named 'Classic Tee - Black / XXL'"
        ),
        "{report}"
    );
    assert!(report.contains("Nothing was written."), "{report}");
}

#[test]
fn the_own_orders_layout_says_how_many_lines_were_oversold() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = shop_with_catalog(dir.path());
    let own = dir.path().join("own.csv");
    std::fs::write(
        &own,
        "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price\n\
         A-1,2026-03-14 10:00:00,Ann Lee,ann@example.com,PRINT-LTD,2,40.00\n\
         A-2,2026-03-14 11:00:00,Bo Kim,bo@example.com,TEE-BLK-S,1,25.00\n",
    )
    .expect("written");
    let dry = ok_on(
        &shop,
        MAR_15,
        &["import", "orders", &own.to_string_lossy(), "--dry-run"],
    );
    assert!(dry.contains("oversold: 1 line(s)"), "{dry}");
    let output = ok_on(&shop, MAR_15, &["import", "orders", &own.to_string_lossy()]);
    assert_eq!(
        output.lines().next(),
        Some("Backorder Desk orders, 2 orders, 2 lines")
    );
    assert!(output.contains("oversold: 1 line(s)"), "{output}");
    let waiting: Vec<Value> = ok_on(&shop, MAR_15, &["backorders", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    let flags = |number: &str| {
        waiting
            .iter()
            .filter(|line| line["order_number"] == number)
            .flat_map(|line| line["flags"].as_array().cloned().unwrap_or_default())
            .collect::<Vec<Value>>()
    };
    assert!(flags("A-1").iter().any(|flag| flag == "oversold"));
    assert!(!flags("A-2").iter().any(|flag| flag == "oversold"));
}

/// A variant without a SKU keeps its mark through the own format: its derived key is exported
/// with `sku_in_shop` = `no`, a re-import (into the same shop or a new one) keeps the product
/// "no SKU in the shop", and the Shopify file written afterwards still never carries the key.
#[test]
fn a_derived_key_stays_a_derived_key_through_the_own_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = dir.path().join("shop.sqlite");
    ok(
        &shop,
        &[
            "import",
            "products",
            &fixture("shopify_products_current.csv"),
        ],
    );
    let own = dir.path().join("own.csv");
    ok(&shop, &["export", "products", own.to_str().expect("utf-8")]);
    let text = std::fs::read_to_string(&own).expect("export");
    let shirt_line = text
        .lines()
        .find(|line| line.starts_with("ocean-blue-shirt/XS,"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(shirt_line.ends_with(",no"), "{shirt_line}");
    let jacket_line = text
        .lines()
        .find(|line| line.starts_with("JACKET-BRN,"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(jacket_line.ends_with(",yes"), "{jacket_line}");

    // The same shop: nothing changes, the mark stays.
    let report = ok(&shop, &["import", "products", own.to_str().expect("utf-8")]);
    assert!(
        report.contains(" 0 new, 0 updated, 8 unchanged"),
        "{report}"
    );
    let rows = products(&shop);
    assert_eq!(product(&rows, "ocean-blue-shirt/XS")["sku_in_shop"], false);
    assert_eq!(product(&rows, "JACKET-BRN")["sku_in_shop"], true);

    // A new shop from the own file alone: the key is still the desk's, not a SKU.
    let other = dir.path().join("other.sqlite");
    ok(
        &other,
        &["import", "products", own.to_str().expect("utf-8")],
    );
    let rows = products(&other);
    assert_eq!(product(&rows, "ocean-blue-shirt/XS")["sku_in_shop"], false);
    assert_eq!(product(&rows, "JACKET-BRN")["sku_in_shop"], true);
    for format in ["shopify", "woocommerce"] {
        let badges = dir.path().join(format!("badges-{format}.csv"));
        ok(
            &other,
            &[
                "export",
                "badges",
                badges.to_str().expect("utf-8"),
                "--format",
                format,
            ],
        );
        let text = std::fs::read_to_string(&badges).expect("badges");
        assert!(!text.contains("ocean-blue-shirt/XS"), "{format}: {text}");
        assert!(text.contains("JACKET-BRN"), "{format}: {text}");
    }

    // A file without the column keeps the stored mark; `yes` makes the key the shop's SKU.
    let plain = dir.path().join("plain.csv");
    std::fs::write(
        &plain,
        "sku,name\nocean-blue-shirt/XS,Ocean Blue Shirt - XS\n",
    )
    .expect("csv");
    ok(
        &other,
        &["import", "products", plain.to_str().expect("utf-8")],
    );
    assert_eq!(
        product(&products(&other), "ocean-blue-shirt/XS")["sku_in_shop"],
        false
    );
    let marked = dir.path().join("marked.csv");
    std::fs::write(
        &marked,
        "sku,name,sku_in_shop\nocean-blue-shirt/XS,Ocean Blue Shirt - XS,yes\n",
    )
    .expect("csv");
    ok(
        &other,
        &["import", "products", marked.to_str().expect("utf-8")],
    );
    assert_eq!(
        product(&products(&other), "ocean-blue-shirt/XS")["sku_in_shop"],
        true
    );
}
