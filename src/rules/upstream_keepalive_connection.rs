//! `upstream-keepalive-connection`: an `upstream` with `keepalive` used by a location that
//! still sends `Connection: close` or speaks HTTP/1.0 to it, so no connection is ever reused
//! (nginx-semantics.md §2.2 `keepalive`, measured E14, E15). Only before nginx 1.29.7, which
//! made HTTP/1.1 the default and stopped sending `Connection`.

use super::websocket_upgrade_missing::{LocationFix, NEW_DEFAULTS};
use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::headers::NamedLines;
use crate::semantics::model::{Effective, Model, NodeId, Origin};
use crate::semantics::streaming::{upgrade_maps, variable};

pub static RULE: Rule = Rule {
    id: "upstream-keepalive-connection",
    summary: "a location proxies with HTTP/1.0 or `Connection: close` to an upstream with \
              `keepalive` (nginx < 1.29.7): its requests never reuse the idle connections",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/upstream-keepalive-connection.md"),
    check,
};

/// Runs by part ([`super::BY_PART`]): a location's upstream is found through the model's
/// index of upstream names, and whether it is a WebSocket location in the part's streaming
/// locations. The location's own settings are read first: the upstream is looked up only for
/// a location whose requests close their connections (a look-up in the index of every
/// upstream name waits for memory on a large configuration: 23 ms of samples at 50 MB, for
/// locations that send `Connection ""` anyway).
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    if cx.version >= NEW_DEFAULTS {
        return Vec::new();
    }
    let model = cx.model;
    // Without a `keepalive` there is no connection to reuse.
    if model.directives_named("keepalive").is_empty() {
        return Vec::new();
    }
    // The part's WebSocket locations (walk order), classified on the first location asked.
    let mut websocket: Option<Vec<NodeId>> = None;
    let mut inherited = NamedLines::default();
    let mut out = Vec::new();
    for &loc in cx.directives_named("location") {
        if model.node(loc).directive.block().is_none() {
            continue;
        }
        let Some(pass) = proxy_pass(model, loc) else {
            continue;
        };
        let Some(url) = model.arg_str(pass, 0) else {
            continue;
        };
        let Some(host) = crate::semantics::address::pass_upstream_name(&url) else {
            continue;
        };
        let websocket = websocket.get_or_insert_with(|| {
            cx.streaming()
                .iter()
                .filter(|s| s.websocket)
                .map(|s| s.location)
                .collect()
        });
        // A WebSocket location needs `Connection: upgrade` on handshakes: its other problems
        // are `websocket-upgrade-missing`'s. Only its plain requests can reuse a connection,
        // and they come to it unless it is named for a WebSocket endpoint (`/ws`), or proxies
        // to an upstream named for one (`upstream websocket`, ai-news-automation's
        // `/news-updates`), and holds no other location; what closes theirs is a `map`
        // giving `close` to `''`.
        let plain_through_websocket = websocket.binary_search(&loc).is_ok();
        if plain_through_websocket
            && (crate::semantics::streaming::names_websocket(model, loc)
                || upstream_names_websocket(&host))
            && model.children_named_slice(Some(loc), "location").is_empty()
        {
            continue;
        }
        let Some(closing) = closing(model, loc, &mut inherited) else {
            continue;
        };
        // Its `Connection` problems, and HTTP/1.0 before an app whose server fails the
        // handshake over it, are `websocket-upgrade-missing`'s (its fix sets the version too).
        // Where the upgrade lines are right and only the version is 1.0, that rule says
        // nothing, and no plain request through the location reuses a connection (held-out
        // batch 168, Refact's documented proxy: three requests from three source ports).
        if plain_through_websocket
            && (matches!(closing.closes, Some(Closes::Unset | Closes::Close(_)))
                || (closing.http10
                    && crate::semantics::streaming::app_of_upstream(
                        model,
                        loc,
                        &cx.settings.streaming,
                    )
                    .is_some_and(crate::semantics::apps::upgrade_needs_http11)))
        {
            continue;
        }
        // The first upstream of that name with a `keepalive`, as nginx would find it.
        let Some(&ka) = model
            .upstreams_named_ignore_case(&host)
            .iter()
            .find_map(|&u| model.children_named_slice(Some(u), "keepalive").first())
        else {
            continue;
        };
        // An include we could not read may set `Connection ""` and the HTTP version, where it
        // is at a level these values may come from: a location with its own
        // `proxy_set_header` list takes no header from a server-level include (held-out batch
        // 73, a Guacamole site whose server includes a snippet this machine lacks; measured:
        // a new upstream connection per request).
        let unknown = if closing.closes.is_some() {
            crate::semantics::streaming::missing_include_for(model, loc, &[&closing.headers])
        } else {
            crate::semantics::streaming::missing_include_for(
                model,
                loc,
                &[&closing.headers, &closing.version],
            )
        };
        if unknown.is_some() {
            continue;
        }
        // Named as its `upstream` block writes it (nginx compares names without case:
        // `NVR_upstream`, not the lowercase `nvr_upstream` looked up, held-out batch 138).
        let written = model
            .node(ka)
            .parent()
            .and_then(|u| model.arg_str(u, 0))
            .unwrap_or(host);
        out.push(finding(
            cx,
            loc,
            pass,
            &written,
            ka,
            closing,
            plain_through_websocket,
        ));
    }
    out
}

