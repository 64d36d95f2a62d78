//! Reorder: the safety stock calculator for one product (inputs from history, every method side
//! by side with its formula) and the reorder suggestions, which become draft purchase orders
//! grouped by supplier. Suggestions are computed on a worker thread with a progress bar.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use egui::{Align, Id, Key, Layout, Modal, RichText, TextEdit, Ui};
use egui_extras::TableBuilder;

use super::command::AppCommand;
use super::theme;
use super::widgets::Sort;
use crate::app::Clock;
use crate::app::abc::abc_classes;
use crate::app::clock::parse_iso_date;
use crate::app::jobs::{Job, Progress};
use crate::app::safety::{
    DraftLine, DraftPo, LeadTimeSource, ProductSafety, ReorderReport, SUGGESTION_METHODS,
    SafetySettings, Suggestion, draft_pos, product_safety, reorder_suggestions,
};
use crate::domain::abc::AbcClass;
use crate::domain::safety_stock::{
    Input, Inputs, Method, SafetyError, SafetyResult, disagreements, safety_stock, show, worked,
    z_for_service_level,
};
use crate::domain::{format_cents, parse_money};
use crate::store::safety::OrderRules;
use crate::store::{ProductId, Store};

/// What the Reorder screen asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum ReorderCommand {
    SaveSettings(SafetySettings),
    SaveOrderRules {
        product_id: ProductId,
        sku: String,
        rules: OrderRules,
    },
    CreatePos(Vec<DraftPo>),
}

// Settings are checked to be finite numbers before they are sent, so equality is total.
impl Eq for ReorderCommand {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Suggestions,
    Calculator,
    /// The backorder policy advisor and cutoffs.
    Policy,
}

type ReorderJob = Job<Result<ReorderReport, String>>;

/// The calculator's state for one product: the loaded history and the typed inputs.
struct Calculator {
    safety: ProductSafety,
    /// Text of each input, in [`Input::ALL`] order.
    fields: Vec<String>,
    /// The exact value behind each field's text as first shown (history has more decimals
    /// than a field shows); used while the text is unchanged.
    exact: Vec<(String, Option<f64>)>,
    service_level: String,
    shown_service_level: String,
    multiple: String,
    min_order: String,
    max_stock: String,
}

impl Calculator {
    fn new(safety: ProductSafety) -> Self {
        let rules = safety.position.rules;
        let mut calculator = Self {
            fields: Vec::new(),
            exact: Vec::new(),
            service_level: show(safety.service_level * 100.0),
            shown_service_level: String::new(),
            multiple: rules.order_multiple.to_string(),
            min_order: rules.min_order_qty.to_string(),
            max_stock: rules.max_stock.map(|m| m.to_string()).unwrap_or_default(),
            safety,
        };
        calculator.reset_inputs();
        calculator
    }

    fn reset_inputs(&mut self) {
        let inputs = self.safety.inputs;
        self.exact = Input::ALL
            .iter()
            .map(|input| match input {
                Input::BaseBuffer => ("0".to_owned(), Some(0.0)),
                Input::CoverDays => (String::new(), None),
                Input::Z => (format!("{:.4}", self.safety.z), Some(self.safety.z)),
                _ => {
                    let value = inputs.get(*input);
                    (value.map(show).unwrap_or_default(), value)
                }
            })
            .collect();
        self.fields = self.exact.iter().map(|(text, _)| text.clone()).collect();
        self.service_level = show(self.safety.service_level * 100.0);
        self.shown_service_level.clone_from(&self.service_level);
    }

    /// The typed inputs; the first field that is not a number is an error.
    fn inputs(&self) -> Result<Inputs, String> {
        let mut inputs = Inputs::default();
        for ((input, text), (first_text, exact)) in
            Input::ALL.iter().zip(&self.fields).zip(&self.exact)
        {
            if text == first_text {
                inputs.set(*input, *exact);
                continue;
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let value = text
                .parse::<f64>()
                .map_err(|_| format!("{}: '{text}' is not a number", input.label()))?;
            inputs.set(*input, Some(value));
        }
        Ok(inputs)
    }

    fn rules(&self) -> Result<OrderRules, String> {
        let whole = |label: &str, text: &str| -> Result<i64, String> {
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("{label}: '{}' is not a whole number", text.trim()))
        };
        let rules = OrderRules {
            order_multiple: whole("Order multiple", &self.multiple)?,
            min_order_qty: whole("Minimum order", &self.min_order)?,
            max_stock: match self.max_stock.trim() {
                "" => None,
                text => Some(whole("Max stock", text)?),
            },
        };
        rules.check()?;
        Ok(rules)
    }
}

/// The settings as typed.
struct SettingsForm {
    levels: [String; 3],
    order_cost: String,
    holding_pct: String,
    window_days: String,
    method: Method,
}

