//! File > Restore backup…, Help > Check database…, and the "file in use" dialog.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText, Ui};

use crate::app::backup::{CheckReport, check_database, size_text};
use crate::app::jobs::Job;
use crate::store::StoreOpener;
use crate::store::backup::{BackupFile, list_backups};
use crate::store::lock::HeldLock;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;

/// When a backup was made, in the shop's date style with its weekday and time.
fn made_text(
    made_at: chrono::NaiveDateTime,
    formats: &crate::app::settings::ShopFormats,
) -> String {
    format!(
        "{} {} {}",
        made_at.format("%a"),
        formats.date(made_at.date()),
        made_at.format("%H:%M:%S")
    )
}

/// The list of backups with a confirmation before one replaces the shop.
#[derive(Default)]
pub struct RestoreWindow {
    open: bool,
    backups: Vec<BackupFile>,
    error: Option<String>,
    /// The backup waiting for "Restore" in the confirmation.
    confirm: Option<(PathBuf, String)>,
}

impl RestoreWindow {
    /// Opens the window with the backups of `db_path`, newest first.
    pub fn show(&mut self, db_path: &Path) {
        self.open = true;
        self.confirm = None;
        self.refresh(db_path);
    }

    pub fn refresh(&mut self, db_path: &Path) {
        match list_backups(db_path) {
            Ok(backups) => {
                self.backups = backups;
                self.error = None;
            }
            Err(error) => {
                self.backups.clear();
                self.error = Some(format!("Cannot list the backups: {error}"));
            }
        }
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn close(&mut self) {
        self.open = false;
        self.confirm = None;
    }

    /// Asks to restore a file chosen outside the list.
    pub fn confirm_file(&mut self, path: PathBuf) {
        let label = path.display().to_string();
        self.open = true;
        self.confirm = Some((path, label));
    }

    pub fn ui(&mut self, ctx: &egui::Context, read_only: bool, commands: &mut Vec<AppCommand>) {
        if !self.open {
            return;
        }
        if let Some((path, label)) = self.confirm.clone() {
            Modal::new(Id::unique("restore_confirm")).show(ctx, |ui| {
                ui.set_width(480.0);
                ui.heading("Restore this backup?");
                ui.add_space(4.0);
                ui.label(format!(
                    "The shop file will be replaced by the backup of {label}. The file as it is now is backed up first, so this can be undone by restoring that one."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        commands.push(AppCommand::RestoreBackup(path.clone()));
                        self.close();
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm = None;
                    }
                });
            });
            return;
        }
        let mut keep_open = true;
        Modal::new(Id::unique("restore_backup")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("Restore backup");
            ui.label(
                RichText::new(
                    "Backups are written before every import, update of the file and bulk action, and on the first start of each day. The newest 10 are kept, plus the newest of each month.",
                )
                .color(theme::MUTED),
            );
            ui.add_space(6.0);
            if let Some(error) = &self.error {
                ui.colored_label(theme::ERROR, error);
            }
            if self.backups.is_empty() && self.error.is_none() {
                ui.label("There are no backups yet.");
            } else {
                self.table_ui(ui, read_only);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!read_only, egui::Button::new("Back up now"))
                    .clicked()
                {
                    commands.push(AppCommand::BackupNow);
                }
                if ui
                    .add_enabled(!read_only, egui::Button::new("Other file…"))
                    .clicked()
                {
                    commands.push(AppCommand::ChooseBackupFile);
                }
                if ui.button("Close").clicked() {
                    keep_open = false;
                }
            });
            if read_only {
                ui.label(
                    RichText::new("The shop is open read-only: a backup cannot be restored now.")
                        .color(theme::WARNING),
                );
            }
        });
        if !keep_open {
            self.close();
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, read_only: bool) {
        let formats = format::formats(ui.ctx());
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                egui::Grid::new("backups")
                    .num_columns(4)
                    .striped(true)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| {
                        ui.label(RichText::new("Made").strong());
                        ui.label(RichText::new("Why").strong());
                        ui.label(RichText::new("Size").strong());
                        ui.label("");
                        ui.end_row();
                        for (index, backup) in self.backups.iter().enumerate() {
                            ui.label(made_text(backup.made_at, &formats))
                                .on_hover_text(backup.file_name());
                            ui.label(backup.reason.label());
                            ui.label(size_text(backup.size_bytes));
                            if ui
                                .add_enabled(!read_only, egui::Button::new("Restore…"))
                                .clicked()
                            {
                                chosen = Some(index);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(backup) = chosen.and_then(|index| self.backups.get(index)) {
            let label = format!(
                "{} ({})",
                made_text(backup.made_at, &formats),
                backup.reason.label().to_lowercase()
            );
            self.confirm = Some((backup.path.clone(), label));
        }
    }
}

type CheckJob = Job<Result<CheckReport, String>>;

/// Help > Check database…: runs the checks on a worker, shows what they found, offers the
/// repair.
#[derive(Default)]
pub struct CheckWindow {
    open: bool,
    job: Option<CheckJob>,
    report: Option<Result<CheckReport, String>>,
    /// What the last repair did.
    repaired: Option<String>,
}

impl CheckWindow {
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Starts the checks on a connection of their own, read-only.
    pub fn start(&mut self, ctx: &egui::Context, opener: StoreOpener) {
        self.open = true;
        self.report = None;
        let wake = ctx.clone();
        let job = Job::spawn(
            "Check database",
            move |_progress| {
                let store = opener.open_read_only().map_err(|e| e.to_string())?;
                check_database(&store).map_err(|e| e.to_string())
            },
            move || wake.request_repaint(),
        );
        match job {
            Ok(job) => self.job = Some(job),
            Err(error) => self.report = Some(Err(format!("Cannot start the check: {error}"))),
        }
    }

    pub fn repair_finished(&mut self, text: String) {
        self.repaired = Some(text);
    }

    /// Work that must happen even when nothing is drawn.
    pub fn poll(&mut self) {
        if let Some(job) = &self.job
            && let Some(result) = job.poll()
        {
            self.job = None;
            self.report = Some(result.and_then(|inner| inner));
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, read_only: bool, commands: &mut Vec<AppCommand>) {
        if !self.open {
            return;
        }
        let mut keep_open = true;
        Modal::new(Id::unique("check_database")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Check database");
            ui.add_space(4.0);
            if let Some(text) = &self.repaired {
                ui.colored_label(theme::OK, text);
            }
            match &self.report {
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Checking the shop file…");
                    });
                }
                Some(Err(message)) => {
                    ui.colored_label(theme::ERROR, message);
                }
                Some(Ok(report)) => {
                    let headline = if report.is_ok() {
                        RichText::new("Everything is in order").color(theme::OK)
                    } else {
                        RichText::new("Problems found").color(theme::ERROR)
                    };
                    ui.label(headline.strong());
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for line in report.lines() {
                                ui.label(line);
                            }
                        });
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let can_repair = matches!(&self.report, Some(Ok(report)) if report.can_repair());
                if can_repair
                    && ui
                        .add_enabled(
                            !read_only,
                            egui::Button::new("Repair cached values from the ledger"),
                        )
                        .on_hover_text(
                            "Sets on hand to the sum of the stock ledger and re-allocates reservations, in one transaction, after a backup",
                        )
                        .clicked()
                {
                    commands.push(AppCommand::RepairFromLedger);
                }
                if ui
                    .add_enabled(self.job.is_none(), egui::Button::new("Check again"))
                    .clicked()
                {
                    commands.push(AppCommand::CheckDatabase);
                }
                if ui.button("Close").clicked() {
                    keep_open = false;
                }
            });
        });
        if !keep_open {
            self.open = false;
            self.repaired = None;
        }
    }
}

/// What the shop owner chose in the "file in use" dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InUseChoice {
    ReadOnly,
    Other,
}

/// "The shop file is in use": open read-only, or choose another file. There is no "open
/// anyway": two copies never write to one file.
pub fn in_use_ui(ctx: &egui::Context, path: &Path, held: &HeldLock) -> Option<InUseChoice> {
    let mut choice = None;
    Modal::new(Id::unique("file_in_use")).show(ctx, |ui| {
        ui.set_width(500.0);
        ui.heading("The shop file is in use");
        ui.label(RichText::new(path.display().to_string()).color(theme::MUTED));
        ui.add_space(4.0);
        ui.label(held.message(path));
        ui.add_space(4.0);
        ui.label(
            "Open it read-only to look without changing anything; changes are made in the copy that has it open. Once that copy is closed, open the file again to change it here.",
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Open read-only").clicked() {
                choice = Some(InUseChoice::ReadOnly);
            }
            if ui.button("Choose another file…").clicked() {
                choice = Some(InUseChoice::Other);
            }
        });
    });
    choice
}
