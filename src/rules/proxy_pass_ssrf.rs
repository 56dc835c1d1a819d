//! `proxy-pass-ssrf`: the scheme or host of a `proxy_pass` URL comes from the client (`$arg_*`,
//! `$http_*`, `$cookie_*`, captures of the URI...), so a request chooses where nginx connects:
//! server-side request forgery.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::access::is_internal;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{Part, parts};
use crate::semantics::taint::{Controlled, DECODED, capture_sites};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "proxy-pass-ssrf",
    summary: "the scheme or host of `proxy_pass` comes from the request (`$arg_*`, `$http_*`, a \
              URI capture...), so a client picks the server nginx connects to (SSRF)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/proxy-pass-ssrf.md"),
    check,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    Scheme,
    Host,
    /// After a literal host's `:`: the client picks a port of that host only.
    Port,
    Path,
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut ask = Questions {
        controlled: Controlled::new(model),
        slash_first: HashMap::default(),
        names_host: HashMap::default(),
        sets_start_path: HashMap::default(),
    };
    for &name in PASS {
        for &n in cx.directives_named(name) {
            check_one(model, name, n, &mut ask, &mut out);
        }
    }
    out
}

/// What this rule asks of the variables, kept between the lines that ask: the answers depend
/// on the variable's definitions alone, and thousands of lines read the same variable (each
/// read every `set` and `map` entry of it again).
struct Questions<'m, 'p> {
    controlled: Controlled<'m, 'p>,
    /// [`values_start_with_slash`] by name.
    slash_first: HashMap<String, bool>,
    /// Whether every `map`/`geo` value of a name is a host name (no address), by name.
    names_host: HashMap<String, bool>,
    /// [`set_values_start_path`] by server and name (every `set` of the name in the server
    /// read once, not once per `proxy_pass` that names it).
    sets_start_path: HashMap<(Option<NodeId>, String), bool>,
}

/// Directives that connect to an address they evaluate per request.
const PASS: &[&str] = &[
    "proxy_pass",
    "grpc_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "memcached_pass",
];

fn check_one(
    model: &Model<'_>,
    name: &str,
    n: NodeId,
    ask: &mut Questions<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    {
        // Only a variable (a `$`, which no escape produces) lets the client choose the target:
        // most lines are not copied.
        let src = model.src(n);
        if !model
            .node(n)
            .directive
            .arg_tokens()
            .next()
            .is_some_and(|t| t.text(src).contains(&b'$'))
        {
            return;
        }
        let Some(value) = model.arg(n, 0) else {
            return;
        };
        if !value.contains('$') {
            return;
        }
        // A template's tag in front (`proxy_pass {{X_URI}}/api$1`, read as a word of `_`):
        // the tag renders the scheme and host, and a `/` after it, before any variable, fixes
        // them; the client chooses only the path (held-out batch 443, Microsoft PAI's pylon:
        // measured, eleven such lines each kept to their backend). No URL nginx reads starts
        // with `_` (a scheme or a variable does).
        if let Some(rest) = value.strip_prefix("____") {
            let rest = rest.trim_start_matches('_');
            if rest
                .find('/')
                .is_some_and(|slash| rest.find('$').is_none_or(|d| slash < d))
            {
                return;
            }
        }
        // `internal` locations are reachable only through nginx's own redirects.
        if model
            .enclosing(n, "location")
            .is_some_and(|loc| is_internal(model, loc))
        {
            return;
        }
        let mut expanded = Vec::new();
        expand(model, n, &value, 0, &mut expanded);
        // Only proxy_pass (and grpc_pass with a scheme) has a path: the others' whole value
        // is an address.
        let has_path = name == "proxy_pass";
        let Some((var, region, named_start)) = controlled_target(model, &expanded, has_path, ask)
        else {
            return;
        };
        // The client only appends to a fixed name (`http://$upstream_name$http_entry_point`,
        // a `map` of upstream names): without a `resolver`, nginx connects only to an
        // `upstream` of the exact name and answers 502 for any other (held-out batch 357,
        // measured: `.evil.example`, `:39203` and `@127.0.0.1:39203` each gave 502 "no
        // resolver defined to resolve ..."). A name cannot be read as an IP address. Said as
        // what it is: one `resolver` line away from the forgery.
        if region == Region::Host
            && named_start
            && model
                .effective(model.node(n).parent(), "resolver")
                .nodes
                .is_empty()
        {
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "the host of `{name} {value}` ends with `{var}`, which the client chooses: \
                     with no `resolver`, nginx connects only to an `upstream` of the name it \
                     makes (any other gets 502), but a `resolver` set here later lets a request \
                     name any host under a domain its sender controls"
                ),
            )
            .severity(Severity::Warning)
            .help(
                "map the client's value to the names meant with `map ... { default <fixed>; }` \
                 and proxy to that variable alone",
            );
            diag.primary.text = "host completed by the client".into();
            out.push(diag);
            return;
        }
        let node = model.node(n);
        if region == Region::Port {
            // A port of a fixed host: behind authentication, the check sees the whole URI
            // (micsapp's web terminal, `^/ut/(\d+)/` to its users' ttyd ports behind
            // `auth_request`, which rejects a port not the user's).
            let level = model.enclosing(n, "location");
            if crate::semantics::access::auth_in_effect(model, level).is_some() {
                return;
            }
            out.push(port_finding(model, name, n, &value, &var));
            return;
        }
        let what = if region == Region::Scheme {
            "scheme and host"
        } else {
            "host"
        };
        let verb = if region == Region::Scheme {
            "are"
        } else {
            "is"
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "the {what} of `{name} {value}` {verb} taken from `{var}`, which the client \
                 chooses: a request can make nginx connect to any server it can reach, internal \
                 ones included (server-side request forgery)"
            ),
        )
        .help(
            "proxy to a fixed host or `upstream` and put the request's values in the path only, \
             or map the client's value to an allow-list with `map ... { default <fixed>; }`",
        );
        diag.primary.text = format!("{what} chosen by the client").into();
        if let Some(span) = crate::fix::style::arg_span(node.directive, 0) {
            diag = diag.label(Label::new(
                model.file_of(n),
                span,
                format!("`{var}` decides the {what}"),
            ));
        }
        out.push(diag);
    }
}

