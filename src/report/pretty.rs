//! serde_json's pretty layout, written by hand (the JSON and SARIF reports): through serde a
//! finding cost about 20,000 instructions, most of them writing keys, indentation and escapes
//! a few bytes at a time (issue #13).

/// serde_json's pretty printer, for the values this report has: two spaces per level, a line
/// per key and per array element, `": "` after a key, and `[]`/`{}` for an empty array or
/// object. Every value written through [`Pretty::string`], [`Pretty::raw`] or a closing bracket
/// marks the level as having a value; a number written straight into `out` calls
/// [`Pretty::done`].
pub(super) struct Pretty<'o> {
    pub(super) out: &'o mut String,
    pub(super) level: usize,
    /// Something was written at the current level (a closing bracket then goes on a line of
    /// its own).
    pub(super) has_value: bool,
}

impl<'o> Pretty<'o> {
    pub(super) fn new(out: &'o mut String) -> Self {
        Pretty::at_level(out, 0)
    }

    /// A writer continuing inside `level` brackets (a piece of a report written apart).
    pub(super) fn at_level(out: &'o mut String, level: usize) -> Self {
        Pretty {
            out,
            level,
            has_value: false,
        }
    }

    pub(super) fn newline(&mut self) {
        // A line break and the indentation of any level this report reaches, in one copy.
        const BREAK: &str = "\n                    ";
        match BREAK.get(..1 + 2 * self.level) {
            Some(b) => self.out.push_str(b),
            None => {
                self.out.push('\n');
                for _ in 0..self.level {
                    self.out.push_str("  ");
                }
            }
        }
    }

    pub(super) fn open(&mut self, bracket: char) {
        self.level += 1;
        self.has_value = false;
        self.out.push(bracket);
    }

    pub(super) fn close(&mut self, bracket: char) {
        self.level -= 1;
        if self.has_value {
            self.newline();
        }
        self.out.push(bracket);
        self.has_value = true;
    }

    /// A key of the current object, `first` or after another. Keys are this module's own
    /// names: nothing in them to escape.
    pub(super) fn key(&mut self, first: bool, key: &str) {
        debug_assert!(!key.bytes().any(needs_escape));
        self.element(first);
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\": ");
    }

    /// The start of an array element or object key, `first` or after another.
    pub(super) fn element(&mut self, first: bool) {
        if !first {
            self.out.push(',');
        }
        self.newline();
    }

    pub(super) fn done(&mut self) {
        self.has_value = true;
    }

    /// A number.
    pub(super) fn number(&mut self, n: u64) {
        match u32::try_from(n) {
            Ok(n) => crate::text::push_decimal(self.out, n),
            Err(_) => self.out.push_str(&n.to_string()),
        }
        self.has_value = true;
    }

    /// An object of number fields, in order.
    pub(super) fn numbers(&mut self, fields: &[(&str, u64)]) {
        self.open('{');
        for (i, &(key, n)) in fields.iter().enumerate() {
            self.key(i == 0, key);
            self.number(n);
        }
        self.close('}');
    }

    pub(super) fn raw(&mut self, text: &str) {
        self.out.push_str(text);
        self.has_value = true;
    }

    /// A JSON string, escaped as serde_json escapes: `"`, `\\`, and the control characters
    /// (`\b`, `\t`, `\n`, `\f`, `\r`, else `\u00XX` in lowercase hex); everything else as is.
    /// Eight bytes are tested at a time (most text has nothing to escape): a byte-by-byte scan
    /// was most of the report's cost.
    pub(super) fn string(&mut self, s: &str) {
        self.out.push('"');
        let bytes = s.as_bytes();
        // `bytes[from..i]` is copied as it is once an escape or the end is reached.
        let mut from = 0;
        let mut i = 0;
        while i < bytes.len() {
            if let Some(word) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                if !may_need_escape(word) {
                    i += 8;
                    continue;
                }
            }
            let end = (i + 8).min(bytes.len());
            while i < end {
                let b = bytes[i];
                if needs_escape(b) {
                    // Only ASCII bytes are escaped: `i` is a character boundary.
                    self.out.push_str(&s[from..i]);
                    self.escape(b);
                    from = i + 1;
                }
                i += 1;
            }
        }
        self.out.push_str(&s[from..]);
        self.out.push('"');
        self.has_value = true;
    }

    fn escape(&mut self, b: u8) {
        match b {
            b'"' => self.out.push_str("\\\""),
            b'\\' => self.out.push_str("\\\\"),
            0x08 => self.out.push_str("\\b"),
            b'\t' => self.out.push_str("\\t"),
            b'\n' => self.out.push_str("\\n"),
            0x0C => self.out.push_str("\\f"),
            b'\r' => self.out.push_str("\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
    }
}

/// A byte JSON writes escaped: `"`, `\` and the control characters below SP.
pub(super) fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of the eight bytes of `word` [`needs_escape`]: exact (the classic tests for a
/// zero byte and for a byte below `n` tell whether there is one, though not which), so a
/// `false` lets the eight bytes go as they are.
fn may_need_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    below_space | quote | backslash != 0
}
