//! `host-header-spoofing`: `proxy_set_header Host` from a raw client value (`$http_host`,
//! `$arg_*`, `$http_x_forwarded_host`...) instead of `$host`, so the application sees a host
//! name nginx did not choose.

use super::{Category, Diagnostic, FixAvailability, Label, LintContext, Rule, Severity};
use crate::fix::{Edit, Fix};
use crate::semantics::script::{Part, parts};
use crate::semantics::taint::Controlled;

pub static RULE: Rule = Rule {
    id: "host-header-spoofing",
    summary: "`proxy_set_header Host` passes a raw client value (`$http_host`, `$arg_*`...) \
              instead of `$host`, so the application trusts a host name nginx did not check",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    category: Category::Security,
    default: false,
    doc: include_str!("../../rules/host-header-spoofing.md"),
    check,
};

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    let controlled = Controlled::new(model);
    for name in ["proxy_set_header", "grpc_set_header"] {
        for &n in model.directives_named(name) {
            if !model
                .arg(n, 0)
                .is_some_and(|h| h.eq_ignore_ascii_case("host"))
            {
                continue;
            }
            let Some(value) = model.arg(n, 1) else {
                continue;
            };
            let Some(var) = parts(&value).into_iter().find_map(|p| match p {
                Part::Var(v) if v != "host" && controlled.var_client_controlled(n, &v, 0) => {
                    Some(v)
                }
                _ => None,
            }) else {
                continue;
            };
            let node = model.node(n);
            let mut diag = Diagnostic::at_node(
                &RULE,
                model,
                n,
                format!(
                    "`{name} Host {value}` sends the application a host name taken from \
                     `${var}` as the client wrote it; `$host` is the name nginx matched \
                     (request line first, then a validated `Host`, then `server_name`)"
                ),
            )
            .help(
                "use `$host` (add `:$server_port` if the application needs the port); an \
                 application that builds links or password-reset mails from Host can otherwise \
                 be pointed at another site",
            );
            diag.primary.text = "client-chosen Host".into();
            if let Some(span) = crate::fix::style::arg_span(node.directive, 1) {
                diag = diag.label(Label::new(model.file_of(n), span, format!("from `${var}`")));
                if value.eq_ignore_ascii_case("$http_host") {
                    diag = diag.fix(Fix::unsafe_(
                        "Replace `$http_host` with `$host`",
                        vec![Edit::replace(model.file_of(n), span, "$host")],
                    ));
                }
            }
            out.push(diag);
        }
    }
    out
}
