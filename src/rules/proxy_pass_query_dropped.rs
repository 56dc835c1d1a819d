//! `proxy-pass-query-dropped`: `proxy_pass` with variables and a URI part sends the URI it
//! builds as it is, without the request's query string: `location ~ ^/api/(.*)$ { proxy_pass
//! http://backend/$1; }` turns `/api/search?q=x` into `/search`. Without variables nginx adds
//! the arguments itself; with them it does not (`ngx_http_proxy_create_request` takes
//! `ctx->vars.uri` whole when the evaluated URL has a URI part).
//!
//! Only what the line shows is read: a value with `://`, a literal `/` after the host, no
//! `$args`, `$query_string`, `$is_args`, `$arg_*`, `$request_uri` or `?`, and no variable the
//! configuration defines (it may carry the query). Captures are the location's own regex's
//! (the path without its query) unless an `if` in the location may have set them from
//! `$request_uri`. Locations of static files by extension are left alone: a query there is a
//! cache buster the upstream does not read.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{Part, parts, variable_at};
use crate::semantics::streaming::prefix_path;
use crate::semantics::variables::is_builtin;
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "proxy-pass-query-dropped",
    summary: "`proxy_pass` with variables and a URI part (`http://b/$1`) sends the URI it builds \
              as it is: the request's query string is not passed",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-pass-query-dropped.md"),
    check,
};

/// Built-in variables that hold the query, or the whole request URI with it. Not `$is_args`:
/// it is the `?` alone (held-out batch 476, OpenML's `proxy_pass $upstream_py/$1$is_args;`:
/// measured, `/py/datasets/list?limit=5` reached the upstream as `/datasets/list?`).
const CARRIES_QUERY: &[&str] = &["args", "query_string", "request_uri", "request"];

/// Extensions of files a query does not change (cache busters: `app.js?v=3`).
const STATIC: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "avif", "bmp", "css", "js", "mjs", "map",
    "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg", "wav", "pdf", "zip", "gz",
];