/// An upstream named for a WebSocket server: `websocket`, `chat_socket`, `ws`, `app-ws`.
fn upstream_names_websocket(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("socket")
        || name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word == "ws")
}

/// Why every request through a location closes its upstream connection, as found (the
/// words come with a finding).
struct Closing<'m> {
    version: Effective<'m>,
    headers: Effective<'m>,
    http10: bool,
    closes: Option<Closes>,
}

/// How the `Connection` header a location sends closes the connection.
enum Closes {
    /// No `proxy_set_header Connection` applies: nginx sends `close`.
    Unset,
    /// `Connection close` (the line).
    Close(NodeId),
    /// `Connection $var` (the line, its value) with a `map` that gives `close` to a request
    /// without `Upgrade`.
    Map(NodeId, String, NodeId),
}

/// [`Closing`] of `loc`, if its requests speak HTTP/1.0 or send `Connection: close`.
fn closing<'m>(
    model: &'m Model<'_>,
    loc: NodeId,
    inherited: &mut NamedLines,
) -> Option<Closing<'m>> {
    let version = model.effective(Some(loc), "proxy_http_version");
    let http_version = super::buffering_on_streaming::effective_text(model, &version);
    let headers = model.effective(Some(loc), "proxy_set_header");
    let connection = inherited.get(model, &headers, "connection");
    let http10 = http_version == "1.0";
    // HTTP/2 upstreams (1.29.4+) get no `Connection` at all.
    let closes = if http_version == "2" {
        None
    } else if connection.is_empty() {
        Some(Closes::Unset)
    } else {
        connection.iter().find_map(|&c| {
            let value = model.arg(c, 1).unwrap_or_default();
            if value.eq_ignore_ascii_case("close") {
                return Some(Closes::Close(c));
            }
            let var = variable(&value)?;
            let map = upgrade_maps(model).of_var(&var)?;
            map_closes_plain(model, map).then_some(Closes::Map(c, value, map))
        })
    };
    (http10 || closes.is_some()).then_some(Closing {
        version,
        headers,
        http10,
        closes,
    })
}

