//! The stock movement ledger: every change of on-hand stock is a movement.

/// Why stock moved. On hand is the sum of all movements of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    /// Goods received from a supplier.
    Receipt,
    /// Goods shipped to a customer (negative quantity).
    Shipment,
    /// A manual correction with a reason (count, damage, loss, found).
    Adjustment,
    /// Stock set by a file import.
    Import,
    /// Stock set to a count (a shop's inventory file): the difference to what was on hand.
    Count,
}

impl MovementKind {
    pub const ALL: [Self; 5] = [
        Self::Receipt,
        Self::Shipment,
        Self::Adjustment,
        Self::Import,
        Self::Count,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Shipment => "shipment",
            Self::Adjustment => "adjustment",
            Self::Import => "import",
            Self::Count => "count",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Receipt => "Receipt",
            Self::Shipment => "Shipment",
            Self::Adjustment => "Adjustment",
            Self::Import => "Import",
            Self::Count => "Count",
        }
    }
}

/// Reasons offered for a manual stock adjustment. Free text is allowed too.
pub const ADJUSTMENT_REASONS: [&str; 5] = [
    "Stock count",
    "Damaged",
    "Lost or stolen",
    "Found",
    "Returned by customer",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in MovementKind::ALL {
            assert_eq!(MovementKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(MovementKind::from_code("gift"), None);
    }
}
