//! `auth-request-set-misplaced`: `auth_request_set` in the location the auth subrequest goes
//! to (`location = /validate`), as in Vouch Proxy's published single-file example. nginx
//! evaluates `auth_request_set` in the location whose `auth_request` made the subrequest,
//! once it returns; the subrequest's own location never runs the access phase, so its lines
//! are never applied and the variables stay empty in the location that reads them.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "auth-request-set-misplaced",
    summary: "`auth_request_set` in the location the auth subrequest goes to is never applied: \
              nginx evaluates it where `auth_request` is, and the variables stay empty",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/auth-request-set-misplaced.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let sets = model.directives_named("auth_request_set");
    if sets.is_empty() {
        return out;
    }
    // The URIs `auth_request` sends subrequests to, with the directive.
    let targets: Vec<(NodeId, String)> = model
        .directives_named("auth_request")
        .iter()
        .filter_map(|&a| {
            let uri = model.arg_str(a, 0)?;
            (uri != "off").then(|| (a, uri.into_owned()))
        })
        .collect();
    // The first `auth_request_set` of each location that is such a target.
    let mut seen: Vec<NodeId> = Vec::new();
    for &set in sets {
        let Some(loc) = model
            .node(set)
            .parent()
            .filter(|&p| model.name(p) == "location")
        else {
            continue;
        };
        if seen.contains(&loc) {
            continue;
        }
        let Some(&(auth, ref uri)) = targets.iter().find(|(_, uri)| takes(model, loc, uri)) else {
            continue;
        };
        seen.push(loc);
        let path = model.args_str(loc).join(" ");
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                set,
                format!(
                    "`auth_request_set` in `location {path}`, where the auth subrequest to \
                     `{uri}` goes, is never applied: nginx evaluates it in the location whose \
                     `auth_request` made the subrequest, and a subrequest skips the access \
                     phase, so the variables stay empty"
                ),
            )
            .label(Label::at_node(
                model,
                auth,
                "the `auth_request` whose location should hold the lines",
            ))
            .help(
                "move the `auth_request_set` lines next to `auth_request` (the same location, or \
                 the server level when `auth_request` is there); `$upstream_http_*` then reads \
                 the auth response's headers",
            ),
        );
    }
    out
}

/// Does `loc` take the subrequest to `uri`: an exact location of that URI, or a prefix
/// location (other than `/`) it starts with.
fn takes(model: &Model<'_>, loc: NodeId, uri: &str) -> bool {
    let uri = uri.split('?').next().unwrap_or(uri);
    match model.arg_count(loc) {
        2 if model.arg_is(loc, 0, "=") => model.arg_is(loc, 1, uri),
        1 | 2 => crate::semantics::streaming::prefix_path(model, loc)
            .is_some_and(|p| p != "/" && uri.starts_with(&*p)),
        _ => false,
    }
}
