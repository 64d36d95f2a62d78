//! Purchase orders: create, receive (stock goes to waiting lines first), re-date, confirm.

use chrono::NaiveDate;
use thiserror::Error;

use super::Clock;
use super::orders::reallocate;
use super::promises::recompute;
use crate::domain::allocation::Allocated;
use crate::domain::limits;
use crate::domain::order::PoStatus;
use crate::domain::text::has_control_chars;
use crate::store::orders::product_stock_by_sku;
use crate::store::promises::PromiseChangeRow;
use crate::store::purchasing::{
    PoId, cancel_po, insert_po_line, insert_purchase_order, next_po_number, po_detail,
    po_id_by_number, receive_po_line, refresh_po_status, set_po_confirmed, set_po_expected,
};
use crate::store::rows::{NewPoLine, NewPurchaseOrder};
use crate::store::{ProductId, Store, StoreError};

#[derive(Debug, Error)]
pub enum PurchaseError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoInput {
    /// Empty: the next free number.
    pub po_number: String,
    pub supplier: String,
    pub ordered_at: Option<NaiveDate>,
    pub expected_at: Option<NaiveDate>,
    pub confirmed: bool,
    /// SKU, quantity, unit cost in cents (`None`: the product's cost).
    pub lines: Vec<(String, i64, Option<i64>)>,
}

/// A supplier must be one the shop has unless it is added on purpose (`allow_new`): a typo
/// does not create a supplier. The refusal names the closest existing one.
pub fn check_supplier(
    store: &Store,
    name: &str,
    allow_new: bool,
    how_to_add: &str,
) -> Result<(), PurchaseError> {
    let name = name.trim();
    if allow_new || name.is_empty() {
        return Ok(());
    }
    // A name no supplier could have is refused for what is wrong with it.
    limits::check_text("The supplier", name, limits::MAX_NAME_CHARS).map_err(|error| {
        PurchaseError::Invalid(format!("{error}; the purchase order was not saved"))
    })?;
    if crate::store::purchasing::supplier_id_by_name(store.connection(), name)?.is_some() {
        return Ok(());
    }
    let names = store.supplier_names()?;
    let close = crate::domain::text::close_matches(name, &names);
    let hint = if close.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = close.iter().map(|known| format!("'{known}'")).collect();
        format!("did you mean {}? ", quoted.join(", "))
    };
    Err(PurchaseError::Invalid(format!(
        "There is no supplier '{name}'; {hint}{how_to_add}. The purchase order was not saved"
    )))
}

/// How the window says to add a supplier on purpose (see [`check_supplier`]).
pub const ADD_SUPPLIER_IN_WINDOW: &str =
    "Choose one from the list, or choose \"New supplier…\" to add it";

/// [`create_po`] for people: the supplier must exist unless `new_supplier` (see
/// [`check_supplier`]).
pub fn create_po_checked(
    store: &mut Store,
    input: &PoInput,
    new_supplier: bool,
    clock: &Clock,
) -> Result<(PoId, String), PurchaseError> {
    create_po_checked_with(store, input, new_supplier, ADD_SUPPLIER_IN_WINDOW, clock)
}

/// [`create_po_checked`] with the refusal's last words: how to add the supplier on purpose
/// where the PO is made (the command line names its flag).
pub fn create_po_checked_with(
    store: &mut Store,
    input: &PoInput,
    new_supplier: bool,
    how_to_add: &str,
    clock: &Clock,
) -> Result<(PoId, String), PurchaseError> {
    check_supplier(store, &input.supplier, new_supplier, how_to_add)?;
    create_po(store, input, clock)
}

/// Checks a purchase order before it is written; returns its order date.
fn check_po(input: &PoInput, today: NaiveDate) -> Result<NaiveDate, PurchaseError> {
    let supplier = input.supplier.trim();
    if supplier.is_empty() {
        return Err(PurchaseError::Invalid("Supplier is required".into()));
    }
    if has_control_chars(supplier) || has_control_chars(&input.po_number) {
        return Err(PurchaseError::Invalid(
            "Supplier and PO number must not contain line breaks or tabs".into(),
        ));
    }
    if input.lines.is_empty() {
        return Err(PurchaseError::Invalid(
            "A purchase order needs at least one line".into(),
        ));
    }
    let ordered_at = input.ordered_at.unwrap_or(today);
    let refused = |error: limits::LimitError| {
        PurchaseError::Invalid(format!("{error}; the purchase order was not saved"))
    };
    limits::check_text("The supplier", supplier, limits::MAX_NAME_CHARS).map_err(refused)?;
    limits::check_text(
        "The PO number",
        input.po_number.trim(),
        limits::MAX_CODE_CHARS,
    )
    .map_err(refused)?;
    limits::check_day("The order date", ordered_at).map_err(refused)?;
    if let Some(expected) = input.expected_at {
        limits::check_day("The expected arrival", expected).map_err(refused)?;
    }
    for (sku, quantity, cost) in &input.lines {
        limits::check_line_units(&format!("{}: the quantity", sku.trim()), *quantity)
            .map_err(refused)?;
        if let Some(cents) = cost {
            limits::check_cents(&format!("{}: the unit cost", sku.trim()), *cents)
                .map_err(refused)?;
        }
    }
    if let Some(expected) = input.expected_at
        && expected < ordered_at
    {
        return Err(PurchaseError::Invalid(
            "The expected arrival is before the order date".into(),
        ));
    }
    Ok(ordered_at)
}

