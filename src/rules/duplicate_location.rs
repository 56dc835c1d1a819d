//! `duplicate-location`: two locations of one block that nginx treats as the same.
//!
//! nginx sorts each block's locations and compares neighbours by name
//! (`ngx_http_join_exact_locations`): two exact (`=`) locations, or two prefix locations
//! (with or without `^~`), with the same name are `duplicate location "/a"`. An exact and a
//! prefix location of the same name are joined, and regex and named locations are not compared.

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{LocationKind, location_head};

pub static RULE: Rule = Rule {
    id: "duplicate-location",
    summary: "two `location`s of one block with the same name and kind (nginx: duplicate location)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-location.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // One block's locations at a time, with a table of that block's names only (one table of
    // every location of the configuration was one of the largest of a run). A seeded hasher
    // (the names come from the configuration), and names borrowed from the source.
    let mut seen: HashMap<(bool, Cow<'_, str>), u32> = HashMap::new();
    // By part ([`super::BY_PART`]): each block in the part holding its first location.
    for &loc in cx.directives_named("location") {
        let block = model.node(loc).parent();
        if model.children_named_slice(block, "location").first() != Some(&loc) {
            continue;
        }
        seen.clear();
        for &id in model.children_named_slice(block, "location") {
            let node = model.node(id);
            if !matches!(node.context, Context::HttpServer | Context::HttpLocation) {
                continue;
            }
            let Some((kind, name)) = location_head(model, id) else {
                continue;
            };
            let exact = match kind {
                LocationKind::Exact => true,
                LocationKind::Prefix => false,
                _ => continue,
            };
            // One hash per location, no copy of its name.
            match seen.entry((exact, name)) {
                Entry::Vacant(v) => {
                    v.insert(id);
                }
                Entry::Occupied(o) => {
                    let (first, name) = (*o.get(), &o.key().1);
                    out.push(
                        Diagnostic::at_node(
                            &RULE,
                            model,
                            id,
                            format!("duplicate location \"{name}\""),
                        )
                        .label(Label::at_node(model, first, "the same location first here"))
                        .help("nginx refuses to start; merge the two blocks into one"),
                    );
                }
            }
        }
    }
    out
}
