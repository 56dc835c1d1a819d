//! `log-format-invalid-json`: a `log_format ... escape=json` written as a JSON object whose
//! lines are no JSON, whatever the variables hold: a comma or quote missing, a brace left open.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "log-format-invalid-json",
    summary: "a `log_format ... escape=json` whose lines are not valid JSON (a comma, quote or brace missing)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/log-format-invalid-json.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in cx.directives_named("log_format") {
        if model.arg_str(id, 1).as_deref() != Some("escape=json") {
            continue;
        }
        // nginx writes the format's strings one after the other.
        let mut text = String::new();
        for i in 2..model.arg_count(id) {
            match model.arg_str(id, i) {
                Some(part) => text.push_str(&part),
                None => continue,
            }
        }
        // Only a format written as a JSON object (or array) is judged: `escape=json` alone
        // only says how variables are escaped.
        if !matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
            continue;
        }
        let (rendered, origin) = with_variables_as_zero(&text);
        let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&rendered) else {
            continue;
        };
        let at = offset_of(&rendered, e.line(), e.column());
        let original = origin.get(at).copied().unwrap_or(text.len());
        let name = model.arg_str(id, 0).unwrap_or_default();
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                id,
                format!(
                    "the lines of `log_format {name}` are not JSON: {} near `{}`",
                    reason(&e),
                    near(&text, original)
                ),
            )
            .help(
                "a log reader that parses each line as JSON (Loki, Elasticsearch, Vector, jq) \
                 drops or mangles every line; add the missing `,`, `\"` or brace",
            ),
        );
    }
    out
}

/// `text` with each variable (`$name`, `${name}`) replaced by `0`, which is JSON inside a
/// string and outside one, and for each byte of the result the byte of `text` it comes from.
fn with_variables_as_zero(text: &str) -> (String, Vec<usize>) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let end = if bytes.get(i + 1) == Some(&b'{') {
                text[i..].find('}').map(|e| i + e + 1)
            } else {
                let n = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                (n > 0).then_some(i + 1 + n)
            };
            if let Some(end) = end {
                out.push('0');
                origin.push(i);
                i = end;
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(c);
        origin.extend(std::iter::repeat_n(i, c.len_utf8()));
        i += c.len_utf8();
    }
    (out, origin)
}

/// The byte offset of serde_json's 1-based line and column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// What serde_json found wrong, in the words a reader of the format needs.
fn reason(e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "the text ends before a `{` or `[` of it is closed".to_owned();
    }
    let message = e.to_string();
    // "expected `,` or `}` at line 1 column 40": the position is given as the text around it.
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}

/// The format's text just before `at` (where the reader stopped), on one line.
fn near(text: &str, at: usize) -> String {
    let mut from = at.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + 8).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_become_zero_and_keep_their_origin() {
        let (r, o) = with_variables_as_zero(r#"{"s":$status,"u":"${uri}x"}"#);
        assert_eq!(r, r#"{"s":0,"u":"0x"}"#);
        assert_eq!(o[5], 5);
        assert_eq!(
            o[r.find('x').unwrap()],
            r#"{"s":$status,"u":"${uri}x"}"#.find('x').unwrap()
        );
        assert!(serde_json::from_str::<serde_json::Value>(&r).is_ok());
    }
}
