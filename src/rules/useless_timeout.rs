//! `useless-timeout`: the folklore timeouts raised "for streaming" (`send_timeout`,
//! `keepalive_timeout`, `proxy_send_timeout` ≥ 600s) and a `proxy_connect_timeout` above 130s,
//! set where streaming locations get them.
//!
//! None of these runs while a stream is silent (nginx-semantics.md §2.7; measured E12, E13):
//! `send_timeout` only while a write to the client blocks, `proxy_send_timeout` only while a write
//! to the upstream blocks, `keepalive_timeout` only between two requests. The silence a stream
//! may have is `proxy_read_timeout` (rule `read-timeout-short`). A large `keepalive_timeout` also
//! keeps every idle client connection open that long.

use std::collections::{HashMap, HashSet};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::model::{FnvBuild, Model, NodeId};
use crate::semantics::streaming::{Streaming, streaming_locations_ref};

pub static RULE: Rule = Rule {
    id: "useless-timeout",
    summary: "send_timeout, keepalive_timeout or proxy_send_timeout raised for streaming (or proxy_connect_timeout above 130s, where Linux gives up connecting first) does not keep a silent stream open",
    severity: Severity::Info,
    fix: FixAvailability::None,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/useless-timeout.md"),
    check,
};

/// "Raised for streaming": 10 minutes or more.
const RAISED_MS: u64 = 600 * 1000;
/// The longest a connect can take on Linux, whatever the timeout: the kernel gives up after
/// its SYN retries (`net.ipv4.tcp_syn_retries` 6: 1 + 2 + ... + 64 = 127 s; measured with
/// nginx 1.22.1 against an address that drops SYNs: `proxy_connect_timeout 120s` gave 504 at
/// 120 s, `300s` 502 at 134.5 s). nginx's documentation says 75 s, a BSD figure.
const CONNECT_MAX_MS: u64 = 130 * 1000;

const DIRECTIVES: &[&str] = &[
    "keepalive_timeout",
    "proxy_connect_timeout",
    "proxy_send_timeout",
    "send_timeout",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut dead = dead_settings(model);
    let streams = streaming_locations_ref(model, &cx.settings.streaming);
    if streams.is_empty() {
        return dead;
    }
    // The blocks that hold one of these directives (`None` is the top level) → the first
    // streaming location at or below them, as an index into `streams`. Only those blocks are
    // keyed: a map of every block above a streaming location held tens of thousands of
    // entries for a configuration without any of these directives (1.7 MB at 10 MB of
    // configuration).
    let mut scope: HashMap<Option<NodeId>, Option<usize>, FnvBuild> = HashMap::default();
    for &name in DIRECTIVES {
        for &id in model.directives_named(name) {
            scope.insert(model.node(id).parent(), None);
        }
    }
    if scope.is_empty() {
        return dead;
    }
    let mut unset = scope.len();
    for (k, s) in streams.iter().enumerate() {
        if unset == 0 {
            break;
        }
        let levels = std::iter::once(Some(s.location))
            .chain(model.ancestors(s.location).map(Some))
            .chain([None]);
        for level in levels {
            if let Some(first @ None) = scope.get_mut(&level) {
                *first = Some(k);
                unset -= 1;
            }
        }
    }
    let under = |s: &Streaming, level: Option<NodeId>| {
        level.is_none_or(|l| s.location == l || model.ancestors(s.location).any(|a| a == l))
    };
    let mut seen: HashSet<(u32, u32), FnvBuild> = HashSet::default();
    // The comment walks' answers, for streaming words and for upload words.
    let mut runs = (RunAnswers::default(), RunAnswers::default());
    let mut out = Vec::new();
    for &name in DIRECTIVES {
        for &id in model.directives_named(name) {
            let n = model.node(id);
            if !matches!(
                n.context,
                Context::Http | Context::HttpServer | Context::HttpLocation
            ) {
                continue;
            }
            let level = n.parent();
            let Some(&Some(first)) = scope.get(&level) else {
                continue;
            };
            // The first streaming location below the line that takes its value from it: a
            // server's own `keepalive_timeout 70;` overrides the `http` one for all its
            // locations (held-out 360: the `http` line was said to reach them). The streaming
            // locations below a block follow one another in walk order.
            let Some(s) = streams[first..]
                .iter()
                .take_while(|s| under(s, level))
                .find(|s| {
                    model
                        .effective(Some(s.location), name)
                        .nodes
                        .first()
                        .is_some_and(|&e| model.node(e).parent() == level)
                })
            else {
                continue;
            };
            if !seen.insert((model.file_of(id), n.directive.span().start)) {
                continue;
            }
            if let Some(d) = finding(model, id, name, s, &mut runs) {
                out.push(d);
            }
        }
    }
    out.append(&mut dead);
    out
}

