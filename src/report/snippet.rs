//! The snippets of a plain (uncoloured) text report, written directly: byte for byte what
//! miette's `GraphicalReportHandler` writes for them with the unicode theme, for the shapes
//! findings have (every label on one line, each label one line of text). Anything else (a
//! label over several lines, a label with a line break, a span miette cannot read) is left to
//! miette: [`write`] says `None` and the caller renders the report with miette.
//!
//! Why: miette lays a snippet out through general machinery (styled strings for every
//! character and label, per-line label partitions, gutters for multi-line spans); on a
//! configuration with thousands of findings the snippets were 60 % of a whole `check` with
//! the default text report, several times the linting itself (issue #13). The layout below
//! follows miette 7.6's `render_snippets`, `render_context`, `get_lines` and
//! `render_single_line_highlights` step by step, including their rounding, tab stops and the
//! column a span past a line's end takes; `tests` compare it with miette on random texts and
//! labels, and `text`'s tests on every rule's fixtures.

use miette::{LabeledSpan, SourceCode, SourceSpan, SpanContents};
use unicode_width::UnicodeWidthChar;

/// miette's defaults (`GraphicalReportHandler::new_themed`): one line of context each side,
/// tab stops every four columns.
const CONTEXT_LINES: usize = 1;
const TAB_WIDTH: usize = 4;

/// One line of a snippet, as miette's `get_lines` cuts it: its number (from 1), where it
/// starts in the source, its length with its line break, its text without.
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    /// The span lies within this line (its break included).
    fn holds(&self, s: &SourceSpan) -> bool {
        s.offset() >= self.offset && s.offset() + s.len() <= self.offset + self.length
    }

    /// The span shows on this line (miette's `span_applies`; an empty span counts one byte).
    fn shows(&self, s: &SourceSpan) -> bool {
        let len = s.len().max(1);
        let end = self.offset + self.length;
        (s.offset() >= self.offset && s.offset() < end)
            || (s.offset() < self.offset && s.offset() + len > end)
            || (s.offset() + len > self.offset && s.offset() + len <= end)
    }
}

/// Append the snippets of `labels` in `source` to `out`, as miette's `render_snippets` writes
/// them with the plain unicode theme; `None` (with `out` partly written) where this layout
/// does not apply.
pub fn write(out: &mut String, source: &dyn SourceCode, labels: Vec<LabeledSpan>) -> Option<()> {
    let mut labels = labels;
    if labels
        .iter()
        .any(|l| l.label().is_some_and(|t| t.contains('\n')))
    {
        return None;
    }
    // miette sorts its `Vec<LabeledSpan>` with `sort_unstable_by_key` on the offset: the same
    // call on the same list gives the same order, ties included.
    labels.sort_unstable_by_key(|l| l.inner().offset());

    // The contexts: a label's lines with their neighbours, overlapping ones merged; each with
    // what reading it gave (miette reads it again to lay it out: the same bytes).
    let mut contexts: Vec<(SourceSpan, Box<dyn SpanContents<'_> + '_>)> =
        Vec::with_capacity(labels.len());
    for right in &labels {
        let read = source
            .read_span(right.inner(), CONTEXT_LINES, CONTEXT_LINES)
            .ok()?;
        if let Some((left, left_read)) = contexts.last()
            && left_read.line() + left_read.line_count() >= read.line()
        {
            let end = (left.offset() + left.len()).max(right.offset() + right.len());
            let merged = SourceSpan::from((left.offset(), end - left.offset()));
            if let Ok(read) = source.read_span(&merged, CONTEXT_LINES, CONTEXT_LINES) {
                contexts.pop();
                contexts.push((merged, read));
                continue;
            }
        }
        contexts.push((*right.inner(), read));
    }
    for (context, read) in &contexts {
        write_context(out, source, context, &**read, &labels)?;
    }
    Some(())
}

/// miette's `render_context` for one context span (`read` with its context lines), without
/// gutters (no label here spans lines).
fn write_context(
    out: &mut String,
    source: &dyn SourceCode,
    context: &SourceSpan,
    read: &dyn SpanContents<'_>,
    labels: &[LabeledSpan],
) -> Option<()> {
    let text = std::str::from_utf8(read.data()).ok()?;
    let lines = lines(text, read.line(), read.span().offset());
    // Every label shown on a line lies within it: miette's gutters, multi-line ends and
    // label continuations never come up.
    if lines.iter().any(|line| {
        labels
            .iter()
            .any(|l| line.shows(l.inner()) && !line.holds(l.inner()))
    }) {
        return None;
    }
    let within = |l: &&LabeledSpan| {
        context.offset() <= l.offset() && l.offset() + l.len() <= context.offset() + context.len()
    };
    let primary = labels
        .iter()
        .filter(within)
        .find(|l| l.primary())
        .or_else(|| labels.iter().find(within));
    let linum_width = decimal_digits(lines.last().map_or(0, |l| l.number));

    // The header: where the primary label starts.
    pad(out, linum_width + 2);
    out.push_str("╭─[");
    match primary {
        Some(label) => {
            let at = source.read_span(label.inner(), 0, 0).ok()?;
            write_position(out, at.name()?, at.line(), at.column());
        }
        None => write_position(out, read.name()?, read.line(), read.column()),
    }

    let mut shown: Vec<&LabeledSpan> = Vec::new();
    for line in &lines {
        out.push(' ');
        write_number(out, line.number, linum_width);
        out.push_str(" │ ");
        write_line_text(out, line.text);
        shown.clear();
        shown.extend(labels.iter().filter(|l| line.shows(l.inner())));
        if !shown.is_empty() {
            write_no_linum(out, linum_width);
            write_highlights(out, line, linum_width, &shown);
        }
    }
    pad(out, linum_width + 2);
    out.push_str("╰────\n");
    Some(())
}

