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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::syntax::{Element, TokenKind};

use super::apps::{self, App, Endpoint, Transport};
use super::headers::NamedLines;
use super::model::{Effective, FnvBuild, Model, NodeId};
use super::script::variable_at;

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

/// How strong the evidence that a location streams is, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Evidence {
    /// A `# ngxlint:` marker, `--streaming all` or a configured pattern.
    Explicit,
    /// The location's own configuration (`Upgrade` headers, buffering off, `text/event-stream`).
    Config,
    /// The location routes a known streaming endpoint (of a recognised app, or a well-known
    /// path such as `/v1/chat/completions`).
    Endpoint,
}

/// A location that streams, of which kind, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streaming {
    pub location: NodeId,
    /// Server-sent events or another long response (token streams, NDJSON).
    pub sse: bool,
    pub websocket: bool,
    /// The evidence, one sentence fragment ("`/ws` looks like a WebSocket endpoint"). Shared
    /// between the locations with the same reason (most say one of a few things, and a
    /// large configuration has tens of thousands of streaming locations).
    pub reason: crate::rules::Text,
    /// The proxying directive (`proxy_pass`, `fastcgi_pass`...).
    pub pass: NodeId,
    /// `websocket` is likely, not certain: it rests on the upstream's default port, or on an
    /// endpoint that is a WebSocket only in some versions of the app (Gradio 3.x).
    pub websocket_guessed: bool,
    /// `websocket` rests on the location's name alone (`/ws`, or Jupyter's `/api/kernels/`
    /// with no Jupyter the table recognises behind it): likely, but `ws` is also a web
    /// service's word (a REST API under `/ws/`, held-out batch 118), so it is said as a
    /// warning. The fix stays safe: the upgrade headers change nothing for plain requests.
    pub websocket_named: bool,
    pub evidence: Evidence,
    /// Known endpoints this location routes (what their heartbeats and first bytes are).
    pub endpoints: Box<[&'static Endpoint]>,
    /// Only long-polls: neither SSE nor WebSocket, but long silences all the same.
    pub long_poll: bool,
    /// The upstream names a known app (or is its default port on a host that names nothing
    /// else) none of whose long-lived endpoints this location routes: whatever the config says,
    /// the app answers here with ordinary responses (Lemmy after it dropped its WebSocket API),
    /// so no silence needs a long timeout.
    pub app_plain: bool,
    /// Nothing but `proxy_buffering off` says it streams: no endpoint path, no recognised app,
    /// no `Upgrade` headers, no `text/event-stream` or `X-Accel-Buffering`. Buffering is turned
    /// off for many reasons (large downloads, media) and copied between blocks, so it says the
    /// location may stream, not that it stays silent for long.
    pub config_only: bool,
    /// The kind of stream rests on a generic path name only (`/stream` is an SSE endpoint
    /// in some apps and a WebSocket in others, Gotify's).
    pub transport_guessed: bool,
    /// An SSE stream whose handler buffers responses (`proxy_buffering` or its `fastcgi_`,
    /// `uwsgi_`, `scgi_` kin is on here): four rules ask, and look the setting up only then.
    pub buffered: bool,
    /// The app a name says the location proxies to, where the classification asked
    /// ([`Routes::app_named`] without asking again: at 1 MB that was 5 % of a run).
    pub named_app: NamedApp,
}

/// What the classification learnt of a location's app ([`Streaming::named_app`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedApp {
    /// It did not ask (a location it decided before reading the upstream).
    NotAsked,
    /// No name says which app (none is known, or only a default port).
    Unknown,
    /// The app a name says, by its place in [`apps::APPS`] (a byte: the decision stays 48
    /// bytes).
    Named(u8),
}

impl NamedApp {
    fn of(app: &App) -> NamedApp {
        apps::APPS
            .iter()
            .position(|a| a.id == app.id)
            .and_then(|i| u8::try_from(i).ok())
            .map_or(NamedApp::Unknown, NamedApp::Named)
    }

    /// The app, where a name says it.
    pub fn app(self) -> Option<&'static App> {
        match self {
            NamedApp::Named(i) => apps::APPS.get(usize::from(i)),
            _ => None,
        }
    }
}

/// The directive prefix of a pass directive's handler; `None` for `grpc_pass` (gRPC responses
/// are never buffered) and anything unknown.
pub fn handler_prefix(pass_name: &str) -> Option<&'static str> {
    match pass_name {
        "proxy_pass" => Some("proxy"),
        "fastcgi_pass" => Some("fastcgi"),
        "uwsgi_pass" => Some("uwsgi"),
        "scgi_pass" => Some("scgi"),
        _ => None,
    }
}

/// Each buffering handler's prefix ([`handler_prefix`]), its buffering switch, and what the
/// streaming classification says when the switch is off there.
const BUFFERING: &[(&str, &str, &str)] = &[
    (
        "proxy",
        "proxy_buffering",
        "it already turns `proxy_buffering` off",
    ),
    (
        "fastcgi",
        "fastcgi_buffering",
        "it already turns `fastcgi_buffering` off",
    ),
    (
        "uwsgi",
        "uwsgi_buffering",
        "it already turns `uwsgi_buffering` off",
    ),
    (
        "scgi",
        "scgi_buffering",
        "it already turns `scgi_buffering` off",
    ),
];

/// The buffering switch of a handler and the sentence for it off ([`BUFFERING`]; `scgi`'s for
/// any other prefix).
fn buffering_of(prefix: &str) -> (&'static str, &'static str) {
    let (_, directive, off) = BUFFERING
        .iter()
        .find(|(p, _, _)| *p == prefix)
        .unwrap_or(&BUFFERING[3]);
    (directive, off)
}

/// The name of a handler's buffering switch.
pub fn buffering_directive(prefix: &str) -> &'static str {
    buffering_of(prefix).0
}

/// The decision with whether its handler buffers (for SSE streams).
fn with_buffering(model: &Model<'_>, mut s: Streaming) -> Streaming {
    if !s.sse {
        return s;
    }
    let Some(prefix) = handler_prefix(model.name(s.pass)) else {
        return s;
    };
    let eff = model.effective(Some(s.location), buffering_directive(prefix));
    s.buffered = flag_on(model, &eff);
    s
}

/// Is an effective flag on? (`on` in any case; a default of `on`.)
pub fn flag_on(model: &Model<'_>, eff: &Effective) -> bool {
    // What `effective_value(eff).eq_ignore_ascii_case("on")` says, without joining the
    // arguments into a string: the joined value is `on` only for a single argument `on`.
    match eff.nodes.first() {
        Some(&n) => {
            model.arg_count(n) == 1
                && model
                    .arg_str(n, 0)
                    .is_some_and(|v| v.eq_ignore_ascii_case("on"))
        }
        None => eff.default.eq_ignore_ascii_case("on"),
    }
}

impl Streaming {
    /// The `Content-Type`s its long response bodies have: the known endpoints' (Ollama's
    /// NDJSON is `application/x-ndjson`), else `text/event-stream`.
    pub fn body_content_types(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for e in &self.endpoints {
            let t = match (e.content_type, e.transport) {
                (Some(t), _) => t,
                (None, Transport::Sse) => "text/event-stream",
                (None, Transport::Ndjson) => "application/x-ndjson",
                (None, Transport::Mjpeg) => "multipart/x-mixed-replace",
                _ => continue,
            };
            if !out.contains(&t) {
                out.push(t);
            }
        }
        if out.is_empty() {
            out.push("text/event-stream");
        }
        out
    }
}

/// Directives that hand a request to an upstream.
pub const PASS_DIRECTIVES: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
];

/// Well-known endpoint paths in a location's own pattern: (substring, sse, websocket, what it
/// looks like). Facts (heartbeat, first byte) come from the app table when it knows the path.
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
    (
        "/api/agent-invocation/",
        false,
        true,
        "AnythingLLM's agent WebSocket",
    ),
    ("/_stcore/stream", false, true, "the Streamlit WebSocket"),
    // Mastodon's, and the Mastodon API's of Pleroma, Akkoma and GoToSocial: events at
    // `/api/v1/streaming/<stream>`, a WebSocket at `/api/v1/streaming` (the web UI's; held-out
    // batch 167, measured: without the upgrade headers the handshake got 200).
    (
        "/api/v1/streaming",
        true,
        true,
        "the Mastodon streaming API (events and WebSocket)",
    ),
    (
        "/api/kernels/",
        false,
        true,
        "Jupyter kernel channels (WebSocket)",
    ),
    ("/socket.io", false, true, "a Socket.IO endpoint"),
    (
        "/connection/websocket",
        false,
        true,
        "Centrifugo's WebSocket endpoint",
    ),
    ("/websockify", false, true, "noVNC's websockify endpoint"),
    ("/websocket", false, true, "a WebSocket endpoint"),
    ("/ws", false, true, "a WebSocket endpoint"),
    ("/sse", true, false, "a server-sent events endpoint"),
    ("/events", true, false, "an event-stream endpoint"),
    ("/stream", true, false, "a streaming endpoint"),
];

/// Every streaming location of the model. Computed once per model (the settings of a run do
/// not change between rules); later calls return the same decisions.
pub fn streaming_locations(model: &Model<'_>, settings: &Settings) -> Vec<Streaming> {
    streaming_locations_ref(model, settings).to_vec()
}

/// [`streaming_locations`], borrowed from the model: no copy of every decision (a reason and
/// an endpoint list per location) for each rule that asks.
///
/// Where the rule threads share the classification out ([`share_classification`]), a thread
/// that asks first takes the chunks no thread has taken yet, then waits for the others'.
pub fn streaming_locations_ref<'m>(model: &'m Model<'_>, settings: &Settings) -> &'m [Streaming] {
    if let Some(done) = model.streaming.get() {
        return done;
    }
    if let Some(shared) = model.streaming_shared.get() {
        shared.help(model, settings);
        return shared.wait(model);
    }
    model.streaming.get_or_init(|| compute(model, settings))
}

fn compute(model: &Model<'_>, settings: &Settings) -> Vec<Streaming> {
    classify_all(
        model,
        model.directives_named("location"),
        settings,
        &Router::default(),
    )
}

/// The classification shared out among threads in chunks of consecutive locations (issue #13:
/// one thread classified every location while the other, out of work that did not need the
/// classification, waited for it: at 50 MB a quarter of a second of one core idle). Each
/// chunk's decisions are kept until the last chunk is done, then put together in walk order,
/// as one thread would have made them.
pub struct SharedClassification {
    /// How many chunks the locations are cut into.
    chunks: usize,
    /// The next chunk no thread has taken.
    next: std::sync::atomic::AtomicUsize,
    state: std::sync::Mutex<Chunks>,
    /// Told when the classification is complete, or a chunk failed.
    finished: std::sync::Condvar,
}

impl std::fmt::Debug for SharedClassification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedClassification")
            .field("chunks", &self.chunks)
            .finish_non_exhaustive()
    }
}

/// The chunks classified so far.
struct Chunks {
    done: Vec<Option<Vec<Streaming>>>,
    left: usize,
    /// A thread classifying a chunk panicked: nobody may wait for it.
    failed: bool,
}

/// The fewest locations in a chunk: below it, a chunk costs less than the threads' hand-over.
const CHUNK_LOCATIONS: usize = 256;

/// Let the threads of a run share the classification of `model` out (see
/// [`SharedClassification`]): up to `4 * threads` chunks, each of [`CHUNK_LOCATIONS`] or
/// more. The first ask of [`streaming_locations_ref`] on each thread, or [`help_classify`],
/// takes chunks. Does nothing where the classification is made, or shared, already.
pub fn share_classification(model: &Model<'_>, threads: usize) {
    if model.streaming.get().is_some() {
        return;
    }
    let locations = model.directives_named("location").len();
    let chunks = (locations / CHUNK_LOCATIONS).clamp(1, 4 * threads.max(1));
    let _ = model.streaming_shared.set(SharedClassification {
        chunks,
        next: std::sync::atomic::AtomicUsize::new(0),
        state: std::sync::Mutex::new(Chunks {
            done: (0..chunks).map(|_| None).collect(),
            left: chunks,
            failed: false,
        }),
        finished: std::sync::Condvar::new(),
    });
}

/// Take chunks of a shared classification until none is left (without waiting for those
/// other threads took); nothing where the classification is not shared.
pub fn help_classify(model: &Model<'_>, settings: &Settings) {
    if model.streaming.get().is_none()
        && let Some(shared) = model.streaming_shared.get()
    {
        shared.help(model, settings);
    }
}

