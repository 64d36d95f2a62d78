//! Small widgets shared by screens.

use egui::{RichText, TextEdit, Ui};

/// Editable order or PO lines: a SKU and a quantity per row, add and remove.
pub struct LineEditor {
    pub lines: Vec<(String, String)>,
    default_quantity: &'static str,
}

impl LineEditor {
    pub fn new(default_quantity: &'static str) -> Self {
        Self {
            lines: vec![(String::new(), default_quantity.to_owned())],
            default_quantity,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, id_salt: &str) {
        let mut remove = None;
        egui::Grid::new(id_salt).num_columns(3).show(ui, |ui| {
            let sku_header = ui.label(RichText::new("SKU").strong());
            let quantity_header = ui.label(RichText::new("Quantity").strong());
            ui.end_row();
            for (index, (sku, quantity)) in self.lines.iter_mut().enumerate() {
                ui.add(TextEdit::singleline(sku).desired_width(200.0))
                    .labelled_by(sku_header.id);
                ui.add(TextEdit::singleline(quantity).desired_width(90.0))
                    .labelled_by(quantity_header.id);
                if ui
                    .small_button(format!("Remove line {}", index + 1))
                    .clicked()
                {
                    remove = Some(index);
                }
                ui.end_row();
            }
        });
        if let Some(index) = remove
            && self.lines.len() > 1
        {
            self.lines.remove(index);
        }
        if ui.small_button("Add line").clicked() {
            self.lines
                .push((String::new(), self.default_quantity.to_owned()));
        }
    }

    /// The filled-in lines (rows without a SKU are skipped), or the first bad quantity.
    pub fn parse(&self) -> Result<Vec<(String, i64)>, String> {
        self.lines
            .iter()
            .filter(|(sku, _)| !sku.trim().is_empty())
            .map(|(sku, quantity)| {
                quantity
                    .trim()
                    .parse::<i64>()
                    .map(|units| (sku.trim().to_owned(), units))
                    .map_err(|_| {
                        format!(
                            "{}: '{}' is not a whole number",
                            sku.trim(),
                            quantity.trim()
                        )
                    })
            })
            .collect()
    }
}

/// The answer to a confirmation dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Still open.
    Waiting,
    Yes,
    /// Kept (button or Escape).
    No,
}

/// A modal "are you sure" dialog: a title, an explanation, a red confirm button and a keep
/// button. Escape keeps.
pub fn confirm_ui(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    body: &str,
    confirm: &str,
    keep: &str,
) -> Confirm {
    let mut answer = Confirm::Waiting;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(400.0);
        ui.heading(title);
        ui.label(body);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(confirm).color(super::theme::ERROR))
                .clicked()
            {
                answer = Confirm::Yes;
            }
            if ui.button(keep).clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                answer = Confirm::No;
            }
        });
    });
    answer
}

/// The sort of a table: the column and its direction, changed by clicking a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<C> {
    pub column: C,
    pub ascending: bool,
}

/// The columns of a sortable table: the default column is the order the rows are read in, and
/// `FIRST_ASCENDING` says which way that order runs (newest first is descending).
pub trait SortColumn: Copy + PartialEq + Default {
    const FIRST_ASCENDING: bool = true;
}

impl<C: SortColumn> Default for Sort<C> {
    fn default() -> Self {
        Self {
            column: C::default(),
            ascending: C::FIRST_ASCENDING,
        }
    }
}

impl<C: SortColumn> Sort<C> {
    /// On the default column: `Some(false)` keeps the rows in the order they were read,
    /// `Some(true)` reverses it. `None`: another column, the rows need sorting.
    pub fn natural(&self) -> Option<bool> {
        (self.column == C::default()).then_some(self.ascending != C::FIRST_ASCENDING)
    }
}

impl<C: Copy + PartialEq> Sort<C> {
    pub fn new(column: C, ascending: bool) -> Self {
        Self { column, ascending }
    }

    /// A header cell that sorts by `column` when clicked (again: the other way round), with ▲
    /// or ▼ on the sorted column. `numeric` headers sit on the right, over their numbers.
    /// Returns true when the sort changed.
    pub fn header_ui(&mut self, ui: &mut Ui, title: &str, column: C, numeric: bool) -> bool {
        let arrow = match (self.column == column, self.ascending) {
            (true, true) => " ▲",
            (true, false) => " ▼",
            (false, _) => "",
        };
        let text = RichText::new(format!("{title}{arrow}")).strong();
        let button = |ui: &mut Ui| {
            ui.add(egui::Button::new(text).frame(false))
                .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                .clicked()
        };
        let clicked = if numeric {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), button)
                .inner
        } else {
            button(ui)
        };
        if clicked {
            self.toggle(column);
        }
        clicked
    }

    /// Sorts by `column`, or turns the direction round when it is already the sort.
    pub fn toggle(&mut self, column: C) {
        if self.column == column {
            self.ascending = !self.ascending;
        } else {
            self.column = column;
            self.ascending = true;
        }
    }

    /// `ordering` in this sort's direction.
    pub fn apply(&self, ordering: std::cmp::Ordering) -> std::cmp::Ordering {
        if self.ascending {
            ordering
        } else {
            ordering.reverse()
        }
    }
}