/// Streaming settings that never apply: set in a location that proxies nothing itself, has no
/// nested location to inherit them, and hands every request elsewhere (`try_files ... @named`,
/// `return`). A named location inherits from the server, not from the location that jumped to
/// it, so its own (default) values are the ones in force.
fn dead_settings(model: &Model<'_>) -> Vec<Diagnostic> {
    const SETTINGS: &[&str] = &[
        "proxy_read_timeout",
        "proxy_buffering",
        "proxy_http_version",
        "proxy_send_timeout",
        // The upload side of streaming: snikket-web-proxy's `/upload` (measured: the body
        // was buffered whole before the named location proxied it).
        "proxy_request_buffering",
    ];
    let mut out = Vec::new();
    // Without a hand-off anywhere no setting is dead: the settings are not read (a location
    // each, 189,000 at 50 MB of configuration).
    if model.directives_named("try_files").is_empty() && model.directives_named("return").is_empty()
    {
        return out;
    }
    // Per location: how it hands every request elsewhere, when its settings are dead (read
    // once: a location of thousands of settings asked its other lines for each).
    let mut handoffs: HashMap<NodeId, Option<String>, FnvBuild> = HashMap::default();
    for &name in SETTINGS {
        for &id in model.directives_named(name) {
            let Some(loc) = model.node(id).parent() else {
                continue;
            };
            let has = |n: &str| !model.children_named_slice(Some(loc), n).is_empty();
            // Only a hand-off (`try_files ... @name` or `return`) makes the setting dead: most
            // locations have neither, and need no entry.
            if model.name(loc) != "location" || (!has("try_files") && !has("return")) {
                continue;
            }
            let handoff = handoffs
                .entry(loc)
                .or_insert_with(|| dead_handoff(model, loc));
            let Some(handoff) = handoff.as_deref() else {
                continue;
            };
            let here = model.describe_block(Some(loc));
            let line = model.arg(id, 0).unwrap_or_default();
            let message = format!(
                "`{name} {line}` in `{here}` never applies: the location proxies nothing and \
                 {handoff}, which runs with its own settings"
            );
            out.push(
                Diagnostic::at_node(&RULE, model, id, message)
                    .severity(Severity::Warning)
                    .help(
                        "move the setting to the location that proxies (the named location, \
                         or the server level so both inherit it)",
                    ),
            );
        }
    }
    out
}

/// How location `loc`, which has a `try_files` or a `return`, hands every request elsewhere
/// (`try_files ... @name`, `return`) when it proxies nothing itself and has no nested location
/// to inherit its settings.
fn dead_handoff(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let has = |n: &str| !model.children_named_slice(Some(loc), n).is_empty();
    let proxies = crate::semantics::streaming::PASS_DIRECTIVES
        .iter()
        .any(|p| has(p))
        || model
            .children_named_slice(Some(loc), "if")
            .iter()
            .any(|&i| !model.children_named_slice(Some(i), "proxy_pass").is_empty());
    if proxies || has("location") {
        return None;
    }
    model
        .children_named_slice(Some(loc), "try_files")
        .iter()
        .find_map(|&t| {
            let last = model.arg(t, model.arg_count(t).saturating_sub(1))?;
            last.starts_with('@')
                .then(|| format!("hands requests to `{last}` with `try_files`"))
        })
        .or_else(|| has("return").then(|| "answers with `return`".to_owned()))
}

