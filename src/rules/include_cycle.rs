//! `include-cycle`: a file that includes itself, directly or through others.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::include::IncludeErrorKind;

pub static RULE: Rule = Rule {
    id: "include-cycle",
    summary: "files include each other in a cycle (nginx -t crashes on this)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/include-cycle.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    program
        .include_errors
        .iter()
        .filter_map(|e| match e.kind {
            IncludeErrorKind::Cycle { .. } => Some(
            Diagnostic::new(&RULE, Label::new(e.file, e.span, "this include closes the cycle"), e.message(program))
                .help("remove this include or split the shared part into a file that includes nothing; nginx recurses until it crashes")),
            IncludeErrorKind::Expansion { .. } => Some(
            Diagnostic::new(&RULE, Label::new(e.file, e.span, "includes from here reach the same files again and again"), e.message(program))
                .help("include each shared file from one place; a glob such as `conf.d/*.conf` inside the files it matches includes them all again")),
            _ => None,
        })
        .collect()
}
