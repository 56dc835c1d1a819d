//! `add-header-multiline`: a response header whose name or value holds a line feed or carriage
//! return written in the configuration (a quoted value spread over several lines, or `\n`):
//! nginx sends it as it is, and clients reject or misread the response.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::model::{Model, NodeId};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "add-header-multiline",
    summary: "a header set by `add_header`/`add_trailer`/`more_set_headers` holds a line break: nginx \
              sends the bare LF, which HTTP/1.1 forbids and HTTP/2 clients reject",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/add-header-multiline.md"),
    check,
};

/// Directives that set response headers, and which of their arguments are header text.
const DIRECTIVES: &[&str] = &["add_header", "add_trailer", "more_set_headers"];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &name in DIRECTIVES {
        for &n in cx.directives_named(name) {
            // A line break in a value is either in the raw text or written as the `\n`/`\r`
            // escape: a line with neither a CR, an LF nor a backslash has none.
            let head = model.node(n).directive.head_span();
            if memchr::memchr3(b'\n', b'\r', b'\\', &model.src(n)[head.range()]).is_none() {
                continue;
            }
            for i in header_args(model, n, name) {
                // Borrowed: almost no value holds a line break.
                let Some(value) = model.arg_str(n, i) else {
                    continue;
                };
                if !value.contains(['\n', '\r']) {
                    continue;
                }
                out.push(diagnose(model, n, name, i, &value));
            }
        }
    }
    out
}

/// Indexes of the arguments that become header lines: `add_header NAME VALUE [always]`, and
/// for headers-more's `more_set_headers [-s STATUS] [-t TYPE] [-r] 'Name: value'...` every
/// argument that is neither an option nor an option's value.
fn header_args(model: &Model<'_>, n: NodeId, name: &str) -> Vec<usize> {
    let count = model.arg_count(n);
    if name != "more_set_headers" {
        return (0..count.min(2)).collect();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < count {
        match model.arg(n, i).as_deref() {
            Some("-s" | "-t") => i += 2,
            Some(a) if a.starts_with('-') && a.len() == 2 => i += 1,
            _ => {
                out.push(i);
                i += 1;
            }
        }
    }
    out
}

fn diagnose(
    model: &crate::semantics::model::Model<'_>,
    n: NodeId,
    name: &str,
    i: usize,
    value: &str,
) -> Diagnostic {
    let header = if name == "more_set_headers" {
        value
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    } else {
        model.arg(n, 0).unwrap_or_default()
    };
    let header = header.lines().next().unwrap_or_default().to_owned();
    let what = if value.contains('\n') {
        "a line feed"
    } else {
        "a carriage return"
    };
    let node = model.node(n);
    let span = style::arg_span(node.directive, i).unwrap_or_else(|| node.directive.head_span());
    let mut diag = Diagnostic::new(
        &RULE,
        Label::new(model.file_of(n), span, "line break inside the header"),
        format!(
            "the `{header}` header set by `{name}` contains {what}: nginx sends it unchanged, \
             so HTTP/1.1 clients see a folded or broken header line and HTTP/2 clients reject \
             the response"
        ),
    )
    .help(
        "write the value on one line (several quoted arguments may span lines, one value may not)",
    );
    if let Some(fix) = join_fix(model, n, i) {
        diag = diag.fix(fix);
    }
    diag
}

/// For a quoted argument whose line breaks are literal (not `\n` escapes): each break and the
/// blanks around it become one space, what RFC 9112 §5.2 tells a recipient to read a folded
/// line as.
fn join_fix(model: &Model<'_>, n: NodeId, i: usize) -> Option<Fix> {
    let node = model.node(n);
    let token = node.directive.arg_tokens().nth(i)?;
    if !matches!(
        token.kind(),
        TokenKind::DoubleQuoted | TokenKind::SingleQuoted
    ) {
        return None;
    }
    let src = model.src(n);
    let raw = std::str::from_utf8(&src[token.span().range()]).ok()?;
    if raw.contains("\\n") || raw.contains("\\r") {
        return None;
    }
    let mut joined = String::with_capacity(raw.len());
    let mut pending = false;
    let last = raw.len() - 1;
    for (at, c) in raw.char_indices() {
        if c == '\n' || c == '\r' {
            pending = true;
            while joined.ends_with([' ', '\t']) {
                joined.pop();
            }
            continue;
        }
        if pending && (c == ' ' || c == '\t') {
            continue;
        }
        if pending {
            // No space right after the opening quote or before the closing one.
            if at != last && joined.len() > 1 {
                joined.push(' ');
            }
            pending = false;
        }
        joined.push(c);
    }
    let span = style::arg_span(node.directive, i)?;
    Some(Fix::unsafe_(
        "Join the value's lines with single spaces",
        vec![Edit::replace(model.file_of(n), span, joined)],
    ))
}
