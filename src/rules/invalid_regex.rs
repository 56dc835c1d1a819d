//! `invalid-regex`: a regex PCRE2 refuses, compiled as nginx compiles it.
//!
//! nginx compiles regexes while it reads the configuration (`ngx_regex_compile`:
//! `pcre2_compile` with no options but `PCRE2_CASELESS` where the form asks for it), and the
//! first one PCRE2 refuses stops it: `pcre2_compile() failed: <PCRE2's message> in "<regex>"`.
//! This rule compiles with the same library (the `pcre2` crate) and options: `location ~`
//! (caseless for `~*`), `server_name ~` (caseless), `if ($v ~ re)` (caseless for `~*`/`!~*`),
//! `rewrite` (not caseless) and `map` keys (`~`, caseless for `~*`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::{is_nginx, regex_error, regexes};

pub static RULE: Rule = Rule {
    id: "invalid-regex",
    summary: "a regex PCRE2 cannot compile (nginx: pcre2_compile() failed)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-regex.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // Only these directives and `map` entries compile a regex (see `regexes`): they are
    // looked up by name rather than asking every node.
    let directives = ["location", "server_name", "rewrite", "if"]
        .into_iter()
        .flat_map(|name| cx.directives_named(name))
        .copied()
        .filter(|&id| model.node(id).context != Context::Entries);
    let map_entries = cx
        .directives_named("map")
        .iter()
        .flat_map(|&m| model.children(m))
        .copied();
    for id in directives.chain(map_entries) {
        let node = model.node(id);
        if node.context != Context::Entries && !is_nginx(model, id) {
            continue;
        }
        for (i, re, caseless) in regexes(model, id) {
            let Some(message) = regex_error(re.as_bytes(), caseless) else {
                continue;
            };
            let span = if i == usize::MAX {
                node.directive.name_token().map(|t| t.span())
            } else {
                node.directive.arg_tokens().nth(i).map(|t| t.span())
            };
            let label = span.map_or_else(
                || Label::at_node(model, id, ""),
                |s| Label::new(model.file_of(id), s, "PCRE2 cannot compile this"),
            );
            out.push(
                Diagnostic::new(&RULE, label, message)
                    .help("fix the regex; it is compiled with PCRE2 exactly as nginx compiles it"),
            );
        }
    }
    out
}
