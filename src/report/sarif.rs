//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run; `tool.driver.rules` lists every rule in [`RULES`] (so `ruleIndex` is the rule's
//! position in the registry); each result has its primary location, the secondary labels as
//! `relatedLocations`, and its fix as a SARIF `fix` of `artifactChanges`. Lines and columns are
//! 1-based and columns count Unicode code points (`run.columnKind`), as everywhere in ngxlint.
//! Relative paths, and absolute ones inside the working directory, are relative URIs against
//! `%SRCROOT%`; other absolute ones become `file://` URIs. Each result has
//! `partialFingerprints` that survive lines moving; each rule its page as `help`.

use std::path::Path;

use serde::Serialize;

use super::Finding;
use super::pretty::Pretty;
use crate::rules::{RULES, Rule, Severity};
use crate::semantics::Program;
use crate::syntax::Span;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/ngxlint/ngxlint";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    /// False when the configuration could not be fully checked (exit code 2).
    execution_successful: bool,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: PartialFingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

/// Lets code scanning follow a finding when lines move (see [`super::fingerprints`]).
#[derive(Serialize)]
struct PartialFingerprints {
    #[serde(rename = "ngxlint/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    help: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    /// Empty (start == end) for an insertion.
    deleted_region: Region,
    /// Absent for a deletion.
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Content<'a>>,
}

#[derive(Serialize)]
struct Content<'a> {
    text: &'a str,
}

/// SARIF's name for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule's page on the web.
pub fn help_uri(rule: &Rule) -> String {
    format!(
        "https://github.com/ngxlint/ngxlint/blob/main/rules/{}.md",
        rule.id
    )
}

/// The first paragraph under `## What it does` in the rule's page, on one line; the summary when
/// the page has no such section yet.
pub fn full_description(rule: &Rule) -> String {
    let mut lines = rule
        .doc
        .lines()
        .skip_while(|l| l.trim() != "## What it does");
    lines.next();
    let paragraph: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    if paragraph.is_empty() {
        rule.summary.to_owned()
    } else {
        paragraph.join(" ")
    }
}

