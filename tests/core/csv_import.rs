//! CSV import: every kind of real-world file from the issue, each format, round trips, and
//! random input.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;

use backorder_desk::domain::BackorderPolicy;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::identity::ShopIdentity;
use backorder_desk::domain::shop_orders::MappedField;
use backorder_desk::io::csv_import::{ColumnMapping, StorefrontLine, read_storefront_orders};
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
#[allow(
    clippy::unnecessary_wraps,
    reason = "short for the many assertions on optional text"
)]
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
fn desk_counts(counts: &[(&str, i64)]) -> impl Fn(&str, &ShopIdentity) -> DeskStock + use<> {
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
    let lookup = desk_counts(&[
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
#[expect(
    clippy::too_many_lines,
    reason = "one export file checked column by column against hand-made values"
)]
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
/// (`BD_FUZZ_CASES=100000 cargo test --release --test core never_panic`).
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

// ---------------------------------------------------------------------------------------------
// Storefront orders exports: reading

fn storefront(name: &str) -> Parsed<StorefrontLine> {
    read_storefront_orders(fixture(name), &ImportOptions::default()).expect("file opens")
}

fn item<'a>(parsed: &'a Parsed<StorefrontLine>, number: &str, index: usize) -> &'a StorefrontLine {
    parsed
        .rows
        .iter()
        .filter(|row| row.order_number == number)
        .nth(index)
        .unwrap_or_else(|| panic!("no line {index} of order {number}"))
}

#[test]
fn shopify_orders_export_one_row_per_line_item() {
    let parsed = storefront("shopify_orders.csv");
    let summary = &parsed.summary;
    assert_eq!(summary.file.layout, Layout::ShopifyOrders);
    assert_eq!(summary.file.columns.len(), 79);
    // 12 line rows; the gift card (requires shipping = false) is read as such (the import
    // skips it and counts it).
    assert_eq!(
        (
            summary.rows_read,
            summary.rows_ok,
            summary.rows_skipped,
            summary.rows_with_errors
        ),
        (12, 12, 0, 0)
    );
    assert_eq!(
        parsed
            .rows
            .iter()
            .filter(|row| !row.requires_shipping)
            .map(|row| (row.order_number.as_str(), row.item_name.as_str()))
            .collect::<Vec<_>>(),
        [("#1002", "Gift Card - $25")]
    );
    // 52 columns the desk does not need are not worth a warning.
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    // The order's fields are on its first row only and apply to the others.
    let first = item(&parsed, "#1001", 0);
    let second = item(&parsed, "#1001", 1);
    assert_eq!(second.customer_email, "ann@example.com");
    assert_eq!(second.customer_name, "Ann Lee");
    assert_eq!(second.ordered_at, at("2026-03-10 09:15:00"));
    assert_eq!(second.ship_to, first.ship_to);
    assert_eq!(second.ship_to.city, "Portland");
    assert_eq!(second.ship_to.phone, "+1 503 555 0100");
    assert_eq!(first.order_id, "5550000001");
    assert_eq!(first.status_text, "paid");
    // A line without SKU keeps its name (the catalog finds it by name).
    assert_eq!(second.sku, "");
    assert_eq!(second.item_name, "Classic Tee - White / M");
    assert_eq!(
        (second.quantity, second.shipped, second.cancelled),
        (2, 2, 0)
    );
    assert_eq!(second.shipped_at, Some(at("2026-03-11 09:00:00")));
    assert_eq!(second.unit_price_cents, 2500);

    // The order time is the shop's time as written, whatever its offset (+0530 here); no
    // e-mail; a partly fulfilled order: one line shipped, one open; Shopify's ' before a postal
    // code is gone.
    let shipped = item(&parsed, "#1004", 0);
    let open = item(&parsed, "#1004", 1);
    assert_eq!(shipped.ordered_at, at("2026-03-14 22:30:00"));
    assert_eq!(shipped.customer_email, "");
    assert_eq!(shipped.customer_name, "Dee Martin");
    assert_eq!(shipped.currency, "EUR");
    assert_eq!((shipped.shipped, shipped.open()), (1, 0));
    assert_eq!(shipped.shipped_at, Some(at("2026-03-15 07:00:00")));
    assert_eq!((open.shipped, open.open()), (0, 1));
    assert_eq!(open.ship_to.postal_code, "75008");
    assert_eq!(open.ship_to.company, "Atelier Lumière");
    assert_eq!(open.ship_to.address2, "Bâtiment B");

    // A cancelled order: every line cancelled. An authorized card. A numeric SKU without the
    // spreadsheet's apostrophe.
    let cancelled = item(&parsed, "#1005", 0);
    assert!(cancelled.order_cancelled);
    assert_eq!((cancelled.cancelled, cancelled.open()), (1, 0));
    assert_eq!(item(&parsed, "#1002", 0).status_text, "authorized");
    assert!(item(&parsed, "#1002", 0).requires_shipping);
    let mug = item(&parsed, "#1007", 0);
    assert_eq!((mug.sku.as_str(), mug.quantity), ("9371000012", 5));
    assert_eq!(mug.order_key(), "5550000007");
}

