//! Reading the CSV files shops really have: our own products, orders and purchase orders,
//! Shopify's product, inventory and orders exports, WooCommerce's product export and the order
//! exports of its two common exporters, Etsy's sold order items, and any other orders file read
//! through a column mapping.
//!
//! Pure parsing: bytes in, typed rows and a summary out. Nothing here touches the database; the
//! caller decides what a row means for the catalog (new, updated, unchanged).
//!
//! ```text
//! open(file, &options)        sniff encoding + delimiter, read the header, pick the layout,
//!                             find the day/month order of slash dates
//!   .info()                   what was detected (for the preview)
//!   .products() / .orders() / .purchase_orders() / .shopify_inventory()
//!   .own_orders() / .storefront_orders()
//!       -> Rows               an iterator of Ok(row) | Err(row errors), streaming
//!   rows.summary()            counts, every row error, warnings
//! ```
//!
//! The file is streamed: only a sample of its first megabyte and the current record are in
//! memory, so a million-line order history is read in constant memory.

#![warn(missing_docs)]

mod etsy;
mod mapped;
mod own;
mod record;
mod rows;
mod shopify;
mod shopify_orders;
mod sniff;
mod storefront;
mod values;
mod woo_headers;
mod woocommerce;
mod woocommerce_orders;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Read, Seek, SeekFrom};

use thiserror::Error;

use crate::domain::BackorderPolicy;
use crate::domain::identity::ShopIdentity;

/// The lines the importers read and the exports write are domain records (the store writes
/// exports from them without knowing this module).
pub use crate::domain::exchange::{ImportedOrderLine, ImportedPoLine, OrderLineStatus};
pub use mapped::ColumnMapping;
pub use own::{
    ORDER_HEADER, ORDER_SHIP_TO_HEADER, OrderLineWriter, OwnOrderRow, PO_HEADER, PoLineWriter,
    write_order_lines, write_po_lines,
};
pub use rows::{Parsed, Rows};
pub use shopify::{
    DeskStock, InventoryChange, InventoryQuantity, InventoryWriteReport, ShopifyInventoryRow,
    write_shopify_inventory,
};
pub use sniff::{TextEncoding, delimiter_label};
pub use storefront::StorefrontLine;
pub use values::{DateOrder, UnknownDateOrder};
pub use woo_headers::TRANSLATED_HEADERS;

use record::{ColumnMap, ColumnSpec, Header, RecordSource};
use rows::RowParser;
use values::OrderHint;

/// Largest stock or order quantity accepted, in units (the desk's one limit, see
/// [`crate::domain::limits`]).
pub const MAX_UNITS: i64 = crate::domain::limits::MAX_UNITS;

/// Where a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Backorder Desk's own files (what export writes).
    Own,
    /// Shopify's product CSV.
    Shopify,
    /// Shopify's inventory CSV (on hand per location).
    ShopifyInventory,
    /// WooCommerce's built-in product CSV exporter, and its order exporters.
    WooCommerce,
    /// Etsy's sold order items download.
    Etsy,
    /// Another platform's orders file, read through a saved column mapping.
    Mapped,
}

impl Format {
    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Own => "Backorder Desk",
            Self::Shopify => "Shopify",
            Self::ShopifyInventory => "Shopify inventory",
            Self::WooCommerce => "WooCommerce",
            Self::Etsy => "Etsy",
            Self::Mapped => "column mapping",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the rows of a file describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// The catalog: one row per SKU.
    Products,
    /// Customer order lines.
    Orders,
    /// Purchase order lines.
    PurchaseOrders,
    /// Stock levels per location (Shopify's inventory CSV).
    Inventory,
}

impl Entity {
    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Products => "products",
            Self::Orders => "orders",
            Self::PurchaseOrders => "purchase orders",
            Self::Inventory => "inventory",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A file layout: a format and the entity its rows describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// `sku,name,category,…` (what product export writes).
    OwnProducts,
    /// `order_number,ordered_at,…`, one row per order line.
    OwnOrders,
    /// `po_number,supplier,…`, one row per purchase order line.
    OwnPurchaseOrders,
    /// Shopify's product CSV, classic or newer column names.
    ShopifyProducts,
    /// Shopify's inventory CSV.
    ShopifyInventory,
    /// WooCommerce's product CSV.
    WooCommerceProducts,
    /// Shopify's orders export (`orders_export.csv`), one row per line item.
    ShopifyOrders,
    /// The WooCommerce "Customer / Order / Coupon Export" extension's "Default - One Row per
    /// Item" order format.
    WooCommerceOrders,
    /// The "Advanced Order Export For WooCommerce" plugin's default layout (product rows).
    WooCommerceOrderExport,
    /// Etsy's sold order items CSV, one row per item sold.
    EtsyOrders,
    /// Any other orders file, its columns chosen in a saved mapping.
    MappedOrders,
}

impl Layout {
    /// Every layout auto-detection tries, in that order (a mapped file is read only through a
    /// mapping).
    pub const ALL: [Self; 10] = [
        Self::ShopifyInventory,
        Self::ShopifyOrders,
        Self::ShopifyProducts,
        Self::WooCommerceOrders,
        Self::WooCommerceOrderExport,
        Self::EtsyOrders,
        Self::WooCommerceProducts,
        Self::OwnOrders,
        Self::OwnPurchaseOrders,
        Self::OwnProducts,
    ];

    /// The format of the layout.
    pub fn format(self) -> Format {
        match self {
            Self::OwnProducts | Self::OwnOrders | Self::OwnPurchaseOrders => Format::Own,
            Self::ShopifyProducts | Self::ShopifyOrders => Format::Shopify,
            Self::ShopifyInventory => Format::ShopifyInventory,
            Self::WooCommerceProducts | Self::WooCommerceOrders | Self::WooCommerceOrderExport => {
                Format::WooCommerce
            }
            Self::EtsyOrders => Format::Etsy,
            Self::MappedOrders => Format::Mapped,
        }
    }

