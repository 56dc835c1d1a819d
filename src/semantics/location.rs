//! How a `location` matches: its modifier and pattern (`ngx_http_core_location`).

use super::model::{Model, NodeId};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    /// `location /x` (longest prefix).
    Prefix,
    /// `location ^~ /x` (prefix, no regex check after it).
    PrefixNoRegex,
    /// `location = /x`.
    Exact,
    /// `location ~ re`.
    Regex,
    /// `location ~* re`.
    RegexCaseless,
    /// `location @name`.
    Named,
}

impl Modifier {
    pub fn is_prefix(self) -> bool {
        matches!(self, Modifier::Prefix | Modifier::PrefixNoRegex)
    }

    pub fn is_regex(self) -> bool {
        matches!(self, Modifier::Regex | Modifier::RegexCaseless)
    }
}

/// The modifier and pattern of `location` node `loc`, as nginx reads them: a separate modifier
/// argument, or one glued to the pattern (`location =/x`, `location ~^/x`).
pub fn location_match(model: &Model<'_>, loc: NodeId) -> Option<(Modifier, String)> {
    let first = model.arg(loc, 0)?;
    if let Some(path) = model.arg(loc, 1) {
        let m = match first.as_str() {
            "=" => Modifier::Exact,
            "~" => Modifier::Regex,
            "~*" => Modifier::RegexCaseless,
            "^~" => Modifier::PrefixNoRegex,
            _ => return None,
        };
        return Some((m, path));
    }
    let (m, rest) = if let Some(r) = first.strip_prefix("~*") {
        (Modifier::RegexCaseless, r)
    } else if let Some(r) = first.strip_prefix("^~") {
        (Modifier::PrefixNoRegex, r)
    } else if let Some(r) = first.strip_prefix('~') {
        (Modifier::Regex, r)
    } else if let Some(r) = first.strip_prefix('=') {
        (Modifier::Exact, r)
    } else if first.starts_with('@') {
        (Modifier::Named, first.as_str())
    } else {
        (Modifier::Prefix, first.as_str())
    };
    Some((m, rest.to_owned()))
}

/// The named location `try_files` or `error_page` node `n` sends requests to: its last
/// argument when it starts with `@` (with a variable in it, it may name any location).
pub fn named_target<'m>(model: &'m Model<'_>, n: NodeId) -> Option<Cow<'m, str>> {
    let last = model.arg_count(n).checked_sub(1)?;
    model.arg_str(n, last).filter(|t| t.starts_with('@'))
}

/// Is `loc` a named location (`location @maintenance`) its server's `error_page` lines alone
/// send requests to? nginx runs it as an error page: with `recursive_error_pages off` (the
/// default) no `error_page` applies to what it answers (`r->error_page` is set), whatever it
/// inherits or sets. A `try_files` (or a variable naming a location) sending requests there
/// too, or a location outside a server, answers no.
pub fn reached_by_error_page_only(model: &Model<'_>, loc: NodeId) -> bool {
    let Some(name) = model
        .arg_str(loc, 0)
        .filter(|a| a.starts_with('@') && model.arg_count(loc) == 1)
    else {
        return false;
    };
    let Some(server) = model.enclosing(loc, "server") else {
        return false;
    };
    // The server's lines of a name: its subtree's node numbers, in walk order (a binary
    // search, not a walk of every server's lines: thousands of servers each ask).
    let end = model.subtree_end(server);
    let in_server = |list: &'_ [NodeId]| -> Vec<NodeId> {
        let first = list.partition_point(|&n| n <= server);
        list[first..]
            .iter()
            .take_while(|&&n| n < end)
            .copied()
            .collect()
    };
    let names_it = |n: NodeId| named_target(model, n).is_some_and(|t| t == name);
    let variable_target = |n: NodeId| {
        model
            .arg_str(n, model.arg_count(n).saturating_sub(1))
            .is_some_and(|t| t.starts_with('@') && t.contains('$'))
    };
    let error_pages = in_server(model.directives_named("error_page"));
    let try_files = in_server(model.directives_named("try_files"));
    error_pages.iter().any(|&n| names_it(n))
        && !try_files
            .iter()
            .chain(&error_pages)
            .any(|&n| variable_target(n))
        && !try_files.iter().any(|&n| names_it(n))
}