impl SettingsForm {
    fn new(settings: &SafetySettings) -> Self {
        Self {
            levels: settings.service_level_pct.map(show),
            order_cost: format_cents(settings.order_cost_cents),
            holding_pct: show(settings.holding_pct),
            window_days: settings.window_days.to_string(),
            method: settings.method,
        }
    }

    fn parse(&self) -> Result<SafetySettings, String> {
        let number = |label: &str, text: &str| -> Result<f64, String> {
            text.trim()
                .trim_end_matches('%')
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{label}: '{}' is not a number", text.trim()))
        };
        let mut levels = [0.0; 3];
        for (index, class) in AbcClass::ALL.iter().enumerate() {
            levels[index] = number(
                &format!("Service level {}", class.label()),
                &self.levels[index],
            )?;
        }
        let settings =
            SafetySettings {
                service_level_pct: levels,
                order_cost_cents: parse_money(&self.order_cost)
                    .map_err(|error| format!("Cost per order: {error}"))?,
                holding_pct: number("Holding cost", &self.holding_pct)?,
                window_days: self.window_days.trim().parse::<i64>().map_err(|_| {
                    format!("Demand window: '{}' is not whole days", self.window_days)
                })?,
                method: self.method,
            };
        settings.check()?;
        Ok(settings)
    }
}

/// One draft PO in the confirmation dialog, every field editable.
struct DraftForm {
    supplier: String,
    expected: String,
    /// SKU, name, quantity text, unit cost.
    lines: Vec<(String, String, String, i64)>,
}

struct DraftDialog {
    pos: Vec<DraftForm>,
    without_supplier: Vec<String>,
    error: Option<String>,
    /// More than one purchase order, asked about before they are created.
    asking: Option<Vec<DraftPo>>,
}

impl DraftDialog {
    fn parse(&self) -> Result<Vec<DraftPo>, String> {
        let mut out = Vec::new();
        for po in &self.pos {
            let expected_at = match po.expected.trim() {
                "" => None,
                text => Some(parse_iso_date(text).map_err(|e| format!("{}: {e}", po.supplier))?),
            };
            let mut lines = Vec::new();
            for (sku, name, quantity, cost) in &po.lines {
                let units = match quantity.trim() {
                    "" => 0,
                    text => text.parse::<i64>().map_err(|_| {
                        format!("{sku}: '{text}' is not a whole number (0 leaves the line out)")
                    })?,
                };
                if units < 0 {
                    return Err(format!("{sku}: quantity must not be negative"));
                }
                if units > 0 {
                    lines.push(DraftLine {
                        sku: sku.clone(),
                        name: name.clone(),
                        quantity: units,
                        unit_cost_cents: *cost,
                    });
                }
            }
            if !lines.is_empty() {
                out.push(DraftPo {
                    supplier: po.supplier.clone(),
                    expected_at,
                    lines,
                });
            }
        }
        if out.is_empty() {
            return Err("Every quantity is 0: nothing to order".into());
        }
        Ok(out)
    }
}

/// The suggestions table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum ReorderColumn {
    Sku,
    Name,
    Supplier,
    Class,
    Available,
    OnOrder,
    Backordered,
    DatesSlip,
    ReorderPoint,
    Suggested,
    /// The report's order: most urgent first.
    #[default]
    DaysToStockout,
    Cost,
}

impl super::widgets::SortColumn for ReorderColumn {}

