//! The legal clock of a waiting line: by when the customer was promised the goods, by when a
//! delay notice must go out, whether the customer's silence counts as consent, when a renewed
//! notice is due, and when the order must be cancelled and refunded because no consent came.
//!
//! Two rules are modelled from their own text:
//!
//! **US — FTC Mail, Internet, or Telephone Order Merchandise Rule, 16 CFR Part 435.**
//! - §435.2(a)(1): the seller must be able to ship "(i) Within that time clearly and
//!   conspicuously stated in any such solicitation; or (ii) If no time is clearly and
//!   conspicuously stated, within thirty (30) days after receipt of a properly completed order"
//!   (the "applicable time", here `promised_by`; §435.1(c) defines the receipt of a properly
//!   completed order, §435.1(e) shipment as handing the goods to the carrier — so dates here are
//!   shipping dates).
//! - §435.2(b)(1): when the seller cannot ship within that time it must offer "an option
//!   either to consent to a delay in shipping or to cancel the buyer's order and receive a prompt
//!   refund", "in no event later than said applicable time" (the last day for the first notice).
//!   (b)(1)(i): the offer gives "a definite revised shipping date" or says the seller "is unable
//!   to make any representation regarding the length of the delay".
//! - §435.2(b)(1)(ii): a definite revised date "thirty (30) days or less later than the
//!   applicable time": unless the buyer cancels before shipment and before that date, "the buyer
//!   will be deemed to have consented" — silence is consent.
//! - §435.2(b)(1)(iii): a revised date "more than thirty (30) days later" or no date: the order
//!   is "automatically … deemed to have been cancelled unless: (A) The seller has shipped the
//!   merchandise within thirty (30) days of the applicable time …; or (B) The seller has received
//!   from the buyer within thirty (30) days of said applicable time, a response specifically
//!   consenting" — an answer must be asked for. Consent to an indefinite delay leaves "a
//!   continuing right to cancel".
//! - §435.2(b)(2): unable to ship by the definite revised date consented to, the seller must
//!   offer "a renewed option", "in no event later than the expiration of the definite revised
//!   shipping date"; a date the buyer expressly consented to "shall supersede" it.
//!   (b)(2)(ii): unless the buyer specifically consents before the old date expires, "the buyer
//!   will be deemed to have rejected any further delay" — silence is refusal.
//!   (b)(2)(iii): no renewed option after consent to an indefinite delay.
//! - §435.2(b)(3): "adequate means, at the seller's expense" to cancel (reply to the e-mail).
//! - §435.2(c): the seller must "deem an order cancelled and … make a prompt refund" when the
//!   buyer cancels (c)(1), when no consent came within 30 days of the applicable time after a
//!   (b)(1)(iii) notice (c)(2), when no consent to a further delay came by the revised date
//!   (c)(3), and when no option was offered and nothing shipped within the applicable time (c)(5).
//!   §435.1(b) defines the prompt refund (seven working days; one billing cycle for credit).
//!
//! **EU — Directive 2011/83/EU, Article 18 (Delivery).**
//! - 18(1): "Unless the parties have agreed otherwise on the time of delivery, the trader shall
//!   deliver the goods … without undue delay, but not later than 30 days from the conclusion of
//!   the contract." A later date therefore needs the consumer's agreement: silence never counts.
//! - 18(2): when the trader misses that time the consumer calls for delivery "within an
//!   additional period of time appropriate to the circumstances" and may then terminate the
//!   contract (at once where the date was essential). The trader is not required to cancel on its
//!   own, so this rule never makes the desk say "cancel due" by itself.
//! - 18(3): "Upon termination of the contract, the trader shall, without undue delay, reimburse
//!   all sums paid under the contract."
//!
//! The EU rule speaks of delivery and the FTC rule of shipment; the desk knows shipping dates,
//! so a shop under the EU rule leaves room for transit in the time it states.
//!
//! Days are calendar days and deadlines inclusive: a notice sent on the last day is in time.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Duration, NaiveDate};

/// The shop's stated shipping time when it states none: the FTC's fallback (§435.2(a)(1)(ii))
/// and the EU's outer limit (art. 18(1)) are both 30 days.
pub const DEFAULT_STATED_SHIP_DAYS: i64 = 30;
/// The 30 days of §435.2(b)(1)(ii)–(iii) and (c)(2).
pub const FTC_CONSENT_DAYS: i64 = 30;

