//! `location-shadows-proxy`: a location beside one that proxies, taking some of its requests
//! (`location = /whisper-ws` beside `location /whisper-ws`, `location ~ ^/submit/tests/`
//! beside `location /`), with lines that show the requests were meant for the application
//! (access or login rules lifted or added, `proxy_*` settings, a preflight's `if`) but no
//! handler of its own and no `root` in effect. A handler is not taken from a sibling: nginx
//! serves these requests as files from its compiled-in document root (`html` under its
//! prefix), and the application never sees them (held-out batch 435: WhisperLive's CORS
//! block took the WebSocket's exact URL, the handshake got 404; batch 432: a login exemption
//! for `/submit/tests/`, both measured).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::semantics::loadtime;
use crate::semantics::location;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::{PASS_DIRECTIVES, anchored_literal};

pub static RULE: Rule = Rule {
    id: "location-shadows-proxy",
    summary: "a location with no handler and no `root` takes requests from a proxied location \
              beside it: nginx serves them as files from its default document root, and the \
              application never sees them",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/location-shadows-proxy.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut prefixes = Prefixes::default();
    for &loc in cx.directives_named("location") {
        // In a server, or at the top of a file included in one (`--context server`).
        if model.node(loc).context != crate::semantics::Context::HttpServer {
            continue;
        }
        let server = model.node(loc).parent();
        if server.is_some_and(|s| model.name(s) != "server") {
            continue;
        }
        // One pass over the location's lines: a handler ends the question (most locations
        // have one: the pass lines first, the cheapest test), else a line meant for the app.
        let mut meant_for_app = false;
        let mut handled = false;
        for &c in model.children(loc) {
            let name = model.name(c);
            if PASS_DIRECTIVES.contains(&name)
                    || location::HANDLING.contains(&name)
                // `deny all`: nothing is served to anyone.
                || (name == "deny" && model.arg_is(c, 0, "all"))
            {
                handled = true;
                break;
            }
            meant_for_app = meant_for_app || shows_app_intent(model, c);
        }
        if handled || !meant_for_app {
            continue;
        }
        let Some(path) = literal_path(model, loc) else {
            continue;
        };
        // A `root` in effect: the author may serve these files from disk on purpose.
        if !model.effective(Some(loc), "root").nodes.is_empty() {
            continue;
        }
        let Some((proxied, pass)) = proxied_sibling(model, &mut prefixes, server, loc, &path)
        else {
            continue;
        };
        // An include of the server nobody read may hold a `root`.
        if model
            .children_named_slice(server, "include")
            .iter()
            .any(|&i| loadtime::include_unread(model, i))
        {
            continue;
        }
        let pass_name = model.name(pass);
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            loc,
            format!(
                "`{}` takes these requests from `{}`, which passes them on (`{pass_name}`), but \
                 has no handler of its own: nginx serves them as files from its default \
                 document root (`html` under its prefix; no `root` is set), and the \
                 application never sees them",
                model.describe_block(Some(loc)),
                model.describe_block(Some(proxied)),
            ),
        )
        .label(Label::at_node(
            model,
            pass,
            "handles these requests only where the other location is not",
        ))
        .help(format!(
            "repeat `{pass_name}` (and its headers) in this location, or move its lines into \
             the proxied one (an `if ($request_method = OPTIONS) {{ ... return 204; }}` there \
             answers a preflight); set `root` if nginx should serve these files"
        ));
        d.primary.text = "no handler: serves files".into();
        out.push(d);
    }
    out
}

/// Is line `c` of a location one that shapes a request meant for the application: access or
/// login rules (`auth_basic off`, `allow all`), a `proxy_*` setting, an `if` adding headers (a
/// CORS preflight's answer)?
fn shows_app_intent(model: &Model<'_>, c: NodeId) -> bool {
    let name = model.name(c);
    match name {
        "auth_basic" | "auth_basic_user_file" | "auth_request" | "allow" | "satisfy" => true,
        // An `if` that adds headers (a preflight's CORS answer), not one that only refuses
        // (`if ($host !~ ...) { return 444; }`): the rest of the location's requests then
        // read as meant for files.
        "if" => model
            .children(c)
            .iter()
            .any(|&i| model.name(i) == "add_header"),
        _ => name.starts_with("proxy_") && name != "proxy_pass",
    }
}

/// The literal path a location's requests start with: an exact or prefix location's own, the
/// literal a regex anchored at `^/` begins with ([`anchored_literal`]; `None` for a named
/// location or another regex).
fn literal_path(model: &Model<'_>, loc: NodeId) -> Option<String> {
    let count = model.arg_count(loc);
    let path = model.arg_str(loc, count.checked_sub(1)?)?;
    let modifier = if count > 1 {
        model.arg_str(loc, 0)?.into_owned()
    } else {
        String::new()
    };
    match modifier.as_str() {
        "" | "=" | "^~" => path.starts_with('/').then(|| path.into_owned()),
        // The literal every match begins with, as written (prefix locations compare case).
        "~" | "~*" => anchored_literal(&path, false).filter(|l| l.starts_with('/')),
        _ => None,
    }
}

/// The prefix locations of a server (the file's top level where `None`) by path, read once
/// per server: a server of thousands of locations without a handler asked for each of them
/// (a pass over every sibling each time was quadratic).
type Prefixes<'p> = HashMap<Option<NodeId>, HashMap<Cow<'p, str>, Vec<NodeId>>>;

/// The prefix location of `server` other than `loc` that nginx would pick for `path` without
/// `loc` (the longest prefix), where it passes requests on: it and its pass line. The
/// prefixes of `path` are looked up from the longest down (one lookup per byte of the path).
fn proxied_sibling<'p>(
    model: &Model<'p>,
    prefixes: &mut Prefixes<'p>,
    server: Option<NodeId>,
    loc: NodeId,
    path: &str,
) -> Option<(NodeId, NodeId)> {
    let by_path = prefixes.entry(server).or_insert_with(|| {
        let mut by_path: HashMap<Cow<'p, str>, Vec<NodeId>> = HashMap::default();
        for &l in model.children_named_slice(server, "location") {
            let prefix = match model.arg_count(l) {
                1 => model.arg_str(l, 0),
                2 if model.arg_is(l, 0, "^~") => model.arg_str(l, 1),
                _ => None,
            };
            if let Some(prefix) = prefix {
                by_path.entry(prefix).or_default().push(l);
            }
        }
        by_path
    });
    let best = (1..=path.len())
        .rev()
        .filter(|&end| path.is_char_boundary(end))
        .find_map(|end| {
            by_path
                .get(&path[..end])
                .and_then(|ls| ls.iter().copied().find(|&l| l != loc))
        })?;
    let pass = PASS_DIRECTIVES
        .iter()
        .find_map(|p| model.children_named_slice(Some(best), p).first().copied())?;
    Some((best, pass))
}
