//! `invalid-split-clients`: a `split_clients` block nginx refuses
//! (`ngx_http_split_clients`): an entry that is not `N%` (up to two decimals, above 0) or `*`
//! (`invalid percent value "60"`), or percentages adding up to more than 100, counting `*` as
//! the rest (`percent total is greater than 100%`, which nginx reports at the block's `}`).

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};
use crate::semantics::Context;

pub static RULE: Rule = Rule {
    id: "invalid-split-clients",
    summary: "a `split_clients` entry that is not a percentage, or percentages above 100% (nginx: percent total is greater than 100%)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-split-clients.md"),
    check,
};

/// `ngx_atofp(s, len, 2)`: a decimal with at most two digits after the point, in hundredths.
fn hundredths(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 2
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: u64 = format!("{frac:0<2}").parse().ok()?;
    int.checked_mul(100)?.checked_add(frac)
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &block in model.directives_named("split_clients") {
        let node = model.node(block);
        if !matches!(node.context, Context::Http | Context::Stream) || model.spec(block).is_none() {
            continue;
        }
        let mut sum = 0u64;
        for &entry in model.children(block) {
            let e = model.node(entry);
            if e.context != Context::Entries || model.arg_count(entry) != 1 {
                continue;
            }
            let key = model.name(entry);
            let percent = if key == "*" {
                0
            } else {
                match key
                    .strip_suffix('%')
                    .and_then(hundredths)
                    .filter(|&n| n > 0)
                {
                    Some(n) => n,
                    None => {
                        out.push(
                            Diagnostic::at_node(
                                &RULE,
                                model,
                                entry,
                                format!("invalid percent value \"{key}\""),
                            )
                            .help("an entry is `N%` (`0.5%`, `25%`) or `*` for the rest"),
                        );
                        break;
                    }
                }
            };
            sum = if percent > 0 { sum + percent } else { 10000 };
            if sum > 10000 {
                out.push(
                    Diagnostic::at_node(&RULE, model, entry, "percent total is greater than 100%")
                        .help("the percentages, with `*` as the rest, must add up to at most 100%"),
                );
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hundredths;

    #[test]
    fn percentages_as_nginx_reads_them() {
        assert_eq!(hundredths("50"), Some(5000));
        assert_eq!(hundredths("0.5"), Some(50));
        assert_eq!(hundredths("12.34"), Some(1234));
        assert_eq!(hundredths(".5"), Some(50));
        assert_eq!(hundredths("1.234"), None);
        assert_eq!(hundredths("a"), None);
        assert_eq!(hundredths(""), None);
    }
}