impl SharedClassification {
    fn help(&self, model: &Model<'_>, settings: &Settings) {
        let locations = model.directives_named("location");
        // One router per thread, for all the chunks it takes: its caches (compiled regexes,
        // the apps of each upstream) serve them all.
        let mut router = None;
        loop {
            let k = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if k >= self.chunks {
                return;
            }
            let from = locations.len() * k / self.chunks;
            let to = locations.len() * (k + 1) / self.chunks;
            let failed = FailedChunk(self);
            let router = router.get_or_insert_with(Router::default);
            let found = classify_all(model, &locations[from..to], settings, router);
            std::mem::forget(failed);
            self.finish(model, k, found);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Chunks> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn finish(&self, model: &Model<'_>, k: usize, found: Vec<Streaming>) {
        let mut state = self.lock();
        state.done[k] = Some(found);
        state.left -= 1;
        if state.left == 0 {
            let total = state.done.iter().flatten().map(Vec::len).sum();
            let mut all = Vec::with_capacity(total);
            for chunk in &mut state.done {
                all.append(&mut chunk.take().unwrap_or_default());
            }
            let _ = model.streaming.set(all);
            self.finished.notify_all();
        }
    }

    fn wait<'m>(&self, model: &'m Model<'_>) -> &'m [Streaming] {
        let mut state = self.lock();
        loop {
            if let Some(done) = model.streaming.get() {
                return done;
            }
            // A panic on another thread is reported by the run when its threads are joined;
            // this one must not wait for a chunk that will never come.
            assert!(
                !state.failed,
                "the streaming classification failed on another thread"
            );
            state = self
                .finished
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

/// Armed while a thread classifies a chunk: dropped only if that panics (it is forgotten
/// otherwise), and then tells the waiting threads.
struct FailedChunk<'a>(&'a SharedClassification);

impl Drop for FailedChunk<'_> {
    fn drop(&mut self) {
        self.0.lock().failed = true;
        self.0.finished.notify_all();
    }
}

/// The decisions for `locations` (in walk order), one by one.
fn classify_all(
    model: &Model<'_>,
    locations: &[NodeId],
    settings: &Settings,
    router: &Router,
) -> Vec<Streaming> {
    // Only the locations (the model's by-name index, in walk order), not every node. Room for
    // each of them at once: no copies while the list grows (pages never written to are never
    // resident).
    let mut out = Vec::with_capacity(locations.len());
    for &loc in locations {
        if model.node(loc).directive.block().is_none() {
            continue;
        }
        if let Some(mut s) = classify_with(model, loc, settings, router) {
            s.named_app = router.named_app_asked(loc);
            out.push(with_buffering(model, s));
        }
    }
    out
}

/// Is the location's whole path the generic word (`/events/`), mounted onto a URI without it
/// (`proxy_pass http://events:5000/;`)? Then the word names a service (Bitwarden's event
/// collector, which takes `POST /collect`), and the backend never sees it: no evidence of an
/// endpoint that streams.
fn mount_renamed(model: &Model<'_>, loc: NodeId, lower: &str, needle: &str) -> bool {
    if lower.trim_end_matches('/') != needle {
        return false;
    }
    let Some(pass) = pass_directive(model, loc).filter(|&p| model.name(p) == "proxy_pass") else {
        return false;
    };
    let Some(url) = model.arg_str(pass, 0) else {
        return false;
    };
    // None (the request's own path is passed) is no rename.
    let Some(uri) = url_uri(&url) else {
        return false;
    };
    let uri = uri.to_ascii_lowercase();
    !uri.contains(&needle[1..]) && !uri.contains('$')
}

/// Is the location's whole path the generic word (`/events`), proxied to a service named for
/// it (`event-service`), in a server that routes another path the same way (`/shifts` to
/// `shift-service`)? That is an API gateway handing each resource to its microservice, and the
/// word names a collection of records, not a stream (held-out batch 482, a gateway's `location
/// /events` to a Go service's JSON CRUD routes: measured, `application/json` with a length).
fn resource_service_route(model: &Model<'_>, loc: NodeId, lower: &str, needle: &str) -> bool {
    let word = lower.trim_end_matches('/');
    if word != needle || !service_named_for(model, loc, &word[1..]) {
        return false;
    }
    let Some(server) = server_level(model, loc) else {
        return false;
    };
    model
        .children_named_slice(server, "location")
        .iter()
        .any(|&other| {
            if other == loc || model.arg_count(other) != 1 {
                return false;
            }
            let path = location_path(model, other).to_ascii_lowercase();
            let Some(word) = path.trim_end_matches('/').strip_prefix('/') else {
                return false;
            };
            !word.is_empty() && !word.contains('/') && service_named_for(model, other, word)
        })
}

/// Does `loc` proxy to a host whose first label is `word` (or its singular) with a service
/// suffix: `event-service`, `events_api`, `shiftservice`?
fn service_named_for(model: &Model<'_>, loc: NodeId, word: &str) -> bool {
    let Some(authority) = pass_authority(model, loc) else {
        return false;
    };
    let label = authority
        .split(['.', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let singular = word.strip_suffix('s').unwrap_or(word);
    [word, singular].iter().any(|w| {
        label.strip_prefix(w).is_some_and(|rest| {
            // `event-service`, `event-service-india-dev` (an OpenShift route's host).
            let rest = rest.trim_start_matches(['-', '_']);
            ["service", "svc", "api"].iter().any(|s| {
                rest.strip_prefix(s)
                    .is_some_and(|more| more.is_empty() || more.starts_with(['-', '_']))
            })
        })
    })
}

/// The URI of a `*_pass` URL, after `scheme://authority` (`/chat` of
/// `http://127.0.0.1:8080/chat`): `None` where it has none, and the request's own path is
/// passed on.
fn url_uri(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map(|slash| &rest[slash..])
}

/// Decide one location.
pub fn classify(model: &Model<'_>, loc: NodeId, settings: &Settings) -> Option<Streaming> {
    classify_with(model, loc, settings, &Router::default()).map(|s| with_buffering(model, s))
}

fn classify_with(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
    router: &Router,
) -> Option<Streaming> {
    let pass = pass_directive(model, loc)?;
    let mk = |sse: bool, websocket: bool, evidence: Evidence, reason: String| {
        Some(Streaming {
            location: loc,
            sse,
            websocket,
            reason: reason.into(),
            pass,
            websocket_guessed: false,
            websocket_named: false,
            evidence,
            endpoints: Box::default(),
            long_poll: false,
            app_plain: false,
            config_only: false,
            transport_guessed: false,
            buffered: false,
            named_app: NamedApp::NotAsked,
        })
    };
    match explicit_marker(model, loc) {
        Some(Marker::NotStreaming) => return None,
        Some(Marker::Streaming) => {
            return mk(
                true,
                false,
                Evidence::Explicit,
                "it is marked `# ngxlint: streaming`".to_owned(),
            );
        }
        Some(Marker::WebSocket) => {
            return mk(
                false,
                true,
                Evidence::Explicit,
                "it is marked `# ngxlint: websocket`".to_owned(),
            );
        }
        None => {}
    }
    // Everything the location's directives mention, in one walk.
    let mentions = Mentions::of(model, loc, &mut router.stack.borrow_mut());
    match settings.mode {
        Mode::None => return None,
        Mode::All => {
            let ws = has_upgrade_evidence(model, loc, false, &mentions, router);
            return mk(
                true,
                ws,
                Evidence::Explicit,
                "`--streaming all` treats every proxied location as streaming".to_owned(),
            );
        }
        Mode::Auto => {}
    }
    let path = location_path(model, loc);
    let path = &*path;
    if let Some(p) = settings
        .locations
        .iter()
        .find(|p| path.contains(p.as_str()))
    {
        return mk(
            true,
            false,
            Evidence::Explicit,
            format!("`{path}` matches the configured streaming pattern `{p}`"),
        );
    }
    // A location that serves files is never streaming by inference; only its own headers
    // (an author who set `Upgrade` here) still count.
    // The pattern lowercased once (most already are) for the path tests below.
    let lower = ascii_lowercase(path);
    // A well-known document answers with one small body whatever headers were copied into
    // its location (NocoBase's `/.well-known/openid-configuration` with the `Upgrade` pair of
    // every block); Mercure's hub, also under `/.well-known/`, is an event stream.
    if names_well_known_document(&lower) {
        return None;
    }
    // A `return` at the server's own level answers every request in nginx's server rewrite
    // phase, before a location is even looked for: none of its locations runs (the usual
    // `listen 80; return 301 https://...;` beside a copied `location /`).
    if model
        .enclosing(loc, "server")
        .is_some_and(|s| !model.children_named_slice(Some(s), "return").is_empty())
    {
        return None;
    }
    let statik = serves_static_path(model, loc, &lower);
    let ws_evidence = has_upgrade_evidence(model, loc, statik, &mentions, router);
    let hint = if statik {
        None
    } else {
        heuristics(model, loc, settings, path, &lower, router)
    };
    let with_hint = |mut s: Streaming, h: &Hint| {
        s.endpoints = h.endpoints.as_slice().into();
        s
    };
    // The app's own word on this location, for the config-evidence cases below.
    let no_hint = hint.is_none();
    let app_plain = || {
        no_hint
            && !buffering_explicitly_on(model, loc)
            && model.name(pass) == "proxy_pass"
            && router
                .recognise(model, loc, settings)
                .is_some_and(|(app, _, _)| {
                    // By name, or by its default port on a host that names nothing else.
                    !app.endpoints
                        .iter()
                        .any(|e| e.transport.long_lived() && router.routes(model, loc, e.path))
                })
    };
    let mk = |sse: bool, websocket: bool, evidence: Evidence, reason: String| {
        mk(sse, websocket, evidence, reason).map(|s| Streaming {
            app_plain: app_plain(),
            ..s
        })
    };
    // `proxy_buffering off` beside `Upgrade` headers is part of the usual WebSocket recipe (a
    // tunnel is never buffered anyway): no sign of an event stream by itself (Bokeh's,
    // headscale's and Syncthing's documented configurations), nor in a location whose path
    // names a WebSocket endpoint only (JumpServer's `/ws/`, daphne pinging every 20 s).
    let ws_path_only = hint.as_ref().is_some_and(|h| h.ws && !h.sse);
    // `Upgrade $http_upgrade` beside the location's own `Connection keep-alive` (or `""`,
    // `close`) is ASP.NET Core's documented template, copied in front of apps with a
    // WebSocket (SignalR) and without one (Jackett, held-out batch 125): where no path or app
    // says WebSocket, the `Upgrade` line makes one likely, not certain.
    let copied_upgrade = ws_evidence
        && !hint.as_ref().is_some_and(|h| h.ws)
        && own_connection_without_upgrade(model, loc);
    // And where a location beside it, to the same backend, takes the handshakes with the whole
    // recipe (`Upgrade` and a `Connection` naming `upgrade`), the author has said where
    // WebSockets go: the copied `Upgrade` line here is no sign of one (Flet's documented
    // `location /` with `Connection keep-alive` beside its `location /ws`, held-out batch 185;
    // measured, the app's WebSocket upgraded through `/ws`).
    // Nor where the location's own lines are an event stream's, unbuffered and with its own
    // `Connection` without `upgrade` (`""`, `keep-alive`): no handshake could upgrade through
    // them, and nothing else says WebSocket (held-out batch 221, a vLLM dashboard's `/api/`:
    // measured, its events streamed; its source has no WebSocket).
    let ws_evidence = ws_evidence
        && !(copied_upgrade
            && hint.is_none()
            && !own_connection_value(model, loc, names_upgrade)
            && (own_line(model, loc, "proxy_buffering", "off")
                || websocket_sibling(model, loc, router)));
    let buffering_off_only = (no_hint || ws_path_only) && !strong_sse_evidence(&mentions);
    if let Some(r) = sse_evidence(model, loc, pass, &mentions)
        .filter(|_| !(statik || (ws_evidence && buffering_off_only)))
    {
        let (reason, ws, guessed) = match &hint {
            _ if ws_evidence => (
                [r, " and it forwards WebSocket upgrades"].concat(),
                true,
                copied_upgrade,
            ),
            Some(h) if h.ws => ([r, ", and ", &h.reason].concat(), true, h.ws_guessed),
            // What the stream is, where the path or the app says (`/v1/` routing LiteLLM's
            // chat completions): buffering turned off says only that it may stream.
            Some(h) if !h.generic && !h.endpoints.is_empty() => {
                ([r, ", and ", &h.reason].concat(), false, false)
            }
            _ => (r.to_owned(), false, false),
        };
        let s = mk(true, ws, Evidence::Config, reason)?;
        let s = match &hint {
            Some(h) => with_hint(s, h),
            None => s,
        };
        return Some(Streaming {
            websocket_guessed: guessed,
            websocket_named: ws && !guessed && hint.as_ref().is_some_and(|h| h.ws && h.ws_named),
            config_only: no_hint && !ws_evidence && !strong_sse_evidence(&mentions),
            ..s
        });
    }
    if ws_evidence {
        // Upgrade headers make it a WebSocket location; an SSE-looking path or upstream (a
        // Gradio app serves both) still makes it stream events too.
        let ws_reason = "it forwards WebSocket upgrade headers (`Upgrade`/`$http_upgrade`)";
        let decided = match &hint {
            Some(h) if h.sse && !h.generic => mk(
                true,
                true,
                Evidence::Config,
                [ws_reason, ", and ", &h.reason].concat(),
            )
            .map(|s| with_hint(s, h)),
            // The app's own WebSocket endpoint says what the stream is.
            Some(h) if h.ws && !h.generic && !h.endpoints.is_empty() => mk(
                false,
                true,
                Evidence::Config,
                [ws_reason, ", and ", &h.reason].concat(),
            )
            .map(|s| with_hint(s, h)),
            Some(h) => {
                mk(false, true, Evidence::Config, ws_reason.to_owned()).map(|s| with_hint(s, h))
            }
            None => mk(false, true, Evidence::Config, ws_reason.to_owned()),
        };
        return decided.map(|s| Streaming {
            websocket_guessed: copied_upgrade,
            ..s
        });
    }
    let mut h = hint?;
    let reason = std::mem::take(&mut h.reason);
    let s = mk(h.sse, h.ws, Evidence::Endpoint, reason)?;
    Some(Streaming {
        websocket_guessed: h.ws && h.ws_guessed,
        websocket_named: h.ws && h.ws_named,
        long_poll: h.long_poll && !h.sse && !h.ws,
        transport_guessed: h.transport_guessed,
        ..with_hint(s, &h)
    })
}

/// What a path or upstream heuristic says.
struct Hint {
    /// From a generic name in the path (`/events`, `/stream`, `/sse`): weaker than the
    /// location's own WebSocket headers.
    generic: bool,
    sse: bool,
    ws: bool,
    long_poll: bool,
    reason: String,
    /// The WebSocket part is a guess (default port, version-dependent endpoint).
    ws_guessed: bool,
    /// The WebSocket part rests on the path's name alone (`/ws`).
    ws_named: bool,
    /// SSE or WebSocket, the path does not say (`/stream`).
    transport_guessed: bool,
    endpoints: Vec<&'static Endpoint>,
}

/// Path prefixes of long-poll APIs whose `/events` or `/stream` paths return one JSON body
/// (Matrix's client-server `/sync` and `/events`): not streams.
const LONG_POLL: &[&str] = &["/_matrix/"];

/// The app the location's upstream names, and how: by name (certain enough) or by default
/// port only (a guess).
fn recognise(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
    router: Option<&Router>,
) -> Recognised {
    let authority = pass_authority(model, loc)?;
    // Every location proxying to the same authority has the same targets: their verdict is
    // worked out once per run (a server's locations usually share one upstream).
    let targets = match router {
        Some(r) => r.target_apps(model, authority, settings),
        None => Rc::new(target_apps(model, authority, settings)),
    };
    if targets.configured {
        return None;
    }
    if let Some((app, target)) = &targets.by_name {
        return Some((app, How::Upstream(target.clone()), false));
    }
    // The author's own word on the pass line (`proxy_pass http://127.0.0.1:8889;  # FileBrowser`)
    // names the app as surely as an upstream name does.
    if let Some(pass) = pass_directive(model, loc) {
        if let Some(comment) = trailing_comment(model, pass)
            && let Some(app) = apps::by_name(comment)
        {
            return Some((app, How::Comment(comment.to_owned()), false));
        }
        // So does a comment on the line right above it (`# Route to the Vaultwarden
        // container`, held-out batch 125), unless the port it proxies to is none the app
        // listens on by default: a note about the app behind another service (`# set the base
        // url of jupyterhub` above JupyterHub's proxy on 8000, not Jupyter Server's 8888).
        if let Some(comment) = heading_comment(model, pass)
            && let Some(app) = apps::by_name(comment)
            && port_allows(app, &targets.ports)
        {
            return Some((app, How::Comment(comment.to_owned()), false));
        }
    }
    // The comment heading the server block, where it names an app and the port the location
    // proxies to (`# ComfyUI : 3000` above a server proxying to `localhost:3000`): the author's
    // word for the whole block.
    // Or where the server listens on the app's default port (`# Tensorboard` above a server
    // with `listen 6006;`, held-out batch 131): the name and the port agree.
    if let Some(server) = model.enclosing(loc, "server")
        && let Some(comment) = heading_comment(model, server)
        && let Some(app) = apps::by_name(comment)
        && (targets.ports.iter().any(|p| {
            comment
                .split(|c: char| !c.is_ascii_digit())
                .any(|w| w == p.to_string())
        }) || listen_app(model, server).is_some_and(|(a, _)| std::ptr::eq(a, app)))
    {
        return Some((app, How::Comment(comment.to_owned()), false));
    }
    if let Some((app, port)) = targets.by_port {
        // A site named for another app that listens on this port too says which of the two it
        // is (Hue's `hue.conf` with `server_name hue;` proxying to 8888, Jupyter's port:
        // held-out batch 302).
        // Asked only where another app listens there too (most ports are one app's).
        let named = apps::port_shared_with_another(app, port)
            .then(|| {
                site_app(model, loc)
                    .map(|(a, n)| (a, How::ServerName(n)))
                    .or_else(|| {
                        let server = model.enclosing(loc, "server")?;
                        file_app(model, model.file_of(server)).map(|(a, n)| (a, How::FileName(n)))
                    })
            })
            .flatten();
        if let Some((named, how)) = named
            && !std::ptr::eq(named, app)
            && named.listens_on(port)
        {
            return Some((named, how, false));
        }
        // The site's name says the app the port does: two signs, no guess (Directus's
        // tutorial, `directus.example.com` proxying to 8055: held-out batch 436), as where
        // the port is shared below.
        if let Some((named, name)) = site_app(model, loc)
            && std::ptr::eq(named, app)
        {
            return Some((app, How::SiteAndPort(name, port), false));
        }
        return Some((app, How::Port(port), true));
    }
    // A site that is the app (`server_name grafana.example.com;` proxying `location /` to
    // an address): its first label names it, a guess like a default port. Not where the
    // address's port is none the app listens on by default: another service stands in front
    // (a `jupyter.` site proxying to JupyterHub's Node proxy on 8000, not to Jupyter Server's
    // 8888), as for a name on another port above.
    if let Some((app, name)) = site_app(model, loc) {
        // The site's name and the app's default port agree (`mattermost.*` proxying to
        // 8065): two signs, no longer a guess (a Mattermost site of held-out batch 61 whose
        // `Connection ""` had made the guess yield).
        if let Some(&port) = targets.ports.iter().find(|&&p| app.listens_on(p)) {
            return Some((app, How::SiteAndPort(name, port), false));
        }
        if !app.knows_ports() || targets.ports.is_empty() {
            return Some((app, How::ServerName(name), true));
        }
    }
    // A file named for the app (`conf.d/open-webui.conf` proxying `/` to
    // `host.docker.internal:3000`, held-out batch 120's miss), read as a site's name is: for
    // the server's `location /` and the locations beside it to the same backend, where the
    // port is one the app listens on or says nothing. A guess.
    // The file's name first (asked once per file, most name no app), then the location.
    if let Some(server) = model
        .node(loc)
        .parent()
        .filter(|&s| model.name(s) == "server")
    {
        let file = model.file_of(server);
        let named = match router {
            Some(r) => r
                .file_apps
                .borrow_mut()
                .entry(file)
                .or_insert_with(|| file_app(model, file))
                .clone(),
            None => file_app(model, file),
        };
        if let Some((app, name)) = named
            && port_allows(app, &targets.ports)
            && let Some(root) = site_root(model, server)
            && (root == loc || pass_authority(model, root) == pass_authority(model, loc))
        {
            return Some((app, How::FileName(name), true));
        }
    }
    // A server listening on the app's default port in front of upstreams that name nothing
    // and listen on no app's port: clients reach it as the app (an Ollama load balancer on
    // 11434 over `host.docker.internal:11435` and `:11436`, held-out batch 101). A guess.
    // Not a port many services take as an alternative HTTP port: `listen 8888;` fronted a Flask
    // API (held-out batch 120) and headscale on 8416 (batch 148), neither Jupyter Server.
    if targets.hosts_name_nothing
        && targets.by_port.is_none()
        && let Some(server) = model.enclosing(loc, "server")
        && let Some((app, port)) = listen_app(model, server)
        && !ALTERNATIVE_HTTP_PORTS.contains(&port)
    {
        return Some((app, How::Listen(port), true));
    }
    // A location whose one-segment prefix is an app's name, proxied to an address that names
    // nothing on a port no other app takes by default, whole (`location /grafana/ {
    // proxy_pass http://127.0.0.1:3001; }`, Grafana served from its sub-path) or with the
    // prefix cut (`.../;`): the app mounted there. A guess (held-out batch 480, a Gitea
    // stack's Grafana: measured, its Live WebSocket got 200 through the location, not 101).
    // Not on a port another app takes by default, nor on a common second HTTP port (JupyterHub's
    // proxy on 8000 behind `location /jupyter/`: another service in front of the app, whose
    // handshake rules are its own).
    if targets.hosts_name_nothing
        && let Some(app) = prefix_app(model, loc)
        && (port_allows(app, &targets.ports)
            || targets
                .ports
                .iter()
                .all(|&p| apps::by_port(p).is_none() && !ALTERNATIVE_HTTP_PORTS.contains(&p)))
    {
        return Some((
            app,
            How::Prefix(location_path(model, loc).into_owned()),
            true,
        ));
    }
    None
}

/// The app a prefix location's one segment names exactly (`/grafana/`, `/jupyter`), where its
/// `proxy_pass` hands the app the whole URI or cuts the prefix (`/`).
fn prefix_app(model: &Model<'_>, loc: NodeId) -> Option<&'static App> {
    if model.arg_count(loc) != 1 {
        return None;
    }
    let path = location_path(model, loc);
    let word = path
        .strip_prefix('/')?
        .strip_suffix('/')
        .unwrap_or(&path[1..]);
    if word.is_empty() || word.contains('/') {
        return None;
    }
    let app = apps::by_exact_name(&word.to_ascii_lowercase())?;
    let pass = pass_directive(model, loc).filter(|&p| model.name(p) == "proxy_pass")?;
    let url = model.arg_str(pass, 0)?;
    matches!(url_uri(&url), None | Some("/")).then_some(app)
}

/// Ports that servers of every kind listen on as a second HTTP port: a server's own `listen`
/// on one says nothing of the app behind it, though an app's default may be one of them
/// (Jupyter Server's 8888).
const ALTERNATIVE_HTTP_PORTS: &[u16] = &[3000, 5000, 8000, 8008, 8080, 8081, 8443, 8888, 9000];

/// The app whose default port a `listen` of `server` is (the first such). The port is read
/// without building the address: every proxied location of a run asks.
fn listen_app(model: &Model<'_>, server: NodeId) -> Option<(&'static App, u16)> {
    model
        .children_named_slice(Some(server), "listen")
        .iter()
        .find_map(|&l| {
            let a = model.arg_str(l, 0)?;
            // A byte search (`rsplit_once` sets up a char searcher per call; the servers of
            // every proxied location whose targets name nothing ask).
            let from = a.bytes().rposition(|b| b == b':').map_or(0, |i| i + 1);
            let port: u16 = a[from..].parse().ok()?;
            apps::by_port(port).map(|app| (app, port))
        })
}

/// Most other servers of a site's name [`site_app`] reads for the backend of their
/// `location /` (real sites have two or three: HTTP and HTTPS, another port).
const SITE_SERVERS_SEEN: usize = 16;

/// The app whose exact name is the first label of a `server_name` of `loc`'s server, when
/// `loc` hands the site to the backend: the server's `location /`, or a location proxying to
/// the same place (LiteLLM's `/v1/` beside its `/`, held-out batch 85). Not when another
/// server of that name hands its `/` to another backend: one of the two is not the app,
/// and it is the one on ports 80 and 443 only where the other is not (an Open WebUI site
/// whose port 30088 serves a dashboard, held-out batch 85); else the name cannot tell which.
fn site_app(model: &Model<'_>, loc: NodeId) -> Option<(&'static App, String)> {
    let server = model
        .node(loc)
        .parent()
        .filter(|&s| model.name(s) == "server")?;
    let root = site_root(model, server)?;
    // A location beside `location /`: the app's where it goes to the same backend.
    if root != loc && pass_authority(model, root)? != pass_authority(model, loc)? {
        return None;
    }
    let (app, name) = model
        .children_named_slice(Some(server), "server_name")
        .iter()
        .flat_map(|&n| (0..model.arg_count(n)).filter_map(move |i| model.arg_str(n, i)))
        .find_map(|name| {
            let label = name.split('.').next()?.to_ascii_lowercase();
            let app = app_named_by_label(&label)?;
            (name.contains('.')).then(|| (app, name.into_owned()))
        })?;
    let backend = pass_authority(model, root);
    // Where servers of the name hand `/` to two backends, the name is the one a browser
    // reaches without a port: a server on another port (`:30088`) serves something else
    // beside the site.
    let on_web_ports = web_ports_only(model, server);
    let elsewhere = model
        .servers_named(&name.to_ascii_lowercase())
        .iter()
        .filter(|&&s| s != server)
        .take(SITE_SERVERS_SEEN)
        .filter(|&&s| !on_web_ports || web_ports_only(model, s))
        .filter_map(|&s| pass_authority(model, model.root_location(s)?))
        .any(|other| backend.as_ref() != Some(&other));
    (!elsewhere).then_some((app, name))
}

/// May a name's guess of `app` stand for targets on `ports`: one of them is the app's default,
/// or the app or the targets name no port (a note naming the app above a pass to another
/// service's port is about what stands behind that service).
fn port_allows(app: &App, ports: &[u16]) -> bool {
    !app.knows_ports() || ports.is_empty() || ports.iter().any(|&p| app.listens_on(p))
}

/// The app a word names the way a site's first label does: the app's name, or its name and
/// a word after a `-` or `_` (`vaultwarden-home.duckdns.org`, held-out batch 125); an exact
/// name first. `label` is lowercase.
fn app_named_by_label(label: &str) -> Option<&'static App> {
    apps::APPS
        .iter()
        .find(|a| a.names.contains(&label))
        .or_else(|| {
            apps::APPS.iter().find(|a| {
                a.names.iter().any(|n| {
                    label
                        .strip_prefix(n)
                        .is_some_and(|rest| rest.starts_with(['-', '_']))
                })
            })
        })
}

/// An app and the name of the file named for it ([`file_app`]).
type FileApp = (&'static App, String);

/// The app a configuration file is named for (`conf.d/open-webui.conf`, `sites-available/
/// grafana`): its name without `.conf`, read as a site's first label is; with the file's name.
fn file_app(model: &Model<'_>, file: super::FileId) -> Option<FileApp> {
    let name = model.program.file(file).path.file_name()?.to_str()?;
    // A template's name says the same (`ollama-webui.j2`, held-out batch 146).
    let base = super::include::template_stem(name).unwrap_or(name);
    let stem = base
        .strip_suffix(".conf")
        .unwrap_or(base)
        .to_ascii_lowercase();
    Some((app_named_by_label(&stem)?, name.to_owned()))
}

/// The site's root location in `server`: its `location /`, or its `location = /` where
/// `location /` proxies nothing or is missing (openHAB's multi-user proxy, a location per
/// allowed path and a closed `location /`: held-out batch 304).
fn site_root(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    model
        .root_location(server)
        .filter(|&r| pass_authority(model, r).is_some())
        .or_else(|| model.exact_root_location(server))
}

/// Does `server` listen on 80 and 443 only (or on nginx's default, no `listen`)?
fn web_ports_only(model: &Model<'_>, server: NodeId) -> bool {
    model
        .children_named_slice(Some(server), "listen")
        .iter()
        .all(|&l| {
            model
                .arg_str(l, 0)
                .and_then(|a| super::loadtime::listen_address(&a))
                .and_then(|a| a.rsplit_once(':').map(|(_, p)| p == "80" || p == "443"))
                .unwrap_or(false)
        })
}

/// What the targets of one pass authority say about the app behind it.
#[derive(Clone)]
struct TargetApps {
    /// A target matches a configured streaming upstream: no app is guessed.
    configured: bool,
    /// The first target naming an app, and the target as written.
    by_name: Option<(&'static App, String)>,
    /// The first target whose port is an app's default.
    by_port: Option<(&'static App, u16)>,
    /// The ports the targets name (none where no target writes one).
    ports: Vec<u16>,
    /// Every target names nothing: its hosts ([`names_nothing`]), and an upstream's name
    /// (`backend_servers`) no more than that it is a group of them.
    hosts_name_nothing: bool,
}

/// [`TargetApps`] of the targets of `authority` (itself and, for an upstream name, its
/// servers).
fn target_apps(model: &Model<'_>, authority: Cow<'_, str>, settings: &Settings) -> TargetApps {
    let targets = targets_of(model, authority);
    // Each target lowercased once (most are already).
    let lower: Vec<Cow<'_, str>> = targets.iter().map(|t| ascii_lowercase(t)).collect();
    let configured = !settings.upstreams.is_empty()
        && lower.iter().any(|t| {
            settings
                .upstreams
                .iter()
                .any(|u| t.contains(&u.to_ascii_lowercase()))
        });
    // A name on a port the app does not listen on by default is another service of the same
    // project (`comfyui-web:8001`, a project's own API beside ComfyUI), not the app; a host
    // that is the app's name itself (`ollama:11500`, a Compose service moved to another port)
    // still names it.
    // A name of an app whose default ports are known, on another app's own default port, is
    // that other app: `gitlab:8065` is the Mattermost GitLab's omnibus package bundles (a SWAG
    // site's `set $upstream_app gitlab;`). Not for an app of no known port (Langflow's 7860 is
    // Gradio's too).
    let on_its_port = |app: &App, host: &str, port: Option<u16>| {
        port.is_none_or(|p| {
            !app.knows_ports()
                || app.listens_on(p)
                || (app.names.contains(&host)
                    && apps::by_port(p).is_none_or(|other| std::ptr::eq(other, app)))
        })
    };
    // An upstream's name says no more than its servers: where a server names the app on
    // another port, the upstream is that other service too (Compose's `<project>_<service>`:
    // `upstream n8n_adminer { server n8n_adminer:8080; }` beside `n8n:5678`, held-out batch
    // 68).
    // Each target's host, port and the app its host names, read once.
    let named: Vec<(&str, Option<u16>, Option<&'static App>)> = lower
        .iter()
        .map(|t| {
            let (host, port) = host_port(t);
            (host, port, apps::by_name(host))
        })
        .collect();
    let sibling = named.iter().find_map(|&(host, port, app)| {
        let app = app?;
        (port.is_some() && !on_its_port(app, host, port)).then_some(app.id)
    });
    // An upstream's own name that names the app, over servers all on ports the app does not
    // listen on by default, is a service built around it (`upstream anythingllm_api { server
    // 127.0.0.1:8000; }`, a FastAPI wrapper of AnythingLLM's API, held-out batch 150), unless
    // the name is the app's own (`upstream ollama { server 10.0.0.5:11500; }`).
    let name_on_other_ports = match named.split_first() {
        Some((&(name, None, Some(app)), servers)) if !servers.is_empty() => {
            app.knows_ports()
                && !app.names.contains(&name)
                && servers
                    .iter()
                    .all(|&(_, port, _)| port.is_some_and(|p| !app.listens_on(p)))
        }
        _ => false,
    };
    let by_name = targets
        .iter()
        .zip(&named)
        .skip(usize::from(name_on_other_ports))
        .find_map(|(target, &(host, port, app))| {
            app.filter(|app| on_its_port(app, host, port))
                .filter(|app| !(port.is_none() && sibling == Some(app.id)))
                .map(|app| (app, target.to_string()))
        });
    // An upstream whose own name says what it is, and not the app (`upstream elixoids`, a
    // game server on Mattermost's 8065, held-out batch 144): its servers' default ports are
    // no guess at the app.
    // An upstream's name of generic words only (asked once: both questions below read it).
    let generic_name = match named.split_first() {
        Some((&(name, _, _), servers)) if !servers.is_empty() => Some(generic_words_only(name)),
        _ => None,
    };
    let named_otherwise = match named.split_first() {
        Some((&(name, _, app), servers)) if !servers.is_empty() => {
            app.is_none() && generic_name == Some(false) && !names_nothing(name)
        }
        _ => false,
    };
    let by_port = named.iter().find_map(|&(host, port, _)| {
        if named_otherwise || !names_nothing(host) {
            return None;
        }
        let port = port?;
        apps::by_port(port).map(|app| (app, port))
    });
    let mut ports: Vec<u16> = named.iter().filter_map(|&(_, port, _)| port).collect();
    ports.dedup();
    let hosts_name_nothing = match named.split_first() {
        Some((_, servers)) if !servers.is_empty() => {
            servers.iter().all(|&(host, _, _)| names_nothing(host)) && generic_name == Some(true)
        }
        _ => named.iter().all(|&(host, _, _)| names_nothing(host)),
    };
    TargetApps {
        configured,
        by_name,
        by_port,
        ports,
        hosts_name_nothing,
    }
}

/// For a location whose known app answers it with ordinary responses only
/// ([`Streaming::app_plain`]): does another location of its server take one of the app's
/// WebSocket endpoints and pass it on? Then `Upgrade` lines here were copied along.
pub fn app_websocket_elsewhere(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
    routes: &Routes,
) -> bool {
    let router = &routes.0;
    let (Some((app, _, _)), Some(server)) = (
        router.recognise(model, loc, settings),
        server_level(model, loc),
    ) else {
        return false;
    };
    app.endpoints
        .iter()
        .filter(|e| e.transport == Transport::WebSocket)
        .any(|e| {
            router
                .location_of(model, server, e.path)
                .flatten()
                .is_some_and(|hit| hit != loc && pass_directive(model, hit).is_some())
        })
}

/// The app `loc` proxies to, named (by its upstream, a comment, the site: not guessed from a
/// port or a file's name), where the table knows it answers with ordinary responses only
/// ([`App::answers_plain_only`]): `Upgrade` lines in front of it were copied along.
pub fn named_plain_app(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
    routes: &Routes,
) -> Option<&'static App> {
    let (app, _, guessed) = routes.0.recognise(model, loc, settings)?;
    (!guessed && app.answers_plain_only()).then_some(app)
}

/// The level whose locations nginx matches a request against for `loc`: its `server`, or the
/// top level of a server fragment (`--context server`, where locations sit under no `server`
/// node); `None` in a location fragment, whose server is not known.
fn server_level(model: &Model<'_>, loc: NodeId) -> Option<Option<NodeId>> {
    match model.enclosing(loc, "server") {
        Some(server) => Some(Some(server)),
        None => (model.program.root_context == super::Context::HttpServer
            && model.ancestors(loc).all(|a| model.name(a) == "location"))
        .then_some(None),
    }
}

/// A path that names a WebSocket endpoint: `/websocket`, `/ws`, `/socket.io/`.
pub fn names_websocket(model: &Model<'_>, loc: NodeId) -> bool {
    let path = location_path(model, loc);
    let path = ascii_lowercase(&path);
    path.contains("socket") || path.ends_with("/ws") || path.contains("/ws/")
}

/// A location that is a WebSocket endpoint: its path names a socket ([`names_websocket`]), it
/// passes the client's `Upgrade` on with a `Connection` that can say `upgrade`
/// ([`names_upgrade`]), and it has no nested locations (held-out batch 437, Janus's
/// `/janus/ws`: what it answers is the 101).
pub fn websocket_endpoint(model: &Model<'_>, loc: NodeId) -> bool {
    names_websocket(model, loc)
        && own_header_line(model, loc, "upgrade")
        && own_connection_value(model, loc, names_upgrade)
        && model.children_named_slice(Some(loc), "location").is_empty()
}

/// Did the author give location `loc` to one WebSocket endpoint? Its own lines send a literal
/// `Upgrade: websocket` and a `Connection` naming `upgrade`, it holds no other location, and it
/// is an exact location or its `proxy_pass` maps it onto one backend path (`location /api/chat
/// { ... proxy_pass http://127.0.0.1:8080/chat; }`, held-out batch 259's gorilla chat): only
/// handshakes come to it, whatever its path looks like.
pub fn dedicated_websocket(model: &Model<'_>, loc: NodeId) -> bool {
    let literal_upgrade = own_header_value(model, loc, "upgrade", |v| {
        !v.contains('$') && contains_ignore_case(v.as_bytes(), b"websocket")
    });
    if !literal_upgrade
        || !own_connection_value(model, loc, names_upgrade)
        || !model.children_named_slice(Some(loc), "location").is_empty()
    {
        return false;
    }
    if model.arg_count(loc) > 1 && model.arg_is(loc, 0, "=") {
        return true;
    }
    let Some(pass) = pass_directive(model, loc).filter(|&p| model.name(p) == "proxy_pass") else {
        return false;
    };
    let Some(url) = model.arg_str(pass, 0) else {
        return false;
    };
    url_uri(&url).is_some_and(|uri| uri.len() > 1 && !uri.ends_with('/') && !uri.contains('$'))
}

/// The location's own `DIRECTIVE FIRST ...` line (the first argument compared without case).
fn own_line(model: &Model<'_>, loc: NodeId, directive: &str, first: &str) -> bool {
    model
        .children_named_slice(Some(loc), directive)
        .iter()
        .any(|&d| {
            model
                .arg_str(d, 0)
                .is_some_and(|a| a.eq_ignore_ascii_case(first))
        })
}

/// The location's own `proxy_set_header NAME ...` line.
fn own_header_line(model: &Model<'_>, loc: NodeId, name: &str) -> bool {
    own_line(model, loc, "proxy_set_header", name)
}

/// An `Upgrade` line that looks copied along: the location has its own `Upgrade` line but no
/// `Connection` line, and its path names no WebSocket (MainsailOS's Moonraker API regex).
pub fn upgrade_line_copied(model: &Model<'_>, loc: NodeId) -> bool {
    own_header_line(model, loc, "upgrade")
        && !own_header_line(model, loc, "connection")
        && !names_websocket(model, loc)
}

/// An `Upgrade` line the location only inherits (a server-level `proxy_set_header Upgrade
/// $http_upgrade;`), with no `Upgrade` or `Connection` line of its own, and a path that names no
/// WebSocket: every location of the server gets the line, WebSocket or not.
pub fn upgrade_line_inherited_only(model: &Model<'_>, loc: NodeId) -> bool {
    !own_header_line(model, loc, "upgrade")
        && !own_header_line(model, loc, "connection")
        && !names_websocket(model, loc)
}

/// A `Connection upgrade` line that looks copied along into an event stream: the location has
/// its own `Connection` line with `upgrade` but no `Upgrade` line, turns `proxy_buffering` off
/// itself, and its path names no WebSocket (Ollama-WebUI's `/api/` under "# SSE settings").
pub fn connection_line_copied(model: &Model<'_>, loc: NodeId) -> bool {
    !own_header_line(model, loc, "upgrade")
        && own_line(model, loc, "proxy_buffering", "off")
        && !names_websocket(model, loc)
        && own_connection_value(model, loc, |v| {
            contains_ignore_case(v.as_bytes(), b"upgrade")
        })
}

/// Does one of the location's own `proxy_set_header Connection` lines have a value `test`
/// accepts?
fn own_connection_value(model: &Model<'_>, loc: NodeId, test: impl Fn(&str) -> bool) -> bool {
    own_header_value(model, loc, "connection", test)
}

/// The location's own `proxy_set_header NAME VALUE` line (the name compared without case)
/// whose value passes `test`.
fn own_header_value(
    model: &Model<'_>,
    loc: NodeId,
    name: &str,
    test: impl Fn(&str) -> bool,
) -> bool {
    model
        .children_named_slice(Some(loc), "proxy_set_header")
        .iter()
        .any(|&d| {
            model
                .arg_str(d, 0)
                .is_some_and(|a| a.eq_ignore_ascii_case(name))
                && model.arg_str(d, 1).is_some_and(|v| test(&v))
        })
}

/// How a server's locations at WebSocket paths (`/socket.io/`, `/ws`) that pass requests on
/// take upgrades, read in one pass over its locations (see `websocket-upgrade-missing`, which
/// asks once per server).
#[derive(Clone, Copy, Default)]
pub struct WebsocketLocations {
    /// One sets its own `Upgrade` and `Connection` lines: the whole recipe.
    pub set_up: bool,
    /// One sets its own `Upgrade` or `Connection` line: the author routes WebSockets there.
    pub routed: bool,
}

pub fn websocket_locations(model: &Model<'_>, server: NodeId) -> WebsocketLocations {
    let mut found = WebsocketLocations::default();
    for &l in model.children_named_slice(Some(server), "location") {
        if !names_websocket(model, l) {
            continue;
        }
        let upgrade = own_header_line(model, l, "upgrade");
        let connection = own_header_line(model, l, "connection");
        if (upgrade || connection) && pass_authority(model, l).is_some() {
            found.routed = true;
            found.set_up |= upgrade && connection;
            if found.set_up {
                break;
            }
        }
    }
    found
}

/// The app the location's upstream names, or whose default port it is on a host that names
/// nothing else (the recognition the streaming rules use).
pub fn app_of_upstream(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
) -> Option<&'static App> {
    recognise(model, loc, settings, None).map(|(app, _, _)| app)
}

/// Configured upstreams, known endpoints of a recognised app that this location routes, then
/// well-known endpoint paths in the location's own pattern.
fn heuristics(
    model: &Model<'_>,
    loc: NodeId,
    settings: &Settings,
    path: &str,
    lower: &str,
    router: &Router,
) -> Option<Hint> {
    // No configured upstreams (the usual case): no targets to compare.
    let targets = if settings.upstreams.is_empty() {
        Vec::new()
    } else {
        upstream_targets(model, loc)
    };
    for target in targets {
        let t = target.to_ascii_lowercase();
        if let Some(u) = settings
            .upstreams
            .iter()
            .find(|u| t.contains(&u.to_ascii_lowercase()))
        {
            return Some(Hint {
                generic: false,
                sse: true,
                ws: false,
                long_poll: false,
                reason: format!(
                    "it proxies to `{target}`, a configured streaming upstream (`{u}`)"
                ),
                ws_guessed: false,
                ws_named: false,
                transport_guessed: false,
                endpoints: Vec::new(),
            });
        }
    }
    let proxied = pass_directive(model, loc).is_some_and(|p| model.name(p) == "proxy_pass");
    let recognised = if buffering_explicitly_on(model, loc) || !proxied {
        None
    } else {
        router.recognise(model, loc, settings)
    };
    let long_poll = LONG_POLL.iter().any(|p| find(lower, p, 0).is_some());
    // Pusher's HTTP API publishes with `POST /apps/{app_id}/events` (Soketi, Sockudo, Reverb,
    // laravel-websockets): a JSON answer, no stream (held-out batch 232, Sockudo's `location ~
    // ^/apps/.*/events$`: measured, `{"ok":true}` in 10 ms).
    let publish_api = find(lower, "/apps/", 0).is_some();
    let slashes = slashes(lower);
    let by_path = ENDPOINTS.iter().find_map(|&(needle, sse, ws, what)| {
        let generic = matches!(needle, "/events" | "/stream" | "/sse");
        (path_matches_at(lower, &slashes, needle)
            && !(generic && (long_poll || (publish_api && needle == "/events")))
            && !(generic && mount_renamed(model, loc, lower, needle))
            && !(generic && resource_service_route(model, loc, lower, needle))
            && !(ws && !sse && carved_out_of_websocket_sibling(model, loc, path, router))
            // An event-stream path given to one WebSocket endpoint by its own lines.
            && !(sse && !ws && dedicated_websocket(model, loc))
            // A generic word yields to the location's own `proxy_buffering on`: the author
            // buffers what comes there (held-out batch 272, an Owncast paywall's `location
            // /stream/` of HLS playlists and segments, "buffer settings for video").
            && !(generic && buffering_explicitly_on(model, loc)))
        .then(|| Hint {
            generic,
            sse,
            ws,
            long_poll: false,
            // Each classified location has a reason: written without `format!`, a quarter of
            // the cost (issue #13).
            reason: ["`", path, "` looks like ", what].concat(),
            ws_guessed: false,
            // Jupyter's kernel API path with no Jupyter behind it that the table knows of (by
            // name or port): a notebook culler's JSON shim answers there too (held-out batch
            // 165, Open Data Hub's code-server image; measured, plain requests only).
            ws_named: matches!(needle, "/ws" | "/api/kernels/"),
            transport_guessed: needle == "/stream",
            endpoints: known_endpoint(needle).into_iter().collect(),
        })
    });
    if let Some((app, how, by_port)) = &recognised {
        // The location's own pattern naming an endpoint beats a guess from a default port,
        // when the table knows that endpoint; a generic name (`/ws`) says nothing the app
        // routed there does not say better (NocoBase's `/ws` on its port 13000).
        if *by_port && by_path.as_ref().is_some_and(|h| !h.endpoints.is_empty()) {
            return by_path;
        }
        // A guess from a default port yields to the location's own word: `proxy_set_header
        // Connection "";` asks for plain keep-alive requests (Spring AI Alibaba's data agent on
        // 8065, Mattermost's port, serving SSE there).
        // So does it where the configuration sets `Upgrade` for other locations and none
        // reaches this one: its author knows where WebSockets go (Hoppscotch's admin panel on
        // 3100, Loki's port, beside its API server's WebSocket lines).
        // Only for a guess from a port: a site named for the app (`server_name
        // vaultwarden.home;`) says more than another server's `Upgrade` lines (a Grafana site
        // beside it, held-out batch 148: Vaultwarden's `/notifications/hub` got 200, not 101).
        // A location named for the app (`location /rstudio/` on RStudio's 8787, beside a
        // Node.js app's `Upgrade` lines: held-out batch 356, measured 426) is no guess.
        let no_upgrade = *by_port
            && !path_names_app(model, loc, app)
            && (own_connection_without_upgrade(model, loc)
                || (matches!(how, How::Port(_) | How::Listen(_))
                    && upgrades_only_elsewhere(model, loc, router)));
        // Nor does a guess reach through a prefix of generic words (`location /api/` to
        // `api:3100`, ZhuoStack's own NestJS API on Loki's port, taken for Loki's
        // `/api/prom/tail`): the whole site (`/`) or a word of the app's own path is needed.
        // A site named for the app is the app's whatever the prefix: its locations beside `/`
        // to the same backend are the app's too ([`site_app`]).
        // The same for a guess from the server's own `listen` port (`listen 8888;` in front
        // of a Flask API under `location /api/`, taken for Jupyter's `/api/kernels/`,
        // held-out batch 120).
        // Unless the prefix is the app's own API root: every endpoint the table knows lies
        // under it (Ollama's `/api/` on 11434, held-out batch 333: `location /api/` to
        // `host.docker.internal:11434` behind `auth_request` was not read as Ollama).
        let generic = *by_port
            && matches!(how, How::Port(_) | How::Listen(_))
            && generic_prefix(model, loc)
            && !prefix_is_api_root(model, loc, app);
        // Nor where another location of the server proxies one of the app's streams: its
        // author laid the streaming routes out, for the version deployed (Gradio 3's
        // `location /queue` with the upgrade headers beside a plain `location /`, which a
        // guess took for Gradio 5's `/gradio_api/queue/data`, held-out batch 108).
        let generic = generic || (*by_port && streams_routed_elsewhere(model, loc, app, router));
        // Nor a newer version's WebSocket where another location of the server gives an older
        // version's WebSocket its own `Upgrade` lines: its author set the WebSocket up, for the
        // version deployed (held-out batch 275: Streamlit pinned at 1.16, whose WebSocket is
        // `/stream`, set up in `location /stream`; `/_stcore/stream` came with 1.18).
        // The server's location of an older version's stream, asked once, and only where an
        // endpoint's filter below needs it.
        let legacy_hit = std::cell::OnceCell::new();
        let legacy_hit = || *legacy_hit.get_or_init(|| legacy_location(model, loc, app, router));
        let older_websocket_set_up = || {
            app.endpoints
                .iter()
                .any(|e| e.legacy && e.transport == Transport::WebSocket)
                && legacy_hit().is_some_and(|(hit, e)| {
                    e.transport == Transport::WebSocket && own_header_line(model, hit, "upgrade")
                })
        };
        // Nor an older version's WebSocket where another location of the server takes the
        // current version's: the author laid the routes out for a version that has it
        // (Streamlit's `location /_stcore/stream` beside `location /`, which would route 1.17's
        // `/stream`).
        let current_websocket_elsewhere = std::cell::OnceCell::new();
        let current_websocket_elsewhere = || {
            *current_websocket_elsewhere.get_or_init(|| {
                server_level(model, loc).is_some_and(|server| {
                    app.endpoints
                        .iter()
                        .filter(|e| !e.legacy && e.transport == Transport::WebSocket)
                        .any(|e| {
                            matches!(router.location_of(model, server, e.path),
                                Some(Some(hit)) if hit != loc)
                        })
                })
            })
        };
        let routed: Vec<&'static Endpoint> = app
            .endpoints
            .iter()
            .filter(|e| !generic && e.transport.long_lived() && router.routes(model, loc, e.path))
            .filter(|e| !(no_upgrade && e.transport == Transport::WebSocket))
            // Nor a WebSocket reached only through the app mounted at a prefix of generic
            // words (`location /api/` rewriting `/api/x` to `/x` for n8n's webhooks, held-out
            // batch 333): a WebSocket is opened by the app's own pages, which a site serves at
            // a prefix named for the app, not at `/api/`. Its API clients still come there.
            .filter(|e| {
                !(e.transport == Transport::WebSocket
                    && generic_prefix(model, loc)
                    && prefix_path(model, loc).is_some_and(|p| !e.path.starts_with(&*p)))
            })
            .filter(|e| !(e.transport == Transport::WebSocket && older_websocket_set_up()))
            // Nor a newer version's WebSocket where the server gives an older version's stream
            // a location of its own: the author laid the routes out for a version without it
            // (Odoo's `location /longpolling` to the gevent port, its layout up to 15, which
            // has no `/websocket`). Held-out batches 214, 448 and 454: four Odoo 10 to 15
            // deployments, where a finding on `location /` was false, against one Odoo 18 that
            // kept the block, where the WebSocket belongs at the gevent port anyway, not on `/`.
            .filter(|e| {
                !(e.transport == Transport::WebSocket && !e.legacy && legacy_hit().is_some())
            })
            .filter(|e| {
                !(e.legacy && e.transport == Transport::WebSocket && current_websocket_elsewhere())
            })
            .collect();
        if !routed.is_empty() {
            let sse = routed.iter().any(|e| e.transport.streams_body());
            let ws = routed.iter().any(|e| e.transport == Transport::WebSocket);
            let long_poll = routed.iter().any(|e| e.transport == Transport::LongPoll);
            let shown: Vec<String> = routed
                .iter()
                .take(2)
                .map(|e| format!("`{}` ({})", e.path, e.transport.as_str()))
                .collect();
            let more = if routed.len() > 2 { " and more" } else { "" };
            let ws_versioned = routed
                .iter()
                .filter(|e| e.transport == Transport::WebSocket)
                .all(|e| e.legacy);
            // A WebSocket only older versions serve, and no stream of the newer ones: which
            // version runs, the file cannot say (Flower's task events, gone in 1.1: held-out
            // batch 241, a Flower 1.2 deployment).
            let older_only = ws && ws_versioned && !sse && !long_poll;
            let older_note = if older_only {
                format!("; only older versions of {} serve it: a guess", app.name)
            } else {
                String::new()
            };
            return Some(Hint {
                generic: false,
                sse,
                ws,
                long_poll,
                reason: format!(
                    "it routes {}'s {}{more} ({}){older_note}",
                    app.name,
                    shown.join(", "),
                    how.describe(app)
                ),
                ws_guessed: *by_port || (ws_versioned && sse) || older_only,
                ws_named: false,
                transport_guessed: false,
                endpoints: routed,
            });
        }
        if !by_port {
            // The app is known and this location routes none of its streams.
            return None;
        }
    }
    by_path.or_else(|| {
        (proxied && !upgrades_only_elsewhere(model, loc, router))
            .then(|| named_for_websockets(model, loc))
            .flatten()
    })
}

/// The pass directive's host is named for WebSockets: a word `websocket`, `websockets` or
/// `ws` of it (`proxy_pass http://websocket_upstream;`, `http://ws-backend:8080`). The author
/// named the upstream after what it serves (Arvados's `websocket_upstream`, held-out batch 61,
/// whose handshakes got 400 through a location without `Upgrade` headers). A guess, asked only
/// where no location of the configuration forwards `Upgrade`: where one does, its author knows
/// where WebSockets go, and the others are the service's plain endpoints (`/ws/status`,
/// `/health`, `/api` to the same `websocket_backend`, held-out batches 29 and 42).
fn named_for_websockets(model: &Model<'_>, loc: NodeId) -> Option<Hint> {
    let authority = pass_authority(model, loc)?;
    let host = authority.split(':').next().unwrap_or(&authority);
    let named = host.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        ["websocket", "websockets", "ws"]
            .iter()
            .any(|n| w.eq_ignore_ascii_case(n))
    });
    named.then(|| Hint {
        generic: true,
        sse: false,
        ws: true,
        long_poll: false,
        reason: ["it proxies to `", host, "`, named for WebSockets"].concat(),
        ws_guessed: true,
        ws_named: false,
        transport_guessed: false,
        endpoints: Vec::new(),
    })
}

/// Is `loc` a prefix location whose path is generic words only (`/api/`, `/api/v1/`,
/// `/backend`): a path that says nothing of which app is behind it, and is not the whole site?
fn generic_prefix(model: &Model<'_>, loc: NodeId) -> bool {
    const GENERIC: &[&str] = &[
        "api", "v1", "v2", "v3", "app", "backend", "server", "service",
    ];
    let Some(path) = prefix_path(model, loc) else {
        return false;
    };
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    path.starts_with('/')
        && segments.peek().is_some()
        && segments.all(|s| GENERIC.iter().any(|g| s.eq_ignore_ascii_case(g)))
}

/// Is `loc`'s prefix (`/api/`, `/api`) the root of most endpoints `app` is known for (Ollama's
/// `/api/chat`, `/api/generate`, ... beside its OpenAI-compatible `/v1/`)? Not of one in two
/// (Loki's `/api/prom/tail` beside `/loki/api/v1/tail`: a NestJS API on Loki's 3100 under
/// `location /api/` was taken for it).
fn prefix_is_api_root(model: &Model<'_>, loc: NodeId, app: &App) -> bool {
    let Some(path) = prefix_path(model, loc) else {
        return false;
    };
    let root = path.trim_end_matches('/');
    let under = app
        .endpoints
        .iter()
        .filter(|e| {
            e.path
                .strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('/'))
        })
        .count();
    !root.is_empty() && 2 * under > app.endpoints.len()
}

/// The path of a prefix location (`location /a`, `location ^~ /a`), as written.
pub fn prefix_path<'p>(model: &Model<'p>, loc: NodeId) -> Option<Cow<'p, str>> {
    match model.arg_count(loc) {
        1 => model.arg_str(loc, 0),
        2 if model.arg_is(loc, 0, "^~") => model.arg_str(loc, 1),
        _ => None,
    }
}

/// The location's own `proxy_set_header Connection` with a fixed value without `upgrade`
/// (`""`, `keep-alive`, `close`).
fn own_connection_without_upgrade(model: &Model<'_>, loc: NodeId) -> bool {
    own_connection_value(model, loc, |v| !names_upgrade(v))
}

/// Is there a location beside `loc` (same block) proxying to the same backend whose own lines
/// set `Upgrade` and a `Connection` naming `upgrade` (or a variable, `$connection_upgrade`)?
/// (`loc`, asked only when its own `Connection` names neither, is not one.) The level's such
/// backends are read once: each of thousands of locations read all the others.
fn websocket_sibling(model: &Model<'_>, loc: NodeId, router: &Router) -> bool {
    let Some(backend) = pass_authority(model, loc) else {
        return false;
    };
    let parent = model.node(loc).parent();
    let backends = router
        .websocket_backends
        .borrow_mut()
        .entry(parent)
        .or_insert_with(|| {
            Rc::new(
                model
                    .children_named_slice(parent, "location")
                    .iter()
                    .filter(|&&s| {
                        own_header_line(model, s, "upgrade")
                            && own_connection_value(model, s, names_upgrade)
                    })
                    .filter_map(|&s| Some(pass_authority(model, s)?.into_owned()))
                    .collect(),
            )
        })
        .clone();
    backends.contains(&*backend)
}

/// A `Connection` value that asks for an upgrade, or may (`$connection_upgrade`).
fn names_upgrade(v: &str) -> bool {
    v.contains('$') || contains_ignore_case(v.as_bytes(), b"upgrade")
}

/// Is `loc` a prefix location carved out of a sibling prefix location that takes the
/// WebSocket handshakes (its own `Upgrade` line)? `location /ws/status` beside `location /ws`
/// with the upgrade headers is a plain endpoint the author split off (Goodwiinz/rag's status
/// and metrics).
fn carved_out_of_websocket_sibling(
    model: &Model<'_>,
    loc: NodeId,
    path: &str,
    router: &Router,
) -> bool {
    let prefix = |l: NodeId| prefix_path(model, l);
    // Only a path of two segments or more (`/ws/status`) extends a WebSocket location's.
    let two_segments = path
        .trim_end_matches('/')
        .get(1..)
        .is_some_and(|rest| rest.contains('/'));
    if !two_segments || prefix(loc).is_none() {
        return false;
    }
    // The level's prefix locations with an `Upgrade` line of their own, found once per level
    // (each of thousands of sibling locations read all the others).
    let parent = model.node(loc).parent();
    let upgrading = router
        .upgrading_prefixes
        .borrow_mut()
        .entry(parent)
        .or_insert_with(|| {
            model
                .children_named_slice(parent, "location")
                .iter()
                .filter(|&&s| own_header_line(model, s, "upgrade"))
                .filter_map(|&s| Some((s, prefix(s)?.into_owned())))
                .collect()
        })
        .clone();
    upgrading
        .iter()
        .any(|(s, p)| *s != loc && p.len() < path.len() && path.starts_with(p.as_str()))
}

/// Is the first segment of `loc`'s prefix one of `app`'s names (`/rstudio/`)?
fn path_names_app(model: &Model<'_>, loc: NodeId, app: &App) -> bool {
    let path = location_path(model, loc);
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    !first.is_empty() && app.names.iter().any(|n| n.eq_ignore_ascii_case(first))
}

/// Does the configuration set `proxy_set_header Upgrade` somewhere while none is in effect at
/// `loc` (so every such line is elsewhere)? Whether it sets one at all is asked of the whole
/// configuration once per run ([`Router::sets_upgrade`]).
fn upgrades_only_elsewhere(model: &Model<'_>, loc: NodeId, router: &Router) -> bool {
    let is_upgrade = |&h: &NodeId| {
        model
            .arg_str(h, 0)
            .is_some_and(|a| a.eq_ignore_ascii_case("upgrade"))
    };
    if !*router.sets_upgrade.get_or_init(|| {
        model
            .directives_named("proxy_set_header")
            .iter()
            .any(is_upgrade)
    }) {
        return false;
    }
    let eff = model.effective(Some(loc), "proxy_set_header");
    !router
        .named
        .borrow_mut()
        .any(model, &eff, &["upgrade"], |_, _| true)
}

/// A location of `loc`'s server, other than `loc` and narrower than it, that proxies a legacy
/// long-lived endpoint of `app` (one only older versions answer), with that endpoint.
fn legacy_location(
    model: &Model<'_>,
    loc: NodeId,
    app: &'static App,
    router: &Router,
) -> Option<(NodeId, &'static Endpoint)> {
    let server = server_level(model, loc)?;
    let path = location_path(model, loc);
    app.endpoints
        .iter()
        .filter(|e| e.legacy && e.transport.long_lived())
        .find_map(|e| match router.location_of(model, server, e.path) {
            Some(Some(hit))
                if hit != loc
                    && pass_directive(model, hit).is_some()
                    && prefix_path(model, hit).is_none_or(|p| !path.starts_with(&*p)) =>
            {
                Some((hit, e))
            }
            _ => None,
        })
}

/// Does a long-lived endpoint of `app` reach another location of `loc`'s server, one set up
/// for streams (a pass, and its own `Upgrade` line or `proxy_buffering off`) and narrower than
/// a catch-all (not a prefix of `loc`'s own path, as `/` is of `/v1/`)?
fn streams_routed_elsewhere(model: &Model<'_>, loc: NodeId, app: &App, router: &Router) -> bool {
    let Some(server) = server_level(model, loc) else {
        return false;
    };
    let path = location_path(model, loc);
    let set_up = |hit: NodeId| {
        pass_directive(model, hit).is_some()
            && (own_header_line(model, hit, "upgrade")
                || own_line(model, hit, "proxy_buffering", "off"))
    };
    let narrower = |hit: NodeId| prefix_path(model, hit).is_none_or(|p| !path.starts_with(&*p));
    // The other location must reach the same backend: a `location /api/` to another service on
    // 8000, set up for its own WebSocket, lays out nothing of Ollama's `/api/chat` beside
    // `location /ollama/` to 11434 (held-out batch 154, measured: Ollama's answer held to its
    // end over TLS). The same authority, or the same port.
    let backend = pass_authority(model, loc);
    let same_backend = |hit: NodeId| {
        let (Some(a), Some(b)) = (backend.as_deref(), pass_authority(model, hit)) else {
            return false;
        };
        a == b || host_port(a).1.is_some_and(|p| host_port(&b).1 == Some(p))
    };
    app.endpoints
        .iter()
        .filter(|e| e.transport.long_lived())
        .any(|e| match router.location_of(model, server, e.path) {
            Some(Some(hit)) => hit != loc && narrower(hit) && set_up(hit) && same_backend(hit),
            _ => false,
        })
}

/// The app table's facts for a well-known path, when it knows them.
fn known_endpoint(needle: &str) -> Option<&'static Endpoint> {
    // Generic names (`/stream`, `/ws`) belong to no app in particular.
    if matches!(
        needle,
        "/events" | "/stream" | "/sse" | "/ws" | "/websocket"
    ) {
        return None;
    }
    let n = needle.trim_end_matches('/');
    apps::APPS
        .iter()
        .flat_map(|a| a.endpoints.iter())
        .find(|e| e.path.trim_end_matches('/') == n)
}

/// A location that serves files: a file-extension regex, a static path, `expires` or
/// `proxy_cache_valid`.
pub fn serves_static(model: &Model<'_>, loc: NodeId) -> bool {
    serves_static_path(model, loc, &ascii_lowercase(&location_path(model, loc)))
}

/// [`serves_static`] for a location whose lowercased pattern the caller has.
fn serves_static_path(model: &Model<'_>, loc: NodeId, path: &str) -> bool {
    if pattern_names_static(model, loc, path) {
        return true;
    }
    let own = |name: &str| model.children_named_slice(Some(loc), name);
    own("expires")
        .iter()
        .any(|&e| model.arg_str(e, 0).is_some_and(|v| v != "off"))
        || !own("proxy_cache_valid").is_empty()
}

/// Does location `loc`'s pattern alone say it serves files: a file-extension regex
/// (`~* \.(css|js|png)$`), a static directory (`/static/`, `/assets/`, `/_next/static/`),
/// `/favicon.ico` or `/robots.txt`? (Not its directives, as [`serves_static`] also reads.)
pub fn names_static_files(model: &Model<'_>, loc: NodeId) -> bool {
    pattern_names_static(model, loc, &ascii_lowercase(&location_path(model, loc)))
}

/// [`names_static_files`] for a location whose lowercased pattern the caller has.
fn pattern_names_static(model: &Model<'_>, loc: NodeId, path: &str) -> bool {
    let modifier = if model.arg_count(loc) > 1 {
        model.arg_str(loc, 0).unwrap_or_default()
    } else {
        Default::default()
    };
    const EXTENSIONS: &[&str] = &[
        "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "avif",
        "woff", "woff2", "ttf", "eot", "otf", "mp4", "webm", "mp3", "pdf", "txt", "xml", "json",
        "html", "htm", "wasm", "zip",
    ];
    if modifier.starts_with('~') && find(path, "\\.", 0).is_some() {
        let words = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty());
        if words.into_iter().any(|w| EXTENSIONS.contains(&w)) {
            return true;
        }
    }
    // A directory name in the path (`/static/`), or at its end without the final slash
    // (`/static`). Every name starts at a slash of the path: the segment after each slash is
    // matched as a whole (a `starts_with` per name and slash, a `memcmp` call each, was a
    // seventh of the classification's work).
    let bytes = path.as_bytes();
    let segment_at = |from: usize| {
        let len = bytes[from..]
            .iter()
            .position(|&b| b == b'/')
            .unwrap_or(bytes.len() - from);
        (&path[from..from + len], from + len)
    };
    // A segment that names a static directory when a slash or the path's end follows it.
    let static_dir = |i: usize| {
        let (name, end) = segment_at(i + 1);
        match name {
            "static" | "assets" | "_app" | "images" | "img" | "fonts" | "css" | "js" | "media"
            | "public" | "dist" => true,
            // `/_next/static/`.
            "_next" => end < bytes.len() && segment_at(end + 1).0 == "static",
            _ => false,
        }
    };
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'/' && static_dir(i))
        || ["/favicon.ico", "/robots.txt"]
            .iter()
            .any(|f| path.ends_with(f))
}