/// A path as a SARIF `artifactLocation`: a relative path stays relative (forward slashes,
/// percent-encoded, without a leading `./`) against `%SRCROOT%`; an absolute one becomes a
/// `file://` URI.
fn artifact_location(path: &Path) -> ArtifactLocation {
    // Absolute paths inside the working directory become relative (code scanning maps them).
    let path = &super::relative_to_cwd(path);
    let mut s = path.to_string_lossy().into_owned();
    if cfg!(windows) {
        s = s.replace('\\', "/");
    }
    if path.is_absolute() {
        let prefix = if s.starts_with('/') {
            "file://"
        } else {
            "file:///"
        };
        ArtifactLocation {
            uri: format!("{prefix}{}", encode_uri_path(&s, true)),
            uri_base_id: None,
        }
    } else {
        let mut rel = s.as_str();
        while let Some(rest) = rel.strip_prefix("./") {
            rel = rest.trim_start_matches('/');
        }
        ArtifactLocation {
            // A `:` in a relative reference's first segment would read as a scheme.
            uri: encode_uri_path(rel, false),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encode everything but RFC 3986's unreserved characters, sub-delims, `/` and `@`
/// (and `:` when `keep_colon`).
fn encode_uri_path(s: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/@!$&'()*+,;=".contains(&b)
            || (keep_colon && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(program: &Program, file: u32, span: Span) -> Region {
    let f = program.file(file);
    let s = f.lines().line_col(span.start);
    let e = f.lines().line_col(span.end);
    Region {
        start_line: s.line,
        start_column: s.column,
        end_line: e.line,
        end_column: e.column,
    }
}

#[cfg(test)]
fn location(program: &Program, file: u32, span: Span, id: Option<usize>, text: &str) -> Location {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(&program.file(file).path),
            region: region(program, file, span),
        },
        message: (!text.is_empty()).then(|| Text {
            text: text.to_owned(),
        }),
    }
}

/// The rule's position in `tool.driver.rules` (every rule is registered; a stray one simply
/// gets no index).
fn rule_index(rule: &Rule) -> Option<usize> {
    RULES
        .iter()
        .position(|r| std::ptr::eq(*r, rule) || r.id == rule.id)
}

#[cfg(test)]
fn fix<'a>(f: &Finding<'a>) -> Option<SarifFix<'a>> {
    let fix = f.diagnostic.fix.as_ref()?;
    let mut changes: Vec<ArtifactChange<'a>> = Vec::new();
    // Edits are sorted by file: one artifactChange per run of edits in the same file.
    let mut last_file = None;
    for e in &fix.edits {
        let replacement = Replacement {
            deleted_region: region(f.program, e.file, e.span),
            inserted_content: (!e.text.is_empty()).then_some(Content { text: &e.text }),
        };
        match changes.last_mut() {
            Some(change) if last_file == Some(e.file) => change.replacements.push(replacement),
            _ => changes.push(ArtifactChange {
                artifact_location: artifact_location(&f.program.file(e.file).path),
                replacements: vec![replacement],
            }),
        }
        last_file = Some(e.file);
    }
    // SARIF requires at least one change per fix.
    (!changes.is_empty()).then(|| SarifFix {
        description: Text {
            text: fix.title.to_string(),
        },
        artifact_changes: changes,
        properties: FixProperties {
            applicability: fix.applicability.as_str(),
        },
    })
}

/// [`render_run`] of a run that checked everything.
pub fn render(findings: &[Finding<'_>]) -> String {
    render_run(findings, true)
}

/// The SARIF log; `successful` is false when the configuration could not be fully checked
/// (`invocations[0].executionSuccessful`).
///
/// The log around the results (the tool and its rules: the same for every run) is serde's;
/// the results are written by hand in serde_json's pretty layout ([`super::pretty`]), on two
/// threads for a long report (issue #13: through serde they were about 60,000 instructions a
/// finding). The tests compare the two on every fixture.
pub fn render_run(findings: &[Finding<'_>], successful: bool) -> String {
    render_run_in(
        findings,
        successful,
        super::in_order::worth_two_threads(findings),
    )
}

/// [`render_run`], written to `w` as it goes: the same bytes, without the log (1 GB for the
/// 199,698 findings of a 50 MB configuration) in memory. Buffered here, so `w` need not be.
pub fn write_run(
    findings: &[Finding<'_>],
    successful: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_run_in(
        findings,
        successful,
        super::in_order::worth_two_threads(findings),
        w,
    )
}

/// [`render_run`], the results rendered on two threads or on this one.
fn render_run_in(findings: &[Finding<'_>], successful: bool, parallel: bool) -> String {
    let mut out = Vec::with_capacity(findings.len() * 2048);
    write_run_in(findings, successful, parallel, &mut out).expect("a Vec takes every byte");
    String::from_utf8(out).expect("the log is UTF-8")
}

/// [`write_run`], the results rendered on two threads or on this one.
fn write_run_in(
    findings: &[Finding<'_>],
    successful: bool,
    parallel: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let log = log(Vec::new(), successful);
    let head = serde_json::to_string_pretty(&log).expect("JSON of plain data");
    // The run's last key; a string value holds no unescaped quote, so this is the key.
    const EMPTY: &str = "\"results\": []";
    let at = head.rfind(EMPTY).expect("the run has its results");
    let mut w = std::io::BufWriter::with_capacity(super::WRITE_CHUNK, w);
    w.write_all(&head.as_bytes()[..at + EMPTY.len() - 2])?;
    write_results(findings, parallel, &mut |text| w.write_all(text.as_bytes()))?;
    w.write_all(&head.as_bytes()[at + EMPTY.len()..])?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The log of one run with `results`.
fn log(results: Vec<SarifResult<'_>>, successful: bool) -> Log<'_> {
    let rules = RULES
        .iter()
        .map(|r| ReportingDescriptor {
            id: r.id,
            short_description: Text {
                text: r.summary.to_owned(),
            },
            full_description: Text {
                text: full_description(r),
            },
            help_uri: help_uri(r),
            help: Help {
                text: format!("{} See {}", full_description(r), help_uri(r)),
                markdown: r.doc,
            },
            default_configuration: Configuration {
                level: level(r.severity),
            },
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "ngxlint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: successful,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The indentation level of `runs[0].results` in the log.
const RESULTS_LEVEL: usize = 3;

/// Each file's `artifactLocation`, worked out once per file (relative to the working
/// directory and percent-encoded: a third of the report's cost when done per location).
type Artifacts = super::PerFile<ArtifactLocation>;

/// `results`' array, handed to `emit` in pieces.
fn write_results(
    findings: &[Finding<'_>],
    parallel: bool,
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let fingerprints = super::fingerprints(findings);
    let artifacts = Artifacts::of(findings, artifact_location);
    super::in_order::json_array(
        findings,
        parallel,
        RESULTS_LEVEL,
        &|p, i, f| result(p, f, &fingerprints[i], &artifacts),
        emit,
    )
}

/// One result (see [`SarifResult`] for its fields and their order).
fn result(p: &mut Pretty<'_>, f: &Finding<'_>, fingerprint: &str, artifacts: &Artifacts) {
    let d = f.diagnostic;
    p.open('{');
    p.key(true, "ruleId");
    p.string(d.rule.id);
    if let Some(index) = rule_index(d.rule) {
        p.key(false, "ruleIndex");
        p.number(index as u64);
    }
    p.key(false, "level");
    p.string(level(d.severity));
    p.key(false, "message");
    text_object(p, &d.message);
    p.key(false, "locations");
    p.open('[');
    p.element(true);
    write_location(
        p,
        f,
        d.primary.file,
        d.primary.span,
        None,
        &d.primary.text,
        artifacts,
    );
    p.close(']');
    p.key(false, "partialFingerprints");
    p.open('{');
    p.key(true, "ngxlint/v1");
    p.string(fingerprint);
    p.close('}');
    if !d.secondary.is_empty() {
        p.key(false, "relatedLocations");
        p.open('[');
        for (i, l) in d.secondary.iter().enumerate() {
            p.element(i == 0);
            write_location(p, f, l.file, l.span, Some(i + 1), &l.text, artifacts);
        }
        p.close(']');
    }
    if let Some(fix) = &d.fix
        && !fix.edits.is_empty()
    {
        p.key(false, "fixes");
        p.open('[');
        p.element(true);
        write_fix(p, f, fix, artifacts);
        p.close(']');
    }
    if let Some(help) = d.help.as_deref() {
        p.key(false, "properties");
        p.open('{');
        p.key(true, "help");
        p.string(help);
        p.close('}');
    }
    p.close('}');
}

/// A fix of at least one edit: one `artifactChange` per run of edits in the same file.
fn write_fix(p: &mut Pretty<'_>, f: &Finding<'_>, fix: &crate::fix::Fix, artifacts: &Artifacts) {
    p.open('{');
    p.key(true, "description");
    text_object(p, &fix.title);
    p.key(false, "artifactChanges");
    p.open('[');
    for (i, run) in fix.edits.chunk_by(|a, b| a.file == b.file).enumerate() {
        p.element(i == 0);
        p.open('{');
        p.key(true, "artifactLocation");
        write_artifact(p, artifacts.get(f, run[0].file));
        p.key(false, "replacements");
        p.open('[');
        for (j, e) in run.iter().enumerate() {
            p.element(j == 0);
            p.open('{');
            p.key(true, "deletedRegion");
            write_region(p, f.program, e.file, e.span);
            if !e.text.is_empty() {
                p.key(false, "insertedContent");
                text_object(p, &e.text);
            }
            p.close('}');
        }
        p.close(']');
        p.close('}');
    }
    p.close(']');
    p.key(false, "properties");
    p.open('{');
    p.key(true, "applicability");
    p.string(fix.applicability.as_str());
    p.close('}');
    p.close('}');
}

/// A location (see [`Location`]).
fn write_location(
    p: &mut Pretty<'_>,
    f: &Finding<'_>,
    file: u32,
    span: Span,
    id: Option<usize>,
    text: &str,
    artifacts: &Artifacts,
) {
    p.open('{');
    if let Some(id) = id {
        p.key(true, "id");
        p.number(id as u64);
    }
    p.key(id.is_none(), "physicalLocation");
    p.open('{');
    p.key(true, "artifactLocation");
    write_artifact(p, artifacts.get(f, file));
    p.key(false, "region");
    write_region(p, f.program, file, span);
    p.close('}');
    if !text.is_empty() {
        p.key(false, "message");
        text_object(p, text);
    }
    p.close('}');
}

fn write_artifact(p: &mut Pretty<'_>, a: &ArtifactLocation) {
    p.open('{');
    p.key(true, "uri");
    p.string(&a.uri);
    if let Some(base) = a.uri_base_id {
        p.key(false, "uriBaseId");
        p.string(base);
    }
    p.close('}');
}

fn write_region(p: &mut Pretty<'_>, program: &Program, file: u32, span: Span) {
    let r = region(program, file, span);
    p.numbers(&[
        ("startLine", r.start_line.into()),
        ("startColumn", r.start_column.into()),
        ("endLine", r.end_line.into()),
        ("endColumn", r.end_column.into()),
    ]);
}

/// `{"text": ...}`.
fn text_object(p: &mut Pretty<'_>, text: &str) {
    p.open('{');
    p.key(true, "text");
    p.string(text);
    p.close('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SARIF log as serde wrote all of it before the results were written by hand: the
    /// reference the tests compare with.
    fn reference_run(findings: &[Finding<'_>], successful: bool) -> String {
        let fingerprints = super::super::fingerprints(findings);
        let results = findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fingerprint)| {
                let d = f.diagnostic;
                SarifResult {
                    rule_id: d.rule.id,
                    rule_index: rule_index(d.rule),
                    level: level(d.severity),
                    message: Text {
                        text: d.message.to_string(),
                    },
                    locations: vec![location(
                        f.program,
                        d.primary.file,
                        d.primary.span,
                        None,
                        &d.primary.text,
                    )],
                    partial_fingerprints: PartialFingerprints { v1: fingerprint },
                    related_locations: d
                        .secondary
                        .iter()
                        .enumerate()
                        .map(|(i, l)| location(f.program, l.file, l.span, Some(i + 1), &l.text))
                        .collect(),
                    fixes: fix(f).into_iter().collect(),
                    properties: d.help.as_deref().map(|help| ResultProperties { help }),
                }
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&log(results, successful)).expect("JSON");
        s.push('\n');
        s
    }

    /// Every fixture linted with every rule, all of them in one log (several programs, a long
    /// report: two threads), no finding, an unsuccessful run and a file whose name needs
    /// percent-encoding: the same bytes as serde wrote.
    #[test]
    fn the_log_is_what_serde_wrote() {
        let (mut linted, opts, every_rule) = super::super::every_fixture_linted();
        linted.push(crate::lint::lint_source(
            Path::new("/srv/a b:%\"é/nginx.conf"),
            b"http { server { add_header a b; location / { add_header c \"d\\\"\"; } } }\n"
                .to_vec(),
            &opts,
            &every_rule,
        ));
        assert!(linted.len() > 300, "{} fixtures", linted.len());
        // One log of them all (each fixture's log alone would cost a serialization of every
        // rule's page each).
        let all: Vec<Finding<'_>> = linted.iter().flat_map(|l| l.findings()).collect();
        let fixes = all.iter().filter(|f| f.diagnostic.fix.is_some()).count();
        assert!(fixes > 100, "{fixes} fixes");
        assert!(all.len() > 8 * super::super::in_order::RUN);
        let reference = reference_run(&all, false);
        for parallel in [false, true] {
            assert!(
                render_run_in(&all, false, parallel) == reference,
                "two threads: {parallel}"
            );
        }
        assert!(reference.contains("\"fixes\": [") && reference.contains("\"relatedLocations\""));
        assert!(reference.contains("%25") && reference.contains("file:///srv/a%20b:"));
        let one = linted[0].findings();
        assert_eq!(render(&one), reference_run(&one, true));
        assert_eq!(render(&[]), reference_run(&[], true));
    }
}
