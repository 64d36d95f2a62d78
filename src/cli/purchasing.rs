//! `po`, `receive` and `po-date`: purchase orders and inbound stock.

use std::io::Write;

use crate::app::purchasing::{PoInput, create_po_checked_with, move_po_date, receive};

use super::args::Command;
use super::context::{Ctx, misrouted, open};
use super::format::{parse_line, print_allocated};

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Po { .. } => po(ctx, command, out),
        Command::Receive { .. } => receive_po(ctx, command, out),
        Command::PoDate { .. } => po_date(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `po`.
fn po(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Po {
        number,
        supplier,
        new_supplier,
        expected,
        confirmed,
        lines,
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
    let input = PoInput {
        po_number: number.clone().unwrap_or_default(),
        supplier: supplier.clone(),
        ordered_at: None,
        expected_at: *expected,
        confirmed: *confirmed,
        lines: lines
            .iter()
            .map(|line| parse_line(line))
            .collect::<anyhow::Result<_>>()?,
    };
    let (_, po_number) = create_po_checked_with(
        &mut store,
        &input,
        *new_supplier,
        "Use one of the shop's suppliers, or add --new-supplier to create it",
        &clock,
    )?;
    writeln!(out, "Purchase order {po_number} created")?;

    Ok(())
}

/// `receive`.
fn receive_po(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Receive {
        po_number,
        sku,
        quantity,
        date,
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
    let only = sku.as_deref().zip(*quantity);
    let date = date.unwrap_or_else(|| clock.today());
    let report = receive(&mut store, po_number, only, date, &clock)?;
    for (sku, units) in &report.received {
        writeln!(out, "Received {units} × {sku} on {}", report.po_number)?;
    }
    print_allocated(out, &report.allocated)?;
    if report.allocated.is_empty() {
        writeln!(
            out,
            "No waiting order needed this stock; it is free to sell"
        )?;
    }

    Ok(())
}

/// `po-date`.
fn po_date(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::PoDate { po_number, date } = command else {
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
    let changes = move_po_date(&mut store, po_number, *date, &clock)?;
    writeln!(out, "{} now expected {date}", po_number.trim())?;
    if changes.is_empty() {
        writeln!(out, "No promise moved later")?;
    }
    for change in &changes {
        let show = |window: Option<crate::domain::promise::EtaWindow>| {
            window.map_or_else(
                || "date unknown".to_owned(),
                |w| format!("{} – {}", w.start, w.end),
            )
        };
        writeln!(
            out,
            "Promise changed: {} {} {} <{}>: {} → {}",
            change.order_number,
            change.sku,
            change.customer_name,
            change.customer_email,
            show(change.old),
            show(change.new)
        )?;
    }

    Ok(())
}
