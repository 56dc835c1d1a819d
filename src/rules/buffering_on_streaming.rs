//! `buffering-on-streaming`: a location that streams server-sent events (or another long
//! response) proxies with response buffering on.
//!
//! What nginx does (nginx-semantics.md §2.5, measured E1/E1c/E1d/E4c/E4d): with buffering on,
//! a *chunked* upstream body is still forwarded chunk by chunk, but a close-delimited one
//! (HTTP/1.0 to the upstream, the default before 1.29.7) is handed on only when a 4/8 KiB buffer
//! fills or the stream ends, and gzip over a buffered stream is flushed only when its own buffers
//! fill, even with a chunked upstream. So the finding is an error when the stall is certain
//! (effective `proxy_http_version 1.0`, gzip, a cache, TLS to HTTP/1.1 clients), nothing for
//! `proxy_pass` otherwise (a chunked HTTP/1.1 upstream streams), and info for the other
//! handlers, whose framing is the application server's. `grpc_pass`
//! is never buffered; WebSocket-only locations are tunnels once upgraded, buffering is moot.
//!
//! This file also holds the helpers the other buffering rules (`gzip-event-stream`,
//! `proxy-cache-streaming`, `accel-buffering-ignored`) share.

use std::borrow::Cow;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::apps::App;
use crate::semantics::model::{Effective, Model, NodeId, Origin};
use crate::semantics::streaming::{
    NamedApp, Routes, Streaming, flag_on, handler_prefix, streaming_locations_ref,
};

