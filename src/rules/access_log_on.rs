//! `access-log-on`: `access_log on;` does not turn logging on: nginx writes the access log to
//! a file named `on`.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "access-log-on",
    summary: "`access_log on` logs to a file named `on`; `on` is not a keyword for `access_log`",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/access-log-on.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("access_log") {
        if model.arg(n, 0).as_deref() != Some("on") {
            continue;
        }
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            "`access_log on` writes the access log to a file named `on` (in nginx's prefix \
             directory); `off` is `access_log`'s only keyword",
        )
        .help(
            "name the file (`access_log /var/log/nginx/access.log;`), or remove the line: the \
             level above's log, or nginx's default one, then applies",
        );
        diag.primary.text = "a file name, not a switch".into();
        out.push(diag);
    }
    out
}
