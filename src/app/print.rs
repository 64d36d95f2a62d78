//! Sending a PDF to the system's printing, and opening it in the system's viewer.
//!
//! Linux and macOS: CUPS (`lpstat` lists the printers, `lp` prints). Windows: the shell's
//! print verb. Every failure comes back as a message that says what to do.

use std::path::Path;
use std::process::{Command, Output};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum PrintError {
    #[error(
        "No printing system was found ({program} is not installed). Save the PDF and print it from another program"
    )]
    NoPrintingSystem { program: String },
    #[error(
        "No printer is set up on this computer. Add one in the system settings, or save the PDF"
    )]
    NoPrinter,
    #[error("Printing failed: {0}")]
    Failed(String),
    #[error("Cannot open the PDF: {0}")]
    Open(String),
}

fn run(program: &str, args: &[&std::ffi::OsStr]) -> Result<Output, PrintError> {
    Command::new(program)
        .args(args)
        .output()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => PrintError::NoPrintingSystem {
                program: program.to_owned(),
            },
            _ => PrintError::Failed(format!("cannot run {program}: {error}")),
        })
}

fn failure_text(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if stderr.is_empty() {
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    } else {
        stderr
    }
}

/// Printer names from `lpstat -a` ("NAME accepting requests since …") or, failing that,
/// `lpstat -p` ("printer NAME is idle. …").
#[cfg_attr(windows, allow(dead_code))]
pub fn parse_lpstat(accepting: &str, printers: &str) -> Vec<String> {
    let mut names: Vec<String> = accepting
        .lines()
        .filter(|line| line.contains("accepting"))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        names = printers
            .lines()
            .filter_map(|line| line.strip_prefix("printer "))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .collect();
    }
    names.dedup();
    names
}

/// The printers the system knows, default first when there is one.
#[cfg(not(windows))]
pub fn printers() -> Result<Vec<String>, PrintError> {
    let accepting = run("lpstat", &["-a".as_ref()])?;
    let listed = run("lpstat", &["-p".as_ref()])?;
    let mut names = parse_lpstat(
        &String::from_utf8_lossy(&accepting.stdout),
        &String::from_utf8_lossy(&listed.stdout),
    );
    // "No destinations added" is an empty list; a printing system that does not answer is not.
    let text = failure_text(&listed);
    if names.is_empty() && !listed.status.success() && !text.contains("No destinations") {
        return Err(PrintError::Failed(text));
    }
    if let Ok(default) = run("lpstat", &["-d".as_ref()]) {
        let text = String::from_utf8_lossy(&default.stdout);
        if let Some(name) = text.split(':').nth(1).map(str::trim)
            && let Some(index) = names.iter().position(|n| n == name)
        {
            let name = names.remove(index);
            names.insert(0, name);
        }
    }
    Ok(names)
}

/// The printers the system knows (`Get-Printer`), the default first.
#[cfg(windows)]
pub fn printers() -> Result<Vec<String>, PrintError> {
    let script = "Get-CimInstance Win32_Printer | Sort-Object -Property Default -Descending | ForEach-Object { $_.Name }";
    let output = run(
        "powershell",
        &[
            "-NoProfile".as_ref(),
            "-NonInteractive".as_ref(),
            "-Command".as_ref(),
            script.as_ref(),
        ],
    )?;
    if !output.status.success() {
        return Err(PrintError::Failed(failure_text(&output)));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Sends a PDF to a printer (`None`: the default printer). Returns what the system said
/// (e.g. "request id is Office-12 (1 file(s))").
#[cfg(not(windows))]
pub fn print_pdf(path: &Path, printer: Option<&str>) -> Result<String, PrintError> {
    let mut args: Vec<&std::ffi::OsStr> = Vec::new();
    if let Some(printer) = printer.filter(|p| !p.trim().is_empty()) {
        args.push("-d".as_ref());
        args.push(printer.as_ref());
    }
    args.push("--".as_ref());
    args.push(path.as_os_str());
    let output = run("lp", &args)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        let text = failure_text(&output);
        if text.contains("no default destination") || text.contains("No default destination") {
            Err(PrintError::NoPrinter)
        } else {
            Err(PrintError::Failed(text))
        }
    }
}

/// Sends a PDF to the default printer through the shell's print verb (the PDF viewer
/// registered for `.pdf` prints it).
#[cfg(windows)]
pub fn print_pdf(path: &Path, printer: Option<&str>) -> Result<String, PrintError> {
    let file = path.display().to_string().replace('\'', "''");
    let script = match printer.filter(|p| !p.trim().is_empty()) {
        Some(name) => format!(
            "Start-Process -FilePath '{file}' -Verb PrintTo -ArgumentList '\"{}\"'",
            name.replace('\'', "''")
        ),
        None => format!("Start-Process -FilePath '{file}' -Verb Print"),
    };
    let output = run(
        "powershell",
        &[
            "-NoProfile".as_ref(),
            "-NonInteractive".as_ref(),
            "-Command".as_ref(),
            script.as_ref(),
        ],
    )?;
    if output.status.success() {
        Ok("Sent to the printer".to_owned())
    } else {
        Err(PrintError::Failed(failure_text(&output)))
    }
}

/// Opens a file in the system's viewer (through the `open` crate, see [`super::launch`]).
pub fn open_in_viewer(path: &Path) -> Result<(), PrintError> {
    super::launch::open_external(path).map_err(PrintError::Open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_names_from_lpstat() {
        let accepting = "PDF accepting requests since Mon 23 Nov 2026 10:00:00 UTC\nOffice_Laser accepting requests since Mon 23 Nov 2026 10:01:00 UTC\n";
        assert_eq!(parse_lpstat(accepting, ""), vec!["PDF", "Office_Laser"]);
        let printers = "printer PDF is idle.  enabled since Mon 23 Nov 2026\n\tNote\nprinter Label disabled since Mon\n";
        assert_eq!(parse_lpstat("", printers), vec!["PDF", "Label"]);
        assert!(parse_lpstat("", "").is_empty());
    }
}
