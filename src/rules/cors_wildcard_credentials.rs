//! `cors-wildcard-credentials`: `Access-Control-Allow-Origin *` beside
//! `Access-Control-Allow-Credentials true` in one `add_header` list. Browsers refuse every
//! credentialed cross-origin request such an answer comes with: the page that sends its
//! cookies (or the browser's HTTP authentication) cannot read the response, and a preflight with credentials
//! fails (the Fetch standard's CORS check). A held-out batch's miss (stop 79).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "cors-wildcard-credentials",
    summary: "`Access-Control-Allow-Origin *` with `Access-Control-Allow-Credentials true`: \
              browsers refuse every credentialed cross-origin request these answers come with",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/cors-wildcard-credentials.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per block, its first `Access-Control-Allow-Credentials true` line, looked for once (a
    // block of thousands of `add_header` lines read them all again for each `*` line).
    let mut credentials_of: foldhash::HashMap<Option<NodeId>, Option<NodeId>> =
        foldhash::HashMap::default();
    for &origin in cx.directives_named("add_header") {
        if !is_line(model, origin, "access-control-allow-origin", "*") {
            continue;
        }
        // nginx inherits `add_header` lines all or nothing: the list a response gets is one
        // block's own lines, so the two lines must be siblings to be sent together.
        let parent = model.node(origin).parent();
        let Some(credentials) = *credentials_of.entry(parent).or_insert_with(|| {
            model
                .children_named_slice(parent, "add_header")
                .iter()
                .copied()
                .find(|&n| is_line(model, n, "access-control-allow-credentials", "true"))
        }) else {
            continue;
        };
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                origin,
                "`Access-Control-Allow-Origin *` is sent with `Access-Control-Allow-Credentials \
                 true`: browsers refuse a credentialed cross-origin request whose answer allows \
                 every origin, so pages that send the user's cookies (or the browser's HTTP \
                 authentication) cannot read these responses",
            )
            .label(Label::at_node(
                model,
                credentials,
                "credentials allowed here",
            ))
            .help(
                "name the origin that may send credentials (`add_header \
                 Access-Control-Allow-Origin https://app.example.com always;`, or a `map \
                 $http_origin` of the allowed origins with `Vary: Origin`), or drop \
                 `Access-Control-Allow-Credentials` if no page sends credentials",
            ),
        );
    }
    out
}

/// Is `n` an `add_header` of `header` (any case) whose value is `value` in any case (a `True`
/// for the credentials header fails too: browsers want exactly `true`)?
fn is_line(model: &Model<'_>, n: NodeId, header: &str, value: &str) -> bool {
    let count = model.arg_count(n);
    if !(2..=3).contains(&count) {
        return false;
    }
    model
        .arg_str(n, 0)
        .is_some_and(|h| h.eq_ignore_ascii_case(header))
        && model
            .arg_str(n, 1)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
}
