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

    pub fn path(&self) -> String {
        self.file().path.display().to_string()
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
