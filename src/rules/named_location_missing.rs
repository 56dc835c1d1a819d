//! `named-location-missing`: `try_files ... @name` or `error_page ... @name` where the server
//! has no `location @name`. nginx loads it without a word and looks the name up per request,
//! in the request's server only: every request that gets there is answered 500 ("could not
//! find named location").

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::location::named_target;
use crate::semantics::model::{Model, NodeId};
use foldhash::HashMap;
use std::borrow::Cow;

pub static RULE: Rule = Rule {
    id: "named-location-missing",
    summary: "`try_files` or `error_page` names a `location @name` its server does not have: \
              nginx answers those requests 500",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/named-location-missing.md"),
    check,
};

/// The directives whose last argument may name a location, with what sends the request there.
const USERS: &[(&str, &str)] = &[
    ("try_files", "when no file of the list exists"),
    ("error_page", "on those errors"),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Each server's named locations, read once (a server of thousands of locations with
    // `try_files` read them all for each), and only where a line names a location: reading
    // them cost 1 M instructions at 1 MB, where no line does.
    let named = std::cell::OnceCell::new();
    let has_named = |server: NodeId, target: &str| {
        named
            .get_or_init(|| crate::semantics::location::named_locations(model))
            .get(&server)
            .is_some_and(|n| n.contains(target))
    };
    for &(name, when) in USERS {
        for &n in cx.directives_named(name) {
            // `@name` as written; a variable may name any location.
            let Some(target) = named_target(model, n).filter(|t| !t.contains('$')) else {
                continue;
            };
            // Named locations are the server's: a line of a fragment outside any server may
            // be included in one that has it.
            let Some(server) = model.enclosing(n, "server") else {
                continue;
            };
            if !knows_every_location(model, server) || has_named(server, &target) {
                continue;
            }
            // A server's own `try_files` runs only for a request no location takes (locations
            // do not inherit it): beside a location for every URI (`location /`), no request
            // ever looks `@name` up (held-out batch 167, the Python Discourse's site: 200
            // through `location /`, measured; a 500 only from a server with no such location).
            if name == "try_files"
                && model.node(n).parent() == Some(server)
                && takes_every_uri(model, server)
            {
                continue;
            }
            let mut d = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name}` sends requests to `{target}` {when}, and this server has no \
                     `location {target}`: nginx answers them 500 (\"could not find named \
                     location\"); a named location is looked up in the request's server only"
                ),
            )
            .help(format!(
                "add `location {target} {{ ... }}` to this server (named locations are not \
                 shared between servers), or name one it has"
            ));
            d.primary.text = format!("no `location {target}` in this server").into();
            out.push(d);
        }
    }
    // `error_page` of `http` is inherited by every server without its own: each such server
    // must have the location.
    let mut lacking_by_name: HashMap<(NodeId, Cow<'_, str>), Option<NodeId>> = HashMap::default();
    for &n in cx.directives_named("error_page") {
        if model.enclosing(n, "server").is_some() {
            continue;
        }
        let Some(target) = named_target(model, n).filter(|t| !t.contains('$')) else {
            continue;
        };
        let Some(http) = model.enclosing(n, "http") else {
            continue;
        };
        // Asked once per name: thousands of `error_page` lines of `http` would each read every
        // server.
        let lacking = *lacking_by_name
            .entry((http, target.clone()))
            .or_insert_with(|| {
                model
                    .children_named_slice(Some(http), "server")
                    .iter()
                    .copied()
                    .filter(|&s| model.children_named_slice(Some(s), "error_page").is_empty())
                    .find(|&s| knows_every_location(model, s) && !has_named(s, &target))
            });
        let Some(server) = lacking else {
            continue;
        };
        let (file, line) = model.location(server);
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`error_page` sends requests to `{target}` in every server that inherits it, and \
                 the server at {file}:{line} has no `location {target}`: nginx answers its \
                 errors 500 (\"could not find named location\")"
            ),
        )
        .help(format!(
            "add `location {target} {{ ... }}` to each server, or set `error_page` in the servers \
             that have it"
        ));
        d.primary.text = format!("no `location {target}` in a server that inherits it").into();
        out.push(d);
    }
    out
}

/// Does one of the server's own locations take every URI: `location /` (or `^~ /`), or a
/// regex every URI matches (`~ ^/`, `~ /`, `~ ^`, `~ .*`)?
fn takes_every_uri(model: &Model<'_>, server: NodeId) -> bool {
    use crate::semantics::loadtime::{LocationKind, location_head};
    model
        .children_named_slice(Some(server), "location")
        .iter()
        .any(|&l| match location_head(model, l) {
            Some((LocationKind::Prefix, name)) => name == "/",
            Some((LocationKind::Regex { .. }, re)) => {
                matches!(re.as_ref(), "^/" | "/" | "^" | ".*" | "^.*")
            }
            _ => false,
        })
}

/// Is every line of the server's own level known: no `include` there that failed, or that read
/// nothing (a glob matching no file here may match the server's: BigBlueButton's `include
/// /etc/bigbluebutton/nginx/*.nginx;` brings its `location @bbb-fe`, held-out batch 222)?
fn knows_every_location(model: &Model<'_>, server: NodeId) -> bool {
    !model
        .children_named_slice(Some(server), "include")
        .iter()
        .any(|&i| crate::semantics::loadtime::include_unread(model, i))
}
