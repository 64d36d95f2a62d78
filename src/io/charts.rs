//! The numbers behind a chart as CSV, and a chart's pixels as PNG.

use std::path::Path;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;

use super::csv_guard::write_guarded;
use super::write_atomically;

/// Writes a header and rows as a CSV file (UTF-8, comma-separated), replacing `path` whole.
/// Cells a spreadsheet would run as formulas are guarded ([`super::csv_guard`]).
pub fn write_table(path: &Path, header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    write_atomically(path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        write_guarded(&mut writer, header)?;
        for row in rows {
            write_guarded(&mut writer, row)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// Writes RGBA pixels (`width × height × 4` bytes, unmultiplied) as a PNG file.
pub fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) -> std::io::Result<()> {
    if u64::from(width) * u64::from(height) * 4 != rgba.len() as u64 || width == 0 || height == 0 {
        return Err(std::io::Error::other(format!(
            "the picture is {width}×{height} but has {} bytes of pixels",
            rgba.len()
        )));
    }
    write_atomically(path, |out| {
        PngEncoder::new(out)
            .write_image(rgba, width, height, image::ExtendedColorType::Rgba8)
            .map_err(std::io::Error::other)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_png_files() {
        let dir = tempfile::tempdir().expect("dir");
        let csv_path = dir.path().join("t.csv");
        write_table(
            &csv_path,
            &["a".into(), "b".into()],
            &[vec!["1".into(), "x, y".into()]],
        )
        .expect("csv");
        assert_eq!(
            std::fs::read_to_string(&csv_path).expect("read"),
            "a,b\n1,\"x, y\"\n"
        );
        let png_path = dir.path().join("t.png");
        write_png(&png_path, 2, 1, &[255, 0, 0, 255, 0, 0, 255, 255]).expect("png");
        let bytes = std::fs::read(&png_path).expect("read");
        assert_eq!(&bytes[1..4], b"PNG");
        assert!(write_png(&png_path, 3, 1, &[0; 8]).is_err());
    }
}
