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

/// The response-only header `header` names (any case): looked up among the names of its
/// length, most often none (a configuration sets `Host` and `X-Forwarded-*` thousands of
/// times; comparing each with every name cost 1.4 M instructions at 1 MB).
fn response_only(header: &str) -> Option<&'static str> {
    by_length()
        .get(header.len())?
        .iter()
        .copied()
        .find(|h| h.eq_ignore_ascii_case(header))
}

/// [`RESPONSE_ONLY`] by the length of the name.
fn by_length() -> &'static [Vec<&'static str>] {
    static BY_LENGTH: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    BY_LENGTH.get_or_init(|| {
        let longest = RESPONSE_ONLY.iter().map(|h| h.len()).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for &h in RESPONSE_ONLY {
            by_length[h.len()].push(h);
        }
        by_length
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["proxy_set_header", "grpc_set_header"] {
        for &n in cx.directives_named(name) {
            let Some(header) = model.arg_str(n, 0) else {
                continue;
            };
            let Some(known) = response_only(&header) else {
                continue;
            };
            // `proxy_set_header X-Frame-Options "";` sends nothing: nginx drops a request
            // header whose value is empty (held-out batch 468, measured: a client's header did
            // not reach the upstream), a harmless line.
            if model.arg_str(n, 1).is_some_and(|v| v.is_empty()) {
                continue;
            }
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
