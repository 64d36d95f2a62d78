//! What the legal clock reads and writes: the promise made when an order was placed, the
//! customer's answers to delay notices, and the notices sent per line.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::codec::{date_text, parse_date};
use super::orders::OrderId;
use crate::domain::legal::{Answer, Notice};
use crate::domain::promise::EtaWindow;

/// The promise a line was given when its order was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commitment {
    /// The window then (`None`: no date, or shipped from stock at once).
    pub window: Option<EtaWindow>,
    /// Stock or a purchase order backed it (not an estimate from the lead time).
    pub firm: bool,
    /// The legal shipping date.
    pub promised_by: NaiveDate,
}

fn window_from(start: Option<String>, end: Option<String>) -> Option<EtaWindow> {
    Some(EtaWindow {
        start: parse_date(&start?)?,
        end: parse_date(&end?)?,
    })
}

/// Records the promise of a line unless it has one (the first promise stays).
pub fn record_commitment(conn: &Connection, line_id: i64, commitment: &Commitment) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO line_commitments (line_id, eta_start, eta_end, firm, promised_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        line_id,
        commitment.window.map(|w| date_text(w.start)),
        commitment.window.map(|w| date_text(w.end)),
        commitment.firm,
        date_text(commitment.promised_by)
    ])?;
    Ok(())
}

/// The promises of an order's lines.
pub fn order_commitments(conn: &Connection, order_id: OrderId) -> Result<HashMap<i64, Commitment>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.line_id, c.eta_start, c.eta_end, c.firm, c.promised_by
           FROM line_commitments c JOIN order_lines l ON l.line_id = c.line_id
          WHERE l.order_id = ?1",
    )?;
    let rows = statement.query_map([order_id.0], row_to_commitment)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row_to_commitment(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Commitment)> {
    let promised: String = row.get(4)?;
    Ok((
        row.get(0)?,
        Commitment {
            window: window_from(row.get(1)?, row.get(2)?),
            firm: row.get(3)?,
            promised_by: parse_date(&promised).unwrap_or_default(),
        },
    ))
}

/// Records the customer's answer to a delay notice.
pub fn add_answer(
    conn: &Connection,
    order_id: OrderId,
    answer: Answer,
    recorded_at: &str,
) -> Result<()> {
    let (code, until) = match answer {
        Answer::Wait { until, .. } => ("wait", until),
        Answer::Cancel { .. } => ("cancel", None),
    };
    conn.execute(
        "INSERT INTO order_answers (order_id, answer, wait_until, answered_on, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            order_id.0,
            code,
            until.map(date_text),
            date_text(answer.on()),
            recorded_at
        ],
    )?;
    Ok(())
}

fn row_to_answer(code: &str, until: Option<&str>, on: &str) -> Option<Answer> {
    let on = parse_date(on)?;
    match code {
        "wait" => Some(Answer::Wait {
            on,
            until: until.and_then(parse_date),
        }),
        "cancel" => Some(Answer::Cancel { on }),
        _ => None,
    }
}

/// The customer's latest answer on an order.
pub fn latest_answer(conn: &Connection, order_id: OrderId) -> Result<Option<Answer>> {
    let row: Option<(String, Option<String>, String)> = conn
        .prepare_cached(
            "SELECT answer, wait_until, answered_on FROM order_answers
              WHERE order_id = ?1 ORDER BY answered_on DESC, answer_id DESC LIMIT 1",
        )?
        .query_row([order_id.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    Ok(row.and_then(|(code, until, on)| row_to_answer(&code, until.as_deref(), &on)))
}

/// The latest answer of every order that has one.
pub fn latest_answers(conn: &Connection) -> Result<HashMap<i64, Answer>> {
    let mut statement = conn.prepare_cached(
        "SELECT order_id, answer, wait_until, answered_on FROM order_answers
          ORDER BY answered_on, answer_id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (order_id, code, until, on) = row?;
        if let Some(answer) = row_to_answer(&code, until.as_deref(), &on) {
            out.insert(order_id, answer);
        }
    }
    Ok(out)
}

/// The delay notices sent for each line (sent day, revised date given), oldest first.
pub fn sent_notices(conn: &Connection) -> Result<HashMap<i64, Vec<Notice>>> {
    let mut statement = conn.prepare_cached(
        "SELECT ml.line_id, m.sent_at, ml.eta_end
           FROM messages m JOIN message_lines ml ON ml.message_id = m.message_id
          WHERE m.status = 'sent' AND m.purpose = 'delay'
          ORDER BY m.sent_at, m.message_id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out: HashMap<i64, Vec<Notice>> = HashMap::new();
    for row in rows {
        let (line_id, sent_at, revised) = row?;
        let Some(sent_on) = sent_at.as_deref().and_then(parse_date) else {
            continue;
        };
        out.entry(line_id).or_default().push(Notice {
            sent_on,
            revised: revised.as_deref().and_then(parse_date),
        });
    }
    Ok(out)
}

/// A waiting line as the Deadlines view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingLineRow {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub waiting: i64,
    pub ordered_on: NaiveDate,
    pub commitment: Option<Commitment>,
    /// The stored promise's window.
    pub eta: Option<EtaWindow>,
}

/// Every waiting line of an open order, with its promise then and now.
pub fn waiting_lines(conn: &Connection) -> Result<Vec<WaitingLineRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.order_id, o.order_number, c.name, c.email, l.line_id, p.sku, p.name,
                l.waiting_qty, o.ordered_at,
                lc.line_id, lc.eta_start, lc.eta_end, lc.firm, lc.promised_by,
                lp.eta_start, lp.eta_end
           FROM open_order_lines l
           JOIN orders o ON o.order_id = l.order_id
           JOIN customers c ON c.customer_id = o.customer_id
           JOIN products p ON p.product_id = l.product_id
           LEFT JOIN line_commitments lc ON lc.line_id = l.line_id
           LEFT JOIN line_promises lp ON lp.line_id = l.line_id
          WHERE o.status = 'open' AND l.waiting_qty > 0
          ORDER BY o.ordered_at, o.order_number, l.line_no",
    )?;
    let rows = statement.query_map([], |row| {
        let ordered_at: String = row.get(8)?;
        let commitment = match row.get::<_, Option<i64>>(9)? {
            Some(_) => {
                let promised: String = row.get(13)?;
                Some(Commitment {
                    window: window_from(row.get(10)?, row.get(11)?),
                    firm: row.get(12)?,
                    promised_by: parse_date(&promised).unwrap_or_default(),
                })
            }
            None => None,
        };
        Ok(WaitingLineRow {
            order_id: OrderId(row.get(0)?),
            order_number: row.get(1)?,
            customer_name: row.get(2)?,
            customer_email: row.get(3)?,
            line_id: row.get(4)?,
            sku: row.get(5)?,
            name: row.get(6)?,
            waiting: row.get(7)?,
            ordered_on: parse_date(&ordered_at).unwrap_or_default(),
            commitment,
            eta: window_from(row.get(14)?, row.get(15)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open orders with an open line that has no recorded promise.
pub fn orders_without_commitments(conn: &Connection) -> Result<Vec<OrderId>> {
    let mut statement = conn.prepare_cached(
        "SELECT DISTINCT l.order_id FROM order_lines l
           JOIN orders o ON o.order_id = l.order_id
           LEFT JOIN line_commitments c ON c.line_id = l.line_id
          WHERE o.status = 'open' AND l.quantity > l.shipped_qty + l.cancelled_qty
            AND c.line_id IS NULL
          ORDER BY l.order_id",
    )?;
    let rows = statement.query_map([], |row| Ok(OrderId(row.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
