//! Orders: the list with filters and search, one order's lines and badges, actions, a new-order
//! form, and the "Promises changed" panel.

use chrono::NaiveDate;
use egui::{Align, Id, Key, Layout, Modal, RichText, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::command::AppCommand;
use super::order_entry::{EntryOutcome, OrderEntry};
use super::picklist::PickListCommand;
use super::theme;
use super::widgets::Sort;
use crate::app::practice::{CaptureRow, PaymentAction, auth_max_age_days, capture_list};
use crate::app::promises::{LinePromiseNote, order_promise_notes};
use crate::domain::allocation::Priority;
use crate::domain::order::{CancelReason, LineState, OrderProgress, OrderStatus};
use crate::domain::payment::{
    DEFAULT_AUTH_MAX_AGE_DAYS, PaymentState, authorization_age_days, authorization_is_old,
};
use crate::domain::promise::{
    DateStyle, EtaWindow, PromiseFlag, format_day, format_window, localize_dates,
};
use crate::domain::ship_to::{FIELDS as SHIP_TO_FIELDS, ShipTo};
use crate::store::Store;
use crate::store::messages::{PendingNotice, pending_notices};
use crate::store::orders::{
    OrderDetail, OrderFilter, OrderId, OrderSummary, order_detail, order_summaries,
};
use crate::store::shop_orders::{OversoldLine, oversold_lines};

/// Most orders a list shows at once (newest first); search narrows it.
const LIST_LIMIT: usize = 5_000;

/// Editing an order's ship-to address (and, when it has none, its customer's e-mail).
struct ShipToDialog {
    order_id: OrderId,
    order_number: String,
    ship_to: ShipTo,
    /// `Some` when the customer has no e-mail address yet.
    email: Option<String>,
}

/// The nine address fields as a grid of labelled text fields (`prefix` keeps ids apart).
fn ship_to_fields_ui(ui: &mut Ui, prefix: &str, ship_to: &mut ShipTo) {
    egui::Grid::new(format!("{prefix}_ship_to_grid"))
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

/// The "Promises changed" list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum ChangeColumn {
    /// Newest draft first by default (the order the list is read in).
    #[default]
    Drafted,
    Order,
    Customer,
    Sku,
    /// By the window the line has now (unknown last).
    Now,
    Why,
}

impl super::widgets::SortColumn for ChangeColumn {
    const FIRST_ASCENDING: bool = false;
}

/// The oversold list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum OversoldColumn {
    Order,
    Customer,
    /// Oldest order first by default (the order the list is read in).
    #[default]
    Date,
    /// By the units waiting.
    Waiting,
}

impl super::widgets::SortColumn for OversoldColumn {}

impl super::widgets::SortColumn for OrderColumn {
    const FIRST_ASCENDING: bool = false;
}

impl super::widgets::SortColumn for CaptureColumn {}

/// The orders table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum OrderColumn {
    Order,
    /// Newest first by default (the order the list is read in).
    #[default]
    Date,
    Customer,
    Status,
    Lines,
    Waiting,
    Total,
}

/// The Capture payment list's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum CaptureColumn {
    #[default]
    Order,
    Customer,
    Amount,
    Authorized,
}

/// The orders table's columns: title, sort, width, numeric, when it gives way.
const ORDER_COLUMNS: [super::widgets::TableColumn<OrderColumn>; 7] = [
    ("Order", OrderColumn::Order, 96.0, false, None),
    ("Date", OrderColumn::Date, 104.0, false, Some(3)),
    ("Customer", OrderColumn::Customer, 150.0, false, None),
    ("Status", OrderColumn::Status, 124.0, false, None),
    ("Lines", OrderColumn::Lines, 50.0, true, Some(1)),
    ("Waiting", OrderColumn::Waiting, 62.0, true, Some(2)),
    ("Total", OrderColumn::Total, 96.0, true, Some(4)),
];

/// Asking why before cancelling an order or one line.
struct CancelDialog {
    order_id: OrderId,
    order_number: String,
    /// `Some`: only this line (id, SKU).
    line: Option<(i64, String)>,
    reason: CancelReason,
}

fn window_text(window: Option<EtaWindow>, style: DateStyle) -> String {
    window.map_or_else(|| "date unknown".to_owned(), |w| format_window(w, style))
}

/// The positions of `rows` in `sort` (rows come newest first: the date sort's descending order).
fn sorted_orders(rows: &[OrderSummary], sort: Sort<OrderColumn>) -> Vec<usize> {
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
            OrderColumn::Order => a.order_number.cmp(&b.order_number),
            OrderColumn::Date => a.ordered_at.cmp(&b.ordered_at),
            OrderColumn::Customer => a
                .customer_name
                .to_lowercase()
                .cmp(&b.customer_name.to_lowercase()),
            OrderColumn::Status => a.status_label().cmp(b.status_label()),
            OrderColumn::Lines => a.line_count.cmp(&b.line_count),
            OrderColumn::Waiting => a.units_waiting.cmp(&b.units_waiting),
            OrderColumn::Total => a.total_cents.cmp(&b.total_cents),
        };
        sort.apply(by).then_with(|| b.ordered_at.cmp(&a.ordered_at))
    });
    order
}

