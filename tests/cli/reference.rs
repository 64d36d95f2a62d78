//! The documentation cannot drift from the program or break its own links:
//!
//! - `docs/reference/cli.md` holds the `--help` of the real binary for every command and
//!   subcommand (nested ones such as `notify send` too), between two markers. When a help text
//!   changes, rewrite that part with `BLESS=1 cargo test --test cli reference` and read the diff.
//! - `docs/reference/settings.md` names every setting the `setting` command knows.
//! - Every relative link in README.md and docs/ (`[text](path)`, `![alt](path)`, with or without
//!   `#anchor`) points at a file that exists, and an anchor at one of its headings.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_backorder-desk");
const CLI_MD: &str = "docs/reference/cli.md";
const SETTINGS_MD: &str = "docs/reference/settings.md";
const BEGIN: &str = "<!-- BEGIN GENERATED: the --help of every command; rewrite with `BLESS=1 cargo test --test cli reference` -->";
const END: &str = "<!-- END GENERATED -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The help of `backorder-desk ARGS… --help` as printed, with the trailing spaces of its lines
/// and its trailing blank lines taken off (they carry nothing, and editors strip them).
fn help(args: &[String]) -> String {
    let output = Command::new(BIN)
        .args(args)
        .arg("--help")
        .env("NO_COLOR", "1")
        // The same width everywhere, should clap ever wrap the help to the terminal.
        .env("COLUMNS", "100")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {BIN}: {error}"));
    assert!(
        output.status.success(),
        "`backorder-desk {} --help` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    let text =
        String::from_utf8_lossy(&output.stdout).replace("backorder-desk.exe", "backorder-desk");
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The subcommands a help text lists under `Commands:` (clap's own `help` left out).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path with its help: the program first, then each command followed by its own
/// subcommands, in the order `--help` lists them.
fn all_helps() -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let mut pending = vec![Vec::new()];
    while let Some(path) = pending.pop() {
        let text = help(&path);
        for name in subcommands(&text).into_iter().rev() {
            let mut child = path.clone();
            child.push(name);
            pending.push(child);
        }
        found.push((path, text));
    }
    found
}

/// `backorder-desk notify send` for the path `["notify", "send"]`.
fn command_line(path: &[String]) -> String {
    std::iter::once("backorder-desk")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The generated part of the reference, markers included.
fn generated(helps: &[(Vec<String>, String)]) -> String {
    let mut text = String::new();
    text.push_str(BEGIN);
    text.push('\n');
    for (path, help) in helps {
        let _ = write!(
            text,
            "\n### `{}`\n\n```text\n{help}\n```\n",
            command_line(path)
        );
    }
    text.push('\n');
    text.push_str(END);
    text
}

#[test]
fn cli_reference_holds_the_help_of_every_command() {
    let helps = all_helps();
    let names: Vec<String> = helps.iter().map(|(path, _)| path.join(" ")).collect();
    // The walk found the nested commands, not only the top level.
    assert!(
        names.len() > 30 && names.iter().any(|name| name == "notify send"),
        "the help lists fewer commands than expected: {names:?}"
    );
    let path = root().join(CLI_MD);
    // A checkout with Windows line ends reads the same.
    let document = read(&path).replace("\r\n", "\n");
    let (Some(begin), Some(end)) = (document.find(BEGIN), document.find(END)) else {
        panic!("{CLI_MD} lacks the markers of its generated part:\n{BEGIN}\n…\n{END}");
    };
    assert!(
        begin < end,
        "{CLI_MD}: the END marker comes before the BEGIN marker"
    );
    let wanted = generated(&helps);
    let current = &document[begin..end + END.len()];
    if current == wanted {
        return;
    }
    if std::env::var_os("BLESS").is_some() {
        let mut rewritten = String::with_capacity(document.len());
        rewritten.push_str(&document[..begin]);
        rewritten.push_str(&wanted);
        rewritten.push_str(&document[end + END.len()..]);
        std::fs::write(&path, rewritten)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        eprintln!("rewrote the generated part of {CLI_MD}");
        return;
    }
    // Name the commands whose help is not there as printed, and the first line that differs.
    let stale: Vec<String> = helps
        .iter()
        .filter(|(_, help)| !current.contains(&format!("```text\n{help}\n```")))
        .map(|(path, _)| format!("`{}`", command_line(path)))
        .collect();
    let first_difference = current
        .lines()
        .zip(wanted.lines())
        .enumerate()
        .find(|(_, (have, want))| have != want)
        .map_or_else(
            || "one is longer than the other".to_owned(),
            |(index, (have, want))| {
                format!(
                    "line {} of the generated part is\n  {have}\nbut the help gives\n  {want}",
                    index + 1
                )
            },
        );
    panic!(
        "{CLI_MD} does not hold the current --help of the program (commands whose help differs or is missing: {}; {first_difference}).\n\
         Rewrite it with `BLESS=1 cargo test --test cli reference`, then read the diff (and update the prose above the generated part if a command changed).",
        if stale.is_empty() {
            "none, but the order or the commands listed differ".to_owned()
        } else {
            stale.join(", ")
        }
    );
}

#[test]
fn settings_reference_names_every_setting() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("temporary folder: {error}"));
    let db = dir.path().join("shop.sqlite");
    let output = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .arg("setting")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {BIN}: {error}"));
    assert!(
        output.status.success(),
        "`setting` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed = String::from_utf8_lossy(&output.stdout).into_owned();
    let keys: Vec<&str> = listed
        .lines()
        .filter_map(|line| line.split(" = ").next())
        .filter(|key| !key.is_empty())
        .collect();
    assert!(keys.len() >= 20, "`setting` listed only {keys:?}");
    let document = read(&root().join(SETTINGS_MD));
    let missing: Vec<&&str> = keys
        .iter()
        .filter(|key| !document.contains(&format!("`{key}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "{SETTINGS_MD} does not describe these settings of the `setting` command: {missing:?}"
    );
}

/// README.md and every Markdown file under docs/.
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(path);
            }
        }
    }
    let mut found = vec![root().join("README.md"), root().join("BENCHMARKS.md")];
    walk(&root().join("docs"), &mut found);
    found.sort();
    found
}

