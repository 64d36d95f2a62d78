//! Products, their backorder policy and the stock status badge.

use std::fmt;

use chrono::NaiveDate;

use super::identity::ShopIdentity;
use super::ids::ProductId;
use super::limits;
use super::money::{MoneyError, parse_money};
use super::promise::{DateStyle, EtaWindow, format_day, format_window};
use super::text::has_control_chars;

/// Default number of days a customer may be asked to wait for a backordered item.
pub const DEFAULT_MAX_WAIT_DAYS: i64 = 14;
pub use super::limits::MAX_SKU_LEN;
/// Longest lead time or wait accepted, in days.
pub const MAX_DAYS: i64 = super::limits::MAX_DAYS;

/// What happens when a product has no available stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BackorderPolicy {
    /// Orders for more than is available are refused.
    NotAllowed,
    /// Orders are taken and the missing units wait for stock.
    #[default]
    Allowed,
    /// The product is not released yet: every order waits for the launch stock.
    Preorder,
}

impl BackorderPolicy {
    pub const ALL: [Self; 3] = [Self::NotAllowed, Self::Allowed, Self::Preorder];

    /// The code used in the database and in CSV files: `no`, `yes`, `preorder`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAllowed => "no",
            Self::Allowed => "yes",
            Self::Preorder => "preorder",
        }
    }

    /// Parses `no|yes|preorder` (case-insensitive, surrounding spaces ignored).
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|policy| policy.code().eq_ignore_ascii_case(code))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotAllowed => "Not allowed",
            Self::Allowed => "Allowed",
            Self::Preorder => "Preorder",
        }
    }
}

/// The stock numbers of one product, as the catalog shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StockFigures {
    /// Units in the building: the sum of the ledger.
    pub on_hand: i64,
    /// Units set aside for open order lines.
    pub reserved: i64,
    /// Units on open purchase orders, not yet received.
    pub on_order: i64,
    /// Units customers are waiting for (ordered, not reserved, not shipped, not cancelled).
    pub backordered: i64,
}

impl StockFigures {
    /// Units that can be promised to a new order right now (never negative).
    pub fn available(&self) -> i64 {
        (self.on_hand - self.reserved).max(0)
    }
}

/// The badge shown next to a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StockStatus {
    InStock,
    /// Available, but at or below the reorder point.
    LowStock,
    /// Backorders allowed, nothing available, and customers are waiting.
    Backordered,
    /// A preorder product with nothing available.
    Preorder,
    /// Nothing available and no customer waiting (or backorders not allowed).
    OutOfStock,
    /// The shop does not count this product's stock: always orderable, never waiting.
    NotTracked,
}

impl StockStatus {
    pub const ALL: [Self; 6] = [
        Self::InStock,
        Self::LowStock,
        Self::Backordered,
        Self::Preorder,
        Self::OutOfStock,
        Self::NotTracked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::InStock => "In stock",
            Self::LowStock => "Low stock",
            Self::Backordered => "Backordered",
            Self::Preorder => "Preorder",
            Self::OutOfStock => "Out of stock",
            Self::NotTracked => "Not tracked",
        }
    }

    /// The code used on the command line and in exports.
    pub fn code(self) -> &'static str {
        match self {
            Self::InStock => "in_stock",
            Self::LowStock => "low_stock",
            Self::Backordered => "backordered",
            Self::Preorder => "preorder",
            Self::OutOfStock => "out_of_stock",
            Self::NotTracked => "not_tracked",
        }
    }
}

