//! The rest of the backorder practice in the shop file: payment state of orders, backorder
//! cutoffs of products and categories, supplier receipts for the policy advisor, and the
//! cancellation counts of the KPI dashboard.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::bulk::date_text;
use super::orders::{OrderId, parse_date};
use super::{ProductId, Result, Store, StoreError};
use crate::domain::BackorderPolicy;
use crate::domain::kpi::{Receipt, Scope};
use crate::domain::order::CancelReason;
use crate::domain::payment::PaymentState;

/// Writes an order's payment state. `authorized_at`: `Some` to stamp a new authorization;
/// `captured_add_cents`: added to what was captured; `attempt`: a capture was tried.
pub fn update_payment(
    conn: &Connection,
    order_id: OrderId,
    state: PaymentState,
    authorized_at: Option<&str>,
    captured_add_cents: i64,
    attempt: bool,
    at: &str,
) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE orders SET payment_state = ?2,
                 authorized_at = COALESCE(?3, authorized_at),
                 captured_cents = captured_cents + ?4,
                 capture_attempts = capture_attempts + ?5,
                 payment_updated_at = ?6
             WHERE order_id = ?1",
        )?
        .execute(params![
            order_id.0,
            state.code(),
            authorized_at,
            captured_add_cents.max(0),
            i64::from(attempt),
            at
        ])?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "order {} does not exist",
            order_id.0
        )));
    }
    Ok(())
}

/// Capture attempts recorded on an order.
pub fn capture_attempts(conn: &Connection, order_id: OrderId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT capture_attempts FROM orders WHERE order_id = ?1")?
        .query_row([order_id.0], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Sets (or clears) a product's own backorder cutoff.
pub fn set_product_cutoff(
    conn: &Connection,
    product_id: ProductId,
    cutoff: Option<NaiveDate>,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE products SET backorder_cutoff = ?2, updated_at = ?3 WHERE product_id = ?1",
    )?
    .execute(params![product_id.0, cutoff.map(date_text), at])?;
    Ok(())
}

/// A product's own cutoff (not its category's).
pub fn product_cutoff(conn: &Connection, product_id: ProductId) -> Result<Option<NaiveDate>> {
    let text: Option<Option<String>> = conn
        .prepare_cached("SELECT backorder_cutoff FROM products WHERE product_id = ?1")?
        .query_row([product_id.0], |row| row.get(0))
        .optional()?;
    Ok(text.flatten().as_deref().and_then(parse_date))
}

/// Sets (or clears, with `None`) the cutoff of a category (names compared without case).
pub fn set_category_cutoff(
    conn: &Connection,
    category: &str,
    cutoff: Option<NaiveDate>,
) -> Result<()> {
    match cutoff {
        Some(date) => conn
            .prepare_cached(
                "INSERT INTO category_rules (category, backorder_cutoff) VALUES (?1, ?2)
                 ON CONFLICT(category) DO UPDATE SET backorder_cutoff = excluded.backorder_cutoff",
            )?
            .execute(params![category.trim(), date_text(date)])?,
        None => conn
            .prepare_cached("DELETE FROM category_rules WHERE category = ?1")?
            .execute([category.trim()])?,
    };
    Ok(())
}

/// One cutoff, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutoffRow {
    /// `product` or `category`.
    pub kind: &'static str,
    /// The SKU or the category name.
    pub name: String,
    pub cutoff: NaiveDate,
}

/// Every category cutoff, then every product cutoff, each by name.
pub fn cutoffs(conn: &Connection) -> Result<Vec<CutoffRow>> {
    let mut out = Vec::new();
    let mut statement = conn.prepare_cached(
        "SELECT 'category', category, backorder_cutoff FROM category_rules
          WHERE backorder_cutoff IS NOT NULL
         UNION ALL
         SELECT 'product', sku, backorder_cutoff FROM products
          WHERE backorder_cutoff IS NOT NULL AND archived = 0
         ORDER BY 1, 2",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, name, date) = row?;
        if let Some(cutoff) = parse_date(&date) {
            out.push(CutoffRow {
                kind: if kind == "product" {
                    "product"
                } else {
                    "category"
                },
                name,
                cutoff,
            });
        }
    }
    Ok(out)
}

/// Receipts of PO lines received from `from` to `to` (inclusive), by supplier id: days from
/// ordering to arrival and whether it came on or before the date first expected — the same
/// measure as the KPI dashboard's supplier table.
pub fn supplier_receipts(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i64, Vec<Receipt>>> {
    let mut statement = conn.prepare_cached(
        "SELECT po.supplier_id,
                CAST(julianday(substr(pl.received_at, 1, 10))
                     - julianday(substr(po.ordered_at, 1, 10)) AS INTEGER),
                substr(pl.received_at, 1, 10) <= COALESCE(
                    (SELECT d.old_expected_at FROM po_date_changes d
                      WHERE d.po_id = po.po_id ORDER BY d.change_id LIMIT 1),
                    po.expected_at)
           FROM po_lines pl
           JOIN purchase_orders po ON po.po_id = pl.po_id
          WHERE pl.received_at >= ?1 AND pl.received_at < ?2",
    )?;
    let next = to + chrono::Duration::days(1);
    let rows = statement.query_map([date_text(from), date_text(next)], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            Receipt {
                lead_days: row.get(1)?,
                on_time: row.get(2)?,
            },
        ))
    })?;
    let mut out: HashMap<i64, Vec<Receipt>> = HashMap::new();
    for row in rows {
        let (supplier, receipt) = row?;
        out.entry(supplier).or_default().push(receipt);
    }
    Ok(out)
}

