//! `nested-location-unproxied`: a location nested in one that passes requests on
//! (`proxy_pass`, `fastcgi_pass`...) that has no handler of its own and no `root` in effect.
//! A handler is not inherited: nginx serves the nested location's requests as files, from its
//! compiled-in document root (`html` under its prefix), where the application's files are not
//! (held-out batch 257, GeoNode: `location / { proxy_pass ...; location ~* \.(js|png)$ {
//! expires 30d; } }`; measured with nginx 1.22.1, `/api/thumb.png` got nginx's own 404 and the
//! error log named `.../html/api/thumb.png`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::PASS_DIRECTIVES;

pub static RULE: Rule = Rule {
    id: "nested-location-unproxied",
    summary: "a location nested in a proxied one, with no handler of its own and no `root`: \
              `proxy_pass` is not inherited, so nginx serves its requests as files from its \
              default document root",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/nested-location-unproxied.md"),
    check,
};

/// Lines that guard a request (access rules, a login, an `if`) beside the ones that answer or
/// route it ([`location::HANDLING`] and the pass lines): a location with any of them is not
/// one that only decorates what it serves.
const GUARDS: &[&str] = &["deny", "allow", "auth_request", "auth_basic", "if"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &loc in cx.directives_named("location") {
        let Some(parent) = model.parent_location(loc) else {
            continue;
        };
        let Some(pass) = PASS_DIRECTIVES
            .iter()
            .find_map(|p| model.children_named_slice(Some(parent), p).first().copied())
        else {
            continue;
        };
        if handles_itself(model, loc) {
            continue;
        }
        // A `root` in effect: the author may serve these files from disk on purpose.
        if !model.effective(Some(loc), "root").nodes.is_empty() {
            continue;
        }
        let pass_name = model.name(pass);
        let file = model.file_of(loc);
        let head = model.node(loc).directive.head_span();
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, head, "serves files, not proxied"),
                format!(
                    "`{}` has no handler of its own: `{pass_name}` of the location around it is \
                     not inherited, so nginx serves these requests as files from its default \
                     document root (`html` under its prefix; no `root` is set), and the \
                     application never sees them",
                    model.describe_block(Some(loc))
                ),
            )
            .label(Label::at_node(
                model,
                pass,
                "not inherited by the nested location",
            ))
            .help(format!(
                "repeat `{pass_name}` (and its headers) in the nested location, or set `root` to \
                 where these files are if nginx should serve them"
            )),
        );
    }
    out
}

/// Does location `loc` answer, route or guard its requests with a line of its own?
fn handles_itself(model: &Model<'_>, loc: NodeId) -> bool {
    model.children(loc).iter().any(|&c| {
        let name = model.name(c);
        PASS_DIRECTIVES.contains(&name)
            || location::HANDLING.contains(&name)
            || GUARDS.contains(&name)
    })
}
