//! `read-timeout-short`: a streaming or WebSocket location whose effective `proxy_read_timeout`
//! (or `fastcgi_`/`uwsgi_`/`scgi_`/`grpc_read_timeout`) is below the configured floor.
//!
//! The read timeout is the longest silence nginx allows between two reads from the upstream; a
//! model thinking before its first token, a tool call or an idle WebSocket is such a silence.
//! After the response header the stream is cut (200, truncated body), before it the client gets
//! a 504 (nginx-semantics.md §2.7, measured E5 and E11).
//!
//! What the app is known to do decides (the app table, `semantics::apps`): silent when every
//! known endpoint the location routes sends a heartbeat at least 3 s inside the timeout; a
//! warning for inference endpoints whose first byte can take minutes; for streams we know
//! nothing about, the floor at info level, except a WebSocket, reported only where the
//! author's own longer timeout in the server says it is expected to stay silent.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

use crate::fix::{Edit, Fix, style};
use crate::semantics::apps::FirstByte;
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::streaming::Streaming;
use crate::syntax::tree::End;
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "read-timeout-short",
    summary: "a streaming or WebSocket location keeps the read timeout (nginx's default: 60s) below the floor (300s by default): silent streams are cut",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/read-timeout-short.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let floor_secs = cx.settings.read_timeout_min_secs;
    if floor_secs == 0 {
        return Vec::new();
    }
    let minimum = Floor {
        ms: floor_secs.saturating_mul(1000),
        // Written once: every finding quotes it.
        text: format_secs(floor_secs),
    };
    let streams = cx.streaming();
    // Room for a finding per stream at once: growing by doubling copied the findings of a
    // large configuration a dozen times (pages never written stay unmapped).
    let mut out = Vec::with_capacity(streams.len());
    let mut authors = AuthorsValues::default();
    let mut helps = Helps::default();
    let mut stranded = Stranded::default();
    for s in streams {
        if let Some(d) = check_location(model, s, &minimum, &mut authors, &mut helps, &mut stranded)
        {
            out.push(d);
        }
    }
    out
}

/// How much earlier than the timeout a heartbeat must come: nginx's read timer restarts at
/// each read, so a heartbeat every H seconds keeps the silence under H (measured with nginx
/// 1.22.1 and the 60 s default: pings every 55, 57 and 59 s kept a tunnel open past 150 s, a
/// 70 s one was cut at 60.1 s; Misskey's 60 s ping races the timer). Three seconds absorb a
/// late timer on the app's side (Jellyfin's keepalive comes at most 57 s apart).
const HEARTBEAT_MARGIN_MS: u64 = 3_000;

/// The configured floor (`read_timeout_min_secs`), in milliseconds and as written.
struct Floor {
    ms: u64,
    text: String,
}

