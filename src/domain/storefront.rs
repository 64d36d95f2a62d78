//! Storefront badges: the promise the app makes, written for the web shop's product page.
//!
//! One row per SKU with the badge text (the same text as the catalog badge, see
//! [`super::product::badge_text`]) and the window's first and last day, in the column layout
//! the shop's product import reads:
//! - Shopify: `Handle`, `Title`, `Variant SKU` and three product metafield columns named the way
//!   Shopify's product CSV names metafields, `<name> (product.metafields.custom.<key>)`;
//! - WooCommerce: `SKU` (WooCommerce matches existing products by SKU) and three custom fields
//!   as `Meta: <key>` columns.

use chrono::NaiveDate;

use super::identity::shopify_sku_cell;
use super::promise::EtaWindow;

/// The metafield / custom field key of the badge text.
pub const BADGE_KEY: &str = "backorder_badge";
/// The key of the window's first day (YYYY-MM-DD, empty when no window).
pub const SHIPS_FROM_KEY: &str = "backorder_ships_from";
/// The key of the window's last day.
pub const SHIPS_UNTIL_KEY: &str = "backorder_ships_until";

/// Which web shop the file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StorefrontFormat {
    #[default]
    Shopify,
    WooCommerce,
}

impl StorefrontFormat {
    pub const ALL: [Self; 2] = [Self::Shopify, Self::WooCommerce];

    pub fn code(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::WooCommerce => "woocommerce",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|format| format.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shopify => "Shopify",
            Self::WooCommerce => "WooCommerce",
        }
    }

    /// The header row.
    pub fn header(self) -> Vec<String> {
        match self {
            Self::Shopify => {
                let metafield =
                    |name: &str, key: &str| format!("{name} (product.metafields.custom.{key})");
                vec![
                    "Handle".to_owned(),
                    "Title".to_owned(),
                    "Variant SKU".to_owned(),
                    metafield("Backorder badge", BADGE_KEY),
                    metafield("Backorder ships from", SHIPS_FROM_KEY),
                    metafield("Backorder ships until", SHIPS_UNTIL_KEY),
                ]
            }
            Self::WooCommerce => vec![
                "SKU".to_owned(),
                format!("Meta: _{BADGE_KEY}"),
                format!("Meta: _{SHIPS_FROM_KEY}"),
                format!("Meta: _{SHIPS_UNTIL_KEY}"),
            ],
        }
    }

    /// Whether the file for this shop has a row for the product: WooCommerce finds products by
    /// SKU, so one without a SKU of its own in the shop is left out (its key was made by the
    /// desk and is never written as a SKU).
    pub fn writes(self, badge: &StorefrontBadge) -> bool {
        match self {
            Self::Shopify => true,
            Self::WooCommerce => badge.sku_in_shop,
        }
    }

    /// The row of one product. Shopify gets the product's handle (from the shop when known,
    /// else made from the title) and the variant's SKU as Shopify writes it (a SKU of digits
    /// with its leading `'`), or no SKU when the shop has none for it.
    pub fn record(self, badge: &StorefrontBadge) -> Vec<String> {
        let day = |date: Option<NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
        let from = day(badge.window.map(|w| w.start));
        let until = day(badge.window.map(|w| w.end));
        match self {
            Self::Shopify => vec![
                badge
                    .handle
                    .clone()
                    .unwrap_or_else(|| handle_from_title(&badge.name)),
                badge.name.clone(),
                if badge.sku_in_shop {
                    shopify_sku_cell(&badge.sku).into_owned()
                } else {
                    String::new()
                },
                badge.text.clone(),
                from,
                until,
            ],
            Self::WooCommerce => vec![badge.sku.clone(), badge.text.clone(), from, until],
        }
    }
}

/// One product's badge for the web shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorefrontBadge {
    pub sku: String,
    /// The shop has this SKU (false: the desk made the key; it is never written as a SKU).
    pub sku_in_shop: bool,
    /// The product's handle in Shopify, when it came from there.
    pub handle: Option<String>,
    pub name: String,
    /// "In stock", "Backordered – ships Mar 3–7", "Preorder – ships Apr 2–5", …
    pub text: String,
    /// The window the text names (none for in-stock or closed products).
    pub window: Option<EtaWindow>,
}

/// The handle Shopify makes from a product title: lower case, every run of other characters
/// than letters and digits becomes one `-`, none at either end ("Blue Mug, 300 ml" →
/// "blue-mug-300-ml").
pub fn handle_from_title(title: &str) -> String {
    let mut handle = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !handle.is_empty() {
                handle.push('-');
            }
            dash = false;
            handle.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    handle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge(text: &str, window: Option<EtaWindow>) -> StorefrontBadge {
        StorefrontBadge {
            sku: "MUG-01".into(),
            sku_in_shop: true,
            handle: None,
            name: "Blue Mug, 300 ml".into(),
            text: text.into(),
            window,
        }
    }

    #[test]
    fn handles_follow_shopify() {
        assert_eq!(handle_from_title("Blue Mug, 300 ml"), "blue-mug-300-ml");
        assert_eq!(handle_from_title("  Tea -- Rooibos! "), "tea-rooibos");
        assert_eq!(handle_from_title("Crème brûlée set"), "crème-brûlée-set");
    }

    #[test]
    fn rows_for_each_shop() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
        let window = Some(EtaWindow {
            start: day(3),
            end: day(7),
        });
        let item = badge("Backordered – ships Mar 3–7", window);
        assert_eq!(
            StorefrontFormat::Shopify.header()[3],
            "Backorder badge (product.metafields.custom.backorder_badge)"
        );
        assert_eq!(
            StorefrontFormat::Shopify.record(&item),
            vec![
                "blue-mug-300-ml",
                "Blue Mug, 300 ml",
                "MUG-01",
                "Backordered – ships Mar 3–7",
                "2026-03-03",
                "2026-03-07"
            ]
        );
        assert_eq!(
            StorefrontFormat::WooCommerce.header(),
            vec![
                "SKU",
                "Meta: _backorder_badge",
                "Meta: _backorder_ships_from",
                "Meta: _backorder_ships_until"
            ]
        );
        assert_eq!(
            StorefrontFormat::WooCommerce.record(&badge("In stock", None)),
            vec!["MUG-01", "In stock", "", ""]
        );
        assert_eq!(
            StorefrontFormat::from_code("WooCommerce"),
            Some(StorefrontFormat::WooCommerce)
        );
        assert_eq!(StorefrontFormat::from_code("etsy"), None);
    }
}
