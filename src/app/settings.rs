//! Shop settings that the window and the command line change, and how their values are checked.

use crate::store::settings::{
    DATE_LOCALE, HANDLING_DAYS, PAPER_SIZE, SENDER_EMAIL, SHOP_NAME, SIGNATURE,
};

/// The settings the shop can change (window and command line).
pub const SETTINGS: [&str; 6] = [
    SHOP_NAME,
    SENDER_EMAIL,
    SIGNATURE,
    DATE_LOCALE,
    HANDLING_DAYS,
    PAPER_SIZE,
];

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
        SENDER_EMAIL if !value.is_empty() && value.parse::<lettre::Address>().is_err() => {
            Err(format!("'{value}' is not a valid e-mail address"))
        }
        _ => Ok(value.to_owned()),
    }
}
