//! Pick lists and packing slips as PDF: real text in the bundled DejaVu Sans (only the glyphs
//! used are embedded), a header on every page, "page 1 of 3" footers, long names wrapped.
//!
//! Pages are laid out first (as a list of drawing operations per page) so every footer knows
//! the page count, then written with krilla.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use thiserror::Error;

use crate::domain::allocation::Priority;
use crate::domain::picklist::{
    Paper, PickLayout, PickOrder, SlipContent, batch_by_sku, orders_text, totals,
};
use crate::domain::promise::{DateStyle, format_day};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Error)]
pub enum PdfError {
    #[error("the bundled font cannot be read")]
    Font,
    #[error("the page size is not valid")]
    Page,
    #[error("{0}")]
    Write(String),
}

/// What a pick list PDF shows.
#[derive(Debug, Clone, Copy)]
pub struct PickListDocument<'a> {
    pub shop_name: &'a str,
    pub list_number: &'a str,
    pub created_at: NaiveDateTime,
    pub layout: PickLayout,
    pub date_style: DateStyle,
    /// In the order of work, each order's rows in bin order.
    pub orders: &'a [PickOrder],
}

/// What a packing slip PDF shows.
#[derive(Debug, Clone, Copy)]
pub struct SlipDocument<'a> {
    pub shop_name: &'a str,
    pub order_number: &'a str,
    pub customer_name: &'a str,
    pub customer_email: &'a str,
    /// The ship-to address as label lines (empty: the customer's name stands alone).
    pub ship_to: &'a [String],
    pub ordered_on: Option<NaiveDate>,
    pub printed_at: NaiveDateTime,
    pub date_style: DateStyle,
    pub content: &'a SlipContent,
}

// Layout in PDF points (1/72 inch), y downwards from the top edge.
const MARGIN: f32 = 40.0;
const FOOTER_SPACE: f32 = 30.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.5;
const LEADING: f32 = 13.0;
const SMALL_LEADING: f32 = 11.0;
const ROW_PAD: f32 = 5.0;
const INK: u8 = 20;
const MUTED: u8 = 95;
const RULE: u8 = 175;
const BAND: u8 = 236;
const NO_BREAK: char = '\u{a0}';

/// Advance widths of the bundled fonts.
struct Metrics {
    regular: FontMetrics,
    bold: FontMetrics,
}

struct FontMetrics {
    advances: HashMap<char, f32>,
    fallback: f32,
}

impl FontMetrics {
    fn new(data: &[u8]) -> Result<Self, PdfError> {
        let font = FontRef::new(data).map_err(|_| PdfError::Font)?;
        let units = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        if units <= 0.0 {
            return Err(PdfError::Font);
        }
        let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advances = font
            .charmap()
            .mappings()
            .filter_map(|(code, glyph)| {
                let c = char::from_u32(code)?;
                Some((c, glyphs.advance_width(glyph)? / units))
            })
            .collect();
        Ok(Self {
            advances,
            fallback: 0.6,
        })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advances.get(&c).copied().unwrap_or(self.fallback))
            .sum::<f32>()
            * size
    }
}

impl Metrics {
    fn new() -> Result<Self, PdfError> {
        Ok(Self {
            regular: FontMetrics::new(REGULAR)?,
            bold: FontMetrics::new(BOLD)?,
        })
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        if bold {
            self.bold.width(text, size)
        } else {
            self.regular.width(text, size)
        }
    }

    /// Splits `text` into lines no wider than `width`: at spaces (never at a no-break space),
    /// and inside a word too long for a line of its own.
    fn wrap(&self, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text
            .split([' ', '\t', '\n'])
            .filter(|word| !word.is_empty())
        {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size, bold) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if self.width(word, size, bold) <= width {
                word.clone_into(&mut current);
            } else {
                for c in word.chars() {
                    current.push(c);
                    if self.width(&current, size, bold) > width && current.chars().count() > 1 {
                        current.pop();
                        lines.push(std::mem::take(&mut current));
                        current.push(c);
                    }
                }
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// `text` cut with "…" to fit `width`.
    fn fit(&self, text: &str, width: f32, size: f32, bold: bool) -> String {
        if self.width(text, size, bold) <= width {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            out.push(c);
            if self.width(&format!("{out}…"), size, bold) > width {
                out.pop();
                break;
            }
        }
        format!("{}…", out.trim_end())
    }
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        gray: u8,
        text: String,
    },
    Square {
        x: f32,
        y: f32,
        side: f32,
    },
    Band {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        gray: u8,
        width: f32,
    },
}

/// A column of a table: left edge, width, right-aligned or not.
#[derive(Debug, Clone, Copy)]
struct Column {
    x: f32,
    width: f32,
    right: bool,
}

/// Lays out pages: a header on each, content flowing down, a new page when full.
struct Layout<'m> {
    metrics: &'m Metrics,
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Lines of the page header: (left, right) pairs, the first in large bold.
    header: Vec<(String, String)>,
    /// Left side of the footer; the right side is "page N of M".
    footer: String,
}

