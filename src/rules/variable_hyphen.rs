//! `variable-hyphen`: a variable name ends at the first byte that is not a letter, digit or
//! `_`, so `$request-uri` is `$request` (the whole request line) followed by the text `-uri`,
//! and `$http_x-forwarded-for` is the header `X` followed by `-forwarded-for`. nginx loads
//! both without a word (each head is a variable) and sends the wrong value.
//!
//! Reported where the hyphenated words, joined by `_`, make a variable that exists: a built-in
//! one (`$request_uri`), one the configuration sets or maps (`$connection_upgrade`), or a
//! well-known header of a header variable (`$http_x_forwarded_for`). In an `if` condition
//! nginx takes the whole word as the name: `if ($http_x-forwarded-for ~ ...)` reads a header
//! named with hyphens, which no request header matches (nginx compares header names with `_`
//! for `-`), so the condition never holds. Measured with nginx 1.22.1.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::headers::well_known;
use crate::semantics::model::{Model, NodeId};
use crate::semantics::script::{compiled_tokens, is_name_byte};
use crate::semantics::variables::{BUILTINS, known, set_or_mapped};
use crate::syntax::{Span, Token};

pub static RULE: Rule = Rule {
    id: "variable-hyphen",
    summary: "a variable name stops at `-`: `$request-uri` is `$request` then `-uri`, \
              `$http_x-forwarded-for` the header `X` then `-forwarded-for`",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/variable-hyphen.md"),
    check,
};

/// Prefixes of the variables that read a header: nginx compares the header's name with `_`
/// for `-` (`ngx_http_variable_unknown_header`).
const HEADER_PREFIXES: &[&str] = &[
    "http_",
    "sent_http_",
    "upstream_http_",
    "sent_trailer_",
    "upstream_trailer_",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Almost no configuration has a `$name-word` anywhere: one scan of each file's bytes says
    // so, where asking every directive that may hold a variable cost a fiftieth of a run.
    if !model
        .program
        .files
        .iter()
        .any(|f| first_split(&f.src, 0).is_some())
    {
        return out;
    }
    compiled_tokens(
        model,
        |name| cx.directives_named(name),
        |id| has_hyphen_after_name(model, id),
        |id, t| scan_token(model, id, t, &mut out),
    );
    for &id in cx.directives_named("if") {
        if let Some(d) = if_condition(model, id) {
            out.push(d);
        }
    }
    out
}

/// Does any argument of `id` hold `$name-x` (a name byte, then `-` and a letter)? Most lines
/// have no such thing: one scan of their bytes says so.
fn has_hyphen_after_name(model: &Model<'_>, id: NodeId) -> bool {
    let src = model.src(id);
    model
        .node(id)
        .directive
        .arg_tokens()
        .any(|t| first_split(t.text(src), 0).is_some())
}

/// A `$name` followed by `-word`, from byte `from` of `raw`: (the `$`'s offset, the name's
/// end, the end of the last `-word`).
fn first_split(raw: &[u8], from: usize) -> Option<(usize, usize, usize)> {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'$', &raw[i..]) {
        let at = i + p;
        let name_len = raw[at + 1..]
            .iter()
            .take_while(|&&b| is_name_byte(b))
            .count();
        let name_end = at + 1 + name_len;
        i = name_end.max(at + 1);
        // `$1`..`$9` are captures, whatever follows.
        if name_len == 0 || raw[at + 1].is_ascii_digit() {
            continue;
        }
        let mut end = name_end;
        while raw.get(end) == Some(&b'-') && raw.get(end + 1).is_some_and(u8::is_ascii_alphabetic) {
            end += 1 + raw[end + 1..]
                .iter()
                .take_while(|&&b| is_name_byte(b))
                .count();
        }
        if end > name_end {
            return Some((at, name_end, end));
        }
    }
    None
}

