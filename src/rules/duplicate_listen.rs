//! `duplicate-listen`: what nginx refuses when it adds a server's `listen` addresses
//! (`ngx_http_add_addresses`, `ngx_http_add_server`), in its order:
//!
//! - the same address:port twice in one server: `a duplicate listen 0.0.0.0:80`;
//! - socket options (`backlog=`, `reuseport`, `bind`...) on the same address:port in two
//!   servers: `duplicate listen options for 0.0.0.0:80`;
//! - two default servers for one address:port: `a duplicate default server for 0.0.0.0:80`.
//!
//! Addresses are compared as nginx compares them, after parsing (`listen 80`, `listen *:80` and
//! `listen 0.0.0.0:80` are one address); host names (resolved through DNS) are left alone.
//!
//! `stream` servers make the same three checks since nginx 1.25.5 (`ngx_stream_add_addresses`,
//! `ngx_stream_add_server`; a `udp` listener is another port than a TCP one). Before 1.25.5, and
//! in `mail` at every version, nginx has no virtual servers: one address:port may be listened
//! on once in the whole block (`ngx_stream_core_listen`, `ngx_mail_core_listen`: `duplicate
//! "0.0.0.0:25" address and port pair`).

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::listen_address;
use crate::semantics::model::NodeId;

/// The release whose `stream` module compares listens per server (virtual servers).
const STREAM_SERVERS: Version = Version(1, 25, 5);

pub static RULE: Rule = Rule {
    id: "duplicate-listen",
    summary: "a `listen` address repeated in a server, or two default servers or two sets of socket options for one address (nginx: a duplicate listen)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-listen.md"),
    check,
};

/// `listen` parameters that set socket options (`lsopt.set` in `ngx_http_core_listen` and
/// `ngx_stream_core_listen`).
fn sets_options(param: &str) -> bool {
    let name = param.split('=').next().unwrap_or(param);
    matches!(
        name,
        "bind"
            | "backlog"
            | "rcvbuf"
            | "sndbuf"
            | "setfib"
            | "fastopen"
            | "accept_filter"
            | "deferred"
            | "ipv6only"
            | "reuseport"
            | "so_keepalive"
            | "multipath"
    )
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = per_server(cx, Context::HttpServer);
    if cx.version >= STREAM_SERVERS {
        out.extend(per_server(cx, Context::StreamServer));
    } else {
        out.extend(per_block(cx, Context::StreamServer));
    }
    out.extend(per_block(cx, Context::MailServer));
    out
}

/// The arguments of `listen` node `id` and the port nginx files it under: its address as
/// nginx prints it, with `/udp` for a UDP listener (another port list in nginx).
/// A listen's arguments (borrowed from the source), its address as nginx prints it, and the
/// address keyed by socket type.
type ListenKey<'p> = (Vec<Cow<'p, str>>, String, String);

fn listen_key<'p>(cx: &LintContext<'p>, id: NodeId) -> Option<ListenKey<'p>> {
    let model = cx.model;
    let args = model.args_str(id);
    let addr = args.first().and_then(|a| listen_address(a))?;
    // A `quic` (http) or `udp` (stream) listen is a UDP socket: nginx keeps it apart from the
    // TCP one on the same address:port (`lsopt->type` in `ngx_http_add_listen`), as HTTP/3
    // setups need.
    let udp_param = match model.node(id).context {
        Context::HttpServer => "quic",
        Context::StreamServer => "udp",
        _ => "",
    };
    let udp = args[1..].iter().any(|p| p == udp_param);
    let key = if udp {
        format!("{addr}/udp")
    } else {
        addr.clone()
    };
    Some((args, addr, key))
}

/// `stream` before 1.25.5 and `mail`: an address:port listened on twice in the block.
fn per_block(cx: &LintContext<'_>, context: Context) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for &id in model.directives_named("listen") {
        if model.node(id).context != context {
            continue;
        }
        let Some((_, addr, key)) = listen_key(cx, id) else {
            continue;
        };
        if let Some(&first) = seen.get(&key) {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!("duplicate \"{addr}\" address and port pair"),
                )
                .label(Label::at_node(model, first, "the same address first here",
                ))
                .help(if context == Context::MailServer {
                    "nginx refuses to start; a `mail` address:port belongs to one server only"
                } else {
                    "nginx refuses to start; before nginx 1.25.5 a `stream` address:port belongs to one server only"
                }),
            );
            continue;
        }
        seen.insert(key, id);
    }
    out
}

/// `http`, and `stream` since 1.25.5: per server, then options and default server per address.
fn per_server(cx: &LintContext<'_>, context: Context) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The current server's addresses (first listen of each) / first listen with options /
    // first default listen, by address.
    let mut in_server: HashMap<String, u32> = HashMap::new();
    let mut server = None;
    let mut options: HashMap<String, u32> = HashMap::new();
    let mut default: HashMap<String, u32> = HashMap::new();
    for &id in model.directives_named("listen") {
        let node = model.node(id);
        if node.context != context {
            continue;
        }
        // Servers do not nest, and walk order is id order: a server's listens come one after
        // another, so only the current server's addresses are kept (one entry per listen of
        // every server was the largest table of a run on a large configuration).
        if node.parent() != server {
            server = node.parent();
            in_server.clear();
        }
        let Some((args, addr, key)) = listen_key(cx, id) else {
            continue;
        };
        if let Some(&first) = in_server.get(&key) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("a duplicate listen {addr}"))
                    .label(Label::at_node(model, first, "the same address first here"))
                    .help("nginx refuses to start; keep one `listen` per address:port in a server"),
            );
            continue;
        }
        in_server.insert(key.clone(), id);
        if args[1..].iter().any(|p| sets_options(p)) {
            if let Some(&first) = options.get(&key) {
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("duplicate listen options for {addr}"),
                    )
                    .label(Label::at_node(
                        model,
                        first,
                        "options for this address first set here",
                    ))
                    .help("socket options belong to the address: give them on one `listen` only"),
                );
                continue;
            }
            options.insert(key.clone(), id);
        }
        if args[1..]
            .iter()
            .any(|p| p == "default_server" || p == "default")
        {
            if let Some(&first) = default.get(&key) {
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("a duplicate default server for {addr}"),
                    )
                    .label(Label::at_node(
                        model,
                        first,
                        "the default server for this address",
                    ))
                    .help("one server per address:port can be `default_server`"),
                );
                continue;
            }
            default.insert(key, id);
        }
    }
    out
}
