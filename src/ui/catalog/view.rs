//! The catalog as a list: loading it (on a worker when large), filtering and sorting the rows.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::app::catalog::catalog_rows;
use crate::domain::StockStatus;
use crate::store::{CatalogRow, ProductId, Store};

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

pub(super) fn compare(a: &CatalogRow, b: &CatalogRow, column: SortColumn) -> Ordering {
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
