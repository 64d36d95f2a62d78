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

/// The currency a shop sells in when none was chosen (its ISO 4217 code).
pub const DEFAULT_CURRENCY: &str = "USD";

/// Currencies offered first when the shop chooses one (any other ISO 4217 code is accepted).
pub const COMMON_CURRENCIES: [&str; 20] = [
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK",
    "INR", "BRL", "MXN", "ZAR", "SGD", "HKD", "CNY",
];

/// How amounts are grouped: thousands (1,234,567) or the Indian lakh and crore (12,34,567).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Thousands,
    Indian,
}

/// How a shop's amounts are written: symbol, its place, separators and decimals, all from the
/// ISO 4217 code. Amounts are kept in cents whatever the currency; a currency without minor
/// units (JPY) shows them rounded to whole units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    code: String,
    symbol: &'static str,
    /// The symbol comes before the number ("$12.50"), else after it ("12,50 €").
    symbol_first: bool,
    /// A space between the symbol and the number ("CHF 12.50", "12,50 €").
    spaced: bool,
    decimals: u32,
    decimal: char,
    group: char,
    grouping: Grouping,
}

/// A no-break space: a number and its symbol, or its groups, stay on one line.
const NBSP: char = '\u{a0}';

impl Default for Currency {
    fn default() -> Self {
        Self::known(DEFAULT_CURRENCY).unwrap_or_else(|| Self::generic(DEFAULT_CURRENCY))
    }
}

impl Currency {
    /// The currency of an ISO 4217 code (three letters, any case): its own symbol and
    /// formatting when known, else the code after the number ("1,234.50 XOF").
    pub fn from_code(code: &str) -> Result<Self, String> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "'{}' is not a currency code: use the three letters of ISO 4217, such as USD, EUR or GBP",
                code.trim()
            ));
        }
        Ok(Self::known(&code).unwrap_or_else(|| Self::generic(&code)))
    }

    /// The shop's currency from its setting: the default (USD) when unset or not a code.
    pub fn from_setting(value: Option<&str>) -> Self {
        value
            .filter(|value| !value.trim().is_empty())
            .and_then(|value| Self::from_code(value).ok())
            .unwrap_or_default()
    }

    fn generic(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            symbol: "",
            symbol_first: false,
            spaced: true,
            decimals: 2,
            decimal: '.',
            group: ',',
            grouping: Grouping::Thousands,
        }
    }

    fn known(code: &str) -> Option<Self> {
        // (symbol, symbol first, spaced, decimals, decimal mark, group mark)
        let (symbol, symbol_first, spaced, decimals, decimal, group) = match code {
            "USD" | "CAD" | "AUD" | "NZD" | "SGD" | "MXN" => ("$", true, false, 2, '.', ','),
            "HKD" => ("HK$", true, false, 2, '.', ','),
            "GBP" => ("£", true, false, 2, '.', ','),
            "EUR" => ("€", false, true, 2, ',', '.'),
            "CHF" => ("CHF", true, true, 2, '.', '\u{2019}'),
            "JPY" => ("¥", true, false, 0, '.', ','),
            "CNY" => ("¥", true, false, 2, '.', ','),
            "KRW" => ("₩", true, false, 0, '.', ','),
            "SEK" | "NOK" => ("kr", false, true, 2, ',', NBSP),
            "DKK" => ("kr.", false, true, 2, ',', '.'),
            "PLN" => ("zł", false, true, 2, ',', NBSP),
            "CZK" => ("Kč", false, true, 2, ',', NBSP),
            "INR" => ("₹", true, false, 2, '.', ','),
            "BRL" => ("R$", true, true, 2, ',', '.'),
            "ZAR" => ("R", true, false, 2, '.', ','),
            _ => return None,
        };
        Some(Self {
            code: code.to_owned(),
            symbol,
            symbol_first,
            spaced,
            decimals,
            decimal,
            group,
            grouping: if code == "INR" {
                Grouping::Indian
            } else {
                Grouping::Thousands
            },
        })
    }

    /// The ISO 4217 code ("USD").
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The symbol ("$"), or the code when the currency has none here.
    pub fn symbol(&self) -> &str {
        if self.symbol.is_empty() {
            &self.code
        } else {
            self.symbol
        }
    }

    /// `1234567` cents → `"$12,345.67"`, `"12.345,67 €"`, `"¥12,346"`; negative amounts get a
    /// leading minus (`"-$5.00"`).
    pub fn format(&self, cents: i64) -> String {
        let number = self.number(cents);
        let (sign, number) = match number.strip_prefix('-') {
            Some(rest) => ("-", rest.to_owned()),
            None => ("", number),
        };
        let space = if self.spaced {
            NBSP.to_string()
        } else {
            String::new()
        };
        if self.symbol_first {
            format!("{sign}{}{space}{number}", self.symbol())
        } else {
            format!("{sign}{number}{space}{}", self.symbol())
        }
    }

    /// The amount without a symbol, with this currency's separators: `"12,345.67"`.
    pub fn number(&self, cents: i64) -> String {
        let negative = cents < 0;
        let abs = cents.unsigned_abs();
        let (whole, fraction) = if self.decimals == 0 {
            // Round half away from zero to whole units.
            ((abs + 50) / 100, None)
        } else {
            (abs / 100, Some(abs % 100))
        };
        let mut text = String::new();
        if negative && (whole > 0 || fraction.is_some_and(|f| f > 0)) {
            text.push('-');
        }
        text.push_str(&self.grouped(whole));
        if let Some(fraction) = fraction {
            text.push(self.decimal);
            text.push_str(&format!("{fraction:02}"));
        }
        text
    }

    fn grouped(&self, whole: u64) -> String {
        let digits = whole.to_string();
        let len = digits.len();
        let mut out = String::with_capacity(len + len / 2);
        for (index, digit) in digits.chars().enumerate() {
            let left = len - index;
            let boundary = match self.grouping {
                Grouping::Thousands => index > 0 && left.is_multiple_of(3),
                // The last three digits, then groups of two: 12,34,567.
                Grouping::Indian => {
                    index > 0 && (left == 3 || (left > 3 && (left - 3).is_multiple_of(2)))
                }
            };
            if boundary {
                out.push(self.group);
            }
            out.push(digit);
        }
        out
    }
}

