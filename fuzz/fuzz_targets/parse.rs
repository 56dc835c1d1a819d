//! Parse arbitrary bytes: never panic, never lose a byte.
//!
//! - `print(parse(x)) == x` (the tree owns every byte);
//! - the tree's tokens tile the input: no gap, no overlap, no empty token;
//! - the grammar layer copes with whatever tree error recovery produced;
//! - lexing on a thread of its own (what `parse` does for files of 256 KiB and up) builds the
//!   same tree and errors, at a batch size that varies with the input.
//!
//! Run: `cargo +nightly fuzz run parse` (from the repository root or `fuzz/`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use ngxlint::semantics::grammar::all_syntax_errors;
use ngxlint::semantics::{Context, SourceFile};
use ngxlint::syntax::parser::parse_lexing_apart;
use ngxlint::syntax::{parse, print};

fuzz_target!(|data: &[u8]| {
    let tree = parse(data);
    assert!(print(&tree, data) == data, "print(parse(x)) != x");

    let mut at = 0u32;
    for t in tree.tokens(data) {
        assert_eq!(t.span().start, at, "gap or overlap at byte {at}");
        assert!(t.span().end > t.span().start, "empty token at byte {at}");
        at = t.span().end;
    }
    assert_eq!(at as usize, data.len(), "tokens end before the input");

    for e in &tree.errors {
        assert!(e.span.start <= e.span.end && e.span.end as usize <= data.len());
    }

    let batch = 1 + data.len() % 13;
    assert_eq!(
        format!("{:?}", parse_lexing_apart(data, batch)),
        format!("{tree:?}"),
        "lexing on its own thread (batches of {batch}) changed the tree"
    );

    let file = SourceFile::new("fuzz.conf".into(), data.to_vec());
    for root in [Context::Main, Context::Http, Context::HttpLocation] {
        for e in all_syntax_errors(&file, root) {
            assert!(e.span.end as usize <= data.len());
            let _ = e.kind.message();
        }
    }
});
