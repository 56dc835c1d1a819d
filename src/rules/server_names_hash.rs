//! `server-names-hash`: a server name too long for `server_names_hash_bucket_size`. When the
//! `http` block closes, nginx builds a hash of the exact server names of every listen address
//! two or more servers share (`ngx_http_server_names`, src/http/ngx_http.c), and
//! `ngx_hash_init` (src/core/ngx_hash.c) refuses a name that does not fit in one bucket:
//! `could not build server_names_hash, you should increase server_names_hash_bucket_size: 64`.
//!
//! The arithmetic is nginx's (`semantics::hash`): a name of 47 bytes and more fails with the
//! default bucket size, the CPU's cache line (64 bytes on x86-64 and arm64; assumed). The same
//! function refuses `server_names_hash_max_size` 0 or too small for the names, and a bucket
//! size above 65472.
//!
//! Only exact names (not wildcards, regexes or `$hostname`) on addresses written as IP
//! addresses are counted, and only on whole programs: another server may share an address.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::hash::{CACHELINE, Refusal, align, bucket_needed, refusal};
use crate::semantics::loadtime::{complete, shared_addresses};
use crate::semantics::model::NodeId;
use crate::semantics::values::{atoi, parse_size};

pub static RULE: Rule = Rule {
    id: "server-names-hash",
    summary: "a server name longer than a `server_names_hash_bucket_size` bucket holds, on an address two servers share (nginx: could not build server_names_hash, you should increase server_names_hash_bucket_size)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/server-names-hash.md"),
    check,
};

/// Is `name` an exact server name nginx puts in the hash as it is written?
fn exact(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('~')
        && !name.starts_with('.')
        && !name.contains(['*', '$'])
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if !complete(model) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &http in model.directives_named("http") {
        if model.node(http).context != Context::Main {
            continue;
        }
        let setting = |name: &str| {
            model
                .children_named_slice(Some(http), name)
                .last()
                .map(|&d| (d, model.arg(d, 0)))
        };
        let bucket = match setting("server_names_hash_bucket_size") {
            None => CACHELINE,
            Some((_, v)) => match v.and_then(|v| parse_size(v.as_bytes())) {
                Some(v) => align(v, CACHELINE),
                None => continue,
            },
        };
        let max_size = match setting("server_names_hash_max_size") {
            None => 512,
            Some((_, v)) => match v.and_then(|v| atoi(v.as_bytes())) {
                Some(v) => v,
                None => continue,
            },
        };
        let Some(groups) = shared_addresses(model, Some(http)) else {
            continue;
        };
        let mut shared: Vec<&[NodeId]> = groups.iter().map(|(_, list)| list.as_slice()).collect();
        shared.sort_unstable();
        for list in &shared {
            let mut names: Vec<(NodeId, String)> = Vec::new();
            let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
            for &s in *list {
                for &d in model.children_named_slice(Some(s), "server_name") {
                    for i in 0..model.arg_count(d) {
                        let Some(n) = model.arg(d, i).filter(|n| exact(n)) else {
                            continue;
                        };
                        let n = n.to_ascii_lowercase();
                        if seen.insert(n.clone()) {
                            names.push((d, n));
                        }
                    }
                }
            }
            let Some(&(first, _)) = names.first() else {
                continue;
            };
            let keys: Vec<String> = names.iter().map(|(_, n)| n.clone()).collect();
            let found = refusal(&keys, bucket, max_size).map(|r| match r {
                Refusal::MaxSizeZero => (
                    setting("server_names_hash_max_size").map_or(first, |(d, _)| d),
                    "could not build server_names_hash, you should increase server_names_hash_max_size: 0".to_owned(),
                    "the hash needs room for its names: remove the line (the default is 512)".to_owned(),
                ),
                Refusal::TooLargeBucket => (
                    setting("server_names_hash_bucket_size").map_or(first, |(d, _)| d),
                    format!("could not build server_names_hash, too large server_names_hash_bucket_size: {bucket}"),
                    format!("a bucket may take at most {} bytes", 65536 - CACHELINE),
                ),
                Refusal::Bucket(i) => {
                    let (d, n) = &names[i];
                    let need = bucket_needed(n.len());
                    (
                        *d,
                        format!("could not build server_names_hash, you should increase server_names_hash_bucket_size: {bucket}"),
                        format!(
                            "`{n}` ({} bytes) needs a bucket of {need} bytes: add `server_names_hash_bucket_size {need};` to the http block",
                            n.len()
                        ),
                    )
                }
                Refusal::MaxSize => (
                    setting("server_names_hash_max_size").map_or(first, |(d, _)| d),
                    format!("could not build server_names_hash, you should increase server_names_hash_max_size: {max_size}"),
                    "too many names share one bucket at this size: raise server_names_hash_max_size".to_owned(),
                ),
            });
            if let Some((at, message, help)) = found {
                out.push(Diagnostic::at_node(&RULE, model, at, message).help(help));
                // nginx stops at the first hash it cannot build.
                break;
            }
        }
    }
    out
}
