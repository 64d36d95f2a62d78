//! Who owns a shop file and whether it is whole: the lock (two copies started at the same
//! instant, a restore under a running copy, `--ignore-lock`), write-ahead logs that are not the
//! file's own, restoring from a backup with a log, a read-only folder with a leftover log, a
//! damaged file, the schema and reference checks, read-only mode writing nothing, and the
//! messages about opening files. Real files, the real binary, the real window.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use backorder_desk::app::Clock;
use backorder_desk::app::backup::{backup_now, check_database};
use backorder_desk::app::catalog::{adjust_stock, save_product};
use backorder_desk::app::export::ExportKind;
use backorder_desk::app::jobs::wait_for_jobs_started_here;
use backorder_desk::app::session::{Access, Create, OpenRequest, open_shop};
use backorder_desk::domain::ProductDraft;
use backorder_desk::domain::backup::BackupReason;
use backorder_desk::store::backup::{backups_folder, list_backups};
use backorder_desk::store::lock::ShopLock;
use backorder_desk::store::wal::{WalState, check_wal, shm_path, wal_path};
use backorder_desk::store::{Store, latest_version};
use backorder_desk::ui::import::ExportFlow;
use common::{
    clock, desk, finish_jobs, harness, program, program_as_user, shop, shows, stderr, stdout,
};
use egui_kittest::kittest::Queryable;
use rusqlite::Connection;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

fn count(path: &Path, sql: &str) -> i64 {
    Store::open_read_only(path)
        .expect("open")
        .connection()
        .query_row(sql, [], |row| row.get(0))
        .expect("count")
}

fn draft(sku: &str, name: &str) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        name: name.into(),
        ..ProductDraft::default()
    }
}

/// Holds the writer lock of `db` as another copy of the app would.
fn hold_writer(db: &Path) -> ShopLock {
    let mut lock = ShopLock::new(db).expect("lock");
    lock.take_writer("2026-03-01 09:15:00", Duration::ZERO)
        .expect("writer lock");
    lock.enter(Duration::ZERO).expect("enter");
    lock.share(Duration::ZERO).expect("share");
    lock
}

/// Has `db` open as a copy that only reads (the shared lock, no writer lock).
fn hold_reader(db: &Path) -> ShopLock {
    let mut lock = ShopLock::new(db).expect("lock");
    lock.enter(Duration::ZERO).expect("enter");
    lock.share(Duration::ZERO).expect("share");
    lock
}

/// Runs `change` on `db` through a connection that keeps it in the write-ahead log (no
/// checkpoint), and copies the file and its log to `to` meanwhile: what a copy killed right
/// after its commit leaves behind.
fn copy_with_committed_log(db: &Path, change: &str, to: &Path) {
    let conn = Connection::open(db).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoints");
    conn.execute_batch(change).expect("change");
    std::fs::copy(db, to).expect("copy the file");
    std::fs::copy(wal_path(db), wal_path(to)).expect("copy its log");
    drop(conn);
}

fn orders_csv(path: &Path, prefix: &str, orders: usize) {
    let mut text =
        String::from("order_number,ordered_at,customer_name,customer_email,sku,quantity\n");
    for n in 0..orders {
        text.push_str(&format!(
            "{prefix}-{n:03},2026-02-{:02} 09:00:00,Customer {n},c{n}@example.com,LAMP,1\n",
            1 + n % 20
        ));
    }
    std::fs::write(path, text).expect("orders file");
}

/// A message that blames the wrong thing (the lock used to produce these in a race).
fn false_reason(text: &str) -> Option<&'static str> {
    [
        "read-only",
        "disk I/O",
        "No such file",
        "does not exist",
        "malformed",
        "drive failed",
        "database error",
    ]
    .into_iter()
    .find(|reason| text.contains(reason))
}

// ---------------------------------------------------------------------------------------------
// The lock

