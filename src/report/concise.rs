//! `--format concise`: one short line per finding, `path:line:col: severity[rule-id] message`,
//! for grep, editors and huge runs. The message is cut to its first clause and at most
//! [`MAX_MESSAGE`] characters (the full text stays in `text` and `json`).

use super::Finding;

pub fn render(findings: &[Finding<'_>]) -> String {
    let mut out = String::with_capacity(findings.len() * 160);
    render_each(findings, |line| {
        out.push_str(line);
        Ok(())
    })
    .expect("a String takes every line");
    out
}

/// [`render`], written to `w` as it goes: the same bytes, without the whole report in memory
/// (6 MB for the 37,920 findings of a 10 MB configuration). Buffered here ([`super::WRITE_CHUNK`]
/// bytes), so `w` need not be.
pub fn write(findings: &[Finding<'_>], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(super::WRITE_CHUNK, w);
    if findings.len() < SPLIT_FROM || !crate::threads::more_than_one() {
        render_each(findings, |line| w.write_all(line.as_bytes()))?;
        return w.flush();
    }
    let (first, second) = findings.split_at(findings.len() / 2);
    std::thread::scope(|s| {
        let later = crate::threads::spawn_beside(s, || render(second));
        render_each(first, |line| w.write_all(line.as_bytes()))?;
        let later = match later {
            Ok(h) => h.join().expect("report thread panicked"),
            Err(_) => render(second),
        };
        w.write_all(later.as_bytes())
    })?;
    w.flush()
}

/// The fewest findings whose second half is rendered on a thread of its own.
const SPLIT_FROM: usize = 4096;

/// Each finding's line, handed to `emit` in order.
fn render_each(
    findings: &[Finding<'_>],
    mut emit: impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // Written in place (no `format!` per finding), each file's path rendered once, and only
    // the start position computed: a large run has thousands of findings in one file.
    let mut out = String::with_capacity(256);
    let mut last: Option<(&crate::semantics::SourceFile, String)> = None;
    for f in findings {
        out.clear();
        let d = f.diagnostic;
        let file = f.file();
        let shown = match &last {
            Some((seen, p)) if std::ptr::eq(*seen, file) => p,
            _ => &last.insert((file, f.path())).1,
        };
        let start = file.lines().line_col(d.primary.span.start);
        // `path:line:col: severity[rule] `, pieces appended (the formatting machinery cost
        // more than the text).
        out.push_str(shown);
        out.push(':');
        crate::text::push_decimal(&mut out, start.line);
        out.push(':');
        crate::text::push_decimal(&mut out, start.column);
        out.push_str(": ");
        out.push_str(d.severity.as_str());
        out.push('[');
        out.push_str(d.rule.id);
        out.push_str("] ");
        write_short(&mut out, &d.message);
        out.push('\n');
        emit(&out)?;
    }
    Ok(())
}

/// Longest message shown, in characters (an ellipsis marks a cut).
pub const MAX_MESSAGE: usize = 100;

/// The message up to its first `; ` or `. `, then at most [`MAX_MESSAGE`] characters, cut at a
/// word boundary.
pub fn short(message: &str) -> String {
    let mut out = String::new();
    write_short(&mut out, message);
    out
}

/// [`short`], appended to `out`.
fn write_short(out: &mut String, message: &str) {
    // The first line as `lines()` gives it (a CR before the LF dropped), found with memchr.
    let first_line = match memchr::memchr(b'\n', message.as_bytes()) {
        Some(i) => {
            let line = &message[..i];
            line.strip_suffix('\r').unwrap_or(line)
        }
        None => message,
    };
    // The first of ` ; `, `; `, `. ` outside a `code` span (one pass over the bytes: the
    // separators are ASCII). A ` ; ` starts one byte before the `; ` it holds, and no other
    // separator can start between the two. Quoted configuration is not prose: ``listen ...
    // http2`` holds a `. ` that ends no clause.
    let b = first_line.as_bytes();
    let mut clause_end = first_line.len();
    let mut from = 0;
    let mut in_code = false;
    while let Some(p) = memchr::memchr3(b';', b'.', b'`', &b[from..]) {
        let i = from + p;
        if b[i] == b'`' {
            in_code = !in_code;
        } else if !in_code
            && b.get(i + 1) == Some(&b' ')
            // An ellipsis (`listen ... http2` in nginx's quoted words) ends no sentence.
            && !(b[i] == b'.' && i > 0 && b[i - 1] == b'.')
        {
            clause_end = if b[i] == b';' && i > 0 && b[i - 1] == b' ' {
                i - 1
            } else {
                i
            };
            break;
        }
        from = i + 1;
    }
    let clause = first_line[..clause_end].trim_end_matches('.');
    let cut = clause.len() < message.trim_end_matches('.').len();
    // Characters beyond the limit: the byte length bounds the count from above, and is the
    // count when the text is ASCII (most messages).
    let ascii = clause.is_ascii();
    let over = clause.len() > MAX_MESSAGE && (ascii || clause.chars().count() > MAX_MESSAGE);
    if !over {
        out.push_str(clause);
        if cut {
            out.push_str(" …");
        }
        return;
    }
    let mut end = if ascii {
        MAX_MESSAGE
    } else {
        clause
            .char_indices()
            .nth(MAX_MESSAGE)
            .map_or(clause.len(), |(i, _)| i)
    };
    // memchr's backward search: `rfind(' ')` took the standard library's generic one, about
    // 170 instructions more per shortened message (issue #13).
    if let Some(space) = memchr::memrchr(b' ', &clause.as_bytes()[..end]) {
        end = space;
    }
    out.push_str(clause[..end].trim_end_matches([',', ':', ' ']));
    out.push_str(" …");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `short` had before it was written as one byte scan.
    fn reference(message: &str) -> String {
        let first_line = message.lines().next().unwrap_or("");
        // Separators outside `code` spans: the text between backticks blanked first.
        let mut in_code = false;
        let prose: String = first_line
            .chars()
            .map(|c| {
                if c == '`' {
                    in_code = !in_code;
                    "`".to_owned()
                } else if in_code {
                    // As many bytes as the character: positions stay those of `first_line`.
                    "_".repeat(c.len_utf8())
                } else {
                    c.to_string()
                }
            })
            .collect();
        // ... and every `.` after a `.` (an ellipsis) blanked too: it ends no sentence.
        let mut after_dot = false;
        let prose: String = prose
            .chars()
            .map(|c| {
                let blank = c == '.' && after_dot;
                after_dot = c == '.';
                if blank { '_' } else { c }
            })
            .collect();
        let clause_end = [" ; ", "; ", ". "]
            .iter()
            .filter_map(|sep| prose.find(sep))
            .min()
            .unwrap_or(first_line.len());
        let clause = first_line[..clause_end].trim_end_matches('.');
        let cut = clause.len() < message.trim_end_matches('.').len();
        if clause.chars().count() <= MAX_MESSAGE {
            return if cut {
                format!("{clause} …")
            } else {
                clause.to_owned()
            };
        }
        let mut end = clause
            .char_indices()
            .nth(MAX_MESSAGE)
            .map_or(clause.len(), |(i, _)| i);
        if let Some(space) = clause[..end].rfind(' ') {
            end = space;
        }
        format!("{} …", clause[..end].trim_end_matches([',', ':', ' ']))
    }

    /// A report long enough to be written in two halves, of a file large enough for its line
    /// index to be built beside the unpacking, is the one-pass rendering: every line, in order,
    /// at its line number.
    #[test]
    fn halves_write_what_one_pass_renders() {
        use std::fmt::Write as _;
        let mut src = String::from("http {\n    proxy_set_header X-Forwarded-For $remote_addr;\n");
        let pad = "#".repeat(120);
        for i in 0..SPLIT_FROM + 3 {
            writeln!(
                src,
                "    server {{ location /{i} {{ proxy_set_header Host $host; proxy_pass \
                 http://127.0.0.1:8080; }} }}\n    {pad}"
            )
            .expect("writing to a String");
        }
        src.push_str("}\n");
        assert!(
            src.len() >= 1 << 19,
            "{} bytes: too small for the index thread",
            src.len()
        );
        let only = |r: &crate::rules::Rule| r.id == "inherited-headers-dropped";
        let linted = crate::lint::lint_source(
            std::path::Path::new("big.conf"),
            src.into_bytes(),
            &crate::lint::Options::default(),
            &only,
        );
        let findings = linted.findings();
        assert_eq!(findings.len(), SPLIT_FROM + 3);
        let mut written = Vec::new();
        write(&findings, &mut written).expect("a Vec takes every byte");
        let written = String::from_utf8(written).expect("UTF-8");
        assert_eq!(written, render(&findings));
        // Server `i` is on line 3 + 2i, its `proxy_set_header` at column 27 + digits of i.
        for (i, line) in written.lines().enumerate() {
            let at = format!("big.conf:{}:{}: ", 3 + 2 * i, 27 + i.to_string().len());
            assert!(line.starts_with(&at), "{line} (finding {i})");
        }
    }

    #[test]
    fn one_scan_cuts_where_the_searches_did() {
        let long = "word ".repeat(30);
        let wide = "é ".repeat(60);
        for m in [
            "",
            ";",
            ". ",
            " ; ",
            "a ; b",
            "a; b",
            "a. b; c",
            "a;b. c",
            "a ;b; c",
            "v1.2 is old; use 1.3",
            "ends with a period.",
            "two lines\nsecond; line",
            "crlf line\r\nsecond",
            "\r\n",
            "\nfirst line empty",
            "no newline, trailing cr\r",
            "a ; b. c ; d",
            &long,
            &format!("{long}; tail"),
            &wide,
            &format!("x{wide}. y"),
            "`listen ... http2` is deprecated; use `http2 on`",
            "`a; b` is code. prose",
            "unclosed `code. here",
            "`é. ` then; more",
            "the \"listen ... http2\" directive is deprecated; use \"http2\"",
            "wait... then. more",
            "a.. b. c",
        ] {
            assert_eq!(short(m), reference(m), "{m:?}");
        }
    }
}
