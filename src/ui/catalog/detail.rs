//! The product detail panel (figures and stock movements) and the catalog's dialogs.

use egui::{RichText, Ui};

use crate::store::Store;
use crate::ui::shared::actions::Action;
use crate::ui::shared::command;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::{Confirm, confirm_ui};

use super::CatalogScreen;
use super::product_form::FormOutcome;
use super::table::NO_SKU_HINT;

impl CatalogScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the product detail panel drawn top to bottom in egui's immediate mode: header, figures, badges, movements"
    )]
    pub(super) fn detail_ui(&mut self, ui: &mut Ui, store: &Store, version: u64) {
        let Some(row) = self.selected.and_then(|id| self.view.row(id)).cloned() else {
            return;
        };
        if self.movements_for != Some((row.product_id, version)) {
            self.movements = store.movements(row.product_id, 30).unwrap_or_default();
            self.movements_for = Some((row.product_id, version));
        }
        let formats = format::formats(ui.ctx());
        ui.add_space(4.0);
        let close = widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&row.sku).heading().strong());
        });
        if close {
            self.detail_closed = true;
        }
        theme::badge_text_ui(ui, row.status(), &row.badge_text_in(formats.dates));
        ui.label(&row.name);
        if row.sku_derived {
            ui.label(RichText::new("No SKU in the shop").color(theme::MUTED))
                .on_hover_text(NO_SKU_HINT);
        }
        if let Some(identity) = &row.identity {
            ui.label(
                RichText::new(format!("In {}: {}", identity.platform, identity.key))
                    .small()
                    .color(theme::MUTED),
            );
        }
        ui.add_space(6.0);
        egui::Grid::new("product_figures")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                let figures = row.figures;
                for (label, value) in [
                    ("On hand", figures.on_hand.to_string()),
                    ("Reserved", figures.reserved.to_string()),
                    ("Available", figures.available().to_string()),
                    ("On order", figures.on_order.to_string()),
                    (
                        "Customers waiting for",
                        format!("{} units", figures.backordered),
                    ),
                    (
                        "Dates slipping",
                        if row.slipping_lines > 0 {
                            format!(
                                "{} customer{} date{} move{} a day later every day without a PO",
                                row.slipping_lines,
                                if row.slipping_lines == 1 { "'s" } else { "s'" },
                                if row.slipping_lines == 1 { "" } else { "s" },
                                if row.slipping_lines == 1 { "s" } else { "" }
                            )
                        } else {
                            "none".to_owned()
                        },
                    ),
                    ("Reorder point", row.reorder_point.to_string()),
                    ("Backorders", row.policy.label().to_owned()),
                    (
                        "Backorders until",
                        match row.backorder_cutoff {
                            Some(cutoff) if row.backorders_closed => {
                                format!("{} (closed)", formats.date(cutoff))
                            }
                            Some(cutoff) => formats.date(cutoff),
                            None => "no cutoff".to_owned(),
                        },
                    ),
                    ("Max wait", format!("{} days", row.max_wait_days)),
                    ("Category", row.category.clone()),
                    ("Bin location", row.location.clone()),
                    ("Price", formats.money(row.price_cents)),
                    (
                        "Sale price",
                        row.sale_price_cents
                            .map_or_else(|| "no sale".to_owned(), |cents| formats.money(cents)),
                    ),
                    (
                        "Stock",
                        if row.track_stock {
                            "tracked".to_owned()
                        } else {
                            "not tracked: always orderable, orders ready at once".to_owned()
                        },
                    ),
                    ("Unit cost", formats.money(row.unit_cost_cents)),
                    ("Supplier", row.supplier.clone()),
                    (
                        "Lead time",
                        row.lead_time_days
                            .map_or_else(|| "unknown".to_owned(), |days| format!("{days} days")),
                    ),
                ] {
                    ui.label(RichText::new(label).color(theme::MUTED));
                    // Wrapped at the panel's edge: a long value never widens the panel.
                    ui.add(egui::Label::new(value).wrap());
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            for action in [
                Action::EditProduct,
                Action::AdjustStock,
                Action::DeleteProduct,
            ] {
                if ui.button(action.label()).clicked() {
                    self.action(action, store);
                }
            }
        });
        ui.add_space(8.0);
        ui.label(RichText::new("Stock movements").strong());
        if self.movements.is_empty() {
            ui.label(RichText::new("None yet").color(theme::MUTED));
        }
        egui::Grid::new("movements_grid")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for movement in &self.movements {
                    ui.label(
                        RichText::new(formats.stamp(&movement.created_at, false))
                            .color(theme::MUTED),
                    );
                    ui.label(format!("{:+}", movement.quantity));
                    // Cut at the panel's edge (full text on hover): a long reason never widens
                    // the panel over the list.
                    let text = format!(
                        "{} · {}",
                        movement.kind.label(),
                        crate::domain::promise::localize_dates(&movement.reason, formats.dates)
                    );
                    ui.add(egui::Label::new(&text).truncate())
                        .on_hover_text(&text);
                    ui.end_row();
                }
            });
    }

    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if let Some(form) = &mut self.form {
            match form.ui(ctx, &self.suppliers, &self.categories) {
                FormOutcome::Open => {}
                FormOutcome::Cancel => self.form = None,
                FormOutcome::Save => {
                    match (form.opening_stock_units(), form.parsed_order_rules()) {
                        (Ok(opening_stock), Ok(rules)) => {
                            if let (Some(product_id), Some(rules)) = (form.existing, rules) {
                                commands.push(AppCommand::Reorder(Box::new(
                                    command::ReorderCommand::SaveOrderRules {
                                        product_id,
                                        sku: form.draft.sku.trim().to_owned(),
                                        rules,
                                    },
                                )));
                            }
                            commands.push(AppCommand::SaveProduct {
                                existing: form.existing,
                                draft: Box::new(form.draft.clone()),
                                opening_stock,
                            });
                        }
                        (Err(message), _) | (_, Err(message)) => form.errors = vec![message],
                    }
                }
            }
        }

        if let Some(confirm) = &self.confirm_delete {
            let (body, verb) = if confirm.has_history {
                (
                    "This product has orders or stock history, so it will be archived: hidden from the catalog, its history kept.",
                    "Archive",
                )
            } else {
                ("This product has no history. It will be removed.", "Delete")
            };
            let body = format!("{} — {}\n\n{body}", confirm.sku, confirm.name);
            match confirm_ui(
                ctx,
                "confirm_delete",
                "Delete product?",
                &body,
                verb,
                "Cancel",
            ) {
                Confirm::Waiting => {}
                Confirm::Yes => {
                    commands.push(AppCommand::DeleteProduct(confirm.product_id));
                    self.confirm_delete = None;
                }
                Confirm::No => self.confirm_delete = None,
            }
        }

        if let Some(adjust) = &mut self.adjust
            && !adjust.ui(ctx, commands)
        {
            self.adjust = None;
        }
    }
}
