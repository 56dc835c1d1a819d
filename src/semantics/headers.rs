//! Response headers a level sends: `add_header` merged as nginx merges it (all or nothing; from
//! 1.29.3 `add_header_inherit merge|off`), and headers-more's `more_set_headers`.

use std::rc::Rc;

use super::directives::Version;
use super::model::{Effective, Model, NodeId, Origin};

/// `add_header_inherit` appeared in nginx 1.29.3.
const INHERIT_SINCE: Version = Version(1, 29, 3);

/// Does an `add_header` line in effect at `level` for nginx `version` (merged as nginx merges
/// them) pass `test`? The answer for each level asked is kept in `memo`: thousands of servers
/// each asking for the `http` level's thousands of lines again made a run quadratic (5,000 of
/// each: 1.4 s).
pub fn add_header_in_effect(
    model: &Model<'_>,
    version: Version,
    level: Option<NodeId>,
    test: &dyn Fn(NodeId) -> bool,
    memo: &mut foldhash::HashMap<Option<NodeId>, bool>,
) -> bool {
    if let Some(&known) = memo.get(&level) {
        return known;
    }
    let mut own = model
        .children_named_slice(level, "add_header")
        .iter()
        .copied()
        .filter(|&n| model.arg_count(n) >= 1)
        .peekable();
    let mode = if version < INHERIT_SINCE {
        None
    } else {
        let eff = model.effective(level, "add_header_inherit");
        eff.nodes.last().and_then(|&n| model.arg(n, 0))
    };
    let mut inherited = || match level {
        Some(l) => add_header_in_effect(model, version, model.node(l).parent(), test, memo),
        None => false,
    };
    let answer = if mode.as_deref() == Some("off") {
        own.any(test)
    } else if own.peek().is_none() {
        inherited()
    } else if mode.as_deref() == Some("merge") {
        own.any(test) || inherited()
    } else {
        own.any(test)
    };
    memo.insert(level, answer);
    answer
}

/// Lines of the effective `proxy_set_header` list `headers` setting header `name`
/// (lowercase).
#[inline]
pub fn named(model: &Model<'_>, headers: &Effective, name: &str) -> Vec<NodeId> {
    headers
        .nodes
        .iter()
        .copied()
        .filter(|&n| {
            model
                .arg_str(n, 0)
                .is_some_and(|a| a.eq_ignore_ascii_case(name))
        })
        .collect()
}

