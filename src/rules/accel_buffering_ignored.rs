//! `accel-buffering-ignored` (being implemented).

use super::{Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "accel-buffering-ignored",
    summary: "TODO",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    doc: include_str!("../../rules/accel-buffering-ignored.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
