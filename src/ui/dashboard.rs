//! The Dashboard tab: KPI cards with the change against the previous period, and charts.
//!
//! The dashboard is computed on a worker thread with its own connection; results are kept per
//! data version and request, so going back to a period is instant and the window never waits.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};

use chrono::{Duration, NaiveDate};
use egui::{Color32, RichText, Ui};
use egui_plot::{
    Bar, BarChart, BoxElem, BoxPlot, BoxSpread, Corner, HLine, Legend, Line, Plot, PlotResponse,
    VLine,
};

use super::command::AppCommand;
use super::theme;
use super::widgets::{Sort, number_sized, sorted_positions};
use crate::app::clock::parse_iso_date;
use crate::app::jobs::Job;
use crate::app::kpi::{
    Chart, Dashboard, Figures, KpiRequest, Projection, SkuFigure, chart_table, dashboard,
    projection,
};
use crate::domain::abc::{A_SHARE_PCT, AB_SHARE_PCT};
use crate::domain::kpi::{
    AGE_BUCKET_LABELS, BACKORDER_TARGET_PCT, Band, DEFAULT_PERIOD_DAYS, PERIOD_PRESETS, Period,
    Scope, backorder_band, change,
};
use crate::domain::promise::{DateStyle, format_date, format_day};
use crate::store::Store;

/// Results kept for going back and forth between periods.
const CACHE_SIZE: usize = 6;
/// More stale stored days than this: the status line says the history is being built.
const HISTORY_BUILD_DAYS: i64 = 31;
const CHART_HEIGHT: f32 = 210.0;

/// Which narrowing the scope selector shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    All,
    Sku,
    Supplier,
    Category,
}

impl ScopeKind {
    const ALL: [Self; 4] = [Self::All, Self::Sku, Self::Supplier, Self::Category];

    fn label(self) -> &'static str {
        match self {
            Self::All => "All products",
            Self::Sku => "One SKU",
            Self::Supplier => "One supplier",
            Self::Category => "One category",
        }
    }
}

type Key = (u64, KpiRequest);

pub struct DashboardScreen {
    /// Days of the preset, or `None` for the custom period.
    preset: Option<i64>,
    custom: Option<Period>,
    from_text: String,
    to_text: String,
    scope_kind: ScopeKind,
    scope_text: String,
    scope: Scope,
    input_error: Option<String>,
    job: Option<(Key, Job<Result<Dashboard, String>>)>,
    /// The running computation builds the stored KPI history first (after a large load).
    building_history: bool,
    cache: Vec<(Key, Dashboard)>,
    shown: Option<Key>,
    error: Option<String>,
    names_version: Option<u64>,
    suppliers: Vec<String>,
    categories: Vec<String>,
    projection_sku: String,
    projection_for: Option<(u64, String, Period)>,
    projection: Option<Projection>,
    projection_error: Option<String>,
    saved: Option<(String, bool)>,
    png_sender: Sender<Result<String, String>>,
    png_results: Receiver<Result<String, String>>,
    /// Charts the shop clicked into: the wheel pans them and dragging moves them. Others leave
    /// the wheel to the page (Ctrl + wheel still zooms).
    active_charts: Vec<Chart>,
    /// Charts whose view goes back to the data on the next frame.
    reset_charts: Vec<Chart>,
    /// What each chart showed last frame (x and y ranges), for the window tests.
    chart_bounds: Vec<(Chart, [f64; 4])>,
}

/// How a chart takes the mouse this frame.
#[derive(Debug, Clone, Copy)]
struct Nav {
    /// Clicked into: the wheel pans, dragging moves.
    active: bool,
    /// Back to the data's own bounds.
    reset: bool,
    style: DateStyle,
}

