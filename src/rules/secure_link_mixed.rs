//! `secure-link-mixed`: `secure_link_secret` in a location that also sets `secure_link` or
//! `secure_link_md5`. The two modes of the secure link module exclude each other, and nginx
//! refuses the mix when it merges the location (`ngx_http_secure_link_merge_conf`,
//! src/http/modules/ngx_http_secure_link_module.c): `"secure_link_secret" cannot be mixed with
//! "secure_link" and "secure_link_md5"`. nginx names the line where the `http` block ends; the
//! finding is on `secure_link_secret`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "secure-link-mixed",
    summary: "`secure_link_secret` in a location that also sets `secure_link` or `secure_link_md5` (nginx: \"secure_link_secret\" cannot be mixed with \"secure_link\" and \"secure_link_md5\")",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/secure-link-mixed.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("secure_link_secret") {
        let node = model.node(id);
        // nginx checks the levels it merges into a parent: servers and locations (a fragment's
        // top level is one of them too).
        if !is_nginx(model, id) || node.parent().is_some_and(|p| model.name(p) == "http") {
            continue;
        }
        let other = ["secure_link", "secure_link_md5"].iter().find_map(|n| {
            model
                .children_named_slice(node.parent(), n)
                .iter()
                .copied()
                .find(|&o| is_nginx(model, o))
        });
        let Some(other) = other else {
            continue;
        };
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                id,
                "\"secure_link_secret\" cannot be mixed with \"secure_link\" and \"secure_link_md5\"",
            )
            .label(Label::at_node(model, other, format!("`{}` is the other mode", model.name(other)),
            ))
            .help("choose one mode per location: `secure_link_secret WORD` (an MD5 of the URI and the word) or `secure_link` with `secure_link_md5` (expiring links)"),
        );
    }
    out
}
