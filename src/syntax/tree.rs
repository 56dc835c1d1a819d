//! The lossless syntax tree: tokens and directives with byte spans, no directive names.
//!
//! Every byte of the file belongs to exactly one token, and every token to exactly one place in
//! the tree: a block's element list, a directive's head, its terminator, or its block's braces.
//! Whitespace (`Space` and `Newline` tokens) is not stored: it is the bytes between the tokens
//! the tree keeps, recovered from the source ([`SyntaxFile::tokens`]), so that a typical line
//! costs one element instead of three (issue #13). [`super::printer::print`] walks the tree and
//! reproduces the input byte for byte.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use super::lexer::{SyntaxError, Token, TokenKind, split_whitespace};
use super::span::Span;
use super::value::token_value;

/// One item in a block (or at file level).
///
/// The directive is held in place, not boxed: almost every element is a directive (comments
/// are the rest; whitespace is not stored), so a box per statement only added an allocation
/// and a pointer to chase, and a block's directives now lie next to each other in memory, in
/// the order the model walks them (issue #13).
#[derive(Clone, Debug)]
pub enum Element {
    /// A comment, a stray `;`/`}` that the parser reported as an error, or a Lua block's raw
    /// body. Never whitespace (see the module documentation).
    Token(Token),
    Directive(Directive),
}

/// `name arg... ;` or `name arg... { ... }`.
///
/// `head` holds the name, the arguments and the comments between them (not the whitespace); it
/// ends before the terminator. Comments before the name and after the terminator belong to the
/// enclosing block.
///
/// 40 bytes, heads of up to three 8-byte tokens included (see [`Head`], [`Token`] and the size
/// test below): one is stored per statement of every file. Its span is not stored but read off
/// its first and last tokens ([`Directive::span`]), and its `;` is a position kept in the
/// head's spare bytes ([`Directive::end`]): a block pointer is all that is left beside the
/// head.
#[derive(Clone)]
pub struct Directive {
    pub head: Head,
    /// Set by the parser once the block is read ([`Directive::block`] reads it).
    pub(super) block: Option<Box<Block>>,
}

/// A directive's head tokens (name, arguments, comments between them), used as a `[Token]`.
///
/// Up to [`Head::INLINE`] tokens are stored in the directive itself, longer heads in a boxed
/// slice. Three covers the name and two arguments: 94 % of the directives of the corpus
/// (1: 14 %, 2: 57 %, 3: 23 %, 4: 3.7 %, more: 2 %) and every directive of the generated
/// configurations (2: 73 %, 3: 23 %). Inline, a head costs no allocation (a boxed head was a
/// 16 to 48-byte allocation per directive) and reading an argument follows one pointer fewer.
/// With room for two tokens instead, a directive would be 40 bytes and a quarter of them would
/// need a 24-byte box (and a pointer to follow): about as large on either, and slower.
///
/// The head also keeps where the directive's `;` is (four bytes that were padding), since the
/// terminator follows the head: a `;` is one byte, so its position is its token.
#[derive(Clone)]
pub struct Head(HeadRepr);

#[derive(Clone)]
enum HeadRepr {
    /// `tokens[..len]`; the rest are placeholders, never read.
    Inline {
        len: u8,
        /// Every token is a value (no comment among them): value `n` is token `n`.
        values_only: bool,
        semicolon: u32,
        tokens: [Token; Head::INLINE],
    },
    Heap {
        semicolon: u32,
        /// Every token is a value (no comment among them): value `n` is token `n`.
        values_only: bool,
        tokens: Box<[Token]>,
    },
}

/// No `;`: the directive ends with a block or is not terminated.
const NO_SEMICOLON: u32 = u32::MAX;

impl Head {
    /// Tokens stored in the directive itself.
    pub const INLINE: usize = 3;

