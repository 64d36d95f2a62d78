//! The reorder settings: service levels by ABC class, order and holding costs, the history
//! window and the suggestion method.

use egui::{RichText, TextEdit, Ui};

use crate::app::safety::{SUGGESTION_METHODS, SafetySettings};
use crate::domain::abc::AbcClass;
use crate::domain::safety_stock::{Method, show};
use crate::domain::{format_cents, parse_money};
use crate::ui::shared::command::{AppCommand, ReorderCommand};
use crate::ui::shared::theme;

use super::ReorderScreen;

/// The settings as typed.
pub(super) struct SettingsForm {
    levels: [String; 3],
    order_cost: String,
    holding_pct: String,
    window_days: String,
    method: Method,
}

impl SettingsForm {
    pub(super) fn new(settings: &SafetySettings) -> Self {
        Self {
            levels: settings.service_level_pct.map(show),
            order_cost: format_cents(settings.order_cost_cents),
            holding_pct: show(settings.holding_pct),
            window_days: settings.window_days.to_string(),
            method: settings.method,
        }
    }

    pub(super) fn parse(&self) -> Result<SafetySettings, String> {
        let number = |label: &str, text: &str| -> Result<f64, String> {
            text.trim()
                .trim_end_matches('%')
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{label}: '{}' is not a number", text.trim()))
        };
        let mut levels = [0.0; 3];
        for (index, class) in AbcClass::ALL.iter().enumerate() {
            levels[index] = number(
                &format!("Service level {}", class.label()),
                &self.levels[index],
            )?;
        }
        let settings =
            SafetySettings {
                service_level_pct: levels,
                order_cost_cents: parse_money(&self.order_cost)
                    .map_err(|error| format!("Cost per order: {error}"))?,
                holding_pct: number("Holding cost", &self.holding_pct)?,
                window_days: self.window_days.trim().parse::<i64>().map_err(|_| {
                    format!("Demand window: '{}' is not whole days", self.window_days)
                })?,
                method: self.method,
            };
        settings.check()?;
        Ok(settings)
    }
}

impl ReorderScreen {
    pub(super) fn settings_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let settings = self
            .report
            .as_ref()
            .and_then(|r| r.settings)
            .unwrap_or_default();
        egui::CollapsingHeader::new("Reorder settings")
            .id_salt("reorder_settings")
            .show(ui, |ui| {
                let form = self
                    .settings_form
                    .get_or_insert_with(|| SettingsForm::new(&settings));
                egui::Grid::new("reorder_settings_grid")
                    .num_columns(8)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        for (index, class) in AbcClass::ALL.iter().enumerate() {
                            let label = ui.label(format!("Service level {} (%)", class.label()));
                            ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.levels[index]))
                            .labelled_by(label.id);
                        }
                        let label = ui.label("Method");
                        egui::ComboBox::from_id_salt("reorder_method")
                            .selected_text(form.method.label())
                            .width(230.0)
                            .show_ui(ui, |ui| {
                                for method in SUGGESTION_METHODS {
                                    ui.selectable_value(&mut form.method, method, method.label());
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Cost per order");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.order_cost))
                            .labelled_by(label.id);
                        let label = ui.label("Holding cost (% a year)");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.holding_pct))
                            .labelled_by(label.id);
                        let label = ui.label("Demand window (days)");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.window_days))
                            .labelled_by(label.id);
                        if ui.button("Save settings").clicked() {
                            match form.parse() {
                                Ok(parsed) => {
                                    self.settings_error = None;
                                    commands.push(AppCommand::Reorder(Box::new(
                                        ReorderCommand::SaveSettings(parsed),
                                    )));
                                }
                                Err(message) => self.settings_error = Some(message),
                            }
                        }
                        ui.end_row();
                    });
                if let Some(error) = &self.settings_error {
                    ui.colored_label(theme::ERROR, error);
                }
                ui.label(
                    RichText::new(
                        "Suggested quantity: order up to max stock (or reorder point + EOQ), at least the minimum order, in order multiples. EOQ = √(2 × annual demand × cost per order ÷ (unit cost × holding %))",
                    )
                    .small()
                    .color(theme::MUTED),
                );
            });
    }
}
