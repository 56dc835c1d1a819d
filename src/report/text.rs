//! `--format text`: miette's graphical report, a snippet with a caret under the exact span.
//!
//! Our [`Diagnostic`] stays plain data; this module adapts it to `miette::Diagnostic`. miette
//! wants text: a file that is not valid UTF-8 is shown lossily, with every span mapped from
//! bytes to the lossy string's offsets so the caret still lands on the right character.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity as MSeverity,
};

use super::Finding;
use crate::rules::Severity;
use crate::semantics::SourceFile;

/// Display text of a file and the byte-offset map (only when it was not valid UTF-8).
struct Shown {
    text: String,
    /// `map[i]` = offset in `text` of original byte `i` (len + 1 entries), when lossy.
    map: Option<Vec<usize>>,
}

impl Shown {
    fn of(file: &SourceFile) -> Shown {
        match std::str::from_utf8(&file.src) {
            Ok(s) => Shown {
                text: s.to_owned(),
                map: None,
            },
            Err(_) => {
                let mut text = String::with_capacity(file.src.len() + 16);
                let mut map = Vec::with_capacity(file.src.len() + 1);
                for chunk in file.src.utf8_chunks() {
                    let valid = chunk.valid();
                    let base = text.len();
                    for i in 0..valid.len() {
                        map.push(base + i);
                    }
                    text.push_str(valid);
                    for _ in chunk.invalid() {
                        map.push(text.len());
                        text.push('\u{FFFD}');
                    }
                }
                map.push(text.len());
                Shown {
                    text,
                    map: Some(map),
                }
            }
        }
    }

    fn offset(&self, byte: u32) -> usize {
        match &self.map {
            Some(m) => m[(byte as usize).min(m.len() - 1)],
            None => byte as usize,
        }
    }
}

struct Adapter<'a> {
    finding: &'a Finding<'a>,
    source: NamedSource<String>,
    shown: Shown,
    related: Vec<Related>,
}

/// A label in another file: rendered as a related diagnostic with its own source.
struct Related {
    text: String,
    source: NamedSource<String>,
    offset: usize,
    len: usize,
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.diagnostic.message)
    }
}
impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.diagnostic.message)
    }
}
impl std::error::Error for Adapter<'_> {}

impl fmt::Debug for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Display for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl std::error::Error for Related {}
impl miette::Diagnostic for Related {
    fn severity(&self) -> Option<MSeverity> {
        Some(MSeverity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.text.clone()), (self.offset, self.len)),
        )))
    }
}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.diagnostic.rule.id))
    }
    fn severity(&self) -> Option<MSeverity> {
        Some(match self.finding.diagnostic.severity {
            Severity::Error => MSeverity::Error,
            Severity::Warning => MSeverity::Warning,
            Severity::Info => MSeverity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.finding.diagnostic;
        match (&d.help, &d.fix) {
            (Some(h), Some(f)) => Some(Box::new(format!(
                "{h}\nfix ({}): {}",
                f.applicability.as_str(),
                f.title
            ))),
            (Some(h), None) => Some(Box::new(h.clone())),
            (None, Some(f)) => Some(Box::new(format!(
                "fix ({}): {}",
                f.applicability.as_str(),
                f.title
            ))),
            (None, None) => None,
        }
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.finding.diagnostic;
        let span = |s: crate::syntax::Span| {
            let a = self.shown.offset(s.start);
            let b = self.shown.offset(s.end);
            (a, b.saturating_sub(a))
        };
        let primary_text = (!d.primary.text.is_empty()).then(|| d.primary.text.clone());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary_text,
            span(d.primary.span),
        )];
        for l in d.secondary.iter().filter(|l| l.file == d.primary.file) {
            labels.push(LabeledSpan::new_with_span(
                Some(l.text.clone()),
                span(l.span),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// Render findings for people. `color` picks the themed or the plain handler; `width` fixes
/// the layout (tests use a fixed width).
pub fn render(findings: &[Finding<'_>], color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    for f in findings {
        let file = f.file();
        let shown = Shown::of(file);
        let name = file.path.display().to_string();
        let d = f.diagnostic;
        let related = d
            .secondary
            .iter()
            .filter(|l| l.file != d.primary.file)
            .map(|l| {
                let other = f.program.file(l.file);
                let s = Shown::of(other);
                let a = s.offset(l.span.start);
                let b = s.offset(l.span.end);
                Related {
                    text: l.text.clone(),
                    source: NamedSource::new(other.path.display().to_string(), s.text),
                    offset: a,
                    len: b.saturating_sub(a),
                }
            })
            .collect();
        let adapter = Adapter {
            finding: f,
            source: NamedSource::new(name, shown.text.clone()),
            shown,
            related,
        };
        let _ = handler.render_report(&mut out, &adapter);
        out.push('\n');
    }
    out
}
