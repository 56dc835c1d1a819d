//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure
//! Pipelines...).
//!
//! One test suite `ngxlint`; one failing `<testcase classname="PATH" name="RULE at L:C">` per
//! finding, and one passing `<testcase classname="PATH" name="ngxlint"/>` per checked file
//! without findings, so a clean run still reports what it checked.

use std::collections::{HashMap, HashSet};

use super::Finding;
use super::checkstyle::escape_xml;

/// `files`: every checked file (included ones too), as [`Finding::path`] shows them; the files
/// without findings become passing test cases. Files are reported in that order, then any file
/// that has findings but is not in `files`, in the order of its first finding.
pub fn render(findings: &[Finding<'_>], files: &[String]) -> String {
    let mut by_file: HashMap<String, Vec<&Finding<'_>>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for path in files {
        if seen.insert(path.as_str()) {
            order.push(path.clone());
        }
    }
    let mut extra: Vec<String> = Vec::new();
    for f in findings {
        let path = f.path();
        if !seen.contains(path.as_str()) && !by_file.contains_key(&path) {
            extra.push(path.clone());
        }
        by_file.entry(path).or_default().push(f);
    }
    order.extend(extra);

    let failures = findings.len();
    let tests = failures + order.iter().filter(|p| !by_file.contains_key(*p)).count();
    let mut body = String::new();
    for path in &order {
        let classname = escape_xml(path);
        let Some(list) = by_file.get(path) else {
            body.push_str(&format!(
                "    <testcase classname=\"{classname}\" name=\"ngxlint\"/>\n"
            ));
            continue;
        };
        for f in list {
            let d = f.diagnostic;
            let (start, _) = f.range();
            let mut text = format!("{path}:{}:{}: {}", start.line, start.column, d.message);
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            body.push_str(&format!(
                "    <testcase classname=\"{classname}\" name=\"{} at {}:{}\">\n",
                escape_xml(d.rule.id),
                start.line,
                start.column
            ));
            body.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                escape_xml(d.rule.id),
                escape_xml(&d.message),
                escape_text(&text),
            ));
            body.push_str("    </testcase>\n");
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"ngxlint\" tests=\"{tests}\" failures=\"{failures}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"ngxlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    out.push_str(&body);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Element text: as [`escape_xml`], but line breaks stay line breaks.
fn escape_text(s: &str) -> String {
    s.split('\n').map(escape_xml).collect::<Vec<_>>().join("\n")
}