/// The targets of `](target)` outside fenced code blocks and inline code.
fn link_targets(markdown: &str) -> Vec<(usize, String)> {
    let mut targets = Vec::new();
    let mut fenced = false;
    for (index, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Inline code spans are not links.
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(part, _)| part % 2 == 0)
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join(" ");
        let mut rest = prose.as_str();
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            let Some(close) = rest.find(')') else { break };
            let target = rest[..close].split_whitespace().next().unwrap_or("");
            targets.push((index + 1, target.to_owned()));
            rest = &rest[close..];
        }
    }
    targets
}

/// GitHub's anchor of a heading: lower case, letters, digits, `-` and `_` kept, spaces made `-`,
/// everything else dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (outside fenced code blocks).
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            let text = line.trim_start_matches('#').replace('`', "");
            let base = anchor(&text);
            // A repeated heading gets `-1`, `-2`, … on GitHub.
            let mut name = base.clone();
            let mut n = 0;
            while found.contains(&name) {
                n += 1;
                name = format!("{base}-{n}");
            }
            found.insert(name);
        }
    }
    found
}

#[test]
fn relative_links_in_the_docs_resolve() {
    let files = markdown_files();
    assert!(files.len() > 5, "found only {files:?}");
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let markdown = read(file);
        let shown = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        for (line, target) in link_targets(&markdown) {
            if target.is_empty()
                || target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (path_part, fragment) = match target.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (target.as_str(), None),
            };
            let linked = if path_part.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap_or(Path::new(".")).join(path_part)
            };
            if !linked.exists() {
                broken.push(format!("{shown}:{line}: {target} (no such file)"));
                continue;
            }
            if let Some(fragment) = fragment
                && linked.extension().is_some_and(|ext| ext == "md")
                && !anchors(&read(&linked)).contains(fragment)
            {
                broken.push(format!("{shown}:{line}: {target} (no such heading)"));
            }
        }
    }
    assert!(checked > 20, "checked only {checked} links");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_finds_links_and_anchors() {
    let markdown = "See [the guide](docs/guide/catalog.md#status-badges), ![shot](a.png).\n\
                    `not [a](link)` and\n```\n[x](inside-code.md)\n```\n[last](b.md \"title\")\n";
    let targets: Vec<String> = link_targets(markdown).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        targets,
        ["docs/guide/catalog.md#status-badges", "a.png", "b.md"]
    );
    assert_eq!(
        anchor("Asking first, and Edit › Undo"),
        "asking-first-and-edit--undo"
    );
    assert_eq!(
        anchor("`backorder-desk notify send`".replace('`', "").as_str()),
        "backorder-desk-notify-send"
    );
    let headings = anchors("# A\n## B b\n```\n# not\n```\n## B b\n");
    assert_eq!(
        headings.into_iter().collect::<Vec<_>>(),
        ["a", "b-b", "b-b-1"]
    );
}
