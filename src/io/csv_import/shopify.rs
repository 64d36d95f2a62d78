//! Shopify's product CSV (old and new column names) and inventory CSV (read and write).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, Write};

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser};
use super::{
    Entity, Format, ImportError, ImportOptions, ImportedProduct, InventoryShape, MAX_UNITS, open,
};
use crate::domain::BackorderPolicy;
use crate::domain::identity::{
    ShopIdentity, is_default_option, shopify_variant_name, strip_sku_apostrophe,
};

// ---------------------------------------------------------------------------------------------
// Product CSV

const HANDLE: usize = 0;
const TITLE: usize = 1;
const BODY: usize = 2;
const VENDOR: usize = 3;
const TYPE: usize = 4;
const OPTION_VALUES: [usize; 3] = [5, 6, 7];
pub(crate) const SKU: usize = 8;
const TRACKER: usize = 9;
pub(crate) const QUANTITY: usize = 10;
pub(crate) const POLICY: usize = 11;
pub(crate) const PRICE: usize = 12;
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
    ColumnSpec::optional("Variant SKU", &["variantsku", "sku"]),
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

/// Reads Shopify product rows: one product per variant, with or without a SKU.
#[derive(Debug, Default)]
pub(crate) struct ProductParser {
    handles: HashMap<String, HandleInfo>,
    /// SKUs that several variants of the file use (found by a first pass over the file).
    shared: HashSet<String>,
    /// Where each variant (handle and option values) was first seen.
    variants: HashMap<String, u64>,
}

impl ProductParser {
    pub(crate) fn new(shared: HashSet<String>) -> Self {
        Self {
            shared,
            ..Self::default()
        }
    }
}

