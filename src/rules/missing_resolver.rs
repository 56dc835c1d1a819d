//! `missing-resolver`: a `proxy_pass`/`grpc_pass` with variables whose host must be looked up
//! while nginx runs (not an upstream name, not an address) and no `resolver` in effect: every
//! request fails with 502 ("no resolver defined to resolve ...").

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::dns::is_ip_literal;
use crate::semantics::loadtime::{complete, url_parts};
use crate::semantics::model::{Model, NodeId};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "missing-resolver",
    summary: "`proxy_pass` with variables needs a `resolver` for its host name, and none is set",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/missing-resolver.md"),
    check,
};

/// Variables whose value starts with `/` or `?` (or is empty): a host cannot continue into
/// them.
const PATH_VARIABLES: &[&str] = &["$request_uri", "$uri", "$document_uri", "$is_args"];

/// The port a pass URL's host is given: none written (nginx takes the scheme's), a number,
/// or one only a variable knows (`$upstream_app:$upstream_port`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Port {
    None,
    Known(u16),
    Unknown,
}

impl Port {
    /// The port written after the first `:` of `hostport` (after the `]` of an IPv6
    /// address), as `ngx_parse_inet_url` reads it, with the host before it: a number, or a
    /// variable or template placeholder (`$upstream_port`, `__PORT__`) whose value is unknown.
    /// A second `:` makes the port invalid (nginx answers 500, "invalid port in upstream"),
    /// not the host a name (held-out batch 95: `http://127.0.0.1:5000:/$1`).
    fn split(hostport: &str) -> (&str, Port) {
        let (host, port) = if hostport.starts_with('[') {
            let Some(end) = hostport.find(']') else {
                return (hostport, Port::None);
            };
            match hostport[end + 1..].strip_prefix(':') {
                Some(p) => (&hostport[..=end], p),
                None => return (&hostport[..=end], Port::None),
            }
        } else {
            match hostport.split_once(':') {
                Some(split) => split,
                None => return (hostport, Port::None),
            }
        };
        (host, port.parse().map_or(Port::Unknown, Port::Known))
    }
}

/// The host and port part of a URL with variables, as written (`$backend`,
/// `example.com:8080`).
fn host_part(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    if rest.starts_with("unix:") {
        return None;
    }
    let mut end = rest.find(['/', '?']).unwrap_or(rest.len());
    // Variables whose values start with `/` or `?` end the host (`example.com$request_uri`).
    for v in PATH_VARIABLES {
        if let Some(i) = rest[..end].find(v)
            && i > 0
        {
            end = i;
        }
    }
    Some(&rest[..end])
}

/// The hosts (with their ports) a host written with variables can be where the `proxy_pass`
/// is: the host itself when it ends in a name whatever its variables hold
/// ([`domain_tail`]), else the values `set $var <literal>` gives its one variable. `None`
/// when a variable comes from anything else (a map, the request), which this rule does not
/// guess. Only the `set`s of the `proxy_pass`'s own server count (`server` is `None` for a
/// piece of a configuration without one: then every `set`): a request never leaves the server
/// that took it (internal redirects and named locations stay in it), and variables belong to
/// the request, so another server's `set $backend 10.0.0.5;` says nothing of this one's
/// `$backend` (linuxserver's SWAG sets `$upstream_app` in each of its servers).
fn literal_hosts(
    model: &Model<'_>,
    host: &str,
    server: Option<NodeId>,
) -> Option<Vec<(String, Port)>> {
    if !host.contains('$') {
        return Some(vec![(host.to_owned(), Port::None)]);
    }
    if let Some(tail) = domain_tail(host) {
        // Unless an `upstream`'s name ends so (`upstream a.svc {}` beside `$name.svc`): the
        // variables may be meant to pick one of them.
        let picks_upstream = model.directives_named("upstream").iter().any(|&u| {
            model.arg_str(u, 0).is_some_and(|n| {
                n.len() > tail.len()
                    && n.is_char_boundary(n.len() - tail.len())
                    && n[n.len() - tail.len()..].eq_ignore_ascii_case(tail)
            })
        });
        return (!picks_upstream).then(|| vec![(host.to_owned(), Port::None)]);
    }
    let var = host
        .strip_prefix('$')?
        .trim_start_matches('{')
        .trim_end_matches('}');
    if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    // The `set`s of the name in the server, from the model's index (a pass over every `set`
    // for each `proxy_pass` was quadratic: 20,000 of each took 19 s).
    let sites = crate::semantics::variables::set_sites_in(model, var, server);
    // Written exactly so.
    let sets: Vec<String> = sites
        .iter()
        .filter(|&&s| {
            model
                .arg_str(s, 0)
                .is_some_and(|a| a.strip_prefix('$') == Some(var))
        })
        .filter_map(|&s| model.arg(s, 1))
        .collect();
    if sets.is_empty() {
        return map_values(model, var);
    }
    if sets.iter().any(|v| v.contains('$')) {
        return None;
    }
    Some(
        sets.iter()
            .map(|v| {
                let (h, port) = Port::split(v);
                (h.to_owned(), port)
            })
            .collect(),
    )
}