/// [`named`] of the `proxy_set_header` lists locations inherit, asked once per level that
/// sets the list and header name: each of thousands of locations read all of thousands of
/// inherited lines (the streaming classification, `websocket-upgrade-missing`,
/// `upstream-keepalive-connection`).
#[derive(Default)]
pub struct NamedLines(foldhash::HashMap<(Option<NodeId>, &'static str), Rc<[NodeId]>>);

impl NamedLines {
    /// [`named`]`(model, headers, name)`.
    #[inline]
    pub fn get(
        &mut self,
        model: &Model<'_>,
        headers: &Effective,
        name: &'static str,
    ) -> Rc<[NodeId]> {
        match headers.origin {
            Origin::Inherited(level) => self
                .0
                .entry((level, name))
                .or_insert_with(|| named(model, headers, name).into())
                .clone(),
            _ => named(model, headers, name).into(),
        }
    }

    /// Does a line of [`named`]`(model, headers, name)`, for one of `names`, pass
    /// `test(name, line)`? A list set at the level itself is read in place, once (no list made
    /// for each location asking).
    #[inline]
    pub fn any(
        &mut self,
        model: &Model<'_>,
        headers: &Effective,
        names: &[&'static str],
        test: impl Fn(&'static str, NodeId) -> bool,
    ) -> bool {
        match headers.origin {
            Origin::Inherited(_) => names.iter().any(|&name| {
                self.get(model, headers, name)
                    .iter()
                    .any(|&n| test(name, n))
            }),
            _ => headers.nodes.iter().any(|&n| {
                model.arg_str(n, 0).is_some_and(|a| {
                    names
                        .iter()
                        .any(|&name| a.eq_ignore_ascii_case(name) && test(name, n))
                })
            }),
        }
    }
}

/// Does directive `n` (`add_header` or `more_set_headers`) set response header `header`?
pub fn sets_header(model: &Model<'_>, n: NodeId, header: &str) -> bool {
    match model.name(n) {
        "add_header" => model
            .arg_str(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case(header)),
        "more_set_headers" => (0..model.arg_count(n))
            .filter_map(|i| model.arg_str(n, i))
            .filter(|a| !a.starts_with('-'))
            .any(|a| {
                a.split_once(':')
                    .map_or(&*a, |(h, _)| h)
                    .trim()
                    .eq_ignore_ascii_case(header)
            }),
        _ => false,
    }
}

/// The response statuses `add_header` and `add_trailer` add to without `always`
/// (`ngx_http_headers_filter`: 200, 201, 204, 206, 301, 302, 303, 304, 307, 308).
const ADDED_AT: &[u16] = &[200, 201, 204, 206, 301, 302, 303, 304, 307, 308];

/// Does `add_header`/`add_trailer` line `n` end with `always` (added whatever the status)?
pub fn has_always(model: &Model<'_>, n: NodeId) -> bool {
    let count = model.arg_count(n);
    count >= 3 && model.arg_is(n, count - 1, "always")
}

/// The status of every response `level` (a `server`, `location` or `if` block) answers
/// itself, when it is fixed, and the `return` that answers: the level's first directive of the
/// rewrite module that acts is `return CODE` (or `return URL`, a 302), with only `set` lines
/// before it. nginx runs those directives in the order written and `return` ends the request
/// there, so nothing the level holds sends anything else (an `error_page` for that code hands
/// the response to another level, whose own headers it then gets). `None` when an `if`,
/// `rewrite` or `break` comes first, or no `return`.
pub fn fixed_status(model: &Model<'_>, level: Option<NodeId>) -> Option<(u16, NodeId)> {
    let &first = model.children_named_slice(level, "return").first()?;
    let before = |name: &str| {
        model
            .children_named_slice(level, name)
            .first()
            .is_some_and(|&n| n < first)
    };
    if before("if") || before("rewrite") || before("break") {
        return None;
    }
    let what = model.arg_str(first, 0)?;
    let status = if let Ok(code) = what.parse::<u16>() {
        (what.len() == 3).then_some(code)
    } else {
        ["http://", "https://", "$scheme"]
            .iter()
            .any(|p| what.starts_with(p))
            .then_some(302)
    };
    status.map(|s| (s, first))
}

/// Is `add_header`/`add_trailer` line `n` not added to the responses of `level` (its own, or a
/// level that inherits it): it has no `always` and every response there has a status it
/// skips ([`fixed_status`])? That status and the `return` that answers.
pub fn not_added_at(model: &Model<'_>, n: NodeId, level: Option<NodeId>) -> Option<(u16, NodeId)> {
    if has_always(model, n) {
        return None;
    }
    skips_unforced(model, level)
}

/// Does every response `level` answers have a status that lines without `always` are not
/// added to ([`fixed_status`])? That status and the `return` that answers.
pub fn skips_unforced(model: &Model<'_>, level: Option<NodeId>) -> Option<(u16, NodeId)> {
    fixed_status(model, level).filter(|(s, _)| !ADDED_AT.contains(s))
}

/// The URIs `error_page` lines send requests to, each with whether every such line is for
/// statuses lines without `always` are not added to and has no `=` response; URIs a
/// `try_files` or `rewrite` also sends requests to are `false`. Read once per run
/// ([`error_pages_only`] is asked per location).
pub fn error_page_targets(model: &Model<'_>) -> foldhash::HashMap<String, bool> {
    let mut out: foldhash::HashMap<String, bool> = foldhash::HashMap::default();
    for &e in model.directives_named("error_page") {
        let count = model.arg_count(e);
        if count < 2 {
            continue;
        }
        let Some(uri) = model.arg_str(e, count - 1) else {
            continue;
        };
        let unforced = (0..count - 1).all(|i| {
            model.arg_str(e, i).is_some_and(|a| {
                !a.starts_with('=') && a.parse::<u16>().is_ok_and(|c| !ADDED_AT.contains(&c))
            })
        });
        let entry = out.entry(uri.into_owned()).or_insert(true);
        *entry &= unforced;
    }
    for (name, at) in [("try_files", None), ("rewrite", Some(1))] {
        for &n in model.directives_named(name) {
            let i = at.unwrap_or_else(|| model.arg_count(n).saturating_sub(1));
            if let Some(target) = model.arg_str(n, i)
                && let Some(v) = out.get_mut(&*target)
            {
                *v = false;
            }
        }
    }
    out
}

/// Is `level` an `internal` exact location that only `error_page` lines reach, all for
/// statuses lines without `always` are not added to, none with a `=` response (a `/50x.html`
/// page for 502, 503 and 504; `targets` from [`error_page_targets`])? nginx answers there
/// with the error's status.
pub fn error_pages_only(
    model: &Model<'_>,
    level: Option<NodeId>,
    targets: &foldhash::HashMap<String, bool>,
) -> bool {
    use super::location::{Modifier, location_match};
    let Some(l) = level.filter(|&l| model.name(l) == "location") else {
        return false;
    };
    if model.children_named_slice(Some(l), "internal").is_empty() {
        return false;
    }
    let Some((Modifier::Exact, path)) = location_match(model, l) else {
        return false;
    };
    targets.get(&path).copied().unwrap_or(false)
}

/// [`not_added_at`] the line's own level: the line is never applied.
pub fn never_added(model: &Model<'_>, n: NodeId) -> Option<(u16, NodeId)> {
    not_added_at(model, n, model.node(n).parent())
}

/// Request headers nginx's proxy module sets itself (`Host`, `Connection`, `Content-Length`,
/// `Transfer-Encoding`) or clears (`TE`, `Keep-Alive`, `Expect`, `Upgrade`) unless told
/// otherwise, in its order (`ngx_http_proxy_headers`), lowercased; from 1.31.0 it also clears
/// `Proxy-Connection`, after `Connection`. The client's own are not passed as they came.
pub const PROXY_SETS_ITSELF: &[&str] = &[
    "host",
    "connection",
    "content-length",
    "transfer-encoding",
    "te",
    "keep-alive",
    "expect",
    "upgrade",
];

/// Does `proxy_set_header header value` send what nginx sends without it: the client's own
/// header, `$http_<name>` of the same name (`Authorization $http_authorization`)? nginx passes
/// the client's request headers to the upstream as they came, all but [`PROXY_SETS_ITSELF`]
/// (and `Proxy-Connection`).
pub fn passes_client_header(header: &str, value: &str) -> bool {
    let Some(var) = value.strip_prefix("$http_") else {
        return false;
    };
    let lower = header.to_ascii_lowercase();
    !PROXY_SETS_ITSELF.contains(&lower.as_str())
        && lower != "proxy-connection"
        && var.len() == lower.len()
        && var
            .bytes()
            .zip(lower.bytes())
            .all(|(v, h)| v == h || (v == b'_' && h == b'-'))
}

/// Header names that proxies, apps and browsers read by these spellings (compared without
/// case), for [`misspelling_of`]: the forwarding headers (RFC 7239's `Forwarded` and the de
/// facto `X-Forwarded-*` family apps' proxy settings read, with the variants oauth2-proxy,
/// Traefik and Microsoft's stacks use), the request headers nginx configurations set, and the
/// response headers browsers enforce (MDN's HTTP headers reference). Every spelling listed is
/// taken as meant, so a header that is one edit away from another listed one is never reported.
pub const WELL_KNOWN: &[&str] = &[
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "X-Forwarded-Protocol",
    "X-Forwarded-Scheme",
    "X-Forwarded-Host",
    "X-Forwarded-Port",
    "X-Forwarded-Prefix",
    "X-Forwarded-Server",
    "X-Forwarded-Ssl",
    "X-Forwarded-Uri",
    "X-Forwarded-Path",
    "X-Forwarded-Method",
    "X-Forwarded-User",
    "X-Forwarded-Email",
    "X-Forwarded-Groups",
    "X-Forwarded-Access-Token",
    "X-Real-IP",
    "X-Real-Port",
    "X-Client-IP",
    "X-Scheme",
    "X-Original-URI",
    "X-Original-URL",
    "X-Original-Method",
    "X-Original-Host",
    "X-Request-ID",
    "X-Request-Start",
    "X-Accel-Buffering",
    "X-Accel-Redirect",
    "X-Accel-Expires",
    "X-Accel-Limit-Rate",
    "Host",
    "Upgrade",
    "Connection",
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Origin",
    "Referer",
    "User-Agent",
    "Accept-Encoding",
    "Accept-Language",
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "Content-Encoding",
    "Cache-Control",
    "Expires",
    "Pragma",
    "Range",
    "If-Range",
    "Early-Data",
    // The response headers browsers enforce are [`RESPONSE_ONLY`]'s, read with these.
    "Vary",
];

/// [`WELL_KNOWN`] and [`RESPONSE_ONLY`]: every header name taken as meant.
pub fn well_known() -> impl Iterator<Item = &'static str> {
    WELL_KNOWN.iter().chain(RESPONSE_ONLY).copied()
}

/// Headers only a response carries: sent to an upstream (`proxy_set_header`), they reach the
/// application, never the browser they were written for.
pub const RESPONSE_ONLY: &[&str] = &[
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "X-XSS-Protection",
    "Referrer-Policy",
    "Permissions-Policy",
    "Feature-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Embedder-Policy",
    "Cross-Origin-Resource-Policy",
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "X-Robots-Tag",
    "X-Permitted-Cross-Domain-Policies",
    "X-Download-Options",
    "X-DNS-Prefetch-Control",
    "Set-Cookie",
    "Alt-Svc",
];

/// Security headers written with a whole word left out, past the edits [`misspelling_of`]
/// counts: browsers ignore them as any unknown name (held-out batch 387: Moodle's
/// `add_header X-Content-Options nosniff`, measured sent as written).
const WORD_DROPPED: &[(&str, &str)] = &[("x-content-options", "X-Content-Type-Options")];

/// The listed header ([`well_known`]) that `name` misspells: one edit away (a letter added,
/// dropped, replaced, or two swapped), two for names of ten letters or more, and nearer to that
/// one than to any other, or one of [`WORD_DROPPED`].
/// `None` for a listed name, a short one, or one near none or several.
pub fn misspelling_of(name: &str) -> Option<&'static str> {
    if name.len() < 6
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    if well_known().any(|k| k.eq_ignore_ascii_case(name)) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, meant)) = WORD_DROPPED.iter().find(|(wrong, _)| *wrong == lower) {
        return Some(meant);
    }
    let mut best: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for known in well_known() {
        let k = known.to_ascii_lowercase();
        let limit = if k.len() >= 10 { 2 } else { 1 };
        // The first letter is seldom the one mistyped: it keeps `X-` names from meeting others.
        if k.as_bytes()[0] != lower.as_bytes()[0] || k.len().abs_diff(lower.len()) > limit {
            continue;
        }
        let Some(d) = edits_within(lower.as_bytes(), k.as_bytes(), limit) else {
            continue;
        };
        if !words_alike(&lower, &k) {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tied = true,
            _ => {
                best = Some((d, known));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, k)| k)
}

/// Is each `-`-separated word of `a` a misspelling of the word of `b` in its place, not
/// another word: at most a third of a word's letters edited (`Forwaded`, `Orgin`, `Raal`),
/// where two edits in a short word make a word of its own (`X-Forwarded-Api` is not
/// `X-Forwarded-Uri`: held-out batch 78, a header whose value is a host). Names with a
/// different number of words (a hyphen dropped or added) are not compared word by word.
fn words_alike(a: &str, b: &str) -> bool {
    if a.split('-').count() != b.split('-').count() {
        return true;
    }
    a.split('-').zip(b.split('-')).all(|(x, y)| {
        x == y
            || edits_within(x.as_bytes(), y.as_bytes(), 2)
                .is_some_and(|d| d * 3 <= x.len().max(y.len()))
    })
}

/// The edits (insertions, deletions, substitutions, swaps of neighbours) that turn `a` into
/// `b`, if at most `limit`: the optimal string alignment distance, row by row.
fn edits_within(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    let n = b.len();
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
        }
        if cur.iter().all(|&v| v > limit) {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[n]).filter(|&d| d <= limit)
}

