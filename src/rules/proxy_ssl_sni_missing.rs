//! `proxy-ssl-sni-missing`: `proxy_pass https://name` where `proxy_ssl_server_name` is off (its
//! default). nginx then opens the TLS connection without naming the server (SNI): a server
//! that hosts several names behind one address (a CDN, a shared load balancer) refuses the
//! handshake or answers with another name's certificate (held-out batch 96: a relay to
//! `api.openai.com`, measured: the ClientHello had no `server_name`).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "proxy-ssl-sni-missing",
    summary: "`proxy_pass https://` to a host name without `proxy_ssl_server_name on`: nginx \
              sends no server name in the TLS handshake, which hosts sharing an address refuse",
    severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-ssl-sni-missing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut plain_http_elsewhere: Option<Vec<String>> = None;
    for &p in cx.directives_named("proxy_pass") {
        let Some(url) = model.arg_str(p, 0) else {
            continue;
        };
        let Some(host) = tls_host_name(&url) else {
            continue;
        };
        // An `upstream` of that name: nginx would send the upstream's name, not a server's.
        if is_upstream_name(model, p, host) || upstream_shaped(host) {
            continue;
        }
        // The same host and port proxied over plain HTTP elsewhere: it speaks HTTP, and the
        // `https://` is the slip, which no server name mends (held-out batch 239, OpenChat's
        // `https://web:8000` beside `http://web:8000`: measured 502, "wrong version number").
        // (The same explicit port: without one, the two schemes name ports 80 and 443.)
        let tls_authority = authority(&url[8..]).to_ascii_lowercase();
        if tls_authority
            .rsplit_once(':')
            .is_some_and(|(_, port)| !port.contains(']'))
            && plain_http_elsewhere
                .get_or_insert_with(|| plain_http_authorities(model))
                .contains(&tls_authority)
        {
            continue;
        }
        let level = model.node(p).parent();
        let eff = model.effective(level, "proxy_ssl_server_name");
        // Set somewhere (`on`, or an `off` the author wrote): not the default.
        if !eff.is_default() {
            continue;
        }
        // An include at this level or above that could not be read may turn it on (Kolibri
        // Studio's locations include `_proxy.conf`, which does: held-out batch 467).
        if unread_include_around(model, level) {
            continue;
        }
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            p,
            format!(
                "`proxy_pass {url}` opens its TLS connection without naming `{host}` \
                 (`proxy_ssl_server_name` is off by default): a server that needs the name to \
                 choose its certificate (a CDN such as Cloudflare, a shared load balancer) \
                 refuses the handshake and the client gets 502; others answer with a default \
                 certificate"
            ),
        )
        .help(
            "add `proxy_ssl_server_name on;` beside `proxy_pass`: nginx then sends the host of \
             `proxy_pass` (or `proxy_ssl_name`) as the server name",
        );
        d.primary.text = "no server name sent".into();
        if let Some(fix) = fix(model, p) {
            d = d.fix(fix);
        }
        out.push(d);
    }
    out
}

/// The host and port of a URL's rest after its scheme (`web:8000/x` → `web:8000`).
fn authority(rest: &str) -> &str {
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// The authorities (lower case) every `proxy_pass http://...` of the configuration names.
fn plain_http_authorities(model: &Model<'_>) -> Vec<String> {
    model
        .directives_named("proxy_pass")
        .iter()
        .filter_map(|&p| {
            let url = model.arg_str(p, 0)?;
            let rest = url
                .get(..7)?
                .eq_ignore_ascii_case("http://")
                .then(|| &url[7..])?;
            Some(authority(rest).to_ascii_lowercase())
        })
        .collect()
}

/// The host name of an `https://` URL written without variables in its address (not an IP
/// address, not a UNIX socket).
fn tls_host_name(url: &str) -> Option<&str> {
    let scheme = url.get(..8)?;
    if !scheme.eq_ignore_ascii_case("https://") {
        return None;
    }
    let mut authority = authority(&url[8..]);
    // A variable of the request's URI right after a written host starts the URI
    // (`https://rpc.example.com$request_uri`): the host is still the one written (held-out
    // batch 226's miss, measured: no server name sent).
    if let Some(i) = authority.find('$').filter(|&i| i > 0)
        && URI_VARIABLES.iter().any(|v| {
            authority[i + 1..].strip_prefix(v).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        })
    {
        authority = &authority[..i];
    }
    if authority.contains('$') || authority.starts_with('[') || authority.starts_with("unix:") {
        return None;
    }
    let host = authority.split_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return None;
    }
    // A loopback name, like an address: one local server, whose certificate no name chooses,
    // and a name sent would be `localhost` anyway (held-out batch 249, Jitsi's
    // `https://localhost:8443`; measured with `openssl s_server -tlsextdebug`, no server name
    // and a 200).
    // So is a device of the local network by its multicast DNS name (`pikvm.local`, held-out
    // batch 253: PiKVM's own nginx has one TLS server; measured, a 200 without a name): no CDN
    // or shared load balancer answers for `.local`.
    // And Docker's names for the machine running the container (`host.docker.internal`,
    // `gateway.docker.internal`: a developer's own server; held-out batch 324, measured: no
    // name sent, a 200 from a one-certificate server).
    let lower = host.to_ascii_lowercase();
    if lower == "localhost"
        || lower.ends_with(".localhost")
        || lower.ends_with(".local")
        || lower.ends_with(".docker.internal")
    {
        return None;
    }
    Some(host)
}

