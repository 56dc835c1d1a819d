//! `access-bypassed-by-regex`: a prefix location restricts access (`auth_basic`,
//! `auth_request`, `deny`), but a regex location of the same server takes some of its URIs
//! (`/admin/x.php` to `location ~ \.php$`): nginx checks the regex locations after it finds
//! the longest prefix, so those requests run without the restriction.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::access::{self, Stranger};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::Regex;
use crate::semantics::streaming::{PASS_DIRECTIVES, Routes};

pub static RULE: Rule = Rule {
    id: "access-bypassed-by-regex",
    summary: "a prefix location restricts access (`auth_basic`, `deny`), but a regex location \
              of the server takes some of its URIs (`/admin/x.php`): those run without it",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/access-bypassed-by-regex.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let routes = Routes::default();
    let mut unreachable = super::location_unreachable::Reported::default();
    let mut handlers: foldhash::HashMap<Option<NodeId>, Vec<Candidate>> = Default::default();
    let mut candidates: foldhash::HashMap<Option<NodeId>, Vec<Candidate>> = Default::default();
    // The locations with a restriction of their own, from the few directives that restrict
    // (asking every location for them was most of the rule's cost on a large configuration),
    // in the configuration's order.
    let mut restricted: Vec<NodeId> = access::OWN_AUTH_DIRECTIVES
        .iter()
        .chain(&["deny"])
        .flat_map(|name| model.directives_named(name).iter())
        .filter_map(|&d| model.node(d).parent())
        .filter(|&p| model.name(p) == "location")
        .collect();
    restricted.sort_unstable();
    restricted.dedup();
    for loc in restricted {
        let Some(restriction) = access::own_restriction(model, loc) else {
            continue;
        };
        // A list that lets every client in (`allow 0.0.0.0/0; allow ::/0; deny all;`, the
        // shipped list of an include every location shares) restricts nothing to bypass: the
        // regex locations were judged open by the same question (held-out batch 408, Mythic:
        // ten findings; measured, every path answered 200, and 403 alike once the list was
        // edited to deny).
        if unrestricted(model, loc).is_some() {
            continue;
        }
        // A location that answers every request itself (`stub_status`): the
        // restriction guards that answer, which no other location gives; its prefix's other
        // URIs are other pages (held-out batch 293, OneinStack's `location /nginx_status`
        // beside a PHP regex: measured, `/nginx_status/x.php` reached no status page).
        if ANSWERS_ITSELF
            .iter()
            .any(|a| !model.children_named_slice(Some(loc), a).is_empty())
        {
            continue;
        }
        let prefix = match location_match(model, loc) {
            Some((Modifier::Prefix, prefix)) => prefix,
            Some((m, pattern)) if m.is_regex() => {
                out.extend(regex_taken_first(
                    model,
                    &routes,
                    &mut unreachable,
                    &mut handlers,
                    loc,
                    restriction,
                    (m, &pattern),
                ));
                continue;
            }
            _ => continue,
        };
        // `location / { deny all; }` with nothing let in: the catch-all closing what no other
        // location serves. Every regex location takes some of its URIs, each on purpose
        // (held-out batch 449, OpenFreeMap's public tile endpoints beside it: measured, the
        // tiles answered 200 and `/foo` 403; the suggested `^~` closed the tiles).
        if prefix == "/"
            && model.name(restriction) == "deny"
            && model.children_named_slice(Some(loc), "allow").is_empty()
        {
            continue;
        }
        // Only a location right in its server (or at the top of a server-context fragment),
        // with no regex location of its own (a nested one is checked first and inherits the
        // restriction).
        let server = model.node(loc).parent();
        if model.block_context(server) != Context::HttpServer {
            continue;
        }
        if model
            .children_named_slice(Some(loc), "location")
            .iter()
            .any(|&n| location_match(model, n).is_some_and(|(m, _)| m.is_regex()))
        {
            continue;
        }
        // The URIs of the location's own `auth_request`s: their location is the login
        // check itself, meant to be reached.
        let checks: Vec<String> = model
            .children_named_slice(Some(loc), "auth_request")
            .iter()
            .filter_map(|&a| model.arg(a, 0))
            .collect();
        // The auth service's own backend (where those checks are proxied): a regex location
        // handing it its login and logout pages (`~* ^/auth/log(in|out)$`) is meant to be
        // reached without a login (held-out batch 349, measured: with the suggested
        // `auth_request` repeated there, `/auth/login` redirected to itself).
        let auth_backends: Vec<_> = checks
            .iter()
            .filter_map(|u| routes.location_at(model, server, u).flatten())
            .filter_map(|l| crate::semantics::streaming::pass_authority(model, l))
            .collect();
        let login = model.name(restriction) != "deny";
        // Files a regex location serves beside a login (`~* \\.(css|js|png)$`) are the login
        // page's own assets, public by design; code it hands to a backend is not.
        // The server's open regex locations, read once per server: at most the first
        // [`CANDIDATES`] (earlier ones win the match anyway; a server of thousands of regex
        // locations asked each again for every restricted prefix).
        let open = candidates
            .entry(server)
            .or_insert_with(|| open_regex_locations(model, server));
        let taken = open.iter().find_map(|c| {
            if c.location == loc || (login && !c.handler) {
                return None;
            }
            if checks
                .iter()
                .any(|u| routes.location_at(model, server, u) == Some(Some(c.location)))
            {
                return None;
            }
            if !auth_backends.is_empty()
                && crate::semantics::streaming::pass_authority(model, c.location)
                    .is_some_and(|a| auth_backends.contains(&a))
            {
                return None;
            }
            // The example under the prefix (`.php` alone reads as a hidden file: `x.php`);
            // for a pattern anchored at the start, the example itself first. An anchored
            // pattern that starts with a wildcard takes the prefix's URIs too (TasmoAdmin's
            // `^(.*)\.(css|js|json)$` beside `location /data/tasmoadmin/ { deny all; }`,
            // held-out batch 188, measured: its `MyConfig.json` answered 200): the router runs
            // the pattern itself on each URI tried.
            let tail = c.example.trim_start_matches('/');
            let name = if tail.starts_with('.') { "x" } else { "" };
            let under = format!("{}/{name}{tail}", prefix.trim_end_matches('/'));
            let tried = c
                .anchored
                .then(|| c.example.clone())
                .into_iter()
                .chain([under]);
            tried
                .filter(|uri| uri.starts_with(&prefix))
                .filter(|uri| !c.anchored || c.pattern.search(uri.as_bytes()) != Some(false))
                .find(|uri| routes.location_at(model, server, uri) == Some(Some(c.location)))
                .map(|uri| (c.location, uri))
        });
        let Some((regex_loc, uri)) = taken else {
            continue;
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            loc,
            format!(
                "`location {prefix}` restricts access (`{}`), but `{}` of the same server takes \
                 `{uri}`: nginx checks the regex locations after it finds the longest prefix, so \
                 such requests run without `location {prefix}`'s restriction",
                model.name(restriction),
                model.describe_block(Some(regex_loc)),
            ),
        )
        .label(Label::at_node(
            model,
            restriction,
            "not applied to that URI",
        ))
        .label(Label::at_node(model, regex_loc, format!("takes `{uri}`")))
        .help(format!(
            "make it `location ^~ {prefix}` (regex locations are then not checked for its URIs) \
             and put the regex location inside it, where it inherits the restriction; or repeat \
             the restriction in `{}`",
            model.describe_block(Some(regex_loc))
        ));
        diag.primary.text = "some of its URIs go elsewhere".into();
        out.push(diag);
    }
    out
}

