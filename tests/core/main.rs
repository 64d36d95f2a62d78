//! The library through its public API: the store, the services the window and the command line
//! share, CSV and other files, messages, KPIs and the stories that span both front ends (guards,
//! reliability, ownership of the shop file). One module per topic; `cargo test --test core`.

#[path = "../common/mod.rs"]
mod common;

mod allocation_props;
mod csv_import;
mod guards;
mod import_large;
mod kpi;
mod notify;
mod notify_templates;
mod ownership;
mod picklist;
mod practice;
mod promises;
mod reliability;
mod safety;
mod store;
mod suite;
