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

/// The user guide (this version's README), kept in the data folder so the desktop can open it.
const USER_GUIDE: &str = include_str!("../../README.md");

/// The platform data folder (`~/.local/share/backorder-desk` on Linux), if this user has one.
pub fn data_folder() -> Option<std::path::PathBuf> {
    crate::store::default_path().and_then(|path| path.parent().map(std::path::Path::to_path_buf))
}

/// Writes the user guide into `folder` (when missing or from another version) and returns its
/// path.
pub fn write_user_guide(folder: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let path = folder.join("user-guide.md");
    if std::fs::read_to_string(&path).is_ok_and(|text| text == USER_GUIDE) {
        return Ok(path);
    }
    std::fs::create_dir_all(folder)
        .map_err(|error| format!("Cannot create {}: {error}", folder.display()))?;
    crate::io::write_atomically(&path, |out| out.write_all(USER_GUIDE.as_bytes()))
        .map_err(|error| format!("Cannot write the user guide to {}: {error}", path.display()))?;
    Ok(path)
}

/// Opens the user guide with the desktop's program for Markdown or text files.
pub fn open_user_guide() -> Result<std::path::PathBuf, String> {
    let folder = data_folder().ok_or_else(|| {
        "No data folder is known for this user, so the user guide cannot be written; read README.md of the project".to_owned()
    })?;
    let path = write_user_guide(&folder)?;
    open_external(&path).map(|()| path)
}