#[test]
fn woocommerce_order_exports_of_both_exporters() {
    let parsed = storefront("woocommerce_orders.csv");
    assert_eq!(parsed.summary.file.layout, Layout::WooCommerceOrders);
    assert_eq!(parsed.rows.len(), 5);
    let tee = item(&parsed, "812", 0);
    assert_eq!(tee.customer_name, "Jane Doe");
    assert_eq!(tee.customer_email, "jane@example.com");
    assert_eq!(tee.ship_to.address1, "Hauptstraße 5");
    assert_eq!(tee.ship_to.phone, "+49 30 1234567");
    assert_eq!(tee.currency, "EUR");
    assert_eq!(tee.line_id, "51");
    assert_eq!(tee.status_text, "processing");
    // The unit price is the line's subtotal over its quantity.
    assert_eq!(item(&parsed, "812", 1).unit_price_cents, 1400);
    // completed: shipped; cancelled: nothing ships; a refunded unit of an open order is cancelled.
    assert_eq!(item(&parsed, "813", 0).shipped, 1);
    assert_eq!(item(&parsed, "815", 0).cancelled, 1);
    let refunded = item(&parsed, "814", 0);
    assert_eq!(
        (refunded.quantity, refunded.cancelled, refunded.open()),
        (3, 1, 2)
    );

    let parsed = storefront("woocommerce_advanced_order_export.csv");
    assert_eq!(parsed.summary.file.layout, Layout::WooCommerceOrderExport);
    assert_eq!(parsed.rows.len(), 4);
    let tote = item(&parsed, "905", 1);
    assert_eq!(tote.item_name, "Canvas Tote");
    assert_eq!(tote.sku, "");
    assert_eq!((tote.quantity, tote.unit_price_cents), (2, 1800));
    assert_eq!(tote.ordered_at, at("2026-03-14 09:05:00"));
    assert_eq!(tote.ship_to.address1, "Hauptstraße 5");
    assert_eq!(tote.line_id, "2");
    assert_eq!(item(&parsed, "906", 0).shipped, 1);
    assert_eq!(item(&parsed, "907", 0).status_text, "on-hold");
}

#[test]
fn etsy_sold_order_items() {
    let parsed = storefront("etsy_sold_order_items.csv");
    assert_eq!(parsed.summary.file.layout, Layout::EtsyOrders);
    assert_eq!(parsed.rows.len(), 3);
    let tote = item(&parsed, "3301001", 0);
    // MM/DD/YY; no e-mail in Etsy's file; the ship-to name is the customer.
    assert_eq!(tote.ordered_at, at("2026-03-13 00:00:00"));
    assert_eq!(tote.customer_email, "");
    assert_eq!(tote.customer_name, "Bo Kim");
    assert_eq!(tote.line_id, "4001");
    assert_eq!(tote.status_text, "paid");
    assert_eq!(tote.open(), 1);
    let tee = item(&parsed, "3301002", 0);
    assert_eq!(tee.sku, "TEE-BLK-S");
    assert_eq!((tee.quantity, tee.shipped), (2, 2));
    assert_eq!(tee.shipped_at, Some(at("2026-03-15 00:00:00")));
}

fn other_platform_mapping() -> ColumnMapping {
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
        (MappedField::ShipName, "Deliver To"),
        (MappedField::ShipAddress1, "Street"),
        (MappedField::ShipCity, "Town"),
        (MappedField::ShipPostalCode, "ZIP"),
        (MappedField::ShipCountry, "Land"),
    ] {
        mapping.set(field, Some(column.to_owned()));
    }
    mapping
}

#[test]
fn any_orders_file_through_a_column_mapping() {
    // Without a mapping the file is refused, naming what it found and what to do, once.
    let error = read_storefront_orders(
        fixture("other_platform_orders.csv"),
        &ImportOptions::default(),
    )
    .expect_err("no layout");
    let text = error.to_string();
    assert!(
        text.contains(
            "found 14 columns: Order Ref, Placed, Client, Mail, Article, Product, Qty, Unit Price, \
             State, Deliver To, Street, Town and 2 more"
        ),
        "{text}"
    );
    assert!(text.contains("--mapping NAME"), "{text}");
    assert_eq!(text.matches("Order Ref").count(), 1);

    let options = ImportOptions {
        mapping: Some(other_platform_mapping()),
        ..ImportOptions::default()
    };
    let parsed = read_storefront_orders(fixture("other_platform_orders.csv"), &options)
        .expect("mapped file opens");
    assert_eq!(parsed.summary.file.layout, Layout::MappedOrders);
    assert_eq!(
        parsed.summary.rows_with_errors, 0,
        "{:?}",
        parsed.summary.errors
    );
    assert_eq!(parsed.rows.len(), 3);
    // The second row of OP-501 leaves the order's fields empty: its first row's apply.
    let tote = item(&parsed, "OP-501", 1);
    assert_eq!(tote.ordered_at, at("2026-03-14 08:00:00"));
    assert_eq!(tote.customer_email, "jan@example.com");
    assert_eq!(tote.ship_to.city, "Praha");
    assert_eq!(tote.sku, "");
    assert_eq!(tote.item_name, "Canvas Tote");
    // Semicolons: decimal commas.
    assert_eq!(tote.unit_price_cents, 1800);
    assert_eq!(item(&parsed, "OP-502", 0).shipped, 1);

    // A mapping naming a column the file does not have is refused with the field.
    let mut wrong = other_platform_mapping();
    wrong.set(MappedField::Quantity, Some("Amount".to_owned()));
    let error = read_storefront_orders(
        fixture("other_platform_orders.csv"),
        &ImportOptions {
            mapping: Some(wrong),
            ..ImportOptions::default()
        },
    )
    .expect_err("missing column");
    assert_eq!(
        error.to_string(),
        "line 1: the mapping names column 'Amount' for Quantity, but this file has no such \
         column; choose the columns again"
    );
}

#[test]
fn storefront_layouts_are_detected_and_forced() {
    for (name, layout) in [
        ("shopify_orders.csv", Layout::ShopifyOrders),
        ("woocommerce_orders.csv", Layout::WooCommerceOrders),
        (
            "woocommerce_advanced_order_export.csv",
            Layout::WooCommerceOrderExport,
        ),
        ("etsy_sold_order_items.csv", Layout::EtsyOrders),
    ] {
        let opened = open(fixture(name), &ImportOptions::default()).expect("opens");
        assert_eq!(opened.layout(), layout, "{name}");
        assert_eq!(layout.entity(), Entity::Orders);
        assert!(layout.is_storefront_orders());
    }
    // Naming the format reads the file as that format (Etsy's only orders layout).
    let forced = ImportOptions {
        format: Some(Format::Etsy),
        entity: Some(Entity::Orders),
        ..ImportOptions::default()
    };
    match open(fixture("shopify_orders.csv"), &forced) {
        Err(ImportError::MissingColumns { missing, .. }) => {
            assert_eq!(missing, ["Sale Date", "Item Name", "Quantity", "Order ID"]);
        }
        other => panic!("expected missing columns, got {other:?}"),
    }
    // The own orders layout keeps its name and its optional ship-to columns.
    let own = open(fixture("own_orders.csv"), &ImportOptions::default()).expect("opens");
    assert_eq!(own.layout(), Layout::OwnOrders);
}

