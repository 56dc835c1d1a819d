//! `proxy-headers-hash`: the hash nginx builds of the header names a level's `proxy_set_header`
//! list sends (`ngx_http_proxy_init_headers`, src/http/modules/ngx_http_proxy_module.c, once
//! per distinct list, when the configuration is merged). Its keys are the list's names as
//! written, repeats included, then nginx's own headers the list does not name (`Host`,
//! `Connection`, `Content-Length`...). A name set twice puts two elements in one bucket: two
//! names of 15 to 22 bytes (`X-Forwarded-Host`, `X-Forwarded-Proto`) fill the default 64-byte
//! bucket whatever the table size, and nginx warns `could not build optimal
//! proxy_headers_hash, you should increase either proxy_headers_hash_max_size: 512 or
//! proxy_headers_hash_bucket_size: 64; ignoring proxy_headers_hash_bucket_size` (measured with
//! nginx 1.22.1). A name of 47 bytes or more does not fit at all: nginx refuses to start.
//! The arithmetic is `semantics::hash`'s.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::directives::Version;
use crate::semantics::hash::{CACHELINE, Refusal, align, bucket_needed, optimal, refusal};
use crate::semantics::model::NodeId;
use crate::semantics::values::{atoi, parse_size};

pub static RULE: Rule = Rule {
    id: "proxy-headers-hash",
    summary: "the names a `proxy_set_header` list sends do not fit nginx's proxy_headers_hash: a name set twice (nginx warns: could not build optimal proxy_headers_hash) or one too long (nginx refuses)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/proxy-headers-hash.md"),
    check,
};

/// 1.31.0 added `Proxy-Connection` to the headers nginx sets itself.
const PROXY_CONNECTION_SINCE: Version = Version(1, 31, 0);
/// From 1.31.4 a `Host` line is kept apart (nginx's own `Host` entry stays in the hash).
const HOST_APART_SINCE: Version = Version(1, 31, 4);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let lines = cx.directives_named("proxy_set_header");
    let mut out = Vec::new();
    if lines.is_empty() {
        return out;
    }
    // Each level with a list of its own (its lines are its children), judged where its first
    // line is (run by part, each level once: in the part holding that line).
    let levels = lines.iter().filter_map(|&n| {
        let level = model.node(n).parent()?;
        let own = model.children_named_slice(Some(level), "proxy_set_header");
        (own.first() == Some(&n)).then_some(level)
    });
    let defaults = defaults(cx.version);
    let sized = [
        "proxy_headers_hash_bucket_size",
        "proxy_headers_hash_max_size",
    ]
    .iter()
    .any(|n| !model.directives_named(n).is_empty());
    let mut memo = Memo::default();
    for level in levels {
        if let Some(d) = check_level(cx, level, &defaults, sized, &mut memo) {
            out.push(d);
        }
    }
    out
}

/// Verdicts by list: thousands of locations often carry the same list, each distinct one is
/// hashed once. Keyed by the names as written (borrowed from the source), so a list seen
/// before costs a lookup, not a hash of every name.
#[derive(Default)]
struct Memo<'p> {
    verdicts: foldhash::HashMap<Vec<&'p str>, bool>,
    names: Vec<&'p str>,
}

/// The hash's keys, as `ngx_http_proxy_init_headers` lists them: the level's header names as
/// written (repeats kept, lowercased as `ngx_hash_key_lc` hashes them), then nginx's own
/// headers the list does not name.
fn key_names(cx: &LintContext<'_>, own: &[NodeId], defaults: &[&str]) -> Vec<String> {
    let model = cx.model;
    let mut keys: Vec<String> = own
        .iter()
        .filter_map(|&n| model.arg_str(n, 0))
        .filter(|name| !(cx.version >= HOST_APART_SINCE && name.eq_ignore_ascii_case("host")))
        .map(|name| name.to_ascii_lowercase())
        .collect();
    let listed = keys.len();
    for &d in defaults {
        if !keys[..listed].iter().any(|k| k == d) {
            keys.push(d.to_owned());
        }
    }
    keys
}

/// The headers nginx sets itself at version `v` (`ngx_http_proxy_headers`), lowercased.
fn defaults(v: Version) -> Vec<&'static str> {
    let mut d = crate::semantics::headers::PROXY_SETS_ITSELF.to_vec();
    if v >= PROXY_CONNECTION_SINCE {
        // Right after `Connection`, where nginx's table has it.
        d.insert(2, "proxy-connection");
    }
    d
}