/// The values a `map` gives `$var`, its `default` first, when every one is written out (no
/// variable, no `include`, one `map` of the name): the hosts a request can pick (Jitsi's `map
/// $arg_vnode $prosody_node { default prosody; v1 v1; ... }`, held-out batch 109: `?vnode=v1`
/// answered 502, "no resolver defined to resolve v1", where no `upstream v1` was defined).
fn map_values(model: &Model<'_>, var: &str) -> Option<Vec<(String, Port)>> {
    let mut values = Vec::new();
    for value in crate::semantics::variables::map_values_of(model, var)? {
        if value.contains('$') {
            return None;
        }
        // An empty value is no host to look up (nginx answers 500 for it, not 502).
        if value.is_empty() {
            continue;
        }
        let (h, port) = Port::split(&value);
        values.push((h.to_owned(), port));
    }
    (!values.is_empty()).then_some(values)
}

/// The literal end of a host with variables, from its first dot, when it makes the host a DNS
/// name whatever the variables hold: a last label with a letter after a dot
/// (`$subdomain.svc.cluster.local`, `$sub.localhost`), which no IPv4 address ends in (an IPv6
/// address is written in brackets). `None` for a host that ends in a variable
/// (`$sub.$domain`), one variable (`$backend`, read through its `set`s) or a capture's digits
/// (`10.0.0.$1`).
fn domain_tail(host: &str) -> Option<&str> {
    let parts = crate::semantics::script::parts(host);
    let Some(crate::semantics::script::Part::Lit(tail)) = parts.last() else {
        return None;
    };
    if parts.len() < 2 {
        return None;
    }
    let tail = &host[host.len() - tail.len()..];
    let (_, last) = tail.rsplit_once('.')?;
    (!last.is_empty()
        && last.bytes().any(|b| b.is_ascii_alphabetic())
        && last.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then(|| &tail[tail.find('.').unwrap_or(0)..])
}

/// The port of an implicit upstream whose URL writes a placeholder for it (`__PORT__`): no
/// port nginx could be given (0 is refused in a URL), read as "any".
const UNKNOWN_PORT: u16 = 0;

/// The hosts and ports of the upstreams nginx makes of pass URLs without variables
/// (`proxy_pass http://api.internal:8080;`): a URL with variables whose host and port are one
/// of them is sent there, not looked up (`ngx_http_upstream_init_request` searches every
/// upstream, explicit and implicit).
fn implicit_upstreams(model: &Model<'_>) -> foldhash::HashSet<(String, u16)> {
    /// A pass directive's URL schemes with their default ports.
    type Schemes = &'static [(&'static str, Option<u16>)];
    const PASSES: &[(&str, Schemes)] = &[
        (
            "proxy_pass",
            &[("http://", Some(80)), ("https://", Some(443))],
        ),
        (
            "grpc_pass",
            &[("grpc://", Some(80)), ("grpcs://", Some(443))],
        ),
        ("fastcgi_pass", &[]),
        ("uwsgi_pass", &[("uwsgi://", None), ("suwsgi://", None)]),
        ("scgi_pass", &[]),
        ("memcached_pass", &[]),
    ];
    let mut out = foldhash::HashSet::default();
    for &(name, schemes) in PASSES {
        let prefixes: Vec<&str> = schemes.iter().map(|&(s, _)| s).collect();
        for &n in model.directives_named(name) {
            let Some(url) = model.arg_str(n, 0) else {
                continue;
            };
            let Some((host, port, _)) = url_parts(&url, &prefixes) else {
                continue;
            };
            let default = schemes
                .iter()
                .find(|&&(s, _)| url.starts_with(s))
                .and_then(|&(_, p)| p);
            let port = match port {
                // A template placeholder (`localhost:__PORT__`, YunoHost's packages; held-out
                // batch 176): filled in before nginx reads the file, with the same value as in
                // the URLs with variables beside it, which [`goes_to_upstream`] reads as a port
                // of unknown value.
                Some(p) if p.parse::<u16>().is_err() && !p.is_empty() => Some(UNKNOWN_PORT),
                Some(p) => p.parse().ok(),
                None => default,
            };
            if let Some(port) = port {
                out.insert((host.to_ascii_lowercase(), port));
            }
        }
    }
    out
}

