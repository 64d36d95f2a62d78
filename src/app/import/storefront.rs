//! Importing a storefront's orders export (Shopify, WooCommerce, Etsy, or a mapped file),
//! every day, over exports that overlap.
//!
//! The file is read whole (a daily export is small) and grouped by order. For each order:
//! - not in the shop yet: it is added as the storefront has it (cancelled lines cancelled,
//!   fulfilled lines shipped without moving stock: on hand comes from the stock count), and its
//!   open lines are allocated by the allocation rule;
//! - in the shop (found by the storefront's id, else by its number): what changed is applied —
//!   a cancellation releases the reservations (the units go to the next customers in the
//!   queue), a line fulfilled in the storefront that was open here is shipped here (reserved
//!   units leave through the ledger; units shipped there with nothing reserved here are shipped
//!   and named in a warning), payment words, addresses and new lines are taken over;
//! - unchanged: counted as unchanged. Importing the same file twice changes nothing.
//!
//! Everything runs in the import's transaction; a dry run rolls it back.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::domain::order::OrderStatus;
use crate::store::Connection;
use chrono::{Duration, NaiveDateTime};

use super::{ImportFailure, Tally};
use crate::app::Clock;
use crate::app::orders::reallocate;
use crate::domain::allocation::Allocated;
use crate::domain::format_cents;
use crate::domain::payment::PaymentState;
use crate::domain::shop_orders::{Storefront, is_oversold, name_key, payment_state_for};
use crate::io::csv_import::{
    ImportError, ImportSummary, Layout, RowError, Rows, StorefrontLine, Warning,
};
use crate::store::codec::datetime_text;
use crate::store::imports::{product_ids, settle_order};
use crate::store::messages::DraftOutcome;
use crate::store::orders::{
    OrderId, customer_id, insert_order, insert_order_line, product_stock, refresh_order_status,
    ship_line_units,
};
use crate::store::practice::update_payment;
use crate::store::rows::{NewOrder, NewOrderLine};
use crate::store::shop_orders::{
    KnownLine, KnownOrder, StorefrontFields, cancel_units, find_order, products_by_name,
    set_backordered_at_order, set_order_email, set_oversold, set_quantity, set_ship_to,
    set_storefront_fields, set_storefront_line_id, ship_without_stock, waiting_units,
};
use crate::store::{ProductId, StoreError};

/// Setting: days back from now within which a newly imported open order whose lines wait gets
/// its backorder confirmation drafted (default 2; 0 drafts none). Older history drafts nothing.
pub const IMPORT_CONFIRM_DAYS: &str = "import_confirm_days";
/// Default of [`IMPORT_CONFIRM_DAYS`].
pub const DEFAULT_IMPORT_CONFIRM_DAYS: i64 = 2;

/// The preview columns of a storefront import.
pub const PREVIEW_HEADER: [&str; 9] = [
    "order",
    "ordered at",
    "customer",
    "e-mail",
    "sku",
    "quantity",
    "price",
    "status",
    "ship to",
];

/// What changed on one order that was in the shop already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderChange {
    pub order_number: String,
    /// One short phrase per change: "cancelled in Shopify: 2 units released", …
    pub what: Vec<String>,
}

/// What a storefront import found beyond the row counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorefrontReport {
    /// Orders in the file (those with only gift cards or errors included).
    pub orders: u64,
    /// Line rows in the file (gift cards, errors and all).
    pub lines: u64,
    pub orders_new: u64,
    pub orders_changed: u64,
    pub orders_unchanged: u64,
    /// Orders that were in the shop and changed, with what changed.
    pub changes: Vec<OrderChange>,
    /// Lines recorded although their product could not be backordered.
    pub oversold_lines: u64,
    /// Backorder confirmations drafted for orders placed within the confirmation window.
    pub confirmations: u64,
}

/// One order of the file with its lines (in file order) and their products.
struct FileOrder {
    lines: Vec<(StorefrontLine, ProductId)>,
}

impl FileOrder {
    fn first(&self) -> &StorefrontLine {
        // Orders are only kept with at least one line.
        &self.lines[0].0
    }
}

