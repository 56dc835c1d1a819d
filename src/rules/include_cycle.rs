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
        .filter(|e| matches!(e.kind, IncludeErrorKind::Cycle { .. }))
        .map(|e| {
            Diagnostic::new(&RULE, Label::new(e.file, e.span, "this include closes the cycle"), e.message(program))
                .help("remove this include or split the shared part into a file that includes nothing; nginx recurses until it crashes")
        })
        .collect()
}
