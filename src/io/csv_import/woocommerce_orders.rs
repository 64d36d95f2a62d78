//! WooCommerce order exports. Core WooCommerce exports no orders, so the two exporters shops use
//! most are read:
//!
//! - the official **Customer / Order / Coupon Export** extension, format "Default -
//!   One Row per Item": `order_id,order_number,date,status,shipping_total,…,order_currency,…,
//!   billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,…,
//!   shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,
//!   shipping_postcode,shipping_city,shipping_state,shipping_country,shipping_company,
//!   customer_note,item_id,item_product_id,item_name,item_sku,item_quantity,item_subtotal,
//!   item_subtotal_tax,item_total,item_total_tax,item_refunded,item_refunded_qty,item_meta,…`
//!   (the extension's `default_one_row_per_item` format definition; see
//!   `tests/fixtures/README`);
//! - the free **Advanced Order Export For WooCommerce** plugin, default fields with
//!   one row per product: `Order Number,Order Status,Order Date,Customer Note,First Name
//!   (Billing),…,Address 1&2 (Shipping),City (Shipping),State Code (Shipping),Postcode
//!   (Shipping),Country Code (Shipping),…,Item #,SKU,Item Name,Quantity,Quantity (- Refund),
//!   Item Cost,…`.
//!
//! Both write every order field on every row. WooCommerce keeps no per-line fulfilment: a
//! `completed` order shipped (what was not refunded), `cancelled`, `refunded` and `failed`
//! orders ship nothing, the others wait.

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser};
use super::storefront::{
    StorefrontLine, email, field, full_name, item_name, order_number, required_quantity,
    required_time, sku,
};
use crate::domain::ship_to::ShipTo;
use crate::domain::shop_orders::{Storefront, WooStatus};

// ---------------------------------------------------------------------------------------------
// Customer / Order / Coupon Export, "Default - One Row per Item"

const C_ORDER_ID: usize = 0;
const C_NUMBER: usize = 1;
const C_DATE: usize = 2;
const C_STATUS: usize = 3;
const C_CURRENCY: usize = 4;
const C_BILL_FIRST: usize = 5;
const C_BILL_LAST: usize = 6;
const C_BILL_EMAIL: usize = 7;
const C_BILL_PHONE: usize = 8;
const C_SHIP_FIRST: usize = 9;
const C_SHIP_LAST: usize = 10;
const C_SHIP_COMPANY: usize = 11;
const C_SHIP_ADDRESS1: usize = 12;
const C_SHIP_ADDRESS2: usize = 13;
const C_SHIP_POSTCODE: usize = 14;
const C_SHIP_CITY: usize = 15;
const C_SHIP_STATE: usize = 16;
const C_SHIP_COUNTRY: usize = 17;
const C_ITEM_ID: usize = 18;
const C_ITEM_NAME: usize = 19;
const C_ITEM_SKU: usize = 20;
const C_ITEM_QUANTITY: usize = 21;
const C_ITEM_SUBTOTAL: usize = 22;
const C_ITEM_TOTAL: usize = 23;
const C_ITEM_REFUNDED_QTY: usize = 24;
const C_ITEM_PRICE: usize = 25;
const C_SHIP_PHONE: usize = 26;