    /// The head of `tokens`, ended by the `;` at `semicolon` if any.
    fn new(tokens: &[Token], semicolon: Option<u32>) -> Head {
        let semicolon = semicolon.unwrap_or(NO_SEMICOLON);
        let values_only = tokens.iter().all(|t| t.is_value());
        if tokens.len() > Head::INLINE {
            return Head(HeadRepr::Heap {
                semicolon,
                values_only,
                tokens: tokens.into(),
            });
        }
        let placeholder = Token::new(TokenKind::Space, Span::empty(0), false);
        let mut inline = [placeholder; Head::INLINE];
        inline[..tokens.len()].copy_from_slice(tokens);
        Head(HeadRepr::Inline {
            len: tokens.len() as u8,
            values_only,
            semicolon,
            tokens: inline,
        })
    }

    /// The `n`th value token (the name is 0): what `values().nth(n)` gives. Without a
    /// comment in a long head, one step: asking for each argument of a directive in turn
    /// (`valid_referers` or `server_name` with thousands of names, an `upstream`'s servers'
    /// parameters) was quadratic in its length.
    #[inline]
    pub fn nth_value(&self, n: usize) -> Option<Token> {
        let (tokens, values_only) = match &self.0 {
            HeadRepr::Inline {
                len,
                values_only,
                tokens,
                ..
            } => (&tokens[..usize::from(*len)], *values_only),
            HeadRepr::Heap {
                values_only,
                tokens,
                ..
            } => (&tokens[..], *values_only),
        };
        if values_only {
            return tokens.get(n).copied();
        }
        let mut left = n;
        for t in tokens {
            if t.is_value() {
                if left == 0 {
                    return Some(*t);
                }
                left -= 1;
            }
        }
        None
    }

    /// The `;` after the head, if the directive ends with one.
    #[inline]
    fn semicolon(&self) -> Option<Token> {
        let at = match &self.0 {
            HeadRepr::Inline { semicolon, .. } | HeadRepr::Heap { semicolon, .. } => *semicolon,
        };
        (at != NO_SEMICOLON).then(|| Token::new(TokenKind::Semicolon, Span::new(at, at + 1), false))
    }
}

impl Deref for Head {
    type Target = [Token];

    #[inline]
    fn deref(&self) -> &[Token] {
        match &self.0 {
            HeadRepr::Inline { len, tokens, .. } => &tokens[..usize::from(*len)],
            HeadRepr::Heap { tokens, .. } => tokens,
        }
    }
}

impl<'a> IntoIterator for &'a Head {
    type Item = &'a Token;
    type IntoIter = std::slice::Iter<'a, Token>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Printed as the token list it is (as the boxed slice it replaced was).
impl fmt::Debug for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// How a directive ends ([`Directive::end`]).
#[derive(Clone, Copy, Debug)]
pub enum End<'a> {
    Semicolon(Token),
    /// Kept in a box of its own: a block is 24 bytes and most directives end with `;`.
    Block(&'a Block),
    /// Not terminated (end of file, or an unexpected `}`); reported as a syntax error.
    Missing,
}

/// `{ items... }`. For `*_by_lua_block` the only item is a [`TokenKind::RawBody`] token.
///
/// 24 bytes, one per block of every file: a brace is one byte, so where the `{` is and where
/// the block ends (with whether a `}` ends it) say all its two tokens did (40 bytes with
/// them stored as tokens).
#[derive(Clone)]
pub struct Block {
    /// Exactly as long as the block (no spare capacity, no length and capacity both stored):
    /// a tree is built once and never edited.
    pub items: Box<[Element]>,
    /// Where the `{` is.
    open: u32,
    /// Where the block ends: after its `}`, or at the end of the file when it is not closed;
    /// [`Block::CLOSED`] is set when a `}` closes it (offsets fit in 29 bits, see [`Token`]).
    end: u32,
}

impl Block {
    const CLOSED: u32 = 1 << 31;