/// The SKU of a Shopify cell: trimmed, Shopify's `'` before a SKU of digits taken off.
pub(crate) fn sku_text(cell: &str) -> &str {
    strip_sku_apostrophe(cell.trim())
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

        let sku_cell = cx.text(SKU);
        let sku_text = sku_text(&sku_cell);
        let option_values = OPTION_VALUES.map(|column| cx.text(column));
        let is_variant = !sku_text.is_empty()
            || option_values.iter().any(|value| !value.is_empty())
            || !cx.text(PRICE).is_empty()
            || !cx.text(QUANTITY).is_empty();
        if !is_variant {
            // An image row, or a product row whose variants follow.
            return cx.skip("image rows");
        }
        let sku = cx.platform_sku(SKU, sku_text, "its handle and option values");
        if let Some(barcode) = cx.cell(BARCODE) {
            cx.warn_if_scientific(BARCODE, &barcode);
        }
        let identity = ShopIdentity::shopify(&handle, option_values.iter().map(AsRef::as_ref));
        if let Some(first) = self.variants.get(&identity.key) {
            let reason = format!(
                "the same variant (handle and option values '{}') is also on line {first}",
                identity.key
            );
            cx.fail(HANDLE, &handle, reason);
            return None;
        }
        self.variants.insert(identity.key.clone(), cx.line());

        let Some(info) = self.handles.get(handle.as_ref()) else {
            let reason = format!("no earlier row of handle '{handle}' has a title");
            cx.fail(TITLE, "", reason);
            return None;
        };
        // Named exactly as Shopify names the variant on an order (`Lineitem name`), so order
        // lines without a SKU find it.
        let name = shopify_variant_name(&info.title, option_values.iter().map(AsRef::as_ref));
        let name = cx.line_text_of(TITLE, &name);
        let description = cx.has(BODY).then(|| info.body.clone());
        let supplier = cx.has(VENDOR).then(|| info.vendor.clone());
        let category = cx.has(TYPE).then(|| info.product_type.clone());

        // `shopify` (or another app's name): Shopify counts the stock; empty: it does not.
        let track_stock = cx.has(TRACKER).then(|| !cx.text(TRACKER).is_empty());
        let quantity = cx.whole(QUANTITY, -MAX_UNITS..=MAX_UNITS);
        let on_hand = if track_stock == Some(false) {
            None
        } else {
            quantity
        };
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
        let sku_shared = !sku.is_empty() && self.shared.contains(&sku);
        Some(ImportedProduct {
            identity: Some(identity),
            sku_shared,
            track_stock,
            sku_in_shop: None,
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

/// Columns of Shopify's inventory CSV, in its three layouts: the current one (`On hand
/// (current)`, `On hand (new)`, `(not editable)` columns), the one of December 2023 (`Location,
/// Incoming,Unavailable,Committed,Available,On hand`), and the old one with a column per
/// location (every column not named here).
pub(crate) const INVENTORY_SPECS: [ColumnSpec; 19] = [
    ColumnSpec::required("Handle", &["handle"]),
    ColumnSpec::optional("Title", &["title"]),
    ColumnSpec::optional("Option1 Value", &["option1value"]),
    ColumnSpec::optional("Option2 Value", &["option2value"]),
    ColumnSpec::optional("Option3 Value", &["option3value"]),
    ColumnSpec::optional("SKU", &["sku"]),
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
    ColumnSpec::optional("On hand (current)", &["onhand(current)", "onhand"]),
    ColumnSpec::optional(ON_HAND_NEW, &["onhand(new)"]),
    ColumnSpec::optional("Option1 Name", &["option1name"]),
    ColumnSpec::optional("Option2 Name", &["option2name"]),
    ColumnSpec::optional("Option3 Name", &["option3name"]),
    ColumnSpec::optional("HS Code", &["hscode"]),
    ColumnSpec::optional("COO", &["coo"]),
    ColumnSpec::optional("Bin name", &["binname"]),
];

/// The layout of an inventory file from its header (folded names; see [`InventoryShape`]).
/// The old layout's locations are the columns no spec names (`unknown`, in order).
pub(crate) fn inventory_shape(folded: &[String], unknown: &[String]) -> InventoryShape {
    let has = |name: &str| folded.iter().any(|f| f == name);
    if has("onhand(new)") || has("onhand(current)") {
        InventoryShape::Current
    } else if has("location") {
        InventoryShape::OnHand
    } else {
        InventoryShape::Wide {
            locations: unknown.to_vec(),
        }
    }
}

/// A quantity cell of Shopify's inventory CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InventoryQuantity {
    /// A count of units; may be negative.
    Units(i64),
    /// The variant is not stocked at this location.
    NotStocked,
}

/// One row of Shopify's inventory CSV: a variant at a location (or, in the old layout, at
/// every location, in `by_location`).
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
    /// The variant's SKU (Shopify's `'` before a SKU of digits taken off); may be empty.
    pub sku: String,
    /// The variant as Shopify knows it: handle and option values.
    pub identity: ShopIdentity,
    /// The shop location (a warehouse, a store); empty in the old layout.
    pub location: String,
    /// `Incoming (not editable)`.
    pub incoming: Option<InventoryQuantity>,
    /// `Unavailable (not editable)`.
    pub unavailable: Option<InventoryQuantity>,
    /// `Committed (not editable)`: units in unfulfilled orders.
    pub committed: Option<InventoryQuantity>,
    /// `Available (not editable)`: what the shop can still sell.
    pub available: Option<InventoryQuantity>,
    /// `On hand (current)` (`On hand` in the layout of December 2023): units at the location.
    pub on_hand_current: Option<InventoryQuantity>,
    /// `On hand (new)`: the count to upload, usually empty in an export.
    pub on_hand_new: Option<InventoryQuantity>,
    /// The old layout: the count in each location's column, in column order.
    pub by_location: Vec<(String, Option<InventoryQuantity>)>,
}

impl ShopifyInventoryRow {
    /// The variant for people: its SKU, else its handle and option values.
    pub fn variant_label(&self) -> String {
        if self.sku.is_empty() {
            self.identity.key.clone()
        } else {
            self.sku.clone()
        }
    }
}

fn quantity_of(cx: &mut Cx<'_, '_>, column: usize, value: &str) -> Option<InventoryQuantity> {
    if value.is_empty() {
        return None;
    }
    if value.eq_ignore_ascii_case("not stocked") {
        return Some(InventoryQuantity::NotStocked);
    }
    cx.whole_of(column, value, -MAX_UNITS..=MAX_UNITS)
        .map(InventoryQuantity::Units)
}

fn inventory_quantity(cx: &mut Cx<'_, '_>, column: usize) -> Option<InventoryQuantity> {
    let value = cx.cell(column)?;
    quantity_of(cx, column, &value)
}

/// Reads Shopify inventory rows; a variant may appear once per location.
#[derive(Debug, Default)]
pub(crate) struct InventoryParser {
    seen: HashMap<(String, String), u64>,
    /// The old layout's location columns: (name, field index).
    wide: Vec<(String, usize)>,
}

impl InventoryParser {
    pub(crate) fn new(wide: Vec<(String, usize)>) -> Self {
        Self {
            seen: HashMap::new(),
            wide,
        }
    }
}

impl RowParser for InventoryParser {
    type Row = ShopifyInventoryRow;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ShopifyInventoryRow> {
        let handle = cx.text(I_HANDLE).into_owned();
        let sku_cell = cx.text(I_SKU);
        let sku_text = sku_text(&sku_cell).to_owned();
        if handle.is_empty() && sku_text.is_empty() {
            cx.fail(
                I_HANDLE,
                "",
                "a row needs a handle or a SKU to say which variant it counts",
            );
            return None;
        }
        let sku = cx.platform_sku(I_SKU, &sku_text, "its handle and option values");
        if handle.is_empty() && sku.is_empty() {
            cx.fail(
                I_HANDLE,
                "",
                "a row needs a handle or a usable SKU to say which variant it counts",
            );
            return None;
        }
        let raw_values: Vec<String> = I_OPTION_VALUES
            .iter()
            .map(|&column| cx.text(column).into_owned())
            .collect();
        let identity = ShopIdentity::shopify(&handle, raw_values.iter().map(String::as_str));
        let location = cx.text(I_LOCATION).into_owned();
        let seen_key = (inventory_key(&sku, &identity), location.clone());
        if let Some(first) = self.seen.get(&seen_key) {
            let reason = if location.is_empty() {
                format!("the same variant is also on line {first}")
            } else {
                format!("the same variant at location '{location}' is also on line {first}")
            };
            let (column, value) = if sku.is_empty() {
                (I_HANDLE, handle.as_str())
            } else {
                (I_SKU, sku.as_str())
            };
            cx.fail(column, value, reason);
        } else {
            self.seen.insert(seen_key, cx.line());
        }
        let option_values = raw_values
            .into_iter()
            .filter(|value| !value.is_empty() && !is_default_option(value))
            .collect();
        let mut by_location = Vec::with_capacity(self.wide.len());
        for (name, field) in &self.wide {
            let value = cx.raw_text(*field).into_owned();
            let quantity = quantity_of(cx, I_ON_HAND, &value);
            by_location.push((name.clone(), quantity));
        }
        Some(ShopifyInventoryRow {
            line: cx.line(),
            handle,
            title: cx.text(I_TITLE).into_owned(),
            option_values,
            sku,
            identity,
            location,
            incoming: inventory_quantity(cx, I_INCOMING),
            unavailable: inventory_quantity(cx, I_UNAVAILABLE),
            committed: inventory_quantity(cx, I_COMMITTED),
            available: inventory_quantity(cx, I_AVAILABLE),
            on_hand_current: inventory_quantity(cx, I_ON_HAND),
            on_hand_new: inventory_quantity(cx, I_ON_HAND_NEW),
            by_location,
        })
    }
}

/// What the desk knows of a variant of a Shopify inventory file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskStock {
    /// The desk has no such product.
    Unknown,
    /// The desk has it but does not count its stock.
    NotTracked,
    /// The desk's on-hand count.
    Count(i64),
}

