//! Pick lists end to end: a PO lands, the list puts the waiting orders first, the PDF text reads
//! in bin order, and marking it picked ships exactly the listed units with ledger movements.

use std::path::Path;

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::save_product;
use backorder_desk::app::orders::{OrderInput, cancel_order, place_order};
use backorder_desk::app::picklist::{
    PickListError, PickListRequest, create_pick_list, document_settings, load_packing_slip,
    load_pick_list, mark_picked, order_of_work, packing_slip_pdf, pick_list_pdf,
};
use backorder_desk::app::purchasing::{PoInput, create_po, receive};
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::domain::picklist::{Paper, PickLayout, PickLine, PickOrder};
use backorder_desk::domain::promise::DateStyle;
use backorder_desk::domain::{MovementKind, ProductDraft};
use backorder_desk::io::picklist_pdf::{PickListDocument, render_pick_list};
use backorder_desk::store::Store;
use backorder_desk::store::orders::order_id_by_number;
use chrono::{NaiveDate, NaiveDateTime};

fn clock() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"))
}

fn at(day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 2, day)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
}

fn product(store: &mut Store, sku: &str, name: &str, location: &str, stock: i64) {
    let draft = ProductDraft {
        sku: sku.into(),
        name: name.into(),
        location: location.into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        price: "10.00".into(),
        ..ProductDraft::default()
    };
    save_product(store, None, &draft, stock, &clock()).expect("product");
}

fn order(
    store: &mut Store,
    number: &str,
    day: u32,
    priority: Priority,
    ship: ShipPreference,
    lines: &[(&str, i64)],
) {
    let input = OrderInput {
        order_number: number.into(),
        customer_name: format!("Customer {number}"),
        customer_email: String::new(),
        ordered_at: Some(at(day)),
        priority,
        ship,
        lines: lines.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect(),
    };
    place_order(store, &input, &clock()).expect("order");
}

/// LAMP-10 (bin A10) has nothing on hand; MUG-01 (A2) 10; BOX-7 (B1) 5; VASE-3 (no bin) 5.
/// SO-1 waits for 3 lamps, SO-2 for 2 lamps (+1 mug), SO-3 is high priority (mug, box, vase),
/// SO-4 ships complete and waits for 5 lamps. Then PO-1 brings 4 lamps: SO-1 gets 3, SO-2 1.
fn shop(path: &Path) -> Store {
    let mut store = Store::open(path).expect("open");
    product(&mut store, "LAMP-10", "Brass lamp über the desk", "A10", 0);
    product(&mut store, "MUG-01", "Café crème mug", "A2", 10);
    product(&mut store, "BOX-7", "Gift box", "B1", 5);
    product(&mut store, "VASE-3", "Øresund vase", "", 5);
    let (normal, high) = (Priority::Normal, Priority::High);
    let (partial, complete) = (ShipPreference::Partial, ShipPreference::Complete);
    order(&mut store, "SO-1", 20, normal, partial, &[("LAMP-10", 3)]);
    order(
        &mut store,
        "SO-2",
        21,
        normal,
        partial,
        &[("LAMP-10", 2), ("MUG-01", 1)],
    );
    order(
        &mut store,
        "SO-3",
        22,
        high,
        partial,
        &[("VASE-3", 1), ("BOX-7", 1), ("MUG-01", 2)],
    );
    order(
        &mut store,
        "SO-4",
        23,
        normal,
        complete,
        &[("MUG-01", 1), ("LAMP-10", 5)],
    );
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: NaiveDate::from_ymd_opt(2026, 3, 1),
        confirmed: false,
        lines: vec![("LAMP-10".into(), 10, None)],
    };
    create_po(&mut store, &po, &clock()).expect("po");
    receive(
        &mut store,
        "PO-1",
        Some(("LAMP-10", 4)),
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        &clock(),
    )
    .expect("receive");
    store
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("extract text")
}

fn positions(text: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|needle| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} not in:\n{text}"))
        })
        .collect()
}

