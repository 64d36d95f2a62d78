//! From bytes to text: which encoding, which delimiter.
//!
//! Only a sample from the start of the file is looked at here; the records themselves are read
//! by [`super::record`] straight from the file, so a big file is never held in memory.

use std::fmt;
use std::io::Read;

/// How many bytes from the start of the file decide the encoding.
pub(crate) const SAMPLE_LEN: usize = 1024 * 1024;
/// How many records decide the delimiter.
const SNIFF_RECORDS: usize = 50;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark (plain ASCII files land here too).
    Utf8,
    /// UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" writes it.
    Utf8Bom,
    /// Windows-1252 (Western European), as older Excel versions save "CSV".
    Windows1252,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
}

impl TextEncoding {
    /// A short name for people: `UTF-8`, `UTF-8 with BOM`, `Windows-1252`, …
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 with BOM",
            Self::Windows1252 => "Windows-1252",
            Self::Utf16Le => "UTF-16 LE",
            Self::Utf16Be => "UTF-16 BE",
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The name of a delimiter for people: `comma`, `semicolon`, `tab`, …
pub fn delimiter_label(delimiter: u8) -> String {
    match delimiter {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        other => format!("'{}'", char::from(other)),
    }
}

/// What kind of bytes the sample holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    Text,
    /// Empty or only whitespace.
    Empty,
    /// A NUL byte outside UTF-16: not a text file (an `.xlsx`, an image, …).
    Binary,
}

/// What the sample told us.
#[derive(Debug, Clone)]
pub(crate) struct Sniffed {
    pub encoding: TextEncoding,
    pub delimiter: u8,
    /// Bytes to skip at the start (a byte-order mark).
    pub skip_bytes: usize,
    /// The first line is Excel's `sep=;` hint, not the header.
    pub sep_line: bool,
    /// Whether there is text to read at all.
    pub content: Content,
    /// Lines end with a bare `\r` (old Mac Excel "CSV (Macintosh)").
    pub cr_only: bool,
    /// Text before a byte-order mark that is not at the start (output a web shop plugin
    /// printed into the export), skipped with the mark; and the line breaks it held.
    pub junk: Option<(String, u64)>,
}

/// How far into the file a byte-order mark after junk is looked for.
const JUNK_SEARCH: usize = 8 * 1024;

/// Reads up to `limit` bytes (fewer only at the end of the file).
pub(crate) fn read_sample(source: &mut dyn Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut sample = Vec::with_capacity(limit.min(64 * 1024));
    source.take(limit as u64).read_to_end(&mut sample)?;
    Ok(sample)
}

/// How the bytes of a file without a byte-order mark stand against UTF-8, counted over all of
/// them (fed in pieces of any size; [`Utf8Census::finish`] after the last).
#[derive(Debug, Clone, Default)]
pub(crate) struct Utf8Census {
    /// The start of a character cut at the end of the last piece.
    carry: Vec<u8>,
    /// Byte sequences that are not UTF-8.
    pub invalid: u64,
    /// Characters of two bytes or more that are valid UTF-8.
    pub multibyte: u64,
    /// Line breaks before the first multi-byte character (while it is not found yet).
    lines_before: u64,
    /// The physical line of the first multi-byte character.
    pub first_multibyte_line: Option<u64>,
    /// Bytes since the last line break.
    pub since_line_break: u64,
}

