//! `forwarded-proto-missing` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "forwarded-proto-missing",
    summary: "TODO",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/forwarded-proto-missing.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
