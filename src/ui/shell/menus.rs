//! The menu bar, keyboard shortcuts and the actions both trigger.

use egui::Ui;

use crate::app::export::ExportKind;
use crate::app::import::ImportKind;
use crate::domain::storefront::StorefrontFormat;
use crate::ui::shared::actions::Action;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog::{self, Native};
use crate::ui::shared::tab::Tab;
use crate::ui::shell::DeskApp;
use crate::ui::shell::help::HelpDialog;
use crate::ui::shell::settings::SettingsDialog;

impl DeskApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
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

    pub(super) fn action(&mut self, action: Action) {
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

    #[expect(
        clippy::too_many_lines,
        reason = "the whole menu bar, one menu after another, as the user sees it"
    )]
    pub(super) fn menu_ui(&mut self, ui: &mut Ui) {
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
}
