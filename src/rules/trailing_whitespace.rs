//! `trailing-whitespace`: spaces or tabs at the end of a line. nginx ignores them, but they
//! make diffs noisy and editors strip them in unrelated commits. Whitespace inside a quoted
//! value that spans lines is part of the value and a Lua block's body is Lua's: both are left
//! alone. The safe fix deletes the run (line endings, CRLF included, are kept).

use std::collections::BTreeMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::include::FileId;
use crate::syntax::End;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "trailing-whitespace",
    summary: "spaces or tabs at the end of a line",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Style,
    default: false,
    doc: include_str!("../../rules/trailing-whitespace.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Per file, the byte ranges whose whitespace belongs to a value: quoted values spanning
    // lines and Lua bodies.
    let mut protected: BTreeMap<FileId, Vec<(u32, u32)>> = BTreeMap::new();
    for (id, node) in (0..).zip(&model.nodes) {
        let file = model.file_of(id);
        let src = &model.program.file(file).src;
        let ranges = protected.entry(file).or_default();
        for t in node.directive.values() {
            if t.text(src).contains(&b'\n') {
                ranges.push((t.span().start, t.span().end));
            }
        }
        if model.name(id).ends_with("_by_lua_block")
            && let End::Block(b) = node.directive.end()
        {
            let end = b.close().map_or(src.len() as u32, |c| c.span().end);
            ranges.push((b.open().span().start, end));
        }
    }
    let mut out = Vec::new();
    for (file, ranges) in protected {
        let src = &model.program.file(file).src;
        let mut line_start = 0usize;
        // Line ends found by `memchr`: a loop over every byte took 4 to 6 M instructions at
        // 1 MB, by how the compiler laid it out (issue #13).
        for i in memchr::memchr_iter(b'\n', src) {
            let mut end = i;
            if end > line_start && src[end - 1] == b'\r' {
                end -= 1;
            }
            let mut start = end;
            while start > line_start && matches!(src[start - 1], b' ' | b'\t') {
                start -= 1;
            }
            line_start = i + 1;
            if start == end {
                continue;
            }
            let (s, e) = (start as u32, end as u32);
            if ranges.iter().any(|&(a, z)| a < e && s < z) {
                continue;
            }
            let span = Span { start: s, end: e };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(file, span, "trailing whitespace"),
                    "trailing whitespace".to_owned(),
                )
                .fix(Fix::safe(
                    "Delete the trailing whitespace",
                    vec![Edit::replace(file, span, "")],
                )),
            );
        }
    }
    out
}
