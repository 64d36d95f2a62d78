//! Key–value settings stored in the shop file, and the one place they are read and written.
//!
//! [`get`], [`set`] and [`remove`] take a connection, so a service changes a setting inside the
//! transaction of the change it belongs to. [`Settings`] reads them all at once and writes the
//! changed ones in one transaction. The typed readers ([`handling_days`], …) apply the rule of
//! each setting, which lives in `domain`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::DATE_FORMAT;
use super::{Result, Store};
use crate::domain::lateness::target_setting;
use crate::domain::notify::ShopInfo;
use crate::domain::promise::{DateStyle, handling_days_setting};

/// Setting: the shop's name, shown on documents.
pub const SHOP_NAME: &str = "shop_name";
/// Setting: days from stock arriving to the parcel leaving (default 1).
pub const HANDLING_DAYS: &str = "handling_days";
/// Setting: set to `done` once the first-run choice (demo or empty) was made.
pub const ONBOARDING: &str = "onboarding";
/// Setting: the address drafted messages are sent from.
pub const SENDER_EMAIL: &str = "sender_email";
/// Setting: the signature under drafted messages.
pub const SIGNATURE: &str = "signature";
/// Setting: how dates are written for customers and on paper: `us` ("Mar 3–7", Letter paper)
/// or `intl` ("3–7 Mar", A4 paper). Default `us`.
pub const DATE_LOCALE: &str = "date_locale";
/// Setting: the shop's currency, an ISO 4217 code (default `USD`): its symbol and number
/// formatting are used wherever the window shows an amount.
pub const CURRENCY: &str = "currency";
/// Setting: how the window's tables and panels write dates: `short` (default: the
/// `date_locale`'s short form, "Mar 3, 2026" or "3 Mar 2026") or `iso` ("2026-03-03").
pub const DATE_STYLE: &str = "date_style";
/// Setting: paper for printed documents, `a4` or `letter`; when unset it follows `date_locale`.
pub const PAPER_SIZE: &str = "paper_size";
/// Setting: service level (per cent) for ABC class A products (default 98).
pub const SERVICE_LEVEL_A: &str = "service_level_a_pct";
/// Setting: service level (per cent) for class B products (default 95).
pub const SERVICE_LEVEL_B: &str = "service_level_b_pct";
/// Setting: service level (per cent) for class C products (default 90).
pub const SERVICE_LEVEL_C: &str = "service_level_c_pct";
/// Setting: cost of placing one purchase order, in cents (default 2500), for the EOQ.
pub const ORDER_COST_CENTS: &str = "order_cost_cents";
/// Setting: holding cost per year as a per cent of unit cost (default 25), for the EOQ.
pub const HOLDING_COST_PCT: &str = "holding_cost_pct";
/// Setting: days of order history that daily demand is measured over (default 180).
pub const DEMAND_WINDOW_DAYS: &str = "demand_window_days";
/// Setting: the safety stock method reorder suggestions use (default `demand-lead-time`).
pub const REORDER_METHOD: &str = "reorder_method";

/// Setting: the payment state of a new order: `not_needed` (default: ships as soon as stock is
/// reserved) or `authorized` (the card was authorized at purchase; capture before shipping).
pub const NEW_ORDER_PAYMENT: &str = "new_order_payment";
/// Setting: days after which a card authorization is highlighted as old (default 7).
pub const AUTH_MAX_AGE_DAYS: &str = "auth_max_age_days";
/// Setting: the shop-wide "last day to promise delivery before" date (YYYY-MM-DD): waiting lines
/// whose window ends after it, or that have no date, are flagged.
pub const LAST_PROMISE_DATE: &str = "last_promise_date";
/// Setting: the consumer rule the shop follows for delays: `us` (FTC 16 CFR 435), `eu`
/// (Directive 2011/83/EU art. 18) or `both` (default).
pub const LEGAL_RULE: &str = "legal_rule";
/// Setting: the shipping time the shop states for in-stock orders, in days (default 30, the
/// law's fallback).
pub const STATED_SHIP_DAYS: &str = "stated_ship_days";
/// Setting: the SMTP server's host name.
pub const SMTP_HOST: &str = "smtp_host";
/// Setting: the SMTP server's port (default 587 for STARTTLS, 465 for TLS).
pub const SMTP_PORT: &str = "smtp_port";
/// Setting: how the connection is encrypted: `starttls` (default), `tls`, or `none` (a mail
/// relay on this computer only).
pub const SMTP_SECURITY: &str = "smtp_security";
/// Setting: the SMTP user name (empty: no login). The password is kept in the operating
/// system's keychain, never in the shop file.
pub const SMTP_USER: &str = "smtp_user";
/// Setting: the share of promises whose window end should be met, per cent (default 90, 50–99).
pub const PROMISE_TARGET_PCT: &str = "promise_target_pct";
/// Setting: how windows are made: `calibrated` (default: from the suppliers' records) or `naive`
/// (the expected date + handling days, no allowance for lateness; the simulator compares the two).
pub const PROMISE_RULE: &str = "promise_rule";
/// Setting: the policy advisor's minimum on-time per cent (default 80).
pub const ADVISOR_MIN_ON_TIME_PCT: &str = "advisor_min_on_time_pct";
/// Setting: the advisor's largest lead-time standard deviation in days (default 5).
pub const ADVISOR_MAX_LEAD_SD_DAYS: &str = "advisor_max_lead_sd_days";
/// Setting: the advisor's longest mean lead time for plain backorders, in days (default 30).
pub const ADVISOR_MAX_LEAD_DAYS: &str = "advisor_max_lead_days";
/// Setting: receipts a supplier needs before the advisor judges it (default 3).
pub const ADVISOR_MIN_RECEIPTS: &str = "advisor_min_receipts";

