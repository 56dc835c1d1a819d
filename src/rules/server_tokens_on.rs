//! `server-tokens-on`: `server_tokens on` (or `build`) puts the nginx version in the `Server`
//! header and on error pages.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};

pub static RULE: Rule = Rule {
    id: "server-tokens-on",
    summary: "`server_tokens on` shows the nginx version in the `Server` header and error pages",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/server-tokens-on.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("server_tokens") {
        let Some(v) = model.arg(n, 0) else {
            continue;
        };
        if v != "on" && v != "build" {
            continue;
        }
        let node = model.node(n);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`server_tokens {v}` sends the exact nginx version in every `Server` header and \
                 on nginx's error pages, which tells scanners which advisories apply"
            ),
        )
        .help("`server_tokens off;` keeps `Server: nginx` and drops the version");
        diag.primary.text = "version disclosed".into();
        if let Some(span) = style::arg_span(node.directive, 0) {
            diag = diag.fix(Fix::safe(
                format!("Replace `{v}` with `off`"),
                vec![Edit::replace(model.file_of(n), span, "off")],
            ));
        }
        out.push(diag);
    }
    out
}
