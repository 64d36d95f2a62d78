//! Does a write-ahead log (`shop.sqlite-wal`) belong to its shop file?
//!
//! SQLite replays every valid frame of the `-wal` file next to a database when it opens it, and
//! the next checkpoint writes those pages into the database — whatever database the log was
//! written for. Nothing in the database file names its log, so a log copied or left next to
//! another file (a restored copy, a file swapped by hand) would be merged into it. This module
//! reads the log as SQLite's file format describes it (section "The WAL File Format") and
//! decides, from facts that always hold for a log written on top of this very file, whether it
//! belongs:
//!
//! - the log's page size is the database's page size;
//! - the frames SQLite would replay are the valid ones (salts equal to the log header's, the
//!   cumulative checksum right) up to the last commit frame; a log with none holds nothing;
//! - a checkpoint copies pages in page order, page 1 first, so while page 1 of the database is
//!   still the one the log started from, every transaction before the log's first copy of page 1
//!   left the database's size unchanged (a size change rewrites page 1): its commit frame names
//!   the database's size in pages; and the log's first copy of page 1 carries a change counter
//!   (header offset 24) one more than the database's, or equal to it (SQLite counts from the
//!   value it last read, which can be the one its own previous copy wrote);
//! - once a checkpoint copied page 1, the database's page 1 is byte for byte one of the log's
//!   committed copies of page 1.
//!
//! These facts can fail to tell: a log of a file of the same size that changed pages in place
//! only (no copy of page 1) looks the same. Unless the database's page 1 is one of the log's
//! copies, the tables whose pages the log holds are also checked with SQLite's integrity check
//! read through the log, and read without it: pages of another file break a table or its
//! indexes (a table of 41 rows beside an index of 1) that are sound without them.
//!
//! A log that fails these tests was written for another file: opening is refused and neither
//! file is touched (the check reads the files through read-only connections, which never
//! checkpoint; a `-shm` file it made is removed). It must run while no other copy has the shop
//! open (a live log changes under the reader), which the caller makes sure of with the shop's
//! lock.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// `FILE-wal`.
pub fn wal_path(db_path: &Path) -> PathBuf {
    side_path(db_path, "-wal")
}

/// `FILE-shm`.
pub fn shm_path(db_path: &Path) -> PathBuf {
    side_path(db_path, "-shm")
}

fn side_path(db_path: &Path, suffix: &str) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

const WAL_HEADER_BYTES: usize = 32;
const FRAME_HEADER_BYTES: usize = 24;
const WAL_MAGIC: u32 = 0x377f_0682;
const WAL_VERSION: u32 = 3_007_000;

/// What the log next to a database holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalState {
    /// No log, or one SQLite ignores (too short, not a log header, a header checksum that does
    /// not match): nothing would be replayed.
    Empty,
    /// A log with committed transactions written for this database.
    Belongs { committed_frames: u64 },
    /// A log with committed transactions that cannot have been written for this database.
    Foreign { reason: String },
}

impl WalState {
    /// True when opening would replay committed transactions from the log.
    pub fn has_commits(&self) -> bool {
        !matches!(self, Self::Empty)
    }
}

/// The checksum SQLite keeps over a log: pairs of 32-bit words, big- or little-endian as the
/// log's magic number says.
#[derive(Debug, Clone, Copy)]
struct Checksum {
    big_endian: bool,
    s1: u32,
    s2: u32,
}

impl Checksum {
    fn add(&mut self, bytes: &[u8]) {
        for pair in bytes.chunks_exact(8) {
            let word = |at: usize| {
                let four = [pair[at], pair[at + 1], pair[at + 2], pair[at + 3]];
                if self.big_endian {
                    u32::from_be_bytes(four)
                } else {
                    u32::from_le_bytes(four)
                }
            };
            self.s1 = self.s1.wrapping_add(word(0)).wrapping_add(self.s2);
            self.s2 = self.s2.wrapping_add(word(4)).wrapping_add(self.s1);
        }
    }