// ---------------------------------------------------------------------------------------------
// Storefront orders into a shop: every day, over exports that overlap

mod shop {
    use std::path::{Path, PathBuf};

    use backorder_desk::app::Clock;
    use backorder_desk::app::backup::check_database;
    use backorder_desk::app::export::{ExportKind, export};
    use backorder_desk::app::import::{ImportKind, ImportReport, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::app::notify::outbox;
    use backorder_desk::app::promises::backorder_lines;
    use backorder_desk::app::undo::undo_import;
    use backorder_desk::domain::payment::PaymentState;
    use backorder_desk::store::Store;
    use backorder_desk::store::orders::{OrderDetail, order_detail, order_id_by_number};
    use chrono::NaiveDate;

    use super::fixture_path;

    pub fn clock(day: u32) -> Clock {
        Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, day).expect("date"))
    }

    pub fn import_at(store: &mut Store, path: &Path, day: u32) -> ImportReport {
        let request = ImportRequest::new(ImportKind::Orders, path);
        run_import(store, &request, &clock(day), &Progress::default()).expect("import runs")
    }

    /// A shop with the storefront catalog (stock: tee 2, white tee 5, tote 2, mug 3, print 0).
    pub fn shop(dir: &Path) -> Store {
        let mut store = Store::open(&dir.join("shop.sqlite")).expect("open");
        let request =
            ImportRequest::new(ImportKind::Products, fixture_path("storefront_catalog.csv"));
        let report =
            run_import(&mut store, &request, &clock(15), &Progress::default()).expect("catalog");
        assert_eq!(report.new, 5);
        store
    }

    pub fn stock(store: &Store, sku: &str) -> (i64, i64) {
        let row = store
            .catalog_row_by_sku(sku)
            .expect("query")
            .unwrap_or_else(|| panic!("no {sku}"));
        (row.figures.on_hand, row.figures.reserved)
    }

    pub fn detail(store: &Store, number: &str) -> OrderDetail {
        let order_id = order_id_by_number(store.connection(), number)
            .expect("query")
            .unwrap_or_else(|| panic!("no order {number}"));
        order_detail(store.connection(), order_id).expect("detail")
    }

    /// (shipped, cancelled, reserved, waiting) of each line of an order.
    pub fn lines(store: &Store, number: &str) -> Vec<(String, i64, i64, i64, i64)> {
        detail(store, number)
            .lines
            .iter()
            .map(|line| {
                let q = line.quantities;
                (
                    line.sku.clone(),
                    q.shipped,
                    q.cancelled,
                    q.reserved,
                    q.waiting(),
                )
            })
            .collect()
    }

    pub fn exported(store: &Store, dir: &Path, day: u32) -> Vec<Vec<u8>> {
        [
            ExportKind::Products,
            ExportKind::Orders,
            ExportKind::Backorders,
        ]
        .into_iter()
        .enumerate()
        .map(|(index, kind)| {
            let path: PathBuf = dir.join(format!("export-{index}.csv"));
            export(store, kind, &path, clock(day).today()).expect("export");
            std::fs::read(&path).expect("read export")
        })
        .collect()
    }

    fn drafts(store: &Store) -> Vec<(String, String)> {
        outbox(store)
            .expect("outbox")
            .into_iter()
            .map(|m| (m.kind_id, m.order_number))
            .collect()
    }

    #[test]
    fn a_shopify_export_comes_in_as_the_storefront_has_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let report = import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        assert!(report.written, "{:?}", report.summary.errors);
        assert_eq!(
            report.headline(),
            "Shopify orders export, 8 orders, 12 lines"
        );
        assert_eq!((report.new, report.updated, report.unchanged), (11, 0, 0));
        assert_eq!(report.summary.rows_skipped, 1, "the gift card");
        let shop = report.storefront.as_ref().expect("storefront report");
        assert_eq!(
            (shop.orders_new, shop.orders_changed, shop.orders_unchanged),
            (8, 0, 0)
        );
        assert_eq!((shop.oversold_lines, shop.confirmations), (1, 1));

        // Fulfilled lines (#1001, the first of #1004) moved no stock: on hand is the count.
        // Open lines were allocated by the rule, oldest first: the tote to #1000 and one of
        // #1002's three; the mug to #1003 (2) and #1007 (1 of 5).
        assert_eq!(stock(&store, "TEE-BLK-S"), (2, 1));
        assert_eq!(stock(&store, "classic-tee/white-m"), (5, 1));
        assert_eq!(stock(&store, "canvas-tote"), (2, 2));
        assert_eq!(stock(&store, "9371000012"), (3, 3));
        assert_eq!(stock(&store, "PRINT-LTD"), (0, 0));
        assert_eq!(
            lines(&store, "#1001"),
            [
                ("TEE-BLK-S".to_owned(), 1, 0, 0, 0),
                ("classic-tee/white-m".to_owned(), 2, 0, 0, 0)
            ]
        );
        assert_eq!(
            detail(&store, "#1001").summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        assert_eq!(
            lines(&store, "#1002"),
            [("canvas-tote".to_owned(), 0, 0, 1, 2)]
        );
        assert_eq!(
            detail(&store, "#1005").summary.status,
            backorder_desk::domain::order::OrderStatus::Cancelled
        );
        assert_eq!(
            lines(&store, "#1007"),
            [("9371000012".to_owned(), 0, 0, 1, 4)]
        );

        // The order without e-mail is kept, with its ship-to, time and currency.
        let dee = detail(&store, "#1004");
        assert_eq!(dee.summary.customer_email, "");
        assert_eq!(dee.summary.ordered_at, "2026-03-14 22:30:00");
        assert_eq!(dee.ship_to.postal_code, "75008");
        assert_eq!(
            dee.ship_to.lines(),
            [
                "Dee Martin",
                "Atelier Lumière",
                "13 rue de Berri",
                "Bâtiment B",
                "75008 Paris",
                "FR",
                "Phone +33 1 23 45 67 89"
            ]
        );
        assert_eq!(dee.storefront.currency, "EUR");
        assert_eq!(dee.storefront.storefront_order_id, "5550000004");
        assert_eq!(
            lines(&store, "#1004"),
            [
                ("TEE-BLK-S".to_owned(), 1, 0, 0, 0),
                ("classic-tee/white-m".to_owned(), 0, 0, 1, 0)
            ]
        );
        // Shopify's payment words are kept; an authorized card waits for a capture here.
        let bo = detail(&store, "#1002");
        assert_eq!(bo.storefront.status_text, "authorized");
        assert_eq!(bo.summary.payment, PaymentState::Authorized);
        assert_eq!(
            detail(&store, "#1003").summary.payment,
            PaymentState::NotNeeded
        );

        // The print does not allow backorders: recorded anyway, flagged oversold.
        let print = detail(&store, "#1006");
        assert!(print.lines[0].oversold);
        let waiting = backorder_lines(store.connection(), clock(15).today()).expect("list");
        let flags = |number: &str| {
            waiting
                .iter()
                .find(|line| line.order_number == number)
                .map(backorder_desk::app::promises::BackorderLine::flag_codes)
                .unwrap_or_default()
        };
        assert!(flags("#1006").contains(&"oversold"));
        assert!(!flags("#1007").contains(&"oversold"));

        // Only #1007 (placed within 2 days, waiting, not oversold) gets its confirmation now;
        // #1002 waits too but was placed 3 days ago.
        assert_eq!(
            drafts(&store),
            [("confirmation".to_owned(), "#1007".to_owned())]
        );
        assert!(check_database(&store).expect("check").is_ok());
    }

    #[test]
    fn the_next_days_export_applies_what_changed_and_the_same_file_twice_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        let report = import_at(&mut store, &fixture_path("shopify_orders_next_day.csv"), 16);
        assert!(report.written, "{:?}", report.summary.errors);
        assert_eq!(
            report.headline(),
            "Shopify orders export, 7 orders, 10 lines"
        );
        assert_eq!(
            (
                report.new,
                report.updated,
                report.unchanged,
                report.summary.rows_skipped
            ),
            (1, 6, 2, 1)
        );
        let shop = report.storefront.as_ref().expect("storefront report");
        assert_eq!(
            (shop.orders_new, shop.orders_changed, shop.orders_unchanged),
            (1, 4, 2)
        );
        let changed = |number: &str| {
            shop.changes
                .iter()
                .find(|change| change.order_number == number)
                .map(|change| change.what.join("; "))
                .unwrap_or_default()
        };
        assert_eq!(
            changed("#1003"),
            "cancelled in Shopify: its reserved stock went to the next customers in line; \
             payment paid → refunded; 9371000012: 2 units cancelled in Shopify; TEE-BLK-S: 1 \
             unit cancelled in Shopify"
        );
        assert_eq!(
            changed("#1004"),
            "shipped in Shopify: the order is complete; classic-tee/white-m: 1 unit shipped in \
             Shopify, taken from stock"
        );
        assert_eq!(
            changed("#1007"),
            "shipped in Shopify: the order is complete; 9371000012: 5 units shipped in Shopify \
             (2 with nothing reserved here)"
        );
        assert_eq!(changed("#1002"), "payment authorized → paid");
        // Shipped there with nothing reserved here: shipped and named in a warning.
        assert!(
            report.summary.warnings.iter().any(|warning| warning.to_string()
                == "line 3: order #1007: 2 units of 9371000012 shipped in Shopify while nothing \
                    was reserved for them here; recorded as shipped without changing on hand — \
                    count 9371000012 and adjust its stock"),
            "{:?}",
            report.summary.warnings
        );

        // #1003's cancellation released 2 mugs: they went to #1007 (next in the queue), which
        // then shipped 3 through the ledger. Its tee went to the new #1008. #1004's reserved
        // white tee left through the ledger.
        assert_eq!(stock(&store, "9371000012"), (0, 0));
        assert_eq!(
            lines(&store, "#1007"),
            [("9371000012".to_owned(), 5, 0, 0, 0)]
        );
        assert_eq!(stock(&store, "classic-tee/white-m"), (4, 0));
        assert_eq!(stock(&store, "TEE-BLK-S"), (2, 2));
        assert_eq!(
            lines(&store, "#1008"),
            [("TEE-BLK-S".to_owned(), 0, 0, 2, 0)]
        );
        assert_eq!(
            detail(&store, "#1003").summary.status,
            backorder_desk::domain::order::OrderStatus::Cancelled
        );
        assert_eq!(
            detail(&store, "#1004").summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        // Paid in Shopify now: no capture waits here.
        assert_eq!(
            detail(&store, "#1002").summary.payment,
            PaymentState::NotNeeded
        );
        assert!(check_database(&store).expect("check").is_ok());

        // The same export again: nothing changes, nothing is recorded.
        let before = exported(&store, dir.path(), 16);
        let again = import_at(&mut store, &fixture_path("shopify_orders_next_day.csv"), 16);
        assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 9));
        assert_eq!(again.batch_id, None);
        let shop = again.storefront.expect("storefront report");
        assert_eq!(
            (shop.orders_new, shop.orders_changed, shop.orders_unchanged),
            (0, 0, 7)
        );
        assert_eq!(exported(&store, dir.path(), 16), before);
    }

    #[test]
    fn undoing_the_next_days_import_gives_the_orders_back_their_state() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        let after_first = exported(&store, dir.path(), 16);
        let report = import_at(&mut store, &fixture_path("shopify_orders_next_day.csv"), 16);
        let undone = undo_import(&mut store, report.batch_id, &clock(16)).expect("undo");
        assert_eq!(undone.counts.orders_restored, 4);
        assert_eq!(undone.counts.orders_removed, 1);
        assert_eq!(
            undone.effects(),
            [
                "took back 2 stock changes (+4 units on hand)",
                "removed 1 order (1 line)",
                "gave 4 orders it changed their earlier state (what it cancelled, shipped or \
                 re-addressed)",
                "removed 1 customer with no other orders"
            ]
        );
        assert_eq!(exported(&store, dir.path(), 16), after_first);
        assert_eq!(stock(&store, "9371000012"), (3, 3));
        assert_eq!(
            detail(&store, "#1002").summary.payment,
            PaymentState::Authorized
        );
        assert!(check_database(&store).expect("check").is_ok());
    }
}