fn finding(
    model: &Model<'_>,
    id: NodeId,
    name: &str,
    s: &Streaming,
    runs: &mut (RunAnswers, RunAnswers),
) -> Option<Diagnostic> {
    let value = model.arg(id, 0)?;
    let ms = crate::semantics::values::time_ms(&value)?;
    let shown = if value.contains(' ') {
        format!("\"{value}\"")
    } else {
        value.clone()
    };
    let (claim, what, severity) = match name {
        "send_timeout" if ms >= RAISED_MS => (
            "does not keep a silent stream open",
            "send_timeout is armed only while a write to the client blocks (a client that \
             stopped reading); a silent stream never triggers it (measured: `send_timeout \
             1s` with 2 s gaps completed). Raised, it only lets stuck clients hold their \
             connection longer",
            Severity::Info,
        ),
        "proxy_send_timeout" if ms >= RAISED_MS => (
            "does not keep a silent stream open",
            "proxy_send_timeout is armed only while writing the request (or WebSocket \
             client-to-upstream data) to the upstream blocks; a silent stream never triggers it \
             (measured on nginx)",
            Severity::Info,
        ),
        "keepalive_timeout" if ms >= RAISED_MS => (
            "does not keep a silent stream open, but keeps idle client connections open that long",
            "keepalive_timeout is the idle time between two requests on a client keep-alive \
             connection and does not run during a response (measured: `keepalive_timeout \
             1s` with 2 s gaps completed). Raised, every idle client connection holds a socket, \
             a `worker_connections` slot and its buffers that long",
            Severity::Warning,
        ),
        "proxy_connect_timeout" if ms > CONNECT_MAX_MS => (
            "cannot take effect beyond about 130 s on Linux and does not keep a silent stream \
             open",
            "proxy_connect_timeout only limits opening the TCP (and TLS) connection to the \
             upstream; the system gives up on the connect first (Linux after its SYN retries, \
             about 130 s; nginx's documentation says it usually cannot exceed 75 seconds)",
            Severity::Info,
        ),
        _ => return None,
    };
    let level = model.node(id).parent();
    // A comment saying the timeout was raised for the stream keeps the finding (LocalAI's
    // "local inference can take much longer" above `proxy_send_timeout 60m`), except where
    // the location itself takes bodies of any size and streams them upstream: PiKVM's
    // `proxy_send_timeout 7d` beside `client_max_body_size 0; proxy_request_buffering off;`
    // (held-out batch 253; measured, `2s` cut a 50 MB upload with 504 at 2.01 s).
    let said_for_stream = comment_says_streaming(model, id, &mut runs.0);
    let send = matches!(name, "proxy_send_timeout" | "send_timeout");
    if send && !said_for_stream && comment_says_uploads(model, id, &mut runs.1) {
        return None;
    }
    if send
        && ((level != Some(s.location) && !said_for_stream && serves_large_bodies(model, level))
            || (level == Some(s.location)
                && if said_for_stream {
                    streams_any_upload(model, s.location)
                } else {
                    receives_uploads(model, s.location)
                }))
    {
        // Raised beside a large `client_max_body_size` at a level that serves more than the
        // stream, and not said to be for streaming: the timeout has a real job there (slow
        // uploads written to the upstream, large downloads to slow clients), whatever it does
        // for the stream that inherits it.
        return None;
    }
    let block = model.describe_block(model.node(id).parent());
    let loc = model.describe_block(Some(s.location));
    let (f, l) = model.location(id);
    // Only `proxy_buffering off` says the location streams: say that, not "streaming" (it
    // may serve large downloads); the claim about the timeout holds either way.
    let (kind, after) = if s.config_only {
        ("", " (buffering off, so it may stream)")
    } else {
        ("streaming ", "")
    };
    let message = if model.node(id).parent() == Some(s.location) {
        format!("`{name} {shown}` in {kind}`{loc}`{after} {claim}")
    } else {
        format!(
            "`{name} {shown}`, set in `{block}` ({f}:{l}) and inherited by {kind}`{loc}`{after}, \
             {claim}"
        )
    };
    let advice = if name == "keepalive_timeout" {
        "remove it (the default is 75s)"
    } else {
        "remove it or set it back to a normal value"
    };
    let help = format!(
        "{what}. Only proxy_read_timeout bounds the silence between two upstream reads (rule \
         read-timeout-short); {advice}"
    );
    let mut d = Diagnostic::at_node(&RULE, model, id, message)
        .severity(severity)
        .label(super::buffering_on_streaming::why_label(model, s))
        .help(help);
    if model.node(id).parent() != Some(s.location) {
        let l = model.node(s.location);
        d = d.label(Label::new(
            model.file_of(s.location),
            l.directive.head_span(),
            if s.config_only {
                "location with buffering off it applies to"
            } else {
                "streaming location it applies to"
            },
        ));
    }
    Some(d)
}

