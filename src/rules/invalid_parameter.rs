//! `invalid-parameter`: an argument an http directive's own handler refuses after the argument
//! count has passed: `proxy_cache_path` parameters (`invalid "levels"`, `keys zone ... is too
//! small`, `must have "keys_zone" parameter`), `*_cache_valid` statuses and times,
//! `limit_req_zone`/`limit_conn_zone`/`limit_req`/`limit_conn` values, `error_page` codes,
//! `return` codes, `rewrite` flags, a `try_files` `=code`, `add_header ... always`,
//! `access_log`/`open_file_cache`/`open_log_file_cache` parameters, `allow`/`deny` networks,
//! upstream `server`/`keepalive`/`hash`/`random`/`zone` parameters, variable names of
//! `map`/`geo`/`split_clients`/`set`, `map` entries, `location` modifiers, `limit_except`
//! methods, `proxy_pass` schemes, `*_store`/`*_param`/`*_bind`/`proxy_redirect`/`proxy_cookie_*`
//! forms, `fastcgi_split_path_info` captures, `index`, `sub_filter` (empty, more than 255 in a
//! block), `disable_symlinks` and pool sizes, `log_format` `escape=`, `http2_chunk_size 0`,
//! `modern_browser` names and versions, and the dynamic modules' `image_filter*` values,
//! `geoip_*` parameters and `geoip_proxy` networks, and `degradation`. The checks and their
//! nginx sources are the
//! table of `semantics::http_values`; each finding is nginx's own first message.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::directives::args;
use crate::semantics::http_values::{
    Env, GeoRanges, geo_entry_error, geo_range_bounds, geo_range_error, map_entry_error,
    wildcard_refused,
};
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;
use crate::syntax::End;

pub static RULE: Rule = Rule {
    id: "invalid-parameter",
    summary: "an argument an http directive's handler refuses, such as `keys_zone=c:4k` or `return $code` (nginx: invalid parameter, invalid value...)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-parameter.md"),
    check,
};

/// Directives of an `upstream` block that leave every `server` parameter available.
const NOT_BALANCERS: &[&str] = &[
    "server",
    "zone",
    "keepalive",
    "keepalive_timeout",
    "keepalive_requests",
    "keepalive_time",
    "resolver",
    "resolver_timeout",
    "state",
];

/// Directives whose stream handler makes the same checks, in the same words, as the http one
/// (compared line by line at 3f6f7824d: `ngx_stream_limit_conn_zone`, `ngx_stream_limit_conn`,
/// `ngx_stream_access_rule`, `ngx_stream_upstream_zone`, `ngx_stream_upstream_hash`,
/// `ngx_stream_upstream_random`, `ngx_stream_log_open_file_cache`, and the `$` test of
/// `ngx_stream_map_block`, `ngx_stream_geo_block`, `ngx_conf_split_clients_block`,
/// `ngx_stream_set`).
const STREAM_SAME: &[&str] = &[
    "limit_conn_zone",
    "limit_conn",
    "allow",
    "deny",
    "map",
    "geo",
    "split_clients",
    "set",
    "zone",
    "hash",
    "random",
    "open_log_file_cache",
    // `ngx_stream_log_set_log` is http's but for the format, which stream must name.
    "access_log",
    // `ngx_stream_proxy_bind` is `ngx_http_upstream_bind_set_slot` line for line.
    "proxy_bind",
    // `ngx_stream_upstream_server` is http's without `route=` and `drain` (not judged here).
    "server",
    // `ngx_stream_log_compile_format`'s `escape=` test is http's line for line.
    "log_format",
    // `ngx_stream_upstream_least_time` tests `inflight` as http's does.
    "least_time",
    // `ngx_stream_geoip_country`/`_org`/`_city` test `utf8` as http's do.
    "geoip_country",
    "geoip_org",
    "geoip_city",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut out = check_part(cx);
    let found = !out.is_empty();
    out.extend(check_after_parts(cx, found));
    out
}

