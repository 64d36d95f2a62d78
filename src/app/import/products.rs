//! Importing a products file (own, Shopify, WooCommerce): each row a new or changed product.

use std::collections::HashMap;

use crate::app::orders::reallocate;
use crate::domain::format_cents;
use crate::domain::identity::{ShopIdentity, look_alike, sku_fold};
use crate::domain::limits::{MAX_NAME_CHARS, check_cents, check_text};
use crate::domain::product::ProductData;
use crate::domain::text::has_control_chars;
use crate::domain::{BackorderPolicy, MovementKind};
use crate::io::csv_import::{self, ImportedProduct, Layout, ProductColumns, RowError};
use crate::store::Connection;
use crate::store::batches::remember_product_before;
use crate::store::imports::product_index;
use crate::store::ledger::record_movement;
use crate::store::products::{
    insert_product_row, set_shop_identity, supplier_id, unarchive, update_product_row,
};
use crate::store::{ProductId, ProductRecord};

use super::read_ahead::read_ahead;
use super::{ImportFailure, Job, Loaded, Tally, reason_of};

/// Loads a products file: new products are added, known ones updated (stock through the
/// ledger), then their waiting lines get the stock.
pub(super) fn load(
    job: &Job<'_>,
    opened: csv_import::ImportFile<'_>,
    tally: &mut Tally,
) -> Result<Loaded, ImportFailure> {
    let info = opened.info().clone();
    let rows = opened.products().map_err(|error| job.file_error(error))?;
    let mut state = ProductImport::new(job.conn, info.layout)?;
    let summary = read_ahead(
        rows,
        job.path_text,
        job.on_batch,
        |row| row,
        |row| import_product(job, &row, &mut state, tally),
    )?;
    for product_id in std::mem::take(&mut state.changed_stock) {
        reallocate(job.conn, product_id)?;
    }
    let mut loaded = Loaded::new(summary, PRODUCT_PREVIEW.to_vec());
    loaded.notes = state.notes(info.facts, info.layout);
    Ok(loaded)
}

/// The preview columns of a products file.
const PRODUCT_PREVIEW: [&str; 12] = [
    "sku",
    "in the shop",
    "name",
    "category",
    "location",
    "unit cost",
    "price",
    "sale price",
    "on hand",
    "supplier",
    "lead time",
    "backorders",
];

/// What a products import knows of the catalog and has counted, while rows stream in.
struct ProductImport {
    /// Every product by SKU (archived included), kept up to date as rows are written.
    index: HashMap<String, ProductRecord>,
    /// The SKU of every product with a shop identity.
    identities: HashMap<ShopIdentity, String>,
    /// SKUs by their fold (see [`sku_fold`]): the first SKU of each.
    folds: HashMap<String, String>,
    /// The policy a new product gets when the file does not say (the platform's default).
    default_policy: BackorderPolicy,
    /// Products whose stock or tracking changed: matched to their waiting lines at the end.
    changed_stock: Vec<ProductId>,
    new_products: u64,
    new_not_tracked: u64,
    not_tracked: u64,
}

impl ProductImport {
    fn new(conn: &Connection, layout: Layout) -> Result<Self, ImportFailure> {
        let index = product_index(conn)?;
        let mut identities = HashMap::new();
        let mut folds = HashMap::new();
        for record in index.values() {
            if let Some(identity) = &record.identity {
                identities.insert(identity.clone(), record.data.sku.clone());
            }
            folds
                .entry(sku_fold(&record.data.sku))
                .or_insert_with(|| record.data.sku.clone());
        }
        Ok(Self {
            index,
            identities,
            folds,
            default_policy: default_policy(layout),
            changed_stock: Vec::new(),
            new_products: 0,
            new_not_tracked: 0,
            not_tracked: 0,
        })
    }

