//! Catalog actions shared by the window and the command line.

use std::path::Path;

use thiserror::Error;

use super::Clock;
use super::orders::{Allocated, reallocate};
use super::promises::recompute;
use crate::domain::ProductDraft;
use crate::domain::product::FieldError;
use crate::io::{csv_products, write_atomically};
use crate::store::products::adjust_stock_in;
use crate::store::{ProductId, Store, StoreError};

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
            store.update_product(product_id, &data, &now)?;
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
        Ok((on_hand, moved))
    })?)
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
