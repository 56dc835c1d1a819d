//! `forwarded-proto-missing`: a TLS server proxies to an app without telling it the request came
//! in over HTTPS.
//!
//! nginx sends no `X-Forwarded-Proto` by default (nginx-semantics.md §2.4); the app sees a plain
//! `http://` request from nginx and builds `http://` URLs (Gradio, FastAPI redirects, OAuth
//! callbacks): mixed content or redirect loops behind HTTPS. `proxy_set_header` lists are
//! inherited only by levels that have none of their own (§2.3), so the fix copies an inherited
//! list into the location together with the new line.

use std::collections::{HashMap, HashSet};

use crate::semantics::model::FnvBuild;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::{Context, tls};
use crate::syntax::End;

pub static RULE: Rule = Rule {
    id: "forwarded-proto-missing",
    summary: "a TLS server proxies to an app without `X-Forwarded-Proto` (or with a literal `http`): an app that takes the scheme from the request builds http:// URLs",
    severity: Severity::Info,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: false,
    doc: include_str!("../../rules/forwarded-proto-missing.md"),
    check,
};

const HEADER: &str = "X-Forwarded-Proto";
const OTHER_SCHEME_HEADERS: &[&str] = &[
    "x-scheme",
    "x-forwarded-scheme",
    "x-forwarded-ssl",
    "x-forwarded-protocol",
];
const NEW_LINE: &str = "proxy_set_header X-Forwarded-Proto $scheme;";

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let ssl_addrs = ssl_addresses(model);
    // No TLS `listen`, no `ssl` and no `ssl_certificate` anywhere: no server is TLS (what
    // `tls_evidence` finds), and the servers are not read one by one.
    if ssl_addrs.is_empty()
        && model.directives_named("ssl").is_empty()
        && model.directives_named("ssl_certificate").is_empty()
    {
        return out;
    }
    // Servers: `server {}` blocks in http, or the top level of a server fragment.
    let mut servers: Vec<Option<NodeId>> = model
        .directives_named("server")
        .iter()
        .copied()
        .filter(|&s| {
            let n = model.node(s);
            n.context == Context::Http && n.directive.block().is_some()
        })
        .map(Some)
        .collect();
    if model.program.root_context == Context::HttpServer {
        servers.push(None);
    }
    // The TLS servers first: without one there is nothing to check, and no location needs
    // placing under its server.
    let tls_servers: Vec<(Option<NodeId>, (NodeId, bool))> = servers
        .into_iter()
        .filter_map(|server| Some((server, tls_evidence(model, server, &ssl_addrs)?)))
        .collect();
    if tls_servers.is_empty() {
        return out;
    }
    let mut literal_seen: HashSet<(u32, u32)> = HashSet::new();
    // Each location under its server, found once (not once per TLS server: that was quadratic
    // on configurations with many TLS servers).
    let mut locations_of: HashMap<Option<NodeId>, Vec<NodeId>, FnvBuild> = HashMap::default();
    for &loc in model.directives_named("location") {
        let server = model.enclosing(loc, "server");
        if model.node(loc).directive.block().is_none()
            || (server.is_none() && !in_root_server(model, loc))
        {
            continue;
        }
        locations_of.entry(server).or_default().push(loc);
    }
    for (server, tls) in tls_servers {
        for &loc in locations_of.get(&server).map_or(&[][..], Vec::as_slice) {
            let Some(pass) = proxy_pass_of(model, loc) else {
                continue;
            };
            // Files and cached objects (an extension regex, `/static/`, `expires`,
            // `proxy_cache_valid`): their responses carry no URLs the app builds.
            if crate::semantics::streaming::serves_static(model, loc) {
                continue;
            }
            // A health, readiness or metrics probe answers a status, not a page with links.
            if is_probe_path(model, loc) {
                continue;
            }
            // An app that builds its URLs from its own configured public URL (PeerTube's
            // `webserver.https`), or never reads the header (Streamlit), ignores it.
            if crate::semantics::streaming::app_of_upstream(model, loc, &cx.settings.streaming)
                .is_some_and(crate::semantics::apps::scheme_not_from_request)
            {
                continue;
            }
            check_location(model, loc, pass, tls, &mut literal_seen, &mut out);
        }
    }
    out
}

