//! Running the built `backorder-desk` program, as a shop owner would on the command line.

use std::path::Path;
use std::process::{Command, Output};

/// The day the command line tests run on unless they say otherwise (`--today`).
pub const TODAY: &str = "2026-03-01";

/// The built program, without arguments yet.
pub fn program() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backorder-desk"))
}

/// Runs the program with exactly these arguments.
pub fn desk_args(args: &[&str]) -> Output {
    program().args(args).output().expect("run backorder-desk")
}

/// Runs the program on the shop file `db`, on [`TODAY`].
pub fn desk(db: impl AsRef<Path>, args: &[&str]) -> Output {
    desk_on(db, TODAY, args)
}

/// Runs the program on the shop file `db`, on the day `today` (`YYYY-MM-DD`).
pub fn desk_on(db: impl AsRef<Path>, today: &str, args: &[&str]) -> Output {
    program()
        .arg("--db")
        .arg(db.as_ref())
        .args(["--today", today])
        .args(args)
        .output()
        .expect("run backorder-desk")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The standard output of a command that must have succeeded (else a panic showing both
/// outputs).
#[track_caller]
pub fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "the command failed ({}):\n{}\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

/// [`desk`] that must succeed: its standard output.
#[track_caller]
pub fn ok(db: impl AsRef<Path>, args: &[&str]) -> String {
    ok_on(db, TODAY, args)
}

/// [`desk_on`] that must succeed: its standard output.
#[track_caller]
pub fn ok_on(db: impl AsRef<Path>, today: &str, args: &[&str]) -> String {
    let output = desk_on(db, today, args);
    assert!(
        output.status.success(),
        "{args:?} failed ({}):\n{}\n{}",
        output.status,
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// [`desk`] that must fail: its standard error.
#[track_caller]
pub fn fails(db: impl AsRef<Path>, args: &[&str]) -> String {
    fails_on(db, TODAY, args)
}

/// [`desk_on`] that must fail: its standard error.
#[track_caller]
pub fn fails_on(db: impl AsRef<Path>, today: &str, args: &[&str]) -> String {
    let output = desk_on(db, today, args);
    assert!(
        !output.status.success(),
        "{args:?} should fail:\n{}",
        stdout(&output)
    );
    stderr(&output)
}

/// True when the tests run as root, who may write any file or folder.
pub fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

/// The built program, run as an unprivileged user (`nobody`, through `setpriv`) when the tests
/// run as root, so that a file or folder without write permission really is one.
pub fn program_as_user() -> Command {
    if running_as_root() {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_backorder-desk"));
        command
    } else {
        program()
    }
}
