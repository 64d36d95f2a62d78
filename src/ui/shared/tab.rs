//! The screens of the window, one tab each.

use super::actions::Action;

/// The screens, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Catalog,
    Orders,
    Purchasing,
    Reorder,
    Messages,
    Dashboard,
}

impl Tab {
    pub(crate) const ALL: [Self; 6] = [
        Self::Catalog,
        Self::Orders,
        Self::Purchasing,
        Self::Reorder,
        Self::Messages,
        Self::Dashboard,
    ];

    /// The View menu's action that shows this tab (its Ctrl+number shortcut).
    pub(crate) fn action(self) -> Action {
        match self {
            Self::Catalog => Action::ViewCatalog,
            Self::Orders => Action::ViewOrders,
            Self::Purchasing => Action::ViewPurchasing,
            Self::Reorder => Action::ViewReorder,
            Self::Messages => Action::ViewMessages,
            Self::Dashboard => Action::ViewDashboard,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Catalog => "Catalog",
            Self::Orders => "Orders",
            Self::Purchasing => "Purchase orders",
            Self::Messages => "Messages",
            Self::Dashboard => "Dashboard",
            Self::Reorder => "Reorder",
        }
    }
}
