//! `add-header-framing`: `add_header Content-Length` or `add_header Transfer-Encoding` adds a
//! second framing header to a response nginx frames itself (its own `Content-Length`, or
//! chunked): two lengths, or a `chunked` body that is not chunked.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::style::removal_span;
use crate::fix::{Edit, Fix};
use crate::semantics::model::{Model, NodeId};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    id: "add-header-framing",
    summary: "`add_header Content-Length` or `Transfer-Encoding` adds a second framing header \
              to a response nginx frames itself: clients refuse two lengths or read a body that \
              is not chunked",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/add-header-framing.md"),
    check,
};

/// The framing headers nginx always computes for a response with a body.
const FRAMING: &[&str] = &["content-length", "transfer-encoding"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Per block: whether its lines are never added or meet no framing of nginx's (asked once
    // per block, not once per header of a block of thousands).
    let mut left_alone: HashMap<Option<NodeId>, bool> = HashMap::default();
    for &n in cx.directives_named("add_header") {
        // Only a name of 14 or 17 bytes (16 or 19 quoted) can be one: most `add_header`s are
        // passed over without reading their name.
        if !model
            .node(n)
            .directive
            .arg_tokens()
            .next()
            .is_some_and(|t| matches!(t.span().len(), 14 | 17 | 16 | 19))
        {
            continue;
        }
        let Some(name) = model.arg_str(n, 0) else {
            continue;
        };
        let Some(&header) = FRAMING.iter().find(|h| name.eq_ignore_ascii_case(h)) else {
            continue;
        };
        let parent = model.node(n).parent();
        let skipped = *left_alone
            .entry(parent)
            .or_insert_with(|| no_framing_met(model, parent));
        // A line without `always` in a block whose every answer skips it is never added
        // (add-header-never-sent's).
        if skipped
            || (crate::semantics::headers::skips_unforced(model, parent).is_some()
                && !crate::semantics::headers::has_always(model, n))
        {
            continue;
        }
        let value = model.arg_str(n, 1).unwrap_or_default();
        let message = if header == "content-length" {
            format!(
                "`add_header {name} {value}` adds a second `Content-Length`: nginx already frames \
                 the response itself (the body's real length, or chunked), so clients get two, \
                 and where they differ they refuse the response (Chrome: \
                 ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH) or read the wrong body"
            )
        } else {
            format!(
                "`add_header {name} {value}` says the body is chunked, but nginx sends it with \
                 its own framing (a `Content-Length`, or chunks of its own): clients read a body \
                 that is not there, or chunks twice over"
            )
        };
        let label = if header == "content-length" {
            "second Content-Length"
        } else {
            "second framing header"
        };
        let mut diag = Diagnostic::at_node(&RULE, model, n, message).help(
            "remove the line: nginx computes `Content-Length` and `Transfer-Encoding` for every \
             response it sends (an empty body gets `Content-Length: 0`, a 204 none)",
        );
        diag.primary.text = label.into();
        let span = removal_span(model.src(n), model.node(n).directive.span());
        diag = diag.fix(Fix::unsafe_(
            format!("Remove `add_header {name} {value}`"),
            vec![Edit::replace(model.file_of(n), span, "")],
        ));
        out.push(diag);
    }
    out
}

/// Does `block` answer every request with `return 204` or `304`? nginx sends neither a
/// `Content-Length` nor chunks with those codes (its header filter drops them), so an added
/// `Content-Length: 0` is the only framing header (the CORS preflight recipe: `add_header
/// Content-Length 0; return 204;`), harmless. And an `if` whose configuration a later `if`
/// always replaces never adds its lines (`if-overridden` says so).
fn no_framing_met(model: &Model<'_>, block: Option<NodeId>) -> bool {
    let bodiless = model
        .children_named_slice(block, "return")
        .iter()
        .any(|&r| matches!(model.arg_str(r, 0).as_deref(), Some("204" | "304")));
    let overridden = block.is_some_and(|p| {
        model.name(p) == "if"
            && model.node(p).parent().is_some_and(|loc| {
                crate::semantics::location::replaced_ifs(model, loc)
                    .into_iter()
                    .any(|(x, _)| x == p)
            })
    });
    bodiless || overridden
}
