//! Importing an own-format orders file: orders, their lines and ship-to addresses, in bounded memory.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::orders::reallocate;
use crate::domain::allocation::Priority;
use crate::domain::format_cents;
use crate::domain::ids::OrderId;
use crate::domain::limits::check_event_day;
use crate::domain::order::OrderStatus;
use crate::domain::ship_to::ShipTo;
use crate::io::csv_import::{self, ImportedOrderLine, OrderLineStatus, OwnOrderRow, RowError};
use crate::store::Connection;
use crate::store::bulk::OrderRows;
use crate::store::imports::{
    check_imported_references, create_order_indexes, drop_order_indexes, product_ids,
    products_with_open_imported_lines, settle_order,
};
use crate::store::kpi_rollup;
use crate::store::orders::{
    customer_id, highest_order_number, insert_order_line, next_line_no, order_and_batch_by_number,
};
use crate::store::rows::{NewOrder, NewOrderLine};
use crate::store::{ProductId, StoreError};

use super::read_ahead::{read_ahead, with_product};
use super::{ImportFailure, Job, Loaded, Tally, reason_of};

/// Loads an own-format orders file: orders and their lines (a large file in bulk, its
/// references checked once at the end), then the open lines get stock and lines of products
/// that could not be backordered are flagged oversold.
pub(super) fn load(
    job: &Job<'_>,
    opened: csv_import::ImportFile<'_>,
    tally: &mut Tally,
) -> Result<Loaded, ImportFailure> {
    let conn = job.conn;
    let rows = opened.own_orders().map_err(|error| job.file_error(error))?;
    let index = product_ids(conn)?;
    let mut state = OrderImport::new(conn, job.batch_id)?;
    // The statements of what a large load drops, read from the file before dropping.
    let dropped = if job.bulk {
        Some((
            drop_order_indexes(conn)?,
            kpi_rollup::suspend_tracking(conn)?,
        ))
    } else {
        None
    };
    let today = job.clock.today();
    let summary = read_ahead(
        rows,
        job.path_text,
        job.on_batch,
        with_product(&index, |row: &OwnOrderRow| &row.line.sku),
        |(row, product)| {
            import_order_line(
                conn,
                &row.line,
                row.ship_to.as_ref(),
                product,
                &mut state,
                tally,
                today,
            )
        },
    )?;
    state.finish(conn)?;
    let mut resettle: Vec<i64> = state.resettle.drain().collect();
    resettle.sort_unstable();
    for order_id in resettle {
        settle_order(conn, order_id)?;
    }
    if let Some((indexes, triggers)) = &dropped {
        create_order_indexes(conn, indexes)?;
        kpi_rollup::resume_tracking(conn, triggers)?;
        if let Some(problem) = check_imported_references(conn, &job.marks)? {
            return Err(StoreError::Invalid(format!("{problem}; nothing was imported")).into());
        }
    }
    for product_id in products_with_open_imported_lines(conn, job.marks.orders)? {
        reallocate(conn, product_id)?;
    }
    let mut loaded = Loaded::new(
        summary,
        vec![
            "order",
            "ordered at",
            "customer",
            "e-mail",
            "sku",
            "quantity",
            "price",
            "status",
            "priority",
        ],
    );
    loaded.orders_in_file = state.orders_seen;
    // Orders are facts: lines of products that could not be backordered when ordered are
    // recorded and flagged.
    loaded.oversold_lines = super::storefront::flag_oversold_imported(conn, job.marks.orders)?;
    Ok(loaded)
}

/// A line waiting to be written with its order.
struct PendingLine {
    product_id: ProductId,
    quantity: i64,
    unit_price_cents: i64,
    status: OrderLineStatus,
    shipped_at: Option<NaiveDateTime>,
    backordered_qty: i64,
}

