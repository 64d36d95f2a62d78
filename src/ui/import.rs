//! Importing a file in the window: a dry run on a worker thread, a preview with every error,
//! then the import itself with a progress bar and Cancel. Also the export jobs.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText, Ui};

use super::mapping::{MappingAction, MappingStart, MappingStep};
use super::theme;
use crate::app::Clock;
use crate::app::export::{ExportKind, Exported, export};
use crate::app::import::{
    ImportFailure, ImportKind, ImportReport, ImportRequest, run_import, write_errors_csv,
};
use crate::app::jobs::Job;
use crate::app::undo::{UndoPlan, UndoReport, plan_undo, undo_import};
use crate::io::csv_import::{DateFormat, DateOrder, ImportError};
use crate::store::{Store, StoreOpener};

/// Errors listed in the preview; the rest are counted (all are in "Save errors as CSV…").
const ERRORS_SHOWN: usize = 500;

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
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
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

/// The preview: what was found, the counts, the first rows, every note, warning and error;
/// for an inventory file with several locations, the location to take.
#[expect(
    clippy::too_many_lines,
    reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
)]
fn preview_ui(
    ui: &mut Ui,
    report: &ImportReport,
    create_missing: bool,
    valid_only: &mut bool,
    message: &mut Option<String>,
) -> Option<PreviewAction> {
    let summary = &report.summary;
    let info = &summary.file;
    ui.label(RichText::new(report.headline()).strong());
    let layout = match &info.inventory {
        Some(shape) => format!("{} ({})", info.layout.label(), shape.label()),
        None => info.layout.label().to_owned(),
    };
    ui.label(
        RichText::new(format!(
            "{layout} · {} · delimiter {} · dates {}",
            info.encoding.label(),
            crate::io::csv_import::delimiter_label(info.delimiter),
            date_format_text(info.date_format)
        ))
        .color(theme::MUTED),
    );
    let mut answer = None;
    if report.locations.len() > 1 {
        ui.add_space(4.0);
        if report.needs_location() {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "This file holds stock for {} locations: choose the one this shop's stock is at",
                    report.locations.len()
                ),
            );
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Location:");
            for name in &report.locations {
                let selected = report.location.as_deref() == Some(name.as_str());
                if ui.radio(selected, name.as_str()).clicked() && !selected {
                    answer = Some(PreviewAction::Location(name.clone()));
                }
            }
        });
    }
    if !report.needs_location() {
        ui.label(format!(
            "{} rows: {} new, {} updated, {} unchanged, {} skipped, {} with errors",
            summary.rows_read,
            report.new,
            report.updated,
            report.unchanged,
            summary.rows_skipped,
            summary.rows_with_errors
        ));
        let skipped = report.skipped_text();
        if !skipped.is_empty() {
            ui.label(RichText::new(format!("Skipped: {skipped}")).color(theme::MUTED));
        }
    }
    if let Some(shop) = &report.storefront {
        storefront_ui(ui, shop);
    }
    if report.oversold_lines > 0 {
        ui.colored_label(
            theme::WARNING,
            format!(
                "{} line(s) of products that do not allow backorders were sold anyway: they are \
                 recorded and listed at the top of the Orders screen",
                report.oversold_lines
            ),
        );
    }
    if report.unknown_variants > 0 || (create_missing && !report.needs_location()) {
        let mut create = create_missing;
        if ui
            .checkbox(
                &mut create,
                "Add the variants the shop does not have as products",
            )
            .changed()
        {
            answer = Some(PreviewAction::CreateMissing(create));
        }
    }
    preview_body_ui(ui, report);
    if let Some(text) = message {
        ui.label(RichText::new(text.as_str()).color(theme::MUTED));
    }
    ui.add_space(6.0);
    // Ids of their own: what comes above changes with the file, the buttons stay the same.
    ui.push_id("import_preview_buttons", |ui| {
        ui.horizontal(|ui| {
            let has_errors = summary.rows_with_errors > 0;
            if has_errors {
                ui.checkbox(valid_only, "Import valid rows only");
            }
            let can_import = (report.new + report.updated + report.unchanged > 0
                || summary.rows_ok > 0)
                && report.nothing.is_none()
                && !report.needs_location()
                && (!has_errors || *valid_only);
            if ui
                .add_enabled(can_import, egui::Button::new("Import"))
                .on_disabled_hover_text(if report.needs_location() {
                    "Choose a location first"
                } else if has_errors {
                    "The file has errors: fix them, or choose to import the valid rows only"
                } else {
                    "Nothing to import"
                })
                .clicked()
            {
                answer = Some(PreviewAction::Import);
            }
            let asked = has_errors && ui.button("Save errors as CSV…").clicked();
            let chosen = if asked {
                super::file_dialog::choose(
                    ui.ctx(),
                    super::file_dialog::FileRequest::save(
                        "import-errors",
                        super::file_dialog::FileKind::Export,
                        "Save import errors",
                        "import-errors.csv",
                    )
                    .filter("CSV", &["csv"]),
                )
            } else {
                // From the window's own file dialog, a few frames later.
                super::file_dialog::answer(ui.ctx(), "import-errors")
            };
            if let Some(path) = chosen {
                *message = Some(match write_errors_csv(&path, &summary.errors) {
                    Ok(()) => format!("Errors saved to {}", path.display()),
                    Err(error) => format!("Could not save the errors: {error}"),
                });
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Some(PreviewAction::Close);
            }
        })
    });
    answer
}

