//! The orders table: columns that give way on a narrow window, sorting, rows.

use egui::{Align, Layout, RichText, Sense, Ui};
use egui_extras::TableBuilder;

use crate::domain::order::OrderProgress;
use crate::store::orders::OrderSummary;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

use super::OrdersScreen;

impl widgets::SortColumn for OrderColumn {
    const FIRST_ASCENDING: bool = false;
}

/// The orders table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum OrderColumn {
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

/// The orders table's columns: title, sort, width, numeric, when it gives way.
pub(super) const ORDER_COLUMNS: [widgets::TableColumn<OrderColumn>; 7] = [
    ("Order", OrderColumn::Order, 96.0, false, None),
    ("Date", OrderColumn::Date, 104.0, false, Some(3)),
    ("Customer", OrderColumn::Customer, 150.0, false, None),
    ("Status", OrderColumn::Status, 124.0, false, None),
    ("Lines", OrderColumn::Lines, 50.0, true, Some(1)),
    ("Waiting", OrderColumn::Waiting, 62.0, true, Some(2)),
    ("Total", OrderColumn::Total, 96.0, true, Some(4)),
];

/// The positions of `rows` in `sort` (rows come newest first: the date sort's descending order).
pub(super) fn sorted_orders(rows: &[OrderSummary], sort: Sort<OrderColumn>) -> Vec<usize> {
    widgets::sorted_rows(rows.len(), sort, |a, b| {
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
    })
}

impl OrdersScreen {
    pub(super) fn table_ui(&mut self, ui: &mut Ui) {
        let mut clicked = None;
        let selected = self.selected;
        let rows = &self.rows;
        let order = &self.order;
        let formats = format::formats(ui.ctx());
        let fitted = widgets::fit_table(ui, &ORDER_COLUMNS);
        let shown = &fitted.shown;
        let mut sort = self.sort;
        widgets::solid_scroll_bar(ui);
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
                                widgets::number_cell(ui, order.line_count.to_string());
                            }
                            OrderColumn::Waiting => {
                                widgets::number_cell(ui, order.units_waiting.to_string());
                            }
                            OrderColumn::Total => {
                                widgets::number_cell(ui, formats.money(order.total_cents));
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
}
