//! Pick lists and packing slips: which units go to the picker, in which order, and how a line
//! that is only partly filled is explained on paper.
//!
//! Rules:
//! - A line is pickable when its order is open and some of its open units are reserved; the
//!   picker takes `min(reserved, open)` units. A ship-complete order is pickable only when every
//!   open line is fully reserved.
//! - Order of work: orders that waited (units of a line that were backordered when ordered are
//!   now reserved) first, then high priority, then the oldest order date, then the order number.
//! - Rows are sorted by bin location in natural order: case-insensitive, digit runs compared as
//!   numbers (A2 before A10), an empty location last; ties by SKU.

use std::cmp::Ordering;

use super::ids::OrderId;
use chrono::NaiveDateTime;

use super::allocation::Priority;
use super::order::{LineQuantities, held_for_completion, units_waiting};
use super::promise::{DateStyle, EtaWindow, format_window};

/// How a pick list is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PickLayout {
    /// Each order a block: number, customer, its lines.
    #[default]
    ByOrder,
    /// One row per SKU with the total and the orders it goes to.
    BySku,
}

impl PickLayout {
    pub const ALL: [Self; 2] = [Self::ByOrder, Self::BySku];

    /// The code stored in the database and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Self::ByOrder => "order",
            Self::BySku => "sku",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "order" => Some(Self::ByOrder),
            "sku" => Some(Self::BySku),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ByOrder => "By order",
            Self::BySku => "Batched by SKU",
        }
    }
}

/// Paper for printed documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub const ALL: [Self; 2] = [Self::A4, Self::Letter];

    pub fn code(self) -> &'static str {
        match self {
            Self::A4 => "a4",
            Self::Letter => "letter",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Self::A4),
            "letter" => Some(Self::Letter),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::Letter => "Letter",
        }
    }

    /// Width and height in PDF points (1/72 inch): A4 210 × 297 mm, Letter 8.5 × 11 in.
    pub fn size_points(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.28, 841.89),
            Self::Letter => (612.0, 792.0),
        }
    }

    /// The paper setting, else the date locale's paper (`us` → Letter, `intl` → A4).
    pub fn from_settings(paper_setting: Option<&str>, date_locale: Option<&str>) -> Self {
        paper_setting.and_then(Self::from_code).unwrap_or_else(|| {
            match date_style_for_locale(date_locale) {
                DateStyle::MonthFirst => Self::Letter,
                DateStyle::DayFirst | DateStyle::Iso => Self::A4,
            }
        })
    }
}

/// The date style of the `date_locale` setting: `intl` → "3–7 Mar", anything else → "Mar 3–7".
pub fn date_style_for_locale(date_locale: Option<&str>) -> DateStyle {
    DateStyle::from_setting(date_locale)
}

/// One open line of an order, as read from the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateLine {
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub location: String,
    pub quantities: LineQuantities,
    /// Units that could not be filled when the line was ordered.
    pub backordered_at_order: i64,
    /// The promise of the units still waiting.
    pub window: Option<EtaWindow>,
}

impl CandidateLine {
    /// Units that were backordered when ordered are now reserved or shipped: more units are
    /// reserved or shipped than were filled from stock at the time.
    pub fn waited(&self) -> bool {
        let filled_at_order = self.quantities.ordered - self.backordered_at_order;
        self.backordered_at_order > 0
            && self.quantities.reserved + self.quantities.shipped > filled_at_order
    }
}

/// An open order with its open lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateOrder {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub ordered_at: NaiveDateTime,
    pub priority: Priority,
    pub ship_complete: bool,
    pub lines: Vec<CandidateLine>,
}

/// One row for the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickLine {
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub location: String,
    /// Units to pick now.
    pub pick: i64,
    /// Units of the line neither shipped nor cancelled.
    pub open: i64,
    /// The promise of the units that stay behind.
    pub window: Option<EtaWindow>,
}

