//! The rest of the backorder practice in the shop file: payment state of orders, backorder
//! cutoffs of products and categories, supplier receipts for the policy advisor, and the
//! cancellation counts of the KPI dashboard.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::codec::{date_text, parse_date};
use super::orders::OrderId;
use super::{ProductId, Result, Store, StoreError};
use crate::domain::BackorderPolicy;
pub use crate::domain::kpi::CancellationCounts;
use crate::domain::kpi::{Receipt, Scope};
use crate::domain::limits::add_days_saturating;
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
    let next = add_days_saturating(to, 1);
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

impl Store {
    /// Cancellation counts of the lines of orders placed from `from` to `to` (inclusive).
    pub fn kpi_cancellations(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: &Scope,
    ) -> Result<CancellationCounts> {
        let mut counts = CancellationCounts::default();
        let days = cancellation_days(&self.conn, from, add_days_saturating(to, 1), scope, false)?;
        for (_, day_counts) in &days {
            counts.merge(day_counts);
        }
        Ok(counts)
    }

    /// [`Self::kpi_cancellations`] for all products, from the stored days: days before today
    /// are kept in `kpi_cancel_days`; the days from the stale mark on (everything on a new shop
    /// or after a large load) and single order days a change touched since (triggers list them
    /// in `kpi_cancel_dirty`) are counted again and stored, today and later days are counted
    /// live. The same numbers as the direct count, without reading every line of the period.
    pub fn kpi_cancellations_all(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<CancellationCounts> {
        let tx = self.conn.unchecked_transaction()?;
        let dirty_from: String =
            tx.query_row("SELECT dirty_from FROM kpi_cancel_state", [], |row| {
                row.get(0)
            })?;
        let mut valid_before = parse_date(&dirty_from).map_or(NaiveDate::MIN, |day| day.min(today));
        let mut marked: Vec<NaiveDate> = Vec::new();
        {
            let mut statement = tx.prepare_cached("SELECT day FROM kpi_cancel_dirty")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let day: String = row.get(0)?;
                match parse_date(&day) {
                    Some(day) => marked.push(day),
                    // Not a day: count everything again.
                    None => valid_before = NaiveDate::MIN,
                }
            }
        }
        let any_marked = !marked.is_empty();
        marked.retain(|day| *day < valid_before);
        marked.sort_unstable();
        // Many single days: one count from the first of them is the cheaper way.
        if marked.len() > MAX_SINGLE_DAYS {
            valid_before = marked[0];
            marked.clear();
        }
        let in_period = |day: &NaiveDate| *day >= from && *day <= to;
        let mut counts = CancellationCounts::default();

        // Stale days before today: counted again (from the first order day when nothing is
        // stored).
        let mut fresh_range = None;
        if valid_before < today {
            let start = if valid_before == NaiveDate::MIN {
                tx.query_row(
                    "SELECT substr(MIN(ordered_at), 1, 10) FROM orders",
                    [],
                    |row| row.get::<_, Option<String>>(0),
                )?
                .as_deref()
                .and_then(parse_date)
                .unwrap_or(today)
                .min(today)
            } else {
                valid_before
            };
            let few_days = (today - start).num_days() < 31;
            let fresh = cancellation_days(&tx, start, today, &Scope::All, few_days)?;
            for (_, day_counts) in fresh.iter().filter(|(day, _)| in_period(day)) {
                counts.merge(day_counts);
            }
            fresh_range = Some((start, fresh));
        }
        // Single stored days a change touched: counted again.
        let mut fresh_days = Vec::with_capacity(marked.len());
        for day in &marked {
            let fresh =
                cancellation_days(&tx, *day, add_days_saturating(*day, 1), &Scope::All, true)?;
            let day_counts = fresh.into_iter().next().map(|(_, c)| c);
            if in_period(day)
                && let Some(day_counts) = &day_counts
            {
                counts.merge(day_counts);
            }
            fresh_days.push((*day, day_counts));
        }
        // Stored days of the period before the recounted ones, but the touched single days.
        let stored_to = valid_before.pred_opt().map(|last| to.min(last));
        if let Some(stored_to) = stored_to.filter(|last| from <= *last) {
            let mut statement = tx.prepare_cached(
                "SELECT COALESCE(SUM(backordered_lines), 0), COALESCE(SUM(backordered_cancelled), 0),
                        COALESCE(SUM(in_stock_lines), 0), COALESCE(SUM(in_stock_cancelled), 0),
                        COALESCE(SUM(reason_customer), 0), COALESCE(SUM(reason_too_long), 0),
                        COALESCE(SUM(reason_substitute), 0), COALESCE(SUM(reason_other), 0),
                        COALESCE(SUM(no_reason), 0)
                   FROM kpi_cancel_days WHERE day >= ?1 AND day <= ?2
                    AND day NOT IN (SELECT day FROM kpi_cancel_dirty)",
            )?;
            let stored = statement.query_row([date_text(from), date_text(stored_to)], |row| {
                Ok(CancellationCounts {
                    backordered_lines: row.get(0)?,
                    backordered_cancelled: row.get(1)?,
                    in_stock_lines: row.get(2)?,
                    in_stock_cancelled: row.get(3)?,
                    reasons: [row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?],
                    no_reason: row.get(8)?,
                })
            })?;
            counts.merge(&stored);
        }
        // Store what was counted when the shop can be written and nobody wrote meanwhile (a
        // read-only store never writes: the counts were made in memory).
        if (fresh_range.is_some() || any_marked) && !self.read_only {
            let stored = store_cancellation_days(&tx, fresh_range.as_ref(), &fresh_days, today);
            match stored {
                Ok(()) => tx.commit()?,
                // Read-only, or another copy wrote since this read began: keep what was
                // counted, store nothing.
                Err(_) => drop(tx),
            }
        } else {
            drop(tx);
        }
        // Today and later: live.
        if to >= today {
            let live_from = from.max(today);
            for (_, day_counts) in cancellation_days(
                &self.conn,
                live_from,
                add_days_saturating(to, 1),
                &Scope::All,
                true,
            )? {
                counts.merge(&day_counts);
            }
        }
        Ok(counts)
    }
}

