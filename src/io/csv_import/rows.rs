//! The row loop shared by every layout: a per-row context with value helpers, and the iterator
//! that turns records into typed rows and keeps the summary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::RangeInclusive;

use super::record::{ColumnMap, RecordSource};
use super::values::{
    self, DateOrder, NumberStyle, Stamp, check_sku, has_control_chars, looks_like_scientific,
    parse_cents, parse_whole,
};
use super::{ImportError, ImportSummary, RowError, RowResult, Warning};
use crate::domain::limits::{
    MAX_CENTS, MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_UNITS, check_cents, check_day, check_text,
    thousands,
};
use crate::domain::text::shorten;

/// Characters of a value kept in a row error or warning (a file's cell may be megabytes long).
const SHOWN_CHARS: usize = 200;

/// Everything a layout needs to read one row.
pub(crate) struct Cx<'a, 'r> {
    source: &'a RecordSource<'r>,
    columns: &'a ColumnMap,
    pub style: NumberStyle,
    pub date_order: Option<DateOrder>,
    /// Our own files guard cells that spreadsheets would run as formulas: read them back as
    /// they were ([`crate::io::csv_guard`]).
    unguard: bool,
    pub errors: Vec<RowError>,
    pub warnings: Vec<Warning>,
    /// Why the row is not a record of this kind, when the parser skips it.
    skip_reason: Option<&'static str>,
}

