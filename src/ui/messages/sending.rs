//! Sending through the SMTP server on a worker thread: the password prompt, the progress
//! window, and recording each result as it comes.

use std::sync::mpsc;

use egui::{Id, Modal, RichText, TextEdit};

use crate::app::Clock;
use crate::app::secrets::Lookup;
use crate::app::send::{Outgoing, deliver, prepare, record_delivery, smtp_settings, test_message};
use crate::domain::notify::MessageKind;
use crate::io::smtp::SmtpConfig;
use crate::store::Store;
use crate::store::settings::SENDER_EMAIL;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::theme;

use super::{MessagesScreen, PasswordPrompt, SendJob, SendLine};

impl MessagesScreen {
    /// Builds the messages and hands them to a worker; asks for the password first when the
    /// server needs one that is not known. `ids` `None`: the test message.
    pub(super) fn start_send(
        &mut self,
        store: &Store,
        ids: Option<Vec<i64>>,
        clock: Clock,
        ctx: &egui::Context,
    ) -> Result<String, String> {
        let clock = &clock;
        if self
            .send
            .as_ref()
            .is_some_and(|job| job.done < job.lines.len())
        {
            return Err("Messages are being sent; wait until they are done".into());
        }
        let settings = smtp_settings(store).map_err(|e| e.to_string())?;
        let password = if settings.needs_password() {
            match self.secrets.lookup(&settings.host, &settings.user) {
                Lookup::Found(password) => password,
                Lookup::Missing | Lookup::NoKeychain(_) => {
                    let note = match self.secrets.lookup(&settings.host, &settings.user) {
                        Lookup::NoKeychain(why) => Some(format!(
                            "No keychain here ({why}): it is kept until the app closes."
                        )),
                        _ => Some("It is kept in the keychain.".to_owned()),
                    };
                    self.password = Some(PasswordPrompt {
                        host: settings.host.clone(),
                        user: settings.user.clone(),
                        password: String::new(),
                        then: ids.map_or(MessageCommand::SendTest, MessageCommand::Send),
                        note,
                        focused: false,
                    });
                    return Ok(String::new());
                }
            }
        } else {
            String::new()
        };
        let test = ids.is_none();
        let mut outgoing = Vec::new();
        let mut problems = Vec::new();
        match ids {
            None => {
                let email = test_message(store, clock).map_err(|e| e.to_string())?;
                let sender = store
                    .setting(SENDER_EMAIL)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                outgoing.push(Outgoing {
                    message_id: 0,
                    order_number: "test".into(),
                    kind: None,
                    recipient: sender,
                    email,
                });
            }
            Some(ids) => {
                for id in ids {
                    match prepare(store, id, clock) {
                        Ok(prepared) => outgoing.push(prepared),
                        Err(error) => problems.push(error.to_string()),
                    }
                }
            }
        }
        if outgoing.is_empty() {
            return Err(problems
                .first()
                .cloned()
                .unwrap_or_else(|| "Nothing to send".into()));
        }
        let config = settings.config(&password);
        self.spawn_send(outgoing, config, test, ctx);
        Ok(if problems.is_empty() {
            String::new()
        } else {
            format!("Not sent: {}", problems.join("; "))
        })
    }

    pub(super) fn spawn_send(
        &mut self,
        outgoing: Vec<Outgoing>,
        config: SmtpConfig,
        test: bool,
        ctx: &egui::Context,
    ) {
        let (sender, results) = mpsc::channel();
        let work = outgoing.clone();
        let wake = ctx.clone();
        let account = (config.host.clone(), config.user.clone());
        let running = crate::app::jobs::RunningHere::start("Send messages");
        let spawned = std::thread::Builder::new()
            .name("smtp-send".into())
            .spawn(move || {
                for (index, message) in work.iter().enumerate() {
                    let result = deliver(&config, message);
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                    wake.request_repaint();
                }
                drop(running);
            });
        let lines = outgoing
            .iter()
            .map(|message| SendLine {
                label: if test {
                    format!("Test message to {}", message.recipient)
                } else {
                    format!(
                        "{} · {} · {}",
                        message.kind.map_or("Message", MessageKind::label),
                        message.order_number,
                        message.recipient
                    )
                },
                outcome: spawned
                    .as_ref()
                    .err()
                    .map(|error| Err(format!("Cannot start sending: {error}"))),
            })
            .collect::<Vec<_>>();
        let done = if spawned.is_ok() { 0 } else { lines.len() };
        self.send = Some(SendJob {
            outgoing,
            lines,
            results,
            done,
            test,
            account,
        });
    }

