//! Products, suppliers and the stock movement ledger.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::ledger::record_movement;
use super::{ProductId, Result, Store, StoreError};

use crate::domain::identity::{Platform, ShopIdentity};
use crate::domain::limits;
use crate::domain::product::ProductData;
use crate::domain::{BackorderPolicy, MovementKind, StockFigures};

/// One row of the catalog screen (a domain record: the CSV export writes it too).
pub use crate::domain::product::CatalogRow;

/// A product as stored, for the edit form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRecord {
    pub product_id: ProductId,
    pub data: ProductData,
    pub on_hand: i64,
    pub archived: bool,
    /// The product's identity in its web shop, if it came from one.
    pub identity: Option<ShopIdentity>,
    /// `data.sku` is derived from the identity: the shop has no SKU of its own for it.
    pub sku_derived: bool,
}

/// One ledger movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub kind: MovementKind,
    pub quantity: i64,
    pub reason: String,
    pub created_at: String,
}

/// A product whose cached on-hand differs from its ledger sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMismatch {
    pub sku: String,
    pub cached: i64,
    pub ledger: i64,
}

/// What deleting a product did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// No history: the row is gone.
    Deleted,
    /// Orders, purchase orders or stock movements refer to it: it is hidden, history kept.
    Archived,
}

pub(crate) const CATALOG_SQL: &str = "
SELECT p.product_id, p.sku, p.name, p.category, p.location, p.unit_cost_cents, p.price_cents,
       COALESCE(s.name, ''), p.lead_time_days, p.backorder_policy, p.max_wait_days,
       p.reorder_point, p.on_hand,
       COALESCE(demand.reserved, 0), COALESCE(demand.waiting, 0), COALESCE(inbound.on_order, 0),
       p.supplier_id, COALESCE(p.backorder_cutoff, cr.backorder_cutoff),
       p.track_stock, p.sale_price_cents, p.shop_platform, p.shop_key, p.sku_derived
FROM products p
LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id
LEFT JOIN category_rules cr ON cr.category = p.category
LEFT JOIN (
    SELECT l.product_id, SUM(l.reserved_qty) AS reserved, SUM(l.waiting_qty) AS waiting
    FROM open_order_lines l
    GROUP BY l.product_id
) demand ON demand.product_id = p.product_id
LEFT JOIN (
    SELECT pl.product_id, SUM(pl.on_order_qty) AS on_order
    FROM inbound_po_lines pl
    GROUP BY pl.product_id
) inbound ON inbound.product_id = p.product_id
WHERE p.archived = 0
";

fn policy_from_sql(code: &str) -> BackorderPolicy {
    // The CHECK constraint keeps other values out; fall back to the safe choice.
    BackorderPolicy::from_code(code).unwrap_or(BackorderPolicy::NotAllowed)
}

/// A product with its stored fields, on hand and archived flag.
pub(crate) const PRODUCT_RECORD_SQL: &str = "
SELECT p.product_id, p.sku, p.name, p.category, p.location, p.unit_cost_cents, p.price_cents,
       COALESCE(s.name, ''), p.lead_time_days, p.backorder_policy, p.max_wait_days,
       p.reorder_point, p.on_hand, p.archived, p.track_stock, p.sale_price_cents,
       p.shop_platform, p.shop_key, p.sku_derived
FROM products p LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id";

/// The identity stored in two columns (`None` unless both are set and the platform is known).
fn identity_from_sql(platform: Option<&str>, key: Option<String>) -> Option<ShopIdentity> {
    Some(ShopIdentity {
        platform: Platform::from_code(platform?)?,
        key: key?,
    })
}

pub(crate) fn row_to_record(row: &Row<'_>) -> rusqlite::Result<ProductRecord> {
    let policy: String = row.get(9)?;
    Ok(ProductRecord {
        product_id: ProductId(row.get(0)?),
        data: ProductData {
            sku: row.get(1)?,
            name: row.get(2)?,
            category: row.get(3)?,
            location: row.get(4)?,
            unit_cost_cents: row.get(5)?,
            price_cents: row.get(6)?,
            supplier: row.get(7)?,
            lead_time_days: row.get(8)?,
            backorder_policy: policy_from_sql(&policy),
            max_wait_days: row.get(10)?,
            reorder_point: row.get(11)?,
            track_stock: row.get(14)?,
            sale_price_cents: row.get(15)?,
        },
        on_hand: row.get(12)?,
        archived: row.get(13)?,
        identity: identity_from_sql(row.get_ref(16)?.as_str_or_null()?, row.get(17)?),
        sku_derived: row.get(18)?,
    })
}

