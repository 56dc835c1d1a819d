//! `gzip-event-stream` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "gzip-event-stream",
    summary: "TODO",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/gzip-event-stream.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