/// Two imports started at the same instant, 50 times: each either imports or is told the true
/// reason (the file is in use by the other), usually both run one after the other; no order
/// that was reported imported is lost, and the file stays whole.
#[test]
fn two_writers_started_at_the_same_instant_never_both_own_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let mut imported = 0;
    let mut refused = 0;
    for round in 0..50 {
        let files: Vec<PathBuf> = ["a", "b"]
            .iter()
            .map(|side| {
                let file = dir.path().join(format!("orders-{round}-{side}.csv"));
                orders_csv(&file, &format!("R{round}{side}"), 8);
                file
            })
            .collect();
        let children: Vec<_> = files
            .iter()
            .map(|file| {
                program()
                    .arg("--db")
                    .arg(&db)
                    .args(["--today", "2026-03-01", "import", "orders"])
                    .arg(file)
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start")
            })
            .collect();
        let pids: Vec<u32> = children.iter().map(std::process::Child::id).collect();
        for (index, child) in children.into_iter().enumerate() {
            let output = child.wait_with_output().expect("wait");
            let said = format!("{}{}", stdout(&output), stderr(&output));
            assert_eq!(false_reason(&said), None, "round {round}: {said}");
            if output.status.success() {
                assert!(said.contains("Imported."), "round {round}: {said}");
                imported += 1;
            } else {
                assert_eq!(output.status.code(), Some(1), "round {round}: {said}");
                // The true reason: the other one has it, named by its PID once it wrote it.
                let other = pids[1 - index];
                assert!(
                    said.contains("is in use by another copy of Backorder Desk"),
                    "round {round}: {said}"
                );
                assert!(
                    said.contains(&format!("PID {other} "))
                        || said.contains("its lock file does not say which one"),
                    "round {round}: {said}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!(imported + refused, 100);
    assert!(imported >= 50, "{imported} imported, {refused} refused");
    // Every import that said so is there, whole.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM orders WHERE order_number LIKE 'R%'"
        ),
        8 * imported
    );
    let store = Store::open(&db).expect("open");
    assert!(check_database(&store).expect("check").is_ok());
}

/// An import and a restore started at the same instant, 20 times: never the restore replacing
/// the file under the import. An order the import reported imported is in the shop afterwards,
/// or — when the restore ran after it — in the copy the restore kept of the file before.
#[test]
fn a_restore_never_replaces_the_file_under_a_running_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let source = dir.path().join("source.sqlite");
    backup_now(&Store::open(&db).expect("open"), Some(&source), &clock()).expect("source");
    for round in 0..20 {
        // A day per round: each round's backups are the newest ones, which retention keeps.
        let today = format!("2026-03-{:02}", round + 1);
        let file = dir.path().join(format!("orders-{round}.csv"));
        let prefix = format!("Q{round}");
        orders_csv(&file, &prefix, 40);
        let start = |args: &[&str]| {
            program()
                .arg("--db")
                .arg(&db)
                .args(["--today", &today])
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start")
        };
        let file_text = file.display().to_string();
        let source_text = source.display().to_string();
        let import = start(&["import", "orders", &file_text]);
        let restore = start(&["restore", &source_text]);
        let import = import.wait_with_output().expect("import");
        let restore = restore.wait_with_output().expect("restore");
        let (import_said, restore_said) = (
            format!("{}{}", stdout(&import), stderr(&import)),
            format!("{}{}", stdout(&restore), stderr(&restore)),
        );
        assert_eq!(false_reason(&import_said), None, "{import_said}");
        assert_eq!(false_reason(&restore_said), None, "{restore_said}");
        if !restore.status.success() {
            assert!(
                restore_said.contains("in use by another copy")
                    || restore_said.contains("open in another copy"),
                "round {round}: {restore_said}"
            );
        }
        if !import.status.success() {
            assert!(
                import_said.contains("in use by another copy"),
                "round {round}: {import_said}"
            );
            continue;
        }
        let sql = format!("SELECT count(*) FROM orders WHERE order_number LIKE '{prefix}-%'");
        let in_shop = count(&db, &sql);
        let kept = restore_said
            .lines()
            .find_map(|line| line.strip_prefix("The shop file as it was is kept in "))
            .map_or(0, |kept| count(Path::new(kept.trim()), &sql));
        assert!(
            in_shop == 40 || kept == 40,
            "round {round}: the import's orders are lost (shop {in_shop}, kept copy {kept})\n{import_said}\n{restore_said}"
        );
    }
}

