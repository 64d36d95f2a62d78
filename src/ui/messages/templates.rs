//! The Templates view: one template per message kind, with a live preview.

use egui::{RichText, TextEdit, Ui};

use crate::app::notify::{preview, template_source};
use crate::domain::notify::MessageKind;
use crate::store::Store;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::theme;

use super::MessagesScreen;

impl MessagesScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the Templates view drawn in egui's immediate mode: the kind list, the source and its live preview"
    )]
    pub(super) fn templates_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        commands: &mut Vec<AppCommand>,
    ) {
        let editor = &mut self.template;
        ui.horizontal(|ui| {
            let label = ui.label("Template");
            let before = editor.kind;
            egui::ComboBox::from_id_salt("template_kind")
                .selected_text(editor.kind.label())
                .show_ui(ui, |ui| {
                    for kind in MessageKind::ALL {
                        ui.selectable_value(&mut editor.kind, kind, kind.label());
                    }
                })
                .response
                .labelled_by(label.id);
            if before != editor.kind {
                editor.loaded = false;
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(
                    "First line: Subject: …  Placeholders: {{ customer.name }}, {{ order.number }}, \
                     {{ order.date }}, {{ order.amount }}, {% for line in lines %} {{ line.sku }} {{ line.name }} \
                     {{ line.quantity }} {{ line.quantity_waiting }} {{ line.badge }} {{ line.eta }} \
                     {{ line.eta_start }} {{ line.eta_end }} {{ line.ship_by }} {{ line.old_eta }} \
                     {{ line.reason }} {% endfor %}, {{ shop.name }}, {{ shop.signature }}; delay \
                     notices: {{ notice.silence_is_consent }} {{ notice.answer_needed }} \
                     {{ notice.answer_by }} {{ notice.cancelled_without_answer }} {{ notice.renewed }} \
                     {{ notice.no_date }}",
                )
                .color(theme::MUTED),
            );
        });
        if !editor.loaded {
            editor.source = template_source(store.connection(), editor.kind)
                .unwrap_or_else(|_| editor.kind.default_template().to_owned());
            editor.loaded = true;
            editor.dirty = false;
            editor.preview_of = None;
        }
        if editor.preview_of.as_deref() != Some(editor.source.as_str()) {
            editor.preview = preview(store, editor.kind, &editor.source).map_err(|e| match e {
                crate::app::notify::NotifyError::Template(error) => error.to_string(),
                other => other.to_string(),
            });
            editor.preview_of = Some(editor.source.clone());
        }
        ui.add_space(4.0);
        let kind = editor.kind;
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            let label = ui.label(RichText::new("Template").strong());
            egui::ScrollArea::vertical()
                .id_salt("template_source")
                .max_height(ui.available_height() - 70.0)
                .show(ui, |ui| {
                    let response = ui
                        .add(
                            TextEdit::multiline(&mut editor.source)
                                .code_editor()
                                .desired_width(f32::INFINITY)
                                .desired_rows(24),
                        )
                        .labelled_by(label.id);
                    if response.changed() {
                        editor.dirty = true;
                    }
                });
            match &editor.preview {
                Err(error) => {
                    ui.colored_label(theme::ERROR, format!("Template error: {error}"));
                    ui.label(
                        RichText::new(
                            "It cannot be saved until it works; the saved one stays in use.",
                        )
                        .color(theme::MUTED),
                    );
                }
                Ok(_) => {
                    ui.label(RichText::new("The template works.").color(theme::OK));
                }
            }
            ui.horizontal(|ui| {
                let can_save = editor.dirty && editor.preview.is_ok();
                if ui
                    .add_enabled(can_save, egui::Button::new("Save template"))
                    .clicked()
                {
                    commands.push(AppCommand::Message(MessageCommand::SaveTemplate {
                        kind,
                        source: editor.source.clone(),
                    }));
                    editor.dirty = false;
                }
                if ui
                    .add_enabled(editor.dirty, egui::Button::new("Undo changes"))
                    .clicked()
                {
                    editor.loaded = false;
                }
                if ui.button("Use the default").clicked() {
                    commands.push(AppCommand::Message(MessageCommand::ResetTemplate(kind)));
                    editor.loaded = false;
                }
            });
            let ui = &mut columns[1];
            ui.label(RichText::new("Preview on a sample order").strong());
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width() - 2.0 * ui.spacing().item_spacing.x);
                egui::ScrollArea::vertical()
                    .id_salt("template_preview")
                    .show(ui, |ui| match &editor.preview {
                        Ok(rendered) => {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("Subject: {}", rendered.subject))
                                        .strong(),
                                )
                                .wrap(),
                            );
                            ui.add_space(6.0);
                            // Read-only text keeps the template's spacing exactly.
                            let mut body = rendered.body.as_str();
                            ui.add(
                                TextEdit::multiline(&mut body)
                                    .frame(egui::Frame::NONE)
                                    .desired_width(f32::INFINITY),
                            );
                        }
                        Err(_) => {
                            ui.label(
                                RichText::new("No preview while the template has an error")
                                    .color(theme::MUTED),
                            );
                        }
                    });
            });
        });
    }
}
