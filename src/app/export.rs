//! Writing the shop to CSV files (own formats; export → import round-trips).

use std::path::Path;

use chrono::NaiveDate;
use thiserror::Error;

use super::promises::backorder_lines;
use crate::domain::storefront::StorefrontFormat;
use crate::io::csv_guard::write_guarded;
use crate::io::csv_import::{OrderLineWriter, PoLineWriter};
use crate::io::write_atomically;
use crate::store::imports::{for_each_order_line, for_each_po_line};
use crate::store::{Store, StoreError};

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Products,
    Orders,
    PurchaseOrders,
    Backorders,
    /// The storefront badge of every product, for a web shop's product import.
    Badges(StorefrontFormat),
}

impl ExportKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Orders => "orders",
            Self::PurchaseOrders => "purchase orders",
            Self::Backorders => "backorders",
            Self::Badges(StorefrontFormat::Shopify) => "Shopify badges",
            Self::Badges(StorefrontFormat::WooCommerce) => "WooCommerce badges",
        }
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write '{path}': {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The header of the backorder list.
pub const BACKORDER_HEADER: [&str; 9] = [
    "order_number",
    "sku",
    "customer_email",
    "quantity_waiting",
    "queue_position",
    "eta_start",
    "eta_end",
    "covered_by_po",
    "flags",
];

/// Writes `kind` to `path` (through a temporary file). Returns the rows written.
pub fn export(
    store: &Store,
    kind: ExportKind,
    path: &Path,
    today: NaiveDate,
) -> Result<u64, ExportError> {
    if let ExportKind::Badges(format) = kind {
        return super::practice::export_badges(store, format, path, today).map_err(|error| {
            match error {
                super::practice::PracticeError::Store(error) => ExportError::Store(error),
                super::practice::PracticeError::Write { path, source } => {
                    ExportError::Write { path, source }
                }
                super::practice::PracticeError::Invalid(message) => {
                    ExportError::Store(StoreError::Invalid(message))
                }
            }
        });
    }
    let conn = store.connection();
    let mut rows = 0u64;
    let mut store_error: Option<StoreError> = None;
    let result = write_atomically(path, |out| {
        match kind {
            ExportKind::Products => {
                let catalog = store.catalog().map_err(std::io::Error::other)?;
                rows = catalog.len() as u64;
                crate::io::csv_products::write_products(out, &catalog)?;
            }
            ExportKind::Orders => {
                let mut writer = OrderLineWriter::with_ship_to(out)?;
                if let Err(error) = for_each_order_line(conn, |line, ship_to| {
                    rows += 1;
                    writer.write_with(line, ship_to)
                }) {
                    store_error = Some(error);
                    return Err(std::io::Error::other("reading orders failed"));
                }
                writer.finish()?;
            }
            ExportKind::PurchaseOrders => {
                let mut writer = PoLineWriter::new(out)?;
                if let Err(error) = for_each_po_line(conn, |line| {
                    rows += 1;
                    writer.write(line)
                }) {
                    store_error = Some(error);
                    return Err(std::io::Error::other("reading purchase orders failed"));
                }
                writer.finish()?;
            }
            ExportKind::Backorders => {
                let lines = backorder_lines(conn, today).map_err(std::io::Error::other)?;
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(BACKORDER_HEADER)?;
                for line in &lines {
                    let flags = line.flag_codes();
                    write_guarded(
                        &mut csv,
                        [
                            line.order_number.as_str(),
                            line.sku.as_str(),
                            line.customer_email.as_str(),
                            &line.quantity_waiting.to_string(),
                            &line.promise.queue_position.to_string(),
                            &line
                                .promise
                                .window
                                .map(|w| w.start.to_string())
                                .unwrap_or_default(),
                            &line
                                .promise
                                .window
                                .map(|w| w.end.to_string())
                                .unwrap_or_default(),
                            line.promise.covered_by.as_deref().unwrap_or(""),
                            &flags.join(" "),
                        ],
                    )?;
                    rows += 1;
                }
                csv.flush()?;
            }
            ExportKind::Badges(_) => {}
        }
        Ok(())
    });
    if let Some(error) = store_error {
        return Err(ExportError::Store(error));
    }
    result.map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(rows)
}
