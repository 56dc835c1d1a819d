//! `duplicate-upstream`: two `upstream` blocks with one name (`ngx_http_upstream_add`,
//! `ngx_stream_upstream_add`: `duplicate upstream "u"`).

use foldhash::{HashMap, HashMapExt};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "duplicate-upstream",
    summary: "two `upstream` blocks with the same name (nginx: duplicate upstream)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-upstream.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen: HashMap<(bool, String), u32> = HashMap::new();
    for &id in model.directives_named("upstream") {
        let node = model.node(id);
        let stream = match node.context {
            Context::Http => false,
            Context::Stream => true,
            _ => continue,
        };
        if node.directive.block().is_none() {
            continue;
        }
        let Some(name) = model.arg_str(id, 0) else {
            continue;
        };
        // nginx compares upstream names caselessly.
        let key = (stream, name.to_ascii_lowercase());
        match seen.get(&key) {
            None => {
                seen.insert(key, id);
            }
            Some(&first) => {
                out.push(
                    Diagnostic::at_node(&RULE, model, id, format!("duplicate upstream \"{name}\""))
                        .label(Label::at_node(model, first, "first defined here"))
                        .help("nginx refuses to start; rename one of them or merge their servers"),
                );
            }
        }
    }
    out
}
