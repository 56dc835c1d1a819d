//! `--format concise`: one line per finding, `path:line:col: severity[rule-id] message`, for
//! grep, editors and huge runs.

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
            d.message
        );
    }
    out
}
