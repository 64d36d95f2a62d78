//! Files: CSV (read and written), PDF pick lists and packing slips, e-mail drafts.

pub mod charts;
pub mod csv_guard;
pub mod csv_import;
pub mod csv_products;
pub mod eml;
pub mod picklist_pdf;
pub mod smtp;

use std::io::Write;
use std::path::Path;

/// Writes a file through a temporary file in the same folder and renames it into place, so a
/// failure never leaves half a file where a good one was.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path has no file name"))?;
    let temp_path = folder.join(format!(".{}.partial", file_name.to_string_lossy()));
    let result = (|| {
        let file = std::fs::File::create(&temp_path)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        let file = writer
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&temp_path, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp_path);
    }
    result
}

/// How many names [`write_new_file`] tries (`name`, `name-2`, … `name-1000`) before it gives up.
const NEW_NAME_TRIES: u32 = 1000;

/// Writes `bytes` to a new file in `folder` named `stem.extension` — or, when a file of that name
/// exists, `stem-2.extension`, `stem-3.extension`, …: an existing file is never replaced.
/// Returns the path written.
///
/// The bytes go to a temporary file first, which is flushed and then linked under its name (a
/// hard link fails when the name is taken, so two writers cannot both get one name); a folder
/// that does not support hard links gets the file created directly with `create_new`.
pub fn write_new_file(
    folder: &Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> std::io::Result<std::path::PathBuf> {
    let temp_path = folder.join(format!(".{stem}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        let mut linked = true;
        for attempt in 1..=NEW_NAME_TRIES {
            let name = if attempt == 1 {
                format!("{stem}.{extension}")
            } else {
                format!("{stem}-{attempt}.{extension}")
            };
            let target = folder.join(name);
            if linked {
                match std::fs::hard_link(&temp_path, &target) {
                    Ok(()) => return Ok(target),
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    // No hard links here (some network or FAT drives): create it directly.
                    Err(_) => linked = false,
                }
            }
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
            {
                Ok(mut file) => {
                    let written = file.write_all(bytes).and_then(|()| file.sync_all());
                    if let Err(error) = written {
                        drop(file);
                        let _ = std::fs::remove_file(&target);
                        return Err(error);
                    }
                    return Ok(target);
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(error),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{stem}.{extension} and {NEW_NAME_TRIES} numbered names after it are taken"),
        ))
    })();
    let _ = std::fs::remove_file(&temp_path);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_never_replaces_one_that_exists() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.eml"), b"first").expect("write");
        let second = write_new_file(dir.path(), "a", "eml", b"second").expect("second");
        let third = write_new_file(dir.path(), "a", "eml", b"third").expect("third");
        assert_eq!(second, dir.path().join("a-2.eml"));
        assert_eq!(third, dir.path().join("a-3.eml"));
        assert_eq!(
            std::fs::read(dir.path().join("a.eml")).expect("a"),
            b"first"
        );
        assert_eq!(std::fs::read(&second).expect("a-2"), b"second");
        assert_eq!(std::fs::read(&third).expect("a-3"), b"third");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 3, "no temporary file is left: {names:?}");
    }
}
