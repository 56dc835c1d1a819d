//! `load-module-too-late`: a `load_module` after an `events`, `http`, `stream` or `mail` block.
//! nginx counts the modules of a kind when it reads the first such block and loads no module
//! after that (`ngx_load_module`: `"load_module" directive is specified too late`). Includes
//! are followed in nginx's order, so a `modules-enabled/*.conf` included after `http {}` is
//! reported at its `load_module` line.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "load-module-too-late",
    summary: "a `load_module` after an `events`, `http`, `stream` or `mail` block (nginx: \"load_module\" directive is specified too late)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/load-module-too-late.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut first_block = None;
    for &id in &model.roots {
        let node = model.node(id);
        match model.name(id) {
            "events" | "http" | "stream" | "mail" if node.directive.block().is_some() => {
                first_block.get_or_insert(id);
            }
            "load_module" if is_nginx(model, id) => {
                let Some(block) = first_block else { continue };
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        "\"load_module\" directive is specified too late",
                    )
                    .label(Label::at_node(model, block, format!("nginx has counted its modules at this `{}` block", model.name(block)),
                    ))
                    .help("move `load_module` lines to the top of nginx.conf, before `events`, `http`, `stream` and `mail`"),
                );
            }
            _ => {}
        }
    }
    out
}
