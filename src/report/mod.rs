//! Rendering: one module per output format. Every format reads the same [`Finding`]s.

pub mod checkstyle;
pub mod concise;
pub mod crossplane;
pub mod github;
pub mod json;
pub mod json_text;
pub mod junit;
pub mod sarif;
pub mod text;
pub mod tree_dump;

use crate::rules::Diagnostic;
use crate::semantics::{Program, SourceFile};
use crate::syntax::LineCol;

/// A diagnostic together with the program it was found in (for paths, lines and snippets).
pub struct Finding<'a> {
    pub diagnostic: &'a Diagnostic,
    pub program: &'a Program,
}

impl Finding<'_> {
    pub fn file(&self) -> &SourceFile {
        self.program.file(self.diagnostic.primary.file)
    }

    /// 1-based start and end positions of the primary span (columns in characters).
    pub fn range(&self) -> (LineCol, LineCol) {
        let f = self.file();
        let s = self.diagnostic.primary.span;
        (
            f.lines.line_col(&f.src, s.start),
            f.lines.line_col(&f.src, s.end),
        )
    }

    /// The file's name for output, control characters escaped (see [`escape_path`]).
    pub fn path(&self) -> String {
        escape_path(&self.file().path)
    }
}

/// A path as every output shows it: UTF-8 text with control characters (ESC, newline, tab,
/// DEL, C1) escaped as `\n`, `\t`, `\x1b`, `\u{9b}`, and bytes that are not UTF-8 as `\xNN`,
/// so that a hostile file name can neither split a line-oriented finding in two nor drive the
/// terminal, and a non-UTF-8 name stays exact (no U+FFFD). Names without such characters are
/// shown unchanged. `--format json` keeps the exact name instead (see [`exact_path_bytes`]).
pub fn escape_path(p: &std::path::Path) -> String {
    let bytes = p.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() && (c as u32) < 0x80 => {
                    out.push_str(&format!("\\x{:02x}", c as u32));
                }
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The raw bytes of a path that is not valid UTF-8 (JSON's `file_bytes`), `None` otherwise.
pub fn exact_path_bytes(p: &std::path::Path) -> Option<Vec<u8>> {
    let bytes = p.as_os_str().as_encoded_bytes();
    std::str::from_utf8(bytes).is_err().then(|| bytes.to_vec())
}

/// JSON's `file`: the exact name when it is UTF-8 (JSON escapes control characters itself),
/// else the escaped form, with the bytes in `file_bytes`.
pub fn json_path(p: &std::path::Path) -> String {
    match p.to_str() {
        Some(s) => s.to_owned(),
        None => escape_path(p),
    }
}

/// Counts for summaries and exit codes.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Summary {
    pub fn of(findings: &[Finding<'_>], files: usize) -> Summary {
        let mut s = Summary {
            files,
            ..Summary::default()
        };
        for f in findings {
            match f.diagnostic.severity {
                crate::rules::Severity::Error => s.errors += 1,
                crate::rules::Severity::Warning => s.warnings += 1,
                crate::rules::Severity::Info => s.infos += 1,
            }
            if f.diagnostic.fix.is_some() {
                s.fixable += 1;
            }
        }
        s
    }
}
