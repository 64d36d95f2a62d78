//! The products table: its columns, how they give way on a narrow window, and each cell.

use egui::{Align, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::store::{CatalogRow, ProductId, Store};
use crate::ui::shared::actions::Action;
use crate::ui::shared::format;
use crate::ui::shared::format::ShopFormats;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use super::CatalogScreen;
use super::view::SortColumn;

pub(super) struct ColumnSpec {
    column: SortColumn,
    title: &'static str,
    width: f32,
    numeric: bool,
    /// When the column gives way to a narrow window (lower first); `None`: always shown.
    gives_way: Option<u8>,
}

pub(super) const COLUMNS: [ColumnSpec; 13] = [
    ColumnSpec {
        column: SortColumn::Sku,
        title: "SKU",
        width: 96.0,
        numeric: false,
        gives_way: None,
    },
    ColumnSpec {
        column: SortColumn::Name,
        title: "Name",
        // The least width: the name column takes what the others leave.
        width: 180.0,
        numeric: false,
        gives_way: None,
    },
    ColumnSpec {
        column: SortColumn::Category,
        title: "Category",
        width: 86.0,
        numeric: false,
        gives_way: Some(2),
    },
    ColumnSpec {
        column: SortColumn::Location,
        title: "Bin",
        width: 56.0,
        numeric: false,
        gives_way: Some(1),
    },
    ColumnSpec {
        column: SortColumn::OnHand,
        title: "On hand",
        width: 62.0,
        numeric: true,
        gives_way: Some(9),
    },
    ColumnSpec {
        column: SortColumn::Reserved,
        title: "Reserved",
        width: 66.0,
        numeric: true,
        gives_way: Some(6),
    },
    ColumnSpec {
        column: SortColumn::Available,
        title: "Available",
        width: 68.0,
        numeric: true,
        gives_way: None,
    },
    ColumnSpec {
        column: SortColumn::OnOrder,
        title: "On order",
        width: 64.0,
        numeric: true,
        gives_way: Some(5),
    },
    ColumnSpec {
        column: SortColumn::Backordered,
        title: "Backordered",
        width: 84.0,
        numeric: true,
        gives_way: Some(8),
    },
    ColumnSpec {
        column: SortColumn::Status,
        title: "Status",
        width: 210.0,
        numeric: false,
        gives_way: None,
    },
    ColumnSpec {
        column: SortColumn::Price,
        title: "Price",
        width: 64.0,
        numeric: true,
        gives_way: Some(7),
    },
    ColumnSpec {
        column: SortColumn::Supplier,
        title: "Supplier",
        width: 130.0,
        numeric: false,
        gives_way: Some(3),
    },
    ColumnSpec {
        column: SortColumn::LeadTime,
        title: "Lead time",
        width: 64.0,
        numeric: true,
        gives_way: Some(4),
    },
];

/// The status column's width: ISO windows are longer.
pub(super) fn status_width(dates: crate::domain::promise::DateStyle) -> f32 {
    if dates == crate::domain::promise::DateStyle::Iso {
        260.0
    } else {
        210.0
    }
}

/// The table's columns as [`widgets::fit_columns`] weighs them.
pub(super) fn fit_columns(dates: crate::domain::promise::DateStyle) -> Vec<widgets::FitColumn> {
    COLUMNS
        .iter()
        .map(|spec| widgets::FitColumn {
            width: if spec.column == SortColumn::Status {
                status_width(dates)
            } else {
                spec.width
            },
            gives_way: spec.gives_way,
        })
        .collect()
}

pub(super) fn cell_ui(ui: &mut Ui, product: &CatalogRow, spec: &ColumnSpec, formats: &ShopFormats) {
    let text = match spec.column {
        SortColumn::Status => {
            let badge = product.badge_text_in(formats.dates);
            theme::badge_text_ui(ui, product.status(), &badge).on_hover_text(&badge);
            return;
        }
        SortColumn::Sku if product.sku_derived => {
            // A key derived from the shop identity: shown apart, never a SKU of the shop.
            ui.add(
                egui::Label::new(RichText::new(&product.sku).italics().color(theme::MUTED))
                    .truncate()
                    .selectable(false),
            )
            .on_hover_text(NO_SKU_HINT);
            return;
        }
        SortColumn::Backordered if product.slipping_lines > 0 => {
            let text = format!(
                "{} · {} slip",
                product.figures.backordered, product.slipping_lines
            );
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                ui.add(
                    egui::Label::new(RichText::new(text).color(theme::ERROR))
                        .truncate()
                        .selectable(false),
                )
                .on_hover_text(format!(
                    "{} customer date{} move a day later every day without a purchase order",
                    product.slipping_lines,
                    if product.slipping_lines == 1 { "" } else { "s" }
                ));
            });
            return;
        }
        SortColumn::Sku => product.sku.clone(),
        SortColumn::Name => product.name.clone(),
        SortColumn::Category => product.category.clone(),
        SortColumn::Location => product.location.clone(),
        SortColumn::OnHand | SortColumn::Available if !product.track_stock => "–".to_owned(),
        SortColumn::OnHand => product.figures.on_hand.to_string(),
        SortColumn::Reserved => product.figures.reserved.to_string(),
        SortColumn::Available => product.figures.available().to_string(),
        SortColumn::OnOrder => product.figures.on_order.to_string(),
        SortColumn::Backordered => product.figures.backordered.to_string(),
        SortColumn::Price => price_text(product, formats),
        SortColumn::Supplier => product.supplier.clone(),
        SortColumn::LeadTime => product
            .lead_time_days
            .map_or_else(|| "–".to_owned(), |days| format!("{days} d")),
    };
    if spec.numeric {
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.add(egui::Label::new(text).truncate().selectable(false));
        });
    } else {
        ui.add(egui::Label::new(text).truncate().selectable(false));
    }
}

