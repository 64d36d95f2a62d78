//! Customer orders: line states, readiness, and how a new line is filled.

use super::BackorderPolicy;
use super::promise::{EtaWindow, LineBadge};

/// Where a line stands. Computed from its quantities and the product's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineState {
    /// Every open unit is reserved: ready to pick.
    Reserved,
    /// Some open units are reserved, the rest wait.
    PartlyReserved,
    /// Nothing reserved; waiting for stock.
    Backordered,
    /// Nothing reserved; waiting for the launch of a preorder product.
    Preorder,
    Shipped,
    Cancelled,
}

impl LineState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Reserved => "Reserved",
            Self::PartlyReserved => "Partly reserved",
            Self::Backordered => "Backordered",
            Self::Preorder => "Preorder",
            Self::Shipped => "Shipped",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Waiting for stock (fully or partly).
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            Self::PartlyReserved | Self::Backordered | Self::Preorder
        )
    }
}

/// The quantities of one order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineQuantities {
    pub ordered: i64,
    pub reserved: i64,
    pub shipped: i64,
    pub cancelled: i64,
}

impl LineQuantities {
    /// Units neither shipped nor cancelled.
    pub fn open(&self) -> i64 {
        (self.ordered - self.shipped - self.cancelled).max(0)
    }

    /// Units still waiting for stock: open minus reserved.
    pub fn waiting(&self) -> i64 {
        (self.open() - self.reserved).max(0)
    }

    pub fn state(&self, policy: BackorderPolicy) -> LineState {
        let open = self.open();
        if open == 0 {
            return if self.shipped > 0 {
                LineState::Shipped
            } else {
                LineState::Cancelled
            };
        }
        if self.reserved >= open {
            LineState::Reserved
        } else if self.reserved > 0 {
            LineState::PartlyReserved
        } else if policy == BackorderPolicy::Preorder {
            LineState::Preorder
        } else {
            LineState::Backordered
        }
    }
}

impl LineQuantities {
    /// The badge of this line: "In stock", "Backordered – ships Mar 3–7", "Ships Mar 3 (partial:
    /// 2 of 5 now)", "Preorder – ships …", "Shipped", "Cancelled".
    pub fn badge(&self, policy: BackorderPolicy, window: Option<EtaWindow>) -> LineBadge {
        match self.state(policy) {
            LineState::Reserved => LineBadge::InStock,
            LineState::PartlyReserved => LineBadge::Partial {
                now: self.reserved,
                of: self.open(),
                window,
            },
            LineState::Backordered => LineBadge::Backordered(window),
            LineState::Preorder => LineBadge::Preorder(window),
            LineState::Shipped => LineBadge::Shipped,
            LineState::Cancelled => LineBadge::Cancelled,
        }
    }
}

/// Where an order stands as stored: open until every line shipped or was cancelled; then
/// shipped if anything shipped, else cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OrderStatus {
    #[default]
    Open,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [Self; 3] = [Self::Open, Self::Shipped, Self::Cancelled];

    /// The code stored in the shop file: `open`, `shipped`, `cancelled`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Shipped => "shipped",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The status an order takes from its lines' open and shipped units.
    pub fn of_units(open: i64, shipped: i64) -> Self {
        match (open, shipped) {
            (0, 0) => Self::Cancelled,
            (0, _) => Self::Shipped,
            _ => Self::Open,
        }
    }
}

/// Messages name the status by its code ("order SO-1001 is shipped").
impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What a list shows for an order: its status, and for an open order whether it can ship and
/// what holds it back. The window colours by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderProgress {
    Shipped,
    Cancelled,
    /// Ready, but the card capture failed.
    PaymentFailed,
    /// Ready, but the payment must be captured first.
    AwaitingCapture,
    /// Some units can ship now, others wait.
    ReadyPartial,
    Ready,
    Waiting,
    /// Open with nothing reserved and nothing waiting.
    Open,
}

