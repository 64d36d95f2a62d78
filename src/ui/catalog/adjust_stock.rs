//! Product › Adjust stock…: a change with a reason, or for a stock count the counted quantity.
//! It shows on hand now and after, and stock below zero needs an explicit "record anyway".

use egui::{Id, Key, Modal, RichText, TextEdit};

use crate::domain::ledger::{ADJUSTMENT_REASONS, STOCK_COUNT, below_zero, change_to_count};
use crate::domain::product::parse_adjustment;
use crate::store::{CatalogRow, ProductId};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;

/// The open dialog.
pub struct AdjustForm {
    product_id: ProductId,
    sku: String,
    on_hand: i64,
    track_stock: bool,
    /// The change, or the counted quantity for a stock count.
    quantity: String,
    reason: String,
    record_anyway: bool,
    pub error: Option<String>,
    focus_pending: bool,
}

impl AdjustForm {
    pub fn new(row: &CatalogRow) -> Self {
        Self {
            product_id: row.product_id,
            sku: row.sku.clone(),
            on_hand: row.figures.on_hand,
            track_stock: row.track_stock,
            quantity: String::new(),
            reason: ADJUSTMENT_REASONS[0].to_owned(),
            record_anyway: false,
            error: None,
            focus_pending: true,
        }
    }

    fn is_count(&self) -> bool {
        self.reason.trim().eq_ignore_ascii_case(STOCK_COUNT)
    }

    /// The change the typed quantity means, or why it means none.
    fn change(&self) -> Result<i64, String> {
        if self.is_count() {
            let text = self.quantity.trim();
            let counted = text.parse::<i64>().map_err(|_| {
                format!("Counted quantity: '{text}' is not a whole number of units")
            })?;
            if counted < 0 && !self.record_anyway {
                return Err("Counted quantity: a count is 0 or more".to_owned());
            }
            let change = change_to_count(self.on_hand, counted);
            if change == 0 {
                return Err(format!(
                    "Counted quantity: {counted} is what is on hand already; nothing to change"
                ));
            }
            Ok(change)
        } else {
            parse_adjustment(&self.quantity)
                .map_err(|message| format!("Change in units: {message}"))
        }
    }

    /// Draws the dialog; `false` once it is closed.
    #[expect(
        clippy::too_many_lines,
        reason = "the Adjust stock dialog drawn top to bottom in egui's immediate mode: fields, on hand before and after, the below-zero check, buttons"
    )]
    pub fn ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) -> bool {
        let mut open = true;
        Modal::new(Id::unique("adjust_stock")).show(ctx, |ui| {
            ui.set_width(400.0);
            ui.heading(format!("Adjust stock of {}", self.sku));
            let mut submit = false;
            egui::Grid::new("adjust_grid").num_columns(2).show(ui, |ui| {
                let label = ui.label("Reason");
                ui.horizontal(|ui| {
                    ui.add(TextEdit::singleline(&mut self.reason).desired_width(200.0))
                        .labelled_by(label.id);
                    ui.menu_button("▾", |ui| {
                        for reason in ADJUSTMENT_REASONS {
                            if ui.button(reason).clicked() {
                                reason.clone_into(&mut self.reason);
                                self.focus_pending = true;
                                ui.close();
                            }
                        }
                    })
                    .response
                    .on_hover_text("Choose a reason");
                });
                ui.end_row();
                ui.label("On hand now");
                ui.label(RichText::new(self.on_hand.to_string()).strong());
                ui.end_row();
                let counting = self.is_count();
                let label = ui.label(if counting {
                    "Counted quantity"
                } else {
                    "Change in units"
                });
                let field = ui
                    .add(
                        TextEdit::singleline(&mut self.quantity)
                            .hint_text(if counting {
                                "units on the shelf"
                            } else {
                                "e.g. 5 or -2"
                            })
                            .desired_width(150.0),
                    )
                    .labelled_by(label.id);
                if self.focus_pending {
                    field.request_focus();
                    self.focus_pending = false;
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    submit = true;
                }
                ui.end_row();
                ui.label("On hand after");
                match self.change() {
                    Ok(change) => {
                        let after = self.on_hand.saturating_add(change);
                        let text = RichText::new(format!("{after} ({change:+})")).strong();
                        ui.label(if after < 0 {
                            text.color(theme::ERROR)
                        } else {
                            text
                        });
                    }
                    Err(_) => {
                        ui.label(RichText::new("–").color(theme::MUTED));
                    }
                }
                ui.end_row();
            });
            let below = self
                .change()
                .ok()
                .filter(|_| self.track_stock)
                .and_then(|change| below_zero(self.on_hand, change));
            if let Some(after) = below {
                ui.colored_label(
                    theme::WARNING,
                    format!(
                        "This takes {} to {after} on hand: stock cannot go below zero. Check the count, or record it anyway if the recorded stock was wrong.",
                        self.sku
                    ),
                );
                ui.checkbox(
                    &mut self.record_anyway,
                    "Record anyway (stock count was wrong)",
                );
            }
            if let Some(error) = &self.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.horizontal(|ui| {
                let blocked = below.is_some() && !self.record_anyway;
                let apply = ui
                    .add_enabled(!blocked, egui::Button::new("Apply"))
                    .on_disabled_hover_text("Stock would go below zero: tick \"Record anyway\" first");
                if apply.clicked() || (submit && !blocked) {
                    match self.change() {
                        Ok(quantity) => {
                            self.error = None;
                            commands.push(AppCommand::AdjustStock {
                                product_id: self.product_id,
                                quantity,
                                reason: self.reason.trim().to_owned(),
                                allow_negative: self.record_anyway,
                            });
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    open = false;
                }
            });
        });
        open
    }
}
