//! Golden files: every default template rendered on the fixed sample order. Run with
//! `BLESS=1 cargo test --test core notify_templates` to rewrite them after an intended change.

use std::path::PathBuf;

use backorder_desk::domain::notify::{
    MAX_TEMPLATE_BYTES, MessageContext, MessageKind, render, sample_context,
};
use proptest::prelude::*;

fn golden_path(kind: MessageKind) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/notify")
        .join(format!("{}.txt", kind.id()))
}

#[test]
fn default_templates_match_the_golden_files() {
    let bless = std::env::var_os("BLESS").is_some();
    for kind in MessageKind::ALL {
        let rendered = render(kind.default_template(), &sample_context(kind)).expect("renders");
        let text = format!("Subject: {}\n\n{}", rendered.subject, rendered.body);
        let path = golden_path(kind);
        if bless {
            std::fs::write(&path, &text).expect("write golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&path).expect("golden file exists");
        assert_eq!(
            text,
            expected,
            "{} differs from {}",
            kind.id(),
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile templates and data

fn context() -> MessageContext {
    sample_context(MessageKind::Confirmation)
}

#[test]
fn a_template_cannot_run_for_ever_or_fill_the_memory() {
    let started = std::time::Instant::now();
    let endless = "Subject: x\n{% for a in range(100000) %}{% for b in range(100000) %}{% set c = a * b %}{% endfor %}{% endfor %}";
    let error = render(endless, &context()).expect_err("stopped");
    assert!(error.message.contains("does too much work"), "{error}");
    let huge = "Subject: x\n{% for a in range(1000) %}{{ 'x' * 10000 }}{% endfor %}";
    let error = render(huge, &context()).expect_err("stopped");
    assert_eq!(error.message, "the message would be longer than 1 MB");
    let long = format!("Subject: x\n{}", "a".repeat(MAX_TEMPLATE_BYTES));
    let error = render(&long, &context()).expect_err("refused");
    assert_eq!(error.message, "the template is longer than 64 KB");
    let deep = format!(
        "Subject: x\n{}{}",
        "{% if true %}".repeat(600),
        "{% endif %}".repeat(600)
    );
    assert!(render(&deep, &context()).is_err());
    let recursive = "Subject: x\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
    assert!(render(recursive, &context()).is_err());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// Template text from the corpus of found cases: every file renders to a value (or an error),
/// never a panic.
#[test]
fn template_corpus_renders_or_errs() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus/templates");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let path = entry.expect("entry").path();
        let source = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
        let _ = render(&source, &context());
        for kind in MessageKind::ALL {
            let mut data = sample_context(kind);
            data.customer.name.clone_from(&source);
            if let Some(line) = data.lines.first_mut() {
                line.name.clone_from(&source);
            }
            let rendered = render(kind.default_template(), &data).expect("default renders");
            assert!(
                rendered
                    .body
                    .contains(source.lines().next().unwrap_or("").trim())
            );
        }
        seen += 1;
    }
    assert!(seen >= 5, "{seen} corpus files");
}

/// Pieces of template syntax the random templates are made of.
const TEMPLATE_WORDS: [&str; 40] = [
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "{# ",
    " #}",
    "for ",
    "x ",
    "in ",
    "range(",
    "999",
    "99999",
    ")",
    "lines",
    "line",
    ".name",
    "|join(', ')",
    "|upper",
    "|length",
    "|reverse",
    "if ",
    "else",
    "endif",
    "endfor",
    "set ",
    "= ",
    "~ ",
    "* ",
    "macro f(n)",
    "endmacro",
    "f(x)",
    "customer.name",
    "\n",
    "raw",
    "endraw",
    "loop.index",
    "'ab'",
    "1000000",
    "order.number",
    "shop.signature",
];

/// Cases per random test: 300, or `BD_FUZZ_CASES` for a longer soak.
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("BD_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases(300)))]

    /// Random template text never panics: it renders or says what is wrong.
    #[test]
    fn random_templates_never_panic(
        source in "(Subject: [a-z ]{0,10}\n)?[a-z {}%#()\\[\\]|.,'\"~*+\\-=<>!0-9\n]{0,200}",
    ) {
        let _ = render(&source, &context());
    }

    /// Templates put together from template words (loops, filters, macros, placeholders):
    /// deeper into the engine than random text gets, still a value or an error.
    #[test]
    fn random_template_words_never_panic(
        words in prop::collection::vec(prop::sample::select(&TEMPLATE_WORDS[..]), 0..48),
    ) {
        let source = format!("Subject: {}", words.concat());
        let _ = render(&source, &context());
    }

    /// Random bytes as a template never panic either.
    #[test]
    fn random_bytes_as_templates_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let source = String::from_utf8_lossy(&bytes);
        let _ = render(&source, &context());
    }

    /// Data is text: whatever a name holds, it prints exactly as written.
    #[test]
    fn data_prints_as_written(name in "[^\r\n]{1,60}") {
        let name = name.trim().to_owned();
        prop_assume!(!name.is_empty());
        let mut data = context();
        data.customer.name.clone_from(&name);
        let rendered = render("Subject: Hi {{ customer.name }}\n{{ customer.name }}", &data)
            .expect("renders");
        prop_assert_eq!(rendered.body, format!("{name}\n"));
        let subject = format!("Hi {name}");
        prop_assert_eq!(rendered.subject, subject.trim());
    }
}