impl<C: Copy + PartialEq + Send + Sync + 'static> Sort<C> {
    /// The sort of a small table kept in egui's memory under `id` (a table drawn by a function
    /// without state of its own); `initial` until a header is clicked.
    pub fn remembered(ctx: &egui::Context, id: egui::Id, initial: Self) -> Self {
        ctx.data(|data| data.get_temp::<Self>(id))
            .unwrap_or(initial)
    }

    /// Keeps this sort for [`Self::remembered`].
    pub fn remember(self, ctx: &egui::Context, id: egui::Id) {
        ctx.data_mut(|data| data.insert_temp(id, self));
    }

    /// A header cell of a grid, `width` wide, for a numeric column: on the right, over its
    /// numbers (see [`number_sized`]). Returns true when the sort changed.
    pub fn header_sized_ui(&mut self, ui: &mut Ui, width: f32, title: &str, column: C) -> bool {
        ui.allocate_ui_with_layout(
            egui::vec2(width, ui.spacing().interact_size.y),
            egui::Layout::right_to_left(egui::Align::Center),
            |ui| {
                // The whole width, whatever the title's: a grid sizes its column by it.
                ui.set_min_width(width);
                self.header_ui(ui, title, column, false)
            },
        )
        .inner
    }
}

/// The positions `0..len` of a table's rows in `sort`: on the default column the order they were
/// read in (or its reverse), otherwise sorted by `compare`, which applies the direction and
/// breaks ties.
pub fn sorted_rows<C: SortColumn>(
    len: usize,
    sort: Sort<C>,
    compare: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    match sort.natural() {
        Some(true) => order.reverse(),
        Some(false) => {}
        None => order.sort_by(|&a, &b| compare(a, b)),
    }
    order
}

/// The positions `0..len` in `sort`'s order, `compare` comparing two positions by a column (a
/// stable sort: rows that compare equal keep the order they were read in).
pub fn sorted_positions<C: Copy + PartialEq>(
    len: usize,
    sort: Sort<C>,
    compare: impl Fn(usize, usize, C) -> std::cmp::Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| sort.apply(compare(a, b, sort.column)));
    order
}

/// A number in a table cell, on the right.
pub fn number_cell(ui: &mut Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add(egui::Label::new(text).truncate().selectable(false))
    })
    .inner
}

/// A number on the right of a cell `width` wide (for grids, whose cells take their content's
/// size).
pub fn number_sized(ui: &mut Ui, width: f32, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ui.spacing().interact_size.y),
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            // The whole width, whatever the number's: a grid sizes its column by it.
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).selectable(false))
        },
    )
    .inner
}

/// A table column for [`fit_columns`]: its width and when it gives way (lower first; `None`
/// never).
#[derive(Debug, Clone, Copy)]
pub struct FitColumn {
    pub width: f32,
    pub gives_way: Option<u8>,
}

/// Which columns fit in `available` points (each column adds `spacing`): columns give way in
/// their set order until the rest fit. Measured before the table is laid out, so a narrow
/// window loses its least needed columns instead of pushing the key ones off screen.
pub fn fit_columns(columns: &[FitColumn], available: f32, spacing: f32) -> Vec<bool> {
    let mut shown = vec![true; columns.len()];
    let need = |shown: &[bool]| -> f32 {
        columns
            .iter()
            .zip(shown)
            .filter(|(_, shown)| **shown)
            .map(|(column, _)| column.width + spacing)
            .sum()
    };
    let mut order: Vec<(u8, usize)> = columns
        .iter()
        .enumerate()
        .filter_map(|(index, column)| column.gives_way.map(|rank| (rank, index)))
        .collect();
    order.sort_unstable();
    for (_, index) in order {
        if need(&shown) <= available {
            break;
        }
        shown[index] = false;
    }
    shown
}

