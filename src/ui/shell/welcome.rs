//! The first start: the welcome screen and the screen shown with no file open.

use egui::{RichText, Ui};

use crate::app::import::ImportKind;
use crate::ui::shared::actions::Action;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;
use crate::ui::shell::DeskApp;
use crate::ui::shell::settings::currency_field_ui;

impl DeskApp {
    /// The welcome screen's answers as settings, with the first-run choice made.
    pub(super) fn finish_welcome(&mut self) {
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
    pub(super) fn onboarding_ui(&mut self, ui: &mut Ui) {
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

    pub(super) fn no_file_ui(&mut self, ui: &mut Ui) {
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
}
