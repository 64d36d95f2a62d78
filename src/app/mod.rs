//! Services shared by the window and the command line.

pub mod abc;
pub mod backup;
pub mod catalog;
pub mod clock;
pub mod deadlines;
pub mod demo;
pub mod export;
pub mod import;
pub mod jobs;
pub mod kpi;
pub mod launch;
pub mod mappings;
pub mod notify;
pub mod orders;
pub mod picklist;
pub mod practice;
pub mod print;
pub mod promises;
pub mod purchasing;
pub mod safety;
pub mod secrets;
pub mod send;
pub mod session;
pub mod settings;
pub mod simulate;
pub mod undo;
pub mod undo_stack;

pub use clock::Clock;
