//! Shop settings that the window and the command line change, and how their values are checked.

use thiserror::Error;

use super::import::IMPORT_CONFIRM_DAYS;
use crate::domain::money::Currency;
use crate::domain::promise::DateStyle;
use crate::store::settings::Settings;
use crate::store::settings::{
    ADVISOR_MAX_LEAD_DAYS, ADVISOR_MAX_LEAD_SD_DAYS, ADVISOR_MIN_ON_TIME_PCT, ADVISOR_MIN_RECEIPTS,
    AUTH_MAX_AGE_DAYS, CURRENCY, DATE_LOCALE, DATE_STYLE, HANDLING_DAYS, LEGAL_RULE,
    NEW_ORDER_PAYMENT, ONBOARDING, PAPER_SIZE, PROMISE_TARGET_PCT, SENDER_EMAIL, SHOP_NAME,
    SIGNATURE, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, STATED_SHIP_DAYS,
};
use crate::store::{Store, StoreError};

/// The settings the shop can change (window and command line).
pub const SETTINGS: [&str; 22] = [
    SHOP_NAME,
    SENDER_EMAIL,
    SIGNATURE,
    CURRENCY,
    DATE_STYLE,
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
        CURRENCY if value.is_empty() => Ok(String::new()),
        CURRENCY => Currency::from_code(value)
            .map(|currency| currency.code().to_owned())
            .map_err(|problem| format!("{key}: {problem}")),
        DATE_STYLE if !["", "short", "iso"].contains(&value.to_lowercase().as_str()) => {
            Err(format!(
                "{key} is 'short' (Mar 3, 2026 or 3 Mar 2026, as the dates setting) or 'iso' (2026-03-03), not '{value}'"
            ))
        }
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
        LEGAL_RULE | SMTP_SECURITY | DATE_STYLE => Ok(value.to_lowercase()),
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

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("unknown setting '{key}'; settings are {}", SETTINGS.join(", "))]
    Unknown { key: String },
    /// A value [`check_setting`] refuses (its message names the setting and what it takes).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks every value, then saves them in one transaction: all of them, or none (one value
/// refused leaves every setting as it was). Returns the values as stored. The first-start
/// mark ([`ONBOARDING`]) may be saved with them, so the shop's name and currency and the end of
/// the first start land together.
pub fn save_settings(
    store: &mut Store,
    values: &[(&str, &str)],
) -> Result<Vec<String>, SettingsError> {
    let mut checked = Vec::with_capacity(values.len());
    for &(key, value) in values {
        if !SETTINGS.contains(&key) && key != ONBOARDING {
            return Err(SettingsError::Unknown {
                key: key.to_owned(),
            });
        }
        checked.push(check_setting(key, value).map_err(SettingsError::Invalid)?);
    }
    store.in_transaction(|tx| {
        let mut settings = Settings::load(tx)?;
        for (&(key, _), value) in values.iter().zip(&checked) {
            settings.set(key, value);
        }
        settings.save(tx)
    })?;
    Ok(checked)
}

/// The first-run choice is made (demo or empty shop): the window does not ask again.
pub fn finish_onboarding(store: &mut Store) -> Result<(), StoreError> {
    store.in_transaction(|tx| crate::store::settings::set(tx, ONBOARDING, "done"))
}

/// Keeps a choice of the window in the shop file (a remembered folder, the file dialog to
/// use): not one of [`SETTINGS`], so not checked, and read back by the window alone.
pub fn keep_window_choice(store: &mut Store, key: &str, value: &str) -> Result<(), StoreError> {
    if SETTINGS.contains(&key) || key == ONBOARDING {
        return Err(StoreError::Invalid(format!(
            "'{key}' is a shop setting, not a choice of the window; nothing was changed"
        )));
    }
    store.in_transaction(|tx| crate::store::settings::set(tx, key, value))
}

/// The settings of File › Settings… (the shop as a whole); Messages › Settings keeps the
/// signature and the SMTP server.
pub const SHOP_SETTINGS: [&str; 10] = [
    SHOP_NAME,
    SENDER_EMAIL,
    CURRENCY,
    DATE_STYLE,
    DATE_LOCALE,
    HANDLING_DAYS,
    PROMISE_TARGET_PCT,
    PAPER_SIZE,
    LEGAL_RULE,
    STATED_SHIP_DAYS,
];

/// How the window writes amounts and dates for this shop.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShopFormats {
    pub currency: Currency,
    /// Dates in tables and panels.
    pub dates: DateStyle,
}

