//! The application shell: menu, file handling, first run, background jobs and the command queue.

mod commands;
mod dialogs;
mod files;
mod help;
mod jobs;
mod menus;
mod open;
pub mod reliability;
mod settings;
mod welcome;

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::app::Clock;
use crate::app::demo::DemoSummary;
use crate::app::export::ExportKind;
use crate::app::import::ImportKind;
use crate::app::jobs::Job;
use crate::app::orders::Allocated;
use crate::app::session::AfterOpen;
use crate::store::Store;
use crate::store::lock::{HeldLock, ShopLock};
use crate::ui::catalog::CatalogScreen;
use crate::ui::dashboard::DashboardScreen;
use crate::ui::import::{ExportFlow, ImportFlow, UndoFlow};
use crate::ui::messages::MessagesScreen;
use crate::ui::orders::OrdersScreen;
use crate::ui::orders::picklist::PickListWindow;
use crate::ui::purchasing::PurchasingScreen;
use crate::ui::reorder::ReorderScreen;
use crate::ui::shared::actions;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::Confirmation;
use crate::ui::shared::format;
use crate::ui::shared::tab::Tab;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shell::help::HelpDialog;
use crate::ui::shell::reliability::{CheckWindow, RestoreWindow};
use crate::ui::shell::settings::{SettingsDialog, SettingsOutcome};

/// A message that stays until the next one (bottom bar).
struct StatusLine {
    text: String,
    is_error: bool,
}

/// A dialog that needs an answer before anything else.
enum Dialog {
    /// The shop file could not be opened.
    OpenFailed {
        path: PathBuf,
        message: String,
        /// It can still be opened read-only (it is write-protected).
        offer_read_only: bool,
    },
    /// Another copy of the app writes to the file.
    InUse { path: PathBuf, held: HeldLock },
    /// The file is damaged: it is open read-only, and a backup is the way out.
    Damaged { message: String },
}

/// What a file chosen in a dialog of the shell is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileAction {
    OpenShop,
    NewShop,
    Import(ImportKind),
    Export(ExportKind),
    RestoreBackup,
}

/// The purpose under which the shell's requests wait for the window's own file dialog.
const SHELL_FILE: &str = "shell";

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenMode {
    /// To write: take the writer lock; ask when another copy writes.
    Normal,
    /// Like `Normal`, and an existing empty file may become a new shop (File > New shop file…).
    New,
    /// SQLite's read-only flags; the shared lock only.
    ReadOnly,
}

/// Shop files up to this size get their daily backup before the window shows them (well under
/// a second); larger ones on a worker thread.
const SYNC_DAILY_BACKUP_BYTES: u64 = 64 * 1024 * 1024;

pub struct DeskApp {
    clock: Clock,
    /// Wakes the window when a worker finishes.
    ctx: egui::Context,
    /// The damage check and first backup of the day of a large shop file, on a worker; changes
    /// wait until it is done.
    daily_backup: Option<Job<Result<AfterOpen, String>>>,
    store: Option<Store>,
    /// The locks this window holds on the open file (dropped after `store`, which closes
    /// first): the shared open lock always, the writer lock while it writes.
    lock: Option<ShopLock>,
    /// Bumped after every change so screens reload their cached rows.
    data_version: u64,
    catalog: CatalogScreen,
    orders: OrdersScreen,
    purchasing: PurchasingScreen,
    messages: MessagesScreen,
    dashboard: DashboardScreen,
    reorder: ReorderScreen,
    picklist: PickListWindow,
    commands: Vec<AppCommand>,
    dialog: Option<Dialog>,
    onboarding: bool,
    status: Option<StatusLine>,
    demo_job: Option<Job<Result<DemoSummary, String>>>,
    import: Option<ImportFlow>,
    undo: Option<UndoFlow>,
    export: Option<ExportFlow>,
    shown_title: String,
    tab: Tab,
    restore: RestoreWindow,
    check: CheckWindow,
    /// The shop answered "Save" or "Discard" to unsaved edits: the window may close.
    close_confirmed: bool,
    /// File › Settings…, while open.
    settings: Option<SettingsDialog>,
    /// Help › Keyboard shortcuts or About, while open.
    help: Option<HelpDialog>,
    /// The data version (and file) the shop's formats were read for.
    formats_for: Option<(u64, PathBuf)>,
    /// The welcome screen's shop name and currency.
    welcome_name: String,
    welcome_currency: String,
    /// A bulk action or an undo waiting for the shop owner's answer.
    confirmation: Option<Confirmation>,
    /// What the file the window's own file dialog is asking for will be used for.
    waiting_file: Option<FileAction>,
}

