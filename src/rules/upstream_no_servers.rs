//! `upstream-no-servers`: an `upstream` nginx cannot balance over (http, and stream whose
//! `ngx_stream_upstream` and `ngx_stream_upstream_init_round_robin` make the same checks):
//!
//! - no `server` in it: `no servers are inside upstream` (`ngx_http_upstream`, when the block
//!   closes, src/http/ngx_http_upstream.c);
//! - only `backup` servers (round robin, no other method): `no servers in upstream "NAME"`
//!   (`ngx_http_upstream_init_round_robin`, when the `http` block closes).
//!
//! Silent when the block holds anything else that could bring servers (a third-party or NGINX
//! Plus directive, an include that found nothing).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "upstream-no-servers",
    summary: "an `upstream` without a `server`, or with only `backup` ones (nginx: no servers are inside upstream)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/upstream-no-servers.md"),
    check,
};

/// Directives of nginx's upstream block that bring no servers.
const SETTINGS: &[&str] = &[
    "zone",
    "keepalive",
    "keepalive_requests",
    "keepalive_time",
    "keepalive_timeout",
    "resolver",
    "resolver_timeout",
];

/// Load-balancing methods (each replaces round robin's checks with its own).
const METHODS: &[&str] = &[
    "hash",
    "ip_hash",
    "least_conn",
    "random",
    "least_time",
    "sticky",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("upstream") {
        let node = model.node(id);
        // Stream upstreams make the same two checks (`ngx_stream_upstream`,
        // `ngx_stream_upstream_init_round_robin`).
        if !matches!(node.context, Context::Http | Context::Stream) || !is_nginx(model, id) {
            continue;
        }
        let Some(name) = model.arg_str(id, 0) else {
            continue;
        };
        let children = model.children(id);
        let unknown = children.iter().any(|&c| {
            let n = model.name(c);
            if n == "include" {
                // An include that read nothing here may hold servers where nginx runs.
                let inc = model.node(c);
                return model
                    .program
                    .included(model.file_of(c), inc.directive)
                    .is_empty();
            }
            !is_nginx(model, c) || !(n == "server" || SETTINGS.contains(&n) || METHODS.contains(&n))
        });
        if unknown {
            continue;
        }
        let servers: Vec<NodeId> = children
            .iter()
            .copied()
            .filter(|&c| model.name(c) == "server")
            .collect();
        let (message, help) = if servers.is_empty() {
            (
                "no servers are inside upstream".to_owned(),
                "add a `server ADDRESS;` line, or remove the upstream",
            )
        } else if !children.iter().any(|&c| METHODS.contains(&model.name(c)))
            && servers.iter().all(|&s| model.has_param(s, "backup"))
        {
            (
                format!("no servers in upstream \"{name}\""),
                "backup servers only take requests when a primary one fails: make at least one server a primary (drop `backup`)",
            )
        } else {
            continue;
        };
        out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
    }
    out
}
