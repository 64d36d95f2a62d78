//! Handing a file or link to the desktop: the mail program for `mailto:`, the PDF viewer for a
//! file, through the `open` crate. Failures are returned, never swallowed.
//!
//! On Windows the crate starts PowerShell with the target in an environment variable (and
//! Explorer as the fallback), never `cmd /C start`: there `&` in a `mailto:` link separated
//! commands, so a message's subject and body after the first `&` were lost (or run).

use std::ffi::{OsStr, OsString};
use std::time::Duration;

/// Opens `target` (a URL or a file path) with the desktop's default program. Does not wait for
/// it: the program may stay open as long as the shop likes.
pub fn open_external(target: impl AsRef<OsStr>) -> Result<(), String> {
    let target = target.as_ref();
    // A zero timeout: the launcher is started and checked once, the window never waits for it.
    open::that_detached_with_timeout(target, Duration::ZERO).map_err(|error| {
        format!(
            "Cannot open '{}' with the desktop's default program: {error}",
            target.to_string_lossy()
        )
    })
}

/// One program the `open` crate may start for a target on Windows: its name, arguments and
/// environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    pub program: OsString,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
}

/// What `open` (5.4, `windows.rs`) starts on Windows for `target`, in order: PowerShell reading
/// the target from `OPEN_RS_TARGET` (no command line carries it), then Explorer with the target
/// as one argument (`.\` before a target that looks like an option). The crate builds these
/// commands only when compiled for Windows, so this description is what the tests check on
/// every platform; on Windows a test compares it with the crate's own commands.
pub fn windows_launchers(target: &OsStr) -> Vec<Launcher> {
    let text = target.to_string_lossy().to_ascii_lowercase();
    let option_like = text.starts_with('-')
        || matches!(text.as_str(), "/e" | "/n" | "/separate")
        || text.starts_with("/root,")
        || text.starts_with("/select,");
    let explorer_target = if option_like {
        let mut safe = OsString::from(".\\");
        safe.push(target);
        safe
    } else {
        target.to_os_string()
    };
    vec![
        Launcher {
            program: "powershell.exe".into(),
            args: vec![
                "-NoProfile".into(),
                "-NonInteractive".into(),
                "-Command".into(),
                "<the crate's script: Invoke-Item or Start-Process $env:OPEN_RS_TARGET>".into(),
            ],
            env: vec![("OPEN_RS_TARGET".into(), target.to_os_string())],
        },
        Launcher {
            program: "explorer.exe".into(),
            args: vec![explorer_target],
            env: Vec::new(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAILTO: &str = "mailto:ada@example.com?subject=Order%20SO-1001%20%26%20more&body=Dear%20Ada%2C%0A&cc=x@example.com";

    /// The link reaches a program whole: as one argument or as one environment value.
    fn carried_whole(args: &[OsString], env: &[(OsString, OsString)], target: &str) -> bool {
        args.iter().any(|arg| arg == target) || env.iter().any(|(_, value)| value == target)
    }

    #[test]
    fn a_mailto_link_with_ampersands_survives_on_windows() {
        let launchers = windows_launchers(OsStr::new(MAILTO));
        assert_eq!(launchers.len(), 2);
        for launcher in &launchers {
            // No command interpreter parses the link: `cmd` would split it at every `&`.
            assert_ne!(launcher.program.to_ascii_lowercase(), "cmd");
            assert_ne!(launcher.program.to_ascii_lowercase(), "cmd.exe");
            assert!(
                carried_whole(&launcher.args, &launcher.env, MAILTO),
                "{launcher:?}"
            );
        }
        assert_eq!(
            launchers[0].env,
            vec![(OsString::from("OPEN_RS_TARGET"), OsString::from(MAILTO))]
        );
        // A target that Explorer would read as an option is made a path.
        let option = windows_launchers(OsStr::new("/select,C:\\x"));
        assert_eq!(option[1].args, vec![OsString::from(".\\/select,C:\\x")]);
    }

    #[test]
    fn the_crate_hands_the_link_over_whole_on_this_platform() {
        let commands = open::commands(MAILTO);
        assert!(!commands.is_empty());
        for command in &commands {
            let args: Vec<OsString> = command.get_args().map(OsStr::to_os_string).collect();
            let env: Vec<(OsString, OsString)> = command
                .get_envs()
                .filter_map(|(key, value)| Some((key.to_os_string(), value?.to_os_string())))
                .collect();
            assert!(carried_whole(&args, &env, MAILTO), "{command:?}");
            assert_ne!(command.get_program(), "cmd");
        }
    }

    /// The description above is what the crate really does (checked where it can be: on Windows).
    #[cfg(windows)]
    #[test]
    fn the_description_matches_the_crate_on_windows() {
        let commands = open::commands(MAILTO);
        let launchers = windows_launchers(OsStr::new(MAILTO));
        assert_eq!(commands.len(), launchers.len());
        for (command, launcher) in commands.iter().zip(&launchers) {
            assert_eq!(command.get_program(), launcher.program.as_os_str());
            let env: Vec<(OsString, OsString)> = command
                .get_envs()
                .filter_map(|(key, value)| Some((key.to_os_string(), value?.to_os_string())))
                .collect();
            assert_eq!(env, launcher.env);
        }
    }
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
mod guide_tests {
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
