//! How values are written in the shop file and read back: days and times as text, one place
//! for every format (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`), and the codes of the status enums.
//!
//! The writers avoid chrono's formatting machinery (it showed up in import profiles); the
//! readers take the day at the start of a text, so a time stamp gives its day.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::order::{OrderStatus, PoStatus};

/// The text form of a day: `YYYY-MM-DD`.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// The text form of a time stamp: `YYYY-MM-DD HH:MM:SS`.
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `YYYY-MM-DD` (written directly: chrono's strftime showed up in import profiles).
pub(crate) fn date_text(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn datetime_text(at: NaiveDateTime) -> String {
    let mut text = String::with_capacity(19);
    write_datetime(&mut text, at);
    text
}

/// Writes `YYYY-MM-DD HH:MM:SS` into `text` (replacing what it held) without the formatting
/// machinery, which showed up in import profiles.
pub(crate) fn write_datetime(text: &mut String, at: NaiveDateTime) {
    fn digits(text: &mut String, value: u32, width: u32) {
        let mut divisor = 10u32.pow(width - 1);
        while divisor > 0 {
            let digit = (value / divisor) % 10;
            text.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
            divisor /= 10;
        }
    }
    text.clear();
    let year = at.year();
    if (0..=9999).contains(&year) {
        digits(text, year.unsigned_abs(), 4);
    } else {
        text.push_str(&format!("{year:04}"));
    }
    text.push('-');
    digits(text, at.month(), 2);
    text.push('-');
    digits(text, at.day(), 2);
    text.push(' ');
    digits(text, at.hour(), 2);
    text.push(':');
    digits(text, at.minute(), 2);
    text.push(':');
    digits(text, at.second(), 2);
}

/// `YYYY-MM-DD` at the start of a text, without the cost of a format parser.
pub(crate) fn day_of(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// A time stamp `YYYY-MM-DD HH:MM:SS` (`None`: another text).
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, DATETIME_FORMAT).ok()
}

/// The day at the start of a text (`YYYY-MM-DD`, or the day of a time stamp).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    day_of(text)
        .or_else(|| NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), DATE_FORMAT).ok())
}

/// The day at the start of a text column (`None`: NULL or not a day).
pub(crate) fn text_day(
    row: &rusqlite::Row<'_>,
    column: usize,
) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(row.get_ref(column)?.as_str_or_null()?.and_then(day_of))
}

/// A stored code that names no value of its enum (the file was changed by hand).
fn unknown_code(what: &str, code: &str) -> FromSqlError {
    FromSqlError::Other(format!("'{code}' is not an {what} status").into())
}

impl ToSql for OrderStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for OrderStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_str()?;
        Self::from_code(code).ok_or_else(|| unknown_code("order", code))
    }
}

impl ToSql for PoStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for PoStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_str()?;
        Self::from_code(code).ok_or_else(|| unknown_code("purchase order", code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_written_like_strftime() {
        let mut text = String::new();
        for at in [
            "2025-03-07 08:05:09",
            "0999-12-31 23:59:59",
            "2024-02-29 00:00:00",
        ] {
            let parsed =
                NaiveDateTime::parse_from_str(at, DATETIME_FORMAT).expect("a valid date and time");
            write_datetime(&mut text, parsed);
            assert_eq!(text, at);
            assert_eq!(datetime_text(parsed), at);
        }
    }

    #[test]
    fn days_are_read_from_the_start_of_a_text() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7);
        assert_eq!(parse_date("2026-03-07"), day);
        assert_eq!(parse_date("2026-03-07 08:05:09"), day);
        assert_eq!(day_of("2026-03-07 08:05:09"), day);
        assert_eq!(
            date_text(NaiveDate::from_ymd_opt(2026, 3, 7).expect("day")),
            "2026-03-07"
        );
        // Texts the fast reader refuses are still read as before (chrono reads one-digit months).
        assert_eq!(parse_date("2026-3-7"), day);
        assert_eq!(day_of("2026-3-7"), None);
        assert_eq!(parse_date("not a day"), None);
        assert_eq!(day_of("2026-02-30"), None);
        assert_eq!(parse_datetime("2026-03-07"), None);
    }
}
