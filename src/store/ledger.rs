//! The stock movement ledger: every change of a product's stock is a row here, and the on-hand
//! count cached on the product moves with it in the same transaction.

use rusqlite::{Connection, params};

use super::{ProductId, Result};
use crate::domain::MovementKind;

/// Writes one ledger movement and updates the on-hand cache in the same transaction.
pub(crate) fn record_movement(
    conn: &Connection,
    product_id: ProductId,
    kind: MovementKind,
    quantity: i64,
    reason: &str,
    created_at: &str,
) -> Result<()> {
    record_linked_movement(
        conn,
        product_id,
        kind,
        quantity,
        reason,
        created_at,
        MovementLink::None,
    )
}

/// The order line or purchase-order line a movement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MovementLink {
    None,
    OrderLine(i64),
    PoLine(i64),
}

/// [`record_movement`] for a shipment of an order line or a receipt of a PO line: the line is
/// kept on the movement, so what depends on the line can be found.
pub(crate) fn record_linked_movement(
    conn: &Connection,
    product_id: ProductId,
    kind: MovementKind,
    quantity: i64,
    reason: &str,
    created_at: &str,
    link: MovementLink,
) -> Result<()> {
    let (order_line, po_line) = match link {
        MovementLink::None => (None, None),
        MovementLink::OrderLine(line_id) => (Some(line_id), None),
        MovementLink::PoLine(line_id) => (None, Some(line_id)),
    };
    conn.prepare_cached(
        "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at,
                                      order_line_id, po_line_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        product_id.0,
        kind.code(),
        quantity,
        reason,
        created_at,
        order_line,
        po_line
    ])?;
    conn.prepare_cached("UPDATE products SET on_hand = on_hand + ?2 WHERE product_id = ?1")?
        .execute(params![product_id.0, quantity])?;
    Ok(())
}
