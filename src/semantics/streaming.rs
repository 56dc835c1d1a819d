//! Which locations stream, and why.
//!
//! A streaming rule that fires on every `proxy_pass` is noise; one that misses
//! `location / { proxy_pass http://127.0.0.1:7860; }` (a Gradio app) misses the commonest case.
//! This module decides per location, from (in order of strength): explicit comments
//! (`# ngxlint: streaming|websocket|not-streaming` inside the location or right above it), the
//! mode (`all`/`none`), user patterns, evidence in the config (buffering already off, `Upgrade`
//! headers, `$http_upgrade`, `X-Accel-Buffering`, `text/event-stream`), well-known endpoint paths
//! and well-known upstream ports and names of LLM servers and UIs. Every decision carries a
//! reason a person can check ("`/api/chat` looks like an Ollama chat endpoint").

use crate::syntax::{Element, TokenKind};

use super::model::{Model, NodeId};

/// `--streaming all|auto|none`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Every proxying location is treated as streaming (SSE).
    All,
    /// Decide from comments, config evidence and well-known endpoints.
    #[default]
    Auto,
    /// Only explicit `# ngxlint: streaming|websocket` comments count.
    None,
}

/// What the user configured beyond the mode (from `.ngxlint.yml`, later).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub mode: Mode,
    /// Location path patterns (substring match) that stream.
    pub locations: Vec<String>,
    /// Upstream names or `host:port` that stream.
    pub upstreams: Vec<String>,
}

/// A location that streams, of which kind, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streaming {
    pub location: NodeId,
    /// Server-sent events or another long response (token streams, NDJSON).
    pub sse: bool,
    pub websocket: bool,
    /// The evidence, one sentence fragment ("`/ws` looks like a WebSocket endpoint").
    pub reason: String,
    /// The proxying directive (`proxy_pass`, `fastcgi_pass`...).
    pub pass: NodeId,
    /// `websocket` rests only on the upstream's well-known port or name (likely, not certain:
    /// Gradio 4+ streams over SSE on the same port).
    pub websocket_guessed: bool,
}

/// Directives that hand a request to an upstream.
pub const PASS_DIRECTIVES: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
];

/// Well-known endpoint paths: (substring, sse, websocket, what it looks like).
const ENDPOINTS: &[(&str, bool, bool, &str)] = &[
    (
        "/v1/chat/completions",
        true,
        false,
        "an OpenAI-compatible chat endpoint",
    ),
    (
        "/v1/completions",
        true,
        false,
        "an OpenAI-compatible completions endpoint",
    ),
    (
        "/v1/responses",
        true,
        false,
        "an OpenAI-compatible responses endpoint",
    ),
    ("/api/chat", true, false, "an Ollama chat endpoint"),
    ("/api/generate", true, false, "an Ollama generate endpoint"),
    ("/generate_stream", true, false, "a TGI streaming endpoint"),
    ("/queue/join", true, true, "a Gradio queue endpoint"),
    ("/queue/data", true, false, "a Gradio event-stream endpoint"),
    ("/gradio_api/", true, true, "a Gradio API path"),
    ("/_stcore/stream", false, true, "the Streamlit WebSocket"),
    (
        "/api/kernels/",
        false,
        true,
        "Jupyter kernel channels (WebSocket)",
    ),
    ("/socket.io", false, true, "a Socket.IO endpoint"),
    ("/websocket", false, true, "a WebSocket endpoint"),
    ("/ws", false, true, "a WebSocket endpoint"),
    ("/sse", true, false, "a server-sent events endpoint"),
    ("/events", true, false, "an event-stream endpoint"),
    ("/stream", true, false, "a streaming endpoint"),
];

/// Well-known upstream ports: (port, sse, websocket, what).
const PORTS: &[(u16, bool, bool, &str)] = &[
    (7860, true, true, "Gradio's default port"),
    (11434, true, false, "Ollama's default port"),
    (8501, false, true, "Streamlit's default port"),
    (8188, false, true, "ComfyUI's default port"),
];

/// Well-known upstream name fragments: (fragment, sse, websocket, what).
const NAMES: &[(&str, bool, bool, &str)] = &[
    ("ollama", true, false, "Ollama"),
    ("vllm", true, false, "vLLM"),
    ("tgi", true, false, "Text Generation Inference"),
    ("gradio", true, true, "Gradio"),
    ("open-webui", true, true, "Open WebUI"),
    ("openwebui", true, true, "Open WebUI"),
    ("litellm", true, false, "LiteLLM"),
    ("comfyui", false, true, "ComfyUI"),
    ("streamlit", false, true, "Streamlit"),
];

