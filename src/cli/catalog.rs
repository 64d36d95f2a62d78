//! `demo`, `products`, `add-product` and `adjust`: the catalog and its stock.

use std::io::Write;

use anyhow::anyhow;

use crate::app::catalog::{adjust_stock_checked, catalog_rows, save_product};
use crate::app::demo::{DemoSpec, load_demo};
use crate::app::jobs::Progress;
use crate::domain::{BackorderPolicy, ProductDraft, StockStatus, format_cents};

use super::args::Command;
use super::context::{Ctx, misrouted, open};
use super::format::{print_allocated, truncate};

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Demo { .. } => demo(ctx, command, out),
        Command::Products { .. } => products(ctx, command, out),
        Command::AddProduct { .. } => add_product(ctx, command, out),
        Command::Adjust { .. } => adjust(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `demo`.
fn demo(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Demo {
        products,
        orders,
        seed,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let mut store = open(path, access, cli)?;
    let spec = DemoSpec {
        products: *products,
        order_lines: *orders,
        seed: *seed,
    };
    let summary = load_demo(&mut store, spec, &clock, &Progress::default())?;
    writeln!(
        out,
        "Demo shop written to {}: {} products, {} suppliers, {} customers, {} orders ({} lines, {} open), {} backordered lines, {} purchase orders",
        path.display(),
        summary.products,
        summary.suppliers,
        summary.customers,
        summary.orders,
        summary.order_lines,
        summary.open_orders,
        summary.backordered_lines,
        summary.purchase_orders
    )?;

    Ok(())
}

/// `products`.
fn products(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Products { search, json } = command else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let store = open(path, access, cli)?;
    let needle = search.as_deref().map(str::to_lowercase);
    let mut rows = catalog_rows(&store, clock.today())?;
    rows.retain(|row| {
        needle.as_deref().is_none_or(|needle| {
            row.sku.to_lowercase().contains(needle)
                || row.name.to_lowercase().contains(needle)
                || row.category.to_lowercase().contains(needle)
        })
    });
    rows.sort_by(|a, b| a.sku.cmp(&b.sku));
    if *json {
        for row in &rows {
            let value = serde_json::json!({
                "sku": row.sku,
                "name": row.name,
                "category": row.category,
                "location": row.location,
                "on_hand": row.figures.on_hand,
                "reserved": row.figures.reserved,
                "available": row.figures.available(),
                "on_order": row.figures.on_order,
                "backordered": row.figures.backordered,
                "dates_slipping_daily": row.slipping_lines,
                "status": row.status().code(),
                "badge": row.badge_text(),
                "price": format_cents(row.price_cents),
                "supplier": row.supplier,
                "lead_time_days": row.lead_time_days,
                "backorder_policy": row.policy.code(),
                "max_wait_days": row.max_wait_days,
                "track_stock": row.track_stock,
                "sale_price": row.sale_price_cents.map(format_cents),
                "sku_in_shop": !row.sku_derived,
                "shop": row.identity.as_ref().map(|identity| serde_json::json!({
                    "platform": identity.platform.code(),
                    "key": identity.key,
                })),
            });
            writeln!(out, "{value}")?;
        }
    } else {
        writeln!(
            out,
            "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<30}",
            "SKU", "Name", "On hand", "Reserved", "Available", "On order", "Backordered", "Status"
        )?;
        for row in &rows {
            writeln!(
                out,
                "{:<12} {:<32} {:>8} {:>8} {:>9} {:>8} {:>11}  {:<30}",
                row.sku,
                truncate(&row.name, 32),
                row.figures.on_hand,
                row.figures.reserved,
                row.figures.available(),
                row.figures.on_order,
                row.figures.backordered,
                row.badge_text()
            )?;
        }
        let waiting = rows
            .iter()
            .filter(|row| row.status() == StockStatus::Backordered)
            .count();
        writeln!(out, "{} products, {waiting} backordered", rows.len())?;
    }

    Ok(())
}

/// `add-product`.
fn add_product(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::AddProduct {
        sku,
        name,
        category,
        location,
        price,
        cost,
        supplier,
        lead_time,
        policy,
        max_wait,
        stock,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let mut store = open(path, access, cli)?;
    let draft = ProductDraft {
        sku: sku.clone(),
        name: name.clone(),
        category: category.clone(),
        location: location.clone(),
        unit_cost: cost.clone(),
        price: price.clone(),
        supplier: supplier.clone(),
        lead_time_days: lead_time.clone(),
        backorder_policy: BackorderPolicy::from_code(policy)
            .ok_or_else(|| anyhow!("policy must be no, yes or preorder, not '{policy}'"))?,
        max_wait_days: max_wait.clone(),
        reorder_point: "0".into(),
        ..ProductDraft::default()
    };
    if *stock < 0 {
        return Err(anyhow!("--stock must be 0 or more"));
    }
    save_product(&mut store, None, &draft, *stock, &clock)?;
    writeln!(out, "Added {}", sku.trim())?;

    Ok(())
}

/// `adjust`.
fn adjust(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Adjust {
        sku,
        quantity,
        reason,
        allow_negative,
    } = command
    else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let mut store = open(path, access, cli)?;
    let product_id = store
        .product_id_by_sku(sku)?
        .ok_or_else(|| anyhow!("no product with SKU '{sku}'"))?;
    let (on_hand, moved) = adjust_stock_checked(
        &mut store,
        product_id,
        *quantity,
        reason,
        *allow_negative,
        &clock,
    )?;
    writeln!(out, "{sku}: {quantity:+} ({reason}); on hand now {on_hand}")?;
    print_allocated(out, &moved)?;

    Ok(())
}
