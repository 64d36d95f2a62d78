//! Drafting customer messages from what happens to orders, and the Outbox actions.
//!
//! Drafting runs inside the transaction of the change that caused it (placing an order, a
//! promise that slipped, stock reaching waiting lines, a cancellation), so a change and its
//! draft land together. Each draft carries an event key; the same event never drafts twice, and
//! a newer draft of the same kind sets an unsent older one aside.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::Connection;
use thiserror::Error;

use super::Clock;
use super::orders::Allocated;
use crate::domain::email::address_problem;
use crate::domain::format_cents;
use crate::domain::notify::{
    CustomerInfo, LineInfo, MessageContext, MessageKind, OrderInfo, Rendered, ShopInfo,
    SubstituteInfo, TemplateError, render, sample_context, substitutes,
};
use crate::domain::order::LineState;
use crate::domain::promise::{
    DateStyle, EtaWindow, PromiseFlag, PromiseSlip, format_day, format_window,
};
use crate::io::eml::{EmlDraft, EmlError, eml_bytes, mailto_url};
use crate::store::messages::{
    DraftOutcome, Message, MessageStatus, NewMessage, add_draft, category_candidates,
    correct_customer_email, edit_draft, message, messages_with_status, reset_template,
    restore_draft, save_template, set_status, template, window_last_told,
};
use crate::store::orders::{OrderDetail, OrderId, OrderLineRow, line_owner, order_detail};
use crate::store::settings::{DATE_LOCALE, SENDER_EMAIL, SHOP_NAME, SIGNATURE};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("The template has an error: {0}")]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Eml(#[from] EmlError),
    #[error("{0}")]
    Invalid(String),
}

impl From<rusqlite::Error> for NotifyError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::from(error))
    }
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

/// The shop's date style: `intl` writes "3–7 Mar", anything else "Mar 3–7".
pub fn date_style(conn: &Connection) -> Result<DateStyle, StoreError> {
    Ok(
        match setting(conn, DATE_LOCALE)?.as_deref().map(str::trim) {
            Some("intl") => DateStyle::DayFirst,
            _ => DateStyle::MonthFirst,
        },
    )
}

/// Shop name, signature and sender address from the settings.
pub fn shop_info(conn: &Connection) -> Result<ShopInfo, StoreError> {
    let name = setting(conn, SHOP_NAME)?
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Our shop".to_owned());
    let signature = setting(conn, SIGNATURE)?
        .filter(|text| !text.trim().is_empty())
        .unwrap_or_else(|| format!("Kind regards,\n{name}"));
    let sender = setting(conn, SENDER_EMAIL)?.unwrap_or_default();
    Ok(ShopInfo {
        name,
        signature,
        sender,
    })
}

/// The template in use for a kind: the shop's own, or the default.
pub fn template_source(conn: &Connection, kind: MessageKind) -> Result<String, StoreError> {
    Ok(template(conn, kind)?.unwrap_or_else(|| kind.default_template().to_owned()))
}

/// A timestamp for `today`: the real time when `today` is the computer's day, noon otherwise
/// (the same rule as a fixed `Clock`).
fn stamp(today: NaiveDate) -> String {
    let now = Local::now().naive_local();
    let at: NaiveDateTime = if now.date() == today {
        now
    } else {
        today.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN))
    };
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn day_of(timestamp: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(timestamp.get(..10)?, "%Y-%m-%d").ok()
}

/// Why a waiting line has no date, in the customer's words.
fn no_date_reason(line: &OrderLineRow) -> String {
    let unknown = line
        .promise
        .as_ref()
        .is_some_and(|promise| promise.flags.contains(&PromiseFlag::DateUnknown));
    if line.state() == LineState::Preorder {
        "the release date has not been announced yet".to_owned()
    } else if unknown {
        "our supplier has not given us a delivery date yet".to_owned()
    } else {
        "no delivery is scheduled yet".to_owned()
    }
}