/// Columns read from the extension's one-row-per-item order export.
pub(crate) const COC_SPECS: [ColumnSpec; 27] = [
    ColumnSpec::optional("order_id", &["orderid"]),
    ColumnSpec::required("order_number", &["ordernumber"]),
    ColumnSpec::required("date", &["date", "orderdate"]),
    ColumnSpec::required("status", &["status"]),
    ColumnSpec::optional("order_currency", &["ordercurrency", "currency"]),
    ColumnSpec::optional("billing_first_name", &["billingfirstname"]),
    ColumnSpec::optional("billing_last_name", &["billinglastname"]),
    ColumnSpec::optional("billing_email", &["billingemail"]),
    ColumnSpec::optional("billing_phone", &["billingphone"]),
    ColumnSpec::optional("shipping_first_name", &["shippingfirstname"]),
    ColumnSpec::optional("shipping_last_name", &["shippinglastname"]),
    ColumnSpec::optional("shipping_company", &["shippingcompany"]),
    ColumnSpec::optional("shipping_address_1", &["shippingaddress1"]),
    ColumnSpec::optional("shipping_address_2", &["shippingaddress2"]),
    ColumnSpec::optional("shipping_postcode", &["shippingpostcode"]),
    ColumnSpec::optional("shipping_city", &["shippingcity"]),
    ColumnSpec::optional("shipping_state", &["shippingstate"]),
    ColumnSpec::optional("shipping_country", &["shippingcountry"]),
    ColumnSpec::optional("item_id", &["itemid"]),
    ColumnSpec::required("item_name", &["itemname"]),
    ColumnSpec::optional("item_sku", &["itemsku"]),
    ColumnSpec::required("item_quantity", &["itemquantity"]),
    ColumnSpec::optional("item_subtotal", &["itemsubtotal"]),
    ColumnSpec::optional("item_total", &["itemtotal"]),
    ColumnSpec::optional("item_refunded_qty", &["itemrefundedqty"]),
    ColumnSpec::optional("item_price", &["itemprice"]),
    ColumnSpec::optional("shipping_phone", &["shippingphone"]),
];

pub(crate) const COC_DATE_COLUMNS: [usize; 1] = [C_DATE];

/// The status column of a WooCommerce export.
fn status(cx: &mut Cx<'_, '_>, column: usize) -> Option<WooStatus> {
    let text = cx.text(column);
    let status = WooStatus::parse(&text);
    if status.is_none() {
        let text = text.into_owned();
        cx.fail(
            column,
            &text,
            "is not a WooCommerce order status (pending, processing, on-hold, completed, \
             cancelled, refunded or failed)",
        );
    }
    status
}

/// Price of one unit from a line's amount: the amount divided by the quantity, to the cent.
fn per_unit(amount_cents: i64, quantity: i64) -> i64 {
    if quantity <= 0 {
        return 0;
    }
    // Rounded half away from zero.
    (2 * amount_cents + quantity) / (2 * quantity)
}

/// Reads the extension's one-row-per-item format.
#[derive(Debug, Default)]
pub(crate) struct CocParser;

