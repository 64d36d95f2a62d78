//! Orders: place, ship, cancel, prioritise; stock reservation and re-allocation.

use crate::domain::order::OrderStatus;
use crate::store::Connection;
use chrono::NaiveDateTime;
use thiserror::Error;

use super::Clock;
use super::promises::{Recompute, recompute};
use crate::domain::allocation::{Priority, allocate, allocate_untracked, queue_cmp};
use crate::domain::drafting::Triggers;
use crate::domain::limits;
use crate::domain::order::{CancelReason, ShipPreference, fill_new_line, fill_untracked_line};
use crate::domain::payment::PaymentState;
use crate::domain::product::policy_in_force;
use crate::domain::ship_to::ShipTo;
use crate::domain::text::has_control_chars;
use crate::store::messages::DraftOutcome;
use crate::store::orders::{
    OrderId, add_reserved, cancel_line_units, customer_id, insert_order, insert_order_line,
    line_owner, next_order_number, open_line_ids, order_detail, order_id_by_number, product_stock,
    product_stock_by_sku, refresh_order_status, reserving_lines, set_cancel_reason, set_priority,
    ship_line_units, waiting_lines,
};
use crate::store::practice::update_payment;
use crate::store::rows::{NewOrder, NewOrderLine};
use crate::store::settings::NEW_ORDER_PAYMENT;
use crate::store::{ProductId, Store, StoreError};

#[derive(Debug, Error)]
pub enum OrderError {
    #[error("{0}")]
    Invalid(String),
    #[error(
        "{sku}: only {available} available and backorders are not allowed for this product; the order was not saved"
    )]
    Refused {
        sku: String,
        available: i64,
        wanted: i64,
    },
    #[error(
        "{sku}: only {available} available and backorders closed on {cutoff} (the product's backorder cutoff); the order was not saved"
    )]
    Closed {
        sku: String,
        available: i64,
        cutoff: chrono::NaiveDate,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new order as typed or scripted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderInput {
    /// Empty: the next free number.
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    /// `None`: now.
    pub ordered_at: Option<NaiveDateTime>,
    pub priority: Priority,
    pub ship: ShipPreference,
    /// SKU and quantity; the price is the product's.
    pub lines: Vec<(String, i64)>,
}

/// What placing an order did, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOrder {
    pub order_id: OrderId,
    pub order_number: String,
    /// SKU, ordered, reserved now, waiting.
    pub lines: Vec<(String, i64, i64, i64)>,
}

fn validate(input: &OrderInput) -> Result<(), OrderError> {
    let name = input.customer_name.trim();
    if name.is_empty() {
        return Err(OrderError::Invalid("Customer name is required".into()));
    }
    let email = input.customer_email.trim();
    if has_control_chars(name) || has_control_chars(email) || has_control_chars(&input.order_number)
    {
        return Err(OrderError::Invalid(
            "Customer name, e-mail and order number must not contain line breaks or tabs".into(),
        ));
    }
    if !email.is_empty()
        && let Some(problem) = crate::domain::email::address_problem(email)
    {
        return Err(OrderError::Invalid(format!(
            "'{email}' is not a valid e-mail address: {problem}"
        )));
    }
    if input.lines.is_empty() {
        return Err(OrderError::Invalid(
            "An order needs at least one line".into(),
        ));
    }
    for (sku, quantity) in &input.lines {
        if sku.trim().is_empty() {
            return Err(OrderError::Invalid("Every line needs a SKU".into()));
        }
        limits::check_line_units(&format!("{}: the quantity", sku.trim()), *quantity)
            .map_err(|error| OrderError::Invalid(format!("{error}; the order was not saved")))?;
    }
    limits::check_text(
        "The order number",
        input.order_number.trim(),
        limits::MAX_CODE_CHARS,
    )
    .and_then(|_| limits::check_text("The customer name", name, limits::MAX_NAME_CHARS))
    .map_err(|error| OrderError::Invalid(format!("{error}; the order was not saved")))?;
    if let Some(at) = input.ordered_at {
        limits::check_day("The order date", at.date())
            .map_err(|error| OrderError::Invalid(error.to_string()))?;
    }
    Ok(())
}

