//! Which customer messages an order needs now, from its current state: one current draft per
//! order and purpose. The app keeps the stored drafts in line with this plan (adds, keeps,
//! withdraws); a sent message is never changed.
//!
//! - **Confirmation** (order confirmation or preorder confirmation): drafted when an order is
//!   placed with waiting lines; while unsent it always tells the current state (what ships now,
//!   what waits, with today's dates). Withdrawn when nothing waits any more or the order closed.
//! - **Delay** (delay notice, or "date now known" when a purchase order dated lines that had no
//!   date from a supplier): drafted when a waiting line will ship later than the customer was
//!   told (or lost its date). One notice lists every line of the order that needs one, including
//!   lines whose legal clock asks for a notice. Withdrawn when the lines no longer wait or the
//!   dates are back within what the customer was told.
//! - **Ready**: drafted when stock reached lines that waited; withdrawn when they wait again or
//!   were cancelled (it stays true once they ship: they are on their way).
//! - **Substitution** and **Payment** are drafted on request or on a failed capture and
//!   withdrawn when nothing waits / the payment is settled, or the order closed.
//! - **Cancellation** messages say what happened and stay.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::legal::{Deadline, NoticeTerms};
use super::notify::MessageKind;
use super::order::{LineQuantities, held_for_completion, units_waiting};
use super::promise::EtaWindow;

pub use super::notify::Purpose;

/// The order's status (one enum for the whole desk).
pub use super::order::OrderStatus;

/// What the customer was last told about a line: the window (`None`: "no date yet") and
/// whether it was backed by stock or a purchase order (`false`: an estimate from the lead time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Told {
    pub window: Option<EtaWindow>,
    pub firm: bool,
}

/// One line of the order as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about the line, not a state machine"
)]
pub struct LineFacts {
    pub line_id: i64,
    pub quantities: LineQuantities,
    pub preorder: bool,
    /// Units waited when the order was placed.
    pub waited_at_order: bool,
    /// The current promise (waiting lines).
    pub eta: Option<EtaWindow>,
    /// A purchase order backs the current promise.
    pub firm: bool,
    pub told: Told,
    /// A "ready" message covering it was sent or discarded.
    pub told_ready: bool,
    /// Its legal clock today.
    pub deadline: Deadline,
    /// What a delay notice sent today would mean for it.
    pub terms: NoticeTerms,
}

impl LineFacts {
    fn waits(&self) -> bool {
        self.quantities.waiting() > 0
    }

    /// Why the customer must hear about this line again, if they must.
    pub fn news(&self) -> Option<News> {
        if !self.waits() {
            return None;
        }
        match (self.told.window, self.eta) {
            // A date from the lead time moving with the calendar, before and after, is not
            // news (the legal clock still shows when a notice is due).
            (Some(told), Some(now)) if now.end > told.end && (self.firm || self.told.firm) => {
                Some(if self.firm && !self.told.firm {
                    News::DateKnown
                } else {
                    News::Later
                })
            }
            (Some(_), None) => Some(News::DateLost),
            // Told "no date yet": a date later than promised is news, an earlier one is not.
            (None, Some(now)) if self.firm && now.end > self.deadline.promised_by => {
                Some(News::DateKnown)
            }
            _ => None,
        }
    }
}

/// Why a waiting line needs a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum News {
    /// It ships later than the customer was told.
    Later,
    /// A purchase order now gives a date later than the estimate the customer was told.
    DateKnown,
    /// It had a date and has none now.
    DateLost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub status: OrderStatus,
    pub ship_complete: bool,
    pub payment_failed: bool,
    /// A confirmation was sent or discarded already.
    pub confirmation_handled: bool,
    pub lines: Vec<LineFacts>,
}

/// An unsent draft of the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentDraft {
    pub message_id: i64,
    pub purpose: Purpose,
    pub kind: Option<MessageKind>,
    pub key: String,
    pub lines: Vec<i64>,
}

/// What caused this run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triggers {
    /// The order was just placed (or imported).
    pub placed: bool,
    /// Lines that just got stock.
    pub ready_lines: BTreeSet<i64>,
    /// Lines a purchase order just dated (no PO covered them before).
    pub dated_lines: BTreeSet<i64>,
    /// The shop asked for a delay notice for the lines whose clock needs one.
    pub delay_requested: bool,
}