impl<'m> Layout<'m> {
    fn new(
        metrics: &'m Metrics,
        paper: Paper,
        header: Vec<(String, String)>,
        footer: String,
    ) -> Self {
        let (width, height) = paper.size_points();
        Self {
            metrics,
            width,
            height,
            pages: Vec::new(),
            y: 0.0,
            header,
            footer,
        }
    }

    #[expect(
        clippy::unused_self,
        reason = "reads like its siblings right() and bottom()"
    )]
    fn left(&self) -> f32 {
        MARGIN
    }

    fn right(&self) -> f32 {
        self.width - MARGIN
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOTER_SPACE
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, gray: u8, text: impl Into<String>) {
        // No-break spaces only glue words for wrapping; the page gets plain spaces.
        let text = text.into().replace(NO_BREAK, " ");
        if text.is_empty() {
            return;
        }
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            gray,
            text,
        });
    }

    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, gray: u8, text: &str) {
        let width = self.metrics.width(text, size, bold);
        self.text(right - width, y, size, bold, gray, text);
    }

    fn rule(&mut self, y: f32, gray: u8, width: f32) {
        let (x1, x2) = (self.left(), self.right());
        self.ops().push(Op::Rule {
            x1,
            x2,
            y,
            gray,
            width,
        });
    }

    fn start_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
        let header = self.header.clone();
        for (index, (left, right)) in header.iter().enumerate() {
            let (size, bold, gray, step) = if index == 0 {
                (15.0, true, INK, 19.0)
            } else {
                (9.0, false, MUTED, 12.5)
            };
            self.y += step;
            let right_width = self.metrics.width(right, size, bold);
            let left_room = self.content_width() - right_width - 16.0;
            let left = self.metrics.fit(left, left_room.max(40.0), size, bold);
            let (x, y, r) = (self.left(), self.y, self.right());
            self.text(x, y, size, bold, gray, left);
            self.text_right(r, y, size, bold, gray, right);
        }
        self.y += 8.0;
        self.rule(self.y, INK, 1.0);
        self.y += 6.0;
    }

    /// Starts a new page when `needed` points do not fit; true when it did.
    fn ensure(&mut self, needed: f32) -> bool {
        if self.pages.is_empty() || self.y + needed > self.bottom() {
            self.start_page();
            true
        } else {
            false
        }
    }

    /// Column titles in small bold with a rule under them.
    fn column_titles(&mut self, columns: &[Column], titles: &[&str]) {
        self.y += 12.0;
        for (column, title) in columns.iter().zip(titles) {
            if column.right {
                self.text_right(column.x + column.width, self.y, SMALL, true, MUTED, title);
            } else {
                self.text(column.x, self.y, SMALL, true, MUTED, *title);
            }
        }
        self.y += 5.0;
        self.rule(self.y, RULE, 0.6);
    }

    fn finish(self) -> (Vec<Vec<Op>>, String, f32, f32) {
        (self.pages, self.footer, self.width, self.height)
    }
}

/// One table row: cells of wrapped text, an optional check square, and small grey notes under
/// the widest cell.
struct Row {
    check: bool,
    /// (column index, lines, bold)
    cells: Vec<(usize, Vec<String>, bool)>,
    notes_column: usize,
    notes: Vec<String>,
}

impl Row {
    fn height(&self) -> f32 {
        let main = self
            .cells
            .iter()
            .map(|(_, lines, _)| lines.len())
            .max()
            .unwrap_or(1)
            .max(1) as f32
            * LEADING;
        main + self.notes.len() as f32 * SMALL_LEADING + 2.0 * ROW_PAD
    }
}

