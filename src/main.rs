// No `expect` in production code (see Cargo.toml).
#![deny(clippy::expect_used)]

use std::process::ExitCode;

use clap::Parser;

use backorder_desk::app::clock::check_today;
use backorder_desk::cli::{self, Cli};
use backorder_desk::ui;

fn main() -> ExitCode {
    let args = Cli::parse();
    let Some(command) = &args.command else {
        // No subcommand: the window — not with a clock outside the dates the desk accepts.
        if let Err(message) = check_today(&args.clock()) {
            eprintln!("error: {message}");
            let _ = rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("Backorder Desk cannot start")
                .set_description(&message)
                .show();
            return ExitCode::FAILURE;
        }
        return match ui::run_window(args.db_path().ok(), args.clock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot open the window: {error:#}");
                ExitCode::FAILURE
            }
        };
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli::run(&args, command, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", cli::error_text(&error));
            // A file that cannot be imported as it is (nothing written) is told apart from other
            // failures.
            if error.is::<cli::FileHasErrors>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
