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
use crate::semantics::model::{Model, NodeId};

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
    let mut ids: Vec<NodeId> = cx
        .directives_named("root")
        .iter()
        .chain(cx.directives_named("alias"))
        .copied()
        .filter(|&id| is_nginx(model, id))
        .collect();
    ids.sort_unstable();
    // The first `root`/`alias` nginx accepted in each block (nginx's `clcf->root`), found
    // among the block's lines when the block is first met: the rule runs part by part
    // (`rules::BY_PART`), and a block's earlier lines may be in an earlier part.
    let mut first: HashMap<Option<NodeId>, Option<NodeId>> = HashMap::new();
    let mut out = Vec::new();
    for id in ids {
        let node = model.node(id);
        let name = model.name(id);
        let Some(value) = model.arg_str(id, 0) else {
            continue;
        };
        let block_first = *first
            .entry(node.parent())
            .or_insert_with(|| first_accepted(model, node.parent()));
        if let Some(f) = block_first.filter(|&f| f < id) {
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
        let named = in_named_location(model, id);
        let message = if named {
            Some("the \"alias\" directive cannot be used inside the named location".to_owned())
        } else {
            root_variable(&value)
                .map(|v| format!("the ${v} variable cannot be used in the \"{name}\" directive"))
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
            // The block's first accepted line (`first_accepted` found it).
            None => {}
        }
    }
    out
}

/// Whether `id` is an `alias` in a named location (nginx refuses it).
fn in_named_location(model: &Model<'_>, id: NodeId) -> bool {
    model.name(id) == "alias"
        && model.node(id).parent().is_some_and(|p| {
            model.name(p) == "location"
                && location_head(model, p).is_some_and(|(k, _)| k == LocationKind::Named)
        })
}

/// The variable of a root nginx refuses in `root`/`alias` (`$document_root`,
/// `$realpath_root`), if `value` has one.
fn root_variable(value: &str) -> Option<&'static str> {
    // Most values reference no variable: no search strings are built for them.
    if !value.contains('$') {
        return None;
    }
    ["document_root", "realpath_root"]
        .into_iter()
        .find(|v| value.contains(&format!("${v}")) || value.contains(&format!("${{{v}}}")))
}

/// The first `root`/`alias` line of `block` that nginx accepts (it has a value, and neither
/// refusal above): the one the block's later lines are duplicates of.
fn first_accepted(model: &Model<'_>, block: Option<NodeId>) -> Option<NodeId> {
    let roots = model.children_named_slice(block, "root");
    let aliases = model.children_named_slice(block, "alias");
    let mut lines: Vec<NodeId> = roots.iter().chain(aliases).copied().collect();
    lines.sort_unstable();
    lines.into_iter().find(|&l| {
        is_nginx(model, l)
            && !in_named_location(model, l)
            && model
                .arg_str(l, 0)
                .is_some_and(|v| root_variable(&v).is_none())
    })
}
