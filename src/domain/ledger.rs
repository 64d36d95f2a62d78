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

/// The reason whose quantity is the counted stock, not a change.
pub const STOCK_COUNT: &str = "Stock count";

/// The change that brings `on_hand` to `counted` units.
pub fn change_to_count(on_hand: i64, counted: i64) -> i64 {
    counted.saturating_sub(on_hand)
}

/// On hand after a change of `change` units, when that takes stock below zero: stock cannot go
/// below zero unless the shop records it anyway (the count was wrong). A change that adds stock
/// is never refused, even when stock stays below zero.
pub fn below_zero(on_hand: i64, change: i64) -> Option<i64> {
    let after = on_hand.saturating_add(change);
    (change < 0 && after < 0).then_some(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_below_zero_needs_a_reason() {
        // 1 on hand, −50: −49, refused.
        assert_eq!(below_zero(1, -50), Some(-49));
        assert_eq!(below_zero(1, -1), None);
        assert_eq!(below_zero(0, 5), None);
        // Already short: adding is fine, taking more is not.
        assert_eq!(below_zero(-5, 2), None);
        assert_eq!(below_zero(-5, -1), Some(-6));
        assert_eq!(change_to_count(7, 3), -4);
        assert_eq!(change_to_count(0, 12), 12);
    }

    #[test]
    fn codes_round_trip() {
        for kind in MovementKind::ALL {
            assert_eq!(MovementKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(MovementKind::from_code("gift"), None);
    }
}
