//! `duplicate-geo-network`: a network given twice in one `geo` block. nginx only warns
//! (`ngx_http_geo_cidr_add`: `duplicate network "10.0.0.0/8", value: "2", old value: "1"`) and
//! keeps the later value, so the earlier line is silently overridden. Networks are compared as
//! written (lowercased); a `delete` in between ends the first; blocks with `ranges` are left
//! alone.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::network_geo_blocks;

pub static RULE: Rule = Rule {
    id: "duplicate-geo-network",
    summary: "a network given twice in a `geo` block: the later value wins (nginx warns: duplicate network)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-geo-network.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for geo in network_geo_blocks(model) {
        let mut seen: HashMap<String, (String, u32)> = HashMap::new();
        for &c in model.children(geo) {
            let e = model.node(c);
            if e.context != Context::Entries || model.arg_count(c) != 1 {
                continue;
            }
            let key = model.name(c).to_ascii_lowercase();
            let Some(value) = model.arg(c, 0) else {
                continue;
            };
            match key.as_str() {
                "include" | "proxy" => continue,
                "delete" => {
                    seen.remove(&value.to_ascii_lowercase());
                    continue;
                }
                _ => {}
            }
            if let Some((old, first)) = seen.get(&key) {
                let f = model.node(*first);
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        c,
                        format!(
                            "duplicate network \"{}\", value: \"{value}\", old value: \"{old}\"",
                            model.name(c)
                        ),
                    )
                    .label(Label::new(
                        model.file_of(*first),
                        f.directive.head_span(),
                        "first given here",
                    ))
                    .help("nginx keeps the later value; remove the line you do not mean"),
                );
            }
            seen.insert(key, (value, c));
        }
    }
    out
}