    /// The sentences that tell what the file as a whole did: stock, policies and prices it
    /// has no column for, and stock the shop does not count.
    fn notes(&self, facts: ProductColumns, layout: Layout) -> Vec<String> {
        let mut notes = Vec::new();
        let new_tracked = self.new_products - self.new_not_tracked;
        if !facts.quantity {
            let fix = match layout {
                Layout::ShopifyProducts => {
                    "import the shop's inventory export (Shopify admin › Products › Inventory › \
                     Export) to set it"
                }
                Layout::WooCommerceProducts => {
                    "export the products again with the Stock column to set it"
                }
                _ => "import a file with an on_hand column to set it",
            };
            let new = if new_tracked > 0 {
                format!(" ({new_tracked} new product(s) start at 0 on hand)")
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no stock quantities: stock was left as it was{new}; {fix}"
            ));
        }
        if !facts.policy {
            let default = match layout {
                Layout::ShopifyProducts => "Shopify's default",
                Layout::WooCommerceProducts => "WooCommerce's default",
                _ => "the desk's default",
            };
            let new = if self.new_products > 0 {
                format!(
                    "; {} new product(s) got '{}' ({default})",
                    self.new_products,
                    self.default_policy.label().to_lowercase()
                )
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no backorder policy column: stored policies were kept{new}"
            ));
        }
        if !facts.price {
            let new = if self.new_products > 0 {
                format!(
                    "; {} new product(s) have price 0 until a price is set",
                    self.new_products
                )
            } else {
                String::new()
            };
            notes.push(format!(
                "this file has no price column: stored prices were kept{new}"
            ));
        }
        if self.not_tracked > 0 {
            notes.push(format!(
                "{} product(s) are not tracked (the shop does not count their stock): they are \
                 always orderable and their orders never wait",
                self.not_tracked
            ));
        }
        notes
    }
}

/// The backorder policy of a new product whose file does not say: Shopify's `deny` and
/// WooCommerce's "Do not allow" for their files, the desk's own default otherwise.
fn default_policy(layout: Layout) -> BackorderPolicy {
    match layout {
        Layout::ShopifyProducts | Layout::WooCommerceProducts => BackorderPolicy::NotAllowed,
        _ => BackorderPolicy::Allowed,
    }
}

/// Which product a row is: the SKU of the product it updates (`None`: a new one), the SKU the
/// product is kept under, and whether that SKU is derived from the shop identity.
struct Target {
    existing: Option<String>,
    sku: String,
    sku_derived: bool,
}

/// Finds the product a row is: by its own SKU; else (no SKU, or one several variants share) by
/// its identity in the shop. A row whose SKU is new but whose identity is known gives that
/// product its SKU. An error names what is wrong with the row.
fn target_of(row: &ImportedProduct, state: &ProductImport) -> Result<Target, RowError> {
    let by_identity = row
        .identity
        .as_ref()
        .and_then(|identity| state.identities.get(identity));
    let own_sku = !row.sku.is_empty() && !row.sku_shared;
    let target = if own_sku && let Some(record) = state.index.get(&row.sku) {
        // The own format says whether the SKU is the shop's own; a file that does not say
        // keeps what the product has.
        Target {
            existing: Some(row.sku.clone()),
            sku: row.sku.clone(),
            sku_derived: row
                .sku_in_shop
                .map_or(record.sku_derived && row.identity.is_none(), |own| !own),
        }
    } else if own_sku {
        Target {
            existing: by_identity.cloned(),
            sku: row.sku.clone(),
            sku_derived: row.sku_in_shop == Some(false),
        }
    } else if let Some(existing) = by_identity {
        let derived = state
            .index
            .get(existing)
            .is_none_or(|record| record.sku_derived);
        Target {
            existing: Some(existing.clone()),
            sku: existing.clone(),
            sku_derived: derived,
        }
    } else if let Some(identity) = &row.identity {
        let sku = identity.derived_sku();
        if state.index.contains_key(&sku) {
            return Err(RowError {
                line: row.line,
                column: "SKU".into(),
                value: row.sku.clone(),
                reason: format!(
                    "this variant has no SKU of its own and its key '{sku}' is already the SKU of \
                     another product; give the variant a SKU in the shop"
                ),
            });
        }
        Target {
            existing: None,
            sku,
            sku_derived: true,
        }
    } else {
        return Err(RowError {
            line: row.line,
            column: "sku".into(),
            value: row.sku.clone(),
            reason: if row.sku.is_empty() {
                "a SKU is required".into()
            } else {
                format!("SKU '{}' is used by several rows of this file", row.sku)
            },
        });
    };
    // A SKU that is new to the shop but looks like one it has (a spreadsheet dropped its
    // leading zeros, or the letter case differs) is almost surely that product.
    if !target.sku_derived
        && target.existing.as_deref() != Some(target.sku.as_str())
        && let Some(other) = state.folds.get(&sku_fold(&target.sku))
        && let Some(how) = look_alike(&target.sku, other)
    {
        return Err(RowError {
            line: row.line,
            column: "sku".into(),
            value: target.sku.clone(),
            reason: format!(
                "is SKU '{other}' of the shop {how}; write it as '{other}' to update that \
                 product (or leave the row out with --valid-only)"
            ),
        });
    }
    Ok(target)
}

