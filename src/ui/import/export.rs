//! An export on a worker thread with its own connection; the status line tells where it went.

use std::path::PathBuf;

use crate::app::Clock;
use crate::app::export::{ExportKind, Exported, export};
use crate::app::jobs::Job;
use crate::store::StoreOpener;

/// A running export.
pub struct ExportFlow {
    pub kind: ExportKind,
    pub path: PathBuf,
    job: Job<Result<Exported, String>>,
}

impl ExportFlow {
    /// Exports on a worker with a connection of its own, opened in the window's mode (a
    /// read-only window's export reads only).
    pub fn begin(
        opener: StoreOpener,
        kind: ExportKind,
        path: PathBuf,
        clock: Clock,
        ctx: &egui::Context,
    ) -> Result<Self, String> {
        let target = path.clone();
        let wake = ctx.clone();
        let job = Job::spawn(
            "Export",
            move |_progress| {
                let store = opener.open().map_err(|e| e.to_string())?;
                export(&store, kind, &target, clock.today()).map_err(|e| e.to_string())
            },
            move || wake.request_repaint(),
        )
        .map_err(|error| format!("cannot start the export: {error}"))?;
        Ok(Self { kind, path, job })
    }

    /// `Some` with the status text once the export is done.
    pub fn poll(&self) -> Option<Result<String, String>> {
        self.job.poll().map(|result| {
            result
                .and_then(|inner| inner)
                .map(|exported| format!("Exported {exported} to {}", self.path.display()))
        })
    }
}
