//! `variable-not-expanded`: a `$variable` in the URI of `auth_request` or `mirror`. Both take
//! their URI as written (`ngx_http_auth_request`, `ngx_http_mirror` keep a plain string): the
//! subrequest goes to the literal path with `$1` in it, so the check never sees the value
//! the author meant (`auth_request /perm/$1;` asks about `/perm/$1` for every id).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::script::{Reference, references};

pub static RULE: Rule = Rule {
    id: "variable-not-expanded",
    summary: "a `$variable` in the URI of `auth_request` or `mirror`, which nginx takes as \
              written: the subrequest goes to the literal path",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/variable-not-expanded.md"),
    check,
};

/// Directives whose URI nginx keeps as a plain string, with what it is for.
const PLAIN_URIS: &[(&str, &str)] = &[
    ("auth_request", "the authorization subrequest"),
    ("mirror", "the mirror subrequest"),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &(name, what) in PLAIN_URIS {
        for &n in cx.directives_named(name) {
            let Some(uri) = model.arg_str(n, 0) else {
                continue;
            };
            if !uri.contains('$') || !uri.starts_with('/') {
                continue;
            }
            let Some(first) = references(&uri).next() else {
                continue;
            };
            let shown = match first {
                Reference::Capture(k) => format!("${k}"),
                Reference::Var(v) => format!("${v}"),
            };
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name}` takes its URI as written: {what} goes to `{uri}` with `{shown}` \
                     in it, not to the value of `{shown}`"
                ),
            )
            .help(format!(
                "`{name}` expands no variable: pass the value in a header of the subrequest's \
                 location instead (`proxy_set_header X-Original-URI $request_uri;` there; the \
                 subrequest sees the main request's variables)"
            ));
            d.primary.text = "not expanded".into();
            out.push(d);
        }
    }
    out
}
