//! Shopify's orders export (`orders_export.csv`, Orders › Export in the Shopify admin).
//!
//! One row per line item; the order's own fields (e-mail, statuses, addresses, dates) are
//! written on its first row only and apply to the rows that follow with the same `Name`.
//! Column list: Shopify's help center ("Exporting orders") and real exports, e.g.
//! `Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,
//! Currency,…,Created at,Lineitem quantity,Lineitem name,Lineitem price,…,Lineitem sku,
//! Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing …,
//! Shipping Name,Shipping Street,Shipping Address1,…,Cancelled at,…,Id,…` (79 columns).

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser};
use super::storefront::{
    OrderFields, SeenOrders, StorefrontLine, email, field, item_name, optional_time, order_number,
    required_quantity, required_time, sku,
};
use crate::domain::ship_to::ShipTo;
use crate::domain::shop_orders::Storefront;

const NAME: usize = 0;
const EMAIL: usize = 1;
const FINANCIAL_STATUS: usize = 2;
const FULFILLMENT_STATUS: usize = 3;
const FULFILLED_AT: usize = 4;
const CURRENCY: usize = 5;
const CREATED_AT: usize = 6;
const QUANTITY: usize = 7;
const ITEM_NAME: usize = 8;
const PRICE: usize = 9;
const SKU: usize = 10;
const REQUIRES_SHIPPING: usize = 11;
const LINE_FULFILLMENT: usize = 12;
const BILLING_NAME: usize = 13;
const SHIP_NAME: usize = 14;
const SHIP_COMPANY: usize = 15;
const SHIP_ADDRESS1: usize = 16;
const SHIP_ADDRESS2: usize = 17;
const SHIP_CITY: usize = 18;
const SHIP_ZIP: usize = 19;
const SHIP_PROVINCE: usize = 20;
const SHIP_COUNTRY: usize = 21;
const SHIP_PHONE: usize = 22;
const CANCELLED_AT: usize = 23;
const ID: usize = 24;
const PHONE: usize = 25;
const BILLING_PHONE: usize = 26;

/// Columns read from a Shopify orders export.
pub(crate) const SPECS: [ColumnSpec; 27] = [
    ColumnSpec::required("Name", &["name"]),
    ColumnSpec::optional("Email", &["email"]),
    ColumnSpec::optional("Financial Status", &["financialstatus"]),
    ColumnSpec::optional("Fulfillment Status", &["fulfillmentstatus"]),
    ColumnSpec::optional("Fulfilled at", &["fulfilledat", "fulfillmentdate"]),
    ColumnSpec::optional("Currency", &["currency"]),
    ColumnSpec::required("Created at", &["createdat"]),
    ColumnSpec::required("Lineitem quantity", &["lineitemquantity"]),
    ColumnSpec::required("Lineitem name", &["lineitemname"]),
    ColumnSpec::optional("Lineitem price", &["lineitemprice"]),
    ColumnSpec::optional("Lineitem sku", &["lineitemsku"]),
    ColumnSpec::optional("Lineitem requires shipping", &["lineitemrequiresshipping"]),
    ColumnSpec::optional(
        "Lineitem fulfillment status",
        &["lineitemfulfillmentstatus"],
    ),
    ColumnSpec::optional("Billing Name", &["billingname"]),
    ColumnSpec::optional("Shipping Name", &["shippingname"]),
    ColumnSpec::optional("Shipping Company", &["shippingcompany"]),
    ColumnSpec::optional("Shipping Address1", &["shippingaddress1"]),
    ColumnSpec::optional("Shipping Address2", &["shippingaddress2"]),
    ColumnSpec::optional("Shipping City", &["shippingcity"]),
    ColumnSpec::optional("Shipping Zip", &["shippingzip"]),
    ColumnSpec::optional("Shipping Province", &["shippingprovince"]),
    ColumnSpec::optional("Shipping Country", &["shippingcountry"]),
    ColumnSpec::optional("Shipping Phone", &["shippingphone"]),
    ColumnSpec::optional("Cancelled at", &["cancelledat", "canceledat"]),
    ColumnSpec::optional("Id", &["id"]),
    ColumnSpec::optional("Phone", &["phone"]),
    ColumnSpec::optional("Billing Phone", &["billingphone"]),
];

/// Date columns (for the day/month order of slash dates, which Shopify does not write).
pub(crate) const DATE_COLUMNS: [usize; 3] = [CREATED_AT, FULFILLED_AT, CANCELLED_AT];