impl Nav {
    /// The chart's navigation and a legend of its named lines. The wheel alone scrolls the
    /// page unless the chart was clicked into; Ctrl + wheel zooms; double-click or Reset view
    /// brings the data back.
    fn apply(self, plot: Plot<'_>) -> Plot<'_> {
        let plot = plot
            .allow_scroll(self.active)
            .allow_drag(self.active)
            .allow_boxed_zoom(self.active)
            .allow_zoom(true)
            .allow_double_click_reset(true)
            .legend(
                Legend::default()
                    .position(Corner::LeftTop)
                    .background_alpha(0.85),
            );
        if self.reset { plot.reset() } else { plot }
    }
}

impl Default for DashboardScreen {
    fn default() -> Self {
        let (png_sender, png_results) = mpsc::channel();
        Self {
            preset: Some(DEFAULT_PERIOD_DAYS),
            custom: None,
            from_text: String::new(),
            to_text: String::new(),
            scope_kind: ScopeKind::All,
            scope_text: String::new(),
            scope: Scope::All,
            input_error: None,
            job: None,
            building_history: false,
            cache: Vec::new(),
            shown: None,
            error: None,
            names_version: None,
            suppliers: Vec::new(),
            categories: Vec::new(),
            projection_sku: String::new(),
            projection_for: None,
            projection: None,
            projection_error: None,
            saved: None,
            png_sender,
            png_results,
            active_charts: Vec::new(),
            reset_charts: Vec::new(),
            chart_bounds: Vec::new(),
        }
    }
}

impl DashboardScreen {
    /// The x and y ranges `chart` showed on the last frame (`[x min, x max, y min, y max]`).
    pub fn chart_bounds(&self, chart: Chart) -> Option<[f64; 4]> {
        self.chart_bounds
            .iter()
            .find(|(shown, _)| *shown == chart)
            .map(|(_, bounds)| *bounds)
    }

    /// True once the shop clicked into `chart` (its wheel then pans it).
    pub fn chart_is_active(&self, chart: Chart) -> bool {
        self.active_charts.contains(&chart)
    }

    fn nav(&self, chart: Chart, style: DateStyle) -> Nav {
        Nav {
            active: self.active_charts.contains(&chart),
            reset: self.reset_charts.contains(&chart),
            style,
        }
    }

    fn period(&self, today: NaiveDate) -> Period {
        match (self.preset, self.custom) {
            (Some(days), _) => Period::last_days(today, days),
            (None, Some(period)) => period,
            (None, None) => Period::last_days(today, DEFAULT_PERIOD_DAYS),
        }
    }

    /// The dashboard on screen, if computed.
    fn current(&self) -> Option<&Dashboard> {
        let key = self.shown.as_ref()?;
        self.cache
            .iter()
            .find(|(cached, _)| cached == key)
            .map(|(_, dashboard)| dashboard)
    }

