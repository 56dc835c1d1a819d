//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure
//! Pipelines...).
//!
//! One test suite `ngxlint`; one `<testcase classname="ngxlint.RULE" name="RULE at PATH:L:C"
//! file="PATH" line="L">` per finding — a `<failure>` when its severity is at or above
//! `--fail-on`, else passing with the text in `<system-out>` (a report never shows red tests
//! for a green exit code) — and one passing `<testcase classname="ngxlint" name="PATH"/>` per
//! checked file without findings, so a clean run still reports what it checked. The class
//! name never holds the path: Jenkins splits class names at dots. Validated in the tests
//! against the Jenkins xUnit plugin's JUnit schema (`tests/data/junit-10.xsd`).

use std::collections::{HashMap, HashSet};

use super::Finding;
use super::checkstyle::escape_xml;
use crate::rules::Severity;

/// How a run went, for the suite's attributes.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// Findings at or above this severity are failures.
    pub fail_on: Severity,
    /// When not empty: each finding's own threshold (settings by file), in order.
    pub thresholds: Vec<Severity>,
    /// Seconds the run took.
    pub seconds: f64,
    /// When it started, in seconds since the Unix epoch.
    pub started: u64,
}

impl Default for RunInfo {
    fn default() -> Self {
        RunInfo {
            fail_on: Severity::Info,
            thresholds: Vec::new(),
            seconds: 0.0,
            started: 0,
        }
    }
}

/// [`render_run`] with every finding a failure and no timing.
pub fn render(findings: &[Finding<'_>], files: &[String]) -> String {
    render_run(findings, files, &RunInfo::default())
}

/// `files`: every checked file (included ones too), as [`Finding::path`] shows them; the files
/// without findings become passing test cases. Files are reported in that order, then any file
/// that has findings but is not in `files`, in the order of its first finding.
pub fn render_run(findings: &[Finding<'_>], files: &[String], run: &RunInfo) -> String {
    let mut by_file: HashMap<String, Vec<(usize, &Finding<'_>)>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for path in files {
        if seen.insert(path.as_str()) {
            order.push(path.clone());
        }
    }
    let mut extra: Vec<String> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let path = f.path();
        if !seen.contains(path.as_str()) && !by_file.contains_key(&path) {
            extra.push(path.clone());
        }
        by_file.entry(path).or_default().push((i, f));
    }
    order.extend(extra);

    // Does finding `i` fail (its severity at or above its threshold)?
    let fails: Vec<bool> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.diagnostic.severity >= run.thresholds.get(i).copied().unwrap_or(run.fail_on)
        })
        .collect();
    let failures = fails.iter().filter(|&&x| x).count();
    let tests = findings.len() + order.iter().filter(|p| !by_file.contains_key(*p)).count();
    let mut body = String::new();
    for path in &order {
        let Some(list) = by_file.get(path) else {
            body.push_str(&format!(
                "    <testcase classname=\"ngxlint\" name=\"{}\" file=\"{}\" time=\"0\"/>\n",
                escape_xml(path),
                escape_xml(path)
            ));
            continue;
        };
        for &(i, f) in list {
            let d = f.diagnostic;
            let (start, _) = f.range();
            let mut text = format!("{path}:{}:{}: {}", start.line, start.column, d.message);
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            body.push_str(&format!(
                "    <testcase classname=\"ngxlint.{}\" name=\"{} at {}:{}:{}\" file=\"{}\" \
                 line=\"{}\" time=\"0\">\n",
                escape_xml(d.rule.id),
                escape_xml(d.rule.id),
                escape_xml(path),
                start.line,
                start.column,
                escape_xml(path),
                start.line,
            ));
            if fails[i] {
                body.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    escape_xml(d.rule.id),
                    escape_xml(&d.message),
                    escape_text(&text),
                ));
            } else {
                body.push_str(&format!(
                    "      <system-out>{}: {}</system-out>\n",
                    d.severity.as_str(),
                    escape_text(&text)
                ));
            }
            body.push_str("    </testcase>\n");
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let time = format!("{:.3}", run.seconds);
    out.push_str(&format!(
        "<testsuites name=\"ngxlint\" tests=\"{tests}\" failures=\"{failures}\" time=\"{time}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"ngxlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" \
         time=\"{time}\" timestamp=\"{}\">\n",
        iso8601(run.started)
    ));
    out.push_str(&body);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Element text: as [`escape_xml`], but line breaks stay line breaks.
fn escape_text(s: &str) -> String {
    s.split('\n').map(escape_xml).collect::<Vec<_>>().join("\n")
}

/// `2026-01-31T12:00:00` (UTC, the form JUnit's `timestamp` uses) for seconds since the epoch.
pub fn iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
