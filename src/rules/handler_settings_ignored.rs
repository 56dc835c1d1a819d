//! `handler-settings-ignored`: settings of one upstream module written in a location that
//! passes requests with another (`proxy_read_timeout` beside `fastcgi_pass`, `proxy_buffering
//! off` beside `uwsgi_pass`, `uwsgi_request_buffering off` beside `proxy_pass`). Each module
//! keeps its settings in its own location configuration and only its own handler reads them,
//! so these lines do nothing there, while the values the author meant to change stay at their
//! defaults (measured with nginx 1.22.1: `proxy_read_timeout 2s` beside `fastcgi_pass`,
//! `uwsgi_pass` or `grpc_pass` let a 4 s answer through where the module's own `2s` gave 504;
//! `proxy_buffering off` beside `fastcgi_pass` or `uwsgi_pass` held a three-chunk stream to its
//! end, the module's own `off` streamed it).

use std::collections::BTreeMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::directives::lookup_str;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "handler-settings-ignored",
    summary: "`proxy_*` settings in a location that passes with `fastcgi_pass`, `uwsgi_pass` \
              or `grpc_pass` (or another module's settings beside `proxy_pass`): only the \
              handler's own module reads its settings, so these do nothing",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/handler-settings-ignored.md"),
    check,
};

/// One upstream module: its directives' prefix, its table module and how users name it.
struct Module {
    prefix: &'static str,
    table: &'static str,
    pass: &'static str,
    speaks: &'static str,
}

const MODULES: &[Module] = &[
    Module {
        prefix: "proxy_",
        table: "http_proxy",
        pass: "proxy_pass",
        speaks: "HTTP",
    },
    Module {
        prefix: "fastcgi_",
        table: "http_fastcgi",
        pass: "fastcgi_pass",
        speaks: "FastCGI",
    },
    Module {
        prefix: "uwsgi_",
        table: "http_uwsgi",
        pass: "uwsgi_pass",
        speaks: "uwsgi",
    },
    Module {
        prefix: "scgi_",
        table: "http_scgi",
        pass: "scgi_pass",
        speaks: "SCGI",
    },
    Module {
        prefix: "grpc_",
        table: "http_grpc",
        pass: "grpc_pass",
        speaks: "gRPC",
    },
    Module {
        prefix: "memcached_",
        table: "http_memcached",
        pass: "memcached_pass",
        speaks: "memcached",
    },
];