/// A row whose count [`write_shopify_inventory`] changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryChange {
    /// Physical line of the row in the source file.
    pub line: u64,
    /// The variant: its SKU, else handle and option values.
    pub variant: String,
    /// The location (the column's name in the old layout).
    pub location: String,
    /// The count in the file (`None`: none written).
    pub current: Option<i64>,
    /// The desk's count, written for upload.
    pub new: i64,
}

impl InventoryChange {
    /// The new count is below the file's.
    pub fn lowers(&self) -> bool {
        self.current.is_some_and(|current| self.new < current)
    }

    /// A positive count becomes 0 (or less).
    pub fn empties(&self) -> bool {
        self.current.is_some_and(|current| current > 0) && self.new <= 0
    }
}

/// What [`write_shopify_inventory`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InventoryWriteReport {
    /// The file's layout.
    pub shape: Option<InventoryShape>,
    /// Data rows written (all rows of the source).
    pub rows_written: u64,
    /// Rows whose count is written because the desk's differs, in file order.
    pub changes: Vec<InventoryChange>,
    /// Rows of tracked products whose count is the desk's already (left as they were).
    pub unchanged: u64,
    /// Rows of variants the desk does not have (left as they were).
    pub unknown: u64,
    /// Rows of products whose stock the desk does not track (left as they were).
    pub not_tracked: u64,
    /// Rows left alone because the variant is not stocked at that location: (line, variant,
    /// location).
    pub not_stocked: Vec<(u64, String, String)>,
    /// Rows of other locations than the chosen one (left as they were).
    pub other_location: u64,
    /// Variants (SKU, else handle and option values) left alone because they are stocked at
    /// several locations and none was chosen, sorted.
    pub in_several_locations: Vec<String>,
    /// The column the counts went into: `On hand (new)`, `On hand` or the location's column.
    pub column: String,
}