/// An `add_header Access-Control-Allow-Origin` that echoes the request's Origin unchecked
/// ([`reflected_origins`]).
pub struct ReflectedOrigin {
    pub header: NodeId,
    /// The header's value as written (`$http_origin`, or a variable holding it).
    pub value: String,
    /// `add_header Access-Control-Allow-Credentials true` in the same block.
    pub credentials: Option<NodeId>,
}

/// Is `if` block `i` a test of a flag (`if ($cors = true)`, `if ($cors)`) that only an `if` on
/// `$http_origin` sets so as to pass it (the common CORS idiom: `set $cors false; if
/// ($http_origin ~ '^https://app\.example\.com$') { set $cors true; }`, held-out batch 118,
/// measured: a foreign origin got no header)? The flag's `set`s of the server are read: each
/// one outside such an `if` must give a value that fails the test.
fn flag_set_by_origin_check(model: &Model<'_>, i: NodeId, server: Option<NodeId>) -> bool {
    let Some(test) = model.if_test(i) else {
        return false;
    };
    let passes: &dyn Fn(&str) -> bool = match test.compared() {
        None => &|v: &str| !v.is_empty() && v != "0",
        Some(("=", want)) => {
            let want = want.trim_matches(|c| c == '"' || c == '\'');
            &move |v: &str| v == want
        }
        Some(_) => return false,
    };
    let Some(name) = test.subject.strip_prefix('$') else {
        return false;
    };
    let sites = super::variables::set_sites_in(model, name, server);
    !sites.is_empty()
        && sites.iter().all(|&s| {
            // A match of the origin (`~`, `~*`, `=`), not a test that it is there.
            let in_origin_if = model.ancestors(s).any(|a| {
                model.name(a) == "if"
                    && model.if_test(a).is_some_and(|t| {
                        t.subject.eq_ignore_ascii_case("$http_origin")
                            && matches!(t.compared(), Some(("~" | "~*" | "=", _)))
                    })
            });
            in_origin_if || model.arg_str(s, 1).is_some_and(|v| !passes(&v))
        })
}

