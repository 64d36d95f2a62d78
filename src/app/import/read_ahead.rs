//! Reading ahead: a second thread parses and checks rows while the first writes them.

use std::collections::HashMap;

use crate::io::csv_import::{ImportError, ImportSummary, RowResult, Rows};
use crate::store::{ProductId, StoreError};

use super::{ImportFailure, Tally};

/// Rows handed from the reading thread to the writing one at a time.
pub(super) const READ_AHEAD_ROWS: usize = 1024;
/// Batches the reading thread may be ahead (bounds the memory, whatever the file's size).
const READ_AHEAD_BATCHES: usize = 4;

/// One batch of parsed rows and how far into the file the reading got.
struct ReadBatch<T> {
    items: Vec<Result<RowResult<T>, ImportError>>,
    bytes_read: u64,
}

/// Feeds every good row of `rows` to `each`, in file order, while a second thread reads and
/// checks the rows ahead (parsing is about a tenth of a large import; on two cores it overlaps
/// the writing instead of adding to it). `prepare` runs on the reading thread too, for the work
/// on a row that needs no database (looking its product up by SKU). `on_batch` gets the bytes
/// read after each batch (for the progress bar; an error from it, e.g. a cancel, stops the
/// import). Returns the file's summary once every row was read; the first error of the file, of
/// `each` or of `on_batch` stops both threads.
pub(super) fn read_ahead<T: Send, U: Send>(
    rows: Rows<'_, T>,
    path: &str,
    on_batch: &dyn Fn(u64) -> Result<(), ImportFailure>,
    prepare: impl Fn(T) -> U + Send,
    mut each: impl FnMut(U) -> Result<(), ImportFailure>,
) -> Result<ImportSummary, ImportFailure> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(READ_AHEAD_BATCHES);
        let reader = scope.spawn(move || {
            let mut rows = rows;
            loop {
                let items: Vec<_> = rows
                    .by_ref()
                    .take(READ_AHEAD_ROWS)
                    .map(|item| item.map(|row| row.map(&prepare)))
                    .collect();
                let last = items.len() < READ_AHEAD_ROWS;
                let batch = ReadBatch {
                    items,
                    bytes_read: rows.bytes_read(),
                };
                // A closed channel: the writing side stopped (an error or a cancel).
                if sender.send(batch).is_err() || last {
                    break;
                }
            }
            rows.into_summary()
        });
        for batch in receiver {
            for item in batch.items {
                let item = item.map_err(|error| ImportFailure::File {
                    path: path.to_owned(),
                    error,
                })?;
                if let Ok(row) = item {
                    each(row)?;
                }
            }
            on_batch(batch.bytes_read)?;
        }
        reader.join().map_err(|_| {
            ImportFailure::Store(StoreError::Invalid(format!(
                "{path}: reading the file stopped unexpectedly; nothing was imported"
            )))
        })
    })
}

/// Adds the errors (and warnings) found against the database to the file's own, in line order.
pub(super) fn merge_errors(summary: &mut ImportSummary, tally: &mut Tally) {
    if !tally.warnings.is_empty() {
        summary.warnings.append(&mut tally.warnings);
        // File-level warnings (no line) first, then by line; equal lines keep their order.
        summary
            .warnings
            .sort_by_key(|warning| warning.line.unwrap_or(0));
    }
    if tally.error_rows == 0 {
        return;
    }
    summary.rows_with_errors += tally.error_rows;
    summary.rows_ok = summary.rows_ok.saturating_sub(tally.error_rows);
    summary.errors.append(&mut tally.errors);
    summary.errors.sort_by_key(|e| e.line);
    summary.errors_not_kept += tally.errors_not_kept;
}

/// For [`read_ahead`]'s `prepare`: pairs a row with the id of the product its SKU names (`None`
/// when the shop has no such SKU).
pub(super) fn with_product<'a, T>(
    index: &'a HashMap<String, ProductId>,
    sku: impl Fn(&T) -> &str + Send + 'a,
) -> impl Fn(T) -> (T, Option<ProductId>) + Send + 'a {
    move |row| {
        let product = index.get(sku(&row)).copied();
        (row, product)
    }
}
