//! Which values carry the percent-decoded request path into a URI nginx sends on unescaped:
//! a `proxy_pass` with variables sends its expanded URI as it is (`ngx_http_proxy_eval` takes
//! it verbatim), so `%3F` decoded into `$uri` reaches the upstream as `?`.
//!
//! Checked with nginx 1.22.1, a backend echoing `$request_uri`:
//! - `$uri`, `$document_uri`, numbered and named captures of a regex `location`, of a `rewrite`
//!   and of `if ($uri ~ ...)` are decoded: `/a%3Fb` arrives as `/a?b`;
//! - `set $p $1` escapes a numbered capture again (`/a%3Fb` stays), a named capture or `$uri`
//!   copied by `set` is not;
//! - after `rewrite ^ $request_uri;` the URI (and what later regexes capture from it) is the raw
//!   request path.

use super::location::location_match;
use super::model::{Model, NodeId};
use super::regex::{Node, Regex};
use super::script::{Part, parts};
use super::taint::{DECODED, capture_sites};

/// The bytes that change meaning when sent decoded in a path: `?` starts the query, `#` a
/// fragment, `%` a second round of decoding.
pub const PATH_META: &[u8] = b"?#%";

/// `rewrite ^ $request_uri` (any case, with or without a flag): the URI becomes the raw path.
pub fn is_raw_rewrite(model: &Model<'_>, r: NodeId) -> bool {
    model.name(r) == "rewrite"
        && model.arg(r, 0).as_deref() == Some("^")
        && model
            .arg(r, 1)
            .is_some_and(|v| v.eq_ignore_ascii_case("$request_uri"))
}

/// The `rewrite ^ $request_uri` directives of `loc` (its own and inside its `if` blocks), with
/// whether each always runs before `at` (a direct child of the location, or in the same `if`
/// as `at`).
pub fn raw_rewrites(model: &Model<'_>, loc: NodeId, at: NodeId) -> Vec<(NodeId, bool)> {
    let mut out = Vec::new();
    let at_parent = model.node(at).parent();
    for r in location_rewrites(model, loc) {
        if r > at || !is_raw_rewrite(model, r) {
            continue;
        }
        let p = model.node(r).parent();
        let in_loc = p == Some(loc)
            || p.is_some_and(|p| model.name(p) == "if" && model.node(p).parent() == Some(loc));
        if in_loc {
            out.push((r, p == Some(loc) || p == at_parent));
        }
    }
    out
}

/// The `rewrite` directives of `loc` and of its `if` blocks, in order.
fn location_rewrites(model: &Model<'_>, loc: NodeId) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = model.children_named_slice(Some(loc), "rewrite").to_vec();
    for &i in model.children_named_slice(Some(loc), "if") {
        out.extend_from_slice(model.children_named_slice(Some(i), "rewrite"));
    }
    out.sort_unstable();
    out
}

/// The innermost enclosing `location` of `at`.
pub fn enclosing_location(model: &Model<'_>, at: NodeId) -> Option<NodeId> {
    model.enclosing(at, "location")
}

/// Does the URI at `at` hold the decoded path (no `rewrite ^ $request_uri` that always runs
/// before it)?
fn uri_decoded(model: &Model<'_>, at: NodeId) -> bool {
    match enclosing_location(model, at) {
        Some(loc) => !raw_rewrites(model, loc, at)
            .iter()
            .any(|&(_, always)| always),
        None => true,
    }
}

const MAX_DEPTH: u32 = 6;

/// The first variable of `value` (evaluated at `at`) that can put one of `bytes` there, decoded
/// from the request path: `$uri`, `$1`, `$name`...
pub fn decoded_var(model: &Model<'_>, at: NodeId, value: &str, bytes: &[u8]) -> Option<String> {
    value_decoded(model, at, value, bytes, 0)
}

fn value_decoded(
    model: &Model<'_>,
    at: NodeId,
    value: &str,
    bytes: &[u8],
    depth: u32,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    for part in parts(value) {
        match part {
            Part::Lit(_) => {}
            Part::Capture(n) => {
                if capture_decoded(model, at, n, bytes) {
                    return Some(format!("${n}"));
                }
            }
            Part::Var(name) => {
                if var_decoded(model, at, &name, bytes, depth) {
                    return Some(format!("${name}"));
                }
            }
        }
    }
    None
}

fn can_contain(node: &Node, bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| node.can_contain(b))
}

/// The last regex `rewrite` before `at` in its location that has capture `n` (nginx's
/// captures are those of the last regex that matched; a `rewrite` runs before the content
/// handler).
fn rewrite_regex(model: &Model<'_>, at: NodeId) -> Option<(NodeId, Regex)> {
    let loc = enclosing_location(model, at)?;
    let mut best = None;
    for r in location_rewrites(model, loc) {
        if r > at || is_raw_rewrite(model, r) {
            continue;
        }
        let p = model.node(r).parent();
        let in_loc = p == Some(loc)
            || p.is_some_and(|p| model.name(p) == "if" && model.ancestors(at).any(|a| a == p));
        if !in_loc {
            continue;
        }
        if let Some(re) = model.arg(r, 0).and_then(|p| Regex::parse(&p, false)) {
            best = Some((r, re));
        }
    }
    best
}

