//! Colours and spacing in one place.

use egui::{Color32, CornerRadius, Margin, RichText, Ui};

use crate::domain::StockStatus;

/// Text for errors.
pub const ERROR: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
/// Text for success.
pub const OK: Color32 = Color32::from_rgb(0x2E, 0x7D, 0x32);
/// Text for things that need attention soon.
pub const WARNING: Color32 = Color32::from_rgb(0xA3, 0x4A, 0x00);
/// Background of a notice that needs attention.
pub const WARNING_FILL: Color32 = Color32::from_rgb(0xFF, 0xF4, 0xE0);
/// Text for neutral information (preorders).
pub const INFO: Color32 = Color32::from_rgb(0x1A, 0x3E, 0x8C);
/// Muted secondary text.
pub const MUTED: Color32 = Color32::from_rgb(0x75, 0x75, 0x75);

pub const ROW_HEIGHT: f32 = 24.0;

/// Fill and text colour of a status badge.
pub fn badge_colors(status: StockStatus) -> (Color32, Color32) {
    match status {
        StockStatus::InStock => (
            Color32::from_rgb(0xDC, 0xF2, 0xDD),
            Color32::from_rgb(0x1B, 0x5E, 0x20),
        ),
        StockStatus::LowStock => (
            Color32::from_rgb(0xFF, 0xF1, 0xC2),
            Color32::from_rgb(0x7A, 0x4F, 0x01),
        ),
        StockStatus::Backordered => (
            Color32::from_rgb(0xFF, 0xDF, 0xC8),
            Color32::from_rgb(0xA3, 0x3B, 0x00),
        ),
        StockStatus::Preorder => (
            Color32::from_rgb(0xDD, 0xE7, 0xFF),
            Color32::from_rgb(0x1A, 0x3E, 0x8C),
        ),
        StockStatus::OutOfStock => (
            Color32::from_rgb(0xF8, 0xD7, 0xDA),
            Color32::from_rgb(0x8E, 0x1B, 0x24),
        ),
        // Neutral grey: nothing to watch, the shop does not count this stock.
        StockStatus::NotTracked => (
            Color32::from_rgb(0xE6, 0xE8, 0xEB),
            Color32::from_rgb(0x3C, 0x44, 0x4D),
        ),
    }
}

/// A small coloured pill with the status text.
pub fn badge_ui(ui: &mut Ui, status: StockStatus) -> egui::Response {
    badge_text_ui(ui, status, status.label())
}

/// A pill in the status's colours with any text ("Backordered – ships Mar 3–7").
pub fn badge_text_ui(ui: &mut Ui, status: StockStatus, label: &str) -> egui::Response {
    let (fill, text) = badge_colors(status);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(7, 1))
        .show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(label).color(text).size(11.5)).selectable(false))
        })
        .inner
}

/// DejaVu Sans, bundled: symbols, Greek, Cyrillic and more on machines with no fonts installed.
pub const FALLBACK_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Light visuals with slightly roomier spacing: a shop tool, read for hours.
pub fn apply(ctx: &egui::Context) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "DejaVu Sans",
        egui::FontData::from_static(FALLBACK_FONT),
        vec![
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
        ],
    ));
    ctx.set_visuals(egui::Visuals::light());
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
    });
}
