//! `invalid-buffer-sizes`: `proxy_buffers`, `proxy_buffer_size`, `proxy_busy_buffers_size`,
//! `proxy_temp_file_write_size` and `proxy_max_temp_file_size` (and their `fastcgi_`, `uwsgi_`,
//! `scgi_` twins) that do not fit together in a `server` or `location`, as nginx checks them
//! when it merges each block's settings (`ngx_http_proxy_merge_loc_conf`...): the classic
//! `proxy_buffer_size 64k;` alone makes the default busy size (twice the larger buffer)
//! exceed the default `proxy_buffers 8 4k` minus one buffer. Also, per `server`,
//! `large_client_header_buffers` smaller than `connection_pool_size`
//! (`ngx_http_core_merge_srv_conf`).
//!
//! nginx merges every `server`, `location`, `if` and `limit_except` block whether it proxies
//! or not, and reports at the end of the `http` block. Defaults are those of a system with
//! 4 KiB memory pages (x86-64, most arm64). Checked only on a whole program read from
//! `nginx.conf` (a fragment may inherit its sizes from a parent the linter does not see).

use std::collections::HashSet;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::complete;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::values::{atoi, parse_size};

pub static RULE: Rule = Rule {
    id: "invalid-buffer-sizes",
    summary: "proxy/fastcgi/uwsgi/scgi buffer sizes that do not fit together, such as `proxy_buffer_size 64k` alone (nginx: \"proxy_busy_buffers_size\" must be less than...)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-buffer-sizes.md"),
    check,
};

/// The modules whose `merge_loc_conf` makes these checks, in nginx's module order, with the
/// lines of its `NGX_LOG_EMERG` calls (nginx 3f6f7824d; the same checks in 1.22.1).
const MODULES: &[(&str, &str)] = &[
    ("proxy", "http/modules/ngx_http_proxy_module.c:3754-3831"),
    (
        "fastcgi",
        "http/modules/ngx_http_fastcgi_module.c:3088-3166",
    ),
    ("uwsgi", "http/modules/ngx_http_uwsgi_module.c:1758-1836"),
    ("scgi", "http/modules/ngx_http_scgi_module.c:1493-1571"),
];

/// The directives of each module that take part, after its prefix.
const SIZES: &[&str] = &[
    "buffer_size",
    "buffers",
    "busy_buffers_size",
    "temp_file_write_size",
    "max_temp_file_size",
];

/// `ngx_pagesize` on a system with 4 KiB pages: the default buffer size.
const PAGE: i64 = 4096;

/// A size as in effect at a block: its value, and the directive that set it (`None`: default).
type Set = (i64, Option<NodeId>);

/// The effective single size `name` at `block`; `Err` when nginx cannot read it (another
/// rule's finding).
fn size(model: &Model<'_>, block: NodeId, name: &str) -> Result<Option<Set>, ()> {
    let eff = model.effective(Some(block), name);
    let Some(&n) = eff.nodes.last() else {
        return Ok(None);
    };
    let v = model.arg(n, 0).ok_or(())?;
    parse_size(v.as_bytes())
        .map(|s| Some((s, Some(n))))
        .ok_or(())
}

fn human(n: i64) -> String {
    if n % (1 << 20) == 0 {
        format!("{}m", n >> 20)
    } else if n % 1024 == 0 {
        format!("{}k", n >> 10)
    } else {
        n.to_string()
    }
}

/// nginx's first merge error for module `p` at `block`: (message, blamed directive, help).
fn merge_error(
    model: &Model<'_>,
    block: NodeId,
    p: &str,
) -> Option<(String, Option<NodeId>, String)> {
    let buffer_size = size(model, block, &format!("{p}_buffer_size"))
        .ok()?
        .unwrap_or((PAGE, None));
    let bufs = model.effective(Some(block), &format!("{p}_buffers"));
    let (num, one, bufs_node) = match bufs.nodes.last() {
        Some(&n) => (
            atoi(model.arg(n, 0)?.as_bytes())?,
            parse_size(model.arg(n, 1)?.as_bytes())?,
            Some(n),
        ),
        None => (8, PAGE, None),
    };
    let busy = size(model, block, &format!("{p}_busy_buffers_size")).ok()?;
    let write = size(model, block, &format!("{p}_temp_file_write_size")).ok()?;
    let max_temp = size(model, block, &format!("{p}_max_temp_file_size")).ok()?;

    let said = |what: &str, v: String, n: Option<NodeId>| match n {
        Some(_) => format!("`{what}` is {v}"),
        None => format!("`{what}` is {v} (the default)"),
    };
    let bufs_text = said(
        &format!("{p}_buffers"),
        format!("{num} {}", human(one)),
        bufs_node,
    );
    let size_text = said(
        &format!("{p}_buffer_size"),
        human(buffer_size.0),
        buffer_size.1,
    );

    if num < 2 {
        return Some((
            format!("there must be at least 2 \"{p}_buffers\""),
            bufs_node,
            format!("{bufs_text}: give at least 2 buffers"),
        ));
    }
    let larger = buffer_size.0.max(one);
    // What makes `larger`: the directive that sets the larger of the two.
    let larger_node = if buffer_size.0 >= one {
        buffer_size.1.or(bufs_node)
    } else {
        bufs_node.or(buffer_size.1)
    };
    let (busy_v, busy_node) = busy.unwrap_or((2 * larger, None));
    let busy_text = match busy {
        Some(_) => format!("`{p}_busy_buffers_size` is {}", human(busy_v)),
        None => format!(
            "`{p}_busy_buffers_size` is {} (by default twice the larger of the two)",
            human(busy_v)
        ),
    };
    let max_of =
        format!("the maximum of the value of \"{p}_buffer_size\" and one of the \"{p}_buffers\"");
    if busy_v < larger {
        return Some((
            format!("\"{p}_busy_buffers_size\" must be equal to or greater than {max_of}"),
            busy_node.or(larger_node),
            format!("{busy_text}; {size_text}, {bufs_text}"),
        ));
    }
    if busy_v > (num - 1) * one {
        return Some((
            format!(
                "\"{p}_busy_buffers_size\" must be less than the size of all \"{p}_buffers\" minus one buffer"
            ),
            busy_node.or(larger_node),
            format!(
                "{busy_text}, more than {} ({num} - 1 buffers of {}); {size_text}: raise `{p}_buffers` (such as `{p}_buffers {} {}`) or lower the others",
                human((num - 1) * one),
                human(one),
                // Enough buffers of the larger size to hold the busy size plus one.
                ((busy_v + larger - 1) / larger + 1).max(8),
                human(larger),
            ),
        ));
    }
    let (write_v, write_node) = write.unwrap_or((2 * larger, None));
    if write_v < larger {
        return Some((
            format!("\"{p}_temp_file_write_size\" must be equal to or greater than {max_of}"),
            write_node.or(larger_node),
            format!(
                "`{p}_temp_file_write_size` is {}; {size_text}, {bufs_text}",
                human(write_v)
            ),
        ));
    }
    if let Some((m, n)) = max_temp
        && m != 0
        && m < larger
    {
        return Some((
            format!(
                "\"{p}_max_temp_file_size\" must be equal to zero to disable temporary files usage or must be equal to or greater than {max_of}"
            ),
            n,
            format!(
                "`{p}_max_temp_file_size` is {}; {size_text}, {bufs_text}: use 0 or at least {}",
                human(m),
                human(larger)
            ),
        ));
    }
    None
}

