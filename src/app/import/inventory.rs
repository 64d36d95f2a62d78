//! Importing a Shopify inventory export: on hand per variant and location.

use std::collections::HashMap;

use crate::app::orders::reallocate;
use crate::domain::identity::{ShopIdentity, shopify_variant_name};
use crate::domain::product::ProductData;
use crate::domain::{BackorderPolicy, MovementKind};
use crate::io::csv_import::{
    self, ImportError, ImportSummary, InventoryQuantity, InventoryShape, Rows, ShopifyInventoryRow,
};
use crate::store::Connection;
use crate::store::imports::product_index;
use crate::store::ledger::record_movement;
use crate::store::products::{insert_product_row, set_shop_identity};
use crate::store::{ProductId, ProductRecord};

use super::read_ahead::READ_AHEAD_ROWS;
use super::{ImportFailure, ImportRequest, Job, Loaded, Tally, file_name};

/// Loads Shopify's inventory export: on hand of the chosen location per variant.
pub(super) fn load(
    job: &Job<'_>,
    opened: csv_import::ImportFile<'_>,
    tally: &mut Tally,
) -> Result<Loaded, ImportFailure> {
    let info = opened.info().clone();
    let rows = opened
        .shopify_inventory()
        .map_err(|error| job.file_error(error))?;
    let (summary, outcome) = import_inventory(
        job.conn,
        rows,
        &info,
        job.request,
        tally,
        &InventoryContext {
            path: job.path_text,
            now: job.now,
            file: &file_name(&job.request.path),
        },
        job.on_batch,
    )?;
    let mut loaded = Loaded::new(summary, INVENTORY_PREVIEW.to_vec());
    loaded.notes = outcome.notes;
    loaded.locations = outcome.locations;
    loaded.location = outcome.location;
    loaded.unknown_variants = outcome.unknown;
    Ok(loaded)
}

/// The preview columns of an inventory file.
const INVENTORY_PREVIEW: [&str; 6] = ["sku", "name", "location", "on hand", "count", "change"];

/// What an inventory import needs besides its rows.
struct InventoryContext<'a> {
    path: &'a str,
    now: &'a str,
    /// The file's name, for the movements' reason.
    file: &'a str,
}

/// What an inventory import found about the file as a whole.
struct InventoryOutcome {
    notes: Vec<String>,
    locations: Vec<String>,
    location: Option<String>,
    /// Rows of variants the shop does not have (left alone).
    unknown: u64,
}

/// The count a row gives for the chosen location: `Ok(Some(units))`, `Ok(None)` when the
/// variant is not stocked there, `Err` when the row has no count.
fn row_count(row: &ShopifyInventoryRow, location: &str) -> Result<Option<i64>, &'static str> {
    let quantity = if row.by_location.is_empty() {
        match (row.on_hand_new, row.on_hand_current) {
            (Some(InventoryQuantity::NotStocked), _)
            | (None, Some(InventoryQuantity::NotStocked)) => {
                return Ok(None);
            }
            (Some(InventoryQuantity::Units(units)), _)
            | (None, Some(InventoryQuantity::Units(units))) => units,
            (None, None) => return Err("the row has no On hand count"),
        }
    } else {
        match row
            .by_location
            .iter()
            .find(|(name, _)| name == location)
            .and_then(|(_, quantity)| *quantity)
        {
            Some(InventoryQuantity::Units(units)) => units,
            Some(InventoryQuantity::NotStocked) => return Ok(None),
            None => return Err("the location's column is empty"),
        }
    };
    Ok(Some(quantity))
}

/// Reads a Shopify inventory file and sets each matched product's on hand to the count of the
/// chosen location, through `count` movements in the ledger. Rows are matched by SKU, else by
/// handle and option values. A file with several locations and none chosen changes nothing
/// (the report lists the locations).
fn import_inventory(
    conn: &Connection,
    rows: Rows<'_, ShopifyInventoryRow>,
    info: &csv_import::FileInfo,
    request: &ImportRequest,
    tally: &mut Tally,
    cx: &InventoryContext<'_>,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
) -> Result<(ImportSummary, InventoryOutcome), ImportFailure> {
    let (all, mut summary) = read_all(rows, cx, on_batch)?;
    let locations = file_locations(info, &all);
    let Some(chosen) = choose_location(request, &locations, cx)? else {
        // Several locations: nothing is read until one is chosen.
        return Ok((
            summary,
            InventoryOutcome {
                notes: Vec::new(),
                locations,
                location: None,
                unknown: 0,
            },
        ));
    };

    let mut counting = Counting::new(conn, cx, request, &chosen)?;
    for row in &all {
        counting.row(row, tally)?;
    }
    for product_id in &counting.changed {
        reallocate(conn, *product_id)?;
    }
    for (reason, count) in counting.skips {
        summary.rows_skipped += count;
        summary.rows_ok = summary.rows_ok.saturating_sub(count);
        summary.skip_reasons.push((reason, count));
    }
    let unknown = counting.unknown;
    Ok((
        summary,
        InventoryOutcome {
            notes: notes(&locations, &chosen, unknown),
            locations,
            location: Some(chosen),
            unknown,
        },
    ))
}