/// Writes a checked purchase order (see [`check_po`]) in `tx`; promises are not recomputed.
fn insert_po(
    tx: &rusqlite::Connection,
    input: &PoInput,
    ordered_at: NaiveDate,
) -> Result<(PoId, String), PurchaseError> {
    let supplier = input.supplier.trim();
    let po_number = if input.po_number.trim().is_empty() {
        next_po_number(tx)?
    } else {
        let number = input.po_number.trim().to_owned();
        if po_id_by_number(tx, &number)?.is_some() {
            return Err(PurchaseError::Invalid(format!("{number} already exists")));
        }
        number
    };
    let supplier_id = crate::store::products::supplier_id(tx, supplier)?
        .ok_or_else(|| PurchaseError::Invalid("Supplier is required".into()))?;
    let po_id = insert_purchase_order(
        tx,
        &NewPurchaseOrder {
            po_number: &po_number,
            supplier_id,
            ordered_at,
            expected_at: input.expected_at,
            confirmed: input.confirmed,
            status: PoStatus::Open,
        },
    )?;
    for (sku, quantity, cost) in &input.lines {
        let product_id: ProductId = product_stock_by_sku(tx, sku)?
            .filter(|stock| !stock.archived)
            .ok_or_else(|| PurchaseError::Invalid(format!("No product with SKU '{}'", sku.trim())))?
            .product_id;
        let unit_cost_cents = match cost {
            Some(cents) if *cents >= 0 => *cents,
            Some(_) => {
                return Err(PurchaseError::Invalid(
                    "Unit cost must not be negative".into(),
                ));
            }
            None => crate::store::products::unit_cost_cents(tx, product_id)?,
        };
        insert_po_line(
            tx,
            &NewPoLine {
                po_id,
                product_id,
                quantity: *quantity,
                unit_cost_cents,
                received_qty: 0,
                received_at: None,
            },
        )?;
    }
    Ok((po_id, po_number))
}

/// Creates a purchase order; promises are recomputed (its units may cover waiting lines).
pub fn create_po(
    store: &mut Store,
    input: &PoInput,
    clock: &Clock,
) -> Result<(PoId, String), PurchaseError> {
    let today = clock.today();
    let ordered_at = check_po(input, today)?;
    store.in_transaction_with(|tx| {
        let (po_id, po_number) = insert_po(tx, input, ordered_at)?;
        recompute(tx, today, &format!("{po_number} created"))?;
        Ok((po_id, po_number))
    })
}

/// Creates several purchase orders in one transaction (all or none; numbers in order), then
/// recomputes promises once. Every one is checked before the first is written.
pub fn create_pos(
    store: &mut Store,
    inputs: &[PoInput],
    clock: &Clock,
) -> Result<Vec<(PoId, String)>, PurchaseError> {
    let today = clock.today();
    let dates = inputs
        .iter()
        .map(|input| check_po(input, today))
        .collect::<Result<Vec<_>, _>>()?;
    store.in_transaction_with(|tx| {
        let mut created = Vec::new();
        for (input, ordered_at) in inputs.iter().zip(dates) {
            created.push(insert_po(tx, input, ordered_at).map_err(|error| {
                PurchaseError::Invalid(format!(
                    "{}: {error}; no purchase order was created",
                    input.supplier.trim()
                ))
            })?);
        }
        let numbers: Vec<&str> = created.iter().map(|(_, number)| number.as_str()).collect();
        recompute(tx, today, &format!("{} created", numbers.join(", ")))?;
        Ok(created)
    })
}

/// What a receipt did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiveReport {
    pub po_number: String,
    /// SKU and units received.
    pub received: Vec<(String, i64)>,
    /// Waiting lines that got stock, in queue order per SKU.
    pub allocated: Vec<Allocated>,
    /// Lines whose promise moved later (e.g. a short receipt).
    pub slips: usize,
}

