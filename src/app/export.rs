//! Writing the shop to CSV files (own formats; export → import round-trips).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use thiserror::Error;

use super::promises::backorder_lines;
use crate::domain::identity::ShopIdentity;
use crate::domain::storefront::StorefrontFormat;
use crate::io::csv_guard::write_guarded;
use crate::io::csv_import::{
    DeskStock, InventoryWriteReport, OrderLineWriter, PoLineWriter, write_shopify_inventory,
};
use crate::io::write_atomically;
use crate::store::imports::{for_each_order_line, for_each_po_line};
use crate::store::{CatalogRow, Store, StoreError};

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

/// What an export wrote: the things counted in their own words (products, orders, purchase
/// orders, waiting lines, badges) and the CSV rows they took. An order file has one row per
/// order line and state (a line shipped in part is two rows), so its rows are not its orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    pub kind: ExportKind,
    /// Products, orders, purchase orders, waiting lines or badges.
    pub items: u64,
    /// CSV rows below the header.
    pub rows: u64,
}

/// `1 order`, `2 orders`.
fn count(number: u64, one: &str, many: &str) -> String {
    if number == 1 {
        format!("1 {one}")
    } else {
        format!("{number} {many}")
    }
}

impl std::fmt::Display for Exported {
    /// `12 orders (30 rows: one per order line and state)`, `4 products`, …
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let items = match self.kind {
            ExportKind::Products => count(self.items, "product", "products"),
            ExportKind::Orders => count(self.items, "order", "orders"),
            ExportKind::PurchaseOrders => count(self.items, "purchase order", "purchase orders"),
            ExportKind::Backorders => count(self.items, "waiting line", "waiting lines"),
            ExportKind::Badges(_) => format!("{} {}", self.items, self.kind.label()),
        };
        match self.kind {
            ExportKind::Orders => write!(
                f,
                "{items} ({}: one per order line and state)",
                count(self.rows, "row", "rows")
            ),
            ExportKind::PurchaseOrders => write!(
                f,
                "{items} ({}: one per line)",
                count(self.rows, "row", "rows")
            ),
            _ => f.write_str(&items),
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
    #[error("cannot read '{path}': {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// The shop's file given to copy could not be read as one.
    #[error("{path}: {error}")]
    Source {
        path: String,
        error: crate::io::csv_import::ImportError,
    },
}

/// Writes Shopify's inventory file `from` (as the shop exported it) to `path` with the desk's
/// counts where they differ, for upload (see [`write_shopify_inventory`]): only products the
/// desk has and tracks get a count; every other row stays as the shop wrote it, so the upload
/// changes nothing the desk does not know.
pub fn export_shopify_inventory(
    store: &Store,
    from: &Path,
    location: Option<&str>,
    path: &Path,
) -> Result<InventoryWriteReport, ExportError> {
    let catalog = store.catalog()?;
    let mut by_sku: HashMap<&str, &CatalogRow> = HashMap::new();
    let mut by_identity: HashMap<&ShopIdentity, &CatalogRow> = HashMap::new();
    for row in &catalog {
        if !row.sku_derived {
            by_sku.insert(row.sku.as_str(), row);
        }
        if let Some(identity) = &row.identity {
            by_identity.insert(identity, row);
        }
    }
    let lookup = |sku: &str, identity: &ShopIdentity| -> DeskStock {
        // The shop's own key first (two variants may share a SKU), then the SKU.
        let found = by_identity.get(identity).or_else(|| {
            by_sku.get(sku).filter(|row| {
                !sku.is_empty() && row.identity.as_ref().is_none_or(|known| known == identity)
            })
        });
        match found {
            None => DeskStock::Unknown,
            Some(row) if !row.track_stock => DeskStock::NotTracked,
            Some(row) => DeskStock::Count(row.figures.on_hand),
        }
    };
    let input = std::fs::File::open(from).map_err(|source| ExportError::Read {
        path: from.display().to_string(),
        source,
    })?;
    let mut report = None;
    let mut failure = None;
    write_atomically(path, |writer| {
        match write_shopify_inventory(std::io::BufReader::new(input), &lookup, location, writer) {
            Ok(result) => {
                report = Some(result);
                Ok(())
            }
            Err(error) => {
                let message = error.to_string();
                failure = Some(error);
                Err(std::io::Error::other(message))
            }
        }
    })
    .map_err(|source| match failure.take() {
        Some(error) => ExportError::Source {
            path: from.display().to_string(),
            error,
        },
        None => ExportError::Write {
            path: path.display().to_string(),
            source,
        },
    })?;
    report.ok_or_else(|| {
        ExportError::Store(StoreError::Invalid(
            "the inventory file was not written".into(),
        ))
    })
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

/// Writes `kind` to `path` (through a temporary file). Returns what it wrote.
pub fn export(
    store: &Store,
    kind: ExportKind,
    path: &Path,
    today: NaiveDate,
) -> Result<Exported, ExportError> {
    if let ExportKind::Badges(format) = kind {
        let badges = super::practice::export_badges(store, format, path, today).map_err(
            |error| match error {
                super::practice::PracticeError::Store(error) => ExportError::Store(error),
                super::practice::PracticeError::Write { path, source } => {
                    ExportError::Write { path, source }
                }
                super::practice::PracticeError::Invalid(message) => {
                    ExportError::Store(StoreError::Invalid(message))
                }
            },
        )?;
        return Ok(Exported {
            kind,
            items: badges,
            rows: badges,
        });
    }
    let conn = store.connection();
    let mut rows = 0u64;
    let mut items = 0u64;
    let mut store_error: Option<StoreError> = None;
    let result = write_atomically(path, |out| {
        match kind {
            ExportKind::Products => {
                let catalog = store.catalog().map_err(std::io::Error::other)?;
                rows = catalog.len() as u64;
                items = rows;
                crate::io::csv_products::write_products(out, &catalog)?;
            }
            ExportKind::Orders => {
                let mut writer = OrderLineWriter::with_ship_to(out)?;
                let mut last_order = String::new();
                if let Err(error) = for_each_order_line(conn, |line, ship_to| {
                    rows += 1;
                    // Rows come order by order.
                    if rows == 1 || line.order_number != last_order {
                        items += 1;
                        last_order.clone_from(&line.order_number);
                    }
                    writer.write_with(line, ship_to)
                }) {
                    store_error = Some(error);
                    return Err(std::io::Error::other("reading orders failed"));
                }
                writer.finish()?;
            }
            ExportKind::PurchaseOrders => {
                let mut writer = PoLineWriter::new(out)?;
                let mut last_po = String::new();
                if let Err(error) = for_each_po_line(conn, |line| {
                    rows += 1;
                    // Rows come purchase order by purchase order.
                    if rows == 1 || line.po_number != last_po {
                        items += 1;
                        last_po.clone_from(&line.po_number);
                    }
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
                items = rows;
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
    Ok(Exported { kind, items, rows })
}
