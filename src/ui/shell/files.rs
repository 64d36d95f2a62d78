//! Files the shell asks for: the system dialog or the window's own, and what the answer is for.

use std::path::PathBuf;

use crate::ui::import::ExportFlow;
use crate::ui::shared::command;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog::{self, FileKind, FileRequest};
use crate::ui::shell::{DeskApp, FileAction, OpenMode, SHELL_FILE};

impl DeskApp {
    /// Asks for a file (the system's dialog, else the window's own) and uses it for `action`
    /// once chosen.
    pub(super) fn choose_file(
        &mut self,
        ctx: &egui::Context,
        action: FileAction,
        mut request: FileRequest,
    ) {
        if request.kind == FileKind::ShopFile
            && request.directory.is_none()
            && let Some(folder) = self.store.as_ref().and_then(|s| s.path().parent())
            && !folder.as_os_str().is_empty()
        {
            request.directory = Some(folder.to_owned());
        }
        match file_dialog::choose(ctx, request) {
            Some(path) => self.file_chosen(ctx, action, path),
            None => self.waiting_file = Some(action),
        }
    }

    pub(super) fn file_chosen(&mut self, ctx: &egui::Context, action: FileAction, path: PathBuf) {
        self.waiting_file = None;
        match action {
            FileAction::OpenShop => self.open_file(&path),
            // An existing shop is opened, never overwritten; an empty file becomes one.
            FileAction::NewShop => self.open_file_with(&path, OpenMode::New),
            FileAction::Import(kind) => self.begin_import(ctx, Some(kind), path),
            FileAction::Export(kind) => {
                let Some(store) = &self.store else { return };
                let opener = store.opener();
                match ExportFlow::begin(opener, kind, path, self.clock, ctx) {
                    Ok(flow) => self.export = Some(flow),
                    Err(error) => self.set_status(error, true),
                }
            }
            FileAction::RestoreBackup => self.restore.confirm_file(path),
        }
    }

    /// The window's own file dialog: drawn, its answers handed on, the folders it remembered
    /// kept in the shop's settings.
    pub(super) fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        file_dialog::show(ctx);
        if let Some(path) = file_dialog::answer(ctx, SHELL_FILE)
            && let Some(action) = self.waiting_file
        {
            self.file_chosen(ctx, action, path);
        }
        if let Some((purpose, path)) = file_dialog::answer_starting(ctx, "eml:")
            && let Some(id) = purpose.strip_prefix("eml:").and_then(|id| id.parse().ok())
        {
            self.commands
                .push(AppCommand::Message(command::MessageCommand::SaveEmlTo(
                    id, path,
                )));
        }
        if let Some(notice) = file_dialog::take_notice(ctx) {
            self.set_status(notice, false);
        }
        if let Some(folders) = file_dialog::take_changed_folders(ctx)
            && let Some(store) = &mut self.store
            && !store.is_read_only()
        {
            for (kind, folder) in folders {
                // Only a convenience: a folder that cannot be kept is chosen again next time.
                let _ = crate::app::settings::keep_window_choice(
                    store,
                    kind.setting(),
                    &folder.to_string_lossy(),
                );
            }
        }
    }
}
