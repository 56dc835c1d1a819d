//! `space-before-semicolon`: blanks between a directive's last word and its `;`
//! (`listen 80 ;`). nginx does not care; nginx's documentation writes none, and a formatter
//! removes it. A `;` on a line of its own (a long directive split over lines), a comment in
//! between and the entries of tables aligned in columns (`charset_map`, `map`, `types`) are
//! left alone.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::Context;
use crate::syntax::End;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "space-before-semicolon",
    summary: "blanks between a directive's last word and its `;`",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Style,
    default: false,
    doc: include_str!("../../rules/space-before-semicolon.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for (id, node) in (0..).zip(&model.nodes) {
        // Table entries (`charset_map`, `map`, `types`, `geo`) are often aligned in columns,
        // as nginx's own `koi-utf` and `win-utf` are: a layout, not a stray blank.
        if node.context == Context::Entries {
            continue;
        }
        let End::Semicolon(semi) = node.directive.end() else {
            continue;
        };
        let Some(last) = node.directive.values().last() else {
            continue;
        };
        let file = model.file_of(id);
        let src = &model.program.file(file).src;
        let (s, e) = (last.span().end, semi.span().start);
        if s >= e
            || !src[s as usize..e as usize]
                .iter()
                .all(|&b| b == b' ' || b == b'\t')
        {
            continue;
        }
        let span = Span { start: s, end: e };
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, span, "blank before `;`"),
                format!("blank before the `;` of `{}`", model.name(id)),
            )
            .fix(Fix::safe(
                "Delete the blank",
                vec![Edit::replace(file, span, "")],
            )),
        );
    }
    out
}
