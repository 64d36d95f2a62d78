//! The command line: `backorder-desk [--db PATH] [--today DATE] <command>`.
//!
//! `args` holds the commands and their options, `dispatch` opens the shop and runs a command
//! through the module of its group.

mod args;
mod catalog;
mod dispatch;
mod format;
mod imports;
mod kpi;
mod notify;
mod orders;
mod picklist;
mod practice;
mod purchasing;
mod safety;
mod simulate;
mod transfer;
mod upkeep;

pub use args::{Cli, Command, ExportWhat, ImportWhat};
pub use dispatch::{FileHasErrors, error_text, run};
