//! Shop settings that the window and the command line change, and how their values are checked.

use crate::store::settings::{
    ADVISOR_MAX_LEAD_DAYS, ADVISOR_MAX_LEAD_SD_DAYS, ADVISOR_MIN_ON_TIME_PCT, ADVISOR_MIN_RECEIPTS,
    AUTH_MAX_AGE_DAYS, DATE_LOCALE, HANDLING_DAYS, NEW_ORDER_PAYMENT, PAPER_SIZE,
    PROMISE_TARGET_PCT, SENDER_EMAIL, SHOP_NAME, SIGNATURE,
};

/// The settings the shop can change (window and command line).
pub const SETTINGS: [&str; 13] = [
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
];

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
        AUTH_MAX_AGE_DAYS | ADVISOR_MIN_RECEIPTS
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
        SENDER_EMAIL if !value.is_empty() && value.parse::<lettre::Address>().is_err() => {
            Err(format!("'{value}' is not a valid e-mail address"))
        }
        _ => Ok(value.to_owned()),
    }
}
