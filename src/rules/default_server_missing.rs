//! `default-server-missing`: several `http` servers share a listen socket and none of them
//! says `default_server`: the default (which answers unknown `Host` names and requests without
//! one) is whichever server nginx read first.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "default-server-missing",
    summary: "several servers share a listen socket and none is `default_server`: the first one \
              read answers unknown host names",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/default-server-missing.md"),
    check,
};

/// The socket a `listen` value names, normalised as nginx compares them (`80`, `*:80` and
/// `0.0.0.0:80` are one socket; `[::]` and `[::0]` too; a bare address means port 80).
fn socket(value: &str) -> Option<String> {
    if value.starts_with("unix:") {
        return None;
    }
    let (addr, port) = if let Some(rest) = value.strip_prefix('[') {
        let (a, p) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = a.parse().ok()?;
        let port = p.strip_prefix(':').unwrap_or("80");
        (format!("[{ip}]"), port.to_owned())
    } else if value.bytes().all(|b| b.is_ascii_digit()) {
        ("*".to_owned(), value.to_owned())
    } else {
        let (a, p) = match value.split_once(':') {
            Some((a, p)) => (a, p),
            None => (value, "80"),
        };
        let a = if a == "*" || a == "0.0.0.0" {
            "*".to_owned()
        } else if let Ok(ip) = a.parse::<std::net::Ipv4Addr>() {
            ip.to_string()
        } else {
            a.to_ascii_lowercase()
        };
        (a, p.to_owned())
    };
    let port: u32 = port.parse().ok()?;
    Some(format!("{addr}:{port}"))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // socket -> (server, listen or the server itself, is default), in reading order.
    let mut groups: BTreeMap<String, Vec<(NodeId, NodeId, bool)>> = BTreeMap::new();
    // Stream servers share a socket (and take `default_server`) from nginx 1.25.5, which
    // added virtual servers to the stream module; before, nginx refuses the shared socket.
    let stream = cx.version >= crate::semantics::directives::Version(1, 25, 5);
    for &s in model.directives_named("server") {
        let module = match module_of(model, s) {
            Some("http") => "",
            Some("stream") if stream => "stream ",
            _ => continue,
        };
        let listens = model.children_named_slice(Some(s), "listen");
        if listens.is_empty() {
            if module.is_empty() {
                groups
                    .entry("*:80".to_owned())
                    .or_default()
                    .push((s, s, false));
            }
            continue;
        }
        for &l in listens {
            let Some(v) = model.arg(l, 0) else { continue };
            let Some(mut key) = socket(&v).map(|k| format!("{module}{k}")) else {
                continue;
            };
            let params: Vec<String> = (1..model.arg_count(l))
                .filter_map(|i| model.arg(l, i))
                .collect();
            if params.iter().any(|p| p == "quic" || p == "udp") {
                key.push_str(" quic");
            }
            let default = params
                .iter()
                .any(|p| p == "default_server" || p == "default");
            groups.entry(key).or_default().push((s, l, default));
        }
    }
    let mut out = Vec::new();
    for (key, entries) in groups {
        let mut servers: Vec<NodeId> = entries.iter().map(|e| e.0).collect();
        servers.dedup();
        servers.sort_unstable();
        servers.dedup();
        if servers.len() < 2 || entries.iter().any(|e| e.2) {
            continue;
        }
        let first = entries[0].1;
        let name = |s: NodeId| {
            model
                .children_named_slice(Some(s), "server_name")
                .first()
                .and_then(|&n| model.arg(n, 0))
                .unwrap_or_else(|| "\"\"".to_owned())
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            first,
            format!(
                "{} servers listen on {key} and none is `default_server`: the first one read \
                 (`server_name {}`) answers every request whose host matches no `server_name` \
                 (and requests without a host), so the order the servers are read in decides it",
                servers.len(),
                name(entries[0].0)
            ),
        )
        .help(format!(
            "mark the server meant to catch unknown hosts: `listen {} default_server;` (in \
             http often one that only does `return 444;`)",
            key.trim_start_matches("stream ")
        ));
        for e in entries.iter().skip(1) {
            if e.0 == entries[0].0 {
                continue;
            }
            let n = model.node(e.1);
            diag = diag.label(Label::new(
                model.file_of(e.1),
                n.directive.head_span(),
                "also listens here",
            ));
            break;
        }
        out.push(diag);
    }
    out
}

/// `http` or `stream` for a server directly in that block (or at the top level of a fragment
/// read in `http` context).
fn module_of(model: &Model<'_>, s: NodeId) -> Option<&'static str> {
    match model.node(s).parent() {
        Some(p) => match model.name(p) {
            "http" => Some("http"),
            "stream" => Some("stream"),
            _ => None,
        },
        None => (model.program.root_context == crate::semantics::Context::Http).then_some("http"),
    }
}
