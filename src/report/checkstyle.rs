//! `--format checkstyle`: Checkstyle XML, which reviewdog, Jenkins (Warnings NG) and many CI
//! dashboards read.
//!
//! `<checkstyle version="4.3"><file name="PATH"><error line column severity message
//! source="ngxlint.RULE"/></file></checkstyle>`, one `<file>` per file with findings, in the
//! order the files first appear.

use std::collections::HashMap;

use super::Finding;
use crate::rules::Severity;

/// Checkstyle's name for a severity.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Escape text for an XML attribute or element: the five predefined entities, tab/LF/CR as
/// character references (so attribute values keep them), every other control character (which
/// XML 1.0 cannot carry) dropped.
///
/// Runs of plain ASCII are copied whole; a character at a time, escaping was two thirds of a
/// JUnit report's cost (issue #13: 82 of 122 M instructions at 1 MB of generated
/// configuration).
pub fn escape_xml(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // `s[from..i]` is plain and is copied as it is once something else comes.
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() && !xml_special(b) {
            i += 1;
            continue;
        }
        out.push_str(&s[from..i]);
        if b.is_ascii() {
            match b {
                b'&' => out.push_str("&amp;"),
                b'<' => out.push_str("&lt;"),
                b'>' => out.push_str("&gt;"),
                b'"' => out.push_str("&quot;"),
                b'\'' => out.push_str("&apos;"),
                b'\t' => out.push_str("&#9;"),
                b'\n' => out.push_str("&#10;"),
                b'\r' => out.push_str("&#13;"),
                // Other ASCII control characters: dropped.
                _ => {}
            }
            i += 1;
        } else {
            // `i` is a character boundary: everything before it was ASCII or whole characters.
            let c = s[i..].chars().next().expect("a character starts here");
            if !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}') {
                out.push(c);
            }
            i += c.len_utf8();
        }
        from = i;
    }
    out.push_str(&s[from..]);
    out
}

/// An ASCII byte [`escape_xml`] does not copy as it is: an entity's character or a control.
fn xml_special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b.is_ascii_control()
}

pub fn render(findings: &[Finding<'_>]) -> String {
    // Files in order of first appearance, each with its findings in order.
    let mut files: Vec<(String, Vec<&Finding<'_>>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in findings {
        let path = f.path();
        match index.get(&path) {
            Some(&i) => files[i].1.push(f),
            None => {
                index.insert(path.clone(), files.len());
                files.push((path, vec![f]));
            }
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for (path, list) in &files {
        out.push_str(&format!("  <file name=\"{}\">\n", escape_xml(path)));
        for f in list {
            let d = f.diagnostic;
            let (start, _) = f.range();
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"ngxlint.{}\"/>\n",
                start.line,
                start.column,
                severity(d.severity),
                escape_xml(&d.message),
                escape_xml(d.rule.id),
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape_xml;

    /// What [`escape_xml`] did a character at a time: the reference.
    fn escape_by_char(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' => out.push_str("&#9;"),
                '\n' => out.push_str("&#10;"),
                '\r' => out.push_str("&#13;"),
                c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Every ASCII byte, the C1 controls, U+FFFE/U+FFFF and other non-ASCII characters, alone,
    /// at every place among plain text, and all together: escaped as a character at a time.
    #[test]
    fn runs_are_escaped_as_each_character_was() {
        let mut specials: Vec<char> = (0u8..0x80).map(char::from).collect();
        specials.extend([
            '\u{80}', '\u{85}', '\u{9F}', '\u{A0}', 'é', '日', '\u{FFFD}',
        ]);
        specials.extend(['\u{FFFE}', '\u{FFFF}', '\u{1F600}', '\u{2028}']);
        let mut all = String::new();
        for &c in &specials {
            all.push(c);
            for at in 0..4 {
                for filler in ["a", "é", "&"] {
                    let mut s = filler.repeat(at);
                    s.push(c);
                    s.push_str(&filler.repeat(3 - at));
                    assert_eq!(escape_xml(&s), escape_by_char(&s), "{s:?}");
                }
            }
        }
        assert_eq!(escape_xml(&all), escape_by_char(&all));
        assert_eq!(escape_xml(""), "");
        assert_eq!(
            escape_xml("a<b> & 'c' \"d\"\t\u{1}"),
            "a&lt;b&gt; &amp; &apos;c&apos; &quot;d&quot;&#9;"
        );
    }
}