/// The order whose lines are being read: written once, with its final status, when the next
/// order starts.
struct PendingOrder {
    number: String,
    customer_id: i64,
    ordered_at: NaiveDateTime,
    high_priority: bool,
    lines: Vec<PendingLine>,
    /// The address of the order's first row, when the file has ship-to columns and it is set.
    ship_to: Option<ShipTo>,
}

/// Addresses of written orders held until their orders are in the database, at most this many.
const HELD_ADDRESSES: usize = 4096;

/// Customers looked up during an order import are remembered up to this many (then forgotten and
/// looked up again), so memory does not grow with the file.
const CUSTOMER_CACHE: usize = 100_000;

/// What finds a customer (as [`customer_id`] does): the e-mail address compared the way SQLite's
/// NOCASE does (ASCII letters only), or the name when there is no address.
#[derive(Debug, PartialEq, Eq, Hash)]
enum CustomerKey {
    Email(String),
    Name(String),
}

/// Whether an order number is in the shop.
enum KnownOrder {
    /// Not in the shop: the import adds it.
    New,
    /// In the shop before this import: its rows are skipped.
    Before,
    /// Written by this import already (the file did not keep its lines together).
    Ours(i64),
}

struct OrderImport {
    /// The last order number found in the shop before the import (its other lines are skipped
    /// without asking the database again).
    last_before: Option<String>,
    /// The highest order number in the shop, this import's included (text order, as SQLite
    /// compares them): a higher number is new without asking the database. Exports list orders
    /// by number, so a whole history usually imports without one lookup per order.
    highest: Option<String>,
    customers: HashMap<CustomerKey, i64>,
    pending: Option<PendingOrder>,
    /// The line list of the last order written, emptied, for the next one (no allocation per
    /// order).
    spare_lines: Vec<PendingLine>,
    /// Orders whose lines were not together in the file: their status is set at the end.
    resettle: std::collections::HashSet<i64>,
    batch_id: i64,
    /// Orders written so far, queued for multi-row inserts.
    rows: OrderRows,
    /// Orders the file names (a new number on a row after another's).
    orders_seen: u64,
    last_number: String,
    /// Addresses of orders queued in `rows`, set once they are written.
    addresses: Vec<(OrderId, ShipTo)>,
}

impl OrderImport {
    fn new(conn: &Connection, batch_id: i64) -> Result<Self, ImportFailure> {
        Ok(Self {
            last_before: None,
            highest: highest_order_number(conn)?,
            customers: HashMap::new(),
            pending: None,
            spare_lines: Vec::new(),
            resettle: std::collections::HashSet::new(),
            batch_id,
            rows: OrderRows::new(conn)?,
            orders_seen: 0,
            last_number: String::new(),
            addresses: Vec::new(),
        })
    }

    /// Counts the orders the file names (rows of one order are usually together).
    fn count(&mut self, number: &str) {
        if self.last_number != number {
            self.orders_seen += 1;
            number.clone_into(&mut self.last_number);
        }
    }

    /// Writes the queued orders, then the addresses held for them.
    fn write_addresses(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        if self.addresses.is_empty() {
            return Ok(());
        }
        self.rows.write(conn)?;
        for (order_id, address) in self.addresses.drain(..) {
            crate::store::shop_orders::set_ship_to(conn, order_id, &address)?;
        }
        Ok(())
    }

    /// Whether the order number is in the shop: new when it is above every number there,
    /// otherwise an index lookup (nothing is kept per order, so a file of any size imports in
    /// bounded memory).
    fn known(&mut self, conn: &Connection, number: &str) -> Result<KnownOrder, ImportFailure> {
        if self.last_before.as_deref() == Some(number) {
            return Ok(KnownOrder::Before);
        }
        if self
            .highest
            .as_deref()
            .is_none_or(|highest| number > highest)
        {
            self.highest = Some(number.to_owned());
            return Ok(KnownOrder::New);
        }
        if self.rows.is_queued(number) {
            // A line of an order of this import that is not written yet: write it first.
            self.rows.write(conn)?;
        }
        let found = order_and_batch_by_number(conn, number)?;
        Ok(match found {
            None => KnownOrder::New,
            Some((order_id, Some(batch))) if batch == self.batch_id => KnownOrder::Ours(order_id),
            Some(_) => {
                self.last_before = Some(number.to_owned());
                KnownOrder::Before
            }
        })
    }

