//! Shop settings that the window and the command line change, and how their values are checked.

use super::shop_import::IMPORT_CONFIRM_DAYS;
use crate::store::settings::{
    ADVISOR_MAX_LEAD_DAYS, ADVISOR_MAX_LEAD_SD_DAYS, ADVISOR_MIN_ON_TIME_PCT, ADVISOR_MIN_RECEIPTS,
    AUTH_MAX_AGE_DAYS, DATE_LOCALE, HANDLING_DAYS, LEGAL_RULE, NEW_ORDER_PAYMENT, PAPER_SIZE,
    PROMISE_TARGET_PCT, SENDER_EMAIL, SHOP_NAME, SIGNATURE, SMTP_HOST, SMTP_PORT, SMTP_SECURITY,
    SMTP_USER, STATED_SHIP_DAYS,
};

/// The settings the shop can change (window and command line).
pub const SETTINGS: [&str; 20] = [
    SHOP_NAME,
    SENDER_EMAIL,
    SIGNATURE,
    DATE_LOCALE,
    HANDLING_DAYS,
    PROMISE_TARGET_PCT,
    PAPER_SIZE,
    NEW_ORDER_PAYMENT,
    AUTH_MAX_AGE_DAYS,
    ADVISOR_MIN_ON_TIME_PCT,
    ADVISOR_MAX_LEAD_SD_DAYS,
    ADVISOR_MAX_LEAD_DAYS,
    ADVISOR_MIN_RECEIPTS,
    IMPORT_CONFIRM_DAYS,
    LEGAL_RULE,
    STATED_SHIP_DAYS,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_SECURITY,
    SMTP_USER,
];

/// The longest signature, in characters.
pub const MAX_SIGNATURE_CHARS: usize = 2000;

/// True when `value` is empty or a number in `range`.
fn number_in(value: &str, range: std::ops::RangeInclusive<f64>) -> bool {
    value.is_empty() || value.parse::<f64>().is_ok_and(|n| range.contains(&n))
}

/// Checks a setting's value; returns it as stored.
pub fn check_setting(key: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    match key {
        DATE_LOCALE if !["", "us", "intl"].contains(&value) => Err(format!(
            "{key} is 'us' (Mar 3–7) or 'intl' (3–7 Mar), not '{value}'"
        )),
        PAPER_SIZE if !["", "a4", "letter"].contains(&value) => {
            Err(format!("{key} is 'a4' or 'letter', not '{value}'"))
        }
        HANDLING_DAYS
            if !value.is_empty()
                && !value
                    .parse::<i64>()
                    .is_ok_and(|days| (0..=60).contains(&days)) =>
        {
            Err(format!(
                "{key} is a whole number of days from 0 to 60, not '{value}'"
            ))
        }
        NEW_ORDER_PAYMENT
            if !["", "not_needed", "authorized"].contains(&value.replace('-', "_").as_str()) =>
        {
            Err(format!(
                "{key} is 'not_needed' (ship as soon as stock is reserved) or 'authorized' (capture before shipping), not '{value}'"
            ))
        }
        NEW_ORDER_PAYMENT => Ok(value.replace('-', "_")),
        AUTH_MAX_AGE_DAYS | ADVISOR_MIN_RECEIPTS | IMPORT_CONFIRM_DAYS
            if !value.is_empty() && !value.parse::<i64>().is_ok_and(|n| (0..=365).contains(&n)) =>
        {
            Err(format!(
                "{key} is a whole number from 0 to 365, not '{value}'"
            ))
        }
        PROMISE_TARGET_PCT if !number_in(value, 50.0..=99.0) => Err(format!(
            "{key} is the per cent of promises whose window end should be met, from 50 to 99, not '{value}'"
        )),
        ADVISOR_MIN_ON_TIME_PCT if !number_in(value, 0.0..=100.0) => {
            Err(format!("{key} is a per cent from 0 to 100, not '{value}'"))
        }
        ADVISOR_MAX_LEAD_SD_DAYS | ADVISOR_MAX_LEAD_DAYS if !number_in(value, 0.0..=3650.0) => Err(
            format!("{key} is a number of days from 0 to 3650, not '{value}'"),
        ),
        LEGAL_RULE
            if !value.is_empty() && crate::domain::legal::LegalRule::from_code(value).is_none() =>
        {
            Err(format!(
                "{key} is 'us' (FTC 16 CFR 435), 'eu' (Directive 2011/83/EU art. 18) or 'both', not '{value}'"
            ))
        }
        STATED_SHIP_DAYS
            if !value.is_empty() && !value.parse::<i64>().is_ok_and(|n| (1..=365).contains(&n)) =>
        {
            Err(format!(
                "{key} is a whole number of days from 1 to 365, not '{value}'"
            ))
        }
        SMTP_PORT if !value.is_empty() && !value.parse::<u16>().is_ok_and(|port| port > 0) => {
            Err(format!(
                "{key} is a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS), not '{value}'"
            ))
        }
        SMTP_SECURITY
            if !["", "starttls", "tls", "none"].contains(&value.to_lowercase().as_str()) =>
        {
            Err(format!(
                "{key} is 'starttls' (port 587), 'tls' (port 465) or 'none' (a relay on this computer only), not '{value}'"
            ))
        }
        LEGAL_RULE | SMTP_SECURITY => Ok(value.to_lowercase()),
        SMTP_HOST
            if value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/') =>
        {
            Err(format!(
                "{key} is a host name such as smtp.gmail.com, not '{value}'"
            ))
        }
        SENDER_EMAIL if !value.is_empty() && value.parse::<lettre::Address>().is_err() => {
            Err(format!("'{value}' is not a valid e-mail address"))
        }
        SHOP_NAME if value.chars().count() > crate::domain::limits::MAX_NAME_CHARS => {
            crate::domain::limits::check_text(key, value, crate::domain::limits::MAX_NAME_CHARS)
                .map(str::to_owned)
                .map_err(|error| error.to_string())
        }
        SIGNATURE if value.chars().count() > MAX_SIGNATURE_CHARS => {
            crate::domain::limits::check_text(key, value, MAX_SIGNATURE_CHARS)
                .map(str::to_owned)
                .map_err(|error| error.to_string())
        }
        _ => Ok(value.to_owned()),
    }
}
