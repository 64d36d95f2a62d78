//! The Orders dialogs: ship-to address, cancelling with a reason, and New order.

use chrono::NaiveDate;
use egui::{Id, Key, Modal, RichText, TextEdit, Ui};

use crate::domain::order::CancelReason;
use crate::domain::ship_to::{FIELDS as SHIP_TO_FIELDS, ShipTo};
use crate::store::Store;
use crate::store::orders::OrderId;
use crate::ui::shared::command::AppCommand;

use super::OrdersScreen;
use super::order_entry::EntryOutcome;

/// Editing an order's ship-to address (and, when it has none, its customer's e-mail).
pub(super) struct ShipToDialog {
    pub(super) order_id: OrderId,
    pub(super) order_number: String,
    pub(super) ship_to: ShipTo,
    /// `Some` when the customer has no e-mail address yet.
    pub(super) email: Option<String>,
}

/// The nine address fields as a grid of labelled text fields (`prefix` keeps ids apart).
pub(super) fn ship_to_fields_ui(ui: &mut Ui, prefix: &str, ship_to: &mut ShipTo) {
    egui::Grid::new(format!("{prefix}_ship_to_grid"))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for ((_, label), value) in SHIP_TO_FIELDS.iter().zip(ship_to.values_mut()) {
                let label = ui.label(format!("Ship-to {}", label.to_lowercase()));
                ui.add(TextEdit::singleline(value).desired_width(260.0))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
}

/// Asking why before cancelling an order or one line.
pub(super) struct CancelDialog {
    pub(super) order_id: OrderId,
    pub(super) order_number: String,
    /// `Some`: only this line (id, SKU).
    pub(super) line: Option<(i64, String)>,
    pub(super) reason: CancelReason,
}

impl OrdersScreen {
    pub(super) fn dialogs_ui(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        version: u64,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        if let Some(dialog) = &mut self.confirm_cancel {
            let mut close = false;
            Modal::new(Id::unique("confirm_cancel_order")).show(ctx, |ui| {
                ui.set_width(420.0);
                let (title, body, yes, no) = match &dialog.line {
                    None => (
                        "Cancel order?".to_owned(),
                        format!(
                            "Every open line of {} is cancelled; its reserved stock goes to the next customers in line.",
                            dialog.order_number
                        ),
                        "Cancel order",
                        "Keep order",
                    ),
                    Some((_, sku)) => (
                        "Cancel line?".to_owned(),
                        format!(
                            "The open units of {sku} on {} are cancelled; its reserved stock goes to the next customers in line.",
                            dialog.order_number
                        ),
                        "Cancel line",
                        "Keep line",
                    ),
                };
                ui.heading(title);
                ui.label(body);
                ui.add_space(6.0);
                ui.label(RichText::new("Why?").strong());
                for reason in CancelReason::ALL {
                    ui.radio_value(&mut dialog.reason, reason, reason.label());
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button(yes).clicked() {
                        commands.push(match dialog.line {
                            None => AppCommand::CancelOrder(dialog.order_id, Some(dialog.reason)),
                            Some((line_id, _)) => {
                                AppCommand::CancelLine(line_id, Some(dialog.reason))
                            }
                        });
                        close = true;
                    }
                    if ui.button(no).clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        close = true;
                    }
                });
            });
            if close {
                self.confirm_cancel = None;
            }
        }
        if let Some(dialog) = &mut self.ship_to_dialog {
            let mut close = false;
            Modal::new(Id::unique("ship_to_dialog")).show(ctx, |ui| {
                ui.set_width(440.0);
                ui.heading(format!("Ship-to address of {}", dialog.order_number));
                ship_to_fields_ui(ui, "edit", &mut dialog.ship_to);
                if let Some(email) = &mut dialog.email {
                    ui.horizontal(|ui| {
                        let label = ui.label("Customer e-mail");
                        ui.add(TextEdit::singleline(email).desired_width(260.0))
                            .labelled_by(label.id);
                    });
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Save address").clicked() {
                        commands.push(AppCommand::SetShipTo {
                            order_id: dialog.order_id,
                            ship_to: Box::new(dialog.ship_to.clone()),
                            email: dialog.email.clone().filter(|e| !e.trim().is_empty()),
                        });
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        close = true;
                    }
                });
            });
            if close {
                self.ship_to_dialog = None;
            }
        }
        let Some(form) = &mut self.form else { return };
        match form.ui(ctx, store, version, today) {
            EntryOutcome::Open => {}
            EntryOutcome::Cancel => self.form = None,
            EntryOutcome::Place(input, ship_to) => {
                commands.push(AppCommand::PlaceOrder(input, ship_to));
            }
        }
    }
}
