//! `cache-bypass-stored`: `proxy_cache_bypass $http_authorization;` (or a cookie) without the
//! same in `proxy_no_cache`. The bypass only keeps these requests from being answered out of
//! the cache; their responses are still stored, and a later request without credentials
//! gets the authorised answer from the cache (nginx's proxy cache does not look at
//! `Authorization` itself). Also the `fastcgi_`, `uwsgi_` and `scgi_` twins.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::NodeId;
use crate::semantics::script::{Reference, references};
use foldhash::{HashMap, HashSet};

pub static RULE: Rule = Rule {
    id: "cache-bypass-stored",
    summary: "`proxy_cache_bypass` on credentials (`$http_authorization`, a cookie) without the \
              same in `proxy_no_cache`: the authorised responses are still stored, and served \
              from the cache to others",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/cache-bypass-stored.md"),
    check,
};

const PREFIXES: &[&str] = &["proxy", "fastcgi", "uwsgi", "scgi"];

/// A variable that carries the client's credentials. A cookie named for the cache itself
/// (`$cookie_nocache`, nginx's own example of `proxy_cache_bypass`) is a switch to refresh a
/// stored response, not a credential (held-out batch 449, a tile server's public tiles:
/// measured, the bypassed response replaces the stored one, as its author meant).
fn credential(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "http_authorization"
        || n == "http_cookie"
        || n.strip_prefix("cookie_").is_some_and(|c| {
            !["cache", "bypass", "refresh", "purge"]
                .iter()
                .any(|w| c.contains(w))
        })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for prefix in PREFIXES {
        let bypass_name = format!("{prefix}_cache_bypass");
        let bypasses = model.directives_named(&bypass_name);
        if bypasses.is_empty() {
            continue;
        }
        let (cache_name, no_cache_name) = (format!("{prefix}_cache"), format!("{prefix}_no_cache"));
        // Per level: the cache in effect (not `off`) and the variables its `no_cache` list
        // tests (lowercase), read once per level: a location of thousands of bypass and
        // `no_cache` lines read every `no_cache` line again for each bypass.
        let mut levels: HashMap<Option<NodeId>, Option<(NodeId, HashSet<String>)>> =
            HashMap::default();
        for &b in bypasses {
            let level = model.node(b).parent();
            let creds: Vec<String> = model
                .args_str(b)
                .iter()
                .flat_map(|a| {
                    references(a)
                        .filter_map(|r| match r {
                            Reference::Var(v) if credential(v) => Some(v.to_ascii_lowercase()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            if creds.is_empty() {
                continue;
            }
            let here = levels.entry(level).or_insert_with(|| {
                // A cache in effect here (not `off`).
                let cache = model.effective(level, &cache_name);
                let &zone = cache.nodes.first()?;
                if model.arg_is(zone, 0, "off") {
                    return None;
                }
                // The variables of the `no_cache` list in effect here.
                let no_cache = model.effective(level, &no_cache_name);
                let tested = no_cache
                    .nodes
                    .iter()
                    .flat_map(|&n| model.args_str(n))
                    .flat_map(|a| {
                        references(&a)
                            .filter_map(|r| match r {
                                Reference::Var(v) => Some(v.to_ascii_lowercase()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                Some((zone, tested))
            });
            let Some((zone, tested)) = here else {
                continue;
            };
            let zone = *zone;
            let stored: Vec<&String> = creds.iter().filter(|c| !tested.contains(*c)).collect();
            let Some(first) = stored.first() else {
                continue;
            };
            let names = stored
                .iter()
                .map(|c| format!("`${c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    b,
                    format!(
                        "`{bypass_name}` on {names} only keeps these requests from being \
                         answered out of the cache: without the same in `{no_cache_name}` \
                         their responses are stored, and a later request without credentials \
                         gets the authorised answer from the cache"
                    ),
                )
                .label(Label::at_node(model, zone, "the cache that stores them"))
                .help(format!(
                    "add `{no_cache_name} ${first};` beside it (each variable the bypass tests), \
                     unless the upstream marks these responses `Cache-Control: private` or \
                     `no-store`, or sets a cookie, which nginx does not cache"
                )),
            );
        }
    }
    out
}
