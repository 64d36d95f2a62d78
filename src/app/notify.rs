//! Drafting customer messages from what happens to orders, and the Outbox actions.
//!
//! Drafting runs inside the transaction of the change that caused it (placing an order, a
//! promise that slipped, stock reaching waiting lines, a shipment, a cancellation), so a change
//! and its drafts land together. [`reconcile_order`] is the one place that decides: it asks
//! [`crate::domain::drafting::plan`] which drafts the order needs from its current state and
//! keeps one current draft per order and purpose, superseding (with the reason) every unsent
//! draft that stopped being true. A sent message is never changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::store::Connection;
use crate::store::codec::{datetime_text, parse_date};
use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
use thiserror::Error;

use super::Clock;
use crate::domain::allocation::Allocated;
use crate::domain::drafting::{
    CurrentDraft, DraftSpec, LineFacts, OrderFacts, PlannedLine, Purpose, Step, Told, Triggers,
    plan,
};
use crate::domain::email::address_problem;
use crate::domain::format_cents;
use crate::domain::legal::{
    Answer, DEFAULT_STATED_SHIP_DAYS, LegalRule, LineClock, Notice, NoticeTerms, evaluate,
    notice_terms, promised_by,
};
use crate::domain::notify::{
    CustomerInfo, LineInfo, MessageContext, MessageKind, NoticeInfo, OrderInfo, Rendered, ShopInfo,
    SubstituteInfo, TemplateError, render, sample_context, substitutes,
};
use crate::domain::order::LineState;
use crate::domain::payment::PaymentState;
use crate::domain::promise::{
    DateStyle, EtaWindow, PromiseChange, PromiseFlag, PromiseSlip, format_day, format_window,
};
use crate::io::eml::{EmlDraft, EmlError, eml_bytes, mailto_url};
use crate::store::legal::{Commitment, latest_answer, order_commitments, record_commitment};
use crate::store::messages::{
    DraftOutcome, Message, MessageLine, MessageStatus, NewMessage, ToldLine, add_draft,
    category_candidates, confirmation_handled, correct_customer_email, edit_draft, message,
    messages_with_status, order_drafts, orders_with_drafts, reset_template, restore_draft,
    save_template, set_status, supersede, template, told_lines,
};
use crate::store::orders::{OrderDetail, OrderId, OrderLineRow, line_owner, order_detail};
use crate::store::settings::{self, LEGAL_RULE, STATED_SHIP_DAYS};
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

/// The shop's date style: `intl` writes "3–7 Mar", anything else "Mar 3–7".
pub fn date_style(conn: &Connection) -> Result<DateStyle, StoreError> {
    settings::date_style(conn)
}

/// Shop name, signature and sender address from the settings.
pub fn shop_info(conn: &Connection) -> Result<ShopInfo, StoreError> {
    settings::shop_info(conn)
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
    datetime_text(at)
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
        ship_by: window.map(|w| format_day(w.end, style)).unwrap_or_default(),
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
    let date = parse_date(&detail.summary.ordered_at)
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
        notice: NoticeInfo::default(),
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

/// An order from a storefront export without an e-mail address (Etsy never gives one) gets no
/// draft: the Messages screen lists it instead. (A typed order without one is drafted and
/// flagged in the Outbox, as the shop may read it to the customer.)
fn held_without_address(detail: &OrderDetail) -> bool {
    detail.summary.customer_email.trim().is_empty() && detail.storefront.storefront.is_some()
}

/// Adds a drafted message of an event (payment, cancellation, substitution offer).
fn draft(
    conn: &Connection,
    detail: &OrderDetail,
    kind: MessageKind,
    event_key: &str,
    context: &MessageContext,
    lines: &[MessageLine],
    now: &str,
) -> Result<DraftOutcome, StoreError> {
    if held_without_address(detail) {
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
            lines,
            replaces_reason: "A newer draft of the same kind took its place",
        },
        now,
    )
}

/// The consumer rule the shop follows and the shipping time it states for in-stock orders.
pub fn legal_settings(conn: &Connection) -> Result<(LegalRule, i64), StoreError> {
    let rule = settings::get(conn, LEGAL_RULE)?
        .as_deref()
        .and_then(LegalRule::from_code)
        .unwrap_or_default();
    let days = settings::get(conn, STATED_SHIP_DAYS)?
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|days| (1..=365).contains(days))
        .unwrap_or(DEFAULT_STATED_SHIP_DAYS);
    Ok((rule, days))
}

/// The day of a stored timestamp, or the computer's day.
fn today_of(now: &str) -> NaiveDate {
    parse_date(now).unwrap_or_else(|| Local::now().date_naive())
}