#[test]
fn restore_is_refused_while_another_copy_has_the_file_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let backup = dir.path().join("copy.sqlite");
    backup_now(&Store::open(&db).expect("open"), Some(&backup), &clock()).expect("copy");
    let before = bytes(&db);
    let backup_text = backup.display().to_string();

    // A copy that writes.
    let writer = hold_writer(&db);
    let output = desk(&db, &["restore", &backup_text]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is in use by another copy of Backorder Desk"),
        "{}",
        stderr(&output)
    );
    // --ignore-lock does not make a restore possible.
    let output = desk(&db, &["restore", &backup_text, "--ignore-lock"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    drop(writer);

    // A copy that only reads (a read-only window, a command run with --ignore-lock).
    let reader = hold_reader(&db);
    let output = desk(&db, &["restore", &backup_text]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(
        error.contains("is open in another copy of Backorder Desk"),
        "{error}"
    );
    assert!(error.contains("Nothing was changed"), "{error}");
    assert_eq!(bytes(&db), before);
    assert!(
        list_backups(&db)
            .expect("list")
            .iter()
            .all(|backup| backup.reason != BackupReason::BeforeRestore),
        "a refused restore kept no copy"
    );
    // A repair runs only while no other copy has the file open, too.
    Connection::open(&db)
        .expect("raw")
        .execute("UPDATE products SET on_hand = 9", [])
        .expect("damage a cached value");
    let output = desk(&db, &["check", "--repair"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is open in another copy of Backorder Desk"),
        "{}",
        stderr(&output)
    );
    assert_eq!(count(&db, "SELECT on_hand FROM products"), 9);
    drop(reader);
    assert!(desk(&db, &["check", "--repair"]).status.success());
    // Nobody else: restored.
    let output = desk(&db, &["restore", &backup_text]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The deterministic variant of the race: a command run with `--ignore-lock` beside a writer
/// used to write anyway and go on writing after that writer closed, and a restore then replaced
/// the file under it. Now such a command changes nothing (it runs read-only at once), and any
/// copy that has the file open — this one too — holds the shared lock while it runs, so a
/// restore is refused until it ends.
#[test]
fn ignore_lock_cannot_lead_to_a_restore_under_a_running_copy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let backup = dir.path().join("copy.sqlite");
    backup_now(&Store::open(&db).expect("open"), Some(&backup), &clock()).expect("copy");
    let big = dir.path().join("big.csv");
    orders_csv(&big, "BIG", 200);
    let big_text = big.display().to_string();
    let writer = hold_writer(&db);

    // A writing command with --ignore-lock: read-only at once, nothing imported.
    let output = desk(&db, &["--ignore-lock", "import", "orders", &big_text]);
    let said = format!("{}{}", stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("runs read-only"), "{said}");
    assert!(said.contains("open read-only"), "{said}");

    // A long-running copy (a dry run of a large file, read-only beside the writer) outlives the
    // writer: the restore that comes next is refused while it runs.
    let mut rows = String::new();
    for n in 0..200_000 {
        rows.push_str(&format!(
            "BIG-{n:06},2026-02-{:02} 09:00:00,C {n},c{n}@example.com,LAMP,1\n",
            1 + n % 20
        ));
    }
    std::fs::write(
        &big,
        format!("order_number,ordered_at,customer_name,customer_email,sku,quantity\n{rows}"),
    )
    .expect("big file");
    let running = program()
        .arg("--db")
        .arg(&db)
        .args(["--today", "2026-03-01", "--ignore-lock", "import", "orders"])
        .arg(&big)
        .arg("--dry-run")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    std::thread::sleep(Duration::from_millis(500));
    drop(writer);
    let output = desk(&db, &["restore", &backup.display().to_string()]);
    let said = format!("{}{}", stdout(&output), stderr(&output));
    let ended = running.wait_with_output().expect("wait");
    let ended_said = format!("{}{}", stdout(&ended), stderr(&ended));
    assert!(ended.status.success(), "{ended_said}");
    assert!(ended_said.contains("200000 new"), "{ended_said}");
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("is open in another copy"), "{said}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM orders WHERE order_number LIKE 'BIG%'"
        ),
        0
    );
    // Once it has ended, the restore runs.
    let output = desk(&db, &["restore", &backup.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

// ---------------------------------------------------------------------------------------------
// Write-ahead logs

#[test]
fn a_foreign_write_ahead_log_is_refused_and_both_files_are_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    // Another shop, with a longer history, whose log holds committed changes.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let other = shop(other_dir.path());
    {
        let mut store = Store::open(&other).expect("other");
        for n in 0..60 {
            save_product(
                &mut store,
                None,
                &draft(&format!("O-{n}"), "Other"),
                1,
                &clock(),
            )
            .expect("product");
        }
    }
    let conn = Connection::open(&other).expect("other");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    conn.execute_batch(
        "UPDATE products SET name = 'from the other shop';
         INSERT INTO settings (key, value) VALUES ('shop_name', 'Other shop')
         ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
    )
    .expect("change");
    std::fs::copy(wal_path(&other), wal_path(&db)).expect("foreign log");
    drop(conn);
    assert!(matches!(
        check_wal(&db).expect("check"),
        WalState::Foreign { .. }
    ));
    let (file_before, log_before) = (bytes(&db), bytes(&wal_path(&db)));

    for command in [
        &["products"][..],
        &["check"],
        &["adjust", "LAMP", "1", "--reason", "x"],
    ] {
        let output = desk(&db, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let error = stderr(&output);
        assert!(error.contains("does not belong to"), "{error}");
        assert!(error.contains("Move '"), "{error}");
        assert!(error.contains("Neither file was changed"), "{error}");
    }
    let mut harness = harness(db.clone(), clock());
    harness.run();
    assert!(shows(&harness, "Cannot open the shop file"));
    assert!(harness.state().store().is_none());
    drop(harness);
    assert_eq!(bytes(&db), file_before);
    assert_eq!(bytes(&wal_path(&db)), log_before);

    // Set aside, the shop opens as it was.
    std::fs::rename(wal_path(&db), dir.path().join("set-aside-wal")).expect("move");
    let output = desk(&db, &["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Brass lamp"));
    assert!(!stdout(&output).contains("from the other shop"));
}

/// The hardest case for the file facts: a shop of the same size whose log changed rows in place
/// (no copy of page 1 in it). Its pages break the shop's tables and indexes, which are sound
/// without them.
#[test]
fn a_foreign_log_of_a_file_of_the_same_size_is_refused_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let other = dir.path().join("b.sqlite");
    for (path, extra) in [(&db, 0), (&other, 40)] {
        let mut store = Store::open(path).expect("open");
        save_product(
            &mut store,
            None,
            &draft("LAMP", "Brass lamp"),
            100,
            &clock(),
        )
        .expect("lamp");
        for n in 0..extra {
            save_product(&mut store, None, &draft(&format!("B{n}"), "B"), 0, &clock())
                .expect("product");
        }
    }
    assert_eq!(
        std::fs::metadata(&db).expect("a").len(),
        std::fs::metadata(&other).expect("b").len(),
        "the two files have the same size"
    );
    let conn = Connection::open(&other).expect("other");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    conn.execute("UPDATE products SET name = 'from b'", [])
        .expect("change");
    std::fs::copy(wal_path(&other), wal_path(&db)).expect("foreign log");
    drop(conn);
    let (file_before, log_before) = (bytes(&db), bytes(&wal_path(&db)));
    let output = desk(&db, &["products"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("does not belong to"),
        "{}",
        stderr(&output)
    );
    assert_eq!(bytes(&db), file_before);
    assert_eq!(bytes(&wal_path(&db)), log_before);
    assert!(!shm_path(&db).exists(), "the check left a -shm file");
}

#[test]
fn a_shops_own_leftover_log_is_replayed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let copy = dir.path().join("crashed.sqlite");
    copy_with_committed_log(
        &db,
        "UPDATE products SET name = 'Renamed lamp' WHERE sku = 'LAMP'",
        &copy,
    );
    assert!(matches!(
        check_wal(&copy).expect("check"),
        WalState::Belongs { .. }
    ));
    let output = desk(&copy, &["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Renamed lamp"),
        "{}",
        stdout(&output)
    );
}

/// Snapshots of a shop's file and log taken between its transactions — with checkpoints every
/// few pages, a reader that holds checkpoints back now and then, and files that grow — are
/// always judged its own.
#[test]
fn a_shops_own_log_is_always_judged_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let mut store = Store::open(&db).expect("open");
    store
        .connection()
        .pragma_update(None, "wal_autocheckpoint", 3)
        .expect("small checkpoints");
    let reader = Connection::open(&db).expect("reader");
    let lamp = store.product_id_by_sku("LAMP").expect("q").expect("lamp");
    let snapshots = tempfile::tempdir().expect("snapshots");
    let mut with_log = 0;
    for step in 0..160 {
        match step % 9 {
            0 => reader
                .execute_batch("BEGIN; SELECT count(*) FROM products;")
                .expect("read"),
            5 => reader.execute_batch("COMMIT").expect("end read"),
            _ => {}
        }
        if step % 3 == 0 {
            save_product(
                &mut store,
                None,
                &draft(&format!("S-{step}"), &"Long name ".repeat(25)),
                1,
                &clock(),
            )
            .expect("product");
        } else {
            adjust_stock(&mut store, lamp, 1, "Count", &clock()).expect("adjust");
        }
        let snapshot = snapshots.path().join(format!("s{step}.sqlite"));
        std::fs::copy(&db, &snapshot).expect("file");
        if wal_path(&db).exists() {
            std::fs::copy(wal_path(&db), wal_path(&snapshot)).expect("log");
        }
        match check_wal(&snapshot).expect("check") {
            WalState::Foreign { reason } => panic!("step {step}: judged foreign: {reason}"),
            WalState::Belongs { .. } => with_log += 1,
            WalState::Empty => {}
        }
    }
    assert!(with_log > 100, "only {with_log} snapshots had a log");
}

#[test]
fn restore_keeps_the_changes_in_the_backups_log_and_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let backup = dir.path().join("with-log.sqlite");
    copy_with_committed_log(
        &db,
        "UPDATE products SET name = 'Lamp from the log' WHERE sku = 'LAMP'",
        &backup,
    );
    // The shop changes afterwards: the restore must bring the backup's state back.
    let output = desk(&db, &["adjust", "LAMP", "4", "--reason", "Count"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = desk(&db, &["restore", &backup.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let name: String = Store::open_read_only(&db)
        .expect("open")
        .connection()
        .query_row("SELECT name FROM products WHERE sku = 'LAMP'", [], |row| {
            row.get(0)
        })
        .expect("name");
    assert_eq!(name, "Lamp from the log");
    assert!(!wal_path(&backup).exists(), "a -wal file is left");
    assert!(!shm_path(&backup).exists(), "a -shm file is left");
    // The backup still holds the same shop.
    assert_eq!(
        count(
            &backup,
            "SELECT count(*) FROM products WHERE name = 'Lamp from the log'"
        ),
        1
    );
}

/// Runs a command as an unprivileged user when the tests run as root (root may write any
/// folder), so that a read-only folder really is one.
fn as_user(db: &Path, args: &[&str]) -> Output {
    program_as_user()
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-03-01"])
        .args(args)
        .env("TMPDIR", std::env::temp_dir())
        .output()
        .expect("run")
}

#[test]
fn a_read_only_folder_with_a_leftover_log_shows_the_logs_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let folder = dir.path().join("read-only");
    std::fs::create_dir(&folder).expect("folder");
    let copy = folder.join("shop.sqlite");
    copy_with_committed_log(
        &db,
        "UPDATE products SET name = 'Lamp from the log' WHERE sku = 'LAMP'",
        &copy,
    );
    let out = tempfile::tempdir().expect("out");
    std::fs::set_permissions(out.path(), std::fs::Permissions::from_mode(0o777)).expect("out");
    for path in [copy.clone(), wal_path(&copy)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("file");
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("folder");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("dir");
    let (file_before, log_before) = (bytes(&copy), bytes(&wal_path(&copy)));

    let output = as_user(&copy, &["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Lamp from the log"),
        "{}",
        stdout(&output)
    );
    let output = as_user(&copy, &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let export = out.path().join("products.csv");
    let output = as_user(
        &copy,
        &["export", "products", &export.display().to_string()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        bytes(&export)
            .windows(17)
            .any(|w| w == b"Lamp from the log")
    );
    let saved = out.path().join("saved.sqlite");
    let output = as_user(&copy, &["backup", "--to", &saved.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        count(
            &saved,
            "SELECT count(*) FROM products WHERE name = 'Lamp from the log'"
        ),
        1
    );
    assert_eq!(bytes(&copy), file_before);
    assert_eq!(bytes(&wal_path(&copy)), log_before);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("restore");
}

// ---------------------------------------------------------------------------------------------
// A damaged file

/// Scribbles over the root page of an index: SQLite opens the file, and its quick check finds
/// the damage.
fn damage_an_index(db: &Path) {
    drop(Store::open(db).expect("checkpoint"));
    let (page_size, root): (i64, i64) = {
        let conn = Connection::open(db).expect("raw");
        let page_size = conn
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .expect("page size");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'products' LIMIT 1",
                [],
                |row| row.get(0),
            )
            .expect("index root");
        (page_size, root)
    };
    let mut data = bytes(db);
    let start = ((root - 1) * page_size) as usize;
    for byte in &mut data[start..start + page_size as usize] {
        *byte = 0x5A;
    }
    std::fs::write(db, data).expect("damage");
}

#[test]
fn a_damaged_file_refuses_writes_and_backups_and_names_the_way_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let good = backup_now(
        &Store::open(&db).expect("open"),
        None,
        &Clock::fixed(chrono::NaiveDate::from_ymd_opt(2026, 2, 20).expect("date")),
    )
    .expect("a good backup")
    .0;
    damage_an_index(&db);
    let damaged = bytes(&db);
    let newest = format!("the newest is '{}'", good.display());
    for command in [
        &["adjust", "LAMP", "5", "--reason", "Count"][..],
        &["order", "--customer", "Cy", "LAMP=1"],
    ] {
        let output = desk(&db, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let error = stderr(&output);
        assert!(error.contains("is damaged"), "{error}");
        assert!(error.contains(&newest), "{error}");
        assert!(error.contains("nothing was changed"), "{error}");
    }
    assert_eq!(bytes(&db), damaged, "nothing was written");
    let output = desk(&db, &["backup"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(
        error.contains("is damaged") && error.contains(&newest),
        "{error}"
    );
    assert_eq!(list_backups(&db).expect("list").len(), 1, "no damaged copy");
    let output = desk(&db, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(error.contains("only a backup can fix"), "{error}");
    assert!(error.contains(&good.display().to_string()), "{error}");
    assert!(!error.contains("database error"), "{error}");
    // The way out works.
    let output = desk(&db, &["restore", &good.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        desk(&db, &["adjust", "LAMP", "5", "--reason", "Count"])
            .status
            .success()
    );
}

#[test]
fn a_window_on_a_damaged_file_opens_it_read_only_and_offers_a_backup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    backup_now(
        &Store::open(&db).expect("open"),
        None,
        &Clock::fixed(chrono::NaiveDate::from_ymd_opt(2026, 2, 20).expect("date")),
    )
    .expect("a good backup");
    damage_an_index(&db);
    let damaged = bytes(&db);
    let mut harness = harness(db.clone(), clock());
    harness.run();
    assert!(shows(&harness, "The shop file is damaged"));
    assert!(harness.state().is_read_only());
    assert_eq!(bytes(&db), damaged);
    harness.get_by_label("Restore backup…").click();
    harness.run();
    harness.get_by_label("Restore…").click();
    harness.run();
    harness.get_by_label("Restore").click();
    harness.run();
    assert!(
        !harness.state().is_read_only(),
        "restored and writable again"
    );
    let store = harness.state().store().expect("store");
    assert!(check_database(store).expect("check").is_ok());
}

#[test]
fn check_on_a_file_too_damaged_to_open_says_so_in_its_own_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    backup_now(&Store::open(&db).expect("open"), None, &clock()).expect("backup");
    drop(Store::open(&db).expect("checkpoint"));
    let mut data = bytes(&db);
    // The schema table on page 1, after the 100-byte file header.
    for byte in &mut data[100..600] {
        *byte = 0xA5;
    }
    std::fs::write(&db, &data).expect("damage");
    let output = desk(&db, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(error.contains("is damaged"), "{error}");
    assert!(error.contains("restore a backup; the newest is"), "{error}");
    assert!(!error.contains("malformed"), "{error}");
    assert!(!error.contains("database error"), "{error}");
}

#[test]
fn check_finds_missing_tables_indexes_triggers_and_orphaned_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let (index, trigger): (String, String) = {
        let conn = Connection::open(&db).expect("raw");
        let name = |kind: &str| -> String {
            conn.query_row(
                "SELECT name FROM sqlite_schema WHERE type = ?1 AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 1",
                [kind],
                |row| row.get(0),
            )
            .expect("name")
        };
        (name("index"), name("trigger"))
    };
    let broken = dir.path().join("broken.sqlite");
    std::fs::copy(&db, &broken).expect("copy");
    {
        let conn = Connection::open(&broken).expect("raw");
        conn.execute_batch(&format!(
            "DROP INDEX {index}; DROP TRIGGER {trigger};
             PRAGMA foreign_keys = OFF;
             DELETE FROM orders WHERE order_id = (SELECT MIN(order_id) FROM orders);"
        ))
        .expect("break");
    }
    let output = desk(&broken, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let said = stdout(&output);
    assert!(
        said.contains(&format!("index {index} is missing")),
        "{said}"
    );
    assert!(
        said.contains(&format!("trigger {trigger} is missing")),
        "{said}"
    );
    assert!(
        said.contains("order_lines: 1 row(s) refer to a missing orders row"),
        "{said}"
    );
    assert!(stderr(&output).contains("only a backup can fix"));

    // Without the orphan, the repair makes the index and trigger again.
    let fixable = dir.path().join("fixable.sqlite");
    std::fs::copy(&db, &fixable).expect("copy");
    Connection::open(&fixable)
        .expect("raw")
        .execute_batch(&format!("DROP INDEX {index}; DROP TRIGGER {trigger};"))
        .expect("drop");
    let output = desk(&fixable, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("check --repair"),
        "{}",
        stderr(&output)
    );
    let output = desk(&fixable, &["check", "--repair"]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).contains("Check after the repair: ok"));

    let table = dir.path().join("no-table.sqlite");
    std::fs::copy(&db, &table).expect("copy");
    Connection::open(&table)
        .expect("raw")
        .execute_batch("DROP TABLE promise_changes")
        .expect("drop");
    let output = desk(&table, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let said = stdout(&output);
    assert!(said.contains("table promise_changes is missing"), "{said}");
    assert!(said.contains("restore a backup"), "{said}");
}

// ---------------------------------------------------------------------------------------------
// Read-only mode writes nothing

#[test]
fn reading_commands_work_read_only_while_another_copy_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let orders = dir.path().join("orders.csv");
    orders_csv(&orders, "DRY", 3);
    let mail = dir.path().join("mail");
    std::fs::create_dir(&mail).expect("mail");
    let output = desk(&db, &["setting", "sender_email", "shop@example.com"]);
    assert!(output.status.success(), "{}", stderr(&output));
    drop(Store::open(&db).expect("checkpoint"));
    let writer = hold_writer(&db);
    let before = bytes(&db);
    for command in [
        &["kpi"][..],
        &["kpi", "--from", "2026-01-01"],
        &[
            "import",
            "orders",
            &orders.display().to_string(),
            "--dry-run",
        ],
        &["notify", "list"],
        &["setting"],
        &["setting", "shop_name"],
        &["notify", "export", &mail.display().to_string()],
        &["products"],
        &["check"],
    ] {
        let output = desk(&db, command);
        assert!(
            output.status.success(),
            "{command:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }
    let output = desk(
        &db,
        &[
            "import",
            "orders",
            &orders.display().to_string(),
            "--dry-run",
        ],
    );
    assert!(stdout(&output).contains("3 new"), "{}", stdout(&output));
    assert_eq!(bytes(&db), before, "nothing was written");
    let log = wal_path(&db);
    assert!(
        !log.exists() || std::fs::metadata(&log).expect("log").len() == 0,
        "nothing was written into the log"
    );
    drop(writer);
}

#[test]
fn a_read_only_windows_workers_leave_the_shop_file_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    let writer = hold_writer(&db);
    let before = bytes(&db);
    let mut harness = harness(db.clone(), clock());
    harness.run();
    harness.get_by_label("Open read-only").click();
    harness.run();
    assert!(harness.state().is_read_only());
    let opener = harness.state().store().expect("store").opener();
    for tab in ["Dashboard", "Reorder", "Catalog", "Dashboard"] {
        harness.get_by_label(tab).click();
        // Each tab's worker opens a connection of its own and closes it when done.
        finish_jobs(&mut harness);
        assert_eq!(
            opener.open_stores(),
            1,
            "{tab}'s worker closed its connection"
        );
    }
    let csv = dir.path().join("products.csv");
    let export = ExportFlow::begin(
        opener.clone(),
        ExportKind::Products,
        csv.clone(),
        clock(),
        &harness.ctx,
    )
    .expect("export");
    wait_for_jobs_started_here(Duration::from_mins(1)).expect("the export finishes");
    let result = export.poll().expect("the export's result");
    assert!(result.is_ok(), "{result:?}");
    assert!(csv.exists());
    drop(harness);
    assert_eq!(bytes(&db), before, "the shop file was written");
    let log = wal_path(&db);
    assert!(
        !log.exists() || std::fs::metadata(&log).expect("log").len() == 0,
        "the read-only window's workers wrote into the log"
    );
    drop(writer);
}

// ---------------------------------------------------------------------------------------------
// Messages about opening files

#[test]
fn an_empty_file_is_not_made_into_a_shop_unless_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").expect("empty");
    for command in [
        &["products"][..],
        &["check"],
        &["add-product", "--sku", "A", "--name", "A"],
    ] {
        let output = desk(&empty, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let error = stderr(&output);
        assert!(error.contains("is empty (0 bytes)"), "{error}");
        assert!(!stdout(&output).contains("ok"), "{}", stdout(&output));
    }
    assert_eq!(bytes(&empty), b"");
    let mut harness = harness(empty.clone(), clock());
    harness.run();
    assert!(shows(&harness, "Cannot open the shop file"));
    drop(harness);
    assert_eq!(bytes(&empty), b"");
    // File > New shop file… on it: a new shop.
    let mut request = OpenRequest::new(&empty, Access::Write, clock());
    request.create = Create::AlsoEmpty;
    let session = open_shop(request).expect("new shop");
    assert_eq!(
        session.store.schema_version().expect("version"),
        latest_version()
    );
    // Where no file is, a shop is made as before.
    let output = desk(dir.path().join("new.sqlite"), &["products"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_wrong_version_number_is_refused_in_words_and_makes_no_backups() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    drop(Store::open(&db).expect("checkpoint"));
    for version in [3, 0, -2] {
        let file = dir.path().join(format!("v{version}.sqlite"));
        std::fs::copy(&db, &file).expect("copy");
        Connection::open(&file)
            .expect("raw")
            .pragma_update(None, "user_version", version)
            .expect("version");
        let before = bytes(&file);
        for _ in 0..2 {
            let output = desk(&file, &["products"]);
            assert_eq!(output.status.code(), Some(1));
            let error = stderr(&output);
            assert!(
                error.contains(&format!("says it is database version {version}, but")),
                "{error}"
            );
            assert!(!error.contains("already exists"), "{error}");
            assert!(!error.contains("database error"), "{error}");
        }
        assert_eq!(bytes(&file), before);
        assert!(
            list_backups(&file).expect("list").is_empty(),
            "a failed update made a backup"
        );
    }
    assert!(!backups_folder(&db).join("v3-").exists());
}

#[test]
fn messages_say_each_thing_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).expect("folder");
    let output = desk(&folder, &["products"]);
    let error = stderr(&output);
    assert_eq!(
        error.matches("it is a folder, not a file").count(),
        1,
        "{error}"
    );
    let db = shop(dir.path());
    let empty_csv = dir.path().join("empty.csv");
    std::fs::write(&empty_csv, b"").expect("empty csv");
    let output = desk(
        &db,
        &["import", "products", &empty_csv.display().to_string()],
    );
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert_eq!(error.matches("the file is empty").count(), 1, "{error}");
}

#[test]
fn a_read_only_backup_restores_into_a_shop_that_can_be_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let backup = dir.path().join("kept.sqlite");
    backup_now(&Store::open(&db).expect("open"), Some(&backup), &clock()).expect("copy");
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o444)).expect("protect");
    let output = desk(&db, &["restore", &backup.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The restored shop is the app's own file, not a copy of the backup's permissions (which
    // made it read-only and every later change "refused: the file is read-only").
    let mode = std::fs::metadata(&db).expect("meta").permissions().mode();
    assert_ne!(
        mode & 0o200,
        0,
        "the restored shop is write-protected: {mode:o}"
    );
    let output = desk(&db, &["adjust", "LAMP", "2", "--reason", "Count"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!wal_path(&backup).exists() && !shm_path(&backup).exists());
}

/// A small disk of its own (a tmpfs), where the tests may mount one (as root); `None`
/// elsewhere.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        mounted.then(|| Self(at.to_owned()))
    }

    /// Writes a file until the disk is full.
    fn fill(&self) {
        use std::io::Write;
        let mut file = std::fs::File::create(self.0.join("filler")).expect("filler");
        let block = vec![7u8; 4096];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_called_a_full_disk_in_our_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk"), "3m") else {
        eprintln!("skipped: no small disk can be mounted here (needs root)");
        return;
    };
    let db = shop(&disk.0);
    drop(Store::open(&db).expect("checkpoint"));
    disk.fill();
    for command in [
        &["products"][..],
        &["adjust", "LAMP", "1", "--reason", "Count"],
    ] {
        let output = desk(&db, command);
        let error = stderr(&output);
        // Reading needs no room: a reading command may work; when it cannot, it says why.
        if command[0] == "products" && output.status.success() {
            continue;
        }
        assert_eq!(output.status.code(), Some(1), "{command:?}: {error}");
        assert!(error.contains("disk is full"), "{command:?}: {error}");
        assert!(!error.contains("drive failed"), "{error}");
        assert!(!error.contains("Error code"), "{error}");
        assert!(!error.contains("disk I/O error"), "{error}");
    }
}
