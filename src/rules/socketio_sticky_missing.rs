//! `socketio-sticky-missing`: Socket.IO's path proxied to an upstream block that balances two or
//! more servers with no session affinity. A Socket.IO client starts with HTTP long-polling:
//! its requests carry a session id only the server that made it knows, and round-robin (or
//! `least_conn`, `random`) sends the next one elsewhere, which answers 400.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "socketio-sticky-missing",
    summary: "Socket.IO proxied to an upstream of several servers without session affinity \
              (`ip_hash`, `hash`, `sticky`): long-polling requests reach servers that do not \
              know their session",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/socketio-sticky-missing.md"),
    check,
};

/// The directives that send a client's requests to one server of an upstream.
const AFFINITY: &[&str] = &["ip_hash", "hash", "sticky"];

/// Path words of Socket.IO's (and its transport Engine.IO's) endpoint.
const SOCKET_IO_PATHS: &[&str] = &["socket.io", "engine.io"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The upstream blocks that spread requests over two or more servers without affinity,
    // found first: most configurations have none, and then no `proxy_pass` is read.
    let balanced: Vec<(NodeId, usize)> = model
        .directives_named("upstream")
        .iter()
        .map(|&u| (u, servers_without_affinity(model, u)))
        .filter(|&(_, n)| n >= 2)
        .collect();
    if balanced.is_empty() {
        return out;
    }
    for &pass in model.directives_named("proxy_pass") {
        let Some(loc) = model.parent_location(pass) else {
            continue;
        };
        let Some(url) = model.arg_str(pass, 0) else {
            continue;
        };
        let Some(name) = crate::semantics::address::pass_upstream_name(&url) else {
            continue;
        };
        // The first upstream block of that name, as nginx finds it.
        let Some(&upstream) = model.upstreams_named_ignore_case(&name).first() else {
            continue;
        };
        let Some(&(_, servers)) = balanced.iter().find(|&&(u, _)| u == upstream) else {
            continue;
        };
        if !crate::semantics::streaming::path_holds_any(model, loc, SOCKET_IO_PATHS) {
            continue;
        }
        let written = model.arg_str(upstream, 0).unwrap_or_default();
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            pass,
            format!(
                "`{}` proxies Socket.IO to upstream `{written}`, which spreads its {servers} \
                 servers' requests with no session affinity: a client's long-polling requests \
                 (its first transport) reach servers that do not know its session and get 400 \
                 (\"Session ID unknown\"), unless every client uses WebSocket only",
                model.describe_block(Some(loc))
            ),
        )
        .label(Label::at_node(
            model,
            upstream,
            "no `ip_hash`, `hash` or `sticky` here",
        ))
        .help(
            "give the upstream session affinity: `ip_hash;` (or `hash $remote_addr consistent;`, \
             NGINX Plus's `sticky`), or configure every client with `transports: \
             [\"websocket\"]`; see Socket.IO's \"Using multiple nodes\"",
        );
        d.primary.text = "Socket.IO proxied here".into();
        out.push(d);
    }
    out
}

/// How many servers upstream block `upstream` spreads requests over with no affinity: its
/// `server` lines that take requests (not `backup`, not `down`), or 0 where it has an
/// affinity directive or an unread include (which may hold one). One walk of its lines:
/// every upstream of a configuration is asked.
fn servers_without_affinity(model: &Model<'_>, upstream: NodeId) -> usize {
    let mut servers = 0;
    for &c in model.children(upstream) {
        match model.name(c) {
            "server" => {
                let active = (1..model.arg_count(c)).all(|i| {
                    model
                        .arg_str(c, i)
                        .is_none_or(|p| p != "backup" && p != "down")
                });
                servers += usize::from(active);
            }
            "include" if model.include_failed(c) => return 0,
            name if AFFINITY.contains(&name) => return 0,
            _ => {}
        }
    }
    servers
}
