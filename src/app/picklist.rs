//! Pick lists and packing slips: build a list from what is ready, print it again, mark it
//! picked (ships exactly the listed units), and the packing slip of an order.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

use chrono::NaiveDateTime;

use crate::domain::order::OrderStatus;
use crate::domain::ship_to::ShipTo;
use thiserror::Error;

use super::Clock;
use super::promises::recompute;
use crate::domain::allocation::Priority;
use crate::domain::backup::BackupReason;
use crate::domain::picklist::{
    Paper, PickLayout, PickOrder, SlipContent, SlipSource, date_style_for_locale, packing_slip,
    plan, replan,
};
use crate::domain::promise::DateStyle;
use crate::io::picklist_pdf::{self, PdfError, PickListDocument, SlipDocument};
use crate::store::Connection;
use crate::store::orders::{
    OrderDetail, OrderId, line_owner, order_detail, order_id_by_number, order_summary,
    refresh_order_status, ship_line_units,
};
use crate::store::picklist::{
    PickListStatus, StoredPickList, candidate_orders, insert_pick_list, list_orders,
    next_list_number, pick_list, save_sheet, saved_sheet, set_picked,
};
use crate::store::settings::{DATE_LOCALE, PAPER_SIZE, SHOP_NAME};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum PickListError {
    #[error("{0}")]
    Invalid(String),
    /// Stock changed since the list was printed.
    #[error(
        "Pick list {list} is out of date: {detail}. Nothing was shipped; print a new pick list"
    )]
    Stale { list: String, detail: String },
    #[error("cannot write the PDF: {0}")]
    Pdf(#[from] PdfError),
    #[error("cannot write '{path}': {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How documents look for this shop: its name, date style and paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSettings {
    pub shop_name: String,
    pub date_style: DateStyle,
    pub paper: Paper,
}

/// Reads the shop name, `date_locale` and `paper_size` settings.
pub fn document_settings(store: &Store) -> Result<DocumentSettings, PickListError> {
    let locale = store.setting(DATE_LOCALE)?;
    let paper = store.setting(PAPER_SIZE)?;
    let shop_name = store
        .setting(SHOP_NAME)?
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Backorder Desk".to_owned());
    Ok(DocumentSettings {
        shop_name,
        date_style: date_style_for_locale(locale.as_deref()),
        paper: Paper::from_settings(paper.as_deref(), locale.as_deref()),
    })
}

/// Which orders go on a new list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickListRequest {
    pub layout: PickLayout,
    /// Order numbers; `None`: every ready order.
    pub orders: Option<Vec<String>>,
}

/// A list, ready to render: what the PDF needs and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickListSheet {
    pub list_number: String,
    pub created_at: NaiveDateTime,
    pub layout: PickLayout,
    pub status: PickListStatus,
    pub orders: Vec<PickOrder>,
    /// Where each order goes (its ship-to address on one line), by order id.
    pub ship_to: std::collections::HashMap<i64, String>,
}

impl PickListSheet {
    /// The document for the PDF writer.
    pub fn document<'a>(
        &'a self,
        settings: &'a DocumentSettings,
        layout: PickLayout,
    ) -> PickListDocument<'a> {
        PickListDocument {
            shop_name: &settings.shop_name,
            list_number: &self.list_number,
            created_at: self.created_at,
            layout,
            date_style: settings.date_style,
            orders: &self.orders,
        }
    }
}

fn parse_created(text: &str) -> NaiveDateTime {
    crate::store::codec::parse_datetime(text).unwrap_or_default()
}

/// The order numbers of every order with something ready to pick, in the order of work a new
/// list would print them in: orders that waited first, then high priority, then the oldest.
pub fn order_of_work(store: &Store) -> Result<Vec<String>, PickListError> {
    Ok(plan(candidate_orders(store.connection(), None)?)
        .into_iter()
        .map(|order| order.order_number)
        .collect())
}