fn draw_row(layout: &mut Layout<'_>, columns: &[Column], row: &Row) {
    let top = layout.y;
    let baseline = top + ROW_PAD + BODY;
    if row.check {
        let side = 9.0;
        layout.ops().push(Op::Square {
            x: columns[0].x + 1.0,
            y: baseline - side + 0.5,
            side,
        });
    }
    let mut notes_y = baseline;
    for (index, lines, bold) in &row.cells {
        let column = columns[*index];
        let mut y = baseline;
        for line in lines {
            if column.right {
                layout.text_right(column.x + column.width, y, BODY + 1.0, *bold, INK, line);
            } else {
                layout.text(column.x, y, BODY, *bold, INK, line.clone());
            }
            y += LEADING;
        }
        if *index == row.notes_column {
            notes_y = y - LEADING + SMALL_LEADING + 1.0;
        }
    }
    let notes_x = columns[row.notes_column].x;
    for note in &row.notes {
        layout.text(notes_x, notes_y, SMALL, false, MUTED, note.clone());
        notes_y += SMALL_LEADING;
    }
    layout.y = top + row.height();
    layout.rule(layout.y, BAND, 0.5);
}

fn format_stamp(at: NaiveDateTime, style: DateStyle) -> String {
    let day = format_day(at.date(), style);
    match style {
        DateStyle::MonthFirst => format!("{day}, {} {}", at.format("%Y"), at.format("%H:%M")),
        DateStyle::DayFirst => format!("{day} {} {}", at.format("%Y"), at.format("%H:%M")),
        DateStyle::Iso => at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn plural(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The pick list columns: check, bin, SKU, item, quantity.
fn pick_columns(layout: &Layout<'_>) -> [Column; 5] {
    let left = layout.left();
    let width = layout.content_width();
    let check = 20.0;
    let bin = 64.0;
    let sku = 104.0;
    let qty = 40.0;
    let item = width - check - bin - sku - qty - 12.0;
    [
        Column {
            x: left,
            width: check,
            right: false,
        },
        Column {
            x: left + check,
            width: bin - 6.0,
            right: false,
        },
        Column {
            x: left + check + bin,
            width: sku - 8.0,
            right: false,
        },
        Column {
            x: left + check + bin + sku,
            width: item,
            right: false,
        },
        Column {
            x: left + width - qty,
            width: qty,
            right: true,
        },
    ]
}

const PICK_TITLES: [&str; 5] = ["", "Bin", "SKU", "Item", "Qty"];

fn pick_row(
    metrics: &Metrics,
    columns: &[Column; 5],
    location: &str,
    sku: &str,
    name: &str,
    quantity: i64,
    notes: &[String],
) -> Row {
    let bin = if location.trim().is_empty() {
        "—".to_owned()
    } else {
        location.to_owned()
    };
    let mut wrapped_notes = Vec::new();
    for note in notes {
        wrapped_notes.extend(metrics.wrap(note, columns[3].width, SMALL, false));
    }
    Row {
        check: true,
        cells: vec![
            (1, metrics.wrap(&bin, columns[1].width, BODY, true), true),
            (2, metrics.wrap(sku, columns[2].width, BODY, false), false),
            (3, metrics.wrap(name, columns[3].width, BODY, false), false),
            (4, vec![quantity.to_string()], true),
        ],
        notes_column: 3,
        notes: wrapped_notes,
    }
}

/// Renders a pick list.
pub fn render_pick_list(
    document: &PickListDocument<'_>,
    paper: Paper,
) -> Result<Vec<u8>, PdfError> {
    render_pick_list_with(document, paper, &HashMap::new())
}

/// Renders a pick list; laid out by order, each order's block names where it goes
/// (`ship_to`: the address on one line, by order id).
pub fn render_pick_list_with<S: std::hash::BuildHasher>(
    document: &PickListDocument<'_>,
    paper: Paper,
    ship_to: &HashMap<i64, String, S>,
) -> Result<Vec<u8>, PdfError> {
    let metrics = Metrics::new()?;
    let sum = totals(document.orders);
    let header = vec![
        (
            document.shop_name.to_owned(),
            format!("Pick list {}", document.list_number),
        ),
        (
            format!(
                "Created {} · {}",
                format_stamp(document.created_at, document.date_style),
                document.layout.label().to_lowercase()
            ),
            format!(
                "{} · {} · {}",
                plural(sum.orders as i64, "order", "orders"),
                plural(sum.lines as i64, "line", "lines"),
                plural(sum.units, "unit", "units")
            ),
        ),
    ];
    let footer = format!("{} · {}", document.list_number, document.shop_name);
    let mut layout = Layout::new(&metrics, paper, header, footer);
    let columns = pick_columns(&layout);
    match document.layout {
        PickLayout::ByOrder => by_order(&mut layout, &columns, document, ship_to),
        PickLayout::BySku => by_sku(&mut layout, &columns, document),
    }
    if layout.pages.is_empty() {
        layout.start_page();
    }
    let title = format!("Pick list {}", document.list_number);
    write_pdf(layout, &title)
}

fn order_band(layout: &mut Layout<'_>, order: &PickOrder, style: DateStyle, continued: bool) {
    let height = 20.0;
    layout.y += 6.0;
    let (x, y, w) = (layout.left(), layout.y, layout.content_width());
    layout.ops().push(Op::Band { x, y, w, h: height });
    let baseline = y + 14.0;
    let mut tags = Vec::new();
    if order.waited {
        tags.push("waited".to_owned());
    }
    if order.priority == Priority::High {
        tags.push("high priority".to_owned());
    }
    tags.push(format!(
        "ordered {}",
        format_day(order.ordered_at.date(), style)
    ));
    tags.push(plural(order.units(), "unit", "units"));
    let right = tags.join(" · ");
    let right_width = layout.metrics.width(&right, SMALL + 0.5, false);
    let mut left = format!("{}   {}", order.order_number, order.customer_name);
    if continued {
        left.push_str(" (continued)");
    }
    let room = w - right_width - 24.0;
    let left = layout.metrics.fit(&left, room.max(60.0), BODY + 0.5, true);
    layout.text(x + 6.0, baseline, BODY + 0.5, true, INK, left);
    layout.text_right(x + w - 6.0, baseline, SMALL + 0.5, false, MUTED, &right);
    layout.y += height;
}

fn by_order<S: std::hash::BuildHasher>(
    layout: &mut Layout<'_>,
    columns: &[Column; 5],
    document: &PickListDocument<'_>,
    ship_to: &HashMap<i64, String, S>,
) {
    let metrics = layout.metrics;
    layout.ensure(0.0);
    layout.column_titles(columns, &PICK_TITLES);
    for order in document.orders {
        let rows: Vec<Row> = order
            .lines
            .iter()
            .map(|line| {
                let notes: Vec<String> =
                    line.partial_note(document.date_style).into_iter().collect();
                pick_row(
                    metrics,
                    columns,
                    &line.location,
                    &line.sku,
                    &line.name,
                    line.pick,
                    &notes,
                )
            })
            .collect();
        let first = rows.first().map_or(0.0, Row::height);
        if layout.ensure(26.0 + first) {
            layout.column_titles(columns, &PICK_TITLES);
        }
        order_band(layout, order, document.date_style, false);
        if let Some(address) = ship_to.get(&order.order_id.0) {
            let text = format!("Ship to: {address}");
            for line in metrics.wrap(&text, layout.content_width() - 12.0, SMALL, false) {
                layout.y += SMALL_LEADING;
                let (x, y) = (layout.left() + 6.0, layout.y);
                layout.text(x, y, SMALL, false, MUTED, line);
            }
            layout.y += 4.0;
        }
        for row in &rows {
            if layout.ensure(row.height()) {
                layout.column_titles(columns, &PICK_TITLES);
                order_band(layout, order, document.date_style, true);
            }
            draw_row(layout, columns, row);
        }
    }
}

fn by_sku(layout: &mut Layout<'_>, columns: &[Column; 5], document: &PickListDocument<'_>) {
    let metrics = layout.metrics;
    layout.ensure(0.0);
    layout.column_titles(columns, &PICK_TITLES);
    for sku_row in batch_by_sku(document.orders, document.date_style) {
        // "SO-1 ×2" stays on one line.
        let for_orders = orders_text(&sku_row.orders).replace(" ×", &format!("{NO_BREAK}×"));
        let mut notes = vec![format!("for {for_orders}")];
        notes.extend(sku_row.notes.iter().cloned());
        let row = pick_row(
            metrics,
            columns,
            &sku_row.location,
            &sku_row.sku,
            &sku_row.name,
            sku_row.quantity,
            &notes,
        );
        if layout.ensure(row.height()) {
            layout.column_titles(columns, &PICK_TITLES);
        }
        draw_row(layout, columns, &row);
    }
}

/// Renders a packing slip.
#[expect(
    clippy::too_many_lines,
    reason = "a packing slip drawn from the top of the page to the bottom"
)]
pub fn render_packing_slip(document: &SlipDocument<'_>, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let metrics = Metrics::new()?;
    let ordered = document.ordered_on.map_or_else(String::new, |day| {
        format!(" · ordered {}", format_day(day, document.date_style))
    });
    let header = vec![
        (document.shop_name.to_owned(), "Packing slip".to_owned()),
        (
            format!("Order {}{ordered}", document.order_number),
            format!(
                "Printed {}",
                format_stamp(document.printed_at, document.date_style)
            ),
        ),
    ];
    let footer = format!(
        "Packing slip {} · {}",
        document.order_number, document.shop_name
    );
    let mut layout = Layout::new(&metrics, paper, header, footer);
    layout.ensure(0.0);
    layout.y += 16.0;
    let x = layout.left();
    layout.text(x, layout.y, SMALL, true, MUTED, "SHIP TO");
    layout.y += 15.0;
    let y = layout.y;
    let (first, rest) = match document.ship_to.split_first() {
        Some((first, rest)) => (first.as_str(), rest),
        None => (document.customer_name, &[][..]),
    };
    layout.text(x, y, BODY + 2.0, true, INK, first);
    for line in rest {
        layout.y += 14.0;
        let y = layout.y;
        layout.text(x, y, BODY + 1.0, false, INK, line.as_str());
    }
    if !document.customer_email.is_empty() {
        layout.y += 14.0;
        let y = layout.y;
        layout.text(x, y, BODY, false, MUTED, document.customer_email);
    }
    layout.y += 10.0;

    let left = layout.left();
    let width = layout.content_width();
    let columns = [
        Column {
            x: left,
            width: 110.0,
            right: false,
        },
        Column {
            x: left + 116.0,
            width: width - 116.0 - 56.0 - 150.0,
            right: false,
        },
        Column {
            x: left + width - 150.0 - 50.0,
            width: 40.0,
            right: true,
        },
        Column {
            x: left + width - 146.0,
            width: 146.0,
            right: false,
        },
    ];
    section_title(&mut layout, "Shipped");
    if document.content.shipped.is_empty() {
        note_line(&mut layout, "Nothing of this order has shipped yet.");
    } else {
        layout.column_titles(&columns[..3], &["SKU", "Item", "Qty"]);
        for line in &document.content.shipped {
            let row = Row {
                check: false,
                cells: vec![
                    (
                        0,
                        metrics.wrap(&line.sku, columns[0].width, BODY, false),
                        false,
                    ),
                    (
                        1,
                        metrics.wrap(&line.name, columns[1].width + 150.0, BODY, false),
                        false,
                    ),
                    (2, vec![line.quantity.to_string()], true),
                ],
                notes_column: 1,
                notes: Vec::new(),
            };
            if layout.ensure(row.height()) {
                layout.column_titles(&columns[..3], &["SKU", "Item", "Qty"]);
            }
            draw_row(&mut layout, &columns, &row);
        }
    }
    layout.y += 10.0;
    layout.ensure(60.0);
    section_title(&mut layout, "Still to follow");
    if document.content.to_follow.is_empty() {
        note_line(
            &mut layout,
            "Nothing else to follow: this order is complete.",
        );
    } else {
        let titles = ["SKU", "Item", "Qty", "Expected"];
        layout.column_titles(&columns, &titles);
        for line in &document.content.to_follow {
            let row = Row {
                check: false,
                cells: vec![
                    (
                        0,
                        metrics.wrap(&line.sku, columns[0].width, BODY, false),
                        false,
                    ),
                    (
                        1,
                        metrics.wrap(&line.name, columns[1].width, BODY, false),
                        false,
                    ),
                    (2, vec![line.quantity.to_string()], true),
                    (
                        3,
                        metrics.wrap(&line.when, columns[3].width, BODY, false),
                        false,
                    ),
                ],
                notes_column: 1,
                notes: Vec::new(),
            };
            if layout.ensure(row.height()) {
                layout.column_titles(&columns, &titles);
            }
            draw_row(&mut layout, &columns, &row);
        }
    }
    layout.y += 18.0;
    layout.ensure(30.0);
    let x = layout.left();
    let width = layout.content_width();
    for line in metrics.wrap(
        "Expected dates are windows: the earliest and the latest day we expect to send the rest.",
        width,
        SMALL,
        false,
    ) {
        let y = layout.y;
        layout.text(x, y, SMALL, false, MUTED, line);
        layout.y += SMALL_LEADING;
    }
    let title = format!("Packing slip {}", document.order_number);
    write_pdf(layout, &title)
}

fn section_title(layout: &mut Layout<'_>, title: &str) {
    layout.y += 18.0;
    let (x, y) = (layout.left(), layout.y);
    layout.text(x, y, BODY + 2.0, true, INK, title);
    layout.y += 2.0;
}

fn note_line(layout: &mut Layout<'_>, text: &str) {
    layout.y += 15.0;
    let (x, y) = (layout.left(), layout.y);
    layout.text(x, y, BODY, false, MUTED, text);
    layout.y += 4.0;
}

fn gray(level: u8) -> krilla::paint::Paint {
    rgb::Color::new(level, level, level).into()
}

#[expect(
    clippy::too_many_lines,
    reason = "places every laid-out block on its page in one pass that carries the position"
)]
fn write_pdf(layout: Layout<'_>, title: &str) -> Result<Vec<u8>, PdfError> {
    let metrics = layout.metrics;
    let (pages, footer, width, height) = layout.finish();
    let metrics_font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or(PdfError::Font);
    let regular = metrics_font(REGULAR)?;
    let bold = metrics_font(BOLD)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Backorder Desk".to_owned()),
    );
    let count = pages.len();
    for (index, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(width, height).ok_or(PdfError::Page)?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut footer_ops = vec![
            Op::Rule {
                x1: MARGIN,
                x2: width - MARGIN,
                y: height - MARGIN - 12.0,
                gray: RULE,
                width: 0.5,
            },
            Op::Text {
                x: MARGIN,
                y: height - MARGIN,
                size: SMALL,
                bold: false,
                gray: MUTED,
                text: footer.clone(),
            },
        ];
        let page_text = format!("page {} of {count}", index + 1);
        let page_width = metrics.width(&page_text, SMALL, false);
        footer_ops.push(Op::Text {
            x: width - MARGIN - page_width,
            y: height - MARGIN,
            size: SMALL,
            bold: false,
            gray: MUTED,
            text: page_text,
        });
        for op in ops.iter().chain(&footer_ops) {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    gray: level,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: gray(*level),
                        opacity: NormalizedF32::ONE,
                        rule: krilla::paint::FillRule::default(),
                    }));
                    let font = if *is_bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font,
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Square { x, y, side } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *side, *side) else {
                        continue;
                    };
                    let mut builder = PathBuilder::new();
                    builder.push_rect(rect);
                    let Some(path) = builder.finish() else {
                        continue;
                    };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: gray(INK),
                        width: 0.8,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
                Op::Band { x, y, w, h } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut builder = PathBuilder::new();
                    builder.push_rect(rect);
                    let Some(path) = builder.finish() else {
                        continue;
                    };
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: gray(BAND),
                        opacity: NormalizedF32::ONE,
                        rule: krilla::paint::FillRule::default(),
                    }));
                    surface.draw_path(&path);
                }
                Op::Rule {
                    x1,
                    x2,
                    y,
                    gray: level,
                    width: line_width,
                } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(*x1, *y);
                    builder.line_to(*x2, *y);
                    let Some(path) = builder.finish() else {
                        continue;
                    };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: gray(*level),
                        width: *line_width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|error| PdfError::Write(format!("{error:?}")))
}