/// The suggestions in `sort` (positions into `rows`).
fn sorted_suggestions(rows: &[Suggestion], sort: Sort<ReorderColumn>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if let Some(reversed) = sort.natural() {
        if reversed {
            order.reverse();
        }
        return order;
    }
    order.sort_by(|&a, &b| {
        let (a, b) = (&rows[a], &rows[b]);
        let by = match sort.column {
            ReorderColumn::Sku => a.sku.cmp(&b.sku),
            ReorderColumn::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            ReorderColumn::Supplier => a.supplier.to_lowercase().cmp(&b.supplier.to_lowercase()),
            ReorderColumn::Class => a.class.label().cmp(b.class.label()),
            ReorderColumn::Available => a.available.cmp(&b.available),
            ReorderColumn::OnOrder => a.on_order.cmp(&b.on_order),
            ReorderColumn::Backordered => a.backordered.cmp(&b.backordered),
            ReorderColumn::DatesSlip => a.dates_slipping.cmp(&b.dates_slipping),
            ReorderColumn::ReorderPoint => a.reorder_point.total_cmp(&b.reorder_point),
            ReorderColumn::Suggested => a.suggested_quantity.cmp(&b.suggested_quantity),
            // No demand: last.
            ReorderColumn::DaysToStockout => a
                .days_to_stockout
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.days_to_stockout.unwrap_or(f64::INFINITY)),
            ReorderColumn::Cost => a.cost_cents.cmp(&b.cost_cents),
        };
        sort.apply(by).then_with(|| a.sku.cmp(&b.sku))
    });
    order
}

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
    policy: super::practice::PolicyView,
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

    fn settings_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let settings = self
            .report
            .as_ref()
            .and_then(|r| r.settings)
            .unwrap_or_default();
        egui::CollapsingHeader::new("Reorder settings")
            .id_salt("reorder_settings")
            .show(ui, |ui| {
                let form = self
                    .settings_form
                    .get_or_insert_with(|| SettingsForm::new(&settings));
                egui::Grid::new("reorder_settings_grid")
                    .num_columns(8)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        for (index, class) in AbcClass::ALL.iter().enumerate() {
                            let label = ui.label(format!("Service level {} (%)", class.label()));
                            ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.levels[index]))
                            .labelled_by(label.id);
                        }
                        let label = ui.label("Method");
                        egui::ComboBox::from_id_salt("reorder_method")
                            .selected_text(form.method.label())
                            .width(230.0)
                            .show_ui(ui, |ui| {
                                for method in SUGGESTION_METHODS {
                                    ui.selectable_value(&mut form.method, method, method.label());
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Cost per order");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.order_cost))
                            .labelled_by(label.id);
                        let label = ui.label("Holding cost (% a year)");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.holding_pct))
                            .labelled_by(label.id);
                        let label = ui.label("Demand window (days)");
                        ui.add_sized([64.0, 20.0], TextEdit::singleline(&mut form.window_days))
                            .labelled_by(label.id);
                        if ui.button("Save settings").clicked() {
                            match form.parse() {
                                Ok(parsed) => {
                                    self.settings_error = None;
                                    commands.push(AppCommand::Reorder(Box::new(
                                        ReorderCommand::SaveSettings(parsed),
                                    )));
                                }
                                Err(message) => self.settings_error = Some(message),
                            }
                        }
                        ui.end_row();
                    });
                if let Some(error) = &self.settings_error {
                    ui.colored_label(theme::ERROR, error);
                }
                ui.label(
                    RichText::new(
                        "Suggested quantity: order up to max stock (or reorder point + EOQ), at least the minimum order, in order multiples. EOQ = √(2 × annual demand × cost per order ÷ (unit cost × holding %))",
                    )
                    .small()
                    .color(theme::MUTED),
                );
            });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn suggestions_ui(&mut self, ui: &mut Ui, today: NaiveDate, commands: &mut Vec<AppCommand>) {
        self.settings_ui(ui, commands);
        if let Some(job) = &self.job {
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(job.progress.fraction())
                        .desired_width(320.0)
                        .show_percentage()
                        .text("Computing reorder suggestions…"),
                );
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        if let Some(error) = &self.report_error {
            ui.colored_label(theme::ERROR, error);
        }
        let Some(report) = &self.report else {
            return;
        };
        let selected_cost: i64 = report
            .suggestions
            .iter()
            .filter(|s| self.selected.contains(&s.product_id))
            .map(|s| s.cost_cents)
            .sum();
        let mut select_all = false;
        let mut clear = false;
        let mut open_dialog = false;
        let slipping: i64 = report.suggestions.iter().map(|s| s.dates_slipping).sum();
        if slipping > 0 {
            ui.colored_label(
                theme::ERROR,
                format!(
                    "{slipping} customer date{} move a day later every day the products marked in \"Dates slip\" are not ordered",
                    if slipping == 1 { "" } else { "s" }
                ),
            );
        }
        ui.horizontal(|ui| {
            let total: i64 = report.suggestions.iter().map(|s| s.cost_cents).sum();
            ui.label(
                RichText::new(format!(
                    "{} of {} products to reorder · {}",
                    report.suggestions.len(),
                    report.products_checked,
                    super::format::formats(ui.ctx()).money(total)
                ))
                .strong(),
            );
            if ui.button("Select all").clicked() {
                select_all = true;
            }
            if ui.button("Clear selection").clicked() {
                clear = true;
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui
                    .add_enabled(
                        !self.selected.is_empty(),
                        egui::Button::new("Create draft POs…"),
                    )
                    .clicked()
                {
                    open_dialog = true;
                }
                ui.label(
                    RichText::new(format!(
                        "{} selected · {}",
                        self.selected.len(),
                        super::format::formats(ui.ctx()).money(selected_cost)
                    ))
                    .color(theme::MUTED),
                );
            });
        });
        if !report.without_lead_time.is_empty() {
            ui.label(
                RichText::new(format!(
                    "{} product(s) with demand have no lead time (no receipts, none set) and were not checked",
                    report.without_lead_time.len()
                ))
                .color(theme::WARNING),
            );
        }
        if report.suggestions.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("Nothing to reorder").heading());
                ui.label("Every product with demand is above its reorder point");
            });
            return;
        }
        let mut open_product = None;
        let order = sorted_suggestions(&report.suggestions, self.sort);
        let mut scroll_to = None;
        if !self.has_dialog() {
            let keys = super::widgets::list_keys(ui.ctx());
            if keys.step != 0
                && let Some((product_id, position)) = super::widgets::step_selection(
                    order
                        .iter()
                        .map(|&index| report.suggestions[index].product_id),
                    self.cursor,
                    keys.step,
                )
            {
                self.cursor = Some(product_id);
                scroll_to = Some(position);
            }
            if keys.enter {
                open_product = self.cursor;
            }
            if keys.escape {
                self.cursor = None;
            }
            if let Some(cursor) = self.cursor
                && !ui.ctx().egui_wants_keyboard_input()
                && ui.input_mut(|input| input.consume_key(egui::Modifiers::NONE, Key::Space))
                && !self.selected.remove(&cursor)
            {
                self.selected.insert(cursor);
            }
        }
        let mut table = TableState {
            sort: &mut self.sort,
            cursor: self.cursor,
            scroll_to,
        };
        table_ui(
            ui,
            report,
            &order,
            &mut table,
            &mut self.selected,
            &mut open_product,
        );
        if select_all {
            self.selected = report.suggestions.iter().map(|s| s.product_id).collect();
        }
        if clear {
            self.selected.clear();
        }
        if let Some(product_id) = open_product {
            self.product = Some(product_id);
            self.calculator_for = None;
            self.view = View::Calculator;
        }
        if open_dialog {
            let chosen: Vec<&Suggestion> = report
                .suggestions
                .iter()
                .filter(|s| self.selected.contains(&s.product_id))
                .collect();
            let (drafts, without_supplier) = draft_pos(&chosen, today);
            self.dialog = Some(DraftDialog {
                pos: drafts
                    .into_iter()
                    .map(|po| DraftForm {
                        supplier: po.supplier,
                        expected: po.expected_at.map(|d| d.to_string()).unwrap_or_default(),
                        lines: po
                            .lines
                            .into_iter()
                            .map(|l| (l.sku, l.name, l.quantity.to_string(), l.unit_cost_cents))
                            .collect(),
                    })
                    .collect(),
                without_supplier,
                error: None,
                asking: None,
            });
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn calculator_ui(&mut self, ui: &mut Ui, store: &Store, commands: &mut Vec<AppCommand>) {
        ui.horizontal(|ui| {
            let label = ui.label("Product SKU");
            let response = ui
                .add(TextEdit::singleline(&mut self.sku).desired_width(160.0))
                .labelled_by(label.id);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if ui.button("Show").clicked() || entered {
                match store.product_id_by_sku(self.sku.trim()) {
                    Ok(Some(product_id)) => {
                        self.product = Some(product_id);
                        self.calculator_for = None;
                        self.calculator_error = None;
                    }
                    Ok(None) => {
                        self.calculator_error =
                            Some(format!("No product with SKU '{}'", self.sku.trim()));
                    }
                    Err(error) => self.calculator_error = Some(error.to_string()),
                }
            }
            ui.label(RichText::new("or click a row in Reorder suggestions").color(theme::MUTED));
        });
        if let Some(error) = &self.calculator_error {
            ui.colored_label(theme::ERROR, error);
        }
        if self.product.is_some() && self.report.is_none() && self.job.is_some() {
            ui.label(RichText::new("Computing ABC classes…").color(theme::MUTED));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let Some(calc) = &mut self.calculator else {
            return;
        };
        let position = &calc.safety.position;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(&position.sku).heading().strong());
            ui.label(RichText::new(&position.name).heading());
        });
        ui.label(format!(
            "Class {} · supplier {} · available {} · on order {} · backordered {} · unit cost {}",
            calc.safety.class.label(),
            if position.supplier.is_empty() {
                "none"
            } else {
                &position.supplier
            },
            position.available(),
            position.on_order,
            position.backordered,
            super::format::formats(ui.ctx()).money(position.unit_cost_cents)
        ));
        history_ui(ui, calc);
        ui.add_space(6.0);
        // Inputs in three rows (demand, lead time, the rest); a new service level sets Z.
        egui::Grid::new("safety_inputs")
            .num_columns(8)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let rows: [&[Input]; 3] = [
                    &[Input::AvgDemand, Input::SdDemand, Input::MaxDemand],
                    &[
                        Input::LeadTime,
                        Input::SdLeadTime,
                        Input::MaxLeadTime,
                        Input::Z,
                    ],
                    &[Input::BaseBuffer, Input::CoverDays],
                ];
                for (row, inputs) in rows.iter().enumerate() {
                    for input in *inputs {
                        let Some(index) = Input::ALL.iter().position(|i| i == input) else {
                            continue;
                        };
                        let label = ui.label(input.label());
                        ui.add_sized([80.0, 20.0], TextEdit::singleline(&mut calc.fields[index]))
                            .labelled_by(label.id);
                    }
                    match row {
                        0 => {
                            let label = ui.label("Service level (%)");
                            ui.add_sized(
                                [80.0, 20.0],
                                TextEdit::singleline(&mut calc.service_level),
                            )
                            .labelled_by(label.id);
                        }
                        2 if ui.button("Reset to history").clicked() => calc.reset_inputs(),
                        _ => {}
                    }
                    ui.end_row();
                }
            });
        if calc.service_level != calc.shown_service_level {
            calc.shown_service_level.clone_from(&calc.service_level);
            if let Some(z) = crate::domain::limits::parse_service_level_pct(&calc.service_level)
                .ok()
                .and_then(|pct| z_for_service_level(pct / 100.0).ok())
                && let Some(slot) = Input::ALL.iter().position(|i| *i == Input::Z)
            {
                calc.fields[slot] = format!("{z:.4}");
            }
        }
        // A service level outside its range is said, not ignored: Z stays as it was.
        if !calc.service_level.trim().is_empty()
            && let Err(message) =
                crate::domain::limits::parse_service_level_pct(&calc.service_level)
        {
            let z = Input::ALL
                .iter()
                .position(|i| *i == Input::Z)
                .map(|slot| calc.fields[slot].clone())
                .unwrap_or_default();
            ui.colored_label(
                theme::ERROR,
                format!("{message}; Z was not changed (still {z})"),
            );
        }
        ui.add_space(6.0);
        match calc.inputs() {
            Err(message) => {
                ui.colored_label(theme::ERROR, message);
            }
            Ok(inputs) => methods_ui(ui, &inputs),
        }
        ui.add_space(8.0);
        ui.separator();
        ui.label(RichText::new("Order rules").strong());
        ui.horizontal(|ui| {
            let label = ui.label("Order multiple");
            ui.add(TextEdit::singleline(&mut calc.multiple).desired_width(60.0))
                .labelled_by(label.id);
            let label = ui.label("Minimum order");
            ui.add(TextEdit::singleline(&mut calc.min_order).desired_width(60.0))
                .labelled_by(label.id);
            let label = ui.label("Max stock");
            ui.add(
                TextEdit::singleline(&mut calc.max_stock)
                    .hint_text("ROP + EOQ")
                    .desired_width(100.0),
            )
            .labelled_by(label.id);
            if ui.button("Save order rules").clicked() {
                match calc.rules() {
                    Ok(rules) => commands.push(AppCommand::Reorder(Box::new(
                        ReorderCommand::SaveOrderRules {
                            product_id: calc.safety.position.product_id,
                            sku: calc.safety.position.sku.clone(),
                            rules,
                        },
                    ))),
                    Err(message) => self.calculator_error = Some(message),
                }
            }
        });
    }

    fn dialog_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("draft_pos")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("Create draft purchase orders");
            ui.label(
                RichText::new("One purchase order per supplier. Change quantities or dates; 0 leaves a line out.")
                    .color(theme::MUTED),
            );
            draft_rows_ui(ui, &mut dialog.pos);
            if !dialog.without_supplier.is_empty() {
                ui.colored_label(
                    theme::WARNING,
                    format!(
                        "No supplier, left out: {}",
                        dialog.without_supplier.join(", ")
                    ),
                );
            }
            if let Some(error) = &dialog.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = format!("Create {} purchase order(s)", dialog.pos.len());
                if ui
                    .add_enabled(!dialog.pos.is_empty(), egui::Button::new(label))
                    .clicked()
                {
                    match dialog.parse() {
                        // Several at once: asked about first, with the counts.
                        Ok(drafts) if drafts.iter().filter(|d| !d.lines.is_empty()).count() > 1 => {
                            dialog.error = None;
                            dialog.asking = Some(drafts);
                        }
                        Ok(drafts) => {
                            dialog.error = None;
                            commands.push(AppCommand::Reorder(Box::new(
                                ReorderCommand::CreatePos(drafts),
                            )));
                        }
                        Err(message) => dialog.error = Some(message),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if let Some(drafts) = &dialog.asking {
            let pos: Vec<&DraftPo> = drafts.iter().filter(|d| !d.lines.is_empty()).collect();
            let lines: usize = pos.iter().map(|po| po.lines.len()).sum();
            let units: i64 = pos
                .iter()
                .flat_map(|po| po.lines.iter().map(|line| line.quantity))
                .sum();
            let suppliers: Vec<&str> = pos.iter().map(|po| po.supplier.as_str()).collect();
            let answer = super::widgets::confirm_ui(
                ctx,
                "draft_pos_confirm",
                &format!("Create {} purchase orders?", pos.len()),
                &format!(
                    "{} open, unconfirmed purchase orders with {lines} line(s), {units} units in all, are created for {}. Promises are computed again. Edit › Undo takes them all back.",
                    pos.len(),
                    suppliers.join(", ")
                ),
                &format!("Create {} purchase orders", pos.len()),
                "Back",
            );
            match answer {
                super::widgets::Confirm::Yes => {
                    if let Some(drafts) = dialog.asking.take() {
                        commands.push(AppCommand::Reorder(Box::new(ReorderCommand::CreatePos(
                            drafts,
                        ))));
                    }
                }
                super::widgets::Confirm::No => dialog.asking = None,
                super::widgets::Confirm::Waiting => {}
            }
            // Escape answered the question, not the dialog below it.
            close = false;
        }
        if close {
            self.dialog = None;
        }
    }
}