    /// The block opened by `open`, closed by `close` if the file did not end first, ending at
    /// `end` (after the `}`, or at the end of the file).
    pub fn new(open: Token, items: Box<[Element]>, close: Option<Token>, end: u32) -> Block {
        debug_assert!(open.kind() == TokenKind::LBrace && open.span().len() == 1);
        debug_assert!(
            end < Block::CLOSED,
            "offsets fit in 29 bits (MAX_SOURCE_LEN)"
        );
        debug_assert!(close.is_none_or(|c| c.kind() == TokenKind::RBrace && c.span().end == end));
        Block {
            items,
            open: open.span().start,
            end: if close.is_some() {
                end | Block::CLOSED
            } else {
                end
            },
        }
    }

    /// The `{`.
    pub fn open(&self) -> Token {
        Token::new(
            TokenKind::LBrace,
            Span::new(self.open, self.open + 1),
            false,
        )
    }

    /// The `}`; `None` when the file ended first.
    pub fn close(&self) -> Option<Token> {
        let end = self.end();
        (self.end & Block::CLOSED != 0)
            .then(|| Token::new(TokenKind::RBrace, Span::new(end - 1, end), false))
    }

    /// Where the block ends: after its `}`, or at the end of the file when it is not closed
    /// (the one end [`Directive::span`] cannot read off a token).
    pub fn end(&self) -> u32 {
        self.end & !Block::CLOSED
    }
}

/// Printed as the tokens and fields it stands for.
impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Block")
            .field("open", &self.open())
            .field("items", &self.items)
            .field("close", &self.close())
            .field("end", &self.end())
            .finish()
    }
}

/// A parsed file: its top-level elements and every syntax error found in it.
#[derive(Clone, Debug, Default)]
pub struct SyntaxFile {
    pub items: Vec<Element>,
    pub errors: Vec<SyntaxError>,
    /// What the parser counted while building `items` (`None` for a tree built otherwise).
    pub(crate) census: Option<Census>,
}

/// Counted by the parser as it builds each directive, so that loading a program need not walk
/// a file's whole tree to learn its size and whether it can include anything (most files
/// include nothing; the walk was 3 % of a large check).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Census {
    /// Directives at every depth: what [`SyntaxFile::walk`] visits.
    pub directives: u64,
    /// Directives named `include` (as nginx reads the name: quotes and escapes processed).
    pub includes: u64,
    /// Comments holding `ngxlint:` (every suppression and marker does): without one, a file's
    /// comments need not be read for them.
    pub ngxlint_comments: u64,
}

/// Does a comment's text hold `ngxlint:`?
pub(crate) fn names_ngxlint(comment: &[u8]) -> bool {
    // Each `:` and the seven bytes before it: most comments have no colon, and a searcher for
    // the whole word cost about a thousand instructions a comment to set up and run.
    memchr::memchr_iter(b':', comment).any(|i| i >= 7 && &comment[i - 7..i] == b"ngxlint")
}

impl Census {
    pub(crate) fn count(&mut self, d: &Directive, src: &[u8]) {
        self.directives += 1;
        // A name written plainly is its own value: compared as written (a quoted or escaped
        // name, `''` in a `map` say, is read the long way).
        let include = match d.name_token() {
            Some(t) if t.kind() == TokenKind::Word && t.verbatim() => t.text(src) == b"include",
            Some(_) => d.is(src, "include"),
            None => false,
        };
        self.includes += u64::from(include);
    }
}

/// Printed as the head and end it is made of.
impl fmt::Debug for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Directive")
            .field("head", &self.head)
            .field("end", &self.end())
            .finish()
    }
}

impl Directive {
    /// A directive of `head` tokens ended by a `;` token.
    pub fn with_semicolon(head: &[Token], semicolon: Token) -> Directive {
        debug_assert_eq!(semicolon.kind(), TokenKind::Semicolon);
        debug_assert_eq!(semicolon.span().len(), 1);
        Directive {
            head: Head::new(head, Some(semicolon.span().start)),
            block: None,
        }
    }

