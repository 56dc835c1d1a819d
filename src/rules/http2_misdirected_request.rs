//! `http2-misdirected-request`: the default server of a TLS address rejects handshakes
//! (`ssl_reject_handshake on`) and speaks HTTP/2, yet answers requests itself. HTTP/2 clients
//! reuse a connection made with another server's certificate for every name that certificate
//! covers; a request for a name no server of the address has lands in this default server,
//! which serves its own content instead of `421 Misdirected Request` (RFC 9113 9.1.2), the
//! answer that makes the client retry on a new connection.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::{complete, listen_address};
use crate::semantics::location::location_match;
use crate::semantics::model::{Model, NodeId};
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    id: "http2-misdirected-request",
    summary: "a TLS default server with `ssl_reject_handshake on` and HTTP/2 answers requests \
              other servers' connections bring it instead of returning 421",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/http2-misdirected-request.md"),
    check,
};

fn scalar(model: &Model<'_>, server: NodeId, name: &str) -> Option<String> {
    let eff = model.effective(Some(server), name);
    eff.nodes.last().and_then(|&n| model.arg(n, 0))
}

/// `return 421` as the first thing of a block (a server's rewrite phase, or a location's).
fn returns_421(model: &Model<'_>, block: NodeId) -> bool {
    model
        .children_named_slice(Some(block), "return")
        .iter()
        .any(|&r| model.arg(r, 0).as_deref() == Some("421"))
}

/// Does every request to `server` get 421? A server-level `return 421`, or a `location /`
/// (prefix) returning 421 with every other location of the server returning 421 too.
fn answers_421(model: &Model<'_>, server: NodeId) -> bool {
    if returns_421(model, server) {
        return true;
    }
    let locations = model.children_named_slice(Some(server), "location");
    let root = locations
        .iter()
        .any(|&l| location_match(model, l).is_some_and(|(m, p)| m.is_prefix() && p == "/"));
    root && locations.iter().all(|&l| returns_421(model, l))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if cx.version < Version(1, 19, 4) {
        return Vec::new();
    }
    // Servers per listen address, in order; the default one (nginx: `default_server`, else
    // the first); whether any listen of the address has `ssl` / `http2`.
    struct Address {
        servers: Vec<(NodeId, NodeId)>,
        seen: std::collections::HashSet<NodeId>,
        default: Option<(NodeId, NodeId)>,
        ssl: bool,
        http2: bool,
    }
    let mut order: Vec<String> = Vec::new();
    let mut addrs: HashMap<String, Address> = HashMap::new();
    for &s in model.directives_named("server") {
        if model.node(s).context != Context::Http {
            continue;
        }
        for &l in model.children_named_slice(Some(s), "listen") {
            let Some(a) = model.arg(l, 0).and_then(|a| listen_address(&a)) else {
                continue;
            };
            let e = addrs.entry(a.clone()).or_insert_with(|| {
                order.push(a);
                Address {
                    servers: Vec::new(),
                    seen: std::collections::HashSet::new(),
                    default: None,
                    ssl: false,
                    http2: false,
                }
            });
            e.ssl |= model.has_param(l, "ssl");
            e.http2 |= model.has_param(l, "http2");
            if e.default.is_none()
                && (model.has_param(l, "default_server") || model.has_param(l, "default"))
            {
                e.default = Some((s, l));
            }
            if e.seen.insert(s) {
                e.servers.push((s, l));
            }
        }
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for a in &order {
        let e = &addrs[a];
        if !e.ssl {
            continue;
        }
        let Some(&(server, listen)) = e.default.as_ref().or(e.servers.first()) else {
            continue;
        };
        if seen.contains(&server)
            || scalar(model, server, "ssl_reject_handshake").as_deref() != Some("on")
        {
            continue;
        }
        // HTTP/2 for this server: `http2 on` (1.25.1) or a `listen ... http2` on the address.
        // Without it nginx itself answers an HTTP/2 request with 421 (ngx_http_v2_run_request).
        let http2_on = cx.version >= Version(1, 25, 1)
            && scalar(model, server, "http2").as_deref() == Some("on");
        if !http2_on && !e.http2 {
            continue;
        }
        // With client certificates verified, nginx answers 421 itself to a name other than
        // the one negotiated (ngx_http_set_virtual_server).
        if scalar(model, server, "ssl_verify_client").is_some_and(|v| v != "off") {
            continue;
        }
        // A connection can only be made with another server's certificate on this address:
        // one seen here, or possibly one elsewhere when this is a piece of a configuration
        // (an include that found nothing, or no `events`, which nginx requires of a whole one).
        let other = e.servers.iter().copied().find(|&(s, _)| {
            s != server
                && !model.effective(Some(s), "ssl_certificate").is_default()
                && scalar(model, s, "ssl_reject_handshake").as_deref() != Some("on")
        });
        let whole = complete(model) && !model.directives_named("events").is_empty();
        if other.is_none() && whole {
            continue;
        }
        if answers_421(model, server) {
            continue;
        }
        seen.push(server);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            listen,
            format!(
                "the default server of {a} rejects TLS handshakes but speaks HTTP/2 and answers \
                 requests: a browser reusing a connection made with another server's \
                 certificate for a name no server here has gets this server's content instead \
                 of 421 Misdirected Request, which would make it retry on a new connection"
            ),
        )
        .labels([other.map(|(o, _)| {
            Label::at_node(
                model,
                o,
                "its certificate's connections can carry other names",
            )
        })])
        .help("add `return 421;` to this server (or a `location /` that returns 421)");
        diag.primary.text = "default server without 421".into();
        out.push(diag);
    }
    out
}