fn line_info(line: &OrderLineRow, style: DateStyle) -> LineInfo {
    let window = line.promise.as_ref().and_then(|promise| promise.window);
    let waiting = line.quantities.waiting();
    let known = window.is_some();
    LineInfo {
        sku: line.sku.clone(),
        name: line.name.clone(),
        quantity: line.quantities.ordered,
        quantity_now: line.quantities.reserved,
        quantity_waiting: waiting,
        badge: line.quantities.badge(line.policy, window).text(style),
        eta: window.map(|w| format_window(w, style)).unwrap_or_default(),
        eta_start: window
            .map(|w| format_day(w.start, style))
            .unwrap_or_default(),
        eta_end: window.map(|w| format_day(w.end, style)).unwrap_or_default(),
        eta_known: known,
        old_eta: String::new(),
        reason: if known || waiting == 0 {
            String::new()
        } else {
            no_date_reason(line)
        },
    }
}

fn context(
    conn: &Connection,
    detail: &OrderDetail,
    lines: Vec<LineInfo>,
) -> Result<MessageContext, StoreError> {
    let style = date_style(conn)?;
    let date = day_of(&detail.summary.ordered_at)
        .map(|day| format_day(day, style))
        .unwrap_or_default();
    Ok(MessageContext {
        shop: shop_info(conn)?,
        customer: CustomerInfo {
            name: detail.summary.customer_name.clone(),
            email: detail.summary.customer_email.clone(),
        },
        order: OrderInfo {
            number: detail.summary.order_number.clone(),
            date,
            amount: String::new(),
            ship_to: crate::domain::notify::ShipToInfo::from(&detail.ship_to),
        },
        lines,
        substitutes: Vec::new(),
    })
}

/// Renders with the shop's template; if that fails on this order's data, with the default
/// (a customer message is never lost to a template mistake).
fn render_kind(
    conn: &Connection,
    kind: MessageKind,
    context: &MessageContext,
) -> Result<Rendered, StoreError> {
    let source = template_source(conn, kind)?;
    render(&source, context)
        .or_else(|_| render(kind.default_template(), context))
        .map_err(|error| {
            StoreError::Invalid(format!(
                "the {} template cannot be used: {error}",
                kind.id()
            ))
        })
}

fn draft(
    conn: &Connection,
    detail: &OrderDetail,
    kind: MessageKind,
    event_key: &str,
    context: &MessageContext,
    now: &str,
) -> Result<DraftOutcome, StoreError> {
    // An order from a storefront export without an e-mail address (Etsy never gives one) gets
    // no draft: the Messages screen lists it instead. (A typed order without one is drafted and
    // flagged in the Outbox, as the shop may read it to the customer.)
    if detail.summary.customer_email.trim().is_empty() && detail.storefront.storefront.is_some() {
        return Ok(DraftOutcome::NoAddress);
    }
    let rendered = render_kind(conn, kind, context)?;
    add_draft(
        conn,
        &NewMessage {
            order_id: detail.summary.order_id,
            kind,
            event_key,
            recipient_name: &detail.summary.customer_name,
            recipient: &detail.summary.customer_email,
            subject: &rendered.subject,
            body: &rendered.body,
        },
        now,
    )
}

/// After an order is placed: a confirmation naming what ships now and what waits (a preorder
/// confirmation when everything waiting is a preorder). Orders filled from stock get none.
pub fn draft_confirmation(
    conn: &Connection,
    order_id: OrderId,
    now: &str,
) -> Result<Option<DraftOutcome>, StoreError> {
    let detail = order_detail(conn, order_id)?;
    let waiting: Vec<&OrderLineRow> = detail
        .lines
        .iter()
        .filter(|line| line.quantities.waiting() > 0)
        .collect();
    if waiting.is_empty() {
        return Ok(None);
    }
    let kind = if waiting
        .iter()
        .all(|line| line.state() == LineState::Preorder)
    {
        MessageKind::Preorder
    } else {
        MessageKind::Confirmation
    };
    let style = date_style(conn)?;
    let lines = detail
        .lines
        .iter()
        .filter(|line| line.quantities.open() > 0)
        .map(|line| line_info(line, style))
        .collect();
    let context = context(conn, &detail, lines)?;
    draft(conn, &detail, kind, "placed", &context, now).map(Some)
}