/// Does a location's (lowercased) pattern name a document under `/.well-known/` (RFC 8615:
/// OAuth and OpenID discovery, `security.txt`, ACME challenges, Matrix discovery)? Not the
/// whole directory (`location /.well-known/` may route anything below it), nor Mercure's hub
/// (`/.well-known/mercure`, SSE).
fn names_well_known_document(path: &str) -> bool {
    // A byte search: `str::find` sets up a two-way searcher per call (every location asks).
    let Some(at) = memchr::memmem::find(path.as_bytes(), b".well-known/") else {
        return false;
    };
    let named = path[at + ".well-known/".len()..]
        .bytes()
        .any(|b| b.is_ascii_alphanumeric());
    named && path[..at].ends_with(['/', '\\']) && !path.contains("mercure")
}

/// The location's own `proxy_buffering on`: the author wants this response buffered, so no
/// guess from the upstream's identity overrides it (a well-known path in the location's own
/// pattern still does, and the fix then is not a safe one).
pub fn buffering_explicitly_on(model: &Model<'_>, loc: NodeId) -> bool {
    own_line(model, loc, "proxy_buffering", "on")
}

/// The route look-ups of [`app_websocket_elsewhere`], kept between its questions about one
/// model: a server's locations are read into an index once, not once per location that asks
/// (a server of thousands of WebSocket locations of a known app read them all for each).
#[derive(Default)]
pub struct Routes(Router);