impl RowParser for CocParser {
    type Row = StorefrontLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<StorefrontLine> {
        let number = order_number(cx, C_NUMBER);
        let ordered_at = required_time(cx, C_DATE);
        let status = status(cx, C_STATUS);
        let customer_email = email(cx, C_BILL_EMAIL);
        let ship_to = ShipTo {
            name: full_name(cx, C_SHIP_FIRST, C_SHIP_LAST),
            company: field(cx, C_SHIP_COMPANY),
            address1: field(cx, C_SHIP_ADDRESS1),
            address2: field(cx, C_SHIP_ADDRESS2),
            city: field(cx, C_SHIP_CITY),
            postal_code: field(cx, C_SHIP_POSTCODE),
            region: field(cx, C_SHIP_STATE),
            country: field(cx, C_SHIP_COUNTRY),
            phone: [C_SHIP_PHONE, C_BILL_PHONE]
                .into_iter()
                .map(|column| field(cx, column))
                .find(|phone| !phone.is_empty())
                .unwrap_or_default(),
        }
        .cleaned();
        let customer_name = [
            full_name(cx, C_BILL_FIRST, C_BILL_LAST),
            ship_to.name.clone(),
        ]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| customer_email.clone());
        let item = item_name(cx, C_ITEM_NAME);
        let sku = sku(cx, C_ITEM_SKU);
        let quantity = required_quantity(cx, C_ITEM_QUANTITY);
        // WooCommerce writes refunded quantities as negative numbers.
        let refunded = cx
            .whole(C_ITEM_REFUNDED_QTY, -super::MAX_UNITS..=super::MAX_UNITS)
            .map_or(0, i64::abs);
        let unit_price_cents = match (cx.money(C_ITEM_PRICE), quantity) {
            (Some(price), _) => price,
            (None, Some(quantity)) => cx
                .money(C_ITEM_SUBTOTAL)
                .or_else(|| cx.money(C_ITEM_TOTAL))
                .map_or(0, |amount| per_unit(amount, quantity)),
            (None, None) => 0,
        };
        let quantity = quantity?;
        let status = status?;
        let split = status.split(quantity, refunded);
        Some(StorefrontLine {
            line: cx.line(),
            storefront: Storefront::WooCommerce,
            order_number: number?,
            order_id: field(cx, C_ORDER_ID),
            ordered_at: ordered_at?,
            customer_name,
            customer_email,
            currency: field(cx, C_CURRENCY).to_ascii_uppercase(),
            status_text: status.code().to_owned(),
            order_cancelled: matches!(
                status,
                WooStatus::Cancelled | WooStatus::Refunded | WooStatus::Failed
            ),
            ship_to,
            sku,
            item_name: item?,
            quantity,
            unit_price_cents,
            line_id: field(cx, C_ITEM_ID),
            shipped: split.shipped,
            cancelled: split.cancelled,
            shipped_at: None,
            requires_shipping: true,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Advanced Order Export For WooCommerce, default fields, one row per product

const A_NUMBER: usize = 0;
const A_STATUS: usize = 1;
const A_DATE: usize = 2;
const A_BILL_FIRST: usize = 3;
const A_BILL_LAST: usize = 4;
const A_BILL_EMAIL: usize = 5;
const A_BILL_PHONE: usize = 6;
const A_SHIP_FIRST: usize = 7;
const A_SHIP_LAST: usize = 8;
const A_SHIP_COMPANY: usize = 9;
const A_SHIP_ADDRESS12: usize = 10;
const A_SHIP_ADDRESS1: usize = 11;
const A_SHIP_ADDRESS2: usize = 12;
const A_SHIP_CITY: usize = 13;
const A_SHIP_STATE: usize = 14;
const A_SHIP_POSTCODE: usize = 15;
const A_SHIP_COUNTRY: usize = 16;
const A_ITEM_NUMBER: usize = 17;
const A_SKU: usize = 18;
const A_ITEM_NAME: usize = 19;
const A_QUANTITY: usize = 20;
const A_QUANTITY_LESS_REFUND: usize = 21;
const A_ITEM_COST: usize = 22;
const A_CURRENCY: usize = 23;
const A_ORDER_ID: usize = 24;
const A_SHIP_PHONE: usize = 25;

/// Columns read from the Advanced Order Export plugin's default layout.
pub(crate) const AOE_SPECS: [ColumnSpec; 26] = [
    ColumnSpec::required("Order Number", &["ordernumber"]),
    ColumnSpec::required("Order Status", &["orderstatus"]),
    ColumnSpec::required("Order Date", &["orderdate"]),
    ColumnSpec::optional("First Name (Billing)", &["firstname(billing)"]),
    ColumnSpec::optional("Last Name (Billing)", &["lastname(billing)"]),
    ColumnSpec::optional("Email (Billing)", &["email(billing)"]),
    ColumnSpec::optional("Phone (Billing)", &["phone(billing)"]),
    ColumnSpec::optional("First Name (Shipping)", &["firstname(shipping)"]),
    ColumnSpec::optional("Last Name (Shipping)", &["lastname(shipping)"]),
    ColumnSpec::optional("Company (Shipping)", &["company(shipping)"]),
    ColumnSpec::optional("Address 1&2 (Shipping)", &["address1&2(shipping)"]),
    ColumnSpec::optional("Address 1 (Shipping)", &["address1(shipping)"]),
    ColumnSpec::optional("Address 2 (Shipping)", &["address2(shipping)"]),
    ColumnSpec::optional("City (Shipping)", &["city(shipping)"]),
    ColumnSpec::optional(
        "State Code (Shipping)",
        &[
            "statecode(shipping)",
            "state(shipping)",
            "statename(shipping)",
        ],
    ),
    ColumnSpec::optional("Postcode (Shipping)", &["postcode(shipping)"]),
    ColumnSpec::optional(
        "Country Code (Shipping)",
        &[
            "countrycode(shipping)",
            "country(shipping)",
            "countryname(shipping)",
        ],
    ),
    ColumnSpec::optional("Item #", &["item#"]),
    ColumnSpec::optional("SKU", &["sku"]),
    ColumnSpec::required(
        "Item Name",
        &["itemname", "name", "productname", "productname(main)"],
    ),
    ColumnSpec::required("Quantity", &["quantity"]),
    ColumnSpec::optional("Quantity (- Refund)", &["quantity(-refund)"]),
    ColumnSpec::optional("Item Cost", &["itemcost"]),
    ColumnSpec::optional("Currency", &["currency", "ordercurrency"]),
    ColumnSpec::optional("Order ID", &["orderid"]),
    ColumnSpec::optional("Phone (Shipping)", &["phone(shipping)"]),
];

pub(crate) const AOE_DATE_COLUMNS: [usize; 1] = [A_DATE];

/// Reads the Advanced Order Export plugin's product rows.
#[derive(Debug, Default)]
pub(crate) struct AoeParser;

impl RowParser for AoeParser {
    type Row = StorefrontLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<StorefrontLine> {
        let number = order_number(cx, A_NUMBER);
        let status = status(cx, A_STATUS);
        let ordered_at = required_time(cx, A_DATE);
        let customer_email = email(cx, A_BILL_EMAIL);
        let (address1, address2) = if cx.has(A_SHIP_ADDRESS1) || !cx.has(A_SHIP_ADDRESS12) {
            (field(cx, A_SHIP_ADDRESS1), field(cx, A_SHIP_ADDRESS2))
        } else {
            (field(cx, A_SHIP_ADDRESS12), String::new())
        };
        let ship_to = ShipTo {
            name: full_name(cx, A_SHIP_FIRST, A_SHIP_LAST),
            company: field(cx, A_SHIP_COMPANY),
            address1,
            address2,
            city: field(cx, A_SHIP_CITY),
            postal_code: field(cx, A_SHIP_POSTCODE),
            region: field(cx, A_SHIP_STATE),
            country: field(cx, A_SHIP_COUNTRY),
            phone: [A_SHIP_PHONE, A_BILL_PHONE]
                .into_iter()
                .map(|column| field(cx, column))
                .find(|phone| !phone.is_empty())
                .unwrap_or_default(),
        }
        .cleaned();
        let customer_name = [
            full_name(cx, A_BILL_FIRST, A_BILL_LAST),
            ship_to.name.clone(),
        ]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| customer_email.clone());
        let sku = sku(cx, A_SKU);
        let item = item_name(cx, A_ITEM_NAME);
        let quantity = required_quantity(cx, A_QUANTITY);
        let refunded = match (
            cx.whole(A_QUANTITY_LESS_REFUND, -super::MAX_UNITS..=super::MAX_UNITS),
            quantity,
        ) {
            (Some(kept), Some(quantity)) => (quantity - kept).max(0),
            _ => 0,
        };
        let unit_price_cents = cx.money(A_ITEM_COST).unwrap_or(0);
        let quantity = quantity?;
        let status = status?;
        let split = status.split(quantity, refunded);
        let number = number?;
        let item_number = field(cx, A_ITEM_NUMBER);
        Some(StorefrontLine {
            line: cx.line(),
            storefront: Storefront::WooCommerce,
            order_id: field(cx, A_ORDER_ID),
            order_number: number,
            ordered_at: ordered_at?,
            customer_name,
            customer_email,
            currency: field(cx, A_CURRENCY).to_ascii_uppercase(),
            status_text: status.code().to_owned(),
            order_cancelled: matches!(
                status,
                WooStatus::Cancelled | WooStatus::Refunded | WooStatus::Failed
            ),
            ship_to,
            sku,
            item_name: item?,
            quantity,
            unit_price_cents,
            line_id: item_number,
            shipped: split.shipped,
            cancelled: split.cancelled,
            shipped_at: None,
            requires_shipping: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::per_unit;

    #[test]
    fn a_line_amount_becomes_a_unit_price() {
        assert_eq!(per_unit(3_000, 2), 1_500);
        assert_eq!(per_unit(1_000, 3), 333);
        assert_eq!(per_unit(2_000, 3), 667);
        assert_eq!(per_unit(500, 0), 0);
    }
}
