//! `--format json`: the stable machine format (documented in the README).
//!
//! `{"version":1,"diagnostics":[{rule,severity,message,file,line,column,end_line,end_column,
//! help,fix}],"summary":{...}}`; lines and columns are 1-based, columns count characters.

use std::io::Write;

use super::pretty::Pretty;
use super::{Finding, Summary};

/// Each file's `file` and `file_bytes`, worked out once per file: per location (a finding's
/// own, its labels' and its edits') they were an eighth of the report's instructions (issue
/// #13: 38 of 296 M at 1 MB of generated configuration, about 10,000 locations in one file).
struct Paths(super::PerFile<(String, Option<Vec<u8>>)>);

impl Paths {
    fn of(findings: &[Finding<'_>]) -> Paths {
        Paths(super::PerFile::of(findings, |path| {
            (super::json_path(path), super::exact_path_bytes(path))
        }))
    }

    /// `file` and `file_bytes` of file `file` of `f`'s program.
    fn get(&self, f: &Finding<'_>, file: u32) -> (&str, Option<&[u8]>) {
        let (path, bytes) = self.0.get(f, file);
        (path, bytes.as_deref())
    }
}

pub fn render(findings: &[Finding<'_>], summary: Summary) -> String {
    let mut out = Vec::with_capacity(findings.len() * 1024);
    write(findings, summary, &mut out).expect("a Vec takes every byte");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// [`render`], written to `w` a finding at a time: the same bytes, without the report (52 MB
/// for the 37,920 findings of a 10 MB configuration) in memory.
///
/// Written by hand, in exactly the layout `serde_json::to_writer_pretty` gave the same values
/// (the tests compare the two on every fixture and on every byte a string can hold): through
/// serde a finding cost about 20,000 instructions, most of them writing keys, indentation and
/// escapes a few bytes at a time (issue #13).
pub fn write(
    findings: &[Finding<'_>],
    summary: Summary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_in(
        findings,
        summary,
        w,
        super::in_order::worth_two_threads(findings),
    )
}

/// [`write`], the findings' objects rendered on two threads or on this one.
fn write_in(
    findings: &[Finding<'_>],
    summary: Summary,
    w: &mut dyn std::io::Write,
    parallel: bool,
) -> std::io::Result<()> {
    let paths = Paths::of(findings);
    let mut w = std::io::BufWriter::with_capacity(super::WRITE_CHUNK, w);
    let mut out = String::with_capacity(4096);
    let mut p = Pretty::new(&mut out);
    p.open('{');
    p.key(true, "version");
    p.raw("1");
    p.key(false, "diagnostics");
    w.write_all(p.out.as_bytes())?;
    p.out.clear();
    // Each finding's object: on two threads for a long report.
    super::in_order::json_array(
        findings,
        parallel,
        p.level,
        &|p, _, f| diagnostic(p, f, &paths),
        &mut |text| w.write_all(text.as_bytes()),
    )?;
    p.done();
    p.key(false, "summary");
    p.numbers(&[
        ("files", summary.files as u64),
        ("errors", summary.errors as u64),
        ("warnings", summary.warnings as u64),
        ("infos", summary.infos as u64),
        ("fixable", summary.fixable as u64),
    ]);
    p.close('}');
    p.out.push('\n');
    w.write_all(p.out.as_bytes())?;
    w.flush()
}

/// One finding's object (see [`write`] for the layout).
fn diagnostic(p: &mut Pretty<'_>, f: &Finding<'_>, paths: &Paths) {
    let d = f.diagnostic;
    let (start, end) = f.range();
    p.open('{');
    p.key(true, "rule");
    p.string(d.rule.id);
    p.key(false, "severity");
    p.string(d.severity.as_str());
    p.key(false, "message");
    p.string(&d.message);
    file_and_range(p, paths.get(f, d.primary.file), start, end);
    p.key(false, "help");
    match &d.help {
        Some(h) => p.string(h),
        None => p.raw("null"),
    }
    p.key(false, "related");
    located_texts(
        p,
        f,
        paths,
        "message",
        d.secondary.iter().map(|l| (l.file, l.span, &*l.text)),
    );
    p.key(false, "fix");
    match &d.fix {
        None => p.raw("null"),
        Some(fix) => {
            p.open('{');
            p.key(true, "applicability");
            p.string(fix.applicability.as_str());
            p.key(false, "message");
            p.string(&fix.title);
            p.key(false, "edits");
            located_texts(
                p,
                f,
                paths,
                "content",
                fix.edits.iter().map(|e| (e.file, e.span, &*e.text)),
            );
            p.close('}');
        }
    }
    p.close('}');
}

/// A list of texts at places (a finding's related labels, a fix's edits): each an object of
/// its file and range and the text under `text_key`.
fn located_texts<'t>(
    p: &mut Pretty<'_>,
    f: &Finding<'_>,
    paths: &Paths,
    text_key: &str,
    items: impl Iterator<Item = (u32, crate::syntax::Span, &'t str)>,
) {
    p.open('[');
    for (i, (file, span, text)) in items.enumerate() {
        p.element(i == 0);
        p.open('{');
        let (s, e) = line_cols(f, file, span);
        p.key(true, "file");
        file_and_range_rest(p, paths.get(f, file), s, e);
        p.key(false, text_key);
        p.string(text);
        p.close('}');
    }
    p.close(']');
}

/// A span's start and end in file `file` of `f`'s program.
fn line_cols(
    f: &Finding<'_>,
    file: u32,
    span: crate::syntax::Span,
) -> (crate::syntax::LineCol, crate::syntax::LineCol) {
    let lines = f.program.file(file).lines();
    (lines.line_col(span.start), lines.line_col(span.end))
}

/// `"file"` (not the first key) and what follows it: [`file_and_range_rest`].
fn file_and_range(
    p: &mut Pretty<'_>,
    path: (&str, Option<&[u8]>),
    start: crate::syntax::LineCol,
    end: crate::syntax::LineCol,
) {
    p.key(false, "file");
    file_and_range_rest(p, path, start, end);
}

/// The value of `"file"`, then `"file_bytes"` (only for a name that is not UTF-8), `"line"`,
/// `"column"`, `"end_line"` and `"end_column"`.
fn file_and_range_rest(
    p: &mut Pretty<'_>,
    (path, bytes): (&str, Option<&[u8]>),
    start: crate::syntax::LineCol,
    end: crate::syntax::LineCol,
) {
    p.string(path);
    if let Some(bytes) = bytes {
        p.key(false, "file_bytes");
        p.open('[');
        for (i, &b) in bytes.iter().enumerate() {
            p.element(i == 0);
            crate::text::push_decimal(p.out, u32::from(b));
            p.done();
        }
        p.close(']');
    }
    for (key, n) in [
        ("line", start.line),
        ("column", start.column),
        ("end_line", end.line),
        ("end_column", end.column),
    ] {
        p.key(false, key);
        crate::text::push_decimal(p.out, n);
        p.done();
    }
}

#[cfg(test)]
mod tests {
    //! The report as it was written through serde (`serde_json::to_writer_pretty` of derived
    //! types), kept as the reference the hand-written one must match byte for byte.

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        diagnostics: Diagnostics<'a>,
        summary: Summary,
    }

    struct Diagnostics<'a> {
        findings: &'a [Finding<'a>],
        paths: Paths,
    }

    impl Serialize for Diagnostics<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.findings.iter().map(|f| diagnostic(f, &self.paths)))
        }
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