impl DeskApp {
    pub fn new(cc: &eframe::CreationContext<'_>, db_path: Option<PathBuf>, clock: Clock) -> Self {
        theme::apply(&cc.egui_ctx);
        let mut app = Self {
            clock,
            store: None,
            ctx: cc.egui_ctx.clone(),
            daily_backup: None,
            lock: None,
            data_version: 0,
            catalog: CatalogScreen::default(),
            orders: OrdersScreen::default(),
            purchasing: PurchasingScreen::default(),
            messages: MessagesScreen::default(),
            dashboard: DashboardScreen::default(),
            reorder: ReorderScreen::default(),
            picklist: PickListWindow::default(),
            commands: Vec::new(),
            dialog: None,
            onboarding: false,
            status: None,
            demo_job: None,
            import: None,
            undo: None,
            export: None,
            shown_title: String::new(),
            tab: Tab::Catalog,
            restore: RestoreWindow::default(),
            check: CheckWindow::default(),
            close_confirmed: false,
            settings: None,
            help: None,
            formats_for: None,
            welcome_name: String::new(),
            welcome_currency: crate::domain::Currency::default().code().to_owned(),
            confirmation: None,
            waiting_file: None,
        };
        match db_path {
            Some(path) => app.open_file(&path),
            None => {
                app.set_status(
                    "No data folder is known for this user: choose a shop file",
                    true,
                );
            }
        }
        app
    }

    /// The open store (tests use it to check what the window wrote).
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The Dashboard tab (tests read what its charts show).
    pub fn dashboard(&self) -> &DashboardScreen {
        &self.dashboard
    }

    fn set_status(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Some(StatusLine {
            text: text.into(),
            is_error,
        });
    }

    /// True while the open shop cannot be changed (read-only mode or a write-protected file).
    pub fn is_read_only(&self) -> bool {
        self.store.as_ref().is_some_and(Store::is_read_only)
    }

    fn title(&self) -> String {
        match &self.store {
            Some(store) if store.is_read_only() => {
                format!("{} (read-only) — Backorder Desk", file_name(store.path()))
            }
            Some(store) => format!("{} — Backorder Desk", file_name(store.path())),
            None => "Backorder Desk".to_owned(),
        }
    }

    /// Shows `tab`, or asks Save / Discard / Cancel first when a message edit is unsaved.
    fn switch_tab(&mut self, tab: Tab) {
        if self.tab == tab {
            return;
        }
        if self.tab == Tab::Messages && self.messages.has_unsaved() {
            self.messages.go(crate::ui::messages::Leave::Tab(tab));
        } else {
            self.tab = tab;
        }
    }

    /// Reads the shop's currency and date style again after a change.
    fn refresh_formats(&mut self, ctx: &egui::Context) {
        let Some(store) = &self.store else {
            if self.formats_for.take().is_some() {
                format::set_formats(ctx, format::ShopFormats::default());
            }
            return;
        };
        let key = (self.data_version, store.path().to_owned());
        if self.formats_for.as_ref() == Some(&key) {
            return;
        }
        format::set_formats(ctx, format::ShopFormats::load(store).unwrap_or_default());
        self.formats_for = Some(key);
    }
}