mod shop_more {
    use std::io::Write as _;

    use backorder_desk::app::Clock;
    use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::app::mappings;
    use backorder_desk::app::notify::outbox;
    use backorder_desk::domain::shop_orders::Storefront;
    use backorder_desk::io::csv_import::header_signature;
    use proptest::prelude::*;

    use super::fixture_path;
    use super::shop::{clock, detail, exported, import_at, lines, shop, stock};

    #[test]
    fn an_order_placed_after_the_backorder_cutoff_is_oversold() {
        use backorder_desk::app::practice::{CutoffTarget, set_cutoff};
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        // The mug takes backorders until Mar 14; #1003 (Mar 13) may wait, #1007 (Mar 15) may not.
        set_cutoff(
            &mut store,
            &CutoffTarget::Product("9371000012".into()),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 14),
            &clock(15),
        )
        .expect("cutoff");
        let report = import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        assert!(
            report.summary.errors.is_empty(),
            "{:?}",
            report.summary.errors
        );
        let mug = |number: &str| {
            detail(&store, number)
                .lines
                .into_iter()
                .find(|line| line.sku == "9371000012")
                .unwrap_or_else(|| panic!("no mug on {number}"))
        };
        let late = mug("#1007");
        assert_eq!(
            (late.quantities.reserved, late.quantities.waiting()),
            (1, 4),
            "recorded anyway: the storefront sold it"
        );
        assert!(late.oversold);
        assert!(!mug("#1003").oversold);
    }

    #[test]
    fn woocommerce_and_etsy_exports_come_in_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let woo = import_at(&mut store, &fixture_path("woocommerce_orders.csv"), 15);
        assert!(woo.written, "{:?}", woo.summary.errors);
        assert_eq!(
            woo.headline(),
            "WooCommerce orders export (Customer / Order / Coupon Export), 4 orders, 5 lines"
        );
        let jane = detail(&store, "812");
        assert_eq!(jane.storefront.storefront, Some(Storefront::WooCommerce));
        assert_eq!(jane.storefront.storefront_order_id, "812");
        assert_eq!(jane.summary.customer_name, "Jane Doe");
        assert_eq!(jane.ship_to.city, "Berlin");
        // 814: 3 ordered, 1 refunded before shipping: 2 wait (the white tee has 5: reserved).
        assert_eq!(
            lines(&store, "814"),
            [("classic-tee/white-m".to_owned(), 0, 1, 2, 0)]
        );
        assert_eq!(
            detail(&store, "813").summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        assert_eq!(
            detail(&store, "815").summary.status,
            backorder_desk::domain::order::OrderStatus::Cancelled
        );

        let aoe = import_at(
            &mut store,
            &fixture_path("woocommerce_advanced_order_export.csv"),
            15,
        );
        assert!(aoe.written, "{:?}", aoe.summary.errors);
        assert_eq!(
            aoe.headline(),
            "WooCommerce orders export (Advanced Order Export), 3 orders, 4 lines"
        );
        // 907 is on hold with a print that cannot be backordered: oversold.
        assert_eq!(aoe.storefront.expect("report").oversold_lines, 1);
        assert!(detail(&store, "907").lines[0].oversold);

        let etsy = import_at(&mut store, &fixture_path("etsy_sold_order_items.csv"), 15);
        assert!(etsy.written, "{:?}", etsy.summary.errors);
        assert_eq!(etsy.headline(), "Etsy sold order items, 2 orders, 3 lines");
        let bo = detail(&store, "3301001");
        assert_eq!(bo.summary.customer_email, "");
        assert_eq!(bo.lines.len(), 2);
        assert_eq!(
            detail(&store, "3301002").summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        // Again: nothing changes.
        let again = import_at(&mut store, &fixture_path("etsy_sold_order_items.csv"), 15);
        assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 3));
    }

    #[test]
    fn a_mapped_file_is_imported_with_its_saved_mapping() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let path = fixture_path("other_platform_orders.csv");
        let peek = mappings::peek_file(&path, 5).expect("peek");
        assert_eq!(peek.columns.len(), 14);
        assert_eq!(peek.rows.len(), 3);
        assert_eq!(peek.signature, header_signature(&peek.columns));
        // A first guess from the names; the rest is chosen by the shop.
        let guess = mappings::guess(&peek.columns);
        assert_eq!(
            guess.column(backorder_desk::domain::shop_orders::MappedField::Quantity),
            Some("Qty")
        );
        let mapping = super::other_platform_mapping();
        mappings::check("Nordic market", &mapping, &peek.columns).expect("complete");
        mappings::save(
            &mut store,
            "Nordic market",
            &peek.signature,
            &mapping,
            &clock(15),
        )
        .expect("saved");
        let (name, saved) = mappings::for_header(&store, &peek.signature)
            .expect("lookup")
            .expect("offered again for the same header");
        assert_eq!(name, "Nordic market");
        assert_eq!(saved, mapping);

        let mut request = ImportRequest::new(ImportKind::Orders, &path);
        request.mapping = Some("nordic MARKET".to_owned());
        let report =
            run_import(&mut store, &request, &clock(15), &Progress::default()).expect("import");
        assert!(report.written, "{:?}", report.summary.errors);
        assert_eq!(
            report.headline(),
            "Orders file read with a column mapping, 2 orders, 3 lines"
        );
        assert_eq!(
            lines(&store, "OP-501"),
            [
                ("TEE-BLK-S".to_owned(), 0, 0, 1, 0),
                ("canvas-tote".to_owned(), 0, 0, 1, 0)
            ]
        );
        assert_eq!(
            detail(&store, "OP-502").summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        assert_eq!(detail(&store, "OP-501").ship_to.city, "Praha");

        // An incomplete mapping is refused with what it lacks; an unknown name is named.
        let mut incomplete = mapping.clone();
        incomplete.set(backorder_desk::domain::shop_orders::MappedField::Sku, None);
        incomplete.set(
            backorder_desk::domain::shop_orders::MappedField::ItemName,
            None,
        );
        assert_eq!(
            mappings::check("x", &incomplete, &peek.columns)
                .expect_err("refused")
                .to_string(),
            "Choose a column for: SKU or Item name"
        );
        request.mapping = Some("Nope".to_owned());
        let error = run_import(&mut store, &request, &clock(15), &Progress::default())
            .expect_err("unknown mapping")
            .to_string();
        assert!(
            error.contains("There is no saved column mapping named 'Nope'"),
            "{error}"
        );
    }

    #[test]
    fn lines_whose_product_is_unknown_are_errors_that_name_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let path = dir.path().join("orders_export.csv");
        let text = std::fs::read_to_string(fixture_path("shopify_orders.csv"))
            .expect("fixture")
            .replace("Stoneware Mug,14.00,,'9371000012", "Blue Vase,14.00,,")
            .replace(
                "Limited Print,40.00,,PRINT-LTD",
                "Signed Print,40.00,,PRINT-9",
            );
        std::fs::write(&path, text).expect("write");
        let report = import_at(&mut store, &path, 15);
        assert!(!report.written);
        let errors: Vec<String> = report
            .summary
            .errors
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "line 2, column Lineitem name: value 'Blue Vase' — the line has no SKU and no \
                 product has this name; import the Shopify products first or add the product",
                "line 3, column Lineitem sku: value 'PRINT-9' — is not in the catalog, and no \
                 product is named 'Signed Print'; import the Shopify products first or add the \
                 product",
                "line 7, column Lineitem name: value 'Blue Vase' — the line has no SKU and no \
                 product has this name; import the Shopify products first or add the product",
            ]
        );
        let orders: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM orders", [], |row| row.get(0))
            .expect("count");
        assert_eq!(orders, 0, "a file with errors writes nothing");
        // "Valid rows only" imports the rest; a later export adds the missing lines.
        let mut request = ImportRequest::new(ImportKind::Orders, &path);
        request.valid_only = true;
        let report =
            run_import(&mut store, &request, &clock(15), &Progress::default()).expect("import");
        assert!(report.written);
        assert_eq!(report.summary.rows_with_errors, 3);
    }

    #[test]
    fn an_order_typed_earlier_with_the_same_number_is_linked_not_doubled() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let own = dir.path().join("own.csv");
        std::fs::write(
            &own,
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price\n\
             #1003,2026-03-13 11:00:00,Cy Ortega,cy@example.com,9371000012,2,14.00\n\
             #1003,2026-03-13 11:00:00,Cy Ortega,cy@example.com,TEE-BLK-S,1,25.00\n",
        )
        .expect("write");
        import_at(&mut store, &own, 15);
        let report = import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        let shop = report.storefront.expect("report");
        assert_eq!((shop.orders_new, shop.orders_changed), (7, 1));
        assert_eq!(
            shop.changes[0].what,
            [
                "linked to Shopify order 5550000003",
                "ship-to address added"
            ]
        );
        let cy = detail(&store, "#1003");
        assert_eq!(cy.storefront.storefront, Some(Storefront::Shopify));
        assert_eq!(cy.lines.len(), 2);
    }

    #[test]
    fn own_orders_flag_oversold_lines_and_carry_ship_to_columns() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        let own = dir.path().join("own.csv");
        std::fs::write(
            &own,
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,\
             shipped_at,backordered_qty,priority,ship_name,ship_company,ship_address1,\
             ship_address2,ship_city,ship_postal_code,ship_region,ship_country,ship_phone\n\
             A-1,2026-03-14 10:00:00,Ann,ann@example.com,PRINT-LTD,1,40.00,open,,0,normal,\
             Ann Lee,,22 Oak Avenue,,Portland,97201,OR,US,\n\
             A-2,2026-03-14 11:00:00,Bo,bo@example.com,TEE-BLK-S,1,25.00,open,,0,normal,,,,,,,,,\n",
        )
        .expect("write");
        let report = import_at(&mut store, &own, 15);
        assert!(report.written, "{:?}", report.summary.errors);
        assert_eq!(
            report.headline(),
            "Backorder Desk orders, 2 orders, 2 lines"
        );
        assert!(
            report.summary.warnings.is_empty(),
            "{:?}",
            report.summary.warnings
        );
        let ann = detail(&store, "A-1");
        assert!(ann.lines[0].oversold);
        assert_eq!(
            ann.ship_to.one_line(),
            "Ann Lee, 22 Oak Avenue, Portland, OR 97201, US"
        );
        assert!(!detail(&store, "A-2").lines[0].oversold);
        assert!(detail(&store, "A-2").ship_to.is_empty());
        // Export writes the ship-to columns after the others; import → export is identical.
        let first = exported(&store, dir.path(), 15);
        let orders = String::from_utf8(first[1].clone()).expect("utf-8");
        assert!(orders.starts_with(
            "order_number,ordered_at,customer_name,customer_email,sku,quantity,unit_price,status,\
             shipped_at,backordered_qty,priority,ship_name,ship_company,ship_address1,\
             ship_address2,ship_city,ship_postal_code,ship_region,ship_country,ship_phone\n"
        ));
        assert!(orders.contains(",normal,Ann Lee,,22 Oak Avenue,,Portland,97201,OR,US,\n"));
        let copy_dir = tempfile::tempdir().expect("temp dir");
        let mut copy = shop(copy_dir.path());
        let path = copy_dir.path().join("orders.csv");
        std::fs::File::create(&path)
            .and_then(|mut file| file.write_all(&first[1]))
            .expect("write");
        import_at(&mut copy, &path, 15);
        assert_eq!(exported(&copy, copy_dir.path(), 15)[1], first[1]);
    }

    #[test]
    fn confirmations_follow_the_setting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        store
            .set_setting("import_confirm_days", "0")
            .expect("setting");
        let report = import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        assert_eq!(report.storefront.expect("report").confirmations, 0);
        assert!(outbox(&store).expect("outbox").is_empty());

        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        store
            .set_setting("import_confirm_days", "5")
            .expect("setting");
        let report = import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        // #1002 (3 days ago) now gets one too; #1006 is oversold: the shop decides first.
        assert_eq!(report.storefront.expect("report").confirmations, 2);
    }

    /// One random Shopify export: orders with lines of the catalog's products (by SKU or by
    /// name), some fulfilled, some cancelled, some without e-mail.
    /// A random order: day, has an e-mail, cancelled, lines (product, quantity, fulfilled).
    type RandomOrder = (u8, bool, bool, Vec<(usize, i64, bool)>);

    fn export_text(orders: &[RandomOrder]) -> String {
        const PRODUCTS: [(&str, &str); 5] = [
            ("TEE-BLK-S", "Classic Tee - Black / S"),
            ("", "Classic Tee - White / M"),
            ("", "Canvas Tote"),
            ("'9371000012", "Stoneware Mug"),
            ("PRINT-LTD", "Limited Print"),
        ];
        let mut text = String::from(
            "Name,Email,Financial Status,Fulfillment Status,Fulfilled at,Created at,\
             Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
             Lineitem fulfillment status,Shipping Name,Shipping City,Cancelled at,Id\n",
        );
        for (index, (day, email, cancelled, items)) in orders.iter().enumerate() {
            for (position, (product, quantity, fulfilled)) in items.iter().enumerate() {
                let (sku, name) = PRODUCTS[*product % PRODUCTS.len()];
                let status = if *fulfilled { "fulfilled" } else { "pending" };
                if position == 0 {
                    text.push_str(&format!(
                        "#{n},{email},paid,,2026-03-14 18:00:00 -0500,2026-03-{d:02} 09:00:00 -0500,\
                         {quantity},{name},10.00,{sku},{status},Customer {n},Town,{cancel},{id}\n",
                        n = 2000 + index,
                        email = if *email { format!("c{index}@example.com") } else { String::new() },
                        d = 1 + day % 14,
                        cancel = if *cancelled { "2026-03-14 12:00:00 -0500" } else { "" },
                        id = 90_000 + index,
                    ));
                } else {
                    text.push_str(&format!(
                        "#{n},,,,,,{quantity},{name},10.00,{sku},{status},,,,\n",
                        n = 2000 + index
                    ));
                }
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Importing the same export twice leaves the shop exactly as importing it once.
        #[test]
        fn importing_the_same_export_twice_equals_importing_it_once(
            orders in prop::collection::vec(
                (
                    any::<u8>(),
                    any::<bool>(),
                    prop::bool::weighted(0.2),
                    prop::collection::vec((0_usize..5, 1_i64..4, prop::bool::weighted(0.3)), 1..4),
                ),
                1..12,
            ),
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("orders_export.csv");
            std::fs::write(&path, export_text(&orders)).expect("write");

            let once_dir = tempfile::tempdir().expect("temp dir");
            let mut once = shop(once_dir.path());
            let first = import_at(&mut once, &path, 15);
            prop_assert!(first.written, "{:?}", first.summary.errors);
            let after_once = exported(&once, once_dir.path(), 15);

            let twice_dir = tempfile::tempdir().expect("temp dir");
            let mut twice = shop(twice_dir.path());
            import_at(&mut twice, &path, 15);
            let second = import_at(&mut twice, &path, 15);
            prop_assert_eq!(second.new + second.updated, 0);
            prop_assert_eq!(second.batch_id, None);
            prop_assert_eq!(exported(&twice, twice_dir.path(), 15), after_once);
            let drafts = |store: &backorder_desk::store::Store| {
                outbox(store).expect("outbox").into_iter().map(|m| (m.kind_id, m.order_number, m.body)).collect::<Vec<_>>()
            };
            prop_assert_eq!(drafts(&twice), drafts(&once));
            prop_assert!(backorder_desk::app::backup::check_database(&twice).expect("check").is_ok());
            let _ = (stock(&twice, "TEE-BLK-S"), Clock::system());
        }
    }
}

mod shop_details {
    use super::fixture_path;
    use super::shop::{detail, import_at, shop};

    /// A later export that changes only the currency of an order: the order is changed (and the
    /// import recorded, so the change can be undone) — it used to be counted as unchanged while
    /// written to, and the import failed on committing.
    #[test]
    fn a_change_of_currency_alone_is_a_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        let text = std::fs::read_to_string(fixture_path("shopify_orders.csv"))
            .expect("fixture")
            .replace(
                "paid,2026-02-01 10:00:00 -0500,,,no,USD",
                "paid,2026-02-01 10:00:00 -0500,,,no,CAD",
            );
        let path = dir.path().join("orders_export.csv");
        std::fs::write(&path, text).expect("write");
        let report = import_at(&mut store, &path, 15);
        assert!(report.written, "{:?}", report.summary.errors);
        assert!(report.batch_id.is_some());
        let shop = report.storefront.expect("report");
        assert_eq!((shop.orders_changed, shop.orders_unchanged), (1, 7));
        assert_eq!(shop.changes[0].order_number, "#1000");
        assert_eq!(shop.changes[0].what, ["currency CAD"]);
        assert_eq!(detail(&store, "#1000").storefront.currency, "CAD");
    }
}

