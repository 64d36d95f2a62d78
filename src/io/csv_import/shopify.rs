//! Shopify's product CSV (old and new column names) and inventory CSV (read and write).

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::{Read, Seek, Write};

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser, SkuLines};
use super::{
    Entity, Format, ImportError, ImportOptions, ImportedProduct, MAX_UNITS, Warning, open,
};
use crate::domain::BackorderPolicy;

// ---------------------------------------------------------------------------------------------
// Product CSV

const HANDLE: usize = 0;
const TITLE: usize = 1;
const BODY: usize = 2;
const VENDOR: usize = 3;
const TYPE: usize = 4;
const OPTION_VALUES: [usize; 3] = [5, 6, 7];
const SKU: usize = 8;
const TRACKER: usize = 9;
const QUANTITY: usize = 10;
const POLICY: usize = 11;
const PRICE: usize = 12;
const COST: usize = 13;
const BARCODE: usize = 14;

/// Columns read from a Shopify product CSV. The first alias is the classic name, the second
/// the one of the newer export (`URL handle`, `Inventory quantity`, …).
pub(crate) const PRODUCT_SPECS: [ColumnSpec; 18] = [
    ColumnSpec::required("Handle", &["handle", "urlhandle"]),
    ColumnSpec::required("Title", &["title"]),
    ColumnSpec::optional("Body (HTML)", &["body(html)", "description"]),
    ColumnSpec::optional("Vendor", &["vendor"]),
    ColumnSpec::optional("Type", &["type"]),
    ColumnSpec::optional("Option1 Value", &["option1value"]),
    ColumnSpec::optional("Option2 Value", &["option2value"]),
    ColumnSpec::optional("Option3 Value", &["option3value"]),
    ColumnSpec::required("Variant SKU", &["variantsku", "sku"]),
    ColumnSpec::optional(
        "Variant Inventory Tracker",
        &["variantinventorytracker", "inventorytracker"],
    ),
    ColumnSpec::optional(
        "Variant Inventory Qty",
        &["variantinventoryqty", "inventoryquantity"],
    ),
    ColumnSpec::optional(
        "Variant Inventory Policy",
        &["variantinventorypolicy", "continuesellingwhenoutofstock"],
    ),
    ColumnSpec::optional("Variant Price", &["variantprice", "price"]),
    ColumnSpec::optional("Cost per item", &["costperitem"]),
    ColumnSpec::optional("Variant Barcode", &["variantbarcode", "barcode"]),
    // Read only so they are not reported as ignored: the option names go with the values.
    ColumnSpec::optional("Option1 Name", &["option1name"]),
    ColumnSpec::optional("Option2 Name", &["option2name"]),
    ColumnSpec::optional("Option3 Name", &["option3name"]),
];

/// Product columns of a handle's first row, for the variant rows that follow it.
#[derive(Debug, Clone)]
struct HandleInfo {
    title: String,
    body: String,
    vendor: String,
    product_type: String,
}

/// Reads Shopify product rows: one product per variant with a SKU.
#[derive(Debug, Default)]
pub(crate) struct ProductParser {
    handles: HashMap<String, HandleInfo>,
    skus: SkuLines,
}