/// More single touched days than this are counted again as one range from the first.
const MAX_SINGLE_DAYS: usize = 31;

/// Cancellation counts per order day of the orders placed from `from` to before `before`, of
/// the products in `scope` (`few_days`, all products: start from the orders of those days, the
/// faster way over a few days).
fn cancellation_days(
    conn: &Connection,
    from: NaiveDate,
    before: NaiveDate,
    scope: &Scope,
    few_days: bool,
) -> Result<Vec<(NaiveDate, CancellationCounts)>> {
    let orders = if few_days && matches!(scope, Scope::All) {
        "orders o INDEXED BY orders_ordered_at CROSS JOIN"
    } else {
        "orders o JOIN"
    };
    let scope = super::kpi::scope_sql(scope, "l");
    let sql = format!(
        "SELECT substr(o.ordered_at, 1, 10), l.backordered_at_order_qty > 0, l.cancelled_qty > 0,
                l.cancel_reason, COUNT(*)
           FROM {orders} order_lines l ON l.order_id = o.order_id{}
          WHERE o.ordered_at >= ? AND o.ordered_at < ?{}
          GROUP BY 1, 2, 3, 4",
        scope.join, scope.condition
    );
    let values = super::kpi::with_scope(vec![date_text(from), date_text(before)], &scope);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut days: std::collections::BTreeMap<NaiveDate, CancellationCounts> =
        std::collections::BTreeMap::new();
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let Some(day) = parse_date(&day) else {
            continue;
        };
        days.entry(day).or_default().add_lines(
            row.get(1)?,
            row.get(2)?,
            row.get::<_, Option<String>>(3)?.as_deref(),
            row.get(4)?,
        );
    }
    Ok(days.into_iter().collect())
}

/// Stores recounted days: the range (its first day, and the days found from it up to today,
/// replacing every stored day from its first on; then stored days run to before `today`), and
/// single days (`None`: no lines that day any more); the touched-day notes are cleared.
fn store_cancellation_days(
    conn: &Connection,
    range: Option<&(NaiveDate, Vec<(NaiveDate, CancellationCounts)>)>,
    single_days: &[(NaiveDate, Option<CancellationCounts>)],
    today: NaiveDate,
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO kpi_cancel_days (day, backordered_lines, backordered_cancelled, in_stock_lines,
             in_stock_cancelled, reason_customer, reason_too_long, reason_substitute, reason_other,
             no_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut write = |day: NaiveDate, c: &CancellationCounts| {
        insert
            .execute(params![
                date_text(day),
                c.backordered_lines,
                c.backordered_cancelled,
                c.in_stock_lines,
                c.in_stock_cancelled,
                c.reasons[0],
                c.reasons[1],
                c.reasons[2],
                c.reasons[3],
                c.no_reason
            ])
            .map(|_| ())
    };
    for (day, counts) in single_days {
        conn.execute(
            "DELETE FROM kpi_cancel_days WHERE day = ?1",
            [date_text(*day)],
        )?;
        if let Some(counts) = counts {
            write(*day, counts)?;
        }
    }
    if let Some((from, days)) = range {
        conn.execute(
            "DELETE FROM kpi_cancel_days WHERE day >= ?1",
            [date_text(*from)],
        )?;
        for (day, counts) in days {
            write(*day, counts)?;
        }
        conn.execute(
            "UPDATE kpi_cancel_state SET dirty_from = ?1",
            [date_text(today)],
        )?;
    }
    conn.execute("DELETE FROM kpi_cancel_dirty", [])?;
    Ok(())
}
