//! `invalid-address`: an address nginx refuses while it loads the configuration
//! (`ngx_parse_url`): a port that is not 1–65535 (a template's `__PORT__` left in), a URI part
//! where none is allowed, a missing host, an unclosed `[` or a malformed IPv6 address, a Unix
//! socket path that is empty or too long. Checked where nginx parses a literal address:
//! `listen` (http, stream, mail), upstream `server` (http, stream), `proxy_pass`,
//! `fastcgi_pass`, `uwsgi_pass`, `scgi_pass`, `grpc_pass`, `memcached_pass` and stream
//! `proxy_pass` without variables, stream `pass`, mail `auth_http`, and the `server=` of a
//! `syslog:` log target. Host names are looked up through DNS when nginx starts and are not
//! judged.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::address::{UrlRules, placeholder_host, url_error};
use crate::semantics::directives::Version;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::{Model, NodeId};
use crate::syntax::value::token_value;

pub static RULE: Rule = Rule {
    id: "invalid-address",
    summary: "an address nginx cannot parse: a port outside 1–65535, a URI part where none is allowed, no host, a malformed IPv6 address (nginx: invalid port in upstream, invalid host...)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-address.md"),
    check,
};

/// `listen 8000-8100`: port ranges (nginx 1.15.10, "Listen port ranges").
const PORT_RANGES: Version = Version(1, 15, 10);

/// How one directive hands its first argument to `ngx_parse_url`.
struct Site {
    /// Scheme prefixes nginx strips first (and the comparison it uses).
    schemes: &'static [&'static str],
    schemes_caseless: bool,
    /// `proxy_pass` needs its `http://`/`https://` (without one nginx says `invalid URL
    /// prefix`, another check); the others read the value as an address when none is given.
    scheme_required: bool,
    rules: UrlRules,
    /// Variables are evaluated per request here (the pass directives): a value with `$` is
    /// not read at load time. Elsewhere (`listen`, upstream `server`) a `$` is a byte of the
    /// address.
    variables: bool,
    /// nginx looks the host name up while it loads (`listen`, upstream `server`, `resolver`):
    /// a name no DNS can hold, a template placeholder left in (`${HOST}`, `%%dns%%`), is
    /// "host not found".
    resolves_now: bool,
    /// A pass directive: nginx looks a host name without variables up when it sets up the
    /// upstreams, unless an `upstream` block has that name (held-out batch 112: Immich's
    /// doc `proxy_pass http://<backend_url>:2283;`, nginx: host not found in upstream
    /// "<backend_url>").
    resolves_unless_upstream: bool,
    /// nginx's message around `u->err` and the parsed text.
    message: fn(&str, &str) -> String,
}

fn in_upstream(err: &str, url: &str) -> String {
    format!("{err} in upstream \"{url}\"")
}

fn of_listen(err: &str, url: &str) -> String {
    format!("{err} in \"{url}\" of the \"listen\" directive")
}

fn site(name: &str, context: Context, version: Version) -> Option<Site> {
    let plain = UrlRules::default();
    let pass = |schemes, caseless, uri_part| Site {
        schemes,
        schemes_caseless: caseless,
        scheme_required: uri_part,
        rules: UrlRules { uri_part, ..plain },
        variables: true,
        resolves_now: false,
        resolves_unless_upstream: true,
        message: in_upstream,
    };
    Some(match (name, context) {
        ("listen", Context::HttpServer | Context::StreamServer | Context::MailServer) => Site {
            schemes: &[],
            schemes_caseless: false,
            scheme_required: false,
            rules: UrlRules {
                listen: true,
                uri_part: false,
                port_ranges: version >= PORT_RANGES,
            },
            variables: false,
            resolves_now: true,
            resolves_unless_upstream: false,
            message: of_listen,
        },
        ("server", Context::HttpUpstream | Context::StreamUpstream) => Site {
            variables: false,
            resolves_now: true,
            resolves_unless_upstream: false,
            ..pass(&[], false, false)
        },
        ("proxy_pass", Context::HttpLocation | Context::HttpLocationIf | Context::LimitExcept) => {
            pass(&["http://", "https://"], true, true)
        }
        ("proxy_pass", Context::StreamServer) => pass(&[], false, false),
        ("grpc_pass", Context::HttpLocation | Context::HttpLocationIf) => {
            pass(&["grpc://", "grpcs://"], true, false)
        }
        ("uwsgi_pass", Context::HttpLocation | Context::HttpLocationIf) => {
            pass(&["uwsgi://", "suwsgi://"], true, false)
        }
        (
            "fastcgi_pass" | "scgi_pass" | "memcached_pass",
            Context::HttpLocation | Context::HttpLocationIf,
        ) => pass(&[], false, false),
        ("pass", Context::StreamServer) => Site {
            schemes: &[],
            schemes_caseless: false,
            scheme_required: false,
            rules: plain,
            variables: true,
            resolves_now: false,
            resolves_unless_upstream: false,
            message: |err, url| format!("{err} in \"{url}\" of the \"pass\" directive"),
        },
        ("auth_http", Context::Mail | Context::MailServer) => Site {
            schemes: &["http://"],
            schemes_caseless: false,
            scheme_required: false,
            rules: UrlRules {
                uri_part: true,
                ..plain
            },
            variables: false,
            resolves_now: false,
            resolves_unless_upstream: false,
            message: |err, url| format!("{err} in auth_http \"{url}\""),
        },
        _ => return None,
    })
}

