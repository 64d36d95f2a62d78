//! Purchase orders: the list, one PO's lines with receiving, its expected date and history, and
//! a new-PO form.

mod detail;
mod dialogs;
mod table;

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, Ui};

use crate::store::Store;
use crate::store::purchasing::{PoDetail, PoId, PoSummary, po_detail, po_summaries};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::{LineEditor, Sort};

use table::{PO_COLUMNS, PoColumn, sorted_pos};

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
            let kept =
                widgets::kept_width(&widgets::fit_of(&PO_COLUMNS), ui.spacing().item_spacing.x);
            let default = 540.0_f32.min(ui.available_width() * 0.5).max(380.0);
            widgets::detail_panel(ui, "po_detail", kept, (380.0, default, 380.0), |ui| {
                self.detail_ui(ui, today, commands);
            });
        }
        widgets::list_panel().show(ui, |ui| {
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
        let keys = widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((po_id, position)) = widgets::step_selection(
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
}
