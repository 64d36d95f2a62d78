//! Services shared by the window and the command line.

pub mod catalog;
pub mod clock;
pub mod demo;
pub mod jobs;

pub use clock::Clock;
