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
/// Setting: paper for printed documents, `a4` or `letter`; when unset it follows `date_locale`.
pub const PAPER_SIZE: &str = "paper_size";

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