/// Every readable row of the file (an inventory file is small: one row per variant), with
/// progress and cancel every [`READ_AHEAD_ROWS`] rows.
fn read_all(
    mut rows: Rows<'_, ShopifyInventoryRow>,
    cx: &InventoryContext<'_>,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
) -> Result<(Vec<ShopifyInventoryRow>, ImportSummary), ImportFailure> {
    let mut all = Vec::new();
    let mut read = 0usize;
    while let Some(item) = rows.next() {
        let item = item.map_err(|error| ImportFailure::File {
            path: cx.path.to_owned(),
            error,
        })?;
        if let Ok(row) = item {
            all.push(row);
        }
        read += 1;
        if read.is_multiple_of(READ_AHEAD_ROWS) {
            on_batch(rows.bytes_read())?;
        }
    }
    Ok((all, rows.into_summary()))
}

/// The locations the file holds stock for, in file order: the columns of a wide file, then the
/// locations named by rows.
fn file_locations(info: &csv_import::FileInfo, all: &[ShopifyInventoryRow]) -> Vec<String> {
    let mut locations: Vec<String> = match &info.inventory {
        Some(InventoryShape::Wide { locations }) => locations.clone(),
        _ => Vec::new(),
    };
    for row in all {
        if !row.location.is_empty() && !locations.contains(&row.location) {
            locations.push(row.location.clone());
        }
    }
    locations
}

/// The location whose counts are taken: the one asked for (refused when the file has no such
/// location), else the file's only one (`""` for a file without locations); `None` while one
/// of several must be chosen.
fn choose_location(
    request: &ImportRequest,
    locations: &[String],
    cx: &InventoryContext<'_>,
) -> Result<Option<String>, ImportFailure> {
    Ok(match &request.location {
        Some(name) if !locations.contains(name) => {
            return Err(ImportFailure::File {
                path: cx.path.to_owned(),
                error: ImportError::UnknownLocation {
                    location: name.clone(),
                    known: locations.to_vec(),
                },
            });
        }
        Some(name) => Some(name.clone()),
        None if locations.len() <= 1 => Some(locations.first().cloned().unwrap_or_default()),
        None => None,
    })
}

