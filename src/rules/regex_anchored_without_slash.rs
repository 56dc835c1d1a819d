//! `regex-anchored-without-slash`: `rewrite ^certificates/$ ...` or `location ~ ^api/`. The
//! pattern is anchored at the start of the URI and then wants a letter, but nginx matches it
//! against the normalised URI, which always starts with `/`: it never matches (held-out batches
//! 439 and 467, PrestaShop's and Chamilo's documented configurations, measured).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::location::{Modifier, location_match};
use crate::semantics::model::{Model, NodeId};
use crate::syntax::TokenKind;
use crate::syntax::span::Span;

pub static RULE: Rule = Rule {
    id: "regex-anchored-without-slash",
    summary: "a `rewrite` or regex `location` anchored with `^` and then a letter (`^api/`): the \
              URI nginx matches always starts with `/`, so it never matches",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/regex-anchored-without-slash.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in cx.directives_named("rewrite") {
        if let Some(pattern) = model.arg_str(n, 0)
            && let Some(d) = diagnose(model, n, 0, &pattern, "rewrite")
        {
            out.push(d);
        }
    }
    for &n in cx.directives_named("location") {
        let Some((Modifier::Regex | Modifier::RegexCaseless, pattern)) = location_match(model, n)
        else {
            continue;
        };
        // The pattern as its own argument (`location ~ ^api/`), else written onto the
        // modifier (`location ~^api/`): then no byte of it is edited.
        let own = model.arg_count(n) == 2;
        if let Some(d) = diagnose(model, n, usize::from(own), &pattern, "location") {
            out.push(d);
        }
    }
    out
}

/// Does `pattern` start with `^` and a character no URI has first? A letter, a digit, `_` or
/// `-`: the normalised URI starts with `/`. A template's placeholder (`^__PATH__/`, YunoHost's)
/// is the path it is filled with.
fn anchored_without_slash(pattern: &str) -> bool {
    let Some(rest) = pattern.strip_prefix('^') else {
        return false;
    };
    let Some(&first) = rest.as_bytes().first() else {
        return false;
    };
    (first.is_ascii_alphanumeric() || first == b'-' || first == b'_')
        && !rest.starts_with("__")
        && !pattern.contains("${")
        && !pattern.contains("{{")
}

fn diagnose(
    model: &Model<'_>,
    n: NodeId,
    arg: usize,
    pattern: &str,
    directive: &str,
) -> Option<Diagnostic> {
    if !anchored_without_slash(pattern) {
        return None;
    }
    let token = model.node(n).directive.arg_tokens().nth(arg)?;
    let src = model.src(n);
    let span = token.span();
    let quoted = matches!(
        token.kind(),
        TokenKind::DoubleQuoted | TokenKind::SingleQuoted
    );
    // The `^` as written: the token's first byte, after its quote.
    let caret = span.start + u32::from(quoted);
    let exact = src.get(caret as usize) == Some(&b'^')
        && (directive == "rewrite" || model.arg_count(n) == 2);
    let file = model.file_of(n);
    let label_span = if exact {
        Span::new(caret, caret + 1)
    } else {
        span
    };
    let fixed = format!("^/{}", &pattern[1..]);
    let mut diag = Diagnostic::new(
        &RULE,
        Label::new(file, label_span, "the URI has a `/` here"),
        format!(
            "`{directive}` pattern `{pattern}` wants the URI to start with `{first}`, but nginx \
             matches it against the normalised URI, which always starts with `/`: it never \
             matches",
            first = &pattern[1..2],
        ),
    )
    .help(format!(
        "start the pattern with the slash: `{fixed}` (or drop the `^` to match anywhere in the \
         URI)"
    ));
    if exact {
        diag = diag.fix(Fix::unsafe_(
            "Add the `/` after `^`",
            vec![Edit::insert(file, caret + 1, "/")],
        ));
    }
    Some(diag)
}

#[cfg(test)]
mod tests {
    use super::anchored_without_slash;

    #[test]
    fn reads_the_first_character_after_the_anchor() {
        assert!(anchored_without_slash("^certificates/$"));
        assert!(anchored_without_slash(
            "^images_ie/?([^/]+)\\.(gif|jpe?g|png)$"
        ));
        assert!(anchored_without_slash("^api"));
        assert!(!anchored_without_slash("^/api"));
        assert!(!anchored_without_slash("^.+\\.php$"));
        assert!(!anchored_without_slash("^(.*)$"));
        assert!(!anchored_without_slash("^\\/api"));
        assert!(!anchored_without_slash("api/"));
        assert!(!anchored_without_slash("^"));
        assert!(!anchored_without_slash("^__PATH__/(.*)$"));
        assert!(!anchored_without_slash("^${BASE_PATH}(.*)$"));
    }
}
