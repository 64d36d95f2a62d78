//! One purchase order's detail: its lines, receiving, the expected date (confirmed or moved)
//! and cancelling.

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, TextEdit, Ui};

use crate::app::clock::parse_iso_date;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm;
use crate::ui::shared::format;
use crate::ui::shared::widgets;

use super::PurchasingScreen;

impl PurchasingScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "one purchase order's detail drawn top to bottom in egui's immediate mode: lines, receiving, dates, history"
    )]
    pub(super) fn detail_ui(
        &mut self,
        ui: &mut Ui,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        let Some(detail) = &self.detail else {
            ui.label("This purchase order no longer exists");
            return;
        };
        let summary = &detail.summary;
        let open = summary.is_open();
        let formats = format::formats(ui.ctx());
        ui.add_space(4.0);
        if widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&summary.po_number).heading().strong());
            ui.label(RichText::new(summary.status_label()).strong());
        }) {
            self.detail_closed = true;
        }
        ui.label(format!(
            "{} · ordered {}",
            summary.supplier,
            formats.date(summary.ordered_at)
        ));
        ui.add_space(4.0);
        if open {
            // Wrapped: the row never widens the panel over the list.
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Expected arrival");
                ui.add(
                    TextEdit::singleline(&mut self.new_date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
                let asked = self.move_asked.as_deref() == Some(self.new_date.as_str());
                let verb = if asked {
                    "Move date anyway"
                } else {
                    "Move date"
                };
                if ui.button(verb).clicked() {
                    match parse_iso_date(&self.new_date) {
                        Ok(date) => {
                            match crate::domain::limits::expected_date_question(date, today) {
                                Some(question) if !asked => {
                                    self.move_asked = Some(self.new_date.clone());
                                    self.error = Some(format!(
                                        "{question}. Click \"Move date anyway\" to keep it"
                                    ));
                                }
                                _ => {
                                    self.move_asked = None;
                                    commands.push(AppCommand::MovePoDate {
                                        po_number: summary.po_number.clone(),
                                        date,
                                    });
                                }
                            }
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                let mut confirmed = summary.confirmed;
                if ui
                    .checkbox(&mut confirmed, "Confirmed by supplier")
                    .on_hover_text(
                        "A confirmed date gives customers a single day instead of a window",
                    )
                    .changed()
                {
                    commands.push(AppCommand::SetPoConfirmed(summary.po_id, confirmed));
                }
            });
        } else if let Some(expected) = summary.expected_at {
            ui.label(format!("Expected {}", formats.date(expected)));
        }
        ui.add_space(6.0);
        if open {
            ui.horizontal(|ui| {
                let label = ui.label("Arrival date");
                ui.add(
                    TextEdit::singleline(&mut self.arrival_date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
                if ui.button("Receive all").clicked() {
                    match parse_iso_date(&self.arrival_date) {
                        Ok(date) if date <= today => {
                            commands.push(AppCommand::AskFirst(confirm::Bulk::ReceiveAll {
                                po_number: summary.po_number.clone(),
                                date,
                            }));
                        }
                        Ok(_) => {
                            self.error = Some("The arrival date cannot be in the future".into());
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
            });
        }
        // The item's name takes what the other columns leave (measured: SKU, three counts and
        // the receive field with its button), so the lines fit the panel.
        let item_width = (ui.available_width() - 400.0).clamp(60.0, 170.0);
        egui::Grid::new("po_lines")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for header in ["SKU", "Item", "Ordered", "Received", "Open", ""] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for line in &detail.lines {
                    ui.label(&line.sku);
                    ui.allocate_ui_with_layout(
                        egui::vec2(item_width, 18.0),
                        Layout::left_to_right(Align::Center),
                        |ui| {
                            ui.add(egui::Label::new(&line.name).truncate())
                                .on_hover_text(&line.name)
                        },
                    );
                    ui.label(line.quantity.to_string());
                    ui.label(line.received_qty.to_string());
                    ui.label(line.open_quantity().to_string());
                    if open && line.open_quantity() > 0 {
                        let slot = if let Some(index) = self
                            .receive_quantities
                            .iter()
                            .position(|(id, _)| *id == line.po_line_id)
                        {
                            index
                        } else {
                            self.receive_quantities
                                .push((line.po_line_id, String::new()));
                            self.receive_quantities.len() - 1
                        };
                        ui.horizontal(|ui| {
                            let text = &mut self.receive_quantities[slot].1;
                            ui.add(
                                TextEdit::singleline(text)
                                    .hint_text("units")
                                    .desired_width(56.0),
                            );
                            if ui.small_button("Receive").clicked() {
                                match (
                                    text.trim().parse::<i64>(),
                                    parse_iso_date(&self.arrival_date),
                                ) {
                                    (Ok(units), Ok(date)) => commands.push(AppCommand::ReceivePo {
                                        po_number: summary.po_number.clone(),
                                        only: Some((line.sku.clone(), units)),
                                        date,
                                    }),
                                    (Err(_), _) => {
                                        self.error =
                                            Some(format!("{}: type the units received", line.sku));
                                    }
                                    (_, Err(message)) => self.error = Some(message),
                                }
                            }
                        });
                    } else {
                        ui.label(
                            line.received_at
                                .map(|d| format!("arrived {}", formats.date(d)))
                                .unwrap_or_default(),
                        );
                    }
                    ui.end_row();
                }
            });
        if !detail.date_changes.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Date changes").strong());
            for change in &detail.date_changes {
                let show = |d: Option<NaiveDate>| {
                    d.map_or_else(|| "not dated".to_owned(), |d| formats.date(d))
                };
                ui.label(format!(
                    "{}: {} → {}",
                    formats.stamp(&change.changed_on.to_string(), false),
                    show(change.old),
                    show(change.new)
                ));
            }
        }
        if open {
            ui.add_space(8.0);
            if ui.button("Cancel purchase order…").clicked() {
                self.confirm_cancel = Some((summary.po_id, summary.po_number.clone()));
            }
        }
    }
}
