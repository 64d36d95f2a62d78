//! Backups, restore, the lock against a second copy, bad folders and disks, and the database
//! check: on real SQLite files, through the command line, and through the window. (The lock's
//! races, foreign write-ahead logs, damaged files and the messages about opening files are in
//! `ownership.rs`.)

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use backorder_desk::app::Clock;
use backorder_desk::app::backup::{
    backup_now, check_database, daily_backup_if_due, repair_from_ledger, restore,
};
use backorder_desk::app::catalog::{adjust_stock, save_product};
use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
use backorder_desk::app::jobs::Progress;
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::backup::BackupReason;
use backorder_desk::store::backup::{backups_folder, check_backup_file, list_backups};
use backorder_desk::store::lock::{ShopLock, host_name, writer_holder, writer_lock_path};
use backorder_desk::store::{
    OpenOptions, ProductId, Store, StoreError, create_at_version, latest_version,
};
use chrono::NaiveDate;
use common::{
    clock, desk, fill, finish_jobs, harness, program_as_user, running_as_root, shop, shows,
    shows_part, stderr, stdout,
};
use egui_kittest::kittest::Queryable;

fn day(y: i32, m: u32, d: u32) -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

fn draft(sku: &str, name: &str) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        name: name.into(),
        ..ProductDraft::default()
    }
}

fn product_count(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT count(*) FROM products", [], |row| row.get(0))
        .expect("count")
}

fn products_in(path: &Path) -> i64 {
    product_count(&Store::open_read_only(path).expect("open backup"))
}

fn lamp(store: &Store) -> ProductId {
    store
        .product_id_by_sku("LAMP")
        .expect("query")
        .expect("lamp")
}

fn on_hand(store: &Store, sku: &str) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT on_hand FROM products WHERE sku = ?1",
            [sku],
            |row| row.get(0),
        )
        .expect("on hand")
}

/// Holds the writer lock of `db` as another copy of the app would (in this process: a lock is
/// per open file, so this process's own opens are kept out like another process's).
fn hold_writer(db: &Path) -> ShopLock {
    let mut lock = ShopLock::new(db).expect("lock");
    lock.take_writer("2026-03-01 09:15:00", Duration::ZERO)
        .expect("writer lock");
    lock.enter(Duration::ZERO).expect("enter");
    lock.share(Duration::ZERO).expect("share");
    lock
}

// ---------------------------------------------------------------------------------------------
// Backups

#[test]
fn a_backup_is_a_consistent_copy_taken_while_another_connection_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let store = Store::open(&path).expect("open");
    // A second connection has committed one product (still in the write-ahead log) and is in
    // the middle of a transaction that adds another.
    let mut other = Store::open(&path).expect("second connection");
    save_product(&mut other, None, &draft("MUG", "Mug"), 2, &clock()).expect("mug");
    let tx = other.transaction().expect("transaction");
    tx.execute(
        "UPDATE products SET name = 'half written' WHERE sku = 'MUG'",
        [],
    )
    .expect("update");
    let (file, size) = backup_now(&store, None, &clock()).expect("backup");
    drop(tx);
    assert!(size > 0);
    assert_eq!(std::fs::metadata(&file).expect("size").len(), size);
    assert_eq!(
        file,
        backups_folder(&path).join("shop-2026-03-01T120000-manual.sqlite")
    );
    let checked = check_backup_file(&file).expect("a sound backup");
    assert_eq!(checked.products, 2);
    assert_eq!(checked.orders, 2);
    let copy = Store::open_read_only(&file).expect("open copy");
    let name: String = copy
        .connection()
        .query_row("SELECT name FROM products WHERE sku = 'MUG'", [], |row| {
            row.get(0)
        })
        .expect("mug in the copy");
    assert_eq!(name, "Mug", "the uncommitted change is not in the backup");
    drop(copy);
    // Nothing but the backup is left in the folder (no partial or journal files).
    let names: Vec<String> = std::fs::read_dir(backups_folder(&path))
        .expect("folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, ["shop-2026-03-01T120000-manual.sqlite"]);
}