impl Utf8Census {
    /// Counts the next piece of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        match bytes.iter().rposition(|&byte| byte == b'\n') {
            Some(last) => self.since_line_break = (bytes.len() - last - 1) as u64,
            None => self.since_line_break += bytes.len() as u64,
        }
        let joined;
        let mut rest: &[u8] = if self.carry.is_empty() {
            bytes
        } else {
            joined = [std::mem::take(&mut self.carry).as_slice(), bytes].concat();
            &joined
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(_) => {
                    self.count_valid(rest);
                    return;
                }
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    self.count_valid(valid);
                    match error.error_len() {
                        Some(len) => {
                            self.invalid += 1;
                            self.count_lines(&after[..len]);
                            rest = &after[len..];
                        }
                        // A character cut at the end of this piece: wait for the next one.
                        None => {
                            self.carry.extend_from_slice(after);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Ends the count: a character still cut is not UTF-8.
    pub fn finish(&mut self) {
        if !self.carry.is_empty() {
            self.invalid += 1;
            self.carry.clear();
        }
    }

    fn count_lines(&mut self, bytes: &[u8]) {
        if self.first_multibyte_line.is_none() {
            self.lines_before += bytecount_newlines(bytes);
        }
    }

    fn count_valid(&mut self, valid: &[u8]) {
        if valid.is_ascii() {
            self.count_lines(valid);
            return;
        }
        // Every character of two bytes or more starts with one byte from 0xC2 up.
        let leads = valid.iter().filter(|&&byte| byte >= 0xC0).count() as u64;
        if self.first_multibyte_line.is_none()
            && let Some(first) = valid.iter().position(|&byte| byte >= 0x80)
        {
            self.first_multibyte_line =
                Some(self.lines_before + bytecount_newlines(&valid[..first]) + 1);
        }
        self.multibyte += leads;
    }

    /// UTF-8 when every byte is UTF-8, and also when the file holds UTF-8 characters and only a
    /// few bytes that are not (each such row is then an error); Windows-1252 only when the file
    /// is clearly not UTF-8: bytes that are not UTF-8 and no UTF-8 character, or more than ten
    /// times as many bad sequences as UTF-8 characters (a Windows-1252 file in which a pair of
    /// letters happens to form one).
    pub fn encoding(&self) -> TextEncoding {
        if self.invalid == 0 || self.multibyte.saturating_mul(10) >= self.invalid {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        }
    }
}

fn bytecount_newlines(bytes: &[u8]) -> u64 {
    #[allow(
        clippy::naive_bytecount,
        reason = "short pieces; a byte-counting crate is not worth it"
    )]
    let count = bytes.iter().filter(|&&byte| byte == b'\n').count() as u64;
    count
}

/// True when the file starts with a byte-order mark (its encoding is then settled by it).
pub(crate) fn has_bom(sample: &[u8]) -> bool {
    sample.starts_with(UTF8_BOM)
        || sample.starts_with(UTF16LE_BOM)
        || sample.starts_with(UTF16BE_BOM)
}

/// Decides encoding and delimiter from the first bytes of a file.
///
/// `complete` says whether `sample` is the whole file (else its last record may be cut). Without
/// a byte-order mark the encoding is the one the sample's bytes point to (see
/// [`Utf8Census::encoding`]); for a longer file the caller counts all its bytes and decides
/// again.
pub(crate) fn sniff(sample: &[u8], complete: bool) -> Sniffed {
    let junk_end = (!sample.starts_with(UTF8_BOM))
        .then(|| {
            sample[..sample.len().min(JUNK_SEARCH)]
                .windows(UTF8_BOM.len())
                .position(|window| window == UTF8_BOM)
        })
        .flatten()
        // Printed text ends a line or an HTML tag before the mark; a mark inside a cell of the
        // data would follow a delimiter or other text.
        .filter(|&at| {
            (matches!(sample[at - 1], b'\n' | b'\r' | b'>')
                || sample[..at].iter().all(u8::is_ascii_whitespace))
                && !sample[..at].contains(&0)
        });
    let junk = junk_end.map(|at| {
        let text = String::from_utf8_lossy(&sample[..at]);
        #[allow(clippy::naive_bytecount, reason = "a few bytes of printed text")]
        let lines = sample[..at].iter().filter(|&&byte| byte == b'\n').count() as u64;
        (text.trim().to_owned(), lines)
    });
    let (encoding, skip_bytes) = if let Some(at) = junk_end {
        (TextEncoding::Utf8Bom, at + UTF8_BOM.len())
    } else if sample.starts_with(UTF8_BOM) {
        (TextEncoding::Utf8Bom, UTF8_BOM.len())
    } else if sample.starts_with(UTF16LE_BOM) {
        (TextEncoding::Utf16Le, 0)
    } else if sample.starts_with(UTF16BE_BOM) {
        (TextEncoding::Utf16Be, 0)
    } else {
        let mut census = Utf8Census::default();
        census.feed(sample);
        // A character cut at the end of a partial sample is not an error.
        if complete {
            census.finish();
        }
        (census.encoding(), 0)
    };

    // Delimiters and quotes are ASCII, so the sniffing can run on the raw bytes for every
    // ASCII-compatible encoding; UTF-16 is decoded first.
    let decoded;
    let text: &[u8] = match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let codec = if encoding == TextEncoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            decoded = codec.decode_with_bom_removal(sample).0.into_owned();
            decoded.as_bytes()
        }
        _ => &sample[skip_bytes..],
    };

    let content = if !matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
        && text.contains(&0)
    {
        Content::Binary
    } else if text.iter().all(u8::is_ascii_whitespace) {
        Content::Empty
    } else {
        Content::Text
    };
    let cr_only = text.contains(&b'\r') && !text.contains(&b'\n');
    let (delimiter, sep_line) = match sep_hint(text) {
        Some(delimiter) => (delimiter, true),
        None => (sniff_delimiter(text, complete), false),
    };
    Sniffed {
        encoding,
        delimiter,
        skip_bytes,
        sep_line,
        content,
        cr_only,
        junk,
    }
}