/// The finding for a port taken from the client: any port of the fixed host, its other
/// services included.
fn port_finding(model: &Model<'_>, name: &str, n: NodeId, value: &str, var: &str) -> Diagnostic {
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        n,
        format!(
            "the port of `{name} {value}` is taken from `{var}`, which the client chooses: a \
             request can make nginx connect to any port of that host, its other services \
             included"
        ),
    )
    .severity(Severity::Warning)
    .help(
        "map the client's value to the ports meant with `map ... { default <fixed>; }`, or put \
         an authentication check (`auth_request`) in front that knows which ports a user may \
         reach",
    );
    diag.primary.text = "port chosen by the client".into();
    diag
}

/// The value with variables defined by a single `set` replaced by what they are set to, each
/// part with the node it is evaluated at (captures belong to where the `set` is). A built-in
/// variable nginx lets `set` change (`$proxy_host`) holds what the `set` gives it.
fn expand(model: &Model<'_>, at: NodeId, value: &str, depth: u32, out: &mut Vec<(Part, NodeId)>) {
    for p in parts(value) {
        if let Part::Var(v) = &p
            && depth < 4
            && !capture_sites(model, at)
                .iter()
                .any(|s| s.regex.group_named(v).is_some())
        {
            // Only a variable of one `set` (in the server whose requests read it) is expanded.
            let server = crate::semantics::variables::server_of(model, at);
            if let [s] = *crate::semantics::variables::set_sites_in(model, v, server)
                && let Some(sv) = model.arg(s, 1)
            {
                expand(model, s, &sv, depth + 1, out);
                continue;
            }
        }
        out.push((p, at));
    }
}

