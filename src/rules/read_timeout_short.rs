//! `read-timeout-short`: a streaming or WebSocket location whose effective `proxy_read_timeout`
//! (or `fastcgi_`/`uwsgi_`/`scgi_`/`grpc_read_timeout`) is below the configured floor.
//!
//! The read timeout is the longest silence nginx allows between two reads from the upstream; a
//! model thinking before its first token, a tool call or an idle WebSocket is such a silence.
//! After the response header the stream is cut (200, truncated body), before it the client gets
//! a 504 (nginx-semantics.md §2.7, measured E5 and E11).

use super::{Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::streaming::{Streaming, streaming_locations};
use crate::syntax::tree::End;

pub static RULE: Rule = Rule {
    id: "read-timeout-short",
    summary: "a streaming or WebSocket location keeps the read timeout below the floor (60s by default): silent streams are cut",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
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
    let ms = parse_time_ms(&value)?;
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
        past_trailing_comment(&file.src, at)
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
    if secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else if secs % 60 == 0 && secs >= 600 {
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
        if !include_failed(model, i) {
            return false;
        }
        let arg = model.arg(i, 0).unwrap_or_default();
        let base = arg.rsplit('/').next().unwrap_or("");
        !HARMLESS_INCLUDES.contains(&base)
    })
}

/// nginx's `ngx_parse_time` for millisecond directives: `w d h m s ms` in descending order,
/// optionally space-separated, a bare trailing number is seconds; `M` and `y` are refused for
/// millisecond values. `None` for anything nginx would refuse (or a variable).
fn parse_time_ms(s: &str) -> Option<u64> {
    const UNITS: &[(&str, u64, usize)] = &[
        ("w", 7 * 24 * 3600 * 1000, 0),
        ("d", 24 * 3600 * 1000, 1),
        ("h", 3600 * 1000, 2),
        ("ms", 1, 5),
        ("m", 60 * 1000, 3),
        ("s", 1000, 4),
    ];
    let b = s.trim_end_matches(' ');
    let bytes = b.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    let mut last_rank: Option<usize> = None;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let value: u64 = b[start..i].parse().ok()?;
        let (scale, rank) = match UNITS.iter().find(|(u, _, _)| b[i..].starts_with(u)) {
            Some(&(u, scale, rank)) => {
                i += u.len();
                (scale, rank)
            }
            // A bare number: seconds, and only at the end.
            None if b[i..].trim_start_matches(' ').is_empty() => (1000, 4),
            None => return None,
        };
        if last_rank.is_some_and(|l| rank <= l) {
            return None;
        }
        last_rank = Some(rank);
        total = total.checked_add(value.checked_mul(scale)?)?;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
    }
    last_rank.map(|_| total)
}

/// `style::insert_into_block` inserts right after the last directive's `;`, which would move a
/// comment on the rest of that line onto the new line; insert after the comment instead.
fn past_trailing_comment(src: &[u8], at: u32) -> u32 {
    let rest = &src[at as usize..];
    let line_len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let mut line = &rest[..line_len];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    let trimmed = line
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .map_or(&line[line.len()..], |i| &line[i..]);
    if trimmed.first() == Some(&b'#') {
        at + line.len() as u32
    } else {
        at
    }
}

/// An `include` nginx would fail on here (a plain path that is missing or unreadable): its
/// contents are unknown. A glob that matches nothing includes nothing, for nginx as for us.
fn include_failed(model: &Model<'_>, include: NodeId) -> bool {
    use crate::semantics::include::IncludeErrorKind;
    let n = model.node(include);
    let span = n.directive.span;
    model.program.include_errors.iter().any(|e| {
        e.file == n.file
            && span.start <= e.span.start
            && e.span.end <= span.end
            && !matches!(e.kind, IncludeErrorKind::Cycle { .. })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time_ms("60"), Some(60_000));
        assert_eq!(parse_time_ms("60s"), Some(60_000));
        assert_eq!(parse_time_ms("500ms"), Some(500));
        assert_eq!(parse_time_ms("5m"), Some(300_000));
        assert_eq!(parse_time_ms("1h 30m"), Some(5_400_000));
        assert_eq!(parse_time_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_time_ms("1d"), Some(86_400_000));
        assert_eq!(parse_time_ms("1m 30"), Some(90_000));
        assert_eq!(parse_time_ms("30m 1h"), None);
        assert_eq!(parse_time_ms("1y"), None);
        assert_eq!(parse_time_ms("1M"), None);
        assert_eq!(parse_time_ms("$t"), None);
        assert_eq!(parse_time_ms(""), None);
        assert_eq!(parse_time_ms("1x"), None);
        assert_eq!(parse_time_ms("1s 500ms"), Some(1500));
        assert_eq!(parse_time_ms("10 20"), None);
    }

    #[test]
    fn floors() {
        assert_eq!(format_secs(300), "300s");
        assert_eq!(format_secs(600), "10m");
        assert_eq!(format_secs(3600), "1h");
        assert_eq!(format_secs(90), "90s");
    }
}