impl eframe::App for DeskApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_jobs();
        if let Some((text, is_error)) = self.picklist.take_status() {
            self.set_status(text, is_error);
        }
        let title = self.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if let Some(store) = &self.store {
            let (changed, status) = self.messages.poll(store, &self.clock);
            if changed {
                self.data_version += 1;
            }
            if let Some((text, is_error)) = status {
                self.set_status(text, is_error);
            }
        }
        // Closing with an unsaved edit asks first (Save / Discard / Cancel).
        if ctx.input(|input| input.viewport().close_requested())
            && !self.close_confirmed
            && self.messages.has_unsaved()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.tab = Tab::Messages;
            self.messages.go(crate::ui::messages::Leave::Close);
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the window's frame drawn in egui's immediate mode: menu, status bar, the open tab, then every dialog in order"
    )]
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.refresh_formats(&ctx);
        self.shortcuts(&ctx);
        // Lists take ↑/↓/Enter/Escape only while no window-wide dialog is open.
        let app_dialog = self.dialog.is_some()
            || self.settings.is_some()
            || self.help.is_some()
            || self.picklist.is_open()
            || self.import.is_some()
            || self.undo.is_some()
            || self.restore.is_open()
            || self.check.is_open();
        widgets::set_list_keys_free(&ctx, !app_dialog);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| {
            let read_only = self.is_read_only();
            // The date (and read-only) first, from the right; the message takes what is left,
            // cut with an ellipsis, the whole text on hover.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Today in the shop's date style, with its weekday.
                let today = self.clock.today();
                let formats = format::formats(ui.ctx());
                ui.label(
                    RichText::new(format!("{} {}", today.format("%a"), formats.date(today)))
                        .color(theme::MUTED),
                );
                if read_only {
                    ui.label(RichText::new("Read-only").strong().color(theme::WARNING))
                        .on_hover_text("Nothing can be changed in this window");
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    match &self.status {
                        Some(status) => {
                            let color = if status.is_error {
                                theme::ERROR
                            } else {
                                theme::MUTED
                            };
                            // Days in the shop's style (the shared layer writes them in
                            // ISO form); a cut message shows its whole text on hover.
                            let dates = format::formats(ui.ctx()).dates;
                            let text = crate::domain::promise::localize_dates(&status.text, dates);
                            ui.add(
                                egui::Label::new(RichText::new(text.as_ref()).color(color))
                                    .truncate(),
                            );
                        }
                        None => {
                            ui.label("");
                        }
                    }
                });
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(store) = &self.store else {
                self.no_file_ui(ui);
                return;
            };
            if self.onboarding {
                self.onboarding_ui(ui);
                return;
            }
            ui.horizontal(|ui| {
                self.messages.refresh(store, self.data_version);
                for tab in Tab::ALL {
                    let label = match tab {
                        Tab::Messages if self.messages.draft_count() > 0 => {
                            format!("{} ({})", tab.label(), self.messages.draft_count())
                        }
                        _ => tab.label().to_owned(),
                    };
                    let shortcut = tab
                        .action()
                        .shortcut()
                        .map(|shortcut| actions::shortcut_text(ui.ctx(), &shortcut))
                        .unwrap_or_default();
                    if ui
                        .selectable_label(self.tab == tab, RichText::new(label).strong())
                        .on_hover_text(shortcut)
                        .clicked()
                        && self.tab != tab
                    {
                        if self.tab == Tab::Messages && self.messages.has_unsaved() {
                            self.messages.go(crate::ui::messages::Leave::Tab(tab));
                        } else {
                            self.tab = tab;
                        }
                    }
                }
            });
            ui.add_space(2.0);
            let today = self.clock.today();
            match self.tab {
                Tab::Catalog => {
                    self.catalog
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
                Tab::Orders => {
                    self.orders
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
                Tab::Purchasing => {
                    self.purchasing
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
                Tab::Messages => {
                    self.messages
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
                Tab::Dashboard => {
                    self.dashboard
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
                Tab::Reorder => {
                    self.reorder
                        .ui(ui, store, self.data_version, today, &mut self.commands);
                }
            }
        });
        match self.messages.take_left() {
            Some(crate::ui::messages::Leave::Tab(tab)) => self.tab = tab,
            Some(crate::ui::messages::Leave::Close) => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            _ => {}
        }
        self.messages.send_ui(&ctx);
        if let Some(store) = &self.store {
            self.picklist
                .ui(&ctx, store, self.data_version, &mut self.commands);
        }
        self.import_ui(&ctx);
        let read_only = self.is_read_only();
        let can_restore = self.can_restore();
        self.restore.ui(&ctx, !can_restore, &mut self.commands);
        self.check.ui(&ctx, read_only, &mut self.commands);
        self.dialog_ui(&ctx);
        if let Some(dialog) = &mut self.settings {
            match dialog.ui(&ctx) {
                SettingsOutcome::Open => {}
                SettingsOutcome::Cancel => self.settings = None,
                SettingsOutcome::Save(values) => {
                    self.commands.push(AppCommand::SaveSettings(values));
                }
            }
        }
        if let Some(help) = &self.help
            && !help.ui(&ctx)
        {
            self.help = None;
        }
        self.confirmation_ui(&ctx);
        self.file_dialog_ui(&ctx);
        self.run_commands(&ctx);
    }
}

/// "Order cancelled; released stock went to SO-1, SO-2".
fn released_text(what: &str, moved: &[Allocated]) -> String {
    let mut orders: Vec<&str> = moved
        .iter()
        .filter(|m| m.quantity > 0)
        .map(|m| m.order_number.as_str())
        .collect();
    orders.dedup();
    if orders.is_empty() {
        what.to_owned()
    } else {
        format!("{what}; released stock went to {}", orders.join(", "))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