/// The app a name says `s`'s location proxies to: the classification's answer, or asked now
/// where it did not ask.
fn named_app(cx: &LintContext<'_>, routes: &Routes, s: &Streaming) -> Option<&'static App> {
    match s.named_app {
        NamedApp::NotAsked => routes.app_named(cx.model, s.location, &cx.settings.streaming),
        asked => asked.app(),
    }
}

pub static RULE: Rule = Rule {
    id: "buffering-on-streaming",
    summary: "a streaming (SSE) location proxies with response buffering on, so nginx can hold \
              events back until a buffer fills or the stream ends",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/buffering-on-streaming.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let routes = Routes::default();
    for b in buffered_streams(cx) {
        let loc = b.stream.location;
        let dir = b.directive();
        let mut message = format!(
            "`{dir}` is {} in {}",
            value_and_origin(model, &b.buffering),
            where_streams(model, b.stream)
        );
        let mut certain = Vec::new();
        let mut labels = vec![pass_label(model, b.stream), why_label(model, b.stream)];
        labels.extend(origin_label(model, &b.buffering, &format!("{dir} on")));
        if b.prefix == "proxy" {
            let hv = model.effective(Some(loc), "proxy_http_version");
            // An app that chunks its answer to an HTTP/1.0 request streams through buffering
            // all the same (Open WebUI's uvicorn with httptools, held-out batch 147). The app
            // a name says, not one whose endpoint a path looks like (`/v1/chat/completions`
            // is vLLM's and every OpenAI-compatible server's).
            if model.effective_value(&hv) == "1.0"
                && !named_app(cx, &routes, b.stream)
                    .is_some_and(crate::semantics::apps::chunks_to_http10)
            {
                certain.push(format!(
                    "`proxy_http_version` is 1.0 ({}), so the upstream body is close-delimited and \
                     nginx passes events on only when a buffer fills or the stream ends",
                    origin(model, &hv)
                ));
                labels.extend(origin_label(model, &hv, "proxy_http_version 1.0"));
            }
        }
        if let Some(g) = gzip_applies(model, loc, &b.stream.body_content_types()) {
            let (gzip_origin, what) = if g.at == loc {
                (origin(model, &g.gzip), "gzip on")
            } else {
                let (f, l) = model.location(g.gzip.nodes[0]);
                (format!("in an `if` block, {f}:{l}"), "gzip on` in an `if")
            };
            certain.push(format!(
                "gzip compresses `{}` here (`gzip` is on: {gzip_origin}), and a buffered gzip \
                 stream is flushed only when its buffers fill",
                b.stream.body_content_types().join("`/`")
            ));
            labels.extend(origin_label(model, &g.gzip, what));
        }
        if b.prefix == "proxy" {
            let cache = model.effective(Some(loc), "proxy_cache");
            let zone = model.effective_value(&cache);
            if !cache.is_default() && !zone.is_empty() && !zone.eq_ignore_ascii_case("off") {
                certain.push(format!(
                    "`proxy_cache` is on ({}), and a cached response is stored and passed on \
                     as a buffered one",
                    origin(model, &cache)
                ));
                labels.extend(origin_label(model, &cache, "proxy_cache"));
            }
        }
        // TLS: nginx's SSL layer copies what the write filter hands it into a buffer of
        // `ssl_buffer_size` (16k) and sends it only when full or flushed, and only unbuffered
        // proxying flushes each read (measured with nginx 1.22.1 and a chunked HTTP/1.1
        // upstream, one event every 0.5 s: plain HTTP on time, HTTP/1.1 over TLS all six at
        // the end, HTTP/2 on time; held-out batch 142's Mastodon streaming API).
        let mut over_tls_only_http1 = false;
        if let Some(tls) = tls_for_http1_clients(model, loc, cx.version) {
            let (f, l) = model.location(tls.listen);
            let at = if model.file_of(tls.listen) == model.file_of(loc) {
                format!("line {l}")
            } else {
                format!("{f}:{l}")
            };
            certain.push(if tls.http2 {
                format!(
                    "the server takes TLS ({at}), and for HTTP/1.1 clients (API clients and \
                     SDKs often are; HTTP/2 clients stream) nginx's TLS layer holds a buffered \
                     response until `ssl_buffer_size` (16k) fills or the stream ends, even from \
                     a chunked upstream"
                )
            } else {
                format!(
                    "the server takes TLS ({at}) without HTTP/2, and nginx's TLS layer holds a \
                     buffered response until `ssl_buffer_size` (16k) fills or the stream ends, \
                     even from a chunked upstream"
                )
            });
            labels.push(Label::at_node(model, tls.listen, "TLS here"));
            over_tls_only_http1 = tls.http2;
        }
        // `proxy_buffering off` beside another handler's pass: the switch of a handler the
        // location does not use, and its own (on) buffers the stream (held-out batch 158:
        // Flask's events behind `uwsgi_pass`, all 40 at the end; measured with a uwsgi
        // stand-in, on time with `uwsgi_buffering off`).
        if b.prefix != "proxy" && crate::semantics::streaming::proxy_buffering_off_here(model, loc)
        {
            certain.push(format!(
                "`proxy_buffering off` here applies to `proxy_pass` only: this location passes \
                 with `{}_pass`, whose `{}` is on, and its response is handed on only when a \
                 buffer fills or the stream ends",
                b.prefix,
                b.directive()
            ));
        }
        // SSI and `sub_filter` are no reason: each passes a chunk on as it reads it (measured
        // with nginx 1.22.1, `ssi_types`/`sub_filter_types text/event-stream` and a chunked
        // upstream: every event on time, rewritten; held-out batch 128's Coze site).
        // HTTP/1.1 to the upstream and nothing holding the body: a chunked upstream streams
        // through buffering (nginx forwards what it has read), so there is nothing to say.
        if certain.is_empty() && b.prefix == "proxy" {
            continue;
        }
        let severity = if certain.is_empty() {
            // FastCGI, uwsgi and SCGI: the framing is the application server's choice.
            message.push_str(
                "; with no gzip or cache here, whether events pass at once depends \
                 on how the application server frames its response",
            );
            Severity::Info
        } else {
            message.push_str("; ");
            message.push_str(&certain.join("; and "));
            if over_tls_only_http1 && certain.len() == 1 {
                // Browsers speak HTTP/2 where the server offers it: the stall is only certain
                // for the clients that do not.
                Severity::Warning
            } else {
                Severity::Error
            }
        };
        // An include we could not read may turn buffering off: withhold the verdict.
        let hv = model.effective(Some(loc), "proxy_http_version");
        let missing =
            crate::semantics::streaming::missing_include_for(model, loc, &[&b.buffering, &hv]);
        let severity = match &missing {
            Some(inc) => {
                message.push_str(&format!(
                    "; unless an include that could not be read turns it off or sets HTTP/1.1: \
                     {inc}"
                ));
                Severity::Info
            }
            None => severity,
        };
        // Only a generic path (`/stream`) says it streams, and not whether SSE or WebSocket
        // (Gotify's `/stream` is a WebSocket): a hedged verdict on a guessed kind is noise.
        if b.stream.transport_guessed && severity == Severity::Info {
            continue;
        }
        let mut diag = Diagnostic::at_node(&RULE, model, loc, message).severity(severity);
        for l in labels {
            diag = diag.label(l);
        }
        let mut help = format!(
            "turn buffering off in this location (`{dir} off;`), or have the application send \
             `X-Accel-Buffering: no` with its streaming responses"
        );
        if accel_header_ignored(model, loc, b.prefix).is_some() {
            help.push_str(&format!(
                " (that header is ignored here: `{}_ignore_headers` lists it)",
                b.prefix
            ));
        }
        if certain.is_empty() {
            help.push_str(
                "; a chunked HTTP/1.1 backend happens to stream through buffering, but the \
                 framing is the backend's choice, and gzip or a cache break it",
            );
        }
        if let Some(what) = folklore_accel_header(model, loc) {
            help.push_str(&format!(
                "; note that `{what} X-Accel-Buffering` does not do this: nginx only reads \
                 `X-Accel-Buffering` from the upstream's response"
            ));
        }
        diag = diag.help(help);
        if missing.is_none()
            && let Some(edit) = set_in_location(model, loc, &dir, "off")
        {
            let title = format!("Turn {dir} off in {}", model.describe_block(Some(loc)));
            // The author wrote `on` here: turning it off is a judgement, never a safe fix.
            diag = diag.fix(if explicitly_on(model, loc, &dir) {
                Fix::unsafe_(title, vec![edit])
            } else {
                Fix::safe(title, vec![edit])
            });
        }
        out.push(diag);
    }
    out
}

/// A server's TLS as the buffering of a stream sees it.
struct Tls {
    /// Its first `listen ... ssl` (or the `ssl on` of nginx before 1.25.1).
    listen: NodeId,
    /// HTTP/2 offered on it (`listen ... http2`, or `http2 on` from 1.25.1): browsers then
    /// speak HTTP/2, whose frames nginx flushes; HTTP/1.1 clients still wait.
    http2: bool,
}

/// The TLS of the server `loc` is in, where HTTP/1.1 clients can reach it.
fn tls_for_http1_clients(
    model: &Model<'_>,
    loc: NodeId,
    version: crate::semantics::directives::Version,
) -> Option<Tls> {
    let server = model.enclosing(loc, "server")?;
    let listens = model.children_named_slice(Some(server), "listen");
    let listen = crate::semantics::tls::tls_listen(model, server).or_else(|| {
        // `ssl on;` (removed in 1.25.1) makes every listen of the server TLS.
        let ssl = model.effective(Some(server), "ssl");
        (version < crate::semantics::directives::Version(1, 25, 1) && flag_on(model, &ssl))
            .then(|| ssl.nodes.first().copied())
            .flatten()
    })?;
    let http2 = listens.iter().any(|&l| model.has_param(l, "http2"))
        || (version >= crate::semantics::directives::Version(1, 25, 1)
            && flag_on(model, &model.effective(Some(server), "http2")));
    Some(Tls { listen, http2 })
}

// ---------------------------------------------------------------------------------------------
// Shared by the buffering rules.

/// A streaming SSE location whose handler buffers the response.
pub(super) struct Buffered<'m> {
    /// Borrowed from the model's streaming decisions (no copy of a reason and endpoint list
    /// per location and rule).
    pub stream: &'m Streaming,
    /// `proxy`, `fastcgi`, `uwsgi` or `scgi`: the prefix of the handler's directives.
    pub prefix: &'static str,
    /// The effective `<prefix>_buffering` (on).
    pub buffering: Effective<'m>,
}

