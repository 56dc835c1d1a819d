//! `regex-location-unanchored`: a regex `location` with neither `^` nor `$` (in some
//! alternative): it matches wherever its pattern occurs in the URI.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::location::location_match;
use crate::semantics::regex::{Node, Regex};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "regex-location-unanchored",
    summary: "a regex `location` anchored at neither end (`^`, `$`): it matches wherever its \
              pattern occurs in the URI (`~ \\.php` also takes `/up/x.php.jpg`)",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Hardening,
    default: false,
    doc: include_str!("../../rules/regex-location-unanchored.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &loc in model.directives_named("location") {
        let Some((m, pattern)) = location_match(model, loc) else {
            continue;
        };
        if !m.is_regex() {
            continue;
        }
        // A lookaround holding the anchor (`(?=^/a)/a/b`): the parser reads lookarounds as
        // empty, so trust the text.
        if pattern.starts_with("(?=^") || pattern.starts_with("(?<=^") {
            continue;
        }
        let Some(re) = Regex::parse(
            &pattern,
            m == crate::semantics::location::Modifier::RegexCaseless,
        ) else {
            continue;
        };
        if re.root.each_branch_anchored() {
            continue;
        }
        // A location that only refuses (`deny all`, `return 403`): matching anywhere is the
        // point (`location ~ /\. { deny all; }` hides every dot-file).
        if refuses_only(model, loc) {
            continue;
        }
        let example = re.root.example();
        // No anchor anywhere (the message then shows what else matches).
        let whole = !has_anchor(&re.root);
        let msg = if whole {
            format!(
                "`{}` has neither `^` nor `$`: it matches wherever `{pattern}` occurs in the \
                 URI, so `/x{example}/y` and `/x{example}.txt` are routed here too",
                model.describe_block(Some(loc))
            )
        } else {
            format!(
                "an alternative of `{pattern}` has neither `^` nor `$`: that branch matches \
                 wherever it occurs in the URI"
            )
        };
        let mut diag = Diagnostic::at_node(&RULE, model, loc, msg).help(
            "anchor the regex: `$` at the end for a suffix (`\\.php$`), `^` at the start for a \
             path prefix (`^/api/`)",
        );
        // Unsafe fix, for `location ~ PATTERN` as two arguments without alternatives: `$` at
        // the end (the usual intent of a suffix match), or `^` at the start when the pattern
        // ends in an open repeat (`/assets(/.*)`: a path prefix).
        let n = model.node(loc);
        let toks: Vec<_> = n.directive.arg_tokens().collect();
        if whole && toks.len() == 2 && !has_alt(&re.root) {
            let tok = toks[1];
            let quoted = matches!(
                tok.kind(),
                TokenKind::DoubleQuoted | TokenKind::SingleQuoted
            );
            let raw = &model.src(loc)[tok.span().start as usize..tok.span().end as usize];
            let (at, text, title) = if ends_open(&re.root) {
                let at = if quoted {
                    tok.span().start + 1
                } else {
                    tok.span().start
                };
                (at, "^", "Anchor the regex at its start (`^`)")
            } else {
                let at = if quoted {
                    tok.span().end - 1
                } else {
                    tok.span().end
                };
                (at, "$", "Anchor the regex at its end (`$`)")
            };
            if !raw.ends_with(b"\\") {
                diag = diag.fix(Fix::unsafe_(
                    title,
                    vec![Edit::insert(model.file_of(loc), at, text)],
                ));
            }
        }
        out.push(diag);
    }
    out
}

/// Does the location only refuse requests (`deny all`, `return 4xx`, nothing else that serves)?
fn refuses_only(
    model: &crate::semantics::model::Model<'_>,
    loc: crate::semantics::model::NodeId,
) -> bool {
    let kids = model.children(loc);
    let mut refuses = false;
    for &c in kids {
        match model.name(c) {
            "deny" if model.arg(c, 0).as_deref() == Some("all") => refuses = true,
            "return"
                if model
                    .arg(c, 0)
                    .and_then(|v| v.parse::<u16>().ok())
                    .is_some_and(|s| s >= 400) =>
            {
                refuses = true
            }
            "access_log" | "log_not_found" | "allow" | "deny" | "error_log" => {}
            _ => return false,
        }
    }
    refuses
}

/// Does the regex hold an anchor anywhere?
fn has_anchor(n: &Node) -> bool {
    match n {
        Node::Start | Node::End => true,
        Node::Seq(v) | Node::Alt(v) => v.iter().any(has_anchor),
        Node::Repeat { node, .. } | Node::Group { node, .. } => has_anchor(node),
        _ => false,
    }
}

/// Does the regex hold an alternation?
fn has_alt(n: &Node) -> bool {
    match n {
        Node::Alt(_) => true,
        Node::Seq(v) => v.iter().any(has_alt),
        Node::Repeat { node, .. } | Node::Group { node, .. } => has_alt(node),
        _ => false,
    }
}

/// Does the regex end in an unbounded repeat (`.*`, `(/.*)`), so `$` would add nothing?
fn ends_open(n: &Node) -> bool {
    match n {
        Node::Repeat { max: None, .. } => true,
        Node::Seq(v) => v
            .iter()
            .rev()
            .find(|n| !matches!(n, Node::Empty))
            .is_some_and(ends_open),
        Node::Group { node, .. } => ends_open(node),
        _ => false,
    }
}