/// The columns a line's product is looked up by, as the layout names them (for errors).
fn product_columns(layout: Layout) -> (&'static str, &'static str) {
    match layout {
        Layout::ShopifyOrders => ("Lineitem sku", "Lineitem name"),
        Layout::WooCommerceOrders => ("item_sku", "item_name"),
        Layout::WooCommerceOrderExport | Layout::EtsyOrders => ("SKU", "Item Name"),
        _ => ("SKU", "Item name"),
    }
}

/// Finds lines' products: by SKU (without a spreadsheet's `'`), else by the name as the
/// storefront writes it.
struct ProductFinder {
    by_sku: HashMap<String, ProductId>,
    by_name: HashMap<String, Vec<(ProductId, String)>>,
    sku_column: &'static str,
    name_column: &'static str,
}

impl ProductFinder {
    fn new(conn: &Connection, layout: Layout) -> Result<Self, StoreError> {
        let (sku_column, name_column) = product_columns(layout);
        Ok(Self {
            by_sku: product_ids(conn)?,
            by_name: products_by_name(conn)?,
            sku_column,
            name_column,
        })
    }

    fn find(&self, line: &StorefrontLine, storefront: Storefront) -> Result<ProductId, RowError> {
        if !line.sku.is_empty()
            && let Some(product) = self.by_sku.get(&line.sku)
        {
            return Ok(*product);
        }
        match self
            .by_name
            .get(&name_key(&line.item_name))
            .map(Vec::as_slice)
        {
            Some([(product, _)]) => Ok(*product),
            Some(several) if !several.is_empty() => {
                let skus: Vec<&str> = several.iter().map(|(_, sku)| sku.as_str()).collect();
                Err(RowError {
                    line: line.line,
                    column: self.name_column.to_owned(),
                    value: line.item_name.clone(),
                    reason: format!(
                        "matches {} products ({}); give them different names or SKUs in the \
                         catalog",
                        skus.len(),
                        skus.join(", ")
                    ),
                })
            }
            _ if line.sku.is_empty() => Err(RowError {
                line: line.line,
                column: self.name_column.to_owned(),
                value: line.item_name.clone(),
                reason: format!(
                    "the line has no SKU and no product has this name; import the {} products \
                     first or add the product",
                    storefront.label()
                ),
            }),
            _ => Err(RowError {
                line: line.line,
                column: self.sku_column.to_owned(),
                value: line.sku.clone(),
                reason: format!(
                    "is not in the catalog, and no product is named '{}'; import the {} products \
                     first or add the product",
                    line.item_name,
                    storefront.label()
                ),
            }),
        }
    }
}

/// What the import did to stock and lines, for the steps after every order is read.
#[derive(Default)]
struct Effects {
    /// Products whose free stock or queue changed: allocated again once every order is read.
    products: BTreeSet<ProductId>,
    /// Lines added with open units: (line id, product, when the order was placed).
    new_open_lines: Vec<(i64, ProductId, NaiveDateTime)>,
    /// New orders with open units, for the confirmation drafts.
    new_open_orders: Vec<(OrderId, NaiveDateTime)>,
    /// Units fulfilled in the storefront that are open here: shipped once stock was allocated
    /// (so units freed by cancellations in the same file reach them first).
    shipments: Vec<Shipment>,
}

/// Units of a line the storefront shipped that are open here.
struct Shipment {
    /// Index of the order's entry in the report's changes.
    change: usize,
    shop: Storefront,
    order_number: String,
    file_line: u64,
    line_id: i64,
    sku: String,
    units: i64,
    at: String,
}

/// Why a file's order cannot be the shop's order with the same number, if it cannot: the
/// number belongs to an order of another storefront, or to another order of the same
/// storefront (a second shop, or a number used again: told apart by the storefront's id when
/// both have one).
fn number_taken(known: &KnownOrder, first: &StorefrontLine) -> Option<String> {
    if let Some(other) = known.fields.storefront
        && other != first.storefront
    {
        return Some(format!(
            "this order number is already used by an order from {other}; the two cannot be told \
             apart, so this order is left out"
        ));
    }
    let keyed_by_number = known.fields.storefront_order_id == known.order_number;
    (known.fields.storefront == Some(first.storefront)
        && !first.order_id.is_empty()
        && !keyed_by_number
        && known.fields.storefront_order_id != first.order_id)
        .then(|| {
            format!(
                "this order number is already used by another {} order (id {}, this one has id \
                 {}); the order is left out",
                first.storefront, known.fields.storefront_order_id, first.order_id
            )
        })
}