impl Buffered<'_> {
    /// `proxy_buffering`, `fastcgi_buffering`...
    pub fn directive(&self) -> String {
        format!("{}_buffering", self.prefix)
    }
}

/// What [`Model::effective_value`] gives, borrowed from the source for the usual single
/// argument (the streaming rules ask it of every streaming location).
pub(super) fn effective_text<'p>(model: &Model<'p>, eff: &Effective) -> Cow<'p, str> {
    match eff.nodes.first() {
        Some(&n) if model.arg_count(n) == 1 => model.arg_str(n, 0).unwrap_or_default(),
        Some(_) => Cow::Owned(model.effective_value(eff)),
        None => Cow::Borrowed(eff.default),
    }
}

/// Every SSE streaming location (WebSocket-only ones are tunnels: buffering does not apply)
/// whose handler has response buffering on.
pub(super) fn buffered_streams<'m>(cx: &LintContext<'m>) -> Vec<Buffered<'m>> {
    let model = cx.model;
    streaming_locations_ref(model, &cx.settings.streaming)
        .iter()
        // Whether the handler buffers is found once with the streaming decision; the setting
        // itself is looked up only for the streams that buffer.
        .filter(|s| s.sse && s.buffered)
        .filter_map(|s| {
            let prefix = handler_prefix(model.name(s.pass))?;
            // The app turns buffering off itself for these streams (`X-Accel-Buffering: no`,
            // Flowise's predictions), unless the location tells nginx to ignore that header.
            if !s.endpoints.is_empty()
                && s.endpoints.iter().all(|e| e.accel_off)
                && accel_header_ignored(model, s.location, prefix).is_none()
            {
                return None;
            }
            let buffering = model.effective(
                Some(s.location),
                crate::semantics::streaming::buffering_directive(prefix),
            );
            flag_on(model, &buffering).then_some(Buffered {
                stream: s,
                prefix,
                buffering,
            })
        })
        .collect()
}