fn check_location(
    model: &Model<'_>,
    s: &Streaming,
    minimum: &Floor,
    authors: &mut AuthorsValues,
    helps: &mut Helps,
    stranded: &mut Stranded,
) -> Option<Diagnostic> {
    let loc = s.location;
    let pass = model.name(s.pass);
    let prefix = pass.strip_suffix("_pass")?;
    // The usual passes name a static directive: no string built per location.
    let name: std::borrow::Cow<'static, str> = match prefix {
        "proxy" => "proxy_read_timeout".into(),
        "fastcgi" => "fastcgi_read_timeout".into(),
        "uwsgi" => "uwsgi_read_timeout".into(),
        "scgi" => "scgi_read_timeout".into(),
        "grpc" => "grpc_read_timeout".into(),
        _ => format!("{prefix}_read_timeout").into(),
    };
    let eff = model.effective(Some(loc), &name);
    // A plain-path include that is missing here (the configuration was copied away from its
    // system) at a level the value may come from: we do not know the value.
    let top = match &eff.origin {
        Origin::Here => Some(Some(loc)),
        Origin::Inherited(level) => Some(*level),
        Origin::Default => None,
    };
    if crate::semantics::streaming::unknown_include_up_to(model, loc, top) {
        return None;
    }
    // The app answers this location with ordinary responses only.
    if s.app_plain {
        return None;
    }
    // Only `proxy_buffering off` says it streams, and nothing says it stays silent for long
    // (buffering is also turned off for downloads and media): no verdict. `--streaming all` or
    // a `# ngxlint: streaming` marker asks for one.
    if s.config_only && s.endpoints.is_empty() {
        return None;
    }
    let value = super::buffering_on_streaming::effective_text(model, &eff);
    let ms = crate::semantics::values::time_ms(&value)?;
    if ms >= minimum.ms {
        return None;
    }
    // Every known long-lived endpoint here heartbeats well inside the timeout.
    // An older version's endpoint (Gradio 3.x's WebSocket queue) does not speak for a
    // location that also routes the current version's.
    let current = s.endpoints.iter().any(|e| !e.legacy);
    let endpoints: Vec<_> = s
        .endpoints
        .iter()
        .filter(|e| !(current && e.legacy))
        .collect();
    let beats: Vec<Option<u32>> = endpoints
        .iter()
        .filter(|e| e.transport.long_lived())
        .map(|e| e.heartbeat_secs)
        .collect();
    if !beats.is_empty()
        && beats
            .iter()
            .all(|h| h.is_some_and(|h| u64::from(h) * 1000 + HEARTBEAT_MARGIN_MS <= ms))
    {
        return None;
    }
    let slow_first_byte = endpoints.iter().any(|e| e.first_byte == FirstByte::Minutes);
    let severity = if slow_first_byte {
        Severity::Warning
    } else {
        Severity::Info
    };
    // A WebSocket nothing is known about: a tunnel's timer counts traffic either way, and
    // WebSocket servers ping well inside nginx's 60 s as a rule (Socket.IO 25 s, SignalR 15 s,
    // Centrifugo 25 s, GoToSocial and Pleroma 30 s...). Judged on real configurations such a
    // finding was right only where the author's own longer timeout was written for this
    // tunnel and never reaches it (PeerTube's `/tracker/socket` sets 15m and hands off with
    // `try_files` to this named location): without that, nothing. Known endpoints without a
    // heartbeat (ComfyUI's `/ws`) are reported as before.
    if s.websocket
        && !s.sse
        && s.endpoints.is_empty()
        && !stranded_for(model, loc, &name, ms, stranded)
    {
        return None;
    }
    // The author's own larger value elsewhere in the server (a `15m` in a location that
    // never applies, say) sizes the fix better than the configured floor.
    let floor: std::borrow::Cow<'_, str> = authors
        .get(model, loc, &name, minimum.ms)
        .map_or(std::borrow::Cow::Borrowed(&minimum.text), Into::into);
    let here = model.describe_block(Some(loc));
    // Every finding on a default says the same ("the default for nginx 1.28.0"): written once.
    let origin = match eff.origin {
        Origin::Default => helps
            .default_origin
            .get_or_insert_with(|| model.describe_origin(&eff))
            .clone(),
        _ => model.describe_origin(&eff),
    };
    let shown = if value.contains(' ') {
        format!("\"{value}\"")
    } else {
        value.into_owned()
    };
    let kind = if s.websocket && !s.sse {
        "WebSocket"
    } else if s.long_poll {
        "long-polling"
    } else {
        "streaming"
    };
    // Joined at its exact length: `format!` reserves twice its literal text and appending
    // the note doubled it again (400 bytes per 200-byte message, thousands of findings).
    // A WebSocket tunnel is closed after that much silence both ways (a message either way
    // resets it, ngx_http_upstream_process_upgraded); a response stream, after that much
    // silence from the upstream.
    let consequence = if kind == "WebSocket" {
        " floor, a longer silence in both directions closes the tunnel"
    } else {
        " floor, a longer silence from the upstream cuts the stream"
    };
    let note = if slow_first_byte {
        " (an inference endpoint: the first token can take minutes)"
    } else if s.endpoints.is_empty() {
        " (how often this stream sends data is unknown)"
    } else {
        ""
    };
    let parts: [&str; 13] = [
        &name,
        " is ",
        &shown,
        " in ",
        kind,
        " `",
        &here,
        "`, ",
        &origin,
        "; below the ",
        &minimum.text,
        consequence,
        note,
    ];
    let message = parts.concat();
    let primary_node = match eff.origin {
        Origin::Here => eff.nodes[0],
        _ => loc,
    };
    let mut d = Diagnostic::at_node(&RULE, model, primary_node, message)
        .severity(severity)
        .label(super::buffering_on_streaming::why_label(model, s));
    d.help = Some(helps.get(&name, &floor));
    if let Origin::Inherited(_) = eff.origin {
        let n = model.node(eff.nodes[0]);
        d = d.label(Label::new(
            model.file_of(eff.nodes[0]),
            n.directive.head_span(),
            format!("{name} {shown} inherited from here"),
        ));
    }
    if let Some(fix) = fix(
        model,
        loc,
        &here,
        &eff.origin,
        eff.nodes.first().copied(),
        &name,
        &floor,
    ) {
        d = d.fix(fix);
    }
    Some(d)
}