/// Every streaming location of the model. Computed once per model (the settings of a run do
/// not change between rules); later calls return the same decisions.
pub fn streaming_locations(model: &Model<'_>, settings: &Settings) -> Vec<Streaming> {
    model
        .streaming
        .get_or_init(|| compute(model, settings))
        .clone()
}

fn compute(model: &Model<'_>, settings: &Settings) -> Vec<Streaming> {
    let mut out = Vec::new();
    for (i, n) in model.nodes.iter().enumerate() {
        if &*n.name != "location" || n.directive.block().is_none() {
            continue;
        }
        if let Some(s) = classify(model, i as NodeId, settings) {
            out.push(s);
        }
    }
    out
}

/// Decide one location.
pub fn classify(model: &Model<'_>, loc: NodeId, settings: &Settings) -> Option<Streaming> {
    let pass = pass_directive(model, loc)?;
    let mk = |sse: bool, websocket: bool, reason: String| {
        Some(Streaming {
            location: loc,
            sse,
            websocket,
            reason,
            pass,
            websocket_guessed: false,
        })
    };
    let path = location_path(model, loc);
    match explicit_marker(model, loc) {
        Some(Marker::NotStreaming) => return None,
        Some(Marker::Streaming) => {
            return mk(
                true,
                false,
                "it is marked `# ngxlint: streaming`".to_owned(),
            );
        }
        Some(Marker::WebSocket) => {
            return mk(
                false,
                true,
                "it is marked `# ngxlint: websocket`".to_owned(),
            );
        }
        None => {}
    }
    match settings.mode {
        Mode::None => return None,
        Mode::All => {
            let ws = has_upgrade_evidence(model, loc);
            return mk(
                true,
                ws,
                "`--streaming all` treats every proxied location as streaming".to_owned(),
            );
        }
        Mode::Auto => {}
    }
    if let Some(p) = settings
        .locations
        .iter()
        .find(|p| path.contains(p.as_str()))
    {
        return mk(
            true,
            false,
            format!("`{path}` matches the configured streaming pattern `{p}`"),
        );
    }
    // Evidence in the config, then well-known paths and upstreams; all of them count, so a
    // location with `proxy_buffering off` that proxies to Gradio is both SSE and WebSocket.
    let ws_evidence = has_upgrade_evidence(model, loc);
    let hint = heuristics(model, loc, settings, &path);
    if let Some(r) = sse_evidence(model, loc) {
        let (reason, ws, guessed) = match &hint {
            _ if ws_evidence => (
                format!("{r} and it forwards WebSocket upgrades"),
                true,
                false,
            ),
            Some(h) if h.ws => (format!("{r}, and {}", h.reason), true, h.from_upstream),
            _ => (r, false, false),
        };
        return mk(true, ws, reason).map(|s| Streaming {
            websocket_guessed: guessed,
            ..s
        });
    }
    if ws_evidence {
        // Upgrade headers make it a WebSocket location; an SSE-looking path or upstream (a
        // Gradio app serves both) still makes it stream events too.
        let ws_reason = "it forwards WebSocket upgrade headers (`Upgrade`/`$http_upgrade`)";
        return match hint {
            Some(h) if h.sse => mk(true, true, format!("{ws_reason}, and {}", h.reason)),
            _ => mk(false, true, ws_reason.to_owned()),
        };
    }
    hint.and_then(|h| {
        mk(h.sse, h.ws, h.reason).map(|s| Streaming {
            websocket_guessed: h.ws && h.from_upstream,
            ..s
        })
    })
}

/// What a path or upstream heuristic says.
struct Hint {
    sse: bool,
    ws: bool,
    reason: String,
    /// From the upstream's port or name rather than the location's path.
    from_upstream: bool,
}

/// Path prefixes of long-poll APIs whose `/events` or `/stream` paths return one JSON body
/// (Matrix's client-server `/sync` and `/events`): not streams.
const LONG_POLL: &[&str] = &["/_matrix/"];

