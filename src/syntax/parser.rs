//! Tokens to tree: statements and blocks, as `ngx_conf_parse` groups them.
//!
//! The lexer already enforces the token-level rules (it reports `unexpected ";"` and friends);
//! the parser adds what `ngx_conf_parse` checks on top: a `}` with no open block, and a block
//! still open at end of file. It recovers from every error, so the tree always covers the
//! whole input.

use super::lexer::{Lexer, SyntaxError, SyntaxErrorKind, Token, TokenKind};
use super::span::Span;
use super::tree::{Block, Census, Directive, Element, SyntaxFile};

/// Deepest block nesting the tree represents; deeper blocks are kept as flat tokens.
pub const MAX_DEPTH: usize = 200;

/// Tokens the lexer reads ahead of the parser at a time. The parser holds a window of one to
/// two times this many tokens (plus the head being read), not the whole file's (issue #13:
/// 12 bytes per token, whitespace included, were reserved at 3 bytes per input byte next to
/// the tree being built).
const WINDOW: usize = 4096;

/// Parse one file. Never panics; never loses a byte.
///
/// A large file is lexed on a second thread while this one builds the tree from the tokens
/// already lexed (see [`parse_pipelined`]); the tree and errors are the same either way.
pub fn parse(src: &[u8]) -> SyntaxFile {
    if src.len() >= PIPELINE_FROM && crate::threads::more_than_one() {
        parse_pipelined(src, WINDOW)
    } else {
        parse_window(src, WINDOW)
    }
}

/// The smallest file lexed on a thread of its own: a thread costs tens of microseconds to
/// start, lexing 256 KiB about a millisecond.
const PIPELINE_FROM: usize = 256 * 1024;

/// [`parse`] reading `window` tokens at a time (the tests compare windows).
fn parse_window(src: &[u8], window: usize) -> SyntaxFile {
    parse_measured(src, window).0
}

/// [`parse_window`], and the most tokens the window ever had room for (its vector never
/// shrinks: its capacity at the end is its peak).
fn parse_measured(src: &[u8], window: usize) -> (SyntaxFile, usize) {
    // The tree stores no whitespace: read only the tokens it keeps, a window at a time.
    let mut tokens = Vec::new();
    tokens.reserve_exact(window.saturating_mul(2).min(src.len() / 8 + 16));
    let p = Parser::new(src, window, tokens, Feed::Inline(Lexer::new(src, false)));
    p.finish(src)
}

/// [`parse_window`] with the lexer on a thread of its own: it hands the tokens over in
/// batches of about `window` (each ending between two statements, where [`Lexer::run`]
/// stops), with the `}` it reported in them, and its errors with the last batch. The parser
/// reads the batches as it would read the lexer's own window. Lexing is about two thirds of
/// parsing (issue #13: 18 of 27 M instructions on the 1 MB generated configuration), and the
/// two now overlap.
fn parse_pipelined(src: &[u8], window: usize) -> SyntaxFile {
    // A few batches in flight at most: the lexer runs ahead by that much, not by the file.
    let (batches_tx, batches) = std::sync::mpsc::sync_channel::<Batch>(4);
    let (spare, spare_rx) = std::sync::mpsc::sync_channel::<Vec<Token>>(8);
    // The parser waits for the lexer's batches: kept on its CPU, it does not wake on the
    // lexer's (see `threads::keep_here`).
    let _kept = crate::threads::keep_here();
    std::thread::scope(|s| {
        let lexing = crate::threads::spawn_beside(s, move || {
            let mut lexer = Lexer::new(src, false);
            let mut braces_sent = 0;
            loop {
                let mut tokens = spare_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(window.saturating_mul(2).min(1 << 20)));
                tokens.clear();
                lexer.out.tokens = tokens;
                lexer.run(window);
                let braces = lexer.reported_braces[braces_sent..].to_vec();
                braces_sent = lexer.reported_braces.len();
                let errors = lexer
                    .finished
                    .then(|| std::mem::take(&mut lexer.out.errors));
                let batch = Batch {
                    tokens: std::mem::take(&mut lexer.out.tokens),
                    braces,
                    errors,
                    ngxlint_comments: lexer.out.ngxlint_comments,
                };
                // The parser stops reading only at the end: a closed channel means it is gone.
                if batches_tx.send(batch).is_err() || lexer.finished {
                    return;
                }
            }
        });
        let Ok(lexing) = lexing else {
            // No thread to be had (a process limit): lex on this one.
            return parse_window(src, window);
        };
        let pipe = Pipe {
            batches,
            spare,
            braces: Vec::new(),
            errors: None,
            ngxlint_comments: 0,
        };
        let tokens = Vec::with_capacity(window.saturating_mul(2).min(src.len() / 8 + 16));
        let file = Parser::new(src, window, tokens, Feed::Piped(pipe))
            .finish(src)
            .0;
        // The parser has read the last batch, so the lexer has returned. Joined here, not at
        // the scope's end: a join waits for the thread to exit, thread-local destructors
        // included (the scope only waits for the closure to return), so nothing of the thread
        // is left behind (LeakSanitizer reported the channel's thread-local context).
        lexing.join().expect("lexer thread panicked");
        file
    })
}