/// After promises slipped: one delay notice per order, naming each slipped line's new window
/// (or that there is none yet) and the old one.
pub fn draft_delays(
    conn: &Connection,
    slips: &[PromiseSlip],
    today: NaiveDate,
) -> Result<Vec<DraftOutcome>, StoreError> {
    let mut by_order: BTreeMap<OrderId, Vec<&PromiseSlip>> = BTreeMap::new();
    for slip in slips {
        let (order_id, _) = line_owner(conn, slip.line_id)?;
        by_order.entry(order_id).or_default().push(slip);
    }
    let style = date_style(conn)?;
    let now = stamp(today);
    let mut outcomes = Vec::new();
    for (order_id, slips) in by_order {
        let detail = order_detail(conn, order_id)?;
        let mut lines = Vec::new();
        let mut key = String::from("delay");
        for slip in &slips {
            let Some(line) = detail
                .lines
                .iter()
                .find(|line| line.line_id == slip.line_id)
            else {
                continue;
            };
            if line.quantities.waiting() == 0 {
                continue;
            }
            let mut info = line_info(line, style);
            // "Before" is what the customer was told, not an unsent draft's window.
            let told = window_last_told(conn, order_id, slip.line_id)?.and_then(|(start, end)| {
                Some(EtaWindow {
                    start: NaiveDate::parse_from_str(&start, "%Y-%m-%d").ok()?,
                    end: NaiveDate::parse_from_str(&end, "%Y-%m-%d").ok()?,
                })
            });
            info.old_eta = told
                .or(slip.old)
                .map(|w| format_window(w, style))
                .unwrap_or_default();
            lines.push(info);
            key.push_str(&format!(
                ":{}@{}",
                slip.line_id,
                slip.new
                    .map_or_else(|| "unknown".to_owned(), |w| w.end.to_string())
            ));
        }
        if lines.is_empty() {
            continue;
        }
        let context = context(conn, &detail, lines)?;
        outcomes.push(draft(
            conn,
            &detail,
            MessageKind::Delay,
            &key,
            &context,
            &now,
        )?);
    }
    Ok(outcomes)
}

/// After stock reached waiting lines: a "ready" message per order for the lines that waited
/// (had units backordered when ordered) and are now wholly reserved. A ship-complete order gets
/// it only when every line is ready.
pub fn draft_ready(
    conn: &Connection,
    allocated: &[Allocated],
    now: &str,
) -> Result<Vec<DraftOutcome>, StoreError> {
    let mut orders = BTreeSet::new();
    for moved in allocated.iter().filter(|moved| moved.quantity > 0) {
        orders.insert(line_owner(conn, moved.line_id)?.0);
    }
    let style = date_style(conn)?;
    let mut outcomes = Vec::new();
    for order_id in orders {
        let detail = order_detail(conn, order_id)?;
        let open: Vec<&OrderLineRow> = detail
            .lines
            .iter()
            .filter(|line| line.quantities.open() > 0)
            .collect();
        if detail.summary.ship_complete && open.iter().any(|line| line.quantities.waiting() > 0) {
            continue;
        }
        let ready: Vec<&OrderLineRow> = open
            .into_iter()
            .filter(|line| {
                line.quantities.waiting() == 0
                    && waited_at_order(conn, line.line_id).unwrap_or(false)
            })
            .collect();
        if ready.is_empty() {
            continue;
        }
        let mut key = String::from("ready");
        let lines = ready
            .iter()
            .map(|line| {
                key.push_str(&format!(":{}", line.line_id));
                let mut info = line_info(line, style);
                info.quantity = line.quantities.open();
                info
            })
            .collect();
        let context = context(conn, &detail, lines)?;
        outcomes.push(draft(
            conn,
            &detail,
            MessageKind::Ready,
            &key,
            &context,
            now,
        )?);
    }
    Ok(outcomes)
}

/// After a failed capture: asks the customer to update the payment for the lines that are ready
/// to ship (reserved units), naming the amount. `attempt` (the capture attempt that failed)
/// keys the event, so each failure drafts once.
pub fn draft_payment(
    conn: &Connection,
    order_id: OrderId,
    amount_cents: i64,
    attempt: i64,
    now: &str,
) -> Result<DraftOutcome, StoreError> {
    let detail = order_detail(conn, order_id)?;
    let style = date_style(conn)?;
    let lines = detail
        .lines
        .iter()
        .filter(|line| line.quantities.reserved > 0 && line.quantities.open() > 0)
        .map(|line| {
            let mut info = line_info(line, style);
            info.quantity = line.quantities.reserved.min(line.quantities.open());
            info
        })
        .collect();
    let mut context = context(conn, &detail, lines)?;
    context.order.amount = format_cents(amount_cents);
    draft(
        conn,
        &detail,
        MessageKind::Payment,
        &format!("payment:{attempt}"),
        &context,
        now,
    )
}

