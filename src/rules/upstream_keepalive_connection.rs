//! `upstream-keepalive-connection` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "upstream-keepalive-connection",
    summary: "TODO",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/upstream-keepalive-connection.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
