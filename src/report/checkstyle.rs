//! `--format checkstyle`: Checkstyle XML, which reviewdog, Jenkins (Warnings NG) and many CI
//! dashboards read.
//!
//! `<checkstyle version="4.3"><file name="PATH"><error line column severity message
//! source="ngxlint.RULE"/></file></checkstyle>`, one `<file>` per file with findings, in the
//! order the files first appear.

use std::collections::HashMap;

use super::Finding;
use crate::rules::Severity;

/// Checkstyle's name for a severity.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Escape text for an XML attribute or element: the five predefined entities, tab/LF/CR as
/// character references (so attribute values keep them), every other control character (which
/// XML 1.0 cannot carry) dropped.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(findings: &[Finding<'_>]) -> String {
    // Files in order of first appearance, each with its findings in order.
    let mut files: Vec<(String, Vec<&Finding<'_>>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in findings {
        let path = f.path();
        match index.get(&path) {
            Some(&i) => files[i].1.push(f),
            None => {
                index.insert(path.clone(), files.len());
                files.push((path, vec![f]));
            }
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for (path, list) in &files {
        out.push_str(&format!("  <file name=\"{}\">\n", escape_xml(path)));
        for f in list {
            let d = f.diagnostic;
            let (start, _) = f.range();
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"ngxlint.{}\"/>\n",
                start.line,
                start.column,
                severity(d.severity),
                escape_xml(&d.message),
                escape_xml(d.rule.id),
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