    /// What the rows describe.
    pub fn entity(self) -> Entity {
        match self {
            Self::OwnProducts | Self::ShopifyProducts | Self::WooCommerceProducts => {
                Entity::Products
            }
            Self::OwnOrders
            | Self::ShopifyOrders
            | Self::WooCommerceOrders
            | Self::WooCommerceOrderExport
            | Self::EtsyOrders
            | Self::MappedOrders => Entity::Orders,
            Self::OwnPurchaseOrders => Entity::PurchaseOrders,
            Self::ShopifyInventory => Entity::Inventory,
        }
    }

    /// A name for people: `Shopify products`, `Backorder Desk orders`, …
    pub fn label(self) -> &'static str {
        match self {
            Self::OwnProducts => "Backorder Desk products",
            Self::OwnOrders => "Backorder Desk orders",
            Self::OwnPurchaseOrders => "Backorder Desk purchase orders",
            Self::ShopifyProducts => "Shopify products",
            Self::ShopifyInventory => "Shopify inventory",
            Self::WooCommerceProducts => "WooCommerce products",
            Self::ShopifyOrders => "Shopify orders export",
            Self::WooCommerceOrders => {
                "WooCommerce orders export (Customer / Order / Coupon Export)"
            }
            Self::WooCommerceOrderExport => "WooCommerce orders export (Advanced Order Export)",
            Self::EtsyOrders => "Etsy sold order items",
            Self::MappedOrders => "Orders file read with a column mapping",
        }
    }

    /// True for the orders files of a storefront (and mapped files): read by
    /// [`ImportFile::storefront_orders`], imported again every day.
    pub fn is_storefront_orders(self) -> bool {
        matches!(
            self,
            Self::ShopifyOrders
                | Self::WooCommerceOrders
                | Self::WooCommerceOrderExport
                | Self::EtsyOrders
                | Self::MappedOrders
        )
    }

    fn specs(self) -> &'static [ColumnSpec] {
        match self {
            Self::OwnProducts => &own::PRODUCT_SPECS,
            Self::OwnOrders => &own::ORDER_SPECS,
            Self::OwnPurchaseOrders => &own::PO_SPECS,
            Self::ShopifyProducts => &shopify::PRODUCT_SPECS,
            Self::ShopifyInventory => &shopify::INVENTORY_SPECS,
            Self::WooCommerceProducts => &woocommerce::SPECS,
            Self::ShopifyOrders => &shopify_orders::SPECS,
            Self::WooCommerceOrders => &woocommerce_orders::COC_SPECS,
            Self::WooCommerceOrderExport => &woocommerce_orders::AOE_SPECS,
            Self::EtsyOrders => &etsy::SPECS,
            Self::MappedOrders => &[],
        }
    }

    /// The spec indices of the quantity, policy and price columns of a products layout.
    fn fact_specs(self) -> Option<(usize, usize, usize)> {
        match self {
            Self::OwnProducts => Some(own::PRODUCT_FACTS),
            Self::ShopifyProducts => Some((shopify::QUANTITY, shopify::POLICY, shopify::PRICE)),
            Self::WooCommerceProducts => Some(woocommerce::FACTS),
            _ => None,
        }
    }

    /// Columns (spec indices) holding dates that may be written with slashes.
    fn date_columns(self) -> &'static [usize] {
        match self {
            Self::OwnOrders => &own::ORDER_DATE_COLUMNS,
            Self::OwnPurchaseOrders => &own::PO_DATE_COLUMNS,
            Self::ShopifyOrders => &shopify_orders::DATE_COLUMNS,
            Self::WooCommerceOrders => &woocommerce_orders::COC_DATE_COLUMNS,
            Self::WooCommerceOrderExport => &woocommerce_orders::AOE_DATE_COLUMNS,
            Self::MappedOrders => &mapped::DATE_COLUMNS,
            // Etsy writes US dates with two-digit years; its parser reads them itself.
            _ => &[],
        }
    }

    /// True when a header (folded names) has this layout's signature columns.
    fn matches(self, folded: &[String]) -> bool {
        let has = |name: &str| folded.iter().any(|f| f == name);
        match self {
            Self::ShopifyInventory => {
                has("onhand(new)")
                    || has("onhand(current)")
                    || (has("handle")
                        && has("location")
                        && (has("available(noteditable)") || has("available") || has("onhand")))
                    // The old layout: the variant's columns and one column per location.
                    || (has("handle")
                        && has("sku")
                        && has("option1name")
                        && !has("variantsku")
                        && !has("variantprice")
                        && !has("vendor")
                        && !has("body(html)"))
            }
            Self::ShopifyProducts => has("handle") || has("urlhandle"),
            Self::WooCommerceProducts => woocommerce::matches(folded),
            Self::ShopifyOrders => {
                has("lineitemquantity") && has("lineitemname") && has("createdat")
            }
            Self::WooCommerceOrders => has("itemquantity") && has("ordernumber"),
            Self::WooCommerceOrderExport => {
                has("ordernumber") && has("orderstatus") && has("quantity")
            }
            Self::EtsyOrders => has("saledate") && has("orderid") && has("itemname"),
            Self::OwnOrders => has("ordernumber"),
            Self::OwnPurchaseOrders => has("ponumber"),
            Self::OwnProducts => has("sku") && has("name"),
            Self::MappedOrders => false,
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How the day/month order of slash dates was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateFormat {
    /// No date needs a day/month order (ISO dates, dotted dates, or no dates at all).
    Unambiguous,
    /// Found from the file's own dates (a day above 12 somewhere).
    Detected(DateOrder),
    /// Given by the caller ([`ImportOptions::date_order`]).
    Chosen(DateOrder),
}

/// How a file's dates are read, for people: "unambiguous", "DD/MM/YYYY (detected)",
/// "MM/DD/YYYY (chosen)" (the window's import preview and the command line's report).
pub fn date_format_text(format: DateFormat) -> String {
    match format {
        DateFormat::Unambiguous => "unambiguous".to_owned(),
        DateFormat::Detected(order) => format!("{} (detected)", order.pattern()),
        DateFormat::Chosen(order) => format!("{} (chosen)", order.pattern()),
    }
}

impl DateFormat {
    /// The day/month order to read slash dates with, if settled.
    pub fn order(self) -> Option<DateOrder> {
        match self {
            Self::Unambiguous => None,
            Self::Detected(order) | Self::Chosen(order) => Some(order),
        }
    }
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unambiguous => f.write_str("YYYY-MM-DD"),
            Self::Detected(order) => write!(f, "{order} (detected)"),
            Self::Chosen(order) => write!(f, "{order} (chosen)"),
        }
    }
}

