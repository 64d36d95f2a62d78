//! Confirmed bulk actions and Edit › Undo.

use crate::ui::shared::command;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::{Bulk, Confirmation};
use crate::ui::shell::DeskApp;

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn undo_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::AskFirst(bulk) => {
                let Some(store) = &self.store else { return };
                match Confirmation::ask(store, bulk) {
                    Ok(confirmation) => self.confirmation = Some(confirmation),
                    Err(message) => self.set_status(message, true),
                }
            }
            AppCommand::RunBulk {
                bulk,
                tracking_number,
            } => self.run_bulk(bulk, &tracking_number),
            AppCommand::Undo => {
                let Some(store) = &mut self.store else { return };
                let label = match crate::app::undo_stack::next_undo(store) {
                    Ok(Some(point)) => point.label,
                    Ok(None) => {
                        self.set_status("There is nothing to undo", true);
                        return;
                    }
                    Err(error) => {
                        self.set_status(error.to_string(), true);
                        return;
                    }
                };
                let plan = crate::app::undo_stack::plan_undo(store, &self.clock);
                self.confirmation = Some(Confirmation::undo(
                    plan.as_ref().map_err(ToString::to_string),
                    &label,
                ));
            }
            AppCommand::UndoConfirmed => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::undo_stack::undo_last(store, &self.clock);
                self.finish(result.map(|report| {
                    format!(
                        "Undone: {} ({})",
                        report.point.label,
                        report.effects(true).join("; ")
                    )
                }));
            }
            _ => {}
        }
    }

    /// Runs an action that changes many orders or products as one undoable step.
    pub(super) fn run_bulk(&mut self, bulk: Bulk, tracking_number: &str) {
        use crate::app::undo_stack;
        const UNDO_HINT: &str = "; Edit › Undo takes it back";
        let clock = self.clock;
        let Some(store) = &mut self.store else { return };
        match bulk {
            Bulk::ApplyAdvice(products) => {
                let result = undo_stack::apply_advice(store, &products, &clock);
                self.finish(result.map(|changed| {
                    if changed.is_empty() {
                        "Nothing to apply".to_owned()
                    } else {
                        let names: Vec<String> = changed
                            .iter()
                            .take(5)
                            .map(|(sku, policy)| format!("{sku} → {}", policy.label()))
                            .collect();
                        let more = changed.len().saturating_sub(names.len());
                        format!(
                            "Backorder policy of {} product(s) changed: {}{}{UNDO_HINT}",
                            changed.len(),
                            names.join(", "),
                            if more > 0 {
                                format!(" and {more} more")
                            } else {
                                String::new()
                            }
                        )
                    }
                }));
            }
            Bulk::ReceiveAll { po_number, date } => {
                match undo_stack::receive_all(store, &po_number, date, &clock) {
                    Ok(report) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        let text = super::purchasing::received_text(&report, &po_number);
                        self.set_status(format!("{text}{UNDO_HINT}"), false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            Bulk::ShipOrder(order_id) => {
                let result = undo_stack::ship_order(store, order_id, tracking_number, &clock);
                let tracking = tracking_number.trim().to_owned();
                self.finish(result.map(|units| {
                    if tracking.is_empty() {
                        format!("Shipped {units} unit(s){UNDO_HINT}")
                    } else {
                        format!("Shipped {units} unit(s), tracking number {tracking}{UNDO_HINT}")
                    }
                }));
            }
            Bulk::MarkPicked(list_number) => {
                self.commands
                    .push(AppCommand::PickList(command::PickListCommand::MarkPicked(
                        list_number,
                    )));
            }
        }
    }
}