/// The rule the shop follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LegalRule {
    /// US FTC, 16 CFR 435.
    Ftc,
    /// EU Directive 2011/83/EU art. 18.
    Eu,
    /// Both: every deadline is the earlier of the two, and silence never counts as consent.
    #[default]
    Both,
}

impl LegalRule {
    pub const ALL: [Self; 3] = [Self::Ftc, Self::Eu, Self::Both];

    /// The setting's value: `us`, `eu` or `both`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ftc => "us",
            Self::Eu => "eu",
            Self::Both => "both",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|rule| rule.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ftc => "US FTC (16 CFR 435)",
            Self::Eu => "EU (Directive 2011/83/EU art. 18)",
            Self::Both => "Both (the stricter of each)",
        }
    }
}

/// Where a waiting line stands on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// On track: it ships by the date the customer agreed to (or has no deadline).
    None,
    /// It will not ship by the promised date and no delay notice went out yet.
    FirstNoticeDue,
    /// It will not ship by the date consented to: a renewed notice is due.
    RenewedNoticeDue,
    /// A notice went out and the customer must say yes (silence does not count).
    WaitingForAnswer,
    /// The order must be cancelled and refunded (or the customer asked to cancel).
    CancelDue,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::FirstNoticeDue => "first_notice_due",
            Self::RenewedNoticeDue => "renewed_notice_due",
            Self::WaitingForAnswer => "waiting_for_answer",
            Self::CancelDue => "cancel_due",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "On track",
            Self::FirstNoticeDue => "Delay notice due",
            Self::RenewedNoticeDue => "Renewed notice due",
            Self::WaitingForAnswer => "Waiting for the customer's answer",
            Self::CancelDue => "Cancel and refund",
        }
    }

    /// A notice has to be written for this line.
    pub fn needs_notice(self) -> bool {
        matches!(self, Self::FirstNoticeDue | Self::RenewedNoticeDue)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the customer agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Consent {
    /// Nothing: the original promise (or nothing yet agreed to a later one).
    None,
    /// Silence counts as consent to the revised date (FTC §435.2(b)(1)(ii) only).
    Silent,
    /// The customer said yes (recorded on the order).
    Agreed,
    /// The customer asked to cancel.
    Cancelled,
}

impl Consent {
    pub fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Silent => "silent",
            Self::Agreed => "agreed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "—",
            Self::Silent => "Silence counts as yes",
            Self::Agreed => "Agreed to wait",
            Self::Cancelled => "Asked to cancel",
        }
    }

    fn strength(self) -> u8 {
        match self {
            Self::None => 0,
            Self::Silent => 1,
            Self::Agreed => 2,
            Self::Cancelled => 3,
        }
    }
}

/// A delay notice the customer was sent for this line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub sent_on: NaiveDate,
    /// The definite revised shipping date it gave (`None`: it said no date can be given).
    pub revised: Option<NaiveDate>,
}

/// The customer's answer, recorded on the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Agreed to wait until this day (`None`: until the date of the notice, or without a date
    /// when the notice had none).
    Wait {
        on: NaiveDate,
        until: Option<NaiveDate>,
    },
    /// Asked to cancel.
    Cancel { on: NaiveDate },
}

impl Answer {
    pub fn on(self) -> NaiveDate {
        match self {
            Self::Wait { on, .. } | Self::Cancel { on } => on,
        }
    }
}

/// Everything the clock needs about one waiting line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineClock {
    /// The applicable time: the shipping date promised when the order was placed.
    pub promised_by: NaiveDate,
    /// When the line is now expected to ship (the end of its window); `None`: unknown.
    pub eta: Option<NaiveDate>,
    /// Delay notices sent for this line, any order.
    pub notices: Vec<Notice>,
    /// The customer's latest answer.
    pub answer: Option<Answer>,
}

/// Where a line stands, and the dates that matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The applicable time (FTC §435.2(a)(1)) / the agreed delivery time (EU art. 18(1)).
    pub promised_by: NaiveDate,
    /// The last day a first delay notice may be sent (FTC §435.2(b)(1)): the promised date.
    pub notice_due_by: NaiveDate,
    pub stage: Stage,
    pub consent: Consent,
    /// The next date by which something must happen: ship, send a notice, get an answer, or
    /// (past it) cancel. `None`: nothing is due (consent to an indefinite delay).
    pub due_by: Option<NaiveDate>,
    /// The date the customer's consent runs to (`None`: open-ended or nothing agreed beyond the
    /// promise).
    pub agreed_until: Option<NaiveDate>,
    /// Which paragraph decides the stage.
    pub basis: &'static str,
}