/// Every `add_header Access-Control-Allow-Origin` whose value echoes `$http_origin`
/// (directly, through a `set`, or as a `map`'s `default`) outside an `if` that tests
/// `$http_origin`, with the `Access-Control-Allow-Credentials: true` line of its block if
/// any (`add_header` lists are one level's).
pub fn reflected_origins(model: &Model<'_>) -> Vec<ReflectedOrigin> {
    use super::variables;
    // Whether a variable holds `$http_origin` (a `set` of it in the server whose requests read
    // it, a `map` defaulting to it), and each block's `Access-Control-Allow-Credentials: true`
    // line: asked once per server and name and per block, not once per header (a block of
    // thousands of `add_header`s read every one of its lines, and every `set` of the
    // variable, again for each).
    let mut holds_origin: foldhash::HashMap<(Option<NodeId>, String), bool> =
        foldhash::HashMap::default();
    let mut credentials_of: foldhash::HashMap<Option<NodeId>, Option<NodeId>> =
        foldhash::HashMap::default();
    let mut echoes = |value: &str, server: Option<NodeId>| -> bool {
        super::script::parts(value).iter().any(|p| match p {
            super::script::Part::Var(v) if v == "http_origin" => true,
            super::script::Part::Var(v) => {
                *holds_origin.entry((server, v.clone())).or_insert_with(|| {
                    let by_set = variables::set_sites_in(model, v, server).iter().any(|&s| {
                        model
                            .arg(s, 1)
                            .is_some_and(|x| x.eq_ignore_ascii_case("$http_origin"))
                    });
                    let by_map = variables::map_sites(model, v).any(|m| {
                        model
                            .children_named_slice(Some(m), "default")
                            .iter()
                            .any(|&d| {
                                model
                                    .arg(d, 0)
                                    .is_some_and(|x| x.eq_ignore_ascii_case("$http_origin"))
                            })
                    });
                    by_set || by_map
                })
            }
            _ => false,
        })
    };
    let mut flag_checks: foldhash::HashMap<(Option<NodeId>, String), bool> =
        foldhash::HashMap::default();
    let mut out = Vec::new();
    for &n in model.directives_named("add_header") {
        if !model
            .arg_str(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case("access-control-allow-origin"))
        {
            continue;
        }
        let Some(value) = model.arg(n, 1) else {
            continue;
        };
        if !echoes(&value, variables::server_of(model, n)) {
            continue;
        }
        let server = variables::server_of(model, n);
        let guarded = model.ancestors(n).any(|a| {
            model.name(a) == "if"
                && (model
                    .arg(a, 0)
                    .is_some_and(|x| x.to_ascii_lowercase().contains("$http_origin"))
                    // Once per server and condition: a server of thousands of such blocks
                    // read every `set` of the flag again for each.
                    || model.if_condition(a).is_some_and(|c| {
                        *flag_checks
                            .entry((server, c))
                            .or_insert_with(|| flag_set_by_origin_check(model, a, server))
                    }))
        });
        if guarded {
            continue;
        }
        let parent = model.node(n).parent();
        let credentials = *credentials_of.entry(parent).or_insert_with(|| {
            model
                .children_named_slice(parent, "add_header")
                .iter()
                .find(|&&h| {
                    model
                        .arg_str(h, 0)
                        .is_some_and(|x| x.eq_ignore_ascii_case("access-control-allow-credentials"))
                        && model
                            .arg_str(h, 1)
                            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                })
                .copied()
        });
        out.push(ReflectedOrigin {
            header: n,
            value,
            credentials,
        });
    }
    out
}