/// miette's `get_lines`: the text cut at LF, CRLF (a lone CR stays in its line), numbered
/// from the context's first line.
fn lines(text: &str, first_line: usize, first_offset: usize) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(4);
    let mut number = first_line;
    let mut offset = first_offset;
    let bytes = text.as_bytes();
    let mut start = 0; // where the current line's text starts in `text`
    for i in memchr::memchr_iter(b'\n', bytes) {
        // A CRLF ends its line at the CR.
        let end = if i > start && bytes[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        number += 1;
        lines.push(Line {
            number,
            offset,
            length: i + 1 - start,
            text: &text[start..end],
        });
        offset += i + 1 - start;
        start = i + 1;
    }
    if start < bytes.len() {
        // The last line, without a break (miette does not count a line for a last lone CR).
        lines.push(Line {
            number: if bytes.ends_with(b"\r") {
                number
            } else {
                number + 1
            },
            offset,
            length: bytes.len() - start,
            text: &text[start..],
        });
    }
    lines
}

/// The columns each character of `text` takes (miette's `line_visual_char_width`: a tab to
/// the next stop, an ANSI escape sequence nothing, other characters their Unicode width).
fn char_widths(text: &str) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut column = 0;
    let mut escaped = false;
    text.chars().map(move |c| {
        let width = match (escaped, c) {
            (false, '\t') => TAB_WIDTH - column % TAB_WIDTH,
            (false, '\x1b') => {
                escaped = true;
                0
            }
            (false, c) => c.width().unwrap_or(0),
            (true, 'm') => {
                escaped = false;
                0
            }
            (true, _) => 0,
        };
        column += width;
        (c, width)
    })
}

/// Is every character of `text` printable ASCII (one column each, written as it is)?
fn one_column_each(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// A line's text, tabs written as spaces, then its break.
fn write_line_text(out: &mut String, text: &str) {
    if one_column_each(text) {
        out.push_str(text);
    } else {
        for (c, width) in char_widths(text) {
            if c == '\t' {
                pad(out, width);
            } else {
                out.push(c);
            }
        }
    }
    out.push('\n');
}

/// miette's `visual_offset`: the column of byte `offset` of the source on `line` (a byte
/// inside a character: its first column if `start`, else its last), one past the text for
/// a byte past it.
fn visual_offset(line: &Line<'_>, offset: usize, start: bool) -> usize {
    let text = line.text;
    let mut index = offset - line.offset;
    while index <= text.len() && !text.is_char_boundary(index) {
        if start {
            index -= 1;
        } else {
            index += 1;
        }
    }
    let before = &text[..index.min(text.len())];
    let width = if one_column_each(before) {
        before.len()
    } else {
        char_widths(before).map(|(_, w)| w).sum()
    };
    if index > text.len() { width + 1 } else { width }
}

/// miette's `render_single_line_highlights`: the underlines, then each label's text from
/// the last to the first, with the bars of the labels left of it.
fn write_highlights(out: &mut String, line: &Line<'_>, linum_width: usize, shown: &[&LabeledSpan]) {
    let mut highest = 0;
    let mut bars: Vec<usize> = Vec::with_capacity(shown.len());
    for l in shown {
        let start = visual_offset(line, l.offset(), true).max(highest);
        let end = if l.is_empty() {
            start + 1
        } else {
            visual_offset(line, l.offset() + l.len(), false).max(start + 1)
        };
        let bar = (start + end) / 2;
        pad(out, start.saturating_sub(highest));
        repeat(out, '─', bar - start);
        out.push(if l.is_empty() {
            '▲'
        } else if l.label().is_some() {
            '┬'
        } else {
            '─'
        });
        repeat(out, '─', end - bar - 1);
        highest = highest.max(end);
        bars.push(bar);
    }
    out.push('\n');
    for l in shown.iter().rev() {
        let Some(text) = l.label() else { continue };
        write_no_linum(out, linum_width);
        // miette finds the label among the bars by equality of text and span: the first
        // equal one takes its text.
        let mut column = 1;
        for (other, &bar) in shown.iter().zip(&bars) {
            while column < bar + 1 {
                out.push(' ');
                column += 1;
            }
            if other.label() == Some(text) && other.inner() == l.inner() {
                out.push_str("╰── ");
                out.push_str(text);
                out.push('\n');
                break;
            }
            out.push('│');
            column += 1;
        }
    }
}

/// `NAME:LINE:COLUMN]` and the header's line break, both counted from 1.
fn write_position(out: &mut String, name: &str, line: usize, column: usize) {
    out.push_str(name);
    out.push(':');
    write_number(out, line + 1, 0);
    out.push(':');
    write_number(out, column + 1, 0);
    out.push_str("]\n");
}

/// `n` in decimal, right-aligned in `width` columns (`format!("{n:width$}")`), without the
/// formatting machinery: a snippet writes several per line.
fn write_number(out: &mut String, n: usize, width: usize) {
    let digits = decimal_digits(n);
    pad(out, width.saturating_sub(digits));
    let mut buf = [0u8; 20];
    let mut rest = n;
    for slot in buf[..digits].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[..digits]).unwrap_or_default());
}

