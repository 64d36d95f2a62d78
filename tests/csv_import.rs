//! CSV import: every kind of real-world file from the issue, each format, round trips, and
//! random input.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;

use backorder_desk::domain::BackorderPolicy;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::identity::ShopIdentity;
use backorder_desk::io::csv_import::{
    DateFormat, DateOrder, DeskStock, Entity, Format, ImportError, ImportOptions,
    ImportedOrderLine, ImportedPoLine, ImportedProduct, InventoryQuantity, Layout, ORDER_HEADER,
    OrderLineStatus, PO_HEADER, Parsed, RowError, ShopStockStatus, TextEncoding, open, read_orders,
    read_products, read_purchase_orders, read_shopify_inventory, write_order_lines, write_po_lines,
    write_shopify_inventory,
};
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture(name: &str) -> File {
    File::open(fixture_path(name)).expect("fixture exists")
}

fn products(name: &str) -> Parsed<ImportedProduct> {
    read_products(fixture(name), &ImportOptions::default()).expect("file opens")
}

fn orders(name: &str) -> Parsed<ImportedOrderLine> {
    read_orders(fixture(name), &ImportOptions::default()).expect("file opens")
}

fn product<'a>(parsed: &'a Parsed<ImportedProduct>, sku: &str) -> &'a ImportedProduct {
    parsed
        .rows
        .iter()
        .find(|row| row.sku == sku)
        .unwrap_or_else(|| panic!("no row with SKU {sku}"))
}

fn skus(parsed: &Parsed<ImportedProduct>) -> Vec<&str> {
    parsed.rows.iter().map(|row| row.sku.as_str()).collect()
}

fn errors(summary_errors: &[RowError]) -> Vec<String> {
    summary_errors.iter().map(ToString::to_string).collect()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").expect("test timestamp")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// `Some(text.to_owned())`, short enough for the many text assertions.
#[allow(clippy::unnecessary_wraps)]
fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Encodings and delimiters

#[test]
fn utf8_with_bom() {
    let parsed = products("own_products_utf8_bom.csv");
    let file = &parsed.summary.file;
    assert_eq!(file.encoding, TextEncoding::Utf8Bom);
    assert_eq!(file.delimiter, b',');
    assert_eq!(file.layout, Layout::OwnProducts);
    assert_eq!(file.header_line, 1);
    assert_eq!(
        file.columns[0], "sku",
        "the BOM is not part of the first column name"
    );
    assert_eq!(skus(&parsed), ["0017", "MUG-01"]);
    let dish = product(&parsed, "0017");
    assert_eq!(dish.line, 2);
    assert_eq!(dish.name, some("Crème brûlée dish"));
    assert_eq!(dish.category, some("Kitchen"));
    assert_eq!(dish.location, some("A-01"));
    assert_eq!(dish.unit_cost_cents, Some(310));
    assert_eq!(dish.price_cents, Some(990));
    assert_eq!(dish.on_hand, Some(12));
    assert_eq!(dish.supplier, some("Céramique Sàrl"));
    assert_eq!(dish.lead_time_days, Some(21));
    assert_eq!(dish.backorder_policy, Some(BackorderPolicy::Allowed));
    assert_eq!(dish.max_wait_days, Some(14));
    let mug = product(&parsed, "MUG-01");
    assert_eq!(mug.line, 3);
    assert_eq!(mug.backorder_policy, Some(BackorderPolicy::Preorder));
    assert_eq!(mug.max_wait_days, Some(30));
    assert!(parsed.summary.errors.is_empty());
    assert!(parsed.summary.warnings.is_empty());
}

#[test]
fn utf8_without_bom_and_empty_cells() {
    let parsed = products("own_products_utf8.csv");
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Utf8);
    let teapot = product(&parsed, "TP-1");
    assert_eq!(teapot.name, some("Teapot ★"));
    // Present but empty text columns clear; empty numbers say nothing.
    assert_eq!(teapot.location, some(""));
    assert_eq!(teapot.supplier, some(""));
    assert_eq!(teapot.lead_time_days, None);
    assert_eq!(teapot.max_wait_days, None);
    assert_eq!(teapot.backorder_policy, Some(BackorderPolicy::NotAllowed));
    assert_eq!(teapot.price_cents, Some(950));
}

#[test]
fn windows_1252_keeps_accents() {
    let parsed = products("own_products_windows1252.csv");
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Windows1252);
    let cup = product(&parsed, "CAF-1");
    assert_eq!(cup.name, some("Café crème cup"));
    assert_eq!(cup.category, some("Küche"));
    assert_eq!(cup.supplier, some("Größe & Söhne"));
    assert_eq!(
        cup.unit_cost_cents,
        Some(210),
        "€ is byte 0x80 in Windows-1252"
    );
    assert_eq!(cup.price_cents, Some(690));
    let tile = product(&parsed, "FAC-2");
    assert_eq!(tile.name, some("Façade tile"));
    assert_eq!(tile.category, some("Décor"));
    assert_eq!(tile.supplier, some("Peña Cerámica"));
    assert_eq!(tile.on_hand, Some(100));
}

#[test]
fn utf16_with_bom_from_excel_unicode_text() {
    let parsed = products("own_products_utf16le.txt");
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Utf16Le);
    assert_eq!(parsed.summary.file.delimiter, b'\t');
    let mug = product(&parsed, "U16-1");
    assert_eq!(mug.name, some("Ångström mug"));
    assert_eq!(mug.on_hand, Some(3));
    assert_eq!(mug.line, 2);
}

#[test]
fn semicolons_with_decimal_commas() {
    let parsed = products("own_products_semicolon.csv");
    assert_eq!(parsed.summary.file.delimiter, b';');
    let cup = product(&parsed, "TAS-01");
    assert_eq!(cup.unit_cost_cents, Some(420));
    assert_eq!(cup.price_cents, Some(1250));
    assert_eq!(cup.on_hand, Some(7));
    assert_eq!(cup.lead_time_days, Some(14));
    assert_eq!(cup.max_wait_days, Some(21));
    let pot = product(&parsed, "POT-02");
    assert_eq!(pot.name, some("Théière, fonte"));
    assert_eq!(pot.unit_cost_cents, Some(123_456));
    assert_eq!(pot.price_cents, Some(234_500));
    assert_eq!(pot.lead_time_days, None);
    assert_eq!(pot.backorder_policy, Some(BackorderPolicy::NotAllowed));
}

#[test]
fn tab_delimited() {
    let parsed = products("own_products_tab.tsv");
    assert_eq!(parsed.summary.file.delimiter, b'\t');
    let mug = product(&parsed, "TAB-1");
    assert_eq!(mug.name, some("Mug, large"));
    assert_eq!(mug.price_cents, Some(1250));
    assert_eq!(mug.backorder_policy, Some(BackorderPolicy::NotAllowed));
    let plate = product(&parsed, "TAB-2");
    assert_eq!(plate.name, some("Plate \"Deluxe\""));
    assert_eq!(plate.price_cents, Some(800));
    assert_eq!(plate.on_hand, Some(0));
    assert_eq!(plate.backorder_policy, Some(BackorderPolicy::Preorder));
    assert_eq!(plate.category, None, "no category column");
}

#[test]
fn thousands_separators_and_currency_symbols() {
    let parsed = products("own_products_money.csv");
    let lamp = product(&parsed, "LAMP-1");
    assert_eq!(lamp.unit_cost_cents, Some(105_000));
    assert_eq!(lamp.price_cents, Some(129_999));
    let rug = product(&parsed, "RUG-2");
    assert_eq!(rug.unit_cost_cents, Some(85_000));
    assert_eq!(rug.price_cents, Some(249_900));
    let cup = product(&parsed, "CUP-3");
    assert_eq!(cup.unit_cost_cents, Some(80));
    assert_eq!(cup.price_cents, Some(350));
    assert_eq!(
        errors(&parsed.summary.errors),
        ["line 5, column price: value '-$5.00' — must not be negative"]
    );
    assert_eq!(parsed.summary.rows_ok, 3);
    assert_eq!(parsed.summary.rows_with_errors, 1);
}

// ---------------------------------------------------------------------------------------------
// Line ends, blank lines, headers

#[test]
fn crlf_blank_lines_and_trailing_empty_columns() {
    let parsed = products("own_products_crlf_blank.csv");
    let lines: Vec<(u64, &str)> = parsed
        .rows
        .iter()
        .map(|row| (row.line, row.sku.as_str()))
        .collect();
    assert_eq!(lines, [(2, "A-1"), (5, "B-2"), (7, "C-3")]);
    assert_eq!(product(&parsed, "A-1").name, some("Apple crate"));
    assert_eq!(product(&parsed, "B-2").on_hand, None);
    assert_eq!(product(&parsed, "C-3").price_cents, Some(725));
    assert_eq!(parsed.summary.rows_read, 3, "blank rows are not rows");
    assert!(
        parsed.summary.warnings.is_empty(),
        "{:?}",
        parsed.summary.warnings
    );
    assert_eq!(
        parsed.summary.file.columns,
        ["sku", "name", "price", "on_hand"]
    );
}

#[test]
fn headers_in_any_order_with_spaces_and_case() {
    let parsed = products("own_products_any_order.csv");
    let teapot = product(&parsed, "TP-1");
    assert_eq!(teapot.name, some("Tea pot"));
    assert_eq!(teapot.price_cents, Some(950));
    assert_eq!(teapot.unit_cost_cents, Some(300));
    assert_eq!(teapot.on_hand, Some(4));
    assert_eq!(teapot.backorder_policy, Some(BackorderPolicy::Allowed));
    assert_eq!(teapot.category, None);
    assert_eq!(
        parsed
            .summary
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["line 1: ignored column(s): Notes"]
    );
}

#[test]
fn duplicate_skus_name_both_lines() {
    let parsed = products("own_products_duplicates.csv");
    assert_eq!(skus(&parsed), ["DUP-1", "OK-2"]);
    assert_eq!(
        errors(&parsed.summary.errors),
        ["line 4, column sku: value 'DUP-1' — duplicate SKU: also on line 2"]
    );
}

#[test]
fn skus_stay_text_and_scientific_notation_is_flagged() {
    let parsed = products("own_products_excel.csv");
    assert_eq!(skus(&parsed), ["0017", "3.65275E+11", "00420"]);
    assert_eq!(product(&parsed, "0017").on_hand, Some(5));
    let warnings: Vec<String> = parsed
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("line 3: column sku: value '3.65275E+11' looks like a number"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("scientific notation"));
}

