//! `duplicate-zone`: a shared-memory zone declared twice in ways nginx refuses. Zones are
//! global and nginx checks each declaration and use as it reads it (`ngx_shared_memory_add`):
//!
//! - used by two modules (`limit_req_zone ... zone=one` and `limit_conn one`):
//!   `the shared memory zone "one" is already declared for a different use`;
//! - declared with two sizes: `the size 20971520 of shared memory zone "addr" conflicts with
//!   already declared size 10485760`;
//! - a `limit_conn_zone`/`limit_req_zone` declared twice: `limit_req_zone "one" is already
//!   bound to key "$binary_remote_addr"`;
//! - a cache `keys_zone` declared twice: `duplicate zone "api"`.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "duplicate-zone",
    summary: "a shared-memory zone declared twice, with two sizes, or used by two modules (nginx: conflicts with already declared size, already declared for a different use)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-zone.md"),
    check,
};

/// What a directive does to a zone.
enum Use {
    /// `limit_*_zone KEY zone=NAME:SIZE`: declares it and binds it to a key.
    Limit { key: String },
    /// `*_cache_path ... keys_zone=NAME:SIZE`.
    Cache,
    /// `ssl_session_cache shared:NAME:SIZE` (may repeat).
    Shared,
    /// `limit_conn NAME`, `limit_req zone=NAME`, `proxy_cache NAME`: size 0.
    Reference,
}

/// `ngx_parse_size`: bytes, or a number with k/K, m/M, g/G.
fn parse_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], 1024),
        b'm' | b'M' => (&s[..s.len() - 1], 1024 * 1024),
        b'g' | b'G' => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    num.parse::<u64>().ok()?.checked_mul(mult)
}

/// `NAME:SIZE` → (name, size).
fn name_size(v: &str) -> Option<(String, u64)> {
    let (name, size) = v.split_once(':')?;
    Some((name.to_owned(), parse_size(size)?))
}

/// The zone node `id` declares or uses: (name, size, module tag, use).
/// The directives that declare or use a shared memory zone.
const ZONE_DIRECTIVES: &[&str] = &[
    "limit_conn_zone",
    "limit_req_zone",
    "limit_conn",
    "limit_req",
    "proxy_cache_path",
    "fastcgi_cache_path",
    "uwsgi_cache_path",
    "scgi_cache_path",
    "proxy_cache",
    "fastcgi_cache",
    "uwsgi_cache",
    "scgi_cache",
    "ssl_session_cache",
];

fn zone_of(cx: &LintContext<'_>, id: NodeId) -> Option<(String, u64, String, Use)> {
    let model = cx.model;
    let node = model.node(id);
    let stream = matches!(node.context, Context::Stream | Context::StreamServer);
    // Only these directives declare or use a zone: the others' arguments are not read.
    if !ZONE_DIRECTIVES.contains(&model.name(id)) {
        return None;
    }
    let args: Vec<String> = (0..model.arg_count(id))
        .filter_map(|i| model.arg(id, i))
        .collect();
    let param = |p: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(p).map(str::to_owned))
    };
    let name = model.name(id);
    let tag = |t: &str| {
        if stream {
            format!("stream_{t}")
        } else {
            t.to_owned()
        }
    };
    match name {
        "limit_conn_zone" | "limit_req_zone" => {
            let (z, size) = name_size(&param("zone=")?)?;
            let key = args.first()?.clone();
            Some((z, size, tag(&name[..name.len() - 5]), Use::Limit { key }))
        }
        "limit_conn" => Some((args.first()?.clone(), 0, tag("limit_conn"), Use::Reference)),
        "limit_req" => Some((param("zone=")?, 0, tag("limit_req"), Use::Reference)),
        "proxy_cache_path" | "fastcgi_cache_path" | "uwsgi_cache_path" | "scgi_cache_path" => {
            let (z, size) = name_size(&param("keys_zone=")?)?;
            Some((z, size, name.split('_').next()?.to_owned(), Use::Cache))
        }
        "proxy_cache" | "fastcgi_cache" | "uwsgi_cache" | "scgi_cache" => {
            let z = args.first()?.clone();
            (z != "off" && !z.contains('$')).then(|| {
                (
                    z,
                    0,
                    name.split('_').next().unwrap_or(name).to_owned(),
                    Use::Reference,
                )
            })
        }
        "ssl_session_cache" => {
            let spec = args.iter().find_map(|a| a.strip_prefix("shared:"))?;
            let (z, size) = name_size(spec)?;
            Some((z, size, tag("ssl"), Use::Shared))
        }
        _ => None,
    }
}

struct Zone {
    tag: String,
    size: u64,
    first: NodeId,
    /// Set by the first declaration (`limit_*_zone` key, or `""` for a cache).
    bound: Option<String>,
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut zones: HashMap<String, Zone> = HashMap::new();
    let mut out = Vec::new();
    // The directives that declare or use a zone, in walk order (a pass over every directive
    // asked each its table entry and name: 9 ms at 50 MB of configuration without one).
    for id in cx.directives_named_any(ZONE_DIRECTIVES) {
        if !is_nginx(model, id) {
            continue;
        }
        let Some((name, size, tag, what)) = zone_of(cx, id) else {
            continue;
        };
        let Some(z) = zones.get_mut(&name) else {
            let bound = match &what {
                Use::Limit { key } => Some(key.clone()),
                Use::Cache => Some(String::new()),
                _ => None,
            };
            zones.insert(
                name,
                Zone {
                    tag,
                    size,
                    first: id,
                    bound,
                },
            );
            continue;
        };
        let f = model.node(z.first);
        let earlier = Label::new(
            model.file_of(z.first),
            f.directive.head_span(),
            "the zone first appears here",
        );
        let message = if z.tag != tag {
            Some(format!(
                "the shared memory zone \"{name}\" is already declared for a different use"
            ))
        } else if z.size != 0 && size != 0 && size != z.size {
            Some(format!(
                "the size {size} of shared memory zone \"{name}\" conflicts with already declared size {}",
                z.size
            ))
        } else {
            if z.size == 0 {
                z.size = size;
            }
            match (&what, &z.bound) {
                (Use::Limit { .. }, Some(key)) => Some(format!(
                    "{} \"{name}\" is already bound to key \"{key}\"",
                    model.name(id)
                )),
                (Use::Cache, Some(_)) => Some(format!("duplicate zone \"{name}\"")),
                (Use::Limit { key }, None) => {
                    z.bound = Some(key.clone());
                    None
                }
                (Use::Cache, None) => {
                    z.bound = Some(String::new());
                    None
                }
                _ => None,
            }
        };
        if let Some(message) = message {
            out.push(
                Diagnostic::at_node(&RULE, model, id, message)
                    .label(earlier)
                    .help("zone names are global: give each zone one declaration, one size and one module"),
            );
        }
    }
    out
}
