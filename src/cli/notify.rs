//! `notify list|export` and `setting`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::anyhow;
use clap::Subcommand;

use crate::app::Clock;
use crate::app::notify::{export_drafts, history, outbox};
use crate::app::settings::{SETTINGS, check_setting};
use crate::store::Store;
use crate::store::messages::Message;

#[derive(Debug, Subcommand)]
pub enum NotifyAction {
    /// The unsent drafts (with --all also sent and discarded messages)
    List {
        /// One JSON object per line: `kind`, `order_number`, `to`, `subject`, `status`
        #[arg(long)]
        json: bool,
        /// Include sent and discarded messages
        #[arg(long)]
        all: bool,
    },
    /// Write one .eml file per unsent draft into DIR (named from kind, order number and message number; existing files are never replaced)
    Export {
        dir: PathBuf,
        /// Mark the exported drafts as sent
        #[arg(long)]
        mark_sent: bool,
    },
}

pub fn run(
    store: &mut Store,
    action: &NotifyAction,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match action {
        NotifyAction::List { json, all } => {
            let mut messages = outbox(store)?;
            if *all {
                messages.extend(history(store, None)?);
            }
            print_list(&messages, *json, out)?;
        }
        NotifyAction::Export { dir, mark_sent } => {
            let export = export_drafts(store, dir, *mark_sent, &clock)?;
            for file in &export.written {
                writeln!(out, "{}", file.display())?;
            }
            for problem in &export.skipped {
                writeln!(out, "not written: {problem}")?;
            }
            let marked = if *mark_sent && !export.written.is_empty() {
                ", marked as sent"
            } else {
                ""
            };
            writeln!(out, "{} message(s) written{marked}", export.written.len())?;
            if let Some(reason) = &export.stopped {
                return Err(anyhow!(
                    "{reason}; the export stopped there and the drafts not written stay in the Outbox"
                ));
            }
            if !export.skipped.is_empty() {
                return Err(anyhow!(
                    "{} draft(s) were not written: their address cannot be used; correct it in the Outbox",
                    export.skipped.len()
                ));
            }
        }
    }
    Ok(())
}

fn print_list(messages: &[Message], json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if json {
        for message in messages {
            let value = serde_json::json!({
                "kind": message.kind_id,
                "order_number": message.order_number,
                "to": message.recipient,
                "subject": message.subject,
                "status": message.status.code(),
            });
            writeln!(out, "{value}")?;
        }
        return Ok(());
    }
    if messages.is_empty() {
        writeln!(out, "No drafts")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<13} {:<12} {:<10} {:<30} Subject",
        "Kind", "Order", "Status", "To"
    )?;
    for message in messages {
        writeln!(
            out,
            "{:<13} {:<12} {:<10} {:<30} {}",
            message.kind_id,
            message.order_number,
            message.status.code(),
            message.recipient,
            message.subject
        )?;
    }
    Ok(())
}

pub fn setting(
    store: &Store,
    key: Option<&str>,
    value: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(key) = key else {
        for key in SETTINGS {
            let value = store.setting(key)?.unwrap_or_default();
            writeln!(out, "{key} = {}", value.replace('\n', "\\n"))?;
        }
        return Ok(());
    };
    if !SETTINGS.contains(&key) {
        return Err(anyhow!(
            "unknown setting '{key}'; settings are {}",
            SETTINGS.join(", ")
        ));
    }
    match value {
        None => writeln!(out, "{}", store.setting(key)?.unwrap_or_default())?,
        Some(value) => {
            // The command line writes line breaks in a signature as \n.
            let value = check_setting(key, &value.replace("\\n", "\n")).map_err(|e| anyhow!(e))?;
            store.set_setting(key, &value)?;
            writeln!(out, "{key} set")?;
        }
    }
    Ok(())
}