#[test]
fn row_errors_say_line_column_value_and_reason() {
    let parsed = products("own_products_errors.csv");
    assert_eq!(skus(&parsed), ["OK-1"]);
    assert_eq!(parsed.rows[0].line, 2);
    assert_eq!(
        errors(&parsed.summary.errors),
        [
            "line 5, column name: value '' — a name is required",
            "line 5, column price: value 'abc' — is not a number",
            "line 5, column lead_time_days: value '-1' — must be between 0 and 3650",
            "line 5, column backorder_policy: value 'maybe' — must be no, yes or preorder",
            "line 6, column sku: value '' — a SKU is required",
            "line 7, column on_hand: value '1.5' — is not a whole number",
        ]
    );
    let summary = &parsed.summary;
    assert_eq!(
        (summary.rows_read, summary.rows_ok, summary.rows_with_errors),
        (4, 1, 3)
    );
    assert_eq!(
        summary.errors[0],
        RowError {
            line: 5,
            column: "name".into(),
            value: String::new(),
            reason: "a name is required".into(),
        }
    );
}

#[test]
fn rows_stream_with_their_errors() {
    let file = open(
        fixture("own_products_errors.csv"),
        &ImportOptions::default(),
    )
    .expect("file opens");
    assert_eq!(file.layout(), Layout::OwnProducts);
    let mut rows = file.products().expect("a product file");
    let mut seen = Vec::new();
    for item in rows.by_ref() {
        match item.expect("readable") {
            Ok(row) => seen.push(format!("ok {} {}", row.line, row.sku)),
            Err(row_errors) => {
                seen.push(format!("bad {} ×{}", row_errors[0].line, row_errors.len()));
            }
        }
    }
    assert_eq!(seen, ["ok 2 OK-1", "bad 5 ×4", "bad 6 ×1", "bad 7 ×1"]);
    assert!(rows.bytes_read() > 0);
    assert_eq!(rows.summary().errors.len(), 6);
}

#[test]
fn inline_quirks_sep_line_extra_values_and_missing_columns() {
    let read = |text: &str| {
        read_products(
            Cursor::new(text.as_bytes().to_vec()),
            &ImportOptions::default(),
        )
    };
    // Excel's `sep=` hint line.
    let parsed = read("sep=;\nsku;name;price\nA;Apple;1,50\n").expect("opens");
    assert_eq!(parsed.summary.file.delimiter, b';');
    assert_eq!(parsed.summary.file.header_line, 2);
    assert_eq!(
        (parsed.rows[0].line, parsed.rows[0].price_cents),
        (3, Some(150))
    );
    // Values to the right of the last named column are ignored with one warning.
    let parsed = read("sku,name\nA,Apple,stray\nB,Bean,more\n").expect("opens");
    assert_eq!(skus(&parsed), ["A", "B"]);
    assert_eq!(
        parsed.summary.warnings[0].to_string(),
        "line 2: values to the right of the last named column are ignored"
    );
    assert_eq!(parsed.summary.warnings.len(), 1);
    // A named own format without a required column explains itself.
    let options = ImportOptions {
        format: Some(Format::Own),
        entity: Some(Entity::Products),
        ..ImportOptions::default()
    };
    let missing = read_products(Cursor::new(b"sku,price\nA,1\n".to_vec()), &options);
    assert!(
        matches!(&missing, Err(ImportError::MissingColumns { line: 1, missing }) if missing == &["name"]),
        "{missing:?}"
    );
    assert_eq!(
        missing.map(|_| ()).expect_err("missing").to_string(),
        "line 1: required column(s) missing: name"
    );
    let unknown = read("foo,bar\n1,2\n")
        .map(|_| ())
        .expect_err("unknown layout");
    assert!(matches!(
        unknown,
        ImportError::UnknownLayout { line: 1, .. }
    ));
    let twice = read("sku,name,SKU\nA,B,C\n")
        .map(|_| ())
        .expect_err("duplicate column");
    assert_eq!(
        twice.to_string(),
        "line 1: column 'SKU' appears twice (columns 1 and 3)"
    );
}

#[test]
fn files_that_are_not_csv() {
    let read = |bytes: &[u8]| read_products(Cursor::new(bytes.to_vec()), &ImportOptions::default());
    assert!(matches!(read(b""), Err(ImportError::Empty)));
    assert!(matches!(
        read(b"\xEF\xBB\xBF\r\n\r\n"),
        Err(ImportError::Empty)
    ));
    assert!(matches!(
        read(b"PK\x03\x04\x14\x00\x06\x00"),
        Err(ImportError::NotText)
    ));
}

#[test]
fn one_byte_deep_in_an_otherwise_ascii_file_makes_it_windows_1252() {
    // No UTF-8 character anywhere and a byte that is not UTF-8: the file is Windows-1252 (the
    // encoding is decided from all the bytes, not only the first megabyte).
    let mut text = b"sku,name\n".to_vec();
    for index in 0..40_000 {
        text.extend_from_slice(format!("SKU-{index:05},Plain name {index}\n").as_bytes());
    }
    assert!(text.len() > 1024 * 1024, "beyond the sniffed sample");
    text.extend_from_slice(b"LATE-1,Caf\xE9\n");
    let parsed = read_products(Cursor::new(text), &ImportOptions::default()).expect("opens");
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Windows1252);
    assert_eq!(product(&parsed, "LATE-1").name, some("Café"));
    assert_eq!(product(&parsed, "LATE-1").line, 40_002);
    assert!(parsed.summary.errors.is_empty());
    assert_eq!(parsed.rows.len(), 40_001);
}

/// `count` rows of accented UTF-8 names, with `\xE9` put into the name of row `bad_row`
/// (1-based among the rows).
fn accented_products(count: usize, bad_row: usize) -> Vec<u8> {
    let mut text = b"sku,name,supplier\n".to_vec();
    for index in 1..=count {
        text.extend_from_slice(format!("CB-{index:04},").as_bytes());
        if index == bad_row {
            text.extend_from_slice(b"Cr\xE9me ");
        }
        text.extend_from_slice(format!("Crème Brûlée {index},Société\n").as_bytes());
    }
    text
}

#[test]
fn a_stray_byte_in_a_utf8_file_is_an_error_of_its_row_and_nothing_else_changes() {
    for (count, bad_row) in [(199, 57), (199, 1), (12_000, 11_990)] {
        let text = accented_products(count, bad_row);
        let parsed = read_products(Cursor::new(text), &ImportOptions::default()).expect("opens");
        assert_eq!(
            parsed.summary.file.encoding,
            TextEncoding::Utf8,
            "{count}/{bad_row}"
        );
        assert_eq!(parsed.rows.len(), count - 1);
        assert!(
            parsed.rows.iter().all(|row| row
                .name
                .as_deref()
                .is_some_and(|n| n.starts_with("Crème Brûlée"))
                && row.supplier.as_deref() == Some("Société")),
            "no mojibake"
        );
        assert_eq!(
            errors(&parsed.summary.errors),
            [format!(
                "line {}, column name: value 'Cr\u{fffd}me Crème Brûlée {bad_row}' — character 3 is \
                 the byte 0xE9, which is not UTF-8 (the rest of the file is UTF-8); type the \
                 character again, or save the file again as UTF-8 (in Excel: CSV UTF-8)",
                bad_row + 1
            )]
        );
        assert_eq!(parsed.summary.rows_with_errors, 1);
        assert!(
            parsed.summary.warnings.is_empty(),
            "{:?}",
            parsed.summary.warnings
        );
    }
}

#[test]
fn a_windows_1252_file_with_a_pair_that_looks_like_utf8_is_still_windows_1252() {
    // Twelve accented letters in Windows-1252, and "Ã©" (0xC3 0xA9), which happens to be the
    // UTF-8 form of "é".
    let mut text = b"sku,name\n".to_vec();
    for index in 0..12 {
        text.extend_from_slice(format!("W-{index},Caf").as_bytes());
        text.extend_from_slice(b"\xE9\n");
    }
    text.extend_from_slice(b"W-X,Logo \xC3\xA9\n");
    let parsed = read_products(Cursor::new(text), &ImportOptions::default()).expect("opens");
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Windows1252);
    assert_eq!(product(&parsed, "W-0").name, some("Café"));
    assert_eq!(product(&parsed, "W-X").name, some("Logo Ã©"));
    let warnings: Vec<String> = parsed
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("line 14: the file is read as Windows-1252 (it has 12 byte(s)"),
        "{warnings:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Own orders and purchase orders

fn line(parsed: &Parsed<ImportedOrderLine>, number: &str, sku: &str) -> ImportedOrderLine {
    parsed
        .rows
        .iter()
        .find(|row| row.order_number == number && row.sku == sku)
        .cloned()
        .unwrap_or_else(|| panic!("no line {number}/{sku}"))
}

#[test]
fn own_orders_values() {
    let parsed = orders("own_orders.csv");
    assert_eq!(parsed.summary.file.layout, Layout::OwnOrders);
    assert_eq!(parsed.rows.len(), 4);
    assert_eq!(
        line(&parsed, "1001", "MUG-01"),
        ImportedOrderLine {
            line: 2,
            order_number: "1001".into(),
            ordered_at: at("2024-03-01 09:15:00"),
            customer_name: "Ana Souza".into(),
            customer_email: "ana@example.com".into(),
            sku: "MUG-01".into(),
            quantity: 2,
            unit_price_cents: 1250,
            status: OrderLineStatus::Shipped,
            shipped_at: Some(at("2024-03-02 16:00:00")),
            backordered_qty: 0,
            priority: Priority::Normal,
        }
    );
    let waiting = line(&parsed, "1001", "0017");
    assert_eq!(
        (waiting.status, waiting.backordered_qty, waiting.shipped_at),
        (OrderLineStatus::Open, 1, None)
    );
    let jim = line(&parsed, "1002", "MUG-01");
    assert_eq!(jim.customer_name, "Brown, Jim");
    assert_eq!(jim.priority, Priority::High);
    assert_eq!(
        (jim.quantity, jim.backordered_qty, jim.unit_price_cents),
        (5, 5, 1200)
    );
    let zoe = line(&parsed, "1003", "TP-1");
    assert_eq!(zoe.customer_name, "Zoë Müller");
    assert_eq!(zoe.status, OrderLineStatus::Cancelled);
}

#[test]
fn own_orders_round_trip_byte_for_byte() {
    let original = std::fs::read(fixture_path("own_orders.csv")).expect("fixture");
    let first = orders("own_orders.csv");
    let written = write_order_lines(Vec::new(), &first.rows).expect("written");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&original)
    );
    let again =
        read_orders(Cursor::new(written.clone()), &ImportOptions::default()).expect("opens");
    assert_eq!(again.rows, first.rows);
    let rewritten = write_order_lines(Vec::new(), &again.rows).expect("written");
    assert_eq!(rewritten, written);
    assert!(written.starts_with(format!("{}\n", ORDER_HEADER.join(",")).as_bytes()));
}

