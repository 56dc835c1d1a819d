//! `invalid-parameter`: an argument an http directive's own handler refuses after the argument
//! count has passed: `proxy_cache_path` parameters (`invalid "levels"`, `keys zone ... is too
//! small`, `must have "keys_zone" parameter`), `*_cache_valid` statuses and times,
//! `limit_req_zone`/`limit_conn_zone`/`limit_req`/`limit_conn` values, `error_page` codes,
//! `return` codes, `rewrite` flags, a `try_files` `=code`, `add_header ... always`,
//! `access_log`/`open_file_cache`/`open_log_file_cache` parameters, `allow`/`deny` networks,
//! upstream `server` parameters, variable names of `map`/`geo`/`split_clients`/`set`,
//! `location` modifiers and `limit_except` methods. The checks and their nginx sources are the
//! table of `semantics::http_values`; each finding is nginx's own first message.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::args;
use crate::semantics::http_values::Env;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;
use crate::syntax::End;

pub static RULE: Rule = Rule {
    id: "invalid-parameter",
    summary: "an argument an http directive's handler refuses, such as `keys_zone=c:4k` or `return $code` (nginx: invalid parameter, invalid value...)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-parameter.md"),
    check,
};

/// Directives of an `upstream` block that leave every `server` parameter available.
const NOT_BALANCERS: &[&str] = &[
    "server",
    "zone",
    "keepalive",
    "keepalive_timeout",
    "keepalive_requests",
    "keepalive_time",
    "resolver",
    "resolver_timeout",
    "state",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let known_format = |f: &[u8]| {
        f == b"combined"
            || model.directives_named("log_format").iter().any(|&l| {
                model.node(l).context == Context::Http
                    && model
                        .arg(l, 0)
                        .is_some_and(|n| n.as_bytes().eq_ignore_ascii_case(f))
            })
    };
    for check in crate::semantics::http_values::CHECKS {
        for &name in check.directives {
            for &id in model.directives_named(name) {
                let node = model.node(id);
                let Some(spec) = node.spec else { continue };
                if !is_nginx(model, id)
                    || !spec.module.starts_with("http")
                    || !spec.exists_in(cx.version)
                    || (name == "server" && node.context != Context::HttpUpstream)
                {
                    continue;
                }
                let terminated = match &node.directive.end {
                    End::Semicolon(_) => !spec.is_block(),
                    End::Block(_) => spec.is_block(),
                    End::Missing => false,
                };
                let values = model.args(id);
                if !terminated || !args::accepts(spec.args_at(cx.version), values.len()) {
                    continue; // syntax-error or invalid-arguments, reported first
                }
                let vals: Vec<&[u8]> = values.iter().map(|v| &**v).collect();
                let env = Env {
                    name,
                    version: cx.version,
                    balancer_before: name == "server" && balancer_before(cx, id),
                    known_format: &known_format,
                };
                let Some(bad) = (check.check)(&vals, &env) else {
                    continue;
                };
                let d = match bad.arg.and_then(|i| node.directive.arg_tokens().nth(i)) {
                    Some(tok) => Diagnostic::new(
                        &RULE,
                        Label::new(node.file, tok.span, "nginx refuses this"),
                        bad.message,
                    ),
                    None => Diagnostic::at_node(&RULE, model, id, bad.message),
                };
                out.push(d.help(check.help));
            }
        }
    }
    out
}

/// Does a balancing directive come before `server` node `id` in its upstream block?
fn balancer_before(cx: &LintContext<'_>, id: NodeId) -> bool {
    let model = cx.model;
    let Some(parent) = model.node(id).parent else {
        return false;
    };
    model
        .node(parent)
        .children
        .iter()
        .take_while(|&&c| c != id)
        .any(|&c| !NOT_BALANCERS.contains(&&*model.node(c).name))
}
