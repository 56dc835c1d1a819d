//! `nginx-cve`: the target nginx (`--nginx-version`) is in the affected range of a CVE whose
//! trigger the configuration has (the rows of [`crate::semantics::cves::CVES`]).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::cves::{AdvisorySeverity, CVES, Cve, Trigger, trigger_sites};
use crate::semantics::directives::Version;

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
    // The CVEs of one trigger kind share their sites (the four HTTP/3 CVEs of 1.26.0 are one
    // `listen ... quic`): one finding per site and trigger kind, naming every CVE.
    let mut groups: Vec<(Trigger, Vec<&Cve>)> = Vec::new();
    for cve in CVES.iter().filter(|c| c.affects(cx.version)) {
        match groups.iter_mut().find(|(t, _)| *t == cve.trigger) {
            Some((_, g)) => g.push(cve),
            None => groups.push((cve.trigger, vec![cve])),
        }
    }
    let mut out = Vec::new();
    for (trigger, cves) in groups {
        for (at, related) in trigger_sites(model, trigger) {
            let ids = cves.iter().map(|c| c.id).collect::<Vec<_>>().join(", ");
            let message = match cves.as_slice() {
                [cve] => format!(
                    "{}: {} in nginx {} (fixed in {}; nginx rates it {}); this configuration has \
                     the trigger the advisory names ({})",
                    cve.id,
                    cve.summary,
                    cx.version,
                    cve.fixed_text(),
                    cve.severity.as_str(),
                    cve.advisory
                ),
                _ => format!(
                    "nginx {} has {} known CVEs whose trigger this configuration has here: {}",
                    cx.version,
                    cves.len(),
                    cves.iter()
                        .map(|c| format!(
                            "{} ({}; fixed in {}; nginx rates it {}; {})",
                            c.id,
                            c.summary,
                            c.fixed_text(),
                            c.severity.as_str(),
                            c.advisory
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            let fixes = upgrades(&cves, trigger, cx.version);
            let mut diag = Diagnostic::at_node(&RULE, model, at, message).help(format!(
                "upgrade nginx to {fixes} or later on its branch; until then, avoid the pattern"
            ));
            if related != at {
                diag = diag.label(Label::at_node(model, related, "part of the trigger"));
            }
            diag.primary.text = ids.into();
            // nginx's low and minor advisories are warnings; major and medium ones errors.
            if cves
                .iter()
                .all(|c| matches!(c.severity, AdvisorySeverity::Low | AdvisorySeverity::Minor))
            {
                diag.severity = Severity::Warning;
            }
            out.push(diag);
        }
    }
    out
}

/// The releases after `v` that fix every CVE of `cves` and are hit by no other CVE of the
/// same trigger: the first such fix release of each branch (the fixed releases of every CVE
/// of the trigger are the candidates). Their own fixed releases when no single release fixes them all.
fn upgrades(cves: &[&Cve], trigger: Trigger, v: Version) -> String {
    let mut candidates: Vec<Version> = CVES
        .iter()
        .filter(|c| c.trigger == trigger)
        .flat_map(|c| c.fixed.iter().copied())
        .filter(|&f| f > v)
        .collect();
    candidates.sort();
    candidates.dedup();
    let mut out: Vec<Version> = Vec::new();
    for c in candidates {
        let safe = CVES
            .iter()
            .filter(|cve| cve.trigger == trigger)
            .all(|cve| !cve.affects(c));
        if safe && !out.iter().any(|o| o.0 == c.0 && o.1 == c.1) {
            out.push(c);
        }
    }
    if out.is_empty() {
        out = cves.iter().flat_map(|c| c.fixed.iter().copied()).collect();
        out.sort();
        out.dedup();
    }
    out.iter()
        .map(|v| format!("{v}"))
        .collect::<Vec<_>>()
        .join(" or ")
}
