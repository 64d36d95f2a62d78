//! Edit › Undo: one stack of undo points, kept in the shop file, for the actions that change
//! many orders or products at once (apply all suggestions, receive all, ship reserved, mark a
//! pick list picked).
//!
//! Each such action runs with [`recorded`]: its transaction writes an undo point with the
//! action's name. [`undo_last`] takes the newest point back in one transaction: every column
//! the action changed gets its earlier value, rows it added go, stock it moved is moved back
//! by new ledger movements ("undo: …"), promises are computed again. It refuses, naming them,
//! when later changes depend on what the action did: a changed row, or stock it brought that
//! orders placed later now hold.

use thiserror::Error;

use super::Clock;
use super::orders::reallocate;
use super::promises::recompute;
use crate::domain::allocation::Allocated;
use crate::store::undo::{
    RestoreCounts, UndoPoint, blockers, overcommitted, restore_point, top_point,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum UndoStackError {
    #[error("There is nothing to undo")]
    NothingToUndo,
    #[error("“{label}” cannot be undone because later changes depend on it: {}. Nothing was changed.", reasons.join("; "))]
    Blocked { label: String, reasons: Vec<String> },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A dry run's report (never shown: [`plan_undo`] returns it).
    #[error("dry run")]
    DryRun(Box<UndoReport>),
}

/// What undoing a point does (planned) or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoReport {
    pub point: UndoPoint,
    pub counts: RestoreCounts,
    /// Stock that moved between waiting lines once the action was taken back.
    pub allocated: Vec<Allocated>,
}

fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

impl UndoReport {
    /// What the undo puts back, one short sentence each (`done`: in the past tense).
    pub fn effects(&self, done: bool) -> Vec<String> {
        let verb = |now: &'static str, then: &'static str| if done { then } else { now };
        let counts = &self.counts;
        let mut out = Vec::new();
        for (table, one, many) in [
            ("products", "product", "products"),
            ("orders", "order", "orders"),
            ("order_lines", "order line", "order lines"),
            ("purchase_orders", "purchase order", "purchase orders"),
            ("po_lines", "purchase order line", "purchase order lines"),
            ("pick_lists", "pick list", "pick lists"),
        ] {
            let restored = counts.restored(table);
            if restored > 0 {
                out.push(format!(
                    "{} {} their earlier values",
                    verb("gives", "gave"),
                    plural(restored, one, many)
                ));
            }
        }
        if counts.movements_reversed > 0 {
            out.push(format!(
                "{} {} through the ledger ({:+} units on hand)",
                verb("reverses", "reversed"),
                plural(
                    counts.movements_reversed,
                    "stock movement",
                    "stock movements"
                ),
                -counts.units_reversed
            ));
        }
        let drafts = counts.removed("messages");
        if drafts > 0 {
            out.push(format!(
                "{} {} it made",
                verb("removes", "removed"),
                plural(drafts, "unsent message draft", "unsent message drafts")
            ));
        }
        let shipments = counts.removed("order_shipments");
        if shipments > 0 {
            out.push(format!(
                "{} {}",
                verb("removes", "removed"),
                plural(shipments, "shipment record", "shipment records")
            ));
        }
        if out.is_empty() {
            out.push(format!("{} nothing else", verb("changes", "changed")));
        }
        out
    }
}

/// The newest action that can be undone (for the menu: "Undo Apply all suggestions (280
/// products)").
pub fn next_undo(store: &Store) -> Result<Option<UndoPoint>, StoreError> {
    top_point(store.connection())
}

/// Runs `action` so that its write transaction records an undo point named `label`.
pub fn recorded<T, E>(
    store: &mut Store,
    label: &str,
    clock: &Clock,
    action: impl FnOnce(&mut Store) -> Result<T, E>,
) -> Result<T, E> {
    store.record_undo_point(label, &clock.now_text());
    let result = action(store);
    store.stop_recording();
    result
}

fn run(store: &mut Store, clock: Clock, dry_run: bool) -> Result<UndoReport, UndoStackError> {
    let now = clock.now_text();
    let today = clock.today();
    let result = store.in_transaction_with(|tx| {
        let point = top_point(tx)?.ok_or(UndoStackError::NothingToUndo)?;
        let reasons = blockers(tx, point.point_id)?;
        if !reasons.is_empty() {
            return Err(UndoStackError::Blocked {
                label: point.label,
                reasons,
            });
        }
        let reason = format!("undo: {}", point.label);
        let counts = restore_point(tx, point.point_id, &reason, &now)?;
        let held = overcommitted(tx, point.point_id)?;
        if !held.is_empty() {
            return Err(UndoStackError::Blocked {
                label: point.label,
                reasons: vec![format!(
                    "the stock it brought is now reserved for orders placed later: {}; ship or cancel those first",
                    held.join(", ")
                )],
            });
        }
        let mut allocated = Vec::new();
        for product_id in &counts.products {
            allocated.extend(reallocate(tx, *product_id)?);
        }
        recompute(tx, today, &format!("undo of {}", point.label))?;
        super::notify::draft_ready(tx, &allocated, &now)?;
        let report = UndoReport {
            point,
            counts,
            allocated,
        };
        if dry_run {
            // Rolled back: nothing of the trial stays.
            return Err(UndoStackError::DryRun(Box::new(report)));
        }
        Ok(report)
    });
    match result {
        Err(UndoStackError::DryRun(report)) => Ok(*report),
        other => other,
    }
}

