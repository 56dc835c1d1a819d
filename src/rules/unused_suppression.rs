//! `unused-suppression`: an `# ngxlint: ignore ...` comment that suppresses nothing.
//!
//! Whether a suppression was used is only known after every other rule ran, so the lint
//! pipeline (`crate::suppress::apply`) produces these findings; `check` has nothing to add.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "unused-suppression",
    summary: "an `# ngxlint: ignore` comment that suppresses nothing (or names an unknown rule)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Style,
    default: true,
    doc: include_str!("../../rules/unused-suppression.md"),
    check,
};

fn check(_cx: &LintContext<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