/// One row: the product it is (new or known), its fields merged over what the shop has,
/// checked, then written (a known product only when something changed).
fn import_product(
    job: &Job<'_>,
    row: &ImportedProduct,
    state: &mut ProductImport,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    let target = match target_of(row, state) {
        Ok(target) => target,
        Err(error) => {
            tally.push_error(error);
            return Ok(());
        }
    };
    let existing = target
        .existing
        .as_ref()
        .and_then(|sku| state.index.get(sku))
        .cloned();
    let data = merged_data(row, existing.as_ref(), &target, state.default_policy);
    if let Some((column, value, reason)) = problem(&data) {
        tally.error(row.line, column, &value, &reason);
        return Ok(());
    }
    let identity = kept_identity(row, existing.as_ref(), &target, &data, state, tally);
    // Stock the shop does not count has no quantity to take.
    let on_hand = if data.track_stock { row.on_hand } else { None };
    if !data.track_stock {
        state.not_tracked += 1;
    }
    tally.preview(|| preview_row(row, &target, &data, on_hand));
    let written = Written {
        data: &data,
        identity: identity.as_ref(),
        sku_derived: target.sku_derived,
        on_hand,
    };
    match &existing {
        Some(existing) => update_known(job, existing, &written, state, tally)?,
        None => insert_new(job, &written, state, tally)?,
    }
    if let Some(identity) = identity {
        state.identities.insert(identity, data.sku.clone());
    }
    state
        .folds
        .entry(sku_fold(&data.sku))
        .or_insert_with(|| data.sku.clone());
    Ok(())
}