impl fmt::Display for StockStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The badge for a product.
///
/// - Something available: *Low stock* when available ≤ reorder point (and a reorder point is set),
///   else *In stock* — whatever the policy.
/// - Nothing available: *Preorder* for a preorder product; *Backordered* when backorders are
///   allowed and customers wait; otherwise *Out of stock* (an allowed product with no one
///   waiting is still out of stock; the next order becomes a backorder).
pub fn stock_status(
    policy: BackorderPolicy,
    figures: StockFigures,
    reorder_point: i64,
) -> StockStatus {
    let available = figures.available();
    if available > 0 {
        if reorder_point > 0 && available <= reorder_point {
            StockStatus::LowStock
        } else {
            StockStatus::InStock
        }
    } else {
        match policy {
            BackorderPolicy::Preorder => StockStatus::Preorder,
            BackorderPolicy::Allowed if figures.backordered > 0 => StockStatus::Backordered,
            BackorderPolicy::Allowed | BackorderPolicy::NotAllowed => StockStatus::OutOfStock,
        }
    }
}

/// The badge of a product whose stock may not be tracked: *Not tracked* whatever the figures
/// (its stock is not counted, so every order is ready at once), else [`stock_status`].
pub fn stock_status_of(
    track_stock: bool,
    policy: BackorderPolicy,
    figures: StockFigures,
    reorder_point: i64,
) -> StockStatus {
    if track_stock {
        stock_status(policy, figures, reorder_point)
    } else {
        StockStatus::NotTracked
    }
}

/// The backorder cutoff that applies to a product: its own cutoff when it has one (a product set
/// on its own is the more specific choice, so it can stay open longer or close earlier than
/// its category), else its category's.
pub fn applicable_cutoff(
    product_cutoff: Option<NaiveDate>,
    category_cutoff: Option<NaiveDate>,
) -> Option<NaiveDate> {
    product_cutoff.or(category_cutoff)
}

/// Backorders are accepted up to and including the cutoff day, and closed from the day after.
pub fn backorders_closed(cutoff: Option<NaiveDate>, today: NaiveDate) -> bool {
    cutoff.is_some_and(|cutoff| today > cutoff)
}

/// The policy in force on `today`: after its cutoff a product that allowed backorders or
/// preorders behaves as "not allowed".
pub fn policy_in_force(
    policy: BackorderPolicy,
    cutoff: Option<NaiveDate>,
    today: NaiveDate,
) -> BackorderPolicy {
    if backorders_closed(cutoff, today) {
        BackorderPolicy::NotAllowed
    } else {
        policy
    }
}

/// The text of a product's badge, the same in the catalog, on the command line and on the web
/// shop's product page:
/// - "In stock", "Low stock";
/// - "Backordered – ships Mar 3–7", "Preorder – ships Apr 2–5", "Out of stock – ships Mar 12–15"
///   (nothing available, backorders allowed: the window a new order would get);
/// - "Out of stock – backorders closed Dec 10" when a cutoff closed backorders (`closed_after`
///   is that cutoff and `status` was computed with the policy in force);
/// - the bare label when no window is known.
pub fn badge_text(
    status: StockStatus,
    policy: BackorderPolicy,
    next_window: Option<EtaWindow>,
    closed_after: Option<NaiveDate>,
    style: DateStyle,
) -> String {
    match (status, closed_after, next_window) {
        (StockStatus::InStock | StockStatus::LowStock | StockStatus::NotTracked, _, _) => {
            status.label().to_owned()
        }
        (_, Some(cutoff), _) => format!(
            "{} – backorders closed {}",
            status.label(),
            format_day(cutoff, style)
        ),
        (_, None, Some(window)) if policy != BackorderPolicy::NotAllowed => format!(
            "{} – ships {}",
            status.label(),
            format_window(window, style)
        ),
        _ => status.label().to_owned(),
    }
}

/// A field of the product form, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductField {
    Sku,
    Name,
    Category,
    Location,
    UnitCost,
    Price,
    Supplier,
    LeadTime,
    MaxWait,
    ReorderPoint,
    SalePrice,
}

impl ProductField {
    pub fn label(self) -> &'static str {
        match self {
            Self::Sku => "SKU",
            Self::Name => "Name",
            Self::Category => "Category",
            Self::Location => "Bin location",
            Self::UnitCost => "Unit cost",
            Self::Price => "Price",
            Self::Supplier => "Supplier",
            Self::LeadTime => "Lead time",
            Self::MaxWait => "Max wait",
            Self::ReorderPoint => "Reorder point",
            Self::SalePrice => "Sale price",
        }
    }
}

