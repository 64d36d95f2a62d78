//! Backorder policy (a view of the Reorder tab): the policy advisor with one-click apply, and
//! the backorder cutoffs (per category, per product, and the shop-wide last promise date).

use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

use crate::app::practice::{AdviceRow, CutoffTarget, advice, cutoff_list, thresholds};
use crate::domain::advisor::{Thresholds, suggestion_label};
use crate::store::Store;
use crate::store::practice::CutoffRow;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

/// Most advisor rows drawn at once.
const MAX_ROWS: usize = 500;

#[derive(Default)]
pub struct PolicyView {
    rows: Vec<AdviceRow>,
    thresholds: Option<Thresholds>,
    cutoffs: Vec<CutoffRow>,
    last_promise_date: Option<NaiveDate>,
    loaded_for: Option<u64>,
    load_error: Option<String>,
    only_changes: bool,
    category: String,
    category_date: String,
    sku: String,
    sku_date: String,
    promise_by: String,
    form_error: Option<String>,
    sort: widgets::Sort<AdviceColumn>,
}

impl widgets::SortColumn for AdviceColumn {}

/// The advisor list's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum AdviceColumn {
    #[default]
    Sku,
    Supplier,
    Policy,
    Suggestion,
}

/// Parses a typed date: empty → `None` (clears), else YYYY-MM-DD.
fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    crate::domain::limits::parse_day(text).map(Some)
}