/// Replace the location's own value, else add a line at the end of the location. (Titles are
/// joined at their exact length: `format!` over-reserves, and there is one per finding.)
#[allow(clippy::too_many_arguments)]
fn fix(
    model: &Model<'_>,
    loc: NodeId,
    here: &str,
    origin: &Origin,
    node: Option<NodeId>,
    name: &str,
    floor: &str,
) -> Option<Fix> {
    if let (Origin::Here, Some(n)) = (origin, node) {
        let nd = model.node(n);
        let span = style::arg_span(nd.directive, 0)?;
        return Some(Fix::unsafe_(
            ["Raise ", name, " to ", floor, " in ", here].concat(),
            vec![Edit::replace(model.file_of(n), span, floor)],
        ));
    }
    let l = model.node(loc);
    if !matches!(l.directive.end(), End::Block(_)) {
        return None;
    }
    let file_id = model.file_of(loc);
    let file = model.program.file(file_id);
    let (at, text) =
        style::insert_into_block(file, l.directive, &[name, " ", floor, ";"].concat())?;
    let at = if text.starts_with(['\r', '\n']) {
        crate::fix::style::after_trailing(&file.src, at)
    } else {
        at
    };
    Some(Fix::unsafe_(
        ["Set ", name, " ", floor, " in ", here].concat(),
        vec![Edit::insert(file_id, at, text)],
    ))
}

/// Is a larger `name` written for the named location `loc` in a location that hands its
/// requests to it (`try_files ... @loc`) and proxies nothing itself, so the value never
/// applies? (Only named locations are handed to: any other answers at once.)
fn stranded_for(
    model: &Model<'_>,
    loc: NodeId,
    name: &str,
    ms: u64,
    stranded: &mut Stranded,
) -> bool {
    // Asked of every WebSocket nothing is known about: the usual one is not named, and no
    // directive is looked at.
    let target = crate::semantics::streaming::location_path(model, loc);
    if !target.starts_with('@') {
        return false;
    }
    let largest = stranded
        .by_name
        .entry(name.to_owned())
        .or_insert_with(|| stranded_values(model, name));
    largest.get(&*target).is_some_and(|&v| v > ms)
}

/// Per directive name (`proxy_read_timeout`), per named location handed to: the largest value
/// written for it in the locations that hand their requests to it and proxy nothing. Read once
/// per name: each named WebSocket location read every such line of the configuration (a
/// fixture's locations copied 3,200 times took 0.6 s).
#[derive(Default)]
struct Stranded {
    by_name: HashMap<String, HashMap<String, u64>>,
}

fn stranded_values(model: &Model<'_>, name: &str) -> HashMap<String, u64> {
    // The largest value each location writes, then its hand-offs once per location.
    let mut per_location: Vec<(NodeId, u64)> = Vec::new();
    for &d in model.directives_named(name) {
        let Some(from) = model.node(d).parent() else {
            continue;
        };
        if model.name(from) != "location" {
            continue;
        }
        let Some(v) = model
            .arg_str(d, 0)
            .and_then(|v| crate::semantics::values::time_ms(&v))
        else {
            continue;
        };
        // A location's lines come one after another in the name's list.
        match per_location.last_mut() {
            Some((l, most)) if *l == from => *most = (*most).max(v),
            _ => per_location.push((from, v)),
        }
    }
    let mut largest: HashMap<String, u64> = HashMap::default();
    for (from, v) in per_location {
        for target in crate::semantics::streaming::handed_to(model, from) {
            let e = largest.entry(target).or_default();
            *e = (*e).max(v);
        }
    }
    largest
}