#[test]
fn waiting_orders_come_first_and_picking_ships_exactly_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = shop(&dir.path().join("shop.sqlite"));
    let request = PickListRequest {
        layout: PickLayout::ByOrder,
        orders: None,
    };
    let sheet = create_pick_list(&mut store, &request, &clock()).expect("list");
    assert_eq!(sheet.list_number, "PL-000001");
    // SO-1 and SO-2 waited; SO-3 is high priority; SO-4 ships complete and still waits.
    let numbers: Vec<&str> = sheet
        .orders
        .iter()
        .map(|o| o.order_number.as_str())
        .collect();
    assert_eq!(numbers, vec!["SO-1", "SO-2", "SO-3"]);
    let so2: Vec<(&str, i64, i64)> = sheet.orders[1]
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.pick, l.open))
        .collect();
    // Bin order inside the order: A2 before A10.
    assert_eq!(so2, vec![("MUG-01", 1, 1), ("LAMP-10", 1, 2)]);
    let so3: Vec<&str> = sheet.orders[2]
        .lines
        .iter()
        .map(|l| l.sku.as_str())
        .collect();
    assert_eq!(so3, vec!["MUG-01", "BOX-7", "VASE-3"]);

    let report = mark_picked(&mut store, "PL-000001", &clock()).expect("picked");
    assert_eq!(report.units, 3 + 2 + 4);
    assert_eq!(report.orders, vec!["SO-1", "SO-2", "SO-3"]);
    assert_eq!(report.completed, vec!["SO-1", "SO-3"]);

    // The shipments in the ledger, in the order of work.
    let mut statement = store
        .connection()
        .prepare(
            "SELECT p.sku, m.kind, m.quantity, m.reason FROM stock_movements m
             JOIN products p ON p.product_id = m.product_id
             WHERE m.kind = 'shipment' ORDER BY m.movement_id",
        )
        .expect("query");
    let shipped: Vec<(String, String, i64, String)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    drop(statement);
    let expected = [
        ("LAMP-10", -3, "Order SO-1"),
        ("MUG-01", -1, "Order SO-2"),
        ("LAMP-10", -1, "Order SO-2"),
        ("MUG-01", -2, "Order SO-3"),
        ("BOX-7", -1, "Order SO-3"),
        ("VASE-3", -1, "Order SO-3"),
    ];
    assert_eq!(shipped.len(), expected.len());
    for (row, (sku, quantity, reason)) in shipped.iter().zip(expected) {
        assert_eq!(
            (row.0.as_str(), row.1.as_str(), row.2, row.3.as_str()),
            (sku, MovementKind::Shipment.code(), quantity, reason)
        );
    }
    let status = |number: &str| -> String {
        store
            .connection()
            .query_row(
                "SELECT status FROM orders WHERE order_number = ?1",
                [number],
                |row| row.get(0),
            )
            .expect("status")
    };
    assert_eq!(status("SO-1"), "shipped");
    assert_eq!(status("SO-2"), "open");
    assert_eq!(status("SO-3"), "shipped");
    assert_eq!(status("SO-4"), "open");
    // On hand: lamps 4 − 4 = 0, mugs 10 − 3 = 7; the ledger agrees.
    let on_hand = |sku: &str| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT on_hand FROM products WHERE sku = ?1",
                [sku],
                |row| row.get(0),
            )
            .expect("on hand")
    };
    assert_eq!(on_hand("LAMP-10"), 0);
    assert_eq!(on_hand("MUG-01"), 7);
    assert!(store.ledger_mismatches().expect("ledger").is_empty());

    // Picked once only; the list prints again with the same quantities.
    let again = mark_picked(&mut store, "PL-000001", &clock());
    assert!(matches!(again, Err(PickListError::Invalid(_))), "{again:?}");
    let reprint = load_pick_list(&store, "PL-000001").expect("reprint");
    assert_eq!(reprint.orders.len(), 3);
    assert_eq!(reprint.orders[1].lines[1].pick, 1);
    assert_eq!(
        reprint.orders[0].order_number, "SO-1",
        "the printed order of work is kept"
    );
}

#[test]
fn a_stale_list_ships_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = shop(&dir.path().join("shop.sqlite"));
    let request = PickListRequest {
        layout: PickLayout::BySku,
        orders: Some(vec!["SO-3".into(), "SO-1".into()]),
    };
    let sheet = create_pick_list(&mut store, &request, &clock()).expect("list");
    assert_eq!(sheet.orders.len(), 2);
    assert_eq!(sheet.orders[0].order_number, "SO-1");
    let so3 = order_id_by_number(store.connection(), "SO-3")
        .expect("query")
        .expect("SO-3");
    cancel_order(&mut store, so3, &clock()).expect("cancel");
    let error = mark_picked(&mut store, &sheet.list_number, &clock()).expect_err("stale");
    assert!(matches!(error, PickListError::Stale { .. }), "{error:?}");
    assert!(
        error.to_string().contains("order SO-3 is cancelled"),
        "{error}"
    );
    let shipments: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM stock_movements WHERE kind = 'shipment'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(shipments, 0, "nothing shipped, not even SO-1");
    // An order that is not ready cannot be chosen.
    let not_ready = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: Some(vec!["SO-4".into()]),
        },
        &clock(),
    )
    .expect_err("SO-4 waits");
    assert!(
        not_ready.to_string().contains("ships complete"),
        "{not_ready}"
    );
}

