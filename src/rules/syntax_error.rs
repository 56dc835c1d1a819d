//! `syntax-error`: every tokenizer and grammar error, in nginx's words.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::grammar::all_syntax_errors;

pub static RULE: Rule = Rule {
    id: "syntax-error",
    summary: "nginx cannot parse this (tokenizer and grammar errors, in nginx's words)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/syntax-error.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    let contexts = program.file_contexts();
    let mut out = Vec::new();
    for (i, file) in program.files.iter().enumerate() {
        let ctx = contexts[i].unwrap_or(Context::Main);
        for e in all_syntax_errors(file, ctx) {
            let mut d = Diagnostic::new(&RULE, Label::new(i as u32, e.span, ""), e.kind.message())
                .help(e.kind.help());
            if let Some((span, text)) = e.related {
                d = d.label(Label::new(i as u32, span, text));
            }
            out.push(d);
        }
    }
    out
}
