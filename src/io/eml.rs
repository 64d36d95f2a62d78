//! Drafted messages as files a mail program opens: RFC 5322 `.eml` and `mailto:` links.

use std::time::SystemTime;

use chrono::{Local, NaiveDateTime, TimeZone};
use lettre::Message as Email;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, SinglePart};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use thiserror::Error;

use crate::domain::notify::ShopInfo;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EmlError {
    #[error("Set the shop's sender address in Settings before saving messages as .eml")]
    NoSender,
    #[error("The sender address '{0}' is not a valid e-mail address")]
    BadSender(String),
    #[error("Order {order}: the customer has no e-mail address")]
    NoRecipient { order: String },
    #[error("Order {order}: '{address}' is not a valid e-mail address")]
    BadRecipient { order: String, address: String },
    #[error("The message could not be built: {0}")]
    Build(String),
}

/// The parts of a drafted message that go into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmlDraft<'a> {
    /// Makes the Message-ID unique.
    pub id: i64,
    pub order_number: &'a str,
    pub recipient_name: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// A header value on one line: control characters (CR, LF, tab, …) become spaces, so no name or
/// subject can start a header of its own.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn mailbox(name: &str, address: &str) -> Option<Mailbox> {
    let address = address.trim().parse().ok()?;
    let name = one_line(name);
    Some(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// Builds the `.eml` bytes: From the shop, To the customer, Subject, Date (`now`, local time),
/// a Message-ID in the shop's domain, and the body as UTF-8 plain text in a transfer encoding
/// mail programs accept (quoted-printable or base64 when it is not plain ASCII).
pub fn eml_bytes(
    message: &EmlDraft<'_>,
    shop: &ShopInfo,
    now: NaiveDateTime,
) -> Result<Vec<u8>, EmlError> {
    let sender = shop.sender.trim();
    if sender.is_empty() {
        return Err(EmlError::NoSender);
    }
    let from = mailbox(&shop.name, sender).ok_or_else(|| EmlError::BadSender(sender.to_owned()))?;
    if message.recipient.trim().is_empty() {
        return Err(EmlError::NoRecipient {
            order: message.order_number.to_owned(),
        });
    }
    let to = mailbox(message.recipient_name, message.recipient).ok_or_else(|| {
        EmlError::BadRecipient {
            order: message.order_number.to_owned(),
            address: message.recipient.trim().to_owned(),
        }
    })?;
    let date: SystemTime = Local
        .from_local_datetime(&now)
        .earliest()
        .map_or_else(SystemTime::now, SystemTime::from);
    let domain = from.email.domain().to_owned();
    let message_id = format!(
        "<backorder-desk.{}.{}@{domain}>",
        message.id,
        now.format("%Y%m%d%H%M%S")
    );
    let body = normalise_newlines(message.body);
    let email = Email::builder()
        .from(from)
        .to(to)
        .subject(one_line(message.subject))
        .date(date)
        .message_id(Some(message_id))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )
        .map_err(|error| EmlError::Build(error.to_string()))?;
    Ok(email.formatted())
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Characters kept as they are in a `mailto:` query value (RFC 3986 unreserved).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// The address part may keep `@` as well.
const ADDRESS: &AsciiSet = &QUERY.remove(b'@');

/// A `mailto:` link (RFC 6068) with subject and body percent-encoded as UTF-8; line breaks are
/// written as CRLF (`%0D%0A`), as the RFC asks.
pub fn mailto_url(to: &str, subject: &str, body: &str) -> String {
    let body = normalise_newlines(body).replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(to.trim(), ADDRESS),
        utf8_percent_encode(subject.trim(), QUERY),
        utf8_percent_encode(&body, QUERY)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> ShopInfo {
        ShopInfo {
            name: "Shop\r\nBcc: evil@example.com".into(),
            signature: String::new(),
            sender: "shop@example.com".into(),
        }
    }

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|day| day.and_hms_opt(12, 0, 0))
            .expect("date")
    }

    #[test]
    fn line_breaks_in_names_and_subjects_never_become_headers() {
        let draft = EmlDraft {
            id: 1,
            order_number: "SO-1",
            recipient_name: "Mallory\r\nBcc: victim@example.com",
            recipient: "mallory@example.com",
            subject: "Hi\r\nBcc: victim@example.com",
            body: "Body\r\n.\r\nBcc: not a header\n",
        };
        let bytes = eml_bytes(&draft, &shop(), at()).expect("eml");
        let parsed = mail_parser::MessageParser::default()
            .parse(&bytes)
            .expect("parses");
        assert!(
            parsed.bcc().is_none(),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        let text = String::from_utf8_lossy(&bytes);
        let headers = text.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            !headers.lines().any(|line| line.starts_with("Bcc:")),
            "{text}"
        );
        assert_eq!(parsed.subject(), Some("Hi Bcc: victim@example.com"));
    }

    #[test]
    fn an_address_with_a_line_break_is_refused() {
        let draft = EmlDraft {
            id: 1,
            order_number: "SO-1",
            recipient_name: "Mallory",
            recipient: "mallory@example.com\r\nBcc: victim@example.com",
            subject: "Hi",
            body: "Body",
        };
        assert!(matches!(
            eml_bytes(&draft, &shop(), at()),
            Err(EmlError::BadRecipient { .. })
        ));
        let url = mailto_url(draft.recipient, "a\r\nb", "c");
        assert!(!url.contains('\r') && !url.contains('\n'), "{url}");
    }

    #[test]
    fn mailto_encodes_everything_but_unreserved() {
        let url = mailto_url("zoë@example.com", "Order SO-1 & more", "Hi Zoë,\nline 2");
        assert_eq!(
            url,
            "mailto:zo%C3%AB@example.com?subject=Order%20SO-1%20%26%20more\
             &body=Hi%20Zo%C3%AB%2C%0D%0Aline%202"
        );
    }
}