#[test]
fn daily_backups_keep_the_newest_ten_and_one_per_month() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let store = Store::open(&path).expect("open");
    let mut days = vec![day(2026, 1, 5), day(2026, 1, 20)];
    days.extend((1..=12).map(|d| day(2026, 2, d)));
    days.extend((1..=3).map(|d| day(2026, 3, d)));
    for clock in &days {
        let made = daily_backup_if_due(&store, clock).expect("backup");
        assert_eq!(made.map(|b| b.reason), Some(BackupReason::Daily));
        // The second start of the same day writes nothing.
        assert!(daily_backup_if_due(&store, clock).expect("again").is_none());
    }
    let kept: Vec<String> = list_backups(&path)
        .expect("list")
        .iter()
        .map(|b| b.made_at.format("%Y-%m-%d").to_string())
        .collect();
    // 17 written: the newest 10 (Mar 3 … Feb 6), plus January's newest; February's newest is
    // among the ten.
    assert_eq!(
        kept,
        [
            "2026-03-03",
            "2026-03-02",
            "2026-03-01",
            "2026-02-12",
            "2026-02-11",
            "2026-02-10",
            "2026-02-09",
            "2026-02-08",
            "2026-02-07",
            "2026-02-06",
            "2026-01-20",
        ]
    );
}

#[test]
fn backups_made_in_one_second_keep_their_order_when_retention_frees_a_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let store = Store::open(&path).expect("open");
    let second = NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("time");
    // Twelve backups in one second: retention keeps the newest ten (numbers 3 to 12) and frees
    // 1 and 2. The next two must come after 12, not take the freed numbers (a backup numbered
    // below an older one counted as older, and the next backup's retention deleted it).
    let mut written = Vec::new();
    for _ in 0..14 {
        let made = store
            .write_backup(BackupReason::Manual, second)
            .expect("backup");
        written.push(made.sequence);
    }
    assert_eq!(written, (1..=14).collect::<Vec<u32>>());
    let kept: Vec<u32> = list_backups(&path)
        .expect("list")
        .iter()
        .map(|b| b.sequence)
        .collect();
    assert_eq!(kept, (5..=14).rev().collect::<Vec<u32>>());
}

#[test]
fn an_import_is_backed_up_first_and_refused_when_no_backup_can_be_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let csv = dir.path().join("products.csv");
    std::fs::write(&csv, "sku,name,on_hand\nMUG,Mug,4\nCUP,Cup,2\n").expect("csv");
    let request = ImportRequest::new(ImportKind::Products, csv.clone());
    let mut store = Store::open(&path).expect("open");
    let report = run_import(&mut store, &request, &clock(), &Progress::default()).expect("import");
    assert!(report.written);
    assert_eq!(product_count(&store), 3);
    let backups = list_backups(&path).expect("list");
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, BackupReason::Import);
    assert_eq!(
        products_in(&backups[0].path),
        1,
        "the backup is the shop before the import"
    );

    // A dry run writes no backup.
    let dry = ImportRequest {
        dry_run: true,
        ..request.clone()
    };
    run_import(&mut store, &dry, &clock(), &Progress::default()).expect("dry run");
    assert_eq!(list_backups(&path).expect("list").len(), 1);

    // The backups folder cannot be made (a file is in its way): nothing is imported.
    std::fs::remove_dir_all(backups_folder(&path)).expect("remove folder");
    std::fs::write(backups_folder(&path), b"not a folder").expect("block folder");
    std::fs::write(&csv, "sku,name,on_hand\nPLATE,Plate,1\n").expect("csv");
    let error = run_import(&mut store, &request, &clock(), &Progress::default())
        .expect_err("refused without a backup")
        .to_string();
    assert!(
        error.starts_with("Nothing was changed: an import starts with a backup"),
        "{error}"
    );
    assert_eq!(product_count(&store), 3);
}

