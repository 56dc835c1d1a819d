//! `upstream-with-port`: `proxy_pass http://name:81` (or `fastcgi_pass name:9000`...) where
//! `name` is an `upstream` block. An upstream block lists its servers' ports itself, so nginx
//! refuses a port on its name (`ngx_http_upstream_add`): `upstream "name" may not have port 81`,
//! whichever comes first in the file. The same in `stream` (`ngx_stream_upstream_add`), where
//! `proxy_pass name:9000` names a stream `upstream`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{is_nginx, url_parts};
use crate::semantics::model::{Model, NodeId};
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    id: "upstream-with-port",
    summary: "a port on the name of an `upstream` block in `proxy_pass` and the other `*_pass` directives (nginx: upstream may not have port)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/upstream-with-port.md"),
    check,
};

const PASSES: &[(&str, &[&str])] = &[
    ("proxy_pass", &["http://", "https://"]),
    ("fastcgi_pass", &[]),
    ("grpc_pass", &["grpc://", "grpcs://"]),
    ("uwsgi_pass", &["uwsgi://", "suwsgi://"]),
    ("scgi_pass", &[]),
    ("memcached_pass", &[]),
];

/// name (lowercase, as nginx compares) → the first `upstream` block of that name in `context`.
fn upstreams_by_name(model: &Model<'_>, context: Context) -> HashMap<String, NodeId> {
    let mut upstreams = HashMap::new();
    for &u in model.directives_named("upstream") {
        if model.node(u).context == context
            && let Some(n) = model.arg(u, 0)
        {
            upstreams.entry(n.to_ascii_lowercase()).or_insert(u);
        }
    }
    upstreams
}

fn finding(
    model: &Model<'_>,
    id: NodeId,
    up: NodeId,
    host: &str,
    port: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::at_node(
        &RULE,
        model,
        id,
        format!("upstream \"{host}\" may not have port {port}"),
    )
    .label(Label::at_node(model, up, "the upstream block"))
    .help(format!(
        "drop the port (`{host}`): the upstream's `server` lines give the ports"
    ))
}

/// Stream `proxy_pass name:port` where `name` is a stream `upstream` block.
fn stream(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut upstreams = None;
    let mut out = Vec::new();
    for &id in cx.directives_named("proxy_pass") {
        if model.node(id).context != Context::StreamServer || !is_nginx(model, id) {
            continue;
        }
        let Some(url) = model.arg_str(id, 0) else {
            continue;
        };
        let Some((host, Some(port), false)) = url_parts(&url, &[]) else {
            continue;
        };
        let Some(port) = crate::semantics::values::atoi(port.as_bytes()) else {
            continue;
        };
        let upstreams = upstreams.get_or_insert_with(|| upstreams_by_name(model, Context::Stream));
        let Some(&up) = upstreams.get(&host.to_ascii_lowercase()) else {
            continue;
        };
        out.push(finding(model, id, up, host, port));
    }
    out
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Built at the first URL with a port (most have none: no upstream needs looking up).
    let mut upstreams = None;
    let mut out = stream(cx);
    for &(directive, schemes) in PASSES {
        for &id in cx.directives_named(directive) {
            let node = model.node(id);
            if !is_nginx(model, id)
                || matches!(node.context, Context::Stream | Context::StreamServer)
            {
                continue;
            }
            let Some(url) = model.arg_str(id, 0) else {
                continue;
            };
            let Some((host, Some(port), _)) = url_parts(&url, schemes) else {
                continue;
            };
            let upstreams =
                upstreams.get_or_insert_with(|| upstreams_by_name(model, Context::Http));
            let Some(&up) = upstreams.get(&host.to_ascii_lowercase()) else {
                continue;
            };
            out.push(finding(model, id, up, host, port));
        }
    }
    out
}