fn waited_at_order(conn: &Connection, line_id: i64) -> Result<bool, StoreError> {
    let units: i64 = conn
        .prepare_cached("SELECT backordered_at_order_qty FROM order_lines WHERE line_id = ?1")?
        .query_row([line_id], |row| row.get(0))?;
    Ok(units > 0)
}

/// After a cancellation: the cancelled lines (line id, units cancelled) of one order.
pub fn draft_cancellation(
    conn: &Connection,
    order_id: OrderId,
    cancelled: &[(i64, i64)],
    now: &str,
) -> Result<Option<DraftOutcome>, StoreError> {
    let cancelled: Vec<&(i64, i64)> = cancelled.iter().filter(|(_, units)| *units > 0).collect();
    if cancelled.is_empty() {
        return Ok(None);
    }
    let detail = order_detail(conn, order_id)?;
    let style = date_style(conn)?;
    let mut key = String::from("cancel");
    let mut lines = Vec::new();
    for (line_id, units) in cancelled {
        let Some(line) = detail.lines.iter().find(|line| line.line_id == *line_id) else {
            continue;
        };
        key.push_str(&format!(":{line_id}x{}", line.quantities.cancelled));
        let mut info = line_info(line, style);
        info.quantity = *units;
        lines.push(info);
    }
    let context = context(conn, &detail, lines)?;
    draft(
        conn,
        &detail,
        MessageKind::Cancellation,
        &key,
        &context,
        now,
    )
    .map(Some)
}

/// On request: offers in-stock alternatives for an order's waiting lines (same category,
/// price within ±20%, the 3 with most stock per line).
pub fn draft_substitution(
    store: &mut Store,
    order_id: OrderId,
    clock: &Clock,
) -> Result<DraftOutcome, NotifyError> {
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        let detail = order_detail(tx, order_id)?;
        let style = date_style(tx)?;
        let waiting: Vec<&OrderLineRow> = detail
            .lines
            .iter()
            .filter(|line| line.quantities.waiting() > 0)
            .collect();
        if waiting.is_empty() {
            return Err(NotifyError::Invalid(format!(
                "Nothing of order {} is waiting",
                detail.summary.order_number
            )));
        }
        let mut offered: Vec<SubstituteInfo> = Vec::new();
        let mut key = String::from("substitution");
        for line in &waiting {
            key.push_str(&format!(":{}", line.line_id));
            let candidates = category_candidates(tx, &product_category(tx, line)?)?;
            let Some(target) = candidates
                .iter()
                .find(|candidate| candidate.product_id == line.product_id.0)
            else {
                continue;
            };
            for found in substitutes(target, &candidates) {
                if offered.iter().all(|seen| seen.sku != found.sku) {
                    offered.push(SubstituteInfo {
                        sku: found.sku,
                        name: found.name,
                        price: format_cents(found.price_cents),
                        available: found.available,
                    });
                }
            }
        }
        if offered.is_empty() {
            return Err(NotifyError::Invalid(
                "No product of the same category within ±20% of the price is in stock".into(),
            ));
        }
        let lines = waiting.iter().map(|line| line_info(line, style)).collect();
        let mut context = context(tx, &detail, lines)?;
        context.substitutes = offered;
        match draft(tx, &detail, MessageKind::Substitution, &key, &context, &now)? {
            DraftOutcome::NoAddress => Err(NotifyError::Invalid(format!(
                "Order {}: the customer has no e-mail address, so no message was drafted; add \
                 the address on the order first",
                detail.summary.order_number
            ))),
            outcome => Ok(outcome),
        }
    })
}

fn product_category(conn: &Connection, line: &OrderLineRow) -> Result<String, StoreError> {
    Ok(conn
        .prepare_cached("SELECT category FROM products WHERE product_id = ?1")?
        .query_row([line.product_id.0], |row| row.get(0))?)
}

/// The live preview of a template on the sample order, with the shop's own name and signature.
pub fn preview(store: &Store, kind: MessageKind, source: &str) -> Result<Rendered, NotifyError> {
    let mut context = sample_context(kind);
    context.shop = shop_info(store.connection())?;
    Ok(render(source, &context)?)
}

