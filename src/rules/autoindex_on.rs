//! `autoindex-on`: `autoindex on` lists directory contents to anyone.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};

pub static RULE: Rule = Rule {
    id: "autoindex-on",
    summary: "`autoindex on` lists every file of a directory to anyone who asks",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/autoindex-on.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("autoindex") {
        if model.arg(n, 0).as_deref() != Some("on") {
            continue;
        }
        let node = model.node(n);
        let level = model.describe_block(node.parent());
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`autoindex on` in `{level}`: a request for a directory without an index file \
                 gets a listing of every file in it, backups and dot-files included"
            ),
        )
        .help("turn it off unless the listing is the point, and then restrict who can see it");
        diag.primary.text = "directory listing".into();
        if let Some(span) = style::arg_span(node.directive, 0) {
            diag = diag.fix(Fix::unsafe_(
                "Replace `on` with `off`",
                vec![Edit::replace(model.file_of(n), span, "off")],
            ));
        }
        out.push(diag);
    }
    out
}
