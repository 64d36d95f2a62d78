use std::process::ExitCode;

use clap::Parser;

use backorder_desk::cli::{self, Cli};
use backorder_desk::ui;

fn main() -> ExitCode {
    let args = Cli::parse();
    match &args.command {
        Some(command) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match cli::run(&args, command, &mut out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            let db_path = args.db_path().ok();
            match ui::run_window(db_path, args.clock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot open the window: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