    /// Writes the pending order and its lines.
    fn flush(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        let Some(order) = self.pending.take() else {
            return Ok(());
        };
        let open = order
            .lines
            .iter()
            .any(|line| line.status == OrderLineStatus::Open);
        let shipped = order
            .lines
            .iter()
            .any(|line| line.status == OrderLineStatus::Shipped);
        let (status, closed_at) = match (open, shipped) {
            (true, _) => (OrderStatus::Open, None),
            (false, true) => (
                OrderStatus::Shipped,
                order
                    .lines
                    .iter()
                    .filter_map(|line| line.shipped_at)
                    .max()
                    .or(Some(order.ordered_at)),
            ),
            (false, false) => (OrderStatus::Cancelled, Some(order.ordered_at)),
        };
        let order_id = self.rows.order(
            conn,
            &NewOrder {
                order_number: &order.number,
                customer_id: order.customer_id,
                ordered_at: order.ordered_at,
                high_priority: order.high_priority,
                ship_complete: false,
                status,
                closed_at,
                batch_id: Some(self.batch_id),
            },
            (1..)
                .zip(&order.lines)
                .map(|(line_no, line)| new_line(OrderId(0), line_no, line)),
        )?;
        if let Some(address) = order.ship_to {
            self.addresses.push((order_id, address));
            if self.addresses.len() >= HELD_ADDRESSES {
                self.write_addresses(conn)?;
            }
        }
        let mut lines = order.lines;
        lines.clear();
        self.spare_lines = lines;
        Ok(())
    }

    /// Writes the pending order and every queued one.
    fn finish(&mut self, conn: &Connection) -> Result<(), ImportFailure> {
        self.flush(conn)?;
        self.rows.write(conn)?;
        self.write_addresses(conn)?;
        Ok(())
    }
}

/// The row of an imported line (nothing reserved yet: allocation runs after the import). A line
/// queued with its order gets the order's id from the queue (`OrderRows::order`).
fn new_line(order_id: OrderId, line_no: i64, line: &PendingLine) -> NewOrderLine {
    let (shipped, cancelled) = match line.status {
        OrderLineStatus::Open => (0, 0),
        OrderLineStatus::Shipped => (line.quantity, 0),
        OrderLineStatus::Cancelled => (0, line.quantity),
    };
    NewOrderLine {
        order_id,
        line_no,
        product_id: line.product_id,
        quantity: line.quantity,
        unit_price_cents: line.unit_price_cents,
        reserved_qty: 0,
        shipped_qty: shipped,
        cancelled_qty: cancelled,
        backordered_at_order_qty: line.backordered_qty,
        shipped_at: line.shipped_at,
    }
}

/// The dates of an imported order line against today and each other; `false` (with the error
/// recorded) when one is wrong.
fn order_line_dates_ok(row: &ImportedOrderLine, tally: &mut Tally, today: NaiveDate) -> bool {
    let ordered = row.ordered_at.date();
    if let Err(error) = check_event_day("ordered_at", ordered, today) {
        tally.error(
            row.line,
            "ordered_at",
            &stamp(row.ordered_at),
            &reason_of(&error),
        );
        return false;
    }
    if let Some(shipped_at) = row.shipped_at {
        let shipped = shipped_at.date();
        if let Err(error) = check_event_day("shipped_at", shipped, today) {
            tally.error(
                row.line,
                "shipped_at",
                &stamp(shipped_at),
                &reason_of(&error),
            );
            return false;
        }
        if shipped < ordered {
            tally.error(
                row.line,
                "shipped_at",
                &stamp(shipped_at),
                &format!(
                    "is before the order was placed ({}); check both dates",
                    stamp(row.ordered_at)
                ),
            );
            return false;
        }
    }
    true
}

