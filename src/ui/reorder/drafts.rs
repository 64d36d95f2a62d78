//! The draft purchase orders dialog: one editable draft per supplier before they are
//! created.

use egui::{Align, Id, Key, Layout, Modal, RichText, TextEdit, Ui};

use crate::app::clock::parse_iso_date;
use crate::app::safety::{DraftLine, DraftPo};
use crate::ui::shared::command::{AppCommand, ReorderCommand};
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::ReorderScreen;

/// One draft PO in the confirmation dialog, every field editable.
pub(super) struct DraftForm {
    pub(super) supplier: String,
    pub(super) expected: String,
    /// SKU, name, quantity text, unit cost.
    pub(super) lines: Vec<(String, String, String, i64)>,
}

pub(super) struct DraftDialog {
    pub(super) pos: Vec<DraftForm>,
    pub(super) without_supplier: Vec<String>,
    pub(super) error: Option<String>,
    /// More than one purchase order, asked about before they are created.
    pub(super) asking: Option<Vec<DraftPo>>,
}

impl DraftDialog {
    pub(super) fn parse(&self) -> Result<Vec<DraftPo>, String> {
        let mut out = Vec::new();
        for po in &self.pos {
            let expected_at = match po.expected.trim() {
                "" => None,
                text => Some(parse_iso_date(text).map_err(|e| format!("{}: {e}", po.supplier))?),
            };
            let mut lines = Vec::new();
            for (sku, name, quantity, cost) in &po.lines {
                let units = match quantity.trim() {
                    "" => 0,
                    text => text.parse::<i64>().map_err(|_| {
                        format!("{sku}: '{text}' is not a whole number (0 leaves the line out)")
                    })?,
                };
                if units < 0 {
                    return Err(format!("{sku}: quantity must not be negative"));
                }
                if units > 0 {
                    lines.push(DraftLine {
                        sku: sku.clone(),
                        name: name.clone(),
                        quantity: units,
                        unit_cost_cents: *cost,
                    });
                }
            }
            if !lines.is_empty() {
                out.push(DraftPo {
                    supplier: po.supplier.clone(),
                    expected_at,
                    lines,
                });
            }
        }
        if out.is_empty() {
            return Err("Every quantity is 0: nothing to order".into());
        }
        Ok(out)
    }
}

/// One row of the draft PO dialog; rows are drawn only when scrolled into view, so thousands of
/// lines stay smooth.
#[derive(Clone, Copy)]
pub(super) enum DraftRow {
    Supplier(usize),
    Columns,
    Line(usize, usize),
    Total(usize),
}

/// Column widths of the draft PO lines.
pub(super) const DRAFT_WIDTHS: [f32; 5] = [120.0, 230.0, 80.0, 80.0, 90.0];

/// A cell of fixed width, contents left to right.
pub(super) fn draft_cell<R>(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    ui.allocate_ui_with_layout(
        egui::vec2(width, theme::ROW_HEIGHT),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui)
        },
    )
    .inner
}

