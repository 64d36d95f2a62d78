//! Handing a file or link to the desktop: the mail program for `mailto:`, the PDF viewer for a
//! file. Failures are returned, never swallowed.

use std::ffi::OsStr;
use std::process::{Command, Stdio};

/// Opens `target` (a URL or a file path) with the desktop's default program. Does not wait for
/// it: the program may stay open as long as the shop likes.
pub fn open_external(target: impl AsRef<OsStr>) -> Result<(), String> {
    let mut command = opener(target.as_ref());
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // The opener hands over to the real program and exits; reap it in the background.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
            Ok(())
        }
        Err(error) => Err(format!(
            "Cannot start '{}' to open it: {error}",
            command.get_program().to_string_lossy()
        )),
    }
}

#[cfg(target_os = "windows")]
fn opener(target: &OsStr) -> Command {
    let mut command = Command::new("cmd");
    command.args(["/C", "start", ""]).arg(target);
    command
}

#[cfg(target_os = "macos")]
fn opener(target: &OsStr) -> Command {
    let mut command = Command::new("open");
    command.arg(target);
    command
}

#[cfg(not(any(target_os = "windows", target_os = "macos")))]
fn opener(target: &OsStr) -> Command {
    let mut command = Command::new("xdg-open");
    command.arg(target);
    command
}