/// Formats cents in the shop's currency: `format_money(1250, &usd)` → `"$12.50"`. Every amount
/// the window shows goes through here (files and the command line keep plain numbers).
pub fn format_money(cents: i64, currency: &Currency) -> String {
    currency.format(cents)
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

    #[test]
    fn formats_amounts_in_the_shops_currency() {
        let money =
            |code: &str, cents: i64| format_money(cents, &Currency::from_code(code).expect("code"));
        assert_eq!(money("USD", 123_456_789), "$1,234,567.89");
        assert_eq!(money("usd", 5), "$0.05");
        assert_eq!(money("USD", -500), "-$5.00");
        assert_eq!(money("USD", 0), "$0.00");
        assert_eq!(money("GBP", 99_999), "£999.99");
        assert_eq!(money("EUR", 123_456), "1.234,56\u{a0}€");
        assert_eq!(money("CHF", 123_456), "CHF\u{a0}1\u{2019}234.56");
        assert_eq!(money("SEK", 123_456), "1\u{a0}234,56\u{a0}kr");
        // No minor units: rounded half away from zero.
        assert_eq!(money("JPY", 123_450), "¥1,235");
        assert_eq!(money("JPY", 123_449), "¥1,234");
        assert_eq!(money("JPY", -150), "-¥2");
        assert_eq!(money("JPY", -40), "¥0");
        // Lakh and crore.
        assert_eq!(money("INR", 1_234_567_800), "₹1,23,45,678.00");
        assert_eq!(money("INR", 99_900), "₹999.00");
        assert_eq!(money("INR", 100_000), "₹1,000.00");
        // A code without a known symbol is written after the number.
        assert_eq!(money("XOF", 150_000), "1,500.00\u{a0}XOF");
    }

    #[test]
    fn currency_codes_are_three_letters() {
        assert!(Currency::from_code("US").is_err());
        assert!(Currency::from_code("US1").is_err());
        assert!(Currency::from_code("€").is_err());
        assert_eq!(
            Currency::from_code(" eur ").map(|c| c.code().to_owned()),
            Ok("EUR".into())
        );
        assert_eq!(Currency::from_setting(None).code(), "USD");
        assert_eq!(Currency::from_setting(Some("nonsense")).code(), "USD");
        assert_eq!(Currency::from_setting(Some("gbp")).symbol(), "£");
        assert_eq!(Currency::from_setting(Some("XOF")).symbol(), "XOF");
    }
}
