//! Catalog and Reorder: products, stock, order rules, policy advice and cutoffs.

use crate::app::catalog::{adjust_stock_checked, save_product};
use crate::store::DeleteOutcome;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::confirm::Bulk;
use crate::ui::shared::tab::Tab;
use crate::ui::shell::DeskApp;

impl DeskApp {
    /// Runs a command of this group; the others are routed elsewhere by `run_command`.
    pub(super) fn catalog_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::SaveProduct {
                existing,
                draft,
                opening_stock,
            } => {
                let Some(store) = &mut self.store else { return };
                let result = save_product(store, existing, &draft, opening_stock, &self.clock);
                match result {
                    Ok(product_id) => {
                        self.data_version += 1;
                        self.catalog.save_finished(Ok(product_id));
                        let verb = if existing.is_some() { "Saved" } else { "Added" };
                        self.set_status(format!("{verb} {}", draft.sku.trim()), false);
                    }
                    Err(error) => self.catalog.save_finished(Err(error.to_string())),
                }
            }
            AppCommand::DeleteProduct(product_id) => {
                let Some(store) = &mut self.store else { return };
                let sku = store
                    .product(product_id)
                    .map(|p| p.data.sku)
                    .unwrap_or_default();
                match crate::app::catalog::delete_product(store, product_id, &self.clock) {
                    Ok(DeleteOutcome::Deleted) => self.set_status(format!("Deleted {sku}"), false),
                    Ok(DeleteOutcome::Archived) => {
                        self.set_status(format!("Archived {sku}; its history is kept"), false);
                    }
                    Err(error) => self.set_status(format!("Cannot delete {sku}: {error}"), true),
                }
                self.data_version += 1;
            }
            AppCommand::AdjustStock {
                product_id,
                quantity,
                reason,
                allow_negative,
            } => {
                let Some(store) = &mut self.store else { return };
                match adjust_stock_checked(
                    store,
                    product_id,
                    quantity,
                    &reason,
                    allow_negative,
                    &self.clock,
                ) {
                    Ok((on_hand, moved)) => {
                        self.data_version += 1;
                        self.catalog.adjust_finished(Ok(()));
                        let mut text =
                            format!("Stock {quantity:+} ({reason}); on hand now {on_hand}");
                        let filled: Vec<String> = moved
                            .iter()
                            .filter(|m| m.quantity > 0)
                            .map(|m| m.order_number.clone())
                            .collect();
                        if !filled.is_empty() {
                            text.push_str(&format!("; reserved for {}", filled.join(", ")));
                        }
                        self.set_status(text, false);
                    }
                    Err(error) => self.catalog.adjust_finished(Err(error.to_string())),
                }
            }
            AppCommand::ShowProduct(product_id) => {
                self.catalog.show_product(product_id);
                self.tab = Tab::Catalog;
            }
            AppCommand::Reorder(command) => {
                let Some(store) = &mut self.store else { return };
                let result = self.reorder.apply(store, *command, &self.clock);
                self.finish(result);
            }
            AppCommand::ApplyAdvice(products) => self.run_bulk(Bulk::ApplyAdvice(products), ""),
            AppCommand::SetCutoff(target, date) => {
                let Some(store) = &mut self.store else { return };
                let result = crate::app::practice::set_cutoff(store, &target, date, &self.clock);
                self.finish(result);
            }
            _ => {}
        }
    }
}
