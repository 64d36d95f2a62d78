//! Pure business rules: no egui, no SQL, no files.
//!
//! Every formula and rule of the shop lives here so the window, the command line and the
//! tests all agree on it.

pub mod abc;
pub mod advisor;
pub mod allocation;
pub mod backup;
pub mod drafting;
pub mod email;
pub mod exchange;
pub mod identity;
pub mod ids;
pub mod kpi;
pub mod kpi_rollup;
pub mod lateness;
pub mod ledger;
pub mod legal;
pub mod limits;
pub mod money;
pub mod notify;
pub mod order;
pub mod payment;
pub mod picklist;
pub mod product;
pub mod promise;
pub mod reorder;
pub mod rng;
pub mod safety_stock;
pub mod ship_to;
pub mod shop_orders;
pub mod storefront;
pub mod text;

pub use ledger::MovementKind;
pub use money::{Currency, format_cents, format_money, parse_money};
pub use product::{BackorderPolicy, ProductDraft, StockFigures, StockStatus};