/// The named locations (`location @name`) of each server, read in one pass. At any depth: one
/// nested in a location is a load-time error of its own (`location-outside-parent`).
pub fn named_locations<'m>(model: &'m Model<'_>) -> HashMap<NodeId, HashSet<Cow<'m, str>>> {
    let mut named: HashMap<NodeId, HashSet<Cow<'m, str>>> = HashMap::new();
    for &l in model.directives_named("location") {
        if model.arg_count(l) == 1
            && let Some(name) = model.arg_str(l, 0).filter(|a| a.starts_with('@'))
            && let Some(server) = model.enclosing(l, "server")
        {
            named.entry(server).or_default().insert(name);
        }
    }
    named
}

/// Lines that answer or route a request themselves (a handler, a redirect, files from a
/// root), or may (an include, a nested location): a location with one of them does not fall
/// back to serving its requests from nginx's default document root. The pass lines
/// ([`super::streaming::PASS_DIRECTIVES`]) are the first of them.
pub const HANDLING: &[&str] = &[
    "memcached_pass",
    "return",
    "rewrite",
    "try_files",
    "alias",
    "root",
    "internal",
    "error_page",
    "stub_status",
    "empty_gif",
    "autoindex",
    "index",
    "random_index",
    "js_content",
    "perl",
    "content_by_lua",
    "content_by_lua_block",
    "content_by_lua_file",
    "echo",
    "location",
    "include",
    "mp4",
    "flv",
    "hls",
    "dav_methods",
    "limit_except",
    "secure_link",
    "image_filter",
    "xslt_stylesheet",
];

/// The rewrite module's directives: instructions of the rewrite phase, run in order, not
/// configuration an `if` block keeps for the request.
pub const REWRITE_INSTRUCTIONS: &[&str] = &[
    "break",
    "if",
    "return",
    "rewrite",
    "rewrite_log",
    "set",
    "uninitialized_variable_warn",
];

/// How many lines after an `if` [`replaced_ifs`] reads for the `if` that replaces it: a
/// location of thousands of `if`s with distinct conditions made every `if` read every later
/// one (20,000 of them: 22 s). Real locations hold a few.
const LATER_IFS_SEEN: usize = 64;

/// What [`replaced_ifs`] reads of one line of a location, read once.
struct Line {
    /// An `if`'s condition (`None` for other lines).
    condition: Option<String>,
    /// The `set`s of the line itself, or of an `if`'s block: variable (lowercase, with its
    /// `$`) and value, in order.
    sets: Vec<(String, String)>,
    /// Does the line (or an `if`'s block) end the rewrite phase: `return`, `break`, a
    /// `rewrite` with a flag?
    ends_phase: bool,
}

