//! `unknown-directive`: a name nginx does not know (in any module, or in the target version).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity, edit_distance};
use crate::semantics::directives::{lookup, nginx_directives, third_party};

pub static RULE: Rule = Rule {
    id: "unknown-directive",
    summary: "directive not known to nginx (or not in the target nginx version)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/unknown-directive.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut suggestions: std::collections::HashMap<Box<str>, Option<&'static str>> =
        std::collections::HashMap::new();
    for (id, node) in model.nodes.iter().enumerate() {
        // Only where nginx itself would look the name up: known contexts with directives in
        // them (not map/types entries, not third-party blocks).
        if !node.context.is_checked() || node.name.ends_with("_by_lua_block") {
            continue;
        }
        let specs = lookup(node.name.as_bytes());
        let id = id as u32;
        if cx
            .settings
            .known_directives
            .iter()
            .any(|k| **k == *node.name)
        {
            continue;
        }
        if specs.is_empty() {
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                id,
                format!("unknown directive \"{}\"", node.name),
            );
            // One suggestion per distinct name: a file of thousands of unknown directives
            // must not compare each against every known name again.
            let suggested = *suggestions
                .entry(node.name.clone())
                .or_insert_with(|| suggestion(&node.name));
            if let Some(s) = suggested {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help("if it comes from a third-party module, load that module (`load_module`) or list it under `known_directives`");
            }
            out.push(d);
            continue;
        }
        if specs.iter().all(|s| !s.exists_in(cx.version)) {
            let s = specs[0];
            let why = match s.removed {
                Some(r) if r <= cx.version => format!("it was removed in nginx {r}"),
                _ => format!("it appeared in nginx {}", s.since),
            };
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!(
                        "unknown directive \"{}\" in nginx {} ({why})",
                        node.name, cx.version
                    ),
                )
                .help("set --nginx-version to the version you run, or change the directive"),
            );
        }
    }
    out
}

/// The closest known name within two edits (`proxy_bufering` → `proxy_buffering`).
fn suggestion(name: &str) -> Option<&'static str> {
    let limit = if name.len() <= 5 { 1 } else { 2 };
    let len = name.chars().count();
    nginx_directives()
        .chain(third_party::DIRECTIVES)
        // The distance is at least the difference in length: skip hopeless candidates.
        .filter(|s| s.name.len().abs_diff(len) <= limit)
        .map(|s| (edit_distance(name, s.name), s.name))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n)
}