fn capture_decoded(model: &Model<'_>, at: NodeId, n: usize, bytes: &[u8]) -> bool {
    if let Some((r, re)) = rewrite_regex(model, at) {
        // The rewrite matched the URI as it was then.
        return re.group(n).is_some_and(|g| can_contain(&g.node, bytes)) && uri_decoded(model, r);
    }
    let Some(site) = capture_sites(model, at).into_iter().next() else {
        return false;
    };
    let Some(g) = site.regex.group(n) else {
        return false;
    };
    let subject_decoded = match &site.subject {
        None => true,
        Some(v) => DECODED.contains(&v.as_str()) && uri_decoded(model, site.node),
    };
    subject_decoded && can_contain(&g.node, bytes)
}

fn named_capture_decoded(model: &Model<'_>, at: NodeId, name: &str, bytes: &[u8]) -> bool {
    for site in capture_sites(model, at) {
        let Some(g) = site
            .regex
            .group_named(name)
            .and_then(|n| site.regex.group(n))
        else {
            continue;
        };
        let subject_decoded = match &site.subject {
            None => true,
            Some(v) => DECODED.contains(&v.as_str()) && uri_decoded(model, site.node),
        };
        return subject_decoded && can_contain(&g.node, bytes);
    }
    false
}

fn var_decoded(model: &Model<'_>, at: NodeId, name: &str, bytes: &[u8], depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if DECODED.contains(&name) {
        return uri_decoded(model, at);
    }
    if super::variables::is_builtin(name) {
        return false;
    }
    if named_capture_decoded(model, at, name, bytes) {
        return true;
    }
    for s in super::variables::set_sites(model, name) {
        let Some(v) = model.arg(s, 1) else { continue };
        // `set` escapes numbered captures again; named ones and `$uri` it copies as they are.
        let hit = parts(&v).into_iter().any(|p| match p {
            Part::Var(n) => var_decoded(model, s, &n, bytes, depth + 1),
            _ => false,
        });
        if hit {
            return true;
        }
    }
    for m in super::variables::map_sites(model, name) {
        let subject = model.arg(m, 0).unwrap_or_default();
        let subject_decoded = subject
            .strip_prefix('$')
            .map(|s| {
                s.trim_matches(|c| c == '{' || c == '}')
                    .to_ascii_lowercase()
            })
            .is_some_and(|v| DECODED.contains(&v.as_str()));
        if super::variables::map_values_any(
            model,
            m,
            |g| subject_decoded && g.is_some_and(|g| can_contain(g, bytes)),
            |v| var_decoded(model, m, v, bytes, depth + 1),
        ) {
            return true;
        }
    }
    false
}

/// Can variable part `part` of a value at `at` hold a `/` (so a variable written where the
/// host goes may also carry a path)? Unknown sources count as yes, `set` values are read.
pub fn part_can_hold_slash(model: &Model<'_>, at: NodeId, part: &Part, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match part {
        Part::Lit(s) => s.contains('/'),
        Part::Capture(n) => {
            if let Some((_, re)) = rewrite_regex(model, at) {
                return re.group(*n).is_none_or(|g| g.node.can_contain(b'/'));
            }
            capture_sites(model, at)
                .into_iter()
                .next()
                .and_then(|s| s.regex.group(*n).map(|g| g.node.can_contain(b'/')))
                .unwrap_or(true)
        }
        Part::Var(name) => {
            if super::variables::is_builtin(name) {
                return matches!(
                    name.as_str(),
                    "uri" | "document_uri" | "request_uri" | "request" | "request_filename"
                ) || name.starts_with("http_")
                    || name.starts_with("arg_")
                    || name.starts_with("cookie_");
            }
            for site in capture_sites(model, at) {
                if let Some(g) = site
                    .regex
                    .group_named(name)
                    .and_then(|n| site.regex.group(n))
                {
                    return g.node.can_contain(b'/');
                }
            }
            let sets: Vec<NodeId> = super::variables::set_sites(model, name).collect();
            if sets.is_empty() {
                return true;
            }
            sets.iter().any(|&s| {
                model.arg(s, 1).is_none_or(|v| {
                    parts(&v)
                        .iter()
                        .any(|p| part_can_hold_slash(model, s, p, depth + 1))
                })
            })
        }
    }
}

/// A `location`'s modifier and path, when it is a prefix location.
pub fn prefix_path(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let (m, path) = location_match(model, loc)?;
    m.is_prefix().then_some(path)
}
