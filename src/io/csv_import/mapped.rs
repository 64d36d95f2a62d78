//! Any other platform's orders file: the shop chose, once, which column holds each field of
//! the desk's order (a [`ColumnMapping`], saved under a name and offered again for files with
//! the same header). One row per line item; the order's fields are taken from its first row
//! when later rows leave them empty.

use serde::{Deserialize, Serialize};

use super::record::{ColumnMap, Header, fold_name};
use super::rows::{Cx, RowParser};
use super::storefront::{
    OrderFields, SeenOrders, StorefrontLine, email, field, order_number, required_quantity,
    required_time, sku,
};
use super::{ImportError, MAX_UNITS};
use crate::domain::ship_to::ShipTo;
use crate::domain::shop_orders::{
    MAPPED_STATUS_WORDS, MappedField, MappedStatus, Storefront, mapped_status,
};

/// Which column of a file holds each field (fields without a column are not in the list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Each mapped field with the file's column name, in the order of [`MappedField::ALL`].
    pub columns: Vec<(MappedField, String)>,
}

impl ColumnMapping {
    /// The column chosen for a field.
    pub fn column(&self, field: MappedField) -> Option<&str> {
        self.columns
            .iter()
            .find(|(mapped, _)| *mapped == field)
            .map(|(_, column)| column.as_str())
    }

    /// Sets (or, with `None`, clears) the column of a field.
    pub fn set(&mut self, field: MappedField, column: Option<String>) {
        self.columns.retain(|(mapped, _)| *mapped != field);
        if let Some(column) = column {
            self.columns.push((field, column));
            self.columns.sort_by_key(|(mapped, _)| *mapped);
        }
    }

    /// The fields that have a column.
    pub fn fields(&self) -> Vec<MappedField> {
        self.columns.iter().map(|(field, _)| *field).collect()
    }

    /// Where each field is in a file with this header, and the columns nobody reads.
    pub(crate) fn column_map(
        &self,
        header: &Header,
    ) -> Result<(ColumnMap, Vec<String>), ImportError> {
        let mut fields = vec![None; MappedField::ALL.len()];
        let mut names = Vec::with_capacity(MappedField::ALL.len());
        let mut used = vec![false; header.names.len()];
        for (index, field) in MappedField::ALL.into_iter().enumerate() {
            match self.column(field) {
                Some(column) => {
                    let folded = fold_name(column);
                    let position = header
                        .names
                        .iter()
                        .position(|name| name == column)
                        .or_else(|| header.folded.iter().position(|name| *name == folded))
                        .ok_or_else(|| ImportError::MappingColumnMissing {
                            line: header.line,
                            field: field.label().to_owned(),
                            column: column.to_owned(),
                        })?;
                    fields[index] = Some(position);
                    used[position] = true;
                    names.push(header.names[position].clone());
                }
                None => names.push(field.label().to_owned()),
            }
        }
        let unknown = header
            .names
            .iter()
            .zip(&used)
            .filter(|(name, used)| !**used && !name.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        Ok((ColumnMap { fields, names }, unknown))
    }
}

/// The column index (in [`MappedField::ALL`]) of a field.
const fn at(field: MappedField) -> usize {
    field as usize
}

const NUMBER: usize = at(MappedField::OrderNumber);
const ORDERED_AT: usize = at(MappedField::OrderedAt);
const CUSTOMER: usize = at(MappedField::CustomerName);
const EMAIL: usize = at(MappedField::CustomerEmail);
const SKU: usize = at(MappedField::Sku);
const ITEM_NAME: usize = at(MappedField::ItemName);
const QUANTITY: usize = at(MappedField::Quantity);
const PRICE: usize = at(MappedField::UnitPrice);
const STATUS: usize = at(MappedField::Status);
const SHIP: [usize; 9] = [
    at(MappedField::ShipName),
    at(MappedField::ShipCompany),
    at(MappedField::ShipAddress1),
    at(MappedField::ShipAddress2),
    at(MappedField::ShipCity),
    at(MappedField::ShipPostalCode),
    at(MappedField::ShipRegion),
    at(MappedField::ShipCountry),
    at(MappedField::ShipPhone),
];

pub(crate) const DATE_COLUMNS: [usize; 1] = [ORDERED_AT];

/// Reads an orders file through its mapping.
#[derive(Debug, Default)]
pub(crate) struct OrderParser {
    orders: SeenOrders,
}

fn order_fields(cx: &mut Cx<'_, '_>) -> Option<OrderFields> {
    let ordered_at = required_time(cx, ORDERED_AT);
    let customer_email = email(cx, EMAIL);
    let ship_to = ShipTo::from_values(SHIP.map(|column| field(cx, column))).cleaned();
    let customer_name = [field(cx, CUSTOMER), ship_to.name.clone()]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| customer_email.clone());
    Some(OrderFields {
        order_id: String::new(),
        ordered_at: ordered_at?,
        customer_name,
        customer_email,
        currency: String::new(),
        status_text: String::new(),
        order_cancelled: false,
        ship_to,
        fulfilled: false,
        fulfilled_at: None,
    })
}

impl RowParser for OrderParser {
    type Row = StorefrontLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<StorefrontLine> {
        let number = order_number(cx, NUMBER)?;
        let starts_order = self.orders.get(&number).is_none();
        if starts_order || !cx.text(ORDERED_AT).is_empty() {
            let mut fields = order_fields(cx)?;
            // Later rows may leave the order's fields empty: keep what the first row said.
            if let Some(first) = self.orders.get(&number) {
                if fields.customer_email.is_empty() {
                    fields.customer_email.clone_from(&first.customer_email);
                }
                if fields.ship_to.is_empty() {
                    fields.ship_to = first.ship_to.clone();
                }
                fields.ordered_at = first.ordered_at;
                fields.customer_name.clone_from(&first.customer_name);
            }
            self.orders.insert(&number, fields);
        }
        let order = self.orders.get(&number)?.clone();
        let sku = sku(cx, SKU);
        let item = field(cx, ITEM_NAME);
        if sku.is_empty() && item.is_empty() {
            let column = if cx.has(SKU) { SKU } else { ITEM_NAME };
            cx.fail(column, "", "a SKU or an item name is required");
        }
        let quantity = required_quantity(cx, QUANTITY);
        let unit_price_cents = cx.money(PRICE).unwrap_or(0);
        let status_text = cx.text(STATUS).into_owned();
        let status = mapped_status(&status_text);
        if status.is_none() {
            cx.fail(
                STATUS,
                &status_text,
                format!("is not a status the desk knows ({MAPPED_STATUS_WORDS})"),
            );
        }
        let quantity = quantity?;
        if quantity > MAX_UNITS || (sku.is_empty() && item.is_empty()) {
            return None;
        }
        let (shipped, cancelled) = match status? {
            MappedStatus::Open => (0, 0),
            MappedStatus::Shipped => (quantity, 0),
            MappedStatus::Cancelled => (0, quantity),
        };
        Some(StorefrontLine {
            line: cx.line(),
            storefront: Storefront::Mapped,
            order_id: String::new(),
            order_number: number,
            ordered_at: order.ordered_at,
            customer_name: order.customer_name,
            customer_email: order.customer_email,
            currency: String::new(),
            status_text: status_text.trim().to_lowercase(),
            order_cancelled: false,
            ship_to: order.ship_to,
            sku,
            item_name: item,
            quantity,
            unit_price_cents,
            line_id: String::new(),
            shipped,
            cancelled,
            // A mapped file has no shipping day: the order's day stands for it.
            shipped_at: None,
            requires_shipping: true,
        })
    }
}
