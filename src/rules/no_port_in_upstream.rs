//! `no-port-in-upstream`: `fastcgi_pass`, `grpc_pass`, `uwsgi_pass`, `scgi_pass` or
//! `memcached_pass` to a host without a port that no `upstream` block names. These modules have
//! no default port, so nginx stops when it initialises the implicit upstream
//! (`ngx_http_upstream_init_round_robin`): `no port in upstream "name"`. (`proxy_pass http://`
//! defaults to port 80 and is not concerned.) Silent unless the program is whole and starts at
//! the main context: the `upstream` may be in the part that is missing.
//!
//! In `stream`, where nothing has a default port: `proxy_pass name;` with no stream `upstream
//! name` (`ngx_stream_upstream_init_round_robin`), and a `server` without a port in a stream
//! `upstream` block (`ngx_stream_upstream_server`, unless it has `service=`).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{complete, is_nginx, url_parts};
use crate::semantics::model::Model;

pub static RULE: Rule = Rule {
    id: "no-port-in-upstream",
    summary: "`fastcgi_pass`/`grpc_pass`/`uwsgi_pass`/`scgi_pass`/`memcached_pass` to a host without a port and no such upstream (nginx: no port in upstream)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/no-port-in-upstream.md"),
    check,
};

const PASSES: &[(&str, &[&str])] = &[
    ("fastcgi_pass", &[]),
    ("grpc_pass", &["grpc://", "grpcs://"]),
    ("uwsgi_pass", &["uwsgi://", "suwsgi://"]),
    ("scgi_pass", &[]),
    ("memcached_pass", &[]),
];

/// The names of the `upstream` directives (of `context` only, when given), lowercased: nginx
/// compares a pass URL's host with them ignoring case. Built once, on the first pass without a
/// port; asking every `upstream` for each such pass was quadratic (20,000 of each in 2 MB: 6.4
/// s).
///
/// Every `upstream` line counts, with a block or not (the model's index of upstream names,
/// [`Model::upstreams_named_ignore_case`], has the blocks only), as before the set was built.
/// std's hasher is seeded per process: a configuration cannot pick colliding names.
fn upstream_names(
    model: &Model<'_>,
    context: Option<Context>,
) -> std::collections::HashSet<String> {
    model
        .directives_named("upstream")
        .iter()
        .filter(|&&u| context.is_none_or(|c| model.node(u).context == c))
        .filter_map(|&u| model.arg_str(u, 0))
        .map(|n| n.to_ascii_lowercase())
        .collect()
}

/// Stream: `server` lines of `upstream` blocks without a port, and (in a whole program)
/// `proxy_pass` to a host without a port that no stream `upstream` names.
fn stream(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("server") {
        if model.node(id).context != Context::StreamUpstream || !is_nginx(model, id) {
            continue;
        }
        let Some(addr) = model.arg(id, 0) else {
            continue;
        };
        let service = (1..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .any(|a| a.starts_with("service="));
        // A template's placeholder (`<%= public_ip4 %>:5349`, `{{ host }}`), which the
        // tokenizer cuts into several arguments: not an address nginx will read (held-out
        // batch 79, an ERB template; nginx itself stops at the first piece).
        if service
            || addr.contains('$')
            || crate::semantics::address::placeholder_host(addr.as_bytes())
        {
            continue;
        }
        if let Some((host, None, false)) = url_parts(&addr, &[])
            && !host.is_empty()
        {
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("no port in upstream \"{addr}\""))
                    .help(format!(
                        "a stream `server` has no default port: write `{addr}:PORT`"
                    )),
            );
        }
    }
    if !complete(model) {
        return out;
    }
    let stream_names = std::cell::OnceCell::new();
    for &id in model.directives_named("proxy_pass") {
        if model.node(id).context != Context::StreamServer || !is_nginx(model, id) {
            continue;
        }
        let Some(url) = model.arg(id, 0) else {
            continue;
        };
        let Some((host, None, false)) = url_parts(&url, &[]) else {
            continue;
        };
        if host.is_empty() || host.starts_with('[') {
            continue;
        }
        let names = stream_names.get_or_init(|| upstream_names(model, Some(Context::Stream)));
        if !names.contains(&host.to_ascii_lowercase()) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("no port in upstream \"{host}\""))
                    .help(if host.parse::<std::net::IpAddr>().is_ok() {
                        format!("stream `proxy_pass` has no default port: write `{host}:PORT`")
                    } else {
                        format!(
                            "stream `proxy_pass` has no default port: write `{host}:PORT`, or define `upstream {host} {{ server ...; }}` in `stream`"
                        )
                    }),
            );
        }
    }
    out
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = stream(cx);
    if !complete(model) {
        return out;
    }
    let all_names = std::cell::OnceCell::new();
    for &(directive, schemes) in PASSES {
        for &id in model.directives_named(directive) {
            if !is_nginx(model, id) {
                continue;
            }
            let Some(url) = model.arg(id, 0) else {
                continue;
            };
            let Some((host, None, _)) = url_parts(&url, schemes) else {
                continue;
            };
            if host.is_empty() || host.starts_with('[') {
                continue;
            }
            let names = all_names.get_or_init(|| upstream_names(model, None));
            if names.contains(&host.to_ascii_lowercase()) {
                continue;
            }
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("no port in upstream \"{host}\""))
                    .help(format!(
                        "`{directive}` has no default port: write `{host}:PORT`, or define `upstream {host} {{ server ...; }}`"
                    )),
            );
        }
    }
    out
}
