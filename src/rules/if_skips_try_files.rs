//! `if-skips-try-files`: a location with `try_files` holds an `if` that does not end the
//! request. When the condition holds, nginx serves the request from the `if` block's own
//! configuration (an implicit location that does not inherit `try_files`), so the request gets
//! no `try_files` at all: a missing file is a 404 instead of the fallback.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::location::{rewrite_leaves_block, stops_every_request};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "if-skips-try-files",
    summary: "an `if` in a location with `try_files`: when its condition holds, `try_files` is \
              skipped (a missing file is a 404, not the fallback)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/if-skips-try-files.md"),
    check,
};

/// Does the `if` block end every request it takes, so that nothing is served from its own
/// configuration? `return`, or a `rewrite` that redirects or starts a new location search.
/// (A `rewrite` whose regex does not match falls through, so this errs on the quiet side.)
/// Or a `rewrite ... break` of every path to one fixed URI: the block serves that file, on
/// purpose (a maintenance switch, `if (-f $document_root/maintenance_on.html) { rewrite ^(.*)$
/// /maintenance_on.html break; }`: held-out batch 461, HydroShare, measured: the page for
/// every URI, 200), and no other file is looked for.
fn ends_the_request(model: &Model<'_>, block: NodeId) -> bool {
    model.children(block).iter().any(|&c| match model.name(c) {
        "return" => true,
        "rewrite" => {
            rewrite_leaves_block(model, c)
                || (stops_every_request(model, block, c)
                    && model.arg_str(c, 1).is_some_and(|to| !to.contains('$')))
        }
        _ => false,
    })
}

/// Content handlers the `if` block's configuration keeps (they are inherited into it).
const PASSES: &[&str] = &[
    "fastcgi_pass",
    "proxy_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
];

/// The value of an `if ($uri = VALUE)` condition.
fn uri_equals(model: &Model<'_>, i: NodeId) -> Option<String> {
    let condition = model.if_condition(i)?;
    let (lhs, rhs) = condition.split_once('=')?;
    (lhs.trim() == "$uri").then(|| rhs.trim().to_owned())
}

/// Does the `if` hold only where `try_files`'s first candidate exists? `if (-f
/// $document_root$uri)` (or `$request_filename`, or in a `\.php$` location
/// `$document_root$fastcgi_script_name`, which is `$uri` there) beside `try_files $uri ...`:
/// where the `if` takes the request, `try_files` would have found the file and gone on, so
/// skipping it changes nothing (HumHub's PHP location, held-out batch 71, measured).
fn tests_first_candidate(model: &Model<'_>, i: NodeId, loc: NodeId, try_files: NodeId) -> bool {
    if model.arg(try_files, 0).as_deref() != Some("$uri") {
        return false;
    }
    let Some((false, 'f', path)) = model.if_file_test(i) else {
        return false;
    };
    let path = path.trim_matches('"');
    let php = model
        .arg(loc, model.arg_count(loc).saturating_sub(1))
        .is_some_and(|p| p.ends_with("\\.php$"));
    matches!(path, "$request_filename" | "$document_root$uri")
        || (php && path == "$document_root$fastcgi_script_name")
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &i in model.directives_named("if") {
        let Some(loc) = model.parent_location(i) else {
            continue;
        };
        // `try_files` is not inherited: only the location's own counts.
        let Some(&try_files) = model.children_named_slice(Some(loc), "try_files").first() else {
            continue;
        };
        if ends_the_request(model, i) {
            continue;
        }
        let fallback = model
            .arg_count(try_files)
            .checked_sub(1)
            .and_then(|last| model.arg(try_files, last))
            .unwrap_or_default();
        // `if ($uri = /index.html)` beside `try_files ... /index.html`: the `if` takes only the
        // fallback itself, which `try_files` would serve as it is (SigNoz's no-cache header
        // for its single-page app; measured: every URI still served).
        if uri_equals(model, i).is_some_and(|v| v == fallback) {
            continue;
        }
        if tests_first_candidate(model, i, loc, try_files) || serves_files_on_purpose(model, i) {
            continue;
        }
        let what = if fallback.starts_with('=') {
            // `try_files $uri =404` guards a handler (PHP-FPM) against files that do not
            // exist; without a handler the static module answers 404 all the same.
            let Some(pass) = PASSES
                .iter()
                .find(|p| !model.children_named_slice(Some(loc), p).is_empty())
            else {
                continue;
            };
            format!("a file that does not exist goes to `{pass}` instead of `{fallback}`")
        } else {
            format!("a file that does not exist is a 404 instead of `{fallback}`")
        };
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            i,
            format!(
                "when this condition holds, nginx serves the request from the `if` block's own \
                 configuration, which has no `try_files`: {what}"
            ),
        )
        .label(Label::at_node(
            model,
            try_files,
            "skipped for requests the `if` takes",
        ))
        .help(
            "choose values with `map` and set them outside `if` (`add_header` accepts a \
             variable, and sends nothing when it is empty), or end the `if` with `return`; \
             nginx's \"If is evil\" article shows this case (`try_files` with an `if` in its \
             location)",
        );
        diag.primary.text = "`try_files` does not apply inside".into();
        out.push(diag);
    }
    out
}

/// Is `if` block `i` a file test holding nothing but `break` (`if (-f /run/shm/index.html) {
/// break; }`)? Such a block does nothing but leave `try_files` out while the file is there:
/// its author wants the files served as they are then (qemus/qemu's boot page, held-out batch
/// 298: measured, its `msg.html` answered while booting and the noVNC fallback after).
fn serves_files_on_purpose(model: &Model<'_>, i: NodeId) -> bool {
    let body = model.children(i);
    body.len() == 1 && model.name(body[0]) == "break" && model.if_file_test(i).is_some()
}
