//! Etsy's "sold order items" CSV (Shop Manager › Settings › Options › Download Data, type
//! Order Items): one row per item sold. Columns as Etsy documents them ("Downloading your
//! shop's order information"): `Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon
//! Details,Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,
//! Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship
//! City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,
//! Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU`.
//!
//! Etsy writes dates as `MM/DD/YY`; there is no e-mail address (the buyer's Etsy user name is
//! in `Buyer`), and an item with `Date Shipped` shipped on that day.

use chrono::NaiveDate;

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser};
use super::storefront::{StorefrontLine, field, item_name, order_number, required_quantity, sku};
use crate::domain::ship_to::ShipTo;
use crate::domain::shop_orders::Storefront;

const SALE_DATE: usize = 0;
const ITEM_NAME: usize = 1;
const BUYER: usize = 2;
const QUANTITY: usize = 3;
const PRICE: usize = 4;
const CURRENCY: usize = 5;
const TRANSACTION_ID: usize = 6;
const DATE_PAID: usize = 7;
const DATE_SHIPPED: usize = 8;
const SHIP_NAME: usize = 9;
const SHIP_ADDRESS1: usize = 10;
const SHIP_ADDRESS2: usize = 11;
const SHIP_CITY: usize = 12;
const SHIP_STATE: usize = 13;
const SHIP_ZIP: usize = 14;
const SHIP_COUNTRY: usize = 15;
const ORDER_ID: usize = 16;
const SKU: usize = 17;

/// Columns read from Etsy's sold order items.
pub(crate) const SPECS: [ColumnSpec; 18] = [
    ColumnSpec::required("Sale Date", &["saledate"]),
    ColumnSpec::required("Item Name", &["itemname"]),
    ColumnSpec::optional("Buyer", &["buyer"]),
    ColumnSpec::required("Quantity", &["quantity"]),
    ColumnSpec::optional("Price", &["price"]),
    ColumnSpec::optional("Currency", &["currency"]),
    ColumnSpec::optional("Transaction ID", &["transactionid"]),
    ColumnSpec::optional("Date Paid", &["datepaid"]),
    ColumnSpec::optional("Date Shipped", &["dateshipped"]),
    ColumnSpec::optional("Ship Name", &["shipname"]),
    ColumnSpec::optional("Ship Address1", &["shipaddress1"]),
    ColumnSpec::optional("Ship Address2", &["shipaddress2"]),
    ColumnSpec::optional("Ship City", &["shipcity"]),
    ColumnSpec::optional("Ship State", &["shipstate"]),
    ColumnSpec::optional("Ship Zipcode", &["shipzipcode", "shipzip"]),
    ColumnSpec::optional("Ship Country", &["shipcountry"]),
    ColumnSpec::required("Order ID", &["orderid"]),
    ColumnSpec::optional("SKU", &["sku"]),
];

/// `MM/DD/YY` or `MM/DD/YYYY` (two-digit years are 2000–2099), or an ISO date.
pub(crate) fn etsy_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d") {
        return Some(date);
    }
    let mut parts = text.split('/');
    let month: u32 = parts.next()?.trim().parse().ok()?;
    let day: u32 = parts.next()?.trim().parse().ok()?;
    let year_text = parts.next()?.trim();
    if parts.next().is_some() {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    let year = match year_text.len() {
        2 => 2000 + year,
        4 => year,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn date(cx: &mut Cx<'_, '_>, column: usize, required: bool) -> Option<NaiveDate> {
    let text = cx.text(column).into_owned();
    if text.is_empty() {
        if required {
            cx.fail(column, "", "a date is required");
        }
        return None;
    }
    let date = etsy_date(&text);
    if date.is_none() {
        cx.fail(column, &text, "is not a date (Etsy writes MM/DD/YY)");
    }
    date
}

/// Reads Etsy's sold order items.
#[derive(Debug, Default)]
pub(crate) struct OrderParser;

impl RowParser for OrderParser {
    type Row = StorefrontLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<StorefrontLine> {
        let sale_date = date(cx, SALE_DATE, true);
        let item = item_name(cx, ITEM_NAME);
        let quantity = required_quantity(cx, QUANTITY);
        let unit_price_cents = cx.money(PRICE).unwrap_or(0);
        let paid = date(cx, DATE_PAID, false);
        let shipped_on = date(cx, DATE_SHIPPED, false);
        let number = order_number(cx, ORDER_ID);
        let ship_to = ShipTo {
            name: field(cx, SHIP_NAME),
            address1: field(cx, SHIP_ADDRESS1),
            address2: field(cx, SHIP_ADDRESS2),
            city: field(cx, SHIP_CITY),
            postal_code: field(cx, SHIP_ZIP),
            region: field(cx, SHIP_STATE),
            country: field(cx, SHIP_COUNTRY),
            ..ShipTo::default()
        }
        .cleaned();
        let customer_name = [ship_to.name.clone(), field(cx, BUYER)]
            .into_iter()
            .find(|name| !name.is_empty())
            .unwrap_or_default();
        let sku = sku(cx, SKU);
        let quantity = quantity?;
        let number = number?;
        let shipped_at = shipped_on.map(|day| day.and_time(chrono::NaiveTime::MIN));
        Some(StorefrontLine {
            line: cx.line(),
            storefront: Storefront::Etsy,
            order_id: number.trim_start_matches('#').to_owned(),
            order_number: number,
            ordered_at: sale_date?.and_time(chrono::NaiveTime::MIN),
            customer_name,
            customer_email: String::new(),
            currency: field(cx, CURRENCY).to_ascii_uppercase(),
            status_text: if paid.is_some() {
                "paid".to_owned()
            } else {
                String::new()
            },
            order_cancelled: false,
            ship_to,
            sku,
            item_name: item?,
            quantity,
            unit_price_cents,
            line_id: field(cx, TRANSACTION_ID),
            shipped: if shipped_at.is_some() { quantity } else { 0 },
            cancelled: 0,
            shipped_at,
            requires_shipping: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::etsy_date;
    use chrono::NaiveDate;

    #[test]
    fn etsy_dates_are_month_first_with_short_years() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(etsy_date("08/14/25"), day(2025, 8, 14));
        assert_eq!(etsy_date("12/01/2024"), day(2024, 12, 1));
        assert_eq!(etsy_date("2025-08-14"), day(2025, 8, 14));
        assert_eq!(etsy_date("14/08/25"), None);
        assert_eq!(etsy_date("08/14"), None);
        assert_eq!(etsy_date("08/14/225"), None);
    }
}
