//! Catalog actions shared by the window and the command line.

use std::path::Path;

use chrono::NaiveDate;
use thiserror::Error;

use super::Clock;
use super::orders::reallocate;
use super::promises::{PromiseInputs, recompute, slipping_lines_with};
use crate::domain::allocation::Allocated;
use crate::domain::product::{FieldError, backorders_closed};
use crate::domain::promise::next_order_promise;
use crate::domain::{BackorderPolicy, ProductDraft};
use crate::io::{csv_products, write_atomically};
use crate::store::products::adjust_stock_in;
use crate::store::{CatalogRow, DeleteOutcome, ProductId, Store, StoreError};

#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write '{path}': {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{sku}: {on_hand} on hand and a change of {change} would leave {after}; stock cannot go below zero, so nothing was changed. Check the count; if the stock count was wrong, record it anyway (in the window: \"Record anyway (stock count was wrong)\"; on the command line: --allow-negative)"
    )]
    BelowZero {
        sku: String,
        on_hand: i64,
        change: i64,
        after: i64,
    },
}

/// Validates the draft and adds it (`existing = None`) or saves it over `existing`.
pub fn save_product(
    store: &mut Store,
    existing: Option<ProductId>,
    draft: &ProductDraft,
    opening_stock: i64,
    clock: &Clock,
) -> Result<ProductId, CatalogError> {
    let data = draft.validate().map_err(CatalogError::Invalid)?;
    let now = clock.now_text();
    match existing {
        Some(product_id) => {
            let was_tracked = store.product(product_id)?.data.track_stock;
            store.update_product(product_id, &data, &now)?;
            if was_tracked != data.track_stock {
                // Not tracked: every waiting line is ready at once. Tracked again: what is
                // reserved beyond what is on hand goes back to waiting, newest first.
                store.in_transaction(|tx| {
                    let moved = reallocate(tx, product_id)?;
                    recompute(tx, clock.today(), "stock tracking changed")?;
                    super::notify::draft_ready(tx, &moved, &now)?;
                    Ok(())
                })?;
            }
            Ok(product_id)
        }
        None => Ok(store.insert_product(&data, opening_stock, &now)?),
    }
}

/// Adds (or removes) stock with a reason through the ledger, then matches the product's free
/// stock to its waiting lines and recomputes promises, all in one transaction. Returns the new
/// on hand and what moved.
pub fn adjust_stock(
    store: &mut Store,
    product_id: ProductId,
    quantity: i64,
    reason: &str,
    clock: &Clock,
) -> Result<(i64, Vec<Allocated>), CatalogError> {
    let now = clock.now_text();
    Ok(store.in_transaction(|tx| {
        let on_hand = adjust_stock_in(tx, product_id, quantity, reason, &now)?;
        let moved = reallocate(tx, product_id)?;
        recompute(
            tx,
            clock.today(),
            &format!("stock adjusted: {}", reason.trim()),
        )?;
        super::notify::draft_ready(tx, &moved, &now)?;
        Ok((on_hand, moved))
    })?)
}

/// [`adjust_stock`] for people (the window and the command line): a change that takes a
/// tracked product's stock below zero is refused unless `allow_negative` (the shop says the
/// stock count was wrong).
pub fn adjust_stock_checked(
    store: &mut Store,
    product_id: ProductId,
    change: i64,
    reason: &str,
    allow_negative: bool,
    clock: &Clock,
) -> Result<(i64, Vec<Allocated>), CatalogError> {
    // A change out of range is told as such first (not as stock below zero).
    crate::domain::limits::check_stock_change("the stock change", change)
        .map_err(|error| StoreError::Invalid(format!("{error}; nothing was changed")))?;
    let record = store.product(product_id)?;
    if record.data.track_stock
        && !allow_negative
        && let Some(after) = crate::domain::ledger::below_zero(record.on_hand, change)
    {
        return Err(CatalogError::BelowZero {
            sku: record.data.sku,
            on_hand: record.on_hand,
            change,
            after,
        });
    }
    adjust_stock(store, product_id, change, reason, clock)
}

/// Deletes a product without history, or archives one with history (nothing is lost).
pub fn delete_product(
    store: &mut Store,
    product_id: ProductId,
    clock: &Clock,
) -> Result<DeleteOutcome, CatalogError> {
    Ok(store.delete_product(product_id, &clock.now_text())?)
}

/// Every catalog row with its stock figures, and for products with nothing available the window a
/// new order would get today.
pub fn catalog_rows(store: &Store, today: NaiveDate) -> Result<Vec<CatalogRow>, CatalogError> {
    let mut rows = store.catalog()?;
    fill_next_windows(store, &mut rows, today)?;
    Ok(rows)
}

/// Marks the rows whose backorder cutoff has passed, counts the waiting lines whose date moves
/// every day without a PO, and fills `next_window` of the rows with nothing available (policy
/// in force allowing backorders).
pub fn fill_next_windows(
    store: &Store,
    rows: &mut [CatalogRow],
    today: NaiveDate,
) -> Result<(), CatalogError> {
    let inputs = PromiseInputs::load(store.connection(), today)?;
    let slipping = slipping_lines_with(store.connection(), &inputs, today)?;
    for row in rows.iter_mut() {
        row.backorders_closed = backorders_closed(row.backorder_cutoff, today);
        row.slipping_lines = slipping.get(&row.product_id).copied().unwrap_or(0);
        if row.figures.available() > 0 || row.policy_in_force() == BackorderPolicy::NotAllowed {
            continue;
        }
        let context = inputs.context(
            today,
            row.product_id,
            row.lead_time_days,
            row.max_wait_days,
            row.supplier_id,
        );
        let arrivals = inputs.arrivals(row.product_id);
        row.next_window = next_order_promise(row.figures.backordered, &arrivals, &context).window;
    }
    Ok(())
}

/// Writes the catalog in the own product format. Returns the number of products written.
pub fn export_products(store: &Store, path: &Path) -> Result<usize, CatalogError> {
    let rows = store.catalog()?;
    write_atomically(path, |writer| csv_products::write_products(writer, &rows)).map_err(
        |source| CatalogError::Write {
            path: path.display().to_string(),
            source,
        },
    )?;
    Ok(rows.len())
}
