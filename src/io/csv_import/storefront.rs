//! The row every storefront orders layout reads into, and the pieces their parsers share:
//! order fields remembered from an order's first row, required dates and quantities, and
//! names put together from first and last names.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::MAX_UNITS;
use super::rows::Cx;
use crate::domain::ship_to::{ShipTo, clean_field};
use crate::domain::shop_orders::{Storefront, clean_sku};

/// One line item of a storefront order, with its order's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorefrontLine {
    /// Physical line of the row.
    pub line: u64,
    /// Which storefront's export it is.
    pub storefront: Storefront,
    /// The order number customers see (`#1001`, `1001`).
    pub order_number: String,
    /// The storefront's own id of the order (Shopify `Id`, WooCommerce `order_id`, Etsy
    /// `Order ID`); empty when the file has none.
    pub order_id: String,
    /// When the order was placed, in the shop's time as the storefront writes it (a Shopify
    /// `2024-03-05 23:30:00 -0500` is 23:30 on 5 March; the offset is read and not applied).
    pub ordered_at: NaiveDateTime,
    /// Empty when the file has none.
    pub customer_name: String,
    /// Empty when the file has none (the order is still imported).
    pub customer_email: String,
    /// `USD`, `EUR`; empty when the file does not say.
    pub currency: String,
    /// The storefront's own status words, kept and shown (Shopify's financial status,
    /// WooCommerce's order status).
    pub status_text: String,
    /// The storefront cancelled the order.
    pub order_cancelled: bool,
    /// Where the parcel goes (cleaned: no stray whitespace, no spreadsheet `'`).
    pub ship_to: ShipTo,
    /// The SKU without a spreadsheet's leading `'`; empty when the line has none.
    pub sku: String,
    /// The item as the storefront names it (Shopify: `Title - Option1 / Option2`).
    pub item_name: String,
    /// Units ordered, 1 or more.
    pub quantity: i64,
    /// Price of one unit (0 when the file does not say).
    pub unit_price_cents: i64,
    /// The storefront's id of the line item; empty when the file has none.
    pub line_id: String,
    /// Units the storefront shipped (fulfilled).
    pub shipped: i64,
    /// Units the storefront cancelled or refunded before shipping.
    pub cancelled: i64,
    /// When the shipped units left, if the file says.
    pub shipped_at: Option<NaiveDateTime>,
    /// `false` for gift cards and digital goods (Shopify's `Lineitem requires shipping`):
    /// nothing to pick or ship, so the import counts the line as skipped.
    pub requires_shipping: bool,
}

impl StorefrontLine {
    /// Units neither shipped nor cancelled in the storefront.
    pub fn open(&self) -> i64 {
        (self.quantity - self.shipped - self.cancelled).max(0)
    }

    /// What identifies the order in the storefront: its id when the file has one, else its
    /// number.
    pub fn order_key(&self) -> &str {
        if self.order_id.is_empty() {
            &self.order_number
        } else {
            &self.order_id
        }
    }
}

/// The fields of an order that a storefront writes on its first row only (Shopify) or on
/// every row; remembered by order number for the rows that leave them empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderFields {
    pub order_id: String,
    pub ordered_at: NaiveDateTime,
    pub customer_name: String,
    pub customer_email: String,
    pub currency: String,
    pub status_text: String,
    pub order_cancelled: bool,
    pub ship_to: ShipTo,
    /// Order-level fulfilment (for layouts without a per-line status).
    pub fulfilled: bool,
    pub fulfilled_at: Option<NaiveDateTime>,
}

/// Orders seen so far, by number.
#[derive(Debug, Default)]
pub(crate) struct SeenOrders(HashMap<String, OrderFields>);

impl SeenOrders {
    pub fn get(&self, number: &str) -> Option<&OrderFields> {
        self.0.get(number)
    }

    pub fn insert(&mut self, number: &str, fields: OrderFields) {
        self.0.insert(number.to_owned(), fields);
    }
}

/// Text of a column, whitespace runs made one space (names, addresses); empty when absent.
pub(crate) fn field(cx: &Cx<'_, '_>, column: usize) -> String {
    clean_field(&cx.text(column))
}

/// "First Last" from two columns, either may be empty.
pub(crate) fn full_name(cx: &Cx<'_, '_>, first: usize, last: usize) -> String {
    [field(cx, first), field(cx, last)]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SKU column without a spreadsheet's leading `'`.
pub(crate) fn sku(cx: &mut Cx<'_, '_>, column: usize) -> String {
    let text = cx.text(column);
    let sku = clean_sku(&text).to_owned();
    cx.warn_if_scientific(column, &sku);
    if sku.chars().any(char::is_control) {
        cx.fail(column, &sku, "must not contain line breaks or tabs");
    }
    sku
}

/// A required date (and time) of a column, in the shop's time as written.
pub(crate) fn required_time(cx: &mut Cx<'_, '_>, column: usize) -> Option<NaiveDateTime> {
    if cx.text(column).is_empty() {
        cx.fail(column, "", "a date is required");
        return None;
    }
    cx.stamp(column).map(|stamp| stamp.local)
}

/// An optional date (and time), in the shop's time as written.
pub(crate) fn optional_time(cx: &mut Cx<'_, '_>, column: usize) -> Option<NaiveDateTime> {
    cx.stamp(column).map(|stamp| stamp.local)
}

/// A required quantity of 1 or more.
pub(crate) fn required_quantity(cx: &mut Cx<'_, '_>, column: usize) -> Option<i64> {
    if cx.text(column).is_empty() {
        cx.fail(column, "", "a quantity is required");
        return None;
    }
    cx.whole(column, 1..=MAX_UNITS)
}

/// An e-mail address, warned about (not refused) when it cannot be used.
pub(crate) fn email(cx: &mut Cx<'_, '_>, column: usize) -> String {
    let address = field(cx, column);
    if !address.is_empty()
        && let Some(problem) = crate::domain::email::address_problem(&address)
    {
        cx.warn(
            column,
            &address,
            &format!(
                "is not a valid e-mail address ({problem}); the order is imported, messages \
                 to the customer wait until the address is corrected"
            ),
        );
    }
    address
}

/// The item name, required (it identifies the product when there is no SKU).
pub(crate) fn item_name(cx: &mut Cx<'_, '_>, column: usize) -> Option<String> {
    let name = field(cx, column);
    if name.is_empty() {
        cx.fail(column, "", "an item name is required");
        return None;
    }
    Some(name)
}

/// The order number, required.
pub(crate) fn order_number(cx: &mut Cx<'_, '_>, column: usize) -> Option<String> {
    let number = field(cx, column);
    if number.is_empty() {
        cx.fail(column, "", "an order number is required");
        return None;
    }
    Some(number)
}
