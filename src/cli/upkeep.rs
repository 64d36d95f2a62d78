//! `check`, `backup`, `backups` and `restore`: the shop file itself.

use std::io::Write;

use anyhow::anyhow;

use crate::app::backup::{backup_now, check_database, repair_from_ledger, size_text};
use crate::app::session::{COMMAND_WRITER_WAIT, restore_shop};
use crate::store;
use crate::store::backup::list_backups;

use super::args::Command;
use super::context::{Ctx, misrouted, open};
use super::format::print_allocated;

/// Runs a command of this group.
pub(super) fn run(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Check { .. } => check(ctx, command, out),
        Command::Backup { .. } => backup(ctx, command, out),
        Command::Backups => backups(ctx, command, out),
        Command::Restore { .. } => restore(ctx, command, out),
        other => Err(misrouted(other)),
    }
}

/// `check`.
fn check(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Check { repair } = command else {
        return Err(misrouted(command));
    };
    let Ctx {
        cli,
        path,
        access,
        clock,
        ..
    } = ctx;
    let mut session = open(path, access, cli)?;
    let report = check_database(&session)?;
    if report.is_ok() {
        writeln!(
            out,
            "{}: integrity ok, schema version {} complete, references ok, ledger matches on hand for all {} products, reservations ok",
            path.display(),
            report.schema_version,
            report.products
        )?;
        return Ok(());
    }
    for line in report.lines() {
        writeln!(out, "{line}")?;
    }
    if !*repair || !report.can_repair() {
        let problems = report.problem_count();
        return Err(if report.can_repair() {
            anyhow!(
                "{problems} problem(s) found; `check --repair` sets on hand from the ledger, re-allocates reservations and makes missing indexes and triggers again (after a backup)"
            )
        } else {
            let newest = store::backup::newest_backup(path).map_or_else(
                || "keep one from elsewhere".to_owned(),
                |backup| format!("the newest is {}", backup.display()),
            );
            anyhow!(
                "{problems} problem(s) found that only a backup can fix (data is damaged or missing); restore a backup: {newest} (`backups` lists them, `restore FILE` puts one back)"
            )
        });
    }
    // A repair changes many figures at once: it runs while no other copy has the file
    // open.
    let repaired = session.exclusively(|store| repair_from_ledger(store, &clock))??;
    for product in &repaired.repaired {
        writeln!(
            out,
            "Repaired {}: on hand {} -> {}",
            product.sku, product.was, product.now
        )?;
    }
    print_allocated(out, &repaired.reallocated)?;
    writeln!(
        out,
        "{} (backup first: {})",
        repaired.summary(),
        repaired.backup.display()
    )?;
    let after = check_database(&session)?;
    if !after.is_ok() {
        for line in after.lines() {
            writeln!(out, "{line}")?;
        }
        return Err(anyhow!("some problems remain after the repair"));
    }
    writeln!(out, "Check after the repair: ok")?;

    Ok(())
}

/// `backup`.
fn backup(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Backup { to } = command else {
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
    let (file, size) = backup_now(&store, to.as_deref(), &clock)?;
    writeln!(
        out,
        "Backup written: {} ({})",
        file.display(),
        size_text(size)
    )?;

    Ok(())
}

/// `backups`.
fn backups(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    if !matches!(command, Command::Backups) {
        return Err(misrouted(command));
    }
    let Ctx { path, .. } = ctx;
    let backups = list_backups(path)?;
    if backups.is_empty() {
        writeln!(
            out,
            "No backups in {}",
            store::backup::backups_folder(path).display()
        )?;
    }
    for backup in &backups {
        writeln!(
            out,
            "{}  {:>10}  {:<36} {}",
            backup.made_at.format("%Y-%m-%d %H:%M:%S"),
            size_text(backup.size_bytes),
            backup.reason.label(),
            backup.path.display()
        )?;
    }

    Ok(())
}

/// `restore`.
fn restore(ctx: Ctx<'_>, command: &Command, out: &mut dyn Write) -> anyhow::Result<()> {
    let Command::Restore { file } = command else {
        return Err(misrouted(command));
    };
    let Ctx { path, clock, .. } = ctx;
    // Not opened first: the shop may be damaged, which is why a backup is restored.
    // `--ignore-lock` does not apply: a restore replaces the file under every copy.
    let report = restore_shop(path, file, &clock, COMMAND_WRITER_WAIT)?;
    if !report.previous.as_os_str().is_empty() {
        writeln!(
            out,
            "The shop file as it was is kept in {}",
            report.previous.display()
        )?;
    }
    writeln!(
        out,
        "Restored {} from {} ({} products, {} orders)",
        path.display(),
        report.restored_from.display(),
        report.checked.products,
        report.checked.orders
    )?;

    Ok(())
}
