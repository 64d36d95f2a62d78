//! Importing a file in the window: a dry run on a worker thread, a preview with every error,
//! then the import itself with a progress bar and Cancel. Also the export jobs.
//!
//! mod.rs runs an import from the dry run to the report; mapping.rs asks which column is which,
//! preview.rs shows the dry run, export.rs and undo.rs are the export and undo-import flows.

mod export;
mod mapping;
mod preview;
mod undo;

use std::path::{Path, PathBuf};

use egui::{Id, Modal, Ui};

use crate::app::Clock;
use crate::app::import::{ImportFailure, ImportKind, ImportReport, ImportRequest, run_import};
use crate::app::jobs::Job;
use crate::io::csv_import::{DateFormat, DateOrder, ImportError};
use crate::store::StoreOpener;

use mapping::{MappingAction, MappingStart, MappingStep};
use preview::preview_ui;

pub use export::ExportFlow;
pub use undo::UndoFlow;

type ImportJob = Job<Result<ImportReport, ImportFailure>>;

enum Stage {
    /// The dry run is reading the file.
    Checking(ImportJob),
    /// The file matches no layout: its header, first rows and any saved mapping are read.
    PreparingMapping(Job<Result<MappingStart, String>>),
    /// The shop chooses a column for each field of an order.
    Mapping(Box<MappingStep>),
    /// The file's slash dates could be day-first or month-first: the user chooses.
    AskDateOrder(String),
    Preview {
        report: Box<ImportReport>,
        valid_only: bool,
        message: Option<String>,
        /// Frames drawn so far: the first few are drawn again while the dialog finds its size
        /// and place (its lists measure their columns on the first frame).
        frames: u8,
    },
    Importing(ImportJob),
}

/// One import in progress, from choosing the file to the result.
pub struct ImportFlow {
    kind: ImportKind,
    path: PathBuf,
    stage: Stage,
    /// Inventory: the location chosen in the preview.
    location: Option<String>,
    /// Inventory: add the variants the shop does not have as products.
    create_missing: bool,
    /// The saved column mapping the file is read with (a file of another platform).
    mapping: Option<String>,
}

/// What the preview asks for.
enum PreviewAction {
    Import,
    Close,
    /// Read the inventory file again for this location.
    Location(String),
    /// Read the inventory file again, adding (or not) the variants the shop lacks.
    CreateMissing(bool),
}

/// What the app should do after this frame.
pub enum FlowOutcome {
    Open,
    /// Closed without writing.
    Closed,
    /// Written: refresh the screens.
    Imported(String),
    Failed(String),
}

