//! `accel-buffering-ignored`: `proxy_ignore_headers X-Accel-Buffering` in effect for a
//! buffered streaming location.
//!
//! `X-Accel-Buffering: no` from the upstream is the application's per-response way to turn
//! nginx's buffering off; listing it in `proxy_ignore_headers` (or the fastcgi/uwsgi/scgi
//! variant) disables that, and the stream is buffered again (nginx-semantics.md §2.5; measured
//! E3c). When buffering is already off in the location, ignoring the header only stops
//! `X-Accel-Buffering: yes` from turning it back on, which is not reported.

use super::buffering_on_streaming::{
    accel_header_ignored, buffered_streams, origin, origin_label, pass_label, value_and_origin,
    where_streams, why_label,
};
use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "accel-buffering-ignored",
    summary: "`proxy_ignore_headers X-Accel-Buffering` in a buffered streaming location disables \
              the application's `X-Accel-Buffering: no` opt-out",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/accel-buffering-ignored.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for b in buffered_streams(cx) {
        let loc = b.stream.location;
        let Some(ignore) = accel_header_ignored(model, loc, b.prefix) else {
            continue;
        };
        let name = format!("{}_ignore_headers", b.prefix);
        let dir = b.directive();
        let message = format!(
            "`{name}` lists `X-Accel-Buffering` ({}) in {}; with `{dir}` {}, the \
             application's `X-Accel-Buffering: no` cannot turn buffering off for its streams",
            origin(model, &ignore),
            where_streams(model, b.stream),
            value_and_origin(model, &b.buffering),
        );
        let mut diag = Diagnostic::at_node(&RULE, model, loc, message)
            .label(why_label(model, b.stream))
            .label(pass_label(model, b.stream));
        diag = diag.labels([
            origin_label(model, &ignore, &format!("{name} X-Accel-Buffering")),
            origin_label(model, &b.buffering, &format!("{dir} on")),
        ]);
        diag = diag.help(format!(
            "turn buffering off in this location (`{dir} off;`), which does not depend on the \
             header; or drop `X-Accel-Buffering` from `{name}`: this is not done automatically \
             because the other ignored headers usually exist to control caching, and a \
             location-level `{name}` replaces the whole inherited set"
        ));
        out.push(diag);
    }
    out
}
