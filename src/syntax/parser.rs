//! Tokens to tree: statements and blocks, as `ngx_conf_parse` groups them.
//!
//! The lexer already enforces the token-level rules (it reports `unexpected ";"` and friends);
//! the parser adds what `ngx_conf_parse` checks on top: a `}` with no open block, and a block
//! still open at end of file. It recovers from every error, so the tree always covers the
//! whole input.

use super::lexer::{Lexed, SyntaxError, SyntaxErrorKind, Token, TokenKind, lex_significant};
use super::span::Span;
use super::tree::{Block, Directive, Element, End, SyntaxFile};

/// Deepest block nesting the tree represents; deeper blocks are kept as flat tokens.
pub const MAX_DEPTH: usize = 200;

/// Parse one file. Never panics; never loses a byte.
pub fn parse(src: &[u8]) -> SyntaxFile {
    // The tree stores no whitespace: read only the tokens it keeps.
    let Lexed { tokens, mut errors } = lex_significant(src);
    let eof_reported = errors.iter().any(|e| {
        matches!(
            e.kind,
            SyntaxErrorKind::EofExpectingSemicolonOrBrace
                | SyntaxErrorKind::LuaEof
                | SyntaxErrorKind::LuaLongBracket(_)
        )
    });
    // Spans the lexer reported, sorted: a file-level `}` it already reported is not reported
    // again (a binary search, so that a file of stray braces is not quadratic).
    let mut lexer_spans: Vec<Span> = errors.iter().map(|e| e.span).collect();
    lexer_spans.sort_unstable();
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        errors: &mut errors,
        lexer_spans,
        eof_reported,
        len: src.len() as u32,
        depth: 0,
        scratch: Vec::new(),
    };
    let items = p.items(None);
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    let errors = collapse_runs(src, errors);
    SyntaxFile { items, errors }
}

/// One error per run: consecutive errors of the same kind (or stray `;{}` tokens) on one line,
/// separated by nothing but blanks (a line of stray `}`, the 4 KB pieces of one over-long word),
/// become one error spanning the run. nginx stops at the first anyway; one each made a file of `}` report (and render) a
/// diagnostic per byte.
fn collapse_runs(src: &[u8], errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    let same_run = |a: &SyntaxErrorKind, b: &SyntaxErrorKind| match (a, b) {
        (SyntaxErrorKind::TooLongParameter(_), SyntaxErrorKind::TooLongParameter(_)) => true,
        // Stray `;`, `{`, `}` in any mix (`};};`): one run, named by its first token.
        (SyntaxErrorKind::Unexpected(x), SyntaxErrorKind::Unexpected(y)) => {
            x == y || (b";{}".contains(x) && b";{}".contains(y))
        }
        (SyntaxErrorKind::TooLongQuoted(x), SyntaxErrorKind::TooLongQuoted(y)) => x == y,
        _ => false,
    };
    let mut out: Vec<SyntaxError> = Vec::with_capacity(errors.len());
    for e in errors {
        if let Some(last) = out.last_mut()
            && same_run(&last.kind, &e.kind)
            && last.span.end <= e.span.start
            && src[last.span.end as usize..e.span.start as usize]
                .iter()
                .all(|&b| b == b' ' || b == b'\t')
        {
            last.span.end = e.span.end;
            continue;
        }
        out.push(e);
    }
    out
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    errors: &'t mut Vec<SyntaxError>,
    lexer_spans: Vec<Span>,
    eof_reported: bool,
    len: u32,
    depth: usize,
    /// A stack of the elements of every block being parsed: a block's elements are pushed
    /// here and moved out once, into an exactly sized vector, when the block ends (growing
    /// one vector per block by doubling costs more).
    scratch: Vec<Element>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    /// Elements until the `}` closing `open` (consumed and returned through `close`), or EOF.
    fn items(&mut self, open: Option<Token>) -> Vec<Element> {
        let base = self.scratch.len();
        while let Some(t) = self.peek() {
            match t.kind {
                TokenKind::RBrace => {
                    if open.is_some() {
                        return self.scratch.drain(base..).collect();
                    }
                    // `}` at file level: ngx_conf_parse's `unexpected "}"`, unless the lexer
                    // already reported this brace (it ended an unterminated directive).
                    if self.lexer_spans.binary_search(&t.span).is_err() {
                        self.errors.push(SyntaxError {
                            kind: SyntaxErrorKind::Unexpected(b'}'),
                            span: t.span,
                            related: None,
                        });
                    }
                    self.scratch.push(Element::Token(t));
                    self.pos += 1;
                }
                k if k.is_value() => {
                    let d = self.directive();
                    self.scratch.push(Element::Directive(Box::new(d)));
                }
                // A stray `{` (the lexer reported `unexpected "{"`): parse its block anyway so
                // the braces that follow stay balanced.
                TokenKind::LBrace => {
                    let d = self.directive();
                    self.scratch.push(Element::Directive(Box::new(d)));
                }
                // Whitespace is not stored: it is the bytes between the tokens kept.
                TokenKind::Space | TokenKind::Newline => self.pos += 1,
                _ => {
                    // Comments, a stray `;` (already reported by the lexer), a raw body.
                    self.scratch.push(Element::Token(t));
                    self.pos += 1;
                }
            }
        }
        if let Some(open) = open
            && !self.eof_reported
        {
            self.eof_reported = true;
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::EofExpectingBrace,
                span: Span::empty(self.len),
                related: Some((open.span, "this block is not closed")),
            });
        }
        self.scratch.drain(base..).collect()
    }

    fn directive(&mut self) -> Directive {
        let start = self.tokens[self.pos].span.start;
        // The head is every token before the terminator: one contiguous run of tokens, copied
        // once into an exactly sized vector.
        let head_from = self.pos;
        while self.peek().is_some_and(|t| {
            !matches!(
                t.kind,
                TokenKind::Semicolon | TokenKind::LBrace | TokenKind::RBrace
            )
        }) {
            self.pos += 1;
        }
        let mut head_to = self.pos;
        let end = match self.peek() {
            Some(t) if t.kind == TokenKind::Semicolon => {
                self.pos += 1;
                End::Semicolon(t)
            }
            Some(t) if t.kind == TokenKind::LBrace => {
                self.pos += 1;
                let items = if self.depth >= MAX_DEPTH {
                    self.flat_block(t)
                } else {
                    self.depth += 1;
                    let items = self.items(Some(t));
                    self.depth -= 1;
                    items
                };
                let close = self.peek().filter(|c| c.kind == TokenKind::RBrace);
                if close.is_some() {
                    self.pos += 1;
                }
                End::Block(Box::new(Block {
                    open: t,
                    items,
                    close,
                }))
            }
            // `}` before `;`: the lexer reported `unexpected "}"`; the directive is left
            // unterminated and the brace closes the enclosing block. Or end of file.
            _ => {
                // Trailing trivia after the last value of an unterminated directive belongs to
                // the enclosing block, so that the directive's span ends at its last value.
                while head_to > head_from && self.tokens[head_to - 1].kind.is_trivia() {
                    head_to -= 1;
                }
                self.pos = head_to;
                End::Missing
            }
        };
        // No whitespace among the tokens read: the head is one contiguous run, copied once.
        let head: Box<[Token]> = Box::from(&self.tokens[head_from..head_to]);
        let end_offset = match &end {
            End::Semicolon(t) => t.span.end,
            // An unclosed block runs to the end of the file.
            End::Block(b) => b.close.map_or(self.len, |c| c.span.end),
            End::Missing => head.last().map_or(start, |t| t.span.end),
        };
        Directive {
            span: Span::new(start, end_offset),
            head,
            end,
        }
    }

    /// Past [`MAX_DEPTH`]: keep the block's tokens flat, up to its matching `}`.
    fn flat_block(&mut self, open: Token) -> Vec<Element> {
        self.errors.push(SyntaxError {
            kind: SyntaxErrorKind::TooDeep,
            span: open.span,
            related: None,
        });
        let mut items = Vec::new();
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t.kind {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace if depth == 0 => return items,
                TokenKind::RBrace => depth -= 1,
                _ => {}
            }
            if !is_whitespace(t.kind) {
                items.push(Element::Token(t));
            }
            self.pos += 1;
        }
        items
    }
}

