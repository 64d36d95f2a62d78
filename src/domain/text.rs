//! Small text helpers shared by the screens, the command line and the files.

/// True when `text` holds a control character (CR, LF, tab, NUL, …).
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Lower-cases `text` for case-insensitive search.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}
