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

/// The user guide as it is in the project (README, docs/ and the benchmarks), page by page, so
/// its links between pages work where it is written. Screenshots are left out (their
/// descriptions show in their place).
const USER_GUIDE: [(&str, &str); 22] = [
    ("README.md", include_str!("../../README.md")),
    ("BENCHMARKS.md", include_str!("../../BENCHMARKS.md")),
    ("docs/README.md", include_str!("../../docs/README.md")),
    (
        "docs/architecture.md",
        include_str!("../../docs/architecture.md"),
    ),
    (
        "docs/reliability.md",
        include_str!("../../docs/reliability.md"),
    ),
    (
        "docs/guide/catalog.md",
        include_str!("../../docs/guide/catalog.md"),
    ),
    (
        "docs/guide/dashboard.md",
        include_str!("../../docs/guide/dashboard.md"),
    ),
    (
        "docs/guide/import-export.md",
        include_str!("../../docs/guide/import-export.md"),
    ),
    (
        "docs/guide/messages.md",
        include_str!("../../docs/guide/messages.md"),
    ),
    (
        "docs/guide/orders.md",
        include_str!("../../docs/guide/orders.md"),
    ),
    (
        "docs/guide/picklists.md",
        include_str!("../../docs/guide/picklists.md"),
    ),
    (
        "docs/guide/practice.md",
        include_str!("../../docs/guide/practice.md"),
    ),
    (
        "docs/guide/promises.md",
        include_str!("../../docs/guide/promises.md"),
    ),
    (
        "docs/guide/purchase-orders.md",
        include_str!("../../docs/guide/purchase-orders.md"),
    ),
    (
        "docs/guide/reorder.md",
        include_str!("../../docs/guide/reorder.md"),
    ),
    (
        "docs/guide/shop-file.md",
        include_str!("../../docs/guide/shop-file.md"),
    ),
    (
        "docs/guide/storefront-orders.md",
        include_str!("../../docs/guide/storefront-orders.md"),
    ),
    (
        "docs/guide/window.md",
        include_str!("../../docs/guide/window.md"),
    ),
    (
        "docs/reference/cli.md",
        include_str!("../../docs/reference/cli.md"),
    ),
    (
        "docs/reference/csv-formats.md",
        include_str!("../../docs/reference/csv-formats.md"),
    ),
    (
        "docs/reference/kpi.md",
        include_str!("../../docs/reference/kpi.md"),
    ),
    (
        "docs/reference/settings.md",
        include_str!("../../docs/reference/settings.md"),
    ),
];

/// The page the guide opens on.
const USER_GUIDE_START: &str = "docs/README.md";

/// The platform data folder (`~/.local/share/backorder-desk` on Linux), if this user has one.
pub fn data_folder() -> Option<std::path::PathBuf> {
    crate::store::default_path().and_then(|path| path.parent().map(std::path::Path::to_path_buf))
}

/// Writes the user guide into `folder/user-guide` (the pages that are missing or from another
/// version) and returns the path of its first page.
pub fn write_user_guide(folder: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let root = folder.join("user-guide");
    for (page, text) in USER_GUIDE {
        let path = root.join(page);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("Cannot create {}: {error}", parent.display()))?;
        }
        crate::io::write_atomically(&path, |out| out.write_all(text.as_bytes())).map_err(
            |error| format!("Cannot write the user guide to {}: {error}", path.display()),
        )?;
    }
    Ok(root.join(USER_GUIDE_START))
}

/// Opens the user guide with the desktop's program for Markdown or text files.
pub fn open_user_guide() -> Result<std::path::PathBuf, String> {
    let folder = data_folder().ok_or_else(|| {
        "No data folder is known for this user, so the user guide cannot be written; read docs/README.md of the project".to_owned()
    })?;
    let path = write_user_guide(&folder)?;
    open_external(&path).map(|()| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Markdown page of docs/ (and the README) is in the guide the window writes.
    #[test]
    fn the_user_guide_holds_every_page_of_the_docs() {
        fn walk(dir: &std::path::Path, root: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("read docs").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, found);
                } else if path.extension().is_some_and(|ext| ext == "md") {
                    let relative = path.strip_prefix(root).expect("under the project");
                    found.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages = vec!["README.md".to_owned(), "BENCHMARKS.md".to_owned()];
        walk(&root.join("docs"), root, &mut pages);
        pages.sort();
        let mut written: Vec<String> = USER_GUIDE
            .iter()
            .map(|(page, _)| (*page).to_owned())
            .collect();
        written.sort();
        assert_eq!(written, pages);
    }

    #[test]
    fn the_user_guide_is_written_page_by_page_and_kept_when_unchanged() {
        let dir = tempfile::tempdir().expect("dir");
        let start = write_user_guide(dir.path()).expect("write");
        assert_eq!(start, dir.path().join("user-guide/docs/README.md"));
        let window = dir.path().join("user-guide/docs/guide/window.md");
        let text = std::fs::read_to_string(&window).expect("a guide page");
        assert!(text.starts_with("# The window"), "{text}");
        // A page changed by hand is written again; one that is unchanged is left alone.
        std::fs::write(&window, "old").expect("write");
        let settings = dir.path().join("user-guide/docs/reference/settings.md");
        let before = std::fs::metadata(&settings)
            .and_then(|m| m.modified())
            .expect("time");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_user_guide(dir.path()).expect("again");
        assert_eq!(std::fs::read_to_string(&window).expect("read"), text);
        let after = std::fs::metadata(&settings)
            .and_then(|m| m.modified())
            .expect("time");
        assert_eq!(before, after);
    }
}