    /// Starts (or reuses) the computation of `request`; the window keeps drawing meanwhile.
    fn refresh(&mut self, ctx: &egui::Context, store: &Store, version: u64, request: KpiRequest) {
        let key = (version, request);
        if let Some((running, job)) = &self.job
            && let Some(result) = job.poll()
        {
            let running = running.clone();
            self.job = None;
            match result.and_then(|inner| inner) {
                Ok(dashboard) => {
                    self.cache.retain(|(cached, _)| *cached != running);
                    self.cache.push((running.clone(), dashboard));
                    if self.cache.len() > CACHE_SIZE {
                        self.cache.remove(0);
                    }
                    self.error = None;
                    self.shown = Some(running);
                }
                Err(message) => self.error = Some(format!("Cannot compute the KPIs: {message}")),
            }
        }
        if self.cache.iter().any(|(cached, _)| *cached == key) {
            self.shown = Some(key);
            return;
        }
        if self
            .job
            .as_ref()
            .is_some_and(|(running, _)| *running == key)
        {
            return;
        }
        self.building_history = key.1.scope == Scope::All
            && store
                .kpi_rollup_stale_days(key.1.today)
                .is_ok_and(|days| days.is_none_or(|days| days > HISTORY_BUILD_DAYS));
        // The worker's connection is opened in the window's mode: a read-only window's
        // dashboard computes its rollups in memory and writes nothing.
        let opener = store.opener();
        let worker_request = key.1.clone();
        let wake = ctx.clone();
        match Job::spawn(
            "Compute KPIs",
            move |_| {
                let store = opener.open().map_err(|e| e.to_string())?;
                dashboard(&store, &worker_request).map_err(|e| e.to_string())
            },
            move || wake.request_repaint(),
        ) {
            Ok(job) => self.job = Some((key, job)),
            Err(error) => self.error = Some(format!("Cannot start the computation: {error}")),
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
        if self.names_version != Some(version) {
            self.suppliers = store.supplier_names().unwrap_or_default();
            self.categories = store.category_names().unwrap_or_default();
            self.names_version = Some(version);
        }
        while let Ok(result) = self.png_results.try_recv() {
            self.saved = Some(match result {
                Ok(text) => (text, false),
                Err(text) => (text, true),
            });
        }
        self.toolbar_ui(ui, today);
        let request = KpiRequest {
            period: self.period(today),
            scope: self.scope.clone(),
            today,
        };
        self.refresh(ui.ctx(), store, version, request.clone());
        if let Some(error) = &self.input_error {
            ui.colored_label(theme::ERROR, error);
        }
        if let Some(error) = &self.error {
            ui.colored_label(theme::ERROR, error);
        }
        if let Some((text, is_error)) = &self.saved {
            let color = if *is_error {
                theme::ERROR
            } else {
                theme::MUTED
            };
            ui.colored_label(color, text);
        }
        ui.separator();
        let Some(dashboard) = self.current().cloned() else {
            ui.add_space(20.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(self.progress_text());
            });
            return;
        };
        let stale =
            dashboard.request != request || self.shown.as_ref().is_some_and(|k| k.0 != version);
        if stale {
            let text = if self.building_history {
                self.progress_text()
            } else {
                "Updating…"
            };
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(text).color(theme::MUTED));
            });
        }
        self.update_projection(store, version, &dashboard);
        egui::ScrollArea::vertical()
            .id_salt("dashboard_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                cards_ui(ui, &dashboard);
                ui.add_space(8.0);
                self.charts_ui(ui, &dashboard, commands);
            });
    }

    fn progress_text(&self) -> &'static str {
        if self.building_history {
            "Building the KPI history once (a large shop takes a while; later updates are quick)…"
        } else {
            "Computing the KPIs…"
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn toolbar_ui(&mut self, ui: &mut Ui, today: NaiveDate) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Period");
            for days in PERIOD_PRESETS {
                if ui
                    .selectable_label(self.preset == Some(days), format!("Last {days} days"))
                    .clicked()
                {
                    self.preset = Some(days);
                    self.input_error = None;
                }
            }
            if ui
                .selectable_label(self.preset.is_none(), "Custom")
                .clicked()
                && self.preset.is_some()
            {
                let period = self.period(today);
                self.from_text = period.from.to_string();
                self.to_text = period.to.to_string();
                self.custom = Some(period);
                self.preset = None;
            }
            if self.preset.is_none() {
                let from = ui.label("From");
                let from_edit = ui
                    .add(egui::TextEdit::singleline(&mut self.from_text).desired_width(90.0))
                    .labelled_by(from.id);
                let to = ui.label("To");
                let to_edit = ui
                    .add(egui::TextEdit::singleline(&mut self.to_text).desired_width(90.0))
                    .labelled_by(to.id);
                let entered = (from_edit.lost_focus() || to_edit.lost_focus())
                    && ui.input(|input| input.key_pressed(egui::Key::Enter));
                if ui.button("Apply").clicked() || entered {
                    let parsed = parse_iso_date(&self.from_text).and_then(|from| {
                        parse_iso_date(&self.to_text).and_then(|to| Period::new(from, to))
                    });
                    match parsed {
                        Ok(period) => {
                            self.custom = Some(period);
                            self.input_error = None;
                        }
                        Err(message) => self.input_error = Some(message),
                    }
                }
            }
            ui.separator();
            let show_label = ui.label("Show");
            let before = self.scope_kind;
            egui::ComboBox::from_id_salt("kpi_scope_kind")
                .selected_text(self.scope_kind.label())
                .show_ui(ui, |ui| {
                    for kind in ScopeKind::ALL {
                        ui.selectable_value(&mut self.scope_kind, kind, kind.label());
                    }
                })
                .response
                .labelled_by(show_label.id)
                .on_hover_text("Narrow the KPIs to one SKU, supplier or category");
            if before != self.scope_kind {
                self.scope_text.clear();
                if self.scope_kind == ScopeKind::All {
                    self.scope = Scope::All;
                }
            }
            match self.scope_kind {
                ScopeKind::All => {}
                ScopeKind::Sku => {
                    let label = ui.label("SKU");
                    let edit = ui
                        .add(egui::TextEdit::singleline(&mut self.scope_text).desired_width(110.0))
                        .labelled_by(label.id);
                    let entered =
                        edit.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    if ui.button("Filter").clicked() || entered {
                        let sku = self.scope_text.trim().to_owned();
                        self.scope = if sku.is_empty() {
                            Scope::All
                        } else {
                            Scope::Sku(sku)
                        };
                    }
                }
                ScopeKind::Supplier | ScopeKind::Category => {
                    let names = if self.scope_kind == ScopeKind::Supplier {
                        &self.suppliers
                    } else {
                        &self.categories
                    };
                    let mut chosen = self.scope_text.clone();
                    let name_label = ui.label(if self.scope_kind == ScopeKind::Supplier {
                        "Supplier"
                    } else {
                        "Category"
                    });
                    egui::ComboBox::from_id_salt("kpi_scope_name")
                        .selected_text(if chosen.is_empty() {
                            "Choose…"
                        } else {
                            chosen.as_str()
                        })
                        .show_ui(ui, |ui| {
                            for name in names {
                                ui.selectable_value(&mut chosen, name.clone(), name);
                            }
                        })
                        .response
                        .labelled_by(name_label.id);
                    if chosen != self.scope_text {
                        self.scope_text.clone_from(&chosen);
                        self.scope = if self.scope_kind == ScopeKind::Supplier {
                            Scope::Supplier(chosen)
                        } else {
                            Scope::Category(chosen)
                        };
                    }
                }
            }
        });
    }

    fn update_projection(&mut self, store: &Store, version: u64, dashboard: &Dashboard) {
        if self.projection_sku.trim().is_empty() {
            let first = dashboard
                .most_stockouts
                .first()
                .or(dashboard.lowest_cover.first());
            if let Some(first) = first {
                self.projection_sku.clone_from(&first.product.sku);
            } else if let Scope::Sku(sku) = &dashboard.request.scope {
                self.projection_sku.clone_from(sku);
            }
        }
        let key = (
            version,
            self.projection_sku.trim().to_owned(),
            dashboard.request.period,
        );
        if self.projection_for.as_ref() == Some(&key) || key.1.is_empty() {
            return;
        }
        match projection(store, &key.1, &key.2, dashboard.request.today) {
            Ok(Some(found)) => {
                self.projection = Some(found);
                self.projection_error = None;
            }
            Ok(None) => {
                self.projection = None;
                self.projection_error = Some(format!("No product with SKU '{}'", key.1));
            }
            Err(error) => {
                self.projection = None;
                self.projection_error = Some(format!("Cannot project the stock: {error}"));
            }
        }
        self.projection_for = Some(key);
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn charts_ui(&mut self, ui: &mut Ui, dashboard: &Dashboard, commands: &mut Vec<AppCommand>) {
        let from = dashboard.request.period.from;
        let style = super::format::formats(ui.ctx()).dates;
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
    fn chart_frame(
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
        } else if let Some(path) = super::file_dialog::answer(&ctx, &csv_purpose) {
            self.save_csv(&ctx, chart, dashboard, Some(path));
        }
        if save_png {
            self.save_png(&ctx, chart, response.response.rect, None);
        } else if let Some(path) = super::file_dialog::answer(&ctx, &png_purpose) {
            self.save_png(&ctx, chart, response.response.rect, Some(path));
        }
    }

    fn save_csv(
        &mut self,
        ctx: &egui::Context,
        chart: Chart,
        dashboard: &Dashboard,
        chosen: Option<std::path::PathBuf>,
    ) {
        use super::file_dialog::{FileKind, FileRequest, choose};
        let chosen = chosen.or_else(|| {
            choose(
                ctx,
                FileRequest::save(
                    format!("chart-csv:{}", chart.file_stem()),
                    FileKind::Chart,
                    format!("Save numbers of '{}'", chart.title()),
                    format!("{}.csv", chart.file_stem()),
                )
                .filter("CSV", &["csv"]),
            )
        });
        let Some(path) = chosen else {
            return;
        };
        let (header, rows) = chart_table(chart, dashboard, self.projection.as_ref());
        self.saved = Some(
            match crate::io::charts::write_table(&path, &header, &rows) {
                Ok(()) => (
                    format!("Saved {} rows to {}", rows.len(), path.display()),
                    false,
                ),
                Err(error) => (format!("Cannot save {}: {error}", path.display()), true),
            },
        );
    }

    /// Asks for a file, then takes a screenshot of the next frame and writes the chart's part.
    fn save_png(
        &mut self,
        ctx: &egui::Context,
        chart: Chart,
        rect: egui::Rect,
        chosen: Option<std::path::PathBuf>,
    ) {
        use super::file_dialog::{FileKind, FileRequest, choose};
        let chosen = chosen.or_else(|| {
            choose(
                ctx,
                FileRequest::save(
                    format!("chart-png:{}", chart.file_stem()),
                    FileKind::Chart,
                    format!("Save chart '{}'", chart.title()),
                    format!("{}.png", chart.file_stem()),
                )
                .filter("PNG", &["png"]),
            )
        });
        let Some(path) = chosen else {
            return;
        };
        let sender = self.png_sender.clone();
        let pixels_per_point = ctx.pixels_per_point();
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            let _ = sender.send(write_chart_png(&path, &image, rect, pixels_per_point));
            wake.request_repaint();
        });
    }
}

