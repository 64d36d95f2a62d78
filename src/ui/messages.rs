//! The Messages tab: the Outbox (drafts to review and send), the Deadlines of waiting lines
//! under the shop's consumer rule, what was sent or superseded, the templates with a live
//! preview, and the settings messages use (SMTP included). Also the message history in an
//! order's detail.

use std::sync::mpsc;

use egui::{Align, Id, Layout, Modal, RichText, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::app::Tab;
use super::command::AppCommand;
use super::theme;
use super::widgets::Sort;
use crate::app::Clock;
use crate::app::deadlines::{CustomerAnswer, DeadlineRow, deadlines, record_answer};
use crate::app::launch::open_external;
use crate::app::notify::{
    DraftEdit, discard, draft_substitution, eml_file_name, eml_for, history, mailto_for, mark_sent,
    outbox, preview, recipient_problem, request_delay_notice, reset_to_default, restore,
    save_checked_template, save_edit, template_source,
};
use crate::app::secrets::{Kept, Lookup, Secrets};
use crate::app::send::{Outgoing, deliver, prepare, record_delivery, smtp_settings, test_message};
use crate::app::settings::check_setting;
use crate::domain::legal::{LegalRule, Stage};
use crate::domain::notify::{MessageKind, Rendered};
use crate::domain::promise::{EtaWindow, format_day, format_window};
use crate::io::smtp::{Accepted, Security, SmtpConfig};
use crate::store::Store;
use crate::store::messages::{Message, MessageStatus};
use crate::store::orders::OrderId;
use crate::store::settings::{
    SENDER_EMAIL, SIGNATURE, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER,
};

/// What the Messages tab asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageCommand {
    SaveEdit {
        id: i64,
        recipient: String,
        subject: String,
        body: String,
    },
    MarkSent(i64),
    Discard(i64),
    Restore(i64),
    /// Ask where, then write the `.eml`.
    SaveEml(i64),
    /// Write the `.eml` here (chosen in the window's own file dialog).
    SaveEmlTo(i64, std::path::PathBuf),
    OpenInMailProgram(i64),
    SaveTemplate {
        kind: MessageKind,
        source: String,
    },
    ResetTemplate(MessageKind),
    SaveSettings(Vec<(&'static str, String)>),
    OfferSubstitutes(OrderId),
    /// Send these drafts through the SMTP server (asks for the password first when needed).
    Send(Vec<i64>),
    /// Send a test message to the shop's sender address.
    SendTest,
    /// Keep the SMTP password (keychain, else this session).
    KeepPassword(String),
    /// Draft the delay notice the legal clock asks for.
    DraftNotice(OrderId),
    /// Record the customer's answer to a delay notice.
    Answer {
        order_number: String,
        answer: CustomerAnswer,
    },
}

impl MessageCommand {
    /// True for commands that change the shop (refused read-only).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Self::SaveEml(_) | Self::OpenInMailProgram(_) | Self::SendTest | Self::KeepPassword(_)
        )
    }
}

/// Runs a command that needs no state of the screen; the text goes to the status line.
fn apply_plain(
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
                _ => super::file_dialog::choose(
                    ctx,
                    super::file_dialog::FileRequest::save(
                        format!("eml:{id}"),
                        super::file_dialog::FileKind::Eml,
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

/// Newest sent and discarded messages the window lists (the command line lists all).
const HISTORY_SHOWN: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Outbox,
    Deadlines,
    Sent,
    Templates,
    Settings,
}

/// Where the shop wants to go while an edit is unsaved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Another message of the list.
    Select(i64),
    /// Another view of the Messages tab.
    View(View),
    /// Another tab of the window.
    Tab(Tab),
    /// Closing the window.
    Close,
}

/// One message of a running "Send" or "Send all".
struct SendLine {
    label: String,
    /// The server's reply, or why it was not sent; `None` while waiting.
    outcome: Option<Result<String, String>>,
}

/// Messages handed to the server on a worker thread; each result is recorded as it comes.
struct SendJob {
    outgoing: Vec<Outgoing>,
    lines: Vec<SendLine>,
    results: mpsc::Receiver<(usize, Result<Accepted, String>)>,
    done: usize,
    /// A test message: nothing to record in the shop.
    test: bool,
    /// Host and user, to forget a password the server refused.
    account: (String, String),
}

/// The password is needed before sending.
struct PasswordPrompt {
    host: String,
    user: String,
    password: String,
    /// What to send once it is given.
    then: MessageCommand,
    note: Option<String>,
    /// The field got the keyboard focus once.
    focused: bool,
}

/// Recording a customer's answer from the Deadlines view.
struct AnswerDialog {
    order_number: String,
    until: String,
    error: Option<String>,
}

/// The draft being read or edited.
struct Editor {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    dirty: bool,
}

struct TemplateEditor {
    kind: MessageKind,
    source: String,
    loaded: bool,
    dirty: bool,
    preview: Result<Rendered, String>,
    preview_of: Option<String>,
}

impl Default for TemplateEditor {
    fn default() -> Self {
        Self {
            kind: MessageKind::Delay,
            source: String::new(),
            loaded: false,
            dirty: false,
            preview: Err(String::new()),
            preview_of: None,
        }
    }
}

/// The settings only messages use; the shop's name, sender address, dates, the consumer rule and
/// the rest are in File › Settings….
const SETTING_FIELDS: [(&str, &str); 5] = [
    (SIGNATURE, "Signature"),
    (SMTP_HOST, "SMTP server"),
    (SMTP_PORT, "SMTP port"),
    (SMTP_SECURITY, "Encryption"),
    (SMTP_USER, "SMTP user name"),
];

#[derive(Default)]
pub struct MessagesScreen {
    view: View,
    drafts: Vec<Message>,
    history: Vec<Message>,
    loaded_for: Option<u64>,
    selected: Option<i64>,
    editor: Option<Editor>,
    template: TemplateEditor,
    settings: Vec<(&'static str, String)>,
    settings_for: Option<u64>,
    load_error: Option<String>,
    /// Open orders whose customer has no e-mail address (order number, customer).
    without_email: Vec<(String, String)>,
    deadlines: Vec<DeadlineRow>,
    rule: LegalRule,
    deadlines_for: Option<(u64, chrono::NaiveDate)>,
    secrets: Secrets,
    send: Option<SendJob>,
    password: Option<PasswordPrompt>,
    /// The SMTP password typed in Settings.
    password_input: String,
    answer: Option<AnswerDialog>,
    /// Asking Save / Discard / Cancel before this.
    leaving: Option<Leave>,
    /// The shop chose: the app carries this out (another tab, closing).
    left: Option<Leave>,
    /// The Deadlines table's sort (the default: the rule's order, next due first) and its
    /// selected line.
    deadline_sort: Sort<DeadlineColumn>,
    deadline_selected: Option<i64>,
    /// The order of the messages within each kind in the Outbox and Sent lists.
    message_sort: Sort<MessageColumn>,
}

/// The Deadlines table's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum DeadlineColumn {
    #[default]
    Due,
    Order,
    Customer,
    Sku,
    Waits,
    Promised,
    Expected,
    Stage,
}

/// How the message lists are sorted (within each kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum MessageColumn {
    /// Newest change first (descending by default).
    #[default]
    Date,
    Order,
    Customer,
}

