//! Inline suppressions: `# ngxlint: ignore <ids> -- <reason>` (this line, or the next line when
//! the comment stands alone), `# ngxlint: ignore-block <ids> -- <reason>` (first thing in a
//! block: the whole block), `# ngxlint: ignore-file <ids> -- <reason>` (the whole file).
//!
//! A suppression that matches nothing is itself a finding (`unused-suppression`), and so is one
//! without a reason (`suppression-reason-missing`): a silenced finding should say why.

use crate::rules::{self, Diagnostic, Label, Rule, rule_by_id};
use crate::semantics::{FileId, Program};
use crate::syntax::{Element, Span, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Findings starting on this 1-based line.
    Line(u32),
    /// Findings inside this span.
    Span(Span),
    File,
}

#[derive(Debug)]
struct Suppression {
    file: FileId,
    comment: Span,
    scope: Scope,
    ids: Vec<String>,
    reason: bool,
    used: Vec<bool>,
}

/// Parse `# ngxlint: ignore[-block|-file] a,b -- why` → (kind, ids, has reason).
fn parse(text: &[u8]) -> Option<(&'static str, Vec<String>, bool)> {
    let rest = crate::lint::ngxlint_comment(text)?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("ignore-block") {
        ("block", r)
    } else if let Some(r) = rest.strip_prefix("ignore-file") {
        ("file", r)
    } else if let Some(r) = rest.strip_prefix("ignore") {
        ("line", r)
    } else {
        return None;
    };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (ids, !reason.trim().is_empty()),
        None => (rest, false),
    };
    let ids: Vec<String> = ids
        .split([',', ' ', '\t'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Some((kind, ids, reason))
}

fn collect(program: &Program) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (i, file) in program.files.iter().enumerate() {
        let fid = i as FileId;
        let src = &file.src;
        // Line comments anywhere; block comments when first in a block.
        let mut visit = |items: &[Element], block_owner: Option<Span>| {
            let mut before_first_directive = true;
            for e in items {
                match e {
                    Element::Directive(_) => before_first_directive = false,
                    Element::Token(t) if t.kind() == TokenKind::Comment => {
                        let Some((kind, ids, reason)) = parse(t.text(src)) else {
                            continue;
                        };
                        let line = file.lines().line(t.span().start);
                        let alone = crate::fix::style::indent_at(src, t.span().start).is_some();
                        let scope = match kind {
                            "file" => Scope::File,
                            "block" if before_first_directive => match block_owner {
                                Some(span) => Scope::Span(span),
                                None => Scope::File,
                            },
                            "block" => continue,
                            _ if alone => Scope::Line(line + 1),
                            _ => Scope::Line(line),
                        };
                        let n = ids.len();
                        out.push(Suppression {
                            file: fid,
                            comment: t.span(),
                            scope,
                            ids,
                            reason,
                            used: vec![false; n],
                        });
                    }
                    Element::Token(_) => {}
                }
            }
        };
        visit(&file.syntax.items, None);
        // Comments inside blocks and inside directive heads (trailing comments between args).
        let mut blocks: Vec<(&[Element], Span)> = Vec::new();
        file.syntax.walk(|d, _| {
            if let Some(b) = d.block() {
                blocks.push((&b.items, d.span()));
            }
        });
        for (items, span) in blocks {
            visit(items, Some(span));
        }
        file.syntax.walk(|d, _| {
            for t in d.head_comments() {
                if let Some((kind, ids, reason)) = parse(t.text(src))
                    && kind == "line"
                {
                    let n = ids.len();
                    out.push(Suppression {
                        file: fid,
                        comment: t.span(),
                        scope: Scope::Line(file.lines().line(t.span().start)),
                        ids,
                        reason,
                        used: vec![false; n],
                    });
                }
            }
        });
    }
    out
}

/// Drop suppressed diagnostics; add findings about the suppressions themselves.
pub fn apply(
    program: &Program,
    diagnostics: Vec<Diagnostic>,
    selected: &dyn Fn(&Rule) -> bool,
) -> Vec<Diagnostic> {
    // Most configurations have no suppression at all, and the parser counted the comments
    // naming ngxlint (a byte search of every file took 5 ms at 50 MB of configuration).
    if !program
        .files
        .iter()
        .any(|f| f.syntax.may_have_ngxlint_comments())
    {
        return diagnostics;
    }
    let mut sups = collect(program);
    if sups.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    'diag: for d in diagnostics {
        let file = program.file(d.primary.file);
        let line = file.lines().line(d.primary.span.start);
        for s in &mut sups {
            if s.file != d.primary.file {
                continue;
            }
            let covers = match s.scope {
                Scope::Line(l) => l == line,
                Scope::Span(sp) => {
                    sp.start <= d.primary.span.start && d.primary.span.start < sp.end
                }
                Scope::File => true,
            };
            if !covers {
                continue;
            }
            if let Some(i) = s.ids.iter().position(|id| id == d.rule.id || id == "all") {
                s.used[i] = true;
                continue 'diag;
            }
        }
        kept.push(d);
    }
    let unused_on = selected(&rules::unused_suppression::RULE);
    let reason_on = selected(&rules::suppression_reason_missing::RULE);
    for s in &sups {
        let label = Label::new(s.file, s.comment, "");
        if reason_on && !s.reason {
            kept.push(
                Diagnostic::new(
                    &rules::suppression_reason_missing::RULE,
                    label.clone(),
                    "suppression without a reason",
                )
                .help("add `-- <why this finding does not apply here>` after the rule ids"),
            );
        }
        if !unused_on {
            continue;
        }
        for (i, id) in s.ids.iter().enumerate() {
            if s.used[i] {
                continue;
            }
            let message = match rule_by_id(id) {
                None if id != "all" => format!("unknown rule id `{id}` in suppression"),
                // A rule that did not run cannot have been suppressed: do not call it unused.
                Some(r) if !selected(r) => continue,
                _ => format!("unused suppression: no `{id}` finding here"),
            };
            kept.push(
                Diagnostic::new(&rules::unused_suppression::RULE, label.clone(), message)
                    .help("remove the id (or the whole comment) so suppressions stay truthful"),
            );
        }
    }
    kept.sort_by(|a, b| {
        (a.primary.file, a.primary.span.start, a.rule.id).cmp(&(
            b.primary.file,
            b.primary.span.start,
            b.rule.id,
        ))
    });
    kept
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_suppressions() {
        assert_eq!(
            parse(b"# ngxlint: ignore a-b,c -- legacy app"),
            Some(("line", vec!["a-b".to_owned(), "c".to_owned()], true))
        );
        assert_eq!(
            parse(b"# ngxlint: ignore-block x"),
            Some(("block", vec!["x".to_owned()], false))
        );
        assert_eq!(
            parse(b"# ngxlint: ignore-file x --"),
            Some(("file", vec!["x".to_owned()], false))
        );
        assert_eq!(parse(b"# ngxlint: ignored x"), None);
        assert_eq!(parse(b"# ngxlint: streaming"), None);
    }
}