/// One row of the draft PO dialog; rows are drawn only when scrolled into view, so thousands of
/// lines stay smooth.
#[derive(Clone, Copy)]
enum DraftRow {
    Supplier(usize),
    Columns,
    Line(usize, usize),
    Total(usize),
}

/// Column widths of the draft PO lines.
const DRAFT_WIDTHS: [f32; 5] = [120.0, 230.0, 80.0, 80.0, 90.0];

/// A cell of fixed width, contents left to right.
fn draft_cell<R>(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    ui.allocate_ui_with_layout(
        egui::vec2(width, theme::ROW_HEIGHT),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui)
        },
    )
    .inner
}

fn draft_rows_ui(ui: &mut Ui, pos: &mut [DraftForm]) {
    let formats = super::format::formats(ui.ctx());
    let mut rows = Vec::new();
    for (po_index, po) in pos.iter().enumerate() {
        rows.push(DraftRow::Supplier(po_index));
        rows.push(DraftRow::Columns);
        rows.extend((0..po.lines.len()).map(|line| DraftRow::Line(po_index, line)));
        rows.push(DraftRow::Total(po_index));
    }
    let totals: Vec<i64> = pos
        .iter()
        .map(|po| {
            po.lines
                .iter()
                .map(|(_, _, quantity, cost)| {
                    quantity
                        .trim()
                        .parse::<i64>()
                        .unwrap_or(0)
                        .max(0)
                        .saturating_mul(*cost)
                })
                .sum()
        })
        .collect();
    let row_height = theme::ROW_HEIGHT;
    egui::ScrollArea::vertical()
        .id_salt("draft_po_rows")
        .max_height(420.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                ui.horizontal(|ui| {
                    ui.set_height(row_height);
                    match *row {
                        DraftRow::Supplier(po_index) => {
                            let po = &mut pos[po_index];
                            ui.label(RichText::new(&po.supplier).strong());
                            let label = ui.label(format!("Expected arrival ({})", po.supplier));
                            ui.add(
                                TextEdit::singleline(&mut po.expected)
                                    .hint_text("YYYY-MM-DD")
                                    .desired_width(100.0),
                            )
                            .labelled_by(label.id);
                            ui.label(
                                RichText::new(format!("{} line(s)", po.lines.len()))
                                    .color(theme::MUTED),
                            );
                        }
                        DraftRow::Columns => {
                            for (title, width) in ["SKU", "Item", "Quantity", "Unit cost", "Line"]
                                .iter()
                                .zip(DRAFT_WIDTHS)
                            {
                                draft_cell(ui, width, |ui| {
                                    ui.label(RichText::new(*title).strong());
                                });
                            }
                        }
                        DraftRow::Line(po_index, line_index) => {
                            let (sku, name, quantity, cost) = &mut pos[po_index].lines[line_index];
                            let sku_label = draft_cell(ui, DRAFT_WIDTHS[0], |ui| {
                                ui.add(egui::Label::new(sku.as_str()).truncate())
                            });
                            draft_cell(ui, DRAFT_WIDTHS[1], |ui| {
                                ui.add(egui::Label::new(name.as_str()).truncate());
                            });
                            draft_cell(ui, DRAFT_WIDTHS[2], |ui| {
                                ui.add(TextEdit::singleline(quantity).desired_width(64.0))
                                    .labelled_by(sku_label.id);
                            });
                            let units = quantity.trim().parse::<i64>().unwrap_or(0).max(0);
                            draft_cell(ui, DRAFT_WIDTHS[3], |ui| {
                                ui.label(formats.money(*cost));
                            });
                            draft_cell(ui, DRAFT_WIDTHS[4], |ui| {
                                ui.label(formats.money(units.saturating_mul(*cost)));
                            });
                        }
                        DraftRow::Total(po_index) => {
                            let before: f32 = DRAFT_WIDTHS[..3].iter().sum();
                            ui.add_space(before + 2.0 * ui.spacing().item_spacing.x);
                            draft_cell(ui, DRAFT_WIDTHS[3], |ui| {
                                ui.label(RichText::new("Total").strong());
                            });
                            draft_cell(ui, DRAFT_WIDTHS[4], |ui| {
                                ui.label(RichText::new(formats.money(totals[po_index])).strong());
                            });
                        }
                    }
                });
            }
        });
}

