//! `imports` and `undo-import`.

use std::io::Write;

use crate::app::Clock;
use crate::app::import::ImportKind;
use crate::app::undo::{list_imports, plan_undo, undo_import};
use crate::store::Store;

fn kind_label(code: &str) -> &str {
    ImportKind::from_code(code).map_or(code, |kind| kind.label())
}

/// Every recorded import, newest first, with whether it is still in effect.
pub fn list(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let batches = list_imports(store)?;
    if batches.is_empty() {
        writeln!(out, "No imports recorded")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:>5}  {:<16}  {:<15}  {:>6} {:>8} {:>10} {:>7}  {:<24} File",
        "Batch", "Imported", "Kind", "New", "Updated", "Unchanged", "Errors", "Status"
    )?;
    for batch in &batches {
        let status = match &batch.undone_at {
            Some(at) => format!("undone {}", at.get(..16).unwrap_or(at)),
            None => "in effect".to_owned(),
        };
        writeln!(
            out,
            "{:>5}  {:<16}  {:<15}  {:>6} {:>8} {:>10} {:>7}  {:<24} {}",
            batch.batch_id,
            batch.imported_at.get(..16).unwrap_or(&batch.imported_at),
            kind_label(&batch.kind),
            batch.rows_new,
            batch.rows_updated,
            batch.rows_unchanged,
            batch.rows_with_errors,
            status,
            batch.file_name
        )?;
    }
    Ok(())
}

/// Undoes the newest import in effect (or `batch`, if it is that one); `--dry-run` only says
/// what would be taken back.
pub fn undo(
    store: &mut Store,
    batch: Option<i64>,
    dry_run: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if dry_run {
        let plan = plan_undo(store, batch)?;
        writeln!(
            out,
            "Undoing {} of {} would:",
            plan.batch.label(),
            kind_label(&plan.batch.kind)
        )?;
        for effect in plan.effects() {
            writeln!(out, "  {effect}")?;
        }
        writeln!(out, "Nothing was changed.")?;
        return Ok(());
    }
    let report = undo_import(store, batch, &clock)?;
    writeln!(
        out,
        "Undid {} of {}:",
        report.batch.label(),
        kind_label(&report.batch.kind)
    )?;
    for effect in report.effects() {
        writeln!(out, "  {effect}")?;
    }
    let mut orders: Vec<&str> = report
        .allocated
        .iter()
        .filter(|moved| moved.quantity > 0)
        .map(|moved| moved.order_number.as_str())
        .collect();
    orders.dedup();
    if !orders.is_empty() {
        writeln!(out, "  freed stock went to {}", orders.join(", "))?;
    }
    Ok(())
}
