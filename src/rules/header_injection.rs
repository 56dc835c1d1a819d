//! `header-injection`: a value that can carry a CR or LF the client sent percent-encoded
//! (`$uri`, `$document_uri`, captures of a regex matched against them) written into a
//! response header (`add_header`, a redirect's `Location`) or into the request nginx sends
//! upstream (`proxy_set_header`, the `proxy_pass` URL): HTTP response splitting.

use crate::semantics::model::{Model, NodeId};
use foldhash::HashMap;
use std::borrow::Cow;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::regex::Regex;
use crate::semantics::taint::Carry;

pub static RULE: Rule = Rule {
    id: "header-injection",
    summary: "a header or redirect is built from `$uri`, `$document_uri` or a capture of the \
              decoded URI, which can carry `%0d%0a` as CR/LF (HTTP response splitting)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/header-injection.md"),
    check,
};

/// (directive, index of the value argument, goes upstream)
const SINKS: &[(&str, usize, bool)] = &[
    ("add_header", 1, false),
    ("add_trailer", 1, false),
    ("proxy_set_header", 1, true),
    ("grpc_set_header", 1, true),
    ("proxy_pass", 0, true),
    ("return", 1, false),
    ("rewrite", 1, false),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One for every question: what the configuration's `set`s and `map`s carry is worked
    // out once.
    let carry = Carry::new(model);
    // The `rewrite`s of each block, by their arguments as written (an `if`'s count as its
    // parent block's), read the first time a rewrite of the block is reported: the same line
    // again in one block (WordPress's trailing-slash rewrite, inside `if (!-e
    // $request_filename)` and after it) is one problem, reported at the first and shown as
    // a label there (held-out batch 92). Worked out from the model, not from the findings, so
    // that a rule run part by part finds what a run of the whole does.
    let mut rewrites: HashMap<Option<NodeId>, HashMap<String, Vec<NodeId>>> = HashMap::default();
    // Per location, the variables of its `proxy_pass` URL's host and scheme, read once.
    let mut pass_hosts: HashMap<NodeId, Option<Vec<crate::semantics::script::Part>>> =
        HashMap::default();
    for &(name, idx, upstream) in SINKS {
        for &n in cx.directives_named(name) {
            // Only a variable or a capture can carry what the client sent, and both start
            // with `$`, which no escape produces: most lines need no further look.
            let src = model.src(n);
            if !model
                .node(n)
                .directive
                .arg_tokens()
                .any(|t| t.text(src).contains(&b'$'))
            {
                continue;
            }
            let Some((value, idx)) = sink_value(model, n, name, idx) else {
                continue;
            };
            let value = if name == "proxy_pass" {
                let mut path = without_host_variables(&value);
                for var in host_guards(model, &value) {
                    path = path.replace(&format!("${{{var}}}"), "x");
                }
                Cow::Owned(path)
            } else if !(matches!(name, "add_header" | "add_trailer")
                && model.has_param(n, "always"))
                && let Some(loc) = model.parent_location(n)
                && let Some(host) = pass_hosts
                    .entry(loc)
                    .or_insert_with(|| pass_host_parts(model, loc))
                    .as_deref()
            {
                // A variable that is also the host (or scheme) of the location's `proxy_pass`:
                // holding a line feed, it names no upstream nginx can connect to (500 or 502),
                // so no request or upstream answer carries this line (held-out batch 412,
                // Quay's `proxy_set_header Host $3;` beside `proxy_pass $2://$3/$4`, measured).
                // An `add_header ... always` is added to that error answer too.
                Cow::Owned(without_parts(&value, host))
            } else {
                value
            };
            // Upstream, nginx ends a header line at LF (a bare CR is kept in the value);
            // browsers split response headers at either. A redirecting `rewrite` whose pattern
            // cannot match a URI with a line feed inside (`^(.*)$`) never runs for one: only a
            // CR reaches its `Location` (held-out batch 171, measured: `/a%0aX` got 404,
            // `/a%0dX` a redirect with the CR in it).
            let chars: &[u8] = if upstream {
                b"\n"
            } else if name == "rewrite" && !pattern_can_hold_line_feed(model, n) {
                b"\r"
            } else {
                b"\n\r"
            };
            let Some((var, ch)) = chars
                .iter()
                .find_map(|&c| carry.value_can_carry(n, &value, c).map(|v| (v, c)))
            else {
                continue;
            };
            // A response header of a location whose `try_files` has replaced `$uri` by the
            // path it found (or by a fixed fallback) holds a file's name, not the request's.
            if matches!(name, "add_header" | "add_trailer")
                && matches!(var.as_str(), "$uri" | "$document_uri")
                && try_files_fixes_uri(model, n)
            {
                continue;
            }
            // `$uri` rewritten to `$request_uri` first holds the URI as the client sent it,
            // still percent-encoded: a line break is three characters there.
            if matches!(var.as_str(), "$uri" | "$document_uri") && uri_set_to_request_uri(model, n)
            {
                continue;
            }
            // A rewrite escapes its own captures in a redirect when the URI had %XX.
            if name == "rewrite" && is_numbered_capture(&var) {
                continue;
            }
            // Inside `if (-f $document_root$page.html)`: the line runs only where the value
            // names a file that exists, and a site's files have no line breaks in their names
            // (held-out batch 453, VitePress's documented trailing-slash redirect: measured,
            // `/guide%0d%0aX-Inj:%201/` got 404 with no header added).
            if exists_test_guards(model, n, &var) {
                continue;
            }
            let node = model.node(n);
            let what = match name {
                "return" | "rewrite" => "the redirect's `Location` header".to_owned(),
                "proxy_pass" => "the request line sent upstream".to_owned(),
                "proxy_set_header" | "grpc_set_header" => format!(
                    "the `{}` header sent upstream",
                    model.arg(n, 0).unwrap_or_default()
                ),
                _ => format!(
                    "the `{}` response header",
                    model.arg(n, 0).unwrap_or_default()
                ),
            };
            let chname = if ch == b'\n' {
                "line feed"
            } else {
                "carriage return"
            };
            let message = format!(
                "`{var}` can hold a {chname} the client sent as `%0{}`, and `{name}` writes it \
                 into {what}: a request can add headers or split the response",
                if ch == b'\n' { 'a' } else { 'd' }
            );
            let mut again: &[NodeId] = &[];
            if name == "rewrite" {
                let level = rewrite_level(model, n);
                let by_args = rewrites
                    .entry(level)
                    .or_insert_with(|| rewrites_by_args(model, level));
                if let Some(same) = by_args.get(&model.args_str(n).join(" ")) {
                    if same.first() != Some(&n) {
                        continue;
                    }
                    again = &same[1..];
                }
            }
            let mut diag = Diagnostic::at_node(&RULE, model, n, message);
            diag.primary.text = format!("`{var}` reaches {what}").into();
            if let Some(span) = crate::fix::style::arg_span(node.directive, idx) {
                diag = diag.label(Label::new(
                    model.file_of(n),
                    span,
                    format!("`{var}` holds bytes nginx decoded from the URI"),
                ));
            }
            let uri_var = value.contains("$uri") || value.contains("$document_uri");
            let help = if uri_var && model.name(n) == "rewrite" {
                // `$request_uri` holds the query too, which `rewrite` appends again: WordPress's
                // `/wp-admin?foo=1` went to `/wp-admin?foo=1/?foo=1` (held-out batch 160,
                // measured); a capture without CR and LF keeps the redirect.
                "capture the path in the pattern with a class that excludes CR and LF, and use \
                 the capture instead of `$uri` (WordPress's recipe: `rewrite \
                 ^([^\\r\\n]*/wp-admin)$ $scheme://$host$1/ permanent;`); `$request_uri` \
                 holds the query too, which `rewrite` would append again"
            } else if uri_var {
                "use `$request_uri` (the URI as the client sent it, still percent-encoded) \
                 instead of `$uri`/`$document_uri`"
            } else {
                "capture with a class that excludes CR and LF (`([^\\r\\n]*)`, or `[^/]`→`[^/\\r\\n]`), \
                 or match against `$request_uri` instead"
            };
            diag = diag.help(help);
            for &later in again {
                diag = diag.label(Label::at_node(
                    model,
                    later,
                    "the same `rewrite` again: the same problem",
                ));
            }
            out.push(diag);
        }
    }
    redirect_arguments(cx, &carry, &mut out);
    out
}

