//! Key–value settings stored in the shop file.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// Setting: the shop's name, shown on documents.
pub const SHOP_NAME: &str = "shop_name";
/// Setting: days from stock arriving to the parcel leaving (default 1).
pub const HANDLING_DAYS: &str = "handling_days";
/// Setting: set to `done` once the first-run choice (demo or empty) was made.
pub const ONBOARDING: &str = "onboarding";

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
