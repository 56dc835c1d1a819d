//! `invalid-if-condition`: an `if` condition nginx cannot parse
//! (`ngx_http_rewrite_if_condition`): it must be `(` `$var` `)`, `(` `$var` OP value `)` with
//! OP one of `=`, `!=`, `~`, `~*`, `!~`, `!~*`, or `(` `-f`|`-d`|`-e`|`-x` (or `!-f`...) path
//! `)`. Anything else is `invalid condition "..."` (`if (1)`, `if (host = x)`) or
//! `unexpected "..." in condition` (an unknown operator).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-if-condition",
    summary: "an `if` condition nginx cannot parse (nginx: invalid condition)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-if-condition.md"),
    check,
};

/// nginx's verdict on an `if`'s arguments, as its parser walks them.
pub fn condition_error(args: &[String]) -> Option<String> {
    let invalid = |v: &str| Some(format!("invalid condition \"{v}\""));
    let first = args.first()?;
    if !first.starts_with('(') {
        return invalid(first);
    }
    let mut values: Vec<String> = args.to_vec();
    let cur = if first.len() == 1 {
        1
    } else {
        values[0] = first[1..].to_owned();
        0
    };
    let mut last = values.len() - 1;
    if !values[last].ends_with(')') {
        return invalid(&values[last]);
    }
    if values[last].len() == 1 {
        last = last.checked_sub(1)?;
    } else {
        let v = &values[last];
        values[last] = v[..v.len() - 1].to_owned();
    }
    let p = values.get(cur)?.as_str();
    if p.len() > 1 && p.starts_with('$') {
        if cur != last && cur + 2 != last {
            return invalid(p);
        }
        if cur == last {
            return None;
        }
        let op = values[cur + 1].as_str();
        if matches!(op, "=" | "!=" | "~" | "~*" | "!~" | "!~*") {
            return None;
        }
        return Some(format!("unexpected \"{op}\" in condition"));
    }
    let file_op = matches!(p, "-f" | "-d" | "-e" | "-x" | "!-f" | "!-d" | "!-e" | "!-x");
    if (p.len() == 2 && p.starts_with('-')) || (p.len() == 3 && p.starts_with("!-")) {
        if cur + 1 != last || !file_op {
            return invalid(p);
        }
        return None;
    }
    invalid(p)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("if") {
        if !matches!(
            model.node(id).context,
            Context::HttpServer | Context::HttpLocation
        ) || !is_nginx(model, id)
        {
            continue;
        }
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        if let Some(message) = condition_error(&args) {
            out.push(Diagnostic::at_node(&RULE, model, id, message).help(
                "a condition is `($variable)`, `($variable OP value)` with OP one of = != ~ ~* !~ !~*, or `(-f path)` (-d -e -x, negated with !)",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::condition_error;

    fn c(s: &str) -> Option<String> {
        condition_error(&s.split(' ').map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn conditions_as_nginx_parses_them() {
        assert_eq!(c("($uri)"), None);
        assert_eq!(c("( $uri )"), None);
        assert_eq!(c("($a = b)"), None);
        assert_eq!(c("($a ~* ^/x)"), None);
        assert_eq!(c("(-f $request_filename)"), None);
        assert_eq!(c("(!-e $x)"), None);
        assert_eq!(c("(1)").as_deref(), Some("invalid condition \"1\""));
        assert_eq!(
            c("(host = x)").as_deref(),
            Some("invalid condition \"host\"")
        );
        assert_eq!(
            c("($a == b)").as_deref(),
            Some("unexpected \"==\" in condition")
        );
        assert_eq!(c("(-q $x)").as_deref(), Some("invalid condition \"-q\""));
        assert_eq!(c("$a").as_deref(), Some("invalid condition \"$a\""));
    }
}