/// Places an order: reserves what is available line by line; the rest waits (backorder or
/// preorder). A product that does not allow backorders refuses the whole order, and nothing is
/// saved. Promises are recomputed in the same transaction.
pub fn place_order(
    store: &mut Store,
    input: &OrderInput,
    clock: &Clock,
) -> Result<(PlacedOrder, Recompute), OrderError> {
    place_order_with_payment(store, input, None, clock)
}

/// [`place_order`] with the order's payment state: `None` follows the `new_order_payment`
/// setting (default "not needed"); `Authorized` stamps the authorization at the order time.
/// Only "not needed" and "authorized" are states a new order can start in.
pub fn place_order_with_payment(
    store: &mut Store,
    input: &OrderInput,
    payment: Option<PaymentState>,
    clock: &Clock,
) -> Result<(PlacedOrder, Recompute), OrderError> {
    place_order_full(store, input, payment, &ShipTo::default(), clock)
}

/// [`place_order_with_payment`] with the order's ship-to address (all fields may be empty).
pub fn place_order_full(
    store: &mut Store,
    input: &OrderInput,
    payment: Option<PaymentState>,
    ship_to: &ShipTo,
    clock: &Clock,
) -> Result<(PlacedOrder, Recompute), OrderError> {
    validate(input)?;
    let ship_to = checked_ship_to(ship_to)?;
    let now = clock.now();
    let ordered_at = input.ordered_at.unwrap_or(now);
    let payment = match payment {
        Some(state) => state,
        None => store
            .setting(NEW_ORDER_PAYMENT)?
            .as_deref()
            .and_then(PaymentState::from_code)
            .unwrap_or_default(),
    };
    if !matches!(payment, PaymentState::NotNeeded | PaymentState::Authorized) {
        return Err(OrderError::Invalid(
            "A new order's payment is either not needed or authorized".into(),
        ));
    }
    let today = clock.today();
    store.in_transaction_with(|tx| {
        let order_number = if input.order_number.trim().is_empty() {
            next_order_number(tx)?
        } else {
            let number = input.order_number.trim().to_owned();
            if order_id_by_number(tx, &number)?.is_some() {
                return Err(OrderError::Invalid(format!(
                    "Order {number} already exists"
                )));
            }
            number
        };
        let customer = customer_id(tx, input.customer_name.trim(), input.customer_email.trim())?;
        let order_id = insert_order(
            tx,
            &NewOrder {
                order_number: &order_number,
                customer_id: customer,
                ordered_at,
                high_priority: input.priority == Priority::High,
                ship_complete: input.ship == ShipPreference::Complete,
                status: OrderStatus::Open,
                closed_at: None,
                batch_id: None,
            },
        )?;
        let mut lines = Vec::new();
        for (index, (sku, quantity)) in input.lines.iter().enumerate() {
            let stock = product_stock_by_sku(tx, sku)?
                .filter(|stock| !stock.archived)
                .ok_or_else(|| {
                    OrderError::Invalid(format!("No product with SKU '{}'", sku.trim()))
                })?;
            let policy = policy_in_force(stock.policy, stock.backorder_cutoff, today);
            let filled = if stock.track_stock {
                fill_new_line(*quantity, stock.free(), policy)
            } else {
                Ok(fill_untracked_line(*quantity))
            };
            let (reserved, waiting) = filled.map_err(|refusal| match stock.backorder_cutoff {
                Some(cutoff) if policy != stock.policy => OrderError::Closed {
                    sku: stock.sku.clone(),
                    available: refusal.available,
                    cutoff,
                },
                _ => OrderError::Refused {
                    sku: stock.sku.clone(),
                    available: refusal.available,
                    wanted: refusal.wanted,
                },
            })?;
            insert_order_line(
                tx,
                &NewOrderLine {
                    order_id,
                    line_no: index as i64 + 1,
                    product_id: stock.product_id,
                    quantity: *quantity,
                    unit_price_cents: stock.price_cents,
                    reserved_qty: reserved,
                    shipped_qty: 0,
                    cancelled_qty: 0,
                    backordered_at_order_qty: waiting,
                    shipped_at: None,
                },
            )?;
            lines.push((stock.sku, *quantity, reserved, waiting));
        }
        if payment == PaymentState::Authorized {
            let at = crate::store::codec::datetime_text(ordered_at);
            update_payment(tx, order_id, payment, Some(&at), 0, false, &at)?;
        }
        if !ship_to.is_empty() {
            crate::store::shop_orders::set_ship_to(tx, order_id, &ship_to)?;
        }
        let promises = recompute(
            tx,
            clock.today(),
            &format!("queue changed by order {order_number}"),
        )?;
        super::notify::draft_confirmation(tx, order_id, &crate::store::codec::datetime_text(now))?;
        Ok((
            PlacedOrder {
                order_id,
                order_number,
                lines,
            },
            promises,
        ))
    })
}