/// Saves a template only if it renders on the sample order: a broken template never replaces a
/// working one.
pub fn save_checked_template(
    store: &Store,
    kind: MessageKind,
    source: &str,
    clock: &Clock,
) -> Result<(), NotifyError> {
    preview(store, kind, source)?;
    save_template(store.connection(), kind, source, &clock.now_text())?;
    Ok(())
}

/// Goes back to the default template.
pub fn reset_to_default(store: &Store, kind: MessageKind) -> Result<(), NotifyError> {
    Ok(reset_template(store.connection(), kind)?)
}

/// Unsent drafts, newest first.
pub fn outbox(store: &Store) -> Result<Vec<Message>, NotifyError> {
    Ok(messages_with_status(
        store.connection(),
        &[MessageStatus::Draft],
        None,
    )?)
}

/// Sent and discarded messages, newest first; at most `limit` (`None`: all).
pub fn history(store: &Store, limit: Option<usize>) -> Result<Vec<Message>, NotifyError> {
    Ok(messages_with_status(
        store.connection(),
        &[MessageStatus::Sent, MessageStatus::Discarded],
        limit,
    )?)
}

/// Saves the shop's edits of a draft: recipient address, subject and body. A corrected address
/// is checked, and also becomes the customer's address when the customer had the old one (so
/// the next drafts are right).
pub fn save_edit(
    store: &mut Store,
    message_id: i64,
    edit: &DraftEdit,
    clock: &Clock,
) -> Result<(), NotifyError> {
    if edit.subject.trim().is_empty() {
        return Err(NotifyError::Invalid("The subject is empty".into()));
    }
    let recipient = edit.recipient.trim();
    if recipient.is_empty() {
        return Err(NotifyError::Invalid(
            "The To address is empty; a message needs the customer's e-mail address".into(),
        ));
    }
    if let Some(reason) = address_problem(recipient) {
        return Err(NotifyError::Invalid(format!(
            "'{}' is not a valid e-mail address: {reason}",
            recipient.escape_debug()
        )));
    }
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        let before = message(tx, message_id)?;
        if !edit_draft(
            tx,
            message_id,
            recipient,
            edit.subject.trim(),
            &edit.body,
            &now,
        )? {
            return Err(NotifyError::Invalid("Only drafts can be edited".into()));
        }
        if before.recipient.trim() != recipient {
            correct_customer_email(tx, before.order_id, &before.recipient, recipient)?;
        }
        Ok(())
    })
}

/// What the shop changed in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftEdit {
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

pub fn mark_sent(store: &Store, message_id: i64, clock: &Clock) -> Result<(), NotifyError> {
    change_status(store, message_id, MessageStatus::Sent, *clock)
}

pub fn discard(store: &Store, message_id: i64, clock: &Clock) -> Result<(), NotifyError> {
    change_status(store, message_id, MessageStatus::Discarded, *clock)
}

/// Undo of discard.
pub fn restore(store: &Store, message_id: i64, clock: &Clock) -> Result<(), NotifyError> {
    if restore_draft(store.connection(), message_id, &clock.now_text())? {
        Ok(())
    } else {
        Err(NotifyError::Invalid(
            "This message cannot be restored: a newer draft of the same kind exists".into(),
        ))
    }
}

fn change_status(
    store: &Store,
    message_id: i64,
    status: MessageStatus,
    clock: Clock,
) -> Result<(), NotifyError> {
    if set_status(store.connection(), message_id, status, &clock.now_text())? {
        Ok(())
    } else {
        Err(NotifyError::Invalid(
            "This message is no longer a draft".into(),
        ))
    }
}

/// The message as an RFC 5322 file (`.eml`), From the shop's sender address.
pub fn eml_for(store: &Store, message_id: i64, clock: &Clock) -> Result<Vec<u8>, NotifyError> {
    let message = message(store.connection(), message_id)?;
    let shop = shop_info(store.connection())?;
    let draft = EmlDraft {
        id: message.message_id,
        order_number: &message.order_number,
        recipient_name: &message.recipient_name,
        recipient: &message.recipient,
        subject: &message.subject,
        body: &message.body,
    };
    Ok(eml_bytes(&draft, &shop, clock.now())?)
}

