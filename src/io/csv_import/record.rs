//! Records straight from the file: decoding, physical line numbers, blank rows, the header and
//! the columns a layout uses.

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::ImportError;
use super::sniff::{Sniffed, TextEncoding};
use super::values::trim;

/// The chunk of the file most recently handed to the CSV parser.
///
/// The parser reports the line count after a record; whether that count includes the record's
/// own line break depends on the byte the record ended with, which is in this chunk.
#[derive(Debug, Default)]
struct Tail {
    start: u64,
    bytes: Vec<u8>,
}

/// Where the row being parsed started and how long a row may be: the reader refuses to feed
/// the parser more than that, so a field that never ends (a missing closing quote in a 2 GB
/// file) cannot fill the memory.
#[derive(Debug)]
struct RowBudget {
    start: AtomicU64,
    limit: AtomicU64,
}

/// Bytes the parser may read ahead of a row's end (its buffer is 64 KB).
const READ_AHEAD: u64 = 1 << 20;
/// Fields a row may have.
pub(crate) const MAX_COLUMNS: usize = 20_000;
/// The longest row read by default, in bytes.
pub(crate) const DEFAULT_MAX_ROW_BYTES: usize = 16 << 20;

/// The reader's way of saying "this row is too long" through an I/O error.
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a row is too long")
    }
}

impl std::error::Error for RowTooLong {}

/// Passes bytes through and keeps a copy of the last chunk.
struct TailReader<R> {
    inner: R,
    offset: u64,
    tail: Arc<Mutex<Tail>>,
    budget: Arc<RowBudget>,
}

impl<R: Read> Read for TailReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let start = self.budget.start.load(Ordering::Relaxed);
        let limit = self.budget.limit.load(Ordering::Relaxed);
        if self.offset.saturating_sub(start) > limit.saturating_add(READ_AHEAD) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RowTooLong));
        }
        let count = self.inner.read(buf)?;
        if count > 0 {
            let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
            tail.start = self.offset;
            tail.bytes.clear();
            tail.bytes.extend_from_slice(&buf[..count]);
            self.offset += count as u64;
        }
        Ok(count)
    }
}

/// Turns bare `\r` line ends into `\n` so line numbers count them.
struct CrToLf<R> {
    inner: R,
}

impl<R: Read> Read for CrToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        for byte in &mut buf[..count] {
            if *byte == b'\r' {
                *byte = b'\n';
            }
        }
        Ok(count)
    }
}

/// The record being read: checked as UTF-8 once, or raw bytes (Windows-1252 files, stray bytes).
#[derive(Debug)]
enum Current {
    Bytes(csv::ByteRecord),
    Text(csv::StringRecord),
    Empty,
}

/// How the bytes of a field become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoding {
    Utf8,
    Windows1252,
}

/// The header row.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Physical line of the header (1 unless blank lines or a `sep=` line come first).
    pub line: u64,
    /// Column names as written (trimmed).
    pub names: Vec<String>,
    /// Column names folded for matching: lower case, no spaces or underscores.
    pub folded: Vec<String>,
}

