//! `acme-challenge-unreachable`: a server's `location /.well-known/acme-challenge/` that no
//! request reaches, because a directive at the server's own level answers every request
//! first: a `return`, a redirecting `rewrite` that takes every path, or an `if` that always
//! holds on that server (`if ($scheme = http)` on a server without TLS). nginx runs the
//! server's rewrite directives before it looks for a location. Certificate issuance and
//! renewal with HTTP-01 then fail, unless the redirect's target answers the challenge: a
//! server of the same name with its own challenge location is taken to.
//!
//! A challenge location shadowed by a regex location (`location ~ /\.`) is
//! `location-unreachable`'s.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location::{
    answers_all, names_challenge, replaces_with_url, scheme_is_http, serves_tls,
};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "acme-challenge-unreachable",
    summary: "`location /.well-known/acme-challenge/` is never used: a `return`, a redirect or \
              an `if` that always holds at the server level answers every request first",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/acme-challenge-unreachable.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The servers with a challenge location, found from the locations (a substring test
    // each, no copy): most servers have none.
    let mut servers: Vec<NodeId> = model
        .directives_named("location")
        .iter()
        .filter(|&&l| names_challenge(model, l))
        .filter_map(|&l| model.node(l).parent())
        .filter(|&s| {
            model.name(s) == "server"
                && model
                    .node(s)
                    .parent()
                    .is_none_or(|p| model.name(p) == "http")
        })
        .collect();
    servers.dedup();
    for server in servers {
        let challenges = challenge_locations(model, server);
        if challenges.is_empty() {
            continue;
        }
        let Some(first) = answers_every_request(model, server) else {
            continue;
        };
        // A redirect to a server of the same name that answers challenges itself passes
        // (HTTP-01 validation follows redirects).
        if redirects(model, first) && another_server_answers(model, server) {
            continue;
        }
        let (_, line) = model.location(first);
        for loc in challenges {
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                loc,
                format!(
                    "this location is never used: `{}` at the server's level (line {line}) \
                     answers every request in nginx's server rewrite phase, before a location \
                     is looked for, so HTTP-01 challenges get its answer and certificate \
                     issuance or renewal fails{}",
                    model.shown_line(first, 2),
                    if redirects(model, first) {
                        " (no server of this name in the configuration answers the redirected \
                         challenge)"
                    } else {
                        ""
                    }
                ),
            )
            .help(
                "answer every other request from a `location /` (`location / { return 301 \
                 https://$host$request_uri; }`) instead of at the server's level, so that the \
                 challenge location is chosen for its paths",
            );
            d.primary.text = "never chosen".into();
            d = d.label(Label::new(
                model.file_of(first),
                model.node(first).directive.span(),
                "answers every request first",
            ));
            out.push(d);
        }
    }
    out
}

/// The direct `location`s of `server` whose pattern names the ACME challenge path.
fn challenge_locations(model: &Model<'_>, server: NodeId) -> Vec<NodeId> {
    model
        .children_named_slice(Some(server), "location")
        .iter()
        .copied()
        .filter(|&l| names_challenge(model, l))
        .collect()
}

/// The first of `server`'s own rewrite directives that answers every request: a `return`, a
/// `rewrite` that redirects every path, or an `if` that always holds there holding one.
fn answers_every_request(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    let plain_only = !serves_tls(model, Some(server));
    for &c in model.children(server) {
        match model.name(c) {
            // A `rewrite` before it that takes the challenge path and ends the server's
            // rewrite directives (a redirect, `last`, `break`) answers the challenge first:
            // FADD's `rewrite ^/.well-known/acme-challenge/ http://acme.example$request_uri?
            // permanent;` above its `return 301` (held-out batch 145, measured: the challenge
            // redirected to the server that holds the token, 200 there).
            "rewrite" if takes_challenge(model, c) => return None,
            "return" | "rewrite" if answers_all(model, c) => return Some(c),
            "if" if plain_only && scheme_is_http(model, c) => {
                if let Some(&inner) = model.children(c).iter().find(|&&i| answers_all(model, i)) {
                    return Some(inner);
                }
            }
            _ => {}
        }
    }
    None
}

/// A server-level `rewrite` whose regex matches a challenge's path and that ends the server's
/// rewrite directives there (a flag, or a replacement that is a URL).
fn takes_challenge(model: &Model<'_>, n: NodeId) -> bool {
    let ends = model.arg_count(n) >= 3 || replaces_with_url(model, n);
    ends && model.arg_str(n, 0).is_some_and(|re| {
        pcre2::bytes::RegexBuilder::new()
            .build(&re)
            .is_ok_and(|re| {
                re.is_match(b"/.well-known/acme-challenge/Dz0W8lGc-fF2OeqcR_Ns")
                    .unwrap_or(false)
            })
    })
}

fn redirects(model: &Model<'_>, n: NodeId) -> bool {
    match model.name(n) {
        "rewrite" => true,
        _ => model.arg_str(n, 0).is_some_and(|code| {
            matches!(&*code, "301" | "302" | "303" | "307" | "308")
                || code.starts_with("http://")
                || code.starts_with("https://")
                || code.starts_with("$scheme")
        }),
    }
}

/// Does another server with one of `server`'s names have a challenge location?
fn another_server_answers(model: &Model<'_>, server: NodeId) -> bool {
    model
        .children_named_slice(Some(server), "server_name")
        .iter()
        .flat_map(|&n| (0..model.arg_count(n)).filter_map(move |i| model.arg_str(n, i)))
        .any(|name| {
            model
                .servers_named(&name.to_ascii_lowercase())
                .iter()
                .any(|&s| s != server && !challenge_locations(model, s).is_empty())
        })
}