/// Excel understands a first line `sep=;` naming the delimiter.
fn sep_hint(text: &[u8]) -> Option<u8> {
    let rest = text.strip_prefix(b"sep=")?;
    let delimiter = *rest.first()?;
    let after = rest.get(1..)?;
    let line_ends = after.is_empty() || after.starts_with(b"\n") || after.starts_with(b"\r");
    (line_ends && delimiter.is_ascii() && !delimiter.is_ascii_alphanumeric()).then_some(delimiter)
}

/// Picks the delimiter that splits the header into the most columns while the rows below agree
/// with it. Quotes are respected (a `;` inside a quoted description does not count).
fn sniff_delimiter(text: &[u8], complete: bool) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let mut best = (b',', 0_usize, false);
    for delimiter in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut widths: Vec<(usize, usize)> = Vec::new();
        while widths.len() < SNIFF_RECORDS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    let raw = record.len();
                    let used = record
                        .iter()
                        .rposition(|field| !field.iter().all(u8::is_ascii_whitespace))
                        .map_or(0, |last| last + 1);
                    if used > 0 {
                        widths.push((raw, used));
                    }
                }
                Ok(false) | Err(_) => break,
            }
        }
        // The last record of a cut sample may be cut too.
        if !complete && widths.len() > 2 && widths.len() < SNIFF_RECORDS {
            widths.pop();
        }
        let Some(&(header_raw, header_used)) = widths.first() else {
            continue;
        };
        if header_used < 2 {
            continue;
        }
        let rows = &widths[1..];
        let fitting = rows
            .iter()
            .filter(|(raw, used)| *raw == header_raw || *used <= header_raw)
            .count();
        let agrees = rows.is_empty() || fitting * 10 >= rows.len() * 9;
        let better = match (agrees, best.2) {
            (true, false) => true,
            (false, true) => false,
            _ => header_used > best.1,
        };
        if better {
            best = (delimiter, header_used, agrees);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delimiter_of(text: &str) -> u8 {
        sniff(text.as_bytes(), true).delimiter
    }

    #[test]
    fn picks_delimiters() {
        assert_eq!(delimiter_of("sku,name,price\nA,Mug,1.50\n"), b',');
        assert_eq!(
            delimiter_of("sku;name;price\nA;Mug;1,50\nB;Cup;2,75\n"),
            b';'
        );
        assert_eq!(
            delimiter_of("sku\tname\tprice\nA\tMug, blue\t1.50\n"),
            b'\t'
        );
        // Semicolons inside quotes do not count.
        assert_eq!(
            delimiter_of("sku,name,description\nA,Mug,\"a; b; c; d\"\n"),
            b','
        );
        assert_eq!(delimiter_of("sep=;\nsku;name\nA;B\n"), b';');
        assert!(sniff(b"sep=;\nsku;name\n", true).sep_line);
        // One column only: comma by default.
        assert_eq!(delimiter_of("sku\nA\n"), b',');
    }

    #[test]
    fn junk_before_the_byte_order_mark_is_skipped() {
        let sniffed = sniff(b"<br />\nNotice: x\n\xEF\xBB\xBFID,Type\n1,simple\n", true);
        assert_eq!(sniffed.encoding, TextEncoding::Utf8Bom);
        assert_eq!(sniffed.skip_bytes, 20);
        assert_eq!(sniffed.junk, Some(("<br />\nNotice: x".to_owned(), 2)));
        assert_eq!(sniff(b"\xEF\xBB\xBFsku\n", true).junk, None);
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(sniff(b"sku,name\n", true).encoding, TextEncoding::Utf8);
        let bom = sniff(b"\xEF\xBB\xBFsku,name\n", true);
        assert_eq!(bom.encoding, TextEncoding::Utf8Bom);
        assert_eq!(bom.skip_bytes, 3);
        assert_eq!(
            sniff(b"sku,name\nA,Caf\xE9\n", true).encoding,
            TextEncoding::Windows1252
        );
        // UTF-8 letters and one stray byte: UTF-8 (the stray byte's row is an error).
        assert_eq!(
            sniff(b"sku,name\nA,Cr\xC3\xA8me\nB,Caf\xE9\n", true).encoding,
            TextEncoding::Utf8
        );
        // A character cut at the end of a partial sample is still UTF-8.
        assert_eq!(
            sniff(b"sku,name\nA,Caf\xC3", false).encoding,
            TextEncoding::Utf8
        );
        let utf16: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain("sku\tname\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let sniffed = sniff(&utf16, true);
        assert_eq!(sniffed.encoding, TextEncoding::Utf16Le);
        assert_eq!(sniffed.delimiter, b'\t');
        assert_eq!(sniff(b"PK\x03\x04\x00\x00", true).content, Content::Binary);
        assert_eq!(sniff(b"  \r\n", true).content, Content::Empty);
        assert_eq!(sniff(b"sku\n", true).content, Content::Text);
        assert!(sniff(b"sku,name\rA,B\r", true).cr_only);
        assert!(!sniff(b"sku,name\r\nA,B\r\n", true).cr_only);
    }

    #[test]
    fn the_census_counts_across_pieces() {
        let text = "sku,name\nA,Crème brûlée\nB,Caf\u{e9}\n".as_bytes();
        for split in 0..text.len() {
            let mut census = Utf8Census::default();
            census.feed(&text[..split]);
            census.feed(&text[split..]);
            census.finish();
            assert_eq!(
                (census.invalid, census.multibyte),
                (0, 4),
                "split at {split}"
            );
            assert_eq!(census.first_multibyte_line, Some(2));
        }
        let mut census = Utf8Census::default();
        census.feed(b"sku,name\nA,Caf\xE9\nB,\xE8\xE9\nC,\xC3");
        census.finish();
        assert_eq!((census.invalid, census.multibyte), (4, 0));
        assert_eq!(census.encoding(), TextEncoding::Windows1252);
        assert_eq!(census.first_multibyte_line, None);
        // Eleven bad bytes and one pair that happens to be UTF-8: Windows-1252.
        let mut census = Utf8Census::default();
        census.feed(b"a,\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\n\xC3\xA9\n");
        census.finish();
        assert_eq!((census.invalid, census.multibyte), (11, 1));
        assert_eq!(census.encoding(), TextEncoding::Windows1252);
        assert_eq!(census.first_multibyte_line, Some(2));
    }
}