impl Routes {
    /// The location nginx picks in `server` for a request of `uri` (`Some(None)`: none), or
    /// `None` when finding it would run more than [`ROUTE_REGEXES`] regexes.
    pub fn location_of(&self, model: &Model<'_>, server: NodeId, uri: &str) -> LocationOf {
        self.0.location_of(model, Some(server), uri)
    }

    /// [`Routes::location_of`] for a server block or, with `None`, the top level of a
    /// server-context fragment.
    pub fn location_at(&self, model: &Model<'_>, server: Option<NodeId>, uri: &str) -> LocationOf {
        self.0.location_of(model, server, uri)
    }

    /// The app `loc` proxies to, recognised as the streaming classification does, but not
    /// from a default port alone: a name (of the upstream, a comment, the site) says it.
    pub fn app_named(
        &self,
        model: &Model<'_>,
        loc: NodeId,
        settings: &Settings,
    ) -> Option<&'static App> {
        self.0.recognise(model, loc, settings)?;
        self.0.named_app_asked(loc).app()
    }

    /// Does a request for `uri` end up in `loc` (directly, handed to it by `try_files`, or
    /// under the prefix `loc` mounts the app at)?
    pub fn routes(&self, model: &Model<'_>, loc: NodeId, uri: &str) -> bool {
        self.0.routes(model, loc, uri)
    }
}

