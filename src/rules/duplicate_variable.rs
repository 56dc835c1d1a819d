//! `duplicate-variable`: a configuration defines a variable nginx already provides and does not
//! let it be changed (`ngx_http_add_variable`: `the duplicate "scheme" variable`). `set`,
//! `map`, `geo`, `split_clients`, `auth_request_set` and the named captures of regexes
//! (`(?<host>...)` in `location ~`, `server_name ~`, `if`, `rewrite`, `map` keys) define
//! variables; `$scheme`, `$host`, `$uri`, `$remote_addr`... cannot be redefined (`$args` and
//! `$limit_rate` can).
//!
//! In `stream` the same (`ngx_stream_add_variable`), for stream's own variables, none of which
//! may change (`$remote_addr`, `$status`, `$protocol`...): `set`, `map`, `geo`,
//! `split_clients` and named captures of `map` keys.

use std::collections::HashSet;

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::{is_nginx, named_captures, regexes};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::variables::since;

pub static RULE: Rule = Rule {
    id: "duplicate-variable",
    summary: "`set`, `map`... or a regex named capture defines a built-in variable nginx does not let change (nginx: the duplicate \"host\" variable)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-variable.md"),
    check,
};

/// The variables of `ngx_http_core_variables` (src/http/ngx_http_variables.c) registered without
/// `NGX_HTTP_VAR_CHANGEABLE` on every build (those under `#if`, such as `$http_via` or
/// `$tcpinfo_rtt`, are left out). A name newer than the target version is not built in there.
const NOT_CHANGEABLE: &[&str] = &[
    "http_host",
    "http_user_agent",
    "http_referer",
    "http_cookie",
    "content_length",
    "content_type",
    "host",
    "binary_remote_addr",
    "remote_addr",
    "remote_port",
    "proxy_protocol_addr",
    "proxy_protocol_port",
    "proxy_protocol_server_addr",
    "proxy_protocol_server_port",
    "server_addr",
    "server_port",
    "server_protocol",
    "scheme",
    "https",
    "request_port",
    "is_request_port",
    "request_uri",
    "uri",
    "document_uri",
    "request",
    "document_root",
    "realpath_root",
    "query_string",
    "is_args",
    "request_filename",
    "server_name",
    "request_method",
    "remote_user",
    "bytes_sent",
    "body_bytes_sent",
    "pipe",
    "request_completion",
    "request_body",
    "request_body_file",
    "request_length",
    "request_time",
    "request_id",
    "status",
    "sent_http_content_type",
    "sent_http_content_length",
    "sent_http_location",
    "sent_http_last_modified",
    "sent_http_connection",
    "sent_http_keep_alive",
    "sent_http_transfer_encoding",
    "sent_http_cache_control",
    "sent_http_link",
    "connection",
    "connection_requests",
    "connection_time",
    "nginx_version",
    "hostname",
    "pid",
    "msec",
    "time_iso8601",
    "time_local",
];

/// First releases of the names above newer than 1.10 (git history of ngx_http_variables.c),
/// where the shared table does not know them.
const FIRST: &[(&str, Version)] = &[
    ("request_id", Version(1, 11, 0)),
    ("proxy_protocol_server_addr", Version(1, 17, 6)),
    ("proxy_protocol_server_port", Version(1, 17, 6)),
    ("request_port", Version(1, 29, 3)),
    ("is_request_port", Version(1, 29, 3)),
];

/// Is `name` a built-in nginx does not let change, at version `v`?
fn fixed_builtin(name: &str, v: Version) -> bool {
    let first = FIRST
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, f)| f)
        .or_else(|| since(name));
    NOT_CHANGEABLE.contains(&name) && first.is_none_or(|f| f <= v)
}

/// The variables of `ngx_stream_core_variables` (src/stream/ngx_stream_variables.c): none is
/// `NGX_STREAM_VAR_CHANGEABLE`.
const STREAM_NOT_CHANGEABLE: &[&str] = &[
    "binary_remote_addr",
    "remote_addr",
    "remote_port",
    "proxy_protocol_addr",
    "proxy_protocol_port",
    "proxy_protocol_server_addr",
    "proxy_protocol_server_port",
    "server_addr",
    "server_port",
    "server_name",
    "bytes_sent",
    "bytes_received",
    "session_time",
    "status",
    "connection",
    "nginx_version",
    "hostname",
    "pid",
    "msec",
    "time_iso8601",
    "time_local",
    "protocol",
];

