//! Small text helpers the command groups share.

use std::io::Write;

use anyhow::anyhow;

use crate::domain::allocation::Allocated;

pub(super) fn print_allocated(out: &mut dyn Write, moved: &[Allocated]) -> anyhow::Result<()> {
    for allocation in moved {
        if allocation.quantity > 0 {
            writeln!(
                out,
                "  {} got {} × {}",
                allocation.order_number, allocation.quantity, allocation.sku
            )?;
        } else {
            writeln!(
                out,
                "  {} gave back {} × {} (not enough on hand)",
                allocation.order_number, -allocation.quantity, allocation.sku
            )?;
        }
    }
    Ok(())
}

/// Parses `SKU=QTY` or `SKU=QTY@COST`.
pub(super) fn parse_line(text: &str) -> anyhow::Result<(String, i64, Option<i64>)> {
    let (sku, rest) = text
        .rsplit_once('=')
        .ok_or_else(|| anyhow!("'{text}' is not SKU=QUANTITY"))?;
    let (quantity, cost) = match rest.split_once('@') {
        Some((quantity, cost)) => (quantity, Some(cost)),
        None => (rest, None),
    };
    let quantity: i64 = quantity
        .trim()
        .parse()
        .map_err(|_| anyhow!("'{text}': '{quantity}' is not a whole number"))?;
    let cost = cost
        .map(|cost| {
            crate::domain::parse_money(cost).map_err(|error| anyhow!("'{text}': cost {error}"))
        })
        .transpose()?;
    Ok((sku.trim().to_owned(), quantity, cost))
}

pub(super) fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}