#[test]
fn an_older_file_is_backed_up_before_it_is_updated_and_not_updated_without_a_backup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.sqlite");
    let old = latest_version() - 1;
    create_at_version(&path, old).expect("old file");
    let now = NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(10, 15, 0))
        .expect("time");
    let options = OpenOptions {
        read_only: false,
        now: Some(now),
    };

    // No backup can be written: the file stays as it was.
    std::fs::write(backups_folder(&path), b"in the way").expect("block folder");
    let error = Store::open_with(&path, options).expect_err("refused");
    assert!(
        matches!(error, StoreError::NoBackupBeforeUpdate { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("a backup is written first"),
        "{error}"
    );
    let untouched = rusqlite::Connection::open(&path).expect("raw");
    let version: i64 = untouched
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    assert_eq!(version, old);
    drop(untouched);

    std::fs::remove_file(backups_folder(&path)).expect("unblock");
    let store = Store::open_with(&path, options).expect("updated");
    assert_eq!(store.schema_version().expect("version"), latest_version());
    let backup = backups_folder(&path).join("old-2026-12-01T101500-migration.sqlite");
    let copy = rusqlite::Connection::open(&backup).expect("backup");
    let version: i64 = copy
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    assert_eq!(version, old, "the backup holds the file before the update");
}

// ---------------------------------------------------------------------------------------------
// Restore

#[test]
fn restore_puts_a_backup_back_and_keeps_the_current_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut store = Store::open(&path).expect("open");
    let (backup, _) = backup_now(&store, None, &day(2026, 2, 1)).expect("backup");
    save_product(&mut store, None, &draft("MUG", "Mug"), 2, &clock()).expect("mug");
    drop(store);

    let report = restore(&path, &backup, &clock()).expect("restore");
    // No write-ahead log of the old file is left to be replayed into the restored one.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    assert!(!PathBuf::from(wal).exists());
    assert_eq!(report.checked.products, 1);
    assert_eq!(products_in(&path), 1);
    assert_eq!(
        products_in(&report.previous),
        2,
        "the file before the restore is kept"
    );
    assert_eq!(
        list_backups(&path).expect("list")[0].reason,
        BackupReason::BeforeRestore
    );
    let store = Store::open(&path).expect("reopen");
    assert!(check_database(&store).expect("check").is_ok());
}

#[test]
fn restore_refuses_a_bad_backup_and_leaves_the_shop_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let before = std::fs::read(&path).expect("read");
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"this is not a database at all").expect("write");
    let error = restore(&path, &garbage, &clock()).expect_err("garbage");
    assert!(matches!(error, StoreError::NotSqlite { .. }), "{error}");

    let foreign = dir.path().join("foreign.sqlite");
    let conn = rusqlite::Connection::open(&foreign).expect("foreign");
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi');")
        .expect("foreign table");
    drop(conn);
    let error = restore(&path, &foreign, &clock()).expect_err("foreign");
    assert!(
        matches!(error, StoreError::ForeignDatabase { .. }),
        "{error}"
    );

    let newer = dir.path().join("newer.sqlite");
    create_at_version(&newer, latest_version()).expect("newer");
    let conn = rusqlite::Connection::open(&newer).expect("newer");
    conn.pragma_update(None, "user_version", latest_version() + 1)
        .expect("bump");
    drop(conn);
    let error = restore(&path, &newer, &clock()).expect_err("newer");
    assert!(matches!(error, StoreError::NewerVersion { .. }), "{error}");

    let error = restore(&path, &path, &clock()).expect_err("itself");
    assert!(
        error.to_string().contains("the shop file itself"),
        "{error}"
    );

    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(list_backups(&path).expect("list").is_empty());
}

