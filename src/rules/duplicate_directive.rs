//! `duplicate-directive`: a single-valued directive set twice in one block.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use std::collections::HashMap;

use crate::semantics::model::NameBuild;

pub static RULE: Rule = Rule {
    id: "duplicate-directive",
    summary: "a single-valued directive is set twice in the same block (nginx: \"is duplicate\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-directive.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One map for every level, emptied between them (no allocation per block), with the
    // model's name hasher rather than SipHash: it ran once per unique directive (issue #13).
    let mut first: HashMap<&str, u32, NameBuild> = HashMap::default();
    // Most blocks hold a few directives: there, comparing names with the ones met before costs
    // less than hashing each.
    const SMALL_LEVEL: usize = 64;
    let mut firsts: Vec<u32> = Vec::new();
    // A level of fewer than two directives repeats none.
    // By part ([`super::BY_PART`]): the levels of the part's nodes, and the top level with
    // the first part.
    let top = cx.node_ids().start == 0;
    let levels = top
        .then(|| model.levels().next())
        .flatten()
        .into_iter()
        .chain(cx.node_ids().map(|id| model.children(id)));
    for children in levels.filter(|c| c.len() > 1) {
        first.clear();
        firsts.clear();
        for &c in children {
            if !model.spec(c).is_some_and(|s| s.unique) {
                continue;
            }
            let name = model.name(c);
            let earlier = if children.len() <= SMALL_LEVEL {
                let earlier = firsts.iter().copied().find(|&f| model.name(f) == name);
                if earlier.is_none() {
                    firsts.push(c);
                }
                earlier
            } else {
                let earlier = first.get(name).copied();
                if earlier.is_none() {
                    first.insert(name, c);
                }
                earlier
            };
            match earlier {
                None => {}
                Some(f) => {
                    out.push(
                        Diagnostic::at_node(
                            &RULE,
                            model,
                            c,
                            format!("\"{name}\" directive is duplicate"),
                        )
                        .label(Label::at_node(model, f, "first set here"))
                        .help("nginx refuses to start; keep one of them"),
                    );
                }
            }
        }
    }
    out
}
