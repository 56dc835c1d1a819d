//! `proxy-pass-uri-forbidden`: `proxy_pass` with a URI part where nginx cannot replace the
//! matched part of the request URI: in a regex location, a named location, an `if` block or a
//! `limit_except` block (`ngx_http_proxy_pass`). URLs with variables are not checked by nginx
//! either.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{LocationKind, location_head, url_parts};

pub static RULE: Rule = Rule {
    id: "proxy-pass-uri-forbidden",
    summary: "`proxy_pass` with a URI part in a regex or named location, `if` or `limit_except` (nginx: cannot have URI part)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-pass-uri-forbidden.md"),
    check,
};

const MESSAGE: &str = "\"proxy_pass\" cannot have URI part in location given by regular expression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" block";

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("proxy_pass") {
        let node = model.node(id);
        let Some(url) = model.arg_str(id, 0) else {
            continue;
        };
        let Some((_, _, true)) = url_parts(&url, &["http://", "https://"]) else {
            continue;
        };
        if !url.starts_with("http://") && !url.starts_with("https://") {
            continue;
        }
        let place = match node.context {
            Context::HttpLocationIf => "an `if` block",
            Context::LimitExcept => "a `limit_except` block",
            Context::HttpLocation => match node.parent().and_then(|p| location_head(model, p)) {
                Some((LocationKind::Regex { .. }, _)) => "a regex location",
                Some((LocationKind::Named, _)) => "a named location",
                _ => continue,
            },
            _ => continue,
        };
        out.push(Diagnostic::at_node(&RULE, model, id, MESSAGE).help(format!(
            "in {place} nginx cannot replace the matched part of the URI: drop the path \
             from the URL (`proxy_pass scheme://host;`) and set the URI with `rewrite ... break;` if needed"
        )));
    }
    out
}