/// Settings whose twin in another module takes the same arguments, so renaming the line makes
/// it do what its author meant (the fix). Not the cache settings: a cache zone belongs to the
/// module whose `*_cache_path` made it (`fastcgi_cache` of a `proxy_cache_path` zone fails
/// `nginx -t`), nor `*_next_upstream` and `*_cache_use_stale`, whose accepted values differ.
const TWINNED: &[&str] = &[
    "buffer_size",
    "buffering",
    "buffers",
    "busy_buffers_size",
    "connect_timeout",
    "hide_header",
    "ignore_client_abort",
    "intercept_errors",
    "max_temp_file_size",
    "pass_header",
    "pass_request_body",
    "pass_request_headers",
    "read_timeout",
    "request_buffering",
    "send_timeout",
    "set_header",
    "socket_keepalive",
    "temp_file_write_size",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let passing: Vec<usize> = (0..MODULES.len())
        .filter(|&m| !model.directives_named(MODULES[m].pass).is_empty())
        .collect();
    if passing.is_empty() {
        return Vec::new();
    }
    // (location, module of the dead settings) → the dead lines, in walk order. Only the names
    // of another module than a passing one are read: a configuration of `proxy_pass` alone
    // reads none.
    let mut dead: BTreeMap<(NodeId, usize), (usize, Vec<NodeId>)> = BTreeMap::new();
    // A server's handler for a module's lines, asked once per (server, module).
    let mut server_handlers: std::collections::HashMap<(NodeId, usize), Option<usize>> =
        std::collections::HashMap::new();
    for (name, ids) in model.names_with_nodes() {
        let Some(own) = MODULES
            .iter()
            .position(|m| name.starts_with(m.prefix) && name != m.pass)
        else {
            continue;
        };
        if !passing.iter().any(|&m| m != own)
            || !lookup_str(name)
                .iter()
                .any(|s| s.module == MODULES[own].table)
        {
            continue;
        }
        for &id in ids {
            let Some(loc) = model.node(id).parent() else {
                continue;
            };
            // Written in the location's own text: lines an `include` brings (`proxy_params`
            // beside `uwsgi_pass`) are the shared file's, not this author's.
            let level = model.name(loc);
            if !matches!(level, "location" | "server")
                || model.file_of(id) != model.file_of(loc)
                || model.included_via(id) != model.included_via(loc)
            {
                continue;
            }
            let handler = if level == "server" {
                *server_handlers
                    .entry((loc, own))
                    .or_insert_with(|| server_handler(model, loc, own, &passing))
            } else {
                passing.iter().copied().find(|&m| {
                    m != own
                        && !model
                            .children_named_slice(Some(loc), MODULES[m].pass)
                            .is_empty()
                })
            };
            let Some(handler) = handler else {
                continue;
            };
            // The handler's own setting written beside it (`uwsgi_read_timeout 180s` after
            // `proxy_read_timeout 180s`): the value applies, the line is only a leftover
            // (held-out batch 307: measured, the 180 s in force).
            let suffix = &name[MODULES[own].prefix.len()..];
            if !model
                .children_named_slice(Some(loc), &[MODULES[handler].prefix, suffix].concat())
                .is_empty()
            {
                continue;
            }
            dead.entry((loc, own))
                .or_insert_with(|| (handler, Vec::new()))
                .1
                .push(id);
        }
    }
    // The event streams whose handler buffers: `buffering-on-streaming` reports a
    // `proxy_buffering off` beside `uwsgi_pass` there, with its fix (one cause, one finding).
    let streams = std::cell::OnceCell::new();
    let streams = || {
        streams.get_or_init(|| {
            cx.streaming()
                .iter()
                .filter(|s| s.sse)
                .map(|s| s.location)
                .collect::<std::collections::HashSet<NodeId>>()
        })
    };
    let mut out = Vec::new();
    for ((loc, own), (handler, mut lines)) in dead {
        lines.retain(|&id| {
            model.name(id).strip_prefix(MODULES[own].prefix) != Some("buffering")
                || !streams().contains(&loc)
        });
        if lines.is_empty() {
            continue;
        }
        // A block inside that passes with the settings' own module inherits them (a server's
        // were asked already).
        if model.name(loc) == "location" && passes_below(model, loc, MODULES[own].pass) {
            continue;
        }
        out.push(finding(
            model,
            loc,
            &MODULES[own],
            &MODULES[handler],
            &lines,
        ));
    }
    out
}

/// The one module the locations of `server` pass requests with, where none passes with
/// `own`'s and every file the server includes was read (or is a stock parameter file): `proxy_read_timeout 420` in a Laravel
/// server whose only handler is `fastcgi_pass` (held-out batch 342: measured, a slow PHP
/// answer cut with 504 at the default 60 s).
fn server_handler(
    model: &Model<'_>,
    server: NodeId,
    own: usize,
    passing: &[usize],
) -> Option<usize> {
    if passes_below(model, server, MODULES[own].pass) {
        return None;
    }
    let mut handlers = passing
        .iter()
        .copied()
        .filter(|&m| m != own && passes_below(model, server, MODULES[m].pass));
    let handler = handlers.next()?;
    if handlers.next().is_some() {
        return None;
    }
    let end = model.subtree_end(server);
    let includes = model.directives_named("include");
    let first = includes.partition_point(|&i| i <= server);
    let unread = includes[first..]
        .iter()
        .take_while(|&&i| i < end)
        .any(|&i| {
            // A stock parameter file (`include fastcgi_params;`) passes nothing.
            crate::semantics::loadtime::include_unread(model, i)
                && !model.arg_str(i, 0).is_some_and(|a| {
                    crate::semantics::loadtime::is_stock_include(&a)
                        || crate::semantics::loadtime::stock_include_prefix(&a).is_some()
                })
        });
    (!unread).then_some(handler)
}

/// Does a block inside `loc` (a nested location, an `if`, a `limit_except`) pass with `pass`?
/// Its nodes are the numbers between `loc` and its subtree's end, and the pass lines are in
/// walk order: a binary search.
fn passes_below(model: &Model<'_>, loc: NodeId, pass: &str) -> bool {
    let lines = model.directives_named(pass);
    let first = lines.partition_point(|&p| p <= loc);
    lines
        .get(first)
        .is_some_and(|&p| p < model.subtree_end(loc))
}

