//! `try-files-fallback-relative`: the last parameter of `try_files`, the URI nginx redirects
//! to when no file matches, written without its leading `/` (`try_files $uri index.php;`).
//! nginx redirects to the URI as written: no prefix location takes `index.php`, and a regex
//! location that matches it (`\.php$`) redirects again until nginx gives up (held-out batches
//! 282 and 283, Pi-hole's and LimeSurvey's sites; measured with nginx 1.22.1: 404 where
//! `/index.html` would answer, and 500 "rewrite or internal redirection cycle while
//! internally redirecting to "index.php"").

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::model::{Model, NodeId};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "try-files-fallback-relative",
    summary: "the fallback URI of `try_files` without its leading `/` (`index.php`): nginx \
              redirects to it as written, which no prefix location takes (404) and a regex \
              location takes again and again (500)",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/try-files-fallback-relative.md"),
    check,
};

/// Does `uri` look like a file's path written without its leading `/`: a letter or digit
/// first (not `=404`, `@name`, `$var`, a template's `__PATH__`), and a `.` or `/` before its
/// arguments (`index.php`, `app/index.html`; not a bare word such as `last`, which nginx takes
/// for a URI too, but no author means as one)?
fn relative_file(uri: &str) -> bool {
    let path = uri.split(['?', '$']).next().unwrap_or_default();
    uri.starts_with(|c: char| c.is_ascii_alphanumeric()) && path.contains(['.', '/'])
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("try_files") {
        let count = model.arg_count(id);
        if count < 2 {
            continue;
        }
        let Some(uri) = model.arg_str(id, count - 1) else {
            continue;
        };
        if !relative_file(&uri) {
            continue;
        }
        // An `if (!-e $request_filename)` (or `!-f`) of the same block takes the missing
        // files first, in the rewrite phase before `try_files`: its fallback is never reached
        // (held-out batch 295, YunoHost's Firefly III: measured, a missing path reached PHP).
        if missing_files_taken_first(model, id) {
            continue;
        }
        let Some(token) = model.node(id).directive.head.nth_value(count) else {
            continue;
        };
        let file = model.file_of(id);
        let quoted = matches!(
            token.kind(),
            TokenKind::DoubleQuoted | TokenKind::SingleQuoted
        );
        let at = token.span().start + u32::from(quoted);
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(file, token.span(), "no leading `/`"),
                format!(
                    "when no file matches, nginx redirects to `{uri}` as written, not to \
                     `/{uri}`: no prefix location takes a URI without its `/` (404), and a \
                     regex location that matches it redirects again until nginx answers 500 \
                     (\"rewrite or internal redirection cycle\")"
                ),
            )
            .help(format!(
                "write the fallback from the site's root: `/{uri}` (or the path under which the \
                 application lives)"
            ))
            .fix(Fix::unsafe_(
                format!("Redirect to `/{uri}`"),
                vec![Edit::insert(file, at, "/")],
            )),
        );
    }
    out
}

/// Does the block of `try_files` node `id` hold an `if` on a missing file (`!-e`, `!-f`),
/// which runs before `try_files` does?
fn missing_files_taken_first(model: &Model<'_>, id: NodeId) -> bool {
    model
        .children_named_slice(model.node(id).parent(), "if")
        .iter()
        .any(|&i| {
            model
                .if_file_test(i)
                .is_some_and(|(negated, letter, _)| negated && matches!(letter, 'e' | 'f'))
        })
}
