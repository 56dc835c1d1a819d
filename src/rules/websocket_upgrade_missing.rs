//! `websocket-upgrade-missing`: a WebSocket location whose upstream request cannot complete the
//! handshake: no `Upgrade $http_upgrade`, no `Connection` with `upgrade`, or HTTP/1.0.
//!
//! nginx strips `Upgrade` by default, sends `Connection: close` before 1.29.7 (none after), and
//! speaks HTTP/1.0 to upstreams before 1.29.7; a backend then answers 426 without the headers
//! (nginx-semantics.md §2.8, measured E6, E7). HTTP/1.0 alone fails only on some servers
//! (Tornado's, Python's `websockets`): reported only for apps known to run one. The
//! `proxy_set_header` list is inherited all or nothing (§2.3), so the headers set in `server`
//! are lost as soon as the location sets one.
//!
//! The fix helpers here ([`LocationFix`]) are shared with `upstream-keepalive-connection`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::Version;
use crate::semantics::headers::{NamedLines, named};
use crate::semantics::model::{Effective, Model, NodeId, Origin};
use crate::semantics::streaming;
use crate::semantics::streaming::{Streaming, UpgradeMaps, upgrade_maps, variable, variable_name};
use crate::syntax::End;

pub static RULE: Rule = Rule {
    id: "websocket-upgrade-missing",
    summary: "a WebSocket location does not send `Upgrade $http_upgrade`, a `Connection` with \
              `upgrade`, or HTTP/1.1 to its upstream, so the handshake fails",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/websocket-upgrade-missing.md"),
    check,
};

/// 1.29.7 made HTTP/1.1 the upstream default and stopped sending `Connection: close`.
pub(super) const NEW_DEFAULTS: Version = Version(1, 29, 7);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // How each server's locations at WebSocket paths take upgrades, found the first time a
    // location of it asks.
    let mut websocket_locations: std::collections::HashMap<NodeId, streaming::WebsocketLocations> =
        std::collections::HashMap::new();
    let mut lines = NamedLines::default();
    let routes = streaming::Routes::default();
    for s in cx.streaming() {
        if !s.websocket || model.name(s.pass) != "proxy_pass" {
            continue;
        }
        // The known app answers here with ordinary responses and another location of the
        // server routes its WebSocket: `Upgrade` lines here were copied along (Mainsail's
        // Moonraker API regex beside its `/websocket` location).
        if s.app_plain
            && streaming::app_websocket_elsewhere(
                model,
                s.location,
                &cx.settings.streaming,
                &routes,
            )
        {
            continue;
        }
        // An app named here that answers with ordinary responses only (TensorBoard, a WSGI
        // app, behind the `Upgrade` line of its file's other servers, held-out batch 131):
        // no WebSocket reaches it, whatever lines were copied.
        if s.app_plain
            && s.evidence == streaming::Evidence::Config
            && s.endpoints.is_empty()
            && streaming::named_plain_app(model, s.location, &cx.settings.streaming, &routes)
                .is_some()
        {
            continue;
        }
        // The same without a known app, where only an `Upgrade` line says WebSocket here:
        // - its own, copied (no `Connection` line), while a location of the server with a
        //   WebSocket path and both headers takes the upgrades: its author knows the whole
        //   recipe, and set it up where WebSockets go (MainsailOS, its upstream in another file;
        //   RatOS's `/configure`, a Next.js app of HTTP requests only, beside Moonraker's
        //   `/websocket`: held-out batch 280);
        // - a server-level one every location inherits, while the server routes its WebSockets
        //   to locations at WebSocket paths with their own lines: its health and API locations
        //   are no WebSocket ones (held-out batch 365, Think-Sync-2's `/health`, `/ready`,
        //   `/metrics` and `/` beside its `/socket.io/` locations).
        // (The two exclude each other: the location has its own `Upgrade` line or none.)
        if s.evidence == streaming::Evidence::Config && s.endpoints.is_empty() {
            let copied = streaming::upgrade_line_copied(model, s.location);
            let inherited = !copied && streaming::upgrade_line_inherited_only(model, s.location);
            if (copied || inherited)
                && let Some(server) = model.enclosing(s.location, "server")
            {
                let found = *websocket_locations
                    .entry(server)
                    .or_insert_with(|| streaming::websocket_locations(model, server));
                if (copied && found.set_up) || (inherited && found.routed) {
                    continue;
                }
            }
        }
        // An event stream whose only WebSocket sign is a `Connection upgrade` line copied in
        // with its settings: nothing here upgrades (Ollama-WebUI's `/api/`, measured streaming
        // its SSE through nginx).
        if s.evidence == streaming::Evidence::Config
            && s.endpoints.is_empty()
            && streaming::connection_line_copied(model, s.location)
        {
            continue;
        }
        if let Some(d) = check_location(cx, s, upgrade_maps(model), &mut lines) {
            out.push(d);
        }
    }
    out
}

