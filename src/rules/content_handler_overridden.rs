//! `content-handler-overridden`: two content handlers in one location (`proxy_pass` and
//! `fastcgi_pass`, `stub_status` and `proxy_pass`...). Each of these directives sets the
//! location's one content handler when it is read, so the last one written replaces the
//! others without a word from `nginx -t`: the earlier ones never answer a request.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "content-handler-overridden",
    summary: "two content handlers in one location (`proxy_pass` and `fastcgi_pass`...): the \
              last one written handles every request and the others are never used",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/content-handler-overridden.md"),
    check,
};

/// The directives that set a location's content handler (`clcf->handler` in nginx's source:
/// the upstream modules' `*_pass`, and the modules that answer by themselves), each measured
/// with nginx 1.22.1 against `proxy_pass` in both orders: the later one answered.
const HANDLERS: &[&str] = &[
    "empty_gif",
    "fastcgi_pass",
    "flv",
    "grpc_pass",
    "memcached_pass",
    "mp4",
    "proxy_pass",
    "scgi_pass",
    "stub_status",
    "uwsgi_pass",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Every handler line with its block; nothing to compare where the configuration uses
    // one kind only (the usual case: `proxy_pass` everywhere).
    let kinds: Vec<&[NodeId]> = HANDLERS
        .iter()
        .map(|name| model.directives_named(name))
        .filter(|lines| !lines.is_empty())
        .collect();
    if kinds.len() < 2 {
        return out;
    }
    let mut lines: Vec<(NodeId, NodeId)> = kinds
        .iter()
        .flat_map(|lines| lines.iter())
        .filter_map(|&d| model.node(d).parent().map(|p| (p, d)))
        .collect();
    // By block, then in nginx's reading order (node numbers follow it, includes flattened).
    lines.sort_unstable();
    for level in lines.chunk_by(|a, b| a.0 == b.0) {
        let &(block, last) = level.last().expect("chunks are not empty");
        let winner = model.name(last);
        for &(_, d) in &level[..level.len() - 1] {
            let name = model.name(d);
            // The same directive twice is `nginx -t`'s "is duplicate" (duplicate-directive).
            if name == winner {
                continue;
            }
            let what = model.describe_block(Some(block));
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    d,
                    format!(
                        "`{name}` is never used: `{winner}` later in `{what}` replaces it, and \
                         nginx runs only the last content handler written in a location"
                    ),
                )
                .label(Label::at_node(
                    model,
                    last,
                    "this one answers every request here",
                ))
                .help(
                    "keep one handler per location; to send some requests to the other, give \
                     them a location of their own (or a named location reached by `try_files` \
                     or `error_page`)",
                ),
            );
        }
    }
    out
}
