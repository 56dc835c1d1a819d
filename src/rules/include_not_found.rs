//! `include-not-found`: an `include` of a plain path that does not exist or cannot be read.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::include::IncludeErrorKind;

pub static RULE: Rule = Rule {
    id: "include-not-found",
    summary: "an included file does not exist or cannot be read",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/include-not-found.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let program = cx.model.program;
    program
        .include_errors
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. }
            )
        })
        .map(|e| {
            Diagnostic::new(&RULE, Label::new(e.file, e.span, "included here"), e.message(program)).help(
                "relative include paths are resolved against the directory of the main configuration \
                 file (nginx's conf prefix), not the including file; use a glob (`conf.d/*.conf`) if \
                 the file may be absent",
            )
        })
        .collect()
}