/// Are all the variables of `value` a template's or a script's placeholders (`$PORT` in a
/// shell heredoc, filled before nginx reads the file: held-out batch 468, measured: rendered,
/// the query reached the upstream)? Then nginx sees a literal URL.
fn only_placeholders(model: &Model<'_>, value: &str) -> bool {
    // By hand rather than with `parts`, which lower-cases the names it reads.
    let mut any = false;
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        let Some((name, after)) = variable_at(&rest[at + 1..]) else {
            return false;
        };
        if !crate::semantics::variables::placeholder_name(model, name) {
            return false;
        }
        any = true;
        rest = after;
    }
    any
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per location: does one of its `if`s set the captures anew? Read once (a location of
    // thousands of passes and `if`s read every `if` for each pass).
    let mut resets: foldhash::HashMap<NodeId, bool> = foldhash::HashMap::default();
    for &id in cx.directives_named("proxy_pass") {
        let Some(token) = model.node(id).directive.arg_tokens().next() else {
            continue;
        };
        let Some(written) = model.arg_str(id, 0) else {
            continue;
        };
        if !written.contains('$')
            || written.contains('?')
            || crate::semantics::variables::template_placeholder(model, &written)
            || only_placeholders(model, &written)
        {
            continue;
        }
        // `proxy_pass $upstream;` with `set $upstream http://jellyfin:8096/socket;`: a variable
        // that holds one literal URL here is that URL, sent as it is (Jellyfin's `/socket`,
        // whose `?api_key=` was lost: held-out batch 72, measured).
        // So is one that starts the value (`set $upstream_py http://api:8000;` and `proxy_pass
        // $upstream_py/$1$is_args;`): the URI part follows it.
        let value = match whole_variable(&written).and_then(|v| literal_url_of(model, id, v)) {
            Some(url) => std::borrow::Cow::Owned(url),
            None => match leading_variable(&written)
                .and_then(|(v, rest)| Some((literal_url_of(model, id, v)?, rest)))
            {
                Some((url, rest)) => std::borrow::Cow::Owned(format!("{url}{rest}")),
                None => written.clone(),
            },
        };
        // The URI part: from a `/` after `scheme://host`, or from `$uri`, which starts with
        // one. What comes before it is the host (a variable there names the upstream).
        let Some(after) = value.find("://").map(|i| &value[i + 3..]) else {
            continue;
        };
        let mut in_uri = false;
        let mut captures = false;
        let mut may_carry = false;
        let mut uri_literal = true;
        let mut uri_text = String::new();
        let mut is_args = false;
        for part in parts(after) {
            match part {
                Part::Lit(l) => {
                    if in_uri {
                        uri_text.push_str(&l);
                    } else if let Some(slash) = l.find('/') {
                        in_uri = true;
                        uri_text.push_str(&l[slash..]);
                    }
                }
                Part::Var(v) if !in_uri => {
                    in_uri = matches!(v.as_str(), "uri" | "document_uri");
                    // `http://plex$uri`: the URI part is the variable's (held-out batch 479:
                    // measured, `?X-Plex-Token=` lost), no literal path.
                    uri_literal &= !in_uri;
                    // `$request_uri` as the whole path keeps the query.
                    may_carry |= CARRIES_QUERY.contains(&v.as_str());
                }
                Part::Capture(_) if !in_uri => {}
                Part::Capture(_) => {
                    captures = true;
                    uri_literal = false;
                }
                Part::Var(v) => {
                    uri_literal = false;
                    is_args |= v == "is_args";
                    may_carry |= CARRIES_QUERY.contains(&v.as_str())
                        || v.starts_with("arg_")
                        || (v != "is_args" && !is_builtin(&v))
                        || crate::semantics::variables::set_sites(model, &v)
                            .next()
                            .is_some();
                }
            }
        }
        if !in_uri || may_carry {
            continue;
        }
        let Some(loc) = model.parent_location(id) else {
            continue;
        };
        // `rewrite ^ $request_uri;` puts the query into `$uri` itself (held-out batch 245's
        // Home Assistant add-on passes the raw URI on so): it goes along.
        if model
            .children_named_slice(Some(loc), "rewrite")
            .iter()
            .any(|&r| {
                model
                    .arg_str(r, 1)
                    .is_some_and(|v| v.contains("$request_uri"))
            })
        {
            continue;
        }
        // An `if` whose regex matched, or a `rewrite` that kept the request in its block, set
        // the captures anew: the location's `$1` is not what the pass reads. An `if
        // ($request_method = PUT) { rewrite .* /_api$1 last; }` leaves the captures of the
        // requests that reach the pass alone (held-out batch 88).
        if captures
            && *resets.entry(loc).or_insert_with(|| {
                model
                    .children_named_slice(Some(loc), "if")
                    .iter()
                    .any(|&i| resets_captures(model, i))
            })
        {
            continue;
        }
        // An `internal` location is reached by an internal redirect or subrequest, whose
        // query is the redirect's own, not the client's: an `X-Accel-Redirect` header's
        // (held-out batch 78: Read the Docs' storage location, given a path only), an
        // `error_page` target's, an `auth_request`'s (none).
        if !model.children_named_slice(Some(loc), "internal").is_empty() {
            continue;
        }
        if static_files(model.arg_str(loc, 1).as_deref()) {
            continue;
        }
        let file = model.file_of(id);
        let span = token.span();
        // A URI part without variables: nginx sends every request of the location to that
        // one URI. Reported where that cannot be meant: a prefix location ending in `/` and a
        // URI ending in `/`, the idiom that strips the prefix without variables (`location
        // /api/ { proxy_pass http://$backend/; }`). A fixed path (`/hcheck.php`, an exact
        // location) may be meant, and is left alone.
        // A fixed URI that is the prefix location's own path (`location /socket` to
        // `.../socket`): the author passes the same path on and means its query (and the rest
        // of the path) to go along. An exact location's (`= /health`) may be a fixed call.
        // Not a location an `auth_request` of the configuration targets (its subrequest has
        // no query: SWAG's authentik outpost location).
        // Not `location /` with `.../`: it takes every path, and every one reaches the
        // upstream as `/` (held-out batch 479, a Plex proxy: measured, `/web/index.html` sent
        // as `/`).
        let same_path = uri_literal
            && prefix_path(model, loc)
                .is_some_and(|p| *p != *"/" && *p == *uri_text && !auth_request_target(model, &p));
        if uri_literal && !same_path {
            let Some(prefix) =
                prefix_path(model, loc).filter(|p| p.ends_with('/') && uri_text.ends_with('/'))
            else {
                continue;
            };
            let message = format!(
                "`proxy_pass {written}` has variables, so nginx sends its URI `{uri_text}` as it \
                 is: every request under `{prefix}` reaches the upstream as `{uri_text}`, the \
                 rest of its path and its query string lost"
            );
            let help = if *prefix == *"/" && uri_text == "/" {
                // Nothing to strip: without a URI part nginx passes the request's own.
                format!(
                    "drop the `/` after the host (`proxy_pass {}`): with no URI part nginx \
                     passes the request's URI and query as they are",
                    written.trim_end_matches('/')
                )
            } else {
                format!(
                    "with variables, nginx replaces no prefix: strip it with `rewrite \
                     ^{prefix}(.*)$ {uri_text}$1 break;` and give `proxy_pass` no URI \
                     (`proxy_pass http://$host_variable;`), or name an `upstream` block and \
                     drop the variable"
                )
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(file, span, "every request is sent to this one URI"),
                    message,
                )
                .help(help),
            );
            continue;
        }
        // `$is_args` with no `$args`: the upstream gets the `?` and none of the arguments.
        if is_args && let Some(at) = is_args_end(&model.src(id)[span.range()]) {
            let at = span.start + at as u32;
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(file, span, "`$is_args` without `$args`"),
                    format!(
                        "`proxy_pass {written}` has `$is_args` but not `$args`: nginx sends the \
                         URI it builds as it is, so a request's query string reaches the \
                         upstream as a bare `?`, its arguments lost"
                    ),
                )
                .help("add `$args` after `$is_args` (`$is_args$args`)")
                .fix(Fix::unsafe_(
                    "Add `$args` after `$is_args`",
                    vec![Edit::insert(file, at, "$args")],
                )),
            );
            continue;
        }
        let quoted = matches!(
            token.kind(),
            TokenKind::DoubleQuoted | TokenKind::SingleQuoted
        );
        let end = if quoted { span.end - 1 } else { span.end };
        let message = if written == value {
            format!(
                "`proxy_pass {value}` has variables and a URI part, so nginx sends the URI it \
                 builds as it is: the request's query string (`?…`) is not passed to the upstream"
            )
        } else {
            format!(
                "`proxy_pass {written}` has a variable, which holds `{value}` here: nginx sends \
                 its URI `{uri_text}` as it is, and the request's query string (`?…`) is not \
                 passed to the upstream"
            )
        };
        let diag = Diagnostic::new(
            &RULE,
            Label::new(file, span, "the query is not added to this URI"),
            message,
        )
        .help(
            "append `$is_args$args` to pass the query (`?` and the arguments, when there are any)",
        )
        .fix(Fix::unsafe_(
            "Append `$is_args$args`",
            vec![Edit::insert(file, end, "$is_args$args")],
        ));
        out.push(diag);
    }
    out
}