fn row_to_catalog(row: &Row<'_>) -> rusqlite::Result<CatalogRow> {
    let policy: String = row.get(9)?;
    Ok(CatalogRow {
        product_id: ProductId(row.get(0)?),
        sku: row.get(1)?,
        name: row.get(2)?,
        category: row.get(3)?,
        location: row.get(4)?,
        unit_cost_cents: row.get(5)?,
        price_cents: row.get(6)?,
        supplier: row.get(7)?,
        lead_time_days: row.get(8)?,
        policy: policy_from_sql(&policy),
        max_wait_days: row.get(10)?,
        reorder_point: row.get(11)?,
        figures: StockFigures {
            on_hand: row.get(12)?,
            reserved: row.get(13)?,
            backordered: row.get(14)?,
            on_order: row.get(15)?,
        },
        supplier_id: row.get(16)?,
        next_window: None,
        slipping_lines: 0,
        backorder_cutoff: row
            .get::<_, Option<String>>(17)?
            .as_deref()
            .and_then(super::codec::parse_date),
        backorders_closed: false,
        track_stock: row.get(18)?,
        sale_price_cents: row.get(19)?,
        identity: identity_from_sql(row.get_ref(20)?.as_str_or_null()?, row.get(21)?),
        sku_derived: row.get(22)?,
    })
}

/// Finds or creates a supplier by name (case-insensitive). Empty name → no supplier.
pub(crate) fn supplier_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let existing: Option<i64> = conn
        .prepare_cached("SELECT supplier_id FROM suppliers WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(Some(id));
    }
    conn.prepare_cached("INSERT INTO suppliers (name) VALUES (?1)")?
        .execute([name])?;
    Ok(Some(conn.last_insert_rowid()))
}

/// Inserts a product row (no stock: on hand starts at 0 and changes through the ledger).
pub(crate) fn insert_product_row(
    conn: &Connection,
    data: &ProductData,
    supplier_id: Option<i64>,
    now: &str,
) -> Result<ProductId> {
    conn.prepare_cached(
        "INSERT INTO products (sku, name, category, location, unit_cost_cents, price_cents,
             supplier_id, lead_time_days, backorder_policy, max_wait_days, reorder_point,
             created_at, updated_at, track_stock, sale_price_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14)",
    )?
    .execute(params![
        data.sku,
        data.name,
        data.category,
        data.location,
        data.unit_cost_cents,
        data.price_cents,
        supplier_id,
        data.lead_time_days,
        data.backorder_policy.code(),
        data.max_wait_days,
        data.reorder_point,
        now,
        data.track_stock,
        data.sale_price_cents
    ])?;
    Ok(ProductId(conn.last_insert_rowid()))
}

/// Saves every field of a product (on hand changes only through the ledger). Returns the rows
/// changed (0: no such product).
pub(crate) fn update_product_row(
    conn: &Connection,
    product_id: ProductId,
    data: &ProductData,
    now: &str,
) -> Result<usize> {
    let supplier = supplier_id(conn, &data.supplier)?;
    Ok(conn
        .prepare_cached(
            "UPDATE products SET sku = ?2, name = ?3, category = ?4, location = ?5,
                 unit_cost_cents = ?6, price_cents = ?7, supplier_id = ?8, lead_time_days = ?9,
                 backorder_policy = ?10, max_wait_days = ?11, reorder_point = ?12,
                 updated_at = ?13, track_stock = ?14, sale_price_cents = ?15
             WHERE product_id = ?1",
        )?
        .execute(params![
            product_id.0,
            data.sku,
            data.name,
            data.category,
            data.location,
            data.unit_cost_cents,
            data.price_cents,
            supplier,
            data.lead_time_days,
            data.backorder_policy.code(),
            data.max_wait_days,
            data.reorder_point,
            now,
            data.track_stock,
            data.sale_price_cents
        ])?)
}

/// Sets a product's identity in its web shop and whether its SKU is derived from it.
pub(crate) fn set_shop_identity(
    conn: &Connection,
    product_id: ProductId,
    identity: Option<&ShopIdentity>,
    sku_derived: bool,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE products SET shop_platform = ?2, shop_key = ?3, sku_derived = ?4
         WHERE product_id = ?1",
    )?
    .execute(params![
        product_id.0,
        identity.map(|identity| identity.platform.code()),
        identity.map(|identity| identity.key.as_str()),
        sku_derived
    ])?;
    Ok(())
}

/// A product's unit cost, in cents.
pub fn unit_cost_cents(conn: &Connection, product_id: ProductId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT unit_cost_cents FROM products WHERE product_id = ?1")?
        .query_row([product_id.0], |row| row.get(0))?)
}

/// A product's category (empty when it has none).
pub fn category(conn: &Connection, product_id: ProductId) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT category FROM products WHERE product_id = ?1")?
        .query_row([product_id.0], |row| row.get(0))?)
}

/// Brings an archived product back into the catalog.
pub(crate) fn unarchive(conn: &Connection, product_id: ProductId) -> Result<()> {
    conn.prepare_cached("UPDATE products SET archived = 0 WHERE product_id = ?1")?
        .execute([product_id.0])?;
    Ok(())
}

