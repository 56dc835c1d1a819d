//! `quoted-list-argument`: a list written as one quoted argument, `gzip_types 'text/plain
//! text/css application/json';`. nginx reads a quoted string as a single argument (§3 of the
//! nginx semantics notes), so the directive gets one MIME type (index file, server name, file,
//! header name, referer) with spaces in it, which nothing ever has: `nginx -t` passes and the
//! list silently does nothing (wire-server's `gzip_types`, measured: `.css` not compressed).
//! Reported when every word of the quoted value reads as an item of the directive's list.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::syntax::TokenKind;

pub static RULE: Rule = Rule {
    id: "quoted-list-argument",
    summary: "a list written as one quoted argument (`gzip_types 'text/css text/xml'`): nginx reads one item with spaces in it, which never matches",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/quoted-list-argument.md"),
    check,
};

/// What a directive's arguments are items of.
struct List {
    directives: &'static [&'static str],
    /// The item, singular and plural.
    noun: (&'static str, &'static str),
    /// Why an item with spaces never matches.
    never: &'static str,
    /// Does a word read as one item?
    item: fn(&str) -> bool,
    /// The last argument is something else (`try_files`' fallback).
    but_last: bool,
    /// The directive takes one item per line (`proxy_hide_header`).
    one_per_line: bool,
}

fn mime_type(w: &str) -> bool {
    w == "*"
        || w.split_once('/')
            .is_some_and(|(t, s)| !t.is_empty() && !s.is_empty())
}

fn file_name(w: &str) -> bool {
    w.starts_with(['$', '/']) || w.contains('.')
}

fn server_name(w: &str) -> bool {
    !w.starts_with('~') && (w.contains('.') || w.starts_with('*') || matches!(w, "_" | "localhost"))
}

fn header_name(w: &str) -> bool {
    w.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn referer(w: &str) -> bool {
    matches!(w, "none" | "blocked" | "server_names") || server_name(w)
}

const LISTS: &[List] = &[
    List {
        directives: &[
            "gzip_types",
            "brotli_types",
            "ssi_types",
            "sub_filter_types",
            "addition_types",
            "charset_types",
            "xslt_types",
        ],
        noun: ("MIME type", "MIME types"),
        never: "no response has that type",
        item: mime_type,
        but_last: false,
        one_per_line: false,
    },
    List {
        directives: &["index"],
        noun: ("index file", "index files"),
        never: "no file has that name",
        item: file_name,
        but_last: false,
        one_per_line: false,
    },
    List {
        directives: &["try_files"],
        noun: ("file", "files"),
        never: "no file has that name, so the request always falls through to the last argument",
        item: |w| w.starts_with(['$', '/']),
        but_last: true,
        one_per_line: false,
    },
    List {
        directives: &["server_name"],
        noun: ("server name", "server names"),
        never: "no request's `Host` has spaces in it",
        item: server_name,
        but_last: false,
        one_per_line: false,
    },
    List {
        directives: &[
            "proxy_hide_header",
            "proxy_pass_header",
            "fastcgi_hide_header",
            "fastcgi_pass_header",
            "uwsgi_hide_header",
            "uwsgi_pass_header",
            "scgi_hide_header",
            "scgi_pass_header",
            "grpc_hide_header",
            "grpc_pass_header",
        ],
        noun: ("header name", "header names"),
        never: "no header has that name",
        item: header_name,
        but_last: false,
        one_per_line: true,
    },
    List {
        directives: &["valid_referers"],
        noun: ("referer", "referers"),
        never: "no `Referer` matches it",
        item: referer,
        but_last: false,
        one_per_line: false,
    },
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for list in LISTS {
        for &name in list.directives {
            for &n in cx.directives_named(name) {
                let directive = model.node(n).directive;
                // No token is copied unless one is quoted (almost never).
                let items = if list.but_last {
                    model.arg_count(n).saturating_sub(1)
                } else {
                    usize::MAX
                };
                for (i, t) in directive.arg_tokens().enumerate().take(items) {
                    if !matches!(t.kind(), TokenKind::DoubleQuoted | TokenKind::SingleQuoted) {
                        continue;
                    }
                    let Some(value) = model.arg_str(n, i) else {
                        continue;
                    };
                    let words: Vec<&str> = value.split_ascii_whitespace().collect();
                    if words.len() < 2 || !words.iter().all(|w| (list.item)(w)) {
                        continue;
                    }
                    let src = model.src(n);
                    let quoted = &src[t.span().range()];
                    let unquoted = words.join(" ");
                    let mut diag = Diagnostic::at_node(
                        &RULE,
                        model,
                        n,
                        format!(
                            "`{name} {}` is one {} with spaces in it, not {} {}: nginx reads a \
                             quoted string as a single argument, and {}",
                            String::from_utf8_lossy(quoted),
                            list.noun.0,
                            words.len(),
                            list.noun.1,
                            list.never
                        ),
                    );
                    diag.primary.span = t.span();
                    diag.primary.text = "one argument".into();
                    if list.one_per_line {
                        // One directive per item: nginx takes one argument here.
                        let lines: Vec<String> =
                            words.iter().map(|w| format!("{name} {w};")).collect();
                        diag = diag.help(format!(
                            "write one line per {}: `{}`",
                            list.noun.0,
                            lines.join(" ")
                        ));
                        out.push(diag);
                        continue;
                    }
                    // The directive as it should read: the other arguments as written.
                    let rewritten: Vec<String> = directive
                        .arg_tokens()
                        .map(|o| {
                            if o == t {
                                unquoted.clone()
                            } else {
                                String::from_utf8_lossy(&src[o.span().range()]).into_owned()
                            }
                        })
                        .collect();
                    diag = diag.help(format!(
                        "write the {} as separate arguments, without the quotes: `{name} {};`",
                        list.noun.1,
                        rewritten.join(" ")
                    ));
                    // Unquoted, each word must stay one word of its own.
                    if words
                        .iter()
                        .all(|w| !w.contains([';', '{', '}', '#', '"', '\'', '\\']))
                    {
                        diag = diag.fix(Fix::unsafe_(
                            format!("Unquote the {}", list.noun.1),
                            vec![Edit::replace(model.file_of(n), t.span(), unquoted)],
                        ));
                    }
                    out.push(diag);
                }
            }
        }
    }
    out
}