/// Notes, the first rows, warnings and errors of the preview. The lists scroll in heights
/// that keep the dialog and its buttons on a small screen (1024×700 and up).
fn preview_body_ui(ui: &mut Ui, report: &ImportReport) {
    let summary = &report.summary;
    let screen = ui.ctx().content_rect().height();
    let share = |part: f32, least: f32, most: f32| (screen * part).clamp(least, most);
    if let Some(reason) = &report.nothing {
        ui.colored_label(theme::ERROR, format!("Nothing to import: {reason}"));
    }
    for note in &report.notes {
        ui.label(RichText::new(note.as_str()).color(theme::INFO));
    }
    ui.add_space(4.0);
    if !report.preview.is_empty() {
        ui.label(RichText::new("First rows as they will be stored").strong());
        egui::ScrollArea::both()
            .id_salt("import_preview_rows")
            .max_height(share(0.22, 90.0, 180.0))
            .show(ui, |ui| {
                egui::Grid::new("import_preview_grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for title in &report.preview_header {
                            ui.label(RichText::new(*title).strong());
                        }
                        ui.end_row();
                        for row in &report.preview {
                            for cell in row {
                                ui.label(cell);
                            }
                            ui.end_row();
                        }
                    });
            });
    }
    if !summary.warnings.is_empty() {
        egui::ScrollArea::vertical()
            .id_salt("import_warnings")
            .max_height(share(0.14, 60.0, 120.0))
            .show(ui, |ui| {
                for warning in &summary.warnings {
                    ui.colored_label(theme::WARNING, format!("warning: {warning}"));
                }
            });
    }
    let errors = summary.errors.len() as u64 + summary.errors_not_kept;
    if errors > 0 {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("{errors} errors"))
                .strong()
                .color(theme::ERROR),
        );
        egui::ScrollArea::vertical()
            .id_salt("import_errors")
            .max_height(share(0.18, 70.0, 160.0))
            .show(ui, |ui| {
                for error in summary.errors.iter().take(ERRORS_SHOWN) {
                    ui.label(error.to_string());
                }
                let more = errors.saturating_sub(ERRORS_SHOWN as u64);
                if more > 0 {
                    ui.label(format!(
                        "… and {more} more (save the errors to see them all)"
                    ));
                }
            });
    }
}

/// Orders new, changed (with what changed) and unchanged of a storefront's export.
fn storefront_ui(ui: &mut Ui, shop: &crate::app::import::StorefrontReport) {
    ui.label(format!(
        "Orders: {} new, {} changed, {} unchanged",
        shop.orders_new, shop.orders_changed, shop.orders_unchanged
    ));
    if !shop.changes.is_empty() {
        ui.label(RichText::new("What changed").strong());
        egui::ScrollArea::vertical()
            .id_salt("import_changes")
            .max_height(120.0)
            .show(ui, |ui| {
                for change in &shop.changes {
                    ui.label(format!(
                        "{}: {}",
                        change.order_number,
                        change.what.join("; ")
                    ));
                }
            });
    }
    if shop.confirmations > 0 {
        ui.label(format!(
            "{} backorder confirmation(s) will be drafted for orders of the last days",
            shop.confirmations
        ));
    }
}

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

type UndoJob = Job<Result<UndoReport, String>>;

enum UndoStage {
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
                            super::format::formats(ui.ctx()).stamp(&batch.imported_at, true),
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

fn start_undo(
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
fn undone_text(report: &UndoReport) -> String {
    format!(
        "Undid {}: {}",
        report.batch.label(),
        report.effects().join("; ")
    )
}