/// The address after a scheme nginx strips; `None` when the value is not read as an address
/// here (variables are evaluated per request; proxy_pass without `http(s)://` is another
/// error, `invalid URL prefix`).
/// Where the address starts in `value` (after the scheme nginx strips), or `None` when there
/// is no address to check (a variable, or a scheme that is required but missing). On bytes:
/// the schemes are ASCII, so the offset is a character boundary of the text too.
fn address_start(value: &[u8], site: &Site) -> Option<usize> {
    if site.variables && value.contains(&b'$') {
        return None;
    }
    if site.schemes.is_empty() {
        return Some(0);
    }
    for s in site.schemes {
        let Some(head) = value.get(..s.len()) else {
            continue;
        };
        let same = if site.schemes_caseless {
            head.eq_ignore_ascii_case(s.as_bytes())
        } else {
            head == s.as_bytes()
        };
        if same {
            return Some(s.len());
        }
    }
    (!site.scheme_required).then_some(0)
}

/// Every directive [`site`] knows, and the two that may name a syslog server.
const ADDRESS_DIRECTIVES: &[&str] = &[
    "listen",
    "server",
    "proxy_pass",
    "grpc_pass",
    "uwsgi_pass",
    "fastcgi_pass",
    "scgi_pass",
    "memcached_pass",
    "pass",
    "auth_http",
    "error_log",
    "access_log",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // A pass host one typo from an upstream's name ([`near_upstream`]): asked only where the
    // program has upstreams, their spellings indexed on the first ask.
    let has_upstreams = !model.directives_named("upstream").is_empty();
    let near = std::cell::OnceCell::new();
    // The directives that take an address, looked up by name rather than asking every node
    // (findings are sorted by position afterwards).
    for &id in ADDRESS_DIRECTIVES
        .iter()
        .flat_map(|name| cx.directives_named(name))
    {
        let node = model.node(id);
        let name = model.name(id);
        if !is_nginx(model, id) {
            continue;
        }
        let Some(tok) = node.directive.arg_tokens().next() else {
            continue;
        };
        // Most values are ASCII addresses nginx reads: checked on the bytes, without making
        // text of them (the text is the bytes then, so the answer is the same).
        let raw = token_value(model.src(id), tok);
        if matches!(name, "error_log" | "access_log") {
            if !raw.starts_with(b"syslog:") {
                continue;
            }
        } else {
            let Some(site) = site(name, node.context, cx.version) else {
                continue;
            };
            let start = address_start(&raw, &site);
            if raw.is_ascii() && start.is_none_or(|start| problem(&raw[start..], &site).is_none()) {
                if site.resolves_unless_upstream
                    && has_upstreams
                    && let Some(start) = start
                    && let Some((upstream, host)) = near_upstream(model, &near, &raw[start..])
                {
                    let name = model.arg_str(upstream, 0).unwrap_or_default();
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            Label::new(model.file_of(id), tok.span(), "no upstream has this name"),
                            format!("host not found in upstream \"{host}\""),
                        )
                        .label(Label::at_node(model, upstream, "one character from it"))
                        .help(format!(
                            "no upstream has this name, and nginx looks `{host}` up in DNS \
                             while it loads; the upstream `{name}` is one character from it: \
                             write its name as defined"
                        )),
                    );
                }
                continue;
            }
        }
        // nginx counts a directive's arguments before its handler reads the address: a line
        // with the wrong count is `invalid-arguments`' alone (a placeholder with blanks,
        // `proxy_pass http://<Collabora CODE IPv4 Address>:9980;`, held-out batch 132: nginx
        // said "invalid number of arguments", never "host not found").
        if model.spec(id).is_some_and(|spec| {
            !crate::semantics::directives::args::accepts(
                spec.args_at(cx.version),
                node.directive.arg_tokens().count(),
            )
        }) {
            continue;
        }
        // Borrowed from the source (no copy for the usual value).
        let Some(value) = model.arg_str(id, 0) else {
            continue;
        };
        if matches!(name, "error_log" | "access_log") {
            if let Some(server) = syslog_server(&value)
                && let Some(err) = url_error(
                    server.as_bytes(),
                    UrlRules::default(), // default port 514
                )
            {
                out.push(finding(
                    model.file_of(id),
                    tok.span(),
                    format!("{err} in syslog server \"{server}\""),
                    err,
                    server,
                ));
            }
            continue;
        }
        let Some(site) = site(name, node.context, cx.version) else {
            continue;
        };
        let Some(start) = address_start(value.as_bytes(), &site) else {
            continue;
        };
        let url = &value[start..];
        if let Some(err) = problem(url.as_bytes(), &site) {
            if err == "host not found" && !site.resolves_now {
                // A pass directive's host: an `upstream` of that name is what it means, and
                // nginx names the host alone when it cannot resolve it.
                let host = url.split([':', '/']).next().unwrap_or(url);
                if !model.upstreams_named(host).is_empty() {
                    continue;
                }
                out.push(finding(
                    model.file_of(id),
                    tok.span(),
                    format!("host not found in upstream \"{host}\""),
                    err,
                    host,
                ));
                continue;
            }
            out.push(finding(
                model.file_of(id),
                tok.span(),
                (site.message)(err, url),
                err,
                url,
            ));
        }
    }
    out
}