fn import_order_line(
    conn: &Connection,
    row: &ImportedOrderLine,
    ship_to: Option<&ShipTo>,
    product: Option<ProductId>,
    state: &mut OrderImport,
    tally: &mut Tally,
    today: NaiveDate,
) -> Result<(), ImportFailure> {
    state.count(&row.order_number);
    let same_order = state
        .pending
        .as_ref()
        .is_some_and(|pending| pending.number == row.order_number);
    let known = if same_order {
        KnownOrder::New
    } else {
        state.known(conn, &row.order_number)?
    };
    if matches!(known, KnownOrder::Before) {
        tally.unchanged += 1;
        return Ok(());
    }
    let Some(product_id) = product else {
        tally.push_error(RowError::unknown_sku(row.line, &row.sku));
        return Ok(());
    };
    if !order_line_dates_ok(row, tally, today) {
        return Ok(());
    }
    if row.backordered_qty > row.quantity {
        tally.error(
            row.line,
            "backordered_qty",
            &row.backordered_qty.to_string(),
            "more than the quantity ordered",
        );
        return Ok(());
    }
    let line = PendingLine {
        product_id,
        quantity: row.quantity,
        unit_price_cents: row.unit_price_cents,
        status: row.status,
        shipped_at: row
            .shipped_at
            .or_else(|| (row.status == OrderLineStatus::Shipped).then_some(row.ordered_at)),
        backordered_qty: row.backordered_qty,
    };
    if same_order {
        if let Some(pending) = &mut state.pending {
            pending.lines.push(line);
        }
    } else if let KnownOrder::Ours(order_id) = known {
        // A line of an order already written (the file did not keep its lines together). Its
        // header may be in the database while some of its lines still wait in the queue: write
        // them first, so the next line number counts them.
        state.rows.write(conn)?;
        let next_line = next_line_no(conn, order_id)?;
        insert_order_line(conn, &new_line(OrderId(order_id), next_line, &line))?;
        state.resettle.insert(order_id);
    } else {
        state.flush(conn)?;
        let key = if row.customer_email.is_empty() {
            CustomerKey::Name(row.customer_name.clone())
        } else {
            CustomerKey::Email(row.customer_email.to_ascii_lowercase())
        };
        let customer = match state.customers.get(&key) {
            Some(id) => *id,
            None => {
                let name = if row.customer_name.is_empty() {
                    row.customer_email.clone()
                } else {
                    row.customer_name.clone()
                };
                let id = customer_id(conn, &name, &row.customer_email)?;
                if state.customers.len() >= CUSTOMER_CACHE {
                    state.customers.clear();
                }
                state.customers.insert(key, id);
                id
            }
        };
        state.pending = Some(PendingOrder {
            number: row.order_number.clone(),
            customer_id: customer,
            ordered_at: row.ordered_at,
            high_priority: row.priority == Priority::High,
            lines: {
                let mut lines = std::mem::take(&mut state.spare_lines);
                lines.push(line);
                lines
            },
            ship_to: ship_to
                .map(ShipTo::cleaned)
                .filter(|address| !address.is_empty()),
        });
    }
    tally.new += 1;
    tally.preview(|| {
        vec![
            row.order_number.clone(),
            stamp(row.ordered_at),
            row.customer_name.clone(),
            row.customer_email.clone(),
            row.sku.clone(),
            row.quantity.to_string(),
            format_cents(row.unit_price_cents),
            row.status.code().to_owned(),
            row.priority.code().to_owned(),
        ]
    });
    Ok(())
}

fn stamp(at: NaiveDateTime) -> String {
    crate::store::codec::datetime_text(at)
}
