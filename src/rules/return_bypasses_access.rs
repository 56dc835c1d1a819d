//! `return-bypasses-access`: a `return` (or a redirecting `rewrite`) answers in the rewrite
//! phase, before the access phase where `allow`/`deny` and authentication run, so the access
//! rules in effect there restrict nothing.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::access;
use crate::semantics::model::{Model, NodeId};
use foldhash::{HashMap, HashSet};

pub static RULE: Rule = Rule {
    id: "return-bypasses-access",
    summary: "`return` or a redirecting `rewrite` answers before `allow`/`deny` and \
              authentication run (rewrite phase before access phase): every client gets it",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/return-bypasses-access.md"),
    check,
};

/// `rewrite` answers with a redirect itself (no location lookup): a `redirect`/`permanent`
/// flag, or a replacement nginx reads as an absolute URL (`ngx_http_rewrite`: a case-sensitive
/// `http://`, `https://` or `$scheme` prefix), whatever the flag.
fn rewrite_redirects(model: &Model<'_>, r: NodeId) -> bool {
    let n = model.arg_count(r);
    let flag = (n >= 3)
        .then(|| model.arg(r, n - 1))
        .flatten()
        .is_some_and(|f| f == "redirect" || f == "permanent");
    let absolute = model.arg(r, 1).is_some_and(|v| {
        v.starts_with("http://") || v.starts_with("https://") || v.starts_with("$scheme")
    });
    flag || absolute
}

/// `return CODE` with CODE ≥ 400 and a constant text, or with no text and no `error_page` for
/// it in effect that hands the request to a named location: the client gets that text,
/// nginx's error page, or an `error_page` URI's (an internal redirect to that URI, whose own location runs its own access phase: a
/// site's public `/error/404.html`, held-out batch 113), nothing the access rules were
/// guarding. A named location (`error_page 404 = @backend;`) keeps the request's URI and runs
/// no access rules but its own: that one would serve what they guard. `pages` keeps, per
/// level, the codes of the `error_page`s in effect that name a named location (read once per
/// level, not once per `return`).
fn bare_error(
    model: &Model<'_>,
    r: NodeId,
    pages: &mut HashMap<Option<NodeId>, HashSet<String>>,
    errors_only: &mut HashMap<(NodeId, String), bool>,
) -> bool {
    let Some(code) = model.arg(r, 0) else {
        return false;
    };
    let Ok(status) = code.parse::<u16>() else {
        return false;
    };
    if status < 400 {
        return false;
    }
    // A constant text of the author's own (`return 400 '{"error":"invalid_path_ref"}';`): the
    // client gets that text, which guards nothing (held-out batch 161, a Supabase Studio
    // gateway's JSON error behind `auth_request`); `error_page` does not take over a `return`
    // with a text. A text with a variable may carry what the access rules guard.
    if let Some(text) = model.arg(r, 1).filter(|t| !t.is_empty()) {
        return !text.contains('$');
    }
    let level = model.node(r).parent();
    let to_named = pages.entry(level).or_insert_with(|| {
        let eff = model.effective(level, "error_page");
        eff.nodes
            .iter()
            .filter(|&&e| {
                let n = model.arg_count(e);
                model.arg_str(e, n.saturating_sub(1)).is_some_and(|target| {
                    target.starts_with('@') && !answers_errors_only(model, r, &target, errors_only)
                })
            })
            .flat_map(|&e| {
                let n = model.arg_count(e);
                (0..n.saturating_sub(1)).filter_map(move |i| model.arg(e, i))
            })
            .collect()
    });
    !to_named.contains(code.as_str())
}

