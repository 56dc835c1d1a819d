//! `add-header-never-sent`: an `add_header` (or `add_trailer`) line without `always` in a block
//! whose every response has a status nginx adds no header to: `location @error { return 503
//! '{"error": ...}'; add_header Content-Type application/json; }` sends its 503 without the
//! header. nginx adds headers without `always` only to 200, 201, 204, 206, 301, 302, 303, 304,
//! 307 and 308 responses (`ngx_http_headers_filter`), and a block whose first acting
//! rewrite-module directive is `return 503` answers nothing else
//! ([`headers::fixed_status`]).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::headers;

pub static RULE: Rule = Rule {
    id: "add-header-never-sent",
    summary: "an `add_header` without `always` in a block that only answers with a status it skips (`return 503`): the header is never sent",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/add-header-never-sent.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["add_header", "add_trailer"] {
        for &n in cx.directives_named(name) {
            let Some((status, ret)) = headers::never_added(model, n) else {
                continue;
            };
            let header = model.arg_str(n, 0).unwrap_or_default();
            let what = if name == "add_header" {
                "headers"
            } else {
                "trailers"
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} {header}` is never sent: every response of this block is a \
                     {status}, and `{name}` adds {what} only to 200, 201, 204, 206, 301, 302, \
                     303, 304, 307 and 308 responses unless it ends with `always`"
                ),
            )
            .label(Label::new(
                model.file_of(ret),
                model.node(ret).directive.head_span(),
                format!("every response here is a {status}"),
            ));
            diag.primary.text = "never added".into();
            if name == "add_header" && header.eq_ignore_ascii_case("content-type") {
                // `always` would send a second Content-Type beside nginx's own.
                let value = model.arg_str(n, 1).unwrap_or_default();
                diag = diag.help(format!(
                    "to set the type of the body `return` sends, use `default_type {value};` \
                     in this block instead"
                ));
            } else if name == "add_header"
                && (header.eq_ignore_ascii_case("content-length")
                    || header.eq_ignore_ascii_case("transfer-encoding"))
            {
                // `always` would add a second framing header (add-header-framing's).
                diag = diag.help(
                    "remove the line: nginx frames every response itself, and with `always` \
                     this one would be a second framing header",
                );
            } else {
                // Right after the last argument, before any comment or the `;`.
                let end = model.node(n).directive.head_span().end;
                diag = diag
                    .help(format!("add `always` to send it with a {status} too"))
                    .fix(Fix::unsafe_(
                        "Add `always`",
                        vec![Edit::insert(model.file_of(n), end, " always")],
                    ));
            }
            out.push(diag);
        }
    }
    out
}
