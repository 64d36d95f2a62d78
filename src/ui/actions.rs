//! Every user action with its label and shortcut: menus, buttons and keys use the same list.

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NewFile,
    OpenFile,
    ImportProducts,
    ImportOrders,
    ImportPurchaseOrders,
    ImportInventory,
    UndoImport,
    ExportProducts,
    ExportOrders,
    ExportPurchaseOrders,
    ExportBackorders,
    ExportShopifyBadges,
    ExportWooCommerceBadges,
    RestoreBackup,
    Quit,
    CheckDatabase,
    AddProduct,
    EditProduct,
    AdjustStock,
    DeleteProduct,
    FocusSearch,
    /// Edit › Undo: the newest action that changed many orders or products.
    Undo,
}

impl Action {
    pub const ALL: [Self; 22] = [
        Self::NewFile,
        Self::OpenFile,
        Self::ImportProducts,
        Self::ImportOrders,
        Self::ImportPurchaseOrders,
        Self::ImportInventory,
        Self::UndoImport,
        Self::ExportProducts,
        Self::ExportOrders,
        Self::ExportPurchaseOrders,
        Self::ExportBackorders,
        Self::ExportShopifyBadges,
        Self::ExportWooCommerceBadges,
        Self::RestoreBackup,
        Self::Quit,
        Self::CheckDatabase,
        Self::AddProduct,
        Self::EditProduct,
        Self::AdjustStock,
        Self::DeleteProduct,
        Self::FocusSearch,
        Self::Undo,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::NewFile => "New shop file…",
            Self::OpenFile => "Open shop file…",
            Self::ImportProducts => "Import products…",
            Self::ImportOrders => "Import orders…",
            Self::ImportPurchaseOrders => "Import purchase orders…",
            Self::ImportInventory => "Import inventory (Shopify)…",
            Self::UndoImport => "Undo last import…",
            Self::ExportProducts => "Export products…",
            Self::ExportOrders => "Export orders…",
            Self::ExportPurchaseOrders => "Export purchase orders…",
            Self::ExportBackorders => "Export backorder list…",
            Self::ExportShopifyBadges => "Export storefront badges for Shopify…",
            Self::ExportWooCommerceBadges => "Export storefront badges for WooCommerce…",
            Self::RestoreBackup => "Restore backup…",
            Self::CheckDatabase => "Check database…",
            Self::Quit => "Quit",
            Self::AddProduct => "Add product…",
            Self::EditProduct => "Edit…",
            Self::AdjustStock => "Adjust stock…",
            Self::DeleteProduct => "Delete…",
            Self::FocusSearch => "Search",
            Self::Undo => "Undo",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let command = Modifiers::COMMAND;
        let shortcut = match self {
            Self::ImportProducts => KeyboardShortcut::new(command, Key::I),
            Self::ImportOrders
            | Self::ImportPurchaseOrders
            | Self::ImportInventory
            | Self::UndoImport
            | Self::ExportOrders
            | Self::ExportPurchaseOrders
            | Self::ExportBackorders
            | Self::ExportShopifyBadges
            | Self::ExportWooCommerceBadges
            | Self::RestoreBackup
            | Self::CheckDatabase => return None,
            Self::NewFile => KeyboardShortcut::new(command | Modifiers::SHIFT, Key::N),
            Self::OpenFile => KeyboardShortcut::new(command, Key::O),
            Self::ExportProducts => KeyboardShortcut::new(command, Key::E),
            Self::Quit => KeyboardShortcut::new(command, Key::Q),
            Self::AddProduct => KeyboardShortcut::new(command, Key::N),
            Self::EditProduct => KeyboardShortcut::new(Modifiers::NONE, Key::F2),
            Self::AdjustStock => KeyboardShortcut::new(command, Key::J),
            Self::DeleteProduct => KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
            Self::FocusSearch => KeyboardShortcut::new(command, Key::F),
            Self::Undo => KeyboardShortcut::new(command, Key::Z),
        };
        Some(shortcut)
    }

    /// Keys that also edit text (Delete, F2, Ctrl+Z) must not fire while a text field has focus.
    pub fn conflicts_with_typing(self) -> bool {
        matches!(self, Self::DeleteProduct | Self::EditProduct | Self::Undo)
    }

    /// A menu or toolbar button showing the shortcut.
    pub fn button(self, ctx: &egui::Context) -> egui::Button<'static> {
        let button = egui::Button::new(self.label());
        match self.shortcut() {
            Some(shortcut) => button.shortcut_text(ctx.format_shortcut(&shortcut)),
            None => button,
        }
    }
}
