//! `worker-processes-missing`: a main configuration without `worker_processes`, so nginx runs
//! one worker process (`ngx_core_module_init_conf`: `ngx_conf_init_value(ccf->
//! worker_processes, 1)`). Only a program read from its top level whose main-level includes
//! all found something, and that has an `http`, `stream` or `mail` block at its top level, is
//! a whole nginx.conf; main-level fragments are included from one.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::Fix;
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "worker-processes-missing",
    summary: "a main configuration without `worker_processes` runs a single worker process",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/worker-processes-missing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // `worker_processes` is a main-level directive: only an include at the main level could
    // bring it.
    let main_level_whole = model.directives_named("include").iter().all(|&i| {
        let n = model.node(i);
        n.context != Context::Main
            || !model
                .program
                .included(model.file_of(i), n.directive)
                .is_empty()
    });
    let present = model
        .directives_named("worker_processes")
        .iter()
        .any(|&w| model.node(w).context == Context::Main);
    if model.program.root_context != Context::Main || !main_level_whole || present {
        return Vec::new();
    }
    let whole_conf = model.roots.iter().any(|&r| {
        let n = model.node(r);
        n.directive.block().is_some() && matches!(model.name(r), "http" | "stream" | "mail")
    });
    if !whole_conf {
        return Vec::new();
    }
    let Some(&first) = model.roots.first() else {
        return Vec::new();
    };
    let at = model.node(first).directive.span().start;
    let fix =
        crate::fix::style::insert_before_first_directive(model, "worker_processes auto;", false)
            .map(|edit| {
                Fix::unsafe_(
                    "Add `worker_processes auto;` (one worker per CPU core)",
                    vec![edit],
                )
            });
    let mut d = Diagnostic::new(
        &RULE,
        Label::new(model.file_of(first), crate::syntax::Span::empty(at), ""),
        "no `worker_processes` in the main configuration: nginx runs a single worker process",
    )
    .help(
        "one worker uses one CPU core for every connection; `worker_processes auto;` starts \
         one per core",
    );
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    vec![d]
}
