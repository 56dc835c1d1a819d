//! `duplicate-type-extension`: an extension mapped twice in the `types` of one level. nginx
//! only warns (`ngx_http_core_type`: `duplicate extension "html", content type: "text/plain",
//! previous content type: "text/html"`) and keeps the last mapping, so the earlier line is
//! silently overridden. Extensions are compared lowercased, as nginx stores them.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "duplicate-type-extension",
    summary: "an extension mapped twice in `types`: the last mapping wins (nginx warns: duplicate extension)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-type-extension.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // (level holding the `types` blocks, extension) → (content type, entry)
    let mut seen: HashMap<(Option<u32>, String), (String, u32)> = HashMap::new();
    for &types in model.directives_named("types") {
        let node = model.node(types);
        if !matches!(
            node.context,
            Context::Http | Context::HttpServer | Context::HttpLocation
        ) || model.spec(types).is_none()
        {
            continue;
        }
        for &entry in model.children(types) {
            let e = model.node(entry);
            if e.context != Context::Entries || model.name(entry) == "include" {
                continue;
            }
            let content_type = model.name(entry).to_string();
            for (i, tok) in e.directive.arg_tokens().enumerate() {
                let Some(ext) = model.arg(entry, i).map(|x| x.to_ascii_lowercase()) else {
                    continue;
                };
                let key = (node.parent(), ext.clone());
                if let Some((old, first)) = seen.get(&key) {
                    let f = model.node(*first);
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            Label::new(model.file_of(entry), tok.span(), "mapped again here"),
                            format!(
                                "duplicate extension \"{ext}\", content type: \"{content_type}\", previous content type: \"{old}\""
                            ),
                        )
                        .label(Label::new(model.file_of(*first), f.directive.head_span(), "first mapped here"))
                        .help("nginx keeps the last mapping; remove the one you do not mean"),
                    );
                }
                seen.insert(key, (content_type.clone(), entry));
            }
        }
    }
    out
}
