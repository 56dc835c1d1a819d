//! `duplicate-load-module`: the same dynamic module loaded twice (`ngx_add_module`: `module
//! "ngx_stream_module" is already loaded`). Debian and Ubuntu load modules from
//! `/etc/nginx/modules-enabled/*.conf`, so a `load_module` copied into `nginx.conf` loads it a
//! second time. Modules are compared by file name; nginx names the module by the name compiled
//! into the file, which is the file name for nginx's own modules and most others.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "duplicate-load-module",
    summary: "the same dynamic module loaded twice by `load_module` (nginx: module is already loaded)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-load-module.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for &id in model.directives_named("load_module") {
        if !is_nginx(model, id) {
            continue;
        }
        let Some(path) = model.arg(id, 0) else {
            continue;
        };
        let file = path.rsplit('/').next().unwrap_or(&path);
        let Some(name) = file
            .strip_suffix(".so")
            .filter(|n| !n.is_empty() && !n.contains('$'))
        else {
            continue;
        };
        if let Some(&first) = seen.get(name) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, format!("module \"{name}\" is already loaded"))
                    .label(Label::at_node(model, first, "first loaded here"))
                    .help("remove one of the `load_module` lines (Debian loads modules from modules-enabled/)"),
            );
            continue;
        }
        seen.insert(name.to_owned(), id);
    }
    out
}
