//! The one set of limits for every number, text and date the desk accepts — typed in the window,
//! given on the command line or read from a file. Each is checked where the value comes in, with
//! a message that names the value, the limit and the fix; inside, arithmetic on these values
//! cannot overflow. Values already in a shop file are not re-checked when read (an older version
//! may have stored more): the code that uses them computes with checked or saturating
//! arithmetic instead.
//!
//! | what | accepted |
//! |---|---|
//! | a date ("today", order, ship, receipt, expected, cutoff, KPI period) | 2000-01-01 to 2100-12-31, written `YYYY-MM-DD` |
//! | units of one order or PO line, units received | 1 to 1,000,000 |
//! | a stock change, stock on hand given, reorder point and order rules | up to 1,000,000 units (a change: −1,000,000 to 1,000,000, not 0) |
//! | a price or unit cost | 0.00 to 1,000,000.00 |
//! | lead time, max wait | 0 to 3650 days |
//! | SKU, order number, PO number | 1 to 64 characters |
//! | names (product, customer, supplier), category, bin location, reason | up to 255 characters |
//!
//! With these, an order line is worth at most 10^14 cents, so even 90,000 such lines sum within
//! an `i64`, and a date plus any accepted number of days stays far inside chrono's range.

use chrono::{NaiveDate, TimeDelta};
use thiserror::Error;

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(day) => day,
        None => NaiveDate::MIN,
    }
}

/// The first day the desk accepts.
pub const FIRST_DAY: NaiveDate = ymd(2000, 1, 1);
/// The last day the desk accepts.
pub const LAST_DAY: NaiveDate = ymd(2100, 12, 31);
/// The most units of one order line or purchase-order line, of a stock change, of stock on
/// hand given at once, and of a reorder point or order rule.
pub const MAX_UNITS: i64 = 1_000_000;
/// The highest price or unit cost, in cents (1,000,000.00).
pub const MAX_CENTS: i64 = 100_000_000;
/// The longest lead time or wait, in days.
pub const MAX_DAYS: i64 = 3650;
/// The longest SKU, order number or PO number, in characters.
pub const MAX_CODE_CHARS: usize = 64;
/// Longest SKU accepted, in characters.
pub const MAX_SKU_LEN: usize = MAX_CODE_CHARS;
/// The longest name, category, bin location or reason, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// A value outside its limit: what it is, the value, the limit, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{what} {value} {problem}; {fix}")]
pub struct LimitError {
    pub what: String,
    /// The value as given (quoted when it is text).
    pub value: String,
    pub problem: String,
    pub fix: String,
}

impl LimitError {
    fn new(what: &str, value: String, problem: String, fix: &str) -> Self {
        Self {
            what: what.to_owned(),
            value,
            problem,
            fix: fix.to_owned(),
        }
    }
}

/// The accepted days, for messages: `2000-01-01 to 2100-12-31`.
pub fn day_range_text() -> String {
    format!("{FIRST_DAY} to {LAST_DAY}")
}

/// A day inside [`FIRST_DAY`] ..= [`LAST_DAY`].
pub fn check_day(what: &str, day: NaiveDate) -> Result<NaiveDate, LimitError> {
    if (FIRST_DAY..=LAST_DAY).contains(&day) {
        Ok(day)
    } else {
        Err(LimitError::new(
            what,
            day_text(day),
            format!(
                "is outside the dates this desk accepts ({})",
                day_range_text()
            ),
            "check the year",
        ))
    }
}

/// A day as `YYYY-MM-DD` (chrono writes a sign and more digits outside years 0–9999).
fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Parses a day written exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) inside
/// the accepted range. `26-03-01` is refused, not read as the year 26.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let trimmed = text.trim();
    let bytes = trimmed.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
    if !shape {
        return Err(format!(
            "'{trimmed}' is not a date in the form YYYY-MM-DD (a four-digit year, e.g. 2026-03-01)"
        ));
    }
    let day = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map_err(|_| format!("'{trimmed}' is not a day of the calendar (YYYY-MM-DD)"))?;
    check_day("the date", day).map_err(|error| error.to_string())
}

/// Units of one order line or purchase-order line: 1 ..= [`MAX_UNITS`].
pub fn check_line_units(what: &str, units: i64) -> Result<i64, LimitError> {
    if units < 1 {
        return Err(LimitError::new(
            what,
            units.to_string(),
            "is less than 1".into(),
            "a line holds at least one unit",
        ));
    }
    check_at_most(what, units, "split it over several lines")
}

/// A change of stock: not 0, at most [`MAX_UNITS`] either way.
pub fn check_stock_change(what: &str, units: i64) -> Result<i64, LimitError> {
    if units == 0 {
        return Err(LimitError::new(
            what,
            "0".into(),
            "changes nothing".into(),
            "give the units to add, or a negative number to remove",
        ));
    }
    if units.unsigned_abs() > MAX_UNITS as u64 {
        return Err(LimitError::new(
            what,
            units.to_string(),
            format!("is more than {} units either way", thousands(MAX_UNITS)),
            "check the number, or make the change in several steps",
        ));
    }
    Ok(units)
}