/// Choices the caller makes before reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// `None`: recognise the format from the header.
    pub format: Option<Format>,
    /// `None`: accept any entity; else a file of another entity is refused.
    pub entity: Option<Entity>,
    /// The day/month order of slash dates; `None` detects it from the file.
    pub date_order: Option<DateOrder>,
    /// How many row errors and warnings the summary keeps (the rest are only counted).
    pub max_messages: usize,
    /// The longest row read, in bytes (16 MB by default). A longer row — typically a quote that
    /// never closes and swallows the rest of the file — stops the reading with
    /// [`ImportError::RowTooLong`], so memory stays bounded whatever the file.
    pub max_row_bytes: usize,
    /// Read the file as an orders file whose columns this mapping names, whatever its header.
    pub mapping: Option<ColumnMapping>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: None,
            entity: None,
            date_order: None,
            max_messages: 100_000,
            max_row_bytes: record::DEFAULT_MAX_ROW_BYTES,
            mapping: None,
        }
    }
}

/// "16 MB", "64 KB", "300 bytes".
fn size_text(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// A problem with the file as a whole: nothing can be read from it.
#[derive(Debug, Error)]
pub enum ImportError {
    /// Reading failed.
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    /// Nothing but whitespace, or no header.
    #[error("the file is empty")]
    Empty,
    #[error(
        "this is not a text file (is it an Excel workbook?); save it as \"CSV UTF-8\" and try again"
    )]
    /// Binary content (an Excel workbook, an image, …).
    NotText,
    #[error(
        "line {line}: the columns do not match any known layout (own products, orders or \
         purchase orders; Shopify products, inventory or orders; WooCommerce products or orders; \
         Etsy sold order items); found {count} columns: {found}. For another platform's orders \
         file, map its columns once (the window asks; on the command line: --mapping NAME)"
    )]
    /// The header matches no layout.
    UnknownLayout {
        /// Line of the header.
        line: u64,
        /// The header as written (at most 12 names, then how many more).
        found: String,
        /// How many columns the header has.
        count: usize,
    },
    /// A column a mapping names is not in this file.
    #[error(
        "line {line}: the mapping names column '{column}' for {field}, but this file has no such \
         column; choose the columns again"
    )]
    MappingColumnMissing {
        /// Line of the header.
        line: u64,
        /// The field the column was chosen for.
        field: String,
        /// The column name the mapping expects.
        column: String,
    },
    /// A WooCommerce export whose column names are in a language the reader does not know.
    #[error(
        "line {line}: this looks like a WooCommerce product export with its column names in \
         a language this app does not read (found: {found}); switch the WordPress admin's \
         language to English (Users › Profile › Language) for the export, export again, and \
         import that file"
    )]
    TranslatedWooCommerce {
        /// Line of the header.
        line: u64,
        /// The header as written (shortened).
        found: String,
    },
    /// A location was named that the inventory file does not have.
    #[error(
        "the file has no location '{location}'; its locations are: {}",
        known.join(", ")
    )]
    UnknownLocation {
        /// The location asked for.
        location: String,
        /// The file's locations.
        known: Vec<String>,
    },
    /// An inventory file with several locations, and none was chosen.
    #[error(
        "the file holds stock for {} locations ({}); choose the one this shop's stock is at \
         (--location NAME)",
        known.len(),
        known.join(", ")
    )]
    ChooseLocation {
        /// The file's locations.
        known: Vec<String>,
    },
    /// The file holds another kind of rows than asked for.
    #[error("this looks like a {found} file, not {expected}{}", wrong_entity_hint(*found))]
    WrongEntity {
        /// What the caller asked for.
        expected: Entity,
        /// What the header says the file is.
        found: Layout,
    },
    /// Columns the layout needs are not in the header.
    #[error("line {line}: required column(s) missing: {}", missing.join(", "))]
    MissingColumns {
        /// Line of the header.
        line: u64,
        /// The documented names of the missing columns.
        missing: Vec<String>,
    },
    /// A column the layout reads appears twice, so it is unclear which one counts.
    #[error("line {line}: column '{name}' appears twice (columns {first} and {second})")]
    DuplicateColumn {
        /// Line of the header.
        line: u64,
        /// The second column's name as written.
        name: String,
        /// 1-based position of the first column.
        first: usize,
        /// 1-based position of the second column.
        second: usize,
    },
    /// A row longer than [`ImportOptions::max_row_bytes`].
    #[error(
        "line {line}: a row is longer than {} (is a closing quote missing?); the file cannot be read past it",
        size_text(*limit)
    )]
    RowTooLong {
        /// Line where the row starts.
        line: u64,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A row with more fields than the reader takes.
    #[error("line {line}: the row has {count} columns; at most {max} are read")]
    TooManyColumns {
        /// Line where the row starts.
        line: u64,
        /// Fields in the row.
        count: usize,
        /// The most fields a row may have.
        max: usize,
    },
    #[error(
        "the dates are ambiguous: '{value}' (line {line}, column {column}) could be DD/MM/YYYY \
         or MM/DD/YYYY and no date in the file settles it; choose the date format"
    )]
    /// Slash dates whose day/month order nothing in the file settles: ask the user, then open
    /// the file again with [`ImportOptions::date_order`].
    AmbiguousDates {
        /// Line of the first ambiguous date.
        line: u64,
        /// Its column as written.
        column: String,
        /// The date as written.
        value: String,
    },
}