/// Is the named location `name` of `r`'s server one that only answers an error of its own
/// (`location @403 { return 403 '{"status":403}'; }`, an API gateway's JSON errors, held-out
/// batch 229: measured, the static 403 for every request the access rules had not passed), or
/// one written file (a maintenance page), or one that runs access rules of its own? Then an
/// `error_page` to it serves nothing the access rules guard.
fn answers_errors_only(
    model: &Model<'_>,
    r: NodeId,
    name: &str,
    known: &mut HashMap<(NodeId, String), bool>,
) -> bool {
    let Some(server) = model.enclosing(r, "server") else {
        return false;
    };
    // Once per server and name: each level of a server of thousands of locations looked
    // through all of them (quadratic, the rule-scaling sweep).
    *known
        .entry((server, name.to_owned()))
        .or_insert_with(|| named_answers_errors_only(model, server, name))
}

/// [`answers_errors_only`] for the named location `name` of `server`, looked for.
fn named_answers_errors_only(model: &Model<'_>, server: NodeId, name: &str) -> bool {
    const PRESENTATION: &[&str] = &[
        "add_header",
        "more_set_headers",
        "default_type",
        "charset",
        "access_log",
        "internal",
    ];
    let Some(&named) = model
        .children_named_slice(Some(server), "location")
        .iter()
        .find(|&&l| model.arg_count(l) == 1 && model.arg_str(l, 0).as_deref() == Some(name))
    else {
        return false;
    };
    // Access rules in effect in the named location itself: nginx enters it at its rewrite
    // phase, so its access phase runs, and the client passes them or is refused there
    // (held-out batch 473, a WebDAV server's `return 596` to `@propfind_withdepth_handler`
    // with `auth_basic`: measured, 401 without credentials). Not where the named location
    // answers with a `return` of its own, in that rewrite phase, before any access check
    // (Gixy-Next's `error_page 418 = @handler` to `return 200 "hi"`: measured with nginx
    // 1.22.1, 200 for a client the server's `deny all` refuses elsewhere).
    if crate::semantics::location::own_return(model, named).is_none()
        && model.children_named_slice(Some(named), "if").is_empty()
        && access::restricted(model, Some(named), access::server_families(model, named))
    {
        return true;
    }
    let children = model.children(named);
    // A maintenance page: every request rewritten to one written file and served from disk
    // (`root ...; rewrite ^(.*)$ /maintenance.html break;`), nothing else (held-out batch
    // 381, PMM's `error_page 503 @maintenance`).
    let one_file = children.iter().all(|&c| {
        matches!(
            model.name(c),
            "root" | "rewrite" | "auth_request" | "auth_basic"
        ) || PRESENTATION.contains(&model.name(c))
    }) && children.iter().any(|&c| {
        model.name(c) == "rewrite"
            && model.arg_count(c) == 3
            && model.arg_is(c, 2, "break")
            && model
                .arg_str(c, 0)
                .is_some_and(|re| crate::semantics::location::takes_every_path(&re))
            && model
                .arg_str(c, 1)
                .is_some_and(|to| to.starts_with('/') && !to.contains('$'))
    });
    if one_file {
        return true;
    }
    let returns: Vec<NodeId> = children
        .iter()
        .copied()
        .filter(|&c| model.name(c) == "return")
        .collect();
    !returns.is_empty()
        && children
            .iter()
            .all(|&c| model.name(c) == "return" || PRESENTATION.contains(&model.name(c)))
        && returns.iter().all(|&ret| {
            model
                .arg(ret, 0)
                .and_then(|c| c.parse::<u16>().ok())
                .is_some_and(|status| status >= 400)
                && model.arg(ret, 1).is_none_or(|t| !t.contains('$'))
        })
}

