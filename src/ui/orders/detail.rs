//! One order's detail: its lines with badges and promise notes, payment, actions, messages.

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, Ui};

use crate::app::practice::PaymentAction;
use crate::app::promises::LinePromiseNote;
use crate::domain::allocation::Priority;
use crate::domain::order::{CancelReason, LineState, OrderStatus};
use crate::domain::payment::{PaymentState, authorization_age_days, authorization_is_old};
use crate::domain::promise::PromiseFlag;
use crate::store::orders::{OrderDetail, OrderSummary};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::PickListCommand;
use crate::ui::shared::confirm;
use crate::ui::shared::format;
use crate::ui::shared::message_history;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::OrdersScreen;
use super::dialogs::{CancelDialog, ShipToDialog};

/// "today", "1 day ago", "3 days ago".
pub(super) fn age_text(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "1 day ago".to_owned(),
        _ => format!("{days} days ago"),
    }
}

/// The payment of an open order with the actions that fit its state.
pub(super) fn payment_ui(
    ui: &mut Ui,
    summary: &OrderSummary,
    today: NaiveDate,
    max_age_days: i64,
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Payment").strong());
        let gate = summary.payment_gate();
        let color = match summary.payment {
            PaymentState::NotNeeded => theme::MUTED,
            PaymentState::Captured if gate.may_ship() => theme::OK,
            PaymentState::Failed => theme::ERROR,
            _ => theme::WARNING,
        };
        ui.label(RichText::new(summary.payment.label()).color(color));
        if summary.payment != PaymentState::NotNeeded
            && let Some(at) = summary.authorized_on()
        {
            let days = authorization_age_days(at, today);
            let text = age_text(days);
            if authorization_is_old(Some(at), today, max_age_days) {
                ui.label(
                    RichText::new(format!("{text} — may have lapsed"))
                        .color(theme::ERROR)
                        .strong(),
                );
            } else {
                ui.label(RichText::new(text).color(theme::MUTED));
            }
        }
        let due = summary.payment_figures().capture_due_cents();
        if due > 0 && summary.payment != PaymentState::Failed {
            ui.label(format!(
                "capture {} before shipping",
                format::formats(ui.ctx()).money(due)
            ));
        }
    });
    ui.horizontal(|ui| {
        let due = summary.payment_figures().capture_due_cents();
        let mut action = None;
        match summary.payment {
            PaymentState::NotNeeded => {
                if ui
                    .small_button("Card authorized")
                    .on_hover_text("The card was authorized: capture it before the order ships")
                    .clicked()
                {
                    action = Some(PaymentAction::Authorized);
                }
            }
            PaymentState::Authorized | PaymentState::Captured => {
                if due > 0 && ui.small_button("Captured").clicked() {
                    action = Some(PaymentAction::Captured);
                }
                if due > 0 && ui.small_button("Capture failed").clicked() {
                    action = Some(PaymentAction::CaptureFailed);
                }
                if ui.small_button("Re-authorized").clicked() {
                    action = Some(PaymentAction::Authorized);
                }
                if ui
                    .small_button("Payment not needed")
                    .on_hover_text("Paid another way: ships as soon as stock is reserved")
                    .clicked()
                {
                    action = Some(PaymentAction::NotNeeded);
                }
            }
            PaymentState::Failed => {
                if ui.small_button("Re-authorized").clicked() {
                    action = Some(PaymentAction::Authorized);
                }
                if due > 0 && ui.small_button("Captured").clicked() {
                    action = Some(PaymentAction::Captured);
                }
            }
        }
        if let Some(action) = action {
            commands.push(AppCommand::Payment(summary.order_id, action));
        }
    });
}

/// Under the lines: why each waiting line's window is what it is, and what became of each
/// line's first promise.
pub(super) fn promise_notes_ui(
    ui: &mut Ui,
    detail: &OrderDetail,
    notes: &std::collections::HashMap<i64, LinePromiseNote>,
) {
    let shown: Vec<(&str, &LinePromiseNote)> = detail
        .lines
        .iter()
        .filter_map(|line| {
            notes
                .get(&line.line_id)
                .map(|note| (line.sku.as_str(), note))
        })
        .collect();
    if shown.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Promised dates").strong());
    for (sku, note) in shown {
        for text in [&note.explanation, &note.first_promise]
            .into_iter()
            .flatten()
        {
            ui.add(
                egui::Label::new(RichText::new(format!("{sku}: {text}")).color(theme::MUTED))
                    .wrap(),
            );
        }
    }
}