fn check_location(
    cx: &LintContext<'_>,
    s: &Streaming,
    maps: &UpgradeMaps,
    lines: &mut NamedLines,
) -> Option<Diagnostic> {
    let (loc, pass, guessed) = (s.location, s.pass, s.websocket_guessed);
    let model = cx.model;
    let headers = model.effective(Some(loc), "proxy_set_header");
    let version = model.effective(Some(loc), "proxy_http_version");
    let http_version = super::buffering_on_streaming::effective_text(model, &version);

    let upgrade_lines = lines.get(model, &headers, "upgrade");
    let connection_lines = lines.get(model, &headers, "connection");
    // `proxy_set_header Upgrade "";` restates nginx's default on purpose: not a WebSocket
    // location, whatever the header name made the detection think.
    if !upgrade_lines.is_empty()
        && upgrade_lines
            .iter()
            .all(|&n| model.arg_str(n, 1).is_none_or(|v| v.is_empty()))
    {
        return None;
    }
    // A literal `Upgrade websocket` does upgrade; its problem (plain requests hang) is
    // `upgrade-header-literal`'s.
    // A template's placeholder (`Upgrade ${DOLLAR}http_upgrade`, envsubst's way of writing a
    // `$` in the nginx image's templates) is not what nginx will run: not judged as written
    // (held-out batch 190, Element's docker demo: the rendered block upgraded, 101).
    let placeholder = |v: &str| crate::semantics::variables::template_placeholder(model, v);
    let upgrade_ok = upgrade_lines.iter().any(|&n| {
        let v = model.arg_str(n, 1).unwrap_or_default();
        is_http_upgrade(maps, &v) || (!v.is_empty() && !v.contains('$')) || placeholder(&v)
    });
    let connection_ok = connection_lines.iter().any(|&n| {
        let v = model.arg_str(n, 1).unwrap_or_default();
        has_upgrade_token(&v)
            || is_http_upgrade(maps, &v)
            || placeholder(&v)
            || variable_name(&v).is_some_and(|x| {
                x.eq_ignore_ascii_case("http_connection") || echoes_connection(model, x)
            })
    });
    // `Connection $connection_upgrade` in a file without the `http` block: the map lives in
    // the part of the configuration we were not given.
    let connection_ok = connection_ok
        || (model.enclosing(loc, "http").is_none()
            && connection_lines.iter().any(|&n| {
                variable(&model.arg(n, 1).unwrap_or_default())
                    .is_some_and(|v| !defined_in_model(model, &v))
            }));
    let version_ok = http_version == "1.1";
    if upgrade_ok && connection_ok && version_ok {
        return None;
    }

    let here = model.describe_block(Some(loc));
    let list_origin = match headers.origin {
        Origin::Default => format!(
            "no proxy_set_header applies here, so nginx strips `Upgrade` and {}",
            if cx.version < NEW_DEFAULTS {
                "sends `Connection: close`"
            } else {
                "sends no `Connection`"
            }
        ),
        _ => format!(
            "effective proxy_set_header list {}",
            model.describe_origin(&headers)
        ),
    };
    let mut problems = Vec::new();
    if !upgrade_ok {
        problems.push(match upgrade_lines.first() {
            Some(&n) => format!("`Upgrade` is {}, not `$http_upgrade`", shown(model, n)),
            None => "no `Upgrade $http_upgrade`".to_owned(),
        });
    }
    if !connection_ok {
        problems.push(match connection_lines.first() {
            // A variable nothing defines (`$connection_upgrade` without its `map`, held-out
            // batch 134): nginx refuses the configuration; the `map` is what is missing.
            Some(&n)
                if variable(&model.arg(n, 1).unwrap_or_default())
                    .is_some_and(|v| !defined_in_model(model, &v)) =>
            {
                format!(
                    "`Connection` is {}, which no `map` or `set` defines",
                    shown(model, n)
                )
            }
            Some(&n) => format!("`Connection` is {}, without `upgrade`", shown(model, n)),
            None => "no `Connection` header containing `upgrade`".to_owned(),
        });
    }
    // Only the version is wrong: RFC 6455 asks for HTTP/1.1, but nginx tunnels an HTTP/1.0
    // upgrade, and most WebSocket servers complete it (measured with nginx 1.22.1: uvicorn,
    // aiohttp, Node's ws and Socket.IO, gorilla/websocket, Flask-Sock, Daphne, Odoo). Judged
    // on real configurations such findings were never once right for an unknown backend
    // (debatable or false in every case). Reported only in front of an app whose server is
    // known to fail it (Tornado's: 101, then the connection closes).
    let version_only = problems.is_empty() && !version_ok;
    let strict_app = if version_only {
        match streaming::app_of_upstream(model, loc, &cx.settings.streaming) {
            Some(app) if crate::semantics::apps::upgrade_needs_http11(app) => Some(app),
            _ => return None,
        }
    } else {
        None
    };
    // An include we could not read may set these headers: say so first, at info, without a
    // fix (it could send `Upgrade` twice); the message then does not open on a failure it
    // cannot know (held-out batch 141: the repository's `ws_proxy.params` set them all).
    let missing =
        crate::semantics::streaming::missing_include_for(model, loc, &[&headers, &version])
            .map(|inc| {
                format!(" unless an include that could not be read ({inc}) sets what they need")
            })
            .or_else(|| {
                // A fragment included in a server (no `server` block of its own) whose location
                // asks for HTTP/1.1 itself and sets no header: the recipe is half here, and the
                // headers come from the server or `http` level we were not given (ONLYOFFICE's
                // `ds-docservice.conf` beside `http-common.conf`, held-out batch 299: measured
                // 101). A fix would drop that level's list. Not a file of `server` blocks: there
                // the server is in view, and such a location does fail (Mastodon's streaming API,
                // held-out batch 167: 200, not 101).
                (model.enclosing(loc, "server").is_none()
                    && headers.origin == Origin::Default
                    && version.origin != Origin::Default
                    && version_ok)
                    .then(|| {
                        " unless the `server` or `http` level that includes this file (not in \
                     the checked files) sets the headers (the location asks for HTTP/1.1 \
                     itself)"
                            .to_owned()
                    })
            });
    // YunoHost's `proxy_params_no_auth` sets all three since YunoHost 12.1.38, and its bot
    // removed them from the apps' own files (held-out batch 359: Overleaf's package, commit
    // 88c2528; measured with the include as YunoHost writes it: 101). Asked only where an
    // include was not read.
    if missing.is_some()
        && std::iter::once(loc)
            .chain(model.ancestors(loc))
            .flat_map(|l| model.children_named_slice(Some(l), "include"))
            .any(|&i| {
                model.arg_is(i, 0, "proxy_params_no_auth")
                    && crate::semantics::streaming::unknown_include(model, i)
            })
    {
        return None;
    }
    let mut message = format!(
        "WebSocket handshakes through `{here}` fail{}{}",
        missing.as_deref().unwrap_or_default(),
        match strict_app {
            Some(app) => format!(" with {}, whose WebSocket server needs HTTP/1.1", app.name),
            None => String::new(),
        }
    );
    if !problems.is_empty() {
        message.push_str(&format!(": {} ({list_origin})", problems.join(" and ")));
    }
    if !version_ok {
        message.push_str(if problems.is_empty() { ": " } else { ", and " });
        message.push_str(&format!(
            "proxy_http_version is `{http_version}` ({})",
            model.describe_origin(&version)
        ));
    }
    let mut diag = Diagnostic::at_node(&RULE, model, loc, message)
        .label(super::buffering_on_streaming::why_label(model, s));
    if missing.is_some() {
        diag = diag.severity(Severity::Info);
    }
    diag.primary.text = "WebSocket location".into();
    // Only a well-known upstream port or name says WebSocket (Gradio 4+ streams over SSE, for
    // one): likely, not certain.
    // An include that may set the headers keeps it at info.
    if (guessed || s.websocket_named) && missing.is_none() {
        diag = diag.severity(Severity::Warning);
    }
    if !problems.is_empty()
        && headers.origin != Origin::Default
        && let Some(&first) = headers.nodes.first()
    {
        diag = diag.label(Label::at_node(
            model,
            first,
            match headers.origin {
                Origin::Here => "the location's own proxy_set_header list starts here",
                _ => "the inherited proxy_set_header list starts here",
            },
        ));
    }
    if !version_ok && let Some(&v) = version.nodes.first() {
        diag = diag.label(Label::at_node(
            model,
            v,
            format!("HTTP/{http_version} to the upstream"),
        ));
    }
    diag = diag.label(Label::at_node(model, pass, "the handshake is proxied here"));
    diag = diag.help(
        "a WebSocket backend refuses the handshake (400 or 426) unless the upstream request has \
         `Upgrade: websocket` and a `Connection` containing `upgrade`, and some (Tornado's, \
         Python's `websockets`) fail it over HTTP/1.0; set \
         `proxy_http_version 1.1;`, `proxy_set_header Upgrade $http_upgrade;` and \
         `proxy_set_header Connection $connection_upgrade;` (with \
         `map $http_upgrade $connection_upgrade { default upgrade; '' close; }`) or \
         `\"upgrade\"` in this location; if it is not a WebSocket location, mark it \
         `# ngxlint: not-streaming`",
    );

    // The fix.
    let mut fix = LocationFix::new(loc, &headers);
    if !version_ok {
        fix.set_http_version(model, &version);
    }
    if !upgrade_ok {
        fix.set_header(model, "Upgrade", "$http_upgrade");
    }
    if !connection_ok {
        // nginx's documented idiom: `Connection: upgrade` only when the client asks for an
        // upgrade, `close` otherwise, so plain requests through this location stay ordinary.
        // Found on the first fix that needs it, once per model (looking through the maps for
        // each finding took time proportional to findings × maps: 12 s for 20,000 of each).
        let value = match maps.connection.get_or_init(|| connection_map(model, maps)) {
            Some(var) => format!("${var}"),
            None => match model.enclosing(loc, "http") {
                Some(http) if fix.add_connection_map(model, http) => {
                    "$connection_upgrade".to_owned()
                }
                _ => {
                    fix.note(
                        "the `http` block is not in the checked files, so the \
                         `map $http_upgrade $connection_upgrade` idiom could not be added: \
                         `Connection \"upgrade\"` is sent on every request",
                    );
                    "\"upgrade\"".to_owned()
                }
            },
        };
        fix.set_header(model, "Connection", &value);
    }
    // A WebSocket that rests on a guess (a default port, a version-dependent endpoint) is
    // not fixed without `--unsafe-fixes`: on a plain HTTP API the headers would be wrong.
    if missing.is_none()
        && let Some(f) = fix.build(model, guessed)
    {
        diag = diag.fix(f);
    }
    Some(diag)
}

