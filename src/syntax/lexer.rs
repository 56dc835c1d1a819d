//! The tokenizer: a byte-for-byte port of nginx's `ngx_conf_read_token`.
//!
//! nginx's reader is a state machine over bytes with a handful of flags (`last_space`,
//! `need_space`, `sharp_comment`, `quoted`, `d_quoted`, `s_quoted`, `variable`). This module
//! keeps those flags and their order of tests exactly, so that every corner case (a `#` inside a
//! word, `${var}`, a `}` glued to a word, text glued to a closing quote, the 4096-byte buffer)
//! splits where nginx splits. Unlike nginx it never stops at an error: it records the error,
//! recovers in the most local way, and goes on, so one run reports every independent error.
//!
//! The output tiles the input: every byte belongs to exactly one [`Token`]. Whitespace and
//! comments are tokens too; nothing is dropped.
//!
//! `*_by_lua_block` bodies are read with Lua's lexical rules (strings, long brackets, comments)
//! as lua-nginx-module does, and become one [`TokenKind::RawBody`] token.

use super::span::Span;

/// nginx's configuration read buffer (`NGX_CONF_BUFFER`): a token must fit in it.
pub const NGX_CONF_BUFFER: u32 = 4096;

/// Numbered in the order of [`KINDS`] (a token stores the number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TokenKind {
    /// A run of SP, HT and CR bytes (a CR that is not followed by LF).
    Space,
    /// LF or CRLF.
    Newline,
    /// `#` up to the end of the line (not including a CR before the LF, nor the LF).
    Comment,
    /// An unquoted word, escapes included as written.
    Word,
    /// `"..."`, quotes included.
    DoubleQuoted,
    /// `'...'`, quotes included.
    SingleQuoted,
    Semicolon,
    LBrace,
    RBrace,
    /// The body of a `*_by_lua_block`, between its braces, byte for byte.
    RawBody,
}

impl TokenKind {
    /// Words and quoted strings: the tokens that are a directive's name or arguments.
    pub fn is_value(self) -> bool {
        matches!(
            self,
            TokenKind::Word | TokenKind::DoubleQuoted | TokenKind::SingleQuoted
        )
    }

    /// Whitespace and comments.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Space | TokenKind::Newline | TokenKind::Comment
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Space => "space",
            TokenKind::Newline => "newline",
            TokenKind::Comment => "comment",
            TokenKind::Word => "word",
            TokenKind::DoubleQuoted => "dquoted",
            TokenKind::SingleQuoted => "squoted",
            TokenKind::Semicolon => "semicolon",
            TokenKind::LBrace => "lbrace",
            TokenKind::RBrace => "rbrace",
            TokenKind::RawBody => "raw-body",
        }
    }
}

/// A token: its kind and its byte span, in 8 bytes.
///
/// The tree keeps every name, argument, terminator and comment as a token, so its size is most
/// of the tree's (issue #13). Offsets are below [`MAX_SOURCE_LEN`] (2^29), which leaves three
/// bits above each of the two: together they hold the kind, whether it is a value (the test
/// the rules make most, one bit to read) and whether a value is [`Token::verbatim`] (12 bytes
/// with a field each).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The start offset, with the low three bits of the kind's number above it.
    start: u32,
    /// The end offset, with (from the top) the verbatim flag, the value flag and the kind
    /// number's fourth bit above it.
    end: u32,
}

/// The largest input the lexer takes: its offsets fit in 29 bits (see [`Token`]). Twice the
/// size cap of the files ngxlint reads.
pub const MAX_SOURCE_LEN: usize = (1 << OFFSET_BITS) - 1;

const OFFSET_BITS: u32 = 29;
const OFFSET_MASK: u32 = (1 << OFFSET_BITS) - 1;

/// The kinds in the order of their numbers (a kind's number is its place here), then six
/// places no token's number reaches (four bits hold it): with all sixteen, reading a token's
/// kind needs no bounds check (`Token::kind` is read for nearly every token the parser and
/// the rules meet).
const KINDS: [TokenKind; 16] = [
    TokenKind::Space,
    TokenKind::Newline,
    TokenKind::Comment,
    TokenKind::Word,
    TokenKind::DoubleQuoted,
    TokenKind::SingleQuoted,
    TokenKind::Semicolon,
    TokenKind::LBrace,
    TokenKind::RBrace,
    TokenKind::RawBody,
    TokenKind::Space,
    TokenKind::Space,
    TokenKind::Space,
    TokenKind::Space,
    TokenKind::Space,
    TokenKind::Space,
];

const VERBATIM_BIT: u32 = 1 << 31;
const VALUE_BIT: u32 = 1 << 30;

impl Token {
    /// A token of `kind` over `span`; `verbatim` says a value has no backslash. The span must
    /// end at most at [`MAX_SOURCE_LEN`].
    #[inline]
    pub fn new(kind: TokenKind, span: Span, verbatim: bool) -> Token {
        debug_assert!(span.end as usize <= MAX_SOURCE_LEN && span.start <= span.end);
        let number = kind as u32;
        let mut end = span.end | (number >> 3) << OFFSET_BITS;
        if verbatim {
            end |= VERBATIM_BIT;
        }
        if kind.is_value() {
            end |= VALUE_BIT;
        }
        Token {
            start: span.start | (number & 7) << OFFSET_BITS,
            end,
        }
    }

    #[inline]
    pub fn kind(self) -> TokenKind {
        let number = (self.start >> OFFSET_BITS) | (self.end >> OFFSET_BITS & 1) << 3;
        KINDS[number as usize]
    }

    /// `self.kind().is_value()`, read off one bit.
    #[inline]
    pub fn is_value(self) -> bool {
        self.end & VALUE_BIT != 0
    }

    #[inline]
    pub fn span(self) -> Span {
        Span::new(self.start & OFFSET_MASK, self.end & OFFSET_MASK)
    }

    /// A word or quoted string the lexer saw no backslash in: its value is its text (quotes
    /// removed), with no escape to look for. `false` when unknown (other kinds).
    #[inline]
    pub fn verbatim(self) -> bool {
        self.end & VERBATIM_BIT != 0
    }

