//! The import preview: what the file holds, the checks on every row, the storefront's
//! settings, before anything is written.

use egui::{RichText, Ui};

use crate::app::import::{ImportReport, write_errors_csv};
use crate::ui::shared::file_dialog;
use crate::ui::shared::theme;

use super::{PreviewAction, date_format_text};

/// Errors listed in the preview; the rest are counted (all are in "Save errors as CSV…").
pub(super) const ERRORS_SHOWN: usize = 500;

/// The preview: what was found, the counts, the first rows, every note, warning and error;
/// for an inventory file with several locations, the location to take.
#[expect(
    clippy::too_many_lines,
    reason = "the import preview dialog drawn top to bottom in egui's immediate mode: file, checks, choices, buttons"
)]
pub(super) fn preview_ui(
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
                file_dialog::choose(
                    ui.ctx(),
                    file_dialog::FileRequest::save(
                        "import-errors",
                        file_dialog::FileKind::Export,
                        "Save import errors",
                        "import-errors.csv",
                    )
                    .filter("CSV", &["csv"]),
                )
            } else {
                // From the window's own file dialog, a few frames later.
                file_dialog::answer(ui.ctx(), "import-errors")
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
pub(super) fn preview_body_ui(ui: &mut Ui, report: &ImportReport) {
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
pub(super) fn storefront_ui(ui: &mut Ui, shop: &crate::app::import::StorefrontReport) {
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