/// Every `$name-word` of token `t` whose words joined by `_` name a variable that exists.
fn scan_token(model: &Model<'_>, id: NodeId, t: Token, out: &mut Vec<Diagnostic>) {
    let src = model.src(id);
    let raw = t.text(src);
    let mut from = 0;
    while let Some((at, name_end, end)) = first_split(raw, from) {
        from = end;
        let (Ok(head), Ok(written)) = (
            std::str::from_utf8(&raw[at + 1..name_end]),
            std::str::from_utf8(&raw[at + 1..end]),
        ) else {
            continue;
        };
        if !known(model, head) {
            // nginx refuses an unknown variable: `undefined-variable`'s finding.
            continue;
        }
        // The longest run of words that names a variable (`$http_x-forwarded-for` rather
        // than `$http_x-forwarded`).
        let Some(meant) = meant_by(model, written) else {
            continue;
        };
        let taken = meant.len();
        let start = t.span().start + at as u32;
        let span = Span::new(start, start + 1 + taken as u32);
        let rest = &written[head.len()..taken];
        let file = model.file_of(id);
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(
                    file,
                    span,
                    format!("nginx reads `${head}`, then the text `{rest}`"),
                ),
                format!(
                    "`${}` is the variable `${head}` followed by the text `{rest}`: a \
                     variable name stops at `-`, and nginx sends {}",
                    &written[..taken],
                    what_is_sent(head, rest),
                ),
            )
            .help(format!(
                "write `${meant}`; names of variables use `_` where the header or word has `-`"
            ))
            .fix(Fix::unsafe_(
                format!("Write `${meant}`"),
                vec![Edit::replace(file, span, format!("${meant}"))],
            )),
        );
    }
}

/// What nginx makes of `$head` then `rest`, for the message.
fn what_is_sent(head: &str, rest: &str) -> String {
    let value = match head.to_ascii_lowercase().as_str() {
        "request" => "the whole request line (`GET /path HTTP/1.1`)".to_owned(),
        "connection" => "the connection's serial number".to_owned(),
        h if HEADER_PREFIXES.iter().any(|p| h.starts_with(p)) => {
            let (_, header) = split_header(h).unwrap_or(("", h));
            format!("the value of a header `{header}` (usually none)")
        }
        _ => format!("the value of `${head}`"),
    };
    format!("{value} followed by `{rest}`")
}

/// The prefix and header name of a header variable (`http_x` → (`http_`, `x`)).
fn split_header(name: &str) -> Option<(&'static str, &str)> {
    HEADER_PREFIXES
        .iter()
        .filter(|p| name.len() > p.len() && name[..p.len()].eq_ignore_ascii_case(p))
        .max_by_key(|p| p.len())
        .map(|p| (*p, &name[p.len()..]))
}

/// The variable that `written` (`request-uri`, `http_x-forwarded-for-foo`) means: its
/// longest run of `-`-joined words that, joined by `_`, is a built-in variable by its whole
/// name, a variable the configuration defines, or a well-known header of a header variable.
/// Argument prefixes (`$arg_`, `$cookie_`) are not: nginx matches their names as written, so
/// `$arg_page_size` is not the argument `page-size`.
fn meant_by(model: &Model<'_>, written: &str) -> Option<String> {
    let mut cuts: Vec<usize> = written
        .match_indices('-')
        .map(|(i, _)| i)
        .chain([written.len()])
        .collect();
    // The first `-` ends the head: only cuts after it make a longer name.
    cuts.remove(0);
    cuts.iter().rev().find_map(|&end| {
        let candidate = written[..end].replace('-', "_");
        let lower = candidate.to_ascii_lowercase();
        let known = BUILTINS.contains(&lower.as_str())
            || set_or_mapped(model, &candidate)
            || split_header(&lower).is_some_and(|(_, header)| {
                well_known().any(|k| k.replace('-', "_").eq_ignore_ascii_case(header))
            });
        known.then_some(candidate)
    })
}

/// `if ($http_x-forwarded-for ...)`: nginx takes the whole word after `$` as the name, so a
/// header variable with `-` in it matches no request header and is always empty.
fn if_condition(model: &Model<'_>, id: NodeId) -> Option<Diagnostic> {
    let t = model.node(id).directive.arg_tokens().next()?;
    let first = model.arg_str(id, 0)?;
    let word = first.strip_prefix('(').unwrap_or(&first);
    let word = word.strip_suffix(')').unwrap_or(word);
    let name = word.strip_prefix('$')?;
    let (_, header) = split_header(name)?;
    if !header.contains('-')
        || !header
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    let meant = name.replace('-', "_");
    let raw = t.text(model.src(id));
    let at = raw.iter().position(|&b| b == b'$')?;
    let start = t.span().start + at as u32;
    let span = Span::new(start, start + 1 + name.len() as u32);
    let file = model.file_of(id);
    Some(
        Diagnostic::new(
            &RULE,
            Label::new(file, span, "no request header matches this name"),
            format!(
                "`${name}` is always empty: nginx compares header names with `_` for `-`, so \
                 the header `{header}` is `${meant}`, and this condition never sees its value"
            ),
        )
        .help(format!("write `${meant}`"))
        .fix(Fix::unsafe_(
            format!("Write `${meant}`"),
            vec![Edit::replace(file, span, format!("${meant}"))],
        )),
    )
}