    pub fn text<'a>(&self, src: &'a [u8]) -> &'a [u8] {
        &src[self.span().range()]
    }
}

/// Printed as the three fields it was made of.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("kind", &self.kind())
            .field("span", &self.span())
            .field("verbatim", &self.verbatim())
            .finish()
    }
}

/// What went wrong, in nginx's own words (see [`SyntaxErrorKind::message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// `unexpected ";"` / `unexpected "{"` / `unexpected "}"` / `unexpected "x"` after a quote.
    Unexpected(u8),
    /// `unexpected end of file, expecting ";" or "}"`
    EofExpectingSemicolonOrBrace,
    /// `unexpected end of file, expecting "}"`
    EofExpectingBrace,
    /// `too long parameter "0123456789..." started` (the first ten bytes of the token)
    TooLongParameter(Vec<u8>),
    /// `too long parameter, probably missing terminating """ character`
    TooLongQuoted(u8),
    /// lua-nginx-module: `unexpected end of file, expecting terminating characters for lua code block`
    LuaEof,
    /// lua-nginx-module: `Lua code block missing the closing long bracket "]==]"`
    LuaLongBracket(u8),
    /// Blocks nested deeper than [`crate::syntax::parser::MAX_DEPTH`] (ngxlint's own limit,
    /// so that no input can exhaust the stack; nginx has none but would crash first).
    TooDeep,
    /// `directive "x" is not terminated by ";"` (a non-block directive opened a block)
    NotTerminated(Vec<u8>),
    /// `directive "x" has no opening "{"` (a block directive ended with `;`)
    NoOpeningBrace(Vec<u8>),
}

impl SyntaxErrorKind {
    /// The message nginx prints for this error (without ` in FILE:LINE`).
    pub fn message(&self) -> String {
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match self {
            SyntaxErrorKind::Unexpected(c) => format!("unexpected \"{}\"", lossy(&[*c])),
            SyntaxErrorKind::EofExpectingSemicolonOrBrace => {
                "unexpected end of file, expecting \";\" or \"}\"".to_owned()
            }
            SyntaxErrorKind::EofExpectingBrace => {
                "unexpected end of file, expecting \"}\"".to_owned()
            }
            SyntaxErrorKind::TooLongParameter(head) => {
                format!("too long parameter \"{}...\" started", lossy(head))
            }
            SyntaxErrorKind::TooLongQuoted(q) => format!(
                "too long parameter, probably missing terminating \"{}\" character",
                *q as char
            ),
            SyntaxErrorKind::LuaEof => {
                "unexpected end of file, expecting terminating characters for lua code block"
                    .to_owned()
            }
            SyntaxErrorKind::LuaLongBracket(level) => format!(
                "Lua code block missing the closing long bracket \"]{}]\"",
                "=".repeat(*level as usize)
            ),
            SyntaxErrorKind::TooDeep => format!(
                "blocks nested more than {} levels deep",
                super::parser::MAX_DEPTH
            ),
            SyntaxErrorKind::NotTerminated(name) => {
                format!("directive \"{}\" is not terminated by \";\"", lossy(name))
            }
            SyntaxErrorKind::NoOpeningBrace(name) => {
                format!("directive \"{}\" has no opening \"{{\"", lossy(name))
            }
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            SyntaxErrorKind::Unexpected(b';') => {
                "remove the extra \";\" (an empty statement is an error in nginx)"
            }
            SyntaxErrorKind::Unexpected(b'{') => "a block needs a directive name before its \"{\"",
            SyntaxErrorKind::Unexpected(b'}') => {
                "end the directive before it with \";\", or remove the unmatched \"}\""
            }
            SyntaxErrorKind::Unexpected(_) => {
                "after a closing quote nginx expects whitespace, \";\" or \"{\"; quote the whole argument"
            }
            SyntaxErrorKind::EofExpectingSemicolonOrBrace => {
                "the last directive is not terminated: add \";\" (or close an unterminated quote)"
            }
            SyntaxErrorKind::EofExpectingBrace => "a block is not closed: add the missing \"}\"",
            SyntaxErrorKind::TooLongParameter(_) | SyntaxErrorKind::TooLongQuoted(_) => {
                "nginx reads a configuration through a 4096-byte buffer: a single word, quoted string or comment must be shorter"
            }
            SyntaxErrorKind::LuaEof | SyntaxErrorKind::LuaLongBracket(_) => {
                "close the Lua block: its braces are counted outside Lua strings and comments"
            }
            SyntaxErrorKind::TooDeep => {
                "no real configuration nests this deep: look for a run of unmatched \"{\""
            }
            SyntaxErrorKind::NotTerminated(_) => {
                "this directive takes no block: end it with \";\" (a regex containing \"{\" must be quoted)"
            }
            SyntaxErrorKind::NoOpeningBrace(_) => {
                "this directive takes a block: add \"{ ... }\" (a regex ending in \"$\" before \"{\" needs a space or quotes)"
            }
        }
    }
}

/// A syntax error with the exact byte span it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    /// Another place that matters (the unclosed quote or brace), with a label.
    pub related: Option<(Span, &'static str)>,
}

/// The tokens of one file plus every tokenizer error.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<SyntaxError>,
    /// Comments holding `ngxlint:` (see [`super::tree::Census`]).
    pub ngxlint_comments: u64,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Tokenize `src` exactly as `ngx_conf_read_token` would.
///
/// # Panics
/// Never for any input; inputs larger than [`MAX_SOURCE_LEN`] bytes must be refused by the
/// caller.
pub fn lex(src: &[u8]) -> Lexed {
    lex_mode(src, true)
}

/// [`lex`] without the whitespace tokens: the names, values, comments, punctuation and raw
/// bodies, with the same spans and the same errors. The parser reads this (the tree does not
/// store whitespace), which spares it a token per whitespace run: on a typical configuration
/// half of [`lex`]'s tokens, and the time spent splitting the gaps (issue #13).
pub fn lex_significant(src: &[u8]) -> Lexed {
    lex_mode(src, false)
}

