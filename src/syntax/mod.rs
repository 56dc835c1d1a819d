//! Bytes → tokens → tree. Knows nginx's tokenizer exactly and no directive names.
//!
//! | rule of `ngx_conf_read_token` | where | fixture |
//! |---|---|---|
//! | whitespace is SP, HT, CR, LF only; CRLF and mixed endings | `lexer` | `fixtures/syntax/ok/crlf.conf`, `mixed-eol.conf` |
//! | `#` starts a comment only where a token may start, also between arguments | `lexer` | `ok/hash-in-word.conf`, `ok/comment-between-args.conf` |
//! | quotes open only at a token start; `\` escapes inside and outside | `lexer`, `value` | `ok/quotes-escapes.conf` |
//! | after a closing quote only whitespace, `;`, `{`, `)` | `lexer` | `err/text-after-quote.conf` |
//! | `${var}` stays in the word; `{`/`;` end a word, `}` does not | `lexer` | `ok/variables.conf`, `err/regex-brace.conf` |
//! | `*_by_lua_block` bodies scanned as Lua | `lexer` | `ok/lua-block.conf` |
//! | 4096-byte token limit | `lexer` | `err/too-long.conf` |
//! | `unexpected "}"` at file level, EOF inside a block | `parser` | `err/extra-brace.conf`, `err/eof-in-block.conf` |

pub mod lexer;
pub mod line_index;
pub mod parser;
pub mod printer;
pub mod span;
pub mod template;
pub mod tree;
pub mod value;

pub use lexer::{SyntaxError, SyntaxErrorKind, Token, TokenKind};
pub use line_index::{LineCol, LineIndex, Lines};
pub use parser::parse;
pub use printer::print;
pub use span::Span;
pub use tree::{Block, Directive, Element, End, Head, SyntaxFile};

/// [`parse`], reading past template tags (see [`template`]) where `src` does not parse as
/// written, or is named for a template (`named_template`: ERB's `<% if %>` lines parse as
/// directives), and its masked copy parses without an error: the tree, and the masked copy
/// (`None` for a file read as written), which the model reads.
pub fn parse_reading_templates(
    src: &[u8],
    named_template: bool,
) -> (SyntaxFile, Option<template::Masked>) {
    let file = parse(src);
    if (file.errors.is_empty() && !named_template) || !template::has_tags(src) {
        return (file, None);
    }
    match template::mask(src) {
        Some(masked) => {
            let read = parse(&masked.text);
            if read.errors.is_empty() {
                (read, Some(masked))
            } else {
                (file, None)
            }
        }
        None => (file, None),
    }
}