/// nginx's error for the address `url` at `site`: what `ngx_parse_url` refuses, and where nginx
/// resolves the name while it loads, a host name no DNS name can be.
fn problem(url: &[u8], site: &Site) -> Option<&'static str> {
    url_error(url, site.rules).or_else(|| {
        ((site.resolves_now || site.resolves_unless_upstream) && placeholder_host(url))
            .then_some("host not found")
    })
}

/// The `server=` of a `syslog:` target (`syslog:server=10.0.0.1:514,facility=local7`).
fn syslog_server(value: &str) -> Option<&str> {
    let params = value.strip_prefix("syslog:")?;
    params.split(',').find_map(|p| p.strip_prefix("server="))
}

fn finding(
    file: crate::semantics::include::FileId,
    span: crate::syntax::span::Span,
    message: String,
    err: &str,
    url: &str,
) -> Diagnostic {
    let help = match err {
        "invalid port" => {
            "a port is a number from 1 to 65535; a template placeholder (`__PORT__`, `${PORT}`) must be filled before nginx reads the file"
        }
        "invalid port range" => "a port range goes from the lower port to the higher one",
        "invalid host" if url.starts_with('[') => {
            "an IPv6 address is written `[addr]` or `[addr]:port`, with nothing else after the `]`"
        }
        "invalid host" => {
            "only proxy_pass (and mail's auth_http) take a URI after the address: remove the path"
        }
        "no host" => "give a host or address before the `:port`",
        "host not found" => {
            "nginx looks this name up while it loads, and no DNS name holds `$`, `{}`, `%` or `<>`: a template placeholder left in? Fill it (envsubst, the role's variables) before nginx reads the file"
        }
        "invalid IPv6 address" => {
            "write the IPv6 address inside the brackets in full or with one `::`"
        }
        _ => "a Unix socket path is `unix:/path` with at most 107 bytes",
    };
    Diagnostic::new(
        &RULE,
        Label::new(file, span, "nginx cannot read this address"),
        message,
    )
    .help(help)
}

/// The `upstream` blocks by the spellings one typo away from their names ([`near_upstream`]):
/// each name folded (ASCII lowercase, `-` as `_`) and each of its one-byte deletions.
#[derive(Default)]
struct NearIndex {
    spellings: foldhash::HashMap<Vec<u8>, Vec<NodeId>>,
    /// Names written `upstream NAME` among the arguments of an unknown block directive: an
    /// upstream block nginx would not read as one, where the directive above took its head
    /// for arguments (a template's `%%TEST_GLOBALS_HTTP%%` line without its `;`, in nginx's
    /// own tests). The name may be the one a pass host means.
    swallowed: Vec<String>,
}

