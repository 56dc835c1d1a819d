//! `buffering-on-streaming` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "buffering-on-streaming",
    summary: "TODO",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/buffering-on-streaming.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