fn single_day(day: NaiveDate) -> EtaWindow {
    EtaWindow {
        start: day,
        end: day,
    }
}

/// Records, for lines that have none, the promise given when the order was placed: the waiting
/// units' window (or none), or shipping now from stock; the legal date follows from it.
fn record_commitments(
    conn: &Connection,
    detail: &OrderDetail,
    stated_ship_days: i64,
) -> Result<(), StoreError> {
    let ordered_on = parse_date(&detail.summary.ordered_at).unwrap_or_default();
    for line in &detail.lines {
        let promise = line.promise.as_ref();
        let (window, firm) = if line.quantities.waiting() > 0 {
            (
                promise.and_then(|p| p.window),
                promise.is_some_and(|p| p.covered_by.is_some()),
            )
        } else {
            (Some(single_day(ordered_on)), true)
        };
        let promised = promised_by(
            ordered_on,
            window
                .filter(|_| line.quantities.waiting() > 0)
                .map(|w| w.end),
            stated_ship_days,
        );
        record_commitment(
            conn,
            line.line_id,
            &Commitment {
                window,
                firm,
                promised_by: promised,
            },
        )?;
    }
    Ok(())
}

/// Records, for every open order line without one, its current promise as the promise it was
/// given (orders that came in without the "placed" path, e.g. the demo's history).
pub fn record_open_commitments(conn: &Connection) -> Result<(), StoreError> {
    let (_, stated_days) = legal_settings(conn)?;
    for order_id in crate::store::legal::orders_without_commitments(conn)? {
        let detail = order_detail(conn, order_id)?;
        record_commitments(conn, &detail, stated_days)?;
    }
    Ok(())
}

/// The legal clock input of one line.
fn line_clock(
    commitment: Option<&Commitment>,
    ordered_on: NaiveDate,
    stated_ship_days: i64,
    eta: Option<EtaWindow>,
    notices: Vec<Notice>,
    answer: Option<Answer>,
) -> LineClock {
    LineClock {
        promised_by: commitment.map_or_else(
            || promised_by(ordered_on, None, stated_ship_days),
            |c| c.promised_by,
        ),
        eta: eta.map(|w| w.end),
        notices,
        answer,
    }
}

/// What the plan needs to know about an order, read from the shop.
fn order_facts(
    conn: &Connection,
    detail: &OrderDetail,
    today: NaiveDate,
) -> Result<OrderFacts, StoreError> {
    let (rule, stated_days) = legal_settings(conn)?;
    let order_id = detail.summary.order_id;
    let commitments = order_commitments(conn, order_id)?;
    let told = told_lines(conn, order_id)?;
    let answer = latest_answer(conn, order_id)?;
    let ordered_on = parse_date(&detail.summary.ordered_at).unwrap_or_default();
    let mut lines = Vec::with_capacity(detail.lines.len());
    for line in &detail.lines {
        let eta = line.promise.as_ref().and_then(|promise| promise.window);
        let firm = line
            .promise
            .as_ref()
            .is_some_and(|promise| promise.covered_by.is_some());
        let commitment = commitments.get(&line.line_id);
        let of_line: Vec<&ToldLine> = told.iter().filter(|t| t.line_id == line.line_id).collect();
        let last_sent = of_line.iter().rev().find(|t| {
            t.status == MessageStatus::Sent
                && t.kind.is_some_and(|kind| {
                    matches!(
                        kind.purpose(),
                        Purpose::Confirmation | Purpose::Delay | Purpose::Ready
                    )
                })
        });
        let told_now = match (last_sent, commitment) {
            (Some(sent), _) if sent.kind == Some(MessageKind::Ready) => Told {
                window: Some(single_day(sent.on)),
                firm: true,
            },
            (Some(sent), _) => Told {
                window: sent.line.eta,
                firm: sent.line.firm,
            },
            (None, Some(commitment)) => Told {
                window: commitment.window,
                firm: commitment.firm,
            },
            // Nothing known of what the customer heard: nothing is news.
            (None, None) => Told { window: eta, firm },
        };
        let notices: Vec<Notice> = of_line
            .iter()
            .filter(|t| {
                t.status == MessageStatus::Sent && t.kind.is_some_and(MessageKind::is_delay_notice)
            })
            .map(|t| Notice {
                sent_on: t.on,
                revised: t.line.eta.map(|w| w.end),
            })
            .collect();
        let clock = line_clock(commitment, ordered_on, stated_days, eta, notices, answer);
        lines.push(LineFacts {
            line_id: line.line_id,
            quantities: line.quantities,
            preorder: line.state() == LineState::Preorder,
            waited_at_order: waited_at_order(conn, line.line_id)?,
            eta,
            firm,
            told: told_now,
            told_ready: of_line.iter().any(|t| t.kind == Some(MessageKind::Ready)),
            deadline: evaluate(rule, &clock, today),
            terms: notice_terms(rule, &clock, eta.map(|w| w.end), today),
        });
    }
    Ok(OrderFacts {
        status: detail.summary.status,
        ship_complete: detail.summary.ship_complete,
        payment_failed: detail.summary.payment == PaymentState::Failed,
        confirmation_handled: confirmation_handled(conn, order_id)?,
        lines,
    })
}