/// Receives a PO on `date`: everything open, or `quantity` units of one SKU. Stock enters the
/// ledger and goes to waiting lines first (queue order); all in one transaction.
pub fn receive(
    store: &mut Store,
    po_number: &str,
    only: Option<(&str, i64)>,
    date: NaiveDate,
    clock: &Clock,
) -> Result<ReceiveReport, PurchaseError> {
    let refused = |error: limits::LimitError| {
        PurchaseError::Invalid(format!("{error}; nothing was received"))
    };
    limits::check_event_day("The arrival date", date, clock.today()).map_err(refused)?;
    if let Some((sku, quantity)) = only {
        limits::check_line_units(&format!("{}: the quantity received", sku.trim()), quantity)
            .map_err(refused)?;
    }
    let po_id = po_id_by_number(store.connection(), po_number)?.ok_or_else(|| {
        PurchaseError::Invalid(format!("No purchase order '{}'", po_number.trim()))
    })?;
    let detail = po_detail(store.connection(), po_id)?;
    if date < detail.summary.ordered_at {
        return Err(PurchaseError::Invalid(format!(
            "The arrival date {date} is before {} was ordered ({}); check the date; nothing was received",
            detail.summary.po_number, detail.summary.ordered_at
        )));
    }
    if !detail.summary.is_open() {
        return Err(PurchaseError::Invalid(format!(
            "{} is {}; nothing to receive",
            detail.summary.po_number,
            detail.summary.status_label().to_lowercase()
        )));
    }
    let mut plan: Vec<(i64, String, i64)> = Vec::new();
    match only {
        None => {
            for line in &detail.lines {
                if line.open_quantity() > 0 {
                    plan.push((line.po_line_id, line.sku.clone(), line.open_quantity()));
                }
            }
        }
        Some((sku, quantity)) => {
            let line = detail
                .lines
                .iter()
                .find(|line| line.sku == sku.trim() && line.open_quantity() > 0)
                .ok_or_else(|| {
                    PurchaseError::Invalid(format!(
                        "{} has no open line for SKU '{}'",
                        detail.summary.po_number,
                        sku.trim()
                    ))
                })?;
            plan.push((line.po_line_id, line.sku.clone(), quantity));
        }
    }
    if plan.is_empty() {
        return Err(PurchaseError::Invalid(format!(
            "Nothing is open on {}",
            detail.summary.po_number
        )));
    }
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let mut report = ReceiveReport {
            po_number: detail.summary.po_number.clone(),
            ..ReceiveReport::default()
        };
        let mut products = Vec::new();
        for (po_line_id, sku, quantity) in &plan {
            let product_id = receive_po_line(tx, *po_line_id, *quantity, date, &at)?;
            report.received.push((sku.clone(), *quantity));
            products.push(product_id);
        }
        refresh_po_status(tx, po_id)?;
        products.sort_unstable();
        products.dedup();
        for product_id in products {
            report.allocated.extend(reallocate(tx, product_id)?);
        }
        let promises = recompute(
            tx,
            clock.today(),
            &format!("receipt of {}", detail.summary.po_number),
        )?;
        super::notify::draft_ready(tx, &report.allocated, &at)?;
        report.slips = promises.slips.len();
        Ok(report)
    })
}

/// Moves a PO's expected date (the change is kept) and returns every promise that moved later.
pub fn move_po_date(
    store: &mut Store,
    po_number: &str,
    new_date: NaiveDate,
    clock: &Clock,
) -> Result<Vec<PromiseChangeRow>, PurchaseError> {
    limits::check_day("The expected arrival", new_date).map_err(|error| {
        PurchaseError::Invalid(format!("{error}; the purchase order was not changed"))
    })?;
    let po_id = po_id_by_number(store.connection(), po_number)?.ok_or_else(|| {
        PurchaseError::Invalid(format!("No purchase order '{}'", po_number.trim()))
    })?;
    let today = clock.today();
    let slips = store.in_transaction_with(|tx| {
        let old = set_po_expected(tx, po_id, new_date, today)?;
        let reason = match old {
            Some(old) => format!("{} moved from {old} to {new_date}", po_number.trim()),
            None => format!("{} dated {new_date}", po_number.trim()),
        };
        Ok::<_, PurchaseError>(recompute(tx, today, &reason)?.slips)
    })?;
    // The newest change of each slipped line (changes come newest first).
    let mut wanted: std::collections::HashSet<i64> =
        slips.iter().map(|slip| slip.line_id).collect();
    let changes = crate::store::promises::promise_changes_since(store.connection(), today)?;
    Ok(changes
        .into_iter()
        .filter(|change| wanted.remove(&change.line_id))
        .collect())
}

pub fn set_confirmed(
    store: &mut Store,
    po_id: PoId,
    confirmed: bool,
    clock: &Clock,
) -> Result<(), PurchaseError> {
    store.in_transaction_with(|tx| {
        set_po_confirmed(tx, po_id, confirmed)?;
        recompute(tx, clock.today(), "PO date confirmation changed")?;
        Ok(())
    })
}

/// Cancels a PO: its open units no longer count as on the way; promises are recomputed.
pub fn cancel(store: &mut Store, po_id: PoId, clock: &Clock) -> Result<usize, PurchaseError> {
    store.in_transaction_with(|tx| {
        cancel_po(tx, po_id)?;
        Ok(recompute(tx, clock.today(), "purchase order cancelled")?
            .slips
            .len())
    })
}
