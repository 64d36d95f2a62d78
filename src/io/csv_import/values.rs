//! Cell values: amounts, whole numbers, dates and SKUs, as shops and spreadsheets write them.
//!
//! Every parser here is a small hand-written scanner: a million-line import calls them millions
//! of times, so they must not allocate on the happy path.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::domain::product::MAX_SKU_LEN;

/// The order of day and month in dates written with slashes (`05/03/2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `DD/MM/YYYY`, as in most of the world.
    DayFirst,
    /// `MM/DD/YYYY`, as in the United States.
    MonthFirst,
}

impl DateOrder {
    /// The pattern shown to people: `DD/MM/YYYY` or `MM/DD/YYYY`.
    pub fn pattern(self) -> &'static str {
        match self {
            Self::DayFirst => "DD/MM/YYYY",
            Self::MonthFirst => "MM/DD/YYYY",
        }
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.pattern())
    }
}

/// The text given for a date format is none of the known spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown date format '{0}': use DD/MM/YYYY or MM/DD/YYYY")]
pub struct UnknownDateOrder(pub String);

impl FromStr for DateOrder {
    type Err = UnknownDateOrder;

    /// Accepts `DD/MM/YYYY`, `dd/mm`, `dmy`, `day-first` and the month-first equivalents
    /// (case-insensitive).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let folded: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '/' | '-' | '.' | ' ' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        match folded.as_str() {
            "ddmmyyyy" | "ddmmyy" | "ddmm" | "dmy" | "dm" | "dayfirst" | "day" => {
                Ok(Self::DayFirst)
            }
            "mmddyyyy" | "mmddyy" | "mmdd" | "mdy" | "md" | "monthfirst" | "month" => {
                Ok(Self::MonthFirst)
            }
            _ => Err(UnknownDateOrder(text.trim().to_owned())),
        }
    }
}

/// How numbers are written in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NumberStyle {
    /// The file is `;`-separated: a comma is the decimal separator (`12,50`) and a dot may
    /// group thousands (`1.234,50`).
    pub decimal_comma: bool,
}

/// Trims whitespace; a fast path for the common ASCII edges.
pub(crate) fn trim(text: &str) -> &str {
    let trimmed = text.trim_ascii();
    let bytes = trimmed.as_bytes();
    if bytes.first().is_some_and(|b| !b.is_ascii()) || bytes.last().is_some_and(|b| !b.is_ascii()) {
        trimmed.trim()
    } else {
        trimmed
    }
}

/// True when `text` holds a control character (line breaks, tabs, …).
pub(crate) fn has_control_chars(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_control())
    } else {
        text.chars().any(char::is_control)
    }
}

/// Plain digits with an optional `.` and up to `scale` decimals, the common case.
fn parse_plain(bytes: &[u8], scale: u32) -> Option<i64> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (whole, fraction) = match digits.iter().position(|&b| b == b'.') {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, &b""[..]),
    };
    if whole.is_empty()
        || whole.len() > 15
        || fraction.len() > scale as usize
        || (fraction.is_empty() && whole.len() != digits.len())
        || !whole.iter().all(u8::is_ascii_digit)
        || !fraction.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut value: i64 = 0;
    for &byte in whole.iter().chain(fraction) {
        value = value * 10 + i64::from(byte - b'0');
    }
    value *= 10_i64.pow(scale - fraction.len() as u32);
    Some(if negative { -value } else { value })
}

/// Characters that may group thousands whatever the style.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

const CURRENCY_SYMBOLS: [char; 4] = ['$', '€', '£', '¥'];

/// Removes currency symbols and three-letter currency codes around an amount.
fn strip_currency(text: &str) -> &str {
    let mut rest = text.trim();
    loop {
        let before = rest.len();
        rest = rest
            .trim_start_matches(CURRENCY_SYMBOLS)
            .trim_end_matches(CURRENCY_SYMBOLS)
            .trim();
        if let Some(code) = rest.get(..3)
            && code.bytes().all(|b| b.is_ascii_uppercase())
        {
            rest = rest[3..].trim_start();
        }
        if rest.len() >= 3
            && let Some(code) = rest.get(rest.len() - 3..)
            && code.bytes().all(|b| b.is_ascii_uppercase())
        {
            rest = rest[..rest.len() - 3].trim_end();
        }
        if rest.len() == before {
            return rest;
        }
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest.trim_start())
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, text)
    }
}