fn lex_mode(src: &[u8], tiling: bool) -> Lexed {
    let mut lx = Lexer::new(src, tiling);
    // About one token per 4 bytes with whitespace, one per 8 without (a typical line: indent,
    // name, space, value, `;`, newline); a guess too low only costs a regrowth.
    lx.out
        .tokens
        .reserve_exact(src.len() / if tiling { 4 } else { 8 });
    lx.run(usize::MAX);
    lx.out
}

/// The tokenizer, resumable: [`Lexer::run`] stops once a number of tokens are buffered and
/// goes on where it stopped on the next call, so that the parser can read a file through a
/// window of a few thousand tokens instead of a vector of all of them (12 bytes per token,
/// issue #13).
pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    /// Tokens lexed and not yet taken by the reader, and every error so far.
    pub(crate) out: Lexed,
    /// Everything before this offset is covered by emitted tokens.
    emitted_to: u32,
    /// Emit the whitespace between tokens too ([`lex`]), or not ([`lex_significant`]).
    tiling: bool,
    /// Where [`Lexer::run`] stopped.
    st: State,
    /// The whole input has been read.
    pub(crate) finished: bool,
    /// Offsets of the `}` tokens reported as `unexpected "}"`, ascending.
    pub(crate) reported_braces: Vec<u32>,
}

/// The tokenizer's state between two tokens: nginx's flags, named as in ngx_conf_file.c, and
/// the positions.
#[derive(Clone, Copy)]
struct State {
    last_space: bool,
    need_space: bool,
    sharp_comment: bool,
    /// An escape is pending.
    quoted: bool,
    /// The current token has a backslash (ngxlint's: its value needs unescaping).
    escaped: bool,
    d_quoted: bool,
    s_quoted: bool,
    variable: bool,
    /// Words in the current statement (cf->args->nelts).
    nelts: usize,
    /// The first one.
    first_word: Option<Token>,
    /// Where the current token starts (nginx's `start`).
    start: u32,
    /// Where the token we will emit starts (quotes included, unlike nginx's `start` which
    /// skips the opening quote).
    tok_start: u32,
    comment_start: u32,
    /// nginx's buffer window, in file offsets: refills happen when `pos` reaches `buf_end`.
    buf_end: u32,
    pos: u32,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a [u8], tiling: bool) -> Self {
        assert!(
            src.len() <= MAX_SOURCE_LEN,
            "input too large for 29-bit token offsets"
        );
        Lexer {
            src,
            out: Lexed::default(),
            emitted_to: 0,
            tiling,
            st: State {
                last_space: true,
                need_space: false,
                sharp_comment: false,
                quoted: false,
                escaped: false,
                d_quoted: false,
                s_quoted: false,
                variable: false,
                nelts: 0,
                first_word: None,
                start: 0,
                tok_start: 0,
                comment_start: 0,
                buf_end: 0,
                pos: 0,
            },
            finished: false,
            reported_braces: Vec::new(),
        }
    }
}

/// Byte classes for the lexer's fast paths: one table load per byte instead of a chain of
/// comparisons.
const SPACE: u8 = 1;
/// Ends a run inside an unquoted word: whitespace, `;`, `{`, and `\`/`$` (they set flags).
const WORD_STOP: u8 = 2;
/// Ends a run inside `"..."`: `"`, `\`, `$`.
const DQ_STOP: u8 = 4;
/// Ends a run inside `'...'`: `'`, `\`, `$`.
const SQ_STOP: u8 = 8;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = SPACE | WORD_STOP;
    t[b'\t' as usize] = SPACE | WORD_STOP;
    t[b'\r' as usize] = SPACE | WORD_STOP;
    t[b'\n' as usize] = SPACE | WORD_STOP;
    t[b';' as usize] = WORD_STOP;
    t[b'{' as usize] = WORD_STOP;
    t[b'\\' as usize] = WORD_STOP | DQ_STOP | SQ_STOP;
    t[b'$' as usize] = WORD_STOP | DQ_STOP | SQ_STOP;
    t[b'"' as usize] = DQ_STOP;
    t[b'\'' as usize] = SQ_STOP;
    t
};

/// Length of the run at the start of `window` of bytes none of whose classes is in `stop`.
#[inline]
fn run_until(window: &[u8], stop: u8) -> u32 {
    let stops = |b: u8| CLASS[b as usize] & stop != 0;
    // Four bytes per loop step (one bounds and loop test for four): the runs are mostly words
    // of 5 to 20 bytes, where the loop's own tests were a third of the work.
    let mut chunks = window.chunks_exact(4);
    let mut run = 0;
    for c in &mut chunks {
        if stops(c[0]) {
            return run;
        }
        if stops(c[1]) {
            return run + 1;
        }
        if stops(c[2]) {
            return run + 2;
        }
        if stops(c[3]) {
            return run + 3;
        }
        run += 4;
    }
    for &b in chunks.remainder() {
        if stops(b) {
            return run;
        }
        run += 1;
    }
    run
}

