//! Orders taken by a storefront (Shopify, WooCommerce, Etsy, or any platform after a column
//! mapping): which storefront an order came from, what its status words mean here, how a line
//! finds its product by name, and when an imported order is *oversold*.
//!
//! Rules:
//! - An imported order is a fact: it was sold. It is recorded even when the product does not
//!   allow backorders; the units it could not get are flagged oversold for the shop to settle
//!   (cancel them, or keep them waiting with a confirmation).
//! - A storefront's payment words are kept and shown; only `authorized` (a card authorized but
//!   not captured) makes the desk's payment gate ask for a capture before shipping.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::BackorderPolicy;
use super::payment::PaymentState;
use super::product::policy_in_force;

/// Where an imported order came from; kept on the order so a later export finds it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Storefront {
    Shopify,
    WooCommerce,
    Etsy,
    /// A file read with a saved column mapping.
    Mapped,
}

impl Storefront {
    pub const ALL: [Self; 4] = [Self::Shopify, Self::WooCommerce, Self::Etsy, Self::Mapped];

    /// The code stored with the order.
    pub fn code(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::WooCommerce => "woocommerce",
            Self::Etsy => "etsy",
            Self::Mapped => "mapped",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|shop| shop.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shopify => "Shopify",
            Self::WooCommerce => "WooCommerce",
            Self::Etsy => "Etsy",
            Self::Mapped => "the mapped file",
        }
    }
}

impl fmt::Display for Storefront {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The desk's payment state for a storefront's payment word: `authorized` means a card was
/// authorized and must be captured before the order ships; every other word (`paid`,
/// `pending`, `refunded`, `partially_refunded`, `voided`, …) is kept and shown but does not hold
/// the order back (the storefront took or settles the payment itself).
pub fn payment_state_for(storefront_status: &str) -> PaymentState {
    if storefront_status.trim().eq_ignore_ascii_case("authorized") {
        PaymentState::Authorized
    } else {
        PaymentState::NotNeeded
    }
}

/// How a product name is compared with a storefront's line name: case, accents kept, runs of
/// whitespace as one space, surrounding whitespace ignored, letters compared in lower case.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A SKU as a storefront wrote it, without the `'` spreadsheets (and Shopify) put before numeric
/// codes (`'9371…`).
pub fn clean_sku(sku: &str) -> &str {
    let trimmed = sku.trim();
    trimmed.strip_prefix('\'').map_or(trimmed, str::trim_start)
}

/// True when an imported line that waits for `waiting` units breaks the product's policy on the
/// day the order was placed: backorders not allowed, or closed by a cutoff before that day.
pub fn is_oversold(
    waiting: i64,
    policy: BackorderPolicy,
    cutoff: Option<NaiveDate>,
    ordered_on: NaiveDate,
) -> bool {
    waiting > 0 && policy_in_force(policy, cutoff, ordered_on) == BackorderPolicy::NotAllowed
}

/// Where a line of a storefront order stands, in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineSplit {
    pub shipped: i64,
    pub cancelled: i64,
}

/// WooCommerce's order statuses (slugs as the extension writes them, or the labels the Advanced
/// Order Export plugin writes: `Processing`, `On hold`, `Pending payment`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WooStatus {
    /// Paid, to be shipped.
    Processing,
    /// Awaiting payment (bank transfer, cheque).
    OnHold,
    /// Not paid yet.
    Pending,
    /// Shipped.
    Completed,
    Cancelled,
    Refunded,
    Failed,
}

impl WooStatus {
    /// Reads a slug (`processing`, `wc-on-hold`) or a label (`On hold`, `Pending payment`).
    pub fn parse(text: &str) -> Option<Self> {
        let folded: String = text
            .trim()
            .to_lowercase()
            .trim_start_matches("wc-")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        Some(match folded.as_str() {
            "processing" => Self::Processing,
            "onhold" => Self::OnHold,
            "pending" | "pendingpayment" | "checkoutdraft" | "draft" => Self::Pending,
            "completed" | "complete" => Self::Completed,
            "cancelled" | "canceled" => Self::Cancelled,
            "refunded" => Self::Refunded,
            "failed" => Self::Failed,
            _ => return None,
        })
    }