/// A CORS preflight answer: `return 204;` (or another 2xx without a body) as the answer of
/// `if ($request_method = OPTIONS)`. A browser sends a preflight without credentials (Fetch
/// standard), so no authentication could pass it, and the empty answer gives away nothing
/// the access rules guard (a held-out batch: five such blocks before `auth_basic`, each
/// reported, each intended).
fn cors_preflight(model: &Model<'_>, r: NodeId) -> bool {
    let bodiless_2xx = model.name(r) == "return"
        && model
            .arg(r, 0)
            .and_then(|c| c.parse::<u16>().ok())
            .is_some_and(|c| (200..300).contains(&c))
        && model.arg(r, 1).is_none_or(|t| t.is_empty());
    let Some(condition) = model
        .node(r)
        .parent()
        .filter(|&p| model.name(p) == "if")
        .and_then(|i| model.if_condition(i))
    else {
        return false;
    };
    let parts: Vec<&str> = condition.split_whitespace().collect();
    let options = match parts.as_slice() {
        ["$request_method", "=", value] => value.trim_matches(['\'', '"']) == "OPTIONS",
        ["$request_method", "~" | "~*", value] => {
            matches!(value.trim_matches(['\'', '"']), "^OPTIONS$" | "OPTIONS")
        }
        _ => false,
    };
    bodiless_2xx && options
}

/// A redirect to the same URL over HTTPS on the same host (`return 301
/// https://$host$request_uri;`, the HTTP-to-HTTPS redirect): the client is sent where the same
/// access rules run, and the answer carries nothing but the URL it asked for. Running it first
/// keeps credentials off plain HTTP (held-out batch 201, Prometheus behind `auth_basic`:
/// measured 301 to the HTTPS URL, then 401 there).
fn scheme_upgrade(model: &Model<'_>, r: NodeId) -> bool {
    let target = match model.name(r) {
        "return" => redirect_url(model, r),
        _ => model.arg(r, 1),
    };
    let Some(target) = target else {
        return false;
    };
    let Some(rest) = target.strip_prefix("https://") else {
        return false;
    };
    let Some(host) = rest
        .strip_suffix("$request_uri")
        .or_else(|| rest.strip_suffix("$request_uri?"))
    else {
        return false;
    };
    matches!(
        host,
        "$host" | "${host}" | "$server_name" | "${server_name}" | "$http_host" | "${http_host}"
    ) || (!host.contains('$')
        && model.enclosing(r, "server").is_some_and(|server| {
            model
                .children_named_slice(Some(server), "server_name")
                .iter()
                .any(|&n| (0..model.arg_count(n)).any(|i| model.arg(n, i).as_deref() == Some(host)))
        }))
}

/// The URL of `return` `r` when it redirects (`return 301 URL`, a 3xx that takes one).
fn redirect_url(model: &Model<'_>, r: NodeId) -> Option<String> {
    model
        .arg(r, 0)
        .is_some_and(|c| matches!(c.as_str(), "301" | "302" | "303" | "307" | "308"))
        .then(|| model.arg(r, 1))
        .flatten()
}

/// A redirect (`return 3xx URL`, or a redirecting `rewrite`) whose URL is written out but for
/// the request's own parts: its URI (`$request_uri`, `$uri`, `$args`...), the path's captures
/// (`$1`), its scheme and host (`$scheme://$http_host/graph/`, a relative `/graph/`). It
/// tells the client nothing but where to go (held-out batch 381, PMM's `rewrite ^/$
/// $scheme://$http_host/graph/;` before its `auth_request`: `/graph/` asks for the login).
fn redirect_from_request(model: &Model<'_>, r: NodeId) -> bool {
    let url = match model.name(r) {
        "return" => redirect_url(model, r),
        "rewrite" => model.arg(r, 1),
        _ => None,
    };
    let Some(url) = url else {
        return false;
    };
    const OWN: &[&str] = &[
        "request_uri",
        "uri",
        "args",
        "is_args",
        "query_string",
        "scheme",
        "host",
        "http_host",
        "server_name",
    ];
    url.match_indices('$').all(|(i, _)| {
        let name = url[i + 1..]
            .trim_start_matches('{')
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        OWN.contains(&name) || (name.len() == 1 && name.as_bytes()[0].is_ascii_digit())
    })
}

