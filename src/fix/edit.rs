//! Edits are replacements of byte spans; an insertion is an empty span, a deletion empty text.

use crate::rules::{Few, Text};
use crate::semantics::FileId;
use crate::syntax::Span;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    /// Shared between the findings that insert the same line (see [`Text`]).
    pub text: Text,
}

impl Edit {
    pub fn replace(file: FileId, span: Span, text: impl Into<Text>) -> Edit {
        Edit {
            file,
            span,
            text: text.into(),
        }
    }

    pub fn insert(file: FileId, at: u32, text: impl Into<Text>) -> Edit {
        Edit::replace(file, Span::empty(at), text)
    }
}

/// Whether a fix may be applied without asking (`ngxlint fix`) or only with `--unsafe-fixes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Does exactly what the rule page says, touches nothing else, keeps every comment.
    Safe,
    /// Contains a choice the user should make (a timeout value, copying inherited headers).
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: Text,
    pub applicability: Applicability,
    /// Sorted by (file, start); never overlapping. Most fixes make one edit, held inline: a
    /// fix's edits are fixed when it is made, and a large run keeps tens of thousands of fixes.
    pub edits: Few<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<Text>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.file, e.span.start, e.span.end));
        Fix {
            title: title.into(),
            applicability,
            edits: edits.into(),
        }
    }

    pub fn safe(title: impl Into<Text>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<Text>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }
}
