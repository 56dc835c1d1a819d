//! `suppression-reason-missing`: an `# ngxlint: ignore ...` comment without `-- <reason>`.
//!
//! Produced by the lint pipeline (`crate::suppress::apply`), which reads the suppressions.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "suppression-reason-missing",
    summary: "an `# ngxlint: ignore` comment without `-- <reason>`",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Style,
    default: true,
    doc: include_str!("../../rules/suppression-reason-missing.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