/// Width a group's margin and stroke add around its content.
const GROUP_EXTRA: f32 = 14.0;
const CARD_WIDTH: f32 = 200.0;

/// A framed panel of `width` with its content top to bottom.
fn panel<R>(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui) -> R) -> egui::InnerResponse<R> {
    ui.group(|ui| {
        ui.set_width(width);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
}

/// Crops `rect` (points) out of a screenshot and writes it as PNG.
fn write_chart_png(
    path: &Path,
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
) -> Result<String, String> {
    let bounds = egui::Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::vec2(
            image.width() as f32 / pixels_per_point,
            image.height() as f32 / pixels_per_point,
        ),
    );
    let rect = rect.intersect(bounds);
    if !rect.is_positive() {
        return Err("The chart is not on screen; scroll it into view and save again".to_owned());
    }
    let part = image.region(&rect, Some(pixels_per_point));
    let bytes: Vec<u8> = part
        .pixels
        .iter()
        .flat_map(egui::Color32::to_srgba_unmultiplied)
        .collect();
    crate::io::charts::write_png(path, part.width() as u32, part.height() as u32, &bytes)
        .map(|()| format!("Saved chart to {}", path.display()))
        .map_err(|error| format!("Cannot save {}: {error}", path.display()))
}

/// "12.34%"-style value, or "—" when undefined.
fn show(value: Option<f64>, unit: &str, decimals: usize) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.decimals$}{unit}"))
}

