//! Safety stock from history on a fixture shop, reorder suggestions, draft purchase orders,
//! and the `safety-stock` and `reorder` commands.

use crate::common::safety_shop;
use crate::common::{TODAY, desk, desk_args, succeeded};

use std::process::Output;

use backorder_desk::app::jobs::Progress;
use backorder_desk::app::safety::{
    DraftPo, LeadTimeSource, SafetySettings, create_draft_pos, draft_pos, product_history,
    reorder_suggestions,
};
use backorder_desk::domain::safety_stock::Method;
use backorder_desk::store::Store;
use backorder_desk::store::purchasing::{po_detail, po_id_by_number};
use backorder_desk::store::safety::{OrderRules, demand_sums, set_order_rules};
use safety_shop::{clock, day, shop, today};
use serde_json::Value;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn daily_demand_counts_zero_days_and_leaves_out_cancelled_units() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    let mug = store.product_id_by_sku("MUG").expect("query").expect("MUG");
    let (position, history) = product_history(&store, mug, today(), 180).expect("history");
    // The 180 complete days before today.
    assert_eq!(history.from, day("2025-09-02"));
    assert_eq!(history.to, day("2026-02-28"));
    assert_eq!(history.days, 180);
    // Jan 5: 30, Feb 10: 10, Feb 20: 15 + 5. Not the cancelled 50, not Aug 1, not today.
    assert_eq!(history.units, 60);
    assert_eq!(history.days_with_demand, 3);
    assert!(close(history.max_demand, 30.0));
    // Mean 60 / 180; sample sd √((900 + 100 + 400 − 180 × (1/3)²) / 179) = √(1380 / 179).
    assert!(close(history.avg_demand, 1.0 / 3.0));
    assert!(close(history.sd_demand, (1380.0_f64 / 179.0).sqrt()));
    assert!((history.sd_demand - 2.776_598_135_6).abs() < 1e-9);
    // Lead times 10, 12 and 14 days from three receipts: mean 12, sd 2, max 14; fewer than 5.
    assert_eq!(history.receipts, 3);
    assert!(history.few_receipts());
    match history.lead_time {
        LeadTimeSource::Receipts { mean, sd, max } => {
            assert!(close(mean, 12.0));
            assert!(close(sd, 2.0));
            assert!(close(max, 14.0));
        }
        other => panic!("expected receipts, got {other:?}"),
    }
    let inputs = history.inputs();
    assert_eq!(inputs.lead_time, Some(12.0));
    assert_eq!(inputs.sd_lead_time, Some(2.0));
    // 1000 opening + 30 received; 100 + 30 + 10 + 15 + 5 + 7 reserved.
    assert_eq!(position.on_hand, 1030);
    assert_eq!(position.available(), 1030 - 167);
}

#[test]
fn whole_catalog_sums_match_one_product() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    let sums = demand_sums(store.connection(), day("2025-09-02"), day("2026-02-28")).expect("sums");
    let mug = store.product_id_by_sku("MUG").expect("query").expect("MUG");
    let mug = sums[&mug];
    // Three days: 30, 10 and 15 + 5 on one day.
    assert_eq!(mug.units, 60);
    assert_eq!(mug.days_with_demand, 3);
    assert_eq!(mug.max_day, 30);
    assert!(close(mug.sum_of_squares, 1400.0));
    // Four products with demand in the window (MUG, LAMP, BULB, TENT).
    assert_eq!(sums.len(), 4);
}

#[test]
fn a_shorter_window_and_the_product_lead_time_fallback() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&shop(dir.path())).expect("open");
    let mug = store.product_id_by_sku("MUG").expect("query").expect("MUG");
    // 30 days: Jan 30 – Feb 28: only Feb 10 (10) and Feb 20 (20).
    let (_, history) = product_history(&store, mug, today(), 30).expect("history");
    assert_eq!(history.from, day("2026-01-30"));
    assert_eq!(history.units, 30);
    assert!(close(history.avg_demand, 1.0));
    // √((100 + 400 − 30) / 29)
    assert!(close(history.sd_demand, (470.0_f64 / 29.0).sqrt()));

    let lamp = store
        .product_id_by_sku("LAMP")
        .expect("query")
        .expect("LAMP");
    let (position, history) = product_history(&store, lamp, today(), 180).expect("history");
    assert_eq!(history.receipts, 0);
    assert_eq!(history.lead_time, LeadTimeSource::Fallback(10));
    let inputs = history.inputs();
    assert_eq!(inputs.lead_time, Some(10.0));
    assert_eq!(inputs.sd_lead_time, Some(0.0));
    assert_eq!(position.backordered, 4);
    assert_eq!(position.position(), -4);
}

