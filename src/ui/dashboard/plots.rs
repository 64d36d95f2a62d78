//! The six plots: fill and backorder rates, open backorders, lead times, Pareto (ABC),
//! the stock projection, the ages of waiting lines, and promises kept.

use super::{CHART_HEIGHT, Nav};
use crate::app::kpi::{Dashboard, Projection};
use crate::domain::abc::{A_SHARE_PCT, AB_SHARE_PCT};
use crate::domain::kpi::{AGE_BUCKET_LABELS, BACKORDER_TARGET_PCT};
use crate::domain::promise::{DateStyle, format_date, format_day};
use crate::ui::shared::theme;
use chrono::{Duration, NaiveDate};
use egui::{Color32, RichText, Ui};
use egui_plot::{
    Bar, BarChart, BoxElem, BoxPlot, BoxSpread, Corner, HLine, Legend, Line, Plot, PlotResponse,
    VLine,
};

/// Kept and inside per week, with the target.
pub(super) fn promises_plot(
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

/// X axis of day offsets from `from`, labelled with dates in the shop's style.
pub(super) fn day_axis(plot: Plot<'_>, from: NaiveDate, style: DateStyle) -> Plot<'_> {
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

pub(super) fn rates_plot(
    ui: &mut Ui,
    dashboard: &Dashboard,
    from: NaiveDate,
    nav: Nav,
) -> PlotResponse<()> {
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

pub(super) fn open_backorders_plot(
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
pub(super) fn lead_time_plot(ui: &mut Ui, dashboard: &Dashboard, nav: Nav) -> PlotResponse<()> {
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

pub(super) fn pareto_plot(ui: &mut Ui, dashboard: &Dashboard, nav: Nav) -> PlotResponse<()> {
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

pub(super) fn projection_plot(
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

pub(super) fn ages_plot(ui: &mut Ui, dashboard: &Dashboard) {
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
