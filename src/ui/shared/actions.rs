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
    NewOrder,
    Settings,
    ViewCatalog,
    ViewOrders,
    ViewPurchasing,
    ViewReorder,
    ViewMessages,
    ViewDashboard,
    Shortcuts,
    UserGuide,
    About,
    /// Edit › Undo: the newest action that changed many orders or products.
    Undo,
}

impl Action {
    pub const ALL: [Self; 33] = [
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
        Self::NewOrder,
        Self::Settings,
        Self::ViewCatalog,
        Self::ViewOrders,
        Self::ViewPurchasing,
        Self::ViewReorder,
        Self::ViewMessages,
        Self::ViewDashboard,
        Self::Shortcuts,
        Self::UserGuide,
        Self::About,
        Self::Undo,
    ];

    /// The View menu: one entry per tab, in the tabs' order (Ctrl+1 … Ctrl+6).
    pub const VIEWS: [Self; 6] = [
        Self::ViewCatalog,
        Self::ViewOrders,
        Self::ViewPurchasing,
        Self::ViewReorder,
        Self::ViewMessages,
        Self::ViewDashboard,
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
            Self::NewOrder => "New order…",
            Self::Settings => "Settings…",
            Self::ViewCatalog => "Catalog",
            Self::ViewOrders => "Orders",
            Self::ViewPurchasing => "Purchase orders",
            Self::ViewReorder => "Reorder",
            Self::ViewMessages => "Messages",
            Self::ViewDashboard => "Dashboard",
            Self::Shortcuts => "Keyboard shortcuts",
            Self::UserGuide => "User guide",
            Self::About => "About Backorder Desk",
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
            | Self::CheckDatabase
            | Self::UserGuide
            | Self::About => return None,
            Self::NewFile => KeyboardShortcut::new(command | Modifiers::SHIFT, Key::N),
            Self::OpenFile => KeyboardShortcut::new(command, Key::O),
            Self::ExportProducts => KeyboardShortcut::new(command, Key::E),
            Self::Quit => KeyboardShortcut::new(command, Key::Q),
            Self::AddProduct => KeyboardShortcut::new(command, Key::N),
            Self::EditProduct => KeyboardShortcut::new(Modifiers::NONE, Key::F2),
            Self::AdjustStock => KeyboardShortcut::new(command, Key::J),
            Self::DeleteProduct => KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
            Self::FocusSearch => KeyboardShortcut::new(command, Key::F),
            Self::NewOrder => KeyboardShortcut::new(command | Modifiers::SHIFT, Key::O),
            Self::Settings => KeyboardShortcut::new(command, Key::Comma),
            Self::ViewCatalog => KeyboardShortcut::new(command, Key::Num1),
            Self::ViewOrders => KeyboardShortcut::new(command, Key::Num2),
            Self::ViewPurchasing => KeyboardShortcut::new(command, Key::Num3),
            Self::ViewReorder => KeyboardShortcut::new(command, Key::Num4),
            Self::ViewMessages => KeyboardShortcut::new(command, Key::Num5),
            Self::ViewDashboard => KeyboardShortcut::new(command, Key::Num6),
            Self::Shortcuts => KeyboardShortcut::new(Modifiers::NONE, Key::F1),
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
            Some(shortcut) => button.shortcut_text(shortcut_text(ctx, &shortcut)),
            None => button,
        }
    }
}

/// A shortcut as the platform writes it ("Ctrl+1", "⌘1"), with punctuation keys as their
/// sign: "Ctrl+," rather than egui's "Ctrl+Comma".
pub fn shortcut_text(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    let text = ctx.format_shortcut(shortcut);
    let name = shortcut.logical_key.name();
    let symbol = shortcut.logical_key.symbol_or_name();
    let is_sign = symbol.chars().count() == 1 && symbol.chars().all(|c| c.is_ascii_punctuation());
    match text.strip_suffix(name) {
        Some(modifiers) if is_sign => format!("{modifiers}{symbol}"),
        _ => text,
    }
}
