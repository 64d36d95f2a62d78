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