#[test]
fn formula_cells_are_guarded_on_export_and_read_back_as_written() {
    let base = orders("own_orders.csv").rows[0].clone();
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1 555 0100",
        "-2+3",
        "@SUM(A1:A9)",
        "'=already quoted",
        "'plain quote",
    ];
    let lines: Vec<ImportedOrderLine> = names
        .iter()
        .enumerate()
        .map(|(index, name)| ImportedOrderLine {
            line: index as u64 + 2,
            order_number: format!("F-{index}"),
            customer_name: (*name).to_owned(),
            sku: if index == 0 {
                "-5".to_owned()
            } else {
                "=SKU".to_owned()
            },
            ..base.clone()
        })
        .collect();
    let written = write_order_lines(Vec::new(), &lines).expect("written");
    let text = String::from_utf8(written.clone()).expect("UTF-8");
    let mut cells = csv::Reader::from_reader(written.as_slice());
    for (record, name) in cells.records().zip(names) {
        let record = record.expect("record");
        let customer = &record[2];
        if name.starts_with("'p") {
            assert_eq!(customer, name);
        } else {
            assert!(customer.starts_with('\''), "{customer} is not guarded");
        }
        // No written cell can start a formula (a plain negative number is a number).
        for cell in &record {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r'])
                    && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                "{cell} in {text}"
            );
        }
    }
    assert!(text.contains("F-0,"), "{text}");
    assert!(
        text.contains(",-5,"),
        "a SKU that is a plain number stays as it is: {text}"
    );
    let again =
        read_orders(Cursor::new(written.clone()), &ImportOptions::default()).expect("opens");
    assert_eq!(again.rows, lines);
    assert_eq!(
        write_order_lines(Vec::new(), &again.rows).expect("written"),
        written
    );
}

#[test]
fn own_orders_from_other_sources_normalise_then_round_trip() {
    // A file with every date style: the first write normalises, the second is identical.
    let first = orders("own_orders_date_styles.csv");
    let written = write_order_lines(Vec::new(), &first.rows).expect("written");
    let again =
        read_orders(Cursor::new(written.clone()), &ImportOptions::default()).expect("opens");
    let rewritten = write_order_lines(Vec::new(), &again.rows).expect("written");
    assert_eq!(rewritten, written);
    let text = String::from_utf8(written).expect("UTF-8");
    assert!(
        text.contains("D3,2024-03-05 19:30:00,,,A,1,0.00,open,,0,normal\n"),
        "{text}"
    );
}

#[test]
fn own_purchase_orders_values_and_round_trip() {
    let original = std::fs::read(fixture_path("own_purchase_orders.csv")).expect("fixture");
    let parsed = read_purchase_orders(
        fixture("own_purchase_orders.csv"),
        &ImportOptions::default(),
    )
    .expect("opens");
    assert_eq!(parsed.summary.file.layout, Layout::OwnPurchaseOrders);
    assert_eq!(
        parsed.rows[0],
        ImportedPoLine {
            line: 2,
            po_number: "PO-2024-001".into(),
            supplier: "Clay & Co".into(),
            sku: "MUG-01".into(),
            quantity: 48,
            unit_cost_cents: 400,
            ordered_at: day("2024-02-20"),
            expected_at: Some(day("2024-03-15")),
            received_quantity: 48,
            received_at: Some(day("2024-03-14")),
        }
    );
    assert_eq!(parsed.rows[1].sku, "0017");
    assert_eq!(parsed.rows[1].received_quantity, 10);
    let open_po = &parsed.rows[2];
    assert_eq!(open_po.supplier, "Atelier Dupont, SARL");
    assert_eq!(
        (
            open_po.expected_at,
            open_po.received_quantity,
            open_po.received_at
        ),
        (None, 0, None)
    );

    let written = write_po_lines(Vec::new(), &parsed.rows).expect("written");
    assert_eq!(written, original);
    let again = read_purchase_orders(Cursor::new(written.clone()), &ImportOptions::default())
        .expect("opens");
    assert_eq!(
        write_po_lines(Vec::new(), &again.rows).expect("written"),
        written
    );
    assert!(written.starts_with(format!("{}\n", PO_HEADER.join(",")).as_bytes()));
}

#[test]
fn every_date_style() {
    let parsed = orders("own_orders_date_styles.csv");
    assert_eq!(
        parsed.summary.file.date_format,
        DateFormat::Detected(DateOrder::DayFirst)
    );
    assert_eq!(
        parsed.summary.file.date_format.to_string(),
        "DD/MM/YYYY (detected)"
    );
    let times: Vec<(u64, NaiveDateTime)> = parsed
        .rows
        .iter()
        .map(|row| (row.line, row.ordered_at))
        .collect();
    assert_eq!(
        times,
        [
            (2, at("2024-03-05 00:00:00")),
            (3, at("2024-03-05 14:30:00")),
            (4, at("2024-03-05 19:30:00")),
            (5, at("2024-03-05 14:30:00")),
            (6, at("2024-03-05 13:30:00.123")),
            (7, at("2024-03-25 00:00:00")),
            (8, at("2024-03-05 14:30:00")),
        ]
    );
    assert!(parsed.summary.errors.is_empty());
}

#[test]
fn month_first_dates_are_detected_from_a_later_row() {
    let parsed = orders("own_orders_month_first.csv");
    assert_eq!(
        parsed.summary.file.date_format,
        DateFormat::Detected(DateOrder::MonthFirst)
    );
    assert_eq!(parsed.rows[0].ordered_at, at("2024-03-05 00:00:00"));
    assert_eq!(parsed.rows[1].ordered_at, at("2024-03-25 10:00:00"));
    assert_eq!(parsed.rows[1].shipped_at, Some(at("2024-03-26 00:00:00")));
}

#[test]
fn ambiguous_dates_ask_and_accept_a_choice() {
    let refused = read_orders(
        fixture("own_orders_ambiguous.csv"),
        &ImportOptions::default(),
    );
    match refused {
        Err(ImportError::AmbiguousDates {
            line,
            column,
            value,
        }) => {
            assert_eq!(
                (line, column.as_str(), value.as_str()),
                (2, "ordered_at", "03/05/2024")
            );
        }
        other => panic!("expected ambiguous dates, got {other:?}"),
    }
    let options = ImportOptions {
        date_order: Some("DD/MM/YYYY".parse().expect("known format")),
        ..ImportOptions::default()
    };
    let parsed = read_orders(fixture("own_orders_ambiguous.csv"), &options).expect("opens");
    assert_eq!(
        parsed.summary.file.date_format,
        DateFormat::Chosen(DateOrder::DayFirst)
    );
    assert_eq!(parsed.rows[0].ordered_at, at("2024-05-03 00:00:00"));
    assert_eq!(parsed.rows[1].ordered_at, at("2024-06-04 00:00:00"));
    let options = ImportOptions {
        date_order: Some(DateOrder::MonthFirst),
        ..ImportOptions::default()
    };
    let parsed = read_orders(fixture("own_orders_ambiguous.csv"), &options).expect("opens");
    assert_eq!(parsed.rows[0].ordered_at, at("2024-03-05 00:00:00"));
}

#[test]
fn sku_not_in_catalog_is_passed_on_for_the_caller() {
    let catalog = products("own_products_utf8.csv");
    let parsed = orders("own_orders_unknown_sku.csv");
    assert_eq!(parsed.rows.len(), 2);
    let unknown: Vec<RowError> = parsed
        .rows
        .iter()
        .filter(|row| !catalog.rows.iter().any(|product| product.sku == row.sku))
        .map(|row| RowError::unknown_sku(row.line, &row.sku))
        .collect();
    assert_eq!(
        errors(&unknown),
        ["line 3, column sku: value 'NOT-IN-CATALOG' — is not in the catalog"]
    );
    assert_eq!(parsed.rows[1].quantity, 3);
    assert_eq!(parsed.rows[1].unit_price_cents, 400);
}

#[test]
fn order_errors() {
    let parsed = orders("own_orders_errors.csv");
    assert!(parsed.rows.is_empty());
    assert_eq!(
        errors(&parsed.summary.errors),
        [
            "line 2, column ordered_at: value '2024-13-01' — is not a valid date (no such day)",
            "line 3, column quantity: value '0' — must be 1 or more",
            "line 4, column status: value 'sent' — must be open, shipped or cancelled",
            "line 4, column backordered_qty: value '3' — must not be more than the quantity (2)",
            "line 4, column priority: value 'urgent' — must be normal or high",
        ]
    );
    // An address that cannot be used is a warning with its line and column, not an error.
    let warnings: Vec<String> = parsed
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.contains(
            &"line 4: column customer_email: value 'not-an-email' is not a valid e-mail address \
              (it has no @); the order is imported, messages to the customer wait until the \
              address is corrected"
                .to_owned()
        ),
        "{warnings:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Shopify

#[test]
fn shopify_product_export() {
    let parsed = products("shopify_products.csv");
    let summary = &parsed.summary;
    assert_eq!(summary.file.layout, Layout::ShopifyProducts);
    // The gift card has no SKU: it is the variant `gift-card` of the shop.
    assert_eq!(
        skus(&parsed),
        ["MUG-BL-S", "MUG-BL-L", "MUG-RD-S", "0017", "", "TT-01"]
    );

    let first = product(&parsed, "MUG-BL-S");
    assert_eq!(first.line, 2);
    assert_eq!(first.name, some("Ceramic Mug - Blue / Small"));
    assert_eq!(first.supplier, some("Clay & Co"));
    assert_eq!(first.category, some("Mugs"));
    assert_eq!(
        first.description,
        some(
            "<p>Hand-glazed stoneware.</p>\n<ul>\n<li>350 ml</li>\n<li>Dishwasher safe</li>\n</ul>"
        )
    );
    assert_eq!(first.on_hand, Some(12));
    assert_eq!(first.backorder_policy, Some(BackorderPolicy::NotAllowed));
    assert_eq!(first.price_cents, Some(1400));
    assert_eq!(first.unit_cost_cents, Some(520));

    // A follow-on row takes the product columns from the handle's first row; its line number
    // counts the four line breaks inside the HTML body above.
    let large = product(&parsed, "MUG-BL-L");
    assert_eq!(large.line, 7);
    assert_eq!(large.name, some("Ceramic Mug - Blue / Large"));
    assert_eq!(large.supplier, some("Clay & Co"));
    assert_eq!(large.category, some("Mugs"));
    assert_eq!(large.description, first.description);
    assert_eq!(large.on_hand, Some(0));
    assert_eq!(large.backorder_policy, Some(BackorderPolicy::Allowed));
    assert_eq!(
        (large.price_cents, large.unit_cost_cents),
        (Some(1600), Some(600))
    );

    let red = product(&parsed, "MUG-RD-S");
    assert_eq!(
        (red.line, red.on_hand, red.unit_cost_cents),
        (8, Some(-2), None)
    );
    assert_eq!(red.name, some("Ceramic Mug - Red / Small"));

    let apron = product(&parsed, "0017");
    assert_eq!(apron.line, 10);
    assert_eq!(
        apron.name,
        some("Linen Apron"),
        "Default Title is not part of the name"
    );
    assert_eq!(
        (apron.on_hand, apron.price_cents, apron.unit_cost_cents),
        (Some(40), Some(2900), Some(1100))
    );

    assert_eq!(
        first.identity.as_ref().map(|i| i.key.as_str()),
        Some("ceramic-mug/Blue/Small")
    );
    assert_eq!(first.track_stock, Some(true));

    let towel = product(&parsed, "TT-01");
    assert_eq!(towel.line, 12);
    assert_eq!(towel.on_hand, None, "inventory not tracked");
    assert_eq!(
        towel.track_stock,
        Some(false),
        "empty Variant Inventory Tracker"
    );
    assert_eq!(towel.backorder_policy, Some(BackorderPolicy::Allowed));

    let gift = product(&parsed, "");
    assert_eq!(gift.line, 11);
    assert_eq!(gift.name, some("Gift Card"));
    assert_eq!(
        gift.identity.as_ref().map(|i| i.key.as_str()),
        Some("gift-card")
    );
    assert_eq!(
        (gift.track_stock, gift.price_cents),
        (Some(false), Some(2500))
    );

    assert_eq!(
        errors(&summary.errors),
        ["line 13, column Variant Inventory Policy: value 'sometimes' — must be continue or deny"]
    );
    // The image-only row.
    assert_eq!(summary.rows_skipped, 1);
    assert_eq!(summary.skip_reasons, [("image rows".to_owned(), 1)]);
    assert_eq!(
        (summary.rows_read, summary.rows_ok, summary.rows_with_errors),
        (8, 6, 1)
    );
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("line 1: ignored column(s): Product Category, Tags, Published,")
    );
    assert!(warnings[0].contains("Color (product.metafields.shopify.color-pattern)"));
    assert!(!warnings[0].contains("Variant SKU"));
    assert!(warnings[1].starts_with("line 10: column Variant Barcode: value '3.65275E+11'"));
}