impl OrderProgress {
    /// The progress of an order: `ready` when it is open and something can be picked now,
    /// `may_ship` and `payment_failed` from the payment gate.
    pub fn of(
        status: OrderStatus,
        ready: bool,
        payment_failed: bool,
        may_ship: bool,
        units_waiting: i64,
    ) -> Self {
        match status {
            OrderStatus::Shipped => Self::Shipped,
            OrderStatus::Cancelled => Self::Cancelled,
            OrderStatus::Open if ready && payment_failed => Self::PaymentFailed,
            OrderStatus::Open if ready && !may_ship => Self::AwaitingCapture,
            OrderStatus::Open if ready && units_waiting > 0 => Self::ReadyPartial,
            OrderStatus::Open if ready => Self::Ready,
            OrderStatus::Open if units_waiting > 0 => Self::Waiting,
            OrderStatus::Open => Self::Open,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shipped => "Shipped",
            Self::Cancelled => "Cancelled",
            Self::PaymentFailed => "Payment failed",
            Self::AwaitingCapture => "Awaiting capture",
            Self::ReadyPartial => "Ready (partial)",
            Self::Ready => "Ready to ship",
            Self::Waiting => "Waiting",
            Self::Open => "Open",
        }
    }
}

/// Where a purchase order stands as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PoStatus {
    #[default]
    Open,
    PartlyReceived,
    Received,
    Cancelled,
}

impl PoStatus {
    pub const ALL: [Self; 4] = [
        Self::Open,
        Self::PartlyReceived,
        Self::Received,
        Self::Cancelled,
    ];

    /// The code stored in the shop file.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::PartlyReceived => "partly_received",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::PartlyReceived => "Partly received",
            Self::Received => "Received",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Goods are still expected.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::PartlyReceived)
    }
}

impl std::fmt::Display for PoStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a line was cancelled, recorded with the cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CancelReason {
    /// The customer asked to cancel.
    Customer,
    /// The wait was too long.
    TooLong,
    /// The customer took a substitute instead.
    Substitute,
    #[default]
    Other,
}

impl CancelReason {
    pub const ALL: [Self; 4] = [Self::Customer, Self::TooLong, Self::Substitute, Self::Other];

    /// The code stored in the shop file and typed after `cancel --reason`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::TooLong => "too_long",
            Self::Substitute => "substitute",
            Self::Other => "other",
        }
    }

    /// Parses a code (`too-long` and `too_long` alike, any case).
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Customer => "Customer asked",
            Self::TooLong => "Wait too long",
            Self::Substitute => "Took a substitute",
            Self::Other => "Other",
        }
    }
}

/// Shipping preference of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShipPreference {
    /// Ship what is reserved now, the rest when it comes (default).
    #[default]
    Partial,
    /// Ship only when every line is fully reserved.
    Complete,
}

/// The ship-complete rule: an order that ships complete sends nothing while any of its open
/// units waits for stock. `units_waiting`: the order's open units not reserved (see
/// [`units_waiting`]). The store, the pick list, shipping and the ready notice all ask this.
pub fn held_for_completion(ship_complete: bool, units_waiting: i64) -> bool {
    ship_complete && units_waiting > 0
}

/// Units of these lines still waiting for stock (open and not reserved).
pub fn units_waiting<'a>(lines: impl IntoIterator<Item = &'a LineQuantities>) -> i64 {
    lines.into_iter().map(LineQuantities::waiting).sum()
}

/// How many units of an open order can go to the picker now.
///
/// Ship-partial orders: every reserved unit. Ship-complete orders: all open units, but only when
/// every open line is fully reserved; otherwise nothing.
pub fn shippable_now(lines: &[LineQuantities], preference: ShipPreference) -> i64 {
    if held_for_completion(preference == ShipPreference::Complete, units_waiting(lines)) {
        return 0;
    }
    lines
        .iter()
        .map(|line| line.reserved.min(line.open()))
        .sum()
}

/// Why a new line cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub available: i64,
    pub wanted: i64,
}

/// How a new line of `quantity` units is filled from `available` units.
///
/// Returns `(reserved, waiting)`. A product whose policy does not allow backorders refuses a
/// line it cannot fill completely.
pub fn fill_new_line(
    quantity: i64,
    available: i64,
    policy: BackorderPolicy,
) -> Result<(i64, i64), Refusal> {
    let reserved = quantity.min(available.max(0));
    let waiting = quantity - reserved;
    if waiting > 0 && policy == BackorderPolicy::NotAllowed {
        return Err(Refusal {
            available: available.max(0),
            wanted: quantity,
        });
    }
    Ok((reserved, waiting))
}

