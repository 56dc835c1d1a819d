//! `header-buffers-small`: `large_client_header_buffers` with buffers under 4k. Every request
//! line and every header line must fit in one of them: a longer request line gets 414, a
//! longer header line 400 ("Request Header Or Cookie Too Large"). Hardening guides copy
//! `large_client_header_buffers 2 1k;`, and a Cookie header of a few analytics and session
//! cookies, or a bearer token, is longer (measured with nginx 1.22.1: a 1,100-byte Cookie got
//! 400 and a 1,100-byte URI 414 under `2 1k`; both 200 under `4 2k`, where a 2,100-byte Cookie
//! got 400). Not where `client_header_buffer_size` is 4k or more: an ordinary request fits in
//! that first buffer whole.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::values::parse_size;

pub static RULE: Rule = Rule {
    id: "header-buffers-small",
    summary: "`large_client_header_buffers` under 4k: longer request lines get 414 and longer \
              header lines (a Cookie, a bearer token) 400",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/header-buffers-small.md"),
    check,
};

/// Below this a header line of an ordinary browser request no longer fits: one cookie may be
/// 4096 bytes (RFC 6265 §6.1's minimum a browser keeps), and a Cookie header holds several.
const SMALLEST_SENSIBLE: i64 = 4096;

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in cx.directives_named("large_client_header_buffers") {
        let Some(size) = model.arg_str(n, 1) else {
            continue;
        };
        let Some(bytes) = parse_size(size.as_bytes()) else {
            continue;
        };
        if bytes >= SMALLEST_SENSIBLE || bytes <= 0 {
            continue;
        }
        // nginx reads a request into `client_header_buffer_size` first and moves a line to
        // the large buffers only where the request outgrows it: a first buffer of 4k or more
        // holds an ordinary browser request whole (measured: under `client_header_buffer_size
        // 5k; large_client_header_buffers 2 2k;` a 4,500-byte Cookie got 200; the CIS
        // benchmark's pair).
        let level = model.node(n).parent();
        let first = model
            .effective(level, "client_header_buffer_size")
            .nodes
            .last()
            .and_then(|&c| parse_size(model.arg_str(c, 0)?.as_bytes()))
            .unwrap_or(1024);
        if first >= SMALLEST_SENSIBLE {
            continue;
        }
        let file = model.file_of(n);
        let span = crate::fix::style::arg_span(model.node(n).directive, 1)
            .unwrap_or_else(|| model.node(n).directive.head_span());
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, span, "each request and header line must fit in this"),
                format!(
                    "`large_client_header_buffers` buffers of {size}: a request line longer \
                     than {size} gets 414 (Request-URI Too Large) and a header line longer than \
                     {size} gets 400 (Request Header Or Cookie Too Large); a browser's Cookie \
                     header with a few analytics and session cookies, or a bearer token, is \
                     often longer"
                ),
            )
            .help(
                "use nginx's default (`4 8k`) or more, or remove the line; hardening guides \
                 that set `2 1k` trade real requests for nothing a smaller buffer stops",
            ),
        );
    }
    out
}
