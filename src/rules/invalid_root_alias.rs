//! `invalid-root-alias`: `root` and `alias` in ways nginx refuses while it reads them
//! (`ngx_http_core_root`, src/http/ngx_http_core_module.c):
//!
//! - both in one block: `"alias" directive is duplicate, "root" directive was specified
//!   earlier` (and the other way round);
//! - `alias` in a named location: `the "alias" directive cannot be used inside the named
//!   location`;
//! - `$document_root` or `$realpath_root` in their own value: `the $document_root variable
//!   cannot be used in the "root" directive`.
//!
//! (The same directive twice is `duplicate-directive`'s.)

use foldhash::{HashMap, HashMapExt};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{LocationKind, is_nginx, location_head};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "invalid-root-alias",
    summary: "`root` and `alias` in one block, `alias` in a named location, or `$document_root`/`$realpath_root` in their value (nginx: \"alias\" directive is duplicate, \"root\" directive was specified earlier)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-root-alias.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut ids: Vec<NodeId> = model
        .directives_named("root")
        .iter()
        .chain(model.directives_named("alias"))
        .copied()
        .filter(|&id| is_nginx(model, id))
        .collect();
    ids.sort_unstable();
    // The first `root`/`alias` nginx accepted in each block (nginx's `clcf->root`).
    let mut first: HashMap<Option<NodeId>, NodeId> = HashMap::new();
    let mut out = Vec::new();
    for id in ids {
        let node = model.node(id);
        let name = model.name(id);
        let Some(value) = model.arg_str(id, 0) else {
            continue;
        };
        if let Some(&f) = first.get(&node.parent()) {
            let earlier = model.name(f);
            if earlier != name {
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!(
                            "\"{name}\" directive is duplicate, \"{earlier}\" directive was specified earlier"
                        ),
                    )
                    .label(Label::at_node(model, f, format!("`{earlier}` is set here"),
                    ))
                    .help(
                        "a block has one document root: keep `root` (the URI is appended) or `alias` (it replaces the location's prefix), not both",
                    ),
                );
            }
            // Either way nginx stops here (the same directive twice is "is duplicate").
            continue;
        }
        let named = name == "alias"
            && node.parent().is_some_and(|p| {
                model.name(p) == "location"
                    && location_head(model, p).is_some_and(|(k, _)| k == LocationKind::Named)
            });
        let message = if named {
            Some("the \"alias\" directive cannot be used inside the named location".to_owned())
        } else {
            // Most values reference no variable: no search strings are built for them.
            value.contains('$').then_some(()).and_then(|()| {
                ["document_root", "realpath_root"].iter().find_map(|v| {
                    (value.contains(&format!("${v}")) || value.contains(&format!("${{{v}}}"))).then(
                        || format!("the ${v} variable cannot be used in the \"{name}\" directive"),
                    )
                })
            })
        };
        match message {
            Some(message) => {
                let help = if named {
                    "a named location has no prefix to replace: use `root` there, or `rewrite` to a path"
                } else {
                    "these variables are this directive's own value: write the path itself"
                };
                out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
            }
            None => {
                first.insert(node.parent(), id);
            }
        }
    }
    out
}
