//! The window, screen by screen, driven headless with `egui_kittest`: one module per screen;
//! `cargo test --test ui`. Background work is awaited with `common::finish_jobs`. The `layout`
//! module renders every screen on the CPU (wgpu on Mesa's lavapipe) and compares it with the
//! snapshots in `tests/snapshots/`.

#[path = "../common/mod.rs"]
mod common;

mod catalog;
mod dashboard;
mod guards;
mod import;
mod layout;
mod messages;
mod orders;
mod picklist;
mod reorder;