/// `connection_pool_size`'s default, `64 * sizeof(void *)` on 64-bit systems.
const CONNECTION_POOL: i64 = 512;

/// `ngx_http_core_merge_srv_conf` (http/ngx_http_core_module.c:3593): one of the
/// `large_client_header_buffers` must hold at least `connection_pool_size`.
fn header_buffers_error(
    model: &Model<'_>,
    server: NodeId,
) -> Option<(String, Option<NodeId>, String)> {
    let pool = size(model, server, "connection_pool_size")
        .ok()?
        .unwrap_or((CONNECTION_POOL, None));
    let lcb = model.effective(Some(server), "large_client_header_buffers");
    let (one, lcb_node) = match lcb.nodes.last() {
        Some(&n) => (parse_size(model.arg(n, 1)?.as_bytes())?, Some(n)),
        None => (8192, None),
    };
    (one < pool.0).then(|| {
        (
            "the \"large_client_header_buffers\" size must be equal to or greater than \"connection_pool_size\"".to_owned(),
            lcb_node.or(pool.1),
            format!(
                "a `large_client_header_buffers` buffer is {}, `connection_pool_size` is {}{}",
                human(one),
                human(pool.0),
                if pool.1.is_none() { " (the default)" } else { "" }
            ),
        )
    })
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    if !complete(model) {
        return out;
    }
    // Every block nginx merges a location configuration for: servers and, below them,
    // locations, `if` blocks and `limit_except` blocks.
    let blocks = model.nodes.iter().enumerate().filter(|&(i, n)| {
        n.directive.block().is_some()
            && model.spec(i as NodeId).is_some()
            && match model.name(i as NodeId) {
                "server" => n.context == Context::Http,
                "location" | "if" | "limit_except" => matches!(
                    n.context,
                    Context::HttpServer
                        | Context::HttpLocation
                        | Context::HttpServerIf
                        | Context::HttpLocationIf
                ),
                _ => false,
            }
    });
    // With only defaults nothing can be wrong: check the modules (and the header buffers)
    // whose sizes the configuration sets somewhere.
    let set = |name: &str| !model.directives_named(name).is_empty();
    let modules: Vec<&str> = MODULES
        .iter()
        .map(|&(p, _)| p)
        .filter(|p| SIZES.iter().any(|suffix| set(&format!("{p}_{suffix}"))))
        .collect();
    let headers = set("large_client_header_buffers") || set("connection_pool_size");
    if modules.is_empty() && !headers {
        return out;
    }
    let mut seen = HashSet::new();
    for (i, _) in blocks {
        let block = i as NodeId;
        if headers
            && model.name(block) == "server"
            && let Some((message, blamed, help)) = header_buffers_error(model, block)
            && seen.insert((message.clone(), blamed))
        {
            let d = match blamed {
                Some(b) => Diagnostic::new(&RULE, Label::at_node(model, b, "set here"), message),
                None => Diagnostic::at_node(&RULE, model, block, message),
            };
            out.push(d.help(format!(
                "{help} (nginx reports this at the end of the `http` block)"
            )));
        }
        for &p in &modules {
            let Some((message, blamed, help)) = merge_error(model, block, p) else {
                continue;
            };
            if !seen.insert((message.clone(), blamed)) {
                continue;
            }
            let d = match blamed {
                Some(n) => Diagnostic::new(&RULE, Label::at_node(model, n, "set here"), message),
                None => Diagnostic::at_node(&RULE, model, block, message),
            };
            out.push(d.help(format!(
                "{help} (nginx reports this at the end of the `http` block)"
            )));
        }
    }
    out
}
