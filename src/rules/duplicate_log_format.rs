//! `duplicate-log-format`: two `log_format`s with one name, or a `log_format combined` (nginx
//! predefines `combined` in http): `duplicate "log_format" name "main"`
//! (`ngx_http_log_set_format`; stream formats are compared among themselves).

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "duplicate-log-format",
    summary: "two `log_format`s with the same name, or a `log_format combined` (nginx: duplicate \"log_format\" name)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-log-format.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut seen: HashMap<(bool, String), u32> = HashMap::new();
    let mut out = Vec::new();
    for &id in model.directives_named("log_format") {
        let stream = match model.node(id).context {
            Context::Http => false,
            Context::Stream => true,
            _ => continue,
        };
        if !is_nginx(model, id) {
            continue;
        }
        let Some(name) = model.arg(id, 0) else {
            continue;
        };
        let message = format!("duplicate \"log_format\" name \"{name}\"");
        if !stream && name == "combined" {
            out.push(
                Diagnostic::at_node(&RULE, model, id, message)
                    .help("`combined` is predefined by nginx; give your format another name"),
            );
            continue;
        }
        match seen.get(&(stream, name.clone())) {
            None => {
                seen.insert((stream, name), id);
            }
            Some(&first) => {
                out.push(
                    Diagnostic::at_node(&RULE, model, id, message)
                        .label(Label::at_node(model, first, "first defined here"))
                        .help("rename one of the formats, or keep one"),
                );
            }
        }
    }
    out
}
