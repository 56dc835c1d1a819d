//! Offsets to 1-based line and column numbers, computed only when rendering.

/// Start offset of every line of one file.
///
/// Lines end at LF, as nginx counts them (`ngx_conf_read_token` increments its line counter on
/// LF only), so a CRLF file has the same line numbers as its LF twin and a lone CR does not start
/// a line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Every byte is ASCII: a column is a byte difference (no per-finding scan of a long line).
    ascii: bool,
}

/// A position for people: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(src: &[u8]) -> Self {
        let mut line_starts = Vec::with_capacity(src.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i as u32 + 1));
        LineIndex {
            line_starts,
            ascii: src.is_ascii(),
        }
    }

    /// Number of lines (a final LF opens an empty last line, as in nginx's count at EOF).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts[(line.max(1) - 1) as usize]
    }

    /// 1-based line and character column of `offset`. Columns count UTF-8 characters; each byte
    /// of an invalid sequence counts as one character (it is shown as U+FFFD).
    pub fn line_col(&self, src: &[u8], offset: u32) -> LineCol {
        let line = self.line(offset);
        let start = self.line_start(line) as usize;
        let end = (offset as usize).min(src.len());
        let prefix = &src[start.min(end)..end];
        LineCol {
            line,
            column: if self.ascii {
                prefix.len() as u32
            } else {
                char_count(prefix)
            } + 1,
        }
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
