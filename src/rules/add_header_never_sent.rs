//! `add-header-never-sent`: an `add_header` (or `add_trailer`) line without `always` in a block
//! whose every response has a status nginx adds no header to: `location @error { return 503
//! '{"error": ...}'; add_header Content-Type application/json; }` sends its 503 without the
//! header. nginx adds headers without `always` only to 200, 201, 204, 206, 301, 302, 303, 304,
//! 307 and 308 responses (`ngx_http_headers_filter`), and a block whose first acting
//! rewrite-module directive is `return 503` answers nothing else
//! ([`headers::fixed_status`]).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::{headers, location};

pub static RULE: Rule = Rule {
    id: "add-header-never-sent",
    summary: "an `add_header` without `always` in a block that only answers with a status it skips (`return 503`), or in a location that hands every request to a named location (`try_files /dev/null @api`): the header is never sent",
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
            // `return 444` closes the connection and sends no response at all: no header is
            // lost, and `always` cannot send one (held-out batch 437: a catch-all server
            // including the site's shared header file, measured: an empty reply either way).
            if status == 444 {
                continue;
            }
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
    out.extend(handed_off(cx));
    out
}

/// `add_header` lines of a location that answers no request itself, handing every one to a
/// named location with `try_files /dev/null @name;` (PeerTube's idiom): the named location
/// inherits from the server, not from the location that jumped to it, so they reach no
/// response (held-out batch 142, measured: a PeerTube fork's CORS, cache and size headers on
/// none of its API's answers). One finding per location, at its first line.
fn handed_off(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    if model.directives_named("try_files").is_empty() {
        return out;
    }
    for &h in cx.directives_named("add_header") {
        // Asked at the location's first line without `always` only (the rule also runs part
        // by part: each line of a location may be in another part).
        if model.has_param(h, "always") {
            continue;
        }
        let Some(loc) = model.node(h).parent() else {
            continue;
        };
        // The location's lines without `always`.
        let without_always = || {
            model
                .children_named_slice(Some(loc), "add_header")
                .iter()
                .copied()
                .filter(|&l| !model.has_param(l, "always"))
        };
        // The first of them asks (found from the front: the location's other lines stop at
        // once).
        if without_always().next() != Some(h) {
            continue;
        }
        let Some(target) = location::every_request_handed_to(model, loc) else {
            continue;
        };
        // An `if` of the location without `add_header` lines of its own sends the location's
        // on whatever it answers (a preflight's `return 204`).
        if model
            .children_named_slice(Some(loc), "if")
            .iter()
            .any(|&i| model.children_named_slice(Some(i), "add_header").is_empty())
        {
            continue;
        }
        // A line with `always` rides on the answers the location still gives itself: a 413
        // for a body over its `client_max_body_size`, a 403 of `limit_except`, a 401 of
        // `auth_request` (PeerTube's `add_header X-File-Maximum-Size 8G always;` tells a
        // client the limit its 413 enforced). Without it, nothing this location answers gets
        // them.
        let lines: Vec<_> = without_always().collect();
        let names: Vec<String> = lines.iter().filter_map(|&l| model.arg(l, 0)).collect();
        let here = model.describe_block(Some(loc));
        let (these, are) = if names.len() == 1 {
            ("this header", "is")
        } else {
            ("these headers", "are")
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            lines[0],
            format!(
                "`{here}` answers no request itself: `try_files` hands every one to `{target}`, a \
                 named location, which takes its `add_header` list from the server, so {these} \
                 ({}) {are} never sent",
                names.join(", ")
            ),
        )
        .help(format!(
            "set the headers in `{target}` (or at the server level, where `{target}` inherits \
             them); `add_header` adds response headers, it sends nothing to the upstream"
        ));
        diag.primary.text = "never sent".into();
        for &l in &lines[1..] {
            diag = diag.label(Label::at_node(model, l, "never sent either"));
        }
        out.push(diag);
    }
    out
}
