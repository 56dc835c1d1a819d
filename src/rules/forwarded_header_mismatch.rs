//! `forwarded-header-mismatch`: a forwarding header set to a built-in variable of another kind,
//! `proxy_set_header X-Forwarded-Host $remote_addr;` (the client's address as the host) or
//! `X-Forwarded-Proto $remote_addr` (an address as the scheme): a line copied from its
//! neighbour and not edited. nginx sends what it is told; the app then builds URLs, checks
//! origins or logs clients with the wrong value (code-server refuses a WebSocket whose `Origin`
//! is not the forwarded host).
//!
//! Only a value that is one built-in variable whose meaning is known is read: a scheme, a host,
//! an address, a port or a path. A variable the configuration defines (`map`, `set`) is the
//! author's, and so is any other value.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix, style};
use crate::semantics::streaming::variable_name;
use crate::semantics::variables::set_or_mapped;

pub static RULE: Rule = Rule {
    id: "forwarded-header-mismatch",
    summary: "a forwarding header (`X-Forwarded-Host`, `X-Forwarded-Proto`, `X-Real-IP`, `Host`…) \
              set to a built-in variable of another kind, such as the client's address as the \
              host",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/forwarded-header-mismatch.md"),
    check,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scheme,
    Host,
    Address,
    Port,
    Path,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Scheme => "a scheme",
            Kind::Host => "a host name",
            Kind::Address => "a client address",
            Kind::Port => "a port",
            Kind::Path => "a request path",
        }
    }
}

/// The headers whose value has one meaning every app reads alike, and the variable that gives
/// it (the fix). `Host` is the upstream request's own header.
const HEADERS: &[(&str, Kind, &str)] = &[
    ("x-forwarded-proto", Kind::Scheme, "$scheme"),
    ("x-forwarded-protocol", Kind::Scheme, "$scheme"),
    ("x-forwarded-scheme", Kind::Scheme, "$scheme"),
    ("x-scheme", Kind::Scheme, "$scheme"),
    ("x-forwarded-host", Kind::Host, "$host"),
    ("host", Kind::Host, "$host"),
    ("x-real-ip", Kind::Address, "$remote_addr"),
    ("x-client-ip", Kind::Address, "$remote_addr"),
    (
        "x-forwarded-for",
        Kind::Address,
        "$proxy_add_x_forwarded_for",
    ),
    ("x-forwarded-port", Kind::Port, "$server_port"),
];

/// Built-in variables (nginx's `ngx_http_core_variables`, the proxy and realip modules) and what
/// they hold. Left out on purpose: `$server_addr` (the server's own address, which a site
/// without a name may mean as its host), `$proxy_host` (the upstream's name), `$remote_port`
/// (a port, but the client's: as `X-Forwarded-Port` it is wrong by convention, not by kind), and
/// `$https` ("on" or empty).
const VARIABLES: &[(&str, Kind, &str)] = &[
    ("scheme", Kind::Scheme, "the request's scheme"),
    (
        "http_x_forwarded_proto",
        Kind::Scheme,
        "the client's `X-Forwarded-Proto`",
    ),
    ("host", Kind::Host, "the request's host name"),
    ("http_host", Kind::Host, "the client's `Host` header"),
    ("server_name", Kind::Host, "the server's first name"),
    ("hostname", Kind::Host, "the machine's host name"),
    (
        "http_x_forwarded_host",
        Kind::Host,
        "the client's `X-Forwarded-Host`",
    ),
    ("remote_addr", Kind::Address, "the client's address"),
    (
        "binary_remote_addr",
        Kind::Address,
        "the client's address in binary",
    ),
    (
        "realip_remote_addr",
        Kind::Address,
        "the client's original address",
    ),
    (
        "proxy_add_x_forwarded_for",
        Kind::Address,
        "the client's `X-Forwarded-For` with its address added",
    ),
    (
        "http_x_forwarded_for",
        Kind::Address,
        "the client's `X-Forwarded-For`",
    ),
    ("http_x_real_ip", Kind::Address, "the client's `X-Real-IP`"),
    ("server_port", Kind::Port, "the port the request came to"),
    (
        "http_x_forwarded_port",
        Kind::Port,
        "the client's `X-Forwarded-Port`",
    ),
    ("uri", Kind::Path, "the request's path"),
    ("document_uri", Kind::Path, "the request's path"),
    ("request_uri", Kind::Path, "the request's path and query"),
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for name in ["proxy_set_header", "grpc_set_header"] {
        for &n in cx.directives_named(name) {
            let Some(header) = model.arg_str(n, 0) else {
                continue;
            };
            let Some(&(_, wants, canonical)) = HEADERS
                .iter()
                .find(|(h, _, _)| header.eq_ignore_ascii_case(h))
            else {
                continue;
            };
            let Some(value) = model.arg_str(n, 1) else {
                continue;
            };
            let Some(var) = variable_name(&value) else {
                continue;
            };
            let Some(&(var, holds, what)) = VARIABLES
                .iter()
                .find(|(v, _, _)| var.eq_ignore_ascii_case(v))
            else {
                continue;
            };
            if holds == wants || set_or_mapped(model, var) {
                continue;
            }
            let node = model.node(n);
            let message = format!(
                "`{name} {header} ${var}` sends {what} as `{header}`, which apps read as {}",
                wants.noun()
            );
            let mut diag = Diagnostic::at_node(&RULE, model, n, message);
            diag.primary.text = format!("{} where {} belongs", holds.noun(), wants.noun()).into();
            let meant = VARIABLES
                .iter()
                .find(|(v, _, _)| Some(*v) == variable_name(canonical))
                .map_or("", |(_, _, what)| what);
            diag = diag.help(format!("send `{canonical}`, {meant}"));
            if let Some(span) = style::arg_span(node.directive, 1) {
                diag = diag
                    .label(Label::new(model.file_of(n), span, what))
                    .fix(Fix::safe(
                        format!("Replace `{value}` with `{canonical}`"),
                        vec![Edit::replace(model.file_of(n), span, canonical)],
                    ));
            }
            out.push(diag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_one_whole_variable_is_read() {
        assert_eq!(variable_name("$remote_addr"), Some("remote_addr"));
        assert_eq!(variable_name("${host}"), Some("host"));
        assert_eq!(variable_name("$host:$server_port"), None);
        assert_eq!(variable_name("https"), None);
        assert_eq!(variable_name("$"), None);
        assert_eq!(variable_name("${host"), None);
    }

    #[test]
    fn every_variable_is_built_in_and_every_fix_is_of_its_headers_kind() {
        for (v, _, _) in VARIABLES {
            assert!(crate::semantics::variables::is_builtin(v), "{v}");
        }
        for (h, kind, canonical) in HEADERS {
            let var = variable_name(canonical).unwrap();
            let (_, holds, _) = VARIABLES.iter().find(|(v, _, _)| *v == var).unwrap();
            assert!(holds == kind, "{h}: {canonical}");
        }
    }
}
