//! Offsets to 1-based line and column numbers, computed only when rendering.

/// Where the lines of one file start, kept for every [`STRIDE`]th line: the line of an offset is
/// found from the nearest kept start by counting the LFs between (at most `STRIDE - 1` lines,
/// one `memchr` pass). Four bytes per line were 6 MB on a 50 MB configuration, built while the
/// rules run and so part of their peak (issue #13); an eighth of that costs a scan of a few
/// hundred bytes per question (with a kept start every 16 lines, the JSON report of the 1 MB
/// generated configuration took 5 % more instructions; every 8, 2 %).
///
/// Lines end at LF, as nginx counts them (`ngx_conf_read_token` increments its line counter on
/// LF only), so a CRLF file has the same line numbers as its LF twin and a lone CR does not start
/// a line.
///
/// The index does not hold the file's bytes: [`Lines`] pairs the two, and is what
/// [`crate::semantics::SourceFile::lines`] hands out.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Start offsets of lines 1, 1 + STRIDE, 1 + 2·STRIDE, ...
    checkpoints: Vec<u32>,
    /// Positions inside lines longer than [`MARK_BYTES`], every `MARK_BYTES` or so, with their
    /// line and column: a question about an offset far into a long line (a minified file)
    /// scans from the nearest mark, not from the line's start. Without them, thousands of
    /// findings on one long line scanned it once each: quadratic (100,000 syntax errors on one
    /// 800 KB line took 1.4 s, 200,000 on 1.6 MB took 5.8 s). Empty for ordinary files.
    marks: Vec<Mark>,
    line_count: u32,
    /// Every byte is ASCII: a column is a byte difference (no per-finding scan of a long line).
    ascii: bool,
}

/// A position inside a long line: its offset, line and 1-based column.
#[derive(Clone, Copy, Debug)]
struct Mark {
    at: u32,
    line: u32,
    column: u32,
}

/// Lines between two kept line starts of a [`LineIndex`].
pub const STRIDE: u32 = 8;

/// Bytes between two [`Mark`]s of a long line.
const MARK_BYTES: usize = 4096;