/// What the file as a whole means for the shop: the locations left out, the variants the shop
/// does not have.
fn notes(locations: &[String], chosen: &str, unknown: u64) -> Vec<String> {
    let mut notes = Vec::new();
    if locations.len() > 1 {
        notes.push(format!(
            "counts of location '{chosen}' were taken; the file's other location(s) ({}) were \
             left out",
            locations
                .iter()
                .filter(|name| **name != chosen)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if unknown > 0 {
        notes.push(format!(
            "{unknown} row(s) are variants the shop does not have: they were left alone; import \
             the products export first, or add them as products (--create)"
        ));
    }
    notes
}

/// Taking the counts of one location, row by row: the shop's products by SKU and by shop
/// identity, and what was skipped and changed.
struct Counting<'a> {
    conn: &'a Connection,
    cx: &'a InventoryContext<'a>,
    request: &'a ImportRequest,
    chosen: &'a str,
    index: HashMap<String, ProductRecord>,
    identities: HashMap<ShopIdentity, String>,
    /// The movements' reason ("Count from inventory.csv (Shop location)").
    reason: String,
    skips: Vec<(String, u64)>,
    changed: Vec<ProductId>,
    unknown: u64,
}

impl<'a> Counting<'a> {
    fn new(
        conn: &'a Connection,
        cx: &'a InventoryContext<'a>,
        request: &'a ImportRequest,
        chosen: &'a str,
    ) -> Result<Self, ImportFailure> {
        let index = product_index(conn)?;
        let identities = index
            .values()
            .filter_map(|record| {
                record
                    .identity
                    .clone()
                    .map(|identity| (identity, record.data.sku.clone()))
            })
            .collect();
        let reason = if chosen.is_empty() {
            format!("Count from {}", cx.file)
        } else {
            format!("Count from {} ({chosen})", cx.file)
        };
        Ok(Self {
            conn,
            cx,
            request,
            chosen,
            index,
            identities,
            reason,
            skips: Vec::new(),
            changed: Vec::new(),
            unknown: 0,
        })
    }

    fn skip(&mut self, reason: &str) {
        match self.skips.iter_mut().find(|(known, _)| known == reason) {
            Some((_, count)) => *count += 1,
            None => self.skips.push((reason.to_owned(), 1)),
        }
    }

    /// One row: skipped, an error, a new product (when asked to create them), or a count.
    fn row(&mut self, row: &ShopifyInventoryRow, tally: &mut Tally) -> Result<(), ImportFailure> {
        if !row.location.is_empty() && row.location != self.chosen {
            self.skip("rows of other locations");
            return Ok(());
        }
        let count = match row_count(row, self.chosen) {
            Ok(Some(count)) => count,
            Ok(None) => {
                self.skip("rows of variants not stocked at the location");
                return Ok(());
            }
            Err(reason) => {
                tally.error(row.line, "On hand", "", reason);
                return Ok(());
            }
        };
        match self.matching_sku(row) {
            Some(sku) => self.count(row, &sku, count, tally),
            None if self.request.create_missing => self.create(row, count, tally),
            None => {
                let name =
                    shopify_variant_name(&row.title, row.option_values.iter().map(String::as_str));
                self.unknown += 1;
                self.skip("rows of variants the shop does not have");
                tally.warn(
                    row.line,
                    format!(
                        "'{name}' ({}) is not a product of the shop; its count was left alone \
                         (import the products export first, or add it as a product: --create)",
                        row.variant_label()
                    ),
                );
                Ok(())
            }
        }
    }

    /// The SKU of the shop's product for a row: the shop's own key first (two variants may
    /// share a SKU), then the SKU — unless the product with that SKU is another variant of the
    /// shop.
    fn matching_sku(&self, row: &ShopifyInventoryRow) -> Option<String> {
        self.identities.get(&row.identity).cloned().or_else(|| {
            self.index
                .get(&row.sku)
                .filter(|record| {
                    !row.sku.is_empty()
                        && record
                            .identity
                            .as_ref()
                            .is_none_or(|identity| *identity == row.identity)
                })
                .map(|record| record.data.sku.clone())
        })
    }

    /// A variant the shop does not have, added as a product with the row's count.
    fn create(
        &mut self,
        row: &ShopifyInventoryRow,
        count: i64,
        tally: &mut Tally,
    ) -> Result<(), ImportFailure> {
        let name = shopify_variant_name(&row.title, row.option_values.iter().map(String::as_str));
        // A SKU another product has (the shop shares it between variants) is not this
        // variant's own: it is keyed by its identity then.
        let (sku, derived) = if row.sku.is_empty() || self.index.contains_key(&row.sku) {
            (row.identity.derived_sku(), true)
        } else {
            (row.sku.clone(), false)
        };
        if self.index.contains_key(&sku) {
            tally.error(
                row.line,
                "SKU",
                &row.sku,
                "a product the shop has already uses this key; give the variant its own SKU",
            );
            return Ok(());
        }
        let data = ProductData {
            sku: sku.clone(),
            name: name.clone(),
            category: String::new(),
            location: String::new(),
            unit_cost_cents: 0,
            price_cents: 0,
            supplier: String::new(),
            lead_time_days: None,
            backorder_policy: BackorderPolicy::NotAllowed,
            max_wait_days: crate::domain::product::DEFAULT_MAX_WAIT_DAYS,
            reorder_point: 0,
            track_stock: true,
            sale_price_cents: None,
        };
        let product_id = insert_product_row(self.conn, &data, None, self.cx.now)?;
        let identity = (!self.identities.contains_key(&row.identity)).then_some(&row.identity);
        set_shop_identity(self.conn, product_id, identity, derived)?;
        if count != 0 {
            record_movement(
                self.conn,
                product_id,
                MovementKind::Count,
                count,
                &self.reason,
                self.cx.now,
            )?;
        }
        tally.new += 1;
        tally.preview(|| {
            vec![
                sku.clone(),
                name.clone(),
                self.chosen.to_owned(),
                String::new(),
                count.to_string(),
                "new product".to_owned(),
            ]
        });
        if let Some(identity) = identity {
            self.identities.insert(identity.clone(), sku.clone());
        }
        self.index.insert(
            sku,
            ProductRecord {
                product_id,
                data,
                on_hand: count,
                archived: false,
                identity: identity.cloned(),
                sku_derived: derived,
            },
        );
        Ok(())
    }

    /// A product of the shop: its on hand becomes the count (a `count` movement of the
    /// difference), unless the desk does not track its stock.
    fn count(
        &mut self,
        row: &ShopifyInventoryRow,
        sku: &str,
        count: i64,
        tally: &mut Tally,
    ) -> Result<(), ImportFailure> {
        let Some(record) = self.index.get(sku) else {
            return Ok(());
        };
        if !record.data.track_stock {
            let message = format!(
                "'{}' ({sku}) is not tracked in the desk; its count was left alone (turn on \
                 Track stock to count it)",
                record.data.name
            );
            self.skip("rows of products the desk does not track");
            tally.warn(row.line, message);
            return Ok(());
        }
        let Some(record) = self.index.get_mut(sku) else {
            return Ok(());
        };
        let delta = count - record.on_hand;
        let before = record.on_hand;
        if delta == 0 {
            tally.unchanged += 1;
        } else {
            record_movement(
                self.conn,
                record.product_id,
                MovementKind::Count,
                delta,
                &self.reason,
                self.cx.now,
            )?;
            record.on_hand = count;
            self.changed.push(record.product_id);
            tally.updated += 1;
        }
        tally.preview(|| {
            vec![
                sku.to_owned(),
                record.data.name.clone(),
                self.chosen.to_owned(),
                before.to_string(),
                count.to_string(),
                if delta == 0 {
                    "unchanged".to_owned()
                } else {
                    format!("{delta:+}")
                },
            ]
        });
        Ok(())
    }
}
