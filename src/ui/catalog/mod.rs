//! The catalog: every product with its stock figures and badge; search, sort, filter, edit.
//!
//! Rows come from one store query when the data version changes: on the window's thread for a
//! catalog of up to `SYNC_LOAD_LIMIT` products (a few milliseconds), on a worker thread with its
//! own connection for a larger one, while the previous rows stay on screen. The filtered and
//! sorted row order is cached and rebuilt only when the data, the search text, a filter or the
//! sort change; the table draws only the rows on screen, so 100,000 products stay smooth.

mod adjust_stock;
mod detail;
mod product_form;
mod table;
mod view;

use chrono::NaiveDate;
use egui::{Align, Layout, RichText, TextEdit, Ui};

use crate::app::jobs::Job;
use crate::domain::StockStatus;
use crate::store::{Movement, ProductId, Store};
use crate::ui::shared::actions::Action;
use crate::ui::shared::command::AppCommand;
use crate::ui::shared::format;
use crate::ui::shared::theme;
use crate::ui::shared::widgets;

use adjust_stock::AdjustForm;
use product_form::ProductForm;
use table::fit_columns;

pub use table::thousands;
pub use view::{CatalogFilter, CatalogView, LoadedCatalog, SYNC_LOAD_LIMIT, SortColumn};

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
            let dates = format::formats(ui.ctx()).dates;
            let kept = widgets::kept_width(&fit_columns(dates), ui.spacing().item_spacing.x);
            widgets::detail_panel(ui, "product_detail", kept, (240.0, 300.0, 260.0), |ui| {
                self.detail_ui(ui, store, version);
            });
        }
        widgets::list_panel().show(ui, |ui| {
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
        let keys = widgets::list_keys(ctx);
        if keys.step != 0
            && let Some((product_id, position)) =
                widgets::step_selection(self.view.visible_ids(), self.selected, keys.step)
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
}
