//! Rendering a run's findings in the chosen format (shared by `check` and `fix`).

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::report::{self, Finding, Summary};
use crate::rules::Severity;
use crate::workspace;

use super::args::{ColorChoice, Format};

/// The output options `check` and `fix` share.
pub struct Output<'a> {
    pub format: Format,
    pub color: ColorChoice,
    pub quiet: bool,
    pub statistics: bool,
    pub output: Option<&'a PathBuf>,
}

/// How the run went, for the formats that record it.
pub struct RunFacts<'a> {
    pub files: &'a [String],
    /// Nothing could be read, or the configuration could not be fully checked.
    pub incomplete: bool,
    /// Every input was unreadable (no "No problems found" then).
    pub nothing_read: bool,
    pub fail_on: Severity,
    /// Each finding's own `fail_on` (settings by file), when known.
    pub thresholds: &'a [Severity],
    pub started: std::time::SystemTime,
}

pub fn render(out: &Output<'_>, findings: &[Finding<'_>], facts: &RunFacts<'_>) -> String {
    let summary = Summary::of(findings, facts.files.len());
    let mut text = match out.format {
        Format::Text => {
            let mut t = report::text::render(findings, text_color(out), 100);
            // "No problems found" would be a lie when an input could not be read.
            if !(out.quiet || facts.nothing_read && findings.is_empty()) {
                t.push_str(&workspace::summary_line(&summary, findings));
            }
            t
        }
        Format::Concise => report::concise::render(findings),
        Format::Json => report::json::render(findings, summary),
        Format::Sarif => report::sarif::render_run(findings, !facts.incomplete),
        Format::Github => report::github::render(findings),
        Format::Checkstyle => report::checkstyle::render(findings),
        Format::Junit => {
            let info = report::junit::RunInfo {
                fail_on: facts.fail_on,
                thresholds: facts.thresholds.to_vec(),
                seconds: facts.started.elapsed().map_or(0.0, |d| d.as_secs_f64()),
                started: facts
                    .started
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            };
            report::junit::render_run(findings, facts.files, &info)
        }
    };
    if out.statistics {
        text.push_str(&statistics(findings));
    }
    text
}

/// [`render`], written to `w` as it goes: the concise, JSON, SARIF and text reports are never
/// held whole in memory (at 10 MB of configuration they are 6, 52, 107 and 53 MB); the other
/// formats are rendered first, as [`render`] does. The same bytes as [`render`].
pub fn write(
    out: &Output<'_>,
    findings: &[Finding<'_>],
    facts: &RunFacts<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match out.format {
        Format::Text => {
            report::text::write(findings, text_color(out), 100, w)?;
            if !(out.quiet || facts.nothing_read && findings.is_empty()) {
                let summary = Summary::of(findings, facts.files.len());
                w.write_all(workspace::summary_line(&summary, findings).as_bytes())?;
            }
        }
        Format::Concise => report::concise::write(findings, w)?,
        Format::Json => {
            let summary = Summary::of(findings, facts.files.len());
            report::json::write(findings, summary, w)?;
        }
        Format::Sarif => report::sarif::write_run(findings, !facts.incomplete, w)?,
        _ => return w.write_all(render(out, findings, facts).as_bytes()),
    }
    if out.statistics {
        w.write_all(statistics(findings).as_bytes())?;
    }
    Ok(())
}

/// Whether the text report is coloured.
fn text_color(out: &Output<'_>) -> bool {
    match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            out.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// `--statistics`: how many findings each rule produced.
pub fn statistics(findings: &[Finding<'_>]) -> String {
    let mut out = String::new();
    for (id, n, fixable) in workspace::statistics(findings) {
        out.push_str(&format!(
            "{n:6}  {id}{}\n",
            if fixable > 0 {
                format!(" ({fixable} fixable)")
            } else {
                String::new()
            }
        ));
    }
    out
}