    fn matches(&self, stored: &[u8]) -> bool {
        be32(stored, 0) == self.s1 && be32(stored, 4) == self.s2
    }
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Reads as many bytes as there are, up to `buffer.len()`.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// What the database file says about itself.
struct DbFacts {
    page_size: u32,
    /// Page 1 as it is on disk.
    page_one: Vec<u8>,
    change_counter: u32,
    /// The file's length in pages, when it is a whole number of pages.
    pages_in_file: Option<u64>,
}

fn db_facts(db_path: &Path) -> std::io::Result<Option<DbFacts>> {
    let mut file = match File::open(db_path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let length = file.metadata()?.len();
    let mut header = [0u8; 100];
    if read_up_to(&mut file, &mut header)? < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Ok(None);
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u32::from(size),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Ok(None);
    }
    let mut page_one = vec![0u8; page_size as usize];
    page_one[..100].copy_from_slice(&header);
    let rest = read_up_to(&mut file, &mut page_one[100..])?;
    page_one.truncate(100 + rest);
    Ok(Some(DbFacts {
        page_size,
        change_counter: be32(&header, 24),
        pages_in_file: (length % u64::from(page_size) == 0).then(|| length / u64::from(page_size)),
        page_one,
    }))
}

/// What reading the log found.
#[derive(Debug)]
enum Scanned {
    Empty,
    Foreign(String),
    /// The database's page 1 is one of the log's committed copies of it.
    Proven {
        committed_frames: u64,
    },
    /// Nothing in the files says it is not the database's own; these pages are in it.
    Plausible {
        committed_frames: u64,
        pages: BTreeSet<u32>,
    },
}

/// Reads `FILE-wal` and tells whether it belongs to `FILE` (see the module comment). Errors are
/// the files' own read errors.
pub fn check_wal(db_path: &Path) -> std::io::Result<WalState> {
    Ok(match scan_wal(db_path)? {
        Scanned::Empty => WalState::Empty,
        Scanned::Foreign(reason) => WalState::Foreign { reason },
        Scanned::Proven { committed_frames } => WalState::Belongs { committed_frames },
        Scanned::Plausible {
            committed_frames,
            pages,
        } => match content_verdict(db_path, &pages) {
            Some(reason) => WalState::Foreign { reason },
            None => WalState::Belongs { committed_frames },
        },
    })
}

/// True when SQLite would replay committed transactions from `FILE-wal` (whoever's they are).
/// Reads the log only.
pub fn wal_has_commits(db_path: &Path) -> bool {
    matches!(
        scan_wal(db_path),
        Ok(Scanned::Foreign(_) | Scanned::Proven { .. } | Scanned::Plausible { .. })
    )
}

/// The tables whose pages the log holds, checked through the log and without it: `Some` (why)
/// when they are sound without it and broken with it. A check that cannot run (the folder
/// cannot be written for SQLite's `-shm` file) tells nothing: `None`.
fn content_verdict(db_path: &Path, pages: &BTreeSet<u32>) -> Option<String> {
    let shm = shm_path(db_path);
    let had_shm = shm.exists();
    let verdict = tables_broken_by_log(db_path, pages).ok().flatten();
    if !had_shm {
        let _ = std::fs::remove_file(&shm);
    }
    verdict
}

fn tables_broken_by_log(db_path: &Path, pages: &BTreeSet<u32>) -> rusqlite::Result<Option<String>> {
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Without the log: the file as it is on disk.
    let without = Connection::open_with_flags(
        super::immutable_uri(db_path),
        read_only | OpenFlags::SQLITE_OPEN_URI,
    )?;
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    let tables: Vec<String> = {
        let mut statement = without.prepare(&format!(
            "SELECT DISTINCT s.tbl_name FROM dbstat d JOIN sqlite_schema s ON s.name = d.name
              WHERE d.pageno IN ({}) AND s.type IN ('table', 'index') ORDER BY 1",
            list.join(",")
        ))?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if tables.is_empty() {
        return Ok(None);
    }
    // Through the log: a read-only connection replays it in memory and never checkpoints.
    let with = Connection::open_with_flags(db_path, read_only)?;
    // The first line of the table's integrity check; damage SQLite reports as an error counts
    // as a finding, any other error means the check could not run.
    let first_line = |conn: &Connection, table: &str| -> rusqlite::Result<String> {
        let sql = format!("PRAGMA integrity_check(\"{}\")", table.replace('"', "\"\""));
        match conn.query_row(&sql, [], |row| row.get::<_, String>(0)) {
            Err(error) if super::is_damage(&error) => Ok(super::damage_words(&error)),
            other => other,
        }
    };
    for table in tables {
        let through_log = first_line(&with, &table)?;
        if through_log != "ok" && first_line(&without, &table)? == "ok" {
            return Ok(Some(format!(
                "read through it, the table {table} and its indexes no longer agree ({through_log})"
            )));
        }
    }
    Ok(None)
}

fn scan_wal(db_path: &Path) -> std::io::Result<Scanned> {
    let wal = wal_path(db_path);
    let file = match File::open(&wal) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Scanned::Empty),
        Err(error) => return Err(error),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut header = [0u8; WAL_HEADER_BYTES];
    if read_up_to(&mut reader, &mut header)? < WAL_HEADER_BYTES {
        return Ok(Scanned::Empty);
    }
    let magic = be32(&header, 0);
    if magic & !1 != WAL_MAGIC {
        return Ok(Scanned::Empty);
    }
    let mut checksum = Checksum {
        big_endian: magic & 1 == 1,
        s1: 0,
        s2: 0,
    };
    checksum.add(&header[..24]);
    if !checksum.matches(&header[24..32]) {
        // SQLite ignores a log whose header does not check out, and starts it afresh.
        return Ok(Scanned::Empty);
    }
    let page_size = be32(&header, 8);
    let version = be32(&header, 4);
    let salt = &header[16..24];

    // Walk the valid frames the way SQLite's recovery does.
    let mut frame_header = [0u8; FRAME_HEADER_BYTES];
    let mut page = vec![0u8; page_size.clamp(512, 65_536) as usize];
    let mut scan = Scan::default();
    let sound_header = version == WAL_VERSION
        && (512..=65_536).contains(&page_size)
        && page_size.is_power_of_two();
    let db = db_facts(db_path)?;
    let mut index: u64 = 0;
    // A log header SQLite refuses is not read further.
    while sound_header
        && let Some((page_number, commit_size)) = next_frame(
            &mut reader,
            &mut frame_header,
            &mut page,
            salt,
            &mut checksum,
        )?
    {
        index += 1;
        scan.frame(index, page_number, commit_size, &page, db.as_ref());
    }
    if scan.last_commit == 0 {
        if !sound_header {
            // A log header SQLite refuses outright: the shop would not open at all.
            return Ok(Scanned::Foreign(format!(
                "it is not a log SQLite can read (version {version}, page size {page_size})"
            )));
        }
        return Ok(Scanned::Empty);
    }
    Ok(match verdict(&scan, db.as_ref(), page_size) {
        Verdict::Foreign(reason) => Scanned::Foreign(reason),
        Verdict::Proven => Scanned::Proven {
            committed_frames: scan.last_commit,
        },
        Verdict::Plausible => Scanned::Plausible {
            committed_frames: scan.last_commit,
            pages: scan.pages,
        },
    })
}

/// Reads the next frame into `frame_header` and `page`: its page number and commit size when it
/// is valid (its salt is the log's and its checksum continues `checksum`), `None` where SQLite's
/// recovery stops.
fn next_frame(
    reader: &mut impl Read,
    frame_header: &mut [u8; FRAME_HEADER_BYTES],
    page: &mut [u8],
    salt: &[u8],
    checksum: &mut Checksum,
) -> std::io::Result<Option<(u32, u32)>> {
    if read_up_to(reader, frame_header)? < FRAME_HEADER_BYTES
        || read_up_to(reader, page)? < page.len()
    {
        return Ok(None);
    }
    let page_number = be32(frame_header, 0);
    if page_number == 0 || frame_header[8..16] != *salt {
        return Ok(None);
    }
    let mut next = *checksum;
    next.add(&frame_header[..8]);
    next.add(page);
    if !next.matches(&frame_header[16..24]) {
        return Ok(None);
    }
    *checksum = next;
    Ok(Some((page_number, be32(frame_header, 4))))
}

/// What the walk over the frames noted.
#[derive(Debug, Default)]
struct Scan {
    /// Index (1-based) of the last commit frame.
    last_commit: u64,
    /// The first copy of page 1: its index and change counter.
    first_page_one: Option<(u64, u32)>,
    /// The first copy of page 1 identical to the database's page 1.
    same_page_one_at: Option<u64>,
    /// Commit frames before the first copy of page 1 whose size is not the database file's.
    size_changes_before_page_one: Vec<u32>,
    /// The pages of committed transactions.
    pages: BTreeSet<u32>,
    /// The pages since the last commit frame.
    pending: Vec<u32>,
}

impl Scan {
    fn frame(
        &mut self,
        index: u64,
        page_number: u32,
        commit_size: u32,
        page: &[u8],
        db: Option<&DbFacts>,
    ) {
        if page_number == 1 {
            if self.first_page_one.is_none() {
                self.first_page_one = Some((index, be32(page, 24)));
            }
            if self.same_page_one_at.is_none() && db.is_some_and(|db| db.page_one == page) {
                self.same_page_one_at = Some(index);
            }
        }
        self.pending.push(page_number);
        if commit_size != 0 {
            self.last_commit = index;
            self.pages.extend(self.pending.drain(..));
            let before_page_one = self.first_page_one.is_none();
            let same_size = db
                .and_then(|db| db.pages_in_file)
                .is_none_or(|pages| pages == u64::from(commit_size));
            if before_page_one && !same_size {
                self.size_changes_before_page_one.push(commit_size);
            }
        }
    }
}

/// What the facts in the files say.
enum Verdict {
    Foreign(String),
    Proven,
    Plausible,
}

fn verdict(scan: &Scan, db: Option<&DbFacts>, page_size: u32) -> Verdict {
    let Some(db) = db else {
        return Verdict::Foreign(
            "the shop file next to it is missing, empty or not an SQLite file, so the log cannot be its own"
                .to_owned(),
        );
    };
    if db.page_size != page_size {
        return Verdict::Foreign(format!(
            "its pages are {page_size} bytes, the shop file's are {}",
            db.page_size
        ));
    }
    // A checkpoint copied page 1: the database's page 1 is one of the log's committed copies.
    if scan
        .same_page_one_at
        .is_some_and(|at| at <= scan.last_commit)
    {
        return Verdict::Proven;
    }
    // Otherwise page 1 of the database is the one the log started from.
    if let Some(size) = scan.size_changes_before_page_one.first() {
        return Verdict::Foreign(format!(
            "it was written for a file of {size} pages; the shop file has {}",
            db.pages_in_file.unwrap_or_default()
        ));
    }
    match scan.first_page_one {
        Some((at, counter)) if at <= scan.last_commit => {
            let expected = [db.change_counter, db.change_counter.wrapping_add(1)];
            if expected.contains(&counter) {
                Verdict::Plausible
            } else {
                Verdict::Foreign(format!(
                    "its copy of the file header has change counter {counter}; the shop file's is {}",
                    db.change_counter
                ))
            }
        }
        _ => Verdict::Plausible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of `frames` (page number, commit size, page) in SQLite's format.
    fn log(page_size: u32, frames: &[(u32, u32, Vec<u8>)], salt: [u8; 8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&WAL_MAGIC.to_be_bytes());
        out.extend_from_slice(&WAL_VERSION.to_be_bytes());
        out.extend_from_slice(&page_size.to_be_bytes());
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&salt);
        let mut sum = Checksum {
            big_endian: false,
            s1: 0,
            s2: 0,
        };
        sum.add(&out);
        out.extend_from_slice(&sum.s1.to_be_bytes());
        out.extend_from_slice(&sum.s2.to_be_bytes());
        for (page_number, commit, page) in frames {
            let mut head = Vec::new();
            head.extend_from_slice(&page_number.to_be_bytes());
            head.extend_from_slice(&commit.to_be_bytes());
            sum.add(&head);
            sum.add(page);
            head.extend_from_slice(&salt);
            head.extend_from_slice(&sum.s1.to_be_bytes());
            head.extend_from_slice(&sum.s2.to_be_bytes());
            out.extend_from_slice(&head);
            out.extend_from_slice(page);
        }
        out
    }

    fn page_one(page_size: u32, counter: u32, fill: u8) -> Vec<u8> {
        let mut page = vec![fill; page_size as usize];
        page[..16].copy_from_slice(b"SQLite format 3\0");
        page[16..18].copy_from_slice(&(page_size as u16).to_be_bytes());
        page[24..28].copy_from_slice(&counter.to_be_bytes());
        page
    }

    fn db_file(dir: &Path, page_one: &[u8], pages: usize) -> PathBuf {
        let path = dir.join("shop.sqlite");
        let mut bytes = page_one.to_vec();
        bytes.resize(page_one.len() * pages, 0);
        std::fs::write(&path, bytes).expect("db");
        path
    }

    #[test]
    fn no_log_or_an_unreadable_one_holds_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let db = db_file(dir.path(), &page_one(512, 7, 0), 3);
        assert_eq!(check_wal(&db).expect("check"), WalState::Empty);
        std::fs::write(wal_path(&db), b"short").expect("wal");
        assert_eq!(check_wal(&db).expect("check"), WalState::Empty);
        let mut bad = log(512, &[(2, 3, vec![1; 512])], [1; 8]);
        bad[24] ^= 1;
        std::fs::write(wal_path(&db), bad).expect("wal");
        assert_eq!(check_wal(&db).expect("check"), WalState::Empty);
        // Frames without a commit frame are never replayed.
        std::fs::write(wal_path(&db), log(512, &[(2, 0, vec![1; 512])], [1; 8])).expect("wal");
        assert_eq!(check_wal(&db).expect("check"), WalState::Empty);
    }