/// A column of a list whose columns give way: title, sort, width, numeric, when it gives way
/// (lower first; `None` never).
pub type TableColumn<C> = (&'static str, C, f32, bool, Option<u8>);

/// `columns` as [`fit_columns`] weighs them.
pub fn fit_of<C>(columns: &[TableColumn<C>]) -> Vec<FitColumn> {
    columns
        .iter()
        .map(|(_, _, width, _, gives_way)| FitColumn {
            width: *width,
            gives_way: *gives_way,
        })
        .collect()
}

/// The columns of a list that fit its width this frame (see [`fit_table`]).
pub struct FittedTable<C> {
    /// Title, sort, width, numeric of each column shown, in order.
    pub shown: Vec<(&'static str, C, f32, bool)>,
    /// One number per set of columns shown: each set keeps its own widths (the table's id).
    pub layout_key: u32,
}

/// Measure, then allocate: the columns of `columns` that fit the width left in `ui` (the
/// vertical scroll bar takes its room at the right); the others give way in their set order.
pub fn fit_table<C: Copy>(ui: &Ui, columns: &[TableColumn<C>]) -> FittedTable<C> {
    let shown_flags = fit_columns(
        &fit_of(columns),
        ui.available_width() - 16.0,
        ui.spacing().item_spacing.x,
    );
    let shown = columns
        .iter()
        .zip(&shown_flags)
        .filter(|(_, shown)| **shown)
        .map(|((title, column, width, numeric, _), _)| (*title, *column, *width, *numeric))
        .collect();
    let layout_key = shown_flags
        .iter()
        .enumerate()
        .map(|(index, shown)| u32::from(*shown) << index)
        .sum();
    FittedTable { shown, layout_key }
}

impl<C: Copy + PartialEq> FittedTable<C> {
    /// True when `column` is shown.
    pub fn shows(&self, column: C) -> bool {
        self.shown.iter().any(|(_, shown, _, _)| *shown == column)
    }

    /// Adds the shown columns to `table`: `stretch` takes what the others leave, the others
    /// start at their width and shrink to `at_least`. The last column has no resize handle: it
    /// would sit on the window's or a details panel's edge and take the drags meant for it.
    pub fn add_columns<'a>(
        &self,
        mut table: egui_extras::TableBuilder<'a>,
        stretch: C,
        at_least: f32,
    ) -> egui_extras::TableBuilder<'a> {
        let last = self.shown.len().saturating_sub(1);
        for (index, (_, column, width, _)) in self.shown.iter().enumerate() {
            table = table.column(if *column == stretch {
                egui_extras::Column::remainder()
                    .at_least(*width)
                    .resizable(false)
                    .clip(true)
            } else {
                egui_extras::Column::initial(*width)
                    .at_least(at_least)
                    .clip(true)
                    .resizable(index != last)
            });
        }
        table
    }
}

/// The room a list needs for the columns that never give way (with their spacing, the
/// vertical scroll bar and the gap before a details panel): a details panel beside the list
/// grows at most to what is left.
pub fn kept_width(columns: &[FitColumn], spacing: f32) -> f32 {
    const SCROLL_BAR: f32 = 16.0;
    const GAP: f32 = 6.0;
    columns
        .iter()
        .filter(|column| column.gives_way.is_none())
        .map(|column| column.width + spacing)
        .sum::<f32>()
        + SCROLL_BAR
        + GAP
}

/// The keys of a list: ↑/↓ move the selection, Enter opens it, Escape closes its details.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListKeys {
    /// -1 for ↑, +1 for ↓, 0 for neither.
    pub step: i32,
    pub enter: bool,
    pub escape: bool,
}

fn keys_free_id() -> egui::Id {
    egui::Id::unique("backorder_desk_list_keys_free")
}

/// Whether lists may take ↑/↓/Enter/Escape this frame (the app says no while a dialog is open).
pub fn set_list_keys_free(ctx: &egui::Context, free: bool) {
    ctx.data_mut(|data| data.insert_temp(keys_free_id(), free));
}

/// The list keys pressed this frame, taken from the input so nothing else acts on them; none
/// while a dialog, a menu or a text field has the keyboard.
pub fn list_keys(ctx: &egui::Context) -> ListKeys {
    let free = ctx.data(|data| data.get_temp::<bool>(keys_free_id()).unwrap_or(true));
    if !free || ctx.egui_wants_keyboard_input() || egui::Popup::is_any_open(ctx) {
        return ListKeys::default();
    }
    ctx.input_mut(|input| {
        let up = input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp);
        let down = input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown);
        ListKeys {
            step: i32::from(down) - i32::from(up),
            enter: input.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            escape: input.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
        }
    })
}

/// The row `step` away from `selected` in `ids` (the first row when nothing is selected), and
/// its position.
pub fn step_selection<T: Copy + PartialEq>(
    mut ids: impl ExactSizeIterator<Item = T> + Clone,
    selected: Option<T>,
    step: i32,
) -> Option<(T, usize)> {
    let len = ids.len();
    if len == 0 || step == 0 {
        return None;
    }
    let current = selected.and_then(|id| ids.clone().position(|other| other == id));
    let next = match current {
        None => 0,
        Some(position) if step < 0 => position.saturating_sub(step.unsigned_abs() as usize),
        Some(position) => (position + step as usize).min(len - 1),
    };
    ids.nth(next).map(|id| (id, next))
}

