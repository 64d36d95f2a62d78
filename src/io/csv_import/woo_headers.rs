//! The column names of WooCommerce's product exporter, folded (see `record::fold_name`), in
//! English and in the languages the exporter writes them in when the admin is not in English.

pub(crate) const ID: &[&str] = &["id"];
pub(crate) const TYPE: &[&str] = &["type"];
pub(crate) const SKU: &[&str] = &["sku"];
pub(crate) const NAME: &[&str] = &["name"];
pub(crate) const DESCRIPTION: &[&str] = &["description"];
pub(crate) const IN_STOCK: &[&str] = &["instock?"];
pub(crate) const STOCK: &[&str] = &["stock"];
pub(crate) const BACKORDERS: &[&str] = &["backordersallowed?"];
pub(crate) const REGULAR_PRICE: &[&str] = &["regularprice"];
pub(crate) const SALE_PRICE: &[&str] = &["saleprice"];
pub(crate) const CATEGORIES: &[&str] = &["categories"];
pub(crate) const PARENT: &[&str] = &["parent"];
pub(crate) const GTIN: &[&str] = &["gtin,upc,ean,orisbn"];
pub(crate) const ATTRIBUTE_1_VALUES: &[&str] = &["attribute1value(s)"];
pub(crate) const ATTRIBUTE_2_VALUES: &[&str] = &["attribute2value(s)"];
pub(crate) const ATTRIBUTE_3_VALUES: &[&str] = &["attribute3value(s)"];
