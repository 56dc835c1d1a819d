//! `invalid-server-name`: a `server_name` nginx refuses while reading it
//! (`ngx_http_core_server_name`): a wildcard that is not `*.` followed by a name
//! (`*example.com`, `*`, `*.`), a lone `.` (`server name "." is invalid`), or `~` with no regex
//! after it (`empty regex in server name "~"`). The same in `stream` servers, which have
//! `server_name` since nginx 1.25.5 (`ngx_stream_core_server_name`).
//!
//! When the block closes, nginx adds the names of servers sharing an address to its server
//! name hash, which refuses a `*` elsewhere than in `*.` at the start or `.*` at the end, two
//! `*`, and `..`: `invalid server name or wildcard "www.*.example.com" on 0.0.0.0:80`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-server-name",
    summary: "a `server_name` nginx refuses (a malformed wildcard, a lone `.`, `~` without a regex), or one with a `/` or a `,` that never matches",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-server-name.md"),
    check,
};

/// nginx's verdict on one `server_name` argument.
fn name_error(name: &str) -> Option<(String, &'static str)> {
    let b = name.as_bytes();
    match b.first() {
        Some(b'*') if b.len() < 3 || b[1] != b'.' => Some((
            format!("server name \"{name}\" is invalid"),
            "a leading wildcard is `*.` followed by a name: `*.example.com`",
        )),
        Some(b'.') if b.len() < 2 => Some((
            format!("server name \"{name}\" is invalid"),
            "`.example.com` matches example.com and its subdomains; a lone `.` matches nothing",
        )),
        Some(b'~') if b.len() == 1 => Some((
            format!("empty regex in server name \"{name}\""),
            "a regex server name is `~` followed by the regex: `~^www\\d+\\.example\\.com$`",
        )),
        _ => None,
    }
}

/// Names with a `/`: nginx takes them with a warning (`server name "example.com/" has
/// suspicious symbols`, `ngx_http_core_server_name`), and no `Host` header holds a `/`, so they
/// never match (`server_name http://example.com;`, a URL pasted as a name). A warning.
fn suspicious_names(
    model: &crate::semantics::model::Model<'_>,
    id: crate::semantics::model::NodeId,
) -> Vec<Diagnostic> {
    let node = model.node(id);
    node.directive
        .arg_tokens()
        .enumerate()
        .filter_map(|(i, tok)| {
            let name = model.arg_str(id, i)?;
            // A regex with a `/` draws the same warning but may still match: left alone.
            if name.starts_with('~') {
                return None;
            }
            if !name.contains('/') {
                return comma_in_name(model, id, tok, &name);
            }
            // `https://example.com/` and `example.com/` mean `example.com`.
            let host = name
                .split_once("://")
                .map_or(&*name, |(_, rest)| rest)
                .trim_end_matches('/');
            let why = "nginx takes it with this warning, but no request's `Host` holds a `/`, so \
                       it never matches; a server name is a host name, without scheme or path";
            let help = if super::missing_semicolon::semicolon_commented_out(model, id) {
                // The names are the next line's words (held-out batch 336: `server_name
                // #domain;` took `rewrite ^ https://$host$request_uri? permanent;`).
                "the `;` of `server_name` is inside the comment on its line, so these are the \
                 next line's words (missing-semicolon): write the names and `;` before the \
                 comment"
                    .to_owned()
            } else if !host.is_empty() && !host.contains(['/', ':', '$']) {
                format!("{why}: `server_name {host};`")
            } else {
                why.to_owned()
            };
            Some(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), "no Host header has a `/`"),
                    format!("server name \"{name}\" has suspicious symbols"),
                )
                .severity(Severity::Warning)
                .help(help),
            )
        })
        .collect()
}

/// A name with a comma (`server_name example.com, www.example.com;`, names written as a
/// list): nginx takes `example.com,` as the name, silently, and no browser's `Host` holds a
/// comma (a DNS name cannot), so the name never matches and requests for `example.com` go to
/// another server (held-out batch 207, measured with nginx 1.22.1: `https://chprog.com/`
/// answered by the default server, another site's certificate and a 403).
fn comma_in_name(
    model: &crate::semantics::model::Model<'_>,
    id: crate::semantics::model::NodeId,
    tok: crate::syntax::lexer::Token,
    name: &str,
) -> Option<Diagnostic> {
    if !name.bytes().any(|b| b == b',') {
        return None;
    }
    let names: Vec<String> = (0..model.arg_count(id))
        .filter_map(|i| model.arg_str(id, i))
        .flat_map(|n| {
            if n.starts_with('~') {
                // Quoted again where nginx needs it (`"~^(www){1,2}\.example$"`).
                if n.contains(['{', '}', ';', ' ', '"', '\'']) {
                    vec![format!("\"{}\"", n.replace('"', "\\\""))]
                } else {
                    vec![n.into_owned()]
                }
            } else {
                n.split(',')
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
        })
        .collect();
    Some(
        Diagnostic::new(
            &RULE,
            Label::new(model.file_of(id), tok.span(), "no Host header has a `,`"),
            format!(
                "server name \"{name}\" holds a comma: nginx takes the comma as part of the name, \
                 which no request's `Host` matches"
            ),
        )
        .severity(Severity::Warning)
        .help(format!(
            "server names are separated by spaces, not commas: `server_name {};`",
            names.join(" ")
        )),
    )
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut shared: Option<Servers> = None;
    for &id in model.directives_named("server_name") {
        let node = model.node(id);
        // `server_name` in stream (`ngx_stream_core_server_name`, the same checks) is nginx
        // 1.25.5+.
        let stream = node.context == Context::StreamServer
            && cx.version >= crate::semantics::directives::Version(1, 25, 5);
        if (node.context != Context::HttpServer && !stream) || !is_nginx(model, id) {
            continue;
        }
        // A `server_name` without its `;` (`server_name a.example` then `location / {`) is a
        // syntax error nginx stops at: its "names" were never names (held-out batch 344).
        if !matches!(node.directive.end(), crate::syntax::End::Semicolon(_)) {
            continue;
        }
        let mut read_error = false;
        for (i, tok) in node.directive.arg_tokens().enumerate() {
            let Some(name) = model.arg_str(id, i) else {
                continue;
            };
            let Some((message, help)) = name_error(&name) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), "refused by nginx"),
                    message,
                )
                .help(help),
            );
            read_error = true;
            break;
        }
        if !read_error {
            out.extend(wildcard_error(cx, id, &mut shared));
            out.extend(suspicious_names(model, id));
        }
    }
    out
}

