//! Charge when it ships: an order's payment state, the gate in front of the pick list, and the
//! age of a card authorization.
//!
//! Rules:
//! - An order whose payment is *not needed* (the shop takes payment elsewhere, or was paid in
//!   full at purchase) ships as soon as stock is reserved.
//! - An *authorized* order must be captured before it ships: when something of it is ready, it
//!   is on the "Capture payment" list with the amount about to ship (reserved units × unit
//!   price). Shipping it and putting it on a pick list are refused until the shop records the
//!   capture.
//! - A *captured* order ships what the captures cover: captured cents ≥ value already shipped +
//!   value about to ship. When more units become ready later (a partial order), the rest is due
//!   and the order is back on the list.
//! - A *failed* capture keeps the order off the pick list until the customer's card is
//!   authorized again ("Re-authorized").

use chrono::{NaiveDate, NaiveDateTime};

/// Days after which a card authorization is shown as old (many card networks let an
/// authorization lapse after about 7 days).
pub const DEFAULT_AUTH_MAX_AGE_DAYS: i64 = 7;

/// Where an order's payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PaymentState {
    /// No card to capture: ships as soon as stock is reserved.
    #[default]
    NotNeeded,
    /// The card was authorized at purchase; capture before shipping.
    Authorized,
    /// Payment was taken (for the amount in `captured_cents`).
    Captured,
    /// The last capture failed: the customer must update the payment.
    Failed,
}

impl PaymentState {
    pub const ALL: [Self; 4] = [
        Self::NotNeeded,
        Self::Authorized,
        Self::Captured,
        Self::Failed,
    ];

    /// The code stored in the shop file.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotNeeded => "not_needed",
            Self::Authorized => "authorized",
            Self::Captured => "captured",
            Self::Failed => "failed",
        }
    }

    /// Parses a stored code or what is typed on the command line (`not-needed` or
    /// `not_needed`, any case).
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotNeeded => "Not needed",
            Self::Authorized => "Authorized",
            Self::Captured => "Captured",
            Self::Failed => "Capture failed",
        }
    }
}

/// The money side of an open order: its payment state and the values of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaymentFigures {
    pub state: PaymentState,
    /// Sum of every recorded capture.
    pub captured_cents: i64,
    /// Value of the units already shipped (shipped × unit price).
    pub shipped_cents: i64,
    /// Value of the units about to ship: reserved open units × unit price (for a ship-complete
    /// order that still waits: 0, nothing is about to ship).
    pub ready_cents: i64,
}

impl PaymentFigures {
    /// What must be captured before the ready units may ship (never negative).
    pub fn capture_due_cents(&self) -> i64 {
        match self.state {
            PaymentState::NotNeeded => 0,
            PaymentState::Authorized | PaymentState::Failed => self.ready_cents.max(0),
            PaymentState::Captured => {
                (self.shipped_cents + self.ready_cents - self.captured_cents).max(0)
            }
        }
    }

    /// Whether the ready units may go to the picker, and if not, why.
    pub fn gate(&self) -> PaymentGate {
        match self.state {
            PaymentState::NotNeeded => PaymentGate::Clear,
            PaymentState::Failed => PaymentGate::Failed,
            PaymentState::Authorized | PaymentState::Captured => {
                let due = self.capture_due_cents();
                if due > 0 {
                    PaymentGate::CaptureDue(due)
                } else {
                    PaymentGate::Clear
                }
            }
        }
    }
}

/// The answer of the payment gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentGate {
    /// Nothing to collect: the ready units may ship.
    Clear,
    /// This many cents must be captured first.
    CaptureDue(i64),
    /// The capture failed: wait for the customer to update the payment.
    Failed,
}

impl PaymentGate {
    pub fn may_ship(self) -> bool {
        self == Self::Clear
    }

