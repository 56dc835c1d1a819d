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

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::listen_address;

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

/// `listen` parameters that set socket options (`lsopt.set` in `ngx_http_core_listen`).
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
    )
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // address → (server, first listen) / first listen with options / first default listen
    let mut in_server: HashMap<(Option<u32>, String), u32> = HashMap::new();
    let mut options: HashMap<String, u32> = HashMap::new();
    let mut default: HashMap<String, u32> = HashMap::new();
    for &id in model.directives_named("listen") {
        let node = model.node(id);
        if node.context != Context::HttpServer {
            continue;
        }
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some(addr) = args.first().and_then(|a| listen_address(a)) else {
            continue;
        };
        let earlier = |first: u32, text: &str| {
            let f = model.node(first);
            Label::new(f.file, f.directive.head_span(), text)
        };
        // A `quic` listen is a UDP socket: nginx keeps it apart from the TCP one on the same
        // address:port (`lsopt->type` in `ngx_http_add_listen`), as HTTP/3 setups need.
        let quic = args[1..].iter().any(|p| p == "quic");
        let slot = if quic {
            format!("{addr} udp")
        } else {
            addr.clone()
        };
        let key = (node.parent, slot.clone());
        if let Some(&first) = in_server.get(&key) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("a duplicate listen {addr}"))
                    .label(earlier(first, "the same address first here"))
                    .help("nginx refuses to start; keep one `listen` per address:port in a server"),
            );
            continue;
        }
        in_server.insert(key, id);
        if args[1..].iter().any(|p| sets_options(p)) {
            if let Some(&first) = options.get(&slot) {
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("duplicate listen options for {addr}"),
                    )
                    .label(earlier(first, "options for this address first set here"))
                    .help("socket options belong to the address: give them on one `listen` only"),
                );
                continue;
            }
            options.insert(slot.clone(), id);
        }
        if args[1..]
            .iter()
            .any(|p| p == "default_server" || p == "default")
        {
            if let Some(&first) = default.get(&slot) {
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("a duplicate default server for {addr}"),
                    )
                    .label(earlier(first, "the default server for this address"))
                    .help("one server per address:port can be `default_server`"),
                );
                continue;
            }
            default.insert(slot, id);
        }
    }
    out
}