fn notice_info(terms: Option<NoticeTerms>, lines: &[PlannedLine], style: DateStyle) -> NoticeInfo {
    let Some(terms) = terms else {
        return NoticeInfo::default();
    };
    NoticeInfo {
        renewed: terms.renewed,
        silence_is_consent: terms.silence_is_consent,
        answer_needed: terms.answer_needed,
        answer_by: terms
            .answer_by
            .map(|day| format_day(day, style))
            .unwrap_or_default(),
        cancelled_without_answer: terms.cancelled_without_answer,
        no_date: lines.iter().any(|line| line.eta.is_none()),
    }
}

/// Renders and stores a planned draft.
fn add_planned(
    conn: &Connection,
    detail: &OrderDetail,
    spec: &DraftSpec,
    replaces: Option<i64>,
    today: NaiveDate,
    now: &str,
) -> Result<DraftOutcome, StoreError> {
    if held_without_address(detail) {
        return Ok(DraftOutcome::NoAddress);
    }
    let style = date_style(conn)?;
    let mut infos = Vec::with_capacity(spec.lines.len());
    let mut stored = Vec::with_capacity(spec.lines.len());
    for planned in &spec.lines {
        let Some(line) = detail.lines.iter().find(|l| l.line_id == planned.line_id) else {
            continue;
        };
        let mut info = line_info(line, style);
        match spec.purpose {
            Purpose::Confirmation => {}
            Purpose::Delay => {
                info.old_eta = planned
                    .before
                    .map(|w| format_window(w, style))
                    .unwrap_or_default();
            }
            _ => info.quantity = planned.quantity,
        }
        infos.push(info);
        // What the message tells of the line: its window, or "now" for what ships now.
        let eta = match spec.purpose {
            Purpose::Ready => Some(single_day(today)),
            Purpose::Confirmation if line.quantities.waiting() == 0 => Some(single_day(today)),
            _ => planned.eta,
        };
        stored.push(MessageLine {
            line_id: planned.line_id,
            quantity: planned.quantity,
            eta,
            firm: planned.firm || eta.is_some_and(|w| w.end == today),
            before: planned.before,
        });
    }
    let mut context = context(conn, detail, infos)?;
    context.notice = notice_info(spec.terms, &spec.lines, style);
    let rendered = render_kind(conn, spec.kind, &context)?;
    let reason = match spec.purpose {
        Purpose::Confirmation => {
            "The order changed before it was sent: a newer confirmation tells it as it is now"
        }
        Purpose::Delay => "The dates changed again before it was sent: a newer notice gives them",
        Purpose::Ready => "More items are ready: a newer message lists them all",
        _ => "A newer draft of the same kind took its place",
    };
    let outcome = add_draft(
        conn,
        &NewMessage {
            order_id: detail.summary.order_id,
            kind: spec.kind,
            event_key: &spec.key,
            recipient_name: &detail.summary.customer_name,
            recipient: &detail.summary.customer_email,
            subject: &rendered.subject,
            body: &rendered.body,
            lines: &stored,
            replaces_reason: reason,
        },
        now,
    )?;
    // Content drafted (and sent or discarded) before: the draft in its place, if any, is no
    // longer true.
    if outcome == DraftOutcome::AlreadyDrafted
        && let Some(old) = replaces
    {
        supersede(conn, old, reason, now)?;
    }
    Ok(outcome)
}