/// Length of the run of whitespace at the start of `window`.
#[inline]
fn run_while_space(window: &[u8]) -> u32 {
    // Mostly a line ending, then the next line's indentation: SP eight bytes at a time (the
    // leading SP bytes of eight are the low zero bytes once each SP is XORed to zero), any
    // other whitespace byte by byte. A run that began with LF had gone byte by byte whole.
    const EIGHT_SP: u64 = u64::from_le_bytes([b' '; 8]);
    let mut i = 0;
    loop {
        match window[i..].first_chunk::<8>() {
            Some(eight) => {
                let spaces = (u64::from_le_bytes(*eight) ^ EIGHT_SP).trailing_zeros() / 8;
                i += spaces as usize;
                if spaces == 8 {
                    continue;
                }
            }
            None => {
                while window.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
        }
        match window.get(i) {
            Some(&b) if CLASS[b as usize] & SPACE != 0 => i += 1,
            _ => return i as u32,
        }
    }
}

/// The whitespace tokens of `src[from..to]` (bytes nginx skips: SP, HT, CR, LF): `Space` runs
/// and `Newline`s (LF or CRLF), as the lexer emits them. The tree does not store these tokens;
/// it recovers them from the gaps between the tokens it keeps.
pub fn split_whitespace(src: &[u8], from: u32, to: u32, mut push: impl FnMut(Token)) {
    let mut i = from;
    while i < to {
        let b = src[i as usize];
        if b == b'\n' {
            push(Token::new(TokenKind::Newline, Span::new(i, i + 1), false));
            i += 1;
        } else if b == b'\r' && i + 1 < to && src[i as usize + 1] == b'\n' {
            push(Token::new(TokenKind::Newline, Span::new(i, i + 2), false));
            i += 2;
        } else {
            let s = i;
            while i < to {
                let c = src[i as usize];
                if c == b'\n' || (c == b'\r' && i + 1 < to && src[i as usize + 1] == b'\n') {
                    break;
                }
                i += 1;
            }
            push(Token::new(TokenKind::Space, Span::new(s, i), false));
        }
    }
}

impl Lexer<'_> {
    /// Emit whitespace tokens for the gap up to `at`, then `kind` for `at..end`.
    fn emit(&mut self, kind: TokenKind, at: u32, end: u32) {
        self.emit_value(kind, at, end, false);
    }

    /// A comment, counted when it names ngxlint (once per comment, where the tree keeps them
    /// in blocks and heads alike).
    fn emit_comment(&mut self, at: u32, end: u32) {
        self.out.ngxlint_comments += u64::from(super::tree::names_ngxlint(
            &self.src[at as usize..end as usize],
        ));
        self.emit(TokenKind::Comment, at, end);
    }

    /// [`Lexer::emit`], saying whether a value token is [`Token::verbatim`].
    fn emit_value(&mut self, kind: TokenKind, at: u32, end: u32, verbatim: bool) {
        if self.tiling {
            self.fill_gap(at);
        }
        if end > at {
            self.out
                .tokens
                .push(Token::new(kind, Span::new(at, end), verbatim));
        }
        self.emitted_to = end;
    }

    /// The bytes between tokens are whitespace that nginx skipped: split them into `Space`
    /// runs and `Newline`s (LF or CRLF).
    fn fill_gap(&mut self, to: u32) {
        let tokens = &mut self.out.tokens;
        split_whitespace(self.src, self.emitted_to, to, |t| tokens.push(t));
        self.emitted_to = self.emitted_to.max(to);
    }

    fn error(&mut self, kind: SyntaxErrorKind, span: Span) {
        if kind == SyntaxErrorKind::Unexpected(b'}') {
            self.reported_braces.push(span.start);
        }
        self.out.errors.push(SyntaxError {
            kind,
            span,
            related: None,
        });
    }

    /// Read on until `until` tokens are buffered in `out.tokens` and no statement is half read
    /// (checked between tokens), or the input ends (then `finished`).
    pub(crate) fn run(&mut self, until: usize) {
        if self.finished {
            return;
        }
        let src = self.src;
        let n = src.len() as u32;

        let State {
            mut last_space,
            mut need_space,
            mut sharp_comment,
            mut quoted,
            mut escaped,
            mut d_quoted,
            mut s_quoted,
            mut variable,
            mut nelts,
            mut first_word,
            mut start,
            mut tok_start,
            mut comment_start,
            mut buf_end,
            mut pos,
        } = self.st;
        'outer: loop {
            // Stops only between statements (no words of one pending), so that a reader that
            // took every token is at a statement boundary and can drop them all at once.
            if self.out.tokens.len() >= until && nelts == 0 {
                self.st = State {
                    last_space,
                    need_space,
                    sharp_comment,
                    quoted,
                    escaped,
                    d_quoted,
                    s_quoted,
                    variable,
                    nelts,
                    first_word,
                    start,
                    tok_start,
                    comment_start,
                    buf_end,
                    pos,
                };
                return;
            }
            if pos >= n {
                // End of file.
                if sharp_comment {
                    self.emit_comment(comment_start, trim_cr(src, comment_start, n));
                }
                if !last_space || need_space {
                    // Inside a word or quoted string (need_space: right after a closing quote,
                    // where the token is complete).
                    if need_space {
                        // already emitted
                    } else {
                        let kind = if d_quoted {
                            TokenKind::DoubleQuoted
                        } else if s_quoted {
                            TokenKind::SingleQuoted
                        } else {
                            TokenKind::Word
                        };
                        self.emit_value(kind, tok_start, n, !escaped);
                        if d_quoted || s_quoted {
                            self.out.errors.push(SyntaxError {
                                kind: SyntaxErrorKind::EofExpectingSemicolonOrBrace,
                                span: Span::empty(n),
                                related: Some((
                                    Span::new(tok_start, tok_start + 1),
                                    "this quote is never closed",
                                )),
                            });
                            break;
                        }
                    }
                    self.error(
                        SyntaxErrorKind::EofExpectingSemicolonOrBrace,
                        Span::empty(n),
                    );
                } else if nelts > 0 {
                    self.error(
                        SyntaxErrorKind::EofExpectingSemicolonOrBrace,
                        Span::empty(n),
                    );
                }
                break;
            }

            // `>`: a Lua block is read past the window (lua-nginx-module refills the same
            // buffer while reading it); the next token then starts a fresh window.
            if pos >= buf_end {
                // ngx_conf_read_token refills its buffer: the partial token (from `start`) is
                // moved to the front, and must not already fill the whole buffer.
                let len = pos - start;
                if len == NGX_CONF_BUFFER {
                    let kind = if d_quoted {
                        SyntaxErrorKind::TooLongQuoted(b'"')
                    } else if s_quoted {
                        SyntaxErrorKind::TooLongQuoted(b'\'')
                    } else {
                        let head = &src[start as usize..(start as usize + 10)];
                        SyntaxErrorKind::TooLongParameter(head.to_vec())
                    };
                    self.error(kind, Span::new(start, pos));
                    // Recover: pretend the buffer was big enough and go on.
                    start = pos;
                }
                buf_end = (start + NGX_CONF_BUFFER).min(n);
                if buf_end == pos {
                    buf_end = (pos + NGX_CONF_BUFFER).min(n);
                }
            }

            // Fast paths (ngxlint's, not nginx's): skip at once a run of bytes that the state
            // machine below would each pass over without changing any flag but `start`. A run
            // never crosses `buf_end`, so the refill check above still sees every window
            // boundary; the byte that ends a run goes through the state machine as usual.
            if sharp_comment {
                // In a comment only LF matters.
                let window = &src[pos as usize..buf_end as usize];
                match memchr::memchr(b'\n', window) {
                    Some(i) => pos += i as u32,
                    None => {
                        pos = buf_end;
                        continue;
                    }
                }
            } else if !quoted && !need_space && !variable {
                // Loops while words ended by whitespace or `;` follow each other (most of a
                // file): the checks at the top of the outer loop are redone only when the
                // window or the token budget runs out, or another byte needs the state machine.
                'fast: loop {
                    let window = &src[pos as usize..buf_end as usize];
                    let run = if last_space {
                        // Whitespace between tokens: each byte only moves `start` to itself.
                        run_while_space(window)
                    } else if d_quoted {
                        // Inside "...": only `"`, `\` and `$` matter (`{` only after `$`).
                        run_until(window, DQ_STOP)
                    } else if s_quoted {
                        run_until(window, SQ_STOP)
                    } else {
                        // Inside a word: whitespace, `;` and `{` end it; `\` and `$` set flags.
                        run_until(window, WORD_STOP)
                    };
                    if run > 0 {
                        pos += run;
                        if last_space {
                            start = pos - 1;
                            tok_start = pos - 1;
                        }
                        if pos == buf_end {
                            continue 'outer;
                        }
                    }
                    // A plain word starts here (a byte the state machine below would only mark
                    // as the start of a word: not whitespace, `;{}#"'`, `\` or `$`): take it and
                    // the run of the word behind it in this same step.
                    let first = src[pos as usize];
                    if last_space && CLASS[first as usize] == 0 && first != b'#' && first != b'}' {
                        start = pos;
                        tok_start = pos;
                        escaped = false;
                        last_space = false;
                        pos += 1;
                        if pos == buf_end {
                            continue 'outer;
                        }
                        pos += run_until(&src[pos as usize..buf_end as usize], WORD_STOP);
                        if pos == buf_end {
                            continue 'outer;
                        }
                    }
                    // An unquoted word ended by whitespace or `;` (most words): what the state
                    // machine below does for that byte, without its chain of tests (no flag but
                    // `last_space` is set here: `variable` and `quoted` are clear).
                    let stop = src[pos as usize];
                    if !last_space
                        && !d_quoted
                        && !s_quoted
                        && (CLASS[stop as usize] & SPACE != 0 || stop == b';')
                    {
                        let word = Token::new(TokenKind::Word, Span::new(tok_start, pos), !escaped);
                        self.emit_value(TokenKind::Word, tok_start, pos, !escaped);
                        nelts += 1;
                        if first_word.is_none() {
                            first_word = Some(word);
                        }
                        last_space = true;
                        pos += 1;
                        if stop == b';' {
                            self.emit(TokenKind::Semicolon, pos - 1, pos);
                            nelts = 0;
                            first_word = None;
                            start = pos;
                        }
                        // The outer loop's checks, for the state this leaves (no comment, no
                        // flag but `last_space`): the token budget and the window's end.
                        if pos < buf_end && self.out.tokens.len() < until {
                            continue 'fast;
                        }
                        continue 'outer;
                    }
                    break 'fast;
                }
            }

            let ch = src[pos as usize];
            pos += 1;

            if ch == b'\n' && sharp_comment {
                sharp_comment = false;
                self.emit_comment(comment_start, trim_cr(src, comment_start, pos - 1));
            }

            if sharp_comment {
                continue;
            }

            if quoted {
                quoted = false;
                continue;
            }

            if need_space {
                if is_space(ch) {
                    last_space = true;
                    need_space = false;
                    continue;
                }
                // `;` or `{` right after a closing quote end the statement; the next call of
                // ngx_conf_read_token starts with fresh flags (last_space = 1).
                if ch == b';' {
                    self.emit(TokenKind::Semicolon, pos - 1, pos);
                    need_space = false;
                    last_space = true;
                    nelts = 0;
                    first_word = None;
                    start = pos;
                    continue;
                }
                if ch == b'{' {
                    need_space = false;
                    last_space = true;
                    pos = self.block_start(pos, first_word);
                    nelts = 0;
                    first_word = None;
                    start = pos;
                    continue;
                }
                if ch == b')' {
                    last_space = true;
                    need_space = false;
                } else if ch == b'}' {
                    // `"x"}`: nginx's one error is `unexpected "}"`; the brace still closes.
                    self.error(SyntaxErrorKind::Unexpected(b'}'), Span::new(pos - 1, pos));
                    self.emit(TokenKind::RBrace, pos - 1, pos);
                    need_space = false;
                    last_space = true;
                    nelts = 0;
                    first_word = None;
                    start = pos;
                    continue;
                } else {
                    // nginx stops here; we report and read on as if a space had been there,
                    // with this byte starting a new word (even `#`: it is glued, not a comment).
                    let end = pos - 1 + utf8_len(src, pos - 1);
                    self.error(SyntaxErrorKind::Unexpected(ch), Span::new(pos - 1, end));
                    need_space = false;
                    last_space = false;
                    start = pos - 1;
                    tok_start = pos - 1;
                    escaped = false;
                    match ch {
                        b'\\' => {
                            quoted = true;
                            escaped = true;
                        }
                        b'$' => variable = true,
                        _ => {}
                    }
                    continue;
                }
            }

            if last_space {
                start = pos - 1;
                tok_start = pos - 1;
                escaped = false;

                if is_space(ch) {
                    continue;
                }

                match ch {
                    b';' | b'{' => {
                        if nelts == 0 {
                            self.error(SyntaxErrorKind::Unexpected(ch), Span::new(pos - 1, pos));
                        }
                        if ch == b'{' {
                            pos = self.block_start(pos, first_word);
                        } else {
                            self.emit(TokenKind::Semicolon, pos - 1, pos);
                        }
                        nelts = 0;
                        first_word = None;
                        start = pos;
                        continue;
                    }
                    b'}' => {
                        if nelts != 0 {
                            self.error(SyntaxErrorKind::Unexpected(b'}'), Span::new(pos - 1, pos));
                        }
                        self.emit(TokenKind::RBrace, pos - 1, pos);
                        nelts = 0;
                        first_word = None;
                        start = pos;
                        continue;
                    }
                    b'#' => {
                        sharp_comment = true;
                        comment_start = pos - 1;
                        continue;
                    }
                    b'\\' => {
                        quoted = true;
                        escaped = true;
                        last_space = false;
                        continue;
                    }
                    b'"' => {
                        start += 1;
                        d_quoted = true;
                        last_space = false;
                        continue;
                    }
                    b'\'' => {
                        start += 1;
                        s_quoted = true;
                        last_space = false;
                        continue;
                    }
                    b'$' => {
                        variable = true;
                        last_space = false;
                        continue;
                    }
                    _ => {
                        last_space = false;
                    }
                }
            } else {
                if ch == b'{' && variable {
                    continue;
                }

                variable = false;

                if ch == b'\\' {
                    quoted = true;
                    escaped = true;
                    continue;
                }

                if ch == b'$' {
                    variable = true;
                    continue;
                }

                let mut found = false;
                let mut kind = TokenKind::Word;
                let mut end = pos - 1;
                if d_quoted {
                    if ch == b'"' {
                        d_quoted = false;
                        need_space = true;
                        found = true;
                        kind = TokenKind::DoubleQuoted;
                        end = pos;
                    }
                } else if s_quoted {
                    if ch == b'\'' {
                        s_quoted = false;
                        need_space = true;
                        found = true;
                        kind = TokenKind::SingleQuoted;
                        end = pos;
                    }
                } else if is_space(ch) || ch == b';' || ch == b'{' {
                    last_space = true;
                    found = true;
                }

                if found {
                    self.emit_value(kind, tok_start, end, !escaped);
                    nelts += 1;
                    if first_word.is_none() {
                        first_word = Some(Token::new(kind, Span::new(tok_start, end), !escaped));
                    }
                    if ch == b';' {
                        self.emit(TokenKind::Semicolon, pos - 1, pos);
                        nelts = 0;
                        first_word = None;
                        start = pos;
                        continue;
                    }
                    if ch == b'{' {
                        pos = self.block_start(pos, first_word);
                        nelts = 0;
                        first_word = None;
                        start = pos;
                        continue;
                    }
                }
            }
        }
        if self.tiling {
            self.fill_gap(n);
        }
        self.finished = true;
    }

    /// The `{` at `pos - 1` opens a block. For `*_by_lua_block` the body is read here with Lua's
    /// rules; returns where ordinary tokenizing resumes.
    fn block_start(&mut self, pos: u32, first_word: Option<Token>) -> u32 {
        self.emit(TokenKind::LBrace, pos - 1, pos);
        let is_lua = first_word
            .is_some_and(|w| super::value::token_value(self.src, w).ends_with(b"_by_lua_block"));
        if !is_lua {
            return pos;
        }
        match scan_lua_block(self.src, pos) {
            Ok(close) => {
                self.emit(TokenKind::RawBody, pos, close);
                self.emit(TokenKind::RBrace, close, close + 1);
                close + 1
            }
            Err(kind) => {
                let n = self.src.len() as u32;
                self.emit(TokenKind::RawBody, pos, n);
                self.out.errors.push(SyntaxError {
                    kind,
                    span: Span::empty(n),
                    related: Some((Span::new(pos - 1, pos), "Lua block opened here")),
                });
                n
            }
        }
    }
}

