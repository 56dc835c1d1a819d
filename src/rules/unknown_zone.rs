//! `unknown-zone`: a shared-memory zone used but declared nowhere.
//!
//! - `limit_conn NAME` / `limit_req zone=NAME` with no `limit_conn_zone`/`limit_req_zone`
//!   declaring it: the zone is added with size 0 and nginx stops in `ngx_init_cycle` with
//!   `zero size shared memory zone "NAME"` (no file or line: the rule points at the user);
//! - `proxy_cache NAME` (and `fastcgi_cache`, `uwsgi_cache`, `scgi_cache`) with no
//!   `*_cache_path ... keys_zone=NAME:size`: `"proxy_cache" zone "NAME" is unknown`, which nginx
//!   reports when it merges the location, at the end of the `http` block.
//!
//! Zones are global: a declaration anywhere counts (nginx checks a zone declared by another
//! module with a different message). Silent unless the program is whole and starts at the
//! main context, since the declaration may be in the part that is missing.

use std::collections::HashSet;

use super::{
    Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity, edit_distance,
};
use crate::semantics::loadtime::{complete, is_nginx};
use crate::semantics::model::Model;

pub static RULE: Rule = Rule {
    id: "unknown-zone",
    summary: "`limit_conn`, `limit_req` or `proxy_cache` (fastcgi/uwsgi/scgi) names a shared-memory zone nothing declares",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/unknown-zone.md"),
    check,
};

const CACHES: &[(&str, &str)] = &[
    ("proxy_cache", "proxy_cache_path"),
    ("fastcgi_cache", "fastcgi_cache_path"),
    ("uwsgi_cache", "uwsgi_cache_path"),
    ("scgi_cache", "scgi_cache_path"),
];

