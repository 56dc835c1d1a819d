//! `if-is-evil`: inside `if` in a `location`, only the rewrite module's own directives are
//! reliable (`return`, `rewrite ... last|redirect|permanent`, `set`, `break`); anything else
//! runs in an implicit nested location with surprising results.

use crate::semantics::location::rewrite_leaves_block;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "if-is-evil",
    summary: "a directive other than `return`, `rewrite ... last`, `set` or `break` inside `if` \
              in a location (\"if is evil\")",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: false,
    doc: include_str!("../../rules/if-is-evil.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &i in model.directives_named("if") {
        let node = model.node(i);
        let in_location = node.parent().is_some_and(|p| model.name(p) == "location");
        if !in_location {
            continue;
        }
        for &c in model.children(i) {
            let name = model.name(c);
            let safe = match name {
                "return" | "set" | "break" => true,
                "rewrite" => rewrite_leaves_block(model, c),
                _ => false,
            };
            // Not allowed (or not known) here: `invalid-context` and `unknown-directive` say so.
            if safe || model.spec(c).is_none() {
                continue;
            }
            let what = if name == "rewrite" {
                "`rewrite` without `last`, `redirect` or `permanent`".to_owned()
            } else {
                format!("`{name}`")
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                c,
                format!(
                    "{what} inside `if` in a location: when the condition holds, nginx serves \
                     the request from the `if` block as an implicit location of its own, where \
                     directives do not combine as written (with two true `if`s holding \
                     `add_header`, only the second's headers are sent) (\"If is evil\")"
                ),
            )
            .label(Label::at_node(model, i, "`if` in a location"))
            .help(
                "keep only `return`, `rewrite ... last` and `set` inside `if`; move the rest to \
                 its own `location`, or choose values with `map`",
            );
            diag.primary.text = "not reliable inside `if`".into();
            out.push(diag);
        }
    }
    out
}