/// Units a re-allocation gave to (or took back from) one line (a domain record, so that the
/// services that report it need not import each other).
pub use crate::domain::allocation::Allocated;

/// Matches a product's free stock to its queue: free units go to waiting lines in queue order;
/// if less is on hand than reserved (after a negative adjustment), the newest reservations are
/// released first.
pub fn reallocate(conn: &Connection, product_id: ProductId) -> Result<Vec<Allocated>, StoreError> {
    let stock = product_stock(conn, product_id)?;
    let mut changes = Vec::new();
    if !stock.track_stock {
        // Nothing is counted: every waiting line is ready at once, and nothing is released.
        let waiting = waiting_lines(conn, product_id)?;
        for grant in allocate_untracked(&waiting) {
            add_reserved(conn, grant.line_id, grant.quantity)?;
            let order_number = waiting
                .iter()
                .find(|line| line.line_id == grant.line_id)
                .map(|line| line.order_number.clone())
                .unwrap_or_default();
            changes.push(Allocated {
                line_id: grant.line_id,
                order_number,
                sku: stock.sku.clone(),
                quantity: grant.quantity,
            });
        }
        return Ok(changes);
    }
    let free = stock.on_hand - stock.reserved;
    if free > 0 {
        let waiting = waiting_lines(conn, product_id)?;
        let (grants, _) = allocate(free, &waiting);
        for grant in grants {
            add_reserved(conn, grant.line_id, grant.quantity)?;
            let order_number = waiting
                .iter()
                .find(|line| line.line_id == grant.line_id)
                .map(|line| line.order_number.clone())
                .unwrap_or_default();
            changes.push(Allocated {
                line_id: grant.line_id,
                order_number,
                sku: stock.sku.clone(),
                quantity: grant.quantity,
            });
        }
    } else if free < 0 {
        let mut holding = reserving_lines(conn, product_id)?;
        holding.sort_by(queue_cmp);
        let mut to_release = -free;
        for line in holding.iter().rev() {
            if to_release == 0 {
                break;
            }
            let release = line.waiting.min(to_release);
            add_reserved(conn, line.line_id, -release)?;
            to_release -= release;
            changes.push(Allocated {
                line_id: line.line_id,
                order_number: line.order_number.clone(),
                sku: stock.sku.clone(),
                quantity: -release,
            });
        }
    }
    Ok(changes)
}

/// Ships every reserved unit of an order (for ship-complete orders only when all is reserved).
/// Returns the units shipped.
pub fn ship_order(store: &mut Store, order_id: OrderId, clock: &Clock) -> Result<i64, OrderError> {
    ship_order_tracked(store, order_id, "", clock)
}

/// [`ship_order`], keeping the parcel's tracking number with the shipment (may be empty).
pub fn ship_order_tracked(
    store: &mut Store,
    order_id: OrderId,
    tracking_number: &str,
    clock: &Clock,
) -> Result<i64, OrderError> {
    let tracking_number = crate::domain::limits::check_text(
        "The tracking number",
        tracking_number.trim(),
        crate::domain::limits::MAX_CODE_CHARS,
    )
    .map_err(|error| OrderError::Invalid(format!("{error}; nothing was shipped")))?;
    let detail = order_detail(store.connection(), order_id)?;
    if detail.summary.status != OrderStatus::Open {
        return Err(OrderError::Invalid(format!(
            "Order {} is {}",
            detail.summary.order_number, detail.summary.status
        )));
    }
    if detail.summary.held_for_completion() {
        return Err(OrderError::Invalid(format!(
            "Order {} ships complete and {} unit(s) still wait",
            detail.summary.order_number, detail.summary.units_waiting
        )));
    }
    if let Some(reason) = detail
        .summary
        .payment_gate()
        .refusal(&detail.summary.order_number)
    {
        return Err(OrderError::Invalid(reason));
    }
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let mut shipped = 0;
        for line in &detail.lines {
            let units = line.quantities.reserved.min(line.quantities.open());
            if units > 0 {
                ship_line_units(tx, line.line_id, units, &at)?;
                shipped += units;
            }
        }
        if shipped == 0 {
            return Err(OrderError::Invalid(format!(
                "Nothing of order {} is reserved yet",
                detail.summary.order_number
            )));
        }
        crate::store::orders::record_shipment(tx, order_id, shipped, tracking_number, &at)?;
        refresh_order_status(tx, order_id, &at)?;
        recompute(tx, clock.today(), "shipment")?;
        super::notify::reconcile_order(tx, order_id, &Triggers::default(), &at)?;
        Ok(shipped)
    })
}

