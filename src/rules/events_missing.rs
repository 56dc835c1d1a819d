//! `events-missing`: a main configuration without an `events` block (`ngx_event_init_conf`:
//! `no "events" section in configuration`). nginx needs the block even when it is empty
//! (`events {}`). Only a program read from its top level is checked, whose main-level includes
//! all found something (only they could bring `events`); and only one with an `http` block at
//! its top level (or an `nginx.conf` with a `stream` or `mail` block), since main-level
//! fragments (`load_module` lines, a `stream {}` file) are included from an nginx.conf.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::Fix;
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "events-missing",
    summary: "a main configuration without `events {}` (nginx: no \"events\" section in configuration)",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/events-missing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // A block spelled `events` after a byte order mark is there, unknown to nginx:
    // `unknown-directive` names that one.
    let spelled = model
        .roots
        .iter()
        .any(|&r| model.name(r).trim_start_matches('\u{feff}') == "events");
    // `events` is a main-level block: only an include at the main level could bring it.
    let main_level_whole = model.directives_named("include").iter().all(|&i| {
        let n = model.node(i);
        n.context != Context::Main
            || !model
                .program
                .included(model.file_of(i), n.directive)
                .is_empty()
    });
    if model.program.root_context != Context::Main
        || !main_level_whole
        || !model.directives_named("events").is_empty()
        || spelled
    {
        return Vec::new();
    }
    // Only a program that is a whole nginx.conf: an `http` block at its top level (in the file
    // or an include there), or named nginx.conf with a `stream` or `mail` block. A main-level fragment (`load_module`
    // lines of modules-enabled/, a `stream {}` file included from nginx.conf) is not one.
    let main = model.program.file(0);
    let named_conf = main.path.file_name().is_some_and(|n| n == "nginx.conf");
    let whole_conf = model.roots.iter().any(|&r| {
        let n = model.node(r);
        n.directive.block().is_some()
            && (model.name(r) == "http"
                || (named_conf && matches!(model.name(r), "stream" | "mail")))
    });
    if !whole_conf {
        return Vec::new();
    }
    let Some(&first) = model.roots.first() else {
        return Vec::new();
    };
    let at = model.node(first).directive.span().start;
    let fix = crate::fix::style::insert_before_first_directive(model, "events {}", true)
        .map(|edit| Fix::safe("Add an empty `events {}` block", vec![edit]));
    let mut d = Diagnostic::new(
        &RULE,
        Label::new(model.file_of(first), crate::syntax::Span::empty(at), ""),
        "no \"events\" section in configuration",
    )
    .help(
        "nginx needs an `events` block in the main configuration, even an empty one: `events {}`",
    );
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    vec![d]
}
