//! The KPI cards, each with the change against the previous period.

use super::show;
use crate::app::kpi::{Dashboard, Figures};
use crate::domain::kpi::{BACKORDER_TARGET_PCT, Band, backorder_band, change};
use crate::ui::shared::theme;
use egui::{Color32, RichText, Ui};

/// Width a group's margin and stroke add around its content.
pub(super) const GROUP_EXTRA: f32 = 14.0;

pub(super) const CARD_WIDTH: f32 = 200.0;

/// A framed panel of `width` with its content top to bottom.
pub(super) fn panel<R>(
    ui: &mut Ui,
    width: f32,
    add: impl FnOnce(&mut Ui) -> R,
) -> egui::InnerResponse<R> {
    ui.group(|ui| {
        ui.set_width(width);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
}

#[expect(
    clippy::too_many_lines,
    reason = "the row of KPI cards drawn in egui's immediate mode, each card's value, colour and change beside the others"
)]
pub(super) fn cards_ui(ui: &mut Ui, dashboard: &Dashboard) {
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
pub(super) fn promise_color(kept_pct: Option<f64>, target_pct: f64) -> Option<Color32> {
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

/// Backordered lines cancelled vs in-stock lines cancelled, for the period's orders.
pub(super) fn cancellation_card(
    dashboard: &Dashboard,
) -> (&'static str, String, Option<Color32>, String) {
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

pub(super) fn card_ui(ui: &mut Ui, title: &str, value: String, color: Option<Color32>, note: &str) {
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