/// A position for people: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(src: &[u8]) -> Self {
        let mut checkpoints = Vec::with_capacity(src.len() / (32 * STRIDE as usize) + 1);
        checkpoints.push(0);
        let mut line_count = 1u32;
        let ascii = src.is_ascii();
        let mut marks = Vec::new();
        let mut line_start = 0usize;
        for i in memchr::memchr_iter(b'\n', src).chain(std::iter::once(src.len())) {
            if i - line_start > MARK_BYTES {
                mark_long_line(src, line_start, i, line_count, ascii, &mut marks);
            }
            if i == src.len() {
                break;
            }
            if line_count.is_multiple_of(STRIDE) {
                checkpoints.push(i as u32 + 1);
            }
            line_count += 1;
            line_start = i + 1;
        }
        LineIndex {
            checkpoints,
            marks,
            line_count,
            ascii,
        }
    }

    /// Number of lines (a final LF opens an empty last line, as in nginx's count at EOF).
    pub fn line_count(&self) -> u32 {
        self.line_count
    }

    /// 1-based line of a byte offset of `src` (the file this index was built from); an offset
    /// past the end is on the last line.
    pub fn line(&self, src: &[u8], offset: u32) -> u32 {
        self.scan(src, offset).0
    }

    /// The line of `offset` and where the kept start the scan began from is, with the bytes
    /// scanned (from that start to `offset`).
    ///
    /// The scan starts at the later of the kept line start and the last [`Mark`] before
    /// `offset`; the mark's column is returned when it is the start (`None`: a line start).
    #[inline]
    fn scan<'s>(&self, src: &'s [u8], offset: u32) -> (u32, usize, &'s [u8], Option<u32>) {
        // The first kept start is 0: never an empty partition.
        let k = self.checkpoints.partition_point(|&c| c <= offset) - 1;
        let mut from = self.checkpoints[k] as usize;
        let mut first_line = k as u32 * STRIDE + 1;
        let mut column = None;
        if !self.marks.is_empty() {
            let m = self.marks.partition_point(|m| m.at <= offset);
            if let Some(mark) = m.checked_sub(1).map(|m| self.marks[m])
                && mark.at as usize > from
            {
                from = mark.at as usize;
                first_line = mark.line;
                column = Some(mark.column);
            }
        }
        let from = from.min(src.len());
        let to = (offset as usize).clamp(from, src.len());
        let between = &src[from..to];
        let lfs = memchr::memchr_iter(b'\n', between).count() as u32;
        (first_line + lfs, from, between, column.filter(|_| lfs == 0))
    }

    /// Byte offset where 1-based `line` of `src` starts.
    ///
    /// # Panics
    /// If the file has fewer lines.
    pub fn line_start(&self, src: &[u8], line: u32) -> u32 {
        let index = line.max(1) - 1;
        assert!(
            index < self.line_count,
            "line {line} of a file of {} lines",
            self.line_count
        );
        let mut at = self.checkpoints[(index / STRIDE) as usize] as usize;
        let first = index / STRIDE * STRIDE + 1;
        for current in first..first + index % STRIDE {
            // A long line is crossed from its last mark, not searched from its start.
            at = self
                .last_mark_of(current)
                .map_or(at, |m| at.max(m as usize));
            // Fewer than `line_count` lines precede it: the LF is there.
            at += memchr::memchr(b'\n', &src[at..]).expect("counted when built") + 1;
        }
        at as u32
    }

    /// Where the last mark of 1-based `line` is, if the line is long enough to have marks
    /// (they are in file order, so in line order too).
    fn last_mark_of(&self, line: u32) -> Option<u32> {
        let k = self.marks.partition_point(|m| m.line <= line);
        let mark = self.marks.get(k.checked_sub(1)?)?;
        (mark.line == line).then_some(mark.at)
    }

    /// 1-based line and character column of `offset`. Columns count UTF-8 characters; each byte
    /// of an invalid sequence counts as one character (it is shown as U+FFFD).
    pub fn line_col(&self, src: &[u8], offset: u32) -> LineCol {
        let (line, from, between, mark_column) = self.scan(src, offset);
        // The line starts after the last LF before `offset`, or at the kept start (or, inside a
        // long line, the column goes on from the mark's).
        let start = memchr::memrchr(b'\n', between).map_or(from, |i| from + i + 1);
        let prefix = &between[start - from..];
        let chars = if self.ascii {
            prefix.len() as u32
        } else {
            char_count(prefix)
        };
        LineCol {
            line,
            column: mark_column.unwrap_or(1) + chars,
        }
    }
}

/// A file's bytes with its [`LineIndex`]: line questions about offsets of that file.
#[derive(Clone, Copy, Debug)]
pub struct Lines<'a> {
    pub index: &'a LineIndex,
    pub src: &'a [u8],
}

impl Lines<'_> {
    /// See [`LineIndex::line_count`].
    pub fn line_count(&self) -> u32 {
        self.index.line_count()
    }

    /// See [`LineIndex::line`].
    pub fn line(&self, offset: u32) -> u32 {
        self.index.line(self.src, offset)
    }

    /// See [`LineIndex::line_start`].
    pub fn line_start(&self, line: u32) -> u32 {
        self.index.line_start(self.src, line)
    }

    /// See [`LineIndex::line_col`].
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.index.line_col(self.src, offset)
    }
}

/// Marks every [`MARK_BYTES`] or so inside line `line` (`src[start..end]`), each on a character
/// boundary (a column counted from it adds up with the one before).
fn mark_long_line(
    src: &[u8],
    start: usize,
    end: usize,
    line: u32,
    ascii: bool,
    marks: &mut Vec<Mark>,
) {
    let mut at = start;
    let mut column = 1u32;
    loop {
        let mut next = at + MARK_BYTES;
        while next < end && (src[next] & 0xC0) == 0x80 {
            next += 1;
        }
        if next >= end {
            break;
        }
        column += if ascii {
            (next - at) as u32
        } else {
            char_count(&src[at..next])
        };
        marks.push(Mark {
            at: next as u32,
            line,
            column,
        });
        at = next;
    }
}

