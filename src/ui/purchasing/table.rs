//! The purchase orders table: columns that give way on a narrow window, sorting, rows.

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, Sense, Ui};
use egui_extras::TableBuilder;

use crate::store::purchasing::PoSummary;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;
use crate::ui::shared::widgets::Sort;

use super::PurchasingScreen;

/// The purchase order table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum PoColumn {
    Po,
    Supplier,
    Ordered,
    /// The order the list is read in: open ones by expected date, then the rest newest first.
    #[default]
    Expected,
    Status,
    Received,
}

impl widgets::SortColumn for PoColumn {}

/// Title, sort, width, numeric, when it gives way.
pub(super) const PO_COLUMNS: [widgets::TableColumn<PoColumn>; 6] = [
    ("PO", PoColumn::Po, 90.0, false, None),
    ("Supplier", PoColumn::Supplier, 150.0, false, None),
    ("Ordered", PoColumn::Ordered, 104.0, false, Some(1)),
    ("Expected", PoColumn::Expected, 170.0, false, None),
    ("Status", PoColumn::Status, 120.0, false, Some(2)),
    ("Received", PoColumn::Received, 90.0, true, Some(3)),
];

/// The rows' positions in `sort`; the default keeps the order they are read in.
pub(super) fn sorted_pos(rows: &[PoSummary], sort: Sort<PoColumn>) -> Vec<usize> {
    widgets::sorted_rows(rows.len(), sort, |a, b| {
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
    })
}

impl PurchasingScreen {
    pub(super) fn table_ui(&mut self, ui: &mut Ui, today: NaiveDate, order: &[usize]) {
        let mut clicked = None;
        let selected = self.selected;
        let rows = &self.rows;
        let formats = format::formats(ui.ctx());
        let fitted = widgets::fit_table(ui, &PO_COLUMNS);
        let shown = &fitted.shown;
        let mut sort = self.sort;
        widgets::solid_scroll_bar(ui);
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
                                widgets::number_cell(
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
}
