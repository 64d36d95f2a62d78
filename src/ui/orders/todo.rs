//! The lists above the table: oversold orders with the two ways out, and the notices to send
//! after promises changed.

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::promise::{DateStyle, EtaWindow, format_day, format_window, localize_dates};
use crate::store::messages::PendingNotice;
use crate::store::orders::OrderId;
use crate::store::shop_orders::OversoldLine;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

use super::OrdersScreen;

/// The "Promises changed" list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ChangeColumn {
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

impl widgets::SortColumn for ChangeColumn {
    const FIRST_ASCENDING: bool = false;
}

/// The oversold list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum OversoldColumn {
    Order,
    Customer,
    /// Oldest order first by default (the order the list is read in).
    #[default]
    Date,
    /// By the units waiting.
    Waiting,
}

impl widgets::SortColumn for OversoldColumn {}

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
    widgets::sorted_positions(orders.len(), sort, |a, b, column| {
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
    widgets::sorted_positions(changes.len(), sort, |a, b, column| {
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

pub(super) fn window_text(window: Option<EtaWindow>, style: DateStyle) -> String {
    window.map_or_else(|| "date unknown".to_owned(), |w| format_window(w, style))
}

impl OrdersScreen {
    /// Orders a storefront sold although the product does not allow backorders: at the top,
    /// with the two ways out.
    #[expect(
        clippy::too_many_lines,
        reason = "draws the oversold list: its title, sortable header and each order's row with its two buttons"
    )]
    pub(super) fn oversold_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
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
        let formats = format::formats(ui.ctx());
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
        reason = "draws the Promises changed list: its title, show/hide, sortable header and one row per notice"
    )]
    pub(super) fn changes_ui(
        &mut self,
        ui: &mut Ui,
        today: NaiveDate,
        commands: &mut Vec<AppCommand>,
    ) {
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
        let style = format::formats(ui.ctx()).dates;
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
}