/// May `if` block `i` set the regex captures for the requests that go on past it: a regex
/// condition, or a `rewrite` that keeps the request in the block (no flag, or `break`).
fn resets_captures(model: &Model<'_>, i: NodeId) -> bool {
    let regex_condition = (0..model.arg_count(i)).any(|k| {
        model
            .arg_str(i, k)
            .is_some_and(|a| matches!(a.as_ref(), "~" | "~*" | "!~" | "!~*"))
    });
    regex_condition
        || model
            .children_named_slice(Some(i), "rewrite")
            .iter()
            .any(|&r| !crate::semantics::location::rewrite_leaves_block(model, r))
}

/// The variable a value is made of alone (`$upstream`, `${upstream}`).
fn whole_variable(value: &str) -> Option<&str> {
    let (name, rest) = leading_variable(value)?;
    rest.is_empty().then_some(name)
}

/// The variable that starts a value and what follows it (`$upstream` and `/$1` of
/// `$upstream/$1`).
fn leading_variable(value: &str) -> Option<(&str, &str)> {
    variable_at(value.strip_prefix('$')?)
}

/// Where the first `$is_args` (or `${is_args}`) of a raw argument ends.
fn is_args_end(raw: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut from = 0;
    while let Some(i) = text[from..].find('$').map(|i| from + i) {
        if let Some((name, rest)) = variable_at(&text[i + 1..])
            && name == "is_args"
        {
            return Some(text.len() - rest.len());
        }
        from = i + 1;
    }
    None
}