/// The `if` blocks of `loc` whose own configuration (`add_header`, `proxy_pass`...) never
/// applies, each with the later `if` of the location that holds whenever it held and that
/// the request always reaches after it, so that the request takes the later block's
/// configuration (nginx's rewrite phase runs the location's `if`s in order, and each one that
/// holds makes its block the request's configuration: measured with nginx 1.22.1). Certain
/// only in two shapes: the same condition again, none of its variables set on the way (`if
/// ($request_method = OPTIONS)` twice, enable-cors.org's pattern split in two), or a
/// condition on a variable the block sets to a literal (`set $cors 1;` in it, then `if ($cors
/// = 1)`, or `if ($cors)`). Not where the block or the location may end the rewrite phase on
/// the way (`return`, `break`, a `rewrite` with a flag), nor past [`LATER_IFS_SEEN`] lines.
pub fn replaced_ifs(model: &Model<'_>, loc: NodeId) -> Vec<(NodeId, NodeId)> {
    let children = model.children(loc);
    if model.name(loc) != "location" || !children.iter().any(|&c| model.name(c) == "if") {
        return Vec::new();
    }
    let ends_phase = |n: NodeId| match model.name(n) {
        "return" | "break" => true,
        "rewrite" => model.arg_count(n) >= 3,
        _ => false,
    };
    let set_of = |n: NodeId| {
        (model.name(n) == "set")
            .then(|| Some((model.arg(n, 0)?.to_ascii_lowercase(), model.arg(n, 1)?)))
            .flatten()
    };
    let lines: Vec<Line> = children
        .iter()
        .map(|&c| {
            if model.name(c) == "if" {
                let body = model.children(c);
                Line {
                    condition: model.if_condition(c),
                    sets: body.iter().filter_map(|&b| set_of(b)).collect(),
                    ends_phase: body.iter().any(|&b| ends_phase(b)),
                }
            } else {
                Line {
                    condition: None,
                    sets: set_of(c).into_iter().collect(),
                    ends_phase: ends_phase(c),
                }
            }
        })
        .collect();
    let mut out = Vec::new();
    for (i, x) in lines.iter().enumerate() {
        let Some(condition) = &x.condition else {
            continue;
        };
        if x.ends_phase {
            continue;
        }
        let reads: Vec<String> = super::script::parts(condition)
            .into_iter()
            .filter_map(|p| match p {
                super::script::Part::Var(v) => Some(format!("${v}")),
                _ => None,
            })
            .collect();
        // The value the block leaves in each variable it sets.
        let mut set_in_x: Vec<(&str, &str)> = Vec::new();
        for (var, value) in &x.sets {
            set_in_x.retain(|(v, _)| v != var);
            set_in_x.push((var, value));
        }
        let mut set_after: Vec<(&str, &str)> = Vec::new();
        for (j, line) in lines.iter().enumerate().skip(i + 1).take(LATER_IFS_SEEN) {
            if let Some(later) = &line.condition {
                let same = later == condition
                    && reads.iter().all(|v| {
                        !set_after.iter().any(|(w, _)| w == v)
                            && !set_in_x.iter().any(|(w, _)| w == v)
                    });
                if same || implied_by_set(later, &set_in_x, &set_after) {
                    out.push((children[i], children[j]));
                    break;
                }
            } else if line.ends_phase {
                break;
            }
            set_after.extend(line.sets.iter().map(|(v, w)| (v.as_str(), w.as_str())));
        }
    }
    out
}

/// Does condition `later` hold once `x` set one of its variables to a literal (`$cors = 1`
/// or `$cors` after `set $cors 1;`), the variable set since to that value only (another
/// method's block setting the same `1`)?
fn implied_by_set(later: &str, set_in_x: &[(&str, &str)], set_after: &[(&str, &str)]) -> bool {
    let (var, wanted) = match later.split_once('=') {
        Some((lhs, rhs)) if !lhs.ends_with('!') => (lhs.trim(), Some(rhs.trim())),
        Some(_) => return false,
        None => (later.trim(), None),
    };
    if !var.starts_with('$') || var.contains(' ') {
        return false;
    }
    let var = var.to_ascii_lowercase();
    let Some(&(_, value)) = set_in_x.iter().find(|(v, _)| *v == var) else {
        return false;
    };
    if value.contains('$') || set_after.iter().any(|&(v, w)| v == var && w != value) {
        return false;
    }
    match wanted {
        Some(w) => w.trim_matches(|c| c == '"' || c == '\'') == value,
        // `if ($v)`: false for an empty value and "0".
        None => !value.is_empty() && value != "0",
    }
}

/// Does a `rewrite` regex match every request path, `/` included (`^/(.*)$`, `.*`)?
pub fn takes_every_path(re: &str) -> bool {
    matches!(
        re,
        "^" | "^/"
            | "."
            | ".*"
            | "^.*$"
            | "(.*)"
            | "^(.*)"
            | "^(.*)$"
            | "^/(.*)"
            | "^/(.*)$"
            | "^/.*"
            | "^/.*$"
    )
}

