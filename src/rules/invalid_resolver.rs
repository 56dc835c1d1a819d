//! `invalid-resolver`: a `resolver` address nginx cannot parse (`ngx_resolver_create` parses
//! each with `ngx_parse_url`, default port 53): an IPv6 address must be in brackets, so
//! `resolver 127.0.0.1 ::1;` is `invalid port in resolver "::1"`, as is any port that is not a
//! number from 1 to 65535. Host names are resolved through DNS at startup and not judged here.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::loadtime::is_nginx;

pub static RULE: Rule = Rule {
    id: "invalid-resolver",
    summary: "a `resolver` address with an invalid port, such as an IPv6 address without brackets (nginx: invalid port in resolver)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/invalid-resolver.md"),
    check,
};

fn valid_port(p: &str) -> bool {
    !p.is_empty()
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
}

/// Does `ngx_parse_url` find a bad port in `addr`?
fn bad_port(addr: &str) -> bool {
    if let Some(rest) = addr.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((_, tail)) => tail.strip_prefix(':').is_some_and(|p| !valid_port(p)),
            None => false,
        };
    }
    match addr.split_once(':') {
        Some((_, p)) => !valid_port(p),
        None => false,
    }
}

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in model.directives_named("resolver") {
        if !is_nginx(model, id) {
            continue;
        }
        let node = model.node(id);
        for (i, tok) in node.directive.arg_tokens().enumerate() {
            let Some(a) = model.arg(id, i) else { continue };
            if a.contains('=') || !bad_port(&a) {
                continue;
            }
            let ipv6 = a.matches(':').count() > 1;
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(node.file, tok.span, "not an address[:port] nginx can read"),
                    format!("invalid port in resolver \"{a}\""),
                )
                .help(if ipv6 {
                    format!("write IPv6 addresses in brackets: `[{a}]`")
                } else {
                    "the port must be a number from 1 to 65535".to_owned()
                }),
            );
            break;
        }
    }
    out
}
