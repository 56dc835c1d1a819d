//! Lint arbitrary bytes with every rule, render every report format, apply every fix (unsafe
//! ones too): never panic, the plain text report reads as miette's, a brief run (the concise
//! report's) prints the concise report of the full one, and a fixed text still prints back
//! from its own tree.
//!
//! Run: `cargo +nightly fuzz run check_fix` (from the repository root or `fuzz/`).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use ngxlint::lint::{Options, lint_source};
use ngxlint::report::{self, Summary};
use ngxlint::syntax::{parse, print};

fuzz_target!(|data: &[u8]| {
    // Includes resolve under a directory that does not exist: nothing is read from disk
    // except absolute paths, which are refused unless they are regular files.
    let path = Path::new("/nonexistent-ngxlint-fuzz/nginx.conf");
    let linted = lint_source(path, data.to_vec(), &Options::default(), &|_| true);
    let findings = linted.findings();
    // The plain text report is put together from pieces and ngxlint's own snippet layout:
    // it must read byte for byte as miette's report of the same findings.
    let text = report::text::render(&findings, false, 100);
    assert!(
        text == report::text::render_by_miette_alone(&findings, false, 100),
        "the text report differs from miette's"
    );
    let concise = report::concise::render(&findings);
    // A brief run builds no labels, help or fixes: what the concise report shows is the same.
    let brief_options = Options {
        brief: true,
        ..Options::default()
    };
    let brief = lint_source(path, data.to_vec(), &brief_options, &|_| true);
    assert!(
        report::concise::render(&brief.findings()) == concise,
        "a brief run reports otherwise"
    );
    let _ = report::json::render(&findings, Summary::of(&findings, 1));
    let _ = report::sarif::render(&findings);
    let patched = ngxlint::fix::apply::apply(&linted.program, &linted.diagnostics, true);
    for text in patched.texts.values() {
        let tree = parse(text);
        assert!(print(&tree, text) == *text, "print(parse(fixed)) != fixed");
    }
});
