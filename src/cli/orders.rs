//! `order`, `ship`, `orders` and `backorders`: customer orders and their waiting lines.

use std::io::Write;

use anyhow::anyhow;

use crate::app::orders::{OrderInput, place_order_with_payment, ship_order};
use crate::app::promises::{backorder_lines, order_promise_notes};
use crate::domain::allocation::Priority;
use crate::domain::order::ShipPreference;
use crate::domain::payment::PaymentState;
use crate::store::orders::{OrderFilter, order_detail, order_id_by_number, order_summaries};

use super::args::Command;
use super::context::{Ctx, misrouted, open};
use super::format::{parse_line, truncate};

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Order { .. } => order(ctx, command, out),
        Command::Ship { .. } => ship(ctx, command, out),
        Command::Orders { .. } => orders(ctx, command, out),
        Command::Backorders { .. } => backorders(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `order`.
fn order(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Order {
        number,
        customer,
        email,
        priority,
        ship_complete,
        payment,
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
    let priority = Priority::from_code(priority)
        .ok_or_else(|| anyhow!("priority must be normal or high, not '{priority}'"))?;
    let input = OrderInput {
        order_number: number.clone().unwrap_or_default(),
        customer_name: customer.clone(),
        customer_email: email.clone(),
        ordered_at: None,
        priority,
        ship: if *ship_complete {
            ShipPreference::Complete
        } else {
            ShipPreference::Partial
        },
        lines: lines
            .iter()
            .map(|line| parse_line(line).map(|(sku, qty, _)| (sku, qty)))
            .collect::<anyhow::Result<_>>()?,
    };
    let payment = payment
        .as_deref()
        .map(|text| {
            PaymentState::from_code(text)
                .filter(|state| matches!(state, PaymentState::Authorized | PaymentState::NotNeeded))
                .ok_or_else(|| anyhow!("--payment must be authorized or not-needed, not '{text}'"))
        })
        .transpose()?;
    let (placed, _) = place_order_with_payment(&mut store, &input, payment, &clock)?;
    writeln!(out, "Order {} placed", placed.order_number)?;
    for (sku, ordered, reserved, waiting) in &placed.lines {
        writeln!(
            out,
            "  {sku}: {ordered} ordered, {reserved} reserved, {waiting} waiting"
        )?;
    }

    Ok(())
}

/// `ship`.
fn ship(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Ship { order_number } = command else {
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
    let order_id = order_id_by_number(store.connection(), order_number)?
        .ok_or_else(|| anyhow!("no order '{}'", order_number.trim()))?;
    let units = ship_order(&mut store, order_id, &clock)?;
    writeln!(out, "Shipped {units} unit(s) of {}", order_number.trim())?;

    Ok(())
}

/// `orders`.
fn orders(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Orders { filter, search } = command else {
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
    let filter = match filter.to_lowercase().as_str() {
        "all" => OrderFilter::All,
        "waiting" => OrderFilter::Waiting,
        "ready" => OrderFilter::Ready,
        "shipped" => OrderFilter::Shipped,
        "cancelled" => OrderFilter::Cancelled,
        "capture" => OrderFilter::Capture,
        other => {
            return Err(anyhow!(
                "filter must be all, waiting, ready, capture, shipped or cancelled, not '{other}'"
            ));
        }
    };
    let conn = store.connection();
    for summary in order_summaries(conn, filter, search, usize::MAX)? {
        writeln!(
            out,
            "{}  {}  {} <{}>  {}",
            summary.order_number,
            summary.ordered_at.get(..10).unwrap_or(&summary.ordered_at),
            summary.customer_name,
            summary.customer_email,
            summary.status_label()
        )?;
        let detail = order_detail(conn, summary.order_id)?;
        let line_ids: Vec<i64> = detail.lines.iter().map(|l| l.line_id).collect();
        let notes = order_promise_notes(conn, summary.order_id.0, &line_ids, clock.today())?;
        for line in detail.lines {
            let window = line.promise.as_ref().and_then(|p| p.window);
            writeln!(
                out,
                "    {:<12} {:>4}  {}",
                line.sku,
                line.quantities.ordered,
                line.quantities.badge(line.policy, window)
            )?;
            if let Some(note) = notes.get(&line.line_id) {
                for text in [&note.explanation, &note.first_promise]
                    .into_iter()
                    .flatten()
                {
                    writeln!(out, "        {text}")?;
                }
            }
        }
    }

    Ok(())
}

/// `backorders`.
fn backorders(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Backorders { json } = command else {
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
    let lines = backorder_lines(store.connection(), clock.today())?;
    if *json {
        for line in &lines {
            let promise = &line.promise;
            let value = serde_json::json!({
                "order_number": line.order_number,
                "sku": line.sku,
                "customer_email": line.customer_email,
                "quantity_waiting": line.quantity_waiting,
                "queue_position": promise.queue_position,
                "eta_start": promise.window.map(|w| w.start.to_string()),
                "eta_end": promise.window.map(|w| w.end.to_string()),
                "covered_by_po": promise.covered_by,
                "flags": line.flag_codes(),
                "explanation": line.explanation,
            });
            writeln!(out, "{value}")?;
        }
    } else {
        writeln!(
            out,
            "{:<12} {:<12} {:>7} {:>5}  {:<24} {:<10} {:<28} Flags",
            "Order", "SKU", "Waiting", "Queue", "Window", "PO", "Customer"
        )?;
        for line in &lines {
            let promise = &line.promise;
            let window = promise.window.map_or_else(
                || "date unknown".to_owned(),
                |w| format!("{} – {}", w.start, w.end),
            );
            let flags = line.flag_labels();
            writeln!(
                out,
                "{:<12} {:<12} {:>7} {:>5}  {:<24} {:<10} {:<28} {}",
                line.order_number,
                line.sku,
                line.quantity_waiting,
                promise.queue_position,
                window,
                promise.covered_by.as_deref().unwrap_or("–"),
                truncate(&line.customer_email, 28),
                flags.join(", ")
            )?;
            writeln!(out, "    {}", line.explanation)?;
        }
        writeln!(out, "{} waiting lines", lines.len())?;
    }

    Ok(())
}
