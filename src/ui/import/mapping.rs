//! The mapping step of an import: a file whose columns match no known layout (another
//! platform's orders) gets a column chosen for each field of the desk's order, with its first
//! rows shown, and the choice is saved under a name to be offered again for files with the same
//! header.

use egui::{RichText, Ui};

use crate::app::mappings::check;
use crate::domain::shop_orders::MappedField;
use crate::io::csv_import::{ColumnMapping, FilePeek};
use crate::ui::shared::theme;

/// Rows of the file shown under the choices.
const PREVIEW_ROWS: usize = 3;

/// What the file and the shop offer when the step opens.
#[derive(Debug, Clone)]
pub struct MappingStart {
    pub peek: FilePeek,
    /// A mapping saved for files with this header: its name and choices.
    pub saved: Option<(String, ColumnMapping)>,
    /// A first guess from the column names (when nothing was saved).
    pub guess: ColumnMapping,
    /// The name to suggest for a new mapping (the file's name).
    pub suggested_name: String,
}

/// What the shop decided.
pub enum MappingAction {
    /// Save the mapping under the name, then check the file with it.
    SaveAndCheck {
        name: String,
        mapping: ColumnMapping,
    },
    Cancel,
}

/// The state of the step.
pub struct MappingStep {
    start: MappingStart,
    mapping: ColumnMapping,
    name: String,
    error: Option<String>,
}

impl MappingStep {
    pub fn new(start: MappingStart) -> Self {
        let (name, mapping) = match &start.saved {
            Some((name, mapping)) => (name.clone(), mapping.clone()),
            None => (start.suggested_name.clone(), start.guess.clone()),
        };
        Self {
            start,
            mapping,
            name,
            error: None,
        }
    }

    /// The header signature of the file (saved with the mapping).
    pub fn signature(&self) -> &str {
        &self.start.peek.signature
    }

    /// Shows a message under the buttons (a failed save or check).
    pub fn set_error(&mut self, message: String) {
        self.error = Some(message);
    }

    fn column_index(&self, field: MappedField) -> Option<usize> {
        let column = self.mapping.column(field)?;
        self.start
            .peek
            .columns
            .iter()
            .position(|name| name == column)
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Option<MappingAction> {
        let mut action = None;
        match &self.start.saved {
            Some((name, _)) => {
                ui.label(
                    RichText::new(format!(
                        "The saved mapping “{name}” was made for files with these columns: check \
                         it and continue"
                    ))
                    .color(theme::OK),
                );
            }
            None => {
                ui.label(
                    "The columns of this file match no known layout. If it is an orders file of \
                     another platform, choose the column that holds each field (one row per \
                     line item); the choice is saved and offered again for files with the same \
                     columns.",
                );
            }
        }
        ui.add_space(4.0);
        let columns = self.start.peek.columns.clone();
        // The file as it is: its header and first rows, one line each.
        egui::ScrollArea::horizontal()
            .id_salt("mapping_raw_rows")
            .show(ui, |ui| {
                ui.label(RichText::new(columns.join(" | ")).strong().monospace());
                for row in self.start.peek.rows.iter().take(PREVIEW_ROWS) {
                    ui.label(
                        RichText::new(row.join(" | "))
                            .monospace()
                            .color(theme::MUTED),
                    );
                }
            });
        ui.add_space(6.0);
        // Two fields a row, so every field is in view.
        egui::Grid::new("mapping_grid")
            .num_columns(4)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (index, field) in MappedField::ALL.into_iter().enumerate() {
                    let text = if field.required() {
                        format!("{} *", field.label())
                    } else {
                        field.label().to_owned()
                    };
                    let label = ui.label(text);
                    let mut chosen = self.mapping.column(field).map(str::to_owned);
                    let before = chosen.clone();
                    egui::ComboBox::from_id_salt(("mapping_field", field.label()))
                        .width(170.0)
                        .height(420.0)
                        .selected_text(chosen.clone().unwrap_or_else(|| "—".to_owned()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut chosen, None, "—");
                            for column in &columns {
                                ui.selectable_value(
                                    &mut chosen,
                                    Some(column.clone()),
                                    column.as_str(),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if chosen != before {
                        self.mapping.set(field, chosen);
                        self.error = None;
                    }
                    if index % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
        ui.label(RichText::new("* required; also a SKU or an item name").color(theme::MUTED));
        self.preview_ui(ui);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let label = ui.label("Mapping name");
            ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(220.0))
                .labelled_by(label.id);
        });
        if let Some(error) = &self.error {
            ui.colored_label(theme::ERROR, error);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Save mapping and check the file").clicked() {
                match check(&self.name, &self.mapping, &self.start.peek.columns) {
                    Ok(()) => {
                        action = Some(MappingAction::SaveAndCheck {
                            name: self.name.trim().to_owned(),
                            mapping: self.mapping.clone(),
                        });
                    }
                    Err(error) => self.error = Some(error.to_string()),
                }
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                action = Some(MappingAction::Cancel);
            }
        });
        action
    }

    /// The first rows as the chosen columns read them.
    fn preview_ui(&self, ui: &mut Ui) {
        let chosen: Vec<(MappedField, usize)> = MappedField::ALL
            .into_iter()
            .filter_map(|field| self.column_index(field).map(|index| (field, index)))
            .collect();
        if chosen.is_empty() || self.start.peek.rows.is_empty() {
            return;
        }
        ui.add_space(4.0);
        ui.label(RichText::new("First rows as they will be read").strong());
        egui::ScrollArea::horizontal()
            .id_salt("mapping_preview")
            .show(ui, |ui| {
                egui::Grid::new("mapping_preview_grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for (field, _) in &chosen {
                            ui.label(RichText::new(field.label()).color(theme::MUTED));
                        }
                        ui.end_row();
                        for row in self.start.peek.rows.iter().take(PREVIEW_ROWS) {
                            for (_, index) in &chosen {
                                ui.label(row.get(*index).map_or("", String::as_str));
                            }
                            ui.end_row();
                        }
                    });
            });
    }
}