impl super::widgets::SortColumn for DeadlineColumn {}

impl super::widgets::SortColumn for MessageColumn {
    const FIRST_ASCENDING: bool = false;
}

/// Nothing due sorts last.
fn due_key(row: &DeadlineRow) -> (bool, Option<chrono::NaiveDate>) {
    (row.deadline.due_by.is_none(), row.deadline.due_by)
}

/// Orders without an e-mail address named on the Outbox (the rest are counted).
const WITHOUT_EMAIL_SHOWN: usize = 50;

impl MessagesScreen {
    /// Unsent drafts, for the tab's label.
    pub fn draft_count(&self) -> usize {
        self.drafts.len()
    }

    pub fn refresh(&mut self, store: &Store, version: u64) {
        if self.loaded_for == Some(version) {
            return;
        }
        match outbox(store).and_then(|drafts| Ok((drafts, history(store, Some(HISTORY_SHOWN))?))) {
            Ok((drafts, history)) => {
                self.drafts = drafts;
                self.history = history;
                self.load_error = None;
            }
            Err(error) => self.load_error = Some(format!("Cannot read messages: {error}")),
        }
        self.without_email = crate::store::shop_orders::open_orders_without_email(
            store.connection(),
            WITHOUT_EMAIL_SHOWN + 1,
        )
        .unwrap_or_default();
        self.loaded_for = Some(version);
        // Reload the open draft unless the shop is editing it.
        if let Some(editor) = &self.editor
            && !editor.dirty
        {
            self.editor = None;
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        today: chrono::NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        self.refresh(store, version);
        ui.horizontal(|ui| {
            let outbox = format!("Outbox ({})", self.drafts.len());
            for (view, label) in [
                (View::Outbox, outbox.as_str()),
                (View::Deadlines, "Deadlines"),
                (View::Sent, "Sent & discarded"),
                (View::Templates, "Templates"),
                (View::Settings, "Settings"),
            ] {
                if ui.selectable_label(self.view == view, label).clicked() && self.view != view {
                    self.go(Leave::View(view));
                }
            }
        });
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::ERROR, error);
        }
        ui.separator();
        if self.view == View::Outbox && !self.without_email.is_empty() {
            self.without_email_ui(ui);
        }
        match self.view {
            View::Outbox => self.outbox_ui(ui, store, commands, true),
            View::Deadlines => self.deadlines_ui(ui, store, version, today, commands),
            View::Sent => self.outbox_ui(ui, store, commands, false),
            View::Templates => self.templates_ui(ui, store, commands),
            View::Settings => self.settings_ui(ui, store, version, commands),
        }
        let ctx = ui.ctx().clone();
        self.leave_ui(&ctx, commands);
        self.password_ui(&ctx, commands);
        self.answer_ui(&ctx, commands);
    }

    /// A draft or template has edits that were not saved.
    pub fn has_unsaved(&self) -> bool {
        self.editor.as_ref().is_some_and(|editor| editor.dirty) || self.template.dirty
    }

    /// Goes there, or asks Save / Discard / Cancel first when an edit is unsaved.
    pub fn go(&mut self, leave: Leave) {
        if self.has_unsaved() {
            self.leaving = Some(leave);
        } else {
            self.carry_out(leave);
        }
    }

    /// Where the shop chose to go after answering the question (another tab, closing): the
    /// app carries it out.
    pub fn take_left(&mut self) -> Option<Leave> {
        self.left.take()
    }

    /// Shows one message (from the Orders screen's to-do list).
    pub fn show_message(&mut self, message_id: i64) {
        self.go(Leave::Select(message_id));
    }

    fn carry_out(&mut self, leave: Leave) {
        match leave {
            Leave::Select(id) => {
                if self.drafts.iter().any(|m| m.message_id == id) {
                    self.view = View::Outbox;
                } else if self.history.iter().any(|m| m.message_id == id) {
                    self.view = View::Sent;
                }
                self.selected = Some(id);
                self.editor = None;
            }
            Leave::View(view) => {
                self.view = view;
                self.editor = None;
            }
            Leave::Tab(_) | Leave::Close => {
                self.editor = None;
                self.template.loaded = false;
                self.left = Some(leave);
            }
        }
    }

    /// The unsaved edit as a command that saves it.
    fn save_commands(&self) -> Vec<MessageCommand> {
        let mut out = Vec::new();
        if let Some(editor) = self.editor.as_ref().filter(|e| e.dirty) {
            out.push(MessageCommand::SaveEdit {
                id: editor.id,
                recipient: editor.recipient.clone(),
                subject: editor.subject.clone(),
                body: editor.body.clone(),
            });
        }
        if self.template.dirty && self.template.preview.is_ok() {
            out.push(MessageCommand::SaveTemplate {
                kind: self.template.kind,
                source: self.template.source.clone(),
            });
        }
        out
    }

    fn leave_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(leave) = self.leaving else { return };
        let template_broken = self.template.dirty && self.template.preview.is_err();
        let mut choice = None;
        Modal::new(Id::unique("unsaved_edit")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Save your changes?");
            let what = if self.editor.as_ref().is_some_and(|e| e.dirty) {
                "This draft has changes that are not saved."
            } else {
                "The template has changes that are not saved."
            };
            ui.label(what);
            if template_broken {
                ui.colored_label(
                    theme::ERROR,
                    "The template has an error and cannot be saved as it is.",
                );
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!template_broken, egui::Button::new("Save"))
                    .clicked()
                {
                    choice = Some(true);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(false);
                }
                if ui.button("Cancel").clicked() {
                    self.leaving = None;
                }
            });
        });
        if let Some(save) = choice {
            if save {
                for command in self.save_commands() {
                    commands.push(AppCommand::Message(command));
                }
            }
            if let Some(editor) = &mut self.editor {
                editor.dirty = false;
            }
            self.template.dirty = false;
            self.template.loaded = false;
            self.leaving = None;
            self.carry_out(leave);
        }
    }

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

    /// Builds the messages and hands them to a worker; asks for the password first when the
    /// server needs one that is not known. `ids` `None`: the test message.
    fn start_send(
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

    fn spawn_send(
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

    fn password_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
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

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn deadlines_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        today: chrono::NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        if self.deadlines_for != Some((version, today)) {
            match deadlines(store, today) {
                Ok((rule, rows)) => {
                    self.rule = rule;
                    self.deadlines = rows;
                }
                Err(error) => self.load_error = Some(format!("Cannot read deadlines: {error}")),
            }
            self.deadlines_for = Some((version, today));
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Rule: {}", self.rule.label())).strong());
            let overdue = self
                .deadlines
                .iter()
                .filter(|row| row.deadline.overdue(today))
                .count();
            let due = self
                .deadlines
                .iter()
                .filter(|row| row.deadline.stage != Stage::None)
                .count();
            ui.label(
                RichText::new(format!(
                    "{} waiting line(s); {due} need action, {overdue} overdue",
                    self.deadlines.len()
                ))
                .color(if overdue > 0 {
                    theme::ERROR
                } else {
                    theme::MUTED
                }),
            );
        });
        ui.label(
            RichText::new(
                "Next due first. A delay notice is due by the promised date; silence counts as \
                 consent only for a first notice under the US rule whose new date is at most 30 \
                 days later; otherwise the customer must say yes, or the order is cancelled and \
                 refunded (US) or the customer may terminate after an extra period (EU).",
            )
            .color(theme::MUTED),
        );
        ui.add_space(4.0);
        if self.deadlines.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("No line waits").heading());
            });
            return;
        }
        let formats = super::format::formats(ui.ctx());
        let style = formats.dates;
        let day = |d: Option<chrono::NaiveDate>| {
            d.map_or_else(|| "—".to_owned(), |d| format_day(d, style))
        };
        let window = |w: Option<EtaWindow>| {
            w.map_or_else(|| "date unknown".to_owned(), |w| format_window(w, style))
        };
        // The rows in the sort the headers chose (the rule's order: next due first).
        let sort = self.deadline_sort;
        let mut order: Vec<usize> = (0..self.deadlines.len()).collect();
        if sort.natural() == Some(true) {
            order.reverse();
        } else if sort.natural().is_none() {
            let rows = &self.deadlines;
            order.sort_by(|&a, &b| {
                let (a, b) = (&rows[a], &rows[b]);
                let by = match sort.column {
                    DeadlineColumn::Due => due_key(a).cmp(&due_key(b)),
                    DeadlineColumn::Order => a.order_number.cmp(&b.order_number),
                    DeadlineColumn::Customer => a
                        .customer_name
                        .to_lowercase()
                        .cmp(&b.customer_name.to_lowercase()),
                    DeadlineColumn::Sku => a.sku.cmp(&b.sku),
                    DeadlineColumn::Waits => a.waiting.cmp(&b.waiting),
                    DeadlineColumn::Promised => a.deadline.promised_by.cmp(&b.deadline.promised_by),
                    DeadlineColumn::Expected => {
                        a.eta.map(|w| (0, w.end)).cmp(&b.eta.map(|w| (0, w.end)))
                    }
                    DeadlineColumn::Stage => a.deadline.stage.label().cmp(b.deadline.stage.label()),
                };
                sort.apply(by)
            });
        }
        let keys = super::widgets::list_keys(ui.ctx());
        let mut scroll_to = None;
        if keys.step != 0
            && let Some((line_id, position)) = super::widgets::step_selection(
                order.iter().map(|&index| self.deadlines[index].line_id),
                self.deadline_selected,
                keys.step,
            )
        {
            self.deadline_selected = Some(line_id);
            scroll_to = Some(position);
        }
        if keys.escape {
            self.deadline_selected = None;
        }
        let rows = &self.deadlines;
        let selected = self.deadline_selected;
        let mut open = None;
        let mut answer = None;
        let mut clicked = None;
        if keys.enter
            && let Some(row) = selected.and_then(|id| rows.iter().find(|row| row.line_id == id))
        {
            match row.draft {
                Some(draft) => open = Some(Leave::Select(draft)),
                None if row.deadline.stage.needs_notice() => commands.push(AppCommand::Message(
                    MessageCommand::DraftNotice(row.order_id),
                )),
                None => answer = Some(row.order_number.clone()),
            }
        }
        let mut sort_clicked = self.deadline_sort;
        egui::ScrollArea::horizontal()
            .id_salt("deadlines_hscroll")
            .show(ui, |ui| {
                super::widgets::solid_scroll_bar(ui);
                let mut table = TableBuilder::new(ui)
                    .id_salt("deadlines_table")
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .cell_layout(Layout::left_to_right(Align::Center))
                    .auto_shrink([false, false]);
                if let Some(position) = scroll_to {
                    table = table.scroll_to_row(position, None);
                }
                table
                    .column(Column::initial(64.0).at_least(56.0))
                    .column(Column::initial(88.0).at_least(70.0))
                    .column(Column::initial(120.0).at_least(80.0).clip(true))
                    .column(Column::initial(88.0).at_least(60.0).clip(true))
                    .column(Column::initial(52.0).at_least(40.0))
                    .column(Column::initial(74.0).at_least(56.0))
                    .column(Column::initial(92.0).at_least(70.0))
                    .column(Column::initial(150.0).at_least(110.0).clip(true))
                    .column(Column::initial(90.0).at_least(70.0).clip(true))
                    .column(Column::remainder().at_least(180.0).resizable(false))
                    .header(theme::ROW_HEIGHT, |mut header| {
                        for (title, column) in [
                            ("Due", Some(DeadlineColumn::Due)),
                            ("Order", Some(DeadlineColumn::Order)),
                            ("Customer", Some(DeadlineColumn::Customer)),
                            ("SKU", Some(DeadlineColumn::Sku)),
                            ("Waits", Some(DeadlineColumn::Waits)),
                            ("Promised", Some(DeadlineColumn::Promised)),
                            ("Expected", Some(DeadlineColumn::Expected)),
                            ("Stage", Some(DeadlineColumn::Stage)),
                            ("Consent", None),
                            ("", None),
                        ] {
                            header.col(|ui| match column {
                                Some(column) => {
                                    sort_clicked.header_ui(
                                        ui,
                                        title,
                                        column,
                                        column == DeadlineColumn::Waits,
                                    );
                                }
                                None => {
                                    ui.label(RichText::new(title).strong());
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(theme::ROW_HEIGHT, order.len(), |mut row| {
                            let line = &rows[order[row.index()]];
                            row.set_selected(selected == Some(line.line_id));
                            let overdue = line.deadline.overdue(today);
                            let color = if overdue {
                                theme::ERROR
                            } else if line.deadline.stage == Stage::None {
                                theme::MUTED
                            } else {
                                theme::WARNING
                            };
                            row.col(|ui| {
                                ui.label(RichText::new(day(line.deadline.due_by)).color(color));
                            });
                            row.col(|ui| {
                                ui.label(&line.order_number);
                            });
                            row.col(|ui| {
                                ui.add(egui::Label::new(&line.customer_name).truncate())
                                    .on_hover_text(&line.customer_email);
                            });
                            row.col(|ui| {
                                ui.add(egui::Label::new(&line.sku).truncate())
                                    .on_hover_text(&line.name);
                            });
                            row.col(|ui| {
                                super::widgets::number_cell(ui, line.waiting.to_string());
                            });
                            row.col(|ui| {
                                ui.label(day(Some(line.deadline.promised_by)));
                            });
                            row.col(|ui| {
                                ui.label(window(line.eta));
                            });
                            row.col(|ui| {
                                let text = if overdue {
                                    format!("{} (overdue)", line.deadline.stage.label())
                                } else {
                                    line.deadline.stage.label().to_owned()
                                };
                                ui.add(
                                    egui::Label::new(RichText::new(text).color(color)).truncate(),
                                )
                                .on_hover_text(line.deadline.basis);
                            });
                            row.col(|ui| {
                                let text = match line.deadline.agreed_until {
                                    Some(until)
                                        if line.deadline.consent
                                            != crate::domain::legal::Consent::None =>
                                    {
                                        format!(
                                            "{} to {}",
                                            line.deadline.consent.label(),
                                            day(Some(until))
                                        )
                                    }
                                    _ => line.deadline.consent.label().to_owned(),
                                };
                                ui.add(egui::Label::new(text).truncate());
                            });
                            row.col(|ui| {
                                if let Some(draft) = line.draft {
                                    if ui.small_button("Open notice").clicked() {
                                        open = Some(Leave::Select(draft));
                                    }
                                } else if line.deadline.stage.needs_notice()
                                    && ui.small_button("Draft notice").clicked()
                                {
                                    commands.push(AppCommand::Message(
                                        MessageCommand::DraftNotice(line.order_id),
                                    ));
                                }
                                if ui
                                    .small_button("Answer…")
                                    .on_hover_text("Record the customer's answer: wait, or cancel")
                                    .clicked()
                                {
                                    answer = Some(line.order_number.clone());
                                }
                            });
                            if row.response().clicked() {
                                clicked = Some(line.line_id);
                            }
                        });
                    });
            });
        self.deadline_sort = sort_clicked;
        if clicked.is_some() {
            self.deadline_selected = clicked;
        }
        if let Some(leave) = open {
            self.go(leave);
        }
        if let Some(order_number) = answer {
            self.answer = Some(AnswerDialog {
                order_number,
                until: String::new(),
                error: None,
            });
        }
    }

    fn answer_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(dialog) = &mut self.answer else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("customer_answer")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(format!(
                "The customer's answer for order {}",
                dialog.order_number
            ));
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label("Wait until");
                ui.add(
                    TextEdit::singleline(&mut dialog.until)
                        .hint_text("YYYY-MM-DD, or empty: the notice's date")
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            });
            if let Some(error) = &dialog.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Agreed to wait").clicked() {
                    let until = dialog.until.trim();
                    if until.is_empty() {
                        commands.push(AppCommand::Message(MessageCommand::Answer {
                            order_number: dialog.order_number.clone(),
                            answer: CustomerAnswer::Wait { until: None },
                        }));
                        close = true;
                    } else {
                        match crate::app::clock::parse_iso_date(until) {
                            Ok(date) => {
                                commands.push(AppCommand::Message(MessageCommand::Answer {
                                    order_number: dialog.order_number.clone(),
                                    answer: CustomerAnswer::Wait { until: Some(date) },
                                }));
                                close = true;
                            }
                            Err(error) => dialog.error = Some(error),
                        }
                    }
                }
                if ui
                    .button("Asked to cancel")
                    .on_hover_text(
                        "Cancels the waiting lines; their stock goes to the next customers",
                    )
                    .clicked()
                {
                    commands.push(AppCommand::Message(MessageCommand::Answer {
                        order_number: dialog.order_number.clone(),
                        answer: CustomerAnswer::Cancel,
                    }));
                    close = true;
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
            ui.label(
                RichText::new(
                    "\"Asked to cancel\" cancels the order's waiting lines and frees their stock.",
                )
                .small()
                .color(theme::MUTED),
            );
        });
        if close {
            self.answer = None;
        }
    }

    /// Orders whose customer has no e-mail address: no message is drafted for them.
    fn without_email_ui(&self, ui: &mut Ui) {
        let shown: Vec<String> = self
            .without_email
            .iter()
            .take(WITHOUT_EMAIL_SHOWN)
            .map(|(number, customer)| format!("{number} ({customer})"))
            .collect();
        let more = if self.without_email.len() > WITHOUT_EMAIL_SHOWN {
            " and more"
        } else {
            ""
        };
        ui.colored_label(
            theme::WARNING,
            format!(
                "No e-mail address, so no messages are drafted for: {}{more}. Add the address on \
                 the order (Orders › order › Ship-to…) to draft them from then on.",
                shown.join(", ")
            ),
        );
        ui.separator();
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn outbox_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        commands: &mut Vec<AppCommand>,
        drafts: bool,
    ) {
        let list = if drafts { &self.drafts } else { &self.history };
        if list.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                if drafts {
                    ui.label(RichText::new("No drafts").heading());
                    ui.label(
                        "Drafts appear here when an order waits, a promised date slips, stock \
                         arrives for waiting lines or something is cancelled.",
                    );
                } else {
                    ui.label(RichText::new("Nothing sent yet").heading());
                }
            });
            return;
        }
        if self
            .selected
            .is_none_or(|id| list.iter().all(|m| m.message_id != id))
        {
            self.selected = list.first().map(|m| m.message_id);
            self.editor = None;
        }
        let mut clicked = None;
        let mut send_all = None;
        let formats = super::format::formats(ui.ctx());
        // The list as shown: by kind, each kind in the chosen sort.
        let sort = self.message_sort;
        let when = |message: &Message| -> String {
            message
                .sent_at
                .clone()
                .unwrap_or_else(|| message.updated_at.clone())
        };
        let mut shown: Vec<&Message> = Vec::with_capacity(list.len());
        for kind in MessageKind::ALL {
            let mut of_kind: Vec<&Message> = list.iter().filter(|m| m.kind == Some(kind)).collect();
            if sort.natural() == Some(true) {
                of_kind.reverse();
            } else if sort.natural().is_none() {
                of_kind.sort_by(|a, b| {
                    let by = match sort.column {
                        MessageColumn::Date => when(a).cmp(&when(b)),
                        MessageColumn::Order => a.order_number.cmp(&b.order_number),
                        MessageColumn::Customer => a
                            .recipient_name
                            .to_lowercase()
                            .cmp(&b.recipient_name.to_lowercase()),
                    };
                    sort.apply(by)
                });
            }
            shown.extend(of_kind);
        }
        let keys = super::widgets::list_keys(ui.ctx());
        if keys.step != 0
            && let Some((id, _)) = super::widgets::step_selection(
                shown.iter().map(|m| m.message_id),
                self.selected,
                keys.step,
            )
        {
            clicked = Some(id);
        }
        let mut new_sort = sort;
        egui::Panel::left(if drafts { "outbox_list" } else { "sent_list" })
            .resizable(true)
            .default_size(380.0)
            .min_size(260.0)
            .max_size((ui.available_width() * 0.5).max(260.0))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Sort by").color(theme::MUTED));
                    new_sort.header_ui(ui, "Date", MessageColumn::Date, false);
                    new_sort.header_ui(ui, "Order", MessageColumn::Order, false);
                    new_sort.header_ui(ui, "Customer", MessageColumn::Customer, false);
                });
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for kind in MessageKind::ALL {
                            let of_kind: Vec<&Message> = shown
                                .iter()
                                .copied()
                                .filter(|m| m.kind == Some(kind))
                                .collect();
                            if of_kind.is_empty() {
                                continue;
                            }
                            ui.add_space(4.0);
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(format!("{} ({})", kind.label(), of_kind.len()))
                                        .strong(),
                                );
                                if drafts {
                                    let sendable: Vec<i64> = of_kind
                                        .iter()
                                        .filter(|m| recipient_problem(m).is_none())
                                        .map(|m| m.message_id)
                                        .collect();
                                    if ui
                                        .add_enabled(
                                            !sendable.is_empty(),
                                            egui::Button::new(format!(
                                                "Send all ({})",
                                                sendable.len()
                                            ))
                                            .small(),
                                        )
                                        .on_hover_text(format!(
                                            "Send every {} through the SMTP server",
                                            kind.label().to_lowercase()
                                        ))
                                        .clicked()
                                    {
                                        send_all = Some(sendable);
                                    }
                                }
                            });
                            for message in of_kind {
                                let selected = self.selected == Some(message.message_id);
                                let mut text = format!(
                                    "{} · {}",
                                    message.order_number, message.recipient_name
                                );
                                if !drafts {
                                    text.push_str(&format!(
                                        " · {} {}",
                                        message.status.label().to_lowercase(),
                                        formats.stamp(&when(message), false)
                                    ));
                                }
                                if drafts && message.send_error.is_some() {
                                    text.push_str(" · not sent");
                                }
                                let response = ui.selectable_label(selected, text);
                                if selected && keys.step != 0 {
                                    response.scroll_to_me(None);
                                }
                                if response.clicked() {
                                    clicked = Some(message.message_id);
                                }
                            }
                        }
                    });
            });
        self.message_sort = new_sort;
        if let Some(ids) = send_all {
            // Unsaved edits go first, so what is sent is what is on screen.
            for command in self.save_commands() {
                commands.push(AppCommand::Message(command));
            }
            if let Some(editor) = &mut self.editor {
                editor.dirty = false;
            }
            commands.push(AppCommand::Message(MessageCommand::Send(ids)));
        }
        if let Some(id) = clicked
            && self.selected != Some(id)
        {
            self.go(Leave::Select(id));
            return;
        }
        let Some(message) = self
            .selected
            .and_then(|id| list.iter().find(|m| m.message_id == id))
            .cloned()
        else {
            return;
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.message_ui(ui, store, &message, commands);
        });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn message_ui(
        &mut self,
        ui: &mut Ui,
        _store: &Store,
        message: &Message,
        commands: &mut Vec<AppCommand>,
    ) {
        let editable = message.status == MessageStatus::Draft;
        if self
            .editor
            .as_ref()
            .is_none_or(|e| e.id != message.message_id)
        {
            self.editor = Some(Editor {
                id: message.message_id,
                recipient: message.recipient.clone(),
                subject: message.subject.clone(),
                body: message.body.clone(),
                dirty: false,
            });
        }
        let Some(editor) = &mut self.editor else {
            return;
        };
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(message.kind.map_or(message.kind_id.as_str(), |k| k.label()))
                    .heading()
                    .strong(),
            );
            ui.label(RichText::new(format!("order {}", message.order_number)).color(theme::MUTED));
            if !editable {
                ui.label(RichText::new(message.status.label()).strong());
            }
        });
        // The saved address decides what can be done; an edit is checked when it is saved.
        let problem = recipient_problem(message);
        let mut to_changed = false;
        ui.horizontal(|ui| {
            let label = ui.label("To");
            if editable {
                ui.label(&message.recipient_name);
                to_changed = ui
                    .add(
                        TextEdit::singleline(&mut editor.recipient)
                            .hint_text("customer@example.com")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id)
                    .changed();
            } else {
                ui.label(format!(
                    "{} <{}>",
                    message.recipient_name,
                    message.recipient.escape_debug()
                ));
            }
        });
        if editable && let Some(problem) = &problem {
            ui.colored_label(theme::ERROR, problem);
        }
        if editable && let Some(error) = &message.send_error {
            ui.colored_label(theme::ERROR, format!("Not sent: {error}"));
        }
        if message.status == MessageStatus::Superseded {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "Superseded: {}",
                    crate::domain::promise::localize_dates(
                        message
                            .status_reason
                            .as_deref()
                            .unwrap_or("a newer draft took its place"),
                        super::format::formats(ui.ctx()).dates
                    )
                ),
            );
        }
        let label = ui.label("Subject");
        let subject = ui.add_enabled(
            editable,
            TextEdit::singleline(&mut editor.subject).desired_width(f32::INFINITY),
        );
        let subject = subject.labelled_by(label.id);
        let label = ui.label("Message");
        let body_height = (ui.available_height() - 60.0).max(120.0);
        let body = egui::ScrollArea::vertical()
            .max_height(body_height)
            .show(ui, |ui| {
                ui.add_enabled(
                    editable,
                    TextEdit::multiline(&mut editor.body)
                        .desired_width(f32::INFINITY)
                        .desired_rows(18),
                )
                .labelled_by(label.id)
            })
            .inner;
        if subject.changed() || body.changed() || to_changed {
            editor.dirty = true;
        }
        let sendable = problem.is_none();
        let unsendable = "Correct the To address and save the draft first";
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            let id = message.message_id;
            let mut push = |command| commands.push(AppCommand::Message(command));
            if editable {
                // Every action works on what is on screen: unsaved edits are saved first.
                let save_first = |push: &mut dyn FnMut(MessageCommand), editor: &Editor| {
                    if editor.dirty {
                        push(MessageCommand::SaveEdit {
                            id,
                            recipient: editor.recipient.clone(),
                            subject: editor.subject.clone(),
                            body: editor.body.clone(),
                        });
                    }
                };
                if ui
                    .add_enabled(sendable, egui::Button::new("Send"))
                    .on_hover_text("Send it through the SMTP server in Settings")
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::Send(vec![id]));
                }
                if ui
                    .add_enabled(editor.dirty, egui::Button::new("Save changes"))
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                }
                if ui
                    .button("Copy")
                    .on_hover_text("Subject and message to the clipboard")
                    .clicked()
                {
                    ui.ctx()
                        .copy_text(format!("Subject: {}\n\n{}", editor.subject, editor.body));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Save as .eml…"))
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::SaveEml(id));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Open in mail program"))
                    .on_disabled_hover_text(unsendable)
                    .clicked()
                {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::OpenInMailProgram(id));
                }
                if ui.button("Mark as sent").clicked() {
                    save_first(&mut push, editor);
                    editor.dirty = false;
                    push(MessageCommand::MarkSent(id));
                }
                if ui
                    .button("Discard draft")
                    .on_hover_text("Kept under Sent & discarded; can be restored")
                    .clicked()
                {
                    push(MessageCommand::Discard(id));
                }
            } else {
                if ui.button("Copy").clicked() {
                    ui.ctx()
                        .copy_text(format!("Subject: {}\n\n{}", editor.subject, editor.body));
                }
                if ui
                    .add_enabled(sendable, egui::Button::new("Save as .eml…"))
                    .clicked()
                {
                    push(MessageCommand::SaveEml(id));
                }
                if message.status == MessageStatus::Discarded
                    && ui.button("Restore to Outbox").clicked()
                {
                    push(MessageCommand::Restore(id));
                }
                if let Some(sent) = &message.sent_at {
                    ui.label(RichText::new(format!("Sent {sent}")).color(theme::MUTED));
                }
                if let Some(id) = &message.message_id_header {
                    ui.label(
                        RichText::new(format!("Message-ID {id}"))
                            .small()
                            .color(theme::MUTED),
                    );
                }
            }
        });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn templates_ui(&mut self, ui: &mut Ui, store: &Store, commands: &mut Vec<AppCommand>) {
        let editor = &mut self.template;
        ui.horizontal(|ui| {
            let label = ui.label("Template");
            let before = editor.kind;
            egui::ComboBox::from_id_salt("template_kind")
                .selected_text(editor.kind.label())
                .show_ui(ui, |ui| {
                    for kind in MessageKind::ALL {
                        ui.selectable_value(&mut editor.kind, kind, kind.label());
                    }
                })
                .response
                .labelled_by(label.id);
            if before != editor.kind {
                editor.loaded = false;
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(
                    "First line: Subject: …  Placeholders: {{ customer.name }}, {{ order.number }}, \
                     {{ order.date }}, {{ order.amount }}, {% for line in lines %} {{ line.sku }} {{ line.name }} \
                     {{ line.quantity }} {{ line.quantity_waiting }} {{ line.badge }} {{ line.eta }} \
                     {{ line.eta_start }} {{ line.eta_end }} {{ line.ship_by }} {{ line.old_eta }} \
                     {{ line.reason }} {% endfor %}, {{ shop.name }}, {{ shop.signature }}; delay \
                     notices: {{ notice.silence_is_consent }} {{ notice.answer_needed }} \
                     {{ notice.answer_by }} {{ notice.cancelled_without_answer }} {{ notice.renewed }} \
                     {{ notice.no_date }}",
                )
                .color(theme::MUTED),
            );
        });
        if !editor.loaded {
            editor.source = template_source(store.connection(), editor.kind)
                .unwrap_or_else(|_| editor.kind.default_template().to_owned());
            editor.loaded = true;
            editor.dirty = false;
            editor.preview_of = None;
        }
        if editor.preview_of.as_deref() != Some(editor.source.as_str()) {
            editor.preview = preview(store, editor.kind, &editor.source).map_err(|e| match e {
                crate::app::notify::NotifyError::Template(error) => error.to_string(),
                other => other.to_string(),
            });
            editor.preview_of = Some(editor.source.clone());
        }
        ui.add_space(4.0);
        let kind = editor.kind;
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            let label = ui.label(RichText::new("Template").strong());
            egui::ScrollArea::vertical()
                .id_salt("template_source")
                .max_height(ui.available_height() - 70.0)
                .show(ui, |ui| {
                    let response = ui
                        .add(
                            TextEdit::multiline(&mut editor.source)
                                .code_editor()
                                .desired_width(f32::INFINITY)
                                .desired_rows(24),
                        )
                        .labelled_by(label.id);
                    if response.changed() {
                        editor.dirty = true;
                    }
                });
            match &editor.preview {
                Err(error) => {
                    ui.colored_label(theme::ERROR, format!("Template error: {error}"));
                    ui.label(
                        RichText::new(
                            "It cannot be saved until it works; the saved one stays in use.",
                        )
                        .color(theme::MUTED),
                    );
                }
                Ok(_) => {
                    ui.label(RichText::new("The template works.").color(theme::OK));
                }
            }
            ui.horizontal(|ui| {
                let can_save = editor.dirty && editor.preview.is_ok();
                if ui
                    .add_enabled(can_save, egui::Button::new("Save template"))
                    .clicked()
                {
                    commands.push(AppCommand::Message(MessageCommand::SaveTemplate {
                        kind,
                        source: editor.source.clone(),
                    }));
                    editor.dirty = false;
                }
                if ui
                    .add_enabled(editor.dirty, egui::Button::new("Undo changes"))
                    .clicked()
                {
                    editor.loaded = false;
                }
                if ui.button("Use the default").clicked() {
                    commands.push(AppCommand::Message(MessageCommand::ResetTemplate(kind)));
                    editor.loaded = false;
                }
            });
            let ui = &mut columns[1];
            ui.label(RichText::new("Preview on a sample order").strong());
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width() - 2.0 * ui.spacing().item_spacing.x);
                egui::ScrollArea::vertical()
                    .id_salt("template_preview")
                    .show(ui, |ui| match &editor.preview {
                        Ok(rendered) => {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("Subject: {}", rendered.subject))
                                        .strong(),
                                )
                                .wrap(),
                            );
                            ui.add_space(6.0);
                            // Read-only text keeps the template's spacing exactly.
                            let mut body = rendered.body.as_str();
                            ui.add(
                                TextEdit::multiline(&mut body)
                                    .frame(egui::Frame::NONE)
                                    .desired_width(f32::INFINITY),
                            );
                        }
                        Err(_) => {
                            ui.label(
                                RichText::new("No preview while the template has an error")
                                    .color(theme::MUTED),
                            );
                        }
                    });
            });
        });
    }

    fn settings_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        commands: &mut Vec<AppCommand>,
    ) {
        egui::ScrollArea::vertical()
            .id_salt("message_settings")
            .auto_shrink([false, false])
            .show(ui, |ui| self.settings_form_ui(ui, store, version, commands));
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn settings_form_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        commands: &mut Vec<AppCommand>,
    ) {
        if self.settings_for != Some(version) {
            self.settings = SETTING_FIELDS
                .iter()
                .map(|(key, _)| (*key, store.setting(key).ok().flatten().unwrap_or_default()))
                .collect();
            self.settings_for = Some(version);
        }
        ui.label(
            RichText::new(
                "The signature under every message and the server that sends them. The shop's \
                 name, sender address, dates and consumer rule: File › Settings… (Ctrl+,).",
            )
            .color(theme::MUTED),
        );
        ui.add_space(6.0);
        let mut problems = Vec::new();
        egui::Grid::new("settings_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                for ((key, value), (_, title)) in self.settings.iter_mut().zip(SETTING_FIELDS) {
                    let label = ui.label(title);
                    match *key {
                        SIGNATURE => {
                            ui.add(
                                TextEdit::multiline(value)
                                    .desired_rows(3)
                                    .desired_width(360.0),
                            )
                            .labelled_by(label.id);
                        }
                        SMTP_SECURITY => {
                            ui.horizontal_wrapped(|ui| {
                                let current =
                                    Security::from_code(value.as_str()).unwrap_or_default();
                                for security in Security::ALL {
                                    if ui.radio(current == security, security.label()).clicked() {
                                        security.code().clone_into(value);
                                    }
                                }
                            });
                        }
                        _ => {
                            let hint = match *key {
                                SMTP_USER => "shop@example.com",
                                SMTP_HOST => "smtp.gmail.com",
                                SMTP_PORT => "587",
                                _ => "",
                            };
                            ui.add(
                                TextEdit::singleline(value)
                                    .hint_text(hint)
                                    .desired_width(360.0),
                            )
                            .labelled_by(label.id);
                        }
                    }
                    ui.end_row();
                    if let Err(problem) = check_setting(key, value) {
                        problems.push(problem);
                    }
                }
            });
        for problem in &problems {
            ui.colored_label(theme::ERROR, problem);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(problems.is_empty(), egui::Button::new("Save settings"))
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::SaveSettings(
                    self.settings.clone(),
                )));
            }
        });
        ui.add_space(10.0);
        ui.label(RichText::new("SMTP password").strong());
        ui.label(
            RichText::new(
                "Kept in the computer's keychain, never in the shop file; where there is no \
                 keychain it is asked once per session.",
            )
            .small()
            .color(theme::MUTED),
        );
        ui.horizontal(|ui| {
            let label = ui.label("Password");
            ui.add(
                TextEdit::singleline(&mut self.password_input)
                    .password(true)
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(
                    !self.password_input.is_empty(),
                    egui::Button::new("Keep password"),
                )
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::KeepPassword(
                    self.password_input.clone(),
                )));
            }
            if ui
                .button("Send test message")
                .on_hover_text("Saved settings only: sends a test to the sender address")
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::SendTest));
            }
        });
    }
}

/// The messages of one order, in its detail on the Orders tab.
pub fn order_history_ui(
    ui: &mut Ui,
    messages: &[Message],
    order_id: OrderId,
    can_offer: bool,
    commands: &mut Vec<AppCommand>,
) {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Messages").strong());
        if can_offer
            && ui
                .small_button("Offer substitutes")
                .on_hover_text("Draft a message offering in-stock alternatives")
                .clicked()
        {
            commands.push(AppCommand::Message(MessageCommand::OfferSubstitutes(
                order_id,
            )));
        }
    });
    if messages.is_empty() {
        ui.label(RichText::new("No messages for this order").color(theme::MUTED));
        return;
    }
    egui::Grid::new("order_messages")
        .striped(true)
        .num_columns(3)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for message in messages {
                ui.label(message.kind.map_or(message.kind_id.as_str(), |k| k.label()));
                let when = message
                    .sent_at
                    .as_deref()
                    .unwrap_or(message.created_at.as_str());
                ui.label(format!(
                    "{} {}",
                    message.status.label(),
                    super::format::formats(ui.ctx()).stamp(when, true)
                ));
                ui.add(
                    egui::Label::new(&message.subject)
                        .truncate()
                        .selectable(false),
                );
                ui.end_row();
            }
        });
}
