//! The promise engine: an honest ETA window for every waiting line.
//!
//! A SKU's waiting lines, in queue order, are matched against its open purchase-order lines in
//! order of expected arrival. The PO line that covers the last unit of a waiting line gives the
//! window's start: `expected arrival + handling days`. The end widens by the supplier's lateness
//! spread (default 3 days without history); a confirmed PO date gives a single day. A line no PO
//! covers is dated from the product's lead time and flagged "needs reorder"; without a lead time
//! its date is unknown.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::limits::{add_days, add_days_saturating};

/// Spread used when a supplier has fewer than two receipts.
pub const DEFAULT_SPREAD_DAYS: i64 = 3;
/// Handling days (pick, pack, hand to carrier) when the setting is absent.
pub const DEFAULT_HANDLING_DAYS: i64 = 1;

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EtaWindow {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Something the shop should know about a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PromiseFlag {
    /// No open PO covers the line: the date assumes a reorder now.
    NeedsReorder,
    /// The window ends after the order date + the product's max wait.
    BeyondMaxWait,
    /// No PO covers it and the lead time is unknown.
    DateUnknown,
    /// The window ends after the shop's "last day to promise delivery before" date (or has no
    /// date while that setting is set): it cannot be promised for the holiday.
    AfterLastPromiseDate,
}

impl PromiseFlag {
    pub fn code(self) -> &'static str {
        match self {
            Self::NeedsReorder => "needs_reorder",
            Self::BeyondMaxWait => "beyond_max_wait",
            Self::DateUnknown => "date_unknown",
            Self::AfterLastPromiseDate => "after_last_promise_date",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::NeedsReorder,
            Self::BeyondMaxWait,
            Self::DateUnknown,
            Self::AfterLastPromiseDate,
        ]
        .into_iter()
        .find(|flag| flag.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NeedsReorder => "needs reorder",
            Self::BeyondMaxWait => "beyond max wait",
            Self::DateUnknown => "date unknown",
            Self::AfterLastPromiseDate => "after the last promise date",
        }
    }
}

/// A waiting line, in queue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedLine {
    pub line_id: i64,
    pub ordered_on: NaiveDate,
    /// Units still waiting (> 0).
    pub waiting: i64,
}

/// An open purchase-order line for the same SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundLine {
    pub po_number: String,
    pub expected_at: Option<NaiveDate>,
    /// Units not received yet.
    pub open_quantity: i64,
    /// The supplier confirmed the date: a single-day window.
    pub confirmed: bool,
}

/// What the engine needs to know about the product and the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseContext {
    pub today: NaiveDate,
    pub handling_days: i64,
    pub lead_time_days: Option<i64>,
    pub max_wait_days: i64,
    /// The supplier's lateness spread in days (see [`lateness_spread`]).
    pub spread_days: i64,
}

/// The promise for one waiting line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub line_id: i64,
    /// 1-based position in the SKU's queue.
    pub queue_position: usize,
    pub window: Option<EtaWindow>,
    pub covered_by: Option<String>,
    pub flags: Vec<PromiseFlag>,
}