/// Well-known endpoints in the path, then well-known upstreams: (sse, websocket, reason).
fn heuristics(model: &Model<'_>, loc: NodeId, settings: &Settings, path: &str) -> Option<Hint> {
    let lower = path.to_ascii_lowercase();
    let long_poll = LONG_POLL.iter().any(|p| lower.contains(p));
    for &(needle, sse, ws, what) in ENDPOINTS {
        let generic = matches!(needle, "/events" | "/stream" | "/sse");
        if path_matches(&lower, needle) && !(generic && long_poll) {
            return Some(Hint {
                sse,
                ws,
                reason: format!("`{path}` looks like {what}"),
                from_upstream: false,
            });
        }
    }
    for target in upstream_targets(model, loc) {
        let t = target.to_ascii_lowercase();
        if let Some(u) = settings
            .upstreams
            .iter()
            .find(|u| t.contains(&u.to_ascii_lowercase()))
        {
            return Some(Hint {
                sse: true,
                ws: false,
                reason: format!(
                    "it proxies to `{target}`, a configured streaming upstream (`{u}`)"
                ),
                from_upstream: true,
            });
        }
        for &(port, sse, ws, what) in PORTS {
            if host_port(&t).1 == Some(port) {
                return Some(Hint {
                    sse,
                    ws,
                    reason: format!("it proxies to `{target}` ({what})"),
                    from_upstream: true,
                });
            }
        }
        for &(name, sse, ws, what) in NAMES {
            if host_port(&t).0.contains(name) {
                return Some(Hint {
                    sse,
                    ws,
                    reason: format!("it proxies to `{target}`, which looks like {what}"),
                    from_upstream: true,
                });
            }
        }
    }
    None
}

/// `/ws` matches `/ws`, `/ws/`, `/api/ws`, `^/ws$` but not `/wsdl`.
fn path_matches(path: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = path[from..].find(needle) {
        let end = from + i + needle.len();
        let next = path[end..].chars().next();
        if needle.ends_with('/')
            || next.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_' && c != '-')
        {
            return true;
        }
        from = end;
    }
    false
}

/// The location's own pass directive (also inside its `if` blocks).
fn pass_directive(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    let n = model.node(loc);
    n.children.iter().copied().find_map(|c| {
        let cn = model.node(c);
        if PASS_DIRECTIVES.contains(&&*cn.name) {
            Some(c)
        } else if &*cn.name == "if" {
            cn.children
                .iter()
                .copied()
                .find(|&g| PASS_DIRECTIVES.contains(&&*model.node(g).name))
        } else {
            None
        }
    })
}

/// The location's pattern as written (`/api/chat`, `~ ^/ws`).
pub fn location_path(model: &Model<'_>, loc: NodeId) -> String {
    let n = model.arg_count(loc);
    model.arg(loc, n.saturating_sub(1)).unwrap_or_default()
}

enum Marker {
    Streaming,
    WebSocket,
    NotStreaming,
}

/// `# ngxlint: streaming` inside the block, or in the comments right above the location.
fn explicit_marker(model: &Model<'_>, loc: NodeId) -> Option<Marker> {
    let n = model.node(loc);
    let src = model.src(loc);
    let parse = |text: &[u8]| -> Option<Marker> {
        let rest = crate::lint::ngxlint_comment(text)?;
        let word = rest.split_whitespace().next()?;
        match word {
            "streaming" | "sse" => Some(Marker::Streaming),
            "websocket" => Some(Marker::WebSocket),
            "not-streaming" => Some(Marker::NotStreaming),
            _ => None,
        }
    };
    if let Some(block) = n.directive.block() {
        for e in &block.items {
            if let Element::Token(t) = e
                && t.kind == TokenKind::Comment
                && let Some(m) = parse(t.text(src))
            {
                return Some(m);
            }
        }
    }
    // Comments directly above: walk the parent's items backwards from this directive.
    let siblings: &[Element] = match n.parent {
        Some(p) if model.node(p).file == n.file => &model.node(p).directive.block()?.items,
        None if n.file == 0 => &model.program.file(0).syntax.items,
        _ => &model.program.file(n.file).syntax.items,
    };
    let idx = siblings
        .iter()
        .position(|e| matches!(e, Element::Directive(d) if std::ptr::eq(&**d, n.directive)))?;
    for e in siblings[..idx].iter().rev() {
        match e {
            Element::Token(t) if t.kind == TokenKind::Comment => {
                if let Some(m) = parse(t.text(src)) {
                    return Some(m);
                }
            }
            Element::Token(t) if matches!(t.kind, TokenKind::Space | TokenKind::Newline) => {}
            _ => break,
        }
    }
    None
}

