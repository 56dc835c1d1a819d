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
            if let Some(d) = serves_scripts(model, loc, &root) {
                out.push(d.label(Label::new(
                    model.file_of(php),
                    model.node(php).directive.head_span(),
                    "the location that runs PHP, never reached for them",
                )));
            }
        }
    }
    out
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

/// The finding for regex location `loc` if it takes `.php` URIs and serves them as files from
/// `root`, the PHP location's document root.
fn serves_scripts(model: &Model<'_>, loc: NodeId, root: &str) -> Option<Diagnostic> {
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
    if model.effective_value(&model.effective(Some(loc), "root")) != root {
        return None;
    }
    let written = model.arg(loc, 0).unwrap_or_default();
    let pattern = model.arg(loc, 1).unwrap_or_default();
    let mut diag = Diagnostic::at_node(
        &RULE,
        model,
        loc,
        format!(
            "`location {written} {pattern}` comes before the location that runs PHP and takes \
             `.php` URIs too (`{uri}`): it has no handler, so nginx serves the script from disk \
             as a file, and the client gets its source"
        ),
    )
    .help(
        "keep `.php` out of its pattern, or move the PHP location above it (nginx takes the \
         first regex that matches)",
    );
    diag.primary.text = "serves `.php` files as they are".into();
    Some(diag)
}