/// What the SKU column says about a key derived from the shop identity.
pub(super) const NO_SKU_HINT: &str = "No SKU in the shop: this key is made from the product's handle and \
                           options (or parent and attributes) there, and is never written back \
                           to the shop as a SKU";

/// "$12.50", or "$9.99 (sale; $12.50)" while on sale.
pub(super) fn price_text(product: &CatalogRow, formats: &ShopFormats) -> String {
    match product.sale_price_cents {
        Some(sale) => format!(
            "{} (sale; {})",
            formats.money(sale),
            formats.money(product.price_cents)
        ),
        None => formats.money(product.price_cents),
    }
}

/// `12345` → `12,345`.
pub fn thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl CatalogScreen {
    pub(super) fn table_ui(&mut self, ui: &mut Ui, store: &Store) {
        let mut clicked: Option<ProductId> = None;
        let mut double_clicked: Option<ProductId> = None;
        let mut sort_clicked: Option<SortColumn> = None;
        let selected = self.selected;

        let formats = format::formats(ui.ctx());
        // Measure, then allocate: the columns that fit the width, the rest give way in their
        // set order (bin, category, supplier, lead time, …); SKU, name, available and the status
        // always stay.
        let status_width = status_width(formats.dates);
        let fit = fit_columns(formats.dates);
        let spacing = ui.spacing().item_spacing.x;
        // The vertical scroll bar takes its room at the right.
        let shown_flags = widgets::fit_columns(&fit, ui.available_width() - 16.0, spacing);
        let shown: Vec<&ColumnSpec> = COLUMNS
            .iter()
            .zip(&shown_flags)
            .filter(|(_, shown)| **shown)
            .map(|(spec, _)| spec)
            .collect();
        // Each set of columns keeps its own widths.
        let layout_key: u32 = shown_flags
            .iter()
            .enumerate()
            .map(|(index, shown)| u32::from(*shown) << index)
            .sum();
        widgets::solid_scroll_bar(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("catalog_table", layout_key))
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .min_scrolled_height(0.0)
            .auto_shrink([false, false]);
        if let Some(position) = self.scroll_to.take() {
            table = table.scroll_to_row(position, None);
        }
        // The last column has no resize handle: it would sit on the details panel's edge and
        // take the drags meant for the panel.
        let last = shown.last().map(|spec| spec.column);
        for spec in &shown {
            let column = match spec.column {
                // The name takes what the others leave (recomputed each frame: not resizable).
                SortColumn::Name => Column::remainder()
                    .at_least(spec.width)
                    .resizable(false)
                    .clip(true),
                SortColumn::Status => Column::initial(status_width)
                    .at_least(120.0)
                    .clip(true)
                    .resizable(Some(spec.column) != last),
                _ => Column::initial(spec.width)
                    .at_least(40.0)
                    .clip(true)
                    .resizable(Some(spec.column) != last),
            };
            table = table.column(column);
        }
        let view = &self.view;
        let (sort_column, ascending) = (self.sort_column, self.ascending);
        table
            .header(theme::ROW_HEIGHT, |mut header| {
                for spec in &shown {
                    header.col(|ui| {
                        let mut sort = widgets::Sort::new(sort_column, ascending);
                        if sort.header_ui(ui, spec.title, spec.column, spec.numeric) {
                            sort_clicked = Some(spec.column);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, view.visible_len(), |mut row| {
                    let Some(product) = view.visible_row(row.index()) else {
                        return;
                    };
                    row.set_selected(selected == Some(product.product_id));
                    for spec in &shown {
                        row.col(|ui| cell_ui(ui, product, spec, &formats));
                    }
                    let response = row.response();
                    if response.clicked() {
                        clicked = Some(product.product_id);
                    }
                    if response.double_clicked() {
                        double_clicked = Some(product.product_id);
                    }
                });
            });

        if let Some(column) = sort_clicked {
            if self.sort_column == column {
                self.ascending = !self.ascending;
            } else {
                self.sort_column = column;
                self.ascending = true;
            }
        }
        if let Some(product_id) = clicked {
            self.selected = Some(product_id);
            self.detail_closed = false;
        }
        if let Some(product_id) = double_clicked {
            self.selected = Some(product_id);
            self.action(Action::EditProduct, store);
        }
    }
}
