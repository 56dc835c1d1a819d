//! `invalid-thread-pool`: a `thread_pool` nginx refuses, or an `aio threads=NAME` naming no
//! pool (`ngx_thread_pool`, `ngx_thread_pool_init_conf`):
//!
//! - the same pool defined twice: `duplicate thread pool "io"`;
//! - `threads=` that is not a number above 0, `max_queue=` that is not a number:
//!   `invalid threads value "threads=0"`;
//! - no `threads=`: `"thread_pool" must have "threads" parameter`;
//! - `aio threads=io` with no `thread_pool io` (only `default` exists without one):
//!   `unknown thread pool "io" in nginx.conf:12`. Silent unless the program is whole.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{complete, is_nginx};

pub static RULE: Rule = Rule {
    id: "invalid-thread-pool",
    summary: "a `thread_pool` defined twice or without a valid `threads=`, or `aio threads=NAME` naming no pool (nginx: unknown thread pool)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-thread-pool.md"),
    check,
};

/// What nginx says about `thread_pool` parameters `params` (after the name): (index, message).
fn params_error(params: &[String]) -> Option<(Option<usize>, String)> {
    let mut threads = false;
    for (i, p) in params.iter().enumerate() {
        if let Some(v) = p.strip_prefix("threads=") {
            if crate::semantics::values::atoi(v.as_bytes()).is_none_or(|n| n == 0) {
                return Some((Some(i), format!("invalid threads value \"{p}\"")));
            }
            threads = true;
        } else if let Some(v) = p.strip_prefix("max_queue=")
            && crate::semantics::values::atoi(v.as_bytes()).is_none()
        {
            return Some((Some(i), format!("invalid max_queue value \"{p}\"")));
        }
    }
    (!threads).then(|| {
        (
            None,
            "\"thread_pool\" must have \"threads\" parameter".to_owned(),
        )
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut pools: HashMap<String, u32> = HashMap::new();
    for &id in model.directives_named("thread_pool") {
        if !is_nginx(model, id) {
            continue;
        }
        let Some(name) = model.arg(id, 0) else {
            continue;
        };
        let node = model.node(id);
        if let Some(&first) = pools.get(&name) {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!("duplicate thread pool \"{name}\""),
                )
                .label(Label::at_node(model, first, "first defined here"))
                .help("rename one of the pools, or keep one"),
            );
            continue;
        }
        let params: Vec<String> = (1..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        if let Some((at, message)) = params_error(&params) {
            let label = at
                .and_then(|i| node.directive.arg_tokens().nth(i + 1))
                .map_or_else(
                    || Label::at_node(model, id, ""),
                    |tok| {
                        Label::new(
                            model.file_of(id),
                            tok.span(),
                            "nginx cannot read this value",
                        )
                    },
                );
            out.push(Diagnostic::new(&RULE, label, message).help(
                "`thread_pool NAME threads=N [max_queue=N];` with N a number (threads above 0)",
            ));
            continue;
        }
        pools.insert(name, id);
    }
    if !complete(model) {
        return out;
    }
    // Every pool named by a `thread_pool`, valid or not (an invalid one was reported above).
    let declared: std::collections::HashSet<String> = model
        .directives_named("thread_pool")
        .iter()
        .filter_map(|&t| model.arg(t, 0))
        .collect();
    for &id in model.directives_named("aio") {
        if !is_nginx(model, id) {
            continue;
        }
        let Some(name) = model
            .arg(id, 0)
            .and_then(|a| a.strip_prefix("threads=").map(str::to_owned))
        else {
            continue;
        };
        if name == "default" || name.contains('$') || declared.contains(&name) {
            continue;
        }
        out.push(
            Diagnostic::at_node(&RULE, model, id, format!("unknown thread pool \"{name}\""))
                .help(format!(
                    "define it in the main context: `thread_pool {name} threads=32;` (only `default` exists without one)"
                )),
        );
    }
    out
}