/// Sample sizes and where the numbers came from.
fn history_ui(ui: &mut Ui, calc: &Calculator) {
    let history = &calc.safety.history;
    ui.label(format!(
        "Demand: {} days ({} to {}), {} with orders, {} units · service level {}% for class {} (Z {:.4})",
        history.days,
        history.from,
        history.to,
        history.days_with_demand,
        history.units,
        show(calc.safety.service_level * 100.0),
        calc.safety.class.label(),
        calc.safety.z
    ));
    match history.lead_time {
        LeadTimeSource::Receipts { mean, sd, max } => {
            ui.label(format!(
                "Lead time: {} receipt(s), average {} days, std. deviation {}, longest {}",
                history.receipts,
                show(mean),
                show(sd),
                show(max)
            ));
        }
        LeadTimeSource::Fallback(days) => {
            ui.label(format!(
                "Lead time: no receipts; the product's lead time of {days} days is used with σL = 0"
            ));
        }
        LeadTimeSource::Unknown => {
            ui.colored_label(
                theme::WARNING,
                "Lead time: no receipts and no lead time set; type one in",
            );
        }
    }
    if history.few_receipts() {
        ui.colored_label(
            theme::WARNING,
            format!(
                "Only {} receipt(s) (fewer than 5): lead-time figures are a rough guide",
                history.receipts
            ),
        );
    }
}