/// A header line's value for messages: `` `close` ``, `""` when empty.
fn shown(model: &Model<'_>, n: NodeId) -> String {
    match model.arg(n, 1).unwrap_or_default() {
        v if v.is_empty() => "`\"\"`".to_owned(),
        v => format!("`{v}`"),
    }
}

/// A variable mapped from `$http_upgrade` to a `Connection` value (`upgrade` for some
/// value): `connection_upgrade` by convention.
fn connection_map(model: &Model<'_>, maps: &UpgradeMaps) -> Option<String> {
    let maps = &maps.in_order;
    maps.iter()
        .find(|(v, _)| v == "connection_upgrade")
        .or_else(|| {
            maps.iter().find(|&&(_, m)| {
                model
                    .children_named(Some(m), "default")
                    .iter()
                    .any(|&d| model.arg(d, 0).is_some_and(|x| has_upgrade_token(&x)))
            })
        })
        .map(|(v, _)| v.clone())
}

/// Is `$var` a `map` of `$http_connection` that passes the client's `Connection` on for some
/// key, or gives a value with `upgrade`? ASP.NET Core's SignalR documentation maps
/// `"~*Upgrade" $http_connection; default keep-alive;`: a handshake's `Connection: Upgrade`
/// goes through as it came (measured: 101 from a strict WebSocket backend).
fn echoes_connection(model: &Model<'_>, var: &str) -> bool {
    let upgrade_or_echo = |v: &str| {
        has_upgrade_token(v)
            || variable_name(v).is_some_and(|x| x.eq_ignore_ascii_case("http_connection"))
    };
    // Whatever its key, a map whose every value is `upgrade` or the client's own `Connection`
    // (Lightning Terminal's, keyed on `$http_sec_websocket_protocol`: held-out batch 317,
    // measured, `Connection: upgrade` upstream and 101 for each handshake).
    if crate::semantics::variables::map_values_of(model, var)
        .is_some_and(|vals| !vals.is_empty() && vals.iter().all(|v| upgrade_or_echo(v)))
    {
        return true;
    }
    crate::semantics::variables::map_sites(model, var).any(|m| {
        model
            .arg_str(m, 0)
            .as_deref()
            .and_then(variable_name)
            .is_some_and(|src| src.eq_ignore_ascii_case("http_connection"))
            && model.children(m).iter().any(|&e| {
                model.arg_str(e, 0).is_some_and(|v| {
                    has_upgrade_token(&v)
                        || variable_name(&v)
                            .is_some_and(|x| x.eq_ignore_ascii_case("http_connection"))
                })
            })
    })
}