#[test]
fn shopify_newer_column_names() {
    let parsed = products("shopify_products_new_columns.csv");
    assert_eq!(parsed.summary.file.layout, Layout::ShopifyProducts);
    let medium = product(&parsed, "SOCK-M");
    assert_eq!(medium.line, 2);
    assert_eq!(medium.name, some("Wool Socks - M"));
    assert_eq!(medium.description, some("<p>Warm.</p>\n<p>Merino.</p>"));
    assert_eq!(medium.supplier, some("Knit Co"));
    assert_eq!(medium.category, some("Socks"));
    assert_eq!(medium.on_hand, Some(30));
    assert_eq!(medium.backorder_policy, Some(BackorderPolicy::NotAllowed));
    assert_eq!(
        (medium.price_cents, medium.unit_cost_cents),
        (Some(1200), Some(450))
    );
    let large = product(&parsed, "SOCK-L");
    assert_eq!(large.line, 4);
    assert_eq!(large.name, some("Wool Socks - L"));
    assert_eq!(large.on_hand, Some(0));
    assert_eq!(large.backorder_policy, Some(BackorderPolicy::Allowed));
}

#[test]
fn shopify_inventory_export() {
    let parsed =
        read_shopify_inventory(fixture("shopify_inventory.csv"), &ImportOptions::default())
            .expect("opens");
    assert_eq!(parsed.summary.file.layout, Layout::ShopifyInventory);
    assert_eq!(parsed.rows.len(), 7);
    assert!(
        parsed.summary.warnings.is_empty(),
        "{:?}",
        parsed.summary.warnings
    );
    let main = &parsed.rows[0];
    assert_eq!(
        (main.sku.as_str(), main.location.as_str()),
        ("MUG-BL-S", "Main Warehouse")
    );
    assert_eq!(main.option_values, ["Blue", "Small"]);
    assert_eq!(main.committed, Some(InventoryQuantity::Units(2)));
    assert_eq!(main.available, Some(InventoryQuantity::Units(10)));
    assert_eq!(main.on_hand_current, Some(InventoryQuantity::Units(12)));
    assert_eq!(main.on_hand_new, None);
    let oversold = &parsed.rows[2];
    assert_eq!(oversold.available, Some(InventoryQuantity::Units(-5)));
    assert_eq!(oversold.on_hand_current, Some(InventoryQuantity::Units(-2)));
    let popup = &parsed.rows[3];
    assert_eq!(popup.line, 5);
    assert_eq!(popup.on_hand_current, Some(InventoryQuantity::NotStocked));
    assert_eq!(parsed.rows[4].option_values, Vec::<String>::new());
    assert_eq!(parsed.rows[4].sku, "0017");
}

fn new_on_hand(bytes: Vec<u8>) -> Vec<(String, String, Option<InventoryQuantity>)> {
    read_shopify_inventory(Cursor::new(bytes), &ImportOptions::default())
        .expect("written file opens")
        .rows
        .into_iter()
        .map(|row| (row.sku, row.location, row.on_hand_new))
        .collect()
}

/// The desk's stock for the writer: a count by SKU, "not tracked" for `NOT-TRACKED`, unknown
/// for the rest.
fn desk(counts: &[(&str, i64)]) -> impl Fn(&str, &ShopIdentity) -> DeskStock + use<> {
    let counts: HashMap<String, i64> = counts
        .iter()
        .map(|(sku, units)| ((*sku).to_owned(), *units))
        .collect();
    move |sku: &str, _identity: &ShopIdentity| match counts.get(sku) {
        Some(units) => DeskStock::Count(*units),
        None if sku == "TT-01" => DeskStock::NotTracked,
        None => DeskStock::Unknown,
    }
}

#[test]
fn shopify_inventory_writer_writes_only_what_the_desk_knows_better() {
    let units = |n| Some(InventoryQuantity::Units(n));
    // MUG-BL-S: 12 in the file, 20 in the desk (raised); MUG-RD-S: -2 → 0; MUG-BL-L: 0 in
    // both (unchanged); 0017 at two locations; TT-01 not tracked; nothing else known.
    let lookup = desk(&[
        ("MUG-BL-S", 20),
        ("MUG-RD-S", 0),
        ("MUG-BL-L", 0),
        ("0017", 35),
    ]);

    let mut out = Vec::new();
    let report = write_shopify_inventory(fixture("shopify_inventory.csv"), &lookup, None, &mut out)
        .expect("written");
    assert_eq!(report.rows_written, 7);
    assert_eq!(report.column, "On hand (new)");
    assert_eq!(
        report
            .changes
            .iter()
            .map(|c| (c.line, c.variant.as_str(), c.current, c.new))
            .collect::<Vec<_>>(),
        [(2, "MUG-BL-S", Some(12), 20), (4, "MUG-RD-S", Some(-2), 0)]
    );
    assert_eq!(report.unchanged, 1, "MUG-BL-L is 0 in both");
    assert_eq!(report.not_tracked, 1, "TT-01");
    assert_eq!(report.in_several_locations, ["0017"]);
    assert_eq!(
        report.not_stocked,
        [(5, "MUG-BL-S".to_owned(), "Pop-up Store".to_owned())]
    );
    assert_eq!(report.lowered().count(), 0);
    assert_eq!(report.emptied().count(), 0);
    let original = std::fs::read_to_string(fixture_path("shopify_inventory.csv")).expect("fixture");
    let written = String::from_utf8(out.clone()).expect("UTF-8");
    assert_eq!(
        written.lines().next(),
        original.lines().next(),
        "same header"
    );
    assert_eq!(
        written.lines().nth(1),
        Some(
            "ceramic-mug,Ceramic Mug,Color,Blue,Size,Small,,,MUG-BL-S,,,Main Warehouse,A-01,0,0,2,10,12,20"
        )
    );
    let filled = new_on_hand(out);
    assert_eq!(filled[0].2, units(20));
    assert_eq!(filled[1].2, None, "the same count: left empty");
    assert_eq!(filled[2].2, units(0));
    assert_eq!(filled[3].2, None, "not stocked there");
    assert_eq!(
        (filled[4].2, filled[5].2),
        (None, None),
        "0017 is at two locations"
    );

    let mut out = Vec::new();
    let report = write_shopify_inventory(
        fixture("shopify_inventory.csv"),
        &lookup,
        Some("Main Warehouse"),
        &mut out,
    )
    .expect("written");
    assert_eq!(report.changes.len(), 3);
    assert!(report.in_several_locations.is_empty());
    assert_eq!(report.other_location, 2);
    let lowered: Vec<_> = report
        .lowered()
        .map(|c| (c.variant.as_str(), c.new))
        .collect();
    assert_eq!(lowered, [("0017", 35)], "40 → 35 is named");
    let filled = new_on_hand(out);
    assert_eq!(
        filled[4],
        ("0017".to_owned(), "Main Warehouse".to_owned(), units(35))
    );
    assert_eq!(filled[5].2, None, "other location left alone");

    let error = write_shopify_inventory(
        fixture("shopify_inventory.csv"),
        &lookup,
        Some("Warehouse 9"),
        Vec::new(),
    )
    .expect_err("no such location");
    assert_eq!(
        error.to_string(),
        "the file has no location 'Warehouse 9'; its locations are: Main Warehouse, Pop-up Store"
    );
}

// ---------------------------------------------------------------------------------------------
// WooCommerce