/// Parses a decimal number into an integer scaled by `10^scale`.
///
/// Currency symbols, a sign on either side of the symbol, thousands separators (`,` or `.`
/// depending on the style, spaces, apostrophes) are understood. Extra decimals are accepted only
/// when they are zeros (`12.5000`).
pub(crate) fn parse_scaled(
    text: &str,
    style: NumberStyle,
    scale: u32,
) -> Result<i64, &'static str> {
    const NOT_A_NUMBER: &str = "is not a number";
    let trimmed = trim(text);
    if trimmed.is_empty() {
        return Err("is empty");
    }
    if let Some(value) = parse_plain(trimmed.as_bytes(), scale) {
        return Ok(value);
    }
    let (mut negative, rest) = split_sign(trimmed);
    let mut body = strip_currency(rest);
    if rest.len() != body.len() || body.starts_with(['-', '+']) {
        let (inner_negative, inner) = split_sign(body);
        if inner.len() != body.len() {
            if negative && inner_negative {
                return Err(NOT_A_NUMBER);
            }
            negative |= inner_negative;
            body = strip_currency(inner);
        }
    }
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_space(c))
    {
        return Err(NOT_A_NUMBER);
    }

    let last_dot = body.rfind('.');
    let last_comma = body.rfind(',');
    let digits_after = |at: usize| body.len() - at - 1;
    let decimal_at = match (last_dot, last_comma) {
        (Some(dot), Some(comma)) => Some(dot.max(comma)),
        (Some(dot), None) => {
            let single = body.matches('.').count() == 1;
            if style.decimal_comma && !(single && digits_after(dot) != 3) {
                None
            } else {
                Some(dot)
            }
        }
        (None, Some(comma)) => {
            let single = body.matches(',').count() == 1;
            if style.decimal_comma || (single && digits_after(comma) != 3) {
                Some(comma)
            } else {
                None
            }
        }
        (None, None) => None,
    };
    let (whole_text, fraction_text) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    if !fraction_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NOT_A_NUMBER);
    }
    if whole_text.is_empty() && fraction_text.is_empty() {
        return Err(NOT_A_NUMBER);
    }

    if let Some(at) = decimal_at {
        let decimal_char = body.as_bytes()[at];
        if body.bytes().filter(|&b| b == decimal_char).count() > 1 {
            return Err(NOT_A_NUMBER);
        }
    }

    // Whole part: digits, possibly grouped by threes.
    let mut whole: i64 = 0;
    let mut group_count = 0;
    let mut first_len = 0;
    let mut misplaced = false;
    for (index, group) in whole_text
        .split(|c: char| c == '.' || c == ',' || is_group_space(c))
        .enumerate()
    {
        group_count += 1;
        if index == 0 {
            first_len = group.len();
        } else if group.len() != 3 {
            misplaced = true;
        }
        for byte in group.bytes() {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(i64::from(byte - b'0')))
                .ok_or("is too large")?;
        }
    }
    if group_count > 1 && (misplaced || !(1..=3).contains(&first_len)) {
        return Err("has misplaced thousands separators");
    }

    // Fraction: at most `scale` significant digits.
    let mut fraction: i64 = 0;
    for (index, byte) in fraction_text.bytes().enumerate() {
        let digit = i64::from(byte - b'0');
        if index < scale as usize {
            fraction = fraction * 10 + digit;
        } else if digit != 0 {
            return Err(match scale {
                0 => "is not a whole number",
                2 => "has more than two decimals",
                _ => "has too many decimals",
            });
        }
    }
    let fraction_len = fraction_text.len().min(scale as usize) as u32;
    fraction *= 10_i64.pow(scale - fraction_len);

    let value = whole
        .checked_mul(10_i64.pow(scale))
        .and_then(|w| w.checked_add(fraction))
        .ok_or("is too large")?;
    Ok(if negative { -value } else { value })
}

/// Parses an amount of money into cents.
pub(crate) fn parse_cents(text: &str, style: NumberStyle) -> Result<i64, &'static str> {
    parse_scaled(text, style, 2)
}

/// Parses a whole number (`12`, `-3`, `1,200`, `12.0`).
pub(crate) fn parse_whole(text: &str, style: NumberStyle) -> Result<i64, &'static str> {
    match parse_scaled(text, style, 0) {
        Err("is not a number") if looks_like_scientific(text) => {
            Err("is in scientific notation (a spreadsheet changed it)")
        }
        other => other,
    }
}