/// One problem with a product form or a product row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: ProductField,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.message)
    }
}

/// A product as typed into the form: every field is text until validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub location: String,
    pub unit_cost: String,
    pub price: String,
    pub supplier: String,
    pub lead_time_days: String,
    pub backorder_policy: BackorderPolicy,
    pub max_wait_days: String,
    pub reorder_point: String,
    /// Whether the shop counts this product's stock (the default).
    pub track_stock: bool,
    /// The price while on sale (WooCommerce's sale price); empty: no sale.
    pub sale_price: String,
}

impl Default for ProductDraft {
    fn default() -> Self {
        Self {
            sku: String::new(),
            name: String::new(),
            category: String::new(),
            location: String::new(),
            unit_cost: "0.00".into(),
            price: "0.00".into(),
            supplier: String::new(),
            lead_time_days: String::new(),
            backorder_policy: BackorderPolicy::Allowed,
            max_wait_days: DEFAULT_MAX_WAIT_DAYS.to_string(),
            reorder_point: "0".into(),
            track_stock: true,
            sale_price: String::new(),
        }
    }
}

/// A validated product, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductData {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub location: String,
    pub unit_cost_cents: i64,
    pub price_cents: i64,
    /// Supplier name; empty means none.
    pub supplier: String,
    pub lead_time_days: Option<i64>,
    pub backorder_policy: BackorderPolicy,
    pub max_wait_days: i64,
    pub reorder_point: i64,
    /// Whether the shop counts this product's stock. A product that is not tracked is always
    /// orderable: its order lines are ready at once and never wait.
    pub track_stock: bool,
    /// The price while on sale (the regular price stays the list price); `None`: no sale.
    pub sale_price_cents: Option<i64>,
}

