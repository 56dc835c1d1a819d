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
    check_named(d, &d.name(src), context, false)
}

/// [`check_directive`] with the directive's name already read.
///
/// `recovering`: the file has a syntax error already, so the blocks around `d` may be what
/// the parser's recovery made of them (a `server` inside a `server` after a stray brace), in
/// no context nginx checks. There a name that is a block in no context at all opening a
/// block is still nginx's `not terminated` error (`proxy_pass http://localhost:{$PORT};`
/// after an earlier `root {$x};`, held-out batch 119), whatever the context.
fn check_named(
    d: &Directive,
    name: &[u8],
    context: Context,
    recovering: bool,
) -> Option<SyntaxError> {
    let is_block = if name.ends_with(b"_by_lua_block") {
        true
    } else {
        let specs = lookup(name);
        let spec = context
            .is_checked()
            .then(|| specs.iter().find(|s| s.contexts & context.bit() != 0))
            .flatten();
        match spec {
            Some(spec) => spec.is_block(),
            None if recovering && !specs.is_empty() && specs.iter().all(|s| !s.is_block()) => false,
            None => return None,
        }
    };
    match d.end() {
        End::Block(b) if !is_block => Some(SyntaxError {
            kind: SyntaxErrorKind::NotTerminated(name.to_vec()),
            span: b.open().span(),
            related: Some((d.head_span(), "this directive takes no block")),
        }),
        End::Semicolon(t) if is_block => Some(SyntaxError {
            kind: SyntaxErrorKind::NoOpeningBrace(name.to_vec()),
            span: t.span(),
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
        recovering: bool,
    ) {
        for d in items
            .iter()
            .filter_map(crate::syntax::Element::as_directive)
        {
            // The name is read once for both questions.
            let name = d.name(src);
            if let Some(e) = check_named(d, &name, context, recovering) {
                out.push(e);
            }
            if let Some(b) = d.block() {
                go(src, &b.items, context.child(&name), out, recovering);
            }
        }
    }
    let recovering = !file.syntax.errors.is_empty();
    go(
        file.model_src(),
        &file.syntax.items,
        root,
        &mut out,
        recovering,
    );
    out
}

/// The grammar errors of every file of `model`'s program, by file id: what [`check_file`] finds
/// for each file in the context [`crate::semantics::Program::file_contexts`] gives it, read off
/// the model instead of walking the files again.
///
/// The model already did the work: its walk is the program's walk (same order, same includes),
/// so the first expansion of a file is the one in the context of its first include site, and
/// each of those nodes carries the table entry nginx uses there (`spec`, found by name and
/// context exactly as [`check_named`] finds it). A file the model never reached (or reached
/// with no directive) is walked as before, at the context `file_contexts` gives it.
pub fn model_grammar_errors(model: &super::model::Model<'_>) -> Vec<Vec<SyntaxError>> {
    let program = model.program;
    let mut out: Vec<Vec<SyntaxError>> = vec![Vec::new(); program.files.len()];
    // Per file: the `include` its first expansion came through (`Some(None)` for the main
    // file's own walk), once its first node is met.
    let mut first_via: Vec<Option<Option<super::model::NodeId>>> = vec![None; program.files.len()];
    for (id, node) in (0..).zip(&model.nodes) {
        let (file, reached_via) = (model.file_of(id), model.included_via(id));
        if *first_via[file as usize].get_or_insert(reached_via) != reached_via {
            continue; // a later expansion of the file, in another context or site
        }
        let recovering = || !program.file(file).syntax.errors.is_empty();
        let is_block = if model.name(id).ends_with("_by_lua_block") {
            true
        } else {
            match model.spec(id) {
                // `spec` is only set in checked contexts, with the entry whose context matches.
                Some(spec) => spec.is_block(),
                // In a file with a syntax error, what the recovery made of its blocks: a
                // directive that is never a block opening one is still an error (below).
                None if matches!(node.directive.end(), End::Block(_)) && recovering() => false,
                None => continue,
            }
        };
        // Cheap test first: a block where one is expected, a `;` where none is.
        let mismatch = match node.directive.end() {
            End::Block(_) => !is_block,
            End::Semicolon(_) => is_block,
            End::Missing => false,
        };
        if !mismatch {
            continue;
        }
        let name = node.directive.name(program.file(file).model_src());
        if let Some(e) = check_named(node.directive, &name, node.context, recovering()) {
            out[file as usize].push(e);
        }
    }
    let mut contexts = None;
    for (i, seen) in first_via.iter().enumerate() {
        if seen.is_none() {
            let contexts = contexts.get_or_insert_with(|| program.file_contexts());
            let root = contexts[i].unwrap_or(Context::Main);
            out[i] = check_file(program.file(i as super::FileId), root);
        }
    }
    out
}

/// Every syntax error of a file: tokenizer and parser errors plus grammar errors, in order.
pub fn all_syntax_errors(file: &crate::semantics::SourceFile, root: Context) -> Vec<SyntaxError> {
    with_parse_errors(file, check_file(file, root))
}

/// The tokenizer and parser errors of `file` merged with its `grammar` errors, in order.
pub fn with_parse_errors(
    file: &crate::semantics::SourceFile,
    grammar: Vec<SyntaxError>,
) -> Vec<SyntaxError> {
    let mut errors = file.syntax.errors.clone();
    errors.extend(grammar);
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors
}
