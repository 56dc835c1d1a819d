//! `missing-resolver`: a `proxy_pass`/`grpc_pass` with variables whose host must be looked up
//! while nginx runs (not an upstream name, not an address) and no `resolver` in effect: every
//! request fails with 502 ("no resolver defined to resolve ...").

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::dns::is_ip_literal;
use crate::semantics::loadtime::complete;
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

/// The host part of a URL with variables, as written (`$backend`, `example.com`).
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
    let hostport = &rest[..end];
    // A host written `$a$b` or `x$a` may end anywhere; the port is cut from a literal, and
    // from a host that is one variable (`$upstream_app:$upstream_port`, SWAG's form: a
    // variable's name ends before the `:`).
    Some(if hostport.starts_with('[') {
        hostport.split_inclusive(']').next().unwrap_or(hostport)
    } else if !hostport.contains('$') {
        hostport.rsplit_once(':').map_or(hostport, |(h, _)| h)
    } else {
        match hostport
            .strip_prefix('$')
            .and_then(crate::semantics::script::variable_at)
        {
            Some((_, after)) if after.starts_with(':') => &hostport[..hostport.len() - after.len()],
            _ => hostport,
        }
    })
}

/// The host names a value set by `set $var <literal>` can carry where the `proxy_pass` is:
/// `None` when a variable comes from anything else (a map, the request), which this rule does
/// not guess. Only the `set`s of the `proxy_pass`'s own server count (`server` is `None` for
/// a piece of a configuration without one: then every `set`): a request never leaves the
/// server that took it (internal redirects and named locations stay in it), and variables
/// belong to the request, so another server's `set $backend 10.0.0.5;` says nothing of this
/// one's `$backend` (linuxserver's SWAG sets `$upstream_app` in each of its servers).
fn literal_hosts(model: &Model<'_>, host: &str, server: Option<NodeId>) -> Option<Vec<String>> {
    if !host.contains('$') {
        return Some(vec![host.to_owned()]);
    }
    if let Some((name, tail)) = domain_tail(host) {
        // Whatever the variables hold, the host ends in a name: the host as written stands
        // for every name it can be.
        // Unless an `upstream` is named so (`upstream a.svc {}` beside `$name.svc`): the
        // variables may be meant to pick one of them.
        let picks_upstream = model.directives_named("upstream").iter().any(|&u| {
            model.arg_str(u, 0).is_some_and(|n| {
                n.len() > tail.len()
                    && n.is_char_boundary(n.len() - tail.len())
                    && n[n.len() - tail.len()..].eq_ignore_ascii_case(tail)
            })
        });
        return (!picks_upstream).then(|| vec![name.to_owned()]);
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
    if sets.is_empty() || sets.iter().any(|v| v.contains('$')) {
        return None;
    }
    Some(
        sets.into_iter()
            .map(|v| v.rsplit_once(':').map_or(v.clone(), |(h, _)| h.to_owned()))
            .collect(),
    )
}

/// A host with variables that is a DNS name whatever the variables hold, without its port,
/// and its literal end from its first dot: a last label with a letter after a dot
/// (`$subdomain.svc.cluster.local`, `$sub.localhost`), which no IPv4 address ends in (an IPv6
/// address is written in brackets). `None` for a host that ends in a variable
/// (`$sub.$domain`), one variable (`$backend`, read through its `set`s) or a capture's digits
/// (`10.0.0.$1`).
fn domain_tail(host: &str) -> Option<(&str, &str)> {
    let parts = crate::semantics::script::parts(host);
    let Some(crate::semantics::script::Part::Lit(tail)) = parts.last() else {
        return None;
    };
    if parts.len() < 2 {
        return None;
    }
    let tail_at = host.len() - tail.len();
    // The port: `$sub.internal:8080`.
    let name_end = host[tail_at..]
        .rfind(':')
        .map_or(host.len(), |i| tail_at + i);
    let tail = &host[tail_at..name_end];
    let (_, last) = tail.rsplit_once('.')?;
    (!last.is_empty()
        && last.bytes().any(|b| b.is_ascii_alphabetic())
        && last.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then(|| (&host[..name_end], &tail[tail.find('.').unwrap_or(0)..]))
}

/// The first name `host` (as written in a `proxy_pass` of `server`) can carry that nginx
/// needs DNS for at run time: not an upstream block, not an address. A single label with no
/// upstream seen may be one defined in a file not read.
fn needs_lookup(
    model: &Model<'_>,
    host: &str,
    server: Option<NodeId>,
    whole: bool,
) -> Option<String> {
    let hosts = literal_hosts(model, host, server)?;
    hosts
        .into_iter()
        .filter(|h| !is_ip_literal(h) && model.upstreams_named(h).is_empty())
        .find(|h| whole || h.contains('.') || h == "localhost")
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per server and host as written: the first name the host can carry that nginx must look
    // up while it runs. It depends on those alone (the server's `set`s of its variable, the
    // upstreams, whether every `include` was read), so it is worked out once, not once per
    // `proxy_pass` (thousands of each were quadratic).
    let mut lookups: HashMap<(Option<NodeId>, String), Option<String>> = HashMap::default();
    let whole = std::cell::OnceCell::new();
    for name in ["proxy_pass", "grpc_pass"] {
        for &n in cx.directives_named(name) {
            let Some(url) = model.arg_str(n, 0) else {
                continue;
            };
            if !url.contains('$') {
                continue;
            }
            let Some(host) = host_part(&url) else {
                continue;
            };
            let server = crate::semantics::variables::server_of(model, n);
            let key = (server, host.to_owned());
            let lookup = match lookups.get(&key) {
                Some(known) => known,
                None => lookups.entry(key).or_insert_with(|| {
                    needs_lookup(model, host, server, *whole.get_or_init(|| complete(model)))
                }),
            };
            let Some(lookup) = lookup else {
                continue;
            };
            let at = model.node(n).parent();
            if !model.effective(at, "resolver").is_default() {
                continue;
            }
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} {url}` has variables, so nginx resolves `{}` for each request with \
                     its own resolver, and no `resolver` is in effect here{}: every request \
                     fails with 502 (\"no resolver defined to resolve ...\")",
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
