//! The Deadlines view: waiting lines under the shop's consumer rule, the answer dialog, and
//! the orders whose customer has no e-mail address.

use egui::{Align, Id, Layout, Modal, RichText, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use crate::app::deadlines::{CustomerAnswer, DeadlineRow, deadlines};
use crate::domain::legal::Stage;
use crate::domain::promise::{EtaWindow, format_day, format_window};
use crate::store::Store;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::{AnswerDialog, DeadlineColumn, Leave, MessagesScreen, WITHOUT_EMAIL_SHOWN};

/// Nothing due sorts last.
pub(super) fn due_key(row: &DeadlineRow) -> (bool, Option<chrono::NaiveDate>) {
    (row.deadline.due_by.is_none(), row.deadline.due_by)
}

impl MessagesScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the Deadlines view drawn top to bottom in egui's immediate mode: the rule, the table, the actions"
    )]
    pub(super) fn deadlines_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        today: chrono::NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        if self.deadlines_for != Some((version, today)) {
            match deadlines(store, today) {
                Ok((rule, rows)) => {
                    self.rule = rule;
                    self.deadlines = rows;
                }
                Err(error) => self.load_error = Some(format!("Cannot read deadlines: {error}")),
            }
            self.deadlines_for = Some((version, today));
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Rule: {}", self.rule.label())).strong());
            let overdue = self
                .deadlines
                .iter()
                .filter(|row| row.deadline.overdue(today))
                .count();
            let due = self
                .deadlines
                .iter()
                .filter(|row| row.deadline.stage != Stage::None)
                .count();
            ui.label(
                RichText::new(format!(
                    "{} waiting line(s); {due} need action, {overdue} overdue",
                    self.deadlines.len()
                ))
                .color(if overdue > 0 {
                    theme::ERROR
                } else {
                    theme::MUTED
                }),
            );
        });
        ui.label(
            RichText::new(
                "Next due first. A delay notice is due by the promised date; silence counts as \
                 consent only for a first notice under the US rule whose new date is at most 30 \
                 days later; otherwise the customer must say yes, or the order is cancelled and \
                 refunded (US) or the customer may terminate after an extra period (EU).",
            )
            .color(theme::MUTED),
        );
        ui.add_space(4.0);
        if self.deadlines.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("No line waits").heading());
            });
            return;
        }
        let formats = format::formats(ui.ctx());
        let style = formats.dates;
        let day = |d: Option<chrono::NaiveDate>| {
            d.map_or_else(|| "—".to_owned(), |d| format_day(d, style))
        };
        let window = |w: Option<EtaWindow>| {
            w.map_or_else(|| "date unknown".to_owned(), |w| format_window(w, style))
        };
        // The rows in the sort the headers chose (the rule's order: next due first).
        let sort = self.deadline_sort;
        let mut order: Vec<usize> = (0..self.deadlines.len()).collect();
        if sort.natural() == Some(true) {
            order.reverse();
        } else if sort.natural().is_none() {
            let rows = &self.deadlines;
            order.sort_by(|&a, &b| {
                let (a, b) = (&rows[a], &rows[b]);
                let by = match sort.column {
                    DeadlineColumn::Due => due_key(a).cmp(&due_key(b)),
                    DeadlineColumn::Order => a.order_number.cmp(&b.order_number),
                    DeadlineColumn::Customer => a
                        .customer_name
                        .to_lowercase()
                        .cmp(&b.customer_name.to_lowercase()),
                    DeadlineColumn::Sku => a.sku.cmp(&b.sku),
                    DeadlineColumn::Waits => a.waiting.cmp(&b.waiting),
                    DeadlineColumn::Promised => a.deadline.promised_by.cmp(&b.deadline.promised_by),
                    DeadlineColumn::Expected => {
                        a.eta.map(|w| (0, w.end)).cmp(&b.eta.map(|w| (0, w.end)))
                    }
                    DeadlineColumn::Stage => a.deadline.stage.label().cmp(b.deadline.stage.label()),
                };
                sort.apply(by)
            });
        }
        let keys = widgets::list_keys(ui.ctx());
        let mut scroll_to = None;
        if keys.step != 0
            && let Some((line_id, position)) = widgets::step_selection(
                order.iter().map(|&index| self.deadlines[index].line_id),
                self.deadline_selected,
                keys.step,
            )
        {
            self.deadline_selected = Some(line_id);
            scroll_to = Some(position);
        }
        if keys.escape {
            self.deadline_selected = None;
        }
        let rows = &self.deadlines;
        let selected = self.deadline_selected;
        let mut open = None;
        let mut answer = None;
        let mut clicked = None;
        if keys.enter
            && let Some(row) = selected.and_then(|id| rows.iter().find(|row| row.line_id == id))
        {
            match row.draft {
                Some(draft) => open = Some(Leave::Select(draft)),
                None if row.deadline.stage.needs_notice() => commands.push(AppCommand::Message(
                    MessageCommand::DraftNotice(row.order_id),
                )),
                None => answer = Some(row.order_number.clone()),
            }
        }
        let mut sort_clicked = self.deadline_sort;
        egui::ScrollArea::horizontal()
            .id_salt("deadlines_hscroll")
            .show(ui, |ui| {
                widgets::solid_scroll_bar(ui);
                let mut table = TableBuilder::new(ui)
                    .id_salt("deadlines_table")
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .cell_layout(Layout::left_to_right(Align::Center))
                    .auto_shrink([false, false]);
                if let Some(position) = scroll_to {
                    table = table.scroll_to_row(position, None);
                }
                table
                    .column(Column::initial(64.0).at_least(56.0))
                    .column(Column::initial(88.0).at_least(70.0))
                    .column(Column::initial(120.0).at_least(80.0).clip(true))
                    .column(Column::initial(88.0).at_least(60.0).clip(true))
                    .column(Column::initial(52.0).at_least(40.0))
                    .column(Column::initial(74.0).at_least(56.0))
                    .column(Column::initial(92.0).at_least(70.0))
                    .column(Column::initial(150.0).at_least(110.0).clip(true))
                    .column(Column::initial(90.0).at_least(70.0).clip(true))
                    .column(Column::remainder().at_least(180.0).resizable(false))
                    .header(theme::ROW_HEIGHT, |mut header| {
                        for (title, column) in [
                            ("Due", Some(DeadlineColumn::Due)),
                            ("Order", Some(DeadlineColumn::Order)),
                            ("Customer", Some(DeadlineColumn::Customer)),
                            ("SKU", Some(DeadlineColumn::Sku)),
                            ("Waits", Some(DeadlineColumn::Waits)),
                            ("Promised", Some(DeadlineColumn::Promised)),
                            ("Expected", Some(DeadlineColumn::Expected)),
                            ("Stage", Some(DeadlineColumn::Stage)),
                            ("Consent", None),
                            ("", None),
                        ] {
                            header.col(|ui| match column {
                                Some(column) => {
                                    sort_clicked.header_ui(
                                        ui,
                                        title,
                                        column,
                                        column == DeadlineColumn::Waits,
                                    );
                                }
                                None => {
                                    ui.label(RichText::new(title).strong());
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(theme::ROW_HEIGHT, order.len(), |mut row| {
                            let line = &rows[order[row.index()]];
                            row.set_selected(selected == Some(line.line_id));
                            let overdue = line.deadline.overdue(today);
                            let color = if overdue {
                                theme::ERROR
                            } else if line.deadline.stage == Stage::None {
                                theme::MUTED
                            } else {
                                theme::WARNING
                            };
                            row.col(|ui| {
                                ui.label(RichText::new(day(line.deadline.due_by)).color(color));
                            });
                            row.col(|ui| {
                                ui.label(&line.order_number);
                            });
                            row.col(|ui| {
                                ui.add(egui::Label::new(&line.customer_name).truncate())
                                    .on_hover_text(&line.customer_email);
                            });
                            row.col(|ui| {
                                ui.add(egui::Label::new(&line.sku).truncate())
                                    .on_hover_text(&line.name);
                            });
                            row.col(|ui| {
                                widgets::number_cell(ui, line.waiting.to_string());
                            });
                            row.col(|ui| {
                                ui.label(day(Some(line.deadline.promised_by)));
                            });
                            row.col(|ui| {
                                ui.label(window(line.eta));
                            });
                            row.col(|ui| {
                                let text = if overdue {
                                    format!("{} (overdue)", line.deadline.stage.label())
                                } else {
                                    line.deadline.stage.label().to_owned()
                                };
                                ui.add(
                                    egui::Label::new(RichText::new(text).color(color)).truncate(),
                                )
                                .on_hover_text(line.deadline.basis);
                            });
                            row.col(|ui| {
                                let text = match line.deadline.agreed_until {
                                    Some(until)
                                        if line.deadline.consent
                                            != crate::domain::legal::Consent::None =>
                                    {
                                        format!(
                                            "{} to {}",
                                            line.deadline.consent.label(),
                                            day(Some(until))
                                        )
                                    }
                                    _ => line.deadline.consent.label().to_owned(),
                                };
                                ui.add(egui::Label::new(text).truncate());
                            });
                            row.col(|ui| {
                                if let Some(draft) = line.draft {
                                    if ui.small_button("Open notice").clicked() {
                                        open = Some(Leave::Select(draft));
                                    }
                                } else if line.deadline.stage.needs_notice()
                                    && ui.small_button("Draft notice").clicked()
                                {
                                    commands.push(AppCommand::Message(
                                        MessageCommand::DraftNotice(line.order_id),
                                    ));
                                }
                                if ui
                                    .small_button("Answer…")
                                    .on_hover_text("Record the customer's answer: wait, or cancel")
                                    .clicked()
                                {
                                    answer = Some(line.order_number.clone());
                                }
                            });
                            if row.response().clicked() {
                                clicked = Some(line.line_id);
                            }
                        });
                    });
            });
        self.deadline_sort = sort_clicked;
        if clicked.is_some() {
            self.deadline_selected = clicked;
        }
        if let Some(leave) = open {
            self.go(leave);
        }
        if let Some(order_number) = answer {
            self.answer = Some(AnswerDialog {
                order_number,
                until: String::new(),
                error: None,
            });
        }
    }

    pub(super) fn answer_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(dialog) = &mut self.answer else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("customer_answer")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(format!(
                "The customer's answer for order {}",
                dialog.order_number
            ));
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label("Wait until");
                ui.add(
                    TextEdit::singleline(&mut dialog.until)
                        .hint_text("YYYY-MM-DD, or empty: the notice's date")
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            });
            if let Some(error) = &dialog.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Agreed to wait").clicked() {
                    let until = dialog.until.trim();
                    if until.is_empty() {
                        commands.push(AppCommand::Message(MessageCommand::Answer {
                            order_number: dialog.order_number.clone(),
                            answer: CustomerAnswer::Wait { until: None },
                        }));
                        close = true;
                    } else {
                        match crate::app::clock::parse_iso_date(until) {
                            Ok(date) => {
                                commands.push(AppCommand::Message(MessageCommand::Answer {
                                    order_number: dialog.order_number.clone(),
                                    answer: CustomerAnswer::Wait { until: Some(date) },
                                }));
                                close = true;
                            }
                            Err(error) => dialog.error = Some(error),
                        }
                    }
                }
                if ui
                    .button("Asked to cancel")
                    .on_hover_text(
                        "Cancels the waiting lines; their stock goes to the next customers",
                    )
                    .clicked()
                {
                    commands.push(AppCommand::Message(MessageCommand::Answer {
                        order_number: dialog.order_number.clone(),
                        answer: CustomerAnswer::Cancel,
                    }));
                    close = true;
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
            ui.label(
                RichText::new(
                    "\"Asked to cancel\" cancels the order's waiting lines and frees their stock.",
                )
                .small()
                .color(theme::MUTED),
            );
        });
        if close {
            self.answer = None;
        }
    }

    /// Orders whose customer has no e-mail address: no message is drafted for them.
    pub(super) fn without_email_ui(&self, ui: &mut Ui) {
        let shown: Vec<String> = self
            .without_email
            .iter()
            .take(WITHOUT_EMAIL_SHOWN)
            .map(|(number, customer)| format!("{number} ({customer})"))
            .collect();
        let more = if self.without_email.len() > WITHOUT_EMAIL_SHOWN {
            " and more"
        } else {
            ""
        };
        ui.colored_label(
            theme::WARNING,
            format!(
                "No e-mail address, so no messages are drafted for: {}{more}. Add the address on \
                 the order (Orders › order › Ship-to…) to draft them from then on.",
                shown.join(", ")
            ),
        );
        ui.separator();
    }
}
