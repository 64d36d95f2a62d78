//! A product's identity in the web shop it comes from, and the rules for SKUs that shops and
//! spreadsheets write in their own ways.
//!
//! A product's identity is the platform's own: its SKU when it has one of its own; else
//! Shopify's handle plus option values, or WooCommerce's parent plus attribute values (or the
//! product's ID). A product without a SKU of its own is kept in the catalog under a key derived
//! from that identity (`ocean-blue-shirt/XS`), marked "no SKU in the shop", and that key is
//! never written back to the shop as a SKU.

use std::borrow::Cow;
use std::fmt;

use super::limits::MAX_SKU_LEN;

/// The web shop a product was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Shopify,
    WooCommerce,
}

impl Platform {
    pub const ALL: [Self; 2] = [Self::Shopify, Self::WooCommerce];

    /// The code stored in the database: `shopify`, `woocommerce`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::WooCommerce => "woocommerce",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|platform| platform.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shopify => "Shopify",
            Self::WooCommerce => "WooCommerce",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A variant as its web shop knows it, without its SKU.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShopIdentity {
    pub platform: Platform,
    /// Shopify: `handle` or `handle/value1/value2/value3` (the option values that are set,
    /// Shopify's `Default Title` left out). WooCommerce: `parent/value1/…` for a variation with
    /// attribute values (the parent as the export names it: `id:40` or the parent's SKU), else
    /// `id:N`.
    pub key: String,
}

/// True for Shopify's name of the one variant of a product without options.
pub fn is_default_option(value: &str) -> bool {
    value.eq_ignore_ascii_case("Default Title")
}

impl ShopIdentity {
    /// A Shopify variant: its product's handle and its option values (empty values and
    /// `Default Title` are left out).
    pub fn shopify<'a>(handle: &str, option_values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut key = handle.trim().to_owned();
        for value in option_values {
            let value = value.trim();
            if !value.is_empty() && !is_default_option(value) {
                key.push('/');
                key.push_str(value);
            }
        }
        Self {
            platform: Platform::Shopify,
            key,
        }
    }

    /// A WooCommerce variation by its parent (as the export's `Parent` column names it) and its
    /// attribute values; `None` when it has no attribute value (then use [`Self::woocommerce_id`]).
    pub fn woocommerce_variation<'a>(
        parent: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Option<Self> {
        let mut key = parent.trim().to_owned();
        let mut any = false;
        for value in values {
            let value = value.trim();
            if !value.is_empty() {
                key.push('/');
                key.push_str(value);
                any = true;
            }
        }
        (any && !parent.trim().is_empty()).then_some(Self {
            platform: Platform::WooCommerce,
            key,
        })
    }

    /// A WooCommerce product or variation by its ID.
    pub fn woocommerce_id(id: &str) -> Self {
        Self {
            platform: Platform::WooCommerce,
            key: format!("id:{}", id.trim()),
        }
    }

    /// The key the catalog keeps a product without a SKU of its own under: the identity's key
    /// itself, or when that is longer than a SKU may be (or holds line breaks or tabs), its
    /// start, `~` and a hash of the whole (so it stays the same on every import).
    pub fn derived_sku(&self) -> String {
        let clean: String = self
            .key
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if clean.chars().count() <= MAX_SKU_LEN && clean == self.key {
            return clean;
        }
        let head: String = clean.chars().take(MAX_SKU_LEN - 9).collect();
        format!("{head}~{:08x}", fnv1a(self.key.as_bytes()) as u32)
    }
}

/// FNV-1a, 64 bits: a small stable hash (the same on every machine and version).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The name Shopify gives a variant on an order (`Lineitem name`): `Title - Value1 / Value2`
/// with the option values that are set, or the title alone for the default variant.
pub fn shopify_variant_name<'a>(
    title: &str,
    option_values: impl IntoIterator<Item = &'a str>,
) -> String {
    let values: Vec<&str> = option_values
        .into_iter()
        .map(str::trim)
        .filter(|value| !value.is_empty() && !is_default_option(value))
        .collect();
    if values.is_empty() {
        title.to_owned()
    } else {
        format!("{title} - {}", values.join(" / "))
    }
}

