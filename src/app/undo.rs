//! Undoing the last import: its rows and ledger movements go in one transaction, the products it
//! changed get their earlier fields back, and stock and promises are matched again the way every
//! other change does it.
//!
//! Only the newest import still in effect can be undone, and only while nothing done later
//! depends on it: an imported order shipped or cancelled by hand, stock it brought since
//! shipped, a product it touched edited or ordered since. The refusal names what stands in the
//! way.

use thiserror::Error;

use super::Clock;
use super::orders::reallocate;
use super::promises::recompute;
use crate::domain::allocation::Allocated;
use crate::store::Connection;
use crate::store::batches::{
    ImportBatch, UndoCounts, import_batch, import_batches, last_active_batch, undo_batch,
    undo_blockers, undo_counts,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum UndoError {
    #[error(
        "There is no import to undo (imports made before this version of the app are not recorded)"
    )]
    NothingToUndo,
    #[error("There is no import {0}; `imports` lists them")]
    NotFound(i64),
    #[error("{label} was already undone on {at}")]
    AlreadyUndone { label: String, at: String },
    #[error("{later} came after {label}: undo the later import first")]
    LaterImport { label: String, later: String },
    #[error("{label} cannot be undone because later changes depend on it: {}", reasons.join("; "))]
    Blocked { label: String, reasons: Vec<String> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An import that can be undone, with what undoing it takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPlan {
    pub batch: ImportBatch,
    pub counts: UndoCounts,
}

impl UndoPlan {
    /// What the undo removes and restores, one short sentence each.
    pub fn effects(&self) -> Vec<String> {
        effects(&self.counts, false)
    }
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoReport {
    pub batch: ImportBatch,
    pub counts: UndoCounts,
    /// Stock that went to other waiting lines once the import's reservations were gone (or was
    /// taken back from lines when the import's stock left).
    pub allocated: Vec<Allocated>,
}

impl UndoReport {
    /// What the undo removed and restored, one short sentence each.
    pub fn effects(&self) -> Vec<String> {
        effects(&self.counts, true)
    }
}

fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn effects(counts: &UndoCounts, done: bool) -> Vec<String> {
    let verb = |now: &'static str, then: &'static str| if done { then } else { now };
    let removes = verb("removes", "removed");
    let mut out = Vec::new();
    if counts.products_removed > 0 {
        out.push(format!(
            "{removes} {} it added",
            plural(counts.products_removed, "product", "products")
        ));
    }
    if counts.products_restored > 0 {
        out.push(format!(
            "{} {} it changed their earlier values",
            verb("gives", "gave"),
            plural(counts.products_restored, "product", "products")
        ));
    }
    if counts.movements_removed > 0 {
        out.push(format!(
            "{} {} ({:+} units on hand)",
            verb("takes back", "took back"),
            plural(counts.movements_removed, "stock change", "stock changes"),
            -counts.units_removed
        ));
    }
    if counts.orders_removed > 0 {
        out.push(format!(
            "{removes} {} ({})",
            plural(counts.orders_removed, "order", "orders"),
            plural(counts.order_lines_removed, "line", "lines")
        ));
    }
    if counts.orders_restored > 0 {
        out.push(format!(
            "{} {} it changed their earlier state (what it cancelled, shipped or re-addressed)",
            verb("gives", "gave"),
            plural(counts.orders_restored, "order", "orders")
        ));
    }
    if counts.customers_removed > 0 {
        out.push(format!(
            "{removes} {} with no other orders",
            plural(counts.customers_removed, "customer", "customers")
        ));
    }
    if counts.purchase_orders_removed > 0 {
        out.push(format!(
            "{removes} {} ({})",
            plural(
                counts.purchase_orders_removed,
                "purchase order",
                "purchase orders"
            ),
            plural(counts.po_lines_removed, "line", "lines")
        ));
    }
    if counts.suppliers_removed > 0 {
        out.push(format!(
            "{removes} {} used by nothing else",
            plural(counts.suppliers_removed, "supplier", "suppliers")
        ));
    }
    if counts.drafts_removed > 0 {
        out.push(format!(
            "{removes} {} it made for other orders",
            plural(
                counts.drafts_removed,
                "unsent message draft",
                "unsent message drafts"
            )
        ));
    }
    if out.is_empty() {
        out.push(format!(
            "{} nothing (its rows are already gone)",
            verb("changes", "changed")
        ));
    }
    out
}

/// Every recorded import, newest first (for `imports` and the window).
pub fn list_imports(store: &Store) -> Result<Vec<ImportBatch>, UndoError> {
    Ok(import_batches(store.connection())?)
}

/// The import to undo (`None`: the newest in effect), checked: it exists, is the newest in
/// effect, and nothing later depends on it.
fn checked_batch(conn: &Connection, batch_id: Option<i64>) -> Result<ImportBatch, UndoError> {
    let batch = match batch_id {
        None => last_active_batch(conn)?.ok_or(UndoError::NothingToUndo)?,
        Some(id) => import_batch(conn, id)?.ok_or(UndoError::NotFound(id))?,
    };
    if let Some(at) = &batch.undone_at {
        return Err(UndoError::AlreadyUndone {
            label: batch.label(),
            at: at.get(..16).unwrap_or(at).to_owned(),
        });
    }
    if let Some(later) = last_active_batch(conn)?
        && later.batch_id > batch.batch_id
    {
        return Err(UndoError::LaterImport {
            label: batch.label(),
            later: capitalised(&later.label()),
        });
    }
    let reasons = undo_blockers(conn, &batch)?;
    if !reasons.is_empty() {
        return Err(UndoError::Blocked {
            label: capitalised(&batch.label()),
            reasons,
        });
    }
    Ok(batch)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Checks that an import can be undone and counts what the undo would take back.
pub fn plan_undo(store: &Store, batch_id: Option<i64>) -> Result<UndoPlan, UndoError> {
    let conn = store.connection();
    let batch = checked_batch(conn, batch_id)?;
    let counts = undo_counts(conn, &batch)?;
    Ok(UndoPlan { batch, counts })
}

/// Undoes an import (`None`: the newest in effect) in one transaction: everything it wrote is
/// taken back, or nothing is.
pub fn undo_import(
    store: &mut Store,
    batch_id: Option<i64>,
    clock: &Clock,
) -> Result<UndoReport, UndoError> {
    let now = clock.now_text();
    // Refused before anything is written; else the shop file is backed up first.
    checked_batch(store.connection(), batch_id)?;
    super::backup::backup_before(store, crate::domain::backup::BackupReason::Undo, clock)?;
    store.in_transaction_with(|tx| {
        // Checked again inside the transaction: nothing can change between check and undo.
        let batch = checked_batch(tx, batch_id)?;
        let (counts, products) = undo_batch(tx, &batch, &now)?;
        let mut allocated = Vec::new();
        for product_id in products {
            allocated.extend(reallocate(tx, product_id)?);
        }
        recompute(tx, clock.today(), &format!("undo of {}", batch.label()))?;
        super::notify::draft_ready(tx, &allocated, &now)?;
        Ok(UndoReport {
            batch,
            counts,
            allocated,
        })
    })
}
