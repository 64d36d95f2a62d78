//! The Settings view: sender, signature and SMTP server.

use egui::{RichText, TextEdit, Ui};

use crate::app::settings::check_setting;
use crate::io::smtp::Security;
use crate::store::Store;
use crate::store::settings::{SIGNATURE, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::theme;

use super::{MessagesScreen, SETTING_FIELDS};

impl MessagesScreen {
    pub(super) fn settings_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        commands: &mut Vec<AppCommand>,
    ) {
        egui::ScrollArea::vertical()
            .id_salt("message_settings")
            .auto_shrink([false, false])
            .show(ui, |ui| self.settings_form_ui(ui, store, version, commands));
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the message settings form drawn top to bottom in egui's immediate mode, one field after another"
    )]
    pub(super) fn settings_form_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        commands: &mut Vec<AppCommand>,
    ) {
        if self.settings_for != Some(version) {
            self.settings = SETTING_FIELDS
                .iter()
                .map(|(key, _)| (*key, store.setting(key).ok().flatten().unwrap_or_default()))
                .collect();
            self.settings_for = Some(version);
        }
        ui.label(
            RichText::new(
                "The signature under every message and the server that sends them. The shop's \
                 name, sender address, dates and consumer rule: File › Settings… (Ctrl+,).",
            )
            .color(theme::MUTED),
        );
        ui.add_space(6.0);
        let mut problems = Vec::new();
        egui::Grid::new("settings_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                for ((key, value), (_, title)) in self.settings.iter_mut().zip(SETTING_FIELDS) {
                    let label = ui.label(title);
                    match *key {
                        SIGNATURE => {
                            ui.add(
                                TextEdit::multiline(value)
                                    .desired_rows(3)
                                    .desired_width(360.0),
                            )
                            .labelled_by(label.id);
                        }
                        SMTP_SECURITY => {
                            ui.horizontal_wrapped(|ui| {
                                let current =
                                    Security::from_code(value.as_str()).unwrap_or_default();
                                for security in Security::ALL {
                                    if ui.radio(current == security, security.label()).clicked() {
                                        security.code().clone_into(value);
                                    }
                                }
                            });
                        }
                        _ => {
                            let hint = match *key {
                                SMTP_USER => "shop@example.com",
                                SMTP_HOST => "smtp.gmail.com",
                                SMTP_PORT => "587",
                                _ => "",
                            };
                            ui.add(
                                TextEdit::singleline(value)
                                    .hint_text(hint)
                                    .desired_width(360.0),
                            )
                            .labelled_by(label.id);
                        }
                    }
                    ui.end_row();
                    if let Err(problem) = check_setting(key, value) {
                        problems.push(problem);
                    }
                }
            });
        for problem in &problems {
            ui.colored_label(theme::ERROR, problem);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(problems.is_empty(), egui::Button::new("Save settings"))
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::SaveSettings(
                    self.settings.clone(),
                )));
            }
        });
        ui.add_space(10.0);
        ui.label(RichText::new("SMTP password").strong());
        ui.label(
            RichText::new(
                "Kept in the computer's keychain, never in the shop file; where there is no \
                 keychain it is asked once per session.",
            )
            .small()
            .color(theme::MUTED),
        );
        ui.horizontal(|ui| {
            let label = ui.label("Password");
            ui.add(
                TextEdit::singleline(&mut self.password_input)
                    .password(true)
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(
                    !self.password_input.is_empty(),
                    egui::Button::new("Keep password"),
                )
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::KeepPassword(
                    self.password_input.clone(),
                )));
            }
            if ui
                .button("Send test message")
                .on_hover_text("Saved settings only: sends a test to the sender address")
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::SendTest));
            }
        });
    }
}
