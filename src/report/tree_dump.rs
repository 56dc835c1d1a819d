//! `ngxlint parse --format tree`: a readable dump of the syntax tree with byte spans.

use std::fmt::Write;

use crate::syntax::{Directive, Element, End, SyntaxFile, Token};

/// One line per token or directive, indented by nesting.
pub fn dump(file: &SyntaxFile, src: &[u8]) -> String {
    let mut out = String::new();
    items(&mut out, &file.items, src, 0);
    out
}

fn items(out: &mut String, items: &[Element], src: &[u8], depth: usize) {
    for e in items {
        match e {
            Element::Token(t) => token(out, t, src, depth),
            Element::Directive(d) => directive(out, d, src, depth),
        }
    }
}

fn directive(out: &mut String, d: &Directive, src: &[u8], depth: usize) {
    let _ = writeln!(
        out,
        "{:indent$}directive {:?} @{}..{}",
        "",
        String::from_utf8_lossy(&d.name(src)),
        d.span.start,
        d.span.end,
        indent = depth * 2
    );
    for t in &d.head {
        token(out, t, src, depth + 1);
    }
    match &d.end {
        End::Semicolon(t) => token(out, t, src, depth + 1),
        End::Block(b) => {
            token(out, &b.open, src, depth + 1);
            items(out, &b.items, src, depth + 2);
            match &b.close {
                Some(c) => token(out, c, src, depth + 1),
                None => {
                    let _ = writeln!(out, "{:indent$}(unclosed)", "", indent = (depth + 1) * 2);
                }
            }
        }
        End::Missing => {
            let _ = writeln!(
                out,
                "{:indent$}(unterminated)",
                "",
                indent = (depth + 1) * 2
            );
        }
    }
}

fn token(out: &mut String, t: &Token, src: &[u8], depth: usize) {
    let _ = writeln!(
        out,
        "{:indent$}{} @{}..{} {:?}",
        "",
        t.kind.name(),
        t.span.start,
        t.span.end,
        String::from_utf8_lossy(t.text(src)),
        indent = depth * 2
    );
}
