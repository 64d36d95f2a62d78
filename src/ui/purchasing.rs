//! Purchase orders: the list, one PO's lines with receiving, its expected date and history, and
//! a new-PO form.

use chrono::NaiveDate;
use egui::{Align, Id, Key, Layout, Modal, RichText, Sense, TextEdit, Ui};
use egui_extras::TableBuilder;

use super::command::AppCommand;
use super::theme;
use super::widgets::{Confirm, LineEditor, Sort, confirm_ui};
use crate::app::clock::parse_iso_date;
use crate::app::purchasing::PoInput;
use crate::store::Store;
use crate::store::purchasing::{PoDetail, PoId, PoSummary, po_detail, po_summaries};

struct NewPoForm {
    /// The supplier chosen from the list, or the name of a new one.
    supplier: String,
    /// "New supplier…" was chosen: `supplier` is typed and will be added.
    new_supplier: bool,
    /// The shop's suppliers, to choose from.
    suppliers: Vec<String>,
    expected: String,
    confirmed: bool,
    lines: LineEditor,
    error: Option<String>,
    /// An unusual expected date asked about: the text it was asked for (a second Create
    /// with the same date goes ahead).
    asked: Option<(String, String)>,
    today: NaiveDate,
}

#[derive(Default)]
pub struct PurchasingScreen {
    open_only: bool,
    rows: Vec<PoSummary>,
    loaded_for: Option<(u64, bool)>,
    selected: Option<PoId>,
    detail: Option<PoDetail>,
    detail_for: Option<(PoId, u64)>,
    /// Per PO line: units typed into its receive box.
    receive_quantities: Vec<(i64, String)>,
    arrival_date: String,
    new_date: String,
    form: Option<NewPoForm>,
    confirm_cancel: Option<(PoId, String)>,
    error: Option<String>,
    sort: Sort<PoColumn>,
    /// The details panel was closed (× or Escape); the row stays selected.
    detail_closed: bool,
    scroll_to: Option<usize>,
    /// An unusual new expected date asked about (its text): a second click moves it.
    move_asked: Option<String>,
}

/// The purchase order table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum PoColumn {
    Po,
    Supplier,
    Ordered,
    /// The order the list is read in: open ones by expected date, then the rest newest first.
    #[default]
    Expected,
    Status,
    Received,
}

impl super::widgets::SortColumn for PoColumn {}

/// Title, sort, width, numeric, when it gives way.
const PO_COLUMNS: [super::widgets::TableColumn<PoColumn>; 6] = [
    ("PO", PoColumn::Po, 90.0, false, None),
    ("Supplier", PoColumn::Supplier, 150.0, false, None),
    ("Ordered", PoColumn::Ordered, 104.0, false, Some(1)),
    ("Expected", PoColumn::Expected, 170.0, false, None),
    ("Status", PoColumn::Status, 120.0, false, Some(2)),
    ("Received", PoColumn::Received, 90.0, true, Some(3)),
];

/// The rows' positions in `sort`; the default keeps the order they are read in.
fn sorted_pos(rows: &[PoSummary], sort: Sort<PoColumn>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if let Some(reversed) = sort.natural() {
        if reversed {
            order.reverse();
        }
        return order;
    }
    order.sort_by(|&a, &b| {
        let (a, b) = (&rows[a], &rows[b]);
        let by = match sort.column {
            PoColumn::Po => a.po_number.cmp(&b.po_number),
            PoColumn::Supplier => a.supplier.to_lowercase().cmp(&b.supplier.to_lowercase()),
            PoColumn::Ordered => a.ordered_at.cmp(&b.ordered_at),
            // Undated last.
            PoColumn::Expected => (a.expected_at.is_none(), a.expected_at)
                .cmp(&(b.expected_at.is_none(), b.expected_at)),
            PoColumn::Status => a.status_label().cmp(b.status_label()),
            PoColumn::Received => (a.units_received * 1000 / a.units_ordered.max(1))
                .cmp(&(b.units_received * 1000 / b.units_ordered.max(1))),
        };
        sort.apply(by).then_with(|| a.po_number.cmp(&b.po_number))
    });
    order
}

