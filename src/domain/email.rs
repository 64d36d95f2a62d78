//! Whether a customer's e-mail address can go into a message header.
//!
//! A deliberately plain rule (what shops' customers write, not every corner of RFC 5322):
//! `local@domain`, one `@`, no spaces or control characters, a local part of letters, digits and
//! ``!#$%&'*+-/=?^_`{|}~.`` (no leading, trailing or double dot), a domain of at least two
//! labels of letters, digits and `-`. Non-ASCII letters are allowed on both sides (RFC 6531).
//! An address that fails never reaches an `.eml` header or a `mailto:` link.

/// Why an address is not usable, in words that follow "is not a valid e-mail address: ".
pub fn address_problem(address: &str) -> Option<&'static str> {
    if address.chars().any(char::is_control) {
        return Some("it contains a line break or another control character");
    }
    if address.chars().any(char::is_whitespace) {
        return Some("it contains a space");
    }
    if address.len() > 254 {
        return Some("it is longer than 254 characters");
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Some("it has no @");
    };
    if domain.contains('@') {
        return Some("it has more than one @");
    }
    if local.is_empty() {
        return Some("nothing comes before the @");
    }
    if local.len() > 64 {
        return Some("the part before the @ is longer than 64 characters");
    }
    let local_char = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    if !local.chars().all(local_char) {
        return Some("the part before the @ holds a character addresses cannot have");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("the part before the @ has a misplaced dot");
    }
    if domain.is_empty() {
        return Some("nothing comes after the @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the part after the @ has no dot (like example.com)");
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return Some("the part after the @ is not a domain name");
    }
    None
}

/// True when [`address_problem`] finds nothing.
pub fn is_valid_address(address: &str) -> bool {
    address_problem(address).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_pass() {
        for address in [
            "ann@example.com",
            "a.b+shop@mail.example.co.uk",
            "o'brien@example.ie",
            "zoë@müller.de",
            "x_y-z@sub-domain.example",
        ] {
            assert_eq!(address_problem(address), None, "{address}");
        }
    }

    #[test]
    fn broken_and_hostile_addresses_fail() {
        for (address, problem) in [
            (
                "ann@example.com\r\nBcc: x@evil.example",
                "it contains a line break or another control character",
            ),
            (
                "ann@example.com\n",
                "it contains a line break or another control character",
            ),
            ("ann @example.com", "it contains a space"),
            ("ann.example.com", "it has no @"),
            ("a@b@example.com", "it has more than one @"),
            ("@example.com", "nothing comes before the @"),
            ("ann@", "nothing comes after the @"),
            (
                "ann@localhost",
                "the part after the @ has no dot (like example.com)",
            ),
            (
                "ann@exa_mple.com",
                "the part after the @ is not a domain name",
            ),
            (
                "ann@-example.com",
                "the part after the @ is not a domain name",
            ),
            (
                "ann@example..com",
                "the part after the @ is not a domain name",
            ),
            (
                "<ann@example.com>",
                "the part before the @ holds a character addresses cannot have",
            ),
            (
                "ann,bo@example.com",
                "the part before the @ holds a character addresses cannot have",
            ),
            ("ann@example.com?cc=x@y.z", "it has more than one @"),
            (
                ".ann@example.com",
                "the part before the @ has a misplaced dot",
            ),
            (
                "an..n@example.com",
                "the part before the @ has a misplaced dot",
            ),
        ] {
            assert_eq!(address_problem(address), Some(problem), "{address:?}");
        }
        assert!(!is_valid_address(&format!(
            "{}@example.com",
            "a".repeat(65)
        )));
    }
}