/// Is `$var` defined by a `map`, `set` or similar directive in the checked files?
fn defined_in_model(model: &Model<'_>, var: &str) -> bool {
    ["map", "set", "geo", "split_clients", "js_set", "perl_set"]
        .iter()
        .any(|d| {
            model.directives_named(d).iter().any(|&m| {
                let idx = if *d == "map" || *d == "split_clients" {
                    1
                } else {
                    0
                };
                model
                    .arg(m, idx)
                    .and_then(|a| variable(&a))
                    .is_some_and(|a| a == var)
            })
        })
}

/// `$http_upgrade` itself, or a variable `map`ped from it.
fn is_http_upgrade(maps: &UpgradeMaps, value: &str) -> bool {
    // The maps are indexed by their variable in lowercase (see `variable`).
    let Some(var) = variable_name(value) else {
        return false;
    };
    var.eq_ignore_ascii_case("http_upgrade") || maps.of_var(&var.to_ascii_lowercase()).is_some()
}

/// `upgrade` as one of the comma/space separated tokens of a `Connection` value.
fn has_upgrade_token(value: &str) -> bool {
    value
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .any(|t| t.eq_ignore_ascii_case("upgrade"))
}

/// The most inherited lines a [`LocationFix`] copies: past that it offers no fix.
const MOST_COPIED: usize = 64;

