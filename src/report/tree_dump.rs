//! `ngxlint parse --format tree`: a readable dump of the syntax tree with byte spans.

use std::fmt::Write;

use crate::syntax::lexer::split_whitespace;
use crate::syntax::{Directive, Element, End, SyntaxFile, Token};

/// One line per token or directive, indented by nesting. Whitespace tokens (not stored in the
/// tree) are shown where the lexer put them: each gap is printed by the container of the token
/// after it (block items, or a directive's head for the gaps before its arguments and
/// terminator).
pub fn dump(file: &SyntaxFile, src: &[u8]) -> String {
    let mut d = Dump {
        out: String::new(),
        src,
        at: 0,
    };
    d.items(&file.items, 0);
    d.gap(src.len() as u32, 0);
    d.out
}

struct Dump<'s> {
    out: String,
    src: &'s [u8],
    /// Everything before this offset is printed.
    at: u32,
}

impl Dump<'_> {
    fn items(&mut self, items: &[Element], depth: usize) {
        for e in items {
            match e {
                Element::Token(t) => self.token(t, depth),
                Element::Directive(d) => self.directive(d, depth),
            }
        }
    }

    fn directive(&mut self, d: &Directive, depth: usize) {
        let span = d.span();
        self.gap(span.start, depth);
        let _ = writeln!(
            self.out,
            "{:indent$}directive {:?} @{}..{}",
            "",
            String::from_utf8_lossy(&d.name(self.src)),
            span.start,
            span.end,
            indent = depth * 2
        );
        for t in &d.head {
            self.token(t, depth + 1);
        }
        match d.end() {
            End::Semicolon(t) => self.token(&t, depth + 1),
            End::Block(b) => {
                self.token(&b.open(), depth + 1);
                self.items(&b.items, depth + 2);
                match &b.close() {
                    Some(c) => {
                        self.gap(c.span().start, depth + 2);
                        self.token(c, depth + 1);
                    }
                    None => {
                        self.gap(self.src.len() as u32, depth + 2);
                        let _ = writeln!(
                            self.out,
                            "{:indent$}(unclosed)",
                            "",
                            indent = (depth + 1) * 2
                        );
                    }
                }
            }
            End::Missing => {
                let _ = writeln!(
                    self.out,
                    "{:indent$}(unterminated)",
                    "",
                    indent = (depth + 1) * 2
                );
            }
        }
    }

    /// The whitespace tokens up to `to`, at `depth`.
    fn gap(&mut self, to: u32, depth: usize) {
        let mut ws = Vec::new();
        split_whitespace(self.src, self.at, to, |t| ws.push(t));
        for t in &ws {
            self.line(t, depth);
        }
        self.at = self.at.max(to);
    }

    fn token(&mut self, t: &Token, depth: usize) {
        self.gap(t.span().start, depth);
        self.line(t, depth);
        self.at = t.span().end;
    }

    fn line(&mut self, t: &Token, depth: usize) {
        let _ = writeln!(
            self.out,
            "{:indent$}{} @{}..{} {:?}",
            "",
            t.kind().name(),
            t.span().start,
            t.span().end,
            String::from_utf8_lossy(t.text(self.src)),
            indent = depth * 2
        );
    }
}
