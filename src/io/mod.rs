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
