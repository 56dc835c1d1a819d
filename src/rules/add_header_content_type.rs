//! `add-header-content-type`: `add_header Content-Type` adds a second `Content-Type` header
//! next to the one nginx (or the upstream) already sends.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::model::NodeId;
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "add-header-content-type",
    summary: "`add_header Content-Type` sends a second `Content-Type` next to nginx's own; use \
              `default_type` or `types`",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/add-header-content-type.md"),
    check,
};

/// Each `*_hide_header` with the line that passes to its upstream.
const HIDE_PASS: &[(&str, &str)] = &[
    ("proxy_hide_header", "proxy_pass"),
    ("fastcgi_hide_header", "fastcgi_pass"),
    ("uwsgi_hide_header", "uwsgi_pass"),
    ("scgi_hide_header", "scgi_pass"),
    ("grpc_hide_header", "grpc_pass"),
];

/// Does the block the `add_header` is in answer every request with `return 204` (or 304)?
/// nginx's header filter sends no `Content-Type` of its own with those codes, so the one
/// added is the only one (PeerTube's CORS preflight: `if ($request_method = 'OPTIONS') {
/// add_header Content-Type 'text/plain charset=UTF-8'; return 204; }`).
fn answers_without_content_type(
    model: &crate::semantics::model::Model<'_>,
    block: Option<crate::semantics::model::NodeId>,
) -> bool {
    model
        .children_named_slice(block, "return")
        .iter()
        .any(|&r| matches!(model.arg(r, 0).as_deref(), Some("204" | "304")))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per block: whether its lines are left alone (the upstream's `Content-Type` hidden, or
    // no `Content-Type` sent), and whether lines without `always` are never added there.
    // Asked once per block: a block of thousands of headers read its `proxy_hide_header`s
    // and `return`s again for each.
    let mut blocks: HashMap<Option<NodeId>, (bool, bool)> = HashMap::default();
    // Per location, its `if`s that a later one replaces, read once.
    let mut replaced: HashMap<NodeId, Vec<NodeId>> = HashMap::default();
    // The URIs `error_page` lines send requests to, read once, the first time a location
    // that may be one asks.
    let error_targets = std::cell::OnceCell::new();
    let mut unreachable = super::location_unreachable::Reported::default();
    for &n in cx.directives_named("add_header") {
        if !model
            .arg(n, 0)
            .is_some_and(|h| h.eq_ignore_ascii_case("content-type"))
        {
            continue;
        }
        // An empty value: nginx adds no header (held-out batch 286, OPSnet's imageproxy,
        // measured: one `Content-Type`, the backend's).
        if model.arg(n, 1).is_some_and(|v| v.is_empty()) {
            continue;
        }
        let parent = model.node(n).parent();
        // The location the line is in (itself, or around its `if`).
        let location = parent.and_then(|p| {
            if model.name(p) == "location" {
                Some(p)
            } else {
                model.enclosing(p, "location")
            }
        });
        let &mut (left_alone, skips_unforced) = blocks.entry(parent).or_insert_with(|| {
            // The upstream's Content-Type hidden: this one replaces it (gixy agrees). Only
            // where the location passes to that module's upstream: a `proxy_hide_header` of a
            // location serving a file hides nothing (held-out batch 440, Bitwarden's
            // `/app-id.json`: measured, two `Content-Type` headers).
            let passes_to = |pass: &str| {
                location.is_none_or(|l| {
                    [parent, Some(l)]
                        .into_iter()
                        .any(|b| !model.children_named_slice(b, pass).is_empty())
                })
            };
            let hidden = HIDE_PASS.iter().any(|&(h, pass)| {
                passes_to(pass)
                    && model.effective(parent, h).nodes.iter().any(|&x| {
                        model
                            .arg(x, 0)
                            .is_some_and(|v| v.eq_ignore_ascii_case("content-type"))
                    })
            });
            // `default_type "";` written at this level: the author turned nginx's own type
            // off for what it serves here, to send this one (held-out batch 286, files
            // without an extension served with the backend's type: measured, one
            // `Content-Type`).
            let no_default = parent.is_some_and(|p| {
                model
                    .children_named_slice(Some(p), "default_type")
                    .iter()
                    .any(|&d| model.arg(d, 0).is_some_and(|v| v.is_empty()))
            });
            // An `if` whose configuration a later `if` always replaces never adds it
            // (`if-overridden` says so).
            let overridden = parent.is_some_and(|p| {
                model.name(p) == "if"
                    && model.node(p).parent().is_some_and(|loc| {
                        replaced
                            .entry(loc)
                            .or_insert_with(|| {
                                crate::semantics::location::replaced_ifs(model, loc)
                                    .into_iter()
                                    .map(|(x, _)| x)
                                    .collect()
                            })
                            .contains(&p)
                    })
            });
            (
                hidden || overridden || no_default || answers_without_content_type(model, parent),
                crate::semantics::headers::skips_unforced(model, parent).is_some()
                    // An error page's location answers with the error's status (held-out
                    // batch 106: `/50x.html` for 502, 503 and 504 sent one Content-Type).
                    || crate::semantics::headers::error_pages_only(
                        model,
                        parent,
                        error_targets
                            .get_or_init(|| crate::semantics::headers::error_page_targets(model)),
                    ),
            )
        });
        // Never added at all (a block that only answers `return 503`): add-header-never-sent
        // says so.
        if left_alone || (skips_unforced && !crate::semantics::headers::has_always(model, n)) {
            continue;
        }
        // A location `location-unreachable` reports answers no request: the cause is that
        // finding's (held-out batch 487, a Matrix discovery location behind `location ~ /\.`:
        // measured, 403 from the regex, the two `Content-Type`s only once `^~` was added).
        if location.is_some_and(|l| unreachable.contains(model, l)) {
            continue;
        }
        let value = model.arg(n, 1).unwrap_or_default();
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            n,
            format!(
                "`add_header Content-Type {value}` does not replace the response's \
                 `Content-Type`: nginx already sets one (from `types`/`default_type`, or the \
                 upstream's), so clients get two and may pick either"
            ),
        )
        .help(match pass_here(model, parent) {
            // `default_type` types files and `return`s, never an upstream's answer (held-out
            // batch 117: a proxied audio stream kept the upstream's type, measured).
            Some(pass) => format!(
                "the upstream's `Content-Type` is the one nginx sends here: hide it \
                 (`{}_hide_header Content-Type;`) before adding your own, or have the upstream \
                 send the right one",
                pass.trim_end_matches("_pass")
            ),
            None => format!(
                "use `default_type {value};` (with `types {{ }}` to override the extension \
                 mapping), or `proxy_hide_header Content-Type;` before adding your own"
            ),
        });
        diag.primary.text = "second Content-Type".into();
        out.push(diag);
    }
    out
}

/// The pass directive (`proxy_pass`, `fastcgi_pass`...) of `block` itself, if it has one.
fn pass_here(
    model: &crate::semantics::model::Model<'_>,
    block: Option<NodeId>,
) -> Option<&'static str> {
    let block = block?;
    crate::semantics::streaming::PASS_DIRECTIVES
        .iter()
        .copied()
        .find(|p| !model.children_named_slice(Some(block), p).is_empty())
}