/// A setting's stored text, if it is set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

/// Stores a setting's text (replacing the old one).
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Removes a setting: it reads as unset (its default) again.
pub fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM settings WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

/// Days from stock arriving to the parcel leaving ([`HANDLING_DAYS`], rule
/// `domain::promise::handling_days_setting`).
pub fn handling_days(conn: &Connection) -> Result<i64> {
    Ok(handling_days_setting(get(conn, HANDLING_DAYS)?.as_deref()))
}

/// The share of promises whose window end should be met, a fraction ([`PROMISE_TARGET_PCT`]).
pub fn promise_target(conn: &Connection) -> Result<f64> {
    Ok(target_setting(get(conn, PROMISE_TARGET_PCT)?.as_deref()))
}

/// How dates are written for customers ([`DATE_LOCALE`]).
pub fn date_style(conn: &Connection) -> Result<DateStyle> {
    Ok(DateStyle::from_setting(get(conn, DATE_LOCALE)?.as_deref()))
}

/// The shop's name, signature and sender address, with their defaults.
pub fn shop_info(conn: &Connection) -> Result<ShopInfo> {
    Ok(ShopInfo::from_settings(
        get(conn, SHOP_NAME)?.as_deref(),
        get(conn, SIGNATURE)?.as_deref(),
        get(conn, SENDER_EMAIL)?.as_deref(),
    ))
}

/// The shop-wide last day to promise delivery before ([`LAST_PROMISE_DATE`]), if set.
pub fn last_promise_date(conn: &Connection) -> Result<Option<NaiveDate>> {
    Ok(get(conn, LAST_PROMISE_DATE)?
        .and_then(|text| NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok()))
}

/// The shop's settings read at once; changes are written together by [`Settings::save`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    values: BTreeMap<String, String>,
    changed: BTreeSet<String>,
}

impl Settings {
    /// Every stored setting.
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut statement = conn.prepare_cached("SELECT key, value FROM settings")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(Self {
            values: rows.collect::<rusqlite::Result<_>>()?,
            changed: BTreeSet::new(),
        })
    }

    /// A setting's text, if it is set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Changes a setting here; [`Self::save`] writes it.
    pub fn set(&mut self, key: &str, value: &str) {
        if self.get(key) != Some(value) {
            self.values.insert(key.to_owned(), value.to_owned());
            self.changed.insert(key.to_owned());
        }
    }

    /// The keys changed since the settings were loaded or saved.
    pub fn changed(&self) -> impl Iterator<Item = &str> {
        self.changed.iter().map(String::as_str)
    }

    /// Writes the changed settings in one transaction: all of them, or none (inside a caller's
    /// transaction, as part of it).
    pub fn save(&mut self, conn: &Connection) -> Result<()> {
        if self.changed.is_empty() {
            return Ok(());
        }
        conn.execute_batch("SAVEPOINT save_settings")?;
        let written = self
            .changed
            .iter()
            .try_for_each(|key| set(conn, key, self.values.get(key).map_or("", String::as_str)));
        match written {
            Ok(()) => conn.execute_batch("RELEASE save_settings")?,
            Err(error) => {
                conn.execute_batch("ROLLBACK TO save_settings; RELEASE save_settings")?;
                return Err(error);
            }
        }
        self.changed.clear();
        Ok(())
    }

    /// [`handling_days`] of these settings.
    pub fn handling_days(&self) -> i64 {
        handling_days_setting(self.get(HANDLING_DAYS))
    }

    /// [`promise_target`] of these settings.
    pub fn promise_target(&self) -> f64 {
        target_setting(self.get(PROMISE_TARGET_PCT))
    }

    /// [`date_style`] of these settings.
    pub fn date_style(&self) -> DateStyle {
        DateStyle::from_setting(self.get(DATE_LOCALE))
    }

    /// [`shop_info`] of these settings.
    pub fn shop_info(&self) -> ShopInfo {
        ShopInfo::from_settings(
            self.get(SHOP_NAME),
            self.get(SIGNATURE),
            self.get(SENDER_EMAIL),
        )
    }
}

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        get(&self.conn, key)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        set(&self.conn, key, value)
    }

    /// True for a new, empty shop on which the first-run choice was not made yet.
    pub fn needs_onboarding(&self) -> Result<bool> {
        if self.setting(ONBOARDING)?.is_some() {
            return Ok(false);
        }
        let products: i64 = self
            .conn
            .query_row("SELECT count(*) FROM products", [], |row| row.get(0))?;
        Ok(products == 0)
    }
}