fn is_whitespace(kind: TokenKind) -> bool {
    matches!(kind, TokenKind::Space | TokenKind::Newline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::printer::print;

    fn names(src: &str) -> Vec<String> {
        let f = parse(src.as_bytes());
        let mut out = Vec::new();
        f.walk(|d, depth| {
            out.push(format!(
                "{}{}",
                "  ".repeat(depth),
                String::from_utf8_lossy(&d.name(src.as_bytes()))
            ))
        });
        out
    }

    fn errs(src: &str) -> Vec<String> {
        parse(src.as_bytes())
            .errors
            .iter()
            .map(|e| e.kind.message())
            .collect()
    }

    #[test]
    fn nests_blocks() {
        assert_eq!(
            names("http { server { listen 80; } }\nevents {}"),
            ["http", "  server", "    listen", "events"]
        );
    }

    #[test]
    fn reports_every_independent_error() {
        let src = "a;;\nb { c }\n}\nd 'x'y;\n";
        assert_eq!(
            errs(src),
            [
                "unexpected \";\"",
                "unexpected \"}\"",
                "unexpected \"}\"",
                "unexpected \"y\""
            ]
        );
        assert_eq!(
            print(&parse(src.as_bytes()), src.as_bytes()),
            src.as_bytes()
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = format!("{}{}", "a {".repeat(100_000), "}".repeat(100_000));
        let f = parse(src.as_bytes());
        assert_eq!(print(&f, src.as_bytes()), src.as_bytes());
        assert!(f.errors.iter().any(|e| e.kind == SyntaxErrorKind::TooDeep));
    }

    #[test]
    fn eof_in_block() {
        assert_eq!(
            errs("http {\n server {\n"),
            ["unexpected end of file, expecting \"}\""]
        );
        assert_eq!(
            errs("http {\n listen 80"),
            ["unexpected end of file, expecting \";\" or \"}\""]
        );
    }

    #[test]
    fn one_error_per_run_of_stray_tokens() {
        // A line of stray braces: one error spanning the run (was one per byte).
        let src = "}".repeat(10_000);
        let errors = parse(src.as_bytes()).errors;
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].span.start, errors[0].span.end), (0, 10_000));
        // Mixed stray tokens with blanks between: still one; a new line starts a new run.
        assert_eq!(
            errs(
                "a;;; } ;
}
"
            ),
            ["unexpected \";\"", "unexpected \"}\""]
        );
        // One over-long word: one error, not one per 4 KB piece.
        let long = format!("a {};", "x".repeat(70_000));
        assert_eq!(errs(&long).len(), 1);
    }
}