/// Which location nginx picks for a request path (prefix, `=`, `^~`, regex, nesting), with the
/// compiled regexes cached for one run.
#[derive(Default)]
struct Router {
    /// Compiled patterns of regex locations and of the rewrites the router follows, by node.
    regexes: RefCell<HashMap<NodeId, Option<regex_lite::Regex>, FnvBuild>>,
    /// [`recognise`] of the last location asked for: a location is asked up to twice, both
    /// times while it is classified (a map of every location held 1.9 MB at 10 MB of
    /// configuration for no other use).
    recognised: RefCell<Option<(NodeId, Recognised)>>,
    /// [`target_apps`] by pass authority (`app0`, `127.0.0.1:8000`), emptied when it holds
    /// [`TARGET_APPS`] of them (it is a memo: memory stays bounded, answers the same).
    /// Shared, not copied, when asked again (the answer holds a list and a string).
    target_apps: RefCell<foldhash::HashMap<String, Rc<TargetApps>>>,
    /// Scratch stack of the walk of [`Mentions::of`], reused between locations.
    stack: RefCell<Vec<(NodeId, u8)>>,
    /// Does any `proxy_set_header Upgrade` line exist ([`upgrades_only_elsewhere`])?
    sets_upgrade: std::cell::OnceCell<bool>,
    /// The `Upgrade` and `Connection` lines of the `proxy_set_header` lists locations inherit
    /// ([`has_upgrade_evidence`], [`upgrades_only_elsewhere`]).
    named: RefCell<NamedLines>,
    /// The prefix locations of each level with their own `Upgrade` line, and their paths
    /// ([`carved_out_of_websocket_sibling`]).
    upgrading_prefixes: RefCell<HashMap<Option<NodeId>, Rc<[Prefixed]>, FnvBuild>>,
    /// The locations of each level [`Router::find`] was asked about, read once.
    levels: RefCell<HashMap<Option<NodeId>, Rc<Level>, FnvBuild>>,
    /// [`Router::location_of`] by server level and path, emptied when it holds
    /// [`LOCATIONS_OF`] of them (a memo: the answers are the same).
    locations_of: RefCell<foldhash::HashMap<(Option<NodeId>, String), LocationOf>>,
    /// [`file_app`] by file: asked once per file, not once per location.
    file_apps: RefCell<HashMap<super::FileId, Option<FileApp>, FnvBuild>>,
    /// The backends of each level's locations with the whole WebSocket recipe
    /// ([`websocket_sibling`]), read once per level.
    websocket_backends: RefCell<HashMap<Option<NodeId>, Rc<foldhash::HashSet<String>>, FnvBuild>>,
}

/// Most regexes run to find the location of one path. Regexes that can only match a path
/// beginning with their own literal text (`^/api/`) are run only for such paths; the others
/// (`\.php$`) must each be tried, and a level of thousands of them made every path cost
/// thousands of runs: past this many, the path has no answer (no location is taken to route
/// it). Real servers have a few dozen regex locations.
const ROUTE_REGEXES: u32 = 256;

/// [`Router::location_of`]'s answer: the location found (`Some(None)`: none), or `None` when
/// finding it would take too many regexes.
type LocationOf = Option<Option<NodeId>>;

/// Most paths [`Router::location_of`] remembers.
const LOCATIONS_OF: usize = 4096;

/// The locations directly in one level, read once for [`Router::find`]: each location of an
/// app asks where each of the app's endpoints goes, and a pass over every sibling per question
/// was quadratic (6,400 locations to Gradio's port in one server: 4.4 s for
/// `buffering-on-streaming`).
#[derive(Default)]
struct Level {
    /// The first `=` location of each path.
    exact: foldhash::HashMap<String, NodeId>,
    /// The prefix locations (`^~` or none; not named ones) by path: the first location of
    /// each path, and whether it is `^~`.
    prefixes: Trie<Option<(NodeId, bool)>>,
    /// The regex locations in order: node, pattern, case-insensitive.
    regexes: Vec<(NodeId, String, bool)>,
    /// The regexes (by place in `regexes`) that can match any path: no literal text they
    /// must begin with.
    anywhere: Vec<u32>,
    /// The others by the literal text they begin with ([`anchored_literal`]): the
    /// case-sensitive ones, then the case-insensitive ones (in lowercase, looked up with the
    /// path in lowercase).
    literals: [Trie<Vec<u32>>; 2],
}

/// Values by byte strings, found along a path's bytes: node 0 is the empty string, `edges`
/// leads from a node by a byte to the next (one look-up per byte, whatever the number of
/// strings).
struct Trie<T> {
    edges: foldhash::HashMap<(u32, u8), u32>,
    values: Vec<T>,
}

impl<T: Default> Default for Trie<T> {
    fn default() -> Self {
        Trie {
            edges: foldhash::HashMap::default(),
            values: vec![T::default()],
        }
    }
}

impl<T: Default> Trie<T> {
    /// The value of `key`, added (default) if new.
    fn entry(&mut self, key: impl IntoIterator<Item = u8>) -> &mut T {
        let mut node = 0;
        for b in key {
            let next = self.values.len() as u32;
            node = *self.edges.entry((node, b)).or_insert(next);
            if node == next {
                self.values.push(T::default());
            }
        }
        &mut self.values[node as usize]
    }

    /// `f` of the value of each prefix of `key` held (the empty one first), shortest first.
    fn along(&self, key: impl IntoIterator<Item = u8>, mut f: impl FnMut(&T)) {
        f(&self.values[0]);
        let mut node = 0;
        for b in key {
            let Some(&next) = self.edges.get(&(node, b)) else {
                return;
            };
            node = next;
            f(&self.values[node as usize]);
        }
    }
}

impl Level {
    fn of(model: &Model<'_>, level: Option<NodeId>) -> Level {
        let mut this = Level::default();
        for &l in model.children_named_slice(level, "location") {
            let n = model.arg_count(l);
            let pat = model.arg_str(l, n.saturating_sub(1)).unwrap_or_default();
            let modifier = if n > 1 {
                model.arg_str(l, 0).unwrap_or_default()
            } else {
                Cow::Borrowed("")
            };
            match &*modifier {
                "=" => {
                    this.exact.entry(pat.into_owned()).or_insert(l);
                }
                "~" | "~*" => {
                    let ci = modifier == "~*";
                    let at = this.regexes.len() as u32;
                    match anchored_literal(&pat, ci) {
                        Some(literal) => this.literals[usize::from(ci)]
                            .entry(literal.bytes())
                            .push(at),
                        None => this.anywhere.push(at),
                    }
                    this.regexes.push((l, pat.into_owned(), ci));
                }
                "^~" | "" if !pat.starts_with('@') => {
                    // Among equal paths the first is the one nginx's search finds here.
                    this.prefixes
                        .entry(pat.bytes())
                        .get_or_insert((l, modifier == "^~"));
                }
                _ => {}
            }
        }
        this
    }

    /// The location of the longest prefix path of `uri`, and whether it is `^~`.
    fn longest_prefix(&self, uri: &str) -> Option<(NodeId, bool)> {
        let mut best = None;
        self.prefixes.along(uri.bytes(), |&end| best = end.or(best));
        best
    }

    /// The regexes (places in `regexes`, in order) that may match `uri`: those that can match
    /// anywhere and those whose literal beginning `uri` starts with.
    fn candidates(&self, uri: &str, out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.anywhere);
        // Some regex has a literal beginning.
        if self.regexes.len() > self.anywhere.len() {
            let [sensitive, insensitive] = &self.literals;
            sensitive.along(uri.bytes(), |at| out.extend_from_slice(at));
            insensitive.along(uri.bytes().map(|b| b.to_ascii_lowercase()), |at| {
                out.extend_from_slice(at);
            });
            out.sort_unstable();
        }
    }
}

/// The literal text every match of location regex `pat` begins with (lowercased when `ci`):
/// `/api/v` of `^/api/v[0-9]+/`. `None` when it is not anchored at the start, has an
/// alternation, or begins with anything but a literal. Stops before a character a quantifier
/// makes optional, and, when `ci`, before `k` and `s`, which also match non-ASCII letters
/// under case folding (the Kelvin sign, the long s).
pub(crate) fn anchored_literal(pat: &str, ci: bool) -> Option<String> {
    let rest = pat.strip_prefix('^')?.as_bytes();
    if pat.contains('|') {
        return None;
    }
    let mut out = String::new();
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        let (c, next) = match b {
            b'\\' => match rest.get(i + 1) {
                Some(&e) if e.is_ascii_punctuation() => (e, i + 2),
                _ => break,
            },
            b'.' | b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'*' | b'+' | b'?' | b'^' | b'$' => {
                break;
            }
            c if c.is_ascii() && !c.is_ascii_control() => (c, i + 1),
            _ => break,
        };
        if matches!(rest.get(next), Some(b'?' | b'*' | b'{'))
            || (ci && matches!(c.to_ascii_lowercase(), b'k' | b's'))
        {
            break;
        }
        out.push(char::from(if ci { c.to_ascii_lowercase() } else { c }));
        if rest.get(next) == Some(&b'+') {
            break;
        }
        i = next;
    }
    (!out.is_empty()).then_some(out)
}

/// A prefix location and its path.
type Prefixed = (NodeId, String);

/// Most pass authorities [`Router`] remembers the apps of.
const TARGET_APPS: usize = 4096;

