//! `map-hash`: a `map` key too long for `map_hash_bucket_size` (or keys too many for
//! `map_hash_max_size`). nginx builds the hash of a map's exact keys when it reads the block's
//! closing brace (`ngx_http_map_block`, src/http/modules/ngx_http_map_module.c), and
//! `ngx_hash_init` refuses a key that does not fit in one bucket: `could not build map_hash,
//! you should increase map_hash_bucket_size: 64`. With the default bucket size, the CPU's cache
//! line (64 bytes on x86-64 and arm64; assumed), keys of 47 bytes and more fail: long URLs in
//! redirect maps are the usual case. The arithmetic is in `semantics::hash`.
//!
//! Regex keys, `default` and `hostnames` maps are not counted, nor maps with an include that
//! read nothing. `map_hash_bucket_size`/`map_hash_max_size` count where nginx reads them: before
//! the first `map` (after it, nginx calls them duplicates). Silent on fragments and when an
//! include read nothing: the bucket size may be set there.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::hash::{CACHELINE, Refusal, align, bucket_needed, refusal};
use crate::semantics::loadtime::{complete, is_nginx};
use crate::semantics::model::NodeId;
use crate::semantics::values::{atoi, parse_size};

pub static RULE: Rule = Rule {
    id: "map-hash",
    summary: "a `map` key longer than a `map_hash_bucket_size` bucket holds, 47 bytes and more by default (nginx: could not build map_hash, you should increase map_hash_bucket_size)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/map-hash.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // `map_hash_bucket_size` may be set in the part of the program not seen.
    if !complete(model) {
        return out;
    }
    let maps: Vec<NodeId> = model
        .directives_named("map")
        .iter()
        .copied()
        .filter(|&m| model.node(m).context == Context::Http && is_nginx(model, m))
        .collect();
    let Some(&first_map) = maps.first() else {
        return out;
    };
    let parent = model.node(first_map).parent();
    // The setting nginx uses: set before the first map, or the default.
    let setting = |name: &str| -> Option<Option<(NodeId, String)>> {
        match model.children_named_slice(parent, name).first() {
            None => Some(None),
            Some(&d) if d < first_map => Some(Some((d, model.arg(d, 0)?))),
            Some(_) => None,
        }
    };
    let (Some(bucket_at), Some(max_at)) = (
        setting("map_hash_bucket_size"),
        setting("map_hash_max_size"),
    ) else {
        return out;
    };
    let bucket = match &bucket_at {
        None => CACHELINE,
        Some((_, v)) => match parse_size(v.as_bytes()) {
            Some(v) => align(v, CACHELINE),
            None => return out,
        },
    };
    let max_size = match &max_at {
        None => 2048,
        Some((_, v)) => match atoi(v.as_bytes()) {
            Some(v) => v,
            None => return out,
        },
    };
    for map in maps {
        let mut keys: Vec<(NodeId, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut unknown = false;
        for &c in model.children(map) {
            let e = model.node(c);
            let raw = model.name(c);
            if raw == "include" {
                unknown |= model
                    .program
                    .included(model.file_of(c), e.directive)
                    .is_empty();
                continue;
            }
            if e.context != Context::Entries {
                continue;
            }
            if raw == "hostnames" && model.arg_count(c) == 0 {
                unknown = true;
                break;
            }
            if model.arg_count(c) != 1 || raw == "default" || raw.starts_with('~') {
                continue;
            }
            let k = raw.strip_prefix('\\').unwrap_or(raw).to_ascii_lowercase();
            if seen.insert(k.clone()) {
                keys.push((c, k));
            }
        }
        if unknown {
            continue;
        }
        let names: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
        let Some(r) = refusal(&names, bucket, max_size) else {
            continue;
        };
        let (at, message, help) = match r {
            Refusal::MaxSizeZero => (
                max_at.as_ref().map_or(map, |(d, _)| *d),
                "could not build map_hash, you should increase map_hash_max_size: 0".to_owned(),
                "the hash needs room for its keys: remove the line (the default is 2048)"
                    .to_owned(),
            ),
            Refusal::TooLargeBucket => (
                bucket_at.as_ref().map_or(map, |(d, _)| *d),
                format!("could not build map_hash, too large map_hash_bucket_size: {bucket}"),
                format!("a bucket may take at most {} bytes", 65536 - CACHELINE),
            ),
            Refusal::Bucket(i) => {
                let (c, k) = &keys[i];
                let need = bucket_needed(k.len());
                (
                    *c,
                    format!(
                        "could not build map_hash, you should increase map_hash_bucket_size: {bucket}"
                    ),
                    format!(
                        "this key ({} bytes) needs a bucket of {need} bytes: add `map_hash_bucket_size {need};` to the http block, before the first `map`",
                        k.len()
                    ),
                )
            }
            Refusal::MaxSize => (
                max_at.as_ref().map_or(map, |(d, _)| *d),
                format!(
                    "could not build map_hash, you should increase map_hash_max_size: {max_size}"
                ),
                "too many keys share one bucket at this size: raise map_hash_max_size".to_owned(),
            ),
        };
        out.push(Diagnostic::at_node(&RULE, model, at, message).help(help));
        // nginx stops at the first map it cannot build.
        break;
    }
    out
}
