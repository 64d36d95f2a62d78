//! The command queue: screens push [`AppCommand`]s while drawing; after drawing, each runs here,
//! refused first when the shop is read-only or still being checked, then handed to the handler of
//! its group (one module per group).

mod backups;
mod cancel;
mod catalog;
mod messages;
mod orders;
mod purchasing;
mod shop;
mod transfer;
mod undo;

use crate::app::backup::READ_ONLY_REFUSAL;
use crate::ui::shared::command::AppCommand;
use crate::ui::shell::DeskApp;

impl DeskApp {
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
    }

    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        // The status line tells the outcome of this action only: what an earlier one said
        // (an error above all) goes.
        self.status = None;
        // A damaged file is read-only, but its writer may still put a backup back.
        let restoring = matches!(
            command,
            AppCommand::RestoreBackup(_) | AppCommand::ChooseBackupFile
        ) && self.can_restore();
        if self.is_read_only() && command.writes() && !restoring {
            self.refuse(&command, READ_ONLY_REFUSAL);
            return;
        }
        if self.daily_backup.is_some() && command.writes() {
            self.refuse(
                &command,
                "The shop file is still being checked (a large file, a few seconds after opening), so nothing was changed; try again in a moment.",
            );
            return;
        }
        match command {
            AppCommand::ChooseFileToOpen
            | AppCommand::ChooseNewFile
            | AppCommand::OpenFile(..)
            | AppCommand::LoadDemo
            | AppCommand::StartEmpty
            | AppCommand::OpenReadOnly(..)
            | AppCommand::Quit
            | AppCommand::SaveSettings(..)
            | AppCommand::OpenUserGuide => {
                self.shop_command(ctx, command);
            }
            AppCommand::ShowBackups
            | AppCommand::BackupNow
            | AppCommand::ChooseBackupFile
            | AppCommand::RestoreBackup(..)
            | AppCommand::CheckDatabase
            | AppCommand::RepairFromLedger => {
                self.backups_command(ctx, command);
            }
            AppCommand::ChooseImport(..)
            | AppCommand::ImportFile { .. }
            | AppCommand::UndoImport
            | AppCommand::ChooseExport(..) => {
                self.transfer_command(ctx, command);
            }
            AppCommand::SaveProduct { .. }
            | AppCommand::DeleteProduct(..)
            | AppCommand::AdjustStock { .. }
            | AppCommand::ShowProduct(..)
            | AppCommand::Reorder(..)
            | AppCommand::ApplyAdvice(..)
            | AppCommand::SetCutoff(..) => {
                self.catalog_command(command);
            }
            AppCommand::SetShipTo { .. }
            | AppCommand::PlaceOrder(..)
            | AppCommand::ShipOrder(..)
            | AppCommand::Payment(..)
            | AppCommand::ChangePriority(..)
            | AppCommand::PickList(..) => {
                self.orders_command(ctx, command);
            }
            AppCommand::CancelOversold(..)
            | AppCommand::KeepOversoldWaiting(..)
            | AppCommand::CancelOrder(..)
            | AppCommand::CancelLine(..) => {
                self.cancel_command(&command);
            }
            AppCommand::Message(..) | AppCommand::OpenMessage(..) => {
                self.messages_command(ctx, command);
            }
            AppCommand::CreatePo(..)
            | AppCommand::ReceivePo { .. }
            | AppCommand::MovePoDate { .. }
            | AppCommand::SetPoConfirmed(..)
            | AppCommand::CancelPo(..) => {
                self.purchasing_command(command);
            }
            AppCommand::AskFirst(..)
            | AppCommand::RunBulk { .. }
            | AppCommand::Undo
            | AppCommand::UndoConfirmed => {
                self.undo_command(command);
            }
        }
    }

    /// Tells why a change was not made in read-only mode (and closes the form that asked).
    pub(super) fn refuse(&mut self, command: &AppCommand, message: &str) {
        let message = message.to_owned();
        match command {
            AppCommand::SaveProduct { .. } => self.catalog.save_finished(Err(message.clone())),
            AppCommand::AdjustStock { .. } => self.catalog.adjust_finished(Err(message.clone())),
            AppCommand::PlaceOrder(..) => self.orders.place_finished(Err(message.clone())),
            AppCommand::CreatePo(..)
            | AppCommand::ReceivePo { .. }
            | AppCommand::MovePoDate { .. } => self.purchasing.finished(Err(message.clone())),
            AppCommand::SaveSettings(_) => {
                if let Some(dialog) = &mut self.settings {
                    dialog.error = Some(message.clone());
                }
            }
            _ => {}
        }
        self.set_status(message, true);
    }

    /// Shows the outcome of a command in the status line and refreshes the screens.
    pub(super) fn finish<E: std::fmt::Display>(&mut self, result: Result<String, E>) {
        match result {
            Ok(text) => {
                self.data_version += 1;
                self.set_status(text, false);
            }
            Err(error) => self.set_status(error.to_string(), true),
        }
    }
}
