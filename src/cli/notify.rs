//! `notify list|export|send|deadlines|answer` and `setting`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::anyhow;
use clap::Subcommand;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::app::Clock;
use crate::app::clock::parse_iso_date;
use crate::app::deadlines::{CustomerAnswer, deadlines, record_answer};
use crate::app::notify::{export_drafts, history, outbox};
use crate::app::secrets::{Lookup, PASSWORD_VAR, Secrets};
use crate::app::send::{SendResult, drafts_to_send, send_all, smtp_settings};
use crate::app::settings::{SETTINGS, save_settings};
use crate::domain::notify::MessageKind;
use crate::store::Store;
use crate::store::messages::Message;

#[derive(Debug, Subcommand)]
pub enum NotifyAction {
    /// The current drafts (with --all also sent, discarded and superseded messages)
    List {
        /// One JSON object per line: `kind`, `order_number`, `to`, `subject`, `status`
        /// (draft|sent|discarded|superseded), `reason` (why it was superseded), `sent_at`,
        /// `message_id` (the Message-ID the server accepted), `error` (the server's last answer)
        #[arg(long)]
        json: bool,
        /// Include sent, discarded and superseded messages
        #[arg(long)]
        all: bool,
    },
    /// Send the drafts through the SMTP server in the settings; each is marked sent only when
    /// the server accepted it. The password comes from the keychain, `BACKORDER_DESK_SMTP_PASSWORD`,
    /// or is asked for
    Send {
        /// Only drafts of this kind: `confirmation`, `delay`, `date_known`, `ready`,
        /// `substitution`, `cancellation`, `preorder` or `payment`
        #[arg(long, value_name = "K")]
        kind: Option<String>,
        /// List what would be sent; send nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Every waiting line on the legal clock (FTC 16 CFR 435 / EU 2011/83 art. 18), next due first
    Deadlines {
        /// One JSON object per line: `order_number`, `sku`, `promised_by`, `notice_due_by`,
        /// `due_by`, `stage` (`none`, `first_notice_due`, `waiting_for_answer`,
        /// `renewed_notice_due` or `cancel_due`), `consent` (`none`, `silent`, `agreed` or
        /// `cancelled`), `overdue`
        #[arg(long)]
        json: bool,
    },
    /// Record the customer's answer to a delay notice: `wait` (optionally until a date) or
    /// `cancel` (the waiting lines are cancelled and their stock freed)
    Answer {
        order_number: String,
        answer: AnswerArg,
        /// The day the customer agreed to wait until (YYYY-MM-DD; default: the date of the last notice)
        #[arg(long, value_parser = parse_iso_date)]
        until: Option<NaiveDate>,
        /// The day the customer answered (default: today)
        #[arg(long, value_parser = parse_iso_date)]
        on: Option<NaiveDate>,
    },
    /// Write one .eml file per unsent draft into DIR (named from kind, order number and message number; existing files are never replaced)
    Export {
        dir: PathBuf,
        /// Mark the exported drafts as sent
        #[arg(long)]
        mark_sent: bool,
    },
}

/// The customer's answer on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswerArg {
    Wait,
    Cancel,
}

