//! The legal clock of every waiting line (the Deadlines view and `notify deadlines`), and the
//! customer's answer to a delay notice.

use chrono::NaiveDate;

use super::Clock;
use super::notify::{NotifyError, legal_settings, reconcile_order};
use super::orders::cancel_lines_in;
use crate::domain::drafting::Triggers;
use crate::domain::legal::{Answer, Deadline, LegalRule, LineClock, evaluate, promised_by};
use crate::domain::order::CancelReason;
use crate::domain::order::OrderStatus;
use crate::domain::promise::EtaWindow;
use crate::store::Store;
use crate::store::legal::{add_answer, latest_answers, sent_notices, waiting_lines};
use crate::store::messages::pending_notices;
use crate::store::orders::{OrderId, order_detail, order_id_by_number};

/// One waiting line on the legal clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRow {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub customer_email: String,
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub waiting: i64,
    pub ordered_on: NaiveDate,
    /// When it is expected to ship now.
    pub eta: Option<EtaWindow>,
    pub deadline: Deadline,
    /// An unsent delay notice covers it (the draft to open).
    pub draft: Option<i64>,
}

/// Every waiting line with its legal clock on `today`, sorted by the next due date (nothing due
/// last), the graver stage first, then order number.
pub fn deadlines(
    store: &Store,
    today: NaiveDate,
) -> Result<(LegalRule, Vec<DeadlineRow>), NotifyError> {
    let conn = store.connection();
    let (rule, stated_days) = legal_settings(conn)?;
    let notices = sent_notices(conn)?;
    let answers = latest_answers(conn)?;
    let drafts = pending_notices(conn)?;
    let mut rows: Vec<DeadlineRow> = waiting_lines(conn)?
        .into_iter()
        .map(|line| {
            let clock = LineClock {
                promised_by: line.commitment.map_or_else(
                    || promised_by(line.ordered_on, None, stated_days),
                    |c| c.promised_by,
                ),
                eta: line.eta.map(|w| w.end),
                notices: notices.get(&line.line_id).cloned().unwrap_or_default(),
                answer: answers.get(&line.order_id.0).copied(),
            };
            DeadlineRow {
                deadline: evaluate(rule, &clock, today),
                draft: drafts
                    .iter()
                    .find(|draft| draft.line_id == line.line_id)
                    .map(|draft| draft.message_id),
                order_id: line.order_id,
                order_number: line.order_number,
                customer_name: line.customer_name,
                customer_email: line.customer_email,
                line_id: line.line_id,
                sku: line.sku,
                name: line.name,
                waiting: line.waiting,
                ordered_on: line.ordered_on,
                eta: line.eta,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.deadline.due_by.is_none(), a.deadline.due_by)
            .cmp(&(b.deadline.due_by.is_none(), b.deadline.due_by))
            .then(b.deadline.stage.cmp(&a.deadline.stage))
            .then(a.order_number.cmp(&b.order_number))
            .then(a.sku.cmp(&b.sku))
    });
    Ok((rule, rows))
}

/// The customer's answer to a delay notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerAnswer {
    /// Agreed to wait, until this day (`None`: until the date the last notice gave, or without a
    /// date when it gave none).
    Wait { until: Option<NaiveDate> },
    /// Asked to cancel: the waiting lines are cancelled and their stock goes to the next
    /// customers.
    Cancel,
}

/// What recording an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOutcome {
    pub order_number: String,
    /// Lines cancelled (cancel answers).
    pub cancelled_lines: usize,
    /// Orders whose waiting lines got the freed stock.
    pub stock_to: Vec<String>,
}

/// Records the customer's answer on the order, given on `answered_on`, in one transaction:
/// "wait" is the consent the legal clock counts; "cancel" cancels the order's waiting lines
/// (reason: the customer asked) and frees their stock for the next customers.
pub fn record_answer(
    store: &mut Store,
    order_number: &str,
    answer: CustomerAnswer,
    answered_on: NaiveDate,
    clock: &Clock,
) -> Result<AnswerOutcome, NotifyError> {
    let number = order_number.trim();
    let order_id = order_id_by_number(store.connection(), number)?
        .ok_or_else(|| NotifyError::Invalid(format!("No order '{number}'")))?;
    let detail = order_detail(store.connection(), order_id)?;
    if detail.summary.status != OrderStatus::Open {
        return Err(NotifyError::Invalid(format!(
            "Order {number} is {}; an answer to a delay notice applies to an open order",
            detail.summary.status
        )));
    }
    let waiting: Vec<i64> = detail
        .lines
        .iter()
        .filter(|line| line.quantities.waiting() > 0)
        .map(|line| line.line_id)
        .collect();
    if waiting.is_empty() {
        return Err(NotifyError::Invalid(format!(
            "Nothing of order {number} waits; there is no delay to answer"
        )));
    }
    if let CustomerAnswer::Wait { until: Some(until) } = answer
        && until < answered_on
    {
        return Err(NotifyError::Invalid(format!(
            "The date to wait until ({until}) is before the answer ({answered_on}); give a later date"
        )));
    }
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        let stored = match answer {
            CustomerAnswer::Wait { until } => Answer::Wait {
                on: answered_on,
                until,
            },
            CustomerAnswer::Cancel => Answer::Cancel { on: answered_on },
        };
        add_answer(tx, order_id, stored, &now)?;
        let mut outcome = AnswerOutcome {
            order_number: number.to_owned(),
            cancelled_lines: 0,
            stock_to: Vec::new(),
        };
        match answer {
            CustomerAnswer::Cancel => {
                let moved =
                    cancel_lines_in(tx, order_id, &waiting, Some(CancelReason::Customer), clock)
                        .map_err(|error| NotifyError::Invalid(error.to_string()))?;
                outcome.cancelled_lines = waiting.len();
                for allocated in moved.iter().filter(|m| m.quantity > 0) {
                    if !outcome.stock_to.contains(&allocated.order_number) {
                        outcome.stock_to.push(allocated.order_number.clone());
                    }
                }
            }
            CustomerAnswer::Wait { .. } => {
                reconcile_order(tx, order_id, &Triggers::default(), &now)?;
            }
        }
        Ok(outcome)
    })
}