/// A comment ends before the LF; a CR right before that LF belongs to the line ending.
fn trim_cr(src: &[u8], start: u32, end: u32) -> u32 {
    if end > start && src[end as usize - 1] == b'\r' && (end as usize) < src.len() {
        end - 1
    } else {
        end
    }
}

/// Length of the UTF-8 sequence starting at `at` (1 for invalid bytes), for error spans.
fn utf8_len(src: &[u8], at: u32) -> u32 {
    let b = src[at as usize];
    let want = match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    let end = (at as usize + want).min(src.len());
    if std::str::from_utf8(&src[at as usize..end]).is_ok() {
        want as u32
    } else {
        1
    }
}

/// Read a Lua block body starting right after its `{`, as lua-nginx-module's
/// `ngx_http_lua_conf_read_lua_token` does: braces are counted outside Lua strings, long
/// brackets and comments. Returns the offset of the closing `}`.
fn scan_lua_block(src: &[u8], from: u32) -> Result<u32, SyntaxErrorKind> {
    let n = src.len();
    let mut i = from as usize;
    let mut depth = 1u32;
    while i < n {
        match src[i] {
            b'-' if src.get(i + 1) == Some(&b'-') => {
                i += 2;
                if let Some(level) = long_bracket_open(src, i) {
                    i = long_bracket_close(src, i + level as usize + 2, level)
                        .ok_or(SyntaxErrorKind::LuaLongBracket(level as u8))?;
                } else {
                    while i < n && src[i] != b'\n' {
                        i += 1;
                    }
                }
            }
            b'[' => {
                if let Some(level) = long_bracket_open(src, i) {
                    i = long_bracket_close(src, i + level as usize + 2, level)
                        .ok_or(SyntaxErrorKind::LuaLongBracket(level as u8))?;
                } else {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                // A short string ends at its quote; an unescaped newline ends it too (Lua
                // rejects it), so a stray quote cannot swallow the rest of the block.
                let mut j = i + 1;
                let mut closed = false;
                while j < n {
                    match src[j] {
                        b'\\' => j += 2,
                        b'\n' => break,
                        c if c == q => {
                            closed = true;
                            break;
                        }
                        _ => j += 1,
                    }
                }
                i = if closed { j + 1 } else { i + 1 };
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i as u32);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Err(SyntaxErrorKind::LuaEof)
}

/// `[`, `=`*, `[` at `at`: the long bracket level (number of `=`).
fn long_bracket_open(src: &[u8], at: usize) -> Option<u32> {
    if src.get(at) != Some(&b'[') {
        return None;
    }
    let mut j = at + 1;
    while src.get(j) == Some(&b'=') {
        j += 1;
    }
    (src.get(j) == Some(&b'[')).then_some((j - at - 1) as u32)
}

/// Offset just past the `]`, `=`*level, `]` that closes a long bracket, searching from `from`.
fn long_bracket_close(src: &[u8], from: usize, level: u32) -> Option<usize> {
    let mut i = from;
    while i < src.len() {
        if src[i] == b']' {
            let mut j = i + 1;
            while src.get(j) == Some(&b'=') {
                j += 1;
            }
            if src.get(j) == Some(&b']') && (j - i - 1) as u32 == level {
                return Some(j + 1);
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token gives back the kind, span and verbatim flag it was made of, for every kind, at
    /// the smallest and largest offsets, and equal tokens are the equal triples.
    #[test]
    fn token_packs_kind_span_and_verbatim() {
        let max = MAX_SOURCE_LEN as u32;
        let spans = [
            Span::new(0, 0),
            Span::new(0, 1),
            Span::new(7, 4096),
            Span::new(max - 1, max),
            Span::new(0, max),
            Span::empty(max),
        ];
        let mut made = Vec::new();
        let kinds = &KINDS[..=TokenKind::RawBody as usize];
        for (number, &kind) in kinds.iter().enumerate() {
            assert_eq!(kind as usize, number, "{kind:?}");
        }
        for &kind in kinds {
            for span in spans {
                for verbatim in [false, true] {
                    let t = Token::new(kind, span, verbatim);
                    assert_eq!((t.kind(), t.span(), t.verbatim()), (kind, span, verbatim));
                    assert_eq!(t.is_value(), kind.is_value());
                    made.push((t, (kind, span, verbatim)));
                }
            }
        }
        for (a, x) in &made {
            for (b, y) in &made {
                assert_eq!(a == b, x == y, "{a:?} {b:?}");
            }
        }
        assert_eq!(std::mem::size_of::<Token>(), 8);
    }

    /// The unrolled scan stops where a byte-by-byte scan stops: every byte value at every
    /// position of a four-byte step and of the remainder, for each stop class.
    #[test]
    fn run_until_stops_at_the_first_stop_byte() {
        for stop in [WORD_STOP, DQ_STOP, SQ_STOP, SPACE] {
            for b in 0..=255u8 {
                for len in 0..11 {
                    for at in 0..=len {
                        let mut window = vec![b'a'; len];
                        if at < len {
                            window[at] = b;
                        }
                        let naive = window
                            .iter()
                            .position(|&c| CLASS[c as usize] & stop != 0)
                            .unwrap_or(len);
                        assert_eq!(run_until(&window, stop) as usize, naive, "{window:?}");
                    }
                }
            }
        }
    }

    /// `run_while_space` against a byte-by-byte scan: every byte after runs of every length
    /// of SP, of a line ending then SP, and of mixed whitespace, so that the byte ending the
    /// run falls at each position of an eight-byte step and of the remainder.
    #[test]
    fn run_while_space_stops_at_the_first_other_byte() {
        let starts: [&[u8]; 5] = [b"", b"\n", b"\r\n", b"\t", b" \t\n  \r"];
        for start in starts {
            for spaces in 0..20 {
                for b in 0..=255u8 {
                    for tail in [&b""[..], b"x", b"  ", b"abcdefghij"] {
                        let mut window = start.to_vec();
                        window.extend(std::iter::repeat_n(b' ', spaces));
                        window.push(b);
                        window.extend_from_slice(tail);
                        let naive = window
                            .iter()
                            .position(|&c| CLASS[c as usize] & SPACE == 0)
                            .unwrap_or(window.len());
                        assert_eq!(run_while_space(&window) as usize, naive, "{window:?}");
                    }
                }
            }
        }
    }

    fn kinds(src: &str) -> Vec<(TokenKind, String)> {
        let l = lex(src.as_bytes());
        l.tokens
            .iter()
            .map(|t| {
                (
                    t.kind(),
                    String::from_utf8_lossy(t.text(src.as_bytes())).into_owned(),
                )
            })
            .collect()
    }

    fn words(src: &str) -> Vec<String> {
        kinds(src)
            .into_iter()
            .filter(|(k, _)| k.is_value() || *k == TokenKind::RawBody)
            .map(|(_, t)| t)
            .collect()
    }

    fn errors(src: &str) -> Vec<String> {
        lex(src.as_bytes())
            .errors
            .iter()
            .map(|e| e.kind.message())
            .collect()
    }

    /// `$` and `${...}` in words and quoted strings at every offset around nginx's 4096-byte
    /// buffer boundary: the fast paths (which hand every `$` to the state machine, since it
    /// decides whether the `{` after it stays in the word) split where the state machine does,
    /// also when a window ends right after the `$`; the whitespace-free lexer the parser reads
    /// agrees.
    #[test]
    fn variables_split_alike_at_every_buffer_offset() {
        let line = "set $a x${y}z $${b} \"q$\" '${r' ${c} $ d${{e}} f$;g$\\{h} ${i\n";
        // As the state machine splits it (`ngxlint parse --format tree`).
        let expected = [
            "set", "$a", "x${y}z", "$${b}", "\"q$\"", "'${r'", "${c}", "$", "d${{e}}", "f$",
            "g$\\{h}", "${i",
        ];
        // Every offset of the line at the end of the first 4096-byte window.
        for pad in 4030..4095 {
            let src = format!("#{}\n{line}", "a".repeat(pad));
            assert_eq!(words(&src), expected, "pad {pad}");
            // The significant lexer (the parser's) reads the same values.
            let tiling = lex(src.as_bytes());
            let significant = lex_significant(src.as_bytes());
            let values = |l: &Lexed| -> Vec<Token> {
                l.tokens
                    .iter()
                    .copied()
                    .filter(|t| !t.kind().is_trivia())
                    .collect()
            };
            assert_eq!(values(&tiling), values(&significant), "pad {pad}");
            assert_eq!(tiling.errors, significant.errors, "pad {pad}");
        }
    }

    #[test]
    fn hash_inside_word_is_not_a_comment() {
        assert_eq!(
            words("a foo#bar http://h/#x;"),
            ["a", "foo#bar", "http://h/#x"]
        );
        assert_eq!(words("return 200 #c\n ok;"), ["return", "200", "ok"]);
    }

    #[test]
    fn braces_split_words_but_closing_brace_does_not() {
        assert_eq!(
            words("location /x{return 200 x;}"),
            ["location", "/x", "return", "200", "x"]
        );
        assert_eq!(words("return 200 x}"), ["return", "200", "x}"]);
        assert_eq!(words("set $a ${b}c;"), ["set", "$a", "${b}c"]);
        assert_eq!(
            words("location ~ ^/a{2}$ {"),
            ["location", "~", "^/a", "2}$"]
        );
    }

    #[test]
    fn text_after_closing_quote_is_an_error() {
        assert_eq!(errors("set $a 'x'y;"), ["unexpected \"y\""]);
        assert_eq!(errors("set $a \"x\"#c;"), ["unexpected \"#\""]);
        assert!(errors("if ($a = \"x\") { }").is_empty());
    }

    #[test]
    fn statement_after_quoted_last_argument() {
        assert_eq!(words("a \"\";b x;"), ["a", "\"\"", "b", "x"]);
        assert_eq!(words("a 'x'{b;}c;"), ["a", "'x'", "b", "c"]);
    }

    #[test]
    fn tokens_tile_input() {
        let src = "a \"b\\\"c\" 'd' # e\r\n{ f; }\r\n\tg";
        let l = lex(src.as_bytes());
        let mut at = 0;
        for t in &l.tokens {
            assert_eq!(t.span().start, at);
            at = t.span().end;
        }
        assert_eq!(at as usize, src.len());
    }

    /// The parser's reading is the tiling one minus its whitespace: same tokens, same errors.
    #[test]
    fn significant_tokens_are_the_tiling_ones_without_whitespace() {
        let long = "y".repeat(5000);
        for src in [
            "a \"b\\\"c\" 'd' # e\r\n{ f; }\r\n\tg",
            "http {\n  server { listen 80; # c\n }\n}\n",
            "content_by_lua_block { ngx.say(\"}\") }\nx 'y'z;\n}\n",
            "set $a ${b}c;\r\n\r\n  \t\n",
            &format!("a {long};\n\"unterminated"),
        ] {
            let all = lex(src.as_bytes());
            let kept = lex_significant(src.as_bytes());
            let expected: Vec<Token> = all
                .tokens
                .iter()
                .copied()
                .filter(|t| !matches!(t.kind(), TokenKind::Space | TokenKind::Newline))
                .collect();
            assert_eq!(kept.tokens, expected, "{src:?}");
            assert_eq!(kept.errors, all.errors, "{src:?}");
            assert!(all.tokens.len() > kept.tokens.len(), "{src:?}");
        }
    }

    /// A value token is verbatim exactly when it has no backslash (then its value needs no
    /// unescaping), on every fixture and on escapes at token starts, inside quotes, after a
    /// quote and after `$`.
    #[test]
    fn verbatim_is_no_backslash() {
        let mut inputs: Vec<Vec<u8>> = [
            "a \\x \"b\\\"c\" 'd\\'' e$\\f g${h}\\ i;",
            "set $a 'x'\\y; b \"\\\";\n c \\\\ d\\",
            "a \"unterminated \\",
            "a 'x'\\",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for e in walkdir::WalkDir::new(fixtures).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "conf") {
                inputs.push(std::fs::read(e.path()).unwrap());
            }
        }
        let (mut verbatim, mut escaped) = (0, 0);
        for src in &inputs {
            for t in lex(src).tokens {
                let has_backslash = t.text(src).contains(&b'\\');
                if t.is_value() {
                    assert_eq!(
                        t.verbatim(),
                        !has_backslash,
                        "{t:?} in {:?}",
                        String::from_utf8_lossy(src)
                    );
                    if t.verbatim() {
                        verbatim += 1;
                    } else {
                        escaped += 1;
                    }
                } else {
                    assert!(!t.verbatim(), "{t:?}");
                }
            }
        }
        assert!(
            verbatim > 1000 && escaped > 10,
            "{verbatim} verbatim, {escaped} escaped"
        );
    }

    #[test]
    fn lua_block_body_is_raw() {
        let src = "content_by_lua_block { -- }\n ngx.say(\"}\") local s = [==[ } ]==] }";
        assert_eq!(
            words(src),
            [
                "content_by_lua_block",
                " -- }\n ngx.say(\"}\") local s = [==[ } ]==] "
            ]
        );
        assert!(errors(src).is_empty());
    }

    #[test]
    fn too_long_word() {
        let long = "x".repeat(5000);
        let src = format!("a {long};");
        assert_eq!(
            errors(&src),
            ["too long parameter \"xxxxxxxxxx...\" started"]
        );
    }

    #[test]
    fn too_long_word_after_a_long_lua_block() {
        // The Lua body runs past nginx's 4096-byte window; the limit still applies after it.
        let body = "-- x\n".repeat(2000);
        let long = "y".repeat(5000);
        let src = format!("content_by_lua_block {{{body}}}\na {long};");
        assert_eq!(
            errors(&src),
            ["too long parameter \"yyyyyyyyyy...\" started"]
        );
    }
}
