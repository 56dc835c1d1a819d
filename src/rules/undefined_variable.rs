//! `undefined-variable` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "undefined-variable",
    summary: "TODO",
    severity: Severity::Error,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/undefined-variable.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
