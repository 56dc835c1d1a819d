//! `duplicate-cache-path`: one directory given to two caches, or to a cache and a temporary
//! path, or to two temporary paths with different levels. nginx keeps one list of the paths it
//! manages (`ngx_add_path`, src/core/ngx_file.c) and refuses, as it reads the second directive:
//!
//! - a path a cache (`proxy_cache_path`, `fastcgi_cache_path`, `uwsgi_cache_path`,
//!   `scgi_cache_path`) already uses, or a cache on a temporary path: `the same path name
//!   "/var/cache/nginx" used in /etc/nginx/nginx.conf:12 and`;
//! - two temporary paths (`proxy_temp_path`, `client_body_temp_path`...) on one directory
//!   with different levels: `the same path name "/var/tmp/nginx" in /etc/nginx/nginx.conf:12
//!   has the different levels than`.
//!
//! nginx ends both messages with the place of the second directive, which is where the finding
//! is. Only absolute paths are compared (nginx makes relative ones absolute with its prefix),
//! byte for byte as written: nginx takes `/a` and `/a/` for two paths.

use std::collections::HashMap;

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "duplicate-cache-path",
    summary: "one directory for two caches, a cache and a temporary path, or two temporary paths with different levels (nginx: the same path name ... used in ... and)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-cache-path.md"),
    check,
};

const CACHES: &[&str] = &[
    "proxy_cache_path",
    "fastcgi_cache_path",
    "uwsgi_cache_path",
    "scgi_cache_path",
];

const TEMPS: &[&str] = &[
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
];

/// `NGX_MAX_PATH_LEVEL`.
const MAX_LEVELS: usize = 3;

/// A cache's `levels=1:2` as nginx reads it (digits 1 and 2, up to three, `:`-separated).
fn cache_levels(v: &str) -> Option<[u8; MAX_LEVELS]> {
    let mut out = [0; MAX_LEVELS];
    let parts: Vec<&str> = v.split(':').collect();
    if parts.len() > MAX_LEVELS {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        out[i] = match *p {
            "1" => 1,
            "2" => 2,
            _ => return None,
        };
    }
    Some(out)
}

/// A temporary path's levels (`proxy_temp_path /x 1 2`), as `ngx_conf_set_path_slot` reads them.
fn temp_levels(args: &[String]) -> Option<[u8; MAX_LEVELS]> {
    let mut out = [0; MAX_LEVELS];
    if args.len() > MAX_LEVELS {
        return None;
    }
    let mut len = 0;
    for (i, a) in args.iter().enumerate() {
        let l: u8 = a
            .parse()
            .ok()
            .filter(|&l| l > 0 && a.bytes().all(|b| b.is_ascii_digit()))?;
        out[i] = l;
        len += usize::from(l) + 1;
    }
    (len <= 10 + args.len()).then_some(out)
}

/// nginx's default temporary paths: (directive, `configure` option naming the directory,
/// levels, `configure` option leaving the module out). The levels are the modules'
/// `ngx_path_init_t` (http/ngx_http_core_module.c:148, modules/ngx_http_proxy_module.c:840,
/// ngx_http_fastcgi_module.c:698, ngx_http_uwsgi_module.c:671, ngx_http_scgi_module.c:495).
const DEFAULT_TEMPS: &[(&str, &str, [u8; MAX_LEVELS], Option<&str>)] = &[
    (
        "client_body_temp_path",
        "--http-client-body-temp-path=",
        [0, 0, 0],
        None,
    ),
    (
        "proxy_temp_path",
        "--http-proxy-temp-path=",
        [1, 2, 0],
        Some("--without-http_proxy_module"),
    ),
    (
        "fastcgi_temp_path",
        "--http-fastcgi-temp-path=",
        [1, 2, 0],
        Some("--without-http_fastcgi_module"),
    ),
    (
        "uwsgi_temp_path",
        "--http-uwsgi-temp-path=",
        [1, 2, 0],
        Some("--without-http_uwsgi_module"),
    ),
    (
        "scgi_temp_path",
        "--http-scgi-temp-path=",
        [1, 2, 0],
        Some("--without-http_scgi_module"),
    ),
];