/// miette's `write_no_linum` with the unicode theme.
fn write_no_linum(out: &mut String, linum_width: usize) {
    pad(out, linum_width + 2);
    out.push_str("· ");
}

fn pad(out: &mut String, n: usize) {
    repeat(out, ' ', n);
}

fn repeat(out: &mut String, c: char, n: usize) {
    const SPACES: &str = "                                ";
    const BARS: &str = "────────────────────────────────";
    match c {
        ' ' if n <= SPACES.len() => out.push_str(&SPACES[..n]),
        '─' if n * 3 <= BARS.len() => out.push_str(&BARS[..n * 3]),
        _ => out.extend(std::iter::repeat_n(c, n)),
    }
}

/// The digits of `n` in decimal (`n.to_string().len()`).
fn decimal_digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};
    use std::fmt;

    /// A report with no message: miette writes its header, then the snippets.
    #[derive(Debug)]
    struct Bare {
        source: NamedSource<String>,
        labels: Vec<LabeledSpan>,
    }
    impl fmt::Display for Bare {
        fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
            Ok(())
        }
    }
    impl std::error::Error for Bare {}
    impl miette::Diagnostic for Bare {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.source)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn miette_snippets(text: &str, labels: &[LabeledSpan]) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .with_links(false);
        let render = |labels: Vec<LabeledSpan>| {
            let mut out = String::new();
            let _ = handler.render_report(
                &mut out,
                &Bare {
                    source: NamedSource::new("f.conf", text.to_owned()),
                    labels,
                },
            );
            out
        };
        let head = render(Vec::new());
        let whole = render(labels.to_vec());
        whole
            .strip_prefix(&head)
            .expect("the header first")
            .to_owned()
    }

    /// Random texts (tabs, CRLF, lone CR, wide and multi-byte characters, escapes, long
    /// lines) and random labels (empty, at line ends, equal, overlapping, one primary or
    /// none): where this layout applies it writes what miette writes; it applies to most.
    #[test]
    fn writes_what_miette_writes() {
        let alphabet: [&str; 12] = [
            "a", "b", " ", "\t", "\n", "\r\n", "\r", "é", "界", "\x1b[1m", "…", "location",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let (mut compared, mut applied) = (0, 0);
        for _ in 0..6000 {
            let words = 1 + next(40) as usize;
            let text: String = (0..words).map(|_| alphabet[next(12) as usize]).collect();
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let count = 1 + next(4) as usize;
            let primary = next(3) as usize;
            let labels: Vec<LabeledSpan> = (0..count)
                .map(|i| {
                    let a = boundaries[next(boundaries.len() as u64) as usize];
                    let b = if next(4) == 0 {
                        a
                    } else {
                        boundaries[next(boundaries.len() as u64) as usize].max(a)
                    };
                    let label = match next(4) {
                        0 => None,
                        1 => Some(String::new()),
                        2 => Some(format!("label {i}")),
                        _ => Some("same".to_owned()),
                    };
                    if i == primary {
                        LabeledSpan::new_primary_with_span(label, (a, b - a))
                    } else {
                        LabeledSpan::new_with_span(label, (a, b - a))
                    }
                })
                .collect();
            let theirs = miette_snippets(&text, &labels);
            let mut ours = String::new();
            let source = NamedSource::new("f.conf", text.clone());
            compared += 1;
            if write(&mut ours, &source, labels.clone()).is_some() {
                applied += 1;
                assert_eq!(ours, theirs, "{text:?} {labels:?}");
            }
        }
        assert!(applied * 2 > compared, "{applied} of {compared}");
    }

    #[test]
    fn numbers_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(decimal_digits(n), n.to_string().len());
            for width in [0, 1, 3, 25] {
                let mut out = String::new();
                write_number(&mut out, n, width);
                assert_eq!(out, format!("{n:width$}"));
            }
        }
    }
}
