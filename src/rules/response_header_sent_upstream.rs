//! `response-header-sent-upstream`: `proxy_set_header X-Frame-Options SAMEORIGIN;` (or another
//! header only responses carry: CORS, HSTS, CSP, `Set-Cookie`) adds the header to the request
//! nginx sends the upstream; the browser it was written for never sees it.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::headers::RESPONSE_ONLY;

pub static RULE: Rule = Rule {
    id: "response-header-sent-upstream",
    summary: "`proxy_set_header` with a header only responses carry (`X-Frame-Options`, CORS, \
              HSTS): it goes to the upstream in the request, never to the browser",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/response-header-sent-upstream.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["proxy_set_header", "grpc_set_header"] {
        for &n in cx.directives_named(name) {
            let Some(header) = model.arg_str(n, 0) else {
                continue;
            };
            let Some(&known) = RESPONSE_ONLY
                .iter()
                .find(|h| h.eq_ignore_ascii_case(&header))
            else {
                continue;
            };
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name}` sets a header of the request nginx sends the upstream: \
                     `{known}` is a response header, which reaches the application here and \
                     never the browser"
                ),
            )
            .help(format!(
                "to send it to the client, use `add_header {known} ...;` (mind that a level \
                 with its own `add_header` lines inherits none from above); if the \
                 application needs the value, name it as a request header (`X-...`)"
            ));
            d.primary.text = "sent upstream, not to the client".into();
            out.push(d);
        }
    }
    out
}
