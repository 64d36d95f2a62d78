//! The promise engine: an honest ETA window for every waiting line.
//!
//! A SKU's waiting lines, in queue order, are matched against its open purchase-order lines in
//! order of expected arrival. The PO line that covers the last unit of a waiting line gives the
//! window: `expected arrival + handling days`, widened by what the supplier's record says about
//! how late its deliveries come (see [`super::lateness`]; dates it confirmed apart from dates it
//! did not). A line no PO covers is dated as if a PO were placed today (`today + lead time +
//! handling days`, so it moves a day later every day without one) and flagged "needs reorder";
//! without a lead time its date is unknown.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::limits::{add_days, add_days_saturating};

use super::lateness::{LatenessFit, SupplierLateness};

/// Handling days (pick, pack, hand to carrier) when the setting is absent.
pub const DEFAULT_HANDLING_DAYS: i64 = 1;
/// The handling days a shop may set.
pub const HANDLING_DAYS_RANGE: std::ops::RangeInclusive<i64> = 0..=60;

/// The handling days a stored setting means: a whole number in [`HANDLING_DAYS_RANGE`], else
/// [`DEFAULT_HANDLING_DAYS`] (a value out of range was edited into the file by hand). The
/// promise engine and the KPIs both read it through this rule.
pub fn handling_days_setting(text: Option<&str>) -> i64 {
    text.and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|days| HANDLING_DAYS_RANGE.contains(days))
        .unwrap_or(DEFAULT_HANDLING_DAYS)
}
/// A move of a promise caused only by the calendar is recorded at most once in this many days
/// per line.
pub const CALENDAR_RECORD_DAYS: i64 = 7;

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PromiseContext<'a> {
    pub today: NaiveDate,
    pub handling_days: i64,
    /// Days until a purchase order placed today is expected (the lead time reorder suggestions
    /// use); `None`: unknown.
    pub lead_time_days: Option<i64>,
    pub max_wait_days: i64,
    /// The product's supplier's fitted lateness (or the rule in force).
    pub lateness: &'a SupplierLateness,
}

