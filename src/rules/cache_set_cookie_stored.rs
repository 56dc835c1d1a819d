//! `cache-set-cookie-stored`: `proxy_ignore_headers Set-Cookie` (or a `fastcgi_`, `uwsgi_`,
//! `scgi_` twin) where a cache is in effect and the header is not hidden. nginx caches no
//! response that sets a cookie, unless told to ignore the header: then the response is stored
//! with its `Set-Cookie`, and every later client answered from the cache receives that
//! cookie (another user's session).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::cache::{HANDLERS, Ignoring, ignoring_locations, key_per_user, lists_header};

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

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for prefix in HANDLERS {
        let ignore_name = format!("{prefix}_ignore_headers");
        if model.directives_named(&ignore_name).is_empty() {
            continue;
        }
        let (hide_name, key_name) = (
            format!("{prefix}_hide_header"),
            format!("{prefix}_cache_key"),
        );
        // Each location that passes requests on with this handler: where the responses are
        // stored or not.
        let passes = cx.directives_named(&format!("{prefix}_pass"));
        for Ignoring {
            location: loc,
            zone,
            line,
        } in ignoring_locations(model, passes, prefix, "set-cookie")
        {
            let level = Some(loc);
            let hidden = model
                .effective(level, &hide_name)
                .nodes
                .iter()
                .any(|&n| lists_header(model, n, "set-cookie"));
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
