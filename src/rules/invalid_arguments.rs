//! `invalid-arguments` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "invalid-arguments",
    summary: "TODO",
    severity: Severity::Error,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-arguments.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
