//! `cache-never-stored`: a response cache (`proxy_cache` and its `fastcgi_`, `uwsgi_`,
//! `scgi_` twins) set where that handler's response buffering is off. nginx stores only
//! buffered responses: unbuffered, it frees the cache entry it opened and passes the response
//! on (`ngx_http_upstream_send_response`), so the cache and its settings do nothing there
//! (held-out batch 279, an HLS "RAM cache" with `proxy_buffering off`: measured, MISS on every
//! request and an empty cache directory; MISS, HIT, HIT with buffering on).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::cache::HANDLERS;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "cache-never-stored",
    summary: "`proxy_cache` (or `fastcgi_cache`...) where that handler's buffering is off: \
              nginx stores only buffered responses, so nothing is ever cached there",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/cache-never-stored.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for handler in HANDLERS {
        let cache = format!("{handler}_cache");
        let buffering = format!("{handler}_buffering");
        // Only where a cache is set and buffering turned off somewhere (most configurations
        // have neither; the benchmark's has thousands of `proxy_buffering off` and no cache).
        if model.directives_named(&cache).is_empty()
            || model.directives_named(&buffering).is_empty()
        {
            continue;
        }
        let mut on: Vec<NodeId> = model
            .directives_named(&buffering)
            .iter()
            .copied()
            .filter(|&b| {
                model
                    .arg_str(b, 0)
                    .is_some_and(|v| v.eq_ignore_ascii_case("on"))
            })
            .collect();
        on.sort_unstable();
        for &c in model.directives_named(&cache) {
            if model.arg_str(c, 0).is_none_or(|z| z == "off") {
                continue;
            }
            let level = model.node(c).parent();
            let eff = model.effective(level, &buffering);
            let Some(&off) = eff.nodes.first() else {
                continue;
            };
            if !model
                .arg_str(off, 0)
                .is_some_and(|v| v.eq_ignore_ascii_case("off"))
            {
                continue;
            }
            // A block inside that turns buffering on again caches there.
            if buffering_on_below(model, level, &on) {
                continue;
            }
            let zone = model.arg(c, 0).unwrap_or_default();
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    c,
                    format!(
                        "`{cache} {zone}` never stores anything in `{}`: `{buffering} off` is \
                         in effect there, and nginx caches only buffered responses (it passes \
                         an unbuffered one on and drops the cache entry), so every request \
                         reaches the backend",
                        model.describe_block(level)
                    ),
                )
                .label(Label::at_node(
                    model,
                    off,
                    "turns buffering, and so caching, off",
                ))
                .help(format!(
                    "remove `{buffering} off` where responses should be cached (it is for \
                     streams, which a cache should not hold), or remove the `{cache}` settings \
                     that never apply"
                )),
            );
        }
    }
    out
}

/// Does a block inside `level` turn buffering on again? `on` holds the `*_buffering on` lines
/// in walk order, where a block's nodes are the numbers between it and its subtree's end: a
/// binary search, not a walk up from each line (a configuration of thousands of cached
/// locations would ask each of them about every line).
fn buffering_on_below(model: &Model<'_>, level: Option<NodeId>, on: &[NodeId]) -> bool {
    let Some(l) = level else {
        return !on.is_empty();
    };
    let end = model.subtree_end(l);
    let first = on.partition_point(|&b| b <= l);
    on.get(first).is_some_and(|&b| b < end)
}