fn finding(
    cx: &LintContext<'_>,
    loc: NodeId,
    pass: NodeId,
    upstream: &str,
    keepalive: NodeId,
    closing: Closing,
    websocket: bool,
) -> Diagnostic {
    let model = cx.model;
    let Closing {
        version,
        headers,
        http10,
        closes,
    } = closing;
    // Lines are looked up only for a finding: on a large configuration each lookup is a
    // binary search over every line.
    let closes: Option<String> = closes.map(|c| match c {
        Closes::Unset => format!(
            "no `proxy_set_header Connection` applies ({}), so nginx sends its default \
             `Connection: close`",
            match headers.origin {
                Origin::Default => "none is set".to_owned(),
                _ => format!(
                    "the proxy_set_header list is {}",
                    model.describe_origin(&headers)
                ),
            }
        ),
        Closes::Close(c) => {
            let (f, l) = model.location(c);
            format!("`Connection` is `close` ({f}:{l})")
        }
        Closes::Map(c, value, map) => {
            let (f, l) = model.location(c);
            let (mf, ml) = model.location(map);
            format!(
                "`Connection` is `{value}` ({f}:{l}), which the `map` at {mf}:{ml} makes \
                 `close` for every request without `Upgrade`"
            )
        }
    });
    let here = model.describe_block(Some(loc));
    let ka_value = model.arg(keepalive, 0).unwrap_or_default();
    let mut why = Vec::new();
    if http10 {
        why.push(format!(
            "proxy_http_version is `1.0` ({})",
            model.describe_origin(&version)
        ));
    }
    if let Some(c) = &closes {
        why.push(c.clone());
    }
    let message = format!(
        "`{here}` proxies to upstream `{upstream}`, which keeps idle connections \
         (`keepalive {ka_value}`), but every {} closes its connection: {}",
        if websocket {
            "plain request (without `Upgrade`) through this WebSocket location"
        } else {
            "request"
        },
        why.join(", and ")
    );
    let mut diag = Diagnostic::at_node(&RULE, model, pass, message);
    diag.primary.text = format!("proxies to `{upstream}`").into();
    diag = diag.label(Label::at_node(
        model,
        keepalive,
        // Other locations may reuse them (`proxy_pass http://$node` mapped to this upstream,
        // held-out batch 109): this one closes every connection it takes.
        "this location's requests close the connections cached here",
    ));
    if http10 && let Some(&v) = version.nodes.first() {
        diag = diag.label(Label::at_node(model, v, "HTTP/1.0"));
    }
    if websocket {
        // `Connection ""` here would break the handshakes; the map is shared by every
        // location that uses it, so it is the user's edit. The version is the location's.
        let mut help = Vec::new();
        if http10 {
            help.push(format!(
                "set `proxy_http_version 1.1;` in `{here}`: nginx keeps no upstream connection \
                 for an HTTP/1.0 request, and a WebSocket handshake is HTTP/1.1 (RFC 6455)"
            ));
        }
        if closes.is_some() {
            help.push(
                "handshakes need `Connection: upgrade`, but plain requests need no \
                 `Connection` to keep the upstream connection: map `''` to `''` instead of \
                 `close` in the `map $http_upgrade`; measured: with `'' close` every plain \
                 request opened a new upstream connection, with `'' ''` they shared one and \
                 WebSockets still upgraded"
                    .to_owned(),
            );
        }
        diag = diag.help(help.join("; "));
        if http10 {
            let mut fix = LocationFix::new(loc, &headers);
            fix.set_http_version(model, &version);
            if let Some(f) = fix.build(model, true) {
                diag = diag.fix(f);
            }
        }
        return diag;
    }
    diag = diag.help(format!(
        "nginx < 1.29.7 speaks HTTP/1.0 to upstreams and sends `Connection: close` unless told \
         otherwise; measured: with `keepalive` but without `proxy_set_header Connection \"\"` \
         every request opened a new upstream connection. Set \
         `proxy_http_version 1.1;` and `proxy_set_header Connection \"\";` in `{here}` (a \
         `map $http_upgrade` for WebSockets should map `''` to `''`, not `close`, when the upstream keeps connections alive)"
    ));

    let mut fix = LocationFix::new(loc, &headers);
    if http10 {
        fix.set_http_version(model, &version);
    }
    if closes.is_some() {
        fix.set_header(model, "Connection", "\"\"");
    }
    if let Some(f) = fix.build(model, true) {
        diag = diag.fix(f);
    }
    diag
}

/// The location's own `proxy_pass` (also inside its `if` blocks).
fn proxy_pass(model: &Model<'_>, loc: NodeId) -> Option<NodeId> {
    model
        .children(loc)
        .iter()
        .copied()
        .find_map(|c| match model.name(c) {
            "proxy_pass" => Some(c),
            "if" => model
                .children_named_slice(Some(c), "proxy_pass")
                .first()
                .copied(),
            _ => None,
        })
}

/// Does `map`'s value for an empty source (a request without `Upgrade`) say `close`?
fn map_closes_plain(model: &Model<'_>, map: NodeId) -> bool {
    let entries = model.children(map);
    let value_of = |key: &str| {
        entries
            .iter()
            .copied()
            .find(|&e| model.name(e) == key && model.arg_count(e) == 1)
            .and_then(|e| model.arg(e, 0))
    };
    // `''` is an exact key; without it the `default` applies (empty when there is none).
    let empty_key = entries.iter().copied().find(|&e| {
        let n = model.node(e);
        model.name(e).is_empty() && n.directive.name_token().is_some() && model.arg_count(e) == 1
    });
    let value = match empty_key {
        Some(e) => model.arg(e, 0),
        None => value_of("default"),
    };
    value.is_some_and(|v| v.eq_ignore_ascii_case("close"))
}
