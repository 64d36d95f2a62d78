//! The Capture payment list: ready orders whose card must be captured before they ship.

use egui::{RichText, Ui};

use crate::app::practice::{CaptureRow, PaymentAction};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::OrdersScreen;
use super::detail::age_text;

impl widgets::SortColumn for CaptureColumn {}

/// The Capture payment list's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum CaptureColumn {
    #[default]
    Order,
    Customer,
    Amount,
    Authorized,
}

impl OrdersScreen {
    /// The Capture payment list: ready orders whose card must be captured before they ship.
    #[expect(
        clippy::too_many_lines,
        reason = "the Capture payment list drawn top to bottom in egui's immediate mode: header, sortable table, actions"
    )]
    pub(super) fn capture_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        if self.capture.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("Nothing to capture").heading());
                ui.label(
                    "Orders paid by card appear here when their stock is reserved, before they can ship",
                );
            });
            return;
        }
        let formats = format::formats(ui.ctx());
        let total: i64 = self
            .capture
            .iter()
            .filter(|row| !row.failed)
            .map(|row| row.amount_cents)
            .sum();
        ui.add(
            egui::Label::new(format!(
                "{} order(s) ready to ship once paid: capture {} in your payment provider, then record it here. Authorizations older than {} days are marked: they may have lapsed",
                self.capture.len(),
                formats.money(total),
                self.auth_max_age_days
            ))
            .wrap(),
        );
        let sort = self.capture_sort;
        let mut order: Vec<&CaptureRow> = self.capture.iter().collect();
        order.sort_by(|a, b| {
            let by = match sort.column {
                CaptureColumn::Order => a.summary.order_number.cmp(&b.summary.order_number),
                CaptureColumn::Customer => a
                    .summary
                    .customer_name
                    .to_lowercase()
                    .cmp(&b.summary.customer_name.to_lowercase()),
                CaptureColumn::Amount => a.amount_cents.cmp(&b.amount_cents),
                CaptureColumn::Authorized => {
                    a.authorization_age_days.cmp(&b.authorization_age_days)
                }
            };
            sort.apply(by)
        });
        let mut new_sort = sort;
        ui.add_space(4.0);
        let mut clicked = None;
        let selected = self.selected;
        egui::ScrollArea::both()
            .id_salt("capture_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("capture_grid")
                    .striped(true)
                    .num_columns(7)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        new_sort.header_ui(ui, "Order", CaptureColumn::Order, false);
                        new_sort.header_ui(ui, "Customer", CaptureColumn::Customer, false);
                        new_sort.header_ui(ui, "Amount", CaptureColumn::Amount, false);
                        ui.label(RichText::new("Payment").strong());
                        new_sort.header_ui(ui, "Authorized", CaptureColumn::Authorized, false);
                        ui.label("");
                        ui.label("");
                        ui.end_row();
                        for row in order {
                            let summary = &row.summary;
                            if ui
                                .selectable_label(
                                    selected == Some(summary.order_id),
                                    &summary.order_number,
                                )
                                .clicked()
                            {
                                clicked = Some(summary.order_id);
                            }
                            ui.label(&summary.customer_name);
                            widgets::number_sized(ui, 90.0, formats.money(row.amount_cents));
                            let color = if row.failed {
                                theme::ERROR
                            } else {
                                theme::WARNING
                            };
                            ui.label(RichText::new(summary.payment.label()).color(color));
                            match row.authorization_age_days {
                                Some(days) if row.authorization_old => {
                                    ui.label(
                                        RichText::new(format!("{days} days ago — may have lapsed"))
                                            .color(theme::ERROR)
                                            .strong(),
                                    );
                                }
                                Some(days) => {
                                    ui.label(age_text(days));
                                }
                                None => {
                                    ui.label("–");
                                }
                            }
                            if row.failed {
                                if ui
                                    .button(format!("Re-authorized {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::Authorized,
                                    ));
                                }
                                ui.label("");
                            } else {
                                if ui
                                    .button(format!("Captured {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::Captured,
                                    ));
                                }
                                if ui
                                    .button(format!("Capture failed {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::CaptureFailed,
                                    ));
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        self.capture_sort = new_sort;
        if clicked.is_some() {
            self.selected = clicked;
            self.detail_closed = false;
        }
    }
}
