//! `keepalive-requests-low`: `keepalive_requests` set below 1000 in http, server or location:
//! every client connection is closed after that many requests and the browser opens a new one
//! (a new TCP and TLS handshake). nginx raised its own default from 100 to 1000 in 1.19.10
//! because 100 made busy HTTP/2 clients reconnect constantly. The upstream block's
//! `keepalive_requests` (connections to backends) is another setting and is not reported.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "keepalive-requests-low",
    summary: "`keepalive_requests` below 1000 closes client connections early (nginx's default is 1000 since 1.19.10)",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/keepalive-requests-low.md"),
    check,
};

/// nginx's default since 1.19.10 (it was 100).
const FLOOR: u64 = 1000;

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("keepalive_requests") {
        let node = model.node(n);
        if !matches!(
            node.context,
            Context::Http | Context::HttpServer | Context::HttpLocation
        ) {
            continue;
        }
        let Some(v) = model.arg(n, 0) else {
            continue;
        };
        let Ok(value) = v.parse::<u64>() else {
            continue;
        };
        if value >= FLOOR {
            continue;
        }
        let what = if value == 0 {
            "turns keep-alive off: every request needs a new connection".to_owned()
        } else if value == 1 {
            "closes each client connection after one request".to_owned()
        } else {
            format!("closes each client connection after {value} requests")
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!("`keepalive_requests {v}` {what}; nginx's default is {FLOOR} since 1.19.10"),
        )
        .help(
            "clients then reopen connections (a TCP and TLS handshake each time), which costs \
             latency and CPU on busy HTTP/2 pages; remove the line or set 1000 or more",
        );
        diag.primary.text = "low limit".into();
        if let Some(span) = style::arg_span(node.directive, 0) {
            diag = diag.fix(Fix::unsafe_(
                format!("Raise keepalive_requests to {FLOOR}"),
                vec![Edit::replace(model.file_of(n), span, FLOOR.to_string())],
            ));
        }
        out.push(diag);
    }
    out
}