/// Ships `quantity` reserved units of one line.
pub fn ship_line(
    store: &mut Store,
    line_id: i64,
    quantity: i64,
    clock: &Clock,
) -> Result<(), OrderError> {
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let (order_id, _) = line_owner(tx, line_id)?;
        let summary = crate::store::orders::order_summary(tx, order_id)?;
        if summary.held_for_completion() {
            return Err(OrderError::Invalid(format!(
                "Order {} ships complete and {} unit(s) still wait",
                summary.order_number, summary.units_waiting
            )));
        }
        if let Some(reason) = summary.payment_gate().refusal(&summary.order_number) {
            return Err(OrderError::Invalid(reason));
        }
        ship_line_units(tx, line_id, quantity, &at)?;
        refresh_order_status(tx, order_id, &at)?;
        recompute(tx, clock.today(), "shipment")?;
        super::notify::reconcile_order(tx, order_id, &Triggers::default(), &at)?;
        Ok(())
    })
}

/// Cancels the open units of one line; its reservation goes to the next in the queue at once.
pub fn cancel_line(
    store: &mut Store,
    line_id: i64,
    clock: &Clock,
) -> Result<Vec<Allocated>, OrderError> {
    cancel_line_because(store, line_id, None, clock)
}

/// [`cancel_line`], recording why (`None`: no reason given).
pub fn cancel_line_because(
    store: &mut Store,
    line_id: i64,
    reason: Option<CancelReason>,
    clock: &Clock,
) -> Result<Vec<Allocated>, OrderError> {
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let (order_id, product_id) = line_owner(tx, line_id)?;
        let cancelled = cancel_line_units(tx, line_id)?;
        if cancelled == 0 {
            return Err(OrderError::Invalid("Nothing of this line is open".into()));
        }
        set_cancel_reason(tx, line_id, reason)?;
        let moved = reallocate(tx, product_id)?;
        refresh_order_status(tx, order_id, &at)?;
        recompute(tx, clock.today(), "cancellation")?;
        super::notify::draft_cancellation(tx, order_id, &[(line_id, cancelled)], &at)?;
        super::notify::draft_ready(tx, &moved, &at)?;
        Ok(moved)
    })
}

/// Cancels every open line of an order and re-allocates what it held.
pub fn cancel_order(
    store: &mut Store,
    order_id: OrderId,
    clock: &Clock,
) -> Result<Vec<Allocated>, OrderError> {
    cancel_order_because(store, order_id, None, clock)
}

/// [`cancel_order`], recording why on every line it cancels (`None`: no reason given).
pub fn cancel_order_because(
    store: &mut Store,
    order_id: OrderId,
    reason: Option<CancelReason>,
    clock: &Clock,
) -> Result<Vec<Allocated>, OrderError> {
    store.in_transaction_with(|tx| {
        let lines: Vec<i64> = open_line_ids(tx, order_id)?
            .into_iter()
            .map(|(line_id, _)| line_id)
            .collect();
        if lines.is_empty() {
            return Err(OrderError::Invalid("Nothing of this order is open".into()));
        }
        cancel_lines_in(tx, order_id, &lines, reason, clock)
    })
}