pub(super) fn state_color(state: LineState) -> egui::Color32 {
    match state {
        LineState::Reserved | LineState::Shipped => theme::OK,
        LineState::PartlyReserved | LineState::Backordered => theme::WARNING,
        LineState::Preorder => theme::INFO,
        LineState::Cancelled => theme::MUTED,
    }
}

impl OrdersScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "one order's detail drawn top to bottom in egui's immediate mode: header, lines and badges, payment, actions, messages"
    )]
    pub(super) fn detail_ui(
        &mut self,
        ui: &mut Ui,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        let max_age = self.auth_max_age_days;
        let Some(detail) = &self.detail else {
            ui.label("This order no longer exists");
            return;
        };
        let summary = &detail.summary;
        let formats = format::formats(ui.ctx());
        ui.add_space(4.0);
        if widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&summary.order_number).heading().strong());
            ui.label(RichText::new(summary.status_label()).strong());
        }) {
            self.detail_closed = true;
        }
        let email = summary.customer_email.trim();
        if email.is_empty() {
            ui.label(&summary.customer_name);
        } else {
            ui.label(format!(
                "{} <{}>",
                summary.customer_name,
                summary.customer_email.escape_debug()
            ));
        }
        if !email.is_empty()
            && let Some(problem) = crate::domain::email::address_problem(email)
        {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "The e-mail address is not valid ({problem}): messages to this customer                      cannot be saved or opened until it is corrected in the draft's To field"
                ),
            );
        }
        ui.label(
            RichText::new(format!(
                "Ordered {} · {} · total {}{}",
                formats.stamp(&summary.ordered_at, true),
                if summary.ship_complete {
                    "ships complete"
                } else {
                    "ships partial"
                },
                formats.money(summary.total_cents),
                if detail.storefront.currency.is_empty()
                    || detail
                        .storefront
                        .currency
                        .eq_ignore_ascii_case(formats.currency.code())
                {
                    String::new()
                } else {
                    format!(" {}", detail.storefront.currency)
                }
            ))
            .color(theme::MUTED),
        );
        if let Some(shop) = detail.storefront.storefront {
            let status = if detail.storefront.status_text.is_empty() {
                String::new()
            } else {
                format!(" · payment there: {}", detail.storefront.status_text)
            };
            ui.label(
                RichText::new(format!(
                    "From {shop} (order {}){status}",
                    detail.storefront.storefront_order_id
                ))
                .color(theme::MUTED),
            );
        }
        if summary.customer_email.trim().is_empty() {
            ui.colored_label(
                theme::WARNING,
                if detail.storefront.storefront.is_some() {
                    "No e-mail address: no message is drafted for this customer until one is added (Ship-to…)"
                } else {
                    "No e-mail address: drafts for this customer wait in the Outbox until one is added (Ship-to…)"
                },
            );
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Ship to").strong());
            if ui.small_button("Ship-to…").clicked() {
                self.ship_to_dialog = Some(ShipToDialog {
                    order_id: summary.order_id,
                    order_number: summary.order_number.clone(),
                    ship_to: detail.ship_to.clone(),
                    email: summary.customer_email.trim().is_empty().then(String::new),
                });
            }
        });
        let address = detail.ship_to.lines();
        if address.is_empty() {
            ui.label(RichText::new("No address on the order").color(theme::MUTED));
        } else {
            for line in address {
                ui.label(line);
            }
        }
        if !self.shipments.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("Shipments").strong());
            for shipment in &self.shipments {
                let tracking = if shipment.tracking_number.is_empty() {
                    "no tracking number".to_owned()
                } else {
                    format!("tracking {}", shipment.tracking_number)
                };
                ui.add(
                    egui::Label::new(format!(
                        "{} · {} unit(s) · {tracking}",
                        formats.stamp(&shipment.shipped_at, false),
                        shipment.units
                    ))
                    .wrap(),
                );
            }
        }
        let open = summary.status == OrderStatus::Open;
        if open {
            payment_ui(ui, summary, today, max_age, commands);
        }
        if open {
            ui.horizontal(|ui| {
                let label = ui.label("Priority");
                let mut priority = summary.priority;
                egui::ComboBox::from_id_salt("order_priority")
                    .selected_text(if priority == Priority::High {
                        "High"
                    } else {
                        "Normal"
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut priority, Priority::Normal, "Normal");
                        ui.selectable_value(&mut priority, Priority::High, "High");
                    })
                    .response
                    .labelled_by(label.id);
                if priority != summary.priority {
                    commands.push(AppCommand::ChangePriority(summary.order_id, priority));
                }
            });
        }
        ui.add_space(6.0);
        let mut cancel_request = None;
        egui::Grid::new("order_lines")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for header in ["SKU", "Item", "Qty", "Status", ""] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for line in &detail.lines {
                    ui.label(&line.sku);
                    ui.allocate_ui_with_layout(
                        egui::vec2(170.0, 18.0),
                        Layout::left_to_right(Align::Center),
                        |ui| ui.add(egui::Label::new(&line.name).truncate()),
                    );
                    ui.label(line.quantities.ordered.to_string());
                    let window = line.promise.as_ref().and_then(|p| p.window);
                    let state = line.state();
                    let mut badge = line
                        .quantities
                        .badge(line.policy, window)
                        .text(formats.dates);
                    if line.oversold && state.is_waiting() {
                        badge.push_str(" · oversold");
                    }
                    if let Some(flags) = line.promise.as_ref().map(|p| &p.flags)
                        && state.is_waiting()
                        && flags.iter().any(|f| *f != PromiseFlag::DateUnknown)
                    {
                        // The badge already says "date unknown".
                        let names: Vec<&str> = flags
                            .iter()
                            .filter(|f| **f != PromiseFlag::DateUnknown)
                            .map(|f| f.label())
                            .collect();
                        badge.push_str(&format!(" · {}", names.join(", ")));
                    }
                    // Long states (oversold, flags) wrap instead of widening the panel
                    // over the order list.
                    ui.allocate_ui_with_layout(
                        egui::vec2(230.0, 18.0),
                        Layout::top_down(Align::Min),
                        |ui| {
                            ui.set_max_width(230.0);
                            ui.add(
                                egui::Label::new(RichText::new(badge).color(state_color(state)))
                                    .wrap(),
                            )
                        },
                    );
                    if open && line.quantities.open() > 0 {
                        if ui.small_button("Cancel line…").clicked() {
                            cancel_request = Some(CancelDialog {
                                order_id: summary.order_id,
                                order_number: summary.order_number.clone(),
                                line: Some((line.line_id, line.sku.clone())),
                                reason: CancelReason::Customer,
                            });
                        }
                    } else if let Some(reason) = line.cancel_reason {
                        ui.label(RichText::new(reason.label()).color(theme::MUTED));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
        promise_notes_ui(ui, detail, &self.notes);
        ui.add_space(8.0);
        if open {
            ui.horizontal(|ui| {
                let ready = summary.is_ready();
                let gate = summary.payment_gate().refusal(&summary.order_number);
                let ship = ui
                    .add_enabled(ready && gate.is_none(), egui::Button::new("Ship reserved"))
                    .on_disabled_hover_text(match &gate {
                        Some(reason) if ready => reason.as_str(),
                        _ if summary.ship_complete => {
                            "Ships complete: waits until every line is in stock"
                        }
                        _ => "Nothing is reserved yet",
                    });
                if ship.clicked() {
                    commands.push(AppCommand::AskFirst(confirm::Bulk::ShipOrder(
                        summary.order_id,
                    )));
                }
                if ui.button("Cancel order…").clicked() {
                    cancel_request = Some(CancelDialog {
                        order_id: summary.order_id,
                        order_number: summary.order_number.clone(),
                        line: None,
                        reason: CancelReason::Customer,
                    });
                }
            });
        }
        if ui.button("Packing slip…").clicked() {
            commands.push(AppCommand::PickList(PickListCommand::PackingSlip(
                summary.order_id,
            )));
        }
        message_history::order_history_ui(
            ui,
            &self.messages,
            summary.order_id,
            open && summary.units_waiting > 0,
            commands,
        );
        if cancel_request.is_some() {
            self.confirm_cancel = cancel_request;
        }
    }
}
