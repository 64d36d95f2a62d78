//! Reorder: the safety stock calculator for one product (inputs from history, every method side
//! by side with its formula) and the reorder suggestions, which become draft purchase orders
//! grouped by supplier. Suggestions are computed on a worker thread with a progress bar.
//!
//! Three views, one module each: suggestions.rs (with drafts.rs, the draft purchase orders
//! dialog), calculator.rs, and practice.rs (the backorder policy advisor and cutoffs); the
//! settings in settings.rs.

mod calculator;
mod drafts;
mod practice;
mod settings;
mod suggestions;

use std::collections::HashSet;

use chrono::NaiveDate;
use egui::Ui;

use crate::app::Clock;
use crate::app::abc::abc_classes;
use crate::app::jobs::{Job, Progress};
use crate::app::safety::{ReorderReport, SafetySettings, product_safety, reorder_suggestions};
use crate::domain::abc::AbcClass;
use crate::store::{ProductId, Store};
use crate::ui::shared::command::{AppCommand, ReorderCommand};
use crate::ui::shared::widgets::Sort;

use calculator::Calculator;
use drafts::DraftDialog;
use settings::SettingsForm;
use suggestions::ReorderColumn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Suggestions,
    Calculator,
    /// The backorder policy advisor and cutoffs.
    Policy,
}

type ReorderJob = Job<Result<ReorderReport, String>>;

#[derive(Default)]
pub struct ReorderScreen {
    view: View,
    sort: Sort<ReorderColumn>,
    /// The row ↑/↓ move to; Enter opens it in the calculator, Space ticks it.
    cursor: Option<ProductId>,
    job: Option<ReorderJob>,
    job_version: u64,
    report: Option<ReorderReport>,
    report_for: Option<u64>,
    report_error: Option<String>,
    /// Rows ticked for purchase orders.
    selected: HashSet<ProductId>,
    settings_form: Option<SettingsForm>,
    settings_error: Option<String>,
    sku: String,
    product: Option<ProductId>,
    calculator: Option<Calculator>,
    calculator_for: Option<(ProductId, u64)>,
    calculator_error: Option<String>,
    dialog: Option<DraftDialog>,
    policy: practice::PolicyView,
}

impl ReorderScreen {
    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Runs a command from this screen (the app calls it after drawing). Returns the status
    /// text, or an error (which also stays on the screen).
    pub fn apply(
        &mut self,
        store: &mut Store,
        command: ReorderCommand,
        clock: &Clock,
    ) -> Result<String, String> {
        match command {
            ReorderCommand::SaveSettings(settings) => match settings.save(store) {
                Ok(()) => {
                    // The form keeps what was typed: it is what the file holds now.
                    self.settings_error = None;
                    Ok("Reorder settings saved".to_owned())
                }
                Err(error) => {
                    self.settings_error = Some(error.to_string());
                    Err(error.to_string())
                }
            },
            ReorderCommand::SaveOrderRules {
                product_id,
                sku,
                rules,
            } => match crate::app::safety::save_order_rules(store, product_id, &rules) {
                Ok(()) => {
                    self.calculator_error = None;
                    Ok(format!("Order rules of {sku} saved"))
                }
                Err(error) => {
                    self.calculator_error = Some(error.to_string());
                    Err(error.to_string())
                }
            },
            ReorderCommand::CreatePos(drafts) => {
                match crate::app::undo_stack::create_draft_pos(store, &drafts, clock) {
                    Ok(numbers) => {
                        self.dialog = None;
                        self.selected.clear();
                        Ok(format!(
                            "Created {} purchase order(s): {}; Edit › Undo takes {} back",
                            numbers.len(),
                            numbers.join(", "),
                            if numbers.len() == 1 { "it" } else { "them" }
                        ))
                    }
                    Err(error) => {
                        if let Some(dialog) = &mut self.dialog {
                            dialog.error = Some(error.to_string());
                        }
                        Err(error.to_string())
                    }
                }
            }
        }
    }

    /// Starts the suggestions job when the data changed, and takes its result when done.
    fn refresh(&mut self, ctx: &egui::Context, store: &Store, version: u64, today: NaiveDate) {
        if let Some(job) = &self.job
            && let Some(result) = job.poll()
        {
            self.job = None;
            match result.and_then(|inner| inner) {
                Ok(report) => {
                    let still: HashSet<ProductId> =
                        report.suggestions.iter().map(|s| s.product_id).collect();
                    self.selected.retain(|id| still.contains(id));
                    self.report = Some(report);
                    self.report_for = Some(self.job_version);
                    self.report_error = None;
                }
                Err(message) => {
                    self.report_error = Some(message);
                    self.report_for = Some(self.job_version);
                }
            }
        }
        if self.job.is_none() && self.report_for != Some(version) {
            let opener = store.opener();
            let wake = ctx.clone();
            match Job::spawn(
                "Reorder suggestions",
                move |progress: &Progress| {
                    let store = opener.open().map_err(|e| e.to_string())?;
                    reorder_suggestions(&store, today, progress).map_err(|e| e.to_string())
                },
                move || wake.request_repaint(),
            ) {
                Ok(job) => {
                    self.job = Some(job);
                    self.job_version = version;
                }
                Err(error) => {
                    self.report_error = Some(format!("Cannot compute suggestions: {error}"));
                    self.report_for = Some(version);
                }
            }
        }
        // The ABC classes come with the suggestions; while they are computed the calculator
        // waits rather than computing them again on the window's thread.
        let waiting_for_classes = self.report.is_none() && self.job.is_some();
        if let Some(product_id) = self.product
            && self.calculator_for != Some((product_id, version))
            && !waiting_for_classes
        {
            self.calculator_for = Some((product_id, version));
            // Settings from the file (a few keys): just saved ones count before the next report.
            let settings = SafetySettings::load(store);
            let class = match self.report.as_ref() {
                Some(report) => Ok(report.classes.get(&product_id).copied()),
                None => abc_classes(store, today).map(|classes| classes.get(&product_id).copied()),
            };
            let loaded = settings.map_err(|e| e.to_string()).and_then(|settings| {
                let class = class.map_err(|e| e.to_string())?.unwrap_or(AbcClass::C);
                product_safety(store, product_id, today, &settings, class)
                    .map_err(|e| e.to_string())
            });
            match loaded {
                Ok(safety) => {
                    self.sku.clone_from(&safety.position.sku);
                    self.calculator = Some(Calculator::new(safety));
                    self.calculator_error = None;
                }
                Err(message) => {
                    self.calculator = None;
                    self.calculator_error = Some(message);
                }
            }
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        self.refresh(ui.ctx(), store, version, today);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.view, View::Suggestions, "Reorder suggestions");
            ui.selectable_value(&mut self.view, View::Calculator, "Safety stock calculator");
            ui.selectable_value(&mut self.view, View::Policy, "Backorder policy");
        });
        ui.separator();
        match self.view {
            View::Suggestions => self.suggestions_ui(ui, today, commands),
            View::Calculator => {
                egui::ScrollArea::vertical()
                    .id_salt("calculator_scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.calculator_ui(ui, store, commands));
            }
            View::Policy => self.policy.ui(ui, store, version, today, commands),
        }
        self.dialog_ui(ui.ctx(), commands);
    }
}
