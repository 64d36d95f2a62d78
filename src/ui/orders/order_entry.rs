//! The New order dialog: a customer, products found by SKU or name (↑/↓ and Enter pick one),
//! each line with its price, what is available now and the window its waiting units would get,
//! the order total in the shop's currency, and the ship-to address. Enter in the product field
//! adds the line; Enter elsewhere places the order.
//!
//! Nothing is written until "Place order": previews come from the app (the promise engine on
//! the shop's current queue and purchase orders).

use chrono::NaiveDate;
use egui::{Id, Key, Modal, RichText, TextEdit, Ui};

use crate::app::orders::{LinePreview, OrderInput, find_products, preview_line};
use crate::domain::allocation::Priority;
use crate::domain::order::ShipPreference;
use crate::domain::promise::LineBadge;
use crate::domain::ship_to::{FIELDS as SHIP_TO_FIELDS, ShipTo};
use crate::store::Store;
use crate::store::orders::ProductStock;
use crate::ui::shared::format;
use crate::ui::shared::format::ShopFormats;
use crate::ui::shared::theme;

/// Suggestions shown under the product field.
const SUGGESTIONS: usize = 8;

/// One line of the order being typed.
struct EntryLine {
    sku: String,
    quantity: String,
    /// What the line would be; `Err` says why it cannot be (no such SKU, a bad quantity).
    preview: Result<LinePreview, String>,
    /// The quantity and data version the preview was made for.
    preview_for: Option<(String, u64)>,
}

/// What the dialog's answer is this frame.
pub enum EntryOutcome {
    Open,
    Cancel,
    Place(Box<OrderInput>, Box<ShipTo>),
}

pub struct OrderEntry {
    customer_name: String,
    customer_email: String,
    high_priority: bool,
    ship_complete: bool,
    lines: Vec<EntryLine>,
    ship_to: ShipTo,
    /// Why the app did not place the order (or what is missing).
    pub error: Option<String>,
    /// The product field: part of a SKU or a name.
    lookup: String,
    /// Units of the product the next Enter adds.
    lookup_quantity: String,
    hits: Vec<ProductStock>,
    hits_for: Option<(String, u64)>,
    highlighted: usize,
    /// The field that takes the keyboard on the next frame.
    focus: Option<Focus>,
}

/// A field of the form that asks for the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Customer,
    Lookup,
}

impl Default for OrderEntry {
    fn default() -> Self {
        Self {
            customer_name: String::new(),
            customer_email: String::new(),
            high_priority: false,
            ship_complete: false,
            lines: Vec::new(),
            ship_to: ShipTo::default(),
            error: None,
            lookup: String::new(),
            lookup_quantity: "1".to_owned(),
            hits: Vec::new(),
            hits_for: None,
            highlighted: 0,
            focus: Some(Focus::Customer),
        }
    }
}

fn lookup_id() -> Id {
    Id::unique("order_entry_product")
}

impl OrderEntry {
    /// Adds `quantity` × `sku`, or more units to its line when it is already on the order.
    fn add_line(&mut self, sku: &str, quantity: &str) {
        let quantity = if quantity.trim().is_empty() {
            "1"
        } else {
            quantity.trim()
        };
        if let Some(line) = self
            .lines
            .iter_mut()
            .find(|line| line.sku.eq_ignore_ascii_case(sku))
            && let (Ok(old), Ok(more)) =
                (line.quantity.trim().parse::<i64>(), quantity.parse::<i64>())
        {
            line.quantity = old.saturating_add(more).to_string();
            return;
        }
        self.lines.push(EntryLine {
            sku: sku.to_owned(),
            quantity: quantity.to_owned(),
            preview: Err(String::new()),
            preview_for: None,
        });
    }

    /// Refreshes the suggestions and the line previews that are out of date.
    fn refresh(&mut self, store: &Store, version: u64, today: NaiveDate) {
        let key = (self.lookup.trim().to_owned(), version);
        if self.hits_for.as_ref() != Some(&key) {
            self.hits = find_products(store, &key.0, SUGGESTIONS).unwrap_or_default();
            self.highlighted = 0;
            self.hits_for = Some(key);
        }
        for line in &mut self.lines {
            let key = (line.quantity.trim().to_owned(), version);
            if line.preview_for.as_ref() == Some(&key) {
                continue;
            }
            line.preview = match line.quantity.trim().parse::<i64>() {
                Ok(quantity) => {
                    preview_line(store, &line.sku, quantity, today).map_err(|e| e.to_string())
                }
                Err(_) => Err(format!(
                    "{}: '{}' is not a whole number of units",
                    line.sku,
                    line.quantity.trim()
                )),
            };
            line.preview_for = Some(key);
        }
    }