/// Brings an order's unsent drafts in line with what the customer must hear now: adds the
/// drafts it needs, keeps the ones that are right, and supersedes (with the reason) the ones
/// that are no longer true. Runs inside the transaction of the change that caused it. Returns
/// what happened per purpose.
pub fn reconcile_order(
    conn: &Connection,
    order_id: OrderId,
    triggers: &Triggers,
    now: &str,
) -> Result<Vec<(Purpose, DraftOutcome)>, StoreError> {
    let today = today_of(now);
    let detail = order_detail(conn, order_id)?;
    let facts = order_facts(conn, &detail, today)?;
    let current: Vec<CurrentDraft> = order_drafts(conn, order_id)?
        .into_iter()
        .filter_map(|draft| {
            Some(CurrentDraft {
                message_id: draft.message_id,
                purpose: Purpose::from_code(&draft.purpose)?,
                kind: draft.kind,
                key: draft.key,
                lines: draft.lines,
            })
        })
        .collect();
    let purpose_of = |id: i64| {
        current
            .iter()
            .find(|d| d.message_id == id)
            .map(|d| d.purpose)
    };
    let mut outcomes = Vec::new();
    for step in plan(&facts, &current, triggers) {
        match step {
            Step::Keep(id) => {
                if let Some(purpose) = purpose_of(id) {
                    outcomes.push((purpose, DraftOutcome::AlreadyDrafted));
                }
            }
            Step::Withdraw { message_id, reason } => {
                supersede(conn, message_id, &reason, now)?;
                if let Some(purpose) = purpose_of(message_id) {
                    outcomes.push((purpose, DraftOutcome::Withdrawn(message_id)));
                }
            }
            Step::Draft { spec, replaces } => {
                let outcome = add_planned(conn, &detail, &spec, replaces, today, now)?;
                outcomes.push((spec.purpose, outcome));
            }
        }
    }
    Ok(outcomes)
}

/// After an order is placed (or imported): records the promise each line was given and drafts
/// a confirmation naming what ships now and what waits (a preorder confirmation when
/// everything waiting is a preorder). Orders filled from stock get none. Importers call this
/// for each new order; it is safe to call again (one current confirmation per order).
pub fn draft_confirmation(
    conn: &Connection,
    order_id: OrderId,
    now: &str,
) -> Result<Option<DraftOutcome>, StoreError> {
    let detail = order_detail(conn, order_id)?;
    let (_, stated_days) = legal_settings(conn)?;
    record_commitments(conn, &detail, stated_days)?;
    let triggers = Triggers {
        placed: true,
        ..Triggers::default()
    };
    Ok(reconcile_order(conn, order_id, &triggers, now)?
        .into_iter()
        .find(|(purpose, _)| *purpose == Purpose::Confirmation)
        .map(|(_, outcome)| outcome))
}

/// After promises slipped: brings the delay notices of the slipped lines' orders up to date
/// (one notice per order naming each line that ships later than the customer was told, with
/// the old and new windows). Returns the delay outcome per order.
pub fn draft_delays(
    conn: &Connection,
    slips: &[PromiseSlip],
    today: NaiveDate,
) -> Result<Vec<DraftOutcome>, StoreError> {
    let mut orders = BTreeSet::new();
    for slip in slips {
        orders.insert(line_owner(conn, slip.line_id)?.0);
    }
    let now = stamp(today);
    let mut outcomes = Vec::new();
    for order_id in orders {
        for (purpose, outcome) in reconcile_order(conn, order_id, &Triggers::default(), &now)? {
            if purpose == Purpose::Delay {
                outcomes.push(outcome);
            }
        }
    }
    Ok(outcomes)
}

/// After a promise run: reconciles the orders whose lines' promises moved in a way a customer
/// may need to hear about, or that have unsent drafts the change may have made untrue.
pub fn reconcile_after_recompute(
    conn: &Connection,
    changes: &[PromiseChange],
    stopped_waiting: &[i64],
    today: NaiveDate,
) -> Result<(), StoreError> {
    if changes.is_empty() && stopped_waiting.is_empty() {
        return Ok(());
    }
    let with_drafts = orders_with_drafts(conn)?;
    let mut orders: BTreeMap<OrderId, Triggers> = BTreeMap::new();
    for change in changes {
        let (order_id, _) = line_owner(conn, change.line_id)?;
        if change.news_possible || with_drafts.contains(&order_id.0) {
            let triggers = orders.entry(order_id).or_default();
            if change.dated {
                triggers.dated_lines.insert(change.line_id);
            }
        }
    }
    for line_id in stopped_waiting {
        let Ok((order_id, _)) = line_owner(conn, *line_id) else {
            continue;
        };
        if with_drafts.contains(&order_id.0) {
            orders.entry(order_id).or_default();
        }
    }
    let now = stamp(today);
    for (order_id, triggers) in orders {
        reconcile_order(conn, order_id, &triggers, &now)?;
    }
    Ok(())
}