    /// Why an order may not ship, for the shop owner; `None` when it may.
    pub fn refusal(self, order_number: &str) -> Option<String> {
        match self {
            Self::Clear => None,
            Self::CaptureDue(cents) => Some(format!(
                "Order {order_number} is paid by card: capture {} first (Orders > Capture payment)",
                super::format_cents(cents)
            )),
            Self::Failed => Some(format!(
                "The payment of order {order_number} failed: it ships once the customer's card is authorized again"
            )),
        }
    }
}

/// Whole days since the card was authorized (0 on the same day).
pub fn authorization_age_days(authorized_at: NaiveDateTime, today: NaiveDate) -> i64 {
    (today - authorized_at.date()).num_days().max(0)
}

/// True when an authorization is older than `max_age_days` (and so may have lapsed).
pub fn authorization_is_old(
    authorized_at: Option<NaiveDateTime>,
    today: NaiveDate,
    max_age_days: i64,
) -> bool {
    authorized_at.is_some_and(|at| authorization_age_days(at, today) > max_age_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(state: PaymentState, captured: i64, shipped: i64, ready: i64) -> PaymentFigures {
        PaymentFigures {
            state,
            captured_cents: captured,
            shipped_cents: shipped,
            ready_cents: ready,
        }
    }

    #[test]
    fn codes_round_trip_and_accept_dashes() {
        for state in PaymentState::ALL {
            assert_eq!(PaymentState::from_code(state.code()), Some(state));
        }
        assert_eq!(
            PaymentState::from_code(" Not-Needed "),
            Some(PaymentState::NotNeeded)
        );
        assert_eq!(PaymentState::from_code("paid"), None);
    }

    #[test]
    fn the_gate_for_each_state() {
        use PaymentState::{Authorized, Captured, Failed, NotNeeded};
        // Not needed: always clear.
        assert_eq!(figures(NotNeeded, 0, 0, 4_500).gate(), PaymentGate::Clear);
        // Authorized with 45.00 ready: capture 45.00 first.
        assert_eq!(
            figures(Authorized, 0, 0, 4_500).gate(),
            PaymentGate::CaptureDue(4_500)
        );
        // Authorized, nothing ready: nothing due yet (not on the capture list).
        assert_eq!(figures(Authorized, 0, 0, 0).gate(), PaymentGate::Clear);
        assert_eq!(figures(Authorized, 0, 0, 0).capture_due_cents(), 0);
        // Failed: never ships.
        assert_eq!(figures(Failed, 0, 0, 4_500).gate(), PaymentGate::Failed);
        assert!(!PaymentGate::Failed.may_ship());
        // Captured 45.00 for the 45.00 ready: clear.
        assert_eq!(
            figures(Captured, 4_500, 0, 4_500).gate(),
            PaymentGate::Clear
        );
        // Captured 45.00, shipped 45.00, now 30.00 more ready: 30.00 due.
        assert_eq!(
            figures(Captured, 4_500, 4_500, 3_000).gate(),
            PaymentGate::CaptureDue(3_000)
        );
        // Captured more than is ready (a line was cancelled after the capture): clear.
        assert_eq!(
            figures(Captured, 9_000, 0, 4_500).gate(),
            PaymentGate::Clear
        );
    }

    #[test]
    fn refusals_say_what_to_do() {
        assert_eq!(PaymentGate::Clear.refusal("SO-1"), None);
        assert_eq!(
            PaymentGate::CaptureDue(4_550).refusal("SO-1").as_deref(),
            Some("Order SO-1 is paid by card: capture 45.50 first (Orders > Capture payment)")
        );
        assert!(
            PaymentGate::Failed
                .refusal("SO-1")
                .is_some_and(|text| text.contains("authorized again"))
        );
    }

    #[test]
    fn authorization_age() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
        let at = day(1).and_hms_opt(18, 30, 0).expect("time");
        assert_eq!(authorization_age_days(at, day(1)), 0);
        assert_eq!(authorization_age_days(at, day(8)), 7);
        // 7 days old is not older than 7; 8 days is.
        assert!(!authorization_is_old(Some(at), day(8), 7));
        assert!(authorization_is_old(Some(at), day(9), 7));
        assert!(!authorization_is_old(None, day(30), 7));
    }
}
