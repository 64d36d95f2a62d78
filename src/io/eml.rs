//! Drafted messages as files a mail program opens: RFC 5322 `.eml` and `mailto:` links.

use std::time::SystemTime;

use chrono::{Local, NaiveDateTime, TimeZone};
use lettre::Message as Email;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use thiserror::Error;

use crate::domain::email::address_problem;
use crate::domain::notify::ShopInfo;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EmlError {
    #[error("Set the shop's sender address in Settings before saving messages as .eml")]
    NoSender,
    #[error("The sender address '{0}' is not a valid e-mail address")]
    BadSender(String),
    #[error("Order {order}: the customer has no e-mail address")]
    NoRecipient { order: String },
    #[error(
        "Order {order}: '{}' is not a valid e-mail address ({reason}); correct the address in the draft's To field",
        address.escape_debug()
    )]
    BadRecipient {
        order: String,
        address: String,
        reason: &'static str,
    },
    #[error("The message could not be built: {0}")]
    Build(String),
}

/// The header that carries the draft's order number in every `.eml`.
pub const ORDER_NUMBER_HEADER: &str = "X-Order-Number";

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

/// An address as it can go into a header: the domain as ASCII (an internationalised domain such
/// as `bücher.example` becomes its punycode form `xn--bcher-kva.example`, which every mail
/// system reads); the part before the `@` is kept as written (a non-ASCII one is sent as UTF-8,
/// RFC 6532 — there is no ASCII form of it).
fn header_address(address: &str) -> Option<lettre::Address> {
    let (local, domain) = address.trim().rsplit_once('@')?;
    let domain = idna::domain_to_ascii(domain).ok()?;
    lettre::Address::new(local, domain).ok()
}

fn mailbox(name: &str, address: &str) -> Option<Mailbox> {
    let address = header_address(address)?;
    let name = one_line(name);
    Some(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// The draft's recipient address, checked: an address with a line break, a space or anything
/// else an address cannot have never reaches a header or a link.
fn recipient<'a>(message: &EmlDraft<'a>) -> Result<&'a str, EmlError> {
    let address = message.recipient.trim();
    if address.is_empty() {
        return Err(EmlError::NoRecipient {
            order: message.order_number.to_owned(),
        });
    }
    match address_problem(address) {
        None => Ok(address),
        Some(reason) => Err(EmlError::BadRecipient {
            order: message.order_number.to_owned(),
            address: address.to_owned(),
            reason,
        }),
    }
}

/// Builds the `.eml` bytes: From the shop, To the customer, Subject, Date (`now`, local time),
/// a Message-ID in the shop's domain, and the body as UTF-8 plain text in a transfer encoding
/// mail programs accept (quoted-printable or base64 when it is not plain ASCII).
pub fn eml_bytes(
    message: &EmlDraft<'_>,
    shop: &ShopInfo,
    now: NaiveDateTime,
) -> Result<Vec<u8>, EmlError> {
    Ok(build_email(message, shop, now)?.email.formatted())
}

/// A message ready to hand to a mail server, with the Message-ID it carries.
#[derive(Debug, Clone)]
pub struct BuiltEmail {
    pub email: Email,
    /// The Message-ID header's value, e.g. `<backorder-desk.7.20260301120000@example.com>`.
    pub message_id: String,
}

/// Builds the message as [`eml_bytes`] writes it.
pub fn build_email(
    message: &EmlDraft<'_>,
    shop: &ShopInfo,
    now: NaiveDateTime,
) -> Result<BuiltEmail, EmlError> {
    let sender = shop.sender.trim();
    if sender.is_empty() {
        return Err(EmlError::NoSender);
    }
    let from = mailbox(&shop.name, sender).ok_or_else(|| EmlError::BadSender(sender.to_owned()))?;
    let address = recipient(message)?;
    let to = mailbox(message.recipient_name, address).ok_or_else(|| EmlError::BadRecipient {
        order: message.order_number.to_owned(),
        address: address.to_owned(),
        reason: "the mail library does not accept it",
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
    // The order number travels in the file itself, not only in its name.
    let order_number = HeaderValue::new(
        HeaderName::new_from_ascii_str(ORDER_NUMBER_HEADER),
        one_line(message.order_number),
    );
    let email = Email::builder()
        .from(from)
        .to(to)
        .subject(one_line(message.subject))
        .raw_header(order_number)
        .date(date)
        .message_id(Some(message_id.clone()))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )
        .map_err(|error| EmlError::Build(error.to_string()))?;
    Ok(BuiltEmail { email, message_id })
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

/// A `mailto:` link (RFC 6068) to the draft's recipient with subject and body percent-encoded as
/// UTF-8 (`&`, `?`, `%`, `#` and every other reserved character included, so nothing in the text
/// can add a header such as `cc` or `bcc`); line breaks in the body are written as CRLF
/// (`%0D%0A`), as the RFC asks, and the subject is one line. The address is checked first.
pub fn mailto_url(message: &EmlDraft<'_>) -> Result<String, EmlError> {
    let to = recipient(message)?;
    let body = normalise_newlines(message.body).replace('\n', "\r\n");
    Ok(format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(to, ADDRESS),
        utf8_percent_encode(&one_line(message.subject), QUERY),
        utf8_percent_encode(&body, QUERY)
    ))
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
        let error = mailto_url(&draft).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "Order SO-1: 'mallory@example.com\\r\\nBcc: victim@example.com' is not a valid \
             e-mail address (it contains a line break or another control character); correct \
             the address in the draft's To field"
        );
        for bad in [
            "not-an-address",
            "a@b@example.com",
            "ann@example.com?bcc=x@y.z",
            "<a@b.com>",
        ] {
            let draft = EmlDraft {
                recipient: bad,
                ..draft
            };
            assert!(mailto_url(&draft).is_err(), "{bad}");
            assert!(eml_bytes(&draft, &shop(), at()).is_err(), "{bad}");
        }
    }

    #[test]
    fn mailto_encodes_everything_but_unreserved() {
        let draft = EmlDraft {
            id: 1,
            order_number: "SO-1",
            recipient_name: "Zoë",
            recipient: "zoë@example.com",
            subject: "Order SO-1 & more?\r\nbcc: x@evil.example",
            body: "Hi Zoë,\nline 2 &bcc=x@evil.example 100% #1",
        };
        let url = mailto_url(&draft).expect("url");
        assert_eq!(
            url,
            "mailto:zo%C3%AB@example.com?subject=Order%20SO-1%20%26%20more%3F%20bcc%3A%20x%40evil.example\
             &body=Hi%20Zo%C3%AB%2C%0D%0Aline%202%20%26bcc%3Dx%40evil.example%20100%25%20%231"
        );
        // The only `?` and `&` are the link's own.
        assert_eq!(url.matches('?').count(), 1);
        assert_eq!(url.matches('&').count(), 1);
    }
}