/// What to do instead when a file of `found` was given as another kind.
fn wrong_entity_hint(found: Layout) -> &'static str {
    match found.entity() {
        Entity::Inventory => "; import it with `import inventory` (File › Import inventory…)",
        Entity::Products => "; import it with `import products`",
        Entity::Orders => "; import it with `import orders`",
        Entity::PurchaseOrders => "; import it with `import purchase-orders`",
    }
}

/// A problem with one value of one row: that row is not imported.
///
/// Displays as `line N, column C: value 'V' — reason`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowError {
    /// Physical line in the file where the row starts (1-based; the header is usually line 1).
    pub line: u64,
    /// The column's name as the file writes it.
    pub column: String,
    /// The value as read (trimmed).
    pub value: String,
    /// What is wrong, ready to follow an em dash.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: value '{}' — {}",
            self.line, self.column, self.value, self.reason
        )
    }
}

impl RowError {
    /// The error for an order or purchase-order line whose SKU the catalog does not have (the
    /// caller knows the catalog): `line N, column sku: value 'X' — is not in the catalog`.
    pub fn unknown_sku(line: u64, sku: &str) -> Self {
        Self {
            line,
            column: "sku".into(),
            value: sku.to_owned(),
            reason: "is not in the catalog".into(),
        }
    }
}

/// A typed row, or every problem found in it.
pub type RowResult<T> = Result<T, Vec<RowError>>;

/// Something worth telling that does not stop a row from being imported.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// The line it is about, if one.
    pub line: Option<u64>,
    /// What to tell.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What was detected about a file before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The layout detected from the header (or named in the options).
    pub layout: Layout,
    /// The encoding the text was read with.
    pub encoding: TextEncoding,
    /// `,`, `;` or `\t` (or what a `sep=` line named).
    pub delimiter: u8,
    /// Physical line of the header.
    pub header_line: u64,
    /// The header as written.
    pub columns: Vec<String>,
    /// How dates written with slashes are read.
    pub date_format: DateFormat,
    /// Which of the product facts the file's columns hold (products layouts).
    pub facts: ProductColumns,
    /// The shape of a Shopify inventory file (`None` for other layouts).
    pub inventory: Option<InventoryShape>,
}

/// Which product facts a products file has columns for. A fact without a column is not "0" or
/// "no": the stored value is kept, and a new product takes the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProductColumns {
    /// Stock quantities (`on_hand`, `Variant Inventory Qty`, WooCommerce `Stock`).
    pub quantity: bool,
    /// The backorder policy.
    pub policy: bool,
    /// The selling price.
    pub price: bool,
}

/// The three layouts Shopify has used for its inventory export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryShape {
    /// One row per variant and location, `On hand (current)` and `On hand (new)` (and
    /// `not stocked` cells) — the current export.
    Current,
    /// One row per variant and location, `Incoming,Unavailable,Committed,Available,On hand`
    /// (the export of December 2023).
    OnHand,
    /// One row per variant and one column per location, holding its count (the old export).
    Wide {
        /// The locations, in column order.
        locations: Vec<String>,
    },
}

impl InventoryShape {
    /// A name for people.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Current => "a row per location, On hand (current) and (new)",
            Self::OnHand => "a row per location, On hand",
            Self::Wide { .. } => "a column per location",
        }
    }
}

/// The result of reading a file without storing it (a dry run). The caller adds the
/// new / updated / unchanged counts from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// What was detected.
    pub file: FileInfo,
    /// Data rows read (blank rows are not counted).
    pub rows_read: u64,
    /// Rows that became typed rows.
    pub rows_ok: u64,
    /// Rows with at least one error.
    pub rows_with_errors: u64,
    /// Rows that are not records of this kind (image-only Shopify rows, WooCommerce parents).
    pub rows_skipped: u64,
    /// Why rows were skipped, with how many, in the order first seen ("image rows", …).
    pub skip_reasons: Vec<(String, u64)>,
    /// Every row error, in file order (up to [`ImportOptions::max_messages`]).
    pub errors: Vec<RowError>,
    /// Row errors beyond the kept ones (only counted).
    pub errors_not_kept: u64,
    /// File and row warnings, in file order (up to [`ImportOptions::max_messages`]).
    pub warnings: Vec<Warning>,
    /// Warnings beyond the kept ones (only counted).
    pub warnings_not_kept: u64,
}

/// Stock status a shop reports next to the quantity (WooCommerce's `In stock?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShopStockStatus {
    /// `1`
    InStock,
    /// `0`
    OutOfStock,
    /// `backorder`
    OnBackorder,
}

