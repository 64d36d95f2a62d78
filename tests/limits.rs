//! Limits, dates and the clock: the accepted range of every number, text and date (the same for
//! the command line, the window and imports), extreme dates everywhere without a panic, and
//! backups when the clock was once in the future. Run against real shop files through the
//! command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn desk_on(db: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backorder-desk"))
        .arg("--db")
        .arg(db)
        .args(["--today", today])
        .args(args)
        .output()
        .expect("run backorder-desk")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs on Mar 1, 2026 and expects success.
fn ok(db: &Path, args: &[&str]) -> String {
    ok_on(db, "2026-03-01", args)
}

fn ok_on(db: &Path, today: &str, args: &[&str]) -> String {
    let output = desk_on(db, today, args);
    assert!(
        output.status.success(),
        "{args:?}: {}\n{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

// ---------------------------------------------------------------------------------------------
// Backups after the clock was once in the future

/// The backup files in the shop's `backups/` folder, sorted.
fn backup_names(db: &Path) -> Vec<String> {
    let folder = db.parent().expect("folder").join("backups");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("backups folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn backups_dated_in_the_future_never_push_out_the_one_just_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.sqlite");
    ok(&db, &["add-product", "--sku", "LAMP", "--name", "Lamp"]);
    // Twelve runs while the clock said June 2099, and one on Mar 20, 2026.
    for day in 1..=12 {
        ok_on(&db, &format!("2099-06-{day:02}"), &["backup"]);
    }
    ok_on(&db, "2026-03-20", &["backup"]);
    // Back to Mar 1, 2026: an import starts with a backup.
    let file = write(dir.path(), "products.csv", "sku,name\nMUG,Mug\n");
    let imported = ok(&db, &["import", "products", file.to_str().expect("utf-8")]);
    assert!(imported.contains("Imported."), "{imported}");
    let names = backup_names(&db);
    assert!(
        names
            .iter()
            .any(|name| name == "shop-2026-03-01T120000-import.sqlite"),
        "the backup taken before the import is kept: {names:?}"
    );
    assert!(
        names
            .iter()
            .any(|name| name == "shop-2026-03-01T120000-daily.sqlite"),
        "today's daily backup is kept: {names:?}"
    );
    // The 2099 runs kept their newest ten; on Mar 1, 2026 they are all kept (dated after now).
    assert_eq!(
        names
            .iter()
            .filter(|name| name.contains("-2099-06-"))
            .count(),
        10,
        "the future-dated backups are kept too: {names:?}"
    );
    assert!(
        names.iter().any(|name| name.contains("-2026-03-20T")),
        "{names:?}"
    );
}