/// Builds and saves a new pick list of every ready order (or the chosen ones): each order's
/// reserved units, ship-complete orders only when complete, in the order of work.
pub fn create_pick_list(
    store: &mut Store,
    request: &PickListRequest,
    clock: &Clock,
) -> Result<PickListSheet, PickListError> {
    let now = clock.now();
    let created_at = clock.now_text();
    store.in_transaction_with(|tx| {
        let selection = match &request.orders {
            None => None,
            Some(numbers) => {
                if numbers.is_empty() {
                    return Err(PickListError::Invalid("Choose at least one order".into()));
                }
                let mut ids = Vec::with_capacity(numbers.len());
                for number in numbers {
                    let id = order_id_by_number(tx, number)?.ok_or_else(|| {
                        PickListError::Invalid(format!("No order '{}'", number.trim()))
                    })?;
                    ids.push(id);
                }
                Some(ids)
            }
        };
        // Orders whose card payment is not captured (or failed) stay off the list.
        let mut held: Vec<(i64, String)> = Vec::new();
        let mut candidates = candidate_orders(tx, selection.as_deref())?;
        let mut kept = Vec::with_capacity(candidates.len());
        for candidate in candidates.drain(..) {
            let summary = order_summary(tx, candidate.order_id)?;
            match summary.payment_gate().refusal(&summary.order_number) {
                Some(reason) => held.push((candidate.order_id.0, reason)),
                None => kept.push(candidate),
            }
        }
        let orders = plan(kept);
        if let Some(ids) = &selection {
            for id in ids {
                if let Some((_, reason)) = held.iter().find(|(order_id, _)| *order_id == id.0) {
                    return Err(PickListError::Invalid(reason.clone()));
                }
                if !orders.iter().any(|order| order.order_id == *id) {
                    let summary = order_summary(tx, *id)?;
                    return Err(PickListError::Invalid(format!(
                        "Order {} has nothing ready to pick{}",
                        summary.order_number,
                        if summary.held_for_completion() {
                            " (it ships complete and some units still wait)"
                        } else {
                            ""
                        }
                    )));
                }
            }
        }
        if orders.is_empty() {
            if !held.is_empty() {
                return Err(PickListError::Invalid(format!(
                    "Nothing is ready to pick: {} ready order(s) wait for their payment to be captured (Orders > Capture payment)",
                    held.len()
                )));
            }
            return Err(PickListError::Invalid(
                "Nothing is ready to pick: no open order has reserved stock".into(),
            ));
        }
        let lines: Vec<(i64, i64)> = orders
            .iter()
            .flat_map(|order| order.lines.iter().map(|line| (line.line_id, line.pick)))
            .collect();
        let list_number = next_list_number(tx)?;
        let pick_list_id =
            insert_pick_list(tx, &list_number, &created_at, request.layout, &lines)?;
        save_sheet(tx, pick_list_id, &orders)?;
        let ship_to = addresses(tx, &orders)?;
        Ok(PickListSheet {
            list_number,
            created_at: now,
            layout: request.layout,
            status: PickListStatus::Open,
            orders,
            ship_to,
        })
    })
}

fn find_list(store: &Store, list_number: &str) -> Result<StoredPickList, PickListError> {
    pick_list(store.connection(), list_number)?
        .ok_or_else(|| PickListError::Invalid(format!("No pick list '{}'", list_number.trim())))
}

/// A saved list again, exactly as it was made (for re-printing).
pub fn load_pick_list(store: &Store, list_number: &str) -> Result<PickListSheet, PickListError> {
    let list = find_list(store, list_number)?;
    // What was printed is kept; lists made before that are planned again from their lines.
    let saved = saved_sheet(store.connection(), list.pick_list_id)?;
    let orders = match saved {
        Some(orders) => orders,
        None => replan(
            list_orders(store.connection(), list.pick_list_id)?,
            &list.lines,
        ),
    };
    let ship_to = addresses(store.connection(), &orders)?;
    Ok(PickListSheet {
        list_number: list.list_number,
        created_at: parse_created(&list.created_at),
        layout: list.layout,
        status: list.status,
        orders,
        ship_to,
    })
}

/// The ship-to address of each order on a list, on one line, by order id (orders without one
/// are left out).
fn addresses(
    conn: &Connection,
    orders: &[PickOrder],
) -> Result<std::collections::HashMap<i64, String>, PickListError> {
    let ids: Vec<i64> = orders.iter().map(|order| order.order_id.0).collect();
    Ok(crate::store::shop_orders::ship_to_of_orders(conn, &ids)?
        .into_iter()
        .map(|(order_id, address)| (order_id, address.one_line()))
        .collect())
}

/// What marking a list picked shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedReport {
    pub list_number: String,
    /// Order numbers in the order they were shipped (the order of work).
    pub orders: Vec<String>,
    pub units: i64,
    /// Orders now completely shipped.
    pub completed: Vec<String>,
}