    /// Records what the server answered since the last frame. Returns true when the shop
    /// changed, and a status line when the job finished.
    pub fn poll(&mut self, store: &Store, clock: &Clock) -> (bool, Option<(String, bool)>) {
        let Some(job) = &mut self.send else {
            return (false, None);
        };
        let mut changed = false;
        let mut refused_login = false;
        while let Ok((index, result)) = job.results.try_recv() {
            if !job.test
                && let Some(message) = job.outgoing.get(index)
            {
                if let Err(error) = record_delivery(store, message, &result, clock) {
                    job.lines[index].outcome = Some(Err(error.to_string()));
                    job.done += 1;
                    continue;
                }
                changed = true;
            }
            if let Err(error) = &result
                && error.contains(" 535 ")
            {
                refused_login = true;
            }
            if let Some(line) = job.lines.get_mut(index) {
                line.outcome = Some(result.map(|accepted| accepted.reply));
            }
            job.done += 1;
        }
        if refused_login {
            // A password the server refused is not kept.
            let (host, user) = job.account.clone();
            self.secrets.forget(&host, &user);
        }
        let status = (changed || job.done == job.lines.len()).then(|| {
            let failed = job
                .lines
                .iter()
                .filter(|line| matches!(line.outcome, Some(Err(_))))
                .count();
            let sent = job.done - failed;
            if job.done < job.lines.len() {
                (
                    format!("Sending: {} of {}", job.done, job.lines.len()),
                    false,
                )
            } else if job.test && failed == 0 {
                (
                    "Test message sent: the server accepted it".to_owned(),
                    false,
                )
            } else if failed == 0 {
                (format!("{sent} message(s) sent"), false)
            } else {
                (
                    format!(
                        "{sent} sent, {failed} not sent: they stay drafts with the server's answer"
                    ),
                    true,
                )
            }
        });
        (
            changed,
            status.filter(|_| changed || job.done == job.lines.len()),
        )
    }

    /// The progress and per-message results of a send.
    pub fn send_ui(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.send else { return };
        let total = job.lines.len();
        let finished = job.done >= total;
        let mut close = false;
        egui::Window::new(if job.test {
            "Test message"
        } else {
            "Sending messages"
        })
        .id(Id::unique("send_window"))
        .collapsible(false)
        .resizable(true)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.add(
                egui::ProgressBar::new(if total == 0 {
                    1.0
                } else {
                    job.done as f32 / total as f32
                })
                .text(format!("{} of {total}", job.done)),
            );
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    for line in &job.lines {
                        ui.horizontal_wrapped(|ui| match &line.outcome {
                            None => {
                                ui.spinner();
                                ui.label(&line.label);
                            }
                            Some(Ok(reply)) => {
                                ui.colored_label(theme::OK, "Sent");
                                ui.label(&line.label);
                                ui.label(RichText::new(reply).small().color(theme::MUTED));
                            }
                            Some(Err(error)) => {
                                ui.colored_label(theme::ERROR, "Not sent");
                                ui.label(&line.label);
                                ui.colored_label(theme::ERROR, error);
                            }
                        });
                    }
                });
            if finished && ui.button("Close").clicked() {
                close = true;
            }
        });
        if close {
            self.send = None;
        }
    }

    pub(super) fn password_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(prompt) = &mut self.password else {
            return;
        };
        let mut outcome = None;
        Modal::new(Id::unique("smtp_password")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("SMTP password");
            ui.label(format!(
                "The password of {} on {}",
                prompt.user, prompt.host
            ));
            let label = ui.label("Password");
            let response = ui
                .add(
                    TextEdit::singleline(&mut prompt.password)
                        .password(true)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
            if !prompt.focused {
                response.request_focus();
                prompt.focused = true;
            }
            if let Some(note) = &prompt.note {
                ui.label(RichText::new(note).small().color(theme::MUTED));
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!prompt.password.is_empty(), egui::Button::new("Send"))
                    .clicked()
                    || (enter && !prompt.password.is_empty())
                {
                    outcome = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    outcome = Some(false);
                }
            });
        });
        match outcome {
            Some(true) => {
                if let Some(prompt) = self.password.take() {
                    self.secrets
                        .keep(&prompt.host, &prompt.user, &prompt.password);
                    commands.push(AppCommand::Message(prompt.then));
                }
            }
            Some(false) => self.password = None,
            None => {}
        }
    }
}
