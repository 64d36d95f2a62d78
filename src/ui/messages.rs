//! The Messages tab: the Outbox (drafts to review and send), what was sent, the templates with a
//! live preview, and the settings messages use. Also the message history in an order's detail.

use egui::{Align, Layout, RichText, TextEdit, Ui};

use super::command::AppCommand;
use super::theme;
use crate::app::Clock;
use crate::app::launch::open_external;
use crate::app::notify::{
    DraftEdit, discard, draft_substitution, eml_file_name, eml_for, history, mailto_for, mark_sent,
    outbox, preview, recipient_problem, reset_to_default, restore, save_checked_template,
    save_edit, template_source,
};
use crate::app::settings::check_setting;
use crate::domain::notify::{MessageKind, Rendered};
use crate::store::Store;
use crate::store::messages::{Message, MessageStatus};
use crate::store::orders::OrderId;
use crate::store::settings::{
    DATE_LOCALE, HANDLING_DAYS, PAPER_SIZE, SENDER_EMAIL, SHOP_NAME, SIGNATURE,
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
}

/// Runs a command; the text goes to the status line.
pub fn apply(
    command: MessageCommand,
    store: &mut Store,
    clock: &Clock,
    ctx: &egui::Context,
) -> Result<String, String> {
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
            let mut checked = Vec::new();
            for (key, value) in values {
                checked.push((key, check_setting(key, &value)?));
            }
            for (key, value) in checked {
                store
                    .set_setting(key, &value)
                    .map_err(|error| error.to_string())?;
            }
            ctx.request_repaint();
            Ok("Settings saved".into())
        }
        MessageCommand::OfferSubstitutes(order_id) => {
            draft_substitution(store, order_id, clock).map_err(text)?;
            Ok("Substitution offer drafted; review it in Messages".into())
        }
    }
}

/// Newest sent and discarded messages the window lists (the command line lists all).
const HISTORY_SHOWN: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Outbox,
    Sent,
    Templates,
    Settings,
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

const SETTING_FIELDS: [(&str, &str); 6] = [
    (SHOP_NAME, "Shop name"),
    (SENDER_EMAIL, "Sender address"),
    (SIGNATURE, "Signature"),
    (DATE_LOCALE, "Dates"),
    (HANDLING_DAYS, "Handling days"),
    (PAPER_SIZE, "Paper"),
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
}

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
        self.loaded_for = Some(version);
        // Reload the open draft unless the shop is editing it.
        if let Some(editor) = &self.editor
            && !editor.dirty
        {
            self.editor = None;
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, store: &Store, version: u64, commands: &mut Vec<AppCommand>) {
        self.refresh(store, version);
        ui.horizontal(|ui| {
            let outbox = format!("Outbox ({})", self.drafts.len());
            ui.selectable_value(&mut self.view, View::Outbox, outbox);
            ui.selectable_value(&mut self.view, View::Sent, "Sent & discarded");
            ui.selectable_value(&mut self.view, View::Templates, "Templates");
            ui.selectable_value(&mut self.view, View::Settings, "Settings");
        });
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::ERROR, error);
        }
        ui.separator();
        match self.view {
            View::Outbox => self.outbox_ui(ui, store, commands, true),
            View::Sent => self.outbox_ui(ui, store, commands, false),
            View::Templates => self.templates_ui(ui, store, commands),
            View::Settings => self.settings_ui(ui, store, version, commands),
        }
    }

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
        egui::Panel::left(if drafts { "outbox_list" } else { "sent_list" })
            .resizable(true)
            .default_size(380.0)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for kind in MessageKind::ALL {
                            let of_kind: Vec<&Message> =
                                list.iter().filter(|m| m.kind == Some(kind)).collect();
                            if of_kind.is_empty() {
                                continue;
                            }
                            ui.add_space(4.0);
                            ui.label(
                                RichText::new(format!("{} ({})", kind.label(), of_kind.len()))
                                    .strong(),
                            );
                            for message in of_kind {
                                let selected = self.selected == Some(message.message_id);
                                let mut text = format!(
                                    "{} · {}",
                                    message.order_number, message.recipient_name
                                );
                                if !drafts {
                                    let when = message
                                        .sent_at
                                        .as_deref()
                                        .unwrap_or(message.updated_at.as_str());
                                    text.push_str(&format!(
                                        " · {} {}",
                                        message.status.label().to_lowercase(),
                                        when.get(..10).unwrap_or(when)
                                    ));
                                }
                                if ui.selectable_label(selected, text).clicked() {
                                    clicked = Some(message.message_id);
                                }
                            }
                        }
                    });
            });
        if let Some(id) = clicked
            && self.selected != Some(id)
        {
            self.selected = Some(id);
            self.editor = None;
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
                    .button("Discard")
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
            }
        });
    }

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
                     {{ line.eta_start }} {{ line.eta_end }} {{ line.old_eta }} {{ line.reason }} \
                     {% endfor %}, {{ shop.name }}, {{ shop.signature }}",
                )
                .small()
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
        if self.settings_for != Some(version) {
            self.settings = SETTING_FIELDS
                .iter()
                .map(|(key, _)| (*key, store.setting(key).ok().flatten().unwrap_or_default()))
                .collect();
            self.settings_for = Some(version);
        }
        ui.label(
            RichText::new("Used in customer messages, on pick lists and for promised dates.")
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
                        DATE_LOCALE => {
                            ui.horizontal(|ui| {
                                let us = value.as_str() != "intl";
                                if ui.radio(us, "Mar 3–7 (month first)").clicked() {
                                    "us".clone_into(value);
                                }
                                if ui.radio(!us, "3–7 Mar (day first)").clicked() {
                                    "intl".clone_into(value);
                                }
                            });
                        }
                        PAPER_SIZE => {
                            ui.horizontal(|ui| {
                                ui.radio_value(value, String::new(), "From the date style");
                                ui.radio_value(value, "a4".to_owned(), "A4");
                                ui.radio_value(value, "letter".to_owned(), "Letter");
                            });
                        }
                        _ => {
                            let hint = match *key {
                                SENDER_EMAIL => "shop@example.com",
                                HANDLING_DAYS => "1",
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
        ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
            if ui
                .add_enabled(problems.is_empty(), egui::Button::new("Save settings"))
                .clicked()
            {
                commands.push(AppCommand::Message(MessageCommand::SaveSettings(
                    self.settings.clone(),
                )));
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
                    when.get(..16).unwrap_or(when)
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
