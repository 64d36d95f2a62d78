//! Allocation invariants under random sequences of real operations on a real SQLite file:
//! never more reserved than on hand, the store's waiting and reserved figures (per line and per
//! product) agree with the lines' own quantities, a later line never holds
//! stock while an earlier line of the same priority waits, and the ledger matches on hand.
//! A product whose stock is not tracked (FREE, and A while its tracking is switched off) never
//! has a line waiting, whatever is on hand, and is never refused.

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::{adjust_stock, save_product};
use backorder_desk::app::orders::{OrderInput, cancel_line, place_order, ship_order};
use backorder_desk::app::purchasing::{PoInput, create_po, receive};
use backorder_desk::domain::BackorderPolicy;
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::store::Store;
use backorder_desk::store::orders::{OrderId, order_id_by_number, waiting_lines};
use chrono::NaiveDate;
use proptest::prelude::*;

const SKUS: [&str; 4] = ["A", "B", "NOBO", "FREE"];

#[derive(Debug, Clone)]
enum Op {
    Place {
        sku: usize,
        quantity: i64,
        high: bool,
        ship_complete: bool,
    },
    Receive {
        sku: usize,
        quantity: i64,
    },
    Ship {
        order: usize,
    },
    CancelLine {
        order: usize,
    },
    Adjust {
        sku: usize,
        delta: i64,
    },
    /// Switches stock tracking of A or FREE off or on (through the product form's save).
    ToggleTracking {
        free: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4usize, 1..6i64, any::<bool>(), any::<bool>())
            .prop_map(|(sku, quantity, high, ship_complete)| Op::Place { sku, quantity, high, ship_complete }),
        2 => (0..4usize, 1..9i64).prop_map(|(sku, quantity)| Op::Receive { sku, quantity }),
        1 => (0..40usize).prop_map(|order| Op::Ship { order }),
        1 => (0..40usize).prop_map(|order| Op::CancelLine { order }),
        1 => (0..4usize, -4..5i64).prop_map(|(sku, delta)| Op::Adjust { sku, delta }),
        1 => any::<bool>().prop_map(|free| Op::ToggleTracking { free }),
    ]
}

struct LineRow {
    product: String,
    priority: i64,
    ordered_at: String,
    order_number: String,
    line_id: i64,
    quantity: i64,
    reserved: i64,
    shipped: i64,
    cancelled: i64,
    open_order: bool,
}

