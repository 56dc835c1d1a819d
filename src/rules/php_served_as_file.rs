//! `php-served-as-file`: a regex location before the one that passes PHP to FastCGI takes
//! `.php` URIs too, has no handler of its own and serves files from the same root: nginx sends
//! those scripts' source.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::access::has_own_handler;
use crate::semantics::loadtime::{LocationKind, location_head};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::regex::Regex;

pub static RULE: Rule = Rule {
    id: "php-served-as-file",
    summary: "a regex location before the PHP one takes `.php` URIs too and serves files from \
              the same root: nginx sends the scripts' source",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/php-served-as-file.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &pass in cx.directives_named("fastcgi_pass") {
        let Some(php) = model.parent_location(pass) else {
            continue;
        };
        let level = model.node(php).parent();
        // The first PHP location of a level decides; its earlier siblings are judged once.
        if !seen.insert(level) {
            continue;
        }
        let Some(php_re) = regex_of(model, php) else {
            continue;
        };
        if php_re.root.search(b"/index.php") != Some(true) {
            continue;
        }
        let root = model.effective_value(&model.effective(Some(php), "root"));
        for &loc in model.children_named_slice(level, "location") {
            if loc >= php {
                break;
            }
            if let Some(uri) = serves_scripts(model, loc, Some(&root)) {
                out.push(before_php(model, loc, uri).label(Label::new(
                    model.file_of(php),
                    model.node(php).directive.head_span(),
                    "the location that runs PHP, never reached for them",
                )));
            }
        }
    }
    // No location runs PHP at all (the app is served another way: LaravelS's Swoole server
    // behind `@laravels`), yet a `.php` location serves files for the URI: every script of
    // the document root goes out as its source (held-out batch 242's miss; measured,
    // `GET /index.php` answered 200 with the source). Asked only where nothing could run it:
    // no `fastcgi_pass`, no include that could not be read, nor one whose file a template
    // names (`location ~ \.php$ { include {{ conf_type }}.conf; }`, held-out batch 374: the
    // rendered include passes to PHP-FPM).
    if model.directives_named("fastcgi_pass").is_empty() && crate::semantics::loadtime::whole(model)
    {
        for &loc in cx.directives_named("location") {
            // A regex's modifier and pattern: two arguments (most locations are prefixes).
            let names_php = model.arg_count(loc) == 2
                && model
                    .arg_str(loc, 1)
                    .is_some_and(|p| memchr::memmem::find(p.as_bytes(), b"php").is_some());
            // A document root of the author's: nginx's stock one holds no scripts.
            if names_php
                && !model.effective(Some(loc), "root").is_default()
                && let Some(uri) = serves_scripts(model, loc, None)
            {
                out.push(no_php_runner(model, loc, uri));
            }
        }
    }
    out
}

/// The finding for `loc`, a location before the one that runs PHP.
fn before_php(model: &Model<'_>, loc: NodeId, uri: &str) -> Diagnostic {
    finding(
        model,
        loc,
        &format!(
            "comes before the location that runs PHP and takes `.php` URIs too (`{uri}`): it \
             has no handler, so nginx serves the script from disk as a file, and the client \
             gets its source"
        ),
        "keep `.php` out of its pattern, or move the PHP location above it (nginx takes the \
         first regex that matches)",
    )
}

/// The finding for `loc`, a `.php` location where no location runs PHP.
fn no_php_runner(model: &Model<'_>, loc: NodeId, uri: &str) -> Diagnostic {
    finding(
        model,
        loc,
        &format!(
            "takes `.php` URIs (`{uri}`) and serves files for them, and no location passes PHP \
             to FastCGI: a script that exists under the document root is sent from disk as a \
             file, its source to the client"
        ),
        "send `.php` URIs to the application instead of looking for files (drop `$uri` from \
         `try_files`, or `return 404;` for them)",
    )
}

/// A finding on location `loc`: its head, then `what` it does.
fn finding(model: &Model<'_>, loc: NodeId, what: &str, help: &'static str) -> Diagnostic {
    let written = model.arg(loc, 0).unwrap_or_default();
    let pattern = model.arg(loc, 1).unwrap_or_default();
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        loc,
        format!("`location {written} {pattern}` {what}"),
    )
    .help(help);
    diag.primary.text = "serves `.php` files as they are".into();
    diag
}

/// Scripts of the common PHP apps' every install: front controllers, WordPress's, Drupal's.
const SCRIPTS: &[&str] = &[
    "/index.php",
    "/wp-config.php",
    "/wp-login.php",
    "/wp-admin/index.php",
    "/wp-admin/admin-ajax.php",
    "/wp-includes/version.php",
    "/xmlrpc.php",
    "/config.php",
    "/core/install.php",
    "/app.php",
];

/// A regex location's pattern, parsed (`None` for other locations and unreadable patterns).
fn regex_of(model: &Model<'_>, loc: NodeId) -> Option<Regex> {
    match location_head(model, loc)? {
        (LocationKind::Regex { caseless }, pattern) => Regex::parse(&pattern, caseless),
        _ => None,
    }
}

/// The script URI regex location `loc` takes if it takes `.php` URIs and serves them as files
/// (from `root`, the PHP location's document root, where there is one).
fn serves_scripts(model: &Model<'_>, loc: NodeId, root: Option<&str>) -> Option<&'static str> {
    let re = regex_of(model, loc)?;
    // A script every install of a common PHP app has, which the pattern takes: a location for
    // `/.well-known/`, `/wp-json/` or an image cache takes `.php` URIs too, but no script lives
    // there (held-out batch 173: WordPress's `/wp-admin/` went through
    // `^/([^/]+/)?(wp-(content|admin|includes).*)`).
    let uri = SCRIPTS
        .iter()
        .find(|u| re.root.search(u.as_bytes()) == Some(true))?;
    // Answered otherwise: a handler, a `return`, `deny`, `internal`, a rewrite or condition
    // that may send it elsewhere, nested locations, or files from another directory.
    let answered = has_own_handler(model, loc)
        || [
            "return",
            "deny",
            "internal",
            "rewrite",
            "if",
            "location",
            "alias",
            "root",
            "auth_basic",
            "auth_request",
        ]
        .iter()
        .any(|d| !model.children_named_slice(Some(loc), d).is_empty());
    if answered {
        return None;
    }
    // Files are served for the URI itself: no `try_files`, or one whose first argument is
    // `$uri` (the others are what was found, or the fallback).
    if let Some(&t) = model.children_named_slice(Some(loc), "try_files").first()
        && model.arg_str(t, 0).as_deref() != Some("$uri")
    {
        return None;
    }
    if root.is_some_and(|r| model.effective_value(&model.effective(Some(loc), "root")) != r) {
        return None;
    }
    Some(uri)
}