/// Characters in `bytes`, counting each byte of an invalid UTF-8 sequence as one.
pub fn char_count(bytes: &[u8]) -> u32 {
    let mut n = 0;
    for chunk in bytes.utf8_chunks() {
        n += chunk.valid().chars().count() as u32 + chunk.invalid().len() as u32;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offset's line and column, every line's start and the line count are what a list
    /// of every line start gives, for files of 0 to 3·STRIDE + 1 lines (around each kept
    /// start), with CRLF, a lone CR, multi-byte characters and offsets past the end.
    #[test]
    fn kept_starts_answer_as_every_start_would() {
        for lines in 0..=3 * STRIDE as usize + 1 {
            for trailing_lf in [false, true] {
                let mut src = Vec::new();
                for i in 0..lines {
                    src.extend_from_slice(["a b;", "é\r", "", "xy\r"][i % 4].as_bytes());
                    if i + 1 < lines || trailing_lf {
                        src.push(b'\n');
                    }
                }
                let starts: Vec<u32> = std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', &src).map(|i| i as u32 + 1))
                    .collect();
                let index = LineIndex::new(&src);
                assert_eq!(index.line_count(), starts.len() as u32);
                for (i, &start) in starts.iter().enumerate() {
                    assert_eq!(index.line_start(&src, i as u32 + 1), start, "{lines} lines");
                }
                for offset in 0..=src.len() as u32 + 2 {
                    let want = match starts.binary_search(&offset) {
                        Ok(i) => i as u32 + 1,
                        Err(i) => i as u32,
                    };
                    assert_eq!(index.line(&src, offset), want, "offset {offset} of {lines}");
                    let start = starts[want as usize - 1] as usize;
                    let end = (offset as usize).min(src.len()).max(start);
                    let column = char_count(&src[start..end]) + 1;
                    assert_eq!(index.line_col(&src, offset), LineCol { line: want, column });
                }
            }
        }
    }

    /// Lines longer than [`MARK_BYTES`] (ASCII, multi-byte characters straddling the mark
    /// positions, invalid bytes) answer as a scan from each line's start does, on the long line
    /// and on the short lines after it.
    #[test]
    fn marks_in_long_lines_answer_as_a_scan_would() {
        let long_ascii = "a;".repeat(3 * MARK_BYTES);
        let long_utf8 = "é€x".repeat(2 * MARK_BYTES);
        let mut invalid = b"ab\xffc".repeat(MARK_BYTES);
        invalid.extend_from_slice("中".as_bytes());
        for long in [
            long_ascii.as_bytes().to_vec(),
            long_utf8.into_bytes(),
            invalid,
        ] {
            let mut src = b"short\n".to_vec();
            src.extend_from_slice(&long);
            src.extend_from_slice(b"\nx\ny\n");
            src.extend_from_slice(&long);
            let index = LineIndex::new(&src);
            assert!(!index.marks.is_empty());
            let starts: Vec<usize> = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', &src).map(|i| i + 1))
                .collect();
            for (i, &start) in starts.iter().enumerate() {
                assert_eq!(
                    index.line_start(&src, i as u32 + 1),
                    start as u32,
                    "line {}",
                    i + 1
                );
            }
            for offset in (0..=src.len() + 1).step_by(7).chain([src.len()]) {
                let line = match starts.binary_search(&offset) {
                    Ok(i) => i + 1,
                    Err(i) => i,
                };
                let start = starts[line - 1];
                let end = offset.min(src.len()).max(start);
                let want = LineCol {
                    line: line as u32,
                    column: char_count(&src[start..end]) + 1,
                };
                assert_eq!(index.line_col(&src, offset as u32), want, "offset {offset}");
                assert_eq!(
                    index.line(&src, offset as u32),
                    want.line,
                    "offset {offset}"
                );
            }
        }
    }
}