impl RowParser for ProductParser {
    type Row = ImportedProduct;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ImportedProduct> {
        let handle = cx.text(HANDLE);
        if handle.is_empty() {
            cx.fail(HANDLE, "", "a handle is required");
            return None;
        }
        let title = cx.text(TITLE);
        if !title.is_empty() {
            let info = HandleInfo {
                title: title.into_owned(),
                body: cx.text(BODY).into_owned(),
                vendor: cx.text(VENDOR).into_owned(),
                product_type: cx.text(TYPE).into_owned(),
            };
            self.handles.insert(handle.to_string(), info);
        }

        let sku_text = cx.text(SKU);
        let option_values = OPTION_VALUES.map(|column| cx.text(column));
        let is_variant = !sku_text.is_empty()
            || option_values.iter().any(|value| !value.is_empty())
            || !cx.text(PRICE).is_empty()
            || !cx.text(QUANTITY).is_empty();
        if !is_variant {
            // An image row, or a product row whose variants follow.
            return None;
        }
        if sku_text.is_empty() {
            let line = cx.line();
            cx.warnings.push(Warning {
                line: Some(line),
                message: format!("a variant of '{handle}' has no SKU and is skipped"),
            });
            return None;
        }
        let sku = cx.sku_of(SKU, &sku_text)?;
        self.skus.first_time(cx, SKU, &sku);
        if let Some(barcode) = cx.cell(BARCODE) {
            cx.warn_if_scientific(BARCODE, &barcode);
        }

        let Some(info) = self.handles.get(handle.as_ref()) else {
            let reason = format!("no earlier row of handle '{handle}' has a title");
            cx.fail(TITLE, "", reason);
            return None;
        };
        let options: Vec<&str> = option_values
            .iter()
            .map(AsRef::<str>::as_ref)
            .filter(|value| !value.is_empty() && !value.eq_ignore_ascii_case("Default Title"))
            .collect();
        let name = if options.is_empty() {
            info.title.clone()
        } else {
            format!("{} - {}", info.title, options.join(" / "))
        };
        let name = cx.line_text_of(TITLE, &name);
        let description = cx.has(BODY).then(|| info.body.clone());
        let supplier = cx.has(VENDOR).then(|| info.vendor.clone());
        let category = cx.has(TYPE).then(|| info.product_type.clone());

        let tracked = !cx.has(TRACKER) || !cx.text(TRACKER).is_empty();
        let quantity = cx.whole(QUANTITY, -MAX_UNITS..=MAX_UNITS);
        let on_hand = if tracked { quantity } else { None };
        let backorder_policy = match cx.cell(POLICY) {
            Some(value) if !value.is_empty() => {
                let policy = match value.to_ascii_lowercase().as_str() {
                    "continue" | "true" | "yes" => Some(BackorderPolicy::Allowed),
                    "deny" | "false" | "no" => Some(BackorderPolicy::NotAllowed),
                    _ => None,
                };
                if policy.is_none() {
                    cx.fail(POLICY, &value, "must be continue or deny");
                }
                policy
            }
            _ => None,
        };
        let price_cents = cx.money(PRICE);
        let unit_cost_cents = cx.money(COST);
        Some(ImportedProduct {
            name,
            description,
            category,
            unit_cost_cents,
            price_cents,
            on_hand,
            supplier,
            backorder_policy,
            ..ImportedProduct::new(cx.line(), sku)
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Inventory CSV

const I_HANDLE: usize = 0;
const I_TITLE: usize = 1;
const I_OPTION_VALUES: [usize; 3] = [2, 3, 4];
const I_SKU: usize = 5;
const I_LOCATION: usize = 6;
const I_INCOMING: usize = 7;
const I_UNAVAILABLE: usize = 8;
const I_COMMITTED: usize = 9;
const I_AVAILABLE: usize = 10;
const I_ON_HAND: usize = 11;
const I_ON_HAND_NEW: usize = 12;

/// The header of Shopify's inventory CSV column that takes the new on-hand count.
const ON_HAND_NEW: &str = "On hand (new)";

/// Columns of Shopify's inventory CSV.
pub(crate) const INVENTORY_SPECS: [ColumnSpec; 19] = [
    ColumnSpec::optional("Handle", &["handle"]),
    ColumnSpec::optional("Title", &["title"]),
    ColumnSpec::optional("Option1 Value", &["option1value"]),
    ColumnSpec::optional("Option2 Value", &["option2value"]),
    ColumnSpec::optional("Option3 Value", &["option3value"]),
    ColumnSpec::required("SKU", &["sku"]),
    ColumnSpec::optional("Location", &["location"]),
    ColumnSpec::optional(
        "Incoming (not editable)",
        &["incoming(noteditable)", "incoming"],
    ),
    ColumnSpec::optional(
        "Unavailable (not editable)",
        &["unavailable(noteditable)", "unavailable"],
    ),
    ColumnSpec::optional(
        "Committed (not editable)",
        &["committed(noteditable)", "committed"],
    ),
    ColumnSpec::optional(
        "Available (not editable)",
        &["available(noteditable)", "available"],
    ),
    ColumnSpec::optional("On hand (current)", &["onhand(current)"]),
    ColumnSpec::optional(ON_HAND_NEW, &["onhand(new)"]),
    ColumnSpec::optional("Option1 Name", &["option1name"]),
    ColumnSpec::optional("Option2 Name", &["option2name"]),
    ColumnSpec::optional("Option3 Name", &["option3name"]),
    ColumnSpec::optional("HS Code", &["hscode"]),
    ColumnSpec::optional("COO", &["coo"]),
    ColumnSpec::optional("Bin name", &["binname"]),
];

/// A quantity cell of Shopify's inventory CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InventoryQuantity {
    /// A count of units; may be negative.
    Units(i64),
    /// The variant is not stocked at this location.
    NotStocked,
}

/// One row of Shopify's inventory CSV: a variant at a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyInventoryRow {
    /// Physical line of the row.
    pub line: u64,
    /// The product's handle.
    pub handle: String,
    /// The product's title.
    pub title: String,
    /// Option values that are set (`Default Title` left out).
    pub option_values: Vec<String>,
    /// The variant's SKU.
    pub sku: String,
    /// The shop location (a warehouse, a store).
    pub location: String,
    /// `Incoming (not editable)`.
    pub incoming: Option<InventoryQuantity>,
    /// `Unavailable (not editable)`.
    pub unavailable: Option<InventoryQuantity>,
    /// `Committed (not editable)`: units in unfulfilled orders.
    pub committed: Option<InventoryQuantity>,
    /// `Available (not editable)`: what the shop can still sell.
    pub available: Option<InventoryQuantity>,
    /// `On hand (current)`: units at the location.
    pub on_hand_current: Option<InventoryQuantity>,
    /// `On hand (new)`: the count to upload, usually empty in an export.
    pub on_hand_new: Option<InventoryQuantity>,
}

fn inventory_quantity(cx: &mut Cx<'_, '_>, column: usize) -> Option<InventoryQuantity> {
    let value = cx.cell(column)?;
    if value.eq_ignore_ascii_case("not stocked") {
        return Some(InventoryQuantity::NotStocked);
    }
    cx.whole_of(column, &value, -MAX_UNITS..=MAX_UNITS)
        .map(InventoryQuantity::Units)
}

/// Reads Shopify inventory rows; a SKU may appear once per location.
#[derive(Debug, Default)]
pub(crate) struct InventoryParser {
    seen: HashMap<(String, String), u64>,
}

impl RowParser for InventoryParser {
    type Row = ShopifyInventoryRow;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ShopifyInventoryRow> {
        let sku_text = cx.text(I_SKU);
        if sku_text.is_empty() {
            let line = cx.line();
            let title = cx.text(I_TITLE);
            cx.warnings.push(Warning {
                line: Some(line),
                message: format!("'{title}' has no SKU and is skipped"),
            });
            return None;
        }
        let sku = cx.sku_of(I_SKU, &sku_text)?;
        let location = cx.text(I_LOCATION).into_owned();
        let key = (sku.clone(), location.clone());
        if let Some(first) = self.seen.get(&key) {
            let reason = format!("duplicate SKU at location '{location}': also on line {first}");
            cx.fail(I_SKU, &sku, reason);
        } else {
            self.seen.insert(key, cx.line());
        }
        let option_values = I_OPTION_VALUES
            .iter()
            .map(|&column| cx.text(column).into_owned())
            .filter(|value| !value.is_empty() && !value.eq_ignore_ascii_case("Default Title"))
            .collect();
        Some(ShopifyInventoryRow {
            line: cx.line(),
            handle: cx.text(I_HANDLE).into_owned(),
            title: cx.text(I_TITLE).into_owned(),
            option_values,
            sku,
            location,
            incoming: inventory_quantity(cx, I_INCOMING),
            unavailable: inventory_quantity(cx, I_UNAVAILABLE),
            committed: inventory_quantity(cx, I_COMMITTED),
            available: inventory_quantity(cx, I_AVAILABLE),
            on_hand_current: inventory_quantity(cx, I_ON_HAND),
            on_hand_new: inventory_quantity(cx, I_ON_HAND_NEW),
        })
    }
}

/// What [`write_shopify_inventory`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InventoryWriteReport {
    /// Data rows written (all rows of the source, filled or not).
    pub rows_written: u64,
    /// Rows whose `On hand (new)` was filled.
    pub rows_filled: u64,
    /// Rows left alone because the variant is not stocked at that location: (line, SKU, location).
    pub not_stocked: Vec<(u64, String, String)>,
    /// SKUs of the map that the file does not have (at the chosen location), sorted.
    pub skus_not_in_file: Vec<String>,
    /// SKUs left alone because they are stocked at several locations and none was chosen, sorted.
    pub skus_in_several_locations: Vec<String>,
}

/// Copies a Shopify inventory CSV (as exported by the shop) to `out`, filling `On hand (new)`
/// from `on_hand` (SKU → units) so the numbers can be uploaded back.
///
/// With `location`, only rows of that location are filled. Without it, a SKU stocked at several
/// locations is left alone (and reported), since one number cannot be split between them.
/// Rows whose SKU is not in the map keep `On hand (new)` as it was (empty means "no change" to
/// Shopify). The output is UTF-8, comma-separated, with the source's columns in their order
/// (`On hand (new)` is added at the end if the source lacks it).
pub fn write_shopify_inventory<R, W, S>(
    mut source: R,
    on_hand: &HashMap<String, i64, S>,
    location: Option<&str>,
    out: W,
) -> Result<InventoryWriteReport, ImportError>
where
    R: Read + Seek + Send,
    W: Write,
    S: BuildHasher,
{
    let options = ImportOptions {
        format: Some(Format::ShopifyInventory),
        entity: Some(Entity::Inventory),
        ..ImportOptions::default()
    };
    let start = source.stream_position()?;

    // First pass: where each SKU of the map is stocked.
    let mut found: HashSet<String> = HashSet::new();
    let mut locations: HashMap<String, HashSet<String>> = HashMap::new();
    for item in open(&mut source, &options)?.shopify_inventory()? {
        if let Ok(row) = item?
            && on_hand.contains_key(&row.sku)
            && location.is_none_or(|chosen| chosen == row.location)
        {
            found.insert(row.sku.clone());
            if row.on_hand_current != Some(InventoryQuantity::NotStocked) {
                locations.entry(row.sku).or_default().insert(row.location);
            }
        }
    }
    let mut report = InventoryWriteReport::default();
    let mut several: Vec<String> = locations
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(sku, _)| sku.clone())
        .collect();
    several.sort();
    let mut missing: Vec<String> = on_hand
        .keys()
        .filter(|sku| !found.contains(*sku))
        .cloned()
        .collect();

