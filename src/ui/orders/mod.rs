//! Orders: the list with filters and search, one order's lines and badges, actions, a new-order
//! form, and the "Promises changed" panel.
//!
//! mod.rs keeps the screen's state, loading and toolbar; table.rs, detail.rs, todo.rs (oversold
//! orders, notices to send), capture.rs (Capture payment), dialogs.rs and `order_entry.rs` (New
//! order) draw the parts; picklist.rs is the pick list window the shell opens.

mod capture;
mod detail;
mod dialogs;
mod order_entry;
pub mod picklist;
mod table;
mod todo;

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, TextEdit, Ui};

use crate::app::practice::{CaptureRow, auth_max_age_days, capture_list};
use crate::app::promises::{LinePromiseNote, order_promise_notes};
use crate::domain::payment::DEFAULT_AUTH_MAX_AGE_DAYS;
use crate::store::Store;
use crate::store::messages::{PendingNotice, pending_notices};
use crate::store::orders::{
    OrderDetail, OrderFilter, OrderId, OrderSummary, order_detail, order_summaries,
};
use crate::store::shop_orders::{OversoldLine, oversold_lines};
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::command::PickListCommand;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

use capture::CaptureColumn;
use dialogs::{CancelDialog, ShipToDialog};
use order_entry::OrderEntry;
use table::{ORDER_COLUMNS, OrderColumn, sorted_orders};
use todo::{ChangeColumn, OversoldColumn};

/// Most orders a list shows at once (newest first); search narrows it.
const LIST_LIMIT: usize = 5_000;

#[derive(Default)]
pub struct OrdersScreen {
    filter: OrderFilter,
    search: String,
    rows: Vec<OrderSummary>,
    loaded_for: Option<(u64, OrderFilter, String)>,
    selected: Option<OrderId>,
    detail: Option<OrderDetail>,
    detail_for: Option<(OrderId, u64)>,
    messages: Vec<crate::store::messages::Message>,
    /// The selected order's parcels (with their tracking numbers).
    shipments: Vec<crate::store::orders::ShipmentRow>,
    /// What each line's promise rests on, and what became of its first window.
    notes: std::collections::HashMap<i64, LinePromiseNote>,
    /// Waiting lines with an unsent delay notice: the "tell these customers" to-do list.
    changes: Vec<PendingNotice>,
    changes_for: Option<u64>,
    hide_changes: bool,
    form: Option<OrderEntry>,
    confirm_cancel: Option<CancelDialog>,
    ship_to_dialog: Option<ShipToDialog>,
    oversold: Vec<OversoldLine>,
    oversold_for: Option<u64>,
    capture: Vec<CaptureRow>,
    capture_for: Option<u64>,
    auth_max_age_days: i64,
    settings_for: Option<u64>,
    load_error: Option<String>,
    sort: Sort<OrderColumn>,
    /// `rows` in the sort chosen (positions into `rows`).
    order: Vec<usize>,
    order_for: Option<((u64, OrderFilter, String), Sort<OrderColumn>)>,
    /// The details panel was closed (× or Escape); the row stays selected.
    detail_closed: bool,
    scroll_to: Option<usize>,
    capture_sort: Sort<CaptureColumn>,
    changes_sort: Sort<ChangeColumn>,
    oversold_sort: Sort<OversoldColumn>,
}

impl OrdersScreen {
    /// Opens the new-order form.
    pub fn new_order(&mut self) {
        self.form = Some(OrderEntry::default());
    }

    /// Shows the orders of one filter (e.g. the Capture payment list).
    pub fn show_filter(&mut self, filter: OrderFilter) {
        self.filter = filter;
    }

    pub fn has_dialog(&self) -> bool {
        self.form.is_some() || self.confirm_cancel.is_some() || self.ship_to_dialog.is_some()
    }

    /// The outcome of saving a ship-to address: the dialog closes when it was saved.
    pub fn ship_to_finished(&mut self, saved: bool) {
        if saved {
            self.ship_to_dialog = None;
        }
    }

    /// The outcome of placing the order from the form.
    pub fn place_finished(&mut self, result: Result<OrderId, String>) {
        match result {
            Ok(order_id) => {
                self.form = None;
                self.selected = Some(order_id);
                self.detail_closed = false;
                self.filter = OrderFilter::All;
            }
            Err(message) => {
                if let Some(form) = &mut self.form {
                    form.error = Some(message);
                }
            }
        }
    }

