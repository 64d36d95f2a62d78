//! Customer messages (drafts, sent, discarded) and the shop's own message templates.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{date_text, parse_date};
use super::orders::OrderId;
use super::{ProductId, Result};
use crate::domain::notify::{Candidate, MessageKind};
use crate::domain::promise::EtaWindow;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    Draft,
    Sent,
    Discarded,
    /// What it said stopped being true before it was sent (the reason is kept); a newer draft
    /// may have taken its place.
    Superseded,
}

impl MessageStatus {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Sent, Self::Discarded, Self::Superseded];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Discarded => "discarded",
            Self::Superseded => "superseded",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "sent" => Self::Sent,
            "discarded" => Self::Discarded,
            "superseded" | "replaced" => Self::Superseded,
            _ => Self::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "Sent",
            Self::Discarded => "Discarded",
            Self::Superseded => "Superseded",
        }
    }
}

/// One message with its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub message_id: i64,
    pub order_id: OrderId,
    pub order_number: String,
    /// `None` for a kind this version does not know (a file written by a newer version).
    pub kind: Option<MessageKind>,
    pub kind_id: String,
    pub purpose: String,
    /// What the message says (the same content never drafts twice).
    pub key: String,
    pub status: MessageStatus,
    /// Why it was superseded.
    pub status_reason: Option<String>,
    pub recipient_name: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
    /// The Message-ID of the copy the mail server accepted.
    pub message_id_header: Option<String>,
    /// The mail server's answer to the last failed try.
    pub send_error: Option<String>,
}

/// What a message said about one order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLine {
    pub line_id: i64,
    pub quantity: i64,
    /// The window it gave (`None`: no date).
    pub eta: Option<EtaWindow>,
    /// Stock or a purchase order backed the date (not an estimate).
    pub firm: bool,
    /// What the customer had been told before (delay notices).
    pub before: Option<EtaWindow>,
}

/// A draft to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage<'a> {
    pub order_id: OrderId,
    pub kind: MessageKind,
    pub event_key: &'a str,
    pub recipient_name: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub lines: &'a [MessageLine],
    /// Why the unsent draft of the same purpose (if any) gives way to this one.
    pub replaces_reason: &'a str,
}

/// What happened when a draft was offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftOutcome {
    /// A new draft was added.
    Added(i64),
    /// A new draft was added and the older unsent one of the same purpose was superseded.
    Replaced(i64),
    /// This content was drafted before (the draft stays, or it was sent or discarded): nothing
    /// changed.
    AlreadyDrafted,
    /// A storefront order whose customer has no e-mail address: nothing was drafted (the
    /// Messages screen lists such orders instead).
    NoAddress,
    /// The unsent draft stopped being true and was superseded, with nothing in its place.
    Withdrawn(i64),
}

const MESSAGE_SQL: &str = "SELECT m.message_id, m.order_id, o.order_number, m.kind, m.status,
        m.recipient_name, m.recipient, m.subject, m.body, m.created_at, m.updated_at, m.sent_at,
        m.purpose, m.event_key, m.status_reason, m.message_id_header, m.send_error
   FROM messages m JOIN orders o ON o.order_id = m.order_id";

fn row_to_message(row: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    let kind_id: String = row.get(3)?;
    let status: String = row.get(4)?;
    Ok(Message {
        message_id: row.get(0)?,
        order_id: OrderId(row.get(1)?),
        order_number: row.get(2)?,
        kind: MessageKind::from_id(&kind_id),
        kind_id,
        status: MessageStatus::from_code(&status),
        recipient_name: row.get(5)?,
        recipient: row.get(6)?,
        subject: row.get(7)?,
        body: row.get(8)?,
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
        sent_at: row.get(11)?,
        purpose: row.get(12)?,
        key: row.get(13)?,
        status_reason: row.get(14)?,
        message_id_header: row.get(15)?,
        send_error: row.get(16)?,
    })
}

