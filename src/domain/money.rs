//! Money is kept as integer minor units (cents). These helpers convert to and from text.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("is empty")]
    Empty,
    #[error("is not a number")]
    NotANumber,
    #[error("has more than two decimals")]
    TooManyDecimals,
    #[error("is too large")]
    TooLarge,
}

/// Formats cents as a decimal with a dot and two decimals: `1250` → `"12.50"`, `-5` → `"-0.05"`.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses a decimal amount into cents.
///
/// Accepts an optional sign, an optional leading or trailing currency symbol (`$ € £`), spaces,
/// and a dot as the decimal separator: `"12.5"` → 1250, `"$1,234.56"` is *not* accepted here
/// (thousands separators are a CSV-import concern handled by the importer).
pub fn parse_money(text: &str) -> Result<i64, MoneyError> {
    let trimmed = text
        .trim()
        .trim_start_matches(['$', '€', '£'])
        .trim_end_matches(['$', '€', '£'])
        .trim();
    if trimmed.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start_matches(['$', '€', '£'])),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(MoneyError::NotANumber);
    }
    if fraction.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| MoneyError::TooLarge)?
    };
    let fraction_value: i64 = match fraction.len() {
        0 => 0,
        1 => i64::from(fraction.as_bytes()[0] - b'0') * 10,
        _ => fraction.parse().map_err(|_| MoneyError::NotANumber)?,
    };
    let cents = whole_value
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction_value))
        .ok_or(MoneyError::TooLarge)?;
    Ok(if negative { -cents } else { cents })
}

/// The amount of `text` rounded half up to whole cents, for a message that suggests it
/// (`"1.234"` → 123, `"0.995"` → 100). `None` when it is not an amount with more decimals.
pub fn rounded_to_cents(text: &str) -> Option<i64> {
    let trimmed = text.trim();
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (whole, fraction) = digits.split_once('.')?;
    if fraction.len() <= 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let kept: i64 = fraction.get(..2)?.parse().ok()?;
    let up = i64::from(fraction.as_bytes()[2] >= b'5');
    let cents = whole_value.checked_mul(100)?.checked_add(kept + up)?;
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_cents_for_the_message() {
        assert_eq!(rounded_to_cents("1.234"), Some(123));
        assert_eq!(rounded_to_cents("0.995"), Some(100));
        assert_eq!(rounded_to_cents("2.5"), None);
        assert_eq!(rounded_to_cents("x.123"), None);
    }

    #[test]
    fn formats_cents() {
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(1250), "12.50");
        assert_eq!(format_cents(-5), "-0.05");
        assert_eq!(format_cents(123_456_789), "1234567.89");
    }

    #[test]
    fn parses_amounts() {
        assert_eq!(parse_money("12.5"), Ok(1250));
        assert_eq!(parse_money("12.50"), Ok(1250));
        assert_eq!(parse_money(" 12 "), Ok(1200));
        assert_eq!(parse_money("$3.99"), Ok(399));
        assert_eq!(parse_money("3.99 €"), Ok(399));
        assert_eq!(parse_money("-0.05"), Ok(-5));
        assert_eq!(parse_money(".5"), Ok(50));
        assert_eq!(parse_money(""), Err(MoneyError::Empty));
        assert_eq!(parse_money("abc"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse_money("."), Err(MoneyError::NotANumber));
        assert_eq!(
            parse_money("99999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn round_trips() {
        for cents in [0, 1, 99, 100, 1999, -1999, 1_000_000] {
            assert_eq!(parse_money(&format_cents(cents)), Ok(cents));
        }
    }
}
