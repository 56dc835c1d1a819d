//! `deprecated-directive`: a directive nginx still loads but warns about (`[warn]` on every
//! start), in nginx's own words.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::directives::DEPRECATIONS;

pub static RULE: Rule = Rule {
    id: "deprecated-directive",
    summary: "directive nginx warns about (deprecated or obsolete) in the target version",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/deprecated-directive.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Only the handful of names nginx warns about, by the model's name index: no walk of
    // every node. A name listed twice (http's and mail's `ssl`) is looked up once.
    for (i, entry) in DEPRECATIONS.iter().enumerate() {
        if DEPRECATIONS[..i].iter().any(|d| d.name == entry.name)
            || cx
                .settings
                .known_directives
                .iter()
                .any(|k| **k == *entry.name)
        {
            continue;
        }
        for &id in cx.directives_named(entry.name) {
            // Where nginx itself looks the name up (not a `map` entry named `ssl`), as the
            // module whose table the directive's context picks (`ssl` in `mail` is mail's).
            if !model.node(id).context.is_checked() {
                continue;
            }
            let Some(spec) = model.spec(id) else {
                continue;
            };
            let Some(dep) = spec.deprecation(cx.version) else {
                continue;
            };
            let removed = match spec.removed {
                Some(r) => format!("nginx {r} removed it, and refuses a configuration that has it"),
                None => "a later nginx may remove it".to_owned(),
            };
            out.push(
                Diagnostic::at_node(&RULE, model, id, dep.warning.replace("%s", entry.name)).help(
                    format!(
                        "nginx {} warns about this directive and {}; {removed}",
                        cx.version,
                        if dep.ignored {
                            "ignores it: the line has no effect"
                        } else {
                            "still applies it"
                        }
                    ),
                ),
            );
        }
    }
    out.sort_by_key(|d| (d.primary.file, d.primary.span.start));
    out
}