impl PickLine {
    /// Units that stay behind after this pick.
    pub fn backordered(&self) -> i64 {
        (self.open - self.pick).max(0)
    }

    /// "pick 2 of 5 — 3 backordered, ships Mar 3–7" for a line only partly filled; `None` when
    /// the whole open quantity is picked.
    pub fn partial_note(&self, style: DateStyle) -> Option<String> {
        let behind = self.backordered();
        if behind == 0 {
            return None;
        }
        let when = self.window.map_or_else(
            || "date unknown".to_owned(),
            |window| format!("ships {}", format_window(window, style)),
        );
        Some(format!(
            "pick {} of {} — {behind} backordered, {when}",
            self.pick, self.open
        ))
    }
}

/// An order on a pick list with the rows to pick, sorted by bin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOrder {
    pub order_id: OrderId,
    pub order_number: String,
    pub customer_name: String,
    pub ordered_at: NaiveDateTime,
    pub priority: Priority,
    /// Some of it waited for stock that has now come in.
    pub waited: bool,
    pub lines: Vec<PickLine>,
}

impl PickOrder {
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|line| line.pick).sum()
    }
}

/// Orders, lines and units on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PickTotals {
    pub orders: usize,
    pub lines: usize,
    pub units: i64,
}

pub fn totals(orders: &[PickOrder]) -> PickTotals {
    PickTotals {
        orders: orders.len(),
        lines: orders.iter().map(|order| order.lines.len()).sum(),
        units: orders.iter().map(PickOrder::units).sum(),
    }
}

/// Compares two texts the way people read bin labels: case-insensitive, runs of digits as
/// numbers ("A2" < "A10", "b1" = "B1").
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut left = a.chars().peekable();
    let mut right = b.chars().peekable();
    loop {
        match (left.peek().copied(), right.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let x_digits = take_digits(&mut left);
                let y_digits = take_digits(&mut right);
                let x_trimmed = x_digits.trim_start_matches('0');
                let y_trimmed = y_digits.trim_start_matches('0');
                let by_value = x_trimmed
                    .len()
                    .cmp(&y_trimmed.len())
                    .then_with(|| x_trimmed.cmp(y_trimmed));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                left.next();
                right.next();
            }
        }
    }
}

fn take_digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut digits = String::new();
    while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
        digits.push(c);
        chars.next();
    }
    digits
}

/// Bin order: natural order, an empty (or blank) location last.
pub fn bin_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim(), b.trim());
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => natural_cmp(a, b),
    }
}

fn line_cmp(a: &PickLine, b: &PickLine) -> Ordering {
    bin_cmp(&a.location, &b.location)
        .then_with(|| natural_cmp(&a.sku, &b.sku))
        .then_with(|| a.line_id.cmp(&b.line_id))
}

/// The order of work: waited first, then high priority, then oldest, then order number.
pub fn work_cmp(a: &PickOrder, b: &PickOrder) -> Ordering {
    b.waited
        .cmp(&a.waited)
        .then_with(|| b.priority.rank().cmp(&a.priority.rank()))
        .then_with(|| a.ordered_at.cmp(&b.ordered_at))
        .then_with(|| natural_cmp(&a.order_number, &b.order_number))
}

/// What can be picked now, in the order of work, each order's rows in bin order.
pub fn plan(candidates: Vec<CandidateOrder>) -> Vec<PickOrder> {
    let mut orders: Vec<PickOrder> = candidates
        .into_iter()
        .filter_map(|order| {
            let open_lines: Vec<&CandidateLine> = order
                .lines
                .iter()
                .filter(|line| line.quantities.open() > 0)
                .collect();
            if held_for_completion(
                order.ship_complete,
                units_waiting(open_lines.iter().map(|line| &line.quantities)),
            ) {
                return None;
            }
            let picked: Vec<&CandidateLine> = open_lines
                .into_iter()
                .filter(|line| line.quantities.reserved.min(line.quantities.open()) > 0)
                .collect();
            let lines = picked
                .iter()
                .map(|line| PickLine {
                    line_id: line.line_id,
                    sku: line.sku.clone(),
                    name: line.name.clone(),
                    location: line.location.clone(),
                    pick: line.quantities.reserved.min(line.quantities.open()),
                    open: line.quantities.open(),
                    window: line.window,
                })
                .collect();
            let waited = picked.iter().any(|line| line.waited());
            Some(arrange_order(order, lines, waited))
        })
        .filter(|order| !order.lines.is_empty())
        .collect();
    orders.sort_by(work_cmp);
    orders
}

