//! `valid-referers-none`: `valid_referers none` accepts requests without a `Referer`, which
//! anyone can send, so the referer check does not protect what it guards.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "valid-referers-none",
    summary: "`valid_referers none` (or `blocked`) accepts requests without a real `Referer`, \
              which any client can send, so the check protects nothing",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/valid-referers-none.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in model.directives_named("valid_referers") {
        let count = model.arg_count(n);
        let Some((i, word)) = (0..count).find_map(|i| {
            model
                .arg(n, i)
                .filter(|a| a == "none" || a == "blocked")
                .map(|a| (i, a))
        }) else {
            continue;
        };
        let node = model.node(n);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            if word == "none" {
                "`valid_referers none` sets `$invalid_referer` to empty for requests without a \
                 `Referer` header: a script, `curl` or a page with `Referrer-Policy: \
                 no-referrer` passes the check"
                    .to_owned()
            } else {
                "`valid_referers blocked` accepts any `Referer` that does not start with \
                 `http://` or `https://`: a client sends `Referer: x` and passes the check"
                    .to_owned()
            },
        )
        .help(format!(
            "drop `{word}` where the check guards something (hotlinking is then refused for \
             clients that hide or mangle their referer); keep it only for a best-effort check"
        ));
        diag.primary.text = "a Referer any client can send is accepted".into();
        if let Some(span) = crate::fix::style::arg_span(node.directive, i) {
            diag = diag.label(Label::new(model.file_of(n), span, format!("`{word}`")));
        }
        out.push(diag);
    }
    out
}
