//! `proxy-redirect-default`: `proxy_redirect default` where nginx cannot derive the rewrite
//! (`ngx_http_proxy_redirect`, src/http/modules/ngx_http_proxy_module.c). nginx builds it
//! from the `proxy_pass` of the same block, read before it:
//!
//! - that `proxy_pass` has variables: `"proxy_redirect default" cannot be used with
//!   "proxy_pass" directive with variables`;
//! - there is none above it in the block (`proxy_pass` is not inherited, so one in the
//!   locations below a server-level `proxy_redirect default` does not count): `"proxy_redirect
//!   default" should be placed after the "proxy_pass" directive`.
//!
//! The second is silent on fragments and when an include found nothing.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{is_nginx, whole};

pub static RULE: Rule = Rule {
    id: "proxy-redirect-default",
    summary: "`proxy_redirect default` without a `proxy_pass` above it in the same block, or after one with variables (nginx: \"proxy_redirect default\" should be placed after the \"proxy_pass\" directive)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-redirect-default.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let whole = whole(model);
    let mut out = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for &id in model.directives_named("proxy_redirect") {
        let node = model.node(id);
        if !is_nginx(model, id)
            || model.arg_count(id) != 1
            || model.arg(id, 0).as_deref() != Some("default")
            || !reported.insert(node.parent())
        {
            continue;
        }
        let earlier = |name: &str| {
            model
                .children_named_slice(node.parent(), name)
                .iter()
                .copied()
                .filter(|&s| s < id)
                .collect::<Vec<_>>()
        };
        // `proxy_redirect off` before it: nginx says "is duplicate" first.
        if earlier("proxy_redirect")
            .iter()
            .any(|&s| model.arg(s, 0).as_deref() == Some("off"))
        {
            continue;
        }
        let pass = earlier("proxy_pass").first().copied();
        let d = match pass {
            Some(p) if model.arg(p, 0).is_some_and(|u| u.contains('$')) => {
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    "\"proxy_redirect default\" cannot be used with \"proxy_pass\" directive with variables",
                )
                .label(Label::at_node(model, p, "the proxied URL is built per request"))
                .help("nginx cannot know the URL to rewrite: write the rewrite out, `proxy_redirect http://$backend/ /;`, or `proxy_redirect off`")
            }
            Some(_) => continue,
            None => {
                let in_block = node.parent().is_some_and(|p| {
                    matches!(
                        model.block_context(Some(p)),
                        Context::Http | Context::HttpServer | Context::HttpLocation
                    )
                });
                if !in_block || !whole {
                    continue;
                }
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive",
                )
                .help("nginx derives the rewrite from the `proxy_pass` of the same block: put this line after it in that location (it is the default there anyway), or drop it")
            }
        };
        out.push(d);
    }
    out
}
