//! CSV cells that a spreadsheet would run as a formula (CSV injection).
//!
//! Excel, `LibreOffice` and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` as a
//! formula (`=HYPERLINK(…)`, `-2+3`, `@SUM(…)`), and some strip a leading tab or carriage return
//! first. A customer's name or a product title could start that way, so every CSV file the app
//! writes passes each cell through [`guard`]: such text gets a leading `'`, which spreadsheets
//! show as text and do not run. A plain number (`-5`, `-12.50`) is not a formula and is written
//! as it is, so negative quantities and amounts stay numbers — and so does a text cell that is
//! exactly such a number (a SKU `-5` reads as the number −5 in a spreadsheet, as `0017` reads
//! as 17). Importing the own formats undoes the guard with [`unguard`], so export → import →
//! export gives the same bytes.

use std::borrow::Cow;

/// First characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `-` followed by digits, with at most one `.` and digits after it.
fn is_plain_negative_number(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// True when the cell, after any leading `'`, starts with a formula character.
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as it is written to a CSV file: a leading `'` before text a spreadsheet would run
/// as a formula (and before text that already starts with `'` and such a character, so
/// [`unguard`] gives back exactly the original).
pub fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) && !is_plain_negative_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`guard`]: one leading `'` goes when what follows is `'`s and a formula character.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// [`unguard`] for text that may be borrowed or owned.
pub(crate) fn unguard_cow(cell: Cow<'_, str>) -> Cow<'_, str> {
    match cell {
        Cow::Borrowed(text) => Cow::Borrowed(unguard(text)),
        Cow::Owned(text) => {
            let kept = unguard(&text);
            if kept.len() == text.len() {
                Cow::Owned(text)
            } else {
                Cow::Owned(kept.to_owned())
            }
        }
    }
}

/// Writes one record with every cell through [`guard`].
pub fn write_guarded<W, I, S>(csv: &mut csv::Writer<W>, cells: I) -> csv::Result<()>
where
    W: std::io::Write,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for cell in cells {
        csv.write_field(guard(cell.as_ref()).as_bytes())?;
    }
    csv.write_record(None::<&[u8]>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_numbers_do_not() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("-5", "-5"),
            ("-12.50", "-12.50"),
            ("-", "'-"),
            ("-1e5", "'-1e5"),
            ("-.5", "'-.5"),
            ("12", "12"),
            ("Mug", "Mug"),
            ("'quoted'", "'quoted'"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), written, "{cell:?}");
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
        }
        // A guard typed by hand in a spreadsheet is read as the guard.
        assert_eq!(unguard("'=1"), "=1");
        assert_eq!(unguard("'-5"), "-5");
        assert_eq!(unguard("'plain"), "'plain");
    }

    proptest::proptest! {
        #[test]
        fn unguard_undoes_guard(cell in "['=+\\-@\t\r0-9a-z.]{0,12}") {
            let written = guard(&cell);
            proptest::prop_assert_eq!(unguard(&written), cell.as_str());
            let safe = !written.starts_with(TRIGGERS) || is_plain_negative_number(&written);
            proptest::prop_assert!(safe, "{:?} was written as {:?}", cell, written);
        }
    }
}