/// Settles the status of the orders that changed and names a status change first in what
/// changed ("cancelled in Shopify: …").
fn note_status_changes(
    conn: &Connection,
    orders: &[(OrderId, OrderStatus, Storefront)],
    changes: &mut [OrderChange],
    now_text: &str,
) -> Result<(), StoreError> {
    for ((order_id, before, shop), change) in orders.iter().zip(changes) {
        refresh_order_status(conn, *order_id, now_text)?;
        let after = crate::store::orders::order_status(conn, *order_id)?;
        if after != *before {
            let text = match after {
                OrderStatus::Cancelled => format!(
                    "cancelled in {shop}: its reserved stock went to the next customers in line"
                ),
                OrderStatus::Shipped => format!("shipped in {shop}: the order is complete"),
                OrderStatus::Open => format!("now {after}"),
            };
            change.what.insert(0, text);
        }
    }
    Ok(())
}

/// Reads every row of a storefront export and applies it. Returns the file's summary and what
/// the import found beyond the row counts.
#[expect(
    clippy::too_many_arguments,
    reason = "the import's shared state, passed once"
)]
pub(crate) fn import_rows(
    conn: &Connection,
    rows: Rows<'_, StorefrontLine>,
    layout: Layout,
    path: &str,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
    tally: &mut Tally,
    batch_id: i64,
    clock: Clock,
) -> Result<(ImportSummary, StorefrontReport), ImportFailure> {
    let (summary, orders, orders_in_file) = read_orders(conn, rows, layout, path, on_batch, tally)?;
    let now = clock.now();
    let now_text = datetime_text(now);
    let mut report = StorefrontReport {
        orders: orders_in_file,
        lines: summary.rows_read,
        ..StorefrontReport::default()
    };
    let mut effects = Effects::default();
    // Orders that changed, with their status before (to name a status change at the end).
    let mut changed: Vec<(OrderId, OrderStatus, Storefront)> = Vec::new();
    for order in &orders {
        let first = order.first();
        let found = find_order(
            conn,
            first.storefront,
            first.order_key(),
            &first.order_number,
        )?;
        let Some(known) = found else {
            add_order(conn, order, batch_id, &mut effects, tally)?;
            report.orders_new += 1;
            continue;
        };
        if let Some(reason) = number_taken(&known, first) {
            for (line, _) in &order.lines {
                tally.push_error(RowError {
                    line: line.line,
                    column: "order".to_owned(),
                    value: line.order_number.clone(),
                    reason: reason.clone(),
                });
            }
            continue;
        }
        let change = report.changes.len();
        let (what, shipping) = apply_changes(
            conn,
            order,
            &known,
            batch_id,
            change,
            &now_text,
            &mut effects,
        )?;
        let rows = order.lines.len() as u64;
        if what.is_empty() && !shipping {
            report.orders_unchanged += 1;
            tally.unchanged += rows;
        } else {
            report.orders_changed += 1;
            tally.updated += rows;
            report.changes.push(OrderChange {
                order_number: known.order_number.clone(),
                what,
            });
            changed.push((known.order_id, known.status, first.storefront));
            for (line, _) in &order.lines {
                tally.preview(|| preview_row(line));
            }
        }
    }

    // Stock freed by cancellations goes to the queue and new lines take what is free, all by
    // the allocation rule; then what the storefront shipped leaves.
    let mut moved: Vec<Allocated> = Vec::new();
    for product_id in &effects.products {
        moved.extend(reallocate(conn, *product_id)?);
    }
    for shipment in &effects.shipments {
        let text = ship(conn, shipment, tally)?;
        report.changes[shipment.change].what.push(text);
    }
    note_status_changes(conn, &changed, &mut report.changes, &now_text)?;
    for (line_id, product_id, ordered_at) in &effects.new_open_lines {
        let waiting = waiting_units(conn, *line_id)?;
        set_backordered_at_order(conn, *line_id, waiting)?;
        let stock = product_stock(conn, *product_id)?;
        if is_oversold(
            waiting,
            stock.policy,
            stock.backorder_cutoff,
            ordered_at.date(),
        ) {
            set_oversold(conn, *line_id, true)?;
            report.oversold_lines += 1;
        }
    }
    // Windows first: the confirmations name them.
    crate::app::promises::recompute(conn, clock.today(), "storefront orders imported")?;
    crate::app::notify::draft_ready(conn, &moved, &now_text)?;
    let days = confirm_days(conn)?;
    let since = now - Duration::days(days);
    for (order_id, ordered_at) in &effects.new_open_orders {
        if days == 0
            || *ordered_at < since
            || crate::store::shop_orders::has_oversold(conn, *order_id)?
        {
            continue;
        }
        if matches!(
            crate::app::notify::draft_confirmation(conn, *order_id, &now_text)?,
            Some(DraftOutcome::Added(_) | DraftOutcome::Replaced(_))
        ) {
            report.confirmations += 1;
        }
    }
    Ok((summary, report))
}