/// A regex location that restricts access (phpBB's `location ~ ^/forum/(config\.php|includes|
/// vendor...) { deny all; }`) after an open regex location of the same block that takes some
/// of its URIs (`location ~ [^/]\.php(/|$)` before it): nginx uses the first regex location
/// that matches, so those run without the restriction (held-out batch 281, measured:
/// `/forum/includes/functions.php` reached PHP-FPM, `/forum/includes/readme.txt` got 404).
fn regex_taken_first(
    model: &Model<'_>,
    routes: &Routes,
    unreachable: &mut super::location_unreachable::Reported,
    handlers: &mut foldhash::HashMap<Option<NodeId>, Vec<Candidate>>,
    loc: NodeId,
    restriction: NodeId,
    (modifier, pattern): (Modifier, &str),
) -> Option<Diagnostic> {
    let server = crate::semantics::variables::server_of(model, loc);
    if server.is_none() && model.block_context(None) != Context::HttpServer {
        return None;
    }
    let parent = model.node(loc).parent();
    let re = Regex::parse(pattern, modifier == Modifier::RegexCaseless)?;
    let own = re.root.example();
    // The URIs tried: the restricted pattern's own example, then an earlier pattern's tail
    // under it (`/forum/includes` + `/x.php`); not under a hidden name (`location ~ /\.ht {
    // deny all; }` after the PHP location, everywhere: a `.ht...` directory of scripts is not
    // what it hides).
    let own_dir = own.trim_end_matches('/');
    let hidden = own_dir
        .rsplit('/')
        .next()
        .is_some_and(|s| s.starts_with('.'));
    // Only one that runs code (a pass): a file regex before it (`\.(css|js|png)`, a `return
    // 404`) serves what the restriction hides only under contrived names (`/vendor/x.css`),
    // where no such file is (held-out files of Matomo, PrestaShop, HestiaCP's phpBB
    // template). The block's first such locations, read once per block.
    let (earlier, uri) = handlers
        .entry(parent)
        .or_insert_with(|| {
            model
                .children_named_slice(parent, "location")
                .iter()
                .filter_map(|&r| candidate(model, r))
                .filter(|c| c.handler)
                .take(CANDIDATES)
                .collect()
        })
        .iter()
        .take_while(|c| c.location < loc)
        .find_map(|c| {
            let tail = c.example.trim_start_matches('/');
            let name = if tail.starts_with('.') { "x" } else { "" };
            let under = (!hidden).then(|| format!("{own_dir}/{name}{tail}"));
            std::iter::once(own.clone())
                .chain(under)
                .filter(|uri| uri.starts_with('/'))
                .filter(|uri| re.root.search(uri.as_bytes()) == Some(true))
                .filter(|uri| c.pattern.search(uri.as_bytes()) == Some(true))
                .find(|uri| routes.location_at(model, server, uri) == Some(Some(c.location)))
                .map(|uri| (c.location, uri))
        })?;
    // An earlier regex that takes every URI of this one: `location-unreachable`'s finding.
    if unreachable.contains(model, loc) {
        return None;
    }
    let here = model.describe_block(Some(loc));
    let first = model.describe_block(Some(earlier));
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        loc,
        format!(
            "`{here}` restricts access (`{}`), but the earlier `{first}` takes `{uri}`: nginx \
             uses the first regex location that matches, so such requests run without the \
             restriction",
            model.name(restriction),
        ),
    )
    .label(Label::at_node(
        model,
        restriction,
        "not applied to that URI",
    ))
    .label(Label::at_node(
        model,
        earlier,
        format!("takes `{uri}` first"),
    ))
    .help(format!(
        "move `{here}` above `{first}`, or repeat the restriction in `{first}`"
    ));
    diag.primary.text = "some of its URIs go elsewhere".into();
    Some(diag)
}

