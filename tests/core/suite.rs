//! The test suite's own layout: every integration test is a module of one of the binaries in
//! `tests/` (each binary is built and linked on its own, so a new file at the top of `tests/`
//! would cost a whole binary; see docs/architecture.md#tests-and-ci), and every module file of a
//! binary is declared in its `main.rs` (one that is not would never be compiled or run).

use std::path::PathBuf;

#[test]
fn integration_tests_are_modules_of_the_four_binaries() {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut binaries: Vec<String> = std::fs::read_dir(&tests)
        .expect("tests folder")
        .filter_map(|entry| {
            let path = entry.expect("entry").path();
            let name = path.file_name()?.to_str()?.to_owned();
            let is_binary = if path.is_dir() {
                path.join("main.rs").is_file()
            } else {
                path.extension().is_some_and(|extension| extension == "rs")
            };
            is_binary.then_some(name)
        })
        .collect();
    binaries.sort();
    assert_eq!(
        binaries,
        ["cli", "core", "crash.rs", "ui"],
        "a new test file belongs in tests/cli, tests/core or tests/ui as a module (`mod name;` \
         in its main.rs), not at the top of tests/"
    );
    for binary in ["cli", "core", "ui"] {
        let folder = tests.join(binary);
        let main = std::fs::read_to_string(folder.join("main.rs")).expect("main.rs");
        let mut declared: Vec<String> = main
            .lines()
            .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
            // The shared helpers, included from tests/common.
            .filter(|module| *module != "common")
            .map(str::to_owned)
            .collect();
        declared.sort();
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .expect("binary folder")
            .filter_map(|entry| {
                let name = entry.expect("entry").file_name().into_string().ok()?;
                let module = name.strip_suffix(".rs")?;
                (module != "main").then(|| module.to_owned())
            })
            .collect();
        files.sort();
        assert_eq!(
            files, declared,
            "tests/{binary}: each file is a module declared in main.rs (`mod name;`)"
        );
    }
}
