//! `duplicate-map-key`: a `map` key given twice (`ngx_http_map`, `ngx_stream_map`):
//! `conflicting parameter "/a"` for an exact key (nginx lowercases keys, so `/A` and `/a` are
//! one), `duplicate default map parameter` for `default`. Regex keys are never compared, and
//! `hostnames` maps (with their wildcard rules) are left alone.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "duplicate-map-key",
    summary: "a `map` key given twice (nginx: conflicting parameter, duplicate default map parameter)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-map-key.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &map in model.directives_named("map") {
        let node = model.node(map);
        if !matches!(node.context, Context::Http | Context::Stream) || model.spec(map).is_none() {
            continue;
        }
        let entries: Vec<u32> = model
            .children(map)
            .iter()
            .copied()
            .filter(|&c| model.node(c).context == Context::Entries)
            .collect();
        if entries
            .iter()
            .any(|&c| model.name(c) == "hostnames" && model.arg_count(c) == 0)
        {
            continue;
        }
        let mut seen: HashMap<String, u32> = HashMap::new();
        for &c in &entries {
            if model.arg_count(c) != 1 || model.name(c) == "include" {
                continue;
            }
            let raw = model.name(c);
            if raw.starts_with('~') {
                continue;
            }
            let (key, message) = if raw == "default" {
                (
                    "default".to_owned(),
                    "duplicate default map parameter".to_owned(),
                )
            } else {
                // nginx lowercases the key in place (ASCII), and says so.
                let k = raw.strip_prefix('\\').unwrap_or(raw).to_ascii_lowercase();
                (format!("={k}"), format!("conflicting parameter \"{k}\""))
            };
            match seen.get(&key) {
                None => {
                    seen.insert(key, c);
                }
                Some(&first) => {
                    out.push(
                        Diagnostic::at_node(&RULE, model, c, message)
                            .label(Label::at_node(model, first, "first given here"))
                            .help("nginx refuses to start; keep one line per key (keys are compared without case)"),
                    );
                }
            }
        }
    }
    out
}
