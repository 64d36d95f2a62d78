//! Import and export of CSV files.

use crate::ui::import::UndoFlow;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog::{FileKind, FileRequest};
use crate::ui::shell::{DeskApp, FileAction, SHELL_FILE};

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn transfer_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::ChooseImport(kind) => {
                let request = FileRequest::open(
                    SHELL_FILE,
                    FileKind::Import,
                    format!("Import {}", kind.label()),
                )
                .filter("CSV", &["csv", "tsv", "txt"])
                .filter("All files", &["*"]);
                self.choose_file(ctx, FileAction::Import(kind), request);
            }
            AppCommand::ImportFile { kind, path } => self.begin_import(ctx, kind, path),
            AppCommand::UndoImport => {
                if self.import.is_some() {
                    self.set_status("Finish the open import first", true);
                    return;
                }
                let Some(store) = &self.store else { return };
                self.undo = Some(UndoFlow::begin(store));
            }
            AppCommand::ChooseExport(kind) => {
                if self.store.is_none() {
                    return;
                }
                let name = format!("{}.csv", kind.label().replace(' ', "-"));
                let request = FileRequest::save(
                    SHELL_FILE,
                    FileKind::Export,
                    format!("Export {}", kind.label()),
                    name,
                )
                .filter("CSV", &["csv"]);
                self.choose_file(ctx, FileAction::Export(kind), request);
            }
            _ => {}
        }
    }
}