/// How a new line is filled when the product's stock is not tracked: every unit is reserved at
/// once (ready to ship), none waits, whatever is on hand. Returns `(reserved, waiting)`.
pub fn fill_untracked_line(quantity: i64) -> (i64, i64) {
    (quantity.max(0), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(ordered: i64, reserved: i64, shipped: i64, cancelled: i64) -> LineQuantities {
        LineQuantities {
            ordered,
            reserved,
            shipped,
            cancelled,
        }
    }

    #[test]
    fn line_states() {
        use BackorderPolicy::{Allowed, Preorder};
        assert_eq!(q(5, 5, 0, 0).state(Allowed), LineState::Reserved);
        assert_eq!(q(5, 2, 0, 0).state(Allowed), LineState::PartlyReserved);
        assert_eq!(q(5, 0, 0, 0).state(Allowed), LineState::Backordered);
        assert_eq!(q(5, 0, 0, 0).state(Preorder), LineState::Preorder);
        assert_eq!(q(5, 0, 5, 0).state(Allowed), LineState::Shipped);
        assert_eq!(q(5, 0, 2, 3).state(Allowed), LineState::Shipped);
        assert_eq!(q(5, 0, 0, 5).state(Allowed), LineState::Cancelled);
        // Two shipped, three open of which three reserved.
        assert_eq!(q(5, 3, 2, 0).state(Allowed), LineState::Reserved);
        assert_eq!(q(5, 1, 2, 0).waiting(), 2);
    }

    #[test]
    fn ship_complete_waits_for_every_line() {
        let lines = [q(3, 3, 0, 0), q(4, 2, 0, 0)];
        assert_eq!(shippable_now(&lines, ShipPreference::Partial), 5);
        assert_eq!(shippable_now(&lines, ShipPreference::Complete), 0);
        let ready = [q(3, 3, 0, 0), q(4, 4, 0, 0)];
        assert_eq!(shippable_now(&ready, ShipPreference::Complete), 7);
        // Shipped and cancelled units never wait; over-reserved lines do not make up for short ones.
        assert_eq!(units_waiting(&[q(5, 1, 2, 0), q(4, 9, 0, 0)]), 2);
        assert!(held_for_completion(true, 2));
        assert!(!held_for_completion(false, 2));
        assert!(!held_for_completion(true, 0));
    }

    #[test]
    fn status_codes_read_back() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(status.code()), Some(status));
        }
        for status in PoStatus::ALL {
            assert_eq!(PoStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(OrderStatus::from_code("Open"), None);
        assert_eq!(OrderStatus::of_units(0, 0), OrderStatus::Cancelled);
        assert_eq!(OrderStatus::of_units(0, 2), OrderStatus::Shipped);
        assert_eq!(OrderStatus::of_units(1, 2), OrderStatus::Open);
        assert_eq!(OrderStatus::Shipped.to_string(), "shipped");
        assert_eq!(
            OrderProgress::of(OrderStatus::Open, true, false, true, 2).label(),
            "Ready (partial)"
        );
        assert_eq!(
            OrderProgress::of(OrderStatus::Open, true, true, false, 0),
            OrderProgress::PaymentFailed
        );
        assert_eq!(
            OrderProgress::of(OrderStatus::Open, false, false, true, 3),
            OrderProgress::Waiting
        );
    }

    #[test]
    fn cancel_reason_codes() {
        for reason in CancelReason::ALL {
            assert_eq!(CancelReason::from_code(reason.code()), Some(reason));
        }
        assert_eq!(
            CancelReason::from_code("Too-Long"),
            Some(CancelReason::TooLong)
        );
        assert_eq!(CancelReason::from_code("bored"), None);
    }

    #[test]
    fn new_lines_follow_the_policy() {
        assert_eq!(
            fill_new_line(3, 10, BackorderPolicy::NotAllowed),
            Ok((3, 0))
        );
        assert_eq!(fill_new_line(3, 1, BackorderPolicy::Allowed), Ok((1, 2)));
        assert_eq!(fill_new_line(3, 0, BackorderPolicy::Preorder), Ok((0, 3)));
        assert_eq!(fill_new_line(3, -2, BackorderPolicy::Allowed), Ok((0, 3)));
        assert_eq!(
            fill_new_line(3, 1, BackorderPolicy::NotAllowed),
            Err(Refusal {
                available: 1,
                wanted: 3
            })
        );
    }
}