#[test]
fn pdf_text_reads_in_bin_order_with_page_numbers_and_accents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = shop(&dir.path().join("shop.sqlite"));
    store
        .set_setting("shop_name", "Smørrebrød & Söhne")
        .expect("setting");
    let settings = document_settings(&store).expect("settings");
    assert_eq!(settings.paper, Paper::Letter);
    let request = PickListRequest {
        layout: PickLayout::BySku,
        orders: None,
    };
    let sheet = create_pick_list(&mut store, &request, &clock()).expect("list");
    let pdf = pick_list_pdf(&sheet, &settings, PickLayout::BySku, Paper::A4).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let text = text_of(&pdf);
    let found = positions(&text, &["MUG-01", "LAMP-10", "BOX-7", "VASE-3"]);
    assert!(found.windows(2).all(|w| w[0] < w[1]), "bin order: {text}");
    for needle in [
        "Smørrebrød & Söhne",
        "Pick list PL-000001",
        "Café crème mug",
        "über",
        "Øresund vase",
        "page 1 of 1",
        "3 orders · 6 lines · 9 units",
        "pick 1 of 2 — 1 backordered, ships",
        "SO-1 ×3, SO-2 ×1",
    ] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }

    // By order, and the packing slip of the half-shipped SO-2.
    let by_order =
        pick_list_pdf(&sheet, &settings, PickLayout::ByOrder, Paper::Letter).expect("pdf");
    let text = text_of(&by_order);
    let found = positions(&text, &["SO-1", "SO-2", "SO-3"]);
    assert!(
        found.windows(2).all(|w| w[0] < w[1]),
        "order of work: {text}"
    );
    mark_picked(&mut store, &sheet.list_number, &clock()).expect("picked");
    let slip = load_packing_slip(&store, "SO-2", DateStyle::DayFirst).expect("slip");
    let pdf = packing_slip_pdf(&slip, &settings, Paper::A4, clock().now()).expect("slip pdf");
    let text = text_of(&pdf);
    for needle in [
        "Packing slip",
        "Shipped",
        "Still to follow",
        "LAMP-10",
        "page 1 of 1",
    ] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
    assert_eq!(slip.content.to_follow.len(), 1);
    assert_eq!(slip.content.to_follow[0].quantity, 1);
}

#[test]
fn a_long_list_gets_page_numbers_on_every_page() {
    let orders: Vec<PickOrder> = (0..40)
        .map(|o| PickOrder {
            order_id: backorder_desk::domain::ids::OrderId(o),
            order_number: format!("SO-{o:03}"),
            customer_name: format!("Customer {o}"),
            ordered_at: at(1),
            priority: Priority::Normal,
            waited: o % 3 == 0,
            lines: (0..3)
                .map(|l| PickLine {
                    line_id: o * 10 + l,
                    sku: format!("SKU-{o}-{l}"),
                    name: "A rather long product name that needs more than one line in the item column of the table".into(),
                    location: format!("A{}", l + 1),
                    pick: 1,
                    open: 2,
                    window: None,
                })
                .collect(),
        })
        .collect();
    let document = PickListDocument {
        shop_name: "Shop",
        list_number: "PL-000009",
        created_at: at(1),
        layout: PickLayout::ByOrder,
        date_style: DateStyle::MonthFirst,
        orders: &orders,
    };
    let pdf = render_pick_list(&document, Paper::A4).expect("pdf");
    let text = text_of(&pdf);
    let pages = (2..20)
        .find(|n| text.contains(&format!("page {n} of {n}")))
        .expect("a last page");
    for page in 1..=pages {
        assert!(
            text.contains(&format!("page {page} of {pages}")),
            "page {page} of {pages}"
        );
    }
    assert!(text.contains("SO-039"));
    assert!(text.contains("(continued)") || pages >= 2);
}

