//! `ssl-stapling-no-resolver`: `ssl_stapling on` in a TLS server with no `resolver` in effect
//! (and no `ssl_stapling_file`, no responder given as an IP address): nginx resolves the OCSP
//! responder once, at start-up, and keeps those addresses.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::tls::{effective_arg, stapling_on, tls_servers, url_host_is_ip};

pub static RULE: Rule = Rule {
    id: "ssl-stapling-no-resolver",
    summary: "`ssl_stapling on` without a `resolver`: the OCSP responder is resolved only at \
              start-up",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/ssl-stapling-no-resolver.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (server, listen) in tls_servers(model) {
        let Some(stapling) = stapling_on(model, server) else {
            continue;
        };
        if seen.contains(&stapling) {
            continue;
        }
        // A stapling file: nginx never asks a responder.
        if effective_arg(model, server, "ssl_stapling_file").is_some() {
            continue;
        }
        // A responder given by address needs no resolving.
        if effective_arg(model, server, "ssl_stapling_responder")
            .is_some_and(|(_, url)| url_host_is_ip(&url))
        {
            continue;
        }
        // The resolver stapling uses is the server's (ngx_http_ssl_init: the core module's
        // configuration of the server level, so http or server, not a location).
        if !model.effective(Some(server), "resolver").is_default() {
            continue;
        }
        seen.push(stapling);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            stapling,
            "`ssl_stapling on` with no `resolver` for this server: nginx resolves the \
             certificate's OCSP responder once, at start-up, then logs \"no resolver defined to \
             resolve ...\" on every OCSP request and keeps using those addresses; if they \
             change, stapling stops until the next reload",
        )
        .label(Label::at_node(model, listen, "this TLS server staples"))
        .help(
            "add `resolver` with your DNS server (for example `resolver 127.0.0.53;` with \
             systemd-resolved) to `http` or this server",
        );
        diag.primary.text = "stapling without a resolver".into();
        out.push(diag);
    }
    out
}