    /// The order as typed, or what must change first.
    fn order_input(&self) -> Result<OrderInput, String> {
        if self.lines.is_empty() {
            return Err(
                "Add at least one product: type part of its SKU or name, then Enter".into(),
            );
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            let preview = line.preview.as_ref().map_err(Clone::clone)?;
            if let Some(refusal) = &preview.refusal {
                return Err(format!(
                    "{}: {refusal}; lower the quantity or remove the line",
                    line.sku
                ));
            }
            let quantity = line
                .quantity
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("{}: the quantity is a whole number", line.sku))?;
            lines.push((preview.sku.clone(), quantity));
        }
        Ok(OrderInput {
            order_number: String::new(),
            customer_name: self.customer_name.clone(),
            customer_email: self.customer_email.clone(),
            ordered_at: None,
            priority: if self.high_priority {
                Priority::High
            } else {
                Priority::Normal
            },
            ship: if self.ship_complete {
                ShipPreference::Complete
            } else {
                ShipPreference::Partial
            },
            lines,
        })
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        version: u64,
        today: NaiveDate,
    ) -> EntryOutcome {
        self.refresh(store, version, today);
        let formats = format::formats(ctx);
        let mut outcome = EntryOutcome::Open;
        let width = (ctx.content_rect().width() - 48.0).clamp(480.0, 960.0);
        Modal::new(Id::unique("new_order")).show(ctx, |ui| {
            ui.set_width(width);
            ui.heading("New order");
            self.customer_ui(ui);
            ui.add_space(6.0);
            let added = self.lookup_ui(ui, &formats);
            ui.add_space(6.0);
            let max_height = (ctx.content_rect().height() - 420.0).max(120.0);
            egui::ScrollArea::vertical()
                .id_salt("order_entry_scroll")
                .max_height(max_height)
                .show(ui, |ui| {
                    self.lines_ui(ui, &formats);
                    ui.add_space(4.0);
                    egui::CollapsingHeader::new("Ship to (optional)")
                        .id_salt("new_order_ship_to")
                        .show(ui, |ui| ship_to_fields_ui(ui, &mut self.ship_to));
                });
            if let Some(error) = &self.error {
                ui.colored_label(theme::ERROR, error);
            }
            ui.add_space(6.0);
            let enter = !added
                && ui.input(|input| input.key_pressed(Key::Enter))
                && !egui::Popup::is_any_open(ui.ctx());
            ui.horizontal(|ui| {
                let place = ui
                    .button("Place order")
                    .on_hover_text("Saves the order and reserves what is in stock (Enter)");
                if place.clicked() || enter {
                    match self.order_input() {
                        Ok(input) => {
                            outcome = EntryOutcome::Place(
                                Box::new(input),
                                Box::new(self.ship_to.clone()),
                            );
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    outcome = EntryOutcome::Cancel;
                }
            });
        });
        outcome
    }

    fn customer_ui(&mut self, ui: &mut Ui) {
        egui::Grid::new("new_order_grid")
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Customer");
                let customer = ui
                    .add(TextEdit::singleline(&mut self.customer_name).desired_width(220.0))
                    .labelled_by(label.id);
                if self.focus == Some(Focus::Customer) {
                    self.focus = None;
                    customer.request_focus();
                }
                let label = ui.label("E-mail");
                ui.add(TextEdit::singleline(&mut self.customer_email).desired_width(220.0))
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.high_priority, "High priority");
                    ui.checkbox(&mut self.ship_complete, "Ship complete");
                });
                ui.end_row();
            });
    }

    /// The product field with its suggestions. Returns true when Enter added a line.
    fn lookup_ui(&mut self, ui: &mut Ui, formats: &ShopFormats) -> bool {
        let id = lookup_id();
        // ↑/↓ move through the suggestions while the field has the keyboard.
        if ui.memory(|memory| memory.has_focus(id)) && !self.hits.is_empty() {
            let (up, down) = ui.input_mut(|input| {
                (
                    input.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                    input.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                )
            });
            if down {
                self.highlighted = (self.highlighted + 1).min(self.hits.len() - 1);
            }
            if up {
                self.highlighted = self.highlighted.saturating_sub(1);
            }
        }
        let mut added = false;
        let mut pick: Option<String> = None;
        ui.horizontal(|ui| {
            let label = ui.label("Product");
            let response = ui
                .add(
                    TextEdit::singleline(&mut self.lookup)
                        .id(id)
                        .hint_text("SKU or part of the name, then Enter")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
            if self.focus == Some(Focus::Lookup) {
                self.focus = None;
                response.request_focus();
            }
            let label = ui.label("Qty");
            ui.add(TextEdit::singleline(&mut self.lookup_quantity).desired_width(44.0))
                .labelled_by(label.id);
            let entered = response.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
            let add_clicked = ui
                .add_enabled(
                    !self.lookup.trim().is_empty(),
                    egui::Button::new("Add line"),
                )
                .clicked();
            if (entered && !self.lookup.trim().is_empty()) || add_clicked {
                added = true;
                pick = Some(match self.hits.get(self.highlighted) {
                    Some(hit) => hit.sku.clone(),
                    // No suggestion: the text as a SKU (the line says if there is none).
                    None => self.lookup.trim().to_owned(),
                });
            }
        });
        if !self.lookup.trim().is_empty() {
            if self.hits.is_empty() {
                ui.label(
                    RichText::new(format!("No product matches '{}'", self.lookup.trim()))
                        .color(theme::WARNING),
                );
            }
            for (index, hit) in self.hits.iter().enumerate() {
                let available = if hit.track_stock {
                    format!("{} available", hit.free())
                } else {
                    "stock not tracked".to_owned()
                };
                let text = format!(
                    "{} — {} · {} · {available}",
                    hit.sku,
                    hit.name,
                    formats.money(hit.price_cents)
                );
                if ui
                    .selectable_label(index == self.highlighted, text)
                    .clicked()
                {
                    pick = Some(hit.sku.clone());
                }
            }
        }
        if let Some(sku) = pick {
            let quantity = self.lookup_quantity.clone();
            self.add_line(&sku, &quantity);
            self.lookup.clear();
            "1".clone_into(&mut self.lookup_quantity);
            self.focus = Some(Focus::Lookup);
            self.error = None;
        }
        added
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the order form's line table drawn row by row in egui's immediate mode: lookup, quantity, price, preview and total in one place"
    )]
    fn lines_ui(&mut self, ui: &mut Ui, formats: &ShopFormats) {
        use egui_extras::{Column, TableBuilder};
        if self.lines.is_empty() {
            ui.label(RichText::new("No lines yet").color(theme::MUTED));
            return;
        }
        let mut remove = None;
        let mut total: i64 = 0;
        let mut free_lines = Vec::new();
        for line in &self.lines {
            if let Ok(preview) = &line.preview {
                let units = line.quantity.trim().parse::<i64>().unwrap_or(0);
                total = total.saturating_add(preview.unit_price_cents.saturating_mul(units));
                if preview.unit_price_cents == 0 {
                    free_lines.push(preview.sku.clone());
                }
            }
        }
        // Fixed columns, measured for their content; the ship window takes what is left (cut
        // with its full text on hover), so the lines never run past the dialog.
        let cell = egui::Layout::left_to_right(egui::Align::Center);
        let number = egui::Layout::right_to_left(egui::Align::Center);
        TableBuilder::new(ui)
            .id_salt("new_order_lines")
            .striped(true)
            .vscroll(false)
            .cell_layout(cell)
            .column(Column::exact(96.0))
            .column(Column::exact(170.0))
            .column(Column::exact(52.0))
            .column(Column::exact(76.0))
            .column(Column::exact(86.0))
            .column(Column::exact(96.0))
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::exact(64.0))
            .header(theme::ROW_HEIGHT, |mut header| {
                for (title, numeric) in [
                    ("SKU", false),
                    ("Item", false),
                    ("Qty", false),
                    ("Price", true),
                    ("Line total", true),
                    ("Available now", true),
                    ("Ships", false),
                    ("", false),
                ] {
                    header.col(|ui| {
                        let layout = if numeric { number } else { cell };
                        ui.with_layout(layout, |ui| ui.label(RichText::new(title).strong()));
                    });
                }
            })
            .body(|mut body| {
                for (index, line) in self.lines.iter_mut().enumerate() {
                    body.row(theme::ROW_HEIGHT + 4.0, |mut row| {
                        let mut sku_label = None;
                        row.col(|ui| {
                            sku_label = Some(ui.add(egui::Label::new(&line.sku).truncate()).id);
                        });
                        let name = line.preview.as_ref().map_or("", |p| p.name.as_str());
                        row.col(|ui| {
                            ui.add(egui::Label::new(name).truncate())
                                .on_hover_text(name);
                        });
                        row.col(|ui| {
                            // Named by its SKU for screen readers.
                            let field = ui.add(
                                TextEdit::singleline(&mut line.quantity)
                                    .desired_width(44.0)
                                    .hint_text("1"),
                            );
                            let field = match sku_label {
                                Some(id) => field.labelled_by(id),
                                None => field,
                            };
                            field.on_hover_text(format!("Quantity of {}", line.sku));
                        });
                        match &line.preview {
                            Ok(preview) => {
                                let units = line.quantity.trim().parse::<i64>().unwrap_or(0);
                                let line_total = preview.unit_price_cents.saturating_mul(units);
                                let price = RichText::new(formats.money(preview.unit_price_cents));
                                let price = if preview.unit_price_cents == 0 {
                                    price.color(theme::WARNING)
                                } else {
                                    price
                                };
                                row.col(|ui| {
                                    ui.with_layout(number, |ui| ui.label(price));
                                });
                                row.col(|ui| {
                                    ui.with_layout(number, |ui| {
                                        ui.label(formats.money(line_total))
                                    });
                                });
                                row.col(|ui| {
                                    ui.with_layout(number, |ui| {
                                        ui.label(preview.available.map_or_else(
                                            || "not tracked".to_owned(),
                                            |a| a.to_string(),
                                        ))
                                    });
                                });
                                let (text, color) = ships_text(preview, units, formats);
                                row.col(|ui| {
                                    ui.add(
                                        egui::Label::new(RichText::new(&text).color(color))
                                            .truncate(),
                                    )
                                    .on_hover_text(&text);
                                });
                            }
                            Err(message) => {
                                for _ in 0..3 {
                                    row.col(|_| {});
                                }
                                row.col(|ui| {
                                    ui.add(
                                        egui::Label::new(
                                            RichText::new(message.as_str()).color(theme::ERROR),
                                        )
                                        .truncate(),
                                    )
                                    .on_hover_text(message.as_str());
                                });
                            }
                        }
                        row.col(|ui| {
                            if ui
                                .small_button("Remove")
                                .on_hover_text(format!("Remove {} from the order", line.sku))
                                .clicked()
                            {
                                remove = Some(index);
                            }
                        });
                    });
                }
            });
        if let Some(index) = remove {
            self.lines.remove(index);
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "Order total {} ({})",
                    formats.money(total),
                    formats.currency.code()
                ))
                .strong(),
            );
        });
        if !free_lines.is_empty() {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "{} costs {} — the line is free. Set the product's price in the catalog, or \
                     place the order if it is meant to be free.",
                    free_lines.join(", "),
                    formats.money(0)
                ),
            );
        }
    }
}

