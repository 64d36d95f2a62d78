//! Golden files: every default template rendered on the fixed sample order. Run with
//! `BLESS=1 cargo test --test notify_templates` to rewrite them after an intended change.

use std::path::PathBuf;

use backorder_desk::domain::notify::{MessageKind, render, sample_context};

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