/// Computes the promises of one SKU's queue. `queue` must be in queue order; `inbound` may be in
/// any order (it is sorted by expected arrival here; lines without a date come last).
pub fn promise_queue(
    queue: &[QueuedLine],
    inbound: &[InboundLine],
    context: &PromiseContext,
) -> Vec<Promise> {
    let mut arrivals: Vec<&InboundLine> = inbound
        .iter()
        .filter(|line| line.open_quantity > 0)
        .collect();
    arrivals.sort_by_key(|line| (line.expected_at.is_none(), line.expected_at));
    let mut arrival_index = 0;
    let mut left_in_arrival = arrivals.first().map_or(0, |line| line.open_quantity);

    let mut promises = Vec::with_capacity(queue.len());
    for (position, line) in queue.iter().enumerate() {
        let mut need = line.waiting.max(0);
        let mut covering: Option<&InboundLine> = None;
        while need > 0 && arrival_index < arrivals.len() {
            let take = need.min(left_in_arrival);
            need -= take;
            left_in_arrival -= take;
            covering = Some(arrivals[arrival_index]);
            if left_in_arrival == 0 {
                arrival_index += 1;
                left_in_arrival = arrivals
                    .get(arrival_index)
                    .map_or(0, |next| next.open_quantity);
            }
        }
        let mut flags = Vec::new();
        let covered = covering.filter(|_| need == 0);
        // Every date is computed with checked arithmetic: a shop file may hold any number of
        // days or any date (an older version, a damaged file); a date that cannot be computed
        // is "date unknown", never a crash.
        let spread = context.spread_days.max(0);
        let (window, covered_by) = if let Some(po) = covered {
            let window = po.expected_at.and_then(|expected| {
                let start = add_days(expected.max(context.today), context.handling_days)?;
                let end = if po.confirmed {
                    start
                } else {
                    add_days(start, spread)?
                };
                Some(EtaWindow { start, end })
            });
            if window.is_none() {
                flags.push(PromiseFlag::DateUnknown);
            }
            (window, Some(po.po_number.clone()))
        } else if let Some(lead) = context.lead_time_days {
            // Reorder now: from the order date, or from today once that date has passed.
            flags.push(PromiseFlag::NeedsReorder);
            let window = lead.checked_add(context.handling_days).and_then(|lead| {
                let from_order = add_days(line.ordered_on, lead)?;
                let start = if from_order > context.today {
                    from_order
                } else {
                    add_days(context.today, lead)?
                };
                let end = add_days(start, spread)?;
                Some(EtaWindow { start, end })
            });
            if window.is_none() {
                flags.push(PromiseFlag::DateUnknown);
            }
            (window, None)
        } else {
            flags.push(PromiseFlag::NeedsReorder);
            flags.push(PromiseFlag::DateUnknown);
            (None, None)
        };
        if let Some(window) = window
            && window.end > add_days_saturating(line.ordered_on, context.max_wait_days)
        {
            flags.push(PromiseFlag::BeyondMaxWait);
        }
        flags.sort();
        promises.push(Promise {
            line_id: line.line_id,
            queue_position: position + 1,
            window,
            covered_by,
            flags,
        });
    }
    promises
}

/// Flags a promise that does not arrive by the shop's last promise date: its window ends after
/// `last_promise_date`, or it has no window at all. Keeps the flags sorted.
pub fn flag_last_promise_date(promise: &mut Promise, last_promise_date: Option<NaiveDate>) {
    let Some(date) = last_promise_date else {
        return;
    };
    if promise.window.is_none_or(|window| window.end > date)
        && !promise.flags.contains(&PromiseFlag::AfterLastPromiseDate)
    {
        promise.flags.push(PromiseFlag::AfterLastPromiseDate);
        promise.flags.sort();
    }
}

/// The lateness spread of a supplier from receipts: `lateness = actual − expected` in days.
///
/// Spread = mean of the positive lateness + one standard deviation, rounded up, at least 1 day.
/// Fewer than two receipts: [`DEFAULT_SPREAD_DAYS`].
pub fn lateness_spread(lateness_days: &[i64]) -> i64 {
    if lateness_days.len() < 2 {
        return DEFAULT_SPREAD_DAYS;
    }
    // In floating point: dates read from a file may be days apart by any amount, and an
    // integer sum could overflow.
    let n = lateness_days.len() as f64;
    let mean = lateness_days.iter().map(|&days| days as f64).sum::<f64>() / n;
    let variance = lateness_days
        .iter()
        .map(|&days| (days as f64 - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    let late_mean = lateness_days.iter().map(|&d| d.max(0) as f64).sum::<f64>() / n;
    // `as` saturates a float that does not fit (and NaN becomes 0).
    ((late_mean + variance.sqrt()).ceil() as i64).max(1)
}

/// The promise a new order of one unit would get today: behind every unit already waiting.
pub fn next_order_promise(
    units_waiting: i64,
    inbound: &[InboundLine],
    context: &PromiseContext,
) -> Promise {
    let mut queue = Vec::with_capacity(2);
    if units_waiting > 0 {
        queue.push(QueuedLine {
            line_id: 0,
            ordered_on: context.today,
            waiting: units_waiting,
        });
    }
    queue.push(QueuedLine {
        line_id: 1,
        ordered_on: context.today,
        waiting: 1,
    });
    let mut promises = promise_queue(&queue, inbound, context);
    promises.pop().unwrap_or(Promise {
        line_id: 1,
        queue_position: 1,
        window: None,
        covered_by: None,
        flags: vec![PromiseFlag::DateUnknown],
    })
}

/// How dates are written for customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// "Mar 3–7"
    #[default]
    MonthFirst,
    /// "3–7 Mar"
    DayFirst,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(date: NaiveDate) -> &'static str {
    MONTHS[date.month0() as usize]
}

/// One day: "Mar 3" or "3 Mar".
pub fn format_day(date: NaiveDate, style: DateStyle) -> String {
    match style {
        DateStyle::MonthFirst => format!("{} {}", month(date), date.day()),
        DateStyle::DayFirst => format!("{} {}", date.day(), month(date)),
    }
}

/// A window: "Mar 3–7", "Feb 27 – Mar 3", or one day "Mar 3" (and the day-first forms).
pub fn format_window(window: EtaWindow, style: DateStyle) -> String {
    let (start, end) = (window.start, window.end);
    if start == end {
        return format_day(start, style);
    }
    let same_month = start.month() == end.month() && start.year() == end.year();
    match (style, same_month) {
        (DateStyle::MonthFirst, true) => format!("{} {}–{}", month(start), start.day(), end.day()),
        (DateStyle::DayFirst, true) => format!("{}–{} {}", start.day(), end.day(), month(end)),
        _ => format!("{} – {}", format_day(start, style), format_day(end, style)),
    }
}

/// What a line's badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineBadge {
    InStock,
    /// Nothing reserved, waiting.
    Backordered(Option<EtaWindow>),
    Preorder(Option<EtaWindow>),
    /// Some units reserved now, the rest at the window.
    Partial {
        now: i64,
        of: i64,
        window: Option<EtaWindow>,
    },
    Shipped,
    Cancelled,
}

