//! The application shell: menu, file handling, first run, background jobs and the command queue.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText, Ui};

use super::actions::Action;
use super::catalog::CatalogScreen;
use super::command::AppCommand;
use super::confirm::{Answer, Asked, Bulk, Confirmation};
use super::dashboard::DashboardScreen;
use super::file_dialog::{self, FileKind, FileRequest, Native};
use super::help::HelpDialog;
use super::import::{ExportFlow, FlowOutcome, ImportFlow, UndoFlow};
use super::messages::MessagesScreen;
use super::orders::OrdersScreen;
use super::picklist::PickListWindow;
use super::purchasing::PurchasingScreen;
use super::reliability::{CheckWindow, InUseChoice, RestoreWindow, in_use_ui};
use super::reorder::ReorderScreen;
use super::settings::{SettingsDialog, SettingsOutcome, currency_field_ui};
use super::theme;
use crate::app::Clock;
use crate::app::backup::{READ_ONLY_REFUSAL, backup_now, repair_from_ledger, restore, size_text};
use crate::app::catalog::{adjust_stock_checked, save_product};
use crate::app::demo::{DemoSpec, DemoSummary, load_demo};
use crate::app::export::ExportKind;
use crate::app::import::{ImportKind, detect_kind};
use crate::app::jobs::Job;
use crate::app::orders::{Allocated, cancel_line_because, cancel_order_because, change_priority};
use crate::app::purchasing::{
    cancel as cancel_po, create_po_checked, move_po_date, receive, set_confirmed,
};
use crate::app::session::{
    Access, AfterOpen, Create, DailyBackup, DailyBackupOutcome, OpenError, OpenRequest,
    ReadOnlyReason, Session, checks_after_open, open_shop,
};
use crate::domain::storefront::StorefrontFormat;
use crate::store::backup::check_backup_file;
use crate::store::lock::{HeldLock, ShopLock};
use crate::store::{DeleteOutcome, Store, StoreError};

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

/// The screens, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Catalog,
    Orders,
    Purchasing,
    Reorder,
    Messages,
    Dashboard,
}

impl Tab {
    const ALL: [Self; 6] = [
        Self::Catalog,
        Self::Orders,
        Self::Purchasing,
        Self::Reorder,
        Self::Messages,
        Self::Dashboard,
    ];

    /// The View menu's action that shows this tab (its Ctrl+number shortcut).
    fn action(self) -> Action {
        match self {
            Self::Catalog => Action::ViewCatalog,
            Self::Orders => Action::ViewOrders,
            Self::Purchasing => Action::ViewPurchasing,
            Self::Reorder => Action::ViewReorder,
            Self::Messages => Action::ViewMessages,
            Self::Dashboard => Action::ViewDashboard,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Catalog => "Catalog",
            Self::Orders => "Orders",
            Self::Purchasing => "Purchase orders",
            Self::Messages => "Messages",
            Self::Dashboard => "Dashboard",
            Self::Reorder => "Reorder",
        }
    }
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

    fn open_file(&mut self, path: &Path) {
        self.open_file_with(path, OpenMode::Normal);
    }

    fn open_file_with(&mut self, path: &Path, mode: OpenMode) {
        let access = if mode == OpenMode::ReadOnly {
            Access::ReadOnly
        } else {
            Access::Write
        };
        let mut request = OpenRequest::new(path, access, self.clock);
        if mode == OpenMode::New {
            request.create = Create::AlsoEmpty;
        }
        let large = std::fs::metadata(path).is_ok_and(|meta| meta.len() > SYNC_DAILY_BACKUP_BYTES);
        // A big shop is checked and copied on a worker: the window opens at once, and changes
        // wait until the check is done.
        request.daily_backup = if large {
            DailyBackup::Later
        } else {
            DailyBackup::Now
        };
        if self
            .store
            .as_ref()
            .is_some_and(|store| store.path() == path)
        {
            // Closes the old connection before the new one (a restore replaced the file).
            self.store = None;
        }
        // This window already holds the file's locks (reopening after a restore): kept.
        if self
            .lock
            .as_ref()
            .is_some_and(|lock| lock.db_path() == path)
        {
            request.lock = self.lock.take();
        }
        let session = match open_shop(request) {
            Ok(session) => session,
            Err(error) => {
                if self.store.is_none() {
                    self.lock = None;
                }
                let offer_read_only = mode != OpenMode::ReadOnly
                    && matches!(error, OpenError::Store(StoreError::ReadOnly { .. }));
                self.open_failed(path, error.to_string(), offer_read_only);
                return;
            }
        };
        if let Some(ReadOnlyReason::InUse(held)) = &session.read_only {
            // Asked first, as before: read-only, or another file. Nothing stays open.
            self.dialog = Some(Dialog::InUse {
                path: path.to_owned(),
                held: held.clone(),
            });
            return;
        }
        let Session {
            store,
            lock,
            read_only,
            daily_backup,
            ..
        } = session;
        self.onboarding = store.needs_onboarding().unwrap_or(false);
        let name = file_name(path);
        let mut status = match &read_only {
            None => (format!("Opened {name}"), false),
            Some(ReadOnlyReason::Chosen) => (format!("Opened {name} read-only"), false),
            Some(ReadOnlyReason::NotWritable(_)) => (
                format!("Opened {name} read-only: the file or its folder cannot be written"),
                true,
            ),
            Some(reason @ (ReadOnlyReason::Damaged(_) | ReadOnlyReason::InUse(_))) => {
                (reason.message(path), true)
            }
        };
        let later = matches!(daily_backup, DailyBackupOutcome::Later);
        match daily_backup {
            DailyBackupOutcome::Written(backup) => {
                status
                    .0
                    .push_str(&format!("; today's backup is {}", file_name(&backup.path)));
            }
            DailyBackupOutcome::Failed(error) => {
                status = (
                    format!("Opened {name}, but the daily backup failed: {error}"),
                    true,
                );
            }
            DailyBackupOutcome::NotDue | DailyBackupOutcome::Later => {}
        }
        self.store = Some(store);
        self.lock = lock;
        // A check of the file opened before is of no interest any more.
        self.daily_backup = None;
        if later {
            self.start_daily_backup();
        }
        self.catalog = CatalogScreen::default();
        self.orders = OrdersScreen::default();
        self.purchasing = PurchasingScreen::default();
        self.messages = MessagesScreen::default();
        self.dashboard = DashboardScreen::default();
        self.reorder = ReorderScreen::default();
        self.picklist = PickListWindow::default();
        self.data_version += 1;
        self.load_file_dialog_settings();
        self.dialog = match read_only {
            Some(ReadOnlyReason::Damaged(message)) => Some(Dialog::Damaged { message }),
            _ => None,
        };
        self.set_status(status.0, status.1);
    }