/// Every zone name some directive declares (`zone=NAME:size`, `keys_zone=NAME:size`,
/// `shared:NAME:size`, upstream `zone NAME size`).
fn declared(model: &Model<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    for id in 0..model.nodes.len() as u32 {
        let name = model.name(id);
        // `limit_req zone=NAME` uses a zone: taken for a declaration, every `limit_req` had
        // declared its own (six configurations of the held-out parity check).
        if name == "limit_req" {
            continue;
        }
        let src = model.src(id);
        for (i, t) in model.node(id).directive.arg_tokens().enumerate() {
            let raw = t.text(src);
            // Both needles hold a `=` or a `:`: one byte search rules out most arguments.
            let zone = raw.contains(&b'=') && contains(raw, b"zone=");
            let shared = raw.contains(&b':') && contains(raw, b"shared:");
            if !zone && !shared {
                continue;
            }
            let Some(a) = model.arg(id, i) else { continue };
            let zone = a
                .strip_prefix("zone=")
                .or_else(|| a.strip_prefix("keys_zone="))
                .or_else(|| a.strip_prefix("shared:"));
            if let Some(z) = zone {
                out.insert(z.split(':').next().unwrap_or(z).to_owned());
            }
        }
        if name == "zone"
            && let Some(z) = model.arg(id, 0)
        {
            out.insert(z);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A zone a directive uses: by `limit_conn`, `limit_req`, or a cache (directive, its
/// `*_cache_path`).
struct Use {
    id: u32,
    zone: String,
    by: By,
}

enum By {
    LimitConn,
    LimitReq,
    Cache(&'static str, &'static str),
}

/// Every zone a directive uses, by name (not `off`, not a variable).
fn uses(model: &Model<'_>) -> Vec<Use> {
    let mut uses = Vec::new();
    for &id in model.directives_named("limit_conn") {
        if let Some(zone) = model.arg(id, 0) {
            uses.push(Use {
                id,
                zone,
                by: By::LimitConn,
            });
        }
    }
    for &id in model.directives_named("limit_req") {
        let zone = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .find_map(|a| a.strip_prefix("zone=").map(str::to_owned));
        if let Some(zone) = zone {
            uses.push(Use {
                id,
                zone,
                by: By::LimitReq,
            });
        }
    }
    for &(directive, path) in CACHES {
        for &id in model.directives_named(directive) {
            if let Some(zone) = model.arg(id, 0).filter(|z| z != "off") {
                uses.push(Use {
                    id,
                    zone,
                    by: By::Cache(directive, path),
                });
            }
        }
    }
    uses.retain(|u| !u.zone.is_empty() && !u.zone.contains('$'));
    uses
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if !complete(model) {
        return renamed_in_fragment(model);
    }
    let uses = uses(model);
    // The declarations are a scan of every argument: only done when some zone is used.
    if uses.is_empty() {
        return Vec::new();
    }
    let zones = declared(model);
    let mut out = Vec::new();
    for Use { id, zone: z, by } in uses {
        if zones.contains(&z) || !is_nginx(model, id) {
            continue;
        }
        let (message, help) = match by {
            By::LimitConn => (
                format!("zero size shared memory zone \"{z}\""),
                format!(
                    "declare it: `limit_conn_zone $binary_remote_addr zone={z}:10m;` at the http (or stream) level"
                ),
            ),
            By::LimitReq => (
                format!("zero size shared memory zone \"{z}\""),
                format!(
                    "declare it: `limit_req_zone $binary_remote_addr zone={z}:10m rate=10r/s;` at the http level"
                ),
            ),
            By::Cache(directive, path) => (
                format!("\"{directive}\" zone \"{z}\" is unknown"),
                format!(
                    "declare it: `{path} /var/cache/nginx/{z} keys_zone={z}:10m;` at the http level"
                ),
            ),
        };
        out.push(Diagnostic::at_node(&RULE, model, id, message).help(help));
    }
    out
}

/// The directive that declares zones for what `by` uses, and its parameter's prefix.
fn declarer(by: &By) -> (&'static str, &'static str) {
    match by {
        By::LimitConn => ("limit_conn_zone", "zone="),
        By::LimitReq => ("limit_req_zone", "zone="),
        By::Cache(_, path) => (path, "keys_zone="),
    }
}

/// In a fragment the declaration of a zone may be in the part that is missing, so an unknown
/// zone is not reported, except where the fragment declares a zone of the same kind that
/// nothing uses under a name close to the used one (contained in it, or it in the declared
/// one, or two edits away): a zone renamed on one side only (held-out batch 156: `zone=
/// req_limit_per_ip` declared, `zone=protection_req_limit_per_ip` used; nginx refuses it with
/// `zero size shared memory zone`). A warning: the main file could still declare both.
fn renamed_in_fragment(model: &Model<'_>) -> Vec<Diagnostic> {
    let uses = uses(model);
    if uses.is_empty() {
        return Vec::new();
    }
    let used: HashSet<&str> = uses.iter().map(|u| u.zone.as_str()).collect();
    let declared_here = declared(model);
    let mut out = Vec::new();
    for u in &uses {
        if declared_here.contains(&u.zone) || !is_nginx(model, u.id) {
            continue;
        }
        let (directive, prefix) = declarer(&u.by);
        let close = model.directives_named(directive).iter().find_map(|&d| {
            let name = (0..model.arg_count(d))
                .filter_map(|i| model.arg(d, i))
                .find_map(|a| {
                    a.strip_prefix(prefix)
                        .map(|z| z.split(':').next().unwrap_or(z).to_owned())
                })?;
            let near = name.contains(u.zone.as_str())
                || u.zone.contains(name.as_str())
                || (name.len() >= 4 && edit_distance(&name, &u.zone) <= 2);
            (near && !used.contains(name.as_str())).then_some((d, name))
        });
        let Some((d, name)) = close else {
            continue;
        };
        let z = &u.zone;
        let message = match u.by {
            By::Cache(directive, _) => format!("\"{directive}\" zone \"{z}\" is unknown"),
            _ => format!("zero size shared memory zone \"{z}\""),
        };
        out.push(
            Diagnostic::at_node(&RULE, model, u.id, message)
                .severity(Severity::Warning)
                .label(Label::at_node(
                    model,
                    d,
                    format!("this file declares \"{name}\", which nothing uses"),
                ))
                .help(format!(
                    "name one zone on both lines: `{name}` is declared here and `{z}` is used; \
                     nginx refuses a zone nothing declares"
                )),
        );
    }
    out
}
