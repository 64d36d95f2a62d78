//! Key–value settings stored in the shop file.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

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

/// Writes several settings on `conn` (one transaction when `conn` is one).
pub fn set_settings(conn: &rusqlite::Connection, values: &[(&str, String)]) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?;
    for (key, value) in values {
        statement.execute(params![key, value])?;
    }
    Ok(())
}

/// One setting read on `conn`.
pub fn setting_in(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
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