/// Folds a column name: case, spaces and underscores do not matter.
pub(crate) fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '\u{feff}')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A column a layout reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnSpec {
    /// The name the file format documents (used when the column is missing).
    pub name: &'static str,
    /// Folded names that mean this column (see [`fold_name`]).
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl ColumnSpec {
    pub(crate) const fn required(name: &'static str, aliases: &'static [&'static str]) -> Self {
        Self {
            name,
            aliases,
            required: true,
        }
    }

    pub(crate) const fn optional(name: &'static str, aliases: &'static [&'static str]) -> Self {
        Self {
            name,
            aliases,
            required: false,
        }
    }
}

/// Where each column of a layout is in this file.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    /// For each spec: the field index, if the file has the column.
    pub fields: Vec<Option<usize>>,
    /// For each spec: the column's name as the file writes it (or the documented name).
    pub names: Vec<String>,
}

impl ColumnMap {
    /// Matches the header against the specs. Returns the map and the columns nobody reads.
    pub(crate) fn new(
        header: &Header,
        specs: &[ColumnSpec],
    ) -> Result<(Self, Vec<String>), ImportError> {
        let mut fields = vec![None; specs.len()];
        let mut used = vec![false; header.names.len()];
        for (spec_index, spec) in specs.iter().enumerate() {
            for (field_index, folded) in header.folded.iter().enumerate() {
                if !spec.aliases.contains(&folded.as_str()) {
                    continue;
                }
                used[field_index] = true;
                match fields[spec_index] {
                    None => fields[spec_index] = Some(field_index),
                    Some(first) => {
                        return Err(ImportError::DuplicateColumn {
                            line: header.line,
                            name: header.names[field_index].clone(),
                            first: first + 1,
                            second: field_index + 1,
                        });
                    }
                }
            }
        }
        let missing: Vec<String> = specs
            .iter()
            .zip(&fields)
            .filter(|(spec, field)| spec.required && field.is_none())
            .map(|(spec, _)| spec.name.to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                line: header.line,
                missing,
            });
        }
        let names = specs
            .iter()
            .zip(&fields)
            .map(|(spec, field)| match field {
                Some(index) => header.names[*index].clone(),
                None => spec.name.to_owned(),
            })
            .collect();
        let unknown = header
            .names
            .iter()
            .zip(&used)
            .filter(|(name, used)| !**used && !name.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        Ok((Self { fields, names }, unknown))
    }
}

/// Reads records one at a time from the file.
pub(crate) struct RecordSource<'r> {
    reader: csv::Reader<Box<dyn Read + Send + 'r>>,
    tail: Arc<Mutex<Tail>>,
    budget: Arc<RowBudget>,
    current: Current,
    line: u64,
    decoding: Decoding,
    skip_sep_line: bool,
    /// Bytes before the CSV stream (a byte-order mark), for progress.
    offset: u64,
    /// Line breaks in skipped junk before the byte-order mark (added to every line number).
    line_offset: u64,
}

