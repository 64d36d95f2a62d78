//! Runs a parsed command: opens the shop by the one open policy and hands the command to its
//! group's module.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;

use crate::app::Clock;
use crate::app::session::{
    Access, COMMAND_WRITER_WAIT, DailyBackupOutcome, OpenRequest, ReadOnlyReason, Session,
    open_shop,
};

use super::args::{Cli, Command};
use super::{
    catalog, imports, kpi, notify, orders, picklist, practice, purchasing, safety, simulate,
    transfer, upkeep,
};

/// The file cannot be imported as it is and nothing was written (exit code 2): rows with errors,
/// no product at all in it, or an inventory location to choose.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FileHasErrors(pub String);

/// What every command runs with: the options, the shop file, whether the command writes, and
/// "today".
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a> {
    pub cli: &'a Cli,
    pub path: &'a Path,
    pub access: Access,
    pub clock: Clock,
}

/// A command handed to a group that does not run it (a dispatch mistake, never the user's).
pub(super) fn misrouted(command: &Command) -> anyhow::Error {
    anyhow!(
        "internal error: the command {command:?} reached the wrong handler; nothing was changed"
    )
}

/// Opens the shop for a command by the policy the window uses too (`app::session`): the
/// shared lock while it runs; a writing command takes the writer lock, waiting up to 5 seconds
/// for another copy that writes, then refuses naming it (with `--ignore-lock` it runs read-only
/// instead, and every change is refused); a reading command reads read-only while another copy
/// writes. A writing command refuses a write-protected or damaged file up front, and writes the
/// first backup of the day.
pub(super) fn open(path: &Path, access: Access, cli: &Cli) -> anyhow::Result<Session> {
    let mut request = OpenRequest::new(path, access, cli.clock());
    // With --ignore-lock a command does not wait for the other writer: it reads at once.
    request.wait_for_writer = if cli.ignore_lock {
        std::time::Duration::ZERO
    } else {
        COMMAND_WRITER_WAIT
    };
    let session = open_shop(request)?;
    if access == Access::Write {
        match &session.read_only {
            None | Some(ReadOnlyReason::Chosen) => {}
            Some(ReadOnlyReason::InUse(held)) if cli.ignore_lock => eprintln!(
                "note: {} With --ignore-lock this command runs read-only: it changes nothing.",
                held.message(path)
            ),
            Some(ReadOnlyReason::InUse(held)) => {
                return Err(anyhow!(
                    "{} Nothing was changed. Close it there first; commands that only read work meanwhile.",
                    held.message(path)
                ));
            }
            Some(ReadOnlyReason::NotWritable(_)) => {
                return Err(anyhow!(
                    "'{}' is read-only (the file or its folder cannot be written); nothing was changed",
                    path.display()
                ));
            }
            Some(ReadOnlyReason::Damaged(message)) => return Err(anyhow!("{message}")),
        }
        if let DailyBackupOutcome::Failed(error) = &session.daily_backup {
            eprintln!("warning: the daily backup was not written: {error}");
        }
    }
    Ok(session)
}

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
                &*open(path, access, cli)?,
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
