//! `auth-request-status`: a `return` of a status other than 2xx, 401 and 403 in the location
//! an `auth_request` subrequest goes to (`location = /auth { return 302 /login; }`). nginx's
//! auth request module allows the request on 2xx, denies it on 401 and 403, and answers any
//! other status of the subrequest with 500 ("auth request unexpected status"): the redirect
//! to a login page the author meant never reaches the client.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::Routes;
use foldhash::HashSet;

pub static RULE: Rule = Rule {
    id: "auth-request-status",
    summary: "the location an `auth_request` subrequest goes to returns a status other than \
              2xx, 401 or 403: nginx answers the client 500",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/auth-request-status.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let auths = cx.directives_named("auth_request");
    if auths.is_empty() {
        return out;
    }
    let routes = Routes::default();
    // Each `return` reported once, for the first `auth_request` that reaches it.
    let mut reported: HashSet<NodeId> = HashSet::default();
    for (a, target) in crate::semantics::access::auth_request_targets(model, auths, &routes) {
        let Some(uri) = model.arg_str(a, 0) else {
            continue;
        };
        for (ret, code, in_if) in unexpected_returns(model, target) {
            if !reported.insert(ret) {
                continue;
            }
            out.push(diagnostic(model, a, &uri, target, ret, code, in_if));
        }
    }
    out
}

/// The `return`s of location `loc` (directly in it, or in an `if` directly in it) whose
/// status the auth request module turns into 500, with the status and whether an `if` holds
/// it. None where a `rewrite` or `break` may end the rewrite phase before them.
fn unexpected_returns(model: &Model<'_>, loc: NodeId) -> Vec<(NodeId, u16, bool)> {
    let mut found = Vec::new();
    let mut note = |ret: NodeId, in_if: bool| {
        if let Some(code) = return_status(model, ret).filter(|&c| unexpected(c)) {
            found.push((ret, code, in_if));
        }
    };
    for &child in model.children(loc) {
        match model.name(child) {
            "rewrite" | "break" => return Vec::new(),
            // Nothing after an unconditional `return` runs.
            "return" => {
                note(child, false);
                break;
            }
            "if" => {
                // The block's first `return`, unless a `rewrite` or `break` comes first.
                let first = model
                    .children(child)
                    .iter()
                    .copied()
                    .find(|&c| matches!(model.name(c), "rewrite" | "break" | "return"));
                if let Some(ret) = first.filter(|&c| model.name(c) == "return") {
                    note(ret, true);
                }
            }
            _ => {}
        }
    }
    found
}

/// The status `return` node `ret` answers with: its code, or 302 for `return URL;`. `None`
/// for a code nginx would refuse or a value only known at run time.
fn return_status(model: &Model<'_>, ret: NodeId) -> Option<u16> {
    let first = model.arg_str(ret, 0)?;
    if first.bytes().all(|b| b.is_ascii_digit()) {
        return first.parse().ok();
    }
    let url = ["http://", "https://", "$scheme"]
        .iter()
        .any(|p| first.starts_with(p));
    (url && model.arg_count(ret) == 1).then_some(302)
}

/// A status of the subrequest that nginx answers with 500: a redirect, or an error other than
/// 401 and 403 (`ngx_http_auth_request_handler`). 444 closes the connection instead; a 5xx is
/// an error either way.
fn unexpected(code: u16) -> bool {
    (300..400).contains(&code) || ((400..500).contains(&code) && ![401, 403, 444].contains(&code))
}

fn diagnostic(
    model: &Model<'_>,
    auth: NodeId,
    uri: &str,
    target: NodeId,
    ret: NodeId,
    code: u16,
    in_if: bool,
) -> Diagnostic {
    let path = model.args_str(target).join(" ");
    let which = if in_if {
        "for the requests that take this `if`, "
    } else {
        ""
    };
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        ret,
        format!(
            "`location {path}` answers the auth subrequest of `auth_request {uri}` with \
             {code}: {which}nginx answers the client 500 (\"auth request unexpected status: \
             {code}\"); it allows a request on 2xx and denies it on 401 or 403, nothing else"
        ),
    )
    .label(Label::at_node(
        model,
        auth,
        "the `auth_request` whose subrequest goes there",
    ))
    .help(
        "answer 401 (or 403) from the auth location, and send the client on from the \
         location with `auth_request`: `error_page 401 = @login;` with `location @login { \
         return 302 /login?rd=$request_uri; }`",
    );
    d.primary.text = format!("{code}: the client gets 500").into();
    d
}