/// [`parse`] with the lexer on a thread of its own whatever the file's size, handing over
/// batches of about `batch` tokens. The fuzzer compares it with [`parse`] on small inputs, where
/// [`parse`] itself lexes on the parser's thread.
#[doc(hidden)]
pub fn parse_lexing_apart(src: &[u8], batch: usize) -> SyntaxFile {
    parse_pipelined(src, batch.max(1))
}

/// Tokens from the lexer thread (see [`parse_pipelined`]).
struct Batch {
    tokens: Vec<Token>,
    /// The offsets of the `}` the lexer reported as `unexpected "}"` while lexing these.
    braces: Vec<u32>,
    /// With the last batch: every error the lexer found.
    errors: Option<Vec<SyntaxError>>,
    /// With the last batch: the comments naming ngxlint the lexer read ([`Census`]).
    ngxlint_comments: u64,
}

/// Where the parser's tokens come from.
enum Feed<'s> {
    /// Lexed on demand, on the parser's thread.
    Inline(Lexer<'s>),
    /// Lexed on another thread, read in batches.
    Piped(Pipe),
}

/// The parser's end of [`parse_pipelined`]'s channels.
struct Pipe {
    batches: std::sync::mpsc::Receiver<Batch>,
    /// Read batches' vectors go back to the lexer, to be filled again.
    spare: std::sync::mpsc::SyncSender<Vec<Token>>,
    /// The `}` the lexer reported so far, ascending.
    braces: Vec<u32>,
    /// The lexer's errors, once it has read the whole file.
    errors: Option<Vec<SyntaxError>>,
    /// The comments naming ngxlint, once the lexer has read the whole file.
    ngxlint_comments: u64,
}

impl Pipe {
    /// Append the next batch to `window` (or take it as the window when that is empty).
    fn refill(&mut self, window: &mut Vec<Token>) {
        if self.errors.is_some() {
            return;
        }
        let Ok(batch) = self.batches.recv() else {
            // The lexer thread is gone without its last batch: it panicked, and the scope
            // that joins it says so.
            self.errors = Some(Vec::new());
            return;
        };
        self.braces.extend_from_slice(&batch.braces);
        let read = if window.is_empty() {
            std::mem::replace(window, batch.tokens)
        } else {
            window.extend_from_slice(&batch.tokens);
            batch.tokens
        };
        // A full queue of spare vectors: this one is dropped instead.
        let _ = self.spare.try_send(read);
        if let Some(errors) = batch.errors {
            self.errors = Some(errors);
            self.ngxlint_comments = batch.ngxlint_comments;
        }
    }
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

struct Parser<'s> {
    /// The token window: `tokens[pos..]` are read but not yet taken.
    tokens: Vec<Token>,
    feed: Feed<'s>,
    /// Tokens read ahead at a time ([`WINDOW`]).
    window: usize,
    pos: usize,
    /// The parser's own errors (the lexer's are in `lexer.out.errors`).
    errors: Vec<SyntaxError>,
    /// An end-of-file error was reported (by the lexer or here): one is enough.
    eof_reported: bool,
    len: u32,
    /// The source, to tell an `include` from other names while counting ([`Census`]).
    src: &'s [u8],
    census: Census,
    depth: usize,
    /// A stack of the elements of every block being parsed: a block's elements are pushed
    /// here and moved out once, into an exactly sized vector, when the block ends (growing
    /// one vector per block by doubling costs more).
    scratch: Vec<Element>,
}