impl<'a> Cx<'a, '_> {
    /// Skips the row (it is not a record of this kind), saying why; the summary counts the
    /// reasons. Returns `None` for the parser to return.
    pub fn skip<T>(&mut self, reason: &'static str) -> Option<T> {
        self.skip_reason = Some(reason);
        None
    }
    /// Physical line of the row.
    pub fn line(&self) -> u64 {
        self.source.line()
    }

    /// True when the file has column `column`.
    pub fn has(&self, column: usize) -> bool {
        self.columns.fields[column].is_some()
    }

    /// The trimmed text of a column, or `None` when the file has no such column.
    pub fn cell(&self, column: usize) -> Option<Cow<'a, str>> {
        self.columns.fields[column].map(|index| {
            let text = self.source.text(index);
            if self.unguard {
                crate::io::csv_guard::unguard_cow(text)
            } else {
                text
            }
        })
    }

    /// The trimmed text of the file's field `index` (a column no spec names).
    pub fn raw_text(&self, index: usize) -> Cow<'a, str> {
        self.source.text(index)
    }

    /// The trimmed text of a column; empty when the file has no such column.
    pub fn text(&self, column: usize) -> Cow<'a, str> {
        self.cell(column).unwrap_or(Cow::Borrowed(""))
    }

    /// Records a problem with a value: the row is not imported.
    pub fn fail(&mut self, column: usize, value: &str, reason: impl Into<String>) {
        self.errors.push(RowError {
            line: self.line(),
            column: self.columns.names[column].clone(),
            value: shorten(value, SHOWN_CHARS).into_owned(),
            reason: reason.into(),
        });
    }

    /// Records a warning about a value: the row is still imported.
    pub fn warn(&mut self, column: usize, value: &str, message: &str) {
        self.warnings.push(Warning {
            line: Some(self.line()),
            message: format!(
                "column {}: value '{}' {message}",
                self.columns.names[column],
                shorten(value, SHOWN_CHARS)
            ),
        });
    }

    /// A required SKU: checked against the catalog's rules; scientific notation is warned about.
    pub fn sku_of(&mut self, column: usize, value: &str) -> Option<String> {
        if let Err(reason) = check_sku(value) {
            self.fail(column, value, reason);
            return None;
        }
        self.warn_if_scientific(column, value);
        Some(value.to_owned())
    }

    /// The SKU of a platform row (Shopify, WooCommerce): a SKU the catalog cannot take (a line
    /// break in it, too long) is warned about and left out, so the variant is keyed by its
    /// identity in the shop like one without a SKU. `identity` names that key for the message.
    pub fn platform_sku(&mut self, column: usize, value: &str, identity: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        if let Err(reason) = check_sku(value) {
            let shown = value.replace(['\n', '\r'], "⏎");
            self.warn(
                column,
                &shown,
                &format!(
                    "{reason}, so it cannot be a SKU here: the variant is imported keyed by \
                     {identity}; correct the SKU in the shop"
                ),
            );
            return String::new();
        }
        self.warn_if_scientific(column, value);
        value.to_owned()
    }

    /// Warns when a code looks like a number a spreadsheet turned into `3.65275E+11`.
    pub fn warn_if_scientific(&mut self, column: usize, value: &str) {
        if looks_like_scientific(value) {
            self.warn(
                column,
                value,
                "looks like a number a spreadsheet turned into scientific notation; \
                 the original digits are lost, fix it at the source",
            );
        }
    }

    /// Free text without line breaks or tabs; `None` when the column is absent.
    pub fn line_text(&mut self, column: usize) -> Option<String> {
        let value = self.cell(column)?;
        self.line_text_of(column, &value)
    }

    /// Checks `value` as free text without line breaks or tabs, of at most
    /// [`MAX_NAME_CHARS`] characters.
    pub fn line_text_of(&mut self, column: usize, value: &str) -> Option<String> {
        if has_control_chars(value) {
            self.fail(column, value, "must not contain line breaks or tabs");
            return None;
        }
        self.within(column, value, MAX_NAME_CHARS)?;
        Some(value.to_owned())
    }

    /// `Some(())` when `value` has at most `max` characters; else the row fails.
    fn within(&mut self, column: usize, value: &str, max: usize) -> Option<()> {
        match check_text("", value, max) {
            Ok(_) => Some(()),
            Err(error) => {
                self.fail(column, value, format!("{}; {}", error.problem, error.fix));
                None
            }
        }
    }

    /// A required order or PO number: text of at most [`MAX_CODE_CHARS`] characters.
    pub fn required_code(&mut self, column: usize, what: &str) -> Option<String> {
        let value = self.required_text(column, what)?;
        self.within(column, &value, MAX_CODE_CHARS)?;
        Some(value)
    }

    /// A required value that must not be empty.
    pub fn required_text(&mut self, column: usize, what: &str) -> Option<String> {
        let value = self.text(column);
        if value.is_empty() {
            self.fail(column, "", format!("{what} is required"));
            return None;
        }
        self.line_text_of(column, &value)
    }

    /// An amount of money, 0 or more; `None` when absent, empty or wrong (then recorded).
    pub fn money(&mut self, column: usize) -> Option<i64> {
        let value = self.cell(column)?;
        self.money_of(column, &value)
    }

    /// Parses `value` as an amount of money, 0 or more.
    pub fn money_of(&mut self, column: usize, value: &str) -> Option<i64> {
        if value.is_empty() {
            return None;
        }
        match parse_cents(value, self.style) {
            Ok(cents) if cents < 0 => {
                self.fail(column, value, "must not be negative");
                None
            }
            Ok(cents) if cents > MAX_CENTS => {
                let error = check_cents("", cents).err();
                let reason = error.map_or_else(String::new, |error| {
                    format!("{}; {}", error.problem, error.fix)
                });
                self.fail(column, value, reason);
                None
            }
            Ok(cents) => Some(cents),
            Err(reason) => {
                self.fail(column, value, reason);
                None
            }
        }
    }

    /// A whole number in `range`; `None` when absent, empty or wrong (then recorded).
    pub fn whole(&mut self, column: usize, range: RangeInclusive<i64>) -> Option<i64> {
        let value = self.cell(column)?;
        self.whole_of(column, &value, range)
    }

    /// Parses `value` as a whole number in `range`.
    pub fn whole_of(
        &mut self,
        column: usize,
        value: &str,
        range: RangeInclusive<i64>,
    ) -> Option<i64> {
        if value.is_empty() {
            return None;
        }
        match parse_whole(value, self.style) {
            Ok(number) if range.contains(&number) => Some(number),
            Ok(number) => {
                let (start, end) = (*range.start(), *range.end());
                let reason = if number > end {
                    format!(
                        "is more than {}, the most accepted; check the number",
                        thousands(end)
                    )
                } else {
                    match (start, end) {
                        (0, MAX_UNITS) => "must not be negative".to_owned(),
                        (1, MAX_UNITS) => "must be 1 or more".to_owned(),
                        _ => format!("must be between {start} and {end}"),
                    }
                };
                self.fail(column, value, reason);
                None
            }
            Err(reason) => {
                self.fail(column, value, reason);
                None
            }
        }
    }

    /// A date with optional time and offset; `None` when absent, empty or wrong (then recorded).
    pub fn stamp(&mut self, column: usize) -> Option<Stamp> {
        let value = self.cell(column)?;
        if value.is_empty() {
            return None;
        }
        match values::parse_stamp(&value, self.date_order) {
            Ok(stamp) => match check_day("", stamp.local.date()) {
                Ok(_) => Some(stamp),
                Err(error) => {
                    self.fail(column, &value, format!("{}; {}", error.problem, error.fix));
                    None
                }
            },
            Err(reason) => {
                self.fail(column, &value, reason);
                None
            }
        }
    }
}