#[expect(
    clippy::too_many_lines,
    reason = "every invariant of the shop checked in one pass, each with its own message"
)]
fn check_invariants(store: &Store) -> Result<(), TestCaseError> {
    let conn = store.connection();
    let mut statement = conn
        .prepare(
            "SELECT p.sku, o.priority, o.ordered_at, o.order_number, l.line_id, l.quantity,
                    l.reserved_qty, l.shipped_qty, l.cancelled_qty, o.status = 'open'
             FROM order_lines l JOIN orders o ON o.order_id = l.order_id
             JOIN products p ON p.product_id = l.product_id",
        )
        .expect("prepare");
    let lines: Vec<LineRow> = statement
        .query_map([], |row| {
            Ok(LineRow {
                product: row.get(0)?,
                priority: row.get(1)?,
                ordered_at: row.get(2)?,
                order_number: row.get(3)?,
                line_id: row.get(4)?,
                quantity: row.get(5)?,
                reserved: row.get(6)?,
                shipped: row.get(7)?,
                cancelled: row.get(8)?,
                open_order: row.get(9)?,
            })
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for line in &lines {
        let open = line.quantity - line.shipped - line.cancelled;
        prop_assert!(
            line.reserved >= 0 && line.reserved <= open,
            "line {} reserved {} open {open}",
            line.line_id,
            line.reserved
        );
        if !line.open_order {
            prop_assert_eq!(open, 0, "a closed order has open units");
        }
    }
    for sku in SKUS {
        let row = store
            .catalog_row_by_sku(sku)
            .expect("query")
            .expect("product");
        // The store's own figures agree with the lines' raw quantities: what it lists as
        // waiting per line, and what the catalog sums as reserved and waiting per product.
        let product_id = row.product_id;
        let mut expected_waiting: Vec<(i64, i64)> = lines
            .iter()
            .filter(|l| l.product == sku && l.open_order)
            .map(|l| (l.line_id, l.quantity - l.shipped - l.cancelled - l.reserved))
            .filter(|(_, waiting)| *waiting > 0)
            .collect();
        expected_waiting.sort_unstable();
        let mut listed: Vec<(i64, i64)> = waiting_lines(conn, product_id)
            .expect("waiting lines")
            .iter()
            .map(|w| (w.line_id, w.waiting))
            .collect();
        listed.sort_unstable();
        prop_assert_eq!(&listed, &expected_waiting, "{} waiting lines", sku);
        let open_lines = || {
            lines
                .iter()
                .filter(|l| l.product == sku && l.quantity > l.shipped + l.cancelled)
        };
        prop_assert_eq!(
            row.figures.backordered,
            open_lines()
                .map(|l| l.quantity - l.shipped - l.cancelled - l.reserved)
                .sum::<i64>(),
            "{} waiting units",
            sku
        );
        prop_assert_eq!(
            row.figures.reserved,
            open_lines().map(|l| l.reserved).sum::<i64>(),
            "{} reserved units",
            sku
        );
        if !row.track_stock {
            // Nothing is counted: every open line is ready at once, none waits.
            prop_assert_eq!(row.figures.backordered, 0, "{} is not tracked", sku);
            for line in lines.iter().filter(|l| l.product == sku && l.open_order) {
                prop_assert_eq!(
                    line.reserved,
                    line.quantity - line.shipped - line.cancelled,
                    "line {} of not-tracked {} waits",
                    line.line_id,
                    sku
                );
            }
            continue;
        }
        prop_assert!(
            row.figures.reserved <= row.figures.on_hand.max(0),
            "{sku}: reserved {} > on hand {}",
            row.figures.reserved,
            row.figures.on_hand
        );
        // No free stock while someone waits.
        if row.figures.backordered > 0 {
            prop_assert_eq!(
                row.figures.on_hand.max(0) - row.figures.reserved,
                0,
                "{} has free stock while customers wait",
                sku
            );
        }
        let mut queue: Vec<&LineRow> = lines
            .iter()
            .filter(|l| l.product == sku && l.quantity - l.shipped - l.cancelled > 0)
            .collect();
        queue.sort_by(|a, b| {
            b.priority
                .cmp(&a.priority)
                .then(a.ordered_at.cmp(&b.ordered_at))
                .then(a.order_number.cmp(&b.order_number))
                .then(a.line_id.cmp(&b.line_id))
        });
        for (index, earlier) in queue.iter().enumerate() {
            let earlier_waits =
                earlier.quantity - earlier.shipped - earlier.cancelled > earlier.reserved;
            if earlier_waits {
                for later in &queue[index + 1..] {
                    if later.priority == earlier.priority {
                        prop_assert_eq!(
                            later.reserved,
                            0,
                            "{} holds stock while earlier {} waits",
                            later.order_number,
                            earlier.order_number
                        );
                    }
                }
            }
        }
    }
    prop_assert!(store.ledger_mismatches().expect("ledger").is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn invariants_hold_under_random_operations(ops in prop::collection::vec(op(), 1..30), stock in 0..6i64) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
        let clock = Clock::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"));
        for (sku, policy, tracked) in [
            ("A", BackorderPolicy::Allowed, true),
            ("B", BackorderPolicy::Preorder, true),
            ("NOBO", BackorderPolicy::NotAllowed, true),
            // Not allowed, and still always orderable: its stock is not counted.
            ("FREE", BackorderPolicy::NotAllowed, false),
        ] {
            let draft = ProductDraft {
                sku: sku.into(),
                name: format!("Product {sku}"),
                supplier: "Acme".into(),
                lead_time_days: "7".into(),
                backorder_policy: policy,
                track_stock: tracked,
                ..ProductDraft::default()
            };
            save_product(&mut store, None, &draft, stock, &clock).expect("product");
        }
        let mut orders: Vec<String> = Vec::new();
        let mut po_count = 0;
        for op in ops {
            match op {
                Op::Place { sku, quantity, high, ship_complete } => {
                    let before: i64 = store.connection().query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).expect("count");
                    let input = OrderInput {
                        order_number: String::new(),
                        customer_name: "Customer".into(),
                        customer_email: "c@example.com".into(),
                        ordered_at: None,
                        priority: if high { Priority::High } else { Priority::Normal },
                        ship: if ship_complete { ShipPreference::Complete } else { ShipPreference::Partial },
                        lines: vec![(SKUS[sku].into(), quantity)],
                    };
                    if let Ok((placed, _)) = place_order(&mut store, &input, &clock) { orders.push(placed.order_number) } else {
                        // Refused only when backorders are not allowed and the stock is counted:
                        // nothing saved.
                        let row = store.catalog_row_by_sku(SKUS[sku]).expect("q").expect("product");
                        prop_assert!(
                            row.policy == BackorderPolicy::NotAllowed && row.track_stock,
                            "{} refused", SKUS[sku]
                        );
                        let after: i64 = store.connection().query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).expect("count");
                        prop_assert_eq!(before, after);
                    }
                }
                Op::Receive { sku, quantity } => {
                    po_count += 1;
                    let number = format!("PO-{po_count}");
                    let input = PoInput {
                        po_number: number.clone(),
                        supplier: "Acme".into(),
                        ordered_at: None,
                        expected_at: NaiveDate::from_ymd_opt(2026, 3, 9),
                        confirmed: false,
                        lines: vec![(SKUS[sku].into(), quantity, None)],
                    };
                    create_po(&mut store, &input, &clock).expect("po");
                    receive(&mut store, &number, None, clock.today(), &clock).expect("receive");
                }
                Op::Ship { order } => {
                    if let Some(number) = orders.get(order) {
                        let id: OrderId = order_id_by_number(store.connection(), number).expect("q").expect("order");
                        let _ = ship_order(&mut store, id, &clock);
                    }
                }
                Op::CancelLine { order } => {
                    if let Some(number) = orders.get(order) {
                        let line_id: i64 = store
                            .connection()
                            .query_row(
                                "SELECT l.line_id FROM order_lines l JOIN orders o USING (order_id) WHERE o.order_number = ?1",
                                [number],
                                |r| r.get(0),
                            )
                            .expect("line");
                        let _ = cancel_line(&mut store, line_id, &clock);
                    }
                }
                Op::ToggleTracking { free } => {
                    let sku = if free { "FREE" } else { "A" };
                    let id = store.product_id_by_sku(sku).expect("q").expect("product");
                    let data = store.product(id).expect("product").data;
                    let draft = ProductDraft {
                        sku: data.sku.clone(),
                        name: data.name.clone(),
                        supplier: data.supplier.clone(),
                        lead_time_days: data.lead_time_days.map(|d| d.to_string()).unwrap_or_default(),
                        backorder_policy: data.backorder_policy,
                        track_stock: !data.track_stock,
                        ..ProductDraft::default()
                    };
                    save_product(&mut store, Some(id), &draft, 0, &clock).expect("toggle");
                }
                Op::Adjust { sku, delta } => {
                    if delta != 0 {
                        let id = store.product_id_by_sku(SKUS[sku]).expect("q").expect("product");
                        adjust_stock(&mut store, id, delta, "Stock count", &clock).expect("adjust");
                    }
                }
            }
            check_invariants(&store)?;
        }
    }
}