pub fn run(
    store: &mut Store,
    action: &NotifyAction,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match action {
        NotifyAction::Send { kind, dry_run } => {
            send(store, kind.as_deref(), *dry_run, clock, out)?;
        }
        NotifyAction::Deadlines { json } => print_deadlines(store, *json, clock, out)?,
        NotifyAction::Answer {
            order_number,
            answer,
            until,
            on,
        } => {
            if *answer == AnswerArg::Cancel && until.is_some() {
                return Err(anyhow!("--until goes with `wait`, not with `cancel`"));
            }
            let answer = match answer {
                AnswerArg::Wait => CustomerAnswer::Wait { until: *until },
                AnswerArg::Cancel => CustomerAnswer::Cancel,
            };
            let outcome = record_answer(
                store,
                order_number,
                answer,
                on.unwrap_or_else(|| clock.today()),
                &clock,
            )?;
            match answer {
                CustomerAnswer::Wait { until: Some(until) } => writeln!(
                    out,
                    "Order {}: the customer agreed to wait until {until}",
                    outcome.order_number
                )?,
                CustomerAnswer::Wait { until: None } => writeln!(
                    out,
                    "Order {}: the customer agreed to wait until the date of the last notice",
                    outcome.order_number
                )?,
                CustomerAnswer::Cancel => {
                    write!(
                        out,
                        "Order {}: the customer asked to cancel; {} waiting line(s) cancelled",
                        outcome.order_number, outcome.cancelled_lines
                    )?;
                    if outcome.stock_to.is_empty() {
                        writeln!(out)?;
                    } else {
                        writeln!(out, "; freed stock went to {}", outcome.stock_to.join(", "))?;
                    }
                }
            }
        }
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

fn send(
    store: &Store,
    kind: Option<&str>,
    dry_run: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let kind = match kind {
        None => None,
        Some(id) => Some(MessageKind::from_id(id.trim()).ok_or_else(|| {
            let kinds: Vec<&str> = MessageKind::ALL.iter().map(|kind| kind.id()).collect();
            anyhow!("unknown kind '{id}'; kinds are {}", kinds.join(", "))
        })?),
    };
    let drafts = drafts_to_send(store, kind)?;
    if drafts.is_empty() {
        writeln!(out, "No drafts to send")?;
        return Ok(());
    }
    if dry_run {
        for draft in &drafts {
            writeln!(
                out,
                "would send: {} {} to {}: {}",
                draft.kind_id, draft.order_number, draft.recipient, draft.subject
            )?;
        }
        writeln!(
            out,
            "{} message(s) would be sent; nothing sent",
            drafts.len()
        )?;
        return Ok(());
    }
    let settings = smtp_settings(store)?;
    let password = if settings.needs_password() {
        match Secrets::default().lookup(&settings.host, &settings.user) {
            Lookup::Found(password) => password,
            Lookup::Missing | Lookup::NoKeychain(_) => {
                ask_password(&settings.user, &settings.host)?
            }
        }
    } else {
        String::new()
    };
    let config = settings.config(&password);
    let mut write_error = None;
    let results = send_all(store, &drafts, &config, &clock, |result: &SendResult| {
        let line = match &result.outcome {
            Ok(reply) => format!(
                "sent: {} {} to {} ({reply})",
                result.kind.map_or("?", MessageKind::id),
                result.order_number,
                result.recipient
            ),
            Err(error) => format!(
                "not sent: {} {} to {}: {error}",
                result.kind.map_or("?", MessageKind::id),
                result.order_number,
                result.recipient
            ),
        };
        if let Err(error) = writeln!(out, "{line}") {
            write_error = Some(error);
        }
    })?;
    if let Some(error) = write_error {
        return Err(error.into());
    }
    let failed = results.iter().filter(|r| r.outcome.is_err()).count();
    writeln!(out, "{} sent, {failed} not sent", results.len() - failed)?;
    if failed > 0 {
        return Err(anyhow!(
            "{failed} message(s) were not sent and stay drafts with the server's answer; fix the cause and send again"
        ));
    }
    Ok(())
}

/// Asks for the SMTP password on the terminal (not shown), for this run only.
fn ask_password(user: &str, host: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(
            "the SMTP password of {user} on {host} is not in the keychain; set {PASSWORD_VAR} or run this in a terminal to type it"
        ));
    }
    let password = rpassword::prompt_password(format!("SMTP password of {user} on {host}: "))?;
    if password.is_empty() {
        return Err(anyhow!("no password given; nothing was sent"));
    }
    Ok(password)
}

fn print_deadlines(
    store: &Store,
    json: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let today = clock.today();
    let (rule, rows) = deadlines(store, today)?;
    let date = |day: Option<NaiveDate>| day.map(|day| day.to_string());
    if json {
        for row in &rows {
            let value = serde_json::json!({
                "order_number": row.order_number,
                "sku": row.sku,
                "customer": row.customer_email,
                "waiting": row.waiting,
                "eta": row.eta.map(|w| w.end.to_string()),
                "promised_by": row.deadline.promised_by.to_string(),
                "notice_due_by": row.deadline.notice_due_by.to_string(),
                "due_by": date(row.deadline.due_by),
                "agreed_until": date(row.deadline.agreed_until),
                "stage": row.deadline.stage.code(),
                "consent": row.deadline.consent.code(),
                "overdue": row.deadline.overdue(today),
                "rule": rule.code(),
                "basis": row.deadline.basis,
            });
            writeln!(out, "{value}")?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "No line waits")?;
        return Ok(());
    }
    writeln!(out, "Rule: {}", rule.label())?;
    writeln!(
        out,
        "{:<12} {:<12} {:<11} {:<11} {:<19} {:<10} Basis",
        "Order", "SKU", "Promised", "Due", "Stage", "Consent"
    )?;
    for row in &rows {
        let overdue = if row.deadline.overdue(today) {
            " OVERDUE"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<12} {:<12} {:<11} {:<11} {:<19} {:<10} {}{overdue}",
            row.order_number,
            row.sku,
            row.deadline.promised_by,
            date(row.deadline.due_by).unwrap_or_else(|| "-".into()),
            row.deadline.stage.code(),
            row.deadline.consent.code(),
            row.deadline.basis,
        )?;
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
                "reason": message.status_reason,
                "sent_at": message.sent_at,
                "message_id": message.message_id_header,
                "error": message.send_error,
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
    store: &mut Store,
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
            save_settings(store, &[(key, &value.replace("\\n", "\n"))])?;
            writeln!(out, "{key} set")?;
        }
    }
    Ok(())
}
