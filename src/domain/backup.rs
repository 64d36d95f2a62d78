//! Backup names and which backups to keep.
//!
//! A backup is named `<shop>-<YYYY-MM-DD>T<HHMMSS>-<reason>.sqlite` (a second backup in the same
//! second gets `-2`, `-3`, … after the reason), so names sort by time and say why they were made.
//! The newest [`KEEP_NEWEST`] are kept, plus the newest of every month.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDateTime};

/// How many of the newest backups are always kept.
pub const KEEP_NEWEST: usize = 10;

const STAMP_FORMAT: &str = "%Y-%m-%dT%H%M%S";
const STAMP_LEN: usize = "2026-12-01T101500".len();
const EXTENSION: &str = ".sqlite";

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackupReason {
    /// The first start of the day.
    Daily,
    /// Asked for (File menu or `backup`).
    Manual,
    Import,
    /// Before the file is brought up to this version's schema.
    Migration,
    /// Before a backup replaces the shop file.
    BeforeRestore,
    /// Before cached values are repaired from the ledger.
    Repair,
    /// Before a pick list is marked picked.
    Picked,
    /// Before draft purchase orders are created for several suppliers.
    DraftPos,
    /// Before the demo shop is loaded.
    Demo,
    /// Before an import is undone.
    Undo,
}

impl BackupReason {
    pub const ALL: [Self; 10] = [
        Self::Daily,
        Self::Manual,
        Self::Import,
        Self::Migration,
        Self::BeforeRestore,
        Self::Repair,
        Self::Picked,
        Self::DraftPos,
        Self::Demo,
        Self::Undo,
    ];

    /// The word in the file name.
    pub fn code(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Manual => "manual",
            Self::Import => "import",
            Self::Migration => "migration",
            Self::BeforeRestore => "before-restore",
            Self::Repair => "repair",
            Self::Picked => "picked",
            Self::DraftPos => "draft-pos",
            Self::Demo => "demo",
            Self::Undo => "undo",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    /// What the shop owner reads in the list of backups.
    pub fn label(self) -> &'static str {
        match self {
            Self::Daily => "First start of the day",
            Self::Manual => "Made by hand",
            Self::Import => "Before an import",
            Self::Migration => "Before an update of the file",
            Self::BeforeRestore => "Before a restore",
            Self::Repair => "Before a repair",
            Self::Picked => "Before marking a pick list picked",
            Self::DraftPos => "Before creating purchase orders",
            Self::Demo => "Before loading the demo shop",
            Self::Undo => "Before undoing an import",
        }
    }
}

/// What a backup's name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupName {
    pub made_at: NaiveDateTime,
    pub reason: BackupReason,
    /// 1 for the first backup in a second, 2 for the next, …
    pub sequence: u32,
}

/// `shop-2026-12-01T101500-import.sqlite` (`-2.sqlite` and up for later ones in the same
/// second).
pub fn backup_file_name(
    shop_stem: &str,
    made_at: NaiveDateTime,
    reason: BackupReason,
    sequence: u32,
) -> String {
    let stamp = made_at.format(STAMP_FORMAT);
    if sequence <= 1 {
        format!("{shop_stem}-{stamp}-{}{EXTENSION}", reason.code())
    } else {
        format!(
            "{shop_stem}-{stamp}-{}-{sequence}{EXTENSION}",
            reason.code()
        )
    }
}

/// Reads a name written by [`backup_file_name`] for this shop; `None` for any other file.
pub fn parse_backup_file_name(shop_stem: &str, file_name: &str) -> Option<BackupName> {
    let rest = file_name
        .strip_prefix(shop_stem)?
        .strip_prefix('-')?
        .strip_suffix(EXTENSION)?;
    let stamp = rest.get(..STAMP_LEN)?;
    let made_at = NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT).ok()?;
    let tail = rest.get(STAMP_LEN..)?.strip_prefix('-')?;
    if let Some(reason) = BackupReason::from_code(tail) {
        return Some(BackupName {
            made_at,
            reason,
            sequence: 1,
        });
    }
    let (code, sequence) = tail.rsplit_once('-')?;
    let sequence: u32 = sequence.parse().ok().filter(|n| *n >= 2)?;
    Some(BackupName {
        made_at,
        reason: BackupReason::from_code(code)?,
        sequence,
    })
}

