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

/// Edit distance (insertions, deletions, substitutions) between two texts, ignoring case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = fold(a).chars().collect();
    let b: Vec<char> = fold(b).chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate `typed` most likely meant (a typo: at most 2 edits, or one starts with the
/// other), for "did you mean".
pub fn closest<'a>(typed: &str, candidates: &'a [String]) -> Option<&'a str> {
    let typed = typed.trim();
    candidates
        .iter()
        .map(|candidate| (distance(typed, candidate), candidate))
        .filter(|(edits, candidate)| {
            *edits <= 2
                || fold(candidate).starts_with(&fold(typed))
                || fold(typed).starts_with(&fold(candidate))
        })
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, candidate)| candidate.as_str())
}

/// Every candidate `typed` may have meant, closest first: the same name in other letter case,
/// a typo (at most 2 edits) or a name one starts with the other, all ignoring case.
pub fn close_matches<'a>(typed: &str, candidates: &'a [String]) -> Vec<&'a str> {
    let typed = typed.trim();
    let mut matches: Vec<(usize, &str)> = candidates
        .iter()
        .map(|candidate| (distance(typed, candidate), candidate.as_str()))
        .filter(|(edits, candidate)| {
            *edits <= 2
                || fold(candidate).starts_with(&fold(typed))
                || fold(typed).starts_with(&fold(candidate))
        })
        .collect();
    matches.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    matches
        .into_iter()
        .map(|(_, candidate)| candidate)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_a_typo() {
        let names = vec!["Acme".to_owned(), "Kestrel Supply".to_owned()];
        assert_eq!(closest("Acne", &names), Some("Acme"));
        assert_eq!(closest("kestrel", &names), Some("Kestrel Supply"));
        assert_eq!(closest("Zenith", &names), None);
    }

    #[test]
    fn close_matches_ignore_case_closest_first() {
        let names = vec![
            "Acme".to_owned(),
            "ACME Tools".to_owned(),
            "Acne".to_owned(),
            "Kestrel Supply".to_owned(),
        ];
        // "acme" is "Acme" in other case (0 edits), "Acne" one edit away, "ACME Tools" starts
        // with it.
        assert_eq!(
            close_matches("acme", &names),
            vec!["Acme", "Acne", "ACME Tools"]
        );
        assert_eq!(close_matches("kestrel", &names), vec!["Kestrel Supply"]);
        assert!(close_matches("Zenith", &names).is_empty());
    }

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