/// `Upgrade` / `Connection upgrade` headers in effect, or `$http_upgrade` used in the location.
fn has_upgrade_evidence(model: &Model<'_>, loc: NodeId) -> bool {
    let eff = model.effective(Some(loc), "proxy_set_header");
    let header_says = eff.nodes.iter().any(|&h| {
        let name = model.arg(h, 0).unwrap_or_default().to_ascii_lowercase();
        let value = model.arg(h, 1).unwrap_or_default().to_ascii_lowercase();
        // `Upgrade ""` clears the header: that is a location opting out, not a WebSocket one.
        (name == "upgrade" && !value.is_empty())
            || (name == "connection" && value.contains("upgrade"))
    });
    header_says || mentions(model, loc, "$http_upgrade")
}

/// Buffering already off, `X-Accel-Buffering`, or `text/event-stream` mentioned.
fn sse_evidence(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let eff = model.effective(Some(loc), "proxy_buffering");
    if let Some(&b) = eff.nodes.first()
        && model
            .arg(b, 0)
            .is_some_and(|v| v.eq_ignore_ascii_case("off"))
    {
        return Some("it already turns `proxy_buffering` off".to_owned());
    }
    // `proxy_ignore_headers X-Accel-Buffering` shows the author wanted buffering: not evidence.
    if mentions_outside(model, loc, "x-accel-buffering", "_ignore_headers") {
        return Some("it mentions `X-Accel-Buffering`".to_owned());
    }
    if mentions(model, loc, "text/event-stream") {
        return Some("it mentions `text/event-stream`".to_owned());
    }
    None
}

/// Does any directive inside the location (case-insensitively) contain `needle`?
fn mentions(model: &Model<'_>, loc: NodeId, needle: &str) -> bool {
    mentions_outside(model, loc, needle, "\0")
}

/// Like [`mentions`], ignoring directives whose name ends with `skip_suffix`.
fn mentions_outside(model: &Model<'_>, loc: NodeId, needle: &str, skip_suffix: &str) -> bool {
    let mut stack = vec![loc];
    while let Some(id) = stack.pop() {
        let n = model.node(id);
        if n.name.ends_with(skip_suffix) {
            continue;
        }
        // Raw token bytes, no allocation: the needles contain no quotes or escapes.
        let src = model.src(id);
        if n.directive
            .arg_tokens()
            .any(|t| contains_ignore_case(t.text(src), needle.as_bytes()))
        {
            return true;
        }
        stack.extend(n.children.iter().copied());
    }
    false
}

/// ASCII case-insensitive substring test (`needle` is lowercase).
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
}

/// Where the location's pass directive sends requests: the URL's authority, and for an
/// `upstream` name, each of its servers; variables are resolved through `set` when possible.
pub fn upstream_targets(model: &Model<'_>, loc: NodeId) -> Vec<String> {
    let Some(pass) = pass_directive(model, loc) else {
        return Vec::new();
    };
    let Some(mut url) = model.arg(pass, 0) else {
        return Vec::new();
    };
    // `proxy_pass $backend;` with `set $backend http://...;` in the location or server.
    if let Some(var) = url.strip_prefix('$') {
        let var = var.trim_matches(|c| c == '{' || c == '}');
        if let Some(v) = resolve_set(model, loc, var) {
            url = v;
        }
    }
    let authority = url
        .split_once("://")
        .map_or(url.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned();
    let mut out = vec![authority.clone()];
    let name = authority.split(':').next().unwrap_or("");
    for &u in model.upstreams_named(name) {
        for s in model.children_named(Some(u), "server") {
            if let Some(a) = model.arg(s, 0) {
                out.push(a);
            }
        }
    }
    out
}

fn resolve_set(model: &Model<'_>, loc: NodeId, var: &str) -> Option<String> {
    for level in std::iter::once(loc).chain(model.ancestors(loc)) {
        for s in model.children_named(Some(level), "set") {
            if model.arg(s, 0).as_deref() == Some(&format!("${var}")) {
                return model.arg(s, 1);
            }
        }
    }
    None
}

/// `host:port` → (host, port); `unix:` sockets and bare names have no port.
fn host_port(target: &str) -> (&str, Option<u16>) {
    if target.starts_with("unix:") {
        return (target, None);
    }
    match target.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, p.parse().ok()),
        _ => (target, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_paths_match_whole_segments() {
        assert!(path_matches("/ws", "/ws"));
        assert!(path_matches("/api/ws/", "/ws"));
        assert!(path_matches("^/ws$", "/ws"));
        assert!(!path_matches("/wsdl", "/ws"));
        assert!(path_matches("/gradio_api/queue", "/gradio_api/"));
    }

    #[test]
    fn host_ports() {
        assert_eq!(host_port("127.0.0.1:7860"), ("127.0.0.1", Some(7860)));
        assert_eq!(host_port("ollama"), ("ollama", None));
    }
}
