//! `proxy-cache-streaming`: a cache zone is in effect for a buffered streaming location.
//!
//! With buffering on, a cacheable stream is stored while it streams and then replayed at once
//! to later clients, and a close-delimited one is held back as well (nginx-semantics.md §2.5;
//! measured E10b, E10c). Unbuffered responses are never cached (E10), so with buffering off
//! an inherited `proxy_cache` is harmless and not reported.

use super::buffering_on_streaming::{
    buffered_streams, origin, origin_label, pass_label, set_in_location, value_and_origin,
    where_streams, why_label,
};
use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::Fix;
use crate::semantics::model::Origin;

pub static RULE: Rule = Rule {
    id: "proxy-cache-streaming",
    summary: "a `proxy_cache` zone is in effect for a buffered streaming location: a cacheable \
              stream is stored and replayed at once to later clients",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Streaming,
    default: true,
    doc: include_str!("../../rules/proxy-cache-streaming.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for b in buffered_streams(cx) {
        let loc = b.stream.location;
        let name = format!("{}_cache", b.prefix);
        let cache = model.effective(Some(loc), &name);
        let zone = model.effective_value(&cache);
        if cache.is_default() || zone.eq_ignore_ascii_case("off") || zone.is_empty() {
            continue;
        }
        let dir = b.directive();
        let message = format!(
            "`{name}` uses the zone `{zone}` ({}) in {}; with `{dir}` {}, a cacheable stream is \
             stored while it streams and replayed at once to later clients",
            origin(model, &cache),
            where_streams(model, b.stream),
            value_and_origin(model, &b.buffering),
        );
        let mut diag = Diagnostic::at_node(&RULE, model, loc, message)
            .label(why_label(model, b.stream))
            .label(pass_label(model, b.stream));
        diag = diag.labels([
            origin_label(model, &cache, &format!("{name} {zone}")),
            origin_label(model, &b.buffering, &format!("{dir} on")),
        ]);
        if cache.origin == Origin::Here {
            diag = diag.help(format!(
                "this location sets `{name}` itself; remove it, or turn buffering off \
                 (`{dir} off;`): unbuffered responses are never cached"
            ));
        } else {
            diag = diag.help(format!(
                "`{name} off;` in this location cancels the inherited zone; turning buffering off \
                 (`{dir} off;`) also works: unbuffered responses are never cached"
            ));
            if let Some(edit) = set_in_location(model, loc, &name, "off") {
                diag = diag.fix(Fix::safe(
                    format!("Turn {name} off in {}", model.describe_block(Some(loc))),
                    vec![edit],
                ));
            }
        }
        out.push(diag);
    }
    out
}