#[test]
fn suggestions_with_multiples_and_minimum_then_pos_by_supplier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let report = reorder_suggestions(&store, today(), &Progress::default()).expect("report");
    let skus: Vec<&str> = report.suggestions.iter().map(|s| s.sku.as_str()).collect();
    // MUG has 863 available; the others have nothing and customers waiting.
    assert_eq!(skus, vec!["BULB", "LAMP", "TENT"]);
    let lamp = &report.suggestions[1];
    // Class B (95%): SS = 1.6449 × √(10 × σd²) with σd² = (16 − 180 × (4/180)²) / 179 = 4/45,
    // so SS = 1.5508, ROP = 10 × 4/180 + SS = 1.7730; EOQ = √(2 × 8.111 × 2500 ÷ (1500 × 0.25))
    // = 10.3994; order up to ⌈12.1724⌉ = 13 from a position of −4: 17.
    assert!((lamp.safety_stock - 1.550_782_871_5).abs() < 1e-6);
    assert!((lamp.reorder_point - 1.773_005_093_8).abs() < 1e-6);
    assert!((lamp.eoq.expect("eoq") - 10.399_430_18).abs() < 1e-6);
    assert_eq!(lamp.max_units, 13);
    assert_eq!(lamp.suggested_quantity, 17);
    assert_eq!(lamp.cost_cents, 17 * 1500);
    assert_eq!(lamp.days_to_stockout, Some(0.0));

    // Cases of 6, at least 20: 20 → 24.
    let lamp_id = lamp.product_id;
    set_order_rules(
        store.connection(),
        lamp_id,
        &OrderRules {
            order_multiple: 6,
            min_order_qty: 20,
            max_stock: None,
        },
    )
    .expect("rules");
    let report = reorder_suggestions(&store, today(), &Progress::default()).expect("report");
    let lamp = report
        .suggestions
        .iter()
        .find(|s| s.sku == "LAMP")
        .expect("LAMP");
    assert_eq!(lamp.suggested_quantity, 24);

    let chosen: Vec<_> = report.suggestions.iter().collect();
    let (drafts, without_supplier) = draft_pos(&chosen, today());
    assert!(without_supplier.is_empty());
    let summary: Vec<(&str, Vec<(&str, i64)>)> = drafts
        .iter()
        .map(|po| {
            (
                po.supplier.as_str(),
                po.lines
                    .iter()
                    .map(|l| (l.sku.as_str(), l.quantity))
                    .collect(),
            )
        })
        .collect();
    // BULB: class C, ⌈0.7152 + 20.1383⌉ = 21 from −2 → 23. TENT: class A, ⌈2.3871 + 3.8998⌉ = 7
    // from −1 → 8.
    assert_eq!(
        summary,
        vec![
            ("Acme", vec![("BULB", 23), ("LAMP", 24)]),
            ("Kestrel", vec![("TENT", 8)])
        ]
    );
    // Expected: today + the longest lead time of the PO's lines.
    assert_eq!(drafts[0].expected_at, Some(day("2026-03-11")));
    assert_eq!(drafts[1].expected_at, Some(day("2026-03-21")));

    let numbers = create_draft_pos(&mut store, &drafts, &clock()).expect("created");
    assert_eq!(numbers, vec!["PO-00001", "PO-00002"]);
    let conn = store.connection();
    let acme = po_detail(
        conn,
        po_id_by_number(conn, "PO-00001").expect("q").expect("po"),
    )
    .expect("detail");
    assert_eq!(acme.summary.supplier, "Acme");
    assert!(!acme.summary.confirmed);
    let lines: Vec<(&str, i64, i64)> = acme
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity, l.unit_cost_cents))
        .collect();
    assert_eq!(lines, vec![("BULB", 23, 200), ("LAMP", 24, 1500)]);
    // On order now: nothing left to reorder.
    let after = reorder_suggestions(&store, today(), &Progress::default()).expect("report");
    assert!(after.suggestions.is_empty(), "{:?}", after.suggestions);
}

#[test]
fn bad_drafts_create_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    let report = reorder_suggestions(&store, today(), &Progress::default()).expect("report");
    let chosen: Vec<_> = report.suggestions.iter().collect();
    let (mut drafts, _) = draft_pos(&chosen, today());
    drafts[1].lines[0].quantity = 0;
    let error = create_draft_pos(&mut store, &drafts, &clock()).expect_err("quantity 0");
    assert_eq!(
        error.to_string(),
        "TENT (Kestrel): the quantity 0 is less than 1; a line holds at least one unit; no \
         purchase order was created"
    );
    let empty = create_draft_pos(&mut store, &[] as &[DraftPo], &clock()).expect_err("empty");
    assert_eq!(empty.to_string(), "No purchase order has a line to order");
    let count: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM purchase_orders WHERE po_number LIKE 'PO-0%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(count, 0);
}

#[test]
fn settings_round_trip_and_are_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&shop(dir.path())).expect("open");
    assert_eq!(
        SafetySettings::load(&store).expect("load"),
        SafetySettings::default()
    );
    let settings = SafetySettings {
        service_level_pct: [99.0, 97.5, 85.0],
        order_cost_cents: 4_000,
        holding_pct: 30.0,
        window_days: 90,
        method: Method::MaxAverage,
    };
    settings.save(&mut store).expect("save");
    assert_eq!(SafetySettings::load(&store).expect("load"), settings);
    let bad = SafetySettings {
        service_level_pct: [100.0, 95.0, 90.0],
        ..settings
    };
    assert_eq!(
        bad.save(&mut store).expect_err("100%").to_string(),
        "Service level A: must be at least 50% and below 100%"
    );
    let cover = SafetySettings {
        method: Method::DaysOfCover,
        ..settings
    };
    assert!(cover.save(&mut store).is_err());
}

