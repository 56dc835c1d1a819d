//! `upgrade-header-literal`: `proxy_set_header Upgrade websocket` (a literal, not
//! `$http_upgrade`) sends `Upgrade` on every request, so a backend that agrees answers a plain
//! request with a `101` that nginx does not tunnel (the client did not ask to upgrade), and the
//! request hangs until a timeout (nginx-semantics.md §2.8, measured E6 `/ws-g`). Backends that
//! check the handshake (Tornado answers a plain GET normally) are spared: hence "where".

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "upgrade-header-literal",
    summary: "`proxy_set_header Upgrade` with a literal value asks the backend to upgrade every \
              request: plain requests hang where the backend agrees",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/upgrade-header-literal.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One router for the run: it compiles each regex location once.
    let routes = crate::semantics::streaming::Routes::default();
    // Whether each location is given to one WebSocket endpoint, asked once per location: the
    // question reads all of the location's `proxy_set_header` lines, and a location of many
    // literal `Upgrade` lines asked it for each (the rule-scaling sweep: 61× for 10×).
    let mut dedicated: foldhash::HashMap<NodeId, bool> = foldhash::HashMap::default();
    for &n in cx.directives_named("proxy_set_header") {
        if !model
            .arg_str(n, 0)
            .is_some_and(|a| a.eq_ignore_ascii_case("upgrade"))
        {
            continue;
        }
        // Borrowed from the source: most `Upgrade` lines carry `$http_upgrade`, no finding.
        let Some(value) = model.arg_str(n, 1) else {
            continue;
        };
        // Empty = not sent (nginx's own default); any variable is the user's choice.
        if value.is_empty() || value.contains('$') {
            continue;
        }
        let node = model.node(n);
        // Any other word than `websocket` breaks the handshakes too: the backend is asked to
        // upgrade to that protocol, and a WebSocket server answers such a request as a plain
        // one (AirFarms' `Upgrade 1` on its `/ws/` in front of Daphne, held-out batch 307:
        // measured, `Upgrade: 1` upstream; Daphne opens a WebSocket only for `websocket`).
        let websocket = value.eq_ignore_ascii_case("websocket");
        // A location that names a WebSocket endpoint (`/ws`, `/websocket`) and holds no other
        // location: only handshakes come to it, which ask to upgrade anyway (Zeppelin's
        // documented `/ws`, whose Jetty refuses a keyless upgrade with 400). Not Socket.IO's
        // or SockJS's path: their clients poll it with plain requests first (held-out batch
        // 139, measured with Socket.IO 4.8: every polling request got 400 "Missing or invalid
        // Sec-WebSocket-Key header" through `Upgrade websocket`, and no client connected).
        // So does a location its own lines give to one WebSocket endpoint, whatever its path
        // (`location /api/chat` onto a gorilla handler's `/chat`, held-out batch 259: a plain
        // request got 400 from the handler at once, not a hang).
        if websocket
            && let Some(loc) = model.parent_location(n)
            && (crate::semantics::streaming::names_websocket(model, loc)
                || *dedicated.entry(loc).or_insert_with(|| {
                    crate::semantics::streaming::dedicated_websocket(model, loc)
                }))
            && !polled_too(model, loc)
            && model.children_named_slice(Some(loc), "location").is_empty()
        {
            continue;
        }
        // A location in front of an app whose server routes WebSockets by path and answers a
        // plain request that carries `Upgrade` normally (Jupyter's Tornado: held-out batch
        // 143, measured with Tornado 6.6.1, a plain `GET /api/kernels/abc` got 200 at once):
        // the literal costs nothing there.
        if websocket
            && let Some(loc) = model.parent_location(n)
            && fronts_handshake_checking_app(cx, loc, &routes)
        {
            continue;
        }
        let level = model.describe_block(node.parent());
        let mut message = format!(
            "`proxy_set_header Upgrade {value}` in `{level}` sends `Upgrade: {value}` on every \
             request, not only on WebSocket handshakes: where the backend agrees to upgrade a plain \
             request (`101`), nginx does not tunnel it and the request hangs until a timeout"
        );
        if !websocket {
            message.push_str(&format!(
                "; and a WebSocket handshake reaches the backend asking for `{value}`, not \
                 `websocket`, which no WebSocket server accepts"
            ));
        }
        let mut diag = Diagnostic::at_node(&RULE, model, n, message);
        diag.primary.text = "literal `Upgrade` value".into();
        let span = style::arg_span(node.directive, 1);
        if let Some(span) = span {
            diag = diag.label(Label::new(
                model.file_of(n),
                span,
                "sent whether or not the client asked to upgrade",
            ));
        }
        diag = diag.help(
            "use `$http_upgrade`: it is the client's own `Upgrade` header, empty (so not sent) \
             on plain requests",
        );
        if let Some(span) = span {
            diag = diag.fix(Fix::safe(
                format!("Replace `{value}` with `$http_upgrade`"),
                vec![Edit::replace(model.file_of(n), span, "$http_upgrade")],
            ));
        }
        out.push(diag);
    }
    out
}

/// Is `loc` the path of a WebSocket library whose clients also poll it with plain requests
/// (Socket.IO's and Engine.IO's long-polling transport, SockJS's XHR fallbacks)?
fn polled_too(model: &Model<'_>, loc: NodeId) -> bool {
    crate::semantics::streaming::path_holds_any(model, loc, &["socket.io", "engine.io", "sockjs"])
}

/// Apps whose server answers a plain request carrying `Upgrade` as it would without it.
const HANDSHAKE_CHECKED: &[&str] = &["jupyter"];

/// Does `loc` proxy to one of [`HANDSHAKE_CHECKED`]: by a name, by the endpoints its
/// classification found, or by its own pattern naming the app's WebSocket paths
/// (`location ~ /api/kernels/`, Jupyter's documented pattern, in front of an upstream whose
/// name says nothing: `notebook`, `jnbk:8888`)?
fn fronts_handshake_checking_app(
    cx: &LintContext<'_>,
    loc: NodeId,
    routes: &crate::semantics::streaming::Routes,
) -> bool {
    let model = cx.model;
    let classified =
        crate::semantics::streaming::streaming_locations_ref(model, &cx.settings.streaming);
    let decision = classified
        .binary_search_by_key(&loc, |s| s.location)
        .ok()
        .map(|i| &classified[i]);
    let pattern = crate::semantics::location::location_match(model, loc).map(|(_, p)| p);
    crate::semantics::apps::APPS
        .iter()
        .filter(|a| HANDSHAKE_CHECKED.contains(&a.id))
        .any(|app| {
            let by_decision = decision.is_some_and(|s| {
                s.named_app.app().is_some_and(|a| a.id == app.id)
                    || crate::semantics::apps::all_of_apps(&s.endpoints, |id| id == app.id)
            });
            by_decision
                || pattern.as_deref().is_some_and(|p| {
                    app.endpoints.iter().any(|e| {
                        e.transport == crate::semantics::apps::Transport::WebSocket
                            && e.path
                                .split('/')
                                .find(|w| w.len() > 3 && *w != "api")
                                .is_some_and(|w| p.contains(w))
                            && routes.routes(model, loc, e.path)
                    })
                })
        })
}