pub(super) fn draft_rows_ui(ui: &mut Ui, pos: &mut [DraftForm]) {
    let formats = format::formats(ui.ctx());
    let mut rows = Vec::new();
    for (po_index, po) in pos.iter().enumerate() {
        rows.push(DraftRow::Supplier(po_index));
        rows.push(DraftRow::Columns);
        rows.extend((0..po.lines.len()).map(|line| DraftRow::Line(po_index, line)));
        rows.push(DraftRow::Total(po_index));
    }
    let totals: Vec<i64> = pos
        .iter()
        .map(|po| {
            po.lines
                .iter()
                .map(|(_, _, quantity, cost)| {
                    quantity
                        .trim()
                        .parse::<i64>()
                        .unwrap_or(0)
                        .max(0)
                        .saturating_mul(*cost)
                })
                .sum()
        })
        .collect();
    let row_height = theme::ROW_HEIGHT;
    egui::ScrollArea::vertical()
        .id_salt("draft_po_rows")
        .max_height(420.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                ui.horizontal(|ui| {
                    ui.set_height(row_height);
                    match *row {
                        DraftRow::Supplier(po_index) => {
                            let po = &mut pos[po_index];
                            ui.label(RichText::new(&po.supplier).strong());
                            let label = ui.label(format!("Expected arrival ({})", po.supplier));
                            ui.add(
                                TextEdit::singleline(&mut po.expected)
                                    .hint_text("YYYY-MM-DD")
                                    .desired_width(100.0),
                            )
                            .labelled_by(label.id);
                            ui.label(
                                RichText::new(format!("{} line(s)", po.lines.len()))
                                    .color(theme::MUTED),
                            );
                        }
                        DraftRow::Columns => {
                            for (title, width) in ["SKU", "Item", "Quantity", "Unit cost", "Line"]
                                .iter()
                                .zip(DRAFT_WIDTHS)
                            {
                                draft_cell(ui, width, |ui| {
                                    ui.label(RichText::new(*title).strong());
                                });
                            }
                        }
                        DraftRow::Line(po_index, line_index) => {
                            let (sku, name, quantity, cost) = &mut pos[po_index].lines[line_index];
                            let sku_label = draft_cell(ui, DRAFT_WIDTHS[0], |ui| {
                                ui.add(egui::Label::new(sku.as_str()).truncate())
                            });
                            draft_cell(ui, DRAFT_WIDTHS[1], |ui| {
                                ui.add(egui::Label::new(name.as_str()).truncate());
                            });
                            draft_cell(ui, DRAFT_WIDTHS[2], |ui| {
                                ui.add(TextEdit::singleline(quantity).desired_width(64.0))
                                    .labelled_by(sku_label.id);
                            });
                            let units = quantity.trim().parse::<i64>().unwrap_or(0).max(0);
                            draft_cell(ui, DRAFT_WIDTHS[3], |ui| {
                                ui.label(formats.money(*cost));
                            });
                            draft_cell(ui, DRAFT_WIDTHS[4], |ui| {
                                ui.label(formats.money(units.saturating_mul(*cost)));
                            });
                        }
                        DraftRow::Total(po_index) => {
                            let before: f32 = DRAFT_WIDTHS[..3].iter().sum();
                            ui.add_space(before + 2.0 * ui.spacing().item_spacing.x);
                            draft_cell(ui, DRAFT_WIDTHS[3], |ui| {
                                ui.label(RichText::new("Total").strong());
                            });
                            draft_cell(ui, DRAFT_WIDTHS[4], |ui| {
                                ui.label(RichText::new(formats.money(totals[po_index])).strong());
                            });
                        }
                    }
                });
            }
        });
}

impl ReorderScreen {
    pub(super) fn dialog_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let mut close = false;
        Modal::new(Id::unique("draft_pos")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("Create draft purchase orders");
            ui.label(
                RichText::new("One purchase order per supplier. Change quantities or dates; 0 leaves a line out.")
                    .color(theme::MUTED),
            );
            draft_rows_ui(ui, &mut dialog.pos);
            if !dialog.without_supplier.is_empty() {
                ui.colored_label(
                    theme::WARNING,
                    format!(
                        "No supplier, left out: {}",
                        dialog.without_supplier.join(", ")
                    ),
                );
            }
            if let Some(error) = &dialog.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = format!("Create {} purchase order(s)", dialog.pos.len());
                if ui
                    .add_enabled(!dialog.pos.is_empty(), egui::Button::new(label))
                    .clicked()
                {
                    match dialog.parse() {
                        // Several at once: asked about first, with the counts.
                        Ok(drafts) if drafts.iter().filter(|d| !d.lines.is_empty()).count() > 1 => {
                            dialog.error = None;
                            dialog.asking = Some(drafts);
                        }
                        Ok(drafts) => {
                            dialog.error = None;
                            commands.push(AppCommand::Reorder(Box::new(
                                ReorderCommand::CreatePos(drafts),
                            )));
                        }
                        Err(message) => dialog.error = Some(message),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if let Some(drafts) = &dialog.asking {
            let pos: Vec<&DraftPo> = drafts.iter().filter(|d| !d.lines.is_empty()).collect();
            let lines: usize = pos.iter().map(|po| po.lines.len()).sum();
            let units: i64 = pos
                .iter()
                .flat_map(|po| po.lines.iter().map(|line| line.quantity))
                .sum();
            let suppliers: Vec<&str> = pos.iter().map(|po| po.supplier.as_str()).collect();
            let answer = widgets::confirm_ui(
                ctx,
                "draft_pos_confirm",
                &format!("Create {} purchase orders?", pos.len()),
                &format!(
                    "{} open, unconfirmed purchase orders with {lines} line(s), {units} units in all, are created for {}. Promises are computed again. Edit › Undo takes them all back.",
                    pos.len(),
                    suppliers.join(", ")
                ),
                &format!("Create {} purchase orders", pos.len()),
                "Back",
            );
            match answer {
                widgets::Confirm::Yes => {
                    if let Some(drafts) = dialog.asking.take() {
                        commands.push(AppCommand::Reorder(Box::new(ReorderCommand::CreatePos(
                            drafts,
                        ))));
                    }
                }
                widgets::Confirm::No => dialog.asking = None,
                widgets::Confirm::Waiting => {}
            }
            // Escape answered the question, not the dialog below it.
            close = false;
        }
        if close {
            self.dialog = None;
        }
    }
}
