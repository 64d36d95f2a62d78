//! Order and purchase-order lines as files carry them: what the importers read and what the
//! exports write. Records only; reading and writing files is `io`'s, storing them `store`'s.

use chrono::{NaiveDate, NaiveDateTime};

use super::allocation::Priority;

/// Where an order line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OrderLineStatus {
    /// Still to be shipped (waiting lines are allocated stock on import).
    #[default]
    Open,
    /// Sent to the customer.
    Shipped,
    /// Will not be shipped.
    Cancelled,
}

impl OrderLineStatus {
    /// The code in files: `open`, `shipped`, `cancelled`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Shipped => "shipped",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a code (case-insensitive; `canceled` is accepted too).
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        [
            ("open", Self::Open),
            ("shipped", Self::Shipped),
            ("cancelled", Self::Cancelled),
            ("canceled", Self::Cancelled),
        ]
        .into_iter()
        .find(|(text, _)| text.eq_ignore_ascii_case(code))
        .map(|(_, status)| status)
    }
}

/// One order line of the own orders format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrderLine {
    /// Physical line of the row (0 for lines built in code).
    pub line: u64,
    /// The order this line belongs to.
    pub order_number: String,
    /// In UTC when the file gave an offset; as written otherwise.
    pub ordered_at: NaiveDateTime,
    /// Empty when the file has none.
    pub customer_name: String,
    /// Empty when the file has none.
    pub customer_email: String,
    /// The SKU ordered (the caller checks it is in the catalog).
    pub sku: String,
    /// Units ordered, 1 or more.
    pub quantity: i64,
    /// Price of one unit (0 when the column is absent or empty).
    pub unit_price_cents: i64,
    /// `open` when the column is absent or empty.
    pub status: OrderLineStatus,
    /// When the line shipped, if it did (UTC when the file gave an offset).
    pub shipped_at: Option<NaiveDateTime>,
    /// Units of a historical line that had to wait (0 when the column is absent or empty).
    pub backordered_qty: i64,
    /// `normal` when the column is absent or empty.
    pub priority: Priority,
}

/// One purchase order line of the own purchase-order format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPoLine {
    /// Physical line of the row (0 for lines built in code).
    pub line: u64,
    /// The purchase order this line belongs to.
    pub po_number: String,
    /// Who the goods are ordered from.
    pub supplier: String,
    /// The SKU ordered (the caller checks it is in the catalog).
    pub sku: String,
    /// Units ordered, 1 or more.
    pub quantity: i64,
    /// Cost of one unit (0 when the column is absent or empty).
    pub unit_cost_cents: i64,
    /// The day the PO was placed (as written, whatever the offset).
    pub ordered_at: NaiveDate,
    /// The day the goods are expected, if known.
    pub expected_at: Option<NaiveDate>,
    /// Units received so far (0 when the column is absent or empty).
    pub received_quantity: i64,
    /// The day of the last receipt, if any.
    pub received_at: Option<NaiveDate>,
}