    /// A directive of `head` tokens ended by a block.
    pub fn with_block(head: &[Token], block: Block) -> Directive {
        Directive {
            head: Head::new(head, None),
            block: Some(Box::new(block)),
        }
    }

    /// A directive of `head` tokens with no terminator.
    pub fn unterminated(head: &[Token]) -> Directive {
        Directive {
            head: Head::new(head, None),
            block: None,
        }
    }

    /// How the directive ends: its `;`, its block, or nothing.
    #[inline]
    pub fn end(&self) -> End<'_> {
        match (&self.block, self.head.semicolon()) {
            (Some(b), _) => End::Block(b),
            (None, Some(t)) => End::Semicolon(t),
            (None, None) => End::Missing,
        }
    }

    /// From the name's first byte (a stray `{`'s, for the nameless block made of it) to the end
    /// of the `;` or `}`; an unclosed block runs to the end of the file, an unterminated
    /// directive ends at its last head token.
    pub fn span(&self) -> Span {
        let end = self.end();
        let start = match (self.head.first(), end) {
            (Some(first), _) => first.span().start,
            (None, End::Block(b)) => b.open().span().start,
            (None, End::Semicolon(t)) => t.span().start,
            (None, End::Missing) => 0,
        };
        let end = match end {
            End::Semicolon(t) => t.span().end,
            End::Block(b) => b.end(),
            End::Missing => self.head.last().map_or(start, |t| t.span().end),
        };
        Span::new(start, end)
    }

    /// Name and argument tokens (words and quoted strings), in order.
    pub fn values(&self) -> impl Iterator<Item = Token> + '_ {
        self.head.iter().copied().filter(|t| t.is_value())
    }

    /// The name token; `None` only for the nameless block the parser makes of a stray `{`.
    pub fn name_token(&self) -> Option<Token> {
        self.values().next()
    }

    /// The name as nginx sees it (quotes and escapes processed). Empty if nameless.
    pub fn name<'s>(&self, src: &'s [u8]) -> Cow<'s, [u8]> {
        match self.name_token() {
            Some(t) => token_value(src, t),
            None => Cow::Borrowed(b""),
        }
    }

    /// Is this directive named `name` (exact, case-sensitive, as nginx compares)?
    pub fn is(&self, src: &[u8], name: &str) -> bool {
        self.name(src).as_ref() == name.as_bytes()
    }

    /// Argument tokens (without the name).
    pub fn arg_tokens(&self) -> impl Iterator<Item = Token> + '_ {
        self.values().skip(1)
    }

    /// Argument values as nginx sees them.
    pub fn args<'s>(&'s self, src: &'s [u8]) -> impl Iterator<Item = Cow<'s, [u8]>> + 's {
        self.arg_tokens().map(move |t| token_value(src, t))
    }

    /// Comments between the name and the terminator.
    pub fn head_comments(&self) -> impl Iterator<Item = Token> + '_ {
        self.head
            .iter()
            .copied()
            .filter(|t| t.kind() == TokenKind::Comment)
    }

    #[inline]
    pub fn block(&self) -> Option<&Block> {
        self.block.as_deref()
    }

    pub fn block_mut(&mut self) -> Option<&mut Block> {
        self.block.as_deref_mut()
    }

    /// Child directives of the block (empty for a simple directive or a Lua block).
    pub fn children(&self) -> impl Iterator<Item = &Directive> {
        self.block()
            .into_iter()
            .flat_map(|b| b.items.iter())
            .filter_map(Element::as_directive)
    }

    /// The raw body of a `*_by_lua_block`.
    pub fn raw_body(&self) -> Option<Token> {
        self.block()?.items.iter().find_map(|e| match e {
            Element::Token(t) if t.kind() == TokenKind::RawBody => Some(*t),
            _ => None,
        })
    }

    /// The span of the head: name to last argument (what a "this directive" caret points at).
    pub fn head_span(&self) -> Span {
        // The first value from the front, the last from the back: no walk over the middle.
        let head: &[Token] = &self.head;
        match head.iter().find(|t| t.is_value()) {
            Some(first) => {
                let last = head.iter().rfind(|t| t.is_value()).unwrap_or(first);
                first.span().cover(last.span())
            }
            None => Span::empty(self.span().start),
        }
    }

    /// Byte offset right after the head's last value token.
    pub fn terminator_span(&self) -> Option<Span> {
        match self.end() {
            End::Semicolon(t) => Some(t.span()),
            End::Block(b) => Some(b.open().span()),
            End::Missing => None,
        }
    }
}

