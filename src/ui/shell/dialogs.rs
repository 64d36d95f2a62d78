//! The shell's dialogs: a bulk action or undo to confirm, an import in progress, a file that could not be opened.

use std::path::PathBuf;

use egui::{Id, Modal, RichText};

use crate::ui::import::FlowOutcome;
use crate::ui::shared::actions::Action;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::{Answer, Asked};
use crate::ui::shared::theme;
use crate::ui::shell::reliability::{InUseChoice, in_use_ui};
use crate::ui::shell::{DeskApp, Dialog};

impl DeskApp {
    /// The open confirmation (bulk action or undo), and what its answer starts.
    pub(super) fn confirmation_ui(&mut self, ctx: &egui::Context) {
        let Some(confirmation) = &mut self.confirmation else {
            return;
        };
        match confirmation.ui(ctx) {
            Answer::Waiting => {}
            Answer::No => self.confirmation = None,
            Answer::Yes { tracking_number } => {
                let asked = confirmation.asked.clone();
                self.confirmation = None;
                self.commands.push(match asked {
                    Asked::Bulk(bulk) => AppCommand::RunBulk {
                        bulk,
                        tracking_number,
                    },
                    Asked::Undo => AppCommand::UndoConfirmed,
                });
            }
        }
    }

    /// A file dropped on the window is imported (its kind read from its header), and the
    /// running import's dialog is drawn.
    pub(super) fn import_ui(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next()
            && self.store.is_some()
            && !self.onboarding
        {
            self.commands
                .push(AppCommand::ImportFile { kind: None, path });
        }
        let Some(db) = self.store.as_ref().map(crate::store::Store::opener) else {
            return;
        };
        if let Some(flow) = &mut self.undo {
            match flow.ui(ctx, &db, self.clock) {
                FlowOutcome::Open => {}
                FlowOutcome::Closed => self.undo = None,
                FlowOutcome::Imported(text) => {
                    self.undo = None;
                    self.data_version += 1;
                    self.set_status(text, false);
                }
                FlowOutcome::Failed(message) => {
                    self.undo = None;
                    self.set_status(message, true);
                }
            }
        }
        let Some(flow) = &mut self.import else { return };
        match flow.ui(ctx, &db, self.clock) {
            FlowOutcome::Open => {}
            FlowOutcome::Closed => self.import = None,
            FlowOutcome::Imported(text) => {
                self.import = None;
                self.data_version += 1;
                self.set_status(text, false);
            }
            FlowOutcome::Failed(message) => {
                self.import = None;
                self.set_status(message, true);
            }
        }
    }

    pub(super) fn dialog_ui(&mut self, ctx: &egui::Context) {
        if let Some(Dialog::InUse { path, held }) = &self.dialog {
            let path = path.clone();
            match in_use_ui(ctx, &path, held) {
                Some(InUseChoice::ReadOnly) => {
                    self.dialog = None;
                    self.commands.push(AppCommand::OpenReadOnly(path));
                }
                Some(InUseChoice::Other) => {
                    self.dialog = None;
                    self.commands.push(AppCommand::ChooseFileToOpen);
                }
                None => {}
            }
            return;
        }
        if let Some(Dialog::Damaged { message }) = &self.dialog {
            let mut close = false;
            Modal::new(Id::unique("file_damaged")).show(ctx, |ui| {
                ui.set_width(480.0);
                ui.heading("The shop file is damaged");
                ui.add_space(4.0);
                ui.label(message);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(Action::RestoreBackup.label()).clicked() {
                        self.commands.push(AppCommand::ShowBackups);
                        close = true;
                    }
                    if ui.button("Keep it open read-only").clicked() {
                        close = true;
                    }
                });
            });
            if close {
                self.dialog = None;
            }
            return;
        }
        let Some(Dialog::OpenFailed {
            path,
            message,
            offer_read_only,
        }) = &self.dialog
        else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("open_failed")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Cannot open the shop file");
            ui.label(RichText::new(path.display().to_string()).color(theme::MUTED));
            ui.add_space(4.0);
            ui.label(message);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if *offer_read_only && ui.button("Open read-only").clicked() {
                    self.commands.push(AppCommand::OpenReadOnly(path.clone()));
                }
                if ui.button(Action::OpenFile.label()).clicked() {
                    self.commands.push(AppCommand::ChooseFileToOpen);
                }
                if ui.button(Action::NewFile.label()).clicked() {
                    self.commands.push(AppCommand::ChooseNewFile);
                }
                let dismiss = if self.store.is_some() {
                    "Keep current file"
                } else {
                    "Close"
                };
                if ui.button(dismiss).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.dialog = None;
        }
    }
}