impl ProductDraft {
    /// Checks every field and returns the product, or every problem found (not just the first).
    #[expect(
        clippy::too_many_lines,
        reason = "one check per field, in the order of the form, collecting every problem"
    )]
    pub fn validate(&self) -> Result<ProductData, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field: ProductField, message: &str| {
            errors.push(FieldError {
                field,
                message: message.to_owned(),
            });
        };

        let sku = self.sku.trim().to_owned();
        if sku.is_empty() {
            push(ProductField::Sku, "is required");
        } else if sku.chars().count() > MAX_SKU_LEN {
            push(ProductField::Sku, "is longer than 64 characters");
        } else if has_control_chars(&sku) {
            push(ProductField::Sku, "must not contain line breaks or tabs");
        }
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            push(ProductField::Name, "is required");
        } else if has_control_chars(&name) {
            push(ProductField::Name, "must not contain line breaks or tabs");
        }
        for (field, value) in [
            (ProductField::Name, &self.name),
            (ProductField::Category, &self.category),
            (ProductField::Location, &self.location),
            (ProductField::Supplier, &self.supplier),
        ] {
            if field != ProductField::Name && has_control_chars(value) {
                push(field, "must not contain line breaks or tabs");
            }
            if let Err(error) = limits::check_text("", value.trim(), limits::MAX_NAME_CHARS) {
                push(field, &format!("{}; {}", error.problem, error.fix));
            }
        }

        let mut money = |field: ProductField, text: &str| -> i64 {
            match parse_money(text) {
                Ok(cents) if cents < 0 => {
                    push(field, "must not be negative");
                    0
                }
                Ok(cents) if cents > limits::MAX_CENTS => {
                    let problem = limits::check_cents("", cents)
                        .err()
                        .map_or_else(String::new, |e| format!("{}; {}", e.problem, e.fix));
                    push(field, &format!("'{}' {problem}", text.trim()));
                    0
                }
                Ok(cents) => cents,
                Err(MoneyError::Empty) => 0,
                Err(MoneyError::TooManyDecimals) => {
                    // Amounts are whole cents everywhere (orders, POs, KPIs, exports).
                    let suggestion = super::money::rounded_to_cents(text)
                        .map(|cents| format!(" ({})", super::money::format_cents(cents)))
                        .unwrap_or_default();
                    push(
                        field,
                        &format!(
                            "'{}' has more than two decimals: prices and costs are kept in whole cents, so round it to two decimals{suggestion}",
                            text.trim()
                        ),
                    );
                    0
                }
                Err(error) => {
                    push(field, &format!("'{}' {error}", text.trim()));
                    0
                }
            }
        };
        let unit_cost_cents = money(ProductField::UnitCost, &self.unit_cost);
        let price_cents = money(ProductField::Price, &self.price);
        let sale_price_cents = if self.sale_price.trim().is_empty() {
            None
        } else {
            Some(money(ProductField::SalePrice, &self.sale_price))
        };

        let lead_time_days = match parse_days(&self.lead_time_days) {
            Ok(days) => days,
            Err(message) => {
                push(ProductField::LeadTime, &message);
                None
            }
        };
        let max_wait_days = match parse_days(&self.max_wait_days) {
            Ok(days) => days.unwrap_or(DEFAULT_MAX_WAIT_DAYS),
            Err(message) => {
                push(ProductField::MaxWait, &message);
                DEFAULT_MAX_WAIT_DAYS
            }
        };
        let reorder_point = match self.reorder_point.trim() {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(units) if (0..=limits::MAX_UNITS).contains(&units) => units,
                Ok(units) if units > limits::MAX_UNITS => {
                    push(
                        ProductField::ReorderPoint,
                        &format!(
                            "{units} is more than {} units; check the number",
                            limits::thousands(limits::MAX_UNITS)
                        ),
                    );
                    0
                }
                _ => {
                    push(
                        ProductField::ReorderPoint,
                        "must be a whole number of units, 0 or more",
                    );
                    0
                }
            },
        };

        if errors.is_empty() {
            Ok(ProductData {
                sku,
                name,
                category: self.category.trim().to_owned(),
                location: self.location.trim().to_owned(),
                unit_cost_cents,
                price_cents,
                supplier: self.supplier.trim().to_owned(),
                lead_time_days,
                backorder_policy: self.backorder_policy,
                max_wait_days,
                reorder_point,
                track_stock: self.track_stock,
                sale_price_cents,
            })
        } else {
            Err(errors)
        }
    }
}

/// Parses a whole number of days (empty → `None`).
fn parse_days(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(days) if (0..=MAX_DAYS).contains(&days) => Ok(Some(days)),
        Ok(_) => Err(format!("must be between 0 and {MAX_DAYS} days")),
        Err(_) => Err(format!("'{text}' is not a whole number of days")),
    }
}

/// Parses a stock adjustment typed by the user: `+5`, `-2`, `5`. Zero is refused, and so is a
/// change of more than [`limits::MAX_UNITS`] either way.
pub fn parse_adjustment(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    match digits.parse::<i64>() {
        Ok(0) => Err("an adjustment of 0 changes nothing".into()),
        Ok(units) => limits::check_stock_change("the adjustment", units).map_err(|e| e.to_string()),
        Err(_)
            if !digits.is_empty()
                && digits
                    .trim_start_matches('-')
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
        {
            Err(format!(
                "the adjustment {text} is more than {} units either way; check the number, or make the change in several steps",
                limits::thousands(limits::MAX_UNITS)
            ))
        }
        Err(_) => Err(format!(
            "'{text}' is not a whole number (use -3 to remove, 5 to add)"
        )),
    }
}