/// Shopify writes a SKU of digits with a leading `'` (`'93717665410945092286`) so spreadsheets
/// keep every digit: the SKU is the digits.
pub fn strip_sku_apostrophe(sku: &str) -> &str {
    match sku.strip_prefix('\'') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => sku,
    }
}

/// A SKU as Shopify writes it in its files: a SKU of digits gets its leading `'` back.
pub fn shopify_sku_cell(sku: &str) -> Cow<'_, str> {
    if !sku.is_empty() && sku.bytes().all(|b| b.is_ascii_digit()) {
        Cow::Owned(format!("'{sku}"))
    } else {
        Cow::Borrowed(sku)
    }
}

/// A SKU folded for the look-alike check: ASCII letters in lower case, and leading zeros gone
/// (a spreadsheet turns `0017` into `17`). Two different SKUs with the same fold are almost
/// always one product written twice.
pub fn sku_fold(sku: &str) -> String {
    let trimmed = sku.trim_start_matches('0');
    let rest = if trimmed.is_empty() && !sku.is_empty() {
        "0"
    } else {
        trimmed
    };
    rest.to_ascii_lowercase()
}

/// How `sku` looks like `existing` (for the error message), `None` when it does not.
pub fn look_alike(sku: &str, existing: &str) -> Option<&'static str> {
    if sku == existing || sku_fold(sku) != sku_fold(existing) {
        return None;
    }
    let zeros = |text: &str| text.len() - text.trim_start_matches('0').len();
    if zeros(sku) == zeros(existing) {
        Some("in other letter case")
    } else {
        Some("without its leading zeros")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_identities_and_names() {
        let shirt = ShopIdentity::shopify("ocean-blue-shirt", ["XS", "", ""]);
        assert_eq!(shirt.key, "ocean-blue-shirt/XS");
        assert_eq!(shirt.derived_sku(), "ocean-blue-shirt/XS");
        let plain = ShopIdentity::shopify("linen-apron", ["Default Title"]);
        assert_eq!(plain.key, "linen-apron");
        assert_eq!(
            shopify_variant_name("Ceramic Mug", ["Blue", "Small", ""]),
            "Ceramic Mug - Blue / Small"
        );
        assert_eq!(
            shopify_variant_name("Linen Apron", ["Default Title"]),
            "Linen Apron"
        );
    }

    #[test]
    fn woocommerce_identities() {
        assert_eq!(
            ShopIdentity::woocommerce_variation("id:40", ["Blue", "L"]).map(|i| i.key),
            Some("id:40/Blue/L".to_owned())
        );
        assert_eq!(ShopIdentity::woocommerce_variation("id:40", [""]), None);
        assert_eq!(ShopIdentity::woocommerce_id("57").key, "id:57");
    }

    #[test]
    fn long_keys_are_shortened_the_same_way_every_time() {
        let long = ShopIdentity::shopify(&"h".repeat(90), ["Blue"]);
        let sku = long.derived_sku();
        assert_eq!(sku.chars().count(), MAX_SKU_LEN);
        assert_eq!(sku, long.derived_sku());
        assert!(sku.starts_with("hhhh"));
        assert_ne!(
            sku,
            ShopIdentity::shopify(&"h".repeat(90), ["Red"]).derived_sku()
        );
    }

    #[test]
    fn apostrophes_and_look_alikes() {
        assert_eq!(
            strip_sku_apostrophe("'93717665410945092286"),
            "93717665410945092286"
        );
        assert_eq!(strip_sku_apostrophe("'Tis"), "'Tis");
        assert_eq!(strip_sku_apostrophe("'"), "'");
        assert_eq!(shopify_sku_cell("0017"), "'0017");
        assert_eq!(shopify_sku_cell("MUG-1"), "MUG-1");
        assert_eq!(look_alike("17", "0017"), Some("without its leading zeros"));
        assert_eq!(look_alike("mug-1", "MUG-1"), Some("in other letter case"));
        assert_eq!(look_alike("MUG-1", "MUG-1"), None);
        assert_eq!(look_alike("18", "0017"), None);
        assert_eq!(sku_fold("000"), "0");
    }
}
