//! `proxy-pass-stale-dns`: a host name in `proxy_pass`/`grpc_pass` (without variables) or in an
//! upstream's `server` (without `resolve`) is looked up once, when nginx reads its
//! configuration; nginx keeps those addresses until the next reload.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::directives::Version;
use crate::semantics::dns::{is_ip_literal, is_stable_name};
use crate::semantics::loadtime::{complete, url_parts};

pub static RULE: Rule = Rule {
    id: "proxy-pass-stale-dns",
    summary: "a host name in `proxy_pass` or an upstream `server` is resolved only when nginx \
              starts: address changes are missed until a reload",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/proxy-pass-stale-dns.md"),
    check,
};

const SCHEMES: &[&str] = &["http://", "https://", "grpc://", "grpcs://"];

/// `server ... resolve` in nginx's own upstream module (before: NGINX Plus only).
const RESOLVE_SINCE: Version = Version(1, 27, 3);

fn advice(version: Version) -> String {
    if version >= RESOLVE_SINCE {
        "put the host in an `upstream` with `zone` and `server <host> resolve;` (nginx 1.27.3 \
         and later) and a `resolver`, or use a variable in `proxy_pass` with a `resolver`"
            .to_owned()
    } else {
        format!(
            "use a variable in `proxy_pass` (`set $backend <host>; proxy_pass \
             http://$backend;`) with a `resolver`; `server ... resolve` in an upstream needs \
             nginx 1.27.3 (the target is {version})"
        )
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let whole = complete(model);
    let mut out = Vec::new();
    for name in ["proxy_pass", "grpc_pass"] {
        for &n in model.directives_named(name) {
            let Some(url) = model.arg(n, 0) else {
                continue;
            };
            let Some((host, port, _)) = url_parts(&url, SCHEMES) else {
                continue;
            };
            if host.is_empty() || is_ip_literal(host) || is_stable_name(host) {
                continue;
            }
            // An upstream block of that name (with a port, nginx refuses the pair:
            // `upstream-with-port`); a gRPC URL without a port nginx refuses too
            // (`no-port-in-upstream`).
            if !model.upstreams_named(host).is_empty() || (name == "grpc_pass" && port.is_none()) {
                continue;
            }
            // A single label with no upstream seen may be one defined in a file not read.
            if !host.contains('.') && !whole {
                continue;
            }
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name}` names the host `{host}`: nginx looks it up once, while reading the \
                     configuration, and keeps sending to those addresses until it is reloaded; \
                     when the backend moves (a cloud load balancer, a restarted container), \
                     requests fail"
                ),
            )
            .help(advice(cx.version));
            diag.primary.text = "resolved at start-up only".into();
            out.push(diag);
        }
    }
    for &u in model.directives_named("upstream") {
        for &s in model.children_named_slice(Some(u), "server") {
            let Some(addr) = model.arg(s, 0) else {
                continue;
            };
            if addr.starts_with("unix:") {
                continue;
            }
            let host = if addr.starts_with('[') {
                addr.split(']')
                    .next()
                    .map(|h| format!("{h}]"))
                    .unwrap_or_default()
            } else {
                addr.rsplit_once(':')
                    .map_or(addr.clone(), |(h, _)| h.to_owned())
            };
            if is_ip_literal(&host) || is_stable_name(&host) {
                continue;
            }
            let resolve = model.has_param(s, "resolve");
            if resolve {
                continue;
            }
            let upstream = model.arg(u, 0).unwrap_or_default();
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                s,
                format!(
                    "upstream `{upstream}`'s server `{host}` is looked up once, while nginx \
                     reads the configuration, and its addresses are kept until a reload; when \
                     the backend moves, requests fail"
                ),
            )
            .help(if cx.version >= RESOLVE_SINCE {
                "add `resolve` to the `server` (with `zone` in the upstream and a `resolver`), \
                 as nginx 1.27.3 and later allow"
                    .to_owned()
            } else {
                advice(cx.version)
            });
            diag.primary.text = "resolved at start-up only".into();
            out.push(diag);
            // One finding per upstream: its first server given by name.
            break;
        }
    }
    out
}