/// A line of a planned draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLine {
    pub line_id: i64,
    /// The units the message is about.
    pub quantity: i64,
    pub eta: Option<EtaWindow>,
    pub firm: bool,
    /// What the customer had been told (delay notices).
    pub before: Option<EtaWindow>,
}

/// A draft the order needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSpec {
    pub purpose: Purpose,
    pub kind: MessageKind,
    /// Identifies the content: the same key is the same message.
    pub key: String,
    pub lines: Vec<PlannedLine>,
    /// Delay notices: what the notice means legally.
    pub terms: Option<NoticeTerms>,
}

/// What to do with one purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The current draft is right.
    Keep(i64),
    /// Add this draft; the current one (if any) is superseded by it.
    Draft {
        spec: DraftSpec,
        replaces: Option<i64>,
    },
    /// The current draft is no longer true.
    Withdraw { message_id: i64, reason: String },
}

fn closed_reason(status: OrderStatus) -> Option<&'static str> {
    match status {
        OrderStatus::Open => None,
        OrderStatus::Shipped => Some("The order shipped before this was sent"),
        OrderStatus::Cancelled => Some("The order was cancelled before this was sent"),
    }
}

fn window_key(window: Option<EtaWindow>) -> String {
    window.map_or_else(|| "?".to_owned(), |w| format!("{}..{}", w.start, w.end))
}

fn confirmation(order: &OrderFacts, triggers: &Triggers, current: bool) -> Option<DraftSpec> {
    if !(triggers.placed || current)
        || order.status != OrderStatus::Open
        || order.confirmation_handled
    {
        return None;
    }
    let waiting: Vec<&LineFacts> = order.lines.iter().filter(|line| line.waits()).collect();
    if waiting.is_empty() {
        return None;
    }
    let kind = if waiting.iter().all(|line| line.preorder) {
        MessageKind::Preorder
    } else {
        MessageKind::Confirmation
    };
    let mut key = String::from("confirm");
    let lines = order
        .lines
        .iter()
        .filter(|line| line.quantities.open() > 0)
        .map(|line| {
            let _ = write!(
                key,
                ":{}r{}w{}@{}",
                line.line_id,
                line.quantities.reserved,
                line.quantities.waiting(),
                window_key(line.eta)
            );
            PlannedLine {
                line_id: line.line_id,
                quantity: line.quantities.ordered,
                eta: line.eta,
                firm: line.firm,
                before: None,
            }
        })
        .collect();
    Some(DraftSpec {
        purpose: Purpose::Confirmation,
        kind,
        key,
        lines,
        terms: None,
    })
}

/// The terms of one notice for several lines: silence counts only if it does for every line,
/// a yes is needed by the earliest date any line needs it.
fn combine_terms(lines: &[&LineFacts]) -> Option<NoticeTerms> {
    if lines.is_empty() {
        return None;
    }
    Some(super::legal::combine_terms(
        lines.iter().map(|line| line.terms),
    ))
}

