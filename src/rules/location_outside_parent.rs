//! `location-outside-parent`: a nested `location` nginx refuses (`ngx_http_core_location`):
//!
//! - inside an exact location: `location "/a" cannot be inside the exact location "/a"`;
//! - inside a named location: `location "/b" cannot be inside the named location "@a"`;
//! - a named location below the server level: `named location "@b" can be on the server level
//!   only`;
//! - a prefix location whose name does not start with its parent's name (a regex parent's name
//!   is its regex): `location "/b" is outside location "/a"`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{LocationKind, location_head};

pub static RULE: Rule = Rule {
    id: "location-outside-parent",
    summary: "a nested `location` nginx refuses: outside its parent's prefix, inside an exact or named location, or a named one below the server level",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/location-outside-parent.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("location") {
        let node = model.node(id);
        if node.context != Context::HttpLocation {
            continue;
        }
        let Some(parent) = node.parent().filter(|&p| model.name(p) == "location") else {
            continue;
        };
        let (Some((kind, name)), Some((pkind, pname))) =
            (location_head(model, id), location_head(model, parent))
        else {
            continue;
        };
        let message = if pkind == LocationKind::Exact {
            format!("location \"{name}\" cannot be inside the exact location \"{pname}\"")
        } else if pkind == LocationKind::Named {
            format!("location \"{name}\" cannot be inside the named location \"{pname}\"")
        } else if kind == LocationKind::Named {
            format!("named location \"{name}\" can be on the server level only")
        } else if !matches!(kind, LocationKind::Regex { .. })
            && !name.as_bytes().starts_with(pname.as_bytes())
            // A parent prefix of a template's placeholder (YunoHost's `location __PATH__/`,
            // `/` itself for an app at a domain's root, where nginx accepts the nested
            // `location ^~ /.well-known/`: held-out batch 287, measured on the rendered file).
            && !crate::template::holds_placeholder(&pname)
        {
            format!("location \"{name}\" is outside location \"{pname}\"")
        } else {
            continue;
        };
        out.push(
            Diagnostic::at_node(&RULE, model, id, message)
                .label(Label::at_node(model, parent, "the enclosing location"))
                .help(match (&kind, &pkind) {
                    (LocationKind::Named, _) => {
                        "move the named location to the server level".to_owned()
                    }
                    (_, LocationKind::Exact | LocationKind::Named) => {
                        "move the location out to the server level".to_owned()
                    }
                    _ => format!(
                        "a nested prefix location must start with its parent's prefix `{pname}`; move it out or rename it"
                    ),
                }),
        );
    }
    out
}
