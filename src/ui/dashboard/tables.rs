//! The dashboard's tables: promises by supplier, the SKU lists, supplier lead times.

use super::cards::promise_color;
use super::{CHART_HEIGHT, show};
use crate::app::kpi::{Dashboard, SkuFigure};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;
use egui::{RichText, Ui};

pub(super) fn promise_supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
    if dashboard.promise_suppliers.is_empty() {
        ui.label(
            RichText::new("No backordered line with a promised window shipped in this period")
                .color(theme::MUTED),
        );
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("kpi_promise_suppliers_scroll")
        .max_height(CHART_HEIGHT)
        .show(ui, |ui| {
            egui::Grid::new("kpi_promise_suppliers")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for title in ["Supplier", "Lines", "Kept", "Inside"] {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for s in &dashboard.promise_suppliers {
                        let name = if s.supplier.is_empty() {
                            "(no supplier)"
                        } else {
                            s.supplier.as_str()
                        };
                        ui.add(egui::Label::new(name).selectable(false));
                        ui.add(egui::Label::new(s.totals.lines.to_string()).selectable(false));
                        let kept = RichText::new(show(s.kept_pct, "%", 1));
                        let kept = match promise_color(s.kept_pct, dashboard.promise_target_pct) {
                            Some(color) => kept.color(color),
                            None => kept,
                        };
                        ui.add(egui::Label::new(kept).selectable(false));
                        ui.add(egui::Label::new(show(s.inside_pct, "%", 1)).selectable(false));
                        ui.end_row();
                    }
                });
        });
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
    egui::Grid::new(if stockouts {
        "kpi_stockouts"
    } else {
        "kpi_cover"
    })
    .striped(true)
    .num_columns(5)
    .show(ui, |ui| {
        ui.label(RichText::new("SKU").strong());
        ui.label(RichText::new("Name").strong());
        ui.label(
            RichText::new(if stockouts {
                "Stockout days"
            } else {
                "Days of cover"
            })
            .strong(),
        );
        ui.label(RichText::new("Available").strong());
        ui.label("");
        ui.end_row();
        for row in rows {
            if ui
                .link(&row.product.sku)
                .on_hover_text("Open in the catalog")
                .clicked()
            {
                commands.push(AppCommand::ShowProduct(row.product.product_id));
            }
            ui.add_sized(
                [160.0, 18.0],
                egui::Label::new(&row.product.name)
                    .truncate()
                    .selectable(false),
            )
            .on_hover_text(&row.product.name);
            let figure = if stockouts {
                row.stockout_days.to_string()
            } else {
                show(row.days_of_cover, "", 1)
            };
            ui.add(egui::Label::new(figure).selectable(false));
            ui.add(egui::Label::new(row.product.available.to_string()).selectable(false));
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
}

pub(super) fn supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
    if dashboard.suppliers.is_empty() {
        ui.label(RichText::new("No receipts in this period").color(theme::MUTED));
        return;
    }
    egui::Grid::new("kpi_suppliers")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for title in [
                "Supplier",
                "Receipts",
                "Mean lead time",
                "Std. deviation",
                "On time",
            ] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for s in &dashboard.suppliers {
                ui.add(egui::Label::new(&s.supplier).selectable(false));
                ui.add(egui::Label::new(s.stats.receipts.to_string()).selectable(false));
                ui.add(
                    egui::Label::new(format!("{:.1} days", s.stats.mean_days)).selectable(false),
                );
                ui.add(egui::Label::new(format!("{:.1} days", s.stats.sd_days)).selectable(false));
                ui.add(egui::Label::new(show(s.stats.on_time_pct, "%", 1)).selectable(false));
                ui.end_row();
            }
        });
}
