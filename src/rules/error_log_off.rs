//! `error-log-off`: `error_log off;` does not turn logging off: nginx writes the error log to
//! a file named `off`.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};

pub static RULE: Rule = Rule {
    id: "error-log-off",
    summary: "`error_log off` logs to a file named `off`; it does not disable the error log",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/error-log-off.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("error_log") {
        if model.arg(n, 0).as_deref() != Some("off") {
            continue;
        }
        let node = model.node(n);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            "`error_log off` writes the error log to a file named `off` (in nginx's prefix \
             directory); `off` is not a keyword for `error_log`",
        )
        .help("to discard the error log, write it to `/dev/null` (with a level: `crit`)");
        diag.primary.text = "a file name, not a switch".into();
        if let Some(span) = style::arg_span(node.directive, 0) {
            let text = if model.arg_count(n) == 1 {
                "/dev/null crit"
            } else {
                "/dev/null"
            };
            diag = diag.fix(Fix::unsafe_(
                format!("Replace `off` with `{text}`"),
                vec![Edit::replace(model.file_of(n), span, text)],
            ));
        }
        out.push(diag);
    }
    out
}