/// One row of the catalog screen, with its stock figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogRow {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub location: String,
    pub unit_cost_cents: i64,
    pub price_cents: i64,
    pub supplier: String,
    pub lead_time_days: Option<i64>,
    pub policy: BackorderPolicy,
    pub max_wait_days: i64,
    pub reorder_point: i64,
    pub figures: StockFigures,
    pub supplier_id: Option<i64>,
    /// The window a new order would get (filled by the app for products with nothing available).
    pub next_window: Option<EtaWindow>,
    /// Waiting lines no purchase order covers: their dates move a day later every day without
    /// one (filled by the app).
    pub slipping_lines: i64,
    /// The backorder cutoff that applies: the product's own, else its category's.
    pub backorder_cutoff: Option<NaiveDate>,
    /// The cutoff has passed (filled by the app, which knows today): backorders are closed.
    pub backorders_closed: bool,
    /// Whether the shop counts this product's stock.
    pub track_stock: bool,
    /// The price while on sale; `None`: no sale.
    pub sale_price_cents: Option<i64>,
    /// The product's identity in its web shop, if it came from one.
    pub identity: Option<ShopIdentity>,
    /// The shop has no SKU of its own for this product: `sku` is derived from its identity and
    /// is never written back to the shop as a SKU.
    pub sku_derived: bool,
}

impl CatalogRow {
    /// The policy in force: "not allowed" once a cutoff closed backorders.
    pub fn policy_in_force(&self) -> BackorderPolicy {
        if self.backorders_closed {
            BackorderPolicy::NotAllowed
        } else {
            self.policy
        }
    }

    pub fn status(&self) -> StockStatus {
        stock_status_of(
            self.track_stock,
            self.policy_in_force(),
            self.figures,
            self.reorder_point,
        )
    }

    /// The badge text: "In stock", "Backordered – ships Mar 3–7", "Preorder – ships Apr 2–5",
    /// "Out of stock – ships Mar 12–15" (the next order would be backordered), "Out of stock –
    /// backorders closed Dec 10" (after a cutoff).
    pub fn badge_text(&self) -> String {
        self.badge_text_in(DateStyle::MonthFirst)
    }