impl<'r> RecordSource<'r> {
    /// Wraps a reader positioned at the start of the file.
    pub(crate) fn new(
        mut source: Box<dyn Read + Send + 'r>,
        sniffed: &Sniffed,
    ) -> io::Result<Self> {
        let mut skipped = 0;
        if sniffed.skip_bytes > 0 {
            skipped = io::copy(
                &mut (&mut source).take(sniffed.skip_bytes as u64),
                &mut io::sink(),
            )?;
        }
        let source: Box<dyn Read + Send + 'r> = match sniffed.encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .strip_bom(true)
                    .build(source),
            ),
            _ => source,
        };
        let source: Box<dyn Read + Send + 'r> = if sniffed.cr_only {
            Box::new(CrToLf { inner: source })
        } else {
            source
        };
        let tail = Arc::new(Mutex::new(Tail::default()));
        let budget = Arc::new(RowBudget {
            start: AtomicU64::new(0),
            limit: AtomicU64::new(DEFAULT_MAX_ROW_BYTES as u64),
        });
        let counted: Box<dyn Read + Send + 'r> = Box::new(TailReader {
            inner: source,
            offset: 0,
            tail: Arc::clone(&tail),
            budget: Arc::clone(&budget),
        });
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sniffed.delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(counted);
        Ok(Self {
            reader,
            tail,
            budget,
            current: Current::Bytes(csv::ByteRecord::new()),
            line: 0,
            decoding: if sniffed.encoding == TextEncoding::Windows1252 {
                Decoding::Windows1252
            } else {
                Decoding::Utf8
            },
            skip_sep_line: sniffed.sep_line,
            offset: skipped,
            line_offset: sniffed.junk.as_ref().map_or(0, |(_, lines)| *lines),
        })
    }

    /// Sets the longest row (in bytes) this source reads.
    pub(crate) fn set_row_limit(&mut self, bytes: usize) {
        self.budget
            .limit
            .store(bytes.max(1) as u64, Ordering::Relaxed);
    }

    fn row_limit(&self) -> usize {
        usize::try_from(self.budget.limit.load(Ordering::Relaxed)).unwrap_or(usize::MAX)
    }

    /// Moves to the next record that is not blank. `false` at the end of the file.
    pub(crate) fn next_record(&mut self) -> Result<bool, ImportError> {
        let mut record = match std::mem::replace(&mut self.current, Current::Empty) {
            Current::Bytes(record) => record,
            Current::Text(record) => record.into_byte_record(),
            Current::Empty => csv::ByteRecord::new(),
        };
        loop {
            let position = self.reader.position();
            let first_line = position.line() + self.line_offset;
            self.budget.start.store(position.byte(), Ordering::Relaxed);
            let more = match self.reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(error) => {
                    // The parser keeps what it read; let it go.
                    self.current = Current::Bytes(csv::ByteRecord::new());
                    let error = csv_error(error);
                    return Err(match error {
                        ImportError::Io(io)
                            if io.get_ref().is_some_and(
                                <dyn std::error::Error + Send + Sync>::is::<RowTooLong>,
                            ) =>
                        {
                            ImportError::RowTooLong {
                                line: first_line,
                                limit: self.row_limit(),
                            }
                        }
                        other => other,
                    });
                }
            };
            if !more {
                record.clear();
                self.current = Current::Bytes(record);
                return Ok(false);
            }
            if record.as_slice().len() > self.row_limit() {
                self.current = Current::Bytes(csv::ByteRecord::new());
                return Err(ImportError::RowTooLong {
                    line: first_line,
                    limit: self.row_limit(),
                });
            }
            if record.len() > MAX_COLUMNS {
                let count = record.len();
                self.current = Current::Bytes(csv::ByteRecord::new());
                return Err(ImportError::TooManyColumns {
                    line: first_line,
                    count,
                    max: MAX_COLUMNS,
                });
            }
            let blank = record
                .iter()
                .all(|field| field.iter().all(u8::is_ascii_whitespace));
            if !blank {
                break;
            }
        }
        self.line = self.start_line(&record) + self.line_offset;
        // UTF-8 is checked once per record; fields are then plain slices.
        self.current = if self.decoding == Decoding::Utf8 {
            match csv::StringRecord::from_byte_record(record) {
                Ok(text) => Current::Text(text),
                Err(error) => Current::Bytes(error.into_byte_record()),
            }
        } else {
            Current::Bytes(record)
        };
        Ok(true)
    }

    /// The physical line the record just read starts on.
    ///
    /// The parser counts line breaks as it consumes them; the count after a record includes the
    /// breaks inside quoted fields and, when the record ended on `\n`, its own line break.
    fn start_line(&self, record: &csv::ByteRecord) -> u64 {
        let position = self.reader.position();
        let end_byte = position.byte();
        let ended_on_newline = end_byte.checked_sub(1).is_some_and(|last| {
            let tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
            last.checked_sub(tail.start)
                .and_then(|at| usize::try_from(at).ok())
                .and_then(|at| tail.bytes.get(at))
                == Some(&b'\n')
        });
        let bytes = record.as_slice();
        #[allow(
            clippy::naive_bytecount,
            reason = "records are short and most hold no line break"
        )]
        let inside = if bytes.contains(&b'\n') {
            bytes.iter().filter(|&&byte| byte == b'\n').count() as u64
        } else {
            0
        };
        position
            .line()
            .saturating_sub(inside)
            .saturating_sub(u64::from(ended_on_newline))
            .max(1)
    }

    /// Reads the header: the first record that is not blank (after Excel's `sep=` line).
    pub(crate) fn read_header(&mut self) -> Result<Option<Header>, ImportError> {
        if self.skip_sep_line {
            self.skip_sep_line = false;
            if !self.next_record()? {
                return Ok(None);
            }
        }
        if !self.next_record()? {
            return Ok(None);
        }
        let mut names: Vec<String> = (0..self.len())
            .map(|index| self.text(index).trim_matches('\u{feff}').trim().to_owned())
            .collect();
        while names.last().is_some_and(String::is_empty) {
            names.pop();
        }
        let folded = names.iter().map(|name| fold_name(name)).collect();
        Ok(Some(Header {
            line: self.line,
            names,
            folded,
        }))
    }

    /// Physical line (1-based) of the current record.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// How many fields the current record has.
    pub(crate) fn len(&self) -> usize {
        match &self.current {
            Current::Bytes(record) => record.len(),
            Current::Text(record) => record.len(),
            Current::Empty => 0,
        }
    }

    /// Bytes of the file consumed so far (for progress).
    pub(crate) fn bytes_read(&self) -> u64 {
        self.offset + self.reader.position().byte()
    }

    /// The text of field `index`, trimmed; empty when the row is short.
    pub(crate) fn text(&self, index: usize) -> Cow<'_, str> {
        let bytes = match &self.current {
            Current::Text(record) => {
                return Cow::Borrowed(trim(record.get(index).unwrap_or("")));
            }
            Current::Bytes(record) => record.get(index).unwrap_or(b""),
            Current::Empty => b"",
        };
        if self.decoding == Decoding::Utf8 {
            // A field of a UTF-8 file that is not UTF-8 is an error of its row (see
            // [`Self::bad_utf8`]); its text is shown with U+FFFD for the bad bytes, never read
            // in another encoding.
            return match String::from_utf8_lossy(bytes) {
                Cow::Borrowed(text) => Cow::Borrowed(trim(text)),
                Cow::Owned(text) => Cow::Owned(trim(&text).to_owned()),
            };
        }
        match encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
        {
            Cow::Borrowed(text) => Cow::Borrowed(trim(text)),
            Cow::Owned(text) => {
                let trimmed = trim(&text);
                if trimmed.len() == text.len() {
                    Cow::Owned(text)
                } else {
                    Cow::Owned(trimmed.to_owned())
                }
            }
        }
    }

    /// True when the current record of a UTF-8 file holds bytes that are not UTF-8.
    pub(crate) fn has_bad_utf8(&self) -> bool {
        self.decoding == Decoding::Utf8 && matches!(self.current, Current::Bytes(_))
    }

    /// In a UTF-8 file: where field `index` of the current record stops being UTF-8, as the
    /// 1-based position of the character and the byte found there.
    pub(crate) fn bad_utf8(&self, index: usize) -> Option<(usize, u8)> {
        if self.decoding != Decoding::Utf8 {
            return None;
        }
        let Current::Bytes(record) = &self.current else {
            return None;
        };
        let bytes = record.get(index)?;
        let error = std::str::from_utf8(bytes).err()?;
        let valid_up_to = error.valid_up_to();
        let before =
            std::str::from_utf8(&bytes[..valid_up_to]).map_or(0, |text| text.chars().count());
        Some((before + 1, bytes[valid_up_to]))
    }
}

