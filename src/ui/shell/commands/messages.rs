//! Messages: the outbox, templates and message settings.

use crate::ui::shared::command::AppCommand;
use crate::ui::shared::tab::Tab;
use crate::ui::shell::DeskApp;

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn messages_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::Message(command) => {
                let Some(store) = &mut self.store else { return };
                match self.messages.apply(command, store, &self.clock, ctx) {
                    // A dialog the shop closed without choosing: nothing to say.
                    Ok(text) if text.is_empty() => {}
                    result => self.finish(result),
                }
            }
            AppCommand::OpenMessage(message_id) => {
                self.tab = Tab::Messages;
                self.messages.show_message(message_id);
            }
            _ => {}
        }
    }
}
