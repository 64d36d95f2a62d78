//! Runs a parsed command: opens the shop by the one open policy and hands the command to its
//! group's module.

use std::io::Write;

use anyhow::anyhow;

use super::args::{Cli, Command};
use super::context::{Ctx, misrouted, open};
use super::{
    catalog, imports, kpi, notify, orders, picklist, practice, purchasing, safety, simulate,
    transfer, upkeep,
};

/// An error and its causes in one line, each said once: a cause whose text the message already
/// holds is not repeated.
pub fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Runs one command. Output goes to `out`; errors are returned for `main` to print.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let clock = cli.clock();
    if let Command::SafetyStock(args) = command {
        return safety::run_safety_stock(args, out);
    }
    if let Command::Simulate {
        days,
        seed,
        warmup,
        json,
        keep,
    } = command
    {
        return simulate::run_simulate(*days, *seed, *warmup, *json, keep.as_deref(), out);
    }
    // Before the shop is opened (and a daily backup written): a "today" outside the accepted
    // dates would date orders, receipts, promises and backups wrongly.
    crate::app::clock::check_today(&clock)
        .map_err(|message| anyhow!("{message}; nothing was opened"))?;
    let path = cli.db_path()?;
    let access = command.access();
    let ctx = Ctx {
        cli,
        path: &path,
        access,
        clock,
    };
    match command {
        Command::Demo { .. }
        | Command::Products { .. }
        | Command::AddProduct { .. }
        | Command::Adjust { .. } => catalog::run(ctx, command, out)?,
        Command::Order { .. }
        | Command::Ship { .. }
        | Command::Orders { .. }
        | Command::Backorders { .. } => orders::run(ctx, command, out)?,
        Command::Po { .. } | Command::Receive { .. } | Command::PoDate { .. } => {
            purchasing::run(ctx, command, out)?;
        }
        Command::Import { .. } | Command::Export { .. } => transfer::run(ctx, command, out)?,
        Command::Check { .. }
        | Command::Backup { .. }
        | Command::Backups
        | Command::Restore { .. } => upkeep::run(ctx, command, out)?,
        Command::Kpi { .. } => kpi::run(ctx, command, out)?,
        _ => run_in_group_modules(ctx, command, out)?,
    }
    Ok(())
}

/// The commands whose group module takes the opened shop and the parsed options itself
/// (orders' practice, messages and settings, imports, safety stock, simulation, pick lists).
fn run_in_group_modules(
    ctx: Ctx<'_>,
    command: &Command,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Ctx {
        cli,
        path,
        access,
        clock,
    } = ctx;
    match command {
        Command::Cancel {
            order_number,
            sku,
            reason,
        } => {
            practice::cancel(
                &mut *open(path, access, cli)?,
                order_number,
                sku.as_deref(),
                reason.as_deref(),
                clock,
                out,
            )?;
        }
        Command::CaptureList { json } => {
            practice::capture(&*open(path, access, cli)?, *json, clock, out)?;
        }
        Command::Payment {
            order_number,
            state,
        } => practice::payment(
            &mut *open(path, access, cli)?,
            order_number,
            state,
            clock,
            out,
        )?,
        Command::Cutoff { action } => {
            practice::cutoff(&mut *open(path, access, cli)?, action, clock, out)?;
        }
        Command::Advise { json, apply } => {
            practice::advise(&mut *open(path, access, cli)?, *json, *apply, clock, out)?;
        }
        Command::Notify { action } => {
            notify::run(&mut *open(path, access, cli)?, action, clock, out)?;
        }
        Command::Setting { key, value } => {
            notify::setting(
                &mut *open(path, access, cli)?,
                key.as_deref(),
                value.as_deref(),
                out,
            )?;
        }
        Command::Imports => imports::list(&*open(path, access, cli)?, out)?,
        Command::UndoImport { batch, dry_run } => {
            imports::undo(&mut *open(path, access, cli)?, *batch, *dry_run, clock, out)?;
        }
        Command::SafetyStock(args) => safety::run_safety_stock(args, out)?,
        Command::Simulate {
            days,
            seed,
            warmup,
            json,
            keep,
        } => simulate::run_simulate(*days, *seed, *warmup, *json, keep.as_deref(), out)?,
        Command::Reorder { json } => {
            safety::run_reorder(&*open(path, access, cli)?, clock, *json, out)?;
        }
        Command::Picklist {
            out: file,
            layout,
            paper,
            orders,
            list,
            print,
            printer,
        } => {
            let request = picklist::PicklistArgs {
                out: file,
                layout: layout.as_deref(),
                paper: paper.as_deref(),
                orders: orders.as_deref(),
                list: list.as_deref(),
                print: *print,
                printer: printer.as_deref(),
            };
            picklist::picklist(&mut *open(path, access, cli)?, &request, clock, out)?;
        }
        Command::PicklistPicked { list_number } => {
            picklist::picked(&mut *open(path, access, cli)?, list_number, clock, out)?;
        }
        Command::Picklists => picklist::list(&*open(path, access, cli)?, out)?,
        Command::PackingSlip {
            order_number,
            out: file,
            paper,
        } => {
            picklist::slip(
                &*open(path, access, cli)?,
                order_number,
                file,
                paper.as_deref(),
                clock,
                out,
            )?;
        }
        other => return Err(misrouted(other)),
    }
    Ok(())
}
