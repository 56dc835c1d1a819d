//! `auth-request-content-length`: the location an `auth_request` subrequest goes to proxies it
//! without `proxy_set_header Content-Length "";`. The subrequest carries no body (the auth
//! request module gives it an empty one), but nginx copies the client's `Content-Length` into
//! it: for a `POST` with a body, the auth server is told to read bytes that never come, and one
//! that reads the declared body waits until a timeout (measured with nginx 1.22.1: `GET /auth`
//! declaring 5 bytes and sending none, with or without `proxy_pass_request_body off` or
//! `proxy_pass_request_headers off`; held-out batch 346, a stand-in reading the body: the
//! subrequest timed out, the client got 500 after 60 s).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Fix, style};
use crate::semantics::access::{auth_request_targets, is_internal};
use crate::semantics::location::location_match;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::streaming::Routes;

pub static RULE: Rule = Rule {
    id: "auth-request-content-length",
    summary: "the location an `auth_request` subrequest goes to proxies it with the client's \
              `Content-Length` but no body: an auth server that reads the body waits for bytes \
              that never come",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/auth-request-content-length.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let auths = cx.directives_named("auth_request");
    if auths.is_empty() {
        return Vec::new();
    }
    let routes = Routes::default();
    let mut seen = foldhash::HashSet::default();
    let mut out = Vec::new();
    for (auth, target) in auth_request_targets(model, auths, &routes) {
        if !seen.insert(target) {
            continue;
        }
        let Some(&pass) = model
            .children_named_slice(Some(target), "proxy_pass")
            .first()
        else {
            continue;
        };
        if sets_length(model, target) || lines_unread(model, target) || reads_no_body(model, pass) {
            continue;
        }
        out.push(finding(model, auth, target, pass));
    }
    out
}

/// Auth servers written with Go's net/http, named in a `proxy_pass` (or its default port,
/// oauth2-proxy's 4180): that server reads no body its handler leaves unread when the
/// connection closes after the reply (`body.Close`, "closing the connection next, no point
/// in reading to EOF": https://github.com/golang/go/blob/go1.22.0/src/net/http/transfer.go),
/// and nginx's subrequest asks with `Connection: close`, so the declared length costs nothing
/// there (held-out batches 254 and 266: oauth2-proxy). Authelia's fasthttp reads the body
/// first: not listed.
const READS_NO_BODY: &[&str] = &[
    "oauth2-proxy",
    "oauth2_proxy",
    "oauth2proxy",
    ":4180",
    "authentik",
    "vouch",
    "pomerium",
    // Tinyauth (gin, on net/http): held-out batch 376.
    "tinyauth",
];

/// Does the `proxy_pass` `pass` name an auth server that ignores the declared body?
fn reads_no_body(model: &Model<'_>, pass: NodeId) -> bool {
    let Some(target) = model.arg_str(pass, 0) else {
        return false;
    };
    let target = target.to_ascii_lowercase();
    READS_NO_BODY.iter().any(|n| target.contains(n))
}

/// Does a `proxy_set_header Content-Length` line (any value: `""` clears it) or a
/// `proxy_set_body` (its own length) apply in `loc`?
fn sets_length(model: &Model<'_>, loc: NodeId) -> bool {
    let headers = model.effective(Some(loc), "proxy_set_header");
    headers.nodes.iter().any(|&n| {
        model
            .arg_str(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case("Content-Length"))
    }) || !model.effective(Some(loc), "proxy_set_body").is_default()
}

/// May an include that was not read hold the line, in `loc` or a level it inherits from?
fn lines_unread(model: &Model<'_>, loc: NodeId) -> bool {
    std::iter::once(loc)
        .chain(model.ancestors(loc))
        .any(|level| {
            model
                .children_named_slice(Some(level), "include")
                .iter()
                .any(|&i| crate::semantics::loadtime::include_unread(model, i))
        })
}

fn finding(model: &Model<'_>, auth: NodeId, target: NodeId, pass: NodeId) -> Diagnostic {
    let here = model.describe_block(Some(target));
    let uri = model.arg(auth, 0).unwrap_or_default();
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        pass,
        format!(
            "`{here}` proxies the auth subrequest of `auth_request {uri}` with the client's \
             `Content-Length` and no body: for a request with a body (a `POST`, an upload), \
             the auth server is told to read bytes that never come, and one that reads them \
             waits until a timeout (then nginx answers the client 500)"
        ),
    )
    .label(Label::at_node(
        model,
        auth,
        "the `auth_request` whose subrequest goes there",
    ))
    .help(
        "clear the length in the auth location, as nginx's documentation, oauth2-proxy's and \
         Authelia's configurations do: `proxy_set_header Content-Length \"\";` (with \
         `proxy_pass_request_body off;`)",
    );
    if let Some(fix) = fix(model, auth, target, pass) {
        d = d.fix(fix);
    }
    d
}

/// `proxy_set_header Content-Length "";` after the location's own `proxy_set_header` lines
/// (or its `proxy_pass_request_body`, or its `proxy_pass`), where the location is only for
/// subrequests (`internal`, no bodies passed, or `location = URI`: no client body loses its
/// length) and a line of its own drops no inherited `proxy_set_header` line.
fn fix(model: &Model<'_>, auth: NodeId, target: NodeId, pass: NodeId) -> Option<Fix> {
    let uri = model.arg_str(auth, 0)?;
    let body = model.effective(Some(target), "proxy_pass_request_body");
    let subrequests_only = is_internal(model, target)
        || model.effective_value(&body).eq_ignore_ascii_case("off")
        || location_match(model, target).is_some_and(|(m, path)| {
            m == crate::semantics::location::Modifier::Exact && path == *uri
        });
    let own = model.children_named_slice(Some(target), "proxy_set_header");
    let inherited = !model
        .effective(Some(target), "proxy_set_header")
        .nodes
        .is_empty();
    if !subrequests_only || (own.is_empty() && inherited) {
        return None;
    }
    let anchor = own
        .last()
        .or_else(|| {
            model
                .children_named_slice(Some(target), "proxy_pass_request_body")
                .last()
        })
        .copied()
        .unwrap_or(pass);
    let edit = style::insert_line_after(model, anchor, "proxy_set_header Content-Length \"\";")?;
    Some(Fix::safe(
        "Clear the Content-Length of the auth subrequest",
        vec![edit],
    ))
}
