//! What screens ask the app to do. The app runs the queue once per frame, after drawing.

use std::path::PathBuf;

use crate::domain::ProductDraft;
use crate::store::ProductId;

#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum AppCommand {
    /// Show a file dialog and open the chosen shop file.
    ChooseFileToOpen,
    /// Show a save dialog and create (or open) the chosen shop file.
    ChooseNewFile,
    OpenFile(PathBuf),
    LoadDemo,
    StartEmpty,
    SaveProduct {
        existing: Option<ProductId>,
        draft: Box<ProductDraft>,
        opening_stock: i64,
    },
    DeleteProduct(ProductId),
    AdjustStock {
        product_id: ProductId,
        quantity: i64,
        reason: String,
    },
    /// Show a save dialog and export the catalog there.
    ExportProducts,
    Quit,
}
