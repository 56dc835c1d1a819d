//! `cache-set-cookie-stored`: `proxy_ignore_headers Set-Cookie` (or a `fastcgi_`, `uwsgi_`,
//! `scgi_` twin) where a cache is in effect and the header is not hidden. nginx caches no
//! response that sets a cookie, unless told to ignore the header: then the response is stored
//! with its `Set-Cookie`, and every later client answered from the cache receives that
//! cookie (another user's session).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{Reference, references};

pub static RULE: Rule = Rule {
    id: "cache-set-cookie-stored",
    summary: "`proxy_ignore_headers Set-Cookie` under a cache: responses that set a cookie are \
              stored with it, and the cookie is handed to every client the cache answers",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/cache-set-cookie-stored.md"),
    check,
};

const PREFIXES: &[&str] = &["proxy", "fastcgi", "uwsgi", "scgi"];

/// Does header list line `n` (`*_ignore_headers`, `*_hide_header`) name `Set-Cookie`?
fn line_names_set_cookie(model: &Model<'_>, n: NodeId) -> bool {
    (0..model.arg_count(n)).any(|i| {
        model
            .arg_str(n, i)
            .is_some_and(|a| a.eq_ignore_ascii_case("set-cookie"))
    })
}

/// Does the cache key keep users apart: a cookie or the credentials in it?
fn key_per_user(model: &Model<'_>, level: Option<NodeId>, directive: &str) -> bool {
    model.effective(level, directive).nodes.iter().any(|&n| {
        model.args_str(n).iter().any(|a| {
            references(a).any(|r| match r {
                Reference::Var(v) => {
                    let v = v.to_ascii_lowercase();
                    v == "http_cookie"
                        || v.starts_with("cookie_")
                        || v == "http_authorization"
                        || v == "remote_user"
                }
                Reference::Capture(_) => false,
            })
        })
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for prefix in PREFIXES {
        let ignore_name = format!("{prefix}_ignore_headers");
        if model.directives_named(&ignore_name).is_empty() {
            continue;
        }
        let pass_name = format!("{prefix}_pass");
        let (cache_name, hide_name, key_name) = (
            format!("{prefix}_cache"),
            format!("{prefix}_hide_header"),
            format!("{prefix}_cache_key"),
        );
        // Each location that passes requests on with this handler: where the responses are
        // stored or not.
        let mut seen = foldhash::HashSet::default();
        for &pass in cx.directives_named(&pass_name) {
            let Some(loc) = model.node(pass).parent() else {
                continue;
            };
            let loc = if model.name(loc) == "if" {
                match model.node(loc).parent() {
                    Some(l) => l,
                    None => continue,
                }
            } else {
                loc
            };
            if model.name(loc) != "location" || !seen.insert(loc) {
                continue;
            }
            // Answers that go to nginx itself (an `auth_request` or a script's subrequest), not
            // to a browser: an `internal` or a named location.
            if !model.children_named_slice(Some(loc), "internal").is_empty()
                || model.arg_str(loc, 0).is_some_and(|a| a.starts_with('@'))
            {
                continue;
            }
            let level = Some(loc);
            let cache = model.effective(level, &cache_name);
            let Some(&zone) = cache.nodes.first() else {
                continue;
            };
            if model.arg_is(zone, 0, "off") {
                continue;
            }
            let ignore = model.effective(level, &ignore_name);
            let Some(&line) = ignore
                .nodes
                .iter()
                .find(|&&n| line_names_set_cookie(model, n))
            else {
                continue;
            };
            let hidden = model
                .effective(level, &hide_name)
                .nodes
                .iter()
                .any(|&n| line_names_set_cookie(model, n));
            if hidden || key_per_user(model, level, &key_name) {
                continue;
            }
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                line,
                format!(
                    "`{ignore_name} Set-Cookie` lets the cache store responses that set a cookie, \
                     with the cookie: every client answered from the cache receives it (another \
                     user's session)"
                ),
            )
            .label(Label::at_node(model, zone, "the cache that stores them"))
            .help(format!(
                "add `{hide_name} Set-Cookie;` if these responses need no cookie (static \
                 files), or take `Set-Cookie` out of `{ignore_name}` so that nginx caches \
                 only the responses that set none"
            ));
            if model.node(line).parent() != Some(loc) {
                d = d.label(Label::at_node(model, loc, "the location it applies to"));
            }
            d.primary.text = "cookies cached".into();
            out.push(d);
        }
    }
    // One finding per line: several locations inheriting one `proxy_ignore_headers`.
    out.sort_by_key(|d| (d.primary.file, d.primary.span.start));
    out.dedup_by_key(|d| (d.primary.file, d.primary.span.start));
    out
}