/// A product row. `None` means "the file does not say": the column is absent, or (for numbers
/// and policies) the cell is empty. Only what the file says is changed on an existing product;
/// a new product takes the defaults for the rest. Text columns that are present but empty are
/// `Some("")` (clear the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedProduct {
    /// Physical line of the row.
    pub line: u64,
    /// The SKU, exactly as written (leading zeros kept; Shopify's `'` before a SKU of digits
    /// taken off). Empty for a platform variant without a SKU: it is known by `identity`.
    pub sku: String,
    /// Where the variant is in its web shop (Shopify and WooCommerce files).
    pub identity: Option<ShopIdentity>,
    /// The SKU is used by several variants of this file: each is its own product, keyed by its
    /// identity.
    pub sku_shared: bool,
    /// Whether the shop counts the variant's stock; `None`: the file does not say.
    pub track_stock: Option<bool>,
    /// Own format: whether `sku` is the web shop's own SKU (`Some(false)`: a key the desk derived
    /// for a variant without one); `None`: the file does not say.
    pub sku_in_shop: Option<bool>,
    /// The sale price: `None` when the file has no such column, `Some(None)` for no sale.
    #[allow(
        clippy::option_option,
        reason = "absent column, empty cell and a price all differ"
    )]
    pub sale_price_cents: Option<Option<i64>>,
    /// Product name (Shopify: title plus option values).
    pub name: Option<String>,
    /// Long description (Shopify `Body (HTML)`, WooCommerce `Description`); may hold line breaks.
    pub description: Option<String>,
    /// Category (Shopify `Type`, WooCommerce first category).
    pub category: Option<String>,
    /// Bin location in the stock room.
    pub location: Option<String>,
    /// What one unit costs to buy.
    pub unit_cost_cents: Option<i64>,
    /// Selling price (WooCommerce: regular price).
    pub price_cents: Option<i64>,
    /// Units on hand; may be negative (shops allow overselling).
    pub on_hand: Option<i64>,
    /// Supplier name (Shopify: `Vendor`).
    pub supplier: Option<String>,
    /// Days from ordering at the supplier to receiving.
    pub lead_time_days: Option<i64>,
    /// Whether orders are taken without stock.
    pub backorder_policy: Option<BackorderPolicy>,
    /// Longest wait a customer is asked to accept, in days.
    pub max_wait_days: Option<i64>,
    /// WooCommerce `notify`: backorders allowed, and the shop tells the customer.
    pub notify_on_backorder: bool,
    /// The shop's own stock status, for information.
    pub shop_stock_status: Option<ShopStockStatus>,
}

impl ImportedProduct {
    /// A product row with only a SKU.
    pub fn new(line: u64, sku: impl Into<String>) -> Self {
        Self {
            line,
            sku: sku.into(),
            identity: None,
            sku_shared: false,
            track_stock: None,
            sku_in_shop: None,
            sale_price_cents: None,
            name: None,
            description: None,
            category: None,
            location: None,
            unit_cost_cents: None,
            price_cents: None,
            on_hand: None,
            supplier: None,
            lead_time_days: None,
            backorder_policy: None,
            max_wait_days: None,
            notify_on_backorder: false,
            shop_stock_status: None,
        }
    }
}

/// An opened file: detected, header read, rows not yet read.
pub struct ImportFile<'r> {
    source: RecordSource<'r>,
    columns: ColumnMap,
    header_len: usize,
    info: FileInfo,
    warnings: Vec<Warning>,
    max_messages: usize,
    /// SKUs several variants of a platform file use.
    shared_skus: HashSet<String>,
    /// The old inventory layout's location columns: (name, field index).
    wide: Vec<(String, usize)>,
}

impl fmt::Debug for ImportFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportFile")
            .field("info", &self.info)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// Opens a file: sniffs the encoding and delimiter, reads the header, picks the layout, and