/// The checks of one directive at a time (each value, each `map` and `geo` block's entries):
/// run part by part on a large configuration (`rules::BY_PART`).
pub(super) fn check_part(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // The `log_format` names of a context, lowercased, gathered on the first question (a pass
    // over every `log_format` for each `access_log` was quadratic: 20,000 of each, 3.2 s).
    let (http_formats, stream_formats) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    let formats_of = |context: Context| -> std::collections::HashSet<Vec<u8>> {
        model
            .directives_named("log_format")
            .iter()
            .filter(|&&l| model.node(l).context == context)
            .filter_map(|&l| model.arg_str(l, 0))
            .map(|n| n.as_bytes().to_ascii_lowercase())
            .collect()
    };
    let known_format = |f: &[u8]| {
        f == b"combined"
            || http_formats
                .get_or_init(|| formats_of(Context::Http))
                .contains(&f.to_ascii_lowercase())
    };
    // Stream has no predefined format: only its own `log_format`s.
    let known_stream_format = |f: &[u8]| {
        stream_formats
            .get_or_init(|| formats_of(Context::Stream))
            .contains(&f.to_ascii_lowercase())
    };
    let mut values: Vec<std::borrow::Cow<'_, [u8]>> = Vec::new();
    let mut balancers = foldhash::HashMap::default();
    for check in crate::semantics::http_values::CHECKS {
        for &name in check.directives {
            for &id in cx.directives_named(name) {
                let node = model.node(id);
                let Some(spec) = model.spec(id) else { continue };
                let module_checked = spec.module.starts_with("http")
                    || (spec.module.starts_with("stream") && STREAM_SAME.contains(&name));
                if !is_nginx(model, id)
                    || !module_checked
                    || !spec.exists_in(cx.version)
                    || (name == "server"
                        && !matches!(
                            node.context,
                            Context::HttpUpstream | Context::StreamUpstream
                        ))
                {
                    continue;
                }
                let terminated = match node.directive.end() {
                    End::Semicolon(_) => !spec.is_block(),
                    End::Block(_) => spec.is_block(),
                    End::Missing => false,
                };
                if !terminated {
                    continue; // syntax-error, reported first
                }
                // One buffer for every directive's values (two allocations each otherwise).
                values.clear();
                values.extend(node.directive.args(model.src(id)));
                if !args::accepts(spec.args_at(cx.version), values.len()) {
                    continue; // invalid-arguments, reported first
                }
                // The checks take plain slices: on the stack for the usual few arguments.
                let mut few: [&[u8]; 8] = [b""; 8];
                let many: Vec<&[u8]>;
                let vals: &[&[u8]] = if values.len() <= few.len() {
                    for (slot, v) in few.iter_mut().zip(&values) {
                        *slot = v;
                    }
                    &few[..values.len()]
                } else {
                    many = values.iter().map(|v| &**v).collect();
                    &many
                };
                let env = Env {
                    name,
                    version: cx.version,
                    balancer_before: if name == "server" {
                        balancer_before(model, id, &mut balancers)
                    } else {
                        None
                    },
                    known_format: if matches!(node.context, Context::Stream | Context::StreamServer)
                    {
                        &known_stream_format
                    } else {
                        &known_format
                    },
                };
                let Some(bad) = (check.check)(vals, &env) else {
                    continue;
                };
                let d = match bad.arg.and_then(|i| node.directive.arg_tokens().nth(i)) {
                    Some(tok) => Diagnostic::new(
                        &RULE,
                        Label::new(model.file_of(id), tok.span(), "nginx refuses this"),
                        bad.message,
                    ),
                    None => Diagnostic::at_node(&RULE, model, id, bad.message),
                };
                out.push(d.help(check.help));
            }
        }
    }
    // `proxy_redirect default` placed before (or without) its block's `proxy_pass` is
    // `proxy-redirect-default`'s, with the other relations of that directive.
    // `map` entries: one value per key (nginx's `map` block handler).
    for &map in cx.directives_named("map") {
        let node = model.node(map);
        // The stream `map` block handler is http's line for line (ngx_stream_map).
        if !matches!(node.context, Context::Http | Context::Stream) || !is_nginx(model, map) {
            continue;
        }
        let mut hostnames = false;
        for &e in model.children(map) {
            let entry = model.node(e);
            if entry.context != Context::Entries
                || !matches!(entry.directive.end(), End::Semicolon(_))
            {
                continue;
            }
            let key = model.name(e).as_bytes();
            let count = model.arg_count(e);
            if key == b"hostnames" && count == 0 {
                hostnames = true;
            }
            // With `hostnames`, keys are host names with wildcards (http/modules/
            // ngx_http_map_module.c:579); a leading backslash is dropped first.
            let wildcard = || {
                let k = key.strip_prefix(b"\\").unwrap_or(key);
                (hostnames
                    && count == 1
                    && !key.starts_with(b"~")
                    && !matches!(key, b"default" | b"include")
                    && wildcard_refused(k))
                .then(|| {
                    format!(
                        "invalid hostname or wildcard \"{}\"",
                        String::from_utf8_lossy(k)
                    )
                })
            };
            if let Some(message) = map_entry_error(key, count).or_else(wildcard) {
                out.push(
                    Diagnostic::at_node(&RULE, model, e, message).help(
                        "a `map` entry is `KEY VALUE;` (quote a key or value that has spaces); after `hostnames`, keys are names such as `*.example.com`, `.example.com` or `www.example.*`",
                    ),
                );
            }
        }
    }
    // `geo` entries: one value per key; `ranges` first.
    for &geo in cx.directives_named("geo") {
        let node = model.node(geo);
        // The stream `geo` block handler is http's without `proxy`/`proxy_recursive`.
        if !matches!(node.context, Context::Http | Context::Stream) || !is_nginx(model, geo) {
            continue;
        }
        let mut entries_before = false;
        let mut ranges = false;
        // The ranges so far, while nginx's table can be followed (not after `delete` or
        // `include`).
        let mut table = Some(GeoRanges::default());
        for &e in model.children(geo) {
            let entry = model.node(e);
            if entry.context != Context::Entries
                || !matches!(entry.directive.end(), End::Semicolon(_))
            {
                continue;
            }
            let key = model.name(e).as_bytes();
            let count = model.arg_count(e);
            let range_error = || {
                let value = model.args(e);
                geo_range_error(key, value.first().map_or(&[][..], |v| &**v))
            };
            if let Some(message) =
                geo_entry_error(key, count, entries_before, cx.version).or_else(|| {
                    if ranges && count == 1 {
                        range_error()
                    } else {
                        None
                    }
                })
            {
                out.push(
                    Diagnostic::at_node(&RULE, model, e, message).help(
                        "a `geo` entry is `NETWORK VALUE;`; `ranges` comes first; quote a value that has spaces",
                    ),
                );
                break; // nginx stops at the first
            }
            if ranges && count == 1 {
                if matches!(key, b"delete" | b"include") {
                    table = None;
                } else if let (Some(t), Some((from, to))) = (table.as_mut(), geo_range_bounds(key))
                    && let Some(message) = t.add(model.name(e), from, to)
                {
                    out.push(Diagnostic::at_node(&RULE, model, e, message).help(
                        "nginx takes a range inside an earlier one, or one starting or ending where it does, but not one crossing an earlier range's edge: split the range at the earlier one's bounds",
                    ));
                    break;
                }
            }
            if key == b"ranges" && count == 0 {
                ranges = true;
            }
            if !matches!(
                key,
                b"proxy_recursive" | b"volatile" | b"proxy" | b"include" | b"ranges"
            ) {
                entries_before = true;
            }
        }
    }
    out
}