/// First releases of stream variables newer than 1.10 (git history of ngx_stream_variables.c).
const STREAM_FIRST: &[(&str, Version)] = &[
    ("proxy_protocol_server_addr", Version(1, 17, 6)),
    ("proxy_protocol_server_port", Version(1, 17, 6)),
    ("server_name", Version(1, 25, 5)),
];

/// Is `name` a stream built-in at version `v` (none may change)?
fn fixed_stream_builtin(name: &str, v: Version) -> bool {
    STREAM_NOT_CHANGEABLE.contains(&name)
        && STREAM_FIRST
            .iter()
            .find(|(n, _)| *n == name)
            .is_none_or(|&(_, f)| f <= v)
}

fn is_stream(c: Context) -> bool {
    matches!(c, Context::Stream | Context::StreamServer)
}

fn is_http(c: Context) -> bool {
    matches!(
        c,
        Context::Http
            | Context::HttpServer
            | Context::HttpLocation
            | Context::HttpServerIf
            | Context::HttpLocationIf
    )
}

/// The variables node `id` defines, lowercase, without `$`.
fn defined(cx: &LintContext<'_>, id: NodeId) -> Vec<String> {
    let model = cx.model;
    let node = model.node(id);
    let mut out = Vec::new();
    if node.context == Context::Entries {
        if node.parent().is_some_and(|p| {
            let c = model.node(p).context;
            is_http(c) || is_stream(c)
        }) {
            out.extend(captures(model, id));
        }
        return out;
    }
    // Only these define a variable or compile a regex (see `regexes`): the rest of the
    // program's nodes are not read further.
    if !matches!(
        model.name(id),
        "set"
            | "auth_request_set"
            | "map"
            | "split_clients"
            | "geo"
            | "location"
            | "server_name"
            | "rewrite"
            | "if"
    ) {
        return out;
    }
    if !(is_http(node.context) || is_stream(node.context)) || !is_nginx(model, id) {
        return out;
    }
    let var = match model.name(id) {
        "set" | "auth_request_set" => model.arg(id, 0),
        name => crate::semantics::variables::block_variable_arg(name, model.arg_count(id))
            .and_then(|i| model.arg(id, i)),
    };
    if let Some(v) = var.and_then(|v| v.strip_prefix('$').map(str::to_ascii_lowercase)) {
        out.push(v);
    }
    out.extend(captures(model, id));
    out
}

/// The named captures of the regexes node `id` compiles, sorted (the first reported name must
/// not depend on hashing). A name is `(?<name>`, `(?P<name>` or `(?'name'`, and nginx's
/// escapes never produce `(` or `?`: a node without `(?` in its raw text has none, and its
/// regexes are not even extracted.
fn captures(model: &Model<'_>, id: NodeId) -> Vec<String> {
    let raw = &model.src(id)[model.node(id).directive.head_span().range()];
    if !raw.contains(&b'(') || !raw.windows(2).any(|w| w == b"(?") {
        return Vec::new();
    }
    let mut caps = HashSet::new();
    for (_, re, _) in regexes(model, id) {
        named_captures(re.as_bytes(), &mut caps);
    }
    let mut caps: Vec<String> = caps.into_iter().collect();
    caps.sort();
    caps
}

/// The directives that define a variable or compile a regex (see `defined`).
const DEFINERS: &[&str] = &[
    "set",
    "auth_request_set",
    "map",
    "split_clients",
    "geo",
    "location",
    "server_name",
    "rewrite",
    "if",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Entries (map keys...) wherever they are, then the lines of the directives that define
    // something, found by name: the rest of the program is not visited.
    // By part ([`super::BY_PART`]): the part's entries and defining lines.
    let entries = cx
        .node_ids()
        .filter(|&id| model.node(id).context == Context::Entries);
    let lines = DEFINERS
        .iter()
        .flat_map(|name| cx.directives_named(name))
        .copied()
        .filter(|&id| model.node(id).context != Context::Entries);
    for id in entries.chain(lines) {
        let node = model.node(id);
        let context = match (node.context, node.parent()) {
            (Context::Entries, Some(p)) => model.node(p).context,
            (c, _) => c,
        };
        for name in defined(cx, id) {
            let fixed = if is_stream(context) {
                fixed_stream_builtin(&name, cx.version)
            } else {
                fixed_builtin(&name, cx.version)
            };
            if !fixed {
                continue;
            }
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    format!("the duplicate \"{name}\" variable"),
                )
                .help(format!(
                    "${name} is built in and cannot be redefined: use another name (`$my_{name}`)"
                )),
            );
            break;
        }
    }
    out
}