    fn refresh(&mut self, store: &Store, version: u64, today: NaiveDate) {
        let key = (version, self.filter, self.search.clone());
        if self.loaded_for.as_ref() != Some(&key) {
            // A new search or filter: an order it hides leaves the details.
            let narrowed = self.loaded_for.as_ref().is_some_and(|(_, filter, search)| {
                (*filter, search) != (self.filter, &self.search)
            });
            match order_summaries(store.connection(), self.filter, &self.search, LIST_LIMIT) {
                Ok(rows) => {
                    self.rows = rows;
                    self.load_error = None;
                }
                Err(error) => self.load_error = Some(format!("Cannot read orders: {error}")),
            }
            if narrowed
                && self.filter != OrderFilter::Capture
                && let Some(selected) = self.selected
                && !self.rows.iter().any(|row| row.order_id == selected)
            {
                self.selected = None;
            }
            self.loaded_for = Some(key);
        }
        if self.order_for.as_ref().map(|(key, sort)| (key, *sort))
            != self.loaded_for.as_ref().map(|key| (key, self.sort))
        {
            self.order = sorted_orders(&self.rows, self.sort);
            self.order_for = self.loaded_for.clone().map(|key| (key, self.sort));
        }
        if self.filter == OrderFilter::Capture && self.capture_for != Some(version) {
            match capture_list(store, today) {
                Ok(rows) => self.capture = rows,
                Err(error) => self.load_error = Some(format!("Cannot read orders: {error}")),
            }
            self.capture_for = Some(version);
        }
        if self.settings_for != Some(version) {
            self.auth_max_age_days = auth_max_age_days(store).unwrap_or(DEFAULT_AUTH_MAX_AGE_DAYS);
            self.settings_for = Some(version);
        }
        if self.oversold_for != Some(version) {
            match oversold_lines(store.connection()) {
                Ok(lines) => self.oversold = lines,
                Err(error) => self.load_error = Some(format!("Cannot read orders: {error}")),
            }
            self.oversold_for = Some(version);
        }
        if self.changes_for != Some(version) {
            self.changes = pending_notices(store.connection()).unwrap_or_default();
            self.changes_for = Some(version);
        }
        if let Some(order_id) = self.selected
            && self.detail_for != Some((order_id, version))
        {
            self.detail = order_detail(store.connection(), order_id).ok();
            self.messages = crate::store::messages::order_messages(store.connection(), order_id)
                .unwrap_or_default();
            self.shipments =
                crate::store::orders::shipments(store.connection(), order_id).unwrap_or_default();
            self.notes = self
                .detail
                .as_ref()
                .and_then(|detail| {
                    let line_ids: Vec<i64> = detail.lines.iter().map(|l| l.line_id).collect();
                    order_promise_notes(store.connection(), order_id.0, &line_ids, today).ok()
                })
                .unwrap_or_default();
            self.detail_for = Some((order_id, version));
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
        self.keys_ui(ui.ctx());
        self.toolbar_ui(ui, commands);
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::ERROR, error);
        }
        self.oversold_ui(ui, commands);
        self.changes_ui(ui, today, commands);
        ui.separator();

        if self.selected.is_some() && !self.detail_closed {
            // The list keeps the room of the columns that never give way.
            let kept = widgets::kept_width(
                &widgets::fit_of(&ORDER_COLUMNS),
                ui.spacing().item_spacing.x,
            );
            let default = 520.0_f32.min(ui.available_width() * 0.45).max(360.0);
            widgets::detail_panel(ui, "order_detail", kept, (360.0, default, 360.0), |ui| {
                self.detail_ui(ui, today, commands);
            });
        }
        widgets::list_panel().show(ui, |ui| {
            if self.filter == OrderFilter::Capture {
                self.capture_ui(ui, commands);
            } else if self.rows.is_empty() {
                ui.add_space(20.0);
                ui.vertical_centered(|ui| {
                    ui.label(RichText::new("No orders here").heading());
                    ui.label("Change the filter or the search, or place a new order");
                });
            } else {
                self.table_ui(ui);
            }
        });
        self.dialogs_ui(ui.ctx(), store, version, today, commands);
    }

    /// ↑/↓ move the selection, Enter shows the details, Escape closes them.
    fn keys_ui(&mut self, ctx: &egui::Context) {
        if self.has_dialog() || self.filter == OrderFilter::Capture {
            return;
        }
        let keys = widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((order_id, position)) = widgets::step_selection(
                self.order.iter().map(|&index| self.rows[index].order_id),
                self.selected,
                keys.step,
            )
        {
            self.selected = Some(order_id);
            self.scroll_to = Some(position);
        }
        if keys.enter && self.selected.is_some() {
            self.detail_closed = false;
        }
        if keys.escape {
            self.detail_closed = true;
        }
    }

    /// Search, filters and buttons: on one row when they fit, else the filters on a row of
    /// their own (measured first, so nothing is drawn over anything else).
    fn toolbar_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let spacing = ui.spacing().item_spacing.x;
        let padding = ui.spacing().button_padding.x * 2.0;
        let text_width = |ui: &Ui, text: &str| {
            ui.painter()
                .layout_no_wrap(
                    text.to_owned(),
                    egui::TextStyle::Button.resolve(ui.style()),
                    egui::Color32::BLACK,
                )
                .size()
                .x
        };
        let shown = if self.rows.len() >= LIST_LIMIT {
            format!("newest {LIST_LIMIT} orders")
        } else {
            format!("{} orders", self.rows.len())
        };
        let filters_width: f32 = OrderFilter::ALL
            .iter()
            .map(|filter| text_width(ui, filter.label()) + padding + spacing)
            .sum();
        let buttons_width = ["New order…", "Pick list…"]
            .iter()
            .map(|text| text_width(ui, text) + padding + spacing)
            .sum::<f32>()
            + text_width(ui, &shown)
            + spacing;
        let search_width = 220.0;
        let search_row = text_width(ui, "Search") + spacing + search_width + spacing;
        let one_row = search_row + 16.0 + filters_width + buttons_width <= ui.available_width();
        let filters_ui = |ui: &mut Ui, filter: &mut OrderFilter| {
            for choice in OrderFilter::ALL {
                ui.selectable_value(filter, choice, choice.label());
            }
        };
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            ui.add(
                TextEdit::singleline(&mut self.search)
                    .hint_text("order number, customer or SKU")
                    .desired_width(search_width),
            )
            .labelled_by(label.id);
            if one_row {
                ui.separator();
                filters_ui(ui, &mut self.filter);
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.button("New order…").clicked() {
                    self.new_order();
                }
                if ui.button("Pick list…").clicked() {
                    commands.push(AppCommand::PickList(PickListCommand::Open));
                }
                ui.label(RichText::new(shown).color(theme::MUTED));
            });
        });
        if !one_row {
            ui.horizontal_wrapped(|ui| filters_ui(ui, &mut self.filter));
        }
    }
}