/// A list's scroll bar takes its own room at the right instead of floating over the last
/// column (whose numbers, right-aligned, it would cover while the pointer is over the list).
pub fn solid_scroll_bar(ui: &mut Ui) {
    ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
}

/// The list beside a details panel: a little room on its right so its last column does not
/// touch the panel's edge.
pub fn list_panel() -> egui::CentralPanel {
    egui::CentralPanel::no_frame().frame(egui::Frame::NONE.inner_margin(egui::Margin {
        right: 6,
        ..egui::Margin::ZERO
    }))
}

/// The details panel on the right of a list: resizable from `min` up to what leaves the list
/// `kept` wide (never below `floor`), `default` wide at first, its content scrolling on its own.
pub fn detail_panel(
    ui: &mut Ui,
    id: &'static str,
    kept: f32,
    (min, default, floor): (f32, f32, f32),
    add_contents: impl FnOnce(&mut Ui),
) {
    let max = (ui.available_width() - kept).max(floor);
    egui::Panel::right(id)
        .resizable(true)
        .default_size(default.min(max))
        .min_size(min)
        .max_size(max)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(format!("{id}_scroll"))
                .auto_shrink([false, false])
                .show(ui, add_contents);
        });
}

/// The header of a details panel: its title and a × that closes it. Returns true when closed.
/// The × keeps clear of the panel's scroll bar, which would otherwise take its clicks.
pub fn panel_header_ui(ui: &mut Ui, add_title: impl FnOnce(&mut Ui)) -> bool {
    let mut close = false;
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let scroll = ui.spacing().scroll;
            ui.add_space(scroll.bar_width + scroll.bar_outer_margin);
            close = ui
                .add(
                    egui::Button::new(RichText::new("×").size(18.0))
                        .frame(false)
                        .min_size(egui::vec2(22.0, 22.0)),
                )
                .on_hover_text("Close the details (Esc)")
                .clicked();
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), add_title);
        });
    });
    close
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_give_way_in_their_order() {
        let columns = [
            FitColumn {
                width: 100.0,
                gives_way: None,
            },
            FitColumn {
                width: 100.0,
                gives_way: Some(2),
            },
            FitColumn {
                width: 100.0,
                gives_way: Some(1),
            },
            FitColumn {
                width: 100.0,
                gives_way: None,
            },
        ];
        assert_eq!(fit_columns(&columns, 440.0, 10.0), vec![true; 4]);
        assert_eq!(
            fit_columns(&columns, 439.0, 10.0),
            vec![true, true, false, true]
        );
        assert_eq!(
            fit_columns(&columns, 300.0, 10.0),
            vec![true, false, false, true]
        );
        // The key columns stay even when they do not fit.
        assert_eq!(
            fit_columns(&columns, 50.0, 10.0),
            vec![true, false, false, true]
        );
    }

    #[test]
    fn a_list_keeps_room_for_its_key_columns() {
        let columns = [
            FitColumn {
                width: 100.0,
                gives_way: None,
            },
            FitColumn {
                width: 300.0,
                gives_way: Some(1),
            },
            FitColumn {
                width: 50.0,
                gives_way: None,
            },
        ];
        // 100 + 8 + 50 + 8, the scroll bar's 16 and the 6 before the panel.
        assert!((kept_width(&columns, 8.0) - 188.0).abs() < f32::EPSILON);
    }

    #[test]
    fn sorts_positions_stably_both_ways() {
        let figures = [3, 1, 3, 2];
        let by = |a: usize, b: usize, (): ()| figures[a].cmp(&figures[b]);
        assert_eq!(
            sorted_positions(4, Sort::new((), true), by),
            vec![1, 3, 0, 2]
        );
        // Descending keeps equal rows in the order they were read in.
        assert_eq!(
            sorted_positions(4, Sort::new((), false), by),
            vec![0, 2, 3, 1]
        );
    }

    #[test]
    fn steps_through_a_list() {
        let ids = [10, 20, 30];
        assert_eq!(step_selection(ids.iter().copied(), None, 1), Some((10, 0)));
        assert_eq!(
            step_selection(ids.iter().copied(), Some(10), 1),
            Some((20, 1))
        );
        assert_eq!(
            step_selection(ids.iter().copied(), Some(30), 1),
            Some((30, 2))
        );
        assert_eq!(
            step_selection(ids.iter().copied(), Some(10), -1),
            Some((10, 0))
        );
        assert_eq!(
            step_selection(ids.iter().copied(), Some(99), -1),
            Some((10, 0))
        );
        assert_eq!(step_selection(std::iter::empty::<i32>(), None, 1), None);
    }
}