/// Does nginx send a request for `host` (with `port` written, the scheme's `default`
/// otherwise) to an upstream instead of looking it up? An `upstream NAME {}` block only when
/// no port is written (its port is 0: `set $b backend:8080;` beside `upstream backend` is
/// looked up, measured with nginx 1.22.1: 502, "no resolver defined to resolve backend"), an
/// implicit one when the port is its own (an unknown port may be).
fn goes_to_upstream(
    model: &Model<'_>,
    implicit: &foldhash::HashSet<(String, u16)>,
    host: &str,
    port: Port,
    default: u16,
) -> bool {
    let lower = host.to_ascii_lowercase();
    match port {
        Port::None => {
            !model.upstreams_named_ignore_case(&lower).is_empty()
                || implicit.contains(&(lower, default))
        }
        Port::Known(p) => {
            implicit.contains(&(lower.clone(), p)) || implicit.contains(&(lower, UNKNOWN_PORT))
        }
        Port::Unknown => implicit.iter().any(|(h, _)| *h == lower),
    }
}

/// The first name `hostport` (as written in a `proxy_pass` of `server`) can carry that nginx
/// needs DNS for at run time: not an upstream, not an address. A single label with no
/// upstream seen may be one defined in a file not read.
fn needs_lookup(
    model: &Model<'_>,
    implicit: &foldhash::HashSet<(String, u16)>,
    hostport: &str,
    default: u16,
    server: Option<NodeId>,
    whole: bool,
) -> Option<String> {
    let (host, url_port) = Port::split(hostport);
    let hosts = literal_hosts(model, host, server)?;
    hosts
        .into_iter()
        .map(|(h, port)| {
            (
                h,
                if url_port == Port::None {
                    port
                } else {
                    url_port
                },
            )
        })
        // An empty value (`set $backend "";` before the `if`s that pick an upstream, held-out
        // batch 221) is no name to look up: nginx answers 500, "invalid URL prefix", whatever
        // the resolver.
        .filter(|(h, port)| {
            !h.is_empty()
                && !is_ip_literal(h)
                && !goes_to_upstream(model, implicit, h, *port, default)
        })
        .map(|(h, _)| h)
        .find(|h| whole || h.contains('.') || h == "localhost")
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per server and host as written: the first name the host can carry that nginx must look
    // up while it runs. It depends on those alone (the server's `set`s of its variable, the
    // upstreams, whether every `include` was read), so it is worked out once, not once per
    // `proxy_pass` (thousands of each were quadratic).
    let mut lookups: HashMap<(Option<NodeId>, String, u16), Option<String>> = HashMap::default();
    let whole = std::cell::OnceCell::new();
    let implicit = std::cell::OnceCell::new();
    for name in ["proxy_pass", "grpc_pass"] {
        for &n in cx.directives_named(name) {
            let Some(url) = model.arg_str(n, 0) else {
                continue;
            };
            if !url.contains('$') {
                continue;
            }
            // Every `$` a template's placeholder (`${SENTRY_ORG_SUBDOMAIN}`): filled in, the
            // URL has no variable left, and nginx resolves its host once while it loads
            // (held-out batch 283, ODK Central's `odk.conf.template`: measured, rendered it
            // answered 200 without a `resolver`).
            if crate::semantics::script::references(&url).all(|r| {
                matches!(r, crate::semantics::script::Reference::Var(v)
                    if crate::semantics::variables::placeholder_name(model, v))
            }) {
                continue;
            }
            let Some(host) = host_part(&url) else {
                continue;
            };
            let server = crate::semantics::variables::server_of(model, n);
            // The scheme's port, where the URL writes none (`ngx_http_proxy_eval`).
            let default = if url.starts_with("https://") || url.starts_with("grpcs://") {
                443
            } else {
                80
            };
            let key = (server, host.to_owned(), default);
            let lookup = match lookups.get(&key) {
                Some(known) => known,
                None => lookups.entry(key).or_insert_with(|| {
                    needs_lookup(
                        model,
                        implicit.get_or_init(|| implicit_upstreams(model)),
                        host,
                        default,
                        server,
                        *whole.get_or_init(|| complete(model)),
                    )
                }),
            };
            let Some(lookup) = lookup else {
                continue;
            };
            let at = model.node(n).parent();
            if !model.effective(at, "resolver").is_default() {
                continue;
            }
            // A host a `map` picks: only the requests that get this value fail.
            let mapped = host.strip_prefix('$').is_some_and(|v| {
                let v = v.trim_start_matches('{').trim_end_matches('}');
                crate::semantics::variables::set_sites_in(model, v, server).is_empty()
                    && crate::semantics::variables::map_sites(model, v)
                        .next()
                        .is_some()
            });
            let fails = if mapped {
                format!("the requests for which the `map` of `{host}` gives `{lookup}` fail")
            } else {
                "every request fails".to_owned()
            };
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} {url}` has variables, so nginx resolves `{}` for each request with \
                     its own resolver, and no `resolver` is in effect here{}: {fails} with 502 \
                     (\"no resolver defined to resolve ...\")",
                    lookup,
                    // A piece of a configuration: `http` of the file that includes it may set
                    // one.
                    if *whole.get_or_init(|| complete(model)) {
                        ""
                    } else {
                        " (unless the configuration that includes this file sets one in `http`)"
                    }
                ),
            )
            .help(
                "add `resolver` with a local DNS server (for example `resolver 127.0.0.53;`) to \
                 `http`, the server or this location",
            );
            diag.primary.text = "no resolver".into();
            out.push(diag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Port;

    /// The host and port as nginx's `ngx_parse_inet_url` splits them: at the first `:`.
    #[test]
    fn hosts_and_ports_split_at_the_first_colon() {
        let known = |h: &str| match Port::split(h) {
            (host, Port::Known(p)) => Some((host.to_owned(), p)),
            _ => None,
        };
        assert_eq!(known("app:8080"), Some(("app".to_owned(), 8080)));
        assert_eq!(known("[::1]:8080"), Some(("[::1]".to_owned(), 8080)));
        assert!(matches!(Port::split("app"), ("app", Port::None)));
        assert!(matches!(Port::split("[::1]"), ("[::1]", Port::None)));
        assert!(matches!(Port::split("$app:$port"), ("$app", Port::Unknown)));
        // A second `:` is an invalid port, not part of the host.
        assert!(matches!(
            Port::split("127.0.0.1:5000:"),
            ("127.0.0.1", Port::Unknown)
        ));
    }
}
