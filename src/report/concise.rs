//! `--format concise`: one short line per finding, `path:line:col: severity[rule-id] message`,
//! for grep, editors and huge runs. The message is cut to its first clause and at most
//! [`MAX_MESSAGE`] characters (the full text stays in `text` and `json`).

use std::fmt::Write;

use super::Finding;

pub fn render(findings: &[Finding<'_>]) -> String {
    // Written in place (no `format!` per finding), each file's path rendered once, and only
    // the start position computed: a large run has thousands of findings in one file.
    let mut out = String::with_capacity(findings.len() * 160);
    let mut last: Option<(&crate::semantics::SourceFile, String)> = None;
    for f in findings {
        let d = f.diagnostic;
        let file = f.file();
        let shown = match &last {
            Some((seen, p)) if std::ptr::eq(*seen, file) => p,
            _ => &last.insert((file, f.path())).1,
        };
        let start = file.lines.line_col(&file.src, d.primary.span.start);
        let _ = writeln!(
            out,
            "{shown}:{}:{}: {}[{}] {}",
            start.line,
            start.column,
            d.severity.as_str(),
            d.rule.id,
            short(&d.message)
        );
    }
    out
}

/// Longest message shown, in characters (an ellipsis marks a cut).
pub const MAX_MESSAGE: usize = 100;

/// The message up to its first `; ` or `. `, then at most [`MAX_MESSAGE`] characters, cut at a
/// word boundary.
pub fn short(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or("");
    let clause_end = [" ; ", "; ", ". "]
        .iter()
        .filter_map(|sep| first_line.find(sep))
        .min()
        .unwrap_or(first_line.len());
    let clause = first_line[..clause_end].trim_end_matches('.');
    let cut = clause.len() < message.trim_end_matches('.').len();
    if clause.chars().count() <= MAX_MESSAGE {
        return if cut {
            format!("{clause} …")
        } else {
            clause.to_owned()
        };
    }
    let mut end = clause
        .char_indices()
        .nth(MAX_MESSAGE)
        .map_or(clause.len(), |(i, _)| i);
    if let Some(space) = clause[..end].rfind(' ') {
        end = space;
    }
    format!("{} …", clause[..end].trim_end_matches([',', ':', ' ']))
}
