//! Backorder Desk's own formats: products, orders (one row per line), purchase orders (one row
//! per line), and the writers for orders and purchase orders.

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::record::ColumnSpec;
use super::rows::{Cx, RowParser, SkuLines};
use super::{ImportedOrderLine, ImportedPoLine, ImportedProduct, MAX_UNITS, OrderLineStatus};
use crate::domain::allocation::Priority;
use crate::domain::format_cents;
use crate::domain::product::{BackorderPolicy, MAX_DAYS};
use crate::domain::ship_to::ShipTo;
use crate::io::csv_guard::write_guarded;

// ---------------------------------------------------------------------------------------------
// Products

const P_SKU: usize = 0;
const P_NAME: usize = 1;
const P_CATEGORY: usize = 2;
const P_LOCATION: usize = 3;
const P_UNIT_COST: usize = 4;
const P_PRICE: usize = 5;
const P_ON_HAND: usize = 6;
const P_SUPPLIER: usize = 7;
const P_LEAD_TIME: usize = 8;
const P_POLICY: usize = 9;
const P_MAX_WAIT: usize = 10;
const P_TRACK_STOCK: usize = 11;
const P_SKU_IN_SHOP: usize = 12;

/// The spec indices of the quantity, policy and price columns.
pub(crate) const PRODUCT_FACTS: (usize, usize, usize) = (P_ON_HAND, P_POLICY, P_PRICE);

/// Columns of the own product format (`sku,name,category,location,unit_cost,price,on_hand,
/// supplier,lead_time_days,backorder_policy,max_wait_days[,track_stock[,sku_in_shop]]`).
pub(crate) const PRODUCT_SPECS: [ColumnSpec; 13] = [
    ColumnSpec::required("sku", &["sku"]),
    ColumnSpec::required("name", &["name"]),
    ColumnSpec::optional("category", &["category"]),
    ColumnSpec::optional("location", &["location", "binlocation"]),
    ColumnSpec::optional("unit_cost", &["unitcost"]),
    ColumnSpec::optional("price", &["price"]),
    ColumnSpec::optional("on_hand", &["onhand"]),
    ColumnSpec::optional("supplier", &["supplier"]),
    ColumnSpec::optional("lead_time_days", &["leadtimedays", "leadtime"]),
    ColumnSpec::optional("backorder_policy", &["backorderpolicy"]),
    ColumnSpec::optional("max_wait_days", &["maxwaitdays", "maxwait"]),
    ColumnSpec::optional("track_stock", &["trackstock"]),
    ColumnSpec::optional("sku_in_shop", &["skuinshop"]),
];

/// An optional `yes`/`no` cell (any letter case); empty or absent: `None`.
fn yes_or_no(cx: &mut Cx<'_, '_>, column: usize) -> Option<bool> {
    match cx.cell(column) {
        Some(code) if !code.is_empty() => match code.to_ascii_lowercase().as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                cx.fail(column, &code, "must be yes or no");
                None
            }
        },
        _ => None,
    }
}

/// Reads own product rows; reports duplicate SKUs.
#[derive(Debug, Default)]
pub(crate) struct ProductParser {
    skus: SkuLines,
}