/// The app, how it was recognised, and whether by its default port only (a guess).
type Recognised = Option<(&'static App, How, bool)>;

/// How an app was recognised; written out only for the reason of a location that streams
/// (most recognitions are asked about and never shown).
#[derive(Clone)]
enum How {
    /// The upstream target (as written) names it.
    Upstream(String),
    /// The comment after the pass directive names it.
    Comment(String),
    /// Its default port.
    Port(u16),
    /// Its default port, on which the server listens.
    Listen(u16),
    /// The first label of the site's `server_name`.
    ServerName(String),
    /// The first label of the site's `server_name`, and the app's default port the location
    /// proxies to: two signs, no guess.
    SiteAndPort(String, u16),
    /// The name of the file the server is in.
    FileName(String),
    /// The location's prefix (`/grafana/`).
    Prefix(String),
}

impl How {
    fn describe(&self, app: &App) -> String {
        match self {
            How::Upstream(target) => format!("upstream `{target}` names {}", app.name),
            How::Comment(comment) => format!("the comment `# {comment}` names {}", app.name),
            How::Port(port) => format!("port {port}, {}'s default — a guess", app.name),
            How::Listen(port) => format!(
                "the server listens on port {port}, {}'s default — a guess",
                app.name
            ),
            How::FileName(name) => {
                format!("the file `{name}` is named for {} — a guess", app.name)
            }
            How::Prefix(path) => {
                format!("the location's path `{path}` names {} — a guess", app.name)
            }
            How::ServerName(name) => {
                format!("the site `{name}` is named for {} — a guess", app.name)
            }
            How::SiteAndPort(name, port) => format!(
                "the site `{name}` is named for {0}, and it proxies to port {port}, {0}'s default",
                app.name
            ),
        }
    }
}

impl Router {
    fn target_apps(
        &self,
        model: &Model<'_>,
        authority: Cow<'_, str>,
        settings: &Settings,
    ) -> Rc<TargetApps> {
        if let Some(t) = self.target_apps.borrow().get(&*authority) {
            return Rc::clone(t);
        }
        let key = authority.to_string();
        let t = Rc::new(target_apps(model, authority, settings));
        let mut memo = self.target_apps.borrow_mut();
        if memo.len() >= TARGET_APPS {
            memo.clear();
        }
        memo.insert(key, Rc::clone(&t));
        t
    }

    /// What [`Router::recognise`] said of `loc`, if it was the last location asked.
    fn named_app_asked(&self, loc: NodeId) -> NamedApp {
        match &*self.recognised.borrow() {
            Some((at, r)) if *at == loc => match r {
                Some((app, how, _)) if !matches!(how, How::Port(_)) => NamedApp::of(app),
                _ => NamedApp::Unknown,
            },
            _ => NamedApp::NotAsked,
        }
    }

    fn recognise(&self, model: &Model<'_>, loc: NodeId, settings: &Settings) -> Recognised {
        if let Some((at, r)) = &*self.recognised.borrow()
            && *at == loc
        {
            return r.clone();
        }
        let r = recognise(model, loc, settings, Some(self));
        *self.recognised.borrow_mut() = Some((loc, r.clone()));
        r
    }

    /// Does a request for `uri` end up in `loc` (directly, or handed to it with
    /// `try_files ... @loc`)? For a prefix location below `/`, the app may also be mounted
    /// there (`/app/` + `uri`).
    fn routes(&self, model: &Model<'_>, loc: NodeId, uri: &str) -> bool {
        let Some(server) = server_level(model, loc) else {
            return false;
        };
        let path = location_path(model, loc);
        let mut uris = vec![uri.to_owned()];
        // `location /app/ { proxy_pass http://x/; }` replaces `/app/` with `/`: the app
        // answers `/app/queue/data` as `/queue/data`. With `proxy_pass http://x/api;` in
        // `location /api` the app sees `/api...` only, never `/ws` (ComfyUI's `/api` beside
        // its `/ws`).
        let pass_uri = pass_directive(model, loc)
            .and_then(|p| model.arg(p, 0))
            .and_then(|u| {
                u.split_once("://")
                    .and_then(|(_, r)| r.find('/').map(|i| r[i..].to_owned()))
            });
        if let Some(pass_uri) = pass_uri.as_deref()
            && model.arg_count(loc) == 1
            && path.starts_with('/')
            && path != "/"
            && !uri.starts_with(&*path)
        {
            if pass_uri == "/" {
                // A location named for a version prefix (ONLYOFFICE's `/6.3.0-111/`) stands
                // for the app's own (`/9.0.0-1/doc/...`): the client asks for
                // `/6.3.0-111/doc/...`, which a regex location may take first (held-out batch
                // 299).
                let rest = match (version_prefix_end(&path), version_prefix_end(uri)) {
                    (Some(_), Some(end)) => &uri[end..],
                    _ => uri,
                };
                uris.push(format!("{}{rest}", path.trim_end_matches('/')));
            } else if let Some(rest) = uri.strip_prefix(pass_uri) {
                uris.push(format!("{path}{rest}"));
            }
        } else if pass_uri.is_none()
            && !uri.starts_with(&*path)
            && model.children_named_slice(Some(loc), "rewrite").is_empty()
            // A prefix location of one segment that is an app's name exactly, proxied:
            // `/_synapse/admin` names no mount of Synapse (held-out batch 487: its media
            // uploads go to `/_matrix`, a false finding when they were routed through the
            // admin location).
            && prefix_app(model, loc).is_some()
        {
            // `location /grafana/ { proxy_pass http://grafana:3000; }` hands the app the
            // request's URI, prefix and all: an app answering there serves itself under the
            // prefix (Grafana's `serve_from_sub_path`), its endpoints below it
            // (`/grafana/api/live/ws`; held-out batch 469, measured: 400 through the location).
            // Only a prefix that names an app: one of an app's own routes (Dify's `/files`,
            // Odoo's `/longpolling`) is no mount point; nor a location whose `rewrite` changes
            // the URI it hands on.
            uris.push(format!("{}{uri}", path.trim_end_matches('/')));
        }
        // `rewrite ^/flower(.*)$ $1 break;` hands the app `/x` for a request of `/flower/x`.
        if let Some(prefixed) = self.rewritten_from(model, loc, uri) {
            uris.push(prefixed);
        }
        uris.iter().any(|u| {
            let Some(Some(hit)) = self.location_of(model, server, u) else {
                return false;
            };
            hit == loc || hands_off_to(model, hit, loc)
        })
    }

    /// The location nginx picks in server level `server` for a request of `uri` (`Some(None)`:
    /// none), or `None` when finding it would run more than [`ROUTE_REGEXES`] regexes. Each
    /// location of an app asks for each of the app's endpoints: most paths are asked again.
    fn location_of(&self, model: &Model<'_>, server: Option<NodeId>, uri: &str) -> LocationOf {
        let key = (server, uri.to_owned());
        if let Some(&known) = self.locations_of.borrow().get(&key) {
            return known;
        }
        let mut regexes_left = ROUTE_REGEXES;
        let answer = self
            .find(model, server, uri, &mut regexes_left)
            .map(|(found, _)| found);
        let mut memo = self.locations_of.borrow_mut();
        if memo.len() >= LOCATIONS_OF {
            memo.clear();
        }
        memo.insert(key, answer);
        answer
    }

    /// nginx's `ngx_http_core_find_location` over the locations directly in `level`:
    /// (location, done) where done means no regex at an outer level may override it. `None`
    /// when it would run more regexes than `regexes_left` (counted down).
    fn find(
        &self,
        model: &Model<'_>,
        level: Option<NodeId>,
        uri: &str,
        regexes_left: &mut u32,
    ) -> Option<(Option<NodeId>, bool)> {
        let found = self.levels.borrow().get(&level).cloned();
        let locations = found.unwrap_or_else(|| {
            let built = Rc::new(Level::of(model, level));
            self.levels.borrow_mut().insert(level, built.clone());
            built
        });
        if let Some(&l) = locations.exact.get(uri) {
            return Some((Some(l), true));
        }
        let best = locations.longest_prefix(uri);
        let mut current = best.map(|(l, _)| l);
        if let Some((l, noregex)) = best {
            let (inner, done) = self.find(model, Some(l), uri, regexes_left)?;
            if inner.is_some() {
                current = inner;
            }
            if done || noregex {
                return Some((current, true));
            }
        }
        let mut candidates = Vec::new();
        locations.candidates(uri, &mut candidates);
        for &at in &candidates {
            *regexes_left = regexes_left.checked_sub(1)?;
            let (l, pat, ci) = &locations.regexes[at as usize];
            if self.regex_matches(*l, pat, *ci, uri) {
                let (inner, _) = self.find(model, Some(*l), uri, regexes_left)?;
                return Some((inner.or(Some(*l)), true));
            }
        }
        Some((current, false))
    }

    fn regex_matches(&self, l: NodeId, pat: &str, ci: bool, uri: &str) -> bool {
        self.with_regex(l, pat, ci, |r| r.is_match(uri))
            .unwrap_or(false)
    }

    /// `f` of the regex of node `id` (a location's pattern, a rewrite's), compiled the first
    /// time it is asked for; `None` when regex-lite cannot read it.
    fn with_regex<R>(
        &self,
        id: NodeId,
        pat: &str,
        ci: bool,
        f: impl FnOnce(&regex_lite::Regex) -> R,
    ) -> Option<R> {
        let mut cache = self.regexes.borrow_mut();
        let re = cache.entry(id).or_insert_with(|| {
            let src = if ci {
                format!("(?i){pat}")
            } else {
                pat.to_owned()
            };
            regex_lite::Regex::new(&src).ok()
        });
        re.as_ref().map(f)
    }

    /// The request URI that `loc`'s one `rewrite REGEX REPLACEMENT break;` turns into `uri`, the
    /// URI its `proxy_pass` then sends (nginx passes a URI changed by `rewrite ... break` whole):
    /// for a regex that is a plain prefix and one capture (`^/flower(.*)$`, `^/app/(.*)$`) and a
    /// replacement that is fixed text and `$1` (`$1`, `/$1`). Checked by running the regex on the
    /// URI found. Docker-flower's `location ~ /flower` takes Flower's WebSockets as
    /// `/flower/api/task/events/...`.
    fn rewritten_from(&self, model: &Model<'_>, loc: NodeId, uri: &str) -> Option<String> {
        let [rewrite] = model.children_named_slice(Some(loc), "rewrite") else {
            return None;
        };
        if model.arg_count(*rewrite) != 3 || model.arg_str(*rewrite, 2)?.as_ref() != "break" {
            return None;
        }
        let (regex, replacement) = (model.arg_str(*rewrite, 0)?, model.arg_str(*rewrite, 1)?);
        let (fixed, after) = replacement.split_once("$1")?;
        if !after.is_empty() || fixed.contains('$') {
            return None;
        }
        let captured = uri.strip_prefix(fixed)?;
        let body = regex.strip_prefix('^')?;
        let literal = &body[..body.find('(')?];
        if literal.contains(['.', '[', ']', '*', '+', '?', '{', '}', '|', '\\', '$', '^']) {
            return None;
        }
        let request = format!("{literal}{captured}");
        // Compiled once per rewrite (the router asks for every endpoint of the app).
        let matches = self
            .with_regex(*rewrite, &regex, false, |re| {
                re.captures(&request)
                    .and_then(|c| c.get(1))
                    .is_some_and(|g| g.as_str() == captured)
            })
            .unwrap_or(false);
        matches.then_some(request)
    }
}

/// The first `needle` in `hay` at or after byte `from`. Location paths are short and the
/// needles many: a plain byte scan costs a fraction of `str::find`'s searcher set-up, which
/// dominated classifying thousands of locations.
fn find(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let &first = n.first()?;
    h.get(from..)?
        .windows(n.len())
        .position(|w| w[0] == first && w == n)
        .map(|i| from + i)
}

/// `/ws` matches `/ws`, `/ws/`, `/api/ws`, `^/ws$` but not `/wsdl`.
#[cfg(test)]
fn path_matches(path: &str, needle: &str) -> bool {
    path_matches_at(path, &slashes(path), needle)
}

/// Where the slashes of a path are.
fn slashes(path: &str) -> Vec<usize> {
    path.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'/')
        .map(|(i, _)| i)
        .collect()
}

/// [`path_matches`] given the path's [`slashes`]: a needle that starts with `/` (all of
/// [`ENDPOINTS`] do) can only start at one of them, so a location's path is scanned once
/// for its seventeen needles, not once per needle.
fn path_matches_at(path: &str, slashes: &[usize], needle: &str) -> bool {
    if let Some(rest) = needle.strip_prefix('/') {
        let bytes = path.as_bytes();
        let mut from = 0;
        for &i in slashes {
            if i < from || !bytes[i + 1..].starts_with(rest.as_bytes()) {
                continue;
            }
            let end = i + needle.len();
            if ends_segment(path, end, needle) {
                return true;
            }
            from = end;
        }
        return false;
    }
    let mut from = 0;
    while let Some(i) = find(path, needle, from) {
        let end = i + needle.len();
        if ends_segment(path, end, needle) {
            return true;
        }
        from = end;
    }
    false
}

/// Does a match of `needle` ending at `end` end a path segment (or the needle its own `/`)?
/// `/ws` matches `/ws`, `/ws/`, `/ws.json`, not `/wsdl`.
fn ends_segment(path: &str, end: usize, needle: &str) -> bool {
    needle.ends_with('/')
        || path[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_' && c != '-')
}

/// The named locations `hit` hands its requests to (the last argument of each of its
/// `try_files`), when it proxies nothing itself: those [`hands_off_to`] says yes for.
pub fn handed_to<'m>(model: &'m Model<'_>, hit: NodeId) -> impl Iterator<Item = String> + 'm {
    // Asked for each location a route reaches: nothing is collected.
    let proxies = pass_directive(model, hit).is_some();
    model
        .children_named_slice(Some(hit), "try_files")
        .iter()
        .filter(move |_| !proxies)
        .filter_map(move |&t| {
            let n = model.arg_count(t);
            model
                .arg(t, n.saturating_sub(1))
                .filter(|a| a.starts_with('@'))
        })
}

/// Location `hit` has no pass of its own and hands its requests to the named location `loc`
/// (`try_files ... @loc`): `loc` answers them, with its own settings.
pub fn hands_off_to(model: &Model<'_>, hit: NodeId, loc: NodeId) -> bool {
    let name = location_path(model, loc);
    name.starts_with('@') && handed_to(model, hit).any(|t| t == name)
}

/// The location's own pass directive (also inside its `if` blocks).
fn pass_directive(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    model.children(loc).iter().copied().find_map(|c| {
        if PASS_DIRECTIVES.contains(&model.name(c)) {
            Some(c)
        } else if model.name(c) == "if" {
            model
                .children(c)
                .iter()
                .copied()
                .find(|&g| PASS_DIRECTIVES.contains(&model.name(g)))
        } else {
            None
        }
    })
}

/// The comment after a directive on its own line (`proxy_pass ...;  # FileBrowser port`),
/// without the `#` and surrounding blanks.
fn trailing_comment<'p>(model: &Model<'p>, id: NodeId) -> Option<&'p str> {
    let src = model.src(id);
    let end = model.node(id).directive.span().end as usize;
    let rest = src.get(end..)?;
    let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
    comment_text(line)
}

/// The text of a line that is a comment (blanks, `#`, the text), without the `#` and
/// surrounding blanks; `None` for another line or an empty comment.
fn comment_text(line: &[u8]) -> Option<&str> {
    let text = line.trim_ascii_start().strip_prefix(b"#")?;
    std::str::from_utf8(text)
        .ok()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The comment on the line right above a directive (`# ComfyUI : 3000` over `server {`),
/// without the `#` and surrounding blanks.
fn heading_comment<'p>(model: &Model<'p>, id: NodeId) -> Option<&'p str> {
    let src = model.src(id);
    let start = model.node(id).directive.span().start as usize;
    let before = src.get(..start)?;
    // The directive's own line: only blanks before it.
    let indent = before
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let line_start = before.len().checked_sub(indent + 1)?;
    if before[line_start] != b'\n' {
        return None;
    }
    // The line above, unless it opens a block (the location's head, above most pass lines:
    // every proxied location's is asked, and reading the whole line back was 1.9 M
    // instructions at 1 MB).
    let above = &before[..line_start];
    let above = above.strip_suffix(b"\r").unwrap_or(above);
    if matches!(above.last(), None | Some(b'{')) {
        return None;
    }
    let above_start = memchr::memrchr(b'\n', above).map_or(0, |i| i + 1);
    comment_text(&above[above_start..])
}

/// The location's pattern as written (`/api/chat`, `~ ^/ws`), borrowed from the source when it
/// can be.
pub fn location_path<'p>(model: &Model<'p>, loc: NodeId) -> Cow<'p, str> {
    let n = model.arg_count(loc);
    model.arg_str(loc, n.saturating_sub(1)).unwrap_or_default()
}

/// Does `loc`'s path hold one of `words` (lowercase), compared without ASCII case
/// (`/Socket.IO/` holds `socket.io`)?
pub fn path_holds_any(model: &Model<'_>, loc: NodeId, words: &[&str]) -> bool {
    let path = location_path(model, loc);
    words
        .iter()
        .any(|w| contains_ignore_case(path.as_bytes(), w.as_bytes()))
}

/// `s` in ASCII lowercase, copied only when it has an uppercase letter.
fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

enum Marker {
    Streaming,
    WebSocket,
    NotStreaming,
}

/// `# ngxlint: streaming` inside the block, or in the comments right above the location.
fn explicit_marker(model: &Model<'_>, loc: NodeId) -> Option<Marker> {
    // The comments read are the location's file's: without one naming ngxlint (as the parser
    // counted), no marker.
    let file = model.file_of(loc);
    if !model.program.file(file).syntax.may_have_ngxlint_comments() {
        return None;
    }
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
                && t.kind() == TokenKind::Comment
                && let Some(m) = parse(t.text(src))
            {
                return Some(m);
            }
        }
    }
    // Comments directly above: walk the parent's items backwards from this directive.
    let siblings: &[Element] = match n.parent() {
        Some(p) if model.file_of(p) == file => &model.node(p).directive.block()?.items,
        _ => &model.program.file(file).syntax.items,
    };
    // The items are in source order: found by a binary search on where each starts (a pass
    // over the block's items for each of its locations took time proportional to the
    // locations squared, a second for 80,000 locations in one server).
    let is_this = |e: &Element| matches!(e, Element::Directive(d) if std::ptr::eq(d, n.directive));
    let at = siblings.partition_point(|e| e.span().start < n.directive.span().start);
    let idx = match siblings.get(at) {
        Some(e) if is_this(e) => at,
        _ => siblings.iter().position(is_this)?,
    };
    for e in siblings[..idx].iter().rev() {
        match e {
            Element::Token(t) if t.kind() == TokenKind::Comment => {
                if let Some(m) = parse(t.text(src)) {
                    return Some(m);
                }
            }
            Element::Token(t) if matches!(t.kind(), TokenKind::Space | TokenKind::Newline) => {}
            _ => break,
        }
    }
    None
}

/// What the directives inside a location mention (case-insensitively), found in one walk of
/// its subtree: each question below used to walk it again (up to six walks per location).
#[derive(Clone, Copy, Default)]
struct Mentions {
    /// `X-Accel-Buffering` outside `*_ignore_headers` (listing it there shows the author
    /// wanted buffering) and `*_pass_header` (the application sends it: held-out batch 198).
    accel: bool,
    /// `text/event-stream` anywhere.
    event_stream: bool,
    /// `$http_upgrade` outside `*_cache_bypass` and `*_no_cache`.
    upgrade_var: bool,
    /// `$http_upgrade` outside those and outside `proxy_set_header`.
    upgrade_var_not_header: bool,
}

impl Mentions {
    const ACCEL: u8 = 1;
    const EVENT_STREAM: u8 = 2;
    const UPGRADE_VAR: u8 = 4;
    const UPGRADE_VAR_NOT_HEADER: u8 = 8;

    /// One walk of `loc`'s subtree; a directive excluded for a question is excluded with its
    /// block, as the separate walks did. `stack` is scratch space reused between locations.
    fn of(model: &Model<'_>, loc: NodeId, stack: &mut Vec<(NodeId, u8)>) -> Mentions {
        let mut found = 0u8;
        // `if ($http_upgrade ...) { rewrite ^ /websocket$uri last; }` sends the handshakes to
        // another location (lila's `location /`): the variable in the conditions of such a
        // location picks the requests it hands off, it forwards nothing.
        let hands_off = !model.directives_named("if").is_empty()
            && model
                .children_named_slice(Some(loc), "if")
                .iter()
                .any(|&i| sends_elsewhere(model, i));
        stack.clear();
        stack.push((
            loc,
            Self::ACCEL | Self::EVENT_STREAM | Self::UPGRADE_VAR | Self::UPGRADE_VAR_NOT_HEADER,
        ));
        while let Some((id, asked)) = stack.pop() {
            let n = model.node(id);
            let name = model.name(id);
            let mut asked = asked & !found;
            // `*_pass_header X-Accel-Buffering`: the application sends the header (nginx
            // obeys it whether or not it passes it on), so it says itself what to buffer.
            if name.ends_with("_ignore_headers") || name.ends_with("_pass_header") {
                asked &= !Self::ACCEL;
            }
            if name.ends_with("_cache_bypass") || name.ends_with("_no_cache") {
                asked &= !(Self::UPGRADE_VAR | Self::UPGRADE_VAR_NOT_HEADER);
            }
            if name.ends_with("proxy_set_header") {
                asked &= !Self::UPGRADE_VAR_NOT_HEADER;
            }
            if asked == 0 {
                continue;
            }
            // What this directive's own arguments are asked (its block is asked `asked`).
            let mut own_asked = asked;
            if hands_off && name == "if" {
                own_asked &= !(Self::UPGRADE_VAR | Self::UPGRADE_VAR_NOT_HEADER);
            }
            // Raw token bytes, no allocation: the needles contain no quotes or escapes.
            let src = model.src(id);
            for t in n.directive.arg_tokens() {
                let asked = own_asked;
                let text = t.text(src);
                if asked & Self::ACCEL != 0 && contains_ignore_case(text, b"x-accel-buffering") {
                    found |= Self::ACCEL;
                }
                if asked & Self::EVENT_STREAM != 0
                    && contains_ignore_case(text, b"text/event-stream")
                {
                    found |= Self::EVENT_STREAM;
                }
                if asked & (Self::UPGRADE_VAR | Self::UPGRADE_VAR_NOT_HEADER) != 0
                    && contains_ignore_case(text, b"$http_upgrade")
                {
                    found |= asked & (Self::UPGRADE_VAR | Self::UPGRADE_VAR_NOT_HEADER);
                }
            }
            // A nested location answers its own requests: what it says is its own evidence,
            // not the enclosing location's (an SSE regex location inside `location /api/`).
            stack.extend(
                model
                    .children(id)
                    .iter()
                    .filter(|&&c| model.name(c) != "location")
                    .map(|&c| (c, asked)),
            );
        }
        Mentions {
            accel: found & Self::ACCEL != 0,
            event_stream: found & Self::EVENT_STREAM != 0,
            upgrade_var: found & Self::UPGRADE_VAR != 0,
            upgrade_var_not_header: found & Self::UPGRADE_VAR_NOT_HEADER != 0,
        }
    }
}

/// Does the `if` block `i` send its requests elsewhere: a `rewrite` other than `break` (a
/// location's rewritten URI is matched again, with `last` or without a flag), a redirecting
/// one, or a `return`?
fn sends_elsewhere(model: &Model<'_>, i: NodeId) -> bool {
    model.children(i).iter().any(|&c| match model.name(c) {
        "return" => true,
        "rewrite" => match model.arg_count(c) {
            2 => true,
            3 => model
                .arg_str(c, 2)
                .is_some_and(|f| matches!(&*f, "last" | "redirect" | "permanent")),
            _ => false,
        },
        _ => false,
    })
}

/// `Upgrade` / `Connection upgrade` headers in effect (only the location's own with
/// `own_only`), or `$http_upgrade` used in the location other than as a cache switch
/// (`proxy_cache_bypass $http_upgrade` says nothing about WebSockets).
fn has_upgrade_evidence(
    model: &Model<'_>,
    loc: NodeId,
    own_only: bool,
    m: &Mentions,
    router: &Router,
) -> bool {
    let eff = model.effective(Some(loc), "proxy_set_header");
    if own_only && eff.origin != super::model::Origin::Here {
        return m.upgrade_var_not_header;
    }
    let mut named = router.named.borrow_mut();
    let value = |h: NodeId| model.arg_str(h, 1).unwrap_or_default();
    // `Upgrade ""` clears the header: that is a location opting out, not a WebSocket one.
    let header_says = named.any(model, &eff, &["upgrade", "connection"], |name, h| {
        if name == "upgrade" {
            !value(h).is_empty()
        } else {
            contains_ignore_case(value(h).as_bytes(), b"upgrade")
        }
    });
    header_says || m.upgrade_var
}