/// A fix that makes a location send what it must: replaces wrong values set in the location,
/// and inserts the missing lines as one edit. When the location inherits its
/// `proxy_set_header` list, the inherited lines are copied first (nginx would drop them as soon
/// as the location has one), which makes the fix unsafe.
pub(super) struct LocationFix<'e> {
    loc: NodeId,
    headers: &'e Effective<'e>,
    /// Lowercase header names the fix sets (not copied from an inherited list).
    sets: Vec<String>,
    /// New lines, without indentation or line ending.
    lines: Vec<String>,
    replaces: Vec<Edit>,
    /// What the fix does, for its title.
    changes: Vec<String>,
    /// A needed change could not be made (value in another file, unterminated line).
    impossible: bool,
    /// Edits outside the location (the `map` at http level).
    extra: Vec<Edit>,
    /// Said after the title (what the fix could not do).
    notes: Vec<String>,
}

impl<'e> LocationFix<'e> {
    pub(super) fn new(loc: NodeId, headers: &'e Effective) -> Self {
        LocationFix {
            loc,
            headers,
            sets: Vec::new(),
            lines: Vec::new(),
            replaces: Vec::new(),
            changes: Vec::new(),
            impossible: false,
            extra: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Add `map $http_upgrade $connection_upgrade { default upgrade; '' close; }` as the last
    /// directive of the `http` block; false when that block cannot take it.
    pub(super) fn add_connection_map(&mut self, model: &Model<'_>, http: NodeId) -> bool {
        let h = model.node(http);
        if model.included_via(http).is_some() {
            return false;
        }
        let file = model.program.file(model.file_of(http));
        const MARK: &str = "\u{0}";
        let Some((at, text)) = style::insert_into_block(file, h.directive, MARK) else {
            return false;
        };
        let Some(pos) = text.find(MARK) else {
            return false;
        };
        let indent = &text[text[..pos].rfind('\n').map_or(0, |i| i + 1)..pos];
        let eol = style::line_ending(&file.src);
        let unit = file.indent_unit();
        let map = format!(
            "map $http_upgrade $connection_upgrade {{{eol}{indent}{unit}default upgrade;{eol}\
             {indent}{unit}'' close;{eol}{indent}}}"
        );
        self.extra.push(Edit::insert(
            model.file_of(http),
            at,
            text.replacen(MARK, &map, 1),
        ));
        self.changes
            .push("add `map $http_upgrade $connection_upgrade` to the `http` block".to_owned());
        true
    }

    /// A remark for the fix's title.
    pub(super) fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }

    /// Replace argument `i` of `node` (set in the location itself) with `value`.
    fn replace_arg(&mut self, model: &Model<'_>, node: NodeId, i: usize, value: &str) {
        let n = model.node(node);
        match style::arg_span(n.directive, i) {
            Some(span) if model.file_of(node) == model.file_of(self.loc) => {
                self.replaces
                    .push(Edit::replace(model.file_of(node), span, value));
            }
            // In an included file the change would reach every place including it.
            _ => self.impossible = true,
        }
    }

    /// `proxy_http_version 1.1`: replace a value set in the location, else add a line.
    pub(super) fn set_http_version(&mut self, model: &Model<'_>, version: &Effective) {
        match (version.origin.clone(), version.nodes.first()) {
            (Origin::Here, Some(&v)) => {
                self.replace_arg(model, v, 0, "1.1");
                self.changes.push(format!(
                    "change `proxy_http_version {}` to `1.1`",
                    model.arg(v, 0).unwrap_or_default()
                ));
            }
            _ => {
                self.lines.push("proxy_http_version 1.1;".to_owned());
                self.changes.push("add `proxy_http_version 1.1`".to_owned());
            }
        }
    }

    /// `proxy_set_header name value`: replace the value of the location's own line of that
    /// name, else add a line.
    pub(super) fn set_header(&mut self, model: &Model<'_>, name: &str, value: &str) {
        let key = name.to_ascii_lowercase();
        self.sets.push(key.clone());
        let own = if self.headers.origin == Origin::Here {
            named(model, self.headers, &key).first().copied()
        } else {
            None
        };
        // `value` is source text (`"upgrade"`, quoted); the line's argument is as nginx reads
        // it: `\"upgrade\"` is the value `"upgrade"`, quotes and all, which is not it
        // (held-out batch 457, a README's escaped quotes: measured, 426).
        let unquoted = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        match own {
            // Already the value the fix writes (its `map` is what was missing).
            Some(n) if model.arg(n, 1).is_some_and(|v| v == unquoted) => {}
            Some(n) => {
                self.replace_arg(model, n, 1, value);
                self.changes.push(format!(
                    "change `{}` to `{value}`",
                    model.arg(n, 0).unwrap_or_default()
                ));
            }
            None => {
                self.lines.push(format!("proxy_set_header {name} {value};"));
                self.changes
                    .push(format!("add `proxy_set_header {name} {value}`"));
            }
        }
    }

    /// The fix; unsafe if `always_unsafe` or inherited lines are copied.
    pub(super) fn build(self, model: &Model<'_>, always_unsafe: bool) -> Option<Fix> {
        if self.impossible {
            return None;
        }
        let here = model.describe_block(Some(self.loc));
        // Inherited lines to copy, as written, in order, without the names the fix sets.
        let mut copies: Vec<String> = Vec::new();
        // Only a `proxy_set_header` added here replaces the inherited list.
        let adds_header = self
            .lines
            .iter()
            .any(|l| l.starts_with("proxy_set_header "));
        if matches!(self.headers.origin, Origin::Inherited(_)) && adds_header {
            // Past this many lines a copy is no small edit, and thousands of locations each
            // given thousands of lines made a fix the square of the configuration's size
            // (and the search for repeats below its cube: 1,000 locations under 1,000 lines
            // took 2.6 s, 5,000 more than two minutes).
            if self.headers.nodes.len() > MOST_COPIED {
                return None;
            }
            for &n in self.headers.nodes {
                let key = model.arg(n, 0).unwrap_or_default().to_ascii_lowercase();
                if self.sets.contains(&key) {
                    continue;
                }
                let node = model.node(n);
                if !matches!(node.directive.end(), End::Semicolon(_)) {
                    return None;
                }
                let text = std::str::from_utf8(&model.src(n)[node.directive.span().range()])
                    .ok()?
                    .to_owned();
                if !copies.contains(&text) {
                    copies.push(text);
                }
            }
        }
        // Whether the location's own lines change (not only the `map` at http level).
        let touches_location = !self.replaces.is_empty() || !self.lines.is_empty();
        let mut edits = self.replaces;
        if !self.lines.is_empty() {
            let all: Vec<String> = copies.iter().cloned().chain(self.lines).collect();
            edits.push(insertion(model, self.loc, self.headers, &all)?);
        }
        edits.extend(self.extra);
        edits.sort_by_key(|e| (e.file, e.span.start));
        if edits.is_empty() {
            return None;
        }
        let mut title = String::new();
        if !copies.is_empty() {
            title.push_str(&format!(
                "copy the {} inherited proxy_set_header {} into `{here}`, ",
                copies.len(),
                if copies.len() == 1 { "line" } else { "lines" }
            ));
        }
        title.push_str(&self.changes.join(", "));
        if copies.is_empty() && touches_location {
            title.push_str(&format!(" in `{here}`"));
        }
        for n in &self.notes {
            title.push_str(&format!(" ({n})"));
        }
        let mut chars = title.chars();
        let title = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => title,
        };
        Some(if always_unsafe || !copies.is_empty() {
            Fix::unsafe_(title, edits)
        } else {
            Fix::safe(title, edits)
        })
    }
}