/// Turns one record into a typed row of one layout.
pub(crate) trait RowParser: Send {
    type Row;

    /// Reads the current record. `None` without errors means "not a row of this kind" (an
    /// image-only Shopify row, a WooCommerce variable parent): it is counted as skipped.
    fn parse(&mut self, cx: &mut Cx<'_, '_>) -> Option<Self::Row>;
}

/// Remembers where each SKU was seen, to report duplicates.
#[derive(Debug, Default)]
pub(crate) struct SkuLines(HashMap<String, u64>);

impl SkuLines {
    /// False (and an error naming both lines) when the SKU was seen before.
    pub fn first_time(&mut self, cx: &mut Cx<'_, '_>, column: usize, sku: &str) -> bool {
        if let Some(first) = self.0.get(sku) {
            let reason = format!("duplicate SKU: also on line {first}");
            cx.fail(column, sku, reason);
            return false;
        }
        self.0.insert(sku.to_owned(), cx.line());
        true
    }
}

impl<T> std::fmt::Debug for Rows<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("summary", &self.summary)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// Typed rows from a file, one at a time.
///
/// Each item is `Ok(Ok(row))`, `Ok(Err(errors))` for a row with problems (the errors are also
/// kept in [`Rows::summary`]), or `Err` when the file itself could not be read (then the
/// iteration ends).
pub struct Rows<'r, T> {
    source: RecordSource<'r>,
    columns: ColumnMap,
    header_len: usize,
    parser: Box<dyn RowParser<Row = T> + 'r>,
    style: NumberStyle,
    date_order: Option<DateOrder>,
    unguard: bool,
    summary: ImportSummary,
    max_kept: usize,
    finished: bool,
    extra_values_reported: bool,
}

impl<'r, T> Rows<'r, T> {
    pub(crate) fn new(
        source: RecordSource<'r>,
        columns: ColumnMap,
        header_len: usize,
        parser: Box<dyn RowParser<Row = T> + 'r>,
        summary: ImportSummary,
        max_kept: usize,
    ) -> Self {
        let style = NumberStyle {
            decimal_comma: summary.file.delimiter == b';',
        };
        let date_order = summary.file.date_format.order();
        let unguard = summary.file.layout.format() == super::Format::Own;
        Self {
            source,
            columns,
            header_len,
            parser,
            style,
            date_order,
            unguard,
            summary,
            max_kept,
            finished: false,
            extra_values_reported: false,
        }
    }

    /// What has been read so far; complete once the iterator returned `None`.
    pub fn summary(&self) -> &ImportSummary {
        &self.summary
    }

    /// Ends the reading and returns the summary.
    pub fn into_summary(self) -> ImportSummary {
        self.summary
    }