#[expect(
    clippy::too_many_lines,
    reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
)]
fn cards_ui(ui: &mut Ui, dashboard: &Dashboard) {
    let now = &dashboard.current;
    let before = &dashboard.previous;
    let days = dashboard.request.period.days();
    let rate_color = now
        .backorder_rate_pct
        .map(|rate| match backorder_band(rate) {
            Band::Good => theme::OK,
            Band::Warning => theme::WARNING,
            Band::Bad => theme::ERROR,
        });
    let delta = |f: fn(&Figures) -> Option<f64>, unit: &str| {
        change(f(now), f(before)).map_or_else(
            || format!("no previous {days} days to compare"),
            |d| format!("{d:+.2}{unit} vs previous {days} days"),
        )
    };
    let late_color = (dashboard.late_inbound_lines > 0).then_some(theme::WARNING);
    let cards: Vec<(&str, String, Option<Color32>, String)> = vec![
        (
            "Orders",
            now.totals.orders.to_string(),
            None,
            format!(
                "{:+} vs previous {days} days",
                now.totals.orders - before.totals.orders
            ),
        ),
        (
            "Backorder rate",
            show(now.backorder_rate_pct, "%", 1),
            rate_color,
            format!(
                "target below {BACKORDER_TARGET_PCT:.0}%; {}",
                delta(|f| f.backorder_rate_pct, " pts")
            ),
        ),
        (
            "Fill rate (units)",
            show(now.fill_rate_pct, "%", 1),
            None,
            delta(|f| f.fill_rate_pct, " pts"),
        ),
        (
            "Order fill rate",
            show(now.order_fill_rate_pct, "%", 1),
            None,
            delta(|f| f.order_fill_rate_pct, " pts"),
        ),
        (
            "Perfect orders",
            show(now.perfect_order_pct, "%", 1),
            None,
            format!(
                "{} of {} closed; {}",
                now.perfect_orders,
                now.closed_orders,
                delta(|f| f.perfect_order_pct, " pts")
            ),
        ),
        (
            "Promises kept",
            show(now.promise_kept_pct, "%", 1),
            promise_color(now.promise_kept_pct, dashboard.promise_target_pct),
            format!(
                "{} of {} lines by their first window's end; target {:.0}%; {}",
                now.promises.kept,
                now.promises.lines,
                dashboard.promise_target_pct,
                delta(|f| f.promise_kept_pct, " pts")
            ),
        ),
        (
            "Shipped inside the window",
            show(now.promise_inside_pct, "%", 1),
            None,
            format!(
                "{} of {} lines inside their first window; {}",
                now.promises.inside,
                now.promises.lines,
                delta(|f| f.promise_inside_pct, " pts")
            ),
        ),
        (
            "Average backorder wait",
            show(now.avg_backorder_wait_days, " days", 1),
            None,
            format!(
                "{} lines shipped; {}",
                now.waited_lines,
                delta(|f| f.avg_backorder_wait_days, " days")
            ),
        ),
        (
            "Stockout frequency",
            show(now.stockout_frequency_pct, "%", 2),
            None,
            format!(
                "{} of {} SKU-days; {}",
                now.stockout_sku_days,
                now.sku_days,
                delta(|f| f.stockout_frequency_pct, " pts")
            ),
        ),
        (
            "Inventory turnover",
            show(now.inventory_turnover, "", 2),
            None,
            delta(|f| f.inventory_turnover, ""),
        ),
        (
            "Late inbound lines",
            dashboard.late_inbound_lines.to_string(),
            late_color,
            "open PO lines past their expected date".to_owned(),
        ),
        cancellation_card(dashboard),
    ];
    let per_row = ((ui.available_width() + 8.0) / (CARD_WIDTH + GROUP_EXTRA + 8.0))
        .floor()
        .max(1.0) as usize;
    for row in cards.chunks(per_row) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 8.0;
            for (title, value, color, note) in row {
                card_ui(ui, title, value.clone(), *color, note);
            }
        });
        ui.add_space(4.0);
    }
}