impl ShopFormats {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let currency = Currency::from_setting(store.setting(CURRENCY)?.as_deref());
        let dates = DateStyle::for_display(
            store.setting(DATE_STYLE)?.as_deref(),
            store.setting(DATE_LOCALE)?.as_deref(),
        );
        Ok(Self { currency, dates })
    }

    /// Cents in the shop's currency ("$1,234.50").
    pub fn money(&self, cents: i64) -> String {
        self.currency.format(cents)
    }

    /// A day with its year ("Mar 3, 2026").
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        crate::domain::promise::format_date(date, self.dates)
    }

    /// A window ("Mar 3–7").
    pub fn window(&self, window: crate::domain::promise::EtaWindow) -> String {
        crate::domain::promise::format_window(window, self.dates)
    }

    /// A stored time stamp as its day (with the time when `with_time`).
    pub fn stamp(&self, stamp: &str, with_time: bool) -> String {
        crate::domain::promise::format_stamp(stamp, self.dates, with_time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::settings::{HANDLING_DAYS, SHOP_NAME, get};

    fn shop() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("shop.sqlite")).expect("store");
        (dir, store)
    }

    #[test]
    fn settings_are_saved_together_or_not_at_all() {
        let (_dir, mut store) = shop();
        let stored = save_settings(&mut store, &[(SHOP_NAME, " Harbor "), (HANDLING_DAYS, "3")])
            .expect("saved");
        assert_eq!(stored, ["Harbor", "3"]);
        assert_eq!(
            get(store.connection(), SHOP_NAME).expect("read").as_deref(),
            Some("Harbor")
        );
        // A refused value second in line: the first is not written either.
        let error = save_settings(&mut store, &[(SHOP_NAME, "Pine"), (HANDLING_DAYS, "61")])
            .expect_err("refused");
        assert_eq!(
            error.to_string(),
            "handling_days is a whole number of days from 0 to 60, not '61'"
        );
        assert_eq!(
            get(store.connection(), SHOP_NAME).expect("read").as_deref(),
            Some("Harbor")
        );
        assert_eq!(
            get(store.connection(), HANDLING_DAYS)
                .expect("read")
                .as_deref(),
            Some("3")
        );
        let error = save_settings(&mut store, &[("colour", "red")]).expect_err("unknown");
        assert!(
            error
                .to_string()
                .starts_with("unknown setting 'colour'; settings are shop_name, ")
        );
    }

    #[test]
    fn the_window_keeps_its_own_choices_but_not_shop_settings() {
        let (_dir, mut store) = shop();
        assert!(store.needs_onboarding().expect("read"));
        finish_onboarding(&mut store).expect("done");
        assert!(!store.needs_onboarding().expect("read"));
        keep_window_choice(&mut store, "last_folder_import", "/home/maya").expect("kept");
        assert_eq!(
            get(store.connection(), "last_folder_import")
                .expect("read")
                .as_deref(),
            Some("/home/maya")
        );
        let error = keep_window_choice(&mut store, HANDLING_DAYS, "99").expect_err("refused");
        assert_eq!(
            error.to_string(),
            "'handling_days' is a shop setting, not a choice of the window; nothing was changed"
        );
        assert_eq!(get(store.connection(), HANDLING_DAYS).expect("read"), None);
    }

    #[test]
    fn currency_and_date_style_are_checked() {
        assert_eq!(check_setting(CURRENCY, " eur "), Ok("EUR".to_owned()));
        assert!(check_setting(CURRENCY, "euro").is_err_and(|problem| problem.contains("ISO 4217")));
        assert_eq!(check_setting(DATE_STYLE, "ISO"), Ok("iso".to_owned()));
        assert!(check_setting(DATE_STYLE, "long").is_err());
    }

    #[test]
    fn settings_are_saved_all_or_none() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::open(&dir.path().join("shop.sqlite")).expect("open");
        let refused = save_settings(&mut store, &[(SHOP_NAME, "Fern & Co"), (CURRENCY, "euro")]);
        assert!(refused.is_err());
        assert_eq!(store.setting(SHOP_NAME).expect("read"), None);
        save_settings(&mut store, &[(SHOP_NAME, "Fern & Co"), (CURRENCY, "gbp")]).expect("saved");
        assert_eq!(
            store.setting(SHOP_NAME).expect("read").as_deref(),
            Some("Fern & Co")
        );
        let formats = ShopFormats::load(&store).expect("formats");
        assert_eq!(formats.money(123_456), "£1,234.56");
        assert_eq!(formats.dates, DateStyle::MonthFirst);
    }
}
