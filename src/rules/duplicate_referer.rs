//! `duplicate-referer`: a host `valid_referers` already lists in the same block. nginx puts the
//! hosts of a block's `valid_referers` lines in one hash as it reads them
//! (`ngx_http_add_referer`, src/http/modules/ngx_http_referer_module.c) and refuses a second
//! entry for a key: `conflicting parameter "example.com"`. Keys are lowercased and a URI part
//! (`example.com/app`) is not part of the key; `.example.com` stands for both `example.com`
//! and `*.example.com`.

use std::collections::{HashMap, HashSet};

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "duplicate-referer",
    summary: "a host `valid_referers` already lists in the same block, `.example.com` covering `example.com` and `*.example.com` (nginx: conflicting parameter)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-referer.md"),
    check,
};

#[derive(Default)]
struct Keys {
    exact: HashSet<String>,
    head: HashSet<String>,
    tail: HashSet<String>,
}

impl Keys {
    /// Add `host` as `ngx_hash_add_key(..., NGX_HASH_WILDCARD_KEY)` does: `Some(true)` when
    /// nginx finds it already there, `None` for a form it refuses otherwise (or one not
    /// understood here).
    fn add(&mut self, host: &str) -> Option<bool> {
        let ok = |s: &str| !s.is_empty() && !s.contains('*');
        if let Some(d) = host.strip_prefix("*.") {
            ok(d).then(|| !self.head.insert(d.to_owned()))
        } else if let Some(d) = host.strip_prefix('.') {
            if !ok(d) {
                return None;
            }
            let busy = self.exact.contains(d) || self.head.contains(d);
            self.exact.insert(d.to_owned());
            self.head.insert(d.to_owned());
            Some(busy)
        } else if let Some(p) = host.strip_suffix(".*") {
            ok(p).then(|| !self.tail.insert(p.to_owned()))
        } else {
            ok(host).then(|| !self.exact.insert(host.to_owned()))
        }
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut blocks: HashMap<Option<NodeId>, Option<Keys>> = HashMap::new();
    let mut out = Vec::new();
    for &id in model.directives_named("valid_referers") {
        if !is_nginx(model, id) {
            continue;
        }
        // `None`: nginx stopped earlier in this block, or a form not understood.
        let Some(keys) = blocks
            .entry(model.node(id).parent())
            .or_insert_with(|| Some(Keys::default()))
        else {
            continue;
        };
        let mut stop = false;
        for i in 0..model.arg_count(id) {
            let Some(v) = model.arg(id, i) else {
                continue;
            };
            if matches!(v.as_str(), "none" | "blocked" | "server_names") || v.starts_with('~') {
                continue;
            }
            let host = v.split('/').next().unwrap_or_default().to_ascii_lowercase();
            match keys.add(&host) {
                Some(false) => continue,
                Some(true) => out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("conflicting parameter \"{host}\""),
                    )
                    .help("this host is already listed (`.example.com` stands for `example.com` and `*.example.com`, and the part after `/` is not compared): remove the repeat"),
                ),
                None => {}
            }
            stop = true;
            break;
        }
        if stop {
            blocks.insert(model.node(id).parent(), None);
        }
    }
    out
}
