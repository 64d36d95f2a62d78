//! Backups: the list, writing one now, restoring one, checking the file and repairing from the ledger.

use crate::app::backup::{READ_ONLY_REFUSAL, backup_now, repair_from_ledger, size_text};
use crate::store::StoreError;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog::{FileKind, FileRequest};
use crate::ui::shell::{DeskApp, FileAction, SHELL_FILE, file_name};

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn backups_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::ShowBackups => {
                if let Some(store) = &self.store {
                    self.restore.show(store.path());
                }
            }
            AppCommand::BackupNow => {
                let Some(store) = &self.store else { return };
                match backup_now(store, None, &self.clock) {
                    Ok((path, size)) => {
                        let db = store.path().to_owned();
                        self.restore.refresh(&db);
                        self.set_status(
                            format!("Backup written: {} ({})", file_name(&path), size_text(size)),
                            false,
                        );
                    }
                    Err(error) => self.set_status(error.to_string(), true),
                }
            }
            AppCommand::ChooseBackupFile => {
                let Some(store) = &self.store else { return };
                let folder = crate::store::backup::backups_folder(store.path());
                let request = FileRequest::open(SHELL_FILE, FileKind::Backup, "Restore a backup")
                    .filter("Shop file", &["sqlite", "db", "sqlite3"])
                    .filter("All files", &["*"])
                    .directory(folder);
                self.choose_file(ctx, FileAction::RestoreBackup, request);
            }
            AppCommand::RestoreBackup(backup) => self.restore_backup(&backup),
            AppCommand::CheckDatabase => {
                let Some(store) = &self.store else { return };
                let opener = store.opener();
                self.check.start(ctx, opener);
            }
            AppCommand::RepairFromLedger => {
                let Some(store) = &mut self.store else { return };
                let opener = store.opener();
                let clock = self.clock;
                // A repair runs while no other copy has the file open.
                let result = match &mut self.lock {
                    Some(lock) => lock
                        .exclusively(|| repair_from_ledger(store, &clock))
                        .unwrap_or_else(|refused| Err(StoreError::Invalid(refused.to_string()))),
                    None => Err(StoreError::Invalid(READ_ONLY_REFUSAL.to_owned())),
                };
                match result {
                    Ok(report) => {
                        let text = format!(
                            "{}; the file before the repair is kept as {}",
                            report.summary(),
                            file_name(&report.backup)
                        );
                        self.data_version += 1;
                        self.check.repair_finished(text.clone());
                        self.set_status(text, false);
                        self.check.start(ctx, opener);
                    }
                    Err(error) => self.set_status(format!("Not repaired: {error}"), true),
                }
            }
            _ => {}
        }
    }
}