/// The internal redirects whose URI has arguments (`error_page 401 = /oauth2/start?rd=$uri;`,
/// `try_files`' last argument, `rewrite ... last|break`), with the directive's name.
const REDIRECTS: &[&str] = &["error_page", "try_files", "rewrite"];

/// Findings for a decoded variable in the arguments of an internal redirect to a location
/// that proxies: `proxy_pass` escapes the path it sends upstream but copies the arguments as
/// they are (`ngx_http_proxy_create_request`), so a line feed there ends the request line
/// and what follows is a header of the upstream request (held-out batch 93: oauth2-proxy's
/// sign-in redirect, `rd=$uri`; measured, an `X-Forwarded-Email` header reached the upstream).
fn redirect_arguments(cx: &LintContext<'_>, carry: &Carry<'_, '_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let routes = crate::semantics::streaming::Routes::default();
    for &name in REDIRECTS {
        for &n in cx.directives_named(name) {
            let count = model.arg_count(n);
            let uri = match name {
                "rewrite" => {
                    // `last` searches the locations again, `break` goes on in this one; a
                    // redirect to the client is the other sink.
                    let flag = model.arg_str(n, 2);
                    if count != 3 || !matches!(flag.as_deref(), Some("last" | "break")) {
                        continue;
                    }
                    // `.` stops at a line feed: a pattern anchored at both ends
                    // (`^/api/(.*)$`) does not match a path with a line break inside, and the
                    // rewrite does not happen (measured; one that ends in a line feed leaves
                    // nothing the client chooses after it). Unanchored (`^/api/(.*)`), it
                    // matches.
                    if !pattern_can_hold_line_feed(model, n) {
                        continue;
                    }
                    model.arg_str(n, 1)
                }
                _ if count >= 2 => model.arg_str(n, count - 1),
                _ => None,
            };
            let Some(uri) = uri.filter(|u| u.starts_with('/')) else {
                continue;
            };
            let Some((path, args)) = uri.split_once('?') else {
                continue;
            };
            // A capture is escaped in a rewrite's arguments when the URI had `%XX`; a
            // variable is not.
            let Some(var) = carry
                .value_can_carry(n, args, b'\n')
                .filter(|v| !is_numbered_capture(v))
            else {
                continue;
            };
            let break_here = name == "rewrite" && model.arg_is(n, 2, "break");
            let target = if break_here {
                model.enclosing(n, "location")
            } else {
                if path.contains('$') {
                    continue;
                }
                let Some(server) = model.enclosing(n, "server") else {
                    continue;
                };
                routes.location_of(model, server, path).flatten()
            };
            let Some(target) = target else {
                continue;
            };
            let Some(&pass) = model
                .children_named_slice(Some(target), "proxy_pass")
                .first()
                .filter(|&&p| model.arg_str(p, 0).is_some_and(|u| !u.contains('$')))
            else {
                continue;
            };
            let at = model.args_str(target).join(" ");
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{var}` can hold a line feed the client sent as `%0a`, and `{name}` puts it \
                     in the arguments of the request it hands to `location {at}`, whose \
                     `proxy_pass` sends them upstream as they are: a request can add headers to \
                     the upstream request"
                ),
            )
            .label(Label::at_node(
                model,
                pass,
                "sends the arguments upstream unescaped",
            ))
            .help(
                "use `$request_uri` (the URI as the client sent it, still percent-encoded) \
                 instead of `$uri`/`$document_uri` in the arguments",
            );
            diag.primary.text = format!("`{var}` reaches the upstream request line").into();
            out.push(diag);
        }
    }
}

/// Is `var` (as `Carry` names it: `$1`, `$uri`) a numbered capture?
/// Is `n` inside an `if` testing that a file named with `var` exists (`-f`, `-e`, `-d`, `-x`,
/// not negated: [`Model::if_file_test`]), up to its location?
fn exists_test_guards(model: &Model<'_>, n: NodeId, var: &str) -> bool {
    let name = var.trim_start_matches('$');
    model
        .ancestors(n)
        .take_while(|&a| model.name(a) == "if")
        .any(|i| {
            let Some((false, _, path)) = model.if_file_test(i) else {
                return false;
            };
            crate::semantics::script::references(&path).any(|r| match r {
                crate::semantics::script::Reference::Var(v) => v == name,
                crate::semantics::script::Reference::Capture(c) => name.parse::<usize>() == Ok(c),
            })
        })
}

fn is_numbered_capture(var: &str) -> bool {
    var.strip_prefix('$')
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit()))
}

/// Can the pattern of `rewrite` node `n` match a URI holding a line feed before its end? Yes
/// where the pattern cannot be read.
fn pattern_can_hold_line_feed(model: &Model<'_>, n: NodeId) -> bool {
    let pattern = model.arg_str(n, 0).unwrap_or_default();
    // Case does not change what matches a line feed.
    Regex::parse(&pattern, false).is_none_or(|re| re.can_match_inner_line_feed())
}

/// The block `rewrite` node `n` runs in: its parent, or the parent of the `if` it is in.
fn rewrite_level(model: &Model<'_>, n: NodeId) -> Option<NodeId> {
    let parent = model.node(n).parent();
    match parent {
        Some(p) if model.name(p) == "if" => model.node(p).parent(),
        _ => parent,
    }
}

/// The `rewrite`s of block `level` and of the `if`s directly in it, by their arguments as
/// written, each list in configuration order.
fn rewrites_by_args(model: &Model<'_>, level: Option<NodeId>) -> HashMap<String, Vec<NodeId>> {
    let mut by_args: HashMap<String, Vec<NodeId>> = HashMap::default();
    let direct = model.children_named_slice(level, "rewrite").iter();
    let in_ifs = model
        .children_named_slice(level, "if")
        .iter()
        .flat_map(|&i| model.children_named_slice(Some(i), "rewrite"));
    for &r in direct.chain(in_ifs) {
        by_args
            .entry(model.args_str(r).join(" "))
            .or_default()
            .push(r);
    }
    // Node numbers follow the text: each list in configuration order.
    for same in by_args.values_mut() {
        same.sort_unstable();
    }
    by_args
}

/// Does a `rewrite` before `n`, in its location or at its server's level, set the URI to
/// `$request_uri` (`rewrite ^ $request_uri;`, a Home Assistant add-on's way of passing the raw
/// URI upstream)? nginx's rewrite keeps the replacement as written, undecoded: `$uri` then
/// holds `%0a` as three characters (held-out batch 245; measured with nginx 1.22.1, `GET
/// /a%0aX-Injected:%20yes` reached the backend still encoded).
fn uri_set_to_request_uri(
    model: &crate::semantics::model::Model<'_>,
    n: crate::semantics::model::NodeId,
) -> bool {
    let resets = |level: Option<crate::semantics::model::NodeId>| {
        model
            .children_named_slice(level, "rewrite")
            .iter()
            .take_while(|&&r| r < n)
            .any(|&r| {
                model
                    .arg_str(r, 1)
                    .is_some_and(|to| to.starts_with("$request_uri"))
            })
    };
    let loc = model.parent_location(n);
    let server = crate::semantics::variables::server_of(model, n);
    loc.is_some_and(|l| resets(Some(l))) || server.is_some_and(|s| resets(Some(s)))
}

/// Is `n` in a location whose `try_files` sets `$uri` before the response headers are
/// written, to something the client cannot fill with a line break? A file or directory test
/// that succeeds makes `$uri` the path found on disk (`ngx_http_try_files_handler`); the last
/// argument, when every test fails, is an error code (`=404`: `add_header` without `always`
/// adds nothing to it), a named location (whose own headers apply), or a URI searched again,
/// safe when its path has no variable. Measured with nginx 1.22.1: `add_header X "$uri"`
/// beside `try_files $uri $uri/ =404` sent no injected header for `%0a` or `%0d%0a`.
fn try_files_fixes_uri(
    model: &crate::semantics::model::Model<'_>,
    n: crate::semantics::model::NodeId,
) -> bool {
    let Some(loc) = model.node(n).parent() else {
        return false;
    };
    if model.name(loc) != "location" {
        return false;
    }
    let Some(&tf) = model.children_named_slice(Some(loc), "try_files").last() else {
        return false;
    };
    let count = model.arg_count(tf);
    if count < 2 {
        return false;
    }
    let Some(last) = model.arg_str(tf, count - 1) else {
        return false;
    };
    last.starts_with('=')
        || last.starts_with('@')
        || !last.split('?').next().unwrap_or_default().contains('$')
}

/// The argument that ends up in a header (and its index), if this directive writes one;
/// borrowed from the source unless escaped.
fn sink_value<'p>(
    model: &crate::semantics::model::Model<'p>,
    n: crate::semantics::model::NodeId,
    name: &str,
    idx: usize,
) -> Option<(Cow<'p, str>, usize)> {
    let count = model.arg_count(n);
    match name {
        // ngx_http_send_response sets Location only for 301/302/303/307/308, and a single
        // argument is a 302 only when it starts with a scheme.
        "return" => {
            if count == 1 {
                let v = model.arg_str(n, 0)?;
                return (v.starts_with("http://")
                    || v.starts_with("https://")
                    || v.starts_with("$scheme"))
                .then_some((v, 0));
            }
            let code = model.arg_str(n, 0)?;
            matches!(
                code.trim_start_matches('0'),
                "301" | "302" | "303" | "307" | "308"
            )
            .then(|| model.arg_str(n, 1).map(|v| (v, 1)))
            .flatten()
        }
        "rewrite" => {
            let v = model.arg_str(n, 1)?;
            let flag = model.arg_str(n, 2).unwrap_or_default();
            let redirect = matches!(&*flag, "redirect" | "permanent")
                || v.starts_with("http://")
                || v.starts_with("https://")
                || v.starts_with("$scheme");
            redirect.then_some((v, 1))
        }
        _ => model.arg_str(n, idx).map(|v| (v, idx)),
    }
}

/// The variables whose value picks a `proxy_pass` URL's host through a `map` with exact keys
/// and no default (`map $service $backend_upstream { users user-service; ... }` before
/// `proxy_pass http://$backend_upstream/api/$service/`): a value holding a line feed matches
/// no key, the host is empty, and nginx answers 500 ("no host in upstream") before any
/// request is sent, so the variable cannot carry one into the request line (held-out batch
/// 100, measured: the backend never saw such a request).
fn host_guards(model: &Model<'_>, value: &str) -> Vec<String> {
    use crate::semantics::script::Part;
    use crate::semantics::variables::map_sites;
    let mut out = Vec::new();
    for (part, in_host) in url_parts(value) {
        let Part::Var(v) = part else {
            continue;
        };
        if !in_host {
            continue;
        }
        let maps: Vec<NodeId> = map_sites(model, &v).collect();
        let sources: Vec<String> = maps
            .iter()
            .filter_map(|&m| exact_map_source(model, m))
            .collect();
        // Every map of the name guards, by one source.
        if !maps.is_empty()
            && sources.len() == maps.len()
            && sources.iter().all(|s| *s == sources[0])
        {
            out.push(sources[0].clone());
        }
    }
    out
}

/// The source variable (without `$`) of `map` block `m` when a value of it with a line feed
/// gives an empty result: the source is one variable, every key is exact text (no regex, no
/// `include`, no `hostnames` wildcards), and there is no default or an empty one.
fn exact_map_source(model: &Model<'_>, m: NodeId) -> Option<String> {
    let source = model.arg_str(m, 0)?;
    let name = source.strip_prefix('$')?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    for &e in model.children(m) {
        let key = model.name(e);
        match key {
            "default" if model.arg_str(e, 0).is_some_and(|v| !v.is_empty()) => return None,
            "default" | "volatile" => {}
            // Wildcard names (`.example.com`) match values a line feed does not stop.
            "hostnames" | "include" => return None,
            _ if key.starts_with('~') || key.contains('\n') => return None,
            _ => {}
        }
    }
    Some(name.to_owned())
}

/// A `proxy_pass` URL with the variables of its host part replaced: nginx must find an
/// upstream group or resolve a DNS name of that name, and neither can hold a line feed, so
/// only the path reaches the request line. `$uri` and `$document_uri` start with `/`, so
/// they end the host part.
fn without_host_variables(value: &str) -> String {
    masked(url_parts(value))
}

/// The text of `parts` with each part marked `true` (a variable or capture of a URL's host)
/// written as `x`, the others as they were.
fn masked(parts: impl IntoIterator<Item = (crate::semantics::script::Part, bool)>) -> String {
    use crate::semantics::script::Part;
    let mut out = String::new();
    for (part, mask) in parts {
        match part {
            Part::Lit(l) => out.push_str(&l),
            Part::Var(_) | Part::Capture(_) if mask => out.push('x'),
            Part::Var(v) => out.push_str(&format!("${{{v}}}")),
            Part::Capture(n) => out.push_str(&format!("${n}")),
        }
    }
    out
}

/// The variables and captures of the host or scheme part of location `loc`'s `proxy_pass`
/// URL ([`url_parts`]), if it has any.
fn pass_host_parts(model: &Model<'_>, loc: NodeId) -> Option<Vec<crate::semantics::script::Part>> {
    let pass = *model
        .children_named_slice(Some(loc), "proxy_pass")
        .first()?;
    let url = model.arg_str(pass, 0)?;
    // Most URLs are literal (`http://app`): no variable in them at all.
    if !url.contains('$') {
        return None;
    }
    let host: Vec<_> = url_parts(&url)
        .into_iter()
        .filter(|(_, in_host)| *in_host)
        .map(|(p, _)| p)
        .collect();
    (!host.is_empty()).then_some(host)
}

/// `value` with the variables and captures of `host` replaced.
fn without_parts(value: &str, host: &[crate::semantics::script::Part]) -> String {
    masked(crate::semantics::script::parts(value).into_iter().map(|p| {
        let in_host = host.contains(&p);
        (p, in_host)
    }))
}

/// The parts of a `proxy_pass` URL, each with whether it is in the URL's host part: after
/// `scheme://` and before the first `/`. A variable of nginx's decoded URI (`$uri`,
/// `$document_uri`) starts with `/`, so it ends the host part.
fn url_parts(value: &str) -> Vec<(crate::semantics::script::Part, bool)> {
    use crate::semantics::script::{Part, parts};
    use crate::semantics::taint::DECODED;
    let mut out = Vec::new();
    let mut seen_scheme = false;
    let mut in_host = false;
    let all = parts(value);
    // The parts before a literal that starts with `://` are the scheme (`proxy_pass
    // $2://$3/$4`): nginx accepts only `http://` or `https://` there, so one holding a line
    // feed is refused ("invalid URL prefix") before anything is sent (held-out batch 412,
    // measured). A URL in one variable (`proxy_pass $target;`) has none.
    let scheme_end = all
        .iter()
        .position(|p| matches!(p, Part::Lit(l) if l.starts_with("://")))
        .filter(|&i| {
            i > 0
                && all[..i].iter().all(|p| match p {
                    Part::Lit(l) => !l.contains('/') && !l.contains(':'),
                    _ => true,
                })
        })
        .unwrap_or(0);
    for (i, part) in all.into_iter().enumerate() {
        if i < scheme_end {
            let variable = !matches!(part, Part::Lit(_));
            out.push((part, variable));
            continue;
        }
        let here = match &part {
            Part::Lit(l) => {
                if !seen_scheme && let Some(i) = l.find("://") {
                    seen_scheme = true;
                    in_host = !l[i + 3..].contains('/');
                } else if in_host && l.contains('/') {
                    in_host = false;
                }
                false
            }
            Part::Var(v) if in_host && !DECODED.contains(&v.as_str()) => true,
            Part::Capture(_) if in_host => true,
            Part::Var(_) => {
                in_host = false;
                false
            }
            Part::Capture(_) => false,
        };
        out.push((part, here));
    }
    out
}