/// One insertion of `lines` into the location: right after its own last `proxy_set_header`
/// when it has a list in its own file (so the headers stay together, and a fix of
/// `inherited-headers-dropped` at the same point is not applied in the same round), else as
/// the block's last directive.
fn insertion(
    model: &Model<'_>,
    loc: NodeId,
    headers: &Effective,
    lines: &[String],
) -> Option<Edit> {
    let loc_node = model.node(loc);
    let loc_file = model.file_of(loc);
    let file = model.program.file(loc_file);
    let eol = style::line_ending(&file.src);
    if headers.origin == Origin::Here
        && let Some(&last) = headers.nodes.last()
    {
        let anchor = model.node(last);
        if model.file_of(last) == loc_file && matches!(anchor.directive.end(), End::Semicolon(_)) {
            // One line per header at the anchor's indentation; on the anchor's own line where
            // it shares one ([`style::insert_after`]).
            let joined = match style::indent_at(&file.src, anchor.directive.span().start) {
                Some(indent) => lines.join(&format!("{eol}{indent}")),
                None => lines.join(" "),
            };
            let (at, text) = style::insert_after(file, anchor.directive, &joined);
            return Some(Edit::insert(loc_file, at, text));
        }
    }
    // Place a marker as the first line, then put every line at the marker's indentation.
    const MARK: &str = "\u{0}";
    let (at, text) = style::insert_into_block(file, loc_node.directive, MARK)?;
    let pos = text.find(MARK)?;
    let indent = &text[text[..pos].rfind('\n').map_or(0, |i| i + 1)..pos];
    let joined = lines.join(&format!("{eol}{indent}"));
    Some(Edit::insert(loc_file, at, text.replacen(MARK, &joined, 1)))
}