fn arrange_order(order: CandidateOrder, mut lines: Vec<PickLine>, waited: bool) -> PickOrder {
    lines.sort_by(line_cmp);
    PickOrder {
        order_id: order.order_id,
        order_number: order.order_number,
        customer_name: order.customer_name,
        ordered_at: order.ordered_at,
        priority: order.priority,
        waited,
        lines,
    }
}

/// A saved list again: exactly the saved quantities (`(line_id, quantity)`), the orders in the
/// given order (the saved order of work), rows in bin order. Lines not on the list are left out.
pub fn replan(candidates: Vec<CandidateOrder>, saved: &[(i64, i64)]) -> Vec<PickOrder> {
    let quantity_of = |line_id: i64| {
        saved
            .iter()
            .find(|(saved_id, _)| *saved_id == line_id)
            .map(|(_, quantity)| *quantity)
    };
    candidates
        .into_iter()
        .filter_map(|order| {
            let picked: Vec<&CandidateLine> = order
                .lines
                .iter()
                .filter(|line| quantity_of(line.line_id).is_some())
                .collect();
            if picked.is_empty() {
                return None;
            }
            let lines = picked
                .iter()
                .map(|line| {
                    let pick = quantity_of(line.line_id).unwrap_or(0);
                    PickLine {
                        line_id: line.line_id,
                        sku: line.sku.clone(),
                        name: line.name.clone(),
                        location: line.location.clone(),
                        pick,
                        // Once shipped, the list still reads as it was printed.
                        open: line.quantities.open().max(pick),
                        window: line.window,
                    }
                })
                .collect();
            let waited = picked.iter().any(|line| line.waited());
            Some(arrange_order(order, lines, waited))
        })
        .collect()
}

/// One row of the batched-by-SKU layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuRow {
    pub location: String,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    /// Order number and units, in the order of work.
    pub orders: Vec<(String, i64)>,
    /// "SO-001003: pick 2 of 5 — 3 backordered, ships Mar 3–7" for partly filled lines.
    pub notes: Vec<String>,
}

/// Batches the rows by SKU, sorted by bin.
pub fn batch_by_sku(orders: &[PickOrder], style: DateStyle) -> Vec<SkuRow> {
    let mut rows: Vec<SkuRow> = Vec::new();
    for order in orders {
        for line in &order.lines {
            let index = match rows.iter().position(|row| row.sku == line.sku) {
                Some(index) => index,
                None => {
                    rows.push(SkuRow {
                        location: line.location.clone(),
                        sku: line.sku.clone(),
                        name: line.name.clone(),
                        quantity: 0,
                        orders: Vec::new(),
                        notes: Vec::new(),
                    });
                    rows.len() - 1
                }
            };
            let row = &mut rows[index];
            row.quantity += line.pick;
            row.orders.push((order.order_number.clone(), line.pick));
            if let Some(note) = line.partial_note(style) {
                row.notes.push(format!("{}: {note}", order.order_number));
            }
        }
    }
    rows.sort_by(|a, b| {
        bin_cmp(&a.location, &b.location).then_with(|| natural_cmp(&a.sku, &b.sku))
    });
    rows
}