impl Deadline {
    /// The due date has passed (shown in red).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        (self.stage != Stage::None && self.due_by.is_some_and(|due| today > due))
            || self.stage == Stage::CancelDue
    }
}

/// What a delay notice sent today would mean, so the draft can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "the separate statements a notice must make"
)]
pub struct NoticeTerms {
    /// A notice already went out for this line: this one is a renewed option.
    pub renewed: bool,
    /// Silence counts as consent to the revised date (FTC §435.2(b)(1)(ii)).
    pub silence_is_consent: bool,
    /// The customer must say yes by this day (`None` with `answer_needed`: as soon as possible).
    pub answer_by: Option<NaiveDate>,
    /// A yes is needed (silence does not count).
    pub answer_needed: bool,
    /// Without a yes the order is cancelled and refunded (FTC §435.2(b)(1)(iii), (b)(2)(ii)).
    pub cancelled_without_answer: bool,
}

/// How long the customer's consent runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    Date(NaiveDate),
    Indefinite,
}

impl Until {
    fn date(self) -> Option<NaiveDate> {
        match self {
            Self::Date(day) => Some(day),
            Self::Indefinite => None,
        }
    }
}

/// The state after replaying the notices and the answer in time order.
#[derive(Debug, Clone, Copy)]
struct Replay {
    /// A valid option was offered (or the customer agreed without one).
    offered: bool,
    until: Until,
    consent: Consent,
    /// A yes is needed by this day.
    pending: Option<NaiveDate>,
    /// The notice that made the consent or the request.
    basis: &'static str,
    cancelled_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Notice(Notice),
    Answer(Answer),
}

fn events(clock: &LineClock) -> Vec<(NaiveDate, u8, Event)> {
    let mut events: Vec<(NaiveDate, u8, Event)> = clock
        .notices
        .iter()
        .map(|notice| (notice.sent_on, 0, Event::Notice(*notice)))
        .collect();
    if let Some(answer) = clock.answer {
        // On the same day the notice comes first: an answer answers what was sent.
        events.push((answer.on(), 1, Event::Answer(answer)));
    }
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    events
}

fn last_revised(clock: &LineClock, before: NaiveDate) -> Until {
    clock
        .notices
        .iter()
        .filter(|notice| notice.sent_on <= before)
        .max_by_key(|notice| notice.sent_on)
        .map_or(Until::Indefinite, |notice| {
            notice.revised.map_or(Until::Indefinite, Until::Date)
        })
}

fn answer_replay(replay: &mut Replay, clock: &LineClock, answer: Answer, basis: &'static str) {
    match answer {
        Answer::Cancel { on } => {
            replay.consent = Consent::Cancelled;
            replay.cancelled_on = Some(on);
            replay.pending = None;
        }
        Answer::Wait { on, until } => {
            replay.offered = true;
            replay.consent = Consent::Agreed;
            replay.pending = None;
            replay.until = until.map_or_else(|| last_revised(clock, on), Until::Date);
            replay.basis = basis;
        }
    }
}

fn replay_ftc(clock: &LineClock) -> Replay {
    let t = clock.promised_by;
    let t30 = t + Duration::days(FTC_CONSENT_DAYS);
    let mut replay = Replay {
        offered: false,
        until: Until::Date(t),
        consent: Consent::None,
        pending: None,
        basis: "16 CFR 435.2(a)(1)",
        cancelled_on: None,
    };
    for (_, _, event) in events(clock) {
        if replay.consent == Consent::Cancelled {
            break;
        }
        match event {
            Event::Notice(notice) if !replay.offered => {
                // (b)(1): "in no event later than said applicable time"; a later one is not
                // the option the rule prescribes.
                if notice.sent_on > t {
                    continue;
                }
                replay.offered = true;
                match notice.revised {
                    Some(revised) if revised <= t30 => {
                        replay.until = Until::Date(revised);
                        replay.consent = Consent::Silent;
                        replay.basis = "16 CFR 435.2(b)(1)(ii)";
                    }
                    _ => {
                        replay.pending = Some(t30);
                        replay.basis = "16 CFR 435.2(b)(1)(iii)";
                    }
                }
            }
            Event::Notice(notice) => {
                // Still waiting for the yes an earlier notice asked for: nothing changes. After
                // consent to an indefinite delay no renewed option is needed ((b)(2)(iii)), and
                // one sent after the date in force is too late.
                if replay.pending.is_some() {
                    continue;
                }
                // (b)(2): a renewed option, in time; silence is refusal ((b)(2)(ii)).
                if let Until::Date(in_force) = replay.until
                    && notice.sent_on <= in_force
                {
                    replay.pending = Some(in_force);
                    replay.basis = "16 CFR 435.2(b)(2)(ii)";
                }
            }
            Event::Answer(answer) => {
                answer_replay(
                    &mut replay,
                    clock,
                    answer,
                    "16 CFR 435.2(b)(1)(iii)(B), (b)(2)",
                );
            }
        }
    }
    replay
}

