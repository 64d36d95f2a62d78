//! The messages of one order as its detail on the Orders screen lists them (sent, drafted,
//! superseded), with what can be done from there.

use egui::{RichText, Ui};

use crate::store::messages::Message;
use crate::store::orders::OrderId;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::MessageCommand;
use crate::ui::shared::theme;

/// The messages of one order, in its detail on the Orders tab.
pub fn order_history_ui(
    ui: &mut Ui,
    messages: &[Message],
    order_id: OrderId,
    can_offer: bool,
    commands: &mut Vec<AppCommand>,
) {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Messages").strong());
        if can_offer
            && ui
                .small_button("Offer substitutes")
                .on_hover_text("Draft a message offering in-stock alternatives")
                .clicked()
        {
            commands.push(AppCommand::Message(MessageCommand::OfferSubstitutes(
                order_id,
            )));
        }
    });
    if messages.is_empty() {
        ui.label(RichText::new("No messages for this order").color(theme::MUTED));
        return;
    }
    egui::Grid::new("order_messages")
        .striped(true)
        .num_columns(3)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for message in messages {
                ui.label(message.kind.map_or(message.kind_id.as_str(), |k| k.label()));
                let when = message
                    .sent_at
                    .as_deref()
                    .unwrap_or(message.created_at.as_str());
                ui.label(format!(
                    "{} {}",
                    message.status.label(),
                    crate::ui::shared::format::formats(ui.ctx()).stamp(when, true)
                ));
                ui.add(
                    egui::Label::new(&message.subject)
                        .truncate()
                        .selectable(false),
                );
                ui.end_row();
            }
        });
}