    /// The slug kept and shown on the order.
    pub fn code(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::OnHold => "on-hold",
            Self::Pending => "pending",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
            Self::Failed => "failed",
        }
    }

    /// How `quantity` units of a line stand for an order in this status, `refunded` of them
    /// refunded: a completed order shipped what was not refunded; a cancelled, refunded or
    /// failed order ships nothing; an open one waits for what was not refunded.
    pub fn split(self, quantity: i64, refunded: i64) -> LineSplit {
        let refunded = refunded.clamp(0, quantity);
        match self {
            Self::Completed => LineSplit {
                shipped: quantity - refunded,
                cancelled: refunded,
            },
            Self::Cancelled | Self::Refunded | Self::Failed => LineSplit {
                shipped: 0,
                cancelled: quantity,
            },
            Self::Processing | Self::OnHold | Self::Pending => LineSplit {
                shipped: 0,
                cancelled: refunded,
            },
        }
    }
}

/// A field of the desk's order that a column of another platform's file can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappedField {
    OrderNumber,
    OrderedAt,
    CustomerName,
    CustomerEmail,
    Sku,
    ItemName,
    Quantity,
    UnitPrice,
    Status,
    ShipName,
    ShipCompany,
    ShipAddress1,
    ShipAddress2,
    ShipCity,
    ShipPostalCode,
    ShipRegion,
    ShipCountry,
    ShipPhone,
}

impl MappedField {
    /// Every field, in the order the mapping step lists them.
    pub const ALL: [Self; 18] = [
        Self::OrderNumber,
        Self::OrderedAt,
        Self::CustomerName,
        Self::CustomerEmail,
        Self::Sku,
        Self::ItemName,
        Self::Quantity,
        Self::UnitPrice,
        Self::Status,
        Self::ShipName,
        Self::ShipCompany,
        Self::ShipAddress1,
        Self::ShipAddress2,
        Self::ShipCity,
        Self::ShipPostalCode,
        Self::ShipRegion,
        Self::ShipCountry,
        Self::ShipPhone,
    ];

    /// The field's name for people (the mapping step's labels, error messages).
    pub fn label(self) -> &'static str {
        match self {
            Self::OrderNumber => "Order number",
            Self::OrderedAt => "Order date",
            Self::CustomerName => "Customer",
            Self::CustomerEmail => "E-mail",
            Self::Sku => "SKU",
            Self::ItemName => "Item name",
            Self::Quantity => "Quantity",
            Self::UnitPrice => "Unit price",
            Self::Status => "Status",
            Self::ShipName => "Ship-to name",
            Self::ShipCompany => "Ship-to company",
            Self::ShipAddress1 => "Ship-to address line 1",
            Self::ShipAddress2 => "Ship-to address line 2",
            Self::ShipCity => "Ship-to city",
            Self::ShipPostalCode => "Ship-to postal code",
            Self::ShipRegion => "Ship-to region",
            Self::ShipCountry => "Ship-to country",
            Self::ShipPhone => "Ship-to phone",
        }
    }

    /// Fields every mapping needs (and one of SKU or item name, see [`missing_fields`]).
    pub fn required(self) -> bool {
        matches!(self, Self::OrderNumber | Self::OrderedAt | Self::Quantity)
    }
}

/// What a mapping lacks before it can be used: the required fields without a column, and a
/// SKU or an item name column. Empty when it is complete.
pub fn missing_fields(mapped: &[MappedField]) -> Vec<String> {
    let mut missing: Vec<String> = MappedField::ALL
        .into_iter()
        .filter(|field| field.required() && !mapped.contains(field))
        .map(|field| field.label().to_owned())
        .collect();
    if !mapped.contains(&MappedField::Sku) && !mapped.contains(&MappedField::ItemName) {
        missing.push("SKU or Item name".to_owned());
    }
    missing
}

/// How a line stands for a free-text status of a mapped file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MappedStatus {
    Open,
    Shipped,
    Cancelled,
}

/// The status words a mapped file may use (any case): empty and `open`, `pending`,
/// `processing`, `unfulfilled`, `on hold`, `paid`, `new` wait; `shipped`, `fulfilled`,
/// `completed`, `complete`, `delivered`, `sent` shipped; `cancelled`, `canceled`, `refunded`,
/// `voided`, `failed` cancelled.
pub fn mapped_status(text: &str) -> Option<MappedStatus> {
    let folded: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match folded.as_str() {
        "" | "open" | "pending" | "processing" | "unfulfilled" | "onhold" | "paid" | "new"
        | "awaitingshipment" => MappedStatus::Open,
        "shipped" | "fulfilled" | "completed" | "complete" | "delivered" | "sent" => {
            MappedStatus::Shipped
        }
        "cancelled" | "canceled" | "refunded" | "voided" | "failed" => MappedStatus::Cancelled,
        _ => return None,
    })
}

