//! The add / edit product dialog.

use egui::{Id, Key, Modal, RichText, TextEdit, Ui};

use crate::domain::money::format_cents;
use crate::domain::{BackorderPolicy, ProductDraft};
use crate::store::safety::OrderRules;
use crate::store::{ProductId, ProductRecord};
use crate::ui::shared::theme;

/// What the user did with the form this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOutcome {
    Open,
    Save,
    Cancel,
}

pub struct ProductForm {
    pub existing: Option<ProductId>,
    pub draft: ProductDraft,
    /// Units on hand when the product is added (ledger adjustment "Opening stock").
    pub opening_stock: String,
    pub errors: Vec<String>,
    focus_first: bool,
    /// Order multiple, minimum order and max stock as typed (existing products only).
    pub order_rules: Option<[String; 3]>,
}

impl ProductForm {
    pub fn new_product() -> Self {
        Self {
            existing: None,
            draft: ProductDraft::default(),
            opening_stock: "0".into(),
            errors: Vec::new(),
            focus_first: true,
            order_rules: None,
        }
    }

    pub fn edit(record: &ProductRecord) -> Self {
        let data = &record.data;
        Self {
            existing: Some(record.product_id),
            draft: ProductDraft {
                sku: data.sku.clone(),
                name: data.name.clone(),
                category: data.category.clone(),
                location: data.location.clone(),
                unit_cost: format_cents(data.unit_cost_cents),
                price: format_cents(data.price_cents),
                supplier: data.supplier.clone(),
                lead_time_days: data
                    .lead_time_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                backorder_policy: data.backorder_policy,
                max_wait_days: data.max_wait_days.to_string(),
                reorder_point: data.reorder_point.to_string(),
                track_stock: data.track_stock,
                sale_price: data.sale_price_cents.map(format_cents).unwrap_or_default(),
            },
            opening_stock: String::new(),
            errors: Vec::new(),
            focus_first: true,
            order_rules: None,
        }
    }

    /// Shows the product's order rules (reorder suggestions use them) for editing.
    #[must_use]
    pub fn with_order_rules(mut self, rules: &OrderRules) -> Self {
        self.order_rules = Some([
            rules.order_multiple.to_string(),
            rules.min_order_qty.to_string(),
            rules.max_stock.map(|m| m.to_string()).unwrap_or_default(),
        ]);
        self
    }

    /// The order rules as typed, checked; `None` when the form does not show them.
    pub fn parsed_order_rules(&self) -> Result<Option<OrderRules>, String> {
        let Some([multiple, minimum, max]) = &self.order_rules else {
            return Ok(None);
        };
        let whole = |label: &str, text: &str| -> Result<i64, String> {
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("{label}: '{}' is not a whole number", text.trim()))
        };
        let rules = OrderRules {
            order_multiple: whole("Order multiple", multiple)?,
            min_order_qty: whole("Minimum order", minimum)?,
            max_stock: match max.trim() {
                "" => None,
                text => Some(whole("Max stock", text)?),
            },
        };
        rules.check()?;
        Ok(Some(rules))
    }

    /// Parses the opening stock (new products only).
    pub fn opening_stock_units(&self) -> Result<i64, String> {
        match self.opening_stock.trim() {
            "" => Ok(0),
            text => text
                .parse::<i64>()
                .ok()
                .ok_or_else(|| {
                    format!("Opening stock: '{text}' is not a whole number of units, 0 or more")
                })
                .and_then(|units| {
                    crate::domain::limits::check_units("Opening stock", units)
                        .map_err(|error| error.to_string())
                }),
        }
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        suppliers: &[String],
        categories: &[String],
    ) -> FormOutcome {
        let mut outcome = FormOutcome::Open;
        let title = if self.existing.is_some() {
            "Edit product"
        } else {
            "Add product"
        };
        Modal::new(Id::unique("product_form")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading(title);
            ui.add_space(4.0);
            egui::Grid::new("product_form_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let sku = text_row(ui, "SKU", &mut self.draft.sku, "e.g. MUG-BLUE-01");
                    if self.focus_first {
                        sku.request_focus();
                        self.focus_first = false;
                    }
                    text_row(ui, "Name", &mut self.draft.name, "What the customer sees");
                    suggest_row(ui, "Category", &mut self.draft.category, categories);
                    text_row(ui, "Bin location", &mut self.draft.location, "e.g. A12-3");
                    text_row(ui, "Unit cost", &mut self.draft.unit_cost, "0.00");
                    text_row(ui, "Price", &mut self.draft.price, "0.00");
                    text_row(ui, "Sale price", &mut self.draft.sale_price, "no sale");
                    suggest_row(ui, "Supplier", &mut self.draft.supplier, suppliers);
                    text_row(ui, "Lead time (days)", &mut self.draft.lead_time_days, "unknown");
                    let label = ui.label("Backorders");
                    egui::ComboBox::from_id_salt("policy")
                        .selected_text(self.draft.backorder_policy.label())
                        .show_ui(ui, |ui| {
                            for policy in BackorderPolicy::ALL {
                                ui.selectable_value(
                                    &mut self.draft.backorder_policy,
                                    policy,
                                    policy.label(),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    text_row(ui, "Max wait (days)", &mut self.draft.max_wait_days, "14");
                    text_row(ui, "Reorder point", &mut self.draft.reorder_point, "0");
                    ui.label("Stock");
                    ui.checkbox(&mut self.draft.track_stock, "Track stock")
                        .on_hover_text(
                            "Off: the shop does not count this product's stock; it is always \
                             orderable and its orders are ready at once",
                        );
                    ui.end_row();
                    if self.existing.is_none() {
                        text_row(ui, "Opening stock", &mut self.opening_stock, "0");
                    }
                    if let Some([multiple, minimum, max]) = &mut self.order_rules {
                        text_row(ui, "Order multiple", multiple, "1");
                        text_row(ui, "Minimum order", minimum, "0");
                        text_row(ui, "Max stock", max, "reorder point + EOQ");
                    }
                });
            if self.existing.is_some() {
                ui.label(
                    RichText::new("On hand changes only through Adjust stock, so every change is in the ledger")
                        .small()
                        .color(theme::MUTED),
                );
            }
            for error in &self.errors {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    outcome = FormOutcome::Save;
                }
                if ui.button("Cancel").clicked() {
                    outcome = FormOutcome::Cancel;
                }
            });
            if ui.input(|input| input.key_pressed(Key::Escape)) {
                outcome = FormOutcome::Cancel;
            }
            if ui.input(|input| input.key_pressed(Key::Enter) && input.modifiers.command) {
                outcome = FormOutcome::Save;
            }
        });
        outcome
    }
}

fn text_row(ui: &mut Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// A text field with a menu of existing values to pick from.
fn suggest_row(ui: &mut Ui, label: &str, value: &mut String, choices: &[String]) {
    let label_response = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(TextEdit::singleline(value).desired_width(224.0))
            .labelled_by(label_response.id);
        if !choices.is_empty() {
            ui.menu_button("▾", |ui| {
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        for choice in choices {
                            if ui.button(choice).clicked() {
                                value.clone_from(choice);
                                ui.close();
                            }
                        }
                    });
            })
            .response
            .on_hover_text(format!("Choose an existing {}", label.to_lowercase()));
        }
    });
    ui.end_row();
}
