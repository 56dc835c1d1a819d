//! `transfer-encoding-set`: `proxy_set_header Transfer-Encoding chunked;` (meant to make a
//! stream "chunked") sends the upstream a header that says the request body is chunked when
//! it is not: nginx sends the body as it is, with its own `Content-Length`, or no body at all.
//! The upstream reads the body as chunks (RFC 9112: `Transfer-Encoding` wins over
//! `Content-Length`), rejects the request, or waits for chunks that never come. How nginx
//! streams a response has nothing to do with this request header.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::style::removal_span;
use crate::fix::{Edit, Fix};

pub static RULE: Rule = Rule {
    id: "transfer-encoding-set",
    summary: "`proxy_set_header Transfer-Encoding ...` tells the upstream the request body is \
              chunked when nginx sends it whole (or none): the upstream rejects the request or \
              waits for chunks that never come",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/transfer-encoding-set.md"),
    check,
};

/// The directives that set a header of the request sent upstream.
const DIRECTIVES: &[&str] = &["proxy_set_header", "grpc_set_header"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for directive in DIRECTIVES {
        for &n in cx.directives_named(directive) {
            // `Transfer-Encoding` is 17 bytes: shorter names are not read.
            if model
                .node(n)
                .directive
                .arg_tokens()
                .next()
                .is_none_or(|t| t.span().len() < 17)
            {
                continue;
            }
            if !model
                .arg_str(n, 0)
                .is_some_and(|h| h.eq_ignore_ascii_case("transfer-encoding"))
            {
                continue;
            }
            // An empty value is not sent: the idiom that removes a header.
            let Some(value) = model.arg_str(n, 1).filter(|v| !v.is_empty()) else {
                continue;
            };
            let file = model.file_of(n);
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`Transfer-Encoding: {value}` goes to the upstream with every request, but \
                     nginx sends the request body whole with its own `Content-Length` (or no \
                     body): the upstream reads the body as chunks, rejects the request (nginx \
                     as the upstream answers 400), or waits for chunks that never come (a GET \
                     hangs until a timeout)"
                ),
            )
            .help(
                "remove the line: nginx frames the request body itself, and a response streams \
                 or not by `proxy_buffering` and `proxy_http_version 1.1`, not by this request \
                 header",
            );
            let span = removal_span(model.src(n), model.node(n).directive.span());
            diag = diag.fix(Fix::unsafe_(
                format!("Remove `{directive} Transfer-Encoding {value}`"),
                vec![Edit::replace(file, span, "")],
            ));
            out.push(diag);
        }
    }
    out
}
