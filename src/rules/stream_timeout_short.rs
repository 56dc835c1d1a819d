//! `stream-timeout-short`: a `stream` server whose `proxy_timeout` is under a minute in front
//! of a protocol whose sessions sit silent for longer: IMAP's IDLE, SSH, the Kubernetes API's
//! watches, MQTT between keep-alive pings. nginx closes a stream session once neither side
//! has sent a byte for `proxy_timeout`; those sessions are cut while idle (held-out batches
//! 90 and 92, measured: an IMAP IDLE session and `kubectl logs -f` cut after 3 s).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "stream-timeout-short",
    summary: "a `stream` server's `proxy_timeout` is under a minute in front of a protocol \
              whose sessions sit silent for longer (IMAP IDLE, SSH, Kubernetes watches, MQTT)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/stream-timeout-short.md"),
    check,
};

/// Protocols whose sessions stay open without traffic, by their registered port: the name,
/// and what sits silent (IANA's port registry; each protocol's own specification).
const IDLE_PROTOCOLS: &[(u16, &str, &str)] = &[
    (
        22,
        "SSH",
        "an interactive session sends nothing while its user reads or waits",
    ),
    (
        143,
        "IMAP",
        "mail clients wait in IDLE for new mail, silent for minutes (RFC 2177; Dovecot sends \
         a keep-alive every 2 minutes)",
    ),
    (
        993,
        "IMAP over TLS",
        "mail clients wait in IDLE for new mail, silent for minutes (RFC 2177; Dovecot sends \
         a keep-alive every 2 minutes)",
    ),
    (
        1883,
        "MQTT",
        "clients send nothing between keep-alive pings, commonly 60 s apart",
    ),
    (
        8883,
        "MQTT over TLS",
        "clients send nothing between keep-alive pings, commonly 60 s apart",
    ),
    (
        443,
        "HTTPS",
        "an event stream, a WebSocket or a long poll stays open between events, and a slow \
         answer (a model's first token) sends nothing until it is ready",
    ),
    (5222, "XMPP", "clients stay connected, waiting for messages"),
    (
        6443,
        "the Kubernetes API",
        "watches, `kubectl logs -f` and `kubectl exec` stay open with nothing to send",
    ),
];

/// Below this, a timeout is shorter than any of these protocols' idle spells.
const SHORT_SECS: u64 = 60;

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    if cx.directives_named("proxy_timeout").is_empty() {
        return out;
    }
    for &server in cx.directives_named("server") {
        // A `stream` server block (not an upstream's `server` line, nor `http`'s or `mail`'s).
        if model
            .node(server)
            .parent()
            .is_none_or(|p| model.name(p) != "stream")
        {
            continue;
        }
        let eff = model.effective(Some(server), "proxy_timeout");
        let Some(&timeout) = eff.nodes.first() else {
            continue;
        };
        let Some(value) = model.arg_str(timeout, 0) else {
            continue;
        };
        let Some(secs) = crate::semantics::values::time_secs(&value) else {
            continue;
        };
        if secs >= SHORT_SECS {
            continue;
        }
        let Some((port, protocol, idle)) = protocol_of(model, server) else {
            continue;
        };
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            timeout,
            format!(
                "`proxy_timeout {value}` closes a session of this server after {value} without \
                 a byte either way, and it carries {protocol} (port {port}), where {idle}: \
                 each idle session is cut"
            ),
        )
        .help(format!(
            "raise `proxy_timeout` above how long {protocol} sessions stay quiet (nginx's \
             default is 10m)"
        ));
        if eff.origin != crate::semantics::model::Origin::Here {
            d = d.label(Label::at_node(model, server, "the server it applies to"));
        }
        d.primary.text = format!("{protocol} sessions idle longer").into();
        out.push(d);
    }
    out
}

/// The idle protocol the server carries, by the port it listens on or passes to: (port,
/// protocol, what sits silent).
fn protocol_of(model: &Model<'_>, server: NodeId) -> Option<(u16, &'static str, &'static str)> {
    let listened = model
        .children_named_slice(Some(server), "listen")
        .iter()
        .filter_map(|&l| model.arg_str(l, 0).and_then(|a| port_of(&a)));
    let passed = model
        .children_named_slice(Some(server), "proxy_pass")
        .iter()
        .filter_map(|&p| model.arg_str(p, 0))
        .flat_map(|target| upstream_ports(model, &target));
    listened.chain(passed).find_map(|port| {
        IDLE_PROTOCOLS
            .iter()
            .find(|&&(p, ..)| p == port)
            .map(|&(p, name, idle)| (p, name, idle))
    })
}

/// The ports `proxy_pass` target `target` reaches: its own (`host:port`), or those of the
/// `stream` upstream of that name.
fn upstream_ports(model: &Model<'_>, target: &str) -> Vec<u16> {
    if target.contains('$') {
        return Vec::new();
    }
    if let Some(port) = port_of(target) {
        return vec![port];
    }
    model
        .upstreams_named(target)
        .iter()
        .filter(|&&u| model.enclosing(u, "stream").is_some())
        .flat_map(|&u| model.children_named_slice(Some(u), "server"))
        .filter_map(|&s| model.arg_str(s, 0).and_then(|a| port_of(&a)))
        .collect()
}

/// The port of an address as `listen` and `server` write it (`143`, `0.0.0.0:993`,
/// `[::]:22`, `imap.example.com:143`); none for a UNIX socket or a name without one.
fn port_of(addr: &str) -> Option<u16> {
    if addr.starts_with("unix:") {
        return None;
    }
    let tail = addr.rfind(']').map_or(addr, |i| &addr[i + 1..]);
    let port = match tail.rfind(':') {
        Some(i) => &tail[i + 1..],
        None if addr.bytes().all(|b| b.is_ascii_digit()) => addr,
        None => return None,
    };
    port.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::port_of;

    #[test]
    fn ports_as_listen_and_server_write_them() {
        assert_eq!(port_of("143"), Some(143));
        assert_eq!(port_of("0.0.0.0:993"), Some(993));
        assert_eq!(port_of("[::]:22"), Some(22));
        assert_eq!(port_of("[::1]"), None);
        assert_eq!(port_of("imap.example.com:143"), Some(143));
        assert_eq!(port_of("imap.example.com"), None);
        assert_eq!(port_of("unix:/run/x.sock"), None);
        assert_eq!(port_of("127.0.0.1:99999"), None);
    }
}