/// Which backups to keep: the newest [`KEEP_NEWEST`], plus the newest of each calendar month.
/// `made` holds each backup's time and sequence; the answer has one flag per entry, in the same
/// order.
///
/// Only backups made up to `now` (the time of the backup just written) take part. A backup dated
/// after `now` was made while the clock was ahead (a wrong system clock, `--today` in the
/// future): it is always kept — it may hold the only copy of what was done then — but it counts
/// neither among the newest ten nor as its month's newest, so it never pushes out a backup made
/// at the right time, and the backup just written is always among the newest.
pub fn backups_to_keep(made: &[(NaiveDateTime, u32)], now: NaiveDateTime) -> Vec<bool> {
    let mut newest_first: Vec<usize> = (0..made.len())
        .filter(|&index| made[index].0 <= now)
        .collect();
    newest_first.sort_by(|&a, &b| made[b].cmp(&made[a]));
    let mut keep: Vec<bool> = made.iter().map(|(at, _)| *at > now).collect();
    let mut months = HashSet::new();
    for (rank, &index) in newest_first.iter().enumerate() {
        let (at, _) = made[index];
        let first_of_its_month = months.insert((at.year(), at.month()));
        if rank < KEEP_NEWEST || first_of_its_month {
            keep[index] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, 15, 0))
            .expect("date")
    }

    #[test]
    fn names_sort_by_time_and_read_back() {
        let name = backup_file_name("shop", at(2026, 12, 1, 10), BackupReason::Import, 1);
        assert_eq!(name, "shop-2026-12-01T101500-import.sqlite");
        let again = backup_file_name("shop", at(2026, 12, 1, 10), BackupReason::BeforeRestore, 3);
        assert_eq!(again, "shop-2026-12-01T101500-before-restore-3.sqlite");
        assert_eq!(
            parse_backup_file_name("shop", &again),
            Some(BackupName {
                made_at: at(2026, 12, 1, 10),
                reason: BackupReason::BeforeRestore,
                sequence: 3
            })
        );
        assert_eq!(
            parse_backup_file_name("shop", &name).map(|n| n.reason),
            Some(BackupReason::Import)
        );
        assert!(parse_backup_file_name("shop", "shop.sqlite").is_none());
        assert!(parse_backup_file_name("shop", "other-2026-12-01T101500-import.sqlite").is_none());
        assert!(parse_backup_file_name("shop", "shop-2026-12-01T101500-coffee.sqlite").is_none());
        assert!(parse_backup_file_name("shop", "shop-2026-13-01T101500-import.sqlite").is_none());
        assert!(parse_backup_file_name("shop", "shop-2026-12-01T101500-import-1.sqlite").is_none());
        // A shop whose name looks like a backup prefix is not mixed up with this one.
        assert!(
            parse_backup_file_name("shop", "shop-old-2026-12-01T101500-daily.sqlite").is_none()
        );
    }

    #[test]
    fn keeps_the_newest_ten_and_the_newest_of_each_month() {
        // 30 daily backups in March, 5 in February, 3 in January.
        let mut made = Vec::new();
        for day in 1..=30 {
            made.push((at(2026, 3, day, 9), 1));
        }
        for day in 1..=5 {
            made.push((at(2026, 2, day, 9), 1));
        }
        for day in 1..=3 {
            made.push((at(2026, 1, day, 9), 1));
        }
        let keep = backups_to_keep(&made, at(2026, 3, 30, 9));
        let kept: Vec<NaiveDateTime> = made
            .iter()
            .zip(&keep)
            .filter(|(_, keep)| **keep)
            .map(|((at, _), _)| *at)
            .collect();
        let mut expected: Vec<NaiveDateTime> = (21..=30).map(|day| at(2026, 3, day, 9)).collect();
        expected.push(at(2026, 2, 5, 9));
        expected.push(at(2026, 1, 3, 9));
        assert_eq!(kept, expected);
    }

    #[test]
    fn the_same_second_is_ordered_by_sequence() {
        let made: Vec<(NaiveDateTime, u32)> = (1..=12).map(|n| (at(2026, 3, 1, 12), n)).collect();
        let keep = backups_to_keep(&made, at(2026, 3, 1, 12));
        assert_eq!(
            keep,
            [
                false, false, true, true, true, true, true, true, true, true, true, true
            ]
        );
    }

    #[test]
    fn backups_dated_after_now_neither_count_nor_go() {
        // Twelve backups from a run whose clock said 2099, then today's backups on Mar 1, 2026:
        // a daily one and the one before an import, in the same second.
        let mut made: Vec<(NaiveDateTime, u32)> =
            (1..=12).map(|day| (at(2099, 6, day, 9), 1)).collect();
        made.extend((1..=11).map(|day| (at(2026, 2, day, 9), 1)));
        made.push((at(2026, 3, 1, 12), 1));
        made.push((at(2026, 3, 1, 12), 2));
        let keep = backups_to_keep(&made, at(2026, 3, 1, 12));
        // Every 2099 backup stays; today's two and Feb 4–11 are the newest ten.
        assert!(keep[..12].iter().all(|keep| *keep));
        let kept_february: Vec<bool> = keep[12..23].to_vec();
        assert_eq!(
            kept_february,
            [
                false, false, false, true, true, true, true, true, true, true, true
            ]
        );
        assert!(keep[23] && keep[24], "today's backups are kept");
    }
}