/// The first client-controlled variable in the scheme or host part, where it is, and whether
/// a fixed name (no IP address: a letter in it, no `[`) starts the host before it.
fn controlled_target(
    model: &Model<'_>,
    expanded: &[(Part, NodeId)],
    has_path: bool,
    ask: &mut Questions<'_, '_>,
) -> Option<(String, Region, bool)> {
    let mut named_start = false;
    let mut host_begun = false;
    let mut region = if has_path {
        Region::Scheme
    } else {
        Region::Host
    };
    // A variable nothing here expands (its value set where ngxlint cannot read it, such as
    // `set_by_lua_block`) just passed in the scheme: it supplies the scheme and the host when
    // a `/` follows it, since a host holds no `/` (T-Pot's `$spiderfoot_backend/spiderfoot/$1`).
    let mut after_opaque = false;
    for (i, (p, at)) in expanded.iter().enumerate() {
        match p {
            Part::Lit(l) => {
                let mut rest = l.as_str();
                if region == Region::Scheme {
                    match rest.find("://") {
                        Some(i) => {
                            region = Region::Host;
                            rest = &rest[i + 3..];
                        }
                        None if has_path
                            && after_opaque
                            && rest.starts_with('/')
                            && !rest.starts_with("//") =>
                        {
                            region = Region::Path;
                            continue;
                        }
                        None => {
                            after_opaque = false;
                            continue;
                        }
                    }
                }
                if region == Region::Host && !host_begun && !rest.is_empty() {
                    host_begun = true;
                    named_start = names_no_address(rest);
                }
                if region == Region::Host && has_path && rest.contains(['/', '?']) {
                    region = Region::Path;
                } else if region == Region::Host && host_ends_in_port(rest) {
                    region = Region::Port;
                } else if region == Region::Port && rest.contains(['/', '?']) {
                    region = Region::Path;
                }
            }
            Part::Var(v) if region != Region::Path => {
                // `$is_args` is `?` where the request has arguments and nothing otherwise:
                // what follows it (`$args`) is the query, or nothing; never a host (held-out
                // batch 161: `$server_path$target_rest_path$is_args$args`).
                if v == "is_args" {
                    if has_path {
                        region = Region::Path;
                    }
                    continue;
                }
                // A named capture whose pattern begins with `/` ends the host, as a numbered
                // one does (`location ~ /api(?<rest>\/.*)` after a fixed host: held-out batch
                // 92, measured: the request's `@host` stayed in the path).
                // The capture's group, read once for both questions (the sites' regexes are
                // parsed at each call).
                let sites = capture_sites(model, *at);
                let named = sites
                    .iter()
                    .find_map(|s| s.regex.group(s.regex.group_named(v)?));
                if has_path && named.is_some_and(|g| g.node.must_start_with(b'/')) {
                    region = Region::Path;
                    continue;
                }
                if region == Region::Host
                    && named.is_some_and(|g| one_label(&g.node))
                    && fixed_domain_follows(expanded, i)
                {
                    continue;
                }
                if has_path
                    && region != Region::Scheme
                    && *ask
                        .sets_start_path
                        .entry((
                            crate::semantics::variables::server_of(model, *at),
                            v.clone(),
                        ))
                        .or_insert_with(|| set_values_start_path(model, *at, v))
                {
                    region = Region::Path;
                    continue;
                }
                if has_path
                    && (DECODED.contains(&v.as_str())
                        || v == "request_uri"
                        || *ask
                            .slash_first
                            .entry(v.clone())
                            .or_insert_with(|| values_start_with_slash(model, v)))
                {
                    region = Region::Path;
                    continue;
                }
                if ask.controlled.var_client_controlled(*at, v, 0) {
                    return Some((format!("${v}"), region, named_start));
                }
                if region == Region::Host && !host_begun {
                    host_begun = true;
                    named_start = *ask.names_host.entry(v.clone()).or_insert_with(|| {
                        map_values_all(model, v, |_, val| {
                            !val.contains('$') && names_no_address(val)
                        })
                    });
                }
                after_opaque = region == Region::Scheme;
            }
            Part::Capture(c) if region != Region::Path => {
                let sites = capture_sites(model, *at);
                let group = sites.first().and_then(|s| s.regex.group(*c));
                if has_path && group.is_some_and(|g| g.node.must_start_with(b'/')) {
                    region = Region::Path;
                    continue;
                }
                if region == Region::Host
                    && group.is_some_and(|g| one_label(&g.node))
                    && fixed_domain_follows(expanded, i)
                {
                    continue;
                }
                if ask.controlled.capture_client_controlled(*at, *c, 0) {
                    return Some((format!("${c}"), region, named_start));
                }
                host_begun |= region == Region::Host;
            }
            _ => {}
        }
    }
    None
}

/// Can a capture of this pattern be one DNS label at most: no `.`, no byte that ends or
/// escapes a host (`:`, `@`, `/`, `?`, `#`, `%`, `\\`, brackets), no space or control byte?
/// (A location's captures come from the decoded URI: `%2e` is a `.` there.)
fn one_label(node: &crate::semantics::regex::Node) -> bool {
    !b".:@/?#%\\[]".iter().any(|&b| node.can_contain(b)) && !(0..=b' ').any(|b| node.can_contain(b))
}

/// Is the part after `expanded[i]` a literal naming a fixed domain (`.rooms.internal:3000`)?
/// Then a label the client picks names a server of that domain only (held-out batch 155:
/// `http://$room_id.taroky-namespace.svc.cluster.local:3000` with `(room-[a-zA-Z0-9-]+)`,
/// measured: nginx resolved names under that suffix only, on its one port).
fn fixed_domain_follows(expanded: &[(Part, NodeId)], i: usize) -> bool {
    matches!(expanded.get(i + 1), Some((Part::Lit(l), _))
        if l.strip_prefix('.').is_some_and(|d| d.starts_with(|c: char| c.is_ascii_alphanumeric())))
}

