//! `--format concise`: one line per finding, `path:line:col: severity[rule-id] message`, for
//! grep, editors and huge runs.

use super::Finding;

pub fn render(findings: &[Finding<'_>]) -> String {
    let mut out = String::new();
    for f in findings {
        let (start, _) = f.range();
        let d = f.diagnostic;
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            f.path(),
            start.line,
            start.column,
            d.severity.as_str(),
            d.rule.id,
            d.message
        ));
    }
    out
}
