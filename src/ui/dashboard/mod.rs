//! The Dashboard tab: KPI cards with the change against the previous period, and charts.
//!
//! The dashboard is computed on a worker thread with its own connection; results are kept per
//! data version and request, so going back to a period is instant and the window never waits.

mod cards;
mod charts;
mod export;
mod plots;
mod tables;
mod toolbar;

use std::sync::mpsc::{self, Receiver, Sender};

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_plot::{Corner, Legend, Plot};

use crate::app::jobs::Job;
use crate::app::kpi::{Chart, Dashboard, KpiRequest, Projection, dashboard, projection};
use crate::domain::kpi::{DEFAULT_PERIOD_DAYS, Period, Scope};
use crate::domain::promise::DateStyle;
use crate::store::Store;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;

use cards::cards_ui;

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
}

/// "12.34%"-style value, or "—" when undefined.
fn show(value: Option<f64>, unit: &str, decimals: usize) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.decimals$}{unit}"))
}