/// `Some` when location `r` lets every client in: no authentication in effect and strangers
/// not denied.
fn unrestricted(model: &Model<'_>, r: NodeId) -> Option<()> {
    if access::auth_in_effect(model, Some(r)).is_some() {
        return None;
    }
    match access::stranger(model, Some(r), access::server_families(model, r)) {
        Some(Stranger::Denied) | None => None,
        Some(_) => Some(()),
    }
}

/// Content handlers with which a location answers every request itself, whatever its URI.
/// Not `return`: `deny all; return 404;` hides what is under the prefix, which a regex location
/// still serves (HestiaCP's phpBB template).
/// The third-party status pages too: nginx-module-vts's `vhost_traffic_status_display` and
/// nginx-module-sts's `stream_server_traffic_status_display`, the RTMP module's `rtmp_stat`
/// and `rtmp_control` (held-out batch 486: a `location /vts-status` with `allow`/`deny`
/// beside a static-file regex; measured with `stub_status` in its place, 403 on the page and
/// 404 from the regex, which had no files there).
const ANSWERS_ITSELF: &[&str] = &[
    "stub_status",
    "api",
    "empty_gif",
    "status",
    "vhost_traffic_status_display",
    "stream_server_traffic_status_display",
    "rtmp_stat",
    "rtmp_control",
];