/// The `safety-stock` calculator, without a shop file.
fn calculator(args: &[&str]) -> Output {
    desk_args(&[&["--today", TODAY][..], args].concat())
}

#[test]
fn cli_safety_stock_all_methods_as_json() {
    let output = calculator(&[
        "safety-stock",
        "--method",
        "all",
        "--avg-demand",
        "25",
        "--sd-demand",
        "5",
        "--lead-time",
        "4",
        "--sd-lead-time",
        "1",
        "--max-demand",
        "40",
        "--max-lead-time",
        "6",
        "--z",
        "1.65",
        "--base-buffer",
        "10",
        "--cover-days",
        "3",
        "--json",
    ]);
    let list: Vec<Value> = serde_json::from_str(&succeeded(&output)).expect("json list");
    let methods: Vec<&str> = list.iter().filter_map(|v| v["method"].as_str()).collect();
    assert_eq!(
        methods,
        vec![
            "rule-of-thumb",
            "demand",
            "demand-lead-time",
            "max-average",
            "days"
        ]
    );
    let number = |index: usize, key: &str| list[index][key].as_f64().expect(key);
    // Demand: 1.65 × 5 × √4 = 16.5, ROP 116.5, 17 units.
    assert!(close(number(1, "safety_stock"), 16.5));
    assert!(close(number(1, "reorder_point"), 116.5));
    assert_eq!(list[1]["safety_stock_units"], 17);
    assert!(close(number(1, "z"), 1.65));
    // Rule of thumb: 10 + 5 × 4 = 30, no Z.
    assert!(close(number(0, "safety_stock"), 30.0));
    assert!(list[0]["z"].is_null());
    // Demand and lead time: 1.65 × √725 = 44.4276…, not rounded; 45 units.
    assert!((number(2, "safety_stock") - 44.427_610_334).abs() < 1e-6);
    assert_eq!(list[2]["safety_stock_units"], 45);
    // Max–average 40 × 6 − 100 = 140; days 25 × 3 = 75.
    assert!(close(number(3, "safety_stock"), 140.0));
    assert!(close(number(4, "reorder_point"), 175.0));
}

#[test]
fn cli_service_level_gives_z_and_one_method_is_an_object() {
    let output = calculator(&[
        "safety-stock",
        "--method",
        "demand",
        "--avg-demand",
        "25",
        "--sd-demand",
        "5",
        "--lead-time",
        "4",
        "--service-level",
        "0.95",
        "--json",
    ]);
    let value: Value = serde_json::from_str(&succeeded(&output)).expect("json object");
    assert_eq!(value["method"], "demand");
    // Z 1.644853…; SS = Z × 10 = 16.4485…
    assert!((value["z"].as_f64().expect("z") - 1.644_853_626_951_472).abs() < 1e-12);
    assert!((value["safety_stock"].as_f64().expect("ss") - 16.448_536_269_514_72).abs() < 1e-9);
    assert_eq!(value["safety_stock_units"], 17);
}

#[test]
fn cli_missing_inputs_are_named() {
    let output = calculator(&[
        "safety-stock",
        "--method",
        "demand-lead-time",
        "--avg-demand",
        "25",
        "--lead-time",
        "4",
        "--z",
        "1.65",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("demand-lead-time needs --sd-demand, --sd-lead-time"),
        "{stderr}"
    );
    let output = calculator(&["safety-stock", "--method", "sometimes"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--method must be"));
}

#[test]
fn cli_reorder_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path()).display().to_string();
    let output = desk(&db, &["reorder", "--json"]);
    let list: Vec<Value> = serde_json::from_str(&succeeded(&output)).expect("json list");
    assert_eq!(list.len(), 3);
    let lamp = list.iter().find(|v| v["sku"] == "LAMP").expect("LAMP");
    for key in [
        "sku",
        "supplier",
        "available",
        "on_order",
        "reorder_point",
        "suggested_quantity",
        "days_to_stockout",
    ] {
        assert!(lamp.get(key).is_some(), "missing {key}");
    }
    assert_eq!(lamp["supplier"], "Acme");
    assert_eq!(lamp["available"], 0);
    assert_eq!(lamp["on_order"], 0);
    assert_eq!(lamp["suggested_quantity"], 17);
    assert_eq!(lamp["days_to_stockout"], 0);
    assert!((lamp["reorder_point"].as_f64().expect("rop") - 1.773_005_093_8).abs() < 1e-6);
    let tent = list.iter().find(|v| v["sku"] == "TENT").expect("TENT");
    assert_eq!(tent["supplier"], "Kestrel");
    assert_eq!(tent["suggested_quantity"], 8);

    let table = succeeded(&desk(&db, &["reorder"]));
    assert!(table.contains("3 of 4 products to reorder"), "{table}");
}
