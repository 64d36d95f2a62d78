//! The dashboard's tables: promises by supplier, the SKU lists, supplier lead times.

use super::cards::promise_color;
use super::{CHART_HEIGHT, show};
use crate::app::kpi::{Dashboard, SkuFigure};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;
use crate::ui::shared::widgets::{Sort, number_sized, sorted_positions};
use egui::{RichText, Ui};

/// The columns of the promises-by-supplier table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PromiseSupplierColumn {
    Supplier,
    Lines,
    Kept,
    Inside,
}

/// Two optional percentages, missing ones first.
fn cmp_pct(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// Width of a numeric column in the dashboard's small tables.
const NUMBER_WIDTH: f32 = 84.0;

/// Room between the columns of the dashboard's small tables, so a right-aligned number never
/// runs into the next column's title.
const TABLE_GAP: f32 = 16.0;

/// The SKU lists' figure (stockout days, days of cover) and available columns, and the room
/// their SKU and Project button take: the name column gets what the card has left.
const FIGURE_WIDTH: f32 = 100.0;
const AVAILABLE_WIDTH: f32 = 64.0;
const SKU_AND_BUTTON_WIDTH: f32 = 160.0;

pub(super) fn promise_supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
    use PromiseSupplierColumn as Col;
    if dashboard.promise_suppliers.is_empty() {
        ui.label(
            RichText::new("No backordered line with a promised window shipped in this period")
                .color(theme::MUTED),
        );
        return;
    }
    let rows = &dashboard.promise_suppliers;
    let sort_id = egui::Id::unique("kpi_promise_suppliers_sort");
    let mut sort = Sort::remembered(ui.ctx(), sort_id, Sort::new(Col::Supplier, true));
    let order = sorted_positions(rows.len(), sort, |a, b, column| {
        let (a, b) = (&rows[a], &rows[b]);
        match column {
            Col::Supplier => a.supplier.to_lowercase().cmp(&b.supplier.to_lowercase()),
            Col::Lines => a.totals.lines.cmp(&b.totals.lines),
            Col::Kept => cmp_pct(a.kept_pct, b.kept_pct),
            Col::Inside => cmp_pct(a.inside_pct, b.inside_pct),
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("kpi_promise_suppliers_scroll")
        .max_height(CHART_HEIGHT)
        .show(ui, |ui| {
            egui::Grid::new("kpi_promise_suppliers")
                .striped(true)
                .spacing([TABLE_GAP, 4.0])
                .num_columns(4)
                .show(ui, |ui| {
                    sort.header_ui(ui, "Supplier", Col::Supplier, false);
                    sort.header_sized_ui(ui, 60.0, "Lines", Col::Lines);
                    sort.header_sized_ui(ui, 60.0, "Kept", Col::Kept);
                    sort.header_sized_ui(ui, 60.0, "Inside", Col::Inside);
                    ui.end_row();
                    for s in order.iter().map(|&index| &rows[index]) {
                        let name = if s.supplier.is_empty() {
                            "(no supplier)"
                        } else {
                            s.supplier.as_str()
                        };
                        ui.add(egui::Label::new(name).selectable(false));
                        number_sized(ui, 60.0, s.totals.lines.to_string());
                        let kept = RichText::new(show(s.kept_pct, "%", 1));
                        let kept = match promise_color(s.kept_pct, dashboard.promise_target_pct) {
                            Some(color) => kept.color(color),
                            None => kept,
                        };
                        number_sized(ui, 60.0, kept);
                        number_sized(ui, 60.0, show(s.inside_pct, "%", 1));
                        ui.end_row();
                    }
                });
        });
    sort.remember(ui.ctx(), sort_id);
}

/// The columns of the stockout and cover lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SkuColumn {
    Sku,
    Name,
    /// Stockout days, or days of cover.
    Figure,
    Available,
}

pub(super) fn sku_list_ui(
    ui: &mut Ui,
    rows: &[SkuFigure],
    stockouts: bool,
    commands: &mut Vec<AppCommand>,
    show_projection: &mut Option<String>,
) {
    if rows.is_empty() {
        ui.label(RichText::new("None in this period").color(theme::MUTED));
        return;
    }
    let name = if stockouts {
        "kpi_stockouts"
    } else {
        "kpi_cover"
    };
    let sort_id = egui::Id::unique((name, "sort"));
    // The name takes what the card has left after the other columns and the gaps (cut with an
    // ellipsis, the whole name on hover), so the Project buttons stay inside at 1024 px.
    let name_width = (ui.available_width()
        - SKU_AND_BUTTON_WIDTH
        - FIGURE_WIDTH
        - AVAILABLE_WIDTH
        - 4.0 * TABLE_GAP)
        .clamp(80.0, 200.0);
    // Read in: most stockout days first, fewest days of cover first.
    let mut sort = Sort::remembered(ui.ctx(), sort_id, Sort::new(SkuColumn::Figure, !stockouts));
    let order = sorted_positions(rows.len(), sort, |a, b, column| {
        let (a, b) = (&rows[a], &rows[b]);
        match column {
            SkuColumn::Sku => a.product.sku.cmp(&b.product.sku),
            SkuColumn::Name => a
                .product
                .name
                .to_lowercase()
                .cmp(&b.product.name.to_lowercase()),
            SkuColumn::Figure if stockouts => a.stockout_days.cmp(&b.stockout_days),
            SkuColumn::Figure => cmp_pct(a.days_of_cover, b.days_of_cover),
            SkuColumn::Available => a.product.available.cmp(&b.product.available),
        }
    });
    egui::Grid::new(name)
        .striped(true)
        .spacing([TABLE_GAP, 4.0])
        .num_columns(5)
        .show(ui, |ui| {
            sort.header_ui(ui, "SKU", SkuColumn::Sku, false);
            sort.header_ui(ui, "Name", SkuColumn::Name, false);
            sort.header_sized_ui(
                ui,
                FIGURE_WIDTH,
                if stockouts {
                    "Stockout days"
                } else {
                    "Days of cover"
                },
                SkuColumn::Figure,
            );
            sort.header_sized_ui(ui, AVAILABLE_WIDTH, "Available", SkuColumn::Available);
            ui.label("");
            ui.end_row();
            for row in order.iter().map(|&index| &rows[index]) {
                if ui
                    .link(&row.product.sku)
                    .on_hover_text("Open in the catalog")
                    .clicked()
                {
                    commands.push(AppCommand::ShowProduct(row.product.product_id));
                }
                // On the left of a fixed width, cut with an ellipsis (full name on hover).
                ui.allocate_ui_with_layout(
                    egui::vec2(name_width, ui.spacing().interact_size.y),
                    egui::Layout::left_to_right(egui::Align::Center),
                    |ui| {
                        ui.set_min_width(name_width);
                        ui.set_max_width(name_width);
                        ui.add(
                            egui::Label::new(&row.product.name)
                                .truncate()
                                .selectable(false),
                        )
                    },
                )
                .inner
                .on_hover_text(&row.product.name);
                let figure = if stockouts {
                    row.stockout_days.to_string()
                } else {
                    show(row.days_of_cover, "", 1)
                };
                number_sized(ui, FIGURE_WIDTH, figure);
                number_sized(ui, AVAILABLE_WIDTH, row.product.available.to_string());
                if ui
                    .small_button("Project")
                    .on_hover_text("Show its projected stock")
                    .clicked()
                {
                    *show_projection = Some(row.product.sku.clone());
                }
                ui.end_row();
            }
        });
    sort.remember(ui.ctx(), sort_id);
}

/// The columns of the supplier lead-time table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeadTimeColumn {
    Supplier,
    Receipts,
    Mean,
    Deviation,
    OnTime,
}

pub(super) fn supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
    use LeadTimeColumn as Col;
    if dashboard.suppliers.is_empty() {
        ui.label(RichText::new("No receipts in this period").color(theme::MUTED));
        return;
    }
    let rows = &dashboard.suppliers;
    let sort_id = egui::Id::unique("kpi_suppliers_sort");
    let mut sort = Sort::remembered(ui.ctx(), sort_id, Sort::new(Col::Supplier, true));
    let order = sorted_positions(rows.len(), sort, |a, b, column| {
        let (a, b) = (&rows[a], &rows[b]);
        match column {
            Col::Supplier => a.supplier.to_lowercase().cmp(&b.supplier.to_lowercase()),
            Col::Receipts => a.stats.receipts.cmp(&b.stats.receipts),
            Col::Mean => a.stats.mean_days.total_cmp(&b.stats.mean_days),
            Col::Deviation => a.stats.sd_days.total_cmp(&b.stats.sd_days),
            Col::OnTime => cmp_pct(a.stats.on_time_pct, b.stats.on_time_pct),
        }
    });
    egui::Grid::new("kpi_suppliers")
        .striped(true)
        .spacing([TABLE_GAP, 4.0])
        .num_columns(5)
        .show(ui, |ui| {
            sort.header_ui(ui, "Supplier", Col::Supplier, false);
            sort.header_sized_ui(ui, NUMBER_WIDTH, "Receipts", Col::Receipts);
            sort.header_sized_ui(ui, NUMBER_WIDTH + 30.0, "Mean lead time", Col::Mean);
            sort.header_sized_ui(ui, NUMBER_WIDTH + 30.0, "Std. deviation", Col::Deviation);
            sort.header_sized_ui(ui, NUMBER_WIDTH, "On time", Col::OnTime);
            ui.end_row();
            for s in order.iter().map(|&index| &rows[index]) {
                ui.add(egui::Label::new(&s.supplier).selectable(false));
                number_sized(ui, NUMBER_WIDTH, s.stats.receipts.to_string());
                number_sized(
                    ui,
                    NUMBER_WIDTH + 30.0,
                    format!("{:.1} days", s.stats.mean_days),
                );
                number_sized(
                    ui,
                    NUMBER_WIDTH + 30.0,
                    format!("{:.1} days", s.stats.sd_days),
                );
                number_sized(ui, NUMBER_WIDTH, show(s.stats.on_time_pct, "%", 1));
                ui.end_row();
            }
        });
    sort.remember(ui.ctx(), sort_id);
}