fn replay_eu(clock: &LineClock) -> Replay {
    let mut replay = Replay {
        offered: false,
        until: Until::Date(clock.promised_by),
        consent: Consent::None,
        pending: None,
        basis: "Directive 2011/83/EU art. 18(1)",
        cancelled_on: None,
    };
    for (_, _, event) in events(clock) {
        if replay.consent == Consent::Cancelled {
            break;
        }
        match event {
            Event::Notice(_) => {
                replay.offered = true;
                // A later delivery time must be agreed (18(1)); silence is no agreement.
                if let Until::Date(in_force) = replay.until {
                    replay.pending = Some(replay.pending.map_or(in_force, |p| p.min(in_force)));
                    replay.basis = "Directive 2011/83/EU art. 18(1)";
                }
            }
            Event::Answer(answer) => {
                answer_replay(
                    &mut replay,
                    clock,
                    answer,
                    "Directive 2011/83/EU art. 18(1)",
                );
            }
        }
    }
    replay
}

fn cancelled(promised_by: NaiveDate, on: NaiveDate, basis: &'static str) -> Deadline {
    Deadline {
        promised_by,
        notice_due_by: promised_by,
        stage: Stage::CancelDue,
        consent: Consent::Cancelled,
        due_by: Some(on),
        agreed_until: None,
        basis,
    }
}

fn ftc(clock: &LineClock, today: NaiveDate) -> Deadline {
    let t = clock.promised_by;
    let replay = replay_ftc(clock);
    let base = Deadline {
        promised_by: t,
        notice_due_by: t,
        stage: Stage::None,
        consent: replay.consent,
        due_by: Some(t),
        agreed_until: replay.until.date().filter(|_| replay.offered),
        basis: replay.basis,
    };
    if let Some(on) = replay.cancelled_on {
        return cancelled(t, on, "16 CFR 435.2(c)(1)");
    }
    if let Some(by) = replay.pending {
        let late = today > by;
        return Deadline {
            stage: if late {
                Stage::CancelDue
            } else {
                Stage::WaitingForAnswer
            },
            due_by: Some(by),
            basis: if late {
                if replay.basis == "16 CFR 435.2(b)(2)(ii)" {
                    "16 CFR 435.2(c)(3)"
                } else {
                    "16 CFR 435.2(c)(2)"
                }
            } else {
                replay.basis
            },
            ..base
        };
    }
    if !replay.offered {
        return if clock.eta.is_some_and(|eta| eta <= t) {
            base
        } else if today <= t {
            Deadline {
                stage: Stage::FirstNoticeDue,
                basis: "16 CFR 435.2(b)(1)",
                ..base
            }
        } else {
            Deadline {
                stage: Stage::CancelDue,
                basis: "16 CFR 435.2(c)(5)",
                ..base
            }
        };
    }
    match replay.until {
        Until::Indefinite => Deadline {
            due_by: None,
            agreed_until: None,
            basis: "16 CFR 435.2(b)(1)(iii)(B), (b)(2)(iii)",
            ..base
        },
        Until::Date(until) => {
            let stage = if clock.eta.is_some_and(|eta| eta <= until) {
                Stage::None
            } else if today <= until {
                Stage::RenewedNoticeDue
            } else {
                Stage::CancelDue
            };
            Deadline {
                stage,
                due_by: Some(until),
                basis: match stage {
                    Stage::RenewedNoticeDue => "16 CFR 435.2(b)(2)",
                    Stage::CancelDue => "16 CFR 435.2(c)(3)",
                    _ => replay.basis,
                },
                ..base
            }
        }
    }
}

