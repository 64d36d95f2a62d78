//! What several screens and the shell share: the command queue's vocabulary, tables and
//! sortable headers, number and date formats, colours, the file dialog, confirm and undo prompts.
//! Nothing here imports a screen or the shell.

pub mod actions;
pub mod command;
pub mod confirm;
pub mod file_dialog;
pub mod format;
pub mod message_history;
pub mod tab;
pub mod theme;
pub mod widgets;