/// The oversold orders (id, number) in `sort`.
fn sorted_oversold<'a>(
    lines: &[OversoldLine],
    orders: &[(OrderId, &'a str)],
    sort: Sort<OversoldColumn>,
) -> Vec<(OrderId, &'a str)> {
    let first = |order_id: OrderId| lines.iter().find(|line| line.order_id == order_id);
    let waiting = |order_id: OrderId| -> i64 {
        lines
            .iter()
            .filter(|line| line.order_id == order_id)
            .map(|line| line.waiting)
            .sum()
    };
    super::widgets::sorted_positions(orders.len(), sort, |a, b, column| {
        let (a, b) = (orders[a], orders[b]);
        match column {
            OversoldColumn::Order => a.1.cmp(b.1),
            OversoldColumn::Customer => first(a.0)
                .map(|line| line.customer_name.to_lowercase())
                .cmp(&first(b.0).map(|line| line.customer_name.to_lowercase())),
            OversoldColumn::Date => first(a.0)
                .map(|line| &line.ordered_at)
                .cmp(&first(b.0).map(|line| &line.ordered_at)),
            OversoldColumn::Waiting => waiting(a.0).cmp(&waiting(b.0)),
        }
    })
    .into_iter()
    .map(|index| orders[index])
    .collect()
}

/// The positions of the Promises changed entries in `sort`.
fn sorted_changes(changes: &[PendingNotice], sort: Sort<ChangeColumn>) -> Vec<usize> {
    super::widgets::sorted_positions(changes.len(), sort, |a, b, column| {
        let (a, b) = (&changes[a], &changes[b]);
        match column {
            ChangeColumn::Drafted => a.drafted_on.cmp(&b.drafted_on),
            ChangeColumn::Order => a.order_number.cmp(&b.order_number),
            ChangeColumn::Customer => a
                .customer_name
                .to_lowercase()
                .cmp(&b.customer_name.to_lowercase()),
            ChangeColumn::Sku => a.sku.cmp(&b.sku),
            ChangeColumn::Now => (a.now.is_none(), a.now.map(|w| (w.start, w.end)))
                .cmp(&(b.now.is_none(), b.now.map(|w| (w.start, w.end)))),
            ChangeColumn::Why => a.reason.cmp(&b.reason),
        }
    })
}

/// "today", "1 day ago", "3 days ago".
fn age_text(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "1 day ago".to_owned(),
        _ => format!("{days} days ago"),
    }
}

/// The payment of an open order with the actions that fit its state.
fn payment_ui(
    ui: &mut Ui,
    summary: &OrderSummary,
    today: NaiveDate,
    max_age_days: i64,
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Payment").strong());
        let gate = summary.payment_gate();
        let color = match summary.payment {
            PaymentState::NotNeeded => theme::MUTED,
            PaymentState::Captured if gate.may_ship() => theme::OK,
            PaymentState::Failed => theme::ERROR,
            _ => theme::WARNING,
        };
        ui.label(RichText::new(summary.payment.label()).color(color));
        if summary.payment != PaymentState::NotNeeded
            && let Some(at) = summary.authorized_on()
        {
            let days = authorization_age_days(at, today);
            let text = age_text(days);
            if authorization_is_old(Some(at), today, max_age_days) {
                ui.label(
                    RichText::new(format!("{text} — may have lapsed"))
                        .color(theme::ERROR)
                        .strong(),
                );
            } else {
                ui.label(RichText::new(text).color(theme::MUTED));
            }
        }
        let due = summary.payment_figures().capture_due_cents();
        if due > 0 && summary.payment != PaymentState::Failed {
            ui.label(format!(
                "capture {} before shipping",
                super::format::formats(ui.ctx()).money(due)
            ));
        }
    });
    ui.horizontal(|ui| {
        let due = summary.payment_figures().capture_due_cents();
        let mut action = None;
        match summary.payment {
            PaymentState::NotNeeded => {
                if ui
                    .small_button("Card authorized")
                    .on_hover_text("The card was authorized: capture it before the order ships")
                    .clicked()
                {
                    action = Some(PaymentAction::Authorized);
                }
            }
            PaymentState::Authorized | PaymentState::Captured => {
                if due > 0 && ui.small_button("Captured").clicked() {
                    action = Some(PaymentAction::Captured);
                }
                if due > 0 && ui.small_button("Capture failed").clicked() {
                    action = Some(PaymentAction::CaptureFailed);
                }
                if ui.small_button("Re-authorized").clicked() {
                    action = Some(PaymentAction::Authorized);
                }
                if ui
                    .small_button("Payment not needed")
                    .on_hover_text("Paid another way: ships as soon as stock is reserved")
                    .clicked()
                {
                    action = Some(PaymentAction::NotNeeded);
                }
            }
            PaymentState::Failed => {
                if ui.small_button("Re-authorized").clicked() {
                    action = Some(PaymentAction::Authorized);
                }
                if due > 0 && ui.small_button("Captured").clicked() {
                    action = Some(PaymentAction::Captured);
                }
            }
        }
        if let Some(action) = action {
            commands.push(AppCommand::Payment(summary.order_id, action));
        }
    });
}

