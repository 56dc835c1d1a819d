//! `alias-slash-mismatch`: a prefix location ending in `/` with an `alias` that does not.
//! nginx replaces the location's prefix with the alias, so `location /images/ { alias
//! /data/images; }` maps `/images/a.png` to `/data/imagesa.png`: every file is a 404 (or, worse,
//! a sibling such as `/data/images-private/` is reachable as `/images/-private/`). The reverse
//! case (`location /images` + `alias /data/images/`) lets `..` through and is
//! `alias-traversal`'s.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::loadtime::{LocationKind, location_head};

pub static RULE: Rule = Rule {
    id: "alias-slash-mismatch",
    summary: "`location /x/` with `alias /path` (no trailing `/`): the file name is glued to the directory name",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/alias-slash-mismatch.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &alias in model.directives_named("alias") {
        let Some(loc) = model.node(alias).parent() else {
            continue;
        };
        if model.name(loc) != "location" {
            continue;
        }
        let Some((LocationKind::Prefix, prefix)) = location_head(model, loc) else {
            continue;
        };
        let Some(path) = model.arg(alias, 0) else {
            continue;
        };
        if !prefix.ends_with('/') || path.ends_with('/') || path.contains('$') || path.is_empty() {
            continue;
        }
        // No fix where the slash would make the alias the filesystem root or a system
        // directory (`alias /.;` glued on purpose must not become `/./`).
        let exposes = {
            let dir = super::root_system_directory::normalize(&format!("{path}/"));
            super::root_system_directory::SYSTEM_DIRS.contains(&dir.as_str())
        };
        let node = model.node(alias);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            alias,
            format!(
                "`alias {path}` has no trailing `/` but `location {prefix}` does: \
                 `{prefix}a.png` is served from `{path}a.png`"
            ),
        )
        .label(Label::at_node(model, loc, "prefix ends with `/`"))
        .help(if exposes {
            "adding the `/` would serve the filesystem root or a system directory: point the \
             alias at the directory meant to be served, ending with `/`"
                .to_owned()
        } else {
            format!("end the alias with `/` as the location does: `alias {path}/;`")
        });
        if let Some(span) = style::arg_span(node.directive, 0).filter(|_| !exposes) {
            let src = &model.program.file(model.file_of(alias)).src;
            let raw = String::from_utf8_lossy(&src[span.range()]).into_owned();
            // Keep the author's quoting: add the slash inside the quotes.
            let fixed = match raw.chars().last() {
                Some(q @ ('"' | '\'')) if raw.len() >= 2 => {
                    format!("{}/{q}", &raw[..raw.len() - 1])
                }
                _ => format!("{raw}/"),
            };
            // Unsafe: a glued prefix (`alias /data/img-;`) may be meant.
            diag = diag.fix(Fix::unsafe_(
                "Add the trailing `/` to the alias",
                vec![Edit::replace(model.file_of(alias), span, fixed)],
            ));
        }
        out.push(diag);
    }
    out
}