/// What undoing the newest action would do, or why it cannot be undone; nothing is written
/// (the undo is tried in a transaction that is rolled back).
pub fn plan_undo(store: &mut Store, clock: &Clock) -> Result<UndoReport, UndoStackError> {
    run(store, *clock, true)
}

/// Undoes the newest recorded action, in one transaction: all of it, or nothing.
pub fn undo_last(store: &mut Store, clock: &Clock) -> Result<UndoReport, UndoStackError> {
    run(store, *clock, false)
}

/// Apply all suggestions (or one) of the policy advisor, as one undoable action.
pub fn apply_advice(
    store: &mut Store,
    products: &[crate::store::ProductId],
    clock: &Clock,
) -> Result<Vec<(String, crate::domain::BackorderPolicy)>, super::practice::PracticeError> {
    let label = match products {
        [one] => format!(
            "Apply suggestion to {}",
            store.product(*one).map(|p| p.data.sku).unwrap_or_default()
        ),
        many => format!(
            "Apply all suggestions ({})",
            plural(many.len() as u64, "product", "products")
        ),
    };
    recorded(store, &label, clock, |store| {
        super::practice::apply_advice(store, Some(products), clock)
    })
}

/// Receives everything open on a purchase order, as one undoable action.
pub fn receive_all(
    store: &mut Store,
    po_number: &str,
    date: chrono::NaiveDate,
    clock: &Clock,
) -> Result<super::purchasing::ReceiveReport, super::purchasing::PurchaseError> {
    let conn = store.connection();
    let open = crate::store::purchasing::po_id_by_number(conn, po_number)?
        .map(|po_id| crate::store::purchasing::po_detail(conn, po_id))
        .transpose()?
        .map(|detail| {
            let lines: Vec<i64> = detail
                .lines
                .iter()
                .map(crate::store::purchasing::PoLineRow::open_quantity)
                .filter(|units| *units > 0)
                .collect();
            (lines.len() as u64, lines.iter().sum::<i64>())
        })
        .unwrap_or_default();
    let label = format!(
        "Receive all on {} ({}, {} units)",
        po_number.trim(),
        plural(open.0, "line", "lines"),
        open.1
    );
    recorded(store, &label, clock, |store| {
        super::purchasing::receive(store, po_number, None, date, clock)
    })
}

/// Ships an order's reserved units with a tracking number, as one undoable action.
pub fn ship_order(
    store: &mut Store,
    order_id: crate::store::orders::OrderId,
    tracking_number: &str,
    clock: &Clock,
) -> Result<i64, super::orders::OrderError> {
    let summary = crate::store::orders::order_summary(store.connection(), order_id)?;
    let label = format!("Ship reserved units of {}", summary.order_number);
    recorded(store, &label, clock, |store| {
        super::orders::ship_order_tracked(store, order_id, tracking_number, clock)
    })
}

/// Marks a pick list picked (ships its units), as one undoable action.
pub fn mark_picked(
    store: &mut Store,
    list_number: &str,
    clock: &Clock,
) -> Result<super::picklist::PickedReport, super::picklist::PickListError> {
    let label = format!("Mark pick list {} picked", list_number.trim());
    recorded(store, &label, clock, |store| {
        super::picklist::mark_picked(store, list_number, clock)
    })
}

/// Creates the reorder screen's draft purchase orders, as one undoable action: undoing it
/// removes exactly those purchase orders (and the promises they gave are computed again).
pub fn create_draft_pos(
    store: &mut Store,
    drafts: &[crate::domain::reorder::DraftPo],
    clock: &Clock,
) -> Result<Vec<String>, super::purchasing::PurchaseError> {
    let count = drafts
        .iter()
        .filter(|draft| !draft.lines.is_empty())
        .count();
    let label = format!(
        "Create draft POs ({})",
        plural(count as u64, "purchase order", "purchase orders")
    );
    recorded(store, &label, clock, |store| {
        super::safety::create_draft_pos(store, drafts, clock)
    })
}