/// Uploads this large (or unlimited, `0`) make a raised send timeout useful at that level.
const LARGE_BODY_BYTES: i64 = 100 * 1024 * 1024;

/// The location takes uploads the send timeouts have a job in: large ones (its own
/// `client_max_body_size`), or a body passed on as it arrives (`proxy_request_buffering off`,
/// where `proxy_send_timeout` times each write of it to the upstream): AppFlowy's 2G import.
fn receives_uploads(model: &Model<'_>, loc: NodeId) -> bool {
    // Set in the location itself: a size inherited from the server says nothing about what
    // this location receives (Taiga's events WebSocket under a 100M server). But the server's
    // `location /` takes every route the app has, its uploads too: there the server's
    // settings count (Immich's `/` under `client_max_body_size 0;` and
    // `proxy_request_buffering off;`, held-out batch 87).
    let site = model
        .node(loc)
        .parent()
        .is_some_and(|p| model.name(p) == "server" && model.root_location(p) == Some(loc));
    // So do they for a location whose path names uploads (Airflow's `dags/(upload|download)`
    // under a 1024m server, with `Upgrade` lines copied in; held-out batch 231).
    let uploads = || {
        crate::semantics::streaming::contains_ignore_case(
            crate::semantics::streaming::location_path(model, loc).as_bytes(),
            b"upload",
        )
    };
    let own_or_server = site || uploads();
    let setting = |name: &str| {
        if own_or_server {
            model.effective(Some(loc), name).nodes.first().copied()
        } else {
            model.children_named_slice(Some(loc), name).last().copied()
        }
    };
    setting("client_max_body_size").is_some_and(|n| allows_large_bodies(model, n))
        || setting("proxy_request_buffering")
            .is_some_and(|n| model.arg_str(n, 0).is_some_and(|v| v == "off"))
}

/// Does location `loc` itself take bodies of any size (`client_max_body_size 0`) and pass
/// them on as they arrive (`proxy_request_buffering off`)?
fn streams_any_upload(model: &Model<'_>, loc: NodeId) -> bool {
    let own = |name: &str| model.children_named_slice(Some(loc), name).last().copied();
    own("client_max_body_size").is_some_and(|n| model.arg_str(n, 0).as_deref() == Some("0"))
        && own("proxy_request_buffering")
            .is_some_and(|n| model.arg_str(n, 0).as_deref() == Some("off"))
}