impl From<csv::Error> for ImportError {
    fn from(error: csv::Error) -> Self {
        csv_error(error)
    }
}

fn csv_error(error: csv::Error) -> ImportError {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => ImportError::Io(error),
        other => ImportError::Io(io::Error::other(format!("{other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::csv_import::sniff::sniff;

    fn lines_of(input: &[u8]) -> Vec<(u64, String)> {
        let sniffed = sniff(input, true);
        let mut source = RecordSource::new(Box::new(input), &sniffed).expect("in-memory source");
        let mut seen = Vec::new();
        while source.next_record().expect("in-memory read") {
            seen.push((source.line(), source.text(0).into_owned()));
        }
        seen
    }

    #[test]
    fn physical_line_numbers() {
        let expected = vec![
            (1, "h1".to_owned()),
            (2, "a".to_owned()),
            (5, "c".to_owned()),
            (7, "e".to_owned()),
        ];
        assert_eq!(lines_of(b"h1,h2\na,b\n\n\nc,\"d\nx\"\ne,f"), expected);
        assert_eq!(lines_of(b"h1,h2\na,b\n\n\nc,\"d\nx\"\ne,f\n"), expected);
        assert_eq!(
            lines_of(b"h1,h2\r\na,b\r\n\r\n\r\nc,\"d\r\nx\"\r\ne,f\r\n"),
            expected
        );
        assert_eq!(
            lines_of(b"h1,h2\r\na,b\r\n\r\n\r\nc,\"d\r\nx\"\r\ne,f"),
            expected
        );
        assert_eq!(
            lines_of(b"h1,h2\ra,b\r\rc,\"d\rx\"\re,f\r"),
            vec![
                (1, "h1".to_owned()),
                (2, "a".to_owned()),
                (4, "c".to_owned()),
                (6, "e".to_owned()),
            ]
        );
        // Rows of empty fields count as blank; a blank line just before the last record.
        assert_eq!(
            lines_of(b"h1,h2\n,,\n\ne,f"),
            vec![(1, "h1".to_owned()), (4, "e".to_owned())]
        );
    }

    #[test]
    fn header_skips_bom_and_sep_line() {
        let input = b"\xEF\xBB\xBFsep=;\n Sku ;Unit_Cost;;\nA;1\n";
        let sniffed = sniff(input, true);
        let mut source = RecordSource::new(Box::new(&input[..]), &sniffed).expect("source");
        let header = source.read_header().expect("read").expect("header");
        assert_eq!(header.line, 2);
        assert_eq!(header.names, vec!["Sku", "Unit_Cost"]);
        assert_eq!(header.folded, vec!["sku", "unitcost"]);
    }

    #[test]
    fn windows_1252_fields() {
        let input = b"sku,name\nA,Caf\xE9 cr\xE8me\n";
        let sniffed = sniff(input, true);
        let mut source = RecordSource::new(Box::new(&input[..]), &sniffed).expect("source");
        assert!(source.next_record().expect("read"));
        assert!(source.next_record().expect("read"));
        assert_eq!(source.text(1), "Café crème");
    }
}
