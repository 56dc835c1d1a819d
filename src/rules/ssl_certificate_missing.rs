//! `ssl-certificate-missing`: a server listens with `ssl` but has no `ssl_certificate`, neither
//! its own nor inherited from `http`.
//!
//! nginx checks each ssl address (one server's `listen ... ssl` makes the address TLS for
//! every server on it) when it initialises the ssl module (`ngx_http_ssl_init`): the address's
//! default server needs a certificate; if it has none but `ssl_reject_handshake on` (1.19.4),
//! every server of the address needs a certificate or rejects handshakes too. Otherwise:
//! `no "ssl_certificate" is defined for the "listen ... ssl" directive`, at the `server` line.
//! Other servers of an address whose default server has a certificate may go without. Silent
//! unless the program is whole and starts at the main context: a certificate in a missing
//! include or in the file a fragment is included from is no mistake. A top-level include
//! that found nothing cannot hold one (see [`complete_for_http`]).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::{complete_for_http, listen_address};
use crate::syntax::value::token_value;
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    id: "ssl-certificate-missing",
    summary: "a server with `listen ... ssl` and no `ssl_certificate` (nginx: no \"ssl_certificate\" is defined)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/ssl-certificate-missing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if !complete_for_http(model) {
        return Vec::new();
    }
    // Only an address some `listen ... ssl` turns TLS on for can lack a certificate: most
    // configurations have none, and then the addresses need not be read at all.
    let ssl_listen = |&l: &u32| {
        let node = model.node(l);
        let src = model.src(l);
        node.context == Context::HttpServer
            && node
                .directive
                .arg_tokens()
                .skip(1)
                .any(|t| *token_value(src, t) == *b"ssl")
    };
    if !model.directives_named("listen").iter().any(ssl_listen) {
        return Vec::new();
    }
    // Every address in order of first appearance: its servers (with the listen), whether some
    // listen turns TLS on, and its default server.
    struct Address {
        servers: Vec<(u32, u32)>,
        ssl: bool,
        default: Option<(u32, u32)>,
    }
    let mut order: Vec<String> = Vec::new();
    let mut addresses: HashMap<String, Address> = HashMap::new();
    for &server in model.directives_named("server") {
        if model.node(server).context != Context::Http {
            continue;
        }
        for &l in model.children_named_slice(Some(server), "listen") {
            let Some(addr) = model.arg(l, 0).and_then(|a| listen_address(&a)) else {
                continue;
            };
            let entry = addresses.entry(addr.clone()).or_insert_with(|| {
                order.push(addr);
                Address {
                    servers: Vec::new(),
                    ssl: false,
                    default: None,
                }
            });
            entry.ssl |= model.has_param(l, "ssl");
            if entry.default.is_none()
                && (model.has_param(l, "default_server") || model.has_param(l, "default"))
            {
                entry.default = Some((server, l));
            }
            if !entry.servers.iter().any(|&(s, _)| s == server) {
                entry.servers.push((server, l));
            }
        }
    }
    let has_cert = |s: u32| !model.effective(Some(s), "ssl_certificate").is_default();
    // ssl_reject_handshake (1.19.4) lets a server go without a certificate.
    let rejects = |s: u32| {
        cx.version >= Version(1, 19, 4)
            && model
                .effective(Some(s), "ssl_reject_handshake")
                .nodes
                .last()
                .is_some_and(|&r| model.arg(r, 0).as_deref() == Some("on"))
    };
    let mut out = Vec::new();
    for addr in &order {
        let a = &addresses[addr];
        if !a.ssl {
            continue;
        }
        // nginx (ngx_http_ssl_init): the default server of an ssl address needs a certificate
        // unless it rejects handshakes; then every server of the address needs one or must
        // reject too.
        let Some(&(default, listen)) = a.default.as_ref().or(a.servers.first()) else {
            continue;
        };
        if has_cert(default) {
            continue;
        }
        let culprit = if !rejects(default) {
            Some((default, listen))
        } else {
            a.servers
                .iter()
                .copied()
                .find(|&(s, _)| !has_cert(s) && !rejects(s))
        };
        let Some((server, listen)) = culprit else {
            continue;
        };
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                server,
                "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive",
            )
            .label(Label::at_node(model, listen, if model.has_param(listen, "ssl") {
                    format!("TLS is turned on here for {addr}")
                } else {
                    format!("{addr} is a TLS address: another server's `listen` has `ssl`")
                },
            ))
            .help("add `ssl_certificate` and `ssl_certificate_key` to this server (or to http), or `ssl_reject_handshake on;` for a catch-all server"),
        );
    }
    out
}