#[test]
fn the_packing_slip_and_the_pick_list_by_order_say_where_the_parcel_goes() {
    use backorder_desk::domain::ship_to::ShipTo;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = shop(&dir.path().join("shop.sqlite"));
    let address = ShipTo {
        name: "Léa Martin".into(),
        company: "Atelier Lumière".into(),
        address1: "13 rue de Berri".into(),
        address2: String::new(),
        city: "Paris".into(),
        postal_code: "75008".into(),
        region: String::new(),
        country: "FR".into(),
        phone: "+33 1 23 45 67 89".into(),
    };
    let so3 = order_id_by_number(store.connection(), "SO-3")
        .expect("query")
        .expect("SO-3");
    backorder_desk::app::orders::update_ship_to(&mut store, so3, &address, None).expect("saved");
    let settings = document_settings(&store).expect("settings");

    let slip = load_packing_slip(&store, "SO-3", DateStyle::MonthFirst).expect("slip");
    assert_eq!(slip.ship_to, address);
    let pdf = packing_slip_pdf(&slip, &settings, Paper::A4, at(28)).expect("pdf");
    let text = text_of(&pdf);
    let found = positions(
        &text,
        &[
            "SHIP TO",
            "Léa Martin",
            "Atelier Lumière",
            "13 rue de Berri",
            "75008 Paris",
            "FR",
            "Phone +33 1 23 45 67 89",
            "Shipped",
        ],
    );
    assert!(found.windows(2).all(|w| w[0] < w[1]), "{text}");

    let list = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: None,
        },
        &clock(),
    )
    .expect("list");
    assert_eq!(
        list.ship_to.get(&so3.0).map(String::as_str),
        Some(
            "Léa Martin, Atelier Lumière, 13 rue de Berri, 75008 Paris, FR, Phone +33 1 23 45 67 89"
        )
    );
    let pdf = pick_list_pdf(&list, &settings, PickLayout::ByOrder, Paper::A4).expect("pdf");
    let text = text_of(&pdf);
    assert!(
        text.contains("Ship to: Léa Martin, Atelier Lumière, 13 rue de Berri"),
        "{text}"
    );
    // Orders without an address print no ship-to line.
    assert_eq!(text.matches("Ship to:").count(), 1, "{text}");
}

/// The shop's three-order example: 1004 never waited (a mug in stock, ordered Jan 9); 1001 and
/// 1002 waited for lamps (ordered Jan 10 and 11) and are filled by a receipt on Jan 15. The
/// list puts the orders that waited first although 1004 is the oldest.
pub fn three_orders(path: &Path) -> Store {
    let jan = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).expect("date");
    let mut store = Store::open(path).expect("open");
    let on = |d: u32| Clock::fixed(jan(d));
    for (sku, stock) in [("LAMP", 0), ("MUG", 5)] {
        let draft = ProductDraft {
            sku: sku.into(),
            name: format!("{sku} product"),
            location: "A1".into(),
            supplier: "Acme".into(),
            lead_time_days: "40".into(),
            price: "10.00".into(),
            ..ProductDraft::default()
        };
        save_product(&mut store, None, &draft, stock, &on(5)).expect("product");
    }
    for (number, day, sku) in [
        ("1004", 9, "MUG"),
        ("1001", 10, "LAMP"),
        ("1002", 11, "LAMP"),
    ] {
        let input = OrderInput {
            order_number: number.into(),
            customer_name: format!("Customer {number}"),
            customer_email: String::new(),
            ordered_at: None,
            priority: Priority::Normal,
            ship: ShipPreference::Partial,
            lines: vec![(sku.into(), 1)],
        };
        place_order(&mut store, &input, &on(day)).expect("order");
    }
    let po = PoInput {
        po_number: "PO-1".into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: Some(jan(14)),
        confirmed: false,
        lines: vec![("LAMP".into(), 2, None)],
    };
    create_po(&mut store, &po, &on(12)).expect("po");
    receive(&mut store, "PO-1", None, jan(15), &on(15)).expect("receive");
    store
}

#[test]
fn orders_that_waited_come_before_an_older_order_that_never_waited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = three_orders(&dir.path().join("shop.sqlite"));
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 1, 15).expect("date"));
    assert_eq!(
        order_of_work(&store).expect("plan"),
        ["1001", "1002", "1004"]
    );
    let sheet = create_pick_list(
        &mut store,
        &PickListRequest {
            layout: PickLayout::ByOrder,
            orders: None,
        },
        &clock,
    )
    .expect("list");
    let numbers: Vec<(&str, bool)> = sheet
        .orders
        .iter()
        .map(|o| (o.order_number.as_str(), o.waited))
        .collect();
    assert_eq!(
        numbers,
        vec![("1001", true), ("1002", true), ("1004", false)]
    );
    // Printed again, the saved list keeps that order.
    let again = load_pick_list(&store, &sheet.list_number).expect("again");
    let numbers: Vec<&str> = again
        .orders
        .iter()
        .map(|o| o.order_number.as_str())
        .collect();
    assert_eq!(numbers, vec!["1001", "1002", "1004"]);
}
