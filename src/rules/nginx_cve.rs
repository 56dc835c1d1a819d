//! `nginx-cve`: the target nginx (`--nginx-version`) is in the affected range of a CVE whose
//! trigger the configuration has (the rows of [`crate::semantics::cves::CVES`]).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::cves::{CVES, trigger_sites};

pub static RULE: Rule = Rule {
    id: "nginx-cve",
    summary: "the target nginx version has a known CVE and the configuration has its trigger",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/nginx-cve.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for cve in CVES {
        if !cve.affects(cx.version) {
            continue;
        }
        for (at, related) in trigger_sites(model, cve.trigger) {
            let r = model.node(related);
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                at,
                format!(
                    "{}: {} in nginx {} (fixed in {}); this configuration has the trigger the \
                     advisory names ({})",
                    cve.id,
                    cve.summary,
                    cx.version,
                    cve.fixed_text(),
                    cve.advisory
                ),
            )
            .label(Label::new(
                r.file,
                r.directive.head_span(),
                "part of the trigger",
            ))
            .help(format!(
                "upgrade nginx to {} or later on its branch; until then, avoid the pattern",
                cve.fixed_text()
            ));
            diag.primary.text = cve.id.to_owned();
            out.push(diag);
        }
    }
    out
}
