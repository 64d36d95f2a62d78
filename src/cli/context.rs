//! What every command runs with, and the one way a command opens the shop.

use std::path::Path;

use anyhow::anyhow;

use crate::app::Clock;
use crate::app::session::{
    Access, COMMAND_WRITER_WAIT, DailyBackupOutcome, OpenRequest, ReadOnlyReason, Session,
    open_shop,
};

use super::args::{Cli, Command};

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
