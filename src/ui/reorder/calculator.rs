//! The safety stock calculator for one product: inputs from its history, every method
//! side by side with its formula, and the order rules.

use egui::{Key, RichText, TextEdit, Ui};

use crate::app::safety::{LeadTimeSource, ProductSafety};
use crate::domain::safety_stock::{
    Input, Inputs, Method, SafetyError, SafetyResult, disagreements, safety_stock, show, worked,
    z_for_service_level,
};
use crate::store::Store;
use crate::store::safety::OrderRules;
use crate::ui::shared::command::{AppCommand, ReorderCommand};
use crate::ui::shared::format;
use crate::ui::shared::theme;

use super::ReorderScreen;

/// The calculator's state for one product: the loaded history and the typed inputs.
pub(super) struct Calculator {
    safety: ProductSafety,
    /// Text of each input, in [`Input::ALL`] order.
    fields: Vec<String>,
    /// The exact value behind each field's text as first shown (history has more decimals
    /// than a field shows); used while the text is unchanged.
    exact: Vec<(String, Option<f64>)>,
    service_level: String,
    shown_service_level: String,
    multiple: String,
    min_order: String,
    max_stock: String,
}

impl Calculator {
    pub(super) fn new(safety: ProductSafety) -> Self {
        let rules = safety.position.rules;
        let mut calculator = Self {
            fields: Vec::new(),
            exact: Vec::new(),
            service_level: show(safety.service_level * 100.0),
            shown_service_level: String::new(),
            multiple: rules.order_multiple.to_string(),
            min_order: rules.min_order_qty.to_string(),
            max_stock: rules.max_stock.map(|m| m.to_string()).unwrap_or_default(),
            safety,
        };
        calculator.reset_inputs();
        calculator
    }

    pub(super) fn reset_inputs(&mut self) {
        let inputs = self.safety.inputs;
        self.exact = Input::ALL
            .iter()
            .map(|input| match input {
                Input::BaseBuffer => ("0".to_owned(), Some(0.0)),
                Input::CoverDays => (String::new(), None),
                Input::Z => (format!("{:.4}", self.safety.z), Some(self.safety.z)),
                _ => {
                    let value = inputs.get(*input);
                    (value.map(show).unwrap_or_default(), value)
                }
            })
            .collect();
        self.fields = self.exact.iter().map(|(text, _)| text.clone()).collect();
        self.service_level = show(self.safety.service_level * 100.0);
        self.shown_service_level.clone_from(&self.service_level);
    }

    /// The typed inputs; the first field that is not a number is an error.
    pub(super) fn inputs(&self) -> Result<Inputs, String> {
        let mut inputs = Inputs::default();
        for ((input, text), (first_text, exact)) in
            Input::ALL.iter().zip(&self.fields).zip(&self.exact)
        {
            if text == first_text {
                inputs.set(*input, *exact);
                continue;
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let value = text
                .parse::<f64>()
                .map_err(|_| format!("{}: '{text}' is not a number", input.label()))?;
            inputs.set(*input, Some(value));
        }
        Ok(inputs)
    }

    pub(super) fn rules(&self) -> Result<OrderRules, String> {
        let whole = |label: &str, text: &str| -> Result<i64, String> {
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("{label}: '{}' is not a whole number", text.trim()))
        };
        let rules = OrderRules {
            order_multiple: whole("Order multiple", &self.multiple)?,
            min_order_qty: whole("Minimum order", &self.min_order)?,
            max_stock: match self.max_stock.trim() {
                "" => None,
                text => Some(whole("Max stock", text)?),
            },
        };
        rules.check()?;
        Ok(rules)
    }
}

