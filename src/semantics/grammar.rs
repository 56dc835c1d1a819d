//! The two grammar errors `ngx_conf_handler` reports once it knows the directive:
//! `directive "x" is not terminated by ";"` and `directive "x" has no opening "{"`.
//!
//! They need the directive table (is `root` a block?) and the context (the `server` of
//! `upstream {}` takes no block, the `server` of `http {}` does), so they live here rather than
//! in the context-free parser. nginx checks block-ness with the first command whose name and
//! context match; unknown names and unknown contexts are not checked (that is `unknown-directive`).

use crate::syntax::{Directive, End, SyntaxError, SyntaxErrorKind};

use super::context::Context;
use super::directives::lookup;

/// The grammar error of one directive in `context`, if any.
pub fn check_directive(src: &[u8], d: &Directive, context: Context) -> Option<SyntaxError> {
    check_named(d, &d.name(src), context)
}

/// [`check_directive`] with the directive's name already read.
fn check_named(d: &Directive, name: &[u8], context: Context) -> Option<SyntaxError> {
    let is_block = if name.ends_with(b"_by_lua_block") {
        true
    } else {
        if !context.is_checked() {
            return None;
        }
        let spec = lookup(name)
            .iter()
            .find(|s| s.contexts & context.bit() != 0)?;
        spec.is_block()
    };
    match &d.end {
        End::Block(b) if !is_block => Some(SyntaxError {
            kind: SyntaxErrorKind::NotTerminated(name.to_vec()),
            span: b.open.span,
            related: Some((d.head_span(), "this directive takes no block")),
        }),
        End::Semicolon(t) if is_block => Some(SyntaxError {
            kind: SyntaxErrorKind::NoOpeningBrace(name.to_vec()),
            span: t.span,
            related: Some((d.head_span(), "this directive needs a block")),
        }),
        _ => None,
    }
}

/// Grammar errors of every directive of one file whose top level is in `root`.
pub fn check_file(file: &crate::semantics::SourceFile, root: Context) -> Vec<SyntaxError> {
    let mut out = Vec::new();
    fn go(
        src: &[u8],
        items: &[crate::syntax::Element],
        context: Context,
        out: &mut Vec<SyntaxError>,
    ) {
        for d in items
            .iter()
            .filter_map(crate::syntax::Element::as_directive)
        {
            // The name is read once for both questions.
            let name = d.name(src);
            if let Some(e) = check_named(d, &name, context) {
                out.push(e);
            }
            if let Some(b) = d.block() {
                go(src, &b.items, context.child(&name), out);
            }
        }
    }
    go(&file.src, &file.syntax.items, root, &mut out);
    out
}

/// Every syntax error of a file: tokenizer and parser errors plus grammar errors, in order.
pub fn all_syntax_errors(file: &crate::semantics::SourceFile, root: Context) -> Vec<SyntaxError> {
    let mut errors = file.syntax.errors.clone();
    errors.extend(check_file(file, root));
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors
}
