//! Response headers a level sends: `add_header` merged as nginx merges it (all or nothing; from
//! 1.29.3 `add_header_inherit merge|off`), and headers-more's `more_set_headers`.

use super::directives::Version;
use super::model::{Model, NodeId};

/// `add_header_inherit` appeared in nginx 1.29.3.
const INHERIT_SINCE: Version = Version(1, 29, 3);

/// The `add_header` lines in effect at `level` for nginx `version`, in nginx's order.
pub fn add_headers_at(model: &Model<'_>, version: Version, level: Option<NodeId>) -> Vec<NodeId> {
    let own: Vec<NodeId> = model
        .children_named(level, "add_header")
        .into_iter()
        .filter(|&n| model.arg_count(n) >= 1)
        .collect();
    let mode = if version < INHERIT_SINCE {
        None
    } else {
        let eff = model.effective(level, "add_header_inherit");
        eff.nodes.last().and_then(|&n| model.arg(n, 0))
    };
    if mode.as_deref() == Some("off") {
        return own;
    }
    let inherited = || match level {
        Some(l) => add_headers_at(model, version, model.node(l).parent()),
        None => Vec::new(),
    };
    if own.is_empty() {
        inherited()
    } else if mode.as_deref() == Some("merge") {
        let mut all = own;
        all.extend(inherited());
        all
    } else {
        own
    }
}

/// Does directive `n` (`add_header` or `more_set_headers`) set response header `header`?
pub fn sets_header(model: &Model<'_>, n: NodeId, header: &str) -> bool {
    match model.name(n) {
        "add_header" => model
            .arg(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case(header)),
        "more_set_headers" => (0..model.arg_count(n))
            .filter_map(|i| model.arg(n, i))
            .filter(|a| !a.starts_with('-'))
            .any(|a| {
                a.split_once(':')
                    .map_or(a.as_str(), |(h, _)| h)
                    .trim()
                    .eq_ignore_ascii_case(header)
            }),
        _ => false,
    }
}

/// The response statuses `add_header` and `add_trailer` add to without `always`
/// (`ngx_http_headers_filter`: 200, 201, 204, 206, 301, 302, 303, 304, 307, 308).
const ADDED_AT: &[u16] = &[200, 201, 204, 206, 301, 302, 303, 304, 307, 308];

/// Does `add_header`/`add_trailer` line `n` end with `always` (added whatever the status)?
fn has_always(model: &Model<'_>, n: NodeId) -> bool {
    let count = model.arg_count(n);
    count >= 3 && model.arg_is(n, count - 1, "always")
}

/// The status of every response `level` (a `server`, `location` or `if` block) answers
/// itself, when it is fixed, and the `return` that answers: the level's first directive of the
/// rewrite module that acts is `return CODE` (or `return URL`, a 302), with only `set` lines
/// before it. nginx runs those directives in the order written and `return` ends the request
/// there, so nothing the level holds sends anything else (an `error_page` for that code hands
/// the response to another level, whose own headers it then gets). `None` when an `if`,
/// `rewrite` or `break` comes first, or no `return`.
pub fn fixed_status(model: &Model<'_>, level: Option<NodeId>) -> Option<(u16, NodeId)> {
    let &first = model.children_named_slice(level, "return").first()?;
    let before = |name: &str| {
        model
            .children_named_slice(level, name)
            .first()
            .is_some_and(|&n| n < first)
    };
    if before("if") || before("rewrite") || before("break") {
        return None;
    }
    let what = model.arg_str(first, 0)?;
    let status = if let Ok(code) = what.parse::<u16>() {
        (what.len() == 3).then_some(code)
    } else {
        ["http://", "https://", "$scheme"]
            .iter()
            .any(|p| what.starts_with(p))
            .then_some(302)
    };
    status.map(|s| (s, first))
}

/// Is `add_header`/`add_trailer` line `n` not added to the responses of `level` (its own, or a
/// level that inherits it): it has no `always` and every response there has a status it
/// skips ([`fixed_status`])? That status and the `return` that answers.
pub fn not_added_at(model: &Model<'_>, n: NodeId, level: Option<NodeId>) -> Option<(u16, NodeId)> {
    if has_always(model, n) {
        return None;
    }
    fixed_status(model, level).filter(|(s, _)| !ADDED_AT.contains(s))
}

/// [`not_added_at`] the line's own level: the line is never applied.
pub fn never_added(model: &Model<'_>, n: NodeId) -> Option<(u16, NodeId)> {
    not_added_at(model, n, model.node(n).parent())
}