impl PromiseContext<'_> {
    /// The window of units a purchase order expected on `expected` brings.
    ///
    /// `None` when a day of it cannot be computed (a shop file may hold any number of days).
    pub fn window_for(&self, expected: NaiveDate, confirmed: bool) -> Option<EtaWindow> {
        let fit = self.lateness.for_date(confirmed);
        let overdue = (self.today - expected).num_days();
        let (start, end) = fit.offsets(overdue);
        let shift = |days: i64| {
            days.checked_add(self.handling_days)
                .and_then(|days| add_days(expected, days))
        };
        Some(EtaWindow {
            start: shift(start)?,
            end: shift(end)?,
        })
    }

    /// The day a purchase order placed today would be expected (`None`: no lead time, or a
    /// lead time no calendar holds).
    pub fn reorder_arrival(&self) -> Option<NaiveDate> {
        self.lead_time_days
            .and_then(|lead| add_days(self.today, lead.max(0)))
    }
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
        let (window, covered_by) = if let Some(po) = covered {
            let window = po
                .expected_at
                .and_then(|expected| context.window_for(expected, po.confirmed));
            if window.is_none() {
                flags.push(PromiseFlag::DateUnknown);
            }
            (window, Some(po.po_number.clone()))
        } else if let Some(arrival) = context.reorder_arrival() {
            // A purchase order placed today is the earliest honest date: today + lead time +
            // handling, with the supplier's usual lateness of an unconfirmed date.
            flags.push(PromiseFlag::NeedsReorder);
            let window = context.window_for(arrival, false);
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

/// The promise a new order of one unit would get today: behind every unit already waiting.
pub fn next_order_promise(
    units_waiting: i64,
    inbound: &[InboundLine],
    context: &PromiseContext,
) -> Promise {
    new_line_promise(units_waiting, 1, inbound, context)
}

/// The promise a new line waiting for `units` would get today, behind every unit already
/// waiting: the window of its last unit (a line ships when all its waiting units are in).
pub fn new_line_promise(
    units_waiting: i64,
    units: i64,
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
        waiting: units.max(1),
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

/// "1 day", "3 days".
fn days_text(days: i64) -> String {
    if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

/// What the supplier's record says about a window, in words (see [`explain`]).
fn record_text(fit: &LatenessFit, overdue_days: i64, supplier: &str, confirmed: bool) -> String {
    if fit.naive {
        return "no allowance for lateness (the naive rule)".to_owned();
    }
    if overdue_days > 0 {
        return if fit.beyond_record(overdue_days) {
            "later than every delivery on record, so it is taken to be as late again as it already is"
                .to_owned()
        } else {
            format!(
                "so the window follows the deliveries on record that were at least that late ({:.0}% of them had come by its end)",
                fit.target * 100.0
            )
        };
    }
    let deliveries = if confirmed {
        "confirmed deliveries"
    } else {
        "deliveries"
    };
    let (start, end) = (fit.start_days, fit.end_days);
    let own = fit.own;
    if own.receipts > 0 {
        let mut text = if start > 0 {
            format!(
                "{supplier} was late by {start} to {} on {} of {} {deliveries}",
                days_text(end),
                own.inside,
                own.receipts
            )
        } else if end <= 0 {
            format!(
                "{supplier} was on time or early on {} of {} {deliveries}",
                own.by_end, own.receipts
            )
        } else {
            format!(
                "{supplier} was late by up to {} on {} of {} {deliveries}",
                days_text(end),
                own.by_end,
                own.receipts
            )
        };
        if (own.receipts as f64) < 2.5 * super::lateness::PRIOR_WEIGHT {
            text.push_str(" (few on record, so all suppliers' record counts too)");
        }
        return text;
    }
    let shop = fit.shop;
    if shop.receipts > 0 {
        return format!(
            "no {deliveries} from {supplier} on record yet, so the window follows all suppliers: late by up to {} on {} of {}",
            days_text(end),
            shop.by_end,
            shop.receipts
        );
    }
    if end <= 0 {
        format!("no {deliveries} on record yet, so no lateness is allowed")
    } else {
        format!(
            "no {deliveries} on record yet, so up to {} of lateness are allowed",
            days_text(end)
        )
    }
}

/// Why a line's window is what it is, in one sentence: "ships Mar 3–7: PO-12 expected Mar 2,
/// Atlas Tools was late by up to 4 days on 9 of 10 deliveries". `inbound` and `context` are the
/// ones the promise was computed with; `supplier` names the product's supplier.
pub fn explain(
    promise: &Promise,
    inbound: &[InboundLine],
    context: &PromiseContext<'_>,
    supplier: &str,
    style: DateStyle,
) -> String {
    let supplier = if supplier.trim().is_empty() {
        "the supplier"
    } else {
        supplier.trim()
    };
    let Some(window) = promise.window else {
        return match &promise.covered_by {
            Some(po) => format!("date unknown: {po} has no expected date"),
            None => "date unknown: no purchase order covers it and the product has no lead time"
                .to_owned(),
        };
    };
    let ships = format!("ships {}", format_window(window, style));
    let covering = promise
        .covered_by
        .as_ref()
        .and_then(|number| inbound.iter().find(|line| &line.po_number == number));
    match covering {
        Some(po) => {
            let Some(expected) = po.expected_at else {
                return ships;
            };
            let overdue = (context.today - expected).num_days();
            let fit = context.lateness.for_date(po.confirmed);
            let mut text = format!(
                "{ships}: {} {} {}",
                po.po_number,
                if po.confirmed {
                    "confirmed for"
                } else {
                    "expected"
                },
                format_day(expected, style)
            );
            if overdue > 0 {
                text.push_str(&format!(" and {} late", days_text(overdue)));
            }
            text.push_str(", ");
            text.push_str(&record_text(fit, overdue, supplier, po.confirmed));
            text
        }
        None => {
            let (Some(arrival), Some(lead)) = (context.reorder_arrival(), context.lead_time_days)
            else {
                return ships;
            };
            format!(
                "{ships}: no purchase order covers it yet; one placed today is expected {} ({}-day lead time), {}; every day without one moves this date a day later",
                format_day(arrival, style),
                lead,
                record_text(&context.lateness.unconfirmed, 0, supplier, false)
            )
        }
    }
}

/// What became of a line's first promise: "first promised Mar 3–7 (on Feb 20)", and once it
/// shipped ", shipped Mar 6: kept, inside the window", "shipped Mar 1: kept (early)" or
/// "shipped Mar 9: 2 days after the first window".
pub fn first_promise_text(
    first: EtaWindow,
    first_on: NaiveDate,
    shipped_on: Option<NaiveDate>,
    style: DateStyle,
) -> String {
    let mut text = format!(
        "first promised {} (on {})",
        format_window(first, style),
        format_day(first_on, style)
    );
    if let Some(day) = shipped_on {
        let verdict = if day > first.end {
            format!(
                "{} after the first window",
                days_text((day - first.end).num_days())
            )
        } else if day < first.start {
            "kept (early)".to_owned()
        } else {
            "kept, inside the window".to_owned()
        };
        text.push_str(&format!(", shipped {}: {verdict}", format_day(day, style)));
    }
    text
}

/// Whether a line keeps the window it was given (`given`) rather than a later one worked out
/// today: the same purchase order still covers it, the order's expected date still falls
/// inside the window, and the order arriving today would still ship it in time. A promise is
/// not moved while it can still be kept.
pub fn holds(
    given: EtaWindow,
    po_expected: NaiveDate,
    today: NaiveDate,
    handling_days: i64,
) -> bool {
    let handling = handling_days.max(0);
    add_days_saturating(po_expected, handling) <= given.end
        && add_days_saturating(today, handling) <= given.end
}

/// Whether a promise that moved later is written to "promises changed" (and drafts a delay
/// notice): always when something besides the calendar moved it; a move caused only by the
/// calendar (no PO yet, or a PO that is late) at most once in [`CALENDAR_RECORD_DAYS`] per line.
/// `last_calendar_record` is the day such a move of the line was last recorded.
pub fn record_slip(
    calendar_only: bool,
    last_calendar_record: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    !calendar_only
        || last_calendar_record.is_none_or(|day| (today - day).num_days() >= CALENDAR_RECORD_DAYS)
}

/// How dates are written. Customers and paper get the month-first or day-first form (the
/// `date_locale` setting); the window's tables and panels may also use ISO dates (the
/// `date_style` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// "Mar 3–7", "Mar 3, 2026"
    #[default]
    MonthFirst,
    /// "3–7 Mar", "3 Mar 2026"
    DayFirst,
    /// "2026-03-03 – 03-07", "2026-03-03"
    Iso,
}

impl DateStyle {
    /// The style of the window's tables and panels: `date_style` "iso" gives ISO dates;
    /// anything else the locale's short form (`date_locale` "intl" day first, else month first).
    pub fn for_display(date_style: Option<&str>, date_locale: Option<&str>) -> Self {
        if date_style.is_some_and(|style| style.trim().eq_ignore_ascii_case("iso")) {
            return Self::Iso;
        }
        match date_locale.map(|code| code.trim().to_ascii_lowercase()) {
            Some(code) if code == "intl" => Self::DayFirst,
            _ => Self::MonthFirst,
        }
    }
}

impl DateStyle {
    /// The style a stored `date_locale` setting means: `intl` (any case) writes "3–7 Mar",
    /// anything else (`us`, unset) "Mar 3–7". Every reader of the setting asks this.
    pub fn from_setting(text: Option<&str>) -> Self {
        match text.map(|code| code.trim().to_ascii_lowercase()) {
            Some(code) if code == "intl" => Self::DayFirst,
            _ => Self::MonthFirst,
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(date: NaiveDate) -> &'static str {
    MONTHS[date.month0() as usize]
}

/// One day: "Mar 3" or "3 Mar" (ISO: "2026-03-03", the year included).
pub fn format_day(date: NaiveDate, style: DateStyle) -> String {
    match style {
        DateStyle::MonthFirst => format!("{} {}", month(date), date.day()),
        DateStyle::DayFirst => format!("{} {}", date.day(), month(date)),
        DateStyle::Iso => date.format("%Y-%m-%d").to_string(),
    }
}

/// One day with its year, for tables and panels: "Mar 3, 2026", "3 Mar 2026" or "2026-03-03".
pub fn format_date(date: NaiveDate, style: DateStyle) -> String {
    match style {
        DateStyle::MonthFirst => format!("{} {}, {}", month(date), date.day(), date.year()),
        DateStyle::DayFirst => format!("{} {} {}", date.day(), month(date), date.year()),
        DateStyle::Iso => format_day(date, style),
    }
}

/// A stored time stamp ("2026-03-01 09:30:00" or a bare day) as its day in `style`, with the
/// hour and minute when `with_time` and the stamp has them. Text that is not a stamp is kept.
pub fn format_stamp(stamp: &str, style: DateStyle, with_time: bool) -> String {
    let Some(day) = stamp
        .get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
    else {
        return stamp.to_owned();
    };
    let date = format_date(day, style);
    match stamp.get(11..16) {
        Some(time) if with_time => format!("{date} {time}"),
        _ => date,
    }
}

/// `text` with every day written in ISO form ("2026-03-11") written in `style` instead ("Mar
/// 11"): texts the app stores and shows later (why a promise moved, what an action did) keep
/// their days in ISO form, the marker this finds, and are shown in the shop's style. A day
/// inside a longer token (a file name, "PO-2026-03-11", a path) is left as it is.
pub fn localize_dates(text: &str, style: DateStyle) -> std::borrow::Cow<'_, str> {
    const LEN: usize = 10;
    let joined = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '\\' | '.');
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while at + LEN <= bytes.len() {
        let candidate = &bytes[at..at + LEN];
        let shaped = candidate
            .iter()
            .enumerate()
            .all(|(index, byte)| match index {
                4 | 7 => *byte == b'-',
                _ => byte.is_ascii_digit(),
            });
        // Ten ASCII bytes: both ends are character boundaries.
        if !shaped || !text.is_char_boundary(at) {
            at += 1;
            continue;
        }
        let free_before = text[..at].chars().next_back().is_none_or(|c| !joined(c));
        // A full stop ends a sentence unless a word follows it (a file extension).
        let rest = &text[at + LEN..];
        let mut after = rest.chars();
        let free_after = match after.next() {
            None => true,
            Some('.') => after.next().is_none_or(|c| !c.is_alphanumeric()),
            Some(c) => !joined(c),
        };
        let day = (free_before && free_after)
            .then(|| NaiveDate::parse_from_str(&text[at..at + LEN], "%Y-%m-%d").ok())
            .flatten();
        match day {
            Some(day) => {
                out.push_str(&text[copied..at]);
                out.push_str(&format_day(day, style));
                at += LEN;
                copied = at;
            }
            None => at += 1,
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// A window: "Mar 3–7", "Feb 27 – Mar 3", or one day "Mar 3" (and the day-first forms).
pub fn format_window(window: EtaWindow, style: DateStyle) -> String {
    let (start, end) = (window.start, window.end);
    if start == end {
        return format_day(start, style);
    }
    let same_month = start.month() == end.month() && start.year() == end.year();
    if style == DateStyle::Iso {
        let end_text = if start.year() == end.year() {
            end.format("%m-%d").to_string()
        } else {
            format_day(end, style)
        };
        return format!("{} – {end_text}", format_day(start, style));
    }
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

/// A waiting line whose promise changed in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseChange {
    pub line_id: i64,
    /// A purchase order covers it now and none did before: the PO dated it.
    pub dated: bool,
    /// The change may be news for the customer: the window moved and a purchase order backs
    /// the old or the new one (an estimate moving with the calendar is not news).
    pub news_possible: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn stored_texts_show_their_days_in_the_shops_style() {
        let text = "PO-00088 moved from 2026-03-11 to 2026-03-14.";
        assert_eq!(
            localize_dates(text, DateStyle::MonthFirst),
            "PO-00088 moved from Mar 11 to Mar 14."
        );
        assert_eq!(
            localize_dates(text, DateStyle::DayFirst),
            "PO-00088 moved from 11 Mar to 14 Mar."
        );
        assert_eq!(localize_dates(text, DateStyle::Iso), text);
        // Days inside names, paths and file names, and what is no day, stay.
        for kept in [
            "backup-2026-03-11.sqlite",
            "PO-2026-03-11",
            "/shops/2026-03-11/x.csv",
            "saved 2026-03-11.csv",
            "2026-13-40 is no day",
            "café 2026-02-30",
        ] {
            assert_eq!(localize_dates(kept, DateStyle::MonthFirst), kept);
        }
        assert_eq!(
            localize_dates("é 2026-03-01, ü", DateStyle::MonthFirst),
            "é Mar 1, ü"
        );
    }

    #[test]
    fn dates_in_the_windows_style() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let march = EtaWindow {
            start: day(2026, 3, 3),
            end: day(2026, 3, 7),
        };
        let across = EtaWindow {
            start: day(2026, 12, 30),
            end: day(2027, 1, 2),
        };
        assert_eq!(format_window(march, DateStyle::Iso), "2026-03-03 – 03-07");
        assert_eq!(
            format_window(across, DateStyle::Iso),
            "2026-12-30 – 2027-01-02"
        );
        assert_eq!(format_window(march, DateStyle::MonthFirst), "Mar 3–7");
        assert_eq!(
            format_date(day(2026, 3, 3), DateStyle::MonthFirst),
            "Mar 3, 2026"
        );
        assert_eq!(
            format_date(day(2026, 3, 3), DateStyle::DayFirst),
            "3 Mar 2026"
        );
        assert_eq!(format_date(day(2026, 3, 3), DateStyle::Iso), "2026-03-03");
        assert_eq!(
            format_stamp("2026-03-01 09:30:12", DateStyle::DayFirst, true),
            "1 Mar 2026 09:30"
        );
        assert_eq!(
            format_stamp("2026-03-01 09:30:12", DateStyle::Iso, false),
            "2026-03-01"
        );
        assert_eq!(
            format_stamp("2026-03-01", DateStyle::MonthFirst, true),
            "Mar 1, 2026"
        );
        assert_eq!(format_stamp("soon", DateStyle::Iso, true), "soon");
        assert_eq!(
            DateStyle::for_display(Some("iso"), Some("intl")),
            DateStyle::Iso
        );
        assert_eq!(
            DateStyle::for_display(Some("short"), Some("intl")),
            DateStyle::DayFirst
        );
        assert_eq!(DateStyle::for_display(None, None), DateStyle::MonthFirst);
    }
    use std::sync::LazyLock;

    use super::*;
    use crate::domain::lateness::{LatenessRecord, ShopLateness};

    /// No receipts anywhere: unconfirmed dates 0–3 days late, confirmed ones on the day.
    static NO_RECORD: LazyLock<SupplierLateness> =
        LazyLock::new(|| SupplierLateness::without_record(0.9));

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn context() -> PromiseContext<'static> {
        PromiseContext {
            today: day(3, 1),
            handling_days: 1,
            lead_time_days: Some(10),
            max_wait_days: 14,
            lateness: &NO_RECORD,
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
    fn not_covered_is_dated_from_today() {
        let promises = promise_queue(
            &[queued(1, 3), queued(2, 4)],
            &[po("PO-1", Some(day(3, 5)), 5)],
            &context(),
        );
        assert_eq!(promises[1].covered_by, None);
        // A PO placed today (3/1) arrives after the 10-day lead time (3/11), + 1 handling day
        // = 3/12, window to 3/15 (0–3 days late without a record). Ordered 2/27 + 14 days max
        // wait = 3/13 < 3/15.
        assert_eq!(
            promises[1].window,
            Some(EtaWindow {
                start: day(3, 12),
                end: day(3, 15)
            })
        );
        assert_eq!(
            promises[1].flags,
            vec![PromiseFlag::NeedsReorder, PromiseFlag::BeyondMaxWait]
        );
    }

    #[test]
    fn the_shops_example_of_an_uncovered_line() {
        // Lead time 40 days, handling 1, ordered Jan 12, no PO, today Jan 15: a PO placed today
        // arrives Feb 24 at the earliest, so the honest start is Feb 25 (not Feb 22, which the
        // order date would give).
        let mut context = context();
        context.today = day(1, 15);
        context.lead_time_days = Some(40);
        context.max_wait_days = 60;
        let line = QueuedLine {
            line_id: 1,
            ordered_on: day(1, 12),
            waiting: 1,
        };
        let promise = &promise_queue(std::slice::from_ref(&line), &[], &context)[0];
        assert_eq!(
            promise.window,
            Some(EtaWindow {
                start: day(2, 25),
                end: day(2, 28)
            })
        );
        assert_eq!(promise.flags, vec![PromiseFlag::NeedsReorder]);
        // Each day without a PO moves it a day later.
        context.today = day(1, 16);
        let next_day = &promise_queue(&[line], &[], &context)[0];
        assert_eq!(next_day.window.map(|w| w.start), Some(day(2, 26)));
        assert!(slipped(promise.window, next_day.window));
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
        // 9 days late, later than any delivery on record (0–3 days by default): the window
        // starts tomorrow (today + 1 handling day) and the end takes it to be as late again:
        // 2 × 9 = 18 days after Feb 20, + 1 = Mar 11.
        assert_eq!(
            promises[0].window,
            Some(EtaWindow {
                start: day(3, 2),
                end: day(3, 11)
            })
        );
        // 2 days late: the deliveries at least 2 days late were 2 or 3 days late (the default
        // record), so Mar 1 – Mar 2 + 1 handling day.
        let promises = promise_queue(
            &[queued(1, 1)],
            &[po("PO-1", Some(day(2, 27)), 5)],
            &context(),
        );
        assert_eq!(
            promises[0].window,
            Some(EtaWindow {
                start: day(3, 2),
                end: day(3, 3)
            })
        );
    }

    #[test]
    fn a_promise_holds_while_it_can_be_kept() {
        let given = EtaWindow {
            start: day(3, 3),
            end: day(3, 7),
        };
        // PO expected Mar 2 (+ 1 handling day = Mar 3): today Mar 5, it may still come in time.
        assert!(holds(given, day(3, 2), day(3, 5), 1));
        // Mar 6 + 1 = Mar 7: the last day it can.
        assert!(holds(given, day(3, 2), day(3, 6), 1));
        // Mar 7: arriving today it ships Mar 8, too late.
        assert!(!holds(given, day(3, 2), day(3, 7), 1));
        // The supplier moved its date past the window.
        assert!(!holds(given, day(3, 7), day(3, 4), 1));
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
    fn a_window_explained() {
        // Atlas Tools delivered 10 times: 0, 1, 1, 2, 3, 3, 3, 4, 4, 9 days late. Shrunk toward
        // the shop's record (which is the same ten, shrunk toward 0–3 days), P(X ≤ 4) =
        // (9 + 4 × 13/14) / 14 = 0.908 ≥ 0.9 and P(X ≤ 3) = 0.72: the window ends 4 days late;
        // P(X ≤ 0) = 0.11 ≥ 0.1: it starts on the day.
        let records: Vec<LatenessRecord> = [0, 1, 1, 2, 3, 3, 3, 4, 4, 9]
            .into_iter()
            .map(|days_late| LatenessRecord {
                supplier_id: 12,
                confirmed: false,
                days_late,
            })
            .collect();
        let shop = ShopLateness::fit(&records, 0.9);
        let mut context = context();
        context.lateness = shop.for_supplier(Some(12));
        let inbound = [po("PO-12", Some(day(3, 2)), 5)];
        let promise = &promise_queue(&[queued(1, 1)], &inbound, &context)[0];
        assert_eq!(
            explain(
                promise,
                &inbound,
                &context,
                "Atlas Tools",
                DateStyle::MonthFirst
            ),
            "ships Mar 3–7: PO-12 expected Mar 2, Atlas Tools was late by up to 4 days on 9 of 10 deliveries"
        );
        // Without a PO: dated from today, and it says the date moves.
        let uncovered = &promise_queue(&[queued(1, 1)], &[], &context)[0];
        assert_eq!(
            explain(
                uncovered,
                &[],
                &context,
                "Atlas Tools",
                DateStyle::MonthFirst
            ),
            "ships Mar 12–16: no purchase order covers it yet; one placed today is expected Mar 11 (10-day lead time), Atlas Tools was late by up to 4 days on 9 of 10 deliveries; every day without one moves this date a day later"
        );
        // Nothing on record: the default allowance.
        let default = &promise_queue(&[queued(1, 1)], &inbound, &self::context())[0];
        assert_eq!(
            explain(default, &inbound, &self::context(), "", DateStyle::DayFirst),
            "ships 3–6 Mar: PO-12 expected 2 Mar, no deliveries on record yet, so up to 3 days of lateness are allowed"
        );
        // A late PO, later than every delivery on record.
        let late = [po("PO-9", Some(day(2, 20)), 5)];
        let overdue = &promise_queue(&[queued(1, 1)], &late, &self::context())[0];
        assert_eq!(
            explain(
                overdue,
                &late,
                &self::context(),
                "Bolt",
                DateStyle::MonthFirst
            ),
            "ships Mar 2–11: PO-9 expected Feb 20 and 9 days late, later than every delivery on record, so it is taken to be as late again as it already is"
        );
        let mut unknown = default.clone();
        unknown.window = None;
        unknown.covered_by = None;
        assert_eq!(
            explain(&unknown, &[], &self::context(), "", DateStyle::MonthFirst),
            "date unknown: no purchase order covers it and the product has no lead time"
        );
    }

    #[test]
    fn what_became_of_a_first_promise() {
        let first = EtaWindow {
            start: day(3, 3),
            end: day(3, 7),
        };
        let style = DateStyle::MonthFirst;
        assert_eq!(
            first_promise_text(first, day(2, 20), None, style),
            "first promised Mar 3–7 (on Feb 20)"
        );
        assert_eq!(
            first_promise_text(first, day(2, 20), Some(day(3, 6)), style),
            "first promised Mar 3–7 (on Feb 20), shipped Mar 6: kept, inside the window"
        );
        assert_eq!(
            first_promise_text(first, day(2, 20), Some(day(3, 1)), style),
            "first promised Mar 3–7 (on Feb 20), shipped Mar 1: kept (early)"
        );
        assert_eq!(
            first_promise_text(first, day(2, 20), Some(day(3, 9)), style),
            "first promised Mar 3–7 (on Feb 20), shipped Mar 9: 2 days after the first window"
        );
    }

    #[test]
    fn a_calendar_move_is_recorded_once_a_week() {
        let today = day(3, 10);
        // Something besides the calendar: always.
        assert!(record_slip(false, Some(today), today));
        // Only the calendar: the first time, then not again for 7 days.
        assert!(record_slip(true, None, today));
        assert!(!record_slip(true, Some(day(3, 4)), today));
        assert!(record_slip(true, Some(day(3, 3)), today));
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
            lateness: &NO_RECORD,
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
    }
}
