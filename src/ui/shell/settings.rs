//! File › Settings… (Ctrl+,): the shop's own settings in one dialog, and the name and currency
//! asked on the welcome screen. Values are checked as they are typed and saved through the app
//! (all of them, or none).

use egui::{Id, Key, Modal, RichText, TextEdit, Ui};

use crate::app::settings::{SHOP_SETTINGS, check_setting};
use crate::domain::legal::LegalRule;
use crate::domain::money::{COMMON_CURRENCIES, Currency};
use crate::domain::promise::{DateStyle, format_date};
use crate::store::Store;
use crate::store::settings::{
    CURRENCY, DATE_LOCALE, DATE_STYLE, HANDLING_DAYS, LEGAL_RULE, PAPER_SIZE, PROMISE_TARGET_PCT,
    SENDER_EMAIL, SHOP_NAME, STATED_SHIP_DAYS,
};
use crate::ui::shared::theme;

/// What the dialog's answer is this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsOutcome {
    Open,
    Cancel,
    Save(Vec<(&'static str, String)>),
}

/// The label of each setting in the dialog.
fn title(key: &str) -> &'static str {
    match key {
        SHOP_NAME => "Shop name",
        SENDER_EMAIL => "Sender address",
        CURRENCY => "Currency",
        DATE_STYLE => "Dates in tables",
        DATE_LOCALE => "Date order",
        HANDLING_DAYS => "Handling days",
        PROMISE_TARGET_PCT => "Promises kept target (%)",
        PAPER_SIZE => "Paper",
        LEGAL_RULE => "Consumer rule",
        STATED_SHIP_DAYS => "Stated shipping time (days)",
        _ => "",
    }
}

pub struct SettingsDialog {
    values: Vec<(&'static str, String)>,
    /// Why the last save was refused (from the app).
    pub error: Option<String>,
}

impl SettingsDialog {
    /// The dialog with the shop's current values (the defaults shown where none is set).
    pub fn load(store: &Store) -> Self {
        let values = SHOP_SETTINGS
            .iter()
            .map(|key| {
                let value = store.setting(key).ok().flatten().unwrap_or_default();
                let value = match *key {
                    CURRENCY if value.is_empty() => Currency::default().code().to_owned(),
                    DATE_STYLE if value.is_empty() => "short".to_owned(),
                    _ => value,
                };
                (*key, value)
            })
            .collect();
        Self {
            values,
            error: None,
        }
    }

    fn value(&self, key: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, value)| value.as_str())
    }

    pub fn ui(&mut self, ctx: &egui::Context) -> SettingsOutcome {
        let mut outcome = SettingsOutcome::Open;
        let date_locale = self.value(DATE_LOCALE).to_owned();
        Modal::new(Id::unique("shop_settings")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Settings");
            ui.label(
                RichText::new(
                    "The shop as a whole: its name on messages and paper, how amounts and dates \
                     are written, and the promises it makes. Message signature and SMTP: \
                     Messages › Settings.",
                )
                .color(theme::MUTED),
            );
            ui.add_space(6.0);
            let mut problems = Vec::new();
            let max_height = (ctx.content_rect().height() - 200.0).max(200.0);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .show(ui, |ui| {
                    egui::Grid::new("shop_settings_grid")
                        .num_columns(2)
                        .spacing([12.0, 8.0])
                        .show(ui, |ui| {
                            for (key, value) in &mut self.values {
                                let label = ui.label(title(key));
                                setting_field_ui(ui, key, value, label.id, &date_locale);
                                ui.end_row();
                                if let Err(problem) = check_setting(key, value) {
                                    problems.push(problem);
                                }
                                if *key == SHOP_NAME && value.trim().is_empty() {
                                    problems.push(
                                        "Shop name: type the name customers know the shop by"
                                            .to_owned(),
                                    );
                                }
                            }
                        });
                });
            for problem in &problems {
                ui.colored_label(theme::ERROR, problem);
            }
            if let Some(error) = &self.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            // Enter saves, from a field too (a single-line field gives up the focus on Enter).
            let enter = ui.input(|input| input.key_pressed(Key::Enter))
                && !egui::Popup::is_any_open(ui.ctx());
            ui.horizontal(|ui| {
                let save = ui
                    .add_enabled(problems.is_empty(), egui::Button::new("Save"))
                    .on_hover_text("Save every setting (Enter)");
                if problems.is_empty() && (save.clicked() || enter) {
                    outcome = SettingsOutcome::Save(self.values.clone());
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    outcome = SettingsOutcome::Cancel;
                }
            });
        });
        outcome
    }
}

