//! Purchase orders: create, receive, move, confirm, cancel.

use crate::app::purchasing::{
    ReceiveReport, cancel as cancel_po, create_po_checked, move_po_date, receive, set_confirmed,
};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::Bulk;
use crate::ui::shell::DeskApp;

/// What a receipt did, for the status line: the units received and the orders they went to.
pub(super) fn received_text(report: &ReceiveReport, po_number: &str) -> String {
    let units: i64 = report.received.iter().map(|(_, units)| units).sum();
    let mut orders: Vec<&str> = report
        .allocated
        .iter()
        .filter(|a| a.quantity > 0)
        .map(|a| a.order_number.as_str())
        .collect();
    orders.dedup();
    if orders.is_empty() {
        format!("Received {units} unit(s) on {po_number}; no order was waiting")
    } else {
        format!(
            "Received {units} unit(s) on {po_number}; stock reserved for {}",
            orders.join(", ")
        )
    }
}

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn purchasing_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::CreatePo(input, new_supplier) => {
                let Some(store) = &mut self.store else { return };
                match create_po_checked(store, &input, new_supplier, &self.clock) {
                    Ok((_, number)) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        self.set_status(format!("Purchase order {number} created"), false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::ReceivePo {
                po_number,
                only,
                date,
            } => {
                if only.is_none() {
                    self.run_bulk(Bulk::ReceiveAll { po_number, date }, "");
                    return;
                }
                let Some(store) = &mut self.store else { return };
                let only = only.as_ref().map(|(sku, units)| (sku.as_str(), *units));
                match receive(store, &po_number, only, date, &self.clock) {
                    Ok(report) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        let text = received_text(&report, &po_number);
                        self.set_status(text, false);
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::MovePoDate { po_number, date } => {
                let Some(store) = &mut self.store else { return };
                match move_po_date(store, &po_number, date, &self.clock) {
                    Ok(changes) => {
                        self.data_version += 1;
                        self.purchasing.finished(Ok(()));
                        self.set_status(
                            format!(
                                "{po_number} now expected {date}; {} promise(s) moved later (see Orders)",
                                changes.len()
                            ),
                            false,
                        );
                    }
                    Err(error) => self.purchasing.finished(Err(error.to_string())),
                }
            }
            AppCommand::SetPoConfirmed(po_id, confirmed) => {
                let Some(store) = &mut self.store else { return };
                let result = set_confirmed(store, po_id, confirmed, &self.clock);
                self.finish(result.map(|()| {
                    if confirmed {
                        "Date confirmed"
                    } else {
                        "Date no longer confirmed"
                    }
                    .to_owned()
                }));
            }
            AppCommand::CancelPo(po_id) => {
                let Some(store) = &mut self.store else { return };
                let result = cancel_po(store, po_id, &self.clock);
                self.finish(result.map(|slips| {
                    format!("Purchase order cancelled; {slips} promise(s) moved later (see Orders)")
                }));
            }
            _ => {}
        }
    }
}