/// [`takes_every_path`], or every path but `/` itself (`^/(.+)$`): what a rewrite of files
/// or of challenge paths, never `/`, takes.
pub fn takes_every_path_but_root(re: &str) -> bool {
    takes_every_path(re) || matches!(re, "^(.+)$" | "^/(.+)$")
}

/// Does `rewrite` node `r` take the request out of the block it is in when it matches: a new
/// location search (`last`) or a redirect (`redirect`, `permanent`)? Without a flag, or with
/// `break`, the request goes on in the same block (an `if` block's own configuration).
pub fn rewrite_leaves_block(model: &Model<'_>, r: NodeId) -> bool {
    let n = model.arg_count(r);
    n >= 3
        && matches!(
            model.arg(r, n - 1).as_deref(),
            Some("last" | "redirect" | "permanent")
        )
}

/// Does child `c` of `block` end the block's rewrite directives for every request: `break;`,
/// or a `rewrite REGEX ... break;` whose regex matches every path the block gets?
pub fn stops_every_request(model: &Model<'_>, block: NodeId, c: NodeId) -> bool {
    ends_rewrites(model, block, c, &["break"])
}

/// [`stops_every_request`], with `rewrite ... last` too: it also ends the block's rewrite
/// directives (then nginx looks for a location for the new URI), so the lines after it in the
/// block never run (held-out batch 289, Lobsters' maintenance switch: `rewrite ^(.*)$
/// /maintenance.html last; return 503;` answered 200, measured).
pub fn stops_every_request_or_restarts(model: &Model<'_>, block: NodeId, c: NodeId) -> bool {
    ends_rewrites(model, block, c, &["break", "last"])
}

fn ends_rewrites(model: &Model<'_>, block: NodeId, c: NodeId, flags: &[&str]) -> bool {
    match model.name(c) {
        "break" => model.arg_count(c) == 0,
        "rewrite" => {
            let n = model.arg_count(c);
            n == 3
                && model.arg_str(c, 2).is_some_and(|f| flags.contains(&&*f))
                && model.arg_str(c, 0).is_some_and(|re| {
                    takes_every_path(&re)
                        || (!uri_rewritten_before(model, block, c)
                            && matches_every_path(model, block, &re))
                })
        }
        _ => false,
    }
}

/// Does a `rewrite` of `block` before `c` change the URI? Then the block's own path no longer
/// says what the URI is: after `rewrite ^ $request_uri;` it is the raw request path, which
/// need not start with the location's prefix as written (`/%31/` for `location /1/`), and
/// the idiom's `return 400;` after `rewrite ^/1(/.*) $1 break;` answers those.
fn uri_rewritten_before(model: &Model<'_>, block: NodeId, c: NodeId) -> bool {
    model
        .children(block)
        .iter()
        .take_while(|&&x| x != c)
        .any(|&x| model.name(x) == "rewrite")
}