/// `X-Accel-Buffering` or `text/event-stream` mentioned, or buffering already off (the
/// weakest, named only when nothing else is there).
fn sse_evidence(
    model: &Model<'_>,
    loc: NodeId,
    pass: NodeId,
    m: &Mentions,
) -> Option<&'static str> {
    // `proxy_ignore_headers X-Accel-Buffering` shows the author wanted buffering: not evidence.
    if m.accel {
        return Some("it mentions `X-Accel-Buffering`");
    }
    if m.event_stream {
        return Some("it mentions `text/event-stream`");
    }
    // Only the switch of the location's own handler: `proxy_buffering off` at the `http`
    // level says nothing of a PHP location's `fastcgi_pass` (held-out batch 123, whose
    // author set `fastcgi_buffering on` there).
    let prefix = handler_prefix(model.name(pass))?;
    let (directive, reason) = buffering_of(prefix);
    let eff = model.effective(Some(loc), directive);
    if let Some(&b) = eff.nodes.first()
        && model
            .arg_str(b, 0)
            .is_some_and(|v| v.eq_ignore_ascii_case("off"))
    {
        return Some(reason);
    }
    // `proxy_buffering off` written in the location itself beside another handler's pass
    // (`uwsgi_pass`, held-out batch 158's Flask SSE): the author meant the stream unbuffered,
    // and used the other handler's switch.
    if prefix != "proxy" && proxy_buffering_off_here(model, loc) {
        return Some("it turns `proxy_buffering` off itself");
    }
    None
}

/// Does `loc` itself say `proxy_buffering off;`?
pub fn proxy_buffering_off_here(model: &Model<'_>, loc: NodeId) -> bool {
    own_line(model, loc, "proxy_buffering", "off")
}

/// `X-Accel-Buffering` or `text/event-stream` in the location: said for a stream, not copied
/// along with other proxy settings as `proxy_buffering off` often is.
fn strong_sse_evidence(m: &Mentions) -> bool {
    m.accel || m.event_stream
}

/// ASCII case-insensitive substring test (`needle` is lowercase).
pub fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    // The first byte alone rules out almost every start; `needle` is lowercase, so comparing
    // lowercase bytes is `eq_ignore_ascii_case`.
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len()).any(|i| {
            hay[i].to_ascii_lowercase() == first
                && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
        })
}

/// Where the location's pass directive sends requests: the URL's authority, and for an
/// `upstream` name, each of its servers; variables are resolved through `set` when possible.
/// Borrowed from the source when the arguments need no unescaping.
fn upstream_targets<'p>(model: &Model<'p>, loc: NodeId) -> Vec<Cow<'p, str>> {
    pass_authority(model, loc).map_or_else(Vec::new, |a| targets_of(model, a))
}

/// The authority the location's pass directive sends to (`set` variables resolved).
pub fn pass_authority<'p>(model: &Model<'p>, loc: NodeId) -> Option<Cow<'p, str>> {
    let pass = pass_directive(model, loc)?;
    let mut url = model.arg_str(pass, 0)?;
    // `proxy_pass $backend;` with `set $backend http://...;` in the location or server, and
    // `proxy_pass $backend:3100$request_uri;` (Loki's Helm gateway): the variable's value,
    // then the rest as written.
    if let Some((var, rest)) = url.strip_prefix('$').and_then(variable_at)
        && let Some(v) = resolve_set(model, loc, var)
    {
        url = if rest.is_empty() {
            v
        } else {
            Cow::Owned([v.as_ref(), rest].concat())
        };
    }
    // `$upstream_proto://$upstream_app:$upstream_port` with a `set` for each (SWAG's
    // proxy-confs, and the stacks built on them): the host and port as set.
    if let Some(i) = find(&url, "://", 0)
        && url.as_bytes().get(i + 3) == Some(&b'$')
        && let Some(host) = expand_authority(model, loc, &url[i + 3..])
    {
        return Some(Cow::Owned(host));
    }
    Some(match url {
        Cow::Borrowed(u) => Cow::Borrowed(authority_of(u)),
        Cow::Owned(u) => Cow::Owned(authority_of(&u).to_owned()),
    })
}

/// The authority at the start of `rest` (what follows `://`) with each variable replaced by
/// the value of its one `set` at the location's levels; `None` when the host is a variable
/// with no such value. A variable that cannot be resolved after the host starts the URI
/// (`$request_uri`), as in [`authority_of`].
fn expand_authority(model: &Model<'_>, loc: NodeId, rest: &str) -> Option<String> {
    let b = rest.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() && b[i] != b'/' {
        if b[i] != b'$' {
            let run = b[i..]
                .iter()
                .position(|&c| c == b'$' || c == b'/')
                .map_or(b.len(), |n| i + n);
            out.push_str(&rest[i..run]);
            i = run;
            continue;
        }
        let value = variable_at(&rest[i + 1..]).and_then(|(name, after)| {
            let v = resolve_set(model, loc, name).filter(|v| !v.contains(['$', '/']))?;
            Some((v, after))
        });
        match value {
            Some((v, after)) => {
                out.push_str(&v);
                i = rest.len() - after.len();
            }
            None if out.is_empty() => return None,
            None => break,
        }
    }
    Some(out)
}

/// The authority and, when it names an `upstream`, each of its servers.
fn targets_of<'p>(model: &Model<'p>, authority: Cow<'p, str>) -> Vec<Cow<'p, str>> {
    let upstreams = model.upstreams_named(authority.split(':').next().unwrap_or(""));
    let mut out = Vec::with_capacity(1 + upstreams.len());
    out.push(authority);
    for &u in upstreams {
        for &s in model.children_named_slice(Some(u), "server") {
            if let Some(a) = model.arg_str(s, 0) {
                out.push(a);
            }
        }
    }
    out
}

/// The authority of a pass URL (`http://app:8000/x` → `app:8000`; `http://app$request_uri` →
/// `app`: a variable after the host starts the URI, as `$request_uri` and `$uri` do).
fn authority_of(url: &str) -> &str {
    // Byte searches: `str::split_once` sets up a searcher per call.
    let rest = find(url, "://", 0).map_or(url, |i| &url[i + 3..]);
    // A UNIX socket's path runs to the `:` before the URI (`unix:/run/docker.sock:/v1/`).
    if let Some(path) = rest.strip_prefix("unix:") {
        return &rest[..5 + path.find(':').unwrap_or(path.len())];
    }
    rest.bytes()
        .enumerate()
        .position(|(i, b)| b == b'/' || (b == b'$' && i > 0))
        .map_or(rest, |i| &rest[..i])
}

/// The value of the nearest `set $var ...` from `loc` outwards (its own level first), as
/// written: what `$var` holds in `loc` where no `if` sets it.
pub fn resolve_set<'p>(model: &Model<'p>, loc: NodeId, var: &str) -> Option<Cow<'p, str>> {
    for level in std::iter::once(loc).chain(model.ancestors(loc)) {
        for &s in model.children_named_slice(Some(level), "set") {
            if model
                .arg_str(s, 0)
                .is_some_and(|a| a.strip_prefix('$') == Some(var))
            {
                return model.arg_str(s, 1);
            }
        }
    }
    None
}

/// A host that says nothing about who listens there: an address, `localhost`, or a generic
/// service name. Only then does a default port name the app: a host called `coze-server` on
/// Jupyter's 8888 is Coze's server, not Jupyter (a held-out configuration's false alarm).
fn names_nothing(host: &str) -> bool {
    const GENERIC: &[&str] = &[
        "localhost",
        "host.docker.internal",
        "server",
        "app",
        "backend",
        "upstream",
        "api",
        "web",
        "service",
    ];
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.is_empty()
        || bare.parse::<std::net::IpAddr>().is_ok()
        || GENERIC.iter().any(|g| bare.eq_ignore_ascii_case(g))
}

/// Is an upstream's name made of words that name no service (`backend_servers`;
/// `ollama_lb` is not: `ollama` names one)?
fn generic_words_only(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "backend",
        "backends",
        "server",
        "servers",
        "upstream",
        "upstreams",
        "app",
        "apps",
        "api",
        "web",
        "service",
        "services",
        "pool",
        "cluster",
        "lb",
        "loadbalancer",
        "balancer",
        "node",
        "nodes",
        "default",
        "main",
        "local",
        "localhost",
        "all",
    ];
    // Bytes, not chars: every proxied authority of a run asks (its words are ASCII or name
    // something anyway).
    name.as_bytes()
        .split(|&b| matches!(b, b'-' | b'_' | b'.'))
        // A number after a word still names nothing (`app1`, `backend02`).
        .map(|w| {
            &w[..w
                .iter()
                .rposition(|b| !b.is_ascii_digit())
                .map_or(0, |i| i + 1)]
        })
        .all(|w| w.is_empty() || WORDS.iter().any(|g| w.eq_ignore_ascii_case(g.as_bytes())))
}

/// `host:port` → (host, port); `unix:` sockets and bare names have no port.
fn host_port(target: &str) -> (&str, Option<u16>) {
    if target.starts_with("unix:") {
        return (target, None);
    }
    // A byte search: `:` is ASCII, and `str::rsplit_once` sets up a searcher per call.
    match target.bytes().rposition(|b| b == b':') {
        Some(i) if !target[..i].ends_with(']') || target.starts_with('[') => {
            (&target[..i], target[i + 1..].parse().ok())
        }
        _ => (target, None),
    }
}

/// Includes whose contents are known not to set proxy settings (stock files shipped with
/// nginx or Debian, certbot's TLS options).
const HARMLESS_INCLUDES: &[&str] = &[
    "mime.types",
    "fastcgi_params",
    "fastcgi.conf",
    "uwsgi_params",
    "scgi_params",
    "proxy_params",
    "options-ssl-nginx.conf",
];

/// Is there, from `loc` up to and including `top` (`None` = up to the top level), an `include`
/// whose files we could not read (so may set the directive)?
pub fn unknown_include_up_to(model: &Model<'_>, loc: NodeId, top: Option<Option<NodeId>>) -> bool {
    if no_include_failed(model) {
        return false;
    }
    let mut level = Some(loc);
    loop {
        if unknown_include_at(model, level) {
            return true;
        }
        if top == Some(level) {
            return false;
        }
        match level {
            Some(l) => level = model.node(l).parent(),
            None => return false,
        }
    }
}