/// The literal URL (`scheme://host/...`, no variables) that `set $var` gives the pass
/// directive `id`'s location, where no `if` in it may set another.
fn literal_url_of(model: &Model<'_>, id: NodeId, var: &str) -> Option<String> {
    let loc = model.node(id).parent()?;
    if !model.children_named_slice(Some(loc), "if").is_empty() {
        return None;
    }
    let url = crate::semantics::streaming::resolve_set(model, loc, var)?;
    (url.contains("://") && !url.contains(['$', '?'])).then(|| url.into_owned())
}

/// Is `path` the URI of an `auth_request`? nginx makes that subrequest without a query
/// (`ngx_http_auth_request_handler` passes no arguments), so there is none to drop (SWAG's
/// authentik outpost location).
fn auth_request_target(model: &Model<'_>, path: &str) -> bool {
    model
        .directives_named("auth_request")
        .iter()
        .any(|&a| model.arg_str(a, 0).is_some_and(|u| u == path))
}

/// Is `pattern` (a regex location's) a file extension list of static files only,
/// `\.(png|jpe?g|css)$`?
fn static_files(pattern: Option<&str>) -> bool {
    let Some(p) = pattern else {
        return false;
    };
    let p = p.to_ascii_lowercase();
    // `\.(png|css)$`, also inside an outer group: `(^/res/.*\.(png|css)$)`.
    let Some(body) = p
        .trim_end_matches(')')
        .strip_suffix('$')
        .and_then(|b| b.strip_suffix(')'))
    else {
        return false;
    };
    let Some(open) = body.rfind("\\.(") else {
        return false;
    };
    let list = &body[open + 3..];
    let list = list.strip_prefix("?:").unwrap_or(list);
    !list.is_empty()
        && list.split('|').all(|ext| {
            // `jpe?g` is `jpeg` or `jpg`: either spelling known will do.
            let with = ext.replace('?', "");
            let mut without = String::new();
            for c in ext.chars() {
                if c == '?' {
                    without.pop();
                } else {
                    without.push(c);
                }
            }
            STATIC.contains(&with.as_str()) || STATIC.contains(&without.as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::static_files;

    #[test]
    fn static_extension_lists() {
        assert!(static_files(Some(r"\.(png|jpe?g|gif|css|js)$")));
        assert!(static_files(Some(r"^/assets/.+\.(?:woff2?|ttf)$")));
        assert!(static_files(Some(r"^/img/(.*)\.(?:png|webp)$")));
        assert!(!static_files(Some(r"^/api/(.*)$")));
        assert!(!static_files(Some(r"\.(php|png)$")));
        assert!(!static_files(Some(r"^/data/(.*)\.(json|xml)$")));
        assert!(static_files(Some(
            r"(^/Res/[^/]*UI/.*\.(jpg|png|gif|css|js)$)"
        )));
        assert!(!static_files(None));
    }
}
