//! The own product CSV format (cells that a spreadsheet would run as formulas are guarded).

use std::io::Write;

use super::csv_guard::write_guarded;
use crate::domain::format_cents;
use crate::domain::product::CatalogRow;

/// The header of the own product format, in this order (`track_stock` and `sku_in_shop` are
/// optional on import: files without them keep each product's stored value). `sku_in_shop` is
/// `no` for a variant the web shop has no SKU for: its `sku` is the key the desk derived from the
/// variant's place in the shop, never a SKU to write back to the shop.
pub const PRODUCT_HEADER: [&str; 13] = [
    "sku",
    "name",
    "category",
    "location",
    "unit_cost",
    "price",
    "on_hand",
    "supplier",
    "lead_time_days",
    "backorder_policy",
    "max_wait_days",
    "track_stock",
    "sku_in_shop",
];

/// Writes products in the own format, sorted by SKU.
pub fn write_products(writer: &mut dyn Write, rows: &[CatalogRow]) -> std::io::Result<()> {
    let mut sorted: Vec<&CatalogRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(PRODUCT_HEADER)?;
    for row in sorted {
        write_guarded(
            &mut csv,
            [
                row.sku.as_str(),
                row.name.as_str(),
                row.category.as_str(),
                row.location.as_str(),
                &format_cents(row.unit_cost_cents),
                &format_cents(row.price_cents),
                &row.figures.on_hand.to_string(),
                row.supplier.as_str(),
                &row.lead_time_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                row.policy.code(),
                &row.max_wait_days.to_string(),
                if row.track_stock { "yes" } else { "no" },
                if row.sku_derived { "no" } else { "yes" },
            ],
        )?;
    }
    csv.flush()?;
    Ok(())
}
