//! `invalid-resolver`: a `resolver` address nginx cannot parse (`ngx_resolver_create` parses
//! each with `ngx_parse_url`, default port 53): an IPv6 address must be in brackets, so
//! `resolver 127.0.0.1 ::1;` is `invalid port in resolver "::1"`, as is any port that is not a
//! number from 1 to 65535. Host names are resolved through DNS at startup and not judged here,
//! but for one no DNS name can be: a template placeholder left in (`%%hassio_dns%%`, `${DNS}`:
//! `host not found in resolver`).
//!
//! Its parameters too: `valid=` takes a time (`invalid parameter: valid=30x`), `ipv4=` (since
//! nginx 1.23.1) and `ipv6=` take on or off, both off is `"ipv4" and "ipv6" cannot both be
//! "off"`, and parameters without an address are `no name servers defined`.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::semantics::address::placeholder_host;
use crate::semantics::directives::Version;
use crate::semantics::loadtime::is_nginx;

/// The release that added `ipv4=` to `ngx_resolver_create`.
const IPV4_PARAM: Version = Version(1, 23, 1);

/// A `resolver` parameter nginx reads itself: `Some(ok)` for `valid=`, `ipv4=`, `ipv6=` (is its
/// value one nginx takes?), `None` for anything else.
fn param_ok(a: &str, version: Version) -> Option<bool> {
    if let Some(v) = a.strip_prefix("valid=") {
        return Some(crate::semantics::values::parse_time(v.as_bytes(), true).is_some());
    }
    let flag = a
        .strip_prefix("ipv6=")
        .or_else(|| a.strip_prefix("ipv4=").filter(|_| version >= IPV4_PARAM))?;
    Some(flag == "on" || flag == "off")
}

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
        let args: Vec<String> = (0..model.arg_count(id))
            .filter_map(|i| model.arg(id, i))
            .collect();
        // The first argument nginx refuses (it stops there): label, message, help.
        let refused = node
            .directive
            .arg_tokens()
            .enumerate()
            .find_map(|(i, tok)| {
                let a = model.arg(id, i)?;
                if param_ok(&a, cx.version) == Some(false) {
                    return Some((
                        tok,
                        "nginx cannot read this value",
                        format!("invalid parameter: {a}"),
                        "`valid=` takes a time (`30s`), `ipv4=` and `ipv6=` on or off".to_owned(),
                    ));
                }
                if a.contains('=') {
                    return None;
                }
                if bad_port(&a) {
                    let help = if a.matches(':').count() > 1 {
                        format!("write IPv6 addresses in brackets: `[{a}]`")
                    } else {
                        "the port must be a number from 1 to 65535".to_owned()
                    };
                    return Some((
                        tok,
                        "not an address[:port] nginx can read",
                        format!("invalid port in resolver \"{a}\""),
                        help,
                    ));
                }
                // A template's placeholder left in (`%%hassio_dns%%`): nginx looks the name up
                // now, and no DNS name holds those bytes.
                placeholder_host(a.as_bytes()).then(|| {
                    (
                        tok,
                        "no DNS name looks like this",
                        format!("host not found in resolver \"{a}\""),
                        "a template placeholder left in? Fill it (envsubst, the role's variables) \
                     before nginx reads the file"
                            .to_owned(),
                    )
                })
            });
        let failed = refused.is_some();
        if let Some((tok, label, message, help)) = refused {
            out.push(
                Diagnostic::new(
                    &RULE,
                    Label::new(model.file_of(id), tok.span(), label),
                    message,
                )
                .help(help),
            );
        }
        if failed || args.len() != model.arg_count(id) {
            continue;
        }
        // The last `ipv4=`/`ipv6=` wins; both are on by default.
        let off = |p: &str| {
            args.iter()
                .rev()
                .find(|a| a.starts_with(p))
                .is_some_and(|a| a.ends_with("=off"))
        };
        if cx.version >= IPV4_PARAM && off("ipv4=") && off("ipv6=") {
            out.push(
                Diagnostic::at_node(
                    &RULE,
                    model,
                    id,
                    "\"ipv4\" and \"ipv6\" cannot both be \"off\"",
                )
                .help("keep one address family: drop `ipv4=off` or `ipv6=off`"),
            );
        } else if args.iter().all(|a| param_ok(a, cx.version).is_some()) {
            out.push(
                Diagnostic::at_node(&RULE, model, id, "no name servers defined")
                    .help("give the address of a DNS server: `resolver 127.0.0.53 valid=30s;`"),
            );
        }
    }
    out
}
