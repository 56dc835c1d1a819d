//! `http3-without-quic`: a server that turns HTTP/3 on (`http3 on;`) or advertises it
//! (`add_header Alt-Svc 'h3=":443"'`) without a `listen ... quic` socket of its own. nginx
//! serves HTTP/3 only on a QUIC listening socket, and picks a QUIC connection's server among
//! the servers that listen on that socket: `http3` ("enables HTTP/3 protocol negotiation")
//! has nothing to negotiate on TCP, and browsers told of `h3` try QUIC where nginx does not
//! answer for this server (held-out batch 433: Rocket.Chat's and Mattermost's `http3 on;` and
//! `Alt-Svc` beside `listen 443 ssl` only).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::directives::Version;
use crate::semantics::loadtime;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "http3-without-quic",
    summary: "`http3 on` or an `Alt-Svc: h3` header in a server with no `listen ... quic`: \
              nginx serves HTTP/3 only on a QUIC socket, so the server never speaks it",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/http3-without-quic.md"),
    check,
};

/// `http3` and `listen ... quic` came with nginx 1.25.0.
const SINCE: Version = Version(1, 25, 0);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // `http3 on` lines (from 1.25.0: before, the directive is unknown and `unknown-directive`
    // says so) and `Alt-Svc` lines naming `h3`, each with what its finding says.
    let http3_on = cx
        .directives_named("http3")
        .iter()
        .copied()
        .filter(|&n| {
            cx.version >= SINCE
                && model
                    .arg(n, 0)
                    .is_some_and(|v| v.eq_ignore_ascii_case("on"))
        })
        .map(|n| (n, HTTP3_ON));
    let alt_svc = cx
        .directives_named("add_header")
        .iter()
        .copied()
        .filter(|&n| advertises_h3(model, n))
        .map(|n| (n, ALT_SVC));
    let mut out = Vec::new();
    // Each server's answer, found once: a server of thousands of `add_header` lines asked it
    // for each (its `listen` lines read each time were quadratic).
    let mut servers: std::collections::HashMap<NodeId, Option<NodeId>> = Default::default();
    for (n, (message, what)) in http3_on.chain(alt_svc) {
        let Some(server) = model.enclosing(n, "server") else {
            continue;
        };
        let Some(listen) = *servers
            .entry(server)
            .or_insert_with(|| first_listen_without_quic(model, server))
        else {
            continue;
        };
        let mut d = Diagnostic::at_node(&RULE, model, n, message)
            .label(Label::at_node(model, listen, "TCP only"))
            .help(HELP);
        d.primary.text = what.into();
        out.push(d);
    }
    out
}

/// The finding on `http3 on`: its message and its label.
const HTTP3_ON: (&str, &str) = (
    "`http3 on` has no effect: the server has no `listen ... quic` socket, and nginx speaks \
     HTTP/3 only on one (clients keep to HTTP/2 or HTTP/1.1)",
    "no QUIC socket to negotiate on",
);

/// The finding on an `Alt-Svc` naming `h3`: its message and its label.
const ALT_SVC: (&str, &str) = (
    "`Alt-Svc` tells browsers this site speaks HTTP/3, but the server has no `listen ... \
     quic` socket: they try QUIC where nginx does not answer for it, and fall back after the \
     attempt fails",
    "advertises HTTP/3",
);

const HELP: &str = "add `listen 443 quic;` beside the server's `listen 443 ssl;` (one server \
                    of the address may add `reuseport`; UDP 443 must be open, and nginx built \
                    with `--with-http_v3_module`, 1.25.0 or later), or drop the line";

/// Does `add_header` line `n` send `Alt-Svc` naming an `h3` protocol (`h3=":443"`,
/// `h3-29=...`)?
fn advertises_h3(model: &Model<'_>, n: NodeId) -> bool {
    model
        .arg_str(n, 0)
        .is_some_and(|h| h.eq_ignore_ascii_case("alt-svc"))
        && model.arg_str(n, 1).is_some_and(|v| {
            v.split(',')
                .any(|alt| alt.trim_start().to_ascii_lowercase().starts_with("h3"))
        })
}

/// `server`'s first `listen` where none of its `listen` lines has `quic` and none may be in an
/// include nobody read (`None` otherwise: it has a QUIC socket, or may have one, or listens
/// nowhere written).
fn first_listen_without_quic(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    if model.name(server) != "server"
        || model.node(server).context != crate::semantics::Context::Http
    {
        return None;
    }
    let listens = model.children_named_slice(Some(server), "listen");
    if listens.iter().any(|&l| model.has_param(l, "quic")) {
        return None;
    }
    if model
        .children_named_slice(Some(server), "include")
        .iter()
        .any(|&i| loadtime::include_unread(model, i))
    {
        return None;
    }
    listens.first().copied()
}
