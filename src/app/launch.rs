//! Handing a file or link to the desktop: the mail program for `mailto:`, the PDF viewer for a
//! file. Failures are returned, never swallowed.

use std::process::{Command, Stdio};

/// Opens `target` (a URL or a file path) with the desktop's default program.
pub fn open_external(target: &str) -> Result<(), String> {
    let mut command = opener(target);
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
fn opener(target: &str) -> Command {
    let mut command = Command::new("cmd");
    command.args(["/C", "start", ""]).arg(target);
    command
}

#[cfg(target_os = "macos")]
fn opener(target: &str) -> Command {
    let mut command = Command::new("open");
    command.arg(target);
    command
}

#[cfg(not(any(target_os = "windows", target_os = "macos")))]
fn opener(target: &str) -> Command {
    let mut command = Command::new("xdg-open");
    command.arg(target);
    command
}