/// Ships what the storefront shipped: reserved units through the ledger, the rest (nothing
/// was reserved for them here) without changing on hand, with a warning. Returns what it did.
fn ship(conn: &Connection, shipment: &Shipment, tally: &mut Tally) -> Result<String, StoreError> {
    let shop = shipment.shop;
    let (reserved, open) = crate::store::orders::line_reserved_and_open(conn, shipment.line_id)?;
    let units_now = shipment.units.min(open);
    let from_stock = reserved.min(units_now);
    if from_stock > 0 {
        ship_line_units(conn, shipment.line_id, from_stock, &shipment.at)?;
    }
    let unreserved = units_now - from_stock;
    if unreserved > 0 {
        ship_without_stock(conn, shipment.line_id, unreserved, &shipment.at)?;
        tally.warnings.push(Warning {
            line: Some(shipment.file_line),
            message: format!(
                "order {}: {} of {} shipped in {shop} while nothing was reserved for them here; \
                 recorded as shipped without changing on hand — count {} and adjust its stock",
                shipment.order_number,
                units(unreserved),
                shipment.sku,
                shipment.sku
            ),
        });
        Ok(format!(
            "{}: {} shipped in {shop} ({} with nothing reserved here)",
            shipment.sku,
            units(units_now),
            unreserved
        ))
    } else {
        Ok(format!(
            "{}: {} shipped in {shop}, taken from stock",
            shipment.sku,
            units(units_now)
        ))
    }
}

/// The confirmation window in days ([`IMPORT_CONFIRM_DAYS`]).
fn confirm_days(conn: &Connection) -> Result<i64, StoreError> {
    let value = crate::store::settings::get(conn, IMPORT_CONFIRM_DAYS)?;
    Ok(value
        .and_then(|text| text.trim().parse().ok())
        .filter(|days: &i64| (0..=365).contains(days))
        .unwrap_or(DEFAULT_IMPORT_CONFIRM_DAYS))
}

/// Reads the rows, finds each line's product and groups the lines by order, in file order.
fn read_orders(
    conn: &Connection,
    mut rows: Rows<'_, StorefrontLine>,
    layout: Layout,
    path: &str,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
    tally: &mut Tally,
) -> Result<(ImportSummary, Vec<FileOrder>, u64), ImportFailure> {
    let finder = ProductFinder::new(conn, layout)?;
    let mut orders: Vec<FileOrder> = Vec::new();
    let mut index: HashMap<(Storefront, String), usize> = HashMap::new();
    // Orders of the file, with lines the desk imports or not (gift cards only, errors).
    let mut seen: HashSet<(Storefront, String)> = HashSet::new();
    let mut not_shipped = 0;
    let mut count = 0_u64;
    for item in rows.by_ref() {
        let item = item.map_err(|source: ImportError| ImportFailure::File {
            path: path.to_owned(),
            error: source,
        })?;
        count += 1;
        if count.is_multiple_of(1024) {
            on_batch(0)?;
        }
        let Ok(line) = item else { continue };
        seen.insert((line.storefront, line.order_key().to_owned()));
        if !line.requires_shipping {
            // A gift card or a digital good: nothing to pick or ship.
            not_shipped += 1;
            continue;
        }
        let product = match finder.find(&line, line.storefront) {
            Ok(product) => product,
            Err(error) => {
                tally.push_error(error);
                continue;
            }
        };
        let key = (line.storefront, line.order_key().to_owned());
        match index.get(&key) {
            Some(&at) => orders[at].lines.push((line, product)),
            None => {
                index.insert(key, orders.len());
                orders.push(FileOrder {
                    lines: vec![(line, product)],
                });
            }
        }
    }
    on_batch(rows.bytes_read())?;
    let mut summary = rows.into_summary();
    summary.rows_ok = summary.rows_ok.saturating_sub(not_shipped);
    summary.rows_skipped += not_shipped;
    if not_shipped > 0 {
        summary.skip_reasons.push((
            "lines that need no shipping (gift cards, digital goods)".to_owned(),
            not_shipped,
        ));
    }
    Ok((summary, orders, seen.len() as u64))
}