    #[test]
    fn a_log_that_continues_the_file_belongs() {
        let dir = tempfile::tempdir().expect("dir");
        let db = db_file(dir.path(), &page_one(512, 7, 0), 3);
        // An update in place, then a transaction that grows the file (page 1 with counter 8).
        let frames = vec![
            (2, 3, vec![1; 512]),
            (1, 0, page_one(512, 8, 0)),
            (4, 4, vec![2; 512]),
        ];
        std::fs::write(wal_path(&db), log(512, &frames, [9; 8])).expect("wal");
        assert_eq!(
            check_wal(&db).expect("check"),
            WalState::Belongs {
                committed_frames: 3
            }
        );
        // After a checkpoint copied it, the file's page 1 is the log's copy.
        let db = db_file(dir.path(), &page_one(512, 8, 0), 4);
        assert!(matches!(
            check_wal(&db).expect("check"),
            WalState::Belongs { .. }
        ));
    }

    #[test]
    fn a_log_of_another_file_is_foreign() {
        let dir = tempfile::tempdir().expect("dir");
        let db = db_file(dir.path(), &page_one(512, 7, 0), 3);
        // Another file of 9 pages.
        std::fs::write(wal_path(&db), log(512, &[(2, 9, vec![1; 512])], [9; 8])).expect("wal");
        assert!(matches!(
            check_wal(&db).expect("check"),
            WalState::Foreign { .. }
        ));
        // Another file's header, counter 40.
        let frames = vec![(1, 3, page_one(512, 40, 3))];
        std::fs::write(wal_path(&db), log(512, &frames, [9; 8])).expect("wal");
        assert!(matches!(
            check_wal(&db).expect("check"),
            WalState::Foreign { .. }
        ));
        // Another page size.
        std::fs::write(wal_path(&db), log(1024, &[(2, 3, vec![1; 1024])], [9; 8])).expect("wal");
        assert!(matches!(
            check_wal(&db).expect("check"),
            WalState::Foreign { .. }
        ));
    }
}
