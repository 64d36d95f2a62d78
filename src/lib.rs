//! Backorder Desk: keep selling when stock runs out, and keep every promise made to a waiting
//! customer.
//!
//! Layers (arrows point down only): `ui`, `cli` → `app` → `store`, `io` → `domain`.

// No `expect` in production code (tests and benchmarks are other crates; see Cargo.toml).
#![deny(clippy::expect_used)]

pub mod app;
pub mod cli;
pub mod domain;
pub mod io;
pub mod store;
pub mod ui;
