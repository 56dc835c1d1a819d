//! `hsts-missing`: a TLS server that sends no `Strict-Transport-Security` header, neither at
//! its own level (after `add_header` inheritance) nor in any of its locations.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::headers::{add_header_in_effect, sets_header};
use crate::semantics::loadtime;
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::tls::tls_servers;

pub static RULE: Rule = Rule {
    id: "hsts-missing",
    summary: "a TLS server sends no `Strict-Transport-Security` header",
    severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/hsts-missing.md"),
    check,
};

const HSTS: &str = "Strict-Transport-Security";
const LINE: &str = "add_header Strict-Transport-Security \"max-age=31536000\" always;";

/// Does any block below `block` (locations, `if`s) set the header itself?
fn set_below(model: &Model<'_>, block: NodeId) -> bool {
    model.children(block).iter().any(|&c| {
        let name = model.name(c);
        ((name == "add_header" || name == "more_set_headers") && sets_header(model, c, HSTS))
            || (!model.children(c).is_empty() && set_below(model, c))
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let sets_hsts = |n: NodeId| sets_header(model, n, HSTS);
    let mut memo = Default::default();
    for (server, listen) in tls_servers(model) {
        // A catch-all that refuses every handshake sends no response over TLS of its own.
        let rejects = model.effective(Some(server), "ssl_reject_handshake");
        if rejects
            .nodes
            .last()
            .is_some_and(|&n| model.arg(n, 0).as_deref() == Some("on"))
        {
            continue;
        }
        if add_header_in_effect(model, cx.version, Some(server), &sets_hsts, &mut memo) {
            continue;
        }
        // headers-more's lines and the security_headers module, here or in http.
        let levels: Vec<NodeId> = std::iter::once(server)
            .chain(model.ancestors(server))
            .collect();
        let other = levels.iter().any(|&l| {
            model
                .children_named_slice(Some(l), "more_set_headers")
                .iter()
                .any(|&n| sets_header(model, n, HSTS))
                || model
                    .children_named_slice(Some(l), "security_headers")
                    .iter()
                    .any(|&n| model.arg(n, 0).as_deref() == Some("on"))
        });
        if other || set_below(model, server) {
            continue;
        }
        // An include of the server or `http` that read nothing (a file only the deployment
        // has) may send the header: spinupwp's `include global/server/ssl.conf;` holds it
        // (held-out batch 86), certbot's `options-ssl-nginx.conf` does not. The finding says
        // so and names the include.
        let unread = levels.iter().find_map(|&l| {
            model
                .children_named_slice(Some(l), "include")
                .iter()
                .copied()
                .find(|&i| loadtime::include_unread(model, i))
        });
        let message = match unread {
            None => "this TLS server sends no `Strict-Transport-Security` header: a browser that \
                     types the name or follows an http:// link tries plain HTTP first, where a \
                     man in the middle can keep it (SSL stripping)"
                .to_owned(),
            Some(i) => format!(
                "this TLS server sends no `Strict-Transport-Security` header unless `include \
                 {}`, which could not be read here, adds it: a browser that types the name or \
                 follows an http:// link tries plain HTTP first, where a man in the middle can \
                 keep it (SSL stripping)",
                model.arg(i, 0).unwrap_or_default()
            ),
        };
        let mut diag = Diagnostic::at_node(&RULE, model, listen, message).help(format!(
            "add `{LINE}` to the server (unless the application behind it sends the header)"
        ));
        if let Some(i) = unread {
            diag = diag.label(super::Label::at_node(
                model,
                i,
                "not read: may set the header",
            ));
        }
        diag.primary.text = "TLS without HSTS".into();
        // Adding an add_header to a server that inherits http's would drop those (all or
        // nothing): only where the server has its own lines or nothing is inherited.
        let eff = model.effective(Some(server), "add_header");
        if matches!(eff.origin, Origin::Here | Origin::Default) {
            let anchor = model
                .children_named_slice(Some(server), "add_header")
                .last()
                .copied()
                .unwrap_or(listen);
            let a = model.node(anchor);
            let file = model.program.file(model.file_of(anchor));
            let (at, text) = style::insert_after(file, a.directive, LINE);
            diag = diag.fix(Fix::unsafe_(
                "Add `Strict-Transport-Security: max-age=31536000` to this server",
                vec![Edit::insert(model.file_of(anchor), at, text)],
            ));
        }
        out.push(diag);
    }
    out
}
