//! Help: the keyboard shortcuts sheet (F1) and About (version, shop file, data folder).

use std::path::PathBuf;

use egui::{Id, Key, Modal, RichText, Ui};

use crate::ui::shared::actions;
use crate::ui::shared::actions::Action;
use crate::ui::shared::theme;

/// The help dialog that is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpDialog {
    Shortcuts,
    About {
        shop_file: Option<PathBuf>,
        data_folder: Option<PathBuf>,
        backups: Option<PathBuf>,
    },
}

/// Keys that work in lists and dialogs (not menu actions).
const LIST_KEYS: [(&str, &str); 7] = [
    ("↑ / ↓", "Move the selection in a list"),
    (
        "Enter",
        "Open the selected row (show its details; again: edit a product)",
    ),
    ("Esc", "Close the details panel, or the dialog"),
    (
        "Enter (in a dialog)",
        "Save, add the line, or place the order",
    ),
    (
        "Click a column header",
        "Sort by it; again: the other way round",
    ),
    (
        "Ctrl + wheel on a chart",
        "Zoom the chart (click into it first to pan with the wheel)",
    ),
    ("Double-click a chart", "Reset the chart's view"),
];

impl HelpDialog {
    /// Draws the dialog; returns false when it was closed.
    pub fn ui(&self, ctx: &egui::Context) -> bool {
        let mut open = true;
        Modal::new(Id::unique("help_dialog")).show(ctx, |ui| {
            match self {
                Self::Shortcuts => shortcuts_ui(ui),
                Self::About {
                    shop_file,
                    data_folder,
                    backups,
                } => about_ui(
                    ui,
                    shop_file.as_ref(),
                    data_folder.as_ref(),
                    backups.as_ref(),
                ),
            }
            ui.add_space(8.0);
            if ui.button("Close").clicked()
                || ui.input(|input| input.key_pressed(Key::Escape) || input.key_pressed(Key::Enter))
            {
                open = false;
            }
        });
        open
    }
}

fn shortcuts_ui(ui: &mut Ui) {
    ui.set_width(560.0);
    ui.heading("Keyboard shortcuts");
    let max_height = (ui.ctx().content_rect().height() - 160.0).max(200.0);
    egui::ScrollArea::vertical()
        .max_height(max_height)
        .show(ui, |ui| {
            egui::Grid::new("shortcuts_grid")
                .num_columns(2)
                .striped(true)
                .spacing([24.0, 4.0])
                .show(ui, |ui| {
                    for action in Action::ALL {
                        let Some(shortcut) = action.shortcut() else {
                            continue;
                        };
                        ui.label(
                            RichText::new(actions::shortcut_text(ui.ctx(), &shortcut)).strong(),
                        );
                        ui.label(action.label().trim_end_matches('…'));
                        ui.end_row();
                    }
                    for (keys, what) in LIST_KEYS {
                        ui.label(RichText::new(keys).strong());
                        ui.label(what);
                        ui.end_row();
                    }
                });
        });
}

fn about_ui(
    ui: &mut Ui,
    shop_file: Option<&PathBuf>,
    data_folder: Option<&PathBuf>,
    backups: Option<&PathBuf>,
) {
    ui.set_width(560.0);
    ui.heading("About Backorder Desk");
    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
    ui.label(RichText::new(env!("CARGO_PKG_DESCRIPTION")).color(theme::MUTED));
    ui.add_space(6.0);
    let shown = |path: Option<&PathBuf>| {
        path.map_or_else(|| "none".to_owned(), |path| path.display().to_string())
    };
    egui::Grid::new("about_grid")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (label, path) in [
                ("Shop file", shown(shop_file)),
                ("Backups", shown(backups)),
                ("Data folder", shown(data_folder)),
            ] {
                ui.label(RichText::new(label).color(theme::MUTED));
                ui.add(egui::Label::new(path).wrap());
                ui.end_row();
            }
        });
    ui.label(
        RichText::new(format!("Licence: {}", env!("CARGO_PKG_LICENSE")))
            .small()
            .color(theme::MUTED),
    );
}