/// Promises kept: green at or above the target, amber within 10 points below, red further.
fn promise_color(kept_pct: Option<f64>, target_pct: f64) -> Option<Color32> {
    kept_pct.map(|kept| {
        if kept >= target_pct {
            theme::OK
        } else if kept >= target_pct - 10.0 {
            theme::WARNING
        } else {
            theme::ERROR
        }
    })
}

/// Kept and inside per week, with the target.
fn promises_plot(
    ui: &mut Ui,
    dashboard: &Dashboard,
    from: NaiveDate,
    nav: Nav,
) -> PlotResponse<()> {
    let offset = |day: NaiveDate| (day - from).num_days() as f64;
    let kept: Vec<[f64; 2]> = dashboard
        .promise_weeks
        .iter()
        .filter_map(|w| w.kept_pct.map(|v| [offset(w.start), v]))
        .collect();
    let inside: Vec<[f64; 2]> = dashboard
        .promise_weeks
        .iter()
        .filter_map(|w| w.inside_pct.map(|v| [offset(w.start), v]))
        .collect();
    let target = dashboard.promise_target_pct;
    let plot = day_axis(Plot::new("kpi_promises"), from, nav.style)
        .height(CHART_HEIGHT)
        .include_y(0.0)
        .include_y(100.0)
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value));
    nav.apply(plot).show(ui, |plot| {
        plot.line(Line::new("Kept %", kept).color(theme::OK));
        plot.line(Line::new("Inside the window %", inside).color(theme::INFO));
        plot.hline(HLine::new(format!("Target {target:.0}%"), target).color(theme::WARNING));
    })
}

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

fn promise_supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
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

/// Backordered lines cancelled vs in-stock lines cancelled, for the period's orders.
fn cancellation_card(dashboard: &Dashboard) -> (&'static str, String, Option<Color32>, String) {
    let counts = &dashboard.cancellations;
    let backordered = counts.backorder_cancellation_pct();
    let in_stock = counts.in_stock_cancellation_pct();
    // Backorders cancelled clearly more often than in-stock lines: customers give up waiting.
    let color = counts.customers_give_up().then_some(theme::WARNING);
    (
        "Backorder cancellations",
        show(backordered, "%", 1),
        color,
        format!(
            "{} of {} backordered lines; in-stock lines {}",
            counts.backordered_cancelled,
            counts.backordered_lines,
            show(in_stock, "%", 1)
        ),
    )
}

fn card_ui(ui: &mut Ui, title: &str, value: String, color: Option<Color32>, note: &str) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.set_min_height(72.0);
        ui.vertical(|ui| {
            ui.label(RichText::new(title).color(theme::MUTED));
            let mut text = RichText::new(value).size(22.0).strong();
            if let Some(color) = color {
                text = text.color(color);
            }
            ui.label(text);
            // Notes at the body size, wrapped in the card.
            ui.add(egui::Label::new(RichText::new(note).color(theme::MUTED)).wrap());
        });
    });
}

/// X axis of day offsets from `from`, labelled with dates in the shop's style.
fn day_axis(plot: Plot<'_>, from: NaiveDate, style: DateStyle) -> Plot<'_> {
    // Marks every day, week and four weeks (wider spans: weeks, four weeks, quarters).
    plot.x_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
        if input.bounds.1 - input.bounds.0 > 120.0 {
            [7.0, 28.0, 91.0]
        } else {
            [1.0, 7.0, 28.0]
        }
    }))
    .x_axis_formatter(move |mark, _| {
        format_day(from + Duration::days(mark.value.round() as i64), style)
    })
    .label_formatter(move |position| {
        let (name, point) = match position {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => (*plot_name, *position),
            egui_plot::HoverPosition::Elsewhere { .. } => return None,
        };
        let day = from + Duration::days(point.x.round() as i64);
        Some(format!(
            "{name}\n{}: {:.1}",
            format_date(day, style),
            point.y
        ))
    })
}

