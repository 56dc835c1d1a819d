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

/// Runs by part ([`super::BY_PART`]): each `root`/`alias` is judged in the part holding it,
/// against the first one nginx accepted in its block. A block opened in this part (always,
/// on the whole model) has all its earlier lines in this part, read before: the first one
/// accepted is noted as the lines are read. A block opened in an earlier part has it looked
/// up in the model's index of the block's children, once per block and part.
fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let ids = cx
        .directives_named_any(&["root", "alias"])
        .into_iter()
        .filter(|&id| is_nginx(model, id));
    let part_start = cx.part.as_ref().map_or(0, |p| p.start);
    // The first `root`/`alias` nginx accepted in each block (nginx's `clcf->root`), among the
    // lines read so far.
    let mut first: HashMap<Option<NodeId>, Option<NodeId>> = HashMap::new();
    let mut out = Vec::new();
    for id in ids {
        let node = model.node(id);
        let name = model.name(id);
        let Some(value) = model.arg_str(id, 0) else {
            continue;
        };
        let parent = node.parent();
        let accepted = *first.entry(parent).or_insert_with(|| {
            let opened_here = parent.map_or(part_start == 0, |p| p >= part_start);
            if opened_here {
                None
            } else {
                first_accepted(model, parent)
            }
        });
        if let Some(f) = accepted.filter(|&f| f < id) {
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
        match refusal(model, id, name, &value) {
            Some((message, help)) => {
                out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
            }
            None => {
                first.insert(parent, Some(id));
            }
        }
    }
    out
}

/// The first `root` or `alias` of block `parent` that nginx accepts: the first it reads (in
/// node order) with a value and no [`refusal`] of its own. Every one before it was refused, so
/// none of them made it a duplicate.
fn first_accepted(model: &Model<'_>, parent: Option<NodeId>) -> Option<NodeId> {
    let mut roots = model.children_named_slice(parent, "root").iter().peekable();
    let mut aliases = model
        .children_named_slice(parent, "alias")
        .iter()
        .peekable();
    // The two lists merged in node order.
    let in_order = std::iter::from_fn(|| match (roots.peek(), aliases.peek()) {
        (Some(&&r), Some(&&a)) if a < r => aliases.next().copied(),
        (Some(_), _) => roots.next().copied(),
        (None, _) => aliases.next().copied(),
    });
    in_order.filter(|&id| is_nginx(model, id)).find(|&id| {
        model
            .arg_str(id, 0)
            .is_some_and(|value| refusal(model, id, model.name(id), &value).is_none())
    })
}

/// Why nginx refuses `root`/`alias` node `id` (named `name`, with `value`) on its own, and the
/// help to give: `alias` in a named location, or `$document_root`/`$realpath_root` in the
/// value.
fn refusal(
    model: &Model<'_>,
    id: NodeId,
    name: &str,
    value: &str,
) -> Option<(String, &'static str)> {
    let named = name == "alias"
        && model.node(id).parent().is_some_and(|p| {
            model.name(p) == "location"
                && location_head(model, p).is_some_and(|(k, _)| k == LocationKind::Named)
        });
    if named {
        return Some((
            "the \"alias\" directive cannot be used inside the named location".to_owned(),
            "a named location has no prefix to replace: use `root` there, or `rewrite` to a path",
        ));
    }
    // Most values reference no variable: no search strings are built for them.
    if !value.contains('$') {
        return None;
    }
    ["document_root", "realpath_root"].iter().find_map(|v| {
        (value.contains(&format!("${v}")) || value.contains(&format!("${{{v}}}"))).then(|| {
            (
                format!("the ${v} variable cannot be used in the \"{name}\" directive"),
                "these variables are this directive's own value: write the path itself",
            )
        })
    })
}
