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
    // Sized for every location up front (no rehash as it grows); a seeded hasher (the names
    // come from the configuration), and names borrowed from the source.
    let locations = model.directives_named("location");
    let mut seen: HashMap<(Option<u32>, bool, Cow<'_, str>), u32> =
        HashMap::with_capacity(locations.len());
    for &id in locations {
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
        match seen.entry((node.parent(), exact, name)) {
            Entry::Vacant(v) => {
                v.insert(id);
            }
            Entry::Occupied(o) => {
                let (first, name) = (*o.get(), &o.key().2);
                let f = model.node(first);
                out.push(
                    Diagnostic::at_node(&RULE, model, id, format!("duplicate location \"{name}\""))
                        .label(Label::new(
                            model.file_of(first),
                            f.directive.head_span(),
                            "the same location first here",
                        ))
                        .help("nginx refuses to start; merge the two blocks into one"),
                );
            }
        }
    }
    out
}