/// The words [`mapped_status`] accepts, for error messages.
pub const MAPPED_STATUS_WORDS: &str = "open, pending, processing, unfulfilled, on hold, paid, \
    shipped, fulfilled, completed, delivered, cancelled, refunded, voided or failed";

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).expect("date")
    }

    #[test]
    fn only_an_authorized_card_waits_for_a_capture() {
        assert_eq!(payment_state_for("authorized"), PaymentState::Authorized);
        assert_eq!(payment_state_for(" Authorized "), PaymentState::Authorized);
        for word in [
            "paid",
            "pending",
            "refunded",
            "partially_refunded",
            "voided",
            "",
        ] {
            assert_eq!(payment_state_for(word), PaymentState::NotNeeded, "{word}");
        }
    }

    #[test]
    fn names_and_skus_compare_as_shops_write_them() {
        assert_eq!(
            name_key("  Classic Tee -  Blue / XS "),
            "classic tee - blue / xs"
        );
        assert_eq!(name_key("Crème Brûlée"), name_key("crème brûlée"));
        assert_eq!(clean_sku("'9371000012"), "9371000012");
        assert_eq!(clean_sku(" TEE-S "), "TEE-S");
        assert_eq!(clean_sku("O'NEIL"), "O'NEIL");
    }

    #[test]
    fn oversold_follows_the_policy_on_the_order_day() {
        let cutoff = Some(day(12, 10));
        // Not allowed: any waiting unit is oversold; nothing waiting is fine.
        assert!(is_oversold(1, BackorderPolicy::NotAllowed, None, day(3, 1)));
        assert!(!is_oversold(
            0,
            BackorderPolicy::NotAllowed,
            None,
            day(3, 1)
        ));
        // Allowed until the cutoff day (inclusive); the day after it is oversold.
        assert!(!is_oversold(
            2,
            BackorderPolicy::Allowed,
            cutoff,
            day(12, 10)
        ));
        assert!(is_oversold(
            2,
            BackorderPolicy::Allowed,
            cutoff,
            day(12, 11)
        ));
        assert!(is_oversold(
            2,
            BackorderPolicy::Preorder,
            cutoff,
            day(12, 11)
        ));
        assert!(!is_oversold(2, BackorderPolicy::Allowed, None, day(12, 11)));
    }

    #[test]
    fn woocommerce_statuses_split_a_line() {
        assert_eq!(WooStatus::parse("wc-on-hold"), Some(WooStatus::OnHold));
        assert_eq!(
            WooStatus::parse("Pending payment"),
            Some(WooStatus::Pending)
        );
        assert_eq!(WooStatus::parse("Completed"), Some(WooStatus::Completed));
        assert_eq!(WooStatus::parse("shipped"), None);
        assert_eq!(
            WooStatus::Completed.split(3, 1),
            LineSplit {
                shipped: 2,
                cancelled: 1
            }
        );
        assert_eq!(
            WooStatus::Refunded.split(3, 0),
            LineSplit {
                shipped: 0,
                cancelled: 3
            }
        );
        assert_eq!(
            WooStatus::Processing.split(3, -1),
            LineSplit {
                shipped: 0,
                cancelled: 0
            }
        );
        assert_eq!(WooStatus::Processing.split(3, 5).cancelled, 3);
    }

    #[test]
    fn a_mapping_needs_a_number_a_date_a_quantity_and_a_product() {
        assert_eq!(
            missing_fields(&[MappedField::OrderNumber, MappedField::Quantity]),
            ["Order date", "SKU or Item name"]
        );
        assert!(
            missing_fields(&[
                MappedField::OrderNumber,
                MappedField::OrderedAt,
                MappedField::Quantity,
                MappedField::ItemName
            ])
            .is_empty()
        );
        assert_eq!(mapped_status("Fulfilled"), Some(MappedStatus::Shipped));
        assert_eq!(mapped_status("On hold"), Some(MappedStatus::Open));
        assert_eq!(mapped_status(""), Some(MappedStatus::Open));
        assert_eq!(mapped_status("lost"), None);
    }
}