/// The checks of the whole model, after [`check_part`]'s (`found`: whether they found
/// anything): `sub_filter` lines counted per block, and `valid_referers` judged when nginx
/// merges the blocks, which it reaches only if reading found no error.
pub(super) fn check_after_parts(cx: &LintContext<'_>, found: bool) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // `sub_filter`: at most 255 in one block (`ngx_http_sub_filter`, http/modules/
    // ngx_http_sub_filter_module.c:817): the block's own list, which merging only inherits
    // whole, so lines of outer blocks do not count.
    let mut per_block: std::collections::HashMap<Option<NodeId>, usize> =
        std::collections::HashMap::new();
    for &id in model.directives_named("sub_filter") {
        let node = model.node(id);
        if !is_nginx(model, id)
            || model.arg_count(id) != 2
            || !matches!(node.directive.end(), End::Semicolon(_))
            || model.arg(id, 0).is_none_or(|a| a.is_empty())
        {
            continue;
        }
        let n = per_block.entry(node.parent()).or_default();
        *n += 1;
        if *n == 256 {
            out.push(
                Diagnostic::at_node(&RULE, model, id, "number of search patterns exceeds 255")
                    .help("one block takes at most 255 `sub_filter` lines: split the replacements between locations, or rewrite the body upstream"),
            );
        }
    }
    // `valid_referers` with `none`/`blocked` but no host name to compare with (regexes do not
    // count): `ngx_http_referer_merge_conf`, http/modules/ngx_http_referer_module.c:380. The
    // lines of one block add up; `server_names` brings the server's names (not judged here).
    let mut blocks: Vec<(Option<NodeId>, NodeId, bool, bool)> = Vec::new();
    for &id in model.directives_named("valid_referers") {
        let node = model.node(id);
        if !is_nginx(model, id)
            || !matches!(
                node.context,
                Context::Http | Context::HttpServer | Context::HttpLocation
            )
        {
            continue;
        }
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let special = args.iter().any(|a| a == "none" || a == "blocked");
        let hosts = args
            .iter()
            .any(|a| !matches!(a.as_str(), "none" | "blocked") && !a.starts_with('~'));
        match blocks.iter_mut().find(|b| b.0 == node.parent()) {
            Some(b) => {
                b.2 |= special;
                b.3 |= hosts;
            }
            None => blocks.push((node.parent(), id, special, hosts)),
        }
    }
    // Checked when nginx merges the blocks, after reading them all: not reached past an
    // error found while reading.
    let read_cleanly = !found && out.is_empty();
    for (_, first, special, hosts) in blocks {
        if special && !hosts && read_cleanly {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    first,
                    "the \"none\" or \"blocked\" referers are specified in the \"valid_referers\" directive without any valid referer",
                )
                .help("name the hosts allowed to refer (`example.com`, `*.example.com`, or `server_names`): `none` and `blocked` only add to them, and regexes do not count here"),
            );
        }
    }
    out
}

/// The last balancing directive before `server` node `id` in its upstream block. `seen`
/// keeps, per block, how far its children were read and the last balancer among them: the
/// servers of a block come in order, so each child is read once (reading every earlier
/// child for each server was quadratic: 40,000 servers in one block, 2.1 s).
fn balancer_before<'m>(
    model: &'m crate::semantics::model::Model<'_>,
    id: NodeId,
    seen: &mut foldhash::HashMap<NodeId, (usize, Option<&'m str>)>,
) -> Option<&'m str> {
    let parent = model.node(id).parent()?;
    let children = model.children(parent);
    let balancer = |&c: &NodeId| Some(model.name(c)).filter(|n| !NOT_BALANCERS.contains(n));
    let at = children.partition_point(|&c| c < id);
    // A block of a few lines (almost every one) is read again rather than kept.
    let kept = children.len() > 64;
    let (from, before) = match kept.then(|| seen.get(&parent)).flatten() {
        Some(&(read, last)) if read <= at => (read, last),
        _ => (0, None),
    };
    let last = children[from..at]
        .iter()
        .filter_map(balancer)
        .last()
        .or(before);
    if kept {
        seen.insert(parent, (at, last));
    }
    last
}
