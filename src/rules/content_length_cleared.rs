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
    // The clearing lines (of the part, [`super::BY_PART`]: every `proxy_set_header` line is
    // read, on lines the part's other rules have just read): few, so the locations are asked
    // only below one.
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
    let receives_bodies = |loc: NodeId| {
        let body = model.effective(Some(loc), "proxy_pass_request_body");
        !model.effective_value(&body).eq_ignore_ascii_case("off")
            // A subrequest's location: `internal`, or the one an `auth_request` names.
            && !is_internal(model, loc)
            && !location_match(model, loc)
                .is_some_and(|(_, path)| auth_uris.iter().any(|u| u == &path))
    };
    // Each line applies to its own level and the levels below that have no `proxy_set_header`
    // list of their own (nginx's all-or-nothing inheritance): walked down from the line, once
    // per level, in the order written; the first proxied location that passes bodies on is
    // named.
    let mut levels_seen: foldhash::HashSet<NodeId> = Default::default();
    for &line in &cleared {
        let Some(level) = model.node(line).parent() else {
            continue;
        };
        if !levels_seen.insert(level) {
            continue;
        }
        let mut stack = vec![level];
        let mut found = None;
        while let Some(at) = stack.pop() {
            if model.name(at) == "location"
                && let Some(&p) = model.children_named_slice(Some(at), "proxy_pass").first()
                && receives_bodies(at)
            {
                found = Some((at, p));
                break;
            }
            let below = ["server", "location"]
                .iter()
                .flat_map(|name| model.children_named_slice(Some(at), name).iter().copied())
                .filter(|&c| {
                    model
                        .children_named_slice(Some(c), "proxy_set_header")
                        .is_empty()
                });
            let mut next: Vec<NodeId> = below.collect();
            next.sort_unstable();
            stack.extend(next.into_iter().rev());
        }
        let Some((loc, p)) = found else {
            continue;
        };
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