#[cfg(test)]
mod misspelling_tests {
    use super::*;

    #[test]
    fn misspellings_of_listed_headers() {
        for (typo, meant) in [
            ("X-Forward-For", "X-Forwarded-For"),
            ("x-fowarded-for", "X-Forwarded-For"),
            ("X-Forwaded-Proto", "X-Forwarded-Proto"),
            ("X-Forwared-Host", "X-Forwarded-Host"),
            ("X-Frame-Option", "X-Frame-Options"),
            ("Strict-Transport-Securty", "Strict-Transport-Security"),
            ("X-Content-Type-Option", "X-Content-Type-Options"),
            ("Referer-Policy", "Referrer-Policy"),
            ("Access-Control-Allow-Orgin", "Access-Control-Allow-Origin"),
            ("X-Raal-IP", "X-Real-IP"),
        ] {
            assert_eq!(misspelling_of(typo), Some(meant), "{typo}");
        }
        for fine in [
            "X-Forwarded-For",
            "x-real-ip",
            "X-Forwarded-Protocol",
            "X-Forwarded-Ssl",
            "X-Custom-Header",
            "X-Api-Key",
            "X-Forwarded-Api",
            "Host",
            "X-Hosts",
            "X-Forwarded-Hostname",
            "X-NginX-Proxy",
            "Sec-WebSocket-Key",
            "X-Frame-Options",
            // One edit from both `X-Forwarded-Proto` and `X-Forwarded-Port`: which one was meant
            // is not known.
            "X-Forwarded-Prot",
        ] {
            assert_eq!(misspelling_of(fine), None, "{fine}");
        }
    }

    #[test]
    fn client_headers_passed_as_they_came() {
        assert!(passes_client_header("Authorization", "$http_authorization"));
        assert!(passes_client_header(
            "X-Forwarded-For",
            "$http_x_forwarded_for"
        ));
        assert!(!passes_client_header("Upgrade", "$http_upgrade"));
        assert!(!passes_client_header("Host", "$http_host"));
        assert!(!passes_client_header("Authorization", "$http_cookie"));
        assert!(!passes_client_header("X-Real-IP", "$remote_addr"));
        assert!(!passes_client_header("Cookie", "$http_cookie2"));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edits_within(b"abc", b"abc", 1), Some(0));
        assert_eq!(edits_within(b"acb", b"abc", 1), Some(1));
        assert_eq!(edits_within(b"ab", b"abc", 1), Some(1));
        assert_eq!(edits_within(b"xyz", b"abc", 2), None);
        assert_eq!(edits_within(b"", b"ab", 2), Some(2));
    }
}