/// settles the day/month order of slash dates.
///
/// The source is read twice from its current position when the file has date columns and no
/// [`ImportOptions::date_order`] was given (the first pass stops at the first date that settles
/// the order). A file whose slash dates never settle it gives [`ImportError::AmbiguousDates`]:
/// ask the user and open it again with the order chosen.
#[expect(
    clippy::too_many_lines,
    reason = "header, layout and the first pass that settles the date order share one buffered source"
)]
pub fn open<'r, R>(mut source: R, options: &ImportOptions) -> Result<ImportFile<'r>, ImportError>
where
    R: Read + Seek + Send + 'r,
{
    let start = source.stream_position()?;
    let sample = sniff::read_sample(&mut source, sniff::SAMPLE_LEN)?;
    let complete = sample.len() < sniff::SAMPLE_LEN;
    let mut sniffed = sniff::sniff(&sample, complete);
    match sniffed.content {
        sniff::Content::Binary => return Err(ImportError::NotText),
        sniff::Content::Empty => return Err(ImportError::Empty),
        sniff::Content::Text => {}
    }
    // Without a byte-order mark the encoding is decided from all the file's bytes: one stray
    // byte deep in a UTF-8 file must not turn the whole file into Windows-1252 (nor one at the
    // start), and a Windows-1252 file is only taken as such when it clearly is one.
    let mut encoding_warning = None;
    // (Junk a plugin printed before a byte-order mark: the mark after it decides.)
    if !sniff::has_bom(&sample) && sniffed.junk.is_none() {
        let mut census = sniff::Utf8Census::default();
        if complete {
            census.feed(&sample);
        } else {
            source.seek(SeekFrom::Start(start))?;
            let mut piece = vec![0_u8; 1 << 16];
            loop {
                let read = match source.read(&mut piece) {
                    Ok(0) => break,
                    Ok(read) => read,
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(error) => return Err(error.into()),
                };
                census.feed(&piece[..read]);
                // A line longer than a row may be stops the reading there anyway (the row is
                // refused as too long): what follows it is never read.
                if census.since_line_break > options.max_row_bytes as u64 {
                    break;
                }
            }
        }
        census.finish();
        sniffed.encoding = census.encoding();
        if sniffed.encoding == TextEncoding::Windows1252
            && let Some(line) = census.first_multibyte_line
        {
            encoding_warning = Some(Warning {
                line: Some(line),
                message: format!(
                    "the file is read as Windows-1252 (it has {} byte(s) that are not UTF-8), \
                     but this line holds text that is UTF-8; check its accented letters, or \
                     save the file again as UTF-8 (in Excel: CSV UTF-8)",
                    census.invalid
                ),
            });
        }
    }
    drop(sample);

    source.seek(SeekFrom::Start(start))?;
    let (layout, date_format, shared) = {
        let mut first = RecordSource::new(Box::new(&mut source), &sniffed)?;
        first.set_row_limit(options.max_row_bytes);
        let header = first.read_header()?.ok_or(ImportError::Empty)?;
        let layout = choose_layout(&header, options)?;
        let (columns, _) = column_map(&header, layout, options)?;
        let date_format = match options.date_order {
            Some(order) => DateFormat::Chosen(order),
            None => scan_date_order(&mut first, &columns, layout.date_columns())?,
        };
        let shared = match layout {
            Layout::ShopifyProducts | Layout::WooCommerceProducts => {
                scan_shared_skus(&mut first, &columns, layout)?
            }
            _ => Vec::new(),
        };
        (layout, date_format, shared)
    };

    source.seek(SeekFrom::Start(start))?;
    let mut main = RecordSource::new(Box::new(source), &sniffed)?;
    main.set_row_limit(options.max_row_bytes);
    let header = main.read_header()?.ok_or(ImportError::Empty)?;
    let (columns, mut unknown) = column_map(&header, layout, options)?;
    let mut warnings: Vec<Warning> = encoding_warning.into_iter().collect();
    if let Some((junk, _)) = sniffed.junk.as_ref().filter(|(junk, _)| !junk.is_empty()) {
        warnings.push(Warning {
            line: None,
            message: format!(
                "text before the file's byte-order mark was skipped (a web shop plugin printed \
                 it into the export): '{}'",
                crate::domain::text::shorten(junk, 120)
            ),
        });
    }
    let inventory = (layout == Layout::ShopifyInventory)
        .then(|| shopify::inventory_shape(&header.folded, &unknown));
    // The old inventory layout's unknown columns are its locations.
    let mut wide = Vec::new();
    if let Some(InventoryShape::Wide { locations }) = &inventory {
        for name in locations {
            if let Some(index) = header.names.iter().position(|column| column == name) {
                wide.push((name.clone(), index));
            }
        }
        unknown.clear();
    }
    // A storefront's export has dozens of columns the desk does not need (totals, taxes,
    // billing address …): they are not worth a warning.
    if !unknown.is_empty() && !layout.is_storefront_orders() {
        const LISTED: usize = 60;
        let mut listed = unknown
            .iter()
            .take(LISTED)
            .map(|name| crate::domain::text::shorten(name, 60))
            .collect::<Vec<_>>()
            .join(", ");
        if unknown.len() > LISTED {
            listed.push_str(&format!(" and {} more", unknown.len() - LISTED));
        }
        warnings.push(Warning {
            line: Some(header.line),
            message: format!("ignored column(s): {listed}"),
        });
    }
    let mut shared_skus = HashSet::new();
    for (sku, lines) in shared {
        let listed = lines
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let identity = if layout == Layout::ShopifyProducts {
            "its handle and option values"
        } else {
            "its parent and attribute values (or its ID)"
        };
        warnings.push(Warning {
            line: lines.first().copied(),
            message: format!(
                "SKU '{sku}' is shared by lines {listed}: each is imported as its own product, \
                 keyed by {identity}; give each its own SKU so orders can be matched by SKU"
            ),
        });
        shared_skus.insert(sku);
    }
    let present = |spec: Option<usize>| spec.is_some_and(|spec| columns.fields[spec].is_some());
    let facts = match layout.fact_specs() {
        Some((quantity, policy, price)) => ProductColumns {
            quantity: present(Some(quantity)),
            policy: present(Some(policy)),
            price: present(Some(price)),
        },
        None => ProductColumns::default(),
    };
    let info = FileInfo {
        layout,
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
        header_line: header.line,
        columns: header.names.clone(),
        date_format,
        facts,
        inventory,
    };
    Ok(ImportFile {
        source: main,
        columns,
        header_len: header.names.len(),
        info,
        warnings,
        max_messages: options.max_messages,
        shared_skus,
        wide,
    })
}

/// Where each column the layout reads is: from the layout's specs, or from the mapping.
fn column_map(
    header: &Header,
    layout: Layout,
    options: &ImportOptions,
) -> Result<(ColumnMap, Vec<String>), ImportError> {
    match (&options.mapping, layout) {
        (Some(mapping), Layout::MappedOrders) => mapping.column_map(header),
        _ => ColumnMap::new(header, layout.specs()),
    }
}

/// At most 12 column names of a header, then how many more.
fn listed_columns(names: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut listed = names
        .iter()
        .take(SHOWN)
        .map(|name| crate::domain::text::shorten(name, 60))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        listed.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    listed
}

/// Picks the layout from the header, within what the options allow.
fn choose_layout(header: &Header, options: &ImportOptions) -> Result<Layout, ImportError> {
    if options.mapping.is_some() {
        return Ok(Layout::MappedOrders);
    }
    let allowed = |layout: Layout| {
        options
            .format
            .is_none_or(|format| layout.format() == format)
            && options
                .entity
                .is_none_or(|entity| layout.entity() == entity)
    };
    let detected = Layout::ALL
        .into_iter()
        .find(|layout| layout.matches(&header.folded));
    if let Some(layout) = detected
        && allowed(layout)
    {
        return Ok(layout);
    }
    // A file of another kind (a Shopify inventory file given as products: its header has a
    // handle too) is refused, not read as the kind asked for.
    if let (Some(found), Some(expected)) = (detected, options.entity)
        && found.entity() != expected
    {
        return Err(ImportError::WrongEntity { expected, found });
    }
    let candidates: Vec<Layout> = Layout::ALL.into_iter().filter(|l| allowed(*l)).collect();
    if let Some(layout) = candidates
        .iter()
        .copied()
        .find(|layout| layout.matches(&header.folded))
    {
        return Ok(layout);
    }
    match (
        detected,
        options.format,
        options.entity,
        candidates.as_slice(),
    ) {
        // A named format with one layout: read it as that, and let the missing columns speak.
        (_, Some(_), _, [only]) => Ok(*only),
        (Some(found), None, Some(expected), _) => Err(ImportError::WrongEntity { expected, found }),
        _ if woocommerce::looks_translated(&header.folded) => {
            Err(ImportError::TranslatedWooCommerce {
                line: header.line,
                found: crate::domain::text::shorten(&header.names.join(", "), 200).into_owned(),
            })
        }
        _ => Err(ImportError::UnknownLayout {
            line: header.line,
            found: listed_columns(&header.names),
            count: header.names.len(),
        }),
    }
}

