//! Small widgets shared by screens.

use egui::{RichText, TextEdit, Ui};

/// Editable order or PO lines: a SKU and a quantity per row, add and remove.
pub struct LineEditor {
    pub lines: Vec<(String, String)>,
    default_quantity: &'static str,
}

impl LineEditor {
    pub fn new(default_quantity: &'static str) -> Self {
        Self {
            lines: vec![(String::new(), default_quantity.to_owned())],
            default_quantity,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, id_salt: &str) {
        let mut remove = None;
        egui::Grid::new(id_salt).num_columns(3).show(ui, |ui| {
            let sku_header = ui.label(RichText::new("SKU").strong());
            let quantity_header = ui.label(RichText::new("Quantity").strong());
            ui.end_row();
            for (index, (sku, quantity)) in self.lines.iter_mut().enumerate() {
                ui.add(TextEdit::singleline(sku).desired_width(200.0))
                    .labelled_by(sku_header.id);
                ui.add(TextEdit::singleline(quantity).desired_width(90.0))
                    .labelled_by(quantity_header.id);
                if ui
                    .small_button(format!("Remove line {}", index + 1))
                    .clicked()
                {
                    remove = Some(index);
                }
                ui.end_row();
            }
        });
        if let Some(index) = remove
            && self.lines.len() > 1
        {
            self.lines.remove(index);
        }
        if ui.small_button("Add line").clicked() {
            self.lines
                .push((String::new(), self.default_quantity.to_owned()));
        }
    }

    /// The filled-in lines (rows without a SKU are skipped), or the first bad quantity.
    pub fn parse(&self) -> Result<Vec<(String, i64)>, String> {
        self.lines
            .iter()
            .filter(|(sku, _)| !sku.trim().is_empty())
            .map(|(sku, quantity)| {
                quantity
                    .trim()
                    .parse::<i64>()
                    .map(|units| (sku.trim().to_owned(), units))
                    .map_err(|_| {
                        format!(
                            "{}: '{}' is not a whole number",
                            sku.trim(),
                            quantity.trim()
                        )
                    })
            })
            .collect()
    }
}

/// The answer to a confirmation dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Still open.
    Waiting,
    Yes,
    /// Kept (button or Escape).
    No,
}

/// A modal "are you sure" dialog: a title, an explanation, a red confirm button and a keep
/// button. Escape keeps.
pub fn confirm_ui(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    body: &str,
    confirm: &str,
    keep: &str,
) -> Confirm {
    let mut answer = Confirm::Waiting;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(400.0);
        ui.heading(title);
        ui.label(body);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(confirm).color(super::theme::ERROR))
                .clicked()
            {
                answer = Confirm::Yes;
            }
            if ui.button(keep).clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Confirm::No;
            }
        });
    });
    answer
}