/// Does rewrite regex `re` match every request path `block` gets: one that takes any path
/// (`^/(.*)$`), a location's own regex again, the path of an exact location, or a prefix
/// location's path followed by nothing or `(.*)`, `.*`, after an optional slash or not
/// (`location /livekit/` with `rewrite ^/livekit/(.*)$ /$1 break;`, `location /mlops` with
/// `rewrite ^/mlops/?(.*)$ /$1 break;`)?
fn matches_every_path(model: &Model<'_>, block: NodeId, re: &str) -> bool {
    const ANY: &[&str] = &["", "(.*)", "(.*)$", ".*", ".*$", "(.*)?"];
    // The prefix's final slash inside the group (`^/o(/.*)$` for `location /o/`, held-out
    // batch 371: measured, the `if` after such a `rewrite ... break` never ran).
    const ANY_SLASHED: &[&str] = &["(/.*)", "(/.*)$", "/.*", "/.*$"];
    if takes_every_path(re) {
        return true;
    }
    if model.name(block) != "location" {
        return false;
    }
    match location_match(model, block) {
        Some((Modifier::Exact, path)) => {
            regex_lite::Regex::new(re).is_ok_and(|r| r.is_match(&path))
        }
        Some((m, path)) if m.is_regex() => path == re,
        Some((m, path)) if m.is_prefix() => {
            let Some(rest) = re.strip_prefix('^') else {
                return false;
            };
            // An optional slash after the prefix (`^/mlops/?(.*)$` for `location /mlops`, or
            // the prefix's own final slash made optional) takes every path the prefix does
            // (held-out batch 270, measured: the `if` blocks after it never ran).
            literal_prefix(rest, &path).is_some_and(|tail| {
                ANY.contains(&tail)
                    || tail
                        .strip_prefix("/?")
                        .or_else(|| tail.strip_prefix('?').filter(|_| path.ends_with('/')))
                        .is_some_and(|t| ANY.contains(&t))
            }) || path.strip_suffix('/').is_some_and(|bare| {
                literal_prefix(rest, bare).is_some_and(|tail| ANY_SLASHED.contains(&tail))
            })
        }
        _ => false,
    }
}

/// `re` read as the literal `path` (with `\.`, `\/` and the like escaped or not), and what
/// follows it.
fn literal_prefix<'r>(re: &'r str, path: &str) -> Option<&'r str> {
    let bytes = re.as_bytes();
    let mut i = 0;
    for &want in path.as_bytes() {
        let got = match bytes.get(i)? {
            b'\\' => {
                let e = *bytes.get(i + 1)?;
                if !e.is_ascii_punctuation() {
                    return None;
                }
                i += 2;
                e
            }
            b'.' | b'[' | b'(' | b')' | b'*' | b'+' | b'?' | b'{' | b'|' | b'^' | b'$' => {
                return None;
            }
            &b => {
                i += 1;
                b
            }
        };
        if got != want {
            return None;
        }
    }
    re.get(i..)
}

/// The block whose request a directive acts on: its innermost `location`, past the `if`s, or
/// its `server` for a server-level line (which runs before any location).
pub fn request_level(model: &Model<'_>, id: NodeId) -> Option<NodeId> {
    model
        .ancestors(id)
        .find(|&a| matches!(model.name(a), "location" | "server"))
}

/// The first child of `level` (a location or server) that ends its rewrite directives for
/// every request ([`stops_every_request`]): a `set`, `if`, `rewrite` or `return` after it
/// (its node number is greater) never runs.
pub fn first_rewrite_end(model: &Model<'_>, level: NodeId) -> Option<NodeId> {
    model
        .children(level)
        .iter()
        .copied()
        .find(|&c| stops_every_request(model, level, c))
}

/// The named location (`@api`) location `loc` hands every request to, where it answers no
/// request itself: `try_files /dev/null @name;` (PeerTube's idiom: no file is ever tried).
/// Its own response settings (`add_header`...) then reach no response: the named location
/// inherits from the server, not from `loc` (held-out batch 142, measured: none of the
/// location's headers on its `GET`s and `POST`s).
pub fn every_request_handed_to<'m>(model: &'m Model<'_>, loc: NodeId) -> Option<Cow<'m, str>> {
    let has = |n: &str| !model.children_named_slice(Some(loc), n).is_empty();
    if model.name(loc) != "location"
        || has("location")
        || crate::semantics::streaming::PASS_DIRECTIVES
            .iter()
            .any(|p| has(p))
    {
        return None;
    }
    model
        .children_named_slice(Some(loc), "try_files")
        .iter()
        .find_map(|&t| {
            let n = model.arg_count(t);
            let target = model.arg_str(t, n.checked_sub(1)?)?;
            (n >= 2
                && target.starts_with('@')
                && (0..n - 1).all(|i| model.arg_str(t, i).is_some_and(|a| a == "/dev/null")))
            .then_some(target)
        })
}