    /// True when this window may replace its file with a backup: it holds the writer lock (a
    /// damaged file is read-only but its writer may still restore).
    fn can_restore(&self) -> bool {
        self.store.is_some() && self.lock.as_ref().is_some_and(ShopLock::is_writer)
    }

    fn open_failed(&mut self, path: &Path, message: String, offer_read_only: bool) {
        self.dialog = Some(Dialog::OpenFailed {
            path: path.to_owned(),
            message,
            offer_read_only,
        });
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

    fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one match arm per command of the window, each a short call into app; the window's command handling is split separately"
    )]
    fn run_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        // The status line tells the outcome of this action only: what an earlier one said
        // (an error above all) goes.
        self.status = None;
        // A damaged file is read-only, but its writer may still put a backup back.
        let restoring = matches!(
            command,
            AppCommand::RestoreBackup(_) | AppCommand::ChooseBackupFile
        ) && self.can_restore();
        if self.is_read_only() && command.writes() && !restoring {
            self.refuse(&command, READ_ONLY_REFUSAL);
            return;
        }
        if self.daily_backup.is_some() && command.writes() {
            self.refuse(
                &command,
                "The shop file is still being checked (a large file, a few seconds after opening), so nothing was changed; try again in a moment.",
            );
            return;
        }
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
            AppCommand::SaveProduct {
                existing,
                draft,
                opening_stock,
            } => {
                let Some(store) = &mut self.store else { return };
                let result = save_product(store, existing, &draft, opening_stock, &self.clock);
                match result {
                    Ok(product_id) => {
                        self.data_version += 1;
                        self.catalog.save_finished(Ok(product_id));
                        let verb = if existing.is_some() { "Saved" } else { "Added" };
                        self.set_status(format!("{verb} {}", draft.sku.trim()), false);
                    }
                    Err(error) => self.catalog.save_finished(Err(error.to_string())),
                }
            }
            AppCommand::DeleteProduct(product_id) => {
                let Some(store) = &mut self.store else { return };
                let sku = store
                    .product(product_id)
                    .map(|p| p.data.sku)
                    .unwrap_or_default();
                match crate::app::catalog::delete_product(store, product_id, &self.clock) {
                    Ok(DeleteOutcome::Deleted) => self.set_status(format!("Deleted {sku}"), false),
                    Ok(DeleteOutcome::Archived) => {
                        self.set_status(format!("Archived {sku}; its history is kept"), false);
                    }
                    Err(error) => self.set_status(format!("Cannot delete {sku}: {error}"), true),
                }
                self.data_version += 1;
            }
            AppCommand::AdjustStock {
                product_id,
                quantity,
                reason,
                allow_negative,
            } => {
                let Some(store) = &mut self.store else { return };
                match adjust_stock_checked(
                    store,
                    product_id,
                    quantity,
                    &reason,
                    allow_negative,
                    &self.clock,
                ) {
                    Ok((on_hand, moved)) => {
                        self.data_version += 1;
                        self.catalog.adjust_finished(Ok(()));
                        let mut text =
                            format!("Stock {quantity:+} ({reason}); on hand now {on_hand}");
                        let filled: Vec<String> = moved
                            .iter()
                            .filter(|m| m.quantity > 0)
                            .map(|m| m.order_number.clone())
                            .collect();
                        if !filled.is_empty() {
                            text.push_str(&format!("; reserved for {}", filled.join(", ")));
                        }
                        self.set_status(text, false);
                    }
                    Err(error) => self.catalog.adjust_finished(Err(error.to_string())),
                }
            }
            AppCommand::SetShipTo {
                order_id,
                ship_to,
                email,
            } => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::orders::update_ship_to(store, order_id, &ship_to, email.as_deref());
                let ok = result.is_ok();
                self.finish(result.map(|()| "Ship-to address saved".to_owned()));
                self.orders.ship_to_finished(ok);
            }
            AppCommand::CancelOversold(order_id) => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::orders::cancel_oversold(store, order_id, &self.clock);
                self.finish(result.map(|units| {
                    format!(
                        "{units} oversold unit(s) cancelled; the cancellation is drafted in Messages"
                    )
                }));
            }
            AppCommand::KeepOversoldWaiting(order_id) => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::orders::keep_oversold_waiting(store, order_id, &self.clock);
                self.finish(result.map(|drafted| {
                    if drafted {
                        "The units keep waiting; the backorder confirmation is drafted in Messages"
                            .to_owned()
                    } else {
                        "The units keep waiting (no confirmation drafted: the customer has no \
                         e-mail address)"
                            .to_owned()
                    }
                }));
            }
            AppCommand::PlaceOrder(input, ship_to) => {
                let Some(store) = &mut self.store else { return };
                match crate::app::orders::place_order_full(
                    store,
                    &input,
                    None,
                    &ship_to,
                    &self.clock,
                ) {
                    Ok((placed, _)) => {
                        self.data_version += 1;
                        let waiting: i64 = placed.lines.iter().map(|line| line.3).sum();
                        self.orders.place_finished(Ok(placed.order_id));
                        self.set_status(
                            if waiting > 0 {
                                format!(
                                    "Order {} placed; {waiting} unit(s) wait for stock",
                                    placed.order_number
                                )
                            } else {
                                format!(
                                    "Order {} placed; everything is reserved",
                                    placed.order_number
                                )
                            },
                            false,
                        );
                    }
                    Err(error) => self.orders.place_finished(Err(error.to_string())),
                }
            }
            AppCommand::ShipOrder(order_id) => {
                self.run_bulk(Bulk::ShipOrder(order_id), "");
            }
            AppCommand::CancelOrder(order_id, reason) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_order_because(store, order_id, reason, &self.clock);
                self.finish(result.map(|moved| released_text("Order cancelled", &moved)));
            }
            AppCommand::CancelLine(line_id, reason) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_line_because(store, line_id, reason, &self.clock);
                self.finish(result.map(|moved| released_text("Line cancelled", &moved)));
            }
            AppCommand::Payment(order_id, action) => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::practice::record_payment(store, order_id, action, &self.clock);
                self.finish(result.map(|outcome| outcome.message()));
            }
            AppCommand::ApplyAdvice(products) => self.run_bulk(Bulk::ApplyAdvice(products), ""),
            AppCommand::SetCutoff(target, date) => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::practice::set_cutoff(store, &target, date, &self.clock);
                self.finish(result);
            }
            AppCommand::ChangePriority(order_id, priority) => {
                let Some(store) = &mut self.store else { return };
                let result = change_priority(store, order_id, priority, &self.clock);
                self.finish(result.map(|_| format!("Priority set to {}", priority.code())));
            }
            AppCommand::CreatePo(input, new_supplier) => {
                let Some(store) = &mut self.store else { return };
                match create_po_checked(store, &input, new_supplier, &self.clock) {
                    Ok((_, number)) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        self.set_status(format!("Purchase order {number} created"), false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::ReceivePo {
                po_number,
                only,
                date,
            } => {
                if only.is_none() {
                    self.run_bulk(Bulk::ReceiveAll { po_number, date }, "");
                    return;
                }
                let Some(store) = &mut self.store else { return };
                let only = only.as_ref().map(|(sku, units)| (sku.as_str(), *units));
                match receive(store, &po_number, only, date, &self.clock) {
                    Ok(report) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        let units: i64 = report.received.iter().map(|(_, units)| units).sum();
                        let mut orders: Vec<String> = report
                            .allocated
                            .iter()
                            .filter(|a| a.quantity > 0)
                            .map(|a| a.order_number.clone())
                            .collect();
                        orders.dedup();
                        let text = if orders.is_empty() {
                            format!("Received {units} unit(s) on {po_number}; no order was waiting")
                        } else {
                            format!(
                                "Received {units} unit(s) on {po_number}; stock reserved for {}",
                                orders.join(", ")
                            )
                        };
                        self.set_status(text, false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::MovePoDate { po_number, date } => {
                let Some(store) = &mut self.store else { return };
                match move_po_date(store, &po_number, date, &self.clock) {
                    Ok(changes) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        self.set_status(
                            format!(
                                "{po_number} now expected {date}; {} promise(s) moved later (see Orders)",
                                changes.len()
                            ),
                            false,
                        );
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::SetPoConfirmed(po_id, confirmed) => {
                let Some(store) = &mut self.store else { return };
                let result = set_confirmed(store, po_id, confirmed, &self.clock);
                self.finish(result.map(|()| {
                    if confirmed {
                        "Date confirmed"
                    } else {
                        "Date no longer confirmed"
                    }
                    .to_owned()
                }));
            }
            AppCommand::CancelPo(po_id) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_po(store, po_id, &self.clock);
                self.finish(result.map(|slips| {
                    format!("Purchase order cancelled; {slips} promise(s) moved later (see Orders)")
                }));
            }
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
            AppCommand::Message(command) => {
                let Some(store) = &mut self.store else { return };
                match self.messages.apply(command, store, &self.clock, ctx) {
                    // A dialog the shop closed without choosing: nothing to say.
                    Ok(text) if text.is_empty() => {}
                    result => self.finish(result),
                }
            }
            AppCommand::Reorder(command) => {
                let Some(store) = &mut self.store else { return };
                let result = self.reorder.apply(store, *command, &self.clock);
                self.finish(result);
            }
            AppCommand::PickList(command) => {
                let Some(store) = &mut self.store else { return };
                let outcome = self.picklist.run(ctx, store, &self.clock, command);
                if outcome.changed {
                    self.data_version += 1;
                }
                if let Some((text, is_error)) = outcome.status {
                    self.set_status(text, is_error);
                }
            }
            AppCommand::ShowBackups => {
                if let Some(store) = &self.store {
                    self.restore.show(store.path());
                }
            }
            AppCommand::BackupNow => {
                let Some(store) = &self.store else { return };
                match backup_now(store, None, &self.clock) {
                    Ok((path, size)) => {
                        let db = store.path().to_owned();
                        self.restore.refresh(&db);
                        self.set_status(
                            format!("Backup written: {} ({})", file_name(&path), size_text(size)),
                            false,
                        );
                    }
                    Err(error) => self.set_status(error.to_string(), true),
                }
            }
            AppCommand::ChooseBackupFile => {
                let Some(store) = &self.store else { return };
                let folder = crate::store::backup::backups_folder(store.path());
                let request = FileRequest::open(SHELL_FILE, FileKind::Backup, "Restore a backup")
                    .filter("Shop file", &["sqlite", "db", "sqlite3"])
                    .filter("All files", &["*"])
                    .directory(folder);
                self.choose_file(ctx, FileAction::RestoreBackup, request);
            }
            AppCommand::RestoreBackup(backup) => self.restore_backup(&backup),
            AppCommand::CheckDatabase => {
                let Some(store) = &self.store else { return };
                let opener = store.opener();
                self.check.start(ctx, opener);
            }
            AppCommand::RepairFromLedger => {
                let Some(store) = &mut self.store else { return };
                let opener = store.opener();
                let clock = self.clock;
                // A repair runs while no other copy has the file open.
                let result = match &mut self.lock {
                    Some(lock) => lock
                        .exclusively(|| repair_from_ledger(store, &clock))
                        .unwrap_or_else(|refused| Err(StoreError::Invalid(refused.to_string()))),
                    None => Err(StoreError::Invalid(READ_ONLY_REFUSAL.to_owned())),
                };
                match result {
                    Ok(report) => {
                        let text = format!(
                            "{}; the file before the repair is kept as {}",
                            report.summary(),
                            file_name(&report.backup)
                        );
                        self.data_version += 1;
                        self.check.repair_finished(text.clone());
                        self.set_status(text, false);
                        self.check.start(ctx, opener);
                    }
                    Err(error) => self.set_status(format!("Not repaired: {error}"), true),
                }
            }
            AppCommand::OpenReadOnly(path) => self.open_file_with(&path, OpenMode::ReadOnly),
            AppCommand::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            AppCommand::ShowProduct(product_id) => {
                self.catalog.show_product(product_id);
                self.tab = Tab::Catalog;
            }
            AppCommand::OpenMessage(message_id) => {
                self.tab = Tab::Messages;
                self.messages.show_message(message_id);
            }
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
            AppCommand::AskFirst(bulk) => {
                let Some(store) = &self.store else { return };
                match Confirmation::ask(store, bulk) {
                    Ok(confirmation) => self.confirmation = Some(confirmation),
                    Err(message) => self.set_status(message, true),
                }
            }
            AppCommand::RunBulk {
                bulk,
                tracking_number,
            } => self.run_bulk(bulk, &tracking_number),
            AppCommand::Undo => {
                let Some(store) = &mut self.store else { return };
                let label = match crate::app::undo_stack::next_undo(store) {
                    Ok(Some(point)) => point.label,
                    Ok(None) => {
                        self.set_status("There is nothing to undo", true);
                        return;
                    }
                    Err(error) => {
                        self.set_status(error.to_string(), true);
                        return;
                    }
                };
                let plan = crate::app::undo_stack::plan_undo(store, &self.clock);
                self.confirmation = Some(Confirmation::undo(
                    plan.as_ref().map_err(ToString::to_string),
                    &label,
                ));
            }
            AppCommand::UndoConfirmed => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::undo_stack::undo_last(store, &self.clock);
                self.finish(result.map(|report| {
                    format!(
                        "Undone: {} ({})",
                        report.point.label,
                        report.effects(true).join("; ")
                    )
                }));
            }
        }
    }

    /// Asks for a file (the system's dialog, else the window's own) and uses it for `action`
    /// once chosen.
    fn choose_file(&mut self, ctx: &egui::Context, action: FileAction, mut request: FileRequest) {
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

    fn file_chosen(&mut self, ctx: &egui::Context, action: FileAction, path: PathBuf) {
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
    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        file_dialog::show(ctx);
        if let Some(path) = file_dialog::answer(ctx, SHELL_FILE)
            && let Some(action) = self.waiting_file
        {
            self.file_chosen(ctx, action, path);
        }
        if let Some((purpose, path)) = file_dialog::answer_starting(ctx, "eml:")
            && let Some(id) = purpose.strip_prefix("eml:").and_then(|id| id.parse().ok())
        {
            self.commands.push(AppCommand::Message(
                super::messages::MessageCommand::SaveEmlTo(id, path),
            ));
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

    /// Reads the shop's remembered folders and its file dialog choice.
    fn load_file_dialog_settings(&self) {
        let Some(store) = &self.store else { return };
        let folders = FileKind::ALL
            .into_iter()
            .filter_map(|kind| {
                store
                    .setting(kind.setting())
                    .ok()
                    .flatten()
                    .filter(|folder| !folder.is_empty())
                    .map(|folder| (kind, PathBuf::from(folder)))
            })
            .collect();
        file_dialog::set_folders(&self.ctx, folders);
        if store
            .setting(file_dialog::USE_BUILTIN_SETTING)
            .ok()
            .flatten()
            .is_some_and(|value| value == "builtin")
        {
            file_dialog::set_native(&self.ctx, Native::BuiltIn);
        }
    }

    /// Runs an action that changes many orders or products as one undoable step.
    fn run_bulk(&mut self, bulk: Bulk, tracking_number: &str) {
        use crate::app::undo_stack;
        const UNDO_HINT: &str = "; Edit › Undo takes it back";
        let clock = self.clock;
        let Some(store) = &mut self.store else { return };
        match bulk {
            Bulk::ApplyAdvice(products) => {
                let result = undo_stack::apply_advice(store, &products, &clock);
                self.finish(result.map(|changed| {
                    if changed.is_empty() {
                        "Nothing to apply".to_owned()
                    } else {
                        let names: Vec<String> = changed
                            .iter()
                            .take(5)
                            .map(|(sku, policy)| format!("{sku} → {}", policy.label()))
                            .collect();
                        let more = changed.len().saturating_sub(names.len());
                        format!(
                            "Backorder policy of {} product(s) changed: {}{}{UNDO_HINT}",
                            changed.len(),
                            names.join(", "),
                            if more > 0 {
                                format!(" and {more} more")
                            } else {
                                String::new()
                            }
                        )
                    }
                }));
            }
            Bulk::ReceiveAll { po_number, date } => {
                match undo_stack::receive_all(store, &po_number, date, &clock) {
                    Ok(report) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        let units: i64 = report.received.iter().map(|(_, units)| units).sum();
                        let mut orders: Vec<String> = report
                            .allocated
                            .iter()
                            .filter(|a| a.quantity > 0)
                            .map(|a| a.order_number.clone())
                            .collect();
                        orders.dedup();
                        let text = if orders.is_empty() {
                            format!("Received {units} unit(s) on {po_number}; no order was waiting")
                        } else {
                            format!(
                                "Received {units} unit(s) on {po_number}; stock reserved for {}",
                                orders.join(", ")
                            )
                        };
                        self.set_status(format!("{text}{UNDO_HINT}"), false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            Bulk::ShipOrder(order_id) => {
                let result = undo_stack::ship_order(store, order_id, tracking_number, &clock);
                let tracking = tracking_number.trim().to_owned();
                self.finish(result.map(|units| {
                    if tracking.is_empty() {
                        format!("Shipped {units} unit(s){UNDO_HINT}")
                    } else {
                        format!("Shipped {units} unit(s), tracking number {tracking}{UNDO_HINT}")
                    }
                }));
            }
            Bulk::MarkPicked(list_number) => {
                self.commands.push(AppCommand::PickList(
                    super::picklist::PickListCommand::MarkPicked(list_number),
                ));
            }
        }
    }

    /// The open confirmation (bulk action or undo), and what its answer starts.
    fn confirmation_ui(&mut self, ctx: &egui::Context) {
        let Some(confirmation) = &mut self.confirmation else {
            return;
        };
        match confirmation.ui(ctx) {
            Answer::Waiting => {}
            Answer::No => self.confirmation = None,
            Answer::Yes { tracking_number } => {
                let asked = confirmation.asked.clone();
                self.confirmation = None;
                self.commands.push(match asked {
                    Asked::Bulk(bulk) => AppCommand::RunBulk {
                        bulk,
                        tracking_number,
                    },
                    Asked::Undo => AppCommand::UndoConfirmed,
                });
            }
        }
    }

    /// Tells why a change was not made in read-only mode (and closes the form that asked).
    fn refuse(&mut self, command: &AppCommand, message: &str) {
        let message = message.to_owned();
        match command {
            AppCommand::SaveProduct { .. } => self.catalog.save_finished(Err(message.clone())),
            AppCommand::AdjustStock { .. } => self.catalog.adjust_finished(Err(message.clone())),
            AppCommand::PlaceOrder(..) => self.orders.place_finished(Err(message.clone())),
            AppCommand::CreatePo(..)
            | AppCommand::ReceivePo { .. }
            | AppCommand::MovePoDate { .. } => self.purchasing.finished(Err(message.clone())),
            AppCommand::SaveSettings(_) => {
                if let Some(dialog) = &mut self.settings {
                    dialog.error = Some(message.clone());
                }
            }
            _ => {}
        }
        self.set_status(message, true);
    }

    /// Restores a confirmed backup: checked while the shop stays open, then the shop is closed
    /// (every connection of this window, its workers' too), replaced (after a backup of it)
    /// while no other copy has it open, and opened again.
    fn restore_backup(&mut self, backup: &Path) {
        let Some(store) = &self.store else { return };
        let db = store.path().to_owned();
        let opener = store.opener();
        if self.demo_job.is_some()
            || self.import.is_some()
            || self.undo.is_some()
            || self.export.is_some()
        {
            self.set_status(
                "Wait for the running import, export or demo to finish, then restore",
                true,
            );
            return;
        }
        if !self.can_restore() {
            self.set_status(format!("Not restored: {READ_ONLY_REFUSAL}"), true);
            return;
        }
        if let Err(error) = check_backup_file(backup) {
            self.set_status(format!("Not restored: {error}"), true);
            return;
        }
        self.store = None;
        // Workers still reading (a dashboard, the catalog) finish first.
        let start = std::time::Instant::now();
        while opener.open_stores() > 0 && start.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let result = if opener.open_stores() > 0 {
            Err("a screen is still reading the shop file; try again in a moment. Nothing was changed.".to_owned())
        } else if let Some(lock) = &mut self.lock {
            let clock = self.clock;
            match lock.exclusively(|| restore(&db, backup, &clock)) {
                Ok(Ok(report)) => Ok(report),
                Ok(Err(error)) => Err(error.to_string()),
                Err(refused) => Err(refused.to_string()),
            }
        } else {
            Err(READ_ONLY_REFUSAL.to_owned())
        };
        self.open_file(&db);
        match result {
            Ok(report) => {
                let previous = if report.previous.as_os_str().is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the file as it was is kept as {}",
                        file_name(&report.previous)
                    )
                };
                self.set_status(
                    format!(
                        "Restored {} ({} products, {} orders){previous}",
                        file_name(&report.restored_from),
                        report.checked.products,
                        report.checked.orders
                    ),
                    false,
                );
            }
            Err(error) => self.set_status(format!("Not restored: {error}"), true),
        }
    }

    /// Shows the outcome of a command in the status line and refreshes the screens.
    fn finish<E: std::fmt::Display>(&mut self, result: Result<String, E>) {
        match result {
            Ok(text) => {
                self.data_version += 1;
                self.set_status(text, false);
            }
            Err(error) => self.set_status(error.to_string(), true),
        }
    }

    fn start_demo(&mut self, ctx: &egui::Context) {
        let Some(store) = &self.store else { return };
        let opener = store.opener();
        let clock = self.clock;
        let wake_ctx = ctx.clone();
        let job = Job::spawn(
            "Load demo shop",
            move |progress| {
                let mut worker_store = opener.open().map_err(|e| e.to_string())?;
                load_demo(&mut worker_store, DemoSpec::default(), &clock, progress)
                    .map_err(|e| e.to_string())
            },
            move || wake_ctx.request_repaint(),
        );
        match job {
            Ok(job) => self.demo_job = Some(job),
            Err(error) => self.set_status(format!("Cannot start the demo: {error}"), true),
        }
    }

    fn begin_import(&mut self, ctx: &egui::Context, kind: Option<ImportKind>, path: PathBuf) {
        let Some(store) = &self.store else { return };
        if self.import.is_some() {
            self.set_status("An import is already open", true);
            return;
        }
        let kind = match kind.map_or_else(|| detect_kind(&path), Ok) {
            Ok(kind) => kind,
            Err(message) => {
                self.set_status(message, true);
                return;
            }
        };
        match ImportFlow::begin(&store.opener(), kind, path, self.clock, ctx) {
            Ok(flow) => self.import = Some(flow),
            Err(error) => self.set_status(error, true),
        }
    }

    /// Writes the first backup of the day on a worker thread with its own connection.
    fn start_daily_backup(&mut self) {
        let Some(store) = &self.store else { return };
        let opener = store.opener();
        let clock = self.clock;
        let wake = self.ctx.clone();
        let checked = self
            .lock
            .as_ref()
            .is_some_and(|lock| lock.checked_today(&clock.today().to_string()));
        match Job::spawn(
            "Check and daily backup",
            move |_| {
                let store = opener.open().map_err(|error| error.to_string())?;
                checks_after_open(&store, &clock, checked).map_err(|error| error.to_string())
            },
            move || wake.request_repaint(),
        ) {
            Ok(job) => self.daily_backup = Some(job),
            Err(error) => self.set_status(format!("The daily backup did not start: {error}"), true),
        }
    }

    /// Work that must happen even when nothing is drawn: finished background jobs.
    fn poll_jobs(&mut self) {
        self.check.poll();
        if let Some(job) = &self.daily_backup
            && let Some(result) = job.poll()
        {
            self.daily_backup = None;
            let result = result.and_then(|inner| inner);
            if let (Ok(AfterOpen::Sound(_)), Some(lock)) = (&result, &mut self.lock) {
                lock.note_verified(&self.clock.today().to_string());
            }
            match result {
                Ok(AfterOpen::Sound(DailyBackupOutcome::Written(backup))) => self.set_status(
                    format!("Today's backup is {}", file_name(&backup.path)),
                    false,
                ),
                Ok(AfterOpen::Sound(DailyBackupOutcome::Failed(error))) => {
                    self.set_status(format!("The daily backup failed: {error}"), true);
                }
                Ok(AfterOpen::Sound(_)) => {}
                Ok(AfterOpen::Damaged(message)) => {
                    if let Some(store) = &mut self.store {
                        let _ = store.refuse_writes();
                    }
                    self.set_status(message.clone(), true);
                    self.dialog = Some(Dialog::Damaged { message });
                }
                Err(error) => self.set_status(format!("The daily backup failed: {error}"), true),
            }
        }
        if let Some(export) = &self.export
            && let Some(result) = export.poll()
        {
            self.export = None;
            match result {
                Ok(text) => self.set_status(text, false),
                Err(message) => self.set_status(format!("Export failed: {message}"), true),
            }
        }
        let Some(job) = &self.demo_job else { return };
        let Some(result) = job.poll() else { return };
        self.demo_job = None;
        match result.and_then(|inner| inner) {
            Ok(summary) => {
                self.onboarding = false;
                self.data_version += 1;
                self.set_status(
                    format!(
                        "Demo shop loaded: {} products, {} orders, {} backordered lines",
                        summary.products, summary.orders, summary.backordered_lines
                    ),
                    false,
                );
            }
            Err(message) => self.set_status(format!("Demo shop not loaded: {message}"), true),
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some()
            || self.catalog.has_dialog()
            || self.orders.has_dialog()
            || self.purchasing.has_dialog()
            || self.reorder.has_dialog()
            || self.picklist.is_open()
            || self.demo_job.is_some()
            || self.import.is_some()
            || self.restore.is_open()
            || self.check.is_open()
            || self.undo.is_some()
            || self.settings.is_some()
            || self.help.is_some()
            || self.confirmation.is_some()
            || file_dialog::is_open(ctx)
        {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // The more modifiers a shortcut has, the earlier it is tried: egui matches Ctrl+O also
        // when Shift is held, so Ctrl+Shift+O (New order) must be taken before Ctrl+O (Open).
        let mut keyed: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .into_iter()
            .filter_map(|action| action.shortcut().map(|shortcut| (action, shortcut)))
            .collect();
        keyed.sort_by_key(|(_, shortcut)| {
            let m = shortcut.modifiers;
            std::cmp::Reverse(
                u8::from(m.alt) + u8::from(m.shift) + u8::from(m.command || m.ctrl || m.mac_cmd),
            )
        });
        for (action, shortcut) in keyed {
            if typing && action.conflicts_with_typing() {
                continue;
            }
            if ctx.input_mut(|input| input.consume_shortcut(&shortcut)) {
                self.action(action);
            }
        }
    }

    fn action(&mut self, action: Action) {
        match action {
            Action::NewFile => self.commands.push(AppCommand::ChooseNewFile),
            Action::OpenFile => self.commands.push(AppCommand::ChooseFileToOpen),
            Action::ImportProducts => {
                self.finish_welcome();
                self.commands
                    .push(AppCommand::ChooseImport(ImportKind::Products));
            }
            Action::ImportOrders => {
                self.finish_welcome();
                self.commands
                    .push(AppCommand::ChooseImport(ImportKind::Orders));
            }
            Action::ImportPurchaseOrders => {
                self.finish_welcome();
                self.commands
                    .push(AppCommand::ChooseImport(ImportKind::PurchaseOrders));
            }
            Action::ImportInventory => {
                self.finish_welcome();
                self.commands
                    .push(AppCommand::ChooseImport(ImportKind::Inventory));
            }
            Action::UndoImport => self.commands.push(AppCommand::UndoImport),
            Action::ExportProducts => self
                .commands
                .push(AppCommand::ChooseExport(ExportKind::Products)),
            Action::ExportOrders => self
                .commands
                .push(AppCommand::ChooseExport(ExportKind::Orders)),
            Action::ExportPurchaseOrders => {
                self.commands
                    .push(AppCommand::ChooseExport(ExportKind::PurchaseOrders));
            }
            Action::ExportBackorders => self
                .commands
                .push(AppCommand::ChooseExport(ExportKind::Backorders)),
            Action::ExportShopifyBadges => {
                self.commands
                    .push(AppCommand::ChooseExport(ExportKind::Badges(
                        StorefrontFormat::Shopify,
                    )));
            }
            Action::ExportWooCommerceBadges => {
                self.commands
                    .push(AppCommand::ChooseExport(ExportKind::Badges(
                        StorefrontFormat::WooCommerce,
                    )));
            }
            Action::Quit => self.commands.push(AppCommand::Quit),
            Action::RestoreBackup => self.commands.push(AppCommand::ShowBackups),
            Action::CheckDatabase => self.commands.push(AppCommand::CheckDatabase),
            Action::Settings => {
                if let Some(store) = &self.store {
                    self.settings = Some(SettingsDialog::load(store));
                }
            }
            Action::Shortcuts => self.help = Some(HelpDialog::Shortcuts),
            Action::About => {
                let shop_file = self.store.as_ref().map(|store| store.path().to_owned());
                self.help = Some(HelpDialog::About {
                    backups: shop_file
                        .as_deref()
                        .map(crate::store::backup::backups_folder),
                    shop_file,
                    data_folder: crate::app::launch::data_folder(),
                });
            }
            Action::UserGuide => self.commands.push(AppCommand::OpenUserGuide),
            Action::NewOrder => {
                if self.store.is_some() && !self.onboarding && !self.is_read_only() {
                    self.switch_tab(Tab::Orders);
                    if self.tab == Tab::Orders {
                        self.orders.new_order();
                    }
                }
            }
            Action::ViewCatalog
            | Action::ViewOrders
            | Action::ViewPurchasing
            | Action::ViewReorder
            | Action::ViewMessages
            | Action::ViewDashboard => {
                if let Some(tab) = Tab::ALL.into_iter().find(|tab| tab.action() == action)
                    && self.store.is_some()
                    && !self.onboarding
                {
                    self.switch_tab(tab);
                }
            }
            Action::Undo => {
                if self.store.is_some() && !self.onboarding {
                    self.commands.push(AppCommand::Undo);
                }
            }
            _ => {
                if let Some(store) = &self.store
                    && !self.onboarding
                {
                    self.catalog.action(action, store);
                }
            }
        }
    }

    /// Shows `tab`, or asks Save / Discard / Cancel first when a message edit is unsaved.
    fn switch_tab(&mut self, tab: Tab) {
        if self.tab == tab {
            return;
        }
        if self.tab == Tab::Messages && self.messages.has_unsaved() {
            self.messages.go(super::messages::Leave::Tab(tab));
        } else {
            self.tab = tab;
        }
    }

    /// Reads the shop's currency and date style again after a change.
    fn refresh_formats(&mut self, ctx: &egui::Context) {
        let Some(store) = &self.store else {
            if self.formats_for.take().is_some() {
                super::format::set_formats(ctx, super::format::ShopFormats::default());
            }
            return;
        };
        let key = (self.data_version, store.path().to_owned());
        if self.formats_for.as_ref() == Some(&key) {
            return;
        }
        super::format::set_formats(
            ctx,
            super::format::ShopFormats::load(store).unwrap_or_default(),
        );
        self.formats_for = Some(key);
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the whole menu bar, one menu after another, as the user sees it"
    )]
    fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for action in [Action::NewFile, Action::OpenFile] {
                    if ui.add(action.button(ui.ctx())).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
                ui.separator();
                let has_store = self.store.is_some() && !self.onboarding;
                // Importing is one of the ways to start, so it is offered on the welcome screen.
                let writable = self.store.is_some() && !self.is_read_only();
                for action in [
                    Action::ImportProducts,
                    Action::ImportOrders,
                    Action::ImportPurchaseOrders,
                    Action::ImportInventory,
                    Action::UndoImport,
                ] {
                    if ui.add_enabled(writable, action.button(ui.ctx())).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
                ui.separator();
                for action in [
                    Action::ExportProducts,
                    Action::ExportOrders,
                    Action::ExportPurchaseOrders,
                    Action::ExportBackorders,
                    Action::ExportShopifyBadges,
                    Action::ExportWooCommerceBadges,
                ] {
                    if ui.add_enabled(has_store, action.button(ui.ctx())).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
                ui.separator();
                if ui
                    .add_enabled(self.store.is_some(), Action::RestoreBackup.button(ui.ctx()))
                    .clicked()
                {
                    self.action(Action::RestoreBackup);
                    ui.close();
                }
                ui.separator();
                if ui
                    .add_enabled(self.store.is_some(), Action::Settings.button(ui.ctx()))
                    .clicked()
                {
                    self.action(Action::Settings);
                    ui.close();
                }
                ui.separator();
                let mut builtin = file_dialog::native(ui.ctx()) == Native::BuiltIn;
                if ui
                    .checkbox(&mut builtin, "Use the built-in file dialog")
                    .on_hover_text(
                        "Choose files in a dialog drawn in this window instead of the system's (for desktops without a file dialog service)",
                    )
                    .changed()
                {
                    let native = if builtin { Native::BuiltIn } else { Native::Auto };
                    file_dialog::set_native(ui.ctx(), native);
                    if let Some(store) = &mut self.store
                        && !store.is_read_only()
                        && let Err(error) = crate::app::settings::keep_window_choice(
                            store,
                            file_dialog::USE_BUILTIN_SETTING,
                            if builtin { "builtin" } else { "" },
                        )
                    {
                        self.set_status(format!("The choice is not kept: {error}"), true);
                    }
                }
                ui.separator();
                if ui.add(Action::Quit.button(ui.ctx())).clicked() {
                    self.action(Action::Quit);
                    ui.close();
                }
            });
            ui.menu_button("Edit", |ui| {
                let next = self
                    .store
                    .as_ref()
                    .and_then(|store| crate::app::undo_stack::next_undo(store).ok().flatten());
                let writable = self.store.is_some() && !self.onboarding && !self.is_read_only();
                let label = next.as_ref().map_or_else(
                    || "Undo".to_owned(),
                    |point| format!("Undo {}", point.label),
                );
                let mut button = egui::Button::new(label);
                if let Some(shortcut) = Action::Undo.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
                }
                if ui
                    .add_enabled(writable && next.is_some(), button)
                    .on_disabled_hover_text(
                        "Nothing to undo: actions that change many orders or products (apply all suggestions, receive all, ship, mark picked) can be undone here",
                    )
                    .clicked()
                {
                    self.action(Action::Undo);
                    ui.close();
                }
            });
            ui.menu_button("Product", |ui| {
                let enabled = self.store.is_some() && !self.onboarding && !self.is_read_only();
                for action in [
                    Action::AddProduct,
                    Action::EditProduct,
                    Action::AdjustStock,
                    Action::DeleteProduct,
                    Action::FocusSearch,
                ] {
                    if ui.add_enabled(enabled, action.button(ui.ctx())).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
            });
            ui.menu_button("View", |ui| {
                let enabled = self.store.is_some() && !self.onboarding;
                for tab in Tab::ALL {
                    let action = tab.action();
                    let button = action.button(ui.ctx()).selected(self.tab == tab);
                    if ui.add_enabled(enabled, button).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                for action in [Action::Shortcuts, Action::UserGuide] {
                    if ui.add(action.button(ui.ctx())).clicked() {
                        self.action(action);
                        ui.close();
                    }
                }
                ui.separator();
                if ui
                    .add_enabled(self.store.is_some(), Action::CheckDatabase.button(ui.ctx()))
                    .clicked()
                {
                    self.action(Action::CheckDatabase);
                    ui.close();
                }
                ui.separator();
                if ui.add(Action::About.button(ui.ctx())).clicked() {
                    self.action(Action::About);
                    ui.close();
                }
            });
        });
    }

    /// The welcome screen's answers as settings, with the first-run choice made.
    fn finish_welcome(&mut self) {
        if !self.onboarding {
            return;
        }
        let mut values = vec![(
            crate::store::settings::CURRENCY,
            self.welcome_currency.trim().to_owned(),
        )];
        if !self.welcome_name.trim().is_empty() {
            values.push((
                crate::store::settings::SHOP_NAME,
                self.welcome_name.trim().to_owned(),
            ));
        }
        values.push((crate::store::settings::ONBOARDING, "done".to_owned()));
        self.commands.push(AppCommand::SaveSettings(values));
    }

    /// First start: the shop's name and currency, then the demo, an import or an empty shop.
    fn onboarding_ui(&mut self, ui: &mut Ui) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("Welcome to Backorder Desk").size(26.0).strong());
            ui.add_space(6.0);
            ui.label("This shop file is empty. Tell the desk about your shop, then start with the demo, an import or nothing.");
            ui.add_space(16.0);
            if let Some(job) = &self.demo_job {
                ui.add(
                    egui::ProgressBar::new(job.progress.fraction())
                        .desired_width(320.0)
                        .show_percentage()
                        .text("Loading demo shop…"),
                );
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            }
        });
        if self.demo_job.is_some() {
            return;
        }
        let width = 560.0_f32.min(ui.available_width());
        let margin = ((ui.available_width() - width) / 2.0).max(0.0);
        let currency_ok = crate::domain::Currency::from_code(&self.welcome_currency).is_ok();
        let named = !self.welcome_name.trim().is_empty();
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(RichText::new("Your shop").strong().size(17.0));
                egui::Grid::new("welcome_grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Shop name");
                        ui.add(
                            egui::TextEdit::singleline(&mut self.welcome_name)
                                .hint_text("signs your messages and pick lists")
                                .desired_width(300.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Currency");
                        currency_field_ui(ui, &mut self.welcome_currency, label.id);
                        ui.end_row();
                    });
                ui.label(
                    RichText::new("Both can be changed later in File › Settings… (Ctrl+,)")
                        .color(theme::MUTED),
                );
                ui.add_space(14.0);
                ui.label(RichText::new("Then").strong().size(17.0));
                ui.add_space(4.0);
                let big = |text: &str| {
                    egui::Button::new(RichText::new(text).size(16.0)).min_size(egui::vec2(170.0, 36.0))
                };
                let mut choice = None;
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(currency_ok, big("Load demo shop"))
                        .on_hover_text("400 products, a year of orders, open purchase orders and some backorders; the demo brings its own shop name")
                        .clicked()
                    {
                        choice = Some(AppCommand::LoadDemo);
                    }
                    if ui
                        .add_enabled(named && currency_ok && !self.is_read_only(), big("Import products…"))
                        .on_hover_text("Your products from a CSV file (own format, Shopify or WooCommerce)")
                        .on_disabled_hover_text("Type your shop's name first")
                        .clicked()
                    {
                        choice = Some(AppCommand::ChooseImport(ImportKind::Products));
                    }
                    if ui
                        .add_enabled(named && currency_ok, big("Start empty"))
                        .on_disabled_hover_text("Type your shop's name first")
                        .clicked()
                    {
                        choice = Some(AppCommand::StartEmpty);
                    }
                });
                ui.add_space(10.0);
                ui.label(
                    RichText::new("Tip: the demo is best kept in its own file (File › New shop file…)")
                        .color(theme::MUTED),
                );
                match choice {
                    Some(AppCommand::LoadDemo) => {
                        // The demo names itself; the currency chosen here stays.
                        self.commands.push(AppCommand::SaveSettings(vec![(
                            crate::store::settings::CURRENCY,
                            self.welcome_currency.trim().to_owned(),
                        )]));
                        self.commands.push(AppCommand::LoadDemo);
                    }
                    Some(AppCommand::StartEmpty) => self.finish_welcome(),
                    Some(command) => {
                        self.finish_welcome();
                        self.commands.push(command);
                    }
                    None => {}
                }
            });
        });
    }

    fn no_file_ui(&mut self, ui: &mut Ui) {
        ui.add_space(60.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No shop file is open").size(22.0).strong());
            ui.add_space(10.0);
            if ui.button(Action::OpenFile.label()).clicked() {
                self.commands.push(AppCommand::ChooseFileToOpen);
            }
            if ui.button(Action::NewFile.label()).clicked() {
                self.commands.push(AppCommand::ChooseNewFile);
            }
        });
    }

    /// A file dropped on the window is imported (its kind read from its header), and the
    /// running import's dialog is drawn.
    fn import_ui(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next()
            && self.store.is_some()
            && !self.onboarding
        {
            self.commands
                .push(AppCommand::ImportFile { kind: None, path });
        }
        let Some(db) = self.store.as_ref().map(Store::opener) else {
            return;
        };
        if let Some(flow) = &mut self.undo {
            match flow.ui(ctx, &db, self.clock) {
                FlowOutcome::Open => {}
                FlowOutcome::Closed => self.undo = None,
                FlowOutcome::Imported(text) => {
                    self.undo = None;
                    self.data_version += 1;
                    self.set_status(text, false);
                }
                FlowOutcome::Failed(message) => {
                    self.undo = None;
                    self.set_status(message, true);
                }
            }
        }
        let Some(flow) = &mut self.import else { return };
        match flow.ui(ctx, &db, self.clock) {
            FlowOutcome::Open => {}
            FlowOutcome::Closed => self.import = None,
            FlowOutcome::Imported(text) => {
                self.import = None;
                self.data_version += 1;
                self.set_status(text, false);
            }
            FlowOutcome::Failed(message) => {
                self.import = None;
                self.set_status(message, true);
            }
        }
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) {
        if let Some(Dialog::InUse { path, held }) = &self.dialog {
            let path = path.clone();
            match in_use_ui(ctx, &path, held) {
                Some(InUseChoice::ReadOnly) => {
                    self.dialog = None;
                    self.commands.push(AppCommand::OpenReadOnly(path));
                }
                Some(InUseChoice::Other) => {
                    self.dialog = None;
                    self.commands.push(AppCommand::ChooseFileToOpen);
                }
                None => {}
            }
            return;
        }
        if let Some(Dialog::Damaged { message }) = &self.dialog {
            let mut close = false;
            Modal::new(Id::unique("file_damaged")).show(ctx, |ui| {
                ui.set_width(480.0);
                ui.heading("The shop file is damaged");
                ui.add_space(4.0);
                ui.label(message);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(Action::RestoreBackup.label()).clicked() {
                        self.commands.push(AppCommand::ShowBackups);
                        close = true;
                    }
                    if ui.button("Keep it open read-only").clicked() {
                        close = true;
                    }
                });
            });
            if close {
                self.dialog = None;
            }
            return;
        }
        let Some(Dialog::OpenFailed {
            path,
            message,
            offer_read_only,
        }) = &self.dialog
        else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("open_failed")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Cannot open the shop file");
            ui.label(RichText::new(path.display().to_string()).color(theme::MUTED));
            ui.add_space(4.0);
            ui.label(message);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if *offer_read_only && ui.button("Open read-only").clicked() {
                    self.commands.push(AppCommand::OpenReadOnly(path.clone()));
                }
                if ui.button(Action::OpenFile.label()).clicked() {
                    self.commands.push(AppCommand::ChooseFileToOpen);
                }
                if ui.button(Action::NewFile.label()).clicked() {
                    self.commands.push(AppCommand::ChooseNewFile);
                }
                let dismiss = if self.store.is_some() {
                    "Keep current file"
                } else {
                    "Close"
                };
                if ui.button(dismiss).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.dialog = None;
        }
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
            self.messages.go(super::messages::Leave::Close);
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
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
        super::widgets::set_list_keys_free(&ctx, !app_dialog);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| {
            let read_only = self.is_read_only();
            // The date (and read-only) first, from the right; the message takes what is left,
            // cut with an ellipsis, the whole text on hover.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    RichText::new(self.clock.today().format("%a %-d %b %Y").to_string())
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
                            // A cut message shows its whole text on hover.
                            ui.add(
                                egui::Label::new(RichText::new(&status.text).color(color))
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
                        .map(|shortcut| super::actions::shortcut_text(ui.ctx(), &shortcut))
                        .unwrap_or_default();
                    if ui
                        .selectable_label(self.tab == tab, RichText::new(label).strong())
                        .on_hover_text(shortcut)
                        .clicked()
                        && self.tab != tab
                    {
                        if self.tab == Tab::Messages && self.messages.has_unsaved() {
                            self.messages.go(super::messages::Leave::Tab(tab));
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
            Some(super::messages::Leave::Tab(tab)) => self.tab = tab,
            Some(super::messages::Leave::Close) => {
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
