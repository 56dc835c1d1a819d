//! `content-length-cleared`: `proxy_set_header Content-Length "";` in effect where nginx passes
//! the client's request body on. The line belongs to `auth_request` subrequests (nginx's
//! documented recipe, beside `proxy_pass_request_body off;`); copied into a location that
//! proxies requests with bodies, it makes nginx send the body with no length, and the
//! upstream reads none.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::access::is_internal;
use crate::semantics::location::location_match;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "content-length-cleared",
    summary: "`proxy_set_header Content-Length \"\"` where the request body is passed on: the \
              upstream gets the body without a length and reads none",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/content-length-cleared.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The clearing lines: few (most configurations have none), so the locations are asked
    // only where there is one.
    let cleared: Vec<NodeId> = cx
        .directives_named("proxy_set_header")
        .iter()
        .copied()
        .filter(|&n| {
            model
                .arg_str(n, 0)
                .is_some_and(|h| h.eq_ignore_ascii_case("Content-Length"))
                && model.arg_str(n, 1).is_some_and(|v| v.is_empty())
        })
        .collect();
    if cleared.is_empty() {
        return out;
    }
    // The URIs `auth_request` asks: their locations get subrequests, which carry no body.
    let auth_uris: Vec<String> = model
        .directives_named("auth_request")
        .iter()
        .filter_map(|&a| model.arg(a, 0))
        .filter(|u| u != "off")
        .collect();
    let mut reported: Vec<NodeId> = Vec::new();
    for &p in model.directives_named("proxy_pass") {
        let Some(loc) = model.enclosing(p, "location") else {
            continue;
        };
        let headers = model.effective(Some(loc), "proxy_set_header");
        let Some(&line) = headers.nodes.iter().find(|n| cleared.contains(n)) else {
            continue;
        };
        if reported.contains(&line) {
            continue;
        }
        let body = model.effective(Some(loc), "proxy_pass_request_body");
        if model.effective_value(&body).eq_ignore_ascii_case("off") {
            continue;
        }
        // A subrequest's location: `internal`, or the one an `auth_request` names.
        let auth_target = is_internal(model, loc)
            || location_match(model, loc)
                .is_some_and(|(_, path)| auth_uris.iter().any(|u| u == &path));
        if auth_target {
            continue;
        }
        reported.push(line);
        let here = model.describe_block(Some(loc));
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            line,
            format!(
                "`proxy_set_header Content-Length \"\"` applies to `{here}`, which passes the \
                 request body on: nginx sends a POST's or PUT's body without `Content-Length` \
                 (nor chunked framing), and the upstream reads an empty body"
            ),
        )
        .label(Label::at_node(model, p, "the body is passed on here"))
        .help(
            "the line belongs to the location `auth_request` asks, beside \
             `proxy_pass_request_body off;`; remove it from locations that proxy requests with \
             bodies (or give them their own `proxy_set_header` list without it)",
        );
        d.primary.text = "the body's length is removed".into();
        out.push(d);
    }
    out
}
