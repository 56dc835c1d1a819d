//! `ssl-listen-missing`: a server with its own `ssl_certificate` whose `listen` on an HTTPS
//! port (443, 8443) has no `ssl`, where no other server's `listen` on that port has it either.
//! nginx accepts it (`nginx -t` is silent) and answers plain HTTP there: a browser's HTTPS
//! handshake fails, and the certificate is never used. A `stream` server with certificates
//! and no `listen ... ssl` passes the clients' TLS handshakes to its backend as they are.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::Context;
use crate::semantics::loadtime::listen_address;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "ssl-listen-missing",
    summary: "a server with its own `ssl_certificate` listens on an HTTPS port without `ssl`: \
              nginx serves plain HTTP there and never uses the certificate",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/ssl-listen-missing.md"),
    check,
};

/// The ports HTTP servers are asked for TLS on.
const HTTPS_PORTS: &[u16] = &[443, 8443];

/// The address of a `listen` (its first argument, as [`listen_address`] writes it) and its
/// port, if it names an address and port.
fn listen_socket(model: &Model<'_>, l: NodeId) -> Option<(String, u16)> {
    let address = listen_address(&model.arg_str(l, 0)?)?;
    if address.starts_with("unix:") {
        return None;
    }
    let port = address.rsplit_once(':')?.1.parse().ok()?;
    Some((address, port))
}

/// The port of a `listen` (its first argument), if it names an address and port.
fn listen_port(model: &Model<'_>, l: NodeId) -> Option<u16> {
    listen_socket(model, l).map(|(_, port)| port)
}

