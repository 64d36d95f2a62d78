//! WooCommerce's built-in product CSV exporter.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser};
use super::woo_headers;
use super::{ImportedProduct, MAX_UNITS, ShopStockStatus, Warning};
use crate::domain::BackorderPolicy;
use crate::domain::identity::ShopIdentity;

const ID: usize = 0;
pub(crate) const TYPE: usize = 1;
pub(crate) const SKU: usize = 2;
const NAME: usize = 3;
const DESCRIPTION: usize = 4;
const IN_STOCK: usize = 5;
const STOCK: usize = 6;
const BACKORDERS: usize = 7;
const REGULAR_PRICE: usize = 8;
const CATEGORIES: usize = 9;
const PARENT: usize = 10;
const BARCODE: usize = 11;
const COST: usize = 12;
const SALE_PRICE: usize = 13;
const ATTRIBUTE_VALUES: [usize; 3] = [14, 15, 16];

/// The spec indices of the quantity, policy and price columns.
pub(crate) const FACTS: (usize, usize, usize) = (STOCK, BACKORDERS, REGULAR_PRICE);

/// Columns read from a WooCommerce product export, under their English names and the names
/// the exporter writes in the admin's language (see [`super::woo_headers`]).
pub(crate) const SPECS: [ColumnSpec; 17] = [
    ColumnSpec::optional("ID", woo_headers::ID),
    ColumnSpec::required("Type", woo_headers::TYPE),
    ColumnSpec::optional("SKU", woo_headers::SKU),
    ColumnSpec::required("Name", woo_headers::NAME),
    ColumnSpec::optional("Description", woo_headers::DESCRIPTION),
    ColumnSpec::optional("In stock?", woo_headers::IN_STOCK),
    ColumnSpec::optional("Stock", woo_headers::STOCK),
    ColumnSpec::optional("Backorders allowed?", woo_headers::BACKORDERS),
    ColumnSpec::optional("Regular price", woo_headers::REGULAR_PRICE),
    ColumnSpec::optional("Categories", woo_headers::CATEGORIES),
    ColumnSpec::optional("Parent", woo_headers::PARENT),
    ColumnSpec::optional("GTIN, UPC, EAN, or ISBN", woo_headers::GTIN),
    // The Cost of Goods extension's column.
    ColumnSpec::optional("Meta: _wc_cog_cost", &["meta:wccogcost"]),
    ColumnSpec::optional("Sale price", woo_headers::SALE_PRICE),
    ColumnSpec::optional("Attribute 1 value(s)", woo_headers::ATTRIBUTE_1_VALUES),
    ColumnSpec::optional("Attribute 2 value(s)", woo_headers::ATTRIBUTE_2_VALUES),
    ColumnSpec::optional("Attribute 3 value(s)", woo_headers::ATTRIBUTE_3_VALUES),
];

/// True when a header (folded names) is a WooCommerce product export, in English or a
/// language the exporter's names are known in.
pub(crate) fn matches(folded: &[String]) -> bool {
    let has = |spec: usize| {
        folded
            .iter()
            .any(|name| SPECS[spec].aliases.contains(&name.as_str()))
    };
    has(BACKORDERS) || has(IN_STOCK) || (has(TYPE) && has(REGULAR_PRICE))
}

/// True when a header that matches no layout still looks like a WooCommerce export: its first
/// column is the product ID (`ID` in every language), or it has the exporter's `Meta:` or
/// numbered attribute columns.
pub(crate) fn looks_translated(folded: &[String]) -> bool {
    let first_is_id = folded.first().is_some_and(|name| name == "id");
    let meta = folded.iter().any(|name| name.starts_with("meta:"));
    first_is_id && (folded.len() >= 8 || meta) || meta && folded.len() >= 8
}

/// True for a row type that holds stock itself (not a variable parent, a group or an
/// external product).
pub(crate) fn holds_stock(type_text: &str) -> bool {
    !type_text.split(',').map(str::trim).any(|part| {
        ["variable", "grouped", "external"]
            .iter()
            .any(|kind| part.eq_ignore_ascii_case(kind))
    })
}

