//! Small text helpers shared by the screens, the command line and the files.

use std::borrow::Cow;

/// True when `text` holds a control character (CR, LF, tab, NUL, …).
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Lower-cases `text` for case-insensitive search.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// `text` cut to at most `max_chars` characters, with `…` at the end when something was cut
/// (for showing a value from a file that may be huge).
pub fn shorten(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let cut = text[..end]
                .char_indices()
                .last()
                .map_or(0, |(last, _)| last);
            Cow::Owned(format!("{}…", &text[..cut]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_text_and_cuts_long_text() {
        assert_eq!(shorten("mug", 3), "mug");
        assert_eq!(shorten("mugs", 3), "mu…");
        assert_eq!(shorten("zoë müller", 4), "zoë…");
        assert_eq!(shorten("", 0), "");
        assert_eq!(
            shorten("x".repeat(10_000).as_str(), 200).chars().count(),
            200
        );
    }
}