struct Path {
    id: NodeId,
    cache: bool,
    levels: [u8; MAX_LEVELS],
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let ids = cx
        .directives_named_any(&[CACHES, TEMPS].concat())
        .into_iter()
        .filter(|&id| is_nginx(model, id));
    let mut paths: HashMap<String, Path> = HashMap::new();
    let mut out = Vec::new();
    for id in ids {
        let name = model.name(id);
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        let Some(written) = args.first() else {
            continue;
        };
        // nginx drops one trailing `/` from the length but compares the bytes as written
        // (`ngx_strcmp`), so `/a` and `/a/` are two paths to it; it prints the shorter form.
        let path = written.strip_suffix('/').unwrap_or(written);
        if !path.starts_with('/') || path.contains('$') {
            continue;
        }
        let cache = CACHES.contains(&name);
        let levels = if cache {
            match args.iter().find_map(|a| a.strip_prefix("levels=")) {
                Some(v) => cache_levels(v),
                None => Some([0; MAX_LEVELS]),
            }
        } else {
            temp_levels(&args[1..])
        };
        let Some(levels) = levels else {
            continue;
        };
        let Some(first) = paths.get(written) else {
            paths.insert(written.clone(), Path { id, cache, levels });
            continue;
        };
        let f = model.node(first.id);
        let file = model.program.file(model.file_of(first.id));
        let line = file.lines().line(f.directive.span().end.saturating_sub(1));
        let at = format!("{}:{line}", file.path.display());
        let message = if cache || first.cache {
            format!("the same path name \"{path}\" used in {at} and")
        } else if levels != first.levels {
            format!("the same path name \"{path}\" in {at} has the different levels than")
        } else {
            continue;
        };
        out.push(
            Diagnostic::at_node(&RULE, model, id, message)
                .label(Label::new(
                    model.file_of(first.id),
                    f.directive.head_span(),
                    format!("`{}` uses the directory here", model.name(first.id)),
                ))
                .help(if cache || first.cache {
                    "each cache needs a directory of its own (its loader and manager walk it): give this one another path"
                } else {
                    "give both temporary paths the same levels, or another directory"
                }),
        );
    }
    // When nginx merges the `http` block (after reading it all), a temporary path left to its
    // default in some `server` gets the build's directory (`configure --http-*-temp-path=`,
    // known from `--modules auto`; only absolute ones: a relative one depends on `-p`), and
    // nginx refuses a path of the configuration with that name but other levels
    // (`ngx_add_path`, core/ngx_file.c:559). Two defaults alike (ngx_file.c:550) are the build's
    // own doing, whatever the configuration.
    let Some(build) = cx.settings.nginx_build.as_ref().filter(|_| out.is_empty()) else {
        return out;
    };
    for &(directive, option, levels, without) in DEFAULT_TEMPS {
        if without.is_some_and(|w| build.configure.iter().any(|a| a == w)) {
            continue;
        }
        let Some(name) = build
            .configure
            .iter()
            .find_map(|a| a.strip_prefix(option))
            .filter(|n| n.starts_with('/'))
        else {
            continue;
        };
        // The default is taken by a `server` that sets no path where `http` sets none either.
        let unset = |block: NodeId| {
            model
                .children_named_slice(Some(block), directive)
                .is_empty()
        };
        let used = model.directives_named("http").iter().any(|&http| {
            unset(http)
                && model
                    .children_named_slice(Some(http), "server")
                    .iter()
                    .any(|&s| unset(s))
        });
        let Some(first) = paths
            .get(name)
            .filter(|f| used && !f.cache && f.levels != levels)
        else {
            continue;
        };
        let f = model.node(first.id);
        let file = model.program.file(model.file_of(first.id));
        let line = file.lines().line(f.directive.span().end.saturating_sub(1));
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                first.id,
                format!(
                    "the path name \"{name}\" in {}:{line} has the same name as default path, but the different levels, you need to define default path in http section",
                    file.path.display()
                ),
            )
            .help(format!(
                "this nginx keeps `{directive}` in {name} by default (configure {option}), with other levels: set `{directive}` in the http block, or use another directory here"
            )),
        );
    }
    out
}
