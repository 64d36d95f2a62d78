//! What screens ask the app to do. The app runs the queue once per frame, after drawing.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::app::deadlines::CustomerAnswer;
use crate::app::export::ExportKind;
use crate::app::import::ImportKind;
use crate::app::orders::OrderInput;
use crate::app::practice::{CutoffTarget, PaymentAction};
use crate::app::purchasing::PoInput;
use crate::app::safety::{DraftPo, SafetySettings};
use crate::domain::ProductDraft;
use crate::domain::allocation::Priority;
use crate::domain::notify::MessageKind;
use crate::domain::order::CancelReason;
use crate::domain::picklist::{Paper, PickLayout};
use crate::domain::ship_to::ShipTo;
use crate::store::ProductId;
use crate::store::orders::OrderId;
use crate::store::purchasing::PoId;
use crate::store::safety::OrderRules;

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
        /// Record it even when stock goes below zero (the stock count was wrong).
        allow_negative: bool,
    },
    /// Place an order typed in the New order dialog, with its ship-to address.
    PlaceOrder(Box<OrderInput>, Box<ShipTo>),
    /// Change an order's ship-to address (and give its customer an e-mail address).
    SetShipTo {
        order_id: OrderId,
        ship_to: Box<ShipTo>,
        email: Option<String>,
    },
    /// An oversold order: cancel the units that wait (a cancellation is drafted).
    CancelOversold(OrderId),
    /// An oversold order: keep its units waiting (a backorder confirmation is drafted).
    KeepOversoldWaiting(OrderId),
    ShipOrder(OrderId),
    /// Cancel every open line, with the reason the shop chose.
    CancelOrder(OrderId, Option<CancelReason>),
    /// Cancel one line's open units, with the reason.
    CancelLine(i64, Option<CancelReason>),
    /// Record what happened to an order's payment (Capture payment list, order detail).
    Payment(OrderId, PaymentAction),
    /// Apply the policy advisor's suggestion to these products.
    ApplyAdvice(Vec<ProductId>),
    /// Set or clear a backorder cutoff (product, category or the last promise date).
    SetCutoff(CutoffTarget, Option<NaiveDate>),
    ChangePriority(OrderId, Priority),
    /// A new purchase order; `true`: its supplier is new and may be added.
    CreatePo(Box<PoInput>, bool),
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
    Message(MessageCommand),
    /// Settings, order rules and draft purchase orders of the Reorder screen.
    Reorder(Box<ReorderCommand>),
    /// Pick lists and packing slips.
    PickList(PickListCommand),
    /// File > Restore backup…: the list of backups.
    ShowBackups,
    /// Write a backup into the backups folder now.
    BackupNow,
    /// Show a file dialog and ask to restore the chosen backup.
    ChooseBackupFile,
    /// Replace the shop with this backup (confirmed), then reopen it.
    RestoreBackup(PathBuf),
    /// Help > Check database…
    CheckDatabase,
    /// On hand from the ledger, reservations re-allocated (after a backup).
    RepairFromLedger,
    /// Open a file with SQLite's read-only flags (another copy writes to it).
    OpenReadOnly(PathBuf),
    Quit,
    /// Switch to the catalog with this product selected (from the dashboard).
    ShowProduct(ProductId),
    /// Switch to Messages with this message selected (the Orders screen's to-do list).
    OpenMessage(i64),
    /// Save shop settings (File › Settings…, the welcome screen): all of them, or none.
    SaveSettings(Vec<(&'static str, String)>),
    /// Help › User guide: write it to the data folder and open it.
    OpenUserGuide,
    /// Ask first (with counts), then run the action as one undoable step.
    AskFirst(super::confirm::Bulk),
    /// Run a confirmed action, recording an undo point.
    RunBulk {
        bulk: super::confirm::Bulk,
        tracking_number: String,
    },
    /// Edit › Undo: show what undoing the newest action puts back (or why it cannot).
    Undo,
    /// Undo the newest action (confirmed).
    UndoConfirmed,
}

impl AppCommand {
    /// True for commands that change the shop (refused while it is open read-only).
    pub fn writes(&self) -> bool {
        match self {
            Self::ChooseFileToOpen
            | Self::ChooseNewFile
            | Self::OpenFile(_)
            | Self::OpenReadOnly(_)
            | Self::ChooseExport(_)
            | Self::ShowBackups
            | Self::BackupNow
            | Self::CheckDatabase
            | Self::Quit
            | Self::ShowProduct(_)
            | Self::OpenMessage(_)
            | Self::OpenUserGuide
            | Self::AskFirst(_) => false,
            Self::Message(command) => command.writes(),
            Self::PickList(command) => matches!(
                command,
                PickListCommand::Create { .. } | PickListCommand::MarkPicked(_)
            ),
            Self::LoadDemo
            | Self::StartEmpty
            | Self::SaveProduct { .. }
            | Self::DeleteProduct(_)
            | Self::AdjustStock { .. }
            | Self::PlaceOrder(..)
            | Self::SetShipTo { .. }
            | Self::CancelOversold(_)
            | Self::KeepOversoldWaiting(_)
            | Self::ShipOrder(_)
            | Self::CancelOrder(..)
            | Self::CancelLine(..)
            | Self::ChangePriority(..)
            | Self::CreatePo(..)
            | Self::ReceivePo { .. }
            | Self::MovePoDate { .. }
            | Self::SetPoConfirmed(..)
            | Self::CancelPo(_)
            | Self::ChooseImport(_)
            | Self::ImportFile { .. }
            | Self::UndoImport
            | Self::Reorder(_)
            | Self::ChooseBackupFile
            | Self::RestoreBackup(_)
            | Self::RepairFromLedger
            | Self::Payment(..)
            | Self::ApplyAdvice(_)
            | Self::SetCutoff(..)
            | Self::SaveSettings(_)
            | Self::RunBulk { .. }
            | Self::Undo
            | Self::UndoConfirmed => true,
        }
    }
}

/// What the Messages tab asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageCommand {
    SaveEdit {
        id: i64,
        recipient: String,
        subject: String,
        body: String,
    },
    MarkSent(i64),
    Discard(i64),
    Restore(i64),
    /// Ask where, then write the `.eml`.
    SaveEml(i64),
    /// Write the `.eml` here (chosen in the window's own file dialog).
    SaveEmlTo(i64, std::path::PathBuf),
    OpenInMailProgram(i64),
    SaveTemplate {
        kind: MessageKind,
        source: String,
    },
    ResetTemplate(MessageKind),
    SaveSettings(Vec<(&'static str, String)>),
    OfferSubstitutes(OrderId),
    /// Send these drafts through the SMTP server (asks for the password first when needed).
    Send(Vec<i64>),
    /// Send a test message to the shop's sender address.
    SendTest,
    /// Keep the SMTP password (keychain, else this session).
    KeepPassword(String),
    /// Draft the delay notice the legal clock asks for.
    DraftNotice(OrderId),
    /// Record the customer's answer to a delay notice.
    Answer {
        order_number: String,
        answer: CustomerAnswer,
    },
}

impl MessageCommand {
    /// True for commands that change the shop (refused read-only).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Self::SaveEml(_) | Self::OpenInMailProgram(_) | Self::SendTest | Self::KeepPassword(_)
        )
    }
}

/// What the Reorder screen asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum ReorderCommand {
    SaveSettings(SafetySettings),
    SaveOrderRules {
        product_id: ProductId,
        sku: String,
        rules: OrderRules,
    },
    CreatePos(Vec<DraftPo>),
}

// Settings are checked to be finite numbers before they are sent, so equality is total.
impl Eq for ReorderCommand {}

/// What the pick list window asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickListCommand {
    /// Open the window.
    Open,
    /// Make and save a new list, then render its PDF.
    Create {
        layout: PickLayout,
        paper: Paper,
        /// `None`: every ready order.
        orders: Option<Vec<String>>,
    },
    /// Render a saved list again.
    Show {
        list_number: String,
        layout: PickLayout,
        paper: Paper,
    },
    /// Ship exactly the listed units.
    MarkPicked(String),
    /// Ask where to save, then write the order's packing slip.
    PackingSlip(OrderId),
    /// Write the order's packing slip here (chosen in the window's own file dialog).
    PackingSlipTo(OrderId, PathBuf),
}