impl PolicyView {
    fn refresh(&mut self, store: &Store, version: u64, today: NaiveDate) {
        if self.loaded_for == Some(version) {
            return;
        }
        self.loaded_for = Some(version);
        let loaded = advice(store, today).and_then(|rows| {
            let (cutoffs, last) = cutoff_list(store)?;
            Ok((rows, cutoffs, last, thresholds(store)?))
        });
        match loaded {
            Ok((rows, cutoffs, last, thresholds)) => {
                self.rows = rows;
                self.cutoffs = cutoffs;
                self.last_promise_date = last;
                if self.promise_by.is_empty()
                    && let Some(date) = last
                {
                    self.promise_by = date.to_string();
                }
                self.thresholds = Some(thresholds);
                self.load_error = None;
            }
            Err(error) => self.load_error = Some(format!("Cannot read the advice: {error}")),
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
        self.refresh(store, version, today);
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::ERROR, error);
        }
        egui::ScrollArea::vertical()
            .id_salt("policy_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.cutoffs_ui(ui, today, commands);
                ui.add_space(10.0);
                self.advisor_ui(ui, commands);
            });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the cutoffs panel drawn top to bottom in egui's immediate mode: product, category and last-promise cutoffs"
    )]
    fn cutoffs_ui(&mut self, ui: &mut Ui, today: NaiveDate, commands: &mut Vec<AppCommand>) {
        ui.label(RichText::new("Holiday and season cutoffs").heading());
        ui.label(
            RichText::new(
                "A cutoff is the last day backorders are taken (inclusive); after it the product behaves as \"not allowed\" and its badge says so. A product's own cutoff wins over its category's. An empty date clears a cutoff.",
            )
            .color(theme::MUTED),
        );
        egui::Grid::new("cutoff_forms")
            .num_columns(4)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Category");
                ui.add_sized(
                    [160.0, 20.0],
                    TextEdit::singleline(&mut self.category).hint_text("category name"),
                )
                .labelled_by(label.id);
                let label = ui.label("Category cutoff");
                ui.add_sized(
                    [180.0, 20.0],
                    TextEdit::singleline(&mut self.category_date)
                        .hint_text("YYYY-MM-DD (empty clears)"),
                )
                .labelled_by(label.id);
                if ui.button("Set category cutoff").clicked() {
                    match parse_date(&self.category_date) {
                        Ok(date) => {
                            commands.push(AppCommand::SetCutoff(
                                CutoffTarget::Category(self.category.trim().to_owned()),
                                date,
                            ));
                            self.form_error = None;
                        }
                        Err(message) => self.form_error = Some(message),
                    }
                }
                ui.end_row();
                let label = ui.label("Product SKU");
                ui.add_sized(
                    [160.0, 20.0],
                    TextEdit::singleline(&mut self.sku).hint_text("SKU"),
                )
                .labelled_by(label.id);
                let label = ui.label("Product cutoff");
                ui.add_sized(
                    [180.0, 20.0],
                    TextEdit::singleline(&mut self.sku_date).hint_text("YYYY-MM-DD (empty clears)"),
                )
                .labelled_by(label.id);
                if ui.button("Set product cutoff").clicked() {
                    match parse_date(&self.sku_date) {
                        Ok(date) => {
                            commands.push(AppCommand::SetCutoff(
                                CutoffTarget::Product(self.sku.trim().to_owned()),
                                date,
                            ));
                            self.form_error = None;
                        }
                        Err(message) => self.form_error = Some(message),
                    }
                }
                ui.end_row();
                let label = ui.label("Last day to promise delivery before");
                ui.add_sized(
                    [160.0, 20.0],
                    TextEdit::singleline(&mut self.promise_by)
                        .hint_text("YYYY-MM-DD (empty clears)"),
                )
                .labelled_by(label.id);
                ui.label("");
                ui.label("");
                if ui.button("Set last promise date").clicked() {
                    match parse_date(&self.promise_by) {
                        Ok(date) => {
                            commands
                                .push(AppCommand::SetCutoff(CutoffTarget::LastPromiseDate, date));
                            self.form_error = None;
                        }
                        Err(message) => self.form_error = Some(message),
                    }
                }
                ui.end_row();
            });
        if let Some(error) = &self.form_error {
            ui.colored_label(theme::ERROR, error);
        }
        if let Some(date) = self.last_promise_date {
            ui.label(
                RichText::new(format!(
                    "Waiting lines whose window ends after {date} are flagged \"after the last promise date\" in Orders and in the backorder list"
                ))
                .color(theme::WARNING),
            );
        }
        if self.cutoffs.is_empty() {
            ui.label(RichText::new("No cutoffs set").color(theme::MUTED));
            return;
        }
        egui::Grid::new("cutoff_list")
            .striped(true)
            .num_columns(3)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for header in ["For", "Name", "Backorders until"] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for row in &self.cutoffs {
                    ui.label(row.kind);
                    ui.label(&row.name);
                    let day = format::formats(ui.ctx()).date(row.cutoff);
                    let text = if today > row.cutoff {
                        RichText::new(format!("{day} (closed)")).color(theme::ERROR)
                    } else {
                        RichText::new(day)
                    };
                    ui.label(text);
                    ui.end_row();
                }
            });
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the policy advisor drawn top to bottom in egui's immediate mode: explanation, sortable table, apply"
    )]
    fn advisor_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        ui.label(RichText::new("Policy advisor").heading());
        if let Some(t) = &self.thresholds {
            ui.label(
                RichText::new(format!(
                    "Backorders suit items with reliable, short replenishment. From each supplier's receipts of the last year: on time at least {:.0}% and lead time within ±{:.1} days → allow (preorder when the lead time is over {:.0} days); otherwise stop backorders. At least {} receipts are needed.",
                    t.min_on_time_pct, t.max_lead_sd_days, t.max_lead_days, t.min_receipts
                ))
                .color(theme::MUTED),
            );
        }
        let actionable: Vec<_> = self
            .rows
            .iter()
            .filter(|row| row.actionable())
            .map(|row| row.product.product_id)
            .collect();
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.only_changes, "Only suggested changes");
            ui.label(format!(
                "{} product(s) with a suggested change",
                actionable.len()
            ));
            if ui
                .add_enabled(
                    !actionable.is_empty(),
                    egui::Button::new("Apply all suggestions"),
                )
                .clicked()
            {
                commands.push(AppCommand::AskFirst(confirm::Bulk::ApplyAdvice(
                    actionable.clone(),
                )));
            }
        });
        let only_changes = self.only_changes;
        let matching = self
            .rows
            .iter()
            .filter(|row| !only_changes || row.actionable())
            .count();
        let sort = self.sort;
        let mut sorted: Vec<&AdviceRow> = self
            .rows
            .iter()
            .filter(|row| !only_changes || row.actionable())
            .collect();
        sorted.sort_by(|a, b| {
            let by = match sort.column {
                AdviceColumn::Sku => a.product.sku.cmp(&b.product.sku),
                AdviceColumn::Supplier => a.product.supplier.cmp(&b.product.supplier),
                AdviceColumn::Policy => a.product.policy.label().cmp(b.product.policy.label()),
                AdviceColumn::Suggestion => {
                    (!a.actionable(), a.advice.suggestion.map(suggestion_label))
                        .cmp(&(!b.actionable(), b.advice.suggestion.map(suggestion_label)))
                }
            };
            sort.apply(by)
                .then_with(|| a.product.sku.cmp(&b.product.sku))
        });
        let rows: Vec<&AdviceRow> = sorted.into_iter().take(MAX_ROWS).collect();
        if rows.is_empty() {
            ui.label(RichText::new("No products").color(theme::MUTED));
            return;
        }
        if matching > MAX_ROWS {
            ui.label(
                RichText::new(format!(
                    "Showing the first {MAX_ROWS} of {matching} products in this order; tick \"Only suggested changes\" to narrow the list"
                ))
                .color(theme::MUTED),
            );
        }
        egui::Grid::new("advisor_grid")
            .striped(true)
            .num_columns(6)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                let mut sort = self.sort;
                sort.header_ui(ui, "SKU", AdviceColumn::Sku, false);
                sort.header_ui(ui, "Supplier", AdviceColumn::Supplier, false);
                sort.header_ui(ui, "Policy now", AdviceColumn::Policy, false);
                sort.header_ui(ui, "Suggestion", AdviceColumn::Suggestion, false);
                ui.label(RichText::new("Why").strong());
                ui.label("");
                ui.end_row();
                self.sort = sort;
                for row in rows {
                    ui.label(&row.product.sku);
                    ui.label(&row.product.supplier);
                    ui.label(row.product.policy.label());
                    match row.advice.suggestion {
                        Some(policy) if row.actionable() => {
                            ui.label(
                                RichText::new(suggestion_label(policy))
                                    .strong()
                                    .color(theme::WARNING),
                            );
                        }
                        Some(_) => {
                            ui.label(RichText::new("keep").color(theme::OK));
                        }
                        None => {
                            ui.label(RichText::new("–").color(theme::MUTED));
                        }
                    }
                    ui.label(RichText::new(&row.advice.reason).color(theme::MUTED));
                    if row.actionable() {
                        if ui.button(format!("Apply to {}", row.product.sku)).clicked() {
                            commands.push(AppCommand::ApplyAdvice(vec![row.product.product_id]));
                        }
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    }
}