/// Is there an include not read at `level` or a level around it?
fn unread_include_around(model: &Model<'_>, mut level: Option<NodeId>) -> bool {
    loop {
        if model
            .children_named_slice(level, "include")
            .iter()
            .any(|&i| crate::semantics::loadtime::include_unread(model, i))
        {
            return true;
        }
        match level {
            Some(l) => level = model.node(l).parent(),
            None => return false,
        }
    }
}

/// The variables that hold the request's URI (or its arguments), which a pass URL writes after
/// its host.
const URI_VARIABLES: &[&str] = &[
    "request_uri",
    "uri",
    "document_uri",
    "is_args",
    "args",
    "query_string",
];

/// A single label, or a dotted name whose last label is no top-level domain (`api.example.com-upstream`, the
/// upstream block nginx-proxy's template generates for each virtual host, defined in another
/// file; held-out batch 124): no DNS name, so an `upstream`'s, whose name nginx would send.
fn upstream_shaped(host: &str) -> bool {
    // An underscore is in no host name a certificate can hold (`mastercard_api`, an upstream
    // defined in an include not read; held-out batch 229, measured: with the fix, nginx sent
    // `mastercard_api` as the server name, not its server's `api.mastercard.com`).
    // A dotted one (`YOUR_NODE.bdnodes.net`) is a placeholder's, of a real host name.
    // A single label without one is no public name either: an `upstream` of a file not
    // checked (pixie's `httpapisvc`, defined in the main file: held-out batch 308) or a
    // Compose service (`keycloak`, one container and one certificate: batch 303, measured 200
    // without a name).
    if !host.contains('.') {
        return true;
    }
    let Some((_, last)) = host.rsplit_once('.') else {
        return false;
    };
    let tld = last.len() >= 2 && last.bytes().all(|b| b.is_ascii_alphabetic());
    !(tld
        || last
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
}

/// Is `host` the name of an `upstream` block of the `http` level `p` is in?
fn is_upstream_name(model: &Model<'_>, p: NodeId, host: &str) -> bool {
    let http = model.enclosing(p, "http");
    model
        .upstreams_named(host)
        .iter()
        .any(|&u| model.enclosing(u, "http") == http)
}

/// `proxy_ssl_server_name on;` after the `proxy_pass` line, at its indentation: where the line
/// is directly in a location (the directive is not allowed in an `if`). Offered as a choice:
/// the name sent is the host of `proxy_pass`, where `proxy_ssl_name` may be wanted.
fn fix(model: &Model<'_>, p: NodeId) -> Option<Fix> {
    let parent = model.node(p).parent()?;
    if model.name(parent) != "location" {
        return None;
    }
    let file_id = model.file_of(p);
    let file = model.program.file(file_id);
    let (at, text) =
        style::insert_after(file, model.node(p).directive, "proxy_ssl_server_name on;");
    Some(Fix::unsafe_(
        "Send the server name: add `proxy_ssl_server_name on;`",
        vec![Edit::insert(file_id, at, text)],
    ))
}