impl Element {
    pub fn as_directive(&self) -> Option<&Directive> {
        match self {
            Element::Directive(d) => Some(d),
            Element::Token(_) => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Element::Token(t) => t.span(),
            Element::Directive(d) => d.span(),
        }
    }
}

impl SyntaxFile {
    /// Top-level directives.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.items.iter().filter_map(Element::as_directive)
    }

    /// Every token in source order, walking the tree (not the lexer output): the tokens it
    /// keeps, and the whitespace between them recovered from `src` exactly as the lexer splits
    /// it.
    pub fn tokens(&self, src: &[u8]) -> Vec<Token> {
        struct Out<'s> {
            src: &'s [u8],
            at: u32,
            tokens: Vec<Token>,
        }
        impl Out<'_> {
            fn push(&mut self, t: Token) {
                let tokens = &mut self.tokens;
                split_whitespace(self.src, self.at, t.span().start, |w| tokens.push(w));
                self.tokens.push(t);
                self.at = t.span().end;
            }
        }
        fn walk_items(items: &[Element], out: &mut Out<'_>) {
            for e in items {
                match e {
                    Element::Token(t) => out.push(*t),
                    Element::Directive(d) => walk_directive(d, out),
                }
            }
        }
        fn walk_directive(d: &Directive, out: &mut Out<'_>) {
            for &t in d.head.iter() {
                out.push(t);
            }
            match d.end() {
                End::Semicolon(t) => out.push(t),
                End::Block(b) => {
                    out.push(b.open());
                    walk_items(&b.items, out);
                    if let Some(c) = b.close() {
                        out.push(c);
                    }
                }
                End::Missing => {}
            }
        }
        let mut out = Out {
            src,
            at: 0,
            tokens: Vec::with_capacity(src.len() / 4),
        };
        walk_items(&self.items, &mut out);
        let tokens = &mut out.tokens;
        split_whitespace(src, out.at, src.len() as u32, |w| tokens.push(w));
        out.tokens
    }

    /// For tests: the parser's [`Census`] is what a walk of the tree counts.
    #[doc(hidden)]
    pub fn census_agrees(&self, src: &[u8]) -> bool {
        let mut walked = Census::default();
        self.walk(|d, _| {
            walked.directives += 1;
            walked.includes += u64::from(d.is(src, "include"));
        });
        walked.ngxlint_comments = self
            .tokens(src)
            .iter()
            .filter(|t| t.kind() == TokenKind::Comment && names_ngxlint(t.text(src)))
            .count() as u64;
        self.census.is_none_or(|c| c == walked)
    }

    /// May a comment of this file hold `ngxlint:` (a suppression or a marker)? `false` only
    /// when the parser counted none.
    pub fn may_have_ngxlint_comments(&self) -> bool {
        self.census.is_none_or(|c| c.ngxlint_comments > 0)
    }

    /// Depth-first, pre-order walk over every directive with its depth (0 = top level).
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Directive, usize)) {
        fn go<'a>(items: &'a [Element], depth: usize, f: &mut dyn FnMut(&'a Directive, usize)) {
            for e in items {
                if let Element::Directive(d) = e {
                    f(d, depth);
                    if let Some(b) = d.block() {
                        go(&b.items, depth + 1, f);
                    }
                }
            }
        }
        go(&self.items, 0, &mut f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree costs a directive, an element and a head token per statement: their sizes are
    /// the memory per byte of input (issue #13), so growing them is a decision, not an accident.
    #[test]
    fn node_sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<Token>(), 8);
        assert_eq!(size_of::<End<'_>>(), 16);
        assert_eq!(size_of::<Head>(), 32);
        assert_eq!(size_of::<Directive>(), 40);
        // The element's tag lives in a niche of the directive: no byte more.
        assert_eq!(size_of::<Element>(), 40);
        assert_eq!(size_of::<Block>(), 24);
    }

    /// The `n`th value of a head, short or long, with comments among the values or not, is
    /// the one the values give in turn.
    #[test]
    fn nth_value_is_the_values_nth() {
        let src = "a;\nb 1 2;\nc 1 2 3 4 5;\nd 1 # x\n 2 3 # y\n 4 5;\ne # z\n 1;\n";
        let file = crate::syntax::parse(src.as_bytes());
        let mut heads = 0;
        file.walk(|d, _| {
            heads += 1;
            let values: Vec<Token> = d.values().collect();
            for n in 0..values.len() + 2 {
                assert_eq!(
                    d.head.nth_value(n).map(|t| t.span()),
                    values.get(n).map(|t| t.span()),
                    "{n}"
                );
            }
        });
        assert_eq!(heads, 5);
    }

    /// A directive's end is the `;` the parser read (kind, one-byte span at its place, also
    /// after a long head kept in a box), its block, or nothing.
    #[test]
    fn directive_ends() {
        let src = "a;\nb 1 2 3 4 ;\nc { d 1; }\ne 1 # x\n}\nf 1";
        let file = crate::syntax::parse(src.as_bytes());
        let mut ends = Vec::new();
        file.walk(|d, _| {
            ends.push(match d.end() {
                End::Semicolon(t) => {
                    assert_eq!(t.kind(), TokenKind::Semicolon);
                    format!(";@{}", t.span().start)
                }
                End::Block(b) => format!("{{}}@{}", b.open().span().start),
                End::Missing => "-".to_owned(),
            })
        });
        assert_eq!(ends, [";@1", ";@13", "{}@17", ";@22", "-", "-"]);
        for (at, c) in [(1, ';'), (13, ';'), (17, '{'), (22, ';')] {
            assert_eq!(src.as_bytes()[at], c as u8);
        }
    }

    /// A directive's span, read off its tokens, covers what the parser read for it: name to
    /// `;` or `}`, a stray `{`'s nameless block from the brace, an unclosed block to the end
    /// of the file, an unterminated directive to its last value.
    #[test]
    fn directive_spans() {
        fn spans(src: &str) -> Vec<&str> {
            fn walk<'s>(items: &[Element], src: &'s str, out: &mut Vec<&'s str>) {
                for d in items.iter().filter_map(Element::as_directive) {
                    out.push(&src[d.span().range()]);
                    if let Some(b) = d.block() {
                        walk(&b.items, src, out);
                    }
                }
            }
            let file = crate::syntax::parse(src.as_bytes());
            let mut out = Vec::new();
            walk(&file.items, src, &mut out);
            out
        }
        assert_eq!(
            spans("a 1;  b { c # x\n ; }\n"),
            ["a 1;", "b { c # x\n ; }", "c # x\n ;"]
        );
        assert_eq!(spans("{ a; }"), ["{ a; }", "a;"]);
        assert_eq!(spans("http { a 1 }  "), ["http { a 1 }", "a 1"]);
        assert_eq!(spans("http { a;  \n"), ["http { a;  \n", "a;"]);
        assert_eq!(spans("a 1  # c\n"), ["a 1"]);
    }
}