/// "on (the default for nginx 1.28.0)", "on (set here, nginx.conf:7)".
pub(super) fn value_and_origin(model: &Model<'_>, eff: &Effective) -> String {
    format!("{} ({})", model.effective_value(eff), origin(model, eff))
}

/// [`Model::describe_origin`] without nested parentheses: "set here, nginx.conf:7",
/// "inherited from server at nginx.conf:3", "the default for nginx 1.28.0".
pub(super) fn origin(model: &Model<'_>, eff: &Effective) -> String {
    match (&eff.origin, eff.nodes.first()) {
        (Origin::Here, Some(&n)) => {
            let (f, l) = model.location(n);
            format!("set here, {f}:{l}")
        }
        _ => model.describe_origin(eff),
    }
}

/// "streaming `location /api/chat`" (why it streams is [`why_label`], once per location).
pub(super) fn where_streams(model: &Model<'_>, s: &Streaming) -> String {
    format!("streaming `{}`", model.describe_block(Some(s.location)))
}

/// Why a location streams, as a label on the location; [`super::run`] keeps it on the
/// location's first finding only.
pub(super) fn why_label(model: &Model<'_>, s: &Streaming) -> Label {
    let n = model.node(s.location);
    Label::new(
        model.file_of(s.location),
        n.directive.head_span(),
        // Joined at its exact length (one per streaming finding, kept until the report).
        [super::WHY_PREFIX, &s.reason].concat(),
    )
}

/// The location's own `<prefix>_buffering on`.
fn explicitly_on(model: &Model<'_>, loc: NodeId, dir: &str) -> bool {
    model.children_named(Some(loc), dir).iter().any(|&b| {
        model
            .arg(b, 0)
            .is_some_and(|v| v.eq_ignore_ascii_case("on"))
    })
}

/// A label on the directive that makes an effective value (none for a default).
pub(super) fn origin_label(model: &Model<'_>, eff: &Effective, what: &str) -> Option<Label> {
    let &n = eff.nodes.first()?;
    let text = match &eff.origin {
        Origin::Here => format!("`{what}` set here"),
        Origin::Inherited(level) => {
            format!("`{what}` inherited from `{}`", model.describe_block(*level))
        }
        Origin::Default => return None,
    };
    Some(Label::at_node(model, n, text))
}

/// A label on the location's pass directive.
pub(super) fn pass_label(model: &Model<'_>, s: &Streaming) -> Label {
    let node = model.node(s.pass);
    Label::new(
        model.file_of(s.pass),
        node.directive.head_span(),
        format!("proxied with `{}` here", model.name(s.pass)),
    )
}

