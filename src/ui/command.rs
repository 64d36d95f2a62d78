//! What screens ask the app to do. The app runs the queue once per frame, after drawing.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::reorder::ReorderCommand;
use crate::app::export::ExportKind;
use crate::app::import::ImportKind;
use crate::app::orders::OrderInput;
use crate::app::purchasing::PoInput;
use crate::domain::ProductDraft;
use crate::domain::allocation::Priority;
use crate::store::ProductId;
use crate::store::orders::OrderId;
use crate::store::purchasing::PoId;

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
    PlaceOrder(Box<OrderInput>),
    ShipOrder(OrderId),
    CancelOrder(OrderId),
    CancelLine(i64),
    ChangePriority(OrderId, Priority),
    CreatePo(Box<PoInput>),
    ReceivePo {
        po_number: String,
        /// One SKU and quantity; `None` receives everything open.
        only: Option<(String, i64)>,
        date: NaiveDate,
    },
    MovePoDate {
        po_number: String,
        date: NaiveDate,
    },
    SetPoConfirmed(PoId, bool),
    CancelPo(PoId),
    /// Show a file dialog, then check the file and preview the import.
    ChooseImport(ImportKind),
    /// Check `path` (kind from its header when `None`) and preview the import.
    ImportFile {
        kind: Option<ImportKind>,
        path: PathBuf,
    },
    /// Ask to confirm undoing the newest import, then undo it.
    UndoImport,
    /// Show a save dialog and export there.
    ChooseExport(ExportKind),
    /// Outbox, templates and message settings.
    Message(super::messages::MessageCommand),
    /// Settings, order rules and draft purchase orders of the Reorder screen.
    Reorder(Box<ReorderCommand>),
    /// Pick lists and packing slips.
    PickList(super::picklist::PickListCommand),
    Quit,
    /// Switch to the catalog with this product selected (from the dashboard).
    ShowProduct(ProductId),
}