/// The five methods side by side, then where they disagree.
fn methods_ui(ui: &mut Ui, inputs: &Inputs) {
    let results: Vec<Result<SafetyResult, SafetyError>> = Method::ALL
        .iter()
        .map(|method| safety_stock(*method, inputs))
        .collect();
    let width = ((ui.available_width() - 4.0 * 8.0) / 5.0).max(150.0);
    egui::ScrollArea::horizontal()
        .id_salt("methods_scroll")
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                for (method, result) in Method::ALL.iter().zip(&results) {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(width - 14.0);
                        ui.set_min_height(150.0);
                        ui.vertical(|ui| {
                            ui.label(RichText::new(method.label()).strong());
                            ui.label(RichText::new(method.formula()).color(theme::INFO));
                            match result {
                                Ok(result) => {
                                    ui.label(worked(*method, inputs, result.safety_stock));
                                    ui.label(
                                        RichText::new(format!(
                                            "SS {:.2} → {} units",
                                            result.safety_stock,
                                            result.safety_stock_units()
                                        ))
                                        .strong(),
                                    );
                                    ui.label(format!(
                                        "ROP = d × L + SS = {:.2}",
                                        result.reorder_point
                                    ));
                                    ui.label(format!(
                                        "Reorder at {} units",
                                        result.reorder_point_units()
                                    ));
                                }
                                Err(SafetyError::Missing { inputs, .. }) => {
                                    let names: Vec<&str> =
                                        inputs.iter().map(|i| i.label()).collect();
                                    ui.colored_label(
                                        theme::WARNING,
                                        format!("Needs {}", names.join(", ")),
                                    );
                                }
                                Err(error) => {
                                    ui.colored_label(theme::ERROR, error.to_string());
                                }
                            }
                        });
                    });
                }
            });
        });
    let computed: Vec<SafetyResult> = results.iter().filter_map(|r| r.clone().ok()).collect();
    let notes = disagreements(&computed, inputs);
    if notes.is_empty() {
        if computed.len() > 1 {
            ui.label(RichText::new("The methods agree within 25%").color(theme::OK));
        }
    } else {
        ui.label(RichText::new("Where the methods disagree (more than 25%)").strong());
        for note in notes {
            ui.label(RichText::new(note.note).color(theme::WARNING));
        }
    }
}

