//! `syntax-error`: every tokenizer and grammar error, in nginx's words.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::grammar::{model_grammar_errors, with_parse_errors};

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
    let mut out = Vec::new();
    // The grammar errors come from the model (it knows each directive's table entry already).
    let grammar = model_grammar_errors(cx.model);
    for ((i, file), grammar) in program.files.iter().enumerate().zip(grammar) {
        for e in with_parse_errors(file, grammar) {
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