/// A date and time as written in the file, with its UTC offset when the file gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub local: NaiveDateTime,
    pub offset_minutes: Option<i32>,
}

impl Stamp {
    /// The moment in UTC (a stamp without an offset is taken as it is written).
    pub fn utc(self) -> NaiveDateTime {
        match self.offset_minutes {
            // Checked: a stamp far outside the accepted dates is refused by the caller anyway.
            Some(minutes) => self
                .local
                .checked_sub_signed(TimeDelta::minutes(i64::from(minutes)))
                .unwrap_or(self.local),
            None => self.local,
        }
    }
}

/// What a date cell says about the day/month order of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderHint {
    /// Not a `a/b/yyyy` date (ISO, dotted, empty or not a date at all).
    None,
    DayFirst,
    MonthFirst,
    /// Both numbers are 12 or less.
    Ambiguous,
}

/// Reads `n` digits (`min..=max` of them) at the start of `bytes`.
fn digits(bytes: &[u8], min: usize, max: usize) -> Option<(u32, usize)> {
    let count = bytes
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if count < min {
        return None;
    }
    let value = bytes[..count]
        .iter()
        .fold(0_u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((value, count))
}

/// `a/b/yyyy`, `a-b-yyyy` or `a.b.yyyy` at the start of `bytes`: (a, b, year, separator, length).
fn day_month_year(bytes: &[u8]) -> Option<(u32, u32, i32, u8, usize)> {
    let (a, a_len) = digits(bytes, 1, 2)?;
    let separator = *bytes.get(a_len)?;
    if !matches!(separator, b'/' | b'-' | b'.') {
        return None;
    }
    let rest = &bytes[a_len + 1..];
    let (b, b_len) = digits(rest, 1, 2)?;
    if rest.get(b_len) != Some(&separator) {
        return None;
    }
    let rest = &rest[b_len + 1..];
    let (year, year_len) = digits(rest, 1, 4)?;
    if rest.get(year_len).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let length = a_len + 1 + b_len + 1 + year_len;
    let year = if year_len == 4 { year as i32 } else { -1 };
    Some((a, b, year, separator, length))
}

/// Classifies one date cell for the file-wide day/month detection.
pub(crate) fn order_hint(text: &str) -> OrderHint {
    match day_month_year(trim(text).as_bytes()) {
        Some((a, b, _, b'/' | b'-', _)) => match (a > 12, b > 12) {
            (true, false) => OrderHint::DayFirst,
            (false, true) => OrderHint::MonthFirst,
            (false, false) => OrderHint::Ambiguous,
            (true, true) => OrderHint::None,
        },
        _ => OrderHint::None,
    }
}

/// Parses the date at the start of `bytes`; returns the date and the bytes after it.
fn parse_date_part(bytes: &[u8], order: Option<DateOrder>) -> Result<(NaiveDate, &[u8]), String> {
    const NOT_A_DATE: &str = "is not a date (use YYYY-MM-DD)";
    // YYYY-MM-DD or YYYY/MM/DD
    if let Some((year, 4)) = digits(bytes, 4, 4)
        && let Some(&separator @ (b'-' | b'/')) = bytes.get(4)
    {
        let rest = &bytes[5..];
        let (month, month_len) = digits(rest, 1, 2).ok_or(NOT_A_DATE)?;
        if rest.get(month_len) != Some(&separator) {
            return Err(NOT_A_DATE.into());
        }
        let rest = &rest[month_len + 1..];
        let (day, day_len) = digits(rest, 1, 2).ok_or(NOT_A_DATE)?;
        let date = NaiveDate::from_ymd_opt(year as i32, month, day)
            .ok_or("is not a valid date (no such day)")?;
        return Ok((date, &rest[day_len..]));
    }
    let (a, b, year, separator, length) = day_month_year(bytes).ok_or(NOT_A_DATE)?;
    if year < 0 {
        return Err("needs a four-digit year".into());
    }
    let resolved = if separator == b'.' {
        DateOrder::DayFirst
    } else {
        match (a > 12, b > 12, order) {
            (false, false, Some(order)) => order,
            (false, false, None) => {
                return Err(
                    "could be DD/MM/YYYY or MM/DD/YYYY; choose the date format of the file".into(),
                );
            }
            (true, false, Some(DateOrder::MonthFirst))
            | (false, true, Some(DateOrder::DayFirst)) => {
                let pattern = order.map_or("", DateOrder::pattern);
                return Err(format!("is not a valid {pattern} date (month > 12)"));
            }
            (true, false, _) => DateOrder::DayFirst,
            (false, true, _) => DateOrder::MonthFirst,
            (true, true, _) => return Err("is not a valid date (month > 12)".into()),
        }
    };
    let (day, month) = match resolved {
        DateOrder::DayFirst => (a, b),
        DateOrder::MonthFirst => (b, a),
    };
    let date =
        NaiveDate::from_ymd_opt(year, month, day).ok_or("is not a valid date (no such day)")?;
    Ok((date, &bytes[length..]))
}

/// Parses `HH:MM[:SS[.fff]] [AM|PM]` at the start of `bytes`.
fn parse_time_part(bytes: &[u8]) -> Option<(NaiveTime, &[u8])> {
    let (hour, hour_len) = digits(bytes, 1, 2)?;
    let mut rest = bytes.get(hour_len..)?.strip_prefix(b":")?;
    let (minute, minute_len) = digits(rest, 2, 2)?;
    rest = &rest[minute_len..];
    let mut second = 0;
    let mut nanos = 0;
    if let Some(after) = rest.strip_prefix(b":") {
        let (value, len) = digits(after, 2, 2)?;
        second = value;
        rest = &after[len..];
        if let Some(after) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
            let count = after.iter().take_while(|b| b.is_ascii_digit()).count();
            if count == 0 {
                return None;
            }
            for (index, byte) in after[..count].iter().take(9).enumerate() {
                nanos += u32::from(byte - b'0') * 10_u32.pow(8 - index as u32);
            }
            rest = &after[count..];
        }
    }
    let mut hour = hour;
    let trimmed = rest.trim_ascii_start();
    let meridiem = trimmed
        .get(..2)
        .map(<[u8]>::to_ascii_uppercase)
        .filter(|m| m == b"AM" || m == b"PM");
    if let Some(meridiem) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (meridiem.as_slice(), hour) {
            (b"AM", 12) => 0,
            (b"PM", 12) => 12,
            (b"PM", h) => h + 12,
            (_, h) => h,
        };
        rest = &trimmed[2..];
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some((time, rest))
}