/// Reads the SKUs of a Shopify or WooCommerce products file: the SKUs that several variants
/// use, with their lines (in file order of their first line).
fn scan_shared_skus(
    source: &mut RecordSource<'_>,
    columns: &ColumnMap,
    layout: Layout,
) -> Result<Vec<(String, Vec<u64>)>, ImportError> {
    let (sku_spec, type_spec) = match layout {
        Layout::ShopifyProducts => (shopify::SKU, None),
        _ => (woocommerce::SKU, Some(woocommerce::TYPE)),
    };
    let Some(sku_field) = columns.fields[sku_spec] else {
        return Ok(Vec::new());
    };
    let type_field = type_spec.and_then(|spec| columns.fields[spec]);
    let mut lines: HashMap<String, Vec<u64>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    while source.next_record()? {
        if let Some(field) = type_field
            && !woocommerce::holds_stock(&source.text(field))
        {
            continue;
        }
        let cell = source.text(sku_field);
        let sku = match layout {
            Layout::ShopifyProducts => shopify::sku_text(&cell).to_owned(),
            _ => woocommerce::unescape_formula(&cell).trim().to_owned(),
        };
        if sku.is_empty() {
            continue;
        }
        let seen = lines.entry(sku.clone()).or_default();
        if seen.len() == 1 {
            order.push(sku);
        }
        seen.push(source.line());
    }
    Ok(order
        .into_iter()
        .filter_map(|sku| lines.remove(&sku).map(|found| (sku, found)))
        .collect())
}

/// Reads the date columns until one date settles the day/month order.
fn scan_date_order(
    source: &mut RecordSource<'_>,
    columns: &ColumnMap,
    date_columns: &[usize],
) -> Result<DateFormat, ImportError> {
    /// After this many dates without a slash date the file is taken as ISO.
    const ENOUGH_OTHER_DATES: u32 = 1000;
    let fields: Vec<(usize, usize)> = date_columns
        .iter()
        .filter_map(|&column| columns.fields[column].map(|field| (column, field)))
        .collect();
    if fields.is_empty() {
        return Ok(DateFormat::Unambiguous);
    }
    let mut other_dates = 0;
    let mut first_ambiguous: Option<(u64, usize, String)> = None;
    while source.next_record()? {
        for &(column, field) in &fields {
            let text = source.text(field);
            match values::order_hint(&text) {
                OrderHint::DayFirst => return Ok(DateFormat::Detected(DateOrder::DayFirst)),
                OrderHint::MonthFirst => return Ok(DateFormat::Detected(DateOrder::MonthFirst)),
                OrderHint::Ambiguous => {
                    if first_ambiguous.is_none() {
                        first_ambiguous = Some((source.line(), column, text.into_owned()));
                    }
                }
                OrderHint::None if !text.is_empty() => other_dates += 1,
                OrderHint::None => {}
            }
        }
        if first_ambiguous.is_none() && other_dates >= ENOUGH_OTHER_DATES {
            return Ok(DateFormat::Unambiguous);
        }
    }
    match first_ambiguous {
        Some((line, column, value)) => Err(ImportError::AmbiguousDates {
            line,
            column: columns.names[column].clone(),
            value,
        }),
        None => Ok(DateFormat::Unambiguous),
    }
}

impl<'r> ImportFile<'r> {
    /// What was detected.
    pub fn info(&self) -> &FileInfo {
        &self.info
    }

    /// The layout that was detected or chosen.
    pub fn layout(&self) -> Layout {
        self.info.layout
    }

    fn into_rows<T>(self, parser: Box<dyn RowParser<Row = T> + 'r>) -> Rows<'r, T> {
        let summary = ImportSummary {
            file: self.info,
            rows_read: 0,
            rows_ok: 0,
            rows_with_errors: 0,
            rows_skipped: 0,
            skip_reasons: Vec::new(),
            errors: Vec::new(),
            errors_not_kept: 0,
            warnings: self.warnings,
            warnings_not_kept: 0,
        };
        Rows::new(
            self.source,
            self.columns,
            self.header_len,
            parser,
            summary,
            self.max_messages,
        )
    }

    fn wrong(&self, expected: Entity) -> ImportError {
        ImportError::WrongEntity {
            expected,
            found: self.info.layout,
        }
    }

    /// Product rows (own, Shopify or WooCommerce layout).
    pub fn products(mut self) -> Result<Rows<'r, ImportedProduct>, ImportError> {
        let parser: Box<dyn RowParser<Row = ImportedProduct> + 'r> = match self.info.layout {
            Layout::OwnProducts => Box::new(own::ProductParser::default()),
            Layout::ShopifyProducts => Box::new(shopify::ProductParser::new(std::mem::take(
                &mut self.shared_skus,
            ))),
            Layout::WooCommerceProducts => Box::new(woocommerce::ProductParser::new(
                std::mem::take(&mut self.shared_skus),
            )),
            _ => return Err(self.wrong(Entity::Products)),
        };
        Ok(self.into_rows(parser))
    }

    /// Order lines (own orders layout).
    pub fn orders(self) -> Result<Rows<'r, ImportedOrderLine>, ImportError> {
        if self.info.layout != Layout::OwnOrders {
            return Err(self.wrong(Entity::Orders));
        }
        Ok(self.into_rows(Box::new(own::LineOnly(own::OrderParser))))
    }

    /// Order lines of the own orders layout with the ship-to columns the file has.
    pub fn own_orders(self) -> Result<Rows<'r, OwnOrderRow>, ImportError> {
        if self.info.layout != Layout::OwnOrders {
            return Err(self.wrong(Entity::Orders));
        }
        Ok(self.into_rows(Box::new(own::OrderParser)))
    }

    /// Line items of a storefront's orders export or of a mapped orders file, each with its
    /// order's fields (also on the rows where the file leaves them empty).
    pub fn storefront_orders(self) -> Result<Rows<'r, StorefrontLine>, ImportError> {
        let parser: Box<dyn RowParser<Row = StorefrontLine> + 'r> = match self.info.layout {
            Layout::ShopifyOrders => Box::new(shopify_orders::OrderParser::default()),
            Layout::WooCommerceOrders => Box::new(woocommerce_orders::CocParser),
            Layout::WooCommerceOrderExport => Box::new(woocommerce_orders::AoeParser),
            Layout::EtsyOrders => Box::new(etsy::OrderParser),
            Layout::MappedOrders => Box::new(mapped::OrderParser::default()),
            _ => return Err(self.wrong(Entity::Orders)),
        };
        Ok(self.into_rows(parser))
    }

    /// Purchase order lines (own purchase-orders layout).
    pub fn purchase_orders(self) -> Result<Rows<'r, ImportedPoLine>, ImportError> {
        if self.info.layout != Layout::OwnPurchaseOrders {
            return Err(self.wrong(Entity::PurchaseOrders));
        }
        Ok(self.into_rows(Box::new(own::PoParser)))
    }

    /// Stock levels per location (Shopify inventory layout).
    pub fn shopify_inventory(mut self) -> Result<Rows<'r, ShopifyInventoryRow>, ImportError> {
        if self.info.layout != Layout::ShopifyInventory {
            return Err(self.wrong(Entity::Inventory));
        }
        let wide = std::mem::take(&mut self.wide);
        Ok(self.into_rows(Box::new(shopify::InventoryParser::new(wide))))
    }
}

