use std::process::ExitCode;

use clap::Parser;

use backorder_desk::cli::{self, Cli};
use backorder_desk::ui;

fn main() -> ExitCode {
    let args = Cli::parse();
    let Some(command) = &args.command else {
        // No subcommand: the window.
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
            // A file with row errors (nothing written) is told apart from other failures.
            if error.is::<cli::FileHasErrors>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
