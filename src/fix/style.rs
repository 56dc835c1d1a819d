//! The file's own style: line ending and indentation, so inserted lines look like their
//! neighbours (ruff's `Stylist`).

use std::borrow::Cow;

use crate::semantics::SourceFile;
use crate::syntax::{Directive, Element, Span, TokenKind};

/// `"\r\n"` when the file's first line ends so, else `"\n"`.
pub fn line_ending(src: &[u8]) -> &'static str {
    match src.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && src[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The whitespace before `offset` on its line, if only whitespace precedes it there.
pub fn indent_at(src: &[u8], offset: u32) -> Option<&str> {
    let start = src[..offset as usize]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let prefix = &src[start..offset as usize];
    prefix
        .iter()
        .all(|&b| b == b' ' || b == b'\t')
        .then(|| std::str::from_utf8(prefix).unwrap_or(""))
}

/// An edit inserting the line `text` before the main file's first top-level directive, at its
/// indentation and with the file's line ending (`None` when that directive comes from an
/// include or shares its line with something before it). `blank_line` leaves an empty line
/// after the inserted one.
pub fn insert_before_first_directive(
    model: &crate::semantics::model::Model<'_>,
    text: &str,
    blank_line: bool,
) -> Option<super::Edit> {
    let node = model.node(*model.roots.first()?);
    if model.file_of(*model.roots.first()?) != 0 {
        return None;
    }
    let src = &model.program.file(0).src;
    let at = node.directive.span().start;
    let indent = indent_at(src, at)?;
    let eol = line_ending(src);
    let gap = if blank_line { eol } else { "" };
    Some(super::Edit::insert(
        0,
        at,
        format!("{text}{eol}{gap}{indent}"),
    ))
}

/// The indentation unit of a file: the smallest positive indent step found, default 4 spaces.
pub fn indent_unit(src: &[u8]) -> String {
    let mut best: Option<&[u8]> = None;
    for line in src.split(|&b| b == b'\n') {
        let n = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if n > 0 && n < line.len() && best.is_none_or(|b| n < b.len()) {
            best = Some(&line[..n]);
        }
    }
    best.map_or_else(
        || "    ".to_owned(),
        |b| String::from_utf8_lossy(b).into_owned(),
    )
}

/// Text and offset to insert `line` (no indentation, no line ending) as the last directive of
/// `block_directive`'s block: after its last element, before `}`, at the children's indentation.
pub fn insert_into_block(
    file: &SourceFile,
    block_directive: &Directive,
    line: &str,
) -> Option<(u32, String)> {
    let block = block_directive.block()?;
    let close = block.close()?;
    let src = &file.src;
    let eol = line_ending(src);
    // Indentation of existing children, else the parent's plus one unit (borrowed from the
    // source when a child has one: this runs for every fix that adds a line to a block).
    let child_indent: Cow<'_, str> = match block_directive
        .children()
        .find_map(|c| indent_at(src, c.span().start))
    {
        Some(indent) => Cow::Borrowed(indent),
        None => {
            let parent = indent_at(src, block_directive.span().start).unwrap_or("");
            Cow::Owned(format!("{parent}{}", file.indent_unit()))
        }
    };
    // After the last directive of the block and whatever trails it on its line (a comment
    // stays with the line it annotates). Found from the end: a fix adding a line to a block of
    // thousands of directives (the `http` block) is made for each finding.
    let last = block.items.iter().rev().find_map(Element::as_directive);
    match last {
        Some(d) => {
            let at = after_trailing(src, d.span().end);
            Some((at, concat(&[eol, &child_indent, line])))
        }
        None => {
            // Empty block: put the line on its own line before `}`.
            let at = close.span().start;
            let close_indent = indent_at(src, at);
            match close_indent {
                Some(ci) => {
                    let line_start = at - ci.len() as u32;
                    Some((line_start, concat(&[&child_indent, line, eol])))
                }
                None => Some((at, concat(&[eol, &child_indent, line, eol]))),
            }
        }
    }
}

/// The pieces joined into one string allocated at its final size (what `format!` of plain
/// `{}` pieces gives, without the formatting machinery).
fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        out.push_str(p);
    }
    out
}

/// Where a new directive goes right after `anchor`: on a line of its own at the same
/// indentation, or, where `anchor` shares its line with what comes before it (a block written
/// on one line, `location = /auth { internal; proxy_pass ...; }`), on that line after a space,
/// so the block stays one line instead of gaining an unindented one.
pub fn insert_after(file: &SourceFile, anchor: &Directive, line: &str) -> (u32, String) {
    let src = &file.src;
    match indent_at(src, anchor.span().start) {
        Some(indent) => (
            after_trailing(src, anchor.span().end),
            concat(&[line_ending(src), indent, line]),
        ),
        None => (anchor.span().end, concat(&[" ", line])),
    }
}

/// An edit adding `line` on a line of its own right after directive `anchor`, at its
/// indentation, where `anchor` ends with `;` (not a block, not cut off by a syntax error).
pub fn insert_line_after(
    model: &crate::semantics::model::Model<'_>,
    anchor: crate::semantics::model::NodeId,
    line: &str,
) -> Option<super::Edit> {
    let node = model.node(anchor);
    if !matches!(node.directive.end(), crate::syntax::End::Semicolon(_)) {
        return None;
    }
    let file = model.file_of(anchor);
    let (at, text) = insert_after(model.program.file(file), node.directive, line);
    Some(super::Edit::insert(file, at, text))
}

/// `offset` moved past trailing spaces and a trailing `# comment` on the same line, when
/// nothing else follows on that line; otherwise `offset` itself. The result sits before the
/// line ending, so an inserted `eol + text` keeps the comment on its own line.
pub fn after_trailing(src: &[u8], offset: u32) -> u32 {
    let rest = &src[offset as usize..];
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let mut line = &rest[..line_end];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    let trimmed = line.iter().position(|&b| b != b' ' && b != b'\t');
    match trimmed {
        None => offset + line.len() as u32,
        Some(i) if line[i] == b'#' => offset + line.len() as u32,
        Some(_) => offset,
    }
}

/// Span of argument `i` of `d` (for replacing a value while keeping the other bytes).
pub fn arg_span(d: &Directive, i: usize) -> Option<Span> {
    d.arg_tokens().nth(i).map(|t| t.span())
}

/// The quote style of an argument token: `"`, `'` or none.
pub fn quote_of(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::DoubleQuoted => "\"",
        TokenKind::SingleQuoted => "'",
        _ => "",
    }
}

/// The bytes to remove to delete the directive at `span`: its whole line, indentation and line
/// ending included, when it stands alone on it; else the directive and the blanks after it
/// (a comment after it on the line stays).
pub fn removal_span(src: &[u8], span: Span) -> Span {
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = src[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let after = end + src[end..].iter().take_while(|b| blank(b)).count();
    let line_end = match src.get(after) {
        None => Some(after),
        Some(b'\n') => Some(after + 1),
        Some(b'\r') if src.get(after + 1) == Some(&b'\n') => Some(after + 2),
        _ => None,
    };
    match line_end {
        Some(line_end) if src[line_start..start].iter().all(blank) => {
            Span::new(line_start as u32, line_end as u32)
        }
        _ => Span::new(span.start, after as u32),
    }
}