impl<'s> Parser<'s> {
    fn new(src: &'s [u8], window: usize, tokens: Vec<Token>, feed: Feed<'s>) -> Self {
        Parser {
            tokens,
            feed,
            window,
            pos: 0,
            errors: Vec::new(),
            eof_reported: false,
            len: src.len() as u32,
            src,
            census: Census::default(),
            depth: 0,
            scratch: Vec::new(),
        }
    }

    /// The whole file's tree and errors, and the most tokens the window had room for.
    fn finish(mut self, src: &[u8]) -> (SyntaxFile, usize) {
        let items = self.items(None);
        // The lexer's errors first, then the parser's, each in order; a stable sort by span.
        let mut errors = match &mut self.feed {
            Feed::Inline(lexer) => {
                self.census.ngxlint_comments = lexer.out.ngxlint_comments;
                std::mem::take(&mut lexer.out.errors)
            }
            Feed::Piped(pipe) => {
                self.census.ngxlint_comments = pipe.ngxlint_comments;
                pipe.errors.take().unwrap_or_default()
            }
        };
        errors.append(&mut self.errors);
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        let errors = collapse_runs(src, errors);
        (
            SyntaxFile {
                items,
                errors,
                census: Some(self.census),
            },
            self.tokens.capacity(),
        )
    }

    /// The next token, read from the window (the common case, kept inline in the parser's
    /// loops) or, once the window is used up, from the lexer.
    #[inline]
    fn peek(&mut self) -> Option<Token> {
        if self.pos >= self.tokens.len() {
            self.refill();
        }
        self.tokens.get(self.pos).copied()
    }

    /// More tokens in the window: about one window's worth, or none at the end of the file.
    #[cold]
    #[inline(never)]
    fn refill(&mut self) {
        match &mut self.feed {
            Feed::Inline(lexer) => {
                // The lexer appends to the window itself.
                let want = self.tokens.len().saturating_add(self.window);
                std::mem::swap(&mut self.tokens, &mut lexer.out.tokens);
                lexer.run(want);
                std::mem::swap(&mut self.tokens, &mut lexer.out.tokens);
            }
            Feed::Piped(pipe) => pipe.refill(&mut self.tokens),
        }
    }

    /// The lexer's errors so far (all of them once it has read the whole file).
    fn lexer_errors(&self) -> &[SyntaxError] {
        match &self.feed {
            Feed::Inline(lexer) => &lexer.out.errors,
            Feed::Piped(pipe) => pipe.errors.as_deref().unwrap_or_default(),
        }
    }

    /// Between two elements no token before `pos` is needed again: drop them, so that the
    /// window stays small.
    fn forget_taken(&mut self) {
        // Every token read is taken (the lexer stops between statements, so this is where a
        // window usually ends): nothing to move.
        if self.pos >= self.tokens.len() {
            self.tokens.clear();
            self.pos = 0;
        } else if self.pos >= self.window {
            self.tokens.drain(..self.pos);
            self.pos = 0;
        }
    }

    /// Did the lexer already report this `}` (it ended an unterminated directive)? The lexer
    /// has read at least up to the token, so its report, if any, is there.
    fn lexer_reported(&self, brace: Token) -> bool {
        let reported = match &self.feed {
            Feed::Inline(lexer) => &lexer.reported_braces,
            Feed::Piped(pipe) => &pipe.braces,
        };
        reported.binary_search(&brace.span().start).is_ok()
    }

