//! The window (egui). Screens draw and queue commands; the app runs them once per frame.

pub mod catalog;
pub mod dashboard;
pub mod import;
pub mod messages;
pub mod orders;
pub mod purchasing;
pub mod reorder;
pub mod shared;
pub mod shell;

use std::path::PathBuf;

pub use shell::DeskApp;

use crate::app::Clock;

/// Opens the window on `db_path` (or, when `None`, asks for a file).
pub fn run_window(db_path: Option<PathBuf>, clock: Clock) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Backorder Desk")
            .with_inner_size([1280.0, 780.0])
            .with_min_inner_size([720.0, 420.0]),
        // The window draws with OpenGL (test builds also compile wgpu for image snapshots).
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "Backorder Desk",
        options,
        Box::new(move |cc| Ok(Box::new(DeskApp::new(cc, db_path, clock)))),
    )
    .map_err(|error| anyhow::anyhow!("{error}"))
}
