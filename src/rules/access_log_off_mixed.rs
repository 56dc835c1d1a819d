//! `access-log-off-mixed`: `access_log off` beside another `access_log` of the same block turns
//! that one off too: nginx logs nothing at that level, whichever line comes first.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "access-log-off-mixed",
    summary: "`access_log off` beside another `access_log` in one block: nginx writes neither; \
              `off` turns off every log of its level",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/access-log-off-mixed.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let lines = model.directives_named("access_log");
    // Each block's first `off` line, by block: the block's other lines are reported once each,
    // against it.
    let mut offs: foldhash::HashMap<Option<NodeId>, NodeId> = foldhash::HashMap::default();
    for &n in lines {
        if model.arg(n, 0).as_deref() == Some("off") {
            offs.entry(model.node(n).parent()).or_insert(n);
        }
    }
    if offs.is_empty() {
        return out;
    }
    for &n in lines {
        if model.arg(n, 0).as_deref() == Some("off") {
            continue;
        }
        let parent = model.node(n).parent();
        let Some(&off) = offs.get(&parent) else {
            continue;
        };
        let path = model.arg(n, 0).unwrap_or_default();
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`access_log {path}` is never written: `access_log off` in the same block turns \
                 off every access log of this level, before or after it"
            ),
        )
        .label(Label::new(
            model.file_of(off),
            model.node(off).directive.head_span(),
            "this turns the whole level's logging off",
        ))
        .help(
            "remove `access_log off;` to log here, or this line if the level should not log \
             (nested blocks with their own `access_log` still log)",
        );
        diag.primary.text = "never written".into();
        out.push(diag);
    }
    out
}