/// Title, sort, width, numeric, when it gives way to a narrow window (lower first; `None`:
/// always shown).
const REORDER_COLUMNS: [super::widgets::TableColumn<ReorderColumn>; 12] = [
    ("SKU", ReorderColumn::Sku, 130.0, false, None),
    ("Name", ReorderColumn::Name, 150.0, false, None),
    ("Supplier", ReorderColumn::Supplier, 130.0, false, Some(5)),
    ("Class", ReorderColumn::Class, 52.0, false, Some(1)),
    ("Available", ReorderColumn::Available, 76.0, true, Some(6)),
    ("On order", ReorderColumn::OnOrder, 70.0, true, Some(2)),
    (
        "Backordered",
        ReorderColumn::Backordered,
        92.0,
        true,
        Some(4),
    ),
    ("Dates slip", ReorderColumn::DatesSlip, 80.0, true, Some(7)),
    (
        "Reorder point",
        ReorderColumn::ReorderPoint,
        100.0,
        true,
        Some(3),
    ),
    ("Suggested", ReorderColumn::Suggested, 80.0, true, None),
    (
        "Days to stockout",
        ReorderColumn::DaysToStockout,
        120.0,
        true,
        None,
    ),
    ("Cost", ReorderColumn::Cost, 90.0, true, None),
];

/// The suggestions table's sort, keyboard row and where to scroll.
struct TableState<'a> {
    sort: &'a mut Sort<ReorderColumn>,
    cursor: Option<ProductId>,
    scroll_to: Option<usize>,
}

