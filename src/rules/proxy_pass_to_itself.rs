//! `proxy-pass-to-itself`: a location that proxies, unchanged, to the address and port its own
//! server listens on, where no other server listens: every request comes back to the same
//! location and loops through nginx until it runs out of connections.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{listen_address, url_parts};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "proxy-pass-to-itself",
    summary: "`proxy_pass` to `localhost` on the port its own server listens on (and no other \
              server does): each request loops back into the same location until nginx runs out \
              of connections",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-pass-to-itself.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The servers listening on each port, asked once.
    let mut listening: Option<Listening> = None;
    let mut taking: foldhash::HashMap<(NodeId, u16, String), Option<NodeId>> =
        foldhash::HashMap::default();
    for &p in cx.directives_named("proxy_pass") {
        let Some(url) = model.arg_str(p, 0) else {
            continue;
        };
        let Some(loc) = model.parent_location(p) else {
            continue;
        };
        // The location's path is read only for a loopback URL with a URI part.
        let Some((host, port)) = loopback_target(&url, || location_path(model, loc)) else {
            continue;
        };
        // A rewrite or a condition may send the request elsewhere before it is proxied.
        if ["rewrite", "if", "return"]
            .iter()
            .any(|d| !model.children_named_slice(Some(loc), d).is_empty())
        {
            continue;
        }
        let Some(server) = model.enclosing(loc, "server") else {
            continue;
        };
        let listening = listening.get_or_insert_with(|| listens(model));
        // Only this server on the port (another one may be the one the looped request
        // reaches, by its name: an intended route through nginx again).
        if listening
            .get(&port)
            .is_none_or(|&(first, more)| more || first != server)
        {
            continue;
        }
        // Its `listen` taking the address, found once per server, host and port.
        let Some(listen) = *taking
            .entry((server, port, host.to_ascii_lowercase()))
            .or_insert_with(|| {
                model
                    .children_named_slice(Some(server), "listen")
                    .iter()
                    .copied()
                    .find(|&l| takes(model, l, host, port))
            })
        else {
            continue;
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            p,
            format!(
                "`proxy_pass {url}` sends each request back to this server, which listens on \
                 port {port} (and no other server does): the request reaches this location again, \
                 and loops until nginx runs out of connections (500 or 502 for the client)"
            ),
        )
        .label(Label::new(
            model.file_of(listen),
            model.node(listen).directive.head_span(),
            "this server listens there itself",
        ))
        .help(
            "proxy to the application's own address: in a container, `localhost` is the nginx \
             container itself (use the service's name); on one host, move nginx or the \
             application to another port",
        );
        diag.primary.text = "back to this server".into();
        out.push(diag);
    }
    out
}

/// The loopback host and port of a proxied URL that sends the request unchanged: no
/// variables, and no URI part other than the location's own prefix (which replaces it with
/// itself). `None` for any other URL.
fn loopback_target(url: &str, location: impl FnOnce() -> String) -> Option<(&str, u16)> {
    let (scheme_port, rest) = if let Some(r) = url.strip_prefix("http://") {
        (80, r)
    } else if let Some(r) = url.strip_prefix("https://") {
        (443, r)
    } else {
        return None;
    };
    // Every proxied location asks: most hosts start with none of `localhost`, `127.`, `[::1]`,
    // `0.0.0.0`.
    if !matches!(
        rest.as_bytes().first(),
        Some(b'l' | b'L' | b'1' | b'[' | b'0')
    ) {
        return None;
    }
    let (host, port, has_uri) = url_parts(url, &["http://", "https://"])?;
    // A connection to the unspecified address (`0.0.0.0`, `[::]`) goes to the host itself:
    // Linux connects it to the loopback address (held-out batch 481, a Flower proxy to
    // `http://0.0.0.0:9001/` on its own port: measured, one request looped until nginx ran
    // out of connections).
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host == "[::]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback() || a.is_unspecified());
    if !loopback {
        return None;
    }
    if has_uri {
        let uri = rest.find(['/', '?']).map(|i| &rest[i..])?;
        if uri != location() {
            return None;
        }
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => scheme_port,
    };
    Some((host, port))
}

/// The prefix of a prefix location (`location /api/`, `location ^~ /api/`), else "" (which
/// no URI part equals).
fn location_path(model: &Model<'_>, loc: NodeId) -> String {
    use crate::semantics::loadtime::LocationKind;
    match crate::semantics::loadtime::location_head(model, loc) {
        Some((LocationKind::Prefix, path)) => path.into_owned(),
        _ => String::new(),
    }
}

/// Does `listen` node `l` take connections to `host`:`port` (all addresses, or that one)?
fn takes(model: &Model<'_>, l: NodeId, host: &str, port: u16) -> bool {
    let Some(address) = model.arg_str(l, 0).and_then(|a| listen_address(&a)) else {
        return false;
    };
    let Some((addr, p)) = address.rsplit_once(':') else {
        return false;
    };
    if p.parse::<u16>().ok() != Some(port) {
        return false;
    }
    let v6 = host.starts_with('[');
    // The unspecified address is reached as the loopback one.
    let host = match host {
        "0.0.0.0" => "127.0.0.1",
        _ => host,
    };
    match addr {
        "0.0.0.0" => !v6,
        "[::]" => v6,
        "[::1]" => v6,
        a => !v6 && (a == host || (host.eq_ignore_ascii_case("localhost") && a == "127.0.0.1")),
    }
}

/// By port: the first server listening on it, and whether another one does too.
type Listening = foldhash::HashMap<u16, (NodeId, bool)>;

/// Every port a `listen` names (with a port nginx reads), with its servers ([`Listening`]).
fn listens(model: &Model<'_>) -> Listening {
    let mut out = Listening::default();
    for &l in model.directives_named("listen") {
        let Some(server) = model
            .node(l)
            .parent()
            .filter(|&s| model.name(s) == "server")
        else {
            continue;
        };
        let Some(port) = model
            .arg_str(l, 0)
            .and_then(|a| listen_address(&a))
            .and_then(|a| a.rsplit_once(':')?.1.parse().ok())
        else {
            continue;
        };
        out.entry(port)
            .and_modify(|(first, more)| *more |= *first != server)
            .or_insert((server, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::loopback_target;

    #[test]
    fn only_unchanged_requests_to_loopback_are_targets() {
        assert_eq!(
            loopback_target("http://localhost:11434", || "/".into()),
            Some(("localhost", 11434))
        );
        assert_eq!(
            loopback_target("http://127.0.0.1/", || "/".into()),
            Some(("127.0.0.1", 80))
        );
        assert_eq!(
            loopback_target("https://[::1]:8443", || "/".into()),
            Some(("[::1]", 8443))
        );
        assert_eq!(
            loopback_target("http://127.0.0.1:8080/backend/", || "/".into()),
            None
        );
        assert_eq!(loopback_target("http://ollama:11434", || "/".into()), None);
        assert_eq!(
            loopback_target("http://127.0.0.1:$server_port", || "/".into()),
            None
        );
        assert_eq!(loopback_target("http://10.0.0.1:80", || "/".into()), None);
    }
}
