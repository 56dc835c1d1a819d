//! `inherited-headers-dropped` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "inherited-headers-dropped",
    summary: "TODO",
    severity: Severity::Error,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/inherited-headers-dropped.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