#[test]
fn woocommerce_product_export() {
    let parsed = products("woocommerce_products.csv");
    let summary = &parsed.summary;
    assert_eq!(summary.file.layout, Layout::WooCommerceProducts);
    // The plate has no SKU: it is product ID 108 of the shop.
    assert_eq!(
        skus(&parsed),
        [
            "WOO-MUG",
            "WOO-TEE-S",
            "WOO-TEE-M",
            "WOO-SALE",
            "",
            "WOO-WRAP"
        ]
    );

    let mug = product(&parsed, "WOO-MUG");
    assert_eq!(mug.line, 2);
    assert_eq!(mug.name, some("Stoneware Mug"));
    assert_eq!(mug.description, some("Hand-glazed.\nDishwasher safe."));
    assert_eq!(mug.category, some("Kitchen > Mugs"));
    assert_eq!(mug.on_hand, Some(25));
    assert_eq!(mug.backorder_policy, Some(BackorderPolicy::NotAllowed));
    assert!(!mug.notify_on_backorder);
    assert_eq!(mug.price_cents, Some(1250));
    assert_eq!(mug.shop_stock_status, Some(ShopStockStatus::InStock));

    let small = product(&parsed, "WOO-TEE-S");
    assert_eq!(small.name, some("Linen Tee - S"));
    assert_eq!(
        small.category,
        some("Clothing > Shirts"),
        "from the variable parent"
    );
    assert_eq!(small.on_hand, Some(8));
    assert_eq!(small.backorder_policy, Some(BackorderPolicy::Allowed));
    assert!(small.notify_on_backorder, "notify is remembered");
    assert_eq!(small.price_cents, Some(2900));
    assert_eq!(
        small.identity.as_ref().map(|i| i.key.as_str()),
        Some("id:102/S"),
        "parent and attribute value"
    );
    assert_eq!(
        small.sale_price_cents,
        Some(None),
        "the column is there, empty"
    );

    let medium = product(&parsed, "WOO-TEE-M");
    assert_eq!(
        medium.on_hand, None,
        "stock 'parent' is counted on the parent"
    );
    assert_eq!(medium.track_stock, Some(true));
    assert_eq!(medium.backorder_policy, Some(BackorderPolicy::Allowed));
    assert!(!medium.notify_on_backorder);
    assert_eq!(medium.shop_stock_status, Some(ShopStockStatus::OnBackorder));

    let sale = product(&parsed, "WOO-SALE");
    assert_eq!(
        sale.name,
        some("-10% Sale Mug"),
        "the exporter's ' is removed"
    );
    assert_eq!(sale.on_hand, Some(-3));
    assert_eq!(
        sale.description,
        some("First line\nSecond line, a literal \\n stays")
    );
    assert_eq!(sale.price_cents, Some(999));

    let wrap = product(&parsed, "WOO-WRAP");
    assert_eq!(wrap.line, 10);
    assert_eq!(wrap.category, some("Extras, misc > Wrapping"));
    assert_eq!(wrap.on_hand, None);
    assert_eq!(wrap.track_stock, Some(false), "empty Stock: not managed");

    let plate = product(&parsed, "");
    assert_eq!(plate.line, 9);
    assert_eq!(plate.name, some("No SKU Plate"));
    assert_eq!(
        plate.identity.as_ref().map(|i| i.key.as_str()),
        Some("id:108")
    );
    assert_eq!(plate.on_hand, Some(4));

    assert_eq!(
        errors(&summary.errors),
        ["line 7, column Backorders allowed?: value 'maybe' — must be 0, 1 or notify"]
    );
    // The variable parent and the grouped product.
    assert_eq!(summary.rows_skipped, 2);
    assert_eq!(
        summary.skip_reasons,
        [
            (
                "variable products (their variations are the products)".to_owned(),
                1
            ),
            (
                "grouped and external products (they hold no stock)".to_owned(),
                1
            )
        ]
    );
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings[0].starts_with("line 1: ignored column(s): Published, Is featured?"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("line 5: the stock of 'Linen Tee - M' is counted on its parent"),
        "{warnings:?}"
    );
    assert_eq!(
        warnings[2],
        "line 8: grouped product 'Mug Set' holds no stock and is skipped"
    );
    assert_eq!(warnings.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Detection and options

#[test]
fn layouts_are_detected_from_headers() {
    let cases = [
        ("own_products_utf8.csv", Layout::OwnProducts),
        ("own_products_any_order.csv", Layout::OwnProducts),
        ("own_orders.csv", Layout::OwnOrders),
        ("own_purchase_orders.csv", Layout::OwnPurchaseOrders),
        ("shopify_products.csv", Layout::ShopifyProducts),
        ("shopify_products_new_columns.csv", Layout::ShopifyProducts),
        ("shopify_inventory.csv", Layout::ShopifyInventory),
        ("woocommerce_products.csv", Layout::WooCommerceProducts),
    ];
    for (name, layout) in cases {
        let file = open(fixture(name), &ImportOptions::default()).expect("opens");
        assert_eq!(file.layout(), layout, "{name}");
        assert_eq!(file.info().layout.format(), layout.format());
    }
    assert_eq!(Layout::ShopifyInventory.entity(), Entity::Inventory);
    assert_eq!(Layout::WooCommerceProducts.format(), Format::WooCommerce);
    assert_eq!(Layout::OwnOrders.to_string(), "Backorder Desk orders");
}

#[test]
fn wrong_entity_is_refused() {
    let refused = read_products(fixture("own_orders.csv"), &ImportOptions::default());
    assert!(
        matches!(
            refused,
            Err(ImportError::WrongEntity {
                expected: Entity::Products,
                found: Layout::OwnOrders
            })
        ),
        "{refused:?}"
    );
    assert_eq!(
        refused.map(|_| ()).expect_err("refused").to_string(),
        "this looks like a Backorder Desk orders file, not products; import it with `import orders`"
    );
    let file = open(fixture("shopify_products.csv"), &ImportOptions::default()).expect("opens");
    assert!(matches!(
        file.orders(),
        Err(ImportError::WrongEntity { .. })
    ));
}

#[test]
fn a_forced_format_reads_the_file_as_that_format() {
    let options = ImportOptions {
        format: Some(Format::Shopify),
        ..ImportOptions::default()
    };
    let refused = read_products(fixture("own_products_utf8.csv"), &options).map(|_| ());
    assert_eq!(
        refused.expect_err("not Shopify").to_string(),
        "line 1: required column(s) missing: Handle, Title"
    );
}

// ---------------------------------------------------------------------------------------------
// Streaming

/// Order lines made up on the fly: the file never exists in memory as a whole.
struct GeneratedOrders {
    lines: u64,
    next: u64,
    pending: Vec<u8>,
    offset: usize,
}

impl GeneratedOrders {
    fn new(lines: u64) -> Self {
        let mut generated = Self {
            lines,
            next: 0,
            pending: Vec::new(),
            offset: 0,
        };
        generated.rewind();
        generated
    }

    fn rewind(&mut self) {
        self.next = 0;
        self.pending = format!("{}\n", ORDER_HEADER.join(",")).into_bytes();
        self.offset = 0;
    }
}

impl Read for GeneratedOrders {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.offset == self.pending.len() {
            if self.next == self.lines {
                return Ok(0);
            }
            self.next += 1;
            let n = self.next;
            self.pending = format!(
                "{},2024-{:02}-{:02} 10:{:02}:00,Customer {n},c{n}@example.com,SKU-{:04},{},{}.{:02},open,,0,normal\n",
                100_000 + n / 3,
                1 + n % 12,
                1 + n % 28,
                n % 60,
                n % 5000,
                1 + n % 7,
                n % 90,
                n % 100
            )
            .into_bytes();
            self.offset = 0;
        }
        let count = buf.len().min(self.pending.len() - self.offset);
        buf[..count].copy_from_slice(&self.pending[self.offset..self.offset + count]);
        self.offset += count;
        Ok(count)
    }
}

impl Seek for GeneratedOrders {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        match position {
            SeekFrom::Start(0) => {
                self.rewind();
                Ok(0)
            }
            SeekFrom::Current(0) if self.next == 0 && self.offset == 0 => Ok(0),
            _ => Err(io::Error::other("only rewinding is supported")),
        }
    }
}

#[test]
fn large_files_stream_row_by_row() {
    const LINES: u64 = 200_000;
    let file = open(GeneratedOrders::new(LINES), &ImportOptions::default()).expect("opens");
    assert_eq!(file.info().date_format, DateFormat::Unambiguous);
    let mut rows = file.orders().expect("orders");
    let mut count = 0_u64;
    let mut units = 0_i64;
    let mut last_line = 0;
    for item in rows.by_ref() {
        let row = item.expect("readable").expect("valid");
        count += 1;
        units += row.quantity;
        last_line = row.line;
    }
    assert_eq!(count, LINES);
    assert_eq!(last_line, LINES + 1);
    assert_eq!(units, (1..=LINES).map(|n| 1 + (n % 7) as i64).sum::<i64>());
    assert_eq!(rows.summary().rows_ok, LINES);
}

#[test]
fn rows_move_to_a_worker_thread() {
    let rows = open(fixture("own_orders.csv"), &ImportOptions::default())
        .expect("opens")
        .orders()
        .expect("orders");
    let worker = std::thread::spawn(move || {
        let mut rows = rows;
        let quantities: Vec<i64> = rows
            .by_ref()
            .filter_map(|item| item.ok()?.ok())
            .map(|line| line.quantity)
            .collect();
        (quantities, rows.into_summary().rows_ok)
    });
    assert_eq!(worker.join().expect("worker"), (vec![2, 1, 5, 1], 4));
}

/// A header, then one field that never ends (a quote that is never closed, in a file of any
/// size), counting how many bytes the reader was asked for.
struct EndlessField {
    head: Vec<u8>,
    offset: usize,
    served: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl EndlessField {
    fn new(served: &std::sync::Arc<std::sync::atomic::AtomicU64>) -> Self {
        Self {
            head: b"sku,name,price\nA,\"a description that never ends ".to_vec(),
            offset: 0,
            served: std::sync::Arc::clone(served),
        }
    }
}

impl Read for EndlessField {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = if self.offset < self.head.len() {
            let count = buf.len().min(self.head.len() - self.offset);
            buf[..count].copy_from_slice(&self.head[self.offset..self.offset + count]);
            self.offset += count;
            count
        } else {
            buf.fill(b'x');
            buf.len()
        };
        self.served
            .fetch_add(count as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(count)
    }
}

impl Seek for EndlessField {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        match position {
            SeekFrom::Start(0) => {
                self.offset = 0;
                Ok(0)
            }
            SeekFrom::Current(0) if self.offset == 0 => Ok(0),
            _ => Err(io::Error::other("only rewinding is supported")),
        }
    }
}

#[test]
fn a_field_that_never_ends_is_refused_in_bounded_memory() {
    use std::sync::atomic::Ordering;
    // The default limit: a 50 MB (or endless) field stops at 16 MB with a clear message.
    let served = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut rows = open(EndlessField::new(&served), &ImportOptions::default())
        .expect("the header reads")
        .products()
        .expect("products");
    let error = rows
        .next()
        .expect("an item")
        .expect_err("the row is refused");
    assert_eq!(
        error.to_string(),
        "line 2: a row is longer than 16 MB (is a closing quote missing?); the file cannot be \
         read past it"
    );
    assert!(rows.next().is_none(), "reading ends there");
    // The sniffing sample (1 MB), the pass that decides the encoding (it stops once a line is
    // longer than the row budget), then the reading up to the row budget plus the parser's
    // read-ahead, no more. Each pass streams: memory stays at one row.
    let read = served.load(Ordering::Relaxed);
    assert!(read < 36 << 20, "read {read} bytes");

    // A smaller limit, as a caller may set it.
    let served = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let options = ImportOptions {
        max_row_bytes: 64 * 1024,
        ..ImportOptions::default()
    };
    let parsed = read_products(EndlessField::new(&served), &options);
    assert!(
        matches!(
            parsed,
            Err(ImportError::RowTooLong {
                line: 2,
                limit: 65_536
            })
        ),
        "{parsed:?}"
    );
    assert!(served.load(Ordering::Relaxed) < 3 << 20);
}

#[test]
fn ten_thousand_columns_are_read_and_more_than_twenty_thousand_refused() {
    let mut header: Vec<String> = vec!["sku".into(), "name".into()];
    header.extend((3..=10_000).map(|n| format!("extra{n}")));
    let mut text = header.join(",");
    text.push('\n');
    for row in 0..20 {
        let mut cells = vec![format!("S-{row}"), format!("Product {row}")];
        cells.extend((3..=10_000).map(|n| n.to_string()));
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let started = std::time::Instant::now();
    let parsed =
        read_products(Cursor::new(text.into_bytes()), &ImportOptions::default()).expect("reads");
    assert_eq!(parsed.rows.len(), 20);
    assert_eq!(parsed.rows[19].name.as_deref(), Some("Product 19"));
    let warning = parsed.summary.warnings[0].to_string();
    assert!(
        warning.starts_with("line 1: ignored column(s): extra3, extra4,")
            && warning.ends_with("extra62 and 9938 more"),
        "{warning}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    let wide = format!("sku,name\nA,B{}\n", ",x".repeat(20_000));
    let error = read_products(Cursor::new(wide.into_bytes()), &ImportOptions::default())
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "line 2: the row has 20002 columns; at most 20000 are read"
    );
}

/// Every file in `tests/fuzz_corpus/csv` (cases found by hand and by the random tests below):
/// read as every layout, with every date order, and copied as a Shopify inventory file; any
/// error is a value, never a panic.
#[test]
fn csv_corpus_reads_or_errs() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus/csv");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        read_all_ways(&bytes);
        seen += 1;
    }
    assert!(seen >= 10, "{seen} corpus files");
}