    // Second pass: copy every record, filling the new on-hand count.
    source.seek(std::io::SeekFrom::Start(start))?;
    let file = open(&mut source, &options)?;
    let mut columns = file.info().columns.clone();
    let sku_field = file.columns.fields[I_SKU];
    let location_field = file.columns.fields[I_LOCATION];
    let current_field = file.columns.fields[I_ON_HAND];
    let new_field = if let Some(field) = file.columns.fields[I_ON_HAND_NEW] {
        field
    } else {
        columns.push(ON_HAND_NEW.to_owned());
        columns.len() - 1
    };
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
    writer.write_record(&columns)?;
    let mut source_records = file.source;
    let mut record: Vec<String> = Vec::with_capacity(columns.len());
    while source_records.next_record()? {
        record.clear();
        let width = columns.len().max(source_records.len());
        record.extend((0..width).map(|index| source_records.text(index).into_owned()));
        let text = |field: Option<usize>| field.map_or("", |index| record[index].as_str());
        let sku = text(sku_field).to_owned();
        let row_location = text(location_field).to_owned();
        let not_stocked = text(current_field).eq_ignore_ascii_case("not stocked");
        if let Some(&units) = on_hand.get(&sku)
            && location.is_none_or(|chosen| chosen == row_location)
        {
            if not_stocked {
                report
                    .not_stocked
                    .push((source_records.line(), sku, row_location));
            } else if several.binary_search(&sku).is_err() {
                record[new_field] = units.to_string();
                report.rows_filled += 1;
            }
        }
        writer.write_record(&record)?;
        report.rows_written += 1;
    }
    writer.flush()?;
    missing.sort();
    report.skus_not_in_file = missing;
    report.skus_in_several_locations = several;
    Ok(report)
}