/// The `http` and `stream` blocks holding an include nginx could not read, found once (not
/// once per server: a configuration of thousands of servers with certificates and includes).
fn blocks_with_unread_includes(model: &Model<'_>) -> Vec<NodeId> {
    let mut blocks: Vec<NodeId> = model
        .directives_named("include")
        .iter()
        .filter(|&&i| model.include_failed(i))
        .flat_map(|&i| [model.enclosing(i, "http"), model.enclosing(i, "stream")])
        .flatten()
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    blocks
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The servers with a certificate of their own (few, most configurations none).
    let mut servers: Vec<NodeId> = model
        .directives_named("ssl_certificate")
        .iter()
        .filter_map(|&c| model.node(c).parent())
        .filter(|&s| model.name(s) == "server")
        .collect();
    servers.sort_unstable();
    servers.dedup();
    if servers.is_empty() {
        return out;
    }
    // nginx ORs `ssl` over the servers that share a listening address: an address any server
    // listens on with `ssl` is TLS for every server there (measured with nginx 1.22.1). An
    // address, not a port: beside `listen 443 ssl;`, `listen [::]:443;` and `listen
    // 127.0.0.1:443;` answer plain HTTP (measured; held-out batches 389 and 407, a server's
    // IPv6 `listen` without `ssl`).
    // A `listen` in a block nginx does not know (`%%TEMPLATE%% server {`, the markup before
    // it read as a directive with a block) counts for HTTP: no guess is made from it.
    let ssl_addresses = |context: Context| -> Vec<String> {
        model
            .directives_named("listen")
            .iter()
            .filter(|&&l| {
                let c = model.node(l).context;
                let same = match context {
                    Context::StreamServer => c == Context::StreamServer,
                    _ => !matches!(c, Context::StreamServer | Context::MailServer),
                };
                same && model.has_param(l, "ssl")
            })
            .filter_map(|&l| listen_address(&model.arg_str(l, 0)?))
            .collect()
    };
    let (mut http_ssl, mut stream_ssl) = (None, None);
    let mut unread_in: Option<Vec<NodeId>> = None;
    for server in servers {
        let listens = model.children_named_slice(Some(server), "listen");
        let Some(&first) = listens.first() else {
            continue;
        };
        let context = model.node(first).context;
        let (ssl_here, wanted): (&Vec<String>, fn(u16) -> bool) = match context {
            Context::HttpServer => {
                // `ssl on;` (before nginx 1.25.1) turns TLS on for every `listen` of it.
                let on = model.effective(Some(server), "ssl");
                if !on.is_default() && model.effective_value(&on).eq_ignore_ascii_case("on") {
                    continue;
                }
                (
                    http_ssl.get_or_insert_with(|| ssl_addresses(Context::HttpServer)),
                    |p| HTTPS_PORTS.contains(&p),
                )
            }
            Context::StreamServer => (
                stream_ssl.get_or_insert_with(|| ssl_addresses(Context::StreamServer)),
                |_| true,
            ),
            _ => continue,
        };
        // The server's listens on addresses no `listen ... ssl` makes TLS (most servers with a
        // certificate: none).
        // A `quic` listen is TLS over UDP by itself (HTTP/3).
        let Some((l, bound, port)) = listens.iter().find_map(|&l| {
            if model.has_param(l, "ssl") || model.has_param(l, "quic") {
                return None;
            }
            let (address, port) = listen_socket(model, l)?;
            (wanted(port) && !ssl_here.contains(&address)).then_some((l, address, port))
        }) else {
            continue;
        };
        // Every server of the block must be in view: in a fragment (a `conf.d` file checked
        // alone) or beside an include nginx could not read, another server may put `ssl` on
        // the port (a project's main site on 443, held out of a `grafana.conf` beside it).
        let block = match context {
            Context::HttpServer => "http",
            _ => "stream",
        };
        let Some(top) = model.enclosing(server, block) else {
            continue;
        };
        if unread_in
            .get_or_insert_with(|| blocks_with_unread_includes(model))
            .contains(&top)
        {
            continue;
        }
        // Beside the server's own `listen ... ssl` on the port, the other address is the one
        // left plain (an IPv6 `listen [::]:443;` beside `listen 443 ssl;`).
        let beside_ssl = listens
            .iter()
            .any(|&o| model.has_param(o, "ssl") && listen_port(model, o) == Some(port));
        let address = model.arg_str(l, 0).unwrap_or_default();
        let (message, help) = if context == Context::HttpServer {
            (
                if beside_ssl {
                    format!(
                        "`listen {address}` has no `ssl`, nor does any server's `listen` on that \
                         address ({bound}): nginx turns TLS on per address, not per port, so it \
                         answers plain HTTP there, and an HTTPS handshake to that address fails \
                         (\"wrong version number\")"
                    )
                } else {
                    format!(
                        "`listen {address}` has no `ssl`, nor does any server's `listen` on that \
                         address ({bound}): nginx answers plain HTTP there, a browser's HTTPS \
                         handshake fails (\"wrong version number\"), and this server's \
                         certificate is never used"
                    )
                },
                format!("add `ssl` to the listen line: `listen {address} ssl;`"),
            )
        } else {
            (
                format!(
                    "`listen {address}` has no `ssl`, nor does any stream server's `listen` on \
                     that address ({bound}): nginx passes the clients' TLS handshakes to the backend as \
                     they are, and this server's certificate is never used"
                ),
                format!("add `ssl` to the listen line (`listen {address} ssl;`) to end TLS here"),
            )
        };
        let mut d = Diagnostic::at_node(&RULE, model, l, message)
            .help(help)
            .label(Label::at_node(
                model,
                model.children_named_slice(Some(server), "ssl_certificate")[0],
                if beside_ssl {
                    "the certificate, used on the `ssl` address only"
                } else {
                    "the certificate nginx does not use"
                },
            ));
        d.primary.text = "no `ssl`".into();
        if let Some(span) = style::arg_span(model.node(l).directive, 0) {
            d = d.fix(Fix::unsafe_(
                format!("Add `ssl` to `listen {address}`"),
                vec![Edit::insert(model.file_of(l), span.end, " ssl")],
            ));
        }
        out.push(d);
    }
    out
}