// ---------------------------------------------------------------------------------------------
// Real published Shopify orders exports (tests/fixtures/real/README.md has their sources)

mod real_orders {
    use std::path::PathBuf;

    use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    use backorder_desk::store::Store;

    use super::shop::{clock, detail, lines, stock};

    fn real(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/real/shopify")
            .join(name)
    }

    /// A shop whose catalog has the real exports' products: the waffle sold under the numeric
    /// SKU `30` (4 on hand), and the development store's `pant` and `tshirt`, which have no SKU
    /// in the shop (keyed by their handle, matched by name), 1 each.
    fn catalog(dir: &std::path::Path) -> Store {
        let mut store = Store::open(&dir.join("shop.sqlite")).expect("open");
        let file = dir.join("catalog.csv");
        std::fs::write(
            &file,
            "sku,name,on_hand,backorder_policy\n30,Waffly Waffle (5pcs),4,yes\n\
             pant,pant,1,yes\ntshirt,tshirt,1,yes\n",
        )
        .expect("write");
        run_import(
            &mut store,
            &ImportRequest::new(ImportKind::Products, &file),
            &clock(15),
            &Progress::default(),
        )
        .expect("catalog");
        store
    }

    fn import(store: &mut Store, name: &str) -> backorder_desk::app::import::ImportReport {
        let report = run_import(
            store,
            &ImportRequest::new(ImportKind::Orders, real(name)),
            &clock(15),
            &Progress::default(),
        )
        .expect("import");
        assert_eq!(
            report.summary.rows_with_errors, 0,
            "{:?}",
            report.summary.errors
        );
        report
    }