/// Last path segments of health, readiness and metrics endpoints (`/health`, `/api/healthz`,
/// `/metrics`): monitors call them, and their answers carry no URLs built from the scheme.
const PROBE_SEGMENTS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "health_check",
    "livez",
    "liveness",
    "ready",
    "readyz",
    "readiness",
    "ping",
    "metrics",
];

/// A prefix or exact location whose path ends in a [`PROBE_SEGMENTS`] segment.
fn is_probe_path(model: &Model<'_>, loc: NodeId) -> bool {
    let path = match model.arg_count(loc) {
        1 => model.arg_str(loc, 0),
        2 if matches!(model.arg_str(loc, 0).as_deref(), Some("=" | "^~")) => model.arg_str(loc, 1),
        _ => None,
    };
    path.is_some_and(|p| {
        p.trim_end_matches('/')
            .rsplit('/')
            .next()
            .is_some_and(|last| PROBE_SEGMENTS.iter().any(|s| last.eq_ignore_ascii_case(s)))
    })
}

/// With a server fragment as the main file, locations sit under no `server` node.
fn in_root_server(model: &Model<'_>, loc: NodeId) -> bool {
    model.ancestors(loc).all(|a| model.name(a) == "location")
}

/// The location's own `proxy_pass` (also inside its `if` blocks).
fn proxy_pass_of(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    model
        .children(loc)
        .iter()
        .copied()
        .find_map(|c| match model.name(c) {
            "proxy_pass" => Some(c),
            "if" => model
                .children(c)
                .iter()
                .copied()
                .find(|&g| model.name(g) == "proxy_pass"),
            _ => None,
        })
}

/// `listen` addresses that carry `ssl` (or `quic`) anywhere: listen options belong to the
/// address:port, so another server on the same socket is TLS too.
fn ssl_addresses(model: &Model<'_>) -> HashSet<String> {
    model
        .directives_named("listen")
        .iter()
        .copied()
        .filter(|&l| tls::is_tls_listen(model, l))
        .filter_map(|l| model.arg(l, 0).map(|a| normalize_addr(&a)))
        .collect()
}

/// `443`, `*:443`, `0.0.0.0:443` are the same socket.
fn normalize_addr(a: &str) -> String {
    if a.bytes().all(|b| b.is_ascii_digit()) {
        return format!("*:{a}");
    }
    match a.strip_prefix("0.0.0.0:") {
        Some(port) => format!("*:{port}"),
        None => a.to_owned(),
    }
}

/// Why the server is TLS: a `listen ... ssl|quic`, a listen on a socket another server made
/// TLS (the `bool`), `ssl on`, or an `ssl_certificate` in the server itself.
fn tls_evidence(
    model: &Model<'_>,
    server: Option<NodeId>,
    ssl_addrs: &HashSet<String>,
) -> Option<(NodeId, bool)> {
    let listens = model.children_named_slice(server, "listen");
    if let Some(&l) = listens.iter().find(|&&l| tls::is_tls_listen(model, l)) {
        return Some((l, false));
    }
    // No TLS `listen` anywhere (the usual plain-HTTP configuration): no address to compare.
    if !ssl_addrs.is_empty()
        && let Some(&l) = listens.iter().find(|&&l| {
            model
                .arg(l, 0)
                .is_some_and(|a| ssl_addrs.contains(&normalize_addr(&a)))
        })
    {
        return Some((l, true));
    }
    let ssl = model.effective(server, "ssl");
    if let Some(&s) = ssl.nodes.first()
        && model
            .arg(s, 0)
            .is_some_and(|v| v.eq_ignore_ascii_case("on"))
    {
        return Some((s, false));
    }
    model
        .children_named_slice(server, "ssl_certificate")
        .first()
        .map(|&c| (c, false))
}