fn rates_plot(ui: &mut Ui, dashboard: &Dashboard, from: NaiveDate, nav: Nav) -> PlotResponse<()> {
    let offset = |day: NaiveDate| (day - from).num_days() as f64;
    let backorder: Vec<[f64; 2]> = dashboard
        .weeks
        .iter()
        .filter_map(|w| w.backorder_rate_pct.map(|v| [offset(w.start), v]))
        .collect();
    let fill: Vec<[f64; 2]> = dashboard
        .weeks
        .iter()
        .filter_map(|w| w.fill_rate_pct.map(|v| [offset(w.start), v]))
        .collect();
    let plot = day_axis(Plot::new("kpi_rates"), from, nav.style)
        .height(CHART_HEIGHT)
        .include_y(0.0)
        .include_y(100.0)
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value));
    nav.apply(plot).show(ui, |plot| {
        plot.line(Line::new("Backorder rate %", backorder).color(theme::ERROR));
        plot.line(Line::new("Fill rate %", fill).color(theme::INFO));
        plot.hline(
            HLine::new(
                format!("Target below {BACKORDER_TARGET_PCT:.0}%"),
                BACKORDER_TARGET_PCT,
            )
            .color(theme::OK),
        );
    })
}

fn open_backorders_plot(
    ui: &mut Ui,
    dashboard: &Dashboard,
    from: NaiveDate,
    nav: Nav,
) -> PlotResponse<()> {
    let points: Vec<[f64; 2]> = dashboard
        .open_backorders_per_day
        .iter()
        .map(|(day, count)| [(*day - from).num_days() as f64, *count as f64])
        .collect();
    let plot = day_axis(Plot::new("kpi_open_backorders"), from, nav.style)
        .height(CHART_HEIGHT)
        .include_y(0.0);
    nav.apply(plot).show(ui, |plot| {
        plot.line(Line::new("Backordered lines waiting", points).color(theme::WARNING));
    })
}

/// One box per supplier, lying down so the suppliers' full names fit on the left.
fn lead_time_plot(ui: &mut Ui, dashboard: &Dashboard, nav: Nav) -> PlotResponse<()> {
    let names: Vec<String> = dashboard
        .suppliers
        .iter()
        .map(|s| {
            if s.supplier.is_empty() {
                "(no supplier)".to_owned()
            } else {
                s.supplier.clone()
            }
        })
        .collect();
    // The name column is as wide as the longest name, up to 40% of the chart.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let widest = names
        .iter()
        .map(|name| {
            ui.painter()
                .layout_no_wrap(name.clone(), font.clone(), Color32::BLACK)
                .size()
                .x
        })
        .fold(0.0_f32, f32::max);
    let name_width = (widest + 12.0).min(ui.available_width() * 0.4);
    let boxes: Vec<BoxElem> = dashboard
        .suppliers
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(index, (s, name))| {
            let [min, q1, median, q3, max] = s.stats.spread;
            BoxElem::new(index as f64, BoxSpread::new(min, q1, median, q3, max))
                .name(name)
                .box_width(0.5)
        })
        .collect();
    let count = names.len();
    let plot = Plot::new("kpi_lead_times")
        .height(CHART_HEIGHT)
        .include_x(0.0)
        .include_y(-0.5)
        .include_y(count as f64 - 0.5)
        .y_axis_min_width(name_width)
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .y_axis_formatter(move |mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 0.01 || index < 0.0 {
                return String::new();
            }
            names.get(index as usize).cloned().unwrap_or_default()
        })
        .x_axis_formatter(|mark, _| format!("{:.0} d", mark.value));
    nav.apply(plot).show(ui, |plot| {
        plot.box_plot(
            BoxPlot::new("Lead time (days): min, quartiles, max", boxes)
                .horizontal()
                .color(theme::INFO),
        );
    })
}

