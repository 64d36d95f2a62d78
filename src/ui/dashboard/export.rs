//! Saving a chart: its numbers as CSV, or its pixels as PNG.

use super::DashboardScreen;
use crate::app::kpi::{Chart, Dashboard, chart_table};
use crate::ui::shared::file_dialog;
use std::path::Path;

/// Crops `rect` (points) out of a screenshot and writes it as PNG.
pub(super) fn write_chart_png(
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

impl DashboardScreen {
    pub(super) fn save_csv(
        &mut self,
        ctx: &egui::Context,
        chart: Chart,
        dashboard: &Dashboard,
        chosen: Option<std::path::PathBuf>,
    ) {
        use file_dialog::{FileKind, FileRequest, choose};
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
    pub(super) fn save_png(
        &mut self,
        ctx: &egui::Context,
        chart: Chart,
        rect: egui::Rect,
        chosen: Option<std::path::PathBuf>,
    ) {
        use file_dialog::{FileKind, FileRequest, choose};
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
