//! The Messages tab: the Outbox (drafts to review and send), the Deadlines of waiting lines
//! under the shop's consumer rule, what was sent or superseded, the templates with a live
//! preview, and the settings messages use (SMTP included). Also the message history in an
//! order's detail.

mod commands;
mod deadlines;
mod outbox;
mod sending;
mod settings;
mod templates;

use std::sync::mpsc;

use egui::{Id, Modal, Ui};

use crate::app::deadlines::DeadlineRow;
use crate::app::notify::{history, outbox};
use crate::app::secrets::Secrets;
use crate::app::send::Outgoing;
use crate::domain::legal::LegalRule;
use crate::domain::notify::{MessageKind, Rendered};
use crate::io::smtp::Accepted;
use crate::store::Store;
use crate::store::messages::Message;
use crate::store::settings::{SIGNATURE, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::tab::Tab;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

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

impl widgets::SortColumn for DeadlineColumn {}

impl widgets::SortColumn for MessageColumn {
    const FIRST_ASCENDING: bool = false;
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
}
