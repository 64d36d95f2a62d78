//! The window, screen by screen, driven headless with `egui_kittest` (no GPU): one module per
//! screen; `cargo test --test ui`. Background work is awaited with `common::finish_jobs`.

#[path = "../common/mod.rs"]
mod common;

mod catalog;
mod dashboard;
mod guards;
mod import;
mod messages;
mod orders;
mod picklist;
mod reorder;