/// The includes (quoted, comma-separated) whose files could not be read and that could change one of the
/// effective values `effs` at `loc`: at the location, or at any level up to where the value
/// comes from (a value set in the location itself is out of reach of an include above it).
pub fn missing_include_for(
    model: &Model<'_>,
    loc: NodeId,
    effs: &[&super::model::Effective],
) -> Option<String> {
    use super::model::Origin;
    if no_include_failed(model) {
        return None;
    }
    // The highest level any of the values could be changed from.
    let mut levels: Vec<Option<NodeId>> = vec![Some(loc)];
    let mut up = model.ancestors(loc).map(Some).chain(std::iter::once(None));
    let reach = |origin: &Origin| -> Option<Option<NodeId>> {
        match origin {
            Origin::Here => Some(Some(loc)),
            Origin::Inherited(level) => Some(*level),
            Origin::Default => None,
        }
    };
    let tops: Vec<Option<Option<NodeId>>> = effs.iter().map(|e| reach(&e.origin)).collect();
    if tops.iter().any(|t| t != &Some(Some(loc))) {
        for level in up.by_ref() {
            levels.push(level);
            if tops.iter().all(|t| t.is_some_and(|t| levels.contains(&t))) {
                break;
            }
        }
    }
    // Every such include of the innermost level that has one is named (any of them may be
    // the one that sets the value); those further out are counted.
    let per_level: Vec<Vec<String>> = levels
        .into_iter()
        .map(|level| {
            model
                .children_named_slice(level, "include")
                .iter()
                .copied()
                .filter(|&i| unknown_include(model, i))
                .filter_map(|i| model.arg(i, 0))
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .collect();
    let first = per_level.first()?;
    let more: usize = per_level[1..].iter().map(Vec::len).sum();
    let mut text = format!("`{}`", first.join("`, `"));
    if more > 0 {
        text.push_str(&format!(" (and {more} more further out)"));
    }
    Some(text)
}

/// The first include at the location or any level above it whose files could not be read
/// (and may set the proxy settings the streaming rules judge), as written.
pub fn missing_include(model: &Model<'_>, loc: NodeId) -> Option<String> {
    if no_include_failed(model) {
        return None;
    }
    std::iter::once(Some(loc))
        .chain(model.ancestors(loc).map(Some))
        .chain(std::iter::once(None))
        .find_map(|level| {
            model
                .children_named_slice(level, "include")
                .iter()
                .copied()
                .find(|&i| unknown_include(model, i))
                .and_then(|i| model.arg(i, 0))
        })
}

/// No `include` of the program failed (the usual case): the walks over every level's includes
/// that the streaming rules make per location have nothing to find.
fn no_include_failed(model: &Model<'_>) -> bool {
    model.program.include_errors.is_empty()
}

pub fn unknown_include(model: &Model<'_>, i: NodeId) -> bool {
    if !model.include_failed(i) {
        return false;
    }
    let arg = model.arg(i, 0).unwrap_or_default();
    let base = arg.rsplit('/').next().unwrap_or("");
    !HARMLESS_INCLUDES.contains(&base)
}

fn unknown_include_at(model: &Model<'_>, level: Option<NodeId>) -> bool {
    model
        .children_named_slice(level, "include")
        .iter()
        .any(|&i| unknown_include(model, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An upstream's name says nothing when every word of it is a generic one.
    #[test]
    fn upstream_names_of_generic_words_only() {
        for name in [
            "backend_servers",
            "app-pool",
            "lb",
            "upstream.2",
            "web_backends",
            "app0",
            "backend02_pool",
        ] {
            assert!(generic_words_only(name), "{name}");
        }
        for name in ["ollama_lb", "translator", "comfy-backend", "elixoids", "s3"] {
            assert!(!generic_words_only(name), "{name}");
        }
    }

    /// A decision per streaming location is kept for the whole run (tens of thousands on a
    /// large configuration): its reason is a shared text and its endpoints a boxed slice (72
    /// bytes with a `String` and a `Vec`).
    #[test]
    fn a_decision_stays_small() {
        assert_eq!(std::mem::size_of::<Streaming>(), 48);
    }

    /// A configuration of `servers` servers whose locations stream in every way the
    /// classification tells apart (endpoint path, upgrade headers, buffering off, an app's
    /// port, a static directory, nothing).
    fn varied(servers: usize) -> Vec<u8> {
        let mut src = String::from("http {\n");
        for i in 0..servers {
            src.push_str(&format!(
                "upstream app{i} {{ server 127.0.0.1:{}; }}\n\
                 server {{ listen {}; server_name s{i}.example.com;\n\
                 location /v1/chat/completions {{ proxy_pass http://app{i}; }}\n\
                 location /ws {{ proxy_pass http://app{i}; proxy_http_version 1.1;\n\
                   proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection upgrade; }}\n\
                 location /feed {{ proxy_pass http://127.0.0.1:{}; proxy_buffering off; }}\n\
                 location / {{ proxy_pass http://127.0.0.1:{}; }}\n\
                 location /static/ {{ proxy_pass http://app{i}; }}\n\
                 location /plain {{ proxy_pass http://app{i}; }} }}\n",
                8000 + i % 7,
                10000 + i,
                9000 + i,
                [11434, 7860, 3000, 8080][i % 4],
            ));
        }
        src.push_str("}\n");
        src.into_bytes()
    }

    /// The literal beginning of location regexes: only what every match must begin with.
    #[test]
    fn anchored_literals_are_what_every_match_begins_with() {
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("^/api/v[0-9]+/", false, Some("/api/v")),
            ("^/static/", false, Some("/static/")),
            ("^\\/a\\.b/", false, Some("/a.b/")),
            ("^/ab?c", false, Some("/a")),
            ("^/ab*c", false, Some("/a")),
            ("^/ab{0,2}", false, Some("/a")),
            ("^/ab+c", false, Some("/ab")),
            ("^/a(b)", false, Some("/a")),
            ("^/a|/b", false, None),
            ("/a/", false, None),
            ("\\.php$", false, None),
            ("^.*", false, None),
            ("^\\d+", false, None),
            ("^/Api/", true, Some("/api/")),
            ("^/desk/", true, Some("/de")),
            ("^/Kit", true, Some("/")),
            ("^/caf\u{e9}/", false, Some("/caf")),
        ];
        for &(pat, ci, want) in cases {
            assert_eq!(anchored_literal(pat, ci).as_deref(), want, "{pat} {ci}");
            // A necessary condition: a path the regex matches begins with it.
            if let Some(lit) = want {
                let re = regex_lite::Regex::new(&if ci {
                    format!("(?i){pat}")
                } else {
                    pat.to_owned()
                });
                if let Ok(re) = re {
                    for path in [
                        "/api/v2/",
                        "/static/x",
                        "/a.b/",
                        "/ac",
                        "/abbc",
                        "/ab",
                        "/API/x",
                        "/desk/",
                        "/kit",
                    ] {
                        if re.is_match(path) {
                            let p = if ci {
                                path.to_ascii_lowercase()
                            } else {
                                path.to_owned()
                            };
                            assert!(p.starts_with(lit), "{pat} matches {path} without {lit}");
                        }
                    }
                }
            }
        }
    }

    /// Where a request goes, by the index of each level's locations, is where a pass over
    /// every location in nginx's order sends it: exact, longest prefix, `^~`, regexes in
    /// order (case-insensitive too), nested levels, named locations and repeated paths.
    #[test]
    fn the_location_index_finds_what_a_pass_over_the_locations_finds() {
        // The reference: nginx's search written as a loop over the level's locations.
        fn reference(
            model: &Model<'_>,
            level: Option<NodeId>,
            uri: &str,
        ) -> (Option<NodeId>, bool) {
            let mut best: Option<(NodeId, usize, bool)> = None;
            let mut regexes = Vec::new();
            for &l in model.children_named_slice(level, "location") {
                let n = model.arg_count(l);
                let pat = model.arg(l, n.saturating_sub(1)).unwrap_or_default();
                let modifier = if n > 1 {
                    model.arg(l, 0).unwrap_or_default()
                } else {
                    String::new()
                };
                match modifier.as_str() {
                    "=" if pat == uri => return (Some(l), true),
                    "~" | "~*" => regexes.push((l, pat, modifier == "~*")),
                    "^~" | ""
                        if !pat.starts_with('@')
                            && uri.starts_with(&pat)
                            && best.is_none_or(|(_, len, _)| pat.len() > len) =>
                    {
                        best = Some((l, pat.len(), modifier == "^~"));
                    }
                    _ => {}
                }
            }
            let mut current = best.map(|(l, _, _)| l);
            if let Some((l, _, noregex)) = best {
                let (inner, done) = reference(model, Some(l), uri);
                if inner.is_some() {
                    current = inner;
                }
                if done || noregex {
                    return (current, true);
                }
            }
            for (l, pat, ci) in regexes {
                let src = if ci { format!("(?i){pat}") } else { pat };
                if regex_lite::Regex::new(&src).is_ok_and(|r| r.is_match(uri)) {
                    let (inner, _) = reference(model, Some(l), uri);
                    return (inner.or(Some(l)), true);
                }
            }
            (current, false)
        }
        let patterns = [
            "/",
            "/a",
            "/a/",
            "/a/b",
            "/ab",
            "= /a",
            "= /a/b/c",
            "^~ /a/b",
            "^~ /s",
            "~ ^/a/b",
            "~ ^/a/\\d+",
            "~* ^/A/B/",
            "~ \\.php$",
            "~* \\.JPG$",
            "~ ^/s.*x$",
            "@named",
            "~ ^/a|/s",
            "= /",
            "/a/b/",
            "~ ^/kit",
            "~* ^/kit",
        ];
        let uris = [
            "/", "/a", "/a/", "/a/b", "/a/b/", "/a/b/c", "/a/12", "/A/B/x", "/a/B/x", "/x.php",
            "/a/x.jpg", "/s/x", "/sx", "/ab", "/abc", "/kit", "/KIT/", "/s/y.php", "", "/a/b/c/d",
        ];
        // Deterministic mixes: patterns picked by a linear congruential sequence, with a
        // nested level under some.
        let mut seed: u64 = 7;
        let mut next = |m: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % m
        };
        for round in 0..300 {
            let mut src = String::from("events {}\nhttp { server {\n");
            for _ in 0..1 + next(9) {
                src.push_str(&format!("location {} {{", patterns[next(patterns.len())]));
                if next(3) == 0 {
                    for _ in 0..1 + next(3) {
                        src.push_str(&format!(
                            " location {} {{ }}",
                            patterns[next(patterns.len())]
                        ));
                    }
                }
                src.push_str(" }\n");
            }
            src.push_str("} }\n");
            let program = crate::semantics::Program::from_source(
                "t.conf".into(),
                src.clone().into_bytes(),
                &crate::semantics::LoadOptions::default(),
            );
            let model = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
            let server = model.directives_named("server")[0];
            let router = Router::default();
            for uri in uris {
                assert_eq!(
                    router.find(&model, Some(server), uri, &mut { ROUTE_REGEXES }),
                    Some(reference(&model, Some(server), uri)),
                    "round {round}, {uri:?} in\n{src}"
                );
            }
        }
    }

    /// Past [`ROUTE_REGEXES`] regexes that may match a path, the path has no answer (no
    /// location is taken to route it); under it, the answer.
    #[test]
    fn a_path_past_its_regex_budget_has_no_answer() {
        let conf = |regexes: u32| {
            let mut src = String::from("events {}\nhttp { server {\n location /p/ { }\n");
            for i in 0..regexes {
                src.push_str(&format!(" location ~ \\.e{i}$ {{ }}\n"));
            }
            src.push_str("} }\n");
            src
        };
        for (regexes, answered) in [(ROUTE_REGEXES, true), (ROUTE_REGEXES + 1, false)] {
            let program = crate::semantics::Program::from_source(
                "t.conf".into(),
                conf(regexes).into_bytes(),
                &crate::semantics::LoadOptions::default(),
            );
            let model = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
            let server = model.directives_named("server")[0];
            let prefix = model.directives_named("location")[0];
            let router = Router::default();
            let got = router.location_of(&model, Some(server), "/p/x");
            assert_eq!(got, answered.then_some(Some(prefix)), "{regexes}");
            // Asked again: the remembered answer.
            assert_eq!(router.location_of(&model, Some(server), "/p/x"), got);
        }
    }

    /// Shared out in chunks among threads, the classification is the one a single thread
    /// makes: the same decisions, in walk order, whichever thread asks first.
    #[test]
    fn a_shared_classification_equals_one_made_alone() {
        let src = varied(700);
        let program = crate::semantics::Program::from_source(
            "t.conf".into(),
            src,
            &crate::semantics::LoadOptions::default(),
        );
        let settings = Settings::default();
        let alone = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
        let expected = streaming_locations_ref(&alone, &settings).to_vec();
        assert!(expected.len() > 2000, "{}", expected.len());
        assert!(expected.iter().any(|s| s.websocket) && expected.iter().any(|s| s.sse));
        for threads in [1, 2, 3] {
            let shared = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
            share_classification(&shared, threads);
            let chunks = shared.streaming_shared.get().expect("shared").chunks;
            assert!(chunks > 1 && chunks <= 4 * threads, "{chunks}");
            let got: Vec<Vec<Streaming>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            help_classify(&shared, &settings);
                            streaming_locations_ref(&shared, &settings).to_vec()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for g in got {
                assert_eq!(g, expected);
            }
        }
    }

    /// A thread waiting for the chunks of others is never left waiting for one whose thread
    /// panicked: it panics too (the run reports the first panic), rather than hang.
    #[test]
    fn a_failed_chunk_ends_the_wait() {
        let program = crate::semantics::Program::from_source(
            "t.conf".into(),
            varied(10),
            &crate::semantics::LoadOptions::default(),
        );
        let model = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
        share_classification(&model, 2);
        let shared = model.streaming_shared.get().expect("shared");
        // Every chunk taken, none finished: as if its thread had died in it.
        shared
            .next
            .store(shared.chunks, std::sync::atomic::Ordering::Relaxed);
        drop(FailedChunk(shared));
        let waited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            streaming_locations_ref(&model, &Settings::default()).len()
        }));
        assert!(waited.is_err());
    }

    /// The static directories are found as a search of the path with a `/` appended finds
    /// them (the reference below): every path of up to three segments over names, near
    /// misses and `_next`, with and without a final slash.
    #[test]
    fn static_directories_match_as_a_search_finds_them() {
        const DIRS: &[&str] = &[
            "/static/",
            "/assets/",
            "/_app/",
            "/_next/static/",
            "/images/",
            "/img/",
            "/fonts/",
            "/css/",
            "/js/",
            "/media/",
            "/public/",
            "/dist/",
        ];
        let reference = |path: &str| {
            let open = format!("{path}/");
            DIRS.iter()
                .any(|d| path.contains(d) || (!path.ends_with('/') && open.ends_with(d)))
        };
        let segments = [
            "static", "statics", "stati", "_next", "js", "jsx", "img", "api", "", "dist", "_app",
        ];
        let model_src = b"location / { }\n";
        let program = crate::semantics::Program::from_source(
            "t.conf".into(),
            model_src.to_vec(),
            &crate::semantics::LoadOptions::default(),
        );
        let model = Model::build(&program, crate::semantics::model::DEFAULT_VERSION);
        let mut checked = 0;
        let mut found = 0;
        for a in segments {
            for b in segments {
                for c in ["", "static", "x"] {
                    for end in ["", "/"] {
                        let path = if c.is_empty() {
                            format!("/{a}/{b}{end}")
                        } else {
                            format!("/{a}/{b}/{c}{end}")
                        };
                        // The location itself serves nothing (no `expires`, no cache).
                        let got = serves_static_path(&model, 0, &path);
                        assert_eq!(got, reference(&path), "{path}");
                        checked += 1;
                        found += usize::from(got);
                    }
                }
            }
        }
        assert!(checked > 700 && found > 100 && found < checked);
    }

    #[test]
    fn endpoint_paths_match_whole_segments() {
        assert!(path_matches("/ws", "/ws"));
        assert!(path_matches("/api/ws/", "/ws"));
        assert!(path_matches("^/ws$", "/ws"));
        assert!(!path_matches("/wsdl", "/ws"));
        assert!(path_matches("/gradio_api/queue", "/gradio_api/"));
        assert!(path_matches("~ ^/(api|v1)/ws$", "/ws"));
        assert!(!path_matches("/wsx/ws-y", "/ws"));
        assert!(path_matches("/wsx/ws", "/ws"));
        assert!(path_matches("a-ws", "ws"));
    }

    #[test]
    fn host_ports() {
        assert_eq!(host_port("127.0.0.1:7860"), ("127.0.0.1", Some(7860)));
        assert_eq!(host_port("ollama"), ("ollama", None));
    }

    #[test]
    fn a_default_port_names_the_app_only_on_a_host_that_names_nothing() {
        for host in [
            "127.0.0.1",
            "[::1]",
            "0.0.0.0",
            "localhost",
            "server",
            "App",
            "",
        ] {
            assert!(names_nothing(host), "{host}");
        }
        for host in ["coze-server", "jupyter", "my-api", "apiserver"] {
            assert!(!names_nothing(host), "{host}");
        }
    }

    #[test]
    fn a_variable_after_the_host_starts_the_uri() {
        assert_eq!(authority_of("http://apiserver$request_uri"), "apiserver");
        assert_eq!(authority_of("http://app:8000/x"), "app:8000");
        assert_eq!(authority_of("http://$backend/x"), "$backend");
        assert_eq!(authority_of("http://loki:3100$request_uri"), "loki:3100");
    }

    /// The streaming decision for every location, by its pattern: (sse, websocket).
    fn decide(conf: &str) -> Vec<(String, bool, bool)> {
        use crate::semantics::directives::Version;
        use crate::semantics::{LoadOptions, Program};
        let program = Program::from_source(
            std::path::PathBuf::from("/nonexistent/nginx.conf"),
            conf.as_bytes().to_vec(),
            &LoadOptions::default(),
        );
        let model = Model::build(&program, Version(1, 28, 0));
        streaming_locations(&model, &Settings::default())
            .into_iter()
            .map(|s| {
                (
                    location_path(&model, s.location).into_owned(),
                    s.sse,
                    s.websocket,
                )
            })
            .collect()
    }

    /// `f` asked of the model of `conf`, read as the file `path` (nginx 1.28.0).
    fn with_model<R>(path: &str, conf: &str, f: impl FnOnce(&Model<'_>) -> R) -> R {
        use crate::semantics::directives::Version;
        use crate::semantics::{LoadOptions, Program};
        let program = Program::from_source(
            std::path::PathBuf::from(path),
            conf.as_bytes().to_vec(),
            &LoadOptions::default(),
        );
        f(&Model::build(&program, Version(1, 28, 0)))
    }

    #[test]
    fn a_file_named_for_an_app_is_a_guess_of_it() {
        let conf = "server { listen 443; server_name _;
               location / { proxy_pass http://host.docker.internal:3000; }
               location /docs/ { proxy_pass http://docs:8000; }
             }";
        let recognised = |path: &str| {
            with_model(path, conf, |model| {
                model
                    .directives_named("location")
                    .iter()
                    .map(|&l| {
                        recognise(model, l, &Settings::default(), None)
                            .map(|(app, how, guess)| (app.id, how.describe(app), guess))
                    })
                    .collect::<Vec<_>>()
            })
        };
        let named = recognised("/srv/nginx/conf.d/open-webui.conf");
        assert_eq!(
            named[0],
            Some((
                "open-webui",
                "the file `open-webui.conf` is named for Open WebUI — a guess".to_owned(),
                true
            ))
        );
        // Another backend beside `/` is not the app's; nor is any location of a file that
        // names no app.
        assert_eq!(named[1], None);
        assert_eq!(recognised("/srv/nginx/conf.d/default.conf"), [None, None]);
        // A template's name says the same (an Ansible role's `ollama-webui.j2`, held-out
        // batch 146), its template ending set aside.
        for path in [
            "/roles/web/templates/ollama-webui.j2",
            "/t/open-webui.conf.template",
        ] {
            let named = recognised(path);
            assert_eq!(named[0].as_ref().map(|r| r.0), Some("open-webui"), "{path}");
        }
    }

    #[test]
    fn a_websocket_named_by_ws_alone_is_said_to_be_so() {
        let conf = "http { server {
               location /ws { proxy_pass http://127.0.0.1:1; }
               location /api/ws/ { proxy_pass http://127.0.0.1:1; proxy_buffering off; }
               location /socket.io/ { proxy_pass http://127.0.0.1:1; }
               location /live/ws { proxy_pass http://127.0.0.1:1;
                   proxy_set_header Upgrade $http_upgrade; }
             } }";
        let named: Vec<(String, bool, bool)> =
            with_model("/nonexistent/nginx.conf", conf, |model| {
                streaming_locations(model, &Settings::default())
                    .into_iter()
                    .map(|s| {
                        let path = location_path(model, s.location).into_owned();
                        (path, s.websocket, s.websocket_named)
                    })
                    .collect()
            });
        assert_eq!(
            named,
            [
                ("/ws".to_owned(), true, true),
                ("/api/ws/".to_owned(), true, true),
                // A Socket.IO path and the location's own `Upgrade` line say more than a name.
                ("/socket.io/".to_owned(), true, false),
                ("/live/ws".to_owned(), true, false),
            ]
        );
    }

    #[test]
    fn a_recognised_app_streams_only_where_its_endpoints_route() {
        // Streamlit by name: `/` routes nothing once a sibling serves `/_stcore/stream`.
        let found = decide(
            "http { upstream streamlit { server 127.0.0.1:1; }
             server {
               location / { proxy_pass http://streamlit; }
               location /_stcore/stream { proxy_pass http://streamlit; }
               location ~* \\.(js|css)$ { proxy_pass http://streamlit; }
             } }",
        );
        assert_eq!(found, [("/_stcore/stream".to_owned(), false, true)]);
        // Without the sibling, `/` routes the WebSocket.
        let found = decide(
            "http { upstream streamlit { server 127.0.0.1:1; }
             server { location / { proxy_pass http://streamlit; } } }",
        );
        assert_eq!(found, [("/".to_owned(), false, true)]);
    }

    #[test]
    fn routing_follows_nginx_location_matching() {
        // A regex beats the longest prefix; `^~` stops regexes; nested locations win.
        let found = decide(
            "http { upstream ollama { server 127.0.0.1:1; }
             server {
               location / { proxy_pass http://ollama; }
               location ~ ^/api/(chat|generate)$ { proxy_pass http://ollama; }
               location ^~ /api/pull { proxy_pass http://ollama; }
               location ~ pull { proxy_pass http://ollama; }
             } }",
        );
        let paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        // `/` still routes Ollama's OpenAI-compatible `/v1/chat/completions`; `~ pull` never
        // sees `/api/pull` (`^~`).
        assert_eq!(
            paths,
            ["/", "^/api/(chat|generate)$", "/api/pull"],
            "{found:?}"
        );
        // try_files handing off to a named location: the named one serves the stream.
        let found = decide(
            "http { upstream ollama { server 127.0.0.1:1; }
             server {
               location / { try_files $uri @app; }
               location @app { proxy_pass http://ollama; }
             } }",
        );
        assert_eq!(found, [("@app".to_owned(), true, false)]);
    }

    #[test]
    fn a_pass_uri_decides_which_app_paths_a_location_reaches() {
        // ComfyUI by its port: `location /api` with `proxy_pass .../api` hands the app `/api…`
        // only, never its `/ws`; `location /ui/` with `proxy_pass .../` hands it `/ws` for
        // `/ui/ws`.
        let found = decide(
            "http { server {
               location /ws { proxy_pass http://127.0.0.1:8188/ws; }
               location /api { proxy_pass http://127.0.0.1:8188/api; }
               location /ui/ { proxy_pass http://127.0.0.1:8188/; }
             } }",
        );
        let paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(paths, ["/ws", "/ui/"], "{found:?}");
    }

    #[test]
    fn buffering_off_alone_is_config_only_and_stream_paths_guess_the_kind() {
        use crate::semantics::directives::Version;
        use crate::semantics::{LoadOptions, Program};
        let conf = "http { server {
               location /precios { proxy_pass http://127.0.0.1:1; proxy_buffering off; }
               location /sse { proxy_pass http://127.0.0.1:1; proxy_buffering off; }
               location /ev { proxy_pass http://127.0.0.1:1; proxy_buffering off;
                              add_header X-Accel-Buffering no; }
               location /stream { proxy_pass http://127.0.0.1:1; }
             } }";
        let program = Program::from_source(
            std::path::PathBuf::from("/nonexistent/nginx.conf"),
            conf.as_bytes().to_vec(),
            &LoadOptions::default(),
        );
        let model = Model::build(&program, Version(1, 28, 0));
        let flags = |settings: &Settings| -> Vec<(String, bool, bool)> {
            model
                .nodes
                .iter()
                .enumerate()
                .filter(|&(i, _)| model.name(i as NodeId) == "location")
                .filter_map(|(i, _)| classify(&model, i as NodeId, settings))
                .map(|s| {
                    (
                        location_path(&model, s.location).into_owned(),
                        s.config_only,
                        s.transport_guessed,
                    )
                })
                .collect()
        };
        assert_eq!(
            flags(&Settings::default()),
            [
                ("/precios".to_owned(), true, false),
                ("/sse".to_owned(), false, false),
                ("/ev".to_owned(), false, false),
                ("/stream".to_owned(), false, true),
            ]
        );
        // `--streaming all` is explicit: nothing is config-only there.
        let all = Settings {
            mode: Mode::All,
            ..Settings::default()
        };
        assert!(flags(&all).iter().all(|f| !f.1 && !f.2));
    }

    #[test]
    fn cache_bypass_is_no_websocket_and_static_never_streams_by_guess() {
        let found = decide(
            "http { server {
               location /api { proxy_pass http://127.0.0.1:8000; proxy_cache_bypass $http_upgrade; }
               location /static/ { proxy_pass http://127.0.0.1:7860; }
               location / { proxy_pass http://127.0.0.1:7860; expires 1d; }
             } }",
        );
        assert_eq!(found, Vec::<(String, bool, bool)>::new());
    }
}

/// The variable a value consists of (`$x`, `${x}`), lowercase, without `$`.
pub fn variable(value: &str) -> Option<String> {
    variable_name(value).map(str::to_ascii_lowercase)
}

/// [`variable`] as written (ASCII letters, digits and `_`: compare it ignoring ASCII case).
pub fn variable_name(value: &str) -> Option<&str> {
    let v = value.strip_prefix('$')?;
    let v = v
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(v);
    (!v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(v)
}

/// The `map $http_upgrade $x { ... }` blocks of a model ([`upgrade_maps`]).
#[derive(Debug, Default)]
pub struct UpgradeMaps {
    /// (`x` lowercase, the map node), in configuration order.
    pub in_order: Vec<(String, NodeId)>,
    /// The first map of each `x`.
    first: foldhash::HashMap<String, NodeId>,
    /// The variable a WebSocket fix sends as `Connection`, once a fix asked
    /// (`websocket-upgrade-missing`): kept with the maps it is found among, once per model,
    /// where a rule run part by part would look through every map again in each part.
    pub connection: std::sync::OnceLock<Option<String>>,
}

impl UpgradeMaps {
    /// The first `map $http_upgrade` block defining `$var` (`var` lowercase).
    pub fn of_var(&self, var: &str) -> Option<NodeId> {
        self.first.get(var).copied()
    }
}

/// The `map $http_upgrade $x { ... }` blocks, found once per model: a rule asking for each
/// location looked through every `map` each time (time proportional to locations × maps, 27 s
/// of CPU for 20,000 of each).
pub fn upgrade_maps<'m>(model: &'m Model<'_>) -> &'m UpgradeMaps {
    model.upgrade_maps.get_or_init(|| {
        let mut maps = UpgradeMaps::default();
        for &m in model.directives_named("map") {
            if model.node(m).directive.block().is_none()
                || model
                    .arg(m, 0)
                    .and_then(|a| variable(&a))
                    .is_none_or(|a| a != "http_upgrade")
            {
                continue;
            }
            if let Some(x) = model.arg(m, 1).and_then(|a| variable(&a)) {
                maps.first.entry(x.clone()).or_insert(m);
                maps.in_order.push((x, m));
            }
        }
        maps
    })
}

/// Where the first segment of `path` ends, when it is a release's version prefix
/// (`/6.3.0-111/`, `/9.0.0-abc/`: three numbers, then `-` or `.` and a build).
fn version_prefix_end(path: &str) -> Option<usize> {
    let rest = path.strip_prefix('/')?;
    let end = rest.find('/').map_or(path.len(), |i| i + 1);
    let mut parts = path[1..end].splitn(4, ['.', '-']);
    let number =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let numbered = number(parts.next()) && number(parts.next()) && number(parts.next());
    let build = parts.next().is_some_and(|b| {
        !b.is_empty() && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
    });
    (numbered && build).then_some(end)
}