/// Includes with known contents: Debian's `proxy_params` sends `X-Forwarded-Proto $scheme`;
/// the others set no `proxy_set_header`.
const PROXY_PARAMS: &str = "proxy_params";
const HARMLESS_INCLUDES: &[&str] = &[
    "mime.types",
    "fastcgi_params",
    "fastcgi.conf",
    "uwsgi_params",
    "scgi_params",
    "options-ssl-nginx.conf",
];

enum Unresolved {
    None,
    /// Debian's `proxy_params`: has `X-Forwarded-Proto $scheme`.
    ProxyParams,
    /// An include we cannot read: it may set headers.
    Unknown,
}

fn unresolved_includes(model: &Model<'_>, level: Option<NodeId>) -> Unresolved {
    let mut result = Unresolved::None;
    for i in model.children_named(level, "include") {
        if !model.include_failed(i) {
            continue;
        }
        let arg = model.arg(i, 0).unwrap_or_default();
        let base = arg.rsplit('/').next().unwrap_or("");
        if base == PROXY_PARAMS {
            result = Unresolved::ProxyParams;
        } else if !HARMLESS_INCLUDES.contains(&base) {
            return Unresolved::Unknown;
        }
    }
    result
}

fn check_location(
    model: &Model<'_>,
    loc: NodeId,
    pass: NodeId,
    tls: (NodeId, bool),
    literal_seen: &mut HashSet<(u32, u32)>,
    out: &mut Vec<Diagnostic>,
) {
    let eff = model.effective(Some(loc), "proxy_set_header");
    let top = match &eff.origin {
        Origin::Here => Some(Some(loc)),
        Origin::Inherited(level) => Some(*level),
        Origin::Default => None,
    };
    // Unreadable includes on the way up to the level that gives the list.
    let mut level = Some(loc);
    loop {
        match unresolved_includes(model, level) {
            Unresolved::None => {}
            Unresolved::ProxyParams | Unresolved::Unknown => return,
        }
        if top == Some(level) {
            break;
        }
        match level {
            Some(l) => level = model.node(l).parent(),
            None => break,
        }
    }
    let here = model.describe_block(Some(loc));
    let (tls, shared) = tls;
    let tls_node = model.node(tls);
    let tls_text = String::from_utf8_lossy(&model.src(tls)[tls_node.directive.head_span().range()])
        .into_owned();
    let tls_label = Label::at_node(
        model,
        tls,
        if shared {
            format!("TLS: another server's `listen ... ssl` makes `{tls_text}` a TLS socket")
        } else {
            format!("TLS: `{tls_text}`")
        },
    );
    let proto = eff.nodes.iter().copied().find(|&h| {
        model
            .arg(h, 0)
            .is_some_and(|n| n.eq_ignore_ascii_case(HEADER))
    });
    // Other headers apps take the scheme from: Tornado/JupyterHub `X-Scheme`, gunicorn's
    // `X-Forwarded-Ssl`/`X-Forwarded-Protocol`, RFC 7239 `Forwarded: proto=`.
    if proto.is_none()
        && eff.nodes.iter().any(|&h| {
            let name = model.arg(h, 0).unwrap_or_default().to_ascii_lowercase();
            let value = model.arg(h, 1).unwrap_or_default().to_ascii_lowercase();
            OTHER_SCHEME_HEADERS.contains(&name.as_str())
                || (name == "forwarded" && value.contains("proto="))
        })
    {
        return;
    }
    if let Some(h) = proto {
        let value = model.arg(h, 1).unwrap_or_default();
        if value.eq_ignore_ascii_case("http") {
            let n = model.node(h);
            if !literal_seen.insert((model.file_of(h), n.directive.span().start)) {
                return;
            }
            let (f, line) = model.location(h);
            let origin = if n.parent() == Some(loc) {
                format!("set in this location ({f}:{line})")
            } else {
                format!(
                    "inherited from `{}` ({f}:{line})",
                    model.describe_block(n.parent())
                )
            };
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                h,
                format!(
                    "`proxy_set_header X-Forwarded-Proto {value}` tells the app behind `{here}` \
                     that its clients use plain HTTP, but this server is TLS; the line is {origin}"
                ),
            )
            .label(tls_label)
            .help(
                "send `$scheme` (`https` on a TLS connection), or `$http_x_forwarded_proto` \
                 mapped from a TLS-terminating load balancer in front of nginx",
            );
            if let Some(span) = style::arg_span(n.directive, 1) {
                d = d.fix(Fix::unsafe_(
                    "Send X-Forwarded-Proto $scheme",
                    vec![Edit::replace(model.file_of(h), span, "$scheme")],
                ));
            }
            out.push(d);
        }
        return;
    }
    let list = match &eff.origin {
        Origin::Default => "only nginx's default headers are sent".to_owned(),
        _ => format!(
            "the effective proxy_set_header list, {} {} {}, has no X-Forwarded-Proto",
            eff.nodes.len(),
            if eff.nodes.len() == 1 {
                "line"
            } else {
                "lines"
            },
            model.describe_origin(&eff)
        ),
    };
    let pass_text = model.arg(pass, 0).unwrap_or_default();
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        pass,
        format!(
            "`{here}` proxies to `{pass_text}` from a TLS server without X-Forwarded-Proto: \
             {list}; the app sees http, and one that takes the scheme from the request builds \
             http:// URLs"
        ),
    )
    .label(tls_label)
    .help(
        "apps behind a proxy (Gradio, FastAPI/uvicorn, Django, OAuth callbacks) take the scheme \
         from X-Forwarded-Proto; without it they generate http:// links and redirects behind \
         HTTPS (mixed content, redirect loops). Add `proxy_set_header X-Forwarded-Proto $scheme;`",
    );
    if let Some(fix) = fix(model, loc, &eff.origin, eff.nodes) {
        d = d.fix(fix);
    }
    out.push(d);
}

