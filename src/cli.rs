//! The command line: `backorder-desk [--db PATH] [--today DATE] <command>`.
//!
//! `args` holds the commands and their options, `context` what a command runs with and the one
//! way it opens the shop, `dispatch` hands each command to the module of its group.

mod args;
mod catalog;
mod context;
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
pub use context::FileHasErrors;
pub use dispatch::{error_text, run};