/// [`Store::adjust_stock`] inside a caller's transaction.
pub fn adjust_stock_in(
    conn: &Connection,
    product_id: ProductId,
    quantity: i64,
    reason: &str,
    now: &str,
) -> Result<i64> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid(
            "a stock adjustment needs a reason".into(),
        ));
    }
    if quantity == 0 {
        return Err(StoreError::Invalid(
            "an adjustment of 0 changes nothing".into(),
        ));
    }
    limits::check_stock_change("the stock change", quantity)
        .and_then(|_| limits::check_text("the reason", reason, limits::MAX_NAME_CHARS))
        .map_err(|error| StoreError::Invalid(format!("{error}; nothing was changed")))?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM products WHERE product_id = ?1)",
        [product_id.0],
        |row| row.get(0),
    )?;
    if !exists {
        return Err(StoreError::NotFound(format!(
            "product {} does not exist",
            product_id.0
        )));
    }
    record_movement(
        conn,
        product_id,
        MovementKind::Adjustment,
        quantity,
        reason,
        now,
    )?;
    Ok(conn.query_row(
        "SELECT on_hand FROM products WHERE product_id = ?1",
        [product_id.0],
        |row| row.get(0),
    )?)
}

/// Another product's SKU that equals `sku` ignoring letter case (but is not `sku` itself):
/// SKUs are unique ignoring case, since shops and their web shops treat them so.
pub fn sku_differing_in_case(
    conn: &Connection,
    sku: &str,
    except: Option<ProductId>,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT sku FROM products WHERE sku = ?1 COLLATE NOCASE AND sku <> ?1
               AND product_id IS NOT ?2 ORDER BY product_id LIMIT 1",
        )?
        .query_row(params![sku.trim(), except.map(|id| id.0)], |row| row.get(0))
        .optional()?)
}

/// The message for a SKU that differs from an existing one only in letter case.
pub fn case_refusal(sku: &str, existing: &str) -> String {
    format!(
        "SKU '{}' differs from the existing SKU '{existing}' only in letter case, and SKUs are unique ignoring case: use '{existing}' (edit that product) or choose another SKU. Nothing was saved",
        sku.trim()
    )
}

