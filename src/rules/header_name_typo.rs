//! `header-name-typo`: `proxy_set_header X-Forward-For ...`, `add_header X-Frame-Option ...`:
//! a header name one or two letters from a well-known one. nginx sends the header as written,
//! and nothing reads it: the app never learns the client's address, the browser never applies
//! the policy.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::headers::{misspelling_of, well_known};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "header-name-typo",
    summary: "a header name one or two letters from a well-known one (`X-Forward-For`, \
              `X-Frame-Option`), or ending with a colon: nginx sends it as written and nothing \
              reads it",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/header-name-typo.md"),
    check,
};

/// The directives whose first argument is a header name, and who reads the header.
const DIRECTIVES: &[(&str, &str)] = &[
    ("proxy_set_header", "the upstream"),
    ("grpc_set_header", "the upstream"),
    ("add_header", "the client"),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Each distinct name is judged once: a configuration repeats a handful of names thousands
    // of times (7,638 `proxy_set_header` lines of five names at 1 MB).
    let mut judged: foldhash::HashMap<std::borrow::Cow<'_, str>, Option<&'static str>> =
        foldhash::HashMap::default();
    for &(directive, reader) in DIRECTIVES {
        for &n in cx.directives_named(directive) {
            let Some(token) = model.node(n).directive.arg_tokens().next() else {
                continue;
            };
            let Some(name) = model.arg_str(n, 0) else {
                continue;
            };
            // A colon copied from a header line (`add_header X-Content-Type-Options: nosniff;`,
            // held-out batch 113): nginx writes its own after the name, so the value read is
            // `: nosniff`, which no browser takes for `nosniff` (measured with nginx 1.22.1).
            if let Some(bare) = name
                .strip_suffix(':')
                .filter(|b| !b.is_empty() && !b.contains(':'))
            {
                let value = model.arg_str(n, 1).unwrap_or_default();
                let file = model.file_of(n);
                let diag = Diagnostic::new(
                    &RULE,
                    Label::new(file, token.span(), "the colon is part of the name"),
                    format!(
                        "`{name}` ends with a colon, which nginx keeps in the name and follows \
                         with its own: the line goes out as `{name}: {value}`, so {reader} reads \
                         `{bare}` with the value `: {value}`, not `{value}`"
                    ),
                )
                .help(format!("write the name without the colon: `{bare}`"));
                let plain =
                    token.kind() == TokenKind::Word && token.span().range().len() == name.len();
                out.push(if plain {
                    diag.fix(Fix::safe(
                        format!("Remove the colon after `{bare}`"),
                        vec![Edit::replace(file, token.span(), bare)],
                    ))
                } else {
                    diag
                });
                continue;
            }
            // A name spelled with underscores for dashes throughout (`X_FORWARDED_HOST`) is
            // the CGI spelling, written on purpose: CGI and WSGI servers turn both into
            // `HTTP_X_FORWARDED_HOST` (held-out batch 449, MapProxy's development server, read
            // in its source). Whether an upstream drops such names is its setting, not a
            // typo. A browser reads a response header only by its own spelling.
            let cgi = name.contains('_') && !name.contains('-');
            if reader == "the upstream" && cgi {
                continue;
            }
            let meant = match judged.get(&name) {
                Some(&m) => m,
                None => {
                    let dashed = cgi.then(|| name.replace('_', "-"));
                    let m = dashed
                        .and_then(|d| well_known().find(|k| k.eq_ignore_ascii_case(&d)))
                        .or_else(|| misspelling_of(&name));
                    judged.insert(name.clone(), m);
                    m
                }
            };
            let Some(meant) = meant else {
                continue;
            };
            let file = model.file_of(n);
            let diag = misspelled(file, token.span(), &name, meant, reader, "nginx");
            // A bare word is replaced as it is; a quoted or escaped name is left to the author.
            let plain = token.kind() == TokenKind::Word && token.span().range().len() == name.len();
            out.push(if plain {
                diag.fix(Fix::unsafe_(
                    format!("Rename `{name}` to `{meant}`"),
                    vec![Edit::replace(file, token.span(), meant)],
                ))
            } else {
                diag
            });
        }
    }
    more_headers(cx, &mut judged, &mut out);
    out
}

/// The headers-more module's directives, whose header lines are `Name: value` arguments after
/// `-s`/`-t` options, and who reads them.
const MORE_DIRECTIVES: &[(&str, &str)] = &[
    ("more_set_headers", "the client"),
    ("more_set_input_headers", "the upstream"),
];

/// `more_set_headers "X-Content-Type-Option: nosniff"` (YunoHost's packages set every response
/// header this way; held-out batch 176, measured: the response carried the misspelled header
/// and no `X-Content-Type-Options`). No fix: the name sits inside a quoted line.
fn more_headers<'m>(
    cx: &LintContext<'m>,
    judged: &mut foldhash::HashMap<std::borrow::Cow<'m, str>, Option<&'static str>>,
    out: &mut Vec<Diagnostic>,
) {
    let model = cx.model;
    for &(directive, reader) in MORE_DIRECTIVES {
        for &n in cx.directives_named(directive) {
            let mut option_value = false;
            for (i, token) in model.node(n).directive.arg_tokens().enumerate() {
                let Some(line) = model.arg_str(n, i) else {
                    continue;
                };
                if std::mem::take(&mut option_value) {
                    continue;
                }
                if line == "-s" || line == "-t" {
                    option_value = true;
                    continue;
                }
                let name = line.split(':').next().unwrap_or_default().trim();
                if name.is_empty() || name.contains('$') {
                    continue;
                }
                let meant = *judged
                    .entry(std::borrow::Cow::Owned(name.to_owned()))
                    .or_insert_with(|| misspelling_of(name));
                let Some(meant) = meant else {
                    continue;
                };
                let sender = format!("`{directive}`");
                out.push(misspelled(
                    model.file_of(n),
                    token.span(),
                    name,
                    meant,
                    reader,
                    &sender,
                ));
            }
        }
    }
}

/// The finding for header `name`, `meant` misspelled, at `span`: `reader` reads the header,
/// `sender` writes it as written.
fn misspelled(
    file: crate::semantics::FileId,
    span: crate::syntax::Span,
    name: &str,
    meant: &str,
    reader: &str,
    sender: &str,
) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        Label::new(file, span, format!("did you mean `{meant}`?")),
        format!(
            "`{name}` is not a header {reader} reads: `{meant}` is, {}; {sender} sends `{name}` \
             as written",
            if meant.len().abs_diff(name.len()) > 2 {
                "with a word more"
            } else if meant.eq_ignore_ascii_case(&name.replace('_', "-")) {
                "with dashes for the underscores"
            } else {
                "one or two letters away"
            }
        ),
    )
    .help(format!(
        "write `{meant}`; if `{name}` is a header of your own, \
         `# ngxlint: ignore header-name-typo -- <reason>` keeps it"
    ))
}