fn preview_row(line: &StorefrontLine) -> Vec<String> {
    let status = if line.shipped >= line.quantity {
        "shipped"
    } else if line.cancelled >= line.quantity {
        "cancelled"
    } else {
        "open"
    };
    vec![
        line.order_number.clone(),
        crate::store::codec::datetime_text(line.ordered_at),
        line.customer_name.clone(),
        line.customer_email.clone(),
        if line.sku.is_empty() {
            line.item_name.clone()
        } else {
            line.sku.clone()
        },
        line.quantity.to_string(),
        format_cents(line.unit_price_cents),
        status.to_owned(),
        line.ship_to.one_line(),
    ]
}

/// The storefront fields an order gets from its first line.
fn storefront_fields(first: &StorefrontLine) -> StorefrontFields {
    StorefrontFields {
        storefront: Some(first.storefront),
        storefront_order_id: first.order_key().to_owned(),
        status_text: first.status_text.clone(),
        currency: first.currency.clone(),
    }
}

/// Inserts one line of a storefront order (nothing reserved yet: allocation runs at the end).
fn insert_line(
    conn: &Connection,
    order_id: OrderId,
    line_no: i64,
    line: &StorefrontLine,
    product: ProductId,
    effects: &mut Effects,
) -> Result<i64, StoreError> {
    let line_id = insert_order_line(
        conn,
        &NewOrderLine {
            order_id,
            line_no,
            product_id: product,
            quantity: line.quantity,
            unit_price_cents: line.unit_price_cents,
            reserved_qty: 0,
            shipped_qty: line.shipped,
            cancelled_qty: line.cancelled,
            backordered_at_order_qty: 0,
            shipped_at: (line.shipped > 0).then(|| line.shipped_at.unwrap_or(line.ordered_at)),
        },
    )?;
    if !line.line_id.is_empty() {
        set_storefront_line_id(conn, line_id, &line.line_id)?;
    }
    if line.open() > 0 {
        effects.products.insert(product);
        effects
            .new_open_lines
            .push((line_id, product, line.ordered_at));
    }
    Ok(line_id)
}

/// Adds an order the shop does not have yet, as the storefront has it.
fn add_order(
    conn: &Connection,
    order: &FileOrder,
    batch_id: i64,
    effects: &mut Effects,
    tally: &mut Tally,
) -> Result<(), ImportFailure> {
    let first = order.first();
    let name = if first.customer_name.is_empty() {
        format!("Customer of order {}", first.order_number)
    } else {
        first.customer_name.clone()
    };
    let customer = customer_id(conn, &name, &first.customer_email)?;
    let order_id = insert_order(
        conn,
        &NewOrder {
            order_number: &first.order_number,
            customer_id: customer,
            ordered_at: first.ordered_at,
            high_priority: false,
            ship_complete: false,
            status: OrderStatus::Open,
            closed_at: None,
            batch_id: Some(batch_id),
        },
    )?;
    set_storefront_fields(conn, order_id, &storefront_fields(first))?;
    if !first.ship_to.is_empty() {
        set_ship_to(conn, order_id, &first.ship_to)?;
    }
    if payment_state_for(&first.status_text) == PaymentState::Authorized {
        let at = datetime_text(first.ordered_at);
        update_payment(
            conn,
            order_id,
            PaymentState::Authorized,
            Some(&at),
            0,
            false,
            &at,
        )?;
    }
    for (line_no, (line, product)) in (1..).zip(&order.lines) {
        insert_line(conn, order_id, line_no, line, *product, effects)?;
        tally.new += 1;
        tally.preview(|| preview_row(line));
    }
    settle_order(conn, order_id.0)?;
    if order.lines.iter().any(|(line, _)| line.open() > 0) {
        effects.new_open_orders.push((order_id, first.ordered_at));
    }
    Ok(())
}

