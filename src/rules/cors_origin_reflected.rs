//! `cors-origin-reflected`: `add_header Access-Control-Allow-Origin $http_origin;` beside
//! `add_header Access-Control-Allow-Credentials true;`, with no check of the Origin: every
//! site a logged-in user visits may read the responses with the user's cookies.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::headers::reflected_origins;
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "cors-origin-reflected",
    summary: "`Access-Control-Allow-Origin` echoes any request's Origin with \
              `Access-Control-Allow-Credentials: true`: every site may read the responses with \
              the user's cookies",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/cors-origin-reflected.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Most configurations send no CORS header at all.
    if model.directives_named("add_header").is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let found = reflected_origins(model);
    // The locations (or servers) where a reflected origin with credentials also reaches the
    // answers to other requests: a preflight's finding there must not say they stay unreadable
    // (held-out batch 138, Ditto's CORS include: a second `if` reflected the origin on every
    // answer, measured).
    let readable_at: Vec<Option<NodeId>> = found
        .iter()
        .filter(|r| r.credentials.is_some() && !preflight_only(model, r.header))
        .map(|r| crate::semantics::location::request_level(model, r.header))
        .collect();
    for r in found {
        let Some(credentials) = r.credentials else {
            continue;
        };
        if same_files_for_everyone(model, r.header)
            || subrequest_only(model, r.header)
            || (fixed_answer(model, r.header) && !preflight_only(model, r.header))
        {
            continue;
        }
        // Only a preflight's answer carries the header: other sites' pages may send the
        // user's credentialed requests but never read what comes back (held-out batch 108:
        // the real `POST` answered without any `Access-Control-*` header, measured).
        let preflight_only = preflight_only(model, r.header);
        let message = if preflight_only {
            let answers = if readable_at
                .contains(&crate::semantics::location::request_level(model, r.header))
            {
                "and another `add_header` here reflects the Origin on their answers too, which \
                 the site can then read"
            } else {
                "the answers, which carry no such header from nginx, stay unreadable"
            };
            format!(
                "`add_header Access-Control-Allow-Origin {}` answers any site's preflight with \
                 its own Origin and `Access-Control-Allow-Credentials: true`: the browser of a \
                 logged-in user then sends that site's requests (a JSON `POST`, a `DELETE`) \
                 with the user's cookies; {answers}",
                r.value
            )
        } else {
            format!(
                "`add_header Access-Control-Allow-Origin {}` echoes any request's Origin \
                 unchecked, beside `Access-Control-Allow-Credentials: true`: the browser of a \
                 logged-in user lets every site it visits read these responses, sent with the \
                 user's cookies",
                r.value
            )
        };
        let mut diag = Diagnostic::at_node(&RULE, model, r.header, message)
        .label(Label::at_node(model, credentials, "credentials allowed"))
        .help(
            "echo only the origins you trust: a `map $http_origin $cors_origin` whose `default` \
             is empty and whose entries are exact origins or anchored regexes \
             (`~^https://app\\.example\\.com$`), and `add_header Access-Control-Allow-Origin \
             $cors_origin`",
        );
        diag.primary.text = "reflected Origin".into();
        if preflight_only {
            diag.severity = Severity::Warning;
        }
        out.push(diag);
    }
    out
}

/// Is `header` inside an `if` that only `OPTIONS` requests enter (`if ($request_method =
/// OPTIONS)`)? Its headers then reach preflight answers only.
fn preflight_only(model: &Model<'_>, header: NodeId) -> bool {
    model.ancestors(header).any(|a| {
        model.name(a) == "if"
            && model.if_test(a).is_some_and(|t| {
                t.subject.eq_ignore_ascii_case("$request_method")
                    && match t.compared() {
                        Some(("=", v)) => v.eq_ignore_ascii_case("options"),
                        Some(("~" | "~*", v)) => v.eq_ignore_ascii_case("^options$"),
                        _ => false,
                    }
            })
    })
}

/// Is `header` set for a location its author made public, answering with the same files to
/// every client: its own `auth_request off;` or `auth_basic off;` lifts the server's login,
/// it serves files only (no upstream, script or `return`), its `try_files` (if any) ends in a
/// status, and no other login ([`auth_in_effect`](crate::semantics::access::auth_in_effect))
/// nor address rule applies there? A site that reads such answers
/// with the user's cookies reads what it could fetch itself (held-out batch 374: Venus OS's
/// GUI location, whose `.wasm` its remote portal downloads cross-origin). Without that
/// opt-out a file location stays reported: files nginx serves to anyone may still be a
/// network's own (an intranet server), and a reflected Origin lets any site read them through
/// a browser inside it.
fn same_files_for_everyone(model: &Model<'_>, header: NodeId) -> bool {
    let Some(loc) = crate::semantics::location::request_level(model, header)
        .filter(|&l| model.name(l) == "location")
    else {
        return false;
    };
    let opted_out = ["auth_request", "auth_basic"].iter().any(|d| {
        model
            .children_named_slice(Some(loc), d)
            .iter()
            .any(|&n| model.arg_is(n, 0, "off"))
    });
    opted_out
        && crate::semantics::location::serves_files_only(model, loc)
        && model
            .children_named_slice(Some(loc), "try_files")
            .iter()
            .all(|&t| {
                let n = model.arg_count(t);
                n.checked_sub(1)
                    .and_then(|last| model.arg_str(t, last))
                    .is_some_and(|a| a.starts_with('='))
            })
        && crate::semantics::access::auth_in_effect(model, Some(loc)).is_none()
        && ["allow", "deny"]
            .iter()
            .all(|d| model.effective(Some(loc), d).is_default())
}

/// Is `header` set for a location only `auth_request` subrequests reach? Its headers never
/// reach a client (held-out batch 378, WDQS's `/_check_auth`: measured).
fn subrequest_only(model: &Model<'_>, header: NodeId) -> bool {
    crate::semantics::location::request_level(model, header)
        .is_some_and(|l| crate::semantics::access::auth_subrequest_only(model, l))
}

/// Does the block `header` is set in answer every request with a fixed text (`return 503
/// 'Data reload in progress';`): the same for every client, cookies or none (held-out batch
/// 378, the Wikidata Query Service's "data reload" answer)? Not a preflight's answer, whose
/// headers let the site send its credentialed requests.
fn fixed_answer(model: &Model<'_>, header: NodeId) -> bool {
    let Some(block) = model.node(header).parent() else {
        return false;
    };
    crate::semantics::location::own_return(model, block).is_some_and(|r| {
        let status = crate::semantics::location::return_status(model, r);
        status.is_some_and(|s| !(300..400).contains(&s))
            && model.arg_count(r) <= 2
            && model.arg_str(r, 1).is_none_or(|text| !text.contains('$'))
    })
}