fn near_index(model: &Model<'_>) -> NearIndex {
    let mut index = NearIndex::default();
    for id in 0..model.node_count() as NodeId {
        if model.spec(id).is_none() && model.node(id).directive.block().is_some() {
            for i in 1..model.arg_count(id) {
                if model.arg_is(id, i - 1, "upstream")
                    && let Some(name) = model.arg_str(id, i)
                {
                    index.swallowed.push(name.into_owned());
                }
            }
        }
    }
    for &u in model.directives_named("upstream") {
        if model.node(u).directive.block().is_none() {
            continue;
        }
        let Some(name) = model.arg_str(u, 0) else {
            continue;
        };
        let name = fold(name.as_bytes());
        for variant in variants(&name) {
            let ids = index.spellings.entry(variant).or_default();
            if ids.last() != Some(&u) {
                ids.push(u);
            }
        }
    }
    index
}

/// A name as typos are compared: ASCII lowercase, `-` read as `_`.
fn fold(name: &[u8]) -> Vec<u8> {
    name.iter()
        .map(|&b| {
            if b == b'-' {
                b'_'
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect()
}

/// `name` and each of its one-byte deletions: two names one edit apart (a byte added,
/// dropped, changed, or two neighbours swapped) share one of them.
fn variants(name: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    std::iter::once(name.to_vec()).chain((0..name.len()).map(|i| {
        let mut v = name.to_vec();
        v.remove(i);
        v
    }))
}

/// Are folded names `a` and `b` at most one edit apart (Damerau: one byte added, dropped or
/// changed, or two neighbours swapped)?
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    match long.len() - short.len() {
        0 => {
            prefix == short.len()
                || short[prefix + 1..] == long[prefix + 1..]
                || (prefix + 1 < short.len()
                    && short[prefix] == long[prefix + 1]
                    && short[prefix + 1] == long[prefix]
                    && short[prefix + 2..] == long[prefix + 2..])
        }
        1 => short[prefix..] == long[prefix + 1..],
        _ => false,
    }
}

/// The `upstream` a pass directive's URL (`url`, after its scheme) names with a typo: a host
/// without a port, a dot or variables that no `upstream` has for its name, one edit away from
/// one that does (`proxy_pass http://twct;` beside `upstream twc`, held-out batch 403;
/// `channels_backend` beside `upstream channels-backend`, batch 405). nginx looks such a host
/// up in DNS while it loads and stops: host not found in upstream "twct" (measured with nginx
/// 1.22.1).
fn near_upstream(
    model: &Model<'_>,
    index: &std::cell::OnceCell<NearIndex>,
    url: &[u8],
) -> Option<(NodeId, String)> {
    let end = url
        .iter()
        .position(|&b| b == b'/' || b == b':')
        .unwrap_or(url.len());
    let (host, rest) = url.split_at(end);
    if rest.first() == Some(&b':')
        || host.len() < 3
        || !host
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        || host.iter().all(u8::is_ascii_digit)
        || host.eq_ignore_ascii_case(b"localhost")
    {
        return None;
    }
    let host = std::str::from_utf8(host).ok()?;
    let lower: std::borrow::Cow<'_, str> = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        host.to_ascii_lowercase().into()
    } else {
        host.into()
    };
    if !model.upstreams_named_ignore_case(&lower).is_empty() {
        return None;
    }
    let index = index.get_or_init(|| near_index(model));
    let folded = fold(host.as_bytes());
    let mut best: Option<NodeId> = None;
    for variant in variants(&folded) {
        for &u in index.spellings.get(&variant).into_iter().flatten() {
            let name = fold(model.arg_str(u, 0).unwrap_or_default().as_bytes());
            // Two short names one edit apart are as likely two services (`app` and `api`).
            if folded.len().max(name.len()) >= 4
                && one_edit(&folded, &name)
                && best.is_none_or(|b| u < b)
            {
                best = Some(u);
            }
        }
    }
    let best = best?;
    if index.swallowed.iter().any(|n| n == host) {
        return None;
    }
    Some((best, host.to_owned()))
}

#[cfg(test)]
mod near_tests {
    use super::{fold, one_edit};

    #[test]
    fn one_edit_takes_one_byte_added_dropped_changed_or_two_swapped() {
        for (a, b) in [
            ("twc", "twct"),
            ("backend", "bakcend"),
            ("backend", "backends"),
            ("backend", "bckend"),
            ("backend", "backand"),
            ("backend", "backend"),
        ] {
            assert!(one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert!(one_edit(b.as_bytes(), a.as_bytes()), "{b} {a}");
        }
        for (a, b) in [
            ("backend", "frontend"),
            ("backend", "bcakedn"),
            ("twc", "twctt"),
            ("abcd", "badc"),
        ] {
            assert!(!one_edit(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }

    #[test]
    fn names_fold_case_and_dash() {
        assert_eq!(fold(b"Channels-Backend"), b"channels_backend".to_vec());
    }
}