/// The `return` that answers every request location `loc` gets, in its rewrite phase (before
/// any access check, `try_files` or handler): its first own `return`, with no `rewrite`, `if`
/// or `break` before it (each could take a request elsewhere first) and no nested location (a
/// request that matches one runs there).
pub fn own_return(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    let children = model.children(loc);
    let at = children.iter().position(|&c| model.name(c) == "return")?;
    let before_or_nested = children[..at]
        .iter()
        .any(|&c| matches!(model.name(c), "rewrite" | "if" | "break"))
        || !model.children_named_slice(Some(loc), "location").is_empty();
    (!before_or_nested).then_some(children[at])
}

/// Does location `loc` serve only files: no handler of its own that can answer a 5xx (an
/// upstream's `*_pass`, a script, a `return`), in it or in its `if`s, and no nested location
/// that inherits its lines?
pub fn serves_files_only(model: &Model<'_>, loc: NodeId) -> bool {
    let answers = |block: NodeId| {
        model.children(block).iter().any(|&c| {
            let name = model.name(c);
            name.ends_with("_pass")
                || matches!(
                    name,
                    "return" | "js_content" | "perl" | "location" | "empty_gif"
                )
        })
    };
    !answers(loc)
        && !model
            .children_named_slice(Some(loc), "if")
            .iter()
            .any(|&i| answers(i))
}

/// The request limits and the directive that sets the status each rejects with (503 by
/// default).
pub const REQUEST_LIMITS: &[(&str, &str)] = &[
    ("limit_req", "limit_req_status"),
    ("limit_conn", "limit_conn_status"),
];

/// The `*_intercept_errors` directives: where one is on, an upstream's error statuses get the
/// `error_page` lines in effect, as nginx's own do.
pub const INTERCEPT_ERRORS: &[&str] = &[
    "proxy_intercept_errors",
    "fastcgi_intercept_errors",
    "uwsgi_intercept_errors",
    "scgi_intercept_errors",
    "grpc_intercept_errors",
];

/// Is one of [`INTERCEPT_ERRORS`] on at `level`?
pub fn intercepts_errors(model: &Model<'_>, level: Option<NodeId>) -> bool {
    INTERCEPT_ERRORS
        .iter()
        .any(|d| model.effective_value(&model.effective(level, d)) == "on")
}

/// May nginx itself answer a request in location `loc` with `code` (`"503"`, `"429"`, `"401"`:
/// statuses no file, script or connection failure gives): a request limit in effect that
/// rejects with it (503 by default), a login in effect (401), an `*_intercept_errors on` (an
/// upstream's status then gets the error page), or a line of the location or its `if`s naming
/// it (`return 503;`, `try_files ... =503;`, `error_page 404 =503 ...`). An include that was
/// not read may hold any of these.
pub fn may_raise(model: &Model<'_>, loc: NodeId, code: &str) -> bool {
    let limited = REQUEST_LIMITS.iter().any(|&(limit, status)| {
        !model.effective(Some(loc), limit).is_default() && {
            let s = model.effective(Some(loc), status);
            let s = if s.is_default() {
                "503".to_owned()
            } else {
                model.effective_value(&s)
            };
            s == code
        }
    });
    let intercepted = intercepts_errors(model, Some(loc));
    // A 401 comes from a login in effect, unless the location turns it off (held-out batch
    // 381, PMM's blog feed with `auth_request off`).
    let login = code == "401" && super::access::auth_in_effect(model, Some(loc)).is_some();
    if limited || intercepted || login {
        return true;
    }
    let eq_code = format!("={code}");
    let names = |n: NodeId| match model.name(n) {
        "return" => model.arg_count(n) == 1 && model.arg_str(n, 0).is_some_and(|a| a == code),
        "try_files" | "error_page" => (0..model.arg_count(n))
            .filter_map(|i| model.arg_str(n, i))
            .any(|a| a == eq_code),
        "include" => crate::semantics::loadtime::include_unread(model, n),
        _ => false,
    };
    let end = model.subtree_end(loc);
    (loc + 1..end).any(names)
}