/// What a line would get: in stock, the window its waiting units would ship in, or why it
/// would be refused.
fn ships_text(
    preview: &LinePreview,
    quantity: i64,
    formats: &ShopFormats,
) -> (String, egui::Color32) {
    if let Some(refusal) = &preview.refusal {
        return (format!("Refused: {refusal}"), theme::ERROR);
    }
    let badge = if preview.waiting == 0 {
        LineBadge::InStock
    } else if preview.reserved > 0 {
        LineBadge::Partial {
            now: preview.reserved,
            of: quantity,
            window: preview.window,
        }
    } else if preview.preorder {
        LineBadge::Preorder(preview.window)
    } else {
        LineBadge::Backordered(preview.window)
    };
    let color = match badge {
        LineBadge::InStock => theme::OK,
        LineBadge::Preorder(_) => theme::INFO,
        _ => theme::WARNING,
    };
    (badge.text(formats.dates), color)
}

/// The nine address fields as a grid of labelled text fields.
fn ship_to_fields_ui(ui: &mut Ui, ship_to: &mut ShipTo) {
    egui::Grid::new("new_ship_to_grid")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for ((_, label), value) in SHIP_TO_FIELDS.iter().zip(ship_to.values_mut()) {
                let label = ui.label(format!("Ship-to {}", label.to_lowercase()));
                ui.add(TextEdit::singleline(value).desired_width(260.0))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
}