/// The product's fields after the row: what the shop has (or a new product's defaults), with
/// every column the file has taken from the row.
fn merged_data(
    row: &ImportedProduct,
    existing: Option<&ProductRecord>,
    target: &Target,
    default_policy: BackorderPolicy,
) -> ProductData {
    let mut data = existing.map_or_else(
        || ProductData {
            sku: target.sku.clone(),
            name: String::new(),
            category: String::new(),
            location: String::new(),
            unit_cost_cents: 0,
            price_cents: 0,
            supplier: String::new(),
            lead_time_days: None,
            backorder_policy: default_policy,
            max_wait_days: crate::domain::product::DEFAULT_MAX_WAIT_DAYS,
            reorder_point: 0,
            track_stock: true,
            sale_price_cents: None,
        },
        |existing| existing.data.clone(),
    );
    data.sku.clone_from(&target.sku);
    if let Some(name) = &row.name {
        data.name.clone_from(name);
    }
    for (target, value) in [
        (&mut data.category, &row.category),
        (&mut data.location, &row.location),
    ] {
        if let Some(value) = value {
            target.clone_from(value);
        }
    }
    // Suppliers are found without regard to letter case: a case-only difference is the same
    // supplier, and not a change.
    if let Some(supplier) = &row.supplier
        && !supplier.eq_ignore_ascii_case(&data.supplier)
    {
        data.supplier.clone_from(supplier);
    }
    if let Some(cents) = row.unit_cost_cents {
        data.unit_cost_cents = cents;
    }
    if let Some(cents) = row.price_cents {
        data.price_cents = cents;
    }
    if let Some(sale) = row.sale_price_cents {
        data.sale_price_cents = sale;
    }
    if let Some(days) = row.lead_time_days {
        data.lead_time_days = Some(days);
    }
    if let Some(policy) = row.backorder_policy {
        data.backorder_policy = policy;
    }
    if let Some(days) = row.max_wait_days {
        data.max_wait_days = days;
    }
    if let Some(tracked) = row.track_stock {
        data.track_stock = tracked;
    }
    data
}

/// What is wrong with the merged fields, if anything: the column, its value and the reason
/// (the first problem found).
fn problem(data: &ProductData) -> Option<(&'static str, String, String)> {
    if data.name.trim().is_empty() {
        return Some(("name", String::new(), "a product needs a name".to_owned()));
    }
    for (column, value) in [
        ("sku", &data.sku),
        ("name", &data.name),
        ("category", &data.category),
        ("location", &data.location),
        ("supplier", &data.supplier),
    ] {
        if has_control_chars(value) {
            return Some((
                column,
                value.clone(),
                "line breaks and tabs are not allowed here".to_owned(),
            ));
        }
    }
    if data.unit_cost_cents < 0 || data.price_cents < 0 {
        return Some((
            "price",
            String::new(),
            "prices and costs must not be negative".to_owned(),
        ));
    }
    for (column, value) in [
        ("name", &data.name),
        ("category", &data.category),
        ("location", &data.location),
        ("supplier", &data.supplier),
    ] {
        if let Err(error) = check_text(column, value, MAX_NAME_CHARS) {
            return Some((column, value.clone(), reason_of(&error)));
        }
    }
    for (column, cents) in [
        ("unit_cost", data.unit_cost_cents),
        ("price", data.price_cents),
    ] {
        if let Err(error) = check_cents(column, cents) {
            return Some((column, format_cents(cents), reason_of(&error)));
        }
    }
    None
}

/// The shop identity the product keeps: the row's, unless another product has it (then the
/// row is written without it, with a warning).
fn kept_identity(
    row: &ImportedProduct,
    existing: Option<&ProductRecord>,
    target: &Target,
    data: &ProductData,
    state: &ProductImport,
    tally: &mut Tally,
) -> Option<ShopIdentity> {
    let mut identity = existing.and_then(|record| record.identity.clone());
    if let Some(row_identity) = &row.identity {
        match state.identities.get(row_identity) {
            Some(owner) if target.existing.as_deref() != Some(owner.as_str()) => {
                tally.warn(
                    row.line,
                    format!(
                        "the {} variant '{}' is already product '{owner}' of the shop; this \
                         row updated '{}' and left that product as it was",
                        row_identity.platform, row_identity.key, data.sku
                    ),
                );
            }
            _ => identity = Some(row_identity.clone()),
        }
    }
    identity
}

