//! The reorder suggestions: the sortable table, selection and the step to draft purchase
//! orders.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use egui::{Align, Key, Layout, RichText, Ui};
use egui_extras::TableBuilder;

use crate::app::safety::{ReorderReport, Suggestion, draft_pos};
use crate::store::ProductId;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

use super::drafts::{DraftDialog, DraftForm};
use super::{ReorderScreen, View};

/// The suggestions table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ReorderColumn {
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

impl widgets::SortColumn for ReorderColumn {}

/// The suggestions in `sort` (positions into `rows`).
pub(super) fn sorted_suggestions(rows: &[Suggestion], sort: Sort<ReorderColumn>) -> Vec<usize> {
    widgets::sorted_rows(rows.len(), sort, |a, b| {
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
    })
}

/// Title, sort, width, numeric, when it gives way to a narrow window (lower first; `None`:
/// always shown).
pub(super) const REORDER_COLUMNS: [widgets::TableColumn<ReorderColumn>; 12] = [
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
pub(super) struct TableState<'a> {
    sort: &'a mut Sort<ReorderColumn>,
    cursor: Option<ProductId>,
    scroll_to: Option<usize>,
}

/// The suggestions table: tick rows for purchase orders, click a row to explain it.
#[expect(
    clippy::too_many_lines,
    reason = "the suggestions table drawn in egui's immediate mode: header, then each row's cells in column order"
)]
pub(super) fn table_ui(
    ui: &mut Ui,
    report: &ReorderReport,
    order: &[usize],
    state: &mut TableState<'_>,
    selected: &mut HashSet<ProductId>,
    open_product: &mut Option<ProductId>,
) {
    let rows = &report.suggestions;
    let formats = format::formats(ui.ctx());
    // Measure, then allocate: the columns that fit the width, the rest give way in their set
    // order (class, on order, reorder point, backordered, supplier, available, dates slip); SKU,
    // name, suggested, days to stockout and cost always stay.
    let fitted = widgets::fit_table(ui, &REORDER_COLUMNS);
    let columns = &fitted.shown;
    let shown = |column: ReorderColumn| fitted.shows(column);
    widgets::solid_scroll_bar(ui);
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

impl ReorderScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the Suggestions view drawn top to bottom in egui's immediate mode: progress, totals, table, draft button"
    )]
    pub(super) fn suggestions_ui(
        &mut self,
        ui: &mut Ui,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
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
                    format::formats(ui.ctx()).money(total)
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
                        format::formats(ui.ctx()).money(selected_cost)
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
            let keys = widgets::list_keys(ui.ctx());
            if keys.step != 0
                && let Some((product_id, position)) = widgets::step_selection(
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
}
