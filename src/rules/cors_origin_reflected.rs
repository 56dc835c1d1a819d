//! `cors-origin-reflected`: `add_header Access-Control-Allow-Origin $http_origin;` beside
//! `add_header Access-Control-Allow-Credentials true;`, with no check of the Origin: every
//! site a logged-in user visits may read the responses with the user's cookies.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::headers::reflected_origins;

pub static RULE: Rule = Rule {
    id: "cors-origin-reflected",
    summary: "`Access-Control-Allow-Origin` echoes any request's Origin with \
              `Access-Control-Allow-Credentials: true`: every site may read the responses with \
              the user's cookies",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/cors-origin-reflected.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Most configurations send no CORS header at all.
    if model.directives_named("add_header").is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in reflected_origins(model) {
        let Some(credentials) = r.credentials else {
            continue;
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            r.header,
            format!(
                "`add_header Access-Control-Allow-Origin {}` echoes any request's Origin \
                 unchecked, beside `Access-Control-Allow-Credentials: true`: the browser of a \
                 logged-in user lets every site it visits read these responses, sent with the \
                 user's cookies",
                r.value
            ),
        )
        .label(Label::at_node(model, credentials, "credentials allowed"))
        .help(
            "echo only the origins you trust: a `map $http_origin $cors_origin` whose `default` \
             is empty and whose entries are exact origins or anchored regexes \
             (`~^https://app\\.example\\.com$`), and `add_header Access-Control-Allow-Origin \
             $cors_origin`",
        );
        diag.primary.text = "reflected Origin".into();
        out.push(diag);
    }
    out
}