fn start(
    db: &StoreOpener,
    request: ImportRequest,
    clock: Clock,
    ctx: &egui::Context,
) -> Result<ImportJob, String> {
    let db = db.clone();
    let title = if request.dry_run {
        "Checking the file"
    } else {
        "Importing"
    };
    let wake = ctx.clone();
    Job::spawn(
        title,
        move |progress| {
            let mut store = db.open()?;
            run_import(&mut store, &request, &clock, progress)
        },
        move || wake.request_repaint(),
    )
    .map_err(|error| format!("cannot start the import: {error}"))
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl ImportFlow {
    /// Starts the dry run of `path` as `kind`.
    pub fn begin(
        db: &StoreOpener,
        kind: ImportKind,
        path: PathBuf,
        clock: Clock,
        ctx: &egui::Context,
    ) -> Result<Self, String> {
        Ok(Self {
            kind,
            stage: Stage::Checking(start(db, dry_run(kind, &path, None, None), clock, ctx)?),
            path,
            location: None,
            create_missing: false,
            mapping: None,
        })
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one match arm per stage of an import (checking, date order, mapping, preview, importing), each a short dialog"
    )]
    pub fn ui(&mut self, ctx: &egui::Context, db: &StoreOpener, clock: Clock) -> FlowOutcome {
        let mut outcome = FlowOutcome::Open;
        let mut next: Option<Stage> = None;
        let title = format!(
            "Import {} from {}",
            self.kind.label(),
            file_label(&self.path)
        );
        Modal::new(Id::unique("import_flow")).show(ctx, |ui| {
            ui.set_width(760.0);
            ui.heading(&title);
            match &mut self.stage {
                Stage::Checking(job) => {
                    if let Some(result) = job_ui(ui, job, "Checking every row…") {
                        match result {
                            Ok(report) => {
                                next = Some(Stage::Preview {
                                    report: Box::new(report),
                                    valid_only: false,
                                    message: None,
                                    frames: 0,
                                });
                            }
                            Err(ImportFailure::File {
                                error: error @ ImportError::AmbiguousDates { .. },
                                ..
                            }) => next = Some(Stage::AskDateOrder(error.to_string())),
                            Err(ImportFailure::File {
                                error: ImportError::UnknownLayout { .. },
                                ..
                            }) if self.kind == ImportKind::Orders => {
                                match prepare_mapping(db, &self.path, ctx) {
                                    Ok(job) => next = Some(Stage::PreparingMapping(job)),
                                    Err(error) => outcome = FlowOutcome::Failed(error),
                                }
                            }
                            Err(error) => outcome = FlowOutcome::Failed(error.to_string()),
                        }
                    }
                }
                Stage::PreparingMapping(job) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Reading the file's columns…");
                    });
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                    if let Some(result) = job.poll() {
                        match result.and_then(|inner| inner) {
                            Ok(start) => {
                                next = Some(Stage::Mapping(Box::new(MappingStep::new(start))));
                            }
                            Err(message) => outcome = FlowOutcome::Failed(message),
                        }
                    }
                }
                Stage::Mapping(step) => match step.ui(ui) {
                    Some(MappingAction::SaveAndCheck { name, mapping }) => {
                        let signature = step.signature().to_owned();
                        let mut request = dry_run(self.kind, &self.path, None, None);
                        request.mapping = Some(name.clone());
                        match start_with_mapping(
                            db,
                            request,
                            (name.clone(), signature, mapping),
                            clock,
                            ctx,
                        ) {
                            Ok(job) => {
                                self.mapping = Some(name);
                                next = Some(Stage::Checking(job));
                            }
                            Err(error) => step.set_error(error),
                        }
                    }
                    Some(MappingAction::Cancel) => outcome = FlowOutcome::Closed,
                    None => {}
                },
                Stage::AskDateOrder(message) => {
                    ui.label(message.as_str());
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        for (order, text) in [
                            (DateOrder::DayFirst, "Day first (DD/MM/YYYY)"),
                            (DateOrder::MonthFirst, "Month first (MM/DD/YYYY)"),
                        ] {
                            if ui.button(text).clicked() {
                                let mut request = dry_run(
                                    self.kind,
                                    &self.path,
                                    Some(order),
                                    self.location.clone(),
                                );
                                request.mapping.clone_from(&self.mapping);
                                match start(db, request, clock, ctx) {
                                    Ok(job) => next = Some(Stage::Checking(job)),
                                    Err(error) => outcome = FlowOutcome::Failed(error),
                                }
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            outcome = FlowOutcome::Closed;
                        }
                    });
                }
                Stage::Importing(job) => {
                    if let Some(result) = job_ui(ui, job, "Importing…") {
                        outcome = match result {
                            Ok(report) => {
                                FlowOutcome::Imported(imported_text(self.kind, &self.path, &report))
                            }
                            Err(error) => FlowOutcome::Failed(error.to_string()),
                        };
                    }
                }
                Stage::Preview {
                    report,
                    valid_only,
                    message,
                    frames,
                } => {
                    if *frames < 3 {
                        *frames += 1;
                        ui.ctx().request_repaint();
                    }
                    match preview_ui(ui, report, self.create_missing, valid_only, message) {
                        Some(PreviewAction::Import) => {
                            let request = ImportRequest {
                                format: Some(report.summary.file.layout.format()),
                                date_order: report.summary.file.date_format.order(),
                                valid_only: *valid_only,
                                location: report.location.clone().filter(|name| !name.is_empty()),
                                create_missing: self.create_missing,
                                mapping: self.mapping.clone(),
                                ..ImportRequest::new(self.kind, self.path.clone())
                            };
                            match start(db, request, clock, ctx) {
                                Ok(job) => next = Some(Stage::Importing(job)),
                                Err(error) => outcome = FlowOutcome::Failed(error),
                            }
                        }
                        Some(
                            action @ (PreviewAction::Location(_) | PreviewAction::CreateMissing(_)),
                        ) => {
                            match action {
                                PreviewAction::Location(name) => self.location = Some(name),
                                PreviewAction::CreateMissing(create) => {
                                    self.create_missing = create;
                                }
                                _ => {}
                            }
                            let request = ImportRequest {
                                create_missing: self.create_missing,
                                ..dry_run(
                                    self.kind,
                                    &self.path,
                                    report.summary.file.date_format.order(),
                                    self.location.clone(),
                                )
                            };
                            match start(db, request, clock, ctx) {
                                Ok(job) => next = Some(Stage::Checking(job)),
                                Err(error) => outcome = FlowOutcome::Failed(error),
                            }
                        }
                        Some(PreviewAction::Close) => outcome = FlowOutcome::Closed,
                        None => {}
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

/// Reads the header and first rows of a file that matches no layout, and the mapping saved for
/// files with the same header, on a worker.
fn prepare_mapping(
    db: &StoreOpener,
    path: &Path,
    ctx: &egui::Context,
) -> Result<Job<Result<MappingStart, String>>, String> {
    let db = db.clone();
    let path = path.to_owned();
    let wake = ctx.clone();
    Job::spawn(
        "Reading the columns",
        move |_progress| {
            let peek = crate::app::mappings::peek_file(&path, 5)?;
            let store = db.open().map_err(|error| error.to_string())?;
            let saved = crate::app::mappings::for_header(&store, &peek.signature)
                .map_err(|error| error.to_string())?;
            let guess = crate::app::mappings::guess(&peek.columns);
            let suggested_name = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(MappingStart {
                peek,
                saved,
                guess,
                suggested_name,
            })
        },
        move || wake.request_repaint(),
    )
    .map_err(|error| format!("cannot read the file's columns: {error}"))
}

/// Saves the mapping, then runs the dry run with it, on a worker.
fn start_with_mapping(
    db: &StoreOpener,
    request: ImportRequest,
    (name, signature, mapping): (String, String, crate::io::csv_import::ColumnMapping),
    clock: Clock,
    ctx: &egui::Context,
) -> Result<ImportJob, String> {
    let db = db.clone();
    let wake = ctx.clone();
    Job::spawn(
        "Checking the file",
        move |progress| {
            let mut store = db.open()?;
            crate::app::mappings::save(&mut store, &name, &signature, &mapping, &clock)?;
            run_import(&mut store, &request, &clock, progress)
        },
        move || wake.request_repaint(),
    )
    .map_err(|error| format!("cannot start the import: {error}"))
}

/// Progress and Cancel while a job runs; the job's result once it is done.
fn job_ui(ui: &mut Ui, job: &ImportJob, text: &str) -> Option<Result<ImportReport, ImportFailure>> {
    ui.add(
        egui::ProgressBar::new(job.progress.fraction())
            .show_percentage()
            .text(text),
    );
    if ui.button("Cancel").clicked() {
        job.progress.request_cancel();
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
    job.poll().map(|result| match result {
        Ok(inner) => inner,
        Err(message) => Err(ImportFailure::Store(crate::store::StoreError::Invalid(
            message,
        ))),
    })
}

/// "unambiguous", "DD/MM/YYYY (detected)", "MM/DD/YYYY (chosen)" (the rule lives in `io`).
pub fn date_format_text(format: DateFormat) -> String {
    crate::io::csv_import::date_format_text(format)
}

fn dry_run(
    kind: ImportKind,
    path: &Path,
    date_order: Option<DateOrder>,
    location: Option<String>,
) -> ImportRequest {
    ImportRequest {
        date_order,
        dry_run: true,
        location,
        ..ImportRequest::new(kind, path)
    }
}

fn imported_text(kind: ImportKind, path: &Path, report: &ImportReport) -> String {
    let left_out = if report.error_count() > 0 {
        format!("; {} rows with errors left out", report.error_count())
    } else {
        String::new()
    };
    if let Some(shop) = &report.storefront {
        return format!(
            "Imported {} from {}: {} new, {} changed, {} unchanged orders{left_out}",
            kind.label(),
            file_label(path),
            shop.orders_new,
            shop.orders_changed,
            shop.orders_unchanged
        );
    }
    format!(
        "Imported {} from {}: {} new, {} updated, {} unchanged, {} skipped{left_out}",
        kind.label(),
        file_label(path),
        report.new,
        report.updated,
        report.unchanged,
        report.summary.rows_skipped
    )
}