fn window_from(start: Option<String>, end: Option<String>) -> Option<EtaWindow> {
    Some(EtaWindow {
        start: parse_date(&start?)?,
        end: parse_date(&end?)?,
    })
}

/// Supersedes an unsent draft, keeping why. Returns false when it was not a draft.
pub fn supersede(conn: &Connection, message_id: i64, reason: &str, now: &str) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE messages SET status = 'superseded', status_reason = ?2, updated_at = ?3
              WHERE message_id = ?1 AND status = 'draft'",
        )?
        .execute(params![message_id, reason, now])?;
    Ok(changed > 0)
}

/// Adds a draft unless this content (order, kind, key) was drafted before: then nothing
/// changes, except that a superseded draft with exactly this content becomes the draft again
/// (what it says is true again). The unsent draft of the same order and purpose is superseded
/// (kept, with the reason), so there is at most one per order and purpose.
pub fn add_draft(conn: &Connection, message: &NewMessage<'_>, now: &str) -> Result<DraftOutcome> {
    let purpose = message.kind.purpose().code();
    let seen: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT message_id, status FROM messages
              WHERE order_id = ?1 AND kind = ?2 AND event_key = ?3",
        )?
        .query_row(
            params![message.order_id.0, message.kind.id(), message.event_key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if seen
        .as_ref()
        .is_some_and(|(_, status)| status != "superseded")
    {
        return Ok(DraftOutcome::AlreadyDrafted);
    }
    let current: Option<i64> = conn
        .prepare_cached(
            "SELECT message_id FROM messages
              WHERE order_id = ?1 AND purpose = ?2 AND status = 'draft'",
        )?
        .query_row(params![message.order_id.0, purpose], |row| row.get(0))
        .optional()?;
    if let Some(current) = current {
        supersede(conn, current, message.replaces_reason, now)?;
    }
    let id = if let Some((id, _)) = seen {
        conn.prepare_cached(
            "UPDATE messages SET status = 'draft', status_reason = NULL, updated_at = ?2,
                    recipient_name = ?3, recipient = ?4, subject = ?5, body = ?6, send_error = NULL
              WHERE message_id = ?1",
        )?
        .execute(params![
            id,
            now,
            message.recipient_name,
            message.recipient,
            message.subject,
            message.body
        ])?;
        conn.prepare_cached("DELETE FROM message_lines WHERE message_id = ?1")?
            .execute([id])?;
        id
    } else {
        conn.prepare_cached(
            "INSERT INTO messages (order_id, kind, purpose, event_key, recipient_name, recipient,
                                   subject, body, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?
        .execute(params![
            message.order_id.0,
            message.kind.id(),
            purpose,
            message.event_key,
            message.recipient_name,
            message.recipient,
            message.subject,
            message.body,
            now
        ])?;
        conn.last_insert_rowid()
    };
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO message_lines (message_id, line_id, quantity, eta_start, eta_end,
                                               firm, before_start, before_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for line in message.lines {
        insert.execute(params![
            id,
            line.line_id,
            line.quantity,
            line.eta.map(|w| date_text(w.start)),
            line.eta.map(|w| date_text(w.end)),
            line.firm,
            line.before.map(|w| date_text(w.start)),
            line.before.map(|w| date_text(w.end)),
        ])?;
    }
    Ok(if current.is_some() {
        DraftOutcome::Replaced(id)
    } else {
        DraftOutcome::Added(id)
    })
}

/// What a message said about each line.
pub fn message_lines(conn: &Connection, message_id: i64) -> Result<Vec<MessageLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_id, quantity, eta_start, eta_end, firm, before_start, before_end
           FROM message_lines WHERE message_id = ?1 ORDER BY line_id",
    )?;
    let rows = statement.query_map([message_id], |row| {
        Ok(MessageLine {
            line_id: row.get(0)?,
            quantity: row.get(1)?,
            eta: window_from(row.get(2)?, row.get(3)?),
            firm: row.get(4)?,
            before: window_from(row.get(5)?, row.get(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An unsent draft of an order: id, purpose, kind, content key and the lines it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRef {
    pub message_id: i64,
    pub purpose: String,
    pub kind: Option<MessageKind>,
    pub key: String,
    pub lines: Vec<i64>,
}

/// The order's unsent drafts.
pub fn order_drafts(conn: &Connection, order_id: OrderId) -> Result<Vec<DraftRef>> {
    let mut statement = conn.prepare_cached(
        "SELECT m.message_id, m.purpose, m.kind, m.event_key,
                (SELECT group_concat(line_id) FROM message_lines WHERE message_id = m.message_id)
           FROM messages m WHERE m.order_id = ?1 AND m.status = 'draft' ORDER BY m.message_id",
    )?;
    let rows = statement.query_map([order_id.0], |row| {
        let kind: String = row.get(2)?;
        let lines: Option<String> = row.get(4)?;
        Ok(DraftRef {
            message_id: row.get(0)?,
            purpose: row.get(1)?,
            kind: MessageKind::from_id(&kind),
            key: row.get(3)?,
            lines: lines
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok())
                .collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A line as a sent (or discarded) message of its order told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToldLine {
    pub line_id: i64,
    pub kind: Option<MessageKind>,
    pub status: MessageStatus,
    /// The day it was sent (discarded messages: the day they were discarded).
    pub on: NaiveDate,
    pub line: MessageLine,
}

/// Every line of the order's sent and discarded messages, oldest first.
pub fn told_lines(conn: &Connection, order_id: OrderId) -> Result<Vec<ToldLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT ml.line_id, m.kind, m.status, COALESCE(m.sent_at, m.updated_at), ml.quantity,
                ml.eta_start, ml.eta_end, ml.firm, ml.before_start, ml.before_end
           FROM messages m JOIN message_lines ml ON ml.message_id = m.message_id
          WHERE m.order_id = ?1 AND (m.status = 'sent' OR m.status = 'discarded')
          ORDER BY COALESCE(m.sent_at, m.updated_at), m.message_id",
    )?;
    let rows = statement.query_map([order_id.0], |row| {
        let kind: String = row.get(1)?;
        let status: String = row.get(2)?;
        let on: String = row.get(3)?;
        Ok(ToldLine {
            line_id: row.get(0)?,
            kind: MessageKind::from_id(&kind),
            status: MessageStatus::from_code(&status),
            on: parse_date(&on).unwrap_or_default(),
            line: MessageLine {
                line_id: row.get(0)?,
                quantity: row.get(4)?,
                eta: window_from(row.get(5)?, row.get(6)?),
                firm: row.get(7)?,
                before: window_from(row.get(8)?, row.get(9)?),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// True when a confirmation of the order was sent or discarded.
pub fn confirmation_handled(conn: &Connection, order_id: OrderId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE order_id = ?1
                              AND purpose = 'confirmation'
                              AND (status = 'sent' OR status = 'discarded'))",
        )?
        .query_row([order_id.0], |row| row.get(0))?)
}

/// Orders that have an unsent draft.
pub fn orders_with_drafts(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let mut statement =
        conn.prepare_cached("SELECT DISTINCT order_id FROM messages WHERE status = 'draft'")?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records that the mail server accepted a draft: sent now, with its Message-ID. Returns false
/// when it was no longer a draft.
pub fn mark_delivered(
    conn: &Connection,
    message_id: i64,
    message_id_header: &str,
    now: &str,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE messages SET status = 'sent', sent_at = ?3, updated_at = ?3,
                message_id_header = ?2, send_error = NULL
          WHERE message_id = ?1 AND status = 'draft'",
        params![message_id, message_id_header, now],
    )?;
    Ok(changed > 0)
}

/// Keeps the mail server's answer to a failed try on the draft (it stays a draft).
pub fn set_send_error(conn: &Connection, message_id: i64, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE messages SET send_error = ?2 WHERE message_id = ?1 AND status = 'draft'",
        params![message_id, error],
    )?;
    Ok(())
}

/// An unsent notice and a waiting line it covers, for the Orders screen's to-do list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNotice {
    pub message_id: i64,
    pub kind: Option<MessageKind>,
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub line_id: i64,
    pub sku: String,
    pub before: Option<EtaWindow>,
    pub now: Option<EtaWindow>,
    pub drafted_on: NaiveDate,
    /// Why the promise moved (the latest recorded slip of the line), if one was recorded.
    pub reason: String,
}

/// Every waiting line covered by an unsent delay notice, newest draft first.
pub fn pending_notices(conn: &Connection) -> Result<Vec<PendingNotice>> {
    let mut statement = conn.prepare_cached(
        "SELECT m.message_id, m.kind, m.order_id, o.order_number, c.name, c.email, ml.line_id,
                p.sku, ml.before_start, ml.before_end, ml.eta_start, ml.eta_end, m.created_at,
                COALESCE((SELECT reason FROM promise_changes pc WHERE pc.line_id = ml.line_id
                           ORDER BY pc.change_id DESC LIMIT 1), '')
           FROM messages m
           JOIN message_lines ml ON ml.message_id = m.message_id
           JOIN open_order_lines l ON l.line_id = ml.line_id
           JOIN orders o ON o.order_id = m.order_id
           JOIN customers c ON c.customer_id = o.customer_id
           JOIN products p ON p.product_id = l.product_id
          WHERE m.status = 'draft' AND m.purpose = 'delay' AND o.status = 'open'
            AND l.waiting_qty > 0
          ORDER BY m.created_at DESC, m.message_id DESC, l.line_no",
    )?;
    let rows = statement.query_map([], |row| {
        let kind: String = row.get(1)?;
        let created: String = row.get(12)?;
        Ok(PendingNotice {
            message_id: row.get(0)?,
            kind: MessageKind::from_id(&kind),
            order_id: OrderId(row.get(2)?),
            order_number: row.get(3)?,
            customer_name: row.get(4)?,
            customer_email: row.get(5)?,
            line_id: row.get(6)?,
            sku: row.get(7)?,
            before: window_from(row.get(8)?, row.get(9)?),
            now: window_from(row.get(10)?, row.get(11)?),
            drafted_on: parse_date(&created).unwrap_or_default(),
            reason: row.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One message.
pub fn message(conn: &Connection, message_id: i64) -> Result<Message> {
    Ok(conn
        .prepare_cached(&format!("{MESSAGE_SQL} WHERE m.message_id = ?1"))?
        .query_row([message_id], row_to_message)?)
}

/// Messages with one of `statuses`, newest first; at most `limit` of them (`None`: all).
pub fn messages_with_status(
    conn: &Connection,
    statuses: &[MessageStatus],
    limit: Option<usize>,
) -> Result<Vec<Message>> {
    let codes: Vec<&str> = statuses.iter().map(|status| status.code()).collect();
    let mut statement = conn.prepare_cached(&format!(
        "{MESSAGE_SQL} WHERE m.status IN (SELECT value FROM json_each(?1))
          ORDER BY m.updated_at DESC, m.message_id DESC LIMIT ?2"
    ))?;
    let json = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".to_owned());
    let limit = limit.map_or(-1, |limit| i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = statement.query_map(params![json, limit], row_to_message)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every message of one order, oldest first.
pub fn order_messages(conn: &Connection, order_id: OrderId) -> Result<Vec<Message>> {
    let mut statement = conn.prepare_cached(&format!(
        "{MESSAGE_SQL} WHERE m.order_id = ?1 ORDER BY m.created_at, m.message_id"
    ))?;
    let rows = statement.query_map([order_id.0], row_to_message)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Number of unsent drafts.
pub fn draft_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM messages WHERE status = 'draft'",
        [],
        |row| row.get(0),
    )?)
}

/// Saves the shop's edits of a draft. Only drafts can change; returns false otherwise.
pub fn edit_draft(
    conn: &Connection,
    message_id: i64,
    recipient: &str,
    subject: &str,
    body: &str,
    now: &str,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE messages SET recipient = ?2, subject = ?3, body = ?4, updated_at = ?5
          WHERE message_id = ?1 AND status = 'draft'",
        params![message_id, recipient, subject, body, now],
    )?;
    Ok(changed > 0)
}

/// Gives the order's customer the corrected address, if the customer still has the old one;
/// other unsent drafts of that customer that carry the old address get it too.
pub fn correct_customer_email(
    conn: &Connection,
    order_id: OrderId,
    old: &str,
    new: &str,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE customers SET email = ?3
          WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = ?1)
            AND email = ?2",
        params![order_id.0, old, new],
    )?;
    if changed > 0 {
        conn.execute(
            "UPDATE messages SET recipient = ?3
              WHERE status = 'draft' AND recipient = ?2
                AND order_id IN (SELECT o.order_id FROM orders o
                                 WHERE o.customer_id = (SELECT customer_id FROM orders
                                                        WHERE order_id = ?1))",
            params![order_id.0, old, new],
        )?;
    }
    Ok(())
}

/// Moves a draft to sent (with the time) or discarded. Returns false when it was not a draft.
pub fn set_status(
    conn: &Connection,
    message_id: i64,
    status: MessageStatus,
    now: &str,
) -> Result<bool> {
    let sent_at = (status == MessageStatus::Sent).then_some(now);
    let changed = conn.execute(
        "UPDATE messages SET status = ?2, updated_at = ?3, sent_at = COALESCE(?4, sent_at)
          WHERE message_id = ?1 AND status = 'draft'",
        params![message_id, status.code(), now, sent_at],
    )?;
    Ok(changed > 0)
}

/// Puts a discarded message back as a draft (undo), unless another draft of its purpose exists.
pub fn restore_draft(conn: &Connection, message_id: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE messages SET status = 'draft', updated_at = ?2
          WHERE message_id = ?1 AND status = 'discarded'
            AND NOT EXISTS (SELECT 1 FROM messages d
                             WHERE d.order_id = messages.order_id AND d.purpose = messages.purpose
                               AND d.status = 'draft')",
        params![message_id, now],
    )?;
    Ok(changed > 0)
}

/// The shop's template for a kind, if it saved one.
pub fn template(conn: &Connection, kind: MessageKind) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT source FROM message_templates WHERE kind = ?1")?
        .query_row([kind.id()], |row| row.get(0))
        .optional()?)
}

/// Saves the shop's template for a kind (check it renders first: see `app::notify`).
pub fn save_template(conn: &Connection, kind: MessageKind, source: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO message_templates (kind, source, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(kind) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
        params![kind.id(), source, now],
    )?;
    Ok(())
}

/// Forgets the shop's template: the default applies again.
pub fn reset_template(conn: &Connection, kind: MessageKind) -> Result<()> {
    conn.execute("DELETE FROM message_templates WHERE kind = ?1", [kind.id()])?;
    Ok(())
}

/// Active products of a category (case-insensitive) with what is available now: the
/// candidates for a substitution offer.
pub fn category_candidates(conn: &Connection, category: &str) -> Result<Vec<Candidate>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.product_id, p.sku, p.name, p.category, p.price_cents,
                p.on_hand - COALESCE((SELECT SUM(l.reserved_qty) FROM order_lines l
                                       WHERE l.product_id = p.product_id
                                         AND l.quantity > l.shipped_qty + l.cancelled_qty), 0)
           FROM products p
          WHERE p.archived = 0 AND p.category = ?1 COLLATE NOCASE",
    )?;
    let rows = statement.query_map([category.trim()], |row| {
        Ok(Candidate {
            product_id: ProductId(row.get(0)?),
            sku: row.get(1)?,
            name: row.get(2)?,
            category: row.get(3)?,
            price_cents: row.get(4)?,
            available: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
