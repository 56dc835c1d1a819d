//! `duplicate-mime-type`: a MIME type listed twice in the `gzip_types` (`ssi_types`,
//! `sub_filter_types`, `addition_types`, `charset_types`, `xslt_types`) of one level, or
//! listing the type nginx always puts first (`text/html`; `text/xml` for `xslt_types`). nginx
//! only warns (`ngx_http_types_slot` in src/http/ngx_http.c: `duplicate MIME type "text/html"`)
//! and ignores the repeat. Types compare lowercased, as nginx stores them; the occurrences of a
//! directive at one level add up; `*` ends the list.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "duplicate-mime-type",
    summary: "a MIME type listed twice in `gzip_types` (or another `*_types`), or `text/html`, which is always in it (nginx warns: duplicate MIME type)",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/duplicate-mime-type.md"),
    check,
};

/// The directives `ngx_http_types_slot` reads, and the type each starts its list with
/// (`cmd->post`: `ngx_http_html_default_types[0]`, `ngx_http_charset_default_types[0]`,
/// `ngx_http_xslt_default_types[0]`).
const TYPES: &[(&str, &str)] = &[
    ("gzip_types", "text/html"),
    ("ssi_types", "text/html"),
    ("sub_filter_types", "text/html"),
    ("addition_types", "text/html"),
    ("charset_types", "text/html"),
    ("xslt_types", "text/xml"),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &(name, first) in TYPES {
        // Each level holding the directive, once, at its first occurrence there (the
        // occurrences of a level share one list).
        for &at in model.directives_named(name) {
            let level = model.node(at).parent();
            if model.children_named_slice(level, name).first() != Some(&at) {
                continue;
            }
            // A set: a list searched for each type was quadratic (50,000 types, 5.6 s).
            let mut seen: foldhash::HashSet<String> = [first.to_owned()].into_iter().collect();
            'level: for &id in model.children_named_slice(level, name) {
                let node = model.node(id);
                if !matches!(
                    node.context,
                    Context::Http | Context::HttpServer | Context::HttpLocation
                ) || !is_nginx(model, id)
                {
                    continue;
                }
                for (i, tok) in node.directive.arg_tokens().enumerate() {
                    let Some(t) = model.arg(id, i).map(|a| a.to_ascii_lowercase()) else {
                        continue;
                    };
                    if t == "*" {
                        break 'level;
                    }
                    if !seen.contains(&t) {
                        seen.insert(t);
                        continue;
                    }
                    let help = if t == first {
                        format!(
                            "`{name}` always holds `{first}` (nginx puts it first): drop it from the list"
                        )
                    } else {
                        format!("`{t}` is already in this level's `{name}`: drop one")
                    };
                    out.push(
                        Diagnostic::new(
                            &RULE,
                            Label::new(model.file_of(id), tok.span(), "listed again here"),
                            format!("duplicate MIME type \"{t}\""),
                        )
                        .help(help),
                    );
                }
            }
        }
    }
    out
}
