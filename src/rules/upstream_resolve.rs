//! `upstream-resolve`: `server ... resolve` and `service=` in an http or stream `upstream` as nginx
//! (1.27.3+, where they came to nginx itself) refuses them:
//!
//! - while it reads the `server` line (`ngx_http_upstream_server`, src/http/ngx_http_upstream.c):
//!   `service upstream "NAME" requires "resolve" parameter`, `service upstream "NAME" may not
//!   have port`, `service upstream "NAME" requires domain name`;
//! - when the `http` block closes (`ngx_http_upstream_init_round_robin`,
//!   src/http/ngx_http_upstream_round_robin.c): a name resolved at run time needs the upstream
//!   in shared memory (`zone`), `resolving names at run time requires upstream "NAME" ... to
//!   be in shared memory`, and a `resolver` in the upstream or at the http level (one in a
//!   `server` does not count), `no resolver defined to resolve names at run time in upstream
//!   "NAME"`.
//!
//! The stream module makes the same checks with the same words (`ngx_stream_upstream_server`,
//! src/stream/ngx_stream_upstream.c; `ngx_stream_upstream_init_round_robin`,
//! src/stream/ngx_stream_upstream_round_robin.c), the resolver coming from the upstream or the
//! `stream` level.
//!
//! nginx prints the upstream's file and line inside the message; the finding carries them. The
//! missing resolver is silent on fragments and when an include found nothing.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::{complete, is_nginx, whole};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "upstream-resolve",
    summary: "`server ... resolve`/`service=` nginx (1.27.3+) refuses: no `zone` or `resolver`, `service=` without `resolve`, with a port or on an address (nginx: resolving names at run time requires upstream ... to be in shared memory)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/upstream-resolve.md"),
    check,
};

/// nginx 1.27.3 brought `resolve` and `service=` to `server` in `upstream`.
const SINCE: Version = Version(1, 27, 3);

/// The host and whether a port follows, for `HOST[:PORT]` and `[IPv6][:PORT]`; `None` for
/// `unix:` paths and URLs.
fn host_port(url: &str) -> Option<(&str, bool)> {
    if url.starts_with("unix:") || url.contains('/') {
        return None;
    }
    if let Some(rest) = url.strip_prefix('[') {
        let (host, tail) = rest.split_once(']')?;
        return Some((host, tail.starts_with(':')));
    }
    match url.rsplit_once(':') {
        Some((h, _)) => Some((h, true)),
        None => Some((url, false)),
    }
}

/// Does nginx read `host` as an address (no name to resolve)?
fn is_address(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if cx.version < SINCE {
        return Vec::new();
    }
    let complete = complete(model);
    let whole = whole(model);
    let http_resolver = |u: NodeId| {
        model.node(u).parent().is_some_and(|http| {
            !model
                .children_named_slice(Some(http), "resolver")
                .is_empty()
        })
    };
    let mut out = Vec::new();
    for &u in model.directives_named("upstream") {
        let node = model.node(u);
        let stream = node.context == Context::Stream;
        if !(node.context == Context::Http || stream) || !is_nginx(model, u) {
            continue;
        }
        // A block without a name is not judged (its name is read for a finding only).
        if node.directive.arg_tokens().next().is_none() {
            continue;
        }
        let mut resolved = false;
        let mut refused = false;
        for &s in model.children_named_slice(Some(u), "server") {
            // An http server without parameters neither resolves nor is refused here: its
            // address is not read (a wait for memory per server on a large configuration).
            if !stream && model.arg_count(s) < 2 {
                continue;
            }
            let Some(url) = model.arg_str(s, 0) else {
                continue;
            };
            let params: Vec<_> = (1..model.arg_count(s))
                .filter_map(|i| model.arg_str(s, i))
                .collect();
            let resolve = params.iter().any(|p| p == "resolve");
            let service = params
                .iter()
                .any(|p| p.strip_prefix("service=").is_some_and(|v| !v.is_empty()));
            let Some((host, port)) = host_port(&url) else {
                continue;
            };
            if stream && !port && !service {
                // nginx stops at `no port in upstream` first: another rule's finding.
                refused = true;
                break;
            }
            let message = if service && !resolve {
                Some(format!(
                    "service upstream \"{url}\" requires \"resolve\" parameter"
                ))
            } else if service && port {
                Some(format!("service upstream \"{url}\" may not have port"))
            } else if service && is_address(host) {
                Some(format!("service upstream \"{url}\" requires domain name"))
            } else {
                None
            };
            if let Some(message) = message {
                out.push(Diagnostic::at_node(&RULE, model, s, message).help(
                    "`service=` looks up DNS SRV records of a domain name at run time: write `server NAME service=SERVICE resolve;` without a port",
                ));
                refused = true;
                break;
            }
            if resolve && !is_address(host) {
                resolved = true;
            }
        }
        if refused || !resolved {
            continue;
        }
        let Some(name) = model.arg_str(u, 0) else {
            continue;
        };
        let zone = !model.children_named_slice(Some(u), "zone").is_empty();
        let (message, help) = if !zone && whole {
            (
                format!(
                    "resolving names at run time requires upstream \"{name}\" to be in shared memory"
                ),
                "add `zone NAME 64k;` to the upstream: the addresses found at run time are kept there"
                    .to_owned(),
            )
        } else if zone
            && model.children_named_slice(Some(u), "resolver").is_empty()
            && !http_resolver(u)
            && complete
        {
            (
                format!("no resolver defined to resolve names at run time in upstream \"{name}\""),
                format!(
                    "add `resolver ADDRESS;` in the upstream or at the {} level (one in a `server` does not count here)",
                    if stream { "stream" } else { "http" }
                ),
            )
        } else {
            continue;
        };
        out.push(Diagnostic::at_node(&RULE, model, u, message).help(help));
    }
    out
}
