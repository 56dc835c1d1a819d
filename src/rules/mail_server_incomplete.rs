//! `mail-server-incomplete`: a `mail` server nginx cannot start, in its order:
//!
//! - `protocol` names no mail protocol (`ngx_mail_core_protocol`: `unknown protocol "smtps"`);
//! - no protocol at all: no `protocol` and no `listen` on a port nginx knows a protocol by
//!   (25, 465, 587 smtp; 110, 995 pop3; 143, 993 imap) (`ngx_mail_core_merge_srv_conf`:
//!   `unknown mail protocol for server in nginx.conf:12`);
//! - no `auth_http` in the server or the `mail` block (`ngx_mail_auth_http_merge_conf`:
//!   `no "auth_http" is defined for server in nginx.conf:12`).
//!
//! Silent when an include the answer may be in found nothing, and, for `auth_http`, on a
//! fragment (the `mail` block around it may set it).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{complete, is_nginx};

pub static RULE: Rule = Rule {
    id: "mail-server-incomplete",
    summary: "a `mail` server without a known protocol or without `auth_http` (nginx: unknown mail protocol for server)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/mail-server-incomplete.md"),
    check,
};

/// The protocols of nginx's mail modules and the ports each is guessed from
/// (`ngx_mail_{imap,pop3,smtp}_protocol`).
const PROTOCOLS: &[(&str, &[u16])] = &[
    ("imap", &[143, 993]),
    ("pop3", &[110, 995]),
    ("smtp", &[25, 465, 587]),
];

/// The port of a `listen` address (`ngx_parse_url`): after `]:`, the last `:`, or the whole
/// argument when it is a number.
fn listen_port(arg: &str) -> Option<u16> {
    if arg.starts_with("unix:") {
        return None;
    }
    let p = if let Some((_, tail)) = arg.rsplit_once(']') {
        tail.strip_prefix(':')?
    } else if let Some((_, p)) = arg.rsplit_once(':') {
        p
    } else {
        arg
    };
    p.parse().ok()
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut auth = Vec::new();
    for &id in model.directives_named("server") {
        let node = model.node(id);
        if node.context != Context::Mail || !is_nginx(model, id) || node.directive.block().is_none()
        {
            continue;
        }
        let mut known = false;
        for &p in model.children_named_slice(Some(id), "protocol") {
            let Some(name) = model.arg(p, 0) else {
                continue;
            };
            if PROTOCOLS.iter().any(|&(n, _)| n == name) {
                known = true;
            } else {
                out.push(
                    Diagnostic::at_node(&RULE, model, p, format!("unknown protocol \"{name}\""))
                        .help("nginx's mail protocols are `imap`, `pop3` and `smtp`"),
                );
                known = true;
            }
        }
        known |= model
            .children_named_slice(Some(id), "listen")
            .iter()
            .filter_map(|&l| model.arg(l, 0))
            .filter_map(|a| listen_port(&a))
            .any(|port| PROTOCOLS.iter().any(|&(_, ports)| ports.contains(&port)));
        if !known && !cx.model.include_failed_at(Some(id)) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, "unknown mail protocol for server").help(
                    "add `protocol smtp;` (or imap, pop3): only the standard ports (25, 465, 587, 110, 995, 143, 993) name the protocol by themselves",
                ),
            );
        }
        let has_auth = !model.children_named_slice(Some(id), "auth_http").is_empty()
            || node
                .parent()
                .is_some_and(|m| !model.children_named_slice(Some(m), "auth_http").is_empty());
        if !has_auth && complete(model) {
            auth.push(
                Diagnostic::at_node(&RULE, model, id, "no \"auth_http\" is defined for server")
                    .help("nginx asks an HTTP service whom to let in and where to proxy: set `auth_http URL;` in `mail` or in the server"),
            );
        }
    }
    // nginx merges the core module's settings of every server before auth_http's.
    out.extend(auth);
    out
}