/// The status a `return` answers with: its code, or 302 for `return URL`.
pub fn return_status(model: &Model<'_>, r: NodeId) -> Option<u16> {
    let first = model.arg_str(r, 0)?;
    match first.parse::<u16>() {
        Ok(code) => Some(code),
        Err(_) if model.arg_count(r) == 1 => Some(302),
        Err(_) => None,
    }
}

/// A `rewrite` whose replacement is a URL (a redirect whatever its flag).
pub fn replaces_with_url(model: &Model<'_>, n: NodeId) -> bool {
    model.arg_str(n, 1).is_some_and(|r| {
        r.starts_with("http://") || r.starts_with("https://") || r.starts_with("$scheme")
    })
}

/// A `return`, or a `rewrite` that takes every path and redirects (a flag, or a replacement
/// that is a URL).
pub fn answers_all(model: &Model<'_>, n: NodeId) -> bool {
    match model.name(n) {
        "return" => true,
        "rewrite" => {
            let Some(re) = model.arg_str(n, 0) else {
                return false;
            };
            let redirect = replaces_with_url(model, n)
                || (rewrite_leaves_block(model, n)
                    && model.arg_str(n, 2).is_some_and(|f| f != "last"));
            redirect && takes_every_path_but_root(&re)
        }
        _ => false,
    }
}

/// Does the server level `server` (`None`: a server fragment's top level) take TLS (or QUIC)
/// on one of its `listen`s, or have `ssl on` (removed in 1.25.1, still loaded before)?
pub fn serves_tls(model: &Model<'_>, server: Option<NodeId>) -> bool {
    model
        .children_named_slice(server, "listen")
        .iter()
        .any(|&l| model.has_param(l, "ssl") || model.has_param(l, "quic"))
        || model
            .children_named_slice(server, "ssl")
            .iter()
            .any(|&s| model.arg_str(s, 0).is_some_and(|v| v == "on"))
}

/// `if ($scheme = http)`, `if ($scheme != "https")`: always true on a server without TLS.
pub fn scheme_is_http(model: &Model<'_>, i: NodeId) -> bool {
    let Some(cond) = model.if_condition(i) else {
        return false;
    };
    let words: Vec<&str> = cond.split_whitespace().collect();
    let value = |w: &str| w.trim_matches(|c| c == '"' || c == '\'').to_owned();
    matches!(
        words.as_slice(),
        ["$scheme", "=", v] if value(v) == "http"
    ) || matches!(words.as_slice(), ["$scheme", "!=", v] if value(v) == "https")
}

/// Does location `l`'s pattern name the ACME challenge path (`/.well-known/acme-challenge/`)?
pub fn names_challenge(model: &Model<'_>, l: NodeId) -> bool {
    (0..model.arg_count(l).min(2)).any(|i| {
        model
            .arg_str(l, i)
            .is_some_and(|a| a.contains("acme-challenge"))
    })
}

#[cfg(test)]
mod tests {
    use super::literal_prefix;

    #[test]
    fn a_regex_reads_as_a_prefix_with_or_without_escapes() {
        assert_eq!(literal_prefix("/livekit/(.*)$", "/livekit/"), Some("(.*)$"));
        assert_eq!(
            literal_prefix("\\/api\\/v1\\/(.*)", "/api/v1/"),
            Some("(.*)")
        );
        assert_eq!(literal_prefix("/app\\.js", "/app.js"), Some(""));
        // An unescaped `.` matches any byte: not the literal dot.
        assert_eq!(literal_prefix("/app.js", "/app.js"), None);
        assert_eq!(literal_prefix("/api/(v1|v2)/", "/api/v1/"), None);
        assert_eq!(literal_prefix("/ap", "/api/"), None);
    }
}