/// The row as the preview shows it ([`PRODUCT_PREVIEW`]'s columns).
fn preview_row(
    row: &ImportedProduct,
    target: &Target,
    data: &ProductData,
    on_hand: Option<i64>,
) -> Vec<String> {
    let shop_label = match (&row.identity, target.sku_derived, row.sku_shared) {
        (None, _, _) => String::new(),
        (Some(_), _, true) => format!("shared SKU {}", row.sku),
        (Some(_), true, false) => "no SKU".to_owned(),
        (Some(_), false, false) => "SKU".to_owned(),
    };
    vec![
        data.sku.clone(),
        shop_label,
        data.name.clone(),
        data.category.clone(),
        data.location.clone(),
        format_cents(data.unit_cost_cents),
        format_cents(data.price_cents),
        data.sale_price_cents.map(format_cents).unwrap_or_default(),
        if data.track_stock {
            on_hand.map(|n| n.to_string()).unwrap_or_default()
        } else {
            "not tracked".to_owned()
        },
        data.supplier.clone(),
        data.lead_time_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        data.backorder_policy.code().to_owned(),
    ]
}

/// What a row writes: the product's fields, its shop identity, and the stock it takes.
struct Written<'a> {
    data: &'a ProductData,
    identity: Option<&'a ShopIdentity>,
    sku_derived: bool,
    /// The counted stock (`None`: the file does not say, or the product is not tracked).
    on_hand: Option<i64>,
}

/// A known product: its changed fields (kept for undo first), its identity, and the difference
/// to the counted stock as an import movement.
fn update_known(
    job: &Job<'_>,
    existing: &ProductRecord,
    written: &Written<'_>,
    state: &mut ProductImport,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    let conn = job.conn;
    let data = written.data;
    let product_id = existing.product_id;
    let identity_changed = written.identity != existing.identity.as_ref()
        || written.sku_derived != existing.sku_derived;
    let fields_changed = *data != existing.data || existing.archived || identity_changed;
    let stock_delta = written.on_hand.map_or(0, |units| units - existing.on_hand);
    if fields_changed {
        remember_product_before(conn, job.batch_id, product_id)?;
        update_product_row(conn, product_id, data, job.now)?;
        if existing.archived {
            unarchive(conn, product_id)?;
        }
        if identity_changed {
            set_shop_identity(conn, product_id, written.identity, written.sku_derived)?;
        }
    }
    if stock_delta != 0 {
        record_movement(
            conn,
            product_id,
            MovementKind::Import,
            stock_delta,
            job.reason,
            job.now,
        )?;
    }
    if stock_delta != 0 || data.track_stock != existing.data.track_stock {
        state.changed_stock.push(product_id);
    }
    if fields_changed || stock_delta != 0 {
        tally.updated += 1;
    } else {
        tally.unchanged += 1;
    }
    if existing.data.sku != data.sku {
        state.index.remove(&existing.data.sku);
    }
    if let Some(old) = &existing.identity {
        state.identities.remove(old);
    }
    state.index.insert(
        data.sku.clone(),
        ProductRecord {
            product_id,
            data: data.clone(),
            on_hand: existing.on_hand + stock_delta,
            archived: false,
            identity: written.identity.cloned(),
            sku_derived: written.sku_derived,
        },
    );
    Ok(())
}

/// A new product, with its shop identity and its stock as an import movement.
fn insert_new(
    job: &Job<'_>,
    written: &Written<'_>,
    state: &mut ProductImport,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    let conn = job.conn;
    let data = written.data;
    let supplier = supplier_id(conn, &data.supplier)?;
    let product_id = insert_product_row(conn, data, supplier, job.now)?;
    if written.identity.is_some() || written.sku_derived {
        set_shop_identity(conn, product_id, written.identity, written.sku_derived)?;
    }
    let on_hand = written.on_hand.unwrap_or(0);
    if on_hand != 0 {
        record_movement(
            conn,
            product_id,
            MovementKind::Import,
            on_hand,
            job.reason,
            job.now,
        )?;
    }
    tally.new += 1;
    state.new_products += 1;
    if !data.track_stock {
        state.new_not_tracked += 1;
    }
    state.index.insert(
        data.sku.clone(),
        ProductRecord {
            product_id,
            data: data.clone(),
            on_hand,
            archived: false,
            identity: written.identity.cloned(),
            sku_derived: written.sku_derived,
        },
    );
    Ok(())
}