    pub fn reference(findings: &[Finding<'_>], summary: Summary) -> String {
        let report = Report {
            version: 1,
            diagnostics: Diagnostics {
                findings,
                paths: Paths::of(findings),
            },
            summary,
        };
        let mut out = serde_json::to_string_pretty(&report).expect("serialize");
        out.push('\n');
        out
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

    /// The hand-written report is serde's, byte for byte, on every fixture linted with every
    /// rule (findings with and without help, labels and fixes, several files, CRLF, odd names,
    /// escapes), on all of them in one report (several programs), on no finding, and on a file
    /// whose name is not UTF-8 (`file_bytes`).
    #[test]
    fn the_report_is_what_serde_wrote() {
        let (mut linted, opts, every_rule) = super::super::every_fixture_linted();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"/srv/n\xffx\x1b.conf");
            linted.push(crate::lint::lint_source(
                std::path::Path::new(name),
                b"http { bogus x; server { add_header a b; location / { add_header c d; } } }\n"
                    .to_vec(),
                &opts,
                &every_rule,
            ));
        }
        assert!(linted.len() > 300, "{} fixtures", linted.len());
        let mut findings = 0;
        for l in &linted {
            let f = l.findings();
            findings += f.len();
            let summary = Summary::of(&f, l.program.files.len());
            assert_eq!(
                render(&f, summary),
                reference(&f, summary),
                "{}",
                l.program.files[0].path.display()
            );
        }
        assert!(findings > 1000, "{findings} findings");
        let all: Vec<Finding<'_>> = linted.iter().flat_map(|l| l.findings()).collect();
        let summary = Summary::of(&all, linted.len());
        let whole = render(&all, summary);
        assert_eq!(whole, reference(&all, summary));
        // The objects rendered on two threads or on one: the same bytes, whatever the machine.
        for parallel in [false, true] {
            let mut out = Vec::new();
            write_in(&all, summary, &mut out, parallel).unwrap();
            assert!(out == whole.as_bytes(), "two threads: {parallel}");
        }
        assert!(whole.contains("\"file_bytes\": [") && whole.contains("\"fix\": {"));
        let none = Summary::of(&[], 0);
        assert_eq!(render(&[], none), reference(&[], none));
    }

    /// Every byte a string can hold, one at a time and all together, escaped as serde_json
    /// escapes them; and non-ASCII text left as it is.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all = String::new();
        for b in 0u8..0x80 {
            let one = char::from(b).to_string();
            all.push_str(&one);
            let mut out = String::new();
            Pretty::new(&mut out).string(&one);
            assert_eq!(out, serde_json::to_string(&one).unwrap(), "byte {b:#x}");
        }
        // Each escaped byte at every place of a word, among ASCII and multi-byte text.
        for b in (0u8..0x20).chain([b'"', b'\\']) {
            for at in 0..17 {
                for filler in ["a", "é", "日"] {
                    let mut s = filler.repeat(at);
                    s.push(char::from(b));
                    s.push_str(&filler.repeat(9));
                    let mut out = String::new();
                    Pretty::new(&mut out).string(&s);
                    assert_eq!(out, serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
        for s in [
            all.as_str(),
            "",
            "é \u{2028} 日本 \u{7f} \"a\\b\"",
            "\r\n\t",
        ] {
            let mut out = String::new();
            Pretty::new(&mut out).string(s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
}
