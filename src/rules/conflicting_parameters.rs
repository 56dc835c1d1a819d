//! `conflicting-parameters`: `disable_symlinks` parameters that exclude each other, as nginx
//! reads them (`ngx_http_disable_symlinks`, src/http/ngx_http_core_module.c):
//!
//! - two modes (`on`, `off`, `if_not_owner`): `duplicate parameters "on if_not_owner"`;
//! - `from=` with `off`: `"from=" cannot be used with "off" parameter`.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "conflicting-parameters",
    summary: "`disable_symlinks` with two modes, or `from=` with `off` (nginx: duplicate parameters, \"from=\" cannot be used with \"off\" parameter)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/conflicting-parameters.md"),
    check,
};

const MODES: &[&str] = &["on", "off", "if_not_owner"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("disable_symlinks") {
        if !is_nginx(model, id) || model.arg_count(id) != 2 {
            continue;
        }
        let (Some(a), Some(b)) = (model.arg(id, 0), model.arg(id, 1)) else {
            continue;
        };
        let from = |v: &str| v.starts_with("from=");
        // nginx takes the last mode given; anything else is another check's.
        if !(MODES.contains(&a.as_str()) || from(&a)) || !(MODES.contains(&b.as_str()) || from(&b))
        {
            continue;
        }
        let (message, help) = if !from(&a) && !from(&b) {
            (
                format!("duplicate parameters \"{a} {b}\""),
                "give one mode: `on`, `off` or `if_not_owner` (with `from=` if only part of the path is checked)",
            )
        } else if (a == "off" && from(&b)) || (b == "off" && from(&a)) {
            (
                "\"from=\" cannot be used with \"off\" parameter".to_owned(),
                "`from=` says where checking starts; with `off` nothing is checked: drop `from=`",
            )
        } else {
            continue;
        };
        out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
    }
    out
}