/// The suggestions table: tick rows for purchase orders, click a row to explain it.
#[expect(
    clippy::too_many_lines,
    reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
)]
fn table_ui(
    ui: &mut Ui,
    report: &ReorderReport,
    order: &[usize],
    state: &mut TableState<'_>,
    selected: &mut HashSet<ProductId>,
    open_product: &mut Option<ProductId>,
) {
    let rows = &report.suggestions;
    let formats = super::format::formats(ui.ctx());
    // Measure, then allocate: the columns that fit the width, the rest give way in their set
    // order (class, on order, reorder point, backordered, supplier, available, dates slip); SKU,
    // name, suggested, days to stockout and cost always stay.
    let fitted = super::widgets::fit_table(ui, &REORDER_COLUMNS);
    let columns = &fitted.shown;
    let shown = |column: ReorderColumn| fitted.shows(column);
    super::widgets::solid_scroll_bar(ui);
    let mut builder = TableBuilder::new(ui)
        .id_salt(("reorder_table", fitted.layout_key))
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .auto_shrink([false, false]);
    if let Some(position) = state.scroll_to {
        builder = builder.scroll_to_row(position, None);
    }
    // The name takes what the others leave.
    builder = fitted.add_columns(builder, ReorderColumn::Name, 40.0);
    let mut toggles: HashMap<ProductId, bool> = HashMap::new();
    let sort = &mut *state.sort;
    let cursor = state.cursor;
    builder
        .header(theme::ROW_HEIGHT, |mut header| {
            for &(title, column, _, numeric) in columns {
                header.col(|ui| {
                    sort.header_ui(ui, title, column, numeric);
                });
            }
        })
        .body(|body| {
            body.rows(theme::ROW_HEIGHT, order.len(), |mut row| {
                let s = &rows[order[row.index()]];
                let mut checked = selected.contains(&s.product_id);
                row.set_selected(checked || cursor == Some(s.product_id));
                let label = |ui: &mut Ui, text: RichText| {
                    ui.add(egui::Label::new(text).truncate().selectable(false));
                };
                let number = |ui: &mut Ui, text: RichText| {
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        ui.add(egui::Label::new(text).selectable(false));
                    });
                };
                row.col(|ui| {
                    if ui.checkbox(&mut checked, s.sku.as_str()).changed() {
                        toggles.insert(s.product_id, checked);
                    }
                });
                row.col(|ui| label(ui, RichText::new(&s.name)));
                if shown(ReorderColumn::Supplier) {
                    row.col(|ui| {
                        if s.supplier.is_empty() {
                            label(ui, RichText::new("no supplier").color(theme::WARNING));
                        } else {
                            label(ui, RichText::new(&s.supplier));
                        }
                    });
                }
                if shown(ReorderColumn::Class) {
                    row.col(|ui| label(ui, RichText::new(s.class.label())));
                }
                if shown(ReorderColumn::Available) {
                    row.col(|ui| number(ui, RichText::new(s.available.to_string())));
                }
                if shown(ReorderColumn::OnOrder) {
                    row.col(|ui| number(ui, RichText::new(s.on_order.to_string())));
                }
                if shown(ReorderColumn::Backordered) {
                    row.col(|ui| {
                        let color = if s.backordered > 0 {
                            theme::WARNING
                        } else {
                            theme::MUTED
                        };
                        number(ui, RichText::new(s.backordered.to_string()).color(color));
                    });
                }
                if shown(ReorderColumn::DatesSlip) {
                    row.col(|ui| {
                        let (text, color) = if s.dates_slipping > 0 {
                            (format!("{} a day", s.dates_slipping), theme::ERROR)
                        } else {
                            ("–".to_owned(), theme::MUTED)
                        };
                        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                            ui.add(egui::Label::new(RichText::new(text).color(color)).selectable(false))
                                .on_hover_text(
                                    "Customers waiting with no purchase order behind them: each day without one moves their date a day later",
                                );
                        });
                    });
                }
                if shown(ReorderColumn::ReorderPoint) {
                    // Whole units, rounded up as the reorder rule compares them.
                    row.col(|ui| {
                        let units = crate::domain::safety_stock::round_up_units(s.reorder_point);
                        number(ui, RichText::new(units.to_string()));
                    });
                }
                row.col(|ui| number(ui, RichText::new(s.suggested_quantity.to_string()).strong()));
                row.col(|ui| {
                    let (text, color) = match s.days_to_stockout {
                        Some(days) if days < 1.0 => ("out now".to_owned(), theme::ERROR),
                        Some(days) if days <= s.lead_time_days => {
                            (format!("{}", days.floor() as i64), theme::WARNING)
                        }
                        Some(days) => (format!("{}", days.floor() as i64), theme::MUTED),
                        None => ("no demand".to_owned(), theme::MUTED),
                    };
                    number(ui, RichText::new(text).color(color));
                });
                row.col(|ui| number(ui, RichText::new(formats.money(s.cost_cents))));
                if row.response().clicked() {
                    *open_product = Some(s.product_id);
                }
            });
        });
    for (product_id, checked) in toggles {
        if checked {
            selected.insert(product_id);
        } else {
            selected.remove(&product_id);
        }
    }
}