/// Cancels the open units of these lines of one order inside the caller's transaction: their
/// stock goes to the next in the queue, promises are recomputed, the cancellation is drafted
/// and the order's other drafts are brought in line.
pub fn cancel_lines_in(
    tx: &Connection,
    order_id: OrderId,
    line_ids: &[i64],
    reason: Option<CancelReason>,
    clock: &Clock,
) -> Result<Vec<Allocated>, OrderError> {
    let at = clock.now_text();
    let open = open_line_ids(tx, order_id)?;
    let lines: Vec<(i64, ProductId)> = open
        .into_iter()
        .filter(|(line_id, _)| line_ids.contains(line_id))
        .collect();
    let mut moved = Vec::new();
    let mut cancelled = Vec::new();
    for (line_id, _) in &lines {
        cancelled.push((*line_id, cancel_line_units(tx, *line_id)?));
        set_cancel_reason(tx, *line_id, reason)?;
    }
    let mut products: Vec<ProductId> = lines.iter().map(|(_, product)| *product).collect();
    products.sort_unstable();
    products.dedup();
    for product_id in products {
        moved.extend(reallocate(tx, product_id)?);
    }
    refresh_order_status(tx, order_id, &at)?;
    recompute(tx, clock.today(), "cancellation")?;
    super::notify::draft_cancellation(tx, order_id, &cancelled, &at)?;
    super::notify::draft_ready(tx, &moved, &at)?;
    Ok(moved)
}

/// Changes an order's priority. Reservations already made stay; the order's waiting lines move
/// in their queues, and promises are recomputed.
pub fn change_priority(
    store: &mut Store,
    order_id: OrderId,
    priority: Priority,
    clock: &Clock,
) -> Result<Recompute, OrderError> {
    store.in_transaction_with(|tx| {
        set_priority(tx, order_id, priority)?;
        Ok(recompute(tx, clock.today(), "priority changed")?)
    })
}

/// An address as typed: trimmed, checked for line breaks and tabs.
fn checked_ship_to(ship_to: &ShipTo) -> Result<ShipTo, OrderError> {
    for ((_, label), value) in crate::domain::ship_to::FIELDS.iter().zip(ship_to.values()) {
        if has_control_chars(value.trim()) {
            return Err(OrderError::Invalid(format!(
                "Ship-to {}: must not contain line breaks or tabs",
                label.to_lowercase()
            )));
        }
    }
    let mut clean = ship_to.clone();
    for value in clean.values_mut() {
        *value = value.trim().to_owned();
    }
    Ok(clean)
}

/// Changes an order's ship-to address, and gives its customer an e-mail address when `email`
/// is set (checked first; the order's unsent drafts without an address get it too).
pub fn update_ship_to(
    store: &mut Store,
    order_id: OrderId,
    ship_to: &ShipTo,
    email: Option<&str>,
) -> Result<(), OrderError> {
    let ship_to = checked_ship_to(ship_to)?;
    let email = email.map(str::trim).filter(|email| !email.is_empty());
    if let Some(email) = email
        && let Some(problem) = crate::domain::email::address_problem(email)
    {
        return Err(OrderError::Invalid(format!(
            "'{email}' is not a valid e-mail address: {problem}"
        )));
    }
    store.in_transaction_with(|tx| {
        crate::store::shop_orders::set_ship_to(tx, order_id, &ship_to)?;
        if let Some(email) = email {
            crate::store::shop_orders::set_order_email(tx, order_id, email)?;
        }
        Ok(())
    })
}

/// One way out of an oversold order: the units of its oversold lines that wait are cancelled
/// (reserved units stay), with a cancellation draft for the customer. Returns the units
/// cancelled.
pub fn cancel_oversold(
    store: &mut Store,
    order_id: OrderId,
    clock: &Clock,
) -> Result<i64, OrderError> {
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let detail = order_detail(tx, order_id)?;
        let mut cancelled = Vec::new();
        for line in &detail.lines {
            let waiting = line.quantities.waiting();
            if waiting > 0 && crate::store::shop_orders::is_oversold(tx, line.line_id)? {
                let done = crate::store::shop_orders::cancel_waiting(tx, line.line_id, waiting)?;
                set_cancel_reason(tx, line.line_id, Some(CancelReason::Other))?;
                crate::store::shop_orders::set_oversold(tx, line.line_id, false)?;
                cancelled.push((line.line_id, done));
            }
        }
        let total: i64 = cancelled.iter().map(|(_, units)| units).sum();
        if total == 0 {
            return Err(OrderError::Invalid(format!(
                "Nothing of order {} is oversold and waiting",
                detail.summary.order_number
            )));
        }
        refresh_order_status(tx, order_id, &at)?;
        recompute(tx, clock.today(), "oversold units cancelled")?;
        super::notify::draft_cancellation(tx, order_id, &cancelled, &at)?;
        Ok(total)
    })
}