/// What the advisor needs of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisorProduct {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub supplier: String,
    pub supplier_id: Option<i64>,
    pub policy: BackorderPolicy,
}

/// Every active product, by SKU.
pub fn advisor_products(conn: &Connection) -> Result<Vec<AdvisorProduct>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.product_id, p.sku, p.name, COALESCE(s.name, ''), p.supplier_id, p.backorder_policy
           FROM products p LEFT JOIN suppliers s ON s.supplier_id = p.supplier_id
          WHERE p.archived = 0 ORDER BY p.sku",
    )?;
    let rows = statement.query_map([], |row| {
        let policy: String = row.get(5)?;
        Ok(AdvisorProduct {
            product_id: ProductId(row.get(0)?),
            sku: row.get(1)?,
            name: row.get(2)?,
            supplier: row.get(3)?,
            supplier_id: row.get(4)?,
            policy: BackorderPolicy::from_code(&policy).unwrap_or(BackorderPolicy::NotAllowed),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Sets a product's backorder policy.
pub fn set_policy(
    conn: &Connection,
    product_id: ProductId,
    policy: BackorderPolicy,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE products SET backorder_policy = ?2, updated_at = ?3 WHERE product_id = ?1",
    )?
    .execute(params![product_id.0, policy.code(), at])?;
    Ok(())
}

/// Lines of the orders placed in a period, split by whether units waited when ordered, and how
/// many of each had units cancelled (with the reasons of the backordered ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CancellationCounts {
    /// Lines with units backordered when ordered.
    pub backordered_lines: i64,
    /// … of which some units were cancelled.
    pub backordered_cancelled: i64,
    /// Lines filled from stock when ordered.
    pub in_stock_lines: i64,
    /// … of which some units were cancelled.
    pub in_stock_cancelled: i64,
    /// Cancelled backordered lines by reason (`CancelReason::ALL` order), and without a reason.
    pub reasons: [i64; 4],
    pub no_reason: i64,
}

impl CancellationCounts {
    /// Cancelled backordered lines ÷ backordered lines × 100 (`None` without backordered lines).
    pub fn backorder_cancellation_pct(&self) -> Option<f64> {
        crate::domain::kpi::percent(self.backordered_cancelled, self.backordered_lines)
    }

    /// Cancelled in-stock lines ÷ in-stock lines × 100.
    pub fn in_stock_cancellation_pct(&self) -> Option<f64> {
        crate::domain::kpi::percent(self.in_stock_cancelled, self.in_stock_lines)
    }
}

impl Store {
    /// Cancellation counts of the lines of orders placed from `from` to `to` (inclusive).
    pub fn kpi_cancellations(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<CancellationCounts> {
        let (join, condition, value) = match scope {
            Scope::All => ("", "", None),
            Scope::Sku(sku) => (
                " JOIN products p ON p.product_id = l.product_id",
                " AND p.sku = ?",
                Some(sku.trim().to_owned()),
            ),
            Scope::Supplier(name) => (
                " JOIN products p ON p.product_id = l.product_id",
                " AND p.supplier_id = (SELECT supplier_id FROM suppliers WHERE name = ?)",
                Some(name.trim().to_owned()),
            ),
            Scope::Category(name) => (
                " JOIN products p ON p.product_id = l.product_id",
                " AND p.category = ?",
                Some(name.trim().to_owned()),
            ),
        };
        let sql = format!(
            "SELECT l.backordered_at_order_qty > 0, l.cancelled_qty > 0, l.cancel_reason, COUNT(*)
               FROM orders o JOIN order_lines l ON l.order_id = o.order_id{join}
              WHERE o.ordered_at >= ? AND o.ordered_at < ?{condition}
              GROUP BY 1, 2, 3"
        );
        let mut values = vec![date_text(from), date_text(to + chrono::Duration::days(1))];
        values.extend(value);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values), |row| {
            Ok((
                row.get::<_, bool>(0)?,
                row.get::<_, bool>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })?;
        let mut counts = CancellationCounts::default();
        for row in rows {
            let (backordered, cancelled, reason, lines) = row?;
            if backordered {
                counts.backordered_lines += lines;
                if cancelled {
                    counts.backordered_cancelled += lines;
                    match reason.as_deref().and_then(CancelReason::from_code) {
                        Some(reason) => {
                            let index = CancelReason::ALL
                                .iter()
                                .position(|r| *r == reason)
                                .unwrap_or(3);
                            counts.reasons[index] += lines;
                        }
                        None => counts.no_reason += lines,
                    }
                }
            } else {
                counts.in_stock_lines += lines;
                if cancelled {
                    counts.in_stock_cancelled += lines;
                }
            }
        }
        Ok(counts)
    }
}