/// Reads Shopify's orders export.
#[derive(Debug, Default)]
pub(crate) struct OrderParser {
    orders: SeenOrders,
}

/// The order's fields from the row that starts it.
fn order_fields(cx: &mut Cx<'_, '_>) -> Option<OrderFields> {
    let ordered_at = required_time(cx, CREATED_AT);
    let customer_email = email(cx, EMAIL);
    let ship_to = ShipTo {
        name: field(cx, SHIP_NAME),
        company: field(cx, SHIP_COMPANY),
        address1: field(cx, SHIP_ADDRESS1),
        address2: field(cx, SHIP_ADDRESS2),
        city: field(cx, SHIP_CITY),
        postal_code: field(cx, SHIP_ZIP),
        region: field(cx, SHIP_PROVINCE),
        country: field(cx, SHIP_COUNTRY),
        phone: [SHIP_PHONE, PHONE, BILLING_PHONE]
            .into_iter()
            .map(|column| field(cx, column))
            .find(|phone| !phone.is_empty())
            .unwrap_or_default(),
    }
    .cleaned();
    let customer_name = [field(cx, BILLING_NAME), ship_to.name.clone()]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| customer_email.clone());
    let fulfillment = cx.text(FULFILLMENT_STATUS).to_ascii_lowercase();
    let fulfilled_at = optional_time(cx, FULFILLED_AT);
    let cancelled = !cx.text(CANCELLED_AT).is_empty();
    if cancelled {
        // Checked for a readable date, though only its presence counts.
        optional_time(cx, CANCELLED_AT);
    }
    Some(OrderFields {
        order_id: field(cx, ID),
        ordered_at: ordered_at?,
        customer_name,
        customer_email,
        currency: field(cx, CURRENCY).to_ascii_uppercase(),
        status_text: field(cx, FINANCIAL_STATUS).to_ascii_lowercase(),
        order_cancelled: cancelled,
        ship_to,
        fulfilled: fulfillment == "fulfilled",
        fulfilled_at,
    })
}

impl RowParser for OrderParser {
    type Row = StorefrontLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<StorefrontLine> {
        let number = order_number(cx, NAME)?;
        if self.orders.get(&number).is_none() {
            let fields = order_fields(cx)?;
            self.orders.insert(&number, fields);
        }
        let quantity = required_quantity(cx, QUANTITY);
        let item = item_name(cx, ITEM_NAME);
        let unit_price_cents = cx.money(PRICE).unwrap_or(0);
        let sku = sku(cx, SKU);
        let requires_shipping = cx.text(REQUIRES_SHIPPING).to_ascii_lowercase();
        // Gift cards and digital goods: nothing to pick or ship (the import counts them as
        // skipped, and their order as one of the file's).
        let requires_shipping = !(requires_shipping == "false" || requires_shipping == "no");
        let order = self.orders.get(&number)?.clone();
        let line_status = cx.text(LINE_FULFILLMENT).to_ascii_lowercase();
        let quantity = quantity?;
        let fulfilled = if cx.has(LINE_FULFILLMENT) {
            line_status == "fulfilled"
        } else {
            order.fulfilled
        };
        if line_status == "partial" {
            let line = cx.line();
            cx.warnings.push(super::Warning {
                line: Some(line),
                message: format!(
                    "order {number}: '{}' is partly fulfilled in Shopify; it stays open here until \
                     Shopify marks it fulfilled",
                    item.as_deref().unwrap_or_default()
                ),
            });
        }
        let (shipped, cancelled) = if fulfilled {
            (quantity, 0)
        } else if order.order_cancelled {
            (0, quantity)
        } else {
            (0, 0)
        };
        Some(StorefrontLine {
            line: cx.line(),
            storefront: Storefront::Shopify,
            order_number: number,
            order_id: order.order_id,
            ordered_at: order.ordered_at,
            customer_name: order.customer_name,
            customer_email: order.customer_email,
            currency: order.currency,
            status_text: order.status_text,
            order_cancelled: order.order_cancelled,
            ship_to: order.ship_to,
            sku,
            item_name: item?,
            quantity,
            unit_price_cents,
            line_id: String::new(),
            shipped,
            cancelled,
            shipped_at: if shipped > 0 {
                order.fulfilled_at
            } else {
                None
            },
            requires_shipping,
        })
    }
}