/// (context of the servers' directives, address as nginx prints it) → how many servers listen
/// there (http servers without `listen` on `0.0.0.0:80`).
type Servers = std::collections::HashMap<(Context, String), usize>;

fn servers_per_address(cx: &LintContext<'_>) -> Servers {
    let model = cx.model;
    let mut out = Servers::new();
    for &server in model.directives_named("server") {
        let context = match model.node(server).context {
            Context::Http => Context::HttpServer,
            Context::Stream => Context::StreamServer,
            _ => continue,
        };
        let listens = model.children_named_slice(Some(server), "listen");
        let mut addrs: Vec<String> = listens
            .iter()
            .filter_map(|&l| model.arg(l, 0))
            .filter_map(|a| crate::semantics::loadtime::listen_address(&a))
            .collect();
        if listens.is_empty() && context == Context::HttpServer {
            addrs.push("0.0.0.0:80".to_owned());
        }
        addrs.sort();
        addrs.dedup();
        for a in addrs {
            *out.entry((context, a)).or_insert(0) += 1;
        }
    }
    out
}

/// Would `ngx_hash_add_key` (src/core/ngx_hash.c) decline `name` as a server name? Two `*`, a
/// `*` that is not a leading `*.` or a trailing `.*`, `..`, or a NUL.
fn hash_declines(name: &[u8]) -> bool {
    if name.iter().filter(|&&b| b == b'*').count() > 1
        || name.windows(2).any(|w| w == b"..")
        || name.contains(&0)
    {
        return true;
    }
    let wildcard = (name.len() > 1 && name[0] == b'.')
        || (name.len() > 2 && (name.starts_with(b"*.") || name.ends_with(b".*")));
    !wildcard && name.contains(&b'*')
}

/// The names of `server_name` node `id` that nginx's server name hash refuses when the block
/// closes (`ngx_http_server_names`, `ngx_stream_server_names`): `invalid server name or
/// wildcard "www.*.com" on 0.0.0.0:80`. nginx builds that hash for an address that several
/// servers share. Only for a server with one address nginx prints surely: one `listen` by IP,
/// or (http) none, which is `*:80` for nginx run as root.
fn wildcard_error(
    cx: &LintContext<'_>,
    id: crate::semantics::model::NodeId,
    shared: &mut Option<Servers>,
) -> Option<Diagnostic> {
    let model = cx.model;
    let node = model.node(id);
    let (i, name) = (0..model.arg_count(id)).find_map(|i| {
        let name = model.arg(id, i)?;
        (!name.starts_with('~') && !name.starts_with('$') && hash_declines(name.as_bytes()))
            .then_some((i, name))
    })?;
    let server = node.parent()?;
    let listens = model.children_named_slice(Some(server), "listen");
    let addr = match listens {
        [] if node.context == Context::HttpServer => "0.0.0.0:80".to_owned(),
        [one] => crate::semantics::loadtime::listen_address(&model.arg(*one, 0)?)?,
        _ => return None,
    };
    if model.include_failed_at(Some(server)) {
        return None;
    }
    // nginx builds the hash only for an address shared by several servers.
    let shared = shared.get_or_insert_with(|| servers_per_address(cx));
    if shared
        .get(&(node.context, addr.clone()))
        .copied()
        .unwrap_or(0)
        < 2
    {
        return None;
    }
    let tok = node.directive.arg_tokens().nth(i)?;
    let shown = name.to_ascii_lowercase();
    Some(
        Diagnostic::new(
            &RULE,
            Label::new(model.file_of(id), tok.span(), "nginx's server name hash refuses this"),
            format!("invalid server name or wildcard \"{shown}\" on {addr}"),
        )
        .help("a wildcard is one `*` at the start (`*.example.com`) or the end (`www.example.*`); use a regex (`~^www\\..+\\.example\\.com$`) for others"),
    )
}

#[cfg(test)]
mod tests {
    use super::name_error;

    #[test]
    fn names_as_nginx_reads_them() {
        for ok in [
            "example.com",
            "*.example.com",
            ".example.com",
            "www.example.*",
            "",
            "_",
            "~^a$",
        ] {
            assert_eq!(name_error(ok), None, "{ok}");
        }
        for bad in ["*example.com", "*", "*.", ".", "~"] {
            assert!(name_error(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn wildcards_as_nginx_hashes_them() {
        use super::hash_declines;
        for ok in [
            "example.com",
            "*.example.com",
            ".example.com",
            "www.example.*",
            "_",
            "",
        ] {
            assert!(!hash_declines(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "www.*.example.com",
            "*.example.*",
            "example..com",
            "w*w.example.com",
        ] {
            assert!(hash_declines(bad.as_bytes()), "{bad}");
        }
    }
}