/// The other way out of an oversold order: its units keep waiting for stock like any
/// backorder, and the customer gets the backorder confirmation with the windows. Returns
/// whether a confirmation was drafted (not when the customer has no e-mail address).
pub fn keep_oversold_waiting(
    store: &mut Store,
    order_id: OrderId,
    clock: &Clock,
) -> Result<bool, OrderError> {
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        let cleared = crate::store::shop_orders::clear_oversold(tx, order_id)?;
        if cleared == 0 {
            return Err(OrderError::Invalid(
                "Nothing of this order is oversold".into(),
            ));
        }
        recompute(tx, clock.today(), "oversold units kept waiting")?;
        let outcome = super::notify::draft_confirmation(tx, order_id, &now)?;
        Ok(matches!(
            outcome,
            Some(DraftOutcome::Added(_) | DraftOutcome::Replaced(_))
        ))
    })
}

/// What a line of a new order would be if the order were placed now (the New order dialog
/// shows it before anything is saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePreview {
    pub sku: String,
    pub name: String,
    /// The price the line is saved with.
    pub unit_price_cents: i64,
    /// Units free to promise now; `None` when the shop does not count this product's stock.
    pub available: Option<i64>,
    /// Units reserved at once, and units that would wait.
    pub reserved: i64,
    pub waiting: i64,
    /// The product is a preorder (its waiting units are preorders, not backorders).
    pub preorder: bool,
    /// When the waiting units would ship (`None`: date unknown, or nothing waits).
    pub window: Option<crate::domain::promise::EtaWindow>,
    /// Why placing the order would be refused for this line (backorders not allowed or closed).
    pub refusal: Option<String>,
}

/// Up to `limit` products whose SKU or name contains `text`, for the order entry's lookup.
pub fn find_products(
    store: &Store,
    text: &str,
    limit: usize,
) -> Result<Vec<crate::store::orders::ProductStock>, StoreError> {
    crate::store::orders::product_lookup(store.connection(), text, limit)
}

/// The line `quantity` × `sku` would become in an order placed `today`: its price, what is
/// reserved at once, what waits and the window the promise engine gives the waiting units
/// (behind every unit already waiting for the product, as [`place_order`] queues it).
pub fn preview_line(
    store: &Store,
    sku: &str,
    quantity: i64,
    today: chrono::NaiveDate,
) -> Result<LinePreview, OrderError> {
    use crate::domain::product::{BackorderPolicy, backorders_closed};
    let sku = sku.trim();
    let row = store
        .catalog_row_by_sku(sku)?
        .ok_or_else(|| OrderError::Invalid(format!("No product with SKU '{sku}'")))?;
    if quantity <= 0 {
        return Err(OrderError::Invalid(format!(
            "{sku}: the quantity is a whole number of units above 0"
        )));
    }
    let closed = backorders_closed(row.backorder_cutoff, today);
    let policy = if closed {
        BackorderPolicy::NotAllowed
    } else {
        row.policy
    };
    let free = row.figures.available();
    let (reserved, waiting, refusal) = if row.track_stock {
        match fill_new_line(quantity, free, policy) {
            Ok((reserved, waiting)) => (reserved, waiting, None),
            Err(refusal) => {
                let why = match row.backorder_cutoff {
                    Some(cutoff) if closed => format!(
                        "only {} available and backorders closed on {cutoff}",
                        refusal.available
                    ),
                    _ => format!(
                        "only {} available and backorders are not allowed",
                        refusal.available
                    ),
                };
                (refusal.available.min(quantity), 0, Some(why))
            }
        }
    } else {
        let (reserved, waiting) = fill_untracked_line(quantity);
        (reserved, waiting, None)
    };
    let window = if waiting > 0 {
        let inputs = super::promises::PromiseInputs::load(store.connection(), today)?;
        let context = inputs.context(
            today,
            row.product_id,
            row.lead_time_days,
            row.max_wait_days,
            row.supplier_id,
        );
        let arrivals = inputs.arrivals(row.product_id);
        crate::domain::promise::new_line_promise(
            row.figures.backordered,
            waiting,
            &arrivals,
            &context,
        )
        .window
    } else {
        None
    };
    Ok(LinePreview {
        unit_price_cents: row.price_cents,
        available: row.track_stock.then_some(free),
        reserved,
        waiting,
        preorder: policy == BackorderPolicy::Preorder,
        window,
        refusal,
        sku: row.sku,
        name: row.name,
    })
}