/// Where gzip applies to `text/event-stream` in a location.
pub(super) struct Gzip<'m> {
    /// The effective `gzip` (on) at `at`.
    pub gzip: Effective<'m>,
    /// The location itself, or one of its `if` blocks that turns gzip on.
    pub at: NodeId,
    /// The effective `gzip_types` and the entry that covers event streams.
    pub types: Effective<'m>,
    pub entry: String,
}

/// Effective `gzip on` (in the location or in one of its `if` blocks) and an effective
/// `gzip_types` that covers `text/event-stream` (itself or `*`).
/// gzip compresses only the `gzip_types` listed (`text/html` always, `*` everything), so it
/// holds the stream only when its content type (`stream_types`) is listed.
pub(super) fn gzip_applies<'m>(
    model: &'m Model<'_>,
    loc: NodeId,
    stream_types: &[&str],
) -> Option<Gzip<'m>> {
    let types = model.effective(Some(loc), "gzip_types");
    let entry = types.nodes.iter().find_map(|&n| {
        (0..model.arg_count(n))
            .filter_map(|i| model.arg(n, i))
            .find(|t| t == "*" || stream_types.iter().any(|s| t.eq_ignore_ascii_case(s)))
    })?;
    let gzip = model.effective(Some(loc), "gzip");
    if flag_on(model, &gzip) {
        return Some(Gzip {
            gzip,
            at: loc,
            types,
            entry,
        });
    }
    model
        .children_named(Some(loc), "if")
        .into_iter()
        .find_map(|i| {
            let gzip = model.effective(Some(i), "gzip");
            (gzip.origin == Origin::Here && flag_on(model, &gzip)).then(|| Gzip {
                gzip,
                at: i,
                types: types.clone(),
                entry: entry.clone(),
            })
        })
}

/// The effective `<prefix>_ignore_headers` when it lists `X-Accel-Buffering`.
pub(super) fn accel_header_ignored<'m>(
    model: &'m Model<'_>,
    loc: NodeId,
    prefix: &str,
) -> Option<Effective<'m>> {
    let eff = model.effective(Some(loc), &format!("{prefix}_ignore_headers"));
    let listed = eff.nodes.iter().any(|&n| {
        (0..model.arg_count(n))
            .filter_map(|i| model.arg(n, i))
            .any(|h| h.eq_ignore_ascii_case("x-accel-buffering"))
    });
    listed.then_some(eff)
}

/// `add_header X-Accel-Buffering ...` or `proxy_set_header X-Accel-Buffering ...` in effect:
/// the folklore that does not turn nginx's buffering off.
fn folklore_accel_header(model: &Model<'_>, loc: NodeId) -> Option<&'static str> {
    ["add_header", "proxy_set_header"].into_iter().find(|name| {
        model.effective(Some(loc), name).nodes.iter().any(|&n| {
            model
                .arg(n, 0)
                .is_some_and(|h| h.eq_ignore_ascii_case("x-accel-buffering"))
        })
    })
}

/// An edit that makes `name value;` hold in location `loc`: replace the argument of the
/// location's own `name` (keeping its quotes), else add `name value;` as the block's last
/// directive. `None` when the location's own line comes from an included file (editing it would
/// change every includer), is duplicated, or the block cannot take an insertion.
pub(super) fn set_in_location(
    model: &Model<'_>,
    loc: NodeId,
    name: &str,
    value: &str,
) -> Option<Edit> {
    let locn = model.node(loc);
    let loc_file = model.file_of(loc);
    let own = model.children_named(Some(loc), name);
    match own.as_slice() {
        [] => {
            let file = model.program.file(loc_file);
            let (at, text) =
                style::insert_into_block(file, locn.directive, &format!("{name} {value};"))?;
            Some(Edit::insert(loc_file, at, text))
        }
        &[d] => {
            let dn = model.node(d);
            if model.file_of(d) != loc_file || model.included_via(d) != model.included_via(loc) {
                return None;
            }
            let token = dn.directive.arg_tokens().next()?;
            let q = style::quote_of(token.kind());
            Some(Edit::replace(
                model.file_of(d),
                token.span(),
                format!("{q}{value}{q}"),
            ))
        }
        _ => None,
    }
}
