//! `csp-keyword-unquoted`: `add_header Content-Security-Policy "frame-ancestors self"`. A CSP
//! keyword (`'self'`, `'none'`, `'unsafe-inline'`...) is a keyword only in single quotes; bare,
//! the browser reads it as a host name (`self` is a host called "self"), so the policy says
//! something else than the author wrote (held-out batches 377, 452 and 461).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::model::{Model, NodeId};
use crate::syntax::TokenKind;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "csp-keyword-unquoted",
    summary: "a `Content-Security-Policy` keyword without its single quotes (`self`, `none`, \
              `unsafe-inline`...): browsers read it as a host name, not the keyword",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/csp-keyword-unquoted.md"),
    check,
};

/// The headers that carry a policy (CSP Level 3 §3.1 and §3.2; the `X-` names are the
/// prefixed headers older browsers read).
const HEADERS: &[&str] = &[
    "content-security-policy",
    "content-security-policy-report-only",
    "x-content-security-policy",
    "x-webkit-csp",
];

/// Directives whose value is a source list (CSP Level 3 §6, `frame-ancestors`' ancestor source
/// list and `base-uri`/`form-action`'s source lists included): only there is a bare word a
/// host. (`sandbox`, `trusted-types`, `require-trusted-types-for` read their own words.)
const SOURCE_LIST_DIRECTIVES: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "connect-src",
    "font-src",
    "object-src",
    "media-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "prefetch-src",
    "fenced-frame-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
    "navigate-to",
];

/// Keyword sources (CSP Level 3 §2.3.1 `keyword-source`, with `'none'`): each needs its quotes.
const KEYWORDS: &[&str] = &[
    "self",
    "none",
    "unsafe-inline",
    "unsafe-eval",
    "strict-dynamic",
    "unsafe-hashes",
    "report-sample",
    "unsafe-allow-redirects",
    "wasm-unsafe-eval",
    "trusted-types-eval",
    "report-sha256",
    "report-sha384",
    "report-sha512",
    "inline-speculation-rules",
];

/// Nonce and hash sources, which need their quotes as keywords do.
const QUOTED_PREFIXES: &[&str] = &["nonce-", "sha256-", "sha384-", "sha512-"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in cx.directives_named("add_header") {
        let Some(name) = model.arg_str(n, 0) else {
            continue;
        };
        if !is_policy_header(&name) {
            continue;
        }
        if let Some(d) = diagnose(model, n, 1, &name, 0) {
            out.push(d);
        }
    }
    for &n in cx.directives_named("more_set_headers") {
        for i in 0..model.arg_count(n) {
            let Some(arg) = model.arg_str(n, i) else {
                continue;
            };
            let Some((name, _)) = arg.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if !is_policy_header(name) {
                continue;
            }
            if let Some(d) = diagnose(model, n, i, name, name.len() + 1) {
                out.push(d);
            }
        }
    }
    out
}

fn is_policy_header(name: &str) -> bool {
    HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// An unquoted keyword in a policy: its offset in the argument's value and the keyword.
struct Bare<'v> {
    at: usize,
    word: &'v str,
    directive: &'v str,
}

/// The unquoted keywords of the policy in `value[from..]`.
fn bare_keywords(value: &str, from: usize) -> Vec<Bare<'_>> {
    let mut out = Vec::new();
    let mut start = from;
    for part in value[from..].split(';') {
        let part_at = start;
        start += part.len() + 1;
        let mut words = words_at(part, part_at);
        let Some((_, directive)) = words.next() else {
            continue;
        };
        if !SOURCE_LIST_DIRECTIVES
            .iter()
            .any(|d| d.eq_ignore_ascii_case(directive))
        {
            continue;
        }
        for (at, word) in words {
            let lower = word.to_ascii_lowercase();
            let keyword = KEYWORDS.contains(&lower.as_str())
                || QUOTED_PREFIXES
                    .iter()
                    .any(|p| lower.starts_with(p) && lower.len() > p.len());
            if keyword {
                out.push(Bare {
                    at,
                    word,
                    directive,
                });
            }
        }
    }
    out
}

