//! File menu: open, new, demo, backups, check and repair, settings, help.

use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog::{FileKind, FileRequest};
use crate::ui::shell::{DeskApp, FileAction, OpenMode, SHELL_FILE};

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn shop_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::ChooseFileToOpen => {
                let request = FileRequest::open(SHELL_FILE, FileKind::ShopFile, "Open shop file")
                    .filter("Shop file", &["sqlite", "db", "sqlite3"])
                    .filter("All files", &["*"]);
                self.choose_file(ctx, FileAction::OpenShop, request);
            }
            AppCommand::ChooseNewFile => {
                let request = FileRequest::save(
                    SHELL_FILE,
                    FileKind::ShopFile,
                    "New shop file",
                    "shop.sqlite",
                )
                .filter("Shop file", &["sqlite"]);
                self.choose_file(ctx, FileAction::NewShop, request);
            }
            AppCommand::OpenFile(path) => self.open_file(&path),
            AppCommand::LoadDemo => self.start_demo(ctx),
            AppCommand::StartEmpty => {
                if let Some(store) = &mut self.store {
                    match crate::app::settings::finish_onboarding(store) {
                        Ok(()) => self.onboarding = false,
                        Err(error) => {
                            self.set_status(format!("Cannot save the choice: {error}"), true);
                        }
                    }
                }
            }
            AppCommand::OpenReadOnly(path) => self.open_file_with(&path, OpenMode::ReadOnly),
            AppCommand::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            AppCommand::SaveSettings(values) => {
                let Some(store) = &mut self.store else { return };
                let pairs: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(key, value)| (*key, value.as_str()))
                    .collect();
                match crate::app::settings::save_settings(store, &pairs) {
                    Ok(_) => {
                        self.settings = None;
                        self.onboarding = store.needs_onboarding().unwrap_or(false);
                        self.data_version += 1;
                        self.set_status("Settings saved", false);
                    }
                    Err(error) => {
                        let error = error.to_string();
                        if let Some(dialog) = &mut self.settings {
                            dialog.error = Some(error.clone());
                        }
                        self.set_status(error, true);
                    }
                }
            }
            AppCommand::OpenUserGuide => match crate::app::launch::open_user_guide() {
                Ok(path) => {
                    self.set_status(format!("Opened the user guide ({})", path.display()), false);
                }
                Err(error) => self.set_status(error, true),
            },
            _ => {}
        }
    }
}
