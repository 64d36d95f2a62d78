//! The dashboard's toolbar: period, dates, scope and the projection's SKU.

use super::{DashboardScreen, ScopeKind};
use crate::app::clock::parse_iso_date;
use crate::domain::kpi::{PERIOD_PRESETS, Period, Scope};
use chrono::NaiveDate;
use egui::Ui;

impl DashboardScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the dashboard toolbar drawn left to right in egui's immediate mode: period, dates, scope, projection SKU"
    )]
    pub(super) fn toolbar_ui(&mut self, ui: &mut Ui, today: NaiveDate) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Period");
            for days in PERIOD_PRESETS {
                if ui
                    .selectable_label(self.preset == Some(days), format!("Last {days} days"))
                    .clicked()
                {
                    self.preset = Some(days);
                    self.input_error = None;
                }
            }
            if ui
                .selectable_label(self.preset.is_none(), "Custom")
                .clicked()
                && self.preset.is_some()
            {
                let period = self.period(today);
                self.from_text = period.from.to_string();
                self.to_text = period.to.to_string();
                self.custom = Some(period);
                self.preset = None;
            }
            if self.preset.is_none() {
                let from = ui.label("From");
                let from_edit = ui
                    .add(egui::TextEdit::singleline(&mut self.from_text).desired_width(90.0))
                    .labelled_by(from.id);
                let to = ui.label("To");
                let to_edit = ui
                    .add(egui::TextEdit::singleline(&mut self.to_text).desired_width(90.0))
                    .labelled_by(to.id);
                let entered = (from_edit.lost_focus() || to_edit.lost_focus())
                    && ui.input(|input| input.key_pressed(egui::Key::Enter));
                if ui.button("Apply").clicked() || entered {
                    let parsed = parse_iso_date(&self.from_text).and_then(|from| {
                        parse_iso_date(&self.to_text).and_then(|to| Period::new(from, to))
                    });
                    match parsed {
                        Ok(period) => {
                            self.custom = Some(period);
                            self.input_error = None;
                        }
                        Err(message) => self.input_error = Some(message),
                    }
                }
            }
            ui.separator();
            let show_label = ui.label("Show");
            let before = self.scope_kind;
            egui::ComboBox::from_id_salt("kpi_scope_kind")
                .selected_text(self.scope_kind.label())
                .show_ui(ui, |ui| {
                    for kind in ScopeKind::ALL {
                        ui.selectable_value(&mut self.scope_kind, kind, kind.label());
                    }
                })
                .response
                .labelled_by(show_label.id)
                .on_hover_text("Narrow the KPIs to one SKU, supplier or category");
            if before != self.scope_kind {
                self.scope_text.clear();
                if self.scope_kind == ScopeKind::All {
                    self.scope = Scope::All;
                }
            }
            match self.scope_kind {
                ScopeKind::All => {}
                ScopeKind::Sku => {
                    let label = ui.label("SKU");
                    let edit = ui
                        .add(egui::TextEdit::singleline(&mut self.scope_text).desired_width(110.0))
                        .labelled_by(label.id);
                    let entered =
                        edit.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    if ui.button("Filter").clicked() || entered {
                        let sku = self.scope_text.trim().to_owned();
                        self.scope = if sku.is_empty() {
                            Scope::All
                        } else {
                            Scope::Sku(sku)
                        };
                    }
                }
                ScopeKind::Supplier | ScopeKind::Category => {
                    let names = if self.scope_kind == ScopeKind::Supplier {
                        &self.suppliers
                    } else {
                        &self.categories
                    };
                    let mut chosen = self.scope_text.clone();
                    let name_label = ui.label(if self.scope_kind == ScopeKind::Supplier {
                        "Supplier"
                    } else {
                        "Category"
                    });
                    egui::ComboBox::from_id_salt("kpi_scope_name")
                        .selected_text(if chosen.is_empty() {
                            "Choose…"
                        } else {
                            chosen.as_str()
                        })
                        .show_ui(ui, |ui| {
                            for name in names {
                                ui.selectable_value(&mut chosen, name.clone(), name);
                            }
                        })
                        .response
                        .labelled_by(name_label.id);
                    if chosen != self.scope_text {
                        self.scope_text.clone_from(&chosen);
                        self.scope = if self.scope_kind == ScopeKind::Supplier {
                            Scope::Supplier(chosen)
                        } else {
                            Scope::Category(chosen)
                        };
                    }
                }
            }
        });
    }
}