/// Sample sizes and where the numbers came from.
pub(super) fn history_ui(ui: &mut Ui, calc: &Calculator) {
    let history = &calc.safety.history;
    ui.label(format!(
        "Demand: {} days ({} to {}), {} with orders, {} units · service level {}% for class {} (Z {:.4})",
        history.days,
        history.from,
        history.to,
        history.days_with_demand,
        history.units,
        show(calc.safety.service_level * 100.0),
        calc.safety.class.label(),
        calc.safety.z
    ));
    match history.lead_time {
        LeadTimeSource::Receipts { mean, sd, max } => {
            ui.label(format!(
                "Lead time: {} receipt(s), average {} days, std. deviation {}, longest {}",
                history.receipts,
                show(mean),
                show(sd),
                show(max)
            ));
        }
        LeadTimeSource::Fallback(days) => {
            ui.label(format!(
                "Lead time: no receipts; the product's lead time of {days} days is used with σL = 0"
            ));
        }
        LeadTimeSource::Unknown => {
            ui.colored_label(
                theme::WARNING,
                "Lead time: no receipts and no lead time set; type one in",
            );
        }
    }
    if history.few_receipts() {
        ui.colored_label(
            theme::WARNING,
            format!(
                "Only {} receipt(s) (fewer than 5): lead-time figures are a rough guide",
                history.receipts
            ),
        );
    }
}

/// The five methods side by side, then where they disagree.
pub(super) fn methods_ui(ui: &mut Ui, inputs: &Inputs) {
    let results: Vec<Result<SafetyResult, SafetyError>> = Method::ALL
        .iter()
        .map(|method| safety_stock(*method, inputs))
        .collect();
    let width = ((ui.available_width() - 4.0 * 8.0) / 5.0).max(150.0);
    egui::ScrollArea::horizontal()
        .id_salt("methods_scroll")
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                for (method, result) in Method::ALL.iter().zip(&results) {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(width - 14.0);
                        ui.set_min_height(150.0);
                        ui.vertical(|ui| {
                            ui.label(RichText::new(method.label()).strong());
                            ui.label(RichText::new(method.formula()).color(theme::INFO));
                            match result {
                                Ok(result) => {
                                    ui.label(worked(*method, inputs, result.safety_stock));
                                    ui.label(
                                        RichText::new(format!(
                                            "SS {:.2} → {} units",
                                            result.safety_stock,
                                            result.safety_stock_units()
                                        ))
                                        .strong(),
                                    );
                                    ui.label(format!(
                                        "ROP = d × L + SS = {:.2}",
                                        result.reorder_point
                                    ));
                                    ui.label(format!(
                                        "Reorder at {} units",
                                        result.reorder_point_units()
                                    ));
                                }
                                Err(SafetyError::Missing { inputs, .. }) => {
                                    let names: Vec<&str> =
                                        inputs.iter().map(|i| i.label()).collect();
                                    ui.colored_label(
                                        theme::WARNING,
                                        format!("Needs {}", names.join(", ")),
                                    );
                                }
                                Err(error) => {
                                    ui.colored_label(theme::ERROR, error.to_string());
                                }
                            }
                        });
                    });
                }
            });
        });
    let computed: Vec<SafetyResult> = results.iter().filter_map(|r| r.clone().ok()).collect();
    let notes = disagreements(&computed, inputs);
    if notes.is_empty() {
        if computed.len() > 1 {
            ui.label(RichText::new("The methods agree within 25%").color(theme::OK));
        }
    } else {
        ui.label(RichText::new("Where the methods disagree (more than 25%)").strong());
        for note in notes {
            ui.label(RichText::new(note.note).color(theme::WARNING));
        }
    }
}

