//! `listen-missing`: a `stream` or `mail` `server` without a `listen` (`ngx_stream_core_server`,
//! `ngx_mail_core_server`: `no "listen" is defined for server in nginx.conf:12`). Unlike an http
//! server, which listens on port 80 by default, these have no default address. Silent when an
//! include inside the server found nothing (the `listen` may be in it).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "listen-missing",
    summary: "a `stream` or `mail` server without a `listen` (nginx: no \"listen\" is defined for server)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/listen-missing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("server") {
        let node = model.node(id);
        if !matches!(node.context, Context::Stream | Context::Mail) || !is_nginx(model, id) {
            continue;
        }
        let children = model.children(id);
        let has = |name: &str| children.iter().any(|&c| model.name(c) == name);
        if has("listen") || node.directive.block().is_none() || model.include_failed_at(Some(id)) {
            continue;
        }
        let block = if node.context == Context::Stream {
            "stream"
        } else {
            "mail"
        };
        out.push(
            Diagnostic::at_node(&RULE, model, id, "no \"listen\" is defined for server").help(
                format!("a `{block}` server has no default address: add `listen ADDRESS:PORT;`"),
            ),
        );
    }
    out
}