/// A number of units 0 ..= [`MAX_UNITS`] (stock on hand given, reorder point, order rules).
pub fn check_units(what: &str, units: i64) -> Result<i64, LimitError> {
    if units < 0 {
        return Err(LimitError::new(
            what,
            units.to_string(),
            "is negative".into(),
            "give 0 or more units",
        ));
    }
    check_at_most(what, units, "check the number")
}

fn check_at_most(what: &str, units: i64, fix: &str) -> Result<i64, LimitError> {
    if units > MAX_UNITS {
        return Err(LimitError::new(
            what,
            units.to_string(),
            format!("is more than {} units", thousands(MAX_UNITS)),
            fix,
        ));
    }
    Ok(units)
}

/// A price or unit cost: 0 ..= [`MAX_CENTS`].
pub fn check_cents(what: &str, cents: i64) -> Result<i64, LimitError> {
    if cents < 0 {
        return Err(LimitError::new(
            what,
            super::money::format_cents(cents),
            "is negative".into(),
            "give 0.00 or more",
        ));
    }
    if cents > MAX_CENTS {
        return Err(LimitError::new(
            what,
            super::money::format_cents(cents),
            format!(
                "is more than {}, the highest price or cost accepted",
                super::money::format_cents(MAX_CENTS)
            ),
            "check the decimal point",
        ));
    }
    Ok(cents)
}

/// A number of days 0 ..= [`MAX_DAYS`].
pub fn check_days(what: &str, days: i64) -> Result<i64, LimitError> {
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(LimitError::new(
            what,
            days.to_string(),
            format!("is not between 0 and {MAX_DAYS} days"),
            "check the number",
        ));
    }
    Ok(days)
}

/// Text of at most `max` characters.
pub fn check_text<'a>(what: &str, text: &'a str, max: usize) -> Result<&'a str, LimitError> {
    let count = text.chars().count();
    if count > max {
        return Err(LimitError::new(
            what,
            format!("'{}…'", text.chars().take(20).collect::<String>()),
            format!("is {count} characters long, more than the {max} accepted"),
            "shorten it",
        ));
    }
    Ok(text)
}

