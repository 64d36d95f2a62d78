//! Undoing the newest import: what it would put back, confirmed, then run on a worker.

use egui::{Id, Modal, RichText};

use crate::app::Clock;
use crate::app::import::ImportKind;
use crate::app::jobs::Job;
use crate::app::undo::{UndoPlan, UndoReport, plan_undo, undo_import};
use crate::store::{Store, StoreOpener};
use crate::ui::shared::format;
use crate::ui::shared::theme;

use super::FlowOutcome;

pub(super) type UndoJob = Job<Result<UndoReport, String>>;

pub(super) enum UndoStage {
    /// The import and what undoing it takes back, or why it cannot be undone.
    Confirm(Result<Box<UndoPlan>, String>),
    Running(UndoJob),
}

/// File > Undo last import…: a confirmation naming the import and what goes, then the undo on
/// a worker.
pub struct UndoFlow {
    stage: UndoStage,
}

impl UndoFlow {
    /// Checks the newest import in effect and asks for confirmation.
    pub fn begin(store: &Store) -> Self {
        Self {
            stage: UndoStage::Confirm(
                plan_undo(store, None)
                    .map(Box::new)
                    .map_err(|error| error.to_string()),
            ),
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, db: &StoreOpener, clock: Clock) -> FlowOutcome {
        let mut outcome = FlowOutcome::Open;
        let mut next = None;
        Modal::new(Id::unique("undo_import")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Undo last import");
            match &self.stage {
                UndoStage::Confirm(Err(reason)) => {
                    ui.add_space(4.0);
                    ui.colored_label(theme::ERROR, reason.as_str());
                    ui.add_space(8.0);
                    if ui.button("Close").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        outcome = FlowOutcome::Closed;
                    }
                }
                UndoStage::Confirm(Ok(plan)) => {
                    let batch = &plan.batch;
                    ui.label(
                        RichText::new(format!(
                            "Import {} of {} from {}",
                            batch.batch_id,
                            ImportKind::from_code(&batch.kind)
                                .map_or(batch.kind.as_str(), |kind| kind.label()),
                            batch.file_name
                        ))
                        .strong(),
                    );
                    ui.label(
                        RichText::new(format!(
                            "imported {} · {} new, {} updated, {} unchanged",
                            format::formats(ui.ctx()).stamp(&batch.imported_at, true),
                            batch.rows_new,
                            batch.rows_updated,
                            batch.rows_unchanged
                        ))
                        .color(theme::MUTED),
                    );
                    ui.add_space(6.0);
                    ui.label("Undoing it:");
                    for effect in plan.effects() {
                        ui.label(format!("• {effect}"));
                    }
                    ui.label(
                        "Stock is then matched to waiting orders and promises are recomputed.",
                    );
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Undo import").clicked() {
                            match start_undo(db, batch.batch_id, clock, ctx) {
                                Ok(job) => next = Some(UndoStage::Running(job)),
                                Err(error) => outcome = FlowOutcome::Failed(error),
                            }
                        }
                        if ui.button("Cancel").clicked()
                            || ui.input(|i| i.key_pressed(egui::Key::Escape))
                        {
                            outcome = FlowOutcome::Closed;
                        }
                    });
                }
                UndoStage::Running(job) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Undoing the import…");
                    });
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                    if let Some(result) = job.poll() {
                        outcome = match result.and_then(|inner| inner) {
                            Ok(report) => FlowOutcome::Imported(undone_text(&report)),
                            Err(message) => FlowOutcome::Failed(message),
                        };
                    }
                }
            }
        });
        if let Some(stage) = next {
            self.stage = stage;
        }
        outcome
    }
}

pub(super) fn start_undo(
    db: &StoreOpener,
    batch_id: i64,
    clock: Clock,
    ctx: &egui::Context,
) -> Result<UndoJob, String> {
    let db = db.clone();
    let wake = ctx.clone();
    Job::spawn(
        "Undo import",
        move |_progress| {
            let mut store = db.open().map_err(|e| e.to_string())?;
            undo_import(&mut store, Some(batch_id), &clock).map_err(|e| e.to_string())
        },
        move || wake.request_repaint(),
    )
    .map_err(|error| format!("cannot start the undo: {error}"))
}

/// "Undid import 3 (orders.csv): removes 12 orders (30 lines); …" for the status line.
pub(super) fn undone_text(report: &UndoReport) -> String {
    format!(
        "Undid {}: {}",
        report.batch.label(),
        report.effects().join("; ")
    )
}
