//! `ssl-certificate-missing`: a server listens with `ssl` but has no `ssl_certificate`, neither
//! its own nor inherited from `http`.
//!
//! nginx checks every server of an ssl address (one server's `listen ... ssl` makes the
//! address TLS for every server on it) when it initialises the ssl module
//! (`ngx_http_ssl_init`): `no "ssl_certificate" is defined for the "listen ... ssl" directive`,
//! reported at the `server` line. `ssl_reject_handshake on` (1.19.4) makes a certificate
//! unnecessary. Silent unless the program is whole and starts at the main context: a
//! certificate in a missing include or in the file a fragment is included from is no mistake.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::{complete, listen_address};
use std::collections::HashSet;

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
    if !complete(model) {
        return Vec::new();
    }
    let has_ssl =
        |l: u32| (1..model.arg_count(l)).any(|i| model.arg(l, i).as_deref() == Some("ssl"));
    let listens = |server: u32| model.children_named_slice(Some(server), "listen");
    let servers: Vec<u32> = model
        .directives_named("server")
        .iter()
        .copied()
        .filter(|&s| model.node(s).context == Context::Http)
        .collect();
    // nginx ORs `ssl` over every `listen` of one address:port, so a server sharing an address
    // with another server's `listen ... ssl` is a TLS server too.
    let ssl_addresses: HashSet<String> = servers
        .iter()
        .flat_map(|&s| listens(s).iter().copied())
        .filter(|&l| has_ssl(l))
        .filter_map(|l| listen_address(&model.arg(l, 0)?))
        .collect();
    let mut out = Vec::new();
    for &server in &servers {
        let ssl_listen = listens(server).iter().copied().find(|&l| {
            has_ssl(l)
                || model
                    .arg(l, 0)
                    .and_then(|a| listen_address(&a))
                    .is_some_and(|a| ssl_addresses.contains(&a))
        });
        let Some(listen) = ssl_listen else { continue };
        if !model
            .effective(Some(server), "ssl_certificate")
            .is_default()
        {
            continue;
        }
        let reject = model.effective(Some(server), "ssl_reject_handshake");
        if cx.version >= Version(1, 19, 4)
            && reject
                .nodes
                .last()
                .is_some_and(|&r| model.arg(r, 0).as_deref() == Some("on"))
        {
            continue;
        }
        let l = model.node(listen);
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                server,
                "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive",
            )
            .label(Label::new(
                l.file,
                l.directive.head_span(),
                if has_ssl(listen) {
                    "TLS is turned on here"
                } else {
                    "another server turns TLS on for this address"
                },
            ))
            .help("add `ssl_certificate` and `ssl_certificate_key` to this server (or to http), or `ssl_reject_handshake on;` for a catch-all server"),
        );
    }
    out
}