impl ReorderScreen {
    #[expect(
        clippy::too_many_lines,
        reason = "the safety stock calculator drawn top to bottom in egui's immediate mode: product, inputs, methods, order rules"
    )]
    pub(super) fn calculator_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        commands: &mut Vec<AppCommand>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label("Product SKU");
            let response = ui
                .add(TextEdit::singleline(&mut self.sku).desired_width(160.0))
                .labelled_by(label.id);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if ui.button("Show").clicked() || entered {
                match store.product_id_by_sku(self.sku.trim()) {
                    Ok(Some(product_id)) => {
                        self.product = Some(product_id);
                        self.calculator_for = None;
                        self.calculator_error = None;
                    }
                    Ok(None) => {
                        self.calculator_error =
                            Some(format!("No product with SKU '{}'", self.sku.trim()));
                    }
                    Err(error) => self.calculator_error = Some(error.to_string()),
                }
            }
            ui.label(RichText::new("or click a row in Reorder suggestions").color(theme::MUTED));
        });
        if let Some(error) = &self.calculator_error {
            ui.colored_label(theme::ERROR, error);
        }
        if self.product.is_some() && self.report.is_none() && self.job.is_some() {
            ui.label(RichText::new("Computing ABC classes…").color(theme::MUTED));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let Some(calc) = &mut self.calculator else {
            return;
        };
        let position = &calc.safety.position;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(&position.sku).heading().strong());
            ui.label(RichText::new(&position.name).heading());
        });
        ui.label(format!(
            "Class {} · supplier {} · available {} · on order {} · backordered {} · unit cost {}",
            calc.safety.class.label(),
            if position.supplier.is_empty() {
                "none"
            } else {
                &position.supplier
            },
            position.available(),
            position.on_order,
            position.backordered,
            format::formats(ui.ctx()).money(position.unit_cost_cents)
        ));
        history_ui(ui, calc);
        ui.add_space(6.0);
        // Inputs in three rows (demand, lead time, the rest); a new service level sets Z.
        egui::Grid::new("safety_inputs")
            .num_columns(8)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let rows: [&[Input]; 3] = [
                    &[Input::AvgDemand, Input::SdDemand, Input::MaxDemand],
                    &[
                        Input::LeadTime,
                        Input::SdLeadTime,
                        Input::MaxLeadTime,
                        Input::Z,
                    ],
                    &[Input::BaseBuffer, Input::CoverDays],
                ];
                for (row, inputs) in rows.iter().enumerate() {
                    for input in *inputs {
                        let Some(index) = Input::ALL.iter().position(|i| i == input) else {
                            continue;
                        };
                        let label = ui.label(input.label());
                        ui.add_sized([80.0, 20.0], TextEdit::singleline(&mut calc.fields[index]))
                            .labelled_by(label.id);
                    }
                    match row {
                        0 => {
                            let label = ui.label("Service level (%)");
                            ui.add_sized(
                                [80.0, 20.0],
                                TextEdit::singleline(&mut calc.service_level),
                            )
                            .labelled_by(label.id);
                        }
                        2 if ui.button("Reset to history").clicked() => calc.reset_inputs(),
                        _ => {}
                    }
                    ui.end_row();
                }
            });
        if calc.service_level != calc.shown_service_level {
            calc.shown_service_level.clone_from(&calc.service_level);
            if let Some(z) = crate::domain::limits::parse_service_level_pct(&calc.service_level)
                .ok()
                .and_then(|pct| z_for_service_level(pct / 100.0).ok())
                && let Some(slot) = Input::ALL.iter().position(|i| *i == Input::Z)
            {
                calc.fields[slot] = format!("{z:.4}");
            }
        }
        // A service level outside its range is said, not ignored: Z stays as it was.
        if !calc.service_level.trim().is_empty()
            && let Err(message) =
                crate::domain::limits::parse_service_level_pct(&calc.service_level)
        {
            let z = Input::ALL
                .iter()
                .position(|i| *i == Input::Z)
                .map(|slot| calc.fields[slot].clone())
                .unwrap_or_default();
            ui.colored_label(
                theme::ERROR,
                format!("{message}; Z was not changed (still {z})"),
            );
        }
        ui.add_space(6.0);
        match calc.inputs() {
            Err(message) => {
                ui.colored_label(theme::ERROR, message);
            }
            Ok(inputs) => methods_ui(ui, &inputs),
        }
        ui.add_space(8.0);
        ui.separator();
        ui.label(RichText::new("Order rules").strong());
        ui.horizontal(|ui| {
            let label = ui.label("Order multiple");
            ui.add(TextEdit::singleline(&mut calc.multiple).desired_width(60.0))
                .labelled_by(label.id);
            let label = ui.label("Minimum order");
            ui.add(TextEdit::singleline(&mut calc.min_order).desired_width(60.0))
                .labelled_by(label.id);
            let label = ui.label("Max stock");
            ui.add(
                TextEdit::singleline(&mut calc.max_stock)
                    .hint_text("ROP + EOQ")
                    .desired_width(100.0),
            )
            .labelled_by(label.id);
            if ui.button("Save order rules").clicked() {
                match calc.rules() {
                    Ok(rules) => commands.push(AppCommand::Reorder(Box::new(
                        ReorderCommand::SaveOrderRules {
                            product_id: calc.safety.position.product_id,
                            sku: calc.safety.position.sku.clone(),
                            rules,
                        },
                    ))),
                    Err(message) => self.calculator_error = Some(message),
                }
            }
        });
    }
}