impl PurchasingScreen {
    pub fn has_dialog(&self) -> bool {
        self.form.is_some() || self.confirm_cancel.is_some()
    }

    pub fn new_po(&mut self, today: NaiveDate, suppliers: Vec<String>) {
        self.form = Some(NewPoForm {
            supplier: String::new(),
            new_supplier: suppliers.is_empty(),
            suppliers,
            expected: (today + chrono::Duration::days(14)).to_string(),
            confirmed: false,
            lines: LineEditor::new(""),
            error: None,
            asked: None,
            today,
        });
    }

    /// The outcome of a command this screen sent: errors stay on the screen.
    pub fn finished(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.form = None;
                self.error = None;
                self.receive_quantities.clear();
            }
            Err(message) => match &mut self.form {
                Some(form) => form.error = Some(message),
                None => self.error = Some(message),
            },
        }
    }

    fn refresh(&mut self, store: &Store, version: u64, today: NaiveDate) {
        if self.loaded_for != Some((version, self.open_only)) {
            let narrowed = self
                .loaded_for
                .is_some_and(|(_, open_only)| open_only != self.open_only);
            self.rows = po_summaries(store.connection(), self.open_only).unwrap_or_default();
            self.loaded_for = Some((version, self.open_only));
            // A purchase order the filter hides leaves the details.
            if narrowed
                && let Some(selected) = self.selected
                && !self.rows.iter().any(|row| row.po_id == selected)
            {
                self.selected = None;
            }
        }
        if let Some(po_id) = self.selected
            && self.detail_for != Some((po_id, version))
        {
            self.detail = po_detail(store.connection(), po_id).ok();
            self.detail_for = Some((po_id, version));
            self.new_date = self
                .detail
                .as_ref()
                .and_then(|d| d.summary.expected_at)
                .map(|d| d.to_string())
                .unwrap_or_default();
            if self.arrival_date.is_empty() {
                self.arrival_date = today.to_string();
            }
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        version: u64,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        self.refresh(store, version, today);
        let order = sorted_pos(&self.rows, self.sort);
        self.keys_ui(ui.ctx(), &order);
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.open_only, "Open only");
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.button("New purchase order…").clicked() {
                    self.new_po(today, store.supplier_names().unwrap_or_default());
                }
                ui.label(
                    RichText::new(format!("{} purchase orders", self.rows.len()))
                        .color(theme::MUTED),
                );
            });
        });
        if let Some(error) = &self.error {
            ui.colored_label(theme::ERROR, error);
        }
        ui.separator();
        if self.selected.is_some() && !self.detail_closed {
            // The list keeps the room of the columns that never give way.
            let kept = super::widgets::kept_width(
                &super::widgets::fit_of(&PO_COLUMNS),
                ui.spacing().item_spacing.x,
            );
            let max = (ui.available_width() - kept).max(380.0);
            egui::Panel::right("po_detail")
                .resizable(true)
                .default_size(540.0_f32.min(ui.available_width() * 0.5).max(380.0))
                .min_size(380.0)
                .max_size(max)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("po_detail_scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.detail_ui(ui, today, commands));
                });
        }
        super::widgets::list_panel().show(ui, |ui| {
            if self.rows.is_empty() {
                ui.add_space(20.0);
                ui.vertical_centered(|ui| {
                    ui.label(RichText::new("No purchase orders").heading());
                    ui.label("Order stock from a supplier with New purchase order…");
                });
            } else {
                self.table_ui(ui, today, &order);
            }
        });
        self.dialogs_ui(ui.ctx(), commands);
    }

    /// ↑/↓ move the selection, Enter shows the details, Escape closes them.
    fn keys_ui(&mut self, ctx: &egui::Context, order: &[usize]) {
        if self.has_dialog() {
            return;
        }
        let keys = super::widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((po_id, position)) = super::widgets::step_selection(
                order.iter().map(|&index| self.rows[index].po_id),
                self.selected,
                keys.step,
            )
        {
            if self.selected != Some(po_id) {
                self.receive_quantities.clear();
            }
            self.selected = Some(po_id);
            self.scroll_to = Some(position);
        }
        if keys.enter && self.selected.is_some() {
            self.detail_closed = false;
        }
        if keys.escape {
            self.detail_closed = true;
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, today: NaiveDate, order: &[usize]) {
        let mut clicked = None;
        let selected = self.selected;
        let rows = &self.rows;
        let formats = super::format::formats(ui.ctx());
        let fitted = super::widgets::fit_table(ui, &PO_COLUMNS);
        let shown = &fitted.shown;
        let mut sort = self.sort;
        super::widgets::solid_scroll_bar(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("po_table", fitted.layout_key))
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .auto_shrink([false, false]);
        if let Some(position) = self.scroll_to.take() {
            table = table.scroll_to_row(position, None);
        }
        table = fitted.add_columns(table, PoColumn::Supplier, 60.0);
        table
            .header(theme::ROW_HEIGHT, |mut header| {
                for (title, column, _, numeric) in shown {
                    header.col(|ui| {
                        sort.header_ui(ui, title, *column, *numeric);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, order.len(), |mut row| {
                    let po = &rows[order[row.index()]];
                    row.set_selected(selected == Some(po.po_id));
                    let label = |ui: &mut Ui, text: RichText| {
                        ui.add(egui::Label::new(text).truncate().selectable(false));
                    };
                    for (_, column, _, _) in shown {
                        row.col(|ui| match column {
                            PoColumn::Po => label(ui, RichText::new(&po.po_number)),
                            PoColumn::Supplier => label(ui, RichText::new(&po.supplier)),
                            PoColumn::Ordered => {
                                label(ui, RichText::new(formats.date(po.ordered_at)));
                            }
                            PoColumn::Expected => {
                                let mut text = po
                                    .expected_at
                                    .map_or_else(|| "not dated".to_owned(), |d| formats.date(d));
                                if po.confirmed {
                                    text.push_str(" ✔");
                                }
                                if po.date_changes > 0 {
                                    text.push_str(&format!(" (moved {}×)", po.date_changes));
                                }
                                let late =
                                    po.is_open() && po.expected_at.is_some_and(|d| d < today);
                                let color = if late || po.date_changes > 0 {
                                    theme::WARNING
                                } else {
                                    theme::MUTED
                                };
                                label(ui, RichText::new(text).color(color));
                            }
                            PoColumn::Status => label(ui, RichText::new(po.status_label())),
                            PoColumn::Received => {
                                super::widgets::number_cell(
                                    ui,
                                    format!("{} of {}", po.units_received, po.units_ordered),
                                );
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(po.po_id);
                    }
                });
            });
        self.sort = sort;
        if clicked.is_some() {
            if self.selected != clicked {
                self.receive_quantities.clear();
            }
            self.selected = clicked;
            self.detail_closed = false;
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn detail_ui(&mut self, ui: &mut Ui, today: NaiveDate, commands: &mut Vec<AppCommand>) {
        let Some(detail) = &self.detail else {
            ui.label("This purchase order no longer exists");
            return;
        };
        let summary = &detail.summary;
        let open = summary.is_open();
        let formats = super::format::formats(ui.ctx());
        ui.add_space(4.0);
        if super::widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&summary.po_number).heading().strong());
            ui.label(RichText::new(summary.status_label()).strong());
        }) {
            self.detail_closed = true;
        }
        ui.label(format!(
            "{} · ordered {}",
            summary.supplier,
            formats.date(summary.ordered_at)
        ));
        ui.add_space(4.0);
        if open {
            // Wrapped: the row never widens the panel over the list.
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Expected arrival");
                ui.add(
                    TextEdit::singleline(&mut self.new_date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
                let asked = self.move_asked.as_deref() == Some(self.new_date.as_str());
                let verb = if asked {
                    "Move date anyway"
                } else {
                    "Move date"
                };
                if ui.button(verb).clicked() {
                    match parse_iso_date(&self.new_date) {
                        Ok(date) => {
                            match crate::domain::limits::expected_date_question(date, today) {
                                Some(question) if !asked => {
                                    self.move_asked = Some(self.new_date.clone());
                                    self.error = Some(format!(
                                        "{question}. Click \"Move date anyway\" to keep it"
                                    ));
                                }
                                _ => {
                                    self.move_asked = None;
                                    commands.push(AppCommand::MovePoDate {
                                        po_number: summary.po_number.clone(),
                                        date,
                                    });
                                }
                            }
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                let mut confirmed = summary.confirmed;
                if ui
                    .checkbox(&mut confirmed, "Confirmed by supplier")
                    .on_hover_text(
                        "A confirmed date gives customers a single day instead of a window",
                    )
                    .changed()
                {
                    commands.push(AppCommand::SetPoConfirmed(summary.po_id, confirmed));
                }
            });
        } else if let Some(expected) = summary.expected_at {
            ui.label(format!("Expected {}", formats.date(expected)));
        }
        ui.add_space(6.0);
        if open {
            ui.horizontal(|ui| {
                let label = ui.label("Arrival date");
                ui.add(
                    TextEdit::singleline(&mut self.arrival_date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(100.0),
                )
                .labelled_by(label.id);
                if ui.button("Receive all").clicked() {
                    match parse_iso_date(&self.arrival_date) {
                        Ok(date) if date <= today => {
                            commands.push(AppCommand::AskFirst(super::confirm::Bulk::ReceiveAll {
                                po_number: summary.po_number.clone(),
                                date,
                            }));
                        }
                        Ok(_) => {
                            self.error = Some("The arrival date cannot be in the future".into());
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
            });
        }
        // The item's name takes what the other columns leave (measured: SKU, three counts and
        // the receive field with its button), so the lines fit the panel.
        let item_width = (ui.available_width() - 400.0).clamp(60.0, 170.0);
        egui::Grid::new("po_lines")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for header in ["SKU", "Item", "Ordered", "Received", "Open", ""] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for line in &detail.lines {
                    ui.label(&line.sku);
                    ui.allocate_ui_with_layout(
                        egui::vec2(item_width, 18.0),
                        Layout::left_to_right(Align::Center),
                        |ui| {
                            ui.add(egui::Label::new(&line.name).truncate())
                                .on_hover_text(&line.name)
                        },
                    );
                    ui.label(line.quantity.to_string());
                    ui.label(line.received_qty.to_string());
                    ui.label(line.open_quantity().to_string());
                    if open && line.open_quantity() > 0 {
                        let slot = if let Some(index) = self
                            .receive_quantities
                            .iter()
                            .position(|(id, _)| *id == line.po_line_id)
                        {
                            index
                        } else {
                            self.receive_quantities
                                .push((line.po_line_id, String::new()));
                            self.receive_quantities.len() - 1
                        };
                        ui.horizontal(|ui| {
                            let text = &mut self.receive_quantities[slot].1;
                            ui.add(
                                TextEdit::singleline(text)
                                    .hint_text("units")
                                    .desired_width(56.0),
                            );
                            if ui.small_button("Receive").clicked() {
                                match (
                                    text.trim().parse::<i64>(),
                                    parse_iso_date(&self.arrival_date),
                                ) {
                                    (Ok(units), Ok(date)) => commands.push(AppCommand::ReceivePo {
                                        po_number: summary.po_number.clone(),
                                        only: Some((line.sku.clone(), units)),
                                        date,
                                    }),
                                    (Err(_), _) => {
                                        self.error =
                                            Some(format!("{}: type the units received", line.sku));
                                    }
                                    (_, Err(message)) => self.error = Some(message),
                                }
                            }
                        });
                    } else {
                        ui.label(
                            line.received_at
                                .map(|d| format!("arrived {}", formats.date(d)))
                                .unwrap_or_default(),
                        );
                    }
                    ui.end_row();
                }
            });
        if !detail.date_changes.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Date changes").strong());
            for change in &detail.date_changes {
                let show = |d: Option<NaiveDate>| {
                    d.map_or_else(|| "not dated".to_owned(), |d| formats.date(d))
                };
                ui.label(format!(
                    "{}: {} → {}",
                    formats.stamp(&change.changed_on.to_string(), false),
                    show(change.old),
                    show(change.new)
                ));
            }
        }
        if open {
            ui.add_space(8.0);
            if ui.button("Cancel purchase order…").clicked() {
                self.confirm_cancel = Some((summary.po_id, summary.po_number.clone()));
            }
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if let Some((po_id, number)) = &self.confirm_cancel {
            let body = format!(
                "The open units of {number} no longer count as on the way; waiting customers' dates are recalculated and changes are listed."
            );
            match confirm_ui(
                ctx,
                "confirm_cancel_po",
                "Cancel purchase order?",
                &body,
                "Cancel purchase order",
                "Keep it",
            ) {
                Confirm::Waiting => {}
                Confirm::Yes => {
                    commands.push(AppCommand::CancelPo(*po_id));
                    self.confirm_cancel = None;
                }
                Confirm::No => self.confirm_cancel = None,
            }
        }
        let Some(form) = &mut self.form else { return };
        let mut close = false;
        Modal::new(Id::unique("new_po")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("New purchase order");
            egui::Grid::new("new_po_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label("Supplier");
                    let shown = if form.new_supplier {
                        "New supplier…".to_owned()
                    } else if form.supplier.is_empty() {
                        "Choose a supplier".to_owned()
                    } else {
                        form.supplier.clone()
                    };
                    egui::ComboBox::from_id_salt("new_po_supplier")
                        .selected_text(shown)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            for name in &form.suppliers {
                                let chosen = !form.new_supplier && form.supplier == *name;
                                if ui.selectable_label(chosen, name).clicked() {
                                    form.supplier.clone_from(name);
                                    form.new_supplier = false;
                                }
                            }
                            ui.separator();
                            if ui
                                .selectable_label(form.new_supplier, "New supplier…")
                                .clicked()
                            {
                                form.new_supplier = true;
                                form.supplier.clear();
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    if form.new_supplier {
                        let label = ui.label("New supplier name");
                        ui.add(TextEdit::singleline(&mut form.supplier).desired_width(260.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                    let label = ui.label("Expected arrival");
                    ui.add(
                        TextEdit::singleline(&mut form.expected)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(120.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut form.confirmed, "Date confirmed by supplier");
                    ui.end_row();
                });
            form.lines.ui(ui, "new_po_lines");
            if let Some(error) = &form.error {
                ui.colored_label(theme::ERROR, error);
            }
            let asking = form
                .asked
                .as_ref()
                .filter(|(text, _)| *text == form.expected)
                .map(|(_, question)| question.clone());
            if let Some(question) = &asking {
                ui.colored_label(theme::WARNING, format!("{question}. Create it anyway?"));
            }
            ui.horizontal(|ui| {
                let create = if asking.is_some() {
                    "Create anyway"
                } else {
                    "Create"
                };
                if ui.button(create).clicked() {
                    let expected = if form.expected.trim().is_empty() {
                        Ok(None)
                    } else {
                        parse_iso_date(&form.expected).map(Some)
                    };
                    let question = expected.as_ref().ok().copied().flatten().and_then(|day| {
                        crate::domain::limits::expected_date_question(day, form.today)
                    });
                    match (expected, form.lines.parse()) {
                        (Err(message), _) | (_, Err(message)) => form.error = Some(message),
                        _ if form.supplier.trim().is_empty() => {
                            form.error = Some(if form.new_supplier {
                                "New supplier name: type the supplier's name".to_owned()
                            } else {
                                "Supplier: choose one from the list, or \"New supplier…\""
                                    .to_owned()
                            });
                        }
                        (Ok(_), Ok(_)) if question.is_some() && asking.is_none() => {
                            form.error = None;
                            form.asked = question.map(|q| (form.expected.clone(), q));
                        }
                        (Ok(expected_at), Ok(lines)) => {
                            commands.push(AppCommand::CreatePo(
                                Box::new(PoInput {
                                    po_number: String::new(),
                                    supplier: form.supplier.clone(),
                                    ordered_at: None,
                                    expected_at,
                                    confirmed: form.confirmed,
                                    lines: lines
                                        .into_iter()
                                        .map(|(sku, quantity)| (sku, quantity, None))
                                        .collect(),
                                }),
                                form.new_supplier,
                            ));
                        }
                    }
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if close {
            self.form = None;
        }
    }
}