/// A `mailto:` link that opens the message in the mail program (refused when the recipient's
/// address is not valid).
pub fn mailto_for(store: &Store, message_id: i64) -> Result<String, NotifyError> {
    let message = message(store.connection(), message_id)?;
    Ok(mailto_url(&EmlDraft {
        id: message.message_id,
        order_number: &message.order_number,
        recipient_name: &message.recipient_name,
        recipient: &message.recipient,
        subject: &message.subject,
        body: &message.body,
    })?)
}

/// Why a message's recipient cannot be written to (no address, or not a valid one); `None`
/// when it can. The Outbox flags such drafts.
pub fn recipient_problem(message: &Message) -> Option<String> {
    let address = message.recipient.trim();
    if address.is_empty() {
        return Some(format!(
            "Order {}: the customer has no e-mail address",
            message.order_number
        ));
    }
    address_problem(address).map(|reason| {
        EmlError::BadRecipient {
            order: message.order_number.clone(),
            address: address.to_owned(),
            reason,
        }
        .to_string()
    })
}

/// Characters of the order number kept in an exported file's name (the whole number is in the
/// file, in its `X-Order-Number` header).
pub const FILE_NAME_ORDER_CHARS: usize = 40;

/// Keeps letters, digits, `-` and `_` of `text` (anything else becomes `_`), at most `limit`
/// characters: safe in a file name on every system (no `/`, `\`, `:`, `?`, `*`, dots, …).
fn file_name_part(text: &str, limit: usize) -> String {
    text.chars()
        .take(limit)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The file name of a message's `.eml`, without the folder: kind, order number (letters,
/// digits, `-` and `_` kept, anything else `_`, at most [`FILE_NAME_ORDER_CHARS`] characters)
/// and the message's own number, e.g. `delay-SO-1042-msg17.eml`. Two messages never share a
/// name, whatever their order numbers.
pub fn eml_file_name(message: &Message) -> String {
    format!("{}.eml", eml_file_stem(message))
}

fn eml_file_stem(message: &Message) -> String {
    format!(
        "{}-{}-msg{}",
        file_name_part(&message.kind_id, 20),
        file_name_part(&message.order_number, FILE_NAME_ORDER_CHARS),
        message.message_id
    )
}

/// Writes one `.eml` per unsent draft into `dir` (created if missing); with `mark_sent` the
/// drafts written become sent. Each file gets a name of its own ([`eml_file_name`]); a file
/// already in the folder is never replaced (the new one gets `-2`, `-3`, … after its name). A
/// draft whose address cannot be used is left in the Outbox and reported. A file that cannot be
/// written stops the export: the drafts written before it are still marked sent (and listed),
/// the rest stay in the Outbox, and [`DraftExport::stopped`] says why.
pub fn export_drafts(
    store: &mut Store,
    dir: &Path,
    mark_sent: bool,
    clock: &Clock,
) -> Result<DraftExport, NotifyError> {
    std::fs::create_dir_all(dir).map_err(|error| {
        NotifyError::Invalid(format!("Cannot create {}: {error}", dir.display()))
    })?;
    let drafts = outbox(store)?;
    let mut export = DraftExport::default();
    let mut sent = Vec::new();
    for draft in &drafts {
        if let Some(problem) = recipient_problem(draft) {
            export.skipped.push(problem);
            continue;
        }
        let bytes = eml_for(store, draft.message_id, clock)?;
        match crate::io::write_new_file(dir, &eml_file_stem(draft), "eml", &bytes) {
            Ok(path) => {
                export.written.push(path);
                sent.push(draft.message_id);
            }
            Err(error) => {
                export.stopped = Some(format!(
                    "Cannot write the message of order {} into {}: {error}",
                    draft.order_number,
                    dir.display()
                ));
                break;
            }
        }
    }
    if mark_sent && !sent.is_empty() {
        let now = clock.now_text();
        store.in_transaction_with(|tx| {
            for message_id in &sent {
                set_status(tx, *message_id, MessageStatus::Sent, &now)?;
            }
            Ok::<_, NotifyError>(())
        })?;
    }
    Ok(export)
}

/// What [`export_drafts`] wrote, and the drafts it left in the Outbox because their address
/// cannot be used (each with the reason).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftExport {
    pub written: Vec<PathBuf>,
    pub skipped: Vec<String>,
    /// Why the export stopped before the end (a file could not be written), if it did.
    pub stopped: Option<String>,
}