/// The scope of a location outside any `server` (a fragment holding a server's locations).
const NO_SERVER: NodeId = NodeId::MAX;

/// The largest value of each `*_read_timeout` written in a server above the floor, as written
/// (`15m`), per server. A server's directives are the numbers inside its block, so each
/// server's are found by binary search in the name's list (a configuration with thousands of
/// servers has thousands of findings: scanning every directive per finding was quadratic),
/// and the rule needs nothing of the whole model: it runs by part ([`super::BY_PART`]).
/// The last server asked is kept: a server's findings come one after another.
#[derive(Default)]
struct AuthorsValues {
    last: Option<(NodeId, String, Option<NodeId>)>,
}

impl AuthorsValues {
    /// The largest `name` value written in `loc`'s server above the floor.
    fn get(&mut self, model: &Model<'_>, loc: NodeId, name: &str, floor_ms: u64) -> Option<String> {
        // A fragment of a server (YunoHost's per-app files) is its own server.
        let server = model.enclosing(loc, "server").unwrap_or(NO_SERVER);
        let best = match &self.last {
            Some((s, n, best)) if *s == server && n == name => *best,
            _ => {
                let best = largest_above(model, server, name, floor_ms);
                self.last = Some((server, name.to_owned(), best));
                best
            }
        };
        best.and_then(|d| model.arg(d, 0))
    }
}

/// The `name` directive of `server` with the largest value above the floor (the last of
/// equal values, as `max_by_key` would pick), not counting values with blanks.
fn largest_above(model: &Model<'_>, server: NodeId, name: &str, floor_ms: u64) -> Option<NodeId> {
    let all = model.directives_named(name);
    let inside = if server == NO_SERVER {
        all
    } else {
        let from = all.partition_point(|&d| d <= server);
        let end = model.subtree_end(server);
        &all[from..from + all[from..].partition_point(|&d| d < end)]
    };
    let mut best: Option<(u64, NodeId)> = None;
    for &d in inside {
        // A `server` inside this one (refused by nginx, but parsed) has its own values.
        let own = model.enclosing(d, "server");
        if own != Some(server) && !(server == NO_SERVER && own.is_none()) {
            continue;
        }
        let Some(v) = model.arg_str(d, 0) else {
            continue;
        };
        let Some(ms) = crate::semantics::values::time_ms(&v) else {
            continue;
        };
        if ms <= floor_ms || v.contains(' ') {
            continue;
        }
        match best {
            Some((b, _)) if b > ms => {}
            _ => best = Some((ms, d)),
        }
    }
    best.map(|(_, d)| d)
}

/// The advice for each (directive, floor) pair, written once: thousands of findings share a
/// handful of texts.
#[derive(Default)]
struct Helps {
    texts: Vec<(String, String, super::Text)>,
    /// How a default value's origin is described (the same for every finding of a run).
    default_origin: Option<String>,
}

impl Helps {
    fn get(&mut self, name: &str, floor: &str) -> super::Text {
        if let Some((_, _, h)) = self.texts.iter().find(|(n, f, _)| n == name && f == floor) {
            return h.clone();
        }
        let h = super::Text::from(format!(
            "{name} is the longest silence nginx allows between two reads from the upstream \
         (a model's time to first token, a tool call, an idle WebSocket); after the response \
         header nginx closes the stream, leaving a 200 with a truncated body (an empty one \
         where buffering held what had come), before it the client gets 504. Set `{name} {floor};` (or more) in this location, \
         or have the backend send a heartbeat (an SSE `: ping` comment, a WebSocket ping) more \
         often than the timeout"
        ));
        // A bounded list: each server may size its own floor (`AuthorsValues`).
        if self.texts.len() < 64 {
            self.texts
                .push((name.to_owned(), floor.to_owned(), h.clone()));
        }
        h
    }
}

/// `300` → `300s`, `600` → `10m`, `3600` → `1h`.
fn format_secs(secs: u64) -> String {
    if secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else if secs.is_multiple_of(60) && secs >= 600 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors() {
        assert_eq!(format_secs(300), "300s");
        assert_eq!(format_secs(600), "10m");
        assert_eq!(format_secs(3600), "1h");
        assert_eq!(format_secs(90), "90s");
    }
}
