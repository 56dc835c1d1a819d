//! `rewrite-args-doubled`: a `rewrite` whose replacement carries the request's arguments
//! itself (`$request_uri`, `$args`, `$query_string`) and does not end in `?`. nginx appends
//! the original arguments to a rewritten URI unless the replacement ends in `?`, so they come
//! twice: `rewrite ^ https://$host$request_uri permanent;` redirects `/a?q=1` to
//! `https://host/a?q=1?q=1`, and `rewrite ^/(.*)$ /index.php?p=$1&$args last;` gives the
//! script `p=a&q=1&q=1` (measured with nginx 1.22.1).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::script::{Reference, references};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "rewrite-args-doubled",
    summary: "`rewrite` to a URI that carries the request's arguments (`$request_uri`, `$args`) \
              without a final `?`: nginx appends them again",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/rewrite-args-doubled.md"),
    check,
};

/// The variables that hold the request's arguments, whole.
fn carries_args(name: &str) -> Option<&'static str> {
    ["request_uri", "args", "query_string"]
        .into_iter()
        .find(|v| name.eq_ignore_ascii_case(v))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("rewrite") {
        let Some(replacement) = model.arg_str(id, 1) else {
            continue;
        };
        // A final `?` is nginx's own marker for "do not append the arguments".
        if replacement.ends_with('?') {
            continue;
        }
        let flag = model.arg_str(id, 2);
        let redirect = matches!(flag.as_deref(), Some("redirect" | "permanent"))
            || ["http://", "https://", "$scheme"]
                .iter()
                .any(|p| replacement.starts_with(p));
        // In a redirect every one of them doubles the arguments. In an internal rewrite only
        // arguments after a `?` of the replacement do: `$request_uri` without one becomes part
        // of the path (Nextcloud's `rewrite ^ /index.php$request_uri;`), which nginx does not
        // append to.
        let Some(var) = references(&replacement).find_map(|r| match r {
            Reference::Var(v) => carries_args(v)
                .filter(|&v| redirect || (v != "request_uri" && replacement.contains('?'))),
            Reference::Capture(_) => None,
        }) else {
            continue;
        };
        let Some(token) = model.node(id).directive.head.nth_value(2) else {
            continue;
        };
        let file = model.file_of(id);
        let quoted = matches!(
            token.kind(),
            TokenKind::DoubleQuoted | TokenKind::SingleQuoted
        );
        let at = token.span().end - u32::from(quoted);
        // What `/a?q=1` becomes: after a `?` of the replacement nginx appends `&` and the
        // arguments, otherwise `?` and the arguments.
        let twice = if replacement.contains('?') {
            "`&q=1` once more after them"
        } else {
            "`?q=1?q=1`, a second `?` inside the first argument's value"
        };
        let what = if redirect {
            "redirect"
        } else {
            "rewritten URI"
        };
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, token.span(), "no `?` at its end"),
                format!(
                    "`${var}` already carries the request's arguments, and nginx appends them to \
                     the {what} again unless the replacement ends in `?`: `/a?q=1` gets \
                     {twice}"
                ),
            )
            .help("end the replacement with `?` (nginx drops that `?` and appends nothing)")
            .fix(Fix::safe(
                "End the replacement with `?`",
                vec![Edit::insert(file, at, "?")],
            )),
        );
    }
    out
}
