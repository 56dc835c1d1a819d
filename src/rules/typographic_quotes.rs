//! `typographic-quotes`: an argument written with curly quotes (`“SAMEORIGIN”`, copied from a
//! blog or a word processor). nginx quotes only with ASCII `"` and `'`: the curly ones are
//! part of the value it reads.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "typographic-quotes",
    summary: "an argument in curly quotes (`“SAMEORIGIN”`): nginx quotes only with `\"` and `'`, \
              so the curly ones are part of the value",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/typographic-quotes.md"),
    check,
};

/// The curly quotes in UTF-8: “ ” ‘ ’ (U+201C, U+201D, U+2018, U+2019), each `E2 80 xx`.
const CURLY: [&str; 4] = ["\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}"];

fn has_curly(text: &[u8]) -> bool {
    // Each starts with E2 80: one search for the pair, then the third byte.
    memchr::memmem::find_iter(text, b"\xE2\x80")
        .any(|i| matches!(text.get(i + 2), Some(0x98 | 0x99 | 0x9C | 0x9D)))
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Most configurations hold none: a file's bytes are searched once before any directive.
    if !model.program.files.iter().any(|f| has_curly(&f.src)) {
        return out;
    }
    for n in cx.node_ids() {
        // `sub_filter ’ ';` rewrites curly quotes in pages on purpose.
        if matches!(model.name(n), "sub_filter" | "subs_filter") {
            continue;
        }
        let src = model.src(n);
        for token in model.node(n).directive.arg_tokens() {
            // Inside ASCII quotes they are text the author wrote (`return 200 "“Back soon”";`).
            if token.kind() != TokenKind::Word {
                continue;
            }
            let text = token.text(src);
            if !has_curly(text) {
                continue;
            }
            let Ok(text) = std::str::from_utf8(text) else {
                continue;
            };
            let file = model.file_of(n);
            let name = model.name(n);
            let diag = Diagnostic::new(
                &RULE,
                Label::new(file, token.span(), "curly quotes are part of the value"),
                format!(
                    "`{text}` is written with typographic quotes: nginx quotes only with `\"` \
                     and `'`, so `{name}` reads the curly ones as part of its value"
                ),
            )
            .help("write the quotes as `\"` (or leave them out where the value has no space)");
            out.push(match plain_quoted(text) {
                Some(inner) => diag.fix(Fix::safe(
                    "Use ASCII quotes",
                    vec![Edit::replace(file, token.span(), format!("\"{inner}\""))],
                )),
                None => diag,
            });
        }
    }
    out
}

/// The text inside a bare word that is wholly one pair of curly quotes (`“x”`, `‘x’`), with no
/// other quote, backslash or curly quote inside: then ASCII quotes say what was meant.
fn plain_quoted(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix(CURLY[0])
        .and_then(|t| t.strip_suffix(CURLY[1]))
        .or_else(|| {
            text.strip_prefix(CURLY[2])
                .and_then(|t| t.strip_suffix(CURLY[3]))
        })?;
    let clean = !inner.is_empty()
        && !inner.contains(['"', '\'', '\\', '$'])
        && !CURLY.iter().any(|c| inner.contains(c));
    clean.then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::{has_curly, plain_quoted};

    #[test]
    fn curly_quotes_are_found_and_unwrapped() {
        assert!(has_curly("“SAMEORIGIN”".as_bytes()));
        assert!(has_curly("don’t".as_bytes()));
        assert!(!has_curly("\"SAMEORIGIN\" — a dash".as_bytes()));
        assert_eq!(plain_quoted("“msie6”"), Some("msie6"));
        assert_eq!(plain_quoted("‘x’"), Some("x"));
        assert_eq!(plain_quoted("“a"), None);
        assert_eq!(plain_quoted("“$host”"), None);
    }
}