    /// The badge text in a date style.
    pub fn badge_text_in(&self, style: DateStyle) -> String {
        badge_text(
            self.status(),
            self.policy_in_force(),
            self.next_window,
            self.backorder_cutoff.filter(|_| self.backorders_closed),
            style,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(on_hand: i64, reserved: i64, backordered: i64) -> StockFigures {
        StockFigures {
            on_hand,
            reserved,
            on_order: 0,
            backordered,
        }
    }

    #[test]
    fn available_never_negative() {
        assert_eq!(figures(10, 3, 0).available(), 7);
        assert_eq!(figures(2, 5, 0).available(), 0);
        assert_eq!(figures(-4, 0, 0).available(), 0);
    }

    #[test]
    fn badge_for_each_policy_and_stock() {
        use BackorderPolicy as P;
        use StockStatus as S;
        let cases = [
            // policy, on hand, reserved, waiting, reorder point, expected
            (P::NotAllowed, 10, 0, 0, 0, S::InStock),
            (P::Allowed, 10, 0, 0, 0, S::InStock),
            (P::NotAllowed, 10, 0, 0, 5, S::InStock),
            (P::NotAllowed, 5, 0, 0, 5, S::LowStock),
            (P::Allowed, 8, 4, 0, 5, S::LowStock),
            (P::Allowed, 6, 0, 0, 5, S::InStock),
            (P::NotAllowed, 0, 0, 0, 0, S::OutOfStock),
            (P::NotAllowed, 3, 3, 2, 0, S::OutOfStock),
            (P::Allowed, 0, 0, 0, 0, S::OutOfStock),
            (P::Allowed, 0, 0, 4, 0, S::Backordered),
            (P::Allowed, 3, 3, 1, 10, S::Backordered),
            (P::Preorder, 0, 0, 0, 0, S::Preorder),
            (P::Preorder, 0, 0, 7, 0, S::Preorder),
            (P::Preorder, 12, 0, 0, 0, S::InStock),
            (P::Preorder, 2, 0, 0, 5, S::LowStock),
        ];
        for (policy, on_hand, reserved, waiting, reorder_point, expected) in cases {
            assert_eq!(
                stock_status(policy, figures(on_hand, reserved, waiting), reorder_point),
                expected,
                "{policy:?} on hand {on_hand} reserved {reserved} waiting {waiting} rop {reorder_point}"
            );
        }
    }

    #[test]
    fn cutoff_at_before_and_after_the_day() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        let cutoff = Some(day(12, 10));
        // Before and on the cutoff day: the policy as set.
        assert_eq!(
            policy_in_force(BackorderPolicy::Allowed, cutoff, day(12, 9)),
            BackorderPolicy::Allowed
        );
        assert_eq!(
            policy_in_force(BackorderPolicy::Allowed, cutoff, day(12, 10)),
            BackorderPolicy::Allowed
        );
        assert!(!backorders_closed(cutoff, day(12, 10)));
        // The day after: not allowed, preorders too.
        assert_eq!(
            policy_in_force(BackorderPolicy::Allowed, cutoff, day(12, 11)),
            BackorderPolicy::NotAllowed
        );
        assert_eq!(
            policy_in_force(BackorderPolicy::Preorder, cutoff, day(12, 11)),
            BackorderPolicy::NotAllowed
        );
        assert!(backorders_closed(cutoff, day(12, 11)));
        // No cutoff: never closed.
        assert!(!backorders_closed(None, day(12, 31)));
        // The product's own cutoff wins over its category's.
        assert_eq!(
            applicable_cutoff(Some(day(12, 20)), Some(day(12, 10))),
            Some(day(12, 20))
        );
        assert_eq!(
            applicable_cutoff(None, Some(day(12, 10))),
            Some(day(12, 10))
        );
        assert_eq!(applicable_cutoff(None, None), None);
    }

    #[test]
    fn badge_texts() {
        use BackorderPolicy as P;
        use StockStatus as S;
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        let window = Some(EtaWindow {
            start: day(3, 3),
            end: day(3, 7),
        });
        let style = DateStyle::MonthFirst;
        assert_eq!(
            badge_text(S::InStock, P::Allowed, None, None, style),
            "In stock"
        );
        assert_eq!(
            badge_text(S::Backordered, P::Allowed, window, None, style),
            "Backordered – ships Mar 3–7"
        );
        assert_eq!(
            badge_text(S::Preorder, P::Preorder, window, None, style),
            "Preorder – ships Mar 3–7"
        );
        assert_eq!(
            badge_text(S::OutOfStock, P::NotAllowed, window, None, style),
            "Out of stock"
        );
        assert_eq!(
            badge_text(S::OutOfStock, P::NotAllowed, None, Some(day(12, 10)), style),
            "Out of stock – backorders closed Dec 10"
        );
        assert_eq!(
            badge_text(
                S::OutOfStock,
                P::NotAllowed,
                None,
                Some(day(12, 10)),
                DateStyle::DayFirst
            ),
            "Out of stock – backorders closed 10 Dec"
        );
        assert_eq!(
            badge_text(S::Backordered, P::Allowed, None, None, style),
            "Backordered"
        );
    }

    #[test]
    fn policy_codes() {
        assert_eq!(
            BackorderPolicy::from_code("no"),
            Some(BackorderPolicy::NotAllowed)
        );
        assert_eq!(
            BackorderPolicy::from_code(" YES "),
            Some(BackorderPolicy::Allowed)
        );
        assert_eq!(
            BackorderPolicy::from_code("Preorder"),
            Some(BackorderPolicy::Preorder)
        );
        assert_eq!(BackorderPolicy::from_code("maybe"), None);
        for policy in BackorderPolicy::ALL {
            assert_eq!(BackorderPolicy::from_code(policy.code()), Some(policy));
        }
    }

    #[test]
    fn draft_validates_and_collects_all_errors() {
        let draft = ProductDraft {
            sku: "  MUG-01 ".into(),
            name: "Blue mug".into(),
            price: "12.5".into(),
            unit_cost: "4".into(),
            lead_time_days: "10".into(),
            ..ProductDraft::default()
        };
        let product = draft.validate().expect("valid");
        assert_eq!(product.sku, "MUG-01");
        assert_eq!(product.price_cents, 1250);
        assert_eq!(product.unit_cost_cents, 400);
        assert_eq!(product.lead_time_days, Some(10));
        assert_eq!(product.max_wait_days, 14);

        let bad = ProductDraft {
            sku: String::new(),
            name: "x\ny".into(),
            price: "-1".into(),
            lead_time_days: "soon".into(),
            reorder_point: "-3".into(),
            ..ProductDraft::default()
        };
        let errors = bad.validate().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                ProductField::Sku,
                ProductField::Name,
                ProductField::Price,
                ProductField::LeadTime,
                ProductField::ReorderPoint
            ]
        );
    }

    #[test]
    fn adjustments() {
        assert_eq!(parse_adjustment("+5"), Ok(5));
        assert_eq!(parse_adjustment("-2"), Ok(-2));
        assert!(parse_adjustment("0").is_err());
        assert!(parse_adjustment("two").is_err());
        assert_eq!(parse_adjustment("1000000"), Ok(1_000_000));
        assert_eq!(parse_adjustment("-1000000"), Ok(-1_000_000));
        assert_eq!(
            parse_adjustment("-1000001"),
            Err(
                "the adjustment -1000001 is more than 1,000,000 units either way; check the \
                 number, or make the change in several steps"
                    .into()
            )
        );
        assert_eq!(
            parse_adjustment("-9223372036854775809"),
            Err(
                "the adjustment -9223372036854775809 is more than 1,000,000 units either way; \
                 check the number, or make the change in several steps"
                    .into()
            )
        );
    }

    #[test]
    fn the_form_keeps_to_the_limits() {
        let inside = ProductDraft {
            sku: "S".repeat(64),
            name: "N".repeat(255),
            category: "C".repeat(255),
            location: "L".repeat(255),
            supplier: "A".repeat(255),
            unit_cost: "1000000.00".into(),
            price: "1000000.00".into(),
            lead_time_days: "3650".into(),
            max_wait_days: "3650".into(),
            reorder_point: "1000000".into(),
            ..ProductDraft::default()
        };
        let data = inside.validate().expect("inside every limit");
        assert_eq!(
            (data.price_cents, data.reorder_point),
            (100_000_000, 1_000_000)
        );
        let outside = ProductDraft {
            sku: "S".repeat(65),
            name: "N".repeat(256),
            category: "C".repeat(256),
            location: "L".repeat(256),
            supplier: "A".repeat(256),
            unit_cost: "1000000.01".into(),
            price: "92233720368547758.07".into(),
            lead_time_days: "3651".into(),
            max_wait_days: "3651".into(),
            reorder_point: "1000001".into(),
            ..ProductDraft::default()
        };
        let errors: Vec<String> = outside
            .validate()
            .expect_err("outside every limit")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "SKU: is longer than 64 characters",
                "Name: is 256 characters long, more than the 255 accepted; shorten it",
                "Category: is 256 characters long, more than the 255 accepted; shorten it",
                "Bin location: is 256 characters long, more than the 255 accepted; shorten it",
                "Supplier: is 256 characters long, more than the 255 accepted; shorten it",
                "Unit cost: '1000000.01' is more than 1000000.00, the highest price or cost \
                 accepted; check the decimal point",
                "Price: '92233720368547758.07' is more than 1000000.00, the highest price or cost \
                 accepted; check the decimal point",
                "Lead time: must be between 0 and 3650 days",
                "Max wait: must be between 0 and 3650 days",
                "Reorder point: 1000001 is more than 1,000,000 units; check the number",
            ]
        );
    }
}
