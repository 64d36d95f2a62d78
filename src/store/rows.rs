//! New rows as the store writes them: what a service or an import hands over to be inserted
//! (orders, order lines, purchase orders and their lines).

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::ids::{OrderId, PoId, ProductId};
use crate::domain::order::{OrderStatus, PoStatus};

/// A new customer order header.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub order_number: &'a str,
    pub customer_id: i64,
    pub ordered_at: NaiveDateTime,
    pub high_priority: bool,
    pub ship_complete: bool,
    pub status: OrderStatus,
    pub closed_at: Option<NaiveDateTime>,
    /// The import that wrote it, if any.
    pub batch_id: Option<i64>,
}

/// The columns of a new order line, in the order [`NewOrderLine`]'s values are bound.
macro_rules! order_line_columns {
    () => {
        "order_id, line_no, product_id, quantity, unit_price_cents, reserved_qty, shipped_qty,
         cancelled_qty, backordered_at_order_qty, shipped_at"
    };
}
pub(crate) use order_line_columns;

/// A new order line with its current quantities.
#[derive(Debug, Clone, Copy)]
pub struct NewOrderLine {
    pub order_id: OrderId,
    pub line_no: i64,
    pub product_id: ProductId,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub reserved_qty: i64,
    pub shipped_qty: i64,
    pub cancelled_qty: i64,
    pub backordered_at_order_qty: i64,
    pub shipped_at: Option<NaiveDateTime>,
}

/// A new purchase order header.
#[derive(Debug, Clone)]
pub struct NewPurchaseOrder<'a> {
    pub po_number: &'a str,
    pub supplier_id: i64,
    pub ordered_at: NaiveDate,
    pub expected_at: Option<NaiveDate>,
    pub confirmed: bool,
    pub status: PoStatus,
}

/// A new purchase order line.
#[derive(Debug, Clone, Copy)]
pub struct NewPoLine {
    pub po_id: PoId,
    pub product_id: ProductId,
    pub quantity: i64,
    pub unit_cost_cents: i64,
    pub received_qty: i64,
    pub received_at: Option<NaiveDate>,
}