/// A location only internal redirects reach (`@name`, or `internal` here or above).
fn internal_location(model: &Model<'_>, loc: NodeId) -> bool {
    model.name(loc) == "location"
        && (model.arg(loc, 0).is_some_and(|a| a.starts_with('@'))
            || access::internal_only(model, loc)
            || access::is_internal(model, loc))
}

/// Does `level` carry access directives of its own (rules or authentication)?
fn own_access(model: &Model<'_>, level: NodeId) -> bool {
    ["allow", "deny"]
        .iter()
        .chain(access::AUTH_DIRECTIVES)
        .any(|n| !model.children_named_slice(Some(level), n).is_empty())
}

/// What a level's access directives say, the same for every `return` answered there (worked
/// out once per level: a location of thousands of `return`s and `allow`s read every rule, limit
/// and `listen` again for each `return`).
struct Verdict {
    /// Reached only by internal redirects, with no access directives of its own.
    internal: bool,
    /// The location's own first `limit_req` or `limit_conn`.
    first_limit: Option<NodeId>,
    /// When the level restricts access: what guards it (for the message) and its first
    /// access rule.
    guard: Option<(String, Option<NodeId>)>,
    /// The level's first line that ends its rewrite directives for every request.
    rewrites_end: Option<NodeId>,
}

/// The first `limit_req` or `limit_conn` of a location `loc` or, where it has none, of the
/// nearest enclosing location that has one, as nginx inherits them: `location /api/ {
/// limit_req zone=api; location = /api/login { return 200 ...; } }` leaves the login answer
/// unlimited (held-out batch 197, measured: 40 fast requests, 40 answers, no "limiting
/// requests"). Not from `location /`, which limits the whole site as a server-wide limit does.
fn location_limit(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    let own = |l: NodeId| {
        ["limit_req", "limit_conn"]
            .iter()
            .filter_map(|n| model.children_named_slice(Some(l), n).first())
            .min()
            .copied()
    };
    let mut at = loc;
    loop {
        if at != loc
            && crate::semantics::location::location_match(model, at)
                .is_some_and(|(_, path)| path == "/")
        {
            return None;
        }
        if let Some(first) = own(at) {
            return Some(first);
        }
        at = model.parent_location(at)?;
    }
}