/// The level's effective `client_max_body_size` allows large uploads.
fn serves_large_bodies(model: &Model<'_>, level: Option<NodeId>) -> bool {
    let eff = model.effective(level, "client_max_body_size");
    eff.nodes
        .first()
        .is_some_and(|&n| allows_large_bodies(model, n))
}

/// Does `client_max_body_size` line `n` allow large uploads (or any, `0`)?
fn allows_large_bodies(model: &Model<'_>, n: NodeId) -> bool {
    model
        .arg(n, 0)
        // An offset, as nginx reads it (`ngx_conf_set_off_slot`): `10G` counts.
        .and_then(|v| crate::semantics::values::parse_offset(v.as_bytes()))
        .is_some_and(|b| b == 0 || b >= LARGE_BODY_BYTES)
}

/// Words in a comment that say a setting was raised for streams (English, and Chinese 流式).
const STREAM_WORDS: &[&str] = &[
    "stream",
    "sse",
    "event-stream",
    "websocket",
    "long-poll",
    "long poll",
    // Said of timeouts raised for a model's answer ("local inference can take much longer").
    "inference",
    "流式",
];

/// What the walks up from directive lines found, per (file, start of line): whether the comment
/// block above the line's run of directive lines speaks of streaming. Every line of a run has
/// the answer of the run, so a walk stops at a line another walk went through (a run of
/// thousands of raised timeouts read every line above each of them).
type RunAnswers = HashMap<(u32, usize), bool, FnvBuild>;

/// The directive's own trailing comment, or the comment block just above the run of
/// directive lines it sits in, speaks of streaming.
fn comment_says_streaming(model: &Model<'_>, id: NodeId, runs: &mut RunAnswers) -> bool {
    comment_says(model, id, runs, STREAM_WORDS)
}

/// Words in a comment that say a send timeout was raised for uploads.
const UPLOAD_WORDS: &[&str] = &["upload", "large file", "large body", "layer push"];

/// The directive's comment (its own, or the block above its run of lines) says it was raised
/// for uploads: Harbor's `/v2/` under "# Large layer uploads" (held-out batch 370, measured:
/// `proxy_send_timeout 3s` cut a 64 MB layer push with 504, `30s` let it through).
fn comment_says_uploads(model: &Model<'_>, id: NodeId, runs: &mut RunAnswers) -> bool {
    comment_says(model, id, runs, UPLOAD_WORDS)
}

/// Does the directive's own trailing comment, or the comment block just above its run of
/// directive lines, hold one of `words`?
fn comment_says(model: &Model<'_>, id: NodeId, runs: &mut RunAnswers, words: &[&str]) -> bool {
    let src = model.src(id);
    let file = model.file_of(id);
    let start = model.node(id).directive.span().start as usize;
    let line_start = |at: usize| {
        src[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let line_end = |at: usize| {
        src[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(src.len(), |i| at + i)
    };
    let says = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        words.iter().any(|w| text.contains(w))
    };
    let own = &src[start..line_end(start)];
    if let Some(hash) = own.iter().position(|&b| b == b'#')
        && says(&own[hash..])
    {
        return true;
    }
    // Walk up: directive lines of the same run, then the comment lines above them.
    let mut at = line_start(start);
    let mut run = Vec::new();
    let mut in_comments = false;
    let answer = loop {
        if !in_comments {
            if let Some(&known) = runs.get(&(file, at)) {
                break known;
            }
            run.push(at);
        }
        if at == 0 {
            break false;
        }
        let prev = line_start(at - 1);
        let line = String::from_utf8_lossy(&src[prev..at - 1])
            .trim()
            .to_owned();
        if line.is_empty() {
            break false;
        }
        if line.starts_with('#') {
            in_comments = true;
            if says(line.as_bytes()) {
                break true;
            }
        } else if in_comments || line.ends_with('{') || line.ends_with('}') {
            break false;
        }
        at = prev;
    };
    for at in run {
        runs.insert((file, at), answer);
    }
    answer
}