impl LineBadge {
    pub fn text(&self, style: DateStyle) -> String {
        let when = |window: &Option<EtaWindow>| {
            window.map_or_else(
                || "date unknown".to_owned(),
                |w| format!("ships {}", format_window(w, style)),
            )
        };
        match self {
            Self::InStock => "In stock".to_owned(),
            Self::Backordered(window) => format!("Backordered – {}", when(window)),
            Self::Preorder(window) => format!("Preorder – {}", when(window)),
            Self::Partial { now, of, window } => match window {
                Some(window) => format!(
                    "Ships {} (partial: {now} of {of} now)",
                    format_window(*window, style)
                ),
                None => format!("Partial: {now} of {of} now, rest date unknown"),
            },
            Self::Shipped => "Shipped".to_owned(),
            Self::Cancelled => "Cancelled".to_owned(),
        }
    }
}

impl fmt::Display for LineBadge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(DateStyle::MonthFirst))
    }
}

/// A promise whose window end moved later (or became unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseSlip {
    pub line_id: i64,
    pub old: Option<EtaWindow>,
    pub new: Option<EtaWindow>,
}

/// True when `new` is a worse promise than `old`: its end is later, or it lost its date.
pub fn slipped(old: Option<EtaWindow>, new: Option<EtaWindow>) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => new.end > old.end,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn context() -> PromiseContext {
        PromiseContext {
            today: day(3, 1),
            handling_days: 1,
            lead_time_days: Some(10),
            max_wait_days: 14,
            spread_days: 3,
        }
    }

    fn queued(line_id: i64, waiting: i64) -> QueuedLine {
        QueuedLine {
            line_id,
            ordered_on: day(2, 27),
            waiting,
        }
    }

    fn po(number: &str, expected: Option<NaiveDate>, quantity: i64) -> InboundLine {
        InboundLine {
            po_number: number.into(),
            expected_at: expected,
            open_quantity: quantity,
            confirmed: false,
        }
    }

    #[test]
    fn covered_by_the_first_po() {
        let promises = promise_queue(
            &[queued(1, 3)],
            &[po("PO-1", Some(day(3, 5)), 5)],
            &context(),
        );
        assert_eq!(promises[0].queue_position, 1);
        assert_eq!(promises[0].covered_by.as_deref(), Some("PO-1"));
        assert_eq!(
            promises[0].window,
            Some(EtaWindow {
                start: day(3, 6),
                end: day(3, 9)
            })
        );
        assert!(promises[0].flags.is_empty());
    }

    #[test]
    fn covered_by_the_second_po() {
        // 3 + 4 wait; PO-1 brings 5 (covers the first line and 2 of the second); PO-2 the rest.
        let inbound = [
            po("PO-2", Some(day(3, 20)), 10),
            po("PO-1", Some(day(3, 5)), 5),
        ];
        let promises = promise_queue(&[queued(1, 3), queued(2, 4)], &inbound, &context());
        assert_eq!(promises[1].queue_position, 2);
        assert_eq!(promises[1].covered_by.as_deref(), Some("PO-2"));
        assert_eq!(
            promises[1].window,
            Some(EtaWindow {
                start: day(3, 21),
                end: day(3, 24)
            })
        );
        // 2/27 + 14 days = 3/13 < 3/24.
        assert_eq!(promises[1].flags, vec![PromiseFlag::BeyondMaxWait]);
    }

    #[test]
    fn not_covered_uses_the_lead_time() {
        let promises = promise_queue(
            &[queued(1, 3), queued(2, 4)],
            &[po("PO-1", Some(day(3, 5)), 5)],
            &context(),
        );
        assert_eq!(promises[1].covered_by, None);
        // Ordered 2/27 + 10 lead + 1 handling = 3/10, window to 3/13.
        assert_eq!(
            promises[1].window,
            Some(EtaWindow {
                start: day(3, 10),
                end: day(3, 13)
            })
        );
        assert_eq!(promises[1].flags, vec![PromiseFlag::NeedsReorder]);
    }

    #[test]
    fn not_covered_after_the_lead_time_passed_moves_from_today() {
        let old_line = QueuedLine {
            line_id: 1,
            ordered_on: day(1, 2),
            waiting: 1,
        };
        let promises = promise_queue(&[old_line], &[], &context());
        assert_eq!(promises[0].window.map(|w| w.start), Some(day(3, 12)));
        assert_eq!(
            promises[0].flags,
            vec![PromiseFlag::NeedsReorder, PromiseFlag::BeyondMaxWait]
        );
    }

    #[test]
    fn no_lead_time_means_date_unknown() {
        let mut context = context();
        context.lead_time_days = None;
        let promises = promise_queue(&[queued(1, 2)], &[], &context);
        assert_eq!(promises[0].window, None);
        assert_eq!(
            promises[0].flags,
            vec![PromiseFlag::NeedsReorder, PromiseFlag::DateUnknown]
        );
    }

    #[test]
    fn a_confirmed_date_gives_one_day() {
        let mut inbound = po("PO-1", Some(day(3, 5)), 5);
        inbound.confirmed = true;
        let promises = promise_queue(&[queued(1, 3)], &[inbound], &context());
        assert_eq!(
            promises[0].window,
            Some(EtaWindow {
                start: day(3, 6),
                end: day(3, 6)
            })
        );
    }

    #[test]
    fn an_overdue_po_is_dated_from_today() {
        let promises = promise_queue(
            &[queued(1, 1)],
            &[po("PO-1", Some(day(2, 20)), 5)],
            &context(),
        );
        assert_eq!(promises[0].window.map(|w| w.start), Some(day(3, 2)));
    }

    #[test]
    fn a_slip_after_a_date_change() {
        let before = promise_queue(
            &[queued(1, 3)],
            &[po("PO-1", Some(day(3, 5)), 5)],
            &context(),
        );
        let after = promise_queue(
            &[queued(1, 3)],
            &[po("PO-1", Some(day(3, 12)), 5)],
            &context(),
        );
        assert!(slipped(before[0].window, after[0].window));
        assert!(
            !slipped(after[0].window, before[0].window),
            "earlier is not a slip"
        );
        assert!(slipped(before[0].window, None));
        assert!(!slipped(None, before[0].window));
    }

    #[test]
    fn a_new_order_queues_behind_waiting_units() {
        let inbound = [
            po("PO-1", Some(day(3, 5)), 5),
            po("PO-2", Some(day(3, 20)), 10),
        ];
        // 4 waiting: the 5th unit is still on PO-1.
        let next = next_order_promise(4, &inbound, &context());
        assert_eq!(next.covered_by.as_deref(), Some("PO-1"));
        // 5 waiting: the next unit is on PO-2.
        let next = next_order_promise(5, &inbound, &context());
        assert_eq!(next.covered_by.as_deref(), Some("PO-2"));
        assert_eq!(next.window.map(|w| w.start), Some(day(3, 21)));
        // Nothing inbound: today + lead time + handling.
        let next = next_order_promise(0, &[], &context());
        assert_eq!(next.window.map(|w| w.start), Some(day(3, 12)));
    }

    #[test]
    fn last_promise_date_flags_late_and_undated_lines() {
        let mut promise = Promise {
            line_id: 1,
            queue_position: 1,
            window: Some(EtaWindow {
                start: day(12, 18),
                end: day(12, 21),
            }),
            covered_by: None,
            flags: vec![PromiseFlag::NeedsReorder],
        };
        // Ends on the date: fine.
        flag_last_promise_date(&mut promise, Some(day(12, 21)));
        assert_eq!(promise.flags, vec![PromiseFlag::NeedsReorder]);
        // Ends a day after: flagged, once.
        flag_last_promise_date(&mut promise, Some(day(12, 20)));
        flag_last_promise_date(&mut promise, Some(day(12, 20)));
        assert_eq!(
            promise.flags,
            vec![PromiseFlag::NeedsReorder, PromiseFlag::AfterLastPromiseDate]
        );
        // No setting: nothing.
        let mut undated = Promise {
            window: None,
            flags: Vec::new(),
            ..promise.clone()
        };
        flag_last_promise_date(&mut undated, None);
        assert!(undated.flags.is_empty());
        flag_last_promise_date(&mut undated, Some(day(12, 20)));
        assert_eq!(undated.flags, vec![PromiseFlag::AfterLastPromiseDate]);
        assert_eq!(
            PromiseFlag::from_code("after_last_promise_date"),
            Some(PromiseFlag::AfterLastPromiseDate)
        );
    }

    #[test]
    fn spread_from_history() {
        assert_eq!(lateness_spread(&[]), 3);
        assert_eq!(lateness_spread(&[5]), 3);
        // Always on time: at least one day.
        assert_eq!(lateness_spread(&[0, 0, 0]), 1);
        // Lateness 0, 2, 4: mean late 2, sd 2 → 4.
        assert_eq!(lateness_spread(&[0, 2, 4]), 4);
        // Early deliveries do not count as late; sd of (-2, 0, 2) = 2, late mean 2/3 → ceil(2.67) = 3.
        assert_eq!(lateness_spread(&[-2, 0, 2]), 3);
    }

    #[test]
    fn windows_and_badges_read_naturally() {
        let w = EtaWindow {
            start: day(3, 3),
            end: day(3, 7),
        };
        assert_eq!(format_window(w, DateStyle::MonthFirst), "Mar 3–7");
        assert_eq!(format_window(w, DateStyle::DayFirst), "3–7 Mar");
        let across = EtaWindow {
            start: day(2, 27),
            end: day(3, 3),
        };
        assert_eq!(
            format_window(across, DateStyle::MonthFirst),
            "Feb 27 – Mar 3"
        );
        let one = EtaWindow {
            start: day(3, 3),
            end: day(3, 3),
        };
        assert_eq!(format_window(one, DateStyle::MonthFirst), "Mar 3");
        assert_eq!(
            LineBadge::Backordered(Some(w)).to_string(),
            "Backordered – ships Mar 3–7"
        );
        assert_eq!(
            LineBadge::Backordered(None).to_string(),
            "Backordered – date unknown"
        );
        assert_eq!(
            LineBadge::Preorder(Some(one)).to_string(),
            "Preorder – ships Mar 3"
        );
        assert_eq!(
            LineBadge::Partial {
                now: 2,
                of: 5,
                window: Some(one)
            }
            .to_string(),
            "Ships Mar 3 (partial: 2 of 5 now)"
        );
        assert_eq!(LineBadge::InStock.to_string(), "In stock");
    }

    #[test]
    fn dates_at_the_ends_of_the_calendar_are_unknown_not_a_crash() {
        // What a damaged or older file may hold: days and dates at the ends of their types.
        let extreme = PromiseContext {
            today: NaiveDate::MAX,
            handling_days: i64::MAX,
            lead_time_days: Some(i64::MAX),
            max_wait_days: i64::MAX,
            spread_days: i64::MAX,
        };
        let inbound = [InboundLine {
            po_number: "PO-1".into(),
            expected_at: Some(NaiveDate::MAX),
            open_quantity: 2,
            confirmed: false,
        }];
        let promises = promise_queue(&[queued(1, 2), queued(2, 5)], &inbound, &extreme);
        assert_eq!(promises[0].window, None);
        assert_eq!(promises[0].covered_by.as_deref(), Some("PO-1"));
        assert_eq!(promises[0].flags, [PromiseFlag::DateUnknown]);
        assert_eq!(promises[1].window, None);
        assert_eq!(
            promises[1].flags,
            [PromiseFlag::NeedsReorder, PromiseFlag::DateUnknown]
        );
        let early = PromiseContext {
            today: NaiveDate::MIN,
            handling_days: -1,
            lead_time_days: Some(i64::MIN),
            ..extreme
        };
        let promise = next_order_promise(0, &[], &early);
        assert_eq!(promise.window, None);
        assert_eq!(lateness_spread(&[i64::MAX, i64::MIN, i64::MAX]), i64::MAX);
    }
}