fn verdict(model: &Model<'_>, level: NodeId, r: NodeId) -> Verdict {
    let first_limit = if model.name(level) == "location" {
        location_limit(model, level)
    } else {
        None
    };
    // Reached only by internal redirects: the originating location's access phase ran,
    // unless this location has rules of its own that the return skips.
    let internal = internal_location(model, level) && !own_access(model, level);
    // The address families of the level's server (the same for every line of the level).
    let fam = access::server_families(model, r);
    let guard = access::restricted(model, Some(level), fam).then(|| {
        let rules = access::access_rules(model, Some(level)).unwrap_or_default();
        let auth = access::auth_in_effect(model, Some(level)).map(|a| model.name(a));
        let guard = match (rules.is_empty(), auth) {
            (false, Some(a)) => format!("`allow`/`deny` and `{a}`"),
            (true, Some(a)) => format!("`{a}`"),
            _ => "`allow`/`deny`".to_owned(),
        };
        (guard, rules.first().copied())
    });
    Verdict {
        internal,
        first_limit,
        guard,
        rewrites_end: crate::semantics::location::first_rewrite_end(model, level),
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut pages = HashMap::default();
    let mut errors_only = HashMap::default();
    let mut verdicts: HashMap<NodeId, Verdict> = HashMap::default();
    let candidates = model
        .directives_named("return")
        .iter()
        .copied()
        .filter(|&r| {
            !bare_error(model, r, &mut pages, &mut errors_only) && !cors_preflight(model, r)
        })
        .chain(
            model
                .directives_named("rewrite")
                .iter()
                .copied()
                .filter(|&r| rewrite_redirects(model, r)),
        )
        .filter(|&r| !scheme_upgrade(model, r));
    for r in candidates {
        // The block whose access rules a request answered at `r` would have met.
        let Some(level) = crate::semantics::location::request_level(model, r) else {
            continue;
        };
        let v = verdicts
            .entry(level)
            .or_insert_with(|| verdict(model, level, r));
        // A `break` (or a `rewrite ... break` matching every request) before it ended the
        // rewrite directives: it never answers, and the access phase runs (held-out batch
        // 136, measured: 403 outside the allow list, 404 inside, never the `return 503`).
        if v.rewrites_end.is_some_and(|end| r > end) {
            continue;
        }
        // The location's own rate and connection limits: they run in the preaccess phase,
        // after the rewrite phase, so a `return` beside them is never limited (held-out
        // batch 77: `location /auth { limit_req zone=auth; return 200 ...; }`, eight
        // parallel requests all answered 200), and those it inherits from an enclosing
        // location ([`location_limit`]). Limits of the server or `http` are left alone: a
        // redirect under a server-wide limit is not what the limit was for.
        // Only a `return` of the location itself, which answers every request: one inside
        // an `if` answers some (a WAF's `if ($bad_uri) { return 403; }` before a proxied
        // login: blocked requests need no limit; held-out batch 76).
        let limit = v
            .first_limit
            .filter(|_| model.node(r).parent() == Some(level));
        if v.internal && limit.is_none() {
            continue;
        }
        let what = if model.name(r) == "return" {
            "`return`"
        } else {
            "this redirecting `rewrite`"
        };
        let Some((guard, first_rule)) = &v.guard else {
            if let Some(first) = limit {
                out.push(limit_bypassed(model, r, level, what, first));
            }
            continue;
        };
        // Behind authentication alone (no address rules), a redirect to a written URL that
        // carries only the request's own parts serves nothing the authentication guards: the
        // client authenticates wherever it lands (held-out batch 231, an Airflow chart's
        // `return 308 https://deployments.example.com/release-name/airflow/$request_uri;`
        // before `auth_request`; batch 381, PMM's redirects to its own login-guarded paths).
        // Address rules are another matter: the redirect takes a refused client elsewhere.
        if first_rule.is_none() && limit.is_none() && redirect_from_request(model, r) {
            continue;
        }
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            r,
            format!(
                "{what} answers in the rewrite phase, before the access phase where {guard} \
                 run: every client gets this response, what restricts access here does \
                 not apply to it"
            ),
        )
        .help(
            "serve the response from the content phase (`try_files`, `proxy_pass`, a file), or \
             check the address with `geo`/`map` and an `if` before the `return`",
        );
        diag.primary.text = "answers before the access check".into();
        if let Some(first) = *first_rule {
            diag = diag.label(Label::at_node(
                model,
                first,
                "access rules that never run for it",
            ));
        }
        out.push(diag);
    }
    out
}

/// A `return` answered at `level` beside the `limit_req`/`limit_conn` it has or inherits from
/// an enclosing location (and no access rules).
fn limit_bypassed(
    model: &Model<'_>,
    r: NodeId,
    level: NodeId,
    what: &str,
    limit: NodeId,
) -> Diagnostic {
    let name = model.name(limit);
    let limit_level = model.node(limit).parent();
    let whose = if limit_level == Some(level) {
        "this location".to_owned()
    } else {
        format!("the enclosing `{}`", model.describe_block(limit_level))
    };
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        r,
        format!(
            "{what} answers in the rewrite phase, before the preaccess phase where `{name}` \
             runs: the limit set in {whose} never applies to this response"
        ),
    )
    .help(
        "serve the response from the content phase (`try_files`, `proxy_pass`, a file, an \
         `error_page` target), which runs after the limits, or drop the limit if nothing \
         needs it",
    )
    .label(Label::at_node(
        model,
        limit,
        "a limit that never runs for it",
    ));
    diag.primary.text = "answers before the limit is checked".into();
    diag
}