    #[test]
    fn the_2021_layout_with_a_numeric_sku_on_every_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = catalog(dir.path());
        let report = import(&mut store, "orders_export_2021_layout_numeric_sku.csv");
        assert_eq!(report.summary.file.columns.len(), 71);
        assert_eq!(
            report.headline(),
            "Shopify orders export, 10 orders, 10 lines"
        );
        assert_eq!((report.new, report.summary.rows_skipped), (10, 0));
        // Ten open orders of one waffle each, 4 on hand: the four oldest get one.
        assert_eq!(stock(&store, "30"), (4, 4));
        assert_eq!(lines(&store, "#1030"), [("30".to_owned(), 0, 0, 1, 0)]);
        assert_eq!(lines(&store, "#1039"), [("30".to_owned(), 0, 0, 0, 1)]);
        // Postcodes and phones without the spreadsheet quote, trailing spaces gone.
        let two = detail(&store, "#1038");
        assert_eq!(two.ship_to.postal_code, "1000");
        assert_eq!(two.ship_to.phone, "+32 555 01 00 01");
        assert_eq!(two.ship_to.address1, "3 Example Street");
        assert_eq!(two.ship_to.address2, "Unit 1");
        assert_eq!(two.storefront.currency, "EUR");
        assert_eq!(detail(&store, "#1037").ship_to.city, "Bruxelles");
        assert_eq!(detail(&store, "#1036").summary.customer_name, "Customer 4");
        // The same export again changes nothing.
        let again = import(&mut store, "orders_export_2021_layout_numeric_sku.csv");
        assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 10));
    }

    #[test]
    fn a_development_stores_fulfilled_orders_without_skus() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = catalog(dir.path());
        let report = import(&mut store, "orders_export_dev_store_no_sku.csv");
        assert_eq!(
            report.headline(),
            "Shopify orders export, 2 orders, 2 lines"
        );
        assert_eq!(report.new, 2);
        // Matched by name; fulfilled in Shopify: shipped, on hand untouched (the count's).
        assert_eq!(lines(&store, "#1002"), [("pant".to_owned(), 1, 0, 0, 0)]);
        assert_eq!(lines(&store, "#1001"), [("tshirt".to_owned(), 1, 0, 0, 0)]);
        assert_eq!(stock(&store, "pant"), (1, 0));
        let order = detail(&store, "#1002");
        assert_eq!(
            order.summary.status,
            backorder_desk::domain::order::OrderStatus::Shipped
        );
        assert_eq!(order.storefront.currency, "INR");
        assert_eq!(order.storefront.storefront_order_id, "6097582719028");
        assert_eq!(order.ship_to.city, "Bhubaneswar");
    }

    #[test]
    fn a_merch_store_whose_lines_need_no_shipping() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = catalog(dir.path());
        let report = import(&mut store, "orders_export_multi_line_no_sku.csv");
        // Every line says `Lineitem requires shipping` false: skipped and counted, nothing
        // recorded.
        assert_eq!(
            report.headline(),
            "Shopify orders export, 2 orders, 3 lines"
        );
        assert_eq!(
            (
                report.new,
                report.summary.rows_skipped,
                report.summary.rows_with_errors
            ),
            (0, 3, 0)
        );
        assert_eq!(report.batch_id, None);
    }
}

mod same_number {
    use super::fixture_path;
    use super::shop::{import_at, shop};

    /// Two Shopify orders with one number (a second shop, a number reused) are told apart by
    /// Shopify's id: the second is an error, not a change of the first.
    #[test]
    fn another_shopify_order_with_the_same_number_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = shop(dir.path());
        import_at(&mut store, &fixture_path("shopify_orders.csv"), 15);
        let text = std::fs::read_to_string(fixture_path("shopify_orders.csv"))
            .expect("fixture")
            .replace(",5550000000,", ",7770000000,");
        let path = dir.path().join("orders_export.csv");
        std::fs::write(&path, text).expect("write");
        let report = import_at(&mut store, &path, 15);
        assert!(!report.written);
        assert_eq!(
            report.summary.errors[0].to_string(),
            "line 13, column order: value '#1000' — this order number is already used by \
             another Shopify order (id 5550000000, this one has id 7770000000); the order is \
             left out"
        );
    }
}
