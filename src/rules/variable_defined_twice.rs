//! `variable-defined-twice`: two `map`, `geo` or `split_clients` blocks define the same
//! variable. nginx accepts it without a word and keeps the last definition for every use of the
//! variable (each block sets the variable's handler again: `ngx_http_map_block`,
//! `ngx_http_geo_block`), so the earlier block is never read (held-out batch 462, a bot
//! blocker's `geo $bad_referer` after its `map $http_referer $bad_referer`: measured with nginx
//! 1.22.1, a blacklisted referrer got 200; batch 454, Ozone's second `map ... $forwarded_proto`
//! dropping the client's `X-Forwarded-Proto`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::NodeId;
use crate::semantics::variables::block_variable_arg;

pub static RULE: Rule = Rule {
    id: "variable-defined-twice",
    summary: "two `map`, `geo` or `split_clients` blocks define the same variable: nginx keeps \
              the last for every use, and the earlier is never read",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/variable-defined-twice.md"),
    check,
};

/// The blocks that define a variable ([`block_variable_arg`] names it).
const DEFINERS: &[&str] = &["map", "geo", "split_clients"];

/// The variable block `b` defines, lowercased (nginx's variable names are not case-sensitive),
/// without its `$`; `None` for a name a template fills or one nginx would refuse.
fn defined(cx: &LintContext<'_>, b: NodeId) -> Option<String> {
    let model = cx.model;
    let i = block_variable_arg(model.name(b), model.arg_count(b))?;
    let name = model.arg(b, i)?;
    let name = name.strip_prefix('$')?;
    (!name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'))
        .then(|| name.to_ascii_lowercase())
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // (stream or http, name) → the blocks defining it, in the configuration's order.
    let mut by_name: foldhash::HashMap<(bool, String), Vec<NodeId>> = Default::default();
    for name in DEFINERS {
        for &b in cx.directives_named(name) {
            if model.node(b).directive.block().is_none() {
                continue;
            }
            let stream = model.node(b).context.is_stream();
            if let Some(var) = defined(cx, b) {
                by_name.entry((stream, var)).or_default().push(b);
            }
        }
    }
    let mut groups: Vec<((bool, String), Vec<NodeId>)> =
        by_name.into_iter().filter(|(_, v)| v.len() > 1).collect();
    groups.sort_unstable_by_key(|(_, v)| v.iter().copied().min());
    for ((_, var), mut blocks) in groups {
        blocks.sort_unstable();
        let Some((&last, earlier)) = blocks.split_last() else {
            continue;
        };
        let (file, line) = model.location(last);
        for &b in earlier {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    b,
                    format!(
                        "this `{}` defines `${var}`, and `{} ... ${var}` ({file}:{line}) defines \
                         it again: nginx keeps the last definition for every use of `${var}`, \
                         so this block is never read",
                        model.name(b),
                        model.name(last),
                    ),
                )
                .label(Label::at_node(model, last, "the definition nginx keeps"))
                .help(format!(
                    "give one of the two another variable name, or merge their entries into one \
                     block; a `map` can read the other's variable as its source (`map \
                     $first ${var} {{ ... }}`)"
                )),
            );
        }
    }
    out
}