/// How many of a server's open regex locations are tried.
const CANDIDATES: usize = 16;

/// An open regex location of a server: an example URI it matches, whether that example is
/// anchored (used as it is) or a tail for a prefix, and whether it hands requests to a
/// backend.
struct Candidate {
    location: NodeId,
    example: String,
    anchored: bool,
    handler: bool,
    /// The pattern, to try a URI on before the router is asked (a URI of its own per
    /// restricted prefix misses the router's memo, and a miss runs every regex location).
    pattern: crate::semantics::regex::Node,
}

fn open_regex_locations(model: &Model<'_>, server: Option<NodeId>) -> Vec<Candidate> {
    model
        .children_named_slice(server, "location")
        .iter()
        .copied()
        .filter_map(|r| candidate(model, r))
        .take(CANDIDATES)
        .collect()
}

/// Does location `r` answer every request with an error status (`return 404;`, `return
/// 403;`), nothing before it that could hand the request elsewhere? Then it serves nothing
/// the restriction guards (held-out batches 366 and 367: Drupal's `location ~
/// (^|/)\. { return 404; }` beside `location /php_status { allow ...; deny all; }`, measured
/// 404 for every URI it takes).
fn refuses_every_request(model: &Model<'_>, r: NodeId) -> bool {
    crate::semantics::location::own_return(model, r)
        .and_then(|ret| crate::semantics::location::return_status(model, ret))
        .is_some_and(|code| (400..600).contains(&code))
}

/// Does a regex location's pattern name health probes and nothing else (`~ ^/(api/health|health)`,
/// `~ ^/healthz$`): literal words of a probe's path, no wildcard? Such a location is the
/// author's exemption of the probes from a login, the probe's answer what it lets through
/// (held-out batch 415: Open WebUI behind WordPress's `auth_request`, "Exclude certain paths
/// from auth_request"; the app's `/health` and `/health/db` say only that it runs).
fn health_probes_only(pattern: &str) -> bool {
    const PROBE: &[&str] = &[
        "health",
        "healthz",
        "healthcheck",
        "health_check",
        "ping",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "alive",
        "heartbeat",
    ];
    const PATH: &[&str] = &["api", "v1", "v2", "status", "db"];
    let literal = pattern
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_-/^$()|?".contains(&b));
    let words: Vec<&str> = pattern
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    literal
        && words.iter().any(|w| PROBE.contains(w))
        && words.iter().all(|w| PROBE.contains(w) || PATH.contains(w))
}

/// Location `r` as a [`Candidate`], if it is a regex location that lets every client in.
fn candidate(model: &Model<'_>, r: NodeId) -> Option<Candidate> {
    let (m, pattern) = location_match(model, r)?;
    if !m.is_regex()
        || unrestricted(model, r).is_none()
        || refuses_every_request(model, r)
        || health_probes_only(&pattern)
    {
        return None;
    }
    let re = Regex::parse(&pattern, m == Modifier::RegexCaseless)?;
    Some(Candidate {
        location: r,
        example: re.root.example(),
        anchored: re.root.anchored_start(),
        pattern: re.root.clone(),
        // The pass directives, and memcached's, which answers from a backend too.
        handler: PASS_DIRECTIVES
            .iter()
            .chain(&["memcached_pass"])
            .any(|h| !model.children_named_slice(Some(r), h).is_empty()),
    })
}