fn read_all_ways(bytes: &[u8]) {
    let orders = [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)];
    for date_order in orders {
        for format in [
            None,
            Some(Format::Own),
            Some(Format::Shopify),
            Some(Format::ShopifyInventory),
            Some(Format::WooCommerce),
        ] {
            let options = ImportOptions {
                format,
                date_order,
                ..ImportOptions::default()
            };
            read_everything(bytes.to_vec(), &options);
            let _ = read_products(Cursor::new(bytes.to_vec()), &options);
            let _ = read_orders(Cursor::new(bytes.to_vec()), &options);
            let _ = read_purchase_orders(Cursor::new(bytes.to_vec()), &options);
            let _ = read_shopify_inventory(Cursor::new(bytes.to_vec()), &options);
        }
    }
    let stock = HashMap::from([("A".to_owned(), 3_i64), ("S".to_owned(), -2)]);
    let lookup = |sku: &str, _: &ShopIdentity| match stock.get(sku) {
        Some(units) => DeskStock::Count(*units),
        None => DeskStock::Unknown,
    };
    let _ = write_shopify_inventory(Cursor::new(bytes.to_vec()), &lookup, None, Vec::new());
}

/// Times a million-line order import from a real file, next to a bare CSV pass over it:
/// `CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo test --test csv_import -- --ignored million --nocapture`
/// (set `BD_ORDERS_FILE` to time a file of your own).
#[test]
#[ignore = "timing run, not a check"]
fn million_order_lines_timing() {
    let mut file = if let Ok(path) = std::env::var("BD_ORDERS_FILE") {
        File::open(path).expect("given file")
    } else {
        let mut file = tempfile::tempfile().expect("temp file");
        io::copy(&mut GeneratedOrders::new(1_000_000), &mut file).expect("written");
        file
    };
    let size = file.seek(SeekFrom::End(0)).expect("end");

    file.rewind().expect("rewound");
    let started = std::time::Instant::now();
    let mut bare = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(io::BufReader::new(file.try_clone().expect("clone")));
    let mut record = csv::ByteRecord::new();
    let mut records = 0_u64;
    while bare.read_byte_record(&mut record).expect("bare read") {
        records += 1;
    }
    eprintln!(
        "bare CSV pass: {records} records in {:?}",
        started.elapsed()
    );

    file.rewind().expect("rewound");
    let started = std::time::Instant::now();
    let mut rows = open(
        io::BufReader::with_capacity(1 << 16, file),
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
    eprintln!("import parse: {valid} order lines ({size} bytes) in {elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Random input never panics

fn read_everything(bytes: Vec<u8>, options: &ImportOptions) {
    let Ok(file) = open(Cursor::new(bytes), options) else {
        return;
    };
    match file.layout().entity() {
        Entity::Products => drain(file.products()),
        Entity::Orders => drain(file.orders()),
        Entity::PurchaseOrders => drain(file.purchase_orders()),
        Entity::Inventory => drain(file.shopify_inventory()),
    }
}

fn drain<T>(rows: Result<backorder_desk::io::csv_import::Rows<'_, T>, ImportError>) {
    if let Ok(rows) = rows {
        for item in rows {
            if item.is_err() {
                break;
            }
        }
    }
}

const HEADERS: [&str; 8] = [
    "sku,name,category,location,unit_cost,price,on_hand,supplier,lead_time_days,backorder_policy,max_wait_days",
    "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,shipped_at,backordered_qty,priority",
    "po_number,supplier,sku,quantity,unit_cost,ordered_at,expected_at,received_quantity,received_at",
    "Handle,Title,Body (HTML),Vendor,Type,Option1 Value,Option2 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Cost per item",
    "Handle,Title,SKU,Location,Available (not editable),On hand (current),On hand (new)",
    "ID,Type,SKU,Name,Description,In stock?,Stock,Backorders allowed?,Regular price,Categories,Parent",
    "sku;name;price;on_hand",
    "sku\tname\tprice",
];

/// Cases per random test: 400, or `BD_FUZZ_CASES` for a longer soak
/// (`BD_FUZZ_CASES=100000 cargo test --release --test csv_import never_panic`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("BD_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases(400)))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_everything(bytes, &ImportOptions::default());
    }

    /// A known header, then random bytes, read every way (layouts, date orders, the Shopify
    /// inventory writer) with a small row limit so long rows are exercised too.
    #[test]
    fn header_then_random_bytes_read_every_way(
        header in 0..HEADERS.len(),
        body in prop::collection::vec(any::<u8>(), 0..700),
    ) {
        let mut bytes = format!("{}\n", HEADERS[header]).into_bytes();
        bytes.extend_from_slice(&body);
        read_all_ways(&bytes);
        let options = ImportOptions { max_row_bytes: 64, ..ImportOptions::default() };
        read_everything(bytes, &options);
    }

    #[test]
    fn csv_like_text_never_panics(
        header in 0..HEADERS.len(),
        body in "[a-zA-Z0-9,;\t\"\n\r/:.'€$£ +\\-=@\\\\]{0,600}",
        day_first in any::<bool>(),
    ) {
        let text = format!("{}\n{body}", HEADERS[header]);
        read_everything(text.clone().into_bytes(), &ImportOptions::default());
        let options = ImportOptions {
            date_order: Some(if day_first { DateOrder::DayFirst } else { DateOrder::MonthFirst }),
            ..ImportOptions::default()
        };
        read_everything(text.into_bytes(), &options);
    }

    #[test]
    fn field_values_never_panic(
        header in 0..HEADERS.len(),
        cells in prop::collection::vec("[0-9a-z,./:+\\- '€$£E\"]{0,24}", 1..14),
    ) {
        let delimiter = if header == 6 { ";" } else if header == 7 { "\t" } else { "," };
        let row: Vec<String> = cells
            .iter()
            .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
            .collect();
        let text = format!("{}\n{}\n", HEADERS[header], row.join(delimiter));
        read_everything(text.into_bytes(), &ImportOptions::default());
    }
}

// ---------------------------------------------------------------------------------------------
// Real shops' exports (issue 17)

fn keys(parsed: &Parsed<ImportedProduct>) -> Vec<String> {
    parsed
        .rows
        .iter()
        .map(|row| {
            row.identity
                .as_ref()
                .map_or_else(String::new, |identity| identity.key.clone())
        })
        .collect()
}

fn warning_texts(parsed: &Parsed<ImportedProduct>) -> Vec<String> {
    parsed
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn shopify_current_export_without_quantities_keeps_every_variant() {
    let parsed = products("shopify_products_current.csv");
    let summary = &parsed.summary;
    assert_eq!(summary.file.layout, Layout::ShopifyProducts);
    // No quantity column: stock is not "0", it is not in the file.
    assert_eq!(
        summary.file.facts,
        backorder_desk::io::csv_import::ProductColumns {
            quantity: false,
            policy: true,
            price: true
        }
    );
    assert_eq!(
        keys(&parsed),
        [
            "ocean-blue-shirt/XS",
            "ocean-blue-shirt/S",
            "ocean-blue-shirt/M",
            "classic-leather-jacket/Black/S",
            "classic-leather-jacket/Black/M",
            "classic-leather-jacket/Brown/S",
            "barcode-sticker",
            "digital-guide",
        ]
    );
    // Variants without SKU are kept (empty SKU); Shopify's apostrophe is taken off.
    assert_eq!(
        skus(&parsed),
        [
            "",
            "",
            "",
            "JACKET-BLK",
            "JACKET-BLK",
            "JACKET-BRN",
            "93717665410945092286",
            "GUIDE-PDF"
        ]
    );
    let shared: Vec<bool> = parsed.rows.iter().map(|row| row.sku_shared).collect();
    assert_eq!(
        shared,
        [false, false, false, true, true, false, false, false]
    );
    assert!(parsed.rows.iter().all(|row| row.on_hand.is_none()));
    // Names as Shopify writes them on orders.
    assert_eq!(parsed.rows[0].name, some("Ocean Blue Shirt - XS"));
    assert_eq!(
        parsed.rows[4].name,
        some("Classic Leather Jacket - Black / M")
    );
    assert_eq!(parsed.rows[6].name, some("Barcode Sticker"));
    let tracked: Vec<Option<bool>> = parsed.rows.iter().map(|row| row.track_stock).collect();
    assert_eq!(
        tracked,
        [
            Some(true),
            Some(true),
            Some(true),
            Some(true),
            Some(true),
            Some(true),
            Some(true),
            Some(false)
        ]
    );
    assert_eq!(
        parsed.rows[2].backorder_policy,
        Some(BackorderPolicy::Allowed)
    );
    assert_eq!(
        parsed.rows[0].backorder_policy,
        Some(BackorderPolicy::NotAllowed)
    );
    assert_eq!(
        (summary.rows_read, summary.rows_ok, summary.rows_skipped),
        (9, 8, 1)
    );
    assert_eq!(summary.skip_reasons, [("image rows".to_owned(), 1)]);
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let warnings = warning_texts(&parsed);
    assert_eq!(
        warnings[1],
        "line 6: SKU 'JACKET-BLK' is shared by lines 6, 7: each is imported as its own product, \
         keyed by its handle and option values; give each its own SKU so orders can be matched \
         by SKU"
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn shopify_inventory_in_its_three_layouts() {
    use backorder_desk::io::csv_import::InventoryShape;
    let units = |n| Some(InventoryQuantity::Units(n));

    let current = read_shopify_inventory(
        fixture("shopify_inventory_current.csv"),
        &ImportOptions::default(),
    )
    .expect("opens");
    assert_eq!(
        current.summary.file.inventory,
        Some(InventoryShape::Current)
    );
    assert_eq!(current.rows.len(), 10, "{:?}", current.summary.errors);
    assert_eq!(current.rows[0].identity.key, "ocean-blue-shirt/XS");
    assert_eq!(current.rows[0].sku, "");
    assert_eq!(current.rows[0].on_hand_current, units(7));
    assert_eq!(
        current.rows[3].on_hand_current,
        Some(InventoryQuantity::NotStocked)
    );
    assert_eq!(current.rows[8].sku, "93717665410945092286");
    // Two variants sharing a SKU at one location are two variants, not a duplicate.
    assert_eq!(
        (current.rows[4].sku.as_str(), current.rows[5].sku.as_str()),
        ("JACKET-BLK", "JACKET-BLK")
    );

    let december = read_shopify_inventory(
        fixture("shopify_inventory_2023.csv"),
        &ImportOptions::default(),
    )
    .expect("opens");
    assert_eq!(
        december.summary.file.inventory,
        Some(InventoryShape::OnHand)
    );
    assert_eq!(december.summary.file.layout, Layout::ShopifyInventory);
    assert_eq!(december.rows.len(), 5);
    assert_eq!(december.rows[0].on_hand_current, units(6));
    assert_eq!(december.rows[0].available, units(5));
    assert_eq!(december.rows[0].location, "Main Warehouse");
    assert!(december.summary.warnings.is_empty());

    let wide = read_shopify_inventory(
        fixture("shopify_inventory_wide.csv"),
        &ImportOptions::default(),
    )
    .expect("opens");
    assert_eq!(
        wide.summary.file.inventory,
        Some(InventoryShape::Wide {
            locations: vec![
                "Main Warehouse, Leeds".to_owned(),
                "Pop-up Store".to_owned()
            ]
        })
    );
    assert!(
        wide.summary.warnings.is_empty(),
        "location columns are not 'ignored': {:?}",
        wide.summary.warnings
    );
    assert_eq!(
        wide.rows[0].by_location,
        [
            ("Main Warehouse, Leeds".to_owned(), units(4)),
            (
                "Pop-up Store".to_owned(),
                Some(InventoryQuantity::NotStocked)
            )
        ]
    );
    assert_eq!(wide.rows[2].sku, "JACKET-BRN");
}

#[test]
fn woocommerce_sample_products_are_not_tracked_and_keep_their_sale_price() {
    let parsed = products("woocommerce_sample_products.csv");
    assert_eq!(
        skus(&parsed),
        [
            "woo-vneck-tee-red",
            "woo-vneck-tee-green",
            "woo-vneck-tee-blue",
            "woo-beanie",
            "woo-belt",
            "woo-album"
        ]
    );
    // Manage stock is off on every row of WooCommerce's sample: Stock is empty.
    assert!(
        parsed
            .rows
            .iter()
            .all(|row| row.track_stock == Some(false) && row.on_hand.is_none())
    );
    let beanie = product(&parsed, "woo-beanie");
    assert_eq!(
        (beanie.price_cents, beanie.sale_price_cents),
        (Some(2000), Some(Some(1800)))
    );
    assert_eq!(product(&parsed, "woo-album").sale_price_cents, Some(None));
    let red = product(&parsed, "woo-vneck-tee-red");
    assert_eq!(
        red.identity.as_ref().map(|i| i.key.as_str()),
        Some("woo-vneck-tee/Red")
    );
    assert_eq!(red.category, some("Clothing > Tshirts"), "from the parent");
    assert_eq!(
        parsed.summary.skip_reasons,
        [(
            "variable products (their variations are the products)".to_owned(),
            1
        )]
    );
}

#[test]
fn woocommerce_variations_without_skus_are_known_by_parent_and_attributes() {
    let parsed = products("woocommerce_no_sku_variations.csv");
    assert_eq!(skus(&parsed), ["", "", "", ""]);
    assert_eq!(
        keys(&parsed),
        ["id:200/S", "id:200/M", "id:200/L", "id:210"]
    );
    let stock: Vec<Option<i64>> = parsed.rows.iter().map(|row| row.on_hand).collect();
    assert_eq!(stock, [Some(4), Some(0), Some(2), Some(7)]);
    assert_eq!(parsed.rows[0].name, some("Wool Hat - S"));
    assert!(parsed.summary.errors.is_empty());
}

#[test]
fn woocommerce_exports_in_the_admins_language() {
    for name in ["woocommerce_products_de.csv", "woocommerce_products_ru.csv"] {
        let parsed = products(name);
        assert_eq!(
            parsed.summary.file.layout,
            Layout::WooCommerceProducts,
            "{name}"
        );
        assert_eq!(skus(&parsed), ["KR-01", "HEMD-S", ""], "{name}");
        let jug = &parsed.rows[0];
        assert_eq!(jug.on_hand, Some(6), "{name}");
        assert_eq!(
            (jug.price_cents, jug.sale_price_cents),
            (Some(1000), Some(Some(850))),
            "{name}: semicolons with decimal commas"
        );
        assert_eq!(jug.backorder_policy, Some(BackorderPolicy::NotAllowed));
        assert_eq!(
            parsed.rows[2].identity.as_ref().map(|i| i.key.as_str()),
            Some("HEMD/M"),
            "{name}"
        );
        assert_eq!(parsed.rows[2].track_stock, Some(false), "{name}");
        assert_eq!(
            parsed.rows[1].backorder_policy,
            Some(BackorderPolicy::Allowed),
            "{name}: from the parent"
        );
        let warnings = warning_texts(&parsed);
        assert!(
            warnings.len() == 1 && warnings[0].contains("ignored column(s)"),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn every_language_of_the_exporter_reads_the_same() {
    use backorder_desk::io::csv_import::TRANSLATED_HEADERS;
    for (language, names) in TRANSLATED_HEADERS {
        let attribute = names[12].replace("%d", "1");
        let header = names[..12]
            .iter()
            .map(|name| format!("\"{name}\""))
            .chain([format!("\"{attribute}\"")])
            .collect::<Vec<_>>()
            .join(",");
        let text = format!(
            "{header}\n\
             1,simple,MUG-1,Mug,Blue mug,1,5,1,12.50,9.99,Kitchen,,\n\
             2,variable,TEE,Tee,,1,,0,,,Clothes,,\n\
             3,variation,,Tee - M,,1,2,,20.00,,,TEE,M\n"
        );
        let parsed = read_products(Cursor::new(text.into_bytes()), &ImportOptions::default())
            .unwrap_or_else(|error| panic!("{language}: {error}"));
        assert_eq!(
            parsed.summary.file.layout,
            Layout::WooCommerceProducts,
            "{language}"
        );
        assert!(
            parsed.summary.warnings.is_empty(),
            "{language}: every column is known: {:?}",
            parsed.summary.warnings
        );
        let mug = &parsed.rows[0];
        assert_eq!(
            (
                mug.sku.as_str(),
                mug.on_hand,
                mug.backorder_policy,
                mug.price_cents,
                mug.sale_price_cents
            ),
            (
                "MUG-1",
                Some(5),
                Some(BackorderPolicy::Allowed),
                Some(1250),
                Some(Some(999))
            ),
            "{language}"
        );
        assert_eq!(mug.category, some("Kitchen"), "{language}");
        assert_eq!(
            parsed.rows[1].identity.as_ref().map(|i| i.key.as_str()),
            Some("TEE/M"),
            "{language}"
        );
    }
}

#[test]
fn an_export_in_another_language_says_how_to_get_one_that_reads() {
    let error = read_products(
        fixture("woocommerce_products_sv.csv"),
        &ImportOptions::default(),
    )
    .expect_err("Swedish headers are not known");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "line 1: this looks like a WooCommerce product export with its column names in a \
             language this app does not read (found: ID, Typ, Artikelnummer, Namn"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "switch the WordPress admin's language to English (Users › Profile › Language) for \
             the export, export again, and import that file"
        ),
        "{text}"
    );
}

#[test]
fn text_a_plugin_printed_before_the_byte_order_mark_is_skipped() {
    let parsed = products("woocommerce_products_junk_prefix.csv");
    assert_eq!(parsed.summary.file.layout, Layout::WooCommerceProducts);
    assert_eq!(parsed.summary.file.encoding, TextEncoding::Utf8Bom);
    // Two line breaks of printed text: the header is line 3 of the file.
    assert_eq!(parsed.summary.file.header_line, 3);
    assert_eq!(skus(&parsed), ["woo-beanie", "woo-belt"]);
    assert_eq!(parsed.rows[0].line, 4);
    let warnings = warning_texts(&parsed);
    assert!(
        warnings[0].starts_with(
            "text before the file's byte-order mark was skipped (a web shop plugin printed it \
             into the export): '<br />"
        ),
        "{warnings:?}"
    );
}

#[test]
fn own_products_track_stock_column() {
    let parsed = products("own_products_track_stock.csv");
    let tracked: Vec<(&str, Option<bool>)> = parsed
        .rows
        .iter()
        .map(|row| (row.sku.as_str(), row.track_stock))
        .collect();
    assert_eq!(
        tracked,
        [
            ("GUIDE-1", Some(false)),
            ("MUG-01", Some(true)),
            ("TP-1", None)
        ]
    );
    let bad = read_products(
        Cursor::new(b"sku,name,track_stock\nA,Apple,maybe\n".to_vec()),
        &ImportOptions::default(),
    )
    .expect("opens");
    assert_eq!(
        errors(&bad.summary.errors),
        ["line 2, column track_stock: value 'maybe' — must be yes or no"]
    );
}

// ---------------------------------------------------------------------------------------------
// Every real export under tests/fixtures/real (see its README for each file's source). The
// expected numbers were counted from the files themselves (rows, variants, trackers, cells).

mod real {
    use std::path::{Path, PathBuf};

    use backorder_desk::app::Clock;
    use backorder_desk::app::import::{ImportKind, ImportReport, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::io::csv_import::{DeskStock, write_shopify_inventory};
    use backorder_desk::store::Store;
    use chrono::NaiveDate;

    fn path(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/real")
            .join(name)
    }

    fn clock() -> Clock {
        Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 15).expect("date"))
    }

    fn shop(dir: &Path) -> Store {
        Store::open(&dir.join("shop.sqlite")).expect("shop")
    }

    fn import(store: &mut Store, kind: ImportKind, name: &str) -> ImportReport {
        import_with(store, &ImportRequest::new(kind, path(name)))
    }

    fn import_with(store: &mut Store, request: &ImportRequest) -> ImportReport {
        run_import(store, request, &clock(), &Progress::default())
            .unwrap_or_else(|error| panic!("{}: {error}", request.path.display()))
    }

    /// Nothing is dropped without a word: every row read is a product, a counted skip or an
    /// error, and every skip has its reason.
    fn accounted(report: &ImportReport) {
        let summary = &report.summary;
        assert_eq!(
            summary.rows_read,
            report.new
                + report.updated
                + report.unchanged
                + summary.rows_skipped
                + summary.rows_with_errors,
            "{summary:?}"
        );
        assert_eq!(
            summary.skip_reasons.iter().map(|(_, n)| n).sum::<u64>(),
            summary.rows_skipped
        );
    }

    /// (products, tracked, not tracked, on hand of the tracked ones, keys derived from the
    /// shop identity).
    fn catalog(store: &Store) -> (usize, usize, usize, i64, usize) {
        let rows = store.catalog().expect("catalog");
        let tracked = rows.iter().filter(|row| row.track_stock).count();
        (
            rows.len(),
            tracked,
            rows.len() - tracked,
            rows.iter()
                .filter(|row| row.track_stock)
                .map(|row| row.figures.on_hand)
                .sum(),
            rows.iter().filter(|row| row.sku_derived).count(),
        )
    }

    fn notes_contain(report: &ImportReport, text: &str) -> bool {
        report.notes.iter().any(|note| note.contains(text))
    }

    fn warnings_contain(report: &ImportReport, text: &str) -> usize {
        report
            .summary
            .warnings
            .iter()
            .filter(|warning| warning.to_string().contains(text))
            .count()
    }

    #[test]
    fn shopify_partner_sample_catalogs() {
        // apparel: 22 variant rows, no SKU anywhere, Variant Inventory Tracker empty on every
        // row (quantities 1 are not counted by the shop).
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "shopify/partners_apparel.csv",
        );
        accounted(&report);
        assert_eq!((report.new, report.summary.rows_skipped), (22, 0));
        assert_eq!(catalog(&store), (22, 0, 22, 0, 22));
        let varsity = store
            .catalog_row_by_sku("classic-varsity-top/Medium")
            .expect("query")
            .expect("a variant without SKU, keyed by handle and option");
        assert_eq!(varsity.name, "Classic Varsity Top - Medium");
        let shirt = store
            .catalog_row_by_sku("ocean-blue-shirt")
            .expect("query")
            .expect("the default variant");
        assert_eq!(shirt.name, "Ocean Blue Shirt");
        // The same file again finds every variant.
        let again = import(
            &mut store,
            ImportKind::Products,
            "shopify/partners_apparel.csv",
        );
        assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 22));

        // jewelery: 41 rows of which 18 are image rows; 23 variants, none tracked.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "shopify/partners_jewelery.csv",
        );
        accounted(&report);
        assert_eq!(report.new, 23);
        assert_eq!(report.summary.skip_reasons, [("image rows".to_owned(), 18)]);
        assert_eq!(catalog(&store), (23, 0, 23, 0, 23));

        // home and garden: 21 variants, one tracked with 8 on hand, 20 not tracked.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "shopify/partners_home_and_garden.csv",
        );
        accounted(&report);
        assert_eq!(report.new, 21);
        assert_eq!(catalog(&store), (21, 1, 20, 8, 21));
        assert!(notes_contain(&report, "20 product(s) are not tracked"));
        assert!(store.ledger_mismatches().expect("ledger").is_empty());
    }

    #[test]
    fn shopify_2025_exports_with_and_without_quantities() {
        // No Variant Inventory Qty: 39 rows, 31 variants (30 tracked, a bundle not), 8 image
        // rows; 3 SKUs of which one holds a line break (that variant is keyed by its handle
        // and options); quantities are not in the file.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "shopify/products_export_2025_no_inventory_qty.csv",
        );
        accounted(&report);
        assert_eq!(
            report.summary.rows_with_errors, 0,
            "{:?}",
            report.summary.errors
        );
        assert_eq!((report.new, report.summary.rows_skipped), (31, 8));
        assert!(!report.summary.file.facts.quantity);
        assert!(notes_contain(
            &report,
            "this file has no stock quantities: stock was left as it was (30 new product(s) start \
             at 0 on hand)"
        ));
        assert_eq!(
            warnings_contain(
                &report,
                "must not contain line breaks or tabs, so it cannot be a SKU here"
            ),
            1
        );
        assert_eq!(catalog(&store), (31, 30, 1, 0, 29));

        // Its inventory export (the old layout with three location columns).
        let all = import(
            &mut store,
            ImportKind::Inventory,
            "shopify/inventory_export_wide_three_locations.csv",
        );
        assert!(all.needs_location());
        assert_eq!(
            all.locations,
            ["Shop location", "My Custom Location", "Snow City Warehouse"]
        );
        let report = import_with(
            &mut store,
            &ImportRequest {
                location: Some("Shop location".into()),
                ..ImportRequest::new(
                    ImportKind::Inventory,
                    path("shopify/inventory_export_wide_three_locations.csv"),
                )
            },
        );
        accounted(&report);
        // 127 rows; the 30 tracked variants of the products file are found (by handle and
        // options: most have no SKU, one SKU has a line break); 8 of them have stock (25,100
        // units together), 22 are 0 as they already were; 97 variants are not in the (cut)
        // products file.
        assert_eq!((report.updated, report.unchanged), (8, 22));
        assert_eq!(
            report.summary.skip_reasons,
            [("rows of variants the shop does not have".to_owned(), 97)]
        );
        assert_eq!(catalog(&store), (31, 30, 1, 25_100, 29));
        // Written back for upload from the same file: no row changes.
        let unchanged = written_back(
            &store,
            "shopify/inventory_export_wide_three_locations.csv",
            Some("Shop location"),
        );
        assert_eq!(unchanged.0, 0, "no row changes");

        // With Variant Inventory Qty: 52 rows, 11 variants (all tracked, 73 units, one at -2
        // with backorders allowed), 41 image rows; two SKUs are each used by two products.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "shopify/products_export_2025_with_inventory_qty_shared_sku.csv",
        );
        accounted(&report);
        assert_eq!((report.new, report.summary.rows_skipped), (11, 41));
        assert_eq!(warnings_contain(&report, "is shared by lines"), 2);
        // The four variants with a shared SKU are keyed by their identity.
        assert_eq!(catalog(&store), (11, 11, 0, 73, 4));
        let negative = store
            .catalog()
            .expect("catalog")
            .into_iter()
            .find(|row| row.figures.on_hand == -2)
            .expect("oversold variant");
        assert_eq!(
            negative.policy,
            backorder_desk::domain::BackorderPolicy::Allowed
        );
        assert!(negative.sku_derived, "its SKU is shared");
    }

    /// Writes `name` back for upload with the desk's counts; (rows that change, rows of
    /// variants the desk does not know).
    fn written_back(store: &Store, name: &str, location: Option<&str>) -> (usize, u64) {
        let catalog = store.catalog().expect("catalog");
        let lookup = |sku: &str, identity: &backorder_desk::domain::identity::ShopIdentity| {
            let found = catalog
                .iter()
                .find(|row| row.identity.as_ref() == Some(identity))
                .or_else(|| catalog.iter().find(|row| !sku.is_empty() && row.sku == sku));
            match found {
                None => DeskStock::Unknown,
                Some(row) if !row.track_stock => DeskStock::NotTracked,
                Some(row) => DeskStock::Count(row.figures.on_hand),
            }
        };
        let file = std::fs::File::open(path(name)).expect("file");
        let report = write_shopify_inventory(file, &lookup, location, Vec::new()).expect("written");
        (report.changes.len(), report.unknown)
    }

    #[test]
    fn shopify_inventory_exports_of_shops_without_their_products_file() {
        // Each file's variants are added (--create) with the count of its location; written
        // back, no row changes.
        let cases: [(&str, u64, u64, i64); 4] = [
            // (file, rows, new products, units). The old layout, one location (POPTOYS):
            // 104 variants, numeric SKUs, 1,573 units.
            (
                "shopify/inventory_export_wide_per_location.csv",
                104,
                104,
                1_573,
            ),
            // December 2023 layout, one location: 121 variants (26 with a SKU), 113 units.
            ("shopify/inventory_export_dec2023_layout.csv", 121, 121, 113),
            // December 2023 layout, no SKU at all: 67 variants by handle and options, 7,021.
            (
                "shopify/inventory_export_dec2023_layout_no_sku.csv",
                67,
                67,
                7_021,
            ),
            // The 2025 layout: 89 rows, 45 'not stocked' (left alone), 44 variants with
            // 33,073 units (negative counts included).
            (
                "shopify/inventory_export_2025_layout_bin_name.csv",
                89,
                44,
                33_073,
            ),
        ];
        for (name, rows, new, units) in cases {
            let dir = tempfile::tempdir().expect("dir");
            let mut store = shop(dir.path());
            let report = import_with(
                &mut store,
                &ImportRequest {
                    create_missing: true,
                    ..ImportRequest::new(ImportKind::Inventory, path(name))
                },
            );
            accounted(&report);
            assert_eq!(report.summary.rows_read, rows, "{name}");
            assert_eq!(
                report.summary.rows_with_errors, 0,
                "{name}: {:?}",
                report.summary.errors
            );
            assert_eq!(report.new, new, "{name}");
            let (products, tracked, _, on_hand, _) = catalog(&store);
            assert_eq!(
                (products as u64, tracked as u64, on_hand),
                (new, new, units),
                "{name}"
            );
            assert!(
                store.ledger_mismatches().expect("ledger").is_empty(),
                "{name}"
            );
            // Written back: no row changes; the 'not stocked' variants were not added, so they
            // stay unknown (and left as they were).
            assert_eq!(
                written_back(&store, name, None),
                (0, rows - new),
                "{name}: round trip"
            );
        }
    }

    #[test]
    fn woocommerce_real_exports() {
        // WooCommerce's own sample: 25 rows — 14 simple and 7 variations are products (all
        // with manage stock off: Stock empty), 2 variable parents, a grouped and an external
        // product skipped; 7 products on sale.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "woocommerce/sample_products.csv",
        );
        accounted(&report);
        assert_eq!((report.new, report.summary.rows_skipped), (21, 4));
        assert_eq!(catalog(&store), (21, 0, 21, 0, 0));
        let rows = store.catalog().expect("catalog");
        assert_eq!(
            rows.iter()
                .filter(|row| row.sale_price_cents.is_some())
                .count(),
            7
        );
        let hoodie = store
            .catalog_row_by_sku("woo-hoodie-red")
            .expect("query")
            .expect("variation");
        assert_eq!(
            (hoodie.price_cents, hoodie.sale_price_cents),
            (4500, Some(4200))
        );

        // A Russian admin's export: blank text before the byte-order mark, translated headers,
        // no SKU on any of its 9 simple products (keyed by ID), no stock column.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = shop(dir.path());
        let report = import(
            &mut store,
            ImportKind::Products,
            "woocommerce/wc_product_export_ru_translated_headers.csv",
        );
        accounted(&report);
        assert_eq!(report.summary.file.header_line, 2);
        assert_eq!(report.new, 9);
        assert!(notes_contain(&report, "this file has no stock quantities"));
        assert_eq!(catalog(&store), (9, 9, 0, 0, 9));
        assert!(
            store
                .catalog()
                .expect("catalog")
                .iter()
                .all(|row| row.sku.starts_with("id:"))
        );

        // A 2025 export's header alone: recognised, and nothing comes of it.
        let report = import(
            &mut store,
            ImportKind::Products,
            "woocommerce/wc_product_export_2025_header_only.csv",
        );
        assert_eq!(
            report.nothing.as_deref(),
            Some("no product came of this file: it has a header and no rows")
        );
    }

    #[test]
    fn shopify_order_exports_are_not_taken_for_products() {
        for name in [
            "shopify/orders_export_2021_layout_numeric_sku.csv",
            "shopify/orders_export_dev_store_no_sku.csv",
            "shopify/orders_export_multi_line_no_sku.csv",
        ] {
            let dir = tempfile::tempdir().expect("dir");
            let mut store = shop(dir.path());
            let request = ImportRequest::new(ImportKind::Products, path(name));
            assert!(
                run_import(&mut store, &request, &clock(), &Progress::default()).is_err(),
                "{name}"
            );
            assert_eq!(store.product_count().expect("count"), 0);
        }
    }
}
