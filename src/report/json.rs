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
struct Diagnostics<'a> {
    findings: &'a [Finding<'a>],
    paths: Paths,
}

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|f| diagnostic(f, &self.paths)))
    }
}

/// Each file's `file` and `file_bytes`, worked out once per file: per location (a finding's
/// own, its labels' and its edits') they were an eighth of the report's instructions (issue
/// #13: 38 of 296 M at 1 MB of generated configuration, about 10,000 locations in one file).
struct Paths(foldhash::HashMap<FileKey, (String, Option<Vec<u8>>)>);

/// A file of a program: the program's address and the file's number in it (the findings of
/// several roots come from several programs).
type FileKey = (usize, u32);

impl Paths {
    fn of(findings: &[Finding<'_>]) -> Paths {
        let mut paths = foldhash::HashMap::default();
        for f in findings {
            let d = f.diagnostic;
            let files = std::iter::once(d.primary.file)
                .chain(d.secondary.iter().map(|l| l.file))
                .chain(d.fix.iter().flat_map(|x| x.edits.iter().map(|e| e.file)));
            for file in files {
                paths.entry(key(f, file)).or_insert_with(|| {
                    let path = &f.program.file(file).path;
                    (super::json_path(path), super::exact_path_bytes(path))
                });
            }
        }
        Paths(paths)
    }

    /// `file` and `file_bytes` of file `file` of `f`'s program.
    fn get(&self, f: &Finding<'_>, file: u32) -> (&str, Option<&[u8]>) {
        let (path, bytes) = &self.0[&key(f, file)];
        (path, bytes.as_deref())
    }
}

fn key(f: &Finding<'_>, file: u32) -> FileKey {
    (std::ptr::from_ref(f.program) as usize, file)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    /// The name's bytes, only when it is not valid UTF-8 (`file` is then escaped).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<&'a [u8]>,
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
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<&'a [u8]>,
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
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes: Option<&'a [u8]>,
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
        diagnostics: Diagnostics {
            findings,
            paths: Paths::of(findings),
        },
        summary,
    };
    let mut w = std::io::BufWriter::with_capacity(super::WRITE_CHUNK, w);
    serde_json::to_writer_pretty(&mut w, &report).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

fn diagnostic<'a>(f: &'a Finding<'a>, paths: &'a Paths) -> JsonDiagnostic<'a> {
    let d = f.diagnostic;
    let (start, end) = f.range();
    let locate = |file: u32, span: crate::syntax::Span| {
        let sf = f.program.file(file);
        let s = sf.lines().line_col(span.start);
        let e = sf.lines().line_col(span.end);
        let (path, bytes) = paths.get(f, file);
        (path, bytes, s, e)
    };
    let (file, file_bytes) = paths.get(f, d.primary.file);
    JsonDiagnostic {
        rule: d.rule.id,
        severity: d.severity.as_str(),
        message: &d.message,
        file,
        file_bytes,
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
