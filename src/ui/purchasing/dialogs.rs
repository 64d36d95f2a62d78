//! The Purchase orders dialogs: confirming a cancellation, and New purchase order.

use egui::{Id, Key, Modal, TextEdit};

use crate::app::clock::parse_iso_date;
use crate::app::purchasing::PoInput;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;
use crate::ui::shared::widgets::{Confirm, confirm_ui};

use super::PurchasingScreen;

impl PurchasingScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the cancel confirmation and the New purchase order form drawn in egui's immediate mode, field after field"
    )]
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if let Some((po_id, number)) = &self.confirm_cancel {
            let body = format!(
                "The open units of {number} no longer count as on the way; waiting customers' dates are recalculated and changes are listed."
            );
            match confirm_ui(
                ctx,
                "confirm_cancel_po",
                "Cancel purchase order?",
                &body,
                "Cancel purchase order",
                "Keep it",
            ) {
                Confirm::Waiting => {}
                Confirm::Yes => {
                    commands.push(AppCommand::CancelPo(*po_id));
                    self.confirm_cancel = None;
                }
                Confirm::No => self.confirm_cancel = None,
            }
        }
        let Some(form) = &mut self.form else { return };
        let mut close = false;
        Modal::new(Id::unique("new_po")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("New purchase order");
            egui::Grid::new("new_po_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label("Supplier");
                    let shown = if form.new_supplier {
                        "New supplier…".to_owned()
                    } else if form.supplier.is_empty() {
                        "Choose a supplier".to_owned()
                    } else {
                        form.supplier.clone()
                    };
                    egui::ComboBox::from_id_salt("new_po_supplier")
                        .selected_text(shown)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            for name in &form.suppliers {
                                let chosen = !form.new_supplier && form.supplier == *name;
                                if ui.selectable_label(chosen, name).clicked() {
                                    form.supplier.clone_from(name);
                                    form.new_supplier = false;
                                }
                            }
                            ui.separator();
                            if ui
                                .selectable_label(form.new_supplier, "New supplier…")
                                .clicked()
                            {
                                form.new_supplier = true;
                                form.supplier.clear();
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    if form.new_supplier {
                        let label = ui.label("New supplier name");
                        ui.add(TextEdit::singleline(&mut form.supplier).desired_width(260.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                    let label = ui.label("Expected arrival");
                    ui.add(
                        TextEdit::singleline(&mut form.expected)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(120.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut form.confirmed, "Date confirmed by supplier");
                    ui.end_row();
                });
            form.lines.ui(ui, "new_po_lines");
            if let Some(error) = &form.error {
                ui.colored_label(theme::ERROR, error);
            }
            let asking = form
                .asked
                .as_ref()
                .filter(|(text, _)| *text == form.expected)
                .map(|(_, question)| question.clone());
            if let Some(question) = &asking {
                ui.colored_label(theme::WARNING, format!("{question}. Create it anyway?"));
            }
            ui.horizontal(|ui| {
                let create = if asking.is_some() {
                    "Create anyway"
                } else {
                    "Create"
                };
                if ui.button(create).clicked() {
                    let expected = if form.expected.trim().is_empty() {
                        Ok(None)
                    } else {
                        parse_iso_date(&form.expected).map(Some)
                    };
                    let question = expected.as_ref().ok().copied().flatten().and_then(|day| {
                        crate::domain::limits::expected_date_question(day, form.today)
                    });
                    match (expected, form.lines.parse()) {
                        (Err(message), _) | (_, Err(message)) => form.error = Some(message),
                        _ if form.supplier.trim().is_empty() => {
                            form.error = Some(if form.new_supplier {
                                "New supplier name: type the supplier's name".to_owned()
                            } else {
                                "Supplier: choose one from the list, or \"New supplier…\""
                                    .to_owned()
                            });
                        }
                        (Ok(_), Ok(_)) if question.is_some() && asking.is_none() => {
                            form.error = None;
                            form.asked = question.map(|q| (form.expected.clone(), q));
                        }
                        (Ok(expected_at), Ok(lines)) => {
                            commands.push(AppCommand::CreatePo(
                                Box::new(PoInput {
                                    po_number: String::new(),
                                    supplier: form.supplier.clone(),
                                    ordered_at: None,
                                    expected_at,
                                    confirmed: form.confirmed,
                                    lines: lines
                                        .into_iter()
                                        .map(|(sku, quantity)| (sku, quantity, None))
                                        .collect(),
                                }),
                                form.new_supplier,
                            ));
                        }
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if close {
            self.form = None;
        }
    }
}