#[test]
fn restore_over_a_damaged_file_keeps_a_raw_copy_of_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let (backup, _) =
        backup_now(&Store::open(&path).expect("open"), None, &clock()).expect("backup");
    std::fs::write(&path, b"SQLite format 3\0 and then garbage").expect("damage");
    let report = restore(&path, &backup, &day(2026, 3, 2)).expect("restore");
    assert_eq!(products_in(&path), 1);
    assert_eq!(
        std::fs::read(&report.previous).expect("copy"),
        b"SQLite format 3\0 and then garbage"
    );
}

// ---------------------------------------------------------------------------------------------
// A second copy, two writers

#[test]
fn two_writers_on_one_file_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let product = lamp(&Store::open(&path).expect("open"));
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).expect("open");
                for n in 0..40 {
                    adjust_stock(
                        &mut store,
                        product,
                        1,
                        &format!("count {writer}-{n}"),
                        &clock(),
                    )
                    .expect("adjust");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer");
    }
    let store = Store::open(&path).expect("open");
    assert_eq!(on_hand(&store, "LAMP"), 80);
    let movements: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM stock_movements WHERE reason LIKE 'count %'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(movements, 80);
    assert!(check_database(&store).expect("check").is_ok());
}

// ---------------------------------------------------------------------------------------------
// Read-only files, missing folders, a full disk

#[test]
fn a_read_only_store_refuses_writes_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut store = Store::open_read_only(&path).expect("read-only");
    assert!(store.is_read_only());
    assert_eq!(product_count(&store), 1);
    let error = save_product(&mut store, None, &draft("MUG", "Mug"), 0, &clock())
        .expect_err("refused")
        .to_string();
    assert!(error.contains("open read-only"), "{error}");
    let error = backup_now(&store, None, &clock()).map(|_| ());
    assert!(error.is_ok(), "a read-only shop can still be backed up");
    let error = repair_from_ledger(&mut store, &clock())
        .expect_err("refused")
        .to_string();
    assert!(error.contains("read-only"), "{error}");

    let missing = Store::open_read_only(&dir.path().join("missing.sqlite"))
        .expect_err("missing")
        .to_string();
    assert!(missing.ends_with("does not exist"), "{missing}");
}

#[test]
fn a_missing_folder_is_made_and_an_impossible_one_is_explained() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("new").join("folder").join("shop.sqlite");
    let store = Store::open(&nested).expect("folders are made");
    assert!(!store.is_read_only());
    drop(store);
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"x").expect("file");
    let error = Store::open(&blocker.join("shop.sqlite"))
        .expect_err("impossible")
        .to_string();
    assert!(error.contains("is a file, not a folder"), "{error}");
}

/// Uses up the room left in the file once `max_page_count` is set, with products of shorter and
/// shorter names (written directly): the next product saved needs a page more and fails as on a
/// full disk. (A product's name is at most 255 characters, so one product alone no longer
/// needs new pages the way a 6,000-character name did.)
fn fill_to_the_brim(conn: &rusqlite::Connection) {
    let mut size = 255;
    let mut number = 0;
    while size > 0 {
        number += 1;
        let filled = conn.execute(
            "INSERT INTO products (sku, name, created_at, updated_at) VALUES (?1, ?2, '', '')",
            [format!("FILL-{number}"), "f".repeat(size)],
        );
        if filled.is_err() {
            size /= 2;
        }
    }
}

#[test]
fn a_full_disk_is_reported_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut store = Store::open(&path).expect("open");
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .expect("pages");
    store
        .connection()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |row| {
            row.get::<_, i64>(0)
        })
        .expect("limit");
    fill_to_the_brim(store.connection());
    let long_name = "Very long name ".repeat(17);
    let error = save_product(&mut store, None, &draft("BIG", &long_name), 3, &clock())
        .expect_err("the disk is full")
        .to_string();
    assert!(error.starts_with("The disk is full"), "{error}");
    assert!(store.product_id_by_sku("BIG").expect("query").is_none());
    assert!(check_database(&store).expect("check").is_ok());
    store
        .connection()
        .query_row("PRAGMA max_page_count = 1000000", [], |row| {
            row.get::<_, i64>(0)
        })
        .expect("unlimit");
    save_product(&mut store, None, &draft("BIG", &long_name), 3, &clock()).expect("room again");
}

