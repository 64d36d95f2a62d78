//! The catalog: every product with its stock figures and badge; search, sort, filter, edit.
//!
//! Rows come from one store query when the data version changes: on the window's thread for a
//! catalog of up to `SYNC_LOAD_LIMIT` products (a few milliseconds), on a worker thread with its
//! own connection for a larger one, while the previous rows stay on screen. The filtered and
//! sorted row order is cached and rebuilt only when the data, the search text, a filter or the
//! sort change; the table draws only the rows on screen, so 100,000 products stay smooth.

use std::cmp::Ordering;

use egui::{Align, Layout, RichText, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::actions::Action;
use super::command::AppCommand;
use super::format::ShopFormats;
use super::product_form::{FormOutcome, ProductForm};
use super::theme;
use super::widgets::{Confirm, confirm_ui};
use crate::app::catalog::catalog_rows;
use crate::app::jobs::Job;
use crate::domain::StockStatus;
use crate::store::{CatalogRow, Movement, ProductId, Store};
use chrono::NaiveDate;

/// Catalogs of up to this many products are read on the window's thread (the query and the
/// view take a few milliseconds); larger ones on a worker thread.
pub const SYNC_LOAD_LIMIT: usize = 20_000;

/// What a catalog load produces: the rows in their view (sorted and filtered as asked) and the
/// names for the filters.
pub struct LoadedCatalog {
    pub view: CatalogView,
    pub suppliers: Vec<String>,
    pub categories: Vec<String>,
}

impl LoadedCatalog {
    /// Reads the catalog and builds its view for `filter` and the sort (pure work on `store`,
    /// so a worker thread can run it on its own connection).
    pub fn load(
        store: &Store,
        today: NaiveDate,
        filter: &CatalogFilter,
        sort: (SortColumn, bool),
    ) -> Result<Self, String> {
        let rows = catalog_rows(store, today)
            .map_err(|error| format!("Cannot read the catalog: {error}"))?;
        let mut view = CatalogView::default();
        view.set_rows(rows);
        view.update(filter, sort.0, sort.1);
        Ok(Self {
            view,
            suppliers: store.supplier_names().unwrap_or_default(),
            categories: store.category_names().unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Sku,
    Name,
    Category,
    Location,
    OnHand,
    Reserved,
    Available,
    OnOrder,
    Backordered,
    Status,
    Price,
    Supplier,
    LeadTime,
}

struct ColumnSpec {
    column: SortColumn,
    title: &'static str,
    width: f32,
    numeric: bool,
    /// When the column gives way to a narrow window (lower first); `None`: always shown.
    gives_way: Option<u8>,
}

const COLUMNS: [ColumnSpec; 13] = [
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
fn status_width(dates: crate::domain::promise::DateStyle) -> f32 {
    if dates == crate::domain::promise::DateStyle::Iso {
        260.0
    } else {
        210.0
    }
}

/// The table's columns as [`super::widgets::fit_columns`] weighs them.
fn fit_columns(dates: crate::domain::promise::DateStyle) -> Vec<super::widgets::FitColumn> {
    COLUMNS
        .iter()
        .map(|spec| super::widgets::FitColumn {
            width: if spec.column == SortColumn::Status {
                status_width(dates)
            } else {
                spec.width
            },
            gives_way: spec.gives_way,
        })
        .collect()
}

fn compare(a: &CatalogRow, b: &CatalogRow, column: SortColumn) -> Ordering {
    let by = match column {
        SortColumn::Sku => Ordering::Equal,
        SortColumn::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        SortColumn::Category => a.category.cmp(&b.category),
        SortColumn::Location => a.location.cmp(&b.location),
        SortColumn::OnHand => a.figures.on_hand.cmp(&b.figures.on_hand),
        SortColumn::Reserved => a.figures.reserved.cmp(&b.figures.reserved),
        SortColumn::Available => a.figures.available().cmp(&b.figures.available()),
        SortColumn::OnOrder => a.figures.on_order.cmp(&b.figures.on_order),
        SortColumn::Backordered => a.figures.backordered.cmp(&b.figures.backordered),
        SortColumn::Status => (a.status() as u8).cmp(&(b.status() as u8)),
        SortColumn::Price => a.price_cents.cmp(&b.price_cents),
        SortColumn::Supplier => a.supplier.cmp(&b.supplier),
        SortColumn::LeadTime => a.lead_time_days.cmp(&b.lead_time_days),
    };
    by.then_with(|| a.sku.cmp(&b.sku))
}

/// The search text and filters that decide which rows show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogFilter {
    pub search: String,
    pub status: Option<StockStatus>,
    pub supplier: Option<String>,
}

/// Product rows and the cached view order. Pure data: no egui, so benchmarks can time it.
#[derive(Default)]
pub struct CatalogView {
    rows: Vec<CatalogRow>,
    /// Lower-cased "sku name category" per row, for search.
    search_keys: Vec<String>,
    statuses: Vec<StockStatus>,
    /// All row indices in the current sort order.
    sorted: Vec<u32>,
    sorted_by: Option<(SortColumn, bool)>,
    /// Row indices that pass the filter, in sort order: what the table shows.
    visible: Vec<u32>,
    visible_for: Option<(CatalogFilter, SortColumn, bool)>,
}

impl CatalogView {
    pub fn set_rows(&mut self, mut rows: Vec<CatalogRow>) {
        rows.sort_by(|a, b| a.sku.cmp(&b.sku));
        self.search_keys = rows
            .iter()
            .map(|row| format!("{} {} {}", row.sku, row.name, row.category).to_lowercase())
            .collect();
        self.statuses = rows.iter().map(CatalogRow::status).collect();
        self.rows = rows;
        self.sorted_by = None;
        self.visible_for = None;
    }

    pub fn rows(&self) -> &[CatalogRow] {
        &self.rows
    }

    /// Rebuilds the visible order if the filter or sort changed since the last call.
    pub fn update(&mut self, filter: &CatalogFilter, column: SortColumn, ascending: bool) {
        if self.sorted_by != Some((column, ascending)) {
            let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
            let rows = &self.rows;
            match column {
                // Rows are kept in SKU order already.
                SortColumn::Sku => {}
                // Lower-case each name once, not once per comparison.
                SortColumn::Name => order.sort_by_cached_key(|&index| {
                    let row = &rows[index as usize];
                    (row.name.to_lowercase(), row.sku.clone())
                }),
                _ => order.sort_by(|&a, &b| compare(&rows[a as usize], &rows[b as usize], column)),
            }
            if !ascending {
                order.reverse();
            }
            self.sorted = order;
            self.sorted_by = Some((column, ascending));
            self.visible_for = None;
        }
        let key = (filter.clone(), column, ascending);
        if self.visible_for.as_ref() == Some(&key) {
            return;
        }
        let needle = filter.search.trim().to_lowercase();
        self.visible = self
            .sorted
            .iter()
            .copied()
            .filter(|&index| {
                let index = index as usize;
                (needle.is_empty() || self.search_keys[index].contains(&needle))
                    && filter
                        .status
                        .is_none_or(|status| self.statuses[index] == status)
                    && filter
                        .supplier
                        .as_ref()
                        .is_none_or(|supplier| &self.rows[index].supplier == supplier)
            })
            .collect();
        self.visible_for = Some(key);
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn visible_row(&self, position: usize) -> Option<&CatalogRow> {
        self.visible
            .get(position)
            .map(|&index| &self.rows[index as usize])
    }

    pub fn row(&self, product_id: ProductId) -> Option<&CatalogRow> {
        self.rows.iter().find(|row| row.product_id == product_id)
    }

    /// Where `product_id` is in the visible rows (`None`: the filter hides it).
    pub fn visible_position(&self, product_id: ProductId) -> Option<usize> {
        self.visible
            .iter()
            .position(|&index| self.rows[index as usize].product_id == product_id)
    }

    /// The products of the visible rows, in their order.
    pub fn visible_ids(&self) -> impl ExactSizeIterator<Item = ProductId> + Clone + '_ {
        self.visible
            .iter()
            .map(|&index| self.rows[index as usize].product_id)
    }
}

use super::adjust_stock::AdjustForm;

struct DeleteConfirm {
    product_id: ProductId,
    sku: String,
    name: String,
    has_history: bool,
}

pub struct CatalogScreen {
    view: CatalogView,
    loaded_version: Option<u64>,
    /// A load running on a worker thread, for this data version.
    loading: Option<(u64, Job<Result<LoadedCatalog, String>>)>,
    pub filter: CatalogFilter,
    sort_column: SortColumn,
    ascending: bool,
    selected: Option<ProductId>,
    movements: Vec<Movement>,
    movements_for: Option<(ProductId, u64)>,
    suppliers: Vec<String>,
    categories: Vec<String>,
    form: Option<ProductForm>,
    adjust: Option<AdjustForm>,
    confirm_delete: Option<DeleteConfirm>,
    focus_search: bool,
    load_error: Option<String>,
    /// The details panel was closed (× or Escape); the row stays selected.
    detail_closed: bool,
    /// Scroll the table to this visible row (the selection moved by keyboard).
    scroll_to: Option<usize>,
}

impl Default for CatalogScreen {
    fn default() -> Self {
        Self {
            view: CatalogView::default(),
            loaded_version: None,
            loading: None,
            filter: CatalogFilter::default(),
            sort_column: SortColumn::Sku,
            ascending: true,
            selected: None,
            movements: Vec::new(),
            movements_for: None,
            suppliers: Vec::new(),
            categories: Vec::new(),
            form: None,
            adjust: None,
            confirm_delete: None,
            focus_search: false,
            load_error: None,
            detail_closed: false,
            scroll_to: None,
        }
    }
}

impl CatalogScreen {
    fn refresh(&mut self, ctx: &egui::Context, store: &Store, version: u64, today: NaiveDate) {
        if let Some((loading_version, job)) = &self.loading
            && let Some(result) = job.poll()
        {
            let loaded_version = *loading_version;
            self.loading = None;
            self.apply(result.and_then(|loaded| loaded), loaded_version);
        }
        if self.loaded_version == Some(version)
            || self
                .loading
                .as_ref()
                .is_some_and(|(running, _)| *running == version)
        {
            return;
        }
        let sort = (self.sort_column, self.ascending);
        let known = if self.loaded_version.is_some() {
            self.view.rows().len()
        } else {
            store
                .product_count()
                .map_or(usize::MAX, |count| count.max(0) as usize)
        };
        if known <= SYNC_LOAD_LIMIT {
            let loaded = LoadedCatalog::load(store, today, &self.filter, sort);
            self.apply(loaded, version);
            return;
        }
        let opener = store.opener();
        let filter = self.filter.clone();
        let wake = ctx.clone();
        match Job::spawn(
            "Load the catalog",
            move |_| {
                let store = opener.open().map_err(|error| error.to_string())?;
                LoadedCatalog::load(&store, today, &filter, sort)
            },
            move || wake.request_repaint(),
        ) {
            Ok(job) => self.loading = Some((version, job)),
            Err(_) => {
                // No thread to spare: read it here.
                let loaded = LoadedCatalog::load(store, today, &self.filter, sort);
                self.apply(loaded, version);
            }
        }
    }

    /// Shows a finished load. A load for an older data version still shows (it is newer than
    /// what is on screen); the newer one follows.
    fn apply(&mut self, loaded: Result<LoadedCatalog, String>, version: u64) {
        if self.loaded_version.is_some_and(|shown| shown > version) {
            return;
        }
        self.loaded_version = Some(version);
        match loaded {
            Ok(loaded) => {
                self.view = loaded.view;
                self.suppliers = loaded.suppliers;
                self.categories = loaded.categories;
                self.load_error = None;
            }
            Err(error) => self.load_error = Some(error),
        }
        if let Some(selected) = self.selected
            && self.view.row(selected).is_none()
        {
            self.selected = None;
        }
    }

    /// True while the catalog is being read on a worker thread.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Runs a catalog action (from a menu, a button or a shortcut).
    pub fn action(&mut self, action: Action, store: &Store) {
        match action {
            Action::AddProduct => self.form = Some(ProductForm::new_product()),
            Action::EditProduct => {
                if let Some(product_id) = self.selected
                    && let Ok(record) = store.product(product_id)
                {
                    let rules = crate::store::safety::order_rules(store.connection(), product_id)
                        .unwrap_or_default();
                    self.form = Some(ProductForm::edit(&record).with_order_rules(&rules));
                }
            }
            Action::AdjustStock => {
                if let Some(row) = self.selected.and_then(|id| self.view.row(id)) {
                    self.adjust = Some(AdjustForm::new(row));
                }
            }
            Action::DeleteProduct => {
                if let Some(row) = self.selected.and_then(|id| self.view.row(id)) {
                    self.confirm_delete = Some(DeleteConfirm {
                        product_id: row.product_id,
                        sku: row.sku.clone(),
                        name: row.name.clone(),
                        has_history: store.product_has_history(row.product_id).unwrap_or(true),
                    });
                }
            }
            Action::FocusSearch => self.focus_search = true,
            _ => {}
        }
    }

    /// Selects `product_id` and clears the filters so its row is listed.
    pub fn show_product(&mut self, product_id: ProductId) {
        self.filter = CatalogFilter::default();
        self.selected = Some(product_id);
        self.detail_closed = false;
    }

    /// True while a dialog of this screen is open (global shortcuts then wait).
    pub fn has_dialog(&self) -> bool {
        self.form.is_some() || self.adjust.is_some() || self.confirm_delete.is_some()
    }

    /// The outcome of a save the app ran for the form.
    pub fn save_finished(&mut self, result: Result<ProductId, String>) {
        match result {
            Ok(product_id) => {
                self.form = None;
                self.selected = Some(product_id);
                self.detail_closed = false;
            }
            Err(message) => {
                if let Some(form) = &mut self.form {
                    form.errors = message.split("; ").map(str::to_owned).collect();
                }
            }
        }
    }

    /// The outcome of a stock adjustment the app ran.
    pub fn adjust_finished(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => self.adjust = None,
            Err(message) => {
                if let Some(adjust) = &mut self.adjust {
                    adjust.error = Some(message);
                }
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
        self.refresh(ui.ctx(), store, version, today);
        self.view
            .update(&self.filter, self.sort_column, self.ascending);
        // A product the search or a filter hides is no longer shown in the details.
        if let Some(selected) = self.selected
            && self.view.visible_position(selected).is_none()
        {
            self.selected = None;
        }
        self.keys_ui(ui.ctx(), store);

        self.toolbar_ui(ui, store);
        if let Some(error) = &self.load_error {
            ui.colored_label(theme::ERROR, error);
        }
        ui.separator();

        if self.selected.is_some() && !self.detail_closed {
            // The table keeps the room of the columns that never give way.
            let dates = super::format::formats(ui.ctx()).dates;
            let kept = super::widgets::kept_width(&fit_columns(dates), ui.spacing().item_spacing.x);
            let max = (ui.available_width() - kept).max(260.0);
            egui::Panel::right("product_detail")
                .resizable(true)
                .default_size(300.0_f32.min(max))
                .min_size(240.0)
                .max_size(max)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("product_detail_scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.detail_ui(ui, store, version));
                });
        }
        super::widgets::list_panel().show(ui, |ui| {
            if self.view.rows().is_empty() && self.loading.is_some() {
                ui.add_space(24.0);
                ui.vertical_centered(|ui| {
                    ui.spinner();
                    ui.label("Loading the catalog…");
                });
            } else if self.view.rows().is_empty() && self.load_error.is_none() {
                ui.add_space(24.0);
                ui.vertical_centered(|ui| {
                    ui.label(RichText::new("No products yet").heading());
                    ui.label(
                        "Import your products from a CSV file (own format, Shopify or \
                         WooCommerce), add them one by one, or load the demo shop from a new file",
                    );
                    ui.add_space(6.0);
                    if ui
                        .add(Action::ImportProducts.button(ui.ctx()))
                        .on_hover_text("Your products from a CSV file")
                        .clicked()
                    {
                        commands.push(AppCommand::ChooseImport(
                            crate::app::import::ImportKind::Products,
                        ));
                    }
                    if ui.add(Action::AddProduct.button(ui.ctx())).clicked() {
                        self.form = Some(ProductForm::new_product());
                    }
                });
            } else {
                self.table_ui(ui, store);
            }
        });

        self.dialogs_ui(ui.ctx(), commands);
    }

    /// ↑/↓ move the selection, Enter shows the details (again: edits), Escape closes them.
    fn keys_ui(&mut self, ctx: &egui::Context, store: &Store) {
        if self.has_dialog() {
            return;
        }
        let keys = super::widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((product_id, position)) =
                super::widgets::step_selection(self.view.visible_ids(), self.selected, keys.step)
        {
            self.selected = Some(product_id);
            self.scroll_to = Some(position);
        }
        if keys.enter && self.selected.is_some() {
            if self.detail_closed {
                self.detail_closed = false;
            } else {
                self.action(Action::EditProduct, store);
            }
        }
        if keys.escape {
            self.detail_closed = true;
        }
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, store: &Store) {
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            let search = ui
                .add(
                    TextEdit::singleline(&mut self.filter.search)
                        .hint_text("SKU, name or category  (Ctrl+F)")
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            if !self.filter.search.is_empty()
                && ui
                    .small_button("Clear")
                    .on_hover_text("Clear the search")
                    .clicked()
            {
                self.filter.search.clear();
            }

            let status_text = self.filter.status.map_or("Any status", StockStatus::label);
            egui::ComboBox::from_id_salt("status_filter")
                .selected_text(status_text)
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.status, None, "Any status");
                    for status in StockStatus::ALL {
                        ui.selectable_value(&mut self.filter.status, Some(status), status.label());
                    }
                })
                .response
                .on_hover_text("Filter by status");

            let supplier_text = self
                .filter
                .supplier
                .clone()
                .unwrap_or_else(|| "Any supplier".into());
            egui::ComboBox::from_id_salt("supplier_filter")
                .selected_text(supplier_text)
                .width(150.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.supplier, None, "Any supplier");
                    for supplier in &self.suppliers {
                        ui.selectable_value(
                            &mut self.filter.supplier,
                            Some(supplier.clone()),
                            supplier,
                        );
                    }
                })
                .response
                .on_hover_text("Filter by supplier");

            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.add(Action::AddProduct.button(ui.ctx())).clicked() {
                    self.action(Action::AddProduct, store);
                }
                ui.label(
                    RichText::new(format!(
                        "{} of {} products",
                        thousands(self.view.visible_len()),
                        thousands(self.view.rows().len())
                    ))
                    .color(theme::MUTED),
                );
                if self.loading.is_some() {
                    ui.spinner()
                        .on_hover_text("Reading the latest stock figures");
                }
            });
        });
    }

    fn table_ui(&mut self, ui: &mut Ui, store: &Store) {
        let mut clicked: Option<ProductId> = None;
        let mut double_clicked: Option<ProductId> = None;
        let mut sort_clicked: Option<SortColumn> = None;
        let selected = self.selected;

        let formats = super::format::formats(ui.ctx());
        // Measure, then allocate: the columns that fit the width, the rest give way in their
        // set order (bin, category, supplier, lead time, …); SKU, name, available and the status
        // always stay.
        let status_width = status_width(formats.dates);
        let fit = fit_columns(formats.dates);
        let spacing = ui.spacing().item_spacing.x;
        // The vertical scroll bar takes its room at the right.
        let shown_flags = super::widgets::fit_columns(&fit, ui.available_width() - 16.0, spacing);
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
        super::widgets::solid_scroll_bar(ui);
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
                        let mut sort = super::widgets::Sort::new(sort_column, ascending);
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

    #[expect(
        clippy::too_many_lines,
        reason = "one screen part drawn top to bottom in egui's immediate mode; the screens are split into smaller parts separately"
    )]
    fn detail_ui(&mut self, ui: &mut Ui, store: &Store, version: u64) {
        let Some(row) = self.selected.and_then(|id| self.view.row(id)).cloned() else {
            return;
        };
        if self.movements_for != Some((row.product_id, version)) {
            self.movements = store.movements(row.product_id, 30).unwrap_or_default();
            self.movements_for = Some((row.product_id, version));
        }
        let formats = super::format::formats(ui.ctx());
        ui.add_space(4.0);
        let close = super::widgets::panel_header_ui(ui, |ui| {
            ui.label(RichText::new(&row.sku).heading().strong());
        });
        if close {
            self.detail_closed = true;
        }
        theme::badge_text_ui(ui, row.status(), &row.badge_text_in(formats.dates));
        ui.label(&row.name);
        if row.sku_derived {
            ui.label(RichText::new("No SKU in the shop").color(theme::MUTED))
                .on_hover_text(NO_SKU_HINT);
        }
        if let Some(identity) = &row.identity {
            ui.label(
                RichText::new(format!("In {}: {}", identity.platform, identity.key))
                    .small()
                    .color(theme::MUTED),
            );
        }
        ui.add_space(6.0);
        egui::Grid::new("product_figures")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                let figures = row.figures;
                for (label, value) in [
                    ("On hand", figures.on_hand.to_string()),
                    ("Reserved", figures.reserved.to_string()),
                    ("Available", figures.available().to_string()),
                    ("On order", figures.on_order.to_string()),
                    (
                        "Customers waiting for",
                        format!("{} units", figures.backordered),
                    ),
                    (
                        "Dates slipping",
                        if row.slipping_lines > 0 {
                            format!(
                                "{} customer{} date{} move{} a day later every day without a PO",
                                row.slipping_lines,
                                if row.slipping_lines == 1 { "'s" } else { "s'" },
                                if row.slipping_lines == 1 { "" } else { "s" },
                                if row.slipping_lines == 1 { "s" } else { "" }
                            )
                        } else {
                            "none".to_owned()
                        },
                    ),
                    ("Reorder point", row.reorder_point.to_string()),
                    ("Backorders", row.policy.label().to_owned()),
                    (
                        "Backorders until",
                        match row.backorder_cutoff {
                            Some(cutoff) if row.backorders_closed => {
                                format!("{} (closed)", formats.date(cutoff))
                            }
                            Some(cutoff) => formats.date(cutoff),
                            None => "no cutoff".to_owned(),
                        },
                    ),
                    ("Max wait", format!("{} days", row.max_wait_days)),
                    ("Category", row.category.clone()),
                    ("Bin location", row.location.clone()),
                    ("Price", formats.money(row.price_cents)),
                    (
                        "Sale price",
                        row.sale_price_cents
                            .map_or_else(|| "no sale".to_owned(), |cents| formats.money(cents)),
                    ),
                    (
                        "Stock",
                        if row.track_stock {
                            "tracked".to_owned()
                        } else {
                            "not tracked: always orderable, orders ready at once".to_owned()
                        },
                    ),
                    ("Unit cost", formats.money(row.unit_cost_cents)),
                    ("Supplier", row.supplier.clone()),
                    (
                        "Lead time",
                        row.lead_time_days
                            .map_or_else(|| "unknown".to_owned(), |days| format!("{days} days")),
                    ),
                ] {
                    ui.label(RichText::new(label).color(theme::MUTED));
                    // Wrapped at the panel's edge: a long value never widens the panel.
                    ui.add(egui::Label::new(value).wrap());
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            for action in [
                Action::EditProduct,
                Action::AdjustStock,
                Action::DeleteProduct,
            ] {
                if ui.button(action.label()).clicked() {
                    self.action(action, store);
                }
            }
        });
        ui.add_space(8.0);
        ui.label(RichText::new("Stock movements").strong());
        if self.movements.is_empty() {
            ui.label(RichText::new("None yet").color(theme::MUTED));
        }
        egui::Grid::new("movements_grid")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for movement in &self.movements {
                    ui.label(
                        RichText::new(formats.stamp(&movement.created_at, false))
                            .color(theme::MUTED),
                    );
                    ui.label(format!("{:+}", movement.quantity));
                    // Cut at the panel's edge (full text on hover): a long reason never widens
                    // the panel over the list.
                    let text = format!(
                        "{} · {}",
                        movement.kind.label(),
                        crate::domain::promise::localize_dates(&movement.reason, formats.dates)
                    );
                    ui.add(egui::Label::new(&text).truncate())
                        .on_hover_text(&text);
                    ui.end_row();
                }
            });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if let Some(form) = &mut self.form {
            match form.ui(ctx, &self.suppliers, &self.categories) {
                FormOutcome::Open => {}
                FormOutcome::Cancel => self.form = None,
                FormOutcome::Save => {
                    match (form.opening_stock_units(), form.parsed_order_rules()) {
                        (Ok(opening_stock), Ok(rules)) => {
                            if let (Some(product_id), Some(rules)) = (form.existing, rules) {
                                commands.push(AppCommand::Reorder(Box::new(
                                    super::reorder::ReorderCommand::SaveOrderRules {
                                        product_id,
                                        sku: form.draft.sku.trim().to_owned(),
                                        rules,
                                    },
                                )));
                            }
                            commands.push(AppCommand::SaveProduct {
                                existing: form.existing,
                                draft: Box::new(form.draft.clone()),
                                opening_stock,
                            });
                        }
                        (Err(message), _) | (_, Err(message)) => form.errors = vec![message],
                    }
                }
            }
        }

        if let Some(confirm) = &self.confirm_delete {
            let (body, verb) = if confirm.has_history {
                (
                    "This product has orders or stock history, so it will be archived: hidden from the catalog, its history kept.",
                    "Archive",
                )
            } else {
                ("This product has no history. It will be removed.", "Delete")
            };
            let body = format!("{} — {}\n\n{body}", confirm.sku, confirm.name);
            match confirm_ui(
                ctx,
                "confirm_delete",
                "Delete product?",
                &body,
                verb,
                "Cancel",
            ) {
                Confirm::Waiting => {}
                Confirm::Yes => {
                    commands.push(AppCommand::DeleteProduct(confirm.product_id));
                    self.confirm_delete = None;
                }
                Confirm::No => self.confirm_delete = None,
            }
        }

        if let Some(adjust) = &mut self.adjust
            && !adjust.ui(ctx, commands)
        {
            self.adjust = None;
        }
    }
}

fn cell_ui(ui: &mut Ui, product: &CatalogRow, spec: &ColumnSpec, formats: &ShopFormats) {
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
const NO_SKU_HINT: &str = "No SKU in the shop: this key is made from the product's handle and \
                           options (or parent and attributes) there, and is never written back \
                           to the shop as a SKU";

/// "$12.50", or "$9.99 (sale; $12.50)" while on sale.
fn price_text(product: &CatalogRow, formats: &ShopFormats) -> String {
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
