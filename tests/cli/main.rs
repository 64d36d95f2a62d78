//! The command line: each test runs the built `backorder-desk` program and reads what it prints
//! and writes. One module per command group; `cargo test --test cli` runs them all.

#[path = "../common/mod.rs"]
mod common;

mod basics;
mod csv;
mod limits;
mod orders;
mod picklist;
mod purchasing;
mod reference;
