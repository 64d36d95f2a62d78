//! Customer messages (drafts, sent, discarded) and the shop's own message templates.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::orders::OrderId;
use crate::domain::notify::{Candidate, MessageKind};

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    Draft,
    Sent,
    Discarded,
    /// A newer draft of the same kind took its place before it was sent.
    Replaced,
}

impl MessageStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Discarded => "discarded",
            Self::Replaced => "replaced",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "sent" => Self::Sent,
            "discarded" => Self::Discarded,
            "replaced" => Self::Replaced,
            _ => Self::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "Sent",
            Self::Discarded => "Discarded",
            Self::Replaced => "Replaced",
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
    pub status: MessageStatus,
    pub recipient_name: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub sent_at: Option<String>,
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
}

/// What happened when a draft was offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftOutcome {
    /// A new draft was added.
    Added(i64),
    /// A new draft was added and the older unsent one of the same kind was set aside.
    Replaced(i64),
    /// This event already drafted a message: nothing changed.
    AlreadyDrafted,
    /// A storefront order whose customer has no e-mail address: nothing was drafted (the
    /// Messages screen lists such orders instead).
    NoAddress,
}

const MESSAGE_SQL: &str = "SELECT m.message_id, m.order_id, o.order_number, m.kind, m.status,
        m.recipient_name, m.recipient, m.subject, m.body, m.created_at, m.updated_at, m.sent_at
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
    })
}

/// Adds a draft unless this event (order, kind, event key) drafted one before. An unsent draft
/// of the same order and kind is marked replaced (kept, not deleted).
pub fn add_draft(conn: &Connection, message: &NewMessage<'_>, now: &str) -> Result<DraftOutcome> {
    let seen: Option<i64> = conn
        .prepare_cached(
            "SELECT message_id FROM messages WHERE order_id = ?1 AND kind = ?2 AND event_key = ?3",
        )?
        .query_row(
            params![message.order_id.0, message.kind.id(), message.event_key],
            |row| row.get(0),
        )
        .optional()?;
    if seen.is_some() {
        return Ok(DraftOutcome::AlreadyDrafted);
    }
    let replaced = conn
        .prepare_cached(
            "UPDATE messages SET status = 'replaced', updated_at = ?3
              WHERE order_id = ?1 AND kind = ?2 AND status = 'draft'",
        )?
        .execute(params![message.order_id.0, message.kind.id(), now])?;
    conn.prepare_cached(
        "INSERT INTO messages (order_id, kind, event_key, recipient_name, recipient, subject, body,
                               created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        message.order_id.0,
        message.kind.id(),
        message.event_key,
        message.recipient_name,
        message.recipient,
        message.subject,
        message.body,
        now
    ])?;
    let id = conn.last_insert_rowid();
    Ok(if replaced > 0 {
        DraftOutcome::Replaced(id)
    } else {
        DraftOutcome::Added(id)
    })
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

/// Puts a discarded message back as a draft (undo), unless another draft of its kind exists.
pub fn restore_draft(conn: &Connection, message_id: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE messages SET status = 'draft', updated_at = ?2
          WHERE message_id = ?1 AND status = 'discarded'
            AND NOT EXISTS (SELECT 1 FROM messages d
                             WHERE d.order_id = messages.order_id AND d.kind = messages.kind
                               AND d.status = 'draft')",
        params![message_id, now],
    )?;
    Ok(changed > 0)
}

/// The window a waiting line had when the customer last heard from the shop: the old window of
/// the first slip recorded since the order's last sent message (or ever, when nothing was sent
/// yet). `None` when no slip was recorded or the line had no date then.
pub fn window_last_told(
    conn: &Connection,
    order_id: OrderId,
    line_id: i64,
) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT old_start, old_end FROM promise_changes
              WHERE line_id = ?2
                AND detected_on >= COALESCE((SELECT max(substr(sent_at, 1, 10)) FROM messages
                                              WHERE order_id = ?1 AND status = 'sent'), '')
              ORDER BY change_id LIMIT 1",
        )?
        .query_row(params![order_id.0, line_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    Ok(row.and_then(|(start, end)| Some((start?, end?))))
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
            product_id: row.get(0)?,
            sku: row.get(1)?,
            name: row.get(2)?,
            category: row.get(3)?,
            price_cents: row.get(4)?,
            available: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