/// One setting's field: a text field, or choices where the setting has a few values.
fn setting_field_ui(ui: &mut Ui, key: &str, value: &mut String, label: Id, date_locale: &str) {
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default();
    match key {
        CURRENCY => currency_field_ui(ui, value, label),
        DATE_STYLE => {
            ui.horizontal(|ui| {
                let locale_style = DateStyle::for_display(Some("short"), Some(date_locale));
                let iso = value.as_str() == "iso";
                if ui
                    .radio(
                        !iso,
                        format!("Short ({})", format_date(sample, locale_style)),
                    )
                    .clicked()
                {
                    "short".clone_into(value);
                }
                if ui
                    .radio(
                        iso,
                        format!("ISO ({})", format_date(sample, DateStyle::Iso)),
                    )
                    .clicked()
                {
                    "iso".clone_into(value);
                }
            });
        }
        DATE_LOCALE => {
            ui.horizontal(|ui| {
                let us = value.as_str() != "intl";
                if ui.radio(us, "Month first (Mar 3–7)").clicked() {
                    "us".clone_into(value);
                }
                if ui.radio(!us, "Day first (3–7 Mar)").clicked() {
                    "intl".clone_into(value);
                }
            });
        }
        PAPER_SIZE => {
            ui.horizontal(|ui| {
                ui.radio_value(value, String::new(), "From the date order");
                ui.radio_value(value, "a4".to_owned(), "A4");
                ui.radio_value(value, "letter".to_owned(), "Letter");
            });
        }
        LEGAL_RULE => {
            // One choice a line: a grid row does not grow for wrapped content.
            ui.vertical(|ui| {
                let current = LegalRule::from_code(value.as_str()).unwrap_or_default();
                for rule in LegalRule::ALL {
                    if ui.radio(current == rule, rule.label()).clicked() {
                        rule.code().clone_into(value);
                    }
                }
            });
        }
        _ => {
            let hint = match key {
                SHOP_NAME => "the name customers know",
                SENDER_EMAIL => "shop@example.com",
                HANDLING_DAYS => "1 (the default)",
                STATED_SHIP_DAYS => "30 (the default)",
                PROMISE_TARGET_PCT => "90 (the default)",
                _ => "",
            };
            ui.add(
                TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(320.0),
            )
            .labelled_by(label);
        }
    }
}

/// A currency code field with a menu of common codes and a sample of how amounts look.
pub fn currency_field_ui(ui: &mut Ui, value: &mut String, label: Id) {
    ui.horizontal(|ui| {
        ui.add(
            TextEdit::singleline(value)
                .hint_text("USD")
                .char_limit(3)
                .desired_width(48.0),
        )
        .labelled_by(label);
        ui.menu_button("▾", |ui| {
            for code in COMMON_CURRENCIES {
                let sample = Currency::from_code(code)
                    .map(|currency| currency.format(123_450))
                    .unwrap_or_default();
                if ui.button(format!("{code}  {sample}")).clicked() {
                    code.clone_into(value);
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text("Common currencies");
        match Currency::from_code(value) {
            Ok(currency) => {
                ui.label(
                    RichText::new(format!("Amounts look like {}", currency.format(123_450)))
                        .color(theme::MUTED),
                );
            }
            Err(_) if value.trim().is_empty() => {}
            Err(_) => {
                ui.label(RichText::new("Three letters, e.g. USD, EUR, GBP").color(theme::WARNING));
            }
        }
    });
}
