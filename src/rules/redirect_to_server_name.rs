//! `redirect-to-server-name`: a redirect to `$server_name` in a server whose first name is no
//! host a client can reach: `server_name _;` then `return 301 https://$server_name$request_uri;`
//! sends every client to `https://_/...`. `$server_name` is the server's first `server_name`
//! as written (`ngx_http_variable_server_name`), whatever host the request named.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::script::variable_at;
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "redirect-to-server-name",
    summary: "a redirect to `$server_name` in a server whose first name is `_`, empty, a \
              wildcard or a regex: clients are sent to a host that does not exist",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/redirect-to-server-name.md"),
    check,
};

/// Why a first server name is no host a client can be sent to.
fn unusable(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("empty (no `server_name`, or `\"\"`)")
    } else if name == "_" {
        Some("`_`, the catch-all placeholder")
    } else if name.starts_with('~') {
        Some("a regex")
    } else if name.starts_with('*') || name.starts_with('.') || name.ends_with('*') {
        Some("a wildcard")
    } else {
        None
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["return", "rewrite"] {
        for &d in cx.directives_named(name) {
            // The URL argument: `return [code] URL` (a 3xx code, or none with a URL), or
            // `rewrite regex URL [redirect|permanent]`, or any rewrite to `http(s)://`.
            let args: Vec<_> = model.node(d).directive.arg_tokens().collect();
            let (index, redirect) = match name {
                "return" => match args.len() {
                    1 => (0, true),
                    2 => (
                        1,
                        model.arg_str(d, 0).is_some_and(|c| {
                            matches!(c.as_ref(), "301" | "302" | "303" | "307" | "308")
                        }),
                    ),
                    _ => continue,
                },
                _ => (1, args.len() >= 2),
            };
            if !redirect {
                continue;
            }
            let Some(url) = model.arg_str(d, index) else {
                continue;
            };
            // `$server_name` in the host part: after `://`, before the path.
            let Some(rest) = url.find("://").map(|i| &url[i + 3..]) else {
                continue;
            };
            let host = &rest[..rest.find('/').unwrap_or(rest.len())];
            // The variable as spelled there (`$server_name` or `${server_name}`), read as
            // nginx reads names: `$server_name_x` is another variable.
            let Some(written) = host.match_indices('$').find_map(|(i, _)| {
                let (name, after) = variable_at(&host[i + 1..])?;
                (name == "server_name").then(|| &host[i..host.len() - after.len()])
            }) else {
                continue;
            };
            let Some(server) = model.enclosing(d, "server") else {
                continue;
            };
            // A server name an unread include may hold is not known.
            if model.include_failed_at(Some(server)) {
                continue;
            }
            let first = model
                .children_named_slice(Some(server), "server_name")
                .first()
                .and_then(|&n| model.arg_str(n, 0))
                .unwrap_or_default();
            let Some(why) = unusable(&first) else {
                continue;
            };
            let file = model.file_of(d);
            let token = args[index];
            let mut diag = Diagnostic::new(
                &RULE,
                Label::new(file, token.span(), "redirects to the server's first name"),
                format!(
                    "`{written}` is this server's first `server_name`, {why}: the redirect sends \
                     clients to `{}`, a host that does not exist",
                    url.replacen(written, &first, 1)
                ),
            )
            .help(
                "redirect to `$host`, the host the request named (or write the site's name); \
                 `$server_name` is the first `server_name` as written, whatever the request \
                 asked for",
            );
            // The name replaced in the token as written (unquoted or quoted alike, when the
            // variable is spelled there as in its value).
            if matches!(
                token.kind(),
                TokenKind::Word | TokenKind::DoubleQuoted | TokenKind::SingleQuoted
            ) {
                let src = model.src(d);
                let span = token.span();
                let text = &src[span.range()];
                if let Some(pos) = text
                    .windows(written.len())
                    .position(|w| w == written.as_bytes())
                {
                    let start = span.start + pos as u32;
                    let at = crate::syntax::span::Span {
                        start,
                        end: start + written.len() as u32,
                    };
                    diag = diag.fix(Fix::unsafe_(
                        format!("Redirect to `$host` instead of `{written}`"),
                        vec![Edit::replace(file, at, "$host")],
                    ));
                }
            }
            out.push(diag);
        }
    }
    out
}