fn check_level<'p>(
    cx: &LintContext<'p>,
    level: NodeId,
    defaults: &[&'static str],
    sized: bool,
    memo: &mut Memo<'p>,
) -> Option<Diagnostic> {
    let model = cx.model;
    let own = model.children_named_slice(Some(level), "proxy_set_header");
    let first = *own.first()?;
    // Only the default sizes make a list's verdict its own: with `proxy_headers_hash_*` lines
    // the level's sizes count too.
    let (bucket, max) = if sized {
        let setting = |name: &str| {
            model
                .effective(Some(level), name)
                .nodes
                .first()
                .and_then(|&n| model.arg_str(n, 0))
        };
        (
            align(
                setting("proxy_headers_hash_bucket_size")
                    .and_then(|v| parse_size(v.as_bytes()))
                    .unwrap_or(64),
                CACHELINE,
            ),
            setting("proxy_headers_hash_max_size")
                .and_then(|v| atoi(v.as_bytes()))
                .unwrap_or(512),
        )
    } else {
        (64, 512)
    };
    memo.names.clear();
    let mut borrowed = true;
    for &n in own {
        match model.arg_str(n, 0) {
            Some(std::borrow::Cow::Borrowed(name)) => memo.names.push(name),
            _ => borrowed = false,
        }
    }
    let known = if borrowed && !sized {
        memo.verdicts.get(memo.names.as_slice()).copied()
    } else {
        None
    };
    // A list seen before that builds needs nothing more; otherwise its keys, as nginx lists them.
    if known == Some(true) {
        return None;
    }
    let keys = key_names(cx, own, defaults);
    let refused = refusal(&keys, bucket, max);
    let fits = refused.is_none() && optimal(&keys, bucket, max);
    if borrowed && !sized && known.is_none() {
        memo.verdicts.insert(memo.names.clone(), fits);
    }
    if fits {
        return None;
    }
    let here = model.describe_block(Some(level));
    if let Some(r) = refused {
        let message = match r {
            Refusal::MaxSizeZero => format!(
                "could not build proxy_headers_hash, you should increase proxy_headers_hash_max_size: {max}"
            ),
            Refusal::TooLargeBucket => format!(
                "could not build proxy_headers_hash, too large proxy_headers_hash_bucket_size: {bucket}"
            ),
            Refusal::Bucket(_) | Refusal::MaxSize => format!(
                "could not build proxy_headers_hash, you should increase proxy_headers_hash_{}: {}",
                if matches!(r, Refusal::MaxSize) {
                    "max_size"
                } else {
                    "bucket_size"
                },
                if matches!(r, Refusal::MaxSize) {
                    max
                } else {
                    bucket
                }
            ),
        };
        let help = match r {
            Refusal::Bucket(i) => format!(
                "the header name `{}` needs a {}-byte bucket: nginx refuses to start; set \
                 `proxy_headers_hash_bucket_size {};` in `{here}` or above",
                keys[i],
                bucket_needed(keys[i].len()),
                bucket_needed(keys[i].len())
            ),
            _ => "nginx refuses to start: raise proxy_headers_hash_max_size".to_owned(),
        };
        let at = own
            .iter()
            .copied()
            .find(|&n| {
                matches!(r, Refusal::Bucket(i) if model.arg_str(n, 0).is_some_and(|a| a.eq_ignore_ascii_case(&keys[i])))
            })
            .unwrap_or(first);
        return Some(
            Diagnostic::at_node(&RULE, model, at, message)
                .severity(Severity::Error)
                .help(help),
        );
    }
    // The names set more than once, as first written (at their first line), in the order of
    // those lines: their repeats share a bucket. Counted in one pass (comparing each line with
    // every later one took 3 s for one list of 20,000 names).
    let mut seen: Vec<(NodeId, String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &n in own {
        let Some(name) = model.arg_str(n, 0) else {
            continue;
        };
        match index.entry(name.to_ascii_lowercase()) {
            std::collections::hash_map::Entry::Occupied(e) => seen[*e.get()].2 += 1,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(seen.len());
                seen.push((n, name.into_owned(), 1));
            }
        }
    }
    let repeated: Vec<(NodeId, String)> = seen
        .into_iter()
        .filter(|&(_, _, count)| count > 1)
        .map(|(n, name, _)| (n, name))
        .collect();
    let at = repeated.first().map_or(first, |&(n, _)| n);
    let cause = if repeated.is_empty() {
        format!(
            "the {} header names of `{here}`'s list do not spread over any table size",
            keys.len()
        )
    } else {
        let names: Vec<String> = repeated.iter().map(|(_, r)| format!("`{r}`")).collect();
        format!(
            "{} set more than once in `{here}`: each repeat is another element in the same \
             bucket",
            names.join(", ")
        )
    };
    Some(
        Diagnostic::at_node(
            &RULE,
            model,
            at,
            format!(
                "could not build optimal proxy_headers_hash, you should increase either \
                 proxy_headers_hash_max_size: {max} or proxy_headers_hash_bucket_size: {bucket}; \
                 ignoring proxy_headers_hash_bucket_size"
            ),
        )
        .help(format!(
            "{cause}; nginx warns on every start (the headers are still sent: a repeated one \
             twice). Remove the repeated lines, or raise proxy_headers_hash_bucket_size"
        )),
    )
}