/// Something that happened (an order placed, a line shipped, a receipt) dated `day`: at most one
/// day after `today` (an export written in a time zone ahead of the shop's), never later.
pub fn check_event_day(
    what: &str,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, LimitError> {
    check_day(what, day)?;
    if day > add_days_saturating(today, 1) {
        return Err(LimitError::new(
            what,
            day.to_string(),
            format!("is after today ({today}): it cannot have happened yet"),
            "check the date (or the computer's clock)",
        ));
    }
    Ok(day)
}

/// `1000000` → `1,000,000`.
pub fn thousands(number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if number < 0 {
        out.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `day` plus `days` (negative: earlier), or `None` past chrono's range. Use it (or
/// [`add_days_saturating`]) for every date computed from values read from a file.
pub fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_add_signed(TimeDelta::try_days(days)?)
}

/// `day` plus `days`, held at chrono's first or last day instead of overflowing.
/// An expected arrival this many days or more after today is asked about (a typo in the year).
pub const FAR_EXPECTED_DAYS: i64 = 365;

/// Why an expected arrival is unusual enough to ask before saving it: in the past, or a year
/// or more away. `None`: nothing to ask. (Before the order date is refused outright.)
pub fn expected_date_question(expected: NaiveDate, today: NaiveDate) -> Option<String> {
    if expected < today {
        let days = (today - expected).num_days();
        return Some(format!(
            "The expected arrival {expected} is in the past ({days} day(s) before today, {today}): the promises of waiting customers will count on stock that is already late"
        ));
    }
    let days = (expected - today).num_days();
    (days >= FAR_EXPECTED_DAYS).then(|| {
        format!(
            "The expected arrival {expected} is {days} days away (more than a year): check the year"
        )
    })
}

/// The accepted service levels, per cent: at least 50 and below 100.
pub const SERVICE_LEVEL_PCT: std::ops::Range<f64> = 50.0..100.0;

/// A typed service level in per cent (`95`, `97.5 %`), or why it is refused.
pub fn parse_service_level_pct(text: &str) -> Result<f64, String> {
    let trimmed = text.trim().trim_end_matches('%').trim();
    let value: f64 = trimmed.parse().map_err(|_| {
        format!(
            "Service level (%): '{}' is not a number; type e.g. 95",
            text.trim()
        )
    })?;
    if !(value.is_finite() && SERVICE_LEVEL_PCT.contains(&value)) {
        return Err(format!(
            "Service level (%): {trimmed} is outside the accepted range: at least 50 and below 100 (e.g. 95 or 99.5)"
        ));
    }
    Ok(value)
}

pub fn add_days_saturating(day: NaiveDate, days: i64) -> NaiveDate {
    add_days(day, days).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusual_expected_dates_and_service_levels() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(expected_date_question(day(2026, 3, 15), today), None);
        assert_eq!(
            expected_date_question(day(2020, 3, 1), today).as_deref(),
            Some(
                "The expected arrival 2020-03-01 is in the past (2191 day(s) before today, 2026-03-01): the promises of waiting customers will count on stock that is already late"
            )
        );
        assert_eq!(
            expected_date_question(day(2027, 3, 1), today).as_deref(),
            Some(
                "The expected arrival 2027-03-01 is 365 days away (more than a year): check the year"
            )
        );
        assert_eq!(expected_date_question(day(2027, 2, 28), today), None);
        assert_eq!(parse_service_level_pct(" 97.5 % "), Ok(97.5));
        assert_eq!(parse_service_level_pct("50"), Ok(50.0));
        assert!(parse_service_level_pct("100").is_err());
        assert_eq!(
            parse_service_level_pct("40"),
            Err("Service level (%): 40 is outside the accepted range: at least 50 and below 100 (e.g. 95 or 99.5)".to_owned())
        );
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn days_inside_and_outside() {
        assert_eq!(parse_day("2000-01-01"), Ok(day(2000, 1, 1)));
        assert_eq!(parse_day(" 2100-12-31 "), Ok(day(2100, 12, 31)));
        assert_eq!(
            parse_day("1999-12-31"),
            Err(
                "the date 1999-12-31 is outside the dates this desk accepts \
                 (2000-01-01 to 2100-12-31); check the year"
                    .into()
            )
        );
        assert!(parse_day("2101-01-01").is_err());
        for bad in [
            "26-03-01",
            "+262142-12-31",
            "0000-01-01",
            "99999-01-01",
            "2026-3-1",
            "2026/03/01",
            "",
        ] {
            let error = parse_day(bad).expect_err(bad);
            assert!(
                error.contains("YYYY-MM-DD") || error.contains("outside"),
                "{bad}: {error}"
            );
        }
        assert_eq!(
            parse_day("26-03-01"),
            Err(
                "'26-03-01' is not a date in the form YYYY-MM-DD (a four-digit year, e.g. \
                 2026-03-01)"
                    .into()
            )
        );
        assert!(parse_day("2026-02-30").is_err());
        assert!(check_day("today", NaiveDate::MAX).is_err());
        assert_eq!(
            check_day("today", NaiveDate::MIN)
                .expect_err("min")
                .value
                .chars()
                .next(),
            Some('-')
        );
    }

    #[test]
    fn numbers_inside_and_outside() {
        assert_eq!(check_line_units("quantity", 1), Ok(1));
        assert_eq!(check_line_units("quantity", MAX_UNITS), Ok(MAX_UNITS));
        assert_eq!(
            check_line_units("quantity", MAX_UNITS + 1)
                .expect_err("too many")
                .to_string(),
            "quantity 1000001 is more than 1,000,000 units; split it over several lines"
        );
        assert!(check_line_units("quantity", 0).is_err());
        assert_eq!(check_stock_change("change", -MAX_UNITS), Ok(-MAX_UNITS));
        assert_eq!(
            check_stock_change("change", i64::MIN)
                .expect_err("min")
                .to_string(),
            "change -9223372036854775808 is more than 1,000,000 units either way; check the \
             number, or make the change in several steps"
        );
        assert!(check_stock_change("change", 0).is_err());
        assert_eq!(check_cents("price", MAX_CENTS), Ok(MAX_CENTS));
        assert_eq!(
            check_cents("price", 9_223_372_036_854_775_807)
                .expect_err("huge")
                .to_string(),
            "price 92233720368547758.07 is more than 1000000.00, the highest price or cost \
             accepted; check the decimal point"
        );
        assert!(check_cents("price", -1).is_err());
        assert_eq!(check_days("lead time", MAX_DAYS), Ok(MAX_DAYS));
        assert!(check_days("lead time", MAX_DAYS + 1).is_err());
        assert!(check_text("name", &"x".repeat(255), MAX_NAME_CHARS).is_ok());
        assert_eq!(
            check_text("name", &"é".repeat(256), MAX_NAME_CHARS)
                .expect_err("long")
                .to_string(),
            "name 'éééééééééééééééééééé…' is 256 characters long, more than the 255 accepted; \
             shorten it"
        );
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(-1234), "-1,234");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn date_arithmetic_never_overflows() {
        assert_eq!(add_days(day(2026, 3, 1), 1), Some(day(2026, 3, 2)));
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
        assert_eq!(add_days(NaiveDate::MIN, -1), None);
        assert_eq!(add_days(day(2026, 3, 1), i64::MAX), None);
        assert_eq!(add_days_saturating(NaiveDate::MAX, 10), NaiveDate::MAX);
        assert_eq!(
            add_days_saturating(NaiveDate::MIN, i64::MIN),
            NaiveDate::MIN
        );
        // The widest accepted span stays far inside chrono's range.
        assert!(add_days(LAST_DAY, 3 * MAX_DAYS).is_some());
    }
}
