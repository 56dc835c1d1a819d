//! `upload-body-limit`: a location that takes a known app's file uploads (Open WebUI's
//! documents, Immich's photos, a printer's G-code) where `client_max_body_size` is nginx's
//! default 1m. nginx answers every request whose body is larger with 413 before the app sees
//! it; the app shows a failed upload, often with no word on why.
//!
//! Only where no level sets the directive: a size the author wrote is their choice, however
//! small. Only where a name says which app it is (an upstream, a comment, the site): a default
//! port alone is too weak a sign for a finding about what the app receives.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::apps;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::{self, NamedApp};

pub static RULE: Rule = Rule {
    id: "upload-body-limit",
    summary: "a location takes a known app's file uploads under nginx's default \
              `client_max_body_size 1m`: larger files are answered 413",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/upload-body-limit.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let routes = streaming::Routes::default();
    // The classification asked most proxied locations for their app already: read there.
    let classified = streaming::streaming_locations_ref(model, &cx.settings.streaming);
    for &p in cx.directives_named("proxy_pass") {
        let Some(loc) = model.parent_location(p) else {
            continue;
        };
        let asked = classified
            .binary_search_by_key(&loc, |s| s.location)
            .map_or(NamedApp::NotAsked, |i| classified[i].named_app);
        let app = match asked {
            NamedApp::Named(_) => asked.app(),
            NamedApp::Unknown => None,
            NamedApp::NotAsked => routes.app_named(model, loc, &cx.settings.streaming),
        };
        let Some(app) = app else {
            continue;
        };
        if apps::uploads(app).next().is_none() {
            continue;
        }
        // Set at some level: the author's size, whatever it is.
        if !model
            .effective(Some(loc), "client_max_body_size")
            .is_default()
        {
            continue;
        }
        let Some(upload) = apps::uploads(app).find(|u| routes.routes(model, loc, u.path)) else {
            continue;
        };
        // A file we could not read may set it at a level above.
        if streaming::unknown_include_up_to(model, loc, None) {
            continue;
        }
        let mut d = Diagnostic::at_node(
            &RULE,
            model,
            p,
            format!(
                "{} takes {} at `{}` through this location, and `client_max_body_size` is \
                 nginx's default 1m here: nginx answers a request with a body over 1 MB with \
                 413 (Request Entity Too Large) before {} sees it",
                app.name,
                upload.what,
                shown(upload.path),
                app.name
            ),
        )
        .help(match upload.advised {
            Some(("0", _)) => format!(
                "set `client_max_body_size` to the largest upload you accept, in this location \
                 or its server ({}'s guide sets `0`, which turns the check off)",
                app.name
            ),
            Some((size, _)) => format!(
                "set `client_max_body_size` to the largest upload you accept, in this location \
                 or its server ({}'s guide sets `client_max_body_size {size};`)",
                app.name
            ),
            None => "set `client_max_body_size` to the largest upload you accept, in this \
                     location or its server"
                .to_owned(),
        });
        d.primary.text = "uploads over 1 MB are refused here".into();
        // A size, not `0`: the fix does not turn the check off for a whole location.
        if let Some((size, _)) = upload.advised.filter(|(size, _)| *size != "0")
            && let Some(fix) = fix(model, p, size)
        {
            d = d.fix(fix);
        }
        out.push(d);
    }
    out
}

/// An endpoint's example path as users read it: `x` segments (an id) written `…`.
fn shown(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg == "x" { "…" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// `client_max_body_size SIZE;` after the `proxy_pass` line, with the size the app's own guide
/// sets. Offered as a choice: the largest upload a site accepts is its own decision.
fn fix(model: &Model<'_>, p: NodeId, size: &str) -> Option<Fix> {
    let file_id = model.file_of(p);
    let file = model.program.file(file_id);
    let (at, text) = style::insert_after(
        file,
        model.node(p).directive,
        &format!("client_max_body_size {size};"),
    );
    Some(Fix::unsafe_(
        format!("Accept uploads up to {size}: add `client_max_body_size {size};`"),
        vec![Edit::insert(file_id, at, text)],
    ))
}
