//! `map-without-default`: a `map` or `geo` with several entries and no `default`: a value that
//! matches none gives an empty string, which is rarely what the author meant.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "map-without-default",
    summary: "a `map` or `geo` has no `default`, so unmatched values give an empty string",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/map-without-default.md"),
    check,
};

const NOT_ENTRIES: &[&str] = &[
    "hostnames",
    "volatile",
    "include",
    "proxy",
    "proxy_recursive",
    "ranges",
    "delete",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for block in ["map", "geo"] {
        for &m in model.directives_named(block) {
            let node = model.node(m);
            if node.directive.block().is_none() {
                continue;
            }
            let entries = model
                .children(m)
                .iter()
                .filter(|&&e| !NOT_ENTRIES.contains(&model.name(e)))
                .count();
            let has_default = !model.children_named_slice(Some(m), "default").is_empty();
            // A map with one entry is a switch, empty otherwise on purpose (gixy agrees).
            if has_default || entries == 0 || (block == "map" && entries == 1) {
                continue;
            }
            // An include nginx could not read might hold the default.
            if model.include_failed_at(Some(m)) {
                continue;
            }
            let n = model.arg_count(m);
            let var = model.arg(m, n.saturating_sub(1)).unwrap_or_default();
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                m,
                format!(
                    "`{block}` for `{var}` has no `default`: a value no entry matches makes \
                     `{var}` empty, and code that uses it gets an empty string"
                ),
            )
            .help("add `default <value>;` stating what unmatched requests get (even `\"\"`)");
            diag.primary.text = "no default".into();
            out.push(diag);
        }
    }
    out
}
