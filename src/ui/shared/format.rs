//! The shop's way of writing amounts and dates, for every screen.
//!
//! The app loads [`ShopFormats`] from the settings when the data changes and keeps it in the
//! egui context; screens read it with [`formats`] so a table cell, a panel and a dialog all
//! write "$1,234.50" and "Mar 3, 2026" (or "2026-03-03") the same way.

use std::sync::Arc;

pub use crate::app::settings::ShopFormats;

fn id() -> egui::Id {
    egui::Id::unique("backorder_desk_shop_formats")
}

/// Keeps `formats` for the screens drawn from now on.
pub fn set_formats(ctx: &egui::Context, formats: ShopFormats) {
    ctx.data_mut(|data| data.insert_temp(id(), Arc::new(formats)));
}

/// The shop's formats (the defaults before a shop is open).
pub fn formats(ctx: &egui::Context) -> Arc<ShopFormats> {
    ctx.data(|data| data.get_temp::<Arc<ShopFormats>>(id()))
        .unwrap_or_default()
}
