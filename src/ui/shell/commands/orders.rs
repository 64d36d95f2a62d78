//! Orders: placing, shipping, cancelling, payments, priorities, ship-to and pick lists.

use crate::app::orders::change_priority;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::Bulk;
use crate::ui::shell::DeskApp;

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn orders_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::SetShipTo {
                order_id,
                ship_to,
                email,
            } => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::orders::update_ship_to(store, order_id, &ship_to, email.as_deref());
                let ok = result.is_ok();
                self.finish(result.map(|()| "Ship-to address saved".to_owned()));
                self.orders.ship_to_finished(ok);
            }
            AppCommand::PlaceOrder(input, ship_to) => {
                let Some(store) = &mut self.store else { return };
                match crate::app::orders::place_order_full(
                    store,
                    &input,
                    None,
                    &ship_to,
                    &self.clock,
                ) {
                    Ok((placed, _)) => {
                        self.data_version += 1;
                        let waiting: i64 = placed.lines.iter().map(|line| line.3).sum();
                        self.orders.place_finished(Ok(placed.order_id));
                        self.set_status(
                            if waiting > 0 {
                                format!(
                                    "Order {} placed; {waiting} unit(s) wait for stock",
                                    placed.order_number
                                )
                            } else {
                                format!(
                                    "Order {} placed; everything is reserved",
                                    placed.order_number
                                )
                            },
                            false,
                        );
                    }
                    Err(error) => self.orders.place_finished(Err(error.to_string())),
                }
            }
            AppCommand::ShipOrder(order_id) => {
                self.run_bulk(Bulk::ShipOrder(order_id), "");
            }
            AppCommand::Payment(order_id, action) => {
                let Some(store) = &mut self.store else { return };
                let result =
                    crate::app::practice::record_payment(store, order_id, action, &self.clock);
                self.finish(result.map(|outcome| outcome.message()));
            }
            AppCommand::ChangePriority(order_id, priority) => {
                let Some(store) = &mut self.store else { return };
                let result = change_priority(store, order_id, priority, &self.clock);
                self.finish(result.map(|_| format!("Priority set to {}", priority.code())));
            }
            AppCommand::PickList(command) => {
                let Some(store) = &mut self.store else { return };
                let outcome = self.picklist.run(ctx, store, &self.clock, command);
                if outcome.changed {
                    self.data_version += 1;
                }
                if let Some((text, is_error)) = outcome.status {
                    self.set_status(text, is_error);
                }
            }
            _ => {}
        }
    }
}