/// Is `$v` a variable of `set`s only (in the server reading it at `at`), each of a value that
/// is empty or starts a path or the arguments: a literal `/...` or `?...`, or a capture whose pattern starts with `/`
/// (TarokyTests' `set $socket_path $2;` of `(/socket\.io/.*)?`, and `"/socket.io/"` where that
/// was empty, after a fixed host and port: held-out batch 155), or a named capture of such a
/// pattern? After the host, it ends it.
fn set_values_start_path(model: &Model<'_>, at: NodeId, v: &str) -> bool {
    let server = crate::semantics::variables::server_of(model, at);
    let sites = crate::semantics::variables::set_sites_in(model, v, server);
    !sites.is_empty()
        && sites.iter().all(|&s| {
            let Some(value) = model.arg(s, 1) else {
                return false;
            };
            match parts(&value).as_slice() {
                [] => true,
                // `?` ends the host as `/` does (nginx's URL parser: held-out batch 306,
                // Laravel-Swoole's `set $suffix ?$query_string;`, measured: the query never
                // reached another host).
                [Part::Lit(l), ..] => l.starts_with(['/', '?']),
                [Part::Capture(c)] => capture_sites(model, s)
                    .first()
                    .and_then(|site| site.regex.group(*c))
                    .is_some_and(|g| g.node.must_start_with(b'/')),
                // A named capture of such a pattern (held-out batch 277, OpenHands' sandbox
                // router: `set $proxy_path $remaining_path;` of `(?<remaining_path>/.*)?`,
                // and `"/"` where that was empty; measured, the path never became the host).
                [Part::Var(n)] => capture_sites(model, s)
                    .iter()
                    .find_map(|site| site.regex.group(site.regex.group_named(n)?))
                    .is_some_and(|g| g.node.must_start_with(b'/')),
                _ => false,
            }
        })
}

/// Does literal `rest` (in the host) end the host name with `:` (a port follows)? Not a `:` of
/// an IPv6 address in brackets.
fn host_ends_in_port(rest: &str) -> bool {
    let after_brackets = rest.rfind(']').map_or(rest, |i| &rest[i + 1..]);
    after_brackets.contains(':') && !rest.starts_with(':')
}

/// Can a host that begins with `text` not be an IP address: a byte other than a digit or `.`
/// in it, and no `[` (an IPv6 address) first?
fn names_no_address(text: &str) -> bool {
    !text.starts_with('[') && text.bytes().any(|b| !(b.is_ascii_digit() || b == b'.'))
}

/// A `map` or `geo` variable whose every value, `default` included, starts with a literal `/`
/// or is `$uri`: it ends the host. (Without `default` the value can be empty.)
fn values_start_with_slash(model: &Model<'_>, v: &str) -> bool {
    // A value starting with a literal `/` ends the host whatever follows (`"/$1"`), and so
    // does the normalised URI (`$uri`, `$document_uri`), which always starts with `/`
    // (held-out batch 329: an IPTV role's `map $uri $api_uri_stripped { "~^/[^/]+/(.*\.php)$"
    // "/$1"; default $uri; }` after a host from `auth_request_set`). (A `geo` value is
    // literal text: its `$uri` is no variable.)
    map_values_all(model, v, |block, val| {
        val.starts_with('/') || (block == "map" && matches!(val, "$uri" | "$document_uri"))
    })
}

/// Is `$v` set by `map` or `geo` blocks only, each with a `default`, and does every value of
/// them pass `ok` (given the block's name)?
fn map_values_all(model: &Model<'_>, v: &str, ok: impl Fn(&str, &str) -> bool) -> bool {
    let dollar = format!("${v}");
    let mut found = false;
    for block in ["map", "geo"] {
        for &m in model.directives_named(block) {
            let count = model.arg_count(m);
            if count == 0
                || !model
                    .arg(m, count - 1)
                    .is_some_and(|a| a.eq_ignore_ascii_case(&dollar))
            {
                continue;
            }
            if model.children_named_slice(Some(m), "default").is_empty() {
                return false;
            }
            found = true;
            for &e in model.children(m) {
                let key = model.name(e);
                if block == "geo"
                    && matches!(
                        key,
                        "proxy" | "proxy_recursive" | "delete" | "ranges" | "include"
                    )
                {
                    continue;
                }
                if block == "map" && matches!(key, "hostnames" | "volatile" | "include") {
                    continue;
                }
                if !model.arg(e, 0).is_some_and(|val| ok(block, &val)) {
                    return false;
                }
            }
        }
    }
    found
}