    /// Elements until the `}` closing `open` (consumed and returned through `close`), or EOF.
    fn items(&mut self, open: Option<Token>) -> Vec<Element> {
        let base = self.scratch.len();
        loop {
            self.forget_taken();
            let Some(t) = self.peek() else { break };
            match t.kind() {
                TokenKind::RBrace => {
                    if open.is_some() {
                        return self.scratch.drain(base..).collect();
                    }
                    // `}` at file level: ngx_conf_parse's `unexpected "}"`, unless the lexer
                    // already reported this brace (it ended an unterminated directive).
                    if !self.lexer_reported(t) {
                        self.errors.push(SyntaxError {
                            kind: SyntaxErrorKind::Unexpected(b'}'),
                            span: t.span(),
                            related: None,
                        });
                    }
                    self.scratch.push(Element::Token(t));
                    self.pos += 1;
                }
                k if k.is_value() => {
                    let d = self.directive();
                    self.scratch.push(Element::Directive(d));
                }
                // A stray `{` (the lexer reported `unexpected "{"`): parse its block anyway so
                // the braces that follow stay balanced.
                TokenKind::LBrace => {
                    let d = self.directive();
                    self.scratch.push(Element::Directive(d));
                }
                // Whitespace is not stored: it is the bytes between the tokens kept (and the
                // lexer this parser reads does not emit it).
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
            // The lexer has read the whole file: did it end with its own end-of-file error?
            let lexer_eof = self.lexer_errors().iter().any(|e| {
                matches!(
                    e.kind,
                    SyntaxErrorKind::EofExpectingSemicolonOrBrace
                        | SyntaxErrorKind::LuaEof
                        | SyntaxErrorKind::LuaLongBracket(_)
                )
            });
            if !lexer_eof {
                self.errors.push(SyntaxError {
                    kind: SyntaxErrorKind::EofExpectingBrace,
                    span: Span::empty(self.len),
                    related: Some((open.span(), "this block is not closed")),
                });
            }
        }
        self.scratch.drain(base..).collect()
    }

    fn directive(&mut self) -> Directive {
        let start = self.tokens[self.pos].span().start;
        // The head is every token before the terminator: one contiguous run of tokens in the
        // window (nothing is dropped from it before the head is copied out).
        let head_from = self.pos;
        // Mostly values: one bit says so before the kind is read.
        while self.peek().is_some_and(|t| {
            t.is_value()
                || !matches!(
                    t.kind(),
                    TokenKind::Semicolon | TokenKind::LBrace | TokenKind::RBrace
                )
        }) {
            self.pos += 1;
        }
        let mut head_to = self.pos;
        let terminator = self
            .peek()
            .filter(|t| matches!(t.kind(), TokenKind::Semicolon | TokenKind::LBrace));
        if terminator.is_none() {
            // `}` before `;`: the lexer reported `unexpected "}"`; the directive is left
            // unterminated and the brace closes the enclosing block. Or end of file.
            // Trailing trivia after the last value of an unterminated directive belongs to
            // the enclosing block, so that the directive's span ends at its last value.
            while head_to > head_from && self.tokens[head_to - 1].kind().is_trivia() {
                head_to -= 1;
            }
            self.pos = head_to;
        }
        let head = &self.tokens[head_from..head_to];
        let directive = match terminator {
            Some(t) if t.kind() == TokenKind::Semicolon => {
                let d = Directive::with_semicolon(head, t);
                self.pos += 1;
                d
            }
            Some(t) => {
                // Built before the block is parsed: the window moves on during the block.
                let mut directive = Directive::unterminated(head);
                self.pos += 1;
                let items = if self.depth >= MAX_DEPTH {
                    self.flat_block(t)
                } else {
                    self.depth += 1;
                    let items = self.items(Some(t));
                    self.depth -= 1;
                    items
                };
                let close = self.peek().filter(|c| c.kind() == TokenKind::RBrace);
                if close.is_some() {
                    self.pos += 1;
                }
                directive.block = Some(Box::new(Block::new(
                    t,
                    items.into_boxed_slice(),
                    close,
                    // An unclosed block runs to the end of the file.
                    close.map_or(self.len, |c| c.span().end),
                )));
                directive
            }
            None => Directive::unterminated(head),
        };
        debug_assert_eq!(directive.span().start, start);
        self.census.count(&directive, self.src);
        directive
    }

    /// Past [`MAX_DEPTH`]: keep the block's tokens flat, up to its matching `}`.
    fn flat_block(&mut self, open: Token) -> Vec<Element> {
        self.errors.push(SyntaxError {
            kind: SyntaxErrorKind::TooDeep,
            span: open.span(),
            related: None,
        });
        let mut items = Vec::new();
        let mut depth = 0usize;
        loop {
            self.forget_taken();
            let Some(t) = self.peek() else { break };
            match t.kind() {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace if depth == 0 => return items,
                TokenKind::RBrace => depth -= 1,
                _ => {}
            }
            if !is_whitespace(t.kind()) {
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

    /// The parser counts every directive it builds, and those named `include` as nginx reads
    /// the name.
    #[test]
    fn census_counts_every_directive_and_every_include() {
        let census = |src: &[u8]| parse(src).census.expect("the parser counts");
        let c = census(b"http { server { listen 80; } gzip on; }\nevents {}\n");
        assert_eq!((c.directives, c.includes), (5, 0));
        // Written plainly or quoted, an `include` is counted; `includes`, `''`, `"inc"` are
        // not, nor `inc\lude` (nginx keeps a backslash before a letter other than t, r, n).
        let c = census(
            b"include a; \"include\" b; inc\\lude c; http { include d; includes e; } \
              map $a $b { '' 1; \"inc\" 2; }",
        );
        assert_eq!((c.directives, c.includes), (9, 3));
        // Past the depth limit the block is kept as tokens: no directives there.
        let deep = "a {".repeat(300) + &"}".repeat(300);
        let file = parse(deep.as_bytes());
        assert!(file.census_agrees(deep.as_bytes()));
        // Comments naming ngxlint: in a block, in a head, past the depth limit; not in a
        // quoted value, nor a comment without the colon.
        for (src, n) in [
            (&b"# ngxlint: ignore\nhttp { gzip on; }\n"[..], 1),
            (b"http { # ngxlint: websocket\n gzip on; }\n", 1),
            (b"listen 80 # ngxlint: ignore\n ;\n", 1),
            (
                b"add_header X \"# ngxlint: ignore\";\n# ngxlint no colon\n",
                0,
            ),
            (b"a { # ngxlint: file\n }\n# plain\n", 1),
        ] {
            let file = parse(src);
            assert_eq!(file.census.expect("counted").ngxlint_comments, n, "{src:?}");
            assert_eq!(file.may_have_ngxlint_comments(), n > 0);
            assert!(file.census_agrees(src));
        }
        let deep = "a {".repeat(300) + "# ngxlint: ignore\n" + &"}".repeat(300);
        let file = parse(deep.as_bytes());
        assert_eq!(file.census.expect("counted").ngxlint_comments, 1);
        assert!(file.census_agrees(deep.as_bytes()));
    }

    /// Reading the tokens through a window of any size, lexed on the parser's thread or on its
    /// own, builds the same tree with the same errors as reading them all at once: on every
    /// fixture and on inputs whose errors sit at window boundaries (a `}` the lexer reported,
    /// end of file inside blocks, deep nesting).
    #[test]
    fn any_window_gives_the_same_tree() {
        let mut inputs: Vec<Vec<u8>> = [
            "a;;\nb { c }\n}\nd 'x'y;\n",
            "http {\n server { listen 80 } }\n}\n}} ;; {\n",
            "a # c1\n b # c2\n}\nx { y { z \"q\"}",
            "content_by_lua_block { ngx.say(\"}\") }\nx 'y'z;\n}\n",
            "http {\n server {\n",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        inputs.push(format!("{}{}", "a {".repeat(300), "}".repeat(299)).into_bytes());
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for e in walkdir::WalkDir::new(fixtures).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "conf") {
                inputs.push(std::fs::read(e.path()).unwrap());
            }
        }
        assert!(inputs.len() > 100);
        for src in &inputs {
            let whole = format!("{:?}", parse_window(src, usize::MAX));
            for window in [1, 2, 3, 17] {
                assert_eq!(
                    format!("{:?}", parse_window(src, window)),
                    whole,
                    "window {window}: {}",
                    String::from_utf8_lossy(src)
                );
                // The lexer on its own thread, batches of any size.
                assert_eq!(
                    format!("{:?}", parse_pipelined(src, window)),
                    whole,
                    "pipelined, window {window}: {}",
                    String::from_utf8_lossy(src)
                );
            }
        }
    }

    /// The tokens held while parsing do not grow with the file: a file of 60 windows' worth of
    /// tokens is read through a buffer of at most two windows (plus slack for one head).
    #[test]
    fn the_token_window_stays_bounded() {
        let mut src = String::from("http {\n");
        for i in 0..30_000 {
            src.push_str(&format!(
                "    server {{ listen {i}; server_name a{i} \"b\\\"{i}\"; # c\n    }}\n"
            ));
        }
        src.push_str("}\n");
        let tokens = super::super::lexer::lex_significant(src.as_bytes())
            .tokens
            .len();
        assert!(tokens > 60 * WINDOW, "{tokens} tokens");
        let (file, peak) = parse_measured(src.as_bytes(), WINDOW);
        assert!(file.errors.is_empty());
        assert!(peak <= 2 * WINDOW + 64, "{peak} tokens held for {tokens}");
        assert_eq!(print(&file, src.as_bytes()), src.as_bytes());
    }

    /// A file past [`PIPELINE_FROM`] with errors strewn over many batches (stray `}` the lexer
    /// or the parser reports, a stray `;`, text glued to a quote, an over-long word, a Lua block, an unclosed
    /// block at the end): [`parse`] lexes it on its own thread and builds the tree and errors
    /// that the one-thread reading builds.
    #[test]
    fn a_large_file_lexed_on_its_own_thread_parses_the_same() {
        let mut src = String::from("http {\n");
        let long = "x".repeat(5000);
        for i in 0..12_000 {
            src.push_str(&format!("    server {{ listen {i}; server_name a{i} # c\n"));
            match i % 997 {
                0 => src.push_str("    ;; }\n"),
                1 => src.push_str(&format!("    return 200 '{long}';\n")),
                2 => src.push_str("    x 'y'z;\n"),
                3 => src.push_str("    content_by_lua_block { ngx.say(\"}\") }\n"),
                4 => src.push_str("    a }\n"),
                _ => {}
            }
            src.push_str("    ; }\n");
            if i % 997 == 5 {
                // Out of `http`: a stray `}` (the parser's error) and one that ends a directive
                // (the lexer's: the parser must not report it again).
                src.push_str("}\n}\nb }\nhttp {\n");
            }
        }
        src.push_str("server {\n");
        assert!(src.len() > PIPELINE_FROM);
        let serial = parse_window(src.as_bytes(), WINDOW);
        assert!(serial.errors.len() > 20, "{} errors", serial.errors.len());
        let whole = format!("{serial:?}");
        assert_eq!(
            format!("{:?}", parse_pipelined(src.as_bytes(), WINDOW)),
            whole
        );
        assert_eq!(format!("{:?}", parse_pipelined(src.as_bytes(), 100)), whole);
        assert_eq!(format!("{:?}", parse(src.as_bytes())), whole);
        assert_eq!(
            print(&parse(src.as_bytes()), src.as_bytes()),
            src.as_bytes()
        );
    }

    /// The file's element vector is allocated at its exact length (a block's elements are a
    /// boxed slice: exact by their type): they are most of the tree's memory (a 56-byte element
    /// per directive or comment).
    #[test]
    fn element_vectors_are_exact() {
        fn count(items: &[Element], blocks: &mut usize) {
            for e in items {
                if let Some(b) = e.as_directive().and_then(Directive::block) {
                    *blocks += 1;
                    count(&b.items, blocks);
                }
            }
        }
        let mut src = String::from("# c\nhttp {\n");
        for i in 0..3_000 {
            src.push_str(&format!(
                "  server {{ listen {i}; # c\n location / {{ }} }}\n"
            ));
        }
        src.push_str("}\n");
        let file = parse(src.as_bytes());
        assert_eq!(file.items.capacity(), file.items.len());
        let mut blocks = 0;
        count(&file.items, &mut blocks);
        assert_eq!(blocks, 1 + 2 * 3_000);
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
