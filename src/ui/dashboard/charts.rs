//! The charts area: each chart in its frame with its title, navigation and Save buttons.

use super::DashboardScreen;
use super::cards::{GROUP_EXTRA, panel};
use super::plots::{
    ages_plot, lead_time_plot, open_backorders_plot, pareto_plot, projection_plot, promises_plot,
    rates_plot,
};
use super::tables::{promise_supplier_table_ui, sku_list_ui, supplier_table_ui};
use crate::app::kpi::{Chart, Dashboard};
use crate::domain::promise::format_date;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::file_dialog;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use egui::{RichText, Ui};
use egui_plot::PlotResponse;

impl DashboardScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the charts area laid out in egui's immediate mode, one chart frame after another in the order shown"
    )]
    pub(super) fn charts_ui(
        &mut self,
        ui: &mut Ui,
        dashboard: &Dashboard,
        commands: &mut Vec<AppCommand>,
    ) {
        let from = dashboard.request.period.from;
        let style = format::formats(ui.ctx()).dates;
        let spacing = ui.spacing().item_spacing.x;
        // Two panels a row; a group adds its margin and stroke around the width it is given.
        let half = ((ui.available_width() - spacing) / 2.0 - GROUP_EXTRA)
            .floor()
            .max(200.0);
        ui.horizontal(|ui| {
            let nav = self.nav(Chart::Rates, style);
            self.chart_frame(ui, half, Chart::Rates, dashboard, |ui| {
                Some(rates_plot(ui, dashboard, from, nav))
            });
            let nav = self.nav(Chart::OpenBackorders, style);
            self.chart_frame(ui, half, Chart::OpenBackorders, dashboard, |ui| {
                Some(open_backorders_plot(ui, dashboard, from, nav))
            });
        });
        ui.horizontal_top(|ui| {
            let nav = self.nav(Chart::Promises, style);
            self.chart_frame(ui, half, Chart::Promises, dashboard, |ui| {
                Some(promises_plot(ui, dashboard, from, nav))
            });
            panel(ui, half, |ui| {
                ui.label(
                    RichText::new("Promises kept by supplier (lines shipped in the period)")
                        .strong(),
                );
                promise_supplier_table_ui(ui, dashboard);
            });
        });
        ui.horizontal(|ui| {
            let nav = self.nav(Chart::LeadTimes, style);
            self.chart_frame(ui, half, Chart::LeadTimes, dashboard, |ui| {
                Some(lead_time_plot(ui, dashboard, nav))
            });
            let nav = self.nav(Chart::Pareto, style);
            self.chart_frame(ui, half, Chart::Pareto, dashboard, |ui| {
                Some(pareto_plot(ui, dashboard, nav))
            });
        });
        let mut show_projection: Option<String> = None;
        ui.horizontal(|ui| {
            let projection = self.projection.clone();
            let nav = self.nav(Chart::Projection, style);
            self.chart_frame(ui, half, Chart::Projection, dashboard, |ui| {
                projection_plot(ui, projection.as_ref(), nav)
            });
            panel(ui, half, |ui| {
                ui.label(RichText::new("Open backorders by age (lines waiting now)").strong());
                ages_plot(ui, dashboard);
            });
        });
        ui.horizontal(|ui| {
            let label = ui.label("Projected stock of SKU");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut self.projection_sku).desired_width(120.0))
                .labelled_by(label.id);
            if edit.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                self.projection_for = None;
            }
        });
        if let Some(error) = &self.projection_error {
            ui.colored_label(theme::ERROR, error);
        } else if let Some(p) = &self.projection {
            ui.label(
                RichText::new(format!(
                    "{}: starts at {} available (on hand minus open order units); average demand {:.2} a day (SD {:.2}); lead time {} days; safety stock {} units; reorder point {} units; {}",
                    p.sku,
                    p.start,
                    p.avg_daily_demand,
                    p.sd_daily_demand,
                    p.lead_time_days,
                    crate::domain::safety_stock::round_up_units(p.safety_stock),
                    crate::domain::safety_stock::round_up_units(p.reorder_point),
                    p.stockout.map_or_else(
                        || "no stockout projected".to_owned(),
                        |day| format!("projected stockout {}", format_date(day, style))
                    )
                ))
                .color(theme::MUTED),
            );
        }
        ui.add_space(4.0);
        ui.horizontal_top(|ui| {
            panel(ui, half, |ui| {
                ui.label(RichText::new("Most stockout days").strong());
                sku_list_ui(
                    ui,
                    &dashboard.most_stockouts,
                    true,
                    commands,
                    &mut show_projection,
                );
            });
            panel(ui, half, |ui| {
                ui.label(RichText::new("Fewest days of cover").strong());
                sku_list_ui(
                    ui,
                    &dashboard.lowest_cover,
                    false,
                    commands,
                    &mut show_projection,
                );
            });
        });
        if let Some(sku) = show_projection {
            self.projection_sku = sku;
            self.projection_for = None;
        }
        panel(ui, half * 2.0 + spacing + GROUP_EXTRA, |ui| {
            ui.label(RichText::new("Supplier lead times (receipts in the period)").strong());
            supplier_table_ui(ui, dashboard);
        });
    }

    /// A chart with its title, Reset view and the two save buttons. A click into the chart lets
    /// the wheel pan it; Reset view (or a double-click) returns it to its data.
    pub(super) fn chart_frame(
        &mut self,
        ui: &mut Ui,
        width: f32,
        chart: Chart,
        dashboard: &Dashboard,
        plot: impl FnOnce(&mut Ui) -> Option<PlotResponse<()>>,
    ) {
        let active = self.active_charts.contains(&chart);
        self.reset_charts.retain(|reset| *reset != chart);
        let response = panel(ui, width, |ui| {
            let mut save_csv = false;
            let mut save_png = false;
            let mut reset = false;
            // The buttons first (from the right), then the title in what is left, cut with an
            // ellipsis when it does not fit (full title on hover).
            ui.horizontal(|ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    save_png = ui
                        .small_button("PNG")
                        .on_hover_text("Save chart as PNG")
                        .clicked();
                    save_csv = ui
                        .small_button("CSV")
                        .on_hover_text("Save numbers as CSV")
                        .clicked();
                    reset = ui
                        .small_button("Reset view")
                        .on_hover_text(format!(
                            "Show all of '{}' again; the wheel scrolls the page until you click into the chart",
                            chart.title()
                        ))
                        .clicked();
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(RichText::new(chart.title()).strong()).truncate());
                    });
                });
            });
            let plot = plot(ui);
            (save_csv, save_png, reset, plot)
        });
        let (save_csv, save_png, reset, plot) = response.inner;
        if let Some(plot) = plot {
            let bounds = plot.transform.bounds();
            let [x_min, y_min] = bounds.min();
            let [x_max, y_max] = bounds.max();
            self.chart_bounds.retain(|(shown, _)| *shown != chart);
            self.chart_bounds
                .push((chart, [x_min, x_max, y_min, y_max]));
            let hint = if active {
                "Wheel pans, drag moves, Ctrl + wheel zooms; Reset view or double-click returns"
            } else {
                "Click into the chart to pan it with the wheel; Ctrl + wheel zooms"
            };
            let plot_response = plot.response.on_hover_text(hint);
            if plot_response.clicked() && !active {
                self.active_charts.push(chart);
            }
            // The wheel panned the chart it was clicked into: the page under it stays put.
            if active && plot_response.hovered() {
                ui.input_mut(|input| input.smooth_scroll_delta = egui::Vec2::ZERO);
            }
        }
        if reset {
            self.active_charts.retain(|shown| *shown != chart);
            self.reset_charts.push(chart);
        }
        let ctx = ui.ctx().clone();
        // A file chosen in the window's own file dialog arrives a few frames later.
        let csv_purpose = format!("chart-csv:{}", chart.file_stem());
        let png_purpose = format!("chart-png:{}", chart.file_stem());
        if save_csv {
            self.save_csv(&ctx, chart, dashboard, None);
        } else if let Some(path) = file_dialog::answer(&ctx, &csv_purpose) {
            self.save_csv(&ctx, chart, dashboard, Some(path));
        }
        if save_png {
            self.save_png(&ctx, chart, response.response.rect, None);
        } else if let Some(path) = file_dialog::answer(&ctx, &png_purpose) {
            self.save_png(&ctx, chart, response.response.rect, Some(path));
        }
    }
}
