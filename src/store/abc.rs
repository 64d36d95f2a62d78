//! Revenue per product, the input of the ABC classes.

use chrono::NaiveDate;

use super::codec::date_text;
use super::{ProductId, Result, Store};

impl Store {
    /// Revenue in cents per product of the orders placed on `from` ..= `to`: units ordered
    /// minus units cancelled, times the line's unit price. Every active product is listed, with
    /// 0 when it sold nothing.
    pub fn revenue_by_product(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(ProductId, i64)>> {
        // `ordered_at` is a timestamp text (`YYYY-MM-DD HH:MM:SS`); compare on the day.
        let until = to.succ_opt().unwrap_or(to);
        let mut statement = self.conn.prepare(
            "SELECT p.product_id, COALESCE(r.cents, 0)
               FROM products p
               LEFT JOIN (SELECT l.product_id AS product_id,
                                 SUM((l.quantity - l.cancelled_qty) * l.unit_price_cents) AS cents
                            FROM orders o JOIN order_lines l ON l.order_id = o.order_id
                           WHERE o.ordered_at >= ?1 AND o.ordered_at < ?2
                           GROUP BY l.product_id) r ON r.product_id = p.product_id
              WHERE p.archived = 0
              ORDER BY p.product_id",
        )?;
        let rows = statement.query_map([date_text(from), date_text(until)], |row| {
            Ok((ProductId(row.get(0)?), row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
