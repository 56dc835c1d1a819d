//! `limit-status-mismatch`: an `error_page` for 429 is in effect where `limit_req` (or
//! `limit_conn`) rejects with its default status, 503. The author means the page for the
//! requests the limit rejects, and they never get it: nginx answers them 503 with its plain
//! page (measured with nginx 1.22.1: `error_page 429 = @too_many;` beside `limit_req`, the
//! second request within the rate got nginx's 503 page; with `limit_req_status 429;` it got
//! the named location's 429. Held-out batch 373: 26 of 90 requests got 503, and the JSON 429
//! handler never ran).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Fix, style};
use crate::semantics::model::{Model, NodeId};

pub static RULE: Rule = Rule {
    id: "limit-status-mismatch",
    summary: "an `error_page` for 429 is in effect where `limit_req` or `limit_conn` rejects with \
              its default 503: the rejected requests never get that page",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/limit-status-mismatch.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    // Most configurations set no error page for 429.
    if model.directives_named("error_page").is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &(limit, status) in crate::semantics::location::REQUEST_LIMITS {
        // Each level once (a set: one level's lines are not together in walk order, and a
        // list searched per line grew with the square of the levels).
        let mut seen: foldhash::HashSet<Option<NodeId>> = foldhash::HashSet::default();
        for &l in cx.directives_named(limit) {
            let level = model.node(l).parent();
            if !seen.insert(level) {
                continue;
            }
            if !model.effective(level, status).is_default() || lines_unread(model, level) {
                continue;
            }
            let Some((page, page_503)) = pages_for_429(model, level) else {
                continue;
            };
            // Where an upstream's errors are intercepted, the page may be for its own 429s.
            if crate::semantics::location::intercepts_errors(model, level) {
                continue;
            }
            out.push(finding(model, level, limit, status, page, page_503));
        }
    }
    out
}

/// The `error_page` lines in effect at `level` that name 429 and 503 (the status the limit
/// rejects with), where one names 429 and no line names both (a page for both is the
/// author's answer to either).
fn pages_for_429(model: &Model<'_>, level: Option<NodeId>) -> Option<(NodeId, Option<NodeId>)> {
    let pages = model.effective(level, "error_page");
    let (mut for_429, mut for_503) = (None, None);
    for &n in pages.nodes {
        // The codes: every argument but the last (the page), and but an `=code` answer.
        let codes = model.arg_count(n).saturating_sub(1);
        let (mut names_429, mut names_503) = (false, false);
        for i in 0..codes {
            match model.arg_str(n, i).as_deref() {
                Some("503") => names_503 = true,
                Some("429") => names_429 = true,
                _ => {}
            }
        }
        if names_429 && names_503 {
            return None;
        }
        if names_429 {
            for_429.get_or_insert(n);
        }
        if names_503 {
            for_503.get_or_insert(n);
        }
    }
    for_429.map(|p| (p, for_503))
}

/// May an include that was not read, at `level` or a level it inherits from, set the status?
fn lines_unread(model: &Model<'_>, level: Option<NodeId>) -> bool {
    let mut at = level;
    loop {
        if model
            .children_named_slice(at, "include")
            .iter()
            .any(|&i| crate::semantics::loadtime::include_unread(model, i))
        {
            return true;
        }
        match at {
            Some(n) => at = model.node(n).parent(),
            None => return false,
        }
    }
}

fn finding(
    model: &Model<'_>,
    level: Option<NodeId>,
    limit: &str,
    status: &str,
    page: NodeId,
    page_503: Option<NodeId>,
) -> Diagnostic {
    let own = model.children_named_slice(level, limit);
    let first = own[0];
    let rejects = if limit == "limit_req" {
        "requests over the zone's rate"
    } else {
        "connections over the zone's number"
    };
    let mut d = Diagnostic::at_node(
        &RULE,
        model,
        first,
        format!(
            "`{limit}` rejects {rejects} with 503 (`{status}` is not set), but the `error_page` \
             in effect here for 429 is not the one for 503: the rejected requests get {}, never \
             the 429 page",
            if page_503.is_some() {
                "the 503 page (a server error's)"
            } else {
                "nginx's plain 503 page"
            }
        ),
    )
    .label(Label::at_node(
        model,
        page,
        "handles 429, a status the limit never answers",
    ))
    .help(format!(
        "set `{status} 429;` beside `{limit}` (or name 503 on the `error_page` line)"
    ));
    if let Some(p) = page_503 {
        d = d.label(Label::at_node(
            model,
            p,
            "the page the rejected requests get",
        ));
    }
    d.primary.text = "rejects with 503".into();
    if let Some(fix) = fix(model, own, status) {
        d = d.fix(fix);
    }
    d
}

/// `STATUS 429;` after the level's last own limit line.
fn fix(model: &Model<'_>, own: &[NodeId], status: &str) -> Option<Fix> {
    let &anchor = own.last()?;
    let edit = style::insert_line_after(model, anchor, &format!("{status} 429;"))?;
    // Clients then get 429 where they got 503: what the page says the author wants, but a
    // change of status a client may read (a retry policy keyed on 503).
    Some(Fix::unsafe_(
        format!("Reject with 429: add `{status} 429;`"),
        vec![edit],
    ))
}
