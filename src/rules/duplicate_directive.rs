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
    let mut levels: Vec<&[u32]> = vec![&model.roots];
    levels.extend((0..model.nodes.len() as u32).map(|id| model.children(id)));
    // One map for every level, emptied between them (no allocation per block), with the
    // model's name hasher rather than SipHash: it ran once per unique directive (issue #13).
    let mut first: HashMap<&str, u32, NameBuild> = HashMap::default();
    // Most blocks hold a few directives: there, comparing names with the ones met before costs
    // less than hashing each.
    const SMALL_LEVEL: usize = 64;
    let mut firsts: Vec<u32> = Vec::new();
    for children in levels {
        first.clear();
        firsts.clear();
        for &c in children {
            if !model.spec(c).is_some_and(|s| s.unique) {
                continue;
            }
            let earlier = if children.len() <= SMALL_LEVEL {
                let earlier = firsts
                    .iter()
                    .copied()
                    .find(|&f| model.name(f) == model.name(c));
                if earlier.is_none() {
                    firsts.push(c);
                }
                earlier
            } else {
                let earlier = first.get(model.name(c)).copied();
                if earlier.is_none() {
                    first.insert(model.name(c), c);
                }
                earlier
            };
            match earlier {
                None => {}
                Some(f) => {
                    let fnode = model.node(f);
                    out.push(
                        Diagnostic::at_node(
                            &RULE,
                            model,
                            c,
                            format!("\"{}\" directive is duplicate", model.name(c)),
                        )
                        .label(Label::new(
                            fnode.file,
                            fnode.directive.head_span(),
                            "first set here",
                        ))
                        .help("nginx refuses to start; keep one of them"),
                    );
                }
            }
        }
    }
    out
}
