//! `send-lowat-ignored`: `send_lowat` and its upstream siblings, which nginx on Linux cannot
//! apply (no `SO_SNDLOWAT`): it warns on every start and uses 0.

use super::{Category, Diagnostic, FixAvailability, LintContext, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "send-lowat-ignored",
    summary: "`send_lowat` (or `proxy_`/`fastcgi_`/`tunnel_send_lowat`) is ignored by nginx on Linux, with a warning",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    category: Category::Correctness,
    default: true,
    doc: include_str!("../../rules/send-lowat-ignored.md"),
    check,
};

/// The directives whose post handler warns where `NGX_HAVE_SO_SNDLOWAT` is 0
/// (`src/os/unix/ngx_linux_config.h`; also Solaris and Windows): `ngx_http_core_lowat_check`,
/// `ngx_http_proxy_lowat_check`, `ngx_http_fastcgi_lowat_check`, `ngx_http_tunnel_lowat_check`.
const LOWAT: &[&str] = &[
    "send_lowat",
    "proxy_send_lowat",
    "fastcgi_send_lowat",
    "tunnel_send_lowat",
];

fn check(cx: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = cx.model;
    let mut out = Vec::new();
    for &id in &cx.directives_named_any(LOWAT) {
        // Only nginx's own directive in its own context (not a `map` entry), with a size nginx
        // parses: a bad value is refused before the warning (`invalid-arguments` says so).
        if !model.node(id).context.is_checked()
            || model.spec(id).is_none()
            || model.arg_count(id) != 1
            || model
                .arg(id, 0)
                .is_none_or(|v| crate::semantics::values::parse_size(v.as_bytes()).is_none())
        {
            continue;
        }
        let name = model.name(id);
        out.push(
            Diagnostic::at_node(
                &RULE,
                model,
                id,
                format!("\"{name}\" is not supported, ignored"),
            )
            .help(
                "nginx on Linux (also Solaris and Windows) has no SO_SNDLOWAT: it warns on every \
                 start and uses 0 instead; only FreeBSD, macOS and the other BSDs apply the value. \
                 Remove the line if the server runs Linux",
            ),
        );
    }
    out
}