/// Pairs the file's lines with the order's lines: by the storefront's line id when both have
/// one, then by product in order. Returns, per file line, the index of its stored line.
fn pair_lines(file: &[(StorefrontLine, ProductId)], known: &[KnownLine]) -> Vec<Option<usize>> {
    let mut taken = vec![false; known.len()];
    let mut pairs = vec![None; file.len()];
    for (at, (line, _)) in file.iter().enumerate() {
        if line.line_id.is_empty() {
            continue;
        }
        if let Some(found) = known
            .iter()
            .enumerate()
            .position(|(k, stored)| !taken[k] && stored.storefront_line_id == line.line_id)
        {
            taken[found] = true;
            pairs[at] = Some(found);
        }
    }
    for (at, (_, product)) in file.iter().enumerate() {
        if pairs[at].is_some() {
            continue;
        }
        if let Some(found) = known
            .iter()
            .enumerate()
            .position(|(k, stored)| !taken[k] && stored.product_id == *product)
        {
            taken[found] = true;
            pairs[at] = Some(found);
        }
    }
    pairs
}

fn units(count: i64) -> String {
    if count == 1 {
        "1 unit".to_owned()
    } else {
        format!("{count} units")
    }
}

/// Applies what the file says changed to an order the shop has, except shipments, which are
/// queued in `effects` (see [`Effects::shipments`]). Returns what changed and whether a shipment
/// was queued.
#[expect(
    clippy::too_many_lines,
    reason = "each field a storefront order can change is compared and applied in turn, all remembered for undo by the one closure"
)]
fn apply_changes(
    conn: &Connection,
    order: &FileOrder,
    known: &KnownOrder,
    batch_id: i64,
    change: usize,
    now: &str,
    effects: &mut Effects,
) -> Result<(Vec<String>, bool), ImportFailure> {
    let first = order.first();
    let shop = first.storefront;
    let mut what = Vec::new();
    let mut remembered = false;
    let mut remember = |conn: &Connection| -> Result<(), StoreError> {
        if !remembered {
            crate::store::batches::remember_order_before(conn, batch_id, known.order_id.0)?;
            remembered = true;
        }
        Ok(())
    };

    // Which storefront order it is (an order typed or imported before is linked to it).
    let fields = StorefrontFields {
        storefront: Some(shop),
        storefront_order_id: first.order_key().to_owned(),
        status_text: if first.status_text.is_empty() {
            known.fields.status_text.clone()
        } else {
            first.status_text.clone()
        },
        currency: if first.currency.is_empty() {
            known.fields.currency.clone()
        } else {
            first.currency.clone()
        },
    };
    if fields != known.fields {
        remember(conn)?;
        set_storefront_fields(conn, known.order_id, &fields)?;
        if known.fields.storefront.is_none() {
            what.push(format!("linked to {shop} order {}", first.order_key()));
        } else {
            if fields.status_text != known.fields.status_text {
                let before = if known.fields.status_text.is_empty() {
                    "none"
                } else {
                    known.fields.status_text.as_str()
                };
                what.push(format!("payment {before} → {}", fields.status_text));
            }
            if fields.currency != known.fields.currency {
                what.push(format!("currency {}", fields.currency));
            }
            if fields.storefront_order_id != known.fields.storefront_order_id {
                what.push(format!("{shop} order id {}", fields.storefront_order_id));
            }
        }
    }
    // A card authorized before and paid now (or voided …) no longer waits for a capture here.
    if known.status == OrderStatus::Open
        && known.payment == PaymentState::Authorized
        && !first.status_text.is_empty()
        && payment_state_for(&first.status_text) != PaymentState::Authorized
    {
        remember(conn)?;
        update_payment(
            conn,
            known.order_id,
            PaymentState::NotNeeded,
            None,
            0,
            false,
            now,
        )?;
    }
    if !first.ship_to.is_empty() && first.ship_to != known.ship_to {
        remember(conn)?;
        let fields_changed = first.ship_to.changed_fields(&known.ship_to);
        set_ship_to(conn, known.order_id, &first.ship_to)?;
        if known.ship_to.is_empty() {
            what.push("ship-to address added".to_owned());
        } else {
            what.push(format!("ship-to changed ({})", fields_changed.join(", ")));
        }
    }
    if known.customer_email.trim().is_empty() && !first.customer_email.is_empty() {
        remember(conn)?;
        set_order_email(conn, known.order_id, &first.customer_email)?;
        what.push(format!("e-mail added ({})", first.customer_email));
    }

    let pairs = pair_lines(&order.lines, &known.lines);
    let next_line_no = known
        .lines
        .iter()
        .map(|line| line.line_no)
        .max()
        .unwrap_or(0)
        + 1;
    let mut shipping = false;
    let mut new_lines: Vec<(&StorefrontLine, ProductId)> = Vec::new();
    for ((line, product), pair) in order.lines.iter().zip(pairs) {
        let Some(at) = pair else {
            new_lines.push((line, *product));
            continue;
        };
        let stored = &known.lines[at];
        if line.line_id != stored.storefront_line_id && !line.line_id.is_empty() {
            remember(conn)?;
            set_storefront_line_id(conn, stored.line_id, &line.line_id)?;
            what.push(format!("{}: {shop} line id {}", stored.sku, line.line_id));
        }
        let mut quantity = stored.quantity;
        let mut cancelled = stored.cancelled;
        // The storefront raised the quantity: more units wait.
        if line.quantity > quantity {
            remember(conn)?;
            set_quantity(conn, stored.line_id, line.quantity)?;
            what.push(format!(
                "{} quantity {quantity} → {}",
                stored.sku, line.quantity
            ));
            quantity = line.quantity;
            effects.products.insert(stored.product_id);
        }
        // Units the storefront no longer sells (a lower quantity, a cancellation, a refund)
        // are cancelled here while they are open; their reservations go back to the queue.
        let wanted_cancelled = line.cancelled + (quantity - line.quantity).max(0);
        if wanted_cancelled > cancelled {
            let open = quantity - stored.shipped - cancelled;
            let to_cancel = (wanted_cancelled - cancelled).min(open);
            if to_cancel > 0 {
                remember(conn)?;
                let done = cancel_units(conn, stored.line_id, to_cancel)?;
                cancelled += done;
                effects.products.insert(stored.product_id);
                what.push(format!(
                    "{}: {} cancelled in {shop}",
                    stored.sku,
                    units(done)
                ));
            }
        }
        // Units the storefront fulfilled that are open here ship here, after allocation.
        if line.shipped > stored.shipped {
            let open = quantity - stored.shipped - cancelled;
            let to_ship = (line.shipped - stored.shipped).min(open);
            if to_ship > 0 {
                remember(conn)?;
                shipping = true;
                effects.shipments.push(Shipment {
                    change,
                    shop,
                    order_number: known.order_number.clone(),
                    file_line: line.line,
                    line_id: stored.line_id,
                    sku: stored.sku.clone(),
                    units: to_ship,
                    at: line
                        .shipped_at
                        .map_or_else(|| now.to_owned(), datetime_text),
                });
            }
        }
    }
    for ((line, product), line_no) in new_lines.into_iter().zip(next_line_no..) {
        remember(conn)?;
        insert_line(conn, known.order_id, line_no, line, product, effects)?;
        what.push(format!(
            "line added: {} × {}",
            line.quantity,
            display_item(line)
        ));
    }
    // Every write above names itself, so an order written to is never counted as unchanged (its
    // state before is kept for an undo, which needs the import recorded).
    debug_assert!(!remembered || !what.is_empty() || shipping);
    Ok((what, shipping))
}

fn display_item(line: &StorefrontLine) -> &str {
    if line.sku.is_empty() {
        &line.item_name
    } else {
        &line.sku
    }
}

/// Flags the waiting lines of the orders an import added (ids above `after_order_id`) whose
/// product could not be backordered on the day the order was placed. Returns how many.
pub(crate) fn flag_oversold_imported(
    conn: &Connection,
    after_order_id: i64,
) -> Result<u64, StoreError> {
    let candidates =
        crate::store::shop_orders::waiting_lines_of_strict_products(conn, after_order_id)?;
    let mut flagged = 0;
    for candidate in candidates {
        if is_oversold(
            candidate.waiting,
            candidate.policy,
            candidate.cutoff,
            candidate.ordered_at.date(),
        ) {
            set_oversold(conn, candidate.line_id, true)?;
            flagged += 1;
        }
    }
    Ok(flagged)
}
