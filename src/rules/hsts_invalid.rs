//! `hsts-invalid`: a `Strict-Transport-Security` header whose value browsers ignore (RFC 6797
//! §6.1 and §8.1): no `max-age`, a `max-age` that is not a number of seconds, a directive given
//! twice, or a directive that is not one (`max-age=31536000: includeSubDomains`).

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "hsts-invalid",
    summary: "a `Strict-Transport-Security` value browsers ignore (no `max-age`, a `max-age` \
              that is not a number of seconds, directives not separated by `;`): no HSTS",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Security,
    default: true,
    doc: include_str!("../../rules/hsts-invalid.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &n in cx.directives_named("add_header") {
        if !crate::semantics::headers::sets_header(model, n, "strict-transport-security") {
            continue;
        }
        let Some(value) = model.arg_str(n, 1) else {
            continue;
        };
        // A variable's value is known per request only.
        if value.contains('$') {
            continue;
        }
        let Some(problem) = problem(&value) else {
            continue;
        };
        let Some(token) = model.node(n).directive.arg_tokens().nth(1) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &RULE,
                Label::new(model.file_of(n), token.span(), "browsers ignore this value"),
                format!(
                    "`Strict-Transport-Security: {value}` is no valid HSTS policy ({problem}): \
                     browsers ignore the whole header (RFC 6797 §8.1), and the site gets no HSTS"
                ),
            )
            .help(
                "write the directives separated by `;`, with `max-age` a number of seconds: \
                 `max-age=31536000; includeSubDomains`",
            ),
        );
    }
    out
}

/// What makes `value` an STS header field browsers ignore (RFC 6797 §6.1: directives
/// separated by `;`, each a token with an optional `=` and a token or quoted string;
/// `max-age`, a number of seconds, exactly once; no directive twice), if anything.
fn problem(value: &str) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    let mut max_age = false;
    for part in value.split(';') {
        let part = part.trim_matches([' ', '\t']);
        if part.is_empty() {
            continue;
        }
        let (name, arg) = match part.split_once('=') {
            Some((n, a)) => (
                n.trim_matches([' ', '\t']),
                Some(a.trim_matches([' ', '\t'])),
            ),
            None => (part, None),
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Some(format!("`{part}` is not a directive"));
        }
        let lower = name.to_ascii_lowercase();
        if names.contains(&lower) {
            return Some(format!("`{name}` is given twice"));
        }
        if lower == "max-age" {
            let seconds = arg.map(|a| a.trim_matches('"')).unwrap_or_default();
            if seconds.is_empty() || !seconds.bytes().all(|b| b.is_ascii_digit()) {
                return Some(format!(
                    "`max-age` is `{}`, not a number of seconds",
                    arg.unwrap_or_default()
                ));
            }
            max_age = true;
        } else if let Some(arg) = arg {
            let quoted = arg.len() >= 2 && arg.starts_with('"') && arg.ends_with('"');
            if !quoted && (arg.is_empty() || !arg.bytes().all(is_tchar)) {
                return Some(format!("`{part}` is not a directive"));
            }
        }
        names.push(lower);
    }
    (!max_age).then(|| "it has no `max-age`".to_owned())
}

/// A byte of an HTTP token (RFC 9110 §5.6.2).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn valid_policies_pass() {
        for v in [
            "max-age=31536000",
            "max-age=31536000; includeSubDomains",
            "max-age=63072000; includeSubDomains; preload",
            "max-age=\"31536000\"",
            "includeSubDomains; max-age=0",
            "max-age=31536000;",
            "max-age=31536000 ; includeSubDomains",
        ] {
            assert_eq!(problem(v), None, "{v}");
        }
    }

    #[test]
    fn invalid_policies_are_named() {
        for (v, what) in [
            ("max-age=31536000: includeSubDomains", "not a number"),
            ("max-age=31536000, includeSubDomains", "not a number"),
            ("max-age=1y", "not a number"),
            ("includeSubDomains", "no `max-age`"),
            ("max-age=1; max-age=2", "twice"),
            ("max-age=31536000; include SubDomains", "not a directive"),
            ("max_age=31536000", "no `max-age`"),
        ] {
            let p = problem(v).unwrap_or_default();
            assert!(p.contains(what), "{v}: {p}");
        }
    }
}