/// Parses a UTC offset: `Z`, `UTC`, `+02:00`, `-0500`, `+02`.
fn parse_offset(bytes: &[u8]) -> Option<i32> {
    if bytes.eq_ignore_ascii_case(b"z")
        || bytes.eq_ignore_ascii_case(b"utc")
        || bytes.eq_ignore_ascii_case(b"gmt")
    {
        return Some(0);
    }
    let (sign, rest) = match bytes.first()? {
        b'+' => (1, &bytes[1..]),
        b'-' => (-1, &bytes[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.len() {
        2 => (digits(rest, 2, 2)?.0, 0),
        4 => (digits(rest, 2, 2)?.0, digits(&rest[2..], 2, 2)?.0),
        5 if rest[2] == b':' => (digits(rest, 2, 2)?.0, digits(&rest[3..], 2, 2)?.0),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes) as i32)
}

/// Parses a date with an optional time and offset: `2024-03-05`, `2024-03-05 14:30:00`,
/// `2024-03-05 14:30:00 -0500` (Shopify), `2024-03-05T14:30:00Z` (RFC 3339), `05/03/2024`,
/// `05.03.2024 14:30`. A date alone is midnight.
pub(crate) fn parse_stamp(text: &str, order: Option<DateOrder>) -> Result<Stamp, String> {
    const BAD_TIME: &str = "is not a date and time (use YYYY-MM-DD HH:MM:SS)";
    let bytes = trim(text).as_bytes();
    if bytes.is_empty() {
        return Err("is empty".into());
    }
    let (date, rest) = parse_date_part(bytes, order)?;
    if rest.is_empty() {
        return Ok(Stamp {
            local: date.and_time(NaiveTime::MIN),
            offset_minutes: None,
        });
    }
    let after_date = match rest.first() {
        Some(b'T' | b't') => &rest[1..],
        Some(b' ') => rest.trim_ascii_start(),
        _ => return Err(BAD_TIME.into()),
    };
    let (time, rest) = parse_time_part(after_date).ok_or(BAD_TIME)?;
    let rest = rest.trim_ascii();
    let offset_minutes = if rest.is_empty() {
        None
    } else {
        Some(parse_offset(rest).ok_or(BAD_TIME)?)
    };
    Ok(Stamp {
        local: date.and_time(time),
        offset_minutes,
    })
}

/// True for text such as `3.65275E+11`: a long number a spreadsheet turned into scientific
/// notation, losing digits.
pub(crate) fn looks_like_scientific(text: &str) -> bool {
    let bytes = trim(text).as_bytes();
    let Some(e_at) = bytes.iter().position(|b| b.eq_ignore_ascii_case(&b'e')) else {
        return false;
    };
    let (mantissa, exponent) = (&bytes[..e_at], &bytes[e_at + 1..]);
    let exponent = exponent
        .strip_prefix(b"+")
        .or_else(|| exponent.strip_prefix(b"-"))
        .unwrap_or(exponent);
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.' || b == b',') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, &b""[..]),
    };
    !whole.is_empty()
        && whole.iter().all(u8::is_ascii_digit)
        && fraction.iter().all(u8::is_ascii_digit)
        && !exponent.is_empty()
        && exponent.len() <= 3
        && exponent.iter().all(u8::is_ascii_digit)
}

/// Checks a SKU against the catalog's rules.
pub(crate) fn check_sku(sku: &str) -> Result<(), &'static str> {
    if sku.is_empty() {
        Err("a SKU is required")
    } else if sku.len() > MAX_SKU_LEN && sku.chars().count() > MAX_SKU_LEN {
        Err("is longer than 64 characters")
    } else if has_control_chars(sku) {
        Err("must not contain line breaks or tabs")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    const DOT: NumberStyle = NumberStyle {
        decimal_comma: false,
    };
    const COMMA: NumberStyle = NumberStyle {
        decimal_comma: true,
    };

    #[test]
    fn money_with_dots() {
        assert_eq!(parse_cents("12.5", DOT), Ok(1250));
        assert_eq!(parse_cents("$1,234.56", DOT), Ok(123_456));
        assert_eq!(parse_cents("1,234,567", DOT), Ok(123_456_700));
        assert_eq!(parse_cents("€ 3.99", DOT), Ok(399));
        assert_eq!(parse_cents("3.99 €", DOT), Ok(399));
        assert_eq!(parse_cents("£0.05", DOT), Ok(5));
        assert_eq!(parse_cents("-$5.00", DOT), Ok(-500));
        assert_eq!(parse_cents("$-5.00", DOT), Ok(-500));
        assert_eq!(parse_cents("USD 19.90", DOT), Ok(1990));
        assert_eq!(parse_cents("19.90 EUR", DOT), Ok(1990));
        assert_eq!(parse_cents("12.5000", DOT), Ok(1250));
        assert_eq!(parse_cents("1 234.50", DOT), Ok(123_450));
        assert_eq!(parse_cents("1'234.50", DOT), Ok(123_450));
        assert_eq!(parse_cents(".5", DOT), Ok(50));
        // An unambiguous decimal comma is read in any file.
        assert_eq!(parse_cents("12,50", DOT), Ok(1250));
        assert_eq!(parse_cents("1.234,56", DOT), Ok(123_456));
        assert_eq!(parse_cents("", DOT), Err("is empty"));
        assert_eq!(parse_cents("abc", DOT), Err("is not a number"));
        assert_eq!(
            parse_cents("12.345", DOT),
            Err("has more than two decimals")
        );
        assert_eq!(
            parse_cents("1,23,456", DOT),
            Err("has misplaced thousands separators")
        );
        assert_eq!(parse_cents("1.2.3", DOT), Err("is not a number"));
        assert_eq!(parse_cents("--5", DOT), Err("is not a number"));
        assert_eq!(
            parse_cents("99999999999999999999", DOT),
            Err("is too large")
        );
    }

    #[test]
    fn money_with_decimal_comma() {
        assert_eq!(parse_cents("12,50", COMMA), Ok(1250));
        assert_eq!(parse_cents("12,5 €", COMMA), Ok(1250));
        assert_eq!(parse_cents("1.234,56", COMMA), Ok(123_456));
        assert_eq!(parse_cents("1 234,56", COMMA), Ok(123_456));
        assert_eq!(parse_cents("1\u{a0}234,56", COMMA), Ok(123_456));
        assert_eq!(parse_cents("1.234", COMMA), Ok(123_400));
        // A dot followed by one or two digits is still a decimal point.
        assert_eq!(parse_cents("12.50", COMMA), Ok(1250));
        assert_eq!(
            parse_cents("1,234", COMMA),
            Err("has more than two decimals")
        );
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("12", DOT), Ok(12));
        assert_eq!(parse_whole("-3", DOT), Ok(-3));
        assert_eq!(parse_whole("+4", DOT), Ok(4));
        assert_eq!(parse_whole("1,200", DOT), Ok(1200));
        assert_eq!(parse_whole("1.200", COMMA), Ok(1200));
        assert_eq!(parse_whole("12.0", DOT), Ok(12));
        assert_eq!(parse_whole("12,0", COMMA), Ok(12));
        assert_eq!(parse_whole("12.5", DOT), Err("is not a whole number"));
        assert_eq!(parse_whole("two", DOT), Err("is not a number"));
        assert_eq!(
            parse_whole("1.2E+3", DOT),
            Err("is in scientific notation (a spreadsheet changed it)")
        );
    }

    fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|date| date.and_hms_opt(hour, minute, second))
            .expect("valid test date")
    }

    #[test]
    fn dates_and_times() {
        let utc = |text: &str| parse_stamp(text, None).map(Stamp::utc);
        assert_eq!(utc("2024-03-05"), Ok(at(2024, 3, 5, 0, 0, 0)));
        assert_eq!(utc("2024-03-05 14:30:09"), Ok(at(2024, 3, 5, 14, 30, 9)));
        assert_eq!(utc("2024-03-05 14:30"), Ok(at(2024, 3, 5, 14, 30, 0)));
        assert_eq!(
            utc("2024-03-05 14:30:00 -0500"),
            Ok(at(2024, 3, 5, 19, 30, 0))
        );
        assert_eq!(
            utc("2024-03-05 01:30:00 +0200"),
            Ok(at(2024, 3, 4, 23, 30, 0))
        );
        assert_eq!(utc("2024-03-05T14:30:00Z"), Ok(at(2024, 3, 5, 14, 30, 0)));
        assert_eq!(
            utc("2024-03-05T14:30:00.250+01:00").map(|t| t.and_utc().timestamp_millis()),
            Ok(at(2024, 3, 5, 13, 30, 0).and_utc().timestamp_millis() + 250)
        );
        assert_eq!(utc("2024/03/05"), Ok(at(2024, 3, 5, 0, 0, 0)));
        assert_eq!(utc("25/03/2024"), Ok(at(2024, 3, 25, 0, 0, 0)));
        assert_eq!(utc("03/25/2024"), Ok(at(2024, 3, 25, 0, 0, 0)));
        assert_eq!(utc("05.03.2024 14:30"), Ok(at(2024, 3, 5, 14, 30, 0)));
        assert_eq!(
            parse_stamp("3/5/2024 2:30 PM", Some(DateOrder::MonthFirst)).map(Stamp::utc),
            Ok(at(2024, 3, 5, 14, 30, 0))
        );
        assert_eq!(
            parse_stamp("3/5/2024 12:05 am", Some(DateOrder::MonthFirst)).map(Stamp::utc),
            Ok(at(2024, 3, 5, 0, 5, 0))
        );
        assert_eq!(
            parse_stamp("05/03/2024", Some(DateOrder::DayFirst)).map(Stamp::utc),
            Ok(at(2024, 3, 5, 0, 0, 0))
        );
        assert_eq!(
            parse_stamp("05/03/2024", Some(DateOrder::MonthFirst)).map(Stamp::utc),
            Ok(at(2024, 5, 3, 0, 0, 0))
        );
        assert!(utc("05/03/2024").is_err_and(|e| e.contains("could be DD/MM/YYYY")));
        assert!(
            parse_stamp("25/03/2024", Some(DateOrder::MonthFirst))
                .is_err_and(|e| e.contains("MM/DD/YYYY"))
        );
        assert!(utc("2024-02-30").is_err_and(|e| e.contains("no such day")));
        assert!(utc("05/03/24").is_err_and(|e| e.contains("four-digit")));
        assert!(utc("tomorrow").is_err());
        assert!(utc("2024-03-05 25:00").is_err());
        assert!(utc("2024-03-05 14:30 +99").is_err());
    }

    #[test]
    fn order_hints() {
        assert_eq!(order_hint("25/03/2024"), OrderHint::DayFirst);
        assert_eq!(order_hint("03/25/2024 10:00"), OrderHint::MonthFirst);
        assert_eq!(order_hint("03/05/2024"), OrderHint::Ambiguous);
        assert_eq!(order_hint("2024-03-05"), OrderHint::None);
        assert_eq!(order_hint("05.03.2024"), OrderHint::None);
    }

    #[test]
    fn date_orders_from_text() {
        assert_eq!("DD/MM/YYYY".parse(), Ok(DateOrder::DayFirst));
        assert_eq!("mdy".parse(), Ok(DateOrder::MonthFirst));
        assert_eq!("month-first".parse(), Ok(DateOrder::MonthFirst));
        assert!("YYYY".parse::<DateOrder>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC{0,40}", numberish in "[-+$€£ 0-9.,'E]{0,24}") {
            for input in [text.as_str(), numberish.as_str()] {
                for style in [DOT, COMMA] {
                    let _ = parse_cents(input, style);
                    let _ = parse_whole(input, style);
                }
                for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
                    let _ = parse_stamp(input, order).map(Stamp::utc);
                }
                let _ = order_hint(input);
                let _ = looks_like_scientific(input);
                let _ = check_sku(input);
                let _ = trim(input);
            }
        }

        /// Random bytes (as a file's cell would arrive) and date-shaped text reach every date
        /// path: each is read or refused with a reason.
        #[test]
        fn date_parser_never_panics(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
            shaped in "[0-9]{0,6}[-/.T ]?[0-9]{0,4}[-/.T ]?[0-9]{0,5}([ T][0-9]{0,3}(:[0-9]{0,3}){0,3}([.,][0-9]{0,12})?)?( ?([-+][0-9]{0,5}(:[0-9]{0,3})?|Z|UTC))?",
        ) {
            let text = String::from_utf8_lossy(&bytes);
            for input in [text.as_ref(), shaped.as_str()] {
                for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
                    if let Ok(stamp) = parse_stamp(input, order) {
                        let _ = stamp.utc();
                    }
                }
                let _ = order_hint(input);
            }
        }

        #[test]
        fn amounts_round_trip(cents in -100_000_000_000_i64..100_000_000_000) {
            let text = crate::domain::format_cents(cents);
            proptest::prop_assert_eq!(parse_cents(&text, DOT), Ok(cents));
            proptest::prop_assert_eq!(parse_cents(&text.replace('.', ","), COMMA), Ok(cents));
        }

        #[test]
        fn timestamps_round_trip(days in 0_i64..3_500_000, seconds in 0_u32..86_400) {
            let date = NaiveDate::from_ymd_opt(1, 1, 1).expect("valid") + TimeDelta::days(days);
            let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).expect("valid");
            let at = date.and_time(time);
            let text = at.format("%Y-%m-%d %H:%M:%S").to_string();
            if date.year() <= 9999 {
                proptest::prop_assert_eq!(parse_stamp(&text, None).map(Stamp::utc), Ok(at));
            }
        }
    }

    /// The cases in `tests/fuzz_corpus/dates/cases.txt`: read or refused, never a panic; the
    /// valid ones give the day they name.
    #[test]
    fn date_corpus_reads_or_errs() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_corpus/dates/cases.txt");
        let text = std::fs::read_to_string(path).expect("corpus file");
        let mut seen = 0;
        for case in text.lines().filter(|line| !line.starts_with('#')) {
            for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
                if let Ok(stamp) = parse_stamp(case, order) {
                    let _ = stamp.utc();
                }
            }
            let _ = order_hint(case);
            seen += 1;
        }
        assert!(seen >= 40, "{seen} cases");
        assert_eq!(
            parse_stamp("2024-02-29", None).map(|s| s.utc().date()),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid"))
        );
        assert!(parse_stamp("2023-02-29", None).is_err());
        assert!(parse_stamp("2024-06-01 25:61:61", None).is_err());
    }

    #[test]
    fn scientific_and_skus() {
        assert!(looks_like_scientific("3.65275E+11"));
        assert!(looks_like_scientific("1E+12"));
        assert!(looks_like_scientific("8,71234E+12"));
        assert!(!looks_like_scientific("E-100"));
        assert!(!looks_like_scientific("MUG-E12"));
        assert!(!looks_like_scientific("0017"));
        assert_eq!(check_sku("0017"), Ok(()));
        assert!(check_sku("").is_err());
        assert!(check_sku(&"x".repeat(65)).is_err());
        assert!(check_sku("a\tb").is_err());
    }
}