fn with_entity(options: &ImportOptions, entity: Entity) -> ImportOptions {
    ImportOptions {
        entity: Some(entity),
        ..options.clone()
    }
}

/// Reads every product row of a file (for small files; stream with [`open`] otherwise).
pub fn read_products<R: Read + Seek + Send>(
    source: R,
    options: &ImportOptions,
) -> Result<Parsed<ImportedProduct>, ImportError> {
    open(source, &with_entity(options, Entity::Products))?
        .products()?
        .collect_valid()
}

/// Reads every order line of a file (for small files; stream with [`open`] otherwise).
pub fn read_orders<R: Read + Seek + Send>(
    source: R,
    options: &ImportOptions,
) -> Result<Parsed<ImportedOrderLine>, ImportError> {
    open(source, &with_entity(options, Entity::Orders))?
        .orders()?
        .collect_valid()
}

/// Reads every line item of a storefront's orders export or a mapped orders file (for small
/// files; stream with [`open`] otherwise).
pub fn read_storefront_orders<R: Read + Seek + Send>(
    source: R,
    options: &ImportOptions,
) -> Result<Parsed<StorefrontLine>, ImportError> {
    open(source, &with_entity(options, Entity::Orders))?
        .storefront_orders()?
        .collect_valid()
}

/// The first rows of a file as text, for choosing its columns (a file no layout knows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePeek {
    /// The header as written.
    pub columns: Vec<String>,
    /// What identifies a header: its folded column names, for finding a saved mapping.
    pub signature: String,
    /// Up to the asked number of data rows, one cell per column (cut to 200 characters).
    pub rows: Vec<Vec<String>>,
    /// The encoding the text was read with.
    pub encoding: TextEncoding,
    /// The delimiter.
    pub delimiter: u8,
}

/// Reads the header and up to `max_rows` data rows of a file, whatever its layout.
pub fn peek<R: Read + Send>(mut source: R, max_rows: usize) -> Result<FilePeek, ImportError> {
    let sample = sniff::read_sample(&mut source, sniff::SAMPLE_LEN)?;
    let sniffed = sniff::sniff(&sample, sample.len() < sniff::SAMPLE_LEN);
    match sniffed.content {
        sniff::Content::Binary => return Err(ImportError::NotText),
        sniff::Content::Empty => return Err(ImportError::Empty),
        sniff::Content::Text => {}
    }
    let mut records = RecordSource::new(Box::new(std::io::Cursor::new(sample)), &sniffed)?;
    let header = records.read_header()?.ok_or(ImportError::Empty)?;
    let mut rows = Vec::new();
    while rows.len() < max_rows {
        match records.next_record() {
            Ok(true) => rows.push(
                (0..header.names.len())
                    .map(|index| {
                        crate::domain::text::shorten(&records.text(index), 200).into_owned()
                    })
                    .collect(),
            ),
            // The sample ends inside a row, or the file ends: what was read is enough.
            Ok(false) | Err(_) => break,
        }
    }
    Ok(FilePeek {
        signature: header_signature(&header.names),
        columns: header.names,
        rows,
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
    })
}

/// What identifies a header for saved mappings: the folded names (case, spaces and underscores
/// do not matter) joined with `|`.
pub fn header_signature(names: &[String]) -> String {
    names
        .iter()
        .map(|name| record::fold_name(name))
        .collect::<Vec<_>>()
        .join("|")
}

/// Reads every purchase order line of a file (for small files; stream with [`open`] otherwise).
pub fn read_purchase_orders<R: Read + Seek + Send>(
    source: R,
    options: &ImportOptions,
) -> Result<Parsed<ImportedPoLine>, ImportError> {
    open(source, &with_entity(options, Entity::PurchaseOrders))?
        .purchase_orders()?
        .collect_valid()
}

/// Reads every row of a Shopify inventory file.
pub fn read_shopify_inventory<R: Read + Seek + Send>(
    source: R,
    options: &ImportOptions,
) -> Result<Parsed<ShopifyInventoryRow>, ImportError> {
    open(source, &with_entity(options, Entity::Inventory))?
        .shopify_inventory()?
        .collect_valid()
}
