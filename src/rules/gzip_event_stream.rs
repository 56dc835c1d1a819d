//! `gzip-event-stream`: gzip compresses `text/event-stream` in a streaming location while
//! response buffering is in effect.
//!
//! nginx's gzip filter deflates with `Z_SYNC_FLUSH` only for buffers marked `flush`, which
//! unbuffered proxying sets on every upstream read; buffered data (even a chunked upstream's
//! `recycled` buffers) is not a flush for gzip, so the compressed stream leaves only when
//! `gzip_buffers` fill or the response ends (nginx-semantics.md §2.6; measured E4c, E4d). With
//! buffering off the same configuration streams, compressed (E4), so that is not reported.

use super::buffering_on_streaming::{
    buffered_streams, gzip_applies, origin, origin_label, pass_label, set_in_location,
    value_and_origin, where_streams, why_label,
};
use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::Fix;
use crate::semantics::model::Origin;

pub static RULE: Rule = Rule {
    id: "gzip-event-stream",
    summary: "gzip compresses `text/event-stream` in a buffered streaming location, so events \
              are held until gzip's buffers fill or the stream ends",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/gzip-event-stream.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for b in buffered_streams(cx) {
        let loc = b.stream.location;
        let Some(g) = gzip_applies(model, loc, &b.stream.body_content_types()) else {
            continue;
        };
        let dir = b.directive();
        let in_if = if g.at == loc {
            String::new()
        } else {
            " in an `if` block".to_owned()
        };
        // The streams' types `gzip_types` names (all of them for `*`).
        let types: Vec<&str> = b
            .stream
            .body_content_types()
            .into_iter()
            .filter(|t| g.entry == "*" || t.eq_ignore_ascii_case(&g.entry))
            .collect();
        let what = if types == ["text/event-stream"] {
            "event streams".to_owned()
        } else {
            format!("`{}` streams", types.join("`/`"))
        };
        let message = format!(
            "gzip compresses {what} in {}: `gzip` is on{in_if} ({}) and `gzip_types` has \
             `{}` ({}); with `{dir}` {}, nginx flushes the compressed stream only when gzip's \
             buffers fill or the stream ends",
            where_streams(model, b.stream),
            origin(model, &g.gzip),
            g.entry,
            origin(model, &g.types),
            value_and_origin(model, &b.buffering),
        );
        let mut diag = Diagnostic::at_node(&RULE, model, loc, message)
            .label(why_label(model, b.stream))
            .label(pass_label(model, b.stream));
        diag = diag.labels([
            origin_label(model, &g.gzip, "gzip on"),
            origin_label(model, &g.types, &format!("gzip_types {}", g.entry)),
            origin_label(model, &b.buffering, &format!("{dir} on")),
        ]);
        // The location keeps buffering on explicitly: respect that and turn gzip off here.
        let keeps_buffering = b.buffering.origin == Origin::Here;
        if keeps_buffering {
            diag = diag.help(format!(
                "this location sets `{dir} on` itself, so the fix turns gzip off here instead \
                 (`gzip off;`); turning buffering off also works: unbuffered, nginx flushes gzip \
                 after every upstream read and events arrive on time, compressed"
            ));
            if g.at == loc
                && let Some(edit) = set_in_location(model, loc, "gzip", "off")
            {
                diag = diag.fix(Fix::safe(
                    format!("Turn gzip off in {}", model.describe_block(Some(loc))),
                    vec![edit],
                ));
            }
        } else {
            diag = diag.help(format!(
                "fixed by turning buffering off (`{dir} off;`, see buffering-on-streaming): \
                 unbuffered, nginx flushes gzip after every upstream read and events arrive on \
                 time, compressed; if buffering must stay on, put `gzip off;` in this location"
            ));
        }
        out.push(diag);
    }
    out
}
