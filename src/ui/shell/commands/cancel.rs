//! Cancelling: an order, a line, or the units an oversold order waits for.

use crate::app::orders::{cancel_line_because, cancel_order_because};
use crate::ui::shared::command::AppCommand;
use crate::ui::shell::{DeskApp, released_text};

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn cancel_command(&mut self, command: &AppCommand) {
        match *command {
            AppCommand::CancelOversold(order_id) => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::orders::cancel_oversold(store, order_id, &self.clock);
                self.finish(result.map(|units| {
                    format!(
                        "{units} oversold unit(s) cancelled; the cancellation is drafted in Messages"
                    )
                }));
            }
            AppCommand::KeepOversoldWaiting(order_id) => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::orders::keep_oversold_waiting(store, order_id, &self.clock);
                self.finish(result.map(|drafted| {
                    if drafted {
                        "The units keep waiting; the backorder confirmation is drafted in Messages"
                            .to_owned()
                    } else {
                        "The units keep waiting (no confirmation drafted: the customer has no \
                         e-mail address)"
                            .to_owned()
                    }
                }));
            }
            AppCommand::CancelOrder(order_id, reason) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_order_because(store, order_id, reason, &self.clock);
                self.finish(result.map(|moved| released_text("Order cancelled", &moved)));
            }
            AppCommand::CancelLine(line_id, reason) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_line_because(store, line_id, reason, &self.clock);
                self.finish(result.map(|moved| released_text("Line cancelled", &moved)));
            }
            _ => {}
        }
    }
}
