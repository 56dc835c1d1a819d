//! `server-return-shadows-locations`: a server whose own level answers every request (a
//! `return`, a `rewrite` that takes every path and redirects, or an `if` that always holds
//! there holding one) before nginx looks for a location. Its locations are never chosen:
//! `location = /healthz` beside a server-level `return 301` answers 301. nginx runs a
//! server's `rewrite`-module lines in its server rewrite phase, first of all.
//!
//! Named locations stay reachable (an `error_page 503 @maintenance;` beside `return 503;`
//! is a maintenance switch: `ngx_http_named_location` starts past the server rewrite phase),
//! and so does every location where a line before the answer can end the server's rewrite
//! directives for some requests (`rewrite ... last`, `break`). The ACME challenge location
//! is `acme-challenge-unreachable`'s.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location::{answers_all, names_challenge, scheme_is_http, serves_tls};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "server-return-shadows-locations",
    summary: "a `return` (or a redirect of every path) at the server's level answers every \
              request before a location is looked for: the server's locations are never used",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/server-return-shadows-locations.md"),
    check,
};

/// The most locations named in labels; the message counts the rest.
const LABELLED: usize = 8;

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &server in model.directives_named("server") {
        if model
            .node(server)
            .parent()
            .is_some_and(|p| model.name(p) != "http")
        {
            continue;
        }
        // The answer first: most servers have none, and looking costs a walk of the server's
        // own lines, where reading each location's pattern costs more.
        let Some(answer) = answers_every_request(model, server) else {
            continue;
        };
        let locations: Vec<NodeId> = model
            .children_named_slice(Some(server), "location")
            .iter()
            .copied()
            .filter(|&l| !is_named(model, l) && !names_challenge(model, l))
            .collect();
        // Locations an include brings in are the include's, shared by other servers (error
        // pages: trimstray's handbook includes twenty `location = /4xx.html` in its redirect
        // servers too): the ones written beside the answer are what this server meant.
        let here = model.file_of(answer);
        let locations: Vec<NodeId> = locations
            .into_iter()
            .filter(|&l| model.file_of(l) == here)
            .collect();
        if locations.is_empty() {
            continue;
        }
        let paths: Vec<String> = locations
            .iter()
            .take(3)
            .map(|&l| format!("`{}`", model.args_str(l).join(" ")))
            .collect();
        let more = locations.len().saturating_sub(paths.len());
        let listed = paths.join(", ")
            + &if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
        let subject = match locations.len() {
            1 => format!("its location {listed} is"),
            n => format!("its {n} locations {listed} are"),
        };
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            answer,
            format!(
                "`{}` at the server's level answers every request in nginx's server rewrite \
                 phase, before a location is looked for: {subject} never used",
                model.shown_line(answer, 2),
            ),
        );
        d.primary.text = "answers every request first".into();
        d = d.help(
            "answer the other requests from a `location /` instead (`location / { return 301 \
             https://$host$request_uri; }`), so that each location is chosen for its paths; or \
             delete the locations if every request should get this answer",
        );
        for &l in locations.iter().take(LABELLED) {
            d = d.label(Label::new(
                model.file_of(l),
                model.node(l).directive.span(),
                "never chosen",
            ));
        }
        out.push(d);
    }
    out
}

/// `location @name`: reached by `error_page`, `try_files` and the like, past the server
/// rewrite phase.
fn is_named(model: &Model<'_>, l: NodeId) -> bool {
    model.arg_count(l) == 1 && model.arg_str(l, 0).is_some_and(|a| a.starts_with('@'))
}

/// The first of `server`'s own rewrite-module lines that answers every request, where no line
/// before it can end the server's rewrite directives for some request (then nginx looks for
/// a location for that request): a `break`, or a `rewrite` with `last` or `break`, at the
/// server's level or in one of its `if`s.
fn answers_every_request(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    // Asked only where an `if` is met (most servers have none).
    let mut plain_only = None;
    for &c in model.children(server) {
        match model.name(c) {
            "return" => return Some(c),
            "rewrite" if answers_all(model, c) => return Some(c),
            "rewrite" | "break" if ends_rewrites(model, c) => return None,
            "if" => {
                let always = scheme_is_http(model, c)
                    && *plain_only.get_or_insert_with(|| !serves_tls(model, Some(server)));
                for &inner in model.children(c) {
                    if ends_rewrites(model, inner) {
                        return None;
                    }
                    if always && answers_all(model, inner) {
                        return Some(inner);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// `break`, or a `rewrite` whose flag is `last` or `break`: what ends a server's rewrite
/// directives and lets nginx look for a location.
fn ends_rewrites(model: &Model<'_>, n: NodeId) -> bool {
    match model.name(n) {
        "break" => true,
        "rewrite" => {
            let count = model.arg_count(n);
            count >= 3
                && model
                    .arg_str(n, count - 1)
                    .is_some_and(|f| f == "last" || f == "break")
        }
        _ => false,
    }
}
