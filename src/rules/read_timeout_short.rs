//! `read-timeout-short`: a streaming or WebSocket location whose effective `proxy_read_timeout`
//! (or `fastcgi_`/`uwsgi_`/`scgi_`/`grpc_read_timeout`) is below the configured floor.
//!
//! The read timeout is the longest silence nginx allows between two reads from the upstream; a
//! model thinking before its first token, a tool call or an idle WebSocket is such a silence.
//! After the response header the stream is cut (200, truncated body), before it the client gets
//! a 504 (nginx-semantics.md §2.7, measured E5 and E11).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::streaming::{Streaming, streaming_locations};
use crate::syntax::tree::End;

pub static RULE: Rule = Rule {
    id: "read-timeout-short",
    summary: "a streaming or WebSocket location keeps the read timeout below the floor (60s by default): silent streams are cut",
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
    let floor_ms = floor_secs.saturating_mul(1000);
    let mut out = Vec::new();
    for s in streaming_locations(model, &cx.settings.streaming) {
        if let Some(d) = check_location(model, &s, floor_secs, floor_ms) {
            out.push(d);
        }
    }
    out
}

fn check_location(
    model: &Model<'_>,
    s: &Streaming,
    floor_secs: u64,
    floor_ms: u64,
) -> Option<Diagnostic> {
    let loc = s.location;
    let pass = &*model.node(s.pass).name;
    let prefix = pass.strip_suffix("_pass")?;
    let name = format!("{prefix}_read_timeout");
    let eff = model.effective(Some(loc), &name);
    // A plain-path include that is missing here (the configuration was copied away from its
    // system) at a level the value may come from: we do not know the value.
    let top = match &eff.origin {
        Origin::Here => Some(Some(loc)),
        Origin::Inherited(level) => Some(*level),
        Origin::Default => None,
    };
    if unknown_include_up_to(model, loc, top) {
        return None;
    }
    let value = model.effective_value(&eff);
    let ms = crate::semantics::values::time_ms(&value)?;
    if ms >= floor_ms {
        return None;
    }
    let floor = format_secs(floor_secs);
    let here = model.describe_block(Some(loc));
    let origin = model.describe_origin(&eff);
    let shown = if value.contains(' ') {
        format!("\"{value}\"")
    } else {
        value.clone()
    };
    let (kind, why) = if s.websocket && !s.sse {
        ("WebSocket", "is a WebSocket location")
    } else {
        ("streaming", "streams")
    };
    let message = format!(
        "{name} is {shown} in {kind} `{here}`, {origin}; below the {floor} floor, a longer \
         silence from the upstream cuts the stream. `{here}` {why} because {}",
        s.reason
    );
    let primary_node = match eff.origin {
        Origin::Here => eff.nodes[0],
        _ => loc,
    };
    let mut d = Diagnostic::at_node(&RULE, model, primary_node, message).help(format!(
        "{name} is the longest silence nginx allows between two reads from the upstream \
         (a model's time to first token, a tool call, an idle WebSocket); after the response \
         header nginx closes the stream, leaving a 200 with a truncated body, before it the \
         client gets 504 (measured E5, E11). Set `{name} {floor};` (or more) in this location, \
         or have the backend send a heartbeat (an SSE `: ping` comment, a WebSocket ping) more \
         often than the timeout"
    ));
    if let Origin::Inherited(_) = eff.origin {
        let n = model.node(eff.nodes[0]);
        d = d.label(Label::new(
            n.file,
            n.directive.head_span(),
            format!("{name} {shown} inherited from here"),
        ));
    }
    if let Some(fix) = fix(
        model,
        loc,
        &eff.origin,
        eff.nodes.first().copied(),
        &name,
        &floor,
    ) {
        d = d.fix(fix);
    }
    Some(d)
}

/// Replace the location's own value, else add a line at the end of the location.
fn fix(
    model: &Model<'_>,
    loc: NodeId,
    origin: &Origin,
    node: Option<NodeId>,
    name: &str,
    floor: &str,
) -> Option<Fix> {
    let here = model.describe_block(Some(loc));
    if let (Origin::Here, Some(n)) = (origin, node) {
        let nd = model.node(n);
        let span = style::arg_span(nd.directive, 0)?;
        return Some(Fix::unsafe_(
            format!("Raise {name} to {floor} in {here}"),
            vec![Edit::replace(nd.file, span, floor)],
        ));
    }
    let l = model.node(loc);
    if !matches!(l.directive.end, End::Block(_)) {
        return None;
    }
    let file = model.program.file(l.file);
    let (at, text) = style::insert_into_block(file, l.directive, &format!("{name} {floor};"))?;
    let at = if text.starts_with(['\r', '\n']) {
        crate::fix::style::after_trailing(&file.src, at)
    } else {
        at
    };
    Some(Fix::unsafe_(
        format!("Set {name} {floor} in {here}"),
        vec![Edit::insert(l.file, at, text)],
    ))
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

/// Includes whose contents are known not to set timeouts (stock files shipped with nginx or
/// Debian, certbot's TLS options).
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
fn unknown_include_up_to(model: &Model<'_>, loc: NodeId, top: Option<Option<NodeId>>) -> bool {
    let mut level = Some(loc);
    loop {
        if unknown_include_at(model, level) {
            return true;
        }
        if top == Some(level) {
            return false;
        }
        match level {
            Some(l) => level = model.node(l).parent,
            None => return false,
        }
    }
}

fn unknown_include_at(model: &Model<'_>, level: Option<NodeId>) -> bool {
    model.children_named(level, "include").into_iter().any(|i| {
        if !model.include_failed(i) {
            return false;
        }
        let arg = model.arg(i, 0).unwrap_or_default();
        let base = arg.rsplit('/').next().unwrap_or("");
        !HARMLESS_INCLUDES.contains(&base)
    })
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
