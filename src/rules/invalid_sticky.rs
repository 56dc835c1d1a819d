//! `invalid-sticky`: what nginx's own `sticky` (1.29.6+, `ngx_http_upstream_sticky_module`)
//! refuses as it reads the line (src/http/modules/ngx_http_upstream_sticky_module.c):
//!
//! - a method other than `cookie`, `route` and `learn`, or a parameter `cookie` or `learn`
//!   does not know: `unknown parameter "expire=1h"`;
//! - a `route` argument that is not a `$variable`: `invalid variable name "route"`;
//! - a `learn` zone another upstream's `sticky learn` already uses: `sticky zone "client" is
//!   already used in upstream "a"`.
//!
//! An unknown parameter is reported only when every parameter before it is one nginx takes
//! (nginx stops at the first wrong one). The `sticky` of NGINX Plus and of older nginx versions
//! is left alone.

use std::collections::{HashMap, HashSet};

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::directives::Version;
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;
use crate::semantics::values::{parse_size, parse_time};

pub static RULE: Rule = Rule {
    id: "invalid-sticky",
    summary: "`sticky` (nginx 1.29.6+) with a method or parameter nginx does not know, or a `learn` zone another upstream uses (nginx: unknown parameter, sticky zone ... is already used in upstream)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-sticky.md"),
    check,
};

/// nginx 1.29.6 has `sticky` in nginx itself.
const SINCE: Version = Version(1, 29, 6);

/// The largest page size of the usual platforms: `zone=` must be at least 8 pages.
const MAX_PAGE: i64 = 64 * 1024;

/// Does nginx take `p`, a parameter of `sticky cookie` after `seen` ones? `None`: a parameter
/// nginx does not know; `Some(false)`: one it refuses for another reason (or not understood).
fn cookie_param(p: &str, seen: &mut HashSet<&'static str>) -> Option<bool> {
    for (key, prefix) in [
        ("domain", "domain="),
        ("path", "path="),
        ("expires", "expires="),
        ("samesite", "samesite="),
    ] {
        if let Some(v) = p.strip_prefix(prefix) {
            let ok = !v.is_empty()
                && seen.insert(key)
                && match key {
                    "expires" => v == "max" || parse_time(v.as_bytes(), true).is_some(),
                    "samesite" => {
                        v.contains('$')
                            || ["strict", "lax", "none"]
                                .iter()
                                .any(|s| s.eq_ignore_ascii_case(v))
                    }
                    _ => true,
                };
            return Some(ok);
        }
    }
    match p {
        "httponly" => Some(seen.insert("httponly")),
        "secure" => Some(seen.insert("secure")),
        _ => None,
    }
}

/// Like [`cookie_param`], for `sticky learn`; a zone is returned as (name, size).
fn learn_param(
    p: &str,
    seen: &mut HashSet<&'static str>,
    zone: &mut Option<(String, i64)>,
) -> Option<bool> {
    if let Some(v) = p.strip_prefix("zone=") {
        let ok = v.split_once(':').and_then(|(n, s)| {
            let size = parse_size(s.as_bytes())?;
            (!n.is_empty() && size >= 8 * MAX_PAGE).then(|| (n.to_owned(), size))
        });
        return Some(match ok {
            Some(z) if zone.is_none() => {
                *zone = Some(z);
                true
            }
            _ => false,
        });
    }
    if let Some(v) = p.strip_prefix("timeout=") {
        return Some(seen.insert("timeout") && parse_time(v.as_bytes(), false).is_some());
    }
    for prefix in ["create=$", "lookup=$"] {
        if let Some(v) = p.strip_prefix(prefix) {
            return Some(
                !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            );
        }
    }
    if p.starts_with("create=") || p.starts_with("lookup=") {
        return Some(false);
    }
    (p == "header").then_some(true)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    if cx.version < SINCE {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Each learn zone: (its size, the upstream's name, the directive).
    let mut zones: HashMap<String, (i64, String, NodeId)> = HashMap::new();
    for &id in model.directives_named("sticky") {
        if !is_nginx(model, id) {
            continue;
        }
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some(method) = args.first() else {
            continue;
        };
        let mut seen = HashSet::new();
        let mut zone = None;
        let (params, learn) = match method.as_str() {
            "cookie" if args.len() > 1 && !args[1].is_empty() => (&args[2..], false),
            "learn" => (&args[1..], true),
            // Each `route` argument is a variable: `$name` (ngx_http_upstream_sticky_module.c
            // :1079; a bare `$` is ngx_http_get_variable_index's, ngx_http_variables.c:566).
            "route" => {
                if let Some(v) = args[1..]
                    .iter()
                    .find(|a| !a.starts_with('$') || a.len() == 1)
                {
                    let message = format!("invalid variable name \"{v}\"");
                    out.push(Diagnostic::at_node(&RULE, model, id, message).help(
                        "each argument of `sticky route` is a variable holding a server's route, such as `$route_cookie`",
                    ));
                }
                continue;
            }
            "cookie" => continue,
            _ => {
                out.push(unknown(
                    cx,
                    id,
                    method,
                    "`sticky` takes `cookie NAME`, `route $variable...` or `learn`",
                ));
                continue;
            }
        };
        let mut wrong = false;
        for p in params {
            let verdict = if learn {
                learn_param(p, &mut seen, &mut zone)
            } else {
                cookie_param(p, &mut seen)
            };
            match verdict {
                Some(true) => {}
                Some(false) => {
                    wrong = true;
                    break;
                }
                None => {
                    out.push(unknown(
                        cx,
                        id,
                        p,
                        if learn {
                            "`sticky learn` takes `zone=NAME:SIZE`, `timeout=`, `create=$var`, `lookup=$var` and `header`"
                        } else {
                            "`sticky cookie NAME` takes `domain=`, `path=`, `expires=`, `httponly`, `secure` and `samesite=`"
                        },
                    ));
                    wrong = true;
                    break;
                }
            }
        }
        if wrong || !learn {
            continue;
        }
        // nginx needs `lookup=`, `create=` and `zone=` before it registers the zone.
        let has = |p: &str| params.iter().any(|a| a.starts_with(p));
        let (Some((name, size)), true, true) = (zone, has("lookup="), has("create=")) else {
            continue;
        };
        let Some(upstream) = model.node(id).parent().and_then(|u| model.arg(u, 0)) else {
            continue;
        };
        match zones.get(&name) {
            None => {
                zones.insert(name, (size, upstream, id));
            }
            Some((first_size, first_upstream, first)) if *first_size == size => {
                let f = model.node(*first);
                out.push(
                    Diagnostic::at_node(
                        &RULE,
                        model,
                        id,
                        format!("sticky zone \"{name}\" is already used in upstream \"{first_upstream}\""),
                    )
                    .label(Label::new(model.file_of(*first), f.directive.head_span(), "the zone's upstream"))
                    .help("each upstream learns its sessions in a zone of its own: give this one another zone name"),
                );
            }
            Some(_) => {}
        }
    }
    out
}

fn unknown(cx: &LintContext<'_>, id: NodeId, p: &str, help: &str) -> Diagnostic {
    Diagnostic::at_node(&RULE, cx.model, id, format!("unknown parameter \"{p}\"")).help(help)
}