fn pareto_plot(ui: &mut Ui, dashboard: &Dashboard, nav: Nav) -> PlotResponse<()> {
    let abc = &dashboard.abc;
    let total: i64 = abc.revenue_cents.iter().sum();
    let share = |cents: i64| {
        if total > 0 {
            cents as f64 * 100.0 / total as f64
        } else {
            0.0
        }
    };
    ui.label(
        RichText::new(format!(
            "A: {} products ({:.0}% of revenue) · B: {} ({:.0}%) · C: {} ({:.0}%)",
            abc.products[0],
            share(abc.revenue_cents[0]),
            abc.products[1],
            share(abc.revenue_cents[1]),
            abc.products[2],
            share(abc.revenue_cents[2]),
        ))
        .color(theme::MUTED),
    );
    let points: Vec<[f64; 2]> = abc.pareto.iter().map(|(x, y)| [*x, *y]).collect();
    let plot = Plot::new("kpi_pareto")
        .height(CHART_HEIGHT - 18.0)
        .include_y(0.0)
        .include_y(100.0)
        .include_x(0.0)
        .include_x(100.0)
        .x_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
        .label_formatter(|position| match position {
            egui_plot::HoverPosition::NearDataPoint { position, .. } => Some(format!(
                "top {:.1}% of products: {:.1}% of revenue",
                position.x, position.y
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        });
    nav.apply(plot).show(ui, |plot| {
        plot.line(Line::new("Cumulative revenue", points).color(theme::INFO));
        let (a, ab) = (A_SHARE_PCT, AB_SHARE_PCT);
        plot.hline(HLine::new(format!("A/B boundary {a}%"), a as f64).color(theme::OK));
        plot.hline(HLine::new(format!("B/C boundary {ab}%"), ab as f64).color(theme::WARNING));
    })
}

fn projection_plot(
    ui: &mut Ui,
    projection: Option<&Projection>,
    nav: Nav,
) -> Option<PlotResponse<()>> {
    let Some(p) = projection else {
        ui.label(RichText::new("Choose a SKU below").color(theme::MUTED));
        ui.add_space(CHART_HEIGHT - 20.0);
        return None;
    };
    ui.label(RichText::new(format!("{} – {}", p.sku, p.name)).color(theme::MUTED));
    let points: Vec<[f64; 2]> = p
        .points
        .iter()
        .enumerate()
        .map(|(offset, units)| [offset as f64, *units])
        .collect();
    let stockout = p.stockout.map(|day| (day - p.today).num_days() as f64);
    let plot = day_axis(Plot::new("kpi_projection"), p.today, nav.style)
        .height(CHART_HEIGHT - 20.0)
        .include_y(0.0)
        .include_y(p.reorder_point);
    Some(nav.apply(plot).show(ui, |plot| {
        plot.line(Line::new("Projected units", points).color(theme::INFO));
        plot.hline(HLine::new("Reorder point", p.reorder_point).color(theme::WARNING));
        plot.hline(HLine::new("Zero", 0.0).color(theme::MUTED));
        if let Some(x) = stockout {
            plot.vline(VLine::new("Projected stockout", x).color(theme::ERROR));
        }
    }))
}

fn ages_plot(ui: &mut Ui, dashboard: &Dashboard) {
    let bars: Vec<Bar> = dashboard
        .open_backorder_ages
        .iter()
        .enumerate()
        .map(|(index, count)| {
            Bar::new(index as f64, *count as f64)
                .name(AGE_BUCKET_LABELS[index])
                .width(0.7)
        })
        .collect();
    Plot::new("kpi_ages")
        .height(CHART_HEIGHT - 4.0)
        .include_y(0.0)
        // A fixed view: the wheel scrolls the page, Ctrl + wheel zooms, double-click resets.
        .allow_scroll(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .legend(Legend::default().position(Corner::RightTop))
        .x_axis_formatter(|mark, _| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 0.01 || index < 0.0 {
                return String::new();
            }
            AGE_BUCKET_LABELS
                .get(index as usize)
                .map(|label| (*label).to_owned())
                .unwrap_or_default()
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Lines waiting", bars).color(theme::WARNING));
        });
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

fn sku_list_ui(
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
        .num_columns(5)
        .show(ui, |ui| {
            sort.header_ui(ui, "SKU", SkuColumn::Sku, false);
            sort.header_ui(ui, "Name", SkuColumn::Name, false);
            sort.header_sized_ui(
                ui,
                NUMBER_WIDTH + 12.0,
                if stockouts {
                    "Stockout days"
                } else {
                    "Days of cover"
                },
                SkuColumn::Figure,
            );
            sort.header_sized_ui(ui, NUMBER_WIDTH, "Available", SkuColumn::Available);
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
                number_sized(ui, NUMBER_WIDTH + 12.0, figure);
                number_sized(ui, NUMBER_WIDTH, row.product.available.to_string());
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

fn supplier_table_ui(ui: &mut Ui, dashboard: &Dashboard) {
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