impl RowParser for ProductParser {
    type Row = ImportedProduct;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ImportedProduct> {
        let sku_text = cx.text(P_SKU);
        let sku = cx.sku_of(P_SKU, &sku_text);
        if let Some(sku) = &sku {
            self.skus.first_time(cx, P_SKU, sku);
        }
        let name = cx.required_text(P_NAME, "a name");
        let category = cx.line_text(P_CATEGORY);
        let location = cx.line_text(P_LOCATION);
        let unit_cost_cents = cx.money(P_UNIT_COST);
        let price_cents = cx.money(P_PRICE);
        let on_hand = cx.whole(P_ON_HAND, -MAX_UNITS..=MAX_UNITS);
        let supplier = cx.line_text(P_SUPPLIER);
        let lead_time_days = cx.whole(P_LEAD_TIME, 0..=MAX_DAYS);
        let backorder_policy = match cx.cell(P_POLICY) {
            Some(code) if !code.is_empty() => {
                let policy = BackorderPolicy::from_code(&code);
                if policy.is_none() {
                    cx.fail(P_POLICY, &code, "must be no, yes or preorder");
                }
                policy
            }
            _ => None,
        };
        let max_wait_days = cx.whole(P_MAX_WAIT, 0..=MAX_DAYS);
        let track_stock = yes_or_no(cx, P_TRACK_STOCK);
        let sku_in_shop = yes_or_no(cx, P_SKU_IN_SHOP);
        Some(ImportedProduct {
            track_stock,
            sku_in_shop,
            name,
            category,
            location,
            unit_cost_cents,
            price_cents,
            on_hand,
            supplier,
            lead_time_days,
            backorder_policy,
            max_wait_days,
            ..ImportedProduct::new(cx.line(), sku?)
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Orders

/// The header the own orders format is written with.
pub const ORDER_HEADER: [&str; 11] = [
    "order_number",
    "ordered_at",
    "customer_name",
    "customer_email",
    "sku",
    "quantity",
    "unit_price",
    "status",
    "shipped_at",
    "backordered_qty",
    "priority",
];

const O_NUMBER: usize = 0;
const O_ORDERED_AT: usize = 1;
const O_CUSTOMER: usize = 2;
const O_EMAIL: usize = 3;
const O_SKU: usize = 4;
const O_QUANTITY: usize = 5;
const O_PRICE: usize = 6;
const O_STATUS: usize = 7;
const O_SHIPPED_AT: usize = 8;
const O_BACKORDERED: usize = 9;
const O_PRIORITY: usize = 10;
/// The ship-to columns, after the others.
const O_SHIP: [usize; 9] = [11, 12, 13, 14, 15, 16, 17, 18, 19];

/// The optional ship-to columns of the own orders format, written after [`ORDER_HEADER`].
pub const ORDER_SHIP_TO_HEADER: [&str; 9] = [
    "ship_name",
    "ship_company",
    "ship_address1",
    "ship_address2",
    "ship_city",
    "ship_postal_code",
    "ship_region",
    "ship_country",
    "ship_phone",
];

pub(crate) const ORDER_SPECS: [ColumnSpec; 20] = [
    ColumnSpec::required("order_number", &["ordernumber"]),
    ColumnSpec::required("ordered_at", &["orderedat"]),
    ColumnSpec::optional("customer_name", &["customername"]),
    ColumnSpec::optional("customer_email", &["customeremail"]),
    ColumnSpec::required("sku", &["sku"]),
    ColumnSpec::required("quantity", &["quantity", "qty"]),
    ColumnSpec::optional("unit_price", &["unitprice"]),
    ColumnSpec::optional("status", &["status"]),
    ColumnSpec::optional("shipped_at", &["shippedat"]),
    ColumnSpec::optional(
        "backordered_qty",
        &["backorderedqty", "backorderedquantity"],
    ),
    ColumnSpec::optional("priority", &["priority"]),
    ColumnSpec::optional("ship_name", &["shipname"]),
    ColumnSpec::optional("ship_company", &["shipcompany"]),
    ColumnSpec::optional("ship_address1", &["shipaddress1"]),
    ColumnSpec::optional("ship_address2", &["shipaddress2"]),
    ColumnSpec::optional("ship_city", &["shipcity"]),
    ColumnSpec::optional("ship_postal_code", &["shippostalcode"]),
    ColumnSpec::optional("ship_region", &["shipregion"]),
    ColumnSpec::optional("ship_country", &["shipcountry"]),
    ColumnSpec::optional("ship_phone", &["shipphone"]),
];

pub(crate) const ORDER_DATE_COLUMNS: [usize; 2] = [O_ORDERED_AT, O_SHIPPED_AT];

/// A row of the own orders format: the line, and the order's ship-to address when the file
/// has the ship-to columns (`None` when it has none of them: stored addresses are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnOrderRow {
    /// The order line.
    pub line: ImportedOrderLine,
    /// The order's address, when the file has ship-to columns.
    pub ship_to: Option<ShipTo>,
}

/// Reads own order lines.
#[derive(Debug, Default)]
pub(crate) struct OrderParser;

/// Reads own order lines without their ship-to columns.
#[derive(Debug, Default)]
pub(crate) struct LineOnly(pub OrderParser);

impl RowParser for LineOnly {
    type Row = ImportedOrderLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ImportedOrderLine> {
        self.0.parse(cx).map(|row| row.line)
    }
}

impl RowParser for OrderParser {
    type Row = OwnOrderRow;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<OwnOrderRow> {
        let ship_to = O_SHIP.iter().any(|&column| cx.has(column)).then(|| {
            let values = O_SHIP.map(|column| cx.text(column).into_owned());
            ShipTo::from_values(values)
        });
        if let Some(address) = &ship_to {
            for (column, value) in O_SHIP.iter().zip(address.values()) {
                if crate::domain::text::has_control_chars(value) {
                    cx.fail(*column, value, "must not contain line breaks or tabs");
                }
            }
        }
        let line = Self::parse_line(cx)?;
        Some(OwnOrderRow { line, ship_to })
    }
}

impl OrderParser {
    fn parse_line(cx: &mut Cx<'_, '_>) -> Option<ImportedOrderLine> {
        let order_number = cx.required_code(O_NUMBER, "an order number");
        let ordered_at = required_stamp(cx, O_ORDERED_AT).map(super::values::Stamp::utc);
        let customer_name = cx.line_text(O_CUSTOMER).unwrap_or_default();
        let customer_email = cx.line_text(O_EMAIL).unwrap_or_default();
        // The order itself is fine: an address that cannot be used is a warning, and messages to
        // the customer are held until it is corrected.
        if !customer_email.is_empty()
            && let Some(problem) = crate::domain::email::address_problem(&customer_email)
        {
            cx.warn(
                O_EMAIL,
                &customer_email,
                &format!(
                    "is not a valid e-mail address ({problem}); the order is imported, messages \
                     to the customer wait until the address is corrected"
                ),
            );
        }
        let sku_text = cx.text(O_SKU);
        let sku = cx.sku_of(O_SKU, &sku_text);
        let quantity = required_quantity(cx, O_QUANTITY);
        let unit_price_cents = cx.money(O_PRICE).unwrap_or(0);
        let status = match cx.cell(O_STATUS) {
            Some(code) if !code.is_empty() => {
                let status = OrderLineStatus::from_code(&code);
                if status.is_none() {
                    cx.fail(O_STATUS, &code, "must be open, shipped or cancelled");
                }
                status.unwrap_or_default()
            }
            _ => OrderLineStatus::Open,
        };
        let shipped_at = cx.stamp(O_SHIPPED_AT).map(super::values::Stamp::utc);
        let backordered_qty = cx.whole(O_BACKORDERED, 0..=MAX_UNITS).unwrap_or(0);
        if let Some(quantity) = quantity
            && backordered_qty > quantity
        {
            let value = cx.text(O_BACKORDERED);
            cx.fail(
                O_BACKORDERED,
                &value,
                format!("must not be more than the quantity ({quantity})"),
            );
        }
        let priority_text = cx.text(O_PRIORITY);
        let priority = priority_of(&priority_text).unwrap_or_else(|| {
            cx.fail(O_PRIORITY, &priority_text, "must be normal or high");
            Priority::Normal
        });
        Some(ImportedOrderLine {
            line: cx.line(),
            order_number: order_number?,
            ordered_at: ordered_at?,
            customer_name,
            customer_email,
            sku: sku?,
            quantity: quantity?,
            unit_price_cents,
            status,
            shipped_at,
            backordered_qty,
            priority,
        })
    }
}

/// `normal` (or empty) or `high`, without allocating.
fn priority_of(code: &str) -> Option<Priority> {
    if code.is_empty() || code.eq_ignore_ascii_case("normal") {
        Some(Priority::Normal)
    } else if code.eq_ignore_ascii_case("high") {
        Some(Priority::High)
    } else {
        None
    }
}

fn required_stamp(cx: &mut Cx<'_, '_>, column: usize) -> Option<super::values::Stamp> {
    if cx.text(column).is_empty() {
        cx.fail(column, "", "a date is required");
        return None;
    }
    cx.stamp(column)
}

fn required_quantity(cx: &mut Cx<'_, '_>, column: usize) -> Option<i64> {
    if cx.text(column).is_empty() {
        cx.fail(column, "", "a quantity is required");
        return None;
    }
    cx.whole(column, 1..=MAX_UNITS)
}

// ---------------------------------------------------------------------------------------------
// Purchase orders

/// The header the own purchase-order format is written with.
pub const PO_HEADER: [&str; 9] = [
    "po_number",
    "supplier",
    "sku",
    "quantity",
    "unit_cost",
    "ordered_at",
    "expected_at",
    "received_quantity",
    "received_at",
];

const PO_NUMBER: usize = 0;
const PO_SUPPLIER: usize = 1;
const PO_SKU: usize = 2;
const PO_QUANTITY: usize = 3;
const PO_COST: usize = 4;
const PO_ORDERED_AT: usize = 5;
const PO_EXPECTED_AT: usize = 6;
const PO_RECEIVED_QTY: usize = 7;
const PO_RECEIVED_AT: usize = 8;

pub(crate) const PO_SPECS: [ColumnSpec; 9] = [
    ColumnSpec::required("po_number", &["ponumber"]),
    ColumnSpec::required("supplier", &["supplier"]),
    ColumnSpec::required("sku", &["sku"]),
    ColumnSpec::required("quantity", &["quantity", "qty"]),
    ColumnSpec::optional("unit_cost", &["unitcost"]),
    ColumnSpec::required("ordered_at", &["orderedat"]),
    ColumnSpec::optional("expected_at", &["expectedat"]),
    ColumnSpec::optional("received_quantity", &["receivedquantity", "receivedqty"]),
    ColumnSpec::optional("received_at", &["receivedat"]),
];

pub(crate) const PO_DATE_COLUMNS: [usize; 3] = [PO_ORDERED_AT, PO_EXPECTED_AT, PO_RECEIVED_AT];

/// Reads own purchase order lines.
#[derive(Debug, Default)]
pub(crate) struct PoParser;

impl RowParser for PoParser {
    type Row = ImportedPoLine;

    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<ImportedPoLine> {
        let po_number = cx.required_code(PO_NUMBER, "a PO number");
        let supplier = cx.required_text(PO_SUPPLIER, "a supplier");
        let sku_text = cx.text(PO_SKU);
        let sku = cx.sku_of(PO_SKU, &sku_text);
        let quantity = required_quantity(cx, PO_QUANTITY);
        let unit_cost_cents = cx.money(PO_COST).unwrap_or(0);
        // Dates of a PO are calendar days: the day as written, whatever the offset.
        let ordered_at = required_stamp(cx, PO_ORDERED_AT).map(|stamp| stamp.local.date());
        let expected_at = cx.stamp(PO_EXPECTED_AT).map(|stamp| stamp.local.date());
        let received_quantity = cx.whole(PO_RECEIVED_QTY, 0..=MAX_UNITS).unwrap_or(0);
        let received_at = cx.stamp(PO_RECEIVED_AT).map(|stamp| stamp.local.date());
        Some(ImportedPoLine {
            line: cx.line(),
            po_number: po_number?,
            supplier: supplier?,
            sku: sku?,
            quantity: quantity?,
            unit_cost_cents,
            ordered_at: ordered_at?,
            expected_at,
            received_quantity,
            received_at,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Writers

fn push_date(buffer: &mut String, date: NaiveDate) {
    let _ = write!(
        buffer,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
}

fn push_datetime(buffer: &mut String, at: NaiveDateTime) {
    push_date(buffer, at.date());
    let _ = write!(
        buffer,
        " {:02}:{:02}:{:02}",
        at.hour(),
        at.minute(),
        at.second()
    );
}

/// Writes order lines in the own format (header [`ORDER_HEADER`], and with
/// [`OrderLineWriter::with_ship_to`] the [`ORDER_SHIP_TO_HEADER`] columns after it), one at a
/// time.
pub struct OrderLineWriter<W: Write> {
    csv: csv::Writer<W>,
    ordered_at: String,
    shipped_at: String,
    ship_to: bool,
}

impl<W: Write> OrderLineWriter<W> {
    /// Starts the file and writes the header.
    pub fn new(writer: W) -> io::Result<Self> {
        let mut csv = csv::Writer::from_writer(writer);
        csv.write_record(ORDER_HEADER)?;
        Ok(Self {
            csv,
            ordered_at: String::new(),
            shipped_at: String::new(),
            ship_to: false,
        })
    }

    /// Starts the file with the ship-to columns after the others.
    pub fn with_ship_to(writer: W) -> io::Result<Self> {
        let mut csv = csv::Writer::from_writer(writer);
        csv.write_record(ORDER_HEADER.iter().chain(&ORDER_SHIP_TO_HEADER))?;
        Ok(Self {
            csv,
            ordered_at: String::new(),
            shipped_at: String::new(),
            ship_to: true,
        })
    }

    /// Writes one line (an empty address when the writer has ship-to columns).
    pub fn write(&mut self, line: &ImportedOrderLine) -> io::Result<()> {
        self.write_with(line, &ShipTo::default())
    }

    /// Writes one line with its order's address. Times are written as `YYYY-MM-DD HH:MM:SS`,
    /// money with two decimals.
    pub fn write_with(&mut self, line: &ImportedOrderLine, ship_to: &ShipTo) -> io::Result<()> {
        self.ordered_at.clear();
        push_datetime(&mut self.ordered_at, line.ordered_at);
        self.shipped_at.clear();
        if let Some(at) = line.shipped_at {
            push_datetime(&mut self.shipped_at, at);
        }
        let quantity = line.quantity.to_string();
        let price = format_cents(line.unit_price_cents);
        let backordered = line.backordered_qty.to_string();
        let cells = [
            line.order_number.as_str(),
            &self.ordered_at,
            &line.customer_name,
            &line.customer_email,
            &line.sku,
            &quantity,
            &price,
            line.status.code(),
            &self.shipped_at,
            &backordered,
            line.priority.code(),
        ];
        if self.ship_to {
            write_guarded(&mut self.csv, cells.into_iter().chain(ship_to.values()))?;
        } else {
            write_guarded(&mut self.csv, cells)?;
        }
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        self.csv
            .into_inner()
            .map_err(|error| io::Error::other(error.to_string()))
    }
}

/// Writes purchase order lines in the own format (header [`PO_HEADER`]), one at a time.
pub struct PoLineWriter<W: Write> {
    csv: csv::Writer<W>,
    dates: [String; 3],
}

impl<W: Write> PoLineWriter<W> {
    /// Starts the file and writes the header.
    pub fn new(writer: W) -> io::Result<Self> {
        let mut csv = csv::Writer::from_writer(writer);
        csv.write_record(PO_HEADER)?;
        Ok(Self {
            csv,
            dates: Default::default(),
        })
    }

    /// Writes one line. Dates are written as `YYYY-MM-DD`, money with two decimals.
    pub fn write(&mut self, line: &ImportedPoLine) -> io::Result<()> {
        for (buffer, date) in
            self.dates
                .iter_mut()
                .zip([Some(line.ordered_at), line.expected_at, line.received_at])
        {
            buffer.clear();
            if let Some(date) = date {
                push_date(buffer, date);
            }
        }
        let [ordered_at, expected_at, received_at] = &self.dates;
        write_guarded(
            &mut self.csv,
            [
                line.po_number.as_str(),
                &line.supplier,
                &line.sku,
                &line.quantity.to_string(),
                &format_cents(line.unit_cost_cents),
                ordered_at,
                expected_at,
                &line.received_quantity.to_string(),
                received_at,
            ],
        )?;
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        self.csv
            .into_inner()
            .map_err(|error| io::Error::other(error.to_string()))
    }
}

/// Writes order lines in the own format.
pub fn write_order_lines<'a, W: Write>(
    writer: W,
    lines: impl IntoIterator<Item = &'a ImportedOrderLine>,
) -> io::Result<W> {
    let mut out = OrderLineWriter::new(writer)?;
    for line in lines {
        out.write(line)?;
    }
    out.finish()
}

/// Writes purchase order lines in the own format.
pub fn write_po_lines<'a, W: Write>(
    writer: W,
    lines: impl IntoIterator<Item = &'a ImportedPoLine>,
) -> io::Result<W> {
    let mut out = PoLineWriter::new(writer)?;
    for line in lines {
        out.write(line)?;
    }
    out.finish()
}
