//! A JSON string escaper that matches Python's `json.dumps` (ASCII only), so output meant to be
//! byte-identical to crossplane's is.

/// Append `s` as a JSON string literal, escaping like Python's `json.dumps(ensure_ascii=True)`.
pub fn push_str_ascii(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e && (c as u32) != 0x7f => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_python() {
        let mut s = String::new();
        push_str_ascii(&mut s, "a\"b\\c\nd\u{1}é😀\u{7f}");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\u0001\\u00e9\\ud83d\\ude00\u{7f}\"");
    }
}