fn finding(
    model: &Model<'_>,
    loc: NodeId,
    own: &Module,
    handler: &Module,
    lines: &[NodeId],
) -> Diagnostic {
    let first = lines[0];
    let name = model.name(first);
    let here = model.describe_block(Some(loc));
    let what = match lines.len() {
        1 => format!("`{name} {}`", model.arg(first, 0).unwrap_or_default()),
        2 => format!("`{name}` and one more `{}*` line", own.prefix),
        n => format!("`{name}` and {} more `{}*` lines", n - 1, own.prefix),
    };
    let server = model.name(loc) == "server";
    // The location's own pass line; for a server, the first of its locations'.
    let pass_line = if server {
        let lines = model.directives_named(handler.pass);
        lines[lines.partition_point(|&p| p <= loc)]
    } else {
        model.children_named_slice(Some(loc), handler.pass)[0]
    };
    let mut renames = Vec::new();
    let mut edits = Vec::new();
    for &id in lines {
        let from = model.name(id);
        let Some((twin, unique)) = twin(model, from, own, handler) else {
            continue;
        };
        // Two dead lines renamed to one unique twin would fail `nginx -t` ("is duplicate"); a
        // second `grpc_set_header` is one more header.
        if unique && renames.iter().any(|(_, t): &(String, String)| *t == twin) {
            continue;
        }
        if let Some(token) = model.node(id).directive.name_token() {
            edits.push(Edit::replace(model.file_of(id), token.span(), twin.clone()));
        }
        renames.push((from.to_owned(), twin));
    }
    let mut help = format!(
        "write the `{}*` settings `{}` reads",
        handler.prefix, handler.pass
    );
    // No line has a `fastcgi_*` twin (`proxy_redirect` beside `fastcgi_pass`): there is
    // nothing to write instead, only lines to remove (held-out batch 484, Moodle's PHP
    // location: measured, the `Location` the same with and without the line).
    if renames.is_empty() {
        let (them, they) = if lines.len() == 1 {
            ("the line", "it does")
        } else {
            ("the lines", "they do")
        };
        help = format!(
            "remove {them}: `{}` has no `{}*` setting that does what {they}",
            handler.pass, handler.prefix
        );
    }
    if !renames.is_empty() {
        let list: Vec<String> = renames
            .iter()
            .map(|(from, to)| format!("`{from}` is `{to}` there"))
            .collect();
        help = format!("{help}: {}", list.join(", "));
    }
    if lines.iter().any(|&id| model.name(id) == "proxy_set_header")
        && matches!(handler.prefix, "fastcgi_" | "uwsgi_" | "scgi_")
    {
        help.push_str(&format!(
            "; a request header goes to {} as `{}param HTTP_NAME value`",
            handler.speaks, handler.prefix
        ));
    }
    if !renames.is_empty() {
        help.push_str(", or remove the lines");
    }
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        first,
        format!(
            "{what} in `{here}` {} nothing: {} {} with `{}`, and only the `{}*` settings are \
             read there (the `{}*` ones are for `{}`), so the values meant to apply stay at \
             their defaults",
            if lines.len() == 1 { "does" } else { "do" },
            if server {
                format!(
                    "no location of it uses `{}`, and those that pass requests pass them to",
                    own.pass
                )
            } else {
                "the location passes requests to".to_owned()
            },
            handler.speaks,
            handler.pass,
            handler.prefix,
            own.prefix,
            own.pass
        ),
    )
    .label(Label::at_node(
        model,
        pass_line,
        format!("reads `{}*` settings only", handler.prefix),
    ))
    .labels(
        lines[1..]
            .iter()
            .take(4)
            .map(|&id| Some(Label::at_node(model, id, "does nothing here"))),
    )
    .help(help);
    if !edits.is_empty() {
        d = d.fix(Fix::unsafe_(
            format!("rename to the `{}*` settings", handler.prefix),
            edits,
        ));
    }
    d
}

/// The handler module's directive that means what `name` of module `own` means, when it takes
/// the same arguments and exists in the target version, and whether a block may hold it once
/// only. (A location that already sets it has no dead line of that name: [`check`] leaves
/// such leftovers out.)
fn twin(model: &Model<'_>, name: &str, own: &Module, handler: &Module) -> Option<(String, bool)> {
    let suffix = name.strip_prefix(own.prefix)?;
    if !TWINNED.contains(&suffix) {
        return None;
    }
    let twin = format!("{}{suffix}", handler.prefix);
    let spec = lookup_str(&twin)
        .iter()
        .find(|s| s.module == handler.table && s.exists_in(model.version))?;
    Some((twin, spec.unique))
}
