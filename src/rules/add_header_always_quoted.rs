//! `add-header-always-quoted`: `add_header X-Frame-Options 'deny always';`. The `always` meant
//! as `add_header`'s parameter sits inside the quoted value: nginx sends it as part of the
//! header's value and adds the header only to its default statuses (held-out batch 453,
//! ReDoc's image, measured).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::syntax::TokenKind;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "add-header-always-quoted",
    summary: "`add_header`'s `always` written inside the quoted value (`'deny always'`): nginx \
              sends it as part of the value and adds the header only to successful and \
              redirect responses",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/add-header-always-quoted.md"),
    check,
};

/// Headers whose values are tokens and lists with no free text, so a last word `always` can
/// only be the misplaced parameter (a custom header may say `"not always"`).
const TOKEN_VALUED: &[&str] = &[
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "access-control-max-age",
    "cache-control",
    "content-security-policy",
    "content-security-policy-report-only",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "expect-ct",
    "feature-policy",
    "permissions-policy",
    "pragma",
    "referrer-policy",
    "strict-transport-security",
    "timing-allow-origin",
    "vary",
    "x-content-type-options",
    "x-dns-prefetch-control",
    "x-download-options",
    "x-frame-options",
    "x-permitted-cross-domain-policies",
    "x-robots-tag",
    "x-xss-protection",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["add_header", "add_trailer"] {
        for &n in cx.directives_named(name) {
            // With a third argument the parameter is written (or the line is refused).
            if model.arg_count(n) != 2 {
                continue;
            }
            let header = model.arg_str(n, 0).unwrap_or_default();
            if !TOKEN_VALUED.iter().any(|h| h.eq_ignore_ascii_case(&header)) {
                continue;
            }
            let directive = model.node(n).directive;
            let Some(token) = directive.arg_tokens().nth(1) else {
                continue;
            };
            if !matches!(
                token.kind(),
                TokenKind::DoubleQuoted | TokenKind::SingleQuoted
            ) {
                continue;
            }
            let src = model.src(n);
            let span = token.span();
            let raw = &src[span.range()];
            // `... always'`: the word before the closing quote, after a blank.
            let Some(inner) = raw.get(..raw.len() - 1) else {
                continue;
            };
            let Some(before) = inner.strip_suffix(b"always") else {
                continue;
            };
            let Some(value_end) = before
                .iter()
                .rposition(|b| !b" \t\r\n".contains(b))
                .map(|p| p + 1)
            else {
                continue;
            };
            // The blank between the value and `always` (a value of only `always` is a value).
            if value_end == before.len() || value_end <= 1 {
                continue;
            }
            let value = String::from_utf8_lossy(&raw[1..value_end]);
            let quote = char::from(raw[0]);
            let file = model.file_of(n);
            // From the blank after the value to the closing quote: `<blank>always'` becomes
            // `' always`.
            let moved = Span::new(span.start + value_end as u32, span.end);
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(
                        file,
                        Span::new(span.start + before.len() as u32, span.end - 1),
                        "inside the value",
                    ),
                    format!(
                        "`always` is inside the quoted value of `{name} {header}`: nginx sends \
                         `{header}: {value} always`, a value the client may reject, and adds the \
                         {what} only to {statuses} responses",
                        what = if name == "add_header" {
                            "header"
                        } else {
                            "trailer"
                        },
                        statuses = if name == "add_header" {
                            "200, 201, 204, 206, 301, 302, 303, 304, 307 and 308"
                        } else {
                            "200, 201, 206, 301, 302, 303, 307 and 308"
                        },
                    ),
                )
                .help(format!(
                    "close the quotes before `always`: `{quote}{value}{quote} always`"
                ))
                // Unsafe: the client may ignore the value today (`deny always`), and the fix
                // makes it take effect, on every status.
                .fix(Fix::unsafe_(
                    "Move `always` out of the quoted value",
                    vec![Edit::replace(file, moved, format!("{quote} always"))],
                )),
            );
        }
    }
    out
}