/// Undoes the exporter's guard against spreadsheet formulas: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is written with a leading `'`.
pub(crate) fn unescape_formula(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// Undoes the exporter's line-break escaping in descriptions: a line break is written as the two
/// characters `\n`, and a literal `\n` as `\\n`.
pub(crate) fn unescape_newlines(value: &str) -> Cow<'_, str> {
    if !value.contains("\\n") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(tail) = after.strip_prefix("\\\\n") {
            out.push_str("\\n");
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("\\n") {
            out.push('\n');
            rest = tail;
        } else {
            out.push('\\');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The first category of `A > B, C` is `A > B`; commas inside a name are written `\,`.
pub(crate) fn first_category(value: &str) -> String {
    let bytes = value.as_bytes();
    let end = (0..bytes.len())
        .find(|&at| bytes[at] == b',' && (at == 0 || bytes[at - 1] != b'\\'))
        .unwrap_or(bytes.len());
    value[..end].trim().replace("\\,", ",")
}

/// What a variable product passes on to its variations.
#[derive(Debug, Clone)]
struct ParentInfo {
    name: String,
    category: String,
    backorders: Option<(BackorderPolicy, bool)>,
}

/// Reads WooCommerce product rows: simple products and variations, with or without a SKU.
#[derive(Debug, Default)]
pub(crate) struct ProductParser {
    /// Variable parents by `id:N` and by SKU.
    parents: HashMap<String, ParentInfo>,
    /// SKUs that several products of the file use (found by a first pass over the file).
    shared: HashSet<String>,
    /// Where each identity was first seen.
    identities: HashMap<String, u64>,
}

impl ProductParser {
    pub(crate) fn new(shared: HashSet<String>) -> Self {
        Self {
            shared,
            ..Self::default()
        }
    }

    fn parent_of(&self, reference: &str) -> Option<&ParentInfo> {
        if reference.is_empty() {
            return None;
        }
        self.parents.get(reference)
    }
}

/// Parses `Backorders allowed?`: `0`, `1` or `notify` (policy, notify).
fn backorders(cx: &mut Cx<'_, '_>, value: &str) -> Option<(BackorderPolicy, bool)> {
    match value {
        "" => None,
        "0" => Some((BackorderPolicy::NotAllowed, false)),
        "1" => Some((BackorderPolicy::Allowed, false)),
        _ if value.eq_ignore_ascii_case("notify") => Some((BackorderPolicy::Allowed, true)),
        _ => {
            cx.fail(BACKORDERS, value, "must be 0, 1 or notify");
            None
        }
    }
}

impl RowParser for ProductParser {
    type Row = ImportedProduct;

    #[expect(
        clippy::too_many_lines,
        reason = "one row of WooCommerce's product export, column by column"
    )]
    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ImportedProduct> {
        let type_text = cx.text(TYPE);
        let kind = type_text
            .split(',')
            .map(str::trim)
            .find(|part| {
                ["simple", "variable", "variation", "grouped", "external"]
                    .iter()
                    .any(|kind| part.eq_ignore_ascii_case(kind))
            })
            .map(str::to_ascii_lowercase);
        let Some(kind) = kind else {
            cx.fail(
                TYPE,
                &type_text,
                "must be simple, variable, variation, grouped or external",
            );
            return None;
        };
        let name_text = cx.text(NAME);
        let name = unescape_formula(&name_text);
        let sku_text = cx.text(SKU);
        let sku = unescape_formula(&sku_text).trim();
        let id_text = cx.text(ID);
        let id = unescape_formula(&id_text).trim().to_owned();
        let categories_text = cx.text(CATEGORIES);
        let category = first_category(unescape_formula(&categories_text));
        let backorders_text = cx.text(BACKORDERS);
        let backorder_setting = backorders(cx, unescape_formula(&backorders_text));
        let stock_text = cx.text(STOCK);
        let stock = unescape_formula(&stock_text).trim().to_owned();

        match kind.as_str() {
            "variable" => {
                let info = ParentInfo {
                    name: name.to_owned(),
                    category,
                    backorders: backorder_setting,
                };
                if !id.is_empty() {
                    self.parents.insert(format!("id:{id}"), info.clone());
                }
                if !sku.is_empty() {
                    self.parents.insert(sku.to_owned(), info);
                }
                return cx.skip("variable products (their variations are the products)");
            }
            "grouped" | "external" => {
                let line = cx.line();
                cx.warnings.push(Warning {
                    line: Some(line),
                    message: format!("{kind} product '{name}' holds no stock and is skipped"),
                });
                return cx.skip("grouped and external products (they hold no stock)");
            }
            _ => {}
        }
        let sku = cx.platform_sku(SKU, sku, "its parent and attribute values (or its ID)");
        if let Some(barcode) = cx.cell(BARCODE) {
            cx.warn_if_scientific(BARCODE, unescape_formula(&barcode));
        }

        let parent_text = cx.text(PARENT);
        let parent_ref = unescape_formula(&parent_text).trim().to_owned();
        let parent = if kind == "variation" {
            self.parent_of(&parent_ref).cloned()
        } else {
            None
        };
        let attribute_values: Vec<String> = ATTRIBUTE_VALUES
            .iter()
            .map(|&column| unescape_formula(&cx.text(column)).trim().to_owned())
            .collect();
        let identity = if kind == "variation" {
            ShopIdentity::woocommerce_variation(
                &parent_ref,
                attribute_values.iter().map(String::as_str),
            )
        } else {
            None
        }
        .or_else(|| (!id.is_empty()).then(|| ShopIdentity::woocommerce_id(&id)));
        if sku.is_empty() && identity.is_none() {
            cx.fail(
                SKU,
                "",
                format!(
                    "{kind} product '{name}' has neither a SKU nor an ID; export it with its ID \
                     column, or give it a SKU"
                ),
            );
            return None;
        }
        if let Some(identity) = &identity {
            if let Some(first) = self.identities.get(&identity.key) {
                let reason = format!(
                    "the same product ('{}') is also on line {first}",
                    identity.key
                );
                cx.fail(ID, &id, reason);
                return None;
            }
            self.identities.insert(identity.key.clone(), cx.line());
        }
        let name = match (name.is_empty(), &parent) {
            (false, _) => cx.line_text_of(NAME, name),
            (true, Some(parent)) if !parent.name.is_empty() => {
                let values: Vec<&str> = attribute_values
                    .iter()
                    .map(String::as_str)
                    .filter(|value| !value.is_empty())
                    .collect();
                Some(if values.is_empty() {
                    parent.name.clone()
                } else {
                    format!("{} - {}", parent.name, values.join(", "))
                })
            }
            (true, _) => {
                cx.fail(NAME, "", "a name is required");
                None
            }
        };
        let category = if category.is_empty() {
            parent
                .as_ref()
                .map_or(category, |parent| parent.category.clone())
        } else {
            category
        };
        let category = if cx.has(CATEGORIES) {
            cx.line_text_of(CATEGORIES, &category)
        } else {
            None
        };
        let description = cx
            .cell(DESCRIPTION)
            .map(|text| unescape_newlines(unescape_formula(&text)).into_owned());

        // `Stock` is empty when the product (or the variation and its parent) manages no
        // stock: WooCommerce then does not count it. `parent`: the parent counts the stock of
        // all its variations together.
        let (track_stock, on_hand) = if !cx.has(STOCK) {
            (None, None)
        } else if stock.is_empty() {
            (Some(false), None)
        } else if stock.eq_ignore_ascii_case("parent") {
            let line = cx.line();
            cx.warnings.push(Warning {
                line: Some(line),
                message: format!(
                    "the stock of '{}' is counted on its parent product, for all its \
                     variations together; its stock was left as it was (set each variation's \
                     stock by hand, or manage stock per variation in WooCommerce)",
                    name.as_deref().unwrap_or_default()
                ),
            });
            (Some(true), None)
        } else {
            (
                Some(true),
                cx.whole_of(STOCK, &stock, -MAX_UNITS..=MAX_UNITS),
            )
        };
        let (backorder_policy, notify_on_backorder) = match backorder_setting
            .or_else(|| parent.as_ref().and_then(|parent| parent.backorders))
        {
            Some((policy, notify)) => (Some(policy), notify),
            None => (None, false),
        };
        let in_stock_text = cx.text(IN_STOCK);
        let shop_stock_status = match in_stock_text.to_ascii_lowercase().as_str() {
            "" => None,
            "1" => Some(ShopStockStatus::InStock),
            "0" => Some(ShopStockStatus::OutOfStock),
            "backorder" | "onbackorder" => Some(ShopStockStatus::OnBackorder),
            _ => {
                cx.fail(IN_STOCK, &in_stock_text, "must be 1, 0 or backorder");
                None
            }
        };
        let price_text = cx.text(REGULAR_PRICE);
        let price_cents = cx.money_of(REGULAR_PRICE, unescape_formula(&price_text));
        let sale_price_cents = if cx.has(SALE_PRICE) {
            let sale_text = cx.text(SALE_PRICE);
            Some(cx.money_of(SALE_PRICE, unescape_formula(&sale_text)))
        } else {
            None
        };
        let unit_cost_cents = cx.money(COST);
        let sku_shared = !sku.is_empty() && self.shared.contains(&sku);
        Some(ImportedProduct {
            identity,
            sku_shared,
            track_stock,
            sku_in_shop: None,
            sale_price_cents,
            name,
            description,
            category,
            unit_cost_cents,
            price_cents,
            on_hand,
            backorder_policy,
            notify_on_backorder,
            shop_stock_status,
            ..ImportedProduct::new(cx.line(), sku)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::csv_import::record::fold_name;

    #[test]
    fn every_translated_header_is_an_alias_of_its_column() {
        let specs = [
            ID,
            TYPE,
            SKU,
            NAME,
            DESCRIPTION,
            IN_STOCK,
            STOCK,
            BACKORDERS,
            REGULAR_PRICE,
            SALE_PRICE,
            CATEGORIES,
            PARENT,
        ];
        for (language, names) in woo_headers::TRANSLATED_HEADERS {
            for (spec, name) in specs.iter().zip(names) {
                assert!(
                    SPECS[*spec].aliases.contains(&fold_name(name).as_str()),
                    "{language}: '{name}' is not an alias of {}",
                    SPECS[*spec].name
                );
            }
            for (n, spec) in ATTRIBUTE_VALUES.iter().enumerate() {
                let name = names[12].replace("%d", &(n + 1).to_string());
                assert!(
                    SPECS[*spec].aliases.contains(&fold_name(&name).as_str()),
                    "{language}: '{name}'"
                );
            }
        }
        // Every alias is written as the header folds it.
        for spec in &SPECS {
            for alias in spec.aliases {
                assert_eq!(fold_name(alias), *alias);
            }
        }
    }

    #[test]
    fn undoes_exporter_escapes() {
        assert_eq!(unescape_formula("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape_formula("'-5"), "-5");
        assert_eq!(unescape_formula("'Tis the season"), "'Tis the season");
        assert_eq!(unescape_newlines("one\\ntwo"), "one\ntwo");
        assert_eq!(unescape_newlines("C:\\temp\\n"), "C:\\temp\n");
        assert_eq!(unescape_newlines("keep \\\\n literal"), "keep \\n literal");
        assert_eq!(unescape_newlines("plain"), "plain");
    }

    #[test]
    fn first_category_of_list() {
        assert_eq!(first_category("Kitchen > Mugs, Gifts"), "Kitchen > Mugs");
        assert_eq!(
            first_category("Pots\\, pans > Lids, Other"),
            "Pots, pans > Lids"
        );
        assert_eq!(first_category(""), "");
    }
}
