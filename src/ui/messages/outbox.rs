//! The Outbox and Sent lists and the message editor beside them.

use egui::{RichText, TextEdit, Ui};

use crate::app::notify::recipient_problem;
use crate::domain::notify::MessageKind;
use crate::store::Store;
use crate::store::messages::{Message, MessageStatus};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::{Editor, Leave, MessageColumn, MessagesScreen};

impl MessagesScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the Outbox and Sent lists drawn top to bottom in egui's immediate mode: toolbar, table, selection"
    )]
    pub(super) fn outbox_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        commands: &mut Vec<AppCommand>,
        drafts: bool,
    ) {
        let list = if drafts { &self.drafts } else { &self.history };
        if list.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                if drafts {
                    ui.label(RichText::new("No drafts").heading());
                    ui.label(
                        "Drafts appear here when an order waits, a promised date slips, stock \
                         arrives for waiting lines or something is cancelled.",
                    );
                } else {
                    ui.label(RichText::new("Nothing sent yet").heading());
                }
            });
            return;
        }
        if self
            .selected
            .is_none_or(|id| list.iter().all(|m| m.message_id != id))
        {
            self.selected = list.first().map(|m| m.message_id);
            self.editor = None;
        }
        let mut clicked = None;
        let mut send_all = None;
        let formats = format::formats(ui.ctx());
        // The list as shown: by kind, each kind in the chosen sort.
        let sort = self.message_sort;
        let when = |message: &Message| -> String {
            message
                .sent_at
                .clone()
                .unwrap_or_else(|| message.updated_at.clone())
        };
        let mut shown: Vec<&Message> = Vec::with_capacity(list.len());
        for kind in MessageKind::ALL {
            let mut of_kind: Vec<&Message> = list.iter().filter(|m| m.kind == Some(kind)).collect();
            if sort.natural() == Some(true) {
                of_kind.reverse();
            } else if sort.natural().is_none() {
                of_kind.sort_by(|a, b| {
                    let by = match sort.column {
                        MessageColumn::Date => when(a).cmp(&when(b)),
                        MessageColumn::Order => a.order_number.cmp(&b.order_number),
                        MessageColumn::Customer => a
                            .recipient_name
                            .to_lowercase()
                            .cmp(&b.recipient_name.to_lowercase()),
                    };
                    sort.apply(by)
                });
            }
            shown.extend(of_kind);
        }
        let keys = widgets::list_keys(ui.ctx());
        if keys.step != 0
            && let Some((id, _)) = widgets::step_selection(
                shown.iter().map(|m| m.message_id),
                self.selected,
                keys.step,
            )
        {
            clicked = Some(id);
        }
        let mut new_sort = sort;
        egui::Panel::left(if drafts { "outbox_list" } else { "sent_list" })
            .resizable(true)
            .default_size(380.0)
            .min_size(260.0)
            .max_size((ui.available_width() * 0.5).max(260.0))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Sort by").color(theme::MUTED));
                    new_sort.header_ui(ui, "Date", MessageColumn::Date, false);
                    new_sort.header_ui(ui, "Order", MessageColumn::Order, false);
                    new_sort.header_ui(ui, "Customer", MessageColumn::Customer, false);
                });
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for kind in MessageKind::ALL {
                            let of_kind: Vec<&Message> = shown
                                .iter()
                                .copied()
                                .filter(|m| m.kind == Some(kind))
                                .collect();
                            if of_kind.is_empty() {
                                continue;
                            }
                            ui.add_space(4.0);
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(format!("{} ({})", kind.label(), of_kind.len()))
                                        .strong(),
                                );
                                if drafts {
                                    let sendable: Vec<i64> = of_kind
                                        .iter()
                                        .filter(|m| recipient_problem(m).is_none())
                                        .map(|m| m.message_id)
                                        .collect();
                                    if ui
                                        .add_enabled(
                                            !sendable.is_empty(),
                                            egui::Button::new(format!(
                                                "Send all ({})",
                                                sendable.len()
                                            ))
                                            .small(),
                                        )
                                        .on_hover_text(format!(
                                            "Send every {} through the SMTP server",
                                            kind.label().to_lowercase()
                                        ))
                                        .clicked()
                                    {
                                        send_all = Some(sendable);
                                    }
                                }
                            });
                            for message in of_kind {
                                let selected = self.selected == Some(message.message_id);
                                let mut text = format!(
                                    "{} · {}",
                                    message.order_number, message.recipient_name
                                );
                                if !drafts {
                                    text.push_str(&format!(
                                        " · {} {}",
                                        message.status.label().to_lowercase(),
                                        formats.stamp(&when(message), false)
                                    ));
                                }
                                if drafts && message.send_error.is_some() {
                                    text.push_str(" · not sent");
                                }
                                let response = ui.selectable_label(selected, text);
                                if selected && keys.step != 0 {
                                    response.scroll_to_me(None);
                                }
                                if response.clicked() {
                                    clicked = Some(message.message_id);
                                }
                            }
                        }
                    });
            });
        self.message_sort = new_sort;
        if let Some(ids) = send_all {
            // Unsaved edits go first, so what is sent is what is on screen.
            for command in self.save_commands() {
                commands.push(AppCommand::Message(command));
            }
            if let Some(editor) = &mut self.editor {
                editor.dirty = false;
            }
            commands.push(AppCommand::Message(MessageCommand::Send(ids)));
        }
        if let Some(id) = clicked
            && self.selected != Some(id)
        {
            self.go(Leave::Select(id));
            return;
        }
        let Some(message) = self
            .selected
            .and_then(|id| list.iter().find(|m| m.message_id == id))
            .cloned()
        else {
            return;
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.message_ui(ui, store, &message, commands);
        });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the message editor drawn top to bottom in egui's immediate mode: recipient, subject, body, actions"
    )]
    pub(super) fn message_ui(
        &mut self,
        ui: &mut Ui,
        _store: &Store,
        message: &Message,
        commands: &mut Vec<AppCommand>,
    ) {
        let editable = message.status == MessageStatus::Draft;
        if self
            .editor
            .as_ref()
            .is_none_or(|e| e.id != message.message_id)
        {
            self.editor = Some(Editor {
                id: message.message_id,
                recipient: message.recipient.clone(),
                subject: message.subject.clone(),
                body: message.body.clone(),
                dirty: false,
            });
        }
        let Some(editor) = &mut self.editor else {
            return;
        };
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(message.kind.map_or(message.kind_id.as_str(), |k| k.label()))
                    .heading()
                    .strong(),
            );
            ui.label(RichText::new(format!("order {}", message.order_number)).color(theme::MUTED));
            if !editable {
                ui.label(RichText::new(message.status.label()).strong());
            }
        });
        // The saved address decides what can be done; an edit is checked when it is saved.
        let problem = recipient_problem(message);
        let mut to_changed = false;
        ui.horizontal(|ui| {
            let label = ui.label("To");
            if editable {
                ui.label(&message.recipient_name);
                to_changed = ui
                    .add(
                        TextEdit::singleline(&mut editor.recipient)
                            .hint_text("customer@example.com")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id)
                    .changed();
            } else {
                ui.label(format!(
                    "{} <{}>",
                    message.recipient_name,
                    message.recipient.escape_debug()
                ));
            }
        });
        if editable && let Some(problem) = &problem {
            ui.colored_label(theme::ERROR, problem);
        }
        if editable && let Some(error) = &message.send_error {
            ui.colored_label(theme::ERROR, format!("Not sent: {error}"));
        }
        if message.status == MessageStatus::Superseded {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "Superseded: {}",
                    crate::domain::promise::localize_dates(
                        message
                            .status_reason
                            .as_deref()
                            .unwrap_or("a newer draft took its place"),
                        crate::ui::shared::format::formats(ui.ctx()).dates
                    )
                ),
            );
        }
        let label = ui.label("Subject");
        let subject = ui.add_enabled(
            editable,
            TextEdit::singleline(&mut editor.subject).desired_width(f32::INFINITY),
        );
        let subject = subject.labelled_by(label.id);
        let label = ui.label("Message");
        let body_height = (ui.available_height() - 60.0).max(120.0);
        let body = egui::ScrollArea::vertical()
            .max_height(body_height)
            .show(ui, |ui| {
                ui.add_enabled(
                    editable,
                    TextEdit::multiline(&mut editor.body)
                        .desired_width(f32::INFINITY)
                        .desired_rows(18),
                )
                .labelled_by(label.id)
            })
            .inner;
        if subject.changed() || body.changed() || to_changed {
            editor.dirty = true;
        }
        let sendable = problem.is_none();
        let unsendable = "Correct the To address and save the draft first";
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            let id = message.message_id;
            let mut push = |command| commands.push(AppCommand::Message(command));
            if editable {
                // Every action works on what is on screen: unsaved edits are saved first.
                let save_first = |push: &mut dyn FnMut(MessageCommand), editor: &Editor| {
                    if editor.dirty {
                        push(MessageCommand::SaveEdit {
                            id,
                            recipient: editor.recipient.clone(),
                            subject: editor.subject.clone(),
                            body: editor.body.clone(),
                        });
                    }
                };
                if ui
                    .add_enabled(sendable, egui::Button::new("Send"))
                    .on_hover_text("Send it through the SMTP server in Settings")
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::Send(vec![id]));
                }
                if ui
                    .add_enabled(editor.dirty, egui::Button::new("Save changes"))
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                }
                if ui
                    .button("Copy")
                    .on_hover_text("Subject and message to the clipboard")
                    .clicked()
                {
                    ui.ctx()
                        .copy_text(format!("Subject: {}\n\n{}", editor.subject, editor.body));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Save as .eml…"))
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::SaveEml(id));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Open in mail program"))
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::OpenInMailProgram(id));
                }
                if ui.button("Mark as sent").clicked() {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::MarkSent(id));
                }
                if ui
                    .button("Discard draft")
                    .on_hover_text("Kept under Sent & discarded; can be restored")
                    .clicked()
                {
                    push(MessageCommand::Discard(id));
                }
            } else {
                if ui.button("Copy").clicked() {
                    ui.ctx()
                        .copy_text(format!("Subject: {}\n\n{}", editor.subject, editor.body));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Save as .eml…"))
                    .clicked()
                {
                    push(MessageCommand::SaveEml(id));
                }
                if message.status == MessageStatus::Discarded
                    && ui.button("Restore to Outbox").clicked()
                {
                    push(MessageCommand::Restore(id));
                }
                if let Some(sent) = &message.sent_at {
                    ui.label(RichText::new(format!("Sent {sent}")).color(theme::MUTED));
                }
                if let Some(id) = &message.message_id_header {
                    ui.label(
                        RichText::new(format!("Message-ID {id}"))
                            .small()
                            .color(theme::MUTED),
                    );
                }
            }
        });
    }
}