/// After stock reached waiting lines: a "ready" message per order for the lines that waited
/// (had units backordered when ordered) and are now wholly reserved. A ship-complete order gets
/// it only when every line is ready.
pub fn draft_ready(
    conn: &Connection,
    allocated: &[Allocated],
    now: &str,
) -> Result<Vec<DraftOutcome>, StoreError> {
    let mut orders: BTreeMap<OrderId, Triggers> = BTreeMap::new();
    for moved in allocated.iter().filter(|moved| moved.quantity > 0) {
        let (order_id, _) = line_owner(conn, moved.line_id)?;
        orders
            .entry(order_id)
            .or_default()
            .ready_lines
            .insert(moved.line_id);
    }
    let mut outcomes = Vec::new();
    for (order_id, triggers) in orders {
        for (purpose, outcome) in reconcile_order(conn, order_id, &triggers, now)? {
            if purpose == Purpose::Ready && outcome != DraftOutcome::AlreadyDrafted {
                outcomes.push(outcome);
            }
        }
    }
    Ok(outcomes)
}

/// The shop asks for a delay notice for an order whose legal clock says one is due (the
/// Deadlines view's "Draft notice"): one notice for every waiting line that needs one.
pub fn request_delay_notice(
    store: &mut Store,
    order_id: OrderId,
    clock: &Clock,
) -> Result<DraftOutcome, NotifyError> {
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        let triggers = Triggers {
            delay_requested: true,
            ..Triggers::default()
        };
        reconcile_order(tx, order_id, &triggers, &now)?
            .into_iter()
            .find(|(purpose, _)| *purpose == Purpose::Delay)
            .map(|(_, outcome)| outcome)
            .ok_or_else(|| {
                NotifyError::Invalid(
                    "No line of this order needs a delay notice: they ship by the date the customer agreed to".into(),
                )
            })
    })
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
    let mut stored = Vec::new();
    let lines = detail
        .lines
        .iter()
        .filter(|line| line.quantities.reserved > 0 && line.quantities.open() > 0)
        .map(|line| {
            let mut info = line_info(line, style);
            info.quantity = line.quantities.reserved.min(line.quantities.open());
            stored.push(MessageLine {
                line_id: line.line_id,
                quantity: info.quantity,
                eta: None,
                firm: true,
                before: None,
            });
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
        &stored,
        now,
    )
}

fn waited_at_order(conn: &Connection, line_id: i64) -> Result<bool, StoreError> {
    Ok(crate::store::orders::backordered_at_order(conn, line_id)? > 0)
}

/// After a cancellation: the cancelled lines (line id, units cancelled) of one order. The
/// order's other unsent drafts that the cancellation made untrue are superseded.
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
    let mut stored = Vec::new();
    for (line_id, units) in cancelled {
        let Some(line) = detail.lines.iter().find(|line| line.line_id == *line_id) else {
            continue;
        };
        key.push_str(&format!(":{line_id}x{}", line.quantities.cancelled));
        let mut info = line_info(line, style);
        info.quantity = *units;
        lines.push(info);
        stored.push(MessageLine {
            line_id: *line_id,
            quantity: *units,
            eta: None,
            firm: true,
            before: None,
        });
    }
    let context = context(conn, &detail, lines)?;
    let outcome = draft(
        conn,
        &detail,
        MessageKind::Cancellation,
        &key,
        &context,
        &stored,
        now,
    )?;
    reconcile_order(conn, order_id, &Triggers::default(), now)?;
    Ok(Some(outcome))
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
                .find(|candidate| candidate.product_id == line.product_id)
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
        let stored: Vec<MessageLine> = waiting
            .iter()
            .map(|line| MessageLine {
                line_id: line.line_id,
                quantity: line.quantities.waiting(),
                eta: line.promise.as_ref().and_then(|p| p.window),
                firm: line
                    .promise
                    .as_ref()
                    .is_some_and(|p| p.covered_by.is_some()),
                before: None,
            })
            .collect();
        let mut context = context(tx, &detail, lines)?;
        context.substitutes = offered;
        match draft(
            tx,
            &detail,
            MessageKind::Substitution,
            &key,
            &context,
            &stored,
            &now,
        )? {
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
    crate::store::products::category(conn, line.product_id)
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

/// Sent, discarded and superseded messages, newest first; at most `limit` (`None`: all).
pub fn history(store: &Store, limit: Option<usize>) -> Result<Vec<Message>, NotifyError> {
    Ok(messages_with_status(
        store.connection(),
        &[
            MessageStatus::Sent,
            MessageStatus::Discarded,
            MessageStatus::Superseded,
        ],
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