impl Store {
    /// Every product that is not archived, with stock figures. One query; aggregates in SQL.
    pub fn catalog(&self) -> Result<Vec<CatalogRow>> {
        let mut statement = self.conn.prepare_cached(CATALOG_SQL)?;
        let rows = statement.query_map([], row_to_catalog)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One catalog row by SKU (archived products included).
    pub fn catalog_row_by_sku(&self, sku: &str) -> Result<Option<CatalogRow>> {
        let sql = CATALOG_SQL.replace("WHERE p.archived = 0", "WHERE p.sku = ?1");
        Ok(self
            .conn
            .query_row(&sql, [sku], row_to_catalog)
            .optional()?)
    }

    pub fn product(&self, product_id: ProductId) -> Result<ProductRecord> {
        self.conn
            .prepare_cached(&format!("{PRODUCT_RECORD_SQL} WHERE p.product_id = ?1"))?
            .query_row([product_id.0], row_to_record)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("product {} does not exist", product_id.0)))
    }

    pub fn product_id_by_sku(&self, sku: &str) -> Result<Option<ProductId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT product_id FROM products WHERE sku = ?1")?
            .query_row([sku], |row| row.get(0).map(ProductId))
            .optional()?)
    }

    /// Adds a product with `opening_stock` units (written to the ledger as an adjustment).
    pub fn insert_product(
        &mut self,
        data: &ProductData,
        opening_stock: i64,
        now: &str,
    ) -> Result<ProductId> {
        limits::check_units("the opening stock", opening_stock)
            .map_err(|error| StoreError::Invalid(error.to_string()))?;
        if let Some(existing) = self.product_id_by_sku(&data.sku)? {
            let archived = self.product(existing)?.archived;
            return Err(StoreError::Invalid(if archived {
                format!(
                    "SKU '{}' belongs to an archived product; choose another SKU",
                    data.sku
                )
            } else {
                format!("SKU '{}' is already in the catalog", data.sku)
            }));
        }
        if let Some(existing) = sku_differing_in_case(&self.conn, &data.sku, None)? {
            return Err(StoreError::Invalid(case_refusal(&data.sku, &existing)));
        }
        self.in_transaction(|tx| {
            let supplier = supplier_id(tx, &data.supplier)?;
            let product_id = insert_product_row(tx, data, supplier, now)?;
            if opening_stock != 0 {
                record_movement(
                    tx,
                    product_id,
                    MovementKind::Adjustment,
                    opening_stock,
                    "Opening stock",
                    now,
                )?;
            }
            Ok(product_id)
        })
    }

    /// Saves edited fields. On hand is not a field: it changes only through the ledger.
    pub fn update_product(
        &mut self,
        product_id: ProductId,
        data: &ProductData,
        now: &str,
    ) -> Result<()> {
        if let Some(other) = self.product_id_by_sku(&data.sku)?
            && other != product_id
        {
            return Err(StoreError::Invalid(format!(
                "SKU '{}' is already used by another product",
                data.sku
            )));
        }
        if let Some(existing) = sku_differing_in_case(&self.conn, &data.sku, Some(product_id))? {
            return Err(StoreError::Invalid(case_refusal(&data.sku, &existing)));
        }
        self.in_transaction(|tx| {
            // A SKU typed in for a product whose key was derived from its shop identity is the
            // product's own SKU from now on.
            tx.prepare_cached(
                "UPDATE products SET sku_derived = 0 WHERE product_id = ?1 AND sku <> ?2",
            )?
            .execute(params![product_id.0, data.sku])?;
            let changed = update_product_row(tx, product_id, data, now)?;
            if changed == 0 {
                return Err(StoreError::NotFound(format!(
                    "product {} does not exist",
                    product_id.0
                )));
            }
            Ok(())
        })
    }

    /// True when orders, purchase orders or stock movements refer to the product.
    pub fn product_has_history(&self, product_id: ProductId) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM order_lines WHERE product_id = ?1)
                 OR EXISTS (SELECT 1 FROM po_lines WHERE product_id = ?1)
                 OR EXISTS (SELECT 1 FROM stock_movements WHERE product_id = ?1)",
            [product_id.0],
            |row| row.get(0),
        )?)
    }

    /// Deletes a product without history; archives one with history (nothing is lost).
    pub fn delete_product(&mut self, product_id: ProductId, now: &str) -> Result<DeleteOutcome> {
        let has_history = self.product_has_history(product_id)?;
        self.in_transaction(|tx| {
            let changed = if has_history {
                tx.execute(
                    "UPDATE products SET archived = 1, updated_at = ?2 WHERE product_id = ?1",
                    params![product_id.0, now],
                )?
            } else {
                tx.execute("DELETE FROM products WHERE product_id = ?1", [product_id.0])?
            };
            if changed == 0 {
                return Err(StoreError::NotFound(format!(
                    "product {} does not exist",
                    product_id.0
                )));
            }
            Ok(if has_history {
                DeleteOutcome::Archived
            } else {
                DeleteOutcome::Deleted
            })
        })
    }

    /// Brings an archived product back into the catalog.
    pub fn restore_product(&mut self, product_id: ProductId, now: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE products SET archived = 0, updated_at = ?2 WHERE product_id = ?1",
            params![product_id.0, now],
        )?;
        Ok(())
    }

    /// Adds (or with a negative quantity removes) stock, with a reason, through the ledger.
    /// Returns the new on hand. (The app's `adjust_stock` also re-allocates reservations.)
    pub fn adjust_stock(
        &mut self,
        product_id: ProductId,
        quantity: i64,
        reason: &str,
        now: &str,
    ) -> Result<i64> {
        self.in_transaction(|tx| adjust_stock_in(tx, product_id, quantity, reason, now))
    }

    /// The ledger of one product, newest first.
    pub fn movements(&self, product_id: ProductId, limit: usize) -> Result<Vec<Movement>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT kind, quantity, reason, created_at FROM stock_movements
             WHERE product_id = ?1 ORDER BY created_at DESC, movement_id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![product_id.0, limit as i64], |row| {
            let kind: String = row.get(0)?;
            Ok(Movement {
                kind: MovementKind::from_code(&kind).unwrap_or(MovementKind::Adjustment),
                quantity: row.get(1)?,
                reason: row.get(2)?,
                created_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Products whose cached on-hand differs from the sum of their ledger (should be none).
    pub fn ledger_mismatches(&self) -> Result<Vec<LedgerMismatch>> {
        let mut statement = self.conn.prepare(
            "SELECT p.sku, p.on_hand, COALESCE(m.total, 0)
             FROM products p
             LEFT JOIN (SELECT product_id, SUM(quantity) AS total FROM stock_movements
                        GROUP BY product_id) m ON m.product_id = p.product_id
             WHERE p.on_hand <> COALESCE(m.total, 0)",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(LedgerMismatch {
                sku: row.get(0)?,
                cached: row.get(1)?,
                ledger: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Supplier names, sorted.
    pub fn supplier_names(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM suppliers ORDER BY name COLLATE NOCASE")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Category names in use, sorted.
    pub fn category_names(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT category FROM products WHERE category <> '' AND archived = 0
             ORDER BY category COLLATE NOCASE",
        )?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn product_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM products WHERE archived = 0",
            [],
            |row| row.get(0),
        )?)
    }
}
