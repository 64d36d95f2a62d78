//! Handing a message to the shop's SMTP server (lettre over rustls; no system OpenSSL).

use std::time::Duration;

use lettre::Transport;
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;

use super::eml::BuiltEmail;

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS before logging in (port 587). Refused when the
    /// server does not offer it.
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a mail relay on this computer.
    None,
}

impl Security {
    pub const ALL: [Self; 3] = [Self::StartTls, Self::Tls, Self::None];

    pub fn code(self) -> &'static str {
        match self {
            Self::StartTls => "starttls",
            Self::Tls => "tls",
            Self::None => "none",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|security| security.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::StartTls => "STARTTLS (port 587)",
            Self::Tls => "TLS (port 465)",
            Self::None => "None (a relay on this computer only)",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Self::StartTls => 587,
            Self::Tls => 465,
            Self::None => 25,
        }
    }
}

/// Where and how to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty: no login.
    pub user: String,
    pub password: String,
    pub timeout: Duration,
}

/// The server accepted the message: its reply (e.g. `250 2.0.0 Ok: queued as 4F2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub reply: String,
}

fn transport(config: &SmtpConfig) -> Result<SmtpTransport, String> {
    let host = config.host.trim();
    let builder = match config.security {
        Security::StartTls => SmtpTransport::starttls_relay(host),
        Security::Tls => SmtpTransport::relay(host),
        Security::None => Ok(SmtpTransport::builder_dangerous(host)),
    }
    .map_err(|error| format!("{host}: {error}"))?;
    let mut builder = builder.port(config.port).timeout(Some(config.timeout));
    if !config.user.trim().is_empty() {
        builder = builder.credentials(Credentials::new(
            config.user.trim().to_owned(),
            config.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// Sends one message and waits for the server's answer. `Err` holds what went wrong in words,
/// with the server's own answer when it gave one (e.g. a refused recipient).
pub fn send(config: &SmtpConfig, email: &BuiltEmail) -> Result<Accepted, String> {
    let transport = transport(config)?;
    match transport.send(&email.email) {
        Ok(response) => {
            let text: Vec<&str> = response.message().collect();
            Ok(Accepted {
                reply: format!("{} {}", response.code(), text.join(" "))
                    .trim()
                    .to_owned(),
            })
        }
        Err(error) => Err(describe(config, &error)),
    }
}

fn describe(config: &SmtpConfig, error: &lettre::transport::smtp::Error) -> String {
    let server = format!("{}:{}", config.host.trim(), config.port);
    if let Some(code) = error.status() {
        let kind = if error.is_permanent() {
            "refused"
        } else {
            "turned down for now"
        };
        return format!("{server} {kind} it: {code} {}", server_text(error));
    }
    if error.is_timeout() {
        return format!("{server} did not answer in time; check the host and port");
    }
    format!("Cannot send through {server}: {error}")
}

/// The server's own words from lettre's error text ("permanent error (550): No such user").
fn server_text(error: &lettre::transport::smtp::Error) -> String {
    let text = error.to_string();
    match text.split_once("): ") {
        Some((_, rest)) => rest.trim().to_owned(),
        None => text,
    }
}