fn delay(order: &OrderFacts, triggers: &Triggers, current: bool) -> Option<DraftSpec> {
    if order.status != OrderStatus::Open {
        return None;
    }
    let news: Vec<(&LineFacts, News)> = order
        .lines
        .iter()
        .filter_map(|line| line.news().map(|news| (line, news)))
        .collect();
    let asked = !news.is_empty() || triggers.delay_requested || current;
    let lines: Vec<&LineFacts> = order
        .lines
        .iter()
        .filter(|line| {
            line.waits()
                && (news.iter().any(|(news, _)| news.line_id == line.line_id)
                    || (asked && line.deadline.stage.needs_notice()))
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    // "Date now known" only when every line with news was dated by a purchase order just now
    // (no PO covered it before) and the customer hears a later date than the estimate.
    let kind = if !news.is_empty()
        && news.iter().all(|(line, news)| {
            *news == News::DateKnown && triggers.dated_lines.contains(&line.line_id)
        }) {
        MessageKind::DateKnown
    } else {
        MessageKind::Delay
    };
    let terms = combine_terms(&lines)?;
    let mut key = format!(
        "{}:{}{}{}",
        kind.id(),
        if terms.renewed { "r" } else { "f" },
        if terms.silence_is_consent { "s" } else { "a" },
        terms
            .answer_by
            .map_or_else(|| "-".to_owned(), |day| day.to_string())
    );
    let planned = lines
        .iter()
        .map(|line| {
            let _ = write!(
                key,
                ":{}w{}@{}",
                line.line_id,
                line.quantities.waiting(),
                window_key(line.eta)
            );
            PlannedLine {
                line_id: line.line_id,
                quantity: line.quantities.waiting(),
                eta: line.eta,
                firm: line.firm,
                before: line.told.window,
            }
        })
        .collect();
    Some(DraftSpec {
        purpose: Purpose::Delay,
        kind,
        key,
        lines: planned,
        terms: Some(terms),
    })
}

fn ready(
    order: &OrderFacts,
    triggers: &Triggers,
    current: Option<&CurrentDraft>,
) -> Option<DraftSpec> {
    let triggered = order
        .lines
        .iter()
        .any(|line| triggers.ready_lines.contains(&line.line_id));
    if !(triggered || current.is_some()) || order.status == OrderStatus::Cancelled {
        return None;
    }
    if held_for_completion(
        order.ship_complete,
        units_waiting(order.lines.iter().map(|line| &line.quantities)),
    ) {
        return None;
    }
    let in_draft =
        |line: &LineFacts| current.is_some_and(|draft| draft.lines.contains(&line.line_id));
    let mut key = String::from("ready");
    let lines: Vec<PlannedLine> = order
        .lines
        .iter()
        .filter(|line| {
            let q = line.quantities;
            line.waited_at_order
                && !line.told_ready
                && ((q.waiting() == 0 && q.open() > 0 && q.reserved > 0)
                    || (q.open() == 0 && q.shipped > 0 && in_draft(line)))
        })
        .map(|line| {
            let _ = write!(key, ":{}", line.line_id);
            let q = line.quantities;
            PlannedLine {
                line_id: line.line_id,
                quantity: if q.open() > 0 { q.open() } else { q.shipped },
                eta: None,
                firm: true,
                before: None,
            }
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(DraftSpec {
        purpose: Purpose::Ready,
        kind: MessageKind::Ready,
        key,
        lines,
        terms: None,
    })
}

fn withdraw_reason(order: &OrderFacts, purpose: Purpose, draft: &CurrentDraft) -> String {
    if let Some(reason) = closed_reason(order.status)
        && !(purpose == Purpose::Ready && order.status == OrderStatus::Shipped)
    {
        return reason.to_owned();
    }
    let of_draft = || {
        order
            .lines
            .iter()
            .filter(|line| draft.lines.contains(&line.line_id))
    };
    match purpose {
        Purpose::Confirmation => {
            "Nothing of the order waits any more: it ships from stock".to_owned()
        }
        Purpose::Delay => {
            if of_draft().all(|line| !line.waits()) {
                "Stock reached the items before this was sent: they no longer wait".to_owned()
            } else {
                "The dates are back within what the customer was told".to_owned()
            }
        }
        Purpose::Ready => {
            if of_draft().any(|line| line.quantities.open() == 0 && line.quantities.shipped == 0) {
                "The items were cancelled before this was sent".to_owned()
            } else {
                "The items wait again: their stock was taken back".to_owned()
            }
        }
        Purpose::Substitution => "Nothing of the order waits any more".to_owned(),
        Purpose::Payment => "The payment was settled before this was sent".to_owned(),
        Purpose::Cancellation => String::new(),
    }
}

/// The plan for one order: for each purpose with a current draft or a need, keep, draft or
/// withdraw. `current` holds the order's unsent drafts (at most one per purpose).
pub fn plan(order: &OrderFacts, current: &[CurrentDraft], triggers: &Triggers) -> Vec<Step> {
    let mut steps = Vec::new();
    for purpose in [
        Purpose::Confirmation,
        Purpose::Delay,
        Purpose::Ready,
        Purpose::Substitution,
        Purpose::Payment,
    ] {
        let draft = current.iter().find(|draft| draft.purpose == purpose);
        let wanted = match purpose {
            Purpose::Confirmation => confirmation(order, triggers, draft.is_some()),
            Purpose::Delay => delay(order, triggers, draft.is_some()),
            Purpose::Ready => ready(order, triggers, draft),
            Purpose::Substitution | Purpose::Payment | Purpose::Cancellation => {
                let Some(draft) = draft else { continue };
                let still_true = order.status == OrderStatus::Open
                    && match purpose {
                        Purpose::Substitution => order.lines.iter().any(LineFacts::waits),
                        _ => order.payment_failed,
                    };
                steps.push(if still_true {
                    Step::Keep(draft.message_id)
                } else {
                    Step::Withdraw {
                        message_id: draft.message_id,
                        reason: withdraw_reason(order, purpose, draft),
                    }
                });
                continue;
            }
        };
        match (wanted, draft) {
            (None, None) => {}
            (None, Some(draft)) => steps.push(Step::Withdraw {
                message_id: draft.message_id,
                reason: withdraw_reason(order, purpose, draft),
            }),
            (Some(spec), Some(draft)) if spec.key == draft.key => {
                steps.push(Step::Keep(draft.message_id));
            }
            (Some(spec), draft) => steps.push(Step::Draft {
                spec,
                replaces: draft.map(|draft| draft.message_id),
            }),
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::legal::{Consent, Stage};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    #[expect(
        clippy::unnecessary_wraps,
        reason = "reads as the promise it stands for"
    )]
    fn window(start: (u32, u32), end: (u32, u32)) -> Option<EtaWindow> {
        Some(EtaWindow {
            start: day(start.0, start.1),
            end: day(end.0, end.1),
        })
    }

    fn deadline(stage: Stage) -> Deadline {
        Deadline {
            promised_by: day(3, 15),
            notice_due_by: day(3, 15),
            stage,
            consent: Consent::None,
            due_by: Some(day(3, 15)),
            agreed_until: None,
            basis: "",
        }
    }

    fn terms() -> NoticeTerms {
        NoticeTerms {
            renewed: false,
            silence_is_consent: false,
            answer_by: Some(day(3, 15)),
            answer_needed: true,
            cancelled_without_answer: true,
        }
    }

    /// 3 ordered, nothing reserved, told Mar 12–15 (an estimate), now `eta`.
    fn line(line_id: i64, eta: Option<EtaWindow>, firm: bool) -> LineFacts {
        let late = eta.is_none_or(|w| w.end > day(3, 15));
        LineFacts {
            line_id,
            quantities: LineQuantities {
                ordered: 3,
                reserved: 0,
                shipped: 0,
                cancelled: 0,
            },
            preorder: false,
            waited_at_order: true,
            eta,
            firm,
            told: Told {
                window: window((3, 12), (3, 15)),
                firm: false,
            },
            told_ready: false,
            deadline: deadline(if late {
                Stage::FirstNoticeDue
            } else {
                Stage::None
            }),
            terms: terms(),
        }
    }

    fn order(lines: Vec<LineFacts>) -> OrderFacts {
        OrderFacts {
            status: OrderStatus::Open,
            ship_complete: false,
            payment_failed: false,
            confirmation_handled: false,
            lines,
        }
    }

    fn draft_of(steps: &[Step], purpose: Purpose) -> Option<&DraftSpec> {
        steps.iter().find_map(|step| match step {
            Step::Draft { spec, .. } if spec.purpose == purpose => Some(spec),
            _ => None,
        })
    }

    fn current(spec: &DraftSpec, message_id: i64) -> CurrentDraft {
        CurrentDraft {
            message_id,
            purpose: spec.purpose,
            kind: Some(spec.kind),
            key: spec.key.clone(),
            lines: spec.lines.iter().map(|line| line.line_id).collect(),
        }
    }

    #[test]
    fn two_slipped_lines_make_one_notice_and_the_same_state_keeps_it() {
        let facts = order(vec![
            line(1, window((3, 21), (3, 24)), true),
            line(2, None, false),
        ]);
        let steps = plan(&facts, &[], &Triggers::default());
        let spec = draft_of(&steps, Purpose::Delay).expect("a delay notice");
        assert_eq!(spec.kind, MessageKind::Delay);
        assert_eq!(
            spec.lines.iter().map(|l| l.line_id).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(spec.lines[0].before, window((3, 12), (3, 15)));
        let again = plan(&facts, &[current(spec, 7)], &Triggers::default());
        assert_eq!(again, [Step::Keep(7)]);
    }

    #[test]
    fn a_po_dating_estimated_lines_says_date_now_known_only_when_later() {
        let dated = Triggers {
            dated_lines: [1].into(),
            ..Triggers::default()
        };
        // Estimated Mar 12–15, the PO says Mar 21–24: "date now known".
        let later = order(vec![line(1, window((3, 21), (3, 24)), true)]);
        let steps = plan(&later, &[], &dated);
        assert_eq!(
            draft_of(&steps, Purpose::Delay).map(|spec| spec.kind),
            Some(MessageKind::DateKnown)
        );
        // The PO says Mar 11–14: nothing to tell.
        let earlier = order(vec![line(1, window((3, 11), (3, 14)), true)]);
        assert!(plan(&earlier, &[], &dated).is_empty());
        // Estimates moving with the calendar are not news.
        let drift = order(vec![line(1, window((3, 21), (3, 24)), false)]);
        assert!(plan(&drift, &[], &Triggers::default()).is_empty());
    }

    #[test]
    fn stock_arriving_withdraws_the_notice_and_drafts_ready() {
        let slipped = order(vec![line(1, window((3, 21), (3, 24)), true)]);
        let steps = plan(&slipped, &[], &Triggers::default());
        let notice = current(draft_of(&steps, Purpose::Delay).expect("notice"), 7);
        let mut arrived = slipped.clone();
        arrived.lines[0].quantities.reserved = 3;
        arrived.lines[0].eta = None;
        let triggers = Triggers {
            ready_lines: [1].into(),
            ..Triggers::default()
        };
        let steps = plan(&arrived, &[notice], &triggers);
        assert!(steps.contains(&Step::Withdraw {
            message_id: 7,
            reason: "Stock reached the items before this was sent: they no longer wait".into()
        }));
        let ready = draft_of(&steps, Purpose::Ready).expect("ready");
        assert_eq!(ready.lines[0].quantity, 3);
        // Shipped: the ready message stays true; a cancelled order withdraws it.
        let ready_draft = current(ready, 8);
        let mut after_shipping = arrived.clone();
        after_shipping.status = OrderStatus::Shipped;
        after_shipping.lines[0].quantities.shipped = 3;
        after_shipping.lines[0].quantities.reserved = 0;
        assert_eq!(
            plan(
                &after_shipping,
                std::slice::from_ref(&ready_draft),
                &Triggers::default()
            ),
            [Step::Keep(8)]
        );
        let mut cancelled = arrived;
        cancelled.status = OrderStatus::Cancelled;
        cancelled.lines[0].quantities.cancelled = 3;
        cancelled.lines[0].quantities.reserved = 0;
        assert_eq!(
            plan(&cancelled, &[ready_draft], &Triggers::default()),
            [Step::Withdraw {
                message_id: 8,
                reason: "The order was cancelled before this was sent".into()
            }]
        );
    }

    #[test]
    fn an_unsent_confirmation_follows_the_order_and_goes_when_nothing_waits() {
        let placed = Triggers {
            placed: true,
            ..Triggers::default()
        };
        let facts = order(vec![line(1, window((3, 12), (3, 15)), false)]);
        let steps = plan(&facts, &[], &placed);
        let spec = draft_of(&steps, Purpose::Confirmation).expect("confirmation");
        let mut moved = facts.clone();
        moved.lines[0].eta = window((3, 11), (3, 14));
        moved.lines[0].firm = true;
        let steps = plan(&moved, &[current(spec, 5)], &Triggers::default());
        assert!(matches!(
            &steps[0],
            Step::Draft { spec, replaces: Some(5) } if spec.purpose == Purpose::Confirmation
        ));
        let mut shipped = facts;
        shipped.status = OrderStatus::Shipped;
        shipped.lines[0].quantities.shipped = 3;
        assert_eq!(
            plan(&shipped, &[current(spec, 5)], &Triggers::default()),
            [Step::Withdraw {
                message_id: 5,
                reason: "The order shipped before this was sent".into()
            }]
        );
    }

    #[test]
    fn a_requested_notice_takes_every_line_whose_clock_asks_for_one() {
        // Told "no date yet" and still none: no news, but the clock says a notice is due.
        let mut undated = line(1, None, false);
        undated.told.window = None;
        let facts = order(vec![undated]);
        assert!(plan(&facts, &[], &Triggers::default()).is_empty());
        let asked = Triggers {
            delay_requested: true,
            ..Triggers::default()
        };
        let steps = plan(&facts, &[], &asked);
        assert_eq!(
            draft_of(&steps, Purpose::Delay).map(|spec| spec.lines.len()),
            Some(1)
        );
    }
}