// ---------------------------------------------------------------------------------------------
// The database check

/// LAMP's cached on-hand says 9 while the ledger says 0, and Ann's line holds 2 units no ledger
/// has.
fn damage_cached_values(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    conn.execute("UPDATE products SET on_hand = 9 WHERE sku = 'LAMP'", [])
        .expect("on hand");
    conn.execute(
        "UPDATE order_lines SET reserved_qty = 2 WHERE line_id = (SELECT min(line_id) FROM order_lines)",
        [],
    )
    .expect("reserved");
}

#[test]
fn the_check_finds_ledger_and_reservation_problems_and_the_repair_fixes_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let store = Store::open(&path).expect("open");
    assert!(check_database(&store).expect("check").is_ok());
    drop(store);
    damage_cached_values(&path);
    let mut store = Store::open(&path).expect("open");
    let report = check_database(&store).expect("check");
    assert!(report.integrity.is_empty());
    assert_eq!(report.ledger.len(), 1);
    assert_eq!((report.ledger[0].cached, report.ledger[0].ledger), (9, 0));
    // 9 on hand, 2 reserved, 5 waiting: free stock while customers wait.
    assert_eq!(report.reservations.len(), 1);
    assert_eq!(
        report.reservations[0].detail,
        "7 unit(s) free while 5 unit(s) wait for stock"
    );
    assert!(report.can_repair());

    let repaired = repair_from_ledger(&mut store, &clock()).expect("repair");
    assert_eq!(repaired.repaired.len(), 1);
    assert_eq!((repaired.repaired[0].was, repaired.repaired[0].now), (9, 0));
    // With nothing on hand, Ann's 2 reserved units go back.
    assert_eq!(repaired.reallocated.len(), 1);
    assert_eq!(repaired.reallocated[0].quantity, -2);
    assert!(check_database(&store).expect("check").is_ok());
    let backup = &list_backups(&path).expect("list")[0];
    assert_eq!(backup.reason, BackupReason::Repair);
    assert_eq!(
        on_hand(&Store::open_read_only(&backup.path).expect("b"), "LAMP"),
        9
    );
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn cli_backup_backups_and_restore() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let output = desk(&db, &["backup"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("shop-2026-03-01T120000-manual.sqlite"),
        "{}",
        stdout(&output)
    );
    let copy = dir.path().join("copy.sqlite");
    let output = desk(&db, &["backup", "--to", &copy.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(check_backup_file(&copy).expect("copy").products, 1);

    let output = desk(&db, &["add-product", "--sku", "MUG", "--name", "Mug"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = desk(&db, &["backups"]);
    let listing = stdout(&output);
    assert!(listing.contains("2026-03-01 12:00:00"), "{listing}");
    assert!(listing.contains("Made by hand"), "{listing}");

    let output = desk(&db, &["restore", &copy.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("Restored"), "{said}");
    assert!(said.contains("1 products, 2 orders"), "{said}");
    assert!(said.contains("before-restore"), "{said}");
    assert_eq!(products_in(&db), 1);

    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"nope").expect("garbage");
    let output = desk(&db, &["restore", &garbage.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not a Backorder Desk database"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn cli_check_and_repair() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let output = desk(&db, &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("reservations ok"));
    damage_cached_values(&db);
    let output = desk(&db, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("LAMP: on hand 9 but ledger sums to 0"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("check --repair"),
        "{}",
        stderr(&output)
    );
    let output = desk(&db, &["check", "--repair"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("Repaired LAMP: on hand 9 -> 0"), "{said}");
    assert!(said.contains("Check after the repair: ok"), "{said}");
    assert!(desk(&db, &["check"]).status.success());
}

#[test]
fn cli_writes_refuse_while_another_copy_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let other = hold_writer(&db);

    let output = desk(&db, &["adjust", "LAMP", "5", "--reason", "Count"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(
        error.contains("is in use by another copy of Backorder Desk"),
        "{error}"
    );
    assert!(
        error.contains(&format!(
            "PID {} on {} since 2026-03-01 09:15:00",
            std::process::id(),
            host_name()
        )),
        "{error}"
    );
    assert!(error.contains("Nothing was changed"), "{error}");
    assert_eq!(on_hand(&Store::open(&db).expect("open"), "LAMP"), 0);
    // Reading works, read-only.
    let output = desk(&db, &["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("LAMP"));
    // --ignore-lock no longer makes a second writer: the command runs read-only and its change
    // is refused (before, it wrote beside the other copy).
    let output = desk(
        &db,
        &["adjust", "LAMP", "5", "--reason", "Count", "--ignore-lock"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let error = stderr(&output);
    assert!(error.contains("runs read-only"), "{error}");
    assert!(error.contains("open read-only"), "{error}");
    assert_eq!(on_hand(&Store::open(&db).expect("open"), "LAMP"), 0);

    // The other copy closes: the next writer writes.
    drop(other);
    let output = desk(&db, &["adjust", "LAMP", "1", "--reason", "Count"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(writer_holder(&db), None, "the writer lock is given back");
    assert_eq!(on_hand(&Store::open(&db).expect("open"), "LAMP"), 1);
}

/// Runs the command line as an unprivileged user when this test runs as root (root may write
/// any file), so that a write-protected file really is one.
#[test]
fn cli_on_a_write_protected_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let as_root = running_as_root();
    let mut permissions = std::fs::metadata(&db).expect("meta").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&db, permissions).expect("protect");
    let run = |args: &[&str]| -> Output {
        program_as_user()
            .arg("--db")
            .arg(&db)
            .args(["--today", "2026-03-01"])
            .args(args)
            .env("HOME", dir.path())
            .output()
            .expect("run")
    };
    // The folder is readable but not writable by that user.
    if as_root {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("folder");
    }
    let output = run(&["adjust", "LAMP", "5", "--reason", "Count"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(
        error.contains("read-only") && error.contains("nothing was changed"),
        "{error}"
    );
    let output = run(&["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("LAMP"));
}

// ---------------------------------------------------------------------------------------------
// The window

#[test]
fn window_restores_a_backup_after_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut store = Store::open(&path).expect("open");
    backup_now(&store, None, &day(2026, 2, 20)).expect("backup");
    save_product(&mut store, None, &draft("MUG", "Mug"), 2, &clock()).expect("mug");
    drop(store);

    let mut harness = harness(path.clone(), clock());
    // The daily backup of the opened file is written on a worker.
    finish_jobs(&mut harness);
    let ours = writer_holder(&path).and_then(|held| held.owner);
    assert_eq!(
        ours.map(|owner| owner.pid),
        Some(std::process::id()),
        "the window holds the writer lock"
    );
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Restore backup…").click();
    harness.run();
    assert!(shows(&harness, "Restore backup"));
    assert!(shows(&harness, "Made by hand"));
    // Today's daily backup of the opened file is listed too.
    assert!(shows(&harness, "First start of the day"));
    let restore_buttons: Vec<_> = harness.query_all_by_label("Restore…").collect();
    assert_eq!(restore_buttons.len(), 2);
    // Newest first: the daily backup of today, then the one of Feb 20.
    restore_buttons[1].click();
    harness.run();
    assert!(shows(&harness, "Restore this backup?"));
    harness.get_by_label("Restore").click();
    harness.run();
    let store = harness.state().store().expect("reopened");
    assert_eq!(product_count(store), 1);
    assert!(shows_part(
        &harness,
        "Restored shop-2026-02-20T120000-manual.sqlite"
    ));
    assert!(
        writer_holder(&path).is_some(),
        "the lock is kept across the restore"
    );
    drop(harness);
    assert_eq!(
        writer_holder(&path),
        None,
        "closing the window gives the lock back"
    );
}

#[test]
fn window_checks_the_database_and_repairs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    damage_cached_values(&path);
    let mut harness = harness(path.clone(), clock());
    harness.run();
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("Check database…").click();
    // The check runs on a worker.
    finish_jobs(&mut harness);
    assert!(shows(&harness, "Problems found"));
    assert!(shows_part(&harness, "LAMP: on hand 9 but ledger sums to 0"));
    harness
        .get_by_label("Repair cached values from the ledger")
        .click();
    finish_jobs(&mut harness);
    assert!(shows(&harness, "Everything is in order"));
    let store = harness.state().store().expect("store");
    assert_eq!(on_hand(store, "LAMP"), 0);
    assert!(check_database(store).expect("check").is_ok());
}

#[test]
fn a_second_window_is_told_the_file_is_in_use_and_opens_read_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let other = hold_writer(&path);
    let mut harness = harness(path.clone(), clock());
    harness.run();
    assert!(shows(&harness, "The shop file is in use"));
    assert!(shows_part(
        &harness,
        &format!("PID {} on {}", std::process::id(), host_name())
    ));
    // Two copies never write to one file: there is no "Open anyway".
    assert!(!shows(&harness, "Open anyway"));
    harness.get_by_label("Open read-only").click();
    harness.run();
    assert!(harness.state().is_read_only());
    assert!(shows(&harness, "Read-only"));
    assert!(shows(&harness, "Brass lamp"));
    harness.get_by_label_contains("Add product").click();
    harness.run();
    fill(&mut harness, "SKU", "MUG");
    fill(&mut harness, "Name", "Mug");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows_part(
        &harness,
        "open read-only, so nothing was changed"
    ));
    let store = harness.state().store().expect("store");
    assert_eq!(product_count(store), 1);
    // The other copy still writes; the read-only window cannot restore under it.
    assert!(writer_holder(&path).is_some());
    drop(harness);
    drop(other);
}

#[test]
fn a_lock_file_left_by_a_copy_that_ended_holds_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    // What a copy that was killed leaves: its name in the lock file, but no lock (the
    // operating system dropped it with the process). And an old version's lock file.
    std::fs::write(
        writer_lock_path(&path),
        "Backorder Desk writer\npid=999999\nhost=gone\nsince=2026-02-01 08:00:00\n",
    )
    .expect("old text");
    std::fs::write(
        dir.path().join("shop.sqlite.lock"),
        "Backorder Desk lock\npid=1\nhost=x\n",
    )
    .expect("old lock");
    let mut harness = harness(path.clone(), clock());
    harness.run();
    assert!(!harness.state().is_read_only());
    assert!(!shows(&harness, "The shop file is in use"));
    assert_eq!(
        writer_holder(&path)
            .and_then(|held| held.owner)
            .map(|owner| owner.pid),
        Some(std::process::id())
    );
}

#[test]
fn a_full_disk_shows_in_the_window_and_it_keeps_running() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    let mut harness = harness(path, clock());
    harness.run();
    let store = harness.state().store().expect("store");
    // No free pages left inside the file either: the file cannot grow and has no room.
    store.connection().execute_batch("VACUUM").expect("vacuum");
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .expect("pages");
    store
        .connection()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |row| {
            row.get::<_, i64>(0)
        })
        .expect("limit");
    fill_to_the_brim(store.connection());
    harness.get_by_label_contains("Add product").click();
    harness.run();
    fill(&mut harness, "SKU", "BIG");
    fill(&mut harness, "Name", &"Very long name ".repeat(17));
    harness.get_by_label("Save").click();
    harness.run();
    assert!(shows_part(&harness, "The disk is full"));
    // Still running: the form can be closed and the catalog is there.
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(shows(&harness, "Brass lamp"));
}
