//! `--format json`: the stable machine format (documented in the README).
//!
//! `{"version":1,"diagnostics":[{rule,severity,message,file,line,column,end_line,end_column,
//! help,fix}],"summary":{...}}`; lines and columns are 1-based, columns count characters.

use std::io::Write;

use serde::Serialize;

use super::{Finding, Summary};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Diagnostics<'a>,
    summary: Summary,
}

/// The findings, each turned into its JSON shape only as the serializer reaches it (a list of
/// them all took as much memory as the findings).
struct Diagnostics<'a>(&'a [Finding<'a>]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(diagnostic))
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    file: String,
    /// The name's bytes, only when it is not valid UTF-8 (`file` is then escaped).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<Vec<u8>>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    help: Option<&'a str>,
    related: Vec<JsonLocation<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<Vec<u8>>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<Vec<u8>>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    content: &'a str,
}

pub fn render(findings: &[Finding<'_>], summary: Summary) -> String {
    let mut out = Vec::with_capacity(findings.len() * 1024);
    write(findings, summary, &mut out).expect("a Vec takes every byte");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`render`], written to `w` as the findings are serialized: the same bytes, without the
/// report (52 MB for the 37,920 findings of a 10 MB configuration) in memory. Buffered here,
/// since the serializer writes a few bytes at a time.
pub fn write(
    findings: &[Finding<'_>],
    summary: Summary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = Report {
        version: 1,
        diagnostics: Diagnostics(findings),
        summary,
    };
    let mut w = std::io::BufWriter::with_capacity(super::WRITE_CHUNK, w);
    serde_json::to_writer_pretty(&mut w, &report).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

fn diagnostic<'a>(f: &'a Finding<'a>) -> JsonDiagnostic<'a> {
    let d = f.diagnostic;
    let (start, end) = f.range();
    let locate = |file: u32, span: crate::syntax::Span| {
        let sf = f.program.file(file);
        let s = sf.lines().line_col(span.start);
        let e = sf.lines().line_col(span.end);
        (
            super::json_path(&sf.path),
            super::exact_path_bytes(&sf.path),
            s,
            e,
        )
    };
    JsonDiagnostic {
        rule: d.rule.id,
        severity: d.severity.as_str(),
        message: &d.message,
        file: super::json_path(&f.file().path),
        file_bytes: super::exact_path_bytes(&f.file().path),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        help: d.help.as_deref(),
        related: d
            .secondary
            .iter()
            .map(|l| {
                let (file, file_bytes, s, e) = locate(l.file, l.span);
                JsonLocation {
                    file,
                    file_bytes,
                    line: s.line,
                    column: s.column,
                    end_line: e.line,
                    end_column: e.column,
                    message: &l.text,
                }
            })
            .collect(),
        fix: d.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability.as_str(),
            message: &fix.title,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (file, file_bytes, s, en) = locate(e.file, e.span);
                    JsonEdit {
                        file,
                        file_bytes,
                        line: s.line,
                        column: s.column,
                        end_line: en.line,
                        end_column: en.column,
                        content: &e.text,
                    }
                })
                .collect(),
        }),
    }
}
