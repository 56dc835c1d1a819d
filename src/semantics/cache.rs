//! Questions about nginx's response caches (`proxy_cache` and its `fastcgi_`, `uwsgi_`,
//! `scgi_` twins) that the cache rules share: which locations fill a cache for a client,
//! which header lists name a header, whether the cache key keeps users apart.

use super::model::{Model, NodeId};
use super::script::{Reference, references};

/// The handlers with a response cache, as the prefixes of their directives.
pub const HANDLERS: &[&str] = &["proxy", "fastcgi", "uwsgi", "scgi"];

/// Does header list line `n` (`*_ignore_headers`, `*_hide_header`) name `header`
/// (case-insensitive, as nginx compares header names)?
pub fn lists_header(model: &Model<'_>, n: NodeId, header: &str) -> bool {
    (0..model.arg_count(n)).any(|i| {
        model
            .arg_str(n, i)
            .is_some_and(|a| a.eq_ignore_ascii_case(header))
    })
}

/// Does the cache key in effect at `level` (`key_directive`: `proxy_cache_key`...) keep users
/// apart: a cookie or the credentials in it?
pub fn key_per_user(model: &Model<'_>, level: Option<NodeId>, key_directive: &str) -> bool {
    model
        .effective(level, key_directive)
        .nodes
        .iter()
        .any(|&n| {
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

/// The locations that pass requests on with one of `passes` (`proxy_pass` lines, each
/// location once, an `if` block's line counted for its location) and answer a client:
/// not an `internal` location, whose answers go to nginx itself (an `auth_request`, a
/// script's subrequest, OpenID Connect's key fetch). A named location answers the client
/// whose request `try_files` or `error_page` sends there (held-out batch 406: Nuxt's docs'
/// `location @proxy` behind `try_files`, measured handing one user's cached page to the next).
pub fn client_pass_locations(model: &Model<'_>, passes: &[NodeId]) -> Vec<NodeId> {
    let mut seen = foldhash::HashSet::default();
    let mut out = Vec::new();
    for &pass in passes {
        let Some(mut loc) = model.node(pass).parent() else {
            continue;
        };
        if model.name(loc) == "if" {
            match model.node(loc).parent() {
                Some(l) => loc = l,
                None => continue,
            }
        }
        if model.name(loc) != "location" || !seen.insert(loc) {
            continue;
        }
        if !model.children_named_slice(Some(loc), "internal").is_empty() {
            continue;
        }
        out.push(loc);
    }
    out
}

/// The cache in effect at location `loc` for handler `prefix`: its `*_cache` line, unless
/// none is in effect or it is `off`.
pub fn zone_in_effect(model: &Model<'_>, loc: NodeId, prefix: &str) -> Option<NodeId> {
    let cache = model.effective(Some(loc), &format!("{prefix}_cache"));
    let &zone = cache.nodes.first()?;
    (!model.arg_is(zone, 0, "off")).then_some(zone)
}

/// A location that fills a cache for a client while a `*_ignore_headers` line in effect there
/// lists a header ([`ignoring_locations`]).
pub struct Ignoring {
    pub location: NodeId,
    /// The `*_cache` line in effect.
    pub zone: NodeId,
    /// The first `*_ignore_headers` line in effect that lists the header.
    pub line: NodeId,
}

/// Each location of `passes` (`prefix`'s `*_pass` lines) that answers a client
/// ([`client_pass_locations`]), with a cache in effect ([`zone_in_effect`]) and a
/// `{prefix}_ignore_headers` line in effect that lists `header`.
pub fn ignoring_locations(
    model: &Model<'_>,
    passes: &[NodeId],
    prefix: &str,
    header: &str,
) -> Vec<Ignoring> {
    let ignore_name = format!("{prefix}_ignore_headers");
    client_pass_locations(model, passes)
        .into_iter()
        .filter_map(|location| {
            let zone = zone_in_effect(model, location, prefix)?;
            let line = model
                .effective(Some(location), &ignore_name)
                .nodes
                .iter()
                .copied()
                .find(|&n| lists_header(model, n, header))?;
            Some(Ignoring {
                location,
                zone,
                line,
            })
        })
        .collect()
}
