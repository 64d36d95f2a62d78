//! WooCommerce's built-in product CSV exporter.

use std::borrow::Cow;
use std::collections::HashMap;

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser, SkuLines};
use super::{ImportedProduct, MAX_UNITS, ShopStockStatus, Warning};
use crate::domain::BackorderPolicy;

const ID: usize = 0;
const TYPE: usize = 1;
const SKU: usize = 2;
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

/// Columns read from a WooCommerce product export.
pub(crate) const SPECS: [ColumnSpec; 13] = [
    ColumnSpec::optional("ID", &["id"]),
    ColumnSpec::required("Type", &["type"]),
    ColumnSpec::required("SKU", &["sku"]),
    ColumnSpec::required("Name", &["name"]),
    ColumnSpec::optional("Description", &["description"]),
    ColumnSpec::optional("In stock?", &["instock?"]),
    ColumnSpec::optional("Stock", &["stock"]),
    ColumnSpec::optional("Backorders allowed?", &["backordersallowed?"]),
    ColumnSpec::optional("Regular price", &["regularprice"]),
    ColumnSpec::optional("Categories", &["categories"]),
    ColumnSpec::optional("Parent", &["parent"]),
    ColumnSpec::optional("GTIN, UPC, EAN, or ISBN", &["gtin,upc,ean,orisbn"]),
    // The Cost of Goods extension's column.
    ColumnSpec::optional("Meta: _wc_cog_cost", &["meta:wccogcost"]),
];

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

/// Reads WooCommerce product rows: simple products and variations with a SKU.
#[derive(Debug, Default)]
pub(crate) struct ProductParser {
    /// Variable parents by `id:N` and by SKU.
    parents: HashMap<String, ParentInfo>,
    skus: SkuLines,
}

impl ProductParser {
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
        let sku = unescape_formula(&sku_text);
        let categories_text = cx.text(CATEGORIES);
        let category = first_category(unescape_formula(&categories_text));
        let backorders_text = cx.text(BACKORDERS);
        let backorder_setting = backorders(cx, unescape_formula(&backorders_text));

        match kind.as_str() {
            "variable" => {
                let info = ParentInfo {
                    name: name.to_owned(),
                    category,
                    backorders: backorder_setting,
                };
                let id = cx.text(ID);
                if !id.is_empty() {
                    self.parents.insert(format!("id:{id}"), info.clone());
                }
                if !sku.is_empty() {
                    self.parents.insert(sku.to_owned(), info);
                }
                return None;
            }
            "grouped" | "external" => {
                let line = cx.line();
                cx.warnings.push(Warning {
                    line: Some(line),
                    message: format!("{kind} product '{name}' holds no stock and is skipped"),
                });
                return None;
            }
            _ => {}
        }
        if sku.is_empty() {
            let line = cx.line();
            cx.warnings.push(Warning {
                line: Some(line),
                message: format!("{kind} product '{name}' has no SKU and is skipped"),
            });
            return None;
        }
        let sku = cx.sku_of(SKU, sku)?;
        self.skus.first_time(cx, SKU, &sku);
        if let Some(barcode) = cx.cell(BARCODE) {
            cx.warn_if_scientific(BARCODE, unescape_formula(&barcode));
        }

        let parent = if kind == "variation" {
            let reference = cx.text(PARENT);
            self.parent_of(unescape_formula(&reference)).cloned()
        } else {
            None
        };
        let name = match (name.is_empty(), &parent) {
            (false, _) => cx.line_text_of(NAME, name),
            (true, Some(parent)) if !parent.name.is_empty() => Some(parent.name.clone()),
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

        let stock_text = cx.text(STOCK);
        let stock = unescape_formula(&stock_text);
        let on_hand = if stock.is_empty() || stock.eq_ignore_ascii_case("parent") {
            None
        } else {
            cx.whole_of(STOCK, stock, -MAX_UNITS..=MAX_UNITS)
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
        let unit_cost_cents = cx.money(COST);
        Some(ImportedProduct {
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