/// The blank-separated words of `part` with their offsets (`part` starts at `base`).
fn words_at(part: &str, base: usize) -> impl Iterator<Item = (usize, &str)> {
    part.split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .map(move |w| (base + (w.as_ptr() as usize - part.as_ptr() as usize), w))
}

fn diagnose(
    model: &Model<'_>,
    n: NodeId,
    i: usize,
    header: &str,
    from: usize,
) -> Option<Diagnostic> {
    let value = model.arg_str(n, i)?;
    let bare = bare_keywords(&value, from);
    let first = bare.first()?;
    let token = model.node(n).directive.arg_tokens().nth(i)?;
    let src = model.src(n);
    let raw = &src[token.span().range()];
    // The words' places in the file: where the token's text between its quotes is the value
    // itself (no escapes), an offset in the value is one in the file.
    let quoted = matches!(
        token.kind(),
        TokenKind::DoubleQuoted | TokenKind::SingleQuoted
    );
    let inner_start = token.span().start + u32::from(quoted);
    let inner = if quoted {
        &raw[1..raw.len().saturating_sub(1)]
    } else {
        raw
    };
    let exact = inner == value.as_bytes();
    let span_of = |b: &Bare<'_>| {
        if exact {
            let at = inner_start + b.at as u32;
            Span::new(at, at + b.word.len() as u32)
        } else {
            token.span()
        }
    };
    let file = model.file_of(n);
    let words: Vec<String> = bare.iter().map(|b| format!("`{}`", b.word)).collect();
    let mut diag = Diagnostic::new(
        &RULE,
        Label::new(file, span_of(first), "a host name here, not the keyword"),
        format!(
            "`{word}` in `{directive}` of the `{header}` header has no single quotes: browsers \
             read a bare word in a source list as a host name (`{word}` is a host called \
             \"{word}\"), so the policy does not say `'{word}'`{more}",
            word = first.word,
            directive = first.directive,
            more = if bare.len() > 1 {
                format!(" (unquoted here: {})", words.join(", "))
            } else {
                String::new()
            },
        ),
    )
    .labels(
        bare[1..]
            .iter()
            .map(|b| exact.then(|| Label::new(file, span_of(b), "a host name here"))),
    )
    .help(format!(
        "write `'{}'`: keyword, nonce and hash sources are written in single quotes",
        first.word
    ));
    // Quotes can be added where the value is written in double quotes as it is (in single
    // quotes, a `'` would end the argument).
    if exact && token.kind() == TokenKind::DoubleQuoted {
        let edits = bare
            .iter()
            .map(|b| Edit::replace(file, span_of(b), format!("'{}'", b.word)))
            .collect();
        diag = diag.fix(Fix::unsafe_("Put the keywords in single quotes", edits));
    }
    Some(diag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(value: &str) -> Vec<(usize, String)> {
        bare_keywords(value, 0)
            .into_iter()
            .map(|b| (b.at, b.word.to_owned()))
            .collect()
    }

    #[test]
    fn finds_bare_keywords_in_source_lists_only() {
        assert_eq!(
            words("frame-ancestors self https://a.example"),
            [(16, "self".to_owned())]
        );
        assert_eq!(
            words("default-src 'self'; script-src self unsafe-inline nonce-abc"),
            [
                (31, "self".to_owned()),
                (36, "unsafe-inline".to_owned()),
                (50, "nonce-abc".to_owned())
            ]
        );
        assert!(words("default-src 'none'; frame-ancestors 'self'").is_empty());
        // Not source lists: sandbox's tokens and trusted-types' policy names.
        assert!(words("sandbox allow-scripts; trusted-types none").is_empty());
        // A host whose name starts like a keyword.
        assert!(words("img-src self.example.com nonce-").is_empty());
    }
}
