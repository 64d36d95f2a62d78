//! What the Messages commands do: the ones that need no state of the screen, and the
//! dispatch of those that do (sending, the password prompt).

use crate::app::Clock;
use crate::app::deadlines::{CustomerAnswer, record_answer};
use crate::app::launch::open_external;
use crate::app::notify::{
    DraftEdit, discard, draft_substitution, eml_file_name, eml_for, mailto_for, mark_sent,
    request_delay_notice, reset_to_default, restore, save_checked_template, save_edit,
};
use crate::app::secrets::Kept;
use crate::app::send::smtp_settings;
use crate::store::Store;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::file_dialog;

use super::MessagesScreen;

/// Runs a command that needs no state of the screen; the text goes to the status line.
pub(super) fn apply_plain(
    command: MessageCommand,
    store: &mut Store,
    clock: Clock,
    ctx: &egui::Context,
) -> Result<String, String> {
    let clock = &clock;
    let text = |error: crate::app::notify::NotifyError| error.to_string();
    match command {
        MessageCommand::SaveEdit {
            id,
            recipient,
            subject,
            body,
        } => {
            let edit = DraftEdit {
                recipient,
                subject,
                body,
            };
            save_edit(store, id, &edit, clock).map_err(text)?;
            Ok("Draft saved".into())
        }
        MessageCommand::MarkSent(id) => {
            mark_sent(store, id, clock).map_err(text)?;
            Ok("Marked as sent; it is listed under Sent".into())
        }
        MessageCommand::Discard(id) => {
            discard(store, id, clock).map_err(text)?;
            Ok("Draft discarded; restore it from Sent & discarded".into())
        }
        MessageCommand::Restore(id) => {
            restore(store, id, clock).map_err(text)?;
            Ok("Draft restored to the Outbox".into())
        }
        MessageCommand::SaveEml(id) | MessageCommand::SaveEmlTo(id, _) => {
            let bytes = eml_for(store, id, clock).map_err(text)?;
            let message = crate::store::messages::message(store.connection(), id)
                .map_err(|error| error.to_string())?;
            let chosen = match command {
                MessageCommand::SaveEmlTo(_, path) => Some(path),
                _ => file_dialog::choose(
                    ctx,
                    file_dialog::FileRequest::save(
                        format!("eml:{id}"),
                        file_dialog::FileKind::Eml,
                        "Save message as .eml",
                        eml_file_name(&message),
                    )
                    .filter("E-mail message", &["eml"]),
                ),
            };
            // Nothing chosen yet: cancelled, or the window's file dialog answers later.
            let Some(path) = chosen else {
                return Ok(String::new());
            };
            crate::io::write_atomically(&path, |out| out.write_all(&bytes))
                .map_err(|error| format!("Cannot write {}: {error}", path.display()))?;
            Ok(format!(
                "Saved {}; open it with your mail program, then mark it as sent",
                path.display()
            ))
        }
        MessageCommand::OpenInMailProgram(id) => {
            let url = mailto_for(store, id).map_err(text)?;
            open_external(&url)?;
            Ok("Handed to your mail program; mark it as sent once it is sent".into())
        }
        MessageCommand::SaveTemplate { kind, source } => {
            save_checked_template(store, kind, &source, clock).map_err(text)?;
            Ok(format!("{} template saved", kind.label()))
        }
        MessageCommand::ResetTemplate(kind) => {
            reset_to_default(store, kind).map_err(text)?;
            Ok(format!("{} template is the default again", kind.label()))
        }
        MessageCommand::SaveSettings(values) => {
            let values: Vec<(&str, &str)> = values
                .iter()
                .map(|(key, value)| (*key, value.as_str()))
                .collect();
            crate::app::settings::save_settings(store, &values)
                .map_err(|error| error.to_string())?;
            ctx.request_repaint();
            Ok("Settings saved".into())
        }
        MessageCommand::OfferSubstitutes(order_id) => {
            draft_substitution(store, order_id, clock).map_err(text)?;
            Ok("Substitution offer drafted; review it in Messages".into())
        }
        MessageCommand::DraftNotice(order_id) => {
            request_delay_notice(store, order_id, clock).map_err(text)?;
            Ok("Delay notice drafted; review it in the Outbox".into())
        }
        MessageCommand::Answer {
            order_number,
            answer,
        } => {
            let outcome =
                record_answer(store, &order_number, answer, clock.today(), clock).map_err(text)?;
            Ok(match answer {
                CustomerAnswer::Wait { .. } => {
                    format!("Order {order_number}: the customer agreed to wait")
                }
                CustomerAnswer::Cancel if outcome.stock_to.is_empty() => format!(
                    "Order {order_number}: the waiting lines were cancelled at the customer's request"
                ),
                CustomerAnswer::Cancel => format!(
                    "Order {order_number}: the waiting lines were cancelled at the customer's request; freed stock went to {}",
                    outcome.stock_to.join(", ")
                ),
            })
        }
        MessageCommand::Send(_) | MessageCommand::SendTest | MessageCommand::KeepPassword(_) => {
            Ok(String::new())
        }
    }
}

impl MessagesScreen {
    /// Runs a command of this tab (sending needs the screen: the password, the worker).
    pub fn apply(
        &mut self,
        command: MessageCommand,
        store: &mut Store,
        clock: &Clock,
        ctx: &egui::Context,
    ) -> Result<String, String> {
        match command {
            MessageCommand::Send(ids) => self.start_send(store, Some(ids), *clock, ctx),
            MessageCommand::SendTest => self.start_send(store, None, *clock, ctx),
            MessageCommand::KeepPassword(password) => {
                let settings = smtp_settings(store).map_err(|e| e.to_string())?;
                if settings.user.is_empty() {
                    return Err("Enter the SMTP user name first (the password goes with it)".into());
                }
                self.password_input.clear();
                Ok(
                    match self.secrets.keep(&settings.host, &settings.user, &password) {
                        Kept::Keychain => "Password kept in the keychain".to_owned(),
                        Kept::SessionOnly(why) => format!(
                            "No keychain here ({why}): the password is kept until the app closes"
                        ),
                    },
                )
            }
            other => apply_plain(other, store, *clock, ctx),
        }
    }
}