/// "SO-001001 ×2, SO-001004 ×1".
pub fn orders_text(orders: &[(String, i64)]) -> String {
    orders
        .iter()
        .map(|(number, units)| format!("{number} ×{units}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line of a packing slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipLine {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
}

/// A line still to follow, with when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowLine {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    /// "ships Mar 3–7", "ships next" (reserved, not yet shipped), "date unknown".
    pub when: String,
}

/// What a packing slip lists: what is in the parcel (every unit shipped so far) and what is
/// still to follow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SlipContent {
    pub shipped: Vec<SlipLine>,
    pub to_follow: Vec<FollowLine>,
}

/// A line of an order for a packing slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipSource {
    pub sku: String,
    pub name: String,
    pub quantities: LineQuantities,
    pub window: Option<EtaWindow>,
}

pub fn packing_slip(lines: &[SlipSource], style: DateStyle) -> SlipContent {
    let mut content = SlipContent::default();
    for line in lines {
        let q = line.quantities;
        if q.shipped > 0 {
            content.shipped.push(SlipLine {
                sku: line.sku.clone(),
                name: line.name.clone(),
                quantity: q.shipped,
            });
        }
        let reserved = q.reserved.min(q.open());
        if reserved > 0 {
            content.to_follow.push(FollowLine {
                sku: line.sku.clone(),
                name: line.name.clone(),
                quantity: reserved,
                when: "in stock, ships next".to_owned(),
            });
        }
        if q.waiting() > 0 {
            content.to_follow.push(FollowLine {
                sku: line.sku.clone(),
                name: line.name.clone(),
                quantity: q.waiting(),
                when: line.window.map_or_else(
                    || "date unknown".to_owned(),
                    |window| format!("ships {}", format_window(window, style)),
                ),
            });
        }
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("date")
    }

    fn line(line_id: i64, sku: &str, location: &str, ordered: i64, reserved: i64) -> CandidateLine {
        CandidateLine {
            line_id,
            sku: sku.into(),
            name: format!("{sku} name"),
            location: location.into(),
            quantities: LineQuantities {
                ordered,
                reserved,
                shipped: 0,
                cancelled: 0,
            },
            backordered_at_order: 0,
            window: None,
        }
    }

    fn order(id: i64, ordered_at: NaiveDateTime, lines: Vec<CandidateLine>) -> CandidateOrder {
        CandidateOrder {
            order_id: OrderId(id),
            order_number: format!("SO-{id}"),
            customer_name: format!("Customer {id}"),
            ordered_at,
            priority: Priority::Normal,
            ship_complete: false,
            lines,
        }
    }

    #[test]
    fn natural_order_of_bins() {
        let mut bins = vec![
            "A10", "", "a2", "B1", "A2-3", "A2-10", "A02", "b01", " ", "A1",
        ];
        bins.sort_by(|a, b| bin_cmp(a, b));
        // A1, then a2 = A02 (stable), A2-3 before A2-10, A10, then B1 = b01, empty last.
        assert_eq!(
            bins,
            vec![
                "A1", "a2", "A02", "A2-3", "A2-10", "A10", "B1", "b01", "", " "
            ]
        );
        assert_eq!(natural_cmp("A9", "A10"), Ordering::Less);
        assert_eq!(natural_cmp("shelf 10", "Shelf 9"), Ordering::Greater);
        assert_eq!(natural_cmp("A", "A1"), Ordering::Less);
        assert_eq!(bin_cmp("", "Z99"), Ordering::Greater);
    }

    #[test]
    fn order_of_work_waited_then_priority_then_date() {
        let mut waited = order(4, at(5, 9), vec![line(40, "D", "A1", 2, 2)]);
        waited.lines[0].backordered_at_order = 2;
        let mut high = order(3, at(4, 9), vec![line(30, "C", "A1", 1, 1)]);
        high.priority = Priority::High;
        let old = order(1, at(1, 9), vec![line(10, "A", "A1", 1, 1)]);
        let newer = order(2, at(2, 9), vec![line(20, "B", "A1", 1, 1)]);
        let planned = plan(vec![newer, old, high, waited]);
        let numbers: Vec<&str> = planned.iter().map(|o| o.order_number.as_str()).collect();
        assert_eq!(numbers, vec!["SO-4", "SO-3", "SO-1", "SO-2"]);
        assert!(planned[0].waited);
        assert!(!planned[1].waited);
    }

    #[test]
    fn waited_means_backordered_units_are_now_reserved() {
        // Ordered 4, 1 backordered at the time, 3 reserved then: the 3 were never waiting.
        let mut from_stock = line(1, "A", "A1", 4, 3);
        from_stock.backordered_at_order = 1;
        assert!(!from_stock.waited());
        // The backordered unit came in.
        from_stock.quantities.reserved = 4;
        assert!(from_stock.waited());
        // Ordered 3, all backordered; 1 reserved now, 2 shipped earlier.
        let mut filled = line(2, "B", "A1", 3, 1);
        filled.backordered_at_order = 3;
        filled.quantities.shipped = 2;
        assert!(filled.waited());
        assert!(!line(3, "C", "A1", 2, 2).waited());
    }

    #[test]
    fn pickable_lines_respect_ship_complete() {
        // Partial order: line 1 fully reserved, line 2 two of five, line 3 nothing.
        let partial = order(
            1,
            at(1, 9),
            vec![
                line(11, "LAMP", "B2", 1, 1),
                line(12, "MUG", "A10", 5, 2),
                line(13, "VASE", "A2", 3, 0),
            ],
        );
        // Ship-complete order with one line short: nothing.
        let mut complete_short = order(
            2,
            at(1, 10),
            vec![line(21, "LAMP", "B2", 1, 1), line(22, "MUG", "A10", 2, 1)],
        );
        complete_short.ship_complete = true;
        // Ship-complete order fully reserved (one line already partly shipped).
        let mut complete_ready = order(3, at(1, 11), vec![line(31, "MUG", "A10", 4, 2)]);
        complete_ready.ship_complete = true;
        complete_ready.lines[0].quantities.shipped = 2;
        let planned = plan(vec![partial, complete_short, complete_ready]);
        assert_eq!(planned.len(), 2);
        let first = &planned[0];
        assert_eq!(first.order_number, "SO-1");
        // Rows in bin order: A10 before B2; the unreserved VASE is not on the list.
        let rows: Vec<(&str, i64, i64)> = first
            .lines
            .iter()
            .map(|l| (l.sku.as_str(), l.pick, l.open))
            .collect();
        assert_eq!(rows, vec![("MUG", 2, 5), ("LAMP", 1, 1)]);
        assert_eq!(planned[1].order_number, "SO-3");
        assert_eq!(planned[1].lines[0].pick, 2);
        let sum = totals(&planned);
        assert_eq!(
            sum,
            PickTotals {
                orders: 2,
                lines: 3,
                units: 5
            }
        );
    }

    #[test]
    fn partial_note_uses_the_promise_window_and_locale() {
        let mut mug = line(12, "MUG", "A10", 5, 2);
        mug.window = Some(EtaWindow {
            start: NaiveDate::from_ymd_opt(2026, 3, 3).expect("date"),
            end: NaiveDate::from_ymd_opt(2026, 3, 7).expect("date"),
        });
        let planned = plan(vec![order(1, at(1, 9), vec![mug])]);
        let pick = &planned[0].lines[0];
        assert_eq!(
            pick.partial_note(DateStyle::MonthFirst).as_deref(),
            Some("pick 2 of 5 — 3 backordered, ships Mar 3–7")
        );
        assert_eq!(
            pick.partial_note(DateStyle::DayFirst).as_deref(),
            Some("pick 2 of 5 — 3 backordered, ships 3–7 Mar")
        );
        let mut unknown = pick.clone();
        unknown.window = None;
        assert_eq!(
            unknown.partial_note(DateStyle::MonthFirst).as_deref(),
            Some("pick 2 of 5 — 3 backordered, date unknown")
        );
        let mut full = pick.clone();
        full.pick = 5;
        assert_eq!(full.partial_note(DateStyle::MonthFirst), None);
    }

    #[test]
    fn batched_by_sku_sums_and_keeps_the_order_of_work() {
        let mut first = order(
            1,
            at(2, 9),
            vec![line(11, "MUG", "A10", 2, 2), line(12, "LAMP", "A2", 1, 1)],
        );
        first.lines[0].backordered_at_order = 2;
        let second = order(
            2,
            at(1, 9),
            vec![line(21, "MUG", "A10", 5, 3), line(22, "BOX", "", 1, 1)],
        );
        let planned = plan(vec![second, first]);
        let rows = batch_by_sku(&planned, DateStyle::MonthFirst);
        let summary: Vec<(&str, i64, String)> = rows
            .iter()
            .map(|r| (r.sku.as_str(), r.quantity, orders_text(&r.orders)))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("LAMP", 1, "SO-1 ×1".to_owned()),
                ("MUG", 5, "SO-1 ×2, SO-2 ×3".to_owned()),
                ("BOX", 1, "SO-2 ×1".to_owned()),
            ]
        );
        assert_eq!(
            rows[1].notes,
            vec!["SO-2: pick 3 of 5 — 2 backordered, date unknown".to_owned()]
        );
    }

    #[test]
    fn replan_keeps_saved_quantities_and_order() {
        let candidates = vec![
            order(2, at(1, 9), vec![line(21, "MUG", "A10", 5, 5)]),
            order(
                1,
                at(2, 9),
                vec![line(11, "MUG", "A10", 2, 2), line(12, "LAMP", "A2", 1, 1)],
            ),
        ];
        let again = replan(candidates, &[(21, 3), (12, 1)]);
        assert_eq!(again.len(), 2);
        assert_eq!(again[0].order_number, "SO-2");
        assert_eq!(again[0].lines[0].pick, 3);
        assert_eq!(again[1].lines.len(), 1);
        assert_eq!(again[1].lines[0].sku, "LAMP");
    }

    #[test]
    fn paper_and_date_style_follow_the_settings() {
        assert_eq!(Paper::from_settings(None, None), Paper::Letter);
        assert_eq!(Paper::from_settings(None, Some("intl")), Paper::A4);
        assert_eq!(
            Paper::from_settings(Some("letter"), Some("intl")),
            Paper::Letter
        );
        assert_eq!(
            Paper::from_settings(Some("bogus"), Some("us")),
            Paper::Letter
        );
        assert_eq!(date_style_for_locale(Some(" INTL ")), DateStyle::DayFirst);
        assert_eq!(date_style_for_locale(Some("us")), DateStyle::MonthFirst);
        assert_eq!(PickLayout::from_code("SKU"), Some(PickLayout::BySku));
        assert_eq!(PickLayout::from_code("bin"), None);
    }

    #[test]
    fn packing_slip_lists_shipped_and_to_follow() {
        let window = EtaWindow {
            start: NaiveDate::from_ymd_opt(2026, 2, 27).expect("date"),
            end: NaiveDate::from_ymd_opt(2026, 3, 3).expect("date"),
        };
        let lines = [
            SlipSource {
                sku: "MUG".into(),
                name: "Mug".into(),
                quantities: LineQuantities {
                    ordered: 5,
                    reserved: 0,
                    shipped: 2,
                    cancelled: 0,
                },
                window: Some(window),
            },
            SlipSource {
                sku: "LAMP".into(),
                name: "Lamp".into(),
                quantities: LineQuantities {
                    ordered: 1,
                    reserved: 0,
                    shipped: 1,
                    cancelled: 0,
                },
                window: None,
            },
        ];
        let slip = packing_slip(&lines, DateStyle::MonthFirst);
        assert_eq!(slip.shipped.len(), 2);
        assert_eq!(slip.shipped[0].quantity, 2);
        assert_eq!(
            slip.to_follow,
            vec![FollowLine {
                sku: "MUG".into(),
                name: "Mug".into(),
                quantity: 3,
                when: "ships Feb 27 – Mar 3".into(),
            }]
        );
    }
}
