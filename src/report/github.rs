//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request:
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=ngxlint (RULE)::MESSAGE`
//!
//! (`warning` and `notice` for the other severities). The help text follows the message on a
//! second line. Escaping is GitHub's (`@actions/core`'s `escapeData` and `escapeProperty`).

use super::Finding;
use crate::rules::Severity;

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escape a command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The path as GitHub matches it against the checkout: as given, with forward slashes and
/// without a leading `./`.
fn annotation_path(f: &Finding<'_>) -> String {
    let mut s = f.path();
    if cfg!(windows) {
        s = s.replace('\\', "/");
    }
    let mut rel = s.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    rel.to_owned()
}

pub fn render(findings: &[Finding<'_>]) -> String {
    let mut out = String::new();
    for f in findings {
        let d = f.diagnostic;
        let (start, end) = f.range();
        let mut message = d.message.to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(d.severity),
            escape_property(&annotation_path(f)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("ngxlint ({})", d.rule.id)),
            escape_data(&message),
        ));
    }
    out
}