    /// Bytes of the file read so far, for a progress bar (compare with the file size).
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes_read()
    }

    /// Reads every row, keeping the good ones. File-level errors end the reading.
    pub fn collect_valid(mut self) -> Result<Parsed<T>, ImportError> {
        let mut rows = Vec::new();
        for item in self.by_ref() {
            if let Ok(row) = item? {
                rows.push(row);
            }
        }
        Ok(Parsed {
            rows,
            summary: self.summary,
        })
    }

    fn keep_warning(&mut self, warning: Warning) {
        if self.summary.warnings.len() < self.max_kept {
            self.summary.warnings.push(warning);
        } else {
            self.summary.warnings_not_kept += 1;
        }
    }

    /// Counts a row with errors and keeps its errors (up to the report's limit).
    fn count_errors(&mut self, errors: Vec<RowError>) -> Vec<RowError> {
        self.summary.rows_with_errors += 1;
        let room = self.max_kept.saturating_sub(self.summary.errors.len());
        self.summary
            .errors
            .extend(errors.iter().take(room).cloned());
        self.summary.errors_not_kept += errors.len().saturating_sub(room) as u64;
        errors
    }

    /// One error per column the layout reads whose value is not UTF-8 (in a UTF-8 file): the
    /// row is not imported, and nothing is read in another encoding.
    fn bad_utf8_errors(&self) -> Vec<RowError> {
        let mut errors = Vec::new();
        for (spec, field) in self.columns.fields.iter().enumerate() {
            let Some(index) = *field else { continue };
            let Some((position, byte)) = self.source.bad_utf8(index) else {
                continue;
            };
            errors.push(RowError {
                line: self.source.line(),
                column: self.columns.names[spec].clone(),
                value: shorten(&self.source.text(index), SHOWN_CHARS).into_owned(),
                reason: format!(
                    "character {position} is the byte 0x{byte:02X}, which is not UTF-8 (the rest \
                     of the file is UTF-8); type the character again, or save the file again as \
                     UTF-8 (in Excel: CSV UTF-8)"
                ),
            });
        }
        errors
    }

    fn check_extra_values(&mut self) {
        if self.extra_values_reported || self.source.len() <= self.header_len {
            return;
        }
        let extra =
            (self.header_len..self.source.len()).any(|index| !self.source.text(index).is_empty());
        if extra {
            self.extra_values_reported = true;
            let line = self.source.line();
            self.keep_warning(Warning {
                line: Some(line),
                message: "values to the right of the last named column are ignored".into(),
            });
        }
    }
}

impl<T> Iterator for Rows<'_, T> {
    type Item = Result<RowResult<T>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.finished {
                return None;
            }
            match self.source.next_record() {
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
                Ok(false) => {
                    self.finished = true;
                    return None;
                }
                Ok(true) => {}
            }
            self.summary.rows_read += 1;
            self.check_extra_values();
            if self.source.has_bad_utf8() {
                let errors = self.bad_utf8_errors();
                if !errors.is_empty() {
                    return Some(Ok(Err(self.count_errors(errors))));
                }
            }
            let mut cx = Cx {
                source: &self.source,
                columns: &self.columns,
                style: self.style,
                date_order: self.date_order,
                unguard: self.unguard,
                errors: Vec::new(),
                warnings: Vec::new(),
                skip_reason: None,
            };
            let row = self.parser.parse(&mut cx);
            let Cx {
                errors,
                warnings,
                skip_reason,
                ..
            } = cx;
            for warning in warnings {
                self.keep_warning(warning);
            }
            if !errors.is_empty() {
                return Some(Ok(Err(self.count_errors(errors))));
            }
            match row {
                Some(row) => {
                    self.summary.rows_ok += 1;
                    return Some(Ok(Ok(row)));
                }
                None => {
                    self.summary.rows_skipped += 1;
                    let reason = skip_reason.unwrap_or("rows that are not products");
                    match self
                        .summary
                        .skip_reasons
                        .iter_mut()
                        .find(|(known, _)| known == reason)
                    {
                        Some((_, count)) => *count += 1,
                        None => self.summary.skip_reasons.push((reason.to_owned(), 1)),
                    }
                }
            }
        }
    }
}

/// All good rows of a file with the summary (for small files and tests).
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The rows without errors, in file order.
    pub rows: Vec<T>,
    /// Counts, errors and warnings.
    pub summary: ImportSummary,
}
