//! Many rows in one transaction: the demo shop now, file imports later.
//!
//! Nothing is visible to other connections until [`BulkWriter::commit`]; dropping the writer
//! rolls everything back.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::{Transaction, params};

use super::products::record_movement;
use super::{ProductId, Result, Store};
use crate::domain::MovementKind;
use crate::domain::product::ProductData;

/// `YYYY-MM-DD` (written directly: chrono's strftime showed up in import profiles).
pub(crate) fn date_text(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn datetime_text(at: NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A new customer order header.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub order_number: &'a str,
    pub customer_id: i64,
    pub ordered_at: NaiveDateTime,
    pub high_priority: bool,
    pub ship_complete: bool,
    /// `open`, `shipped` or `cancelled`.
    pub status: &'a str,
    pub closed_at: Option<NaiveDateTime>,
    /// The import that wrote it, if any.
    pub batch_id: Option<i64>,
}

/// A new order line with its current quantities.
#[derive(Debug, Clone, Copy)]
pub struct NewOrderLine {
    pub order_id: i64,
    pub line_no: i64,
    pub product_id: ProductId,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub reserved_qty: i64,
    pub shipped_qty: i64,
    pub cancelled_qty: i64,
    pub backordered_at_order_qty: i64,
    pub shipped_at: Option<NaiveDateTime>,
}

/// A new purchase order header.
#[derive(Debug, Clone)]
pub struct NewPurchaseOrder<'a> {
    pub po_number: &'a str,
    pub supplier_id: i64,
    pub ordered_at: NaiveDate,
    pub expected_at: Option<NaiveDate>,
    pub confirmed: bool,
    /// `open`, `partly_received`, `received` or `cancelled`.
    pub status: &'a str,
}

/// A new purchase order line.
#[derive(Debug, Clone, Copy)]
pub struct NewPoLine {
    pub po_id: i64,
    pub product_id: ProductId,
    pub quantity: i64,
    pub unit_cost_cents: i64,
    pub received_qty: i64,
    pub received_at: Option<NaiveDate>,
}

/// Writes many rows inside one transaction.
pub struct BulkWriter<'c> {
    tx: Transaction<'c>,
}

impl Store {
    /// Starts a bulk write. Commit it, or drop it to write nothing.
    pub fn bulk(&mut self) -> Result<BulkWriter<'_>> {
        Ok(BulkWriter {
            tx: self.conn.transaction()?,
        })
    }
}

impl BulkWriter<'_> {
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }

    /// Stops noting KPI changes during this load and marks the KPI rollups stale (the next
    /// dashboard rebuilds them once); [`Self::resume_kpi_tracking`] before committing.
    pub fn suspend_kpi_tracking(&self) -> Result<()> {
        super::kpi_rollup::suspend_tracking(&self.tx)
    }

    pub fn resume_kpi_tracking(&self) -> Result<()> {
        super::kpi_rollup::resume_tracking(&self.tx)
    }

    pub fn supplier(&self, name: &str, email: &str, lead_time_days: Option<i64>) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO suppliers (name, email, default_lead_time_days) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![name, email, lead_time_days])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn product(
        &self,
        data: &ProductData,
        supplier_id: Option<i64>,
        now: &str,
    ) -> Result<ProductId> {
        super::products::insert_product_row(&self.tx, data, supplier_id, now)
    }

    pub fn movement(
        &self,
        product_id: ProductId,
        kind: MovementKind,
        quantity: i64,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        record_movement(
            &self.tx,
            product_id,
            kind,
            quantity,
            reason,
            &datetime_text(at),
        )
    }

    pub fn customer(&self, name: &str, email: &str) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO customers (name, email) VALUES (?1, ?2)")?
            .execute(params![name, email])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn order(&self, order: &NewOrder<'_>) -> Result<i64> {
        super::orders::insert_order(&self.tx, order)
    }

    pub fn order_line(&self, line: &NewOrderLine) -> Result<i64> {
        super::orders::insert_order_line(&self.tx, line)
    }

    pub fn purchase_order(&self, po: &NewPurchaseOrder<'_>) -> Result<i64> {
        super::purchasing::insert_purchase_order(&self.tx, po)
    }

    pub fn po_line(&self, line: &NewPoLine) -> Result<i64> {
        super::purchasing::insert_po_line(&self.tx, line)
    }

    pub fn po_date_change(
        &self,
        po_id: i64,
        changed_on: NaiveDate,
        old: Option<NaiveDate>,
        new: Option<NaiveDate>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO po_date_changes (po_id, changed_on, old_expected_at, new_expected_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                po_id,
                date_text(changed_on),
                old.map(date_text),
                new.map(date_text)
            ])?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Rows in the products table (archived included): the demo refuses a non-empty shop.
    pub fn product_count(&self) -> Result<i64> {
        Ok(self
            .tx
            .query_row("SELECT count(*) FROM products", [], |row| row.get(0))?)
    }
}