impl InventoryWriteReport {
    /// Changes that lower a count, not to 0 (the drops to 0 are [`Self::emptied`]).
    pub fn lowered(&self) -> impl Iterator<Item = &InventoryChange> {
        self.changes
            .iter()
            .filter(|change| change.lowers() && !change.empties())
    }

    /// Changes that take a positive count to 0 or below.
    pub fn emptied(&self) -> impl Iterator<Item = &InventoryChange> {
        self.changes.iter().filter(|change| change.empties())
    }
}

/// The count of a cell as text (`None`: empty, `not stocked` or not a number).
fn units_of(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    super::values::parse_whole(text, super::values::NumberStyle::default()).ok()
}

/// Copies a Shopify inventory CSV (as exported by the shop) to `out`, writing the desk's count
/// only where the desk knows better: for rows whose product the desk has and tracks, and whose
/// count differs from the file's. Every other row is copied as it is, so uploading the file
/// changes nothing the desk does not know (in the current layout `On hand (new)` stays empty,
/// which Shopify reads as "no change").
///
/// The count goes into `On hand (new)` (current layout; the column is added at the end if the
/// file lacks it), into `On hand` (layout of December 2023), or into the location's own column
/// (old layout). `lookup` says what the desk knows of a variant (SKU, Shopify identity).
///
/// With `location`, only rows (or the column) of that location are written. Without it, the
/// file's only location is used; in a file with several, a variant stocked at several of them
/// is left alone (one number cannot be split), and the old layout needs a location.
#[expect(
    clippy::too_many_lines,
    reason = "two passes over one file (locations, then the copy with the counts) that share what the first pass found"
)]
pub fn write_shopify_inventory<R, W>(
    mut source: R,
    lookup: &dyn Fn(&str, &ShopIdentity) -> DeskStock,
    location: Option<&str>,
    out: W,
) -> Result<InventoryWriteReport, ImportError>
where
    R: Read + Seek + Send,
    W: Write,
{
    let options = ImportOptions {
        format: Some(Format::ShopifyInventory),
        entity: Some(Entity::Inventory),
        ..ImportOptions::default()
    };
    let start = source.stream_position()?;

    // First pass: the locations of the file, and where each variant is stocked.
    let mut file_locations: Vec<String> = Vec::new();
    // Per variant key: its label for people (SKU, else handle and options) and its locations.
    let mut stocked_at: HashMap<String, (String, HashSet<String>)> = HashMap::new();
    let opened = open(&mut source, &options)?;
    let shape = opened.info().inventory.clone();
    if let Some(InventoryShape::Wide { locations }) = &shape {
        file_locations.clone_from(locations);
    }
    for item in opened.shopify_inventory()? {
        if let Ok(row) = item? {
            if !row.location.is_empty() && !file_locations.contains(&row.location) {
                file_locations.push(row.location.clone());
            }
            if row.on_hand_current != Some(InventoryQuantity::NotStocked) {
                let key = inventory_key(&row.sku, &row.identity);
                let label = row.variant_label();
                stocked_at
                    .entry(key)
                    .or_insert_with(|| (label, HashSet::new()))
                    .1
                    .insert(row.location);
            }
        }
    }
    let chosen: Option<String> = match location {
        Some(name) => {
            if !file_locations.iter().any(|known| known == name) {
                return Err(ImportError::UnknownLocation {
                    location: name.to_owned(),
                    known: file_locations,
                });
            }
            Some(name.to_owned())
        }
        None if file_locations.len() == 1 => file_locations.first().cloned(),
        None => None,
    };
    let wide = matches!(shape, Some(InventoryShape::Wide { .. }));
    if wide && chosen.is_none() {
        return Err(ImportError::ChooseLocation {
            known: file_locations,
        });
    }
    let mut report = InventoryWriteReport {
        shape: shape.clone(),
        ..InventoryWriteReport::default()
    };
    let mut several: Vec<String> = Vec::new();
    let mut several_labels: Vec<String> = Vec::new();
    if chosen.is_none() {
        for (key, (label, places)) in &stocked_at {
            if places.len() > 1 {
                several.push(key.clone());
                several_labels.push(label.clone());
            }
        }
    }
    several.sort();
    several_labels.sort();

    // Second pass: copy every record, writing the desk's count where it differs.
    source.seek(std::io::SeekFrom::Start(start))?;
    let file = open(&mut source, &options)?;
    let mut columns = file.info().columns.clone();
    let field = |spec: usize| file.columns.fields[spec];
    let (sku_field, handle_field, location_field) =
        (field(I_SKU), field(I_HANDLE), field(I_LOCATION));
    let option_fields = I_OPTION_VALUES.map(field);
    let (current_field, target_field) = match (&shape, chosen.as_deref()) {
        (Some(InventoryShape::Wide { .. }), Some(name)) => {
            let index = columns.iter().position(|column| column == name);
            (index, index)
        }
        (Some(InventoryShape::OnHand), _) => (field(I_ON_HAND), field(I_ON_HAND)),
        _ => {
            let target = field(I_ON_HAND_NEW).unwrap_or_else(|| {
                columns.push(ON_HAND_NEW.to_owned());
                columns.len() - 1
            });
            (field(I_ON_HAND), Some(target))
        }
    };
    let Some(target_field) = target_field else {
        return Err(ImportError::MissingColumns {
            line: file.info().header_line,
            missing: vec![INVENTORY_SPECS[I_ON_HAND].name.to_owned()],
        });
    };
    report.column.clone_from(&columns[target_field]);
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
    writer.write_record(&columns)?;
    let mut source_records = file.source;
    let mut record: Vec<String> = Vec::with_capacity(columns.len());
    while source_records.next_record()? {
        record.clear();
        let width = columns.len().max(source_records.len());
        record.extend((0..width).map(|index| source_records.text(index).into_owned()));
        let text = |field: Option<usize>| field.map_or("", |index| record[index].as_str());
        let sku = sku_text(text(sku_field)).to_owned();
        let identity = ShopIdentity::shopify(
            text(handle_field),
            option_fields.iter().map(|field| text(*field)),
        );
        let row_location = if wide {
            chosen.clone().unwrap_or_default()
        } else {
            text(location_field).to_owned()
        };
        let current_text = text(current_field).to_owned();
        let line = source_records.line();
        report.rows_written += 1;
        if chosen.as_ref().is_some_and(|name| *name != row_location) {
            report.other_location += 1;
        } else {
            let key = inventory_key(&sku, &identity);
            let label = if sku.is_empty() {
                identity.key.clone()
            } else {
                sku.clone()
            };
            match lookup(&sku, &identity) {
                DeskStock::Unknown => report.unknown += 1,
                DeskStock::NotTracked => report.not_tracked += 1,
                DeskStock::Count(_) if current_text.eq_ignore_ascii_case("not stocked") => {
                    report.not_stocked.push((line, label, row_location));
                }
                DeskStock::Count(_) if several.binary_search(&key).is_ok() => {}
                DeskStock::Count(units) => {
                    let current = units_of(&current_text);
                    if current == Some(units) {
                        report.unchanged += 1;
                    } else {
                        record[target_field] = units.to_string();
                        report.changes.push(InventoryChange {
                            line,
                            variant: label,
                            location: row_location,
                            current,
                            new: units,
                        });
                    }
                }
            }
        }
        writer.write_record(&record)?;
    }
    writer.flush()?;
    report.in_several_locations = several_labels;
    Ok(report)
}

/// The variant's key in an inventory file: its handle and option values (Shopify's own key:
/// two variants may share a SKU), else its SKU.
fn inventory_key(sku: &str, identity: &ShopIdentity) -> String {
    if identity.key.is_empty() {
        sku.to_owned()
    } else {
        identity.key.clone()
    }
}