fn eu(clock: &LineClock, today: NaiveDate) -> Deadline {
    let t = clock.promised_by;
    let replay = replay_eu(clock);
    let base = Deadline {
        promised_by: t,
        notice_due_by: t,
        stage: Stage::None,
        consent: replay.consent,
        due_by: Some(t),
        agreed_until: replay
            .until
            .date()
            .filter(|_| replay.consent == Consent::Agreed),
        basis: replay.basis,
    };
    if let Some(on) = replay.cancelled_on {
        return cancelled(t, on, "Directive 2011/83/EU art. 18(3)");
    }
    if let Some(by) = replay.pending {
        return Deadline {
            stage: Stage::WaitingForAnswer,
            due_by: Some(by),
            ..base
        };
    }
    if replay.consent != Consent::Agreed {
        return if clock.eta.is_some_and(|eta| eta <= t) {
            base
        } else {
            // Past the date it stays due (in red): the customer may now set an additional
            // period and then terminate (18(2)).
            Deadline {
                stage: Stage::FirstNoticeDue,
                basis: if today > t {
                    "Directive 2011/83/EU art. 18(2)"
                } else {
                    "Directive 2011/83/EU art. 18(1)"
                },
                ..base
            }
        };
    }
    match replay.until {
        Until::Indefinite => Deadline {
            due_by: None,
            ..base
        },
        Until::Date(until) => Deadline {
            stage: if clock.eta.is_some_and(|eta| eta <= until) {
                Stage::None
            } else {
                Stage::RenewedNoticeDue
            },
            due_by: Some(until),
            ..base
        },
    }
}

/// Orders two evaluations: the one due first (nothing due = last), then the graver stage.
fn sooner(a: &Deadline, b: &Deadline) -> Ordering {
    let due = |d: &Deadline| (d.stage == Stage::None, d.due_by.is_none(), d.due_by);
    due(a).cmp(&due(b)).then(b.stage.cmp(&a.stage))
}

/// Where a waiting line stands under `rule` on `today`.
pub fn evaluate(rule: LegalRule, clock: &LineClock, today: NaiveDate) -> Deadline {
    match rule {
        LegalRule::Ftc => ftc(clock, today),
        LegalRule::Eu => eu(clock, today),
        LegalRule::Both => {
            let us = ftc(clock, today);
            let eu = eu(clock, today);
            let consent = if us.consent.strength() <= eu.consent.strength() {
                us.consent
            } else {
                eu.consent
            };
            let consent = if us.consent == Consent::Cancelled || eu.consent == Consent::Cancelled {
                Consent::Cancelled
            } else {
                consent
            };
            let mut first = if sooner(&us, &eu) == Ordering::Greater {
                eu
            } else {
                us
            };
            first.consent = consent;
            first
        }
    }
}

/// What a delay notice sent today (giving `revised`, or no date) would mean for a line with
/// this history: a first or renewed option, and whether silence counts or a yes is needed by
/// a date.
pub fn notice_terms(
    rule: LegalRule,
    clock: &LineClock,
    revised: Option<NaiveDate>,
    today: NaiveDate,
) -> NoticeTerms {
    let renewed = !clock.notices.is_empty();
    let mut with = clock.clone();
    with.notices.push(Notice {
        sent_on: today,
        revised,
    });
    // An answer given before this notice does not answer it.
    if with.answer.is_some_and(|answer| answer.on() < today) {
        with.answer = None;
    }
    let terms = |replay: Replay, auto_cancel: bool| {
        let answer_needed = replay.pending.is_some() || !replay.offered;
        NoticeTerms {
            renewed,
            silence_is_consent: replay.consent == Consent::Silent && replay.pending.is_none(),
            answer_by: replay.pending.filter(|by| *by >= today),
            answer_needed,
            cancelled_without_answer: auto_cancel && answer_needed,
        }
    };
    let us = terms(replay_ftc(&with), true);
    let eu = terms(replay_eu(&with), false);
    match rule {
        LegalRule::Ftc => us,
        LegalRule::Eu => eu,
        LegalRule::Both => {
            let mut both = combine_terms([us, eu]);
            both.silence_is_consent = false;
            both.answer_needed = true;
            both
        }
    }
}

