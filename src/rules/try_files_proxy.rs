//! `try-files-proxy`: `try_files` and `proxy_pass` in the same location: the files are only
//! looked up, never served, and a missing one sends the fallback URI upstream instead of the
//! path the client asked for.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "try-files-proxy",
    summary: "`try_files` beside `proxy_pass` in one location: files are looked up but never \
              served, and a miss proxies the fallback URI instead of the client's path",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/try-files-proxy.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &t in model.directives_named("try_files") {
        let Some(loc) = model.node(t).parent() else {
            continue;
        };
        if model.name(loc) != "location" {
            continue;
        }
        // The content handler of the location: its own proxy_pass (or one in its `if`s).
        let direct = model.children_named_slice(Some(loc), "proxy_pass");
        let in_if = model
            .children_named_slice(Some(loc), "if")
            .iter()
            .find_map(|&i| model.children_named_slice(Some(i), "proxy_pass").first());
        let Some(&p) = direct.first().or(in_if) else {
            continue;
        };
        let n = model.arg_count(t);
        let Some(last) = n.checked_sub(1).and_then(|i| model.arg(t, i)) else {
            continue;
        };
        let miss = if let Some(code) = last.strip_prefix('=') {
            format!("a missing one gets `{code}`")
        } else {
            format!(
                "a missing one goes upstream as `{last}`, not the path (and query) the client \
                 asked for"
            )
        };
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                t,
                format!(
                    "`try_files` only looks files up here: `proxy_pass` in the same location \
                     is the content handler, so a file that exists is proxied anyway (as the \
                     URI `try_files` chose), and {miss}"
                ),
            )
            .label(Label::at_node(
                model,
                p,
                "handles every request of the location",
            ))
            .help(
                "serve files first and proxy the rest from a named location: `try_files $uri \
                 $uri/ @app;` and `location @app { proxy_pass ...; }`",
            ),
        );
    }
    out
}