/// Under the lines: why each waiting line's window is what it is, and what became of each
/// line's first promise.
fn promise_notes_ui(
    ui: &mut Ui,
    detail: &OrderDetail,
    notes: &std::collections::HashMap<i64, LinePromiseNote>,
) {
    let shown: Vec<(&str, &LinePromiseNote)> = detail
        .lines
        .iter()
        .filter_map(|line| {
            notes
                .get(&line.line_id)
                .map(|note| (line.sku.as_str(), note))
        })
        .collect();
    if shown.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Promised dates").strong());
    for (sku, note) in shown {
        for text in [&note.explanation, &note.first_promise]
            .into_iter()
            .flatten()
        {
            ui.add(
                egui::Label::new(RichText::new(format!("{sku}: {text}")).color(theme::MUTED))
                    .wrap(),
            );
        }
    }
}

fn state_color(state: LineState) -> egui::Color32 {
    match state {
        LineState::Reserved | LineState::Shipped => theme::OK,
        LineState::PartlyReserved | LineState::Backordered => theme::WARNING,
        LineState::Preorder => theme::INFO,
        LineState::Cancelled => theme::MUTED,
    }
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
            let kept = super::widgets::kept_width(
                &super::widgets::fit_of(&ORDER_COLUMNS),
                ui.spacing().item_spacing.x,
            );
            let max = (ui.available_width() - kept).max(360.0);
            egui::Panel::right("order_detail")
                .resizable(true)
                .default_size(520.0_f32.min(ui.available_width() * 0.45).max(360.0))
                .min_size(360.0)
                .max_size(max)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("order_detail_scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.detail_ui(ui, today, commands));
                });
        }
        super::widgets::list_panel().show(ui, |ui| {
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
        let keys = super::widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((order_id, position)) = super::widgets::step_selection(
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

    /// Orders a storefront sold although the product does not allow backorders: at the top,
    /// with the two ways out.
    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn oversold_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        if self.oversold.is_empty() {
            return;
        }
        let mut orders: Vec<(OrderId, &str)> = Vec::new();
        for line in &self.oversold {
            if !orders.iter().any(|(id, _)| *id == line.order_id) {
                orders.push((line.order_id, line.order_number.as_str()));
            }
        }
        let mut sort = self.oversold_sort;
        let orders = sorted_oversold(&self.oversold, &orders, sort);
        let title = format!(
            "Oversold: {} order(s) took more than was available of products that do not allow \
             backorders. They are recorded (the storefront sold them): cancel the waiting units, \
             or keep them waiting and tell the customer when they can expect them",
            orders.len()
        );
        let mut clicked = None;
        let formats = super::format::formats(ui.ctx());
        ui.add_space(4.0);
        egui::Frame::new()
            .fill(theme::WARNING_FILL)
            .corner_radius(6)
            .inner_margin(8)
            .show(ui, |ui| {
                ui.label(RichText::new(title).strong().color(theme::ERROR));
                let selected = self.selected;
                let oversold = &self.oversold;
                // A share of the window, so a short one keeps room for the orders.
                let list_height = (ui.ctx().content_rect().height() * 0.2).clamp(60.0, 150.0);
                TableBuilder::new(ui)
                    .id_salt("oversold_table")
                    .striped(true)
                    .vscroll(true)
                    .min_scrolled_height(0.0)
                    .max_scroll_height(list_height)
                    .cell_layout(Layout::left_to_right(Align::Center))
                    .column(Column::exact(92.0))
                    .column(Column::initial(140.0).at_least(90.0).clip(true))
                    .column(Column::exact(if formats.dates == DateStyle::Iso { 84.0 } else { 96.0 }))
                    .column(Column::remainder().at_least(100.0).resizable(false).clip(true))
                    .column(Column::exact(230.0))
                    .column(Column::exact(160.0))
                    .header(theme::ROW_HEIGHT, |mut header| {
                        for (title, column) in [
                            ("Order", OversoldColumn::Order),
                            ("Customer", OversoldColumn::Customer),
                            ("Date", OversoldColumn::Date),
                            ("Units waiting", OversoldColumn::Waiting),
                        ] {
                            header.col(|ui| {
                                sort.header_ui(ui, title, column, false);
                            });
                        }
                        header.col(|_| {});
                        header.col(|_| {});
                    })
                    .body(|body| {
                        body.rows(theme::ROW_HEIGHT, orders.len(), |mut row| {
                            let (order_id, number) = orders[row.index()];
                            let lines: Vec<&OversoldLine> = oversold
                                .iter()
                                .filter(|line| line.order_id == order_id)
                                .collect();
                            let Some(first) = lines.first() else { return };
                            row.col(|ui| {
                                if ui
                                    .selectable_label(selected == Some(order_id), number)
                                    .clicked()
                                {
                                    clicked = Some(order_id);
                                }
                            });
                            row.col(|ui| {
                                ui.add(egui::Label::new(&first.customer_name).truncate());
                            });
                            row.col(|ui| {
                                ui.label(formats.stamp(&first.ordered_at, false));
                            });
                            row.col(|ui| {
                                ui.add(
                                    egui::Label::new(
                                        lines
                                            .iter()
                                            .map(|line| format!("{} × {} waiting", line.waiting, line.sku))
                                            .collect::<Vec<_>>()
                                            .join(", "),
                                    )
                                    .truncate(),
                                );
                            });
                            row.col(|ui| {
                                if ui
                                    .button(format!("Cancel waiting units of {number}"))
                                    .on_hover_text(
                                        "Cancels the units that wait (reserved units stay) and drafts the cancellation for the customer",
                                    )
                                    .clicked()
                                {
                                    commands.push(AppCommand::CancelOversold(order_id));
                                }
                            });
                            row.col(|ui| {
                                if ui
                                    .button(format!("Keep {number} waiting"))
                                    .on_hover_text(
                                        "The units wait for stock like any backorder; the backorder confirmation with its window is drafted for the customer",
                                    )
                                    .clicked()
                                {
                                    commands.push(AppCommand::KeepOversoldWaiting(order_id));
                                }
                            });
                        });
                    });
            });
        self.oversold_sort = sort;
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    /// The to-do list of notices to send: an entry leaves when its notice is sent or superseded,
    /// or when the line no longer waits. Opening an entry selects its draft in Messages.
    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn changes_ui(&mut self, ui: &mut Ui, today: NaiveDate, commands: &mut Vec<AppCommand>) {
        if self.changes.is_empty() {
            return;
        }
        let today_count = self
            .changes
            .iter()
            .filter(|c| c.drafted_on == today)
            .count();
        let title = format!(
            "Promises changed: {} line(s) ({today_count} today) — tell these customers",
            self.changes.len()
        );
        let style = super::format::formats(ui.ctx()).dates;
        ui.add_space(4.0);
        egui::Frame::new()
            .fill(theme::WARNING_FILL)
            .corner_radius(6)
            .inner_margin(8)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(title).strong().color(theme::WARNING));
                    let toggle = if self.hide_changes { "Show" } else { "Hide" };
                    if ui.small_button(toggle).clicked() {
                        self.hide_changes = !self.hide_changes;
                    }
                });
                if !self.hide_changes {
                    let changes = &self.changes;
                    let mut sort = self.changes_sort;
                    let order = sorted_changes(changes, sort);
                    // A share of the window, so a short one keeps room for the orders.
                    let list_height = (ui.ctx().content_rect().height() * 0.22).clamp(72.0, 180.0);
                    // A table whose Why column takes what is left (and is cut, full text on
                    // hover), so the list never runs past the window's edge.
                    TableBuilder::new(ui)
                        .id_salt("promise_changes_table")
                        .striped(true)
                        .vscroll(true)
                        .min_scrolled_height(0.0)
                        .max_scroll_height(list_height)
                        .cell_layout(Layout::left_to_right(Align::Center))
                        .column(Column::exact(if style == DateStyle::Iso {
                            84.0
                        } else {
                            76.0
                        }))
                        .column(Column::exact(92.0))
                        .column(Column::initial(150.0).at_least(90.0).clip(true))
                        .column(Column::initial(88.0).at_least(60.0).clip(true))
                        .column(Column::initial(190.0).at_least(120.0).clip(true))
                        .column(
                            Column::remainder()
                                .at_least(80.0)
                                .resizable(false)
                                .clip(true),
                        )
                        .column(Column::exact(96.0))
                        .header(theme::ROW_HEIGHT, |mut header| {
                            for (title, column) in [
                                ("Drafted", ChangeColumn::Drafted),
                                ("Order", ChangeColumn::Order),
                                ("Customer", ChangeColumn::Customer),
                                ("SKU", ChangeColumn::Sku),
                                ("Told → now", ChangeColumn::Now),
                                ("Why", ChangeColumn::Why),
                            ] {
                                header.col(|ui| {
                                    sort.header_ui(ui, title, column, false);
                                });
                            }
                            header.col(|_| {});
                        })
                        .body(|body| {
                            body.rows(theme::ROW_HEIGHT, order.len(), |mut row| {
                                let change = &changes[order[row.index()]];
                                let cut = |ui: &mut Ui, text: RichText| {
                                    ui.add(egui::Label::new(text).truncate());
                                };
                                row.col(|ui| {
                                    cut(ui, RichText::new(format_day(change.drafted_on, style)));
                                });
                                row.col(|ui| cut(ui, RichText::new(&change.order_number)));
                                row.col(|ui| {
                                    ui.add(egui::Label::new(&change.customer_name).truncate())
                                        .on_hover_text(&change.customer_email);
                                });
                                row.col(|ui| cut(ui, RichText::new(&change.sku)));
                                row.col(|ui| {
                                    cut(
                                        ui,
                                        RichText::new(format!(
                                            "{} → {}",
                                            window_text(change.before, style),
                                            window_text(change.now, style)
                                        )),
                                    );
                                });
                                row.col(|ui| {
                                    cut(
                                        ui,
                                        RichText::new(localize_dates(&change.reason, style))
                                            .color(theme::MUTED),
                                    );
                                });
                                row.col(|ui| {
                                    if ui
                                        .small_button("Open notice")
                                        .on_hover_text("Review and send it in Messages")
                                        .clicked()
                                    {
                                        commands.push(AppCommand::OpenMessage(change.message_id));
                                    }
                                });
                            });
                        });
                    self.changes_sort = sort;
                }
            });
    }

    fn table_ui(&mut self, ui: &mut Ui) {
        let mut clicked = None;
        let selected = self.selected;
        let rows = &self.rows;
        let order = &self.order;
        let formats = super::format::formats(ui.ctx());
        let fitted = super::widgets::fit_table(ui, &ORDER_COLUMNS);
        let shown = &fitted.shown;
        let mut sort = self.sort;
        super::widgets::solid_scroll_bar(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("orders_table", fitted.layout_key))
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .auto_shrink([false, false]);
        if let Some(position) = self.scroll_to.take() {
            table = table.scroll_to_row(position, None);
        }
        table = fitted.add_columns(table, OrderColumn::Customer, 40.0);
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
                    let order = &rows[order[row.index()]];
                    row.set_selected(selected == Some(order.order_id));
                    let label = |ui: &mut Ui, text: String| {
                        ui.add(egui::Label::new(text).truncate().selectable(false));
                    };
                    for (_, column, _, _) in shown {
                        row.col(|ui| match column {
                            OrderColumn::Order => label(ui, order.order_number.clone()),
                            OrderColumn::Date => label(ui, formats.stamp(&order.ordered_at, false)),
                            OrderColumn::Customer => label(ui, order.customer_name.clone()),
                            OrderColumn::Status => {
                                let progress = order.progress();
                                let color = match progress {
                                    OrderProgress::Waiting | OrderProgress::AwaitingCapture => {
                                        theme::WARNING
                                    }
                                    OrderProgress::PaymentFailed => theme::ERROR,
                                    OrderProgress::Ready | OrderProgress::ReadyPartial => theme::OK,
                                    OrderProgress::Shipped
                                    | OrderProgress::Cancelled
                                    | OrderProgress::Open => theme::MUTED,
                                };
                                ui.add(
                                    egui::Label::new(RichText::new(progress.label()).color(color))
                                        .truncate()
                                        .selectable(false),
                                );
                            }
                            OrderColumn::Lines => {
                                super::widgets::number_cell(ui, order.line_count.to_string());
                            }
                            OrderColumn::Waiting => {
                                super::widgets::number_cell(ui, order.units_waiting.to_string());
                            }
                            OrderColumn::Total => {
                                super::widgets::number_cell(ui, formats.money(order.total_cents));
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(order.order_id);
                    }
                });
            });
        self.sort = sort;
        if clicked.is_some() {
            self.selected = clicked;
            self.detail_closed = false;
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn detail_ui(&mut self, ui: &mut Ui, today: NaiveDate, commands: &mut Vec<AppCommand>) {
        let max_age = self.auth_max_age_days;
        let Some(detail) = &self.detail else {
            ui.label("This order no longer exists");
            return;
        };
        let summary = &detail.summary;
        let formats = super::format::formats(ui.ctx());
        ui.add_space(4.0);
        if super::widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&summary.order_number).heading().strong());
            ui.label(RichText::new(summary.status_label()).strong());
        }) {
            self.detail_closed = true;
        }
        let email = summary.customer_email.trim();
        if email.is_empty() {
            ui.label(&summary.customer_name);
        } else {
            ui.label(format!(
                "{} <{}>",
                summary.customer_name,
                summary.customer_email.escape_debug()
            ));
        }
        if !email.is_empty()
            && let Some(problem) = crate::domain::email::address_problem(email)
        {
            ui.colored_label(
                theme::WARNING,
                format!(
                    "The e-mail address is not valid ({problem}): messages to this customer                      cannot be saved or opened until it is corrected in the draft's To field"
                ),
            );
        }
        ui.label(
            RichText::new(format!(
                "Ordered {} · {} · total {}{}",
                formats.stamp(&summary.ordered_at, true),
                if summary.ship_complete {
                    "ships complete"
                } else {
                    "ships partial"
                },
                formats.money(summary.total_cents),
                if detail.storefront.currency.is_empty()
                    || detail
                        .storefront
                        .currency
                        .eq_ignore_ascii_case(formats.currency.code())
                {
                    String::new()
                } else {
                    format!(" {}", detail.storefront.currency)
                }
            ))
            .color(theme::MUTED),
        );
        if let Some(shop) = detail.storefront.storefront {
            let status = if detail.storefront.status_text.is_empty() {
                String::new()
            } else {
                format!(" · payment there: {}", detail.storefront.status_text)
            };
            ui.label(
                RichText::new(format!(
                    "From {shop} (order {}){status}",
                    detail.storefront.storefront_order_id
                ))
                .color(theme::MUTED),
            );
        }
        if summary.customer_email.trim().is_empty() {
            ui.colored_label(
                theme::WARNING,
                if detail.storefront.storefront.is_some() {
                    "No e-mail address: no message is drafted for this customer until one is added (Ship-to…)"
                } else {
                    "No e-mail address: drafts for this customer wait in the Outbox until one is added (Ship-to…)"
                },
            );
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Ship to").strong());
            if ui.small_button("Ship-to…").clicked() {
                self.ship_to_dialog = Some(ShipToDialog {
                    order_id: summary.order_id,
                    order_number: summary.order_number.clone(),
                    ship_to: detail.ship_to.clone(),
                    email: summary.customer_email.trim().is_empty().then(String::new),
                });
            }
        });
        let address = detail.ship_to.lines();
        if address.is_empty() {
            ui.label(RichText::new("No address on the order").color(theme::MUTED));
        } else {
            for line in address {
                ui.label(line);
            }
        }
        if !self.shipments.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("Shipments").strong());
            for shipment in &self.shipments {
                let tracking = if shipment.tracking_number.is_empty() {
                    "no tracking number".to_owned()
                } else {
                    format!("tracking {}", shipment.tracking_number)
                };
                ui.add(
                    egui::Label::new(format!(
                        "{} · {} unit(s) · {tracking}",
                        formats.stamp(&shipment.shipped_at, false),
                        shipment.units
                    ))
                    .wrap(),
                );
            }
        }
        let open = summary.status == OrderStatus::Open;
        if open {
            payment_ui(ui, summary, today, max_age, commands);
        }
        if open {
            ui.horizontal(|ui| {
                let label = ui.label("Priority");
                let mut priority = summary.priority;
                egui::ComboBox::from_id_salt("order_priority")
                    .selected_text(if priority == Priority::High {
                        "High"
                    } else {
                        "Normal"
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut priority, Priority::Normal, "Normal");
                        ui.selectable_value(&mut priority, Priority::High, "High");
                    })
                    .response
                    .labelled_by(label.id);
                if priority != summary.priority {
                    commands.push(AppCommand::ChangePriority(summary.order_id, priority));
                }
            });
        }
        ui.add_space(6.0);
        let mut cancel_request = None;
        egui::Grid::new("order_lines")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for header in ["SKU", "Item", "Qty", "Status", ""] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                for line in &detail.lines {
                    ui.label(&line.sku);
                    ui.allocate_ui_with_layout(
                        egui::vec2(170.0, 18.0),
                        Layout::left_to_right(Align::Center),
                        |ui| ui.add(egui::Label::new(&line.name).truncate()),
                    );
                    ui.label(line.quantities.ordered.to_string());
                    let window = line.promise.as_ref().and_then(|p| p.window);
                    let state = line.state();
                    let mut badge = line
                        .quantities
                        .badge(line.policy, window)
                        .text(formats.dates);
                    if line.oversold && state.is_waiting() {
                        badge.push_str(" · oversold");
                    }
                    if let Some(flags) = line.promise.as_ref().map(|p| &p.flags)
                        && state.is_waiting()
                        && flags.iter().any(|f| *f != PromiseFlag::DateUnknown)
                    {
                        // The badge already says "date unknown".
                        let names: Vec<&str> = flags
                            .iter()
                            .filter(|f| **f != PromiseFlag::DateUnknown)
                            .map(|f| f.label())
                            .collect();
                        badge.push_str(&format!(" · {}", names.join(", ")));
                    }
                    // Long states (oversold, flags) wrap instead of widening the panel
                    // over the order list.
                    ui.allocate_ui_with_layout(
                        egui::vec2(230.0, 18.0),
                        Layout::top_down(Align::Min),
                        |ui| {
                            ui.set_max_width(230.0);
                            ui.add(
                                egui::Label::new(RichText::new(badge).color(state_color(state)))
                                    .wrap(),
                            )
                        },
                    );
                    if open && line.quantities.open() > 0 {
                        if ui.small_button("Cancel line…").clicked() {
                            cancel_request = Some(CancelDialog {
                                order_id: summary.order_id,
                                order_number: summary.order_number.clone(),
                                line: Some((line.line_id, line.sku.clone())),
                                reason: CancelReason::Customer,
                            });
                        }
                    } else if let Some(reason) = line.cancel_reason {
                        ui.label(RichText::new(reason.label()).color(theme::MUTED));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
        promise_notes_ui(ui, detail, &self.notes);
        ui.add_space(8.0);
        if open {
            ui.horizontal(|ui| {
                let ready = summary.is_ready();
                let gate = summary.payment_gate().refusal(&summary.order_number);
                let ship = ui
                    .add_enabled(ready && gate.is_none(), egui::Button::new("Ship reserved"))
                    .on_disabled_hover_text(match &gate {
                        Some(reason) if ready => reason.as_str(),
                        _ if summary.ship_complete => {
                            "Ships complete: waits until every line is in stock"
                        }
                        _ => "Nothing is reserved yet",
                    });
                if ship.clicked() {
                    commands.push(AppCommand::AskFirst(super::confirm::Bulk::ShipOrder(
                        summary.order_id,
                    )));
                }
                if ui.button("Cancel order…").clicked() {
                    cancel_request = Some(CancelDialog {
                        order_id: summary.order_id,
                        order_number: summary.order_number.clone(),
                        line: None,
                        reason: CancelReason::Customer,
                    });
                }
            });
        }
        if ui.button("Packing slip…").clicked() {
            commands.push(AppCommand::PickList(PickListCommand::PackingSlip(
                summary.order_id,
            )));
        }
        super::messages::order_history_ui(
            ui,
            &self.messages,
            summary.order_id,
            open && summary.units_waiting > 0,
            commands,
        );
        if cancel_request.is_some() {
            self.confirm_cancel = cancel_request;
        }
    }

    /// The Capture payment list: ready orders whose card must be captured before they ship.
    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn capture_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        if self.capture.is_empty() {
            ui.add_space(20.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("Nothing to capture").heading());
                ui.label(
                    "Orders paid by card appear here when their stock is reserved, before they can ship",
                );
            });
            return;
        }
        let formats = super::format::formats(ui.ctx());
        let total: i64 = self
            .capture
            .iter()
            .filter(|row| !row.failed)
            .map(|row| row.amount_cents)
            .sum();
        ui.add(
            egui::Label::new(format!(
                "{} order(s) ready to ship once paid: capture {} in your payment provider, then record it here. Authorizations older than {} days are marked: they may have lapsed",
                self.capture.len(),
                formats.money(total),
                self.auth_max_age_days
            ))
            .wrap(),
        );
        let sort = self.capture_sort;
        let mut order: Vec<&CaptureRow> = self.capture.iter().collect();
        order.sort_by(|a, b| {
            let by = match sort.column {
                CaptureColumn::Order => a.summary.order_number.cmp(&b.summary.order_number),
                CaptureColumn::Customer => a
                    .summary
                    .customer_name
                    .to_lowercase()
                    .cmp(&b.summary.customer_name.to_lowercase()),
                CaptureColumn::Amount => a.amount_cents.cmp(&b.amount_cents),
                CaptureColumn::Authorized => {
                    a.authorization_age_days.cmp(&b.authorization_age_days)
                }
            };
            sort.apply(by)
        });
        let mut new_sort = sort;
        ui.add_space(4.0);
        let mut clicked = None;
        let selected = self.selected;
        egui::ScrollArea::both()
            .id_salt("capture_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("capture_grid")
                    .striped(true)
                    .num_columns(7)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        new_sort.header_ui(ui, "Order", CaptureColumn::Order, false);
                        new_sort.header_ui(ui, "Customer", CaptureColumn::Customer, false);
                        new_sort.header_ui(ui, "Amount", CaptureColumn::Amount, false);
                        ui.label(RichText::new("Payment").strong());
                        new_sort.header_ui(ui, "Authorized", CaptureColumn::Authorized, false);
                        ui.label("");
                        ui.label("");
                        ui.end_row();
                        for row in order {
                            let summary = &row.summary;
                            if ui
                                .selectable_label(
                                    selected == Some(summary.order_id),
                                    &summary.order_number,
                                )
                                .clicked()
                            {
                                clicked = Some(summary.order_id);
                            }
                            ui.label(&summary.customer_name);
                            super::widgets::number_sized(ui, 90.0, formats.money(row.amount_cents));
                            let color = if row.failed {
                                theme::ERROR
                            } else {
                                theme::WARNING
                            };
                            ui.label(RichText::new(summary.payment.label()).color(color));
                            match row.authorization_age_days {
                                Some(days) if row.authorization_old => {
                                    ui.label(
                                        RichText::new(format!("{days} days ago — may have lapsed"))
                                            .color(theme::ERROR)
                                            .strong(),
                                    );
                                }
                                Some(days) => {
                                    ui.label(age_text(days));
                                }
                                None => {
                                    ui.label("–");
                                }
                            }
                            if row.failed {
                                if ui
                                    .button(format!("Re-authorized {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::Authorized,
                                    ));
                                }
                                ui.label("");
                            } else {
                                if ui
                                    .button(format!("Captured {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::Captured,
                                    ));
                                }
                                if ui
                                    .button(format!("Capture failed {}", summary.order_number))
                                    .clicked()
                                {
                                    commands.push(AppCommand::Payment(
                                        summary.order_id,
                                        PaymentAction::CaptureFailed,
                                    ));
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        self.capture_sort = new_sort;
        if clicked.is_some() {
            self.selected = clicked;
            self.detail_closed = false;
        }
    }

    fn dialogs_ui(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        version: u64,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
        if let Some(dialog) = &mut self.confirm_cancel {
            let mut close = false;
            Modal::new(Id::unique("confirm_cancel_order")).show(ctx, |ui| {
                ui.set_width(420.0);
                let (title, body, yes, no) = match &dialog.line {
                    None => (
                        "Cancel order?".to_owned(),
                        format!(
                            "Every open line of {} is cancelled; its reserved stock goes to the next customers in line.",
                            dialog.order_number
                        ),
                        "Cancel order",
                        "Keep order",
                    ),
                    Some((_, sku)) => (
                        "Cancel line?".to_owned(),
                        format!(
                            "The open units of {sku} on {} are cancelled; its reserved stock goes to the next customers in line.",
                            dialog.order_number
                        ),
                        "Cancel line",
                        "Keep line",
                    ),
                };
                ui.heading(title);
                ui.label(body);
                ui.add_space(6.0);
                ui.label(RichText::new("Why?").strong());
                for reason in CancelReason::ALL {
                    ui.radio_value(&mut dialog.reason, reason, reason.label());
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button(yes).clicked() {
                        commands.push(match dialog.line {
                            None => AppCommand::CancelOrder(dialog.order_id, Some(dialog.reason)),
                            Some((line_id, _)) => {
                                AppCommand::CancelLine(line_id, Some(dialog.reason))
                            }
                        });
                        close = true;
                    }
                    if ui.button(no).clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        close = true;
                    }
                });
            });
            if close {
                self.confirm_cancel = None;
            }
        }
        if let Some(dialog) = &mut self.ship_to_dialog {
            let mut close = false;
            Modal::new(Id::unique("ship_to_dialog")).show(ctx, |ui| {
                ui.set_width(440.0);
                ui.heading(format!("Ship-to address of {}", dialog.order_number));
                ship_to_fields_ui(ui, "edit", &mut dialog.ship_to);
                if let Some(email) = &mut dialog.email {
                    ui.horizontal(|ui| {
                        let label = ui.label("Customer e-mail");
                        ui.add(TextEdit::singleline(email).desired_width(260.0))
                            .labelled_by(label.id);
                    });
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Save address").clicked() {
                        commands.push(AppCommand::SetShipTo {
                            order_id: dialog.order_id,
                            ship_to: Box::new(dialog.ship_to.clone()),
                            email: dialog.email.clone().filter(|e| !e.trim().is_empty()),
                        });
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                        close = true;
                    }
                });
            });
            if close {
                self.ship_to_dialog = None;
            }
        }
        let Some(form) = &mut self.form else { return };
        match form.ui(ctx, store, version, today) {
            EntryOutcome::Open => {}
            EntryOutcome::Cancel => self.form = None,
            EntryOutcome::Place(input, ship_to) => {
                commands.push(AppCommand::PlaceOrder(input, ship_to));
            }
        }
    }
}