/// The terms of one notice covering several lines (or several rules): silence counts only if
/// it does for every one, a yes is needed by the earliest date any of them needs it ("as soon
/// as possible" when one needs it without a date).
pub fn combine_terms(all: impl IntoIterator<Item = NoticeTerms>) -> NoticeTerms {
    let all: Vec<NoticeTerms> = all.into_iter().collect();
    let needed: Vec<&NoticeTerms> = all.iter().filter(|terms| terms.answer_needed).collect();
    NoticeTerms {
        renewed: all.iter().any(|terms| terms.renewed),
        silence_is_consent: needed.is_empty()
            && !all.is_empty()
            && all.iter().all(|terms| terms.silence_is_consent),
        answer_by: if needed.iter().any(|terms| terms.answer_by.is_none()) {
            None
        } else {
            needed.iter().filter_map(|terms| terms.answer_by).min()
        },
        answer_needed: !needed.is_empty(),
        cancelled_without_answer: needed.iter().any(|terms| terms.cancelled_without_answer),
    }
}

/// The promised shipping date of a line placed on `ordered_on`: the end of the window promised
/// then, or, without one, the shop's stated shipping time (§435.2(a)(1); art. 18(1)).
pub fn promised_by(
    ordered_on: NaiveDate,
    promised_window_end: Option<NaiveDate>,
    stated_ship_days: i64,
) -> NaiveDate {
    promised_window_end.unwrap_or(ordered_on + Duration::days(stated_ship_days.max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    /// Ordered Mar 1, no stated time: promised by Mar 31 (Mar 1 + 30 days).
    fn clock(eta: Option<NaiveDate>) -> LineClock {
        LineClock {
            promised_by: promised_by(day(3, 1), None, DEFAULT_STATED_SHIP_DAYS),
            eta,
            notices: Vec::new(),
            answer: None,
        }
    }

    fn notice(sent_on: NaiveDate, revised: Option<NaiveDate>) -> Notice {
        Notice { sent_on, revised }
    }

    #[test]
    fn the_fallback_is_thirty_days_after_the_order() {
        assert_eq!(promised_by(day(3, 1), None, 30), day(3, 31));
        assert_eq!(promised_by(day(3, 1), Some(day(3, 12)), 30), day(3, 12));
        assert_eq!(promised_by(day(3, 1), None, 10), day(3, 11));
    }

    #[test]
    fn on_track_until_the_date_cannot_be_kept() {
        // Ships Mar 31, exactly the promised day: nothing due.
        let on_time = evaluate(LegalRule::Ftc, &clock(Some(day(3, 31))), day(3, 10));
        assert_eq!(on_time.stage, Stage::None);
        assert_eq!(on_time.due_by, Some(day(3, 31)));
        assert_eq!(on_time.notice_due_by, day(3, 31));
        // One day later: a first notice is due by Mar 31 (435.2(b)(1)), still on Mar 31 itself.
        let late = clock(Some(day(4, 1)));
        let due = evaluate(LegalRule::Ftc, &late, day(3, 31));
        assert_eq!(due.stage, Stage::FirstNoticeDue);
        assert_eq!(due.due_by, Some(day(3, 31)));
        assert!(!due.overdue(day(3, 31)));
        // The day after, with no notice sent and nothing shipped: cancel (435.2(c)(5)).
        let missed = evaluate(LegalRule::Ftc, &late, day(4, 1));
        assert_eq!(missed.stage, Stage::CancelDue);
        assert_eq!(missed.basis, "16 CFR 435.2(c)(5)");
        assert!(missed.overdue(day(4, 1)));
        // An unknown date is not on track.
        assert_eq!(
            evaluate(LegalRule::Ftc, &clock(None), day(3, 2)).stage,
            Stage::FirstNoticeDue
        );
    }

    #[test]
    fn a_revised_date_exactly_thirty_days_later_lets_silence_count() {
        // Promised Mar 31; revised Apr 30 = Mar 31 + 30 days: (b)(1)(ii).
        let mut line = clock(Some(day(4, 30)));
        line.notices.push(notice(day(3, 20), Some(day(4, 30))));
        let state = evaluate(LegalRule::Ftc, &line, day(4, 10));
        assert_eq!(state.stage, Stage::None);
        assert_eq!(state.consent, Consent::Silent);
        assert_eq!(state.agreed_until, Some(day(4, 30)));
        assert_eq!(state.due_by, Some(day(4, 30)));
        // It slips past Apr 30: a renewed notice is due by Apr 30 (b)(2); after it, cancel (c)(3).
        line.eta = Some(day(5, 3));
        let renewed = evaluate(LegalRule::Ftc, &line, day(4, 30));
        assert_eq!(renewed.stage, Stage::RenewedNoticeDue);
        assert_eq!(renewed.due_by, Some(day(4, 30)));
        let missed = evaluate(LegalRule::Ftc, &line, day(5, 1));
        assert_eq!(missed.stage, Stage::CancelDue);
        assert_eq!(missed.basis, "16 CFR 435.2(c)(3)");
    }

    #[test]
    fn thirty_one_days_later_needs_a_yes_within_thirty_days_of_the_promise() {
        // Revised May 1 = Mar 31 + 31 days: (b)(1)(iii); a yes is needed by Apr 30.
        let mut line = clock(Some(day(5, 1)));
        line.notices.push(notice(day(3, 20), Some(day(5, 1))));
        let state = evaluate(LegalRule::Ftc, &line, day(4, 30));
        assert_eq!(state.stage, Stage::WaitingForAnswer);
        assert_eq!(state.consent, Consent::None);
        assert_eq!(state.due_by, Some(day(4, 30)));
        // No yes by Apr 30 and not shipped: the order is cancelled (c)(2).
        let missed = evaluate(LegalRule::Ftc, &line, day(5, 1));
        assert_eq!(missed.stage, Stage::CancelDue);
        assert_eq!(missed.basis, "16 CFR 435.2(c)(2)");
        // The customer agreed on Apr 2 (without naming a date): consent to May 1.
        line.answer = Some(Answer::Wait {
            on: day(4, 2),
            until: None,
        });
        let agreed = evaluate(LegalRule::Ftc, &line, day(5, 1));
        assert_eq!(agreed.stage, Stage::None);
        assert_eq!(agreed.consent, Consent::Agreed);
        assert_eq!(agreed.agreed_until, Some(day(5, 1)));
    }

    #[test]
    fn no_date_needs_a_yes_and_a_yes_to_no_date_needs_no_renewal() {
        let mut line = clock(None);
        line.notices.push(notice(day(3, 31), None));
        let state = evaluate(LegalRule::Ftc, &line, day(4, 1));
        assert_eq!(state.stage, Stage::WaitingForAnswer);
        assert_eq!(state.due_by, Some(day(4, 30)));
        line.answer = Some(Answer::Wait {
            on: day(4, 3),
            until: None,
        });
        let agreed = evaluate(LegalRule::Ftc, &line, day(6, 1));
        // (b)(1)(iii)(B), (b)(2)(iii): open-ended consent, continuing right to cancel.
        assert_eq!(agreed.stage, Stage::None);
        assert_eq!(agreed.consent, Consent::Agreed);
        assert_eq!(agreed.due_by, None);
    }

    #[test]
    fn a_first_notice_after_the_promised_date_is_too_late() {
        let mut line = clock(Some(day(4, 10)));
        line.notices.push(notice(day(4, 1), Some(day(4, 10))));
        let state = evaluate(LegalRule::Ftc, &line, day(4, 2));
        assert_eq!(state.stage, Stage::CancelDue);
        assert_eq!(state.basis, "16 CFR 435.2(c)(5)");
        // …unless the customer expressly agreed.
        line.answer = Some(Answer::Wait {
            on: day(4, 2),
            until: Some(day(4, 12)),
        });
        let agreed = evaluate(LegalRule::Ftc, &line, day(4, 2));
        assert_eq!(agreed.stage, Stage::None);
        assert_eq!(agreed.agreed_until, Some(day(4, 12)));
    }

    #[test]
    fn a_renewed_notice_needs_a_yes_before_the_old_date() {
        let mut line = clock(Some(day(5, 20)));
        line.notices.push(notice(day(3, 20), Some(day(4, 20))));
        line.notices.push(notice(day(4, 15), Some(day(5, 20))));
        let state = evaluate(LegalRule::Ftc, &line, day(4, 20));
        assert_eq!(state.stage, Stage::WaitingForAnswer);
        assert_eq!(state.due_by, Some(day(4, 20)));
        assert_eq!(state.basis, "16 CFR 435.2(b)(2)(ii)");
        assert_eq!(
            evaluate(LegalRule::Ftc, &line, day(4, 21)).stage,
            Stage::CancelDue
        );
        // A yes on the old date itself, to the new date: in time.
        line.answer = Some(Answer::Wait {
            on: day(4, 20),
            until: None,
        });
        let agreed = evaluate(LegalRule::Ftc, &line, day(4, 25));
        assert_eq!(agreed.stage, Stage::None);
        assert_eq!(agreed.agreed_until, Some(day(5, 20)));
    }

    #[test]
    fn eu_silence_never_counts_and_the_desk_never_cancels_by_itself() {
        let mut line = clock(Some(day(4, 10)));
        assert_eq!(
            evaluate(LegalRule::Eu, &line, day(3, 5)).stage,
            Stage::FirstNoticeDue
        );
        // Past the date without a notice: still due (the customer may set an additional
        // period, 18(2)), never "cancel due".
        let late = evaluate(LegalRule::Eu, &line, day(4, 2));
        assert_eq!(late.stage, Stage::FirstNoticeDue);
        assert!(late.overdue(day(4, 2)));
        line.notices.push(notice(day(3, 20), Some(day(4, 10))));
        let asked = evaluate(LegalRule::Eu, &line, day(3, 21));
        assert_eq!(asked.stage, Stage::WaitingForAnswer);
        assert_eq!(asked.consent, Consent::None);
        assert_eq!(asked.due_by, Some(day(3, 31)));
        line.answer = Some(Answer::Wait {
            on: day(3, 22),
            until: None,
        });
        let agreed = evaluate(LegalRule::Eu, &line, day(3, 22));
        assert_eq!(agreed.stage, Stage::None);
        assert_eq!(agreed.agreed_until, Some(day(4, 10)));
        line.answer = Some(Answer::Cancel { on: day(3, 23) });
        let cancel = evaluate(LegalRule::Eu, &line, day(3, 23));
        assert_eq!(cancel.stage, Stage::CancelDue);
        assert_eq!(cancel.consent, Consent::Cancelled);
    }

    #[test]
    fn both_takes_the_earlier_deadline_and_never_silence() {
        // FTC alone: silence counts until Apr 20; EU: a yes is due by Mar 31.
        let mut line = clock(Some(day(4, 20)));
        line.notices.push(notice(day(3, 20), Some(day(4, 20))));
        assert_eq!(
            evaluate(LegalRule::Ftc, &line, day(3, 25)).consent,
            Consent::Silent
        );
        let both = evaluate(LegalRule::Both, &line, day(3, 25));
        assert_eq!(both.stage, Stage::WaitingForAnswer);
        assert_eq!(both.consent, Consent::None);
        assert_eq!(both.due_by, Some(day(3, 31)));
    }

    #[test]
    fn what_a_notice_sent_today_says() {
        let line = clock(Some(day(4, 30)));
        // First notice, revised Apr 30 (= promised + 30): silence counts under the FTC.
        let terms = notice_terms(LegalRule::Ftc, &line, Some(day(4, 30)), day(3, 20));
        assert!(terms.silence_is_consent && !terms.answer_needed && !terms.renewed);
        // Revised May 1: a yes is needed by Apr 30, or the order is cancelled.
        let terms = notice_terms(LegalRule::Ftc, &line, Some(day(5, 1)), day(3, 20));
        assert!(!terms.silence_is_consent && terms.answer_needed);
        assert_eq!(terms.answer_by, Some(day(4, 30)));
        assert!(terms.cancelled_without_answer);
        // Under both rules a yes is needed by the earlier date, Mar 31.
        let terms = notice_terms(LegalRule::Both, &line, Some(day(4, 30)), day(3, 20));
        assert!(!terms.silence_is_consent && terms.answer_needed);
        assert_eq!(terms.answer_by, Some(day(3, 31)));
        // A second notice is a renewed option: a yes is needed before the first revised date.
        let mut sent = clock(Some(day(5, 20)));
        sent.notices.push(notice(day(3, 20), Some(day(4, 20))));
        let terms = notice_terms(LegalRule::Ftc, &sent, Some(day(5, 20)), day(4, 15));
        assert!(terms.renewed && terms.answer_needed && !terms.silence_is_consent);
        assert_eq!(terms.answer_by, Some(day(4, 20)));
    }

    #[test]
    fn codes_round_trip() {
        for rule in LegalRule::ALL {
            assert_eq!(LegalRule::from_code(rule.code()), Some(rule));
        }
        assert_eq!(LegalRule::from_code("mars"), None);
        assert_eq!(Stage::WaitingForAnswer.code(), "waiting_for_answer");
        assert_eq!(Consent::Silent.code(), "silent");
    }
}