/// Add the header in the location; when the location inherits its list, copy the inherited
/// lines too (a location with one `proxy_set_header` of its own loses all inherited ones).
fn fix(model: &Model<'_>, loc: NodeId, origin: &Origin, nodes: &[NodeId]) -> Option<Fix> {
    let l = model.node(loc);
    if !matches!(l.directive.end(), End::Block(_)) {
        return None;
    }
    let file = model.program.file(model.file_of(loc));
    let here = model.describe_block(Some(loc));
    let mut lines: Vec<String> = Vec::new();
    if let Origin::Inherited(_) = origin {
        for &n in nodes {
            let node = model.node(n);
            if !matches!(node.directive.end(), End::Semicolon(_)) {
                return None;
            }
            let bytes = &model.src(n)[node.directive.span().range()];
            lines.push(std::str::from_utf8(bytes).ok()?.to_owned());
        }
    }
    let copied = lines.len();
    lines.push(NEW_LINE.to_owned());
    let eol = style::line_ending(&file.src);
    let indent = child_indent(file, l.directive);
    let joined = lines.join(&format!("{eol}{indent}"));
    let (at, text) = style::insert_into_block(file, l.directive, &joined)?;
    let at = if text.starts_with(['\r', '\n']) {
        crate::fix::style::after_trailing(&file.src, at)
    } else {
        at
    };
    let title = if copied == 0 {
        format!("Add `{NEW_LINE}` to {here}")
    } else {
        format!(
            "Add `{NEW_LINE}` to {here}, with a copy of the {copied} inherited proxy_set_header {}",
            if copied == 1 { "line" } else { "lines" }
        )
    };
    Some(Fix::unsafe_(
        title,
        vec![Edit::insert(model.file_of(loc), at, text)],
    ))
}

/// The indentation `style::insert_into_block` uses for the block's children.
fn child_indent(file: &crate::semantics::SourceFile, d: &crate::syntax::Directive) -> String {
    let src = &file.src;
    d.children()
        .find_map(|c| style::indent_at(src, c.span().start).map(str::to_owned))
        .unwrap_or_else(|| {
            let parent = style::indent_at(src, d.span().start).unwrap_or("");
            format!("{parent}{}", file.indent_unit())
        })
}
