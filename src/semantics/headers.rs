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
