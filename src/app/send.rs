//! Sending drafts through the shop's SMTP server. A message becomes "sent" only when the server
//! accepted it (its Message-ID is kept); a failure leaves it a draft with the server's answer.

use std::time::Duration;

use super::Clock;
use super::notify::{NotifyError, outbox, recipient_problem, shop_info};
use crate::domain::notify::MessageKind;
use crate::io::eml::{BuiltEmail, EmlDraft, build_email};
use crate::io::smtp::{Accepted, Security, SmtpConfig};
use crate::store::Store;
use crate::store::messages::{Message, mark_delivered, message, set_send_error};
use crate::store::settings::{SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER};

/// How long to wait for the server before giving up on one message.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The SMTP settings of the shop (the password is not among them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
}

impl SmtpSettings {
    /// A password is needed to log in.
    pub fn needs_password(&self) -> bool {
        !self.user.trim().is_empty()
    }

    pub fn config(&self, password: &str) -> SmtpConfig {
        SmtpConfig {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            user: self.user.clone(),
            password: password.to_owned(),
            timeout: TIMEOUT,
        }
    }
}

/// The shop's SMTP settings; refused (with what to set) when no server is set.
pub fn smtp_settings(store: &Store) -> Result<SmtpSettings, NotifyError> {
    let host = store.setting(SMTP_HOST)?.unwrap_or_default();
    if host.trim().is_empty() {
        return Err(NotifyError::Invalid(
            "No mail server is set: enter the SMTP host in Messages > Settings (or `setting smtp_host smtp.example.com`)".into(),
        ));
    }
    let security = store
        .setting(SMTP_SECURITY)?
        .as_deref()
        .and_then(Security::from_code)
        .unwrap_or_default();
    let port = store
        .setting(SMTP_PORT)?
        .and_then(|text| text.trim().parse::<u16>().ok())
        .filter(|port| *port > 0)
        .unwrap_or_else(|| security.default_port());
    Ok(SmtpSettings {
        host: host.trim().to_owned(),
        port,
        security,
        user: store
            .setting(SMTP_USER)?
            .unwrap_or_default()
            .trim()
            .to_owned(),
    })
}

/// A draft built and ready to hand to the server (on any thread).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub message_id: i64,
    pub order_number: String,
    pub kind: Option<MessageKind>,
    pub recipient: String,
    pub email: BuiltEmail,
}

/// Builds a draft for sending: refused when it is not a draft, its address cannot be used or
/// the sender address is missing.
pub fn prepare(store: &Store, message_id: i64, clock: &Clock) -> Result<Outgoing, NotifyError> {
    let draft = message(store.connection(), message_id)?;
    prepare_message(store, &draft, *clock)
}

fn prepare_message(store: &Store, draft: &Message, clock: Clock) -> Result<Outgoing, NotifyError> {
    if draft.status != crate::store::messages::MessageStatus::Draft {
        let kind = draft
            .kind
            .map_or_else(|| draft.kind_id.clone(), |kind| kind.label().to_owned());
        return Err(NotifyError::Invalid(format!(
            "The {kind} of order {} is no longer a draft",
            draft.order_number
        )));
    }
    if let Some(problem) = recipient_problem(draft) {
        return Err(NotifyError::Invalid(problem));
    }
    let shop = shop_info(store.connection())?;
    let email = build_email(
        &EmlDraft {
            id: draft.message_id,
            order_number: &draft.order_number,
            recipient_name: &draft.recipient_name,
            recipient: &draft.recipient,
            subject: &draft.subject,
            body: &draft.body,
        },
        &shop,
        clock.now(),
    )?;
    Ok(Outgoing {
        message_id: draft.message_id,
        order_number: draft.order_number.clone(),
        kind: draft.kind,
        recipient: draft.recipient.clone(),
        email,
    })
}

/// Hands one message to the server (no shop access: runs on a worker thread too).
pub fn deliver(config: &SmtpConfig, outgoing: &Outgoing) -> Result<Accepted, String> {
    crate::io::smtp::send(config, &outgoing.email)
}

/// Records the server's answer: sent with its Message-ID, or still a draft with the error.
pub fn record_delivery(
    store: &Store,
    outgoing: &Outgoing,
    result: &Result<Accepted, String>,
    clock: &Clock,
) -> Result<(), NotifyError> {
    match result {
        Ok(_) => {
            mark_delivered(
                store.connection(),
                outgoing.message_id,
                &outgoing.email.message_id,
                &clock.now_text(),
            )?;
        }
        Err(error) => set_send_error(store.connection(), outgoing.message_id, error)?,
    }
    Ok(())
}

/// What happened to one message of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendResult {
    pub message_id: i64,
    pub order_number: String,
    pub kind: Option<MessageKind>,
    pub recipient: String,
    /// The server's reply when it accepted the message, or why it was not sent.
    pub outcome: Result<String, String>,
}

/// The drafts `notify send` (and "Send all") would send: every draft, or those of one kind.
pub fn drafts_to_send(
    store: &Store,
    kind: Option<MessageKind>,
) -> Result<Vec<Message>, NotifyError> {
    let mut drafts: Vec<Message> = outbox(store)?
        .into_iter()
        .filter(|draft| kind.is_none_or(|kind| draft.kind == Some(kind)))
        .collect();
    drafts.sort_by_key(|draft| draft.message_id);
    Ok(drafts)
}

/// Sends drafts one by one, recording each result as it comes (so an interruption loses
/// nothing); `each` hears about every message. Drafts that cannot be built are reported and
/// left as drafts.
pub fn send_all(
    store: &Store,
    drafts: &[Message],
    config: &SmtpConfig,
    clock: &Clock,
    mut each: impl FnMut(&SendResult),
) -> Result<Vec<SendResult>, NotifyError> {
    let mut results = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let result = match prepare_message(store, draft, *clock) {
            Ok(outgoing) => {
                let delivered = deliver(config, &outgoing);
                record_delivery(store, &outgoing, &delivered, clock)?;
                delivered.map(|accepted| accepted.reply)
            }
            Err(error) => Err(error.to_string()),
        };
        let result = SendResult {
            message_id: draft.message_id,
            order_number: draft.order_number.clone(),
            kind: draft.kind,
            recipient: draft.recipient.clone(),
            outcome: result,
        };
        each(&result);
        results.push(result);
    }
    Ok(results)
}

/// A test message to the shop's own sender address, to check the settings.
pub fn test_message(store: &Store, clock: &Clock) -> Result<BuiltEmail, NotifyError> {
    let shop = shop_info(store.connection())?;
    let sender = shop.sender.clone();
    Ok(build_email(
        &EmlDraft {
            id: 0,
            order_number: "TEST",
            recipient_name: &shop.name,
            recipient: &sender,
            subject: "Backorder Desk: test message",
            body: "This test message shows that Backorder Desk can send through your mail server.\n",
        },
        &shop,
        clock.now(),
    )?)
}
