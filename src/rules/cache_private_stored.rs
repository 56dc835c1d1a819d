//! `cache-private-stored`: `proxy_ignore_headers Cache-Control` (or a `fastcgi_`, `uwsgi_`,
//! `scgi_` twin) where a cache stores responses for a location of the application itself,
//! with no `*_no_cache` and a key without cookie or credentials. nginx keeps a response the
//! backend marks `private`, `no-cache` or `no-store` out of its cache, unless told to ignore
//! `Cache-Control`: then a signed-in user's page is stored under the URL alone and every
//! later client gets it.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::cache::{HANDLERS, Ignoring, ignoring_locations, key_per_user, lists_header};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::{location_path, names_static_files};

pub static RULE: Rule = Rule {
    id: "cache-private-stored",
    summary: "`proxy_ignore_headers Cache-Control` under a cache keyed by URL alone: pages the \
              backend marked private are stored and served to every client",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/cache-private-stored.md"),
    check,
};

/// Does location `loc`'s pattern name files that are the same for every client: static files
/// ([`names_static_files`]), or a word of its pattern naming media (`location ~ ^/(media|proxy)`,
/// Pleroma's uploads and media proxy; `/thumbnails/`, `/avatars/`)?
fn names_shared_files(model: &Model<'_>, loc: NodeId) -> bool {
    const MEDIA: &[&str] = &[
        "static",
        "assets",
        "media",
        "images",
        "image",
        "img",
        "fonts",
        "uploads",
        "thumbnails",
        "thumbs",
        "avatars",
        "emoji",
    ];
    names_static_files(model, loc)
        || location_path(model, loc)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| MEDIA.iter().any(|m| w.eq_ignore_ascii_case(m)))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for prefix in HANDLERS {
        let ignore_name = format!("{prefix}_ignore_headers");
        if model.directives_named(&ignore_name).is_empty() {
            continue;
        }
        let names = |suffix: &str| format!("{prefix}_{suffix}");
        let (hide_name, key_name, valid_name, no_cache_name) = (
            names("hide_header"),
            names("cache_key"),
            names("cache_valid"),
            names("no_cache"),
        );
        let passes = cx.directives_named(&names("pass"));
        for Ignoring {
            location: loc,
            zone,
            line,
        } in ignoring_locations(model, passes, prefix, "cache-control")
        {
            let level = Some(loc);
            // Without `Cache-Control`, nginx stores a response for the time `*_cache_valid`
            // gives its status (or its `Expires`, which a private answer sets in the past):
            // none in effect, nothing private is kept.
            if model.effective(level, &valid_name).nodes.is_empty() {
                continue;
            }
            // The author decides which responses are stored (`proxy_no_cache $cookie_session`),
            // or keeps users apart in the key; files under a static path are the same for all.
            if !model.effective(level, &no_cache_name).nodes.is_empty()
                || key_per_user(model, level, &key_name)
                || names_shared_files(model, loc)
            {
                continue;
            }
            // A line that also ignores `Set-Cookie` unhidden is `cache-set-cookie-stored`'s
            // finding: one finding per line.
            let set_cookie_ignored = model
                .effective(level, &ignore_name)
                .nodes
                .iter()
                .any(|&n| lists_header(model, n, "set-cookie"));
            let set_cookie_hidden = model
                .effective(level, &hide_name)
                .nodes
                .iter()
                .any(|&n| lists_header(model, n, "set-cookie"));
            if set_cookie_ignored && !set_cookie_hidden {
                continue;
            }
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                line,
                format!(
                    "`{ignore_name} Cache-Control` lets the cache store responses the backend \
                     marked `private` or `no-store` (a signed-in user's page), under a key \
                     without cookie or credentials: every client asking for the URL gets them"
                ),
            )
            .label(Label::at_node(model, zone, "the cache that stores them"))
            .help(format!(
                "keep signed-in requests out of the cache (`{no_cache_name} $cookie_session \
                 $http_authorization;` with the same `{prefix}_cache_bypass`; name your app's \
                 session cookie), or take `Cache-Control` out of `{ignore_name}` so that nginx \
                 stores only what the backend lets it"
            ));
            if model.node(line).parent() != Some(loc) {
                d = d.label(Label::at_node(model, loc, "the location it applies to"));
            }
            d.primary.text = "private pages cached".into();
            out.push(d);
        }
    }
    // One finding per line: several locations inheriting one `proxy_ignore_headers`.
    out.sort_by_key(|d| (d.primary.file, d.primary.span.start));
    out.dedup_by_key(|d| (d.primary.file, d.primary.span.start));
    out
}
