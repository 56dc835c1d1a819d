//! `duplicate-upstream`: two `upstream` blocks with one name (`ngx_http_upstream_add`,
//! `ngx_stream_upstream_add`: `duplicate upstream "u"`).

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

/// The blocks of a name come from the model's index of upstream names (nginx compares them
/// ignoring case), http's and stream's apart. Findings in walk order.
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for run in model.upstreams_sharing_a_name() {
        for stream in [false, true] {
            let mut blocks = run.iter().copied().filter(|&id| {
                let context = model.node(id).context;
                context
                    == if stream {
                        Context::Stream
                    } else {
                        Context::Http
                    }
            });
            let Some(first) = blocks.next() else {
                continue;
            };
            for id in blocks {
                let name = model.arg_str(id, 0).unwrap_or_default();
                out.push((
                    id,
                    Diagnostic::at_node(&RULE, model, id, format!("duplicate upstream \"{name}\""))
                        .label(Label::at_node(model, first, "first defined here"))
                        .help("nginx refuses to start; rename one of them or merge their servers"),
                ));
            }
        }
    }
    out.sort_unstable_by_key(|&(id, _)| id);
    out.into_iter().map(|(_, d)| d).collect()
}