/// Marks a list picked: ships exactly its units line by line (shipment movements in the
/// ledger), closes the orders that are complete and recomputes promises, all in one
/// transaction. A list whose stock changed since it was printed ships nothing.
pub fn mark_picked(
    store: &mut Store,
    list_number: &str,
    clock: &Clock,
) -> Result<PickedReport, PickListError> {
    let list = find_list(store, list_number)?;
    if list.status == PickListStatus::Picked {
        return Err(PickListError::Invalid(format!(
            "Pick list {} was already marked picked{}",
            list.list_number,
            list.picked_at
                .as_deref()
                .map(|at| format!(" on {}", at.get(..16).unwrap_or(at)))
                .unwrap_or_default()
        )));
    }
    super::backup::backup_before(store, BackupReason::Picked, clock)?;
    let at = clock.now_text();
    store.in_transaction_with(|tx| {
        let stale = |detail: String| PickListError::Stale {
            list: list.list_number.clone(),
            detail,
        };
        let mut orders: Vec<(OrderId, String)> = Vec::new();
        let mut details: HashMap<OrderId, OrderDetail> = HashMap::new();
        // Check everything before writing anything.
        for (line_id, units) in &list.lines {
            let (order_id, _) = line_owner(tx, *line_id)?;
            let detail = match details.entry(order_id) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => entry.insert(order_detail(tx, order_id)?),
            };
            let summary = &detail.summary;
            if summary.status != OrderStatus::Open {
                return Err(stale(format!(
                    "order {} is {}",
                    summary.order_number, summary.status
                )));
            }
            if summary.held_for_completion() {
                return Err(stale(format!(
                    "order {} ships complete and {} unit(s) now wait",
                    summary.order_number, summary.units_waiting
                )));
            }
            if let Some(reason) = summary.payment_gate().refusal(&summary.order_number) {
                return Err(stale(reason));
            }
            let Some(line) = detail.lines.iter().find(|l| l.line_id == *line_id) else {
                return Err(stale(format!(
                    "a line of order {} is gone",
                    summary.order_number
                )));
            };
            let reserved = line.quantities.reserved.min(line.quantities.open());
            if reserved < *units {
                return Err(stale(format!(
                    "{} of order {} has {reserved} reserved unit(s), the list says {units}",
                    line.sku, summary.order_number
                )));
            }
            if !orders.iter().any(|(id, _)| *id == order_id) {
                orders.push((order_id, summary.order_number.clone()));
            }
        }
        let mut units_shipped = 0;
        for (line_id, units) in &list.lines {
            ship_line_units(tx, *line_id, *units, &at)?;
            units_shipped += units;
        }
        let mut completed = Vec::new();
        for (order_id, number) in &orders {
            refresh_order_status(tx, *order_id, &at)?;
            if order_summary(tx, *order_id)?.status == OrderStatus::Shipped {
                completed.push(number.clone());
            }
        }
        set_picked(tx, list.pick_list_id, &at)?;
        recompute(
            tx,
            clock.today(),
            &format!("pick list {} shipped", list.list_number),
        )?;
        Ok(PickedReport {
            list_number: list.list_number.clone(),
            orders: orders.into_iter().map(|(_, number)| number).collect(),
            units: units_shipped,
            completed,
        })
    })
}

/// Renders a list as PDF bytes.
pub fn pick_list_pdf(
    sheet: &PickListSheet,
    settings: &DocumentSettings,
    layout: PickLayout,
    paper: Paper,
) -> Result<Vec<u8>, PickListError> {
    Ok(picklist_pdf::render_pick_list_with(
        &sheet.document(settings, layout),
        paper,
        &sheet.ship_to,
    )?)
}

/// What a packing slip shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipSheet {
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub ordered_at: String,
    pub priority: Priority,
    pub content: SlipContent,
    /// Where the parcel goes (empty fields when the order has no address).
    pub ship_to: ShipTo,
}

/// The packing slip of an order: what has shipped and what is still to follow.
pub fn load_packing_slip(
    store: &Store,
    order_number: &str,
    style: DateStyle,
) -> Result<SlipSheet, PickListError> {
    let order_id = order_id_by_number(store.connection(), order_number)?
        .ok_or_else(|| PickListError::Invalid(format!("No order '{}'", order_number.trim())))?;
    let detail = order_detail(store.connection(), order_id)?;
    let sources: Vec<SlipSource> = detail
        .lines
        .iter()
        .map(|line| SlipSource {
            sku: line.sku.clone(),
            name: line.name.clone(),
            quantities: line.quantities,
            window: line.promise.as_ref().and_then(|p| p.window),
        })
        .collect();
    Ok(SlipSheet {
        order_number: detail.summary.order_number.clone(),
        customer_name: detail.summary.customer_name.clone(),
        customer_email: detail.summary.customer_email.clone(),
        ordered_at: detail.summary.ordered_at.clone(),
        priority: detail.summary.priority,
        content: packing_slip(&sources, style),
        ship_to: detail.ship_to.clone(),
    })
}

/// Renders a packing slip as PDF bytes.
pub fn packing_slip_pdf(
    slip: &SlipSheet,
    settings: &DocumentSettings,
    paper: Paper,
    printed_at: NaiveDateTime,
) -> Result<Vec<u8>, PickListError> {
    let ordered_on = crate::store::codec::parse_date(&slip.ordered_at);
    let ship_to = slip.ship_to.lines();
    Ok(picklist_pdf::render_packing_slip(
        &SlipDocument {
            shop_name: &settings.shop_name,
            order_number: &slip.order_number,
            customer_name: &slip.customer_name,
            customer_email: &slip.customer_email,
            ship_to: &ship_to,
            ordered_on,
            printed_at,
            date_style: settings.date_style,
            content: &slip.content,
        },
        paper,
    )?)
}

/// Writes PDF bytes to a file (through a temporary file, so a failure leaves no half file).
pub fn write_pdf(path: &Path, bytes: &[u8]) -> Result<(), PickListError> {
    crate::io::write_atomically(path, |out| out.write_all(bytes)).map_err(|source| {
        PickListError::Write {
            path: path.display().to_string(),
            source,
        }
    })
}
